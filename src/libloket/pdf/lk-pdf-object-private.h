/* lk-pdf-object-private.h — internals shared by the PDF reader and writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "lk-pdf-object.h"

G_BEGIN_DECLS

struct _LkPdfObj
{
  gint ref_count;
  LkPdfType type;
  gint64 offset;
  gint64 end;
  union {
    gboolean b;
    gint64 i;
    double r;
    struct {
      guint8 *data;
      gsize len;
      gboolean hex;
    } s;
    char *name;
    GPtrArray *array;
    struct {
      GPtrArray *keys;
      GPtrArray *values;
    } dict;
    struct {
      guint num;
      guint gen;
    } ref;
    struct {
      LkPdfObj *dict;
      GBytes *data;
    } stream;
  } v;
};

/* The parser. @bytes is the whole buffer (the file, or a decoded object
 * stream); @in_file says whether offsets are file offsets. */
typedef gboolean (*LkPdfLengthResolver) (gpointer  user_data,
                                         LkPdfObj *ref,
                                         gint64   *length);

typedef struct
{
  GBytes *bytes;
  const guint8 *data;
  gsize len;
  gsize pos;
  gboolean in_file;
  LkPdfLengthResolver resolve_length;
  gpointer resolve_data;
} LkPdfParser;

void      lk_pdf_parser_init            (LkPdfParser  *parser,
                                         GBytes       *bytes,
                                         gboolean      in_file);
void      lk_pdf_parser_skip_space      (LkPdfParser  *parser);
gboolean  lk_pdf_parser_read_uint       (LkPdfParser  *parser,
                                         guint64      *value);
gboolean  lk_pdf_parser_keyword         (LkPdfParser  *parser,
                                         const char   *keyword);
LkPdfObj *lk_pdf_parser_parse_object    (LkPdfParser  *parser,
                                         GError      **error);
/* "N G obj ... endobj" at the current position. */
LkPdfObj *lk_pdf_parser_parse_indirect  (LkPdfParser  *parser,
                                         guint        *num,
                                         guint        *gen,
                                         GError      **error);

/* Filters: FlateDecode with PNG predictors, output bounded. */
GBytes   *lk_pdf_decode_stream          (LkPdfObj     *stream,
                                         GError      **error);

/* Serialization that records where each top-level dictionary value went:
 * LkPdfSpan entries, positions in @out (key points into @obj). */
typedef struct
{
  const char *key;
  gsize start;
  gsize end;
} LkPdfSpan;

void      lk_pdf_obj_serialize_with_spans (LkPdfObj *obj,
                                           GString  *out,
                                           GArray   *spans);

G_END_DECLS
