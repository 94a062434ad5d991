/* lk-pdf-view.h — shows a PDF attachment: pages, thumbnails, zoom, search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lk-pdf-renderer.h"

G_BEGIN_DECLS

/* The limits live in lk-pdf-renderer.h: pixels per page
 * (LK_PDF_MAX_PIXELS, LK_PDF_MAX_SIDE), pages (LK_PDF_MAX_PAGES), cache
 * bytes (LK_PDF_CACHE_BYTES) and search (LK_PDF_SEARCH_MAX_SECONDS,
 * LK_PDF_SEARCH_MAX_MATCHES). */
#define LK_PDF_VIEW_MAX_PIXELS   LK_PDF_MAX_PIXELS
#define LK_PDF_VIEW_MAX_SIDE     LK_PDF_MAX_SIDE
#define LK_PDF_VIEW_MAX_PAGES    LK_PDF_MAX_PAGES
/* Free zoom steps, in percent of 96 pixels per inch. */
#define LK_PDF_VIEW_MIN_ZOOM     50
#define LK_PDF_VIEW_MAX_ZOOM     400

typedef enum
{
  LK_PDF_ZOOM_FIT_WIDTH,
  LK_PDF_ZOOM_FIT_PAGE,
  LK_PDF_ZOOM_FREE,
} LkPdfZoomMode;

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
/* The page shown right now at the current zoom and rotation, or -1. */
int           lk_pdf_view_get_rendered_page (LkPdfView  *self);
/* Its size in device pixels; FALSE when no page is shown. */
gboolean      lk_pdf_view_get_rendered_size (LkPdfView  *self,
                                             int        *width,
                                             int        *height);
const char   *lk_pdf_view_get_error         (LkPdfView  *self);

LkPdfZoomMode lk_pdf_view_get_zoom_mode     (LkPdfView  *self);
/* The zoom in effect, in percent (also in the fit modes). */
double        lk_pdf_view_get_zoom          (LkPdfView  *self);
/* 0, 90, 180 or 270 degrees clockwise. */
int           lk_pdf_view_get_rotation      (LkPdfView  *self);

/* Opens the search bar with TEXT and searches (as if typed). */
void          lk_pdf_view_find              (LkPdfView  *self,
                                             const char *text);
gboolean      lk_pdf_view_is_searching      (LkPdfView  *self);
guint         lk_pdf_view_get_n_matches     (LkPdfView  *self);
/* The current match's page and 1-based number; FALSE when none. */
gboolean      lk_pdf_view_get_current_match (LkPdfView  *self,
                                             int        *page,
                                             guint      *ordinal);
/* Selects an area of the shown page (points from the top left), as a drag
 * with the mouse does; "pdf.copy" copies its text. */
void          lk_pdf_view_select_area       (LkPdfView  *self,
                                             double      x1,
                                             double      y1,
                                             double      x2,
                                             double      y2);
/* Prints every page into a PDF file (GTK_PRINT_OPERATION_ACTION_EXPORT). */
gboolean      lk_pdf_view_export_print      (LkPdfView  *self,
                                             const char *path,
                                             GError    **error);
guint         lk_pdf_view_get_n_thumbnails_rendered (LkPdfView *self);

/* The "pdf" actions, for a window to make their shortcuts work everywhere:
 *   next-page, previous-page, first-page, last-page   Page Down/Up, Home/End
 *   zoom-in, zoom-out                                 Ctrl+plus, Ctrl+minus
 *   zoom-fit (= zoom-fit-width), zoom-fit-page        Ctrl+0, Ctrl+9
 *   zoom-set (double, percent)
 *   rotate-left, rotate-right                         Ctrl+Left/Right, [ ]
 *   find                                              Ctrl+Shift+F, /
 *   find-next, find-previous                          F3, Shift+F3
 *   copy, copy-page-text                              Ctrl+C, Ctrl+Shift+C
 *   print                                             Ctrl+P
 *   show-thumbnails (boolean state)                   F9
 * The view itself binds these keys while the focus is inside it. */
GActionGroup *lk_pdf_view_get_actions       (LkPdfView  *self);

G_END_DECLS
