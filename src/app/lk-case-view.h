/* lk-case-view.h — the detail of one case: applicant, business, history,
 * attachments and the preview of the selected attachment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-pdf-view.h"
#include "lk-session.h"

G_BEGIN_DECLS

#define LK_TYPE_CASE_VIEW (lk_case_view_get_type ())
G_DECLARE_FINAL_TYPE (LkCaseView, lk_case_view, LK, CASE_VIEW, GtkWidget)

GtkWidget  *lk_case_view_new             (LkSession  *session);
LkSession  *lk_case_view_get_session     (LkCaseView *self);
void        lk_case_view_set_session     (LkCaseView *self,
                                          LkSession  *session);
/* Loads the case in a thread; NULL shows "no case selected". */
void        lk_case_view_set_case_id     (LkCaseView *self,
                                          const char *case_id);
const char *lk_case_view_get_case_id     (LkCaseView *self);
/* The full case once loaded, else NULL. */
LkCase     *lk_case_view_get_case        (LkCaseView *self);
/* Attachments (LkDocument) and history (LkHistoryEntry) of the case. */
GListModel *lk_case_view_get_documents   (LkCaseView *self);
GListModel *lk_case_view_get_history     (LkCaseView *self);
LkPdfView  *lk_case_view_get_pdf_view    (LkCaseView *self);

G_END_DECLS
