/* lk-server.c — router and handlers of the v1 API
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
#include "lk-server-private.h"

#define MAX_AUTH_HEADER   256
#define TOO_LARGE_KEY     "lk-too-large"
#define BODY_LIMIT_KEY    "lk-body-limit"


G_DEFINE_FINAL_TYPE (LkServer, lk_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-server-error-quark, lk_server_error)

typedef struct
{
  LkServer          *self;
  SoupServerMessage *msg;
  char              *user_id;      /* NULL for an unknown user */
  char              *username;
  char              *display_name;
  char              *role;
  char              *user_key;
  char              *addr_key;
  gulong             finished_id;
  gboolean           finished;     /* the connection went away meanwhile */
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_clear_object (&data->self);
  if (data->msg != NULL && data->finished_id != 0)
    g_signal_handler_disconnect (data->msg, data->finished_id);
  g_clear_object (&data->msg);
  g_free (data->user_id);
  g_free (data->username);
  g_free (data->display_name);
  g_free (data->role);
  g_free (data->user_key);
  g_free (data->addr_key);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoginData, login_data_free)

/* Responses */

void
lk_server_respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *root)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

void
lk_server_respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  lk_server_respond_json (msg, status, root);
}

void
lk_server_respond_internal (SoupServerMessage *msg,
                  const GError      *error)
{
  g_warning ("Request failed: %s", error != NULL ? error->message : "unknown error");
  lk_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                 "The server failed to handle the request; see its log.");
}

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

gsize
lk_server_body_limit (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  if (method == SOUP_METHOD_POST && g_strcmp0 (path, LK_API_PREFIX "/ops") == 0)
    return LK_SERVER_MAX_OPS_BODY;
  if (method == SOUP_METHOD_PUT && path != NULL && g_str_has_prefix (path, LK_API_PREFIX "/blobs/"))
    return LK_SERVER_MAX_CHUNK;

  return LK_SERVER_MAX_BODY;
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gsize limit = lk_server_body_limit (msg);

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

/* Helpers */

gboolean
lk_server_json_depth_ok (const char *data,
               gsize       len,
               int         max_depth)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      /* json-glib's scanner also takes comments and single-quoted strings,
       * which would hide brackets from this count (a comment holding '"'
       * before "[[[…" overflowed the parser's stack); JSON has neither. */
      else if (c == '/' || c == '\'')
        return FALSE;
      else if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        {
          if (--depth < 0)
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
lk_server_parse_uint64 (const char *text,
              guint64     max,
              guint64    *out)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0' || strlen (text) > 19)
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
    }

  if (value > max)
    return FALSE;

  *out = value;
  return TRUE;
}

gboolean
lk_server_is_sha256_hex (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

char *
lk_server_column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

void
lk_server_user_free (LkServerUser *user)
{
  if (user == NULL)
    return;

  g_free (user->id);
  g_free (user->username);
  g_free (user->display_name);
  g_clear_pointer (&user->units, g_ptr_array_unref);
  g_free (user);
}

gboolean
lk_server_user_has_unit (LkServerUser *user,
                         const char   *unit)
{
  if (unit == NULL)
    return FALSE;

  for (guint i = 0; i < user->units->len; i++)
    if (g_str_equal (g_ptr_array_index (user->units, i), unit))
      return TRUE;

  return FALSE;
}

LkServerUser *
lk_server_load_user (LkServer    *self,
                     const char  *column,
                     const char  *value,
                     GError     **error)
{
  g_autoptr(LkServerUser) user = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (g_str_equal (column, "id") || g_str_equal (column, "username"), NULL);

  stmt = lk_store_prepare (self->store,
                           g_str_equal (column, "id")
                           ? "SELECT id, username, display_name, role FROM users WHERE id = ?1"
                           : "SELECT id, username, display_name, role FROM users WHERE username = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      user = g_new0 (LkServerUser, 1);
      user->id = lk_server_column_dup (stmt, 0);
      user->username = lk_server_column_dup (stmt, 1);
      user->display_name = lk_server_column_dup (stmt, 2);
      user->role = lk_role_from_string ((const char *) sqlite3_column_text (stmt, 3));
      user->units = g_ptr_array_new_with_free_func (g_free);
    }
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, "Looking up a user");
  sqlite3_reset (stmt);
  if (user == NULL)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, "No such user");
      return NULL;
    }

  stmt = lk_store_prepare (self->store,
                           "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, user->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (user->units, lk_server_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Listing the user's units");
      return NULL;
    }

  return g_steal_pointer (&user);
}

LkServerUser *
lk_server_authenticate (LkServer          *self,
                        SoupServerMessage *msg)
{
  const char *header;
  g_autofree char *token_hash = NULL;
  g_autofree char *user_id = NULL;
  g_autoptr(GError) error = NULL;
  LkServerUser *user;
  sqlite3_stmt *stmt;
  int rc;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL)
    {
      lk_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "auth_required",
                               "Sign in first: this request needs a session token.");
      return NULL;
    }

  if (strlen (header) > MAX_AUTH_HEADER ||
      g_ascii_strncasecmp (header, "Bearer ", 7) != 0 ||
      header[7] == '\0')
    {
      lk_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "auth_required",
                               "The Authorization header must be “Bearer TOKEN”.");
      return NULL;
    }

  token_hash = lk_auth_hash_token (header + 7);
  stmt = lk_store_prepare (self->store,
                           "SELECT user_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
                           &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user_id = lk_server_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, &error, "Looking up the session");
  sqlite3_reset (stmt);

  if (error != NULL)
    {
      lk_server_respond_internal (msg, error);
      return NULL;
    }
  if (user_id == NULL)
    {
      lk_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "session_expired",
                               "The session has ended or is unknown; sign in again.");
      return NULL;
    }

  user = lk_server_load_user (self, "id", user_id, &error);
  if (user == NULL)
    {
      /* The user was removed while the session lived. */
      if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        lk_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "session_expired",
                                 "The session has ended or is unknown; sign in again.");
      else
        lk_server_respond_internal (msg, error);
      return NULL;
    }

  return user;
}

JsonNode *
lk_server_parse_body (SoupServerMessage *msg,
                      const char        *expected)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  const char *data;
  gsize len;

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &len);
  if (len == 0 || len > lk_server_body_limit (msg) ||
      !g_utf8_validate (data, len, NULL) ||
      !lk_server_json_depth_ok (data, len, LK_SERVER_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", expected);
      return NULL;
    }

  return json_node_ref (root);
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

/* POST /api/v1/session */

static JsonNode *
build_session_reply (LkServer    *self,
                     LoginData   *data,
                     const char  *token,
                     gint64       expires_at,
                     GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_int_value (b, expires_at);
  json_builder_set_member_name (b, "user");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, data->username);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, data->display_name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, data->role);
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);

  stmt = lk_store_prepare (self->store,
                           "SELECT unit_id FROM user_units WHERE user_id = ?1 ORDER BY unit_id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, data->user_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Listing the user's units");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static gboolean
create_session (LkServer    *self,
                const char  *user_id,
                const char  *token,
                gint64       now,
                gint64       expires_at,
                GError     **error)
{
  g_autofree char *token_hash = lk_auth_hash_token (token);
  sqlite3_stmt *stmt;
  int rc;

  /* Forget ended sessions on the way. */
  stmt = lk_store_prepare (self->store, "DELETE FROM sessions WHERE expires_at <= ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Removing ended sessions");
      return FALSE;
    }

  stmt = lk_store_prepare (self->store,
                           "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Saving the session");
      return FALSE;
    }

  return TRUE;
}

static void
login_finished_cb (LoginData *data)
{
  data->finished = TRUE;
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LoginData) data = user_data;
  LkServer *self = data->self;
  SoupServerMessage *msg = data->msg;
  gboolean ok = lk_auth_verify_finish (result);

  if (data->finished)
    return;

  if (ok && data->user_id != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;
      g_autoptr(JsonNode) reply = NULL;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      gint64 expires_at = now + LK_AUTH_SESSION_SECONDS;

      lk_throttle_reset (self->throttle, data->user_key);
      lk_throttle_reset (self->throttle, data->addr_key);

      token = lk_auth_new_token (&error);
      if (token == NULL ||
          !create_session (self, data->user_id, token, now, expires_at, &error) ||
          (reply = build_session_reply (self, data, token, expires_at, &error)) == NULL)
        lk_server_respond_internal (msg, error);
      else
        {
          g_info ("User %s signed in", data->username);
          lk_server_respond_json (msg, SOUP_STATUS_OK, reply);
        }
    }
  else
    {
      gint64 now = g_get_monotonic_time ();

      lk_throttle_add_failure (self->throttle, data->user_key, now);
      lk_throttle_add_failure (self->throttle, data->addr_key, now);
      lk_server_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "auth_failed",
                     "Wrong user name or password.");
    }

  soup_server_message_unpause (msg);
}

static void
handle_session_post (LkServer          *self,
                     SoupServerMessage *msg)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LoginData) data = NULL;
  const char *username, *password, *remote;
  const char *hash = NULL;
  JsonObject *obj;
  JsonNode *root;
  sqlite3_stmt *stmt;
  gint64 now = g_get_monotonic_time ();
  int rc;

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > LK_SERVER_MAX_BODY ||
      !lk_server_json_depth_ok (g_bytes_get_data (body, NULL), g_bytes_get_size (body), LK_SERVER_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "The body must be a JSON object with “username” and “password”.");
      return;
    }

  obj = json_node_get_object (root);
  username = json_object_get_string_member_with_default (obj, "username", NULL);
  password = json_object_get_string_member_with_default (obj, "password", NULL);
  if (username == NULL || password == NULL ||
      *username == '\0' || strlen (username) > LK_SERVER_MAX_USERNAME ||
      strlen (password) > LK_AUTH_MAX_PASSWORD)
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "The body must be a JSON object with “username” and “password”.");
      return;
    }

  remote = soup_server_message_get_remote_host (msg);
  data = g_new0 (LoginData, 1);
  data->self = g_object_ref (self);
  data->msg = g_object_ref (msg);
  data->username = g_strdup (username);
  data->user_key = g_strconcat ("user:", username, NULL);
  data->addr_key = g_strconcat ("addr:", remote != NULL ? remote : "?", NULL);

  if (lk_throttle_is_blocked (self->throttle, data->user_key, now) ||
      lk_throttle_is_blocked (self->throttle, data->addr_key, now))
    {
      lk_server_respond_error (msg, 429 /* Too Many Requests */, "throttled",
                     "Too many failed sign-ins; wait a few minutes and try again.");
      return;
    }

  stmt = lk_store_prepare (self->store,
                           "SELECT id, display_name, role, password_hash FROM users WHERE username = ?1",
                           &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_text (stmt, 3) != NULL)
    {
      data->user_id = lk_server_column_dup (stmt, 0);
      data->display_name = lk_server_column_dup (stmt, 1);
      data->role = lk_server_column_dup (stmt, 2);
      hash = (const char *) sqlite3_column_text (stmt, 3);
    }
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, &error, "Looking up the user");

  if (error != NULL)
    {
      sqlite3_reset (stmt);
      lk_server_respond_internal (msg, error);
      return;
    }

  /* An unknown user costs the same KDF run as a known one. */
  data->finished_id = g_signal_connect_swapped (msg, "finished",
                                                G_CALLBACK (login_finished_cb), data);
  soup_server_message_pause (msg);
  lk_auth_verify_async (hash != NULL ? hash : self->dummy_hash,
                        g_strdup (password), NULL,
                        login_verified_cb, g_steal_pointer (&data));
  sqlite3_reset (stmt);
}

/* DELETE /api/v1/session */

static void
handle_session_delete (LkServer          *self,
                       SoupServerMessage *msg)
{
  g_autoptr(LkServerUser) user = lk_server_authenticate (self, msg);
  g_autofree char *token_hash = NULL;
  g_autoptr(GError) error = NULL;
  const char *header;
  sqlite3_stmt *stmt;
  int rc;

  if (user == NULL)
    return;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  token_hash = lk_auth_hash_token (header + 7);
  stmt = lk_store_prepare (self->store, "DELETE FROM sessions WHERE token_hash = ?1", &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, &error, "Ending the session");
      lk_server_respond_internal (msg, error);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* GET /api/v1/changes */

static const char *
changes_sql (void)
{
  static char *sql;
  static gsize done;

  /* SQLite builds each record's JSON text (the members of
   * lk_store_get_json), which is spliced into the page as it is. The unary
   * + keeps the planner walking the primary key in seq order, so LIMIT
   * stops the scan after one page; through an index on unit it would
   * gather and sort every remaining change first (64 ms a page at 100 000
   * cases, growing with the database). */
  if (g_once_init_enter (&done))
    {
      sql = g_strdup_printf ("SELECT ch.seq, ch.kind, %s FROM changes AS ch "
                             "WHERE ch.seq > ?1 AND (+ch.unit IS NULL OR +ch.unit IN "
                             "(SELECT unit_id FROM user_units WHERE user_id = ?2)) "
                             "ORDER BY ch.seq LIMIT ?3",
                             lk_store_change_record_sql ());
      g_once_init_leave (&done, 1);
    }

  return sql;
}

static void
handle_changes (LkServer          *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) page = NULL;
  const char *since_s = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_s = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 since = 0, limit = LK_SERVER_DEFAULT_PAGE;
  gint64 last = -1;
  guint n_rows = 0;
  gboolean more = FALSE, first = TRUE;
  sqlite3_stmt *stmt;
  gsize len;
  int rc;

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  if (since_s != NULL && *since_s != '\0' && !lk_server_parse_uint64 (since_s, G_MAXINT64, &since))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "“since” must be a cursor returned as “next” by an earlier page.");
      return;
    }
  if (limit_s != NULL && (!lk_server_parse_uint64 (limit_s, LK_SERVER_MAX_PAGE, &limit) || limit < 1))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "“limit” must be a number from 1 to 1000.");
      return;
    }

  stmt = lk_store_prepare (self->store, changes_sql (), &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, (gint64) since);
  sqlite3_bind_text (stmt, 2, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  /* A demo record is 200–400 bytes of JSON: one allocation for most pages. */
  page = g_string_sized_new (4096 + (gsize) limit * 384);
  g_string_append (page, "{\"changes\":[");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *record = (const char *) sqlite3_column_text (stmt, 2);

      if (n_rows++ == limit)
        {
          more = TRUE;
          break;
        }
      last = sqlite3_column_int64 (stmt, 0);

      /* A record that is gone, or a kind this build does not know. */
      if (record == NULL || !lk_store_kind_is_valid (kind))
        continue;

      /* Appended piece by piece: printf's %s scans and copies the record
       * text a byte at a time. kind is one of the store's kinds. */
      if (!first)
        g_string_append_c (page, ',');
      g_string_append_printf (page, "{\"seq\":%" G_GINT64_FORMAT ",\"kind\":\"", last);
      g_string_append (page, kind);
      g_string_append (page, "\",\"record\":");
      g_string_append_len (page, record, sqlite3_column_bytes (stmt, 2));
      g_string_append_c (page, '}');
      first = FALSE;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, &error, "Reading the change feed");
  sqlite3_reset (stmt);
  if (error != NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  g_string_append_printf (page, "],\"next\":\"%" G_GINT64_FORMAT "\",\"more\":%s}",
                          last >= 0 ? last : (gint64) since, more ? "true" : "false");

  len = page->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (g_steal_pointer (&page), FALSE), len);
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
      lk_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                               "The request body is larger than this endpoint accepts (see docs/api-v1.md).");
      return;
    }

  if (!g_str_has_prefix (path, LK_API_PREFIX "/"))
    goto not_found;
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
        handle_session_post (self, msg);
      else if (method == SOUP_METHOD_DELETE)
        handle_session_delete (self, msg);
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
      handle_changes (self, msg, query);
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

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
