/* lk-pdf-page.h — one rendered page, its search highlights and the selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <poppler.h>

G_BEGIN_DECLS

#define LK_TYPE_PDF_PAGE (lk_pdf_page_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfPage, lk_pdf_page, LK, PDF_PAGE, GtkWidget)

GtkWidget  *lk_pdf_page_new            (void);
/* The page's unrotated size in points, the logical pixels per point and the
 * clockwise rotation; the widget's size follows. */
void        lk_pdf_page_set_geometry   (LkPdfPage              *self,
                                        double                  width,
                                        double                  height,
                                        double                  scale,
                                        int                     rotation);
/* Stretched to the page's size (an older texture stays until a new one). */
void        lk_pdf_page_set_texture    (LkPdfPage              *self,
                                        GdkTexture             *texture);
GdkTexture *lk_pdf_page_get_texture    (LkPdfPage              *self);
/* The page likely shown next: drawn hidden under this one, so that the
 * GPU has it when it comes (NULL: none). */
void        lk_pdf_page_set_next_texture (LkPdfPage            *self,
                                          GdkTexture           *texture);
/* Search matches in page points (top-left origin); CURRENT is drawn
 * stronger, or -1. */
void        lk_pdf_page_set_highlights (LkPdfPage              *self,
                                        const PopplerRectangle *rects,
                                        guint                   n_rects,
                                        int                     current);
/* The selection in page points, from the first corner dragged (x1, y1)
 * to the second; FALSE when nothing is selected. */
gboolean    lk_pdf_page_get_selection  (LkPdfPage              *self,
                                        PopplerRectangle       *area);
void        lk_pdf_page_set_selection  (LkPdfPage              *self,
                                        const PopplerRectangle *area);
/* What the selection covers (a GArray of PopplerRectangle in points), to
 * draw instead of the dragged box; NULL: the box. */
void        lk_pdf_page_set_selection_region (LkPdfPage        *self,
                                              GArray           *rects);
/* Widget coordinates of a point of the page. */
void        lk_pdf_page_to_widget      (LkPdfPage              *self,
                                        double                  x,
                                        double                  y,
                                        double                 *wx,
                                        double                 *wy);

G_END_DECLS
