/* lk-session.h — one signed-in (or offline) account: its local store, its
 * sync client and its blob cache, and the state of the last sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lk-case-state.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-engine.h"

G_BEGIN_DECLS

typedef enum
{
  LK_SESSION_STATUS_IDLE,        /* nothing tried yet */
  LK_SESSION_STATUS_SIGNING_IN,
  LK_SESSION_STATUS_SYNCING,
  LK_SESSION_STATUS_SYNCED,
  LK_SESSION_STATUS_OFFLINE,     /* the server cannot be reached: local data only */
  LK_SESSION_STATUS_FAILED,      /* see the status message */
} LkSessionStatus;

#define LK_TYPE_SESSION (lk_session_get_type ())
G_DECLARE_FINAL_TYPE (LkSession, lk_session, LK, SESSION, GObject)

LkSession       *lk_session_new                (const char          *server_url,
                                                const char          *username,
                                                GError             **error);
const char      *lk_session_get_server_url     (LkSession           *self);
const char      *lk_session_get_username       (LkSession           *self);
const char      *lk_session_get_store_path     (LkSession           *self);
/* NULL until lk_session_open_store_async() succeeded. */
LkStore         *lk_session_get_store          (LkSession           *self);
LkSyncClient    *lk_session_get_client         (LkSession           *self);
LkBlobCache     *lk_session_get_blob_cache     (LkSession           *self);
LkSessionStatus  lk_session_get_status         (LkSession           *self);
/* A translated sentence about the status, for the window's status area. */
const char      *lk_session_get_status_message (LkSession           *self);

/* The background sync (NULL until the store is open; started after the
 * first sign-in) and what it reports: properties "sync-status"
 * (LkSyncStatus), "sync-message", "outbox-count", "conflict-count", and
 * "role" (the signed-in user's, remembered from the last sign-in while
 * offline). */
LkSyncEngine    *lk_session_get_sync_engine    (LkSession           *self);
LkSyncStatus     lk_session_get_sync_status    (LkSession           *self);
const char      *lk_session_get_sync_message   (LkSession           *self);
gint64           lk_session_get_outbox_count   (LkSession           *self);
gint64           lk_session_get_conflict_count (LkSession           *self);
/* LK_ROLE_INVALID while unknown (never signed in on this computer). */
LkRole           lk_session_get_role           (LkSession           *self);
/* Syncs at once: through the running engine, else by signing in again with
 * the password held in memory. */
void             lk_session_sync_now           (LkSession           *self);

/* Opens (creating when missing) the account's local store in a thread. */
void             lk_session_open_store_async   (LkSession           *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         lk_session_open_store_finish  (LkSession           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Signs in when needed (with password, or the one remembered from the last
 * attempt; it is kept in memory only) and pulls the change feed into the
 * local store. Emits ::synced on success. Errors are LK_SYNC_ERROR ones;
 * LK_SYNC_ERROR_OFFLINE leaves the session usable with the local data. */
void             lk_session_sync_async         (LkSession           *self,
                                                const char          *password,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         lk_session_sync_finish        (LkSession           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Local actions (they work offline): applied to the local store and queued
 * in the outbox in a thread, then pushed at once when the server can be
 * reached. Emit ::local-change (the case id) on success. Errors are
 * LK_OUTBOX_ERROR ones, with a message a person can act on. */
void             lk_session_transition_async   (LkSession           *self,
                                                const char          *case_id,
                                                LkCaseState          to,
                                                const char          *reason,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         lk_session_transition_finish  (LkSession           *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void             lk_session_add_note_async     (LkSession           *self,
                                                const char          *case_id,
                                                const char          *text,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         lk_session_add_note_finish    (LkSession           *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Resolves a conflict (see lk_outbox_resolve_conflict(); keep_mine NULL
 * dismisses it, taking the server's version), then syncs. */
void             lk_session_resolve_conflict_async  (LkSession           *self,
                                                     const char          *conflict_id,
                                                     GHashTable          *keep_mine,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         lk_session_resolve_conflict_finish (LkSession           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* Marks requirement ITEM (an index into the service type's requirements)
 * of the case's checklist as STATUS, with REASON (required for rejected)
 * and the attached document it was checked against (DOCUMENT_ID, or NULL).
 * A local action like the others: works offline, emits ::local-change. */
void             lk_session_set_checklist_async  (LkSession           *self,
                                                  const char          *case_id,
                                                  guint                item,
                                                  LkCheckStatus        status,
                                                  const char          *reason,
                                                  const char          *document_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         lk_session_set_checklist_finish (LkSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Renders the case's letter draft from its service type's template (the
 * "template" record, else the built-in one; lk-letter-template.h) with a
 * number (lk_numbers_obtain: the server's, or an offline block's) and a new
 * letter id, keeps it in the blob cache and queues it as a new document of
 * the case (uploaded by the next push). A template the case cannot fill is
 * refused (LK_LETTER_ERROR) before a number is taken; nothing is queued. A
 * local action like the others. Returns the new document's id. */
void             lk_session_prepare_letter_async  (LkSession           *self,
                                                   const char          *case_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char            *lk_session_prepare_letter_finish (LkSession           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* The path of a blob: from the cache, else downloaded (when signed in). */
void             lk_session_fetch_blob_async   (LkSession           *self,
                                                const char          *sha256,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char            *lk_session_fetch_blob_finish  (LkSession           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Issue 6: letters and their templates. */

/* lk_session_prepare_letter_finish() with the letter's number (nullable
 * out) and whether it came from a block of numbers granted in advance
 * because the server could not be reached (nullable out). */
char            *lk_session_prepare_letter_finish_full (LkSession     *self,
                                                        GAsyncResult  *result,
                                                        char         **out_number,
                                                        gboolean      *out_offline,
                                                        GError       **error);
/* Queues the letter template of the service type SERVICE_TYPE_ID (BODY:
 * the template's JSON, lk-letter-template.h; checked before it is queued)
 * as a put of kind "template". Admins only. A local action like the
 * others: works offline, pushed by the next sync. */
void             lk_session_save_template_async  (LkSession           *self,
                                                  const char          *service_type_id,
                                                  const char          *body,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         lk_session_save_template_finish (LkSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Asks the server to send the signed letter LETTER_ID to the citizen again
 * (POST /api/v1/letters/ID/resend; needs the server), then syncs. */
void             lk_session_resend_letter_async  (LkSession           *self,
                                                  const char          *letter_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         lk_session_resend_letter_finish (LkSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Revokes the signed letter LETTER_ID with REASON (shown on its public
 * page; trimmed, 1 to LK_SESSION_MAX_REVOKE_REASON characters) through
 * POST /api/v1/letters/ID/revoke (admins only; needs the server), then
 * syncs. The finish returns the server's letter record, now revoked;
 * LK_SYNC_ERROR_OFFLINE with a plain sentence when the server is away. */
#define LK_SESSION_MAX_REVOKE_REASON 1000
void             lk_session_revoke_letter_async  (LkSession           *self,
                                                  const char          *letter_id,
                                                  const char          *reason,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonObject      *lk_session_revoke_letter_finish (LkSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* The base of the letters' verification URLs (PUBLIC_URL/v/ID): the one
 * the server announced at sign-in, else its URL. */
const char      *lk_session_get_public_url       (LkSession           *self);

/* The register of letter numbers of one series (SERVICE_TYPE_ID's number
 * format, UNIT_ID, YEAR) through GET /api/v1/numbers (admins only; needs
 * the server), every page read in a worker (at most 100 000 numbers). The
 * finish returns the rows in seq order (docs/api-v1.md, "Numbering"), each
 * with "receipt" added when the local store knows its case;
 * LK_SYNC_ERROR_OFFLINE with a plain sentence when the server is away. */
void             lk_session_list_numbers_async   (LkSession           *self,
                                                  const char          *service_type_id,
                                                  const char          *unit_id,
                                                  int                  year,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonArray       *lk_session_list_numbers_finish  (LkSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Voids the issued letter number NUMBER with REASON (trimmed, 1 to
 * LK_SESSION_MAX_VOID_REASON bytes) through POST /api/v1/numbers/void
 * (admins and signers of its unit; needs the server). A used number is
 * refused: LK_SYNC_ERROR_SERVER with the server's sentence. */
#define LK_SESSION_MAX_VOID_REASON 4096
void             lk_session_void_number_async    (LkSession           *self,
                                                  const char          *number,
                                                  const char          *reason,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         lk_session_void_number_finish   (LkSession           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
