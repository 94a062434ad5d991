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
#include "lk-application.h"
#include "lk-test-util.h"

/* Only a guard against hangs; nothing is asserted about timing. */
#define WAIT_SECONDS 120
#define DEMO_USER    "petugas"

static LkApplication *app;
static char *system_data_dirs;   /* XDG_DATA_DIRS before the isolation */

typedef struct
{
  char         *tmpdir;
  LkTestServer *server;
} Fixture;

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond)                                                  \
  G_STMT_START {                                                          \
    gboolean timed_out_ = FALSE;                                          \
    guint id_ = g_timeout_add_seconds (WAIT_SECONDS, set_true_cb,         \
                                       &timed_out_);                      \
    while (!(cond) && !timed_out_)                                        \
      g_main_context_iteration (NULL, TRUE);                              \
    if (!timed_out_)                                                      \
      g_source_remove (id_);                                              \
    g_assert_true (cond);                                                 \
  } G_STMT_END

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  guint seed_cases = GPOINTER_TO_UINT (data);
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = lk_test_make_tmpdir ("server");
  db_path = g_build_filename (fixture->tmpdir, "server.db", NULL);
  fixture->server = lk_test_server_start (db_path, 0, seed_cases, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);

  g_setenv ("LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);
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
  g_unsetenv ("LOKET_PASSWORD");

  if (fixture->server != NULL && fixture->server->process != NULL)
    g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  g_clear_pointer (&fixture->server, lk_test_server_free);
  lk_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

/* Opens the demo account and waits for the window and the end of the
 * first sync (whatever its outcome). */
static LkWindow *
open_window (const char *url)
{
  LkWindow *window;
  LkSession *session;

  lk_application_open_account (app, url, DEMO_USER);
  WAIT_UNTIL (lk_application_get_window (app) != NULL);
  window = lk_application_get_window (app);
  session = lk_window_get_session (window);
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED ||
              lk_session_get_status (session) == LK_SESSION_STATUS_OFFLINE ||
              lk_session_get_status (session) == LK_SESSION_STATUS_FAILED);
  return window;
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

/* With LOKET_TEST_SCREENSHOT=FILE.png, saves what the window shows (for a
 * person to look at; nothing is asserted on pixels). */
static void
maybe_save_screenshot (GtkWidget *widget)
{
  const char *path = g_getenv ("LOKET_TEST_SCREENSHOT");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  gboolean drawn = FALSE;

  if (path == NULL || *path == '\0')
    return;

  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  widget = adw_application_window_get_content (ADW_APPLICATION_WINDOW (widget));
  paintable = gtk_widget_paintable_new (widget);
  /* The paintable gets its image when the widget is drawn next. */
  g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (set_true_cb), &drawn);
  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (drawn);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_test_message ("Nothing drawn yet: no screenshot");
      return;
    }
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
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

  maybe_save_screenshot (GTK_WIDGET (window));

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
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
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

  close_all_windows ();
  g_unsetenv ("LOKET_PASSWORD");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) system_dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = NULL;
  int ret;

  /* The isolated XDG dirs hide the system's org.gnome.system.proxy schema,
   * which GIO's GNOME proxy resolver would abort on; loopback needs no proxy. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  /* The isolated XDG dirs also hide the shared MIME database, without which
   * GdkPixbuf cannot tell an SVG icon from garbage: keep the system one. */
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS") != NULL && *g_getenv ("XDG_DATA_DIRS") != '\0'
                               ? g_getenv ("XDG_DATA_DIRS") : "/usr/local/share:/usr/share");
  system_dirs = g_strsplit (system_data_dirs, ":", -1);
  mime_dirs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (system_dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);

  app = lk_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/app/queue/sync-and-preview", Fixture, GUINT_TO_POINTER (200),
              fixture_set_up, test_queue_and_preview, fixture_tear_down);
  g_test_add ("/app/pdf/truncated", Fixture, GUINT_TO_POINTER (20),
              fixture_set_up, test_truncated_pdf, fixture_tear_down);
  g_test_add ("/app/offline/local-data", Fixture, GUINT_TO_POINTER (30),
              fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/app/sign-in/wrong-password", Fixture, GUINT_TO_POINTER (10),
              fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/app/binary/command-line", Fixture, GUINT_TO_POINTER (10),
              fixture_set_up, test_binary, fixture_tear_down);
  g_test_add_func ("/app/store/unreadable", test_unreadable_store);

  ret = g_test_run ();

  g_clear_object (&app);
  g_free (system_data_dirs);
  return ret;
}
