/* lk-pdf-document.h — a PDF file opened for reading and incremental update
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lk-pdf-object.h"

G_BEGIN_DECLS

typedef enum {
  LK_PDF_XREF_TABLE,   /* classic "xref" table (also hybrid files) */
  LK_PDF_XREF_STREAM,  /* cross-reference stream (PDF 1.5) */
} LkPdfXrefStyle;

/* A signature field (/FT /Sig) found in the AcroForm. */
typedef struct
{
  guint num;               /* the field's object number, 0 if direct */
  guint gen;
  char *name;              /* fully qualified name (/T parts joined by '.') */
  LkPdfObj *field;         /* the field dictionary */
  LkPdfObj *value;         /* the /V signature dictionary, or NULL */
  guint value_num;         /* its object number, 0 if direct or absent */
  guint n_byte_range;      /* number of /ByteRange integers (4 normally) */
  gint64 byte_range[8];
  gint64 contents_offset;  /* file offset of the '<' of /Contents, or -1 */
  gint64 contents_end;     /* file offset just after its '>', or -1 */
} LkPdfSigField;

void lk_pdf_sig_field_free (LkPdfSigField *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkPdfSigField, lk_pdf_sig_field_free)

#define LK_TYPE_PDF_DOCUMENT (lk_pdf_document_get_type ())
G_DECLARE_FINAL_TYPE (LkPdfDocument, lk_pdf_document, LK, PDF_DOCUMENT, GObject)

/* Encrypted files are refused with LK_PDF_ERROR_ENCRYPTED: Loket does not
 * sign them (new objects would have to be encrypted with the file's key). */
LkPdfDocument  *lk_pdf_document_open                (const char     *path,
                                                     GError        **error);
LkPdfDocument  *lk_pdf_document_open_bytes          (GBytes         *bytes,
                                                     GError        **error);

/* The whole file (memory-mapped when opened from a path). */
GBytes         *lk_pdf_document_get_bytes           (LkPdfDocument  *self);
/* Tells the kernel that the mapped pages wholly inside [offset, offset +
 * len) are not needed for now, so a pass over a large file (hashing,
 * copying) does not keep it all in the process's memory; they come back
 * from the page cache when touched again. A no-op for in-memory bytes. */
void            lk_pdf_document_drop_pages          (LkPdfDocument  *self,
                                                     gsize           offset,
                                                     gsize           len);
/* TRUE when the file had no usable cross-reference section and the table
 * was rebuilt from its "N G obj" headers. An update of such a file must
 * carry a complete cross-reference table and no /Prev. */
gboolean        lk_pdf_document_is_reconstructed    (LkPdfDocument  *self);
/* File offset of object num, or -1 when it is free or compressed. */
gint64          lk_pdf_document_get_object_offset   (LkPdfDocument  *self,
                                                     guint           num);
LkPdfXrefStyle  lk_pdf_document_get_xref_style      (LkPdfDocument  *self);
/* Offset of the newest cross-reference section (the last startxref). */
guint64         lk_pdf_document_get_startxref       (LkPdfDocument  *self);
/* Offsets of every cross-reference section, in /Prev order (newest
 * first; a linearized file's first-page section comes before its main one). */
const guint64  *lk_pdf_document_get_xref_sections   (LkPdfDocument  *self,
                                                     guint          *n_sections);
/* Highest object number in use (from the xref sections and /Size). */
guint           lk_pdf_document_get_max_object_number (LkPdfDocument *self);
/* Generation of object @num in the xref, or -1 if it is not in use. */
gint            lk_pdf_document_get_object_generation (LkPdfDocument *self,
                                                     guint          num);

/* The trailer dictionary, newest first (for an xref stream: its dict,
 * with /Root, /Info, /ID taken from older sections when missing). */
LkPdfObj       *lk_pdf_document_get_trailer         (LkPdfDocument  *self);
LkPdfObj       *lk_pdf_document_get_catalog         (LkPdfDocument  *self,
                                                     GError        **error);
guint           lk_pdf_document_get_catalog_number  (LkPdfDocument  *self);

/* Objects are returned with a new reference; they are shared with the
 * document's cache, so copy before changing them. */
LkPdfObj       *lk_pdf_document_get_object          (LkPdfDocument  *self,
                                                     guint          num,
                                                     GError        **error);
/* @obj itself (new reference) unless it is a reference. A reference to
 * a missing object resolves to null, as the PDF specification says. */
LkPdfObj       *lk_pdf_document_resolve             (LkPdfDocument  *self,
                                                     LkPdfObj       *obj,
                                                     GError        **error);
/* Resolve @dict's @key; NULL without error if absent. */
LkPdfObj       *lk_pdf_document_lookup              (LkPdfDocument  *self,
                                                     LkPdfObj       *dict,
                                                     const char     *key,
                                                     GError        **error);

int             lk_pdf_document_get_page_count      (LkPdfDocument  *self,
                                                     GError        **error);
/* Page @index (0-based): its dictionary, object number and generation,
 * and its /MediaBox (inherited) as x0, y0, x1, y1. */
LkPdfObj       *lk_pdf_document_get_page            (LkPdfDocument  *self,
                                                     guint          index,
                                                     guint         *num,
                                                     guint         *gen,
                                                     double         media_box[4],
                                                     GError        **error);

/* The /AcroForm dictionary; NULL without error when the file has none. */
LkPdfObj       *lk_pdf_document_get_acroform        (LkPdfDocument  *self,
                                                     GError        **error);
/* A GPtrArray of LkPdfSigField (empty if none); NULL on error. */
GPtrArray      *lk_pdf_document_get_signature_fields (LkPdfDocument *self,
                                                     GError        **error);

G_END_DECLS
