/* lk-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-account"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "lk-account.h"

static void
append_safe (GString    *out,
             const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", (guchar) *p);
    }
}

char *
lk_account_key (const char *server_url,
                const char *username)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) key = NULL;
  const char *scheme;
  int port;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  if (username[0] == '\0')
    return NULL;

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    return NULL;

  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_str_equal (scheme, "https") ? 443 : 80;

  key = g_string_new (NULL);
  append_safe (key, username);
  g_string_append_c (key, '@');
  append_safe (key, g_uri_get_host (uri));
  g_string_append_printf (key, "_%d", port);

  return g_string_free (g_steal_pointer (&key), FALSE);
}

static char *
ensure_dir (char    *dir,
            GError **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
      g_free (dir);
      return NULL;
    }

  return dir;
}

char *
lk_account_store_path (const char  *server_url,
                       const char  *username,
                       GError     **error)
{
  g_autofree char *key = lk_account_key (server_url, username);
  g_autofree char *file = NULL;
  char *dir;

  if (key == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address (expected http:// or https:// and a host)"),
                   server_url);
      return NULL;
    }

  dir = ensure_dir (g_build_filename (g_get_user_data_dir (), "loket", "accounts", NULL), error);
  if (dir == NULL)
    return NULL;

  file = g_strconcat (key, ".db", NULL);
  {
    char *path = g_build_filename (dir, file, NULL);

    g_free (dir);
    return path;
  }
}

char *
lk_account_blob_dir (GError **error)
{
  return ensure_dir (g_build_filename (g_get_user_cache_dir (), "loket", "blobs", NULL), error);
}
