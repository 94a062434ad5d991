/* fuzz-pdf.c — fuzz target for the PDF reader
 *
 * Built as a plain program that runs the target over the files named on
 * its command line (the seed corpus, run by meson test). For libFuzzer:
 *   clang -DLK_LIBFUZZER -fsanitize=fuzzer,address,undefined ...
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "pdf/lk-pdf-document.h"
#include "pdf/lk-pdf-writer.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(LkPdfDocument) doc = lk_pdf_document_open_bytes (bytes, NULL);
  g_autoptr(GPtrArray) sigs = NULL;
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) extra = NULL;
  int pages;

  if (doc == NULL)
    return 0;
  pages = lk_pdf_document_get_page_count (doc, NULL);
  for (int i = 0; i < pages && i < 16; i++)
    {
      g_autoptr(LkPdfObj) page = lk_pdf_document_get_page (doc, (guint) i, NULL, NULL, NULL, NULL);

      (void) page;
    }
  sigs = lk_pdf_document_get_signature_fields (doc, NULL);
  for (guint n = 1; n <= lk_pdf_document_get_max_object_number (doc) && n < 4096; n++)
    {
      g_autoptr(LkPdfObj) obj = lk_pdf_document_get_object (doc, n, NULL);

      (void) obj;
    }

  writer = lk_pdf_writer_new (doc);
  extra = lk_pdf_obj_new_int (1);
  lk_pdf_writer_add_object (writer, extra);
  lk_pdf_writer_build (writer, NULL);
  return 0;
}

#ifndef LK_LIBFUZZER
int
main (int   argc,
      char *argv[])
{
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *data = NULL;
      gsize len;
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (argv[i], &data, &len, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      LLVMFuzzerTestOneInput ((const guint8 *) data, len);
      g_print ("%s: ok\n", argv[i]);
    }
  return 0;
}
#endif
