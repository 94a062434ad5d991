/* lk-outbox-conflicts.c — (being split out)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sync/lk-outbox.h"
