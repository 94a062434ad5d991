/* lk-outbox-conflicts.c — the conflicts and rejections the desk's queued
 * operations met: written when the push records a result, listed, and
 * resolved field by field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-outbox"

#include <glib/gi18n-lib.h>

#include "sync/lk-outbox-private.h"

/* Helpers */

/* NULL unless text is a JSON object (text we wrote ourselves). */
static JsonObject *
object_from_string (const char *text)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

/* ---- writing one, for lk_outbox_apply_result() ---- */

gboolean
lk_outbox_insert_conflict (LkStore        *store,
                           LkOutboxEntry  *entry,
                           const char     *status,
                           JsonObject     *mine,
                           JsonObject     *theirs,
                           const char     *code,
                           const char     *message,
                           GError        **error)
{
  g_autofree char *mine_text = mine ? lk_outbox_object_to_string (mine) : NULL;
  g_autofree char *theirs_text = theirs ? lk_outbox_object_to_string (theirs) : NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = lk_store_prepare (store,
                           "INSERT OR REPLACE INTO conflicts (id, status, op, kind, record_id, base, fields, "
                           "mine, theirs, code, message, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entry->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, entry->op, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, entry->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, entry->record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, entry->base);
  sqlite3_bind_text (stmt, 7, entry->fields, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, mine_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, theirs_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 12, lk_outbox_now_seconds ());
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lk_store_set_sql_error (store, error, _("Saving a conflict"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

/* ---- listing and resolving them ---- */

void
lk_conflict_free (LkConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->op);
  g_free (conflict->kind);
  g_free (conflict->record_id);
  g_clear_pointer (&conflict->fields, json_object_unref);
  g_clear_pointer (&conflict->mine, json_object_unref);
  g_clear_pointer (&conflict->theirs, json_object_unref);
  g_free (conflict->code);
  g_free (conflict->message);
  g_free (conflict);
}

#define CONFLICT_COLUMNS \
  "id, status, op, kind, record_id, base, fields, mine, theirs, code, message, created_at, resolved_at"

static LkConflict *
conflict_from_row (sqlite3_stmt *stmt)
{
  LkConflict *conflict = g_new0 (LkConflict, 1);

  conflict->id = lk_outbox_dup_column (stmt, 0);
  conflict->status = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "rejected") == 0
    ? LK_CONFLICT_STATUS_REJECTED : LK_CONFLICT_STATUS_CONFLICT;
  conflict->op = lk_outbox_dup_column (stmt, 2);
  conflict->kind = lk_outbox_dup_column (stmt, 3);
  conflict->record_id = lk_outbox_dup_column (stmt, 4);
  conflict->base = sqlite3_column_int64 (stmt, 5);
  conflict->fields = object_from_string ((const char *) sqlite3_column_text (stmt, 6));
  if (conflict->fields == NULL)
    conflict->fields = json_object_new ();
  conflict->mine = object_from_string ((const char *) sqlite3_column_text (stmt, 7));
  conflict->theirs = object_from_string ((const char *) sqlite3_column_text (stmt, 8));
  conflict->code = lk_outbox_dup_column (stmt, 9);
  conflict->message = lk_outbox_dup_column (stmt, 10);
  conflict->created_at = sqlite3_column_int64 (stmt, 11);
  conflict->resolved_at = sqlite3_column_int64 (stmt, 12);

  return conflict;
}

GPtrArray *
lk_outbox_list_conflicts (LkStore   *store,
                          gboolean   include_resolved,
                          GError   **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  lk_store_lock (store);
  stmt = lk_store_prepare (store,
                           "SELECT " CONFLICT_COLUMNS " FROM conflicts "
                           "WHERE ?1 OR resolved_at IS NULL ORDER BY created_at DESC, rowid DESC",
                           error);
  if (stmt == NULL)
    {
      lk_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, include_resolved ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (conflicts, conflict_from_row (stmt));
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (store, error, _("Reading the conflicts"));
  sqlite3_reset (stmt);
  lk_store_unlock (store);

  return rc == SQLITE_DONE ? g_steal_pointer (&conflicts) : NULL;
}

gint64
lk_outbox_count_conflicts (LkStore *store)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (LK_IS_STORE (store), 0);

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT count(*) FROM conflicts WHERE resolved_at IS NULL", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  lk_store_unlock (store);

  return count;
}

static LkConflict *
find_conflict (LkStore     *store,
               const char  *id,
               GError     **error)
{
  sqlite3_stmt *stmt;
  LkConflict *conflict = NULL;
  int rc;

  stmt = lk_store_prepare (store, "SELECT " CONFLICT_COLUMNS " FROM conflicts WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    conflict = conflict_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND,
                 _("There is no conflict “%s”; “loketctl conflicts list” shows them"), id);
  else
    lk_store_set_sql_error (store, error, _("Reading the conflicts"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return conflict;
}

static gboolean
mark_resolved (LkStore     *store,
               const char  *id,
               GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = lk_store_prepare (store, "UPDATE conflicts SET resolved_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, lk_outbox_now_seconds ());
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lk_store_set_sql_error (store, error, _("Saving a conflict"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

static gboolean
resolve_locked (LkStore     *store,
                const char  *conflict_id,
                GHashTable  *keep_mine,
                const char  *actor,
                LkRole       role,
                GError     **error)
{
  g_autoptr(LkConflict) conflict = NULL;
  g_autoptr(JsonObject) change = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  conflict = find_conflict (store, conflict_id, error);
  if (conflict == NULL)
    return FALSE;
  if (conflict->resolved_at != 0)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                   _("The conflict “%s” is resolved already"), conflict_id);
      return FALSE;
    }

  /* The fields kept as mine: each must be part of the operation's change. */
  if (keep_mine != NULL)
    {
      g_hash_table_iter_init (&iter, keep_mine);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          JsonNode *node = json_object_get_member (conflict->fields, key);

          if (node == NULL)
            {
              g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                           /* Translators: %s: a field name */
                           _("“%s” is not a field of the change in conflict"), (const char *) key);
              return FALSE;
            }
          if (GPOINTER_TO_INT (value))
            json_object_set_member (change, key, json_node_copy (node));
        }
    }

  if (json_object_get_size (change) > 0)
    {
      if (g_strcmp0 (conflict->op, "transition") == 0)
        {
          /* The move as a whole, from the state the server has now. */
          LkCaseState to = lk_case_state_from_string (
            json_object_get_string_member_with_default (conflict->fields, "to_state", ""));
          JsonNode *reason = json_object_get_member (conflict->fields, "reason");
          JsonNode *letter = json_object_get_member (conflict->fields, "letter");

          if (!lk_outbox_transition_locked (store, conflict->record_id, to,
                                            lk_outbox_node_string (reason), lk_outbox_node_string (letter),
                                            actor, role, NULL, error))
            return FALSE;
        }
      else
        {
          /* A put on top of the server's version (the local copy holds it,
           * or a newer one from a later pull). Creating again needs the
           * whole change. */
          g_autoptr(JsonObject) local = lk_store_get_json (store, conflict->kind, conflict->record_id, NULL);

          if (local == NULL)
            {
              g_clear_pointer (&change, json_object_unref);
              change = lk_outbox_object_copy (conflict->fields);
            }
          if (!lk_outbox_put_locked (store, conflict->kind, conflict->record_id, change, actor, NULL, error))
            return FALSE;
        }
    }

  return mark_resolved (store, conflict->id, error);
}

gboolean
lk_outbox_resolve_conflict (LkStore     *store,
                            const char  *conflict_id,
                            GHashTable  *keep_mine,
                            const char  *actor,
                            LkRole       role,
                            GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL && actor[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lk_store_begin (store, error))
    return FALSE;
  return lk_outbox_finish (store, resolve_locked (store, conflict_id, keep_mine, actor, role, error), error);
}

gboolean
lk_outbox_park (LkStore        *store,
                LkOutboxEntry  *entry,
                const char     *code,
                const char     *message,
                GError        **error)
{
  g_autoptr(JsonObject) mine = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!lk_store_begin (store, error))
    return FALSE;

  /* The local record as the user left it, when the kind is one we know. */
  if (lk_store_kind_is_valid (entry->kind))
    mine = lk_store_get_json (store, entry->kind, entry->record_id, NULL);

  ok = lk_outbox_insert_conflict (store, entry, "rejected", mine, NULL, code, message, error);
  if (ok)
    {
      stmt = lk_store_prepare (store, "DELETE FROM outbox WHERE id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, entry->id, -1, SQLITE_TRANSIENT);
          ok = sqlite3_step (stmt) == SQLITE_DONE;
          if (!ok)
            lk_store_set_sql_error (store, error, _("Removing an operation from the outbox"));
          sqlite3_reset (stmt);
        }
    }

  if (!ok)
    {
      lk_store_rollback (store);
      return FALSE;
    }

  return lk_store_commit (store, error);
}
