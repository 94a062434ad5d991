/* lk-server.c — the server object: listening, the router of the v1 API,
 * request body limits, trust anchors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <glib/gi18n.h>
#include <gnutls/x509.h>
#include <libsoup/soup.h>
#include <string.h>

#include "store/lk-store-private.h"
#include "lk-server-html.h"
#include "lk-server-private.h"

#define TOO_LARGE_KEY     "lk-too-large"
#define BODY_LIMIT_KEY    "lk-body-limit"


G_DEFINE_FINAL_TYPE (LkServer, lk_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-server-error-quark, lk_server_error)

/* Request body limit: checked as the body arrives, so an oversized body is
 * never kept in memory. */

static void
mark_too_large (SoupServerMessage *msg)
{
  g_object_set_data (G_OBJECT (msg), TOO_LARGE_KEY, GINT_TO_POINTER (TRUE));
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gsize limit = 0;

  /* The public pages (uploads) have their own limits. */
  if (path != NULL && !g_str_has_prefix (path, LK_API_PREFIX "/"))
    limit = lk_server_public_body_limit (soup_server_message_get_method (msg), path);
  if (limit == 0)
    limit = lk_server_body_limit (msg);

  g_object_set_data (G_OBJECT (msg), BODY_LIMIT_KEY, GSIZE_TO_POINTER (limit));
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) limit)
    mark_too_large (msg);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  gsize limit = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg), BODY_LIMIT_KEY));

  if (limit == 0)
    limit = LK_SERVER_MAX_BODY;
  if (g_object_get_data (G_OBJECT (msg), TOO_LARGE_KEY) == NULL &&
      body->length > (goffset) limit)
    mark_too_large (msg);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

/* GET /api/v1/health */

static void
handle_health (LkServer          *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lk_server_respond_json (msg, SOUP_STATUS_OK, root);
}

/* Router */

static void
api_cb (SoupServer        *soup,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  LkServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *rest;

  if (g_object_get_data (G_OBJECT (msg), TOO_LARGE_KEY) != NULL)
    {
      if (!g_str_has_prefix (path, LK_API_PREFIX "/"))
        lk_html_respond_too_large (msg, path);
      else
        lk_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                 "The request body is larger than this endpoint accepts (see docs/api-v1.md).");
      return;
    }

  /* The public pages (no session): /v/ID, /verify, /apply, /track. */
  if (!g_str_has_prefix (path, LK_API_PREFIX "/"))
    {
      lk_server_handle_public (self, msg, path, query);
      return;
    }
  rest = path + strlen (LK_API_PREFIX);

  if (g_str_equal (rest, "/health"))
    {
      if (method != SOUP_METHOD_GET)
        goto bad_method;
      handle_health (self, msg);
    }
  else if (g_str_equal (rest, "/session"))
    {
      if (method == SOUP_METHOD_POST)
        lk_server_handle_session_post (self, msg);
      else if (method == SOUP_METHOD_DELETE)
        lk_server_handle_session_delete (self, msg);
      else
        goto bad_method;
    }
  else if (g_str_equal (rest, "/session/password"))
    {
      if (method != SOUP_METHOD_POST)
        goto bad_method;
      lk_server_handle_password (self, msg);
    }
  else if (g_str_equal (rest, "/changes"))
    {
      if (method != SOUP_METHOD_GET)
        goto bad_method;
      lk_server_handle_changes (self, msg, query);
    }
  else if (g_str_equal (rest, "/ops"))
    {
      if (method != SOUP_METHOD_POST)
        goto bad_method;
      lk_server_handle_ops (self, msg);
    }
  else if (g_str_has_prefix (rest, "/blobs/"))
    {
      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        lk_server_handle_blob_get (self, msg, rest + strlen ("/blobs/"));
      else if (method == SOUP_METHOD_PUT)
        lk_server_handle_blob_put (self, msg, rest + strlen ("/blobs/"));
      else
        goto bad_method;
    }
  else if (g_str_has_prefix (rest, "/uploads/"))
    {
      if (method != SOUP_METHOD_GET)
        goto bad_method;
      lk_server_handle_upload_status (self, msg, rest + strlen ("/uploads/"));
    }
  else if (g_str_equal (rest, "/users") || g_str_has_prefix (rest, "/users/"))
    lk_server_handle_users (self, msg, rest + strlen ("/users"));
  else if (g_str_equal (rest, "/numbers") || g_str_has_prefix (rest, "/numbers/") ||
           g_str_equal (rest, "/number-blocks") || g_str_has_prefix (rest, "/number-blocks/"))
    lk_server_handle_numbers (self, msg, rest, query);
  else if (g_str_equal (rest, "/letters") || g_str_has_prefix (rest, "/letters/"))
    lk_server_handle_letters (self, msg, rest + strlen ("/letters"), query);
  else
    goto not_found;

  return;

not_found:
  lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such API endpoint.");
  return;

bad_method:
  lk_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request",
                 "This endpoint does not take that method.");
}

static void
lk_server_finalize (GObject *object)
{
  LkServer *self = LK_SERVER (object);

  lk_server_disconnect (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->throttle, lk_throttle_free);
  g_free (self->dummy_hash);
  g_clear_pointer (&self->trust_files, g_ptr_array_unref);
  lk_server_mail_free (self);
  g_free (self->public_url);

  G_OBJECT_CLASS (lk_server_parent_class)->finalize (object);
}

static void
lk_server_class_init (LkServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_server_finalize;
}

static void
lk_server_init (LkServer *self)
{
  self->throttle = lk_throttle_new (LK_SERVER_MAX_FAILURES, LK_SERVER_THROTTLE_USEC);
  self->trust_files = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->trust_files, NULL);
}

LkServer *
lk_server_new (LkStore  *store,
               GError  **error)
{
  g_autoptr(LkServer) self = NULL;
  g_autofree char *dummy = NULL;

  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  self = g_object_new (LK_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);

  dummy = lk_auth_new_token (error);
  if (dummy == NULL)
    return NULL;
  self->dummy_hash = lk_auth_hash_password (dummy, error);
  if (self->dummy_hash == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

static GInetAddress *
parse_host (const char *host)
{
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return g_inet_address_new_from_string (host);
}

/* Splits and checks HOST:PORT; the address when it may be served. */
static GSocketAddress *
parse_listen (const char  *listen,
              gboolean     tls,
              GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) addr = NULL;
  const char *colon;
  guint64 port;

  colon = strrchr (listen, ':');
  if (colon == NULL || colon == listen || !lk_server_parse_uint64 (colon + 1, G_MAXUINT16, &port))
    {
      g_set_error (error, LK_SERVER_ERROR, LK_SERVER_ERROR_ADDRESS,
                   _("“%s” is not an address to listen on; use HOST:PORT, e.g. 127.0.0.1:8080"),
                   listen);
      return NULL;
    }

  if (listen[0] == '[' && colon[-1] == ']')
    host = g_strndup (listen + 1, colon - listen - 2);
  else
    host = g_strndup (listen, colon - listen);

  addr = parse_host (host);
  if (addr == NULL)
    {
      g_set_error (error, LK_SERVER_ERROR, LK_SERVER_ERROR_ADDRESS,
                   _("“%s” is not an IP address; give the address to listen on, e.g. 127.0.0.1 or [::1]"),
                   host);
      return NULL;
    }

  if (!tls && !g_inet_address_get_is_loopback (addr))
    {
      g_set_error (error, LK_SERVER_ERROR, LK_SERVER_ERROR_INSECURE,
                   _("Refusing to serve plain HTTP on %s, which is not a loopback address; "
                     "give --tls-cert and --tls-key, or listen on 127.0.0.1"),
                   host);
      return NULL;
    }

  return g_inet_socket_address_new (addr, (guint16) port);
}

gboolean
lk_server_check_listen (const char  *listen,
                        gboolean     tls,
                        GError     **error)
{
  g_autoptr(GSocketAddress) sockaddr = NULL;

  g_return_val_if_fail (listen != NULL, FALSE);

  sockaddr = parse_listen (listen, tls, error);

  return sockaddr != NULL;
}

gboolean
lk_server_listen (LkServer         *self,
                  const char       *listen,
                  GTlsCertificate  *tls_certificate,
                  GError          **error)
{
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LK_IS_SERVER (self), FALSE);
  g_return_val_if_fail (listen != NULL, FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  sockaddr = parse_listen (listen, tls_certificate != NULL, error);
  if (sockaddr == NULL)
    return FALSE;

  self->soup = g_object_new (SOUP_TYPE_SERVER,
                             "server-header", "loket-server/" PACKAGE_VERSION " ",
                             "tls-certificate", tls_certificate,
                             NULL);
  self->tls = tls_certificate != NULL;
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (self->soup, "/", api_cb, self, NULL);

  if (!soup_server_listen (self->soup, sockaddr,
                           self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, &local_error))
    {
      g_set_error (error, LK_SERVER_ERROR, LK_SERVER_ERROR_LISTEN,
                   _("Cannot listen on %s: %s"), listen, local_error->message);
      g_clear_object (&self->soup);
      return FALSE;
    }

  /* Links in letters and mail default to where the server listens. */
  if (self->public_url == NULL)
    self->public_url = lk_server_dup_url (self);

  return TRUE;
}

gboolean
lk_server_add_trust_file (LkServer    *self,
                          const char  *path,
                          GError     **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gnutls_x509_crt_t *certs = NULL;
  unsigned int n_certs = 0;
  gnutls_datum_t datum;
  gsize len;

  g_return_val_if_fail (LK_IS_SERVER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  absolute = g_canonicalize_filename (path, NULL);
  if (!g_file_get_contents (absolute, &contents, &len, &local_error))
    {
      g_set_error (error, LK_SERVER_ERROR, LK_SERVER_ERROR_TRUST,
                   _("Cannot read the trust anchors in %s: %s"), path, local_error->message);
      return FALSE;
    }

  datum.data = (unsigned char *) contents;
  datum.size = (unsigned int) len;
  if (gnutls_x509_crt_list_import2 (&certs, &n_certs, &datum, GNUTLS_X509_FMT_PEM, 0) < 0 ||
      n_certs == 0)
    {
      g_set_error (error, LK_SERVER_ERROR, LK_SERVER_ERROR_TRUST,
                   _("%s holds no PEM certificate to trust"), path);
      return FALSE;
    }
  for (unsigned int i = 0; i < n_certs; i++)
    gnutls_x509_crt_deinit (certs[i]);
  gnutls_free (certs);

  /* Keep the array NULL-terminated. */
  g_ptr_array_insert (self->trust_files, (int) self->trust_files->len - 1,
                      g_steal_pointer (&absolute));

  return TRUE;
}

const char * const *
lk_server_get_trust_files (LkServer *self)
{
  g_return_val_if_fail (LK_IS_SERVER (self), NULL);

  return (const char * const *) self->trust_files->pdata;
}

char *
lk_server_dup_url (LkServer *self)
{
  GSList *uris;
  char *url = NULL;

  g_return_val_if_fail (LK_IS_SERVER (self), NULL);

  if (self->soup == NULL)
    return NULL;

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    {
      GUri *uri = uris->data;
      const char *host = g_uri_get_host (uri);
      gboolean v6 = strchr (host, ':') != NULL;

      url = g_strdup_printf ("%s://%s%s%s:%d", self->tls ? "https" : "http",
                             v6 ? "[" : "", host, v6 ? "]" : "", g_uri_get_port (uri));
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return url;
}

void
lk_server_disconnect (LkServer *self)
{
  g_return_if_fail (LK_IS_SERVER (self));

  lk_server_mail_stop (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
