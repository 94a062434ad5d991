/* lk-pdf-worker.c — the worker thread's side of LkPdfRenderer: poppler
 *
 * Every use of the document happens under its lock, one job at a time:
 * open it (and read the first page's size), read the other pages' sizes,
 * render a page (bounded in pixels, rotated) into a texture, get text or a
 * selection's outline, or search one page. Searching and reading sizes
 * re-queue themselves page by page (or SIZES_PER_JOB pages), so that a
 * render the user waits for goes first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "sync/lk-blob-cache.h"
#include "lk-pdf-job.h"

LkPdfShared *
lk_pdf_shared_ref (LkPdfShared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

void
lk_pdf_shared_unref (LkPdfShared *shared)
{
  if (g_atomic_ref_count_dec (&shared->ref_count))
    {
      g_clear_object (&shared->document);
      g_mutex_clear (&shared->lock);
      g_mutex_clear (&shared->pool_lock);
      g_free (shared);
    }
}

void
lk_pdf_job_free (gpointer data)
{
  LkPdfJob *job = data;

  g_clear_pointer (&job->shared, lk_pdf_shared_unref);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->path);
  g_free (job->sizes);
  g_free (job->text);
  g_free (job);
}

GError *
lk_pdf_cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
}

static GError *
failed_error (const char *message)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
}

/* Worker thread (document lock held) -------------------------------------- */

static void
read_sizes (PopplerDocument *document,
            double          *sizes,
            int              first,
            int              end)
{
  /* Page objects are cheap in poppler (no content is parsed here). */
  for (int i = first; i < end; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      double width = 0, height = 0;

      if (page != NULL)
        {
          poppler_page_get_size (page, &width, &height);
          g_object_unref (page);
        }
      if (!(width > 0 && height > 0 && width < 1e6 && height < 1e6))
        width = 612, height = 792;
      sizes[2 * i] = width;
      sizes[2 * i + 1] = height;
    }
}

static GError *
worker_load (LkPdfJob *job)
{
  LkPdfShared *shared = job->shared;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  int n_pages;

  g_clear_object (&shared->document);

  mapped = g_mapped_file_new (job->path, FALSE, &error);
  if (mapped == NULL)
    return error;
  if (g_mapped_file_get_length (mapped) > LK_BLOB_MAX_SIZE)
    return failed_error (_("the file is larger than 64 MiB"));

  bytes = g_mapped_file_get_bytes (mapped);
  shared->document = poppler_document_new_from_bytes (bytes, NULL, &error);
  if (shared->document == NULL)
    {
      if (g_error_matches (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          g_clear_error (&error);
          return failed_error (_("the document is protected by a password"));
        }
      g_clear_error (&error);
      return failed_error (_("the file is damaged or is not a PDF document"));
    }

  n_pages = poppler_document_get_n_pages (shared->document);
  if (n_pages <= 0 || n_pages > LK_PDF_MAX_PAGES)
    {
      g_clear_object (&shared->document);
      return failed_error (n_pages <= 0 ? _("the document has no pages")
                                        : _("the document has too many pages"));
    }

  /* Only the first page's size now: the others come in a JOB_SIZES,
   * after the first page is on screen. */
  job->n_pages = n_pages;
  job->sizes = g_new0 (double, 2 * n_pages);
  read_sizes (shared->document, job->sizes, 0, 1);
  return NULL;
}

static GError *
worker_render (LkPdfJob         *job,
               PopplerPage *page,
               GdkTexture **out)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *bytes;
  double width_pt = 0, height_pt = 0;
  double scale = job->scale;
  double pixels;
  int width, height, stride;
  gboolean swap = job->rotation == 90 || job->rotation == 270;

  poppler_page_get_size (page, &width_pt, &height_pt);
  if (!(width_pt > 0 && height_pt > 0 && width_pt < 1e6 && height_pt < 1e6))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, _("page %d has an invalid size"), job->page + 1);

  /* Bound the surface, whatever the page claims to measure. */
  pixels = width_pt * scale * height_pt * scale;
  if (pixels > LK_PDF_MAX_PIXELS)
    scale *= sqrt (LK_PDF_MAX_PIXELS / pixels);
  if (width_pt * scale > LK_PDF_MAX_SIDE)
    scale = LK_PDF_MAX_SIDE / width_pt;
  if (height_pt * scale > LK_PDF_MAX_SIDE)
    scale = LK_PDF_MAX_SIDE / height_pt;

  width = MAX (1, (int) ceil (width_pt * scale));
  height = MAX (1, (int) ceil (height_pt * scale));
  if (swap)
    {
      int tmp = width;
      width = height;
      height = tmp;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return failed_error (_("not enough memory to draw the page"));
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  switch (job->rotation)
    {
    case 90:
      cairo_translate (cr, width, 0);
      break;
    case 180:
      cairo_translate (cr, width, height);
      break;
    case 270:
      cairo_translate (cr, 0, height);
      break;
    default:
      break;
    }
  cairo_rotate (cr, job->rotation * G_PI / 180.0);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  stride = cairo_image_surface_get_stride (surface);
  /* The surface's memory becomes the texture's, without a copy. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  *out = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
  g_bytes_unref (bytes);
  return NULL;
}

typedef struct
{
  LkPdfJob              *job;     /* borrowed: the task outlives this */
  GTask            *task;
  int               page;
  PopplerRectangle *rects;
  guint             n_rects;
} SearchPage;

static void
search_page_free (gpointer data)
{
  SearchPage *result = data;

  g_object_unref (result->task);
  g_free (result->rects);
  g_free (result);
}

static gboolean
search_page_cb (gpointer data)
{
  SearchPage *result = data;

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (result->task)))
    result->job->page_func (result->page, result->rects, result->n_rects, result->job->page_data);
  return G_SOURCE_REMOVE;
}

/* One page; FALSE when the search is over. */
static gboolean
worker_search_page (LkPdfJob     *job,
                    GError **error)
{
  PopplerPage *page;
  GList *matches;
  double width = 0, height = 0;
  int n_pages = poppler_document_get_n_pages (job->shared->document);
  int index = (job->first_page + job->n_searched) % MAX (n_pages, 1);

  if (job->n_searched >= n_pages)
    return FALSE;

  page = poppler_document_get_page (job->shared->document, index);
  job->n_searched++;
  if (page == NULL)
    return job->n_searched < n_pages;

  poppler_page_get_size (page, &width, &height);
  matches = poppler_page_find_text_with_options (page, job->text, POPPLER_FIND_DEFAULT);
  g_object_unref (page);
  if (matches != NULL)
    {
      SearchPage *result = g_new0 (SearchPage, 1);
      guint i = 0;

      result->job = job;
      result->task = g_object_ref (job->task);
      result->page = index;
      result->n_rects = g_list_length (matches);
      result->rects = g_new0 (PopplerRectangle, result->n_rects);
      for (GList *l = matches; l != NULL; l = l->next, i++)
        {
          PopplerRectangle *rect = l->data;

          /* find_text answers with the origin at the bottom left. */
          result->rects[i].x1 = rect->x1;
          result->rects[i].x2 = rect->x2;
          result->rects[i].y1 = height - rect->y2;
          result->rects[i].y2 = height - rect->y1;
        }
      job->n_matches += result->n_rects;
      g_list_free_full (matches, (GDestroyNotify) poppler_rectangle_free);
      g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, search_page_cb, result, search_page_free);
    }

  if (job->n_matches >= LK_PDF_SEARCH_MAX_MATCHES ||
      g_get_monotonic_time () - job->started > LK_PDF_SEARCH_MAX_SECONDS * G_USEC_PER_SEC)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           job->n_matches >= LK_PDF_SEARCH_MAX_MATCHES
                             ? _("The search stopped: too many matches.")
                             : _("The search stopped: it took too long."));
      return FALSE;
    }

  return job->n_searched < n_pages;
}

/* Sub-point precision for the selection's outline. */
#define REGION_SCALE 4.0

static GArray *
worker_region (LkPdfJob         *job,
               PopplerPage *page)
{
  cairo_region_t *region = poppler_page_get_selected_region (page, REGION_SCALE, POPPLER_SELECTION_GLYPH,
                                                             &job->area);
  int n = cairo_region_num_rectangles (region);
  GArray *rects = g_array_sized_new (FALSE, FALSE, sizeof (PopplerRectangle), n);

  for (int i = 0; i < n; i++)
    {
      cairo_rectangle_int_t r;
      PopplerRectangle rect;

      cairo_region_get_rectangle (region, i, &r);
      rect.x1 = r.x / REGION_SCALE;
      rect.y1 = r.y / REGION_SCALE;
      rect.x2 = (r.x + r.width) / REGION_SCALE;
      rect.y2 = (r.y + r.height) / REGION_SCALE;
      g_array_append_val (rects, rect);
    }
  cairo_region_destroy (region);
  return rects;
}

void
lk_pdf_worker_func (gpointer data,
             gpointer user_data)
{
  GTask *task = data;
  LkPdfJob *job = g_task_get_task_data (task);
  LkPdfShared *shared = job->shared;
  GError *error = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)) ||
      job->generation != g_atomic_int_get (&shared->generation))
    {
      g_task_return_error (task, lk_pdf_cancelled_error ());
      g_object_unref (task);
      return;
    }

  g_mutex_lock (&shared->lock);

  if (job->kind == JOB_LOAD)
    {
      error = worker_load (job);
      g_mutex_unlock (&shared->lock);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  if (shared->document == NULL)
    {
      g_mutex_unlock (&shared->lock);
      g_task_return_error (task, failed_error (_("no document is open")));
      g_object_unref (task);
      return;
    }

  if (job->kind == JOB_SEARCH || job->kind == JOB_SIZES)
    {
      gboolean more;

      if (job->kind == JOB_SEARCH)
        more = worker_search_page (job, &error);
      else
        {
          int end = MIN (job->n_sized + SIZES_PER_JOB, job->n_pages);

          read_sizes (shared->document, job->sizes, job->n_sized, end);
          job->n_sized = end;
          more = end < job->n_pages;
        }

      g_mutex_unlock (&shared->lock);
      if (more)
        {
          gboolean pushed = FALSE;

          /* Back into the queue, behind anything more urgent. */
          g_mutex_lock (&shared->pool_lock);
          if (shared->pool != NULL)
            {
              job->seq = g_atomic_int_add (&shared->seq, 1);
              g_thread_pool_push (shared->pool, task, NULL);
              pushed = TRUE;
            }
          g_mutex_unlock (&shared->pool_lock);
          if (pushed)
            return;
          error = lk_pdf_cancelled_error ();
        }
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  {
    PopplerPage *page = poppler_document_get_page (shared->document, job->page);

    if (page == NULL)
      {
        g_mutex_unlock (&shared->lock);
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("page %d cannot be read"), job->page + 1);
        g_object_unref (task);
        return;
      }

    if (job->kind == JOB_RENDER)
      {
        GdkTexture *texture = NULL;

        error = worker_render (job, page, &texture);
        g_clear_object (&page);
        g_mutex_unlock (&shared->lock);
        if (error != NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, texture, g_object_unref);
      }
    else if (job->kind == JOB_REGION)
      {
        GArray *rects = worker_region (job, page);

        g_clear_object (&page);
        g_mutex_unlock (&shared->lock);
        g_task_return_pointer (task, rects, (GDestroyNotify) g_array_unref);
      }
    else
      {
        char *text;

        if (job->has_area)
          text = poppler_page_get_selected_text (page, POPPLER_SELECTION_GLYPH, &job->area);
        else
          text = poppler_page_get_text (page);
        g_clear_object (&page);
        g_mutex_unlock (&shared->lock);
        g_task_return_pointer (task, text != NULL ? text : g_strdup (""), g_free);
      }
  }
  g_object_unref (task);
}

int
lk_pdf_job_compare (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const LkPdfJob *ja = g_task_get_task_data ((GTask *) a);
  const LkPdfJob *jb = g_task_get_task_data ((GTask *) b);

  if (ja->priority != jb->priority)
    return ja->priority < jb->priority ? -1 : 1;
  return ja->seq < jb->seq ? -1 : ja->seq > jb->seq;
}
