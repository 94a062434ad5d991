/* lk-i18n.h — the message catalog, for every program of Loket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* setlocale and the "loket" text domain, from the installed locale folder
 * or, when LOKET_LOCALEDIR is set, from that one (the build tree's po/
 * folder, so an uninstalled build speaks Indonesian too). */
void lk_i18n_init (void);

G_END_DECLS
