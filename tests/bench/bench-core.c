/* bench-core.c — benchmarks of the core without GTK
 *
 *   bench-core search STORE   queue search over a synced client store:
 *                             keystroke → LkCaseList::updated, and the raw
 *                             lk_store_search_case_nids, per typed prefix;
 *                             the same keystrokes again with the filters
 *                             active (open cases, one service, sorted by
 *                             applicant: "filtered_*"); and each column's
 *                             sort of the whole queue ("sort_*")
 *   bench-core pull URL RUNS  initial pull into an empty store, RUNS times
 *                             (password from $LOKET_PASSWORD, user petugas)
 *
 * Prints key=value lines for tests/bench/run; no timing is asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-bench"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/lk-case-list.h"
#include "store/lk-store.h"
#include "sync/lk-sync-client.h"
#include "lk-test-util.h"

/* What an officer types at the counter: names, a NIK prefix, receipt
 * numbers, business names. Each is typed key by key. */
static const char * const queries[] = {
  "siti", "budi santoso", "agus", "rina wijaya", "muhammad", "yohanes",
  "sri lestari", "dian", "hendra pratama", "wulan", "nur hidayat", "maria",
  "ahmad siregar", "saputra",
  "617102", "6171054", "617101",
  "SKD-2026", "SKU-20260115", "IUMK-2025", "SIP-202602", "SKTM-2026",
  "warung", "toko sumber", "cv maju", "bengkel", "kedai kapuas", "berkah",
  "ud sinar jaya", "khatulistiwa",
};

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Nearest-rank percentile of a sorted array. */
static double
percentile (GArray *sorted,
            double  p)
{
  guint rank = (guint) ceil (p / 100.0 * sorted->len);

  if (sorted->len == 0)
    return 0;
  if (rank == 0)
    rank = 1;
  return g_array_index (sorted, double, rank - 1);
}

static void
print_stats (const char *name,
             GArray     *samples)
{
  g_array_sort (samples, compare_double);
  g_print ("%s_n=%u\n", name, samples->len);
  g_print ("%s_median_ms=%.2f\n", name, percentile (samples, 50));
  g_print ("%s_p95_ms=%.2f\n", name, percentile (samples, 95));
  g_print ("%s_max_ms=%.2f\n", name, g_array_index (samples, double, samples->len - 1));
}

static void
updated_cb (LkCaseList *list,
            guint      *count)
{
  (*count)++;
}

static void
wait_updated (guint *count,
              guint  target)
{
  while (*count < target)
    g_main_context_iteration (NULL, TRUE);
}

/* Types every query key by key (clearing between queries, not measured);
 * appends each keystroke → "updated" time to samples. */
static gboolean
type_queries (LkCaseList *list,
              guint      *updates,
              GArray     *samples,
              guint      *keystrokes,
              guint64    *hits)
{
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      gsize len = strlen (queries[q]);

      for (gsize k = 1; k <= len; k++)
        {
          g_autofree char *prefix = g_strndup (queries[q], k);
          guint target = *updates + 1;
          gint64 t0 = g_get_monotonic_time ();
          double ms;

          lk_case_list_set_search (list, prefix);
          wait_updated (updates, target);
          ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (samples, ms);
          (*keystrokes)++;
          if (lk_case_list_get_error (list) != NULL)
            {
              g_printerr ("bench-core: searching “%s” failed: %s\n",
                          prefix, lk_case_list_get_error (list)->message);
              return FALSE;
            }
        }
      *hits += g_list_model_get_n_items (G_LIST_MODEL (list));

      lk_case_list_set_search (list, "");
      wait_updated (updates, *updates + 1);
    }
  return TRUE;
}

static int
run_search (const char *store_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkCaseList) list = NULL;
  g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint updates = 0, keystrokes = 0;
  guint64 hits = 0;
  gint64 t0;
  double ms;

  store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL)
    {
      g_printerr ("bench-core: %s\n", error->message);
      return 1;
    }

  list = lk_case_list_new (store);
  g_signal_connect (list, "updated", G_CALLBACK (updated_cb), &updates);

  t0 = g_get_monotonic_time ();
  lk_case_list_reload (list);
  wait_updated (&updates, 1);
  g_print ("cases=%u\n", lk_case_list_get_total (list));
  g_print ("reload_ms=%.1f\n", (double) (g_get_monotonic_time () - t0) / 1000.0);
  if (lk_case_list_get_total (list) == 0)
    {
      g_printerr ("bench-core: the store %s holds no cases\n", store_path);
      return 1;
    }

  /* Keystroke → "updated": each key waits for the previous result, as if
   * the officer looked at the list after each key. */
  if (!type_queries (list, &updates, list_ms, &keystrokes, &hits))
    return 1;

  /* The same with the filters on: open cases of one service, sorted by
   * applicant (the sort happens once, before typing). */
  {
    g_autoptr(GArray) filtered_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) sort_ms = g_array_new (FALSE, FALSE, sizeof (double));
    GPtrArray *types = lk_case_list_get_service_types (list);
    guint filtered_keystrokes = 0;
    guint64 filtered_hits = 0;

    lk_case_list_set_state_filter (list, LK_CASE_LIST_OPEN_STATES);
    wait_updated (&updates, updates + 1);
    if (types->len > 0)
      {
        lk_case_list_set_service_filter (list, lk_service_type_get_id (g_ptr_array_index (types, 0)));
        wait_updated (&updates, updates + 1);
      }
    lk_case_list_set_sort (list, LK_CASE_SORT_APPLICANT, FALSE);
    wait_updated (&updates, updates + 1);
    g_print ("filtered_cases=%u\n", g_list_model_get_n_items (G_LIST_MODEL (list)));
    if (!type_queries (list, &updates, filtered_ms, &filtered_keystrokes, &filtered_hits))
      return 1;
    print_stats ("filtered", filtered_ms);

    /* Each column's sort of the whole queue, both ways: set → "updated". */
    lk_case_list_set_state_filter (list, LK_CASE_LIST_ALL_STATES);
    lk_case_list_set_service_filter (list, NULL);
    wait_updated (&updates, updates + 1);
    for (int sort = 0; sort < LK_N_CASE_SORTS; sort++)
      for (int desc = 0; desc < 2; desc++)
        {
          guint target = updates + 1;
          gboolean current_desc;

          if (lk_case_list_get_sort (list, &current_desc) == (LkCaseSort) sort && current_desc == desc)
            continue;
          t0 = g_get_monotonic_time ();
          lk_case_list_set_sort (list, sort, desc);
          wait_updated (&updates, target);
          ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (sort_ms, ms);
        }
    print_stats ("sort", sort_ms);
  }

  /* The raw index lookup, same prefixes. */
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      gsize len = strlen (queries[q]);

      for (gsize k = 1; k <= len; k++)
        {
          g_autofree char *prefix = g_strndup (queries[q], k);
          g_autoptr(GArray) nids = NULL;

          t0 = g_get_monotonic_time ();
          nids = lk_store_search_case_nids (store, prefix, NULL, &error);
          ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
          if (nids == NULL)
            {
              g_printerr ("bench-core: lk_store_search_case_nids “%s”: %s\n", prefix, error->message);
              return 1;
            }
          g_array_append_val (raw_ms, ms);
        }
    }

  g_print ("queries=%u\n", (guint) G_N_ELEMENTS (queries));
  g_print ("keystrokes=%u\n", keystrokes);
  g_print ("full_query_hits_avg=%.0f\n", (double) hits / G_N_ELEMENTS (queries));
  print_stats ("list", list_ms);
  print_stats ("raw", raw_ms);

  return 0;
}

static int
run_pull (const char *url,
          guint       runs)
{
  const char *password = g_getenv ("LOKET_PASSWORD");
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 records = 0;
  gint64 cases = 0;

  if (password == NULL)
    {
      g_printerr ("bench-core: set LOKET_PASSWORD\n");
      return 1;
    }

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = lk_test_make_tmpdir ("bench-pull");
      g_autofree char *path = g_build_filename (dir, "client.db", NULL);
      g_autoptr(LkStore) store = NULL;
      g_autoptr(LkSyncClient) client = NULL;
      gint64 t0;
      double s;

      store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
      if (store != NULL)
        client = lk_sync_client_new (url, "petugas", &error);
      if (client == NULL ||
          !lk_sync_client_login (client, password, NULL, &error))
        {
          g_printerr ("bench-core: %s\n", error->message);
          lk_test_rm_rf (dir);
          return 1;
        }

      /* Only the pull is timed: the sign-in (Argon2id) is not. */
      t0 = g_get_monotonic_time ();
      if (!lk_sync_client_pull (client, store, LK_SYNC_DEFAULT_PAGE, NULL, NULL,
                                &records, NULL, &error))
        {
          g_printerr ("bench-core: pull failed: %s\n", error->message);
          lk_test_rm_rf (dir);
          return 1;
        }
      s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
      g_array_append_val (seconds, s);
      cases = lk_store_count (store, LK_KIND_CASE);
      g_print ("pull_run_%u_s=%.3f records=%" G_GUINT64_FORMAT "\n", i + 1, s, records);

      g_clear_object (&store);
      lk_test_rm_rf (dir);
    }

  g_array_sort (seconds, compare_double);
  g_print ("pull_records=%" G_GUINT64_FORMAT "\n", records);
  g_print ("pull_cases=%" G_GINT64_FORMAT "\n", cases);
  g_print ("pull_median_s=%.3f\n", percentile (seconds, 50));
  g_print ("pull_records_per_s=%.0f\n", (double) records / percentile (seconds, 50));
  g_print ("pull_cases_per_s=%.0f\n", (double) cases / percentile (seconds, 50));

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && strcmp (argv[1], "search") == 0)
    return run_search (argv[2]);
  if (argc == 4 && strcmp (argv[1], "pull") == 0)
    return run_pull (argv[2], (guint) MAX (1, atoi (argv[3])));

  g_printerr ("usage: bench-core search STORE | bench-core pull URL RUNS\n");
  return 2;
}
