/* lk-store-private.h — raw access for the server and the sync engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* Use these only on a store that one thread owns (the server's main loop,
 * the sync worker): they bypass the store's lock. */
sqlite3      *lk_store_get_handle    (LkStore     *self);
/* A cached prepared statement, reset and with bindings cleared. */
sqlite3_stmt *lk_store_prepare       (LkStore     *self,
                                      const char  *sql,
                                      GError     **error);
/* Sets error from the connection's last error, prefixed by what. */
void          lk_store_set_sql_error (LkStore     *self,
                                      GError     **error,
                                      const char  *what);
/* Plain SQL without parameters (DDL, pragmas). */
gboolean      lk_store_exec          (LkStore     *self,
                                      const char  *sql,
                                      GError     **error);
/* The store's recursive lock, for a series of statements that must not
 * interleave with another thread's (lk_store_begin takes it too). */
void          lk_store_lock          (LkStore     *self);
void          lk_store_unlock        (LkStore     *self);

/* Copies the WAL into the database file and empties it, unless a reader
 * is in the way (then SQLite's automatic checkpoints finish it later);
 * never waits. TRUE when the WAL was emptied. */
gboolean      lk_store_checkpoint    (LkStore     *self);

/* An SQL expression giving the JSON text of the record a change-feed row
 * names (the same members as lk_store_get_json), for a query over
 * `changes AS ch`: SQLite builds the JSON, which is much faster than a
 * lookup and a JsonObject per record. NULL when the record is gone. */
const char   *lk_store_change_record_sql (void);

/* lk_store_upsert_json for n_records records of one kind, in multi-row
 * statements (one FTS5 segment per statement, not per record); inside the
 * caller's transaction, which it must roll back when this fails. */
gboolean      lk_store_upsert_json_many (LkStore            *self,
                                         const char         *kind,
                                         JsonObject * const *records,
                                         guint               n_records,
                                         GError            **error);

/* Records as arrays of values in their kind's column order, for parsers
 * that do not build JsonObjects (the change feed's). */
#define LK_STORE_MAX_STRV_ITEMS 64  /* items in a string list */

typedef enum
{
  LK_STORE_VALUE_ABSENT = 0,  /* no such member */
  LK_STORE_VALUE_NULL,
  LK_STORE_VALUE_STRING,      /* str, len bytes, NUL-terminated, UTF-8 unchecked */
  LK_STORE_VALUE_INT,         /* i */
  LK_STORE_VALUE_BOOL,        /* i: 0 or 1 */
  LK_STORE_VALUE_ARRAY,       /* n_items; items (only when n_items <= LK_STORE_MAX_STRV_ITEMS) */
  LK_STORE_VALUE_OTHER,       /* a non-integer number or an object */
} LkStoreValueType;

typedef struct _LkStoreValue LkStoreValue;
struct _LkStoreValue
{
  LkStoreValueType  type;
  guint             n_items;
  gsize             len;
  union
  {
    const char         *str;
    gint64              i;
    const LkStoreValue *items;
  };
};

/* A record kind: its table and columns. Static, never freed. */
typedef struct _LkStoreTable LkStoreTable;

/* NULL when kind (len bytes, or NUL-terminated when len < 0) is unknown. */
const LkStoreTable *lk_store_table_find       (const char         *kind,
                                               gssize              len);
const char         *lk_store_table_get_kind   (const LkStoreTable *table);
guint               lk_store_table_get_n_columns (const LkStoreTable *table);
/* The index of column name (len bytes), or -1; hint: the likely index. */
int                 lk_store_table_find_column (const LkStoreTable *table,
                                                const char         *name,
                                                gsize               len,
                                                guint               hint);

/* The checks of lk_store_upsert_json on one record of table (row: its
 * n_columns values); LK_STORE_ERROR_INVALID. Needs no store. */
gboolean            lk_store_check_values     (const LkStoreTable  *table,
                                               const LkStoreValue  *row,
                                               GError             **error);

/* Checks n_rows records of table (rows[r]: n_columns values each) as
 * lk_store_check_values does, all of them before writing any, then
 * upserts them in id order in multi-row statements (of records with the
 * same id, the later one wins). Inside the caller's transaction, which it must roll back when
 * this fails after the checks (an SQL error). */
gboolean            lk_store_upsert_values_many (LkStore                    *self,
                                                 const LkStoreTable         *table,
                                                 const LkStoreValue * const *rows,
                                                 guint                       n_rows,
                                                 GError                    **error);

/* Bulk mode of a first pull. Into an empty store the change feed's
 * records arrive in key order of their own table but in random order for
 * the secondary indexes, which cost most of the writer's time when updated
 * row by row; built once at the end (a sort) they cost a fraction of it.
 * Only the plain secondary indexes of the synced tables are dropped: not
 * the UNIQUE ones (constraints) and not the search index's triggers, so
 * every query stays exact meanwhile, only slower. Their SQL is read from
 * sqlite_master (the schema is written once, in lk-store-schema.c) and
 * kept in meta LK_STORE_BULK_INDEXES_KEY until they are created again;
 * a store that has the key is in bulk mode, whatever happened since. */
#define LK_STORE_BULK_INDEXES_KEY "sync.bulk_indexes"

/* Inside the caller's transaction: enters bulk mode when the store has no
 * sync cursor, no record of a synced kind and an empty outbox. *out_bulk:
 * whether the store is in bulk mode now (also when it already was: the
 * indexes are not dropped twice). */
gboolean      lk_store_bulk_enter    (LkStore     *self,
                                      gboolean    *out_bulk,
                                      GError     **error);
/* Inside the caller's transaction: creates the saved indexes again (those
 * not there) and deletes the key. Nothing to do out of bulk mode. */
gboolean      lk_store_bulk_leave    (LkStore     *self,
                                      GError     **error);

G_END_DECLS
