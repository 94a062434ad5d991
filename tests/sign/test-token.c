/* test-token.c — the token layer against a real SoftHSM2 token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>

#include "sign/lk-cms.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"

#include "lk-test-token.h"

static LkTestToken *test_token;  /* keys for the good-PIN tests */
static LkTestToken *pin_token;   /* for the wrong-PIN tests: its tries may run out */
static LkTestToken *gone_token;  /* deleted by the removal test */
static LkTestToken *chain_token; /* holds its CA and an impostor with the CA's name */

typedef struct
{
  const char *pin;       /* given at attempt 0 */
  const char *retry_pin; /* given at attempt 1, NULL: give up */
  guint       calls;
  guint       wrong_seen;
  guint       context_specific;
  guint       max_calls;  /* give up after this many calls (0: never) */
} PinScript;

static char *
script_pin_cb (const char      *token_label,
               LkTokenPinFlags  flags,
               guint            attempt,
               gpointer         user_data)
{
  PinScript *script = user_data;

  script->calls++;
  if (flags & LK_TOKEN_PIN_WRONG)
    script->wrong_seen++;
  if (flags & LK_TOKEN_PIN_CONTEXT_SPECIFIC)
    script->context_specific++;
  if (script->max_calls > 0 && script->calls > script->max_calls)
    return NULL;
  if (attempt == 0)
    return g_strdup (script->pin);
  return g_strdup (script->retry_pin);
}

static LkTokenInfo *
find_token (GPtrArray  *tokens,
            const char *label)
{
  for (guint i = 0; i < tokens->len; i++)
    {
      LkTokenInfo *info = g_ptr_array_index (tokens, i);

      if (g_strcmp0 (info->label, label) == 0)
        return info;
    }
  g_error ("No token “%s” in the list", label);
}

static gboolean
has_token (GPtrArray  *tokens,
           const char *label)
{
  for (guint i = 0; i < tokens->len; i++)
    if (g_strcmp0 (((LkTokenInfo *) g_ptr_array_index (tokens, i))->label, label) == 0)
      return TRUE;
  return FALSE;
}

static void
test_list_tokens (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = lk_token_list_tokens (&error);
  LkTokenInfo *info;

  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_false (has_token (tokens, "System Trust"));
  g_assert_true (has_token (tokens, "loket-pin"));

  info = find_token (tokens, "loket-test");
  g_assert_nonnull (info);
  g_assert_true (g_str_has_prefix (info->url, "pkcs11:"));
  g_assert_nonnull (strstr (info->url, "token=loket-test"));
  g_assert_cmpstr (info->manufacturer, ==, "SoftHSM project");
  g_assert_cmpstr (info->model, ==, "SoftHSM v2");
  g_assert_cmpuint (strlen (info->serial), >, 0);
  g_assert_true (info->flags & LK_TOKEN_FLAG_LOGIN_REQUIRED);
  g_assert_false (info->flags & LK_TOKEN_FLAG_PIN_LOCKED);
  g_assert_false (info->flags & LK_TOKEN_FLAG_PROTECTED_AUTH_PATH);
}

static void
test_list_certificates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = lk_token_list_tokens (&error);
  g_autoptr(GPtrArray) certs = NULL;
  LkTokenInfo *info = find_token (tokens, "loket-test");
  LkTokenCert *rsa = NULL, *ec = NULL;

  g_assert_nonnull (info);
  certs = lk_token_list_certificates (info->url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certs->len, ==, 2);

  for (guint i = 0; i < certs->len; i++)
    {
      LkTokenCert *cert = g_ptr_array_index (certs, i);

      if (cert->key_type == LK_TOKEN_KEY_TYPE_RSA)
        rsa = cert;
      else if (cert->key_type == LK_TOKEN_KEY_TYPE_EC)
        ec = cert;
    }

  g_assert_nonnull (rsa);
  g_assert_nonnull (ec);
  g_assert_cmpuint (rsa->key_bits, ==, 2048);
  g_assert_cmpuint (ec->key_bits, ==, 256);
  g_assert_cmpstr (rsa->label, ==, "rsa-signer");
  g_assert_cmpstr (rsa->id_hex, ==, "01");
  g_assert_cmpstr (ec->id_hex, ==, "02");
  g_assert_true (g_str_has_prefix (rsa->url, "pkcs11:"));
  g_assert_nonnull (strstr (rsa->url, "type=cert"));
  g_assert_nonnull (strstr (rsa->key_url, "id=%01;type=private"));
  g_assert_nonnull (strstr (ec->key_url, "id=%02;type=private"));
  g_assert_nonnull (strstr (rsa->subject, "CN=Loket RSA Signer"));
  g_assert_nonnull (strstr (ec->subject, "CN=Loket EC Signer"));
  g_assert_nonnull (strstr (rsa->issuer, "CN=Loket Test CA"));
  g_assert_cmpstr (rsa->token_label, ==, "loket-test");
  g_assert_cmpint (g_date_time_compare (rsa->not_before, rsa->not_after), <, 0);

  /* Every token: the same two, plus those of the PIN token (three), of
   * the token the removal test deletes (two) and of the chain token (two:
   * its CA certificates have no key, so they are not listed). */
  g_clear_pointer (&certs, g_ptr_array_unref);
  certs = lk_token_list_certificates (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certs->len, ==, 9);
}

/* One login, 20 signatures: the PIN is asked once. */
static void
test_batch_one_login (void)
{
  PinScript script = { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;

  key = lk_token_key_open (test_token->rsa_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_false (lk_token_key_get_always_authenticate (key));
  g_assert_cmpint (lk_token_key_get_key_type (key), ==, LK_TOKEN_KEY_TYPE_RSA);
  g_assert_cmpstr (lk_token_key_get_token_label (key), ==, "loket-test");

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *data = g_strdup_printf ("letter %u", i);
      g_autoptr(GBytes) der = lk_cms_sign_with_token_key (key, NULL, (const guint8 *) data,
                                                          strlen (data), &error);

      g_assert_no_error (error);
      g_assert_nonnull (der);
      g_assert_cmpuint (g_bytes_get_size (der), >, 256);
    }

  g_assert_cmpuint (script.calls, ==, 1);
  g_assert_cmpuint (lk_token_key_get_pin_requests (key), ==, 1);
  g_assert_cmpuint (script.wrong_seen, ==, 0);
}

/* The certificate found by CKA_ID is the one certtool issued for the key. */
static void
test_certificate_by_id (void)
{
  PinScript script = { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(LkTokenKey) key2 = NULL;
  g_autofree char *pem = NULL;
  gnutls_datum_t exported = { NULL, 0 };

  key = lk_token_key_open (test_token->ec_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_token_key_get_key_type (key), ==, LK_TOKEN_KEY_TYPE_EC);

  g_assert_true (g_file_get_contents (test_token->ec_cert_pem, &pem, NULL, NULL));
  g_assert_cmpint (gnutls_x509_crt_export2 (lk_token_key_get_certificate (key),
                                            GNUTLS_X509_FMT_PEM, &exported), ==, 0);
  g_assert_cmpstr ((const char *) exported.data, ==, pem);
  gnutls_free (exported.data);

  /* Given as a file: fine; the other key's certificate: refused. */
  key2 = lk_token_key_open (test_token->ec_key_url, test_token->ec_cert_pem,
                            script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key2);
  g_clear_object (&key2);
  key2 = lk_token_key_open (test_token->ec_key_url, test_token->rsa_cert_pem,
                            script_pin_cb, &script, NULL, &error);
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE);
  g_assert_null (key2);
}

static gboolean
crt_equals_file (gnutls_x509_crt_t  crt,
                 const char        *pem_path)
{
  g_autofree char *pem = NULL;
  gnutls_datum_t exported = { NULL, 0 };
  gboolean equal;

  g_assert_true (g_file_get_contents (pem_path, &pem, NULL, NULL));
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &exported), ==, 0);
  equal = g_strcmp0 ((const char *) exported.data, pem) == 0;
  gnutls_free (exported.data);
  return equal;
}

/* The chain from the token: the CA that signed the certificate, not the
 * impostor written first with the same name; none on a token without it. */
static void
test_find_chain (void)
{
  PinScript script = { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GPtrArray) chain = NULL;

  key = lk_token_key_open (chain_token->rsa_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  chain = lk_token_key_find_chain (key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (chain);
  g_assert_cmpuint (chain->len, ==, 1);
  g_assert_true (crt_equals_file (g_ptr_array_index (chain, 0), chain_token->ca_pem));
  g_assert_false (crt_equals_file (g_ptr_array_index (chain, 0), test_token->ca_pem));
  g_clear_pointer (&chain, g_ptr_array_unref);
  g_clear_object (&key);

  /* The signer given as a file: the chain still comes from the token. */
  key = lk_token_key_open (chain_token->ec_key_url, chain_token->ec_cert_pem,
                           script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  chain = lk_token_key_find_chain (key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chain->len, ==, 1);
  g_assert_true (crt_equals_file (g_ptr_array_index (chain, 0), chain_token->ca_pem));
  g_clear_pointer (&chain, g_ptr_array_unref);
  g_clear_object (&key);

  /* A token with the signer certificates only: empty, not an error. */
  key = lk_token_key_open (test_token->rsa_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  chain = lk_token_key_find_chain (key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (chain);
  g_assert_cmpuint (chain->len, ==, 0);
}

static void
test_wrong_pin (void)
{
  PinScript script = { "0000", NULL, 0, 0, 0, 0 };
  PinScript good = { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  LkTokenInfo *info;

  key = lk_token_key_open (pin_token->rsa_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_PIN_INCORRECT);
  g_assert_null (key);
  g_test_message ("wrong PIN: %s", error->message);
  g_assert_nonnull (strstr (error->message, "rejected the PIN"));
  g_assert_nonnull (strstr (error->message, "loket-pin"));
  g_assert_null (strstr (error->message, "0000"));
  /* Asked again after the rejection, told it was wrong, gave up: the wrong
   * PIN went to the token once only. */
  g_assert_cmpuint (script.calls, ==, 2);
  g_assert_cmpuint (script.wrong_seen, ==, 1);

  /* What the token says now matches what the error said. */
  tokens = lk_token_list_tokens (NULL);
  info = find_token (tokens, "loket-pin");
  g_assert_nonnull (info);
  if (info->flags & LK_TOKEN_FLAG_PIN_FINAL_TRY)
    g_assert_nonnull (strstr (error->message, "one try"));
  else if (info->flags & LK_TOKEN_FLAG_PIN_COUNT_LOW)
    g_assert_nonnull (strstr (error->message, "few tries"));
  else
    g_assert_nonnull (strstr (error->message, "does not tell"));
  g_clear_error (&error);

  /* A second chance with the right PIN works. */
  script = (PinScript) { "0000", LK_TEST_TOKEN_PIN, 0, 0, 0, 0 };
  key = lk_token_key_open (pin_token->rsa_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpuint (script.calls, ==, 2);
  g_clear_object (&key);

  key = lk_token_key_open (pin_token->ec_key_url, NULL, script_pin_cb, &good, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
}

/* A key with CKA_ALWAYS_AUTHENTICATE is reported before a batch, and each
 * signature asks the PIN again; no PIN then means no signature. */
static void
test_always_authenticate (void)
{
  PinScript script = { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(LkTokenKey) plain = NULL;
  g_autoptr(GBytes) der = NULL;
  guint after_open;

  key = lk_token_key_open (pin_token->always_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lk_token_key_get_always_authenticate (key));
  after_open = script.calls;
  g_assert_cmpuint (after_open, >=, 1);

  for (guint i = 0; i < 3; i++)
    {
      g_clear_pointer (&der, g_bytes_unref);
      der = lk_cms_sign_with_token_key (key, NULL, (const guint8 *) "page", 4, &error);
      g_assert_no_error (error);
      g_assert_nonnull (der);
    }
  g_assert_cmpuint (script.calls, ==, after_open + 3);
  g_assert_cmpuint (script.context_specific, >=, 3);
  g_assert_cmpuint (lk_token_key_get_pin_requests (key), ==, script.calls);

  /* The next signature's PIN is refused by the person: no signature. */
  script.max_calls = script.calls;
  g_clear_pointer (&der, g_bytes_unref);
  der = lk_cms_sign_with_token_key (key, NULL, (const guint8 *) "page", 4, &error);
  g_assert_null (der);
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CANCELLED);
  g_clear_error (&error);

  /* An ordinary key on the same token is not flagged. */
  script = (PinScript) { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  plain = lk_token_key_open (pin_token->ec_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (lk_token_key_get_always_authenticate (plain));
}

/* A token that goes away mid-batch: the next signature fails with
 * LK_TOKEN_ERROR_REMOVED, and nothing is returned. */
static void
test_token_removed (void)
{
  PinScript script = { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GBytes) der = NULL;
  const char *argv[] = {
    "softhsm2-util", "--delete-token", "--token", "loket-gone", NULL
  };

  key = lk_token_key_open (gone_token->rsa_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_no_error (error);
  der = lk_cms_sign_with_token_key (key, NULL, (const guint8 *) "one", 3, &error);
  g_assert_no_error (error);
  g_clear_pointer (&der, g_bytes_unref);

  lk_test_run (argv, NULL, NULL, &error);
  g_assert_no_error (error);

  der = lk_cms_sign_with_token_key (key, NULL, (const guint8 *) "two", 3, &error);
  g_test_message ("after removal: %s", error != NULL ? error->message : "signed");
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_REMOVED);
  g_assert_null (der);
}

static void
test_no_pin (void)
{
  PinScript script = { NULL, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;

  key = lk_token_key_open (pin_token->ec_key_url, NULL, script_pin_cb, &script, NULL, &error);
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CANCELLED);
  g_assert_null (key);
  g_assert_cmpuint (script.calls, ==, 1);
}

static void
test_not_found (void)
{
  PinScript script = { LK_TEST_TOKEN_PIN, NULL, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;

  key = lk_token_key_open ("pkcs11:token=no-such-token;id=%01;type=private", NULL,
                           script_pin_cb, &script, NULL, &error);
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_NOT_FOUND);
  g_assert_null (key);
  g_assert_cmpuint (script.calls, ==, 0);
  g_clear_error (&error);

  key = lk_token_key_open ("pkcs11:token=loket-test;id=%09;type=private", NULL,
                           script_pin_cb, &script, NULL, &error);
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_NOT_FOUND);
  g_assert_null (key);
  g_clear_error (&error);

  key = lk_token_key_open ("/tmp/key.pem", NULL, script_pin_cb, &script, NULL, &error);
  g_assert_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_NOT_FOUND);
}

/* loketctl tokens lists the token, its flags and both certificates, with
 * the module given explicitly. */
static void
test_cli_tokens (void)
{
  const char *loketctl = g_getenv ("LOKET_CTL_BIN");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = lk_token_list_certificates (NULL, &error);
  g_autofree char *out = NULL;
  const char *module = lk_test_token_module_path ();

  g_assert_nonnull (loketctl);
  g_assert_nonnull (module);
  {
    const char *argv[] = { loketctl, "tokens", "--module", module, NULL };

    lk_test_run (argv, NULL, &out, &error);
    g_assert_no_error (error);
  }

  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "loket-test"));
  g_assert_nonnull (strstr (out, "loket-pin"));
  g_assert_nonnull (strstr (out, "login required"));
  /* Whether or not the removal test ran before: at least those of the test
   * and PIN tokens, each of them in the output. */
  g_assert_cmpuint (certs->len, >=, 5);
  for (guint i = 0; i < certs->len; i++)
    {
      LkTokenCert *cert = g_ptr_array_index (certs, i);

      g_assert_nonnull (strstr (out, cert->url));
      g_assert_nonnull (strstr (out, cert->key_url));
    }
  g_assert_null (strstr (out, LK_TEST_TOKEN_PIN "\n"));

  /* A module that is not there: a clear error, exit status 1. */
  {
    const char *argv[] = { loketctl, "tokens", "--module", "/nonexistent/module.so", NULL };

    g_clear_pointer (&out, g_free);
    g_assert_false (lk_test_run (argv, NULL, &out, &error));
    g_assert_nonnull (strstr (error->message, "/nonexistent/module.so"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-test", TRUE, &error);
  g_assert_no_error (error);
  pin_token = lk_test_token_new ("loket-pin", TRUE, &error);
  g_assert_no_error (error);
  lk_test_token_add_always_auth_key (pin_token, &error);
  g_assert_no_error (error);
  /* Before the module loads: SoftHSM2 reads its tokens then. */
  gone_token = lk_test_token_new ("loket-gone", TRUE, &error);
  g_assert_no_error (error);
  chain_token = lk_test_token_new ("loket-chain", TRUE, &error);
  g_assert_no_error (error);
  lk_test_token_add_certificate (chain_token, test_token->ca_pem, "impostor-ca", &error);
  g_assert_no_error (error);
  lk_test_token_add_certificate (chain_token, chain_token->ca_pem, "ca", &error);
  g_assert_no_error (error);
  /* p11-kit's registry (softhsm2.module), not an explicit path. */
  lk_token_init (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/sign/token/list", test_list_tokens);
  g_test_add_func ("/sign/token/certificates", test_list_certificates);
  g_test_add_func ("/sign/token/batch-one-login", test_batch_one_login);
  g_test_add_func ("/sign/token/certificate-by-id", test_certificate_by_id);
  g_test_add_func ("/sign/token/find-chain", test_find_chain);
  g_test_add_func ("/sign/token/wrong-pin", test_wrong_pin);
  g_test_add_func ("/sign/token/always-authenticate", test_always_authenticate);
  g_test_add_func ("/sign/token/no-pin", test_no_pin);
  g_test_add_func ("/sign/token/removed", test_token_removed);
  g_test_add_func ("/sign/token/not-found", test_not_found);
  g_test_add_func ("/sign/token/cli", test_cli_tokens);

  ret = g_test_run ();

  lk_test_token_free (test_token);
  lk_test_token_free (pin_token);
  lk_test_token_free (gone_token);
  lk_test_token_free (chain_token);
  lk_test_token_cleanup ();
  return ret;
}
