/* lk-queue-page.c — the officer's queue
 *
 * Sorting and filtering happen in LkCaseList (a worker thread), never in a
 * GtkSortListModel on the main thread. The column headers still work as the
 * user expects: each column has a sorter, and when the column view's sorter
 * changes, it is asked to compare two probe items: the column sorters record
 * which of them was asked first (the primary column) and the sign of the
 * answer tells the direction. (GTK 4.10 has API for this; 4.8 does not.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-queue-page.h"
#include "lk-wrap-layout.h"

/* The share of the width beside the sidebar that the queue gets, until the
 * officer drags the handle; and its bounds in pixels. */
#define QUEUE_SHARE      0.35
#define QUEUE_MIN_WIDTH  280
#define QUEUE_MAX_WIDTH  640

#define N_FILTER_ROWS (LK_N_CASE_STATES + 2)

struct _LkQueuePage
{
  AdwBin               parent_instance;

  LkSession           *session;
  LkCaseList          *cases;
  GtkSingleSelection  *selection;
  GSettings           *settings;
  char                 today[11];

  GtkListBox          *state_list;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *service_dropdown;
  GtkDropDown         *sla_dropdown;
  GtkToggleButton     *assigned_button;
  GtkColumnView       *column_view;
  GtkLabel            *count_label;
  LkCaseView          *case_view;
  GtkRevealer         *sidebar_revealer;
  GtkPaned            *split;
  GtkWidget           *filter_box;

  GtkStringList       *service_names;
  GPtrArray           *service_ids;      /* char *, [0] = NULL: all services */
  GtkColumnViewColumn *columns[LK_N_CASE_SORTS];
  GtkListBoxRow       *state_rows[N_FILTER_ROWS];
  GtkLabel            *count_labels[N_FILTER_ROWS];
  gint64               shown_counts[N_FILTER_ROWS];
  int                  probe_column;
  gboolean             updating;
  double               queue_share;
  gboolean             placing_split;
};

G_DEFINE_FINAL_TYPE (LkQueuePage, lk_queue_page, ADW_TYPE_BIN)

typedef struct
{
  LkQueuePage *self;
  LkCaseSort   column;
} ProbeData;

/* Row INDEX of the sidebar ↔ the state filter. */
static int
row_filter (guint index)
{
  if (index == 0)
    return LK_CASE_LIST_OPEN_STATES;
  if (index == 1)
    return LK_CASE_LIST_ALL_STATES;
  return (int) index - 2;
}

static guint
filter_row (int state)
{
  if (state == LK_CASE_LIST_OPEN_STATES)
    return 0;
  if (state == LK_CASE_LIST_ALL_STATES)
    return 1;
  return (guint) state + 2;
}

static const char *
filter_label (int state)
{
  if (state == LK_CASE_LIST_OPEN_STATES)
    return C_("queue filter", "Open cases");
  if (state == LK_CASE_LIST_ALL_STATES)
    return C_("queue filter", "All cases");
  return lk_case_state_get_label ((LkCaseState) state);
}

static void
update_today (LkQueuePage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  g_strlcpy (self->today, today, sizeof self->today);
  if (self->cases != NULL)
    lk_case_list_set_today (self->cases, self->today);
}

static void
update_count (LkQueuePage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->cases));
  guint total = lk_case_list_get_total (self->cases);
  const GError *error = lk_case_list_get_error (self->cases);
  g_autofree char *text = NULL;

  if (error != NULL)
    text = g_strdup_printf (_("Cannot load the queue: %s"), error->message);
  else if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", total), total);
  else
    /* Translators: shown when a search or a filter narrows the queue */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u case", "%u of %u cases", total),
                            shown, total);

  gtk_label_set_label (self->count_label, text);
}

static void
update_state_counts (LkQueuePage *self)
{
  for (guint i = 0; i < N_FILTER_ROWS; i++)
    {
      guint count = lk_case_list_get_state_count (self->cases, row_filter (i));
      g_autofree char *text = NULL;
      g_autofree char *a11y = NULL;

      if (self->shown_counts[i] == count)
        continue;

      self->shown_counts[i] = count;
      text = g_strdup_printf ("%u", count);
      gtk_label_set_label (self->count_labels[i], text);
      /* Translators: a row of the states sidebar, e.g. "Verifying: 12 cases" */
      a11y = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u case", "%s: %u cases", count),
                              filter_label (row_filter (i)), count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_rows[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }
}

static void
update_services (LkQueuePage *self)
{
  GPtrArray *types = lk_case_list_get_service_types (self->cases);
  const char *current = lk_case_list_get_service_filter (self->cases);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean same = types->len + 1 == self->service_ids->len;
  guint selected = 0;

  for (guint i = 0; same && i < types->len; i++)
    same = g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (types, i)),
                      g_ptr_array_index (self->service_ids, i + 1)) == 0;
  if (same)
    return;

  self->updating = TRUE;
  g_ptr_array_set_size (self->service_ids, 1);
  g_ptr_array_add (names, (gpointer) C_("service filter", "All services"));
  for (guint i = 0; i < types->len; i++)
    {
      LkServiceType *type = g_ptr_array_index (types, i);

      g_ptr_array_add (self->service_ids, g_strdup (lk_service_type_get_id (type)));
      g_ptr_array_add (names, (gpointer) lk_service_type_get_name (type));
      if (g_strcmp0 (current, lk_service_type_get_id (type)) == 0)
        selected = i + 1;
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->service_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->service_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->service_dropdown, selected);
  self->updating = FALSE;

  if (selected == 0)
    lk_case_list_set_service_filter (self->cases, NULL);
}

static void
cases_updated_cb (LkQueuePage *self,
                  LkCaseList  *cases)
{
  update_count (self);
  update_state_counts (self);
  update_services (self);
}

static void
session_synced_cb (LkQueuePage *self,
                   guint64      records,
                   LkSession   *session)
{
  update_today (self);
  /* Reloading 100 000 cases costs a quarter of a second: only when the
   * sync brought something. */
  if (records > 0)
    {
      lk_case_list_reload (self->cases);
      lk_case_view_reload (self->case_view);
    }
}

static void
session_local_change_cb (LkQueuePage *self,
                         const char  *case_id,
                         LkSession   *session)
{
  lk_case_list_reload (self->cases);
}

static void
selection_changed_cb (LkQueuePage        *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  LkCase *kase = gtk_single_selection_get_selected_item (selection);

  /* A reload drops the selection: keep showing the case until another is
   * chosen. */
  if (kase != NULL)
    lk_case_view_set_case_id (self->case_view, lk_case_get_id (kase));
}

static void
search_changed_cb (LkQueuePage    *self,
                   GtkSearchEntry *entry)
{
  if (self->cases != NULL)
    lk_case_list_set_search (self->cases, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (LkQueuePage    *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
search_activate_cb (LkQueuePage    *self,
                    GtkSearchEntry *entry)
{
  /* Enter in the search goes to the results. */
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
column_view_activate_cb (LkQueuePage   *self,
                         guint          position,
                         GtkColumnView *view)
{
  lk_queue_page_open_case (self, position);
}

static void
state_row_selected_cb (LkQueuePage   *self,
                       GtkListBoxRow *row,
                       GtkListBox    *list)
{
  if (row == NULL || self->cases == NULL)
    return;
  lk_case_list_set_state_filter (self->cases, row_filter ((guint) gtk_list_box_row_get_index (row)));
}

static void
service_selected_cb (LkQueuePage *self,
                     GParamSpec  *pspec,
                     GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->cases == NULL || selected >= self->service_ids->len)
    return;
  lk_case_list_set_service_filter (self->cases, g_ptr_array_index (self->service_ids, selected));
}

static void
sla_selected_cb (LkQueuePage *self,
                 GParamSpec  *pspec,
                 GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->cases == NULL || selected > LK_CASE_SLA_PAUSED)
    return;
  lk_case_list_set_sla_filter (self->cases, (LkCaseSlaFilter) selected);
}

static void
assigned_toggled_cb (LkQueuePage     *self,
                     GtkToggleButton *button)
{
  if (self->cases == NULL)
    return;
  lk_case_list_set_assignee_filter (self->cases,
                                    gtk_toggle_button_get_active (button)
                                    ? lk_session_get_username (self->session) : NULL);
}

static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  ProbeData *probe = user_data;

  if (probe->self->probe_column < 0)
    probe->self->probe_column = probe->column;
  return -1;
}

static void
sorter_changed_cb (LkQueuePage     *self,
                   GtkSorterChange  change,
                   GtkSorter       *sorter)
{
  GtkOrdering order;
  gboolean descending;

  /* The columns leave the sorter while the page is disposed. */
  if (self->column_view == NULL || self->cases == NULL)
    return;

  self->probe_column = -1;
  /* Two distinct items: gtk_sorter_compare() answers "equal" for one item
   * without asking the sorters. */
  order = gtk_sorter_compare (sorter, self, self->column_view);
  /* No sort column (cannot happen by clicking): keep the order. */
  if (self->probe_column < 0 || order == GTK_ORDERING_EQUAL)
    return;

  descending = order == GTK_ORDERING_LARGER;
  lk_case_list_set_sort (self->cases, (LkCaseSort) self->probe_column, descending);
  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "queue-sort-column",
                             lk_case_sort_to_string ((LkCaseSort) self->probe_column));
      g_settings_set_boolean (self->settings, "queue-sort-descending", descending);
    }
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data) == LK_CASE_SORT_APPLICANT || GPOINTER_TO_INT (user_data) == LK_CASE_SORT_SERVICE)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  LkQueuePage *self = user_data;
  LkCaseSort column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "lk-column"));
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  LkCase *kase = gtk_list_item_get_item (item);
  LkCaseState state = lk_case_get_state (kase);
  const char *text = NULL;
  g_autofree char *owned = NULL;
  gboolean overdue = FALSE;

  switch (column)
    {
    case LK_CASE_SORT_RECEIPT:
      text = lk_case_get_receipt (kase);
      break;
    case LK_CASE_SORT_APPLICANT:
      text = lk_case_get_business_name (kase);
      if (text == NULL || *text == '\0')
        text = lk_case_get_applicant_name (kase);
      else
        text = owned = g_strdup_printf ("%s (%s)", lk_case_get_applicant_name (kase), text);
      break;
    case LK_CASE_SORT_SERVICE:
      /* The short code keeps the column narrow; the name is in the
       * tooltip and on the case page. */
      text = lk_case_get_service_code (kase);
      if (text == NULL)
        text = lk_case_get_service_name (kase);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), lk_case_get_service_name (kase));
      break;
    case LK_CASE_SORT_STATE:
      text = lk_case_state_get_label (state);
      break;
    case LK_CASE_SORT_SLA_DUE:
      text = lk_case_get_sla_due (kase);
      if (text != NULL && state == LK_CASE_STATE_INCOMPLETE)
        /* Translators: the SLA due date of an incomplete case, whose clock waits for the citizen */
        text = owned = g_strdup_printf (_("%s (paused)"), text);
      else if (text != NULL && lk_case_state_is_open (state) && strcmp (text, self->today) < 0)
        {
          overdue = TRUE;
          /* Translators: an SLA due date that has passed, e.g. "2026-01-05 (overdue)" */
          text = owned = g_strdup_printf (_("%s (overdue)"), text);
        }
      break;
    case LK_CASE_SORT_RECEIVED:
      {
        g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (lk_case_get_created_at (kase));

        if (when != NULL)
          text = owned = g_date_time_format (when, "%Y-%m-%d");
      }
      break;
    case LK_CASE_SORT_INVALID:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (label, text != NULL ? text : "");
  if (overdue)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static void
add_column (LkQueuePage *self,
            const char  *title,
            LkCaseSort   column,
            gboolean     expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  ProbeData *probe = g_new0 (ProbeData, 1);

  g_object_set_data (G_OBJECT (factory), "lk-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), self);

  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  /* An ellipsized column asks for almost nothing: give names room. */
  if (column == LK_CASE_SORT_APPLICANT)
    gtk_column_view_column_set_fixed_width (view_column, 190);
  probe->self = self;
  probe->column = column;
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare_cb, probe, g_free));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_append_column (self->column_view, view_column);
  self->columns[column] = view_column;
}

static void
build_state_rows (LkQueuePage *self)
{
  for (guint i = 0; i < N_FILTER_ROWS; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *name = gtk_label_new (filter_label (row_filter (i)));
      GtkWidget *count = gtk_label_new (NULL);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      if (i < 10)
        {
          /* Translators: the shortcut of a row of the states sidebar, e.g. "Alt+3" */
          g_autofree char *tip = g_strdup_printf (_("Show these cases (Alt+%u)"), (i + 1) % 10);

          gtk_widget_set_tooltip_text (row, tip);
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      filter_label (row_filter (i)), -1);
      gtk_list_box_append (self->state_list, row);
      self->state_rows[i] = GTK_LIST_BOX_ROW (row);
      self->count_labels[i] = GTK_LABEL (count);
      self->shown_counts[i] = -1;
    }
}

static void
lk_queue_page_dispose (GObject *object)
{
  LkQueuePage *self = (LkQueuePage *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_QUEUE_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->cases);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->service_names);
  g_clear_pointer (&self->service_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_queue_page_parent_class)->dispose (object);
}

/* The queue keeps its share of the width as the window changes size; a drag
 * of the handle sets a new share. */
static void
split_position_cb (LkQueuePage *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->split));

  /* Moves made by the paned itself (clamping while allocated) or by
   * place_split are no choice of the officer. */
  if (self->placing_split || width <= 0)
    return;
  self->queue_share = CLAMP ((double) gtk_paned_get_position (self->split) / width, 0.1, 0.9);
}

static void
place_split (LkQueuePage *self,
             int          width)
{
  int sidebar = 0;
  int position;

  if (gtk_widget_get_visible (GTK_WIDGET (self->sidebar_revealer)))
    gtk_widget_measure (GTK_WIDGET (self->sidebar_revealer), GTK_ORIENTATION_HORIZONTAL, -1,
                        NULL, &sidebar, NULL, NULL);
  position = CLAMP ((int) ((width - sidebar) * self->queue_share), QUEUE_MIN_WIDTH, QUEUE_MAX_WIDTH);
  if (position == gtk_paned_get_position (self->split))
    return;
  self->placing_split = TRUE;
  gtk_paned_set_position (self->split, position);
  self->placing_split = FALSE;
}

static void
lk_queue_page_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  LkQueuePage *self = LK_QUEUE_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (self));

  place_split (self, width);
  self->placing_split = TRUE;
  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
  self->placing_split = FALSE;
}

/* Without a layout manager (it would allocate instead of size_allocate). */
static void
lk_queue_page_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static GtkSizeRequestMode
lk_queue_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static gboolean
toggle_sidebar_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  LkQueuePage *self = LK_QUEUE_PAGE (widget);

  if (!gtk_widget_is_drawable (widget))
    return FALSE;
  gtk_revealer_set_reveal_child (self->sidebar_revealer,
                                 !gtk_revealer_get_reveal_child (self->sidebar_revealer));
  return TRUE;
}

/* The service filter shows long names cut short; its list shows them whole. */
static void
dropdown_label_setup_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 10);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
    }
  gtk_list_item_set_child (item, label);
}

static void
dropdown_label_bind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

static GtkListItemFactory *
dropdown_factory_new (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (dropdown_label_setup_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (dropdown_label_bind_cb), NULL);
  return factory;
}

static void
lk_queue_page_class_init (LkQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_queue_page_dispose;
  widget_class->size_allocate = lk_queue_page_size_allocate;
  widget_class->measure = lk_queue_page_measure;
  widget_class->get_request_mode = lk_queue_page_get_request_mode;

  g_type_ensure (LK_TYPE_CASE_VIEW);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, state_list);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, service_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, sla_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, assigned_button);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, case_view);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, sidebar_revealer);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, split);
  gtk_widget_class_bind_template_child (widget_class, LkQueuePage, filter_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, state_row_selected_cb);
}

static void
lk_queue_page_init (LkQueuePage *self)
{
  GtkEventController *shortcuts;
  g_autoptr(GtkListItemFactory) button_factory = dropdown_factory_new (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = dropdown_factory_new (FALSE);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);

  /* Narrow windows: the filters wrap, the service names are cut short, the
   * queue and the case share the width, and F8 hides the states sidebar. */
  gtk_widget_set_layout_manager (self->filter_box, lk_wrap_layout_new (6));
  gtk_drop_down_set_factory (self->service_dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->service_dropdown, list_factory);
  self->queue_share = QUEUE_SHARE;
  g_signal_connect_object (self->split, "notify::position", G_CALLBACK (split_position_cb),
                           self, G_CONNECT_SWAPPED);
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F8, 0),
                                                          gtk_callback_action_new (toggle_sidebar_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  self->probe_column = -1;
  self->service_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->service_ids, NULL);
  self->service_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->service_names, C_("service filter", "All services"));
  gtk_drop_down_set_model (self->service_dropdown, G_LIST_MODEL (self->service_names));
  build_state_rows (self);
  update_today (self);

  add_column (self, _("Receipt"), LK_CASE_SORT_RECEIPT, FALSE);
  add_column (self, _("Applicant"), LK_CASE_SORT_APPLICANT, TRUE);
  add_column (self, _("Service"), LK_CASE_SORT_SERVICE, FALSE);
  add_column (self, _("State"), LK_CASE_SORT_STATE, FALSE);
  add_column (self, _("SLA Due"), LK_CASE_SORT_SLA_DUE, FALSE);
  add_column (self, C_("queue column", "Received"), LK_CASE_SORT_RECEIVED, FALSE);
}

GtkWidget *
lk_queue_page_new (void)
{
  return g_object_new (LK_TYPE_QUEUE_PAGE, NULL);
}

void
lk_queue_page_set_session (LkQueuePage *self,
                           LkSession   *session)
{
  g_autofree char *sort_name = NULL;
  LkCaseSort sort = LK_CASE_SORT_RECEIVED;
  gboolean descending = TRUE;

  g_return_if_fail (LK_IS_QUEUE_PAGE (self));
  g_return_if_fail (LK_IS_SESSION (session));
  g_return_if_fail (self->session == NULL);
  g_return_if_fail (lk_session_get_store (session) != NULL);

  self->session = g_object_ref (session);
  self->settings = lk_app_settings_new ();
  if (self->settings != NULL)
    {
      sort_name = g_settings_get_string (self->settings, "queue-sort-column");
      if (lk_case_sort_from_string (sort_name) != LK_CASE_SORT_INVALID)
        sort = lk_case_sort_from_string (sort_name);
      descending = g_settings_get_boolean (self->settings, "queue-sort-descending");
    }

  self->cases = lk_case_list_new (lk_session_get_store (session));
  lk_case_list_set_today (self->cases, self->today);
  lk_case_list_set_sort (self->cases, sort, descending);
  g_signal_connect_object (self->cases, "updated", G_CALLBACK (cases_updated_cb),
                           self, G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->cases)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  gtk_column_view_sort_by_column (self->column_view, self->columns[sort],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service_dropdown, "notify::selected",
                           G_CALLBACK (service_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sla_dropdown, "notify::selected",
                           G_CALLBACK (sla_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->assigned_button, "toggled",
                           G_CALLBACK (assigned_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (session_synced_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "local-change", G_CALLBACK (session_local_change_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_list_box_select_row (self->state_list, self->state_rows[filter_row (LK_CASE_LIST_ALL_STATES)]);
  lk_case_view_set_session (self->case_view, session);
  lk_case_list_reload (self->cases);
}

LkCaseList *
lk_queue_page_get_cases (LkQueuePage *self)
{
  g_return_val_if_fail (LK_IS_QUEUE_PAGE (self), NULL);
  return self->cases;
}

GtkSingleSelection *
lk_queue_page_get_selection (LkQueuePage *self)
{
  g_return_val_if_fail (LK_IS_QUEUE_PAGE (self), NULL);
  return self->selection;
}

LkCaseView *
lk_queue_page_get_case_view (LkQueuePage *self)
{
  g_return_val_if_fail (LK_IS_QUEUE_PAGE (self), NULL);
  return self->case_view;
}

GtkEditable *
lk_queue_page_get_search (LkQueuePage *self)
{
  g_return_val_if_fail (LK_IS_QUEUE_PAGE (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

GtkColumnView *
lk_queue_page_get_column_view (LkQueuePage *self)
{
  g_return_val_if_fail (LK_IS_QUEUE_PAGE (self), NULL);
  return self->column_view;
}

void
lk_queue_page_focus_search (LkQueuePage *self)
{
  g_return_if_fail (LK_IS_QUEUE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
lk_queue_page_open_case (LkQueuePage *self,
                         guint        position)
{
  g_return_if_fail (LK_IS_QUEUE_PAGE (self));

  if (self->selection == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    return;
  gtk_single_selection_set_selected (self->selection, position);
  if (!gtk_widget_child_focus (GTK_WIDGET (self->case_view), GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (GTK_WIDGET (self->case_view));
}

void
lk_queue_page_sort_by (LkQueuePage *self,
                       LkCaseSort   sort,
                       gboolean     descending)
{
  g_return_if_fail (LK_IS_QUEUE_PAGE (self));
  g_return_if_fail (sort >= 0 && sort < LK_N_CASE_SORTS);

  gtk_column_view_sort_by_column (self->column_view, self->columns[sort],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

void
lk_queue_page_set_state_filter (LkQueuePage *self,
                                int          state)
{
  g_return_if_fail (LK_IS_QUEUE_PAGE (self));
  g_return_if_fail (state >= LK_CASE_LIST_OPEN_STATES && state < LK_N_CASE_STATES);

  gtk_list_box_select_row (self->state_list, self->state_rows[filter_row (state)]);
}

gint64
lk_queue_page_get_state_count (LkQueuePage *self,
                               int          state)
{
  g_return_val_if_fail (LK_IS_QUEUE_PAGE (self), -1);
  g_return_val_if_fail (state >= LK_CASE_LIST_OPEN_STATES && state < LK_N_CASE_STATES, -1);

  return self->shown_counts[filter_row (state)];
}

gboolean
lk_queue_page_set_service_filter (LkQueuePage *self,
                                  const char  *service_type_id)
{
  g_return_val_if_fail (LK_IS_QUEUE_PAGE (self), FALSE);

  for (guint i = 0; i < self->service_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->service_ids, i), service_type_id) == 0)
      {
        gtk_drop_down_set_selected (self->service_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

void
lk_queue_page_set_sla_filter (LkQueuePage     *self,
                              LkCaseSlaFilter  sla)
{
  g_return_if_fail (LK_IS_QUEUE_PAGE (self));
  g_return_if_fail (sla >= LK_CASE_SLA_ANY && sla <= LK_CASE_SLA_PAUSED);

  gtk_drop_down_set_selected (self->sla_dropdown, sla);
}

void
lk_queue_page_set_assigned_to_me (LkQueuePage *self,
                                  gboolean     mine)
{
  g_return_if_fail (LK_IS_QUEUE_PAGE (self));

  gtk_toggle_button_set_active (self->assigned_button, mine);
}
