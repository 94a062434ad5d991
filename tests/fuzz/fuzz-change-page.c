/* fuzz-change-page.c — a change-feed page as the client receives it
 *
 * bytes → lk_sync_parse_json → lk_sync_page_validate → lk_sync_page_apply
 * into a client store, inside a transaction that is rolled back. Checks:
 * a failure is a protocol error (never an SQL one), and when the page
 * applies, every record in it reads back (the last one given for each
 * kind and id equal to what was sent) and the cursor is the page's next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include "fuzz-common.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-private.h"

static void
check_applied (LkStore    *store,
               JsonArray  *changes,
               const char *next)
{
  g_autoptr(GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint n = json_array_get_length (changes);

  /* The last record for each kind and id is the one that must be stored. */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *record = json_object_get_object_member (change, "record");

      g_hash_table_insert (last,
                           g_strdup_printf ("%s\n%s", json_object_get_string_member (change, "kind"),
                                            json_object_get_string_member (record, "id")),
                           record);
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *kind = json_object_get_string_member (change, "kind");
      JsonObject *record = json_object_get_object_member (change, "record");
      const char *id = json_object_get_string_member (record, "id");
      g_autofree char *key = g_strdup_printf ("%s\n%s", kind, id);
      g_autoptr(JsonObject) stored = NULL;
      g_autoptr(GError) error = NULL;

      stored = lk_store_get_json (store, kind, id, &error);
      if (stored == NULL)
        fuzz_fail ("an applied %s record does not read back: %s", kind, error->message);
      if (g_hash_table_lookup (last, key) == record)
        fuzz_check_record (kind, record, stored);
    }

  cursor = lk_store_get_meta (store, "sync.cursor");
  if (g_strcmp0 (cursor, next) != 0)
    fuzz_fail ("the cursor stored is not the page's next");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static LkStore *store;
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  JsonArray *changes = NULL;
  gboolean more = FALSE;

  if (store == NULL)
    store = fuzz_open_client_store ();

  root = lk_sync_parse_json (body, &error);
  if (root == NULL)
    {
      if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL))
        fuzz_fail ("lk_sync_parse_json returned NULL with %s",
                   error ? error->message : "no error set");
      return 0;
    }

  if (!lk_sync_page_validate (root, &changes, &next, &more, &error))
    {
      if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL))
        fuzz_fail ("lk_sync_page_validate failed without a protocol error");
      if (next != NULL)
        fuzz_fail ("lk_sync_page_validate failed but returned a cursor");
      return 0;
    }
  if (changes == NULL || next == NULL)
    fuzz_fail ("lk_sync_page_validate succeeded without changes or cursor");

  if (!lk_store_begin (store, &error))
    fuzz_fail ("lk_store_begin: %s", error->message);

  if (lk_sync_page_apply (store, changes, next, &error))
    check_applied (store, changes, next);
  else if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL))
    fuzz_fail ("lk_sync_page_apply failed with a non-protocol error: %s", error->message);

  lk_store_rollback (store);
  return 0;
}
