/* bench-letter.c — rendering one letter (built-in template → PDF)
 *
 *   bench-letter [RUNS] [KEEP.pdf]
 *        renders the draft of a demo-like case RUNS times (50 by default,
 *        after 3 warm-up renders) into a temporary directory, then the
 *        numbered letter (number, letter id, QR code, /Keywords) as many
 *        times; KEEP.pdf: keep a copy of the numbered letter there
 *
 * Prints key=value lines (milliseconds): letter_render_median_ms,
 * letter_render_p95_ms, letter_render_first_ms (the first render, which
 * loads the fonts), letter_bytes, and numbered_render_median_ms,
 * numbered_render_p95_ms, numbered_bytes. No timing is asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-bench"

#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template.h"
#include "model/lk-model-private.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCase) kase = g_object_new (LK_TYPE_CASE, NULL);
  g_autoptr(LkServiceType) service = g_object_new (LK_TYPE_SERVICE_TYPE, NULL);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree double *times = NULL;
  GStatBuf st;
  int runs = argc > 1 ? atoi (argv[1]) : 50;
  const char *keep = argc > 2 ? argv[2] : NULL;
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autofree char *letter_id = lk_letter_new_id ();
  g_autofree char *numbered = NULL;
  LkLetterRenderInfo info = { 0 };

  if (runs < 1)
    runs = 1;

  service->id = g_strdup ("svc-sku");
  service->code = g_strdup ("SKU");
  service->name = g_strdup ("Surat Keterangan Usaha");
  service->sla_days = 3;
  service->number_format = g_strdup ("503/{seq:04}/{unit}/{year}");
  service->needs_business = TRUE;

  kase->id = g_strdup ("c0ffee00-0000-4000-8000-000000000001");
  kase->receipt = g_strdup ("SKU-20261125-0042");
  kase->service_type_id = g_strdup ("svc-sku");
  kase->unit = g_strdup ("unit");
  kase->state = LK_CASE_STATE_APPROVED;
  kase->applicant_name = g_strdup ("Siti Nurhaliza Lestari");
  kase->nik = g_strdup ("6171055203900001");
  kase->address = g_strdup ("Jl. Gajah Mada No. 12, RT 003/RW 005, Kelurahan Benua Melayu Darat, "
                            "Kecamatan Pontianak Selatan, Kota Pontianak");
  kase->business_name = g_strdup ("Warung Berkah Khatulistiwa");
  kase->nib = g_strdup ("9120301234567");
  kase->created_at = g_get_real_time () / G_USEC_PER_SEC;
  kase->complete = TRUE;

  dir = g_dir_make_tmp ("loket-bench-letter-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "draft.pdf", NULL);

  times = g_new (double, runs);
  for (int i = -3; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (!lk_letter_draft_render_for_unit (kase, service, "Kecamatan Pontianak Selatan",
                                            "Jl. Ahmad Yani, Kota Pontianak", NULL, path, &error))
        g_error ("%s", error->message);
      if (i == -3)
        g_print ("letter_render_first_ms=%.2f\n", (g_get_monotonic_time () - start) / 1000.0);
      if (i >= 0)
        times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  qsort (times, runs, sizeof (double), compare_double);
  g_print ("letter_render_runs=%d\n", runs);
  g_print ("letter_render_median_ms=%.2f\n",
           runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2);
  g_print ("letter_render_p95_ms=%.2f\n", times[MIN (runs - 1, (int) (0.95 * runs + 0.999) - 1)]);
  if (g_stat (path, &st) == 0)
    g_print ("letter_bytes=%" G_GINT64_FORMAT "\n", (gint64) st.st_size);


  /* The numbered letter: the same template with a number, an id and its
   * QR code, as an officer's desk renders it. */
  template = lk_letter_template_new_default (service);
  numbered = g_build_filename (dir, "letter.pdf", NULL);
  info.unit_name = "Kecamatan Pontianak Selatan";
  info.unit_address = "Jl. Ahmad Yani, Kota Pontianak";
  info.number = "503/0112/DPMPTSP/2026";
  info.letter_id = letter_id;
  info.public_url = "https://loket.example.go.id";
  info.signer_name = "Drs. Ahmad Fauzi, M.Si.";
  info.signer_position = "Kepala Dinas";
  info.signer_nip = "197001012000031001";
  for (int i = -3; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (!lk_letter_template_render (template, kase, service, &info, numbered, &error))
        g_error ("%s", error->message);
      if (i >= 0)
        times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, runs, sizeof (double), compare_double);
  g_print ("numbered_render_median_ms=%.2f\n",
           runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2);
  g_print ("numbered_render_p95_ms=%.2f\n", times[MIN (runs - 1, (int) (0.95 * runs + 0.999) - 1)]);
  if (g_stat (numbered, &st) == 0)
    g_print ("numbered_bytes=%" G_GINT64_FORMAT "\n", (gint64) st.st_size);
  if (keep != NULL)
    {
      g_autofree char *contents = NULL;
      gsize len;

      if (!g_file_get_contents (numbered, &contents, &len, &error) ||
          !g_file_set_contents (keep, contents, (gssize) len, &error))
        g_error ("%s", error->message);
    }

  g_unlink (numbered);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
