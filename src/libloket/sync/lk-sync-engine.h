/* lk-sync-engine.h — background sync for the desk: push the outbox, pull
 * the change feed, again and again, with backoff when the server is away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sync/lk-blob-cache.h"
#include "sync/lk-sync-client.h"

G_BEGIN_DECLS

typedef enum
{
  LK_SYNC_STATUS_IDLE,      /* in step with the server */
  LK_SYNC_STATUS_SYNCING,
  LK_SYNC_STATUS_OFFLINE,   /* the server cannot be reached; retrying with backoff */
  LK_SYNC_STATUS_ERROR,     /* see the message (session expired, server error…) */
} LkSyncStatus;

#define LK_TYPE_SYNC_STATUS (lk_sync_status_get_type ())
GType lk_sync_status_get_type (void) G_GNUC_CONST;

/* Intervals: a sync every LK_SYNC_INTERVAL seconds while things go well
 * (and at once after a local change); after failures, backoff from
 * LK_SYNC_BACKOFF_MIN doubling to LK_SYNC_BACKOFF_MAX seconds, ±20 %. */
#define LK_SYNC_INTERVAL      30
#define LK_SYNC_BACKOFF_MIN    1
#define LK_SYNC_BACKOFF_MAX   60

#define LK_TYPE_SYNC_ENGINE (lk_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (LkSyncEngine, lk_sync_engine, LK, SYNC_ENGINE, GObject)

/* The engine runs each sync in a worker thread with its own LkStore on
 * store_path, and reports on the main context it was created in.
 * Properties (notified there): "status" (LkSyncStatus), "message" (a
 * translated sentence or NULL), "outbox-count", "conflict-count" (gint64). */
LkSyncEngine *lk_sync_engine_new          (LkSyncClient  *client,
                                           const char    *store_path,
                                           LkBlobCache   *blob_cache);
LkSyncStatus  lk_sync_engine_get_status   (LkSyncEngine  *self);
const char   *lk_sync_engine_get_message  (LkSyncEngine  *self);
gint64        lk_sync_engine_get_outbox_count   (LkSyncEngine *self);
gint64        lk_sync_engine_get_conflict_count (LkSyncEngine *self);
/* Starts the periodic sync (the first one at once). */
void          lk_sync_engine_start        (LkSyncEngine  *self);
void          lk_sync_engine_stop         (LkSyncEngine  *self);
/* Syncs as soon as the running one (if any) ends; resets the backoff. Call
 * after queueing an operation. */
void          lk_sync_engine_sync_now     (LkSyncEngine  *self);
/* Re-reads the counts from the store (after a local change). */
void          lk_sync_engine_refresh_counts (LkSyncEngine *self);

/* Signals: "synced" (guint64 records pulled, guint applied operations) after
 * each successful round, so views can reload; "conflict" (the new conflict
 * count) when a push met conflicts or rejections. */

G_END_DECLS
