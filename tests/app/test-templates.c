/* test-templates.c — the administrator's letter template editor under Xvfb
 * against a real loket-server: a template with an unknown field is refused
 * inline and cannot be saved; a good edit is saved through the outbox and
 * lands on the server as a new version; only admins get the editor
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "letter/lk-letter-template.h"
#include "lk-application.h"
#include "lk-template-editor.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define SEED_CASES 20

static LkApplication *app;

typedef LkAppTestFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  lk_app_test_fixture_start (fixture, "templates", SEED_CASES, LK_TEST_DEMO_PASSWORD);
}

/* One value of the server's database (read-only, as the server runs). */
static char *
server_text (Fixture    *fixture,
             const char *sql,
             const char *arg)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->server->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static LkTemplateEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LK_IS_TEMPLATE_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return LK_TEMPLATE_EDITOR (window);
    }
  return NULL;
}

static gboolean
editor_settled (LkTemplateEditor *editor)
{
  return !lk_template_editor_get_loading (editor) && !lk_template_editor_get_preview_busy (editor) &&
         !lk_template_editor_get_saving (editor);
}

static GtkWidget *
save_button (LkTemplateEditor *editor)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), LK_TYPE_TEMPLATE_EDITOR, "save_button"));
}

/* The admin opens the editor (Ctrl+Shift+T's action), sees the service
 * type's template and its preview, types an unknown field (refused, Save
 * off), then a good subject (saved, synced, a new version on the server). */
static void
test_edit_and_save (Fixture       *fixture,
                    gconstpointer  data)
{
  LkWindow *window = lk_app_test_open_window (app, fixture->server->url, "admin");
  LkSession *session = lk_window_get_session (window);
  g_autofree char *service_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *body = NULL;
  g_autofree char *version = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *typed = NULL;
  gint64 old_version;
  LkTemplateEditor *editor;
  LkPdfView *preview;

  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_cmpint (lk_session_get_role (session), ==, LK_ROLE_ADMIN);
  service_id = server_text (fixture, "SELECT id FROM service_types WHERE ?1 IS NULL ORDER BY code LIMIT 1", NULL);
  g_assert_nonnull (service_id);
  before = server_text (fixture, "SELECT version FROM templates WHERE id = ?1", service_id);
  old_version = before != NULL ? g_ascii_strtoll (before, NULL, 10) : 0;

  g_assert_null (find_editor ());
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-templates", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  WAIT_UNTIL (lk_template_editor_get_service_type (editor) != NULL && editor_settled (editor));
  g_assert_true (lk_template_editor_select_service (editor, service_id));
  WAIT_UNTIL (g_strcmp0 (lk_template_editor_get_service_type (editor), service_id) == 0 &&
              editor_settled (editor));
  g_test_message ("%s", lk_template_editor_get_version_text (editor));
  g_assert_nonnull (lk_template_editor_get_version_text (editor));
  g_assert_null (lk_template_editor_get_error (editor));
  g_assert_false (lk_template_editor_get_can_save (editor));

  /* The preview of what is shown renders. */
  preview = lk_template_editor_get_preview (editor);
  WAIT_UNTIL (lk_pdf_view_get_n_pages (preview) > 0 || lk_pdf_view_get_error (preview) != NULL);
  g_assert_null (lk_pdf_view_get_error (preview));

  /* An unknown field: said inline, Save off. */
  body = lk_template_editor_get_text (editor, LK_TEMPLATE_MEMBER_BODY);
  typed = g_strconcat (body, "\n\nNama: {{nama}}", NULL);
  lk_template_editor_set_text (editor, LK_TEMPLATE_MEMBER_BODY, typed);
  WAIT_UNTIL (lk_template_editor_get_error (editor) != NULL && editor_settled (editor));
  g_test_message ("refused: %s", lk_template_editor_get_error (editor));
  g_assert_nonnull (strstr (lk_template_editor_get_error (editor), "nama"));
  g_assert_false (lk_template_editor_get_can_save (editor));
  g_assert_false (gtk_widget_is_sensitive (save_button (editor)));

  /* Back to the body as it was, with a field inserted from the list, and
   * a new subject: valid, Save on. */
  lk_template_editor_set_text (editor, LK_TEMPLATE_MEMBER_BODY, body);
  gtk_widget_grab_focus (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (editor), LK_TYPE_TEMPLATE_EDITOR,
                                                                    "body_view")));
  lk_template_editor_insert_field (editor, "receipt");
  lk_template_editor_set_text (editor, LK_TEMPLATE_MEMBER_SUBJECT, "Surat Keterangan Templat Uji");
  WAIT_UNTIL (lk_template_editor_get_error (editor) == NULL && lk_template_editor_get_can_save (editor));
  g_assert_true (gtk_widget_is_sensitive (save_button (editor)));
  {
    g_autofree char *now = lk_template_editor_get_text (editor, LK_TEMPLATE_MEMBER_BODY);

    g_assert_nonnull (strstr (now, "{{receipt}}"));
  }

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  WAIT_UNTIL (!lk_template_editor_get_saving (editor));
  g_assert_null (lk_template_editor_get_error (editor));

  /* Pushed: the server holds the new body as the next version. */
  WAIT_UNTIL (lk_session_get_outbox_count (session) == 0 &&
              lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED);
  g_assert_cmpint (lk_session_get_conflict_count (session), ==, 0);
  subject = server_text (fixture, "SELECT json_extract (body, '$.subject') FROM templates WHERE id = ?1", service_id);
  g_assert_cmpstr (subject, ==, "Surat Keterangan Templat Uji");
  version = server_text (fixture, "SELECT version FROM templates WHERE id = ?1", service_id);
  g_assert_nonnull (version);
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, old_version + 1);
  {
    g_autofree char *on_server = server_text (fixture, "SELECT body FROM templates WHERE id = ?1", service_id);

    g_assert_nonnull (strstr (on_server, "{{receipt}}"));
  }

  /* The editor says which version it shows and who saved it. */
  {
    g_autofree char *expected = g_strdup_printf ("Version %s, saved by admin", version);

    WAIT_UNTIL (lk_template_editor_get_version_text (editor) != NULL &&
                g_str_has_prefix (lk_template_editor_get_version_text (editor), expected));
  }
  g_assert_false (lk_template_editor_get_can_save (editor));
  lk_app_test_maybe_save_screenshot (GTK_WIDGET (editor));
}

/* Another admin saved the template meanwhile: the save meets a conflict,
 * the editor says so, and Resolve opens the conflicts window. */
static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  LkWindow *window = lk_app_test_open_window (app, fixture->server->url, "admin");
  LkSession *session = lk_window_get_session (window);
  g_autofree char *service_id = NULL;
  LkTemplateEditor *editor;
  sqlite3 *db = NULL;
  char *sql;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-templates", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  WAIT_UNTIL (lk_template_editor_get_service_type (editor) != NULL && editor_settled (editor));
  service_id = g_strdup (lk_template_editor_get_service_type (editor));
  lk_template_editor_set_text (editor, LK_TEMPLATE_MEMBER_SUBJECT, "Perihal dari meja ini");
  WAIT_UNTIL (lk_template_editor_get_can_save (editor));

  /* The other admin's save, straight into the server's database. */
  g_assert_cmpint (sqlite3_open_v2 (fixture->server->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sql = sqlite3_mprintf ("UPDATE templates SET body = json_set (body, '$.subject', 'Perihal dari meja lain'), "
                         "version = version + 1 WHERE id = %Q", service_id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_free (sql);
  sqlite3_close (db);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  WAIT_UNTIL (lk_session_get_conflict_count (session) > 0);
  WAIT_UNTIL (lk_template_editor_get_conflict (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.resolve-conflicts", NULL);
  g_assert_nonnull (lk_window_get_conflicts_dialog (window));
  {
    g_autofree char *subject = server_text (fixture, "SELECT json_extract (body, '$.subject') FROM templates "
                                                     "WHERE id = ?1", service_id);

    /* Never a silent overwrite. */
    g_assert_cmpstr (subject, ==, "Perihal dari meja lain");
  }
}

/* A PNG that is no PNG is refused with a sentence; a real one is
 * uploaded. */
static void
test_bad_logo (Fixture       *fixture,
               gconstpointer  data)
{
  LkWindow *window = lk_app_test_open_window (app, fixture->server->url, "admin");
  g_autofree char *path = g_build_filename (fixture->tmpdir, "logo.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LkTemplateEditor *editor;

  g_file_set_contents (path, "<svg xmlns='http://www.w3.org/2000/svg'/>", -1, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-templates", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  WAIT_UNTIL (lk_template_editor_get_service_type (editor) != NULL && editor_settled (editor));

  lk_template_editor_set_logo_file (editor, file);
  WAIT_UNTIL (!lk_template_editor_get_logo_busy (editor));
  g_assert_nonnull (lk_template_editor_get_error (editor));
  g_assert_nonnull (strstr (lk_template_editor_get_error (editor), "PNG"));
  g_assert_null (lk_template_editor_get_logo (editor));

  /* A real PNG: kept, uploaded, and the template may be saved with it. */
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 64, 64);
    cairo_t *cr = cairo_create (surface);
    g_autofree char *token = NULL;
    g_autofree char *blob = NULL;
    g_autoptr(LkTestReply) reply = NULL;

    cairo_set_source_rgb (cr, 0.1, 0.4, 0.2);
    cairo_paint (cr);
    cairo_destroy (cr);
    g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (surface);

    lk_template_editor_set_logo_file (editor, file);
    WAIT_UNTIL (!lk_template_editor_get_logo_busy (editor));
    g_assert_nonnull (lk_template_editor_get_logo (editor));
    WAIT_UNTIL (lk_template_editor_get_can_save (editor) || lk_template_editor_get_error (editor) != NULL);
    g_assert_null (lk_template_editor_get_error (editor));

    token = lk_test_sign_in (fixture->server->url, "admin", LK_TEST_DEMO_PASSWORD);
    blob = g_strdup_printf ("/api/v1/blobs/%s", lk_template_editor_get_logo (editor));
    reply = lk_test_http (fixture->server->url, "GET", blob, token, NULL, 0, NULL);
    g_assert_cmpuint (reply->status, ==, 200);
  }
}

/* An officer has no editor: the action does nothing. */
static void
test_not_admin (Fixture       *fixture,
                gconstpointer  data)
{
  LkWindow *window = lk_app_test_open_window (app, fixture->server->url, "petugas");

  g_assert_cmpint (lk_session_get_role (lk_window_get_session (window)), ==, LK_ROLE_OFFICER);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-templates", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_editor ());
}

/* The message dialog the editor asks with, or NULL. */
static AdwMessageDialog *
find_discard_dialog (LkTemplateEditor *editor)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (editor))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Answers DIALOG as a click on the button RESPONSE does: the response,
 * then the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

/* Unsaved edits are not dropped without asking: choosing another service
 * type or closing the editor asks first; Keep Editing keeps the text and
 * the service type, Discard goes on. */
static void
test_discard (Fixture       *fixture,
              gconstpointer  data)
{
  LkWindow *window = lk_app_test_open_window (app, fixture->server->url, "admin");
  AdwComboRow *service_row;
  AdwMessageDialog *dialog;
  LkTemplateEditor *editor;
  g_autofree char *first = NULL;
  g_autofree char *subject = NULL;
  guint selected;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-templates", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  WAIT_UNTIL (lk_template_editor_get_service_type (editor) != NULL && editor_settled (editor));
  first = g_strdup (lk_template_editor_get_service_type (editor));
  service_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (editor), LK_TYPE_TEMPLATE_EDITOR,
                                                              "service_row"));
  selected = adw_combo_row_get_selected (service_row);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (service_row)), >, 1);

  /* Without edits, another service type is shown at once. */
  adw_combo_row_set_selected (service_row, selected == 0 ? 1 : 0);
  g_assert_null (find_discard_dialog (editor));
  WAIT_UNTIL (g_strcmp0 (lk_template_editor_get_service_type (editor), first) != 0 && editor_settled (editor));
  g_assert_true (lk_template_editor_select_service (editor, first));
  WAIT_UNTIL (g_strcmp0 (lk_template_editor_get_service_type (editor), first) == 0 && editor_settled (editor));

  /* An edit, then another service type: asked; Keep Editing keeps both. */
  lk_template_editor_set_text (editor, LK_TEMPLATE_MEMBER_SUBJECT, "Perihal yang belum disimpan");
  WAIT_UNTIL (lk_template_editor_get_can_save (editor));
  adw_combo_row_set_selected (service_row, selected == 0 ? 1 : 0);
  dialog = find_discard_dialog (editor);
  g_assert_nonnull (dialog);
  respond (dialog, "cancel");
  WAIT_UNTIL (find_discard_dialog (editor) == NULL);
  g_assert_cmpuint (adw_combo_row_get_selected (service_row), ==, selected);
  g_assert_cmpstr (lk_template_editor_get_service_type (editor), ==, first);
  subject = lk_template_editor_get_text (editor, LK_TEMPLATE_MEMBER_SUBJECT);
  g_assert_cmpstr (subject, ==, "Perihal yang belum disimpan");

  /* Closing asks too; Keep Editing leaves the editor open. */
  gtk_window_close (GTK_WINDOW (editor));
  dialog = find_discard_dialog (editor);
  g_assert_nonnull (dialog);
  respond (dialog, "cancel");
  WAIT_UNTIL (find_discard_dialog (editor) == NULL);
  g_assert_true (find_editor () == editor);

  /* Discard: the other service type is shown, nothing was saved. */
  adw_combo_row_set_selected (service_row, selected == 0 ? 1 : 0);
  dialog = find_discard_dialog (editor);
  g_assert_nonnull (dialog);
  respond (dialog, "discard");
  WAIT_UNTIL (g_strcmp0 (lk_template_editor_get_service_type (editor), first) != 0 && editor_settled (editor));
  g_assert_false (lk_template_editor_get_can_save (editor));
  g_assert_cmpint (lk_session_get_outbox_count (lk_window_get_session (window)), ==, 0);

  /* An edit and Discard on closing: the editor goes. */
  lk_template_editor_set_text (editor, LK_TEMPLATE_MEMBER_SUBJECT, "Lagi belum disimpan");
  WAIT_UNTIL (lk_template_editor_get_can_save (editor));
  gtk_window_close (GTK_WINDOW (editor));
  dialog = find_discard_dialog (editor);
  g_assert_nonnull (dialog);
  respond (dialog, "discard");
  WAIT_UNTIL (find_editor () == NULL);
  g_assert_cmpint (lk_session_get_outbox_count (lk_window_get_session (window)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  app = lk_app_test_application_new ();

  g_test_add ("/app/templates/edit-and-save", Fixture, NULL, fixture_set_up, test_edit_and_save,
              lk_app_test_fixture_tear_down);
  g_test_add ("/app/templates/conflict", Fixture, NULL, fixture_set_up, test_conflict,
              lk_app_test_fixture_tear_down);
  g_test_add ("/app/templates/bad-logo", Fixture, NULL, fixture_set_up, test_bad_logo,
              lk_app_test_fixture_tear_down);
  g_test_add ("/app/templates/discard", Fixture, NULL, fixture_set_up, test_discard,
              lk_app_test_fixture_tear_down);
  g_test_add ("/app/templates/not-admin", Fixture, NULL, fixture_set_up, test_not_admin,
              lk_app_test_fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
