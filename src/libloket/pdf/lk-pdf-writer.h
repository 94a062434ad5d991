/* lk-pdf-writer.h — appends one revision to a PDF (incremental update)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lk-pdf-document.h"

G_BEGIN_DECLS

#define LK_TYPE_PDF_WRITER (lk_pdf_writer_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfWriter, lk_pdf_writer, LK, PDF_WRITER, GObject)

/* The new revision never changes a byte of the original: the output is the
 * document's bytes followed by the revision, whose cross-reference section
 * has the original's style (table or stream) and /Prev to its last one.
 *
 * Typical use by a signer:
 *   num = lk_pdf_writer_reserve (w);            new number, for cross refs
 *   lk_pdf_writer_set_object (w, num, sig_dict, &error);
 *   lk_pdf_writer_set_object (w, catalog_num, new_catalog, &error);
 *   lk_pdf_writer_build (w, &error);
 *   lk_pdf_writer_get_value_span (w, num, "Contents", &start, &end);
 *   data = lk_pdf_writer_get_revision_data (w, &len);   patch in place
 *   lk_pdf_writer_write_to_file (w, "out.pdf", &error);
 */
LkPdfWriter   *lk_pdf_writer_new                (LkPdfDocument  *document);
LkPdfDocument *lk_pdf_writer_get_document       (LkPdfWriter    *self);

/* A new object number (max + 1, max + 2, ...), to be set before build. */
guint          lk_pdf_writer_reserve            (LkPdfWriter    *self);
/* Reserves a number and sets @obj there; returns the number. */
guint          lk_pdf_writer_add_object         (LkPdfWriter    *self,
                                                 LkPdfObj       *obj);
/* Sets a reserved object, or replaces an object of the document (keeping
 * its number and generation). @obj is referenced, not copied. */
gboolean       lk_pdf_writer_set_object         (LkPdfWriter    *self,
                                                 guint           num,
                                                 LkPdfObj       *obj,
                                                 GError        **error);
/* Like set_object, but @body is written verbatim between "N G obj\n" and
 * "\nendobj". */
gboolean       lk_pdf_writer_set_raw_object     (LkPdfWriter    *self,
                                                 guint           num,
                                                 GBytes         *body,
                                                 GError        **error);
/* Overrides or adds a trailer key (/Root, /Info and /ID are kept). */
void           lk_pdf_writer_set_trailer_entry  (LkPdfWriter    *self,
                                                 const char     *key,
                                                 LkPdfObj       *value);

/* Serializes the revision. Afterwards the offsets below are known and
 * the revision bytes may be patched in place (same length). */
gboolean       lk_pdf_writer_build              (LkPdfWriter    *self,
                                                 GError        **error);
/* File offset where the revision starts (the original's length). */
guint64        lk_pdf_writer_get_revision_offset (LkPdfWriter   *self);
guint8        *lk_pdf_writer_get_revision_data  (LkPdfWriter    *self,
                                                 gsize          *len);
/* File offsets of object @num: its "N G obj" line and just after its
 * "endobj"; -1 if it was not written. */
gint64         lk_pdf_writer_get_object_offset  (LkPdfWriter    *self,
                                                 guint           num);
gint64         lk_pdf_writer_get_object_end     (LkPdfWriter    *self,
                                                 guint           num);
/* File offsets of the serialized value of top-level key @key of the
 * dictionary (or stream dictionary) written as object @num. */
gboolean       lk_pdf_writer_get_value_span     (LkPdfWriter    *self,
                                                 guint           num,
                                                 const char     *key,
                                                 gint64         *start,
                                                 gint64         *end);
/* File offset of the first @token within object @num's bytes, or -1. */
gint64         lk_pdf_writer_find_token         (LkPdfWriter    *self,
                                                 guint           num,
                                                 const char     *token);

/* Write the original followed by the (possibly patched) revision; builds
 * first if needed. The file variant writes a temporary file beside @path
 * and renames it, so @path is never half-written. */
gboolean       lk_pdf_writer_write_to_stream    (LkPdfWriter    *self,
                                                 GOutputStream  *stream,
                                                 GCancellable   *cancellable,
                                                 GError        **error);
gboolean       lk_pdf_writer_write_to_file      (LkPdfWriter    *self,
                                                 const char     *path,
                                                 GError        **error);

G_END_DECLS
