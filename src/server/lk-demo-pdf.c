/* lk-demo-pdf.c — synthetic scanned documents (cairo-pdf + pangocairo)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "lk-demo-pdf.h"

#define PAGE_W 595.28   /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 56.0

typedef enum
{
  DRAW_STAMP,
  DRAW_CARD,
  DRAW_TABLE,
  DRAW_MAP,
  DRAW_PICTURE,
} DrawKind;

static const struct
{
  const char *title;
  DrawKind    draw;
} doc_info[LK_DEMO_N_DOCS] = {
  [LK_DEMO_DOC_PENGANTAR]   = { "Surat Pengantar RT/RW", DRAW_STAMP },
  [LK_DEMO_DOC_KTP]         = { "Scan KTP", DRAW_CARD },
  [LK_DEMO_DOC_KK]          = { "Kartu Keluarga", DRAW_TABLE },
  [LK_DEMO_DOC_DENAH]       = { "Denah Lokasi", DRAW_MAP },
  [LK_DEMO_DOC_FOTO_USAHA]  = { "Foto Tempat Usaha", DRAW_PICTURE },
  [LK_DEMO_DOC_PAS_FOTO]    = { "Pas Foto", DRAW_PICTURE },
  [LK_DEMO_DOC_PERNYATAAN]  = { "Surat Pernyataan", DRAW_STAMP },
  [LK_DEMO_DOC_REKLAME]     = { "Desain Reklame", DRAW_PICTURE },
  [LK_DEMO_DOC_STR]         = { "Surat Tanda Registrasi", DRAW_CARD },
  [LK_DEMO_DOC_REKOMENDASI] = { "Surat Rekomendasi Organisasi Profesi", DRAW_STAMP },
  [LK_DEMO_DOC_SKU]         = { "Surat Keterangan Usaha Kelurahan", DRAW_STAMP },
  [LK_DEMO_DOC_PERSETUJUAN] = { "Surat Persetujuan Pemilik Lahan", DRAW_TABLE },
};

static const char * const body_sentences[] = {
  "Yang bertanda tangan di bawah ini menerangkan bahwa data yang tercantum adalah benar.",
  "Dokumen ini merupakan contoh sintetis untuk keperluan demonstrasi aplikasi Loket.",
  "Seluruh nama, nomor, dan alamat di dalam dokumen ini bersifat rekaan.",
  "Demikian surat ini dibuat untuk dipergunakan sebagaimana mestinya.",
  "Pemohon telah melengkapi persyaratan sesuai ketentuan yang berlaku.",
  "Salinan dokumen ini sesuai dengan aslinya dan telah diperiksa oleh petugas.",
  "Lokasi berada di wilayah Kota Pontianak, Provinsi Kalimantan Barat.",
};

void
lk_demo_pdf_free (LkDemoPdf *pdf)
{
  if (pdf == NULL)
    return;
  g_free (pdf->title);
  g_free (pdf->sha256);
  g_clear_pointer (&pdf->data, g_bytes_unref);
  g_free (pdf);
}

const char *
lk_demo_doc_get_title (LkDemoDoc kind)
{
  g_return_val_if_fail (kind < LK_DEMO_N_DOCS, NULL);

  return doc_info[kind].title;
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static double
show_text (cairo_t    *cr,
           double      x,
           double      y,
           double      width,
           const char *font,
           const char *text)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);

  return (double) h / PANGO_SCALE;
}

static void
draw_stamp (cairo_t *cr,
            GRand   *rand,
            double   y)
{
  double cx = PAGE_W - MARGIN - 90 - g_rand_int_range (rand, 0, 60);
  double cy = y + 90;

  /* Signature scribble */
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.4);
  cairo_set_line_width (cr, 1.2);
  cairo_move_to (cr, cx - 120, cy + 10);
  for (int i = 0; i < 6; i++)
    cairo_rel_curve_to (cr, 10, -25, 20, 25, 18 + g_rand_double_range (rand, 0, 6), -4);
  cairo_stroke (cr);

  /* Round stamp */
  cairo_set_source_rgba (cr, 0.2, 0.3, 0.75, 0.8);
  cairo_set_line_width (cr, 3);
  cairo_arc (cr, cx, cy, 52, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_set_line_width (cr, 1);
  cairo_arc (cr, cx, cy, 44, 0, 2 * G_PI);
  cairo_stroke (cr);
  for (int i = 0; i < 5; i++)
    {
      double a = -G_PI / 2 + i * 4 * G_PI / 5;
      if (i == 0)
        cairo_move_to (cr, cx + 16 * cos (a), cy + 16 * sin (a));
      else
        cairo_line_to (cr, cx + 16 * cos (a), cy + 16 * sin (a));
    }
  cairo_close_path (cr);
  cairo_fill (cr);
  show_text (cr, cx - 40, cy + 18, 80, "DejaVu Sans Bold 6", "KETUA RT CONTOH");
}

static void
draw_card (cairo_t    *cr,
           GRand      *rand,
           double      y,
           const char *title)
{
  double x = MARGIN, w = 330, h = 205;

  cairo_set_source_rgb (cr, 0.80, 0.88, 0.96);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.3, 0.4, 0.6);
  cairo_set_line_width (cr, 1.5);
  cairo_rectangle (cr, x, y, w, h);
  cairo_stroke (cr);

  /* Photo placeholder */
  cairo_set_source_rgb (cr, 0.95 - g_rand_double_range (rand, 0, 0.2), 0.3, 0.3);
  cairo_rectangle (cr, x + w - 95, y + 45, 80, 100);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.9, 0.85, 0.8);
  cairo_arc (cr, x + w - 55, y + 80, 20, 0, 2 * G_PI);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_text (cr, x + 10, y + 8, w - 20, "DejaVu Sans Bold 9", title);
  show_text (cr, x + 10, y + 45, w - 120, "DejaVu Sans Mono 8",
             "NIK    : CONTOH\nNama   : CONTOH\nAlamat : KOTA PONTIANAK\n"
             "Status : SPESIMEN\nBerlaku: SEUMUR HIDUP");
}

static void
draw_table (cairo_t *cr,
            GRand   *rand,
            double   y)
{
  static const char * const heads[] = { "No", "Nama", "Hubungan", "Pekerjaan" };
  static const double cols[] = { 0, 40, 240, 360, PAGE_W - 2 * MARGIN };
  int rows = g_rand_int_range (rand, 3, 8);

  cairo_set_line_width (cr, 0.8);
  cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
  cairo_rectangle (cr, MARGIN, y, cols[4], 20);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int r = 0; r <= rows + 1; r++)
    {
      cairo_move_to (cr, MARGIN, y + r * 20);
      cairo_line_to (cr, MARGIN + cols[4], y + r * 20);
    }
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    {
      cairo_move_to (cr, MARGIN + cols[c], y);
      cairo_line_to (cr, MARGIN + cols[c], y + (rows + 1) * 20);
    }
  cairo_stroke (cr);
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    show_text (cr, MARGIN + cols[c] + 4, y + 4, cols[c + 1] - cols[c] - 8,
               "DejaVu Sans Bold 8", heads[c]);
  for (int r = 1; r <= rows; r++)
    {
      g_autofree char *no = g_strdup_printf ("%d", r);

      show_text (cr, MARGIN + 4, y + r * 20 + 4, 32, "DejaVu Sans 8", no);
      show_text (cr, MARGIN + cols[1] + 4, y + r * 20 + 4, 190, "DejaVu Sans 8",
                 "Anggota Contoh");
      show_text (cr, MARGIN + cols[2] + 4, y + r * 20 + 4, 110, "DejaVu Sans 8",
                 r == 1 ? "Kepala Keluarga" : "Anggota");
      show_text (cr, MARGIN + cols[3] + 4, y + r * 20 + 4, 120, "DejaVu Sans 8",
                 r == 1 ? "Wiraswasta" : "Pelajar");
    }
}

static void
draw_map (cairo_t *cr,
          GRand   *rand,
          double   y)
{
  double w = PAGE_W - 2 * MARGIN, h = 320;
  double px = MARGIN + g_rand_double_range (rand, 80, w - 80);
  double py = y + g_rand_double_range (rand, 60, h - 60);

  cairo_set_source_rgb (cr, 0.96, 0.95, 0.9);
  cairo_rectangle (cr, MARGIN, y, w, h);
  cairo_fill (cr);

  /* River (Sungai Kapuas) and streets */
  cairo_set_source_rgb (cr, 0.55, 0.75, 0.95);
  cairo_set_line_width (cr, 18);
  cairo_move_to (cr, MARGIN, y + h * 0.8);
  cairo_curve_to (cr, MARGIN + w * 0.3, y + h * 0.6, MARGIN + w * 0.6, y + h, MARGIN + w, y + h * 0.75);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 6);
  for (int i = 0; i < 4; i++)
    {
      double sx = MARGIN + g_rand_double_range (rand, 0, w);
      cairo_move_to (cr, sx, y);
      cairo_line_to (cr, sx + g_rand_double_range (rand, -40, 40), y + h * 0.65);
      cairo_move_to (cr, MARGIN, y + 40 + i * 50);
      cairo_line_to (cr, MARGIN + w, y + 40 + i * 50 + g_rand_double_range (rand, -20, 20));
    }
  cairo_stroke (cr);

  /* The location */
  cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
  cairo_arc (cr, px, py, 9, 0, 2 * G_PI);
  cairo_fill (cr);
  show_text (cr, px + 12, py - 6, 120, "DejaVu Sans Bold 9", "LOKASI");

  /* North arrow */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, MARGIN + w - 30, y + 15);
  cairo_line_to (cr, MARGIN + w - 38, y + 45);
  cairo_line_to (cr, MARGIN + w - 22, y + 45);
  cairo_close_path (cr);
  cairo_fill (cr);
  show_text (cr, MARGIN + w - 34, y + 48, 20, "DejaVu Sans Bold 9", "U");
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, MARGIN, y, w, h);
  cairo_stroke (cr);
}

static void
draw_picture (cairo_t *cr,
              GRand   *rand,
              double   y)
{
  double w = PAGE_W - 2 * MARGIN, h = 300;
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, y, 0, y + h);

  cairo_pattern_add_color_stop_rgb (sky, 0, 0.5, 0.7, 0.95);
  cairo_pattern_add_color_stop_rgb (sky, 1, 0.9, 0.9, 0.85);
  cairo_set_source (cr, sky);
  cairo_rectangle (cr, MARGIN, y, w, h);
  cairo_fill (cr);
  cairo_pattern_destroy (sky);

  /* A shop house (ruko) with a sign */
  cairo_set_source_rgb (cr, 0.75 + g_rand_double_range (rand, 0, 0.2), 0.6, 0.45);
  cairo_rectangle (cr, MARGIN + 60, y + 90, w - 120, h - 90);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.5, 0.2, 0.15);
  cairo_move_to (cr, MARGIN + 40, y + 90);
  cairo_line_to (cr, MARGIN + w / 2, y + 30);
  cairo_line_to (cr, MARGIN + w - 40, y + 90);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.2);
  cairo_rectangle (cr, MARGIN + 100, y + 105, w - 200, 35);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.3, 0.2, 0.1);
  for (int i = 0; i < 3; i++)
    {
      cairo_rectangle (cr, MARGIN + 90 + i * (w - 180) / 3, y + 170, (w - 180) / 3 - 20, h - 170);
      cairo_fill (cr);
    }
  show_text (cr, MARGIN + 110, y + 112, w - 220, "DejaVu Sans Bold 12", "USAHA CONTOH");
}

static GBytes *
render_pdf (GRand       *rand,
            LkDemoDoc    kind,
            int          variant,
            const char  *date,
            GError     **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  g_autofree char *when = g_strdup_printf ("%sT08:00:00+07:00", date);
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  int pages = g_rand_int_range (rand, 1, 7);

  surface = cairo_pdf_surface_create_for_stream (write_cb, buf, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc_info[kind].title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Loket demo");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, when);
  cr = cairo_create (surface);

  for (int page = 1; page <= pages; page++)
    {
      g_autoptr(GString) body = g_string_new (NULL);
      g_autofree char *head = NULL;
      double y = MARGIN;

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      y += show_text (cr, MARGIN, y, PAGE_W - 2 * MARGIN, "DejaVu Serif Bold 16",
                      doc_info[kind].title);
      head = g_strdup_printf ("Contoh %d — halaman %d dari %d — SPESIMEN, BUKAN DOKUMEN ASLI",
                              variant + 1, page, pages);
      y += show_text (cr, MARGIN, y + 4, PAGE_W - 2 * MARGIN, "DejaVu Sans 8", head) + 16;

      for (int i = 0, n = g_rand_int_range (rand, 3, 8); i < n; i++)
        {
          g_string_append (body, body_sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (body_sentences))]);
          g_string_append_c (body, ' ');
        }
      y += show_text (cr, MARGIN, y, PAGE_W - 2 * MARGIN, "DejaVu Serif 11", body->str) + 24;

      switch (doc_info[kind].draw)
        {
        case DRAW_STAMP:   draw_stamp (cr, rand, y); break;
        case DRAW_CARD:    draw_card (cr, rand, y, doc_info[kind].title); break;
        case DRAW_TABLE:   draw_table (cr, rand, y); break;
        case DRAW_MAP:     draw_map (cr, rand, y); break;
        case DRAW_PICTURE: draw_picture (cr, rand, y); break;
        default:           g_assert_not_reached ();
        }
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not draw the demo document “%s”: %s"),
                   doc_info[kind].title, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

GPtrArray *
lk_demo_pdf_make_pool (GRand       *rand,
                       const char  *date,
                       GError     **error)
{
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_demo_pdf_free);

  g_return_val_if_fail (rand != NULL, NULL);
  g_return_val_if_fail (date != NULL, NULL);

  for (int kind = 0; kind < LK_DEMO_N_DOCS; kind++)
    for (int v = 0; v < LK_DEMO_PDF_VARIANTS; v++)
      {
        g_autoptr(LkDemoPdf) pdf = g_new0 (LkDemoPdf, 1);

        pdf->kind = kind;
        pdf->title = g_strdup (doc_info[kind].title);
        pdf->data = render_pdf (rand, kind, v, date, error);
        if (pdf->data == NULL)
          return NULL;
        pdf->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf->data);
        g_ptr_array_add (pool, g_steal_pointer (&pdf));
      }

  return g_steal_pointer (&pool);
}
