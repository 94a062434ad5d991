/* test-server.c — the real loket-server over HTTP on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "store/lk-store-private.h"
#include "letter/lk-letter-draft.h"
#include "lk-test-util.h"

#define SEED_CASES 40
#define N_UNITS 7
#define N_SERVICE_TYPES 6

/* One seeded server for the tests that only read. */
static char         *shared_dir;
static LkTestServer *shared;

/* Every change the user sees, paging with limit; checks the paging rules. */
static JsonArray *
fetch_feed (const char *base,
            const char *token,
            guint       limit)
{
  JsonArray *all = json_array_new ();
  g_autofree char *since = g_strdup ("");
  gint64 last_seq = 0;
  gboolean more = TRUE;
  guint pages = 0;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s&limit=%u", since, limit);
      g_autoptr(LkTestReply) reply = lk_test_http (base, "GET", path, token, NULL, 0, NULL);
      g_autoptr(JsonNode) root = NULL;
      JsonObject *page;
      JsonArray *changes;

      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
      root = lk_test_reply_json (reply);
      page = json_node_get_object (root);
      changes = json_object_get_array_member (page, "changes");
      more = json_object_get_boolean_member (page, "more");
      g_assert_cmpuint (json_array_get_length (changes), <=, limit);
      if (more)
        g_assert_cmpuint (json_array_get_length (changes), ==, limit);

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          gint64 seq = json_object_get_int_member (change, "seq");

          g_assert_cmpint (seq, >, last_seq);
          last_seq = seq;
          json_array_add_element (all, json_node_copy (json_array_get_element (changes, i)));
        }

      g_free (since);
      since = g_strdup (json_object_get_string_member (page, "next"));
      if (json_array_get_length (changes) > 0)
        {
          g_autofree char *expect = g_strdup_printf ("%" G_GINT64_FORMAT, last_seq);

          g_assert_cmpstr (since, ==, expect);
        }
      g_assert_cmpuint (++pages, <, 100000);
    }

  /* Past the end: nothing more. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s", since);
    g_autoptr(LkTestReply) reply = lk_test_http (base, "GET", path, token, NULL, 0, NULL);
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    root = lk_test_reply_json (reply);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                                         "changes")), ==, 0);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "more"));
  }

  return all;
}

static GHashTable *
count_kinds (JsonArray *feed)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (feed); i++)
    {
      JsonObject *change = json_array_get_object_element (feed, i);
      const char *kind = json_object_get_string_member (change, "kind");
      JsonObject *record = json_object_get_object_member (change, "record");
      char *key = g_strconcat (kind, "/", json_object_get_string_member (record, "id"), NULL);

      /* Each record exactly once. */
      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, key);
      g_hash_table_insert (counts, g_strdup (kind),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind)) + 1));
    }

  return counts;
}

static guint
kind_count (GHashTable *counts,
            const char *kind)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind));
}

static void
test_health (void)
{
  g_autoptr(LkTestReply) reply = lk_test_http (shared->url, "GET", "/api/v1/health", NULL, NULL, 0, NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (reply);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "version"), ==,
                   PACKAGE_VERSION);

  {
    g_autoptr(LkTestReply) missing = lk_test_http (shared->url, "GET", "/api/v1/nothing", NULL, NULL, 0, NULL);

    lk_test_assert_error (missing, SOUP_STATUS_NOT_FOUND, "not_found");
  }
}

static void
test_login (void)
{
  g_autoptr(LkTestReply) ok = lk_test_post_session (shared->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autoptr(LkTestReply) wrong = lk_test_post_session (shared->url, "petugas", "not-the-password");
  g_autoptr(LkTestReply) unknown = lk_test_post_session (shared->url, "nobody", LK_TEST_DEMO_PASSWORD);
  g_autoptr(LkTestReply) bad = lk_test_http (shared->url, "POST", "/api/v1/session", NULL, "[1,2", 4, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj, *user;
  const char *token;

  g_assert_cmpuint (ok->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (ok);
  obj = json_node_get_object (root);
  token = json_object_get_string_member (obj, "token");
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpint (json_object_get_int_member (obj, "expires_at"), >,
                   g_get_real_time () / G_USEC_PER_SEC + 11 * 3600);
  user = json_object_get_object_member (obj, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, "petugas");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "officer");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (user, "units")), ==, N_UNITS);

  /* Wrong password and unknown user get the very same answer. */
  lk_test_assert_error (wrong, SOUP_STATUS_UNAUTHORIZED, "auth_failed");
  lk_test_assert_error (unknown, SOUP_STATUS_UNAUTHORIZED, "auth_failed");
  g_assert_true (g_bytes_equal (wrong->body, unknown->body));

  lk_test_assert_error (bad, SOUP_STATUS_BAD_REQUEST, "bad_request");
}

static void
test_logout (void)
{
  g_autofree char *token = lk_test_sign_in (shared->url, "pejabat", LK_TEST_DEMO_PASSWORD);
  g_autoptr(LkTestReply) before = lk_test_http (shared->url, "GET", "/api/v1/changes?limit=1", token, NULL, 0,
                                                NULL);
  g_autoptr(LkTestReply) bye = lk_test_http (shared->url, "DELETE", "/api/v1/session", token, NULL, 0, NULL);
  g_autoptr(LkTestReply) after = lk_test_http (shared->url, "GET", "/api/v1/changes?limit=1", token, NULL, 0,
                                               NULL);

  g_assert_cmpuint (before->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (bye->status, ==, SOUP_STATUS_NO_CONTENT);
  lk_test_assert_error (after, SOUP_STATUS_UNAUTHORIZED, "session_expired");
}

static void
test_throttle (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("throttle");
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTestServer) server = lk_test_server_start (db, 0, 1, &error);

  g_assert_no_error (error);

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(LkTestReply) reply = lk_test_post_session (server->url, "petugas", "tebakan-salah");

      lk_test_assert_error (reply, SOUP_STATUS_UNAUTHORIZED, "auth_failed");
    }

  /* Now even the right password is refused, for that user… */
  {
    g_autoptr(LkTestReply) reply = lk_test_post_session (server->url, "petugas", LK_TEST_DEMO_PASSWORD);

    lk_test_assert_error (reply, 429, "throttled");
  }
  /* …and for anyone from the same address. */
  {
    g_autoptr(LkTestReply) reply = lk_test_post_session (server->url, "pejabat", LK_TEST_DEMO_PASSWORD);

    lk_test_assert_error (reply, 429, "throttled");
  }

  g_assert_true (lk_test_server_stop (server, FALSE));
  lk_test_rm_rf (dir);
}

static void
test_changes_auth (void)
{
  g_autoptr(LkTestReply) none = lk_test_http (shared->url, "GET", "/api/v1/changes", NULL, NULL, 0, NULL);
  g_autoptr(LkTestReply) bogus = lk_test_http (shared->url, "GET", "/api/v1/changes",
                                               "0000000000000000000000000000000000000000000000000000000000000000",
                                               NULL, 0, NULL);

  lk_test_assert_error (none, SOUP_STATUS_UNAUTHORIZED, "auth_required");
  lk_test_assert_error (bogus, SOUP_STATUS_UNAUTHORIZED, "session_expired");
}

static void
test_changes_paging (void)
{
  g_autofree char *token = lk_test_sign_in (shared->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autoptr(JsonArray) feed = fetch_feed (shared->url, token, 7);
  g_autoptr(GHashTable) counts = count_kinds (feed);
  g_autoptr(JsonArray) big_pages = fetch_feed (shared->url, token, 1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  gint64 n_docs, n_history;

  /* The database itself, read beside the running server (WAL). */
  store = lk_store_open (shared->db_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  n_docs = lk_store_count (store, LK_KIND_DOCUMENT);
  n_history = lk_store_count (store, LK_KIND_HISTORY);
  g_assert_cmpint (n_docs, >=, SEED_CASES);
  g_assert_cmpint (n_history, >=, SEED_CASES);

  g_assert_cmpuint (kind_count (counts, LK_KIND_UNIT), ==, N_UNITS);
  g_assert_cmpuint (kind_count (counts, LK_KIND_SERVICE_TYPE), ==, N_SERVICE_TYPES);
  g_assert_cmpuint (kind_count (counts, LK_KIND_CASE), ==, SEED_CASES);
  g_assert_cmpuint (kind_count (counts, LK_KIND_DOCUMENT), ==, (guint) n_docs);
  g_assert_cmpuint (kind_count (counts, LK_KIND_HISTORY), ==, (guint) n_history);
  g_assert_cmpuint (kind_count (counts, LK_KIND_TEMPLATE), ==, N_SERVICE_TYPES);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 6);

  /* Paging does not change what is seen. */
  g_assert_cmpuint (json_array_get_length (big_pages), ==, json_array_get_length (feed));

  /* Every state appears in the demo data; open cases have an SLA date. */
  {
    gboolean states[LK_N_CASE_STATES] = { FALSE };

    for (guint i = 0; i < json_array_get_length (feed); i++)
      {
        JsonObject *change = json_array_get_object_element (feed, i);
        JsonObject *record = json_object_get_object_member (change, "record");
        LkCaseState state;

        if (!g_str_equal (json_object_get_string_member (change, "kind"), LK_KIND_CASE))
          continue;
        state = lk_case_state_from_string (json_object_get_string_member (record, "state"));
        g_assert_cmpint (state, !=, LK_CASE_STATE_INVALID);
        states[state] = TRUE;
        g_assert_cmpuint (strlen (json_object_get_string_member (record, "nik")), ==, 16);
        g_assert_true (g_str_has_prefix (json_object_get_string_member (record, "nik"), "6171"));
        g_assert_cmpint (json_object_get_null_member (record, "sla_due"), ==,
                         !lk_case_state_is_open (state));
      }
    for (int s = 0; s < LK_N_CASE_STATES; s++)
      g_assert_true (states[s]);
  }
}

static void
test_changes_bad_request (void)
{
  static const char * const queries[] = {
    "limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=", "since=abc", "since=-5",
    "since=99999999999999999999",
  };
  g_autofree char *token = lk_test_sign_in (shared->url, "petugas", LK_TEST_DEMO_PASSWORD);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/changes?", queries[i], NULL);
      g_autoptr(LkTestReply) reply = lk_test_http (shared->url, "GET", path, token, NULL, 0, NULL);

      lk_test_assert_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }

  {
    g_autoptr(LkTestReply) reply = lk_test_http (shared->url, "GET", "/api/v1/changes?limit=1000", token,
                                                 NULL, 0, NULL);

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  }
}

static void
test_body_too_large (void)
{
  gsize len = 100 * 1024;
  g_autofree char *body = g_malloc (len);
  g_autoptr(LkTestReply) reply = NULL;

  memset (body, ' ', len);
  memcpy (body, "{\"username\":\"", 13);
  reply = lk_test_http (shared->url, "POST", "/api/v1/session", NULL, body, len, NULL);
  lk_test_assert_error (reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");

  /* The server is still there. */
  {
    g_autoptr(LkTestReply) health = lk_test_http (shared->url, "GET", "/api/v1/health", NULL, NULL, 0, NULL);

    g_assert_cmpuint (health->status, ==, SOUP_STATUS_OK);
  }
}

static void
test_blobs (void)
{
  g_autofree char *token = lk_test_sign_in (shared->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autoptr(JsonArray) feed = fetch_feed (shared->url, token, 1000);
  JsonObject *doc = NULL;
  const char *sha;
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  gsize size;
  const guint8 *data;

  for (guint i = 0; i < json_array_get_length (feed) && doc == NULL; i++)
    {
      JsonObject *change = json_array_get_object_element (feed, i);

      if (g_str_equal (json_object_get_string_member (change, "kind"), LK_KIND_DOCUMENT))
        doc = json_object_get_object_member (change, "record");
    }
  g_assert_nonnull (doc);
  sha = json_object_get_string_member (doc, "sha256");
  path = g_strconcat ("/api/v1/blobs/", sha, NULL);

  {
    g_autoptr(LkTestReply) reply = lk_test_http (shared->url, "GET", path, token, NULL, 0, NULL);

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    data = g_bytes_get_data (reply->body, &size);
    g_assert_cmpint ((gint64) size, ==, json_object_get_int_member (doc, "size"));
    g_assert_cmpuint (size, >, 200);
    g_assert_true (memcmp (data, "%PDF-", 5) == 0);
    hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, reply->body);
    g_assert_cmpstr (hash, ==, sha);

    {
      g_autoptr(LkTestReply) part = lk_test_http (shared->url, "GET", path, token, NULL, 0,
                                                  (const char *[]) { "Range", "bytes=100-199", NULL });
      gsize part_size;
      const guint8 *part_data = g_bytes_get_data (part->body, &part_size);

      g_assert_cmpuint (part->status, ==, SOUP_STATUS_PARTIAL_CONTENT);
      g_assert_cmpuint (part_size, ==, 100);
      g_assert_true (memcmp (part_data, data + 100, 100) == 0);
    }
  }

  {
    g_autoptr(LkTestReply) none = lk_test_http (shared->url, "GET", path, NULL, NULL, 0, NULL);
    g_autoptr(LkTestReply) unknown =
      lk_test_http (shared->url, "GET", "/api/v1/blobs/0000000000000000000000000000000000000000000000000000000000000000",
                    token, NULL, 0, NULL);
    g_autoptr(LkTestReply) bad = lk_test_http (shared->url, "GET", "/api/v1/blobs/xyz", token, NULL, 0, NULL);

    lk_test_assert_error (none, SOUP_STATUS_UNAUTHORIZED, "auth_required");
    lk_test_assert_error (unknown, SOUP_STATUS_NOT_FOUND, "not_found");
    lk_test_assert_error (bad, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
}

/* The demo's cases awaiting signature come with their letter drafts (up
 * to the seed's limit), so the demo signer has letters to sign: each a
 * draft-named document whose blob is a PDF the signer may download. */
static void
test_demo_drafts (void)
{
  g_autofree char *token = lk_test_sign_in (shared->url, "pejabat", LK_TEST_DEMO_PASSWORD);
  g_autoptr(JsonArray) feed = fetch_feed (shared->url, token, 1000);
  g_autoptr(GHashTable) awaiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n_drafts = 0, n_awaiting;

  for (guint i = 0; i < json_array_get_length (feed); i++)
    {
      JsonObject *change = json_array_get_object_element (feed, i);
      JsonObject *record = json_object_get_object_member (change, "record");

      if (g_str_equal (json_object_get_string_member (change, "kind"), LK_KIND_CASE) &&
          g_strcmp0 (json_object_get_string_member (record, "state"), "awaiting_signature") == 0)
        g_hash_table_insert (awaiting, g_strdup (json_object_get_string_member (record, "id")),
                             g_strdup (json_object_get_string_member (record, "receipt")));
    }
  n_awaiting = g_hash_table_size (awaiting);
  g_assert_cmpuint (n_awaiting, >, 0);

  for (guint i = 0; i < json_array_get_length (feed); i++)
    {
      JsonObject *change = json_array_get_object_element (feed, i);
      JsonObject *doc = json_object_get_object_member (change, "record");
      const char *receipt;
      g_autofree char *expected = NULL;
      g_autofree char *path = NULL;
      g_autofree char *hash = NULL;
      g_autoptr(LkTestReply) reply = NULL;

      if (!g_str_equal (json_object_get_string_member (change, "kind"), LK_KIND_DOCUMENT) ||
          !lk_letter_draft_is_draft_name (json_object_get_string_member (doc, "name")))
        continue;
      /* Drafts belong to cases awaiting signature, named by their receipt. */
      receipt = g_hash_table_lookup (awaiting, json_object_get_string_member (doc, "case_id"));
      g_assert_nonnull (receipt);
      expected = lk_letter_draft_document_name (receipt);
      g_assert_cmpstr (json_object_get_string_member (doc, "name"), ==, expected);
      g_hash_table_remove (awaiting, json_object_get_string_member (doc, "case_id"));
      n_drafts++;

      path = g_strconcat ("/api/v1/blobs/", json_object_get_string_member (doc, "sha256"), NULL);
      reply = lk_test_http (shared->url, "GET", path, token, NULL, 0, NULL);
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
      g_assert_cmpint ((gint64) g_bytes_get_size (reply->body), ==, json_object_get_int_member (doc, "size"));
      g_assert_true (memcmp (g_bytes_get_data (reply->body, NULL), "%PDF-", 5) == 0);
      hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, reply->body);
      g_assert_cmpstr (hash, ==, json_object_get_string_member (doc, "sha256"));
    }
  /* One draft per case awaiting signature, up to the seed's limit (60). */
  g_assert_cmpuint (n_drafts, ==, MIN (n_awaiting, 60));
}

static char *
query_text (LkStore    *store,
            const char *sql,
            const char *arg)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, &error);
  char *result = NULL;

  g_assert_no_error (error);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return result;
}

static void
test_unit_filter (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("units");
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTestServer) server = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *n_unit_cases = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonArray) feed = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GHashTable) cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  server = lk_test_server_start (db, 0, SEED_CASES, &error);
  g_assert_no_error (error);
  g_assert_true (lk_test_server_stop (server, FALSE));
  g_clear_pointer (&server, lk_test_server_free);

  /* A user of one kecamatan only, with the demo password. */
  {
    g_autoptr(LkStore) store = lk_store_open (db, LK_STORE_KIND_SERVER, &error);
    g_autofree char *hash = NULL;

    g_assert_no_error (error);
    unit = query_text (store, "SELECT unit FROM cases GROUP BY unit ORDER BY COUNT(*) DESC LIMIT 1", NULL);
    g_assert_nonnull (unit);
    n_unit_cases = query_text (store, "SELECT COUNT(*) FROM cases WHERE unit = ?1", unit);
    g_assert_cmpint (atoi (n_unit_cases), <, SEED_CASES);
    hash = query_text (store, "SELECT password_hash FROM users WHERE username = ?1", "petugas");
    g_assert_nonnull (hash);

    g_assert_true (lk_store_begin (store, &error));
    {
      sqlite3_stmt *stmt = lk_store_prepare (store,
                                             "INSERT INTO users (id, username, display_name, role, password_hash, version) "
                                             "VALUES ('u-terbatas', 'terbatas', 'Petugas Terbatas', 'officer', ?1, 1)",
                                             &error);
      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      stmt = lk_store_prepare (store, "INSERT INTO user_units (user_id, unit_id) VALUES ('u-terbatas', ?1)",
                               &error);
      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
    g_assert_true (lk_store_commit (store, &error));
  }

  server = lk_test_server_start (db, 0, 0, &error);
  g_assert_no_error (error);
  token = lk_test_sign_in (server->url, "terbatas", LK_TEST_DEMO_PASSWORD);
  feed = fetch_feed (server->url, token, 50);
  counts = count_kinds (feed);

  g_assert_cmpuint (kind_count (counts, LK_KIND_UNIT), ==, N_UNITS);
  g_assert_cmpuint (kind_count (counts, LK_KIND_SERVICE_TYPE), ==, N_SERVICE_TYPES);
  g_assert_cmpuint (kind_count (counts, LK_KIND_CASE), ==, (guint) atoi (n_unit_cases));

  for (guint i = 0; i < json_array_get_length (feed); i++)
    {
      JsonObject *change = json_array_get_object_element (feed, i);
      JsonObject *record = json_object_get_object_member (change, "record");
      const char *kind = json_object_get_string_member (change, "kind");

      if (g_str_equal (kind, LK_KIND_CASE))
        {
          g_assert_cmpstr (json_object_get_string_member (record, "unit"), ==, unit);
          g_hash_table_add (cases, g_strdup (json_object_get_string_member (record, "id")));
        }
      else if (g_str_equal (kind, LK_KIND_DOCUMENT) || g_str_equal (kind, LK_KIND_HISTORY))
        g_assert_true (g_hash_table_contains (cases, json_object_get_string_member (record, "case_id")));
    }

  g_assert_true (lk_test_server_stop (server, FALSE));
  lk_test_rm_rf (dir);
}

static char *
feed_text (const char *url)
{
  g_autofree char *token = lk_test_sign_in (url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autoptr(JsonArray) feed = fetch_feed (url, token, 1000);
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), feed);

  g_assert_cmpuint (json_array_get_length (feed), >, SEED_CASES);

  return json_to_string (node, FALSE);
}

static void
test_determinism (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("determinism");
  g_autofree char *db_a = g_build_filename (dir, "a.db", NULL);
  g_autofree char *db_b = g_build_filename (dir, "b.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTestServer) a = lk_test_server_start (db_a, 0, SEED_CASES, &error);
  g_autoptr(LkTestServer) b = NULL;
  g_autofree char *feed_a = NULL;
  g_autofree char *feed_b = NULL;

  g_assert_no_error (error);
  b = lk_test_server_start (db_b, 0, SEED_CASES, &error);
  g_assert_no_error (error);

  feed_a = feed_text (a->url);
  feed_b = feed_text (b->url);
  g_assert_cmpstr (feed_a, ==, feed_b);

  g_assert_true (lk_test_server_stop (a, FALSE));
  g_assert_true (lk_test_server_stop (b, FALSE));
  lk_test_rm_rf (dir);
}

static void
test_sigterm (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("sigterm");
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTestServer) server = lk_test_server_start (db, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_true (lk_test_server_stop (server, FALSE));
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);

  /* The database was closed cleanly and opens again. */
  {
    g_autoptr(LkStore) store = lk_store_open (db, LK_STORE_KIND_SERVER, &error);

    g_assert_no_error (error);
  }
  lk_test_rm_rf (dir);
}

static void
run_server_expecting_failure (const char * const *args,
                              const char         *needle)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("LOKET_SERVER_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_false (g_str_has_prefix (out, "listening on"));
  g_assert_nonnull (strstr (err, needle));
}

static void
test_refuse_insecure (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("insecure");
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  const char *public_listen[] = { "--db", db, "--listen", "0.0.0.0:0", NULL };
  const char *half_tls[] = { "--db", db, "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem", NULL };
  const char *bad_address[] = { "--db", db, "--listen", "localhost", NULL };

  run_server_expecting_failure (public_listen, "--tls-cert");
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  run_server_expecting_failure (half_tls, "--tls-key");
  run_server_expecting_failure (bad_address, "HOST:PORT");
  lk_test_rm_rf (dir);
}

/* Runs a command that must succeed (certtool). */
static void
run_tool (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* HTTPS from --tls-cert/--tls-key: a client that trusts the test CA gets
 * answers, one that does not refuses the certificate; with TLS the server
 * may listen beyond loopback. */
static void
test_tls (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("tls");
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *ca_key = g_build_filename (dir, "ca-key.pem", NULL);
  g_autofree char *ca_cert = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *ca_tmpl = g_build_filename (dir, "ca.tmpl", NULL);
  g_autofree char *key = g_build_filename (dir, "server-key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *tmpl = g_build_filename (dir, "server.tmpl", NULL);
  const char *listens[] = { "127.0.0.1:0", "0.0.0.0:0" };

  write_file (ca_tmpl, "cn = \"Loket Test CA\"\nca\ncert_signing_key\nexpiration_days = 30\n");
  write_file (tmpl, "cn = \"127.0.0.1\"\nip_address = \"127.0.0.1\"\ndns_name = \"localhost\"\n"
                    "tls_www_server\nencryption_key\nsigning_key\nexpiration_days = 30\n");
  {
    const char *argv[] = { "certtool", "--generate-privkey", "--key-type", "ecdsa", "--outfile", ca_key, NULL };
    run_tool (argv);
  }
  {
    const char *argv[] = { "certtool", "--generate-self-signed", "--load-privkey", ca_key,
                           "--template", ca_tmpl, "--outfile", ca_cert, NULL };
    run_tool (argv);
  }
  {
    const char *argv[] = { "certtool", "--generate-privkey", "--key-type", "ecdsa", "--outfile", key, NULL };
    run_tool (argv);
  }
  {
    const char *argv[] = { "certtool", "--generate-certificate", "--load-privkey", key,
                           "--load-ca-certificate", ca_cert, "--load-ca-privkey", ca_key,
                           "--template", tmpl, "--outfile", cert, NULL };
    run_tool (argv);
  }

  for (guint i = 0; i < G_N_ELEMENTS (listens); i++)
    {
      const char *argv[] = { g_getenv ("LOKET_SERVER_BIN"), "--db", db, "--listen", listens[i],
                             "--tls-cert", cert, "--tls-key", key, NULL };
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(GTlsDatabase) trust = NULL;
      g_autoptr(SoupSession) trusting = NULL;
      g_autoptr(SoupSession) plain = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      g_autofree char *health = NULL;
      const char *port;

      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_test_message ("%s", line);
      g_assert_true (g_str_has_prefix (line, "listening on https://"));
      port = strrchr (line, ':');
      g_assert_nonnull (port);
      health = g_strdup_printf ("https://127.0.0.1%s/api/v1/health", port);

      trust = g_tls_file_database_new (ca_cert, &error);
      g_assert_no_error (error);
      trusting = soup_session_new_with_options ("tls-database", trust, "timeout", 30, NULL);
      msg = soup_message_new ("GET", health);
      body = soup_session_send_and_read (trusting, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\"ok\""));
      g_clear_object (&msg);
      g_clear_pointer (&body, g_bytes_unref);

      /* Without the CA the certificate is refused: TLS is really on. */
      plain = soup_session_new_with_options ("timeout", 30, NULL);
      msg = soup_message_new ("GET", health);
      body = soup_session_send_and_read (plain, msg, NULL, &error);
      g_assert_null (body);
      g_assert_nonnull (error);
      g_test_message ("untrusted: %s", error->message);
      g_clear_error (&error);

      g_subprocess_send_signal (process, SIGTERM);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    }
  lk_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  shared_dir = lk_test_make_tmpdir ("server");
  db = g_build_filename (shared_dir, "server.db", NULL);
  shared = lk_test_server_start (db, 0, SEED_CASES, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/health", test_health);
  g_test_add_func ("/server/session/login", test_login);
  g_test_add_func ("/server/session/logout", test_logout);
  g_test_add_func ("/server/session/throttle", test_throttle);
  g_test_add_func ("/server/changes/auth", test_changes_auth);
  g_test_add_func ("/server/changes/paging", test_changes_paging);
  g_test_add_func ("/server/changes/bad-request", test_changes_bad_request);
  g_test_add_func ("/server/changes/unit-filter", test_unit_filter);
  g_test_add_func ("/server/changes/determinism", test_determinism);
  g_test_add_func ("/server/body-too-large", test_body_too_large);
  g_test_add_func ("/server/blobs", test_blobs);
  g_test_add_func ("/server/demo-drafts", test_demo_drafts);
  g_test_add_func ("/server/sigterm", test_sigterm);
  g_test_add_func ("/server/refuse-insecure", test_refuse_insecure);
  g_test_add_func ("/server/tls", test_tls);

  ret = g_test_run ();

  g_assert_true (lk_test_server_stop (shared, FALSE));
  g_clear_pointer (&shared, lk_test_server_free);
  lk_test_rm_rf (shared_dir);
  g_free (shared_dir);

  return ret;
}
