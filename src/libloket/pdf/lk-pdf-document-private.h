/* lk-pdf-document-private.h — internals shared by the document's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-pdf-document.h"

G_BEGIN_DECLS

typedef struct
{
  guint num;
  guint gen;
  LkPdfObj *dict;
  double media_box[4];
} LkPdfPageInfo;

GPtrArray **lk_pdf_document_get_pages_cache (LkPdfDocument *self);

G_END_DECLS
