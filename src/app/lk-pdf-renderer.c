/* lk-pdf-renderer.c — one PDF document, its worker thread and its page cache
 *
 * Poppler documents are not thread safe. Every use of the document happens
 * under one mutex: normally in the renderer's worker (a GThreadPool of one
 * thread whose queue is sorted by priority, so the visible page goes before
 * prefetching, thumbnails and search), and while printing on the main
 * thread. Jobs are GTasks without a source object; each holds the shared
 * state, so a renderer can go away while its last jobs drain. Opening
 * another document bumps a generation: older jobs end as cancelled.
 *
 * This file is the main thread's side; the worker's is lk-pdf-worker.c,
 * the jobs they share are in lk-pdf-job.h.
 *
 * The cache lives on the main thread: textures by (page, scale, rotation),
 * least recently used first out, bounded by bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "lk-pdf-job.h"

typedef struct
{
  int         page;
  double      scale;
  int         rotation;
  gsize       bytes;
  GdkTexture *texture;
} CacheEntry;

struct _LkPdfRenderer
{
  GObject      parent_instance;

  LkPdfShared      *shared;
  GThreadPool *pool;
  int          generation;

  int          n_pages;
  double      *sizes;

  GQueue       cache;        /* of CacheEntry, most recent first */
  gsize        cache_bytes;
  gsize        cache_limit;
  gboolean     sizes_known;  /* else only page 0's, the others estimated */
  GTask       *sizes_task;   /* waiting for sizes_idle_id */
  guint        sizes_idle_id;
};

G_DEFINE_FINAL_TYPE (LkPdfRenderer, lk_pdf_renderer, G_TYPE_OBJECT)

enum {
  PAGE_SIZES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->texture);
  g_free (entry);
}

/* Main thread ------------------------------------------------------------- */

static GTask *
new_job (LkPdfRenderer       *self,
         LkPdfJobKind              kind,
         int                  priority,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LkPdfJob *job = g_new0 (LkPdfJob, 1);

  job->kind = kind;
  job->priority = priority;
  job->generation = self->generation;
  job->shared = lk_pdf_shared_ref (self->shared);
  job->task = task;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, lk_pdf_job_free);
  return task;
}

static void
push_job (LkPdfRenderer *self,
          GTask         *task)
{
  LkPdfJob *job = g_task_get_task_data (task);

  job->seq = g_atomic_int_add (&self->shared->seq, 1);
  g_mutex_lock (&self->shared->pool_lock);
  g_thread_pool_push (self->pool, task, NULL);
  g_mutex_unlock (&self->shared->pool_lock);
}

static void
clear_cache (LkPdfRenderer *self)
{
  g_queue_clear_full (&self->cache, cache_entry_free);
  self->cache_bytes = 0;
}

static void drop_sizes_task (LkPdfRenderer *self);

static void
new_generation (LkPdfRenderer *self)
{
  self->generation++;
  g_atomic_int_set (&self->shared->generation, self->generation);
  drop_sizes_task (self);
  clear_cache (self);
  self->n_pages = 0;
  g_clear_pointer (&self->sizes, g_free);
}

static void
lk_pdf_renderer_dispose (GObject *object)
{
  LkPdfRenderer *self = (LkPdfRenderer *)object;

  if (self->pool != NULL)
    {
      /* Queued jobs see the new generation and end at once; the pool frees
       * itself when they are done, and the last job frees the document. */
      new_generation (self);
      g_mutex_lock (&self->shared->pool_lock);
      self->shared->pool = NULL;
      g_mutex_unlock (&self->shared->pool_lock);
      g_thread_pool_free (self->pool, FALSE, FALSE);
      self->pool = NULL;
    }
  g_clear_pointer (&self->shared, lk_pdf_shared_unref);
  clear_cache (self);

  G_OBJECT_CLASS (lk_pdf_renderer_parent_class)->dispose (object);
}

static void
lk_pdf_renderer_finalize (GObject *object)
{
  LkPdfRenderer *self = (LkPdfRenderer *)object;

  g_free (self->sizes);

  G_OBJECT_CLASS (lk_pdf_renderer_parent_class)->finalize (object);
}

static void
lk_pdf_renderer_class_init (LkPdfRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_pdf_renderer_dispose;
  object_class->finalize = lk_pdf_renderer_finalize;

  /* The sizes of all pages are known now (before, each page was assumed
   * to be as large as the first). */
  signals[PAGE_SIZES_CHANGED] =
    g_signal_new ("page-sizes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lk_pdf_renderer_init (LkPdfRenderer *self)
{
  self->shared = g_new0 (LkPdfShared, 1);
  g_atomic_ref_count_init (&self->shared->ref_count);
  g_mutex_init (&self->shared->lock);
  g_mutex_init (&self->shared->pool_lock);
  g_queue_init (&self->cache);
  self->cache_limit = LK_PDF_CACHE_BYTES;

  self->pool = g_thread_pool_new (lk_pdf_worker_func, NULL, 1, FALSE, NULL);
  g_thread_pool_set_sort_function (self->pool, lk_pdf_job_compare, NULL);
  /* Search jobs push themselves back into the queue. */
  self->shared->pool = self->pool;
}

LkPdfRenderer *
lk_pdf_renderer_new (void)
{
  return g_object_new (LK_TYPE_PDF_RENDERER, NULL);
}

void
lk_pdf_renderer_load_async (LkPdfRenderer       *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  LkPdfJob *job;

  g_return_if_fail (LK_IS_PDF_RENDERER (self));
  g_return_if_fail (path != NULL);

  new_generation (self);
  task = new_job (self, JOB_LOAD, LK_PDF_JOB_PRIORITY_LOAD, lk_pdf_renderer_load_async,
                  cancellable, callback, user_data);
  job = g_task_get_task_data (task);
  job->path = g_strdup (path);
  push_job (self, task);
}

static gboolean
push_sizes_cb (gpointer data)
{
  LkPdfRenderer *self = data;

  self->sizes_idle_id = 0;
  push_job (self, g_steal_pointer (&self->sizes_task));
  return G_SOURCE_REMOVE;
}

static void
drop_sizes_task (LkPdfRenderer *self)
{
  g_clear_handle_id (&self->sizes_idle_id, g_source_remove);
  if (self->sizes_task != NULL)
    {
      g_task_return_error (self->sizes_task, lk_pdf_cancelled_error ());
      g_clear_object (&self->sizes_task);
    }
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
read_sizes_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(LkPdfRenderer) self = g_weak_ref_get (ref);
  LkPdfJob *job = g_task_get_task_data (G_TASK (result));

  g_weak_ref_clear (ref);
  g_free (ref);
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self == NULL ||
      job->generation != self->generation)
    return;

  /* Page 0 was known already. */
  memcpy (self->sizes + 2, job->sizes + 2, sizeof (double) * 2 * (self->n_pages - 1));
  self->sizes_known = TRUE;
  g_signal_emit (self, signals[PAGE_SIZES_CHANGED], 0);
}

gboolean
lk_pdf_renderer_load_finish (LkPdfRenderer  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  LkPdfJob *job;

  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (job->generation != self->generation)
    {
      g_propagate_error (error, lk_pdf_cancelled_error ());
      return FALSE;
    }

  self->n_pages = job->n_pages;
  g_free (self->sizes);
  self->sizes = g_steal_pointer (&job->sizes);
  self->sizes_known = self->n_pages == 1;
  if (!self->sizes_known)
    {
      GTask *task = new_job (self, JOB_SIZES, LK_PDF_PRIORITY_PREFETCH, read_sizes_cb,
                             NULL, read_sizes_cb, weak_ref_new (self));
      LkPdfJob *sizes = g_task_get_task_data (task);

      sizes->n_pages = self->n_pages;
      sizes->n_sized = 1;
      sizes->sizes = g_new0 (double, 2 * self->n_pages);
      /* Queued once the caller asked for the first page, so that it goes
       * first even into an idle worker. */
      self->sizes_task = task;
      self->sizes_idle_id = g_idle_add (push_sizes_cb, self);
    }
  return TRUE;
}

void
lk_pdf_renderer_close (LkPdfRenderer *self)
{
  g_return_if_fail (LK_IS_PDF_RENDERER (self));

  new_generation (self);
}

int
lk_pdf_renderer_get_n_pages (LkPdfRenderer *self)
{
  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), 0);
  return self->n_pages;
}

void
lk_pdf_renderer_get_page_size (LkPdfRenderer *self,
                               int            page,
                               double        *width,
                               double        *height)
{
  g_return_if_fail (LK_IS_PDF_RENDERER (self));
  g_return_if_fail (page >= 0 && page < self->n_pages);

  if (!self->sizes_known)
    page = 0;
  *width = self->sizes[2 * page];
  *height = self->sizes[2 * page + 1];
}

GdkTexture *
lk_pdf_renderer_lookup (LkPdfRenderer *self,
                        int            page,
                        double         scale,
                        int            rotation)
{
  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), NULL);

  for (GList *l = self->cache.head; l != NULL; l = l->next)
    {
      CacheEntry *entry = l->data;

      if (entry->page == page && entry->scale == scale && entry->rotation == rotation)
        {
          g_queue_unlink (&self->cache, l);
          g_queue_push_head_link (&self->cache, l);
          return g_object_ref (entry->texture);
        }
    }

  return NULL;
}

void
lk_pdf_renderer_render_async (LkPdfRenderer       *self,
                              int                  page,
                              double               scale,
                              int                  rotation,
                              LkPdfPriority        priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  LkPdfJob *job;

  g_return_if_fail (LK_IS_PDF_RENDERER (self));
  g_return_if_fail (scale > 0);
  g_return_if_fail (rotation == 0 || rotation == 90 || rotation == 180 || rotation == 270);

  task = new_job (self, JOB_RENDER, priority, lk_pdf_renderer_render_async,
                  cancellable, callback, user_data);
  job = g_task_get_task_data (task);
  job->page = page;
  job->scale = scale;
  job->rotation = rotation;
  push_job (self, task);
}

GdkTexture *
lk_pdf_renderer_render_finish (LkPdfRenderer  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  GdkTexture *texture;
  CacheEntry *entry;
  LkPdfJob *job;

  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  job = g_task_get_task_data (G_TASK (result));
  texture = g_task_propagate_pointer (G_TASK (result), error);
  if (texture == NULL)
    return NULL;
  if (job->generation != self->generation)
    {
      g_object_unref (texture);
      g_propagate_error (error, lk_pdf_cancelled_error ());
      return NULL;
    }

  entry = g_new0 (CacheEntry, 1);
  entry->page = job->page;
  entry->scale = job->scale;
  entry->rotation = job->rotation;
  entry->bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  entry->texture = g_object_ref (texture);
  g_queue_push_head (&self->cache, entry);
  self->cache_bytes += entry->bytes;
  while (self->cache_bytes > self->cache_limit && self->cache.length > 1)
    {
      CacheEntry *old = g_queue_pop_tail (&self->cache);

      self->cache_bytes -= old->bytes;
      cache_entry_free (old);
    }

  return texture;
}

gsize
lk_pdf_renderer_get_cache_size (LkPdfRenderer *self)
{
  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), 0);
  return self->cache_bytes;
}

void
lk_pdf_renderer_set_cache_limit (LkPdfRenderer *self,
                                 gsize          bytes)
{
  g_return_if_fail (LK_IS_PDF_RENDERER (self));

  self->cache_limit = bytes;
}

void
lk_pdf_renderer_get_text_async (LkPdfRenderer          *self,
                                int                     page,
                                const PopplerRectangle *area,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  GTask *task;
  LkPdfJob *job;

  g_return_if_fail (LK_IS_PDF_RENDERER (self));

  task = new_job (self, JOB_TEXT, LK_PDF_PRIORITY_TEXT, lk_pdf_renderer_get_text_async,
                  cancellable, callback, user_data);
  job = g_task_get_task_data (task);
  job->page = page;
  if (area != NULL)
    {
      job->has_area = TRUE;
      job->area = *area;
    }
  push_job (self, task);
}

char *
lk_pdf_renderer_get_text_finish (LkPdfRenderer  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lk_pdf_renderer_get_selection_async (LkPdfRenderer          *self,
                                     int                     page,
                                     const PopplerRectangle *area,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  GTask *task;
  LkPdfJob *job;

  g_return_if_fail (LK_IS_PDF_RENDERER (self));
  g_return_if_fail (area != NULL);

  task = new_job (self, JOB_REGION, LK_PDF_PRIORITY_TEXT, lk_pdf_renderer_get_selection_async,
                  cancellable, callback, user_data);
  job = g_task_get_task_data (task);
  job->page = page;
  job->has_area = TRUE;
  job->area = *area;
  push_job (self, task);
}

GArray *
lk_pdf_renderer_get_selection_finish (LkPdfRenderer  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lk_pdf_renderer_search_async (LkPdfRenderer       *self,
                              const char          *text,
                              int                  first_page,
                              GCancellable        *cancellable,
                              LkPdfSearchPageFunc  page_func,
                              gpointer             page_data,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  LkPdfJob *job;

  g_return_if_fail (LK_IS_PDF_RENDERER (self));
  g_return_if_fail (text != NULL && *text != '\0');
  g_return_if_fail (page_func != NULL);

  task = new_job (self, JOB_SEARCH, LK_PDF_PRIORITY_SEARCH, lk_pdf_renderer_search_async,
                  cancellable, callback, user_data);
  job = g_task_get_task_data (task);
  job->text = g_strdup (text);
  job->first_page = MAX (first_page, 0);
  job->started = g_get_monotonic_time ();
  job->context = g_main_context_ref_thread_default ();
  job->page_func = page_func;
  job->page_data = page_data;
  push_job (self, task);
}

gboolean
lk_pdf_renderer_search_finish (LkPdfRenderer  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

PopplerDocument *
lk_pdf_renderer_lock_document (LkPdfRenderer *self)
{
  g_return_val_if_fail (LK_IS_PDF_RENDERER (self), NULL);

  g_mutex_lock (&self->shared->lock);
  if (self->shared->document == NULL)
    {
      g_mutex_unlock (&self->shared->lock);
      return NULL;
    }
  return self->shared->document;
}

void
lk_pdf_renderer_unlock_document (LkPdfRenderer *self)
{
  g_return_if_fail (LK_IS_PDF_RENDERER (self));

  g_mutex_unlock (&self->shared->lock);
}
