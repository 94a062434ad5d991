/* test-number-register.c — the administrator's register of letter numbers
 * under Xvfb, against a real loket-server
 *
 * Numbers of one series are issued through the API (three cases, and an
 * offline block of two); one is marked used on the server's database as a
 * signed letter would. The admin opens the window by its action, picks the
 * series: the rows are the server's register (count, order, statuses,
 * translated words, the receipts, the block). Void… is offered for an
 * issued row only; its dialog keeps Void insensitive while the reason is
 * blank, Escape cancels, Enter voids: the server's number is voided with
 * the trimmed reason and the window shows it. The server's refusal of a
 * used number reaches the session call as its sentence; with the server
 * gone the window says the register needs it. An officer has no register.
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "lk-application.h"
#include "lk-number-register.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define SEED_CASES 30
#define REASON     "Draf dibuang: pemohon menarik permohonan"

static LkApplication *app;

typedef LkAppTestFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  lk_app_test_fixture_start (fixture, "numbers", SEED_CASES, LK_TEST_DEMO_PASSWORD);
}

static void
async_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* ---- the server's database ---- */

/* The first row of SQL (with ARG as ?1) as N_COLUMNS strings. */
static GStrv
server_row (Fixture    *fixture,
            const char *sql,
            const char *arg,
            int         n_columns)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GStrv row = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->server->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      row = g_new0 (char *, n_columns + 1);
      for (int i = 0; i < n_columns; i++)
        row[i] = g_strdup (sqlite3_column_type (stmt, i) != SQLITE_NULL
                           ? (const char *) sqlite3_column_text (stmt, i) : "");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return row;
}

static void
server_exec (Fixture    *fixture,
             const char *sql,
             const char *arg)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->server->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* ---- the API ---- */

/* POST PATH with JSON as TOKEN's user; asserts STATUS; the answer. */
static JsonObject *
api_post (Fixture    *fixture,
          const char *token,
          const char *path,
          const char *json,
          guint       status)
{
  g_autoptr(LkTestReply) reply = lk_test_http_json (fixture->server->url, "POST", path, token, json);
  g_autoptr(JsonNode) node = NULL;

  if (reply->status != status)
    g_test_message ("%s: %u %s", path, reply->status, lk_test_reply_text (reply));
  g_assert_cmpuint (reply->status, ==, status);
  node = lk_test_reply_json (reply);
  return json_object_ref (json_node_get_object (node));
}

/* The server's register of the series, as the window should show it. */
static JsonArray *
server_register (Fixture    *fixture,
                 const char *token,
                 const char *service_type,
                 const char *unit,
                 int         year)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/numbers?service_type=%s&unit=%s&year=%d",
                                           service_type, unit, year);
  g_autoptr(LkTestReply) reply = lk_test_http_json (fixture->server->url, "GET", path, token, NULL);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (reply->status, ==, 200);
  node = lk_test_reply_json (reply);
  g_assert_false (json_object_get_boolean_member_with_default (json_node_get_object (node), "more", FALSE));
  return json_array_ref (json_object_get_array_member (json_node_get_object (node), "numbers"));
}

/* ---- the window ---- */

static LkNumberRegister *
find_register (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LK_IS_NUMBER_REGISTER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return LK_NUMBER_REGISTER (window);
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (LkNumberRegister *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (parent))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static GtkWidget *
reason_entry (AdwMessageDialog *dialog)
{
  GtkWidget *entry = gtk_widget_get_last_child (adw_message_dialog_get_extra_child (dialog));

  g_assert_true (GTK_IS_ENTRY (entry));
  return entry;
}

/* The row of the window whose number is NUMBER. */
static guint
find_row (LkNumberRegister *view,
          const char       *number)
{
  for (guint i = 0; i < lk_number_register_get_n_rows (view); i++)
    {
      g_autofree char *cell = lk_number_register_get_cell (view, i, LK_NUMBER_COLUMN_NUMBER);

      if (g_strcmp0 (cell, number) == 0)
        return i;
    }
  g_error ("%s is not in the register window", number);
}

/* The window shows exactly the server's register. */
static void
assert_same_rows (LkNumberRegister *view,
                  JsonArray        *rows)
{
  guint used = 0, issued = 0, voided = 0;
  g_autofree char *summary = NULL;

  g_assert_cmpuint (lk_number_register_get_n_rows (view), ==, json_array_get_length (rows));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *status = json_object_get_string_member (row, "status");
      g_autofree char *seq = lk_number_register_get_cell (view, i, LK_NUMBER_COLUMN_SEQ);
      g_autofree char *number = lk_number_register_get_cell (view, i, LK_NUMBER_COLUMN_NUMBER);
      g_autofree char *word = lk_number_register_get_cell (view, i, LK_NUMBER_COLUMN_STATUS);
      g_autofree char *reason = lk_number_register_get_cell (view, i, LK_NUMBER_COLUMN_REASON);

      g_assert_cmpint (g_ascii_strtoll (seq, NULL, 10), ==, json_object_get_int_member (row, "seq"));
      g_assert_cmpstr (number, ==, json_object_get_string_member (row, "number"));
      g_assert_cmpstr (lk_number_register_get_status (view, i), ==, status);
      g_assert_cmpstr (reason, ==, json_object_get_string_member_with_default (row, "void_reason", ""));
      /* The translated word, never the JSON value (the tests run in C:
       * the English words). */
      if (g_strcmp0 (status, "issued") == 0)
        {
          g_assert_cmpstr (word, ==, "Issued");
          issued++;
        }
      else if (g_strcmp0 (status, "used") == 0)
        {
          g_assert_cmpstr (word, ==, "Used");
          used++;
        }
      else if (g_strcmp0 (status, "voided") == 0)
        {
          g_assert_cmpstr (word, ==, "Voided");
          voided++;
        }
      else
        g_assert_not_reached ();
    }
  summary = g_strdup_printf ("%u numbers: %u used, %u issued, %u voided",
                             json_array_get_length (rows), used, issued, voided);
  g_assert_cmpstr (lk_number_register_get_summary (view), ==, summary);
}

static gboolean
row_has_status (LkNumberRegister *view,
                const char       *number,
                const char       *status)
{
  if (lk_number_register_get_loading (view))
    return FALSE;
  for (guint i = 0; i < lk_number_register_get_n_rows (view); i++)
    {
      g_autofree char *cell = lk_number_register_get_cell (view, i, LK_NUMBER_COLUMN_NUMBER);

      if (g_strcmp0 (cell, number) == 0)
        return g_strcmp0 (lk_number_register_get_status (view, i), status) == 0;
    }
  return FALSE;
}

/* ---- tests ---- */

static void
test_register (Fixture       *fixture,
               gconstpointer  data)
{
  LkWindow *window = lk_app_test_open_window (app, fixture->server->url, "admin");
  LkSession *session = lk_window_get_session (window);
  g_autofree char *token = lk_test_sign_in (fixture->server->url, "admin", LK_TEST_DEMO_PASSWORD);
  g_auto(GStrv) series = NULL;
  g_auto(GStrv) voided = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonObject) block = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *issued_number = NULL;
  g_autofree char *used_number = NULL;
  g_autofree char *late_number = NULL;
  g_autofree char *receipt = NULL;
  g_autofree char *case_cell = NULL;
  g_autofree char *block_cell = NULL;
  g_autofree char *reason_cell = NULL;
  LkNumberRegister *view;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  int year = 0;

  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_cmpint (lk_session_get_role (session), ==, LK_ROLE_ADMIN);

  /* The series with the most cases, and three of its cases. */
  series = server_row (fixture, "SELECT service_type, unit FROM cases WHERE ?1 IS NULL "
                       "GROUP BY service_type, unit ORDER BY count(*) DESC, service_type, unit LIMIT 1", NULL, 2);
  g_assert_nonnull (series);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT id, receipt FROM cases WHERE service_type = ?1 AND unit = '%s' "
                                              "ORDER BY id LIMIT 1 OFFSET %d", series[1], i);
      g_auto(GStrv) kase = server_row (fixture, sql, series[0], 2);
      g_autofree char *json = NULL;
      g_autoptr(JsonObject) issued = NULL;

      g_assert_nonnull (kase);
      json = g_strdup_printf ("{\"case_id\": \"%s\"}", kase[0]);
      issued = api_post (fixture, token, "/api/v1/numbers", json, 200);
      year = json_object_get_int_member (issued, "year");
      if (i == 0)
        used_number = g_strdup (json_object_get_string_member (issued, "number"));
      else if (i == 1)
        {
          issued_number = g_strdup (json_object_get_string_member (issued, "number"));
          receipt = g_strdup (kase[1]);
        }
      else
        late_number = g_strdup (json_object_get_string_member (issued, "number"));
    }
  body = g_strdup_printf ("{\"service_type\": \"%s\", \"unit\": \"%s\", \"count\": 2}", series[0], series[1]);
  block = api_post (fixture, token, "/api/v1/number-blocks", body, 201);
  /* The first number used by a signed letter, as the move to signed does. */
  server_exec (fixture, "UPDATE numbers SET status = 'used', used_at = strftime('%s', 'now') WHERE number = ?1",
               used_number);

  /* The window, by the menu's action. */
  g_assert_null (find_register ());
  gtk_widget_activate_action (GTK_WIDGET (window), "win.number-register", NULL);
  view = find_register ();
  g_assert_nonnull (view);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (view)) == GTK_WINDOW (window));
  WAIT_UNTIL (!lk_number_register_get_loading (view));
  g_assert_true (lk_number_register_select_series (view, series[0], series[1], year));
  WAIT_UNTIL (!lk_number_register_get_loading (view));
  g_assert_null (lk_number_register_get_error (view));

  rows = server_register (fixture, token, series[0], series[1], year);
  /* Ours, and the blocks the desks' syncs asked for. */
  g_assert_cmpuint (json_array_get_length (rows), >=, 5);
  assert_same_rows (view, rows);
  case_cell = lk_number_register_get_cell (view, find_row (view, issued_number), LK_NUMBER_COLUMN_CASE);
  g_assert_cmpstr (case_cell, ==, receipt);
  block_cell = lk_number_register_get_cell (view, find_row (view, json_object_get_string_member (
                                              json_array_get_object_element (json_object_get_array_member (block,
                                                                                                           "numbers"), 0),
                                              "number")), LK_NUMBER_COLUMN_CASE);
  g_assert_cmpstr (block_cell, ==, "Offline block");

  /* The list is reached by its label's mnemonic (Alt+N). */
  {
    GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), LK_TYPE_NUMBER_REGISTER,
                                                                  "column_view"));
    GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), LK_TYPE_NUMBER_REGISTER,
                                                                   "list_label"));
    GtkWidget *focus;

    g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (label)) == list);
    g_assert_true (gtk_widget_mnemonic_activate (list, FALSE));
    focus = gtk_root_get_focus (GTK_ROOT (view));
    g_assert_nonnull (focus);
    g_assert_true (focus == list || gtk_widget_is_ancestor (focus, list));
  }

  /* Nothing selected, a used row: no Void…. */
  g_assert_false (lk_number_register_get_can_void (view));
  lk_number_register_select_row (view, find_row (view, used_number));
  g_assert_false (lk_number_register_get_can_void (view));
  gtk_widget_activate_action (GTK_WIDGET (view), "register.void", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_dialog (view));

  /* An issued row: the dialog; blank keeps Void off; Escape cancels. */
  lk_number_register_select_row (view, find_row (view, issued_number));
  g_assert_true (lk_number_register_get_can_void (view));
  gtk_widget_activate_action (GTK_WIDGET (view), "register.void", NULL);
  dialog = find_dialog (view);
  g_assert_nonnull (dialog);
  entry = reason_entry (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "void"));
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "void");
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "void"));
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (find_dialog (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  WAIT_UNTIL (find_dialog (view) == NULL);
  g_assert_false (lk_number_register_get_loading (view));
  voided = server_row (fixture, "SELECT status FROM numbers WHERE number = ?1", issued_number, 1);
  g_assert_cmpstr (voided[0], ==, "issued");
  g_clear_pointer (&voided, g_strfreev);

  /* Again; Enter in the reason voids it. */
  gtk_widget_activate_action (GTK_WIDGET (view), "register.void", NULL);
  dialog = find_dialog (view);
  g_assert_nonnull (dialog);
  entry = reason_entry (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  " REASON "  ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "void"));
  g_signal_emit_by_name (entry, "activate");
  WAIT_UNTIL (row_has_status (view, issued_number, "voided"));
  voided = server_row (fixture, "SELECT status, void_reason FROM numbers WHERE number = ?1", issued_number, 2);
  g_assert_cmpstr (voided[0], ==, "voided");
  g_assert_cmpstr (voided[1], ==, REASON);
  reason_cell = lk_number_register_get_cell (view, find_row (view, issued_number), LK_NUMBER_COLUMN_REASON);
  g_assert_cmpstr (reason_cell, ==, REASON);
  g_assert_null (lk_number_register_get_error (view));
  g_clear_pointer (&rows, json_array_unref);
  rows = server_register (fixture, token, series[0], series[1], year);
  assert_same_rows (view, rows);
  g_assert_nonnull (strstr (lk_number_register_get_summary (view), ", 1 voided"));
  lk_number_register_select_row (view, find_row (view, issued_number));
  g_assert_false (lk_number_register_get_can_void (view));
  lk_app_test_maybe_save_screenshot (GTK_WIDGET (view));

  /* A number used by a letter signed while the dialog was open: the
   * server's refusal is shown, the row stays as the server has it. */
  lk_number_register_select_row (view, find_row (view, late_number));
  g_assert_true (lk_number_register_get_can_void (view));
  gtk_widget_activate_action (GTK_WIDGET (view), "register.void", NULL);
  dialog = find_dialog (view);
  g_assert_nonnull (dialog);
  server_exec (fixture, "UPDATE numbers SET status = 'used', used_at = strftime('%s', 'now') WHERE number = ?1",
               late_number);
  gtk_editable_set_text (GTK_EDITABLE (reason_entry (dialog)), REASON);
  g_signal_emit_by_name (reason_entry (dialog), "activate");
  WAIT_UNTIL (lk_number_register_get_error (view) != NULL && !lk_number_register_get_loading (view));
  g_test_message ("Shown: %s", lk_number_register_get_error (view));
  g_assert_cmpstr (lk_number_register_get_error (view), ==,
                   "The number was not voided: A signed letter carries this number; revoke the letter instead.");
  voided = server_row (fixture, "SELECT status FROM numbers WHERE number = ?1", late_number, 1);
  g_assert_cmpstr (voided[0], ==, "used");
  g_clear_pointer (&voided, g_strfreev);

  /* The server refuses a used number with a sentence. */
  lk_session_void_number_async (session, used_number, "x", NULL, async_result_cb, &refused);
  WAIT_UNTIL (refused != NULL);
  g_assert_false (lk_session_void_number_finish (session, refused, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER);
  g_test_message ("Refused: %s", error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);

  /* Another year: an empty series. */
  g_assert_true (lk_number_register_select_series (view, series[0], series[1], year + 1));
  WAIT_UNTIL (!lk_number_register_get_loading (view));
  g_assert_cmpuint (lk_number_register_get_n_rows (view), ==, 0);
  g_assert_null (lk_number_register_get_error (view));

  /* The server gone: said plainly. */
  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "register.refresh", NULL));
  WAIT_UNTIL (!lk_number_register_get_loading (view));
  g_assert_cmpstr (lk_number_register_get_error (view), ==, "The register needs a connection to the server.");
  g_assert_cmpuint (lk_number_register_get_n_rows (view), ==, 0);
}

/* An officer has no register: the action is off and opens nothing. */
static void
test_not_admin (Fixture       *fixture,
                gconstpointer  data)
{
  LkWindow *window = lk_app_test_open_window (app, fixture->server->url, "petugas");

  g_assert_cmpint (lk_session_get_role (lk_window_get_session (window)), ==, LK_ROLE_OFFICER);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.number-register", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_register ());
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  app = lk_app_test_application_new ();

  g_test_add ("/app/numbers/register", Fixture, NULL, fixture_set_up, test_register,
              lk_app_test_fixture_tear_down);
  g_test_add ("/app/numbers/not-admin", Fixture, NULL, fixture_set_up, test_not_admin,
              lk_app_test_fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
