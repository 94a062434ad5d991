/* lk-template-jobs.c — the template editor's work in threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lk-template-jobs.h"
#include "letter/lk-letter-template.h"
#include "store/lk-store-private.h"
#include "sync/lk-outbox.h"

typedef struct
{
  LkStore     *store;
  LkBlobCache *cache;
  gboolean     list;
  char        *service_type_id;
  char        *json;
  char        *case_id;
  char        *out_path;
  char        *case_label;    /* preview result */
} JobData;

static void
job_data_free (gpointer data)
{
  JobData *job = data;

  g_clear_object (&job->store);
  g_clear_object (&job->cache);
  g_free (job->service_type_id);
  g_free (job->json);
  g_free (job->case_id);
  g_free (job->out_path);
  g_free (job->case_label);
  g_free (job);
}

void
lk_template_load_free (LkTemplateLoad *load)
{
  if (load == NULL)
    return;
  g_clear_pointer (&load->service_types, g_ptr_array_unref);
  g_clear_pointer (&load->record, json_object_unref);
  g_free (load->service_type_id);
  g_free (load->json);
  g_free (load->case_id);
  g_free (load);
}

/* Helpers */

static LkServiceType *
find_service_type (GPtrArray  *types,
                   const char *id)
{
  for (guint i = 0; types != NULL && i < types->len; i++)
    if (g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (types, i)), id) == 0)
      return g_ptr_array_index (types, i);
  return NULL;
}

/* The newest case of the service type on this computer, or NULL. */
static char *
find_case (LkStore    *store,
           const char *service_type_id)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  char *id = NULL;

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT id FROM cases WHERE service_type = ?1 "
                                  "ORDER BY created_at DESC, id LIMIT 1", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, service_type_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  lk_store_unlock (store);
  if (error != NULL)
    g_debug ("No case for the preview: %s", error->message);
  return id;
}

/* Whether a conflict of the template waits for the user. */
static gboolean
has_conflict (LkStore    *store,
              const char *service_type_id)
{
  g_autoptr(GPtrArray) conflicts = lk_outbox_list_conflicts (store, FALSE, NULL);

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      LkConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (conflict->kind, LK_KIND_TEMPLATE) == 0 &&
          g_strcmp0 (conflict->record_id, service_type_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  JobData *job = task_data;
  g_autoptr(LkTemplateLoad) load = g_new0 (LkTemplateLoad, 1);
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GError) error = NULL;
  LkServiceType *service;

  types = lk_store_list_service_types (job->store, &error);
  if (types == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->list)
    load->service_types = g_ptr_array_ref (types);

  service = job->service_type_id != NULL ? find_service_type (types, job->service_type_id) : NULL;
  if (service != NULL)
    {
      load->service_type_id = g_strdup (job->service_type_id);
      load->record = lk_store_get_json (job->store, LK_KIND_TEMPLATE, job->service_type_id, &error);
      if (load->record == NULL && !g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_clear_error (&error);

      if (load->record != NULL)
        load->json = g_strdup (json_object_get_string_member_with_default (load->record, "body", ""));
      else
        {
          g_autoptr(LkLetterTemplate) builtin = lk_letter_template_new_default (service);

          load->json = builtin != NULL ? lk_letter_template_to_json (builtin) : NULL;
        }
      load->pending = lk_outbox_has_pending (job->store, job->service_type_id);
      load->conflict = has_conflict (job->store, job->service_type_id);
      load->case_id = find_case (job->store, job->service_type_id);
    }

  g_task_return_pointer (task, g_steal_pointer (&load), (GDestroyNotify) lk_template_load_free);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  JobData *job = task_data;
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(JsonObject) unit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *logo = NULL;
  LkLetterRenderInfo info = { 0, };
  LkServiceType *service;

  template = lk_letter_template_parse (job->json, -1, &error);
  if (template == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  types = lk_store_list_service_types (job->store, &error);
  service = types != NULL ? find_service_type (types, job->service_type_id) : NULL;
  if (service == NULL)
    {
      g_task_return_new_error (task, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND, "%s",
                               _("The service type is not on this computer any more."));
      return;
    }

  if (job->case_id != NULL)
    kase = lk_store_get_case (job->store, job->case_id, NULL);
  if (kase != NULL)
    job->case_label = g_strdup_printf (_("Preview with the case %s of %s"), lk_case_get_receipt (kase),
                                       lk_case_get_applicant_name (kase) != NULL
                                       ? lk_case_get_applicant_name (kase) : "—");
  else
    {
      kase = lk_case_new_sample (service);
      job->case_label = g_strdup (_("Preview with a made-up applicant"));
    }

  if (lk_case_get_unit (kase) != NULL)
    unit = lk_store_get_json (job->store, LK_KIND_UNIT, lk_case_get_unit (kase), NULL);
  info.unit_name = unit != NULL ? json_object_get_string_member_with_default (unit, "name", NULL) : NULL;
  info.unit_address = unit != NULL ? json_object_get_string_member_with_default (unit, "address", NULL) : NULL;
  if (lk_letter_template_get_logo (template) != NULL)
    logo = lk_blob_cache_lookup (job->cache, lk_letter_template_get_logo (template));
  info.logo_path = logo;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!lk_letter_template_render (template, kase, service, &info, job->out_path, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
logo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LkSyncClient *client = source_object;
  GFile *file = task_data;
  LkBlobCache *cache = g_object_get_data (G_OBJECT (task), "cache");
  static const guchar png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cached = NULL;
  GdkPixbuf *pixbuf;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_size (info) > LK_TEMPLATE_LOGO_MAX_BYTES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The logo is larger than %d KiB; choose a smaller image."),
                               LK_TEMPLATE_LOGO_MAX_BYTES / 1024);
      return;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (length > LK_TEMPLATE_LOGO_MAX_BYTES || length < sizeof png_signature ||
      memcmp (contents, png_signature, sizeof png_signature) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                               _("The file is not a PNG image; choose a PNG."));
      return;
    }

  loader = gdk_pixbuf_loader_new_with_type ("png", &error);
  if (loader == NULL ||
      !gdk_pixbuf_loader_write (loader, (const guchar *) contents, length, &error) ||
      !gdk_pixbuf_loader_close (loader, &error) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      g_debug ("A logo did not load: %s", error != NULL ? error->message : "no image");
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                               _("The PNG image is damaged; choose another one."));
      return;
    }
  if (gdk_pixbuf_get_width (pixbuf) > LK_TEMPLATE_LOGO_MAX_PIXELS ||
      gdk_pixbuf_get_height (pixbuf) > LK_TEMPLATE_LOGO_MAX_PIXELS)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The logo is larger than %d × %d pixels; choose a smaller image."),
                               LK_TEMPLATE_LOGO_MAX_PIXELS, LK_TEMPLATE_LOGO_MAX_PIXELS);
      return;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  sha256 = lk_blob_compute_sha256 (bytes);
  cached = lk_blob_cache_store (cache, sha256, bytes, &error);
  if (cached == NULL || !lk_sync_client_upload_blob (client, cache, sha256, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&sha256), g_free);
}

/* Public API */

void
lk_template_load_async (LkStore             *store,
                        gboolean             list,
                        const char          *service_type_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  JobData *job = g_new0 (JobData, 1);

  job->store = g_object_ref (store);
  job->list = list;
  job->service_type_id = g_strdup (service_type_id);
  g_task_set_source_tag (task, lk_template_load_async);
  g_task_set_task_data (task, job, job_data_free);
  g_task_run_in_thread (task, load_thread);
}

LkTemplateLoad *
lk_template_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lk_template_preview_async (LkStore             *store,
                           LkBlobCache         *cache,
                           const char          *service_type_id,
                           const char          *json,
                           const char          *case_id,
                           const char          *out_path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  JobData *job = g_new0 (JobData, 1);

  job->store = g_object_ref (store);
  job->cache = g_object_ref (cache);
  job->service_type_id = g_strdup (service_type_id);
  job->json = g_strdup (json);
  job->case_id = g_strdup (case_id);
  job->out_path = g_strdup (out_path);
  g_task_set_source_tag (task, lk_template_preview_async);
  g_task_set_task_data (task, job, job_data_free);
  g_task_run_in_thread (task, preview_thread);
}

gboolean
lk_template_preview_finish (GAsyncResult  *result,
                            char         **out_path,
                            char         **out_case_label,
                            GError       **error)
{
  JobData *job = g_task_get_task_data (G_TASK (result));

  *out_path = g_strdup (job->out_path);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_case_label != NULL)
    *out_case_label = g_strdup (job->case_label);
  return TRUE;
}

void
lk_template_logo_async (LkSyncClient        *client,
                        LkBlobCache         *cache,
                        GFile               *file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, lk_template_logo_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "cache", g_object_ref (cache), g_object_unref);
  g_task_run_in_thread (task, logo_thread);
}

char *
lk_template_logo_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
