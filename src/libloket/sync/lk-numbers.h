/* lk-numbers.h — letter numbers on a desk: from the server when online,
 * from a block the server granted in advance when not, reported back on
 * reconnect (docs/api-v1.md, "Numbering")
 *
 * Numbers are per format (the service type's number_format), unit and
 * year, allocated by the server atomically; a number is never issued
 * twice. A desk keeps LK_NUMBERS_BLOCK_SIZE numbers per (format, unit,
 * year) it has drafted for, in its store's number_blocks table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/lk-store.h"
#include "sync/lk-sync-client.h"

G_BEGIN_DECLS

#define LK_NUMBERS_BLOCK_SIZE 20   /* numbers a block grants */
#define LK_NUMBERS_MAX_BLOCK  100  /* the most a block request may ask */

/* The number for CASE_ID's letter, with the letter's id.
 *
 * With CLIENT signed in: POST /numbers (the server returns the case's
 * number if it already has one that no signed letter used). Without a
 * client, or when the server cannot be reached (LK_SYNC_ERROR_OFFLINE):
 * the lowest free number of a local block for the case's format, unit and
 * year, marked taken; LK_SYNC_ERROR_OFFLINE with "no offline numbers left"
 * when there is none. Blocking: call from a worker. *out_offline says
 * which way it came. */
char     *lk_numbers_obtain     (LkSyncClient  *client,
                                 LkStore       *store,
                                 const char    *case_id,
                                 gboolean      *out_offline,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* On reconnect (the sync engine calls it after a push): reports the
 * numbers taken offline (POST /numbers/claim: case and letter of each),
 * then asks a block for each (format, unit, year) of the user's units
 * and service types that has fewer than half a block free. Blocking. */
gboolean  lk_numbers_reconcile  (LkSyncClient  *client,
                                 LkStore       *store,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Free numbers left for the format, unit and year. */
guint     lk_numbers_count_free (LkStore       *store,
                                 const char    *format,
                                 const char    *unit,
                                 int            year);
/* The number NUMBER_FORMAT gives (placeholders {seq:0N} or {seq}, {unit}
 * — the unit's code — and {year}); NULL when the format has none of {seq}. */
char     *lk_numbers_format     (const char    *number_format,
                                 const char    *unit_code,
                                 int            year,
                                 gint64         seq);

G_END_DECLS
