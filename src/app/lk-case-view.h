/* lk-case-view.h — the detail of one case: applicant, business, the
 * requirement checklist, the SLA clock, history, notes, the actions of the
 * user's role, attachments and the preview of the selected attachment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-incomplete-dialog.h"
#include "lk-letter-row.h"
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
/* Reads the case again from the local store (after a sync). */
void        lk_case_view_reload          (LkCaseView *self);

/* Case actions (win.case-transition and win.case-add-note call these). A
 * move that needs a reason asks for it first. The outcome shows in the
 * view: the case reloads, or an error appears under the actions. */
void        lk_case_view_request_transition (LkCaseView  *self,
                                             LkCaseState  to);
void        lk_case_view_transition      (LkCaseView  *self,
                                          LkCaseState  to,
                                          const char  *reason);
void        lk_case_view_add_note        (LkCaseView  *self,
                                          const char  *text);
/* Opens the "Move to" menu. */
void        lk_case_view_popup_moves     (LkCaseView  *self);
/* Whether an action is being queued ("busy" property). */
gboolean    lk_case_view_get_busy        (LkCaseView  *self);
guint       lk_case_view_get_n_notes     (LkCaseView  *self);
/* The moves offered for the case and the user's role (items with the
 * action win.case-transition and the target state). */
GMenuModel *lk_case_view_get_moves       (LkCaseView  *self);
/* The last action's error, or NULL. */
const char *lk_case_view_get_action_error (LkCaseView *self);
/* The dialog asking for a reason (of a move, or of a rejected
 * requirement), while shown. */
AdwMessageDialog *lk_case_view_get_reason_dialog (LkCaseView *self);

/* The review actions, installed on the view (so reachable from the window
 * too): "case.start-verification", "case.mark-incomplete" (opens the
 * incomplete dialog), "case.verify", "case.send-to-inspection",
 * "case.approve", "case.reject" (asks the reason), "case.prepare-letter",
 * "case.forward-to-signer", "case.return-draft" (asks the reason),
 * "case.primary" (the suggested one of those; Ctrl+Return), "case.check"
 * ((usss): requirement index, "verified"|"rejected"|"pending", reason — an
 * empty one asks for it when rejecting —, document id or ""), and
 * "case.show-document" (s: a document id, shown in the preview).
 * Whether the user's role is offered NAME ("verify" or "case.verify";
 * "check": may mark requirements) for the case shown. */
gboolean          lk_case_view_is_action_offered   (LkCaseView *self,
                                                    const char *name);
/* "case.NAME" of the suggested action, or NULL. */
char             *lk_case_view_get_primary_action  (LkCaseView *self);
/* The incomplete dialog, while shown. */
LkIncompleteDialog *lk_case_view_get_incomplete_dialog (LkCaseView *self);
/* The checklist shown (LkCheckItem of lk-case-checklist.h), or NULL. */
GPtrArray        *lk_case_view_get_checklist       (LkCaseView *self);
/* The attachment chosen in requirement ITEM's row, or NULL. */
const char       *lk_case_view_get_checklist_document (LkCaseView *self,
                                                       guint       item);
/* The SLA clock as shown ("Paused — waiting for the citizen since …"). */
const char       *lk_case_view_get_sla_text        (LkCaseView *self);
/* The attachment shown in the preview (a new reference), or NULL. */
LkDocument       *lk_case_view_get_selected_document (LkCaseView *self);
/* The rows of the "Letter" group (the draft's number before signing, then
 * each signed letter: status, verification link, delivery; a failed
 * delivery offers "case.resend-letter" (s: the letter id) to officers and
 * admins); 0 while the group is hidden. */
guint             lk_case_view_get_n_letter_rows   (LkCaseView *self);
LkLetterRow      *lk_case_view_get_letter_row      (LkCaseView *self,
                                                    guint       index);

G_END_DECLS
