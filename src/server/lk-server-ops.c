/* lk-server-ops.c — POST /api/v1/ops: the client's operations, applied
 * idempotently under the lifecycle's and the units' rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"

void
lk_server_handle_ops (LkServer          *self,
                      SoupServerMessage *msg)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_IMPLEMENTED, "internal", "Not built yet.");
}
