/* lk-application.c — the Loket desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "lk-app-setup.h"
#include "lk-application.h"
#include "lk-application-private.h"
#include "lk-preferences-window.h"
#include "lk-register-cert-dialog.h"


G_DEFINE_FINAL_TYPE (LkApplication, lk_application, ADW_TYPE_APPLICATION)

/* One sign-in attempt: which session, and the password while it is needed
 * (wiped when done; never on disk except in the keyring). */
typedef struct
{
  LkApplication *app;
  LkSession     *session;
  char          *password;
  gboolean       from_dialog;
  gboolean       from_keyring;
  gboolean       held;
} SignIn;

static const GOptionEntry option_entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL, N_("Address of the Loket server"), N_("URL") },
  { "user", 'u', 0, G_OPTION_ARG_STRING, NULL, N_("User name to sign in with"), N_("NAME") },
  { NULL }
};

static void open_account (LkApplication *self,
                          const char    *server_url,
                          const char    *username,
                          const char    *password,
                          gboolean       from_dialog);

const SecretSchema *
lk_application_get_secret_schema (void)
{
  static const SecretSchema schema = {
    LK_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
wipe_password (char **password)
{
  if (*password != NULL)
    {
      explicit_bzero (*password, strlen (*password));
      g_clear_pointer (password, g_free);
    }
}

static void
sign_in_free (SignIn *sign_in)
{
  /* Held while no window showed the account yet (see open_account()). */
  if (sign_in->held)
    g_application_release (G_APPLICATION (sign_in->app));
  wipe_password (&sign_in->password);
  g_clear_object (&sign_in->session);
  g_clear_object (&sign_in->app);
  g_free (sign_in);
}

void
lk_application_set_weak (gpointer  location,
                         gpointer  object)
{
  GObject **pointer = location;

  if (*pointer == object)
    return;
  if (*pointer != NULL)
    g_object_remove_weak_pointer (*pointer, location);
  *pointer = object;
  if (object != NULL)
    g_object_add_weak_pointer (object, location);
}

static void
close_dialog (LkApplication *self)
{
  if (self->dialog != NULL)
    {
      gtk_window_set_focus (GTK_WINDOW (self->dialog), NULL);
      gtk_window_destroy (GTK_WINDOW (self->dialog));
    }
}

/* Registering certificates is for admins: the action follows the role of
 * the window's account. */
void
lk_application_update_actions (LkApplication *self)
{
  LkSession *session = self->window != NULL ? lk_window_get_session (self->window) : NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "register-certificate");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                                 session != NULL && lk_session_get_role (session) == LK_ROLE_ADMIN);

  /* Signing out needs an account. */
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), session != NULL);
}

static void
session_role_cb (LkApplication *self,
                 GParamSpec    *pspec,
                 LkSession     *session)
{
  lk_application_update_actions (self);
}

/* The account's actions go with its window. */
static void
window_destroy_cb (LkApplication *self,
                   LkWindow      *window)
{
  if (self->window == window)
    lk_application_set_weak (&self->window, NULL);
  lk_application_update_actions (self);
}

static void
close_window (LkApplication *self)
{
  if (self->window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->window));
}

static void
dialog_submit_cb (LkSignInDialog *dialog,
                  const char     *server_url,
                  const char     *username,
                  const char     *password,
                  gpointer        user_data);

void
lk_application_show_sign_in (LkApplication *self,
                             const char    *server_url,
                             const char    *username,
                             const char    *error)
{
  if (self->dialog == NULL)
    {
      LkSignInDialog *dialog = lk_sign_in_dialog_new ();

      gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
      g_signal_connect_object (dialog, "submit", G_CALLBACK (dialog_submit_cb), self, 0);
      lk_application_set_weak (&self->dialog, dialog);
    }

  gtk_window_set_transient_for (GTK_WINDOW (self->dialog),
                                self->window != NULL ? GTK_WINDOW (self->window) : NULL);
  lk_sign_in_dialog_set_server (self->dialog, server_url);
  lk_sign_in_dialog_set_username (self->dialog, username);
  lk_sign_in_dialog_set_error (self->dialog, error);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
show_store_error (LkApplication *self,
                  LkSession     *session,
                  const GError  *error)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NEWER_SCHEMA))
    body = g_strdup_printf (_("%s\n\nA newer version of Loket wrote the file %s. Update Loket to open it; "
                              "the file has not been changed."),
                            error->message, lk_session_get_store_path (session));
  else
    body = g_strdup_printf (_("%s\n\nThe file %s has not been changed. Move it elsewhere to start "
                              "with fresh data from the server."),
                            error->message, lk_session_get_store_path (session));

  if (self->error_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->error_dialog));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Cannot Open the Data on This Computer"), body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  lk_application_set_weak (&self->error_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
store_password_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_message ("Cannot keep the password in the keyring: %s", error->message);
}

static void
clear_password_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_message ("Cannot remove the refused password from the keyring: %s", error->message);
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SignIn *sign_in = user_data;
  LkApplication *self = sign_in->app;
  LkSession *session = sign_in->session;
  g_autoptr(GError) error = NULL;

  if (lk_session_sync_finish (session, result, &error))
    {
      if (self->settings != NULL)
        {
          g_settings_set_string (self->settings, "server-url", lk_session_get_server_url (session));
          g_settings_set_string (self->settings, "username", lk_session_get_username (session));
        }

      if (sign_in->from_dialog)
        {
          g_autofree char *label = g_strdup_printf (_("Loket password for %s on %s"),
                                                    lk_session_get_username (session),
                                                    lk_session_get_server_url (session));

          secret_password_store (lk_application_get_secret_schema (), SECRET_COLLECTION_DEFAULT, label,
                                 sign_in->password, NULL, store_password_cb, NULL,
                                 "server", lk_session_get_server_url (session),
                                 "user", lk_session_get_username (session),
                                 NULL);
          close_dialog (self);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      if (self->dialog != NULL)
        lk_sign_in_dialog_set_error (self->dialog, error->message);
    }
  else if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH) ||
           g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SESSION_EXPIRED))
    {
      /* A password the server refused must not be tried again at every
       * start: forget it; the dialog stores the one that works. */
      if (sign_in->from_keyring && g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH))
        secret_password_clear (lk_application_get_secret_schema (), NULL, clear_password_cb, NULL,
                               "server", lk_session_get_server_url (session),
                               "user", lk_session_get_username (session),
                               NULL);
      lk_application_show_sign_in (self, lk_session_get_server_url (session),
                    lk_session_get_username (session), error->message);
    }
  else if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
    {
      /* The window shows the offline banner with the local data. */
      if (sign_in->from_dialog)
        close_dialog (self);
    }
  else
    {
      g_debug ("Sync failed: %s", error->message);
      if (sign_in->from_dialog && self->dialog != NULL)
        lk_sign_in_dialog_set_error (self->dialog, error->message);
    }

  sign_in_free (sign_in);
}

static void
start_sync (SignIn *sign_in)
{
  lk_session_sync_async (sign_in->session, sign_in->password, NULL, sync_cb, sign_in);
}

static void
lookup_password_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SignIn *sign_in = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (password != NULL)
    {
      sign_in->password = g_strdup (password);
      sign_in->from_keyring = TRUE;
      secret_password_free (password);
      start_sync (sign_in);
      return;
    }

  if (error != NULL)
    g_debug ("No keyring: %s", error->message);

  lk_application_show_sign_in (sign_in->app, lk_session_get_server_url (sign_in->session),
                lk_session_get_username (sign_in->session), NULL);
  sign_in_free (sign_in);
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SignIn *sign_in = user_data;
  LkApplication *self = sign_in->app;
  LkSession *session = sign_in->session;
  g_autoptr(GError) error = NULL;
  const char *env_password;
  LkWindow *window;

  if (!lk_session_open_store_finish (session, result, &error))
    {
      close_dialog (self);
      show_store_error (self, session, error);
      sign_in_free (sign_in);
      return;
    }

  close_window (self);
  window = lk_window_new (GTK_APPLICATION (self), session);
  lk_application_set_weak (&self->window, window);
  g_signal_connect_object (window, "destroy", G_CALLBACK (window_destroy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::role", G_CALLBACK (session_role_cb), self, G_CONNECT_SWAPPED);
  lk_application_update_actions (self);
  gtk_window_present (GTK_WINDOW (window));
  if (self->dialog != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->dialog), GTK_WINDOW (window));
      gtk_window_present (GTK_WINDOW (self->dialog));
    }

  if (sign_in->password != NULL)
    {
      start_sync (sign_in);
      return;
    }

  /* For the demo and automation; documented in --help. */
  env_password = g_getenv ("LOKET_PASSWORD");
  if (env_password != NULL && *env_password != '\0')
    {
      sign_in->password = g_strdup (env_password);
      start_sync (sign_in);
      return;
    }

  secret_password_lookup (lk_application_get_secret_schema (), NULL, lookup_password_cb, sign_in,
                          "server", lk_session_get_server_url (session),
                          "user", lk_session_get_username (session),
                          NULL);
}

static void
open_account (LkApplication *self,
              const char    *server_url,
              const char    *username,
              const char    *password,
              gboolean       from_dialog)
{
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SignIn *sign_in;

  g_debug ("Opening the account %s on %s", username, server_url);
  session = lk_session_new (server_url, username, &error);
  if (session == NULL)
    {
      g_debug ("Cannot open the account: %s", error->message);
      lk_application_show_sign_in (self, server_url, username, error->message);
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->app = g_object_ref (self);
  sign_in->session = g_steal_pointer (&session);
  sign_in->password = g_strdup (password);
  sign_in->from_dialog = from_dialog;
  /* No window exists while the store opens: keep the application running. */
  g_application_hold (G_APPLICATION (self));
  sign_in->held = TRUE;
  lk_session_open_store_async (sign_in->session, NULL, store_opened_cb, sign_in);
}

static void
dialog_submit_cb (LkSignInDialog *dialog,
                  const char     *server_url,
                  const char     *username,
                  const char     *password,
                  gpointer        user_data)
{
  LkApplication *self = user_data;
  LkSession *session = self->window != NULL ? lk_window_get_session (self->window) : NULL;

  if (session != NULL &&
      g_strcmp0 (lk_session_get_server_url (session), server_url) == 0 &&
      g_strcmp0 (lk_session_get_username (session), username) == 0)
    {
      SignIn *sign_in = g_new0 (SignIn, 1);

      sign_in->app = g_object_ref (self);
      sign_in->session = g_object_ref (session);
      sign_in->password = g_strdup (password);
      sign_in->from_dialog = TRUE;
      start_sync (sign_in);
      return;
    }

  open_account (self, server_url, username, password, TRUE);
}

static void
start (LkApplication *self,
       const char    *server_url,
       const char    *username)
{
  g_autofree char *saved_server = NULL;
  g_autofree char *saved_user = NULL;

  if (server_url == NULL && username == NULL)
    {
      if (self->window != NULL)
        {
          gtk_window_present (GTK_WINDOW (self->window));
          return;
        }
      if (self->dialog != NULL)
        {
          gtk_window_present (GTK_WINDOW (self->dialog));
          return;
        }
    }

  if (self->settings != NULL)
    {
      saved_server = g_settings_get_string (self->settings, "server-url");
      saved_user = g_settings_get_string (self->settings, "username");
    }
  if (server_url == NULL && saved_server != NULL && *saved_server != '\0')
    server_url = saved_server;
  if (username == NULL && saved_user != NULL && *saved_user != '\0')
    username = saved_user;

  g_debug ("Starting with server %s, user %s", server_url ? server_url : "(none)",
           username ? username : "(none)");
  if (server_url != NULL && username != NULL)
    open_account (self, server_url, username, NULL, FALSE);
  else
    lk_application_show_sign_in (self, server_url, username, NULL);
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", app,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Loket"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Back office for one-stop public service agencies"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
register_certificate_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  LkApplication *self = user_data;

  if (self->window == NULL)
    return;

  lk_application_show_register_certificate (self);
}

static void
preferences_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lk_application_show_preferences (LK_APPLICATION (user_data));
}

static void
sign_out_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  LkApplication *self = user_data;

  if (self->window == NULL)
    return;

  lk_application_confirm_sign_out (self);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_cb },
  { "about", about_cb },
  { "preferences", preferences_cb },
  { "sign-out", sign_out_cb },
  { "register-certificate", register_certificate_cb },
};

static void
lk_application_startup (GApplication *app)
{
  LkApplication *self = LK_APPLICATION (app);
  GtkApplication *gtk_app = GTK_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[4];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.sync", { "F5", "<Control>r", NULL } },
    { "win.move-case", { "<Control>m", NULL } },
    { "pdf.next-page", { "<Alt>Page_Down", NULL } },
    { "pdf.previous-page", { "<Alt>Page_Up", NULL } },
    { "pdf.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
    { "pdf.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "pdf.zoom-fit", { "<Control>0", "<Control>KP_0", NULL } },
  };

  lk_app_ensure_resources ();

  G_APPLICATION_CLASS (lk_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (gtk_app, accels[i].action, accels[i].accels);
  lk_application_update_actions (self);

  self->settings = lk_app_settings_new ();
}

static void
lk_application_activate (GApplication *app)
{
  start (LK_APPLICATION (app), NULL, NULL);
}

static int
lk_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server_url = NULL;
  const char *username = NULL;

  g_variant_dict_lookup (options, "server", "&s", &server_url);
  g_variant_dict_lookup (options, "user", "&s", &username);

  start (LK_APPLICATION (app), server_url, username);
  return 0;
}

static void
lk_application_dispose (GObject *object)
{
  LkApplication *self = (LkApplication *)object;

  lk_application_set_weak (&self->window, NULL);
  lk_application_set_weak (&self->dialog, NULL);
  lk_application_set_weak (&self->error_dialog, NULL);
  lk_application_set_weak (&self->register_dialog, NULL);
  lk_application_set_weak (&self->preferences, NULL);
  lk_application_set_weak (&self->sign_out_dialog, NULL);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_application_parent_class)->dispose (object);
}

static void
lk_application_class_init (LkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lk_application_dispose;

  app_class->startup = lk_application_startup;
  app_class->activate = lk_application_activate;
  app_class->command_line = lk_application_command_line;
}

static void
lk_application_init (LkApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_description (G_APPLICATION (self),
    _("The password comes from the keyring, or from the sign-in dialog. For demos and automation it "
      "may be given in the environment variable LOKET_PASSWORD (never on the command line)."));
}

LkApplication *
lk_application_new (GApplicationFlags flags)
{
  return g_object_new (LK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags | G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

void
lk_application_open_account (LkApplication *self,
                             const char    *server_url,
                             const char    *username)
{
  g_return_if_fail (LK_IS_APPLICATION (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);

  open_account (self, server_url, username, NULL, FALSE);
}

LkWindow *
lk_application_get_window (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  return self->window;
}

LkSignInDialog *
lk_application_get_sign_in_dialog (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  return self->dialog;
}

AdwMessageDialog *
lk_application_get_error_dialog (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  return self->error_dialog;
}

LkRegisterCertDialog *
lk_application_show_register_certificate (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (self->window != NULL, NULL);

  if (self->register_dialog == NULL)
    {
      LkRegisterCertDialog *dialog = lk_register_cert_dialog_new (GTK_WINDOW (self->window),
                                                                  lk_window_get_session (self->window));

      gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
      lk_application_set_weak (&self->register_dialog, dialog);
    }

  gtk_window_present (GTK_WINDOW (self->register_dialog));
  return self->register_dialog;
}
