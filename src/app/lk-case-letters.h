/* lk-case-letters.h — the "Letter" group of the case view: the case's
 * signed letters (records of the letter kind) and its draft's number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lk-session.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *letters;        /* JsonObject, the newest signed first */
  char      *draft_number;   /* the unsigned draft's number, or NULL */
  gboolean   draft_offline;  /* taken from an offline block */
} LkCaseLetters;

void           lk_case_letters_free (LkCaseLetters *letters);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCaseLetters, lk_case_letters_free)

/* Reads them (blocking: a worker). DOCUMENTS: the case's LkDocument; the
 * draft's number is read from its PDF when it is in CACHE and no signed
 * letter came from it yet. */
LkCaseLetters *lk_case_letters_load (LkStore       *store,
                                     LkBlobCache   *cache,
                                     const char    *case_id,
                                     GPtrArray     *documents,
                                     GError       **error);
/* Fills LIST with an LkLetterRow per letter (and the draft first); FALSE
 * when there is nothing to show. With SESSION (nullable) an
 * administrator's, valid letters offer Revoke…. */
gboolean       lk_case_letters_fill (GtkListBox    *list,
                                     LkCaseLetters *letters,
                                     LkSession     *session,
                                     const char    *public_url,
                                     gboolean       can_resend);

G_END_DECLS
