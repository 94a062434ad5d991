/* lk-blob-cache.c — content-addressed files (SHA-256) in the cache directory
 *
 * Layout: DIR/ab/abcdef… (the first two hex digits name a subdirectory, the
 * file is named by the full hash). Files are written atomically, so a file
 * that exists is complete; its content is checked by whoever needs certainty
 * (lk_sync_client_fetch_blob does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sync/lk-blob-cache.h"
#include "sync/lk-sync-client.h"

struct _LkBlobCache
{
  GObject parent_instance;

  char *dir;
};

G_DEFINE_FINAL_TYPE (LkBlobCache, lk_blob_cache, G_TYPE_OBJECT)

static char *
blob_path (LkBlobCache *self,
           const char  *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };

  return g_build_filename (self->dir, prefix, sha256, NULL);
}

static void
lk_blob_cache_finalize (GObject *object)
{
  LkBlobCache *self = (LkBlobCache *) object;

  g_clear_pointer (&self->dir, g_free);

  G_OBJECT_CLASS (lk_blob_cache_parent_class)->finalize (object);
}

static void
lk_blob_cache_class_init (LkBlobCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_blob_cache_finalize;
}

static void
lk_blob_cache_init (LkBlobCache *self)
{
}

LkBlobCache *
lk_blob_cache_new (const char *dir)
{
  LkBlobCache *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (LK_TYPE_BLOB_CACHE, NULL);
  self->dir = g_strdup (dir);

  return self;
}

const char *
lk_blob_cache_get_dir (LkBlobCache *self)
{
  g_return_val_if_fail (LK_IS_BLOB_CACHE (self), NULL);

  return self->dir;
}

gboolean
lk_blob_is_valid_sha256 (const char *sha256)
{
  if (sha256 == NULL)
    return FALSE;

  for (guint i = 0; i < 64; i++)
    {
      char c = sha256[i];

      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }

  return sha256[64] == '\0';
}

char *
lk_blob_compute_sha256 (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

char *
lk_blob_cache_lookup (LkBlobCache *self,
                      const char  *sha256)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (LK_IS_BLOB_CACHE (self), NULL);

  if (!lk_blob_is_valid_sha256 (sha256))
    return NULL;

  path = blob_path (self, sha256);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_steal_pointer (&path);
}

char *
lk_blob_cache_store (LkBlobCache  *self,
                     const char   *sha256,
                     GBytes       *bytes,
                     GError      **error)
{
  g_autofree char *actual = NULL;
  g_autofree char *path = NULL;
  g_autofree char *subdir = NULL;
  gconstpointer data;
  gsize size;

  g_return_val_if_fail (LK_IS_BLOB_CACHE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lk_blob_is_valid_sha256 (sha256))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INTEGRITY,
                   _("“%s” is not a SHA-256 hash (64 lower-case hex digits)"),
                   sha256 ? sha256 : "");
      return NULL;
    }

  data = g_bytes_get_data (bytes, &size);
  if (size > LK_BLOB_MAX_SIZE)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_TOO_LARGE,
                   _("The file is larger than %d MiB and cannot be stored"),
                   LK_BLOB_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  actual = lk_blob_compute_sha256 (bytes);
  if (g_strcmp0 (actual, sha256) != 0)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INTEGRITY,
                   _("The file does not match its SHA-256 %s; it was not stored"),
                   sha256);
      return NULL;
    }

  path = blob_path (self, sha256);
  subdir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (subdir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the cache directory %s: %s"),
                   subdir, g_strerror (saved_errno));
      return NULL;
    }

  /* Temp file + fsync + rename: a crash leaves either no file or all of it. */
  if (!g_file_set_contents_full (path, data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, error))
    return NULL;

  return g_steal_pointer (&path);
}

char *
lk_blob_cache_partial_path (LkBlobCache  *self,
                            const char   *sha256,
                            GError      **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (LK_IS_BLOB_CACHE (self), NULL);

  if (!lk_blob_is_valid_sha256 (sha256))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INTEGRITY,
                   _("“%s” is not a SHA-256 hash (64 lower-case hex digits)"),
                   sha256 ? sha256 : "");
      return NULL;
    }

  dir = g_build_filename (self->dir, "partial", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the cache directory %s: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  name = g_strconcat (sha256, ".part", NULL);

  return g_build_filename (dir, name, NULL);
}

static gboolean
file_matches (const char  *path,
              const char  *sha256,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *chunk = g_malloc (64 * 1024);
  gssize n;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return FALSE;

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), chunk, 64 * 1024, NULL, error)) > 0)
    g_checksum_update (checksum, chunk, n);
  if (n < 0)
    return FALSE;

  if (g_strcmp0 (g_checksum_get_string (checksum), sha256) != 0)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INTEGRITY,
                   _("The file does not match its SHA-256 %s; it was not stored"),
                   sha256);
      return FALSE;
    }

  return TRUE;
}

char *
lk_blob_cache_adopt (LkBlobCache  *self,
                     const char   *sha256,
                     const char   *file,
                     GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *subdir = NULL;
  int fd;

  g_return_val_if_fail (LK_IS_BLOB_CACHE (self), NULL);
  g_return_val_if_fail (file != NULL, NULL);

  if (!lk_blob_is_valid_sha256 (sha256))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INTEGRITY,
                   _("“%s” is not a SHA-256 hash (64 lower-case hex digits)"),
                   sha256 ? sha256 : "");
      return NULL;
    }

  if (!file_matches (file, sha256, error))
    {
      g_unlink (file);
      return NULL;
    }

  path = blob_path (self, sha256);
  subdir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (subdir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the cache directory %s: %s"),
                   subdir, g_strerror (saved_errno));
      return NULL;
    }

  /* The bytes reach the disk before the name does. */
  fd = g_open (file, O_RDONLY, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  if (g_rename (file, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot move the downloaded file into the cache %s: %s"),
                   path, g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&path);
}
