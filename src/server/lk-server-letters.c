/* lk-server-letters.c — the register of signed letters: read, revoke, resend (stub)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"

void
lk_server_handle_letters (LkServer          *self,
                          SoupServerMessage *msg,
                          const char        *rest,
                          GHashTable        *query)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_IMPLEMENTED, "not_found", "Letters are not built yet.");
}
