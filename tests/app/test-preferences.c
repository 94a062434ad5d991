/* test-preferences.c — the preferences window, against a real loket-server,
 * a SoftHSM2 module and a throwaway Secret Service
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"
/* WAIT_UNTIL polls too (every 50 ms), for conditions no event announces. */
#define WAIT_POLL_MS 50

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "lk-app-setup.h"
#include "lk-application.h"
#include "model/lk-case.h"
#include "lk-stamp-preview.h"
#include "lk-test-token.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define DEMO_USER    "petugas"

static LkApplication *app;

typedef struct
{
  char         *tmpdir;
  LkTestServer *server;
  GSettings    *settings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = lk_test_make_tmpdir ("prefs");
  fixture->settings = lk_app_settings_new ();
  g_assert_nonnull (fixture->settings);

  if (data == NULL)
    return;

  fixture->server = lk_app_test_server_start (fixture->tmpdir, 10);
  g_setenv ("LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char * const keys[] = { "pkcs11-modules", "signature-visible", "signature-reason",
                                "signature-location", "signature-image", "language",
                                "server-url", "username" };

  lk_app_test_close_all_windows (app);
  g_unsetenv ("LOKET_PASSWORD");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (fixture->settings, keys[i]);
  g_clear_object (&fixture->settings);

  lk_app_test_server_clear (&fixture->server, &fixture->tmpdir);
}

static LkWindow *
open_window (const char *url)
{
  LkWindow *window = lk_app_test_open_account (app, url, DEMO_USER);
  LkSession *session = lk_window_get_session (window);

  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED);
  return window;
}

static gpointer
child (LkPreferencesWindow *preferences,
       const char          *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (preferences), LK_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static LkPreferencesWindow *
open_preferences (void)
{
  LkPreferencesWindow *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = lk_application_get_preferences (app);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preferences)));
  WAIT_UNTIL (!lk_preferences_window_get_busy (preferences));
  return preferences;
}

/* Every page is built and drawn; the account's rows show the session. */
static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  const char * const pages[] = { "account", "signing", "language" };
  LkWindow *window = open_window (fixture->server->url);
  LkSession *session = lk_window_get_session (window);
  LkPreferencesWindow *preferences;
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  preferences = open_preferences ();
  g_assert_true (lk_preferences_window_get_session (preferences) == session);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), pages[i]);
      g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)),
                       ==, pages[i]);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  g_assert_cmpstr (adw_action_row_get_subtitle (child (preferences, "server_row")), ==,
                   fixture->server->url);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (preferences, "user_row")), ==, DEMO_USER);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (preferences, "role_row")), ==,
                   lk_role_get_label (LK_ROLE_OFFICER));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (preferences, "sync_row")), ==,
                   lk_session_get_status_message (session));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));

  /* p11-kit's registry of this system (at least its trust module). */
  g_assert_cmpint (lk_preferences_window_get_n_registered (preferences), >, 0);

  /* The same window is raised, not a second one. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (lk_application_get_preferences (app) == preferences);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_modules (Fixture       *fixture,
              gconstpointer  data)
{
  LkPreferencesWindow *preferences = open_preferences ();
  const char *softhsm = lk_test_token_module_path ();
  g_autofree char *text = write_file (fixture->tmpdir, "not-a-module.so", "this is not a shared library\n");
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "missing.so", NULL);
  g_auto(GStrv) stored = NULL;
  GtkWidget *no_added_row = child (preferences, "no_added_row");
  GtkWidget *error_label = child (preferences, "module_error_label");

  g_assert_null (lk_preferences_window_get_session (preferences));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));
  g_assert_true (gtk_widget_get_visible (no_added_row));
  /* p11-kit's registry of this system (at least its trust module). */
  g_assert_cmpint (lk_preferences_window_get_n_registered (preferences), >, 0);

  /* A file that is no module: a clear error, nothing stored. */
  lk_preferences_window_add_module_file (preferences, text);
  g_assert_true (lk_preferences_window_get_busy (preferences));
  WAIT_UNTIL (!lk_preferences_window_get_busy (preferences));
  g_assert_nonnull (lk_preferences_window_get_module_error (preferences));
  g_test_message ("Error: %s", lk_preferences_window_get_module_error (preferences));
  g_assert_true (strstr (lk_preferences_window_get_module_error (preferences),
                         "“not-a-module.so” is not a PKCS#11 module") != NULL);
  g_assert_true (gtk_widget_get_visible (error_label));
  stored = g_settings_get_strv (fixture->settings, "pkcs11-modules");
  g_assert_cmpuint (g_strv_length (stored), ==, 0);
  g_clear_pointer (&stored, g_strfreev);

  lk_preferences_window_add_module_file (preferences, missing);
  WAIT_UNTIL (!lk_preferences_window_get_busy (preferences));
  g_assert_true (strstr (lk_preferences_window_get_module_error (preferences), "does not exist") != NULL);
  stored = g_settings_get_strv (fixture->settings, "pkcs11-modules");
  g_assert_cmpuint (g_strv_length (stored), ==, 0);
  g_clear_pointer (&stored, g_strfreev);

  /* SoftHSM's module: loaded, stored, listed; the error goes. */
  if (softhsm == NULL)
    {
      g_test_skip ("SoftHSM2 is not installed");
      return;
    }
  lk_preferences_window_add_module_file (preferences, softhsm);
  WAIT_UNTIL (!lk_preferences_window_get_busy (preferences));
  g_assert_null (lk_preferences_window_get_module_error (preferences));
  g_assert_false (gtk_widget_get_visible (error_label));
  stored = g_settings_get_strv (fixture->settings, "pkcs11-modules");
  g_assert_cmpuint (g_strv_length (stored), ==, 1);
  g_assert_cmpstr (stored[0], ==, softhsm);
  g_clear_pointer (&stored, g_strfreev);
  g_assert_false (gtk_widget_get_visible (no_added_row));

  /* Twice is once. */
  lk_preferences_window_add_module_file (preferences, softhsm);
  WAIT_UNTIL (!lk_preferences_window_get_busy (preferences));
  stored = g_settings_get_strv (fixture->settings, "pkcs11-modules");
  g_assert_cmpuint (g_strv_length (stored), ==, 1);
  g_clear_pointer (&stored, g_strfreev);

  lk_preferences_window_remove_module_file (preferences, softhsm);
  stored = g_settings_get_strv (fixture->settings, "pkcs11-modules");
  g_assert_cmpuint (g_strv_length (stored), ==, 0);
  g_assert_true (gtk_widget_get_visible (no_added_row));
}

static char *
write_png (const char *dir,
           const char *name)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar pixels[16 * 8 * 4];
  char *path = g_build_filename (dir, name, NULL);

  for (guint i = 0; i < sizeof pixels; i += 4)
    {
      pixels[i] = (guchar) (i * 7);
      pixels[i + 1] = 0x40;
      pixels[i + 2] = 0x80;
      pixels[i + 3] = 0xff;
    }
  bytes = g_bytes_new (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (16, 8, GDK_MEMORY_R8G8B8A8, bytes, 16 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}

static void
test_signature (Fixture       *fixture,
                gconstpointer  data)
{
  LkPreferencesWindow *preferences = open_preferences ();
  g_autofree char *png = write_png (fixture->tmpdir, "seal.png");
  g_autofree char *not_png = write_file (fixture->tmpdir, "seal.png.txt", "no image\n");
  g_autofree char *image = NULL;
  GtkSwitch *visible = child (preferences, "visible_switch");
  GtkEditable *reason = child (preferences, "reason_entry");
  GtkEditable *location = child (preferences, "location_entry");
  LkStampPreview *preview = child (preferences, "stamp_preview");
  g_autofree char *text = NULL;

  /* Controls → GSettings */
  g_assert_true (gtk_switch_get_active (visible));
  gtk_switch_set_active (visible, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->settings, "signature-visible"));
  g_assert_false (gtk_widget_get_visible (child (preferences, "stamp_preview")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "preview_invisible_label")));
  gtk_switch_set_active (visible, TRUE);
  g_assert_true (gtk_widget_get_visible (child (preferences, "stamp_preview")));

  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (reason)), ==, lk_app_default_signature_reason ());
  text = lk_stamp_preview_dup_text (preview);
  g_assert_true (strstr (text, lk_app_default_signature_reason ()) != NULL);
  g_assert_true (g_str_has_suffix (text, "\nLocation: Pontianak"));
  g_clear_pointer (&text, g_free);
  gtk_editable_set_text (reason, "Disetujui");
  image = g_settings_get_string (fixture->settings, "signature-reason");
  g_assert_cmpstr (image, ==, "Disetujui");
  g_clear_pointer (&image, g_free);
  gtk_editable_set_text (location, "");
  text = lk_stamp_preview_dup_text (preview);
  g_assert_true (g_str_has_suffix (text, "\nReason: Disetujui"));
  g_clear_pointer (&text, g_free);

  /* GSettings → controls */
  g_settings_set_string (fixture->settings, "signature-location", "Singkawang");
  g_assert_cmpstr (gtk_editable_get_text (location), ==, "Singkawang");
  text = lk_stamp_preview_dup_text (preview);
  g_assert_true (g_str_has_suffix (text, "\nLocation: Singkawang"));
  g_clear_pointer (&text, g_free);

  /* An image that is no PNG: the error, nothing stored. */
  lk_preferences_window_set_signature_image (preferences, not_png);
  WAIT_UNTIL (!lk_preferences_window_get_busy (preferences));
  g_assert_nonnull (lk_preferences_window_get_image_error (preferences));
  g_test_message ("Error: %s", lk_preferences_window_get_image_error (preferences));
  g_assert_true (gtk_widget_get_visible (child (preferences, "image_error_label")));
  image = g_settings_get_string (fixture->settings, "signature-image");
  g_assert_cmpstr (image, ==, "");
  g_clear_pointer (&image, g_free);
  g_assert_false (gtk_widget_get_sensitive (child (preferences, "image_remove_button")));

  /* A PNG: stored and previewed; then removed. */
  lk_preferences_window_set_signature_image (preferences, png);
  WAIT_UNTIL (!lk_preferences_window_get_busy (preferences));
  g_assert_null (lk_preferences_window_get_image_error (preferences));
  image = g_settings_get_string (fixture->settings, "signature-image");
  g_assert_cmpstr (image, ==, png);
  g_clear_pointer (&image, g_free);
  g_assert_true (GDK_IS_TEXTURE (lk_stamp_preview_get_image (preview)));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (lk_stamp_preview_get_image (preview))), ==, 16);
  g_assert_true (gtk_widget_get_sensitive (child (preferences, "image_remove_button")));

  g_signal_emit_by_name (child (preferences, "image_remove_button"), "clicked");
  image = g_settings_get_string (fixture->settings, "signature-image");
  g_assert_cmpstr (image, ==, "");
  g_assert_null (lk_stamp_preview_get_image (preview));
}

static void
test_language (Fixture       *fixture,
               gconstpointer  data)
{
  LkPreferencesWindow *preferences = open_preferences ();
  AdwComboRow *row = child (preferences, "language_row");
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autofree char *language = NULL;

  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  adw_combo_row_set_selected (row, 2);
  language = g_settings_get_string (fixture->settings, "language");
  g_assert_cmpstr (language, ==, "id");
  g_clear_pointer (&language, g_free);
  adw_combo_row_set_selected (row, 1);
  language = g_settings_get_string (fixture->settings, "language");
  g_assert_cmpstr (language, ==, "en");
  g_clear_pointer (&language, g_free);

  g_settings_set_string (fixture->settings, "language", "");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  /* What main() does at the next start. */
  g_setenv ("LANGUAGE", "xx", TRUE);
  lk_app_apply_language ();
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "xx");
  g_settings_set_string (fixture->settings, "language", "id");
  lk_app_apply_language ();
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "id");

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The notes the server has: a second client pulls into a scratch store. */
static gint64
server_notes (Fixture *fixture)
{
  g_autoptr(LkStore) store = lk_app_test_pull_server_store (fixture->server->url, DEMO_USER, fixture->tmpdir);

  return lk_store_count (store, LK_KIND_NOTE);
}

/* Whether the keyring holds a password for the account (never printed). */
static gboolean
keyring_holds (const char *url)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_sync (lk_app_test_secret_schema (), NULL, &error,
                                          "server", url, "user", DEMO_USER, NULL);
  g_assert_no_error (error);
  if (password == NULL)
    return FALSE;
  secret_password_free (password);
  return TRUE;
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *url = g_strdup (fixture->server->url);
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 notes_before;
  guint16 port;
  g_autofree char *store_path = NULL;
  g_autofree char *username = NULL;
  LkWindow *window;
  LkSession *session;
  AdwMessageDialog *dialog;
  LkSignInDialog *sign_in;

  g_assert_true (secret_password_store_sync (lk_app_test_secret_schema (), SECRET_COLLECTION_DEFAULT, "Loket test",
                                             LK_TEST_DEMO_PASSWORD, NULL, &error,
                                             "server", url, "user", DEMO_USER, NULL));
  g_assert_no_error (error);
  g_assert_true (keyring_holds (url));

  window = open_window (url);
  session = lk_window_get_session (window);
  store_path = g_strdup (lk_session_get_store_path (session));
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  g_settings_set_string (fixture->settings, "username", DEMO_USER);

  /* A change made offline waits in the outbox. */
  WAIT_UNTIL (g_list_model_get_n_items (lk_window_get_cases (window)) > 0);
  notes_before = server_notes (fixture);
  db_path = g_strdup (fixture->server->db_path);
  port = fixture->server->port;
  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  {
    g_autoptr(LkCase) first = g_list_model_get_item (lk_window_get_cases (window), 0);
    g_autoptr(GAsyncResult) result = NULL;

    g_assert_nonnull (first);
    lk_session_add_note_async (session, lk_case_get_id (first), "Dicatat sebelum keluar", NULL,
                               result_cb, &result);
    WAIT_UNTIL (result != NULL);
    g_assert_true (lk_session_add_note_finish (session, result, &error));
    g_assert_no_error (error);
  }
  WAIT_UNTIL (lk_session_get_outbox_count (session) == 1);

  open_preferences ();

  /* Cancel keeps everything. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  dialog = lk_application_confirm_sign_out (app);
  g_assert_nonnull (dialog);
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog), "1 change is waiting to be sent. "));
  g_assert_true (strstr (adw_message_dialog_get_body (dialog), "kept on this computer") != NULL);
  adw_message_dialog_response (dialog, "cancel");
  g_assert_true (lk_application_get_window (app) == window);
  g_assert_nonnull (lk_application_get_preferences (app));

  dialog = lk_application_confirm_sign_out (app);
  adw_message_dialog_response (dialog, "sign-out");

  WAIT_UNTIL (lk_application_get_window (app) == NULL);
  g_assert_null (lk_application_get_preferences (app));
  sign_in = lk_application_get_sign_in_dialog (app);
  g_assert_nonnull (sign_in);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sign_in)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));
  username = g_settings_get_string (fixture->settings, "username");
  g_assert_cmpstr (username, ==, "");

  /* The session goes (its sync stops, its password is wiped); its local
   * store, with the outbox, stays for the next sign-in. */
  WAIT_UNTIL (session == NULL);
  g_assert_true (g_file_test (store_path, G_FILE_TEST_EXISTS));

  /* The keyring forgot the password. */
  WAIT_UNTIL (!keyring_holds (url));

  /* The next sign-in of the same account sends the change. */
  g_clear_pointer (&fixture->server, lk_test_server_free);
  fixture->server = lk_test_server_start (db_path, port, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->server->url, ==, url);
  lk_sign_in_dialog_submit (sign_in, url, DEMO_USER, LK_TEST_DEMO_PASSWORD);
  WAIT_UNTIL (lk_application_get_window (app) != NULL);
  session = lk_window_get_session (lk_application_get_window (app));
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED &&
              lk_session_get_outbox_count (session) == 0);
  WAIT_UNTIL (keyring_holds (url));
  g_assert_cmpint (server_notes (fixture), ==, notes_before + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTestToken) token = NULL;
  int ret;

  lk_app_test_init (&argc, &argv);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No private D-Bus session (run it through run-under-xvfb.sh)");
      return g_test_run ();
    }

  /* SoftHSM's configuration, before any module is loaded. */
  if (lk_test_token_module_path () != NULL)
    {
      token = lk_test_token_new ("prefs", FALSE, &error);
      g_assert_no_error (error);
    }

  lk_app_test_keyring_daemon_start ();

  app = lk_app_test_application_new ();

  g_test_add ("/preferences/pages", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/preferences/modules", Fixture, NULL,
              fixture_set_up, test_modules, fixture_tear_down);
  g_test_add ("/preferences/signature", Fixture, NULL,
              fixture_set_up, test_signature, fixture_tear_down);
  g_test_add ("/preferences/language", Fixture, NULL,
              fixture_set_up, test_language, fixture_tear_down);
  g_test_add ("/preferences/sign-out", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sign_out, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&token, lk_test_token_free);
  lk_test_token_cleanup ();
  lk_app_test_keyring_daemon_stop ();
  return ret;
}
