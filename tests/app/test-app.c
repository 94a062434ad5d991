/* test-app.c — the real Loket window under Xvfb against a real loket-server
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "lk-account.h"
#include "store/lk-case-list.h"
#include "sync/lk-outbox.h"
#include "lk-application.h"
#include "lk-incomplete-dialog.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define DEMO_USER    "petugas"

static LkApplication *app;

typedef LkAppTestFixture Fixture;

/* Opens the demo account and waits for the window and the end of the
 * first sync (whatever its outcome). */
static LkWindow *
open_window (const char *url)
{
  return lk_app_test_open_window (app, url, DEMO_USER);
}

static guint
n_cases_in_store (LkWindow *window)
{
  LkStore *store = lk_session_get_store (lk_window_get_session (window));
  gint64 n = lk_store_count (store, LK_KIND_CASE);

  g_assert_cmpint (n, >=, 0);
  return (guint) n;
}

static gboolean
queue_is_loaded (LkWindow *window,
                 guint     expected)
{
  GListModel *cases = lk_window_get_cases (window);

  return g_list_model_get_n_items (cases) == expected &&
         lk_case_list_get_total (LK_CASE_LIST (cases)) == expected &&
         !lk_case_list_is_loading (LK_CASE_LIST (cases));
}

static LkPdfView *
window_pdf_view (LkWindow *window)
{
  return lk_case_view_get_pdf_view (lk_window_get_case_view (window));
}

/* Selects a row and waits until its first attachment shows page 1. */
static void
select_and_wait_for_preview (LkWindow *window,
                             guint     position)
{
  LkCaseView *case_view = lk_window_get_case_view (window);
  LkPdfView *pdf_view = window_pdf_view (window);
  g_autoptr(LkCase) light = g_list_model_get_item (lk_window_get_cases (window), position);

  g_assert_nonnull (light);
  gtk_single_selection_set_selected (lk_window_get_selection (window), position);
  g_assert_cmpstr (lk_case_view_get_case_id (case_view), ==, lk_case_get_id (light));

  WAIT_UNTIL (lk_case_view_get_case (case_view) != NULL);
  g_assert_cmpstr (lk_case_get_id (lk_case_view_get_case (case_view)), ==, lk_case_get_id (light));
  g_assert_true (lk_case_is_complete (lk_case_view_get_case (case_view)));
  g_assert_cmpuint (g_list_model_get_n_items (lk_case_view_get_history (case_view)), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (lk_case_view_get_documents (case_view)), >, 0);

  WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 0 ||
              lk_pdf_view_get_error (pdf_view) != NULL);
  g_assert_null (lk_pdf_view_get_error (pdf_view));
  g_assert_cmpint (lk_pdf_view_get_n_pages (pdf_view), >, 0);
}

static void
test_queue_and_preview (Fixture       *fixture,
                        gconstpointer  data)
{
  LkWindow *window;
  LkPdfView *pdf_view;
  GListModel *cases;
  guint n_cases, n_found;
  g_autoptr(LkCase) first = NULL;
  g_autofree char *search = NULL;
  const char *space;

  window = open_window (fixture->server->url);
  g_assert_cmpint (lk_session_get_status (lk_window_get_session (window)), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_false (lk_window_get_offline (window));

  /* The queue holds every case the sync brought in. */
  n_cases = n_cases_in_store (window);
  g_assert_cmpuint (n_cases, >, 0);
  g_assert_cmpuint (n_cases, <=, GPOINTER_TO_UINT (data));
  WAIT_UNTIL (queue_is_loaded (window, n_cases));

  select_and_wait_for_preview (window, 0);
  pdf_view = window_pdf_view (window);

  /* Pages turn through the window's actions (their shortcuts). */
  if (lk_pdf_view_get_n_pages (pdf_view) > 1)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "pdf.next-page", NULL));
      g_assert_cmpint (lk_pdf_view_get_page (pdf_view), ==, 1);
      WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 1);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "pdf.previous-page", NULL));
      WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 0);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "pdf.zoom-in", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "pdf.zoom-fit", NULL));
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 0);

  lk_app_test_maybe_save_screenshot (GTK_WIDGET (window));

  /* Search as you type: the applicant's name finds a subset with the case. */
  cases = lk_window_get_cases (window);
  first = g_list_model_get_item (cases, 0);
  search = g_strdup (lk_case_get_applicant_name (first));
  space = strchr (search, ' ');
  if (space != NULL)
    search[space - search] = '\0';
  gtk_editable_set_text (lk_window_get_search (window), search);
  WAIT_UNTIL (g_strcmp0 (lk_case_list_get_search (LK_CASE_LIST (cases)), search) == 0 &&
              !lk_case_list_is_loading (LK_CASE_LIST (cases)) &&
              g_list_model_get_n_items (cases) < n_cases);
  n_found = g_list_model_get_n_items (cases);
  g_assert_cmpuint (n_found, >, 0);
  for (guint i = 0; i < n_found; i++)
    {
      g_autoptr(LkCase) found = g_list_model_get_item (cases, i);
      g_assert_true (LK_IS_CASE (found));
    }
  gtk_editable_set_text (lk_window_get_search (window), "");
  WAIT_UNTIL (queue_is_loaded (window, n_cases) &&
              g_strcmp0 (lk_case_list_get_search (LK_CASE_LIST (cases)), "") <= 0);

  /* Every window of the app can be made: shortcuts, about. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)))));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 2);
}

static void
test_truncated_pdf (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDocument) document = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *truncated = NULL;
  LkCaseView *case_view;
  LkPdfView *pdf_view;
  LkWindow *window;
  gsize length;

  window = open_window (fixture->server->url);
  WAIT_UNTIL (queue_is_loaded (window, n_cases_in_store (window)));
  g_assert_cmpuint (g_list_model_get_n_items (lk_window_get_cases (window)), >=, 2);
  select_and_wait_for_preview (window, 0);

  case_view = lk_window_get_case_view (window);
  pdf_view = window_pdf_view (window);
  document = g_list_model_get_item (lk_case_view_get_documents (case_view), 0);
  blob = lk_blob_cache_lookup (lk_session_get_blob_cache (lk_window_get_session (window)),
                               lk_document_get_sha256 (document));
  g_assert_nonnull (blob);

  /* The first part of a real attachment: no cross-reference table, no pages. */
  g_file_get_contents (blob, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 64);
  truncated = g_build_filename (fixture->tmpdir, "truncated.pdf", NULL);
  g_file_set_contents (truncated, contents, 64, &error);
  g_assert_no_error (error);

  lk_pdf_view_load_file (pdf_view, truncated);
  WAIT_UNTIL (lk_pdf_view_get_error (pdf_view) != NULL);
  g_assert_true (g_str_has_prefix (lk_pdf_view_get_error (pdf_view), "This attachment cannot be shown: "));
  g_assert_cmpint (lk_pdf_view_get_rendered_page (pdf_view), ==, -1);
  g_assert_cmpint (lk_pdf_view_get_n_pages (pdf_view), ==, 0);
  g_assert_false (g_action_group_get_action_enabled (lk_pdf_view_get_actions (pdf_view), "next-page"));

  /* Not a PDF at all. */
  g_file_set_contents (truncated, "GIF89a", -1, &error);
  g_assert_no_error (error);
  lk_pdf_view_load_file (pdf_view, truncated);
  WAIT_UNTIL (lk_pdf_view_get_error (pdf_view) != NULL);

  /* The window goes on working. */
  select_and_wait_for_preview (window, 1);
  select_and_wait_for_preview (window, 0);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  LkWindow *window;
  guint n_cases;

  window = open_window (fixture->server->url);
  g_assert_cmpint (lk_session_get_status (lk_window_get_session (window)), ==, LK_SESSION_STATUS_SYNCED);
  n_cases = n_cases_in_store (window);
  g_assert_cmpuint (n_cases, >, 0);
  WAIT_UNTIL (queue_is_loaded (window, n_cases));
  select_and_wait_for_preview (window, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (lk_application_get_window (app));
  g_assert_true (lk_test_server_stop (fixture->server, FALSE));

  /* Same account, server gone: local data, the banner, no sign-in dialog. */
  window = open_window (fixture->server->url);
  g_assert_cmpint (lk_session_get_status (lk_window_get_session (window)), ==, LK_SESSION_STATUS_OFFLINE);
  g_assert_true (lk_window_get_offline (window));
  g_assert_null (lk_application_get_sign_in_dialog (app));
  WAIT_UNTIL (queue_is_loaded (window, n_cases));

  /* The attachment seen online comes from the cache. */
  select_and_wait_for_preview (window, 0);

  /* Retry: still offline, still working. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  WAIT_UNTIL (lk_session_get_status (lk_window_get_session (window)) == LK_SESSION_STATUS_OFFLINE);
  g_assert_true (lk_window_get_offline (window));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  LkSignInDialog *dialog;
  LkWindow *window;
  LkSession *session;

  g_setenv ("LOKET_PASSWORD", "not-the-password", TRUE);
  lk_application_open_account (app, fixture->server->url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_sign_in_dialog (app) != NULL &&
              lk_sign_in_dialog_get_error (lk_application_get_sign_in_dialog (app)) != NULL);
  dialog = lk_application_get_sign_in_dialog (app);
  g_assert_cmpstr (lk_sign_in_dialog_get_error (dialog), !=, "");
  g_assert_false (lk_sign_in_dialog_get_busy (dialog));

  window = lk_application_get_window (app);
  g_assert_nonnull (window);
  session = lk_window_get_session (window);
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_FAILED);

  /* The right password through the dialog: it closes and the queue fills. */
  lk_sign_in_dialog_submit (dialog, fixture->server->url, DEMO_USER, LK_TEST_DEMO_PASSWORD);
  g_assert_true (lk_sign_in_dialog_get_busy (dialog));
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SIGNING_IN);
  WAIT_UNTIL (lk_session_get_status (session) != LK_SESSION_STATUS_SIGNING_IN &&
              lk_session_get_status (session) != LK_SESSION_STATUS_SYNCING);
  g_test_message ("Status after the dialog: %s", lk_session_get_status_message (session));
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  WAIT_UNTIL (lk_application_get_sign_in_dialog (app) == NULL);
  WAIT_UNTIL (queue_is_loaded (window, n_cases_in_store (window)));
  g_assert_cmpuint (g_list_model_get_n_items (lk_window_get_cases (window)), >, 0);
}

/* Read-only, so that polling never migrates or locks the file the app is
 * creating. */
static gboolean
store_has_cases (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean has_cases = FALSE;

  if (g_file_test (path, G_FILE_TEST_EXISTS) &&
      sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM cases", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    has_cases = sqlite3_column_int64 (stmt, 0) > 0;

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return has_cases;
}

static gboolean
poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The installed program: `loket --server URL --user NAME` stays up, signs
 * in with $LOKET_PASSWORD and syncs into the account's store. */
static void
test_binary (Fixture       *fixture,
             gconstpointer  data)
{
  const char *binary = g_getenv ("LOKET_APP_BIN");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint poll_id;

  if (binary == NULL)
    {
      g_test_skip ("LOKET_APP_BIN is not set");
      return;
    }

  path = lk_account_store_path (fixture->server->url, DEMO_USER, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  /* The test's isolated dirs live in GLib's state only (the variables say
   * /dev/null): hand them to the program. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", lk_app_test_get_system_data_dirs (), TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, binary,
                                         "--server", fixture->server->url, "--user", DEMO_USER, NULL);
  g_assert_no_error (error);

  poll_id = g_timeout_add (100, poll_cb, NULL);
  WAIT_UNTIL (g_subprocess_get_identifier (process) == NULL || store_has_cases (path));
  g_source_remove (poll_id);

  /* Still running: it did not quit before a window showed up. */
  g_assert_nonnull (g_subprocess_get_identifier (process));
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
}

static void
test_unreadable_store (void)
{
  const char *url = "http://127.0.0.1:9";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *after = NULL;
  const char *garbage = "This is not a Loket database, and must not be deleted.\n";
  AdwMessageDialog *dialog;

  path = lk_account_store_path (url, DEMO_USER, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, garbage, -1, &error);
  g_assert_no_error (error);

  g_setenv ("LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);
  lk_application_open_account (app, url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_error_dialog (app) != NULL);
  dialog = lk_application_get_error_dialog (app);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), path));
  g_assert_null (lk_application_get_window (app));

  g_file_get_contents (path, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, garbage);

  lk_app_test_close_all_windows (app);
  g_unsetenv ("LOKET_PASSWORD");
}

/* Starts the stopped server again on the same database and port. */
static void
restart_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_strdup (fixture->server->db_path);
  guint16 port = fixture->server->port;

  g_clear_pointer (&fixture->server, lk_test_server_free);
  fixture->server = lk_test_server_start (db_path, port, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);
}

/* The case as the server has it now: a second client pulls into a scratch
 * store. */
static LkCase *
server_case (Fixture    *fixture,
             const char *case_id,
             gint64     *out_notes)
{
  g_autoptr(LkStore) store = lk_app_test_pull_server_store (fixture->server->url, DEMO_USER, fixture->tmpdir);
  g_autoptr(GError) error = NULL;
  LkCase *kase;

  kase = lk_store_get_case (store, case_id, &error);
  g_assert_no_error (error);
  if (out_notes != NULL)
    *out_notes = lk_store_count (store, LK_KIND_NOTE);
  return kase;
}

/* Selects the first case of the queue in state, waits until it shows, and
 * returns its id. */
static char *
select_case_in_state (LkWindow    *window,
                      LkCaseState  state)
{
  GListModel *cases = lk_window_get_cases (window);
  LkCaseView *case_view = lk_window_get_case_view (window);

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(LkCase) kase = g_list_model_get_item (cases, i);

      if (lk_case_get_state (kase) == state)
        {
          gtk_single_selection_set_selected (lk_window_get_selection (window), i);
          WAIT_UNTIL (lk_case_view_get_case (case_view) != NULL &&
                      g_strcmp0 (lk_case_get_id (lk_case_view_get_case (case_view)), lk_case_get_id (kase)) == 0);
          return g_strdup (lk_case_get_id (kase));
        }
    }

  g_assert_not_reached ();
  return NULL;
}

/* Whether the case view offers a move to state (an item of the menu). */
static gboolean
offers_move (LkCaseView  *case_view,
             LkCaseState  state)
{
  GMenuModel *moves = lk_case_view_get_moves (case_view);

  for (int i = 0; i < g_menu_model_get_n_items (moves); i++)
    {
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (moves, i, G_MENU_ATTRIBUTE_TARGET,
                                                                          G_VARIANT_TYPE_STRING);

      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), lk_case_state_to_string (state)) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
outbox_seen_cb (LkSession  *session,
                GParamSpec *pspec,
                gint64     *max_seen)
{
  *max_seen = MAX (*max_seen, lk_session_get_outbox_count (session));
}

static gboolean
is_synced_and_empty (LkSession *session)
{
  return lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED &&
         lk_session_get_outbox_count (session) == 0;
}

/* The status indicator follows the server going away and coming back. */
static void
test_sync_indicator (Fixture       *fixture,
                     gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url);
  LkSession *session = lk_window_get_session (window);

  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "Synced");
  g_assert_cmpint (lk_session_get_role (session), ==, LK_ROLE_OFFICER);

  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_OFFLINE);
  g_assert_cmpint (lk_session_get_sync_status (session), ==, LK_SYNC_STATUS_OFFLINE);
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "Offline");
  g_assert_true (lk_window_get_offline (window));
  g_assert_nonnull (lk_session_get_sync_message (session));

  restart_server (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED);
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "Synced");
  g_assert_false (lk_window_get_offline (window));
}

/* win.case-transition queues the move, the engine pushes it at once. */
static void
test_case_transition (Fixture       *fixture,
                      gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url);
  LkSession *session = lk_window_get_session (window);
  LkCaseView *case_view = lk_window_get_case_view (window);
  LkIncompleteDialog *incomplete;
  g_autoptr(LkCase) on_server = NULL;
  g_autofree char *case_id = NULL;
  gint64 max_seen = 0;

  WAIT_UNTIL (queue_is_loaded (window, n_cases_in_store (window)));
  case_id = select_case_in_state (window, LK_CASE_STATE_SUBMITTED);

  /* An officer may start verifying or cancel; never sign. */
  g_assert_true (offers_move (case_view, LK_CASE_STATE_VERIFYING));
  g_assert_true (offers_move (case_view, LK_CASE_STATE_CANCELLED));
  g_assert_false (offers_move (case_view, LK_CASE_STATE_SIGNED));
  g_assert_false (offers_move (case_view, LK_CASE_STATE_APPROVED));

  g_signal_connect (session, "notify::outbox-count", G_CALLBACK (outbox_seen_cb), &max_seen);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.case-transition", "s", "verifying"));
  WAIT_UNTIL (max_seen == 1 && !lk_case_view_get_busy (case_view));
  g_assert_null (lk_case_view_get_action_error (case_view));
  WAIT_UNTIL (is_synced_and_empty (session));
  g_signal_handlers_disconnect_by_func (session, outbox_seen_cb, &max_seen);

  /* The view shows the new state and offers the next moves. */
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_VERIFYING);
  g_assert_true (offers_move (case_view, LK_CASE_STATE_VERIFIED));
  g_assert_false (offers_move (case_view, LK_CASE_STATE_VERIFYING));

  on_server = server_case (fixture, case_id, NULL);
  g_assert_cmpint (lk_case_get_state (on_server), ==, LK_CASE_STATE_VERIFYING);

  /* Incomplete asks for the missing items and a message first, from the
   * "Move to" menu too; nothing is queued until it is answered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.case-transition", "s", "incomplete"));
  g_assert_null (lk_case_view_get_reason_dialog (case_view));
  incomplete = lk_case_view_get_incomplete_dialog (case_view);
  g_assert_nonnull (incomplete);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (incomplete)));
  g_assert_cmpint (lk_session_get_outbox_count (session), ==, 0);
  lk_incomplete_dialog_set_message (incomplete, "Scan of the KTP is unreadable");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (incomplete), "mark");
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_INCOMPLETE);
  WAIT_UNTIL (is_synced_and_empty (session));
  g_clear_object (&on_server);
  on_server = server_case (fixture, case_id, NULL);
  g_assert_cmpint (lk_case_get_state (on_server), ==, LK_CASE_STATE_INCOMPLETE);

  /* The lifecycle is enforced here too: nothing queued for an illegal move. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.case-transition", "s", "approved"));
  WAIT_UNTIL (lk_case_view_get_action_error (case_view) != NULL);
  g_assert_cmpint (lk_session_get_outbox_count (session), ==, 0);
}

/* Made while the server is down, pushed in order when it is back. */
static void
test_offline_actions (Fixture       *fixture,
                      gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url);
  LkSession *session = lk_window_get_session (window);
  LkCaseView *case_view = lk_window_get_case_view (window);
  g_autoptr(LkCase) on_server = NULL;
  g_autofree char *case_id = NULL;
  gint64 n_notes = -1;

  WAIT_UNTIL (queue_is_loaded (window, n_cases_in_store (window)));
  case_id = select_case_in_state (window, LK_CASE_STATE_SUBMITTED);
  g_assert_cmpuint (lk_case_view_get_n_notes (case_view), ==, 0);

  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.case-transition", "s", "verifying"));
  WAIT_UNTIL (lk_session_get_outbox_count (session) == 1 && !lk_case_view_get_busy (case_view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.case-add-note", "s",
                                             "Called the applicant about the missing letter."));
  WAIT_UNTIL (lk_session_get_outbox_count (session) == 2 && !lk_case_view_get_busy (case_view));
  g_assert_null (lk_case_view_get_action_error (case_view));

  /* Local first: the view shows both at once. */
  WAIT_UNTIL (lk_case_view_get_n_notes (case_view) == 1 &&
              lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_VERIFYING);
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_OFFLINE);
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "Offline — 2 changes waiting");
  g_assert_cmpint (lk_session_get_outbox_count (session), ==, 2);

  restart_server (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  WAIT_UNTIL (is_synced_and_empty (session));
  g_assert_cmpint (lk_session_get_conflict_count (session), ==, 0);
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "Synced");

  on_server = server_case (fixture, case_id, &n_notes);
  g_assert_cmpint (lk_case_get_state (on_server), ==, LK_CASE_STATE_VERIFYING);
  g_assert_cmpint (n_notes, ==, 1);
}

/* ---- the conflicts window with real conflicts ---- */

typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);

/* The first descendant of root (depth first) that matches. */
static GtkWidget *
find_descendant (GtkWidget     *root,
                 WidgetMatch    match,
                 gconstpointer  data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, data))
        return child;
      found = find_descendant (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
grid_cell_text (GtkGrid *grid,
                int      column,
                int      row)
{
  GtkWidget *cell = gtk_grid_get_child_at (grid, column, row);

  return cell != NULL && GTK_IS_LABEL (cell) ? gtk_label_get_label (GTK_LABEL (cell)) : NULL;
}

static gboolean
is_list_box (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_LIST_BOX (widget);
}

/* The grid of fields: its header row starts with "Field". */
static gboolean
is_fields_grid (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_GRID (widget) && g_strcmp0 (grid_cell_text (GTK_GRID (widget), 0, 0), "Field") == 0;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* A click on a shown, sensitive button (at once: activating it would
 * click only after its pressed look has shown). */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The index of the dialog's row whose title starts with receipt, or -1. */
static int
conflict_row_index (LkConflictsDialog *dialog,
                    const char        *receipt,
                    char             **out_subtitle)
{
  GtkWidget *list = find_descendant (GTK_WIDGET (dialog), is_list_box, NULL);
  int index = 0;

  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row), index++)
    {
      g_assert_true (ADW_IS_ACTION_ROW (row));
      if (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), receipt))
        {
          if (out_subtitle != NULL)
            *out_subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
          return index;
        }
    }
  return -1;
}

/* The grid row of the field labelled label, or -1. */
static int
fields_grid_row (GtkGrid    *grid,
                 const char *label)
{
  for (int row = 1; gtk_grid_get_child_at (grid, 0, row) != NULL; row++)
    if (g_strcmp0 (grid_cell_text (grid, 0, row), label) == 0)
      return row;
  return -1;
}

static guint
keep_choice (GtkGrid *grid,
             int      row)
{
  GtkWidget *keep = gtk_grid_get_child_at (grid, 3, row);

  g_assert_true (GTK_IS_DROP_DOWN (keep));
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (keep));
}

/* Selects the case case_id in the queue and waits until it shows. */
static void
select_case (LkWindow   *window,
             const char *case_id)
{
  GListModel *cases = lk_window_get_cases (window);
  LkCaseView *case_view = lk_window_get_case_view (window);

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(LkCase) kase = g_list_model_get_item (cases, i);

      if (g_strcmp0 (lk_case_get_id (kase), case_id) == 0)
        {
          gtk_single_selection_set_selected (lk_window_get_selection (window), i);
          WAIT_UNTIL (lk_case_view_get_case (case_view) != NULL &&
                      g_strcmp0 (lk_case_get_id (lk_case_view_get_case (case_view)), case_id) == 0);
          return;
        }
    }
  g_assert_not_reached ();
}

/* Another desk with its own store, signed in as user and pulled. */
static void
open_other_desk (Fixture       *fixture,
                 const char    *user,
                 LkSyncClient **out_client,
                 LkStore      **out_store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("desk-%s.db", user);
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

  *out_client = lk_sync_client_new (fixture->server->url, user, &error);
  g_assert_no_error (error);
  lk_sync_client_login (*out_client, LK_TEST_DEMO_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  *out_store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  lk_sync_client_pull (*out_client, *out_store, LK_SYNC_DEFAULT_PAGE, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* The assignee of a case in the server's database (read after a clean
 * stop), or NULL. */
static char *
server_db_assignee (const char *db_path,
                    const char *case_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *assignee = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT assignee FROM cases WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    assignee = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return assignee;
}

static JsonObject *
contact_fields (const char *phone,
                const char *email)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "phone", phone);
  json_object_set_string_member (fields, "email", email);
  return fields;
}

#define MY_PHONE     "0812-5550-0101"
#define MY_EMAIL     "mine@example.id"
#define THEIR_PHONE  "0813-5550-0202"
#define THEIR_EMAIL  "theirs@example.id"

/* An edit made offline meets the other desk's edit of the same fields:
 * resolved field by field in the conflicts window. An edit the server
 * refuses shows there too, and Dismiss clears it. */
static void
test_conflicts_resolve (Fixture       *fixture,
                        gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url);
  LkSession *session = lk_window_get_session (window);
  LkStore *store = lk_session_get_store (session);
  GListModel *cases = lk_window_get_cases (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkSyncClient) other = NULL;
  g_autoptr(LkStore) other_store = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) assign = NULL;
  g_autoptr(LkCase) on_server = NULL;
  g_autoptr(LkCase) local = NULL;
  g_autofree char *conflict_id = NULL;
  g_autofree char *conflict_receipt = NULL;
  g_autofree char *refused_id = NULL;
  g_autofree char *moved_id = NULL;
  g_autofree char *moved_receipt = NULL;
  g_autofree char *refused_receipt = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *db_path = NULL;
  LkConflictsDialog *dialog;
  GtkGrid *grid;
  GtkWidget *apply, *dismiss;
  guint applied = 0, conflicts = 0;
  gint64 max_seen = 0;
  int index, phone_row, email_row, state_row;

  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  WAIT_UNTIL (queue_is_loaded (window, n_cases_in_store (window)));
  g_assert_cmpint (lk_session_get_conflict_count (session), ==, 0);

  /* The officer of one kecamatan sees the cases of its unit only: one of
   * them is the case both desks edit, a submitted one the case both desks
   * move; one it cannot see is in a unit where it may not be the assignee. */
  open_other_desk (fixture, "petugas-kota", &other, &other_store);
  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(LkCase) kase = g_list_model_get_item (cases, i);
      g_autoptr(LkCase) seen = NULL;
      g_autoptr(GError) lookup_error = NULL;

      seen = lk_store_get_case (other_store, lk_case_get_id (kase), &lookup_error);
      if (seen != NULL && moved_id == NULL && lk_case_get_state (kase) == LK_CASE_STATE_SUBMITTED)
        {
          moved_id = g_strdup (lk_case_get_id (kase));
          moved_receipt = g_strdup (lk_case_get_receipt (kase));
        }
      else if (seen != NULL && conflict_id == NULL)
        {
          conflict_id = g_strdup (lk_case_get_id (kase));
          conflict_receipt = g_strdup (lk_case_get_receipt (kase));
        }
      else if (seen == NULL && refused_id == NULL)
        {
          refused_id = g_strdup (lk_case_get_id (kase));
          refused_receipt = g_strdup (lk_case_get_receipt (kase));
        }
    }
  g_assert_nonnull (conflict_id);
  g_assert_nonnull (refused_id);
  g_assert_nonnull (moved_id);
  select_case (window, moved_id);

  /* Offline, this desk starts verifying a case (through the window's
   * action), edits the phone and email of another, and assigns a third to
   * the kecamatan's officer. */
  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.case-transition", "s", "verifying"));
  WAIT_UNTIL (lk_session_get_outbox_count (session) == 1 &&
              !lk_case_view_get_busy (lk_window_get_case_view (window)));
  g_assert_null (lk_case_view_get_action_error (lk_window_get_case_view (window)));
  mine = contact_fields (MY_PHONE, MY_EMAIL);
  lk_outbox_put (store, "case", conflict_id, mine, NULL, &error);
  g_assert_no_error (error);
  assign = json_object_new ();
  json_object_set_string_member (assign, "assignee", "petugas-kota");
  lk_outbox_put (store, "case", refused_id, assign, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_OFFLINE &&
              lk_session_get_outbox_count (session) == 3);

  /* Meanwhile the other desk cancels the first case and edits the same
   * fields of the second on the server. */
  restart_server (fixture);
  lk_sync_client_login (other, LK_TEST_DEMO_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  theirs = contact_fields (THEIR_PHONE, THEIR_EMAIL);
  lk_outbox_put (other_store, "case", conflict_id, theirs, NULL, &error);
  g_assert_no_error (error);
  lk_outbox_transition (other_store, moved_id, LK_CASE_STATE_CANCELLED, "The applicant withdrew.", NULL,
                        "petugas-kota", LK_ROLE_OFFICER, NULL, &error);
  g_assert_no_error (error);
  lk_sync_client_push (other, other_store, NULL, &applied, &conflicts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 2);
  g_assert_cmpuint (conflicts, ==, 0);

  /* This desk syncs: two conflicts, one refusal, nothing left to push. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  WAIT_UNTIL (is_synced_and_empty (session) && lk_session_get_conflict_count (session) == 3);
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "3 conflicts");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.resolve-conflicts", NULL));
  dialog = lk_window_get_conflicts_dialog (window);
  g_assert_nonnull (dialog);
  WAIT_UNTIL (!lk_conflicts_dialog_get_loading (dialog) && lk_conflicts_dialog_get_n_conflicts (dialog) == 3);
  g_assert_null (lk_conflicts_dialog_get_error (dialog));
  apply = find_descendant (GTK_WIDGET (dialog), is_button_labelled, "_Apply");
  dismiss = find_descendant (GTK_WIDGET (dialog), is_button_labelled, "_Dismiss");
  g_assert_nonnull (apply);
  g_assert_nonnull (dismiss);
  grid = GTK_GRID (find_descendant (GTK_WIDGET (dialog), is_fields_grid, NULL));
  g_assert_nonnull (grid);

  /* The move: my state against theirs. Mine cannot follow a cancellation
   * (the window says why and keeps the conflict); theirs resolves it. */
  index = conflict_row_index (dialog, moved_receipt, NULL);
  g_assert_cmpint (index, >=, 0);
  g_assert_true (lk_conflicts_dialog_select (dialog, index));
  state_row = fields_grid_row (grid, "State");
  g_assert_cmpint (state_row, >, 0);
  g_assert_cmpstr (grid_cell_text (grid, 1, state_row), ==, lk_case_state_get_label (LK_CASE_STATE_VERIFYING));
  g_assert_cmpstr (grid_cell_text (grid, 2, state_row), ==, lk_case_state_get_label (LK_CASE_STATE_CANCELLED));
  g_assert_true (lk_conflicts_dialog_set_keep_mine (dialog, "to_state", TRUE));
  click (apply);
  WAIT_UNTIL (lk_conflicts_dialog_get_error (dialog) != NULL && gtk_widget_get_sensitive (apply));
  g_test_message ("Keeping my move: %s", lk_conflicts_dialog_get_error (dialog));
  g_assert_cmpint (lk_session_get_conflict_count (session), ==, 3);
  g_assert_cmpint (lk_outbox_count (store), ==, 0);
  g_assert_cmpuint (lk_conflicts_dialog_get_n_conflicts (dialog), ==, 3);

  g_assert_true (lk_conflicts_dialog_set_keep_mine (dialog, "to_state", FALSE));
  click (apply);
  WAIT_UNTIL (is_synced_and_empty (session) &&
              lk_session_get_conflict_count (session) == 2 &&
              !lk_conflicts_dialog_get_loading (dialog) &&
              lk_conflicts_dialog_get_n_conflicts (dialog) == 2);
  g_assert_null (lk_conflicts_dialog_get_error (dialog));
  g_assert_cmpint (conflict_row_index (dialog, moved_receipt, NULL), ==, -1);
  g_clear_object (&local);
  local = lk_store_get_case (store, moved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_case_get_state (local), ==, LK_CASE_STATE_CANCELLED);
  g_clear_object (&local);

  /* The conflict's row, and its fields: mine, theirs and a choice each. */
  index = conflict_row_index (dialog, conflict_receipt, &subtitle);
  g_assert_cmpint (index, >=, 0);
  g_assert_nonnull (strstr (subtitle, "changed on the server meanwhile"));
  g_assert_true (lk_conflicts_dialog_select (dialog, index));
  g_assert_cmpstr (grid_cell_text (grid, 3, 0), ==, "Keep");
  phone_row = fields_grid_row (grid, "Phone");
  email_row = fields_grid_row (grid, "Email");
  g_assert_cmpint (phone_row, >, 0);
  g_assert_cmpint (email_row, >, 0);
  g_assert_cmpstr (grid_cell_text (grid, 1, phone_row), ==, MY_PHONE);
  g_assert_cmpstr (grid_cell_text (grid, 2, phone_row), ==, THEIR_PHONE);
  g_assert_cmpstr (grid_cell_text (grid, 1, email_row), ==, MY_EMAIL);
  g_assert_cmpstr (grid_cell_text (grid, 2, email_row), ==, THEIR_EMAIL);
  g_assert_cmpuint (keep_choice (grid, phone_row), ==, 0);
  g_assert_cmpuint (keep_choice (grid, email_row), ==, 0);
  g_assert_true (gtk_widget_get_visible (apply));
  g_assert_true (gtk_widget_get_visible (dismiss));

  /* Keep my phone, take their email; Apply queues mine again and syncs. */
  g_assert_true (lk_conflicts_dialog_set_keep_mine (dialog, "phone", TRUE));
  g_assert_false (lk_conflicts_dialog_set_keep_mine (dialog, "no-such-field", TRUE));
  g_assert_cmpuint (keep_choice (grid, phone_row), ==, 1);
  g_assert_cmpuint (keep_choice (grid, email_row), ==, 0);
  g_signal_connect (session, "notify::outbox-count", G_CALLBACK (outbox_seen_cb), &max_seen);
  click (apply);
  WAIT_UNTIL (max_seen == 1 && is_synced_and_empty (session) &&
              lk_session_get_conflict_count (session) == 1 &&
              !lk_conflicts_dialog_get_loading (dialog) &&
              lk_conflicts_dialog_get_n_conflicts (dialog) == 1);
  g_signal_handlers_disconnect_by_func (session, outbox_seen_cb, &max_seen);
  g_assert_null (lk_conflicts_dialog_get_error (dialog));
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "1 conflict");
  g_assert_cmpint (conflict_row_index (dialog, conflict_receipt, NULL), ==, -1);

  on_server = server_case (fixture, conflict_id, NULL);
  g_assert_cmpstr (lk_case_get_phone (on_server), ==, MY_PHONE);
  g_assert_cmpstr (lk_case_get_email (on_server), ==, THEIR_EMAIL);
  local = lk_store_get_case (store, conflict_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_case_get_phone (local), ==, MY_PHONE);
  g_assert_cmpstr (lk_case_get_email (local), ==, THEIR_EMAIL);
  g_assert_cmpint (lk_case_get_version (local), ==, lk_case_get_version (on_server));

  /* The refused assignment: the server's reason, no choices, only Dismiss. */
  g_clear_pointer (&subtitle, g_free);
  index = conflict_row_index (dialog, refused_receipt, &subtitle);
  g_assert_cmpint (index, ==, 0);
  g_test_message ("Refused: %s", subtitle);
  g_assert_nonnull (strstr (subtitle, "refused: "));
  g_assert_nonnull (strstr (subtitle, "assignee"));
  g_assert_true (lk_conflicts_dialog_select (dialog, 0));
  g_assert_cmpstr (grid_cell_text (grid, 0, 0), ==, "Field");
  g_assert_null (gtk_grid_get_child_at (grid, 3, 0));
  g_assert_cmpint (fields_grid_row (grid, "Assigned to"), >, 0);
  g_assert_cmpstr (grid_cell_text (grid, 1, fields_grid_row (grid, "Assigned to")), ==, "petugas-kota");
  g_assert_false (gtk_widget_get_visible (apply));
  g_assert_true (gtk_widget_get_visible (dismiss));
  g_assert_false (lk_conflicts_dialog_set_keep_mine (dialog, "assignee", TRUE));

  click (dismiss);
  WAIT_UNTIL (lk_session_get_conflict_count (session) == 0 &&
              !lk_conflicts_dialog_get_loading (dialog) &&
              lk_conflicts_dialog_get_n_conflicts (dialog) == 0);
  WAIT_UNTIL (is_synced_and_empty (session));
  g_assert_null (lk_conflicts_dialog_get_error (dialog));
  g_assert_cmpstr (lk_window_get_sync_label (window), ==, "Synced");
  g_assert_cmpint (lk_outbox_count (store), ==, 0);
  g_assert_cmpint (lk_outbox_count_conflicts (store), ==, 0);

  /* The server kept the cancellation and no assignee. */
  g_clear_object (&on_server);
  on_server = server_case (fixture, moved_id, NULL);
  g_assert_cmpint (lk_case_get_state (on_server), ==, LK_CASE_STATE_CANCELLED);
  db_path = g_strdup (fixture->server->db_path);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  assignee = server_db_assignee (db_path, refused_id);
  g_assert_null (assignee);
}

static gboolean
write_file (const char *dir,
            const char *name,
            const char *contents,
            GFile     **out_file)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  *out_file = g_file_new_for_path (path);
  return TRUE;
}

/* Every new window is made and shown once: the conflicts dialog and the
 * certificate registration (whose errors read as sentences). */
static void
test_dialogs (Fixture       *fixture,
              gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url);
  LkConflictsDialog *conflicts;
  LkRegisterCertDialog *dialog;
  g_autoptr(GFile) not_pem = NULL;
  g_autoptr(GFile) bad_pem = NULL;

  conflicts = lk_window_show_conflicts (window);
  g_assert_true (lk_window_get_conflicts_dialog (window) == conflicts);
  WAIT_UNTIL (!lk_conflicts_dialog_get_loading (conflicts));
  g_assert_true (gtk_widget_get_realized (GTK_WIDGET (conflicts)));
  g_assert_cmpuint (lk_conflicts_dialog_get_n_conflicts (conflicts), ==, 0);
  g_assert_null (lk_conflicts_dialog_get_error (conflicts));
  gtk_window_destroy (GTK_WINDOW (conflicts));
  g_assert_null (lk_window_get_conflicts_dialog (window));

  /* An officer does not get the admin's menu item. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "register-certificate"));

  dialog = lk_application_show_register_certificate (app);
  g_assert_true (gtk_widget_get_realized (GTK_WIDGET (dialog)));
  lk_register_cert_dialog_set_username (dialog, "pejabat");

  write_file (fixture->tmpdir, "not.pem", "just some text\n", &not_pem);
  lk_register_cert_dialog_set_file (dialog, not_pem);
  lk_register_cert_dialog_register (dialog);
  WAIT_UNTIL (!lk_register_cert_dialog_get_busy (dialog));
  g_assert_null (lk_register_cert_dialog_get_fingerprint (dialog));
  g_assert_nonnull (strstr (lk_register_cert_dialog_get_error (dialog), "not a PEM certificate"));

  /* The server has the last word (here: an officer may not register). */
  write_file (fixture->tmpdir, "bad.pem",
              "-----BEGIN CERTIFICATE-----\nTUlJ\n-----END CERTIFICATE-----\n", &bad_pem);
  lk_register_cert_dialog_set_file (dialog, bad_pem);
  lk_register_cert_dialog_register (dialog);
  WAIT_UNTIL (!lk_register_cert_dialog_get_busy (dialog));
  g_assert_null (lk_register_cert_dialog_get_fingerprint (dialog));
  g_test_message ("Registration error: %s", lk_register_cert_dialog_get_error (dialog));
  g_assert_true (g_str_has_prefix (lk_register_cert_dialog_get_error (dialog), "The server refused the certificate: "));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  app = lk_app_test_application_new ();

  LK_APP_TEST_ADD ("/app/queue/sync-and-preview", 200, test_queue_and_preview);
  LK_APP_TEST_ADD ("/app/pdf/truncated", 20, test_truncated_pdf);
  LK_APP_TEST_ADD ("/app/offline/local-data", 30, test_offline);
  LK_APP_TEST_ADD ("/app/sign-in/wrong-password", 10, test_wrong_password);
  LK_APP_TEST_ADD ("/app/binary/command-line", 10, test_binary);
  g_test_add_func ("/app/store/unreadable", test_unreadable_store);
  LK_APP_TEST_ADD ("/app/sync/indicator", 10, test_sync_indicator);
  LK_APP_TEST_ADD ("/app/case/transition", 60, test_case_transition);
  LK_APP_TEST_ADD ("/app/case/offline-actions", 60, test_offline_actions);
  LK_APP_TEST_ADD ("/app/dialogs/conflicts-and-certificate", 10, test_dialogs);
  LK_APP_TEST_ADD ("/app/conflicts/resolve-and-dismiss", 60, test_conflicts_resolve);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
