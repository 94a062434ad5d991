/* lk-server-request.c — what every handler uses: responses, the signed-in
 * user, request bodies, small parsers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <libsoup/soup.h>
#include <stdarg.h>
#include <string.h>

#include "lk-json.h"
#include "lk-server-private.h"

#define MAX_AUTH_HEADER   256

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

/* Helpers */

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

gboolean
lk_server_is_uuid (const char *text)
{
  if (strlen (text) != LK_UUID_LENGTH)
    return FALSE;

  for (guint i = 0; i < LK_UUID_LENGTH; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
        return FALSE;
    }

  return TRUE;
}

char *
lk_server_column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

gboolean
lk_server_query_row (LkServer     *self,
                     const char   *sql,
                     const char   *key,
                     const char   *what,
                     gboolean     *found,
                     GError      **error,
                     char        **first,
                     ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  char **out;
  int rc, col = 0;

  stmt = lk_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);

  va_start (args, first);
  for (out = first; out != NULL; out = va_arg (args, char **))
    *out = rc == SQLITE_ROW ? lk_server_column_dup (stmt, col++) : NULL;
  va_end (args);

  if (found != NULL)
    *found = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, what);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
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
      !lk_json_depth_ok (data, len, LK_SERVER_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", expected);
      return NULL;
    }

  return json_node_ref (root);
}

/* *out is the string member, or NULL when absent; FALSE when the member
 * is there but not a string. */
gboolean
lk_server_get_string_member (JsonObject   *object,
                             const char   *name,
                             const char  **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
lk_server_step_done (LkServer      *self,
                     sqlite3_stmt  *stmt,
                     const char    *what,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, what);
      return FALSE;
    }

  return TRUE;
}
