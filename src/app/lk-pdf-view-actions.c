/* lk-pdf-view-actions.c — the "pdf" actions of LkPdfView and their keys
 *
 * Page navigation, zoom (fit width, fit page, steps), rotation, search,
 * copy, print and the thumbnail strip, as GActions in the "pdf" group (a
 * window may insert it to make them reach the view from anywhere), and the
 * keys that trigger them while the focus is inside the view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-pdf-print.h"
#include "lk-pdf-view-private.h"

/* Zoom in and out go along these steps (percent), as the zoom menu does. */
static const double zoom_steps[] = { 50, 75, 100, 125, 150, 200, 300, 400 };

static void
enable (LkPdfView  *self,
        const char *name,
        gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
lk_pdf_view_update_actions (LkPdfView *self)
{
  gboolean doc = lk_pdf_view_has_document (self);
  guint n_matches = lk_pdf_search_get_n_matches (self->search);
  static const char * const document_actions[] = {
    "zoom-in", "zoom-out", "zoom-set", "rotate-left", "rotate-right", "find",
    "copy-page-text", "print", "show-thumbnails",
  };

  for (guint i = 0; i < G_N_ELEMENTS (document_actions); i++)
    enable (self, document_actions[i], doc);
  enable (self, "previous-page", doc && self->page > 0);
  enable (self, "first-page", doc && self->page > 0);
  enable (self, "next-page", doc && self->page + 1 < self->n_pages);
  enable (self, "last-page", doc && self->page + 1 < self->n_pages);
  enable (self, "zoom-fit", doc && self->zoom_mode != LK_PDF_ZOOM_FIT_WIDTH);
  enable (self, "zoom-fit-width", doc && self->zoom_mode != LK_PDF_ZOOM_FIT_WIDTH);
  enable (self, "zoom-fit-page", doc && self->zoom_mode != LK_PDF_ZOOM_FIT_PAGE);
  enable (self, "find-next", doc && n_matches > 0);
  enable (self, "find-previous", doc && n_matches > 0);
  enable (self, "copy", doc && lk_pdf_page_get_selection (self->page_widget, NULL));
}

#define ACTION(name) \
  static void name (GSimpleAction *action, GVariant *parameter, gpointer user_data)

ACTION (next_page_cb)     { lk_pdf_view_set_page (user_data, LK_PDF_VIEW (user_data)->page + 1); }
ACTION (previous_page_cb) { lk_pdf_view_set_page (user_data, LK_PDF_VIEW (user_data)->page - 1); }
ACTION (first_page_cb)    { lk_pdf_view_set_page (user_data, 0); }
ACTION (last_page_cb)     { lk_pdf_view_set_page (user_data, LK_PDF_VIEW (user_data)->n_pages - 1); }

static void
set_zoom (LkPdfView *self,
          double     zoom)
{
  self->zoom = CLAMP (zoom, LK_PDF_VIEW_MIN_ZOOM / 100.0 * LK_PDF_VIEW_POINTS_TO_PIXELS,
                      LK_PDF_VIEW_MAX_ZOOM / 100.0 * LK_PDF_VIEW_POINTS_TO_PIXELS);
  self->zoom_mode = LK_PDF_ZOOM_FREE;
  lk_pdf_view_update_display (self);
}

static void
set_zoom_mode (LkPdfView     *self,
               LkPdfZoomMode  mode)
{
  self->zoom_mode = mode;
  lk_pdf_view_update_display (self);
}

static void
zoom_step (LkPdfView *self,
           gboolean   in)
{
  double percent = lk_pdf_view_logical_scale (self) / LK_PDF_VIEW_POINTS_TO_PIXELS * 100;
  double target = in ? zoom_steps[G_N_ELEMENTS (zoom_steps) - 1] : zoom_steps[0];

  for (guint i = 0; i < G_N_ELEMENTS (zoom_steps); i++)
    {
      guint j = in ? i : G_N_ELEMENTS (zoom_steps) - 1 - i;

      if (in ? zoom_steps[j] > percent + 1 : zoom_steps[j] < percent - 1)
        {
          target = zoom_steps[j];
          break;
        }
    }
  set_zoom (self, target / 100 * LK_PDF_VIEW_POINTS_TO_PIXELS);
}

ACTION (zoom_in_cb)       { zoom_step (user_data, TRUE); }
ACTION (zoom_out_cb)      { zoom_step (user_data, FALSE); }
ACTION (zoom_set_cb)      { set_zoom (user_data, g_variant_get_double (parameter) / 100.0 * LK_PDF_VIEW_POINTS_TO_PIXELS); }
ACTION (zoom_fit_width_cb) { set_zoom_mode (user_data, LK_PDF_ZOOM_FIT_WIDTH); }
ACTION (zoom_fit_page_cb) { set_zoom_mode (user_data, LK_PDF_ZOOM_FIT_PAGE); }

static void
rotate (LkPdfView *self,
        int        degrees)
{
  self->rotation = (self->rotation + degrees + 360) % 360;
  lk_pdf_page_set_selection (self->page_widget, NULL);
  lk_pdf_view_update_display (self);
}

ACTION (rotate_left_cb)   { rotate (user_data, -90); }
ACTION (rotate_right_cb)  { rotate (user_data, 90); }
ACTION (find_next_cb)     { lk_pdf_search_move (LK_PDF_VIEW (user_data)->search, TRUE); }
ACTION (find_previous_cb) { lk_pdf_search_move (LK_PDF_VIEW (user_data)->search, FALSE); }

ACTION (find_cb)
{
  LkPdfView *self = user_data;

  lk_pdf_find_bar_set_first_page (self->find_bar, self->page);
  lk_pdf_find_bar_open (self->find_bar);
}

ACTION (copy_cb)
{
  LkPdfView *self = user_data;
  PopplerRectangle area;

  if (lk_pdf_page_get_selection (self->page_widget, &area))
    lk_pdf_view_copy_text (self, &area);
}

ACTION (copy_page_text_cb) { lk_pdf_view_copy_text (user_data, NULL); }

ACTION (print_cb)
{
  LkPdfView *self = user_data;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (lk_pdf_print_run (self->renderer, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                        GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, NULL, NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *message = g_strdup_printf (_("The document could not be printed: %s"), error->message);
      lk_pdf_view_toast (self, message);
    }
}

ACTION (show_thumbnails_cb)
{
  LkPdfView *self = user_data;
  gboolean show = !g_variant_get_boolean (g_action_get_state (G_ACTION (action)));

  g_simple_action_set_state (action, g_variant_new_boolean (show));
  gtk_revealer_set_reveal_child (self->thumbnails_revealer, show);
  if (show && self->thumbnails_n_pages != self->n_pages)
    {
      lk_pdf_thumbnails_set_n_pages (self->thumbnails, self->n_pages);
      self->thumbnails_n_pages = self->n_pages;
    }
  if (show)
    lk_pdf_thumbnails_set_page (self->thumbnails, self->page);
}

static const GActionEntry action_entries[] = {
  { "next-page", next_page_cb },
  { "previous-page", previous_page_cb },
  { "first-page", first_page_cb },
  { "last-page", last_page_cb },
  { "zoom-in", zoom_in_cb },
  { "zoom-out", zoom_out_cb },
  { "zoom-fit", zoom_fit_width_cb },
  { "zoom-fit-width", zoom_fit_width_cb },
  { "zoom-fit-page", zoom_fit_page_cb },
  { "zoom-set", zoom_set_cb, "d" },
  { "rotate-left", rotate_left_cb },
  { "rotate-right", rotate_right_cb },
  { "find", find_cb },
  { "find-next", find_next_cb },
  { "find-previous", find_previous_cb },
  { "copy", copy_cb },
  { "copy-page-text", copy_page_text_cb },
  { "print", print_cb },
  { "show-thumbnails", NULL, NULL, "false", show_thumbnails_cb },
};

/* Keys while the focus is in the view (the window's accelerators reach
 * only some of these, and the view also lives in other windows). Page keys
 * go first, before the scrolled window would scroll; the others only when
 * the focused widget (e.g. a text entry) did not want the key. */
static const struct {
  guint            keyval;
  GdkModifierType  mods;
  const char      *action;
  gboolean         capture;
} shortcuts[] = {
  { GDK_KEY_Page_Down, 0, "pdf.next-page", TRUE },
  { GDK_KEY_Page_Up, 0, "pdf.previous-page", TRUE },
  { GDK_KEY_Home, 0, "pdf.first-page", FALSE },
  { GDK_KEY_End, 0, "pdf.last-page", FALSE },
  { GDK_KEY_plus, GDK_CONTROL_MASK, "pdf.zoom-in", FALSE },
  { GDK_KEY_equal, GDK_CONTROL_MASK, "pdf.zoom-in", FALSE },
  { GDK_KEY_minus, GDK_CONTROL_MASK, "pdf.zoom-out", FALSE },
  { GDK_KEY_0, GDK_CONTROL_MASK, "pdf.zoom-fit", FALSE },
  { GDK_KEY_9, GDK_CONTROL_MASK, "pdf.zoom-fit-page", FALSE },
  { GDK_KEY_Left, GDK_CONTROL_MASK, "pdf.rotate-left", FALSE },
  { GDK_KEY_Right, GDK_CONTROL_MASK, "pdf.rotate-right", FALSE },
  { GDK_KEY_bracketleft, 0, "pdf.rotate-left", FALSE },
  { GDK_KEY_bracketright, 0, "pdf.rotate-right", FALSE },
  { GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "pdf.find", TRUE },
  { GDK_KEY_slash, 0, "pdf.find", FALSE },
  { GDK_KEY_F3, 0, "pdf.find-next", TRUE },
  { GDK_KEY_F3, GDK_SHIFT_MASK, "pdf.find-previous", TRUE },
  { GDK_KEY_c, GDK_CONTROL_MASK, "pdf.copy", FALSE },
  { GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "pdf.copy-page-text", FALSE },
  { GDK_KEY_p, GDK_CONTROL_MASK, "pdf.print", FALSE },
  { GDK_KEY_F9, 0, "pdf.show-thumbnails", TRUE },
};

void
lk_pdf_view_init_actions (LkPdfView *self)
{
  GtkEventController *capture = gtk_shortcut_controller_new ();
  GtkEventController *bubble = gtk_shortcut_controller_new ();

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "pdf", G_ACTION_GROUP (self->actions));

  gtk_event_controller_set_propagation_phase (capture, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts[i].capture ? capture : bubble),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (shortcuts[i].keyval,
                                                                                    shortcuts[i].mods),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), capture);
  gtk_widget_add_controller (GTK_WIDGET (self), bubble);

  lk_pdf_view_update_actions (self);
}
