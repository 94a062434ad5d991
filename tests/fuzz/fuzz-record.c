/* fuzz-record.c — one record through lk_store_upsert_json
 *
 * The first byte chooses the kind, the rest is the JSON text of the record
 * (parsed with lk_sync_parse_json, as from the wire). The upsert either
 * fails with LK_STORE_ERROR_INVALID or succeeds, and then the record reads
 * back equal to the input under the rule of fuzz_check_record (missing,
 * null and "" read back as null; members that are no column are dropped).
 * Each input runs in a transaction that is rolled back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include "fuzz-common.h"
#include "sync/lk-sync-private.h"

static const char * const kinds[] = {
  LK_KIND_UNIT, LK_KIND_SERVICE_TYPE, LK_KIND_CASE, LK_KIND_DOCUMENT, LK_KIND_HISTORY,
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static LkStore *store;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *kind;
  JsonObject *record;
  JsonNode *id;

  if (store == NULL)
    store = fuzz_open_client_store ();
  if (size < 1)
    return 0;

  kind = kinds[data[0] % G_N_ELEMENTS (kinds)];
  body = g_bytes_new (data + 1, size - 1);
  root = lk_sync_parse_json (body, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  record = json_node_get_object (root);

  if (!lk_store_begin (store, &error))
    fuzz_fail ("lk_store_begin: %s", error->message);

  if (!lk_store_upsert_json (store, kind, record, &error))
    {
      if (!g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID))
        fuzz_fail ("lk_store_upsert_json (%s) failed with a non-validation error: %s", kind, error->message);
      lk_store_rollback (store);
      return 0;
    }

  id = json_object_get_member (record, "id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
    fuzz_fail ("lk_store_upsert_json (%s) accepted a record without a text id", kind);

  stored = lk_store_get_json (store, kind, json_node_get_string (id), &error);
  if (stored == NULL)
    fuzz_fail ("a stored %s record does not read back: %s", kind, error->message);
  fuzz_check_record (kind, record, stored);

  lk_store_rollback (store);
  return 0;
}
