/* lk-server-apply.c — citizen intake: /apply and /track (stub)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"
#include "lk-server-html.h"

void
lk_server_handle_apply (LkServer          *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such page.");
}

void
lk_server_handle_track (LkServer          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such page.");
}
