/* lk-sign-in-dialog.h — asks for the server address, user name and password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_SIGN_IN_DIALOG (lk_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkSignInDialog, lk_sign_in_dialog, LK, SIGN_IN_DIALOG, AdwWindow)

/* Emits ::submit (server_url, username, password) when the person signs in;
 * the receiver reports back with set_error() or closes the dialog. */
LkSignInDialog *lk_sign_in_dialog_new          (void);
void            lk_sign_in_dialog_set_server   (LkSignInDialog *self,
                                                const char     *server_url);
void            lk_sign_in_dialog_set_username (LkSignInDialog *self,
                                                const char     *username);
/* NULL hides the message. Also ends the busy state. */
void            lk_sign_in_dialog_set_error    (LkSignInDialog *self,
                                                const char     *message);
/* The message shown, or NULL. */
const char     *lk_sign_in_dialog_get_error    (LkSignInDialog *self);
void            lk_sign_in_dialog_set_busy     (LkSignInDialog *self,
                                                gboolean        busy);
gboolean        lk_sign_in_dialog_get_busy     (LkSignInDialog *self);
/* For tests and automation: fills the fields and submits. */
void            lk_sign_in_dialog_submit       (LkSignInDialog *self,
                                                const char     *server_url,
                                                const char     *username,
                                                const char     *password);

G_END_DECLS
