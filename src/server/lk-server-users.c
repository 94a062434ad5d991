/* lk-server-users.c — users, their units and signer certificates (admin),
 * and the password change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"

void
lk_server_handle_users (LkServer          *self,
                        SoupServerMessage *msg,
                        const char        *rest)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_IMPLEMENTED, "internal", "Not built yet.");
}

void
lk_server_handle_password (LkServer          *self,
                           SoupServerMessage *msg)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_IMPLEMENTED, "internal", "Not built yet.");
}
