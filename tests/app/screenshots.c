/* screenshots.c — PNG screenshots of the queue, the review page, the PDF
 * preview and the signing dialog, for people to look at
 *
 * Run by run-screenshots.sh, once per language (LANGUAGE=en, LANGUAGE=id),
 * under Xvfb against a real loket-server with the demo seed. Writes
 * $LOKET_SCREENSHOT_DIR/{queue,review,preview,signing,pin-dialog}.png (and the
 * preferences) and
 * checks that each is the window's size and not one flat colour.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"
/* WAIT_UNTIL polls too (every 50 ms), for conditions no event announces. */
#define WAIT_POLL_MS 50

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-app-setup.h"
#include "lk-application.h"
#include "lk-i18n.h"
#include "lk-pin-dialog.h"
#include "lk-signing-page.h"
#include "lk-template-editor.h"
#include "model/lk-case.h"
#include "store/lk-case-list.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define WIDTH        1280
#define HEIGHT       800

static LkApplication *app;
static LkTestServer *server;
static char *server_dir;
static const char *out_dir;
static char *letter_case_id;   /* the case whose letter the officer prepared */

/* Lets the window settle: pending idles, a layout and a frame. Waiting
 * here is for the picture only; nothing depends on how long it takes. */
static void
settle (void)
{
  gboolean done = FALSE;

  g_timeout_add (400, lk_app_test_set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Renders WINDOW as it is on screen into OUT_DIR/NAME.png, then reads the
 * file back: the window's size, and more than one colour. */
static void
save_screenshot (GtkWindow  *window,
                 const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (out_dir, file_name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *pixels = NULL;
  GskRenderer *renderer;
  gboolean drawn = FALSE;
  gboolean varied = FALSE;
  int width, height;
  gsize stride;

  settle ();
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_assert_nonnull (renderer);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  /* The paintable gets its image when the window is drawn next. */
  g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (lk_app_test_set_true_cb), &drawn);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  WAIT_UNTIL (drawn);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Wrote %s (%d × %d)", path, width, height);

  saved = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, width);
  g_assert_cmpint (gdk_texture_get_height (saved), ==, height);

  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (saved, pixels, stride);
  for (gsize i = 4; i < stride * height && !varied; i += 4)
    varied = memcmp (pixels, pixels + i, 4) != 0;
  g_assert_true (varied);
}

static LkWindow *
open_window (const char *username)
{
  LkWindow *window = lk_app_test_open_account (app, server->url, username);
  LkSession *session = lk_window_get_session (window);

  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED);
  return window;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The officer prepares the letter of the first case awaiting signature, so
 * that the signer has a draft to review; its case id. */
static char *
prepare_letter (LkWindow *window)
{
  LkSession *session = lk_window_get_session (window);
  GListModel *cases = lk_window_get_cases (window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document_id = NULL;
  char *case_id = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (cases) && case_id == NULL; i++)
    {
      g_autoptr(LkCase) light = g_list_model_get_item (cases, i);

      if (lk_case_get_state (light) == LK_CASE_STATE_AWAITING_SIGNATURE)
        case_id = g_strdup (lk_case_get_id (light));
    }
  g_assert_nonnull (case_id);

  lk_session_prepare_letter_async (session, case_id, NULL, result_cb, &result);
  WAIT_UNTIL (result != NULL);
  document_id = lk_session_prepare_letter_finish (session, result, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED &&
              lk_session_get_outbox_count (session) == 0);
  return case_id;
}

static gboolean
queue_is_loaded (LkWindow *window)
{
  GListModel *cases = lk_window_get_cases (window);

  return g_list_model_get_n_items (cases) > 0 && !lk_case_list_is_loading (LK_CASE_LIST (cases));
}

/* The officer's desk: the queue, a case under review, its attachment. */
static void
test_officer (void)
{
  LkWindow *window = open_window ("petugas");
  LkCaseView *case_view = lk_window_get_case_view (window);
  LkPdfView *pdf_view = lk_case_view_get_pdf_view (case_view);
  GListModel *cases = lk_window_get_cases (window);
  LkPreferencesWindow *preferences;
  GtkWindow *shortcuts;
  gboolean found = FALSE;

  WAIT_UNTIL (queue_is_loaded (window));
  gtk_single_selection_set_selected (lk_window_get_selection (window), GTK_INVALID_LIST_POSITION);
  save_screenshot (GTK_WINDOW (window), "queue");

  /* A case under review (else any) with a PDF attachment that shows. */
  for (guint pass = 0; pass < 2 && !found; pass++)
    for (guint i = 0; i < g_list_model_get_n_items (cases) && !found; i++)
      {
        g_autoptr(LkCase) light = g_list_model_get_item (cases, i);

        if (pass == 0 && lk_case_get_state (light) != LK_CASE_STATE_VERIFYING)
          continue;
        gtk_single_selection_set_selected (lk_window_get_selection (window), i);
        WAIT_UNTIL (lk_case_view_get_case (case_view) != NULL);
        if (g_list_model_get_n_items (lk_case_view_get_documents (case_view)) == 0)
          continue;
        WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 0 || lk_pdf_view_get_error (pdf_view) != NULL);
        found = lk_pdf_view_get_error (pdf_view) == NULL;
      }
  g_assert_true (found);
  save_screenshot (GTK_WINDOW (window), "review");

  /* The preview: its page thumbnails, and the next page. */
  if (g_action_group_has_action (lk_pdf_view_get_actions (pdf_view), "show-thumbnails"))
    g_action_group_change_action_state (lk_pdf_view_get_actions (pdf_view), "show-thumbnails",
                                        g_variant_new_boolean (TRUE));
  if (lk_pdf_view_get_n_pages (pdf_view) > 1)
    {
      g_action_group_activate_action (lk_pdf_view_get_actions (pdf_view), "next-page", NULL);
      WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 1);
    }
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) >= 0);
  save_screenshot (GTK_WINDOW (window), "preview");

  /* The keyboard shortcuts (Ctrl+?). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (shortcuts)));
  save_screenshot (shortcuts, "shortcuts");
  gtk_window_close (shortcuts);

  /* The preferences: the account, and the signing defaults. */
  preferences = lk_preferences_window_new (GTK_WINDOW (window), lk_window_get_session (window));
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (app));
  /* Tall enough for the whole signing page, with the stamp's preview. */
  gtk_window_set_default_size (GTK_WINDOW (preferences), 640, 1000);
  gtk_window_present (GTK_WINDOW (preferences));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (preferences)) && !lk_preferences_window_get_busy (preferences));
  save_screenshot (GTK_WINDOW (preferences), "preferences");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "signing");
  save_screenshot (GTK_WINDOW (preferences), "preferences-signing");
  gtk_window_destroy (GTK_WINDOW (preferences));

  letter_case_id = prepare_letter (window);
  lk_app_test_close_all_windows (app);
}

/* The signer's desk and the PIN dialog of a batch. */
static void
test_signer (void)
{
  LkWindow *window = open_window ("pejabat");
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), LK_TYPE_WINDOW, "stack"));
  LkSigningPage *page = LK_SIGNING_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), LK_TYPE_WINDOW,
                                                                        "signing_page"));
  LkPinDialog *dialog;
  gboolean found = FALSE;

  g_assert_nonnull (letter_case_id);
  g_assert_true (ADW_IS_VIEW_STACK (stack));
  g_assert_nonnull (page);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "signing");
  WAIT_UNTIL (!lk_signing_page_get_loading (page));
  for (guint i = 0; i < lk_signing_page_get_n_letters (page); i++)
    if (g_strcmp0 (lk_signing_page_get_case_id (page, i), letter_case_id) == 0)
      {
        LkPdfView *pdf_view = lk_signing_page_get_pdf_view (page);

        lk_signing_page_select (page, i);
        WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 0 || lk_pdf_view_get_error (pdf_view) != NULL);
        g_assert_null (lk_pdf_view_get_error (pdf_view));
        /* Reviewed: tick it, as the signer would before signing. */
        gtk_widget_activate_action (GTK_WIDGET (page), "signing.tick", NULL);
        found = TRUE;
      }
  g_assert_true (found);
  save_screenshot (GTK_WINDOW (window), "signing");

  /* What the batch asks after "Sign": the token's PIN, with its state. */
  dialog = lk_pin_dialog_new (GTK_WINDOW (window), LK_PIN_DIALOG_ENTRY, "Token Dinas",
                              LK_TOKEN_FLAG_LOGIN_REQUIRED | LK_TOKEN_FLAG_PIN_COUNT_LOW,
                              LK_TOKEN_PIN_COUNT_LOW, 3);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (dialog));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  save_screenshot (GTK_WINDOW (dialog), "pin-dialog");

  lk_app_test_close_all_windows (app);
}

/* The administrator's letter template editor with its preview. */
static void
test_admin (void)
{
  LkWindow *window = open_window ("admin");
  GListModel *toplevels = gtk_window_get_toplevels ();
  LkTemplateEditor *editor = NULL;
  LkPdfView *preview;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-templates", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (LK_IS_TEMPLATE_EDITOR (item))
        editor = LK_TEMPLATE_EDITOR (item);
    }
  g_assert_nonnull (editor);
  gtk_window_set_default_size (GTK_WINDOW (editor), WIDTH, HEIGHT);
  WAIT_UNTIL (lk_template_editor_get_service_type (editor) != NULL && !lk_template_editor_get_loading (editor) &&
              !lk_template_editor_get_preview_busy (editor));
  preview = lk_template_editor_get_preview (editor);
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (preview) == 0 || lk_pdf_view_get_error (preview) != NULL);
  g_assert_null (lk_pdf_view_get_error (preview));
  save_screenshot (GTK_WINDOW (editor), "template-editor");

  lk_app_test_close_all_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) system_dirs = NULL;
  int ret;

  /* The language of the run (LANGUAGE) and the build's catalogues
   * (LOKET_LOCALEDIR), as the app's main() does. */
  lk_i18n_init ();
  lk_app_test_init (&argc, &argv);

  out_dir = g_getenv ("LOKET_SCREENSHOT_DIR");
  if (out_dir == NULL || *out_dir == '\0')
    {
      g_test_skip ("LOKET_SCREENSHOT_DIR is not set (run it through run-screenshots.sh)");
      return g_test_run ();
    }
  g_assert_cmpint (g_mkdir_with_parents (out_dir, 0755), ==, 0);
  g_test_message ("Language %s: “%s”", g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "(system)",
                  _("Sign Out"));

  settings = lk_app_settings_new ();
  g_assert_nonnull (settings);
  g_settings_set_int (settings, "window-width", WIDTH);
  g_settings_set_int (settings, "window-height", HEIGHT);
  g_settings_set_boolean (settings, "is-maximized", FALSE);

  server_dir = lk_test_make_tmpdir ("screenshots");
  server = lk_app_test_server_start (server_dir, 60);
  g_setenv ("LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);

  app = lk_app_test_application_new ();

  /* The isolated XDG dirs hide the system's icon themes: keep them. */
  system_dirs = g_strsplit (lk_app_test_get_system_data_dirs (), ":", -1);
  for (guint i = 0; system_dirs[i] != NULL; i++)
    {
      g_autofree char *icons = g_build_filename (system_dirs[i], "icons", NULL);

      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()), icons);
    }

  g_test_add_func ("/screenshots/officer", test_officer);
  g_test_add_func ("/screenshots/signer", test_signer);
  g_test_add_func ("/screenshots/admin", test_admin);

  ret = g_test_run ();

  lk_app_test_close_all_windows (app);
  g_clear_object (&app);
  g_assert_true (lk_test_server_stop (server, FALSE));
  lk_test_server_free (server);
  lk_test_rm_rf (server_dir);
  g_free (server_dir);
  g_free (letter_case_id);
  return ret;
}
