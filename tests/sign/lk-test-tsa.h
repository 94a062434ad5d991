/* lk-test-tsa.h — an RFC 3161 TSA on loopback: OpenSSL's `openssl ts -reply` behind a SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LkTestTsaPrivate LkTestTsaPrivate;

typedef struct
{
  char             *dir;      /* its working files (not removed by _free) */
  char             *ca_pem;   /* the CA that issued the TSA certificate */
  char             *ca_key;
  char             *conf;     /* `openssl ts` configuration (SHA-256 imprints taken) */
  char             *url;      /* http://127.0.0.1:PORT/tsa */
  guint             n_requests;   /* atomic */
  LkTestTsaPrivate *priv;
} LkTestTsa;

/* Makes a test CA, a TSA certificate it issues (timeStamping, critical) and
 * an `openssl ts` configuration in DIR, and serves the TSA at URL from a
 * thread of its own (so blocking clients, lk_tsa_request or a loketctl
 * process, may be run from the test's thread). */
LkTestTsa *lk_test_tsa_new  (const char  *dir,
                             GError     **error);
/* The parts, for tests that run their own TSA: a CA and a TSA certificate
 * it issues (timeStamping, critical) with its key, in DIR; then an
 * `openssl ts` configuration NAME in DIR taking imprints of DIGESTS
 * (e.g. "sha256, sha512"), returned as its path. */
gboolean   lk_test_tsa_make_pki   (const char  *dir,
                                   char       **out_ca_pem,
                                   char       **out_ca_key,
                                   GError     **error);
char      *lk_test_tsa_write_conf (const char  *dir,
                                   const char  *name,
                                   const char  *digests,
                                   GError     **error);
/* Stops the server and its thread. */
void       lk_test_tsa_free (LkTestTsa   *tsa);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestTsa, lk_test_tsa_free)

G_END_DECLS
