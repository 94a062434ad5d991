/* lk-pdf-parser.c — lexer and parser for PDF objects, bounded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#define G_LOG_DOMAIN "loket-pdf"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-pdf-object-private.h"

#define MAX_CONTAINER_ITEMS 1000000
#define MAX_NUMBER_TOKEN 64

static gboolean
is_space (guchar c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static gboolean
is_delim (guchar c)
{
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']'
         || c == '{' || c == '}' || c == '/' || c == '%';
}

static gboolean
is_regular (guchar c)
{
  return !is_space (c) && !is_delim (c);
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
syntax_error (GError    **error,
              LkPdfParser *parser,
              const char *what)
{
  g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
               _("The PDF is damaged: %s near byte %zu."),
               what, parser->pos);
  return FALSE;
}

void
lk_pdf_parser_init (LkPdfParser *parser,
                    GBytes      *bytes,
                    gboolean     in_file)
{
  memset (parser, 0, sizeof *parser);
  parser->bytes = bytes;
  parser->data = g_bytes_get_data (bytes, &parser->len);
  parser->in_file = in_file;
}

void
lk_pdf_parser_skip_space (LkPdfParser *parser)
{
  while (parser->pos < parser->len)
    {
      guchar c = parser->data[parser->pos];

      if (is_space (c))
        parser->pos++;
      else if (c == '%')
        {
          while (parser->pos < parser->len
                 && parser->data[parser->pos] != '\n' && parser->data[parser->pos] != '\r')
            parser->pos++;
        }
      else
        break;
    }
}

gboolean
lk_pdf_parser_read_uint (LkPdfParser *parser,
                         guint64     *value)
{
  guint64 v = 0;
  gsize start = parser->pos;

  while (parser->pos < parser->len && g_ascii_isdigit (parser->data[parser->pos]))
    {
      if (v > (G_MAXUINT64 - 9) / 10)
        {
          parser->pos = start;
          return FALSE;
        }
      v = v * 10 + (guint64) (parser->data[parser->pos] - '0');
      parser->pos++;
    }
  if (parser->pos == start)
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
lk_pdf_parser_keyword (LkPdfParser *parser,
                       const char  *keyword)
{
  gsize n = strlen (keyword);

  if (parser->len - parser->pos < n || memcmp (parser->data + parser->pos, keyword, n) != 0)
    return FALSE;
  if (parser->pos + n < parser->len && is_regular (parser->data[parser->pos + n]))
    return FALSE;
  parser->pos += n;
  return TRUE;
}

static LkPdfObj *parse_object (LkPdfParser *parser, guint depth, GError **error);

static LkPdfObj *
parse_literal_string (LkPdfParser *parser,
                      GError     **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  guint nesting = 1;

  parser->pos++; /* ( */
  while (parser->pos < parser->len)
    {
      guchar c = parser->data[parser->pos++];

      if (buf->len >= LK_PDF_MAX_STRING)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF has a string longer than %u bytes."), LK_PDF_MAX_STRING);
          return NULL;
        }
      if (c == '(')
        nesting++;
      else if (c == ')')
        {
          if (--nesting == 0)
            return lk_pdf_obj_new_string (buf->data, buf->len);
        }
      else if (c == '\\')
        {
          if (parser->pos >= parser->len)
            break;
          c = parser->data[parser->pos++];
          switch (c)
            {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '\r':
              if (parser->pos < parser->len && parser->data[parser->pos] == '\n')
                parser->pos++;
              continue;
            case '\n':
              continue;
            default:
              if (c >= '0' && c <= '7')
                {
                  guint v = c - '0';

                  for (int k = 0; k < 2 && parser->pos < parser->len
                       && parser->data[parser->pos] >= '0' && parser->data[parser->pos] <= '7'; k++)
                    v = v * 8 + (guint) (parser->data[parser->pos++] - '0');
                  c = (guchar) (v & 0xff);
                }
              break;
            }
        }
      g_byte_array_append (buf, &c, 1);
    }
  syntax_error (error, parser, _("unterminated string"));
  return NULL;
}

static LkPdfObj *
parse_hex_string (LkPdfParser *parser,
                  GError     **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  int high = -1;

  parser->pos++; /* < */
  while (parser->pos < parser->len)
    {
      guchar c = parser->data[parser->pos++];
      int v;

      if (c == '>')
        {
          if (high >= 0)
            {
              guint8 b = (guint8) (high << 4);
              g_byte_array_append (buf, &b, 1);
            }
          return lk_pdf_obj_new_hex_string (buf->data, buf->len);
        }
      if (is_space (c))
        continue;
      v = hex_value (c);
      if (v < 0)
        {
          syntax_error (error, parser, _("bad hexadecimal string"));
          return NULL;
        }
      if (high < 0)
        high = v;
      else
        {
          guint8 b = (guint8) ((high << 4) | v);

          if (buf->len >= LK_PDF_MAX_STRING)
            {
              g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                           _("The PDF has a string longer than %u bytes."), LK_PDF_MAX_STRING);
              return NULL;
            }
          g_byte_array_append (buf, &b, 1);
          high = -1;
        }
    }
  syntax_error (error, parser, _("unterminated string"));
  return NULL;
}

static LkPdfObj *
parse_name (LkPdfParser *parser,
            GError     **error)
{
  g_autoptr(GString) name = g_string_new (NULL);

  parser->pos++; /* / */
  while (parser->pos < parser->len && is_regular (parser->data[parser->pos]))
    {
      guchar c = parser->data[parser->pos++];

      if (c == '#' && parser->pos + 1 < parser->len
          && hex_value (parser->data[parser->pos]) >= 0
          && hex_value (parser->data[parser->pos + 1]) >= 0)
        {
          c = (guchar) (hex_value (parser->data[parser->pos]) * 16
                        + hex_value (parser->data[parser->pos + 1]));
          parser->pos += 2;
          if (c == 0)
            return syntax_error (error, parser, _("bad name")), NULL;
        }
      if (name->len >= 65536)
        return syntax_error (error, parser, _("name too long")), NULL;
      g_string_append_c (name, (char) c);
    }
  return lk_pdf_obj_new_name (name->str);
}

static LkPdfObj *
parse_number (LkPdfParser *parser,
              GError     **error)
{
  char token[MAX_NUMBER_TOKEN + 1];
  gsize n = 0;
  gboolean real = FALSE, sign = FALSE;
  gint64 value;
  char *end = NULL;

  while (parser->pos < parser->len)
    {
      guchar c = parser->data[parser->pos];

      if (c == '.')
        real = TRUE;
      else if (c == '+' || c == '-')
        {
          if (n > 0)
            break;
          sign = TRUE;
        }
      else if (!g_ascii_isdigit (c))
        break;
      if (n >= MAX_NUMBER_TOKEN)
        return syntax_error (error, parser, _("number too long")), NULL;
      token[n++] = (char) c;
      parser->pos++;
    }
  token[n] = 0;

  if (real)
    {
      double d = g_ascii_strtod (token, &end);
      if (!isfinite (d))
        d = 0;
      return lk_pdf_obj_new_real (d);
    }

  errno = 0;
  value = g_ascii_strtoll (token, &end, 10);
  if (end == token)
    {
      /* a lone sign: treat as zero, as viewers do */
      return lk_pdf_obj_new_int (0);
    }
  if (errno == ERANGE)
    return lk_pdf_obj_new_real (g_ascii_strtod (token, NULL));

  /* "N G R": an indirect reference */
  if (!sign && value >= 0 && value <= G_MAXUINT)
    {
      gsize save = parser->pos;
      guint64 gen;

      lk_pdf_parser_skip_space (parser);
      if (lk_pdf_parser_read_uint (parser, &gen) && gen <= 65535)
        {
          lk_pdf_parser_skip_space (parser);
          if (lk_pdf_parser_keyword (parser, "R"))
            return lk_pdf_obj_new_ref ((guint) value, (guint) gen);
        }
      parser->pos = save;
    }
  return lk_pdf_obj_new_int (value);
}

static LkPdfObj *
parse_object (LkPdfParser *parser,
              guint        depth,
              GError     **error)
{
  gsize start;
  LkPdfObj *obj = NULL;
  guchar c;

  lk_pdf_parser_skip_space (parser);
  if (parser->pos >= parser->len)
    return syntax_error (error, parser, _("unexpected end of data")), NULL;

  start = parser->pos;
  c = parser->data[parser->pos];

  if (c == '[' || (c == '<' && parser->pos + 1 < parser->len && parser->data[parser->pos + 1] == '<'))
    {
      gboolean is_dict = c == '<';

      if (depth >= LK_PDF_MAX_DEPTH)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF nests objects deeper than %u levels."), LK_PDF_MAX_DEPTH);
          return NULL;
        }
      parser->pos += is_dict ? 2 : 1;
      obj = is_dict ? lk_pdf_obj_new_dict () : lk_pdf_obj_new_array ();

      for (guint count = 0;; count++)
        {
          lk_pdf_parser_skip_space (parser);
          if (parser->pos >= parser->len)
            {
              lk_pdf_obj_unref (obj);
              return syntax_error (error, parser, _("unexpected end of data")), NULL;
            }
          if (count >= MAX_CONTAINER_ITEMS)
            {
              lk_pdf_obj_unref (obj);
              g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                           _("The PDF has an array or dictionary with too many entries."));
              return NULL;
            }
          if (!is_dict && parser->data[parser->pos] == ']')
            {
              parser->pos++;
              break;
            }
          if (is_dict && parser->data[parser->pos] == '>')
            {
              if (parser->pos + 1 < parser->len && parser->data[parser->pos + 1] == '>')
                {
                  parser->pos += 2;
                  break;
                }
              lk_pdf_obj_unref (obj);
              return syntax_error (error, parser, _("bad dictionary end")), NULL;
            }

          if (is_dict)
            {
              g_autoptr(LkPdfObj) key = NULL;
              LkPdfObj *value;

              if (parser->data[parser->pos] != '/')
                {
                  lk_pdf_obj_unref (obj);
                  return syntax_error (error, parser, _("dictionary key is not a name")), NULL;
                }
              key = parse_name (parser, error);
              if (key == NULL)
                {
                  lk_pdf_obj_unref (obj);
                  return NULL;
                }
              lk_pdf_parser_skip_space (parser);
              if (parser->pos < parser->len && parser->data[parser->pos] == '>')
                value = lk_pdf_obj_new_null (); /* missing value: tolerated */
              else
                value = parse_object (parser, depth + 1, error);
              if (value == NULL)
                {
                  lk_pdf_obj_unref (obj);
                  return NULL;
                }
              /* a null value is the same as an absent key */
              if (value->type == LK_PDF_NULL)
                lk_pdf_obj_unref (value);
              else
                lk_pdf_obj_dict_take (obj, key->v.name, value);
            }
          else
            {
              LkPdfObj *item = parse_object (parser, depth + 1, error);

              if (item == NULL)
                {
                  lk_pdf_obj_unref (obj);
                  return NULL;
                }
              lk_pdf_obj_array_take (obj, item);
            }
        }
    }
  else if (c == '<')
    obj = parse_hex_string (parser, error);
  else if (c == '(')
    obj = parse_literal_string (parser, error);
  else if (c == '/')
    obj = parse_name (parser, error);
  else if (g_ascii_isdigit (c) || c == '+' || c == '-' || c == '.')
    obj = parse_number (parser, error);
  else if (lk_pdf_parser_keyword (parser, "true"))
    obj = lk_pdf_obj_new_bool (TRUE);
  else if (lk_pdf_parser_keyword (parser, "false"))
    obj = lk_pdf_obj_new_bool (FALSE);
  else if (lk_pdf_parser_keyword (parser, "null"))
    obj = lk_pdf_obj_new_null ();
  else
    return syntax_error (error, parser, _("unexpected token")), NULL;

  if (obj != NULL && parser->in_file)
    {
      obj->offset = (gint64) start;
      obj->end = (gint64) parser->pos;
    }
  return obj;
}

LkPdfObj *
lk_pdf_parser_parse_object (LkPdfParser *parser,
                            GError     **error)
{
  return parse_object (parser, 0, error);
}

static const guint8 *
find_bytes (const guint8 *hay,
            gsize         hay_len,
            const char   *needle)
{
  gsize n = strlen (needle);
  const guint8 *p = hay, *end = hay + hay_len;

  while (p != NULL && (gsize) (end - p) >= n)
    {
      if (memcmp (p, needle, n) == 0)
        return p;
      p = memchr (p + 1, needle[0], (gsize) (end - p) - 1);
    }
  return NULL;
}

LkPdfObj *
lk_pdf_parser_parse_indirect (LkPdfParser *parser,
                              guint       *num,
                              guint       *gen,
                              GError     **error)
{
  guint64 n, g;
  gsize start;
  g_autoptr(LkPdfObj) obj = NULL;
  LkPdfObj *length_obj;
  gint64 length = -1;
  gsize data_start, data_len;
  gboolean ok = FALSE;

  lk_pdf_parser_skip_space (parser);
  start = parser->pos;
  if (!lk_pdf_parser_read_uint (parser, &n) || n >= LK_PDF_MAX_OBJECTS)
    return syntax_error (error, parser, _("object header expected")), NULL;
  lk_pdf_parser_skip_space (parser);
  if (!lk_pdf_parser_read_uint (parser, &g) || g > 65535)
    return syntax_error (error, parser, _("object header expected")), NULL;
  lk_pdf_parser_skip_space (parser);
  if (!lk_pdf_parser_keyword (parser, "obj"))
    return syntax_error (error, parser, _("object header expected")), NULL;

  obj = parse_object (parser, 0, error);
  if (obj == NULL)
    return NULL;
  if (num)
    *num = (guint) n;
  if (gen)
    *gen = (guint) g;

  lk_pdf_parser_skip_space (parser);
  if (obj->type != LK_PDF_DICT || !lk_pdf_parser_keyword (parser, "stream"))
    {
      lk_pdf_parser_skip_space (parser);
      lk_pdf_parser_keyword (parser, "endobj");
      if (parser->in_file)
        obj->offset = (gint64) start;
      return g_steal_pointer (&obj);
    }

  /* A stream: the data starts after the EOL that follows "stream". */
  if (parser->pos < parser->len && parser->data[parser->pos] == '\r')
    parser->pos++;
  if (parser->pos < parser->len && parser->data[parser->pos] == '\n')
    parser->pos++;
  data_start = parser->pos;

  length_obj = lk_pdf_obj_dict_get (obj, "Length");
  if (length_obj != NULL && length_obj->type == LK_PDF_INT)
    length = length_obj->v.i;
  else if (length_obj != NULL && length_obj->type == LK_PDF_REF && parser->resolve_length != NULL)
    {
      if (!parser->resolve_length (parser->resolve_data, length_obj, &length))
        length = -1;
    }

  if (length > (gint64) LK_PDF_MAX_STREAM)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                   _("The PDF declares a stream of %" PRId64 " bytes, more than the %u allowed."),
                   length, LK_PDF_MAX_STREAM);
      return NULL;
    }

  if (length >= 0 && (guint64) length <= parser->len - data_start)
    {
      LkPdfParser probe = *parser;

      probe.pos = data_start + (gsize) length;
      lk_pdf_parser_skip_space (&probe);
      if (lk_pdf_parser_keyword (&probe, "endstream"))
        {
          data_len = (gsize) length;
          parser->pos = probe.pos;
          ok = TRUE;
        }
    }

  if (!ok)
    {
      /* Wrong or missing /Length: the data ends before "endstream". */
      const guint8 *end = find_bytes (parser->data + data_start,
                                      MIN (parser->len - data_start, (gsize) LK_PDF_MAX_STREAM + 16),
                                      "endstream");
      if (end == NULL)
        return syntax_error (error, parser, _("stream without endstream")), NULL;
      data_len = (gsize) (end - (parser->data + data_start));
      parser->pos = data_start + data_len + strlen ("endstream");
      if (data_len > 0 && parser->data[data_start + data_len - 1] == '\n')
        data_len--;
      if (data_len > 0 && parser->data[data_start + data_len - 1] == '\r')
        data_len--;
      if (data_len > LK_PDF_MAX_STREAM)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF has a stream longer than %u bytes."), LK_PDF_MAX_STREAM);
          return NULL;
        }
      g_debug ("stream of object %u: /Length wrong, found endstream", (guint) n);
    }

  {
    g_autoptr(GBytes) data = g_bytes_new_from_bytes (parser->bytes, data_start, data_len);
    LkPdfObj *stream = lk_pdf_obj_new_stream (g_steal_pointer (&obj), data);

    lk_pdf_parser_skip_space (parser);
    lk_pdf_parser_keyword (parser, "endobj");
    if (parser->in_file)
      {
        stream->offset = (gint64) start;
        stream->end = (gint64) parser->pos;
      }
    return stream;
  }
}
