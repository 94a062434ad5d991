/* lk-outbox.c — (being written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sync/lk-outbox.h"

#include "store/lk-store-private.h"

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
