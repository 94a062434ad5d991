/* lk-preferences-window.h — server and account, PKCS#11 modules, the
 * default signature appearance, the interface language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-session.h"

G_BEGIN_DECLS

#define LK_TYPE_PREFERENCES_WINDOW (lk_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, LK, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* SESSION: the signed-in account (for "Server and account"), or NULL. */
LkPreferencesWindow *lk_preferences_window_new (GtkWindow *parent,
                                                LkSession *session);

G_END_DECLS
