/* lk-pdf-object.h — the PDF object model, its error domain and its serializer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LK_PDF_ERROR (lk_pdf_error_quark ())

typedef enum {
  LK_PDF_ERROR_IO,           /* the file could not be read or written */
  LK_PDF_ERROR_SYNTAX,       /* an object is malformed */
  LK_PDF_ERROR_XREF,         /* no usable cross-reference information */
  LK_PDF_ERROR_LIMIT,        /* a size, depth or count bound was exceeded */
  LK_PDF_ERROR_ENCRYPTED,    /* the file is encrypted: refused */
  LK_PDF_ERROR_UNSUPPORTED,  /* a filter or feature we do not implement */
  LK_PDF_ERROR_NOT_FOUND,    /* an object or page does not exist */
  LK_PDF_ERROR_LOOP,         /* a reference chain loops */
} LkPdfError;

GQuark lk_pdf_error_quark (void);

/* Bounds of the reader (all inputs are untrusted). */
#define LK_PDF_MAX_DEPTH        64
#define LK_PDF_MAX_OBJECTS      1000000
#define LK_PDF_MAX_STRING       (256u * 1024 * 1024)
#define LK_PDF_MAX_STREAM       (256u * 1024 * 1024)
#define LK_PDF_MAX_REVISIONS    64

typedef enum {
  LK_PDF_NULL,
  LK_PDF_BOOL,
  LK_PDF_INT,
  LK_PDF_REAL,
  LK_PDF_STRING,
  LK_PDF_NAME,
  LK_PDF_ARRAY,
  LK_PDF_DICT,
  LK_PDF_REF,
  LK_PDF_STREAM,
  LK_PDF_RAW,     /* writer only: bytes serialized verbatim */
} LkPdfType;

/* A reference-counted, immutable-by-convention PDF object. Objects handed
 * out by an LkPdfDocument are shared with its cache: copy them
 * (lk_pdf_obj_copy) before changing them. */
typedef struct _LkPdfObj LkPdfObj;

#define LK_TYPE_PDF_OBJ (lk_pdf_obj_get_type ())
GType      lk_pdf_obj_get_type        (void) G_GNUC_CONST;

LkPdfObj  *lk_pdf_obj_ref             (LkPdfObj *obj);
void       lk_pdf_obj_unref           (LkPdfObj *obj);
LkPdfObj  *lk_pdf_obj_copy            (LkPdfObj *obj);

/* Constructors. new_stream takes ownership of @dict and references @data
 * (the raw, still encoded bytes); new_raw is written verbatim by the
 * serializer, e.g. a fixed-width "/ByteRange" placeholder that is patched
 * in place later. */
LkPdfObj  *lk_pdf_obj_new_null        (void);
LkPdfObj  *lk_pdf_obj_new_bool        (gboolean value);
LkPdfObj  *lk_pdf_obj_new_int         (gint64 value);
LkPdfObj  *lk_pdf_obj_new_real        (double value);
LkPdfObj  *lk_pdf_obj_new_string      (const guint8 *data,
                                       gsize         len);
LkPdfObj  *lk_pdf_obj_new_hex_string  (const guint8 *data,
                                       gsize         len);
LkPdfObj  *lk_pdf_obj_new_name        (const char   *name);
LkPdfObj  *lk_pdf_obj_new_array       (void);
LkPdfObj  *lk_pdf_obj_new_dict        (void);
LkPdfObj  *lk_pdf_obj_new_ref         (guint         num,
                                       guint         gen);
LkPdfObj  *lk_pdf_obj_new_stream      (LkPdfObj     *dict,
                                       GBytes       *data);
LkPdfObj  *lk_pdf_obj_new_raw         (const char   *text);

/* The getters accept NULL (an absent key) and read it as null/0/FALSE. */
LkPdfType  lk_pdf_obj_get_kind        (LkPdfObj *obj);
gboolean   lk_pdf_obj_get_bool        (LkPdfObj *obj);
gint64     lk_pdf_obj_get_int         (LkPdfObj *obj);
gboolean   lk_pdf_obj_is_number       (LkPdfObj *obj);
double     lk_pdf_obj_get_number      (LkPdfObj *obj);
const guint8 *lk_pdf_obj_get_string   (LkPdfObj *obj,
                                       gsize    *len);
const char *lk_pdf_obj_get_name       (LkPdfObj *obj);
gboolean   lk_pdf_obj_is_name         (LkPdfObj   *obj,
                                       const char *name);
guint      lk_pdf_obj_get_ref_num     (LkPdfObj *obj);
guint      lk_pdf_obj_get_ref_gen     (LkPdfObj *obj);

/* Containers; *_take adds @item/@value and takes ownership of it;
 * *_get and *_at return borrowed pointers (or NULL). */
guint      lk_pdf_obj_array_length    (LkPdfObj *array);
LkPdfObj  *lk_pdf_obj_array_get       (LkPdfObj *array,
                                       guint     index);
void       lk_pdf_obj_array_take      (LkPdfObj *array,
                                       LkPdfObj *item);

guint      lk_pdf_obj_dict_size       (LkPdfObj   *dict);
const char *lk_pdf_obj_dict_key_at    (LkPdfObj   *dict,
                                       guint       index);
LkPdfObj  *lk_pdf_obj_dict_value_at   (LkPdfObj   *dict,
                                       guint       index);
LkPdfObj  *lk_pdf_obj_dict_get        (LkPdfObj   *dict,
                                       const char *key);
void       lk_pdf_obj_dict_take       (LkPdfObj   *dict,
                                       const char *key,
                                       LkPdfObj   *value);
gboolean   lk_pdf_obj_dict_remove     (LkPdfObj   *dict,
                                       const char *key);

/* For a stream: its dictionary and its raw (still encoded) bytes. */
LkPdfObj  *lk_pdf_obj_stream_get_dict (LkPdfObj *stream);
GBytes    *lk_pdf_obj_stream_get_data (LkPdfObj *stream);

/* Where the object was parsed in the file: offset of its first byte and
 * the offset just after its last byte, or -1 when it did not come from the
 * file bytes directly (built in memory, or read from an object stream). */
gint64     lk_pdf_obj_get_file_offset (LkPdfObj *obj);
gint64     lk_pdf_obj_get_file_end    (LkPdfObj *obj);

/* Deterministic serialization: dictionaries keep insertion order and are
 * written "<< /Key value /Key value >>" (one space between key and value),
 * arrays "[a b c]", reals without exponent, literal strings with escapes,
 * hex strings upper case. Streams get /Length set to their data size. */
void       lk_pdf_obj_serialize       (LkPdfObj *obj,
                                       GString  *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkPdfObj, lk_pdf_obj_unref)

G_END_DECLS
