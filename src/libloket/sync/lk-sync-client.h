/* lk-sync-client.h — talks to loket-server: sign-in, change feed, blobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-account.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"

G_BEGIN_DECLS

#define LK_SYNC_ERROR (lk_sync_error_quark ())
GQuark lk_sync_error_quark (void);

typedef enum
{
  LK_SYNC_ERROR_OFFLINE,         /* cannot reach the server (refused, DNS, timeout, dropped) */
  LK_SYNC_ERROR_AUTH,            /* wrong user name or password */
  LK_SYNC_ERROR_SESSION_EXPIRED, /* the token is no longer valid: sign in again */
  LK_SYNC_ERROR_PROTOCOL,        /* the server answered something we do not understand */
  LK_SYNC_ERROR_SERVER,          /* the server reported an error (5xx or a JSON error) */
  LK_SYNC_ERROR_TOO_LARGE,       /* a response exceeded its size limit */
  LK_SYNC_ERROR_INVALID_URL,
  LK_SYNC_ERROR_INTEGRITY,       /* a blob did not match its SHA-256 */
} LkSyncError;

/* Limits of what the client accepts from a server. */
#define LK_SYNC_MAX_PAGE_BYTES   (32 * 1024 * 1024) /* one changes page */
#define LK_SYNC_DEFAULT_PAGE     1000               /* records per changes page */
#define LK_SYNC_TIMEOUT_SECONDS  30                 /* per request, I/O idle */

#define LK_TYPE_SYNC_CLIENT (lk_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (LkSyncClient, lk_sync_client, LK, SYNC_CLIENT, GObject)

/* server_url: "http://127.0.0.1:8080" (no trailing path). Fails with
 * LK_SYNC_ERROR_INVALID_URL. */
LkSyncClient *lk_sync_client_new           (const char    *server_url,
                                            const char    *username,
                                            GError       **error);
const char   *lk_sync_client_get_server_url (LkSyncClient *self);
const char   *lk_sync_client_get_username  (LkSyncClient  *self);
/* After a successful login: the user's display name and role. */
const char   *lk_sync_client_get_display_name (LkSyncClient *self);
const char   *lk_sync_client_get_role      (LkSyncClient  *self);
/* After a successful login (issue 6): the signer's position (jabatan) and
 * NIP (NULL when the administrator set none), and the server's public URL,
 * the base of the letters' QR codes (NULL from an older server). */
const char   *lk_sync_client_get_position  (LkSyncClient  *self);
const char   *lk_sync_client_get_nip       (LkSyncClient  *self);
const char   *lk_sync_client_get_public_url (LkSyncClient *self);
/* The unit ids of the signed-in user (empty before a login). Free with
 * g_strfreev. */
char        **lk_sync_client_dup_units     (LkSyncClient  *self);
gboolean      lk_sync_client_is_signed_in  (LkSyncClient  *self);

/* All blocking calls below are safe to run in a worker thread (each thread
 * gets its own HTTP session); never call them on the GTK main thread. The
 * password is only used for the request and wiped from the request body. */
gboolean      lk_sync_client_login         (LkSyncClient  *self,
                                            const char    *password,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Called for each page once it is committed (in the calling thread). */
typedef void (*LkSyncPageFunc) (guint    records_in_page,
                                guint64  total_records,
                                gpointer user_data);

/* Pulls changes since the store's cursor until the server says there is no
 * more. Whole pages are committed together with the cursor after them (in
 * batches of up to 10 000 records or half a second), so a failure at any
 * point resumes after the last committed page; the pages fetched before a
 * network failure are committed before the error is returned. page_func is
 * called for each page once it is committed. */
gboolean      lk_sync_client_pull          (LkSyncClient  *self,
                                            LkStore       *store,
                                            guint          page_limit,
                                            LkSyncPageFunc page_func,
                                            gpointer       user_data,
                                            guint64       *out_records,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Meta keys of what lk_sync_client_remember_account keeps besides lk-account.h's. */
#define LK_META_ACCOUNT_POSITION   "account.position"
#define LK_META_ACCOUNT_NIP        "account.nip"
#define LK_META_ACCOUNT_PUBLIC_URL "account.public_url"

/* Records the signed-in user's name, role, display name, position, NIP and
 * the server's public URL in store's meta (LK_META_ACCOUNT_*), writing only
 * what changed. The pull calls it. */
gboolean      lk_sync_client_remember_account (LkSyncClient *self,
                                               LkStore      *store,
                                               GError      **error);

/* Pushes the outbox in order, in batches (at most LK_SYNC_PUSH_BATCH
 * operations or LK_SYNC_PUSH_BYTES of body), first uploading any blob an
 * operation names (document sha256, transition letter) from cache (resuming
 * a partial upload). Each result is recorded with lk_outbox_apply_result()
 * as it arrives; on a network failure the operations not answered stay
 * queued (a replay is harmless: ids make them idempotent). out_applied and
 * out_conflicts (conflicts + rejections) are nullable. */
#define LK_SYNC_PUSH_BATCH   200
#define LK_SYNC_PUSH_BYTES   (200 * 1024)
#define LK_SYNC_UPLOAD_CHUNK (4 * 1024 * 1024)
gboolean      lk_sync_client_push          (LkSyncClient  *self,
                                            LkStore       *store,
                                            LkBlobCache   *cache,
                                            guint         *out_applied,
                                            guint         *out_conflicts,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Uploads one blob from the cache, resuming what the server already has. */
gboolean      lk_sync_client_upload_blob   (LkSyncClient  *self,
                                            LkBlobCache   *cache,
                                            const char    *sha256,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Returns the cached path, downloading and checking the blob first if
 * needed. */
char         *lk_sync_client_fetch_blob    (LkSyncClient  *self,
                                            LkBlobCache   *cache,
                                            const char    *sha256,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* POST PATH (from "/api/v1/…") with BODY (an object; NULL: {}) on a
 * signed-in client; the 2xx answer (at most MAX_ANSWER bytes) parsed, an
 * empty one as {}. Errors as the other calls: LK_SYNC_ERROR_OFFLINE when
 * the server cannot be reached, LK_SYNC_ERROR_SERVER with the server's
 * message when it refuses. Blocking. */
JsonNode     *lk_sync_client_post_json     (LkSyncClient  *self,
                                            const char    *path,
                                            JsonNode      *body,
                                            gsize          max_answer,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* The same with METHOD ("GET", "PUT", "POST", "DELETE"; a NULL BODY is
 * sent as {} but with GET and DELETE, which send none), e.g. PUT
 * /api/v1/users/NAME {"position", "nip"}. */
JsonNode     *lk_sync_client_send_json     (LkSyncClient  *self,
                                            const char    *method,
                                            const char    *path,
                                            JsonNode      *body,
                                            gsize          max_answer,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Async wrappers for the UI: each runs the blocking call in a GTask thread. */
void          lk_sync_client_login_async   (LkSyncClient       *self,
                                            const char         *password,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean      lk_sync_client_login_finish  (LkSyncClient  *self,
                                            GAsyncResult  *result,
                                            GError       **error);
/* Opens its own LkStore on store_path for the writes. */
void          lk_sync_client_pull_async    (LkSyncClient       *self,
                                            const char         *store_path,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean      lk_sync_client_pull_finish   (LkSyncClient  *self,
                                            GAsyncResult  *result,
                                            guint64       *out_records,
                                            GError       **error);
void          lk_sync_client_fetch_blob_async  (LkSyncClient       *self,
                                                LkBlobCache        *cache,
                                                const char         *sha256,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
char         *lk_sync_client_fetch_blob_finish (LkSyncClient  *self,
                                                GAsyncResult  *result,
                                                GError       **error);

G_END_DECLS
