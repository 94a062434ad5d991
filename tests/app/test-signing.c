/* test-signing.c — the signer's desk under Xvfb: officer → signer → a
 * batch signed with a SoftHSM2 token, against a real loket-server that
 * trusts the token's CA
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "lk-app-setup.h"
#include "lk-case-view.h"
#include "lk-signing-page.h"
#include "lk-session.h"
#include "sign/lk-pades-verify.h"
#include "sign/lk-sign-batch.h"
#include "sign/lk-token.h"
#include "store/lk-store.h"
#include "sync/lk-outbox.h"
#include "lk-test-token.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define SEED_CASES   40

static LkTestToken *token;
static char *rsa_cert_url;      /* the certificates' PKCS#11 URLs on the token */
static char *always_cert_url;
static char *token_url;

typedef struct
{
  char         *tmpdir;
  char         *db_path;
  LkTestServer *server;
  LkSession    *officer;
  LkSession    *signer;
  GtkWindow    *window;
  LkSigningPage *page;
} Fixture;

static void
async_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  WAIT_UNTIL (*slot != NULL);
  return *slot;
}

/* ---- the server ---- */

static void
register_certificate (Fixture    *fixture,
                      const char *username,
                      const char *pem_path)
{
  g_autofree char *admin = lk_test_sign_in (fixture->server->url, "admin", LK_TEST_DEMO_PASSWORD);
  g_autofree char *pem = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%s/certificates", username);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (pem_path, &pem, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (object, "pem", pem);
  node = json_node_init_object (json_node_alloc (), object);
  body = json_to_string (node, FALSE);
  reply = lk_test_http_json (fixture->server->url, "POST", path, admin, body);
  if (reply->status != 201)
    g_test_message ("register: %u %s", reply->status, lk_test_reply_text (reply));
  g_assert_cmpuint (reply->status, ==, 201);
}

static char *
server_case_text (Fixture    *fixture,
                  const char *sql,
                  const char *case_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static char *
server_state (Fixture    *fixture,
              const char *case_id)
{
  return server_case_text (fixture, "SELECT state FROM cases WHERE id = ?1", case_id);
}

/* Downloads the case's signed letter from the server and verifies it
 * against the token's CA. */
static void
assert_letter_verifies (Fixture    *fixture,
                        const char *case_id)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *bearer = lk_test_sign_in (fixture->server->url, "pejabat", LK_TEST_DEMO_PASSWORD);
  g_autofree char *url_path = NULL;
  g_autofree char *file = NULL;
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *trust[] = { token->ca_pem, NULL };
  LkPadesSignatureReport *signature;

  sha256 = server_case_text (fixture,
                             "SELECT sha256 FROM documents WHERE case_id = ?1 AND name LIKE 'Signed letter %' "
                             "ORDER BY position DESC LIMIT 1", case_id);
  g_assert_nonnull (sha256);
  url_path = g_strdup_printf ("/api/v1/blobs/%s", sha256);
  reply = lk_test_http (fixture->server->url, "GET", url_path, bearer, NULL, 0, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  file = g_build_filename (fixture->tmpdir, "downloaded.pdf", NULL);
  g_file_set_contents (file, g_bytes_get_data (reply->body, NULL), (gssize) g_bytes_get_size (reply->body), &error);
  g_assert_no_error (error);

  report = lk_pades_verify_file (file, trust, &error);
  g_assert_no_error (error);
  g_assert_true (report->ok);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  signature = g_ptr_array_index (report->signatures, 0);
  g_assert_true (signature->trusted);
  g_assert_true (signature->covers_whole_document);
  g_assert_cmpstr (signature->location, ==, "Pontianak");
  g_remove (file);
}

/* Runs SQL with the argument ARG on the server's database, as the server's
 * own workers would (e.g. the mail worker recording a failure). */
static void
server_exec (Fixture    *fixture,
             const char *sql,
             const char *arg)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* ---- sessions ---- */

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
  lk_session_open_store_finish (session, wait_result (&opened), &error);
  g_assert_no_error (error);
  lk_session_sync_async (session, LK_TEST_DEMO_PASSWORD, NULL, async_result_cb, &synced);
  lk_session_sync_finish (session, wait_result (&synced), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_session_get_role (session), !=, LK_ROLE_INVALID);
  return session;
}

static void
transition (LkSession   *session,
            const char  *case_id,
            LkCaseState  to)
{
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;

  lk_session_transition_async (session, case_id, to, NULL, NULL, async_result_cb, &done);
  lk_session_transition_finish (session, wait_result (&done), &error);
  g_assert_no_error (error);
}

/* Until the session's outbox is empty (pushed) and nothing conflicted. */
static void
wait_pushed (LkSession *session)
{
  LkStore *store = lk_session_get_store (session);

  lk_session_sync_now (session);
  WAIT_UNTIL (lk_outbox_count (store) == 0);
  g_assert_cmpint (lk_outbox_count_conflicts (store), ==, 0);
}

/* The letter draft of the case, as the review page's action makes it. */
static void
prepare_letter (Fixture *fixture,
                LkCase  *kase)
{
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document_id = NULL;

  lk_session_prepare_letter_async (fixture->officer, lk_case_get_id (kase), NULL, async_result_cb, &done);
  document_id = lk_session_prepare_letter_finish (fixture->officer, wait_result (&done), &error);
  g_assert_no_error (error);
  g_assert_nonnull (document_id);
}

/* As the officer: N cases verified → approved → letter → forwarded to the
 * signer, pushed. Returns their ids. */
static GPtrArray *
officer_forwards (Fixture *fixture,
                  guint    n)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  LkStore *store;

  fixture->officer = open_session (fixture, "petugas");
  store = lk_session_get_store (fixture->officer);
  candidates = lk_store_query_cases (store, LK_CASE_STATE_VERIFYING, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  if (candidates->len < n)
    {
      g_autoptr(GPtrArray) submitted = lk_store_query_cases (store, LK_CASE_STATE_SUBMITTED, NULL, 0, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < submitted->len && candidates->len < n; i++)
        {
          LkCase *kase = g_ptr_array_index (submitted, i);

          transition (fixture->officer, lk_case_get_id (kase), LK_CASE_STATE_VERIFYING);
          g_ptr_array_add (candidates, g_object_ref (kase));
        }
    }
  g_assert_cmpuint (candidates->len, >=, n);

  for (guint i = 0; i < n; i++)
    {
      LkCase *light = g_ptr_array_index (candidates, i);
      g_autoptr(LkCase) kase = NULL;
      const char *id = lk_case_get_id (light);

      transition (fixture->officer, id, LK_CASE_STATE_VERIFIED);
      transition (fixture->officer, id, LK_CASE_STATE_APPROVED);
      kase = lk_store_get_case (store, id, &error);
      g_assert_no_error (error);
      prepare_letter (fixture, kase);
      transition (fixture->officer, id, LK_CASE_STATE_AWAITING_SIGNATURE);
      g_ptr_array_add (ids, g_strdup (id));
    }
  wait_pushed (fixture->officer);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *state = server_state (fixture, g_ptr_array_index (ids, i));

      g_assert_cmpstr (state, ==, "awaiting_signature");
    }
  return ids;
}

/* The signer's page in a window, showing the letters. */
static void
open_signing_page (Fixture *fixture)
{
  fixture->signer = open_session (fixture, "pejabat");
  g_assert_cmpint (lk_session_get_role (fixture->signer), ==, LK_ROLE_SIGNER);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1100, 800);
  fixture->page = LK_SIGNING_PAGE (lk_signing_page_new (fixture->signer));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  WAIT_UNTIL (!lk_signing_page_get_loading (fixture->page));
}

static int
letter_index (Fixture    *fixture,
              const char *case_id)
{
  for (guint i = 0; i < lk_signing_page_get_n_letters (fixture->page); i++)
    if (g_strcmp0 (lk_signing_page_get_case_id (fixture->page, i), case_id) == 0)
      return (int) i;
  return -1;
}

/* Shows each letter in the preview and ticks it (as Space does). */
static void
review_and_tick (Fixture   *fixture,
                 GPtrArray *ids)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);

  for (guint i = 0; i < ids->len; i++)
    {
      int index = letter_index (fixture, g_ptr_array_index (ids, i));

      g_assert_cmpint (index, >=, 0);
      g_assert_false (lk_signing_page_get_reviewed (fixture->page, index));
      lk_signing_page_select (fixture->page, index);
      /* Not shown yet (the draft is fetched and rendered in the
       * background): the tick is refused. */
      g_assert_false (lk_signing_page_get_reviewed (fixture->page, index));
      gtk_widget_activate_action (page, "signing.tick", NULL);
      gtk_widget_activate_action (page, "signing.tick-all", NULL);
      g_assert_false (lk_signing_page_get_ticked (fixture->page, index));
      WAIT_UNTIL (lk_signing_page_get_reviewed (fixture->page, index));
      g_assert_null (lk_pdf_view_get_error (lk_signing_page_get_pdf_view (fixture->page)));
      g_assert_cmpint (lk_pdf_view_get_rendered_page (lk_signing_page_get_pdf_view (fixture->page)), ==, 0);
      if (i == 1)
        {
          /* As Space or Enter on the row: the list box activates it. */
          GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_template_child (page, LK_TYPE_SIGNING_PAGE,
                                                                          "letter_list"));

          gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (list, index)));
        }
      else
        gtk_widget_activate_action (page, "signing.tick", NULL);
      g_assert_true (lk_signing_page_get_ticked (fixture->page, index));
    }
  g_assert_cmpuint (lk_signing_page_get_n_ticked (fixture->page), ==, ids->len);
}

/* Types PIN into the open PIN dialog and presses Sign. */
static void
type_pin (Fixture    *fixture,
          const char *pin)
{
  LkPinDialog *dialog = lk_signing_page_get_pin_dialog (fixture->page);
  GtkWidget *entry;

  g_assert_nonnull (dialog);
  g_assert_cmpint (lk_pin_dialog_get_mode (dialog), ==, LK_PIN_DIALOG_ENTRY);
  entry = lk_pin_dialog_get_entry (dialog);
  g_assert_true (GTK_IS_PASSWORD_ENTRY (entry));
  g_assert_true (gtk_widget_get_visible (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), pin);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_object_add_weak_pointer (G_OBJECT (entry), (gpointer *) &entry);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sign");
  /* The dialog gave the PIN away, forgot it, and closes. */
  if (entry != NULL)
    {
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
      g_object_remove_weak_pointer (G_OBJECT (entry), (gpointer *) &entry);
    }
  WAIT_UNTIL (dialog == NULL);
}

static guint
n_signed_results (Fixture *fixture)
{
  guint n = 0;

  for (guint i = 0; i < lk_signing_page_get_n_results (fixture->page); i++)
    {
      gboolean ok = FALSE;

      lk_signing_page_get_result (fixture->page, i, &ok);
      n += ok ? 1 : 0;
    }
  return n;
}

/* The letter record of CASE_ID in SESSION's store whose delivery state is
 * STATE (NULL: any), or NULL. */
static JsonObject *
local_letter (LkSession  *session,
              const char *case_id,
              const char *state)
{
  g_autoptr(GPtrArray) letters = lk_store_list_case_letters (lk_session_get_store (session), case_id, NULL);

  for (guint i = 0; letters != NULL && i < letters->len; i++)
    {
      JsonObject *letter = g_ptr_array_index (letters, i);

      if (state == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (letter, "delivery_state", NULL), state) == 0)
        return json_object_ref (letter);
    }
  return NULL;
}

static gboolean
has_local_letter (LkSession  *session,
                  const char *case_id,
                  const char *state)
{
  g_autoptr(JsonObject) letter = local_letter (session, case_id, state);

  return letter != NULL;
}

/* The officer's case view of a signed case: the letter's number, "Valid",
 * its verification link and delivery; a failed delivery (as the mail
 * worker records it) shows its error and Send Again, which queues it. */
static void
check_case_view_letter (Fixture    *fixture,
                        const char *case_id)
{
  g_autofree char *number = server_case_text (fixture, "SELECT number FROM letters WHERE case_id = ?1", case_id);
  g_autofree char *letter_id = server_case_text (fixture, "SELECT id FROM letters WHERE case_id = ?1", case_id);
  g_autofree char *state = NULL;
  GtkWindow *window;
  LkCaseView *view;
  LkLetterRow *row;

  g_assert_nonnull (number);
  g_assert_nonnull (letter_id);

  lk_session_sync_now (fixture->officer);
  WAIT_UNTIL (has_local_letter (fixture->officer, case_id, NULL));

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1100, 800);
  view = LK_CASE_VIEW (lk_case_view_new (fixture->officer));
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  lk_case_view_set_case_id (view, case_id);
  WAIT_UNTIL (lk_case_view_get_case (view) != NULL && lk_case_view_get_n_letter_rows (view) > 0);

  row = lk_case_view_get_letter_row (view, 0);
  g_test_message ("%s / %s / %s", lk_letter_row_get_number_text (row), lk_letter_row_get_status_text (row),
                  lk_letter_row_get_delivery_text (row));
  g_assert_cmpstr (lk_letter_row_get_letter_id (row), ==, letter_id);
  g_assert_nonnull (strstr (lk_letter_row_get_number_text (row), number));
  g_assert_cmpstr (lk_letter_row_get_status_text (row), ==, "Valid");
  g_assert_nonnull (lk_letter_row_get_delivery_text (row));
  g_assert_true (g_str_has_suffix (lk_letter_row_get_url (row), letter_id));
  g_assert_nonnull (strstr (lk_letter_row_get_url (row), "/v/"));
  g_assert_false (lk_letter_row_get_can_resend (row));

  /* The mail server refused the address for good. */
  server_exec (fixture, "UPDATE letters SET delivery_state = 'failed', "
                        "delivery_error = '550 5.1.1 Mailbox unavailable', version = version + 1 "
                        "WHERE case_id = ?1", case_id);
  lk_session_sync_now (fixture->officer);
  WAIT_UNTIL (has_local_letter (fixture->officer, case_id, "failed"));
  lk_case_view_reload (view);
  WAIT_UNTIL (lk_case_view_get_n_letter_rows (view) > 0 &&
              lk_letter_row_get_can_resend (lk_case_view_get_letter_row (view, 0)));
  row = lk_case_view_get_letter_row (view, 0);
  g_assert_cmpstr (lk_letter_row_get_delivery_text (row), ==, "Delivery failed: 550 5.1.1 Mailbox unavailable");

  /* Send Again: the server queues the mail anew, and the view says so
   * after the sync that follows. */
  gtk_widget_activate_action (GTK_WIDGET (view), "case.resend-letter", "s", letter_id);
  g_assert_true (lk_case_view_get_busy (view));
  WAIT_UNTIL (!lk_case_view_get_busy (view));
  g_assert_null (lk_case_view_get_action_error (view));
  state = server_case_text (fixture, "SELECT delivery_state FROM letters WHERE case_id = ?1", case_id);
  g_assert_cmpstr (state, ==, "queued");
  WAIT_UNTIL (has_local_letter (fixture->officer, case_id, "queued"));
  lk_case_view_reload (view);
  WAIT_UNTIL (lk_case_view_get_n_letter_rows (view) > 0 &&
              !lk_letter_row_get_can_resend (lk_case_view_get_letter_row (view, 0)));
  g_assert_cmpstr (lk_letter_row_get_delivery_text (lk_case_view_get_letter_row (view, 0)), ==,
                   "Delivery: waiting to be emailed");

  gtk_window_destroy (window);
}

/* ---- fixture ---- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *args[] = { "--trust", token->ca_pem, NULL };
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = lk_test_make_tmpdir ("signing");
  fixture->db_path = g_build_filename (fixture->tmpdir, "server.db", NULL);
  fixture->server = lk_test_server_start_full (fixture->db_path, 0, SEED_CASES, args, &error);
  g_assert_no_error (error);
  register_certificate (fixture, "pejabat", token->rsa_cert_pem);
  register_certificate (fixture, "pejabat", token->always_cert_pem);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  /* Let pending callbacks run out (bounded: something that keeps
   * rescheduling itself is a bug, not a reason to hang). */
  for (guint i = 0; i < 10000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_object (&fixture->officer);
  g_clear_object (&fixture->signer);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  lk_test_server_free (fixture->server);
  lk_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->db_path);
}

/* ---- tests ---- */

/* The workflow: 3 letters reviewed, ticked, signed with one PIN,
 * uploaded; signed on the server and verifying. */
static void
test_sign_batch (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = officer_forwards (fixture, 3);
  LkTokenChooser *chooser;

  open_signing_page (fixture);
  g_assert_cmpuint (lk_signing_page_get_n_letters (fixture->page), >=, 3);
  review_and_tick (fixture, ids);

  /* No certificate chosen yet: Sign opens the chooser first. */
  g_assert_true (lk_signing_page_get_certificate (fixture->page) == NULL ||
                 *lk_signing_page_get_certificate (fixture->page) == '\0');
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.sign", NULL);
  chooser = lk_signing_page_get_token_chooser (fixture->page);
  g_assert_nonnull (chooser);
  WAIT_UNTIL (!lk_token_chooser_get_loading (chooser));
  g_assert_null (lk_token_chooser_get_error (chooser));
  g_assert_cmpuint (lk_token_chooser_get_n_certificates (chooser), >=, 3);
  g_assert_true (lk_token_chooser_select (chooser, rsa_cert_url));
  g_assert_false (lk_token_chooser_get_selected_expired (chooser));
  lk_token_chooser_apply (chooser);
  g_assert_cmpstr (lk_signing_page_get_certificate (fixture->page), ==, rsa_cert_url);
  {
    g_autoptr(GSettings) settings = lk_app_settings_new ();

    if (settings != NULL)
      {
        g_autofree char *saved = g_settings_get_string (settings, "signing-certificate-url");

        g_assert_cmpstr (saved, ==, rsa_cert_url);
      }
  }

  /* The batch started with the choice: one PIN for the three. The token
   * is fresh (this test runs first): nothing to warn about. */
  WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL);
  g_assert_true (lk_signing_page_get_running (fixture->page));
  g_assert_cmpstr (lk_pin_dialog_get_state_text (lk_signing_page_get_pin_dialog (fixture->page)), ==, "");
  type_pin (fixture, LK_TEST_TOKEN_PIN);
  WAIT_UNTIL (!lk_signing_page_get_running (fixture->page));
  g_assert_null (lk_signing_page_get_batch_error (fixture->page));
  g_assert_cmpuint (lk_signing_page_get_n_results (fixture->page), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      gboolean ok = FALSE;
      const char *message = lk_signing_page_get_result (fixture->page, i, &ok);

      g_test_message ("letter %u: %s", i, message);
      g_assert_true (ok);
    }

  wait_pushed (fixture->signer);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *state = server_state (fixture, g_ptr_array_index (ids, i));

      g_assert_cmpstr (state, ==, "signed");
      assert_letter_verifies (fixture, g_ptr_array_index (ids, i));
    }

  check_case_view_letter (fixture, g_ptr_array_index (ids, 0));

  /* Done: the signed letters leave the queue. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.done", NULL);
  WAIT_UNTIL (!lk_signing_page_get_loading (fixture->page));
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (letter_index (fixture, g_ptr_array_index (ids, i)), ==, -1);
}

/* A wrong PIN: the dialog comes back saying so and what the token tells
 * of the tries left; giving up leaves the letter unsigned. */
static void
test_wrong_pin (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = officer_forwards (fixture, 1);
  g_autofree char *state = NULL;
  LkPinDialog *again;
  const char *said;

  open_signing_page (fixture);
  lk_signing_page_set_certificate (fixture->page, token_url, rsa_cert_url, NULL);
  review_and_tick (fixture, ids);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.sign", NULL);
  WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL);
  type_pin (fixture, "999999");

  WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL);
  again = lk_signing_page_get_pin_dialog (fixture->page);
  said = lk_pin_dialog_get_state_text (again);
  g_test_message ("after a wrong PIN the dialog says: %s", said);
  g_assert_true (g_str_has_prefix (said, "The token rejected the PIN."));
  /* Whatever the token reports of its tries is said too. */
  g_assert_true (strstr (said, "last try") != NULL || strstr (said, "few tries") != NULL ||
                 strstr (said, "does not tell how many tries") != NULL);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (again), "cancel");
  WAIT_UNTIL (!lk_signing_page_get_running (fixture->page));
  g_assert_nonnull (lk_signing_page_get_batch_error (fixture->page));
  g_test_message ("batch error: %s", lk_signing_page_get_batch_error (fixture->page));
  g_assert_nonnull (strstr (lk_signing_page_get_batch_error (fixture->page), "rejected the PIN"));
  g_assert_cmpuint (lk_signing_page_get_n_results (fixture->page), ==, 1);
  g_assert_cmpuint (n_signed_results (fixture), ==, 0);
  g_assert_cmpint (lk_outbox_count (lk_session_get_store (fixture->signer)), ==, 0);
  state = server_state (fixture, g_ptr_array_index (ids, 0));
  g_assert_cmpstr (state, ==, "awaiting_signature");

  /* Back to the queue: still reviewed and ticked; the right PIN signs. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.done", NULL);
  WAIT_UNTIL (!lk_signing_page_get_loading (fixture->page));
  g_assert_true (lk_signing_page_get_ticked (fixture->page, letter_index (fixture, g_ptr_array_index (ids, 0))));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.sign", NULL);
  WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL);
  g_test_message ("the next PIN dialog says: %s",
                  lk_pin_dialog_get_state_text (lk_signing_page_get_pin_dialog (fixture->page)));
  type_pin (fixture, LK_TEST_TOKEN_PIN);
  WAIT_UNTIL (!lk_signing_page_get_running (fixture->page));
  g_assert_null (lk_signing_page_get_batch_error (fixture->page));
  g_assert_cmpuint (n_signed_results (fixture), ==, 1);
  wait_pushed (fixture->signer);
  g_free (state);
  state = server_state (fixture, g_ptr_array_index (ids, 0));
  g_assert_cmpstr (state, ==, "signed");
}

/* A key that wants the PIN for every signature is announced first; a
 * cancel after the first letter leaves the rest unsigned. */
static void
test_cancel_mid_batch (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = officer_forwards (fixture, 3);
  AdwMessageDialog *question;
  guint signed_count = 0;
  guint per_letter = 0;

  open_signing_page (fixture);
  lk_signing_page_set_certificate (fixture->page, token_url, always_cert_url, NULL);
  review_and_tick (fixture, ids);

  /* No to the PIN: nothing is signed, and that is what it says. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.sign", NULL);
  WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (lk_signing_page_get_pin_dialog (fixture->page)), "cancel");
  WAIT_UNTIL (!lk_signing_page_get_running (fixture->page));
  g_assert_cmpstr (lk_signing_page_get_batch_error (fixture->page), ==,
                   "Signing was cancelled; no letter was signed.");
  g_assert_cmpuint (lk_signing_page_get_n_results (fixture->page), ==, 3);
  g_assert_cmpuint (n_signed_results (fixture), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.done", NULL);
  WAIT_UNTIL (!lk_signing_page_get_loading (fixture->page));

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.sign", NULL);
  WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL);
  type_pin (fixture, LK_TEST_TOKEN_PIN);

  /* Announced before any letter is signed. */
  WAIT_UNTIL (lk_signing_page_get_question (fixture->page) != NULL);
  question = lk_signing_page_get_question (fixture->page);
  {
    g_autofree char *entries = g_strdup_printf ("(%u PIN entries)", 3 * LK_SIGN_BATCH_PINS_PER_LETTER);

    g_test_message ("%s", adw_message_dialog_get_body (question));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (question), entries));
  }
  g_assert_cmpuint (lk_signing_page_get_n_results (fixture->page), ==, 0);
  adw_message_dialog_response (question, "continue");

  /* Each signature asks the PIN: answer until the first letter is done,
   * then cancel while the second one waits for its PIN. */
  while (lk_signing_page_get_n_results (fixture->page) == 0)
    {
      WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL ||
                  lk_signing_page_get_n_results (fixture->page) > 0);
      if (lk_signing_page_get_n_results (fixture->page) == 0)
        {
          type_pin (fixture, LK_TEST_TOKEN_PIN);
          per_letter++;
        }
    }
  /* As announced. */
  g_assert_cmpuint (per_letter, ==, LK_SIGN_BATCH_PINS_PER_LETTER);
  WAIT_UNTIL (lk_signing_page_get_pin_dialog (fixture->page) != NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "signing.cancel", NULL);
  WAIT_UNTIL (!lk_signing_page_get_running (fixture->page));

  g_assert_cmpuint (lk_signing_page_get_n_results (fixture->page), ==, 3);
  signed_count = n_signed_results (fixture);
  g_assert_cmpuint (signed_count, ==, 1);
  {
    gboolean ok = TRUE;
    const char *message = lk_signing_page_get_result (fixture->page, 2, &ok);

    g_assert_false (ok);
    g_assert_nonnull (strstr (message, "stopped"));
  }

  wait_pushed (fixture->signer);
  for (guint i = 0; i < ids->len; i++)
    {
      gboolean ok = FALSE;
      g_autofree char *state = server_state (fixture, g_ptr_array_index (ids, i));

      lk_signing_page_get_result (fixture->page, i, &ok);
      g_assert_cmpstr (state, ==, ok ? "signed" : "awaiting_signature");
      if (ok)
        assert_letter_verifies (fixture, g_ptr_array_index (ids, i));
    }
}

/* Every dialog once: the locked and the PIN pad states of the PIN dialog. */
static void
test_pin_dialog_states (void)
{
  LkPinDialog *locked = lk_pin_dialog_new (NULL, LK_PIN_DIALOG_LOCKED, "Kartu", LK_TOKEN_FLAG_NONE,
                                           LK_TOKEN_PIN_NONE, 3);
  LkPinDialog *pad = lk_pin_dialog_new (NULL, LK_PIN_DIALOG_PIN_PAD, "Kartu",
                                        LK_TOKEN_FLAG_PROTECTED_AUTH_PATH, LK_TOKEN_PIN_NONE, 3);
  LkPinDialog *final = lk_pin_dialog_new (NULL, LK_PIN_DIALOG_ENTRY, "Kartu",
                                          LK_TOKEN_FLAG_PIN_FINAL_TRY, LK_TOKEN_PIN_WRONG, 3);

  gtk_window_present (GTK_WINDOW (locked));
  gtk_window_present (GTK_WINDOW (pad));
  gtk_window_present (GTK_WINDOW (final));
  g_assert_false (gtk_widget_get_visible (lk_pin_dialog_get_entry (locked)));
  g_assert_nonnull (strstr (lk_pin_dialog_get_state_text (locked), "locked"));
  g_assert_false (gtk_widget_get_visible (lk_pin_dialog_get_entry (pad)));
  g_assert_true (gtk_widget_get_visible (lk_pin_dialog_get_entry (final)));
  g_assert_nonnull (strstr (lk_pin_dialog_get_state_text (final), "last try"));
  gtk_window_destroy (GTK_WINDOW (locked));
  gtk_window_destroy (GTK_WINDOW (pad));
  gtk_window_destroy (GTK_WINDOW (final));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The certificate URLs on the test token, as the chooser lists them. */
static void
find_certificates (void)
{
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;

  lk_sign_batch_init_modules (NULL, &error);
  g_assert_no_error (error);
  tokens = lk_token_list_tokens (&error);
  g_assert_no_error (error);
  for (guint i = 0; i < tokens->len; i++)
    {
      LkTokenInfo *info = g_ptr_array_index (tokens, i);

      if (g_strcmp0 (info->label, token->label) == 0)
        token_url = g_strdup (info->url);
    }
  g_assert_nonnull (token_url);
  certs = lk_token_list_certificates (token_url, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < certs->len; i++)
    {
      LkTokenCert *cert = g_ptr_array_index (certs, i);

      if (g_strcmp0 (cert->id_hex, "01") == 0)
        rsa_cert_url = g_strdup (cert->url);
      else if (g_strcmp0 (cert->id_hex, "03") == 0)
        always_cert_url = g_strdup (cert->url);
    }
  g_assert_nonnull (rsa_cert_url);
  g_assert_nonnull (always_cert_url);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  lk_app_test_init (&argc, &argv);

  /* The token before anything loads PKCS#11 modules. */
  token = lk_test_token_new ("loket-desk", TRUE, &error);
  g_assert_no_error (error);
  lk_test_token_add_always_auth_key (token, &error);
  g_assert_no_error (error);

  adw_init ();
  find_certificates ();

  g_test_add_func ("/signing/pin-dialog/states", test_pin_dialog_states);
  g_test_add ("/signing/batch/three-letters", Fixture, NULL, fixture_set_up, test_sign_batch, fixture_tear_down);
  g_test_add ("/signing/batch/wrong-pin", Fixture, NULL, fixture_set_up, test_wrong_pin, fixture_tear_down);
  g_test_add ("/signing/batch/cancel", Fixture, NULL, fixture_set_up, test_cancel_mid_batch, fixture_tear_down);

  ret = g_test_run ();

  g_free (rsa_cert_url);
  g_free (always_cert_url);
  g_free (token_url);
  lk_test_token_free (token);
  lk_test_token_cleanup ();
  return ret;
}
