/* lk-sign-job.h — one batch of letters signed in a worker thread: one
 * login, then per letter sign, verify, cache and queue; the PIN and the
 * other questions are asked on the main thread while the worker waits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lk-session.h"
#include "sign/lk-sign-batch.h"

G_BEGIN_DECLS

/* What the worker asks ("prompt" signal). */
typedef enum
{
  LK_SIGN_PROMPT_PIN,          /* answer with lk_sign_job_answer_pin() */
  LK_SIGN_PROMPT_LOCKED,       /* the token is locked: show why; answer with lk_sign_job_answer() */
  LK_SIGN_PROMPT_PIN_PAD,      /* type the PIN on the reader: show it, no answer */
  LK_SIGN_PROMPT_PIN_PAD_DONE, /* the reader's login is over: hide it, no answer */
  LK_SIGN_PROMPT_ALWAYS_AUTH,  /* every letter asks the PIN: go on? lk_sign_job_answer() */
} LkSignPrompt;

#define LK_TYPE_SIGN_JOB (lk_sign_job_get_type ())
G_DECLARE_FINAL_TYPE (LkSignJob, lk_sign_job, LK, SIGN_JOB, GObject)

/* A batch for SESSION (its store, blob cache, user and role) with the
 * certificate CERT_URL on TOKEN_URL (as chosen in the settings). MODULES:
 * extra PKCS#11 module paths (NULL-terminated, or NULL). */
LkSignJob    *lk_sign_job_new            (LkSession                *session,
                                          const char               *token_url,
                                          const char               *cert_url,
                                          const char * const       *modules,
                                          const LkSignBatchOptions *options);
/* A letter to sign: the case and the SHA-256 of its draft (in the cache). */
void          lk_sign_job_add_letter     (LkSignJob    *self,
                                          const char   *case_id,
                                          const char   *draft_sha256);
guint         lk_sign_job_get_n_letters  (LkSignJob    *self);
const char   *lk_sign_job_get_case_id    (LkSignJob    *self,
                                          guint         index);

/* Runs the batch. Signals on the calling thread's main context:
 * ::prompt (LkSignPrompt, token label, LkTokenFlags, LkTokenPinFlags,
 * attempt) and ::letter-done (index, case id, signed SHA-256 or NULL,
 * error message or NULL). The result is FALSE with the error that stopped
 * the whole batch (login, token, certificate; G_IO_ERROR_CANCELLED). */
void          lk_sign_job_run_async      (LkSignJob           *self,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      lk_sign_job_run_finish     (LkSignJob           *self,
                                          GAsyncResult        *result,
                                          GError             **error);
/* Stops before the next letter (and answers an open question with no). */
void          lk_sign_job_cancel         (LkSignJob    *self);
gboolean      lk_sign_job_is_cancelled   (LkSignJob    *self);

/* Answers LK_SIGN_PROMPT_PIN: PIN (taken; wiped by the token layer) or
 * NULL to give up. */
void          lk_sign_job_answer_pin     (LkSignJob    *self,
                                          char         *pin);
/* Answers LK_SIGN_PROMPT_LOCKED / _ALWAYS_AUTH. */
void          lk_sign_job_answer         (LkSignJob    *self,
                                          gboolean      go_on);
/* The outbox and conflict counts read after the last letter (for
 * lk_session_set_counts), valid once the run finished. */
void          lk_sign_job_get_counts     (LkSignJob    *self,
                                          gint64       *outbox_count,
                                          gint64       *conflict_count);
/* Whether the key wanted the PIN per signature (known after the login). */
gboolean      lk_sign_job_get_always_authenticate (LkSignJob *self);

G_END_DECLS
