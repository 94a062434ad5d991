/* lk-sync-private.h — the HTTP and JSON plumbing of LkSyncClient, shared by
 * its files (lk-sync-client.c: sign-in and blobs; lk-sync-pull.c: the
 * change feed; lk-sync-push.c: the outbox push and uploads)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sync/lk-sync-client.h"

G_BEGIN_DECLS

/* A session for the calling thread (timeout and user agent set). */
SoupSession *lk_sync_create_session     (void);
/* A request with the bearer token; LK_SYNC_ERROR_SESSION_EXPIRED when not
 * signed in. */
SoupMessage *lk_sync_client_new_request (LkSyncClient  *self,
                                         const char    *method,
                                         const char    *url,
                                         GError       **error);
/* Sends msg and reads at most max bytes of a 2xx body; maps transport and
 * HTTP failures to LK_SYNC_ERROR codes. */
GBytes      *lk_sync_client_send        (LkSyncClient  *self,
                                         SoupSession   *session,
                                         SoupMessage   *msg,
                                         gsize          max,
                                         gboolean       is_login,
                                         GCancellable  *cancellable,
                                         GError       **error);
/* Parses a body of bounded nesting depth; LK_SYNC_ERROR_PROTOCOL. */
JsonNode    *lk_sync_parse_json         (GBytes        *body,
                                         GError       **error);
/* A string member of at most max bytes of valid UTF-8, or NULL. */
const char  *lk_sync_get_string_member  (JsonObject    *object,
                                         const char    *name,
                                         gsize          max);

/* Checks the shape of a changes page (kinds known, records objects, cursor
 * bounded); on success changes points into root and next is new. The
 * fields of each record are checked by the store when they are applied. */
gboolean     lk_sync_page_validate      (JsonNode      *root,
                                         JsonArray    **out_changes,
                                         char         **out_next,
                                         gboolean      *out_more,
                                         GError       **error);
/* Writes a validated page's records and its cursor into the store's open
 * transaction (lk_store_begin). */
gboolean     lk_sync_page_apply         (LkStore       *store,
                                         JsonArray     *changes,
                                         const char    *next,
                                         GError       **error);

/* lk-sync-push.c: checks the shape of a POST /ops answer against what was
 * sent (sent: the LkOutboxEntry of each operation, in order): an object
 * whose "results" holds one object per operation with the same "id", in
 * the same order; on success results points into root. The rest of each
 * result is checked by lk_outbox_apply_result. LK_SYNC_ERROR_PROTOCOL. */
gboolean     lk_sync_push_results_validate (JsonNode    *root,
                                            GPtrArray   *sent,
                                            JsonArray  **out_results,
                                            GError     **error);

G_END_DECLS
