/* lk-letter-draft.h — the letter a case ends in, drafted from the built-in
 * template (until the letters issue brings per-service templates)
 *
 * Rendered with cairo + pango into a PDF (fonts embedded): A4, the
 * letterhead (agency, unit), the number (a draft mark until numbering
 * exists), the date in Indonesian, the addressee, the body with the case's
 * fields, the signature block, and the footer sentence that the letter is
 * signed electronically. Since issue 6 the draft is the service's built-in
 * template (lk_letter_template_new_default) rendered without a number or
 * letter id; the stamp goes where its marker fell, recorded in the PDF's
 * /Keywords (lk-letter-template.h), and lk_letter_draft_signature_rect()
 * is only the fallback for a PDF without them.
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

/* The footer sentence on every page of a letter (data, not translated). */
#define LK_LETTER_DRAFT_FOOTER \
  "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik."

typedef enum
{
  LK_LETTER_ERROR_FAILED,   /* cairo or the file system failed */
  LK_LETTER_ERROR_FIELD,    /* the case lacks a field the letter needs */
  LK_LETTER_ERROR_TEMPLATE, /* a template that is not valid (lk-letter-template.h) */
  LK_LETTER_ERROR_NOT_LETTER, /* a PDF without Loket's letter keywords */
} LkLetterError;

/* Renders the draft of KASE (a complete LkCase, lk_case_is_complete) for
 * SERVICE, dated DATE (NULL: now), to OUT_PATH (written through a temporary
 * file and a rename). */
gboolean  lk_letter_draft_render        (LkCase         *kase,
                                         LkServiceType  *service,
                                         GDateTime      *date,
                                         const char     *out_path,
                                         GError        **error);
/* lk_letter_draft_render() with the issuing unit's name and address for the
 * letterhead (the case only names its unit by id); either may be NULL. */
gboolean  lk_letter_draft_render_for_unit (LkCase       *kase,
                                         LkServiceType  *service,
                                         const char     *unit_name,
                                         const char     *unit_address,
                                         GDateTime      *date,
                                         const char     *out_path,
                                         GError        **error);
/* DATE in Indonesian, as on the letter: "28 November 2026". */
char     *lk_letter_draft_format_date   (GDateTime      *date);
/* The document name of a case's draft ("Letter draft RECEIPT.pdf"): not
 * translated, it is data shared by every desk. */
char     *lk_letter_draft_document_name (const char     *receipt);
/* Whether a document NAME is a letter draft. */
gboolean  lk_letter_draft_is_draft_name (const char     *name);
/* Where the signature stamp goes on the last page of a PDF without Loket's
 * letter keywords (issue 5's draft): x, y, width, height in PDF points
 * from the page's lower-left corner. */
void      lk_letter_draft_signature_rect (double         rect[4]);

G_END_DECLS
