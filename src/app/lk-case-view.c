/* lk-case-view.c — the detail of one case: who applies for what, the
 * requirement checklist, the SLA clock, the history and the notes, the
 * actions the user's role may take, and the preview of an attachment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-case-view-private.h"
#include "lk-app-setup.h"
#include "lk-history-row.h"
#include "lk-sla.h"
#include "lk-wrap-layout.h"
#include "letter/lk-letter-draft.h"
#include "store/lk-store.h"
#include "sync/lk-outbox.h"

/* The details and the preview sit side by side only when both get their
 * minimum width and this much more; otherwise the details go above the
 * preview, so the view never asks for both widths at once. */
#define SIDE_BY_SIDE_SPARE 24
/* The share of the width the details get when side by side, at most. */
#define DETAILS_WIDTH      400

/* Notes shown per case: the newest ones (a case collects few). */
#define MAX_NOTES 500
/* GtkEntry lengths are characters; the outbox checks the bytes. */
#define NOTE_MAX_CHARS   (LK_OUTBOX_MAX_NOTE / 4)

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
  LkBlobCache *cache;
  LkCaseLetters *letters;
  char      *case_id;
  LkCase    *kase;
  char      *unit_name;
  GPtrArray *documents;
  GPtrArray *history;
  GPtrArray *notes;
  GPtrArray *checklist;
  gboolean   reload;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_pointer (&load->notes, g_ptr_array_unref);
  g_clear_pointer (&load->checklist, g_ptr_array_unref);
  g_clear_object (&load->store);
  g_clear_object (&load->cache);
  g_clear_pointer (&load->letters, lk_case_letters_free);
  g_clear_object (&load->kase);
  g_clear_pointer (&load->documents, g_ptr_array_unref);
  g_clear_pointer (&load->history, g_ptr_array_unref);
  g_free (load->unit_name);
  g_free (load->case_id);
  g_free (load);
}

static void
set_field (LkCaseView *self,
           Field       field,
           const char *value)
{
  gtk_label_set_label (self->fields[field], value != NULL && *value != '\0' ? value : "—");
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
  g_autoptr(JsonObject) unit = NULL;
  GError *error = NULL;

  load->kase = lk_store_get_case (load->store, load->case_id, &error);
  if (load->kase == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (lk_case_get_unit (load->kase) != NULL)
    unit = lk_store_get_json (load->store, LK_KIND_UNIT, lk_case_get_unit (load->kase), NULL);
  if (unit != NULL)
    load->unit_name = g_strdup (json_object_get_string_member_with_default (unit, "name", NULL));

  load->documents = lk_store_list_documents (load->store, load->case_id, &error);
  if (load->documents == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  load->letters = lk_case_letters_load (load->store, load->cache, load->case_id, load->documents, &error);
  if (load->letters == NULL)
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

  load->checklist = lk_case_checklist_load (load->store, load->case_id,
                                            lk_case_get_service_type_id (load->kase), &error);
  if (load->checklist == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static char *
format_date (gint64 unix_time)
{
  return lk_history_format_time (unix_time);
}

gboolean
_lk_case_view_has_draft (LkCaseView *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->documents)); i++)
    {
      g_autoptr(LkDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (lk_letter_draft_is_draft_name (lk_document_get_name (document)))
        return TRUE;
    }
  return FALSE;
}

static void
update_sla (LkCaseView *self)
{
  g_autofree char *today = lk_sla_today ();
  const char *style = NULL;
  LkSlaClock clock;

  g_clear_pointer (&self->sla_text, g_free);
  if (self->kase == NULL)
    return;

  lk_sla_clock_compute (lk_case_get_state (self->kase), lk_case_get_sla_due (self->kase), today,
                        lk_history_paused_since (G_LIST_MODEL (self->history)), &clock);
  self->sla_text = lk_history_format_sla (&clock, &style);

  gtk_label_set_label (self->sla_label, self->sla_text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->sla_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->sla_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->sla_label), "error");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->sla_label), style);
  gtk_image_set_from_icon_name (self->sla_icon, clock.status == LK_SLA_PAUSED ? "media-playback-pause-symbolic"
                                                                             : "alarm-symbolic");
}

static void
show_case (LkCaseView *self)
{
  LkCase *kase = self->kase;
  const char *service = lk_case_get_service_name (kase);
  const char *state = lk_case_state_get_label (lk_case_get_state (kase));
  g_autofree char *created = format_date (lk_case_get_created_at (kase));
  g_autofree char *updated = format_date (lk_case_get_updated_at (kase));
  g_autofree char *subtitle = NULL;
  gboolean has_business;

  if (service == NULL)
    service = lk_case_get_service_code (kase);

  gtk_label_set_label (self->title_label, lk_case_get_applicant_name (kase) != NULL
                                          ? lk_case_get_applicant_name (kase) : lk_case_get_receipt (kase));
  /* Translators: under the applicant's name: receipt number · service */
  subtitle = g_strdup_printf (_("%s · %s"), lk_case_get_receipt (kase), service != NULL ? service : "—");
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_label_set_label (self->state_label, state);

  set_field (self, FIELD_NAME, lk_case_get_applicant_name (kase));
  set_field (self, FIELD_NIK, lk_case_get_nik (kase));
  set_field (self, FIELD_EMAIL, lk_case_get_email (kase));
  set_field (self, FIELD_PHONE, lk_case_get_phone (kase));
  set_field (self, FIELD_ADDRESS, lk_case_get_address (kase));
  set_field (self, FIELD_BUSINESS_NAME, lk_case_get_business_name (kase));
  set_field (self, FIELD_NIB, lk_case_get_nib (kase));
  set_field (self, FIELD_RECEIPT, lk_case_get_receipt (kase));
  set_field (self, FIELD_SERVICE, service);
  set_field (self, FIELD_UNIT, self->unit_name);
  set_field (self, FIELD_STATE, state);
  set_field (self, FIELD_SUBMITTED, created);
  set_field (self, FIELD_UPDATED, updated);
  set_field (self, FIELD_SLA_DUE, lk_case_get_sla_due (kase));

  has_business = lk_case_get_business_name (kase) != NULL || lk_case_get_nib (kase) != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->business_group), has_business);
}

static GtkWidget *
create_note_row (JsonObject *note)
{
  g_autofree char *when = lk_history_format_time (json_object_get_int_member (note, "at"));
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
show_checklist (LkCaseView *self,
                GPtrArray  *checklist)
{
  g_clear_pointer (&self->checklist, g_ptr_array_unref);
  if (checklist != NULL)
    self->checklist = g_ptr_array_ref (checklist);

  lk_case_checklist_fill (self->checklist_list, self->checklist, G_LIST_MODEL (self->documents), self->can_check);
  gtk_widget_set_visible (GTK_WIDGET (self->checklist_list), checklist != NULL && checklist->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_requirements_label), checklist == NULL || checklist->len == 0);
}

void
_lk_case_view_set_action_error (LkCaseView *self,
                  const char *message)
{
  gtk_label_set_label (self->action_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_error_label), message != NULL);
}

/* Selects the attachment document_id (it shows in the preview). */
gboolean
_lk_case_view_select_document (LkCaseView *self,
                 const char *document_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->documents)); i++)
    {
      g_autoptr(LkDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (g_strcmp0 (lk_document_get_id (document), document_id) == 0)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->documents_list, i);

          if (gtk_list_box_get_selected_row (self->documents_list) == row)
            gtk_list_box_unselect_row (self->documents_list, row);
          gtk_list_box_select_row (self->documents_list, row);
          return TRUE;
        }
    }
  return FALSE;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LkCaseView *self = LK_CASE_VIEW (source);
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean keep_documents;

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
  g_free (self->unit_name);
  self->unit_name = g_steal_pointer (&load->unit_name);

  /* A reload after a local action or a sync keeps the attachment shown. */
  keep_documents = load->reload && g_list_model_get_n_items (G_LIST_MODEL (self->documents)) == load->documents->len;
  if (!keep_documents)
    splice_all (self->documents, load->documents);

  show_case (self);
  show_notes (self, load->notes);
  splice_all (self->history, load->history);
  show_checklist (self, load->checklist);
  _lk_case_view_show_letters (self, g_steal_pointer (&load->letters));
  _lk_case_view_update_actions (self);
  update_sla (self);
  gtk_stack_set_visible_child_name (self->stack, "case");

  if (!keep_documents)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->no_documents_label), load->documents->len == 0);
      if (self->select_document_id != NULL && _lk_case_view_select_document (self, self->select_document_id))
        g_clear_pointer (&self->select_document_id, g_free);
      else if (load->documents->len > 0)
        gtk_list_box_select_row (self->documents_list,
                                 gtk_list_box_get_row_at_index (self->documents_list, 0));
      else
        lk_pdf_view_clear (self->pdf_view);
    }

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
  GtkWidget *icon = gtk_image_new_from_icon_name (lk_letter_draft_is_draft_name (lk_document_get_name (document))
                                                  ? "document-edit-symbolic" : "x-office-document-symbolic");

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
  LkCaseView *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));
  g_autoptr(LkHistoryEntry) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->history), n - 1) : NULL;

  return lk_history_row_new (item, item == (gpointer) last);
}

void
_lk_case_view_set_pending (LkCaseView *self,
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
      _lk_case_view_update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
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
    _lk_case_view_start_load (self, TRUE);
}

static void
role_changed_cb (LkCaseView *self,
                 GParamSpec *pspec,
                 LkSession  *session)
{
  _lk_case_view_update_actions (self);
  _lk_case_view_show_letters (self, self->letters);
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

  _lk_case_view_close_dialogs (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_CASE_VIEW);

  disconnect_session (self);
  g_clear_object (&self->session);
  g_clear_object (&self->move_menu);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->checklist, g_ptr_array_unref);
  g_clear_pointer (&self->letters, lk_case_letters_free);
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
  g_free (self->unit_name);
  g_free (self->sla_text);
  g_free (self->select_document_id);
  g_free (self->reason_document_id);

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

/* The paned of the "case" page: details | preview, or details above it. */
static GtkPaned *
get_split (LkCaseView *self)
{
  return GTK_PANED (gtk_stack_get_child_by_name (self->stack, "case"));
}

static int
min_width_of (GtkWidget *widget)
{
  int min = 0;

  if (widget == NULL || !gtk_widget_get_visible (widget))
    return 0;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

static gboolean
fits_side_by_side (LkCaseView *self,
                   int         width)
{
  GtkPaned *split = get_split (self);
  int details = min_width_of (gtk_paned_get_start_child (split));
  int preview = min_width_of (gtk_paned_get_end_child (split));

  return width >= details + preview + SIDE_BY_SIDE_SPARE;
}

static void
lk_case_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  LkCaseView *self = LK_CASE_VIEW (widget);
  GtkPaned *split = get_split (self);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
  if (orientation != GTK_ORIENTATION_HORIZONTAL)
    return;

  /* The split can always stack its two parts: it needs only the wider. */
  *minimum = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child == GTK_WIDGET (split))
        *minimum = MAX (*minimum, MAX (min_width_of (gtk_paned_get_start_child (split)),
                                       min_width_of (gtk_paned_get_end_child (split))));
      else
        *minimum = MAX (*minimum, min_width_of (child));
    }
  *natural = MAX (*natural, *minimum);
}

static GtkSizeRequestMode
lk_case_view_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (GTK_WIDGET (LK_CASE_VIEW (widget)->stack));
}

static void
lk_case_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  LkCaseView *self = LK_CASE_VIEW (widget);
  GtkPaned *split = get_split (self);
  GtkOrientation wanted = fits_side_by_side (self, width) ? GTK_ORIENTATION_HORIZONTAL
                                                          : GTK_ORIENTATION_VERTICAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (split)) != wanted)
    {
      gtk_orientable_set_orientation (GTK_ORIENTABLE (split), wanted);
      if (wanted == GTK_ORIENTATION_HORIZONTAL)
        gtk_paned_set_position (split, MIN (DETAILS_WIDTH, width * 2 / 5));
      else
        gtk_paned_set_position (split, height * 2 / 5);
    }
  gtk_widget_size_allocate (GTK_WIDGET (self->stack),
                            &(GtkAllocation) { 0, 0, width, height }, baseline);
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
  widget_class->measure = lk_case_view_measure;
  widget_class->size_allocate = lk_case_view_size_allocate;
  widget_class->get_request_mode = lk_case_view_get_request_mode;

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
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, title_label);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, state_label);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, sla_icon);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, sla_label);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, advance_box);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, back_box);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, applicant_group);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, business_group);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, case_group);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, checklist_list);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, letters_group);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, letters_list);
  gtk_widget_class_bind_template_child (widget_class, LkCaseView, no_requirements_label);
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

  _lk_case_view_class_init_actions (widget_class);

  gtk_widget_class_set_css_name (widget_class, "lk-case-view");
}

static void
add_field (LkCaseView          *self,
           AdwPreferencesGroup *group,
           Field                field,
           const char          *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new ("—");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (value), 32);
  gtk_label_set_justify (GTK_LABEL (value), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_set_margin_top (value, 6);
  gtk_widget_set_margin_bottom (value, 6);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (group, row);
  self->fields[field] = GTK_LABEL (value);
}

static void
lk_case_view_init (LkCaseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The action buttons wrap to a new line rather than widen the view. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self->advance_box), lk_wrap_layout_new (6));
  gtk_widget_set_layout_manager (GTK_WIDGET (self->back_box), lk_wrap_layout_new (6));

  self->documents = g_list_store_new (LK_TYPE_DOCUMENT);
  self->history = g_list_store_new (LK_TYPE_HISTORY_ENTRY);
  gtk_list_box_bind_model (self->documents_list, G_LIST_MODEL (self->documents),
                           create_document_row, NULL, NULL);
  gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (self->history),
                           create_history_row, self, NULL);

  add_field (self, self->applicant_group, FIELD_NAME, _("Name"));
  add_field (self, self->applicant_group, FIELD_NIK, _("NIK"));
  add_field (self, self->applicant_group, FIELD_EMAIL, _("Email"));
  add_field (self, self->applicant_group, FIELD_PHONE, _("Phone"));
  add_field (self, self->applicant_group, FIELD_ADDRESS, _("Address"));
  add_field (self, self->business_group, FIELD_BUSINESS_NAME, _("Business name"));
  add_field (self, self->business_group, FIELD_NIB, _("NIB"));
  add_field (self, self->case_group, FIELD_RECEIPT, _("Receipt number"));
  add_field (self, self->case_group, FIELD_SERVICE, _("Service"));
  add_field (self, self->case_group, FIELD_UNIT, _("Unit"));
  add_field (self, self->case_group, FIELD_STATE, _("State"));
  add_field (self, self->case_group, FIELD_SUBMITTED, _("Submitted"));
  add_field (self, self->case_group, FIELD_UPDATED, _("Last change"));
  add_field (self, self->case_group, FIELD_SLA_DUE, _("SLA due"));

  _lk_case_view_init_actions (self);

  self->move_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->move_button, G_MENU_MODEL (self->move_menu));
  gtk_entry_set_max_length (self->note_entry, NOTE_MAX_CHARS);
  _lk_case_view_update_actions (self);
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
      _lk_case_view_update_actions (self);
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
  g_clear_pointer (&self->select_document_id, g_free);
  _lk_case_view_set_action_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  _lk_case_view_close_dialogs (self);

  g_cancellable_cancel (self->blob_cancellable);
  g_clear_object (&self->blob_cancellable);

  if (self->kase != NULL)
    {
      g_clear_object (&self->kase);
      _lk_case_view_update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
    }

  _lk_case_view_start_load (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

void
_lk_case_view_start_load (LkCaseView *self,
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
      show_checklist (self, NULL);
      _lk_case_view_show_letters (self, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      lk_pdf_view_clear (self->pdf_view);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  load = g_new0 (LoadData, 1);
  load->store = g_object_ref (store);
  load->cache = lk_session_get_blob_cache (self->session) != NULL
                ? g_object_ref (lk_session_get_blob_cache (self->session)) : NULL;
  load->case_id = g_strdup (self->case_id);
  load->reload = reload;

  task = g_task_new (self, self->load_cancellable, load_cb, NULL);
  g_task_set_source_tag (task, _lk_case_view_start_load);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

void
lk_case_view_reload (LkCaseView *self)
{
  g_return_if_fail (LK_IS_CASE_VIEW (self));

  if (self->case_id != NULL)
    _lk_case_view_start_load (self, TRUE);
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

LkDocument *
lk_case_view_get_selected_document (LkCaseView *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (LK_IS_CASE_VIEW (self), NULL);

  row = gtk_list_box_get_selected_row (self->documents_list);
  if (row == NULL)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->documents), gtk_list_box_row_get_index (row));
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
