/* lk-pdf-print.c — prints the renderer's document with GtkPrintOperation
 *
 * Each page is scaled to fit the paper's printable area, centred, and
 * turned a quarter when its orientation differs from the paper's. The
 * document is shared with the renderer's worker, so each page is drawn
 * under its lock (the worker finishes its current page first).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "lk-pdf-print.h"

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              LkPdfRenderer     *renderer)
{
  PopplerDocument *document = lk_pdf_renderer_lock_document (renderer);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double paper_width = gtk_print_context_get_width (context);
  double paper_height = gtk_print_context_get_height (context);
  double width = 0, height = 0, scale;
  gboolean turn;
  PopplerPage *page;

  if (document == NULL)
    return;

  page = poppler_document_get_page (document, page_nr);
  if (page == NULL)
    {
      lk_pdf_renderer_unlock_document (renderer);
      return;
    }

  poppler_page_get_size (page, &width, &height);
  if (width > 0 && height > 0)
    {
      turn = (width > height) != (paper_width > paper_height);
      if (turn)
        scale = MIN (paper_width / height, paper_height / width);
      else
        scale = MIN (paper_width / width, paper_height / height);

      cairo_save (cr);
      cairo_translate (cr, paper_width / 2, paper_height / 2);
      if (turn)
        cairo_rotate (cr, G_PI / 2);
      cairo_scale (cr, scale, scale);
      cairo_translate (cr, -width / 2, -height / 2);
      poppler_page_render_for_printing (page, cr);
      cairo_restore (cr);
    }

  g_object_unref (page);
  lk_pdf_renderer_unlock_document (renderer);
}

GtkPrintOperationResult
lk_pdf_print_run (LkPdfRenderer           *renderer,
                  GtkWindow               *parent,
                  GtkPrintOperationAction  action,
                  const char              *job_name,
                  const char              *export_filename,
                  GError                 **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  int n_pages;

  g_return_val_if_fail (LK_IS_PDF_RENDERER (renderer), GTK_PRINT_OPERATION_RESULT_ERROR);

  n_pages = lk_pdf_renderer_get_n_pages (renderer);
  if (n_pages <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no document to print."));
      return GTK_PRINT_OPERATION_RESULT_ERROR;
    }

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, n_pages);
  gtk_print_operation_set_use_full_page (operation, FALSE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  if (job_name != NULL)
    gtk_print_operation_set_job_name (operation, job_name);
  if (export_filename != NULL)
    gtk_print_operation_set_export_filename (operation, export_filename);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), renderer, 0);

  return gtk_print_operation_run (operation, action, parent, error);
}
