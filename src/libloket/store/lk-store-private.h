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

G_END_DECLS
