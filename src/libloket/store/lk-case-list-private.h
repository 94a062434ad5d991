/* lk-case-list-private.h — LkCaseList's filtering and sorting, shared by
 * lk-case-list.c and lk-case-list-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-case-list.h"

G_BEGIN_DECLS

typedef struct
{
  int              state;      /* LkCaseState or LK_CASE_LIST_*_STATES */
  char            *service;
  LkCaseSlaFilter  sla;
  char            *assignee;
  char             today[11];
} LkCaseFilters;

void       lk_case_filters_copy      (LkCaseFilters       *dest,
                                      const LkCaseFilters *src);
void       lk_case_filters_clear     (LkCaseFilters       *filters);
/* Whether anything filters (the state, service, SLA or assignee). */
gboolean   lk_case_filters_active    (const LkCaseFilters *filters);
/* Thread-safe: reads only the immutable light case. */
gboolean   lk_case_filters_match     (const LkCaseFilters *filters,
                                      LkCase              *kase);

/* The nid of each case, in the array's order. */
GArray    *lk_case_list_nids_of      (GPtrArray           *cases);
/* A sorted copy (new refs) of CASES; ties in the store's order. */
GPtrArray *lk_case_list_sort_cases   (GPtrArray           *cases,
                                      LkCaseSort           sort,
                                      gboolean             descending);
/* The cases of ALL (ALL_NIDS: their nids) that pass FILTERS and, unless
 * FOUND is NULL, whose nid is in FOUND (sorted ascending); in ALL's
 * order, new refs. */
GPtrArray *lk_case_list_filter_cases (GPtrArray           *all,
                                      GArray              *all_nids,
                                      GArray              *found,
                                      const LkCaseFilters *filters);

G_END_DECLS
