/* lk-letter-draft.c — the built-in letter template, rendered with cairo + pango
 *
 * The page is A4 in PDF points (cairo's origin top-left, y down). The body
 * flows line by line: a line that does not fit above the footer starts a new
 * page, and the signature block always sits on the last page at
 * lk_letter_draft_signature_rect(), left empty for the signer's stamp.
 *
 * The letter's text is Indonesian data, not UI: it is not translated. The
 * errors a person reads are.
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

#include "letter/lk-letter-draft.h"

#define PAGE_WIDTH   595.276   /* A4: 210 mm */
#define PAGE_HEIGHT  841.890   /* A4: 297 mm */
#define MARGIN_LEFT  70.87     /* 2.5 cm */
#define MARGIN_RIGHT 56.69     /* 2 cm */
#define MARGIN_TOP   42.52     /* 1.5 cm */
#define BODY_BOTTOM  (PAGE_HEIGHT - 85.0)   /* above the footer */
#define FOOTER_TOP   (PAGE_HEIGHT - 62.0)
#define TEXT_WIDTH   (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define LABEL_WIDTH  110.0     /* "Nomor tanda terima" */
#define COLON_WIDTH  10.0

/* The signature stamp's box, PDF points from the lower-left corner. */
#define SIG_X        340.0
#define SIG_Y        120.0
#define SIG_WIDTH    200.0
#define SIG_HEIGHT   70.0
#define SIG_LABEL_GAP 6.0

/* A Times-like face where there is one (letters of the Indonesian
 * government use Times New Roman or Arial), any serif otherwise. */
#define FONT_FAMILY  "Liberation Serif, Nimbus Roman, Tinos, Times New Roman, Serif"
#define FONT_SIZE    12.0

#define AGENCY_GOVERNMENT "PEMERINTAH KOTA PONTIANAK"
#define AGENCY_NAME       "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU"
#define AGENCY_CITY       "Pontianak"
#define SIGNER_LABEL      "a.n. KEPALA DINAS\nPENANAMAN MODAL DAN PTSP\nKOTA PONTIANAK"

#define DRAFT_PREFIX "Letter draft "

/* A bound on any one text of the letter (the store keeps fields shorter). */
#define MAX_TEXT_BYTES 16384

typedef struct
{
  cairo_t      *cr;
  PangoContext *context;
  double        y;          /* top of the next line */
  int           page;
  const char   *receipt;
} Page;

G_DEFINE_QUARK (lk-letter-error-quark, lk_letter_error)

static const char * const month_names[12] = {
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
};

/* Helpers */

static PangoLayout *
make_layout (Page       *p,
             const char *text,
             double      size,
             gboolean    bold,
             gboolean    italic,
             double      width,
             PangoAlignment align)
{
  PangoLayout *layout = pango_layout_new (p->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  g_autofree char *valid = NULL;

  if (text == NULL)
    text = "";
  /* Valid UTF-8 for pango; a cut through a character becomes U+FFFD. */
  valid = g_utf8_make_valid (text, (gssize) MIN (strlen (text), MAX_TEXT_BYTES));

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

/* Draws a whole layout at X, Y (its top), without page breaks. */
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
  g_autoptr(PangoLayout) footer = make_layout (p, LK_LETTER_DRAFT_FOOTER, 9.0, FALSE, TRUE,
                                               TEXT_WIDTH, PANGO_ALIGN_CENTER);

  cairo_save (p->cr);
  cairo_set_source_rgb (p->cr, 0.25, 0.25, 0.25);
  cairo_set_line_width (p->cr, 0.5);
  cairo_move_to (p->cr, MARGIN_LEFT, FOOTER_TOP - 4.0);
  cairo_line_to (p->cr, PAGE_WIDTH - MARGIN_RIGHT, FOOTER_TOP - 4.0);
  cairo_stroke (p->cr);
  show_layout_at (p, footer, MARGIN_LEFT, FOOTER_TOP);
  cairo_restore (p->cr);
}

/* The draft mark, top right of every page, until the letter has a number. */
static void
draw_draft_mark (Page *p)
{
  g_autoptr(PangoLayout) mark = make_layout (p, "DRAFT", 12.0, TRUE, FALSE, 120.0, PANGO_ALIGN_RIGHT);
  double x = PAGE_WIDTH - MARGIN_RIGHT - 120.0;
  double h = layout_height (mark);

  cairo_save (p->cr);
  cairo_set_source_rgb (p->cr, 0.75, 0.1, 0.1);
  show_layout_at (p, mark, x, 18.0);
  cairo_set_line_width (p->cr, 1.0);
  {
    PangoRectangle ink;

    pango_layout_get_pixel_extents (mark, NULL, &ink);
    cairo_rectangle (p->cr, x + ink.x - 4.0, 18.0 - 2.0, ink.width + 8.0, h + 4.0);
  }
  cairo_stroke (p->cr);
  cairo_restore (p->cr);
}

static void
begin_page (Page *p)
{
  p->page++;
  draw_draft_mark (p);
  p->y = MARGIN_TOP;
  if (p->page > 1)
    {
      g_autofree char *text = g_strdup_printf ("Lanjutan surat %s — halaman %d", p->receipt, p->page);
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
flow_text (Page       *p,
           const char *text,
           gboolean    bold,
           PangoAlignment align)
{
  g_autoptr(PangoLayout) layout = make_layout (p, text, FONT_SIZE, bold, FALSE, TEXT_WIDTH, align);

  flow_layout (p, layout, MARGIN_LEFT);
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

  /* Labels are the template's own, one line each. */
  pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);

  /* The label goes beside the value's first line: start a page first when
   * that line does not fit. */
  pango_layout_line_get_extents (first, NULL, &logical);
  if (p->y + (double) logical.height / PANGO_SCALE > BODY_BOTTOM)
    next_page (p);
  show_layout_at (p, l, label_x, p->y);
  show_layout_at (p, colon, label_x + LABEL_WIDTH, p->y);
  flow_layout (p, v, value_x);
}

static void
skip (Page  *p,
      double points)
{
  p->y += points;
  if (p->y > BODY_BOTTOM)
    next_page (p);
}

static void
draw_letterhead (Page       *p,
                 const char *unit_name,
                 const char *unit_address)
{
  const double width = TEXT_WIDTH;
  g_autoptr(PangoLayout) gov = make_layout (p, AGENCY_GOVERNMENT, 15.0, TRUE, FALSE, width, PANGO_ALIGN_CENTER);
  g_autoptr(PangoLayout) agency = make_layout (p, AGENCY_NAME, 13.0, TRUE, FALSE, width, PANGO_ALIGN_CENTER);

  show_layout_at (p, gov, MARGIN_LEFT, p->y);
  p->y += layout_height (gov);
  show_layout_at (p, agency, MARGIN_LEFT, p->y);
  p->y += layout_height (agency);
  if (unit_name != NULL && *unit_name != '\0')
    {
      g_autoptr(PangoLayout) unit = make_layout (p, unit_name, 12.0, FALSE, FALSE, width, PANGO_ALIGN_CENTER);

      show_layout_at (p, unit, MARGIN_LEFT, p->y);
      p->y += layout_height (unit);
    }
  if (unit_address != NULL && *unit_address != '\0')
    {
      g_autoptr(PangoLayout) addr = make_layout (p, unit_address, 10.0, FALSE, FALSE, width, PANGO_ALIGN_CENTER);

      show_layout_at (p, addr, MARGIN_LEFT, p->y);
      p->y += layout_height (addr);
    }

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

/* The block above the stamp's box, on the current (last) page. */
static void
draw_signature_block (Page *p)
{
  double rect[4];
  double box_top;
  g_autoptr(PangoLayout) label = NULL;
  double label_height;

  lk_letter_draft_signature_rect (rect);
  box_top = PAGE_HEIGHT - rect[1] - rect[3];
  label = make_layout (p, SIGNER_LABEL, FONT_SIZE, FALSE, FALSE, rect[2], PANGO_ALIGN_CENTER);
  label_height = layout_height (label);

  if (p->y + 12.0 > box_top - SIG_LABEL_GAP - label_height)
    next_page (p);

  show_layout_at (p, label, rect[0], box_top - SIG_LABEL_GAP - label_height);
  /* The box itself stays empty: the signer's stamp goes there. */
  p->y = box_top + rect[3];
}

static const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

static gboolean
check_fields (LkCase         *kase,
              LkServiceType  *service,
              GError        **error)
{
  const char *message = NULL;

  if (nonempty (lk_case_get_receipt (kase)) == NULL)
    message = _("The letter cannot be drafted: the case has no receipt number.");
  else if (nonempty (lk_case_get_applicant_name (kase)) == NULL)
    message = _("The letter cannot be drafted: the case has no applicant name. Add it to the case first.");
  else if (nonempty (lk_case_get_nik (kase)) == NULL)
    message = _("The letter cannot be drafted: the case has no NIK. Add the applicant’s NIK first.");
  else if (nonempty (lk_case_get_address (kase)) == NULL)
    message = _("The letter cannot be drafted: the case has no address. Add the applicant’s address first.");
  else if (nonempty (lk_service_type_get_name (service)) == NULL)
    message = _("The letter cannot be drafted: the service type has no name.");
  else if (lk_service_type_get_needs_business (service) &&
           nonempty (lk_case_get_business_name (kase)) == NULL)
    message = _("The letter cannot be drafted: this service needs the business name. Add it to the case first.");
  else if (lk_service_type_get_needs_business (service) &&
           nonempty (lk_case_get_nib (kase)) == NULL)
    message = _("The letter cannot be drafted: this service needs the business’s NIB. Add it to the case first.");

  if (message != NULL)
    {
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD, message);
      return FALSE;
    }
  return TRUE;
}

static void
draw_letter (Page          *p,
             LkCase        *kase,
             LkServiceType *service,
             const char    *unit_name,
             const char    *unit_address,
             GDateTime     *date)
{
  const char *service_name = lk_service_type_get_name (service);
  g_autofree char *date_text = lk_letter_draft_format_date (date);
  g_autofree char *place_date = g_strdup_printf ("%s, %s", AGENCY_CITY, date_text);
  g_autofree char *created_text = NULL;
  g_autofree char *opening = NULL;
  g_autofree char *decision = NULL;
  g_autofree char *to_name = g_strdup_printf ("Sdr. %s", lk_case_get_applicant_name (kase));

  if (lk_case_get_created_at (kase) > 0)
    {
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (lk_case_get_created_at (kase));

      if (created != NULL)
        created_text = lk_letter_draft_format_date (created);
    }

  begin_page (p);
  draw_letterhead (p, unit_name, unit_address);

  /* The place and date, right, then the number lines. */
  {
    g_autoptr(PangoLayout) pd = make_layout (p, place_date, FONT_SIZE, FALSE, FALSE, TEXT_WIDTH, PANGO_ALIGN_RIGHT);

    show_layout_at (p, pd, MARGIN_LEFT, p->y);
    p->y += layout_height (pd) + 6.0;
  }
  flow_field (p, 0, "Nomor", "DRAFT — belum bernomor", TRUE);
  flow_field (p, 0, "Sifat", "Biasa", FALSE);
  flow_field (p, 0, "Lampiran", "-", FALSE);
  flow_field (p, 0, "Perihal", service_name, FALSE);
  skip (p, 14.0);

  flow_text (p, "Kepada Yth.", FALSE, PANGO_ALIGN_LEFT);
  flow_text (p, to_name, TRUE, PANGO_ALIGN_LEFT);
  flow_text (p, lk_case_get_address (kase), FALSE, PANGO_ALIGN_LEFT);
  flow_text (p, "di\n    Tempat", FALSE, PANGO_ALIGN_LEFT);
  skip (p, 14.0);

  flow_text (p, "Dengan hormat,", FALSE, PANGO_ALIGN_LEFT);
  skip (p, 6.0);
  if (created_text != NULL)
    opening = g_strdup_printf ("Menindaklanjuti permohonan %s yang Saudara ajukan dengan nomor tanda terima %s "
                               "tanggal %s, dengan data sebagai berikut:",
                               service_name, lk_case_get_receipt (kase), created_text);
  else
    opening = g_strdup_printf ("Menindaklanjuti permohonan %s yang Saudara ajukan dengan nomor tanda terima %s, "
                               "dengan data sebagai berikut:",
                               service_name, lk_case_get_receipt (kase));
  flow_text (p, opening, FALSE, PANGO_ALIGN_LEFT);
  skip (p, 6.0);

  flow_field (p, 24.0, "Nomor tanda terima", lk_case_get_receipt (kase), FALSE);
  flow_field (p, 24.0, "Nama pemohon", lk_case_get_applicant_name (kase), FALSE);
  flow_field (p, 24.0, "NIK", lk_case_get_nik (kase), FALSE);
  flow_field (p, 24.0, "Alamat", lk_case_get_address (kase), FALSE);
  if (lk_service_type_get_needs_business (service))
    {
      flow_field (p, 24.0, "Nama usaha", lk_case_get_business_name (kase), FALSE);
      flow_field (p, 24.0, "NIB", lk_case_get_nib (kase), FALSE);
    }
  skip (p, 6.0);

  if (lk_case_get_state (kase) == LK_CASE_STATE_REJECTED)
    decision = g_strdup_printf ("bersama ini kami sampaikan bahwa setelah diperiksa, permohonan %s tersebut "
                                "tidak dapat dikabulkan karena belum memenuhi persyaratan sesuai ketentuan "
                                "peraturan perundang-undangan yang berlaku.", service_name);
  else
    decision = g_strdup_printf ("bersama ini kami sampaikan bahwa permohonan %s tersebut telah diperiksa, "
                                "memenuhi persyaratan sesuai ketentuan peraturan perundang-undangan yang "
                                "berlaku, dan dikabulkan.", service_name);
  flow_text (p, decision, FALSE, PANGO_ALIGN_LEFT);
  skip (p, 6.0);
  flow_text (p, "Demikian surat ini disampaikan untuk dipergunakan sebagaimana mestinya.", FALSE,
             PANGO_ALIGN_LEFT);
  skip (p, 12.0);

  draw_signature_block (p);
  draw_footer (p);
  cairo_show_page (p->cr);
}

static void
set_metadata (cairo_surface_t *surface,
              LkCase          *kase,
              GDateTime       *date)
{
  g_autofree char *title = lk_letter_draft_document_name (lk_case_get_receipt (kase));
  g_autofree char *iso = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S%:z");

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, AGENCY_NAME);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Loket");
  if (iso != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
}

/* Public API */

/**
 * lk_letter_draft_render_for_unit:
 * @unit_name: (nullable): the issuing unit's name for the letterhead
 * @unit_address: (nullable): its address
 *
 * lk_letter_draft_render() with the unit's name and address, which the case
 * only names by id.
 */
gboolean
lk_letter_draft_render_for_unit (LkCase         *kase,
                                 LkServiceType  *service,
                                 const char     *unit_name,
                                 const char     *unit_address,
                                 GDateTime      *date,
                                 const char     *out_path,
                                 GError        **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *tmp_path = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_font_options_t *options;
  Page p = { 0 };
  int fd;

  g_return_val_if_fail (LK_IS_CASE (kase), FALSE);
  g_return_val_if_fail (LK_IS_SERVICE_TYPE (service), FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lk_case_is_complete (kase))
    {
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD,
                           _("The letter cannot be drafted: the case’s details are not loaded yet."));
      return FALSE;
    }
  if (!check_fields (kase, service, error))
    return FALSE;

  if (date == NULL)
    date = now = g_date_time_new_now_local ();

  tmp_path = g_strdup_printf ("%s.XXXXXX", out_path);
  fd = g_mkstemp (tmp_path);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *dir = g_path_get_dirname (out_path);

      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("Could not write the letter in “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);

  surface = cairo_pdf_surface_create (tmp_path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);
  set_metadata (surface, kase, date);

  p.cr = cairo_create (surface);
  p.context = pango_cairo_create_context (p.cr);
  p.receipt = lk_case_get_receipt (kase);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (p.context, options);
  cairo_font_options_destroy (options);
  /* Sizes are PDF points: one point a unit, not pango's default 96 dpi. */
  pango_cairo_context_set_resolution (p.context, 72.0);
  pango_context_set_language (p.context, pango_language_from_string ("id"));

  cairo_set_source_rgb (p.cr, 0, 0, 0);
  draw_letter (&p, kase, service, unit_name, unit_address, date);

  g_object_unref (p.context);
  status = cairo_status (p.cr);
  cairo_destroy (p.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

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

  g_debug ("Drafted the letter of case %s (%d pages)", lk_case_get_id (kase), p.page);
  return TRUE;
}

gboolean
lk_letter_draft_render (LkCase         *kase,
                        LkServiceType  *service,
                        GDateTime      *date,
                        const char     *out_path,
                        GError        **error)
{
  return lk_letter_draft_render_for_unit (kase, service, NULL, NULL, date, out_path, error);
}

char *
lk_letter_draft_document_name (const char *receipt)
{
  g_return_val_if_fail (receipt != NULL, NULL);

  return g_strdup_printf (DRAFT_PREFIX "%s.pdf", receipt);
}

gboolean
lk_letter_draft_is_draft_name (const char *name)
{
  return name != NULL && g_str_has_prefix (name, DRAFT_PREFIX) && g_str_has_suffix (name, ".pdf");
}

void
lk_letter_draft_signature_rect (double rect[4])
{
  rect[0] = SIG_X;
  rect[1] = SIG_Y;
  rect[2] = SIG_WIDTH;
  rect[3] = SIG_HEIGHT;
}

char *
lk_letter_draft_format_date (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  return g_strdup_printf ("%d %s %d",
                          g_date_time_get_day_of_month (date),
                          month_names[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date));
}
