/* lk-store.c — connection, migrations, transactions, statement cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "lk-store-private.h"
#include "lk-store-schema.h"

struct _LkStore
{
  GObject      parent_instance;

  GRecMutex    lock;
  sqlite3     *db;
  char        *path;
  LkStoreKind  kind;
  int          schema_version;
  GHashTable  *statements; /* sql (owned copy) → sqlite3_stmt */
  gboolean     in_transaction;
};

G_DEFINE_FINAL_TYPE (LkStore, lk_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-store-error-quark, lk_store_error)

#define BUSY_TIMEOUT_MS 10000

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
lk_store_finalize (GObject *object)
{
  LkStore *self = (LkStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lk_store_parent_class)->finalize (object);
}

static void
lk_store_class_init (LkStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_store_finalize;
}

static void
lk_store_init (LkStore *self)
{
  g_rec_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

void
lk_store_set_sql_error (LkStore     *self,
                        GError     **error,
                        const char  *what)
{
  int code = sqlite3_extended_errcode (self->db) & 0xff;
  LkStoreError kind = LK_STORE_ERROR_SQL;

  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    kind = LK_STORE_ERROR_CORRUPT;

  g_set_error (error, LK_STORE_ERROR, kind,
               /* Translators: %s: what failed; %s: the file; %s: SQLite's message */
               _("%s failed on the database “%s”: %s"),
               what, self->path, sqlite3_errmsg (self->db));
}

gboolean
lk_store_exec (LkStore     *self,
               const char  *sql,
               GError     **error)
{
  char *msg = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      lk_store_set_sql_error (self, error, _("A database command"));
      sqlite3_free (msg);
      return FALSE;
    }

  return TRUE;
}

gboolean
lk_store_checkpoint (LkStore *self)
{
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  lk_store_lock (self);
  /* TRUNCATE waits for readers; none of that here: without a busy
   * handler it copies what it can and gives up at once if one reads. */
  sqlite3_busy_timeout (self->db, 0);
  rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  lk_store_unlock (self);

  if (rc != SQLITE_OK)
    g_debug ("WAL checkpoint of %s left for later: %s", self->path, sqlite3_errstr (rc));
  return rc == SQLITE_OK;
}

sqlite3 *
lk_store_get_handle (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return self->db;
}

sqlite3_stmt *
lk_store_prepare (LkStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  g_rec_mutex_lock (&self->lock);
  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  else if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) == SQLITE_OK)
    {
      /* The key is copied: a caller may pass SQL it built and frees. */
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
    }
  else
    {
      lk_store_set_sql_error (self, error, _("Preparing a query"));
      stmt = NULL;
    }
  g_rec_mutex_unlock (&self->lock);

  return stmt;
}

static gboolean
read_pragma_int (LkStore     *self,
                 const char  *sql,
                 int         *out,
                 GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      lk_store_set_sql_error (self, error, _("Reading the database header"));
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self, error, _("Reading the database header"));
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *out = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
migrate (LkStore  *self,
         int       app_id,
         GError  **error)
{
  int expected_id = self->kind == LK_STORE_KIND_SERVER ? LK_STORE_APP_ID_SERVER : LK_STORE_APP_ID_CLIENT;
  int newest = lk_store_schema_version ();
  int version;

  if (!read_pragma_int (self, "PRAGMA user_version", &version, error))
    return FALSE;

  if (app_id == 0 && version == 0)
    {
      /* A new file, or an empty one: ours to initialise. But an existing
       * database of someone else's with tables is not. */
      int n_tables = 0;

      if (!read_pragma_int (self, "SELECT count(*) FROM sqlite_master", &n_tables, error))
        return FALSE;
      if (n_tables > 0)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_WRONG_KIND,
                       _("“%s” is an SQLite database of another program; Loket leaves it untouched"),
                       self->path);
          return FALSE;
        }
    }
  else if (app_id != expected_id)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_WRONG_KIND,
                   self->kind == LK_STORE_KIND_SERVER
                   ? _("“%s” is not a Loket server database; Loket leaves it untouched")
                   : _("“%s” is not a Loket local database; Loket leaves it untouched"),
                   self->path);
      return FALSE;
    }

  if (version > newest)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NEWER_SCHEMA,
                   _("“%s” was written by a newer version of Loket (schema %d; this version knows %d). "
                     "Update Loket to open it; the file was not changed."),
                   self->path, version, newest);
      return FALSE;
    }

  if (version == newest && app_id == expected_id)
    {
      self->schema_version = version;
      return TRUE;
    }

  /* A client store whose first pull was cut short lacks its secondary
   * indexes (lk_store_bulk_enter); they come back before a migration may
   * drop or redefine one. */
  if (self->kind == LK_STORE_KIND_CLIENT && version >= 1)
    {
      g_autofree char *bulk = lk_store_get_meta (self, LK_STORE_BULK_INDEXES_KEY);

      if (bulk != NULL)
        {
          if (!lk_store_begin (self, error))
            return FALSE;
          if (!lk_store_bulk_leave (self, error))
            {
              lk_store_rollback (self);
              return FALSE;
            }
          if (!lk_store_commit (self, error))
            return FALSE;
        }
    }

  if (!lk_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; i < lk_store_n_migrations; i++)
    {
      const LkMigration *m = &lk_store_migrations[i];

      if (m->version <= version)
        continue;
      if (m->only != NULL && *m->only != self->kind)
        continue;

      g_debug ("Migrating %s to schema %d", self->path, m->version);
      if (!lk_store_exec (self, m->sql, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                            expected_id, newest);

    /* Integers from this file, not outside input: PRAGMAs take no
     * parameters. */
    if (!lk_store_exec (self, sql, error) || !lk_store_exec (self, "COMMIT", error))
      {
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
        return FALSE;
      }
  }

  self->schema_version = newest;
  return TRUE;
}

int
lk_store_schema_version (void)
{
  int newest = 0;

  for (guint i = 0; i < lk_store_n_migrations; i++)
    newest = MAX (newest, lk_store_migrations[i].version);

  return newest;
}

LkStore *
lk_store_open (const char   *path,
               LkStoreKind   kind,
               GError      **error)
{
  g_autoptr(LkStore) self = NULL;
  int app_id = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LK_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->kind = kind;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Look before touching anything: a foreign, damaged or newer file must
   * stay exactly as it is. */
  if (!read_pragma_int (self, "PRAGMA application_id", &app_id, error))
    return NULL;

  if (!lk_store_exec (self, "PRAGMA foreign_keys = OFF", error))
    return NULL;

  if (!migrate (self, app_id, error))
    return NULL;

  /* A 32 MiB page cache: bulk writes (a first sync, the demo seed) touch
   * random pages of the UUID indexes, and the default 2 MiB cache made
   * SQLite re-read and re-write them constantly. */
  if (!lk_store_exec (self,
                      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                      "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;",
                      error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
lk_store_get_path (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return self->path;
}

LkStoreKind
lk_store_get_kind (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), LK_STORE_KIND_CLIENT);

  return self->kind;
}

int
lk_store_get_schema_version (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), 0);

  return self->schema_version;
}

/* The lock is held from begin to commit/rollback, so a transaction of one
 * thread never interleaves with statements of another. */
gboolean
lk_store_begin (LkStore  *self,
                GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);
  g_assert (!self->in_transaction);

  if (!lk_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }

  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
lk_store_commit (LkStore  *self,
                 GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  ok = lk_store_exec (self, "COMMIT", error);
  if (!ok)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

  self->in_transaction = FALSE;
  g_rec_mutex_unlock (&self->lock);
  return ok;
}

void
lk_store_rollback (LkStore *self)
{
  g_return_if_fail (LK_IS_STORE (self));
  g_return_if_fail (self->in_transaction);

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
  g_rec_mutex_unlock (&self->lock);
}

void
lk_store_lock (LkStore *self)
{
  g_rec_mutex_lock (&self->lock);
}

void
lk_store_unlock (LkStore *self)
{
  g_rec_mutex_unlock (&self->lock);
}

char *
lk_store_get_meta (LkStore    *self,
                   const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  lk_store_lock (self);
  stmt = lk_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  lk_store_unlock (self);

  return value;
}

gboolean
lk_store_set_meta (LkStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  lk_store_lock (self);
  stmt = lk_store_prepare (self,
                           "INSERT INTO meta (key, value) VALUES (?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        lk_store_set_sql_error (self, error, _("Saving a setting"));
      sqlite3_reset (stmt);
    }
  lk_store_unlock (self);

  return ok;
}

/* Bulk mode (lk-store-private.h) */

/* The tables the change feed writes. */
#define BULK_TABLES "'units', 'service_types', 'cases', 'documents', 'history', 'notes', 'checklist'"
/* Bounds of the saved list (read back from the store): the schema has 8. */
#define BULK_MAX_INDEXES 64
#define BULK_MAX_JSON    (64 * 1024)

gboolean
lk_store_bulk_enter (LkStore   *self,
                     gboolean  *out_bulk,
                     GError   **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  gboolean empty = FALSE;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (out_bulk != NULL, FALSE);

  *out_bulk = FALSE;
  saved = lk_store_get_meta (self, LK_STORE_BULK_INDEXES_KEY);
  if (saved != NULL)
    {
      *out_bulk = TRUE;
      return TRUE;
    }

  stmt = lk_store_prepare (self,
                           "SELECT NOT (EXISTS (SELECT 1 FROM meta WHERE key = 'sync.cursor')"
                           " OR EXISTS (SELECT 1 FROM units) OR EXISTS (SELECT 1 FROM service_types)"
                           " OR EXISTS (SELECT 1 FROM cases) OR EXISTS (SELECT 1 FROM documents)"
                           " OR EXISTS (SELECT 1 FROM history) OR EXISTS (SELECT 1 FROM notes)"
                           " OR EXISTS (SELECT 1 FROM checklist) OR EXISTS (SELECT 1 FROM outbox))",
                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self, error, _("Preparing the first sync"));
      return FALSE;
    }
  if (!empty)
    return TRUE;

  /* Plain indexes only: pragma_index_list says which are UNIQUE (and the
   * automatic ones of UNIQUE and PRIMARY KEY constraints have no SQL). */
  stmt = lk_store_prepare (self,
                           "SELECT m.name, m.sql FROM sqlite_master AS m"
                           " WHERE m.type = 'index' AND m.sql IS NOT NULL"
                           " AND m.tbl_name IN (" BULK_TABLES ")"
                           " AND NOT EXISTS (SELECT 1 FROM pragma_index_list (m.tbl_name) AS il"
                           "                 WHERE il.name = m.name AND il.\"unique\")"
                           " ORDER BY m.name",
                           error);
  if (stmt == NULL)
    return FALSE;
  builder = json_builder_new ();
  names = g_ptr_array_new_with_free_func (g_free);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "sql");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_end_object (builder);
      g_ptr_array_add (names, g_strdup (name));
    }
  sqlite3_reset (stmt);
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self, error, _("Preparing the first sync"));
      return FALSE;
    }

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);
  json_generator_set_indent (generator, 0);
  json = json_generator_to_data (generator, NULL);
  g_return_val_if_fail (names->len <= BULK_MAX_INDEXES && strlen (json) <= BULK_MAX_JSON, FALSE);

  if (!lk_store_set_meta (self, LK_STORE_BULK_INDEXES_KEY, json, error))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      /* An identifier cannot be bound; %w quotes it. */
      char *drop = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) names->pdata[i]);
      gboolean ok = lk_store_exec (self, drop, error);

      sqlite3_free (drop);
      if (!ok)
        return FALSE;
    }

  g_debug ("First pull into an empty store: %u indexes dropped until its end", names->len);
  *out_bulk = TRUE;
  return TRUE;
}

static gboolean
index_exists (LkStore     *self,
              const char  *name,
              gboolean    *out_exists,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self, error, _("Finishing the first sync"));
      return FALSE;
    }
  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
only_space (const char *s)
{
  while (s != NULL && g_ascii_isspace (*s))
    s++;
  return s == NULL || *s == '\0';
}

/* Runs sql if it is one CREATE INDEX statement. */
static gboolean
create_index (LkStore     *self,
              const char  *sql,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;
  int rc;

  if (!g_str_has_prefix (sql, "CREATE INDEX ") ||
      sqlite3_prepare_v2 (self->db, sql, -1, &stmt, &tail) != SQLITE_OK || stmt == NULL ||
      !only_space (tail))
    {
      sqlite3_finalize (stmt);
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_CORRUPT,
                   _("The store’s saved index list (%s) is damaged; "
                     "delete the account’s store to sync it again"), LK_STORE_BULK_INDEXES_KEY);
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self, error, _("Finishing the first sync"));
      return FALSE;
    }
  return TRUE;
}

gboolean
lk_store_bulk_leave (LkStore  *self,
                     GError  **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *saved = NULL;
  JsonNode *root;
  JsonArray *list = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  saved = lk_store_get_meta (self, LK_STORE_BULK_INDEXES_KEY);
  if (saved == NULL)
    return TRUE;

  parser = json_parser_new_immutable ();
  if (strlen (saved) <= BULK_MAX_JSON && json_parser_load_from_data (parser, saved, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    list = json_node_get_array (root);
  if (list == NULL || json_array_get_length (list) > BULK_MAX_INDEXES)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_CORRUPT,
                   _("The store’s saved index list (%s) is damaged; "
                     "delete the account’s store to sync it again"), LK_STORE_BULK_INDEXES_KEY);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *index = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = index != NULL ? json_object_get_string_member_with_default (index, "name", NULL) : NULL;
      const char *sql = index != NULL ? json_object_get_string_member_with_default (index, "sql", NULL) : NULL;
      gboolean exists = FALSE;

      if (name == NULL || sql == NULL)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_CORRUPT,
                       _("The store’s saved index list (%s) is damaged; "
                         "delete the account’s store to sync it again"), LK_STORE_BULK_INDEXES_KEY);
          return FALSE;
        }
      if (!index_exists (self, name, &exists, error))
        return FALSE;
      if (!exists && !create_index (self, sql, error))
        return FALSE;
    }

  stmt = lk_store_prepare (self, "DELETE FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, LK_STORE_BULK_INDEXES_KEY, -1, SQLITE_STATIC);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lk_store_set_sql_error (self, error, _("Finishing the first sync"));
  sqlite3_reset (stmt);

  g_debug ("First pull done: %u indexes created again", json_array_get_length (list));
  return ok;
}
