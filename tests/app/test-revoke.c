/* test-revoke.c — revoking a signed letter from the case view under Xvfb,
 * against a real loket-server
 *
 * The letter is registered on the server's database as the move to signed
 * registers one (a row of the letters table; the change triggers carry it
 * to the desks). An officer sees no Revoke…; the admin's dialog keeps
 * Revoke insensitive while the reason is blank, Escape cancels (nothing is
 * sent), Enter in the reason revokes: the server's letter is revoked with
 * that reason, and the row says so without a Revoke… button.
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "lk-app-setup.h"
#include "lk-case-view.h"
#include "lk-letter-row.h"
#include "lk-revoke-dialog.h"
#include "lk-session.h"
#include "letter/lk-letter-template.h"
#include "store/lk-store.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define SEED_CASES 40
#define REASON     "Diterbitkan dengan nama pemohon yang salah"

typedef struct
{
  char         *tmpdir;
  char         *db_path;
  LkTestServer *server;
  LkSession    *officer;
  LkSession    *admin;
  GtkWindow    *window;
} Fixture;

static void
async_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* ---- the server's database ---- */

static char *
server_text (Fixture    *fixture,
             const char *sql,
             const char *arg)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* Registers a valid signed letter of the case CASE_ID on the server, as
 * the move to signed does; returns its id. */
static char *
register_letter (Fixture    *fixture,
                 const char *case_id,
                 const char *number)
{
  g_autofree char *id = lk_letter_new_id ();
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, id, -1);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO letters (id, case_id, number, unit, subject, signer_name, "
                                       "signer_position, signed_at, sha256, template_version, status, "
                                       "delivery_state, version) SELECT ?1, id, ?2, unit, 'Surat Keterangan', "
                                       "'Drs. Budi Santoso', 'Kepala Dinas', strftime('%s', 'now'), ?3, 1, "
                                       "'valid', 'delivered', 1 FROM cases WHERE id = ?4",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, case_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_steal_pointer (&id);
}

/* ---- sessions and the view ---- */

static LkSession *
open_session (Fixture    *fixture,
              const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) synced = NULL;
  LkSession *session = lk_session_new (fixture->server->url, username, &error);

  g_assert_no_error (error);
  lk_session_open_store_async (session, NULL, async_result_cb, &opened);
  WAIT_UNTIL (opened != NULL);
  lk_session_open_store_finish (session, opened, &error);
  g_assert_no_error (error);
  lk_session_sync_async (session, LK_TEST_DEMO_PASSWORD, NULL, async_result_cb, &synced);
  WAIT_UNTIL (synced != NULL);
  lk_session_sync_finish (session, synced, &error);
  g_assert_no_error (error);
  return session;
}

/* The status of the local copy of the letter, or NULL. */
static char *
local_status (LkSession  *session,
              const char *letter_id)
{
  g_autoptr(JsonObject) letter = lk_store_get_json (lk_session_get_store (session), LK_KIND_LETTER, letter_id, NULL);

  return letter != NULL ? g_strdup (json_object_get_string_member_with_default (letter, "status", NULL)) : NULL;
}

static gboolean
has_local_status (LkSession  *session,
                  const char *letter_id,
                  const char *status)
{
  g_autofree char *now = local_status (session, letter_id);

  return g_strcmp0 (now, status) == 0;
}

/* The case view of CASE_ID as SESSION's user, in the fixture's window,
 * once its letter rows are shown. */
static LkCaseView *
show_case (Fixture    *fixture,
           LkSession  *session,
           const char *case_id)
{
  LkCaseView *view;

  g_clear_pointer (&fixture->window, gtk_window_destroy);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 760);
  view = LK_CASE_VIEW (lk_case_view_new (session));
  gtk_window_set_child (fixture->window, GTK_WIDGET (view));
  gtk_window_present (fixture->window);
  lk_case_view_set_case_id (view, case_id);
  WAIT_UNTIL (lk_case_view_get_case (view) != NULL && lk_case_view_get_n_letter_rows (view) > 0);
  return view;
}

/* The reason entry of the dialog (the last widget of its extra child). */
static GtkWidget *
reason_entry (LkRevokeDialog *dialog)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  GtkWidget *entry = gtk_widget_get_last_child (box);

  g_assert_true (GTK_IS_ENTRY (entry));
  return entry;
}

/* A delivered case of the officer's units, and its full record. */
static LkCase *
pick_case (LkSession *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = lk_store_query_cases (lk_session_get_store (session), LK_CASE_STATE_DELIVERED,
                                                     NULL, 0, NULL, &error);
  LkCase *kase;

  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, >, 0);
  kase = lk_store_get_case (lk_session_get_store (session), lk_case_get_id (g_ptr_array_index (cases, 0)), &error);
  g_assert_no_error (error);
  return kase;
}

/* ---- fixture ---- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = lk_test_make_tmpdir ("revoke");
  fixture->db_path = g_build_filename (fixture->tmpdir, "server.db", NULL);
  fixture->server = lk_test_server_start_full (fixture->db_path, 0, SEED_CASES, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->window, gtk_window_destroy);
  for (guint i = 0; i < 10000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_object (&fixture->officer);
  g_clear_object (&fixture->admin);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  lk_test_server_free (fixture->server);
  lk_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->db_path);
}

/* ---- tests ---- */

static void
test_revoke_letter (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LkCase) kase = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *expected = NULL;
  LkRevokeDialog *dialog;
  LkCaseView *view;
  LkLetterRow *row;
  gboolean closed = FALSE;

  fixture->officer = open_session (fixture, "petugas");
  g_assert_cmpint (lk_session_get_role (fixture->officer), ==, LK_ROLE_OFFICER);
  kase = pick_case (fixture->officer);
  letter_id = register_letter (fixture, lk_case_get_id (kase), "470/0099/TEST/2026");

  /* The officer sees the letter, valid, without Revoke…. */
  lk_session_sync_now (fixture->officer);
  WAIT_UNTIL (has_local_status (fixture->officer, letter_id, "valid"));
  view = show_case (fixture, fixture->officer, lk_case_get_id (kase));
  row = lk_case_view_get_letter_row (view, 0);
  g_assert_cmpstr (lk_letter_row_get_letter_id (row), ==, letter_id);
  g_assert_cmpstr (lk_letter_row_get_status_text (row), ==, "Valid");
  g_assert_false (lk_letter_row_get_can_revoke (row));
  g_assert_null (lk_letter_row_open_revoke_dialog (row));

  /* The admin's view offers it. */
  fixture->admin = open_session (fixture, "admin");
  g_assert_cmpint (lk_session_get_role (fixture->admin), ==, LK_ROLE_ADMIN);
  WAIT_UNTIL (has_local_status (fixture->admin, letter_id, "valid"));
  view = show_case (fixture, fixture->admin, lk_case_get_id (kase));
  row = lk_case_view_get_letter_row (view, 0);
  g_assert_cmpstr (lk_letter_row_get_letter_id (row), ==, letter_id);
  g_assert_true (lk_letter_row_get_can_revoke (row));

  /* A blank reason keeps Revoke insensitive; Escape (the close response)
   * cancels and nothing is sent. */
  dialog = lk_letter_row_open_revoke_dialog (row);
  g_assert_nonnull (dialog);
  g_assert_true (lk_letter_row_open_revoke_dialog (row) == dialog);
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "revoke");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke"));
  lk_revoke_dialog_set_reason (dialog, "   \t ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke"));
  g_assert_null (lk_revoke_dialog_get_reason (dialog));
  g_signal_emit_by_name (reason_entry (dialog), "activate");   /* Enter with a blank reason: nothing */
  lk_revoke_dialog_set_reason (dialog, "x");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke"));
  g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (lk_app_test_set_true_cb), &closed);
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (closed);
  g_assert_true (lk_letter_row_get_can_revoke (row));
  status = server_text (fixture, "SELECT status FROM letters WHERE id = ?1", letter_id);
  g_assert_cmpstr (status, ==, "valid");
  g_clear_pointer (&status, g_free);

  /* Enter in the reason revokes, with the reason trimmed; a sync that
   * reloads the view while the dialog is open changes nothing to that. */
  dialog = lk_letter_row_open_revoke_dialog (row);
  g_assert_nonnull (dialog);
  lk_revoke_dialog_set_reason (dialog, "  " REASON "  ");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "revoke"));
  {
    g_autoptr(GtkWidget) old = g_object_ref (GTK_WIDGET (row));

    lk_case_view_reload (view);
    WAIT_UNTIL (gtk_widget_get_parent (old) == NULL && lk_case_view_get_n_letter_rows (view) > 0);
  }
  row = lk_case_view_get_letter_row (view, 0);
  g_assert_true (lk_letter_row_get_can_revoke (row));
  g_signal_emit_by_name (reason_entry (dialog), "activate");
  g_assert_false (lk_letter_row_get_can_revoke (row));

  expected = g_strdup_printf ("Revoked: %s", REASON);
  WAIT_UNTIL (g_strcmp0 (lk_letter_row_get_status_text (row), expected) == 0);
  g_assert_null (lk_letter_row_get_error_text (row));
  g_assert_false (lk_letter_row_get_can_revoke (row));
  status = server_text (fixture, "SELECT status FROM letters WHERE id = ?1", letter_id);
  reason = server_text (fixture, "SELECT status_reason FROM letters WHERE id = ?1", letter_id);
  g_assert_cmpstr (status, ==, "revoked");
  g_assert_cmpstr (reason, ==, REASON);

  /* The sync that followed brought the revoked record: a reloaded view
   * shows it from the local store. */
  WAIT_UNTIL (has_local_status (fixture->admin, letter_id, "revoked"));
  lk_case_view_reload (view);
  WAIT_UNTIL (lk_case_view_get_n_letter_rows (view) > 0 &&
              g_strcmp0 (lk_letter_row_get_status_text (lk_case_view_get_letter_row (view, 0)), expected) == 0);
  row = lk_case_view_get_letter_row (view, 0);
  g_assert_false (lk_letter_row_get_can_revoke (row));
  g_assert_null (lk_letter_row_open_revoke_dialog (row));
}

/* Without the server the revocation fails with a plain sentence, and the
 * button stays for another try. */
static void
test_revoke_offline (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) revoked = NULL;
  g_autofree char *letter_id = NULL;
  LkRevokeDialog *dialog;
  LkCaseView *view;
  LkLetterRow *row;

  fixture->admin = open_session (fixture, "admin");
  kase = pick_case (fixture->admin);
  letter_id = register_letter (fixture, lk_case_get_id (kase), "470/0098/TEST/2026");
  lk_session_sync_now (fixture->admin);
  WAIT_UNTIL (has_local_status (fixture->admin, letter_id, "valid"));
  view = show_case (fixture, fixture->admin, lk_case_get_id (kase));
  row = lk_case_view_get_letter_row (view, 0);
  g_assert_true (lk_letter_row_get_can_revoke (row));

  /* The session call refuses a blank reason itself. */
  lk_session_revoke_letter_async (fixture->admin, letter_id, "  ", NULL, async_result_cb, &done);
  WAIT_UNTIL (done != NULL);
  revoked = lk_session_revoke_letter_finish (fixture->admin, done, &error);
  g_assert_null (revoked);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  dialog = lk_letter_row_open_revoke_dialog (row);
  g_assert_nonnull (dialog);
  lk_revoke_dialog_set_reason (dialog, REASON);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "revoke");
  WAIT_UNTIL (lk_letter_row_get_error_text (row) != NULL);
  g_test_message ("%s", lk_letter_row_get_error_text (row));
  g_assert_nonnull (strstr (lk_letter_row_get_error_text (row),
                            "Revoking needs a connection to the server; try again when online."));
  g_assert_true (lk_letter_row_get_can_revoke (row));
  g_assert_cmpstr (lk_letter_row_get_status_text (row), ==, "Valid");
}

int
main (int   argc,
      char *argv[])
{
  lk_app_test_init (&argc, &argv);
  adw_init ();

  g_test_add ("/revoke/admin-revokes", Fixture, NULL, fixture_set_up, test_revoke_letter, fixture_tear_down);
  g_test_add ("/revoke/offline", Fixture, NULL, fixture_set_up, test_revoke_offline, fixture_tear_down);

  return g_test_run ();
}
