/* lk-session-private.h — what lk-session.c and lk-session-actions.c (the
 * local actions) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-session.h"

G_BEGIN_DECLS

/* Sets the "outbox-count" and "conflict-count" properties (notifying on a
 * change): the engine's counts, or newer ones read right after a local
 * action. */
void lk_session_set_counts        (LkSession  *self,
                                   gint64      outbox_count,
                                   gint64      conflict_count);
/* Emits ::local-change for case_id. */
void lk_session_emit_local_change (LkSession  *self,
                                   const char *case_id);
/* What follows a local action queued in a worker: the counts read right
 * after it, ::local-change for CASE_ID (NULL: none), and a sync that pushes
 * it. */
void lk_session_local_action_done (LkSession  *self,
                                   const char *case_id,
                                   gint64      outbox_count,
                                   gint64      conflict_count);

G_END_DECLS
