/* lk-server-users-private.h — what lk-server-users.c (users, their units,
 * passwords, the /users router) and lk-server-certs.c (signer certificates)
 * share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-server-private.h"

G_BEGIN_DECLS

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
