/* lk-server-users-private.h — what lk-server-users.c (users, their units,
 * the /users router), lk-server-password.c (the password change) and
 * lk-server-certs.c (signer certificates) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-server-private.h"

G_BEGIN_DECLS

#define LK_SERVER_MIN_PASSWORD 10     /* bytes of a new password */
#define LK_SERVER_MAX_PASSWORD 256

/* lk-server-users.c: a request paused while a worker hashes a password */
typedef struct
{
  LkServer          *self;
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;     /* the connection went away meanwhile */
} Pending;

/* Pauses msg until the callback answers and unpauses it;
 * pending->finished tells whether the client is still there. */
void     lk_server_users_pending_start     (Pending            *pending,
                                            LkServer           *self,
                                            SoupServerMessage  *msg);
void     lk_server_users_pending_clear     (Pending            *pending);
/* Wipes and frees a password. */
void     lk_server_users_wipe              (char               *str);
/* Hashes a copy of password (Argon2id) in a worker thread. */
void     lk_server_users_hash_async        (const char         *password,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
char    *lk_server_users_hash_finish       (GAsyncResult       *result,
                                            GError            **error);
/* Ends the user's sessions but the one with except_token_hash (nullable). */
gboolean lk_server_users_end_sessions      (LkServer           *self,
                                            const char         *user_id,
                                            const char         *except_token_hash,
                                            GError            **error);

/* lk-server-certs.c */

/* Adds the user's certificates to b as a JSON array of {"fingerprint",
 * "subject", "not_after", "registered_at"}. */
gboolean lk_server_add_certificates_json   (LkServer           *self,
                                            JsonBuilder        *b,
                                            const char         *user_id,
                                            GError            **error);
/* POST /users/NAME/certificates by admin; name is a valid user name. */
void     lk_server_handle_certificate_post (LkServer           *self,
                                            SoupServerMessage  *msg,
                                            LkServerUser       *admin,
                                            const char         *name);
/* GET /users/NAME/certificates; name is a valid user name. */
void     lk_server_handle_certificate_list (LkServer           *self,
                                            SoupServerMessage  *msg,
                                            const char         *name);

G_END_DECLS
