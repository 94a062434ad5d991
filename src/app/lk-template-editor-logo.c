/* lk-template-editor-logo.c — the template editor's logo (a PNG chosen
 * with the file chooser, checked and uploaded in a thread) and its public
 * accessors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-template-editor-private.h"
#include "lk-template-jobs.h"

static void
logo_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LkTemplateEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;

  sha256 = lk_template_logo_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->logo_cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->choose_logo_button), TRUE);
  if (sha256 == NULL)
    {
      _lk_template_editor_set_error (self, error->message);
      return;
    }

  g_free (self->logo);
  self->logo = g_steal_pointer (&sha256);
  _lk_template_editor_update_logo_row (self);
  _lk_template_editor_member_changed (self);
}

static void
chooser_response_cb (LkTemplateEditor     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    lk_template_editor_set_logo_file (self, file);
}

void
_lk_template_editor_choose_logo_cb (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  LkTemplateEditor *self = LK_TEMPLATE_EDITOR (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose the Logo"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_lk_template_editor_remove_logo_cb (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  LkTemplateEditor *self = LK_TEMPLATE_EDITOR (widget);

  g_clear_pointer (&self->logo, g_free);
  _lk_template_editor_update_logo_row (self);
  _lk_template_editor_member_changed (self);
}

gboolean
lk_template_editor_get_loading (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), FALSE);
  return _lk_template_editor_is_loading (self);
}

gboolean
lk_template_editor_select_service (LkTemplateEditor *self,
                                  const char       *service_type_id)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), FALSE);

  for (guint i = 0; self->service_types != NULL && i < self->service_types->len; i++)
    if (g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (self->service_types, i)), service_type_id) == 0)
      {
        self->dirty = FALSE;
        adw_combo_row_set_selected (self->service_row, i);
        return TRUE;
      }
  return FALSE;
}

const char *
lk_template_editor_get_service_type (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), NULL);
  return self->service_type_id;
}

char *
lk_template_editor_get_text (LkTemplateEditor *self,
                             LkTemplateMember  member)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), NULL);
  g_return_val_if_fail (member < LK_N_TEMPLATE_MEMBERS, NULL);
  return _lk_template_editor_widget_text (_lk_template_editor_member_widget (self, member));
}

void
lk_template_editor_set_text (LkTemplateEditor *self,
                             LkTemplateMember  member,
                             const char       *text)
{
  g_return_if_fail (LK_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (member < LK_N_TEMPLATE_MEMBERS);
  _lk_template_editor_set_widget_text (_lk_template_editor_member_widget (self, member), text);
}

void
lk_template_editor_insert_field (LkTemplateEditor *self,
                                 const char       *field)
{
  g_autofree char *text = NULL;
  GtkWidget *target;

  g_return_if_fail (LK_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (field != NULL);

  target = self->target != NULL ? self->target : GTK_WIDGET (self->body_view);
  text = g_strdup_printf ("{{%s}}", field);
  if (GTK_IS_EDITABLE (target))
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (target));

      gtk_editable_insert_text (GTK_EDITABLE (target), text, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (target), position);
    }
  else
    gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (target)), text, -1);
  gtk_widget_grab_focus (target);
}

void
lk_template_editor_set_logo_file (LkTemplateEditor *self,
                                  GFile            *file)
{
  LkSyncClient *client;

  g_return_if_fail (LK_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  client = lk_session_get_client (self->session);
  if (!lk_sync_client_is_signed_in (client))
    {
      _lk_template_editor_set_error (self, _("Choosing a logo needs the server, which keeps the image. Connect, then choose it again."));
      return;
    }

  _lk_template_editor_set_error (self, NULL);
  g_cancellable_cancel (self->logo_cancellable);
  g_clear_object (&self->logo_cancellable);
  self->logo_cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->choose_logo_button), FALSE);
  lk_template_logo_async (client, lk_session_get_blob_cache (self->session), file, self->logo_cancellable,
                          logo_cb, g_object_ref (self));
}

const char *
lk_template_editor_get_logo (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), NULL);
  return self->logo;
}

gboolean
lk_template_editor_get_logo_busy (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), FALSE);
  return self->logo_cancellable != NULL;
}

const char *
lk_template_editor_get_error (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), NULL);
  return self->error;
}

const char *
lk_template_editor_get_version_text (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), NULL);
  return self->version_text;
}

gboolean
lk_template_editor_get_can_save (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), FALSE);
  return self->service_type_id != NULL && self->valid && self->dirty && !self->saving &&
         !_lk_template_editor_is_loading (self) && self->check_id == 0 && self->logo_cancellable == NULL;
}

gboolean
lk_template_editor_get_saving (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), FALSE);
  return self->saving;
}

gboolean
lk_template_editor_get_conflict (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), FALSE);
  return self->conflict;
}

gboolean
lk_template_editor_get_preview_busy (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), FALSE);
  return self->preview_id != 0 || self->preview_cancellable != NULL || self->check_id != 0;
}

LkPdfView *
lk_template_editor_get_preview (LkTemplateEditor *self)
{
  g_return_val_if_fail (LK_IS_TEMPLATE_EDITOR (self), NULL);
  return self->preview;
}
