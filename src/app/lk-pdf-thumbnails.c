/* lk-pdf-thumbnails.c — the strip of page thumbnails beside the page
 *
 * A GtkListView over a model of page numbers, so rows exist only around
 * the visible part (GTK 4.8 keeps up to 200 bound rows). Only the rows
 * actually on screen ask the renderer for their thumbnail at low
 * resolution: from the cache, or a low-priority job that is cancelled when
 * the row scrolls away. Selecting a row (click, arrows) or activating it (Enter)
 * emits "page-selected".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-pdf-page-list.h"
#include "lk-pdf-thumbnails.h"

#define THUMBNAIL_HEIGHT 128

struct _LkPdfThumbnails
{
  GtkWidget           parent_instance;

  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;

  LkPdfRenderer      *renderer;
  LkPdfPageList      *pages;
  GtkSingleSelection *selection;
  gboolean            setting_page;
  guint               n_rendered;
  GHashTable         *bound;        /* GtkListItem set */
  guint               update_id;
};

G_DEFINE_FINAL_TYPE (LkPdfThumbnails, lk_pdf_thumbnails, GTK_TYPE_WIDGET)

enum {
  PAGE_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  LkPdfThumbnails *self;
  GtkListItem     *item;
  guint            position;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_object_unref (request->item);
  g_free (request);
}

static void schedule_update (LkPdfThumbnails *self);
static void render_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static double
thumbnail_scale (LkPdfThumbnails *self,
                 int              page)
{
  double width, height, scale;

  lk_pdf_renderer_get_page_size (self->renderer, page, &width, &height);
  scale = MIN (LK_PDF_THUMBNAIL_WIDTH / width, THUMBNAIL_HEIGHT / height);
  scale *= gtk_widget_get_scale_factor (GTK_WIDGET (self));
  /* Quantised, so that the cache recognises it. */
  return MAX (0.01, (int) (scale * 100) / 100.0);
}

static GtkPicture *
item_picture (GtkListItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  return GTK_PICTURE (gtk_widget_get_first_child (box));
}

static void
render_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;
  LkPdfThumbnails *self = request->self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = lk_pdf_renderer_render_finish (self->renderer, result, &error);
  if (texture != NULL)
    {
      self->n_rendered++;
      if (gtk_list_item_get_position (request->item) == request->position)
        g_object_set_data (G_OBJECT (request->item), "lk-cancellable", NULL);
      if (gtk_list_item_get_position (request->item) == request->position &&
          gtk_list_item_get_child (request->item) != NULL)
        gtk_picture_set_paintable (item_picture (request->item), GDK_PAINTABLE (texture));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("thumbnail %u: %s", request->position + 1, error->message);

  request_free (request);
}

/* Starts or cancels the thumbnail of ITEM as it is on screen or not. */
static void
update_item (LkPdfThumbnails *self,
             GtkListItem     *item,
             double           top,
             double           bottom)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  GCancellable *pending = g_object_get_data (G_OBJECT (item), "lk-cancellable");
  guint position = gtk_list_item_get_position (item);
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t bounds;
  gboolean visible;
  Request *request;
  double scale;

  if (child == NULL || gtk_picture_get_paintable (item_picture (item)) != NULL ||
      self->renderer == NULL || (int) position >= lk_pdf_renderer_get_n_pages (self->renderer))
    return;

  visible = gtk_widget_get_mapped (child) &&
            gtk_widget_compute_bounds (child, GTK_WIDGET (self->scroller), &bounds) &&
            bounds.origin.y + bounds.size.height >= top && bounds.origin.y <= bottom;
  if (!visible)
    {
      if (pending != NULL)
        {
          g_cancellable_cancel (pending);
          g_object_set_data (G_OBJECT (item), "lk-cancellable", NULL);
        }
      return;
    }
  if (pending != NULL)
    return;

  scale = thumbnail_scale (self, position);
  texture = lk_pdf_renderer_lookup (self->renderer, position, scale, 0);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (item_picture (item), GDK_PAINTABLE (texture));
      return;
    }

  cancellable = g_cancellable_new ();
  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->item = g_object_ref (item);
  request->position = position;
  g_object_set_data_full (G_OBJECT (item), "lk-cancellable", g_object_ref (cancellable),
                          (GDestroyNotify) g_object_unref);
  lk_pdf_renderer_render_async (self->renderer, position, scale, 0, LK_PDF_PRIORITY_THUMBNAIL,
                                cancellable, render_cb, request);
}

static gboolean
update_cb (gpointer data)
{
  LkPdfThumbnails *self = data;
  GHashTableIter iter;
  gpointer item;
  double height = gtk_widget_get_height (GTK_WIDGET (self->scroller));

  self->update_id = 0;
  if (height <= 0)
    return G_SOURCE_REMOVE;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    update_item (self, item, -THUMBNAIL_HEIGHT / 2.0, height + THUMBNAIL_HEIGHT / 2.0);
  return G_SOURCE_REMOVE;
}

/* After layout: the rows' positions are known then. */
static void
schedule_update (LkPdfThumbnails *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, update_cb, self, NULL);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          LkPdfThumbnails          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_size_request (picture, LK_PDF_THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         LkPdfThumbnails          *self)
{
  guint position = gtk_list_item_get_position (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkPicture *picture = item_picture (item);
  GtkLabel *label = GTK_LABEL (gtk_widget_get_last_child (box));
  g_autofree char *name = g_strdup_printf (_("Page %u"), position + 1);
  char number[16];

  g_snprintf (number, sizeof number, "%u", position + 1);
  gtk_label_set_label (label, number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_picture_set_alternative_text (picture, name);

  gtk_picture_set_paintable (picture, NULL);
  if (self->bound != NULL)
    g_hash_table_add (self->bound, item);
  schedule_update (self);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           LkPdfThumbnails          *self)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (item), "lk-cancellable");

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (item), "lk-cancellable", NULL);
  gtk_picture_set_paintable (item_picture (item), NULL);
  if (self->bound != NULL)
    g_hash_table_remove (self->bound, item);
}

static void
selected_cb (LkPdfThumbnails *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (self->setting_page || selected == GTK_INVALID_LIST_POSITION)
    return;
  g_signal_emit (self, signals[PAGE_SELECTED], 0, (int) selected);
}

static void
activate_cb (LkPdfThumbnails *self,
             guint            position)
{
  g_signal_emit (self, signals[PAGE_SELECTED], 0, (int) position);
}

static void
lk_pdf_thumbnails_dispose (GObject *object)
{
  LkPdfThumbnails *self = (LkPdfThumbnails *)object;

  g_clear_handle_id (&self->update_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PDF_THUMBNAILS);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->pages);
  g_clear_object (&self->renderer);

  G_OBJECT_CLASS (lk_pdf_thumbnails_parent_class)->dispose (object);
}

static void
lk_pdf_thumbnails_class_init (LkPdfThumbnailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_pdf_thumbnails_dispose;

  /* The user chose a page (0-based). */
  signals[PAGE_SELECTED] =
    g_signal_new ("page-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-pdf-thumbnails.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPdfThumbnails, scroller);
  gtk_widget_class_bind_template_child (widget_class, LkPdfThumbnails, list_view);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lk-pdf-thumbnails");
}

static void
lk_pdf_thumbnails_init (LkPdfThumbnails *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound = g_hash_table_new (NULL, NULL);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_view, "map", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  self->pages = lk_pdf_page_list_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->pages)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selected_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

void
lk_pdf_thumbnails_set_renderer (LkPdfThumbnails *self,
                                LkPdfRenderer   *renderer)
{
  g_return_if_fail (LK_IS_PDF_THUMBNAILS (self));

  g_set_object (&self->renderer, renderer);
}

void
lk_pdf_thumbnails_set_n_pages (LkPdfThumbnails *self,
                               int              n_pages)
{
  g_return_if_fail (LK_IS_PDF_THUMBNAILS (self));

  self->setting_page = TRUE;
  lk_pdf_page_list_set_n_pages (self->pages, 0);
  lk_pdf_page_list_set_n_pages (self->pages, MAX (n_pages, 0));
  gtk_single_selection_set_selected (self->selection, n_pages > 0 ? 0 : GTK_INVALID_LIST_POSITION);
  self->setting_page = FALSE;
}

void
lk_pdf_thumbnails_set_page (LkPdfThumbnails *self,
                            int              page)
{
  g_return_if_fail (LK_IS_PDF_THUMBNAILS (self));

  if (page < 0 || (guint) page >= g_list_model_get_n_items (G_LIST_MODEL (self->pages)))
    return;
  if (gtk_single_selection_get_selected (self->selection) == (guint) page)
    return;

  self->setting_page = TRUE;
  gtk_single_selection_set_selected (self->selection, page);
  self->setting_page = FALSE;
  /* gtk_list_view_scroll_to is 4.12; the list's own action is 4.0. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", (guint) page);
}

guint
lk_pdf_thumbnails_get_n_rendered (LkPdfThumbnails *self)
{
  g_return_val_if_fail (LK_IS_PDF_THUMBNAILS (self), 0);
  return self->n_rendered;
}
