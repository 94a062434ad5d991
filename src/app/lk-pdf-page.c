/* lk-pdf-page.c — one rendered page, its search highlights and the selection
 *
 * Draws the texture the renderer made, stretched to the page's logical size
 * (so an older texture stands in while a new scale renders), the search
 * matches over it, and the rectangle the user drags to select text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "lk-pdf-page.h"

struct _LkPdfPage
{
  GtkWidget   parent_instance;

  GdkTexture *texture;
  GdkTexture *next_texture;
  double      width;       /* points, unrotated */
  double      height;
  double      scale;       /* logical pixels per point */
  int         rotation;

  GArray     *highlights;  /* of PopplerRectangle */
  int         current;

  gboolean    has_selection;
  PopplerRectangle selection;  /* from the first corner to the second */
  GArray     *selection_region;
  double      drag_x;
  double      drag_y;
};

G_DEFINE_FINAL_TYPE (LkPdfPage, lk_pdf_page, GTK_TYPE_WIDGET)

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
widget_size (LkPdfPage *self,
             int       *width,
             int       *height)
{
  int w = (int) ceil (self->width * self->scale);
  int h = (int) ceil (self->height * self->scale);

  if (self->rotation == 90 || self->rotation == 270)
    {
      *width = h;
      *height = w;
    }
  else
    {
      *width = w;
      *height = h;
    }
}

static void
to_page (LkPdfPage *self,
         double     u,
         double     v,
         double    *x,
         double    *y)
{
  u /= self->scale;
  v /= self->scale;
  switch (self->rotation)
    {
    case 90:
      *x = v, *y = self->height - u;
      break;
    case 180:
      *x = self->width - u, *y = self->height - v;
      break;
    case 270:
      *x = self->width - v, *y = u;
      break;
    default:
      *x = u, *y = v;
      break;
    }
  *x = CLAMP (*x, 0, self->width);
  *y = CLAMP (*y, 0, self->height);
}

static graphene_rect_t
rect_to_widget (LkPdfPage              *self,
                const PopplerRectangle *rect)
{
  double ax, ay, bx, by;
  graphene_rect_t out;

  lk_pdf_page_to_widget (self, rect->x1, rect->y1, &ax, &ay);
  lk_pdf_page_to_widget (self, rect->x2, rect->y2, &bx, &by);
  graphene_rect_init (&out, MIN (ax, bx), MIN (ay, by), fabs (bx - ax), fabs (by - ay));
  return out;
}

static void
drag_begin_cb (LkPdfPage      *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  self->drag_x = x;
  self->drag_y = y;
  self->has_selection = FALSE;
  g_clear_pointer (&self->selection_region, g_array_unref);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update_cb (LkPdfPage      *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  double x1, y1, x2, y2;

  if (self->scale <= 0)
    return;
  to_page (self, self->drag_x, self->drag_y, &x1, &y1);
  to_page (self, self->drag_x + dx, self->drag_y + dy, &x2, &y2);
  /* Corners as dragged: poppler selects text in reading order from the
   * first to the second. */
  self->selection.x1 = x1;
  self->selection.y1 = y1;
  self->selection.x2 = x2;
  self->selection.y2 = y2;
  self->has_selection = fabs (x2 - x1) > 1 || fabs (y2 - y1) > 1;
  g_clear_pointer (&self->selection_region, g_array_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (LkPdfPage      *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  drag_update_cb (self, dx, dy, gesture);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
lk_pdf_page_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  LkPdfPage *self = LK_PDF_PAGE (widget);
  int width, height;

  widget_size (self, &width, &height);
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? width : height;
}

static void
lk_pdf_page_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  LkPdfPage *self = LK_PDF_PAGE (widget);
  static const GdkRGBA match = { 1.0, 0.85, 0.0, 0.35 };
  static const GdkRGBA current = { 1.0, 0.45, 0.0, 0.55 };
  static const GdkRGBA selection = { 0.21, 0.52, 0.89, 0.3 };
  int width, height;

  widget_size (self, &width, &height);
  /* Under the page, one pixel big: the renderer uploads it now, so that
   * turning to it later only draws it. */
  if (self->next_texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->next_texture, &GRAPHENE_RECT_INIT (0, 0, 1, 1));
  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  else
    {
      GdkRGBA white = { 1, 1, 1, 1 };

      gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }

  for (guint i = 0; self->highlights != NULL && i < self->highlights->len; i++)
    {
      graphene_rect_t rect = rect_to_widget (self, &g_array_index (self->highlights, PopplerRectangle, i));

      gtk_snapshot_append_color (snapshot, (int) i == self->current ? &current : &match, &rect);
    }

  /* The text the selection covers once known, the dragged box till then. */
  if (self->has_selection && self->selection_region != NULL)
    for (guint i = 0; i < self->selection_region->len; i++)
      {
        graphene_rect_t rect = rect_to_widget (self, &g_array_index (self->selection_region, PopplerRectangle, i));

        gtk_snapshot_append_color (snapshot, &selection, &rect);
      }
  else if (self->has_selection)
    {
      graphene_rect_t rect = rect_to_widget (self, &self->selection);

      gtk_snapshot_append_color (snapshot, &selection, &rect);
    }
}

static void
lk_pdf_page_dispose (GObject *object)
{
  LkPdfPage *self = (LkPdfPage *)object;

  g_clear_object (&self->texture);
  g_clear_object (&self->next_texture);
  g_clear_pointer (&self->highlights, g_array_unref);
  g_clear_pointer (&self->selection_region, g_array_unref);

  G_OBJECT_CLASS (lk_pdf_page_parent_class)->dispose (object);
}

static void
lk_pdf_page_class_init (LkPdfPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_pdf_page_dispose;
  widget_class->measure = lk_pdf_page_measure;
  widget_class->snapshot = lk_pdf_page_snapshot;

  /* The user ended a drag over the page. */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "lk-pdf-page");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lk_pdf_page_init (LkPdfPage *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->current = -1;
  self->scale = 1;
  self->width = 612;
  self->height = 792;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "text");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
lk_pdf_page_new (void)
{
  return g_object_new (LK_TYPE_PDF_PAGE, NULL);
}

void
lk_pdf_page_set_geometry (LkPdfPage *self,
                          double     width,
                          double     height,
                          double     scale,
                          int        rotation)
{
  g_return_if_fail (LK_IS_PDF_PAGE (self));
  g_return_if_fail (width > 0 && height > 0 && scale > 0);

  if (self->width == width && self->height == height &&
      self->scale == scale && self->rotation == rotation)
    return;

  self->width = width;
  self->height = height;
  self->scale = scale;
  self->rotation = rotation;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
lk_pdf_page_set_texture (LkPdfPage  *self,
                         GdkTexture *texture)
{
  g_return_if_fail (LK_IS_PDF_PAGE (self));

  if (g_set_object (&self->texture, texture))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lk_pdf_page_set_next_texture (LkPdfPage  *self,
                              GdkTexture *texture)
{
  g_return_if_fail (LK_IS_PDF_PAGE (self));

  if (g_set_object (&self->next_texture, texture))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkTexture *
lk_pdf_page_get_texture (LkPdfPage *self)
{
  g_return_val_if_fail (LK_IS_PDF_PAGE (self), NULL);
  return self->texture;
}

void
lk_pdf_page_set_highlights (LkPdfPage              *self,
                            const PopplerRectangle *rects,
                            guint                   n_rects,
                            int                     current)
{
  g_return_if_fail (LK_IS_PDF_PAGE (self));

  g_clear_pointer (&self->highlights, g_array_unref);
  if (n_rects > 0)
    {
      self->highlights = g_array_sized_new (FALSE, FALSE, sizeof (PopplerRectangle), n_rects);
      g_array_append_vals (self->highlights, rects, n_rects);
    }
  self->current = current;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
lk_pdf_page_get_selection (LkPdfPage        *self,
                           PopplerRectangle *area)
{
  g_return_val_if_fail (LK_IS_PDF_PAGE (self), FALSE);

  if (self->has_selection && area != NULL)
    *area = self->selection;
  return self->has_selection;
}

void
lk_pdf_page_set_selection (LkPdfPage              *self,
                           const PopplerRectangle *area)
{
  g_return_if_fail (LK_IS_PDF_PAGE (self));

  self->has_selection = area != NULL;
  g_clear_pointer (&self->selection_region, g_array_unref);
  if (area != NULL)
    self->selection = *area;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
lk_pdf_page_set_selection_region (LkPdfPage *self,
                                  GArray    *rects)
{
  g_return_if_fail (LK_IS_PDF_PAGE (self));

  g_clear_pointer (&self->selection_region, g_array_unref);
  if (rects != NULL && self->has_selection)
    self->selection_region = g_array_ref (rects);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lk_pdf_page_to_widget (LkPdfPage *self,
                       double     x,
                       double     y,
                       double    *wx,
                       double    *wy)
{
  double u, v;

  g_return_if_fail (LK_IS_PDF_PAGE (self));

  switch (self->rotation)
    {
    case 90:
      u = self->height - y, v = x;
      break;
    case 180:
      u = self->width - x, v = self->height - y;
      break;
    case 270:
      u = y, v = self->width - x;
      break;
    default:
      u = x, v = y;
      break;
    }
  *wx = u * self->scale;
  *wy = v * self->scale;
}
