/* bench-sync.c — benchmarks of the sync engine against a real loket-server
 *
 *   bench-sync floor SERVER-DB RUNS
 *        the floor of an initial pull on this machine: the rows the demo
 *        user petugas sees, read from the server database into memory first
 *        (not timed), then inserted with prepared statements in one
 *        transaction into an empty client store (same schema: FTS5 and its
 *        triggers, the secondary indexes built after the rows as the first
 *        pull does; the pragmas of a pull), RUNS times
 *   bench-sync pull URL RUNS
 *        lk_sync_client_pull into an empty store, RUNS times
 *   bench-sync incr URL SERVER-DB CHANGED RUNS
 *        one initial pull (not timed), then RUNS times: CHANGED cases that
 *        petugas sees are changed by writing the server's database directly
 *        (its change-feed triggers fire), and the pull of just those is timed
 *   bench-sync push URL RUNS
 *        one initial pull (not timed), then RUNS times: 1 000 notes queued
 *        with lk_outbox_add_note, then lk_sync_client_push is timed
 *
 * The password is $LOKET_PASSWORD, the user petugas. Prints key=value lines
 * for tests/bench/run-sync; no timing is asserted. Wall time and this
 * process's CPU time (user + system) are printed for each figure: on a
 * shared machine the CPU time is the steadier of the two.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sqlite3.h>

#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"
#include "lk-test-util.h"

#define USER "petugas"
#define PUSH_OPS 1000

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_double);
  if (samples->len == 0)
    return 0;
  if (samples->len % 2)
    return g_array_index (samples, double, samples->len / 2);
  return (g_array_index (samples, double, samples->len / 2 - 1) +
          g_array_index (samples, double, samples->len / 2)) / 2;
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
         (double) ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* A stopwatch over wall and CPU time. */
typedef struct
{
  gint64 wall0;
  double cpu0;
} Watch;

static void
watch_start (Watch *w)
{
  w->wall0 = g_get_monotonic_time ();
  w->cpu0 = cpu_seconds ();
}

static void
watch_stop (Watch  *w,
            GArray *wall_s,
            GArray *cpu_s)
{
  double wall = (double) (g_get_monotonic_time () - w->wall0) / G_USEC_PER_SEC;
  double cpu = cpu_seconds () - w->cpu0;

  g_array_append_val (wall_s, wall);
  g_array_append_val (cpu_s, cpu);
}

static gboolean
fail (GError *error)
{
  g_printerr ("bench-sync: %s\n", error != NULL ? error->message : "failed");
  return FALSE;
}

/* ---- floor ---------------------------------------------------------------- */

/* The client's tables and the server rows petugas sees (?1: the user's id).
 * Column names are the client's; values are copied as they are. */
static const struct
{
  const char *table;
  const char *columns;
  const char *where;
} floor_tables[] = {
  { "units", "id, code, name, address, version", "1" },
  { "service_types", "id, code, name, sla_days, number_format, needs_business, requirements, version", "1" },
  { "cases", "id, receipt, service_type, unit, state, applicant_name, nik, email, phone, address, "
             "business_name, nib, created_at, updated_at, sla_due, version, assignee",
    "t.unit IN (SELECT unit_id FROM user_units WHERE user_id = ?1)" },
  { "documents", "id, case_id, name, mime_type, size, sha256, position, version",
    "t.case_id IN (SELECT id FROM cases WHERE unit IN (SELECT unit_id FROM user_units WHERE user_id = ?1))" },
  { "history", "id, case_id, from_state, to_state, actor, at, reason, version",
    "t.case_id IN (SELECT id FROM cases WHERE unit IN (SELECT unit_id FROM user_units WHERE user_id = ?1))" },
  { "notes", "id, case_id, author, at, text, version",
    "t.case_id IN (SELECT id FROM cases WHERE unit IN (SELECT unit_id FROM user_units WHERE user_id = ?1))" },
  { "checklist", "id, case_id, item, status, reason, document_id, actor, at, version",
    "t.case_id IN (SELECT id FROM cases WHERE unit IN (SELECT unit_id FROM user_units WHERE user_id = ?1))" },
};

/* One value of a row held in memory: NULL, an integer or text in the
 * table's arena. */
typedef struct
{
  int    type;      /* SQLITE_NULL, SQLITE_INTEGER or SQLITE_TEXT */
  gint64 value;     /* the integer, or the text's offset in the arena */
  int    len;
} Cell;

typedef struct
{
  int         n_columns;
  GArray     *cells;   /* n_columns per row */
  GByteArray *arena;
} Rows;

static gboolean
read_rows (sqlite3    *db,
           const char *user_id,
           guint       t,
           Rows       *rows)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s AS t WHERE %s",
                                          floor_tables[t].columns, floor_tables[t].table,
                                          floor_tables[t].where);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-sync: %s: %s\n", sql, sqlite3_errmsg (db));
      return FALSE;
    }
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);

  rows->n_columns = sqlite3_column_count (stmt);
  rows->cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  rows->arena = g_byte_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int i = 0; i < rows->n_columns; i++)
      {
        Cell cell = { sqlite3_column_type (stmt, i), 0, 0 };

        if (cell.type == SQLITE_INTEGER)
          cell.value = sqlite3_column_int64 (stmt, i);
        else if (cell.type != SQLITE_NULL)
          {
            const guint8 *text = sqlite3_column_text (stmt, i);

            cell.type = SQLITE_TEXT;
            cell.len = sqlite3_column_bytes (stmt, i);
            cell.value = rows->arena->len;
            g_byte_array_append (rows->arena, text, (guint) cell.len);
          }
        g_array_append_val (rows->cells, cell);
      }
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
insert_rows (sqlite3 *db,
             guint    t,
             Rows    *rows)
{
  g_autoptr(GString) params = g_string_new (NULL);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_rows = rows->cells->len / (guint) rows->n_columns;

  for (int i = 0; i < rows->n_columns; i++)
    g_string_append (params, i ? ", ?" : "?");
  sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)",
                         floor_tables[t].table, floor_tables[t].columns, params->str);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-sync: %s: %s\n", sql, sqlite3_errmsg (db));
      return FALSE;
    }

  for (guint r = 0; r < n_rows; r++)
    {
      const Cell *row = &g_array_index (rows->cells, Cell, r * (guint) rows->n_columns);

      for (int i = 0; i < rows->n_columns; i++)
        {
          if (row[i].type == SQLITE_INTEGER)
            sqlite3_bind_int64 (stmt, i + 1, row[i].value);
          else if (row[i].type == SQLITE_TEXT)
            sqlite3_bind_text (stmt, i + 1, (const char *) rows->arena->data + row[i].value,
                               row[i].len, SQLITE_STATIC);
          else
            sqlite3_bind_null (stmt, i + 1);
        }
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          g_printerr ("bench-sync: inserting into %s: %s\n", floor_tables[t].table, sqlite3_errmsg (db));
          sqlite3_finalize (stmt);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  return TRUE;
}

static int
run_floor (const char *server_db,
           guint       runs)
{
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  Rows rows[G_N_ELEMENTS (floor_tables)] = { { 0 } };
  g_autofree char *user_id = NULL;
  sqlite3 *src = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 records = 0;
  int status = 1;

  if (sqlite3_open_v2 (server_db, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-sync: cannot open %s: %s\n", server_db, sqlite3_errmsg (src));
      goto out;
    }
  if (sqlite3_prepare_v2 (src, "SELECT id FROM users WHERE username = '" USER "'", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_printerr ("bench-sync: no user " USER " in %s\n", server_db);
      goto out;
    }
  user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  for (guint t = 0; t < G_N_ELEMENTS (floor_tables); t++)
    {
      if (!read_rows (src, user_id, t, &rows[t]))
        goto out;
      records += rows[t].cells->len / (guint) rows[t].n_columns;
    }

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = lk_test_make_tmpdir ("bench-floor");
      g_autofree char *path = g_build_filename (dir, "client.db", NULL);
      g_autoptr(LkStore) store = NULL;
      g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);
      sqlite3 *db = NULL;
      gboolean ok;
      Watch w;

      /* The client schema, made by the store itself; then a bare
       * connection with the store's pragmas and the page cache a pull
       * sets (lk-sync-pull.c, PULL_CACHE_KIB). */
      store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
      if (store == NULL)
        {
          fail (error);
          lk_test_rm_rf (dir);
          goto out;
        }
      g_clear_object (&store);
      if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
          sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                        "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072;",
                        NULL, NULL, NULL) != SQLITE_OK)
        {
          g_printerr ("bench-sync: cannot open %s: %s\n", path, sqlite3_errmsg (db));
          sqlite3_close (db);
          lk_test_rm_rf (dir);
          goto out;
        }

      /* The best a bulk load can do: the secondary indexes built once after
       * the rows, as the first pull does (lk_store_bulk_enter). */
      {
        sqlite3_stmt *list = NULL;

        ok = sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
                                 -1, &list, NULL) == SQLITE_OK;
        while (ok && sqlite3_step (list) == SQLITE_ROW)
          g_ptr_array_add (indexes, g_strdup ((const char *) sqlite3_column_text (list, 1)));
        sqlite3_finalize (list);
        for (guint x = 0; ok && x < indexes->len; x++)
          {
            const char *sql = g_ptr_array_index (indexes, x);
            g_autofree char *name = g_strndup (sql + strlen ("CREATE INDEX "),
                                               strcspn (sql + strlen ("CREATE INDEX "), " "));
            g_autofree char *drop = g_strdup_printf ("DROP INDEX %s", name);

            ok = sqlite3_exec (db, drop, NULL, NULL, NULL) == SQLITE_OK;
          }
      }

      watch_start (&w);
      ok = ok && sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
      for (guint t = 0; ok && t < G_N_ELEMENTS (floor_tables); t++)
        ok = insert_rows (db, t, &rows[t]);
      for (guint x = 0; ok && x < indexes->len; x++)
        ok = sqlite3_exec (db, g_ptr_array_index (indexes, x), NULL, NULL, NULL) == SQLITE_OK;
      ok = ok && sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
      watch_stop (&w, wall, cpu);
      sqlite3_close (db);
      lk_test_rm_rf (dir);
      if (!ok)
        goto out;
      g_print ("floor_run_%u_s=%.3f cpu_s=%.3f\n", i + 1,
               g_array_index (wall, double, i), g_array_index (cpu, double, i));
    }

  g_print ("floor_records=%" G_GUINT64_FORMAT "\n", records);
  g_print ("floor_cases=%u\n", rows[2].cells->len / (guint) rows[2].n_columns);
  g_print ("floor_median_s=%.3f\n", median (wall));
  g_print ("floor_cpu_median_s=%.3f\n", median (cpu));
  status = 0;

out:
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  sqlite3_close (src);
  for (guint t = 0; t < G_N_ELEMENTS (floor_tables); t++)
    {
      g_clear_pointer (&rows[t].cells, g_array_unref);
      g_clear_pointer (&rows[t].arena, g_byte_array_unref);
    }
  return status;
}

/* ---- the pulls ------------------------------------------------------------ */

static LkSyncClient *
sign_in (const char *url)
{
  const char *password = g_getenv ("LOKET_PASSWORD");
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (password == NULL)
    {
      g_printerr ("bench-sync: set LOKET_PASSWORD\n");
      return NULL;
    }

  client = lk_sync_client_new (url, USER, &error);
  if (client == NULL || !lk_sync_client_login (client, password, NULL, &error))
    {
      fail (error);
      return NULL;
    }

  return g_steal_pointer (&client);
}

/* A new store in dir with everything the server has for petugas. */
static LkStore *
initial_store (LkSyncClient *client,
               const char   *dir,
               guint64      *out_records)
{
  g_autofree char *path = g_build_filename (dir, "client.db", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL ||
      !lk_sync_client_pull (client, store, LK_SYNC_DEFAULT_PAGE, NULL, NULL,
                            out_records, NULL, &error))
    {
      fail (error);
      return NULL;
    }

  return g_steal_pointer (&store);
}

static int
run_pull (const char *url,
          guint       runs)
{
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(LkSyncClient) client = sign_in (url);
  guint64 records = 0;
  gint64 cases = 0;
  double s;

  if (client == NULL)
    return 1;

  for (guint i = 0; i < runs; i++)
    {
      g_autofree char *dir = lk_test_make_tmpdir ("bench-pull");
      g_autoptr(LkStore) store = NULL;
      Watch w;

      /* Only the pull is timed: the sign-in (Argon2id) is not. */
      watch_start (&w);
      store = initial_store (client, dir, &records);
      watch_stop (&w, wall, cpu);
      if (store == NULL)
        {
          lk_test_rm_rf (dir);
          return 1;
        }
      cases = lk_store_count (store, LK_KIND_CASE);
      g_print ("pull_run_%u_s=%.3f cpu_s=%.3f records=%" G_GUINT64_FORMAT "\n", i + 1,
               g_array_index (wall, double, i), g_array_index (cpu, double, i), records);
      g_clear_object (&store);
      lk_test_rm_rf (dir);
    }

  s = median (wall);
  g_print ("pull_records=%" G_GUINT64_FORMAT "\n", records);
  g_print ("pull_cases=%" G_GINT64_FORMAT "\n", cases);
  g_print ("pull_median_s=%.3f\n", s);
  g_print ("pull_cpu_median_s=%.3f\n", median (cpu));
  g_print ("pull_records_per_s=%.0f\n", (double) records / s);
  g_print ("pull_cases_per_s=%.0f\n", (double) cases / s);

  return 0;
}

/* Changes n cases petugas sees, from the offset-th on in id order, by
 * writing the server's database as a second connection: the change-feed
 * triggers give each a new seq. */
static gboolean
change_cases (const char *server_db,
              guint       n,
              guint       offset)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  ok = sqlite3_open_v2 (server_db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
       sqlite3_busy_timeout (db, 10000) == SQLITE_OK &&
       sqlite3_prepare_v2 (db,
                           "UPDATE cases SET version = version + 1, updated_at = updated_at + 1 "
                           "WHERE id IN (SELECT id FROM cases WHERE unit IN "
                           "(SELECT unit_id FROM user_units WHERE user_id = "
                           "(SELECT id FROM users WHERE username = '" USER "')) "
                           "ORDER BY id LIMIT ?1 OFFSET ?2)",
                           -1, &stmt, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_int (stmt, 1, (int) n);
      sqlite3_bind_int (stmt, 2, (int) offset);
      ok = sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (db) == (int) n;
    }
  if (!ok)
    g_printerr ("bench-sync: changing cases in %s: %s\n", server_db, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return ok;
}

static int
run_incr (const char *url,
          const char *server_db,
          guint       changed,
          guint       runs)
{
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(LkSyncClient) client = sign_in (url);
  g_autofree char *dir = NULL;
  g_autoptr(LkStore) store = NULL;
  guint64 records = 0;
  int status = 1;

  if (client == NULL)
    return 1;

  dir = lk_test_make_tmpdir ("bench-incr");
  store = initial_store (client, dir, &records);
  if (store == NULL)
    goto out;
  g_print ("incr_initial_records=%" G_GUINT64_FORMAT "\n", records);

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      Watch w;

      if (!change_cases (server_db, changed, i * changed))
        goto out;

      watch_start (&w);
      if (!lk_sync_client_pull (client, store, LK_SYNC_DEFAULT_PAGE, NULL, NULL,
                                &records, NULL, &error))
        {
          fail (error);
          goto out;
        }
      watch_stop (&w, wall, cpu);
      g_print ("incr_run_%u_ms=%.1f cpu_ms=%.1f records=%" G_GUINT64_FORMAT "\n", i + 1,
               g_array_index (wall, double, i) * 1000, g_array_index (cpu, double, i) * 1000, records);
      if (records != changed)
        {
          g_printerr ("bench-sync: changed %u cases but pulled %" G_GUINT64_FORMAT " records\n",
                      changed, records);
          goto out;
        }
    }

  g_print ("incr_changed=%u\n", changed);
  g_print ("incr_median_ms=%.1f\n", median (wall) * 1000);
  g_print ("incr_cpu_median_ms=%.1f\n", median (cpu) * 1000);
  status = 0;

out:
  g_clear_object (&store);
  lk_test_rm_rf (dir);
  return status;
}

/* ---- push ----------------------------------------------------------------- */

/* The ids of n cases of the store, for the notes. */
static GPtrArray *
some_case_ids (LkStore *store,
               guint    n)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* A second, read-only connection: the bench picks cases, the store is
   * not asked for anything it does not offer. */
  if (sqlite3_open_v2 (lk_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT id FROM cases ORDER BY nid LIMIT ?1", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, (int) n);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_steal_pointer (&ids);
}

static int
run_push (const char *url,
          guint       runs)
{
  g_autoptr(GArray) queue_wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) queue_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(LkSyncClient) client = sign_in (url);
  g_autoptr(LkBlobCache) cache = NULL;
  g_autoptr(GPtrArray) case_ids = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cache_dir = NULL;
  g_autoptr(LkStore) store = NULL;
  int status = 1;

  if (client == NULL)
    return 1;

  dir = lk_test_make_tmpdir ("bench-push");
  cache_dir = g_build_filename (dir, "blobs", NULL);
  cache = lk_blob_cache_new (cache_dir);
  store = initial_store (client, dir, NULL);
  if (store == NULL)
    goto out;
  case_ids = some_case_ids (store, 100);
  if (case_ids->len == 0)
    {
      g_printerr ("bench-sync: the store holds no cases\n");
      goto out;
    }

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      guint applied = 0, conflicts = 0;
      Watch w;

      watch_start (&w);
      for (guint k = 0; k < PUSH_OPS; k++)
        {
          g_autofree char *text = g_strdup_printf ("Bench note %u of run %u", k + 1, i + 1);

          if (!lk_outbox_add_note (store, g_ptr_array_index (case_ids, k % case_ids->len),
                                   text, USER, NULL, &error))
            {
              fail (error);
              goto out;
            }
        }
      watch_stop (&w, queue_wall, queue_cpu);

      watch_start (&w);
      if (!lk_sync_client_push (client, store, cache, &applied, &conflicts, NULL, &error))
        {
          fail (error);
          goto out;
        }
      watch_stop (&w, wall, cpu);
      g_print ("push_run_%u_s=%.3f cpu_s=%.3f queue_s=%.3f applied=%u conflicts=%u\n", i + 1,
               g_array_index (wall, double, i), g_array_index (cpu, double, i),
               g_array_index (queue_wall, double, i), applied, conflicts);
      if (applied != PUSH_OPS || lk_outbox_count (store) != 0)
        {
          g_printerr ("bench-sync: pushed %u operations, %u applied, %" G_GINT64_FORMAT " still queued\n",
                      PUSH_OPS, applied, lk_outbox_count (store));
          goto out;
        }
    }

  g_print ("push_ops=%u\n", PUSH_OPS);
  g_print ("push_queue_median_s=%.3f\n", median (queue_wall));
  g_print ("push_median_s=%.3f\n", median (wall));
  g_print ("push_cpu_median_s=%.3f\n", median (cpu));
  status = 0;

out:
  g_clear_object (&store);
  lk_test_rm_rf (dir);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && strcmp (argv[1], "floor") == 0)
    return run_floor (argv[2], (guint) MAX (1, atoi (argv[3])));
  if (argc == 4 && strcmp (argv[1], "pull") == 0)
    return run_pull (argv[2], (guint) MAX (1, atoi (argv[3])));
  if (argc == 6 && strcmp (argv[1], "incr") == 0)
    return run_incr (argv[2], argv[3], (guint) MAX (1, atoi (argv[4])), (guint) MAX (1, atoi (argv[5])));
  if (argc == 4 && strcmp (argv[1], "push") == 0)
    return run_push (argv[2], (guint) MAX (1, atoi (argv[3])));

  g_printerr ("usage: bench-sync floor SERVER-DB RUNS | pull URL RUNS |\n"
              "                  incr URL SERVER-DB CHANGED RUNS | push URL RUNS\n");
  return 2;
}
