/* bench-letters-sign.c — a signer's batch end to end: render, sign and
 * verify N numbered letters with one login on a SoftHSM2 token
 *
 *   bench-letters-sign [N] [KEEP-DIR]
 *        N letters (100 by default) from the built-in template, each with
 *        its number, letter id and QR code; each signed visibly at its
 *        marker (name, position, NIP, QR code) with lk_pades_sign and
 *        checked with lk_pades_verify_file against the token's CA.
 *        KEEP-DIR: leave the signed letters there (letter-NNN.pdf) and the
 *        CA as ca.pem, for tests/bench/run-letters to time pdfsig on them.
 *
 * The token (tests/sign/lk-test-token.c: RSA-2048 on SoftHSM2) is made
 * before the clock starts. Prints key=value lines (milliseconds): login_ms,
 * render_ms, sign_ms, verify_ms (totals over the batch), batch_ms (render +
 * sign + verify, login excluded), batch_with_login_ms, per_letter_ms,
 * render_median_ms, sign_median_ms, verify_median_ms. No timing is
 * asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-template.h"
#include "model/lk-model-private.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-verify.h"
#include "sign/lk-sign-batch.h"
#include "sign/lk-token-key.h"

#include "lk-test-token.h"
#include "lk-test-util.h"

#define PUBLIC_URL "https://loket.example.go.id"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (double *values,
        int     n)
{
  qsort (values, n, sizeof (double), compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTestToken) token = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(LkCase) kase = g_object_new (LK_TYPE_CASE, NULL);
  g_autoptr(LkServiceType) service = g_object_new (LK_TYPE_SERVICE_TYPE, NULL);
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autofree char *dir = NULL;
  g_autofree double *render_t = NULL, *sign_t = NULL, *verify_t = NULL;
  const char *keep = argc > 2 ? argv[2] : NULL;
  int n = argc > 1 ? atoi (argv[1]) : 100;
  double login_ms, render_sum = 0, sign_sum = 0, verify_sum = 0;
  gint64 start;

  if (n < 1)
    n = 1;

  service->id = g_strdup ("svc-sku");
  service->code = g_strdup ("SKU");
  service->name = g_strdup ("Surat Keterangan Usaha");
  service->needs_business = TRUE;
  kase->id = g_strdup ("c0ffee00-0000-4000-8000-000000000001");
  kase->receipt = g_strdup ("SKU-20261125-0042");
  kase->service_type_id = g_strdup ("svc-sku");
  kase->unit = g_strdup ("unit");
  kase->state = LK_CASE_STATE_AWAITING_SIGNATURE;
  kase->applicant_name = g_strdup ("Siti Nurhaliza Lestari");
  kase->nik = g_strdup ("6171055203900001");
  kase->address = g_strdup ("Jl. Gajah Mada No. 12, RT 003/RW 005, Kelurahan Benua Melayu Darat, "
                            "Kecamatan Pontianak Selatan, Kota Pontianak");
  kase->business_name = g_strdup ("Warung Berkah Khatulistiwa");
  kase->nib = g_strdup ("9120301234567");
  kase->complete = TRUE;
  template = lk_letter_template_new_default (service);

  token = lk_test_token_new ("loket-bench-letters", TRUE, &error);
  if (token == NULL)
    g_error ("No SoftHSM2 token: %s", error->message);
  if (!lk_sign_batch_init_modules (NULL, &error))
    g_error ("%s", error->message);

  if (keep != NULL)
    {
      if (g_mkdir_with_parents (keep, 0700) != 0)
        g_error ("Cannot make %s", keep);
      dir = g_strdup (keep);
    }
  else
    dir = lk_test_make_tmpdir ("bench-letters-sign");

  /* One login for the whole batch. */
  start = g_get_monotonic_time ();
  key = lk_token_key_open (token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  if (key == NULL)
    g_error ("%s", error->message);
  login_ms = ms_since (start);

  render_t = g_new (double, n);
  sign_t = g_new (double, n);
  verify_t = g_new (double, n);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *id = lk_letter_new_id ();
      g_autofree char *number = g_strdup_printf ("503/%04d/DPMPTSP/2026", i + 1);
      g_autofree char *draft = g_strdup_printf ("%s/draft-%03d.pdf", dir, i);
      g_autofree char *out = g_strdup_printf ("%s/letter-%03d.pdf", dir, i);
      g_autofree char *url = NULL;
      g_autoptr(LkLetterInfo) info = NULL;
      g_autoptr(LkPadesVerifyReport) report = NULL;
      const char *trust[] = { token->ca_pem, NULL };
      LkLetterRenderInfo ri = { 0 };
      LkPadesOptions opts = { 0 };

      ri.unit_name = "Kecamatan Pontianak Selatan";
      ri.number = number;
      ri.letter_id = id;
      ri.public_url = PUBLIC_URL;
      ri.signer_name = "Drs. Ahmad Fauzi, M.Si.";
      ri.signer_position = "Kepala Dinas";
      ri.signer_nip = "197001012000031001";

      start = g_get_monotonic_time ();
      if (!lk_letter_template_render (template, kase, service, &ri, draft, &error))
        g_error ("%s", error->message);
      render_t[i] = ms_since (start);

      /* What lk_sign_batch_sign_letter does: the letter says where. */
      start = g_get_monotonic_time ();
      info = lk_letter_read_info_file (draft, &error);
      if (info == NULL)
        g_error ("%s", error->message);
      url = lk_letter_verify_url (PUBLIC_URL, info->letter_id);
      opts.reason = "Persetujuan";
      opts.location = "Pontianak";
      opts.signer_name = ri.signer_name;
      opts.signer_position = ri.signer_position;
      opts.signer_nip = ri.signer_nip;
      opts.qr_text = url;
      opts.visible = TRUE;
      opts.page = info->page;
      memcpy (opts.rect, info->rect, sizeof opts.rect);
      if (!lk_pades_sign (key, NULL, &opts, draft, out, NULL, &error))
        g_error ("%s", error->message);
      sign_t[i] = ms_since (start);

      start = g_get_monotonic_time ();
      report = lk_pades_verify_file (out, trust, &error);
      if (report == NULL)
        g_error ("%s", error->message);
      if (!report->ok)
        g_error ("letter %d did not verify", i);
      verify_t[i] = ms_since (start);

      render_sum += render_t[i];
      sign_sum += sign_t[i];
      verify_sum += verify_t[i];
      g_unlink (draft);
    }

  g_print ("letters=%d\n", n);
  g_print ("login_ms=%.2f\n", login_ms);
  g_print ("render_ms=%.2f\n", render_sum);
  g_print ("sign_ms=%.2f\n", sign_sum);
  g_print ("verify_ms=%.2f\n", verify_sum);
  g_print ("batch_ms=%.2f\n", render_sum + sign_sum + verify_sum);
  g_print ("batch_with_login_ms=%.2f\n", login_ms + render_sum + sign_sum + verify_sum);
  g_print ("per_letter_ms=%.2f\n", (render_sum + sign_sum + verify_sum) / n);
  g_print ("render_median_ms=%.2f\n", median (render_t, n));
  g_print ("sign_median_ms=%.2f\n", median (sign_t, n));
  g_print ("verify_median_ms=%.2f\n", median (verify_t, n));

  if (keep != NULL)
    {
      g_autofree char *ca = g_build_filename (keep, "ca.pem", NULL);
      g_autofree char *pem = NULL;
      gsize len;

      if (!g_file_get_contents (token->ca_pem, &pem, &len, &error) ||
          !g_file_set_contents (ca, pem, (gssize) len, &error))
        g_error ("%s", error->message);
    }
  else
    lk_test_rm_rf (dir);

  g_clear_object (&key);
  g_clear_pointer (&token, lk_test_token_free);
  lk_test_token_cleanup ();
  return 0;
}
