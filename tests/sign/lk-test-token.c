/* lk-test-token.c — a SoftHSM2 token with a small CA and two signer keys, per test run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-test"

#include <glib/gstdio.h>

#include "lk-test-util.h"
#include "lk-test-token.h"

static char *softhsm_dir;

const char *
lk_test_token_module_path (void)
{
  static const char *paths[] = {
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/pkcs11/libsofthsm2.so",
    "/usr/lib/pkcs11/libsofthsm2.so",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (g_file_test (paths[i], G_FILE_TEST_EXISTS))
      return paths[i];

  return NULL;
}

gboolean
lk_test_run (const char * const  *argv,
             const char * const  *env_extra,
             char               **standard_output,
             GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env_extra[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, error))
    return FALSE;

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s%s",
                   argv[0], err != NULL ? err : "", out != NULL ? out : "");
      return FALSE;
    }

  if (standard_output != NULL)
    *standard_output = g_steal_pointer (&out);
  return TRUE;
}

static gboolean
ensure_softhsm (GError **error)
{
  g_autofree char *conf = NULL;
  g_autofree char *tokens = NULL;
  g_autofree char *text = NULL;

  if (softhsm_dir != NULL)
    return TRUE;

  softhsm_dir = lk_test_make_tmpdir ("softhsm");
  tokens = g_build_filename (softhsm_dir, "tokens", NULL);
  conf = g_build_filename (softhsm_dir, "softhsm2.conf", NULL);
  if (g_mkdir_with_parents (tokens, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", tokens);
      return FALSE;
    }

  text = g_strdup_printf ("directories.tokendir = %s\n"
                          "objectstore.backend = file\n"
                          "log.level = ERROR\n", tokens);
  if (!g_file_set_contents (conf, text, -1, error))
    return FALSE;

  g_setenv ("SOFTHSM2_CONF", conf, TRUE);
  return TRUE;
}

static gboolean
write_file (const char *dir,
            const char *name,
            const char *text,
            char      **path,
            GError    **error)
{
  *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents (*path, text, -1, error);
}

/* A key pair of KEY_TYPE on the token with CKA_ID ID, its certificate
 * issued by the CA, written onto the token. */
static gboolean
make_signer (LkTestToken  *token,
             const char   *token_url,
             const char   *name,
             const char  **keygen,
             const char   *id,
             const char   *common_name,
             char        **cert_pem,
             GError      **error)
{
  const char *pin_env[] = { "GNUTLS_PIN=" LK_TEST_TOKEN_PIN, NULL };
  g_autofree char *pub = g_strdup_printf ("%s/%s.pub", token->dir, name);
  g_autofree char *tmpl_text = NULL;
  g_autofree char *tmpl = NULL;
  g_autofree char *tmpl_name = g_strdup_printf ("%s.tmpl", name);
  g_autofree char *label_arg = g_strdup_printf ("--label=%s", name);
  g_autofree char *id_arg = g_strdup_printf ("--id=%s", id);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) "p11tool");
  g_ptr_array_add (argv, (char *) "--login");
  for (guint i = 0; keygen[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) keygen[i]);
  g_ptr_array_add (argv, label_arg);
  g_ptr_array_add (argv, id_arg);
  g_ptr_array_add (argv, (char *) "--outfile");
  g_ptr_array_add (argv, pub);
  g_ptr_array_add (argv, (char *) token_url);
  g_ptr_array_add (argv, NULL);
  if (!lk_test_run ((const char * const *) argv->pdata, pin_env, NULL, error))
    return FALSE;

  tmpl_text = g_strdup_printf ("cn = \"%s\"\norganization = \"Loket Test\"\n"
                               "serial = %d\nsigning_key\nexpiration_days = 30\n",
                               common_name, g_random_int_range (1000, 1000000));
  if (!write_file (token->dir, tmpl_name, tmpl_text, &tmpl, error))
    return FALSE;

  *cert_pem = g_strdup_printf ("%s/%s.pem", token->dir, name);
  {
    const char *certtool[] = {
      "certtool", "--generate-certificate", "--load-pubkey", pub,
      "--load-ca-privkey", token->ca_key, "--load-ca-certificate", token->ca_pem,
      "--template", tmpl, "--outfile", *cert_pem, NULL
    };
    const char *write[] = {
      "p11tool", "--login", "--write", "--load-certificate", *cert_pem,
      label_arg, id_arg, token_url, NULL
    };

    if (!lk_test_run (certtool, NULL, NULL, error) ||
        !lk_test_run (write, pin_env, NULL, error))
      return FALSE;
  }

  return TRUE;
}

LkTestToken *
lk_test_token_new (const char  *label,
                   gboolean     with_keys,
                   GError     **error)
{
  g_autoptr(LkTestToken) token = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *ca_tmpl = NULL;
  const char *init[] = {
    "softhsm2-util", "--init-token", "--free", "--label", label,
    "--so-pin", LK_TEST_TOKEN_SO_PIN, "--pin", LK_TEST_TOKEN_PIN, NULL
  };
  const char *rsa_keygen[] = { "--generate-privkey=rsa", "--bits=2048", NULL };
  const char *ec_keygen[] = { "--generate-privkey=ecdsa", "--curve=secp256r1", NULL };

  if (!ensure_softhsm (error))
    return NULL;

  token = g_new0 (LkTestToken, 1);
  token->label = g_strdup (label);
  token->dir = g_build_filename (softhsm_dir, label, NULL);
  if (g_mkdir_with_parents (token->dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", token->dir);
      return NULL;
    }

  if (!lk_test_run (init, NULL, NULL, error))
    return NULL;

  token_url = g_strdup_printf ("pkcs11:token=%s", label);
  token->rsa_key_url = g_strdup_printf ("%s;id=%%01;type=private", token_url);
  token->ec_key_url = g_strdup_printf ("%s;id=%%02;type=private", token_url);
  if (!with_keys)
    return g_steal_pointer (&token);

  token->ca_key = g_build_filename (token->dir, "ca.key", NULL);
  {
    const char *ca_key[] = {
      "certtool", "--generate-privkey", "--key-type=ecdsa", "--outfile", token->ca_key, NULL
    };
    if (!lk_test_run (ca_key, NULL, NULL, error))
      return NULL;
  }
  if (!write_file (token->dir, "ca.tmpl",
                   "cn = \"Loket Test CA\"\norganization = \"Loket Test\"\nserial = 1\n"
                   "ca\ncert_signing_key\ncrl_signing_key\nexpiration_days = 30\n",
                   &ca_tmpl, error))
    return NULL;
  token->ca_pem = g_build_filename (token->dir, "ca.pem", NULL);
  {
    const char *ca_cert[] = {
      "certtool", "--generate-self-signed", "--load-privkey", token->ca_key,
      "--template", ca_tmpl, "--outfile", token->ca_pem, NULL
    };
    if (!lk_test_run (ca_cert, NULL, NULL, error))
      return NULL;
  }

  if (!make_signer (token, token_url, "rsa-signer", rsa_keygen, "01",
                    "Loket RSA Signer", &token->rsa_cert_pem, error) ||
      !make_signer (token, token_url, "ec-signer", ec_keygen, "02",
                    "Loket EC Signer", &token->ec_cert_pem, error))
    return NULL;

  return g_steal_pointer (&token);
}

void
lk_test_token_free (LkTestToken *token)
{
  if (token == NULL)
    return;
  g_free (token->label);
  g_free (token->dir);
  g_free (token->ca_pem);
  g_free (token->ca_key);
  g_free (token->rsa_cert_pem);
  g_free (token->ec_cert_pem);
  g_free (token->rsa_key_url);
  g_free (token->ec_key_url);
  g_free (token->always_key_url);
  g_free (token->always_cert_pem);
  g_free (token);
}

void
lk_test_token_cleanup (void)
{
  if (softhsm_dir == NULL)
    return;
  lk_test_rm_rf (softhsm_dir);
  g_clear_pointer (&softhsm_dir, g_free);
}

gboolean
lk_test_token_add_always_auth_key (LkTestToken  *token,
                                   GError      **error)
{
  const char *pin_env[] = { "GNUTLS_PIN=" LK_TEST_TOKEN_PIN, NULL };
  g_autofree char *token_url = g_strdup_printf ("pkcs11:token=%s", token->label);
  g_autofree char *key = g_build_filename (token->dir, "always.key", NULL);
  g_autofree char *tmpl = NULL;
  g_autofree char *cert = g_build_filename (token->dir, "always.pem", NULL);
  const char *keygen[] = {
    "certtool", "--generate-privkey", "--key-type=ecdsa", "--outfile", key, NULL
  };
  const char *certtool[] = {
    "certtool", "--generate-certificate", "--load-privkey", key,
    "--load-ca-privkey", token->ca_key, "--load-ca-certificate", token->ca_pem,
    "--template", NULL, "--outfile", cert, NULL
  };
  const char *write_key[] = {
    "p11tool", "--login", "--write", "--load-privkey", key, "--mark-always-authenticate",
    "--label=always-signer", "--id=03", token_url, NULL
  };
  g_autofree char *pub = g_build_filename (token->dir, "always.pub", NULL);
  const char *pubinfo[] = {
    "certtool", "--load-privkey", key, "--pubkey-info", "--outfile", pub, NULL
  };
  /* Listed without a login thanks to its public key object, as on a card. */
  const char *write_pub[] = {
    "p11tool", "--login", "--write", "--load-pubkey", pub,
    "--label=always-signer", "--id=03", token_url, NULL
  };
  const char *write_cert[] = {
    "p11tool", "--login", "--write", "--load-certificate", cert,
    "--label=always-signer", "--id=03", token_url, NULL
  };

  g_return_val_if_fail (token->ca_key != NULL, FALSE);

  if (!write_file (token->dir, "always.tmpl",
                   "cn = \"Loket Always Signer\"\nserial = 77\nsigning_key\nexpiration_days = 30\n",
                   &tmpl, error))
    return FALSE;
  certtool[9] = tmpl;

  if (!lk_test_run (keygen, NULL, NULL, error) ||
      !lk_test_run (certtool, NULL, NULL, error) ||
      !lk_test_run (write_key, pin_env, NULL, error) ||
      !lk_test_run (pubinfo, NULL, NULL, error) ||
      !lk_test_run (write_pub, pin_env, NULL, error) ||
      !lk_test_run (write_cert, pin_env, NULL, error))
    return FALSE;

  token->always_key_url = g_strdup_printf ("%s;id=%%03;type=private", token_url);
  token->always_cert_pem = g_steal_pointer (&cert);
  return TRUE;
}

gboolean
lk_test_token_add_certificate (LkTestToken  *token,
                               const char   *pem,
                               const char   *label,
                               GError      **error)
{
  const char *pin_env[] = { "GNUTLS_PIN=" LK_TEST_TOKEN_PIN, NULL };
  g_autofree char *token_url = g_strdup_printf ("pkcs11:token=%s", token->label);
  g_autofree char *label_arg = g_strdup_printf ("--label=%s", label);
  const char *write_cert[] = {
    "p11tool", "--login", "--write", "--load-certificate", pem, label_arg, token_url, NULL
  };

  return lk_test_run (write_cert, pin_env, NULL, error);
}

gboolean
lk_test_pdfsig_sign (LkTestToken  *token,
                     const char   *dir,
                     guint         serial,
                     const char   *in,
                     const char   *out,
                     GError      **error)
{
  g_autofree char *key = g_build_filename (dir, "soft-key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "soft-cert.pem", NULL);
  g_autofree char *tmpl = g_build_filename (dir, "soft.tmpl", NULL);
  g_autofree char *p12 = g_build_filename (dir, "soft.p12", NULL);
  g_autofree char *nss = g_build_filename (dir, "nss-soft", NULL);
  g_autofree char *db = g_strconcat ("sql:", nss, NULL);
  g_autofree char *template = g_strdup_printf ("cn = \"Loket pdfsig signer\"\nserial = %u\n"
                                               "expiration_days = 30\nsigning_key\nemail_protection_key\n",
                                               serial);
  const char *make_key[] = { "certtool", "--generate-privkey", "--key-type", "rsa", "--bits", "2048",
                             "--outfile", key, NULL };
  const char *make_cert[] = { "certtool", "--generate-certificate", "--load-privkey", key,
                              "--load-ca-certificate", token->ca_pem, "--load-ca-privkey", token->ca_key,
                              "--template", tmpl, "--outfile", cert, NULL };
  const char *make_p12[] = { "certtool", "--to-p12", "--load-privkey", key, "--load-certificate", cert,
                             "--p12-name", "loket", "--password", "p12pass", "--outder",
                             "--outfile", p12, NULL };
  const char *make_db[] = { "certutil", "-N", "-d", db, "--empty-password", NULL };
  const char *import[] = { "pk12util", "-i", p12, "-d", db, "-W", "p12pass", NULL };
  const char *sign[] = { "pdfsig", "-add-signature", "-nssdir", db, "-nick", "loket",
                         "-reason", "Uji", in, out, NULL };

  if (g_mkdir_with_parents (nss, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", nss);
      return FALSE;
    }
  if (!g_file_set_contents (tmpl, template, -1, error))
    return FALSE;

  return lk_test_run (make_key, NULL, NULL, error) &&
         lk_test_run (make_cert, NULL, NULL, error) &&
         lk_test_run (make_p12, NULL, NULL, error) &&
         lk_test_run (make_db, NULL, NULL, error) &&
         lk_test_run (import, NULL, NULL, error) &&
         lk_test_run (sign, NULL, NULL, error);
}

char *
lk_test_token_pin_cb (const char      *token_label,
                      LkTokenPinFlags  flags,
                      guint            attempt,
                      gpointer         user_data)
{
  return attempt == 0 ? g_strdup (LK_TEST_TOKEN_PIN) : NULL;
}
