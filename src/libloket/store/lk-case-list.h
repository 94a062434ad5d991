/* lk-case-list.h — the officer's queue as a GListModel of light LkCase objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

#define LK_TYPE_CASE_LIST (lk_case_list_get_type ())
G_DECLARE_FINAL_TYPE (LkCaseList, lk_case_list, LK, CASE_LIST, GObject)

LkCaseList *lk_case_list_new        (LkStore    *store);
LkStore    *lk_case_list_get_store  (LkCaseList *self);
/* Reloads every case from the store in a worker thread, then re-applies
 * the search; emits items-changed and "updated" on the main context. */
void        lk_case_list_reload     (LkCaseList *self);
/* Filters by a full-text prefix search (see lk_store_build_fts_query) in a
 * worker thread; the newest call wins, earlier ones are cancelled. NULL or
 * "" shows every case. */
void        lk_case_list_set_search (LkCaseList *self,
                                     const char *search);
const char *lk_case_list_get_search (LkCaseList *self);
/* Cases in the store (regardless of the search). */
guint       lk_case_list_get_total  (LkCaseList *self);
/* TRUE while a reload or search runs. */
gboolean    lk_case_list_is_loading (LkCaseList *self);
/* The error of the last reload or search, or NULL. */
const GError *lk_case_list_get_error (LkCaseList *self);

G_END_DECLS
