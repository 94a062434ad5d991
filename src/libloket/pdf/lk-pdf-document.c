/* lk-pdf-document.c — opening a PDF: cross-reference sections and objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pdf"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lk-pdf-document-private.h"
#include "lk-pdf-object-private.h"

typedef enum {
  ENTRY_UNSET = 0,
  ENTRY_FREE,
  ENTRY_FILE,
  ENTRY_COMPRESSED,
} EntryType;

typedef struct
{
  guint8 type;
  guint16 gen;
  guint16 section;
  guint32 index;    /* index within the object stream */
  guint64 offset;   /* file offset, or object stream number */
} XrefEntry;

typedef struct
{
  GBytes *data;
  guint n;
  guint *nums;
  gsize *offsets;
} ObjStm;

struct _LkPdfDocument
{
  GObject parent_instance;

  GMappedFile *mapped;
  GBytes *bytes;
  const guint8 *data;
  gsize len;

  GArray *xref;            /* XrefEntry, indexed by object number */
  LkPdfObj *trailer;
  LkPdfXrefStyle style;
  guint64 startxref;
  guint max_num;

  GHashTable *cache;       /* object number -> LkPdfObj */
  GHashTable *objstms;     /* stream number -> ObjStm */
  GHashTable *resolving;   /* object numbers being parsed */
  GHashTable *scan;        /* object number -> offset, from a full scan */

  GPtrArray *pages;        /* LkPdfPageInfo, built on demand */
  GArray *sections;        /* guint64 offsets of the xref sections, newest first */
  gboolean reconstructed;  /* the table was rebuilt from a scan of the file */
};

G_DEFINE_FINAL_TYPE (LkPdfDocument, lk_pdf_document, G_TYPE_OBJECT)

static void
objstm_free (gpointer data)
{
  ObjStm *stm = data;

  g_bytes_unref (stm->data);
  g_free (stm->nums);
  g_free (stm->offsets);
  g_free (stm);
}

static gboolean
damaged (GError    **error,
         const char *what)
{
  g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_XREF,
               _("The PDF is damaged (%s); open it in a PDF program and save a repaired copy."),
               what);
  return FALSE;
}

static const guint8 *
find_last (const guint8 *hay,
           gsize         hay_len,
           const char   *needle)
{
  gsize n = strlen (needle);

  if (hay_len < n)
    return NULL;
  for (gsize i = hay_len - n + 1; i-- > 0;)
    if (hay[i] == (guchar) needle[0] && memcmp (hay + i, needle, n) == 0)
      return hay + i;
  return NULL;
}

static XrefEntry *
entry_slot (LkPdfDocument *self,
            guint64        num,
            GError       **error)
{
  if (num >= LK_PDF_MAX_OBJECTS)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                   _("The PDF has more than %u objects."), LK_PDF_MAX_OBJECTS);
      return NULL;
    }
  if (num >= self->xref->len)
    g_array_set_size (self->xref, (guint) num + 1);
  return &g_array_index (self->xref, XrefEntry, num);
}

/* Newer sections win; a hybrid file's /XRefStm may fill entries its own
 * table left free. */
static gboolean
set_entry (LkPdfDocument *self,
           guint64        num,
           guint16        section,
           gboolean       override_free,
           const XrefEntry *entry,
           GError       **error)
{
  XrefEntry *slot = entry_slot (self, num, error);

  if (slot == NULL)
    return FALSE;
  if (slot->type == ENTRY_UNSET
      || (override_free && slot->type == ENTRY_FREE && slot->section == section))
    {
      *slot = *entry;
      slot->section = section;
    }
  return TRUE;
}

static gboolean
length_resolver (gpointer  user_data,
                 LkPdfObj *ref,
                 gint64   *length)
{
  LkPdfDocument *self = user_data;
  g_autoptr(LkPdfObj) obj = lk_pdf_document_get_object (self, lk_pdf_obj_get_ref_num (ref), NULL);

  if (obj == NULL || lk_pdf_obj_get_kind (obj) != LK_PDF_INT)
    return FALSE;
  *length = lk_pdf_obj_get_int (obj);
  return TRUE;
}

static void
init_parser (LkPdfDocument *self,
             LkPdfParser   *parser,
             gsize          pos)
{
  lk_pdf_parser_init (parser, self->bytes, TRUE);
  parser->pos = MIN (pos, self->len);
  parser->resolve_length = length_resolver;
  parser->resolve_data = self;
}

static gboolean
read_xref_stream (LkPdfDocument *self,
                  LkPdfObj      *stream,
                  guint16        section,
                  gboolean       override_free,
                  GError       **error)
{
  LkPdfObj *w = lk_pdf_obj_dict_get (stream, "W");
  LkPdfObj *index = lk_pdf_obj_dict_get (stream, "Index");
  gint64 size = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (stream, "Size"));
  g_autoptr(GBytes) decoded = NULL;
  const guint8 *p;
  gsize len, pos = 0;
  int widths[3];
  gsize entry_len = 0;
  guint n_ranges;

  if (lk_pdf_obj_array_length (w) != 3)
    return damaged (error, _("bad cross-reference stream"));
  for (int i = 0; i < 3; i++)
    {
      gint64 v = lk_pdf_obj_get_int (lk_pdf_obj_array_get (w, (guint) i));

      if (v < 0 || v > 8)
        return damaged (error, _("bad cross-reference stream"));
      widths[i] = (int) v;
      entry_len += (gsize) v;
    }
  if (entry_len == 0)
    return damaged (error, _("bad cross-reference stream"));

  decoded = lk_pdf_decode_stream (stream, error);
  if (decoded == NULL)
    return FALSE;
  p = g_bytes_get_data (decoded, &len);

  n_ranges = index != NULL ? lk_pdf_obj_array_length (index) / 2 : 1;
  for (guint r = 0; r < n_ranges; r++)
    {
      gint64 first = index ? lk_pdf_obj_get_int (lk_pdf_obj_array_get (index, 2 * r)) : 0;
      gint64 count = index ? lk_pdf_obj_get_int (lk_pdf_obj_array_get (index, 2 * r + 1)) : size;

      if (first < 0 || count < 0 || first + count > LK_PDF_MAX_OBJECTS)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF has more than %u objects."), LK_PDF_MAX_OBJECTS);
          return FALSE;
        }
      for (gint64 i = 0; i < count; i++)
        {
          guint64 f[3] = { 1, 0, 0 };
          XrefEntry e = { 0 };

          if (len - pos < entry_len)
            return TRUE; /* short stream: keep what we have */
          for (int k = 0; k < 3; k++)
            {
              if (widths[k] == 0)
                continue;
              f[k] = 0;
              for (int b = 0; b < widths[k]; b++)
                f[k] = (f[k] << 8) | p[pos++];
            }
          switch (f[0])
            {
            case 0:
              e.type = ENTRY_FREE;
              break;
            case 1:
              e.type = ENTRY_FILE;
              e.offset = f[1];
              e.gen = (guint16) MIN (f[2], 65535);
              break;
            case 2:
              e.type = ENTRY_COMPRESSED;
              e.offset = f[1];
              e.index = (guint32) MIN (f[2], G_MAXUINT32);
              break;
            default:
              continue; /* unknown types are ignored, as the spec says */
            }
          if (!set_entry (self, (guint64) (first + i), section, override_free, &e, error))
            return FALSE;
        }
    }
  return TRUE;
}

static LkPdfObj *
parse_xref_stream_at (LkPdfDocument *self,
                      guint64        offset,
                      GError       **error)
{
  LkPdfParser parser;
  g_autoptr(LkPdfObj) obj = NULL;

  if (offset >= self->len)
    return damaged (error, _("cross-reference offset out of range")), NULL;
  init_parser (self, &parser, (gsize) offset);
  obj = lk_pdf_parser_parse_indirect (&parser, NULL, NULL, error);
  if (obj == NULL)
    return NULL;
  if (lk_pdf_obj_get_kind (obj) != LK_PDF_STREAM
      || !lk_pdf_obj_is_name (lk_pdf_obj_dict_get (obj, "Type"), "XRef"))
    return damaged (error, _("no cross-reference section at the given offset")), NULL;
  return g_steal_pointer (&obj);
}

static gboolean
read_xref_table (LkPdfDocument *self,
                 LkPdfParser   *parser,
                 guint16        section,
                 LkPdfObj     **trailer,
                 GError       **error)
{
  for (;;)
    {
      guint64 first, count;

      lk_pdf_parser_skip_space (parser);
      if (lk_pdf_parser_keyword (parser, "trailer"))
        {
          *trailer = lk_pdf_parser_parse_object (parser, error);
          if (*trailer == NULL)
            return FALSE;
          if (lk_pdf_obj_get_kind (*trailer) != LK_PDF_DICT)
            {
              g_clear_pointer (trailer, lk_pdf_obj_unref);
              return damaged (error, _("bad trailer"));
            }
          return TRUE;
        }
      if (!lk_pdf_parser_read_uint (parser, &first))
        return damaged (error, _("bad cross-reference table"));
      lk_pdf_parser_skip_space (parser);
      if (!lk_pdf_parser_read_uint (parser, &count))
        return damaged (error, _("bad cross-reference table"));
      if (first + count > LK_PDF_MAX_OBJECTS)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF has more than %u objects."), LK_PDF_MAX_OBJECTS);
          return FALSE;
        }
      for (guint64 i = 0; i < count; i++)
        {
          guint64 offset, gen;
          XrefEntry e = { 0 };
          guchar kind;

          lk_pdf_parser_skip_space (parser);
          if (!lk_pdf_parser_read_uint (parser, &offset))
            return damaged (error, _("bad cross-reference table"));
          lk_pdf_parser_skip_space (parser);
          if (!lk_pdf_parser_read_uint (parser, &gen))
            return damaged (error, _("bad cross-reference table"));
          lk_pdf_parser_skip_space (parser);
          if (parser->pos >= parser->len)
            return damaged (error, _("bad cross-reference table"));
          kind = parser->data[parser->pos++];
          if (kind == 'n')
            {
              e.type = ENTRY_FILE;
              e.offset = offset;
              e.gen = (guint16) MIN (gen, 65535);
            }
          else if (kind == 'f')
            e.type = ENTRY_FREE;
          else
            return damaged (error, _("bad cross-reference table"));
          if (!set_entry (self, first + i, section, FALSE, &e, error))
            return FALSE;
        }
    }
}

static void
merge_trailer (LkPdfDocument *self,
               LkPdfObj      *trailer)
{
  static const char *keys[] = { "Root", "Info", "ID", "Encrypt", "Size" };
  static const char *section_keys[] = { "Type", "W", "Index", "Filter", "DecodeParms",
                                         "Length", "Prev", "XRefStm" };

  if (self->trailer == NULL)
    {
      self->trailer = lk_pdf_obj_copy (trailer);
      /* keys that describe one xref section, not the document */
      for (guint i = 0; i < G_N_ELEMENTS (section_keys); i++)
        lk_pdf_obj_dict_remove (self->trailer, section_keys[i]);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (lk_pdf_obj_dict_get (self->trailer, keys[i]) == NULL && lk_pdf_obj_dict_get (trailer, keys[i]))
      lk_pdf_obj_dict_take (self->trailer, keys[i], lk_pdf_obj_copy (lk_pdf_obj_dict_get (trailer, keys[i])));
}

/* The classic "xref" keyword may be off by a few bytes. */
static gboolean
find_xref_keyword_near (LkPdfDocument *self,
                        guint64        offset,
                        gsize         *found)
{
  gsize lo = offset > 64 ? (gsize) offset - 64 : 0;
  gsize hi = MIN ((gsize) MIN (offset, (guint64) G_MAXSIZE - 64) + 64, self->len);

  for (gsize p = lo; p + 4 <= hi; p++)
    if (memcmp (self->data + p, "xref", 4) == 0
        && (p == 0 || self->data[p - 1] == '\n' || self->data[p - 1] == '\r')
        && (p < 5 || memcmp (self->data + p - 5, "start", 5) != 0))
      {
        *found = p;
        return TRUE;
      }
  return FALSE;
}

static gboolean
load_xref (LkPdfDocument *self,
           GError       **error)
{
  const guint8 *sx;
  gsize tail = MIN (self->len, 2048);
  LkPdfParser parser;
  guint64 offset;
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint16 section = 0;

  if (self->len == 0)
    return damaged (error, _("the file is empty"));
  if (self->len < 8 || find_last (self->data, MIN (self->len, 1024), "%PDF-") == NULL)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
                   _("This file is not a PDF document."));
      return FALSE;
    }

  sx = find_last (self->data + self->len - tail, tail, "startxref");
  if (sx == NULL)
    return damaged (error, _("no startxref; the file may be truncated"));
  init_parser (self, &parser, (gsize) (sx - self->data) + strlen ("startxref"));
  lk_pdf_parser_skip_space (&parser);
  if (!lk_pdf_parser_read_uint (&parser, &offset))
    return damaged (error, _("bad startxref"));
  self->startxref = offset;

  for (;;)
    {
      g_autoptr(LkPdfObj) trailer = NULL;
      LkPdfObj *prev;
      gsize xref_pos;
      gboolean is_table;
      gint64 key = (gint64) offset;

      if (section >= LK_PDF_MAX_REVISIONS)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF has more than %u revisions."), LK_PDF_MAX_REVISIONS);
          return FALSE;
        }
      for (guint i = 0; i < offsets->len; i++)
        if (g_array_index (offsets, gint64, i) == key)
          {
            g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP,
                         _("The PDF is damaged: its cross-reference sections form a loop."));
            return FALSE;
          }
      g_array_append_val (offsets, key);
      {
        guint64 at = offset;

        g_array_append_val (self->sections, at);
      }

      if (offset >= self->len)
        return damaged (error, _("cross-reference offset out of range"));
      init_parser (self, &parser, (gsize) offset);
      lk_pdf_parser_skip_space (&parser);

      is_table = lk_pdf_parser_keyword (&parser, "xref");
      if (!is_table && find_xref_keyword_near (self, offset, &xref_pos))
        {
          /* off by a few bytes: /Prev of our update must be the real one */
          g_debug ("xref section at %" G_GSIZE_FORMAT ", not %" G_GUINT64_FORMAT, xref_pos, offset);
          parser.pos = xref_pos + 4;
          is_table = TRUE;
          g_array_index (self->sections, guint64, self->sections->len - 1) = xref_pos;
          if (section == 0)
            self->startxref = xref_pos;
        }
      if (is_table)
        {
          LkPdfObj *xrefstm;

          if (section == 0)
            self->style = LK_PDF_XREF_TABLE;
          if (!read_xref_table (self, &parser, section, &trailer, error))
            return FALSE;
          xrefstm = lk_pdf_obj_dict_get (trailer, "XRefStm");
          if (lk_pdf_obj_get_kind (xrefstm) == LK_PDF_INT)
            {
              g_autoptr(LkPdfObj) stm = NULL;

              stm = parse_xref_stream_at (self, (guint64) MAX (0, lk_pdf_obj_get_int (xrefstm)), error);
              if (stm == NULL || !read_xref_stream (self, stm, section, TRUE, error))
                return FALSE;
            }
        }
      else
        {
          g_autoptr(LkPdfObj) stm = parse_xref_stream_at (self, offset, error);

          if (stm == NULL)
            return FALSE;
          if (section == 0)
            self->style = LK_PDF_XREF_STREAM;
          if (!read_xref_stream (self, stm, section, FALSE, error))
            return FALSE;
          trailer = lk_pdf_obj_ref (lk_pdf_obj_stream_get_dict (stm));
        }

      merge_trailer (self, trailer);
      prev = lk_pdf_obj_dict_get (trailer, "Prev");
      if (prev == NULL)
        break;
      if (!lk_pdf_obj_is_number (prev) || lk_pdf_obj_get_number (prev) < 0)
        return damaged (error, _("bad /Prev"));
      offset = (guint64) lk_pdf_obj_get_int (prev);
      section++;
    }

  if (lk_pdf_obj_dict_get (self->trailer, "Encrypt") != NULL)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_ENCRYPTED,
                   _("This PDF is encrypted; Loket cannot sign encrypted files. Save an unencrypted copy first."));
      return FALSE;
    }

  self->max_num = self->xref->len > 0 ? self->xref->len - 1 : 0;
  {
    gint64 size = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (self->trailer, "Size"));

    if (size > 0 && size <= LK_PDF_MAX_OBJECTS && (guint) size - 1 > self->max_num)
      self->max_num = (guint) size - 1;
  }
  return TRUE;
}

/* Builds a map of every "N G obj" in the file: the fallback for xref
 * entries that point to the wrong place. The last definition wins. */
static void
scan_objects (LkPdfDocument *self)
{
  const guint8 *p = self->data, *end = self->data + self->len;

  self->scan = g_hash_table_new (g_direct_hash, g_direct_equal);
  while ((p = memchr (p, 'o', (gsize) (end - p))) != NULL)
    {
      const guint8 *q = p;
      guint64 num = 0, mul = 1;

      if ((gsize) (end - p) < 3 || memcmp (p, "obj", 3) != 0)
        {
          p++;
          continue;
        }
      /* walk back: spaces, generation, spaces, number */
      while (q > self->data && (q[-1] == ' ' || q[-1] == '\r' || q[-1] == '\n'))
        q--;
      if (q == p || q == self->data || !g_ascii_isdigit (q[-1]))
        goto next;
      while (q > self->data && g_ascii_isdigit (q[-1]))
        q--;
      {
        const guint8 *g = q;

        while (q > self->data && (q[-1] == ' ' || q[-1] == '\r' || q[-1] == '\n'))
          q--;
        if (q == g || q == self->data || !g_ascii_isdigit (q[-1]))
          goto next;
      }
      while (q > self->data && g_ascii_isdigit (q[-1]) && mul < 10000000)
        {
          num += (guint64) (q[-1] - '0') * mul;
          mul *= 10;
          q--;
        }
      if (num < LK_PDF_MAX_OBJECTS)
        g_hash_table_insert (self->scan, GUINT_TO_POINTER ((guint) num),
                             GSIZE_TO_POINTER ((gsize) (q - self->data)));
    next:
      p += 3;
    }
}

static LkPdfObj *
parse_object_at (LkPdfDocument *self,
                 gsize          offset,
                 guint          num,
                 GError       **error)
{
  LkPdfParser parser;
  guint got_num = 0, got_gen = 0;
  LkPdfObj *obj;

  init_parser (self, &parser, offset);
  obj = lk_pdf_parser_parse_indirect (&parser, &got_num, &got_gen, error);
  if (obj != NULL && got_num != num)
    {
      lk_pdf_obj_unref (obj);
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
                   _("The PDF is damaged: object %u is not where the index says."), num);
      return NULL;
    }
  return obj;
}

static LkPdfObj *
load_from_file (LkPdfDocument *self,
                guint          num,
                guint64        offset,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  LkPdfObj *obj = NULL;
  gpointer found;

  if (offset < self->len)
    {
      obj = parse_object_at (self, (gsize) offset, num, &local_error);
      if (obj != NULL)
        return obj;
      /* A bound was hit: that is final, not a misplaced object. */
      if (g_error_matches (local_error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT)
          || g_error_matches (local_error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
    }

  /* Off by a few bytes: look for "num gen obj" nearby, then anywhere. */
  if (self->scan == NULL)
    scan_objects (self);
  found = g_hash_table_lookup (self->scan, GUINT_TO_POINTER (num));
  if (found == NULL && !g_hash_table_contains (self->scan, GUINT_TO_POINTER (num)))
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND,
                   _("The PDF is damaged: object %u is missing."), num);
      return NULL;
    }
  g_debug ("object %u: xref offset %" G_GUINT64_FORMAT " wrong, found at %" G_GSIZE_FORMAT,
           num, offset, GPOINTER_TO_SIZE (found));
  return parse_object_at (self, GPOINTER_TO_SIZE (found), num, error);
}

static ObjStm *
load_objstm (LkPdfDocument *self,
             guint          stm_num,
             GError       **error)
{
  ObjStm *stm = g_hash_table_lookup (self->objstms, GUINT_TO_POINTER (stm_num));
  g_autoptr(LkPdfObj) obj = NULL;
  g_autoptr(GBytes) data = NULL;
  LkPdfParser parser;
  gint64 n, first;

  if (stm != NULL)
    return stm;

  obj = lk_pdf_document_get_object (self, stm_num, error);
  if (obj == NULL)
    return NULL;
  if (lk_pdf_obj_get_kind (obj) != LK_PDF_STREAM
      || !lk_pdf_obj_is_name (lk_pdf_obj_dict_get (obj, "Type"), "ObjStm"))
    return damaged (error, _("bad object stream")), NULL;
  n = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (obj, "N"));
  first = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (obj, "First"));
  if (n < 0 || n > LK_PDF_MAX_OBJECTS || first < 0)
    return damaged (error, _("bad object stream")), NULL;
  data = lk_pdf_decode_stream (obj, error);
  if (data == NULL)
    return NULL;
  if ((gsize) first > g_bytes_get_size (data))
    return damaged (error, _("bad object stream")), NULL;

  stm = g_new0 (ObjStm, 1);
  stm->data = g_bytes_ref (data);
  lk_pdf_parser_init (&parser, data, FALSE);
  stm->nums = g_new0 (guint, (gsize) n + 1);
  stm->offsets = g_new0 (gsize, (gsize) n + 1);
  for (gint64 i = 0; i < n; i++)
    {
      guint64 onum, ooff;

      lk_pdf_parser_skip_space (&parser);
      if (!lk_pdf_parser_read_uint (&parser, &onum))
        break;
      lk_pdf_parser_skip_space (&parser);
      if (!lk_pdf_parser_read_uint (&parser, &ooff))
        break;
      if (onum >= LK_PDF_MAX_OBJECTS || ooff > g_bytes_get_size (data) - (gsize) first)
        break;
      stm->nums[stm->n] = (guint) onum;
      stm->offsets[stm->n] = (gsize) first + (gsize) ooff;
      stm->n++;
    }
  g_hash_table_insert (self->objstms, GUINT_TO_POINTER (stm_num), stm);
  return stm;
}

static LkPdfObj *
load_compressed (LkPdfDocument *self,
                 guint          num,
                 guint          stm_num,
                 guint32        index,
                 GError       **error)
{
  ObjStm *stm = load_objstm (self, stm_num, error);
  LkPdfParser parser;
  gint found = -1;

  if (stm == NULL)
    return NULL;
  if (index < stm->n && stm->nums[index] == num)
    found = (gint) index;
  else
    for (guint i = 0; i < stm->n; i++)
      if (stm->nums[i] == num)
        found = (gint) i;
  if (found < 0)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND,
                   _("The PDF is damaged: object %u is missing."), num);
      return NULL;
    }
  lk_pdf_parser_init (&parser, stm->data, FALSE);
  parser.pos = stm->offsets[found];
  return lk_pdf_parser_parse_object (&parser, error);
}

static void
lk_pdf_document_finalize (GObject *object)
{
  LkPdfDocument *self = (LkPdfDocument *) object;

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->sections, g_array_unref);
  g_clear_pointer (&self->scan, g_hash_table_unref);
  g_clear_pointer (&self->resolving, g_hash_table_unref);
  g_clear_pointer (&self->objstms, g_hash_table_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->trailer, lk_pdf_obj_unref);
  g_clear_pointer (&self->xref, g_array_unref);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->mapped, g_mapped_file_unref);

  G_OBJECT_CLASS (lk_pdf_document_parent_class)->finalize (object);
}

static void
lk_pdf_document_class_init (LkPdfDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_pdf_document_finalize;
}

static void
lk_pdf_document_init (LkPdfDocument *self)
{
  self->xref = g_array_new (FALSE, TRUE, sizeof (XrefEntry));
  self->sections = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->cache = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) lk_pdf_obj_unref);
  self->objstms = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, objstm_free);
  self->resolving = g_hash_table_new (g_direct_hash, g_direct_equal);
}

/* Whole-file reconstruction, for files whose cross-reference sections
 * are missing or unreadable: every "N G obj" header (the last definition
 * of a number wins), the trailer from the last "trailer" dictionary or
 * the last cross-reference stream, or else the last /Type /Catalog. */

typedef struct
{
  guint64 offset;
  guint num;
} Located;

static int
compare_located (gconstpointer a,
                 gconstpointer b)
{
  const Located *x = a, *y = b;

  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static gboolean
is_pdf_space (guint8 c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static gboolean
is_pdf_delimiter (guint8 c)
{
  return is_pdf_space (c) || strchr ("()<>[]{}/%", c) != NULL;
}

/* Reads the digits that end just before *q (at most max_digits). */
static gboolean
digits_back (const guint8  *start,
             const guint8 **q,
             guint          max_digits,
             guint64       *value)
{
  const guint8 *e = *q, *b = *q;
  guint64 v = 0;

  while (b > start && g_ascii_isdigit (b[-1]) && (guint) (e - b) <= max_digits)
    b--;
  if (b == e || (guint) (e - b) > max_digits)
    return FALSE;
  for (const guint8 *d = b; d < e; d++)
    v = v * 10 + (guint64) (*d - '0');
  *value = v;
  *q = b;
  return TRUE;
}

static gboolean
scan_all_objects (LkPdfDocument *self,
                  GError       **error)
{
  const guint8 *p = self->data, *end = self->data + self->len;
  guint found = 0;

  while ((p = memchr (p, 'o', (gsize) (end - p))) != NULL)
    {
      const guint8 *q = p;
      guint64 num, gen;
      XrefEntry e = { 0 };
      XrefEntry *slot;

      if ((gsize) (end - p) < 3 || memcmp (p, "obj", 3) != 0
          || ((gsize) (end - p) > 3 && !is_pdf_delimiter (p[3])))
        goto next;
      if (q == self->data || !is_pdf_space (q[-1]))
        goto next;
      while (q > self->data && is_pdf_space (q[-1]))
        q--;
      if (!digits_back (self->data, &q, 5, &gen) || q == self->data || !is_pdf_space (q[-1]))
        goto next;
      while (q > self->data && is_pdf_space (q[-1]))
        q--;
      if (!digits_back (self->data, &q, 10, &num))
        goto next;
      if (q > self->data && !is_pdf_delimiter (q[-1]))
        goto next;
      if (num == 0 || num >= LK_PDF_MAX_OBJECTS || gen > 65535)
        goto next;
      if (++found > LK_PDF_MAX_OBJECTS)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                       _("The PDF has more than %u objects."), LK_PDF_MAX_OBJECTS);
          return FALSE;
        }
      slot = entry_slot (self, num, error);
      if (slot == NULL)
        return FALSE;
      e.type = ENTRY_FILE;
      e.offset = (guint64) (q - self->data);
      e.gen = (guint16) gen;
      *slot = e;
    next:
      p += 1;
      if (p >= end)
        break;
    }
  return found > 0;
}

/* The file-level object whose header is the last one before pos. */
static gint
containing_object (GArray *located,
                   gsize   pos)
{
  guint lo = 0, hi = located->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (located, Located, mid).offset <= pos)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo == 0 ? -1 : (gint) g_array_index (located, Located, lo - 1).num;
}

/* Objects inside object streams that no file-level header defines. */
static void
add_compressed_objects (LkPdfDocument *self,
                        GArray        *located)
{
  const guint8 *at;
  gsize hay = self->len;
  guint tries = 0;

  while ((at = find_last (self->data, hay, "/ObjStm")) != NULL && tries++ < 10000)
    {
      gint num = containing_object (located, (gsize) (at - self->data));
      ObjStm *stm;

      hay = (gsize) (at - self->data);
      if (num <= 0)
        continue;
      stm = load_objstm (self, (guint) num, NULL);
      if (stm == NULL)
        continue;
      for (guint i = 0; i < stm->n; i++)
        {
          XrefEntry e = { 0 };
          XrefEntry *slot;

          if (stm->nums[i] == 0 || stm->nums[i] == (guint) num)
            continue;
          slot = entry_slot (self, stm->nums[i], NULL);
          if (slot == NULL || slot->type != ENTRY_UNSET)
            continue;
          e.type = ENTRY_COMPRESSED;
          e.offset = (guint64) num;
          e.index = i;
          *slot = e;
        }
    }
}

static LkPdfObj *
find_trailer (LkPdfDocument *self,
              GArray        *located)
{
  const guint8 *at;
  gsize hay = self->len;
  guint tries = 0;

  /* the last classic trailer with a /Root */
  while ((at = find_last (self->data, hay, "trailer")) != NULL && tries++ < 64)
    {
      LkPdfParser parser;
      g_autoptr(LkPdfObj) dict = NULL;

      hay = (gsize) (at - self->data);
      init_parser (self, &parser, hay + strlen ("trailer"));
      dict = lk_pdf_parser_parse_object (&parser, NULL);
      if (lk_pdf_obj_get_kind (dict) == LK_PDF_DICT
          && lk_pdf_obj_get_kind (lk_pdf_obj_dict_get (dict, "Root")) == LK_PDF_REF)
        return g_steal_pointer (&dict);
    }

  /* the last cross-reference stream with a /Root */
  hay = self->len;
  tries = 0;
  while ((at = find_last (self->data, hay, "/XRef")) != NULL && tries++ < 64)
    {
      gint num = containing_object (located, (gsize) (at - self->data));
      g_autoptr(LkPdfObj) obj = NULL;

      hay = (gsize) (at - self->data);
      if (num <= 0)
        continue;
      obj = lk_pdf_document_get_object (self, (guint) num, NULL);
      if (lk_pdf_obj_get_kind (obj) == LK_PDF_STREAM
          && lk_pdf_obj_is_name (lk_pdf_obj_dict_get (obj, "Type"), "XRef")
          && lk_pdf_obj_get_kind (lk_pdf_obj_dict_get (obj, "Root")) == LK_PDF_REF)
        return lk_pdf_obj_copy (lk_pdf_obj_stream_get_dict (obj));
    }

  /* the last catalog */
  for (guint i = located->len; i-- > 0;)
    {
      guint num = g_array_index (located, Located, i).num;
      g_autoptr(LkPdfObj) obj = lk_pdf_document_get_object (self, num, NULL);

      if (lk_pdf_obj_get_kind (obj) == LK_PDF_DICT
          && lk_pdf_obj_is_name (lk_pdf_obj_dict_get (obj, "Type"), "Catalog"))
        {
          LkPdfObj *trailer = lk_pdf_obj_new_dict ();
          gint gen = lk_pdf_document_get_object_generation (self, num);

          lk_pdf_obj_dict_take (trailer, "Root", lk_pdf_obj_new_ref (num, (guint) MAX (gen, 0)));
          return trailer;
        }
    }
  return NULL;
}

static gboolean
reconstruct_xref (LkPdfDocument *self,
                  GError       **error)
{
  g_autoptr(GArray) located = g_array_new (FALSE, FALSE, sizeof (Located));
  g_autoptr(LkPdfObj) trailer = NULL;

  g_array_set_size (self->xref, 0);
  g_array_set_size (self->sections, 0);
  g_clear_pointer (&self->trailer, lk_pdf_obj_unref);
  g_clear_pointer (&self->scan, g_hash_table_unref);
  g_hash_table_remove_all (self->cache);
  g_hash_table_remove_all (self->objstms);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  self->startxref = 0;
  self->style = LK_PDF_XREF_TABLE;
  self->reconstructed = TRUE;

  if (!scan_all_objects (self, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      return damaged (error, _("no cross-reference section and no objects"));
    }
  for (guint i = 1; i < self->xref->len; i++)
    {
      XrefEntry *e = &g_array_index (self->xref, XrefEntry, i);
      Located l = { e->offset, i };

      if (e->type == ENTRY_FILE)
        g_array_append_val (located, l);
    }
  g_array_sort (located, compare_located);
  add_compressed_objects (self, located);

  trailer = find_trailer (self, located);
  if (trailer == NULL)
    return damaged (error, _("no cross-reference section and no document catalog"));
  merge_trailer (self, trailer);
  /* /Size and /Prev of a damaged file mean nothing */
  lk_pdf_obj_dict_remove (self->trailer, "Size");
  if (lk_pdf_obj_dict_get (self->trailer, "Encrypt") != NULL)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_ENCRYPTED,
                   _("This PDF is encrypted; Loket cannot sign encrypted files. Save an unencrypted copy first."));
      return FALSE;
    }
  self->max_num = self->xref->len > 0 ? self->xref->len - 1 : 0;
  g_debug ("cross-reference table rebuilt from %u objects", located->len);
  return TRUE;
}

static gboolean
may_reconstruct (LkPdfDocument *self,
                 const GError  *error)
{
  if (self->reconstructed || error == NULL || error->domain != LK_PDF_ERROR)
    return FALSE;
  if (error->code != LK_PDF_ERROR_XREF && error->code != LK_PDF_ERROR_SYNTAX
      && error->code != LK_PDF_ERROR_NOT_FOUND)
    return FALSE;
  /* not a PDF at all */
  return self->len >= 8 && find_last (self->data, MIN (self->len, 1024), "%PDF-") != NULL;
}

static LkPdfDocument *
open_common (LkPdfDocument *self,
             GError       **error)
{
  g_autoptr(LkPdfDocument) doc = self;
  g_autoptr(LkPdfObj) catalog = NULL;

  self->data = g_bytes_get_data (self->bytes, &self->len);
  if (self->data == NULL)
    self->data = (const guint8 *) "";
  {
    g_autoptr(GError) local_error = NULL;

    if (load_xref (self, &local_error))
      catalog = lk_pdf_document_get_catalog (self, &local_error);
    if (catalog == NULL)
      {
        if (!may_reconstruct (self, local_error))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
        g_debug ("rebuilding the cross-reference table: %s", local_error->message);
        if (!reconstruct_xref (self, error))
          return NULL;
        catalog = lk_pdf_document_get_catalog (self, error);
        if (catalog == NULL)
          return NULL;
      }
  }
  return g_steal_pointer (&doc);
}

LkPdfDocument *
lk_pdf_document_open (const char *path,
                      GError    **error)
{
  LkPdfDocument *self;
  g_autoptr(GError) local_error = NULL;
  GMappedFile *mapped;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_IO,
                   _("Could not read the PDF: %s"), local_error->message);
      return NULL;
    }
  self = g_object_new (LK_TYPE_PDF_DOCUMENT, NULL);
  self->mapped = mapped;
  self->bytes = g_mapped_file_get_bytes (mapped);
  return open_common (self, error);
}

LkPdfDocument *
lk_pdf_document_open_bytes (GBytes  *bytes,
                            GError **error)
{
  LkPdfDocument *self;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LK_TYPE_PDF_DOCUMENT, NULL);
  self->bytes = g_bytes_ref (bytes);
  return open_common (self, error);
}

GBytes *
lk_pdf_document_get_bytes (LkPdfDocument *self)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);
  return self->bytes;
}

void
lk_pdf_document_drop_pages (LkPdfDocument *self,
                            gsize          offset,
                            gsize          len)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  guintptr base, start, end;
  gsize size;

  g_return_if_fail (LK_IS_PDF_DOCUMENT (self));

  /* Only a read-only file mapping may be dropped: on heap memory
   * MADV_DONTNEED would zero the bytes. */
  if (self->mapped == NULL || page == 0)
    return;

  base = (guintptr) g_bytes_get_data (self->bytes, &size);
  if (offset >= size)
    return;
  len = MIN (len, size - offset);
  start = (base + offset + page - 1) / page * page;
  end = (base + offset + len) / page * page;
  if (end > start)
    madvise ((void *) start, end - start, MADV_DONTNEED);
}

LkPdfXrefStyle
lk_pdf_document_get_xref_style (LkPdfDocument *self)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), LK_PDF_XREF_TABLE);
  return self->style;
}

guint64
lk_pdf_document_get_startxref (LkPdfDocument *self)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), 0);
  return self->startxref;
}

guint
lk_pdf_document_get_max_object_number (LkPdfDocument *self)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), 0);
  return self->max_num;
}

const guint64 *
lk_pdf_document_get_xref_sections (LkPdfDocument *self,
                                   guint         *n_sections)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (n_sections != NULL, NULL);
  *n_sections = self->sections->len;
  return (const guint64 *) self->sections->data;
}

gint
lk_pdf_document_get_object_generation (LkPdfDocument *self,
                                       guint          num)
{
  XrefEntry *e;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), -1);
  if (num >= self->xref->len)
    return -1;
  e = &g_array_index (self->xref, XrefEntry, num);
  if (e->type == ENTRY_FILE)
    return e->gen;
  if (e->type == ENTRY_COMPRESSED)
    return 0;
  return -1;
}

gboolean
lk_pdf_document_is_reconstructed (LkPdfDocument *self)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), FALSE);
  return self->reconstructed;
}

gint64
lk_pdf_document_get_object_offset (LkPdfDocument *self,
                                   guint          num)
{
  XrefEntry *e;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), -1);
  if (num >= self->xref->len)
    return -1;
  e = &g_array_index (self->xref, XrefEntry, num);
  return e->type == ENTRY_FILE ? (gint64) e->offset : -1;
}

LkPdfObj *
lk_pdf_document_get_trailer (LkPdfDocument *self)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);
  return self->trailer;
}

guint
lk_pdf_document_get_catalog_number (LkPdfDocument *self)
{
  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), 0);
  return lk_pdf_obj_get_ref_num (lk_pdf_obj_dict_get (self->trailer, "Root"));
}

LkPdfObj *
lk_pdf_document_get_catalog (LkPdfDocument *self,
                             GError       **error)
{
  LkPdfObj *root;
  g_autoptr(LkPdfObj) catalog = NULL;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);

  root = lk_pdf_obj_dict_get (self->trailer, "Root");
  if (lk_pdf_obj_get_kind (root) != LK_PDF_REF)
    return damaged (error, _("no document catalog")), NULL;
  catalog = lk_pdf_document_get_object (self, lk_pdf_obj_get_ref_num (root), error);
  if (catalog == NULL)
    return NULL;
  if (lk_pdf_obj_get_kind (catalog) != LK_PDF_DICT)
    return damaged (error, _("the document catalog is not a dictionary")), NULL;
  return g_steal_pointer (&catalog);
}

LkPdfObj *
lk_pdf_document_get_object (LkPdfDocument *self,
                            guint          num,
                            GError       **error)
{
  XrefEntry e;
  LkPdfObj *obj;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);

  obj = g_hash_table_lookup (self->cache, GUINT_TO_POINTER (num));
  if (obj != NULL)
    return lk_pdf_obj_ref (obj);

  if (num == 0 || num >= self->xref->len
      || (g_array_index (self->xref, XrefEntry, num).type != ENTRY_FILE
          && g_array_index (self->xref, XrefEntry, num).type != ENTRY_COMPRESSED))
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND,
                   _("The PDF is damaged: object %u is missing."), num);
      return NULL;
    }
  if (g_hash_table_contains (self->resolving, GUINT_TO_POINTER (num)))
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP,
                   _("The PDF is damaged: object %u refers to itself."), num);
      return NULL;
    }
  if (g_hash_table_size (self->resolving) >= LK_PDF_MAX_DEPTH)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                   _("The PDF nests objects deeper than %u levels."), LK_PDF_MAX_DEPTH);
      return NULL;
    }

  e = g_array_index (self->xref, XrefEntry, num);
  g_hash_table_add (self->resolving, GUINT_TO_POINTER (num));
  if (e.type == ENTRY_FILE)
    obj = load_from_file (self, num, e.offset, error);
  else if (e.offset >= LK_PDF_MAX_OBJECTS || e.offset == num)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND,
                   _("The PDF is damaged: object %u is missing."), num);
      obj = NULL;
    }
  else
    obj = load_compressed (self, num, (guint) e.offset, e.index, error);
  g_hash_table_remove (self->resolving, GUINT_TO_POINTER (num));

  if (obj == NULL)
    return NULL;
  g_hash_table_insert (self->cache, GUINT_TO_POINTER (num), lk_pdf_obj_ref (obj));
  return obj;
}

LkPdfObj *
lk_pdf_document_resolve (LkPdfDocument *self,
                         LkPdfObj      *obj,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  LkPdfObj *result;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (obj != NULL, NULL);

  if (lk_pdf_obj_get_kind (obj) != LK_PDF_REF)
    return lk_pdf_obj_ref (obj);
  result = lk_pdf_document_get_object (self, lk_pdf_obj_get_ref_num (obj), &local_error);
  if (result != NULL)
    return result;
  if (g_error_matches (local_error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND))
    return lk_pdf_obj_new_null ();
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

LkPdfObj *
lk_pdf_document_lookup (LkPdfDocument *self,
                        LkPdfObj      *dict,
                        const char    *key,
                        GError       **error)
{
  LkPdfObj *value = lk_pdf_obj_dict_get (dict, key);
  LkPdfObj *resolved;

  if (value == NULL)
    return NULL;
  resolved = lk_pdf_document_resolve (self, value, error);
  if (resolved != NULL && lk_pdf_obj_get_kind (resolved) == LK_PDF_NULL)
    g_clear_pointer (&resolved, lk_pdf_obj_unref);
  return resolved;
}

GPtrArray **
lk_pdf_document_get_pages_cache (LkPdfDocument *self)
{
  return &self->pages;
}
