/* lk-demo-letters.h — the demo seed's letters: a template per service type,
 * and drafts that carry numbers from the server's numbering and letter ids
 * (lk-demo-seed.c calls it inside its transaction)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

typedef struct _LkDemoLetters LkDemoLetters;

/* For STORE's demo data: letter ids from their own random stream of SEED,
 * QR codes to PUBLIC_URL/v/ID, numbers issued to OFFICER_ID. */
LkDemoLetters *lk_demo_letters_new      (LkStore      *store,
                                         guint32       seed,
                                         const char   *public_url,
                                         const char   *officer_id);
void           lk_demo_letters_free     (LkDemoLetters *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkDemoLetters, lk_demo_letters_free)

/* A template record (version 1, saved by ADMIN at AT) per service type in
 * the store: the built-in template with the city's letterhead. */
gboolean       lk_demo_letters_seed_templates (LkDemoLetters *self,
                                               const char    *admin,
                                               gint64         at,
                                               GError       **error);

/* The draft of CASE_ID (a case of SERVICE_ID in the unit UNIT_ID) dated
 * DATE, rendered with the service type's demo template: a number of the
 * unit's series is recorded as issued for the case (none when the format
 * has no sequence: a draft mark instead), a letter id is made. */
GBytes        *lk_demo_letters_render_draft (LkDemoLetters *self,
                                             const char    *case_id,
                                             const char    *service_id,
                                             const char    *unit_id,
                                             const char    *unit_code,
                                             const char    *unit_name,
                                             const char    *unit_address,
                                             GDateTime     *date,
                                             GError       **error);

/* Advances the server's number counters past the numbers the drafts took. */
gboolean       lk_demo_letters_finish   (LkDemoLetters *self,
                                         GError       **error);

G_END_DECLS
