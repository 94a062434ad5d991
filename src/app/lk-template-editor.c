/* lk-template-editor.c — the administrator's editor of a service type's
 * letter template: the members in labelled fields, the fields that may be
 * used, errors of the parser inline, a live preview rendered in a thread,
 * and Save through the outbox (so it works offline)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-app-setup.h"
#include "lk-history-row.h"
#include "lk-template-editor-private.h"
#include "lk-template-jobs.h"
#include "letter/lk-letter-template.h"
#include "model/lk-service-type.h"

/* Edits settle this long before the template is checked and rendered. */
#define CHECK_DELAY_MS   250
#define PREVIEW_DELAY_MS 600


G_DEFINE_FINAL_TYPE (LkTemplateEditor, lk_template_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the fields mean, for their rows. */
static const struct { const char *field; const char *meaning; } field_meanings[] = {
  { "receipt", N_("The receipt number of the case") },
  { "applicant_name", N_("The applicant’s name") },
  { "nik", N_("The applicant’s NIK") },
  { "address", N_("The applicant’s address") },
  { "business_name", N_("The business name") },
  { "nib", N_("The business’s NIB") },
  { "service_name", N_("The service’s name") },
  { "unit_name", N_("The issuing unit’s name") },
  { "unit_address", N_("The issuing unit’s address") },
  { "number", N_("The letter’s number") },
  { "date", N_("The date of the letter, in Indonesian") },
  { "signer_name", N_("The signer’s name") },
  { "signer_position", N_("The signer’s position") },
  { "signer_nip", N_("The signer’s NIP") },
};

static gboolean preview_timeout_cb (gpointer data);

/* Helpers */

GtkWidget *
_lk_template_editor_member_widget (LkTemplateEditor *self,
                                   LkTemplateMember  member)
{
  switch (member)
    {
    case LK_TEMPLATE_MEMBER_AGENCY:    return GTK_WIDGET (self->agency_row);
    case LK_TEMPLATE_MEMBER_OFFICE:    return GTK_WIDGET (self->office_row);
    case LK_TEMPLATE_MEMBER_SUBJECT:   return GTK_WIDGET (self->subject_row);
    case LK_TEMPLATE_MEMBER_ADDRESSEE: return GTK_WIDGET (self->addressee_view);
    case LK_TEMPLATE_MEMBER_BODY:      return GTK_WIDGET (self->body_view);
    case LK_TEMPLATE_MEMBER_CLOSING:   return GTK_WIDGET (self->closing_view);
    case LK_TEMPLATE_MEMBER_FOOTER:    return GTK_WIDGET (self->footer_view);
    case LK_N_TEMPLATE_MEMBERS:
    default:
      g_assert_not_reached ();
    }
}

char *
_lk_template_editor_widget_text (GtkWidget *widget)
{
  GtkTextIter start, end;
  GtkTextBuffer *buffer;

  if (GTK_IS_EDITABLE (widget))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
_lk_template_editor_set_widget_text (GtkWidget  *widget,
                                     const char *text)
{
  if (GTK_IS_EDITABLE (widget))
    gtk_editable_set_text (GTK_EDITABLE (widget), text != NULL ? text : "");
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text != NULL ? text : "", -1);
}

/* The template as the fields say it. */
static char *
build_json (LkTemplateEditor *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  static const struct { LkTemplateMember member; const char *name; } members[] = {
    { LK_TEMPLATE_MEMBER_SUBJECT, "subject" },
    { LK_TEMPLATE_MEMBER_ADDRESSEE, "addressee" },
    { LK_TEMPLATE_MEMBER_BODY, "body" },
    { LK_TEMPLATE_MEMBER_CLOSING, "closing" },
    { LK_TEMPLATE_MEMBER_FOOTER, "footer" },
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "letterhead");
  json_builder_begin_object (b);
  {
    g_autofree char *agency = _lk_template_editor_widget_text (GTK_WIDGET (self->agency_row));
    g_autofree char *office = _lk_template_editor_widget_text (GTK_WIDGET (self->office_row));

    json_builder_set_member_name (b, "agency");
    json_builder_add_string_value (b, agency);
    json_builder_set_member_name (b, "office");
    json_builder_add_string_value (b, office);
    json_builder_set_member_name (b, "logo");
    if (self->logo != NULL)
      json_builder_add_string_value (b, self->logo);
    else
      json_builder_add_null_value (b);
  }
  json_builder_end_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *text = _lk_template_editor_widget_text (_lk_template_editor_member_widget (self, members[i].member));

      json_builder_set_member_name (b, members[i].name);
      json_builder_add_string_value (b, text);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
update_save (LkTemplateEditor *self)
{
  gboolean can = lk_template_editor_get_can_save (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", can);
}

void
_lk_template_editor_set_error (LkTemplateEditor *self,
                               const char       *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
_lk_template_editor_update_logo_row (LkTemplateEditor *self)
{
  g_autofree char *shown = NULL;

  if (self->logo != NULL)
    /* Translators: %s is the start of the image's SHA-256 */
    shown = g_strdup_printf (_("PNG image %.12s…"), self->logo);
  adw_action_row_set_subtitle (self->logo_row, shown != NULL ? shown : _("None"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.remove-logo", self->logo != NULL);
}

gboolean
_lk_template_editor_is_loading (LkTemplateEditor *self)
{
  return self->n_loading > 0;
}

/* Checks the template as it stands and shows what is wrong. */
static void
check_now (LkTemplateEditor *self)
{
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  g_clear_handle_id (&self->check_id, g_source_remove);
  if (self->service_type_id == NULL)
    return;

  json = build_json (self);
  template = lk_letter_template_parse (json, -1, &error);
  self->valid = template != NULL;
  _lk_template_editor_set_error (self, error != NULL ? error->message : NULL);
  update_save (self);
  if (self->valid)
    {
      g_clear_handle_id (&self->preview_id, g_source_remove);
      self->preview_id = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
    }
}

static gboolean
check_timeout_cb (gpointer data)
{
  LkTemplateEditor *self = data;

  self->check_id = 0;
  check_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (LkTemplateEditor *self)
{
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_timeout_cb, self);
}

static void
show_version (LkTemplateEditor *self,
              LkTemplateLoad   *load)
{
  g_clear_pointer (&self->version_text, g_free);

  if (load->record == NULL)
    self->version_text = g_strdup (load->pending ? _("Not saved on the server yet: waits to be sent")
                                                 : _("The built-in template (never saved)"));
  else
    {
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  json_object_get_int_member_with_default (load->record,
                                                                                           "version", 0));
      g_autofree char *when = lk_history_format_time (json_object_get_int_member_with_default (load->record,
                                                                                             "updated_at", 0));
      const char *who = json_object_get_string_member_with_default (load->record, "updated_by", "—");

      if (load->pending)
        /* Translators: the version number, who changed it on this computer and when */
        self->version_text = g_strdup_printf (_("Version %s, changed here by %s on %s; waits to be sent"),
                                              version, who, when);
      else
        /* Translators: "Version 3, saved by admin on 28 Nov 2026, 14:05" */
        self->version_text = g_strdup_printf (_("Version %s, saved by %s on %s"), version, who, when);
    }
  adw_action_row_set_subtitle (self->version_row, self->version_text);

  self->conflict = load->conflict;
  gtk_label_set_label (self->conflict_label,
                       _("A change of this template met another administrator’s change on the server. "
                         "Resolve it in the conflicts window."));
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_box), self->conflict);
}

static void
fill (LkTemplateEditor *self,
      LkTemplateLoad   *load)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonObject *letterhead = NULL;
  static const struct { LkTemplateMember member; const char *name; } members[] = {
    { LK_TEMPLATE_MEMBER_SUBJECT, "subject" },
    { LK_TEMPLATE_MEMBER_ADDRESSEE, "addressee" },
    { LK_TEMPLATE_MEMBER_BODY, "body" },
    { LK_TEMPLATE_MEMBER_CLOSING, "closing" },
    { LK_TEMPLATE_MEMBER_FOOTER, "footer" },
  };

  /* Whatever a stored body holds is shown, even when it does not parse as
   * a template: the admin corrects it here. */
  if (load->json != NULL && json_parser_load_from_data (parser, load->json, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  if (object != NULL && json_object_has_member (object, "letterhead") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "letterhead")))
    letterhead = json_object_get_object_member (object, "letterhead");

  self->filling = TRUE;
  _lk_template_editor_set_widget_text (GTK_WIDGET (self->agency_row),
                   letterhead != NULL ? json_object_get_string_member_with_default (letterhead, "agency", "") : "");
  _lk_template_editor_set_widget_text (GTK_WIDGET (self->office_row),
                   letterhead != NULL ? json_object_get_string_member_with_default (letterhead, "office", "") : "");
  g_clear_pointer (&self->logo, g_free);
  if (letterhead != NULL && json_object_has_member (letterhead, "logo") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (letterhead, "logo")))
    self->logo = g_strdup (json_object_get_string_member (letterhead, "logo"));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    _lk_template_editor_set_widget_text (_lk_template_editor_member_widget (self, members[i].member),
                     object != NULL ? json_object_get_string_member_with_default (object, members[i].name, "") : "");
  self->filling = FALSE;

  self->dirty = FALSE;
  _lk_template_editor_update_logo_row (self);
  show_version (self, load);
  check_now (self);
}

static void
set_loading (LkTemplateEditor *self,
             gboolean          loading)
{
  if (loading)
    self->n_loading++;
  else
    self->n_loading--;
  update_save (self);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LkTemplateEditor) self = user_data;
  g_autoptr(LkTemplateLoad) load = NULL;
  g_autoptr(GError) error = NULL;

  load = lk_template_load_finish (result, &error);
  set_loading (self, FALSE);
  if (load == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _lk_template_editor_set_error (self, error->message);
      return;
    }

  if (load->service_types != NULL)
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

      g_clear_pointer (&self->service_types, g_ptr_array_unref);
      self->service_types = g_ptr_array_ref (load->service_types);
      for (guint i = 0; i < self->service_types->len; i++)
        gtk_string_list_append (names, lk_service_type_get_name (g_ptr_array_index (self->service_types, i)));
      self->filling = TRUE;
      adw_combo_row_set_model (self->service_row, G_LIST_MODEL (names));
      adw_combo_row_set_selected (self->service_row, GTK_INVALID_LIST_POSITION);
      self->filling = FALSE;
      if (self->service_types->len > 0)
        adw_combo_row_set_selected (self->service_row, 0);
      return;
    }

  if (g_strcmp0 (load->service_type_id, self->service_type_id) != 0)
    return;
  g_free (self->case_id);
  self->case_id = g_strdup (load->case_id);
  fill (self, load);
}

static void
start_load (LkTemplateEditor *self,
            gboolean          list)
{
  LkStore *store = self->session != NULL ? lk_session_get_store (self->session) : NULL;

  if (store == NULL)
    return;
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  lk_template_load_async (store, list, list ? NULL : self->service_type_id, self->load_cancellable,
                          load_cb, g_object_ref (self));
}

static void
preview_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkTemplateEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *path = NULL;

  if (!lk_template_preview_finish (result, &path, &label, &error))
    {
      g_unlink (path);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->preview_cancellable);
      lk_pdf_view_show_error (self->preview, error->message);
      return;
    }

  g_clear_object (&self->preview_cancellable);
  if (self->preview_path != NULL)
    g_unlink (self->preview_path);
  g_free (self->preview_path);
  self->preview_path = g_strdup (path);
  gtk_label_set_label (self->preview_label, label);
  lk_pdf_view_load_file (self->preview, path);
}

static void
start_preview (LkTemplateEditor *self)
{
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  LkStore *store = self->session != NULL ? lk_session_get_store (self->session) : NULL;
  GCancellable *cancellable;

  self->preview_id = 0;
  if (store == NULL || self->service_type_id == NULL || !self->valid)
    return;
  if (self->preview_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->preview_dir = g_dir_make_tmp ("loket-template-XXXXXX", &error);
      if (self->preview_dir == NULL)
        {
          lk_pdf_view_show_error (self->preview, error->message);
          return;
        }
    }

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = cancellable = g_cancellable_new ();

  json = build_json (self);
  name = g_strdup_printf ("preview-%u.pdf", ++self->preview_serial);
  path = g_build_filename (self->preview_dir, name, NULL);
  lk_pdf_view_set_loading (self->preview);
  lk_template_preview_async (store, lk_session_get_blob_cache (self->session), self->service_type_id, json,
                             self->case_id, path, cancellable, preview_cb, g_object_ref (self));
}

static gboolean
preview_timeout_cb (gpointer data)
{
  start_preview (data);
  return G_SOURCE_REMOVE;
}

/* Callbacks */

void
_lk_template_editor_member_changed (LkTemplateEditor *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  schedule_check (self);
  update_save (self);
}

static void
focus_widget_cb (LkTemplateEditor *self,
                 GParamSpec       *pspec,
                 GtkWindow        *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return;
  for (LkTemplateMember m = 0; m < LK_N_TEMPLATE_MEMBERS; m++)
    {
      GtkWidget *widget = _lk_template_editor_member_widget (self, m);

      if (focus == widget || gtk_widget_is_ancestor (focus, widget))
        {
          self->target = widget;
          return;
        }
    }
}

static void
field_activated_cb (LkTemplateEditor *self,
                    GtkListBoxRow    *row,
                    GtkListBox       *list)
{
  lk_template_editor_insert_field (self, g_object_get_data (G_OBJECT (row), "field"));
}

/* Unsaved edits are never dropped without asking. */
static AdwMessageDialog *
new_discard_dialog (LkTemplateEditor *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                         _("Discard Changes?"), NULL));

  adw_message_dialog_set_body (dialog, _("The changes to this template are not saved. "
                                         "Discarded changes cannot be recovered."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

static void
switch_service (LkTemplateEditor *self,
                LkServiceType    *service)
{
  self->dirty = FALSE;
  g_free (self->service_type_id);
  self->service_type_id = g_strdup (lk_service_type_get_id (service));
  adw_window_title_set_subtitle (self->window_title, lk_service_type_get_name (service));
  g_cancellable_cancel (self->preview_cancellable);
  _lk_template_editor_set_error (self, NULL);
  start_load (self, FALSE);
}

static void
discard_switch_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   LkTemplateEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->service_row);

  if (g_strcmp0 (response, "discard") == 0 && self->service_types != NULL && selected < self->service_types->len)
    {
      switch_service (self, g_ptr_array_index (self->service_types, selected));
      return;
    }

  /* Kept: the choice goes back to the template being edited. */
  self->filling = TRUE;
  for (guint i = 0; self->service_types != NULL && i < self->service_types->len; i++)
    if (g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (self->service_types, i)), self->service_type_id) == 0)
      adw_combo_row_set_selected (self->service_row, i);
  self->filling = FALSE;
}

static void
service_selected_cb (LkTemplateEditor *self,
                     GParamSpec       *pspec,
                     AdwComboRow      *row)
{
  guint selected = adw_combo_row_get_selected (row);
  LkServiceType *service;
  AdwMessageDialog *dialog;

  if (self->filling || self->service_types == NULL || selected >= self->service_types->len)
    return;
  service = g_ptr_array_index (self->service_types, selected);
  if (g_strcmp0 (self->service_type_id, lk_service_type_get_id (service)) == 0)
    return;

  if (!self->dirty)
    {
      switch_service (self, service);
      return;
    }
  dialog = new_discard_dialog (self);
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_switch_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
discard_close_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  LkTemplateEditor *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->dirty = FALSE;
  /* Once the dialog is done answering: closing the editor destroys it. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
lk_template_editor_close_request (GtkWindow *window)
{
  LkTemplateEditor *self = LK_TEMPLATE_EDITOR (window);
  AdwMessageDialog *dialog;

  if (!self->dirty || self->saving)
    return GTK_WINDOW_CLASS (lk_template_editor_parent_class)->close_request (window);

  dialog = new_discard_dialog (self);
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_close_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LkTemplateEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (!lk_session_save_template_finish (LK_SESSION (source), result, &error))
    {
      _lk_template_editor_set_error (self, error->message);
      update_save (self);
      return;
    }

  self->dirty = FALSE;
  update_save (self);
  start_load (self, FALSE);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkTemplateEditor *self = LK_TEMPLATE_EDITOR (widget);
  g_autofree char *json = NULL;

  check_now (self);
  if (!lk_template_editor_get_can_save (self))
    return;

  json = build_json (self);
  self->saving = TRUE;
  update_save (self);
  lk_session_save_template_async (self->session, self->service_type_id, json, NULL, save_cb,
                                  g_object_ref (self));
}

static void
resolve_conflicts_action_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  /* The main window's own action: the editor does not know the window. */
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.resolve-conflicts", NULL);
}

static void
session_changed_cb (LkTemplateEditor *self)
{
  /* A sync brought the server's version (or a conflict): show it, unless
   * it would drop edits not saved yet. */
  if (!self->dirty && !self->saving && self->service_type_id != NULL)
    start_load (self, FALSE);
}

/* Overrides */

static void
lk_template_editor_dispose (GObject *object)
{
  LkTemplateEditor *self = (LkTemplateEditor *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  g_cancellable_cancel (self->logo_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->logo_cancellable);
  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_handle_id (&self->preview_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_TEMPLATE_EDITOR);

  g_clear_object (&self->session);
  g_clear_pointer (&self->service_types, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_template_editor_parent_class)->dispose (object);
}

static void
lk_template_editor_finalize (GObject *object)
{
  LkTemplateEditor *self = (LkTemplateEditor *)object;

  if (self->preview_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (self->preview_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (self->preview_dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (self->preview_dir);
    }
  g_free (self->preview_dir);
  g_free (self->preview_path);
  g_free (self->service_type_id);
  g_free (self->case_id);
  g_free (self->logo);
  g_free (self->error);
  g_free (self->version_text);

  G_OBJECT_CLASS (lk_template_editor_parent_class)->finalize (object);
}

static void
lk_template_editor_constructed (GObject *object)
{
  LkTemplateEditor *self = (LkTemplateEditor *)object;

  G_OBJECT_CLASS (lk_template_editor_parent_class)->constructed (object);

  if (self->session != NULL)
    {
      g_signal_connect_object (self->session, "synced", G_CALLBACK (session_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::conflict-count", G_CALLBACK (session_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  start_load (self, TRUE);
}

static void
lk_template_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LkTemplateEditor *self = LK_TEMPLATE_EDITOR (object);

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
lk_template_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LkTemplateEditor *self = LK_TEMPLATE_EDITOR (object);

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
lk_template_editor_class_init (LkTemplateEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_template_editor_constructed;
  object_class->dispose = lk_template_editor_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = lk_template_editor_close_request;
  object_class->finalize = lk_template_editor_finalize;
  object_class->get_property = lk_template_editor_get_property;
  object_class->set_property = lk_template_editor_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_PDF_VIEW);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-template-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, service_row);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, version_row);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, conflict_box);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, agency_row);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, office_row);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, logo_row);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, remove_logo_button);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, choose_logo_button);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, subject_row);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, addressee_view);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, closing_view);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, footer_view);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, fields_list);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, preview_label);
  gtk_widget_class_bind_template_child (widget_class, LkTemplateEditor, preview);
  gtk_widget_class_bind_template_callback (widget_class, field_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, service_selected_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.choose-logo", NULL, _lk_template_editor_choose_logo_cb);
  gtk_widget_class_install_action (widget_class, "editor.remove-logo", NULL, _lk_template_editor_remove_logo_cb);
  gtk_widget_class_install_action (widget_class, "editor.resolve-conflicts", NULL, resolve_conflicts_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static GtkWidget *
create_field_row (const char *field)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("{{%s}}", field);
  const char *meaning = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (field_meanings); i++)
    if (g_str_equal (field_meanings[i].field, field))
      meaning = _(field_meanings[i].meaning);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (meaning != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), meaning);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Insert this field where the cursor was"));
  g_object_set_data_full (G_OBJECT (row), "field", g_strdup (field), g_free);
  return row;
}

static void
lk_template_editor_init (LkTemplateEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; LK_LETTER_FIELDS[i] != NULL; i++)
    gtk_list_box_append (self->fields_list, create_field_row (LK_LETTER_FIELDS[i]));

  for (LkTemplateMember m = 0; m < LK_N_TEMPLATE_MEMBERS; m++)
    {
      GtkWidget *widget = _lk_template_editor_member_widget (self, m);

      if (GTK_IS_EDITABLE (widget))
        g_signal_connect_object (widget, "changed", G_CALLBACK (_lk_template_editor_member_changed), self, G_CONNECT_SWAPPED);
      else
        g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                                 G_CALLBACK (_lk_template_editor_member_changed), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_widget_cb), self);
  self->target = GTK_WIDGET (self->body_view);

  _lk_template_editor_update_logo_row (self);
  update_save (self);
  gtk_label_set_label (self->preview_label, _("Preview"));
}

/* Public API */

LkTemplateEditor *
lk_template_editor_new (GtkWindow *parent,
                        LkSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LK_IS_SESSION (session), NULL);

  return g_object_new (LK_TYPE_TEMPLATE_EDITOR,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}
