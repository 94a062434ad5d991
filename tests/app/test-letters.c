/* test-letters.c — the session's letter draft: rendered, cached, queued as a
 * document, pushed with its blob to a real loket-server
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template.h"
#include "store/lk-store-private.h"
#include "sync/lk-blob-cache.h"
#include "lk-application.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define DEMO_USER    "petugas"
#define SEED_CASES   30

static LkApplication *app;

typedef struct
{
  char         *tmpdir;
  LkTestServer *server;
  LkStore      *db;        /* the server's database */
  char         *case_id;   /* a case with every field the letter needs */
  char         *bare_id;   /* one whose address was taken away */
} Fixture;

static char *
db_text (Fixture    *f,
         const char *sql,
         const char *arg)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  char *value = NULL;

  g_assert_no_error (error);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  f->tmpdir = lk_test_make_tmpdir ("letters");
  f->server = lk_app_test_server_start (f->tmpdir, SEED_CASES);
  f->db = lk_store_open (f->server->db_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);

  f->case_id = db_text (f,
                        "SELECT c.id FROM cases AS c JOIN service_types AS s ON s.id = c.service_type "
                        "WHERE c.address IS NOT NULL AND s.needs_business = 1 "
                        "AND c.nib IS NOT NULL AND c.business_name IS NOT NULL ORDER BY c.id LIMIT 1",
                        NULL);
  g_assert_nonnull (f->case_id);
  f->bare_id = db_text (f, "SELECT id FROM cases WHERE id <> ?1 ORDER BY id LIMIT 1", f->case_id);
  g_assert_nonnull (f->bare_id);
  stmt = lk_store_prepare (f->db, "UPDATE cases SET address = NULL, version = version + 1 WHERE id = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, f->bare_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  g_setenv ("LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  lk_app_test_close_all_windows (app);
  g_unsetenv ("LOKET_PASSWORD");

  g_clear_object (&f->db);
  lk_app_test_server_clear (&f->server, &f->tmpdir);
  g_free (f->case_id);
  g_free (f->bare_id);
}

static LkSession *
open_session (const char *url)
{
  LkWindow *window = lk_app_test_open_account (app, url, DEMO_USER);
  LkSession *session = lk_window_get_session (window);

  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED ||
              lk_session_get_status (session) == LK_SESSION_STATUS_FAILED);
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  return session;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
prepare_full (LkSession   *session,
              const char  *case_id,
              char       **out_number,
              gboolean    *out_offline,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_session_prepare_letter_async (session, case_id, NULL, result_cb, &result);
  WAIT_UNTIL (result != NULL);
  return lk_session_prepare_letter_finish_full (session, result, out_number, out_offline, error);
}

static char *
prepare (LkSession   *session,
         const char  *case_id,
         GError     **error)
{
  return prepare_full (session, case_id, NULL, NULL, error);
}

/* The subject of the letter template of CASE_ID's service type, changed
 * on the server as an admin's edit would (a new version), pulled by SESSION. */
static void
edit_template_subject (Fixture    *f,
                       LkSession  *session,
                       const char *case_id,
                       const char *subject)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *service_id = db_text (f, "SELECT service_type FROM cases WHERE id = ?1", case_id);
  g_autofree char *had = db_text (f, "SELECT id FROM templates WHERE id = ?1", service_id);
  sqlite3_stmt *stmt;

  g_assert_nonnull (service_id);
  g_assert_nonnull (had);
  stmt = lk_store_prepare (f->db, "UPDATE templates SET body = json_set (body, '$.subject', ?2), "
                                  "version = version + 1 WHERE id = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, subject, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  lk_session_sync_now (session);
  for (;;)
    {
      g_autoptr(JsonObject) record = lk_store_get_json (lk_session_get_store (session), LK_KIND_TEMPLATE,
                                                        service_id, NULL);

      if (record != NULL &&
          strstr (json_object_get_string_member_with_default (record, "body", ""), subject) != NULL)
        break;
      WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
local_change_cb (LkSession  *session,
                 const char *case_id,
                 char      **seen)
{
  g_free (*seen);
  *seen = g_strdup (case_id);
}

static void
test_prepare_letter (Fixture       *f,
                     gconstpointer  data)
{
  LkSession *session = open_session (f->server->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autofree char *document_id = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *name = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *blob_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *token = NULL;
  g_autoptr(LkTestReply) reply = NULL;
  g_autofree char *number = NULL;
  g_autoptr(LkLetterInfo) info = NULL;
  LkDocument *draft = NULL;
  gboolean offline = TRUE;
  gulong handler;

  /* The service type's template as the admin edited it. */
  edit_template_subject (f, session, f->case_id, "Surat Keterangan Templat Uji");

  handler = g_signal_connect (session, "local-change", G_CALLBACK (local_change_cb), &seen);
  document_id = prepare_full (session, f->case_id, &number, &offline, &error);
  g_assert_no_error (error);
  g_test_message ("number %s (%s)", number, offline ? "offline" : "from the server");
  g_assert_nonnull (number);
  g_assert_false (offline);
  g_assert_nonnull (document_id);
  g_assert_cmpstr (seen, ==, f->case_id);
  g_signal_handler_disconnect (session, handler);

  /* Queued locally at once, with its blob in the cache. */
  kase = lk_store_get_case (lk_session_get_store (session), f->case_id, &error);
  g_assert_no_error (error);
  documents = lk_store_list_documents (lk_session_get_store (session), f->case_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < documents->len; i++)
    if (g_strcmp0 (lk_document_get_id (g_ptr_array_index (documents, i)), document_id) == 0)
      draft = g_ptr_array_index (documents, i);
  g_assert_nonnull (draft);
  name = lk_letter_draft_document_name (lk_case_get_receipt (kase));
  g_assert_cmpstr (lk_document_get_name (draft), ==, name);
  g_assert_cmpstr (lk_document_get_mime_type (draft), ==, "application/pdf");
  for (guint i = 0; i < documents->len; i++)
    if (g_ptr_array_index (documents, i) != draft)
      g_assert_cmpint (lk_document_get_position (g_ptr_array_index (documents, i)), <,
                       lk_document_get_position (draft));
  cached = lk_blob_cache_lookup (lk_session_get_blob_cache (session), lk_document_get_sha256 (draft));
  g_assert_nonnull (cached);
  /* It carries its number and letter id for the signer. */
  info = lk_letter_read_info_file (cached, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->number, ==, number);
  g_assert_true (lk_letter_id_is_valid (info->letter_id));
  g_assert_cmpint (info->template_version, >, 1);

  /* The push uploads the blob, then the document. */
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED &&
              lk_session_get_outbox_count (session) == 0);
  sha256 = db_text (f, "SELECT sha256 FROM documents WHERE id = ?1", document_id);
  g_assert_cmpstr (sha256, ==, lk_document_get_sha256 (draft));
  {
    g_autofree char *on_server = db_text (f, "SELECT name FROM documents WHERE id = ?1", document_id);

    g_assert_cmpstr (on_server, ==, name);
  }

  token = lk_test_sign_in (f->server->url, DEMO_USER, LK_TEST_DEMO_PASSWORD);
  blob_path = g_strdup_printf ("/api/v1/blobs/%s", sha256);
  reply = lk_test_http (f->server->url, "GET", blob_path, token, NULL, 0, NULL);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (reply->body), ==, (gsize) lk_document_get_size (draft));
  g_assert_cmpint (memcmp (g_bytes_get_data (reply->body, NULL), "%PDF-", 5), ==, 0);
  {
    g_autofree char *hash = lk_blob_compute_sha256 (reply->body);

    g_assert_cmpstr (hash, ==, sha256);
  }

  /* And it is the case's letter. */
  {
    g_autofree char *pdf = g_build_filename (f->tmpdir, "fetched.pdf", NULL);
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    int status = 0;

    g_assert_true (g_file_set_contents (pdf, g_bytes_get_data (reply->body, NULL),
                                        g_bytes_get_size (reply->body), &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &text, NULL, &status, &error));
    g_assert_no_error (error);
    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, "Surat Keterangan Templat Uji"));
    g_assert_nonnull (strstr (text, number));
  }
}

static void
test_prepare_letter_refused (Fixture       *f,
                             gconstpointer  data)
{
  LkSession *session = open_session (f->server->url);
  g_autoptr(GError) error = NULL;
  g_autofree char *document_id = NULL;
  gint64 before = lk_store_count (lk_session_get_store (session), LK_KIND_DOCUMENT);

  document_id = prepare (session, f->bare_id, &error);
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD);
  g_assert_null (document_id);
  g_assert_cmpint (lk_store_count (lk_session_get_store (session), LK_KIND_DOCUMENT), ==, before);
  g_assert_cmpint (lk_session_get_outbox_count (session), ==, 0);

  g_clear_error (&error);
  document_id = prepare (session, "00000000-0000-4000-8000-00000000dead", &error);
  g_assert_nonnull (error);
  g_assert_null (document_id);
}

static gint64
free_block_numbers (LkSession *session)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_session_get_store (session);
  sqlite3_stmt *stmt;
  gint64 n = 0;

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT count(*) FROM number_blocks WHERE status = 'free'", &error);
  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  lk_store_unlock (store);
  return n;
}

/* The server away: the draft takes a number of the block granted in
 * advance, and the case view says so. */
static void
test_prepare_offline (Fixture       *f,
                      gconstpointer  data)
{
  LkSession *session = open_session (f->server->url);
  LkWindow *window = LK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  LkCaseView *view = lk_window_get_case_view (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *document_id = NULL;
  g_autofree char *number = NULL;
  gboolean offline = FALSE;
  LkLetterRow *row;

  /* A round after the first (which brings the service types) asks the
   * blocks. */
  while (free_block_numbers (session) == 0)
    {
      lk_session_sync_now (session);
      WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_true (lk_test_server_stop (f->server, FALSE));
  document_id = prepare_full (session, f->case_id, &number, &offline, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document_id);
  g_test_message ("offline number %s", number);
  g_assert_true (offline);
  g_assert_nonnull (number);

  lk_case_view_set_case_id (view, f->case_id);
  WAIT_UNTIL (lk_case_view_get_case (view) != NULL && lk_case_view_get_n_letter_rows (view) > 0);
  row = lk_case_view_get_letter_row (view, 0);
  g_assert_null (lk_letter_row_get_letter_id (row));
  g_assert_nonnull (strstr (lk_letter_row_get_number_text (row), number));
  g_assert_nonnull (strstr (lk_letter_row_get_status_text (row), "offline"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  app = lk_app_test_application_new ();

  g_test_add ("/app/letters/prepare", Fixture, NULL, fixture_set_up, test_prepare_letter, fixture_tear_down);
  g_test_add ("/app/letters/offline-number", Fixture, NULL, fixture_set_up, test_prepare_offline,
              fixture_tear_down);
  g_test_add ("/app/letters/refused", Fixture, NULL, fixture_set_up, test_prepare_letter_refused,
              fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
