/* lk-pdf-writer.c — appends one revision to a PDF (incremental update)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pdf"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "lk-pdf-object-private.h"
#include "lk-pdf-writer.h"

typedef struct
{
  guint num;
  guint gen;
  LkPdfObj *obj;      /* or NULL with raw */
  GBytes *raw;
  gsize start;        /* positions in the revision buffer */
  gsize end;
  GArray *spans;      /* LkPdfSpan */
  gboolean written;
} Entry;

struct _LkPdfWriter
{
  GObject parent_instance;

  LkPdfDocument *document;
  guint next_num;
  GHashTable *entries;     /* num -> Entry */
  LkPdfObj *trailer_extra; /* dict */
  GByteArray *revision;    /* built */
};

G_DEFINE_FINAL_TYPE (LkPdfWriter, lk_pdf_writer, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_clear_pointer (&e->obj, lk_pdf_obj_unref);
  g_clear_pointer (&e->raw, g_bytes_unref);
  g_clear_pointer (&e->spans, g_array_unref);
  g_free (e);
}

static gint
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static void
lk_pdf_writer_finalize (GObject *object)
{
  LkPdfWriter *self = (LkPdfWriter *) object;

  g_clear_pointer (&self->revision, g_byte_array_unref);
  g_clear_pointer (&self->trailer_extra, lk_pdf_obj_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (lk_pdf_writer_parent_class)->finalize (object);
}

static void
lk_pdf_writer_class_init (LkPdfWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_pdf_writer_finalize;
}

static void
lk_pdf_writer_init (LkPdfWriter *self)
{
  self->entries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, entry_free);
  self->trailer_extra = lk_pdf_obj_new_dict ();
}

LkPdfWriter *
lk_pdf_writer_new (LkPdfDocument *document)
{
  LkPdfWriter *self;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (document), NULL);

  self = g_object_new (LK_TYPE_PDF_WRITER, NULL);
  self->document = g_object_ref (document);
  self->next_num = lk_pdf_document_get_max_object_number (document) + 1;
  return self;
}

LkPdfDocument *
lk_pdf_writer_get_document (LkPdfWriter *self)
{
  g_return_val_if_fail (LK_IS_PDF_WRITER (self), NULL);
  return self->document;
}

guint
lk_pdf_writer_reserve (LkPdfWriter *self)
{
  Entry *e;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), 0);
  g_return_val_if_fail (self->revision == NULL, 0);

  e = g_new0 (Entry, 1);
  e->num = self->next_num++;
  g_hash_table_insert (self->entries, GUINT_TO_POINTER (e->num), e);
  return e->num;
}

static Entry *
entry_for (LkPdfWriter *self,
           guint        num,
           GError     **error)
{
  Entry *e = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (num));
  gint gen;

  if (e != NULL)
    {
      g_clear_pointer (&e->obj, lk_pdf_obj_unref);
      g_clear_pointer (&e->raw, g_bytes_unref);
      return e;
    }
  gen = lk_pdf_document_get_object_generation (self->document, num);
  if (gen < 0)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND,
                   _("Object %u is neither in the PDF nor reserved; it cannot be replaced."), num);
      return NULL;
    }
  e = g_new0 (Entry, 1);
  e->num = num;
  e->gen = (guint) gen;
  g_hash_table_insert (self->entries, GUINT_TO_POINTER (num), e);
  return e;
}

guint
lk_pdf_writer_add_object (LkPdfWriter *self,
                          LkPdfObj    *obj)
{
  guint num;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), 0);
  g_return_val_if_fail (obj != NULL, 0);
  num = lk_pdf_writer_reserve (self);
  lk_pdf_writer_set_object (self, num, obj, NULL);
  return num;
}

gboolean
lk_pdf_writer_set_object (LkPdfWriter *self,
                          guint        num,
                          LkPdfObj    *obj,
                          GError     **error)
{
  Entry *e;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), FALSE);
  g_return_val_if_fail (obj != NULL, FALSE);
  g_return_val_if_fail (self->revision == NULL, FALSE);

  e = entry_for (self, num, error);
  if (e == NULL)
    return FALSE;
  e->obj = lk_pdf_obj_ref (obj);
  return TRUE;
}

gboolean
lk_pdf_writer_set_raw_object (LkPdfWriter *self,
                              guint        num,
                              GBytes      *body,
                              GError     **error)
{
  Entry *e;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (self->revision == NULL, FALSE);

  e = entry_for (self, num, error);
  if (e == NULL)
    return FALSE;
  e->raw = g_bytes_ref (body);
  return TRUE;
}

void
lk_pdf_writer_set_trailer_entry (LkPdfWriter *self,
                                 const char  *key,
                                 LkPdfObj    *value)
{
  g_return_if_fail (LK_IS_PDF_WRITER (self));
  g_return_if_fail (key != NULL && value != NULL);
  lk_pdf_obj_dict_take (self->trailer_extra, key, lk_pdf_obj_ref (value));
}

/* /Size, /Root, /Info, /ID from the document, then the caller's keys,
 * then /Prev. */
static LkPdfObj *
make_trailer (LkPdfWriter *self,
              guint        size)
{
  LkPdfObj *old = lk_pdf_document_get_trailer (self->document);
  LkPdfObj *trailer = lk_pdf_obj_new_dict ();
  static const char *kept[] = { "Root", "Info", "ID" };

  lk_pdf_obj_dict_take (trailer, "Size", lk_pdf_obj_new_int (size));
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    if (lk_pdf_obj_dict_get (old, kept[i]) != NULL)
      lk_pdf_obj_dict_take (trailer, kept[i], lk_pdf_obj_copy (lk_pdf_obj_dict_get (old, kept[i])));
  for (guint i = 0; i < lk_pdf_obj_dict_size (self->trailer_extra); i++)
    lk_pdf_obj_dict_take (trailer, lk_pdf_obj_dict_key_at (self->trailer_extra, i),
                          lk_pdf_obj_copy (lk_pdf_obj_dict_value_at (self->trailer_extra, i)));
  /* a rebuilt file's own sections are unusable: our table is complete */
  if (!lk_pdf_document_is_reconstructed (self->document))
    lk_pdf_obj_dict_take (trailer, "Prev",
                          lk_pdf_obj_new_int ((gint64) lk_pdf_document_get_startxref (self->document)));
  return trailer;
}

/* Subsections of consecutive numbers: [first count]... */
static GArray *
subsections (const guint *nums,
             guint        n)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n;)
    {
      guint j = i + 1;
      guint count;

      while (j < n && nums[j] == nums[j - 1] + 1)
        j++;
      count = j - i;
      g_array_append_val (ranges, nums[i]);
      g_array_append_val (ranges, count);
      i = j;
    }
  return ranges;
}

static void
put_be (GString *out,
        guint64  value,
        int      width)
{
  for (int i = width - 1; i >= 0; i--)
    g_string_append_c (out, (char) ((value >> (8 * i)) & 0xff));
}

gboolean
lk_pdf_writer_build (LkPdfWriter *self,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree guint *nums = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(LkPdfObj) trailer = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gsize orig_len;
  const guint8 *orig;
  guint n = 0, size;
  gsize xref_pos;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), FALSE);
  g_return_val_if_fail (self->revision == NULL, FALSE);

  orig = g_bytes_get_data (lk_pdf_document_get_bytes (self->document), &orig_len);

  nums = g_new (guint, g_hash_table_size (self->entries) + 1);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *e = value;

      if (e->obj == NULL && e->raw == NULL)
        {
          g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND,
                       _("Object %u was reserved but never written."), e->num);
          return FALSE;
        }
      nums[n++] = e->num;
    }
  qsort (nums, n, sizeof (guint), compare_uint);

  /* The original may lack a final end-of-line. */
  if (orig_len > 0 && orig[orig_len - 1] != '\n' && orig[orig_len - 1] != '\r')
    g_string_append_c (out, '\n');

  for (guint i = 0; i < n; i++)
    {
      Entry *e = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (nums[i]));

      e->start = out->len;
      g_string_append_printf (out, "%u %u obj\n", e->num, e->gen);
      g_clear_pointer (&e->spans, g_array_unref);
      if (e->raw != NULL)
        {
          gsize len;
          const char *data = g_bytes_get_data (e->raw, &len);

          g_string_append_len (out, data, (gssize) len);
        }
      else
        {
          e->spans = g_array_new (FALSE, FALSE, sizeof (LkPdfSpan));
          lk_pdf_obj_serialize_with_spans (e->obj, out, e->spans);
        }
      g_string_append (out, "\nendobj\n");
      e->end = out->len;
      e->written = TRUE;
    }

  size = self->next_num;
  xref_pos = out->len;

  if (lk_pdf_document_is_reconstructed (self->document))
    {
      /* every object, old and new, in one classic table */
      g_string_append_printf (out, "xref\n0 %u\n0000000000 65535 f\r\n", size);
      for (guint num = 1; num < size; num++)
        {
          Entry *e = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (num));
          gint64 offset = lk_pdf_document_get_object_offset (self->document, num);
          gint gen = lk_pdf_document_get_object_generation (self->document, num);

          if (e != NULL)
            g_string_append_printf (out, "%010" G_GUINT64_FORMAT " %05u n\r\n",
                                    (guint64) (orig_len + e->start), e->gen);
          else if (offset >= 0)
            g_string_append_printf (out, "%010" G_GINT64_FORMAT " %05d n\r\n", offset, gen);
          else if (gen >= 0)
            {
              g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_UNSUPPORTED,
                           _("This PDF is damaged and keeps objects in object streams; "
                             "open it in a PDF program and save a repaired copy."));
              return FALSE;
            }
          else
            g_string_append (out, "0000000000 00000 f\r\n");
        }
      trailer = make_trailer (self, size);
      g_string_append (out, "trailer\n");
      lk_pdf_obj_serialize (trailer, out);
      g_string_append_c (out, '\n');
    }
  else if (lk_pdf_document_get_xref_style (self->document) == LK_PDF_XREF_TABLE)
    {
      ranges = subsections (nums, n);
      g_string_append (out, "xref\n");
      for (guint r = 0; r < ranges->len; r += 2)
        {
          guint first = g_array_index (ranges, guint, r);
          guint count = g_array_index (ranges, guint, r + 1);

          g_string_append_printf (out, "%u %u\n", first, count);
          for (guint k = 0; k < count; k++)
            {
              Entry *e = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (first + k));

              g_string_append_printf (out, "%010" G_GUINT64_FORMAT " %05u n\r\n",
                                      (guint64) (orig_len + e->start), e->gen);
            }
        }
      trailer = make_trailer (self, size);
      g_string_append (out, "trailer\n");
      lk_pdf_obj_serialize (trailer, out);
      g_string_append_c (out, '\n');
    }
  else
    {
      guint xref_num = self->next_num;
      guint64 max_offset = orig_len + xref_pos;
      int width = max_offset > G_MAXUINT32 ? 8 : 4;
      g_autoptr(GString) table = g_string_new (NULL);
      g_autoptr(LkPdfObj) index = lk_pdf_obj_new_array ();
      g_autoptr(LkPdfObj) w = lk_pdf_obj_new_array ();
      g_autoptr(GBytes) data = NULL;
      g_autoptr(LkPdfObj) stream = NULL;

      nums[n++] = xref_num;
      size = xref_num + 1;
      ranges = subsections (nums, n);
      for (guint r = 0; r < ranges->len; r += 2)
        {
          guint first = g_array_index (ranges, guint, r);
          guint count = g_array_index (ranges, guint, r + 1);

          lk_pdf_obj_array_take (index, lk_pdf_obj_new_int (first));
          lk_pdf_obj_array_take (index, lk_pdf_obj_new_int (count));
          for (guint k = 0; k < count; k++)
            {
              Entry *e = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (first + k));

              put_be (table, 1, 1);
              if (first + k == xref_num)
                {
                  put_be (table, orig_len + xref_pos, width);
                  put_be (table, 0, 2);
                }
              else
                {
                  put_be (table, orig_len + e->start, width);
                  put_be (table, e->gen, 2);
                }
            }
        }
      lk_pdf_obj_array_take (w, lk_pdf_obj_new_int (1));
      lk_pdf_obj_array_take (w, lk_pdf_obj_new_int (width));
      lk_pdf_obj_array_take (w, lk_pdf_obj_new_int (2));

      trailer = make_trailer (self, size);
      lk_pdf_obj_dict_take (trailer, "Type", lk_pdf_obj_new_name ("XRef"));
      lk_pdf_obj_dict_take (trailer, "Index", g_steal_pointer (&index));
      lk_pdf_obj_dict_take (trailer, "W", g_steal_pointer (&w));
      data = g_bytes_new (table->str, table->len);
      stream = lk_pdf_obj_new_stream (g_steal_pointer (&trailer), data);
      g_string_append_printf (out, "%u 0 obj\n", xref_num);
      lk_pdf_obj_serialize (stream, out);
      g_string_append (out, "\nendobj\n");
    }

  g_string_append_printf (out, "startxref\n%" G_GUINT64_FORMAT "\n%%%%EOF\n",
                          (guint64) (orig_len + xref_pos));

  {
    gsize len = out->len;

    self->revision = g_byte_array_new_take ((guint8 *) g_string_free (g_steal_pointer (&out), FALSE),
                                            len);
  }
  return TRUE;
}

guint64
lk_pdf_writer_get_revision_offset (LkPdfWriter *self)
{
  g_return_val_if_fail (LK_IS_PDF_WRITER (self), 0);
  return g_bytes_get_size (lk_pdf_document_get_bytes (self->document));
}

guint8 *
lk_pdf_writer_get_revision_data (LkPdfWriter *self,
                                 gsize       *len)
{
  g_return_val_if_fail (LK_IS_PDF_WRITER (self), NULL);
  g_return_val_if_fail (self->revision != NULL, NULL);
  if (len)
    *len = self->revision->len;
  return self->revision->data;
}

static Entry *
written_entry (LkPdfWriter *self,
               guint        num)
{
  Entry *e;

  if (self->revision == NULL)
    return NULL;
  e = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (num));
  return e != NULL && e->written ? e : NULL;
}

gint64
lk_pdf_writer_get_object_offset (LkPdfWriter *self,
                                 guint        num)
{
  Entry *e;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), -1);
  e = written_entry (self, num);
  return e ? (gint64) (lk_pdf_writer_get_revision_offset (self) + e->start) : -1;
}

gint64
lk_pdf_writer_get_object_end (LkPdfWriter *self,
                              guint        num)
{
  Entry *e;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), -1);
  e = written_entry (self, num);
  return e ? (gint64) (lk_pdf_writer_get_revision_offset (self) + e->end) : -1;
}

gboolean
lk_pdf_writer_get_value_span (LkPdfWriter *self,
                              guint        num,
                              const char  *key,
                              gint64      *start,
                              gint64      *end)
{
  Entry *e;
  guint64 base;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  e = written_entry (self, num);
  if (e == NULL || e->spans == NULL)
    return FALSE;
  /* span positions are in the revision buffer */
  base = lk_pdf_writer_get_revision_offset (self);
  for (guint i = 0; i < e->spans->len; i++)
    {
      LkPdfSpan *span = &g_array_index (e->spans, LkPdfSpan, i);

      if (strcmp (span->key, key) == 0)
        {
          if (start)
            *start = (gint64) (base + span->start);
          if (end)
            *end = (gint64) (base + span->end);
          return TRUE;
        }
    }
  return FALSE;
}

gint64
lk_pdf_writer_find_token (LkPdfWriter *self,
                          guint        num,
                          const char  *token)
{
  Entry *e;
  gsize n;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), -1);
  g_return_val_if_fail (token != NULL && *token != 0, -1);
  e = written_entry (self, num);
  if (e == NULL)
    return -1;
  n = strlen (token);
  for (gsize p = e->start; p + n <= e->end; p++)
    if (memcmp (self->revision->data + p, token, n) == 0)
      return (gint64) (lk_pdf_writer_get_revision_offset (self) + p);
  return -1;
}

gboolean
lk_pdf_writer_write_to_stream (LkPdfWriter   *self,
                               GOutputStream *stream,
                               GCancellable  *cancellable,
                               GError       **error)
{
  GBytes *orig;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (self->revision == NULL && !lk_pdf_writer_build (self, error))
    return FALSE;
  orig = lk_pdf_document_get_bytes (self->document);
  if (!g_output_stream_write_all (stream, g_bytes_get_data (orig, NULL), g_bytes_get_size (orig),
                                  NULL, cancellable, error))
    return FALSE;
  return g_output_stream_write_all (stream, self->revision->data, self->revision->len,
                                    NULL, cancellable, error);
}

static gboolean
write_fd (int           fd,
          const guint8 *data,
          gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, MIN (len, (gsize) 1 << 20));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

gboolean
lk_pdf_writer_write_to_file (LkPdfWriter *self,
                             const char  *path,
                             GError     **error)
{
  g_autofree char *tmp = NULL;
  GBytes *orig;
  int fd, saved_errno = 0;
  gboolean ok;

  g_return_val_if_fail (LK_IS_PDF_WRITER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->revision == NULL && !lk_pdf_writer_build (self, error))
    return FALSE;

  tmp = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_WRONLY, 0666);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_IO,
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  orig = lk_pdf_document_get_bytes (self->document);
  ok = TRUE;
  /* The original in 1 MiB steps, letting go of each step's mapped pages:
   * a 50 MB file is copied without 50 MB of it in the process. */
  for (gsize done = 0, len = g_bytes_get_size (orig); ok && done < len;)
    {
      gsize n = MIN (len - done, (gsize) 1 << 20);

      ok = write_fd (fd, (const guint8 *) g_bytes_get_data (orig, NULL) + done, n);
      lk_pdf_document_drop_pages (self->document, done, n);
      done += n;
    }
  ok = ok
       && write_fd (fd, self->revision->data, self->revision->len)
       && fsync (fd) == 0;
  if (!ok)
    saved_errno = errno;
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (ok && g_rename (tmp, path) != 0)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (!ok)
    {
      g_unlink (tmp);
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_IO,
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
