/* test-keyring.c — the app keeps the password in a real Secret Service
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server). The test
 * starts gnome-keyring-daemon on that session bus, with a throwaway keyring
 * in its own temporary directory, unlocked with a throwaway password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <libsecret/secret.h>

#include "lk-application.h"
#include "lk-sign-in-dialog.h"
#include "lk-test-util.h"

/* Only a guard against hangs; nothing is asserted about timing. */
#define WAIT_SECONDS 120
#define DEMO_USER    "petugas"
#define SECRETS_NAME "org.freedesktop.secrets"

static LkApplication *app;
static GSubprocess *keyring_daemon;
static char *keyring_dir;
static guint n_sign_in_dialogs;

typedef struct
{
  char         *tmpdir;
  LkTestServer *server;
} Fixture;

/* The app's schema, written out again: a change on either side fails here. */
static const SecretSchema *
test_schema (void)
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

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Polls too (every 50 ms), for conditions no event announces. */
#define WAIT_UNTIL(cond)                                                  \
  G_STMT_START {                                                          \
    gboolean timed_out_ = FALSE;                                          \
    guint id_ = g_timeout_add_seconds (WAIT_SECONDS, set_true_cb,         \
                                       &timed_out_);                      \
    guint poll_id_ = g_timeout_add (50, poll_cb, NULL);                   \
    while (!(cond) && !timed_out_)                                        \
      g_main_context_iteration (NULL, TRUE);                              \
    if (!timed_out_)                                                      \
      g_source_remove (id_);                                              \
    g_source_remove (poll_id_);                                           \
    g_assert_true (cond);                                                 \
  } G_STMT_END

/* What the keyring holds for the account, or NULL; fails on a keyring
 * error. Free with secret_password_free(). */
static char *
keyring_lookup (const char *url)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_sync (test_schema (), NULL, &error,
                                          "server", url, "user", DEMO_USER, NULL);
  g_assert_no_error (error);
  return password;
}

/* Never prints the password: only whether it matches. */
static gboolean
keyring_holds (const char *url,
               const char *expected)
{
  char *password = keyring_lookup (url);
  gboolean matches;

  matches = g_strcmp0 (password, expected) == 0;
  if (password != NULL)
    secret_password_free (password);
  return matches;
}

static void
keyring_store (const char *url,
               const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (secret_password_store_sync (test_schema (), SECRET_COLLECTION_DEFAULT, "Loket test",
                                             password, NULL, &error,
                                             "server", url, "user", DEMO_USER, NULL));
  g_assert_no_error (error);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  if (LK_IS_SIGN_IN_DIALOG (window))
    n_sign_in_dialogs++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = lk_test_make_tmpdir ("server");
  db_path = g_build_filename (fixture->tmpdir, "server.db", NULL);
  fixture->server = lk_test_server_start (db_path, 0, 5, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);

  /* The password comes from the keyring or the dialog only. */
  g_unsetenv ("LOKET_PASSWORD");
  n_sign_in_dialogs = 0;
}

static void
close_all_windows (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  /* Let pending callbacks of the closed windows run out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_all_windows ();

  if (fixture->server != NULL && fixture->server->process != NULL)
    g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  g_clear_pointer (&fixture->server, lk_test_server_free);
  lk_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static gboolean
sync_finished (LkSession *session)
{
  LkSessionStatus status = lk_session_get_status (session);

  return status == LK_SESSION_STATUS_SYNCED ||
         status == LK_SESSION_STATUS_OFFLINE ||
         status == LK_SESSION_STATUS_FAILED;
}

/* Signs in through the dialog that is showing, with the right password,
 * and waits until it closed on a good sync. */
static void
sign_in_through_dialog (Fixture *fixture)
{
  LkSignInDialog *dialog = lk_application_get_sign_in_dialog (app);
  LkSession *session;

  g_assert_nonnull (dialog);
  g_assert_nonnull (lk_application_get_window (app));
  session = lk_window_get_session (lk_application_get_window (app));

  lk_sign_in_dialog_submit (dialog, fixture->server->url, DEMO_USER, LK_TEST_DEMO_PASSWORD);
  g_assert_true (lk_sign_in_dialog_get_busy (dialog));
  WAIT_UNTIL (lk_session_get_status (session) != LK_SESSION_STATUS_SIGNING_IN &&
              lk_session_get_status (session) != LK_SESSION_STATUS_SYNCING);
  g_test_message ("Status after the dialog: %s", lk_session_get_status_message (session));
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  WAIT_UNTIL (lk_application_get_sign_in_dialog (app) == NULL);
}

/* No password anywhere: the dialog asks; the one that worked goes into the
 * keyring, and the next start signs in with it and asks nothing. */
static void
test_remembered (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *url = fixture->server->url;
  LkSession *session;

  g_assert_true (keyring_holds (url, NULL));

  lk_application_open_account (app, url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_sign_in_dialog (app) != NULL);
  g_assert_cmpuint (n_sign_in_dialogs, ==, 1);
  session = lk_window_get_session (lk_application_get_window (app));
  g_assert_cmpint (lk_session_get_status (session), !=, LK_SESSION_STATUS_SYNCED);

  sign_in_through_dialog (fixture);
  /* Stored once the sync succeeded, asynchronously. */
  WAIT_UNTIL (keyring_holds (url, LK_TEST_DEMO_PASSWORD));

  /* Start again: the keyring supplies the password, no dialog. */
  close_all_windows ();
  g_assert_null (lk_application_get_window (app));
  n_sign_in_dialogs = 0;
  lk_application_open_account (app, url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_window (app) != NULL);
  session = lk_window_get_session (lk_application_get_window (app));
  WAIT_UNTIL (sync_finished (session));
  g_test_message ("Status with the keyring: %s", lk_session_get_status_message (session));
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_cmpuint (n_sign_in_dialogs, ==, 0);
  g_assert_null (lk_application_get_sign_in_dialog (app));
  g_assert_true (keyring_holds (url, LK_TEST_DEMO_PASSWORD));
}

/* A password in the keyring that the server refuses: the dialog asks, the
 * refused one is forgotten, and the right one replaces it. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  const char *url = fixture->server->url;
  LkSignInDialog *dialog;
  LkSession *session;

  keyring_store (url, "not-the-password");
  g_assert_true (keyring_holds (url, "not-the-password"));

  lk_application_open_account (app, url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_sign_in_dialog (app) != NULL &&
              lk_sign_in_dialog_get_error (lk_application_get_sign_in_dialog (app)) != NULL);
  dialog = lk_application_get_sign_in_dialog (app);
  g_test_message ("Dialog error: %s", lk_sign_in_dialog_get_error (dialog));
  g_assert_cmpstr (lk_sign_in_dialog_get_error (dialog), !=, "");
  g_assert_false (lk_sign_in_dialog_get_busy (dialog));
  session = lk_window_get_session (lk_application_get_window (app));
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_FAILED);

  /* The refused password leaves the keyring, before anyone signs in. */
  WAIT_UNTIL (keyring_holds (url, NULL));

  sign_in_through_dialog (fixture);
  WAIT_UNTIL (keyring_holds (url, LK_TEST_DEMO_PASSWORD));

  /* And the next start uses it without asking. */
  close_all_windows ();
  n_sign_in_dialogs = 0;
  lk_application_open_account (app, url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_window (app) != NULL);
  session = lk_window_get_session (lk_application_get_window (app));
  WAIT_UNTIL (sync_finished (session));
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_cmpuint (n_sign_in_dialogs, ==, 0);
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* gnome-keyring-daemon on the session bus of the test, its files in a
 * directory of the test, the login keyring unlocked with a throwaway
 * password read from its stdin. */
static void
start_keyring_daemon (void)
{
  static const char throwaway[] = "loket-test-keyring";
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *runtime_dir = NULL;
  GOutputStream *input;
  gboolean appeared = FALSE;
  guint watch_id;

  keyring_dir = lk_test_make_tmpdir ("keyring");
  data_dir = g_build_filename (keyring_dir, "data", NULL);
  runtime_dir = g_build_filename (keyring_dir, "run", NULL);
  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);

  /* Its stdout would break the TAP stream. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", keyring_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  keyring_daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                                "--foreground", "--unlock", "--components=secrets",
                                                NULL);
  g_assert_no_error (error);

  input = g_subprocess_get_stdin_pipe (keyring_daemon);
  g_assert_true (g_output_stream_write_all (input, throwaway, strlen (throwaway), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (input, NULL, &error));
  g_assert_no_error (error);

  /* Without autostart: the name must come from this daemon, not from one
   * D-Bus activates with the wrong home. */
  watch_id = g_bus_watch_name (G_BUS_TYPE_SESSION, SECRETS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                               name_appeared_cb, NULL, &appeared, NULL);
  WAIT_UNTIL (appeared || g_subprocess_get_identifier (keyring_daemon) == NULL);
  g_bus_unwatch_name (watch_id);
  g_assert_nonnull (g_subprocess_get_identifier (keyring_daemon));
}

static void
stop_keyring_daemon (void)
{
  g_autoptr(GError) error = NULL;

  secret_service_disconnect ();
  g_subprocess_send_signal (keyring_daemon, SIGTERM);
  g_subprocess_wait (keyring_daemon, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&keyring_daemon);
  lk_test_rm_rf (keyring_dir);
  g_clear_pointer (&keyring_dir, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) system_dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = NULL;
  const char *data_dirs;
  int ret;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  /* The isolated XDG dirs hide the shared MIME database, without which
   * GdkPixbuf cannot load the SVG icons: keep the system one. */
  data_dirs = g_getenv ("XDG_DATA_DIRS");
  system_dirs = g_strsplit (data_dirs != NULL && *data_dirs != '\0' ? data_dirs : "/usr/local/share:/usr/share",
                            ":", -1);
  mime_dirs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (system_dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      /* Never the user's own keyring: only a private session bus. */
      g_test_skip ("No private D-Bus session (run it through run-under-xvfb.sh)");
      return g_test_run ();
    }

  start_keyring_daemon ();

  app = lk_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);

  g_test_add ("/app/keyring/remembered", Fixture, NULL,
              fixture_set_up, test_remembered, fixture_tear_down);
  g_test_add ("/app/keyring/refused-is-forgotten", Fixture, NULL,
              fixture_set_up, test_refused, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  stop_keyring_daemon ();
  return ret;
}
