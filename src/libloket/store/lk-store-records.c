/* lk-store-records.c — records by kind: validation, JSON codec, queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "lk-store-private.h"
#include "model/lk-model-private.h"

typedef enum
{
  COL_ID,          /* non-empty text, the record's identity */
  COL_TEXT,        /* non-empty text */
  COL_LONG_TEXT,   /* non-empty text of up to LK_STORE_MAX_LONG_TEXT bytes */
  COL_TEXT_NULL,   /* text or null */
  COL_INT,         /* integer */
  COL_INT_NULL,    /* integer or null */
  COL_BOOL,        /* true/false, stored 0/1 */
  COL_STRV,        /* array of strings, stored as JSON text */
  COL_STATE,       /* a case state name */
  COL_STATE_NULL,  /* a case state name or null */
  COL_DATE_NULL,   /* YYYY-MM-DD or null */
  COL_SHA256,      /* 64 lower-case hex digits */
  COL_CHECK,       /* a checklist status: pending, verified or rejected */
} ColumnType;

typedef struct
{
  const char *name;
  ColumnType  type;
} Column;

struct _LkStoreTable
{
  const char   *kind;
  const char   *table;
  const Column *columns;
  guint         n_columns;
  /* Generated once. */
  char         *select_sql;
  char         *columns_sql;  /* "id, case_id, …" */
  char         *upsert_sql;
  char         *upsert_many_sql[3];  /* 4, 16 and 64 rows a statement */
  char         *json_expr;
};

typedef struct _LkStoreTable Table;

/* Multi-row upserts: lk_store_upsert_values_many writes records 64, 16, 4
 * or 1 at a time, one statement each. Besides the per-statement cost, this
 * matters for cases: their FTS5 trigger makes each statement open a
 * savepoint, and SQLite 3.40's FTS5 flushes its pending terms to a new
 * segment at every savepoint, so one case a statement meant one index
 * segment a case (and the merging that follows). The multi-row statements
 * are INSERT OR FAIL: a plain INSERT of several rows may abort half way,
 * so SQLite keeps a statement journal, a copy of every B-tree page the
 * statement touches (2 s of 9 for a first pull of 100 000 cases); OR FAIL
 * keeps the rows before a failing one, and the caller's transaction is
 * rolled back anyway. The upsert of the conflict on id is the same. */
static const guint upsert_many_rows[] = { 4, 16, 64 };

static const Column unit_columns[] = {
  { "id", COL_ID }, { "code", COL_TEXT }, { "name", COL_TEXT }, { "address", COL_TEXT_NULL },
  { "version", COL_INT },
};

static const Column service_type_columns[] = {
  { "id", COL_ID }, { "code", COL_TEXT }, { "name", COL_TEXT }, { "sla_days", COL_INT },
  { "number_format", COL_TEXT }, { "needs_business", COL_BOOL }, { "requirements", COL_STRV },
  { "version", COL_INT },
};

static const Column case_columns[] = {
  { "id", COL_ID }, { "receipt", COL_TEXT }, { "service_type", COL_TEXT }, { "unit", COL_TEXT },
  { "state", COL_STATE }, { "applicant_name", COL_TEXT }, { "nik", COL_TEXT }, { "email", COL_TEXT_NULL },
  { "phone", COL_TEXT_NULL }, { "address", COL_TEXT_NULL }, { "business_name", COL_TEXT_NULL },
  { "nib", COL_TEXT_NULL }, { "created_at", COL_INT }, { "updated_at", COL_INT }, { "sla_due", COL_DATE_NULL },
  { "version", COL_INT }, { "assignee", COL_TEXT_NULL },
};

static const Column document_columns[] = {
  { "id", COL_ID }, { "case_id", COL_TEXT }, { "name", COL_TEXT }, { "mime_type", COL_TEXT },
  { "size", COL_INT }, { "sha256", COL_SHA256 }, { "position", COL_INT }, { "version", COL_INT },
};

static const Column history_columns[] = {
  { "id", COL_ID }, { "case_id", COL_TEXT }, { "from_state", COL_STATE_NULL }, { "to_state", COL_STATE },
  { "actor", COL_TEXT }, { "at", COL_INT }, { "reason", COL_TEXT_NULL }, { "version", COL_INT },
};

static const Column note_columns[] = {
  { "id", COL_ID }, { "case_id", COL_TEXT }, { "author", COL_TEXT }, { "at", COL_INT },
  { "text", COL_LONG_TEXT }, { "version", COL_INT },
};

static const Column checklist_columns[] = {
  { "id", COL_ID }, { "case_id", COL_TEXT }, { "item", COL_INT }, { "status", COL_CHECK },
  { "reason", COL_TEXT_NULL }, { "document_id", COL_TEXT_NULL }, { "actor", COL_TEXT }, { "at", COL_INT },
  { "version", COL_INT },
};

static const Column template_columns[] = {
  { "id", COL_ID }, { "service_type", COL_TEXT }, { "body", COL_LONG_TEXT }, { "updated_by", COL_TEXT },
  { "updated_at", COL_INT }, { "version", COL_INT },
};

static const Column letter_columns[] = {
  { "id", COL_ID }, { "case_id", COL_TEXT }, { "number", COL_TEXT }, { "unit", COL_TEXT },
  { "subject", COL_TEXT }, { "signer_name", COL_TEXT }, { "signer_position", COL_TEXT_NULL },
  { "signed_at", COL_INT }, { "sha256", COL_SHA256 }, { "template_version", COL_INT_NULL },
  { "status", COL_TEXT }, { "status_reason", COL_TEXT_NULL }, { "status_at", COL_INT_NULL },
  { "superseded_by", COL_TEXT_NULL }, { "delivery_state", COL_TEXT_NULL }, { "delivery_error", COL_TEXT_NULL },
  { "delivered_at", COL_INT_NULL }, { "version", COL_INT },
};

static Table tables[] = {
  { LK_KIND_UNIT, "units", unit_columns, G_N_ELEMENTS (unit_columns) },
  { LK_KIND_SERVICE_TYPE, "service_types", service_type_columns, G_N_ELEMENTS (service_type_columns) },
  { LK_KIND_CASE, "cases", case_columns, G_N_ELEMENTS (case_columns) },
  { LK_KIND_DOCUMENT, "documents", document_columns, G_N_ELEMENTS (document_columns) },
  { LK_KIND_HISTORY, "history", history_columns, G_N_ELEMENTS (history_columns) },
  { LK_KIND_NOTE, "notes", note_columns, G_N_ELEMENTS (note_columns) },
  { LK_KIND_CHECKLIST, "checklist", checklist_columns, G_N_ELEMENTS (checklist_columns) },
  { LK_KIND_TEMPLATE, "templates", template_columns, G_N_ELEMENTS (template_columns) },
  { LK_KIND_LETTER, "letters", letter_columns, G_N_ELEMENTS (letter_columns) },
};

static char *change_record_sql;

static void
build_sql_once (void)
{
  static gsize done = 0;
  g_autoptr(GString) change_sql = g_string_new ("CASE ch.kind");

  if (!g_once_init_enter (&done))
    return;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      Table *table = &tables[t];
      g_autoptr(GString) cols = g_string_new (NULL);
      g_autoptr(GString) params = g_string_new (NULL);
      g_autoptr(GString) sets = g_string_new (NULL);
      g_autoptr(GString) json = g_string_new ("json_object(");

      for (guint i = 0; i < table->n_columns; i++)
        {
          const char *name = table->columns[i].name;

          g_string_append_printf (json, "%s'%s', ", i ? ", " : "", name);
          if (table->columns[i].type == COL_BOOL)
            g_string_append_printf (json, "json(CASE WHEN t.%s THEN 'true' ELSE 'false' END)", name);
          else if (table->columns[i].type == COL_STRV)
            g_string_append_printf (json, "json(t.%s)", name);
          else
            g_string_append_printf (json, "t.%s", name);
          g_string_append_printf (cols, "%s%s", i ? ", " : "", name);
          g_string_append_printf (params, "%s?", i ? ", " : "");
          if (i > 0)
            g_string_append_printf (sets, "%s%s = excluded.%s", i > 1 ? ", " : "", name, name);
        }

      /* Column and table names come from the static tables above; values
       * are always bound. */
      table->select_sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?", cols->str, table->table);
      table->columns_sql = g_strdup (cols->str);
      table->upsert_sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s",
                                           table->table, cols->str, params->str, sets->str);
      for (guint k = 0; k < G_N_ELEMENTS (upsert_many_rows); k++)
        {
          g_autoptr(GString) rows = g_string_new (NULL);

          for (guint r = 0; r < upsert_many_rows[k]; r++)
            g_string_append_printf (rows, "%s(%s)", r ? ", " : "", params->str);
          table->upsert_many_sql[k] = g_strdup_printf ("INSERT OR FAIL INTO %s (%s) VALUES %s "
                                                       "ON CONFLICT (id) DO UPDATE SET %s",
                                                       table->table, cols->str, rows->str, sets->str);
        }
      g_string_append_c (json, ')');
      table->json_expr = g_string_free (g_steal_pointer (&json), FALSE);
      g_string_append_printf (change_sql, " WHEN '%s' THEN (SELECT %s FROM %s t WHERE t.id = ch.record_id)",
                              table->kind, table->json_expr, table->table);
    }

  g_string_append (change_sql, " END");
  change_record_sql = g_string_free (g_steal_pointer (&change_sql), FALSE);

  g_once_init_leave (&done, 1);
}

static Table *
find_table (const char *kind)
{
  build_sql_once ();

  if (kind == NULL)
    return NULL;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    if (g_str_equal (tables[t].kind, kind))
      return &tables[t];

  return NULL;
}

const char *
lk_store_change_record_sql (void)
{
  build_sql_once ();

  return change_record_sql;
}

gboolean
lk_store_kind_is_valid (const char *kind)
{
  return find_table (kind) != NULL;
}

static gboolean
is_iso_date (const char *s)
{
  int y, m, d;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;

  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');

  return g_date_valid_dmy (d, m, y);
}

static gboolean
is_sha256 (const char *s)
{
  if (strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *kind,
         const char  *field,
         const char  *why)
{
  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
               /* Translators: a record from the server failed a check.
                * %s: record kind; %s: field; %s: what is wrong */
               _("Invalid %s record: field “%s” %s"), kind, field, why);
  return FALSE;
}

const LkStoreTable *
lk_store_table_find (const char *kind,
                     gssize      len)
{
  build_sql_once ();

  if (kind == NULL)
    return NULL;
  if (len < 0)
    len = (gssize) strlen (kind);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    if (strncmp (tables[t].kind, kind, (gsize) len) == 0 && tables[t].kind[len] == '\0')
      return &tables[t];

  return NULL;
}

const char *
lk_store_table_get_kind (const LkStoreTable *table)
{
  return table->kind;
}

guint
lk_store_table_get_n_columns (const LkStoreTable *table)
{
  return table->n_columns;
}

int
lk_store_table_find_column (const LkStoreTable *table,
                            const char         *name,
                            gsize               len,
                            guint               hint)
{
  /* The server sends the members in column order: try the hint first. */
  for (guint k = 0; k < table->n_columns; k++)
    {
      guint i = (hint + k) % table->n_columns;
      const char *column = table->columns[i].name;

      if (strncmp (column, name, len) == 0 && column[len] == '\0')
        return (int) i;
    }

  return -1;
}

/* The value of a JsonNode (NULL: absent). An array's items go to a new
 * array in *items, owned by the caller; only when there are few enough
 * for a string list (more fail its check without being looked at), and
 * not for an array in an array (items NULL). */
static void
value_from_node (JsonNode      *node,
                 LkStoreValue  *value,
                 LkStoreValue **items)
{
  memset (value, 0, sizeof *value);

  if (node == NULL)
    {
      value->type = LK_STORE_VALUE_ABSENT;
    }
  else if (JSON_NODE_HOLDS_NULL (node))
    {
      value->type = LK_STORE_VALUE_NULL;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      value->type = LK_STORE_VALUE_ARRAY;
      value->n_items = n;
      /* Items are not looked into: an array in an array is not text. */
      if (items != NULL && n <= LK_STORE_MAX_STRV_ITEMS && n > 0)
        {
          *items = g_new0 (LkStoreValue, n);
          for (guint i = 0; i < n; i++)
            value_from_node (json_array_get_element (array, i), &(*items)[i], NULL);
          value->items = *items;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      value->type = LK_STORE_VALUE_STRING;
      value->str = json_node_get_string (node);
      value->len = value->str != NULL ? strlen (value->str) : 0;
      if (value->str == NULL)
        value->type = LK_STORE_VALUE_NULL;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      value->type = LK_STORE_VALUE_INT;
      value->i = json_node_get_int (node);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      value->type = LK_STORE_VALUE_BOOL;
      value->i = json_node_get_boolean (node) ? 1 : 0;
    }
  else
    {
      value->type = LK_STORE_VALUE_OTHER;
    }
}

static gboolean
is_text_column (ColumnType type)
{
  return type != COL_INT && type != COL_INT_NULL && type != COL_BOOL && type != COL_STRV;
}

/* The checks of one column's value: every record from the server or a
 * caller passes here before it is bound. */
static gboolean
check_value (const Table         *table,
             const Column        *column,
             const LkStoreValue  *value,
             GError             **error)
{
  const char *text;

  switch (column->type)
    {
    case COL_ID:
    case COL_TEXT:
    case COL_LONG_TEXT:
    case COL_TEXT_NULL:
    case COL_STATE:
    case COL_STATE_NULL:
    case COL_DATE_NULL:
    case COL_SHA256:
    case COL_CHECK:
      if (value->type != LK_STORE_VALUE_ABSENT && value->type != LK_STORE_VALUE_NULL &&
          value->type != LK_STORE_VALUE_STRING)
        return invalid (error, table->kind, column->name, _("is not text"));
      if (value->type != LK_STORE_VALUE_STRING || value->len == 0)
        {
          if (column->type == COL_ID || column->type == COL_TEXT || column->type == COL_LONG_TEXT ||
              column->type == COL_STATE ||
              column->type == COL_SHA256 || column->type == COL_CHECK)
            return invalid (error, table->kind, column->name, _("is missing"));
          return TRUE;
        }
      text = value->str;
      if (value->len > (column->type == COL_LONG_TEXT ? LK_STORE_MAX_LONG_TEXT : LK_STORE_MAX_TEXT))
        return invalid (error, table->kind, column->name, _("is too long"));
      if (!g_utf8_validate_len (text, value->len, NULL))
        return invalid (error, table->kind, column->name, _("is not valid UTF-8"));
      if ((column->type == COL_STATE || column->type == COL_STATE_NULL) &&
          lk_case_state_from_string (text) == LK_CASE_STATE_INVALID)
        return invalid (error, table->kind, column->name, _("is not a known case state"));
      if (column->type == COL_DATE_NULL && !is_iso_date (text))
        return invalid (error, table->kind, column->name, _("is not a date (YYYY-MM-DD)"));
      if (column->type == COL_SHA256 && !is_sha256 (text))
        return invalid (error, table->kind, column->name, _("is not a SHA-256 hash"));
      if (column->type == COL_CHECK && lk_check_status_from_string (text) == LK_CHECK_STATUS_INVALID)
        return invalid (error, table->kind, column->name, _("is not pending, verified or rejected"));
      return TRUE;

    case COL_INT:
      if (value->type != LK_STORE_VALUE_INT)
        return invalid (error, table->kind, column->name, _("is not an integer"));
      return TRUE;

    case COL_INT_NULL:
      if (value->type != LK_STORE_VALUE_INT && value->type != LK_STORE_VALUE_NULL &&
          value->type != LK_STORE_VALUE_ABSENT)
        return invalid (error, table->kind, column->name, _("is not an integer"));
      return TRUE;

    case COL_BOOL:
      if (value->type != LK_STORE_VALUE_BOOL)
        return invalid (error, table->kind, column->name, _("is not true or false"));
      return TRUE;

    case COL_STRV:
      if (value->type != LK_STORE_VALUE_ARRAY)
        return invalid (error, table->kind, column->name, _("is not a list"));
      if (value->n_items > LK_STORE_MAX_STRV_ITEMS)
        return invalid (error, table->kind, column->name, _("has too many items"));
      for (guint i = 0; i < value->n_items; i++)
        {
          const LkStoreValue *item = &value->items[i];

          /* A lone surrogate escape must not slip through as invalid UTF-8. */
          if (item->type != LK_STORE_VALUE_STRING || item->len > LK_STORE_MAX_TEXT ||
              !g_utf8_validate_len (item->str, item->len, NULL))
            return invalid (error, table->kind, column->name, _("holds an item that is not text"));
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/* The JSON text of a checked string list. */
static char *
strv_to_json (const LkStoreValue *value)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < value->n_items; i++)
    {
      const LkStoreValue *item = &value->items[i];

      g_string_append (json, i ? ",\"" : "\"");
      for (gsize k = 0; k < item->len; k++)
        {
          guchar c = (guchar) item->str[k];

          if (c == '"' || c == '\\')
            {
              g_string_append_c (json, '\\');
              g_string_append_c (json, (char) c);
            }
          else if (c < 0x20)
            {
              g_string_append_printf (json, "\\u%04x", c);
            }
          else
            {
              g_string_append_c (json, (char) c);
            }
        }
      g_string_append_c (json, '"');
    }
  g_string_append_c (json, ']');

  return g_string_free (json, FALSE);
}

/* Binds a checked value at index (1-based). strv_json receives the JSON
 * text of a string list, owned by the caller until the statement ran. */
static void
bind_value (sqlite3_stmt        *stmt,
            int                  index,
            const Column        *column,
            const LkStoreValue  *value,
            char               **strv_json)
{
  if (is_text_column (column->type))
    {
      if (value->type != LK_STORE_VALUE_STRING || value->len == 0)
        sqlite3_bind_null (stmt, index);
      else
        sqlite3_bind_text (stmt, index, value->str, (int) value->len, SQLITE_STATIC);
    }
  else if (column->type == COL_STRV)
    {
      *strv_json = strv_to_json (value);
      sqlite3_bind_text (stmt, index, *strv_json, -1, SQLITE_STATIC);
    }
  else if (column->type == COL_INT_NULL && value->type != LK_STORE_VALUE_INT)
    {
      sqlite3_bind_null (stmt, index);
    }
  else
    {
      sqlite3_bind_int64 (stmt, index, value->i);
    }
}

typedef struct
{
  const LkStoreValue *row;
  guint               position;
} SortedRow;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const SortedRow *x = a, *y = b;
  int cmp = strcmp (x->row[0].str, y->row[0].str);

  /* Equal ids stay in the order given: the later one is written last. */
  if (cmp == 0)
    cmp = x->position < y->position ? -1 : 1;
  return cmp;
}

gboolean
lk_store_check_values (const LkStoreTable  *table,
                       const LkStoreValue  *row,
                       GError             **error)
{
  for (guint i = 0; i < table->n_columns; i++)
    if (!check_value (table, &table->columns[i], &row[i], error))
      return FALSE;
  return TRUE;
}

gboolean
lk_store_upsert_values_many (LkStore                    *self,
                             const LkStoreTable         *table,
                             const LkStoreValue * const *rows,
                             guint                       n_rows,
                             GError                    **error)
{
  g_autoptr(GPtrArray) strv_texts = NULL;
  g_autofree SortedRow *sorted = NULL;
  gboolean ok = TRUE;
  guint done = 0;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);

  /* Everything is checked first, in the order given. */
  for (guint r = 0; r < n_rows; r++)
    if (!lk_store_check_values (table, rows[r], error))
      return FALSE;

  /* Then written in id order: neighbouring keys share B-tree pages. */
  sorted = g_new (SortedRow, MAX (n_rows, 1));
  for (guint r = 0; r < n_rows; r++)
    {
      sorted[r].row = rows[r];
      sorted[r].position = r;
    }
  if (n_rows > 1)
    qsort (sorted, n_rows, sizeof *sorted, compare_rows);

  strv_texts = g_ptr_array_new_with_free_func (g_free);
  lk_store_lock (self);
  while (ok && done < n_rows)
    {
      const char *sql = table->upsert_sql;
      guint n = 1;
      sqlite3_stmt *stmt;

      for (guint k = G_N_ELEMENTS (upsert_many_rows); k > 0; k--)
        if (n_rows - done >= upsert_many_rows[k - 1])
          {
            n = upsert_many_rows[k - 1];
            sql = table->upsert_many_sql[k - 1];
            break;
          }

      stmt = lk_store_prepare (self, sql, error);
      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }

      for (guint r = 0; r < n; r++)
        for (guint i = 0; i < table->n_columns; i++)
          {
            char *strv_json = NULL;

            bind_value (stmt, (int) (r * table->n_columns + i + 1), &table->columns[i],
                        &sorted[done + r].row[i], &strv_json);
            if (strv_json != NULL)
              g_ptr_array_add (strv_texts, strv_json);
          }

      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          lk_store_set_sql_error (self, error, _("Saving a record"));
          ok = FALSE;
        }

      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      g_ptr_array_set_size (strv_texts, 0);
      done += n;
    }
  lk_store_unlock (self);

  return ok;
}

/* Upserts n_records records of one kind through lk_store_upsert_values_many
 * (the same checks, in multi-row statements). On a failure the caller's
 * transaction is meant to be rolled back. */
gboolean
lk_store_upsert_json_many (LkStore            *self,
                           const char         *kind,
                           JsonObject * const *records,
                           guint               n_records,
                           GError            **error)
{
  g_autofree LkStoreValue *values = NULL;
  g_autofree const LkStoreValue **rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  const Table *table;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL || n_records == 0, FALSE);

  table = find_table (kind);
  if (table == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   _("Unknown record kind “%s”"), kind ? kind : "(null)");
      return FALSE;
    }

  values = g_new0 (LkStoreValue, (gsize) MAX (n_records, 1) * table->n_columns);
  rows = g_new (const LkStoreValue *, MAX (n_records, 1));
  items = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; r < n_records; r++)
    {
      LkStoreValue *row = &values[(gsize) r * table->n_columns];

      g_return_val_if_fail (records[r] != NULL, FALSE);
      for (guint i = 0; i < table->n_columns; i++)
        {
          LkStoreValue *row_items = NULL;

          value_from_node (json_object_get_member (records[r], table->columns[i].name),
                           &row[i], &row_items);
          if (row_items != NULL)
            g_ptr_array_add (items, row_items);
        }
      rows[r] = row;
    }

  return lk_store_upsert_values_many (self, table, rows, n_records, error);
}

gboolean
lk_store_upsert_json (LkStore     *self,
                      const char  *kind,
                      JsonObject  *record,
                      GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  return lk_store_upsert_json_many (self, kind, &record, 1, error);
}

static void
set_member_from_column (JsonObject   *object,
                        const Column *column,
                        sqlite3_stmt *stmt,
                        int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    {
      json_object_set_null_member (object, column->name);
      return;
    }

  switch (column->type)
    {
    case COL_INT:
    case COL_INT_NULL:
      json_object_set_int_member (object, column->name, sqlite3_column_int64 (stmt, index));
      break;

    case COL_BOOL:
      json_object_set_boolean_member (object, column->name, sqlite3_column_int (stmt, index) != 0);
      break;

    case COL_STRV:
      {
        g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (stmt, index), NULL);

        if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
          json_object_set_member (object, column->name, g_steal_pointer (&node));
        else
          json_object_set_array_member (object, column->name, json_array_new ());
        break;
      }

    case COL_ID:
    case COL_TEXT:
    case COL_LONG_TEXT:
    case COL_TEXT_NULL:
    case COL_STATE:
    case COL_STATE_NULL:
    case COL_DATE_NULL:
    case COL_SHA256:
    case COL_CHECK:
    default:
      json_object_set_string_member (object, column->name, (const char *) sqlite3_column_text (stmt, index));
      break;
    }
}

JsonObject *
lk_store_get_json (LkStore     *self,
                   const char  *kind,
                   const char  *id,
                   GError     **error)
{
  Table *table;
  sqlite3_stmt *stmt;
  JsonObject *object = NULL;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  table = find_table (kind);
  if (table == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   _("Unknown record kind “%s”"), kind ? kind : "(null)");
      return NULL;
    }

  lk_store_lock (self);
  stmt = lk_store_prepare (self, table->select_sql, error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      object = json_object_new ();
      for (guint i = 0; i < table->n_columns; i++)
        set_member_from_column (object, &table->columns[i], stmt, i);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                 _("No %s record with id “%s”"), kind, id);
  else
    lk_store_set_sql_error (self, error, _("Reading a record"));
  sqlite3_reset (stmt);

out:
  lk_store_unlock (self);
  return object;
}

gint64
lk_store_count (LkStore    *self,
                const char *kind)
{
  static const char * const count_sql[] = {
    "SELECT count(*) FROM units",
    "SELECT count(*) FROM service_types",
    "SELECT count(*) FROM cases",
    "SELECT count(*) FROM documents",
    "SELECT count(*) FROM history",
    "SELECT count(*) FROM notes",
    "SELECT count(*) FROM checklist",
    "SELECT count(*) FROM templates",
    "SELECT count(*) FROM letters",
  };
  Table *table;

  G_STATIC_ASSERT (G_N_ELEMENTS (count_sql) == G_N_ELEMENTS (tables));
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (LK_IS_STORE (self), -1);

  table = find_table (kind);
  g_return_val_if_fail (table != NULL, -1);

  lk_store_lock (self);
  stmt = lk_store_prepare (self, count_sql[table - tables], NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  lk_store_unlock (self);

  return count;
}

/* ---- typed queries ---- */

static char *
dup_column (sqlite3_stmt *stmt,
            int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text ? g_strdup ((const char *) text) : NULL;
}

#define CASE_FULL_COLUMNS \
  "c.nid, c.id, c.receipt, c.service_type, s.code, s.name, c.unit, c.state, c.applicant_name, c.nik, " \
  "c.email, c.phone, c.address, c.business_name, c.nib, c.created_at, c.updated_at, c.sla_due, c.version, c.assignee"

static LkCase *
case_from_full_row (sqlite3_stmt *stmt)
{
  LkCase *c = g_object_new (LK_TYPE_CASE, NULL);

  c->nid = sqlite3_column_int64 (stmt, 0);
  c->id = dup_column (stmt, 1);
  c->receipt = dup_column (stmt, 2);
  c->service_type_id = dup_column (stmt, 3);
  c->service_code = dup_column (stmt, 4);
  c->service_name = dup_column (stmt, 5);
  c->unit = dup_column (stmt, 6);
  c->state = lk_case_state_from_string ((const char *) sqlite3_column_text (stmt, 7));
  c->applicant_name = dup_column (stmt, 8);
  c->nik = dup_column (stmt, 9);
  c->email = dup_column (stmt, 10);
  c->phone = dup_column (stmt, 11);
  c->address = dup_column (stmt, 12);
  c->business_name = dup_column (stmt, 13);
  c->nib = dup_column (stmt, 14);
  c->created_at = sqlite3_column_int64 (stmt, 15);
  c->updated_at = sqlite3_column_int64 (stmt, 16);
  c->sla_due = dup_column (stmt, 17);
  c->version = sqlite3_column_int64 (stmt, 18);
  c->assignee = dup_column (stmt, 19);
  c->complete = TRUE;

  return c;
}

static LkCase *
get_case_where (LkStore     *self,
                const char  *sql,
                const char  *value,
                GError     **error)
{
  sqlite3_stmt *stmt;
  LkCase *result = NULL;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  lk_store_lock (self);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        result = case_from_full_row (stmt);
      else if (rc == SQLITE_DONE)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, _("No such case: “%s”"), value);
      else
        lk_store_set_sql_error (self, error, _("Reading a case"));
      sqlite3_reset (stmt);
    }
  lk_store_unlock (self);

  return result;
}

LkCase *
lk_store_get_case (LkStore     *self,
                   const char  *id,
                   GError     **error)
{
  return get_case_where (self,
                         "SELECT " CASE_FULL_COLUMNS " FROM cases c "
                         "LEFT JOIN service_types s ON s.id = c.service_type WHERE c.id = ?",
                         id, error);
}

LkCase *
lk_store_find_case_by_receipt (LkStore     *self,
                               const char  *receipt,
                               GError     **error)
{
  return get_case_where (self,
                         "SELECT " CASE_FULL_COLUMNS " FROM cases c "
                         "LEFT JOIN service_types s ON s.id = c.service_type WHERE c.receipt = ?",
                         receipt, error);
}

typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

/* Runs sql (with param bound to ?1 when not NULL) and collects one object
 * per row made by row_func. */
static GPtrArray *
collect_rows (LkStore     *self,
              const char  *sql,
              const char  *param,
              RowFunc      row_func,
              const char  *what,
              GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  lk_store_lock (self);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    {
      lk_store_unlock (self);
      return NULL;
    }

  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, row_func (stmt));
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self, error, what);
  sqlite3_reset (stmt);
  lk_store_unlock (self);

  return rc == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}

static gpointer
document_from_row (sqlite3_stmt *stmt)
{
  LkDocument *doc = g_object_new (LK_TYPE_DOCUMENT, NULL);

  doc->id = dup_column (stmt, 0);
  doc->case_id = dup_column (stmt, 1);
  doc->name = dup_column (stmt, 2);
  doc->mime_type = dup_column (stmt, 3);
  doc->size = sqlite3_column_int64 (stmt, 4);
  doc->sha256 = dup_column (stmt, 5);
  doc->position = sqlite3_column_int (stmt, 6);

  return doc;
}

static gpointer
history_entry_from_row (sqlite3_stmt *stmt)
{
  LkHistoryEntry *entry = g_object_new (LK_TYPE_HISTORY_ENTRY, NULL);

  entry->id = dup_column (stmt, 0);
  entry->case_id = dup_column (stmt, 1);
  entry->from_state = lk_case_state_from_string ((const char *) sqlite3_column_text (stmt, 2));
  entry->to_state = lk_case_state_from_string ((const char *) sqlite3_column_text (stmt, 3));
  entry->actor = dup_column (stmt, 4);
  entry->at = sqlite3_column_int64 (stmt, 5);
  entry->reason = dup_column (stmt, 6);

  return entry;
}

static gpointer
service_type_from_row (sqlite3_stmt *stmt)
{
  LkServiceType *st = g_object_new (LK_TYPE_SERVICE_TYPE, NULL);
  g_autoptr(JsonNode) reqs = json_from_string ((const char *) sqlite3_column_text (stmt, 6), NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  st->id = dup_column (stmt, 0);
  st->code = dup_column (stmt, 1);
  st->name = dup_column (stmt, 2);
  st->sla_days = sqlite3_column_int (stmt, 3);
  st->number_format = dup_column (stmt, 4);
  st->needs_business = sqlite3_column_int (stmt, 5) != 0;
  if (reqs != NULL && JSON_NODE_HOLDS_ARRAY (reqs))
    {
      JsonArray *array = json_node_get_array (reqs);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *item = json_array_get_string_element (array, i);

          if (item != NULL)
            g_strv_builder_add (builder, item);
        }
    }
  st->requirements = g_strv_builder_end (builder);

  return st;
}

GPtrArray *
lk_store_list_documents (LkStore     *self,
                         const char  *case_id,
                         GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  return collect_rows (self,
                       "SELECT id, case_id, name, mime_type, size, sha256, position FROM documents "
                       "WHERE case_id = ? ORDER BY position, id",
                       case_id, document_from_row, _("Reading the attachments"), error);
}

GPtrArray *
lk_store_list_notes (LkStore     *self,
                     const char  *case_id,
                     guint        limit,
                     GError     **error)
{
  static char *sql;
  static gsize done;
  Table *table = find_table (LK_KIND_NOTE);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  /* The newest `limit`, shown oldest first. Column names come from the
   * static table; values are bound. */
  if (g_once_init_enter (&done))
    {
      sql = g_strdup_printf ("SELECT %s FROM (SELECT * FROM notes WHERE case_id = ?1 "
                             "ORDER BY at DESC, id DESC LIMIT ?2) ORDER BY at, id",
                             table->columns_sql);
      g_once_init_leave (&done, 1);
    }

  lk_store_lock (self);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    {
      lk_store_unlock (self);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *note = json_object_new ();

      for (guint i = 0; i < table->n_columns; i++)
        set_member_from_column (note, &table->columns[i], stmt, (int) i);
      g_ptr_array_add (notes, note);
    }
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self, error, _("Reading the notes of a case"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  lk_store_unlock (self);

  return rc == SQLITE_DONE ? g_steal_pointer (&notes) : NULL;
}

GPtrArray *
lk_store_list_history (LkStore     *self,
                       const char  *case_id,
                       GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  return collect_rows (self,
                       "SELECT id, case_id, from_state, to_state, actor, at, reason FROM history "
                       "WHERE case_id = ? ORDER BY at, id",
                       case_id, history_entry_from_row, _("Reading the history"), error);
}

GPtrArray *
lk_store_list_service_types (LkStore  *self,
                             GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return collect_rows (self,
                       "SELECT id, code, name, sla_days, number_format, needs_business, requirements "
                       "FROM service_types ORDER BY name",
                       NULL, service_type_from_row, _("Reading the service types"), error);
}

char *
lk_store_build_fts_query (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *normalized = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return NULL;
  if (strlen (text) > LK_STORE_MAX_SEARCH || !g_utf8_validate (text, -1, NULL))
    return NULL;

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    return NULL;

  /* Each word becomes a quoted prefix phrase ("skd-2026"* matches the
   * tokens skd, 2026… in a row); quotes inside a word are doubled, so no
   * FTS5 operator can be smuggled in. */
  words = g_strsplit_set (normalized, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean has_token = FALSE;

      for (const char *p = words[i]; *p; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          {
            has_token = TRUE;
            break;
          }
      if (!has_token)
        continue;

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append (query, "\"*");
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

static int
compare_nid (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
progress_cancel_cb (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

GArray *
lk_store_search_case_nids (LkStore       *self,
                           const char    *search,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GArray) nids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *query = NULL;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  query = lk_store_build_fts_query (search);
  if (query == NULL)
    return g_steal_pointer (&nids);

  lk_store_lock (self);
  stmt = lk_store_prepare (self, "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?", error);
  if (stmt == NULL)
    {
      lk_store_unlock (self);
      return NULL;
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (lk_store_get_handle (self), 1000, progress_cancel_cb, cancellable);

  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 nid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (nids, nid);
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (lk_store_get_handle (self), 0, NULL, NULL);

  if (rc != SQLITE_DONE)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ;
      else
        lk_store_set_sql_error (self, error, _("Searching"));
    }
  sqlite3_reset (stmt);
  lk_store_unlock (self);

  if (rc != SQLITE_DONE)
    return NULL;

  g_array_sort (nids, compare_nid);
  return g_steal_pointer (&nids);
}

#define CASE_LIGHT_COLUMNS \
  "c.nid, c.id, c.receipt, c.service_type, s.code, s.name, c.state, c.applicant_name, c.sla_due, " \
  "c.business_name, c.created_at, c.assignee"

static LkCase *
case_from_light_row (sqlite3_stmt *stmt)
{
  LkCase *c = g_object_new (LK_TYPE_CASE, NULL);

  c->nid = sqlite3_column_int64 (stmt, 0);
  c->id = dup_column (stmt, 1);
  c->receipt = dup_column (stmt, 2);
  c->service_type_id = dup_column (stmt, 3);
  c->service_code = dup_column (stmt, 4);
  c->service_name = dup_column (stmt, 5);
  c->state = lk_case_state_from_string ((const char *) sqlite3_column_text (stmt, 6));
  c->applicant_name = dup_column (stmt, 7);
  c->sla_due = dup_column (stmt, 8);
  c->business_name = dup_column (stmt, 9);
  c->created_at = sqlite3_column_int64 (stmt, 10);
  c->assignee = dup_column (stmt, 11);
  c->complete = FALSE;

  return c;
}

GPtrArray *
lk_store_query_cases (LkStore       *self,
                      LkCaseState    state,
                      const char    *search,
                      guint          limit,
                      GCancellable  *cancellable,
                      GError       **error)
{
  static const char *sql =
    "SELECT " CASE_LIGHT_COLUMNS " FROM cases c "
    "LEFT JOIN service_types s ON s.id = c.service_type "
    "WHERE (?1 IS NULL OR c.state = ?1) "
    "AND (?2 IS NULL OR c.nid IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?2)) "
    "ORDER BY c.created_at DESC, c.nid DESC LIMIT ?3";
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *query = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  if (search != NULL && search[0] != '\0')
    {
      query = lk_store_build_fts_query (search);
      if (query == NULL)
        return g_steal_pointer (&items);
    }

  lk_store_lock (self);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    {
      lk_store_unlock (self);
      return NULL;
    }

  if (state != LK_CASE_STATE_INVALID)
    sqlite3_bind_text (stmt, 1, lk_case_state_to_string (state), -1, SQLITE_STATIC);
  if (query != NULL)
    sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);

  if (cancellable != NULL)
    sqlite3_progress_handler (lk_store_get_handle (self), 1000, progress_cancel_cb, cancellable);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, case_from_light_row (stmt));

  if (cancellable != NULL)
    sqlite3_progress_handler (lk_store_get_handle (self), 0, NULL, NULL);

  if (rc != SQLITE_DONE && !g_cancellable_set_error_if_cancelled (cancellable, error))
    lk_store_set_sql_error (self, error, _("Listing cases"));
  sqlite3_reset (stmt);
  lk_store_unlock (self);

  return rc == SQLITE_DONE ? g_steal_pointer (&items) : NULL;
}

gboolean
lk_store_count_cases_by_state (LkStore  *self,
                               gint64    counts[],
                               GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  for (guint i = 0; i < LK_N_CASE_STATES; i++)
    counts[i] = 0;

  lk_store_lock (self);
  stmt = lk_store_prepare (self, "SELECT state, count(*) FROM cases GROUP BY state", error);
  if (stmt == NULL)
    {
      lk_store_unlock (self);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkCaseState state = lk_case_state_from_string ((const char *) sqlite3_column_text (stmt, 0));

      if (state != LK_CASE_STATE_INVALID)
        counts[state] = sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self, error, _("Counting cases"));
  sqlite3_reset (stmt);
  lk_store_unlock (self);

  return rc == SQLITE_DONE;
}

GPtrArray *
lk_store_list_case_letters (LkStore     *self,
                            const char  *case_id,
                            GError     **error)
{
  static char *sql;
  static gsize done;
  Table *table = find_table (LK_KIND_LETTER);
  g_autoptr(GPtrArray) letters = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  /* Column names come from the static table; the value is bound. */
  if (g_once_init_enter (&done))
    {
      sql = g_strdup_printf ("SELECT %s FROM letters WHERE case_id = ?1 ORDER BY signed_at DESC, id",
                             table->columns_sql);
      g_once_init_leave (&done, 1);
    }

  lk_store_lock (self);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    {
      lk_store_unlock (self);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *letter = json_object_new ();

      for (guint i = 0; i < table->n_columns; i++)
        set_member_from_column (letter, &table->columns[i], stmt, (int) i);
      g_ptr_array_add (letters, letter);
    }
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self, error, _("Reading the letters of a case"));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  lk_store_unlock (self);

  return rc == SQLITE_DONE ? g_steal_pointer (&letters) : NULL;
}
