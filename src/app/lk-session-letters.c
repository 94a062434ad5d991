/* lk-session-letters.c — the session's letter draft: rendered from the
 * built-in template in a thread, kept in the blob cache and queued as a new
 * document of the case (the push uploads its blob before the document)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-session-private.h"
#include "letter/lk-letter-draft.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-outbox.h"

typedef struct
{
  LkStore     *store;
  LkBlobCache *cache;
  char        *case_id;
  LkRole       role;
  char        *document_id;     /* the result */
  gint64       outbox_count;    /* after the action */
  gint64       conflict_count;
} LetterData;

static void
letter_data_free (gpointer data)
{
  LetterData *letter = data;

  g_clear_object (&letter->store);
  g_clear_object (&letter->cache);
  g_free (letter->case_id);
  g_free (letter->document_id);
  g_free (letter);
}

/* Helpers */

static LkServiceType *
find_service_type (LkStore     *store,
                   const char  *id,
                   GError     **error)
{
  g_autoptr(GPtrArray) types = lk_store_list_service_types (store, error);

  if (types == NULL)
    return NULL;
  for (guint i = 0; i < types->len; i++)
    {
      LkServiceType *type = g_ptr_array_index (types, i);

      if (g_strcmp0 (lk_service_type_get_id (type), id) == 0)
        return g_object_ref (type);
    }

  g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND, "%s",
               _("The case’s service type is not on this computer yet. Sync, then try again."));
  return NULL;
}

/* The next free position among the case's documents. */
static int
next_position (LkStore    *store,
               const char *case_id,
               GError    **error)
{
  g_autoptr(GPtrArray) documents = lk_store_list_documents (store, case_id, error);
  int next = 0;

  if (documents == NULL)
    return -1;
  for (guint i = 0; i < documents->len; i++)
    next = MAX (next, lk_document_get_position (g_ptr_array_index (documents, i)) + 1);
  return next;
}

/* Renders the draft into a temporary file and returns its bytes. */
static GBytes *
render_draft (LkStore        *store,
              LkCase         *kase,
              LkServiceType  *service,
              GError        **error)
{
  g_autoptr(JsonObject) unit = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean ok;
  int fd;

  /* The letterhead names the unit; a case whose unit is unknown here still
   * drafts, without it. */
  if (lk_case_get_unit (kase) != NULL)
    unit = lk_store_get_json (store, LK_KIND_UNIT, lk_case_get_unit (kase), NULL);

  fd = g_file_open_tmp ("loket-letter-XXXXXX.pdf", &path, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);

  ok = lk_letter_draft_render_for_unit (kase, service,
                                        unit != NULL ? json_object_get_string_member_with_default (unit, "name", NULL) : NULL,
                                        unit != NULL ? json_object_get_string_member_with_default (unit, "address", NULL) : NULL,
                                        NULL, path, error) &&
       g_file_get_contents (path, &contents, &length, error);
  g_unlink (path);
  if (!ok)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static gboolean
prepare_letter (LetterData  *letter,
                GError     **error)
{
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(LkServiceType) service = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *name = NULL;
  g_autofree char *document_id = NULL;
  int position;

  /* The server takes new documents from officers only. */
  if (letter->role != LK_ROLE_OFFICER)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION, "%s",
                   _("Only officers can prepare the letter of a case."));
      return FALSE;
    }

  kase = lk_store_get_case (letter->store, letter->case_id, error);
  if (kase == NULL)
    return FALSE;
  service = find_service_type (letter->store, lk_case_get_service_type_id (kase), error);
  if (service == NULL)
    return FALSE;

  pdf = render_draft (letter->store, kase, service, error);
  if (pdf == NULL)
    return FALSE;
  sha256 = lk_blob_compute_sha256 (pdf);
  cached = lk_blob_cache_store (letter->cache, sha256, pdf, error);
  if (cached == NULL)
    return FALSE;

  position = next_position (letter->store, letter->case_id, error);
  if (position < 0)
    return FALSE;

  name = lk_letter_draft_document_name (lk_case_get_receipt (kase));
  document_id = g_uuid_string_random ();
  fields = json_object_new ();
  json_object_set_string_member (fields, "case_id", letter->case_id);
  json_object_set_string_member (fields, "name", name);
  json_object_set_string_member (fields, "mime_type", "application/pdf");
  json_object_set_int_member (fields, "size", (gint64) g_bytes_get_size (pdf));
  json_object_set_string_member (fields, "sha256", sha256);
  json_object_set_int_member (fields, "position", position);
  if (!lk_outbox_put (letter->store, LK_KIND_DOCUMENT, document_id, fields, NULL, error))
    return FALSE;

  g_debug ("Queued letter draft %s of case %s", document_id, letter->case_id);
  letter->document_id = g_steal_pointer (&document_id);
  return TRUE;
}

static void
letter_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LetterData *letter = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = prepare_letter (letter, &error);

  /* Counted here, before the sync that follows can start. */
  letter->outbox_count = lk_outbox_count (letter->store);
  letter->conflict_count = lk_outbox_count_conflicts (letter->store);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
letter_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkSession *self = LK_SESSION (source);
  g_autoptr(GTask) outer = user_data;
  LetterData *letter = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  lk_session_local_action_done (self, letter->case_id, letter->outbox_count, letter->conflict_count);
  g_task_return_pointer (outer, g_strdup (letter->document_id), g_free);
}

/* Public API (lk-session.h, "Local actions") */

void
lk_session_prepare_letter_async (LkSession           *self,
                                 const char          *case_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  LetterData *letter;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (case_id != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, lk_session_prepare_letter_async);

  if (lk_session_get_store (self) == NULL || lk_session_get_sync_engine (self) == NULL ||
      lk_session_get_blob_cache (self) == NULL)
    {
      g_task_return_new_error (outer, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND, "%s",
                               _("The data on this computer is not open yet."));
      return;
    }

  letter = g_new0 (LetterData, 1);
  letter->store = g_object_ref (lk_session_get_store (self));
  letter->cache = g_object_ref (lk_session_get_blob_cache (self));
  letter->case_id = g_strdup (case_id);
  letter->role = lk_session_get_role (self);

  task = g_task_new (self, cancellable, letter_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, lk_session_prepare_letter_async);
  g_task_set_task_data (task, letter, letter_data_free);
  g_task_run_in_thread (task, letter_thread);
}

char *
lk_session_prepare_letter_finish (LkSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
