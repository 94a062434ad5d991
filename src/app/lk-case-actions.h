/* lk-case-actions.h — the case actions of the case view: the "Move to…"
 * menu and the dialog asking the reason of a move
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-case-state.h"

G_BEGIN_DECLS

/* Replaces the items of menu with the moves role may make from the state
 * from (items with the action win.case-transition and the target state;
 * none when from is LK_CASE_STATE_INVALID). Returns how many. */
guint             lk_case_actions_set_moves         (GMenu       *menu,
                                                     LkCaseState  from,
                                                     LkRole       role);
/* A new dialog, not shown yet, asking why the case moves to to. Its extra
 * child is the reason's GtkEntry; its response "move" is enabled once the
 * reason is not blank, "cancel" keeps the case as it is. */
AdwMessageDialog *lk_case_actions_new_reason_dialog (GtkWindow   *parent,
                                                     LkCaseState  to);

G_END_DECLS
