/* lk-pdf-find-bar.c — the viewer's search bar: entry, match count, next and previous
 *
 * Typing searches (GtkSearchEntry waits for a pause); Enter and Ctrl+G go
 * to the next match, Shift+Enter and Ctrl+Shift+G to the previous one,
 * Escape closes the bar. The label says "3 of 12" ("…" while the worker is
 * still searching), "Searching…" or "No matches". Closing the bar stops the
 * search and drops the highlights.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-pdf-find-bar.h"

struct _LkPdfFindBar
{
  GtkWidget       parent_instance;

  GtkSearchBar   *search_bar;
  GtkSearchEntry *entry;
  GtkLabel       *match_label;

  LkPdfSearch    *search;
  int             first_page;
};

G_DEFINE_FINAL_TYPE (LkPdfFindBar, lk_pdf_find_bar, GTK_TYPE_WIDGET)

static void
update_label (LkPdfFindBar *self)
{
  g_autofree char *text = NULL;
  const char *problem;
  guint n, ordinal = 0;
  gboolean running;

  if (self->search == NULL || lk_pdf_search_get_text (self->search) == NULL)
    {
      gtk_label_set_label (self->match_label, "");
      return;
    }

  n = lk_pdf_search_get_n_matches (self->search);
  running = lk_pdf_search_is_running (self->search);
  if (n == 0)
    text = g_strdup (running ? _("Searching…") : _("No matches"));
  else if (lk_pdf_search_get_current (self->search, NULL, NULL, &ordinal))
    /* Translators: the current search match and the number of matches
     * found (so far, with "…") */
    text = g_strdup_printf (running ? C_("search matches", "%u of %u…") : C_("search matches", "%u of %u"),
                            ordinal, n);
  gtk_label_set_label (self->match_label, text != NULL ? text : "");
  /* Only on a change: GTK 4.8 can trip over its own tooltip timeout. */
  problem = lk_pdf_search_get_problem (self->search);
  if (g_strcmp0 (problem, gtk_widget_get_tooltip_text (GTK_WIDGET (self->match_label))) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->match_label), problem);
}

static void
search_changed_cb (LkPdfFindBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  /* The entry reports a text set by lk_pdf_find_bar_find again later. */
  if (self->search == NULL ||
      (*text != '\0' && g_strcmp0 (text, lk_pdf_search_get_text (self->search)) == 0))
    return;
  lk_pdf_search_start (self->search, text, self->first_page);
}

static void
next_cb (LkPdfFindBar *self)
{
  if (self->search != NULL)
    lk_pdf_search_move (self->search, TRUE);
}

static void
previous_cb (LkPdfFindBar *self)
{
  if (self->search != NULL)
    lk_pdf_search_move (self->search, FALSE);
}

static void
stop_search_cb (LkPdfFindBar *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
search_mode_cb (LkPdfFindBar *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar) && self->search != NULL)
    lk_pdf_search_stop (self->search);
}

static void
lk_pdf_find_bar_dispose (GObject *object)
{
  LkPdfFindBar *self = (LkPdfFindBar *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PDF_FIND_BAR);
  g_clear_object (&self->search);

  G_OBJECT_CLASS (lk_pdf_find_bar_parent_class)->dispose (object);
}

static void
lk_pdf_find_bar_class_init (LkPdfFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_pdf_find_bar_dispose;

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-pdf-find-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPdfFindBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LkPdfFindBar, entry);
  gtk_widget_class_bind_template_child (widget_class, LkPdfFindBar, match_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_cb);
  gtk_widget_class_bind_template_callback (widget_class, previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lk-pdf-find-bar");
}

static void
lk_pdf_find_bar_init (LkPdfFindBar *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->entry));
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_cb), self, G_CONNECT_SWAPPED);

  /* Shift+Enter in the entry goes back a match. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("pdf.find-previous")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("pdf.find-previous")));
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
}

void
lk_pdf_find_bar_set_search (LkPdfFindBar *self,
                            LkPdfSearch  *search)
{
  g_return_if_fail (LK_IS_PDF_FIND_BAR (self));
  g_return_if_fail (search == NULL || LK_IS_PDF_SEARCH (search));

  if (self->search != NULL)
    g_signal_handlers_disconnect_by_func (self->search, update_label, self);
  g_set_object (&self->search, search);
  if (search != NULL)
    g_signal_connect_object (search, "changed", G_CALLBACK (update_label), self, G_CONNECT_SWAPPED);
  update_label (self);
}

void
lk_pdf_find_bar_set_first_page (LkPdfFindBar *self,
                                int           page)
{
  g_return_if_fail (LK_IS_PDF_FIND_BAR (self));
  self->first_page = page;
}

void
lk_pdf_find_bar_open (LkPdfFindBar *self)
{
  g_return_if_fail (LK_IS_PDF_FIND_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

void
lk_pdf_find_bar_find (LkPdfFindBar *self,
                      const char   *text)
{
  g_return_if_fail (LK_IS_PDF_FIND_BAR (self));
  g_return_if_fail (text != NULL);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  g_signal_handlers_block_by_func (self->entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  g_signal_handlers_unblock_by_func (self->entry, search_changed_cb, self);
  search_changed_cb (self);
}

GtkSearchBar *
lk_pdf_find_bar_get_search_bar (LkPdfFindBar *self)
{
  g_return_val_if_fail (LK_IS_PDF_FIND_BAR (self), NULL);
  return self->search_bar;
}
