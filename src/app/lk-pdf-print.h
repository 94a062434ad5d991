/* lk-pdf-print.h — prints the renderer's document with GtkPrintOperation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lk-pdf-renderer.h"

G_BEGIN_DECLS

/* Runs a print operation over every page of RENDERER's document. With
 * EXPORT_FILENAME set, ACTION should be GTK_PRINT_OPERATION_ACTION_EXPORT
 * (a PDF file, no dialog). Pages are drawn with
 * poppler_page_render_for_printing under the renderer's document lock. */
GtkPrintOperationResult lk_pdf_print_run (LkPdfRenderer           *renderer,
                                          GtkWindow               *parent,
                                          GtkPrintOperationAction  action,
                                          const char              *job_name,
                                          const char              *export_filename,
                                          GError                 **error);

G_END_DECLS
