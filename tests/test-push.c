/* test-push.c — faults, seeded and repeatable: the server killed during push
 * and during pull, the client killed during push, the server away for a
 * while, a connection dropped mid-response; every operation applied exactly
 * once, nothing missing, nothing twice, in the order it was queued
 *
 * The random choices (operations, kill delays, cut points) come from a GRand
 * with a fixed seed per test, printed in the log; set LOKET_FAULT_SEED to
 * explore others. Timing decides where a kill lands, so the assertions are
 * only on what the stores hold afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-test"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "lk-account.h"
#include "lk-test-util.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"

#define TEST_USER   "petugas"   /* an officer of every demo unit */
#define TEST_ROLE   LK_ROLE_OFFICER

/* Test 1: the server killed during push. */
#define PUSH_KILLS          100
#define PUSH_FIRST_OPS      300
#define PUSH_MORE_OPS       60    /* queued whenever the outbox drained */
#define PUSH_MAX_DELAY_MS   40
/* Test 2: the server killed during pull. */
#define PULL_SEED_CASES     2000
#define PULL_KILLS          100
#define PULL_PAGE           50
#define PULL_MAX_DELAY_MS   60
/* Test 3: loketctl killed during sync. */
#define CTL_KILLS           20
#define CTL_OPS             300
#define CTL_MORE_OPS        40
#define CTL_MAX_RUNS        200
/* Test 4: the server away. */
#define AWAY_OPS            60
/* Test 5: the connection dropped after a few bytes of the response. */
#define DROP_ROUNDS         8
#define DROP_OPS            25
#define DROP_MAX_BYTES      2000

#define CHAIN_CASES         6     /* cases whose state moves */
#define MAX_ITERATIONS      2000  /* a stuck loop fails instead of hanging */

/* The record tables of both kinds of store, as the change feed names them. */
static const struct { const char *kind; const char *table; } record_tables[] = {
  { LK_KIND_UNIT, "units" },
  { LK_KIND_SERVICE_TYPE, "service_types" },
  { LK_KIND_CASE, "cases" },
  { LK_KIND_DOCUMENT, "documents" },
  { LK_KIND_HISTORY, "history" },
  { LK_KIND_NOTE, "notes" },
  { LK_KIND_CHECKLIST, "checklist" },
};

/* One case the test moves or annotates, and what it expects of it. */
typedef struct
{
  char        *case_id;
  LkCaseState  state;       /* after every queued operation */
  gint64       version0;    /* on the server before */
  gint64       history0;
  gint64       notes0;
  GPtrArray   *op_ids;      /* its transitions, in queue order */
  GArray      *to_states;   /* LkCaseState of each */
  guint        n_notes;
} Track;

typedef struct
{
  char *id;
  char *case_id;
  char *text;
} QueuedNote;

typedef struct
{
  char         *dir;
  char         *server_db;
  char         *store_path;
  guint16       port;          /* fixed after the first start */
  LkTestServer *server;        /* NULL while it is down */
  LkSyncClient *client;
  LkStore      *store;
  LkBlobCache  *cache;
  GRand        *rand;
  guint32       seed;
  GPtrArray    *tracks;        /* Track */
  GPtrArray    *notes;         /* QueuedNote */
  GPtrArray    *queue_order;   /* every operation id, in queue order */
  GHashTable   *op_ids;        /* the same, as a set */
  guint         n_ops;
  guint         kills;         /* SIGKILLs sent */
} Fixture;

/* Helpers */

static void
track_free (gpointer data)
{
  Track *track = data;

  g_free (track->case_id);
  g_ptr_array_unref (track->op_ids);
  g_array_unref (track->to_states);
  g_free (track);
}

static void
queued_note_free (gpointer data)
{
  QueuedNote *note = data;

  g_free (note->id);
  g_free (note->case_id);
  g_free (note->text);
  g_free (note);
}

static guint32
test_seed (guint32 fallback)
{
  const char *env = g_getenv ("LOKET_FAULT_SEED");

  if (env != NULL && *env != '\0')
    return (guint32) g_ascii_strtoull (env, NULL, 10);

  return fallback;
}

static void
start_server (Fixture *f,
              guint    seed_cases)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (f->server);
  f->server = lk_test_server_start_full (f->server_db, f->port, seed_cases, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);
  if (f->port == 0)
    f->port = f->server->port;
  g_assert_cmpuint (f->server->port, ==, f->port);
}

static void
kill_server (Fixture *f)
{
  g_assert_nonnull (f->server);
  g_assert_true (lk_test_server_stop (f->server, TRUE));
  g_clear_pointer (&f->server, lk_test_server_free);
  f->kills++;
}

/* SIGTERM: the server must shut down cleanly (exit status 0). */
static void
stop_server (Fixture *f)
{
  g_assert_nonnull (f->server);
  g_assert_true (lk_test_server_stop (f->server, FALSE));
  g_clear_pointer (&f->server, lk_test_server_free);
}

static char *
server_url (Fixture *f)
{
  return g_strdup_printf ("http://127.0.0.1:%u", f->port);
}

static LkSyncClient *
signed_in_client (const char *url)
{
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = lk_sync_client_new (url, TEST_USER, &error);
  g_assert_no_error (error);
  g_assert_true (lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lk_sync_client_get_role (client), ==, "officer");

  return g_steal_pointer (&client);
}

static LkStore *
open_client_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  LkStore *store;

  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

static void
pull_all (LkSyncClient *client,
          LkStore      *store)
{
  g_autoptr(GError) error = NULL;
  guint64 records = 0;

  g_assert_true (lk_sync_client_pull (client, store, 0, NULL, NULL, &records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records, >, 0);
}

/* Read-only SQLite on a store's file: the server's system of record, or a
 * client store, checked independently of the code under test. */
static sqlite3 *
open_ro (const char *path)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    g_error ("Cannot open %s read-only: %s", path, db ? sqlite3_errmsg (db) : "out of memory");
  sqlite3_busy_timeout (db, 10000);

  return db;
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (db));

  return stmt;
}

/* The integer in the first column of the single row sql gives with ?1 = arg
 * (NULL: no parameter); -1 when there is no row. */
static gint64
db_int (sqlite3    *db,
        const char *sql,
        const char *arg)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  gint64 value = -1;
  int rc;

  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    g_error ("“%s” failed: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return value;
}

static gint64
path_int (const char *path,
          const char *sql,
          const char *arg)
{
  sqlite3 *db = open_ro (path);
  gint64 value = db_int (db, sql, arg);

  sqlite3_close (db);

  return value;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = lk_test_make_tmpdir ("push");
  f->server_db = g_build_filename (f->dir, "server.db", NULL);
  f->store_path = g_build_filename (f->dir, "client.db", NULL);
  f->tracks = g_ptr_array_new_with_free_func (track_free);
  f->notes = g_ptr_array_new_with_free_func (queued_note_free);
  f->queue_order = g_ptr_array_new_with_free_func (g_free);
  f->op_ids = g_hash_table_new (g_str_hash, g_str_equal);
  {
    g_autofree char *cache_dir = g_build_filename (f->dir, "blobs", NULL);

    f->cache = lk_blob_cache_new (cache_dir);
  }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    lk_test_server_stop (f->server, TRUE);
  g_clear_pointer (&f->server, lk_test_server_free);
  g_clear_object (&f->client);
  g_clear_object (&f->store);
  g_clear_object (&f->cache);
  g_clear_pointer (&f->rand, g_rand_free);
  g_hash_table_unref (f->op_ids);
  g_ptr_array_unref (f->queue_order);
  g_ptr_array_unref (f->notes);
  g_ptr_array_unref (f->tracks);
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->server_db);
  g_free (f->store_path);
}

/* A seeded server (seed_cases demo cases), a signed-in officer, its store
 * pulled, and the cases it will work on. */
static void
start_with_demo (Fixture    *f,
                 guint       seed_cases,
                 guint32     default_seed,
                 gboolean    account_store)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  f->seed = test_seed (default_seed);
  f->rand = g_rand_new_with_seed (f->seed);
  g_test_message ("random seed %" G_GUINT32_FORMAT " (LOKET_FAULT_SEED repeats it)", f->seed);

  start_server (f, seed_cases);
  f->client = signed_in_client (f->server->url);
  /* The file loketctl and the app use for this server and user. */
  if (account_store)
    {
      g_free (f->store_path);
      f->store_path = lk_account_store_path (f->server->url, TEST_USER, &error);
      g_assert_no_error (error);
    }
  f->store = open_client_store (f->store_path);
  pull_all (f->client, f->store);

  /* The open cases an officer can move back and forth without end:
   * submitted → verifying → incomplete ⇄ verifying. */
  cases = lk_store_query_cases (f->store, LK_CASE_STATE_INVALID, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  db = open_ro (f->server_db);
  for (guint i = 0; i < cases->len && f->tracks->len < CHAIN_CASES; i++)
    {
      LkCase *c = g_ptr_array_index (cases, i);
      LkCaseState state = lk_case_get_state (c);
      Track *track;

      if (state != LK_CASE_STATE_SUBMITTED && state != LK_CASE_STATE_VERIFYING &&
          state != LK_CASE_STATE_INCOMPLETE)
        continue;

      track = g_new0 (Track, 1);
      track->case_id = g_strdup (lk_case_get_id (c));
      track->state = state;
      track->op_ids = g_ptr_array_new_with_free_func (g_free);
      track->to_states = g_array_new (FALSE, FALSE, sizeof (LkCaseState));
      track->version0 = db_int (db, "SELECT version FROM cases WHERE id = ?1", track->case_id);
      track->history0 = db_int (db, "SELECT count(*) FROM history WHERE case_id = ?1", track->case_id);
      track->notes0 = db_int (db, "SELECT count(*) FROM notes WHERE case_id = ?1", track->case_id);
      {
        /* The store pulled just now agrees (query results are light: read the whole case). */
        g_autoptr(LkCase) full = lk_store_get_case (f->store, track->case_id, &error);

        g_assert_no_error (error);
        g_assert_cmpint (track->version0, ==, lk_case_get_version (full));
      }
      g_assert_cmpint (track->version0, >=, 1);
      g_ptr_array_add (f->tracks, track);
    }
  /* Nothing of ours is on the server yet. */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM ops", NULL), ==, 0);
  sqlite3_close (db);
  g_assert_cmpuint (f->tracks->len, >=, 2);
}

/* Remembers the ids of the operations now in the outbox (queued, not yet
 * pushed), in order. */
static void
collect_queued_ids (Fixture *f)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = lk_outbox_list (f->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      LkOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_hash_table_contains (f->op_ids, entry->id))
        continue;
      g_ptr_array_add (f->queue_order, g_strdup (entry->id));
      g_hash_table_add (f->op_ids, g_ptr_array_index (f->queue_order, f->queue_order->len - 1));
    }
  g_assert_cmpuint (g_hash_table_size (f->op_ids), ==, f->n_ops);
}

static void
queue_transition (Fixture *f,
                  Track   *track)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *reason = NULL;
  LkCaseState to;

  switch (track->state)
    {
    case LK_CASE_STATE_SUBMITTED:
    case LK_CASE_STATE_INCOMPLETE:
      to = LK_CASE_STATE_VERIFYING;
      break;
    case LK_CASE_STATE_VERIFYING:
      to = LK_CASE_STATE_INCOMPLETE;
      reason = g_strdup_printf ("Dokumen kurang lengkap (%u)", track->op_ids->len);
      break;
    default:
      g_assert_not_reached ();
    }

  g_assert_true (lk_outbox_transition (f->store, track->case_id, to, reason, NULL,
                                       TEST_USER, TEST_ROLE, &op_id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (op_id);
  g_assert_cmpuint (strlen (op_id), ==, 36);
  g_ptr_array_add (track->op_ids, g_steal_pointer (&op_id));
  g_array_append_val (track->to_states, to);
  track->state = to;
  f->n_ops++;
}

static void
queue_note (Fixture *f,
            Track   *track)
{
  g_autoptr(GError) error = NULL;
  QueuedNote *note = g_new0 (QueuedNote, 1);

  note->case_id = g_strdup (track->case_id);
  note->text = g_strdup_printf ("Pemohon dihubungi, catatan %u (seed %" G_GUINT32_FORMAT ")",
                                f->notes->len, f->seed);
  g_assert_true (lk_outbox_add_note (f->store, track->case_id, note->text, TEST_USER,
                                     &note->id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (note->id);
  g_ptr_array_add (f->notes, note);
  track->n_notes++;
  f->n_ops++;
}

/* n operations on random tracks: about 60 % transitions, 40 % notes. */
static void
queue_ops (Fixture *f,
           guint    n)
{
  gint64 before = lk_outbox_count (f->store);

  for (guint i = 0; i < n; i++)
    {
      Track *track = g_ptr_array_index (f->tracks, g_rand_int_range (f->rand, 0, f->tracks->len));

      if (g_rand_int_range (f->rand, 0, 10) < 6)
        queue_transition (f, track);
      else
        queue_note (f, track);
    }
  g_assert_cmpint (lk_outbox_count (f->store), ==, before + n);
  collect_queued_ids (f);
}

typedef struct
{
  LkSyncClient *client;
  LkStore      *store;
  LkBlobCache  *cache;
  gboolean      pull;
  guint         page;
  gboolean      ok;
  guint         applied;
  guint         conflicts;
  guint64       records;
  GError       *error;
} SyncRun;

static gpointer
sync_thread (gpointer data)
{
  SyncRun *run = data;

  if (run->pull)
    run->ok = lk_sync_client_pull (run->client, run->store, run->page, NULL, NULL,
                                   &run->records, NULL, &run->error);
  else
    run->ok = lk_sync_client_push (run->client, run->store, run->cache, &run->applied,
                                   &run->conflicts, NULL, &run->error);

  return NULL;
}

/* A push that must work: everything applied, no conflict. */
static void
push_all (Fixture      *f,
          LkSyncClient *client)
{
  g_autoptr(GError) error = NULL;
  gint64 queued = lk_outbox_count (f->store);
  guint applied = 0, conflicts = 0;
  gboolean ok;

  ok = lk_sync_client_push (client, f->store, f->cache, &applied, &conflicts, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (conflicts, ==, 0);
  g_assert_cmpuint (applied, ==, (guint) queued);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);
}

/* A failed sync must say the server could not be reached, nothing else. */
static void
assert_offline (GError *error)
{
  if (error == NULL || !g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
    g_test_message ("expected LK_SYNC_ERROR_OFFLINE, got %s %d: %s",
                    error ? g_quark_to_string (error->domain) : "no error",
                    error ? error->code : 0, error ? error->message : "");
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
}

static void
assert_no_conflicts (LkStore *store)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  conflicts = lk_outbox_list_conflicts (store, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      LkConflict *c = g_ptr_array_index (conflicts, i);

      g_test_message ("unexpected %s on %s %s: %s %s", c->status == LK_CONFLICT_STATUS_CONFLICT
                      ? "conflict" : "rejection", c->kind, c->record_id,
                      c->code ? c->code : "", c->message ? c->message : "");
    }
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_cmpint (lk_outbox_count_conflicts (store), ==, 0);
}

/* The client's side once everything was pushed: an empty outbox, no
 * conflict, and each case where its queued operations left it. */
static void
verify_client (Fixture *f,
               LkStore *store)
{
  g_assert_cmpint (lk_outbox_count (store), ==, 0);
  assert_no_conflicts (store);

  for (guint i = 0; i < f->tracks->len; i++)
    {
      Track *track = g_ptr_array_index (f->tracks, i);
      g_autoptr(LkCase) c = NULL;
      g_autoptr(GError) error = NULL;

      c = lk_store_get_case (store, track->case_id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (lk_case_get_state (c), ==, track->state);
      g_assert_cmpint (lk_case_get_version (c), ==, track->version0 + track->op_ids->len);
    }
}

/* The server's side, read from its database after a clean stop: every
 * queued operation applied exactly once, nothing else. */
static void
verify_server (Fixture *f)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint n_transitions = 0;

  g_assert_null (f->server);
  db = open_ro (f->server_db);

  /* One stored result per operation, each "applied"; no other operation. */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM ops", NULL), ==, f->n_ops);
  stmt = prepare (db, "SELECT result FROM ops WHERE id = ?1");
  for (guint i = 0; i < f->queue_order->len; i++)
    {
      const char *id = g_ptr_array_index (f->queue_order, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *result;

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_true (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0),
                                                 -1, &error));
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      result = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member_with_default (result, "id", ""), ==, id);
      g_assert_cmpstr (json_object_get_string_member_with_default (result, "status", ""), ==, "applied");
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);

  /* Each case: one history row per transition, with the op's id, and a
   * version raised once per transition. */
  stmt = prepare (db, "SELECT case_id, to_state, actor FROM history WHERE id = ?1");
  for (guint i = 0; i < f->tracks->len; i++)
    {
      Track *track = g_ptr_array_index (f->tracks, i);
      guint n = track->op_ids->len;
      sqlite3_stmt *state_stmt;

      n_transitions += n;
      g_assert_cmpint (db_int (db, "SELECT version FROM cases WHERE id = ?1", track->case_id),
                       ==, track->version0 + n);
      g_assert_cmpint (db_int (db, "SELECT count(*) FROM history WHERE case_id = ?1", track->case_id),
                       ==, track->history0 + n);
      g_assert_cmpint (db_int (db, "SELECT count(*) FROM notes WHERE case_id = ?1", track->case_id),
                       ==, track->notes0 + track->n_notes);
      state_stmt = prepare (db, "SELECT state FROM cases WHERE id = ?1");
      sqlite3_bind_text (state_stmt, 1, track->case_id, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (state_stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (state_stmt, 0), ==,
                       lk_case_state_to_string (track->state));
      sqlite3_finalize (state_stmt);

      for (guint k = 0; k < n; k++)
        {
          sqlite3_bind_text (stmt, 1, g_ptr_array_index (track->op_ids, k), -1, SQLITE_TRANSIENT);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, track->case_id);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==,
                           lk_case_state_to_string (g_array_index (track->to_states, LkCaseState, k)));
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, TEST_USER);
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
        }
    }
  sqlite3_finalize (stmt);

  /* Each note once, as written. */
  stmt = prepare (db, "SELECT case_id, text, author, version FROM notes WHERE id = ?1");
  for (guint i = 0; i < f->notes->len; i++)
    {
      QueuedNote *note = g_ptr_array_index (f->notes, i);

      sqlite3_bind_text (stmt, 1, note->id, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, note->case_id);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, note->text);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, TEST_USER);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, 1);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_transitions + f->notes->len, ==, f->n_ops);

  sqlite3_close (db);
}

/* Counts and a digest of (id, version) of every record of each kind. */
static void
store_digest (const char *path,
              gint64      counts[G_N_ELEMENTS (record_tables)],
              char      **out_digest)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3 *db = open_ro (path);

  for (guint i = 0; i < G_N_ELEMENTS (record_tables); i++)
    {
      /* A table name of the constant list above (names cannot be bound). */
      g_autofree char *sql = g_strdup_printf ("SELECT id, version FROM %s ORDER BY id",
                                              record_tables[i].table);
      sqlite3_stmt *stmt = prepare (db, sql);
      int rc;

      counts[i] = 0;
      g_checksum_update (checksum, (const guchar *) record_tables[i].kind, -1);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autofree char *line = g_strdup_printf ("%s\t%" G_GINT64_FORMAT "\n",
                                                   (const char *) sqlite3_column_text (stmt, 0),
                                                   (gint64) sqlite3_column_int64 (stmt, 1));

          g_checksum_update (checksum, (const guchar *) line, -1);
          counts[i]++;
        }
      g_assert_cmpint (rc, ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);

  *out_digest = g_strdup (g_checksum_get_string (checksum));
}

static void
assert_store_equals_server (Fixture    *f,
                            const char *store_path)
{
  gint64 expected[G_N_ELEMENTS (record_tables)];
  gint64 counts[G_N_ELEMENTS (record_tables)];
  g_autofree char *expected_digest = NULL;
  g_autofree char *digest = NULL;

  store_digest (f->server_db, expected, &expected_digest);
  store_digest (store_path, counts, &digest);
  for (guint i = 0; i < G_N_ELEMENTS (record_tables); i++)
    {
      if (counts[i] != expected[i])
        g_test_message ("%s: %" G_GINT64_FORMAT " locally, %" G_GINT64_FORMAT " on the server",
                        record_tables[i].kind, counts[i], expected[i]);
      g_assert_cmpint (counts[i], ==, expected[i]);
    }
  g_assert_cmpstr (digest, ==, expected_digest);
}

/* Starts a push or pull in a thread, kills the server after 0–max_ms,
 * and says whether the sync still succeeded (it finished first). */
static gboolean
sync_and_kill (Fixture *f,
               LkStore *store,
               gboolean pull,
               guint    max_ms)
{
  SyncRun run = { f->client, store, f->cache, pull, PULL_PAGE, };
  guint delay = (guint) g_rand_int_range (f->rand, 0, (gint32) max_ms + 1);
  GThread *thread;

  if (f->server == NULL)
    start_server (f, 0);

  thread = g_thread_new (pull ? "pull" : "push", sync_thread, &run);
  g_usleep (delay * 1000);
  kill_server (f);
  g_thread_join (thread);

  if (!run.ok)
    {
      assert_offline (run.error);
      g_clear_error (&run.error);
    }
  else
    g_assert_cmpuint (run.conflicts, ==, 0);

  return run.ok;
}

/* Tests */

static void
test_server_killed_during_push (Fixture       *f,
                                gconstpointer  data)
{
  guint interrupted = 0, finished = 0, iterations = 0, replays = 0;
  guint max_ms = PUSH_MAX_DELAY_MS;

  start_with_demo (f, 30, 20260401, FALSE);
  queue_ops (f, PUSH_FIRST_OPS);

  /* PUSH_KILLS kills that land while a push is in flight. The window the
   * delays are drawn from follows how long a push takes here: it shrinks
   * when a push finished before its kill and grows when it did not, so the
   * kills spread over the whole push (sending, applying, answering,
   * recording) on a fast machine and under a sanitizer alike. */
  while (interrupted < PUSH_KILLS)
    {
      g_assert_cmpuint (++iterations, <, MAX_ITERATIONS);

      /* Did the last kill land after the server applied operations the
       * client has not recorded (so this push replays them)? */
      if (f->server == NULL)
        start_server (f, 0);
      if (path_int (f->server_db, "SELECT count(*) FROM ops", NULL) + lk_outbox_count (f->store) >
          (gint64) f->n_ops)
        replays++;

      if (sync_and_kill (f, f->store, FALSE, max_ms))
        {
          finished++;
          max_ms = MAX (max_ms / 2, 1);
        }
      else
        {
          interrupted++;
          max_ms = MIN (max_ms + max_ms / 4 + 1, PUSH_MAX_DELAY_MS * 10);
        }

      /* Drained before the kills are done: more work for the next ones. */
      if (lk_outbox_count (f->store) == 0)
        queue_ops (f, PUSH_MORE_OPS);
    }

  /* The last push, undisturbed, drains what is left. */
  start_server (f, 0);
  push_all (f, f->client);
  verify_client (f, f->store);
  stop_server (f);
  verify_server (f);
  assert_store_equals_server (f, f->store_path);

  g_test_message ("push under fire: seed %" G_GUINT32_FORMAT ", %u operations, %u kills "
                  "(%u pushes interrupted, %u of them after the server applied what the client "
                  "had not recorded; %u finished first), last window %u ms",
                  f->seed, f->n_ops, f->kills, interrupted, replays, finished, max_ms);
  g_assert_cmpuint (f->kills, >=, PUSH_KILLS);
}

static void
test_server_killed_during_pull (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) pulled = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LkStore) store = NULL;
  g_autofree char *path = NULL;
  guint interrupted = 0, iterations = 0;
  gint64 cases;

  f->seed = test_seed (20260402);
  f->rand = g_rand_new_with_seed (f->seed);
  g_test_message ("random seed %" G_GUINT32_FORMAT " (LOKET_FAULT_SEED repeats it)", f->seed);

  start_server (f, PULL_SEED_CASES);
  f->client = signed_in_client (f->server->url);
  cases = path_int (f->server_db, "SELECT count(*) FROM cases", NULL);
  g_assert_cmpint (cases, ==, PULL_SEED_CASES);

  while (f->kills < PULL_KILLS)
    {
      g_assert_cmpuint (++iterations, <, MAX_ITERATIONS);

      /* A fresh store each time one finished pulling. */
      if (store == NULL)
        {
          path = g_strdup_printf ("%s/pull-%u.db", f->dir, pulled->len);
          store = open_client_store (path);
        }

      if (sync_and_kill (f, store, TRUE, PULL_MAX_DELAY_MS))
        {
          g_clear_object (&store);
          g_ptr_array_add (pulled, g_steal_pointer (&path));
        }
      else
        interrupted++;
    }

  /* The store being pulled finishes undisturbed. */
  start_server (f, 0);
  if (store != NULL)
    {
      SyncRun run = { f->client, store, f->cache, TRUE, PULL_PAGE, };

      sync_thread (&run);
      g_assert_no_error (run.error);
      g_assert_true (run.ok);
      g_clear_object (&store);
      g_ptr_array_add (pulled, g_steal_pointer (&path));
    }
  stop_server (f);

  /* Every store pulled under fire holds exactly what the server holds. */
  for (guint i = 0; i < pulled->len; i++)
    assert_store_equals_server (f, g_ptr_array_index (pulled, i));

  g_test_message ("pull under fire: seed %" G_GUINT32_FORMAT ", %" G_GINT64_FORMAT " cases, "
                  "page %u, %u kills (%u pulls interrupted), %u stores compared",
                  f->seed, cases, PULL_PAGE, f->kills, interrupted, pulled->len);
  g_assert_cmpuint (interrupted, >=, PULL_KILLS / 2);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* loketctl sync for the test's account; output kept when wanted. */
static GSubprocess *
spawn_ctl_sync (Fixture  *f,
                gboolean  capture)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = server_url (f);
  const char *bin = g_getenv ("LOKET_CTL_BIN");
  GSubprocess *process;

  g_assert_nonnull (bin);
  launcher = g_subprocess_launcher_new (capture
                                        ? G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                                        : G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* GLib isolates this process's dirs without exporting them: the same
   * account store, blob cache and config for loketctl. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, bin, "sync", "--server", url,
                                         "--user", TEST_USER, NULL);
  g_assert_no_error (error);

  return process;
}

/* Runs loketctl sync to its end; it must succeed. */
static void
ctl_sync (Fixture *f)
{
  g_autoptr(GSubprocess) process = spawn_ctl_sync (f, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_test_message ("loketctl sync failed:\n%s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_null (strstr (out, LK_TEST_DEMO_PASSWORD));
  g_assert_null (strstr (err, LK_TEST_DEMO_PASSWORD));
}

static void
test_client_killed_during_push (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *account_path = NULL;
  gint64 start, reference_ms;
  guint lo_ms, span_ms, finished = 0, runs = 0, mid_push = 0;

  /* The store of the account loketctl uses ($XDG_DATA_HOME of this test). */
  start_with_demo (f, 30, 20260403, TRUE);
  account_path = g_strdup (f->store_path);

  /* How long a whole loketctl sync takes here (nothing queued), to spread
   * the kills over one. */
  g_clear_object (&f->store);
  start = g_get_monotonic_time ();
  ctl_sync (f);
  reference_ms = (g_get_monotonic_time () - start) / 1000;
  /* Most of that is starting and signing in; the push comes after. The
   * window narrows when a run finished before its kill. */
  lo_ms = (guint) CLAMP (reference_ms * 3 / 4, 1, 3000);
  span_ms = (guint) CLAMP (reference_ms, 10, 3000);

  f->store = open_client_store (account_path);
  queue_ops (f, CTL_OPS);
  g_clear_object (&f->store);

  while (f->kills < CTL_KILLS)
    {
      g_autoptr(GSubprocess) process = spawn_ctl_sync (f, FALSE);
      guint delay = lo_ms + (guint) g_rand_int_range (f->rand, 0, (gint32) span_ms + 1);

      g_assert_cmpuint (++runs, <, CTL_MAX_RUNS);
      g_usleep (delay * 1000);
      g_subprocess_send_signal (process, SIGKILL);
      g_assert_true (g_subprocess_wait (process, NULL, NULL));

      if (g_subprocess_get_if_signaled (process))
        {
          gint64 queued, applied;

          g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
          f->kills++;
          span_ms += span_ms / 4 + 1;

          /* Caught between the server applying and the client recording? */
          f->store = open_client_store (account_path);
          queued = lk_outbox_count (f->store);
          g_clear_object (&f->store);
          applied = path_int (f->server_db, "SELECT count(*) FROM ops", NULL);
          if (queued > 0 && applied + queued > (gint64) f->n_ops)
            mid_push++;
          continue;
        }

      /* It finished before the kill: it must have succeeded. */
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
      finished++;
      if (span_ms > 10)
        span_ms /= 2;
      else
        lo_ms = lo_ms * 3 / 4;
      f->store = open_client_store (account_path);
      if (lk_outbox_count (f->store) == 0)
        queue_ops (f, CTL_MORE_OPS);
      g_clear_object (&f->store);
    }

  /* One run to the end resumes what the killed ones left. */
  ctl_sync (f);

  f->store = open_client_store (account_path);
  verify_client (f, f->store);
  stop_server (f);
  verify_server (f);
  assert_store_equals_server (f, f->store_path);

  g_test_message ("loketctl under fire: seed %" G_GUINT32_FORMAT ", %u operations, %u kills "
                  "(%u after the server applied what the client had not recorded), "
                  "%u runs finished first; a run takes %" G_GINT64_FORMAT " ms, last window %u+%u ms",
                  f->seed, f->n_ops, f->kills, mid_push, finished, reference_ms, lo_ms, span_ms);
}

static void
test_server_away (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  guint applied = 0, conflicts = 0;
  gint64 queued;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 last_seq = 0;

  start_with_demo (f, 30, 20260404, FALSE);
  stop_server (f);

  /* Queued while the server is away. */
  queue_ops (f, AWAY_OPS);
  queued = lk_outbox_count (f->store);
  g_assert_cmpint (queued, ==, AWAY_OPS);
  before = lk_outbox_list (f->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpuint (((LkOutboxEntry *) g_ptr_array_index (before, i))->attempts, ==, 0);

  /* Two pushes fail: offline, nothing lost, the attempts noted. */
  for (guint attempt = 1; attempt <= 2; attempt++)
    {
      g_assert_false (lk_sync_client_push (f->client, f->store, f->cache, &applied, &conflicts,
                                           NULL, &error));
      assert_offline (error);
      g_clear_error (&error);
      g_assert_cmpuint (applied, ==, 0);
      g_assert_cmpint (lk_outbox_count (f->store), ==, queued);

      g_clear_pointer (&after, g_ptr_array_unref);
      after = lk_outbox_list (f->store, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (after->len, ==, before->len);
      for (guint i = 0; i < after->len; i++)
        {
          LkOutboxEntry *a = g_ptr_array_index (after, i);
          LkOutboxEntry *b = g_ptr_array_index (before, i);

          /* Same operations, same order, same bases. */
          g_assert_cmpstr (a->id, ==, b->id);
          g_assert_cmpint (a->seq, ==, b->seq);
          g_assert_cmpint (a->base, ==, b->base);
          g_assert_cmpstr (a->fields, ==, b->fields);
        }
      /* The first batch (all of it: fewer than LK_SYNC_PUSH_BATCH) was tried. */
      for (guint i = 0; i < after->len; i++)
        {
          LkOutboxEntry *a = g_ptr_array_index (after, i);

          g_assert_cmpuint (a->attempts, ==, attempt);
          g_assert_nonnull (a->last_error);
        }
    }

  /* Back: the outbox drains, in order. */
  start_server (f, 0);
  push_all (f, f->client);
  verify_client (f, f->store);
  stop_server (f);
  verify_server (f);
  assert_store_equals_server (f, f->store_path);

  /* Each operation wrote one new record (a history row named by the op's
   * id, or a note): their feed sequence follows the queue's order. */
  db = open_ro (f->server_db);
  stmt = prepare (db, "SELECT seq FROM changes WHERE kind IN ('history', 'note') AND record_id = ?1");
  for (guint i = 0; i < before->len; i++)
    {
      LkOutboxEntry *entry = g_ptr_array_index (before, i);
      const char *record_id = g_str_equal (entry->kind, LK_KIND_NOTE) ? entry->record_id : entry->id;
      gint64 seq;

      if (g_str_equal (entry->op, "transition"))
        g_assert_cmpstr (entry->kind, ==, LK_KIND_CASE);
      else
        g_assert_cmpstr (entry->kind, ==, LK_KIND_NOTE);
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      seq = sqlite3_column_int64 (stmt, 0);
      g_assert_cmpint (seq, >, last_seq);
      last_seq = seq;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);

  /* And each case's history chains: every move starts where the one
   * before it ended. */
  stmt = prepare (db, "SELECT from_state, to_state FROM history WHERE id = ?1");
  for (guint i = 0; i < f->tracks->len; i++)
    {
      Track *track = g_ptr_array_index (f->tracks, i);

      for (guint k = 1; k < track->op_ids->len; k++)
        {
          sqlite3_bind_text (stmt, 1, g_ptr_array_index (track->op_ids, k), -1, SQLITE_TRANSIENT);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                           lk_case_state_to_string (g_array_index (track->to_states, LkCaseState, k - 1)));
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_test_message ("server away: seed %" G_GUINT32_FORMAT ", %u operations drained in order",
                  f->seed, f->n_ops);
}

/* A TCP proxy on 127.0.0.1 that passes at most `limit` bytes of each
 * response (0: all), then drops both sides. */
typedef struct
{
  int        listen_fd;
  guint16    port;
  guint16    target_port;
  gint       limit;       /* atomic */
  gint       stopping;    /* atomic */
  gint       dropped;     /* atomic: connections cut */
  GThread   *accept_thread;
  GMutex     lock;
  GPtrArray *threads;     /* GThread, joined at the end */
  GArray    *fds;         /* int, open connection sockets */
} Proxy;

typedef struct
{
  Proxy *proxy;
  int    client_fd;
} ProxyConn;

static gboolean
write_all (int          fd,
           const char  *buffer,
           gsize        length)
{
  while (length > 0)
    {
      ssize_t n = send (fd, buffer, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buffer += n;
      length -= (gsize) n;
    }

  return TRUE;
}

static void
proxy_track_fd (Proxy    *proxy,
                int       fd,
                gboolean  add)
{
  g_mutex_lock (&proxy->lock);
  if (add)
    g_array_append_val (proxy->fds, fd);
  else
    for (guint i = 0; i < proxy->fds->len; i++)
      if (g_array_index (proxy->fds, int, i) == fd)
        {
          g_array_remove_index_fast (proxy->fds, i);
          break;
        }
  g_mutex_unlock (&proxy->lock);
}

static int
connect_loopback (guint16 port)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_port = g_htons (port);
  address.sin_addr.s_addr = g_htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      close (fd);
      return -1;
    }

  return fd;
}

static gpointer
proxy_conn_thread (gpointer data)
{
  ProxyConn *conn = data;
  Proxy *proxy = conn->proxy;
  gint limit = g_atomic_int_get (&proxy->limit);
  gsize passed = 0;
  char buffer[16384];
  struct pollfd fds[2];
  int upstream;

  upstream = connect_loopback (proxy->target_port);
  if (upstream < 0)
    goto out;
  proxy_track_fd (proxy, upstream, TRUE);

  fds[0] = (struct pollfd) { conn->client_fd, POLLIN, 0 };
  fds[1] = (struct pollfd) { upstream, POLLIN, 0 };
  for (;;)
    {
      ssize_t n;

      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (fds[0].revents != 0)
        {
          n = recv (conn->client_fd, buffer, sizeof buffer, 0);
          if (n <= 0 || !write_all (upstream, buffer, (gsize) n))
            break;
        }
      if (fds[1].revents != 0)
        {
          n = recv (upstream, buffer, sizeof buffer, 0);
          if (n <= 0)
            break;
          if (limit > 0 && passed + (gsize) n > (gsize) limit)
            {
              write_all (conn->client_fd, buffer, (gsize) limit - passed);
              g_atomic_int_inc (&proxy->dropped);
              break;
            }
          if (!write_all (conn->client_fd, buffer, (gsize) n))
            break;
          passed += (gsize) n;
        }
    }

  proxy_track_fd (proxy, upstream, FALSE);
  shutdown (upstream, SHUT_RDWR);
  close (upstream);
out:
  proxy_track_fd (proxy, conn->client_fd, FALSE);
  shutdown (conn->client_fd, SHUT_RDWR);
  close (conn->client_fd);
  g_free (conn);

  return NULL;
}

static gpointer
proxy_accept_thread (gpointer data)
{
  Proxy *proxy = data;

  for (;;)
    {
      int fd = accept4 (proxy->listen_fd, NULL, NULL, SOCK_CLOEXEC);
      ProxyConn *conn;

      if (g_atomic_int_get (&proxy->stopping))
        {
          if (fd >= 0)
            close (fd);
          break;
        }
      if (fd < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          break;
        }

      conn = g_new0 (ProxyConn, 1);
      conn->proxy = proxy;
      conn->client_fd = fd;
      proxy_track_fd (proxy, fd, TRUE);
      g_mutex_lock (&proxy->lock);
      g_ptr_array_add (proxy->threads, g_thread_new ("proxy-conn", proxy_conn_thread, conn));
      g_mutex_unlock (&proxy->lock);
    }

  return NULL;
}

static Proxy *
proxy_start (guint16 target_port)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;

  proxy->target_port = target_port;
  proxy->threads = g_ptr_array_new ();
  proxy->fds = g_array_new (FALSE, FALSE, sizeof (int));
  g_mutex_init (&proxy->lock);

  proxy->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (proxy->listen_fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = g_htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (proxy->listen_fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (proxy->listen_fd, 16), ==, 0);
  g_assert_cmpint (getsockname (proxy->listen_fd, (struct sockaddr *) &address, &length), ==, 0);
  proxy->port = g_ntohs (address.sin_port);
  proxy->accept_thread = g_thread_new ("proxy-accept", proxy_accept_thread, proxy);

  return proxy;
}

static void
proxy_stop (Proxy *proxy)
{
  GPtrArray *threads;

  g_atomic_int_set (&proxy->stopping, 1);
  shutdown (proxy->listen_fd, SHUT_RDWR);
  g_thread_join (proxy->accept_thread);
  close (proxy->listen_fd);

  /* Wake the connections still open (idle keep-alive ones). */
  g_mutex_lock (&proxy->lock);
  for (guint i = 0; i < proxy->fds->len; i++)
    shutdown (g_array_index (proxy->fds, int, i), SHUT_RDWR);
  threads = g_steal_pointer (&proxy->threads);
  g_mutex_unlock (&proxy->lock);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_ptr_array_unref (threads);

  g_array_unref (proxy->fds);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}

static void
test_dropped_connection (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(LkSyncClient) via_proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_url = NULL;
  Proxy *proxy;
  guint drops = 0;

  start_with_demo (f, 30, 20260405, FALSE);
  proxy = proxy_start (f->port);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  via_proxy = signed_in_client (proxy_url);

  for (guint round = 0; round < DROP_ROUNDS; round++)
    {
      guint applied = 99, conflicts = 99;
      gint limit = g_rand_int_range (f->rand, 1, DROP_MAX_BYTES + 1);
      gint64 queued;

      queue_ops (f, DROP_OPS);
      queued = lk_outbox_count (f->store);

      /* The response is cut after `limit` bytes: the operations were
       * applied on the server, but the client never heard. */
      g_atomic_int_set (&proxy->limit, limit);
      g_assert_false (lk_sync_client_push (via_proxy, f->store, f->cache, &applied, &conflicts,
                                           NULL, &error));
      assert_offline (error);
      g_clear_error (&error);
      g_assert_cmpuint (applied, ==, 0);
      g_assert_cmpint (lk_outbox_count (f->store), ==, queued);
      g_assert_cmpint (g_atomic_int_get (&proxy->dropped), >, (gint) drops);
      drops = (guint) g_atomic_int_get (&proxy->dropped);

      /* The retry gets the first results back, applies nothing twice. */
      g_atomic_int_set (&proxy->limit, 0);
      push_all (f, via_proxy);
    }

  g_clear_object (&via_proxy);
  proxy_stop (proxy);
  verify_client (f, f->store);
  stop_server (f);
  verify_server (f);
  assert_store_equals_server (f, f->store_path);

  g_test_message ("dropped responses: seed %" G_GUINT32_FORMAT ", %u operations, %u connections cut",
                  f->seed, f->n_ops, drops);
}

int
main (int    argc,
      char **argv)
{
  /* The isolated XDG dirs hide the schemas GIO's GNOME proxy resolver
   * needs; loopback needs no proxy. Inherited by the server and loketctl. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/push/faults/server-killed-during-push", Fixture, NULL,
              fixture_set_up, test_server_killed_during_push, fixture_tear_down);
  g_test_add ("/push/faults/server-killed-during-pull", Fixture, NULL,
              fixture_set_up, test_server_killed_during_pull, fixture_tear_down);
  g_test_add ("/push/faults/client-killed-during-push", Fixture, NULL,
              fixture_set_up, test_client_killed_during_push, fixture_tear_down);
  g_test_add ("/push/faults/server-away", Fixture, NULL,
              fixture_set_up, test_server_away, fixture_tear_down);
  g_test_add ("/push/faults/dropped-connection", Fixture, NULL,
              fixture_set_up, test_dropped_connection, fixture_tear_down);

  return g_test_run ();
}
