/* lk-incomplete-dialog.h — marking a case incomplete: tick the missing
 * requirements and write a message to the applicant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_INCOMPLETE_DIALOG (lk_incomplete_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkIncompleteDialog, lk_incomplete_dialog, LK, INCOMPLETE_DIALOG, AdwMessageDialog)

/* REQUIREMENTS: the service type's checklist (NULL-terminated, may be
 * empty); REJECTED: for each requirement the reason it was rejected, or
 * NULL (those are pre-ticked). Responses: "cancel", and "mark" (enabled
 * once an item is ticked or the message is not blank). */
LkIncompleteDialog *lk_incomplete_dialog_new         (GtkWindow          *parent,
                                                      const char * const *requirements,
                                                      const char * const *rejected);
guint               lk_incomplete_dialog_get_n_items (LkIncompleteDialog *self);
gboolean            lk_incomplete_dialog_get_ticked  (LkIncompleteDialog *self,
                                                      guint               item);
void                lk_incomplete_dialog_set_ticked  (LkIncompleteDialog *self,
                                                      guint               item,
                                                      gboolean            ticked);
void                lk_incomplete_dialog_set_message (LkIncompleteDialog *self,
                                                      const char         *message);
/* The reason sent with the move: the ticked items (with why they were
 * rejected), then the message. NULL while nothing is ticked or written. */
char               *lk_incomplete_dialog_build_reason (LkIncompleteDialog *self);

G_END_DECLS
