/* lk-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "store/lk-case-list.h"
#include "lk-app-setup.h"
#include "lk-conflicts-dialog.h"
#include "lk-window.h"

typedef enum
{
  COLUMN_RECEIPT,
  COLUMN_APPLICANT,
  COLUMN_SERVICE,
  COLUMN_STATE,
  COLUMN_SLA_DUE,
} Column;

struct _LkWindow
{
  AdwApplicationWindow  parent_instance;

  LkSession            *session;
  LkCaseList           *cases;
  GtkSingleSelection   *selection;
  GSettings            *settings;
  char                 *today;     /* ISO date, for "overdue" */

  LkConflictsDialog    *conflicts_dialog;   /* weak */

  AdwWindowTitle       *title_widget;
  GtkMenuButton        *sync_button;
  GtkImage             *sync_icon;
  GtkSpinner           *sync_spinner;
  GtkLabel             *status_label;
  GtkLabel             *sync_detail_label;
  GtkButton            *resolve_button;
  GtkRevealer          *offline_revealer;
  GtkSearchEntry       *search_entry;
  GtkColumnView        *column_view;
  GtkLabel             *count_label;
  LkCaseView           *case_view;
};

G_DEFINE_FINAL_TYPE (LkWindow, lk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_today (LkWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_free (self->today);
  self->today = g_date_time_format (now, "%Y-%m-%d");
}

static void
update_status (LkWindow *self)
{
  LkSessionStatus status = lk_session_get_status (self->session);
  const char *message = lk_session_get_sync_message (self->session);
  gint64 waiting = lk_session_get_outbox_count (self->session);
  gint64 conflicts = lk_session_get_conflict_count (self->session);
  gboolean busy = status == LK_SESSION_STATUS_SIGNING_IN || status == LK_SESSION_STATUS_SYNCING;
  g_autofree char *label = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *a11y = NULL;
  const char *icon = "emblem-ok-symbolic";

  switch (status)
    {
    case LK_SESSION_STATUS_SIGNING_IN:
      label = g_strdup (_("Signing in…"));
      break;
    case LK_SESSION_STATUS_SYNCING:
      label = g_strdup (_("Syncing…"));
      break;
    case LK_SESSION_STATUS_OFFLINE:
      icon = "network-offline-symbolic";
      if (waiting > 0)
        /* Translators: the sync status; %d changes made here wait for the server */
        label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline — %d change waiting",
                                              "Offline — %d changes waiting", waiting), (int) waiting);
      else
        label = g_strdup (_("Offline"));
      break;
    case LK_SESSION_STATUS_FAILED:
      icon = "dialog-error-symbolic";
      label = g_strdup (_("Sync failed"));
      break;
    case LK_SESSION_STATUS_SYNCED:
      if (waiting > 0)
        {
          icon = "mail-send-symbolic";
          label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d change waiting",
                                                "%d changes waiting", waiting), (int) waiting);
        }
      else
        label = g_strdup (_("Synced"));
      break;
    case LK_SESSION_STATUS_IDLE:
    default:
      icon = "network-idle-symbolic";
      label = g_strdup (_("Not synced yet"));
      break;
    }

  /* Conflicts need the user: they take the label when nothing is running. */
  if (conflicts > 0 && !busy)
    {
      icon = "dialog-warning-symbolic";
      g_free (label);
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d conflict", "%d conflicts", conflicts),
                               (int) conflicts);
    }

  if (message != NULL && *message != '\0')
    detail = g_strdup (message);
  else
    detail = g_strdup (label);
  if (conflicts > 0)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%d change of yours met a conflict and waits for you.",
                                                            "%d changes of yours met conflicts and wait for you.",
                                                            conflicts), (int) conflicts);
      g_autofree char *joined = g_strdup_printf ("%s\n%s", detail, more);

      g_free (detail);
      detail = g_steal_pointer (&joined);
    }

  gtk_spinner_set_spinning (self->sync_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_icon), !busy);
  gtk_image_set_from_icon_name (self->sync_icon, icon);
  gtk_label_set_label (self->status_label, label);
  gtk_label_set_label (self->sync_detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), detail);
  /* Translators: the accessible name of the sync status button, e.g. "Sync status: Synced" */
  a11y = g_strdup_printf (_("Sync status: %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self->resolve_button), conflicts > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resolve-conflicts", conflicts > 0);
  gtk_revealer_set_reveal_child (self->offline_revealer, status == LK_SESSION_STATUS_OFFLINE);
}

static void
update_count (LkWindow *self)
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
    /* Translators: shown when a search filters the queue */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u case", "%u of %u cases", total),
                            shown, total);

  gtk_label_set_label (self->count_label, text);
}

static void
session_status_changed_cb (LkWindow   *self,
                           GParamSpec *pspec,
                           LkSession  *session)
{
  update_status (self);
}

static void
session_synced_cb (LkWindow  *self,
                   guint64    records,
                   LkSession *session)
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
session_local_change_cb (LkWindow   *self,
                         const char *case_id,
                         LkSession  *session)
{
  lk_case_list_reload (self->cases);
}

static void
case_changed_cb (LkWindow   *self,
                 GParamSpec *pspec,
                 LkCaseView *case_view)
{
  gboolean loaded = lk_case_view_get_case (case_view) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.case-transition", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.case-add-note", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.move-case", loaded);
}

static void
cases_updated_cb (LkWindow   *self,
                  LkCaseList *cases)
{
  update_count (self);
}

static void
selection_changed_cb (LkWindow           *self,
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
search_changed_cb (LkWindow       *self,
                   GtkSearchEntry *entry)
{
  lk_case_list_set_search (self->cases, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (LkWindow       *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data) == COLUMN_APPLICANT || GPOINTER_TO_INT (user_data) == COLUMN_SERVICE)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  LkWindow *self = user_data;
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "lk-column"));
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  LkCase *kase = gtk_list_item_get_item (item);
  const char *text = NULL;
  g_autofree char *owned = NULL;
  gboolean overdue = FALSE;

  switch (column)
    {
    case COLUMN_RECEIPT:
      text = lk_case_get_receipt (kase);
      break;
    case COLUMN_APPLICANT:
      text = lk_case_get_business_name (kase);
      if (text == NULL || *text == '\0')
        text = lk_case_get_applicant_name (kase);
      else
        text = owned = g_strdup_printf ("%s (%s)", lk_case_get_applicant_name (kase), text);
      break;
    case COLUMN_SERVICE:
      /* The short code keeps the column narrow; the name is in the
       * tooltip and on the case page. */
      text = lk_case_get_service_code (kase);
      if (text == NULL)
        text = lk_case_get_service_name (kase);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), lk_case_get_service_name (kase));
      break;
    case COLUMN_STATE:
      text = lk_case_state_get_label (lk_case_get_state (kase));
      break;
    case COLUMN_SLA_DUE:
      text = lk_case_get_sla_due (kase);
      overdue = text != NULL && self->today != NULL &&
                lk_case_state_is_open (lk_case_get_state (kase)) &&
                strcmp (text, self->today) < 0;
      if (overdue)
        /* Translators: an SLA due date that has passed, e.g. "2026-01-05 (overdue)" */
        text = owned = g_strdup_printf (_("%s (overdue)"), text);
      break;
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
add_column (LkWindow   *self,
            const char *title,
            Column      column,
            gboolean    expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_object_set_data (G_OBJECT (factory), "lk-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), self);

  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  /* An ellipsized column asks for almost nothing: give names room. */
  if (column == COLUMN_APPLICANT)
    gtk_column_view_column_set_fixed_width (view_column, 190);
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
sync_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  /* The outcome shows in the status area through the session's status. */
  gtk_popover_popdown (gtk_menu_button_get_popover (self->sync_button));
  lk_session_sync_now (self->session);
}

static void
case_transition_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  LkCaseState to = lk_case_state_from_string (g_variant_get_string (parameter, NULL));

  if (to == LK_CASE_STATE_INVALID)
    {
      g_debug ("Unknown state for win.case-transition");
      return;
    }
  lk_case_view_request_transition (self->case_view, to);
}

static void
case_add_note_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  g_autofree char *text = g_strstrip (g_variant_dup_string (parameter, NULL));

  if (*text != '\0')
    lk_case_view_add_note (self->case_view, text);
}

static void
move_case_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  lk_case_view_popup_moves (LK_WINDOW (widget)->case_view);
}

static void
resolve_conflicts_action_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  lk_window_show_conflicts (LK_WINDOW (widget));
}

static gboolean
lk_window_close_request (GtkWindow *window)
{
  LkWindow *self = LK_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "is-maximized", gtk_window_is_maximized (window));
    }

  return GTK_WINDOW_CLASS (lk_window_parent_class)->close_request (window);
}

static void
lk_window_constructed (GObject *object)
{
  LkWindow *self = (LkWindow *)object;
  LkPdfView *pdf_view;
  g_autofree char *subtitle = NULL;

  G_OBJECT_CLASS (lk_window_parent_class)->constructed (object);

  g_assert (LK_IS_SESSION (self->session));
  g_assert (lk_session_get_store (self->session) != NULL);

  self->settings = lk_app_settings_new ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "is-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  /* Translators: the window subtitle, "user @ server" */
  subtitle = g_strdup_printf (_("%s @ %s"), lk_session_get_username (self->session),
                              lk_session_get_server_url (self->session));
  adw_window_title_set_subtitle (self->title_widget, subtitle);

  self->cases = lk_case_list_new (lk_session_get_store (self->session));
  g_signal_connect_object (self->cases, "updated", G_CALLBACK (cases_updated_cb),
                           self, G_CONNECT_SWAPPED);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->cases)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, _("Receipt"), COLUMN_RECEIPT, FALSE);
  add_column (self, _("Applicant"), COLUMN_APPLICANT, TRUE);
  add_column (self, _("Service"), COLUMN_SERVICE, FALSE);
  add_column (self, _("State"), COLUMN_STATE, FALSE);
  add_column (self, _("SLA Due"), COLUMN_SLA_DUE, FALSE);

  lk_case_view_set_session (self->case_view, self->session);
  pdf_view = lk_case_view_get_pdf_view (self->case_view);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "pdf", lk_pdf_view_get_actions (pdf_view));

  g_signal_connect_object (self->session, "notify::status",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::status-message",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "synced",
                           G_CALLBACK (session_synced_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "local-change",
                           G_CALLBACK (session_local_change_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sync-message",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::outbox-count",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::conflict-count",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->case_view, "notify::case",
                           G_CALLBACK (case_changed_cb), self, G_CONNECT_SWAPPED);
  case_changed_cb (self, NULL, self->case_view);
  update_status (self);

  update_today (self);
  lk_case_list_reload (self->cases);
}

static void
lk_window_dispose (GObject *object)
{
  LkWindow *self = (LkWindow *)object;

  if (self->conflicts_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->conflicts_dialog));

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->cases);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_window_parent_class)->dispose (object);
}

static void
lk_window_finalize (GObject *object)
{
  LkWindow *self = (LkWindow *)object;

  g_free (self->today);

  G_OBJECT_CLASS (lk_window_parent_class)->finalize (object);
}

static void
lk_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkWindow *self = LK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LkWindow *self = LK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_window_class_init (LkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lk_window_constructed;
  object_class->dispose = lk_window_dispose;
  object_class->finalize = lk_window_finalize;
  object_class->get_property = lk_window_get_property;
  object_class->set_property = lk_window_set_property;

  window_class->close_request = lk_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_CASE_VIEW);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkWindow, title_widget);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, sync_detail_label);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, case_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action_cb);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action_cb);
  gtk_widget_class_install_action (widget_class, "win.case-transition", "s", case_transition_action_cb);
  gtk_widget_class_install_action (widget_class, "win.case-add-note", "s", case_add_note_action_cb);
  gtk_widget_class_install_action (widget_class, "win.move-case", NULL, move_case_action_cb);
  gtk_widget_class_install_action (widget_class, "win.resolve-conflicts", NULL, resolve_conflicts_action_cb);
}

static void
lk_window_init (LkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkWindow *
lk_window_new (GtkApplication *application,
               LkSession      *session)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LK_IS_SESSION (session), NULL);

  return g_object_new (LK_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

LkSession *
lk_window_get_session (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->session;
}

GListModel *
lk_window_get_cases (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->cases);
}

GtkSingleSelection *
lk_window_get_selection (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->selection;
}

LkCaseView *
lk_window_get_case_view (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->case_view;
}

GtkEditable *
lk_window_get_search (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

gboolean
lk_window_get_offline (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->offline_revealer);
}

const char *
lk_window_get_sync_label (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

LkConflictsDialog *
lk_window_show_conflicts (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  if (self->conflicts_dialog == NULL)
    {
      self->conflicts_dialog = lk_conflicts_dialog_new (GTK_WINDOW (self), self->session);
      g_object_add_weak_pointer (G_OBJECT (self->conflicts_dialog), (gpointer *) &self->conflicts_dialog);
    }
  else
    lk_conflicts_dialog_reload (self->conflicts_dialog);

  gtk_window_present (GTK_WINDOW (self->conflicts_dialog));
  return self->conflicts_dialog;
}

LkConflictsDialog *
lk_window_get_conflicts_dialog (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->conflicts_dialog;
}
