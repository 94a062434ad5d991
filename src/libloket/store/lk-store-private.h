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

G_END_DECLS
