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
#include "lk-number-register.h"
#include "lk-queue-page.h"
#include "lk-signing-page.h"
#include "lk-template-editor.h"
#include "lk-window.h"

struct _LkWindow
{
  AdwApplicationWindow  parent_instance;

  LkSession            *session;
  GSettings            *settings;

  LkConflictsDialog    *conflicts_dialog;   /* weak */
  LkTemplateEditor     *template_editor;    /* weak */
  LkNumberRegister     *number_register;    /* weak */

  AdwViewSwitcherTitle *title_widget;
  AdwViewStack         *stack;
  AdwViewStackPage     *signing_stack_page;
  LkQueuePage          *queue_page;
  LkSigningPage        *signing_page;
  GtkMenuButton        *sync_button;
  GtkImage             *sync_icon;
  GtkSpinner           *sync_spinner;
  GtkLabel             *status_label;
  GtkLabel             *sync_detail_label;
  GtkButton            *resolve_button;
  GtkRevealer          *offline_revealer;
};

G_DEFINE_FINAL_TYPE (LkWindow, lk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What Alt+1 … Alt+0 pick: the sidebar's order. */
static const char * const state_filter_keys[] = {
  "open", "all", "submitted", "verifying", "incomplete", "verified", "inspection", "approved",
  "rejected", "awaiting_signature",
};

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
  /* The queue page reloads itself; the signer's letters too. */
  if (records > 0)
    lk_signing_page_reload (self->signing_page);
}

static void
update_role (LkWindow *self)
{
  gboolean signer = lk_session_get_role (self->session) == LK_ROLE_SIGNER;

  adw_view_stack_page_set_visible (self->signing_stack_page, signer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-signing", signer);
  /* Letter templates are the admins' (the menu item hides otherwise). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-templates",
                                 lk_session_get_role (self->session) == LK_ROLE_ADMIN);
  /* So is the register of letter numbers. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.number-register",
                                 lk_session_get_role (self->session) == LK_ROLE_ADMIN);
  if (!signer && adw_view_stack_get_visible_child (self->stack) == GTK_WIDGET (self->signing_page))
    adw_view_stack_set_visible_child (self->stack, GTK_WIDGET (self->queue_page));
}

static void
session_role_changed_cb (LkWindow   *self,
                         GParamSpec *pspec,
                         LkSession  *session)
{
  update_role (self);
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
show_cases_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  adw_view_stack_set_visible_child (self->stack, GTK_WIDGET (self->queue_page));
}

static void
show_signing_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  if (adw_view_stack_page_get_visible (self->signing_stack_page))
    adw_view_stack_set_visible_child (self->stack, GTK_WIDGET (self->signing_page));
}

static void
state_filter_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  int state;

  if (g_strcmp0 (name, "open") == 0)
    state = LK_CASE_LIST_OPEN_STATES;
  else if (g_strcmp0 (name, "all") == 0)
    state = LK_CASE_LIST_ALL_STATES;
  else if ((state = lk_case_state_from_string (name)) == LK_CASE_STATE_INVALID)
    {
      g_debug ("Unknown state for win.state-filter");
      return;
    }

  adw_view_stack_set_visible_child (self->stack, GTK_WIDGET (self->queue_page));
  lk_queue_page_set_state_filter (self->queue_page, state);
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  adw_view_stack_set_visible_child (self->stack, GTK_WIDGET (self->queue_page));
  lk_queue_page_focus_search (self->queue_page);
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
  lk_case_view_request_transition (lk_window_get_case_view (self), to);
}

static void
case_add_note_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  g_autofree char *text = g_strstrip (g_variant_dup_string (parameter, NULL));

  if (*text != '\0')
    lk_case_view_add_note (lk_window_get_case_view (self), text);
}

static void
move_case_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  lk_case_view_popup_moves (lk_window_get_case_view (LK_WINDOW (widget)));
}

static void
resolve_conflicts_action_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  lk_window_show_conflicts (LK_WINDOW (widget));
}

static void
edit_templates_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  if (lk_session_get_role (self->session) != LK_ROLE_ADMIN)
    return;
  if (self->template_editor == NULL)
    {
      self->template_editor = lk_template_editor_new (GTK_WINDOW (self), self->session);
      g_object_add_weak_pointer (G_OBJECT (self->template_editor), (gpointer *) &self->template_editor);
    }
  gtk_window_present (GTK_WINDOW (self->template_editor));
}

static void
number_register_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  if (lk_session_get_role (self->session) != LK_ROLE_ADMIN)
    return;
  if (self->number_register == NULL)
    {
      self->number_register = lk_number_register_new (GTK_WINDOW (self), self->session);
      g_object_add_weak_pointer (G_OBJECT (self->number_register), (gpointer *) &self->number_register);
    }
  gtk_window_present (GTK_WINDOW (self->number_register));
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
  adw_view_switcher_title_set_subtitle (self->title_widget, subtitle);

  lk_queue_page_set_session (self->queue_page, self->session);
  lk_signing_page_set_session (self->signing_page, self->session);
  pdf_view = lk_case_view_get_pdf_view (lk_window_get_case_view (self));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "pdf", lk_pdf_view_get_actions (pdf_view));

  g_signal_connect_object (self->session, "notify::status",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::status-message",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "synced",
                           G_CALLBACK (session_synced_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::role",
                           G_CALLBACK (session_role_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sync-message",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::outbox-count",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::conflict-count",
                           G_CALLBACK (session_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (lk_window_get_case_view (self), "notify::case",
                           G_CALLBACK (case_changed_cb), self, G_CONNECT_SWAPPED);
  case_changed_cb (self, NULL, lk_window_get_case_view (self));
  update_status (self);
  update_role (self);
}

static void
lk_window_dispose (GObject *object)
{
  LkWindow *self = (LkWindow *)object;

  if (self->conflicts_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->conflicts_dialog));
  if (self->template_editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->template_editor));
  if (self->number_register != NULL)
    gtk_window_destroy (GTK_WINDOW (self->number_register));

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_WINDOW);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_window_parent_class)->dispose (object);
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
  object_class->get_property = lk_window_get_property;
  object_class->set_property = lk_window_set_property;

  window_class->close_request = lk_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_QUEUE_PAGE);
  g_type_ensure (LK_TYPE_SIGNING_PAGE);

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
  gtk_widget_class_bind_template_child (widget_class, LkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, signing_stack_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, signing_page);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action_cb);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action_cb);
  gtk_widget_class_install_action (widget_class, "win.case-transition", "s", case_transition_action_cb);
  gtk_widget_class_install_action (widget_class, "win.case-add-note", "s", case_add_note_action_cb);
  gtk_widget_class_install_action (widget_class, "win.move-case", NULL, move_case_action_cb);
  gtk_widget_class_install_action (widget_class, "win.resolve-conflicts", NULL, resolve_conflicts_action_cb);
  gtk_widget_class_install_action (widget_class, "win.show-cases", NULL, show_cases_action_cb);
  gtk_widget_class_install_action (widget_class, "win.show-signing", NULL, show_signing_action_cb);
  gtk_widget_class_install_action (widget_class, "win.state-filter", "s", state_filter_action_cb);
  gtk_widget_class_install_action (widget_class, "win.edit-templates", NULL, edit_templates_action_cb);
  gtk_widget_class_install_action (widget_class, "win.number-register", NULL, number_register_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.show-cases", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.show-signing", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.edit-templates", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.number-register", NULL);
  /* Alt+1 … Alt+0: the first ten rows of the states sidebar. */
  for (guint i = 0; i < G_N_ELEMENTS (state_filter_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + (i + 1) % 10, GDK_ALT_MASK,
                                         "win.state-filter", "s", state_filter_keys[i]);
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
  return G_LIST_MODEL (lk_queue_page_get_cases (self->queue_page));
}

GtkSingleSelection *
lk_window_get_selection (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return lk_queue_page_get_selection (self->queue_page);
}

LkCaseView *
lk_window_get_case_view (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return lk_queue_page_get_case_view (self->queue_page);
}

GtkEditable *
lk_window_get_search (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return lk_queue_page_get_search (self->queue_page);
}

LkQueuePage *
lk_window_get_queue_page (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->queue_page;
}

LkSigningPage *
lk_window_get_signing_page (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->signing_page;
}

gboolean
lk_window_get_signing_available (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), FALSE);
  return adw_view_stack_page_get_visible (self->signing_stack_page);
}

const char *
lk_window_get_visible_page (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

void
lk_window_set_state_filter (LkWindow *self,
                            int       state)
{
  g_return_if_fail (LK_IS_WINDOW (self));
  lk_queue_page_set_state_filter (self->queue_page, state);
}

gint64
lk_window_get_state_count (LkWindow *self,
                           int       state)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), -1);
  return lk_queue_page_get_state_count (self->queue_page, state);
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
