/* lk-server-numbers.c — letter numbering: allocation, offline blocks, claims, voids (stub until issue 6 lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"
#include "lk-server-html.h"

void
lk_server_handle_numbers (LkServer          *self,
                          SoupServerMessage *msg,
                          const char        *rest,
                          GHashTable        *query)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_IMPLEMENTED, "not_found", "Numbering is not built yet.");
}

gboolean
lk_server_numbers_use (LkServer    *self,
                       const char  *number,
                       const char  *case_id,
                       const char  *letter_id,
                       const char  *user_id,
                       gint64       now,
                       char       **problem,
                       GError     **error)
{
  *problem = g_strdup ("Numbering is not built yet.");
  return FALSE;
}
