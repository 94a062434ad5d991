/* lk-outbox-results.c — the server's answers to pushed operations: each
 * recorded in one transaction (the server's record written, the operation
 * dequeued, a conflict or rejection kept)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-outbox"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sync/lk-outbox-private.h"

#define MAX_RESULT_MESSAGE 1024  /* bytes of a server's rejection message we keep */
#define MAX_RESULT_CODE      64  /* bytes of a rejection code */
#define UUID_LENGTH          36

static LkOutboxEntry *
find_entry (LkStore     *store,
            const char  *op_id,
            GError     **error)
{
  sqlite3_stmt *stmt;
  LkOutboxEntry *entry = NULL;
  int rc;

  stmt = lk_store_prepare (store, "SELECT " LK_OUTBOX_ENTRY_COLUMNS " FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry = lk_outbox_entry_from_row (stmt);
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (store, error, _("Reading the outbox"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return entry;
}

static gboolean
delete_entry (LkStore     *store,
              const char  *op_id,
              GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = lk_store_prepare (store, "DELETE FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lk_store_set_sql_error (store, error, _("Removing an operation from the outbox"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

static gboolean
bad_result (GError     **error,
            const char  *why)
{
  g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
               /* Translators: %s: what is wrong with it */
               _("The server’s answer to an operation is not valid: %s"), why);
  return FALSE;
}

static gboolean
apply_result_locked (LkStore     *store,
                     JsonObject  *result,
                     GError     **error)
{
  g_autoptr(LkOutboxEntry) entry = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autofree char *message = NULL;
  JsonObject *record = NULL;
  JsonNode *node;
  const char *id;
  const char *status;
  const char *code = NULL;
  const char *text;
  gboolean later_ops;

  id = lk_outbox_node_string (json_object_get_member (result, "id"));
  if (id == NULL || strlen (id) != UUID_LENGTH)
    return bad_result (error, "id");

  status = lk_outbox_node_string (json_object_get_member (result, "status"));
  if (status == NULL)
    return bad_result (error, "status");
  if (!g_str_equal (status, "applied") && !g_str_equal (status, "conflict") &&
      !g_str_equal (status, "rejected"))
    return bad_result (error, "status");

  node = json_object_get_member (result, "record");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    record = json_node_get_object (node);
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return bad_result (error, "record");

  if (g_str_equal (status, "rejected"))
    {
      code = lk_outbox_node_string (json_object_get_member (result, "code"));
      if (code == NULL || strlen (code) > MAX_RESULT_CODE)
        return bad_result (error, "code");
    }
  text = lk_outbox_node_string (json_object_get_member (result, "message"));
  if (text != NULL)
    message = g_utf8_make_valid (text, MIN (strlen (text), (gsize) MAX_RESULT_MESSAGE));

  entry = find_entry (store, id, error);
  if (entry == NULL)
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      /* Recorded already (another push of the same outbox got there
       * first): nothing left to do. */
      g_debug ("Result for %s, which is no longer queued", id);
      return TRUE;
    }

  if (record != NULL &&
      g_strcmp0 (json_object_get_string_member_with_default (record, "id", ""), entry->record_id) != 0)
    return bad_result (error, "record id");

  mine = lk_store_get_json (store, entry->kind, entry->record_id, NULL);

  if (!delete_entry (store, entry->id, error))
    return FALSE;
  later_ops = lk_outbox_has_pending (store, entry->record_id);

  if (g_str_equal (status, "applied"))
    {
      gint64 local_version = mine ? json_object_get_int_member_with_default (mine, "version", 0) : 0;
      gint64 their_version = record ? json_object_get_int_member_with_default (record, "version", 0) : 0;

      /* Later queued operations keep the local (optimistic) copy; a result
       * replayed after a crash may be older than what a pull brought. */
      if (record != NULL && !later_ops && their_version >= local_version &&
          !lk_outbox_save_record (store, entry->kind, record, error))
        return FALSE;
      g_debug ("Operation %s applied", entry->id);
      return TRUE;
    }

  if (!lk_outbox_insert_conflict (store, entry, status, mine, record, code, message, error))
    return FALSE;

  /* The change did not happen: the server's copy replaces it locally. */
  if (g_str_equal (entry->op, "transition") &&
      !lk_outbox_delete_record (store, LK_KIND_HISTORY, entry->id, error))
    return FALSE;
  if (!later_ops)
    {
      if (record != NULL)
        {
          if (!lk_outbox_save_record (store, entry->kind, record, error))
            return FALSE;
        }
      else if (entry->base == 0)
        {
          if (!lk_outbox_delete_record (store, entry->kind, entry->record_id, error))
            return FALSE;
        }
    }

  g_debug ("Operation %s: %s%s%s", entry->id, status, code ? " " : "", code ? code : "");
  return TRUE;
}

gboolean
lk_outbox_apply_result (LkStore     *store,
                        JsonObject  *result,
                        GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lk_store_begin (store, error))
    return FALSE;
  return lk_outbox_finish (store, apply_result_locked (store, result, error), error);
}
