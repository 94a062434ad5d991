/* lk-token-modules.h — the PKCS#11 modules p11-kit registers, and checking
 * a module file a person chose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;  /* p11-kit's name of the module ("softhsm2"), never NULL */
  char *path;  /* the module file, "" when p11-kit does not say */
} LkTokenModule;

/* The modules registered with p11-kit (its configuration in /etc and the
 * user's), as LkTokenModule, in p11-kit's order. The modules are loaded to
 * read their names, not initialized, and released again. Blocking: call it
 * in a worker thread. LK_TOKEN_ERROR_MODULE when p11-kit fails. */
GPtrArray *lk_token_modules_list  (GError     **error);

/* Checks that PATH is a PKCS#11 module by loading it with the token layer
 * (lk_token_init(), p11-kit's registry first so that it stays loaded
 * too): afterwards its tokens are listed with the others. Blocking: call it
 * in a worker thread. LK_TOKEN_ERROR_MODULE with a message a person can act
 * on when the file is missing or not a PKCS#11 module. */
gboolean   lk_token_modules_check (const char  *path,
                                   GError     **error);

/* The same in a worker thread. */
void       lk_token_modules_list_async   (GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray *lk_token_modules_list_finish  (GAsyncResult         *result,
                                          GError              **error);
void       lk_token_modules_check_async  (const char           *path,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean   lk_token_modules_check_finish (GAsyncResult         *result,
                                          GError              **error);

void       lk_token_module_free   (LkTokenModule *module);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTokenModule, lk_token_module_free)

G_END_DECLS
