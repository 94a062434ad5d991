/* fuzz-search.c — the search text an officer types
 *
 * The input (up to its first NUL) goes through lk_store_build_fts_query,
 * lk_store_search_case_nids and lk_store_query_cases over a small client
 * store. Checks: no search ever fails (an FTS5 syntax error means the
 * quoting is broken), and both searches find the same cases.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <string.h>

#include "fuzz-common.h"

static const char * const seed_records[][2] = {
  { LK_KIND_UNIT, "{\"id\":\"u1\",\"code\":\"PTK\",\"name\":\"Kecamatan Pontianak Kota\",\"version\":1}" },
  { LK_KIND_SERVICE_TYPE, "{\"id\":\"st1\",\"code\":\"SKU\",\"name\":\"Surat Keterangan Usaha\",\"sla_days\":3,"
    "\"number_format\":\"SKU/{seq}/{year}\",\"needs_business\":true,\"requirements\":[\"KTP\"],\"version\":1}" },
  { LK_KIND_CASE, "{\"id\":\"c1\",\"receipt\":\"SKU-2026-000001\",\"service_type\":\"st1\",\"unit\":\"u1\","
    "\"state\":\"submitted\",\"applicant_name\":\"Siti Nurhaliza\",\"nik\":\"6171010101900001\","
    "\"business_name\":\"Warung Kopi \\\"Asiang\\\"\",\"created_at\":1767225600,\"updated_at\":1767225600,"
    "\"version\":1}" },
  { LK_KIND_CASE, "{\"id\":\"c2\",\"receipt\":\"SKU-2026-000002\",\"service_type\":\"st1\",\"unit\":\"u1\","
    "\"state\":\"submitted\",\"applicant_name\":\"Andr\\u00e9 Pérez O'Neil\",\"nik\":\"6171010101900002\","
    "\"business_name\":\"CV. Maju-Jaya NEAR OR AND\",\"created_at\":1767225700,\"updated_at\":1767225700,"
    "\"sla_due\":\"2026-01-20\",\"version\":1}" },
  { LK_KIND_CASE, "{\"id\":\"c3\",\"receipt\":\"SKU-2026-000003\",\"service_type\":\"st1\",\"unit\":\"u1\","
    "\"state\":\"submitted\",\"applicant_name\":\"李 小龙 * ^ : -\",\"nik\":\"6171010101900003\","
    "\"created_at\":1767225800,\"updated_at\":1767225800,\"version\":1}" },
};

static LkStore *
open_seeded_store (void)
{
  LkStore *store = fuzz_open_client_store ();

  for (guint i = 0; i < G_N_ELEMENTS (seed_records); i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      node = json_from_string (seed_records[i][1], &error);
      if (node == NULL)
        fuzz_fail ("seed record %u: %s", i, error->message);
      if (!lk_store_upsert_json (store, seed_records[i][0], json_node_get_object (node), &error))
        fuzz_fail ("seed record %u: %s", i, error->message);
    }

  return store;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static LkStore *store;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *query = NULL;
  g_autoptr(GArray) nids = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    store = open_seeded_store ();

  query = lk_store_build_fts_query (text);
  if (query != NULL && (query[0] == '\0' || !g_utf8_validate (query, -1, NULL)))
    fuzz_fail ("lk_store_build_fts_query made an empty or invalid query");

  nids = lk_store_search_case_nids (store, text, NULL, &error);
  if (nids == NULL)
    fuzz_fail ("lk_store_search_case_nids: %s", error->message);

  cases = lk_store_query_cases (store, LK_CASE_STATE_INVALID, text, 0, NULL, &error);
  if (cases == NULL)
    fuzz_fail ("lk_store_query_cases: %s", error->message);

  if (text[0] != '\0' && nids->len != cases->len)
    fuzz_fail ("lk_store_search_case_nids found %u cases, lk_store_query_cases %u", nids->len, cases->len);
  if (query == NULL && nids->len != 0)
    fuzz_fail ("no query, yet lk_store_search_case_nids found cases");

  return 0;
}
