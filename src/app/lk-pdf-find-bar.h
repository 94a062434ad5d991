/* lk-pdf-find-bar.h — the viewer's search bar: entry, match count, next and previous
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lk-pdf-search.h"

G_BEGIN_DECLS

#define LK_TYPE_PDF_FIND_BAR (lk_pdf_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfFindBar, lk_pdf_find_bar, LK, PDF_FIND_BAR, GtkWidget)

/* The search it drives and shows. */
void          lk_pdf_find_bar_set_search     (LkPdfFindBar *self,
                                              LkPdfSearch  *search);
/* Where a new search starts. */
void          lk_pdf_find_bar_set_first_page (LkPdfFindBar *self,
                                              int           page);
/* Shows the bar and focuses its entry. */
void          lk_pdf_find_bar_open           (LkPdfFindBar *self);
/* Shows the bar with TEXT and searches at once. */
void          lk_pdf_find_bar_find           (LkPdfFindBar *self,
                                              const char   *text);
GtkSearchBar *lk_pdf_find_bar_get_search_bar (LkPdfFindBar *self);

G_END_DECLS
