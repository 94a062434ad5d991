/* lk-application-account.c — the application's preferences window and
 * signing out of the account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-application-private.h"

static void
forget_password_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_message ("Cannot remove the password from the keyring: %s", error->message);
}

static gboolean
sign_out_idle_cb (gpointer user_data)
{
  lk_application_sign_out (LK_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
sign_out_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      LkApplication    *self)
{
  /* After the dialog closed itself: signing out destroys its parent. */
  if (g_strcmp0 (response, "sign-out") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, sign_out_idle_cb, g_object_ref (self), g_object_unref);
}

LkPreferencesWindow *
lk_application_show_preferences (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  if (self->preferences == NULL)
    {
      GtkWindow *parent = self->window != NULL ? GTK_WINDOW (self->window)
                                               : gtk_application_get_active_window (GTK_APPLICATION (self));
      LkPreferencesWindow *preferences =
        lk_preferences_window_new (parent, self->window != NULL ? lk_window_get_session (self->window) : NULL);

      gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
      lk_application_set_weak (&self->preferences, preferences);
    }

  gtk_window_present (GTK_WINDOW (self->preferences));
  return self->preferences;
}

LkPreferencesWindow *
lk_application_get_preferences (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  return self->preferences;
}

AdwMessageDialog *
lk_application_confirm_sign_out (LkApplication *self)
{
  LkSession *session;
  g_autofree char *body = NULL;
  g_autofree char *kept = NULL;
  AdwMessageDialog *dialog;
  GtkWindow *parent;
  gint64 outbox;

  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (self->window != NULL, NULL);

  if (self->sign_out_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->sign_out_dialog));
      return self->sign_out_dialog;
    }

  session = lk_window_get_session (self->window);
  outbox = lk_session_get_outbox_count (session);
  kept = g_strdup_printf (_("Changes not sent yet are kept on this computer and sent the next time %s signs in "
                            "here to %s. Loket forgets the password and closes the window."),
                          lk_session_get_username (session), lk_session_get_server_url (session));
  if (outbox > 0)
    {
      g_autofree char *waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%d change is waiting to be sent.",
                                                               "%d changes are waiting to be sent.",
                                                               (gulong) MIN (outbox, G_MAXINT)),
                                                  (int) MIN (outbox, G_MAXINT));

      body = g_strconcat (waiting, " ", kept, NULL);
    }
  else
    body = g_steal_pointer (&kept);

  parent = self->preferences != NULL ? GTK_WINDOW (self->preferences) : GTK_WINDOW (self->window);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Sign Out?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  lk_application_set_weak (&self->sign_out_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

void
lk_application_sign_out (LkApplication *self)
{
  LkSession *session;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  LkWindow *window;

  g_return_if_fail (LK_IS_APPLICATION (self));

  if (self->window == NULL)
    return;

  session = lk_window_get_session (self->window);
  server_url = g_strdup (lk_session_get_server_url (session));
  username = g_strdup (lk_session_get_username (session));
  g_debug ("Signing out of %s", server_url);

  /* The outbox stays in the account's local store: the next sign-in of the
   * same account sends it. */
  secret_password_clear (lk_application_get_secret_schema (), NULL, forget_password_cb, NULL,
                         "server", server_url,
                         "user", username,
                         NULL);
  /* The next start asks who signs in instead of opening this account. */
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "username", "");

  if (self->sign_out_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->sign_out_dialog));
  if (self->preferences != NULL)
    gtk_window_destroy (GTK_WINDOW (self->preferences));
  if (self->register_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->register_dialog));

  /* Keep running between the window and the dialog. The window goes at
   * once, and the session with it (its sync stops, the password held in
   * memory is wiped) once the last pending call on it is done. */
  g_application_hold (G_APPLICATION (self));
  window = self->window;
  lk_application_set_weak (&self->window, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  lk_application_update_actions (self);
  lk_application_show_sign_in (self, server_url, username, NULL);
  g_application_release (G_APPLICATION (self));
}
