/* lk-template-jobs.h — the template editor's work in threads: reading a
 * service type's template, rendering its preview, checking and uploading
 * a logo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-sync-client.h"

G_BEGIN_DECLS

/* The largest logo accepted, in bytes and pixels per side. */
#define LK_TEMPLATE_LOGO_MAX_BYTES  (1024 * 1024)
#define LK_TEMPLATE_LOGO_MAX_PIXELS 4096

typedef struct
{
  GPtrArray  *service_types;   /* LkServiceType, when asked for */
  char       *service_type_id; /* the one read, or NULL */
  JsonObject *record;          /* its template record, or NULL */
  char       *json;            /* the template's JSON: the record's body or the built-in one */
  gboolean    pending;         /* a saved change waits in the outbox */
  gboolean    conflict;        /* a change of it met a conflict */
  char       *case_id;         /* a case of the service type for the preview, or NULL */
} LkTemplateLoad;

void            lk_template_load_free     (LkTemplateLoad *load);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTemplateLoad, lk_template_load_free)

/* Reads the service types (with LIST) and the template of SERVICE_TYPE_ID
 * (nullable) from STORE. */
void            lk_template_load_async    (LkStore              *store,
                                           gboolean              list,
                                           const char           *service_type_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
LkTemplateLoad *lk_template_load_finish   (GAsyncResult         *result,
                                           GError              **error);

/* Renders the template JSON for the case CASE_ID (NULL: a sample case) of
 * SERVICE_TYPE_ID to OUT_PATH, as a draft without number and QR code.
 * *out_path is OUT_PATH (also on failure, to remove what is left);
 * *out_case_label (nullable) says whose letter it shows. */
void            lk_template_preview_async (LkStore              *store,
                                           LkBlobCache          *cache,
                                           const char           *service_type_id,
                                           const char           *json,
                                           const char           *case_id,
                                           const char           *out_path,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean        lk_template_preview_finish (GAsyncResult        *result,
                                            char               **out_path,
                                            char               **out_case_label,
                                            GError             **error);

/* Checks that FILE is a PNG within the limits above, keeps it in CACHE and
 * uploads it with CLIENT (which must be signed in). Returns its SHA-256. */
void            lk_template_logo_async    (LkSyncClient         *client,
                                           LkBlobCache          *cache,
                                           GFile                *file,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
char           *lk_template_logo_finish   (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
