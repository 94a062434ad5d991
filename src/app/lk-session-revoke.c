/* lk-session-revoke.c — the session's call that revokes a signed letter
 * (POST /api/v1/letters/ID/revoke, admins only; needs the server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-session-private.h"
#include "letter/lk-letter-template.h"

/* The answer: the letter's record, a small JSON object. */
#define MAX_REVOKE_REPLY (64 * 1024)

typedef struct
{
  char *letter_id;
  char *reason;
} RevokeData;

static void
revoke_data_free (gpointer data)
{
  RevokeData *revoke = data;

  g_free (revoke->letter_id);
  g_free (revoke->reason);
  g_free (revoke);
}

static void
set_offline_error (GError **error)
{
  g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
                       _("Revoking needs a connection to the server; try again when online."));
}

static void
revoke_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LkSyncClient *client = source_object;
  RevokeData *revoke = task_data;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  json_object_set_string_member (body, "reason", revoke->reason);
  request = json_node_init_object (json_node_alloc (), body);
  path = g_strdup_printf ("/api/v1/letters/%s/revoke", revoke->letter_id);
  answer = lk_sync_client_post_json (client, path, request, MAX_REVOKE_REPLY, cancellable, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
        {
          g_clear_error (&error);
          set_offline_error (&error);
        }
      g_task_return_error (task, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL, "%s",
                               _("The server answered something unexpected; the letter may not be revoked."));
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (answer)),
                         (GDestroyNotify) json_object_unref);
}

static void
revoke_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  LkSession *self = g_task_get_source_object (outer);
  JsonObject *letter;
  GError *error = NULL;

  letter = g_task_propagate_pointer (G_TASK (result), &error);
  if (letter == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }

  g_debug ("Revoked letter %s", json_object_get_string_member_with_default (letter, "id", "?"));
  /* The revoked record reaches the local store with the next pull. */
  lk_session_sync_now (self);
  g_task_return_pointer (outer, letter, (GDestroyNotify) json_object_unref);
}

/* Public API (lk-session.h, "Issue 6") */

void
lk_session_revoke_letter_async (LkSession           *self,
                                const char          *letter_id,
                                const char          *reason,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = NULL;
  LkSyncClient *client;
  RevokeData *revoke;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (letter_id != NULL);
  g_return_if_fail (reason != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, lk_session_revoke_letter_async);

  if (!lk_letter_id_is_valid (letter_id))
    {
      g_task_return_new_error (outer, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL, "%s",
                               _("The letter has an invalid id."));
      return;
    }
  trimmed = g_strstrip (g_strdup (reason));
  if (*trimmed == '\0' || !g_utf8_validate (trimmed, -1, NULL) ||
      g_utf8_strlen (trimmed, -1) > LK_SESSION_MAX_REVOKE_REASON)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Give the reason for revoking, at most %d characters."),
                               LK_SESSION_MAX_REVOKE_REASON);
      return;
    }
  if (lk_session_get_role (self) != LK_ROLE_ADMIN)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                               _("Only administrators can revoke a letter."));
      return;
    }
  client = lk_session_get_client (self);
  if (!lk_sync_client_is_signed_in (client))
    {
      GError *error = NULL;

      set_offline_error (&error);
      g_task_return_error (outer, error);
      return;
    }

  revoke = g_new0 (RevokeData, 1);
  revoke->letter_id = g_strdup (letter_id);
  revoke->reason = g_steal_pointer (&trimmed);
  task = g_task_new (client, cancellable, revoke_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, lk_session_revoke_letter_async);
  g_task_set_task_data (task, revoke, revoke_data_free);
  g_task_run_in_thread (task, revoke_thread);
}

JsonObject *
lk_session_revoke_letter_finish (LkSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
