/* bench-pdf.c — the PDF preview: first page on screen, next page when cached
 *
 *   bench-pdf make DIR
 *       writes DIR/text.pdf (12 pages of text and line art, drawn with
 *       cairo) and DIR/scan.pdf (3 pages, each a 200 dpi JPEG the size of
 *       A4, as a scanned attachment is). tests/bench/run-pdf then rewrites
 *       them with pdftocairo and builds a 500-page file with qpdf.
 *
 *   bench-pdf view FILE WIDTH HEIGHT RUNS TURNS
 *       one window of WIDTH × HEIGHT holding an LkPdfView (fit width). Each
 *       run puts in a fresh view (so nothing is cached), then:
 *       first_ms  = lk_pdf_view_load_file → the frame clock's "after-paint"
 *                   of the first frame that shows page 1 rendered
 *                   (opened_ms: the document was open, "n-pages";
 *                   shown_ms: the texture was in the view, "rendered-page");
 *       next_ms   = "pdf.next-page" activated → "after-paint" of the frame
 *                   that shows it, for TURNS page turns, each after the
 *                   prefetch of that page had time to finish (cached=1 when
 *                   the page was on screen when the action returned).
 *                   frames: how many frames the clock drew until then (1 =
 *                   the very next frame);
 *       back_ms   = the same back to page 1 ("pdf.previous-page"): pages
 *                   whose textures were just on screen, the frame's floor.
 *       A warm-up run (GL shaders, fonts) is not counted. Prints key=value
 *       lines; the texture size is printed for pdftoppm to render the same
 *       pixels.
 *
 * Timings are printed, never asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <adwaita.h>

#include "lk-pdf-view.h"

static GtkWindow *window;
static LkPdfView *view;
static gint64     t_start;
static gint64     t_painted;
static gint64     t_loaded;      /* "n-pages" set: the worker opened it */
static gint64     t_shown;       /* "rendered-page" set: the texture is in */
static gboolean   armed;
static gint64     frame_start;   /* the frame clock's counter at the action */
static gint64     frame_painted;
static int        want_page;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  if (armed && t_painted == 0 && lk_pdf_view_get_rendered_page (view) == want_page)
    {
      t_painted = g_get_monotonic_time ();
      frame_painted = gdk_frame_clock_get_frame_counter (clock);
    }
}

static void
n_pages_cb (void)
{
  if (t_loaded == 0 && lk_pdf_view_get_n_pages (view) > 0)
    t_loaded = g_get_monotonic_time ();
}

static void
rendered_page_cb (void)
{
  if (t_shown == 0 && lk_pdf_view_get_rendered_page (view) == want_page)
    t_shown = g_get_monotonic_time ();
}

static double
wait_painted (void)
{
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!timed_out)
    {
      if (lk_pdf_view_get_error (view) != NULL)
        g_error ("%s", lk_pdf_view_get_error (view));
      if (t_painted != 0)
        {
          done = TRUE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (id);
  if (!done)
    g_error ("page %d was not painted", want_page + 1);
  armed = FALSE;
  return (t_painted - t_start) / 1000.0;
}

static void
new_view (void)
{
  view = LK_PDF_VIEW (lk_pdf_view_new ());
  g_signal_connect (view, "notify::n-pages", G_CALLBACK (n_pages_cb), NULL);
  g_signal_connect (view, "notify::rendered-page", G_CALLBACK (rendered_page_cb), NULL);
  gtk_window_set_child (window, GTK_WIDGET (view));
}

static int
bench_view (const char *file,
            int         width,
            int         height,
            int         runs,
            int         turns)
{
  GdkFrameClock *clock;
  gboolean mapped = FALSE;

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, width, height);
  new_view ();
  gtk_window_present (window);
  while (!mapped)
    {
      g_main_context_iteration (NULL, TRUE);
      mapped = gtk_widget_get_mapped (GTK_WIDGET (view)) && gtk_widget_get_width (GTK_WIDGET (view)) > 0;
    }
  spin_for (300);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  for (int run = -1; run < runs; run++)
    {
      int tex_w = 0, tex_h = 0;
      double first;

      /* A fresh view: its own worker and an empty cache. */
      new_view ();
      spin_for (200);

      want_page = 0;
      t_painted = t_loaded = t_shown = 0;
      armed = TRUE;
      t_start = g_get_monotonic_time ();
      lk_pdf_view_load_file (view, file);
      first = wait_painted ();
      lk_pdf_view_get_rendered_size (view, &tex_w, &tex_h);
      if (run >= 0)
        printf ("first_ms=%.2f opened_ms=%.2f shown_ms=%.2f width=%d height=%d pages=%d\n", first,
                (t_loaded - t_start) / 1000.0, (t_shown - t_start) / 1000.0, tex_w, tex_h,
                lk_pdf_view_get_n_pages (view));

      for (int turn = 0; turn < turns && want_page + 1 < lk_pdf_view_get_n_pages (view); turn++)
        {
          gboolean cached;
          double next, action;

          /* Time for the prefetch of the next page (and for the idle
           * desk: the officer reads the page). */
          spin_for (400);
          want_page++;
          t_painted = 0;
          armed = TRUE;
          frame_start = gdk_frame_clock_get_frame_counter (clock);
          t_start = g_get_monotonic_time ();
          g_action_group_activate_action (lk_pdf_view_get_actions (view), "next-page", NULL);
          action = (g_get_monotonic_time () - t_start) / 1000.0;
          cached = lk_pdf_view_get_rendered_page (view) == want_page;
          next = wait_painted ();
          if (run >= 0)
            printf ("next_ms=%.2f action_ms=%.3f cached=%d frames=%d page=%d\n", next, action, cached,
                    (int) (frame_painted - frame_start), want_page + 1);
        }

      /* Back over the same pages: cached, and their textures were on
       * screen a moment ago (GSK keeps their upload): the frame's floor. */
      while (want_page > 0)
        {
          double back;

          spin_for (100);
          want_page--;
          t_painted = 0;
          armed = TRUE;
          t_start = g_get_monotonic_time ();
          g_action_group_activate_action (lk_pdf_view_get_actions (view), "previous-page", NULL);
          back = wait_painted ();
          if (run >= 0)
            printf ("back_ms=%.2f page=%d\n", back, want_page + 1);
        }
      fflush (stdout);
    }

  gtk_window_destroy (window);
  return 0;
}

/* Fixtures ------------------------------------------------------------------ */

static const char *words[] = {
  "surat", "keterangan", "domisili", "usaha", "kelurahan", "kecamatan", "pemohon", "alamat",
  "nomor", "induk", "berusaha", "izin", "permohonan", "persyaratan", "dokumen", "lampiran",
  "pelayanan", "terpadu", "satu", "pintu", "tanggal", "tanda", "tangan", "pejabat",
};

static void
make_text (const char *path)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);
  guint32 seed = 7;

  for (int page = 0; page < 12; page++)
    {
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 16);
      cairo_move_to (cr, 60, 70);
      cairo_show_text (cr, "PEMERINTAH KOTA CONTOH — DPMPTSP");
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, 60, 80);
      cairo_line_to (cr, 535, 80);
      cairo_stroke (cr);
      cairo_select_font_face (cr, "Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 10);
      for (int line = 0; line < 58; line++)
        {
          GString *text = g_string_new (NULL);

          while (text->len < 95)
            {
              seed = seed * 1103515245 + 12345;
              g_string_append_printf (text, "%s ", words[(seed >> 16) % G_N_ELEMENTS (words)]);
            }
          cairo_move_to (cr, 60, 105 + 12 * line);
          cairo_show_text (cr, text->str);
          g_string_free (text, TRUE);
        }
      /* A table and a stamp. */
      for (int i = 0; i <= 4; i++)
        {
          cairo_move_to (cr, 60, 810 - 10 * i);
          cairo_line_to (cr, 300, 810 - 10 * i);
        }
      cairo_stroke (cr);
      cairo_arc (cr, 470, 780, 30, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.1, 0.2, 0.7, 0.8);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
}

static void
free_bytes (void *data)
{
  g_free (data);
}

static void
make_scan (const char *path)
{
  const int w = 1654, h = 2339;   /* A4 at 200 dpi */
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (int page = 0; page < 3; page++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
      guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
      int stride = gdk_pixbuf_get_rowstride (pixbuf);
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
      guchar *data = cairo_image_surface_get_data (image);
      int istride = cairo_image_surface_get_stride (image);
      g_autoptr(GError) error = NULL;
      gchar *jpeg = NULL;
      gsize jpeg_len = 0;

      /* Paper grey with noise, text-like dark bands: a scan. */
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            guint32 n = (guint32) (x * 2654435761u) ^ (guint32) (y * 40503u) ^ (guint32) page;
            int v = 235 + (int) (n % 15);
            if ((y / 22) % 2 == 0 && y > 200 && y < 2100 && x > 150 && x < 1500 && (n >> 8) % 3 == 0)
              v = 40 + (int) (n % 50);
            pixels[y * stride + x * 3 + 0] = v;
            pixels[y * stride + x * 3 + 1] = v;
            pixels[y * stride + x * 3 + 2] = v - 5;
            data[y * istride + x * 4 + 0] = v - 5;
            data[y * istride + x * 4 + 1] = v;
            data[y * istride + x * 4 + 2] = v;
            data[y * istride + x * 4 + 3] = 255;
          }
      cairo_surface_mark_dirty (image);
      if (!gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_len, "jpeg", &error, "quality", "85", NULL))
        g_error ("jpeg: %s", error->message);
      cairo_surface_set_mime_data (image, CAIRO_MIME_TYPE_JPEG, (guchar *) jpeg, jpeg_len, free_bytes, jpeg);

      cairo_save (cr);
      cairo_scale (cr, 595.0 / w, 842.0 / h);
      cairo_set_source_surface (cr, image, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_surface_destroy (image);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "make"))
    {
      g_autofree char *text = g_build_filename (argv[2], "text-cairo.pdf", NULL);
      g_autofree char *scan = g_build_filename (argv[2], "scan.pdf", NULL);

      make_text (text);
      make_scan (scan);
      return 0;
    }

  if (argc == 7 && g_str_equal (argv[1], "view"))
    {
      gtk_init ();
      adw_init ();
      return bench_view (argv[2], atoi (argv[3]), atoi (argv[4]), atoi (argv[5]), atoi (argv[6]));
    }

  fprintf (stderr, "usage: bench-pdf make DIR | view FILE WIDTH HEIGHT RUNS TURNS\n");
  return 2;
}
