/* lk-session-numbers.c — the session's calls on the register of letter
 * numbers (docs/api-v1.md, "Numbering"): read one series (GET
 * /api/v1/numbers, admins only) and void an issued number (POST
 * /api/v1/numbers/void, admins and signers of its unit). Both need the
 * server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-session-private.h"

#define MAX_VOID_REPLY  (64 * 1024)        /* bytes of the answer to a void */
#define MAX_PAGE_REPLY  (8 * 1024 * 1024)  /* bytes of one page of the register (1000 rows) */
#define PAGE_ROWS       1000               /* rows asked per page (the server's most) */
#define MAX_PAGES       100                /* pages read of one series: 100 000 numbers */

typedef struct
{
  char *service_type_id;
  char *unit_id;
  int   year;
  char *number;
  char *reason;
  LkStore *store;
} NumbersData;

static void
numbers_data_free (gpointer data)
{
  NumbersData *numbers = data;

  g_free (numbers->service_type_id);
  g_free (numbers->unit_id);
  g_free (numbers->number);
  g_free (numbers->reason);
  g_clear_object (&numbers->store);
  g_free (numbers);
}

static void
set_offline_error (GError **error)
{
  g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
                       _("The register needs a connection to the server."));
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* GError from the client: offline said plainly; a refusal is the
 * server's own sentence already (lk-sync-client). */
static GError *
plain_error (GError *error)
{
  GError *plain = NULL;

  if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
    return error;
  g_error_free (error);
  set_offline_error (&plain);
  return plain;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LkSyncClient *client = source_object;
  NumbersData *numbers = task_data;
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autofree char *service_query = g_uri_escape_string (numbers->service_type_id, NULL, FALSE);
  g_autofree char *unit_query = g_uri_escape_string (numbers->unit_id, NULL, FALSE);
  gint64 after = 0;

  for (guint page = 0; page < MAX_PAGES; page++)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) answer = NULL;
      GError *error = NULL;
      JsonObject *object;
      JsonArray *list;
      JsonNode *more;

      path = g_strdup_printf ("/api/v1/numbers?service_type=%s&unit=%s&year=%d&after=%" G_GINT64_FORMAT
                              "&limit=%d", service_query, unit_query, numbers->year, after, PAGE_ROWS);
      answer = lk_sync_client_send_json (client, "GET", path, NULL, MAX_PAGE_REPLY, cancellable, &error);
      if (answer == NULL)
        {
          g_task_return_error (task, plain_error (error));
          return;
        }
      object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
      list = object != NULL && json_object_has_member (object, "numbers") &&
             JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "numbers"))
             ? json_object_get_array_member (object, "numbers") : NULL;
      if (list == NULL)
        {
          g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL, "%s",
                                   _("The server answered something unexpected; the register cannot be shown."));
          return;
        }

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          JsonObject *row = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *case_id;

          if (row == NULL)
            continue;
          /* The case's receipt, from the local store, beside its id. */
          case_id = string_member (row, "case_id");
          if (case_id != NULL && numbers->store != NULL)
            {
              g_autoptr(LkCase) kase = lk_store_get_case (numbers->store, case_id, NULL);

              if (kase != NULL && lk_case_get_receipt (kase) != NULL)
                json_object_set_string_member (row, "receipt", lk_case_get_receipt (kase));
            }
          after = MAX (after, json_object_get_int_member_with_default (row, "seq", after));
          json_array_add_object_element (rows, json_object_ref (row));
        }

      more = json_object_get_member (object, "more");
      if (more == NULL || !JSON_NODE_HOLDS_VALUE (more) || !json_node_get_boolean (more) ||
          json_array_get_length (list) == 0)
        {
          g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) json_array_unref);
          return;
        }
    }

  g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_TOO_LARGE,
                           _("The register is longer than %d numbers; it cannot be shown."),
                           MAX_PAGES * PAGE_ROWS);
}

static void
void_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LkSyncClient *client = source_object;
  NumbersData *numbers = task_data;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  GError *error = NULL;

  json_object_set_string_member (body, "number", numbers->number);
  json_object_set_string_member (body, "reason", numbers->reason);
  request = json_node_init_object (json_node_alloc (), body);
  answer = lk_sync_client_post_json (client, "/api/v1/numbers/void", request, MAX_VOID_REPLY, cancellable, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, plain_error (error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      g_strcmp0 (string_member (json_node_get_object (answer), "status"), "voided") != 0)
    {
      g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL, "%s",
                               _("The server answered something unexpected; the number may not be voided."));
      return;
    }
  g_debug ("Voided a letter number");
  g_task_return_boolean (task, TRUE);
}

static gboolean
check_online (LkSession *self,
              GTask     *task)
{
  if (!lk_sync_client_is_signed_in (lk_session_get_client (self)))
    {
      GError *error = NULL;

      set_offline_error (&error);
      g_task_return_error (task, error);
      return FALSE;
    }
  return TRUE;
}

/* Public API (lk-session.h, "Issue 6") */

void
lk_session_list_numbers_async (LkSession           *self,
                               const char          *service_type_id,
                               const char          *unit_id,
                               int                  year,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NumbersData *numbers;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (service_type_id != NULL);
  g_return_if_fail (unit_id != NULL);

  task = g_task_new (lk_session_get_client (self), cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_list_numbers_async);

  if (year < 2000 || year > 9999)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("The year must be from 2000 to 9999."));
      return;
    }
  if (lk_session_get_role (self) != LK_ROLE_ADMIN)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                               _("Only administrators can read the register of numbers."));
      return;
    }
  if (!check_online (self, task))
    return;

  numbers = g_new0 (NumbersData, 1);
  numbers->service_type_id = g_strdup (service_type_id);
  numbers->unit_id = g_strdup (unit_id);
  numbers->year = year;
  numbers->store = lk_session_get_store (self) != NULL ? g_object_ref (lk_session_get_store (self)) : NULL;
  g_task_set_task_data (task, numbers, numbers_data_free);
  g_task_run_in_thread (task, list_thread);
}

JsonArray *
lk_session_list_numbers_finish (LkSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, lk_session_get_client (self)), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lk_session_void_number_async (LkSession           *self,
                              const char          *number,
                              const char          *reason,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = NULL;
  NumbersData *numbers;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (number != NULL);
  g_return_if_fail (reason != NULL);

  task = g_task_new (lk_session_get_client (self), cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_void_number_async);

  trimmed = g_strstrip (g_strdup (reason));
  if (*trimmed == '\0' || strlen (trimmed) > LK_SESSION_MAX_VOID_REASON || !g_utf8_validate (trimmed, -1, NULL))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Give the reason for voiding, at most %d bytes."),
                               LK_SESSION_MAX_VOID_REASON);
      return;
    }
  if (!check_online (self, task))
    return;

  numbers = g_new0 (NumbersData, 1);
  numbers->number = g_strdup (number);
  numbers->reason = g_steal_pointer (&trimmed);
  g_task_set_task_data (task, numbers, numbers_data_free);
  g_task_run_in_thread (task, void_thread);
}

gboolean
lk_session_void_number_finish (LkSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, lk_session_get_client (self)), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
