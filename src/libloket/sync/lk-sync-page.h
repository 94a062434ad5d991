/* lk-sync-page.h — the change feed's page parser (internal)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

#define LK_SYNC_PAGE_MAX_DEPTH   16    /* nesting of a changes page */
#define LK_SYNC_PAGE_MAX_RECORDS 1000  /* records in a page: the feed's largest limit */
#define LK_SYNC_PAGE_MAX_CURSOR  256   /* bytes in a change-feed cursor */
#define LK_SYNC_PAGE_MAX_KIND    64    /* bytes in a record kind */

/* A changes page ({"changes": [{"kind", "record"}…], "next", "more"}),
 * parsed straight into per-record value arrays in each kind's column order
 * (docs/api-v1.md): a strict JSON parser (RFC 8259, UTF-8, no duplicate
 * members where they matter, no \u0000) with the bounds above. The
 * records' fields are checked by the store when they are written. */
typedef struct _LkSyncPage LkSyncPage;

/* LK_SYNC_ERROR_PROTOCOL for anything but a well-formed page of known
 * kinds. */
LkSyncPage  *lk_sync_page_parse         (GBytes       *body,
                                         GError      **error);
void         lk_sync_page_free          (LkSyncPage   *page);
guint        lk_sync_page_get_n_records (LkSyncPage   *page);
const char  *lk_sync_page_get_next      (LkSyncPage   *page);
gboolean     lk_sync_page_get_more      (LkSyncPage   *page);

/* Writes the records of pages (in feed order: of one kind and id, the
 * last one wins) and the last page's cursor into the store's open
 * transaction (lk_store_begin); records with operations still queued in
 * the outbox keep their local copy. An invalid record is
 * LK_SYNC_ERROR_PROTOCOL; on any failure the caller rolls back. */
gboolean     lk_sync_pages_write        (LkStore      *store,
                                         LkSyncPage  **pages,
                                         guint         n_pages,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSyncPage, lk_sync_page_free)

G_END_DECLS
