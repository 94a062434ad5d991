/* lk-pdf-page-list.h — a list model of page numbers, made on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LK_TYPE_PDF_PAGE_LIST (lk_pdf_page_list_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfPageList, lk_pdf_page_list, LK, PDF_PAGE_LIST, GObject)

LkPdfPageList *lk_pdf_page_list_new         (void);
/* Items are GtkStringObjects holding "1" … "N", made when asked for. */
void           lk_pdf_page_list_set_n_pages (LkPdfPageList *self,
                                             guint          n_pages);

G_END_DECLS
