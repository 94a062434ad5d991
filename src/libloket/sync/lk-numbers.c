/* lk-numbers.c — letter numbers on a desk (stub until issue 6 lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sync/lk-numbers.h"

char *
lk_numbers_obtain (LkSyncClient  *client,
                   LkStore       *store,
                   const char    *case_id,
                   gboolean      *out_offline,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Numbering is not built yet.");
  return NULL;
}

gboolean
lk_numbers_reconcile (LkSyncClient  *client,
                      LkStore       *store,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return TRUE;
}

guint
lk_numbers_count_free (LkStore    *store,
                       const char *format,
                       const char *unit,
                       int         year)
{
  return 0;
}

char *
lk_numbers_format (const char *number_format,
                   const char *unit_code,
                   int         year,
                   gint64      seq)
{
  return NULL;
}
