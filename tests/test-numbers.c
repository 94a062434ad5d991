/* test-numbers.c — letter numbering on a real loket-server: many desks at
 * once, offline blocks taken while the server is down and reconciled on
 * reconnect, voids, returns and the register that explains every number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "sign/lk-token.h"
#include "sign/lk-token-key.h"
#include "store/lk-store-private.h"
#include "sync/lk-numbers.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-engine.h"

#include "lk-test-signed.h"
#include "lk-test-token.h"
#include "lk-test-util.h"

#define SEED_CASES   240
#define N_THREADS    8
#define PER_THREAD   25
#define BLOCK_EVERY  5     /* a thread also takes a block of 2 every this many numbers */

static LkTestToken *test_token;
static LkTokenKey *rsa_key;

typedef struct
{
  char         *dir;
  char         *db_path;
  LkTestServer *server;
  LkStore      *db;        /* the server's database */
  GHashTable   *tokens;    /* username → session token */
} Fixture;

static const char *
token_of (Fixture    *f,
          const char *username)
{
  const char *token = g_hash_table_lookup (f->tokens, username);

  if (token == NULL)
    {
      g_hash_table_insert (f->tokens, g_strdup (username),
                           lk_test_sign_in (f->server->url, username, LK_TEST_DEMO_PASSWORD));
      token = g_hash_table_lookup (f->tokens, username);
    }
  return token;
}

static LkTestReply *
post (Fixture    *f,
      const char *username,
      const char *path,
      JsonObject *body)   /* taken */
{
  g_autoptr(JsonObject) object = body;
  g_autofree char *text = lk_test_json_text (object);

  return lk_test_http_json (f->server->url, "POST", path, token_of (f, username), text);
}

static LkSyncClient *
signed_in_client (Fixture    *f,
                  const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkSyncClient) client = lk_sync_client_new (f->server->url, username, &error);

  g_assert_no_error (error);
  lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *args[] = { "--trust", test_token->ca_pem, NULL };
  g_autoptr(GError) error = NULL;

  f->dir = lk_test_make_tmpdir ("numbers");
  f->db_path = g_build_filename (f->dir, "server.db", NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->server = lk_test_server_start_full (f->db_path, 0, SEED_CASES, args, &error);
  g_assert_no_error (error);
  f->db = lk_store_open (f->db_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    g_assert_true (lk_test_server_stop (f->server, FALSE));
  g_clear_pointer (&f->server, lk_test_server_free);
  g_clear_object (&f->db);
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

/* The register of a series as the admin reads it, all pages: asserts that
 * every sequence number from 1 to the counter is there once, with a
 * status of issued, used or voided (never missing). Returns the rows. */
static JsonArray *
read_register (Fixture    *f,
               const char *format,
               const char *unit,
               gint64      year)
{
  g_autofree char *escaped = g_uri_escape_string (format, NULL, FALSE);
  JsonArray *all = json_array_new ();
  gint64 after = 0, next_seq = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/numbers?format=%s&unit=%s&year=%" G_GINT64_FORMAT
                                               "&after=%" G_GINT64_FORMAT "&limit=7", escaped, unit, year, after);
      g_autoptr(LkTestReply) reply = lk_test_http (f->server->url, "GET", path, token_of (f, "admin"), NULL, 0, NULL);
      g_autoptr(JsonNode) root = NULL;
      JsonArray *rows;

      if (reply->status != SOUP_STATUS_OK)
        g_test_message ("register: %u %s", reply->status, lk_test_reply_text (reply));
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
      root = lk_test_reply_json (reply);
      next_seq = json_object_get_int_member (json_node_get_object (root), "next_seq");
      more = json_object_get_boolean_member (json_node_get_object (root), "more");
      rows = json_object_get_array_member (json_node_get_object (root), "numbers");
      g_assert_true (json_array_get_length (rows) > 0 || !more);
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          const char *status = json_object_get_string_member (row, "status");

          g_assert_cmpint (json_object_get_int_member (row, "seq"), ==, after + 1);
          g_assert_true (g_str_equal (status, "issued") || g_str_equal (status, "used") ||
                         g_str_equal (status, "voided"));
          if (g_str_equal (status, "voided"))
            g_assert_nonnull (json_object_get_string_member (row, "void_reason"));
          after++;
          json_array_add_object_element (all, json_object_ref (row));
        }
    }
  g_assert_cmpint (after, ==, next_seq - 1);
  return all;
}

/* 1. lk_numbers_format */

static void
test_format (void)
{
  static const struct { const char *format; gint64 seq; const char *expected; } cases[] = {
    { "503/{seq:04}/{unit}/{year}", 7, "503/0007/PTK-KOTA/2026" },
    { "{seq}/{unit}", 12345, "12345/PTK-KOTA" },
    { "X-{seq:02}-{year}-{seq}", 3, "X-03-2026-3" },
    { "{seq:04}", 123456, "123456" },
    { "{unit}/{year}", 1, NULL },
    { "{seq:00}/{seq:4}", 1, NULL },
    { "{seqq}", 1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = lk_numbers_format (cases[i].format, "PTK-KOTA", 2026, cases[i].seq);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* 2. Many desks at once */

typedef struct
{
  Fixture     *f;
  guint        index;
  GPtrArray   *case_ids;   /* the cases this thread numbers */
  GPtrArray   *numbers;    /* out: every number it was given */
  GPtrArray   *own;        /* out: the number of each of case_ids */
  LkStore     *store;      /* its desk's store (unused online) */
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  g_autoptr(LkSyncClient) client = signed_in_client (w->f, "petugas");

  for (guint i = 0; i < w->case_ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *case_id = g_ptr_array_index (w->case_ids, i);
      gboolean offline = TRUE;
      char *number = lk_numbers_obtain (client, w->store, case_id, &offline, NULL, &error);

      g_assert_no_error (error);
      g_assert_false (offline);
      g_ptr_array_add (w->numbers, number);
      g_ptr_array_add (w->own, g_strdup (number));

      if (i % BLOCK_EVERY == 0)
        {
          g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), json_object_new ());
          g_autoptr(JsonNode) answer = NULL;
          g_autofree char *service_type = NULL;
          g_autofree char *unit = NULL;
          JsonArray *numbers;

          /* The server's database is read by this thread on its own
           * connection only for the ids. */
          service_type = g_strdup (g_object_get_data (G_OBJECT (w->store), case_id));
          unit = g_strdup (strchr (service_type, '|') + 1);
          *strchr (service_type, '|') = '\0';
          json_object_set_string_member (json_node_get_object (body), "service_type", service_type);
          json_object_set_string_member (json_node_get_object (body), "unit", unit);
          json_object_set_int_member (json_node_get_object (body), "count", 2);
          answer = lk_sync_client_post_json (client, "/api/v1/number-blocks", body, 65536, NULL, &error);
          g_assert_no_error (error);
          numbers = json_object_get_array_member (json_node_get_object (answer), "numbers");
          g_assert_cmpuint (json_array_get_length (numbers), ==, 2);
          for (guint n = 0; n < 2; n++)
            g_ptr_array_add (w->numbers, g_strdup (json_object_get_string_member (
                                                     json_array_get_object_element (numbers, n), "number")));
        }
    }

  return NULL;
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) case_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = g_build_filename (f->dir, "desk.db", NULL);
  g_autoptr(LkStore) store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  sqlite3_stmt *stmt;
  guint total = 0, series = 0;
  double elapsed;
  int rc;

  g_assert_no_error (error);
  stmt = lk_store_prepare (f->db, "SELECT id, service_type, unit FROM cases ORDER BY id LIMIT ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, N_THREADS * PER_THREAD);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      g_ptr_array_add (case_ids, g_strdup (id));
      g_object_set_data_full (G_OBJECT (store), id,
                              g_strdup_printf ("%s|%s", sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2)),
                              g_free);
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (case_ids->len, ==, N_THREADS * PER_THREAD);

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t].f = f;
      workers[t].index = t;
      workers[t].store = store;
      workers[t].numbers = g_ptr_array_new_with_free_func (g_free);
      workers[t].own = g_ptr_array_new_with_free_func (g_free);
      workers[t].case_ids = g_ptr_array_new ();
      for (guint i = 0; i < PER_THREAD; i++)
        g_ptr_array_add (workers[t].case_ids, g_ptr_array_index (case_ids, t * PER_THREAD + i));
    }
  g_test_timer_start ();
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("numbers", worker_thread, &workers[t]);
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  elapsed = g_test_timer_elapsed ();

  /* Every number given out is unique and in the register as given. */
  for (guint t = 0; t < N_THREADS; t++)
    {
      for (guint i = 0; i < workers[t].numbers->len; i++)
        {
          const char *number = g_ptr_array_index (workers[t].numbers, i);

          g_assert_false (g_hash_table_contains (seen, number));
          g_hash_table_add (seen, (gpointer) number);
          g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM numbers WHERE number = ?1 AND status = 'issued'",
                                           number, NULL), ==, 1);
          total++;
        }
    }
  g_assert_cmpuint (total, ==, N_THREADS * (PER_THREAD + 2 * ((PER_THREAD + BLOCK_EVERY - 1) / BLOCK_EVERY)));
  /* Each case has exactly one number of its own. */
  g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM (SELECT case_id FROM numbers WHERE case_id IS NOT NULL "
                                          "AND block_id IS NULL GROUP BY case_id HAVING count(*) > 1)", NULL, NULL), ==, 0);
  /* Asking again gives each case the same number. */
  {
    g_autoptr(LkSyncClient) client = signed_in_client (f, "petugas");

    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *again = lk_numbers_obtain (client, store, g_ptr_array_index (workers[1].case_ids, i),
                                                    NULL, NULL, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (again, ==, g_ptr_array_index (workers[1].own, i));
      }
  }

  /* Every series: seq 1 … counter, no gap. */
  stmt = lk_store_prepare (f->db, "SELECT format, unit, year FROM number_counters ORDER BY format, unit, year", &error);
  g_assert_no_error (error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *format = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_autofree char *unit = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      gint64 year = sqlite3_column_int64 (stmt, 2);
      g_autoptr(JsonArray) rows = NULL;

      sqlite3_reset (stmt);
      rows = read_register (f, format, unit, year);
      series++;
      /* Step on to the next series (the statement is shared). */
      stmt = lk_store_prepare (f->db, "SELECT format, unit, year FROM number_counters ORDER BY format, unit, year "
                                      "LIMIT -1 OFFSET ?1", &error);
      g_assert_no_error (error);
      sqlite3_bind_int (stmt, 1, (int) series);
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (series, >, 1);
  /* A figure, not a check. */
  g_test_message ("%u numbers in %u series by %d desks at once (%d sign-ins, %d requests) in %.2f s",
                  total, series, N_THREADS, N_THREADS,
                  N_THREADS * (PER_THREAD + (PER_THREAD + BLOCK_EVERY - 1) / BLOCK_EVERY), elapsed);

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_ptr_array_unref (workers[t].numbers);
      g_ptr_array_unref (workers[t].own);
      g_ptr_array_unref (workers[t].case_ids);
    }
}

/* 3. An offline block: granted, taken while the server is down, reported
 * on reconnect, used by a signed letter; voids and returns */

/* A case of UNIT with service type SERVICE other than the ones in
 * EXCLUDE (NULL-terminated), or NULL. */
static char *
other_case (Fixture     *f,
            const char  *service,
            const char  *unit,
            const char  *exclude)
{
  return lk_test_db_text (f->db, "SELECT id FROM cases WHERE service_type = ?1 AND unit = "
                                 "(SELECT unit FROM cases WHERE id = ?2) AND id <> ?2 ORDER BY id LIMIT 1",
                          service, exclude);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = g_build_filename (f->dir, "desk.db", NULL);
  g_autoptr(LkStore) store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
  g_autoptr(LkSyncClient) client = NULL;
  g_autofree char *case_a = NULL, *case_b = NULL, *service = NULL, *unit = NULL, *format = NULL;
  g_autofree char *number_a = NULL, *number_a2 = NULL, *number_b = NULL, *block_id = NULL;
  g_autofree char *stranger = NULL, *spare = NULL;
  const char *args[] = { "--trust", test_token->ca_pem, NULL };
  gboolean offline = FALSE;
  guint16 port = f->server->port;
  int year;
  guint free_before;

  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    year = g_date_time_get_year (now);
  }

  /* Two cases of one series. */
  case_a = lk_test_db_text (f->db, "SELECT c.id FROM cases AS c WHERE (SELECT count(*) FROM cases AS d "
                                   "WHERE d.service_type = c.service_type AND d.unit = c.unit) >= 2 "
                                   "AND NOT EXISTS (SELECT 1 FROM numbers AS n WHERE n.case_id = c.id) "
                                   "ORDER BY c.id LIMIT 1", NULL, NULL);
  g_assert_nonnull (case_a);
  service = lk_test_db_text (f->db, "SELECT service_type FROM cases WHERE id = ?1", case_a, NULL);
  unit = lk_test_db_text (f->db, "SELECT unit FROM cases WHERE id = ?1", case_a, NULL);
  format = lk_test_db_text (f->db, "SELECT number_format FROM service_types WHERE id = ?1", service, NULL);
  case_b = other_case (f, service, unit, case_a);
  g_assert_nonnull (case_b);

  /* The desk syncs and is granted blocks for its units' series. */
  client = signed_in_client (f, "petugas");
  lk_sync_client_pull (client, store, 1000, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_numbers_count_free (store, format, unit, year), ==, 0);
  lk_numbers_reconcile (client, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_numbers_count_free (store, format, unit, year), ==, LK_NUMBERS_BLOCK_SIZE);
  g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM number_blocks AS b JOIN users AS u ON u.id = b.user_id "
                                          "WHERE u.username = 'petugas' AND b.unit = ?1", unit, NULL), >=, 1);
  /* Reconciling again asks nothing more. */
  {
    gint64 blocks = lk_test_db_int (f->db, "SELECT count(*) FROM number_blocks", NULL, NULL);

    lk_numbers_reconcile (client, store, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM number_blocks", NULL, NULL), ==, blocks);
  }

  /* The server goes away; the desk numbers from its block. */
  g_assert_true (lk_test_server_stop (f->server, FALSE));
  number_a = lk_numbers_obtain (client, store, case_a, &offline, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (offline);
  number_a2 = lk_numbers_obtain (client, store, case_a, &offline, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (number_a2, ==, number_a);
  number_b = lk_numbers_obtain (client, store, case_b, &offline, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (offline);
  g_assert_cmpstr (number_b, !=, number_a);
  g_assert_cmpuint (lk_numbers_count_free (store, format, unit, year), ==, LK_NUMBERS_BLOCK_SIZE - 2);
  /* Granted, not yet reported. */
  g_assert_cmpstr (lk_test_db_text (f->db, "SELECT status FROM numbers WHERE number = ?1 AND case_id IS NULL",
                                    number_a, NULL), ==, "issued");
  block_id = lk_test_db_text (f->db, "SELECT block_id FROM numbers WHERE number = ?1", number_a, NULL);
  g_assert_nonnull (block_id);

  /* Back online: the claims are recorded. */
  lk_test_server_free (f->server);
  f->server = lk_test_server_start_full (f->db_path, port, 0, args, &error);
  g_assert_no_error (error);
  free_before = lk_numbers_count_free (store, format, unit, year);
  lk_numbers_reconcile (client, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_test_db_text (f->db, "SELECT case_id FROM numbers WHERE number = ?1", number_a, NULL), ==, case_a);
  g_assert_cmpstr (lk_test_db_text (f->db, "SELECT case_id FROM numbers WHERE number = ?1", number_b, NULL), ==, case_b);
  g_assert_cmpint (lk_test_db_int (store, "SELECT count(*) FROM number_blocks WHERE status = 'reported'", NULL, NULL),
                   ==, 2);
  g_assert_cmpuint (lk_numbers_count_free (store, format, unit, year), ==, free_before);
  /* Online again, the server numbers: not from the block. */
  {
    g_autofree char *online = NULL;
    g_autofree char *case_c = lk_test_db_text (f->db, "SELECT id FROM cases WHERE id NOT IN (?1, ?2) AND NOT EXISTS "
                                                      "(SELECT 1 FROM numbers WHERE case_id = cases.id) "
                                                      "ORDER BY id LIMIT 1", case_a, case_b);

    online = lk_numbers_obtain (client, store, case_c, &offline, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (offline);
    g_assert_null (lk_test_db_text (f->db, "SELECT block_id FROM numbers WHERE number = ?1", online, NULL));
  }

  /* A used-up block is topped up. */
  lk_test_db_run (store, "DELETE FROM number_blocks WHERE status = 'free' AND format = ?1 AND unit = ?2 AND seq NOT IN "
                         "(SELECT seq FROM number_blocks WHERE status = 'free' AND format = ?1 AND unit = ?2 "
                         "ORDER BY seq LIMIT 3)",
                  format, unit);
  g_assert_cmpuint (lk_numbers_count_free (store, format, unit, year), <, LK_NUMBERS_BLOCK_SIZE / 2);
  lk_numbers_reconcile (client, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_numbers_count_free (store, format, unit, year), ==, LK_NUMBERS_BLOCK_SIZE);

  /* A new year: the blocks of the last one go back to the server. */
  {
    g_autofree char *old_block = lk_test_db_text (store, "SELECT block_id FROM number_blocks WHERE block_id <> ?1 "
                                                         "GROUP BY block_id HAVING count(*) = sum (status = 'free') "
                                                         "ORDER BY block_id LIMIT 1", block_id, NULL);
    gint64 old_free = lk_test_db_int (store, "SELECT count(*) FROM number_blocks WHERE block_id = ?1 AND status = 'free'",
                                      old_block, NULL);

    g_assert_cmpint (old_free, ==, lk_test_db_int (f->db, "SELECT last_seq - first_seq + 1 FROM number_blocks "
                                                          "WHERE id = ?1", old_block, NULL));
    lk_test_db_run (store, "UPDATE number_blocks SET year = year - 1 WHERE block_id = ?1", old_block, NULL);
    lk_numbers_reconcile (client, store, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (lk_test_db_int (store, "SELECT count(*) FROM number_blocks WHERE block_id = ?1", old_block, NULL),
                     ==, 0);
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM numbers WHERE block_id = ?1 AND status = 'voided' "
                                            "AND void_reason = 'returned unused from an offline block'", old_block, NULL),
                     ==, old_free);
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM number_blocks WHERE id = ?1 AND returned_at > 0",
                                     old_block, NULL), ==, 1);
  }

  /* The signer signs case A's letter with the offline number: used. */
  lk_test_register_cert (f->server->url, token_of (f, "admin"), "pejabat", test_token->rsa_cert_pem);
  {
    g_autofree char *letter_id = NULL;
    g_autofree char *pdf = lk_test_signed_letter (f->db, case_a, number_a, NULL, rsa_key, f->dir, &letter_id);
    g_autofree char *sha = lk_test_upload (f->server->url, token_of (f, "pejabat"), pdf);
    g_autoptr(JsonObject) result = lk_test_sign_case (f->db, f->server->url, token_of (f, "pejabat"), case_a, sha);

    if (!g_str_equal (json_object_get_string_member (result, "status"), "applied"))
      g_test_message ("sign: %s", json_object_get_string_member_with_default (result, "message", ""));
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
    g_assert_cmpstr (lk_test_db_text (f->db, "SELECT status FROM numbers WHERE number = ?1", number_a, NULL), ==, "used");
    g_assert_cmpstr (lk_test_db_text (f->db, "SELECT letter_id FROM numbers WHERE number = ?1", number_a, NULL), ==,
                     letter_id);
  }
  /* A block number never reported for a case cannot be signed by another. */
  stranger = lk_test_db_text (f->db, "SELECT number FROM numbers WHERE block_id = ?1 AND case_id IS NULL "
                                     "AND status = 'issued' ORDER BY seq LIMIT 1", block_id, NULL);
  g_assert_nonnull (stranger);
  {
    g_autofree char *pdf = lk_test_signed_letter (f->db, case_b, stranger, NULL, rsa_key, f->dir, NULL);
    g_autofree char *sha = lk_test_upload (f->server->url, token_of (f, "pejabat"), pdf);
    g_autoptr(JsonObject) result = lk_test_sign_case (f->db, f->server->url, token_of (f, "pejabat"), case_b, sha);

    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (result, "code"), ==, "number_unusable");
    g_test_message ("%s", json_object_get_string_member (result, "message"));
    g_assert_cmpstr (lk_test_db_text (f->db, "SELECT status FROM numbers WHERE number = ?1", stranger, NULL), ==,
                     "issued");
  }

  /* Voids: a used number never; an issued one with a reason, by a signer
   * or an administrator only. */
  spare = lk_test_db_text (f->db, "SELECT number FROM numbers WHERE block_id = ?1 AND case_id IS NULL "
                                  "AND status = 'issued' ORDER BY seq DESC LIMIT 1", block_id, NULL);
  {
    JsonObject *body;
    g_autoptr(LkTestReply) used = NULL;
    g_autoptr(LkTestReply) no_reason = NULL;
    g_autoptr(LkTestReply) officer = NULL;
    g_autoptr(LkTestReply) done = NULL;
    g_autoptr(LkTestReply) again = NULL;

    body = json_object_new ();
    json_object_set_string_member (body, "number", number_a);
    json_object_set_string_member (body, "reason", "typed twice");
    used = post (f, "admin", "/api/v1/numbers/void", body);
    lk_test_assert_error (used, SOUP_STATUS_CONFLICT, "conflict");

    body = json_object_new ();
    json_object_set_string_member (body, "number", spare);
    no_reason = post (f, "admin", "/api/v1/numbers/void", body);
    lk_test_assert_error (no_reason, SOUP_STATUS_BAD_REQUEST, "bad_request");

    body = json_object_new ();
    json_object_set_string_member (body, "number", spare);
    json_object_set_string_member (body, "reason", "paper jammed");
    officer = post (f, "petugas", "/api/v1/numbers/void", body);
    lk_test_assert_error (officer, SOUP_STATUS_FORBIDDEN, "forbidden");

    body = json_object_new ();
    json_object_set_string_member (body, "number", spare);
    json_object_set_string_member (body, "reason", "paper jammed");
    done = post (f, "admin", "/api/v1/numbers/void", body);
    g_assert_cmpuint (done->status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (lk_test_db_text (f->db, "SELECT void_reason FROM numbers WHERE number = ?1", spare, NULL), ==,
                     "paper jammed");

    body = json_object_new ();
    json_object_set_string_member (body, "number", spare);
    json_object_set_string_member (body, "reason", "again");
    again = post (f, "admin", "/api/v1/numbers/void", body);
    lk_test_assert_error (again, SOUP_STATUS_CONFLICT, "conflict");
  }

  /* Returning the block voids what no case took; the claimed stay. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/number-blocks/%s/return", block_id);
    g_autoptr(LkTestReply) stranger_reply = post (f, "pejabat", path, json_object_new ());
    g_autoptr(LkTestReply) reply = post (f, "petugas", path, json_object_new ());
    g_autoptr(JsonArray) rows = NULL;
    guint voided = 0, used = 0, issued = 0;

    lk_test_assert_error (stranger_reply, SOUP_STATUS_NOT_FOUND, "not_found");
    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM numbers WHERE block_id = ?1 AND status = 'issued' "
                                            "AND case_id IS NULL", block_id, NULL), ==, 0);
    g_assert_cmpstr (lk_test_db_text (f->db, "SELECT status FROM numbers WHERE number = ?1", number_b, NULL), ==,
                     "issued");
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM numbers WHERE block_id = ?1 AND void_reason = "
                                            "'returned unused from an offline block'", block_id, NULL), >, 0);

    /* The register explains every number of the series. */
    rows = read_register (f, format, unit, year);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        const char *status = json_object_get_string_member (json_array_get_object_element (rows, i), "status");

        voided += g_str_equal (status, "voided");
        used += g_str_equal (status, "used");
        issued += g_str_equal (status, "issued");
      }
    g_assert_cmpuint (used, >=, 1);
    g_assert_cmpuint (voided, >=, 2);
    g_assert_cmpuint (issued, >=, 1);
  }

  /* Only an administrator reads the register; it needs its series. */
  {
    g_autofree char *escaped = g_uri_escape_string (format, NULL, FALSE);
    g_autofree char *path = g_strdup_printf ("/api/v1/numbers?format=%s&unit=%s&year=%d", escaped, unit, year);
    g_autoptr(LkTestReply) officer = lk_test_http (f->server->url, "GET", path, token_of (f, "petugas"), NULL, 0, NULL);
    g_autoptr(LkTestReply) bad = lk_test_http (f->server->url, "GET", "/api/v1/numbers?unit=x&year=2026",
                                               token_of (f, "admin"), NULL, 0, NULL);

    lk_test_assert_error (officer, SOUP_STATUS_FORBIDDEN, "forbidden");
    lk_test_assert_error (bad, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
}

/* 4. Hostile and refused requests */

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *case_id = lk_test_db_text (f->db, "SELECT id FROM cases ORDER BY id LIMIT 1", NULL, NULL);
  g_autofree char *service = lk_test_db_text (f->db, "SELECT service_type FROM cases WHERE id = ?1", case_id, NULL);
  g_autofree char *unit = lk_test_db_text (f->db, "SELECT unit FROM cases WHERE id = ?1", case_id, NULL);
  static const char * const bodies[] = {
    "", "[]", "{\"case_id\": 7}", "{\"case_id\": \"\"}", "{\"case_id\": null}", "not json",
  };
  JsonObject *body;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(LkTestReply) reply = lk_test_http_json (f->server->url, "POST", "/api/v1/numbers",
                                                        token_of (f, "petugas"), bodies[i]);

      lk_test_assert_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  {
    g_autoptr(LkTestReply) none = lk_test_http_json (f->server->url, "POST", "/api/v1/numbers", NULL,
                                                     "{\"case_id\": \"x\"}");
    g_autoptr(LkTestReply) inspector = NULL;
    g_autoptr(LkTestReply) unknown = NULL;

    lk_test_assert_error (none, SOUP_STATUS_UNAUTHORIZED, "auth_required");
    body = json_object_new ();
    json_object_set_string_member (body, "case_id", case_id);
    inspector = post (f, "pemeriksa", "/api/v1/numbers", body);
    lk_test_assert_error (inspector, SOUP_STATUS_FORBIDDEN, "forbidden");
    body = json_object_new ();
    json_object_set_string_member (body, "case_id", "'); DROP TABLE numbers;--");
    unknown = post (f, "petugas", "/api/v1/numbers", body);
    lk_test_assert_error (unknown, SOUP_STATUS_NOT_FOUND, "not_found");
  }
  /* Blocks: bounded. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(LkTestReply) reply = NULL;

      body = json_object_new ();
      json_object_set_string_member (body, "service_type", service);
      json_object_set_string_member (body, "unit", unit);
      json_object_set_int_member (body, "count", i == 0 ? 0 : LK_NUMBERS_MAX_BLOCK + 1);
      reply = post (f, "petugas", "/api/v1/number-blocks", body);
      lk_test_assert_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  /* At most MAX_OPEN unclaimed numbers per desk user and series. */
  {
    guint granted = 0;
    g_autoptr(LkTestReply) last = NULL;

    for (;;)
      {
        g_autoptr(LkTestReply) reply = NULL;

        body = json_object_new ();
        json_object_set_string_member (body, "service_type", service);
        json_object_set_string_member (body, "unit", unit);
        json_object_set_int_member (body, "count", LK_NUMBERS_MAX_BLOCK);
        reply = post (f, "petugas", "/api/v1/number-blocks", body);
        if (reply->status != SOUP_STATUS_CREATED)
          {
            last = g_steal_pointer (&reply);
            break;
          }
        granted++;
        g_assert_cmpuint (granted, <=, 2);
      }
    lk_test_assert_error (last, SOUP_STATUS_CONFLICT, "conflict");
    g_assert_cmpuint (granted, ==, 2);
  }
  /* Claims: well-formed, at most 500. */
  {
    static const char * const bad_claims[] = {
      "{}", "{\"claims\": {}}", "{\"claims\": [1]}", "{\"claims\": [{\"number\": \"1\"}]}",
      "{\"claims\": [{\"number\": \"1\", \"case_id\": \"c\", \"letter_id\": \"NOT-AN-ID\"}]}",
    };
    g_autoptr(GString) many = g_string_new ("{\"claims\": [");

    for (guint i = 0; i < G_N_ELEMENTS (bad_claims); i++)
      {
        g_autoptr(LkTestReply) reply = lk_test_http_json (f->server->url, "POST", "/api/v1/numbers/claim",
                                                          token_of (f, "petugas"), bad_claims[i]);

        lk_test_assert_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request");
      }
    for (guint i = 0; i < 501; i++)
      g_string_append_printf (many, "%s{\"number\": \"%u\", \"case_id\": \"c\"}", i > 0 ? "," : "", i);
    g_string_append (many, "]}");
    {
      g_autoptr(LkTestReply) reply = lk_test_http_json (f->server->url, "POST", "/api/v1/numbers/claim",
                                                        token_of (f, "petugas"), many->str);

      lk_test_assert_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  }
  /* Claims: only of one's own blocks. */
  {
    g_autoptr(LkTestReply) reply = NULL;
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *number = lk_test_db_text (f->db, "SELECT number FROM numbers WHERE block_id IS NOT NULL LIMIT 1",
                                               NULL, NULL);
    JsonArray *claims = json_array_new ();
    JsonObject *claim = json_object_new ();
    JsonArray *results;

    json_object_set_string_member (claim, "number", number);
    json_object_set_string_member (claim, "case_id", case_id);
    json_array_add_object_element (claims, claim);
    body = json_object_new ();
    json_object_set_array_member (body, "claims", claims);
    reply = post (f, "pejabat", "/api/v1/numbers/claim", body);
    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    root = lk_test_reply_json (reply);
    results = json_object_get_array_member (json_node_get_object (root), "results");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "status"), ==,
                     "rejected");
    g_assert_null (lk_test_db_text (f->db, "SELECT case_id FROM numbers WHERE number = ?1", number, NULL));
  }
}

/* 5. The sync engine reconciles after its rounds */

static void
synced_cb (LkSyncEngine *engine,
           guint64       records,
           guint         applied,
           guint        *rounds)
{
  (*rounds)++;
}

static void
test_engine (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(LkSyncEngine) engine = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "engine.db", NULL);
  gint64 blocks, local;
  guint rounds = 0;

  g_main_context_push_thread_default (context);
  client = signed_in_client (f, "petugas");
  engine = lk_sync_engine_new (client, path, NULL);
  g_signal_connect (engine, "synced", G_CALLBACK (synced_cb), &rounds);
  lk_sync_engine_start (engine);
  while (rounds == 0)
    g_main_context_iteration (context, TRUE);
  lk_sync_engine_stop (engine);

  /* The first round pulled the service types, then took a block of each
   * series of petugas's units. */
  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  local = lk_test_db_int (store, "SELECT count(*) FROM number_blocks WHERE status = 'free'", NULL, NULL);
  blocks = lk_test_db_int (f->db, "SELECT count(*) FROM number_blocks AS b JOIN users AS u ON u.id = b.user_id "
                                  "WHERE u.username = 'petugas'", NULL, NULL);
  g_assert_cmpint (blocks, >, 0);
  g_assert_cmpint (local, ==, blocks * LK_NUMBERS_BLOCK_SIZE);
  g_main_context_pop_thread_default (context);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-numbers", TRUE, &error);
  g_assert_no_error (error);
  lk_token_init (lk_test_token_module_path (), &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/numbers/format", test_format);
  g_test_add ("/numbers/concurrent", Fixture, NULL, fixture_set_up, test_concurrent, fixture_tear_down);
  g_test_add ("/numbers/offline-block", Fixture, NULL, fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/numbers/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/numbers/engine", Fixture, NULL, fixture_set_up, test_engine, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
