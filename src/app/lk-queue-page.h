/* lk-queue-page.h — the officer's queue: states sidebar with counts, search,
 * filters, the sortable case list, and the case view beside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/lk-case-list.h"
#include "lk-case-view.h"
#include "lk-session.h"

G_BEGIN_DECLS

#define LK_TYPE_QUEUE_PAGE (lk_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (LkQueuePage, lk_queue_page, LK, QUEUE_PAGE, AdwBin)

GtkWidget          *lk_queue_page_new               (void);
/* Once, with a session whose store is open: makes the queue and loads it,
 * and reloads it on the session's "synced" (with records) and
 * "local-change". */
void                lk_queue_page_set_session       (LkQueuePage *self,
                                                     LkSession   *session);
LkCaseList         *lk_queue_page_get_cases         (LkQueuePage *self);
GtkSingleSelection *lk_queue_page_get_selection     (LkQueuePage *self);
LkCaseView         *lk_queue_page_get_case_view     (LkQueuePage *self);
GtkEditable        *lk_queue_page_get_search        (LkQueuePage *self);
GtkColumnView      *lk_queue_page_get_column_view   (LkQueuePage *self);
void                lk_queue_page_focus_search      (LkQueuePage *self);
/* Shows the case at POSITION in the case view and moves the focus there
 * (what Enter on a row does). */
void                lk_queue_page_open_case         (LkQueuePage *self,
                                                     guint        position);
/* As a click on the column's header (remembered in GSettings). */
void                lk_queue_page_sort_by           (LkQueuePage *self,
                                                     LkCaseSort   sort,
                                                     gboolean     descending);
/* The sidebar: an LkCaseState, LK_CASE_LIST_ALL_STATES or
 * LK_CASE_LIST_OPEN_STATES; selects its row. */
void                lk_queue_page_set_state_filter  (LkQueuePage *self,
                                                     int          state);
/* The count the sidebar shows for STATE (same values), -1 before the
 * first load. */
gint64              lk_queue_page_get_state_count   (LkQueuePage *self,
                                                     int          state);
/* The service dropdown: a service type id (one of
 * lk_case_list_get_service_types) or NULL for all; FALSE if not offered. */
gboolean            lk_queue_page_set_service_filter (LkQueuePage *self,
                                                      const char  *service_type_id);
void                lk_queue_page_set_sla_filter    (LkQueuePage     *self,
                                                     LkCaseSlaFilter  sla);
/* The "Assigned to Me" toggle (the session's user name). */
void                lk_queue_page_set_assigned_to_me (LkQueuePage *self,
                                                      gboolean     mine);

G_END_DECLS
