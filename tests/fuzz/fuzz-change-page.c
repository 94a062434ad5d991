/* fuzz-change-page.c — a change-feed page as the client receives it
 *
 * bytes → lk_sync_page_parse → lk_sync_pages_write into a client store,
 * inside a transaction that is rolled back. Checks: a failure is a
 * protocol error (never an SQL one); a page the parser accepts is one
 * json-glib reads the same way (lk_sync_parse_json and
 * lk_sync_page_validate, the oracle: same cursor, same flag, same number
 * of records); when it is written, every record in it reads back (the
 * last one given for each kind and id equal to what json-glib read) and
 * the cursor is the page's next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include "fuzz-common.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-private.h"
#include "sync/lk-sync-page.h"

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
  g_autoptr(LkSyncPage) page = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  JsonArray *changes = NULL;
  gboolean more = FALSE;

  if (store == NULL)
    store = fuzz_open_client_store ();

  page = lk_sync_page_parse (body, &error);
  if (page == NULL)
    {
      if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL))
        fuzz_fail ("lk_sync_page_parse returned NULL with %s",
                   error ? error->message : "no error set");
      return 0;
    }
  if (lk_sync_page_get_next (page) == NULL)
    fuzz_fail ("lk_sync_page_parse succeeded without a cursor");

  /* The oracle. */
  root = lk_sync_parse_json (body, &error);
  if (root == NULL)
    fuzz_fail ("lk_sync_page_parse accepted what json-glib refuses: %s", error->message);
  if (!lk_sync_page_validate (root, &changes, &next, &more, &error))
    fuzz_fail ("lk_sync_page_parse accepted a page lk_sync_page_validate refuses: %s", error->message);
  if (g_strcmp0 (next, lk_sync_page_get_next (page)) != 0)
    fuzz_fail ("the cursors differ: “%s” and “%s”", next, lk_sync_page_get_next (page));
  if (more != lk_sync_page_get_more (page))
    fuzz_fail ("more differs");
  if (json_array_get_length (changes) != lk_sync_page_get_n_records (page))
    fuzz_fail ("%u records, json-glib read %u", lk_sync_page_get_n_records (page),
               json_array_get_length (changes));

  if (!lk_store_begin (store, &error))
    fuzz_fail ("lk_store_begin: %s", error->message);

  if (lk_sync_pages_write (store, &page, 1, &error))
    check_applied (store, changes, next);
  else if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL))
    fuzz_fail ("lk_sync_pages_write failed with a non-protocol error: %s", error->message);

  lk_store_rollback (store);
  return 0;
}
