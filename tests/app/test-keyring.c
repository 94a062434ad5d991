/* test-keyring.c — the app keeps the password in a real Secret Service
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server). The test
 * starts gnome-keyring-daemon on that session bus, with a throwaway keyring
 * in its own temporary directory, unlocked with a throwaway password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"
/* WAIT_UNTIL polls too (every 50 ms), for conditions no event announces. */
#define WAIT_POLL_MS 50

#include "config.h"

#include <signal.h>
#include <string.h>
#include <libsecret/secret.h>

#include "lk-application.h"
#include "lk-sign-in-dialog.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define DEMO_USER    "petugas"

static LkApplication *app;
static guint n_sign_in_dialogs;

typedef LkAppTestFixture Fixture;

/* What the keyring holds for the account, or NULL; fails on a keyring
 * error. Free with secret_password_free(). */
static char *
keyring_lookup (const char *url)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_sync (lk_app_test_secret_schema (), NULL, &error,
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

  g_assert_true (secret_password_store_sync (lk_app_test_secret_schema (), SECRET_COLLECTION_DEFAULT, "Loket test",
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
  /* The password comes from the keyring or the dialog only. */
  lk_app_test_fixture_start (fixture, "server", 5, NULL);
  n_sign_in_dialogs = 0;
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
  lk_app_test_close_all_windows (app);
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
  lk_app_test_close_all_windows (app);
  n_sign_in_dialogs = 0;
  lk_application_open_account (app, url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_window (app) != NULL);
  session = lk_window_get_session (lk_application_get_window (app));
  WAIT_UNTIL (sync_finished (session));
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_cmpuint (n_sign_in_dialogs, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      /* Never the user's own keyring: only a private session bus. */
      g_test_skip ("No private D-Bus session (run it through run-under-xvfb.sh)");
      return g_test_run ();
    }

  lk_app_test_keyring_daemon_start ();

  app = lk_app_test_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);

  g_test_add ("/app/keyring/remembered", Fixture, NULL,
              fixture_set_up, test_remembered, lk_app_test_fixture_tear_down);
  g_test_add ("/app/keyring/refused-is-forgotten", Fixture, NULL,
              fixture_set_up, test_refused, lk_app_test_fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  lk_app_test_keyring_daemon_stop ();
  return ret;
}
