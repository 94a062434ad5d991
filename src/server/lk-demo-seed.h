/* lk-demo-seed.h — deterministic synthetic demo data for a server database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

#define LK_DEMO_PASSWORD "loket-demo"
/* The base of the demo drafts' QR codes when none is given (the URL of
 * tools/run-demo's server). */
#define LK_DEMO_PUBLIC_URL "http://127.0.0.1:8089"

/* Writes units, service types, n_cases cases with documents and history,
 * the blobs they reference and the demo users (password LK_DEMO_PASSWORD),
 * all in one transaction. The same seed and today give the same records. */
gboolean lk_demo_seed (LkStore     *store,
                       guint        n_cases,
                       guint32      seed,
                       GDate       *today,
                       GError     **error);
/* The same; the drafts of cases awaiting signature (rendered with each
 * service type's template, which the seed stores too) carry numbers issued
 * by the server's numbering and letter ids whose QR codes point to
 * PUBLIC_URL/v/ID (NULL: LK_DEMO_PUBLIC_URL). */
gboolean lk_demo_seed_full (LkStore     *store,
                            guint        n_cases,
                            guint32      seed,
                            GDate       *today,
                            const char  *public_url,
                            GError     **error);

G_END_DECLS
