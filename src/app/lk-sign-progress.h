/* lk-sign-progress.h — a batch being signed: asks what the worker asks
 * (PIN, locked token, PIN pad, a PIN per signature), shows a result per
 * letter, and after the last one updates the session's counts and syncs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-pin-dialog.h"
#include "lk-session.h"
#include "lk-sign-job.h"

G_BEGIN_DECLS

#define LK_TYPE_SIGN_PROGRESS (lk_sign_progress_get_type ())
G_DECLARE_FINAL_TYPE (LkSignProgress, lk_sign_progress, LK, SIGN_PROGRESS, GtkWidget)

GtkWidget   *lk_sign_progress_new             (void);
/* Runs JOB for SESSION; RECEIPTS (case id → receipt number) name the
 * letters. Emits ::finished (number signed) at the end. Its Cancel and
 * Done buttons activate "signing.cancel" and "signing.done". */
void         lk_sign_progress_run             (LkSignProgress *self,
                                               LkSession      *session,
                                               LkSignJob      *job,
                                               GHashTable     *receipts);
/* Stops before the next letter. */
void         lk_sign_progress_cancel          (LkSignProgress *self);
gboolean     lk_sign_progress_get_running     (LkSignProgress *self);
guint        lk_sign_progress_get_n_results   (LkSignProgress *self);
const char  *lk_sign_progress_get_result      (LkSignProgress *self,
                                               guint           index,
                                               gboolean       *out_signed);
const char  *lk_sign_progress_get_batch_error (LkSignProgress *self);
LkPinDialog *lk_sign_progress_get_pin_dialog  (LkSignProgress *self);
AdwMessageDialog *lk_sign_progress_get_question (LkSignProgress *self);

G_END_DECLS
