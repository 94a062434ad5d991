/* lk-server-ops-letter.c — (being split out)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-server-private.h"
