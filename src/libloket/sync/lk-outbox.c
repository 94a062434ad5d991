/* lk-outbox.c — the desk's local operations, queued durably for the push
 *
 * Every action is one BEGIN IMMEDIATE transaction: validate, change the
 * local records (at the version the server will give them), append the
 * operation. The push's results are recorded in lk-outbox-results.c, the
 * conflicts and rejections they meet kept in lk-outbox-conflicts.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-outbox"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "lk-account.h"
#include "lk-sla.h"
#include "sync/lk-outbox-private.h"


G_DEFINE_QUARK (lk-outbox-error-quark, lk_outbox_error)

/* The members an operation may carry, per kind (docs/api-v1.md). */
static const char * const case_put_fields[] = {
  "applicant_name", "nik", "email", "phone", "address", "business_name", "nib", "assignee", NULL
};
static const char * const note_put_fields[] = { "case_id", "at", "text", NULL };
static const char * const checklist_put_fields[] = {
  "case_id", "item", "status", "reason", "document_id", "at", NULL
};
static const char * const document_put_fields[] = {
  "case_id", "name", "mime_type", "size", "sha256", "position", NULL
};
static const char * const unit_put_fields[] = { "code", "name", "address", NULL };
static const char * const service_type_put_fields[] = {
  "code", "name", "sla_days", "number_format", "needs_business", "requirements", NULL
};
/* A letter template: its id is its service type's id. */
static const char * const template_put_fields[] = { "service_type", "body", NULL };

/* Helpers */

gint64
lk_outbox_now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
lk_outbox_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

JsonObject *
lk_outbox_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));

  return copy;
}

char *
lk_outbox_dup_column (sqlite3_stmt *stmt,
                      int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text ? g_strdup ((const char *) text) : NULL;
}

/* The string a member holds, or NULL (also for null and non-strings). */
const char *
lk_outbox_node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
check_text (const char  *text,
            gsize        max,
            const char  *what,
            GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (strlen (text) > max)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                   /* Translators: %s: what (a reason, a note); %zu: a limit */
                   _("The %s is longer than %zu bytes"), what, max);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                   _("The %s is not valid UTF-8 text"), what);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;

  return TRUE;
}

/* The local record, or NULL (error set) when missing: as the outbox's own
 * error, so the faces can say what is wrong. */
static JsonObject *
get_record (LkStore     *store,
            const char  *kind,
            const char  *id,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *record;

  record = lk_store_get_json (store, kind, id, &local_error);
  if (record == NULL)
    {
      if (g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND,
                     /* Translators: %s: a record kind (case, note…); %s: its id */
                     _("There is no %s “%s” in the local store; sync first"), kind, id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return record;
}

/* Upserts with store validation errors reported as the outbox's. */
gboolean
lk_outbox_save_record (LkStore     *store,
                       const char  *kind,
                       JsonObject  *record,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (lk_store_upsert_json (store, kind, record, &local_error))
    return TRUE;

  if (g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID))
    g_set_error_literal (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID, local_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static const char *
kind_table (const char *kind)
{
  static const struct { const char *kind; const char *sql; } deletes[] = {
    { LK_KIND_UNIT, "DELETE FROM units WHERE id = ?" },
    { LK_KIND_SERVICE_TYPE, "DELETE FROM service_types WHERE id = ?" },
    { LK_KIND_CASE, "DELETE FROM cases WHERE id = ?" },
    { LK_KIND_DOCUMENT, "DELETE FROM documents WHERE id = ?" },
    { LK_KIND_HISTORY, "DELETE FROM history WHERE id = ?" },
    { LK_KIND_NOTE, "DELETE FROM notes WHERE id = ?" },
    { LK_KIND_CHECKLIST, "DELETE FROM checklist WHERE id = ?" },
    { LK_KIND_TEMPLATE, "DELETE FROM templates WHERE id = ?" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (deletes); i++)
    if (g_strcmp0 (deletes[i].kind, kind) == 0)
      return deletes[i].sql;

  return NULL;
}

gboolean
lk_outbox_delete_record (LkStore     *store,
                         const char  *kind,
                         const char  *id,
                         GError     **error)
{
  const char *sql = kind_table (kind);
  sqlite3_stmt *stmt;
  gboolean ok;

  if (sql == NULL)
    return TRUE;

  stmt = lk_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lk_store_set_sql_error (store, error, _("Removing a local record"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

/* Appends an operation to the outbox (inside the caller's transaction). */
static gboolean
append_op (LkStore     *store,
           const char  *op_id,
           const char  *op,
           const char  *kind,
           const char  *record_id,
           gint64       base,
           JsonObject  *fields,
           GError     **error)
{
  g_autofree char *fields_text = lk_outbox_object_to_string (fields);
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = lk_store_prepare (store,
                           "INSERT INTO outbox (id, op, kind, record_id, base, fields, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, op, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, base);
  sqlite3_bind_text (stmt, 6, fields_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, lk_outbox_now_seconds ());
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lk_store_set_sql_error (store, error, _("Queueing an operation"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  g_debug ("Queued %s %s %s (base %" G_GINT64_FORMAT ") as %s", op, kind, record_id, base, op_id);
  return ok;
}

static char *
meta_username (LkStore *store)
{
  return lk_store_get_meta (store, LK_META_ACCOUNT_USERNAME);
}

/* ---- the actions, inside an open transaction ---- */

/* The server's rule (lk-server-ops-kinds.c, resume_sla), mirrored so the
 * desk shows the moved due date before the push answers: a case leaving
 * incomplete has its sla_due moved later by the working days since its
 * latest move to incomplete. */
static gboolean
resume_sla (LkStore     *store,
            const char  *case_id,
            JsonObject  *record,
            gint64       now,
            GError     **error)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *due = NULL;
  const char *old_due;
  gint64 paused_at = 0;

  old_due = json_object_get_string_member_with_default (record, "sla_due", NULL);
  if (old_due == NULL)
    return TRUE;

  history = lk_store_list_history (store, case_id, error);
  if (history == NULL)
    return FALSE;
  for (guint i = 0; i < history->len; i++)
    {
      LkHistoryEntry *entry = g_ptr_array_index (history, i);

      if (lk_history_entry_get_to_state (entry) == LK_CASE_STATE_INCOMPLETE)
        paused_at = MAX (paused_at, lk_history_entry_get_at (entry));
    }

  due = lk_sla_resume_due (old_due, paused_at, now);
  json_object_set_string_member (record, "sla_due", due);
  return TRUE;
}

gboolean
lk_outbox_transition_locked (LkStore      *store,
                             const char   *case_id,
                             LkCaseState   to,
                             const char   *reason,
                             const char   *letter_sha256,
                             const char   *actor,
                             LkRole        role,
                             char        **out_op_id,
                             GError      **error)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) history = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *op_id = NULL;
  LkCaseState from;
  gint64 base, now;

  if (to < 0 || to >= LK_N_CASE_STATES)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID, _("Unknown case state"));
      return FALSE;
    }
  if (is_blank (reason))
    reason = NULL;
  if (!check_text (reason, LK_OUTBOX_MAX_REASON, _("reason"), error))
    return FALSE;
  if (to == LK_CASE_STATE_SIGNED && (letter_sha256 == NULL || strlen (letter_sha256) != 64))
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                   _("A case is signed only with its signed letter"));
      return FALSE;
    }
  if (to != LK_CASE_STATE_SIGNED && letter_sha256 != NULL)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                   _("A signed letter goes only with the move to “signed”"));
      return FALSE;
    }

  record = get_record (store, LK_KIND_CASE, case_id, error);
  if (record == NULL)
    return FALSE;

  from = lk_case_state_from_string (json_object_get_string_member_with_default (record, "state", ""));
  if (!lk_case_transition_allowed (from, to, role))
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION,
                   /* Translators: %s: a role (Officer); %s, %s: case states */
                   _("A user with the role %s cannot move a case from “%s” to “%s”"),
                   lk_role_get_label (role), lk_case_state_get_label (from),
                   lk_case_state_get_label (to));
      return FALSE;
    }
  if (reason == NULL && lk_case_transition_needs_reason (from, to))
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_REASON_REQUIRED,
                   _("Moving a case from “%s” to “%s” needs a reason"),
                   lk_case_state_get_label (from), lk_case_state_get_label (to));
      return FALSE;
    }

  op_id = g_uuid_string_random ();
  now = lk_outbox_now_seconds ();
  base = json_object_get_int_member_with_default (record, "version", 0);

  if (from == LK_CASE_STATE_INCOMPLETE && to != LK_CASE_STATE_INCOMPLETE &&
      !resume_sla (store, case_id, record, now, error))
    return FALSE;
  json_object_set_string_member (record, "state", lk_case_state_to_string (to));
  json_object_set_int_member (record, "updated_at", now);
  json_object_set_int_member (record, "version", base + 1);
  if (!lk_outbox_save_record (store, LK_KIND_CASE, record, error))
    return FALSE;

  history = json_object_new ();
  json_object_set_string_member (history, "id", op_id);
  json_object_set_string_member (history, "case_id", case_id);
  json_object_set_string_member (history, "from_state", lk_case_state_to_string (from));
  json_object_set_string_member (history, "to_state", lk_case_state_to_string (to));
  json_object_set_string_member (history, "actor", actor);
  json_object_set_int_member (history, "at", now);
  if (reason != NULL)
    json_object_set_string_member (history, "reason", reason);
  else
    json_object_set_null_member (history, "reason");
  json_object_set_int_member (history, "version", 1);
  if (!lk_outbox_save_record (store, LK_KIND_HISTORY, history, error))
    return FALSE;

  fields = json_object_new ();
  json_object_set_string_member (fields, "to_state", lk_case_state_to_string (to));
  if (reason != NULL)
    json_object_set_string_member (fields, "reason", reason);
  else
    json_object_set_null_member (fields, "reason");
  if (letter_sha256 != NULL)
    json_object_set_string_member (fields, "letter", letter_sha256);

  if (!append_op (store, op_id, "transition", LK_KIND_CASE, case_id, base, fields, error))
    return FALSE;

  if (out_op_id != NULL)
    *out_op_id = g_steal_pointer (&op_id);
  return TRUE;
}

static const char * const *
put_fields_of (const char *kind)
{
  if (g_strcmp0 (kind, LK_KIND_CASE) == 0)
    return case_put_fields;
  if (g_strcmp0 (kind, LK_KIND_NOTE) == 0)
    return note_put_fields;
  if (g_strcmp0 (kind, LK_KIND_CHECKLIST) == 0)
    return checklist_put_fields;
  if (g_strcmp0 (kind, LK_KIND_DOCUMENT) == 0)
    return document_put_fields;
  if (g_strcmp0 (kind, LK_KIND_UNIT) == 0)
    return unit_put_fields;
  if (g_strcmp0 (kind, LK_KIND_SERVICE_TYPE) == 0)
    return service_type_put_fields;
  if (g_strcmp0 (kind, LK_KIND_TEMPLATE) == 0)
    return template_put_fields;

  return NULL;
}

gboolean
lk_outbox_put_locked (LkStore      *store,
                      const char   *kind,
                      const char   *record_id,
                      JsonObject   *fields,
                      const char   *actor,
                      char        **out_op_id,
                      GError      **error)
{
  const char * const *allowed = put_fields_of (kind);
  g_autoptr(JsonObject) existing = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *op_id = NULL;
  gboolean create_only;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  gint64 base;

  if (allowed == NULL)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                   _("Records of kind “%s” cannot be edited"), kind ? kind : "");
      return FALSE;
    }
  if (record_id == NULL || record_id[0] == '\0' || strlen (record_id) > LK_STORE_MAX_TEXT)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID, _("The record has no valid id"));
      return FALSE;
    }
  if (json_object_get_size (fields) == 0)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID, _("The change is empty"));
      return FALSE;
    }

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_strv_contains (allowed, name))
      {
        g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                     /* Translators: %s: a field name; %s: a record kind */
                     _("The field “%s” of a %s record cannot be changed"), name, kind);
        return FALSE;
      }

  create_only = g_str_equal (kind, LK_KIND_NOTE) || g_str_equal (kind, LK_KIND_DOCUMENT);

  existing = lk_store_get_json (store, kind, record_id, &local_error);
  if (existing == NULL && !g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (existing != NULL)
    {
      if (create_only)
        {
          g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                       _("A %s record cannot be changed once made"), kind);
          return FALSE;
        }
      base = json_object_get_int_member_with_default (existing, "version", 0);
      record = lk_outbox_object_copy (existing);
    }
  else
    {
      if (g_str_equal (kind, LK_KIND_CASE))
        {
          g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND,
                       _("There is no %s “%s” in the local store; sync first"), kind, record_id);
          return FALSE;
        }
      base = 0;
      record = json_object_new ();
      json_object_set_string_member (record, "id", record_id);
    }

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (record, name, json_node_copy (node));
  json_object_set_int_member (record, "version", base + 1);

  /* What the server fills in from the session. */
  if (g_str_equal (kind, LK_KIND_TEMPLATE))
    {
      json_object_set_string_member (record, "service_type", record_id);
      json_object_set_string_member (record, "updated_by", actor ? actor : "");
      json_object_set_int_member (record, "updated_at", lk_outbox_now_seconds ());
    }
  if (g_str_equal (kind, LK_KIND_NOTE))
    json_object_set_string_member (record, "author", actor ? actor : "");
  if (g_str_equal (kind, LK_KIND_CHECKLIST))
    {
      const char *status = json_object_get_string_member_with_default (record, "status", "");
      JsonNode *reason = json_object_get_member (record, "reason");

      json_object_set_string_member (record, "actor", actor ? actor : "");
      if (g_str_equal (status, "rejected") &&
          is_blank (lk_outbox_node_string (reason)))
        {
          g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_REASON_REQUIRED,
                       _("Rejecting a requirement needs a reason"));
          return FALSE;
        }
    }
  if (g_str_equal (kind, LK_KIND_NOTE) || g_str_equal (kind, LK_KIND_CHECKLIST))
    {
      const char *case_id = json_object_get_string_member_with_default (record, "case_id", "");
      g_autoptr(JsonObject) the_case = get_record (store, LK_KIND_CASE, case_id, error);

      if (the_case == NULL)
        return FALSE;
    }

  /* The store checks every member's type and length. */
  if (!lk_outbox_save_record (store, kind, record, error))
    return FALSE;

  op_id = g_uuid_string_random ();
  if (!append_op (store, op_id, "put", kind, record_id, base, fields, error))
    return FALSE;

  if (out_op_id != NULL)
    *out_op_id = g_steal_pointer (&op_id);
  return TRUE;
}

/* Runs the locked action and commits, or rolls back everything. */
gboolean
lk_outbox_finish (LkStore  *store,
                  gboolean  ok,
                  GError  **error)
{
  if (!ok)
    {
      lk_store_rollback (store);
      return FALSE;
    }

  return lk_store_commit (store, error);
}

/* Public API: actions */

gboolean
lk_outbox_transition (LkStore      *store,
                      const char   *case_id,
                      LkCaseState   to,
                      const char   *reason,
                      const char   *letter_sha256,
                      const char   *actor,
                      LkRole        role,
                      char        **out_op_id,
                      GError      **error)
{
  g_autofree char *op_id = NULL;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL && actor[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lk_store_begin (store, error))
    return FALSE;
  if (!lk_outbox_finish (store,
                         lk_outbox_transition_locked (store, case_id, to, reason, letter_sha256, actor,
                                                      role, &op_id, error),
                         error))
    return FALSE;

  if (out_op_id != NULL)
    *out_op_id = g_steal_pointer (&op_id);
  return TRUE;
}

gboolean
lk_outbox_add_note (LkStore     *store,
                    const char  *case_id,
                    const char  *text,
                    const char  *actor,
                    char       **out_note_id,
                    GError     **error)
{
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *note_id = NULL;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL && actor[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (is_blank (text))
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID, _("The note is empty"));
      return FALSE;
    }
  if (!check_text (text, LK_OUTBOX_MAX_NOTE, _("note"), error))
    return FALSE;

  note_id = g_uuid_string_random ();
  fields = json_object_new ();
  json_object_set_string_member (fields, "case_id", case_id);
  json_object_set_int_member (fields, "at", lk_outbox_now_seconds ());
  json_object_set_string_member (fields, "text", text);

  if (!lk_store_begin (store, error))
    return FALSE;
  if (!lk_outbox_finish (store,
                         lk_outbox_put_locked (store, LK_KIND_NOTE, note_id, fields, actor, NULL, error),
                         error))
    return FALSE;

  if (out_note_id != NULL)
    *out_note_id = g_steal_pointer (&note_id);
  return TRUE;
}

/* Whether item indexes the case's service type's requirements (when the
 * service type is known locally). */
static gboolean
check_item (LkStore     *store,
            const char  *case_id,
            guint        item,
            const char  *document_id,
            GError     **error)
{
  g_autoptr(JsonObject) the_case = NULL;
  g_autoptr(JsonObject) service = NULL;

  the_case = get_record (store, LK_KIND_CASE, case_id, error);
  if (the_case == NULL)
    return FALSE;

  service = lk_store_get_json (store, LK_KIND_SERVICE_TYPE,
                               json_object_get_string_member_with_default (the_case, "service_type", ""),
                               NULL);
  if (service != NULL)
    {
      JsonNode *reqs = json_object_get_member (service, "requirements");

      if (reqs != NULL && JSON_NODE_HOLDS_ARRAY (reqs) &&
          item >= json_array_get_length (json_node_get_array (reqs)))
        {
          g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                       _("The service type of this case has no requirement number %u"), item + 1);
          return FALSE;
        }
    }

  if (document_id != NULL)
    {
      g_autoptr(JsonObject) document = lk_store_get_json (store, LK_KIND_DOCUMENT, document_id, NULL);

      if (document == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (document, "case_id", ""), case_id) != 0)
        {
          g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                       _("The document “%s” is not one of this case’s attachments"), document_id);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
lk_outbox_set_checklist (LkStore       *store,
                         const char    *case_id,
                         guint          item,
                         LkCheckStatus  status,
                         const char    *reason,
                         const char    *document_id,
                         const char    *actor,
                         GError       **error)
{
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *record_id = NULL;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL && actor[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (status < 0 || status > LK_CHECK_STATUS_REJECTED)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID, _("Unknown checklist status"));
      return FALSE;
    }
  if (is_blank (reason))
    reason = NULL;
  if (!check_text (reason, LK_OUTBOX_MAX_REASON, _("reason"), error))
    return FALSE;
  if (status == LK_CHECK_STATUS_REJECTED && reason == NULL)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_REASON_REQUIRED,
                   _("Rejecting a requirement needs a reason"));
      return FALSE;
    }

  record_id = g_strdup_printf ("%s:%u", case_id, item);
  fields = json_object_new ();
  json_object_set_string_member (fields, "case_id", case_id);
  json_object_set_int_member (fields, "item", item);
  json_object_set_string_member (fields, "status", lk_check_status_to_string (status));
  if (reason != NULL)
    json_object_set_string_member (fields, "reason", reason);
  else
    json_object_set_null_member (fields, "reason");
  if (document_id != NULL)
    json_object_set_string_member (fields, "document_id", document_id);
  else
    json_object_set_null_member (fields, "document_id");
  json_object_set_int_member (fields, "at", lk_outbox_now_seconds ());

  if (!lk_store_begin (store, error))
    return FALSE;
  return lk_outbox_finish (store,
                           check_item (store, case_id, item, document_id, error) &&
                           lk_outbox_put_locked (store, LK_KIND_CHECKLIST, record_id, fields, actor, NULL,
                                                 error),
                           error);
}

gboolean
lk_outbox_put (LkStore      *store,
               const char   *kind,
               const char   *record_id,
               JsonObject   *fields,
               char        **out_op_id,
               GError      **error)
{
  g_autofree char *actor = NULL;
  g_autofree char *op_id = NULL;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Notes and checklist results carry the signed-in user, saved at sync. */
  actor = meta_username (store);
  if (actor == NULL && (g_strcmp0 (kind, LK_KIND_NOTE) == 0 || g_strcmp0 (kind, LK_KIND_CHECKLIST) == 0))
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID,
                   _("This account has never been synced, so its user is not known yet"));
      return FALSE;
    }

  if (!lk_store_begin (store, error))
    return FALSE;
  if (!lk_outbox_finish (store,
                         lk_outbox_put_locked (store, kind, record_id, fields, actor, &op_id, error),
                         error))
    return FALSE;

  if (out_op_id != NULL)
    *out_op_id = g_steal_pointer (&op_id);
  return TRUE;
}

/* Public API: the queue */

void
lk_outbox_entry_free (LkOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->op);
  g_free (entry->kind);
  g_free (entry->record_id);
  g_free (entry->fields);
  g_free (entry->last_error);
  g_free (entry);
}


LkOutboxEntry *
lk_outbox_entry_from_row (sqlite3_stmt *stmt)
{
  LkOutboxEntry *entry = g_new0 (LkOutboxEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->id = lk_outbox_dup_column (stmt, 1);
  entry->op = lk_outbox_dup_column (stmt, 2);
  entry->kind = lk_outbox_dup_column (stmt, 3);
  entry->record_id = lk_outbox_dup_column (stmt, 4);
  entry->base = sqlite3_column_int64 (stmt, 5);
  entry->fields = lk_outbox_dup_column (stmt, 6);
  entry->created_at = sqlite3_column_int64 (stmt, 7);
  entry->attempts = (guint) sqlite3_column_int64 (stmt, 8);
  entry->last_error = lk_outbox_dup_column (stmt, 9);

  return entry;
}

GPtrArray *
lk_outbox_list (LkStore  *store,
                guint     limit,
                GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT " LK_OUTBOX_ENTRY_COLUMNS " FROM outbox ORDER BY seq LIMIT ?1", error);
  if (stmt == NULL)
    {
      lk_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, lk_outbox_entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (store, error, _("Reading the outbox"));
  sqlite3_reset (stmt);
  lk_store_unlock (store);

  return rc == SQLITE_DONE ? g_steal_pointer (&entries) : NULL;
}

gint64
lk_outbox_count (LkStore *store)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (LK_IS_STORE (store), 0);

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT count(*) FROM outbox", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  lk_store_unlock (store);

  return count;
}

gboolean
lk_outbox_has_pending (LkStore    *store,
                       const char *record_id)
{
  sqlite3_stmt *stmt;
  gboolean pending = FALSE;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT 1 FROM outbox WHERE record_id = ?1 LIMIT 1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      pending = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
    }
  lk_store_unlock (store);

  return pending;
}

gboolean
lk_outbox_note_attempt (LkStore     *store,
                        gint64       up_to_seq,
                        const char  *error_message,
                        GError     **error)
{
  g_autofree char *message = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);

  if (error_message != NULL)
    message = g_utf8_make_valid (error_message, MIN (strlen (error_message), (gsize) LK_STORE_MAX_TEXT));

  lk_store_lock (store);
  stmt = lk_store_prepare (store,
                           "UPDATE outbox SET attempts = attempts + 1, last_error = ?1 WHERE seq <= ?2",
                           error);
  if (stmt == NULL)
    {
      lk_store_unlock (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, up_to_seq);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lk_store_set_sql_error (store, error, _("Noting a failed push"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  lk_store_unlock (store);

  return ok;
}
