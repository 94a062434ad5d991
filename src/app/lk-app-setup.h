/* lk-app-setup.h — what every part of the app needs before it starts:
 * its resources and its settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The app's settings, or NULL when the schema is not installed. */
GSettings *lk_app_settings_new     (void);
/* Registers the app's GResource (idempotent); class_init functions call it. */
void       lk_app_ensure_resources (void);
/* The reason written into a signature when the GSettings key
 * signature-reason is empty (translated). */
const char *lk_app_default_signature_reason (void);
/* Before gettext and GTK start: when the GSettings key "language" is set,
 * makes it the interface language (LANGUAGE). */
void       lk_app_apply_language   (void);

G_END_DECLS
