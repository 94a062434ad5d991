/* lk-demo-seed.h — deterministic synthetic demo data for a server database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

#define LK_DEMO_PASSWORD "loket-demo"

/* Writes units, service types, n_cases cases with documents and history,
 * the blobs they reference and the demo users (password LK_DEMO_PASSWORD),
 * all in one transaction. The same seed and today give the same records. */
gboolean lk_demo_seed (LkStore     *store,
                       guint        n_cases,
                       guint32      seed,
                       GDate       *today,
                       GError     **error);

G_END_DECLS
