/* lk-blob-cache.h — content-addressed files (SHA-256) in the cache directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LK_BLOB_MAX_SIZE (64 * 1024 * 1024)  /* bytes: larger blobs are refused */

#define LK_TYPE_BLOB_CACHE (lk_blob_cache_get_type ())
G_DECLARE_FINAL_TYPE (LkBlobCache, lk_blob_cache, LK, BLOB_CACHE, GObject)

LkBlobCache *lk_blob_cache_new       (const char   *dir);
const char  *lk_blob_cache_get_dir   (LkBlobCache  *self);
/* TRUE for 64 lower-case hex digits. */
gboolean     lk_blob_is_valid_sha256 (const char   *sha256);
char        *lk_blob_compute_sha256  (GBytes       *bytes);
/* Path of the cached file, or NULL when it is not cached. */
char        *lk_blob_cache_lookup    (LkBlobCache  *self,
                                      const char   *sha256);
/* Checks the hash, then writes atomically (temp file + rename). Returns
 * the path. */
char        *lk_blob_cache_store     (LkBlobCache  *self,
                                      const char   *sha256,
                                      GBytes       *bytes,
                                      GError      **error);

/* Where a download in progress keeps the bytes received so far, so the next
 * attempt resumes (creates the folder). NULL for an invalid hash. */
char        *lk_blob_cache_partial_path (LkBlobCache *self,
                                         const char  *sha256,
                                         GError     **error);
/* Moves a complete file (checked against sha256 first; removed when it does
 * not match) into the cache. Returns the cached path. */
char        *lk_blob_cache_adopt     (LkBlobCache  *self,
                                      const char   *sha256,
                                      const char   *file,
                                      GError      **error);

G_END_DECLS
