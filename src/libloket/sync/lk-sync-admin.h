/* lk-sync-admin.h — the account and administration calls of the API:
 * password change, users, signer certificates (docs/api-v1.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-case-state.h"
#include "sync/lk-sync-client.h"

G_BEGIN_DECLS

/* Blocking (worker thread) calls on a signed-in client. Errors are
 * LK_SYNC_ERROR ones; a refusal by the server (403, 409, 400) is
 * LK_SYNC_ERROR_SERVER with the server's message. */

/* POST /session/password. Both passwords are wiped from the request. */
gboolean    lk_sync_client_change_password      (LkSyncClient  *self,
                                                 const char    *old_password,
                                                 const char    *new_password,
                                                 GCancellable  *cancellable,
                                                 GError       **error);
/* GET /users: the "users" array of the answer (admin). */
JsonArray  *lk_sync_client_list_users           (LkSyncClient  *self,
                                                 GCancellable  *cancellable,
                                                 GError       **error);
/* POST /users (admin). units: NULL-terminated unit ids. */
gboolean    lk_sync_client_create_user          (LkSyncClient        *self,
                                                 const char          *username,
                                                 const char          *display_name,
                                                 LkRole               role,
                                                 const char * const  *units,
                                                 const char          *password,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
/* POST /users/NAME/certificates (admin) with a PEM certificate; returns the
 * registered certificate's fingerprint (SHA-256 of the DER, hex). */
char       *lk_sync_client_register_certificate (LkSyncClient  *self,
                                                 const char    *username,
                                                 const char    *pem,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

/* For the app: the same in a GTask thread. */
void        lk_sync_client_register_certificate_async  (LkSyncClient        *self,
                                                        const char          *username,
                                                        const char          *pem,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char       *lk_sync_client_register_certificate_finish (LkSyncClient  *self,
                                                        GAsyncResult  *result,
                                                        GError       **error);
void        lk_sync_client_list_users_async     (LkSyncClient        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonArray  *lk_sync_client_list_users_finish    (LkSyncClient  *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

G_END_DECLS
