/* lk-sync-client.c — talks to loket-server: sign-in, change feed, blobs
 *
 * Every blocking call makes its own SoupSession in the calling thread (a
 * libsoup 3 session belongs to the thread that uses it); the pull loop keeps
 * that one session, and its connection, for all its pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lk-json.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-private.h"

#define MAX_ERROR_BODY     (64 * 1024)  /* bytes of an error response we read */
#define MAX_LOGIN_BODY     (64 * 1024)
#define MAX_JSON_DEPTH     32
#define MAX_CREDENTIAL     1024         /* bytes in a password or user name */
#define MAX_TOKEN          1024
#define MAX_SERVER_MESSAGE 200          /* bytes of a server's error message we show */
#define READ_CHUNK         (64 * 1024)
#define MAX_NIP            32           /* bytes of a NIP (18 digits) */
#define MAX_UNITS          256          /* unit ids of a user */

struct _LkSyncClient
{
  GObject parent_instance;

  char   *server_url;  /* without a trailing slash */
  char   *username;

  GMutex  lock;        /* guards the members below: login runs in a worker */
  char   *token;
  char   *display_name;
  char   *role;
  char   *position;     /* the signer's position (jabatan), or NULL */
  char   *nip;          /* the signer's NIP, or NULL */
  char   *public_url;   /* the server's public URL (QR codes), or NULL */
  char  **units;        /* the user's unit ids, or NULL */
};

G_DEFINE_FINAL_TYPE (LkSyncClient, lk_sync_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-sync-error-quark, lk_sync_error)

typedef struct
{
  LkBlobCache *cache;
  char        *sha256;
} BlobData;

/* Helpers */

static void
wipe_string (char *str)
{
  if (str != NULL)
    {
      explicit_bzero (str, strlen (str));
      g_free (str);
    }
}

static void
blob_data_free (BlobData *data)
{
  g_clear_object (&data->cache);
  g_free (data->sha256);
  g_free (data);
}

SoupSession *
lk_sync_create_session (void)
{
  g_autofree char *user_agent = g_strdup_printf ("loket/%s", PACKAGE_VERSION);

  return soup_session_new_with_options ("timeout", LK_SYNC_TIMEOUT_SECONDS,
                                        "user-agent", user_agent,
                                        NULL);
}

static char *
dup_token (LkSyncClient *self)
{
  char *token;

  g_mutex_lock (&self->lock);
  token = g_strdup (self->token);
  g_mutex_unlock (&self->lock);

  return token;
}

static void
forget_session (LkSyncClient *self)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->token, wipe_string);
  g_mutex_unlock (&self->lock);
}

/* A message a person can read, from text a server sent: valid UTF-8, one
 * line, bounded. */
static char *
sanitize_server_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, MIN (strlen (text), MAX_SERVER_MESSAGE));
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

JsonNode *
lk_sync_parse_json (GBytes  *body,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len;

  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent an empty answer"));
      return NULL;
    }

  if (!lk_json_depth_ok (data, len, MAX_JSON_DEPTH))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent JSON nested deeper than %d levels"),
                   MAX_JSON_DEPTH);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent malformed JSON: %s"),
                   local_error->message);
      return NULL;
    }

  /* json-glib accepts a body of only whitespace, with no root at all. */
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent an empty answer"));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* NULL unless member is a string; also refuses strings longer than max. */
const char *
lk_sync_get_string_member (JsonObject *object,
                   const char *name,
                   gsize       max)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  if (value == NULL || strlen (value) > max)
    return NULL;

  return value;
}

static void
set_transport_error (LkSyncClient  *self,
                     GError        *io_error,
                     GError       **error)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (io_error));
      return;
    }

  g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
               _("Cannot reach the server at %s: %s"),
               self->server_url, io_error->message);
}

/* Reads the whole body, refusing more than max bytes. */
static GBytes *
read_body (LkSyncClient  *self,
           SoupMessage   *msg,
           GInputStream  *stream,
           gsize          max,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GByteArray) buffer = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  goffset content_length = 0;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    content_length = soup_message_headers_get_content_length (headers);

  if (content_length < 0 || (guint64) content_length > max)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_TOO_LARGE,
                   _("The server’s answer is larger than the limit of %zu bytes"),
                   max);
      return NULL;
    }

  buffer = g_byte_array_sized_new (content_length > 0 ? (guint) content_length : READ_CHUNK);

  for (;;)
    {
      guint8 chunk[READ_CHUNK];
      gssize n;

      n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
                         _("Cannot reach the server at %s: the connection was lost (%s)"),
                         self->server_url, local_error->message);
          return NULL;
        }
      if (n == 0)
        break;

      if (buffer->len + (gsize) n > max)
        {
          g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_TOO_LARGE,
                       _("The server’s answer is larger than the limit of %zu bytes"),
                       max);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint) n);
    }

  g_input_stream_close (stream, NULL, NULL);

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static void
set_http_error (LkSyncClient  *self,
                guint          status,
                GBytes        *body,
                gboolean       is_login,
                GError       **error)
{
  g_autofree char *message = NULL;
  const char *code = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (body != NULL)
    root = lk_sync_parse_json (body, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *err = json_object_get_member (json_node_get_object (root), "error");

      if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
        {
          JsonObject *err_object = json_node_get_object (err);

          code = lk_sync_get_string_member (err_object, "code", 64);
          message = sanitize_server_text (lk_sync_get_string_member (err_object, "message",
                                                             LK_STORE_MAX_TEXT));
        }
    }
  if (message == NULL || *message == '\0')
    {
      g_free (message);
      message = g_strdup (soup_status_get_phrase (status));
    }

  g_debug ("HTTP %u (%s) from %s", status, code ? code : "no code", self->server_url);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      forget_session (self);
      if (is_login)
        g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                             _("Wrong user name or password."));
      else
        g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SESSION_EXPIRED,
                     _("Your session on %s has ended; sign in again."),
                     self->server_url);
    }
  else if (status == 429 /* Too Many Requests */)
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                           _("Too many failed sign-ins; wait a few minutes and try again."));
    }
  else if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_TOO_LARGE,
                   _("The server refused the request as too large: %s"), message);
    }
  else if (status >= 400 && status < 500 && code != NULL)
    {
      /* A refusal the server explained (docs/api-v1.md: a sentence for
       * people): that sentence is the message, for the caller to frame. */
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER, message);
    }
  else
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                   _("The server at %s answered with an error (HTTP %u): %s"),
                   self->server_url, status, message);
    }
}

/* Sends msg and returns the body of a 2xx answer (at most max bytes); maps
 * every other outcome to an LK_SYNC_ERROR. */
GBytes *
lk_sync_client_send (LkSyncClient  *self,
              SoupSession   *session,
              SoupMessage   *msg,
              gsize          max,
              gboolean       is_login,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  stream = soup_session_send (session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      set_transport_error (self, local_error, error);
      return NULL;
    }

  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(GBytes) error_body = NULL;

      error_body = read_body (self, msg, stream, MAX_ERROR_BODY, cancellable, &local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      set_http_error (self, status, error_body, is_login, error);
      return NULL;
    }

  body = read_body (self, msg, stream, max, cancellable, error);

  return g_steal_pointer (&body);
}

SoupMessage *
lk_sync_client_new_request (LkSyncClient  *self,
                        const char    *method,
                        const char    *url,
                        GError       **error)
{
  g_autofree char *token = dup_token (self);
  g_autofree char *authorization = NULL;
  SoupMessage *msg;

  if (token == NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SESSION_EXPIRED,
                   _("Not signed in to %s; sign in first."), self->server_url);
      return NULL;
    }

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INVALID_URL,
                   _("Cannot build a request for %s"), self->server_url);
      return NULL;
    }

  authorization = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Authorization", authorization);
  explicit_bzero (authorization, strlen (authorization));
  explicit_bzero (token, strlen (token));

  return msg;
}

/* Appends s as a JSON string literal at out (which has room for
 * 6 * strlen (s) + 2 bytes); returns the new end. */
static char *
append_json_string (char       *out,
                    const char *s)
{
  static const char hex[] = "0123456789abcdef";

  *out++ = '"';
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          *out++ = '\\';
          *out++ = (char) *p;
        }
      else if (*p < 0x20)
        {
          *out++ = '\\';
          *out++ = 'u';
          *out++ = '0';
          *out++ = '0';
          *out++ = hex[*p >> 4];
          *out++ = hex[*p & 0xf];
        }
      else
        {
          *out++ = (char) *p;
        }
    }
  *out++ = '"';

  return out;
}

static gboolean
token_is_printable (const char *token)
{
  for (const char *p = token; *p != '\0'; p++)
    if (*p <= 0x20 || *p >= 0x7f)
      return FALSE;

  return *token != '\0';
}

/* Streams the file through SHA-256; FALSE when it cannot be read. */
static gboolean
file_has_sha256 (const char *path,
                 const char *sha256)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 chunk[READ_CHUNK];
  gssize n;

  stream = g_file_read (file, NULL, NULL);
  if (stream == NULL)
    return FALSE;

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), chunk, sizeof chunk, NULL, NULL)) > 0)
    g_checksum_update (checksum, chunk, n);
  if (n < 0)
    return FALSE;

  return g_strcmp0 (g_checksum_get_string (checksum), sha256) == 0;
}

/* Downloads a blob into path, resuming after the bytes already there
 * (Range, with If-Range on the blob's ETag so a changed answer starts
 * over). The bytes received are written as they come, so a dropped
 * connection keeps them for the next attempt. *restart is set when the
 * partial file must be dropped and the download started again. */
static gboolean
download_to_file (LkSyncClient  *self,
                  const char    *sha256,
                  const char    *path,
                  gboolean      *restart,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  g_autofree guint8 *chunk = NULL;
  SoupMessageHeaders *headers;
  goffset have = 0;
  goffset total;
  guint status;
  GStatBuf st;

  *restart = FALSE;

  if (g_stat (path, &st) == 0)
    have = st.st_size;
  if (have >= LK_BLOB_MAX_SIZE)
    {
      g_unlink (path);
      have = 0;
    }

  url = g_strdup_printf ("%s/api/v1/blobs/%s", self->server_url, sha256);
  msg = lk_sync_client_new_request (self, SOUP_METHOD_GET, url, error);
  if (msg == NULL)
    return FALSE;
  if (have > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%s\"", sha256);

      soup_message_headers_set_range (soup_message_get_request_headers (msg), have, -1);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Range", etag);
    }

  session = lk_sync_create_session ();
  stream = soup_session_send (session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      set_transport_error (self, local_error, error);
      return FALSE;
    }

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && have > 0)
    {
      g_unlink (path);
      *restart = TRUE;
      return TRUE;
    }
  if (status == SOUP_STATUS_PARTIAL_CONTENT && have > 0)
    {
      goffset start, end;

      if (!soup_message_headers_get_content_range (headers, &start, &end, &total) || start != have)
        {
          g_unlink (path);
          *restart = TRUE;
          return TRUE;
        }
      out = g_file_append_to (file, G_FILE_CREATE_PRIVATE, cancellable, error);
    }
  else if (status == SOUP_STATUS_OK)
    {
      have = 0;
      out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
    }
  else
    {
      g_autoptr(GBytes) error_body = NULL;

      if (SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                       _("The server answered a file request with HTTP %u"), status);
          return FALSE;
        }
      error_body = read_body (self, msg, stream, MAX_ERROR_BODY, cancellable, &local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      set_http_error (self, status, error_body, FALSE, error);
      return FALSE;
    }
  if (out == NULL)
    return FALSE;

  chunk = g_malloc (READ_CHUNK);
  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, READ_CHUNK, cancellable, &local_error);

      if (n < 0)
        {
          /* Keep what arrived: the next attempt asks for the rest. */
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
                         _("Cannot reach the server at %s: the connection was lost (%s); "
                           "the download resumes on the next attempt"),
                         self->server_url, local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;

      if (have + n > LK_BLOB_MAX_SIZE)
        {
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          g_unlink (path);
          g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_TOO_LARGE,
                       _("The server’s answer is larger than the limit of %zu bytes"),
                       (gsize) LK_BLOB_MAX_SIZE);
          return FALSE;
        }
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), chunk, (gsize) n, NULL,
                                      cancellable, error))
        {
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          return FALSE;
        }
      have += n;
    }

  g_input_stream_close (stream, NULL, NULL);

  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

/* Task threads */

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (lk_sync_client_login (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
fetch_blob_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BlobData *data = task_data;
  GError *error = NULL;
  char *path;

  path = lk_sync_client_fetch_blob (source_object, data->cache, data->sha256,
                                    cancellable, &error);
  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

/* GObject */

static void
lk_sync_client_finalize (GObject *object)
{
  LkSyncClient *self = (LkSyncClient *) object;

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->token, wipe_string);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->position, g_free);
  g_clear_pointer (&self->nip, g_free);
  g_clear_pointer (&self->public_url, g_free);
  g_clear_pointer (&self->units, g_strfreev);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lk_sync_client_parent_class)->finalize (object);
}

static void
lk_sync_client_class_init (LkSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_sync_client_finalize;
}

static void
lk_sync_client_init (LkSyncClient *self)
{
  g_mutex_init (&self->lock);
}

/* Public API */

LkSyncClient *
lk_sync_client_new (const char  *server_url,
                    const char  *username,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  LkSyncClient *self;
  const char *scheme;
  const char *path;
  gsize len;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a server address like http://127.0.0.1:8080: %s"),
                   server_url, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  path = g_uri_get_path (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (path[0] != '\0' && strcmp (path, "/") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a server address like https://loket.example.go.id or http://127.0.0.1:8080"),
                   server_url);
      return NULL;
    }

  if (*username == '\0' || strlen (username) > MAX_CREDENTIAL ||
      !g_utf8_validate (username, -1, NULL))
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                           _("The user name is empty or not valid text."));
      return NULL;
    }

  self = g_object_new (LK_TYPE_SYNC_CLIENT, NULL);
  self->server_url = g_strdup (server_url);
  len = strlen (self->server_url);
  if (len > 0 && self->server_url[len - 1] == '/')
    self->server_url[len - 1] = '\0';
  self->username = g_strdup (username);

  return self;
}

const char *
lk_sync_client_get_server_url (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  return self->server_url;
}

const char *
lk_sync_client_get_username (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  return self->username;
}

const char *
lk_sync_client_get_display_name (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  return self->display_name;
}

const char *
lk_sync_client_get_role (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  return self->role;
}

const char *
lk_sync_client_get_position (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  return self->position;
}

const char *
lk_sync_client_get_nip (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  return self->nip;
}

const char *
lk_sync_client_get_public_url (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  return self->public_url;
}

char **
lk_sync_client_dup_units (LkSyncClient *self)
{
  char **units;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);

  g_mutex_lock (&self->lock);
  units = g_strdupv (self->units);
  g_mutex_unlock (&self->lock);

  return units != NULL ? units : g_new0 (char *, 1);
}

JsonNode *
lk_sync_client_post_json (LkSyncClient  *self,
                          const char    *path,
                          JsonNode      *body,
                          gsize          max_answer,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return lk_sync_client_send_json (self, SOUP_METHOD_POST, path, body, max_answer, cancellable, error);
}

JsonNode *
lk_sync_client_send_json (LkSyncClient  *self,
                          const char    *method,
                          const char    *path,
                          JsonNode      *body,
                          gsize          max_answer,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) empty = NULL;
  char *text;
  gsize len;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  method = g_intern_string (method);
  url = g_strconcat (self->server_url, path, NULL);
  msg = lk_sync_client_new_request (self, method, url, error);
  if (msg == NULL)
    return NULL;

  if (body == NULL && method != SOUP_METHOD_GET && method != SOUP_METHOD_DELETE)
    body = empty = json_node_init_object (json_node_alloc (), json_object_new ());
  if (body != NULL)
    {
      generator = json_generator_new ();
      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &len);
      request = g_bytes_new_take (text, len);
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  session = lk_sync_create_session ();
  answer = lk_sync_client_send (self, session, msg, max_answer, FALSE, cancellable, error);
  if (answer == NULL)
    return NULL;
  if (g_bytes_get_size (answer) == 0)
    return json_node_init_object (json_node_alloc (), json_object_new ());

  return lk_sync_parse_json (answer, error);
}

gboolean
lk_sync_client_is_signed_in (LkSyncClient *self)
{
  gboolean signed_in;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);

  g_mutex_lock (&self->lock);
  signed_in = self->token != NULL;
  g_mutex_unlock (&self->lock);

  return signed_in;
}

gboolean
lk_sync_client_login (LkSyncClient  *self,
                      const char    *password,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  JsonObject *object;
  JsonNode *user_node;
  const char *token;
  const char *display_name = NULL;
  const char *role = NULL;
  const char *position = NULL;
  const char *nip = NULL;
  const char *public_url = NULL;
  g_autoptr(GStrvBuilder) units = g_strv_builder_new ();
  char *request_data;
  gsize request_size;
  char *end;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (strlen (password) > MAX_CREDENTIAL || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                           _("Wrong user name or password."));
      return FALSE;
    }

  url = g_strconcat (self->server_url, "/api/v1/session", NULL);
  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INVALID_URL,
                   _("Cannot build a request for %s"), self->server_url);
      return FALSE;
    }

  /* Written by hand into one buffer so that no other copy of the password
   * is left in freed memory; wiped as soon as the request is done. */
  request_size = 6 * (strlen (self->username) + strlen (password)) + 64;
  request_data = g_malloc (request_size);
  end = request_data;
  end = stpcpy (end, "{\"username\":");
  end = append_json_string (end, self->username);
  end = stpcpy (end, ",\"password\":");
  end = append_json_string (end, password);
  end = stpcpy (end, "}");
  g_assert ((gsize) (end - request_data) < request_size);

  request = g_bytes_new_static (request_data, end - request_data);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);

  session = lk_sync_create_session ();
  body = lk_sync_client_send (self, session, msg, MAX_LOGIN_BODY, TRUE, cancellable, error);

  g_clear_pointer (&request, g_bytes_unref);
  g_clear_object (&msg);
  explicit_bzero (request_data, request_size);
  g_free (request_data);

  if (body == NULL)
    return FALSE;

  root = lk_sync_parse_json (body, error);
  if (root == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    goto malformed;
  object = json_node_get_object (root);
  token = lk_sync_get_string_member (object, "token", MAX_TOKEN);
  if (token == NULL || !token_is_printable (token))
    goto malformed;

  user_node = json_object_get_member (object, "user");
  if (user_node != NULL && JSON_NODE_HOLDS_OBJECT (user_node))
    {
      JsonObject *user = json_node_get_object (user_node);

      display_name = lk_sync_get_string_member (user, "display_name", LK_STORE_MAX_TEXT);
      role = lk_sync_get_string_member (user, "role", 64);
      position = lk_sync_get_string_member (user, "position", LK_STORE_MAX_TEXT);
      nip = lk_sync_get_string_member (user, "nip", MAX_NIP);
      public_url = lk_sync_get_string_member (user, "public_url", LK_STORE_MAX_TEXT);
      if (json_object_has_member (user, "units") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (user, "units")))
        {
          JsonArray *array = json_object_get_array_member (user, "units");

          for (guint i = 0; i < json_array_get_length (array) && i < MAX_UNITS; i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING &&
                  strlen (json_node_get_string (element)) <= LK_STORE_MAX_TEXT &&
                  g_utf8_validate (json_node_get_string (element), -1, NULL))
                g_strv_builder_add (units, json_node_get_string (element));
            }
        }
    }
  if (public_url == NULL)
    public_url = lk_sync_get_string_member (object, "public_url", LK_STORE_MAX_TEXT);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->token, wipe_string);
  self->token = g_strdup (token);
  g_free (self->display_name);
  self->display_name = g_strdup (display_name ? display_name : self->username);
  g_free (self->role);
  self->role = g_strdup (role);
  g_free (self->position);
  self->position = g_strdup (position);
  g_free (self->nip);
  self->nip = g_strdup (nip);
  g_free (self->public_url);
  self->public_url = g_strdup (public_url);
  g_strfreev (self->units);
  self->units = g_strv_builder_end (units);
  g_mutex_unlock (&self->lock);

  g_debug ("Signed in to %s", self->server_url);

  return TRUE;

malformed:
  g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
               _("The server at %s sent a sign-in answer that this version of Loket does not understand"),
               self->server_url);
  return FALSE;
}

char *
lk_sync_client_fetch_blob (LkSyncClient  *self,
                           LkBlobCache   *cache,
                           const char    *sha256,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *cached = NULL;
  g_autofree char *partial = NULL;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (LK_IS_BLOB_CACHE (cache), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lk_blob_is_valid_sha256 (sha256))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("“%s” is not a SHA-256 hash (64 lower-case hex digits)"),
                   sha256 ? sha256 : "");
      return NULL;
    }

  cached = lk_blob_cache_lookup (cache, sha256);
  if (cached != NULL)
    {
      /* A damaged cache file (disk error, someone editing it) is fetched
       * again rather than shown. */
      if (file_has_sha256 (cached, sha256))
        return g_steal_pointer (&cached);

      g_debug ("Cached blob %s is damaged; fetching it again", sha256);
      g_unlink (cached);
      g_clear_pointer (&cached, g_free);
    }

  partial = lk_blob_cache_partial_path (cache, sha256, error);
  if (partial == NULL)
    return NULL;

  /* A second try only when the server cannot serve the range we asked for
   * (the partial file is stale): it starts from nothing. */
  for (int attempt = 0; attempt < 2; attempt++)
    {
      gboolean restart = FALSE;

      if (!download_to_file (self, sha256, partial, &restart, cancellable, error))
        return NULL;
      if (!restart)
        break;
    }

  return lk_blob_cache_adopt (cache, sha256, partial, error);
}

void
lk_sync_client_login_async (LkSyncClient        *self,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_login_async);
  g_task_set_task_data (task, g_strdup (password), (GDestroyNotify) wipe_string);
  g_task_run_in_thread (task, login_thread);
}

gboolean
lk_sync_client_login_finish (LkSyncClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_sync_client_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_sync_client_fetch_blob_async (LkSyncClient        *self,
                                 LkBlobCache         *cache,
                                 const char          *sha256,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BlobData *data;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));
  g_return_if_fail (LK_IS_BLOB_CACHE (cache));

  data = g_new0 (BlobData, 1);
  data->cache = g_object_ref (cache);
  data->sha256 = g_strdup (sha256);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_fetch_blob_async);
  g_task_set_task_data (task, data, (GDestroyNotify) blob_data_free);
  g_task_run_in_thread (task, fetch_blob_thread);
}

char *
lk_sync_client_fetch_blob_finish (LkSyncClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_sync_client_fetch_blob_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
remember_meta (LkStore     *store,
               const char  *key,
               const char  *value,
               GError     **error)
{
  g_autofree char *old = NULL;

  if (value == NULL)
    return TRUE;
  old = lk_store_get_meta (store, key);
  if (g_strcmp0 (old, value) == 0)
    return TRUE;

  return lk_store_set_meta (store, key, value, error);
}

gboolean
lk_sync_client_remember_account (LkSyncClient  *self,
                                 LkStore       *store,
                                 GError       **error)
{
  g_autofree char *role = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *position = NULL;
  g_autofree char *nip = NULL;
  g_autofree char *public_url = NULL;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);

  if (!lk_sync_client_is_signed_in (self))
    return TRUE;

  g_mutex_lock (&self->lock);
  role = g_strdup (self->role);
  display_name = g_strdup (self->display_name);
  position = g_strdup (self->position);
  nip = g_strdup (self->nip);
  public_url = g_strdup (self->public_url);
  g_mutex_unlock (&self->lock);

  return remember_meta (store, LK_META_ACCOUNT_USERNAME, self->username, error) &&
         remember_meta (store, LK_META_ACCOUNT_ROLE, role, error) &&
         remember_meta (store, LK_META_ACCOUNT_DISPLAY_NAME, display_name, error) &&
         remember_meta (store, LK_META_ACCOUNT_POSITION, position, error) &&
         remember_meta (store, LK_META_ACCOUNT_NIP, nip, error) &&
         remember_meta (store, LK_META_ACCOUNT_PUBLIC_URL, public_url, error);
}
