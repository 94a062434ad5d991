/* lk-tsa.c — an RFC 3161 timestamp client over libsoup and libtasn1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sign"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <libsoup/soup.h>

#include "sign/lk-cms.h"
#include "sign/lk-cms-private.h"
#include "sign/lk-tsa.h"

#define TSA_TIMEOUT_SECONDS 30
#define TSA_MAX_RESPONSE    (64 * 1024)
#define NONCE_SIZE          8
#define OID_KP_TIME_STAMPING "1.3.6.1.5.5.7.3.8"

G_DEFINE_QUARK (lk-tsa-error-quark, lk_tsa_error)

/* The DER of a TimeStampReq for DIGEST (SHA-256) with NONCE. */
static GBytes *
make_request (const guint8  *digest,
              GBytes        *nonce,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  asn1_node req = lk_cms_asn1_new ("LkCms.TimeStampReq", &local_error);
  GBytes *out = NULL;
  int ret = ASN1_SUCCESS;

  if (req != NULL &&
      ((ret = asn1_write_value (req, "version", "1", 0)) != ASN1_SUCCESS ||
       (ret = lk_cms_asn1_write_algorithm (req, "messageImprint.hashAlgorithm",
                                           LK_CMS_OID_SHA256, TRUE)) != ASN1_SUCCESS ||
       (ret = asn1_write_value (req, "messageImprint.hashedMessage", digest,
                                LK_CMS_SHA256_SIZE)) != ASN1_SUCCESS ||
       (ret = asn1_write_value (req, "reqPolicy", NULL, 0)) != ASN1_SUCCESS ||
       (ret = asn1_write_value (req, "nonce", g_bytes_get_data (nonce, NULL),
                                (int) g_bytes_get_size (nonce))) != ASN1_SUCCESS ||
       (ret = asn1_write_value (req, "certReq", "TRUE", 1)) != ASN1_SUCCESS ||
       (ret = asn1_write_value (req, "extensions", NULL, 0)) != ASN1_SUCCESS))
    g_set_error (&local_error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED, "%s", asn1_strerror (ret));
  if (local_error == NULL)
    out = lk_cms_asn1_encode (req, "", &local_error);
  asn1_delete_structure (&req);

  if (out == NULL)
    g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_FAILED,
                 _("Cannot build the timestamp request: %s"), local_error->message);
  return out;
}

/* GeneralizedTime "YYYYMMDDHHMMSS[.f…]Z" as Unix time, or -1. */
static gint64
parse_generalized_time (const char *s)
{
  g_autoptr(GDateTime) time = NULL;
  int f[7];
  gsize len = strlen (s);

  if (len < 15 || s[len - 1] != 'Z')
    return -1;
  for (int i = 0; i < 14; i++)
    if (!g_ascii_isdigit (s[i]))
      return -1;
  if (s[14] != 'Z' && s[14] != '.')
    return -1;
  f[0] = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  for (int i = 1; i < 6; i++)
    f[i] = (s[2 + 2 * i] - '0') * 10 + (s[3 + 2 * i] - '0');
  time = g_date_time_new_utc (f[0], f[1], f[2], f[3], f[4], f[5]);
  return time != NULL ? g_date_time_to_unix (time) : -1;
}

static gboolean
is_time_stamping_cert (gnutls_x509_crt_t crt)
{
  for (unsigned int i = 0; i < 32; i++)
    {
      char oid[128];
      size_t size = sizeof oid;
      unsigned int critical = 0;

      if (gnutls_x509_crt_get_key_purpose_oid (crt, i, oid, &size, &critical) < 0)
        return FALSE;
      if (strcmp (oid, OID_KP_TIME_STAMPING) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
lk_tsa_check_token (GBytes   *token,
                    GBytes   *data,
                    GBytes   *nonce,
                    gint64   *gen_time,
                    GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LkCmsSignedData) cms = NULL;
  g_autoptr(GBytes) imprint = NULL;
  g_autoptr(GBytes) token_nonce = NULL;
  g_autofree char *imprint_oid = NULL;
  char time_string[64];
  int time_len = sizeof time_string - 1;
  GBytes *econtent;
  asn1_node tst = NULL;
  guint8 digest[LK_CMS_SHA256_SIZE];
  gboolean ok = FALSE;
  gint64 time;

  g_return_val_if_fail (token != NULL && data != NULL, FALSE);

  cms = lk_cms_parse (token, &local_error);
  if (cms == NULL)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The timestamp token cannot be read: %s"), local_error->message);
      return FALSE;
    }
  econtent = lk_cms_signed_data_get_econtent (cms);
  if (g_strcmp0 (lk_cms_signed_data_get_content_type (cms), LK_CMS_OID_TST_INFO) != 0 ||
      econtent == NULL)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The timestamp token holds no TSTInfo"));
      return FALSE;
    }
  if (!lk_cms_signed_data_verify_econtent (cms, &local_error))
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_SIGNATURE,
                   _("The timestamp token’s signature is not valid: %s"), local_error->message);
      return FALSE;
    }
  if (!is_time_stamping_cert (lk_cms_signed_data_get_signer (cms)))
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_SIGNATURE,
                   _("The timestamp token is signed by a certificate that is not for timestamping"));
      return FALSE;
    }

  tst = lk_cms_asn1_decode ("LkCms.TSTInfo", g_bytes_get_data (econtent, NULL),
                            g_bytes_get_size (econtent), "TSTInfo",
                            &local_error);
  if (tst == NULL)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The timestamp token cannot be read: %s"), local_error->message);
      return FALSE;
    }

  if (lk_cms_asn1_read_int (tst, "version") != 1 ||
      asn1_read_value (tst, "genTime", time_string, &time_len) != ASN1_SUCCESS)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The timestamp token has no version 1 TSTInfo with a time"));
      goto out;
    }
  time_string[MAX (0, MIN (time_len, (int) sizeof time_string - 1))] = '\0';
  time = parse_generalized_time (time_string);
  if (time < 0)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The timestamp token’s time cannot be read"));
      goto out;
    }

  imprint_oid = lk_cms_asn1_read_oid (tst, "messageImprint.hashAlgorithm.algorithm");
  imprint = lk_cms_asn1_read (tst, "messageImprint.hashedMessage");
  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, g_bytes_get_data (data, NULL),
                        g_bytes_get_size (data), digest) < 0 ||
      g_strcmp0 (imprint_oid, LK_CMS_OID_SHA256) != 0 || imprint == NULL ||
      g_bytes_get_size (imprint) != sizeof digest ||
      memcmp (g_bytes_get_data (imprint, NULL), digest, sizeof digest) != 0)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_MISMATCH,
                   _("The timestamp token is for other data than the signature"));
      goto out;
    }

  if (nonce != NULL)
    {
      g_autoptr(GBytes) want = lk_cms_integer_normalize (nonce);
      g_autoptr(GBytes) have = NULL;

      token_nonce = lk_cms_asn1_read (tst, "nonce");
      if (token_nonce != NULL)
        have = lk_cms_integer_normalize (token_nonce);
      if (have == NULL || !g_bytes_equal (have, want))
        {
          g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_MISMATCH,
                       _("The timestamp token answers another request (its nonce differs): "
                         "it may be replayed"));
          goto out;
        }
    }

  if (gen_time != NULL)
    *gen_time = time;
  ok = TRUE;

out:
  asn1_delete_structure (&tst);
  return ok;
}

/* The body of the answer, at most TSA_MAX_RESPONSE bytes. */
static GBytes *
post_request (const char    *url,
              GBytes        *request,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree guint8 *buffer = NULL;
  gsize length = 0;
  guint status;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_FAILED,
                   _("“%s” is not an http or https address of a timestamp authority"), url);
      return NULL;
    }

  session = soup_session_new_with_options ("timeout", TSA_TIMEOUT_SECONDS,
                                           "idle-timeout", TSA_TIMEOUT_SECONDS,
                                           "user-agent", "Loket ",
                                           NULL);
  msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_set_request_body_from_bytes (msg, "application/timestamp-query", request);

  stream = soup_session_send (session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_NETWORK,
                     _("Cannot reach the timestamp authority at %s: %s"),
                     g_uri_get_host (uri), local_error->message);
      return NULL;
    }

  status = soup_message_get_status (msg);
  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_HTTP,
                   _("The timestamp authority at %s answered with HTTP error %u (%s)"),
                   g_uri_get_host (uri), status,
                   soup_message_get_reason_phrase (msg) != NULL ? soup_message_get_reason_phrase (msg) : "");
      return NULL;
    }

  buffer = g_malloc (TSA_MAX_RESPONSE + 1);
  if (!g_input_stream_read_all (stream, buffer, TSA_MAX_RESPONSE + 1, &length,
                                cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_NETWORK,
                     _("Cannot read the answer of the timestamp authority at %s: %s"),
                     g_uri_get_host (uri), local_error->message);
      return NULL;
    }
  g_input_stream_close (stream, NULL, NULL);

  if (length > TSA_MAX_RESPONSE)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The answer of the timestamp authority is larger than 64 KiB"));
      return NULL;
    }

  return g_bytes_new (buffer, length);
}

/* The TimeStampToken of RESPONSE (a TimeStampResp), when it is granted. */
static GBytes *
read_response (GBytes  *response,
               GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) text = NULL;
  const guint8 *der = g_bytes_get_data (response, NULL);
  asn1_node resp;
  GBytes *token = NULL;
  int start = 0;
  int end = 0;
  int status;

  resp = lk_cms_asn1_decode ("LkCms.TimeStampResp", der, g_bytes_get_size (response),
                             "TimeStampResp", &local_error);
  if (resp == NULL)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The timestamp authority did not send a timestamp response: %s"),
                   local_error->message);
      return NULL;
    }

  status = lk_cms_asn1_read_int (resp, "status.status");
  if (status != 0 && status != 1)
    {
      g_autofree char *string = NULL;

      text = lk_cms_asn1_read (resp, "status.statusString.?1");
      if (text != NULL)
        string = g_utf8_make_valid (g_bytes_get_data (text, NULL),
                                    (gssize) MIN (g_bytes_get_size (text), 200));
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_REJECTED,
                   _("The timestamp authority refused the request (status %d): %s"),
                   status, string != NULL ? string : _("no reason given"));
      goto out;
    }

  if (asn1_der_decoding_startEnd (resp, der, (int) g_bytes_get_size (response), "timeStampToken",
                                  &start, &end) != ASN1_SUCCESS ||
      start < 0 || end < start)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_INVALID,
                   _("The timestamp authority granted the request but sent no token"));
      goto out;
    }
  token = g_bytes_new (der + start, (gsize) (end - start + 1));

out:
  asn1_delete_structure (&resp);
  return token;
}

GBytes *
lk_tsa_request (const char    *url,
                GBytes        *signature,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GBytes) nonce = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) token = NULL;
  guint8 digest[LK_CMS_SHA256_SIZE];
  guint8 nonce_bytes[1 + NONCE_SIZE];
  int ret;

  g_return_val_if_fail (url != NULL && signature != NULL, NULL);

  /* A positive INTEGER: the leading zero keeps the sign bit clear. */
  nonce_bytes[0] = 0;
  if ((ret = gnutls_rnd (GNUTLS_RND_NONCE, nonce_bytes + 1, NONCE_SIZE)) < 0 ||
      (ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, g_bytes_get_data (signature, NULL),
                               g_bytes_get_size (signature), digest)) < 0)
    {
      g_set_error (error, LK_TSA_ERROR, LK_TSA_ERROR_FAILED,
                   _("Cannot build the timestamp request: %s"), gnutls_strerror (ret));
      return NULL;
    }
  nonce = g_bytes_new (nonce_bytes, sizeof nonce_bytes);

  request = make_request (digest, nonce, error);
  if (request == NULL)
    return NULL;
  response = post_request (url, request, cancellable, error);
  if (response == NULL)
    return NULL;
  token = read_response (response, error);
  if (token == NULL)
    return NULL;
  if (!lk_tsa_check_token (token, signature, nonce, NULL, error))
    return NULL;

  return g_steal_pointer (&token);
}

GBytes *
lk_tsa_add_timestamp (GBytes        *cms,
                      const char    *url,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(LkCmsSignedData) parsed = NULL;
  g_autoptr(GBytes) token = NULL;

  g_return_val_if_fail (cms != NULL && url != NULL, NULL);

  parsed = lk_cms_parse (cms, error);
  if (parsed == NULL)
    return NULL;
  token = lk_tsa_request (url, lk_cms_signed_data_get_signature (parsed), cancellable, error);
  if (token == NULL)
    return NULL;
  return lk_cms_add_unsigned_attribute (cms, LK_CMS_OID_TIMESTAMP_TOKEN, token, error);
}
