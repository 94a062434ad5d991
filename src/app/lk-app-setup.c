/* lk-app-setup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-resources.h"
#include "lk-app-setup.h"

GSettings *
lk_app_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("The settings schema %s is not installed; settings are not kept", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

void
lk_app_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      lk_app_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

const char *
lk_app_default_signature_reason (void)
{
  return _("Approved and signed electronically");
}

void
lk_app_apply_language (void)
{
  g_autoptr(GSettings) settings = lk_app_settings_new ();
  g_autofree char *language = NULL;

  if (settings == NULL)
    return;

  language = g_settings_get_string (settings, "language");
  if (*language == '\0')
    return;

  /* gettext reads LANGUAGE before the locale's own language (unless the
   * locale is plain "C"). */
  g_debug ("Interface language: %s", language);
  g_setenv ("LANGUAGE", language, TRUE);
}
