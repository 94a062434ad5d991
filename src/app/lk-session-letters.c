/* lk-session-letters.c — the session's letter draft: rendered in a thread
 * from the service type's template (or the built-in one) with a number
 * from the server (or an offline block) and a new letter id, kept in the
 * blob cache and queued as a new document of the case (the push uploads
 * its blob before the document)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-session-private.h"
#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-numbers.h"
#include "sync/lk-outbox.h"

typedef struct
{
  LkStore      *store;
  LkBlobCache  *cache;
  LkSyncClient *client;         /* NULL while not signed in */
  char         *case_id;
  char         *public_url;      /* the signed-in client's, or NULL */
  char         *server_url;
  LkRole        role;
  char         *document_id;     /* the results */
  char         *number;
  gboolean      offline;
  gint64        outbox_count;    /* after the action */
  gint64        conflict_count;
} LetterData;

typedef struct
{
  char     *document_id;
  char     *number;
  gboolean  offline;
} LetterResult;

static void
letter_data_free (gpointer data)
{
  LetterData *letter = data;

  g_clear_object (&letter->store);
  g_clear_object (&letter->cache);
  g_clear_object (&letter->client);
  g_free (letter->case_id);
  g_free (letter->public_url);
  g_free (letter->server_url);
  g_free (letter->document_id);
  g_free (letter->number);
  g_free (letter);
}

static void
letter_result_free (gpointer data)
{
  LetterResult *result = data;

  g_free (result->document_id);
  g_free (result->number);
  g_free (result);
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

/* The service type's template record (its body parsed and its version), or
 * the built-in template (version 0) when it has none. A stored template
 * that does not parse is refused with the parser's sentence. */
static LkLetterTemplate *
load_template (LkStore        *store,
               LkServiceType  *service,
               gint64         *out_version,
               GError        **error)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GError) local_error = NULL;
  LkLetterTemplate *template;
  const char *body;

  *out_version = 0;
  record = lk_store_get_json (store, LK_KIND_TEMPLATE, lk_service_type_get_id (service), &local_error);
  if (record == NULL)
    {
      if (!g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      template = lk_letter_template_new_default (service);
      if (template == NULL)
        g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE, "%s",
                     _("This service type has no letter template."));
      return template;
    }

  body = json_object_get_string_member_with_default (record, "body", "");
  template = lk_letter_template_parse (body, -1, &local_error);
  if (template == NULL)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                   /* Translators: %s says what is wrong in the template */
                   _("The letter template of this service type cannot be used: %s. "
                     "Ask an administrator to correct it."), local_error->message);
      return NULL;
    }
  *out_version = json_object_get_int_member_with_default (record, "version", 0);
  return template;
}

/* The logo's PNG from the cache, downloaded when signed in; NULL (the
 * letter goes without it) when it cannot be had. */
static char *
find_logo (LetterData             *letter,
           const LkLetterTemplate *template)
{
  const char *sha256 = lk_letter_template_get_logo (template);
  g_autoptr(GError) error = NULL;
  char *path;

  if (sha256 == NULL)
    return NULL;
  path = lk_blob_cache_lookup (letter->cache, sha256);
  if (path == NULL && letter->client != NULL)
    path = lk_sync_client_fetch_blob (letter->client, letter->cache, sha256, NULL, &error);
  if (path == NULL)
    g_debug ("The logo %s of the template is not available: %s", sha256,
             error != NULL ? error->message : "not cached");
  return path;
}

/* Renders into a temporary file and returns its bytes. */
static GBytes *
render (const LkLetterTemplate   *template,
        LkCase                   *kase,
        LkServiceType            *service,
        const LkLetterRenderInfo *info,
        GError                  **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean ok;
  int fd;

  fd = g_file_open_tmp ("loket-letter-XXXXXX.pdf", &path, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);

  ok = lk_letter_template_render (template, kase, service, info, path, error) &&
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
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(JsonObject) unit = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) check = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) number_error = NULL;
  g_autofree char *logo = NULL;
  g_autofree char *number = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *name = NULL;
  g_autofree char *document_id = NULL;
  g_autofree char *remembered_url = NULL;
  LkLetterRenderInfo info = { 0, };
  gboolean offline = FALSE;
  gint64 version = 0;
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
  template = load_template (letter->store, service, &version, error);
  if (template == NULL)
    return FALSE;

  /* The letterhead names the unit; a case whose unit is unknown here still
   * drafts, without it. */
  if (lk_case_get_unit (kase) != NULL)
    unit = lk_store_get_json (letter->store, LK_KIND_UNIT, lk_case_get_unit (kase), NULL);
  info.unit_name = unit != NULL ? json_object_get_string_member_with_default (unit, "name", NULL) : NULL;
  info.unit_address = unit != NULL ? json_object_get_string_member_with_default (unit, "address", NULL) : NULL;
  logo = find_logo (letter, template);
  info.logo_path = logo;
  info.template_version = version;
  /* Offline, the public URL the last sign-in remembered. */
  if (letter->public_url == NULL)
    remembered_url = lk_store_get_meta (letter->store, LK_META_ACCOUNT_PUBLIC_URL);
  info.public_url = letter->public_url != NULL ? letter->public_url
                    : remembered_url != NULL && *remembered_url != '\0' ? remembered_url : letter->server_url;

  /* First without a number: a template the case cannot fill is refused
   * before a number is spent on it. */
  check = render (template, kase, service, &info, error);
  if (check == NULL)
    return FALSE;

  number = lk_numbers_obtain (letter->client, letter->store, letter->case_id, &offline, NULL, &number_error);
  if (number == NULL)
    {
      g_debug ("No number for the letter of case %s: %s", letter->case_id, number_error->message);
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND,
                   /* Translators: %s says why (from the numbering) */
                   _("The letter cannot get a number: %s. Connect to the server, then prepare it again."),
                   number_error->message);
      return FALSE;
    }
  letter_id = lk_letter_new_id ();
  info.number = number;
  info.letter_id = letter_id;

  pdf = render (template, kase, service, &info, error);
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

  g_debug ("Queued letter draft %s (letter %s, template version %" G_GINT64_FORMAT ", %s number) of case %s",
           document_id, letter_id, version, offline ? "offline" : "server", letter->case_id);
  letter->document_id = g_steal_pointer (&document_id);
  letter->number = g_steal_pointer (&number);
  letter->offline = offline;
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
  LetterResult *done;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  lk_session_local_action_done (self, letter->case_id, letter->outbox_count, letter->conflict_count);
  done = g_new0 (LetterResult, 1);
  done->document_id = g_strdup (letter->document_id);
  done->number = g_strdup (letter->number);
  done->offline = letter->offline;
  g_task_return_pointer (outer, done, letter_result_free);
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
  LkSyncClient *client;
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

  client = lk_session_get_client (self);
  letter = g_new0 (LetterData, 1);
  letter->store = g_object_ref (lk_session_get_store (self));
  letter->cache = g_object_ref (lk_session_get_blob_cache (self));
  letter->client = lk_sync_client_is_signed_in (client) ? g_object_ref (client) : NULL;
  letter->case_id = g_strdup (case_id);
  letter->public_url = g_strdup (lk_sync_client_get_public_url (client));
  letter->server_url = g_strdup (lk_session_get_server_url (self));
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
  return lk_session_prepare_letter_finish_full (self, result, NULL, NULL, error);
}

char *
lk_session_prepare_letter_finish_full (LkSession     *self,
                                       GAsyncResult  *result,
                                       char         **out_number,
                                       gboolean      *out_offline,
                                       GError       **error)
{
  LetterResult *done;
  char *document_id;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return NULL;
  if (out_number != NULL)
    *out_number = g_steal_pointer (&done->number);
  if (out_offline != NULL)
    *out_offline = done->offline;
  document_id = g_steal_pointer (&done->document_id);
  letter_result_free (done);
  return document_id;
}
