/* lk-sync-admin.c — (being written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sync/lk-sync-admin.h"
