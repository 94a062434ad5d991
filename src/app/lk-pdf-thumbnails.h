/* lk-pdf-thumbnails.h — the strip of page thumbnails beside the page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lk-pdf-renderer.h"

G_BEGIN_DECLS

/* Logical width of a thumbnail. */
#define LK_PDF_THUMBNAIL_WIDTH 96

#define LK_TYPE_PDF_THUMBNAILS (lk_pdf_thumbnails_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfThumbnails, lk_pdf_thumbnails, LK, PDF_THUMBNAILS, GtkWidget)

/* Thumbnails are rendered by RENDERER, only for the rows on screen. */
void lk_pdf_thumbnails_set_renderer (LkPdfThumbnails *self,
                                     LkPdfRenderer   *renderer);
/* After the renderer opened a document (or closed it: 0). */
void lk_pdf_thumbnails_set_n_pages  (LkPdfThumbnails *self,
                                     int              n_pages);
/* Marks and scrolls to PAGE, without emitting "page-selected". */
void lk_pdf_thumbnails_set_page     (LkPdfThumbnails *self,
                                     int              page);
/* The number of thumbnails rendered so far (for tests). */
guint lk_pdf_thumbnails_get_n_rendered (LkPdfThumbnails *self);

G_END_DECLS
