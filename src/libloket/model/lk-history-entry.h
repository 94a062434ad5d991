/* lk-history-entry.h — one state transition of a case: from, to, who, when, why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "lk-case-state.h"

G_BEGIN_DECLS

#define LK_TYPE_HISTORY_ENTRY (lk_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (LkHistoryEntry, lk_history_entry, LK, HISTORY_ENTRY, GObject)

const char  *lk_history_entry_get_id         (LkHistoryEntry *self);
const char  *lk_history_entry_get_case_id    (LkHistoryEntry *self);
/* LK_CASE_STATE_INVALID for the first entry (the case was created). */
LkCaseState  lk_history_entry_get_from_state (LkHistoryEntry *self);
LkCaseState  lk_history_entry_get_to_state   (LkHistoryEntry *self);
/* Display name of who made the transition. */
const char  *lk_history_entry_get_actor      (LkHistoryEntry *self);
gint64       lk_history_entry_get_at         (LkHistoryEntry *self);
const char  *lk_history_entry_get_reason     (LkHistoryEntry *self);

G_END_DECLS
