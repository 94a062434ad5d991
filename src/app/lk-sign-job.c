/* lk-sign-job.c — one batch of letters signed in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-sign-job.h"
#include "sync/lk-outbox.h"

struct _LkSignJob
{
  GObject       parent_instance;

  LkSession    *session;
  LkStore      *store;
  LkBlobCache  *cache;
  char         *actor;
  LkRole        role;
  char         *token_url;
  char         *cert_url;
  GStrv         modules;
  gboolean      visible;
  double        rect[4];
  char         *reason;
  char         *location;
  char         *image_path;
  char         *signer_name;
  char         *signer_position;
  char         *signer_nip;
  char         *public_url;
  GPtrArray    *case_ids;
  GPtrArray    *drafts;

  GMainContext *context;
  GCancellable *cancellable;
  gboolean      running;

  /* The question the worker waits on; guarded by lock. */
  GMutex        lock;
  GCond         cond;
  gboolean      answered;
  char         *pin;
  gboolean      go_on;
  LkTokenFlags  token_flags;   /* written by the worker before asking */
  gboolean      always_auth;
  gint64        outbox_count;
  gint64        conflict_count;
};

G_DEFINE_FINAL_TYPE (LkSignJob, lk_sign_job, G_TYPE_OBJECT)

enum
{
  SIGNAL_PROMPT,
  SIGNAL_LETTER_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  LkSignJob    *job;
  LkSignPrompt  kind;
  char         *label;
  guint         token_flags;
  guint         pin_flags;
  guint         attempt;
} PromptData;

typedef struct
{
  LkSignJob *job;
  guint      index;
  char      *case_id;
  char      *sha256;
  char      *message;
} DoneData;

static void
prompt_data_free (gpointer data)
{
  PromptData *prompt = data;

  g_object_unref (prompt->job);
  g_free (prompt->label);
  g_free (prompt);
}

static void
done_data_free (gpointer data)
{
  DoneData *done = data;

  g_object_unref (done->job);
  g_free (done->case_id);
  g_free (done->sha256);
  g_free (done->message);
  g_free (done);
}

static void
wipe_pin (char **pin)
{
  if (*pin != NULL)
    {
      explicit_bzero (*pin, strlen (*pin));
      g_clear_pointer (pin, g_free);
    }
}

static gboolean
emit_prompt_cb (gpointer data)
{
  PromptData *prompt = data;

  g_signal_emit (prompt->job, signals[SIGNAL_PROMPT], 0, prompt->kind, prompt->label,
                 prompt->token_flags, prompt->pin_flags, prompt->attempt);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_done_cb (gpointer data)
{
  DoneData *done = data;

  g_signal_emit (done->job, signals[SIGNAL_LETTER_DONE], 0, done->index, done->case_id,
                 done->sha256, done->message);
  return G_SOURCE_REMOVE;
}

/* In the worker: shows a question on the main thread; with WAIT, blocks
 * until it is answered (or the job is cancelled). */
static void
ask (LkSignJob       *self,
     LkSignPrompt     kind,
     const char      *label,
     LkTokenPinFlags  pin_flags,
     guint            attempt,
     gboolean         wait,
     char           **out_pin,
     gboolean        *out_go_on)
{
  PromptData *prompt = g_new0 (PromptData, 1);

  g_mutex_lock (&self->lock);
  self->answered = FALSE;
  self->go_on = FALSE;
  wipe_pin (&self->pin);
  prompt->token_flags = self->token_flags;
  g_mutex_unlock (&self->lock);

  prompt->job = g_object_ref (self);
  prompt->kind = kind;
  prompt->label = g_strdup (label);
  prompt->pin_flags = pin_flags;
  prompt->attempt = attempt;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_prompt_cb, prompt,
                              prompt_data_free);
  if (!wait)
    return;

  g_mutex_lock (&self->lock);
  while (!self->answered && !g_cancellable_is_cancelled (self->cancellable))
    g_cond_wait (&self->cond, &self->lock);
  if (out_pin != NULL)
    *out_pin = g_steal_pointer (&self->pin);
  if (out_go_on != NULL)
    *out_go_on = self->go_on && !g_cancellable_is_cancelled (self->cancellable);
  wipe_pin (&self->pin);
  g_mutex_unlock (&self->lock);
}

static char *
pin_cb (const char      *token_label,
        LkTokenPinFlags  flags,
        guint            attempt,
        gpointer         user_data)
{
  LkSignJob *self = user_data;
  char *pin = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return NULL;
  ask (self, LK_SIGN_PROMPT_PIN, token_label, flags, attempt, TRUE, &pin, NULL);
  return pin;
}

static void
report_letter (LkSignJob  *self,
               guint       index,
               const char *sha256,
               const char *message)
{
  DoneData *done = g_new0 (DoneData, 1);

  done->job = g_object_ref (self);
  done->index = index;
  done->case_id = g_strdup (g_ptr_array_index (self->case_ids, index));
  done->sha256 = g_strdup (sha256);
  done->message = g_strdup (message);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_done_cb, done, done_data_free);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  LkSignJob *self = source_object;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenInfo) token = NULL;
  g_autoptr(LkTokenCert) cert = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  LkSignBatchOptions options = { 0, };
  const char *label;

  if (!lk_sign_batch_init_modules ((const char * const *) self->modules, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->token_url != NULL && *self->token_url != '\0')
    {
      token = lk_sign_batch_find_token (self->token_url, &error);
      if (token == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  cert = lk_sign_batch_find_certificate (self->token_url, self->cert_url, &error);
  if (cert == NULL || !lk_sign_batch_check_validity (cert, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  label = token != NULL ? token->label : cert->token_label;

  g_mutex_lock (&self->lock);
  self->token_flags = token != NULL ? token->flags : LK_TOKEN_FLAG_NONE;
  g_mutex_unlock (&self->lock);

  if (self->token_flags & LK_TOKEN_FLAG_PIN_LOCKED)
    {
      ask (self, LK_SIGN_PROMPT_LOCKED, label, LK_TOKEN_PIN_NONE, 0, TRUE, NULL, NULL);
      g_task_return_new_error (task, LK_TOKEN_ERROR, LK_TOKEN_ERROR_PIN_LOCKED,
                               _("The PIN of the token “%s” is locked after too many wrong "
                                 "PINs. Unblock it with the security officer PIN (ask your "
                                 "administrator), then sign again."), label);
      return;
    }

  if (self->token_flags & LK_TOKEN_FLAG_PROTECTED_AUTH_PATH)
    {
      ask (self, LK_SIGN_PROMPT_PIN_PAD, label, LK_TOKEN_PIN_NONE, 0, FALSE, NULL, NULL);
      key = lk_token_key_open (cert->key_url, cert->url, NULL, NULL, NULL, &error);
      ask (self, LK_SIGN_PROMPT_PIN_PAD_DONE, label, LK_TOKEN_PIN_NONE, 0, FALSE, NULL, NULL);
    }
  else
    key = lk_token_key_open (cert->key_url, cert->url, pin_cb, self, NULL, &error);

  if (key == NULL)
    {
      /* The person said no to the PIN (or cancelled meanwhile). */
      if (g_error_matches (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CANCELLED))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                                 _("Signing was cancelled; no letter was signed."));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  chain = lk_token_key_find_chain (key, &error);
  if (chain == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_mutex_lock (&self->lock);
  self->always_auth = lk_token_key_get_always_authenticate (key);
  g_mutex_unlock (&self->lock);
  if (self->always_auth)
    {
      gboolean go_on = FALSE;

      ask (self, LK_SIGN_PROMPT_ALWAYS_AUTH, label, LK_TOKEN_PIN_NONE, self->case_ids->len, TRUE,
           NULL, &go_on);
      if (!go_on)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                                   _("Signing was cancelled; no letter was signed."));
          return;
        }
    }

  options.visible = self->visible;
  memcpy (options.rect, self->rect, sizeof options.rect);
  options.reason = self->reason;
  options.location = self->location;
  options.image_path = self->image_path;
  /* Offline, what the last sign-in remembered. */
  if (self->signer_name == NULL)
    self->signer_name = lk_store_get_meta (self->store, LK_META_ACCOUNT_DISPLAY_NAME);
  if (self->signer_position == NULL)
    self->signer_position = lk_store_get_meta (self->store, LK_META_ACCOUNT_POSITION);
  if (self->signer_nip == NULL)
    self->signer_nip = lk_store_get_meta (self->store, LK_META_ACCOUNT_NIP);
  options.signer_name = self->signer_name;
  options.signer_position = self->signer_position;
  options.signer_nip = self->signer_nip;
  options.public_url = self->public_url;

  for (guint i = 0; i < self->case_ids->len; i++)
    {
      g_autoptr(GError) letter_error = NULL;
      g_autofree char *sha256 = NULL;

      if (g_cancellable_is_cancelled (self->cancellable))
        break;

      sha256 = lk_sign_batch_sign_letter (key, chain, &options, self->store, self->cache,
                                          g_ptr_array_index (self->case_ids, i),
                                          g_ptr_array_index (self->drafts, i),
                                          self->actor, self->role, self->cancellable,
                                          &letter_error);
      if (sha256 != NULL)
        report_letter (self, i, sha256, NULL);
      else if (g_cancellable_is_cancelled (self->cancellable))
        break;   /* stopped while on this letter (e.g. at its PIN): not reached */
      else
        {
          g_debug ("letter %u failed: %s", i, g_quark_to_string (letter_error->domain));
          report_letter (self, i, NULL, letter_error->message);
          /* Without the token the others cannot be signed either. */
          if (g_error_matches (letter_error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_REMOVED))
            {
              self->outbox_count = lk_outbox_count (self->store);
              self->conflict_count = lk_outbox_count_conflicts (self->store);
              g_task_return_error (task, g_steal_pointer (&letter_error));
              return;
            }
        }
    }

  self->outbox_count = lk_outbox_count (self->store);
  self->conflict_count = lk_outbox_count_conflicts (self->store);
  g_task_return_boolean (task, TRUE);
}

static void
lk_sign_job_finalize (GObject *object)
{
  LkSignJob *self = LK_SIGN_JOB (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->cache);
  g_free (self->actor);
  g_free (self->token_url);
  g_free (self->cert_url);
  g_strfreev (self->modules);
  g_free (self->reason);
  g_free (self->location);
  g_free (self->image_path);
  g_free (self->signer_name);
  g_free (self->signer_position);
  g_free (self->signer_nip);
  g_free (self->public_url);
  g_ptr_array_unref (self->case_ids);
  g_ptr_array_unref (self->drafts);
  g_main_context_unref (self->context);
  g_clear_object (&self->cancellable);
  wipe_pin (&self->pin);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (lk_sign_job_parent_class)->finalize (object);
}

static void
lk_sign_job_class_init (LkSignJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_sign_job_finalize;

  /* (kind, token label, LkTokenFlags, LkTokenPinFlags, attempt; for
   * ALWAYS_AUTH the number of letters) */
  signals[SIGNAL_PROMPT] =
    g_signal_new ("prompt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_INT, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  /* (index, case id, signed SHA-256 or NULL, error message or NULL) */
  signals[SIGNAL_LETTER_DONE] =
    g_signal_new ("letter-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
lk_sign_job_init (LkSignJob *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->case_ids = g_ptr_array_new_with_free_func (g_free);
  self->drafts = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->outbox_count = -1;
  self->conflict_count = -1;
  self->context = g_main_context_ref_thread_default ();
}

LkSignJob *
lk_sign_job_new (LkSession                *session,
                 const char               *token_url,
                 const char               *cert_url,
                 const char * const       *modules,
                 const LkSignBatchOptions *options)
{
  LkSignJob *self;

  g_return_val_if_fail (LK_IS_SESSION (session), NULL);
  g_return_val_if_fail (lk_session_get_store (session) != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (LK_TYPE_SIGN_JOB, NULL);
  self->session = g_object_ref (session);
  self->store = g_object_ref (lk_session_get_store (session));
  self->cache = g_object_ref (lk_session_get_blob_cache (session));
  self->actor = g_strdup (lk_session_get_username (session));
  self->role = lk_session_get_role (session);
  self->token_url = g_strdup (token_url);
  self->cert_url = g_strdup (cert_url);
  self->modules = g_strdupv ((char **) modules);
  self->visible = options->visible;
  memcpy (self->rect, options->rect, sizeof self->rect);
  self->reason = g_strdup (options->reason);
  self->location = g_strdup (options->location);
  self->image_path = g_strdup (options->image_path);
  self->signer_name = g_strdup (options->signer_name);
  self->signer_position = g_strdup (options->signer_position);
  self->signer_nip = g_strdup (options->signer_nip);
  self->public_url = g_strdup (options->public_url);
  return self;
}

void
lk_sign_job_add_letter (LkSignJob  *self,
                        const char *case_id,
                        const char *draft_sha256)
{
  g_return_if_fail (LK_IS_SIGN_JOB (self));
  g_return_if_fail (!self->running);
  g_return_if_fail (case_id != NULL);

  g_ptr_array_add (self->case_ids, g_strdup (case_id));
  g_ptr_array_add (self->drafts, g_strdup (draft_sha256));
}

guint
lk_sign_job_get_n_letters (LkSignJob *self)
{
  g_return_val_if_fail (LK_IS_SIGN_JOB (self), 0);
  return self->case_ids->len;
}

const char *
lk_sign_job_get_case_id (LkSignJob *self,
                         guint      index)
{
  g_return_val_if_fail (LK_IS_SIGN_JOB (self), NULL);
  g_return_val_if_fail (index < self->case_ids->len, NULL);
  return g_ptr_array_index (self->case_ids, index);
}

void
lk_sign_job_run_async (LkSignJob           *self,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_SIGN_JOB (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, lk_sign_job_run_async);
  g_task_run_in_thread (task, run_thread);
}

gboolean
lk_sign_job_run_finish (LkSignJob     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_sign_job_cancel (LkSignJob *self)
{
  g_return_if_fail (LK_IS_SIGN_JOB (self));

  g_mutex_lock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  self->answered = TRUE;
  self->go_on = FALSE;
  wipe_pin (&self->pin);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

gboolean
lk_sign_job_is_cancelled (LkSignJob *self)
{
  g_return_val_if_fail (LK_IS_SIGN_JOB (self), FALSE);
  return g_cancellable_is_cancelled (self->cancellable);
}

void
lk_sign_job_answer_pin (LkSignJob *self,
                        char      *pin)
{
  g_return_if_fail (LK_IS_SIGN_JOB (self));

  g_mutex_lock (&self->lock);
  wipe_pin (&self->pin);
  self->pin = pin;
  self->answered = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
lk_sign_job_answer (LkSignJob *self,
                    gboolean   go_on)
{
  g_return_if_fail (LK_IS_SIGN_JOB (self));

  g_mutex_lock (&self->lock);
  self->go_on = go_on;
  self->answered = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

gboolean
lk_sign_job_get_always_authenticate (LkSignJob *self)
{
  gboolean always;

  g_return_val_if_fail (LK_IS_SIGN_JOB (self), FALSE);
  g_mutex_lock (&self->lock);
  always = self->always_auth;
  g_mutex_unlock (&self->lock);
  return always;
}

void
lk_sign_job_get_counts (LkSignJob *self,
                        gint64    *outbox_count,
                        gint64    *conflict_count)
{
  g_return_if_fail (LK_IS_SIGN_JOB (self));

  if (outbox_count != NULL)
    *outbox_count = self->outbox_count;
  if (conflict_count != NULL)
    *conflict_count = self->conflict_count;
}
