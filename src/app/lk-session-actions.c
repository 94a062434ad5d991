/* lk-session-actions.c — the session's local actions: a transition, a
 * note, a checklist mark, a conflict resolved; applied to the local store and queued in the
 * outbox in a thread, then pushed at once when the server can be reached
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-session-private.h"
#include "sync/lk-outbox.h"

typedef enum
{
  ACTION_TRANSITION,
  ACTION_NOTE,
  ACTION_RESOLVE,
  ACTION_CHECKLIST,
} ActionKind;

typedef struct
{
  ActionKind   kind;
  LkStore     *store;
  char        *case_id;      /* or the conflict id */
  LkCaseState  to;
  char        *text;         /* reason or note */
  char        *actor;
  LkRole       role;
  GHashTable  *keep_mine;
  guint        item;         /* checklist */
  LkCheckStatus status;
  char        *document_id;
  GTask       *outer;
  gint64       outbox_count;    /* after the action */
  gint64       conflict_count;
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action = data;

  g_clear_object (&action->store);
  g_free (action->case_id);
  g_free (action->text);
  g_free (action->actor);
  g_free (action->document_id);
  g_clear_pointer (&action->keep_mine, g_hash_table_unref);
  g_clear_object (&action->outer);
  g_free (action);
}

static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ActionData *action = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (action->kind)
    {
    case ACTION_TRANSITION:
      ok = lk_outbox_transition (action->store, action->case_id, action->to, action->text,
                                 NULL, action->actor, action->role, NULL, &error);
      break;
    case ACTION_NOTE:
      ok = lk_outbox_add_note (action->store, action->case_id, action->text,
                               action->actor, NULL, &error);
      break;
    case ACTION_RESOLVE:
      ok = lk_outbox_resolve_conflict (action->store, action->case_id, action->keep_mine,
                                       action->actor, action->role, &error);
      break;
    case ACTION_CHECKLIST:
      /* The server takes checklist marks from officers only. */
      if (action->role != LK_ROLE_OFFICER)
        g_set_error (&error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION, "%s",
                     _("Only officers can mark the requirements of a case."));
      else
        ok = lk_outbox_set_checklist (action->store, action->case_id, action->item, action->status,
                                      action->text, action->document_id, action->actor, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  /* Counted here, before the sync that follows can start: the engine's
   * round after it counts again. */
  action->outbox_count = lk_outbox_count (action->store);
  action->conflict_count = lk_outbox_count_conflicts (action->store);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
action_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkSession *self = LK_SESSION (source);
  ActionData *action = g_task_get_task_data (G_TASK (result));
  GTask *outer = action->outer;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  /* A resolved conflict's id is not a case's. */
  lk_session_local_action_done (self, action->kind != ACTION_RESOLVE ? action->case_id : NULL,
                                action->outbox_count, action->conflict_count);
  g_task_return_boolean (outer, TRUE);
}

static void
run_action (LkSession  *self,
            ActionData *action,
            GTask      *outer)
{
  g_autoptr(GTask) task = NULL;

  if (lk_session_get_store (self) == NULL || lk_session_get_sync_engine (self) == NULL)
    {
      g_task_return_new_error (outer, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND, "%s",
                               _("The data on this computer is not open yet."));
      action_data_free (action);
      return;
    }

  action->store = g_object_ref (lk_session_get_store (self));
  action->actor = g_strdup (lk_session_get_username (self));
  action->role = lk_session_get_role (self);
  action->outer = g_object_ref (outer);

  task = g_task_new (self, g_task_get_cancellable (outer), action_done_cb, NULL);
  g_task_set_source_tag (task, run_action);
  g_task_set_task_data (task, action, action_data_free);
  g_task_run_in_thread (task, action_thread);
}

/* Public API (lk-session.h, "Local actions") */

void
lk_session_transition_async (LkSession           *self,
                             const char          *case_id,
                             LkCaseState          to,
                             const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *action;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (case_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_transition_async);

  action = g_new0 (ActionData, 1);
  action->kind = ACTION_TRANSITION;
  action->case_id = g_strdup (case_id);
  action->to = to;
  action->text = reason != NULL && *reason != '\0' ? g_strdup (reason) : NULL;
  run_action (self, action, task);
}

gboolean
lk_session_transition_finish (LkSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_session_add_note_async (LkSession           *self,
                           const char          *case_id,
                           const char          *text,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *action;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (case_id != NULL);
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_add_note_async);

  action = g_new0 (ActionData, 1);
  action->kind = ACTION_NOTE;
  action->case_id = g_strdup (case_id);
  action->text = g_strdup (text);
  run_action (self, action, task);
}

gboolean
lk_session_add_note_finish (LkSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_session_resolve_conflict_async (LkSession           *self,
                                   const char          *conflict_id,
                                   GHashTable          *keep_mine,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *action;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (conflict_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_resolve_conflict_async);

  action = g_new0 (ActionData, 1);
  action->kind = ACTION_RESOLVE;
  action->case_id = g_strdup (conflict_id);
  action->keep_mine = keep_mine != NULL
                      ? g_hash_table_ref (keep_mine)
                      : g_hash_table_new (g_str_hash, g_str_equal);
  run_action (self, action, task);
}

gboolean
lk_session_resolve_conflict_finish (LkSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_session_set_checklist_async (LkSession           *self,
                                const char          *case_id,
                                guint                item,
                                LkCheckStatus        status,
                                const char          *reason,
                                const char          *document_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ActionData *action;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (case_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_set_checklist_async);

  action = g_new0 (ActionData, 1);
  action->kind = ACTION_CHECKLIST;
  action->case_id = g_strdup (case_id);
  action->item = item;
  action->status = status;
  action->text = reason != NULL && *reason != '\0' ? g_strdup (reason) : NULL;
  action->document_id = document_id != NULL && *document_id != '\0' ? g_strdup (document_id) : NULL;
  run_action (self, action, task);
}

gboolean
lk_session_set_checklist_finish (LkSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
