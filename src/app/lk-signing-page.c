/* lk-signing-page.c — the signer's desk: review, tick, sign a batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "letter/lk-letter-draft.h"
#include "lk-app-setup.h"
#include "lk-sign-job.h"
#include "lk-sign-progress.h"
#include "lk-signing-page.h"
#include "lk-signing-row.h"
#include "sign/lk-sign-batch.h"

typedef struct
{
  LkSignQueueItem *item;
  gboolean   reviewed;
  gboolean   ticked;
  GtkWidget *row;
} Letter;

struct _LkSigningPage
{
  GtkWidget         parent_instance;

  GtkWidget        *cert_label;
  GtkWidget        *list_stack;
  GtkWidget        *letter_list;
  GtkWidget        *sign_button;
  GtkWidget        *right_stack;
  GtkWidget        *pdf_view;
  GtkWidget        *progress;

  LkSession        *session;
  GSettings        *settings;
  GCancellable     *load_cancellable;
  GCancellable     *preview_cancellable;
  gboolean          loading;
  GPtrArray        *letters;          /* Letter */
  int               preview_index;    /* the letter loaded in the preview, or -1 */

  char             *token_url;
  char             *cert_url;
  LkTokenChooser   *chooser;
  gboolean          sign_after_choice;
};

G_DEFINE_FINAL_TYPE (LkSigningPage, lk_signing_page, GTK_TYPE_WIDGET)

static void update_actions (LkSigningPage *self);
static void start_batch (LkSigningPage *self);
static gboolean is_running (LkSigningPage *self);

static void
letter_free (gpointer data)
{
  Letter *letter = data;

  lk_sign_queue_item_free (letter->item);
  g_free (letter);
}

static GtkWindow *
parent_window (LkSigningPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static Letter *
selected_letter (LkSigningPage *self,
                 int           *out_index)
{
  GtkListBoxRow *row = NULL;
  int index;

  if (self->letter_list != NULL)   /* NULL once disposed */
    row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->letter_list));
  index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (out_index != NULL)
    *out_index = index;
  if (index < 0 || (guint) index >= self->letters->len)
    return NULL;
  return g_ptr_array_index (self->letters, index);
}

/* ---- the queue ---- */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray *letters;
  GError *error = NULL;

  items = lk_sign_batch_list_queue (task_data, cancellable, &error);
  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  letters = g_ptr_array_new_with_free_func (letter_free);
  for (guint i = 0; i < items->len; i++)
    {
      Letter *letter = g_new0 (Letter, 1);

      letter->item = g_ptr_array_index (items, i);
      g_ptr_array_index (items, i) = NULL;
      g_ptr_array_add (letters, letter);
    }
  g_task_return_pointer (task, letters, (GDestroyNotify) g_ptr_array_unref);
}

static void
update_row (LkSigningPage *self,
            Letter        *letter)
{
  lk_signing_row_set_state (LK_SIGNING_ROW (letter->row), letter->item->draft_sha256 != NULL,
                            letter->reviewed, letter->ticked,
                            letter->reviewed && !is_running (self));
}

static void
set_ticked (LkSigningPage *self,
            Letter        *letter,
            gboolean       ticked)
{
  letter->ticked = ticked && letter->reviewed;
  update_row (self, letter);
  update_actions (self);
}

static void
tick_toggled_cb (LkSigningRow  *row,
                 gboolean       active,
                 LkSigningPage *self)
{
  Letter *letter = g_object_get_data (G_OBJECT (row), "letter");

  if (letter != NULL)
    set_ticked (self, letter, active);
}

static GtkWidget *
letter_row_new (LkSigningPage *self,
                Letter        *letter)
{
  g_autofree char *detail = g_strdup_printf ("%s · %s", letter->item->applicant, letter->item->service);

  letter->row = lk_signing_row_new (letter->item->receipt, detail);
  g_object_set_data (G_OBJECT (letter->row), "letter", letter);
  g_signal_connect (letter->row, "tick-toggled", G_CALLBACK (tick_toggled_cb), self);
  update_row (self, letter);
  return letter->row;
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkSigningPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autofree char *selected_id = NULL;
  Letter *selected;
  GPtrArray *letters;
  GtkWidget *child;

  letters = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (letters == NULL)
    {
      g_debug ("the signing queue cannot be read: %s", error->message);
      letters = g_ptr_array_new_with_free_func (letter_free);
    }

  /* Keep what the signer already reviewed and ticked of the same drafts,
   * and the letter in the preview. */
  selected = selected_letter (self, NULL);
  if (selected != NULL)
    selected_id = g_strdup (selected->item->case_id);
  old = g_steal_pointer (&self->letters);
  for (guint i = 0; i < letters->len; i++)
    {
      Letter *letter = g_ptr_array_index (letters, i);

      for (guint j = 0; j < old->len; j++)
        {
          Letter *before = g_ptr_array_index (old, j);

          if (g_strcmp0 (before->item->case_id, letter->item->case_id) == 0 &&
              g_strcmp0 (before->item->draft_sha256, letter->item->draft_sha256) == 0)
            {
              letter->reviewed = before->reviewed;
              letter->ticked = before->ticked;
            }
        }
    }
  self->letters = letters;

  while ((child = gtk_widget_get_first_child (self->letter_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->letter_list), child);
  self->preview_index = -1;
  g_cancellable_cancel (self->preview_cancellable);
  lk_pdf_view_clear (LK_PDF_VIEW (self->pdf_view));

  for (guint i = 0; i < letters->len; i++)
    {
      Letter *letter = g_ptr_array_index (letters, i);

      gtk_list_box_append (GTK_LIST_BOX (self->letter_list), letter_row_new (self, letter));
      if (g_strcmp0 (letter->item->case_id, selected_id) == 0)
        gtk_list_box_select_row (GTK_LIST_BOX (self->letter_list), GTK_LIST_BOX_ROW (letter->row));
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack), letters->len > 0 ? "list" : "empty");
  update_actions (self);
}

/* ---- the preview ---- */

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkSigningPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = lk_session_fetch_blob_finish (LK_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->pdf_view == NULL)
    return;
  if (path == NULL)
    {
      lk_pdf_view_show_error (LK_PDF_VIEW (self->pdf_view), error->message);
      return;
    }
  lk_pdf_view_load_file (LK_PDF_VIEW (self->pdf_view), path);
}

static void
row_selected_cb (LkSigningPage *self,
                 GtkListBoxRow *row)
{
  int index = -1;
  Letter *letter = selected_letter (self, &index);

  if (self->pdf_view == NULL)   /* disposed */
    return;
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_index = -1;
  if (letter == NULL || self->session == NULL)
    {
      lk_pdf_view_clear (LK_PDF_VIEW (self->pdf_view));
      update_actions (self);
      return;
    }
  if (letter->item->draft_sha256 == NULL)
    {
      lk_pdf_view_show_error (LK_PDF_VIEW (self->pdf_view),
                              _("This case has no letter draft. Ask the officer to prepare the letter."));
      update_actions (self);
      return;
    }

  self->preview_index = index;
  self->preview_cancellable = g_cancellable_new ();
  lk_pdf_view_set_loading (LK_PDF_VIEW (self->pdf_view));
  lk_session_fetch_blob_async (self->session, letter->item->draft_sha256, self->preview_cancellable,
                               fetch_done_cb, g_object_ref (self));
  update_actions (self);
}

static void
rendered_page_cb (LkSigningPage *self)
{
  LkPdfView *view = LK_PDF_VIEW (self->pdf_view);
  Letter *letter;

  if (self->preview_index < 0 || (guint) self->preview_index >= self->letters->len)
    return;
  if (lk_pdf_view_get_rendered_page (view) < 0 || lk_pdf_view_get_error (view) != NULL)
    return;
  letter = g_ptr_array_index (self->letters, self->preview_index);
  if (!letter->reviewed)
    {
      letter->reviewed = TRUE;
      update_row (self, letter);
      update_actions (self);
    }
}

static void
row_activated_cb (LkSigningPage *self,
                  GtkListBoxRow *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signing.tick", NULL);
}

/* ---- the certificate ---- */

/* A readable name from the certificate URL's object= (its label). */
static char *
describe_cert_url (const char *cert_url)
{
  g_auto(GStrv) parts = NULL;

  if (cert_url == NULL || *cert_url == '\0')
    return NULL;
  parts = g_strsplit (cert_url + (g_str_has_prefix (cert_url, "pkcs11:") ? 7 : 0), ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], "object="))
      return g_uri_unescape_string (parts[i] + 7, NULL);
  return g_strdup (_("the certificate chosen earlier"));
}

static void
chooser_chosen_cb (LkSigningPage *self,
                   const char    *token_url,
                   const char    *cert_url,
                   const char    *description)
{
  lk_signing_page_set_certificate (self, token_url, cert_url, description);
  if (self->sign_after_choice)
    {
      self->sign_after_choice = FALSE;
      start_batch (self);
    }
}

/* Chosen elsewhere (another window, the preferences). */
static void
settings_changed_cb (LkSigningPage *self)
{
  g_autofree char *token_url = g_settings_get_string (self->settings, "signing-token-url");
  g_autofree char *cert_url = g_settings_get_string (self->settings, "signing-certificate-url");

  if (g_strcmp0 (cert_url, self->cert_url) != 0 || g_strcmp0 (token_url, self->token_url) != 0)
    lk_signing_page_set_certificate (self, token_url, cert_url, NULL);
}

static void
chooser_destroyed_cb (LkSigningPage *self)
{
  self->chooser = NULL;
  self->sign_after_choice = FALSE;
}

static void
open_chooser (LkSigningPage *self)
{
  if (self->chooser != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->chooser));
      return;
    }
  self->chooser = lk_token_chooser_new (parent_window (self), self->settings);
  g_signal_connect_object (self->chooser, "chosen", G_CALLBACK (chooser_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chooser, "destroy", G_CALLBACK (chooser_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->chooser));
}

/* ---- the batch ---- */

static gboolean
is_running (LkSigningPage *self)
{
  return self->progress != NULL && lk_sign_progress_get_running (LK_SIGN_PROGRESS (self->progress));
}

static void
progress_finished_cb (LkSigningPage *self,
                      guint          n_signed)
{
  for (guint i = 0; i < self->letters->len; i++)
    update_row (self, g_ptr_array_index (self->letters, i));
  update_actions (self);
}

static void
start_batch (LkSigningPage *self)
{
  LkSignBatchOptions options = { 0, };
  g_autoptr(LkSignJob) job = NULL;
  g_autoptr(GHashTable) receipts = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *location = NULL;
  g_autofree char *image = NULL;
  g_auto(GStrv) modules = NULL;

  if (is_running (self) || self->session == NULL || lk_session_get_store (self->session) == NULL)
    return;
  if (self->cert_url == NULL || *self->cert_url == '\0')
    {
      self->sign_after_choice = TRUE;
      open_chooser (self);
      return;
    }

  options.visible = TRUE;
  if (self->settings != NULL)
    {
      options.visible = g_settings_get_boolean (self->settings, "signature-visible");
      reason = g_settings_get_string (self->settings, "signature-reason");
      location = g_settings_get_string (self->settings, "signature-location");
      image = g_settings_get_string (self->settings, "signature-image");
      modules = g_settings_get_strv (self->settings, "pkcs11-modules");
    }
  if (reason == NULL || *reason == '\0')
    {
      g_free (reason);
      /* The sentence the preferences show as the default. */
      reason = g_strdup (lk_app_default_signature_reason ());
    }
  options.reason = reason;
  options.location = location != NULL && *location != '\0' ? location : NULL;
  options.image_path = image != NULL && *image != '\0' ? image : NULL;
  lk_letter_draft_signature_rect (options.rect);
  /* A draft rendered from a template carries where its stamp goes; the
   * stamp names the signer as the server knows them (the sign job reads
   * what the last sign-in remembered when offline). */
  options.signer_name = lk_sync_client_get_display_name (lk_session_get_client (self->session));
  options.signer_position = lk_sync_client_get_position (lk_session_get_client (self->session));
  options.signer_nip = lk_sync_client_get_nip (lk_session_get_client (self->session));
  options.public_url = lk_session_get_public_url (self->session);

  job = lk_sign_job_new (self->session, self->token_url, self->cert_url,
                         (const char * const *) modules, &options);
  receipts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < self->letters->len; i++)
    {
      Letter *letter = g_ptr_array_index (self->letters, i);

      if (letter->ticked && letter->reviewed && letter->item->draft_sha256 != NULL)
        {
          lk_sign_job_add_letter (job, letter->item->case_id, letter->item->draft_sha256);
          g_hash_table_insert (receipts, g_strdup (letter->item->case_id), g_strdup (letter->item->receipt));
        }
    }
  if (lk_sign_job_get_n_letters (job) == 0)
    return;

  gtk_stack_set_visible_child_name (GTK_STACK (self->right_stack), "progress");
  lk_sign_progress_run (LK_SIGN_PROGRESS (self->progress), self->session, job, receipts);
  for (guint i = 0; i < self->letters->len; i++)
    update_row (self, g_ptr_array_index (self->letters, i));
  update_actions (self);
}

/* ---- actions ---- */

static void
update_actions (LkSigningPage *self)
{
  guint n_ticked = lk_signing_page_get_n_ticked (self);
  gboolean idle = !is_running (self);
  Letter *letter = selected_letter (self, NULL);
  g_autofree char *label = NULL;

  if (self->sign_button == NULL)   /* disposed */
    return;
  if (n_ticked > 0)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Sign %u Letter…", "_Sign %u Letters…",
                                          n_ticked), n_ticked);
  else
    label = g_strdup (_("_Sign Letters…"));
  gtk_button_set_label (GTK_BUTTON (self->sign_button), label);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signing.tick",
                                 idle && letter != NULL && letter->reviewed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signing.tick-all", idle && self->letters->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signing.tick-none", idle && n_ticked > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signing.sign",
                                 idle && n_ticked > 0 && self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signing.cancel", !idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signing.done", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signing.choose-certificate", idle);
}

static void
tick_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkSigningPage *self = LK_SIGNING_PAGE (widget);
  Letter *letter = selected_letter (self, NULL);

  if (letter != NULL && letter->reviewed && !is_running (self))
    set_ticked (self, letter, !letter->ticked);
}

static void
tick_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LkSigningPage *self = LK_SIGNING_PAGE (widget);
  gboolean tick = g_strcmp0 (action_name, "signing.tick-all") == 0;

  for (guint i = 0; i < self->letters->len; i++)
    {
      Letter *letter = g_ptr_array_index (self->letters, i);

      letter->ticked = tick && letter->reviewed;
      update_row (self, letter);
    }
  update_actions (self);
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  start_batch (LK_SIGNING_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkSigningPage *self = LK_SIGNING_PAGE (widget);

  lk_sign_progress_cancel (LK_SIGN_PROGRESS (self->progress));
  gtk_widget_action_set_enabled (widget, "signing.cancel", FALSE);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkSigningPage *self = LK_SIGNING_PAGE (widget);

  gtk_stack_set_visible_child_name (GTK_STACK (self->right_stack), "preview");
  lk_signing_page_reload (self);
}

static void
choose_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  open_chooser (LK_SIGNING_PAGE (widget));
}

/* ---- GObject ---- */

static void
lk_signing_page_dispose (GObject *object)
{
  LkSigningPage *self = LK_SIGNING_PAGE (object);
  GtkWidget *child;

  if (self->chooser != NULL)
    gtk_window_destroy (GTK_WINDOW (self->chooser));
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_SIGNING_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (lk_signing_page_parent_class)->dispose (object);
}

/* Out of its window (closed): stop the preview, whose renders would
 * otherwise go on for a page nobody sees. */
static void
lk_signing_page_unroot (GtkWidget *widget)
{
  LkSigningPage *self = LK_SIGNING_PAGE (widget);

  g_cancellable_cancel (self->preview_cancellable);
  self->preview_index = -1;
  if (self->pdf_view != NULL)
    lk_pdf_view_clear (LK_PDF_VIEW (self->pdf_view));
  GTK_WIDGET_CLASS (lk_signing_page_parent_class)->unroot (widget);
}

static void
lk_signing_page_finalize (GObject *object)
{
  LkSigningPage *self = LK_SIGNING_PAGE (object);

  g_ptr_array_unref (self->letters);
  g_free (self->token_url);
  g_free (self->cert_url);
  G_OBJECT_CLASS (lk_signing_page_parent_class)->finalize (object);
}

static void
lk_signing_page_class_init (LkSigningPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_signing_page_dispose;
  object_class->finalize = lk_signing_page_finalize;
  widget_class->unroot = lk_signing_page_unroot;

  g_type_ensure (LK_TYPE_PDF_VIEW);
  g_type_ensure (LK_TYPE_SIGN_PROGRESS);
  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-signing-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, LkSigningPage, cert_label);
  gtk_widget_class_bind_template_child (widget_class, LkSigningPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, LkSigningPage, letter_list);
  gtk_widget_class_bind_template_child (widget_class, LkSigningPage, sign_button);
  gtk_widget_class_bind_template_child (widget_class, LkSigningPage, right_stack);
  gtk_widget_class_bind_template_child (widget_class, LkSigningPage, pdf_view);
  gtk_widget_class_bind_template_child (widget_class, LkSigningPage, progress);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, rendered_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, progress_finished_cb);

  gtk_widget_class_install_action (widget_class, "signing.tick", NULL, tick_action);
  gtk_widget_class_install_action (widget_class, "signing.tick-all", NULL, tick_all_action);
  gtk_widget_class_install_action (widget_class, "signing.tick-none", NULL, tick_all_action);
  gtk_widget_class_install_action (widget_class, "signing.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "signing.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "signing.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "signing.choose-certificate", NULL,
                                   choose_certificate_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "signing.tick", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "signing.tick-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "signing.sign", NULL);
}

static void
lk_signing_page_init (LkSigningPage *self)
{
  g_autofree char *token_url = NULL;
  g_autofree char *cert_url = NULL;

  self->letters = g_ptr_array_new_with_free_func (letter_free);
  self->preview_index = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = lk_app_settings_new ();
  if (self->settings != NULL)
    {
      token_url = g_settings_get_string (self->settings, "signing-token-url");
      cert_url = g_settings_get_string (self->settings, "signing-certificate-url");
      g_signal_connect_object (self->settings, "changed::signing-certificate-url",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::signing-token-url",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  lk_signing_page_set_certificate (self, token_url, cert_url, NULL);
  update_actions (self);
}

/* ---- public API ---- */

GtkWidget *
lk_signing_page_new (LkSession *session)
{
  LkSigningPage *self = g_object_new (LK_TYPE_SIGNING_PAGE, NULL);

  if (session != NULL)
    lk_signing_page_set_session (self, session);
  return GTK_WIDGET (self);
}

LkSession *
lk_signing_page_get_session (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return self->session;
}

void
lk_signing_page_set_session (LkSigningPage *self,
                             LkSession     *session)
{
  g_return_if_fail (LK_IS_SIGNING_PAGE (self));
  g_return_if_fail (session == NULL || LK_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  lk_signing_page_reload (self);
}

void
lk_signing_page_reload (LkSigningPage *self)
{
  g_autoptr(GTask) task = NULL;
  LkStore *store;

  g_return_if_fail (LK_IS_SIGNING_PAGE (self));

  store = self->session != NULL ? lk_session_get_store (self->session) : NULL;
  if (store == NULL)
    return;
  /* A running batch owns the list; the last reload comes after it. */
  if (is_running (self))
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  task = g_task_new (NULL, self->load_cancellable, load_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, lk_signing_page_reload);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

gboolean
lk_signing_page_get_loading (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), FALSE);
  return self->loading;
}

guint
lk_signing_page_get_n_letters (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), 0);
  return self->letters->len;
}

static Letter *
letter_at (LkSigningPage *self,
           guint          index)
{
  g_return_val_if_fail (index < self->letters->len, NULL);
  return g_ptr_array_index (self->letters, index);
}

const char *
lk_signing_page_get_case_id (LkSigningPage *self,
                             guint          index)
{
  Letter *letter;

  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  letter = letter_at (self, index);
  return letter != NULL ? letter->item->case_id : NULL;
}

void
lk_signing_page_select (LkSigningPage *self,
                        guint          index)
{
  Letter *letter;

  g_return_if_fail (LK_IS_SIGNING_PAGE (self));
  letter = letter_at (self, index);
  if (letter != NULL)
    gtk_list_box_select_row (GTK_LIST_BOX (self->letter_list), GTK_LIST_BOX_ROW (letter->row));
}

gboolean
lk_signing_page_get_reviewed (LkSigningPage *self,
                              guint          index)
{
  Letter *letter;

  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), FALSE);
  letter = letter_at (self, index);
  return letter != NULL && letter->reviewed;
}

gboolean
lk_signing_page_get_ticked (LkSigningPage *self,
                            guint          index)
{
  Letter *letter;

  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), FALSE);
  letter = letter_at (self, index);
  return letter != NULL && letter->ticked;
}

guint
lk_signing_page_get_n_ticked (LkSigningPage *self)
{
  guint n = 0;

  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), 0);
  for (guint i = 0; i < self->letters->len; i++)
    n += ((Letter *) g_ptr_array_index (self->letters, i))->ticked ? 1 : 0;
  return n;
}

LkPdfView *
lk_signing_page_get_pdf_view (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return LK_PDF_VIEW (self->pdf_view);
}

void
lk_signing_page_set_certificate (LkSigningPage *self,
                                 const char    *token_url,
                                 const char    *cert_url,
                                 const char    *description)
{
  g_autofree char *text = NULL;
  g_autofree char *fallback = NULL;

  g_return_if_fail (LK_IS_SIGNING_PAGE (self));

  g_free (self->token_url);
  self->token_url = g_strdup (token_url);
  g_free (self->cert_url);
  self->cert_url = g_strdup (cert_url);

  if (cert_url == NULL || *cert_url == '\0')
    text = g_strdup (_("No signing certificate chosen yet"));
  else
    {
      if (description == NULL)
        description = fallback = describe_cert_url (cert_url);
      text = g_strdup_printf (_("Signing with: %s"), description);
    }
  gtk_label_set_text (GTK_LABEL (self->cert_label), text);
}

const char *
lk_signing_page_get_certificate (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return self->cert_url;
}

LkTokenChooser *
lk_signing_page_get_token_chooser (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return self->chooser;
}

LkPinDialog *
lk_signing_page_get_pin_dialog (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return lk_sign_progress_get_pin_dialog (LK_SIGN_PROGRESS (self->progress));
}

AdwMessageDialog *
lk_signing_page_get_question (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return lk_sign_progress_get_question (LK_SIGN_PROGRESS (self->progress));
}

gboolean
lk_signing_page_get_running (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), FALSE);
  return is_running (self);
}

guint
lk_signing_page_get_n_results (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), 0);
  return lk_sign_progress_get_n_results (LK_SIGN_PROGRESS (self->progress));
}

const char *
lk_signing_page_get_result (LkSigningPage *self,
                            guint          index,
                            gboolean      *out_signed)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return lk_sign_progress_get_result (LK_SIGN_PROGRESS (self->progress), index, out_signed);
}

const char *
lk_signing_page_get_batch_error (LkSigningPage *self)
{
  g_return_val_if_fail (LK_IS_SIGNING_PAGE (self), NULL);
  return lk_sign_progress_get_batch_error (LK_SIGN_PROGRESS (self->progress));
}
