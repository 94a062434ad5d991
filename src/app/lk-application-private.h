/* lk-application-private.h — what lk-application.c shares with
 * lk-application-account.c (preferences and signing out)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsecret/secret.h>

#include "lk-application.h"

G_BEGIN_DECLS

struct _LkApplication
{
  AdwApplication    parent_instance;

  /* Weak pointers: the windows belong to GtkApplication. */
  LkWindow         *window;
  LkSignInDialog   *dialog;
  AdwMessageDialog *error_dialog;
  LkRegisterCertDialog *register_dialog;
  LkPreferencesWindow *preferences;
  AdwMessageDialog *sign_out_dialog;
  GSettings        *settings;
};

/* The libsecret schema of the stored passwords (LK_SECRET_SCHEMA_NAME). */
const SecretSchema *lk_application_get_secret_schema (void);
/* *LOCATION = OBJECT, as a weak pointer (NULL clears it). */
void lk_application_set_weak       (gpointer       location,
                                    gpointer       object);
/* Shows (or raises) the sign-in dialog, filled in. */
void lk_application_show_sign_in   (LkApplication *self,
                                    const char    *server_url,
                                    const char    *username,
                                    const char    *error);
/* Enables the actions that need an account, or an admin's. */
void lk_application_update_actions (LkApplication *self);

G_END_DECLS
