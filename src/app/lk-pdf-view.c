/* lk-pdf-view.c — shows a PDF attachment, one page at a time
 *
 * Poppler objects are not thread safe, so each view owns one worker thread
 * (a GThreadPool of at most one thread) that does all poppler work for the
 * document: loading it and rendering pages into cairo image surfaces. The
 * pixels come back to the main thread, become a GdkMemoryTexture and are
 * shown in a GtkPicture. A few rendered pages are kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <adwaita.h>
#include <poppler.h>

#include "sync/lk-blob-cache.h"
#include "lk-pdf-view.h"
#include "lk-app-setup.h"

#define POINTS_TO_PIXELS (96.0 / 72.0)
#define MIN_SCALE        (0.25 * POINTS_TO_PIXELS)
#define MAX_SCALE        (4.0 * POINTS_TO_PIXELS)
#define ZOOM_STEP        1.25
#define PAGE_CACHE_SIZE  6
#define FIT_MARGIN       24

/* Shared by the view and the jobs; the document is touched only by the
 * worker thread (or by whoever drops the last reference, after the worker
 * is done with it). */
typedef struct
{
  gatomicrefcount  ref_count;
  int              generation;   /* atomic: jobs of older generations are skipped */
  PopplerDocument *document;
} PdfWorker;

typedef enum
{
  JOB_LOAD,
  JOB_RENDER,
} JobKind;

typedef struct
{
  JobKind    kind;
  PdfWorker *worker;
  GWeakRef   view;
  int        generation;

  /* in */
  char      *path;
  int        page;
  double     scale;

  /* out */
  GError    *error;
  int        n_pages;
  double    *page_widths;
  GBytes    *pixels;
  int        width;
  int        height;
  int        stride;
} PdfJob;

typedef struct
{
  int         page;
  double      scale;
  GdkTexture *texture;
} CachedPage;

struct _LkPdfView
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  AdwStatusPage      *error_page;
  GtkScrolledWindow  *scroller;
  GtkPicture         *picture;
  GtkSpinButton      *page_spin;
  GtkLabel           *n_pages_label;

  GSimpleActionGroup *actions;
  GThreadPool        *pool;
  PdfWorker          *worker;
  GMainContext       *context;
  int                 generation;

  int                 n_pages;
  int                 page;
  int                 rendered_page;
  char               *error;
  double             *page_widths;   /* points, n_pages entries */

  gboolean            fit_width;
  double              zoom;          /* pixels per point when !fit_width */
  int                 last_width;
  guint               relayout_id;

  gboolean            render_busy;
  GQueue              cache;         /* of CachedPage, most recent first */
};

G_DEFINE_FINAL_TYPE (LkPdfView, lk_pdf_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_N_PAGES,
  PROP_PAGE,
  PROP_RENDERED_PAGE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_display (LkPdfView *self);

static PdfWorker *
pdf_worker_ref (PdfWorker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
pdf_worker_unref (PdfWorker *worker)
{
  if (g_atomic_ref_count_dec (&worker->ref_count))
    {
      g_clear_object (&worker->document);
      g_free (worker);
    }
}

static void
pdf_job_free (gpointer data)
{
  PdfJob *job = data;

  g_weak_ref_clear (&job->view);
  pdf_worker_unref (job->worker);
  g_clear_error (&job->error);
  g_clear_pointer (&job->pixels, g_bytes_unref);
  g_free (job->page_widths);
  g_free (job->path);
  g_free (job);
}

static void
cached_page_free (gpointer data)
{
  CachedPage *cached = data;

  g_clear_object (&cached->texture);
  g_free (cached);
}

static void
clear_cache (LkPdfView *self)
{
  g_queue_clear_full (&self->cache, cached_page_free);
}

static CachedPage *
lookup_cache (LkPdfView *self,
              int        page,
              double     scale)
{
  for (GList *l = self->cache.head; l != NULL; l = l->next)
    {
      CachedPage *cached = l->data;

      if (cached->page == page && cached->scale == scale)
        return cached;
    }

  return NULL;
}

/* Worker thread ----------------------------------------------------------- */

static void
worker_load (PdfJob *job)
{
  PdfWorker *worker = job->worker;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  int n_pages;

  g_clear_object (&worker->document);

  mapped = g_mapped_file_new (job->path, FALSE, &error);
  if (mapped == NULL)
    {
      job->error = error;
      return;
    }

  if (g_mapped_file_get_length (mapped) > LK_BLOB_MAX_SIZE)
    {
      job->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                                _("the file is larger than 64 MiB"));
      return;
    }

  bytes = g_mapped_file_get_bytes (mapped);
  worker->document = poppler_document_new_from_bytes (bytes, NULL, &error);
  if (worker->document == NULL)
    {
      if (g_error_matches (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          g_clear_error (&error);
          error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _("the document is protected by a password"));
        }
      job->error = error;
      return;
    }

  n_pages = poppler_document_get_n_pages (worker->document);
  if (n_pages <= 0 || n_pages > LK_PDF_VIEW_MAX_PAGES)
    {
      g_clear_object (&worker->document);
      job->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                n_pages <= 0 ? _("the document has no pages")
                                             : _("the document has too many pages"));
      return;
    }

  job->n_pages = n_pages;
  job->page_widths = g_new0 (double, n_pages);
  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (worker->document, i);
      double width = 0, height = 0;

      if (page != NULL)
        {
          poppler_page_get_size (page, &width, &height);
          g_object_unref (page);
        }
      job->page_widths[i] = width;
    }
}

static void
render_page (PdfJob      *job,
             PopplerPage *page)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double width_pt = 0, height_pt = 0;
  double scale = job->scale;
  double pixels;
  int width, height, stride;

  poppler_page_get_size (page, &width_pt, &height_pt);
  if (!(width_pt > 0 && height_pt > 0 && width_pt < 1e6 && height_pt < 1e6))
    {
      job->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                _("page %d has an invalid size"), job->page + 1);
      return;
    }

  /* Bound the surface, whatever the page claims to measure. */
  pixels = width_pt * scale * height_pt * scale;
  if (pixels > LK_PDF_VIEW_MAX_PIXELS)
    scale *= sqrt (LK_PDF_VIEW_MAX_PIXELS / pixels);
  if (width_pt * scale > LK_PDF_VIEW_MAX_SIDE)
    scale = LK_PDF_VIEW_MAX_SIDE / width_pt;
  if (height_pt * scale > LK_PDF_VIEW_MAX_SIDE)
    scale = LK_PDF_VIEW_MAX_SIDE / height_pt;

  width = MAX (1, (int) ceil (width_pt * scale));
  height = MAX (1, (int) ceil (height_pt * scale));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      job->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                                _("not enough memory to draw the page"));
      return;
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  stride = cairo_image_surface_get_stride (surface);
  job->pixels = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * height);
  job->width = width;
  job->height = height;
  job->stride = stride;
  cairo_surface_destroy (surface);
}

static void
worker_render (PdfJob *job)
{
  PopplerPage *page;

  if (job->worker->document == NULL)
    return;

  page = poppler_document_get_page (job->worker->document, job->page);
  if (page == NULL)
    {
      job->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                _("page %d cannot be read"), job->page + 1);
      return;
    }

  render_page (job, page);
  g_object_unref (page);
}

static gboolean job_done_cb (gpointer data);

static void
worker_func (gpointer data,
             gpointer user_data)
{
  PdfJob *job = data;
  GMainContext *context = user_data;

  if (job->generation != g_atomic_int_get (&job->worker->generation))
    {
      pdf_job_free (job);
      return;
    }

  if (job->kind == JOB_LOAD)
    worker_load (job);
  else
    worker_render (job);

  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, job_done_cb, job, pdf_job_free);
}

/* Main thread ------------------------------------------------------------- */

static void
push_job (LkPdfView *self,
          PdfJob    *job)
{
  job->worker = pdf_worker_ref (self->worker);
  job->generation = self->generation;
  g_weak_ref_init (&job->view, self);
  g_thread_pool_push (self->pool, job, NULL);
}

static void
set_rendered_page (LkPdfView *self,
                   int        page)
{
  if (self->rendered_page == page)
    return;
  self->rendered_page = page;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERED_PAGE]);
}

static void
set_error (LkPdfView  *self,
           const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_n_pages (LkPdfView *self,
             int        n_pages)
{
  if (self->n_pages == n_pages)
    return;
  self->n_pages = n_pages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
}

static void
update_actions (LkPdfView *self)
{
  gboolean has_doc = self->n_pages > 0 && self->error == NULL;
  struct {
    const char *name;
    gboolean    enabled;
  } states[] = {
    { "previous-page", has_doc && self->page > 0 },
    { "next-page", has_doc && self->page + 1 < self->n_pages },
    { "zoom-in", has_doc },
    { "zoom-out", has_doc },
    { "zoom-fit", has_doc && !self->fit_width },
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), states[i].name);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), states[i].enabled);
    }
}

static double
current_scale (LkPdfView *self)
{
  double scale = self->zoom;

  if (self->fit_width && self->page_widths != NULL)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self->scroller)) - FIT_MARGIN;
      double page_width = self->page_widths[self->page];

      if (width > 0 && page_width > 0)
        scale = width / page_width;
    }

  scale = CLAMP (scale, MIN_SCALE, MAX_SCALE);
  /* Quantised, so that small resizes reuse the cache. */
  return round (scale * 50.0) / 50.0;
}

static void
show_texture (LkPdfView  *self,
              GdkTexture *texture)
{
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  set_rendered_page (self, self->page);
}

static void
update_display (LkPdfView *self)
{
  CachedPage *cached;
  PdfJob *job;
  double scale;

  update_actions (self);

  if (self->n_pages <= 0 || self->error != NULL)
    return;

  scale = current_scale (self);
  cached = lookup_cache (self, self->page, scale);
  if (cached != NULL)
    {
      show_texture (self, cached->texture);
      return;
    }

  if (self->render_busy)
    return;

  job = g_new0 (PdfJob, 1);
  job->kind = JOB_RENDER;
  job->page = self->page;
  job->scale = scale;
  self->render_busy = TRUE;
  push_job (self, job);
}

static void
show_error_page (LkPdfView  *self,
                 const char *reason)
{
  g_autofree char *message = g_strdup_printf (_("This attachment cannot be shown: %s"), reason);

  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_picture_set_paintable (self->picture, NULL);
  set_rendered_page (self, -1);
  set_error (self, message);
  update_actions (self);
}

static gboolean
job_done_cb (gpointer data)
{
  PdfJob *job = data;
  g_autoptr(LkPdfView) self = g_weak_ref_get (&job->view);

  if (self == NULL || job->generation != self->generation)
    return G_SOURCE_REMOVE;

  if (job->kind == JOB_LOAD)
    {
      if (job->error != NULL)
        {
          show_error_page (self, job->error->message);
          return G_SOURCE_REMOVE;
        }

      g_free (self->page_widths);
      self->page_widths = g_steal_pointer (&job->page_widths);
      set_n_pages (self, job->n_pages);
      gtk_spin_button_set_range (self->page_spin, 1, job->n_pages);
      gtk_spin_button_set_value (self->page_spin, self->page + 1);
      {
        g_autofree char *text = g_strdup_printf (_("of %d"), job->n_pages);
        gtk_label_set_label (self->n_pages_label, text);
      }
      gtk_stack_set_visible_child_name (self->stack, "document");
      update_display (self);
      return G_SOURCE_REMOVE;
    }

  self->render_busy = FALSE;

  if (job->error != NULL)
    {
      show_error_page (self, job->error->message);
      return G_SOURCE_REMOVE;
    }

  if (job->pixels != NULL)
    {
      CachedPage *cached = g_new0 (CachedPage, 1);

      cached->page = job->page;
      cached->scale = job->scale;
      cached->texture = gdk_memory_texture_new (job->width, job->height, GDK_MEMORY_DEFAULT,
                                                job->pixels, job->stride);
      g_queue_push_head (&self->cache, cached);
      while (g_queue_get_length (&self->cache) > PAGE_CACHE_SIZE)
        cached_page_free (g_queue_pop_tail (&self->cache));
    }

  update_display (self);
  return G_SOURCE_REMOVE;
}

static void
reset (LkPdfView *self)
{
  self->generation++;
  g_atomic_int_set (&self->worker->generation, self->generation);
  self->render_busy = FALSE;
  clear_cache (self);
  g_clear_pointer (&self->page_widths, g_free);
  gtk_picture_set_paintable (self->picture, NULL);
  self->fit_width = TRUE;

  g_object_freeze_notify (G_OBJECT (self));
  set_n_pages (self, 0);
  if (self->page != 0)
    {
      self->page = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
  set_rendered_page (self, -1);
  set_error (self, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
relayout_cb (gpointer data)
{
  LkPdfView *self = data;

  self->relayout_id = 0;
  update_display (self);
  return G_SOURCE_REMOVE;
}

static void
page_spin_value_changed_cb (LkPdfView     *self,
                            GtkSpinButton *spin)
{
  lk_pdf_view_set_page (self, gtk_spin_button_get_value_as_int (spin) - 1);
}

static void
next_page_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  LkPdfView *self = user_data;

  lk_pdf_view_set_page (self, self->page + 1);
}

static void
previous_page_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  LkPdfView *self = user_data;

  lk_pdf_view_set_page (self, self->page - 1);
}

static void
set_zoom (LkPdfView *self,
          double     zoom)
{
  self->zoom = CLAMP (zoom, MIN_SCALE, MAX_SCALE);
  self->fit_width = FALSE;
  update_display (self);
}

static void
zoom_in_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  LkPdfView *self = user_data;

  set_zoom (self, current_scale (self) * ZOOM_STEP);
}

static void
zoom_out_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  LkPdfView *self = user_data;

  set_zoom (self, current_scale (self) / ZOOM_STEP);
}

static void
zoom_fit_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  LkPdfView *self = user_data;

  self->fit_width = TRUE;
  update_display (self);
}

static void
lk_pdf_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  LkPdfView *self = LK_PDF_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
lk_pdf_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  LkPdfView *self = LK_PDF_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);

  /* Fit-width depends on the size: render again, but not during allocation. */
  if (width != self->last_width)
    {
      self->last_width = width;
      if (self->fit_width && self->n_pages > 0 && self->relayout_id == 0)
        self->relayout_id = g_idle_add (relayout_cb, self);
    }
}

static void
lk_pdf_view_dispose (GObject *object)
{
  LkPdfView *self = (LkPdfView *)object;

  if (self->worker != NULL)
    {
      /* Queued jobs see the new generation and end at once; the pool frees
       * itself when they are done. */
      g_atomic_int_inc (&self->worker->generation);
      g_clear_pointer (&self->worker, pdf_worker_unref);
    }
  if (self->pool != NULL)
    {
      g_thread_pool_free (self->pool, FALSE, FALSE);
      self->pool = NULL;
    }
  g_clear_handle_id (&self->relayout_id, g_source_remove);
  clear_cache (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PDF_VIEW);

  G_OBJECT_CLASS (lk_pdf_view_parent_class)->dispose (object);
}

static void
lk_pdf_view_finalize (GObject *object)
{
  LkPdfView *self = (LkPdfView *)object;

  g_clear_object (&self->actions);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->page_widths);
  g_free (self->error);

  G_OBJECT_CLASS (lk_pdf_view_parent_class)->finalize (object);
}

static void
lk_pdf_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LkPdfView *self = LK_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_N_PAGES:
      g_value_set_int (value, self->n_pages);
      break;
    case PROP_PAGE:
      g_value_set_int (value, self->page);
      break;
    case PROP_RENDERED_PAGE:
      g_value_set_int (value, self->rendered_page);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_pdf_view_class_init (LkPdfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_pdf_view_dispose;
  object_class->finalize = lk_pdf_view_finalize;
  object_class->get_property = lk_pdf_view_get_property;

  widget_class->measure = lk_pdf_view_measure;
  widget_class->size_allocate = lk_pdf_view_size_allocate;

  properties[PROP_N_PAGES] =
    g_param_spec_int ("n-pages", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAGE] =
    g_param_spec_int ("page", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RENDERED_PAGE] =
    g_param_spec_int ("rendered-page", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-pdf-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, stack);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, error_page);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, scroller);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, picture);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, page_spin);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, n_pages_label);
  gtk_widget_class_bind_template_callback (widget_class, page_spin_value_changed_cb);

  gtk_widget_class_set_css_name (widget_class, "lk-pdf-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static const GActionEntry action_entries[] = {
  { "next-page", next_page_cb },
  { "previous-page", previous_page_cb },
  { "zoom-in", zoom_in_cb },
  { "zoom-out", zoom_out_cb },
  { "zoom-fit", zoom_fit_cb },
};

static void
lk_pdf_view_init (LkPdfView *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rendered_page = -1;
  self->fit_width = TRUE;
  self->zoom = POINTS_TO_PIXELS;
  self->last_width = -1;
  g_queue_init (&self->cache);

  self->context = g_main_context_ref_thread_default ();
  self->worker = g_new0 (PdfWorker, 1);
  g_atomic_ref_count_init (&self->worker->ref_count);
  self->pool = g_thread_pool_new (worker_func, self->context, 1, FALSE, NULL);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "pdf", G_ACTION_GROUP (self->actions));
  update_actions (self);

  /* Page Up/Down turn pages while the focus is in the view (before the
   * scrolled window would scroll). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Down, 0),
                                                          gtk_named_action_new ("pdf.next-page")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Up, 0),
                                                          gtk_named_action_new ("pdf.previous-page")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

GtkWidget *
lk_pdf_view_new (void)
{
  return g_object_new (LK_TYPE_PDF_VIEW, NULL);
}

void
lk_pdf_view_load_file (LkPdfView  *self,
                       const char *path)
{
  PdfJob *job;

  g_return_if_fail (LK_IS_PDF_VIEW (self));
  g_return_if_fail (path != NULL);

  reset (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);

  job = g_new0 (PdfJob, 1);
  job->kind = JOB_LOAD;
  job->path = g_strdup (path);
  push_job (self, job);
}

void
lk_pdf_view_set_loading (LkPdfView *self)
{
  g_return_if_fail (LK_IS_PDF_VIEW (self));

  reset (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
}

void
lk_pdf_view_show_error (LkPdfView  *self,
                        const char *message)
{
  g_return_if_fail (LK_IS_PDF_VIEW (self));
  g_return_if_fail (message != NULL);

  reset (self);
  show_error_page (self, message);
}

void
lk_pdf_view_clear (LkPdfView *self)
{
  g_return_if_fail (LK_IS_PDF_VIEW (self));

  reset (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);
}

int
lk_pdf_view_get_n_pages (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), 0);
  return self->n_pages;
}

int
lk_pdf_view_get_page (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), 0);
  return self->page;
}

void
lk_pdf_view_set_page (LkPdfView *self,
                      int        page)
{
  g_return_if_fail (LK_IS_PDF_VIEW (self));

  if (self->n_pages <= 0)
    return;

  page = CLAMP (page, 0, self->n_pages - 1);
  if (page != self->page)
    {
      self->page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }

  g_signal_handlers_block_by_func (self->page_spin, page_spin_value_changed_cb, self);
  gtk_spin_button_set_value (self->page_spin, page + 1);
  g_signal_handlers_unblock_by_func (self->page_spin, page_spin_value_changed_cb, self);

  update_display (self);
}

int
lk_pdf_view_get_rendered_page (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), -1);
  return self->rendered_page;
}

const char *
lk_pdf_view_get_error (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), NULL);
  return self->error;
}

GActionGroup *
lk_pdf_view_get_actions (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), NULL);
  return G_ACTION_GROUP (self->actions);
}
