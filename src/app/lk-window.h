/* lk-window.h — the main window: the queue, its search, and the case detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-case-view.h"
#include "lk-conflicts-dialog.h"
#include "lk-queue-page.h"
#include "lk-session.h"
#include "lk-signing-page.h"

G_BEGIN_DECLS

#define LK_TYPE_WINDOW (lk_window_get_type ())
G_DECLARE_FINAL_TYPE (LkWindow, lk_window, LK, WINDOW, AdwApplicationWindow)

/* session: its store must be open. */
LkWindow           *lk_window_new            (GtkApplication *application,
                                              LkSession      *session);
LkSession          *lk_window_get_session    (LkWindow       *self);
/* The queue (an LkCaseList: a GListModel of light LkCase). */
GListModel         *lk_window_get_cases      (LkWindow       *self);
GtkSingleSelection *lk_window_get_selection  (LkWindow       *self);
LkCaseView         *lk_window_get_case_view  (LkWindow       *self);
GtkEditable        *lk_window_get_search     (LkWindow       *self);
/* The pages of the view stack: "cases" (the queue) and "signing" (the
 * signer's desk, shown only while the session's role is signer).
 * Actions: win.show-cases (Ctrl+1), win.show-signing (Ctrl+2),
 * win.state-filter("open" | "all" | a state name) (Alt+1 … Alt+0 for the
 * first ten rows of the sidebar: open, all, submitted, verifying,
 * incomplete, verified, inspection, approved, rejected,
 * awaiting_signature). */
LkQueuePage        *lk_window_get_queue_page (LkWindow       *self);
LkSigningPage      *lk_window_get_signing_page (LkWindow     *self);
/* Whether the Signing page is offered (the role is signer). */
gboolean            lk_window_get_signing_available (LkWindow *self);
/* "cases" or "signing". */
const char         *lk_window_get_visible_page (LkWindow     *self);
/* The states sidebar (see lk_queue_page_set_state_filter): an LkCaseState,
 * LK_CASE_LIST_ALL_STATES or LK_CASE_LIST_OPEN_STATES. */
void                lk_window_set_state_filter (LkWindow     *self,
                                                int           state);
/* The count the sidebar shows for that filter, -1 before the first load. */
gint64              lk_window_get_state_count (LkWindow      *self,
                                               int            state);
/* Whether the "Offline" banner is shown. */
gboolean            lk_window_get_offline    (LkWindow       *self);
/* The short text of the sync status in the header bar ("Synced", …). */
const char         *lk_window_get_sync_label (LkWindow       *self);
/* Opens (or raises) the conflicts dialog (win.resolve-conflicts). */
LkConflictsDialog  *lk_window_show_conflicts (LkWindow       *self);
/* The conflicts dialog while it is open, else NULL. */
LkConflictsDialog  *lk_window_get_conflicts_dialog (LkWindow *self);

G_END_DECLS
