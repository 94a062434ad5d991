/* lk-pdf-object.c — the PDF object model and its serializer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pdf"

#include <string.h>

#include "lk-pdf-object-private.h"

G_DEFINE_QUARK (lk-pdf-error-quark, lk_pdf_error)

G_DEFINE_BOXED_TYPE (LkPdfObj, lk_pdf_obj, lk_pdf_obj_ref, lk_pdf_obj_unref)

static LkPdfObj *
obj_new (LkPdfType type)
{
  LkPdfObj *obj = g_slice_new0 (LkPdfObj);

  obj->ref_count = 1;
  obj->type = type;
  obj->offset = -1;
  obj->end = -1;
  return obj;
}

LkPdfObj *
lk_pdf_obj_ref (LkPdfObj *obj)
{
  g_return_val_if_fail (obj != NULL, NULL);
  g_atomic_int_inc (&obj->ref_count);
  return obj;
}

void
lk_pdf_obj_unref (LkPdfObj *obj)
{
  g_return_if_fail (obj != NULL);
  if (!g_atomic_int_dec_and_test (&obj->ref_count))
    return;

  switch (obj->type)
    {
    case LK_PDF_STRING:
      g_free (obj->v.s.data);
      break;
    case LK_PDF_NAME:
    case LK_PDF_RAW:
      g_free (obj->v.name);
      break;
    case LK_PDF_ARRAY:
      g_ptr_array_unref (obj->v.array);
      break;
    case LK_PDF_DICT:
      g_ptr_array_unref (obj->v.dict.keys);
      g_ptr_array_unref (obj->v.dict.values);
      break;
    case LK_PDF_STREAM:
      lk_pdf_obj_unref (obj->v.stream.dict);
      g_bytes_unref (obj->v.stream.data);
      break;
    case LK_PDF_NULL:
    case LK_PDF_BOOL:
    case LK_PDF_INT:
    case LK_PDF_REAL:
    case LK_PDF_REF:
    default:
      break;
    }
  g_slice_free (LkPdfObj, obj);
}

LkPdfObj *
lk_pdf_obj_copy (LkPdfObj *obj)
{
  LkPdfObj *copy;

  g_return_val_if_fail (obj != NULL, NULL);

  switch (obj->type)
    {
    case LK_PDF_NULL:
      return lk_pdf_obj_new_null ();
    case LK_PDF_BOOL:
      return lk_pdf_obj_new_bool (obj->v.b);
    case LK_PDF_INT:
      return lk_pdf_obj_new_int (obj->v.i);
    case LK_PDF_REAL:
      return lk_pdf_obj_new_real (obj->v.r);
    case LK_PDF_STRING:
      copy = lk_pdf_obj_new_string (obj->v.s.data, obj->v.s.len);
      copy->v.s.hex = obj->v.s.hex;
      return copy;
    case LK_PDF_NAME:
      return lk_pdf_obj_new_name (obj->v.name);
    case LK_PDF_RAW:
      return lk_pdf_obj_new_raw (obj->v.name);
    case LK_PDF_REF:
      return lk_pdf_obj_new_ref (obj->v.ref.num, obj->v.ref.gen);
    case LK_PDF_ARRAY:
      copy = lk_pdf_obj_new_array ();
      for (guint i = 0; i < obj->v.array->len; i++)
        lk_pdf_obj_array_take (copy, lk_pdf_obj_copy (g_ptr_array_index (obj->v.array, i)));
      return copy;
    case LK_PDF_DICT:
      copy = lk_pdf_obj_new_dict ();
      for (guint i = 0; i < obj->v.dict.keys->len; i++)
        lk_pdf_obj_dict_take (copy, g_ptr_array_index (obj->v.dict.keys, i),
                              lk_pdf_obj_copy (g_ptr_array_index (obj->v.dict.values, i)));
      return copy;
    case LK_PDF_STREAM:
      return lk_pdf_obj_new_stream (lk_pdf_obj_copy (obj->v.stream.dict),
                                    obj->v.stream.data);
    default:
      g_assert_not_reached ();
    }
}

LkPdfObj *
lk_pdf_obj_new_null (void)
{
  return obj_new (LK_PDF_NULL);
}

LkPdfObj *
lk_pdf_obj_new_bool (gboolean value)
{
  LkPdfObj *obj = obj_new (LK_PDF_BOOL);

  obj->v.b = !!value;
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_int (gint64 value)
{
  LkPdfObj *obj = obj_new (LK_PDF_INT);

  obj->v.i = value;
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_real (double value)
{
  LkPdfObj *obj = obj_new (LK_PDF_REAL);

  obj->v.r = value;
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_string (const guint8 *data,
                       gsize         len)
{
  LkPdfObj *obj = obj_new (LK_PDF_STRING);

  obj->v.s.data = g_malloc (len + 1);
  if (len > 0)
    memcpy (obj->v.s.data, data, len);
  obj->v.s.data[len] = 0;
  obj->v.s.len = len;
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_hex_string (const guint8 *data,
                           gsize         len)
{
  LkPdfObj *obj = lk_pdf_obj_new_string (data, len);

  obj->v.s.hex = TRUE;
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_name (const char *name)
{
  LkPdfObj *obj;

  g_return_val_if_fail (name != NULL, NULL);
  obj = obj_new (LK_PDF_NAME);
  obj->v.name = g_strdup (name);
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_raw (const char *text)
{
  LkPdfObj *obj;

  g_return_val_if_fail (text != NULL, NULL);
  obj = obj_new (LK_PDF_RAW);
  obj->v.name = g_strdup (text);
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_array (void)
{
  LkPdfObj *obj = obj_new (LK_PDF_ARRAY);

  obj->v.array = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_pdf_obj_unref);
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_dict (void)
{
  LkPdfObj *obj = obj_new (LK_PDF_DICT);

  obj->v.dict.keys = g_ptr_array_new_with_free_func (g_free);
  obj->v.dict.values = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_pdf_obj_unref);
  return obj;
}

LkPdfObj *
lk_pdf_obj_new_ref (guint num,
                    guint gen)
{
  LkPdfObj *obj = obj_new (LK_PDF_REF);

  obj->v.ref.num = num;
  obj->v.ref.gen = gen;
  return obj;
}

/* Takes ownership of @dict; @data is referenced. */
LkPdfObj *
lk_pdf_obj_new_stream (LkPdfObj *dict,
                       GBytes   *data)
{
  LkPdfObj *obj;

  g_return_val_if_fail (dict != NULL && dict->type == LK_PDF_DICT, NULL);
  g_return_val_if_fail (data != NULL, NULL);
  obj = obj_new (LK_PDF_STREAM);
  obj->v.stream.dict = dict;
  obj->v.stream.data = g_bytes_ref (data);
  return obj;
}

LkPdfType
lk_pdf_obj_get_kind (LkPdfObj *obj)
{
  /* NULL (an absent key) reads as null, which is what PDF means by it */
  return obj != NULL ? obj->type : LK_PDF_NULL;
}

gboolean
lk_pdf_obj_get_bool (LkPdfObj *obj)
{
  return obj != NULL && obj->type == LK_PDF_BOOL && obj->v.b;
}

gint64
lk_pdf_obj_get_int (LkPdfObj *obj)
{
  if (obj == NULL)
    return 0;
  if (obj->type == LK_PDF_INT)
    return obj->v.i;
  if (obj->type == LK_PDF_REAL && obj->v.r > -9e18 && obj->v.r < 9e18)
    return (gint64) obj->v.r;
  return 0;
}

gboolean
lk_pdf_obj_is_number (LkPdfObj *obj)
{
  return obj != NULL && (obj->type == LK_PDF_INT || obj->type == LK_PDF_REAL);
}

double
lk_pdf_obj_get_number (LkPdfObj *obj)
{
  if (obj == NULL)
    return 0;
  if (obj->type == LK_PDF_INT)
    return (double) obj->v.i;
  if (obj->type == LK_PDF_REAL)
    return obj->v.r;
  return 0;
}

const guint8 *
lk_pdf_obj_get_string (LkPdfObj *obj,
                       gsize    *len)
{
  if (obj == NULL || obj->type != LK_PDF_STRING)
    {
      if (len)
        *len = 0;
      return NULL;
    }
  if (len)
    *len = obj->v.s.len;
  return obj->v.s.data;
}

const char *
lk_pdf_obj_get_name (LkPdfObj *obj)
{
  if (obj == NULL || obj->type != LK_PDF_NAME)
    return NULL;
  return obj->v.name;
}

gboolean
lk_pdf_obj_is_name (LkPdfObj   *obj,
                    const char *name)
{
  return obj != NULL && obj->type == LK_PDF_NAME && g_strcmp0 (obj->v.name, name) == 0;
}

guint
lk_pdf_obj_get_ref_num (LkPdfObj *obj)
{
  return (obj != NULL && obj->type == LK_PDF_REF) ? obj->v.ref.num : 0;
}

guint
lk_pdf_obj_get_ref_gen (LkPdfObj *obj)
{
  return (obj != NULL && obj->type == LK_PDF_REF) ? obj->v.ref.gen : 0;
}

guint
lk_pdf_obj_array_length (LkPdfObj *array)
{
  if (array == NULL || array->type != LK_PDF_ARRAY)
    return 0;
  return array->v.array->len;
}

LkPdfObj *
lk_pdf_obj_array_get (LkPdfObj *array,
                      guint     index)
{
  if (array == NULL || array->type != LK_PDF_ARRAY || index >= array->v.array->len)
    return NULL;
  return g_ptr_array_index (array->v.array, index);
}

void
lk_pdf_obj_array_take (LkPdfObj *array,
                       LkPdfObj *item)
{
  g_return_if_fail (array != NULL && array->type == LK_PDF_ARRAY);
  g_return_if_fail (item != NULL);
  g_ptr_array_add (array->v.array, item);
}

guint
lk_pdf_obj_dict_size (LkPdfObj *dict)
{
  if (dict != NULL && dict->type == LK_PDF_STREAM)
    dict = dict->v.stream.dict;
  if (dict == NULL || dict->type != LK_PDF_DICT)
    return 0;
  return dict->v.dict.keys->len;
}

const char *
lk_pdf_obj_dict_key_at (LkPdfObj *dict,
                        guint     index)
{
  if (dict != NULL && dict->type == LK_PDF_STREAM)
    dict = dict->v.stream.dict;
  if (dict == NULL || dict->type != LK_PDF_DICT || index >= dict->v.dict.keys->len)
    return NULL;
  return g_ptr_array_index (dict->v.dict.keys, index);
}

LkPdfObj *
lk_pdf_obj_dict_value_at (LkPdfObj *dict,
                          guint     index)
{
  if (dict != NULL && dict->type == LK_PDF_STREAM)
    dict = dict->v.stream.dict;
  if (dict == NULL || dict->type != LK_PDF_DICT || index >= dict->v.dict.keys->len)
    return NULL;
  return g_ptr_array_index (dict->v.dict.values, index);
}

static gint
dict_find (LkPdfObj   *dict,
           const char *key)
{
  for (guint i = 0; i < dict->v.dict.keys->len; i++)
    if (strcmp (g_ptr_array_index (dict->v.dict.keys, i), key) == 0)
      return (gint) i;
  return -1;
}

/* Works on a dictionary or on a stream's dictionary. Transfer none. */
LkPdfObj *
lk_pdf_obj_dict_get (LkPdfObj   *dict,
                     const char *key)
{
  gint i;

  g_return_val_if_fail (key != NULL, NULL);
  if (dict != NULL && dict->type == LK_PDF_STREAM)
    dict = dict->v.stream.dict;
  if (dict == NULL || dict->type != LK_PDF_DICT)
    return NULL;
  i = dict_find (dict, key);
  return i < 0 ? NULL : g_ptr_array_index (dict->v.dict.values, i);
}

void
lk_pdf_obj_dict_take (LkPdfObj   *dict,
                      const char *key,
                      LkPdfObj   *value)
{
  gint i;

  g_return_if_fail (key != NULL && value != NULL);
  if (dict != NULL && dict->type == LK_PDF_STREAM)
    dict = dict->v.stream.dict;
  g_return_if_fail (dict != NULL && dict->type == LK_PDF_DICT);

  i = dict_find (dict, key);
  if (i >= 0)
    {
      lk_pdf_obj_unref (g_ptr_array_index (dict->v.dict.values, i));
      g_ptr_array_index (dict->v.dict.values, i) = value;
      return;
    }
  g_ptr_array_add (dict->v.dict.keys, g_strdup (key));
  g_ptr_array_add (dict->v.dict.values, value);
}

gboolean
lk_pdf_obj_dict_remove (LkPdfObj   *dict,
                        const char *key)
{
  gint i;

  if (dict != NULL && dict->type == LK_PDF_STREAM)
    dict = dict->v.stream.dict;
  g_return_val_if_fail (dict != NULL && dict->type == LK_PDF_DICT, FALSE);
  i = dict_find (dict, key);
  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (dict->v.dict.keys, i);
  g_ptr_array_remove_index (dict->v.dict.values, i);
  return TRUE;
}

LkPdfObj *
lk_pdf_obj_stream_get_dict (LkPdfObj *stream)
{
  if (stream == NULL || stream->type != LK_PDF_STREAM)
    return NULL;
  return stream->v.stream.dict;
}

GBytes *
lk_pdf_obj_stream_get_data (LkPdfObj *stream)
{
  if (stream == NULL || stream->type != LK_PDF_STREAM)
    return NULL;
  return stream->v.stream.data;
}

gint64
lk_pdf_obj_get_file_offset (LkPdfObj *obj)
{
  return obj ? obj->offset : -1;
}

gint64
lk_pdf_obj_get_file_end (LkPdfObj *obj)
{
  return obj ? obj->end : -1;
}

/* Serializer */

static gboolean
is_regular_name_char (guchar c)
{
  if (c <= 0x20 || c >= 0x7f || c == '#')
    return FALSE;
  return strchr ("()<>[]{}/%", c) == NULL;
}

static void
serialize_name (const char *name,
                GString    *out)
{
  g_string_append_c (out, '/');
  for (const guchar *p = (const guchar *) name; *p; p++)
    {
      if (is_regular_name_char (*p))
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "#%02X", *p);
    }
}

static void
serialize_string (LkPdfObj *obj,
                  GString  *out)
{
  if (obj->v.s.hex)
    {
      static const char hex[] = "0123456789ABCDEF";

      g_string_append_c (out, '<');
      for (gsize i = 0; i < obj->v.s.len; i++)
        {
          g_string_append_c (out, hex[obj->v.s.data[i] >> 4]);
          g_string_append_c (out, hex[obj->v.s.data[i] & 0xf]);
        }
      g_string_append_c (out, '>');
      return;
    }

  g_string_append_c (out, '(');
  for (gsize i = 0; i < obj->v.s.len; i++)
    {
      guchar c = obj->v.s.data[i];

      if (c == '(' || c == ')' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\%03o", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, ')');
}

static void
serialize_real (double value,
                GString *out)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
  gsize len;

  if (!isfinite (value))
    value = 0;
  g_ascii_formatd (buf, sizeof buf, "%.6f", value);
  len = strlen (buf);
  if (strchr (buf, '.') != NULL)
    {
      while (len > 0 && buf[len - 1] == '0')
        buf[--len] = 0;
      if (len > 0 && buf[len - 1] == '.')
        buf[--len] = 0;
    }
  if (strcmp (buf, "-0") == 0)
    strcpy (buf, "0");
  g_string_append (out, buf);
}

static void serialize_obj (LkPdfObj *obj, GString *out, guint depth);
static void serialize_top (LkPdfObj *obj, GString *out, guint depth, GArray *spans);

static void
serialize_dict (LkPdfObj *dict,
                GString  *out,
                gint64    length,
                guint     depth,
                GArray   *spans)
{
  g_string_append (out, "<<");
  for (guint i = 0; i < dict->v.dict.keys->len; i++)
    {
      const char *key = g_ptr_array_index (dict->v.dict.keys, i);

      if (length >= 0 && strcmp (key, "Length") == 0)
        continue;
      g_string_append_c (out, ' ');
      serialize_name (key, out);
      g_string_append_c (out, ' ');
      {
        LkPdfSpan span = { key, out->len, 0 };

        serialize_obj (g_ptr_array_index (dict->v.dict.values, i), out, depth + 1);
        span.end = out->len;
        if (spans != NULL)
          g_array_append_val (spans, span);
      }
    }
  if (length >= 0)
    g_string_append_printf (out, " /Length %" G_GINT64_FORMAT, length);
  g_string_append (out, " >>");
}

static void
serialize_obj (LkPdfObj *obj,
               GString  *out,
               guint     depth)
{
  serialize_top (obj, out, depth, NULL);
}

static void
serialize_top (LkPdfObj *obj,
               GString  *out,
               guint     depth,
               GArray   *spans)
{
  /* Objects built by the program only: parsed ones are bounded already. */
  g_return_if_fail (depth < 4 * LK_PDF_MAX_DEPTH);

  switch (obj->type)
    {
    case LK_PDF_NULL:
      g_string_append (out, "null");
      break;
    case LK_PDF_BOOL:
      g_string_append (out, obj->v.b ? "true" : "false");
      break;
    case LK_PDF_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, obj->v.i);
      break;
    case LK_PDF_REAL:
      serialize_real (obj->v.r, out);
      break;
    case LK_PDF_STRING:
      serialize_string (obj, out);
      break;
    case LK_PDF_NAME:
      serialize_name (obj->v.name, out);
      break;
    case LK_PDF_RAW:
      g_string_append (out, obj->v.name);
      break;
    case LK_PDF_REF:
      g_string_append_printf (out, "%u %u R", obj->v.ref.num, obj->v.ref.gen);
      break;
    case LK_PDF_ARRAY:
      g_string_append_c (out, '[');
      for (guint i = 0; i < obj->v.array->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          serialize_obj (g_ptr_array_index (obj->v.array, i), out, depth + 1);
        }
      g_string_append_c (out, ']');
      break;
    case LK_PDF_DICT:
      serialize_dict (obj, out, -1, depth, spans);
      break;
    case LK_PDF_STREAM:
      {
        gsize len;
        const guint8 *data = g_bytes_get_data (obj->v.stream.data, &len);

        serialize_dict (obj->v.stream.dict, out, (gint64) len, depth, spans);
        g_string_append (out, "\nstream\n");
        g_string_append_len (out, (const char *) data, (gssize) len);
        g_string_append (out, "\nendstream");
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
lk_pdf_obj_serialize (LkPdfObj *obj,
                      GString  *out)
{
  g_return_if_fail (obj != NULL);
  g_return_if_fail (out != NULL);
  serialize_obj (obj, out, 0);
}

void
lk_pdf_obj_serialize_with_spans (LkPdfObj *obj,
                                 GString  *out,
                                 GArray   *spans)
{
  g_return_if_fail (obj != NULL);
  serialize_top (obj, out, 0, spans);
}
