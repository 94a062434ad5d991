/* lk-server-public.c — the public pages: /v/ID, /verify (stub)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"
#include "lk-server-html.h"

gsize
lk_server_public_body_limit (const char *method,
                             const char *path)
{
  return 0;
}

void
lk_server_handle_public (LkServer          *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such page.");
}
