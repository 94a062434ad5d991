/* main.c — starts loket, the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-i18n.h"
#include "lk-app-setup.h"
#include "lk-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LkApplication) app = NULL;

  /* The language chosen in Preferences, before gettext is set up. */
  lk_app_apply_language ();
  lk_i18n_init ();

  app = lk_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
