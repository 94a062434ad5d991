/* lk-session-templates.c — the session's calls for letter templates and
 * signed letters: a template saved through the outbox (it works offline),
 * and a signed letter sent to the citizen again (needs the server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-session-private.h"
#include "letter/lk-letter-template.h"
#include "sync/lk-outbox.h"

/* The answer of POST /letters/ID/resend: a small JSON object. */
#define MAX_RESEND_REPLY (64 * 1024)

typedef struct
{
  LkStore *store;
  char    *service_type_id;
  char    *body;
  LkRole   role;
  gint64   outbox_count;    /* after the action */
  gint64   conflict_count;
} TemplateData;

static void
template_data_free (gpointer data)
{
  TemplateData *save = data;

  g_clear_object (&save->store);
  g_free (save->service_type_id);
  g_free (save->body);
  g_free (save);
}

static gboolean
save_template (TemplateData  *save,
               GError       **error)
{
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) local_error = NULL;

  /* The server takes templates from admins only. */
  if (save->role != LK_ROLE_ADMIN)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION, "%s",
                   _("Only administrators can change letter templates."));
      return FALSE;
    }

  template = lk_letter_template_parse (save->body, -1, &local_error);
  if (template == NULL)
    {
      g_set_error_literal (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID, local_error->message);
      return FALSE;
    }

  fields = json_object_new ();
  json_object_set_string_member (fields, "service_type", save->service_type_id);
  json_object_set_string_member (fields, "body", save->body);
  return lk_outbox_put (save->store, LK_KIND_TEMPLATE, save->service_type_id, fields, NULL, error);
}

static void
template_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  TemplateData *save = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = save_template (save, &error);

  /* Counted here, before the sync that follows can start. */
  save->outbox_count = lk_outbox_count (save->store);
  save->conflict_count = lk_outbox_count_conflicts (save->store);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
template_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LkSession *self = LK_SESSION (source);
  g_autoptr(GTask) outer = user_data;
  TemplateData *save = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  g_debug ("Queued the letter template of service type %s", save->service_type_id);
  lk_session_local_action_done (self, NULL, save->outbox_count, save->conflict_count);
  g_task_return_boolean (outer, TRUE);
}

static void
resend_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LkSyncClient *client = source_object;
  const char *letter_id = task_data;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  path = g_strdup_printf ("/api/v1/letters/%s/resend", letter_id);
  reply = lk_sync_client_post_json (client, path, NULL, MAX_RESEND_REPLY, cancellable, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
resend_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  LkSession *self = g_task_get_source_object (outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  /* The letter's new delivery state comes with the next pull. */
  lk_session_sync_now (self);
  g_task_return_boolean (outer, TRUE);
}

/* Public API (lk-session.h, "Issue 6") */

void
lk_session_save_template_async (LkSession           *self,
                                const char          *service_type_id,
                                const char          *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  TemplateData *save;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (service_type_id != NULL);
  g_return_if_fail (body != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, lk_session_save_template_async);

  if (lk_session_get_store (self) == NULL || lk_session_get_sync_engine (self) == NULL)
    {
      g_task_return_new_error (outer, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND, "%s",
                               _("The data on this computer is not open yet."));
      return;
    }

  save = g_new0 (TemplateData, 1);
  save->store = g_object_ref (lk_session_get_store (self));
  save->service_type_id = g_strdup (service_type_id);
  save->body = g_strdup (body);
  save->role = lk_session_get_role (self);

  task = g_task_new (self, cancellable, template_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, lk_session_save_template_async);
  g_task_set_task_data (task, save, template_data_free);
  g_task_run_in_thread (task, template_thread);
}

gboolean
lk_session_save_template_finish (LkSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_session_resend_letter_async (LkSession           *self,
                                const char          *letter_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  LkSyncClient *client;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (letter_id != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, lk_session_resend_letter_async);

  if (!lk_letter_id_is_valid (letter_id))
    {
      g_task_return_new_error (outer, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL, "%s",
                               _("The letter has an invalid id."));
      return;
    }
  client = lk_session_get_client (self);
  if (!lk_sync_client_is_signed_in (client))
    {
      g_task_return_new_error (outer, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE, "%s",
                               _("Sending a letter again needs the server. Connect, then try again."));
      return;
    }

  task = g_task_new (client, cancellable, resend_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, lk_session_resend_letter_async);
  g_task_set_task_data (task, g_strdup (letter_id), g_free);
  g_task_run_in_thread (task, resend_thread);
}

gboolean
lk_session_resend_letter_finish (LkSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
