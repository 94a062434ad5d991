/* lk-number-register-void.c — the Void… dialog of the register of letter
 * numbers: an AdwMessageDialog with a required reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-number-register-private.h"

/* Characters of a void reason: 1024 of at most 4 bytes stay within the
 * server's 4096 bytes (LK_SESSION_MAX_VOID_REASON). */
#define MAX_REASON_CHARS 1024

static void
reason_changed_cb (AdwMessageDialog *dialog)
{
  g_autofree char *reason = lk_number_register_void_dialog_get_reason (dialog);

  adw_message_dialog_set_response_enabled (dialog, "void", reason != NULL);
}

static void
reason_activate_cb (AdwMessageDialog *dialog)
{
  g_autofree char *reason = lk_number_register_void_dialog_get_reason (dialog);

  if (reason != NULL)
    adw_message_dialog_response (dialog, "void");
}

/* Private API (lk-number-register-private.h) */

AdwMessageDialog *
lk_number_register_void_dialog_new (GtkWindow  *parent,
                                    const char *number)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *box, *label, *entry;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  /* Translators: %s is a letter number */
  body = g_strdup_printf (_("Number %s will be voided: no letter can use it any more. The register keeps "
                            "the reason below, so the gap is explained."), number);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Void the Number?"), body));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "void", _("_Void"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "void", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "void", FALSE);
  adw_message_dialog_set_default_response (dialog, "void");
  adw_message_dialog_set_close_response (dialog, "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new_with_mnemonic (_("Rea_son"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (entry), MAX_REASON_CHARS);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("e.g. the draft was thrown away"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for voiding"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Kept in the register of numbers"),
                                  -1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  adw_message_dialog_set_extra_child (dialog, box);

  g_object_set_data_full (G_OBJECT (dialog), "number", g_strdup (number), g_free);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (reason_activate_cb), dialog);
  gtk_widget_grab_focus (entry);
  return dialog;
}

char *
lk_number_register_void_dialog_get_reason (AdwMessageDialog *dialog)
{
  GtkEditable *entry;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);

  entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  if (entry == NULL)
    return NULL;
  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (*reason == '\0' || strlen (reason) > LK_SESSION_MAX_VOID_REASON)
    return NULL;
  return g_steal_pointer (&reason);
}

const char *
lk_number_register_void_dialog_get_number (AdwMessageDialog *dialog)
{
  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);
  return g_object_get_data (G_OBJECT (dialog), "number");
}
