/* lk-case-actions.h — the case actions of the case view: the "Move to…"
 * menu, the labelled action buttons (case.*) and when each is offered, and
 * the dialog asking the reason of a move
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

/* The labelled actions of the case view, installed on it as "case.NAME"
 * (e.g. "case.verify"). */
typedef enum
{
  LK_CASE_ACTION_START_VERIFICATION,  /* submitted|incomplete → verifying */
  LK_CASE_ACTION_MARK_INCOMPLETE,     /* → incomplete, with the missing items */
  LK_CASE_ACTION_VERIFY,              /* → verified */
  LK_CASE_ACTION_SEND_TO_INSPECTION,  /* → inspection */
  LK_CASE_ACTION_APPROVE,             /* → approved */
  LK_CASE_ACTION_REJECT,              /* → rejected (reason) */
  LK_CASE_ACTION_PREPARE_LETTER,      /* the letter draft, as a new document */
  LK_CASE_ACTION_FORWARD_TO_SIGNER,   /* approved|rejected → awaiting_signature */
  LK_CASE_ACTION_RETURN_DRAFT,        /* signer: awaiting_signature → verified (reason) */
  LK_N_CASE_ACTIONS
} LkCaseAction;

/* "start-verification", … (without the "case." prefix). */
const char       *lk_case_action_get_name           (LkCaseAction action);
/* The button label with its mnemonic, translated; depends on the state for
 * start-verification ("Resume Verification" from incomplete). */
const char       *lk_case_action_get_label          (LkCaseAction action,
                                                     LkCaseState  from);
/* The target state of a transition action, else LK_CASE_STATE_INVALID. */
LkCaseState       lk_case_action_get_target         (LkCaseAction action);
/* Whether ROLE is offered ACTION for a case in state FROM; HAS_DRAFT: the
 * case has a letter draft document. */
gboolean          lk_case_action_is_offered         (LkCaseAction action,
                                                     LkCaseState  from,
                                                     LkRole       role,
                                                     gboolean     has_draft);
/* The action to suggest (the usual next step), or LK_N_CASE_ACTIONS. */
LkCaseAction      lk_case_action_get_primary        (LkCaseState  from,
                                                     LkRole       role,
                                                     gboolean     has_draft);
/* Whether ROLE may mark the requirements of a case in state FROM (the
 * server takes checklist marks from officers). */
gboolean          lk_case_actions_can_check         (LkCaseState  from,
                                                     LkRole       role);
/* A new dialog asking why requirement LABEL is rejected, like the one
 * above (extra child: the reason's GtkEntry; responses "cancel", "move"). */
AdwMessageDialog *lk_case_actions_new_check_reason_dialog (GtkWindow  *parent,
                                                           const char *label);

G_END_DECLS
