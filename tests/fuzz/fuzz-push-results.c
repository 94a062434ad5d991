/* fuzz-push-results.c — the answer to POST /api/v1/ops as the client
 * receives it
 *
 * bytes → lk_sync_parse_json → lk_sync_push_results_validate against the
 * queued operations → lk_outbox_apply_result for each result, in order,
 * stopping at the first failure (as lk_sync_client_push does). The client
 * store holds a unit, a service type, two cases and five queued
 * operations: a transition, a new note, a checklist mark, a case edit and
 * a second transition of the same case. Their ids are made fixed after
 * they are queued (OP_1 … OP_5 by queue order, the note NOTE_ID), the
 * store is restored after each input (fuzz_store_restore).
 *
 * Checks: a failure is a protocol error (LK_SYNC_ERROR_PROTOCOL from the
 * validation, LK_OUTBOX_ERROR_INVALID from a result), never an SQL one;
 * each result applied takes its operation off the queue, and a conflict or
 * rejection adds one open conflict; the queue and the conflicts read back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include "fuzz-common.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-private.h"

#define UNIT      "10000000-0000-4000-8000-000000000001"
#define SERVICE   "20000000-0000-4000-8000-000000000001"
#define CASE_A    "30000000-0000-4000-8000-000000000001"
#define CASE_B    "30000000-0000-4000-8000-000000000002"
#define NOTE_ID   "61000000-0000-4000-8000-000000000001"
#define OP_FORMAT "00000000-0000-4000-8000-%012u"

static const struct
{
  const char *kind;
  const char *json;
} records[] = {
  { LK_KIND_UNIT, "{\"id\": \"" UNIT "\", \"code\": \"KEC-1\", \"name\": \"Kecamatan Satu\", "
                  "\"address\": null, \"version\": 1}" },
  { LK_KIND_SERVICE_TYPE,
    "{\"id\": \"" SERVICE "\", \"code\": \"SKD\", \"name\": \"Surat Keterangan Domisili\", \"sla_days\": 2, "
    "\"number_format\": \"470/{seq:04}/{unit}/{year}\", \"needs_business\": false, "
    "\"requirements\": [\"Surat pengantar\", \"KTP\", \"KK\"], \"version\": 1}" },
  { LK_KIND_CASE,
    "{\"id\": \"" CASE_A "\", \"receipt\": \"SKD-20251201-000001\", \"service_type\": \"" SERVICE "\", "
    "\"unit\": \"" UNIT "\", \"state\": \"submitted\", \"applicant_name\": \"Wahyu\", "
    "\"nik\": \"6171010706630787\", \"email\": null, \"phone\": null, \"address\": null, "
    "\"business_name\": null, \"nib\": null, \"created_at\": 1764547200, \"updated_at\": 1764547200, "
    "\"sla_due\": \"2025-12-03\", \"version\": 1}" },
  { LK_KIND_CASE,
    "{\"id\": \"" CASE_B "\", \"receipt\": \"SKD-20251201-000002\", \"service_type\": \"" SERVICE "\", "
    "\"unit\": \"" UNIT "\", \"state\": \"verifying\", \"applicant_name\": \"Sari\", "
    "\"nik\": \"6171010706630788\", \"email\": null, \"phone\": null, \"address\": null, "
    "\"business_name\": null, \"nib\": null, \"created_at\": 1764547200, \"updated_at\": 1764547200, "
    "\"sla_due\": \"2025-12-03\", \"version\": 2}" },
};

static void
run_sql (LkStore    *store,
         const char *sql,
         const char *value,
         const char *where)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, &error);

  if (stmt == NULL)
    fuzz_fail ("%s", error->message);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, where, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    fuzz_fail ("%s: %s", sql, sqlite3_errmsg (lk_store_get_handle (store)));
  sqlite3_reset (stmt);
}

/* The queued operations' random ids (and the new note's) made fixed, so
 * that seeds can name them. */
static void
fix_ids (LkStore *store)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = lk_outbox_list (store, 0, &error);
  if (entries == NULL)
    fuzz_fail ("lk_outbox_list: %s", error->message);
  if (!lk_store_begin (store, &error))
    fuzz_fail ("lk_store_begin: %s", error->message);
  for (guint i = 0; i < entries->len; i++)
    {
      LkOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *id = g_strdup_printf (OP_FORMAT, i + 1);

      run_sql (store, "UPDATE outbox SET id = ?1 WHERE id = ?2", id, entry->id);
      run_sql (store, "UPDATE history SET id = ?1 WHERE id = ?2", id, entry->id);
      if (g_str_equal (entry->kind, LK_KIND_NOTE))
        {
          run_sql (store, "UPDATE notes SET id = ?1 WHERE id = ?2", NOTE_ID, entry->record_id);
          run_sql (store, "UPDATE outbox SET record_id = ?1 WHERE record_id = ?2", NOTE_ID, entry->record_id);
        }
    }
  if (!lk_store_commit (store, &error))
    fuzz_fail ("lk_store_commit: %s", error->message);
}

static LkStore *
setup (sqlite3 **out_snapshot)
{
  g_autoptr(LkStore) store = fuzz_open_client_store ();
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(GError) error = NULL;

  if (!lk_store_begin (store, &error))
    fuzz_fail ("lk_store_begin: %s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (records[i].json, &error);

      if (node == NULL || !lk_store_upsert_json (store, records[i].kind, json_node_get_object (node), &error))
        fuzz_fail ("fixture %s record %u: %s", records[i].kind, i, error->message);
    }
  if (!lk_store_commit (store, &error) ||
      !lk_store_set_meta (store, "account.username", "petugas", &error))
    fuzz_fail ("fixture: %s", error->message);

  json_object_set_string_member (edit, "applicant_name", "Sari Dewi");
  if (!lk_outbox_transition (store, CASE_A, LK_CASE_STATE_VERIFYING, NULL, NULL, "petugas",
                             LK_ROLE_OFFICER, NULL, &error) ||
      !lk_outbox_add_note (store, CASE_A, "Pemohon datang sendiri.", "petugas", NULL, &error) ||
      !lk_outbox_set_checklist (store, CASE_A, 0, LK_CHECK_STATUS_VERIFIED, NULL, NULL, "petugas", &error) ||
      !lk_outbox_put (store, LK_KIND_CASE, CASE_B, edit, NULL, &error) ||
      !lk_outbox_transition (store, CASE_A, LK_CASE_STATE_INCOMPLETE, "KTP tidak terbaca", NULL, "petugas",
                             LK_ROLE_OFFICER, NULL, &error))
    fuzz_fail ("queueing the fixture's operations: %s", error->message);
  if (lk_outbox_count (store) != 5)
    fuzz_fail ("the fixture queued %" G_GINT64_FORMAT " operations, not 5", lk_outbox_count (store));
  fix_ids (store);

  *out_snapshot = fuzz_store_snapshot (store);
  return g_steal_pointer (&store);
}

static void
apply_results (LkStore   *store,
               JsonArray *results)
{
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *status = lk_sync_get_string_member (result, "status", 16);
      gint64 queued = lk_outbox_count (store);
      gint64 conflicts = lk_outbox_count_conflicts (store);
      g_autoptr(GError) error = NULL;

      if (!lk_outbox_apply_result (store, result, &error))
        {
          /* G_MESSAGES_DEBUG=loket-fuzz shows what a seed reaches. */
          g_debug ("result %u refused: %s", i, error->message);
          if (!g_error_matches (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID))
            fuzz_fail ("lk_outbox_apply_result failed with a non-protocol error: %s", error->message);
          if (lk_outbox_count (store) != queued || lk_outbox_count_conflicts (store) != conflicts)
            fuzz_fail ("a refused result changed the queue or the conflicts");
          return;
        }

      g_debug ("result %u (%s) recorded", i, status ? status : "?");
      /* Validated: the result's id is queued, so it leaves the queue. */
      if (lk_outbox_count (store) != queued - 1)
        fuzz_fail ("result %u (%s) left %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " queued", i,
                   status ? status : "?", lk_outbox_count (store), queued);
      if (g_strcmp0 (status, "applied") == 0 && lk_outbox_count_conflicts (store) != conflicts)
        fuzz_fail ("result %u: applied, yet a conflict was added", i);
      if (g_strcmp0 (status, "applied") != 0 && lk_outbox_count_conflicts (store) != conflicts + 1)
        fuzz_fail ("result %u: %s without a conflict added", i, status ? status : "?");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static LkStore *store;
  static sqlite3 *snapshot;
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *results = NULL;

  if (store == NULL)
    store = setup (&snapshot);

  root = lk_sync_parse_json (body, &error);
  if (root == NULL)
    {
      if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL))
        fuzz_fail ("lk_sync_parse_json returned NULL without a protocol error");
      return 0;
    }

  sent = lk_outbox_list (store, LK_SYNC_PUSH_BATCH, &error);
  if (sent == NULL)
    fuzz_fail ("lk_outbox_list: %s", error->message);
  if (!lk_sync_push_results_validate (root, sent, &results, &error))
    {
      g_debug ("refused: %s", error->message);
      if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL) || results != NULL)
        fuzz_fail ("lk_sync_push_results_validate failed without a protocol error, or with results");
      return 0;
    }
  if (results == NULL || json_array_get_length (results) != sent->len)
    fuzz_fail ("validated results are not one per operation sent");

  apply_results (store, results);

  left = lk_outbox_list (store, 0, &error);
  if (left == NULL)
    fuzz_fail ("the queue does not read back: %s", error->message);
  conflicts = lk_outbox_list_conflicts (store, TRUE, &error);
  if (conflicts == NULL)
    fuzz_fail ("the conflicts do not read back: %s", error->message);

  fuzz_store_restore (store, snapshot);
  return 0;
}
