/* lk-case-actions.c — the case actions of the case view: the "Move to…"
 * menu and the dialog asking the reason of a move
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
