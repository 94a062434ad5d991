/* lk-pin-dialog.c — asks the PIN of a signing token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-pin-dialog.h"

struct _LkPinDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *state_label;
  GtkWidget        *pin_entry;
  GtkWidget        *pin_pad_label;

  LkPinDialogMode   mode;
  char             *state_text;
};

G_DEFINE_FINAL_TYPE (LkPinDialog, lk_pin_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
pin_changed_cb (LkPinDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));

  if (self->mode == LK_PIN_DIALOG_ENTRY)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "sign",
                                             text != NULL && *text != '\0');
}

static void
pin_activate_cb (LkPinDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));

  if (self->mode == LK_PIN_DIALOG_ENTRY && text != NULL && *text != '\0')
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "sign");
}

static void
lk_pin_dialog_dispose (GObject *object)
{
  LkPinDialog *self = LK_PIN_DIALOG (object);

  /* The template's widgets are all inside the dialog's extra child, which
   * AdwMessageDialog tears down with the window. (gtk_widget_dispose_template
   * would dispose the GtkPasswordEntry while still realized, and GTK 4.8's
   * entry then stays connected to the keyboard's caps-lock notify.) */
  if (self->pin_entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  self->state_label = NULL;
  self->pin_entry = NULL;
  self->pin_pad_label = NULL;
  G_OBJECT_CLASS (lk_pin_dialog_parent_class)->dispose (object);
}

static void
lk_pin_dialog_finalize (GObject *object)
{
  LkPinDialog *self = LK_PIN_DIALOG (object);

  g_free (self->state_text);
  G_OBJECT_CLASS (lk_pin_dialog_parent_class)->finalize (object);
}

static void
lk_pin_dialog_class_init (LkPinDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_pin_dialog_dispose;
  object_class->finalize = lk_pin_dialog_finalize;

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-pin-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPinDialog, state_label);
  gtk_widget_class_bind_template_child (widget_class, LkPinDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, LkPinDialog, pin_pad_label);
  gtk_widget_class_bind_template_callback (widget_class, pin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_activate_cb);
}

static void
lk_pin_dialog_init (LkPinDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

char *
lk_pin_dialog_describe_state (LkTokenFlags    token_flags,
                              LkTokenPinFlags pin_flags)
{
  GString *text = g_string_new (NULL);

  if (token_flags & LK_TOKEN_FLAG_PIN_LOCKED)
    return g_strdup (_("The token’s PIN is locked after too many wrong PINs. It cannot sign until "
                       "it is unblocked with the security officer PIN: ask your administrator."));

  if (pin_flags & LK_TOKEN_PIN_WRONG)
    g_string_append (text, _("The token rejected the PIN."));

  if ((pin_flags & LK_TOKEN_PIN_FINAL_TRY) || (token_flags & LK_TOKEN_FLAG_PIN_FINAL_TRY))
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, _("This is the last try: one more wrong PIN locks the token."));
    }
  else if ((pin_flags & LK_TOKEN_PIN_COUNT_LOW) || (token_flags & LK_TOKEN_FLAG_PIN_COUNT_LOW))
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, _("Only a few tries are left before the token locks."));
    }
  else if (pin_flags & LK_TOKEN_PIN_WRONG)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("The token does not tell how many tries are left: type the PIN "
                               "carefully, a token locks after a few wrong PINs."));
    }

  return g_string_free (text, FALSE);
}

LkPinDialog *
lk_pin_dialog_new (GtkWindow       *parent,
                   LkPinDialogMode  mode,
                   const char      *token_label,
                   LkTokenFlags     token_flags,
                   LkTokenPinFlags  pin_flags,
                   guint            n_letters)
{
  LkPinDialog *self;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (token_label != NULL, NULL);

  self = g_object_new (LK_TYPE_PIN_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  dialog = ADW_MESSAGE_DIALOG (self);
  self->mode = mode;

  switch (mode)
    {
    case LK_PIN_DIALOG_ENTRY:
      adw_message_dialog_set_heading (dialog, _("Enter the Token PIN"));
      if (pin_flags & LK_TOKEN_PIN_CONTEXT_SPECIFIC)
        body = g_strdup_printf (_("The key on the token “%s” asks for its PIN for this signature."),
                                token_label);
      else if (n_letters > 0)
        body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The token “%s” asks for its PIN to sign %u letter.",
                                             "The token “%s” asks for its PIN to sign %u letters.",
                                             n_letters),
                                token_label, n_letters);
      else
        body = g_strdup_printf (_("The token “%s” asks for its PIN."), token_label);
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "sign", _("_Sign"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "sign", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_enabled (dialog, "sign", FALSE);
      adw_message_dialog_set_default_response (dialog, "sign");
      adw_message_dialog_set_close_response (dialog, "cancel");
      break;

    case LK_PIN_DIALOG_PIN_PAD:
      adw_message_dialog_set_heading (dialog, _("Type the PIN on the Reader"));
      body = g_strdup_printf (_("The token “%s” is in a reader with its own keypad. Type the PIN "
                                "there; it never passes through this computer."), token_label);
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), NULL);
      adw_message_dialog_set_close_response (dialog, "cancel");
      break;

    case LK_PIN_DIALOG_LOCKED:
    default:
      adw_message_dialog_set_heading (dialog, _("The Token Is Locked"));
      body = g_strdup_printf (_("The token “%s” cannot sign."), token_label);
      adw_message_dialog_add_responses (dialog, "close", _("_Close"), NULL);
      adw_message_dialog_set_close_response (dialog, "close");
      token_flags |= LK_TOKEN_FLAG_PIN_LOCKED;
      break;
    }
  adw_message_dialog_set_body (dialog, body);

  self->state_text = lk_pin_dialog_describe_state (token_flags, pin_flags);
  gtk_label_set_text (GTK_LABEL (self->state_label), self->state_text);
  gtk_widget_set_visible (self->state_label, *self->state_text != '\0');
  gtk_widget_set_visible (self->pin_entry, mode == LK_PIN_DIALOG_ENTRY);
  gtk_widget_set_visible (self->pin_pad_label, mode == LK_PIN_DIALOG_PIN_PAD);
  if (mode == LK_PIN_DIALOG_ENTRY)
    gtk_widget_grab_focus (self->pin_entry);

  return self;
}

LkPinDialogMode
lk_pin_dialog_get_mode (LkPinDialog *self)
{
  g_return_val_if_fail (LK_IS_PIN_DIALOG (self), LK_PIN_DIALOG_ENTRY);
  return self->mode;
}

GtkWidget *
lk_pin_dialog_get_entry (LkPinDialog *self)
{
  g_return_val_if_fail (LK_IS_PIN_DIALOG (self), NULL);
  return self->pin_entry;
}

const char *
lk_pin_dialog_get_state_text (LkPinDialog *self)
{
  g_return_val_if_fail (LK_IS_PIN_DIALOG (self), NULL);
  return self->state_text;
}

char *
lk_pin_dialog_take_pin (LkPinDialog *self)
{
  const char *text;
  char *pin = NULL;

  g_return_val_if_fail (LK_IS_PIN_DIALOG (self), NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->pin_entry));
  if (text != NULL && *text != '\0')
    pin = g_strdup (text);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  return pin;
}
