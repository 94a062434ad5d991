/* lk-app-test-util.c — scaffolding shared by the app tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "lk-app-test-util.h"

#define SECRETS_NAME "org.freedesktop.secrets"

static char *system_data_dirs;   /* XDG_DATA_DIRS before the isolation */
static LkApplication *the_app;   /* not owned */
static GSubprocess *keyring_daemon;
static char *keyring_dir;

gboolean
lk_app_test_set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
lk_app_test_wait_begin (LkAppTestWait *wait,
                        guint          seconds,
                        guint          poll_ms)
{
  wait->timed_out = FALSE;
  wait->timeout_id = g_timeout_add_seconds (seconds, lk_app_test_set_true_cb, &wait->timed_out);
  wait->poll_id = poll_ms > 0 ? g_timeout_add (poll_ms, poll_cb, NULL) : 0;
}

void
lk_app_test_wait_end (LkAppTestWait *wait)
{
  if (!wait->timed_out)
    g_source_remove (wait->timeout_id);
  if (wait->poll_id != 0)
    g_source_remove (wait->poll_id);
  wait->timeout_id = 0;
  wait->poll_id = 0;
}

void
lk_app_test_init (int    *argc,
                  char ***argv)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto(GStrv) system_dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = NULL;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_free (system_data_dirs);
  system_data_dirs = g_strdup (data_dirs != NULL && *data_dirs != '\0' ? data_dirs : "/usr/local/share:/usr/share");
  system_dirs = g_strsplit (system_data_dirs, ":", -1);
  mime_dirs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (system_dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
}

const char *
lk_app_test_get_system_data_dirs (void)
{
  return system_data_dirs;
}

LkApplication *
lk_app_test_application_new (void)
{
  g_autoptr(GError) error = NULL;
  LkApplication *app = lk_application_new (G_APPLICATION_NON_UNIQUE);

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  the_app = app;
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &the_app);
  return app;
}

LkTestServer *
lk_app_test_server_start (const char *tmpdir,
                          guint       seed_cases)
{
  g_autofree char *db_path = g_build_filename (tmpdir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  LkTestServer *server;

  server = lk_test_server_start (db_path, 0, seed_cases, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server);
  return server;
}

void
lk_app_test_server_clear (LkTestServer **server,
                          char         **tmpdir)
{
  if (*server != NULL && (*server)->process != NULL)
    g_assert_true (lk_test_server_stop (*server, FALSE));
  g_clear_pointer (server, lk_test_server_free);
  if (*tmpdir != NULL)
    lk_test_rm_rf (*tmpdir);
  g_clear_pointer (tmpdir, g_free);
}

void
lk_app_test_close_all_windows (LkApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  /* Let pending callbacks of the closed windows run out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
lk_app_test_fixture_start (LkAppTestFixture *fixture,
                           const char       *name,
                           guint             seed_cases,
                           const char       *password)
{
  fixture->tmpdir = lk_test_make_tmpdir (name);
  fixture->server = lk_app_test_server_start (fixture->tmpdir, seed_cases);
  if (password != NULL)
    g_setenv ("LOKET_PASSWORD", password, TRUE);
  else
    g_unsetenv ("LOKET_PASSWORD");
}

void
lk_app_test_fixture_set_up (LkAppTestFixture *fixture,
                            gconstpointer     seed_cases)
{
  lk_app_test_fixture_start (fixture, "server", GPOINTER_TO_UINT (seed_cases), LK_TEST_DEMO_PASSWORD);
}

void
lk_app_test_fixture_tear_down (LkAppTestFixture *fixture,
                               gconstpointer     data)
{
  g_assert_nonnull (the_app);
  lk_app_test_close_all_windows (the_app);
  g_unsetenv ("LOKET_PASSWORD");
  lk_app_test_server_clear (&fixture->server, &fixture->tmpdir);
}

LkWindow *
lk_app_test_open_account (LkApplication *app,
                          const char    *url,
                          const char    *username)
{
  lk_application_open_account (app, url, username);
  WAIT_UNTIL (lk_application_get_window (app) != NULL);
  return lk_application_get_window (app);
}

LkWindow *
lk_app_test_open_window (LkApplication *app,
                         const char    *url,
                         const char    *username)
{
  LkWindow *window = lk_app_test_open_account (app, url, username);
  LkSession *session = lk_window_get_session (window);

  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED ||
              lk_session_get_status (session) == LK_SESSION_STATUS_OFFLINE ||
              lk_session_get_status (session) == LK_SESSION_STATUS_FAILED);
  return window;
}

LkStore *
lk_app_test_pull_server_store (const char *url,
                               const char *username,
                               const char *tmpdir)
{
  static guint n_scratch;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkSyncClient) client = NULL;
  g_autofree char *name = g_strdup_printf ("scratch-%u.db", n_scratch++);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  LkStore *store;

  client = lk_sync_client_new (url, username, &error);
  g_assert_no_error (error);
  lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  lk_sync_client_pull (client, store, LK_SYNC_DEFAULT_PAGE, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return store;
}

void
lk_app_test_maybe_save_screenshot (GtkWidget *window)
{
  const char *path = g_getenv ("LOKET_TEST_SCREENSHOT");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *content;
  gboolean drawn = FALSE;

  if (path == NULL || *path == '\0')
    return;

  /* The main window, or an AdwWindow such as the template editor. */
  if (ADW_IS_APPLICATION_WINDOW (window))
    content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  else if (ADW_IS_WINDOW (window))
    content = adw_window_get_content (ADW_WINDOW (window));
  else
    content = gtk_window_get_child (GTK_WINDOW (window));
  paintable = gtk_widget_paintable_new (content);
  /* The paintable gets its image when the widget is drawn next. */
  g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (lk_app_test_set_true_cb), &drawn);
  gtk_widget_queue_draw (content);
  WAIT_UNTIL (drawn);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (content), gtk_widget_get_height (content));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_test_message ("Nothing drawn yet: no screenshot");
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

const SecretSchema *
lk_app_test_secret_schema (void)
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
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

void
lk_app_test_keyring_daemon_start (void)
{
  static const char throwaway[] = "loket-test-keyring";
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *runtime_dir = NULL;
  GOutputStream *input;
  gboolean appeared = FALSE;
  guint watch_id;

  g_assert_null (keyring_daemon);
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
   * D-Bus activates with the wrong home. Polls too, for the daemon's end. */
  watch_id = g_bus_watch_name (G_BUS_TYPE_SESSION, SECRETS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                               name_appeared_cb, NULL, &appeared, NULL);
  LK_APP_TEST_WAIT_UNTIL (appeared || g_subprocess_get_identifier (keyring_daemon) == NULL, 120, 50);
  g_bus_unwatch_name (watch_id);
  g_assert_nonnull (g_subprocess_get_identifier (keyring_daemon));
}

void
lk_app_test_keyring_daemon_stop (void)
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
