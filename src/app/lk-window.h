/* lk-window.h — the main window: the queue, its search, and the case detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-case-view.h"
#include "lk-conflicts-dialog.h"
#include "lk-session.h"

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
/* Whether the "Offline" banner is shown. */
gboolean            lk_window_get_offline    (LkWindow       *self);
/* The short text of the sync status in the header bar ("Synced", …). */
const char         *lk_window_get_sync_label (LkWindow       *self);
/* Opens (or raises) the conflicts dialog (win.resolve-conflicts). */
LkConflictsDialog  *lk_window_show_conflicts (LkWindow       *self);
/* The conflicts dialog while it is open, else NULL. */
LkConflictsDialog  *lk_window_get_conflicts_dialog (LkWindow *self);

G_END_DECLS
