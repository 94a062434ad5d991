/* fuzz-common.c — helpers shared by the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "fuzz-common.h"

static char *store_dir;

void
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  fputs ("fuzz invariant failed: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}

static void
remove_store_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (store_dir == NULL)
    return;

  dir = g_dir_open (store_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (store_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (store_dir);
  g_clear_pointer (&store_dir, g_free);
}

LkStore *
fuzz_open_store (LkStoreKind kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *name = kind == LK_STORE_KIND_SERVER ? "server.db" : "client.db";
  LkStore *store;

  if (store_dir == NULL)
    {
      store_dir = g_dir_make_tmp ("loket-fuzz-XXXXXX", &error);
      if (store_dir == NULL)
        fuzz_fail ("cannot make a temporary directory: %s", error->message);
      atexit (remove_store_dir);
    }

  path = g_build_filename (store_dir, name, NULL);
  store = lk_store_open (path, kind, &error);
  if (store == NULL)
    fuzz_fail ("cannot open a %s store: %s", name, error->message);

  return store;
}

LkStore *
fuzz_open_client_store (void)
{
  return fuzz_open_store (LK_STORE_KIND_CLIENT);
}

/* Copies the main database of from into to, page by page. */
static void
copy_database (sqlite3    *to,
               sqlite3    *from,
               const char *what)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");
  int rc;

  if (backup == NULL)
    fuzz_fail ("%s: sqlite3_backup_init: %s", what, sqlite3_errmsg (to));
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    fuzz_fail ("%s: sqlite3_backup_step: %s", what, sqlite3_errstr (rc));
}

sqlite3 *
fuzz_store_snapshot (LkStore *store)
{
  sqlite3 *copy = NULL;

  if (sqlite3_open (":memory:", &copy) != SQLITE_OK)
    fuzz_fail ("cannot open an in-memory database");
  copy_database (copy, lk_store_get_handle (store), "snapshot");

  /* The store is a scratch copy: no need to wait for the disk. */
  if (!lk_store_exec (store, "PRAGMA synchronous = OFF", NULL))
    fuzz_fail ("cannot turn off synchronous writes");

  return copy;
}

void
fuzz_store_restore (LkStore *store,
                    sqlite3 *snapshot)
{
  copy_database (lk_store_get_handle (store), snapshot, "restore");
}

static gboolean
is_absent (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  return JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING &&
         json_node_get_string (node)[0] == '\0';
}

void
fuzz_check_record (const char *kind,
                   JsonObject *input,
                   JsonObject *stored)
{
  g_autoptr(GList) members = json_object_get_members (stored);

  if (!json_object_has_member (stored, "id"))
    fuzz_fail ("a stored %s record has no id", kind);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *want = json_object_get_member (input, name);
      JsonNode *got = json_object_get_member (stored, name);

      if (is_absent (want))
        {
          if (!JSON_NODE_HOLDS_NULL (got))
            fuzz_fail ("%s.%s: stored a value where the input had none", kind, name);
        }
      else if (!json_node_equal (want, got))
        {
          g_autofree char *want_text = json_to_string (want, FALSE);
          g_autofree char *got_text = json_to_string (got, FALSE);

          fuzz_fail ("%s.%s: stored %s, read back %s", kind, name, want_text, got_text);
        }
    }
}
