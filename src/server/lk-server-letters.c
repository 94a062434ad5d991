/* lk-server-letters.c — the register of signed letters: read, revoke,
 * resend (docs/api-v1.md, "Letters")
 *
 * Letters are written by the move to signed (lk-server-ops-letter.c);
 * every change here bumps the record's version and reaches the desks
 * through the letters change triggers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "lk-server-private.h"

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
kick_idle_cb (gpointer data)
{
  lk_server_mail_kick (data);
  return G_SOURCE_REMOVE;
}

/* The letter ID when the user may see it (its unit is one of theirs);
 * NULL after answering 404 (or 500). */
static JsonObject *
load_letter (LkServer          *self,
             SoupServerMessage *msg,
             LkServerUser      *user,
             const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) letter = NULL;

  if (lk_letter_id_is_valid (id))
    letter = lk_store_get_json (self->store, LK_KIND_LETTER, id, &error);
  if (letter == NULL && error != NULL && !g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
    {
      lk_server_respond_internal (msg, error);
      return NULL;
    }
  if (letter == NULL || !lk_server_user_has_unit (user, json_object_get_string_member (letter, "unit")))
    {
      lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such letter in your units.");
      return NULL;
    }

  return g_steal_pointer (&letter);
}

static void
respond_letter (LkServer          *self,
                SoupServerMessage *msg,
                const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) letter = lk_store_get_json (self->store, LK_KIND_LETTER, id, &error);
  g_autoptr(JsonNode) root = NULL;

  if (letter == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  root = json_node_init_object (json_node_alloc (), letter);
  lk_server_respond_json (msg, SOUP_STATUS_OK, root);
}

/* POST /letters/ID/revoke {"reason"} (admin) */

static void
handle_revoke (LkServer          *self,
               SoupServerMessage *msg,
               LkServerUser      *user,
               JsonObject        *letter)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = json_object_get_string_member (letter, "id");
  const char *reason;
  sqlite3_stmt *stmt;

  if (user->role != LK_ROLE_ADMIN)
    {
      lk_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", "Only an administrator may revoke a letter.");
      return;
    }
  root = lk_server_parse_body (msg, "The body must be {\"reason\": text}.");
  if (root == NULL)
    return;
  if (!lk_server_get_string_member (json_node_get_object (root), "reason", &reason) || reason == NULL ||
      is_blank (reason) || strlen (reason) > LK_STORE_MAX_TEXT ||
      !g_utf8_validate (reason, -1, NULL))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Revoking a letter needs “reason”: text of 1 to 4096 bytes, shown on its public page.");
      return;
    }
  if (g_strcmp0 (json_object_get_string_member (letter, "status"), "revoked") == 0)
    {
      lk_server_respond_error (msg, SOUP_STATUS_CONFLICT, "conflict", "The letter is revoked already.");
      return;
    }

  if (!lk_store_begin (self->store, &error))
    goto failed;
  stmt = lk_store_prepare (self->store,
                           "UPDATE letters SET status = 'revoked', status_reason = ?2, status_at = ?3, "
                           "version = version + 1 WHERE id = ?1 AND status <> 'revoked'",
                           &error);
  if (stmt == NULL)
    {
      lk_store_rollback (self->store);
      goto failed;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (!lk_server_step_done (self, stmt, "Revoking a letter", &error))
    {
      lk_store_rollback (self->store);
      goto failed;
    }
  if (!lk_store_commit (self->store, &error))
    goto failed;

  g_message ("Letter %s revoked by %s", id, user->username);
  respond_letter (self, msg, id);
  return;

failed:
  lk_server_respond_internal (msg, error);
}

/* POST /letters/ID/resend (admin, officer) */

static void
handle_resend (LkServer          *self,
               SoupServerMessage *msg,
               LkServerUser      *user,
               JsonObject        *letter)
{
  g_autoptr(GError) error = NULL;
  const char *id = json_object_get_string_member (letter, "id");
  const char *state = json_object_get_string_member_with_default (letter, "delivery_state", NULL);

  if (user->role != LK_ROLE_ADMIN && user->role != LK_ROLE_OFFICER)
    {
      lk_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                               "Only an administrator or an officer may send a letter again.");
      return;
    }
  if (g_strcmp0 (json_object_get_string_member (letter, "status"), "valid") != 0)
    {
      lk_server_respond_error (msg, SOUP_STATUS_CONFLICT, "conflict",
                               "Only a valid letter is sent; this one is revoked or superseded.");
      return;
    }
  if (g_strcmp0 (state, "queued") == 0 || g_strcmp0 (state, "delivered") == 0)
    {
      lk_server_respond_error (msg, SOUP_STATUS_CONFLICT, "conflict",
                               "The letter is queued or delivered already; only a failed delivery is sent again.");
      return;
    }

  if (!lk_store_begin (self->store, &error))
    goto failed;
  if (!lk_server_mail_queue_letter (self, id, g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      lk_store_rollback (self->store);
      goto failed;
    }
  if (!lk_store_commit (self->store, &error))
    goto failed;
  g_idle_add_full (G_PRIORITY_DEFAULT, kick_idle_cb, g_object_ref (self), g_object_unref);

  g_message ("Letter %s queued again by %s", id, user->username);
  respond_letter (self, msg, id);
  return;

failed:
  lk_server_respond_internal (msg, error);
}

void
lk_server_handle_letters (LkServer          *self,
                          SoupServerMessage *msg,
                          const char        *rest,
                          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(JsonObject) letter = NULL;
  g_autofree char *id = NULL;
  const char *tail, *slash;

  if (*rest != '/' || rest[1] == '\0')
    {
      lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such API endpoint.");
      return;
    }
  slash = strchr (rest + 1, '/');
  id = slash != NULL ? g_strndup (rest + 1, slash - rest - 1) : g_strdup (rest + 1);
  tail = slash != NULL ? slash : "";
  if (!(*tail == '\0' && method == SOUP_METHOD_GET) &&
      !(g_str_equal (tail, "/revoke") && method == SOUP_METHOD_POST) &&
      !(g_str_equal (tail, "/resend") && method == SOUP_METHOD_POST))
    {
      if (*tail == '\0' || g_str_equal (tail, "/revoke") || g_str_equal (tail, "/resend"))
        lk_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request",
                                 "This endpoint does not take that method.");
      else
        lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such API endpoint.");
      return;
    }

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;
  letter = load_letter (self, msg, user, id);
  if (letter == NULL)
    return;

  if (*tail == '\0')
    respond_letter (self, msg, id);
  else if (g_str_equal (tail, "/revoke"))
    handle_revoke (self, msg, user, letter);
  else
    handle_resend (self, msg, user, letter);
}
