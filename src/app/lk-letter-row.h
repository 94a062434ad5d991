/* lk-letter-row.h — one letter of a case in the case view: its number, its
 * status (valid, revoked, superseded), the verification link and the
 * delivery to the applicant; or the draft's number before signing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "lk-revoke-dialog.h"
#include "lk-session.h"

G_BEGIN_DECLS

#define LK_TYPE_LETTER_ROW (lk_letter_row_get_type ())
G_DECLARE_FINAL_TYPE (LkLetterRow, lk_letter_row, LK, LETTER_ROW, GtkListBoxRow)

/* LETTER: a record of the letter kind. PUBLIC_URL: the base of its
 * verification link. CAN_RESEND: whether the user may ask a failed
 * delivery again (the button activates case.resend-letter with its id). */
GtkWidget  *lk_letter_row_new            (JsonObject  *letter,
                                          const char  *public_url,
                                          gboolean     can_resend);
/* The draft of a letter not signed yet, with its NUMBER (OFFLINE: taken
 * from a block granted in advance while the server was away). */
GtkWidget  *lk_letter_row_new_draft      (const char  *number,
                                          gboolean     offline);

/* NULL for a draft. */
const char *lk_letter_row_get_letter_id  (LkLetterRow *self);
const char *lk_letter_row_get_number_text (LkLetterRow *self);
const char *lk_letter_row_get_status_text (LkLetterRow *self);
const char *lk_letter_row_get_delivery_text (LkLetterRow *self);
/* The verification URL, or NULL for a draft. */
const char *lk_letter_row_get_url        (LkLetterRow *self);
/* Whether Send Again is offered. */
gboolean    lk_letter_row_get_can_resend (LkLetterRow *self);

/* SESSION (nullable): the signed-in user's; an administrator's gets
 * Revoke… on a valid letter, which asks the reason (LkRevokeDialog) and
 * calls lk_session_revoke_letter_async(). */
void        lk_letter_row_set_session    (LkLetterRow *self,
                                          LkSession   *session);
/* Whether Revoke… is offered (and no revocation is under way). */
gboolean    lk_letter_row_get_can_revoke (LkLetterRow *self);
/* Clicks Revoke… (when offered) and returns the dialog it opened, or the
 * one already open; NULL when revoking is not offered. */
LkRevokeDialog *lk_letter_row_open_revoke_dialog (LkLetterRow *self);
/* Why the last revocation failed, or NULL. */
const char *lk_letter_row_get_error_text (LkLetterRow *self);

G_END_DECLS
