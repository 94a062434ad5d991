/* lk-case-view-actions.c — the review actions of the case view (case.*):
 * moves by state and role, checklist marks, the letter draft, and the
 * dialogs asking why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-case-view-private.h"
#include "lk-incomplete-dialog.h"
#include "lk-letter-row.h"

static void
transition_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_session_transition_finish (LK_SESSION (source), result, &error))
    {
      g_debug ("A transition failed: %s", error->message);
      _lk_case_view_set_action_error (self, error->message);
    }
  _lk_case_view_set_pending (self, FALSE);
}

static void
add_note_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_session_add_note_finish (LK_SESSION (source), result, &error))
    {
      g_debug ("A note failed: %s", error->message);
      _lk_case_view_set_action_error (self, error->message);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  _lk_case_view_set_pending (self, FALSE);
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_session_set_checklist_finish (LK_SESSION (source), result, &error))
    {
      g_debug ("A checklist mark failed: %s", error->message);
      _lk_case_view_set_action_error (self, error->message);
    }
  _lk_case_view_set_pending (self, FALSE);
}

static void
prepare_letter_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *document_id = NULL;

  g_autofree char *number = NULL;
  gboolean offline = FALSE;

  document_id = lk_session_prepare_letter_finish_full (LK_SESSION (source), result, &number, &offline, &error);
  if (document_id == NULL)
    {
      g_debug ("Preparing the letter failed: %s", error->message);
      _lk_case_view_set_action_error (self, error->message);
    }
  else if (offline)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the letter's number */
      message = g_strdup_printf (_("The server could not be reached: the letter got the number %s from the "
                                   "numbers this computer keeps for offline work. It is reported to the server "
                                   "at the next sync."), number);
      _lk_case_view_set_action_error (self, message);
    }
  if (document_id != NULL && !_lk_case_view_select_document (self, document_id))
    {
      /* Shown once the reload after the local change has it. */
      g_free (self->select_document_id);
      self->select_document_id = g_steal_pointer (&document_id);
      _lk_case_view_start_load (self, TRUE);
    }
  _lk_case_view_set_pending (self, FALSE);
}

static void
set_check (LkCaseView    *self,
           guint          item,
           LkCheckStatus  status,
           const char    *reason,
           const char    *document_id)
{
  if (self->kase == NULL || self->session == NULL)
    return;

  _lk_case_view_set_action_error (self, NULL);
  _lk_case_view_set_pending (self, TRUE);
  lk_session_set_checklist_async (self->session, lk_case_get_id (self->kase), item, status, reason,
                                  document_id, NULL, check_cb, g_object_ref (self));
}

static void
reason_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkCaseView       *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "move") != 0 || *reason == '\0')
    return;

  if (self->reason_kind == REASON_CHECK)
    set_check (self, self->reason_item, LK_CHECK_STATUS_REJECTED, reason, self->reason_document_id);
  else
    lk_case_view_transition (self, self->reason_to, reason);
}

static void
present_reason_dialog (LkCaseView       *self,
                       AdwMessageDialog *dialog)
{
  g_signal_connect_object (dialog, "response", G_CALLBACK (reason_response_cb), self, 0);
  self->reason_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->reason_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (adw_message_dialog_get_extra_child (dialog));
}

static GtkWindow *
parent_window (LkCaseView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
_lk_case_view_close_dialogs (LkCaseView *self)
{
  if (self->reason_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reason_dialog));
  if (self->incomplete_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->incomplete_dialog));
}

static void
show_reason_dialog (LkCaseView  *self,
                    LkCaseState  to)
{
  _lk_case_view_close_dialogs (self);
  self->reason_kind = REASON_TRANSITION;
  self->reason_to = to;
  present_reason_dialog (self, lk_case_actions_new_reason_dialog (parent_window (self), to));
}

static void
show_check_reason_dialog (LkCaseView *self,
                          guint       item,
                          const char *document_id)
{
  LkCheckItem *check = g_ptr_array_index (self->checklist, item);

  _lk_case_view_close_dialogs (self);
  self->reason_kind = REASON_CHECK;
  self->reason_item = item;
  g_free (self->reason_document_id);
  self->reason_document_id = g_strdup (document_id);
  present_reason_dialog (self, lk_case_actions_new_check_reason_dialog (parent_window (self), check->label));
}

static void
incomplete_response_cb (LkIncompleteDialog *dialog,
                        const char         *response,
                        LkCaseView         *self)
{
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "mark") != 0)
    return;

  reason = lk_incomplete_dialog_build_reason (dialog);
  if (reason != NULL)
    lk_case_view_transition (self, LK_CASE_STATE_INCOMPLETE, reason);
}

static void
show_incomplete_dialog (LkCaseView *self)
{
  guint n = self->checklist != NULL ? self->checklist->len : 0;
  g_autofree const char **labels = g_new0 (const char *, n + 1);
  g_autofree const char **rejected = g_new0 (const char *, n + 1);
  LkIncompleteDialog *dialog;

  _lk_case_view_close_dialogs (self);
  for (guint i = 0; i < n; i++)
    {
      LkCheckItem *check = g_ptr_array_index (self->checklist, i);

      labels[i] = check->label;
      if (check->status == LK_CHECK_STATUS_REJECTED)
        rejected[i] = check->reason != NULL ? check->reason : "";
    }

  dialog = lk_incomplete_dialog_new (parent_window (self), labels, rejected);
  /* A rejected item without a reason is still ticked. */
  for (guint i = 0; i < n; i++)
    if (rejected[i] != NULL)
      lk_incomplete_dialog_set_ticked (dialog, i, TRUE);

  g_signal_connect_object (dialog, "response", G_CALLBACK (incomplete_response_cb), self, 0);
  self->incomplete_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->incomplete_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_case_action (LkCaseView   *self,
                 LkCaseAction  action)
{
  if (self->kase == NULL || self->session == NULL || !self->offered[action])
    return;

  switch (action)
    {
    case LK_CASE_ACTION_MARK_INCOMPLETE:
      show_incomplete_dialog (self);
      break;
    case LK_CASE_ACTION_PREPARE_LETTER:
      _lk_case_view_set_action_error (self, NULL);
      _lk_case_view_set_pending (self, TRUE);
      lk_session_prepare_letter_async (self->session, lk_case_get_id (self->kase), NULL,
                                       prepare_letter_cb, g_object_ref (self));
      break;
    case LK_CASE_ACTION_START_VERIFICATION:
    case LK_CASE_ACTION_VERIFY:
    case LK_CASE_ACTION_SEND_TO_INSPECTION:
    case LK_CASE_ACTION_APPROVE:
    case LK_CASE_ACTION_REJECT:
    case LK_CASE_ACTION_FORWARD_TO_SIGNER:
    case LK_CASE_ACTION_RETURN_DRAFT:
      lk_case_view_request_transition (self, lk_case_action_get_target (action));
      break;
    case LK_N_CASE_ACTIONS:
    default:
      g_assert_not_reached ();
    }
}

static void
case_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkCaseView *self = LK_CASE_VIEW (widget);
  const char *name = action_name + strlen ("case.");

  for (guint i = 0; i < LK_N_CASE_ACTIONS; i++)
    if (g_str_equal (name, lk_case_action_get_name (i)))
      {
        run_case_action (self, i);
        return;
      }
  g_assert_not_reached ();
}

static void
primary_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LkCaseView *self = LK_CASE_VIEW (widget);
  LkCaseAction primary;

  if (self->kase == NULL || self->session == NULL)
    return;
  primary = lk_case_action_get_primary (lk_case_get_state (self->kase),
                                        lk_session_get_role (self->session), _lk_case_view_has_draft (self));
  if (primary != LK_N_CASE_ACTIONS)
    run_case_action (self, primary);
}

static void
check_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LkCaseView *self = LK_CASE_VIEW (widget);
  const char *status_name, *reason, *document_id;
  LkCheckStatus status;
  guint32 item;

  g_variant_get (parameter, "(u&s&s&s)", &item, &status_name, &reason, &document_id);
  status = lk_check_status_from_string (status_name);
  if (self->checklist == NULL || item >= self->checklist->len || status == LK_CHECK_STATUS_INVALID)
    {
      g_debug ("case.check: no requirement %u or status %s", item, status_name);
      return;
    }

  if (*document_id == '\0')
    document_id = NULL;

  if (status == LK_CHECK_STATUS_REJECTED && *reason == '\0')
    show_check_reason_dialog (self, item, document_id);
  else
    set_check (self, item, status, reason, document_id);
}

static void
show_document_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  _lk_case_view_select_document (LK_CASE_VIEW (widget), g_variant_get_string (parameter, NULL));
}

void
lk_case_view_request_transition (LkCaseView  *self,
                                 LkCaseState  to)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (self->kase == NULL)
    return;

  /* However it is asked for (a button, the "Move to" menu), marking a case
   * incomplete names the missing items and tells the citizen what to do. */
  if (to == LK_CASE_STATE_INCOMPLETE &&
      lk_case_transition_needs_reason (lk_case_get_state (self->kase), to))
    show_incomplete_dialog (self);
  else if (lk_case_transition_needs_reason (lk_case_get_state (self->kase), to))
    show_reason_dialog (self, to);
  else
    lk_case_view_transition (self, to, NULL);
}

void
lk_case_view_transition (LkCaseView  *self,
                         LkCaseState  to,
                         const char  *reason)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (self->kase == NULL || self->session == NULL)
    return;

  _lk_case_view_set_action_error (self, NULL);
  _lk_case_view_set_pending (self, TRUE);
  lk_session_transition_async (self->session, lk_case_get_id (self->kase), to, reason,
                               NULL, transition_cb, g_object_ref (self));
}

void
lk_case_view_add_note (LkCaseView *self,
                       const char *text)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));
  g_return_if_fail (text != NULL);

  if (self->kase == NULL || self->session == NULL)
    return;

  _lk_case_view_set_action_error (self, NULL);
  _lk_case_view_set_pending (self, TRUE);
  lk_session_add_note_async (self->session, lk_case_get_id (self->kase), text,
                             NULL, add_note_cb, g_object_ref (self));
}

AdwMessageDialog *
lk_case_view_get_reason_dialog (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->reason_dialog;
}

LkIncompleteDialog *
lk_case_view_get_incomplete_dialog (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->incomplete_dialog;
}

gboolean
lk_case_view_is_action_offered (LkCaseView *self,
                                const char *name)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_str_has_prefix (name, "case."))
    name += strlen ("case.");
  if (g_str_equal (name, "check"))
    return self->can_check;
  for (guint i = 0; i < LK_N_CASE_ACTIONS; i++)
    if (g_str_equal (name, lk_case_action_get_name (i)))
      return self->offered[i] && gtk_widget_get_visible (self->action_buttons[i]);
  return FALSE;
}

char *
lk_case_view_get_primary_action (LkCaseView *self)
{
  LkCaseAction primary;

  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);

  if (self->kase == NULL || self->session == NULL)
    return NULL;
  primary = lk_case_action_get_primary (lk_case_get_state (self->kase), lk_session_get_role (self->session),
                                        _lk_case_view_has_draft (self));
  if (primary == LK_N_CASE_ACTIONS)
    return NULL;
  return g_strconcat ("case.", lk_case_action_get_name (primary), NULL);
}

void
_lk_case_view_update_actions (LkCaseView *self)
{
  LkRole role = self->session != NULL ? lk_session_get_role (self->session) : LK_ROLE_INVALID;
  LkCaseState from = self->kase != NULL ? lk_case_get_state (self->kase) : LK_CASE_STATE_INVALID;
  gboolean draft = _lk_case_view_has_draft (self);
  gboolean idle = self->n_pending == 0;
  LkCaseAction primary = lk_case_action_get_primary (from, role, draft);
  guint n_moves = lk_case_actions_set_moves (self->move_menu, from, role);
  gboolean any_advance = FALSE;
  gboolean can_check;

  gtk_widget_set_sensitive (GTK_WIDGET (self->move_button), n_moves > 0 && idle);
  if (role == LK_ROLE_INVALID)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_button),
                                 _("Sign in once to learn which moves your role may make"));
  else if (n_moves == 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_button),
                                 _("Your role cannot move a case in this state"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_button),
                                 _("Move the case to another state (Ctrl+M)"));

  for (guint i = 0; i < LK_N_CASE_ACTIONS; i++)
    {
      g_autofree char *name = g_strconcat ("case.", lk_case_action_get_name (i), NULL);
      GtkWidget *button = self->action_buttons[i];
      gboolean offered = lk_case_action_is_offered (i, from, role, draft);

      self->offered[i] = offered;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), name, offered && idle);
      gtk_widget_set_visible (button, offered);
      if (offered && gtk_widget_get_parent (button) == GTK_WIDGET (self->advance_box))
        any_advance = TRUE;
      gtk_button_set_label (GTK_BUTTON (button), lk_case_action_get_label (i, from));
      if (i == primary)
        gtk_widget_add_css_class (button, "suggested-action");
      else
        gtk_widget_remove_css_class (button, "suggested-action");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->advance_box), any_advance);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.primary", primary != LK_N_CASE_ACTIONS && idle);

  can_check = lk_case_actions_can_check (from, role);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.check", can_check && idle);
  if (can_check != self->can_check)
    {
      self->can_check = can_check;
      lk_case_checklist_fill (self->checklist_list, self->checklist, G_LIST_MODEL (self->documents), can_check);
    }
}

GPtrArray *
lk_case_view_get_checklist (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->checklist;
}

const char *
lk_case_view_get_checklist_document (LkCaseView *self,
                                     guint       item)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return lk_case_checklist_get_chosen_document (self->checklist_list, item);
}

const char *
lk_case_view_get_sla_text (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->sla_text;
}

static void
resend_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_session_resend_letter_finish (LK_SESSION (source), result, &error))
    {
      g_debug ("Sending a letter again failed: %s", error->message);
      _lk_case_view_set_action_error (self, error->message);
    }
  _lk_case_view_set_pending (self, FALSE);
}

static void
resend_letter_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LkCaseView *self = LK_CASE_VIEW (widget);
  LkRole role = self->session != NULL ? lk_session_get_role (self->session) : LK_ROLE_INVALID;

  if (role != LK_ROLE_OFFICER && role != LK_ROLE_ADMIN)
    return;
  _lk_case_view_set_action_error (self, NULL);
  _lk_case_view_set_pending (self, TRUE);
  lk_session_resend_letter_async (self->session, g_variant_get_string (parameter, NULL), NULL, resend_cb,
                                  g_object_ref (self));
}

void
_lk_case_view_show_letters (LkCaseView    *self,
                            LkCaseLetters *letters)
{
  LkRole role = self->session != NULL ? lk_session_get_role (self->session) : LK_ROLE_INVALID;
  gboolean shown;

  if (letters != self->letters)
    {
      g_clear_pointer (&self->letters, lk_case_letters_free);
      self->letters = letters;
    }
  shown = lk_case_letters_fill (self->letters_list, self->letters, self->session,
                                self->session != NULL ? lk_session_get_public_url (self->session) : NULL,
                                role == LK_ROLE_OFFICER || role == LK_ROLE_ADMIN);
  gtk_widget_set_visible (GTK_WIDGET (self->letters_group), shown);
}

guint
lk_case_view_get_n_letter_rows (LkCaseView *self)
{
  guint n = 0;

  g_return_val_if_fail (LK_IS_CASE_VIEW (self), 0);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->letters_group)))
    return 0;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->letters_list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += LK_IS_LETTER_ROW (c) ? 1 : 0;
  return n;
}

LkLetterRow *
lk_case_view_get_letter_row (LkCaseView *self,
                             guint       index)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return LK_LETTER_ROW (gtk_list_box_get_row_at_index (self->letters_list, (int) index));
}

void
_lk_case_view_class_init_actions (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < LK_N_CASE_ACTIONS; i++)
    {
      g_autofree char *name = g_strconcat ("case.", lk_case_action_get_name (i), NULL);

      gtk_widget_class_install_action (widget_class, name, NULL, case_action_cb);
    }
  gtk_widget_class_install_action (widget_class, "case.primary", NULL, primary_action_cb);
  gtk_widget_class_install_action (widget_class, "case.check", "(usss)", check_action_cb);
  gtk_widget_class_install_action (widget_class, "case.show-document", "s", show_document_action_cb);
  gtk_widget_class_install_action (widget_class, "case.resend-letter", "s", resend_letter_action_cb);
}

void
_lk_case_view_init_actions (LkCaseView *self)
{
  GtkEventController *shortcuts;

  /* The labelled actions, hidden unless offered: the steps forward on the
   * first line, the moves back or out on the second, before "Move To…". */
  for (guint i = 0; i < LK_N_CASE_ACTIONS; i++)
    {
      g_autofree char *name = g_strconcat ("case.", lk_case_action_get_name (i), NULL);
      GtkWidget *button = gtk_button_new_with_mnemonic (lk_case_action_get_label (i, LK_CASE_STATE_INVALID));
      gboolean back = i == LK_CASE_ACTION_MARK_INCOMPLETE || i == LK_CASE_ACTION_REJECT ||
                      i == LK_CASE_ACTION_RETURN_DRAFT;

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), name);
      if (i == LK_CASE_ACTION_REJECT)
        gtk_widget_add_css_class (button, "destructive-action");
      gtk_widget_set_visible (button, FALSE);
      if (back)
        gtk_box_insert_child_after (self->back_box, button,
                                    gtk_widget_get_prev_sibling (GTK_WIDGET (self->move_button)));
      else
        gtk_box_append (self->advance_box, button);
      self->action_buttons[i] = button;
    }

  /* Ctrl+Return: the suggested action, from anywhere in the window. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("case.primary")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("case.primary")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
