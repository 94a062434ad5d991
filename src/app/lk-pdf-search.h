/* lk-pdf-search.h — a text search over a document, its matches and the current one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "lk-pdf-renderer.h"

G_BEGIN_DECLS

#define LK_TYPE_PDF_SEARCH (lk_pdf_search_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfSearch, lk_pdf_search, LK, PDF_SEARCH, GObject)

LkPdfSearch            *lk_pdf_search_new              (LkPdfRenderer *renderer);
/* Cancels any earlier search and searches TEXT from FIRST_PAGE on (case
 * insensitive), in the renderer's worker; results come in page by page
 * ("changed" is emitted each time). An empty TEXT just stops. */
void                    lk_pdf_search_start            (LkPdfSearch   *self,
                                                        const char    *text,
                                                        int            first_page);
void                    lk_pdf_search_stop             (LkPdfSearch   *self);
const char             *lk_pdf_search_get_text         (LkPdfSearch   *self);
gboolean                lk_pdf_search_is_running       (LkPdfSearch   *self);
guint                   lk_pdf_search_get_n_matches    (LkPdfSearch   *self);
/* Why the search stopped early, or NULL. */
const char             *lk_pdf_search_get_problem      (LkPdfSearch   *self);
const PopplerRectangle *lk_pdf_search_get_page_matches (LkPdfSearch   *self,
                                                        int            page,
                                                        guint         *n_matches);
/* The current match; FALSE when there is none. ORDINAL is 1-based in
 * document order. */
gboolean                lk_pdf_search_get_current      (LkPdfSearch   *self,
                                                        int           *page,
                                                        int           *index,
                                                        guint         *ordinal);
/* Moves the current match forwards or backwards (wrapping); FALSE when
 * there are no matches. */
gboolean                lk_pdf_search_move             (LkPdfSearch   *self,
                                                        gboolean       forwards);

G_END_DECLS
