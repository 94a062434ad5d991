/* lk-application.h — the Loket desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-preferences-window.h"
#include "lk-register-cert-dialog.h"
#include "lk-sign-in-dialog.h"
#include "lk-window.h"

G_BEGIN_DECLS

/* libsecret schema of the stored passwords; attributes "server", "user". */
#define LK_SECRET_SCHEMA_NAME "io.github.loket.Loket.Account"

#define LK_TYPE_APPLICATION (lk_application_get_type ())
G_DECLARE_FINAL_TYPE (LkApplication, lk_application, LK, APPLICATION, AdwApplication)

/* flags are added to G_APPLICATION_HANDLES_COMMAND_LINE (tests pass
 * G_APPLICATION_NON_UNIQUE). */
LkApplication  *lk_application_new                (GApplicationFlags  flags);
/* Opens the account's local data in a window, then signs in (password from
 * $LOKET_PASSWORD, else the keyring, else the sign-in dialog) and syncs. */
void            lk_application_open_account       (LkApplication     *self,
                                                   const char        *server_url,
                                                   const char        *username);
/* The main window, the sign-in dialog, and the "cannot open the data on
 * this computer" message, when shown; else NULL. */
LkWindow       *lk_application_get_window         (LkApplication     *self);
LkSignInDialog *lk_application_get_sign_in_dialog (LkApplication     *self);
AdwMessageDialog *lk_application_get_error_dialog (LkApplication     *self);
/* Opens (or raises) the "Register Signer Certificate" dialog for the
 * window's account (app.register-certificate, enabled for admins). */
LkRegisterCertDialog *lk_application_show_register_certificate (LkApplication *self);
/* Opens (or raises) the preferences (app.preferences, Ctrl+comma) for the
 * window's account; lk_application_get_preferences: it while open. */
LkPreferencesWindow *lk_application_show_preferences (LkApplication *self);
LkPreferencesWindow *lk_application_get_preferences  (LkApplication *self);
/* app.sign-out: asks first (the response "sign-out" signs out). */
AdwMessageDialog *lk_application_confirm_sign_out (LkApplication *self);
/* Forgets the account's password in the keyring, closes its window (its
 * outbox stays in the local store for the next sign-in of the same
 * account) and shows the sign-in dialog. */
void             lk_application_sign_out          (LkApplication *self);

G_END_DECLS
