/* lk-pdf-view-private.h — what lk-pdf-view.c and lk-pdf-view-actions.c
 * (the "pdf" actions and their keys) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-pdf-find-bar.h"
#include "lk-pdf-page.h"
#include "lk-pdf-renderer.h"
#include "lk-pdf-search.h"
#include "lk-pdf-thumbnails.h"
#include "lk-pdf-view.h"

G_BEGIN_DECLS

/* 100 % zoom: 96 pixels per inch. */
#define LK_PDF_VIEW_POINTS_TO_PIXELS (96.0 / 72.0)

typedef struct
{
  int    page;
  double scale;      /* device pixels per point */
  int    rotation;
} LkPdfViewKey;

struct _LkPdfView
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  AdwStatusPage      *error_page;
  GtkScrolledWindow  *scroller;
  LkPdfPage          *page_widget;
  GtkSpinButton      *page_spin;
  GtkLabel           *n_pages_label;
  GtkMenuButton      *zoom_button;
  GtkToggleButton    *search_button;
  LkPdfFindBar       *find_bar;
  AdwToastOverlay    *toasts;
  GtkRevealer        *thumbnails_revealer;
  LkPdfThumbnails    *thumbnails;

  GSimpleActionGroup *actions;
  LkPdfRenderer      *renderer;
  LkPdfSearch        *search;
  GCancellable       *load_cancellable;
  GCancellable       *render_cancellable;
  LkPdfViewKey        render_key;      /* valid while render_cancellable */
  GCancellable       *prefetch_cancellable;
  GCancellable       *text_cancellable;
  GCancellable       *region_cancellable;

  int                 n_pages;
  int                 page;
  int                 rendered_page;
  int                 texture_page;
  char               *error;

  LkPdfZoomMode       zoom_mode;
  double              zoom;            /* logical pixels per point in FREE */
  int                 rotation;
  int                 last_width;
  int                 last_height;
  guint               relayout_id;
  int                 thumbnails_n_pages;
  gulong              after_paint_id;
  GdkFrameClock      *after_paint_clock;
  LkPdfViewKey        prefetch_key;
};

/* lk-pdf-view.c */
gboolean lk_pdf_view_has_document     (LkPdfView              *self);
/* Logical pixels per point for the zoom mode, page and size. */
double   lk_pdf_view_logical_scale    (LkPdfView              *self);
/* Shows the current page as the zoom and rotation say (from the cache or
 * after a render in the worker). */
void     lk_pdf_view_update_display   (LkPdfView              *self);
/* Copies the text of AREA of the current page (all of it: NULL). */
void     lk_pdf_view_copy_text        (LkPdfView              *self,
                                       const PopplerRectangle *area);
void     lk_pdf_view_toast            (LkPdfView              *self,
                                       const char             *title);

/* lk-pdf-view-actions.c */
/* Makes self->actions, inserts them as "pdf" and binds their keys. */
void     lk_pdf_view_init_actions     (LkPdfView              *self);
void     lk_pdf_view_update_actions   (LkPdfView              *self);

G_END_DECLS
