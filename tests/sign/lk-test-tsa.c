/* lk-test-tsa.c — an RFC 3161 TSA on loopback: OpenSSL's `openssl ts -reply` behind a SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-test"

#include <libsoup/soup.h>

#include "lk-test-token.h"
#include "lk-test-tsa.h"

struct _LkTestTsaPrivate
{
  GThread      *thread;
  GMainContext *context;
  SoupServer   *server;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  gint          quit;
  GError       *error;     /* from starting the server */
  guint         n_reply;   /* names the request and reply files */
};

#define TSA_CONF \
  "[tsa]\n" \
  "default_tsa = tsa_config\n" \
  "[tsa_config]\n" \
  "serial = %s\n" \
  "crypto_device = builtin\n" \
  "signer_cert = %s\n" \
  "signer_key = %s\n" \
  "signer_digest = sha256\n" \
  "default_policy = 1.3.6.1.4.1.99999.1\n" \
  "digests = %s\n" \
  "accuracy = secs:1\n" \
  "ordering = no\n" \
  "tsa_name = no\n" \
  "ess_cert_id_chain = no\n" \
  "ess_cert_id_alg = sha256\n"

gboolean
lk_test_tsa_make_pki (const char  *dir,
                      char       **out_ca_pem,
                      char       **out_ca_key,
                      GError     **error)
{
  g_autofree char *ca_key = g_build_filename (dir, "tsa-ca.key", NULL);
  g_autofree char *ca_pem = g_build_filename (dir, "tsa-ca.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "tsa.key", NULL);
  g_autofree char *csr = g_build_filename (dir, "tsa.csr", NULL);
  g_autofree char *pem = g_build_filename (dir, "tsa.pem", NULL);
  g_autofree char *ext = g_build_filename (dir, "tsa-ext.cnf", NULL);
  g_autofree char *serial = g_build_filename (dir, "tsa-serial", NULL);
  const char *ca_argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
    "-nodes", "-keyout", ca_key, "-out", ca_pem, "-subj", "/CN=Loket Test TSA CA", "-days", "2",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL
  };
  const char *csr_argv[] = {
    "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
    "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=Loket Test TSA", NULL
  };
  const char *cert_argv[] = {
    "openssl", "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key,
    "-set_serial", "4242", "-days", "2", "-out", pem, "-extfile", ext, "-extensions", "tsa", NULL
  };

  if (!g_file_set_contents (ext,
                            "[tsa]\n"
                            "basicConstraints = critical,CA:FALSE\n"
                            "keyUsage = critical,digitalSignature\n"
                            "extendedKeyUsage = critical,timeStamping\n", -1, error) ||
      !g_file_set_contents (serial, "01\n", -1, error) ||
      !lk_test_run (ca_argv, NULL, NULL, error) ||
      !lk_test_run (csr_argv, NULL, NULL, error) ||
      !lk_test_run (cert_argv, NULL, NULL, error))
    return FALSE;

  *out_ca_pem = g_steal_pointer (&ca_pem);
  *out_ca_key = g_steal_pointer (&ca_key);
  return TRUE;
}

char *
lk_test_tsa_write_conf (const char  *dir,
                        const char  *name,
                        const char  *digests,
                        GError     **error)
{
  g_autofree char *key = g_build_filename (dir, "tsa.key", NULL);
  g_autofree char *pem = g_build_filename (dir, "tsa.pem", NULL);
  g_autofree char *serial = g_build_filename (dir, "tsa-serial", NULL);
  g_autofree char *conf = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strdup_printf (TSA_CONF, serial, pem, key, digests);

  if (!g_file_set_contents (conf, text, -1, error))
    return NULL;
  return g_steal_pointer (&conf);
}

static gboolean
make_tsa (LkTestTsa  *tsa,
          GError    **error)
{
  if (!lk_test_tsa_make_pki (tsa->dir, &tsa->ca_pem, &tsa->ca_key, error))
    return FALSE;
  tsa->conf = lk_test_tsa_write_conf (tsa->dir, "tsa.cnf", "sha256, sha384, sha512", error);
  return tsa->conf != NULL;
}

/* Runs in the server thread; openssl blocks it, not the client. */
static void
tsa_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  LkTestTsa *tsa = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *req = NULL;
  g_autofree char *resp = NULL;
  g_autofree char *reply = NULL;
  gsize reply_len = 0;
  guint n = tsa->priv->n_reply++;

  g_atomic_int_inc ((gint *) &tsa->n_requests);
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  req = g_strdup_printf ("%s/query-%u.tsq", tsa->dir, n);
  resp = g_strdup_printf ("%s/reply-%u.tsr", tsa->dir, n);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  {
    const char *argv[] = {
      "openssl", "ts", "-reply", "-config", tsa->conf, "-queryfile", req, "-out", resp, NULL
    };

    if (!g_file_set_contents (req, g_bytes_get_data (body, NULL),
                              (gssize) g_bytes_get_size (body), &error) ||
        !lk_test_run (argv, NULL, NULL, &error) ||
        !g_file_get_contents (resp, &reply, &reply_len, &error))
      {
        g_warning ("The test TSA failed: %s", error->message);
        soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
        return;
      }
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_COPY,
                                    reply, reply_len);
}

static gpointer
server_thread (gpointer data)
{
  LkTestTsa *tsa = data;
  LkTestTsaPrivate *priv = tsa->priv;
  GError *error = NULL;

  g_main_context_push_thread_default (priv->context);
  priv->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (priv->server, "/tsa", tsa_handler, tsa, NULL);
  if (soup_server_listen_local (priv->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      GSList *uris = soup_server_get_uris (priv->server);

      tsa->url = g_strdup_printf ("http://127.0.0.1:%d/tsa", g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&priv->lock);
  priv->error = error;
  priv->ready = TRUE;
  g_cond_signal (&priv->cond);
  g_mutex_unlock (&priv->lock);

  while (error == NULL && !g_atomic_int_get (&priv->quit))
    g_main_context_iteration (priv->context, TRUE);

  soup_server_disconnect (priv->server);
  g_clear_object (&priv->server);
  while (g_main_context_iteration (priv->context, FALSE))
    ;
  g_main_context_pop_thread_default (priv->context);
  return NULL;
}

LkTestTsa *
lk_test_tsa_new (const char  *dir,
                 GError     **error)
{
  g_autoptr(LkTestTsa) tsa = g_new0 (LkTestTsa, 1);
  LkTestTsaPrivate *priv;

  tsa->dir = g_strdup (dir);
  tsa->priv = priv = g_new0 (LkTestTsaPrivate, 1);
  g_mutex_init (&priv->lock);
  g_cond_init (&priv->cond);
  priv->context = g_main_context_new ();
  if (!make_tsa (tsa, error))
    return NULL;

  priv->thread = g_thread_new ("test-tsa", server_thread, tsa);
  g_mutex_lock (&priv->lock);
  while (!priv->ready)
    g_cond_wait (&priv->cond, &priv->lock);
  g_mutex_unlock (&priv->lock);
  if (priv->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&priv->error));
      return NULL;
    }
  return g_steal_pointer (&tsa);
}

void
lk_test_tsa_free (LkTestTsa *tsa)
{
  LkTestTsaPrivate *priv;

  if (tsa == NULL)
    return;
  priv = tsa->priv;
  if (priv->thread != NULL)
    {
      g_atomic_int_set (&priv->quit, 1);
      g_main_context_wakeup (priv->context);
      g_thread_join (priv->thread);
    }
  g_clear_error (&priv->error);
  g_main_context_unref (priv->context);
  g_mutex_clear (&priv->lock);
  g_cond_clear (&priv->cond);
  g_free (priv);
  g_free (tsa->dir);
  g_free (tsa->ca_pem);
  g_free (tsa->ca_key);
  g_free (tsa->conf);
  g_free (tsa->url);
  g_free (tsa);
}
