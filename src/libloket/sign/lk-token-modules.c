/* lk-token-modules.c — the PKCS#11 modules p11-kit registers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-token"

#include "config.h"

#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <p11-kit/p11-kit.h>

#include "lk-token.h"
#include "lk-token-modules.h"

void
lk_token_module_free (LkTokenModule *module)
{
  if (module == NULL)
    return;
  g_free (module->name);
  g_free (module->path);
  g_free (module);
}

static char *
steal_malloced (char *string)
{
  char *copy = g_strdup (string);

  free (string);
  return copy;
}

GPtrArray *
lk_token_modules_list (GError **error)
{
  g_autoptr(GPtrArray) modules = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_token_module_free);
  CK_FUNCTION_LIST **loaded;

  /* Loaded, not initialized: a module only answers its name and file. */
  loaded = p11_kit_modules_load (NULL, 0);
  if (loaded == NULL)
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_MODULE,
                   _("Cannot read the PKCS#11 modules registered with p11-kit: %s"),
                   p11_kit_message () != NULL ? p11_kit_message () : _("unknown error"));
      return NULL;
    }

  for (guint i = 0; loaded[i] != NULL; i++)
    {
      LkTokenModule *module = g_new0 (LkTokenModule, 1);
      char *name = p11_kit_module_get_name (loaded[i]);
      char *path = p11_kit_module_get_filename (loaded[i]);

      module->path = path != NULL ? steal_malloced (path) : g_strdup ("");
      if (name != NULL)
        module->name = steal_malloced (name);
      else
        module->name = g_path_get_basename (module->path);
      g_ptr_array_add (modules, module);
    }
  p11_kit_modules_release (loaded);

  g_debug ("p11-kit registers %u modules", modules->len);
  return g_steal_pointer (&modules);
}

gboolean
lk_token_modules_check (const char  *path,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  name = g_filename_display_basename (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_MODULE,
                   _("The file “%s” does not exist or is not a regular file."), name);
      return FALSE;
    }

  /* The first lk_token_init() decides whether p11-kit's registry is loaded
   * at all: load it first, so that adding a file never hides it. */
  if (!lk_token_init (NULL, &local_error))
    {
      g_debug ("p11-kit's registry: %s", local_error->message);
      g_clear_error (&local_error);
    }

  if (!lk_token_init (path, &local_error))
    {
      g_debug ("Not a module: %s", local_error->message);
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_MODULE,
                   _("“%s” is not a PKCS#11 module that works on this computer. Choose the module file "
                     "of your token’s driver, usually a file ending in “.so” (for example "
                     "opensc-pkcs11.so); the token’s vendor says where it is installed."), name);
      return FALSE;
    }

  return TRUE;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *modules = lk_token_modules_list (&error);

  if (modules == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, modules, (GDestroyNotify) g_ptr_array_unref);
}

void
lk_token_modules_list_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, lk_token_modules_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
lk_token_modules_list_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (lk_token_modules_check (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
lk_token_modules_check_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_token_modules_check_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, check_thread);
}

gboolean
lk_token_modules_check_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
