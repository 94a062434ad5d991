/* lk-conflicts-dialog.h — the open conflicts and rejections of the outbox,
 * resolved field by field (mine or theirs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-session.h"

G_BEGIN_DECLS

#define LK_TYPE_CONFLICTS_DIALOG (lk_conflicts_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkConflictsDialog, lk_conflicts_dialog, LK, CONFLICTS_DIALOG, AdwWindow)

LkConflictsDialog *lk_conflicts_dialog_new          (GtkWindow         *parent,
                                                     LkSession         *session);
/* Reads the open conflicts again (in a thread; "loading" meanwhile). */
void               lk_conflicts_dialog_reload       (LkConflictsDialog *self);
gboolean           lk_conflicts_dialog_get_loading  (LkConflictsDialog *self);
/* Open conflicts shown (after loading). */
guint              lk_conflicts_dialog_get_n_conflicts (LkConflictsDialog *self);
/* Shows conflict number index; FALSE when there is none. */
gboolean           lk_conflicts_dialog_select       (LkConflictsDialog *self,
                                                     guint              index);
/* The choice for a field of the shown conflict (default: theirs). */
gboolean           lk_conflicts_dialog_set_keep_mine (LkConflictsDialog *self,
                                                      const char        *field,
                                                      gboolean           keep_mine);
/* "Apply" (or "Dismiss" when dismiss) on the shown conflict. */
void               lk_conflicts_dialog_apply        (LkConflictsDialog *self,
                                                     gboolean           dismiss);
/* The last error, or NULL. */
const char        *lk_conflicts_dialog_get_error    (LkConflictsDialog *self);

G_END_DECLS
