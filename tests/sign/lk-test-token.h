/* lk-test-token.h — a SoftHSM2 token with a small CA and two signer keys, per test run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sign/lk-token.h"

G_BEGIN_DECLS

#define LK_TEST_TOKEN_PIN    "1234"
#define LK_TEST_TOKEN_SO_PIN "12345678"

typedef struct
{
  char *label;         /* the token's label */
  char *dir;           /* the token's working files */
  char *ca_pem;        /* the test CA certificate (PEM) */
  char *ca_key;        /* its key (PEM, a file: a throwaway CA) */
  char *rsa_cert_pem;  /* RSA-2048 signer certificate, key on the token (CKA_ID 01) */
  char *ec_cert_pem;   /* P-256 signer certificate, key on the token (CKA_ID 02) */
  char *rsa_key_url;   /* pkcs11:token=LABEL;id=%01;type=private */
  char *ec_key_url;
  char *always_key_url;   /* set by lk_test_token_add_always_auth_key */
  char *always_cert_pem;
} LkTestToken;

/* The SoftHSM2 module (found on the usual Debian paths), or NULL. */
const char  *lk_test_token_module_path (void);

/* Makes a token LABEL in this process's SoftHSM2 store, created on the first
 * call in a temporary directory with SOFTHSM2_CONF pointing at it (call it
 * before GnuTLS loads its PKCS#11 modules). WITH_KEYS: generate the RSA and
 * EC keys on the token, issue their certificates from a fresh CA and write
 * them onto the token with the keys' CKA_IDs. Uses softhsm2-util, p11tool
 * and certtool. */
LkTestToken *lk_test_token_new  (const char   *label,
                                 gboolean      with_keys,
                                 GError      **error);
void         lk_test_token_free (LkTestToken  *token);
/* Adds to TOKEN (made WITH_KEYS) a P-256 key with CKA_ALWAYS_AUTHENTICATE
 * and CKA_ID 03, and its certificate. The key is made in a file and written
 * to the token (p11tool marks only written keys always-authenticate). */
gboolean     lk_test_token_add_always_auth_key (LkTestToken  *token,
                                                GError      **error);
/* Writes the certificate in the PEM file PEM onto TOKEN with LABEL, as a
 * plain certificate object (CKA_TRUSTED would need the SO). Call it before
 * GnuTLS loads its PKCS#11 modules. */
gboolean     lk_test_token_add_certificate (LkTestToken  *token,
                                            const char   *pem,
                                            const char   *label,
                                            GError      **error);
/* Removes the SoftHSM2 store of this process (after the last test). */
void         lk_test_token_cleanup (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestToken, lk_test_token_free)

/* Runs ARGV (a NULL-terminated list) with stdout captured; FALSE with an
 * error quoting stderr when it does not exit 0. ENV_EXTRA: "NAME=VALUE"
 * pairs added to the environment, or NULL. */
gboolean     lk_test_run        (const char * const *argv,
                                 const char * const *env_extra,
                                 char              **standard_output,
                                 GError            **error);

/* Signs IN into OUT with poppler's `pdfsig -add-signature`: a software RSA
 * key and a certificate from TOKEN's CA (serial SERIAL), imported as
 * PKCS#12 into a fresh NSS database under DIR. Needs certtool, certutil,
 * pk12util and pdfsig. */
gboolean     lk_test_pdfsig_sign (LkTestToken  *token,
                                  const char   *dir,
                                  guint         serial,
                                  const char   *in,
                                  const char   *out,
                                  GError      **error);

/* An LkTokenPinFunc that gives LK_TEST_TOKEN_PIN once, then nothing. */
char         *lk_test_token_pin_cb (const char      *token_label,
                                    LkTokenPinFlags  flags,
                                    guint            attempt,
                                    gpointer         user_data);

G_END_DECLS
