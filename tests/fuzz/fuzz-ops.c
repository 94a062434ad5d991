/* fuzz-ops.c — a POST /api/v1/ops batch as the server receives it
 *
 * bytes → lk_server_apply_ops on a server store with a few records: two
 * units (the user's and another), a service type of three requirements,
 * cases in the states the operations start from (one in the other unit),
 * a document and its blob, a note, a checklist record, the users of the
 * four roles, a registered certificate, and two operations answered
 * earlier (one by another user). An input may start with one of "osia":
 * the user is then the officer, signer, inspector or admin (default: the
 * officer). The time is fixed and the store is restored after each input
 * (fuzz_store_restore), so an input replays alone.
 *
 * Checks: the store never fails (500); a 200 answer is JSON that the
 * client's lk_sync_push_results_validate accepts, with one result per
 * operation: applied (version base + 1, the operation's record),
 * conflict (the version and the record) or rejected (a known code); and
 * the same body sent again gets the same answer byte for byte (replays).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <string.h>
#include <libsoup/soup.h>

#include "fuzz-common.h"
#include "lk-server-private.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-private.h"

#define NOW          G_GINT64_CONSTANT (1767225600)  /* 2026-01-01T00:00:00Z */

#define UNIT_OWN     "10000000-0000-4000-8000-000000000001"
#define UNIT_OTHER   "10000000-0000-4000-8000-000000000002"
#define SERVICE      "20000000-0000-4000-8000-000000000001"
#define CASE_NEW     "30000000-0000-4000-8000-000000000001"  /* submitted */
#define CASE_OTHER   "30000000-0000-4000-8000-000000000002"  /* other unit */
#define CASE_SIGN    "30000000-0000-4000-8000-000000000003"  /* awaiting_signature */
#define CASE_INSPECT "30000000-0000-4000-8000-000000000004"  /* inspection */
#define DOCUMENT     "40000000-0000-4000-8000-000000000001"
#define NOTE         "60000000-0000-4000-8000-000000000001"
#define OP_OTHERS    "50000000-0000-4000-8000-000000000001"  /* answered to "u-other" */
#define OP_MINE      "50000000-0000-4000-8000-000000000002"  /* answered to "u-officer" */

/* Blobs: a document's content, and a "signed letter" that is no PDF. */
static const char blob_document[] = "loket fuzz blob\n";
#define BLOB_DOCUMENT "7db36215c697fd0e944dbb5d30ca85dea63babe869e17852fe814b3c9e55bf71"
static const char blob_letter[] = "not a pdf, only a letter\n";
#define BLOB_LETTER   "b133ca6a9f88757c0e597675f3114c51cd9ba38b777ce0456c6bbf89d7e1c533"

static const struct
{
  const char *kind;
  const char *json;
} records[] = {
  { LK_KIND_UNIT, "{\"id\": \"" UNIT_OWN "\", \"code\": \"KEC-1\", \"name\": \"Kecamatan Satu\", "
                  "\"address\": null, \"version\": 1}" },
  { LK_KIND_UNIT, "{\"id\": \"" UNIT_OTHER "\", \"code\": \"KEC-2\", \"name\": \"Kecamatan Dua\", "
                  "\"address\": \"Jl. Dua\", \"version\": 3}" },
  { LK_KIND_SERVICE_TYPE,
    "{\"id\": \"" SERVICE "\", \"code\": \"SKD\", \"name\": \"Surat Keterangan Domisili\", \"sla_days\": 2, "
    "\"number_format\": \"470/{seq:04}/{unit}/{year}\", \"needs_business\": false, "
    "\"requirements\": [\"Surat pengantar\", \"KTP\", \"KK\"], \"version\": 1}" },
  { LK_KIND_CASE,
    "{\"id\": \"" CASE_NEW "\", \"receipt\": \"SKD-20251201-000001\", \"service_type\": \"" SERVICE "\", "
    "\"unit\": \"" UNIT_OWN "\", \"state\": \"submitted\", \"applicant_name\": \"Wahyu\", "
    "\"nik\": \"6171010706630787\", \"email\": null, \"phone\": null, \"address\": null, "
    "\"business_name\": null, \"nib\": null, \"created_at\": 1764547200, \"updated_at\": 1764547200, "
    "\"sla_due\": \"2025-12-03\", \"version\": 1}" },
  { LK_KIND_CASE,
    "{\"id\": \"" CASE_OTHER "\", \"receipt\": \"SKD-20251201-000002\", \"service_type\": \"" SERVICE "\", "
    "\"unit\": \"" UNIT_OTHER "\", \"state\": \"verifying\", \"applicant_name\": \"Sari\", "
    "\"nik\": \"6171010706630788\", \"email\": null, \"phone\": null, \"address\": null, "
    "\"business_name\": null, \"nib\": null, \"created_at\": 1764547200, \"updated_at\": 1764547200, "
    "\"sla_due\": \"2025-12-03\", \"version\": 2}" },
  { LK_KIND_CASE,
    "{\"id\": \"" CASE_SIGN "\", \"receipt\": \"SKD-20251201-000003\", \"service_type\": \"" SERVICE "\", "
    "\"unit\": \"" UNIT_OWN "\", \"state\": \"awaiting_signature\", \"applicant_name\": \"Budi\", "
    "\"nik\": \"6171010706630789\", \"email\": \"budi@contoh.example\", \"phone\": \"0812345678\", "
    "\"address\": null, \"business_name\": null, \"nib\": null, \"created_at\": 1764547200, "
    "\"updated_at\": 1764547200, \"sla_due\": \"2025-12-03\", \"version\": 5}" },
  { LK_KIND_CASE,
    "{\"id\": \"" CASE_INSPECT "\", \"receipt\": \"SKD-20251201-000004\", \"service_type\": \"" SERVICE "\", "
    "\"unit\": \"" UNIT_OWN "\", \"state\": \"inspection\", \"applicant_name\": \"Ani\", "
    "\"nik\": \"6171010706630790\", \"email\": null, \"phone\": null, \"address\": null, "
    "\"business_name\": null, \"nib\": null, \"created_at\": 1764547200, \"updated_at\": 1764547200, "
    "\"sla_due\": \"2025-12-03\", \"version\": 4}" },
  { LK_KIND_DOCUMENT,
    "{\"id\": \"" DOCUMENT "\", \"case_id\": \"" CASE_NEW "\", \"name\": \"pengantar.pdf\", "
    "\"mime_type\": \"application/pdf\", \"size\": 16, \"sha256\": \"" BLOB_DOCUMENT "\", "
    "\"position\": 0, \"version\": 1}" },
  { LK_KIND_NOTE,
    "{\"id\": \"" NOTE "\", \"case_id\": \"" CASE_NEW "\", \"author\": \"petugas\", \"at\": 1764547300, "
    "\"text\": \"Pemohon datang sendiri.\", \"version\": 1}" },
  { LK_KIND_CHECKLIST,
    "{\"id\": \"" CASE_NEW ":0\", \"case_id\": \"" CASE_NEW "\", \"item\": 0, \"status\": \"pending\", "
    "\"reason\": null, \"document_id\": null, \"actor\": \"petugas\", \"at\": 1764547300, \"version\": 1}" },
};

/* Rows no record kind covers (constant SQL, no input in it). */
static const char setup_sql[] =
  "INSERT INTO users (id, username, display_name, role, password_hash) VALUES "
  "  ('u-officer', 'petugas', 'Petugas', 'officer', 'x'),"
  "  ('u-colleague', 'rekan', 'Rekan', 'officer', 'x'),"
  "  ('u-signer', 'pejabat', 'Pejabat', 'signer', 'x'),"
  "  ('u-inspector', 'pemeriksa', 'Pemeriksa', 'inspector', 'x'),"
  "  ('u-admin', 'admin', 'Admin', 'admin', 'x'),"
  "  ('u-other', 'lain', 'Lain', 'officer', 'x');"
  "INSERT INTO user_units (user_id, unit_id) VALUES"
  "  ('u-officer', '" UNIT_OWN "'), ('u-colleague', '" UNIT_OWN "'), ('u-signer', '" UNIT_OWN "'),"
  "  ('u-inspector', '" UNIT_OWN "'), ('u-admin', '" UNIT_OWN "'), ('u-other', '" UNIT_OTHER "');"
  "INSERT INTO certificates (fingerprint, user_id, subject, not_after, der, registered_at, registered_by)"
  "  VALUES ('" BLOB_LETTER "', 'u-signer', 'CN=Pejabat', 1893456000, x'3000', 1764547200, 'admin');"
  "INSERT INTO ops (id, user_id, at, result) VALUES"
  "  ('" OP_OTHERS "', 'u-other', 1764547200, '{\"id\":\"" OP_OTHERS "\",\"status\":\"applied\"}'),"
  "  ('" OP_MINE "', 'u-officer', 1764547200,"
  "   '{\"id\":\"" OP_MINE "\",\"status\":\"rejected\",\"code\":\"invalid\",\"message\":\"Earlier.\"}');";

static const char * const codes[] = {
  "invalid", "not_found", "forbidden", "illegal_transition", "conflict", "reason_required",
  "blob_missing", "signature_invalid", "certificate_unknown", "duplicate_id", NULL,
};

typedef struct
{
  LkStore  *store;
  LkServer *server;
  sqlite3  *snapshot;
} Fixture;

static void
insert_blob (LkStore    *store,
             const char *sha256,
             const char *data)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  if (!g_str_equal (sum, sha256))
    fuzz_fail ("the SHA-256 of a fixture blob is wrong");
  stmt = lk_store_prepare (store, "INSERT INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)", &error);
  if (stmt == NULL)
    fuzz_fail ("%s", error->message);
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) strlen (data));
  sqlite3_bind_blob (stmt, 3, data, (int) strlen (data), SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    fuzz_fail ("cannot insert a blob: %s", sqlite3_errmsg (lk_store_get_handle (store)));
  sqlite3_reset (stmt);
}

static Fixture *
fixture_get (void)
{
  static Fixture fixture;
  g_autoptr(GError) error = NULL;

  if (fixture.store != NULL)
    return &fixture;

  fixture.store = fuzz_open_store (LK_STORE_KIND_SERVER);
  if (!lk_store_begin (fixture.store, &error))
    fuzz_fail ("lk_store_begin: %s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (records[i].json, &error);

      if (node == NULL || !lk_store_upsert_json (fixture.store, records[i].kind, json_node_get_object (node), &error))
        fuzz_fail ("fixture %s record %u: %s", records[i].kind, i, error->message);
    }
  if (!lk_store_exec (fixture.store, setup_sql, &error))
    fuzz_fail ("fixture rows: %s", error->message);
  insert_blob (fixture.store, BLOB_DOCUMENT, blob_document);
  insert_blob (fixture.store, BLOB_LETTER, blob_letter);
  if (!lk_store_commit (fixture.store, &error))
    fuzz_fail ("lk_store_commit: %s", error->message);

  fixture.server = lk_server_new (fixture.store, &error);
  if (fixture.server == NULL)
    fuzz_fail ("lk_server_new: %s", error->message);
  fixture.snapshot = fuzz_store_snapshot (fixture.store);

  return &fixture;
}

static gboolean
has_type (JsonObject *object,
          const char *name,
          GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* The answer to a well-formed batch (the server said 200, so ops is the
 * batch's array of operation objects). */
static void
check_results (JsonArray *ops,
               GBytes    *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_outbox_entry_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  JsonArray *results = NULL;
  gsize len;
  const char *text = g_bytes_get_data (reply, &len);

  if (!json_parser_load_from_data (parser, text, (gssize) len, &error))
    fuzz_fail ("the answer is not JSON: %s", error->message);

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      LkOutboxEntry *entry = g_new0 (LkOutboxEntry, 1);

      entry->id = g_strdup (json_object_get_string_member (json_array_get_object_element (ops, i), "id"));
      g_ptr_array_add (sent, entry);
    }
  if (!lk_sync_push_results_validate (json_parser_get_root (parser), sent, &results, &error))
    fuzz_fail ("the client refuses the server's answer: %s", error->message);

  /* Ids answered earlier: theirs (OP_*) or earlier in the batch. */
  g_hash_table_add (seen, (gpointer) OP_OTHERS);
  g_hash_table_add (seen, (gpointer) OP_MINE);

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      JsonObject *result = json_array_get_object_element (results, i);
      const char *id = json_object_get_string_member (op, "id");
      const char *status;
      gboolean replayed = g_hash_table_contains (seen, id);

      g_hash_table_add (seen, (gpointer) id);
      if (!has_type (result, "status", G_TYPE_STRING))
        fuzz_fail ("result %u has no status", i);
      status = json_object_get_string_member (result, "status");
      if (replayed)
        continue;

      if (g_str_equal (status, "applied") || g_str_equal (status, "conflict"))
        {
          JsonNode *record = json_object_get_member (result, "record");
          JsonObject *object;

          if (!has_type (result, "version", G_TYPE_INT64) || record == NULL || !JSON_NODE_HOLDS_OBJECT (record))
            fuzz_fail ("result %u (%s) lacks its version or record", i, status);
          object = json_node_get_object (record);
          if (!has_type (object, "version", G_TYPE_INT64) ||
              json_object_get_int_member (object, "version") != json_object_get_int_member (result, "version"))
            fuzz_fail ("result %u: the version is not the record's", i);
          if (g_strcmp0 (json_object_get_string_member_with_default (object, "id", NULL),
                         json_object_get_string_member (op, "record")) != 0)
            fuzz_fail ("result %u: the record is not the operation's", i);
          if (g_str_equal (status, "applied") &&
              json_object_get_int_member (result, "version") != json_object_get_int_member (op, "base") + 1)
            fuzz_fail ("result %u: applied at version %" G_GINT64_FORMAT " from base %" G_GINT64_FORMAT, i,
                       json_object_get_int_member (result, "version"), json_object_get_int_member (op, "base"));
          if (g_str_equal (status, "conflict") &&
              json_object_get_int_member (result, "version") == json_object_get_int_member (op, "base"))
            fuzz_fail ("result %u: a conflict at the base version", i);
        }
      else if (g_str_equal (status, "rejected"))
        {
          if (!has_type (result, "code", G_TYPE_STRING) ||
              !g_strv_contains (codes, json_object_get_string_member (result, "code")))
            fuzz_fail ("result %u: rejected without a known code", i);
          if (!has_type (result, "message", G_TYPE_STRING))
            fuzz_fail ("result %u: rejected without a message", i);
        }
      else
        fuzz_fail ("result %u: unknown status %s", i, status);
    }
}

static guint
apply (Fixture       *fixture,
       LkServerUser  *user,
       const char    *body,
       gsize          len,
       GBytes       **out_reply)
{
  g_autoptr(GError) error = NULL;
  guint status;

  status = lk_server_apply_ops (fixture->server, user, body, len, NOW, out_reply, &error);
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    fuzz_fail ("the batch failed in the store: %s", error ? error->message : "no error set");
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_BAD_REQUEST)
    fuzz_fail ("lk_server_apply_ops answered %u", status);
  if ((status == SOUP_STATUS_OK) != (*out_reply != NULL))
    fuzz_fail ("an answer without 200, or 200 without an answer");

  return status;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const struct { char prefix; const char *user_id; } users[] = {
    { 'o', "u-officer" }, { 's', "u-signer" }, { 'i', "u-inspector" }, { 'a', "u-admin" },
  };
  Fixture *fixture = fixture_get ();
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;
  const char *user_id = users[0].user_id;
  const char *body = (const char *) data;
  gsize len = size;

  for (guint i = 0; i < G_N_ELEMENTS (users) && len > 0; i++)
    if (body[0] == users[i].prefix)
      {
        user_id = users[i].user_id;
        body++;
        len--;
        break;
      }

  user = lk_server_load_user (fixture->server, "id", user_id, &error);
  if (user == NULL)
    fuzz_fail ("lk_server_load_user: %s", error->message);

  if (apply (fixture, user, body, len, &reply) == SOUP_STATUS_OK)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *ops;

      /* G_MESSAGES_DEBUG=loket-fuzz shows what a seed reaches. */
      g_debug ("%.*s", (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
      if (!json_parser_load_from_data (parser, body, (gssize) len, &error))
        fuzz_fail ("the server took a batch that is no JSON: %s", error->message);
      ops = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "ops");
      check_results (ops, reply);

      /* Every operation was answered: the same batch again is a replay. */
      if (apply (fixture, user, body, len, &again) != SOUP_STATUS_OK || !g_bytes_equal (reply, again))
        fuzz_fail ("the batch sent again got another answer");
    }

  fuzz_store_restore (fixture->store, fixture->snapshot);
  return 0;
}
