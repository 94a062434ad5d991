/* lk-server-ops-kinds.c — each operation of POST /api/v1/ops on its kind
 * of record: which fields it may write, the checks of their values, and
 * the change it makes (the batch, savepoints and idempotency are
 * lk-server-ops.c's)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-ops-private.h"
#include "lk-sla.h"

#define MAX_RECORD_ID     256          /* bytes of an operation's "record" */
#define MAX_TIME          G_GINT64_CONSTANT (253402300799)  /* 9999-12-31T23:59:59Z */
#define MAX_CODE          32           /* bytes of a unit or service type code */
#define MAX_FILE_NAME     255          /* bytes of a document name */
#define MAX_MIME_TYPE     127
#define MAX_POSITION      1000000
#define MAX_SLA_DAYS      365
#define MAX_PHONE         20
#define NIK_DIGITS        16
#define NIB_DIGITS        13

typedef JsonObject *(*OpFunc) (LkServerOp *op);

typedef struct
{
  const char *op;
  const char *kind;
  const char *writable[9];   /* NULL-terminated */
  OpFunc      apply;
} OpKind;

static JsonObject *apply_transition   (LkServerOp *op);
static JsonObject *put_case           (LkServerOp *op);
static JsonObject *put_note           (LkServerOp *op);
static JsonObject *put_checklist      (LkServerOp *op);
static JsonObject *put_document       (LkServerOp *op);
static JsonObject *put_unit           (LkServerOp *op);
static JsonObject *put_service_type   (LkServerOp *op);

/* The operations of docs/api-v1.md and the fields each may write. */
static const OpKind op_kinds[] = {
  { "transition", LK_KIND_CASE, { "to_state", "reason", "letter", NULL }, apply_transition },
  { "put", LK_KIND_CASE,
    { "applicant_name", "nik", "email", "phone", "address", "business_name", "nib", "assignee", NULL },
    put_case },
  { "put", LK_KIND_NOTE, { "case_id", "at", "text", NULL }, put_note },
  { "put", LK_KIND_CHECKLIST, { "case_id", "item", "status", "reason", "document_id", "at", NULL },
    put_checklist },
  { "put", LK_KIND_DOCUMENT, { "case_id", "name", "mime_type", "size", "sha256", "position", NULL },
    put_document },
  { "put", LK_KIND_UNIT, { "code", "name", "address", NULL }, put_unit },
  { "put", LK_KIND_SERVICE_TYPE,
    { "code", "name", "sla_days", "number_format", "needs_business", "requirements", NULL },
    put_service_type },
  { "put", LK_KIND_TEMPLATE, { "service_type", "body", NULL }, lk_server_op_put_template },
};

/* Values */

static gboolean
is_digits (const char *text,
           gsize       n)
{
  if (strlen (text) != n)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Non-empty UTF-8 of at most max bytes, without control characters other
 * than line breaks and tabs. */
static gboolean
is_text (const char *text,
         gsize       max)
{
  const char *p;

  if (text == NULL || *text == '\0' || strlen (text) > max || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && c != '\r' && c != '\t' && g_unichar_iscntrl (c))
        return FALSE;
    }

  return TRUE;
}

/* One '@' with something on either side, no spaces. */
static gboolean
is_email (const char *text)
{
  const char *at = strchr (text, '@');

  return is_text (text, LK_STORE_MAX_TEXT) && at != NULL && at != text && at[1] != '\0' &&
         strchr (at + 1, '@') == NULL && strpbrk (text, " \t\n") == NULL;
}

/* Digits, with '+', '-' and spaces between them; at least six digits. */
static gboolean
is_phone (const char *text)
{
  guint digits = 0;

  if (strlen (text) > MAX_PHONE)
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p != '+' && *p != '-' && *p != ' ')
        return FALSE;
    }

  return digits >= 6;
}

/* Letters, digits, '-', '.' and '_' (unit and service type codes go into
 * letter numbers). */
static gboolean
is_code (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > MAX_CODE)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* A file name the desk may save under: no directories, no "." or "..". */
static gboolean
is_file_name (const char *text)
{
  return is_text (text, MAX_FILE_NAME) && strpbrk (text, "/\\\n\t") == NULL &&
         !g_str_equal (text, ".") && !g_str_equal (text, "..");
}

/* TYPE/SUBTYPE of the token characters of RFC 6838. */
static gboolean
is_mime_type (const char *text)
{
  const char *slash = strchr (text, '/');

  if (slash == NULL || slash == text || slash[1] == '\0' || strlen (text) > MAX_MIME_TYPE)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (p != slash && !g_ascii_isalnum (*p) && strchr ("!#$&-^_.+", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* fields[name] as text: FALSE when present and neither text nor null. */
static gboolean
field_text (JsonObject  *fields,
            const char  *name,
            const char **out)
{
  JsonNode *node = json_object_get_member (fields, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *out = json_node_get_string (node);
  return TRUE;
}

/* fields[name] as an integer within [min, max]. */
static gboolean
field_int (JsonObject *fields,
           const char *name,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  JsonNode *node = json_object_get_member (fields, name);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  if (value < min || value > max)
    return FALSE;

  *out = value;
  return TRUE;
}

/* A copy of object's members (one level: members are replaced, never
 * changed in place). */
static JsonObject *
object_copy (JsonObject *object)
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

static void
merge_fields (JsonObject *record,
              JsonObject *fields)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (record, name, json_node_copy (node));
}

/* The case CASE_ID, when the user may act on it: else NULL with the
 * rejection (not_found, or forbidden for a unit not the user's) in
 * *rejection, or op->error set. */
static JsonObject *
load_case_for (LkServerOp  *op,
               const char  *case_id,
               JsonObject **rejection)
{
  g_autoptr(JsonObject) kase = lk_server_op_load_record (op, LK_KIND_CASE, case_id);

  if (kase == NULL)
    {
      if (op->error == NULL)
        *rejection = lk_server_op_reject (op, "not_found", NULL, "There is no such case.");
      return NULL;
    }
  if (!lk_server_user_has_unit (op->user, json_object_get_string_member (kase, "unit")))
    {
      *rejection = lk_server_op_reject (op, "forbidden", NULL,
                                        "The case belongs to a unit you are not assigned to.");
      return NULL;
    }

  return g_steal_pointer (&kase);
}

/* A record of a case (note, checklist, document): the record (NULL when it
 * does not exist yet) and its case, which must exist and be in one of the
 * user's units; for a new record the case is fields.case_id. FALSE with
 * *rejection (or op->error). */
static gboolean
load_case_record (LkServerOp  *op,
                  JsonObject **out_record,
                  JsonObject **out_case,
                  JsonObject **rejection)
{
  g_autoptr(JsonObject) record = lk_server_op_load_record (op, op->kind, op->record);
  const char *case_id;

  if (op->error != NULL)
    return FALSE;

  if (record != NULL)
    case_id = json_object_get_string_member (record, "case_id");
  else if (!field_text (op->fields, "case_id", &case_id) || case_id == NULL)
    {
      *rejection = lk_server_op_reject (op, "invalid", NULL, "“case_id” must name the record’s case.");
      return FALSE;
    }

  *out_case = load_case_for (op, case_id, rejection);
  if (*out_case == NULL)
    return FALSE;

  *out_record = g_steal_pointer (&record);
  return TRUE;
}

/* For kinds that are created once and never changed (note, document):
 * NULL when the operation may create the record, else the result. */
static JsonObject *
check_create_only (LkServerOp *op,
                   JsonObject *current)
{
  if (current == NULL)
    {
      if (op->base != 0)
        return lk_server_op_reject (op, "not_found", NULL, "There is no such %s.", op->kind);
      if (!lk_server_is_uuid (op->record))
        return lk_server_op_reject (op, "invalid", NULL, "A new %s’s id must be a lower-case UUID.", op->kind);
      return NULL;
    }

  if (json_object_get_int_member (current, "version") != op->base)
    return lk_server_op_conflict (op, json_object_ref (current));

  return lk_server_op_reject (op, "invalid", json_object_ref (current),
                              "A %s is created once and cannot be changed.", op->kind);
}

/* Whether a user USERNAME exists and works in UNIT. */
static gboolean
user_in_unit (LkServerOp *op,
              const char *username,
              const char *unit)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (op->store,
                           "SELECT 1 FROM users AS u JOIN user_units AS uu ON uu.user_id = u.id "
                           "WHERE u.username = ?1 AND uu.unit_id = ?2",
                           &op->error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, unit, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (op->store, &op->error, "Looking up the assignee");
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

/* The SLA clock pauses while a case is incomplete: a case leaving it has
 * its due date moved later by the working days since it entered it (its
 * latest history entry to incomplete). FALSE only on a database error. */
static gboolean
resume_sla (LkServerOp *op,
            JsonObject *next)
{
  g_autofree char *due = NULL;
  const char *old_due;
  sqlite3_stmt *stmt;
  gint64 paused_at = 0;
  int rc;

  old_due = json_object_get_string_member_with_default (next, "sla_due", NULL);
  if (old_due == NULL)
    return TRUE;

  stmt = lk_store_prepare (op->store,
                           "SELECT MAX(at) FROM history WHERE case_id = ?1 AND to_state = 'incomplete'",
                           &op->error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->record, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_INTEGER)
    paused_at = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (op->store, &op->error, "Looking up when the case became incomplete");
  sqlite3_reset (stmt);
  if (op->error != NULL)
    return FALSE;

  due = lk_sla_resume_due (old_due, paused_at, op->now);
  json_object_set_string_member (next, "sla_due", due);
  return TRUE;
}

/* transition case */

static JsonObject *
apply_transition (LkServerOp *op)
{
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) next = NULL;
  g_autoptr(JsonObject) history = NULL;
  JsonObject *rejection = NULL;
  const char *to_name, *reason, *letter;
  LkCaseState from, to;
  gint64 letter_size = 0;

  kase = load_case_for (op, op->record, &rejection);
  if (kase == NULL)
    return rejection;
  if (json_object_get_int_member (kase, "version") != op->base)
    return lk_server_op_conflict (op, g_steal_pointer (&kase));

  if (!field_text (op->fields, "to_state", &to_name) || to_name == NULL ||
      (to = lk_case_state_from_string (to_name)) == LK_CASE_STATE_INVALID)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase), "“to_state” must be a case state.");
  if (!field_text (op->fields, "reason", &reason) ||
      (reason != NULL && !is_text (reason, LK_STORE_MAX_TEXT)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                "“reason” must be null or text of at most %d bytes.", LK_STORE_MAX_TEXT);
  if (!field_text (op->fields, "letter", &letter) ||
      (letter != NULL && !lk_server_is_sha256_hex (letter)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                "“letter” must be the SHA-256 (64 lower-case hex digits) of an uploaded blob.");
  if (letter != NULL && to != LK_CASE_STATE_SIGNED)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase), "Only a move to signed carries a letter.");

  from = lk_case_state_from_string (json_object_get_string_member (kase, "state"));
  if (!lk_case_transition_allowed (from, to, op->user->role))
    return lk_server_op_reject (op, "illegal_transition", g_steal_pointer (&kase),
                                "The lifecycle does not let a user with role %s move a case from %s to %s.",
                                lk_role_to_string (op->user->role), lk_case_state_to_string (from),
                                lk_case_state_to_string (to));
  if (reason == NULL && lk_case_transition_needs_reason (from, to))
    return lk_server_op_reject (op, "reason_required", g_steal_pointer (&kase),
                                "Moving a case from %s to %s needs a reason.",
                                lk_case_state_to_string (from), lk_case_state_to_string (to));
  if (to == LK_CASE_STATE_SIGNED)
    {
      if (letter == NULL)
        return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                    "A move to signed needs “letter”, the SHA-256 of the uploaded signed letter.");
      if (!lk_server_op_check_letter (op, kase, letter, &letter_size, &rejection))
        return rejection;
    }

  next = object_copy (kase);
  if (from == LK_CASE_STATE_INCOMPLETE && to != LK_CASE_STATE_INCOMPLETE && !resume_sla (op, next))
    return NULL;
  json_object_set_string_member (next, "state", lk_case_state_to_string (to));
  json_object_set_int_member (next, "updated_at", op->now);
  json_object_set_int_member (next, "version", op->base + 1);
  if (!lk_server_op_save (op, LK_KIND_CASE, next, json_object_ref (kase), &rejection))
    return rejection;

  history = json_object_new ();
  json_object_set_string_member (history, "id", op->id);
  json_object_set_string_member (history, "case_id", op->record);
  json_object_set_string_member (history, "from_state", lk_case_state_to_string (from));
  json_object_set_string_member (history, "to_state", lk_case_state_to_string (to));
  json_object_set_string_member (history, "actor", op->user->username);
  json_object_set_int_member (history, "at", op->now);
  if (reason != NULL)
    json_object_set_string_member (history, "reason", reason);
  else
    json_object_set_null_member (history, "reason");
  json_object_set_int_member (history, "version", 1);
  if (!lk_server_op_save (op, LK_KIND_HISTORY, history, json_object_ref (kase), &rejection))
    return rejection;

  if (to == LK_CASE_STATE_SIGNED &&
      (!lk_server_op_add_letter (op, kase, letter, letter_size, &rejection) ||
       !lk_server_op_register_letter (op, kase, letter, &rejection)))
    return rejection;

  return lk_server_op_applied (op, LK_KIND_CASE, op->record);
}

/* put case */

static JsonObject *
put_case (LkServerOp *op)
{
  static const char * const free_text[] = { "applicant_name", "address", "business_name" };
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) next = NULL;
  JsonObject *rejection = NULL;
  const char *text;

  kase = load_case_for (op, op->record, &rejection);
  if (kase == NULL)
    return rejection;
  if (op->user->role != LK_ROLE_OFFICER)
    return lk_server_op_reject (op, "forbidden", g_steal_pointer (&kase), "Only an officer may edit a case.");
  if (json_object_get_int_member (kase, "version") != op->base)
    return lk_server_op_conflict (op, g_steal_pointer (&kase));

  /* Formats; types, lengths and required fields are the store's check. */
  if (!field_text (op->fields, "nik", &text) || (text != NULL && !is_digits (text, NIK_DIGITS)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase), "“nik” must be %d digits.", NIK_DIGITS);
  if (!field_text (op->fields, "email", &text) || (text != NULL && !is_email (text)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                "“email” must be null or an address with one “@”.");
  if (!field_text (op->fields, "phone", &text) || (text != NULL && !is_phone (text)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                "“phone” must be null or a telephone number (digits, “+”, “-”, spaces).");
  if (!field_text (op->fields, "nib", &text) || (text != NULL && !is_digits (text, NIB_DIGITS)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                "“nib” must be null or %d digits.", NIB_DIGITS);
  for (guint i = 0; i < G_N_ELEMENTS (free_text); i++)
    {
      const char *name = free_text[i];

      if (!field_text (op->fields, name, &text) || (text != NULL && !is_text (text, LK_STORE_MAX_TEXT)))
        return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                    "“%s” must be text of at most %d bytes.", name, LK_STORE_MAX_TEXT);
    }
  if (!field_text (op->fields, "assignee", &text))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                "“assignee” must be a user name or null.");
  if (text != NULL && !user_in_unit (op, text, json_object_get_string_member (kase, "unit")))
    {
      if (op->error != NULL)
        return NULL;
      return lk_server_op_reject (op, "invalid", g_steal_pointer (&kase),
                                  "“assignee” must be a user who works in the case’s unit.");
    }

  next = object_copy (kase);
  merge_fields (next, op->fields);
  json_object_set_int_member (next, "updated_at", op->now);
  json_object_set_int_member (next, "version", op->base + 1);
  if (!lk_server_op_save (op, LK_KIND_CASE, next, g_steal_pointer (&kase), &rejection))
    return rejection;

  return lk_server_op_applied (op, LK_KIND_CASE, op->record);
}

/* put note */

static JsonObject *
put_note (LkServerOp *op)
{
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(JsonObject) kase = NULL;
  JsonObject *rejection = NULL;
  const char *text;
  sqlite3_stmt *stmt;
  gint64 at;
  int rc;

  if (!load_case_record (op, &note, &kase, &rejection))
    return rejection;
  rejection = check_create_only (op, note);
  if (rejection != NULL)
    return rejection;

  if (!field_int (op->fields, "at", 1, MAX_TIME, &at))
    return lk_server_op_reject (op, "invalid", NULL, "“at” must be a time in Unix seconds.");
  if (!field_text (op->fields, "text", &text) || !is_text (text, LK_SERVER_MAX_NOTE))
    return lk_server_op_reject (op, "invalid", NULL,
                                "“text” must be UTF-8 text of 1 to %d bytes.", LK_SERVER_MAX_NOTE);

  /* Not through lk_store_upsert_json: a note may be longer than the
   * store's limit of other text fields; every value is checked above. */
  stmt = lk_store_prepare (op->store,
                           "INSERT INTO notes (id, case_id, author, at, text, version) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, 1)",
                           &op->error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, op->record, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json_object_get_string_member (kase, "id"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, op->user->username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, at);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (op->store, &op->error, "Saving a note");
  sqlite3_reset (stmt);
  if (op->error != NULL)
    return NULL;

  return lk_server_op_applied (op, LK_KIND_NOTE, op->record);
}

/* put checklist */

/* The number of requirements of the case's service type. */
static gint64
count_requirements (LkServerOp *op,
                    JsonObject *kase)
{
  g_autoptr(JsonObject) service_type = lk_server_op_load_record (op, LK_KIND_SERVICE_TYPE,
                                                    json_object_get_string_member (kase, "service_type"));
  JsonNode *node;

  if (service_type == NULL)
    return 0;
  node = json_object_get_member (service_type, "requirements");
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_length (json_node_get_array (node)) : 0;
}

/* Whether DOCUMENT_ID is a document of the case CASE_ID. */
static gboolean
document_of_case (LkServerOp *op,
                  const char *document_id,
                  const char *case_id)
{
  g_autoptr(JsonObject) document = lk_server_op_load_record (op, LK_KIND_DOCUMENT, document_id);

  return document != NULL && g_strcmp0 (json_object_get_string_member (document, "case_id"), case_id) == 0;
}

static JsonObject *
put_checklist (LkServerOp *op)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) next = NULL;
  g_autofree char *expected_id = NULL;
  JsonObject *rejection = NULL;
  const char *case_id, *status_name, *reason, *document_id;
  LkCheckStatus status;
  gint64 item, at;

  if (!load_case_record (op, &current, &kase, &rejection))
    return rejection;
  if (op->user->role != LK_ROLE_OFFICER)
    return lk_server_op_reject (op, "forbidden", g_steal_pointer (&current),
                                "Only an officer may mark the checklist.");
  if (current == NULL && op->base != 0)
    return lk_server_op_reject (op, "not_found", NULL, "There is no such checklist record.");
  if (current != NULL && json_object_get_int_member (current, "version") != op->base)
    return lk_server_op_conflict (op, g_steal_pointer (&current));

  if (current != NULL)
    next = object_copy (current);
  else
    {
      next = json_object_new ();
      json_object_set_string_member (next, "id", op->record);
      json_object_set_null_member (next, "reason");
      json_object_set_null_member (next, "document_id");
    }
  merge_fields (next, op->fields);

  /* The record is CASE_ID:ITEM, for an item of the service type. */
  if (!field_text (next, "case_id", &case_id) || g_strcmp0 (case_id, json_object_get_string_member (kase, "id")) != 0 ||
      !field_int (next, "item", 0, G_MAXINT32, &item))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“case_id” and “item” must name the case and the requirement of the record.");
  expected_id = g_strdup_printf ("%s:%" G_GINT64_FORMAT, case_id, item);
  if (!g_str_equal (expected_id, op->record))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "A checklist record’s id must be “CASE_ID:ITEM” of its case_id and item.");
  if (item >= count_requirements (op, kase))
    {
      if (op->error != NULL)
        return NULL;
      return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                  "“item” must be the index of a requirement of the case’s service type.");
    }

  if (!field_text (next, "status", &status_name) || status_name == NULL ||
      (status = lk_check_status_from_string (status_name)) == LK_CHECK_STATUS_INVALID)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“status” must be pending, verified or rejected.");
  if (!field_text (next, "reason", &reason) || (reason != NULL && !is_text (reason, LK_STORE_MAX_TEXT)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“reason” must be null or text of at most %d bytes.", LK_STORE_MAX_TEXT);
  if (status == LK_CHECK_STATUS_REJECTED && reason == NULL)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "A rejected requirement needs a “reason” the applicant can act on.");
  if (!field_text (next, "document_id", &document_id))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“document_id” must be a document id or null.");
  if (document_id != NULL && !document_of_case (op, document_id, case_id))
    {
      if (op->error != NULL)
        return NULL;
      return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                  "“document_id” must be a document of the same case.");
    }
  if (!field_int (next, "at", 1, MAX_TIME, &at))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“at” must be a time in Unix seconds.");

  json_object_set_string_member (next, "actor", op->user->username);
  json_object_set_int_member (next, "version", op->base + 1);
  if (!lk_server_op_save (op, LK_KIND_CHECKLIST, next, g_steal_pointer (&current), &rejection))
    return rejection;

  return lk_server_op_applied (op, LK_KIND_CHECKLIST, op->record);
}

/* put document */

static JsonObject *
put_document (LkServerOp *op)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) next = NULL;
  JsonObject *rejection = NULL;
  const char *name, *mime_type, *sha256;
  gint64 size, position, stored_size = -1;
  sqlite3_stmt *stmt;
  int rc;

  if (!load_case_record (op, &current, &kase, &rejection))
    return rejection;
  if (op->user->role != LK_ROLE_OFFICER)
    return lk_server_op_reject (op, "forbidden", g_steal_pointer (&current), "Only an officer may add a document.");
  rejection = check_create_only (op, current);
  if (rejection != NULL)
    return rejection;

  if (!field_text (op->fields, "name", &name) || !is_file_name (name))
    return lk_server_op_reject (op, "invalid", NULL,
                                "“name” must be a file name of at most %d bytes, without “/” or “\\”.", MAX_FILE_NAME);
  if (!field_text (op->fields, "mime_type", &mime_type) || mime_type == NULL || !is_mime_type (mime_type))
    return lk_server_op_reject (op, "invalid", NULL, "“mime_type” must be a media type such as application/pdf.");
  if (!field_int (op->fields, "size", 0, LK_SERVER_MAX_BLOB, &size))
    return lk_server_op_reject (op, "invalid", NULL,
                                "“size” must be a byte count of at most %d.", LK_SERVER_MAX_BLOB);
  if (!field_text (op->fields, "sha256", &sha256) || sha256 == NULL || !lk_server_is_sha256_hex (sha256))
    return lk_server_op_reject (op, "invalid", NULL, "“sha256” must be 64 lower-case hex digits.");
  if (!field_int (op->fields, "position", 0, MAX_POSITION, &position))
    return lk_server_op_reject (op, "invalid", NULL, "“position” must be a number from 0 to %d.", MAX_POSITION);

  stmt = lk_store_prepare (op->store, "SELECT size FROM blobs WHERE sha256 = ?1", &op->error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    stored_size = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (op->store, &op->error, "Looking up a blob");
  sqlite3_reset (stmt);
  if (op->error != NULL)
    return NULL;
  if (stored_size < 0)
    return lk_server_op_reject (op, "blob_missing", NULL,
                                "The document’s content has not been uploaded; upload it, then send the document again.");
  if (stored_size != size)
    return lk_server_op_reject (op, "invalid", NULL, "“size” is not the size of the uploaded content.");

  next = json_object_new ();
  json_object_set_string_member (next, "id", op->record);
  merge_fields (next, op->fields);
  json_object_set_string_member (next, "case_id", json_object_get_string_member (kase, "id"));
  json_object_set_int_member (next, "version", 1);
  if (!lk_server_op_save (op, LK_KIND_DOCUMENT, next, NULL, &rejection))
    return rejection;

  return lk_server_op_applied (op, LK_KIND_DOCUMENT, op->record);
}

/* put unit, put service_type: global records, admin only */

/* The global record of the operation: NULL with *result set when the
 * operation stops here (forbidden, not_found, conflict, invalid id), or
 * with both NULL for a new record. */
static JsonObject *
load_global (LkServerOp  *op,
             JsonObject **result)
{
  g_autoptr(JsonObject) current = lk_server_op_load_record (op, op->kind, op->record);

  *result = NULL;
  if (op->error != NULL)
    return NULL;
  if (op->user->role != LK_ROLE_ADMIN)
    *result = lk_server_op_reject (op, "forbidden", g_steal_pointer (&current),
                                   "Only an administrator may change units and service types.");
  else if (current == NULL && op->base != 0)
    *result = lk_server_op_reject (op, "not_found", NULL, "There is no such %s.", op->kind);
  else if (current == NULL && !lk_server_is_uuid (op->record))
    *result = lk_server_op_reject (op, "invalid", NULL, "A new %s’s id must be a lower-case UUID.", op->kind);
  else if (current != NULL && json_object_get_int_member (current, "version") != op->base)
    *result = lk_server_op_conflict (op, g_steal_pointer (&current));

  return *result != NULL ? NULL : g_steal_pointer (&current);
}

static JsonObject *
put_unit (LkServerOp *op)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) next = NULL;
  JsonObject *result = NULL;
  const char *code, *name, *address;

  current = load_global (op, &result);
  if (result != NULL || op->error != NULL)
    return result;

  next = current != NULL ? object_copy (current) : json_object_new ();
  json_object_set_string_member (next, "id", op->record);
  merge_fields (next, op->fields);
  if (!field_text (next, "code", &code) || !is_code (code))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“code” must be 1 to %d letters, digits, “-”, “.” or “_”.", MAX_CODE);
  if (!field_text (next, "name", &name) || !is_text (name, LK_STORE_MAX_TEXT))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current), "“name” must be text.");
  if (!field_text (next, "address", &address) || (address != NULL && !is_text (address, LK_STORE_MAX_TEXT)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current), "“address” must be text or null.");
  json_object_set_int_member (next, "version", op->base + 1);
  if (!lk_server_op_save (op, LK_KIND_UNIT, next, g_steal_pointer (&current), &result))
    return result;

  return lk_server_op_applied (op, LK_KIND_UNIT, op->record);
}

static JsonObject *
put_service_type (LkServerOp *op)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) next = NULL;
  JsonObject *result = NULL;
  const char *code, *name, *number_format;
  JsonNode *node;
  gint64 sla_days;

  current = load_global (op, &result);
  if (result != NULL || op->error != NULL)
    return result;

  next = current != NULL ? object_copy (current) : json_object_new ();
  if (current == NULL)
    {
      json_object_set_boolean_member (next, "needs_business", FALSE);
      json_object_set_array_member (next, "requirements", json_array_new ());
    }
  json_object_set_string_member (next, "id", op->record);
  merge_fields (next, op->fields);
  if (!field_text (next, "code", &code) || !is_code (code))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“code” must be 1 to %d letters, digits, “-”, “.” or “_”.", MAX_CODE);
  if (!field_text (next, "name", &name) || !is_text (name, LK_STORE_MAX_TEXT))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current), "“name” must be text.");
  if (!field_int (next, "sla_days", 1, MAX_SLA_DAYS, &sla_days))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“sla_days” must be a number of working days from 1 to %d.", MAX_SLA_DAYS);
  if (!field_text (next, "number_format", &number_format) || !is_text (number_format, LK_STORE_MAX_TEXT) ||
      strstr (number_format, "{seq") == NULL)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“number_format” must be text with a {seq} placeholder, e.g. 503/{seq:04}/{unit}/{year}.");
  node = json_object_get_member (next, "requirements");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“requirements” must be a list of text.");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
          !is_text (json_node_get_string (item), LK_STORE_MAX_TEXT))
        return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                    "“requirements” must be a list of text.");
    }
  json_object_set_int_member (next, "version", op->base + 1);
  if (!lk_server_op_save (op, LK_KIND_SERVICE_TYPE, next, g_steal_pointer (&current), &result))
    return result;

  return lk_server_op_applied (op, LK_KIND_SERVICE_TYPE, op->record);
}

JsonObject *
lk_server_op_dispatch (LkServerOp *op)
{
  const OpKind *kind = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  for (guint i = 0; i < G_N_ELEMENTS (op_kinds); i++)
    if (g_str_equal (op_kinds[i].op, op->op) && g_str_equal (op_kinds[i].kind, op->kind))
      kind = &op_kinds[i];
  if (kind == NULL)
    return lk_server_op_reject (op, "invalid", NULL,
                                "There is no such operation on this kind of record (see docs/api-v1.md, “Operations”).");
  if (*op->record == '\0' || strlen (op->record) > MAX_RECORD_ID)
    return lk_server_op_reject (op, "invalid", NULL,
                                "“record” must be a record id of 1 to %d bytes.", MAX_RECORD_ID);

  json_object_iter_init (&iter, op->fields);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_strv_contains (kind->writable, name))
      {
        g_autofree char *writable = g_strjoinv (", ", (char **) kind->writable);

        return lk_server_op_reject (op, "invalid", NULL,
                                    "A member of “fields” is not writable by this operation; writable: %s.", writable);
      }

  return kind->apply (op);
}

