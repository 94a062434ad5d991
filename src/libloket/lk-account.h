/* lk-account.h — where an account's local data lives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A filesystem-safe key for (server, user): "petugas@127.0.0.1_8080". NULL
 * when the URL is not an http(s) URL with a host. */
char *lk_account_key          (const char *server_url,
                               const char *username);
/* $XDG_DATA_HOME/loket/accounts/KEY.db (the directory is created). */
char *lk_account_store_path   (const char *server_url,
                               const char *username,
                               GError    **error);
/* $XDG_CACHE_HOME/loket/blobs (created): blobs are shared by accounts,
 * being addressed by their SHA-256. */
char *lk_account_blob_dir     (GError    **error);

/* What a store remembers of the account it syncs (lk_store_get_meta keys),
 * for the desk's offline work: who is signed in, with which role. */
#define LK_META_ACCOUNT_USERNAME     "account.username"
#define LK_META_ACCOUNT_ROLE         "account.role"
#define LK_META_ACCOUNT_DISPLAY_NAME "account.display_name"

G_END_DECLS
