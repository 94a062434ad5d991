/* lk-register-cert-dialog.c — register a signer's certificate (admin)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-register-cert-dialog.h"
#include "sync/lk-sync-admin.h"

#define PEM_MARKER "-----BEGIN CERTIFICATE-----"

struct _LkRegisterCertDialog
{
  AdwWindow             parent_instance;

  LkSession            *session;
  GFile                *file;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;
  char                 *fingerprint;
  char                 *error;
  gboolean              busy;

  AdwEntryRow          *user_row;
  AdwActionRow         *file_row;
  GtkButton            *register_button;
  GtkSpinner           *spinner;
  GtkLabel             *result_label;
};

G_DEFINE_FINAL_TYPE (LkRegisterCertDialog, lk_register_cert_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_sensitivity (LkRegisterCertDialog *self)
{
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->register_button),
                            !self->busy && *user != '\0' && self->file != NULL);
}

static void
set_busy (LkRegisterCertDialog *self,
          gboolean              busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !busy);
  update_sensitivity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_result (LkRegisterCertDialog *self,
             const char           *fingerprint,
             const char           *error)
{
  g_autofree char *text = NULL;

  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
  g_free (self->error);
  self->error = g_strdup (error);

  if (fingerprint != NULL)
    /* Translators: %s is the SHA-256 fingerprint of the certificate */
    text = g_strdup_printf (_("Registered. Fingerprint (SHA-256): %s"), fingerprint);
  else
    text = g_strdup (error);

  gtk_label_set_label (self->result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), text != NULL);
  if (fingerprint != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "error");
    }
}

/* The server's refusal and the network's failures in words an admin can
 * act on. */
static char *
explain_error (const GError *error)
{
  if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER))
    return g_strdup_printf (_("The server refused the certificate: %s"), error->message);
  if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
    return g_strdup (_("The server cannot be reached. Try again when the connection is back."));
  if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH) ||
      g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SESSION_EXPIRED))
    return g_strdup (_("Your session with the server has ended. Sync to sign in again, then retry."));
  return g_strdup (error->message);
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkRegisterCertDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *message = NULL;

  fingerprint = lk_sync_client_register_certificate_finish (LK_SYNC_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (fingerprint == NULL)
    message = explain_error (error);
  show_result (self, fingerprint, message);
  set_busy (self, FALSE);
}

/* Reads at most LK_REGISTER_CERT_MAX_PEM + 1 bytes: one more tells a file
 * that is too large. */
static void
read_pem_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *buffer = g_malloc (LK_REGISTER_CERT_MAX_PEM + 1);
  GError *error = NULL;
  gsize n_read = 0;

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, LK_REGISTER_CERT_MAX_PEM + 1,
                                &n_read, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_bytes_new (buffer, n_read), (GDestroyNotify) g_bytes_unref);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LkRegisterCertDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *user = NULL;
  LkSyncClient *client;
  gsize size;
  const char *data;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot read the file: %s"), error->message);

      show_result (self, NULL, message);
      set_busy (self, FALSE);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (size > LK_REGISTER_CERT_MAX_PEM)
    {
      show_result (self, NULL, _("The file is too large for a certificate (more than 64 KiB). Choose the PEM file of the signer's certificate."));
      set_busy (self, FALSE);
      return;
    }

  pem = g_strndup (data, size);
  if (strlen (pem) != size || strstr (pem, PEM_MARKER) == NULL)
    {
      show_result (self, NULL, _("The file is not a PEM certificate: it has no “-----BEGIN CERTIFICATE-----” line. Export the certificate as PEM and choose that file."));
      set_busy (self, FALSE);
      return;
    }

  client = lk_session_get_client (self->session);
  if (!lk_sync_client_is_signed_in (client))
    {
      show_result (self, NULL, _("Not signed in to the server. Registering needs a connection; sync first, then retry."));
      set_busy (self, FALSE);
      return;
    }

  user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  lk_sync_client_register_certificate_async (client, user, pem, self->cancellable,
                                             register_cb, g_object_ref (self));
}

static void
chooser_response_cb (LkRegisterCertDialog *self,
                     int                   response,
                     GtkNativeDialog      *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      lk_register_cert_dialog_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_clicked_cb (LkRegisterCertDialog *self)
{
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose the Signer's Certificate"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (pem, _("PEM certificates"));
  gtk_file_filter_add_pattern (pem, "*.pem");
  gtk_file_filter_add_pattern (pem, "*.crt");
  gtk_file_filter_add_pattern (pem, "*.cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), pem);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
register_clicked_cb (LkRegisterCertDialog *self)
{
  lk_register_cert_dialog_register (self);
}

static void
input_changed_cb (LkRegisterCertDialog *self)
{
  update_sensitivity (self);
}

static void
lk_register_cert_dialog_dispose (GObject *object)
{
  LkRegisterCertDialog *self = (LkRegisterCertDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_REGISTER_CERT_DIALOG);
  g_clear_object (&self->session);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (lk_register_cert_dialog_parent_class)->dispose (object);
}

static void
lk_register_cert_dialog_finalize (GObject *object)
{
  LkRegisterCertDialog *self = (LkRegisterCertDialog *)object;

  g_free (self->fingerprint);
  g_free (self->error);

  G_OBJECT_CLASS (lk_register_cert_dialog_parent_class)->finalize (object);
}

static void
lk_register_cert_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  LkRegisterCertDialog *self = LK_REGISTER_CERT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_register_cert_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  LkRegisterCertDialog *self = LK_REGISTER_CERT_DIALOG (object);

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
lk_register_cert_dialog_class_init (LkRegisterCertDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_register_cert_dialog_dispose;
  object_class->finalize = lk_register_cert_dialog_finalize;
  object_class->get_property = lk_register_cert_dialog_get_property;
  object_class->set_property = lk_register_cert_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-register-cert-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkRegisterCertDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, LkRegisterCertDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, LkRegisterCertDialog, register_button);
  gtk_widget_class_bind_template_child (widget_class, LkRegisterCertDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkRegisterCertDialog, result_label);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, register_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_register_cert_dialog_init (LkRegisterCertDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

LkRegisterCertDialog *
lk_register_cert_dialog_new (GtkWindow *parent,
                             LkSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LK_IS_SESSION (session), NULL);

  return g_object_new (LK_TYPE_REGISTER_CERT_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

void
lk_register_cert_dialog_set_username (LkRegisterCertDialog *self,
                                      const char           *username)
{
  g_return_if_fail (LK_IS_REGISTER_CERT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), username != NULL ? username : "");
}

void
lk_register_cert_dialog_set_file (LkRegisterCertDialog *self,
                                  GFile                *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (LK_IS_REGISTER_CERT_DIALOG (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  g_set_object (&self->file, file);
  name = file != NULL ? g_file_get_parse_name (file) : NULL;
  adw_action_row_set_subtitle (self->file_row, name != NULL ? name : _("No file chosen"));
  update_sensitivity (self);
}

void
lk_register_cert_dialog_register (LkRegisterCertDialog *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_REGISTER_CERT_DIALOG (self));

  if (self->busy || self->file == NULL)
    return;

  show_result (self, NULL, NULL);
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, load_cb, g_object_ref (self));
  g_task_set_source_tag (task, lk_register_cert_dialog_register);
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (task, read_pem_thread);
}

gboolean
lk_register_cert_dialog_get_busy (LkRegisterCertDialog *self)
{
  g_return_val_if_fail (LK_IS_REGISTER_CERT_DIALOG (self), FALSE);
  return self->busy;
}

const char *
lk_register_cert_dialog_get_fingerprint (LkRegisterCertDialog *self)
{
  g_return_val_if_fail (LK_IS_REGISTER_CERT_DIALOG (self), NULL);
  return self->fingerprint;
}

const char *
lk_register_cert_dialog_get_error (LkRegisterCertDialog *self)
{
  g_return_val_if_fail (LK_IS_REGISTER_CERT_DIALOG (self), NULL);
  return self->error;
}
