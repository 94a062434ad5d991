/* lk-number-register.c — the administrator's window on the register of
 * letter numbers (docs/api-v1.md, "Numbering")
 *
 * The service types and units come from the local store (read in a
 * worker); the register of the chosen series from the server
 * (lk_session_list_numbers_async). Void… asks for a reason in a message
 * dialog and sends it (lk_session_void_number_async), then reloads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "store/lk-store-private.h"
#include "lk-app-setup.h"
#include "lk-number-register-private.h"

struct _LkNumberRegister
{
  AdwWindow           parent_instance;

  LkSession          *session;
  GCancellable       *cancellable;     /* of the register being read */
  GCancellable       *life;            /* of everything else; cancelled at dispose */

  GPtrArray          *service_ids;     /* char*, in service_row's order */
  GPtrArray          *unit_ids;        /* char*, in unit_row's order */
  JsonArray          *rows;            /* the register shown, NULL before one is read */
  GListStore         *items;           /* GtkStringObject: the index into rows */
  GtkSingleSelection *selection;
  guint               pending;         /* reads and voids under way */
  gboolean            can_void;
  gboolean            populating;      /* the combo rows are being filled */
  char               *error;
  char               *summary;
  AdwMessageDialog   *void_dialog;     /* weak */

  AdwComboRow        *service_row;
  AdwComboRow        *unit_row;
  GtkSpinButton      *year_spin;
  GtkLabel           *error_label;
  GtkLabel           *summary_label;
  GtkLabel           *list_label;
  GtkColumnView      *column_view;
  GtkSpinner         *spinner;
};

G_DEFINE_FINAL_TYPE (LkNumberRegister, lk_number_register, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the choices worker found in the store. */
typedef struct
{
  GPtrArray *services;   /* LkServiceType */
  GPtrArray *units;      /* char*: id, label, id, label, … */
} Choices;

static void
choices_free (gpointer data)
{
  Choices *choices = data;

  g_clear_pointer (&choices->services, g_ptr_array_unref);
  g_clear_pointer (&choices->units, g_ptr_array_unref);
  g_free (choices);
}

/* ---- helpers ---- */

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_row (LkNumberRegister *self,
         guint             row)
{
  JsonNode *node;

  if (self->rows == NULL || row >= json_array_get_length (self->rows))
    return NULL;
  node = json_array_get_element (self->rows, row);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
cell_text (JsonObject     *row,
           LkNumberColumn  column)
{
  const char *status = string_member (row, "status");

  switch (column)
    {
    case LK_NUMBER_COLUMN_SEQ:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (row, "seq", 0));
    case LK_NUMBER_COLUMN_NUMBER:
      return g_strdup (string_member (row, "number") != NULL ? string_member (row, "number") : "");
    case LK_NUMBER_COLUMN_STATUS:
      if (g_strcmp0 (status, "issued") == 0)
        return g_strdup (C_("number status", "Issued"));
      if (g_strcmp0 (status, "used") == 0)
        return g_strdup (C_("number status", "Used"));
      if (g_strcmp0 (status, "voided") == 0)
        return g_strdup (C_("number status", "Voided"));
      if (g_strcmp0 (status, "missing") == 0)
        return g_strdup (C_("number status", "Missing"));
      return g_strdup (status != NULL ? status : "");
    case LK_NUMBER_COLUMN_CASE:
      if (string_member (row, "receipt") != NULL)
        return g_strdup (string_member (row, "receipt"));
      if (string_member (row, "case_id") != NULL)
        return g_strdup (string_member (row, "case_id"));
      if (string_member (row, "block_id") != NULL)
        return g_strdup (_("Offline block"));
      return g_strdup ("");
    case LK_NUMBER_COLUMN_REASON:
      return g_strdup (string_member (row, "void_reason") != NULL ? string_member (row, "void_reason") : "");
    case LK_N_NUMBER_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_error (LkNumberRegister *self,
           const char       *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
update_busy (LkNumberRegister *self)
{
  gtk_spinner_set_spinning (self->spinner, self->pending > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->pending > 0);
}

static void
update_actions (LkNumberRegister *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);
  gboolean can_void = self->pending == 0 && selected != GTK_INVALID_LIST_POSITION &&
                      g_strcmp0 (lk_number_register_get_status (self, selected), "issued") == 0;

  self->can_void = can_void;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "register.void", can_void);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "register.refresh",
                                 self->pending == 0 && self->service_ids->len > 0 && self->unit_ids->len > 0);
}

static void
update_summary (LkNumberRegister *self)
{
  guint n = 0, used = 0, issued = 0, voided = 0;

  g_clear_pointer (&self->summary, g_free);
  if (self->rows != NULL)
    {
      n = json_array_get_length (self->rows);
      for (guint i = 0; i < n; i++)
        {
          const char *status = string_member (get_row (self, i), "status");

          used += g_strcmp0 (status, "used") == 0;
          issued += g_strcmp0 (status, "issued") == 0;
          voided += g_strcmp0 (status, "voided") == 0;
        }
      if (n == 0)
        self->summary = g_strdup (_("No number of this series has been issued."));
      else
        /* Translators: N numbers: U used, I issued, V voided */
        self->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u number: %u used, %u issued, %u voided",
                                                      "%u numbers: %u used, %u issued, %u voided", n),
                                         n, used, issued, voided);
    }
  gtk_label_set_text (self->summary_label, self->summary != NULL ? self->summary : "");
}

static void
show_rows (LkNumberRegister *self,
           JsonArray        *rows)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = rows != NULL ? json_array_get_length (rows) : 0;

  g_clear_pointer (&self->rows, json_array_unref);
  self->rows = rows != NULL ? json_array_ref (rows) : NULL;
  for (guint i = 0; i < n; i++)
    {
      char index[16];

      g_snprintf (index, sizeof index, "%u", i);
      g_ptr_array_add (items, gtk_string_object_new (index));
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  update_summary (self);
  update_actions (self);
}

/* ---- reading the register ---- */

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkNumberRegister) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;

  rows = lk_session_list_numbers_finish (self->session, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a newer read (or the window's end) took over; it counts itself */
  g_clear_object (&self->cancellable);
  self->pending--;
  update_busy (self);
  if (rows == NULL)
    {
      g_debug ("The register cannot be read: %s", error->message);
      show_rows (self, NULL);
      set_error (self, error->message);
      return;
    }
  set_error (self, NULL);
  show_rows (self, rows);
}

static void
reload (LkNumberRegister *self)
{
  guint service = adw_combo_row_get_selected (self->service_row);
  guint unit = adw_combo_row_get_selected (self->unit_row);

  if (self->populating)
    return;
  if (service >= self->service_ids->len || unit >= self->unit_ids->len)
    {
      show_rows (self, NULL);
      return;
    }

  /* A read under way is dropped: its callback sees it cancelled. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->pending--;
    }
  self->cancellable = g_cancellable_new ();
  self->pending++;
  update_busy (self);
  update_actions (self);
  lk_session_list_numbers_async (self->session, g_ptr_array_index (self->service_ids, service),
                                 g_ptr_array_index (self->unit_ids, unit),
                                 gtk_spin_button_get_value_as_int (self->year_spin),
                                 self->cancellable, list_done_cb, g_object_ref (self));
}

/* ---- the choices ---- */

static void
choices_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LkStore *store = task_data;
  Choices *choices = g_new0 (Choices, 1);
  sqlite3_stmt *stmt;

  choices->services = lk_store_list_service_types (store, NULL);
  if (choices->services == NULL)
    choices->services = g_ptr_array_new_with_free_func (g_object_unref);
  choices->units = g_ptr_array_new_with_free_func (g_free);
  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT id, code, name FROM units ORDER BY code LIMIT 10000", NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_ptr_array_add (choices->units, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          /* Translators: a unit in the list: its code — its name */
          g_ptr_array_add (choices->units, g_strdup_printf (_("%s — %s"),
                                                            (const char *) sqlite3_column_text (stmt, 1),
                                                            (const char *) sqlite3_column_text (stmt, 2)));
        }
      sqlite3_reset (stmt);
    }
  lk_store_unlock (store);
  g_task_return_pointer (task, choices, choices_free);
}

static void
choices_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LkNumberRegister *self = LK_NUMBER_REGISTER (source);
  g_autoptr(GtkStringList) services = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) units = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  Choices *choices;

  choices = g_task_propagate_pointer (G_TASK (result), &error);
  if (choices == NULL)
    return;   /* cancelled: the window is gone */
  self->pending--;
  update_busy (self);

  self->populating = TRUE;
  for (guint i = 0; i < choices->services->len; i++)
    {
      LkServiceType *type = g_ptr_array_index (choices->services, i);

      g_ptr_array_add (self->service_ids, g_strdup (lk_service_type_get_id (type)));
      gtk_string_list_append (services, lk_service_type_get_name (type));
    }
  for (guint i = 0; i + 1 < choices->units->len; i += 2)
    {
      g_ptr_array_add (self->unit_ids, g_strdup (g_ptr_array_index (choices->units, i)));
      gtk_string_list_append (units, g_ptr_array_index (choices->units, i + 1));
    }
  adw_combo_row_set_model (self->service_row, G_LIST_MODEL (services));
  adw_combo_row_set_model (self->unit_row, G_LIST_MODEL (units));
  self->populating = FALSE;
  choices_free (choices);

  if (self->service_ids->len == 0 || self->unit_ids->len == 0)
    {
      set_error (self, _("There are no service types or units on this computer yet; sync first."));
      update_actions (self);
      return;
    }
  reload (self);
}

/* ---- voiding ---- */

static void
void_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkNumberRegister) self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  update_busy (self);
  if (!lk_session_void_number_finish (self->session, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("The number was not voided: %s", error->message);
      /* Translators: %s is the server's (or the app's) reason */
      {
        g_autofree char *text = g_strdup_printf (_("The number was not voided: %s"), error->message);

        set_error (self, text);
      }
      update_actions (self);
      return;
    }
  set_error (self, NULL);
  reload (self);
}

static void
void_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  LkNumberRegister *self)
{
  g_autofree char *reason = lk_number_register_void_dialog_get_reason (dialog);
  const char *number = lk_number_register_void_dialog_get_number (dialog);

  if (g_strcmp0 (response, "void") != 0 || reason == NULL || number == NULL)
    return;
  self->pending++;
  update_busy (self);
  update_actions (self);
  lk_session_void_number_async (self->session, number, reason, self->life, void_done_cb, g_object_ref (self));
}

static void
open_void_dialog (LkNumberRegister *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);
  const char *number = string_member (get_row (self, selected), "number");
  AdwMessageDialog *dialog;

  if (number == NULL || g_strcmp0 (lk_number_register_get_status (self, selected), "issued") != 0)
    return;
  if (self->void_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->void_dialog));

  dialog = lk_number_register_void_dialog_new (GTK_WINDOW (self), number);
  g_signal_connect_object (dialog, "response", G_CALLBACK (void_response_cb), self, 0);
  self->void_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->void_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- callbacks ---- */

static void
series_changed_cb (LkNumberRegister *self)
{
  reload (self);
}

static void
selection_changed_cb (LkNumberRegister *self)
{
  update_actions (self);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               LkNumberRegister         *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              LkNumberRegister         *self)
{
  LkNumberColumn column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkStringObject *index = gtk_list_item_get_item (item);
  JsonObject *row = get_row (self, (guint) g_ascii_strtoull (gtk_string_object_get_string (index), NULL, 10));
  g_autofree char *text = row != NULL ? cell_text (row, column) : g_strdup ("");

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), *text != '\0' ? text : NULL);
}

static void
refresh_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  reload (LK_NUMBER_REGISTER (widget));
}

static void
void_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  open_void_dialog (LK_NUMBER_REGISTER (widget));
}

/* ---- GObject ---- */

static void
add_column (LkNumberRegister *self,
            LkNumberColumn    column,
            const char       *title,
            gboolean          expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect_object (factory, "setup", G_CALLBACK (cell_setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (cell_bind_cb), self, 0);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
lk_number_register_constructed (GObject *object)
{
  LkNumberRegister *self = LK_NUMBER_REGISTER (object);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  G_OBJECT_CLASS (lk_number_register_parent_class)->constructed (object);

  self->populating = TRUE;
  gtk_spin_button_set_value (self->year_spin, g_date_time_get_year (now));
  self->populating = FALSE;
  update_actions (self);

  if (self->session == NULL || lk_session_get_store (self->session) == NULL)
    {
      set_error (self, _("The account’s data is not open yet."));
      return;
    }
  self->pending++;
  update_busy (self);
  task = g_task_new (self, self->life, choices_done_cb, NULL);
  g_task_set_source_tag (task, lk_number_register_constructed);
  g_task_set_task_data (task, g_object_ref (lk_session_get_store (self->session)), g_object_unref);
  g_task_run_in_thread (task, choices_thread);
}

static void
lk_number_register_dispose (GObject *object)
{
  LkNumberRegister *self = LK_NUMBER_REGISTER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->life);
  if (self->void_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->void_dialog));
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_NUMBER_REGISTER);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lk_number_register_parent_class)->dispose (object);
}

static void
lk_number_register_finalize (GObject *object)
{
  LkNumberRegister *self = LK_NUMBER_REGISTER (object);

  g_clear_object (&self->life);
  g_clear_pointer (&self->service_ids, g_ptr_array_unref);
  g_clear_pointer (&self->unit_ids, g_ptr_array_unref);
  g_clear_pointer (&self->rows, json_array_unref);
  g_free (self->error);
  g_free (self->summary);

  G_OBJECT_CLASS (lk_number_register_parent_class)->finalize (object);
}

static void
lk_number_register_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LkNumberRegister *self = LK_NUMBER_REGISTER (object);

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
lk_number_register_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LkNumberRegister *self = LK_NUMBER_REGISTER (object);

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
lk_number_register_class_init (LkNumberRegisterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_number_register_constructed;
  object_class->dispose = lk_number_register_dispose;
  object_class->finalize = lk_number_register_finalize;
  object_class->set_property = lk_number_register_set_property;
  object_class->get_property = lk_number_register_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-number-register.ui");
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, service_row);
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, unit_row);
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, year_spin);
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, list_label);
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, column_view);
  gtk_widget_class_bind_template_child (widget_class, LkNumberRegister, spinner);

  gtk_widget_class_install_action (widget_class, "register.refresh", NULL, refresh_action_cb);
  gtk_widget_class_install_action (widget_class, "register.void", NULL, void_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "register.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "register.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_number_register_init (LkNumberRegister *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->life = g_cancellable_new ();
  self->service_ids = g_ptr_array_new_with_free_func (g_free);
  self->unit_ids = g_ptr_array_new_with_free_func (g_free);
  self->items = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, LK_NUMBER_COLUMN_SEQ, C_("number register column", "Seq"), FALSE);
  add_column (self, LK_NUMBER_COLUMN_NUMBER, C_("number register column", "Number"), TRUE);
  add_column (self, LK_NUMBER_COLUMN_STATUS, C_("number register column", "Status"), FALSE);
  add_column (self, LK_NUMBER_COLUMN_CASE, C_("number register column", "Case"), FALSE);
  add_column (self, LK_NUMBER_COLUMN_REASON, C_("number register column", "Reason"), TRUE);

  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->service_row, "notify::selected", G_CALLBACK (series_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->unit_row, "notify::selected", G_CALLBACK (series_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->year_spin, "value-changed", G_CALLBACK (series_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Public API */

LkNumberRegister *
lk_number_register_new (GtkWindow *parent,
                        LkSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LK_IS_SESSION (session), NULL);

  return g_object_new (LK_TYPE_NUMBER_REGISTER,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

gboolean
lk_number_register_get_loading (LkNumberRegister *self)
{
  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), FALSE);
  return self->pending > 0;
}

gboolean
lk_number_register_select_series (LkNumberRegister *self,
                                  const char       *service_type_id,
                                  const char       *unit_id,
                                  int               year)
{
  guint service = GTK_INVALID_LIST_POSITION, unit = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), FALSE);

  for (guint i = 0; i < self->service_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->service_ids, i), service_type_id) == 0)
      service = i;
  for (guint i = 0; i < self->unit_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->unit_ids, i), unit_id) == 0)
      unit = i;
  if (service == GTK_INVALID_LIST_POSITION || unit == GTK_INVALID_LIST_POSITION)
    return FALSE;

  self->populating = TRUE;
  adw_combo_row_set_selected (self->service_row, service);
  adw_combo_row_set_selected (self->unit_row, unit);
  gtk_spin_button_set_value (self->year_spin, year);
  self->populating = FALSE;
  reload (self);
  return TRUE;
}

void
lk_number_register_reload (LkNumberRegister *self)
{
  g_return_if_fail (LK_IS_NUMBER_REGISTER (self));
  reload (self);
}

guint
lk_number_register_get_n_rows (LkNumberRegister *self)
{
  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

const char *
lk_number_register_get_status (LkNumberRegister *self,
                               guint             row)
{
  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), NULL);
  return string_member (get_row (self, row), "status");
}

char *
lk_number_register_get_cell (LkNumberRegister *self,
                             guint             row,
                             LkNumberColumn    column)
{
  JsonObject *object;

  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), NULL);
  g_return_val_if_fail (column < LK_N_NUMBER_COLUMNS, NULL);

  object = get_row (self, row);
  return object != NULL ? cell_text (object, column) : NULL;
}

void
lk_number_register_select_row (LkNumberRegister *self,
                               guint             row)
{
  g_return_if_fail (LK_IS_NUMBER_REGISTER (self));
  gtk_single_selection_set_selected (self->selection, row);
}

gboolean
lk_number_register_get_can_void (LkNumberRegister *self)
{
  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), FALSE);
  return self->can_void;
}

const char *
lk_number_register_get_summary (LkNumberRegister *self)
{
  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), NULL);
  return self->summary;
}

const char *
lk_number_register_get_error (LkNumberRegister *self)
{
  g_return_val_if_fail (LK_IS_NUMBER_REGISTER (self), NULL);
  return self->error;
}
