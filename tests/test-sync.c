/* test-sync.c — the sync client and loketctl against a real loket-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "lk-account.h"
#include "lk-test-util.h"
#include "store/lk-store.h"
#include "store/lk-store-private.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-sync-client.h"

/* A demo user that sees every unit, so that its feed holds every record. */
#define TEST_USER "admin"

static const char * const all_kinds[] = {
  LK_KIND_UNIT, LK_KIND_SERVICE_TYPE, LK_KIND_CASE, LK_KIND_DOCUMENT, LK_KIND_HISTORY,
  LK_KIND_TEMPLATE,   /* the demo seed stores one per service type (issue 6) */
};

typedef struct
{
  char         *dir;
  char         *server_db;
  char         *store_path;
  LkTestServer *server;
  gboolean      running;
} Fixture;

/* Helpers */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  guint seed_cases = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;

  f->dir = lk_test_make_tmpdir ("sync");
  f->server_db = g_build_filename (f->dir, "server.db", NULL);
  f->store_path = g_build_filename (f->dir, "client.db", NULL);
  f->server = lk_test_server_start (f->server_db, 0, seed_cases, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);
  f->running = TRUE;
}

static void
stop_server (Fixture  *f,
             gboolean  hard)
{
  g_assert_true (f->running);
  f->running = FALSE;
  g_assert_true (lk_test_server_stop (f->server, hard));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    {
      if (f->running)
        g_assert_true (lk_test_server_stop (f->server, FALSE));
      lk_test_server_free (f->server);
    }
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->server_db);
  g_free (f->store_path);
}

static void
restart_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  guint16 port = f->server->port;

  g_assert_false (f->running);
  g_clear_pointer (&f->server, lk_test_server_free);
  f->server = lk_test_server_start (f->server_db, port, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);
  g_assert_cmpuint (f->server->port, ==, port);
  f->running = TRUE;
}

static LkSyncClient *
signed_in_client (Fixture *f)
{
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = lk_sync_client_new (f->server->url, TEST_USER, &error);
  g_assert_no_error (error);
  g_assert_false (lk_sync_client_is_signed_in (client));

  g_assert_true (lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lk_sync_client_is_signed_in (client));
  g_assert_nonnull (lk_sync_client_get_display_name (client));
  g_assert_cmpstr (lk_sync_client_get_role (client), ==, "admin");

  return g_steal_pointer (&client);
}

static LkStore *
open_client_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  LkStore *store;

  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);

  return store;
}

/* The server's own counts, read from its database (WAL: safe while it runs). */
static gint64
server_total (Fixture *f,
              gint64   counts[G_N_ELEMENTS (all_kinds)])
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  store = lk_store_open (f->server_db, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      counts[i] = lk_store_count (store, all_kinds[i]);
      g_assert_cmpint (counts[i], >=, 0);
      total += counts[i];
    }

  return total;
}

static void
assert_counts_equal_server (Fixture *f,
                            LkStore *store)
{
  gint64 expected[G_N_ELEMENTS (all_kinds)];

  server_total (f, expected);
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      g_test_message ("%s: %" G_GINT64_FORMAT, all_kinds[i], expected[i]);
      g_assert_cmpint (lk_store_count (store, all_kinds[i]), ==, expected[i]);
    }
}

/* A TCP port on 127.0.0.1 that nothing listens on. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

/* The first document of the store's cases. */
static LkDocument *
find_document (LkStore *store)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  cases = lk_store_query_cases (store, LK_CASE_STATE_INVALID, NULL, 0, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < cases->len; i++)
    {
      g_autoptr(GPtrArray) documents = NULL;

      documents = lk_store_list_documents (store, lk_case_get_id (g_ptr_array_index (cases, i)),
                                           &error);
      g_assert_no_error (error);
      if (documents->len > 0)
        return g_object_ref (g_ptr_array_index (documents, 0));
    }

  return NULL;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

/* Bulk mode of a first pull (lk-store-private.h), seen from outside */

/* A read-only connection to a store, as another process would read it. */
static sqlite3 *
open_read_only (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

/* One text value of sql, with param (may be NULL) bound to its ?
 * (NULL when no row or NULL). */
static char *
query_text_with (sqlite3    *db,
                 const char *sql,
                 const char *param)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  g_assert_true (rc == SQLITE_ROW || rc == SQLITE_DONE);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  return query_text_with (db, sql, NULL);
}

/* The store's schema: every (type, name, tbl_name, sql) of sqlite_master,
 * one line each, sorted. */
static char *
schema_of (const char *path)
{
  sqlite3 *db = open_read_only (path);
  char *schema;

  schema = query_text (db,
                       "SELECT group_concat (line, char (10)) FROM"
                       " (SELECT type || '|' || name || '|' || tbl_name || '|' || coalesce (sql, '-') AS line"
                       "  FROM sqlite_master ORDER BY type, name)");
  sqlite3_close (db);
  g_assert_nonnull (schema);
  return schema;
}

/* The schema of a client store just created, with its indexes. */
static char *
fresh_schema (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "fresh.db", NULL);
  g_autoptr(LkStore) store = open_client_store (path);
  char *schema = schema_of (path);
  g_autofree char *indexes = NULL;
  sqlite3 *db = open_read_only (path);

  /* The schema has plain indexes on the synced tables, or there is
   * nothing to test. */
  indexes = query_text (db, "SELECT count (*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                            " AND tbl_name IN ('cases', 'documents', 'history')");
  sqlite3_close (db);
  g_assert_cmpint (g_ascii_strtoll (indexes, NULL, 10), >=, 3);
  return schema;
}

/* Checks that store (closed or read-only elsewhere) is in bulk mode: no
 * plain index on the synced tables, the dropped ones listed in its meta
 * and nothing else missing against a fresh store. */
static void
assert_in_bulk_mode (Fixture    *f,
                     const char *path)
{
  g_autofree char *fresh = fresh_schema (f);
  g_autofree char *schema = schema_of (path);
  g_autofree char *saved = NULL;
  g_autofree char *left = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_auto(GStrv) fresh_lines = g_strsplit (fresh, "\n", -1);
  JsonArray *list;
  sqlite3 *db = open_read_only (path);

  saved = query_text (db, "SELECT value FROM meta WHERE key = '" LK_STORE_BULK_INDEXES_KEY "'");
  left = query_text (db, "SELECT count (*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                         " AND tbl_name IN ('units', 'service_types', 'cases', 'documents', 'history',"
                         " 'notes', 'checklist')");
  sqlite3_close (db);
  g_assert_nonnull (saved);
  g_assert_cmpstr (left, ==, "0");

  /* The fresh schema without the saved indexes is this one. */
  g_assert_true (json_parser_load_from_data (parser, saved, -1, &error));
  g_assert_no_error (error);
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), >=, 3);
  for (guint i = 0; fresh_lines[i] != NULL; i++)
    {
      gboolean dropped = FALSE;

      for (guint j = 0; j < json_array_get_length (list); j++)
        {
          JsonObject *index = json_array_get_object_element (list, j);
          g_autofree char *line = g_strdup_printf ("index|%s|", json_object_get_string_member (index, "name"));

          if (g_str_has_prefix (fresh_lines[i], line))
            {
              g_assert_nonnull (strstr (fresh_lines[i], json_object_get_string_member (index, "sql")));
              dropped = TRUE;
            }
        }
      if (!dropped)
        g_string_append_printf (expected, "%s%s", expected->len > 0 ? "\n" : "", fresh_lines[i]);
    }
  g_assert_cmpstr (schema, ==, expected->str);
}

/* Checks that a synced store is whole: the schema of a fresh store, no
 * bulk mode left, the server's counts, and its search index finds the
 * applicant of a case. */
static void
assert_synced_store (Fixture    *f,
                     const char *path)
{
  g_autofree char *fresh = fresh_schema (f);
  g_autofree char *schema = schema_of (path);
  g_autoptr(LkStore) store = open_client_store (path);
  g_autoptr(GArray) nids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *name = NULL;
  g_autofree char *nid = NULL;
  g_autofree char *id = NULL;
  gboolean found = FALSE;
  sqlite3 *db;

  g_assert_cmpstr (schema, ==, fresh);
  saved = lk_store_get_meta (store, LK_STORE_BULK_INDEXES_KEY);
  g_assert_null (saved);
  assert_counts_equal_server (f, store);

  /* A case of the server's, found by its applicant's name. */
  db = open_read_only (f->server_db);
  id = query_text (db, "SELECT id FROM cases ORDER BY id DESC LIMIT 1");
  g_assert_nonnull (id);
  name = query_text_with (db, "SELECT applicant_name FROM cases WHERE id = ?", id);
  sqlite3_close (db);
  db = open_read_only (path);
  nid = query_text_with (db, "SELECT rowid FROM cases WHERE id = ?", id);
  sqlite3_close (db);
  g_assert_nonnull (name);
  g_assert_nonnull (nid);
  nids = lk_store_search_case_nids (store, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nids->len, >=, 1);
  for (guint i = 0; i < nids->len; i++)
    found |= g_array_index (nids, gint64, i) == g_ascii_strtoll (nid, NULL, 10);
  g_assert_true (found);
}

/* Client tests */

static void
test_login_wrong_password (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = lk_sync_client_new (f->server->url, TEST_USER, &error);
  g_assert_no_error (error);

  g_assert_false (lk_sync_client_login (client, "not-the-password", NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH);
  g_assert_false (lk_sync_client_is_signed_in (client));
  g_clear_error (&error);

  /* An unknown user gets the same answer. */
  g_clear_object (&client);
  client = lk_sync_client_new (f->server->url, "nobody-here", &error);
  g_assert_no_error (error);
  g_assert_false (lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "Wrong user name or password.");
  g_clear_error (&error);

  /* Guessing gets throttled (429), with its own message. */
  g_clear_object (&client);
  client = lk_sync_client_new (f->server->url, TEST_USER, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    {
      g_assert_false (lk_sync_client_login (client, "guess", NULL, &error));
      g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH);
      if (g_str_has_prefix (error->message, "Too many failed sign-ins"))
        break;
      g_clear_error (&error);
    }
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "Too many failed sign-ins"));
}

static void
test_offline (void)
{
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autofree char *dir = lk_test_make_tmpdir ("offline");
  g_autofree char *path = g_build_filename (dir, "client.db", NULL);

  client = lk_sync_client_new (url, TEST_USER, &error);
  g_assert_no_error (error);

  g_assert_false (lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, url));
  g_clear_error (&error);

  /* Without a session, nothing is sent at all. */
  store = open_client_store (path);
  g_assert_false (lk_sync_client_pull (client, store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SESSION_EXPIRED);
  g_assert_null (lk_store_get_meta (store, "sync.cursor"));

  g_clear_object (&store);
  lk_test_rm_rf (dir);
}

static void
test_invalid_url (void)
{
  const char *bad[] = {
    "", "127.0.0.1:8080", "ftp://127.0.0.1", "http://", "http://127.0.0.1:8080/api",
    "http://127.0.0.1/?x=1", "http://user@127.0.0.1/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkSyncClient) client = lk_sync_client_new (bad[i], TEST_USER, &error);

      g_test_message ("URL “%s”", bad[i]);
      g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INVALID_URL);
      g_assert_null (client);
    }
}

static void
count_pages_cb (guint    records_in_page,
                guint64  total_records,
                gpointer user_data)
{
  guint *pages = user_data;

  g_assert_cmpuint (records_in_page, <=, 50);
  (*pages)++;
}

static void
test_pull_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = signed_in_client (f);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *cursor2 = NULL;
  g_autofree char *last_pull = NULL;
  gint64 counts[G_N_ELEMENTS (all_kinds)];
  guint64 records = 0;
  gint64 total;
  guint pages = 0;

  total = server_total (f, counts);
  g_assert_cmpint (counts[2], ==, 300);
  g_assert_cmpint (counts[3], >, 0);
  g_assert_cmpint (counts[4], >=, 300);

  /* The async path, as the app uses it: its own store in a worker. */
  lk_sync_client_pull_async (client, f->store_path, NULL, async_done_cb, &result);
  g_assert_true (lk_sync_client_pull_finish (client, wait_for_result (&result), &records, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records, ==, total);

  store = open_client_store (f->store_path);
  assert_counts_equal_server (f, store);
  cursor = lk_store_get_meta (store, "sync.cursor");
  g_assert_nonnull (cursor);
  last_pull = lk_store_get_meta (store, "sync.last_pull");
  g_assert_nonnull (last_pull);
  g_assert_cmpint (g_ascii_strtoll (last_pull, NULL, 10), >, 0);

  /* Nothing changed since: an empty page, the same cursor. */
  g_assert_true (lk_sync_client_pull (client, store, 50, count_pages_cb, &pages,
                                      &records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records, ==, 0);
  g_assert_cmpuint (pages, ==, 1);
  cursor2 = lk_store_get_meta (store, "sync.cursor");
  g_assert_cmpstr (cursor2, ==, cursor);
  assert_counts_equal_server (f, store);
}

typedef struct
{
  Fixture *fixture;
  guint    pages;
  guint    kill_after;
} KillData;

static void
kill_after_pages_cb (guint    records_in_page,
                     guint64  total_records,
                     gpointer user_data)
{
  KillData *kill = user_data;

  g_assert_cmpuint (records_in_page, ==, 100);
  g_assert_cmpuint (total_records, ==, (kill->pages + 1) * 100);
  if (++kill->pages == kill->kill_after)
    stop_server (kill->fixture, TRUE);
}

static void
test_pull_resume_after_crash (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = signed_in_client (f);
  g_autoptr(LkSyncClient) client2 = NULL;
  g_autoptr(LkStore) store = open_client_store (f->store_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  gint64 counts[G_N_ELEMENTS (all_kinds)];
  KillData kill = { f, 0, 3 };
  guint64 records = 0;
  guint64 records2 = 0;
  gint64 local = 0;
  gint64 total;

  total = server_total (f, counts);
  g_assert_cmpint (counts[2], ==, 2000);

  /* The server dies (SIGKILL) once the third page is committed. */
  g_assert_false (lk_sync_client_pull (client, store, 100, kill_after_pages_cb, &kill,
                                       &records, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  /* Pages are committed in batches (the first of 8 pages) and the fetcher
   * runs up to a batch ahead, so pages fetched before the kill are still
   * committed after it; every page reported was committed, and the pull
   * stopped short of the end. */
  g_assert_cmpuint (kill.pages, >=, 3);
  g_assert_cmpuint (records, ==, kill.pages * 100);
  g_assert_cmpuint (records, <, (guint64) total);

  /* The committed pages are there, and the cursor that goes with them. */
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    local += lk_store_count (store, all_kinds[i]);
  g_assert_cmpint (local, ==, (gint64) records);
  cursor = lk_store_get_meta (store, "sync.cursor");
  g_assert_nonnull (cursor);

  /* Same database, same port. */
  restart_server (f);
  client2 = signed_in_client (f);
  g_assert_true (lk_sync_client_pull (client2, store, 100, NULL, NULL,
                                      &records2, NULL, &error));
  g_assert_no_error (error);

  /* It resumed: only what was missing was fetched, nothing twice. */
  g_assert_cmpuint (records2, <, (guint64) total);
  g_assert_cmpuint (records + records2, ==, (guint64) total);
  assert_counts_equal_server (f, store);
  /* The first pull was in bulk mode; the second one finished it. */
  assert_synced_store (f, f->store_path);
}

static void
test_fetch_blob (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = signed_in_client (f);
  g_autoptr(LkStore) store = open_client_store (f->store_path);
  g_autoptr(LkDocument) document = NULL;
  g_autoptr(LkBlobCache) cache = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_dir = g_build_filename (f->dir, "blobs", NULL);
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;
  g_autofree char *path3 = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *other_hash = NULL;
  g_autofree char *expected_path = NULL;
  const char *sha256;
  gsize len;

  g_assert_true (lk_sync_client_pull (client, store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  document = find_document (store);
  g_assert_nonnull (document);
  sha256 = lk_document_get_sha256 (document);
  g_assert_true (lk_blob_is_valid_sha256 (sha256));

  cache = lk_blob_cache_new (cache_dir);
  g_assert_null (lk_blob_cache_lookup (cache, sha256));

  lk_sync_client_fetch_blob_async (client, cache, sha256, NULL, async_done_cb, &result);
  path = lk_sync_client_fetch_blob_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);

  /* DIR/ab/abcdef… */
  expected_path = g_build_filename (cache_dir, (char[]) { sha256[0], sha256[1], '\0' }, sha256, NULL);
  g_assert_cmpstr (path, ==, expected_path);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpint ((gint64) len, ==, lk_document_get_size (document));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  hash = lk_blob_compute_sha256 (bytes);
  g_assert_cmpstr (hash, ==, sha256);

  /* A blob no visible document refers to is not served. */
  other = g_bytes_new_static ("not a document", 14);
  other_hash = lk_blob_compute_sha256 (other);
  g_assert_null (lk_sync_client_fetch_blob (client, cache, other_hash, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_null (lk_blob_cache_lookup (cache, other_hash));

  /* The second fetch comes from the cache: the server is gone. */
  stop_server (f, FALSE);
  path2 = lk_sync_client_fetch_blob (client, cache, sha256, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path2, ==, path);

  /* A damaged cached file is not handed out… */
  g_assert_true (g_file_set_contents (path, "garbage", -1, &error));
  g_assert_no_error (error);
  g_assert_null (lk_sync_client_fetch_blob (client, cache, sha256, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);

  /* …but fetched again once the server is back. */
  restart_server (f);
  g_clear_object (&client);
  client = signed_in_client (f);
  path3 = lk_sync_client_fetch_blob (client, cache, sha256, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path3, ==, path);
  g_assert_true (g_file_get_contents (path3, &contents, &len, &error));
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_clear_pointer (&hash, g_free);
  hash = lk_blob_compute_sha256 (bytes);
  g_assert_cmpstr (hash, ==, sha256);
}

/* A download that was cut keeps its bytes and resumes with a Range request
 * from where it stopped. */
static void
test_fetch_blob_resume (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = signed_in_client (f);
  g_autoptr(LkStore) store = open_client_store (f->store_path);
  g_autoptr(LkDocument) document = NULL;
  g_autoptr(LkBlobCache) cache = NULL;
  g_autoptr(LkBlobCache) reference_cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_dir = g_build_filename (f->dir, "blobs", NULL);
  g_autofree char *reference_dir = g_build_filename (f->dir, "reference", NULL);
  g_autofree char *reference = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *fetched = NULL;
  g_autofree char *damaged = NULL;
  gsize len, fetched_len, half;
  const char *sha256;

  g_assert_true (lk_sync_client_pull (client, store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  document = find_document (store);
  g_assert_nonnull (document);
  sha256 = lk_document_get_sha256 (document);

  /* The whole file, fetched once into another cache. */
  reference_cache = lk_blob_cache_new (reference_dir);
  reference = lk_sync_client_fetch_blob (client, reference_cache, sha256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (reference, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 2);
  half = len / 2;

  /* Its first half, as a cut download leaves it: the fetch asks for the
   * rest only and the result is whole. */
  cache = lk_blob_cache_new (cache_dir);
  partial = lk_blob_cache_partial_path (cache, sha256, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (partial, contents, (gssize) half, &error));
  g_assert_no_error (error);
  path = lk_sync_client_fetch_blob (client, cache, sha256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &fetched, &fetched_len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (fetched, fetched_len, contents, len);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* A first half with a flipped byte: the resumed download appends to it,
   * so the whole does not match and is discarded (proof that only the rest
   * was asked for); the next fetch starts over and succeeds. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  damaged = g_memdup2 (contents, half);
  damaged[0] ^= 0x5a;
  g_assert_true (g_file_set_contents (partial, damaged, (gssize) half, &error));
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  g_assert_null (lk_sync_client_fetch_blob (client, cache, sha256, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_null (lk_blob_cache_lookup (cache, sha256));

  path = lk_sync_client_fetch_blob (client, cache, sha256, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&fetched, g_free);
  g_assert_true (g_file_get_contents (path, &fetched, &fetched_len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (fetched, fetched_len, contents, len);
}

static void
test_blob_cache_integrity (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("blobs");
  g_autoptr(LkBlobCache) cache = lk_blob_cache_new (dir);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) wrong = g_bytes_new_static ("HELLO", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = lk_blob_compute_sha256 (bytes);
  g_autofree char *path = NULL;
  g_autofree char *found = NULL;
  g_autofree char *upper = g_ascii_strup (sha256, -1);

  g_assert_cmpstr (sha256, ==, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  g_assert_true (lk_blob_is_valid_sha256 (sha256));
  g_assert_false (lk_blob_is_valid_sha256 (upper));
  g_assert_false (lk_blob_is_valid_sha256 ("2cf24dba"));
  g_assert_false (lk_blob_is_valid_sha256 (NULL));

  g_assert_null (lk_blob_cache_store (cache, sha256, wrong, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INTEGRITY);
  g_clear_error (&error);
  g_assert_null (lk_blob_cache_lookup (cache, sha256));

  path = lk_blob_cache_store (cache, sha256, bytes, &error);
  g_assert_no_error (error);
  found = lk_blob_cache_lookup (cache, sha256);
  g_assert_cmpstr (found, ==, path);
  g_assert_null (lk_blob_cache_lookup (cache, "../../etc/passwd"));

  lk_test_rm_rf (dir);
}

typedef struct
{
  LkStore *store;
  guint    batches;
} BulkData;

static void
check_bulk_cb (guint    records_in_page,
               guint64  total_records,
               gpointer user_data)
{
  BulkData *bulk = user_data;
  g_autofree char *saved = lk_store_get_meta (bulk->store, LK_STORE_BULK_INDEXES_KEY);

  /* Reported once committed: in bulk mode until the last batch. */
  if (saved != NULL)
    bulk->batches++;
}

/* A first pull of many pages goes through bulk mode and leaves the
 * schema of a fresh store. */
static void
test_pull_bulk (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = signed_in_client (f);
  g_autoptr(LkStore) store = open_client_store (f->store_path);
  g_autoptr(GError) error = NULL;
  BulkData bulk = { store, 0 };
  gint64 counts[G_N_ELEMENTS (all_kinds)];
  guint64 records = 0;

  g_assert_true (lk_sync_client_pull (client, store, 10, check_bulk_cb, &bulk,
                                      &records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records, ==, server_total (f, counts));
  g_assert_cmpuint (bulk.batches, >, 0);
  assert_synced_store (f, f->store_path);

  /* Not again once synced. */
  bulk.batches = 0;
  g_assert_true (lk_sync_client_pull (client, store, 10, check_bulk_cb, &bulk,
                                      &records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bulk.batches, ==, 0);
}

/* loketctl */

typedef struct
{
  int   status;
  char *out;
  char *err;
} CtlResult;

static void
ctl_result_clear (CtlResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* A launcher for $LOKET_CTL_BIN; password (may be NULL) goes into
 * LOKET_PASSWORD. The XDG dirs of this test are inherited. */
static GSubprocessLauncher *
ctl_launcher (const char       *password,
              GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* GLib isolates this process's dirs without exporting them. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, "LOKET_PASSWORD", password, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "LOKET_PASSWORD");

  return launcher;
}

/* Runs $LOKET_CTL_BIN with args; password (may be NULL) goes into
 * LOKET_PASSWORD. The XDG dirs of this test are inherited. */
static void
run_ctl (CtlResult          *result,
         const char         *password,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("LOKET_CTL_BIN");

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = ctl_launcher (password, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("loketctl %s → %d\nstdout: %.500s\nstderr: %s", args[0], result->status,
                  result->out, result->err);
}

/* Checks that every line has 4 tab-separated fields; returns the lines. */
static GStrv
case_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[i][0] == '\0')
        {
          g_assert_null (lines[i + 1]);  /* only the end of the output */
          continue;
        }
      fields = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 4);
      g_assert_cmpstr (fields[0], !=, "");
      g_assert_cmpint (lk_case_state_from_string (fields[1]), !=, LK_CASE_STATE_INVALID);
      g_strv_builder_add (builder, lines[i]);
    }

  return g_strv_builder_end (builder);
}

static void
test_ctl_help (void)
{
  CtlResult result = { 0, };

  run_ctl (&result, NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "sync --server URL --user NAME"));
  g_assert_nonnull (strstr (result.out, "cases list"));
  g_assert_nonnull (strstr (result.out, "help [COMMAND]"));
  ctl_result_clear (&result);

  run_ctl (&result, NULL, (const char *[]) { "help", "sync", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--password-file"));
  g_assert_nonnull (strstr (result.out, "LOKET_PASSWORD"));
  ctl_result_clear (&result);

  run_ctl (&result, NULL, (const char *[]) { "cases", "list", "--help", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--state"));
  g_assert_nonnull (strstr (result.out, "awaiting_signature"));
  ctl_result_clear (&result);

  run_ctl (&result, NULL, (const char *[]) { "help", "cases", NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "cases list"));
  ctl_result_clear (&result);

  run_ctl (&result, NULL, (const char *[]) { "frobnicate", NULL });
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "frobnicate"));
  ctl_result_clear (&result);

  /* Before any sync there is no account to list. */
  run_ctl (&result, NULL, (const char *[]) { "cases", "list", NULL });
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "loketctl sync"));
  ctl_result_clear (&result);
}

static void
test_ctl_sync_and_list (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *password_file = g_build_filename (f->dir, "password", NULL);
  g_autofree char *expected = NULL;
  g_auto(GStrv) name_words = NULL;
  g_auto(GStrv) lines = NULL;
  CtlResult result = { 0, };
  gint64 by_state[LK_N_CASE_STATES];
  const char *sync_args[] = { "sync", "--server", f->server->url, "--user", TEST_USER, NULL };
  LkCase *first;
  gboolean found = FALSE;

  /* No password anywhere: refused before any request. */
  run_ctl (&result, NULL, sync_args);
  g_assert_cmpint (result.status, !=, 0);
  g_assert_nonnull (strstr (result.err, "LOKET_PASSWORD"));
  ctl_result_clear (&result);

  run_ctl (&result, "wrong-password", sync_args);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Wrong user name or password"));
  g_assert_null (strstr (result.err, "wrong-password"));
  ctl_result_clear (&result);

  run_ctl (&result, LK_TEST_DEMO_PASSWORD, sync_args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "Pulled "));
  g_assert_null (strstr (result.out, LK_TEST_DEMO_PASSWORD));
  ctl_result_clear (&result);

  /* The same file the app uses. */
  store_path = lk_account_store_path (f->server->url, TEST_USER, &error);
  g_assert_no_error (error);
  store = open_client_store (store_path);
  assert_counts_equal_server (f, store);

  /* Again, with the password in a file: nothing new. */
  g_assert_true (g_file_set_contents (password_file, LK_TEST_DEMO_PASSWORD "\n", -1, &error));
  g_assert_no_error (error);
  run_ctl (&result, NULL, (const char *[]) { "sync", "--server", f->server->url, "--user", TEST_USER,
                                             "--password-file", password_file, NULL });
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "Pulled 0 records; cursor "));
  ctl_result_clear (&result);

  /* Every case, from the account of the last sync. */
  run_ctl (&result, NULL, (const char *[]) { "cases", "list", NULL });
  g_assert_cmpint (result.status, ==, 0);
  lines = case_lines (result.out);
  g_assert_cmpint (g_strv_length (lines), ==, lk_store_count (store, LK_KIND_CASE));
  g_clear_pointer (&lines, g_strfreev);
  ctl_result_clear (&result);

  /* --search by the applicant's name finds that case. */
  cases = lk_store_query_cases (store, LK_CASE_STATE_INVALID, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  first = g_ptr_array_index (cases, 0);
  name_words = g_strsplit (lk_case_get_applicant_name (first), " ", 2);
  run_ctl (&result, NULL, (const char *[]) { "cases", "list", "--server", f->server->url,
                                             "--user", TEST_USER, "--search", name_words[0], NULL });
  g_assert_cmpint (result.status, ==, 0);
  lines = case_lines (result.out);
  g_assert_cmpuint (g_strv_length (lines), >=, 1);
  g_assert_cmpint (g_strv_length (lines), <, lk_store_count (store, LK_KIND_CASE));
  expected = g_strdup_printf ("%s\t%s\t", lk_case_get_receipt (first),
                              lk_case_state_to_string (lk_case_get_state (first)));
  for (guint i = 0; lines[i] != NULL; i++)
    found |= g_str_has_prefix (lines[i], expected);
  g_assert_true (found);
  g_clear_pointer (&lines, g_strfreev);
  ctl_result_clear (&result);

  /* --state signed: only signed cases, all of them. */
  g_assert_true (lk_store_count_cases_by_state (store, by_state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (by_state[LK_CASE_STATE_SIGNED], >, 0);
  run_ctl (&result, NULL, (const char *[]) { "cases", "list", "--state", "signed", NULL });
  g_assert_cmpint (result.status, ==, 0);
  lines = case_lines (result.out);
  g_assert_cmpint (g_strv_length (lines), ==, by_state[LK_CASE_STATE_SIGNED]);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpstr (fields[1], ==, "signed");
    }
  g_clear_pointer (&lines, g_strfreev);
  ctl_result_clear (&result);

  run_ctl (&result, NULL, (const char *[]) { "cases", "list", "--limit", "5", NULL });
  g_assert_cmpint (result.status, ==, 0);
  lines = case_lines (result.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_clear_pointer (&lines, g_strfreev);
  ctl_result_clear (&result);

  run_ctl (&result, NULL, (const char *[]) { "cases", "list", "--state", "bogus", NULL });
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "bogus"));
  ctl_result_clear (&result);
}

/* loketctl is killed (SIGKILL) during a first pull in bulk mode: the
 * store keeps its pages and stays in bulk mode, searchable; the next sync
 * finishes the feed and bulk mode. */
static void
test_ctl_bulk_killed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *name = NULL;
  g_autofree char *nid = NULL;
  g_autofree char *local = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GArray) nids = NULL;
  gboolean found = FALSE;
  CtlResult result = { 0, };
  const char *bin = g_getenv ("LOKET_CTL_BIN");
  const char *sync_args[] = { "sync", "--server", f->server->url, "--user", TEST_USER, NULL };
  gint64 counts[G_N_ELEMENTS (all_kinds)];
  gint64 total = server_total (f, counts);

  g_assert_nonnull (bin);
  store_path = lk_account_store_path (f->server->url, TEST_USER, &error);
  g_assert_no_error (error);

  /* Small pages: thousands of requests, so it is still pulling when the
   * first batch is committed. */
  launcher = ctl_launcher (LK_TEST_DEMO_PASSWORD,
                           G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  process = g_subprocess_launcher_spawn (launcher, &error, bin, "sync", "--server", f->server->url,
                                         "--user", TEST_USER, "--page-size", "5", NULL);
  g_assert_no_error (error);

  /* Read-only, as another process: a committed batch with cases. */
  while (cursor == NULL)
    {
      /* Still running (NULL once it has exited). */
      g_assert_nonnull (g_subprocess_get_identifier (process));
      if (g_file_test (store_path, G_FILE_TEST_EXISTS))
        {
          sqlite3 *db = NULL;

          if (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
            {
              sqlite3_stmt *stmt = NULL;

              sqlite3_busy_timeout (db, 10000);
              if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'sync.cursor'"
                                      " AND EXISTS (SELECT 1 FROM cases)", -1,
                                      &stmt, NULL) == SQLITE_OK &&
                  sqlite3_step (stmt) == SQLITE_ROW)
                cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
              sqlite3_finalize (stmt);
            }
          sqlite3_close (db);
        }
      if (cursor == NULL)
        g_usleep (2000);
    }
  g_subprocess_send_signal (process, SIGKILL);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  /* Killed, not done. */
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);

  /* Some pages, not all, and still in bulk mode. */
  {
    sqlite3 *db = open_read_only (store_path);

    local = query_text (db, "SELECT (SELECT count (*) FROM units) + (SELECT count (*) FROM service_types)"
                            " + (SELECT count (*) FROM cases) + (SELECT count (*) FROM documents)"
                            " + (SELECT count (*) FROM history)");
    name = query_text (db, "SELECT applicant_name FROM cases ORDER BY rowid DESC LIMIT 1");
    nid = query_text (db, "SELECT rowid FROM cases ORDER BY rowid DESC LIMIT 1");
    sqlite3_close (db);
  }
  g_test_message ("killed after %s of %" G_GINT64_FORMAT " records", local, total);
  g_assert_cmpint (g_ascii_strtoll (local, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (local, NULL, 10), <, total);
  assert_in_bulk_mode (f, store_path);

  /* Search is exact meanwhile: the search index kept its triggers. */
  g_assert_nonnull (name);
  store = open_client_store (store_path);
  nids = lk_store_search_case_nids (store, name, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < nids->len; i++)
    found |= g_array_index (nids, gint64, i) == g_ascii_strtoll (nid, NULL, 10);
  g_assert_true (found);
  g_clear_object (&store);

  /* The next sync resumes from the cursor and finishes bulk mode. */
  run_ctl (&result, LK_TEST_DEMO_PASSWORD, sync_args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "Pulled "));
  ctl_result_clear (&result);
  assert_synced_store (f, store_path);
}

int
main (int    argc,
      char **argv)
{
  /* The isolated XDG dirs hide the system's GSettings schemas, which GIO's
   * GNOME proxy resolver needs; loopback needs no proxy anyway. Inherited
   * by the server and loketctl. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sync/url/invalid", test_invalid_url);
  g_test_add_func ("/sync/blob-cache/integrity", test_blob_cache_integrity);
  g_test_add_func ("/sync/login/offline", test_offline);
  g_test_add ("/sync/login/wrong-password", Fixture, GUINT_TO_POINTER (10),
              fixture_set_up, test_login_wrong_password, fixture_tear_down);
  g_test_add ("/sync/pull/full", Fixture, GUINT_TO_POINTER (300),
              fixture_set_up, test_pull_full, fixture_tear_down);
  g_test_add ("/sync/pull/resume-after-crash", Fixture, GUINT_TO_POINTER (2000),
              fixture_set_up, test_pull_resume_after_crash, fixture_tear_down);
  g_test_add ("/sync/blob/fetch", Fixture, GUINT_TO_POINTER (20),
              fixture_set_up, test_fetch_blob, fixture_tear_down);
  g_test_add ("/sync/blob/resume", Fixture, GUINT_TO_POINTER (20),
              fixture_set_up, test_fetch_blob_resume, fixture_tear_down);
  g_test_add ("/sync/pull/bulk", Fixture, GUINT_TO_POINTER (300),
              fixture_set_up, test_pull_bulk, fixture_tear_down);
  g_test_add_func ("/sync/ctl/help", test_ctl_help);
  g_test_add ("/sync/ctl/sync-and-list", Fixture, GUINT_TO_POINTER (300),
              fixture_set_up, test_ctl_sync_and_list, fixture_tear_down);
  g_test_add ("/sync/ctl/bulk-killed", Fixture, GUINT_TO_POINTER (2000),
              fixture_set_up, test_ctl_bulk_killed, fixture_tear_down);

  return g_test_run ();
}
