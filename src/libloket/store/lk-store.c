/* lk-store.c — connection, migrations, transactions, statement cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-store"

#include "config.h"

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
