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
LkSession  *lk_preferences_window_get_session          (LkPreferencesWindow *self);

/* What "Add Module File…" does with the chosen file: checks in a worker
 * that it is a PKCS#11 module (lk_token_modules_check()), then adds it to
 * the GSettings key pkcs11-modules, or shows why not (module-error). */
void        lk_preferences_window_add_module_file      (LkPreferencesWindow *self,
                                                        const char          *path);
void        lk_preferences_window_remove_module_file   (LkPreferencesWindow *self,
                                                        const char          *path);
/* What "Choose…" of the signature image does: checks the PNG in a worker
 * (lk_pades_appearance_load_png()), then stores it in signature-image, or
 * shows why not (image-error). NULL removes the image. */
void        lk_preferences_window_set_signature_image  (LkPreferencesWindow *self,
                                                        const char          *path);

/* Whether a worker runs (the module list, a module or an image check). */
gboolean    lk_preferences_window_get_busy             (LkPreferencesWindow *self);
/* The modules p11-kit registers, as shown (-1 while they are read). */
int         lk_preferences_window_get_n_registered     (LkPreferencesWindow *self);
/* The error shown under the added modules / under the image, or NULL. */
const char *lk_preferences_window_get_module_error     (LkPreferencesWindow *self);
const char *lk_preferences_window_get_image_error      (LkPreferencesWindow *self);

G_END_DECLS
