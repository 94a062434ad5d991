/* lk-pdf-filter.c — stream filters: FlateDecode and PNG predictors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pdf"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lk-pdf-object-private.h"

static GBytes *
inflate_bytes (GBytes  *input,
               GError **error)
{
  gsize in_len;
  const guint8 *in = g_bytes_get_data (input, &in_len);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  z_stream zs = { 0 };
  guint8 chunk[16384];
  int rc = Z_OK;

  if (inflateInit (&zs) != Z_OK)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
                   _("The PDF has a compressed stream that cannot be read."));
      return NULL;
    }
  zs.next_in = (Bytef *) in;
  /* in_len is bounded by LK_PDF_MAX_STREAM, below UINT_MAX */
  zs.avail_in = (uInt) MIN (in_len, (gsize) G_MAXUINT);

  while (rc == Z_OK)
    {
      zs.next_out = chunk;
      zs.avail_out = sizeof chunk;
      rc = inflate (&zs, Z_NO_FLUSH);
      g_byte_array_append (out, chunk, (guint) (sizeof chunk - zs.avail_out));
      if (out->len > LK_PDF_MAX_STREAM)
        {
          inflateEnd (&zs);
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF has a stream that expands to more than %u bytes."),
                       LK_PDF_MAX_STREAM);
          return NULL;
        }
      if (rc == Z_BUF_ERROR && zs.avail_in == 0)
        break; /* truncated but usable: viewers accept it */
    }
  inflateEnd (&zs);

  if (rc != Z_STREAM_END && rc != Z_BUF_ERROR && out->len == 0)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
                   _("The PDF has a compressed stream that cannot be read."));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static guint8
paeth (guint8 a,
       guint8 b,
       guint8 c)
{
  int p = (int) a + (int) b - (int) c;
  int pa = abs (p - (int) a), pb = abs (p - (int) b), pc = abs (p - (int) c);

  if (pa <= pb && pa <= pc)
    return a;
  if (pb <= pc)
    return b;
  return c;
}

static GBytes *
unpredict (GBytes   *input,
           LkPdfObj *parms,
           GError  **error)
{
  gint64 predictor = 1, colors = 1, bpc = 8, columns = 1;
  gsize in_len, row_len, bpp, rows;
  const guint8 *in;
  g_autofree guint8 *prev = NULL;
  g_autoptr(GByteArray) out = NULL;

  if (parms != NULL && lk_pdf_obj_get_kind (parms) == LK_PDF_DICT)
    {
      if (lk_pdf_obj_dict_get (parms, "Predictor"))
        predictor = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (parms, "Predictor"));
      if (lk_pdf_obj_dict_get (parms, "Colors"))
        colors = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (parms, "Colors"));
      if (lk_pdf_obj_dict_get (parms, "BitsPerComponent"))
        bpc = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (parms, "BitsPerComponent"));
      if (lk_pdf_obj_dict_get (parms, "Columns"))
        columns = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (parms, "Columns"));
    }
  if (predictor <= 1)
    return g_bytes_ref (input);
  if (predictor < 10 || predictor > 15)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_UNSUPPORTED,
                   _("The PDF uses predictor %d, which Loket does not support."), (int) predictor);
      return NULL;
    }
  if (colors < 1 || colors > 32 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)
      || columns < 1 || columns > 1 << 20)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
                   _("The PDF has a stream with bad predictor parameters."));
      return NULL;
    }

  bpp = (gsize) MAX (1, colors * bpc / 8);
  row_len = (gsize) ((colors * bpc * columns + 7) / 8);
  in = g_bytes_get_data (input, &in_len);
  rows = in_len / (row_len + 1);
  prev = g_malloc0 (row_len);
  out = g_byte_array_sized_new ((guint) (rows * row_len));

  for (gsize r = 0; r < rows; r++)
    {
      const guint8 *src = in + r * (row_len + 1);
      guint8 filter = src[0];
      guint8 *cur;

      g_byte_array_set_size (out, (guint) ((r + 1) * row_len));
      cur = out->data + r * row_len;
      src++;
      for (gsize i = 0; i < row_len; i++)
        {
          guint8 left = i >= bpp ? cur[i - bpp] : 0;
          guint8 up = prev[i];
          guint8 upleft = i >= bpp ? prev[i - bpp] : 0;

          switch (filter)
            {
            case 0: cur[i] = src[i]; break;
            case 1: cur[i] = (guint8) (src[i] + left); break;
            case 2: cur[i] = (guint8) (src[i] + up); break;
            case 3: cur[i] = (guint8) (src[i] + ((left + up) >> 1)); break;
            case 4: cur[i] = (guint8) (src[i] + paeth (left, up, upleft)); break;
            default:
              g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
                           _("The PDF has a stream with a bad PNG row filter."));
              return NULL;
            }
        }
      memcpy (prev, cur, row_len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
lk_pdf_decode_stream (LkPdfObj *stream,
                      GError  **error)
{
  LkPdfObj *filter, *parms;
  g_autoptr(GBytes) data = NULL;
  guint n_filters;

  g_return_val_if_fail (lk_pdf_obj_get_kind (stream) == LK_PDF_STREAM, NULL);

  data = g_bytes_ref (lk_pdf_obj_stream_get_data (stream));
  filter = lk_pdf_obj_dict_get (stream, "Filter");
  parms = lk_pdf_obj_dict_get (stream, "DecodeParms");
  if (filter == NULL)
    return g_steal_pointer (&data);

  n_filters = lk_pdf_obj_get_kind (filter) == LK_PDF_ARRAY ? lk_pdf_obj_array_length (filter) : 1;
  for (guint i = 0; i < n_filters; i++)
    {
      LkPdfObj *f = lk_pdf_obj_get_kind (filter) == LK_PDF_ARRAY ? lk_pdf_obj_array_get (filter, i) : filter;
      LkPdfObj *p = parms != NULL && lk_pdf_obj_get_kind (parms) == LK_PDF_ARRAY
                    ? lk_pdf_obj_array_get (parms, i) : parms;
      g_autoptr(GBytes) inflated = NULL;

      if (!lk_pdf_obj_is_name (f, "FlateDecode") && !lk_pdf_obj_is_name (f, "Fl"))
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_UNSUPPORTED,
                       _("The PDF uses the %s filter where Loket needs to read it."),
                       lk_pdf_obj_get_name (f) ? lk_pdf_obj_get_name (f) : "?");
          return NULL;
        }
      inflated = inflate_bytes (data, error);
      if (inflated == NULL)
        return NULL;
      g_bytes_unref (data);
      data = unpredict (inflated, p, error);
      if (data == NULL)
        return NULL;
    }
  return g_steal_pointer (&data);
}
