/* lk-letter-draft.h — the letter a case ends in, drafted from the built-in
 * template (until the letters issue brings per-service templates)
 *
 * Rendered with cairo + pango into a PDF (fonts embedded): A4, the
 * letterhead (agency, unit), the number (a draft mark until numbering
 * exists), the date in Indonesian, the addressee, the body with the case's
 * fields, the signature block, and the footer sentence that the letter is
 * signed electronically. The signer's stamp goes in the signature block:
 * lk_letter_draft_signature_rect().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "model/lk-case.h"
#include "model/lk-service-type.h"

G_BEGIN_DECLS

#define LK_LETTER_ERROR (lk_letter_error_quark ())
GQuark lk_letter_error_quark (void);

typedef enum
{
  LK_LETTER_ERROR_FAILED,   /* cairo or the file system failed */
  LK_LETTER_ERROR_FIELD,    /* the case lacks a field the letter needs */
} LkLetterError;

/* Renders the draft of KASE (a complete LkCase, lk_case_is_complete) for
 * SERVICE, dated DATE (NULL: now), to OUT_PATH (written through a temporary
 * file and a rename). */
gboolean  lk_letter_draft_render        (LkCase         *kase,
                                         LkServiceType  *service,
                                         GDateTime      *date,
                                         const char     *out_path,
                                         GError        **error);
/* The document name of a case's draft ("Letter draft RECEIPT.pdf"): not
 * translated, it is data shared by every desk. */
char     *lk_letter_draft_document_name (const char     *receipt);
/* Whether a document NAME is a letter draft. */
gboolean  lk_letter_draft_is_draft_name (const char     *name);
/* Where the signature stamp goes on the draft's last page: x, y, width,
 * height in PDF points from the page's lower-left corner. */
void      lk_letter_draft_signature_rect (double         rect[4]);

G_END_DECLS
