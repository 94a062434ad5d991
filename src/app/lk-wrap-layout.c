/* lk-wrap-layout.c — a layout manager that puts children in rows and wraps
 *
 * Children sit side by side at their natural width, as in a horizontal
 * GtkBox, and go on a new line when the next one does not fit. So a row of
 * buttons or filters asks only for the width of its widest child, and a
 * narrow window gets two lines instead of a wider minimum. Children marked
 * hexpand share the spare width of their line.
 *
 * It can replace the layout manager of a GtkBox that only gets children
 * appended or inserted (gtk_box_append, gtk_box_insert_child_after).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include "lk-wrap-layout.h"

struct _LkWrapLayout
{
  GtkLayoutManager parent_instance;

  int spacing;
};

G_DEFINE_FINAL_TYPE (LkWrapLayout, lk_wrap_layout, GTK_TYPE_LAYOUT_MANAGER)

static gboolean
child_shown (GtkWidget *child)
{
  return gtk_widget_should_layout (child);
}

static int
child_width (GtkWidget *child,
             int        available)
{
  int min = 0;
  int nat = 0;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return MAX (min, MIN (nat, available));
}

/* Lays out (allocate) or only measures (allocate FALSE) the children in lines
 * of at most width; returns the height used. */
static int
flow (LkWrapLayout *self,
      GtkWidget    *widget,
      int           width,
      gboolean      allocate,
      int          *out_nat_height)
{
  GtkWidget *line_start = gtk_widget_get_first_child (widget);
  int y = 0;
  int nat_y = 0;
  gboolean first_line = TRUE;

  while (line_start != NULL)
    {
      GtkWidget *line_end;
      GtkWidget *child;
      int used = 0;
      int n = 0;
      int n_expand = 0;
      int line_min = 0;
      int line_nat = 0;
      int extra;
      int x = 0;

      /* Which children go on this line. */
      for (line_end = line_start; line_end != NULL; line_end = gtk_widget_get_next_sibling (line_end))
        {
          int w;

          if (!child_shown (line_end))
            continue;
          w = child_width (line_end, width);
          if (n > 0 && used + self->spacing + w > width)
            break;
          used += (n > 0 ? self->spacing : 0) + w;
          n++;
          if (gtk_widget_compute_expand (line_end, GTK_ORIENTATION_HORIZONTAL))
            n_expand++;
        }
      if (n == 0)
        break;

      extra = MAX (0, width - used);
      for (child = line_start; child != line_end; child = gtk_widget_get_next_sibling (child))
        {
          int w;
          int min = 0;
          int nat = 0;

          if (!child_shown (child))
            continue;
          w = child_width (child, width);
          if (n_expand > 0 && gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
            w += extra / n_expand;
          w = MIN (w, MAX (width - x, 0));
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, &min, &nat, NULL, NULL);
          line_min = MAX (line_min, min);
          line_nat = MAX (line_nat, nat);
          g_object_set_data (G_OBJECT (child), "lk-wrap-width", GINT_TO_POINTER (w));
          g_object_set_data (G_OBJECT (child), "lk-wrap-x", GINT_TO_POINTER (x));
          x += w + self->spacing;
        }

      if (!first_line)
        {
          y += self->spacing;
          nat_y += self->spacing;
        }
      if (allocate)
        for (child = line_start; child != line_end; child = gtk_widget_get_next_sibling (child))
          {
            if (!child_shown (child))
              continue;
            gtk_widget_size_allocate (child,
                                      &(GtkAllocation) {
                                        GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "lk-wrap-x")),
                                        y,
                                        GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "lk-wrap-width")),
                                        line_min,
                                      }, -1);
          }
      y += line_min;
      nat_y += line_nat;
      first_line = FALSE;
      line_start = line_end;
    }

  if (out_nat_height != NULL)
    *out_nat_height = nat_y;
  return y;
}

static void
lk_wrap_layout_measure (GtkLayoutManager *manager,
                        GtkWidget        *widget,
                        GtkOrientation    orientation,
                        int               for_size,
                        int              *minimum,
                        int              *natural,
                        int              *minimum_baseline,
                        int              *natural_baseline)
{
  LkWrapLayout *self = LK_WRAP_LAYOUT (manager);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int n = 0;

      /* As narrow as the widest child, as wide as all in one line. */
      *minimum = 0;
      *natural = 0;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int min = 0;
          int nat = 0;

          if (!child_shown (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural += (n > 0 ? self->spacing : 0) + nat;
          n++;
        }
    }
  else
    {
      int width = for_size;
      int unused = 0;

      if (width < 0)
        lk_wrap_layout_measure (manager, widget, GTK_ORIENTATION_HORIZONTAL, -1, &unused, &width, NULL, NULL);
      *minimum = flow (self, widget, width, FALSE, natural);
      *natural = MAX (*natural, *minimum);
    }
}

static void
lk_wrap_layout_allocate (GtkLayoutManager *manager,
                         GtkWidget        *widget,
                         int               width,
                         int               height,
                         int               baseline)
{
  flow (LK_WRAP_LAYOUT (manager), widget, width, TRUE, NULL);
}

static GtkSizeRequestMode
lk_wrap_layout_get_request_mode (GtkLayoutManager *manager,
                                 GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
lk_wrap_layout_class_init (LkWrapLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->measure = lk_wrap_layout_measure;
  manager_class->allocate = lk_wrap_layout_allocate;
  manager_class->get_request_mode = lk_wrap_layout_get_request_mode;
}

static void
lk_wrap_layout_init (LkWrapLayout *self)
{
  self->spacing = 6;
}

GtkLayoutManager *
lk_wrap_layout_new (int spacing)
{
  LkWrapLayout *self = g_object_new (LK_TYPE_WRAP_LAYOUT, NULL);

  self->spacing = MAX (spacing, 0);
  return GTK_LAYOUT_MANAGER (self);
}
