/* lk-history-row.h — the case's history as a timeline, and the SLA clock
 * as a sentence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-sla.h"
#include "model/lk-history-entry.h"

G_BEGIN_DECLS

/* One entry of the timeline: what moved (from → to), who and when, and why
 * (wrapped in full). LAST: the newest entry (drawn as the current one). */
GtkWidget *lk_history_row_new           (LkHistoryEntry *entry,
                                         gboolean        last);
/* "YYYY-MM-DD HH:MM" in local time, "—" when not a time. */
char      *lk_history_format_time       (gint64          unix_time);
/* When the case last entered `incomplete` (the newest such entry of
 * HISTORY, LkHistoryEntry oldest first), 0 when never. */
gint64     lk_history_paused_since      (GListModel     *history);
/* The clock as a person reads it ("Due 2026-12-01 — 3 working days left",
 * "Paused — waiting for the citizen since …"); OUT_STYLE (nullable) gets a
 * CSS class for it ("success", "warning", "error") or NULL. */
char      *lk_history_format_sla        (const LkSlaClock *clock,
                                         const char     **out_style);

G_END_DECLS
