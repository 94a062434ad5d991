/* lk-case-list.h — the officer's queue as a GListModel of light LkCase objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

/* The queue's sort keys (the columns). */
typedef enum
{
  LK_CASE_SORT_RECEIPT,
  LK_CASE_SORT_APPLICANT,   /* applicant name, ASCII case-insensitive */
  LK_CASE_SORT_SERVICE,     /* service code, then name */
  LK_CASE_SORT_STATE,       /* lifecycle order (LkCaseState) */
  LK_CASE_SORT_SLA_DUE,     /* cases without a due date last when ascending */
  LK_CASE_SORT_RECEIVED,    /* created_at */
  LK_CASE_SORT_INVALID = -1,
} LkCaseSort;

#define LK_N_CASE_SORTS (LK_CASE_SORT_RECEIVED + 1)

/* "receipt", "applicant", "service", "state", "sla", "received" (the values
 * of the queue-sort-column setting). */
const char *lk_case_sort_to_string   (LkCaseSort  sort);
LkCaseSort  lk_case_sort_from_string (const char *name);

/* The SLA filter. Compares the ISO due date with "today" (see
 * lk_case_list_set_today). */
typedef enum
{
  LK_CASE_SLA_ANY,
  LK_CASE_SLA_OVERDUE,    /* open, not incomplete, due before today */
  LK_CASE_SLA_DUE_TODAY,  /* open, not incomplete, due today */
  LK_CASE_SLA_PAUSED,     /* incomplete: the clock waits for the citizen */
} LkCaseSlaFilter;

/* The state filter: an LkCaseState, or one of these. */
#define LK_CASE_LIST_ALL_STATES  (-1)
#define LK_CASE_LIST_OPEN_STATES (-2)

#define LK_TYPE_CASE_LIST (lk_case_list_get_type ())
G_DECLARE_FINAL_TYPE (LkCaseList, lk_case_list, LK, CASE_LIST, GObject)

LkCaseList *lk_case_list_new        (LkStore    *store);
LkStore    *lk_case_list_get_store  (LkCaseList *self);
/* Reloads every case from the store in a worker thread, then re-applies
 * the sort, filters and search; emits items-changed and "updated" on the
 * main context. The first load of an unfiltered list in the default order
 * shows the newest 200 cases first (items-changed only: the total stays 0
 * and "loading" TRUE until the whole queue is in). */
void        lk_case_list_reload     (LkCaseList *self);
/* Filters by a full-text prefix search (see lk_store_build_fts_query) in a
 * worker thread; the newest call wins, earlier ones are cancelled. NULL or
 * "" shows every case. */
void        lk_case_list_set_search (LkCaseList *self,
                                     const char *search);
const char *lk_case_list_get_search (LkCaseList *self);

/* Sorting and filtering run in the same worker as the search; each setter
 * re-applies everything and ends with "updated". A setter that changes
 * nothing does nothing. */
void        lk_case_list_set_sort   (LkCaseList *self,
                                     LkCaseSort  sort,
                                     gboolean    descending);
LkCaseSort  lk_case_list_get_sort   (LkCaseList *self,
                                     gboolean   *descending);
/* An LkCaseState, LK_CASE_LIST_ALL_STATES or LK_CASE_LIST_OPEN_STATES. */
void        lk_case_list_set_state_filter    (LkCaseList      *self,
                                              int              state);
int         lk_case_list_get_state_filter    (LkCaseList      *self);
/* A service type id, or NULL for all. */
void        lk_case_list_set_service_filter  (LkCaseList      *self,
                                              const char      *service_type_id);
const char *lk_case_list_get_service_filter  (LkCaseList      *self);
void        lk_case_list_set_sla_filter      (LkCaseList      *self,
                                              LkCaseSlaFilter  sla);
LkCaseSlaFilter lk_case_list_get_sla_filter  (LkCaseList      *self);
/* Only the cases assigned to this user name; NULL for everyone's. */
void        lk_case_list_set_assignee_filter (LkCaseList      *self,
                                              const char      *assignee);
const char *lk_case_list_get_assignee_filter (LkCaseList      *self);
/* "YYYY-MM-DD", the local date the SLA filter compares with (default: the
 * local date when the list was made). */
void        lk_case_list_set_today           (LkCaseList      *self,
                                              const char      *today);
const char *lk_case_list_get_today           (LkCaseList      *self);
/* Whether KASE passes the state, service, SLA and assignee filters (not the
 * search). */
gboolean    lk_case_list_matches_filters     (LkCaseList      *self,
                                              LkCase          *kase);

/* Cases in the store (regardless of the search and filters). */
guint       lk_case_list_get_total  (LkCaseList *self);
/* Cases of the loaded queue in STATE (an LkCaseState, or
 * LK_CASE_LIST_ALL_STATES / LK_CASE_LIST_OPEN_STATES), regardless of the
 * search and filters; updated by each reload. */
guint       lk_case_list_get_state_count (LkCaseList *self,
                                          int         state);
/* The service types of the store (LkServiceType), read by the last reload,
 * by name. */
GPtrArray  *lk_case_list_get_service_types (LkCaseList *self);
/* TRUE while a reload or search runs. */
gboolean    lk_case_list_is_loading (LkCaseList *self);
/* The error of the last reload or search, or NULL. */
const GError *lk_case_list_get_error (LkCaseList *self);

G_END_DECLS
