/* lk-signing-row.h — one letter in the signer's queue: its check box,
 * receipt, applicant and service, and whether it was reviewed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_SIGNING_ROW (lk_signing_row_get_type ())
G_DECLARE_FINAL_TYPE (LkSigningRow, lk_signing_row, LK, SIGNING_ROW, GtkListBoxRow)

GtkWidget *lk_signing_row_new       (const char   *receipt,
                                     const char   *detail);
/* Shows the state; CAN_TICK makes the check box sensitive. Emits nothing. */
void       lk_signing_row_set_state (LkSigningRow *self,
                                     gboolean      has_draft,
                                     gboolean      reviewed,
                                     gboolean      ticked,
                                     gboolean      can_tick);

G_END_DECLS
