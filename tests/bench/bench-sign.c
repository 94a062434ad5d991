/* bench-sign.c — inputs and in-process figures for tests/bench/run-sign
 *
 *   bench-sign letters DIR N       N one-page cairo letters DIR/letter-NNN.pdf
 *   bench-sign big OUT.pdf MB      a cairo PDF of about MB megabytes: pages of
 *                                  high-entropy (incompressible) images
 *   bench-sign batch MODULE KEY-URL OUT-DIR IN.pdf…
 *                                  one login, then lk_pades_sign per file;
 *                                  the PIN from $LOKET_BENCH_PIN
 *
 * Prints key=value lines for tests/bench/run-sign; no timing is asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-bench"

#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "sign/lk-pades.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"

#define A4_WIDTH  595.0
#define A4_HEIGHT 842.0

static const char * const body[] = {
  "Dengan hormat,",
  "",
  "Berdasarkan permohonan yang diterima oleh Dinas Penanaman Modal dan",
  "Pelayanan Terpadu Satu Pintu, dengan ini kami sampaikan bahwa berkas",
  "permohonan Saudara telah diperiksa dan dinyatakan lengkap. Izin yang",
  "dimohonkan telah diterbitkan dan dapat diambil di loket pelayanan pada",
  "hari dan jam kerja dengan membawa tanda terima asli.",
  "",
  "Demikian surat ini kami sampaikan. Atas perhatian Saudara kami ucapkan",
  "terima kasih.",
};

static gboolean
check_surface (cairo_surface_t  *surface,
               const char       *path,
               GError          **error)
{
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write %s: %s",
                   path, cairo_status_to_string (cairo_surface_status (surface)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_letter (const char  *path,
              guint        number,
              GError     **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *ref = g_strdup_printf ("Nomor: 503/%04u/DPMPTSP/2026", number);
  double y = 220;
  gboolean ok;

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 72, 90);
  cairo_show_text (cr, "PEMERINTAH KOTA PONTIANAK");
  cairo_set_font_size (cr, 12);
  cairo_move_to (cr, 72, 110);
  cairo_show_text (cr, "Dinas Penanaman Modal dan PTSP");
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, 72, 122);
  cairo_line_to (cr, A4_WIDTH - 72, 122);
  cairo_stroke (cr);

  cairo_select_font_face (cr, "serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  cairo_move_to (cr, 72, 160);
  cairo_show_text (cr, ref);
  cairo_move_to (cr, 72, 176);
  cairo_show_text (cr, "Perihal: Pemberitahuan penerbitan izin");
  for (guint i = 0; i < G_N_ELEMENTS (body); i++, y += 16)
    {
      cairo_move_to (cr, 72, y);
      cairo_show_text (cr, body[i]);
    }
  cairo_move_to (cr, 360, y + 40);
  cairo_show_text (cr, "Kepala Dinas,");
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = check_surface (surface, path, error);
  cairo_surface_destroy (surface);
  return ok;
}

/* Pages of 1024×1024 RGB images of random pixels: cairo stores them
 * deflated, which leaves random bytes at their size (~3 MiB a page). */
static gboolean
write_big (const char  *path,
           guint        megabytes,
           GError     **error)
{
  const int side = 1024;
  guint64 target = (guint64) megabytes * 1000 * 1000;
  guint pages = (guint) (target / ((guint64) side * side * 3)) + 1;
  cairo_surface_t *surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  GRand *rand = g_rand_new_with_seed (42);
  gboolean ok;

  for (guint p = 0; p < pages; p++)
    {
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
      guint32 *data;
      int stride;

      cairo_surface_flush (image);
      data = (guint32 *) cairo_image_surface_get_data (image);
      stride = cairo_image_surface_get_stride (image) / 4;
      for (int row = 0; row < side; row++)
        for (int col = 0; col < side; col++)
          data[row * stride + col] = g_rand_int (rand) & 0xffffff;
      cairo_surface_mark_dirty (image);

      cairo_save (cr);
      cairo_scale (cr, A4_WIDTH / side, A4_WIDTH / side);
      cairo_set_source_surface (cr, image, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_show_page (cr);
      cairo_surface_destroy (image);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = check_surface (surface, path, error);
  cairo_surface_destroy (surface);
  g_rand_free (rand);
  return ok;
}

static char *
env_pin_cb (const char      *token_label,
            LkTokenPinFlags  flags,
            guint            attempt,
            gpointer         user_data)
{
  const char *pin = g_getenv ("LOKET_BENCH_PIN");

  /* A rejected PIN is not asked again: the same one would fail again. */
  if (pin == NULL || attempt > 0)
    return NULL;
  return g_strdup (pin);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static gboolean
run_batch (const char   *module,
           const char   *key_url,
           const char   *out_dir,
           char        **inputs,
           int           n_inputs,
           GError      **error)
{
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  LkPadesOptions opts = { .reason = "Benchmark" };
  gint64 t0, t1, t_total;
  double sum = 0;

  t0 = g_get_monotonic_time ();
  if (!lk_token_init (module, error))
    return FALSE;
  key = lk_token_key_open (key_url, NULL, env_pin_cb, NULL, NULL, error);
  if (key == NULL)
    return FALSE;
  t1 = g_get_monotonic_time ();
  g_print ("batch_open_login_ms=%.2f\n", (t1 - t0) / 1000.0);

  t_total = g_get_monotonic_time ();
  for (int i = 0; i < n_inputs; i++)
    {
      g_autofree char *base = g_path_get_basename (inputs[i]);
      g_autofree char *out = g_build_filename (out_dir, base, NULL);
      gint64 s0 = g_get_monotonic_time ();
      double one;

      if (!lk_pades_sign (key, NULL, &opts, inputs[i], out, NULL, error))
        return FALSE;
      one = (g_get_monotonic_time () - s0) / 1000.0;
      g_array_append_val (ms, one);
      sum += one;
    }
  t1 = g_get_monotonic_time ();

  g_array_sort (ms, compare_double);
  g_print ("batch_n=%u\n", ms->len);
  g_print ("batch_sign_total_ms=%.2f\n", (t1 - t_total) / 1000.0);
  g_print ("batch_sign_median_ms=%.2f\n", g_array_index (ms, double, ms->len / 2));
  g_print ("batch_sign_mean_ms=%.2f\n", sum / ms->len);
  g_print ("batch_sign_max_ms=%.2f\n", g_array_index (ms, double, ms->len - 1));
  return TRUE;
}

static int
usage (void)
{
  g_printerr ("usage: bench-sign letters DIR N\n"
              "       bench-sign big OUT.pdf MB\n"
              "       bench-sign batch MODULE KEY-URL OUT-DIR IN.pdf…\n");
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (argc < 2)
    return usage ();

  if (strcmp (argv[1], "letters") == 0 && argc == 4)
    {
      guint n = (guint) g_ascii_strtoull (argv[3], NULL, 10);

      ok = g_mkdir_with_parents (argv[2], 0700) == 0;
      if (!ok)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", argv[2]);
      for (guint i = 1; ok && i <= n; i++)
        {
          g_autofree char *name = g_strdup_printf ("letter-%03u.pdf", i);
          g_autofree char *path = g_build_filename (argv[2], name, NULL);

          ok = write_letter (path, i, &error);
        }
    }
  else if (strcmp (argv[1], "big") == 0 && argc == 4)
    {
      ok = write_big (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10), &error);
    }
  else if (strcmp (argv[1], "batch") == 0 && argc >= 6)
    {
      ok = run_batch (argv[2], argv[3], argv[4], argv + 5, argc - 5, &error);
    }
  else
    return usage ();

  if (!ok)
    {
      g_printerr ("bench-sign: %s\n", error->message);
      return 1;
    }
  return 0;
}
