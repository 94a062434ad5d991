/* lk-token-chooser.h — the signer chooses the token and the certificate
 * to sign with; the choice is remembered in the settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_TOKEN_CHOOSER (lk_token_chooser_get_type ())
G_DECLARE_FINAL_TYPE (LkTokenChooser, lk_token_chooser, LK, TOKEN_CHOOSER, AdwWindow)

/* SETTINGS: the app's (NULL in tests without the schema: the choice is
 * only reported by ::chosen). Lists the tokens at once, in a worker. */
LkTokenChooser *lk_token_chooser_new               (GtkWindow      *parent,
                                                    GSettings      *settings);
/* Lists the tokens and certificates again. */
void            lk_token_chooser_reload            (LkTokenChooser *self);
gboolean        lk_token_chooser_get_loading       (LkTokenChooser *self);
guint           lk_token_chooser_get_n_tokens      (LkTokenChooser *self);
guint           lk_token_chooser_get_n_certificates (LkTokenChooser *self);
/* Why nothing could be listed, or NULL. */
const char     *lk_token_chooser_get_error         (LkTokenChooser *self);
/* Selects the certificate CERT_URL's row; FALSE if it is not listed. */
gboolean        lk_token_chooser_select            (LkTokenChooser *self,
                                                    const char     *cert_url);
/* The selected row's certificate URL, or NULL. */
const char     *lk_token_chooser_get_selected      (LkTokenChooser *self);
/* Whether the selected certificate is expired (a warning is shown). */
gboolean        lk_token_chooser_get_selected_expired (LkTokenChooser *self);
/* Saves the selected certificate and its token (settings), emits
 * ::chosen (token URL, certificate URL, a one-line description) and
 * closes. */
void            lk_token_chooser_apply             (LkTokenChooser *self);

G_END_DECLS
