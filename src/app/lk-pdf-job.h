/* lk-pdf-job.h — the jobs LkPdfRenderer runs in its worker thread
 *
 * Private to lk-pdf-renderer.c (the main thread's side: queueing, cache)
 * and lk-pdf-worker.c (the worker thread's side: poppler).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-pdf-renderer.h"

G_BEGIN_DECLS

/* What the renderer and its jobs share; a renderer can go away while its
 * last jobs drain. */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  PopplerDocument *document;     /* under lock */
  GMutex           pool_lock;
  GThreadPool     *pool;         /* under pool_lock; NULL once disposed */
  int              generation;   /* atomic */
  int              seq;          /* atomic */
} LkPdfShared;

typedef enum
{
  JOB_LOAD,
  JOB_RENDER,
  JOB_TEXT,
  JOB_REGION,
  JOB_SEARCH,
  JOB_SIZES,
} LkPdfJobKind;

/* Page sizes are read this many pages per job, so that renders go first. */
#define SIZES_PER_JOB 256

typedef struct
{
  LkPdfJobKind              kind;
  int                  priority;
  int                  seq;
  int                  generation;
  LkPdfShared              *shared;
  GTask               *task;       /* not owned: the pool's reference */

  char                *path;       /* load */
  int                  n_pages;
  double              *sizes;      /* 2 × n_pages */
  int                  n_sized;

  int                  page;       /* render, text, search (next page) */
  double               scale;
  int                  rotation;
  gboolean             has_area;
  PopplerRectangle     area;

  char                *text;       /* search */
  int                  first_page;
  int                  n_searched;
  int                  n_matches;
  gint64               started;
  GMainContext        *context;
  LkPdfSearchPageFunc  page_func;
  gpointer             page_data;
} LkPdfJob;

/* Before any LkPdfPriority. */
#define LK_PDF_JOB_PRIORITY_LOAD (-1)

LkPdfShared *lk_pdf_shared_ref      (LkPdfShared   *shared);
void         lk_pdf_shared_unref    (LkPdfShared   *shared);
void         lk_pdf_job_free        (gpointer       data);
GError      *lk_pdf_cancelled_error (void);
/* The GThreadPool's function: DATA is a GTask whose task data is a
 * LkPdfJob. */
void         lk_pdf_worker_func     (gpointer       data,
                                     gpointer       user_data);
/* The pool's sort function: priority, then first come. */
int          lk_pdf_job_compare     (gconstpointer  a,
                                     gconstpointer  b,
                                     gpointer       user_data);

G_END_DECLS
