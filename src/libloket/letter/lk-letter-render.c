/* lk-letter-render.c — a letter template rendered with cairo + pango
 *
 * A4 in PDF points (cairo's origin top-left, y down). Every page: the
 * draft mark while the letter has no number, a continuation line from page
 * 2 on, and the footer sentence; the first page's footer also carries the
 * QR code of the verification URL and the URL as text. The first page
 * begins with the letterhead (optional logo at its left) and the number
 * block (Nomor, the date unless the template prints it, Sifat, Lampiran,
 * Perihal). Then the addressee, the body (a line with a tab is a "label :
 * value" row) and the closing in the right column; the marker's line
 * leaves the stamp box empty. Text flows line by line onto new pages above
 * the footer; the closing is kept on one page when it fits on one.
 *
 * Limits: texts are bounded by the template (LK_LETTER_TEMPLATE_MAX_TEXT),
 * by MAX_TEXT_BYTES a layout, and the logo by lk_letter_load_logo
 * (lk-letter-fields.c, which also puts the case's fields in).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-letter"

#include <errno.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-template-private.h"
#include "letter/lk-qr.h"

#define PAGE_WIDTH   595.276   /* A4: 210 mm */
#define PAGE_HEIGHT  841.890   /* A4: 297 mm */
#define MARGIN_LEFT  70.87     /* 2.5 cm */
#define MARGIN_RIGHT 56.69     /* 2 cm */
#define MARGIN_TOP   42.52     /* 1.5 cm */
#define FOOTER_RULE  (PAGE_HEIGHT - 80.0)
#define BODY_BOTTOM  (FOOTER_RULE - 8.0)
#define TEXT_WIDTH   (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define LABEL_WIDTH  110.0
#define COLON_WIDTH  10.0
#define QR_SIZE      68.0      /* the footer's QR code, quiet zone included */
#define LOGO_SIZE    64.0
#define CLOSING_X    (PAGE_WIDTH - MARGIN_RIGHT - LK_LETTER_STAMP_WIDTH)

#define MAX_TEXT_BYTES 16384   /* of one layout's text */

#define FONT_FAMILY  "Liberation Serif, Nimbus Roman, Tinos, Times New Roman, Serif"
#define FONT_SIZE    12.0
#define DRAFT_NUMBER "DRAFT — belum bernomor"


typedef struct
{
  cairo_t         *cr;
  PangoContext    *context;
  double           y;             /* top of the next line */
  int              page;
  gboolean         draft;
  const char      *reference;     /* number or receipt, for continuation lines */
  const char      *footer;
  const LkQr      *qr;
  const char      *qr_url;
  gboolean         have_stamp;
  guint            stamp_page;
  double           stamp_rect[4];
} Page;

/* Helpers */

static const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}


static PangoLayout *
make_layout (Page           *p,
             const char     *text,
             double          size,
             gboolean        bold,
             gboolean        italic,
             double          width,
             PangoAlignment  align)
{
  PangoLayout *layout = pango_layout_new (p->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  g_autofree char *valid = NULL;

  if (text == NULL)
    text = "";
  valid = g_utf8_make_valid (text, (gssize) strnlen (text, MAX_TEXT_BYTES));
  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (italic)
    pango_font_description_set_style (font, PANGO_STYLE_ITALIC);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, valid, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int h;

  pango_layout_get_size (layout, NULL, &h);
  return (double) h / PANGO_SCALE;
}

static void
show_layout_at (Page        *p,
                PangoLayout *layout,
                double       x,
                double       y)
{
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, layout);
}

static void
draw_footer (Page *p)
{
  cairo_save (p->cr);
  cairo_set_source_rgb (p->cr, 0.25, 0.25, 0.25);
  cairo_set_line_width (p->cr, 0.5);
  cairo_move_to (p->cr, MARGIN_LEFT, FOOTER_RULE);
  cairo_line_to (p->cr, PAGE_WIDTH - MARGIN_RIGHT, FOOTER_RULE);
  cairo_stroke (p->cr);
  if (p->page == 1 && p->qr != NULL)
    {
      double text_x = MARGIN_LEFT + QR_SIZE + 4.0;
      double width = PAGE_WIDTH - MARGIN_RIGHT - text_x;
      g_autoptr(PangoLayout) footer = make_layout (p, p->footer, 9.0, FALSE, TRUE, width, PANGO_ALIGN_LEFT);
      g_autofree char *check = g_strdup_printf ("Periksa keaslian surat ini: %s", p->qr_url);
      g_autoptr(PangoLayout) url = make_layout (p, check, 8.0, FALSE, FALSE, width, PANGO_ALIGN_LEFT);
      double y = FOOTER_RULE + 12.0;

      cairo_set_source_rgb (p->cr, 0, 0, 0);
      lk_qr_draw (p->qr, p->cr, MARGIN_LEFT - 4.0, FOOTER_RULE + 2.0, QR_SIZE);
      cairo_set_source_rgb (p->cr, 0.25, 0.25, 0.25);
      show_layout_at (p, footer, text_x, y);
      show_layout_at (p, url, text_x, y + layout_height (footer) + 3.0);
    }
  else
    {
      g_autoptr(PangoLayout) footer = make_layout (p, p->footer, 9.0, FALSE, TRUE, TEXT_WIDTH,
                                                   PANGO_ALIGN_CENTER);

      show_layout_at (p, footer, MARGIN_LEFT, FOOTER_RULE + 12.0);
    }
  cairo_restore (p->cr);
}

static void
draw_draft_mark (Page *p)
{
  g_autoptr(PangoLayout) mark = make_layout (p, "DRAFT", 12.0, TRUE, FALSE, 120.0, PANGO_ALIGN_RIGHT);
  double x = PAGE_WIDTH - MARGIN_RIGHT - 120.0;
  PangoRectangle ink;

  pango_layout_get_pixel_extents (mark, NULL, &ink);
  cairo_save (p->cr);
  cairo_set_source_rgb (p->cr, 0.75, 0.1, 0.1);
  show_layout_at (p, mark, x, 18.0);
  cairo_set_line_width (p->cr, 1.0);
  cairo_rectangle (p->cr, x + ink.x - 4.0, 16.0, ink.width + 8.0, layout_height (mark) + 4.0);
  cairo_stroke (p->cr);
  cairo_restore (p->cr);
}

static void
begin_page (Page *p)
{
  p->page++;
  if (p->draft)
    draw_draft_mark (p);
  p->y = MARGIN_TOP;
  if (p->page > 1)
    {
      g_autofree char *text = g_strdup_printf ("Lanjutan surat %s — halaman %d", p->reference, p->page);
      g_autoptr(PangoLayout) head = make_layout (p, text, 8.0, FALSE, TRUE, TEXT_WIDTH, PANGO_ALIGN_LEFT);

      cairo_save (p->cr);
      cairo_set_source_rgb (p->cr, 0.25, 0.25, 0.25);
      show_layout_at (p, head, MARGIN_LEFT, p->y);
      cairo_restore (p->cr);
      p->y += layout_height (head) + 14.0;
    }
}

static void
next_page (Page *p)
{
  draw_footer (p);
  cairo_show_page (p->cr);
  begin_page (p);
}

/* Flows LAYOUT at X line by line from the cursor, breaking pages above the
 * footer. */
static void
flow_layout (Page        *p,
             PangoLayout *layout,
             double       x)
{
  g_autoptr(PangoLayoutIter) iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double height, ascent;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      ascent = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      if (height <= 0)
        height = FONT_SIZE * 1.2;
      if (p->y + height > BODY_BOTTOM)
        next_page (p);
      cairo_move_to (p->cr, x + (double) logical.x / PANGO_SCALE, p->y + ascent);
      pango_cairo_show_layout_line (p->cr, line);
      p->y += height;
    }
  while (pango_layout_iter_next_line (iter));
}

static void
flow_text (Page           *p,
           const char     *text,
           gboolean        bold,
           double          x,
           double          width,
           PangoAlignment  align)
{
  g_autoptr(PangoLayout) layout = make_layout (p, text, FONT_SIZE, bold, FALSE, width, align);

  flow_layout (p, layout, x);
}

static void
skip (Page  *p,
      double points)
{
  p->y += points;
  if (p->y > BODY_BOTTOM)
    next_page (p);
}

/* "Label : value", the value wrapping in its own column. */
static void
flow_field (Page       *p,
            double      indent,
            const char *label,
            const char *value,
            gboolean    bold)
{
  double label_x = MARGIN_LEFT + indent;
  double value_x = label_x + LABEL_WIDTH + COLON_WIDTH;
  g_autoptr(PangoLayout) l = make_layout (p, label, FONT_SIZE, FALSE, FALSE, LABEL_WIDTH, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) colon = make_layout (p, ":", FONT_SIZE, FALSE, FALSE, COLON_WIDTH, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) v = make_layout (p, value, FONT_SIZE, bold, FALSE,
                                          PAGE_WIDTH - MARGIN_RIGHT - value_x, PANGO_ALIGN_LEFT);
  PangoLayoutLine *first = pango_layout_get_line_readonly (v, 0);
  PangoRectangle logical;

  pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
  pango_layout_line_get_extents (first, NULL, &logical);
  if (p->y + (double) logical.height / PANGO_SCALE > BODY_BOTTOM)
    next_page (p);
  show_layout_at (p, l, label_x, p->y);
  show_layout_at (p, colon, label_x + LABEL_WIDTH, p->y);
  flow_layout (p, v, value_x);
}

/* Paragraphs, one a line; a blank line is a gap, a tab makes a row. */
static void
flow_paragraphs (Page       *p,
                 const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      char *tab;

      g_strchomp (line);
      if (*line == '\0')
        {
          skip (p, 8.0);
          continue;
        }
      tab = strchr (line, '\t');
      if (tab != NULL)
        {
          *tab = '\0';
          tab++;
          while (*tab == '\t' || *tab == ' ')
            tab++;
          flow_field (p, 24.0, line, tab, FALSE);
        }
      else
        flow_text (p, line, FALSE, MARGIN_LEFT, TEXT_WIDTH, PANGO_ALIGN_LEFT);
    }
}

static void
draw_letterhead (Page            *p,
                 const char      *agency,
                 const char      *office,
                 const char      *unit_name,
                 const char      *unit_address,
                 cairo_surface_t *logo)
{
  double top = p->y;
  double text_x = MARGIN_LEFT, width = TEXT_WIDTH;
  g_autoptr(PangoLayout) gov = NULL;
  g_autoptr(PangoLayout) off = NULL;

  if (logo != NULL)
    {
      double w = cairo_image_surface_get_width (logo);
      double h = cairo_image_surface_get_height (logo);
      double scale = LOGO_SIZE / MAX (w, h);

      cairo_save (p->cr);
      cairo_translate (p->cr, MARGIN_LEFT + (LOGO_SIZE - w * scale) / 2, top + (LOGO_SIZE - h * scale) / 2);
      cairo_scale (p->cr, scale, scale);
      cairo_set_source_surface (p->cr, logo, 0, 0);
      cairo_paint (p->cr);
      cairo_restore (p->cr);
      text_x = MARGIN_LEFT + LOGO_SIZE + 6.0;
      width = TEXT_WIDTH - LOGO_SIZE - 6.0;
    }

  gov = make_layout (p, agency, 15.0, TRUE, FALSE, width, PANGO_ALIGN_CENTER);
  off = make_layout (p, office, 13.0, TRUE, FALSE, width, PANGO_ALIGN_CENTER);
  show_layout_at (p, gov, text_x, p->y);
  p->y += layout_height (gov);
  show_layout_at (p, off, text_x, p->y);
  p->y += layout_height (off);
  if (nonempty (unit_name) != NULL)
    {
      g_autoptr(PangoLayout) unit = make_layout (p, unit_name, 12.0, FALSE, FALSE, width, PANGO_ALIGN_CENTER);

      show_layout_at (p, unit, text_x, p->y);
      p->y += layout_height (unit);
    }
  if (nonempty (unit_address) != NULL)
    {
      g_autoptr(PangoLayout) addr = make_layout (p, unit_address, 10.0, FALSE, FALSE, width, PANGO_ALIGN_CENTER);

      show_layout_at (p, addr, text_x, p->y);
      p->y += layout_height (addr);
    }
  if (logo != NULL)
    p->y = MAX (p->y, top + LOGO_SIZE);

  p->y += 4.0;
  cairo_set_line_width (p->cr, 2.0);
  cairo_move_to (p->cr, MARGIN_LEFT, p->y);
  cairo_line_to (p->cr, PAGE_WIDTH - MARGIN_RIGHT, p->y);
  cairo_stroke (p->cr);
  cairo_set_line_width (p->cr, 0.6);
  cairo_move_to (p->cr, MARGIN_LEFT, p->y + 2.5);
  cairo_line_to (p->cr, PAGE_WIDTH - MARGIN_RIGHT, p->y + 2.5);
  cairo_stroke (p->cr);
  p->y += 16.0;
}

/* The closing in the right column: BEFORE, the stamp box, AFTER (the
 * template's closing split at its marker line before the fields were put
 * in, so no field's text can move the stamp). */
static void
draw_closing (Page       *p,
              const char *before,
              const char *after)
{
  g_autoptr(PangoLayout) top = NULL;
  g_autoptr(PangoLayout) bottom = NULL;
  double total;

  top = make_layout (p, before, FONT_SIZE, FALSE, FALSE, LK_LETTER_STAMP_WIDTH, PANGO_ALIGN_CENTER);
  bottom = make_layout (p, after, FONT_SIZE, FALSE, FALSE, LK_LETTER_STAMP_WIDTH, PANGO_ALIGN_CENTER);
  total = (*before != '\0' ? layout_height (top) : 0) + LK_LETTER_STAMP_HEIGHT +
          (*after != '\0' ? layout_height (bottom) : 0);

  /* Kept together when it fits on a page of its own. */
  if (p->y + total > BODY_BOTTOM && total <= BODY_BOTTOM - MARGIN_TOP - 30.0)
    next_page (p);
  if (*before != '\0')
    flow_layout (p, top, CLOSING_X);
  if (p->y + LK_LETTER_STAMP_HEIGHT > BODY_BOTTOM)
    next_page (p);
  p->have_stamp = TRUE;
  p->stamp_page = (guint) p->page - 1;
  p->stamp_rect[0] = CLOSING_X;
  p->stamp_rect[1] = PAGE_HEIGHT - p->y - LK_LETTER_STAMP_HEIGHT;
  p->stamp_rect[2] = LK_LETTER_STAMP_WIDTH;
  p->stamp_rect[3] = LK_LETTER_STAMP_HEIGHT;
  p->y += LK_LETTER_STAMP_HEIGHT;
  if (*after != '\0')
    flow_layout (p, bottom, CLOSING_X);
}

static gboolean
template_uses (const LkLetterTemplate *self,
               const char             *placeholder)
{
  const char *texts[] = { self->agency, self->office, self->subject, self->addressee,
                          self->body, self->closing, self->footer };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL && strstr (texts[i], placeholder) != NULL)
      return TRUE;
  return FALSE;
}



/* Public API */

/**
 * lk_letter_template_render:
 *
 * See lk-letter-template.h. Nothing is written when a field the template
 * uses is missing, the logo cannot be read, or the case is not loaded.
 */
gboolean
lk_letter_template_render (const LkLetterTemplate   *self,
                           LkCase                   *kase,
                           LkServiceType            *service,
                           const LkLetterRenderInfo *info,
                           const char               *out_path,
                           GError                  **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *qr_url = NULL;
  g_autofree char *keywords = NULL;
  g_autofree char *title = NULL;
  g_autofree char *iso = NULL;
  g_autoptr(LkQr) qr = NULL;
  g_auto(LkLetterTexts) t = { 0 };
  cairo_surface_t *logo = NULL;
  cairo_surface_t *surface;
  cairo_font_options_t *options;
  cairo_status_t status;
  GDateTime *date;
  LkLetterValues v = { { 0 } };
  Page p = { 0 };
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (LK_IS_CASE (kase), FALSE);
  g_return_val_if_fail (LK_IS_SERVICE_TYPE (service), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lk_case_is_complete (kase))
    {
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD,
                           _("The letter cannot be drafted: the case’s details are not loaded yet."));
      return FALSE;
    }
  if (info->letter_id != NULL && (!lk_letter_id_is_valid (info->letter_id) || info->public_url == NULL))
    {
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                           _("The letter cannot be drafted: its id or the server’s public address is not valid."));
      return FALSE;
    }

  date = info->date;
  if (date == NULL)
    date = now = g_date_time_new_now_local ();
  date_text = lk_letter_draft_format_date (date);

  v.values[F_RECEIPT] = lk_case_get_receipt (kase);
  v.values[F_APPLICANT_NAME] = lk_case_get_applicant_name (kase);
  v.values[F_NIK] = lk_case_get_nik (kase);
  v.values[F_ADDRESS] = lk_case_get_address (kase);
  v.values[F_BUSINESS_NAME] = lk_case_get_business_name (kase);
  v.values[F_NIB] = lk_case_get_nib (kase);
  v.values[F_SERVICE_NAME] = nonempty (lk_service_type_get_name (service)) != NULL
                             ? lk_service_type_get_name (service) : lk_case_get_service_name (kase);
  v.values[F_UNIT_NAME] = info->unit_name;
  v.values[F_UNIT_ADDRESS] = info->unit_address;
  v.values[F_NUMBER] = info->number != NULL ? info->number : DRAFT_NUMBER;
  v.values[F_DATE] = date_text;
  v.values[F_SIGNER_NAME] = info->signer_name;
  v.values[F_SIGNER_POSITION] = info->signer_position;
  v.values[F_SIGNER_NIP] = info->signer_nip;

  if (!lk_letter_texts_fill (&t, self, &v, error))
    return FALSE;

  if (info->letter_id != NULL)
    {
      qr_url = lk_letter_verify_url (info->public_url, info->letter_id);
      qr = lk_qr_encode (qr_url, error);
      if (qr == NULL)
        return FALSE;
    }
  if (info->logo_path != NULL && (logo = lk_letter_load_logo (info->logo_path, error)) == NULL)
    return FALSE;

  tmp_path = g_strdup_printf ("%s.XXXXXX", out_path);
  fd = g_mkstemp (tmp_path);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *dir = g_path_get_dirname (out_path);

      g_clear_pointer (&logo, cairo_surface_destroy);
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("Could not write the letter in “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);

  surface = cairo_pdf_surface_create (tmp_path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);

  p.cr = cairo_create (surface);
  p.context = pango_cairo_create_context (p.cr);
  p.draft = info->number == NULL;
  p.reference = info->number != NULL ? info->number : nonempty (lk_case_get_receipt (kase));
  if (p.reference == NULL)
    p.reference = "";
  p.footer = t.footer;
  p.qr = qr;
  p.qr_url = qr_url;
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (p.context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (p.context, 72.0);
  pango_context_set_language (p.context, pango_language_from_string ("id"));
  cairo_set_source_rgb (p.cr, 0, 0, 0);

  begin_page (&p);
  draw_letterhead (&p, t.agency, t.office, info->unit_name, info->unit_address, logo);
  flow_field (&p, 0, "Nomor", v.values[F_NUMBER], TRUE);
  if (!template_uses (self, "{{date}}"))
    flow_field (&p, 0, "Tanggal", date_text, FALSE);
  flow_field (&p, 0, "Sifat", "Biasa", FALSE);
  flow_field (&p, 0, "Lampiran", "-", FALSE);
  flow_field (&p, 0, "Perihal", t.subject, FALSE);
  skip (&p, 14.0);
  if (*t.addressee != '\0')
    {
      flow_text (&p, t.addressee, FALSE, MARGIN_LEFT, TEXT_WIDTH, PANGO_ALIGN_LEFT);
      skip (&p, 14.0);
    }
  flow_paragraphs (&p, t.body);
  skip (&p, 12.0);
  /* Blank signer lines at the end take no room. */
  g_strchomp (t.closing_after);
  draw_closing (&p, t.closing, t.closing_after);
  draw_footer (&p);
  cairo_show_page (p.cr);

  g_assert (p.have_stamp);
  keywords = lk_letter_info_to_keywords (info->letter_id, info->number, p.stamp_page, p.stamp_rect,
                                         info->template_version);
  if (info->number == NULL && nonempty (lk_case_get_receipt (kase)) != NULL)
    title = lk_letter_draft_document_name (lk_case_get_receipt (kase));
  else
    title = g_strdup_printf ("%s %s", t.subject, v.values[F_NUMBER]);
  iso = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S%:z");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, t.office);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, t.subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Loket");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, keywords);
  if (iso != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);

  g_object_unref (p.context);
  status = cairo_status (p.cr);
  cairo_destroy (p.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_clear_pointer (&logo, cairo_surface_destroy);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("Could not draw the letter: %s"), cairo_status_to_string (status));
      g_unlink (tmp_path);
      return FALSE;
    }
  if (g_rename (tmp_path, out_path) != 0)
    {
      int saved = errno;

      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("Could not save the letter as “%s”: %s"), out_path, g_strerror (saved));
      g_unlink (tmp_path);
      return FALSE;
    }

  g_debug ("Rendered the letter of case %s (%d pages, stamp on page %u)",
           lk_case_get_id (kase), p.page, p.stamp_page + 1);
  return TRUE;
}
