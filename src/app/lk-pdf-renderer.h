/* lk-pdf-renderer.h — one PDF document, its worker thread and its page cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <poppler.h>

G_BEGIN_DECLS

/* Limits. A rendered page never has more than LK_PDF_MAX_PIXELS pixels nor a
 * side longer than LK_PDF_MAX_SIDE (a larger request renders at a smaller
 * scale and is shown stretched). The rendered pages (views and thumbnails)
 * kept in memory take at most LK_PDF_CACHE_BYTES. A search stops after
 * LK_PDF_SEARCH_MAX_SECONDS or LK_PDF_SEARCH_MAX_MATCHES matches. */
#define LK_PDF_MAX_PIXELS          (32 * 1024 * 1024)
#define LK_PDF_MAX_SIDE            16384
#define LK_PDF_MAX_PAGES           100000
#define LK_PDF_CACHE_BYTES         ((gsize) 128 * 1024 * 1024)
#define LK_PDF_SEARCH_MAX_SECONDS  30
#define LK_PDF_SEARCH_MAX_MATCHES  10000

/* Jobs run in this order (then first come, first served). */
typedef enum
{
  LK_PDF_PRIORITY_VISIBLE,
  LK_PDF_PRIORITY_TEXT,
  LK_PDF_PRIORITY_PREFETCH,
  LK_PDF_PRIORITY_THUMBNAIL,
  LK_PDF_PRIORITY_SEARCH,
} LkPdfPriority;

/* The matches of one page, in page points, top-left origin. */
typedef void (*LkPdfSearchPageFunc) (int                     page,
                                     const PopplerRectangle *rects,
                                     guint                   n_rects,
                                     gpointer                user_data);

#define LK_TYPE_PDF_RENDERER (lk_pdf_renderer_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfRenderer, lk_pdf_renderer, LK, PDF_RENDERER, GObject)

LkPdfRenderer   *lk_pdf_renderer_new            (void);

/* Opens PATH in the worker, replacing the document (earlier jobs fail with
 * G_IO_ERROR_CANCELLED). The error message is for people. */
void             lk_pdf_renderer_load_async     (LkPdfRenderer       *self,
                                                 const char          *path,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         lk_pdf_renderer_load_finish    (LkPdfRenderer       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* Drops the document and the cache; pending jobs are cancelled. */
void             lk_pdf_renderer_close          (LkPdfRenderer       *self);

int              lk_pdf_renderer_get_n_pages    (LkPdfRenderer       *self);
/* Unrotated size in points. Right after opening, only the first page's
 * size is known and every page is assumed that large, until the worker
 * has read them all ("page-sizes-changed"). */
void             lk_pdf_renderer_get_page_size  (LkPdfRenderer       *self,
                                                 int                  page,
                                                 double              *width,
                                                 double              *height);

/* SCALE is device pixels per point; ROTATION 0, 90, 180 or 270 (clockwise).
 * lookup returns a cached texture (and marks it recently used) or NULL. */
GdkTexture      *lk_pdf_renderer_lookup         (LkPdfRenderer       *self,
                                                 int                  page,
                                                 double               scale,
                                                 int                  rotation);
void             lk_pdf_renderer_render_async   (LkPdfRenderer       *self,
                                                 int                  page,
                                                 double               scale,
                                                 int                  rotation,
                                                 LkPdfPriority        priority,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* Adds the texture to the cache. */
GdkTexture      *lk_pdf_renderer_render_finish  (LkPdfRenderer       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
gsize            lk_pdf_renderer_get_cache_size (LkPdfRenderer       *self);
/* LK_PDF_CACHE_BYTES unless set (tests use a smaller one). */
void             lk_pdf_renderer_set_cache_limit (LkPdfRenderer      *self,
                                                  gsize               bytes);

/* The text of PAGE, or of the part of it in AREA (points, top-left origin). */
void             lk_pdf_renderer_get_text_async (LkPdfRenderer          *self,
                                                 int                     page,
                                                 const PopplerRectangle *area,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
char            *lk_pdf_renderer_get_text_finish (LkPdfRenderer       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* What a selection from AREA's first corner to its second covers (poppler
 * selects text in reading order between them): a GArray of
 * PopplerRectangle in points, top-left origin. */
void             lk_pdf_renderer_get_selection_async  (LkPdfRenderer          *self,
                                                       int                     page,
                                                       const PopplerRectangle *area,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
GArray          *lk_pdf_renderer_get_selection_finish (LkPdfRenderer          *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);

/* Searches every page, starting at FIRST_PAGE and wrapping around, one page
 * per job so that rendering goes first. PAGE_FUNC gets each page that has
 * matches, on the main thread, in search order. */
void             lk_pdf_renderer_search_async   (LkPdfRenderer       *self,
                                                 const char          *text,
                                                 int                  first_page,
                                                 GCancellable        *cancellable,
                                                 LkPdfSearchPageFunc  page_func,
                                                 gpointer             page_data,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* FALSE with G_IO_ERROR_TIMED_OUT when a limit stopped the search. */
gboolean         lk_pdf_renderer_search_finish  (LkPdfRenderer       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* For printing on the main thread: waits for the worker's current job.
 * Returns NULL when no document is open (then do not unlock). */
PopplerDocument *lk_pdf_renderer_lock_document  (LkPdfRenderer       *self);
void             lk_pdf_renderer_unlock_document (LkPdfRenderer      *self);

G_END_DECLS
