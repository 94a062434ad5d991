/* lk-conflicts-dialog.c — resolve the outbox's conflicts field by field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-conflicts-dialog.h"
#include "sync/lk-outbox.h"

/* Characters of a value shown in the grid; the rest is in its tooltip. */
#define VALUE_MAX_CHARS 40

struct _LkConflictsDialog
{
  AdwWindow     parent_instance;

  LkSession    *session;
  GPtrArray    *conflicts;    /* LkConflict */
  GPtrArray    *receipts;     /* char *, one per conflict, NULL when unknown */
  GPtrArray    *choices;      /* GtkDropDown of the shown conflict's fields */
  LkConflict   *shown;        /* borrowed from conflicts */
  GCancellable *cancellable;
  gboolean      loading;
  gboolean      busy;

  GtkStack     *stack;
  GtkListBox   *conflicts_list;
  GtkLabel     *detail_title;
  GtkLabel     *detail_body;
  GtkGrid      *fields_grid;
  GtkLabel     *error_label;
  GtkButton    *dismiss_button;
  GtkButton    *apply_button;
};

G_DEFINE_FINAL_TYPE (LkConflictsDialog, lk_conflicts_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHOICE_THEIRS,
  CHOICE_MINE,
};

typedef struct
{
  LkStore   *store;
  GPtrArray *conflicts;
  GPtrArray *receipts;
} LoadData;

static const struct {
  const char *field;
  const char *label;
} field_labels[] = {
  { "to_state", N_("State") },
  { "applicant_name", N_("Applicant name") },
  { "nik", N_("NIK") },
  { "email", N_("Email") },
  { "phone", N_("Phone") },
  { "address", N_("Address") },
  { "business_name", N_("Business name") },
  { "nib", N_("NIB") },
  { "assignee", N_("Assigned to") },
  { "text", N_("Text") },
  { "status", N_("Status") },
  { "reason", N_("Reason") },
};

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->store);
  g_clear_pointer (&load->conflicts, g_ptr_array_unref);
  g_clear_pointer (&load->receipts, g_ptr_array_unref);
  g_free (load);
}

static const char *
field_label (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_strcmp0 (field, field_labels[i].field) == 0)
      return _(field_labels[i].label);
  return field;
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);

  if (dt == NULL)
    return g_strdup ("—");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

/* A member as a person reads it; state names by their label. */
static char *
format_member (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return g_strdup ("—");

  node = json_object_get_member (object, member);
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);
          LkCaseState state = g_str_equal (member, "state") || g_str_equal (member, "to_state")
                              ? lk_case_state_from_string (text) : LK_CASE_STATE_INVALID;

          return g_strdup (state != LK_CASE_STATE_INVALID ? lk_case_state_get_label (state) : text);
        }
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
    }

  return json_to_string (node, FALSE);
}

/* What the user did, in a few words. */
static char *
describe_change (LkConflict *conflict)
{
  if (g_strcmp0 (conflict->op, "transition") == 0)
    {
      g_autofree char *to = format_member (conflict->fields, "to_state");

      /* Translators: a queued state change, e.g. "Move to Verified" */
      return g_strdup_printf (_("Move to %s"), to);
    }
  if (g_strcmp0 (conflict->kind, "note") == 0)
    return g_strdup (_("New note"));
  if (g_strcmp0 (conflict->kind, "checklist") == 0)
    return g_strdup (_("Checklist mark"));
  if (g_strcmp0 (conflict->kind, "case") == 0)
    return g_strdup (_("Edit of the case"));
  /* Translators: %s is a record kind such as "document" */
  return g_strdup_printf (_("Change of a %s record"), conflict->kind);
}

/* The member of the server's record that a field of the operation sets. */
static const char *
theirs_member (LkConflict *conflict,
               const char *field)
{
  if (g_strcmp0 (conflict->op, "transition") == 0 && g_str_equal (field, "to_state"))
    return "state";
  return field;
}

/* Fields offered for a choice: what the operation set, but the reason and
 * letter of a transition go with its state. */
static gboolean
is_choice_field (LkConflict *conflict,
                 const char *field)
{
  if (g_strcmp0 (conflict->op, "transition") == 0)
    return g_str_equal (field, "to_state");
  if (g_strcmp0 (conflict->kind, "note") == 0 || g_strcmp0 (conflict->kind, "checklist") == 0)
    return !g_str_equal (field, "case_id") && !g_str_equal (field, "at") && !g_str_equal (field, "item");
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;

  load->conflicts = lk_outbox_list_conflicts (load->store, FALSE, &error);
  if (load->conflicts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  load->receipts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < load->conflicts->len; i++)
    {
      LkConflict *conflict = g_ptr_array_index (load->conflicts, i);
      const char *case_id = NULL;
      g_autoptr(LkCase) kase = NULL;

      if (g_strcmp0 (conflict->kind, "case") == 0)
        case_id = conflict->record_id;
      else if (conflict->fields != NULL && json_object_has_member (conflict->fields, "case_id"))
        case_id = json_object_get_string_member_with_default (conflict->fields, "case_id", NULL);
      else if (conflict->mine != NULL)
        case_id = json_object_get_string_member_with_default (conflict->mine, "case_id", NULL);

      if (case_id != NULL)
        kase = lk_store_get_case (load->store, case_id, NULL);
      g_ptr_array_add (load->receipts, kase != NULL ? g_strdup (lk_case_get_receipt (kase)) : NULL);
    }

  g_task_return_boolean (task, TRUE);
}

static void
set_error (LkConflictsDialog *self,
           const char        *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_loading (LkConflictsDialog *self,
             gboolean           loading)
{
  if (self->loading != loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static void
update_buttons (LkConflictsDialog *self)
{
  gboolean rejected = self->shown != NULL && self->shown->status == LK_CONFLICT_STATUS_REJECTED;

  gtk_widget_set_visible (GTK_WIDGET (self->apply_button), self->shown != NULL && !rejected);
  gtk_widget_set_visible (GTK_WIDGET (self->dismiss_button), self->shown != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dismiss_button), !self->busy);
}

static GtkWidget *
make_cell (const char *text,
           gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), VALUE_MAX_CHARS);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (label), !header);
  gtk_widget_set_tooltip_text (label, text);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
show_conflict (LkConflictsDialog *self,
               guint              index)
{
  LkConflict *conflict = g_ptr_array_index (self->conflicts, index);
  const char *receipt = g_ptr_array_index (self->receipts, index);
  g_autofree char *what = describe_change (conflict);
  g_autofree char *when = format_time (conflict->created_at);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GList) members = NULL;
  GtkWidget *child;
  int row = 1;

  self->shown = conflict;
  g_ptr_array_set_size (self->choices, 0);
  set_error (self, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_grid))) != NULL)
    gtk_grid_remove (self->fields_grid, child);

  /* Translators: receipt number — what was done, e.g. "SKU-2026-0001 — Move to Verified" */
  title = g_strdup_printf (_("%s — %s"), receipt != NULL ? receipt : _("Unknown case"), what);
  gtk_label_set_label (self->detail_title, title);

  if (conflict->status == LK_CONFLICT_STATUS_REJECTED)
    /* Translators: when the change was made, then the server's reason */
    body = g_strdup_printf (_("Made %s. The server refused it: %s. Dismiss it to keep the server's version."),
                            when, conflict->message != NULL ? conflict->message : _("no reason given"));
  else
    body = g_strdup_printf (_("Made %s. Someone else changed the record on the server meanwhile. "
                              "Choose for each field whether your value or the server's stays."), when);
  gtk_label_set_label (self->detail_body, body);

  gtk_grid_attach (self->fields_grid, make_cell (_("Field"), TRUE), 0, 0, 1, 1);
  gtk_grid_attach (self->fields_grid, make_cell (_("Mine"), TRUE), 1, 0, 1, 1);
  gtk_grid_attach (self->fields_grid, make_cell (_("Theirs"), TRUE), 2, 0, 1, 1);
  if (conflict->status == LK_CONFLICT_STATUS_CONFLICT)
    gtk_grid_attach (self->fields_grid, make_cell (_("Keep"), TRUE), 3, 0, 1, 1);

  if (conflict->fields != NULL)
    members = json_object_get_members (conflict->fields);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      g_autofree char *mine = NULL;
      g_autofree char *theirs = NULL;

      if (!is_choice_field (conflict, field))
        continue;

      mine = format_member (conflict->fields, field);
      theirs = conflict->theirs != NULL ? format_member (conflict->theirs, theirs_member (conflict, field))
                                        : g_strdup (_("(gone from the server)"));

      gtk_grid_attach (self->fields_grid, make_cell (field_label (field), FALSE), 0, row, 1, 1);
      gtk_grid_attach (self->fields_grid, make_cell (mine, FALSE), 1, row, 1, 1);
      gtk_grid_attach (self->fields_grid, make_cell (theirs, FALSE), 2, row, 1, 1);

      if (conflict->status == LK_CONFLICT_STATUS_CONFLICT)
        {
          const char * const choices[] = { _("Theirs"), _("Mine"), NULL };
          GtkWidget *dropdown = gtk_drop_down_new_from_strings (choices);
          g_autofree char *a11y = g_strdup_printf (_("Keep which value of %s"), field_label (field));

          gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), CHOICE_THEIRS);
          gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
          g_object_set_data_full (G_OBJECT (dropdown), "lk-field", g_strdup (field), g_free);
          gtk_grid_attach (self->fields_grid, dropdown, 3, row, 1, 1);
          g_ptr_array_add (self->choices, dropdown);
        }
      row++;
    }

  update_buttons (self);
}

static GtkWidget *
create_row (LkConflictsDialog *self,
            guint              index)
{
  LkConflict *conflict = g_ptr_array_index (self->conflicts, index);
  const char *receipt = g_ptr_array_index (self->receipts, index);
  g_autofree char *what = describe_change (conflict);
  g_autofree char *when = format_time (conflict->created_at);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  title = g_strdup_printf (_("%s — %s"), receipt != NULL ? receipt : _("Unknown case"), what);
  if (conflict->status == LK_CONFLICT_STATUS_REJECTED)
    {
      /* Translators: when · the server's reason for refusing a change */
      subtitle = g_strdup_printf (_("%s · refused: %s"), when,
                                  conflict->message != NULL ? conflict->message : _("no reason given"));
      icon = gtk_image_new_from_icon_name ("action-unavailable-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Refused"), -1);
    }
  else
    {
      /* Translators: when a conflicting change was made */
      subtitle = g_strdup_printf (_("%s · changed on the server meanwhile"), when);
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Conflict"), -1);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LkConflictsDialog *self = LK_CONFLICTS_DIALOG (source);
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) kept_mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *shown_id = NULL;
  GtkWidget *child;
  guint select = 0;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_loading (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "list");
      set_error (self, error->message);
      return;
    }

  /* A reload (a sync brought news) must not undo what the user chose for
   * the conflict on screen: its Keep choices come back below. */
  shown_id = self->shown != NULL ? g_strdup (self->shown->id) : NULL;
  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkDropDown *dropdown = g_ptr_array_index (self->choices, i);

      if (gtk_drop_down_get_selected (dropdown) == CHOICE_MINE)
        g_hash_table_add (kept_mine, g_strdup (g_object_get_data (G_OBJECT (dropdown), "lk-field")));
    }
  self->shown = NULL;
  g_ptr_array_set_size (self->choices, 0);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->receipts, g_ptr_array_unref);
  self->conflicts = g_steal_pointer (&load->conflicts);
  self->receipts = g_steal_pointer (&load->receipts);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_list))) != NULL)
    gtk_list_box_remove (self->conflicts_list, child);
  for (guint i = 0; i < self->conflicts->len; i++)
    {
      LkConflict *conflict = g_ptr_array_index (self->conflicts, i);

      gtk_list_box_append (self->conflicts_list, create_row (self, i));
      if (g_strcmp0 (conflict->id, shown_id) == 0)
        select = i;
    }

  gtk_stack_set_visible_child_name (self->stack, self->conflicts->len > 0 ? "list" : "empty");
  if (self->conflicts->len > 0)
    gtk_list_box_select_row (self->conflicts_list,
                             gtk_list_box_get_row_at_index (self->conflicts_list, select));
  if (self->shown != NULL && g_strcmp0 (self->shown->id, shown_id) == 0)
    {
      GHashTableIter iter;
      gpointer field;

      g_hash_table_iter_init (&iter, kept_mine);
      while (g_hash_table_iter_next (&iter, &field, NULL))
        lk_conflicts_dialog_set_keep_mine (self, field, TRUE);
    }
  update_buttons (self);
  set_loading (self, FALSE);
}

static void
row_selected_cb (LkConflictsDialog *self,
                 GtkListBoxRow     *row,
                 GtkListBox        *list)
{
  if (row == NULL || self->conflicts == NULL)
    return;
  show_conflict (self, gtk_list_box_row_get_index (row));
}

static void
resolve_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkConflictsDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (!lk_session_resolve_conflict_finish (LK_SESSION (source), result, &error))
    {
      update_buttons (self);
      set_error (self, error->message);
      return;
    }

  lk_conflicts_dialog_reload (self);
}

static void
apply_clicked_cb (LkConflictsDialog *self)
{
  lk_conflicts_dialog_apply (self, FALSE);
}

static void
dismiss_clicked_cb (LkConflictsDialog *self)
{
  lk_conflicts_dialog_apply (self, TRUE);
}

static void
conflict_count_cb (LkConflictsDialog *self,
                   GParamSpec        *pspec,
                   LkSession         *session)
{
  /* While a resolution runs, its end reloads anyway (resolve_cb). */
  if (!self->busy)
    lk_conflicts_dialog_reload (self);
}

static void
lk_conflicts_dialog_constructed (GObject *object)
{
  LkConflictsDialog *self = (LkConflictsDialog *)object;

  G_OBJECT_CLASS (lk_conflicts_dialog_parent_class)->constructed (object);

  g_assert (LK_IS_SESSION (self->session));
  g_signal_connect_object (self->session, "notify::conflict-count",
                           G_CALLBACK (conflict_count_cb), self, G_CONNECT_SWAPPED);
  lk_conflicts_dialog_reload (self);
}

static void
lk_conflicts_dialog_dispose (GObject *object)
{
  LkConflictsDialog *self = (LkConflictsDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_CONFLICTS_DIALOG);
  self->shown = NULL;
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->receipts, g_ptr_array_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lk_conflicts_dialog_parent_class)->dispose (object);
}

static void
lk_conflicts_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LkConflictsDialog *self = LK_CONFLICTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_conflicts_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LkConflictsDialog *self = LK_CONFLICTS_DIALOG (object);

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
lk_conflicts_dialog_class_init (LkConflictsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_conflicts_dialog_constructed;
  object_class->dispose = lk_conflicts_dialog_dispose;
  object_class->get_property = lk_conflicts_dialog_get_property;
  object_class->set_property = lk_conflicts_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-conflicts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, conflicts_list);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, detail_title);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, detail_body);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, fields_grid);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsDialog, apply_button);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_conflicts_dialog_init (LkConflictsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->choices = g_ptr_array_new ();
  update_buttons (self);
}

LkConflictsDialog *
lk_conflicts_dialog_new (GtkWindow *parent,
                         LkSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LK_IS_SESSION (session), NULL);

  return g_object_new (LK_TYPE_CONFLICTS_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

void
lk_conflicts_dialog_reload (LkConflictsDialog *self)
{
  g_autoptr(GTask) task = NULL;
  LkStore *store;
  LoadData *load;

  g_return_if_fail (LK_IS_CONFLICTS_DIALOG (self));

  store = lk_session_get_store (self->session);
  g_return_if_fail (store != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (LoadData, 1);
  load->store = g_object_ref (store);

  set_loading (self, TRUE);
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, lk_conflicts_dialog_reload);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
lk_conflicts_dialog_get_loading (LkConflictsDialog *self)
{
  g_return_val_if_fail (LK_IS_CONFLICTS_DIALOG (self), FALSE);
  return self->loading;
}

guint
lk_conflicts_dialog_get_n_conflicts (LkConflictsDialog *self)
{
  g_return_val_if_fail (LK_IS_CONFLICTS_DIALOG (self), 0);
  return self->conflicts != NULL ? self->conflicts->len : 0;
}

gboolean
lk_conflicts_dialog_select (LkConflictsDialog *self,
                            guint              index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (LK_IS_CONFLICTS_DIALOG (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->conflicts_list, index);
  if (row == NULL)
    return FALSE;
  gtk_list_box_select_row (self->conflicts_list, row);
  return self->shown == g_ptr_array_index (self->conflicts, index);
}

gboolean
lk_conflicts_dialog_set_keep_mine (LkConflictsDialog *self,
                                   const char        *field,
                                   gboolean           keep_mine)
{
  g_return_val_if_fail (LK_IS_CONFLICTS_DIALOG (self), FALSE);

  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkDropDown *dropdown = g_ptr_array_index (self->choices, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (dropdown), "lk-field"), field) == 0)
        {
          gtk_drop_down_set_selected (dropdown, keep_mine ? CHOICE_MINE : CHOICE_THEIRS);
          return TRUE;
        }
    }
  return FALSE;
}

void
lk_conflicts_dialog_apply (LkConflictsDialog *self,
                           gboolean           dismiss)
{
  g_autoptr(GHashTable) keep_mine = NULL;

  g_return_if_fail (LK_IS_CONFLICTS_DIALOG (self));

  if (self->shown == NULL || self->busy)
    return;

  keep_mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->choices->len && !dismiss; i++)
    {
      GtkDropDown *dropdown = g_ptr_array_index (self->choices, i);
      const char *field = g_object_get_data (G_OBJECT (dropdown), "lk-field");
      gboolean mine = gtk_drop_down_get_selected (dropdown) == CHOICE_MINE;

      g_hash_table_insert (keep_mine, g_strdup (field), GINT_TO_POINTER (mine));
      /* A transition kept as mine keeps its reason too. */
      if (mine && g_str_equal (field, "to_state"))
        g_hash_table_insert (keep_mine, g_strdup ("reason"), GINT_TO_POINTER (TRUE));
    }

  self->busy = TRUE;
  set_error (self, NULL);
  update_buttons (self);
  lk_session_resolve_conflict_async (self->session, self->shown->id, keep_mine, NULL,
                                     resolve_cb, g_object_ref (self));
}

const char *
lk_conflicts_dialog_get_error (LkConflictsDialog *self)
{
  g_return_val_if_fail (LK_IS_CONFLICTS_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}
