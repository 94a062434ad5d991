/* lk-signing-page.h — the signer's desk: the letters awaiting signature,
 * each reviewed in the preview and ticked, then signed as one batch with
 * one PIN entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-pdf-view.h"
#include "lk-pin-dialog.h"
#include "lk-session.h"
#include "lk-token-chooser.h"

G_BEGIN_DECLS

#define LK_TYPE_SIGNING_PAGE (lk_signing_page_get_type ())
G_DECLARE_FINAL_TYPE (LkSigningPage, lk_signing_page, LK, SIGNING_PAGE, GtkWidget)

GtkWidget  *lk_signing_page_new          (LkSession     *session);
LkSession  *lk_signing_page_get_session  (LkSigningPage *self);
/* The window sets it once its store is open ("session" property). */
void        lk_signing_page_set_session  (LkSigningPage *self,
                                          LkSession     *session);
/* Reads the letters awaiting signature again (after a sync). */
void        lk_signing_page_reload       (LkSigningPage *self);

/* The page's actions ("signing." prefix, on the page): tick (Space / Enter
 * on a row), tick-all, tick-none, sign, cancel, done, choose-certificate. */

/* What the page shows, for the window and the tests. */
gboolean     lk_signing_page_get_loading        (LkSigningPage *self);
guint        lk_signing_page_get_n_letters      (LkSigningPage *self);
const char  *lk_signing_page_get_case_id        (LkSigningPage *self,
                                                 guint          index);
/* Selects the letter (its draft is shown in the preview). */
void         lk_signing_page_select             (LkSigningPage *self,
                                                 guint          index);
gboolean     lk_signing_page_get_reviewed       (LkSigningPage *self,
                                                 guint          index);
gboolean     lk_signing_page_get_ticked         (LkSigningPage *self,
                                                 guint          index);
guint        lk_signing_page_get_n_ticked       (LkSigningPage *self);
LkPdfView   *lk_signing_page_get_pdf_view       (LkSigningPage *self);

/* The certificate the batch uses (from the settings, or the chooser). */
void         lk_signing_page_set_certificate    (LkSigningPage *self,
                                                 const char    *token_url,
                                                 const char    *cert_url,
                                                 const char    *description);
const char  *lk_signing_page_get_certificate    (LkSigningPage *self);
/* The open chooser, PIN dialog or question, or NULL. */
LkTokenChooser *lk_signing_page_get_token_chooser (LkSigningPage *self);
LkPinDialog *lk_signing_page_get_pin_dialog     (LkSigningPage *self);
AdwMessageDialog *lk_signing_page_get_question  (LkSigningPage *self);

/* The batch: running, and its results so far (one per letter, in order). */
gboolean     lk_signing_page_get_running        (LkSigningPage *self);
guint        lk_signing_page_get_n_results      (LkSigningPage *self);
/* The result's sentence; OUT_SIGNED (nullable) whether it was signed. */
const char  *lk_signing_page_get_result         (LkSigningPage *self,
                                                 guint          index,
                                                 gboolean      *out_signed);
/* Why the whole batch stopped (login, token, certificate), or NULL. */
const char  *lk_signing_page_get_batch_error    (LkSigningPage *self);

G_END_DECLS
