/* lk-sign-in-dialog.c — asks for the server address, user name and password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-sign-in-dialog.h"
#include "lk-app-setup.h"

struct _LkSignInDialog
{
  AdwWindow    parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  GtkLabel    *error_label;
  GtkButton   *sign_in_button;
  GtkSpinner  *spinner;
  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (LkSignInDialog, lk_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sign_in_cb (LkSignInDialog *self)
{
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  const char *password;

  if (self->busy)
    return;

  server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (*server == '\0' || *user == '\0' || *password == '\0')
    {
      lk_sign_in_dialog_set_error (self, _("Enter the server address, your user name and your password."));
      return;
    }

  lk_sign_in_dialog_set_error (self, NULL);
  lk_sign_in_dialog_set_busy (self, TRUE);
  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0, server, user, password);
}

static void
lk_sign_in_dialog_class_init (LkSignInDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkSignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, LkSignInDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, LkSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, LkSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, LkSignInDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_sign_in_dialog_init (LkSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkSignInDialog *
lk_sign_in_dialog_new (void)
{
  return g_object_new (LK_TYPE_SIGN_IN_DIALOG, NULL);
}

void
lk_sign_in_dialog_set_server (LkSignInDialog *self,
                              const char     *server_url)
{
  g_return_if_fail (LK_IS_SIGN_IN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url != NULL ? server_url : "");
}

void
lk_sign_in_dialog_set_username (LkSignInDialog *self,
                                const char     *username)
{
  g_return_if_fail (LK_IS_SIGN_IN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), username != NULL ? username : "");
}

void
lk_sign_in_dialog_set_error (LkSignInDialog *self,
                             const char     *message)
{
  g_return_if_fail (LK_IS_SIGN_IN_DIALOG (self));

  lk_sign_in_dialog_set_busy (self, FALSE);
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  if (message != NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
}

const char *
lk_sign_in_dialog_get_error (LkSignInDialog *self)
{
  g_return_val_if_fail (LK_IS_SIGN_IN_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

void
lk_sign_in_dialog_set_busy (LkSignInDialog *self,
                            gboolean        busy)
{
  g_return_if_fail (LK_IS_SIGN_IN_DIALOG (self));

  /* A focused text entry that turns insensitive makes GTK 4.8 complain
   * about a lost focus-out event: let go of the focus first. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);

  self->busy = !!busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

gboolean
lk_sign_in_dialog_get_busy (LkSignInDialog *self)
{
  g_return_val_if_fail (LK_IS_SIGN_IN_DIALOG (self), FALSE);
  return self->busy;
}

void
lk_sign_in_dialog_submit (LkSignInDialog *self,
                          const char     *server_url,
                          const char     *username,
                          const char     *password)
{
  g_return_if_fail (LK_IS_SIGN_IN_DIALOG (self));

  lk_sign_in_dialog_set_server (self, server_url);
  lk_sign_in_dialog_set_username (self, username);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
  sign_in_cb (self);
}
