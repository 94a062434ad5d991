/* lk-server-password.c — POST /api/v1/session/password: the signed-in user
 * changes their own password (the old one checked and throttled like a
 * sign-in, the new one hashed off the main loop; the other sessions end)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-users-private.h"

typedef struct
{
  Pending    pending;
  char      *user_id;
  char      *username;
  char      *token_hash;  /* of the session that asks: it stays */
  char      *user_key;
  char      *addr_key;
  char      *new_password;  /* wiped */
} PasswordChange;

static void
password_change_free (PasswordChange *change)
{
  lk_server_users_pending_clear (&change->pending);
  g_free (change->user_id);
  g_free (change->username);
  g_free (change->token_hash);
  g_free (change->user_key);
  g_free (change->addr_key);
  g_clear_pointer (&change->new_password, lk_server_users_wipe);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasswordChange, password_change_free)

/* POST /api/v1/session/password */

static void
password_hashed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PasswordChange) change = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = lk_server_users_hash_finish (result, &error);
  LkServer *self = change->pending.self;
  SoupServerMessage *msg = change->pending.msg;
  sqlite3_stmt *stmt;

  if (change->pending.finished)
    return;

  if (hash == NULL || !lk_store_begin (self->store, &error))
    {
      lk_server_respond_internal (msg, error);
      soup_server_message_unpause (msg);
      return;
    }

  stmt = lk_store_prepare (self->store,
                           "UPDATE users SET password_hash = ?2, version = version + 1 WHERE id = ?1",
                           &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, change->user_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
    }
  if (stmt == NULL ||
      !lk_server_step_done (self, stmt, "Saving the new password", &error) ||
      !lk_server_users_end_sessions (self, change->user_id, change->token_hash, &error))
    {
      lk_store_rollback (self->store);
      lk_server_respond_internal (msg, error);
    }
  else if (!lk_store_commit (self->store, &error))
    lk_server_respond_internal (msg, error);
  else
    {
      g_message ("User %s changed their password; their other sessions were ended",
                 change->username);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }

  soup_server_message_unpause (msg);
}

static void
password_verified_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PasswordChange) change = user_data;
  LkServer *self = change->pending.self;
  SoupServerMessage *msg = change->pending.msg;
  gboolean ok = lk_auth_verify_finish (result);

  if (change->pending.finished)
    return;

  if (!ok)
    {
      gint64 now = g_get_monotonic_time ();

      lk_throttle_add_failure (self->throttle, change->user_key, now);
      lk_throttle_add_failure (self->throttle, change->addr_key, now);
      g_clear_pointer (&change->new_password, lk_server_users_wipe);
      lk_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "auth_failed",
                               "The current password is wrong.");
      soup_server_message_unpause (msg);
      return;
    }

  lk_throttle_reset (self->throttle, change->user_key);
  lk_throttle_reset (self->throttle, change->addr_key);
  lk_server_users_hash_async (change->new_password, password_hashed_cb, change);
  g_clear_pointer (&change->new_password, lk_server_users_wipe);
  g_steal_pointer (&change);
}

void
lk_server_handle_password (LkServer          *self,
                           SoupServerMessage *msg)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PasswordChange) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *old_password, *new_password, *remote, *header;
  JsonObject *obj;
  gint64 now = g_get_monotonic_time ();
  sqlite3_stmt *stmt;
  int rc;

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  root = lk_server_parse_body (msg, "The body must be a JSON object with “old_password” and "
                                    "“new_password”.");
  if (root == NULL)
    return;
  obj = json_node_get_object (root);
  if (!lk_server_get_string_member (obj, "old_password", &old_password) ||
      !lk_server_get_string_member (obj, "new_password", &new_password) ||
      old_password == NULL || new_password == NULL ||
      strlen (old_password) > LK_AUTH_MAX_PASSWORD)
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "The body must be a JSON object with “old_password” and "
                               "“new_password”, both strings.");
      return;
    }
  if (strlen (new_password) < LK_SERVER_MIN_PASSWORD || strlen (new_password) > LK_SERVER_MAX_PASSWORD)
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "The new password must be 10 to 256 bytes long.");
      return;
    }
  if (g_str_equal (old_password, new_password))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "The new password must differ from the current one.");
      return;
    }

  remote = soup_server_message_get_remote_host (msg);
  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  change = g_new0 (PasswordChange, 1);
  change->user_id = g_strdup (user->id);
  change->username = g_strdup (user->username);
  change->token_hash = lk_auth_hash_token (header + 7);
  change->user_key = g_strconcat ("user:", user->username, NULL);
  change->addr_key = g_strconcat ("addr:", remote != NULL ? remote : "?", NULL);

  if (lk_throttle_is_blocked (self->throttle, change->user_key, now) ||
      lk_throttle_is_blocked (self->throttle, change->addr_key, now))
    {
      lk_server_respond_error (msg, 429 /* Too Many Requests */, "throttled",
                               "Too many wrong passwords; wait a few minutes and try again.");
      return;
    }

  stmt = lk_store_prepare (self->store, "SELECT password_hash FROM users WHERE id = ?1", &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, user->id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    hash = lk_server_column_dup (stmt, 0);
  else
    lk_store_set_sql_error (self->store, &error, "Looking up the password");
  sqlite3_reset (stmt);
  if (hash == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  change->new_password = g_strdup (new_password);
  lk_server_users_pending_start (&change->pending, self, msg);
  lk_auth_verify_async (hash, g_strdup (old_password), NULL,
                        password_verified_cb, g_steal_pointer (&change));
}
