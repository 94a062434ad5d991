/* lk-number-register-private.h — the Void… dialog of the register of
 * letter numbers (lk-number-register-void.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-number-register.h"

G_BEGIN_DECLS

/* A modal message dialog asking why NUMBER is voided: responses "cancel"
 * (Escape) and "void" (insensitive while the reason is blank; Enter in the
 * reason). Not presented yet. */
AdwMessageDialog *lk_number_register_void_dialog_new        (GtkWindow        *parent,
                                                             const char       *number);
/* The reason typed, trimmed, or NULL while blank (or too long). */
char             *lk_number_register_void_dialog_get_reason (AdwMessageDialog *dialog);
const char       *lk_number_register_void_dialog_get_number (AdwMessageDialog *dialog);

G_END_DECLS
