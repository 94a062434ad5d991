/* lk-signing-page.h — the signer's desk: the letters awaiting signature,
 * each reviewed in the preview and ticked, then signed as one batch with
 * one PIN entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-session.h"

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

G_END_DECLS
