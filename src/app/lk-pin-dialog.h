/* lk-pin-dialog.h — asks the PIN of a signing token, showing the token's
 * label and state (tries left low, final try, locked, PIN pad)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sign/lk-token.h"

G_BEGIN_DECLS

typedef enum
{
  LK_PIN_DIALOG_ENTRY,    /* a PIN entry; responses "cancel" and "sign" */
  LK_PIN_DIALOG_PIN_PAD,  /* "type the PIN on the reader"; response "cancel" */
  LK_PIN_DIALOG_LOCKED,   /* why nothing can be signed; response "close" */
} LkPinDialogMode;

#define LK_TYPE_PIN_DIALOG (lk_pin_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkPinDialog, lk_pin_dialog, LK, PIN_DIALOG, AdwMessageDialog)

/* N_LETTERS: how many letters the login is for (0: not said). */
LkPinDialog *lk_pin_dialog_new            (GtkWindow       *parent,
                                           LkPinDialogMode  mode,
                                           const char      *token_label,
                                           LkTokenFlags     token_flags,
                                           LkTokenPinFlags  pin_flags,
                                           guint            n_letters);
LkPinDialogMode lk_pin_dialog_get_mode    (LkPinDialog     *self);
/* The GtkPasswordEntry (hidden unless LK_PIN_DIALOG_ENTRY). */
GtkWidget   *lk_pin_dialog_get_entry      (LkPinDialog     *self);
/* The sentence about the token's state shown above the entry ("" if none). */
const char  *lk_pin_dialog_get_state_text (LkPinDialog     *self);
/* A copy of the typed PIN (wipe it with explicit_bzero when done); the
 * entry is emptied. NULL when nothing was typed. */
char        *lk_pin_dialog_take_pin       (LkPinDialog     *self);

/* The translated sentence for a token's state (for the dialog and the
 * chooser): "" when there is nothing to say. */
char        *lk_pin_dialog_describe_state (LkTokenFlags     token_flags,
                                           LkTokenPinFlags  pin_flags);

G_END_DECLS
