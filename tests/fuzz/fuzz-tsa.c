/* fuzz-tsa.c — an RFC 3161 TimeStampToken as a TSA answers it
 *
 * bytes → lk_tsa_check_token over fixed data, without and with a nonce.
 * Checks: it succeeds (and then gives the token's time), or it fails with
 * an LK_TSA_ERROR. The seeds made by `openssl ts -reply` are over
 * FUZZ_TSA_DATA, so the success path is reached too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "sign/lk-tsa.h"

/* What the seed tokens timestamp. corpus/tsa was made with a throwaway
 * P-256 TSA (extendedKeyUsage critical timeStamping, the config of
 * tests/sign/lk-test-tsa.c): `openssl ts -query -data F -sha256 -cert
 * [-no_nonce]` (token-nonce*, token-sha512 with -sha512, token-no-cert
 * without -cert), `openssl ts -reply -config C -queryfile Q`, then
 * `openssl ts -reply -in R -token_out`; token-indef is token-nonce-none
 * with its outer SEQUENCE made BER indefinite-length, token-trunc-* are
 * cut short, cms-not-token is a SignedData of id-data. */
#define FUZZ_TSA_DATA "loket fuzz tsa data\n"

static const guint8 fuzz_nonce[] = { 0x01, 0x23, 0x45, 0x67 };

static gboolean
check_once (GBytes *token,
            GBytes *data,
            GBytes *nonce)
{
  g_autoptr(GError) error = NULL;
  gint64 gen_time = G_MININT64;
  gboolean ok;

  ok = lk_tsa_check_token (token, data, nonce, &gen_time, &error);
  if (ok)
    {
      if (error != NULL)
        fuzz_fail ("lk_tsa_check_token succeeded and set an error");
      if (gen_time == G_MININT64)
        fuzz_fail ("lk_tsa_check_token succeeded without giving the time");
      return TRUE;
    }
  if (error == NULL)
    fuzz_fail ("lk_tsa_check_token failed without an error");
  if (error->domain != LK_TSA_ERROR)
    fuzz_fail ("lk_tsa_check_token failed with an error outside LK_TSA_ERROR: %s",
               error->message);
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) token = g_bytes_new (data, size);
  g_autoptr(GBytes) content = g_bytes_new_static (FUZZ_TSA_DATA, strlen (FUZZ_TSA_DATA));
  g_autoptr(GBytes) nonce = g_bytes_new_static (fuzz_nonce, sizeof fuzz_nonce);

  gboolean ok = check_once (token, content, NULL);

  check_once (token, content, nonce);
  /* Without asking for the time or for the error: the same answer. */
  if (lk_tsa_check_token (token, content, NULL, NULL, NULL) != ok)
    fuzz_fail ("lk_tsa_check_token answers differently without GEN_TIME");
  return 0;
}
