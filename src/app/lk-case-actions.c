/* lk-case-actions.c — the case actions of the case view: the "Move to…"
 * menu, the labelled action buttons and when each is offered, and the
 * dialog asking the reason of a move
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-case-actions.h"
#include "sync/lk-outbox.h"

/* GtkEntry lengths are characters; the outbox checks the bytes. */
#define REASON_MAX_CHARS (LK_OUTBOX_MAX_REASON / 4)

/* The moves offered, in menu order; the label depends on where the case is. */
static const struct {
  LkCaseState to;
  LkCaseState from;   /* LK_CASE_STATE_INVALID: any */
  const char *label;
} moves[] = {
  { LK_CASE_STATE_VERIFYING, LK_CASE_STATE_INCOMPLETE, N_("Resume Verification") },
  { LK_CASE_STATE_VERIFYING, LK_CASE_STATE_INVALID, N_("Start Verification") },
  { LK_CASE_STATE_INCOMPLETE, LK_CASE_STATE_INVALID, N_("Mark Incomplete…") },
  { LK_CASE_STATE_VERIFIED, LK_CASE_STATE_AWAITING_SIGNATURE, N_("Return Draft…") },
  { LK_CASE_STATE_VERIFIED, LK_CASE_STATE_INVALID, N_("Mark Verified") },
  { LK_CASE_STATE_INSPECTION, LK_CASE_STATE_INVALID, N_("Send to Inspection") },
  { LK_CASE_STATE_APPROVED, LK_CASE_STATE_INVALID, N_("Approve") },
  { LK_CASE_STATE_REJECTED, LK_CASE_STATE_INVALID, N_("Reject…") },
  { LK_CASE_STATE_AWAITING_SIGNATURE, LK_CASE_STATE_INVALID, N_("Forward to Signer") },
  { LK_CASE_STATE_CANCELLED, LK_CASE_STATE_INVALID, N_("Cancel Case…") },
};

/* The labelled actions; mnemonics are unique among those shown together
 * and the view's own controls (_Move To…, _Add Note). */
static const struct {
  const char  *name;
  LkCaseState  to;
  const char  *label;
} actions[LK_N_CASE_ACTIONS] = {
  [LK_CASE_ACTION_START_VERIFICATION] = { "start-verification", LK_CASE_STATE_VERIFYING, N_("Start _Verification") },
  [LK_CASE_ACTION_MARK_INCOMPLETE] = { "mark-incomplete", LK_CASE_STATE_INCOMPLETE, N_("Mark _Incomplete…") },
  [LK_CASE_ACTION_VERIFY] = { "verify", LK_CASE_STATE_VERIFIED, N_("Mark _Verified") },
  [LK_CASE_ACTION_SEND_TO_INSPECTION] = { "send-to-inspection", LK_CASE_STATE_INSPECTION, N_("Send to Ins_pection") },
  [LK_CASE_ACTION_APPROVE] = { "approve", LK_CASE_STATE_APPROVED, N_("Appr_ove") },
  [LK_CASE_ACTION_REJECT] = { "reject", LK_CASE_STATE_REJECTED, N_("_Reject…") },
  [LK_CASE_ACTION_PREPARE_LETTER] = { "prepare-letter", LK_CASE_STATE_INVALID, N_("Prepare _Letter") },
  [LK_CASE_ACTION_FORWARD_TO_SIGNER] = { "forward-to-signer", LK_CASE_STATE_AWAITING_SIGNATURE, N_("_Forward to Signer") },
  [LK_CASE_ACTION_RETURN_DRAFT] = { "return-draft", LK_CASE_STATE_VERIFIED, N_("Re_turn Draft…") },
};

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "move", *text != '\0');
}

guint
lk_case_actions_set_moves (GMenu       *menu,
                           LkCaseState  from,
                           LkRole       role)
{
  gboolean seen[LK_N_CASE_STATES] = { FALSE, };
  guint n_moves = 0;

  g_return_val_if_fail (G_IS_MENU (menu), 0);

  g_menu_remove_all (menu);

  for (guint i = 0; i < G_N_ELEMENTS (moves) && from != LK_CASE_STATE_INVALID; i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      /* Signing has its own place (with the token), not this menu. */
      if (moves[i].to == LK_CASE_STATE_SIGNED || seen[moves[i].to])
        continue;
      if (moves[i].from != LK_CASE_STATE_INVALID && moves[i].from != from)
        continue;
      if (!lk_case_transition_allowed (from, moves[i].to, role))
        continue;

      seen[moves[i].to] = TRUE;
      item = g_menu_item_new (_(moves[i].label), NULL);
      g_menu_item_set_action_and_target (item, "win.case-transition", "s",
                                         lk_case_state_to_string (moves[i].to));
      g_menu_append_item (menu, item);
      n_moves++;
    }

  return n_moves;
}

AdwMessageDialog *
lk_case_actions_new_reason_dialog (GtkWindow   *parent,
                                   LkCaseState  to)
{
  const char *heading, *body, *verb;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  gboolean destructive = FALSE;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  switch (to)
    {
    case LK_CASE_STATE_INCOMPLETE:
      heading = _("Mark the Case Incomplete?");
      body = _("Say what the applicant must correct or add. The SLA clock pauses until the corrected documents arrive.");
      verb = _("_Mark Incomplete");
      break;
    case LK_CASE_STATE_REJECTED:
      heading = _("Reject the Request?");
      body = _("Give the grounds for the rejection; they go into the case history and the decision.");
      verb = _("_Reject");
      destructive = TRUE;
      break;
    case LK_CASE_STATE_VERIFIED:
      heading = _("Return the Draft?");
      body = _("Say what must change before you can sign it; the draft goes back to the officers.");
      verb = _("_Return Draft");
      break;
    case LK_CASE_STATE_CANCELLED:
      heading = _("Cancel the Case?");
      body = _("A cancelled case cannot be reopened. Say why it is cancelled.");
      verb = _("Cancel _Case");
      destructive = TRUE;
      break;
    default:
      heading = _("Move the Case?");
      body = _("Say why the case moves.");
      verb = _("_Move");
      break;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep As Is"), "move", verb, NULL);
  adw_message_dialog_set_response_appearance (dialog, "move",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "move", FALSE);
  adw_message_dialog_set_default_response (dialog, "move");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (entry), REASON_MAX_CHARS);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  g_signal_connect_object (entry, "changed", G_CALLBACK (reason_changed_cb), dialog, 0);
  adw_message_dialog_set_extra_child (dialog, entry);

  return dialog;
}

const char *
lk_case_action_get_name (LkCaseAction action)
{
  g_return_val_if_fail (action < LK_N_CASE_ACTIONS, NULL);
  return actions[action].name;
}

const char *
lk_case_action_get_label (LkCaseAction action,
                          LkCaseState  from)
{
  g_return_val_if_fail (action < LK_N_CASE_ACTIONS, NULL);

  if (action == LK_CASE_ACTION_START_VERIFICATION && from == LK_CASE_STATE_INCOMPLETE)
    return _("Resume _Verification");
  return _(actions[action].label);
}

LkCaseState
lk_case_action_get_target (LkCaseAction action)
{
  g_return_val_if_fail (action < LK_N_CASE_ACTIONS, LK_CASE_STATE_INVALID);
  return actions[action].to;
}

gboolean
lk_case_action_is_offered (LkCaseAction action,
                           LkCaseState  from,
                           LkRole       role,
                           gboolean     has_draft)
{
  g_return_val_if_fail (action < LK_N_CASE_ACTIONS, FALSE);

  if (from == LK_CASE_STATE_INVALID || role == LK_ROLE_INVALID)
    return FALSE;

  switch (action)
    {
    case LK_CASE_ACTION_VERIFY:
      /* From awaiting_signature that move is the signer's "return draft". */
      return from != LK_CASE_STATE_AWAITING_SIGNATURE &&
             lk_case_transition_allowed (from, LK_CASE_STATE_VERIFIED, role);
    case LK_CASE_ACTION_RETURN_DRAFT:
      return from == LK_CASE_STATE_AWAITING_SIGNATURE &&
             lk_case_transition_allowed (from, LK_CASE_STATE_VERIFIED, role);
    case LK_CASE_ACTION_PREPARE_LETTER:
      /* The decision is taken; the officer drafts the letter. */
      return role == LK_ROLE_OFFICER &&
             (from == LK_CASE_STATE_APPROVED || from == LK_CASE_STATE_REJECTED);
    case LK_CASE_ACTION_FORWARD_TO_SIGNER:
      return has_draft && lk_case_transition_allowed (from, LK_CASE_STATE_AWAITING_SIGNATURE, role);
    case LK_CASE_ACTION_START_VERIFICATION:
    case LK_CASE_ACTION_MARK_INCOMPLETE:
    case LK_CASE_ACTION_SEND_TO_INSPECTION:
    case LK_CASE_ACTION_APPROVE:
    case LK_CASE_ACTION_REJECT:
      return lk_case_transition_allowed (from, actions[action].to, role);
    case LK_N_CASE_ACTIONS:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

LkCaseAction
lk_case_action_get_primary (LkCaseState from,
                            LkRole      role,
                            gboolean    has_draft)
{
  static const LkCaseAction order[] = {
    LK_CASE_ACTION_START_VERIFICATION,
    LK_CASE_ACTION_VERIFY,
    LK_CASE_ACTION_APPROVE,
    LK_CASE_ACTION_FORWARD_TO_SIGNER,
    LK_CASE_ACTION_PREPARE_LETTER,
  };

  /* With a draft, forwarding it comes before drafting it again. */
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (order[i] == LK_CASE_ACTION_PREPARE_LETTER && has_draft)
        continue;
      if (lk_case_action_is_offered (order[i], from, role, has_draft))
        return order[i];
    }
  return LK_N_CASE_ACTIONS;
}

gboolean
lk_case_actions_can_check (LkCaseState from,
                           LkRole      role)
{
  return role == LK_ROLE_OFFICER &&
         (from == LK_CASE_STATE_SUBMITTED || from == LK_CASE_STATE_VERIFYING ||
          from == LK_CASE_STATE_INCOMPLETE || from == LK_CASE_STATE_VERIFIED ||
          from == LK_CASE_STATE_INSPECTION);
}

AdwMessageDialog *
lk_case_actions_new_check_reason_dialog (GtkWindow  *parent,
                                         const char *label)
{
  AdwMessageDialog *dialog = lk_case_actions_new_reason_dialog (parent, LK_CASE_STATE_INVALID);
  g_autofree char *body = NULL;

  /* Translators: %s is a requirement, e.g. "Fotokopi KTP" */
  body = g_strdup_printf (_("Say what is wrong with “%s”. The reason is kept with the checklist and offered when you mark the case incomplete."),
                          label);
  adw_message_dialog_set_heading (dialog, _("Reject the Requirement?"));
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_set_response_label (dialog, "move", _("_Reject Requirement"));
  adw_message_dialog_set_response_appearance (dialog, "move", ADW_RESPONSE_DESTRUCTIVE);
  return dialog;
}
