/* lk-sign-progress.c — a batch being signed, with a result per letter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-session-private.h"
#include "lk-sign-progress.h"

typedef struct
{
  gboolean  ok;
  char     *message;
} Result;

struct _LkSignProgress
{
  GtkWidget         parent_instance;

  GtkWidget        *progress_title;
  GtkWidget        *progress_bar;
  GtkWidget        *batch_error_label;
  GtkWidget        *results_list;
  GtkWidget        *cancel_button;
  GtkWidget        *done_button;

  LkSession        *session;
  LkSignJob        *job;
  GPtrArray        *case_ids;   /* the job's letters, in order */
  GHashTable       *receipts;
  GArray           *results;    /* Result */
  char             *batch_error;
  LkPinDialog      *pin_dialog;
  AdwMessageDialog *question;
};

G_DEFINE_FINAL_TYPE (LkSignProgress, lk_sign_progress, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
result_clear (gpointer data)
{
  Result *result = data;

  g_free (result->message);
}

static GtkWindow *
parent_window (LkSignProgress *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
close_dialogs (LkSignProgress *self)
{
  if (self->pin_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->pin_dialog));
  if (self->question != NULL)
    gtk_window_destroy (GTK_WINDOW (self->question));
}

static void
pin_response_cb (LkSignProgress *self,
                 const char     *response,
                 LkPinDialog    *dialog)
{
  LkPinDialogMode mode = lk_pin_dialog_get_mode (dialog);

  if (self->job == NULL)
    return;
  if (mode == LK_PIN_DIALOG_ENTRY)
    lk_sign_job_answer_pin (self->job,
                            g_strcmp0 (response, "sign") == 0 ? lk_pin_dialog_take_pin (dialog) : NULL);
  else if (mode == LK_PIN_DIALOG_LOCKED)
    lk_sign_job_answer (self->job, FALSE);
  else if (g_strcmp0 (response, "cancel") == 0)
    lk_sign_progress_cancel (self);
}

static void
pin_dialog_destroyed_cb (LkSignProgress *self,
                         GtkWidget      *dialog)
{
  if ((GtkWidget *) self->pin_dialog == dialog)
    self->pin_dialog = NULL;
}

static void
question_response_cb (LkSignProgress *self,
                      const char     *response)
{
  if (self->job != NULL)
    lk_sign_job_answer (self->job, g_strcmp0 (response, "continue") == 0);
}

static void
question_destroyed_cb (LkSignProgress *self,
                       GtkWidget      *dialog)
{
  if ((GtkWidget *) self->question == dialog)
    self->question = NULL;
}

static void
ask_always_auth (LkSignProgress *self,
                 const char     *token_label,
                 guint           n)
{
  g_autofree char *body = NULL;

  /* LK_SIGN_BATCH_PINS_PER_LETTER is 1: one PIN entry per letter. */
  G_STATIC_ASSERT (LK_SIGN_BATCH_PINS_PER_LETTER == 1);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The key on the token “%s” asks for its PIN for every "
                                       "signature: you will type it once more for the letter "
                                       "(%u PIN entry).",
                                       "The key on the token “%s” asks for its PIN for every "
                                       "signature: you will type it once more for each of the "
                                       "letters (%u PIN entries).",
                                       n),
                          token_label, n * LK_SIGN_BATCH_PINS_PER_LETTER);
  self->question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                               _("This Key Asks for the PIN for Every Letter"),
                                                               body));
  adw_message_dialog_add_responses (self->question,
                                    "cancel", _("_Cancel"),
                                    "continue", _("C_ontinue"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->question, "continue", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (self->question, "continue");
  adw_message_dialog_set_close_response (self->question, "cancel");
  g_signal_connect_object (self->question, "response", G_CALLBACK (question_response_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->question, "destroy", G_CALLBACK (question_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->question));
}

static void
prompt_cb (LkSignProgress *self,
           int             kind,
           const char     *token_label,
           guint           token_flags,
           guint           pin_flags,
           guint           attempt,
           LkSignJob      *job)
{
  LkPinDialogMode mode;

  if (job != self->job)
    return;
  close_dialogs (self);

  if (kind == LK_SIGN_PROMPT_PIN_PAD_DONE)
    return;
  if (kind == LK_SIGN_PROMPT_ALWAYS_AUTH)
    {
      ask_always_auth (self, token_label, attempt);
      return;
    }

  mode = kind == LK_SIGN_PROMPT_LOCKED ? LK_PIN_DIALOG_LOCKED
       : kind == LK_SIGN_PROMPT_PIN_PAD ? LK_PIN_DIALOG_PIN_PAD
       : LK_PIN_DIALOG_ENTRY;
  self->pin_dialog = lk_pin_dialog_new (parent_window (self), mode, token_label,
                                        (LkTokenFlags) token_flags, (LkTokenPinFlags) pin_flags,
                                        lk_sign_job_get_n_letters (job));
  g_signal_connect_object (self->pin_dialog, "response", G_CALLBACK (pin_response_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pin_dialog, "destroy", G_CALLBACK (pin_dialog_destroyed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->pin_dialog));
}

static void
add_result (LkSignProgress *self,
            const char     *case_id,
            gboolean        ok,
            const char     *message)
{
  const char *receipt = g_hash_table_lookup (self->receipts, case_id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  Result result = { ok, g_strdup (message) };
  guint total = self->case_ids->len;

  g_array_append_val (self->results, result);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), receipt != NULL ? receipt : case_id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  icon = gtk_image_new_from_icon_name (ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_add_css_class (icon, ok ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ok ? _("Signed") : _("Not signed"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (GTK_LIST_BOX (self->results_list), row);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 total > 0 ? (double) self->results->len / total : 1.0);
}

static void
letter_done_cb (LkSignProgress *self,
                guint           index,
                const char     *case_id,
                const char     *sha256,
                const char     *message,
                LkSignJob      *job)
{
  if (job != self->job)
    return;
  close_dialogs (self);
  add_result (self, case_id, sha256 != NULL,
              sha256 != NULL ? _("Signed and checked; it is sent with the next sync") : message);
  if (sha256 != NULL && self->session != NULL)
    lk_session_emit_local_change (self->session, case_id);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkSignProgress) self = user_data;
  g_autoptr(LkSignJob) job = LK_SIGN_JOB (g_object_ref (source));
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 outbox = -1, conflicts = -1;
  guint n_signed = 0;
  guint total;

  lk_sign_job_run_finish (job, result, &error);
  if (job != self->job)
    return;

  if (error != NULL)
    self->batch_error = g_strdup (error->message);
  close_dialogs (self);
  /* The letters the batch did not reach. */
  total = self->case_ids->len;
  for (guint i = self->results->len; i < total; i++)
    add_result (self, g_ptr_array_index (self->case_ids, i), FALSE,
                lk_sign_job_is_cancelled (job)
                ? _("Not signed: signing was stopped before this letter")
                : _("Not signed"));
  for (guint i = 0; i < self->results->len; i++)
    n_signed += g_array_index (self->results, Result, i).ok ? 1 : 0;

  if (n_signed == total)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u letter signed", "%u letters signed",
                                          n_signed), n_signed);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u letter signed",
                                          "%u of %u letters signed", total),
                             n_signed, total);
  gtk_label_set_text (GTK_LABEL (self->progress_title), title);
  gtk_label_set_text (GTK_LABEL (self->batch_error_label),
                      self->batch_error != NULL ? self->batch_error : "");
  gtk_widget_set_visible (self->batch_error_label, self->batch_error != NULL);

  lk_sign_job_get_counts (job, &outbox, &conflicts);
  g_clear_object (&self->job);
  if (self->session != NULL)
    {
      if (outbox >= 0)
        lk_session_set_counts (self->session, outbox, conflicts);
      if (n_signed > 0)
        lk_session_sync_now (self->session);
    }
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->done_button, TRUE);
  gtk_widget_grab_focus (self->done_button);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, n_signed);
}

static void
lk_sign_progress_dispose (GObject *object)
{
  LkSignProgress *self = LK_SIGN_PROGRESS (object);
  GtkWidget *child;

  if (self->job != NULL)
    lk_sign_job_cancel (self->job);
  g_clear_object (&self->job);
  close_dialogs (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_SIGN_PROGRESS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (lk_sign_progress_parent_class)->dispose (object);
}

static void
lk_sign_progress_finalize (GObject *object)
{
  LkSignProgress *self = LK_SIGN_PROGRESS (object);

  g_ptr_array_unref (self->case_ids);
  g_clear_pointer (&self->receipts, g_hash_table_unref);
  g_array_unref (self->results);
  g_free (self->batch_error);
  G_OBJECT_CLASS (lk_sign_progress_parent_class)->finalize (object);
}

static void
lk_sign_progress_class_init (LkSignProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_sign_progress_dispose;
  object_class->finalize = lk_sign_progress_finalize;

  /* (number of letters signed) */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-sign-progress.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, LkSignProgress, progress_title);
  gtk_widget_class_bind_template_child (widget_class, LkSignProgress, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LkSignProgress, batch_error_label);
  gtk_widget_class_bind_template_child (widget_class, LkSignProgress, results_list);
  gtk_widget_class_bind_template_child (widget_class, LkSignProgress, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LkSignProgress, done_button);
}

static void
lk_sign_progress_init (LkSignProgress *self)
{
  self->case_ids = g_ptr_array_new_with_free_func (g_free);
  self->results = g_array_new (FALSE, TRUE, sizeof (Result));
  g_array_set_clear_func (self->results, result_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lk_sign_progress_new (void)
{
  return g_object_new (LK_TYPE_SIGN_PROGRESS, NULL);
}

void
lk_sign_progress_run (LkSignProgress *self,
                      LkSession      *session,
                      LkSignJob      *job,
                      GHashTable     *receipts)
{
  g_autofree char *title = NULL;
  GtkWidget *child;
  guint n;

  g_return_if_fail (LK_IS_SIGN_PROGRESS (self));
  g_return_if_fail (LK_IS_SESSION (session));
  g_return_if_fail (LK_IS_SIGN_JOB (job));
  g_return_if_fail (self->job == NULL);

  g_set_object (&self->session, session);
  self->job = g_object_ref (job);
  g_clear_pointer (&self->receipts, g_hash_table_unref);
  self->receipts = g_hash_table_ref (receipts);
  g_ptr_array_set_size (self->case_ids, 0);
  for (guint i = 0; i < lk_sign_job_get_n_letters (job); i++)
    g_ptr_array_add (self->case_ids, g_strdup (lk_sign_job_get_case_id (job, i)));
  g_array_set_size (self->results, 0);
  g_clear_pointer (&self->batch_error, g_free);
  while ((child = gtk_widget_get_first_child (self->results_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->results_list), child);

  n = self->case_ids->len;
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Signing %u letter…", "Signing %u letters…", n), n);
  gtk_label_set_text (GTK_LABEL (self->progress_title), title);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.0);
  gtk_widget_set_visible (self->batch_error_label, FALSE);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  gtk_widget_set_visible (self->done_button, FALSE);

  g_signal_connect_object (job, "prompt", G_CALLBACK (prompt_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "letter-done", G_CALLBACK (letter_done_cb), self, G_CONNECT_SWAPPED);
  lk_sign_job_run_async (job, job_done_cb, g_object_ref (self));
}

void
lk_sign_progress_cancel (LkSignProgress *self)
{
  g_return_if_fail (LK_IS_SIGN_PROGRESS (self));

  if (self->job == NULL)
    return;
  lk_sign_job_cancel (self->job);
  gtk_label_set_text (GTK_LABEL (self->progress_title), _("Stopping after the letter being signed…"));
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
}

gboolean
lk_sign_progress_get_running (LkSignProgress *self)
{
  g_return_val_if_fail (LK_IS_SIGN_PROGRESS (self), FALSE);
  return self->job != NULL;
}

guint
lk_sign_progress_get_n_results (LkSignProgress *self)
{
  g_return_val_if_fail (LK_IS_SIGN_PROGRESS (self), 0);
  return self->results->len;
}

const char *
lk_sign_progress_get_result (LkSignProgress *self,
                             guint           index,
                             gboolean       *out_signed)
{
  Result *result;

  g_return_val_if_fail (LK_IS_SIGN_PROGRESS (self), NULL);
  g_return_val_if_fail (index < self->results->len, NULL);

  result = &g_array_index (self->results, Result, index);
  if (out_signed != NULL)
    *out_signed = result->ok;
  return result->message;
}

const char *
lk_sign_progress_get_batch_error (LkSignProgress *self)
{
  g_return_val_if_fail (LK_IS_SIGN_PROGRESS (self), NULL);
  return self->batch_error;
}

LkPinDialog *
lk_sign_progress_get_pin_dialog (LkSignProgress *self)
{
  g_return_val_if_fail (LK_IS_SIGN_PROGRESS (self), NULL);
  return self->pin_dialog;
}

AdwMessageDialog *
lk_sign_progress_get_question (LkSignProgress *self)
{
  g_return_val_if_fail (LK_IS_SIGN_PROGRESS (self), NULL);
  return self->question;
}
