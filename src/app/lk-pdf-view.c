/* lk-pdf-view.c — shows a PDF attachment: pages, thumbnails, zoom, search
 *
 * All poppler work happens in the LkPdfRenderer's worker thread; this file
 * only asks for pages at a scale and rotation and shows the textures that
 * come back. Opening costs the main thread nothing per page: the page sizes
 * come from the worker, the thumbnail strip is a list view over a lazy
 * model. The visible page goes first in the worker's queue; when it is
 * shown, the next page is rendered ahead so that turning to it only swaps a
 * texture. A request that no longer matches what should be on screen is
 * cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "lk-app-setup.h"
#include "lk-pdf-print.h"
#include "lk-pdf-view-private.h"
#include "lk-wrap-layout.h"

#define POINTS_TO_PIXELS LK_PDF_VIEW_POINTS_TO_PIXELS
#define FIT_MARGIN       12

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

static void page_spin_value_changed_cb (LkPdfView     *self,
                                        GtkSpinButton *spin);

static void
cancel (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
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

gboolean
lk_pdf_view_has_document (LkPdfView *self)
{
  return self->n_pages > 0 && self->error == NULL;
}

static void
rotated_size (LkPdfView *self,
              double    *width,
              double    *height)
{
  lk_pdf_renderer_get_page_size (self->renderer, self->page, width, height);
  if (self->rotation == 90 || self->rotation == 270)
    {
      double tmp = *width;
      *width = *height;
      *height = tmp;
    }
}

/* Logical pixels per point, quantised so that small resizes reuse the
 * cache. */
double
lk_pdf_view_logical_scale (LkPdfView *self)
{
  double scale = self->zoom;
  double width, height;
  int view_width = gtk_widget_get_width (GTK_WIDGET (self->scroller)) - FIT_MARGIN;
  int view_height = gtk_widget_get_height (GTK_WIDGET (self->scroller)) - FIT_MARGIN;
  int factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  rotated_size (self, &width, &height);
  if (self->zoom_mode == LK_PDF_ZOOM_FIT_WIDTH && view_width > 0)
    scale = view_width / width;
  else if (self->zoom_mode == LK_PDF_ZOOM_FIT_PAGE && view_width > 0 && view_height > 0)
    scale = MIN (view_width / width, view_height / height);
  else if (self->zoom_mode != LK_PDF_ZOOM_FREE)
    scale = POINTS_TO_PIXELS;

  scale = CLAMP (scale, 0.1 * POINTS_TO_PIXELS, LK_PDF_VIEW_MAX_ZOOM / 100.0 * POINTS_TO_PIXELS);
  return round (scale * factor * 100.0) / 100.0 / factor;
}

static void
update_zoom_label (LkPdfView *self,
                   double     scale)
{
  g_autofree char *label = NULL;

  /* Translators: the zoom level, e.g. "125 %" */
  label = g_strdup_printf (C_("zoom level", "%d %%"), (int) round (scale / POINTS_TO_PIXELS * 100));
  gtk_menu_button_set_label (self->zoom_button, label);
}

static void
update_highlights (LkPdfView *self)
{
  const PopplerRectangle *rects;
  guint n_rects;
  int page = -1, index = -1;

  rects = lk_pdf_search_get_page_matches (self->search, self->page, &n_rects);
  lk_pdf_search_get_current (self->search, &page, &index, NULL);
  lk_pdf_page_set_highlights (self->page_widget, rects, n_rects, page == self->page ? index : -1);
}

static void
scroll_to_current_match (LkPdfView *self)
{
  const PopplerRectangle *rects;
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (self->scroller);
  guint n_rects;
  int page, index;
  double x, y;

  if (!lk_pdf_search_get_current (self->search, &page, &index, NULL) || page != self->page)
    return;
  rects = lk_pdf_search_get_page_matches (self->search, page, &n_rects);
  if (index < 0 || (guint) index >= n_rects)
    return;

  lk_pdf_page_to_widget (self->page_widget, rects[index].x1, rects[index].y1, &x, &y);
  if (y < gtk_adjustment_get_value (vadj) ||
      y > gtk_adjustment_get_value (vadj) + gtk_adjustment_get_page_size (vadj) - 40)
    gtk_adjustment_set_value (vadj, y - gtk_adjustment_get_page_size (vadj) / 3);
  if (x < gtk_adjustment_get_value (hadj) ||
      x > gtk_adjustment_get_value (hadj) + gtk_adjustment_get_page_size (hadj) - 40)
    gtk_adjustment_set_value (hadj, x - gtk_adjustment_get_page_size (hadj) / 3);
}

static void
prefetch_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkPdfView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;

  texture = lk_pdf_renderer_render_finish (self->renderer, result, NULL);
  if (texture != NULL && self->prefetch_cancellable != NULL &&
      !g_cancellable_is_cancelled (self->prefetch_cancellable))
    {
      g_clear_object (&self->prefetch_cancellable);
      lk_pdf_page_set_next_texture (self->page_widget, texture);
    }
}

static void
prefetch (LkPdfView *self,
          LkPdfViewKey key)
{
  g_autoptr(GdkTexture) cached = NULL;

  cancel (&self->prefetch_cancellable);
  key.page++;
  if (key.page >= self->n_pages)
    return;
  cached = lk_pdf_renderer_lookup (self->renderer, key.page, key.scale, key.rotation);
  if (cached != NULL)
    {
      lk_pdf_page_set_next_texture (self->page_widget, cached);
      return;
    }

  self->prefetch_cancellable = g_cancellable_new ();
  lk_pdf_renderer_render_async (self->renderer, key.page, key.scale, key.rotation,
                                LK_PDF_PRIORITY_PREFETCH, self->prefetch_cancellable,
                                prefetch_cb, g_object_ref (self));
}

static void
stop_waiting_for_paint (LkPdfView *self)
{
  /* A disposed clock (its window went away) dropped its handlers. */
  if (self->after_paint_id != 0 &&
      g_signal_handler_is_connected (self->after_paint_clock, self->after_paint_id))
    g_signal_handler_disconnect (self->after_paint_clock, self->after_paint_id);
  self->after_paint_id = 0;
  g_clear_object (&self->after_paint_clock);
}

static void
after_paint_cb (LkPdfView     *self,
                GdkFrameClock *clock)
{
  stop_waiting_for_paint (self);
  prefetch (self, self->prefetch_key);
}

/* The next page is rendered once this one is on screen, so that the worker
 * does not compete with painting it. */
static void
prefetch_after_paint (LkPdfView *self,
                      LkPdfViewKey key)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  cancel (&self->prefetch_cancellable);
  lk_pdf_page_set_next_texture (self->page_widget, NULL);
  self->prefetch_key = key;
  /* Not in a window: nothing to prefetch for. */
  if (clock == NULL)
    return;
  if (self->after_paint_id != 0)
    return;
  self->after_paint_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb),
                                                  self, G_CONNECT_SWAPPED);
}

static void
show_error_page (LkPdfView  *self,
                 const char *reason)
{
  g_autofree char *message = g_strdup_printf (_("This attachment cannot be shown: %s"), reason);

  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  lk_pdf_page_set_texture (self->page_widget, NULL);
  set_rendered_page (self, -1);
  set_error (self, message);
  lk_pdf_view_update_actions (self);
}

static void
render_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkPdfView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = lk_pdf_renderer_render_finish (self->renderer, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->render_cancellable);
  if (error != NULL)
    {
      show_error_page (self, error->message);
      return;
    }

  /* In the cache now: show it if it is still wanted, else render again. */
  lk_pdf_view_update_display (self);
}

void
lk_pdf_view_update_display (LkPdfView *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  double width, height, logical;
  LkPdfViewKey key;

  lk_pdf_view_update_actions (self);
  if (!lk_pdf_view_has_document (self))
    return;

  /* Fitting waits for the first allocation (size_allocate comes back). */
  if (self->zoom_mode != LK_PDF_ZOOM_FREE && gtk_widget_get_width (GTK_WIDGET (self->scroller)) <= 0)
    return;

  logical = lk_pdf_view_logical_scale (self);
  key.page = self->page;
  key.scale = logical * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  key.rotation = self->rotation;

  lk_pdf_renderer_get_page_size (self->renderer, self->page, &width, &height);
  lk_pdf_page_set_geometry (self->page_widget, width, height, logical, self->rotation);
  {
    /* Translators: the accessible name of the shown page */
    g_autofree char *name = g_strdup_printf (_("Page %d of %d"), self->page + 1, self->n_pages);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->page_widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
  update_zoom_label (self, logical);

  texture = lk_pdf_renderer_lookup (self->renderer, key.page, key.scale, key.rotation);
  if (texture != NULL)
    {
      cancel (&self->render_cancellable);
      lk_pdf_page_set_texture (self->page_widget, texture);
      self->texture_page = self->page;
      update_highlights (self);
      set_rendered_page (self, self->page);
      prefetch_after_paint (self, key);
      return;
    }

  /* An older texture of this page stands in while zooming; another page's
   * does not. */
  if (self->texture_page != self->page)
    {
      lk_pdf_page_set_texture (self->page_widget, NULL);
      self->texture_page = -1;
    }
  update_highlights (self);
  set_rendered_page (self, -1);

  if (self->render_cancellable != NULL &&
      memcmp (&self->render_key, &key, sizeof key) == 0)
    return;

  cancel (&self->render_cancellable);
  cancel (&self->prefetch_cancellable);
  stop_waiting_for_paint (self);
  self->render_cancellable = g_cancellable_new ();
  self->render_key = key;
  lk_pdf_renderer_render_async (self->renderer, key.page, key.scale, key.rotation,
                                LK_PDF_PRIORITY_VISIBLE, self->render_cancellable,
                                render_cb, g_object_ref (self));
}

static void
search_changed_signal_cb (LkPdfView *self)
{
  int page;

  lk_pdf_view_update_actions (self);
  if (lk_pdf_search_get_current (self->search, &page, NULL, NULL) && page != self->page)
    lk_pdf_view_set_page (self, page);
  else
    update_highlights (self);
  scroll_to_current_match (self);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LkPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!lk_pdf_renderer_load_finish (self->renderer, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_page (self, error->message);
      return;
    }

  g_clear_object (&self->load_cancellable);
  set_n_pages (self, lk_pdf_renderer_get_n_pages (self->renderer));
  g_signal_handlers_block_by_func (self->page_spin, page_spin_value_changed_cb, self);
  gtk_spin_button_set_range (self->page_spin, 1, self->n_pages);
  gtk_spin_button_set_value (self->page_spin, 1);
  g_signal_handlers_unblock_by_func (self->page_spin, page_spin_value_changed_cb, self);
  text = g_strdup_printf (_("of %d"), self->n_pages);
  gtk_label_set_label (self->n_pages_label, text);
  /* GTK 4.8's list view makes up to 200 rows at once: only when shown. */
  if (gtk_revealer_get_reveal_child (self->thumbnails_revealer))
    lk_pdf_thumbnails_set_n_pages (self->thumbnails, self->n_pages);
  self->thumbnails_n_pages = gtk_revealer_get_reveal_child (self->thumbnails_revealer) ? self->n_pages : 0;
  gtk_stack_set_visible_child_name (self->stack, "document");
  lk_pdf_view_update_display (self);
}

static void
reset (LkPdfView *self)
{
  cancel (&self->load_cancellable);
  cancel (&self->render_cancellable);
  cancel (&self->prefetch_cancellable);
  cancel (&self->text_cancellable);
  cancel (&self->region_cancellable);
  stop_waiting_for_paint (self);
  lk_pdf_search_stop (self->search);
  lk_pdf_renderer_close (self->renderer);
  lk_pdf_thumbnails_set_n_pages (self->thumbnails, 0);
  self->thumbnails_n_pages = 0;
  lk_pdf_page_set_texture (self->page_widget, NULL);
  lk_pdf_page_set_next_texture (self->page_widget, NULL);
  lk_pdf_page_set_selection (self->page_widget, NULL);
  self->texture_page = -1;
  self->zoom_mode = LK_PDF_ZOOM_FIT_WIDTH;
  self->rotation = 0;

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
  lk_pdf_view_update_actions (self);
}

static gboolean
relayout_cb (gpointer data)
{
  LkPdfView *self = data;

  self->relayout_id = 0;
  lk_pdf_view_update_display (self);
  return G_SOURCE_REMOVE;
}

static void
page_spin_value_changed_cb (LkPdfView     *self,
                            GtkSpinButton *spin)
{
  lk_pdf_view_set_page (self, gtk_spin_button_get_value_as_int (spin) - 1);
}

static void
thumbnail_selected_cb (LkPdfView *self,
                       int        page)
{
  lk_pdf_view_set_page (self, page);
}

static void
selection_region_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LkPdfView) self = user_data;
  g_autoptr(GArray) rects = NULL;

  rects = lk_pdf_renderer_get_selection_finish (self->renderer, result, NULL);
  if (rects == NULL)
    return;
  g_clear_object (&self->region_cancellable);
  lk_pdf_page_set_selection_region (self->page_widget, rects);
}

static void
selection_changed_cb (LkPdfView *self)
{
  PopplerRectangle area;

  lk_pdf_view_update_actions (self);

  /* Show what will be copied: the text between the corners. */
  cancel (&self->region_cancellable);
  if (!lk_pdf_view_has_document (self) || !lk_pdf_page_get_selection (self->page_widget, &area))
    return;
  self->region_cancellable = g_cancellable_new ();
  lk_pdf_renderer_get_selection_async (self->renderer, self->page, &area, self->region_cancellable,
                                       selection_region_cb, g_object_ref (self));
}

static void
search_mode_cb (LkPdfView *self)
{
  if (!gtk_search_bar_get_search_mode (lk_pdf_find_bar_get_search_bar (self->find_bar)) &&
      gtk_widget_get_mapped (GTK_WIDGET (self->page_widget)))
    gtk_widget_grab_focus (GTK_WIDGET (self->page_widget));
}

void
lk_pdf_view_toast (LkPdfView  *self,
       const char *title)
{
  AdwToast *lk_pdf_view_toast = adw_toast_new (title);

  adw_toast_set_timeout (lk_pdf_view_toast, 3);
  adw_toast_overlay_add_toast (self->toasts, lk_pdf_view_toast);
}

static void
copy_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = lk_pdf_renderer_get_text_finish (self->renderer, result, &error);
  if (text == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("copy: %s", error->message);
      return;
    }
  g_clear_object (&self->text_cancellable);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  lk_pdf_view_toast (self, *g_strstrip (text) != '\0' ? _("Text copied") : _("There is no text here to copy"));
}

void
lk_pdf_view_copy_text (LkPdfView              *self,
           const PopplerRectangle *area)
{
  cancel (&self->text_cancellable);
  self->text_cancellable = g_cancellable_new ();
  lk_pdf_renderer_get_text_async (self->renderer, self->page, area, self->text_cancellable,
                                  copy_text_cb, g_object_ref (self));
}

/* Overrides --------------------------------------------------------------- */

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

  /* The fit modes depend on the scroller's size: render again, but not
   * during allocation. */
  width = gtk_widget_get_width (GTK_WIDGET (self->scroller));
  height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  if (width != self->last_width || height != self->last_height)
    {
      self->last_width = width;
      self->last_height = height;
      if (self->zoom_mode != LK_PDF_ZOOM_FREE && self->n_pages > 0 && self->relayout_id == 0)
        self->relayout_id = g_idle_add (relayout_cb, self);
    }
}

static void
lk_pdf_view_unroot (GtkWidget *widget)
{
  LkPdfView *self = LK_PDF_VIEW (widget);

  /* Nothing in flight keeps a view that left its window alive for long. */
  cancel (&self->prefetch_cancellable);
  stop_waiting_for_paint (self);
  lk_pdf_search_stop (self->search);

  GTK_WIDGET_CLASS (lk_pdf_view_parent_class)->unroot (widget);
}

static void
lk_pdf_view_dispose (GObject *object)
{
  LkPdfView *self = (LkPdfView *)object;

  cancel (&self->load_cancellable);
  cancel (&self->render_cancellable);
  cancel (&self->prefetch_cancellable);
  cancel (&self->text_cancellable);
  cancel (&self->region_cancellable);
  g_clear_handle_id (&self->relayout_id, g_source_remove);
  stop_waiting_for_paint (self);
  if (self->search != NULL)
    lk_pdf_search_stop (self->search);
  g_clear_object (&self->search);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PDF_VIEW);
  g_clear_object (&self->renderer);

  G_OBJECT_CLASS (lk_pdf_view_parent_class)->dispose (object);
}

static void
lk_pdf_view_finalize (GObject *object)
{
  LkPdfView *self = (LkPdfView *)object;

  g_clear_object (&self->actions);
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
  widget_class->unroot = lk_pdf_view_unroot;

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

  g_type_ensure (LK_TYPE_PDF_FIND_BAR);
  g_type_ensure (LK_TYPE_PDF_PAGE);
  g_type_ensure (LK_TYPE_PDF_THUMBNAILS);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-pdf-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, stack);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, error_page);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, scroller);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, page_widget);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, page_spin);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, n_pages_label);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, search_button);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, find_bar);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, toasts);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, thumbnails_revealer);
  gtk_widget_class_bind_template_child (widget_class, LkPdfView, thumbnails);
  /* Not kept in the struct: only its layout changes, in init. */
  gtk_widget_class_bind_template_child_full (widget_class, "toolbar", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, page_spin_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, thumbnail_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);

  gtk_widget_class_set_css_name (widget_class, "lk-pdf-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lk_pdf_view_init (LkPdfView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A narrow preview puts its toolbar on two lines rather than widen. */
  gtk_widget_set_layout_manager (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), LK_TYPE_PDF_VIEW,
                                                                            "toolbar")),
                                 lk_wrap_layout_new (6));

  self->rendered_page = -1;
  self->texture_page = -1;
  self->zoom_mode = LK_PDF_ZOOM_FIT_WIDTH;
  self->zoom = POINTS_TO_PIXELS;
  self->last_width = -1;
  self->last_height = -1;

  self->renderer = lk_pdf_renderer_new ();
  self->search = lk_pdf_search_new (self->renderer);
  g_signal_connect_object (self->search, "changed", G_CALLBACK (search_changed_signal_cb),
                           self, G_CONNECT_SWAPPED);
  lk_pdf_thumbnails_set_renderer (self->thumbnails, self->renderer);
  g_signal_connect_object (self->renderer, "page-sizes-changed",
                           G_CALLBACK (lk_pdf_view_update_display), self, G_CONNECT_SWAPPED);

  lk_pdf_find_bar_set_search (self->find_bar, self->search);
  g_object_bind_property (self->search_button, "active",
                          lk_pdf_find_bar_get_search_bar (self->find_bar), "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (lk_pdf_find_bar_get_search_bar (self->find_bar), "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_cb), self, G_CONNECT_SWAPPED);

  lk_pdf_view_init_actions (self);

}

/* Public API -------------------------------------------------------------- */

GtkWidget *
lk_pdf_view_new (void)
{
  return g_object_new (LK_TYPE_PDF_VIEW, NULL);
}

void
lk_pdf_view_load_file (LkPdfView  *self,
                       const char *path)
{
  g_return_if_fail (LK_IS_PDF_VIEW (self));
  g_return_if_fail (path != NULL);

  reset (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->load_cancellable = g_cancellable_new ();
  lk_pdf_renderer_load_async (self->renderer, path, self->load_cancellable, load_cb, g_object_ref (self));
}

void
lk_pdf_view_set_loading (LkPdfView *self)
{
  g_return_if_fail (LK_IS_PDF_VIEW (self));

  reset (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
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
      lk_pdf_page_set_selection (self->page_widget, NULL);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }

  g_signal_handlers_block_by_func (self->page_spin, page_spin_value_changed_cb, self);
  gtk_spin_button_set_value (self->page_spin, page + 1);
  g_signal_handlers_unblock_by_func (self->page_spin, page_spin_value_changed_cb, self);
  if (gtk_revealer_get_reveal_child (self->thumbnails_revealer))
    lk_pdf_thumbnails_set_page (self->thumbnails, page);
  lk_pdf_find_bar_set_first_page (self->find_bar, page);

  lk_pdf_view_update_display (self);
}

int
lk_pdf_view_get_rendered_page (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), -1);
  return self->rendered_page;
}

gboolean
lk_pdf_view_get_rendered_size (LkPdfView *self,
                               int       *width,
                               int       *height)
{
  GdkTexture *texture;

  g_return_val_if_fail (LK_IS_PDF_VIEW (self), FALSE);

  texture = lk_pdf_page_get_texture (self->page_widget);
  if (self->rendered_page < 0 || texture == NULL)
    return FALSE;
  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);
  return TRUE;
}

const char *
lk_pdf_view_get_error (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), NULL);
  return self->error;
}

LkPdfZoomMode
lk_pdf_view_get_zoom_mode (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), LK_PDF_ZOOM_FIT_WIDTH);
  return self->zoom_mode;
}

double
lk_pdf_view_get_zoom (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), 100);

  if (!lk_pdf_view_has_document (self))
    return 100;
  return lk_pdf_view_logical_scale (self) / POINTS_TO_PIXELS * 100;
}

int
lk_pdf_view_get_rotation (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), 0);
  return self->rotation;
}

void
lk_pdf_view_find (LkPdfView  *self,
                  const char *text)
{
  g_return_if_fail (LK_IS_PDF_VIEW (self));
  g_return_if_fail (text != NULL);

  lk_pdf_find_bar_set_first_page (self->find_bar, self->page);
  lk_pdf_find_bar_find (self->find_bar, text);
}

gboolean
lk_pdf_view_is_searching (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), FALSE);
  return lk_pdf_search_is_running (self->search);
}

guint
lk_pdf_view_get_n_matches (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), 0);
  return lk_pdf_search_get_n_matches (self->search);
}

gboolean
lk_pdf_view_get_current_match (LkPdfView *self,
                               int       *page,
                               guint     *ordinal)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), FALSE);
  return lk_pdf_search_get_current (self->search, page, NULL, ordinal);
}

void
lk_pdf_view_select_area (LkPdfView *self,
                         double     x1,
                         double     y1,
                         double     x2,
                         double     y2)
{
  PopplerRectangle area = { MIN (x1, x2), MIN (y1, y2), MAX (x1, x2), MAX (y1, y2) };

  g_return_if_fail (LK_IS_PDF_VIEW (self));

  lk_pdf_page_set_selection (self->page_widget, &area);
}

gboolean
lk_pdf_view_export_print (LkPdfView   *self,
                          const char  *path,
                          GError     **error)
{
  GtkRoot *root;

  g_return_val_if_fail (LK_IS_PDF_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  return lk_pdf_print_run (self->renderer, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, path, error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}

guint
lk_pdf_view_get_n_thumbnails_rendered (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), 0);
  return lk_pdf_thumbnails_get_n_rendered (self->thumbnails);
}

GActionGroup *
lk_pdf_view_get_actions (LkPdfView *self)
{
  g_return_val_if_fail (LK_IS_PDF_VIEW (self), NULL);
  return G_ACTION_GROUP (self->actions);
}
