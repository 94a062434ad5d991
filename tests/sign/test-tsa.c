/* test-tsa.c — the RFC 3161 client against OpenSSL's TSA behind a loopback SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <libsoup/soup.h>

#include "sign/lk-cms.h"
#include "sign/lk-tsa.h"

#include "lk-test-token.h"
#include "lk-test-tsa.h"
#include "lk-test-util.h"

typedef enum
{
  MODE_OPENSSL,   /* answer with `openssl ts -reply` */
  MODE_HTTP_500,
  MODE_REPLAY,    /* answer with the first response again */
  MODE_GARBAGE,
  MODE_REJECT,    /* `openssl ts -reply` with a TSA that takes no SHA-256 */
} Mode;

typedef struct
{
  char       *dir;
  char       *conf;
  char       *reject_conf;
  char       *ca_pem;
  char       *ca_key;
  SoupServer *server;
  char       *url;
  Mode        mode;
  GBytes     *first_response;
  guint       n_requests;
} Fixture;

static Fixture fx;

static void
run_ok (const char * const *argv)
{
  g_autoptr(GError) error = NULL;

  lk_test_run (argv, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A test CA, a TSA certificate it issues and two `openssl ts`
 * configurations in DIR: the second TSA takes SHA-512 imprints only, so it
 * refuses ours. */
static void
make_tsa (const char *dir)
{
  g_autoptr(GError) error = NULL;

  lk_test_tsa_make_pki (dir, &fx.ca_pem, &fx.ca_key, &error);
  g_assert_no_error (error);
  fx.conf = lk_test_tsa_write_conf (dir, "tsa.cnf", "sha256, sha384, sha512", &error);
  g_assert_no_error (error);
  fx.reject_conf = lk_test_tsa_write_conf (dir, "tsa-reject.cnf", "sha512", &error);
  g_assert_no_error (error);
}

/* The TSA: blocks while openssl runs (the client is in another thread). */
static void
tsa_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *req = g_build_filename (fx.dir, "query.tsq", NULL);
  g_autofree char *resp = g_build_filename (fx.dir, "reply.tsr", NULL);
  g_autofree char *reply = NULL;
  gsize reply_len = 0;
  const char *argv[] = {
    "openssl", "ts", "-reply", "-config", fx.mode == MODE_REJECT ? fx.reject_conf : fx.conf,
    "-queryfile", req, "-out", resp, NULL
  };

  fx.n_requests++;
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  switch (fx.mode)
    {
    case MODE_HTTP_500:
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    case MODE_GARBAGE:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_STATIC,
                                        "\x30\x03garbage", 10);
      return;
    case MODE_REPLAY:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (fx.first_response, NULL),
                                        g_bytes_get_size (fx.first_response));
      return;
    case MODE_OPENSSL:
    case MODE_REJECT:
    default:
      break;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_assert_true (g_file_set_contents (req, g_bytes_get_data (body, NULL),
                                      (gssize) g_bytes_get_size (body), NULL));
  lk_test_run (argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (resp, &reply, &reply_len, NULL));
  if (fx.first_response == NULL && fx.mode == MODE_OPENSSL)
    fx.first_response = g_bytes_new (reply, reply_len);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/timestamp-reply", SOUP_MEMORY_COPY,
                                    reply, reply_len);
}

typedef struct
{
  GBytes  *signature;
  GBytes  *cms;       /* set: lk_tsa_add_timestamp on it instead */
  GBytes  *token;
  GError  *error;
  gint     done;
} Request;

static gpointer
request_thread (gpointer data)
{
  Request *request = data;

  if (request->cms != NULL)
    request->token = lk_tsa_add_timestamp (request->cms, fx.url, NULL, &request->error);
  else
    request->token = lk_tsa_request (fx.url, request->signature, NULL, &request->error);
  g_atomic_int_set (&request->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* lk_tsa_request in a thread while this one serves the TSA. */
static GBytes *
request_token_full (GBytes  *signature,
                    GBytes  *cms,
                    GError **error)
{
  Request request = { signature, cms, NULL, NULL, 0 };
  GThread *thread = g_thread_new ("tsa-client", request_thread, &request);

  while (!g_atomic_int_get (&request.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  if (request.error != NULL)
    g_propagate_error (error, request.error);
  return request.token;
}

static GBytes *
request_token (GBytes  *signature,
               GError **error)
{
  return request_token_full (signature, NULL, error);
}

/* A signature by a file key (the TSA CA's: any key will do) over DATA. */
static GBytes *
sign_data (const char *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = lk_cms_load_certificates (fx.ca_pem, &error);
  g_autofree char *key_pem = NULL;
  gsize key_len = 0;
  gnutls_privkey_t key;
  gnutls_datum_t datum;
  GBytes *der;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fx.ca_key, &key_pem, &key_len, NULL));
  datum.data = (unsigned char *) key_pem;
  datum.size = (unsigned int) key_len;
  g_assert_cmpint (gnutls_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509_raw (key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0), ==, 0);
  der = lk_cms_sign (key, g_ptr_array_index (certs, 0), NULL, (const guint8 *) data, strlen (data), &error);
  g_assert_no_error (error);
  gnutls_privkey_deinit (key);
  return der;
}

static void
write_bytes (const char *path,
             GBytes     *bytes)
{
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
}

static void
test_timestamp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(GBytes) token = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) stamped = NULL;
  g_autoptr(LkCmsSignedData) parsed = NULL;
  g_autoptr(LkCmsSignedData) parsed_stamped = NULL;
  g_autofree char *sig_path = g_build_filename (fx.dir, "signature.bin", NULL);
  g_autofree char *token_path = g_build_filename (fx.dir, "token.der", NULL);
  g_autofree char *cms_path = g_build_filename (fx.dir, "stamped.der", NULL);
  g_autofree char *data_path = g_build_filename (fx.dir, "data.bin", NULL);
  g_autofree char *print = NULL;
  const char *data = "%PDF-1.7 timestamped";
  GBytes *signature;
  gint64 gen_time = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *verify_argv[] = {
    "openssl", "ts", "-verify", "-data", sig_path, "-in", token_path, "-token_in",
    "-CAfile", fx.ca_pem, NULL
  };
  const char *print_argv[] = {
    "openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", cms_path, "-noout", NULL
  };
  const char *cms_verify_argv[] = {
    "openssl", "cms", "-verify", "-inform", "DER", "-in", cms_path, "-binary",
    "-content", data_path, "-CAfile", fx.ca_pem, "-purpose", "any", "-out", "/dev/null", NULL
  };

  cms = sign_data (data);
  parsed = lk_cms_parse (cms, &error);
  g_assert_no_error (error);
  signature = lk_cms_signed_data_get_signature (parsed);

  fx.mode = MODE_OPENSSL;
  token = request_token (signature, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (fx.n_requests, ==, 1);

  /* The token checks again on its own, and its time is about now (a
   * sanity range, not a timing). */
  lk_tsa_check_token (token, signature, NULL, &gen_time, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gen_time, >, now - 24 * 3600);
  g_assert_cmpint (gen_time, <, now + 24 * 3600);
  /* Not for other data. */
  other = g_bytes_new_static ("other", 5);
  g_assert_false (lk_tsa_check_token (token, other, NULL, NULL, &error));
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_MISMATCH);
  g_clear_error (&error);

  write_bytes (sig_path, signature);
  write_bytes (token_path, token);
  run_ok (verify_argv);

  stamped = lk_cms_add_unsigned_attribute (cms, LK_CMS_OID_TIMESTAMP_TOKEN, token, &error);
  g_assert_no_error (error);
  write_bytes (cms_path, stamped);
  g_assert_true (g_file_set_contents (data_path, data, -1, NULL));
  lk_test_run (print_argv, NULL, &print, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (print, "id-smime-aa-timeStampToken"));
  run_ok (cms_verify_argv);

  parsed_stamped = lk_cms_parse (stamped, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (lk_cms_signed_data_get_unsigned_attr (parsed_stamped,
                                                                      LK_CMS_OID_TIMESTAMP_TOKEN),
                                token));
  g_assert_true (g_bytes_equal (lk_cms_signed_data_get_signature (parsed_stamped), signature));
}

/* The one-call form the PAdES writer uses. */
static void
test_add_timestamp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) cms = sign_data ("%PDF-1.7 one call");
  g_autoptr(GBytes) stamped = NULL;
  g_autoptr(LkCmsSignedData) parsed = NULL;
  GBytes *token;

  fx.mode = MODE_OPENSSL;
  stamped = request_token_full (NULL, cms, &error);
  g_assert_no_error (error);
  parsed = lk_cms_parse (stamped, &error);
  g_assert_no_error (error);
  token = lk_cms_signed_data_get_unsigned_attr (parsed, LK_CMS_OID_TIMESTAMP_TOKEN);
  g_assert_nonnull (token);
  lk_tsa_check_token (token, lk_cms_signed_data_get_signature (parsed), NULL, NULL, &error);
  g_assert_no_error (error);
  lk_cms_signed_data_verify_digest (parsed, g_bytes_get_data (lk_cms_signed_data_get_message_digest (parsed), NULL),
                                    32, &error);
  g_assert_no_error (error);
}

static void
test_http_500 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signature = g_bytes_new_static ("signature", 9);
  g_autoptr(GBytes) token = NULL;

  fx.mode = MODE_HTTP_500;
  token = request_token (signature, &error);
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "500"));
  g_assert_null (token);
}

/* A genuine response to an earlier request (same data, another nonce). */
static void
test_replay (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) cms = sign_data ("%PDF-1.7 replayed");
  g_autoptr(LkCmsSignedData) parsed = lk_cms_parse (cms, &error);
  g_autoptr(GBytes) token = NULL;
  GBytes *signature;

  g_assert_no_error (error);
  signature = lk_cms_signed_data_get_signature (parsed);
  g_clear_pointer (&fx.first_response, g_bytes_unref);

  fx.mode = MODE_OPENSSL;
  token = request_token (signature, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx.first_response);
  g_clear_pointer (&token, g_bytes_unref);

  fx.mode = MODE_REPLAY;
  token = request_token (signature, &error);
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_MISMATCH);
  g_assert_null (token);
}

/* The TSA answers with a rejection: the error quotes its status text. */
static void
test_rejected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signature = g_bytes_new_static ("signature", 9);
  g_autoptr(GBytes) token = NULL;

  fx.mode = MODE_REJECT;
  token = request_token (signature, &error);
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "status 2"));
  g_assert_nonnull (strstr (error->message, "digest algorithm is not supported"));
  g_assert_null (token);
}

static void
test_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signature = g_bytes_new_static ("signature", 9);
  g_autoptr(GBytes) token = NULL;

  fx.mode = MODE_GARBAGE;
  token = request_token (signature, &error);
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID);
  g_assert_null (token);
}

/* Nothing listens: a network error, not a hang. */
static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signature = g_bytes_new_static ("signature", 9);
  g_autoptr(GBytes) token = NULL;

  token = lk_tsa_request ("http://127.0.0.1:1/tsa", signature, NULL, &error);
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_NETWORK);
  g_assert_null (token);
  g_clear_error (&error);
  token = lk_tsa_request ("ftp://127.0.0.1/tsa", signature, NULL, &error);
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_FAILED);
  g_assert_null (token);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  fx.dir = lk_test_make_tmpdir ("tsa");
  make_tsa (fx.dir);
  fx.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fx.server, "/tsa", tsa_handler, NULL, NULL);
  soup_server_listen_local (fx.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fx.server);
  g_assert_nonnull (uris);
  fx.url = g_strdup_printf ("http://127.0.0.1:%d/tsa", g_uri_get_port (uris->data));

  g_test_add_func ("/sign/tsa/timestamp", test_timestamp);
  g_test_add_func ("/sign/tsa/add-timestamp", test_add_timestamp);
  g_test_add_func ("/sign/tsa/http-500", test_http_500);
  g_test_add_func ("/sign/tsa/replay", test_replay);
  g_test_add_func ("/sign/tsa/rejected", test_rejected);
  g_test_add_func ("/sign/tsa/garbage", test_garbage);
  g_test_add_func ("/sign/tsa/unreachable", test_unreachable);

  ret = g_test_run ();

  g_object_unref (fx.server);
  g_clear_pointer (&fx.first_response, g_bytes_unref);
  lk_test_rm_rf (fx.dir);
  g_free (fx.dir);
  g_free (fx.conf);
  g_free (fx.reject_conf);
  g_free (fx.ca_pem);
  g_free (fx.ca_key);
  g_free (fx.url);
  return ret;
}
