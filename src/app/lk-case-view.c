/* lk-case-view.c — the detail of one case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-case-view.h"
#include "lk-app-setup.h"
#include "lk-case-actions.h"
#include "store/lk-store.h"
#include "sync/lk-outbox.h"

/* Notes shown per case: the newest ones (a case collects few). */
#define MAX_NOTES 500
/* GtkEntry lengths are characters; the outbox checks the bytes. */
#define NOTE_MAX_CHARS   (LK_OUTBOX_MAX_NOTE / 4)

struct _LkCaseView
{
  GtkWidget             parent_instance;

  LkSession            *session;
  char                 *case_id;
  LkCase               *kase;
  GListStore           *documents;
  GListStore           *history;
  GCancellable         *load_cancellable;
  GCancellable         *blob_cancellable;

  GtkStack             *stack;
  AdwStatusPage        *error_page;
  AdwActionRow         *receipt_row;
  AdwActionRow         *state_row;
  AdwActionRow         *service_row;
  AdwActionRow         *sla_row;
  AdwActionRow         *name_row;
  AdwActionRow         *nik_row;
  AdwActionRow         *email_row;
  AdwActionRow         *phone_row;
  AdwActionRow         *address_row;
  AdwPreferencesGroup  *business_group;
  AdwActionRow         *business_name_row;
  AdwActionRow         *nib_row;
  GtkListBox           *documents_list;
  GtkLabel             *no_documents_label;
  GtkListBox           *history_list;
  LkPdfView            *pdf_view;
  GtkMenuButton        *move_button;
  GtkLabel             *action_error_label;
  GtkListBox           *notes_list;
  GtkLabel             *no_notes_label;
  GtkEntry             *note_entry;
  GtkButton            *add_note_button;

  GPtrArray            *notes;
  GMenu                *move_menu;
  AdwMessageDialog     *reason_dialog;   /* weak */
  LkCaseState           reason_to;
  guint                 n_pending;
  gulong                local_change_id;
  gulong                role_id;
};

G_DEFINE_FINAL_TYPE (LkCaseView, lk_case_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CASE_ID,
  PROP_CASE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  LkStore   *store;
  char      *case_id;
  LkCase    *kase;
  GPtrArray *documents;
  GPtrArray *history;
  GPtrArray *notes;
  gboolean   reload;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_pointer (&load->notes, g_ptr_array_unref);
  g_clear_object (&load->store);
  g_clear_object (&load->kase);
  g_clear_pointer (&load->documents, g_ptr_array_unref);
  g_clear_pointer (&load->history, g_ptr_array_unref);
  g_free (load->case_id);
  g_free (load);
}

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : "—");
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);

  if (dt == NULL)
    return g_strdup ("—");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

static void
splice_all (GListStore *store,
            GPtrArray  *items)
{
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       items != NULL ? items->pdata : NULL,
                       items != NULL ? items->len : 0);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;

  load->kase = lk_store_get_case (load->store, load->case_id, &error);
  if (load->kase == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  load->documents = lk_store_list_documents (load->store, load->case_id, &error);
  if (load->documents == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  load->history = lk_store_list_history (load->store, load->case_id, &error);
  if (load->history == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  load->notes = lk_store_list_notes (load->store, load->case_id, MAX_NOTES, &error);
  if (load->notes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
show_case (LkCaseView *self)
{
  LkCase *kase = self->kase;
  const char *sla_due = lk_case_get_sla_due (kase);
  const char *service = lk_case_get_service_name (kase);
  gboolean has_business;

  set_row (self->receipt_row, lk_case_get_receipt (kase));
  set_row (self->state_row, lk_case_state_get_label (lk_case_get_state (kase)));
  set_row (self->service_row, service != NULL ? service : lk_case_get_service_code (kase));
  set_row (self->sla_row, sla_due);
  set_row (self->name_row, lk_case_get_applicant_name (kase));
  set_row (self->nik_row, lk_case_get_nik (kase));
  set_row (self->email_row, lk_case_get_email (kase));
  set_row (self->phone_row, lk_case_get_phone (kase));
  set_row (self->address_row, lk_case_get_address (kase));

  has_business = lk_case_get_business_name (kase) != NULL || lk_case_get_nib (kase) != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->business_group), has_business);
  set_row (self->business_name_row, lk_case_get_business_name (kase));
  set_row (self->nib_row, lk_case_get_nib (kase));
}

static void
update_moves (LkCaseView *self)
{
  LkRole role = self->session != NULL ? lk_session_get_role (self->session) : LK_ROLE_INVALID;
  LkCaseState from = self->kase != NULL ? lk_case_get_state (self->kase) : LK_CASE_STATE_INVALID;
  guint n_moves = lk_case_actions_set_moves (self->move_menu, from, role);

  gtk_widget_set_sensitive (GTK_WIDGET (self->move_button), n_moves > 0 && self->n_pending == 0);
  if (role == LK_ROLE_INVALID)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_button),
                                 _("Sign in once to learn which moves your role may make"));
  else if (n_moves == 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_button),
                                 _("Your role cannot move a case in this state"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_button),
                                 _("Move the case to another state (Ctrl+M)"));
}

static GtkWidget *
create_note_row (JsonObject *note)
{
  g_autofree char *when = format_time (json_object_get_int_member (note, "at"));
  /* Translators: who · when, under a note */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), json_object_get_string_member (note, "author"), when);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), json_object_get_string_member (note, "text"));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static void
show_notes (LkCaseView *self,
            GPtrArray  *notes)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->notes_list))) != NULL)
    gtk_list_box_remove (self->notes_list, child);

  g_clear_pointer (&self->notes, g_ptr_array_unref);
  if (notes != NULL)
    {
      self->notes = g_ptr_array_ref (notes);
      for (guint i = 0; i < notes->len; i++)
        gtk_list_box_append (self->notes_list, create_note_row (g_ptr_array_index (notes, i)));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->notes_list), notes != NULL && notes->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_notes_label), notes == NULL || notes->len == 0);
}

static void
set_action_error (LkCaseView *self,
                  const char *message)
{
  gtk_label_set_label (self->action_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_error_label), message != NULL);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LkCaseView *self = LK_CASE_VIEW (source);
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("Cannot load a case: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      lk_pdf_view_clear (self->pdf_view);
      return;
    }

  g_set_object (&self->kase, load->kase);
  show_case (self);
  update_moves (self);
  show_notes (self, load->notes);
  splice_all (self->history, load->history);
  gtk_stack_set_visible_child_name (self->stack, "case");

  /* A reload after a local action or a sync keeps the attachment shown. */
  if (load->reload && g_list_model_get_n_items (G_LIST_MODEL (self->documents)) == load->documents->len)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
      return;
    }

  splice_all (self->documents, load->documents);
  gtk_widget_set_visible (GTK_WIDGET (self->no_documents_label), load->documents->len == 0);

  if (load->documents->len > 0)
    gtk_list_box_select_row (self->documents_list,
                             gtk_list_box_get_row_at_index (self->documents_list, 0));
  else
    lk_pdf_view_clear (self->pdf_view);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
}

static void
fetch_blob_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = lk_session_fetch_blob_finish (LK_SESSION (source), result, &error);
  if (path == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lk_pdf_view_show_error (self->pdf_view, error->message);
      return;
    }

  lk_pdf_view_load_file (self->pdf_view, path);
}

static void
document_selected_cb (LkCaseView    *self,
                      GtkListBoxRow *row,
                      GtkListBox    *list)
{
  g_autoptr(LkDocument) document = NULL;

  g_cancellable_cancel (self->blob_cancellable);
  g_clear_object (&self->blob_cancellable);

  if (row == NULL || self->session == NULL)
    return;

  document = g_list_model_get_item (G_LIST_MODEL (self->documents),
                                    gtk_list_box_row_get_index (row));
  if (document == NULL)
    return;

  self->blob_cancellable = g_cancellable_new ();
  lk_pdf_view_set_loading (self->pdf_view);
  lk_session_fetch_blob_async (self->session, lk_document_get_sha256 (document),
                               self->blob_cancellable, fetch_blob_cb, g_object_ref (self));
}

static GtkWidget *
create_document_row (gpointer item,
                     gpointer user_data)
{
  LkDocument *document = item;
  g_autofree char *size = g_format_size (MAX (0, lk_document_get_size (document)));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("x-office-document-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lk_document_get_name (document));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_tooltip_text (row, _("Show this attachment"));

  return row;
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  LkHistoryEntry *entry = item;
  LkCaseState from = lk_history_entry_get_from_state (entry);
  LkCaseState to = lk_history_entry_get_to_state (entry);
  const char *reason = lk_history_entry_get_reason (entry);
  g_autofree char *when = format_time (lk_history_entry_get_at (entry));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (from == LK_CASE_STATE_INVALID)
    /* Translators: the first history entry; %s is a state such as "Submitted" */
    title = g_strdup_printf (_("Created as %s"), lk_case_state_get_label (to));
  else
    /* Translators: a state change, e.g. "Verifying → Verified" */
    title = g_strdup_printf (_("%s → %s"), lk_case_state_get_label (from), lk_case_state_get_label (to));

  if (reason != NULL && *reason != '\0')
    /* Translators: who · when · why */
    subtitle = g_strdup_printf (_("%s · %s · %s"), lk_history_entry_get_actor (entry), when, reason);
  else
    /* Translators: who · when */
    subtitle = g_strdup_printf (_("%s · %s"), lk_history_entry_get_actor (entry), when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static void start_load (LkCaseView *self,
                        gboolean    reload);

static void
set_pending (LkCaseView *self,
             gboolean    pending)
{
  if (pending)
    self->n_pending++;
  else
    {
      g_assert (self->n_pending > 0);
      self->n_pending--;
    }

  if (self->n_pending <= 1)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_note_button), self->n_pending == 0);
      update_moves (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
transition_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_session_transition_finish (LK_SESSION (source), result, &error))
    {
      g_debug ("A transition failed: %s", error->message);
      set_action_error (self, error->message);
    }
  set_pending (self, FALSE);
}

static void
add_note_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkCaseView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_session_add_note_finish (LK_SESSION (source), result, &error))
    {
      g_debug ("A note failed: %s", error->message);
      set_action_error (self, error->message);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  set_pending (self, FALSE);
}

static void
reason_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkCaseView       *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "move") == 0 && *reason != '\0')
    lk_case_view_transition (self, self->reason_to, reason);
}

static void
show_reason_dialog (LkCaseView  *self,
                    LkCaseState  to)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  if (self->reason_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reason_dialog));

  dialog = lk_case_actions_new_reason_dialog (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, to);

  self->reason_to = to;
  g_signal_connect_object (dialog, "response", G_CALLBACK (reason_response_cb), self, 0);
  self->reason_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->reason_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (adw_message_dialog_get_extra_child (dialog));
}

static void
add_note_clicked_cb (LkCaseView *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  if (*text == '\0')
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.case-add-note", "s", text);
}

static void
note_changed_cb (LkCaseView *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_note_button), *text != '\0' && self->n_pending == 0);
}

static void
local_change_cb (LkCaseView *self,
                 const char *case_id,
                 LkSession  *session)
{
  if (g_strcmp0 (case_id, self->case_id) == 0)
    start_load (self, TRUE);
}

static void
role_changed_cb (LkCaseView *self,
                 GParamSpec *pspec,
                 LkSession  *session)
{
  update_moves (self);
}

static void
disconnect_session (LkCaseView *self)
{
  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->local_change_id, self->session);
      g_clear_signal_handler (&self->role_id, self->session);
    }
}

static void
lk_case_view_dispose (GObject *object)
{
  LkCaseView *self = (LkCaseView *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->blob_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->blob_cancellable);

  if (self->reason_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reason_dialog));

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_CASE_VIEW);

  disconnect_session (self);
  g_clear_object (&self->session);
  g_clear_object (&self->move_menu);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_object (&self->kase);
  g_clear_object (&self->documents);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (lk_case_view_parent_class)->dispose (object);
}

static void
lk_case_view_finalize (GObject *object)
{
  LkCaseView *self = (LkCaseView *)object;

  g_free (self->case_id);

  G_OBJECT_CLASS (lk_case_view_parent_class)->finalize (object);
}

static void
lk_case_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkCaseView *self = LK_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CASE_ID:
      g_value_set_string (value, self->case_id);
      break;
    case PROP_CASE:
      g_value_set_object (value, self->kase);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_case_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LkCaseView *self = LK_CASE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      lk_case_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_CASE_ID:
      lk_case_view_set_case_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_case_view_class_init (LkCaseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_case_view_dispose;
  object_class->finalize = lk_case_view_finalize;
  object_class->get_property = lk_case_view_get_property;
  object_class->set_property = lk_case_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE_ID] =
    g_param_spec_string ("case-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, LK_TYPE_CASE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_PDF_VIEW);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-case-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, stack);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, error_page);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, receipt_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, state_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, service_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, sla_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, name_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, nik_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, email_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, phone_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, address_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, business_group);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, business_name_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, nib_row);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, documents_list);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, no_documents_label);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, history_list);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, pdf_view);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, move_button);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, action_error_label);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, notes_list);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, no_notes_label);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, note_entry);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, add_note_button);
  gtk_widget_class_bind_template_callback (widget_class, document_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_note_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lk-case-view");
}

static void
lk_case_view_init (LkCaseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->documents = g_list_store_new (LK_TYPE_DOCUMENT);
  self->history = g_list_store_new (LK_TYPE_HISTORY_ENTRY);
  gtk_list_box_bind_model (self->documents_list, G_LIST_MODEL (self->documents),
                           create_document_row, NULL, NULL);
  gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (self->history),
                           create_history_row, NULL, NULL);

  self->move_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->move_button, G_MENU_MODEL (self->move_menu));
  gtk_entry_set_max_length (self->note_entry, NOTE_MAX_CHARS);
  update_moves (self);
}

GtkWidget *
lk_case_view_new (LkSession *session)
{
  return g_object_new (LK_TYPE_CASE_VIEW, "session", session, NULL);
}

LkSession *
lk_case_view_get_session (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->session;
}

void
lk_case_view_set_session (LkCaseView *self,
                          LkSession  *session)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));
  g_return_if_fail (session == NULL || LK_IS_SESSION (session));

  if (self->session != session)
    {
      disconnect_session (self);
      g_set_object (&self->session, session);
      if (session != NULL)
        {
          self->local_change_id = g_signal_connect_object (session, "local-change",
                                                           G_CALLBACK (local_change_cb), self,
                                                           G_CONNECT_SWAPPED);
          self->role_id = g_signal_connect_object (session, "notify::role",
                                                   G_CALLBACK (role_changed_cb), self,
                                                   G_CONNECT_SWAPPED);
        }
      lk_case_view_set_case_id (self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
    }
}

void
lk_case_view_set_case_id (LkCaseView *self,
                          const char *case_id)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (g_strcmp0 (case_id, self->case_id) == 0)
    return;

  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
  set_action_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");

  g_cancellable_cancel (self->blob_cancellable);
  g_clear_object (&self->blob_cancellable);

  if (self->kase != NULL)
    {
      g_clear_object (&self->kase);
      update_moves (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
    }

  start_load (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

static void
start_load (LkCaseView *self,
            gboolean    reload)
{
  g_autoptr(GTask) task = NULL;
  LkStore *store;
  LoadData *load;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  store = self->session != NULL ? lk_session_get_store (self->session) : NULL;
  if (self->case_id == NULL || store == NULL)
    {
      splice_all (self->documents, NULL);
      splice_all (self->history, NULL);
      show_notes (self, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      lk_pdf_view_clear (self->pdf_view);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  load = g_new0 (LoadData, 1);
  load->store = g_object_ref (store);
  load->case_id = g_strdup (self->case_id);
  load->reload = reload;

  task = g_task_new (self, self->load_cancellable, load_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

void
lk_case_view_reload (LkCaseView *self)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (self->case_id != NULL)
    start_load (self, TRUE);
}

void
lk_case_view_request_transition (LkCaseView  *self,
                                 LkCaseState  to)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (self->kase == NULL)
    return;

  if (lk_case_transition_needs_reason (lk_case_get_state (self->kase), to))
    show_reason_dialog (self, to);
  else
    lk_case_view_transition (self, to, NULL);
}

void
lk_case_view_transition (LkCaseView  *self,
                         LkCaseState  to,
                         const char  *reason)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (self->kase == NULL || self->session == NULL)
    return;

  set_action_error (self, NULL);
  set_pending (self, TRUE);
  lk_session_transition_async (self->session, lk_case_get_id (self->kase), to, reason,
                               NULL, transition_cb, g_object_ref (self));
}

void
lk_case_view_add_note (LkCaseView *self,
                       const char *text)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));
  g_return_if_fail (text != NULL);

  if (self->kase == NULL || self->session == NULL)
    return;

  set_action_error (self, NULL);
  set_pending (self, TRUE);
  lk_session_add_note_async (self->session, lk_case_get_id (self->kase), text,
                             NULL, add_note_cb, g_object_ref (self));
}

void
lk_case_view_popup_moves (LkCaseView *self)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (self->kase != NULL && gtk_widget_is_sensitive (GTK_WIDGET (self->move_button)))
    gtk_menu_button_popup (self->move_button);
}

gboolean
lk_case_view_get_busy (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), FALSE);
  return self->n_pending > 0;
}

guint
lk_case_view_get_n_notes (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), 0);
  return self->notes != NULL ? self->notes->len : 0;
}

GMenuModel *
lk_case_view_get_moves (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return G_MENU_MODEL (self->move_menu);
}

const char *
lk_case_view_get_action_error (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->action_error_label))
         ? gtk_label_get_label (self->action_error_label) : NULL;
}

AdwMessageDialog *
lk_case_view_get_reason_dialog (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->reason_dialog;
}

const char *
lk_case_view_get_case_id (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->case_id;
}

LkCase *
lk_case_view_get_case (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->kase;
}

GListModel *
lk_case_view_get_documents (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return G_LIST_MODEL (self->documents);
}

GListModel *
lk_case_view_get_history (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return G_LIST_MODEL (self->history);
}

LkPdfView *
lk_case_view_get_pdf_view (LkCaseView *self)
{
  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);
  return self->pdf_view;
}
