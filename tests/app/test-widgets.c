/* test-widgets.c — every window, page and dialog of the app, built and shown once
 *
 * GTK 4.8 and libadwaita 1.2 are the floor. The version macros catch newer
 * API in C, but not types named only in .ui files, nor properties a newer
 * GTK added: those fail when the template is instantiated. So this test
 * makes each one for real, maps it under Xvfb, and lets GTK lay it out and
 * paint it, with warnings and criticals fatal. No server: the session works
 * from a fresh local store, offline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"
#define WAIT_SECONDS 60

#include "config.h"

#include "lk-application.h"
#include "lk-incomplete-dialog.h"
#include "lk-letter-row.h"
#include "lk-number-register.h"
#include "lk-template-editor.h"
#include "lk-pin-dialog.h"
#include "lk-preferences-window.h"
#include "lk-sign-progress.h"
#include "lk-token-chooser.h"
#include "lk-app-setup.h"
#include "lk-app-test-util.h"

typedef struct
{
  LkSession *session;
  LkWindow  *window;
} Fixture;

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = lk_session_open_store_finish (LK_SESSION (source), result, error);

  g_assert_true (ok == (*error == NULL));
}

/* Lets a few frames pass: layout and paint run, so size warnings surface. */
static void
run_frames (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gint64 first;

  WAIT_UNTIL (gtk_widget_get_mapped (widget));
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  first = gdk_frame_clock_get_frame_counter (clock);
  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (gdk_frame_clock_get_frame_counter (clock) >= first + 2);
}

static void
show_window (GtkWindow *window)
{
  gtk_window_present (window);
  run_frames (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
}

static void
destroy_window (GtkWindow *window)
{
  g_autoptr(GtkWindow) ref = g_object_ref (window);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) open_error = NULL;

  /* Nothing listens there: the session stays offline on its local data. */
  fixture->session = lk_session_new ("http://127.0.0.1:9", "petugas", &error);
  g_assert_no_error (error);
  lk_session_open_store_async (fixture->session, NULL, store_opened_cb, &open_error);
  WAIT_UNTIL (lk_session_get_store (fixture->session) != NULL || open_error != NULL);
  g_assert_no_error (open_error);

  fixture->window = lk_window_new (NULL, fixture->session);
  g_object_ref_sink (fixture->window);
  show_window (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  destroy_window (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->session);
}

/* The main window with both pages of its stack, the case view and its PDF
 * preview. */
static void
test_window (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *signing = GTK_WIDGET (lk_window_get_signing_page (fixture->window));
  LkCaseView *case_view = lk_window_get_case_view (fixture->window);

  g_assert_nonnull (signing);
  g_assert_nonnull (case_view);
  g_assert_nonnull (lk_case_view_get_pdf_view (case_view));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (case_view)));

  /* The signing page, shown once even though this user is no signer. */
  gtk_widget_set_visible (signing, TRUE);
  gtk_widget_set_visible (signing, FALSE);
}

static void
test_dialogs (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWindow *parent = GTK_WINDOW (fixture->window);
  static const char * const requirements[] = { "KTP", "Kartu Keluarga", "Surat pengantar RT/RW", NULL };
  /* Parallel to requirements: why each was rejected, or NULL. */
  static const char * const rejected[] = { NULL, "Scan unreadable", NULL };
  g_autoptr(GSettings) settings = lk_app_settings_new ();
  GtkWindow *dialog;

  dialog = GTK_WINDOW (lk_conflicts_dialog_new (parent, fixture->session));
  show_window (dialog);
  destroy_window (dialog);

  dialog = GTK_WINDOW (lk_register_cert_dialog_new (parent, fixture->session));
  show_window (dialog);
  destroy_window (dialog);

  dialog = GTK_WINDOW (lk_sign_in_dialog_new ());
  gtk_window_set_transient_for (dialog, parent);
  show_window (dialog);
  destroy_window (dialog);

  dialog = GTK_WINDOW (lk_incomplete_dialog_new (parent, requirements, rejected));
  show_window (dialog);
  destroy_window (dialog);

  for (LkPinDialogMode mode = LK_PIN_DIALOG_ENTRY; mode <= LK_PIN_DIALOG_LOCKED; mode++)
    {
      dialog = GTK_WINDOW (lk_pin_dialog_new (parent, mode, "Token Dinas",
                                              LK_TOKEN_FLAG_LOGIN_REQUIRED | LK_TOKEN_FLAG_PIN_COUNT_LOW,
                                              LK_TOKEN_PIN_WRONG, 3));
      show_window (dialog);
      destroy_window (dialog);
    }

  g_assert_nonnull (settings);
  dialog = GTK_WINDOW (lk_token_chooser_new (parent, settings));
  show_window (dialog);
  destroy_window (dialog);

  dialog = GTK_WINDOW (lk_preferences_window_new (parent, fixture->session));
  show_window (dialog);
  destroy_window (dialog);

  /* Offline and without service types: empty, but every part built. */
  dialog = GTK_WINDOW (lk_template_editor_new (parent, fixture->session));
  show_window (dialog);
  WAIT_UNTIL (!lk_template_editor_get_loading (LK_TEMPLATE_EDITOR (dialog)));
  g_assert_false (lk_template_editor_get_can_save (LK_TEMPLATE_EDITOR (dialog)));
  destroy_window (dialog);

  /* Offline: the register says it needs the server; every part built. */
  dialog = GTK_WINDOW (lk_number_register_new (parent, fixture->session));
  show_window (dialog);
  WAIT_UNTIL (!lk_number_register_get_loading (LK_NUMBER_REGISTER (dialog)));
  g_assert_false (lk_number_register_get_can_void (LK_NUMBER_REGISTER (dialog)));
  g_assert_cmpuint (lk_number_register_get_n_rows (LK_NUMBER_REGISTER (dialog)), ==, 0);
  destroy_window (dialog);
}

/* The rows of the case view's "Letter" group: a draft, a valid letter, a
 * revoked one whose delivery failed. */
static void
test_letter_rows (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *list = gtk_list_box_new ();
  g_autoptr(JsonObject) letter = json_object_new ();
  GtkWidget *row;

  json_object_set_string_member (letter, "id", "abcdefghijklmnopqrstuvwxyz");
  json_object_set_string_member (letter, "number", "503/0001/DPMPTSP/2026");
  json_object_set_int_member (letter, "signed_at", 1790000000);
  json_object_set_string_member (letter, "status", "valid");
  json_object_set_string_member (letter, "delivery_state", "delivered");
  json_object_set_int_member (letter, "delivered_at", 1790000100);
  gtk_list_box_append (GTK_LIST_BOX (list), lk_letter_row_new_draft ("503/0002/DPMPTSP/2026", TRUE));
  gtk_list_box_append (GTK_LIST_BOX (list), lk_letter_row_new (letter, "http://127.0.0.1:9", TRUE));
  json_object_set_string_member (letter, "status", "revoked");
  json_object_set_string_member (letter, "status_reason", "Issued in error");
  json_object_set_string_member (letter, "delivery_state", "failed");
  json_object_set_string_member (letter, "delivery_error", "550 No such mailbox");
  row = lk_letter_row_new (letter, "http://127.0.0.1:9", TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  g_assert_true (lk_letter_row_get_can_resend (LK_LETTER_ROW (row)));
  g_assert_cmpstr (lk_letter_row_get_url (LK_LETTER_ROW (row)), ==,
                   "http://127.0.0.1:9/v/abcdefghijklmnopqrstuvwxyz");
  g_assert_cmpstr (lk_letter_row_get_status_text (LK_LETTER_ROW (row)), ==, "Revoked: Issued in error");
  g_assert_cmpstr (lk_letter_row_get_delivery_text (LK_LETTER_ROW (row)), ==, "Delivery failed: 550 No such mailbox");

  gtk_window_set_child (window, list);
  show_window (window);
  destroy_window (window);
}

/* The keyboard shortcuts window GtkApplication would attach as
 * win.show-help-overlay, every section shown. */
static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *overlay;

  lk_app_ensure_resources ();
  builder = gtk_builder_new_from_resource ("/io/github/loket/Loket/gtk/help-overlay.ui");
  overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_set_transient_for (overlay, GTK_WINDOW (fixture->window));
  show_window (overlay);
  destroy_window (overlay);
}

/* The signing progress, alone in a window (it lives in the signing page). */
static void
test_sign_progress (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_child (window, lk_sign_progress_new ());
  show_window (window);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  /* Warnings and criticals are fatal from here on. */
  lk_app_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/widgets/window", Fixture, NULL, fixture_set_up, test_window, fixture_tear_down);
  g_test_add ("/widgets/dialogs", Fixture, NULL, fixture_set_up, test_dialogs, fixture_tear_down);
  g_test_add ("/widgets/shortcuts", Fixture, NULL, fixture_set_up, test_shortcuts, fixture_tear_down);
  g_test_add ("/widgets/letter-rows", Fixture, NULL, fixture_set_up, test_letter_rows, fixture_tear_down);
  g_test_add ("/widgets/sign-progress", Fixture, NULL, fixture_set_up, test_sign_progress, fixture_tear_down);

  return g_test_run ();
}
