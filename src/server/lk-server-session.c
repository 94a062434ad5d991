/* lk-server-session.c — POST and DELETE /api/v1/session: sign-in (Argon2id off
 * the main loop, throttled) and sign-out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "lk-json.h"
#include "lk-server-private.h"

typedef struct
{
  LkServer          *self;
  SoupServerMessage *msg;
  char              *user_id;      /* NULL for an unknown user */
  char              *username;
  char              *display_name;
  char              *role;
  char              *position;
  char              *nip;
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
  g_free (data->position);
  g_free (data->nip);
  g_free (data->user_key);
  g_free (data->addr_key);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoginData, login_data_free)

/* POST /api/v1/session */

static JsonNode *
build_session_reply (LkServer    *self,
                     LoginData   *data,
                     const char  *token,
                     gint64       expires_at,
                     GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *public_url = lk_server_get_public_url (self);
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
  json_builder_set_member_name (b, "position");
  if (data->position != NULL)
    json_builder_add_string_value (b, data->position);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "nip");
  if (data->nip != NULL)
    json_builder_add_string_value (b, data->nip);
  else
    json_builder_add_null_value (b);
  /* The base of the letters' QR codes: --public-url, else where we listen. */
  json_builder_set_member_name (b, "public_url");
  json_builder_add_string_value (b, public_url != NULL ? public_url : "");
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

void
lk_server_handle_session_post (LkServer          *self,
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
      !lk_json_depth_ok (g_bytes_get_data (body, NULL), g_bytes_get_size (body), LK_SERVER_MAX_JSON_DEPTH) ||
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
                           "SELECT id, display_name, role, password_hash, position, nip FROM users WHERE username = ?1",
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
      data->position = lk_server_column_dup (stmt, 4);
      data->nip = lk_server_column_dup (stmt, 5);
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

void
lk_server_handle_session_delete (LkServer          *self,
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

