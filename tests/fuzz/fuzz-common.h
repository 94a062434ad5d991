/* fuzz-common.h — helpers shared by the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <json-glib/json-glib.h>

#include "store/lk-store.h"
#include "store/lk-store-private.h"

G_BEGIN_DECLS

/* The libFuzzer entry point each target defines. */
int      LLVMFuzzerTestOneInput (const uint8_t *data,
                                 size_t         size);

/* Prints why and aborts: an invariant of the code under test broke. */
G_NORETURN void fuzz_fail (const char *format,
                           ...) G_GNUC_PRINTF (1, 2);

/* A store of kind in a temporary directory (one per process, removed at
 * exit; the file is named after the kind). Opened once per process; the
 * targets keep it for every input. */
LkStore *fuzz_open_store        (LkStoreKind kind);
LkStore *fuzz_open_client_store (void);

/* For targets whose code commits its own transactions: an in-memory copy
 * of the store's database after the target's setup (the store is then
 * written without waiting for the disk), and its restoration, page by page,
 * after each input, so that every input meets the same records and a
 * crash replays from its input alone. Only between transactions. */
sqlite3 *fuzz_store_snapshot    (LkStore    *store);
void     fuzz_store_restore     (LkStore    *store,
                                 sqlite3    *snapshot);

/* Checks that stored (what lk_store_get_json returned) equals input (what
 * was given to lk_store_upsert_json) after the store's normalisation: for
 * every member M of stored, when input[M] is missing, null or "" then
 * stored[M] is null, else json_node_equal (stored[M], input[M]). Members
 * of input that are no column are ignored. Aborts otherwise. */
void     fuzz_check_record      (const char *kind,
                                 JsonObject *input,
                                 JsonObject *stored);

G_END_DECLS
