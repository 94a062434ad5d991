/* lk-revoke-dialog.h — asks an administrator why a signed letter is
 * revoked before it is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_REVOKE_DIALOG (lk_revoke_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkRevokeDialog, lk_revoke_dialog, LK, REVOKE_DIALOG, AdwMessageDialog)

/* NUMBER: the letter's number, named in the body. Responses: "cancel"
 * (also Escape) and "revoke" (also Enter in the reason; enabled while the
 * trimmed reason is 1 to LK_SESSION_MAX_REVOKE_REASON characters). */
LkRevokeDialog *lk_revoke_dialog_new        (GtkWindow      *parent,
                                             const char     *number);
/* The reason, trimmed; NULL while it may not be sent. */
char           *lk_revoke_dialog_get_reason (LkRevokeDialog *self);
void            lk_revoke_dialog_set_reason (LkRevokeDialog *self,
                                             const char     *reason);

G_END_DECLS
