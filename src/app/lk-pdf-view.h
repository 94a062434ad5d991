/* lk-pdf-view.h — shows a PDF attachment, one page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Pages larger than this many pixels are rendered at a smaller scale. */
#define LK_PDF_VIEW_MAX_PIXELS   (32 * 1024 * 1024)
#define LK_PDF_VIEW_MAX_SIDE     16384
#define LK_PDF_VIEW_MAX_PAGES    100000

#define LK_TYPE_PDF_VIEW (lk_pdf_view_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfView, lk_pdf_view, LK, PDF_VIEW, GtkWidget)

GtkWidget    *lk_pdf_view_new               (void);
/* Loads and shows the first page; all poppler work runs in the view's
 * worker thread. A file that is not a readable PDF sets "error". */
void          lk_pdf_view_load_file         (LkPdfView  *self,
                                             const char *path);
/* Shows a spinner while the caller fetches the file. */
void          lk_pdf_view_set_loading       (LkPdfView  *self);
/* Shows "This attachment cannot be shown: MESSAGE". */
void          lk_pdf_view_show_error        (LkPdfView  *self,
                                             const char *message);
/* Back to "no attachment". */
void          lk_pdf_view_clear             (LkPdfView  *self);

int           lk_pdf_view_get_n_pages       (LkPdfView  *self);
int           lk_pdf_view_get_page          (LkPdfView  *self);
void          lk_pdf_view_set_page          (LkPdfView  *self,
                                             int         page);
/* The page shown right now, or -1. */
int           lk_pdf_view_get_rendered_page (LkPdfView  *self);
const char   *lk_pdf_view_get_error         (LkPdfView  *self);
/* The "pdf" actions (next-page, previous-page, zoom-in, zoom-out,
 * zoom-fit), for a window to make their shortcuts work everywhere. */
GActionGroup *lk_pdf_view_get_actions       (LkPdfView  *self);

G_END_DECLS
