/* test-pdf.c — the PDF reader and incremental writer, on files made by
 * other programs (cairo, qpdf, Ghostscript, mutool, pdfunite) and on
 * damaged files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lk-test-util.h"
#include "pdf/lk-pdf-document.h"
#include "pdf/lk-pdf-writer.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  (void) data;
  f->dir = lk_test_make_tmpdir ("pdf");
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  (void) data;
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Runs a program; returns its exit status (or -1 if it could not run). */
static int
run (char **out,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *std_out = NULL;
  g_autofree char *std_err = NULL;
  int status;
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &std_out, &std_err, &status, &error))
    {
      g_test_message ("%s: %s", first, error->message);
      return -1;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s failed:\n%s%s", first, std_out, std_err);
  if (out)
    *out = g_steal_pointer (&std_out);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gboolean
need_tool (const char *tool)
{
  g_autofree char *path = g_find_program_in_path (tool);

  if (path == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s is not installed", tool);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

static int
pdfinfo_pages (const char *path)
{
  g_autofree char *out = NULL;
  const char *line;

  if (run (&out, "pdfinfo", path, NULL) != 0)
    return -1;
  line = strstr (out, "\nPages:");
  if (line == NULL)
    return -1;
  return atoi (line + strlen ("\nPages:"));
}

static void
make_cairo_pdf (const char *path,
                int         pages,
                double      width,
                double      height)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, width, height);
  cairo_t *cr = cairo_create (surface);

  for (int i = 0; i < pages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Surat nomor %d", i + 1);

      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 18);
      cairo_move_to (cr, 50, 80);
      cairo_show_text (cr, text);
      cairo_rectangle (cr, 40, 100, 200, 50);
      cairo_stroke (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* Binary-safe: g_strrstr_len stops at a NUL byte. */
static const char *
find_last (const char *hay,
           gsize       len,
           const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = len >= n ? len - n + 1 : 0; i-- > 0;)
    if (memcmp (hay + i, needle, n) == 0)
      return hay + i;
  return NULL;
}

static const char *
find_first (const char *hay,
            gsize       len,
            const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (hay + i, needle, n) == 0)
      return hay + i;
  return NULL;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
write_bytes (const char *path,
             const void *data,
             gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
}

/* Open, compare with pdfinfo, append a revision (one new object, a new
 * catalog with a new key), and check the result with qpdf, pdfinfo and
 * our reader. */
static void
check_roundtrip (Fixture    *f,
                 const char *in,
                 double      width,
                 double      height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfDocument) doc2 = NULL;
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(LkPdfObj) new_catalog = NULL;
  g_autoptr(LkPdfObj) extra = NULL;
  g_autoptr(LkPdfObj) catalog2 = NULL;
  g_autoptr(LkPdfObj) extra2 = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *out = g_strconcat (in, ".updated.pdf", NULL);
  g_autofree char *qpdf = NULL;
  const char *text = "Loket";
  double box[4];
  guint page_num = 0, extra_num, max_before;
  int pages, expected_pages;

  expected_pages = pdfinfo_pages (in);
  g_assert_cmpint (expected_pages, >, 0);

  doc = lk_pdf_document_open (in, &error);
  g_assert_no_error (error);
  pages = lk_pdf_document_get_page_count (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pages, ==, expected_pages);

  page = lk_pdf_document_get_page (doc, 0, &page_num, NULL, box, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_cmpuint (page_num, >, 0);
  g_assert_cmpfloat_with_epsilon (box[2] - box[0], width, 0.5);
  g_assert_cmpfloat_with_epsilon (box[3] - box[1], height, 0.5);
  g_assert_null (lk_pdf_document_get_page (doc, (guint) pages, NULL, NULL, NULL, &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND);
  g_clear_error (&error);

  catalog = lk_pdf_document_get_catalog (doc, &error);
  g_assert_no_error (error);
  max_before = lk_pdf_document_get_max_object_number (doc);

  writer = lk_pdf_writer_new (doc);
  extra = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (extra, "Loket", lk_pdf_obj_new_string ((const guint8 *) text, strlen (text)));
  extra_num = lk_pdf_writer_add_object (writer, extra);
  g_assert_cmpuint (extra_num, ==, max_before + 1);
  new_catalog = lk_pdf_obj_copy (catalog);
  lk_pdf_obj_dict_take (new_catalog, "LoketTest", lk_pdf_obj_new_ref (extra_num, 0));
  lk_pdf_writer_set_object (writer, lk_pdf_document_get_catalog_number (doc), new_catalog, &error);
  g_assert_no_error (error);
  lk_pdf_writer_write_to_file (writer, out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_writer_get_object_offset (writer, extra_num), >=,
                   (gint64) lk_pdf_writer_get_revision_offset (writer));

  /* the original is a byte-prefix of the output */
  before = read_bytes (in);
  after = read_bytes (out);
  g_assert_cmpuint (g_bytes_get_size (after), >, g_bytes_get_size (before));
  g_assert_true (memcmp (g_bytes_get_data (before, NULL), g_bytes_get_data (after, NULL),
                         g_bytes_get_size (before)) == 0);

  /* other programs accept it */
  qpdf = g_find_program_in_path ("qpdf");
  if (qpdf != NULL)
    {
      g_autofree char *check = NULL;

      g_assert_cmpint (run (&check, "qpdf", "--check", out, NULL), ==, 0);
      g_assert_nonnull (strstr (check, "No syntax or stream encoding errors"));
    }
  g_assert_cmpint (pdfinfo_pages (out), ==, expected_pages);

  /* and so do we */
  doc2 = lk_pdf_document_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_page_count (doc2, &error), ==, expected_pages);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_xref_style (doc2), ==, lk_pdf_document_get_xref_style (doc));
  catalog2 = lk_pdf_document_get_catalog (doc2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_pdf_obj_get_ref_num (lk_pdf_obj_dict_get (catalog2, "LoketTest")), ==, extra_num);
  extra2 = lk_pdf_document_lookup (doc2, catalog2, "LoketTest", &error);
  g_assert_no_error (error);
  {
    gsize len;
    const guint8 *s = lk_pdf_obj_get_string (lk_pdf_obj_dict_get (extra2, "Loket"), &len);

    g_assert_cmpmem (s, len, text, strlen (text));
  }
  g_assert_cmpuint (lk_pdf_document_get_max_object_number (doc2), >=, extra_num);
  g_assert_cmpuint (lk_pdf_document_get_startxref (doc2), >, g_bytes_get_size (before));
  {
    guint n1, n2;
    const guint64 *s1 = lk_pdf_document_get_xref_sections (doc, &n1);
    const guint64 *s2 = lk_pdf_document_get_xref_sections (doc2, &n2);

    g_assert_cmpuint (n2, ==, n1 + 1);
    g_assert_cmpuint (s2[0], ==, lk_pdf_document_get_startxref (doc2));
    g_assert_cmpuint (s2[1], ==, lk_pdf_document_get_startxref (doc));
    for (guint i = 0; i < n1; i++)
      g_assert_cmpuint (s1[i], ==, s2[i + 1]);
  }
}

static void
test_cairo (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *path = path_in (f, "cairo.pdf");
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  (void) data;
  if (!need_tool ("pdfinfo"))
    return;
  make_cairo_pdf (path, 3, 595, 842);
  doc = lk_pdf_document_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_xref_style (doc), ==, LK_PDF_XREF_TABLE);
  check_roundtrip (f, path, 595, 842);
}

static void
test_qpdf (Fixture      *f,
           gconstpointer data)
{
  const char *mode = data;
  g_autofree char *src = path_in (f, "src.pdf");
  g_autofree char *path = path_in (f, "qpdf.pdf");
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  if (!need_tool ("qpdf") || !need_tool ("pdfinfo"))
    return;
  make_cairo_pdf (src, 4, 300, 400);
  g_assert_cmpint (run (NULL, "qpdf", mode, src, path, NULL), ==, 0);
  doc = lk_pdf_document_open (path, &error);
  g_assert_no_error (error);
  if (strcmp (mode, "--object-streams=generate") == 0)
    g_assert_cmpint (lk_pdf_document_get_xref_style (doc), ==, LK_PDF_XREF_STREAM);
  check_roundtrip (f, path, 300, 400);
}

static void
test_ghostscript (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *ps = path_in (f, "in.ps");
  g_autofree char *path = path_in (f, "gs.pdf");
  g_autofree char *arg = g_strconcat ("-sOutputFile=", path, NULL);
  const char *program =
    "%!PS\n<< /PageSize [320 480] >> setpagedevice\n"
    "/Helvetica findfont 14 scalefont setfont\n"
    "72 400 moveto (Halaman satu) show showpage\n"
    "72 400 moveto (Halaman dua) show showpage\n";

  (void) data;
  if (!need_tool ("gs") || !need_tool ("pdfinfo"))
    return;
  write_bytes (ps, program, strlen (program));
  g_assert_cmpint (run (NULL, "gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                        arg, ps, NULL), ==, 0);
  check_roundtrip (f, path, 320, 480);
}

static void
test_mutool (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *src = path_in (f, "src.pdf");
  g_autofree char *path = path_in (f, "mutool.pdf");

  (void) data;
  if (!need_tool ("mutool") || !need_tool ("pdfinfo"))
    return;
  make_cairo_pdf (src, 2, 420, 595);
  g_assert_cmpint (run (NULL, "mutool", "clean", "-gg", src, path, NULL), ==, 0);
  check_roundtrip (f, path, 420, 595);
}

static void
test_pdfunite (Fixture      *f,
               gconstpointer data)
{
  g_autofree char *a = path_in (f, "a.pdf");
  g_autofree char *b = path_in (f, "b.pdf");
  g_autofree char *path = path_in (f, "united.pdf");

  (void) data;
  if (!need_tool ("pdfunite") || !need_tool ("pdfinfo"))
    return;
  make_cairo_pdf (a, 2, 595, 842);
  make_cairo_pdf (b, 3, 842, 595);
  g_assert_cmpint (run (NULL, "pdfunite", a, b, path, NULL), ==, 0);
  check_roundtrip (f, path, 595, 842);
}

/* Two revisions in a row: the /Prev chain is followed, and a second
 * update on top of ours (stream style too) still checks. */
static void
test_chain (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *src = path_in (f, "src.pdf");
  g_autofree char *path = path_in (f, "stm.pdf");
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;

  (void) data;
  if (!need_tool ("qpdf") || !need_tool ("pdfinfo"))
    return;
  make_cairo_pdf (src, 2, 200, 300);
  g_assert_cmpint (run (NULL, "qpdf", "--object-streams=generate", src, path, NULL), ==, 0);
  check_roundtrip (f, path, 200, 300);
  once = g_strconcat (path, ".updated.pdf", NULL);
  check_roundtrip (f, once, 200, 300);
  twice = g_strconcat (once, ".updated.pdf", NULL);
  g_assert_true (g_file_test (twice, G_FILE_TEST_EXISTS));
}

/* What the signer will do: a /Sig dictionary with placeholders, a field,
 * an AcroForm; patch the placeholders in place; read them back. */
static void
test_signature_placeholders (Fixture      *f,
                             gconstpointer data)
{
  const char *style = data;
  g_autofree char *src = path_in (f, "src.pdf");
  g_autofree char *path = path_in (f, "in.pdf");
  g_autofree char *out = path_in (f, "out.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfDocument) doc2 = NULL;
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) sig = lk_pdf_obj_new_dict ();
  g_autoptr(LkPdfObj) field = lk_pdf_obj_new_dict ();
  g_autoptr(LkPdfObj) form = lk_pdf_obj_new_dict ();
  g_autoptr(LkPdfObj) fields = lk_pdf_obj_new_array ();
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(LkPdfObj) new_catalog = NULL;
  g_autoptr(GPtrArray) sigs = NULL;
  g_autofree guint8 *zeros = g_malloc0 (64);
  g_autofree char *range = NULL;
  g_autoptr(GBytes) result = NULL;
  gint64 c_start, c_end, r_start, r_end;
  guint sig_num, field_num;
  guint8 *rev;
  gsize rev_len;
  guint64 rev_off;
  LkPdfSigField *info;

  if (!need_tool ("qpdf"))
    return;
  make_cairo_pdf (src, 1, 595, 842);
  if (strcmp (style, "stream") == 0)
    g_assert_cmpint (run (NULL, "qpdf", "--object-streams=generate", src, path, NULL), ==, 0);
  else
    g_assert_cmpint (run (NULL, "qpdf", "--object-streams=disable", src, path, NULL), ==, 0);

  doc = lk_pdf_document_open (path, &error);
  g_assert_no_error (error);
  writer = lk_pdf_writer_new (doc);
  sig_num = lk_pdf_writer_reserve (writer);
  field_num = lk_pdf_writer_reserve (writer);
  lk_pdf_obj_dict_take (sig, "Type", lk_pdf_obj_new_name ("Sig"));
  lk_pdf_obj_dict_take (sig, "Filter", lk_pdf_obj_new_name ("Adobe.PPKLite"));
  lk_pdf_obj_dict_take (sig, "ByteRange", lk_pdf_obj_new_raw ("[0 0000000000 0000000000 0000000000]"));
  lk_pdf_obj_dict_take (sig, "Contents", lk_pdf_obj_new_hex_string (zeros, 64));
  lk_pdf_writer_set_object (writer, sig_num, sig, &error);
  g_assert_no_error (error);
  lk_pdf_obj_dict_take (field, "FT", lk_pdf_obj_new_name ("Sig"));
  lk_pdf_obj_dict_take (field, "T", lk_pdf_obj_new_string ((const guint8 *) "Tanda tangan", 12));
  lk_pdf_obj_dict_take (field, "V", lk_pdf_obj_new_ref (sig_num, 0));
  lk_pdf_writer_set_object (writer, field_num, field, &error);
  g_assert_no_error (error);
  lk_pdf_obj_array_take (fields, lk_pdf_obj_new_ref (field_num, 0));
  lk_pdf_obj_dict_take (form, "Fields", g_steal_pointer (&fields));
  lk_pdf_obj_dict_take (form, "SigFlags", lk_pdf_obj_new_int (3));
  catalog = lk_pdf_document_get_catalog (doc, &error);
  new_catalog = lk_pdf_obj_copy (catalog);
  lk_pdf_obj_dict_take (new_catalog, "AcroForm", g_steal_pointer (&form));
  lk_pdf_writer_set_object (writer, lk_pdf_document_get_catalog_number (doc), new_catalog, &error);
  g_assert_no_error (error);

  /* a reserved number that is never set makes build fail */
  {
    g_autoptr(LkPdfWriter) bad = lk_pdf_writer_new (doc);

    lk_pdf_writer_reserve (bad);
    g_assert_false (lk_pdf_writer_build (bad, &error));
    g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (lk_pdf_writer_set_object (bad, 999999, sig, &error));
    g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  g_assert_true (lk_pdf_writer_build (writer, &error));
  g_assert_no_error (error);
  g_assert_true (lk_pdf_writer_get_value_span (writer, sig_num, "Contents", &c_start, &c_end));
  g_assert_true (lk_pdf_writer_get_value_span (writer, sig_num, "ByteRange", &r_start, &r_end));
  g_assert_cmpint (c_end - c_start, ==, 2 + 2 * 64);
  g_assert_cmpint (lk_pdf_writer_find_token (writer, sig_num, "/Contents"), <, c_start);
  g_assert_cmpint (lk_pdf_writer_find_token (writer, sig_num, "/Nope"), ==, -1);

  rev = lk_pdf_writer_get_revision_data (writer, &rev_len);
  rev_off = lk_pdf_writer_get_revision_offset (writer);
  g_assert_cmpint (rev[c_start - (gint64) rev_off], ==, '<');
  g_assert_cmpint (rev[c_end - 1 - (gint64) rev_off], ==, '>');
  g_assert_cmpint (rev[r_start - (gint64) rev_off], ==, '[');
  range = g_strdup_printf ("[0 %010" G_GINT64_FORMAT " %010" G_GINT64_FORMAT " %010" G_GINT64_FORMAT "]",
                           c_start, c_end, (gint64) (rev_off + rev_len) - c_end);
  g_assert_cmpint ((gint64) strlen (range), ==, r_end - r_start);
  memcpy (rev + (r_start - (gint64) rev_off), range, strlen (range));
  memset (rev + (c_start + 1 - (gint64) rev_off), 'A', 2);
  lk_pdf_writer_write_to_file (writer, out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run (NULL, "qpdf", "--check", out, NULL), ==, 0);

  /* the stream variant writes the same bytes; a failed write leaves nothing */
  {
    g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
    g_autoptr(GBytes) written = NULL;
    g_autoptr(GBytes) in_file = read_bytes (out);
    g_autofree char *missing = path_in (f, "no-such-dir/out.pdf");
    g_autofree char *missing_dir = path_in (f, "no-such-dir");

    g_assert_true (lk_pdf_writer_write_to_stream (writer, mem, NULL, &error));
    g_assert_no_error (error);
    g_output_stream_close (mem, NULL, NULL);
    written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
    g_assert_true (g_bytes_equal (written, in_file));

    g_assert_false (lk_pdf_writer_write_to_file (writer, missing, &error));
    g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_IO);
    g_clear_error (&error);
    g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));
  }
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    /* no temporary file left beside the output */
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, "out.pdf."));
  }

  doc2 = lk_pdf_document_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_xref_style (doc2), ==,
                   strcmp (style, "stream") == 0 ? LK_PDF_XREF_STREAM : LK_PDF_XREF_TABLE);
  {
    g_autoptr(LkPdfObj) acroform = lk_pdf_document_get_acroform (doc2, &error);

    g_assert_no_error (error);
    g_assert_cmpint (lk_pdf_obj_get_int (lk_pdf_obj_dict_get (acroform, "SigFlags")), ==, 3);
  }
  sigs = lk_pdf_document_get_signature_fields (doc2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sigs->len, ==, 1);
  info = g_ptr_array_index (sigs, 0);
  g_assert_cmpstr (info->name, ==, "Tanda tangan");
  g_assert_cmpuint (info->num, ==, field_num);
  g_assert_cmpuint (info->value_num, ==, sig_num);
  g_assert_cmpuint (info->n_byte_range, ==, 4);
  g_assert_cmpint (info->byte_range[1], ==, c_start);
  g_assert_cmpint (info->byte_range[2], ==, c_end);
  g_assert_cmpint (info->contents_offset, ==, c_start);
  g_assert_cmpint (info->contents_end, ==, c_end);
  result = read_bytes (out);
  g_assert_cmpint (info->byte_range[2] + info->byte_range[3], ==, (gint64) g_bytes_get_size (result));
  {
    gsize len;
    const guint8 *contents = lk_pdf_obj_get_string (lk_pdf_obj_dict_get (info->value, "Contents"), &len);

    g_assert_cmpuint (len, ==, 64);
    g_assert_cmpint (contents[0], ==, 0xAA);
  }
}

/* A hybrid-reference file: a classic table whose trailer has /XRefStm,
 * with object 4 in an object stream that only the xref stream knows. */
static void
test_hybrid (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(GString) s = g_string_new ("%PDF-1.5\n");
  g_autofree char *path = path_in (f, "hybrid.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  g_autoptr(LkPdfObj) resources = NULL;
  const char *objstm = "4 0 << /Hybrid true >>";
  const guint8 xrefstm[] = { 2, 0, 5, 0 };
  gsize off[7] = { 0 };
  gsize xref;

  (void) data;
  off[1] = s->len;
  g_string_append (s, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  off[2] = s->len;
  g_string_append (s, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  off[3] = s->len;
  g_string_append (s, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 50 60] /Resources 4 0 R >>\nendobj\n");
  off[5] = s->len;
  g_string_append_printf (s, "5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                          strlen (objstm), objstm);
  off[6] = s->len;
  g_string_append (s, "6 0 obj\n<< /Type /XRef /W [1 2 1] /Index [4 1] /Size 7 /Length 4 >>\nstream\n");
  g_string_append_len (s, (const char *) xrefstm, sizeof xrefstm);
  g_string_append (s, "\nendstream\nendobj\n");
  xref = s->len;
  g_string_append (s, "xref\n0 7\n0000000000 65535 f\r\n");
  for (int i = 1; i < 7; i++)
    {
      if (i == 4)
        g_string_append (s, "0000000000 00000 f\r\n");
      else
        g_string_append_printf (s, "%010zu 00000 n\r\n", off[i]);
    }
  g_string_append_printf (s, "trailer\n<< /Size 7 /Root 1 0 R /XRefStm %zu >>\nstartxref\n%zu\n%%%%EOF\n",
                          off[6], xref);
  write_bytes (path, s->str, s->len);

  doc = lk_pdf_document_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_xref_style (doc), ==, LK_PDF_XREF_TABLE);
  page = lk_pdf_document_get_page (doc, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  resources = lk_pdf_document_lookup (doc, page, "Resources", &error);
  g_assert_no_error (error);
  g_assert_true (lk_pdf_obj_get_bool (lk_pdf_obj_dict_get (resources, "Hybrid")));
  if (need_tool ("pdfinfo") && need_tool ("qpdf"))
    check_roundtrip (f, path, 50, 60);
}

/* An existing signature field: the raw offsets of /Contents. */
static void
test_existing_signature (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "pdf", "seeds", "form.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = lk_pdf_document_open (path, &error);
  g_autoptr(GPtrArray) sigs = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  LkPdfSigField *sig;

  g_assert_no_error (error);
  sigs = lk_pdf_document_get_signature_fields (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sigs->len, ==, 1);
  sig = g_ptr_array_index (sigs, 0);
  g_assert_cmpstr (sig->name, ==, "S1");
  g_assert_cmpuint (sig->num, ==, 5);
  g_assert_cmpuint (sig->value_num, ==, 6);
  g_assert_cmpuint (sig->n_byte_range, ==, 4);
  g_assert_cmpint (sig->byte_range[3], ==, 30);
  bytes = read_bytes (path);
  data = g_bytes_get_data (bytes, NULL);
  g_assert_cmpint (sig->contents_end - sig->contents_offset, ==, 6);
  g_assert_cmpmem (data + sig->contents_offset, 6, "<00AB>", 6);
}

/* Hand-made files for the defects */

static GString *
build_pdf (const char *const *bodies,
           const char        *trailer_extra)
{
  GString *s = g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize xref;
  guint n = 0;

  for (; bodies[n] != NULL; n++)
    {
      g_array_append_val (offsets, s->len);
      g_string_append_printf (s, "%u 0 obj\n%s\nendobj\n", n + 1, bodies[n]);
    }
  xref = s->len;
  g_string_append_printf (s, "xref\n0 %u\n0000000000 65535 f\r\n", n + 1);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%010" G_GSIZE_FORMAT " 00000 n\r\n", g_array_index (offsets, gsize, i));
  g_string_append_printf (s, "trailer\n<< /Size %u /Root 1 0 R ", n + 1);
  if (trailer_extra != NULL)
    {
      g_autofree char *extra = NULL;
      g_autofree char *xref_str = g_strdup_printf ("%" G_GSIZE_FORMAT, xref);
      g_auto(GStrv) parts = g_strsplit (trailer_extra, "@XREF@", -1);

      extra = g_strjoinv (xref_str, parts);
      g_string_append (s, extra);
    }
  g_string_append_printf (s, " >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
  return s;
}

static LkPdfDocument *
open_string (GString *s,
             GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (s->str, s->len);

  return lk_pdf_document_open_bytes (bytes, error);
}

#define CATALOG "<< /Type /Catalog /Pages 2 0 R >>"
#define PAGES "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 100 200] >>"
#define PAGE "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"

static void
test_length_mismatch (void)
{
  const char *bodies[] = { CATALOG, PAGES, PAGE,
                           "<< /Length 3 >>\nstream\nHello stream\nendstream", NULL };
  g_autoptr(GString) s = build_pdf (bodies, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = open_string (s, &error);
  g_autoptr(LkPdfObj) stream = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  GBytes *data;
  double box[4];

  g_assert_no_error (error);
  page = lk_pdf_document_get_page (doc, 0, NULL, NULL, box, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (box[3], ==, 200); /* inherited */
  stream = lk_pdf_document_get_object (doc, 4, &error);
  g_assert_no_error (error);
  data = lk_pdf_obj_stream_get_data (stream);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), "Hello stream", 12);
}

static void
test_missing_endstream (void)
{
  const char *bodies[] = { CATALOG, PAGES, PAGE, "<< /Length 3 >>\nstream\nHello", NULL };
  g_autoptr(GString) s = build_pdf (bodies, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = open_string (s, &error);
  g_autoptr(LkPdfObj) stream = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_page_count (doc, &error), ==, 1);
  stream = lk_pdf_document_get_object (doc, 4, &error);
  g_assert_null (stream);
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX);
}

static void
test_huge_length (void)
{
  const char *bodies[] = { CATALOG, PAGES, PAGE,
                           "<< /Length 1099511627776 >>\nstream\nHello\nendstream", NULL };
  g_autoptr(GString) s = build_pdf (bodies, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = open_string (s, &error);

  g_assert_no_error (error);
  g_assert_null (lk_pdf_document_get_object (doc, 4, &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new ("<< /Type /Catalog /Pages 2 0 R /Deep ");
  const char *bodies[] = { NULL, PAGES, PAGE, NULL };
  g_autoptr(GString) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;

  for (int i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 10000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, " >>");
  bodies[0] = deep->str;
  s = build_pdf (bodies, NULL);
  doc = open_string (s, &error);
  g_assert_null (doc);
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT);
}

static void
test_prev_loop (void)
{
  const char *bodies[] = { CATALOG, PAGES, PAGE, NULL };
  g_autoptr(GString) s = build_pdf (bodies, "/Prev @XREF@");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = open_string (s, &error);

  g_assert_null (doc);
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP);
}

static void
test_pages_loop (void)
{
  const char *bodies[] = { CATALOG, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", PAGE, NULL };
  g_autoptr(GString) s = build_pdf (bodies, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = open_string (s, &error);

  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_page_count (doc, &error), ==, -1);
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP);
  g_clear_error (&error);
  g_assert_null (lk_pdf_document_get_page (doc, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP);
}

static void
test_self_reference (void)
{
  /* a stream whose /Length is itself */
  const char *bodies[] = { CATALOG, PAGES, PAGE, "<< /Length 4 0 R >>\nstream\nabc\nendstream", NULL };
  g_autoptr(GString) s = build_pdf (bodies, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = open_string (s, &error);
  g_autoptr(LkPdfObj) stream = NULL;

  g_assert_no_error (error);
  stream = lk_pdf_document_get_object (doc, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (lk_pdf_obj_stream_get_data (stream)), ==, 3);
}

static void
test_lexer (void)
{
  const char *bodies[] = {
    "<< /Type /Catalog /Pages 2 0 R /S (a\\(b\\)c (nested) \\101\\n\\\\ end) /H <48 65 6c6C6f 7>"
    " /N /A#20B /R -1.5 /I +42 /B true /F false /Z null /E [] /D << >> >>",
    PAGES, PAGE, NULL };
  g_autoptr(GString) s = build_pdf (bodies, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = open_string (s, &error);
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(GString) ser = g_string_new (NULL);
  const guint8 *str;
  gsize len;

  g_assert_no_error (error);
  catalog = lk_pdf_document_get_catalog (doc, &error);
  g_assert_no_error (error);
  str = lk_pdf_obj_get_string (lk_pdf_obj_dict_get (catalog, "S"), &len);
  g_assert_cmpmem (str, len, "a(b)c (nested) A\n\\ end", 22);
  str = lk_pdf_obj_get_string (lk_pdf_obj_dict_get (catalog, "H"), &len);
  g_assert_cmpmem (str, len, "Hellop", 6);
  g_assert_cmpstr (lk_pdf_obj_get_name (lk_pdf_obj_dict_get (catalog, "N")), ==, "A B");
  g_assert_cmpfloat (lk_pdf_obj_get_number (lk_pdf_obj_dict_get (catalog, "R")), ==, -1.5);
  g_assert_cmpint (lk_pdf_obj_get_int (lk_pdf_obj_dict_get (catalog, "I")), ==, 42);
  g_assert_true (lk_pdf_obj_get_bool (lk_pdf_obj_dict_get (catalog, "B")));
  g_assert_null (lk_pdf_obj_dict_get (catalog, "Z"));
  lk_pdf_obj_serialize (catalog, ser);
  g_assert_cmpstr (ser->str, ==,
                   "<< /Type /Catalog /Pages 2 0 R /S (a\\(b\\)c \\(nested\\) A\\012\\\\ end)"
                   " /H <48656C6C6F70> /N /A#20B /R -1.5 /I 42 /B true /F false /E [] /D << >> >>");
}

static void
test_empty_and_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) garbage = NULL;
  g_autoptr(GBytes) header_only = NULL;
  guint8 junk[4096];
  GRand *rand = g_rand_new_with_seed (42);

  g_assert_null (lk_pdf_document_open_bytes (empty, &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_XREF);
  g_clear_error (&error);

  for (gsize i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  garbage = g_bytes_new (junk, sizeof junk);
  g_assert_null (lk_pdf_document_open_bytes (garbage, &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX);
  g_clear_error (&error);

  memcpy (junk, "%PDF-1.4\n", 9);
  header_only = g_bytes_new (junk, sizeof junk);
  g_assert_null (lk_pdf_document_open_bytes (header_only, &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_XREF);
  g_clear_error (&error);

  g_assert_null (lk_pdf_document_open ("/nonexistent/file.pdf", &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_IO);
}

static void
test_truncated (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *path = path_in (f, "cairo.pdf");
  g_autoptr(GBytes) bytes = NULL;
  const char *all;
  gsize len, startxref_pos;
  double cuts[] = { 0.05, 0.3, 0.5, 0.8, 0.97 };

  (void) data;
  make_cairo_pdf (path, 2, 595, 842);
  bytes = read_bytes (path);
  all = g_bytes_get_data (bytes, &len);
  g_assert_nonnull (find_last (all, len, "startxref"));
  startxref_pos = (gsize) (find_last (all, len, "startxref") - all);
  g_assert_cmpuint (startxref_pos, >, len / 2);

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      gsize cut = (gsize) (len * cuts[i]);
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (bytes, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(LkPdfDocument) doc = lk_pdf_document_open_bytes (part, &error);

      if (cut < startxref_pos && doc == NULL)
        g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_XREF);
      else if (cut < startxref_pos)
        {
          /* every object needed survived the cut: rebuilt from a scan */
          g_assert_true (lk_pdf_document_is_reconstructed (doc));
          g_assert_cmpint (lk_pdf_document_get_page_count (doc, NULL), >=, 0);
        }
      else if (doc == NULL)
        g_assert_true (error->domain == LK_PDF_ERROR);
      else
        lk_pdf_document_get_page_count (doc, NULL);
    }
  for (gsize cut = startxref_pos; cut < len; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (bytes, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(LkPdfDocument) doc = lk_pdf_document_open_bytes (part, &error);

      g_assert_true (doc != NULL || error->domain == LK_PDF_ERROR);
    }
}

static char *
replace_once (const char *haystack,
              gsize       len,
              const char *needle,
              const char *replacement,
              gsize      *new_len)
{
  const char *at = find_first (haystack, len, needle);
  GString *s;

  g_assert_nonnull (at);
  s = g_string_new_len (haystack, at - haystack);
  g_string_append (s, replacement);
  g_string_append_len (s, at + strlen (needle), (gssize) (len - (gsize) (at - haystack) - strlen (needle)));
  *new_len = s->len;
  return g_string_free (s, FALSE);
}

static void
test_wrong_size (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *path = path_in (f, "cairo.pdf");
  g_autofree char *bad = path_in (f, "wrong-size.pdf");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  const char *all;
  const char *size_at;
  gsize len, new_len;
  guint real_max;

  (void) data;
  if (!need_tool ("qpdf") || !need_tool ("pdfinfo"))
    return;
  make_cairo_pdf (path, 2, 595, 842);
  doc = lk_pdf_document_open (path, &error);
  g_assert_no_error (error);
  real_max = lk_pdf_document_get_max_object_number (doc);
  g_clear_object (&doc);

  bytes = read_bytes (path);
  all = g_bytes_get_data (bytes, &len);
  size_at = find_last (all, len, "/Size ");
  g_assert_nonnull (size_at);
  {
    g_autofree char *old = g_strndup (size_at, (gsize) (strpbrk (size_at + 6, " \n\r/>") - size_at));

    edited = replace_once (all, len, old, "/Size 3", &new_len);
  }
  write_bytes (bad, edited, new_len);

  doc = lk_pdf_document_open (bad, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_pdf_document_get_max_object_number (doc), ==, real_max);
  check_roundtrip (f, bad, 595, 842);
}

static void
test_shifted_offsets (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *path = path_in (f, "cairo.pdf");
  g_autofree char *bad = path_in (f, "shifted.pdf");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  const char *all;
  gsize len, new_len;
  double box[4];

  (void) data;
  make_cairo_pdf (path, 3, 595, 842);
  bytes = read_bytes (path);
  all = g_bytes_get_data (bytes, &len);
  /* three bytes after the header line: every xref offset (and startxref)
   * is now three bytes short */
  edited = replace_once (all, len, "\n", "\n%x\n", &new_len);
  write_bytes (bad, edited, new_len);

  doc = lk_pdf_document_open (bad, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_page_count (doc, &error), ==, 3);
  g_assert_no_error (error);
  page = lk_pdf_document_get_page (doc, 2, NULL, NULL, box, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (box[2], ==, 595);
  /* our update's /Prev points to the real xref section */
  g_assert_cmpuint (lk_pdf_document_get_startxref (doc), ==,
                    (gsize) (find_last (edited, new_len, "\nxref") + 1 - edited));

  {
    g_autofree char *out = path_in (f, "shifted-updated.pdf");
    g_autoptr(LkPdfWriter) writer = lk_pdf_writer_new (doc);
    g_autoptr(LkPdfObj) extra = lk_pdf_obj_new_int (7);
    g_autoptr(LkPdfDocument) doc2 = NULL;
    g_autoptr(LkPdfObj) obj = NULL;
    guint num = lk_pdf_writer_add_object (writer, extra);

    lk_pdf_writer_write_to_file (writer, out, &error);
    g_assert_no_error (error);
    doc2 = lk_pdf_document_open (out, &error);
    g_assert_no_error (error);
    g_assert_cmpint (lk_pdf_document_get_page_count (doc2, &error), ==, 3);
    obj = lk_pdf_document_get_object (doc2, num, &error);
    g_assert_no_error (error);
    g_assert_cmpint (lk_pdf_obj_get_int (obj), ==, 7);
  }
}

static void
test_encrypted (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *src = path_in (f, "src.pdf");
  g_autofree char *path = path_in (f, "encrypted.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;

  (void) data;
  if (!need_tool ("qpdf"))
    return;
  make_cairo_pdf (src, 1, 595, 842);
  /* test fixture passwords, not secrets */
  g_assert_cmpint (run (NULL, "qpdf", "--encrypt", "u", "o", "256", "--", src, path, NULL), ==, 0);
  doc = lk_pdf_document_open (path, &error);
  g_assert_null (doc);
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_ENCRYPTED);
}

/* Random byte changes in a real file: errors are fine, crashes are not. */
static void
test_mutations (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *path = path_in (f, "cairo.pdf");
  g_autoptr(GBytes) bytes = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  const guint8 *orig;
  gsize len;

  (void) data;
  make_cairo_pdf (path, 2, 595, 842);
  bytes = read_bytes (path);
  orig = g_bytes_get_data (bytes, &len);
  for (int round = 0; round < 300; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (orig, len);
      g_autoptr(GBytes) mutated = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LkPdfDocument) doc = NULL;
      static const char tokens[] = "0123456789<>[]()/ \nRobjstreamendxref";

      for (int k = 0; k < 4; k++)
        copy[g_rand_int_range (rand, 0, (gint32) len)] =
          (guint8) tokens[g_rand_int_range (rand, 0, sizeof tokens - 1)];
      mutated = g_bytes_new (copy, len);
      doc = lk_pdf_document_open_bytes (mutated, &error);
      if (doc == NULL)
        {
          g_assert_true (error->domain == LK_PDF_ERROR);
          continue;
        }
      if (lk_pdf_document_get_page_count (doc, NULL) > 0)
        {
          g_autoptr(LkPdfObj) page = lk_pdf_document_get_page (doc, 0, NULL, NULL, NULL, NULL);
          g_autoptr(GPtrArray) sigs = lk_pdf_document_get_signature_fields (doc, NULL);
        }
      for (guint n = 1; n <= lk_pdf_document_get_max_object_number (doc); n++)
        {
          g_autoptr(LkPdfObj) obj = lk_pdf_document_get_object (doc, n, NULL);
        }
    }
  g_rand_free (rand);
}

/* A file whose cross-reference data is unusable is rebuilt from a scan
 * of its objects; our update then carries a complete table. */
static void
test_reconstruct (Fixture      *f,
                  gconstpointer data)
{
  const char *how = data;
  g_autofree char *path = path_in (f, "cairo.pdf");
  g_autofree char *bad = path_in (f, "damaged.pdf");
  g_autofree char *out = path_in (f, "damaged-updated.pdf");
  g_autofree char *check = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfDocument) doc2 = NULL;
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) extra = lk_pdf_obj_new_int (42);
  g_autoptr(LkPdfObj) obj = NULL;
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(LkPdfObj) new_catalog = NULL;
  g_autofree char *edited = NULL;
  const char *all;
  gsize len;
  int expected_pages;
  guint num;

  if (!need_tool ("pdfinfo") || !need_tool ("qpdf"))
    return;
  make_cairo_pdf (path, 3, 595, 842);
  expected_pages = pdfinfo_pages (path);
  g_assert_cmpint (expected_pages, ==, 3);
  bytes = read_bytes (path);
  all = g_bytes_get_data (bytes, &len);
  edited = g_memdup2 (all, len);

  if (g_str_equal (how, "startxref"))
    {
      char *at = (char *) find_last (edited, len, "startxref");
      char *digits;

      g_assert_nonnull (at);
      digits = at + strlen ("startxref");
      while (*digits == '\n' || *digits == '\r' || *digits == ' ')
        digits++;
      g_assert_true (g_ascii_isdigit (*digits));
      /* a plausible number that points into the header */
      *digits++ = '1';
      while (g_ascii_isdigit (*digits))
        *digits++ = ' ';
    }
  else if (g_str_equal (how, "xref-zeroed"))
    {
      char *start = (char *) find_last (edited, len, "\nxref");
      char *stop = (char *) find_last (edited, len, "trailer");

      g_assert_true (start != NULL && stop != NULL && stop > start);
      start++;
      memset (start, '0', (gsize) (stop - start));
    }
  else if (g_str_equal (how, "no-trailer"))
    {
      char *start = (char *) find_last (edited, len, "trailer");
      char *stop = (char *) find_last (edited, len, "startxref");

      g_assert_true (start != NULL && stop != NULL && stop > start);
      memset (start, ' ', (gsize) (stop - start));
      g_assert_null (find_first (edited, len, "trailer"));
    }
  else
    g_assert_not_reached ();
  write_bytes (bad, edited, len);

  doc = lk_pdf_document_open (bad, &error);
  g_assert_no_error (error);
  g_assert_true (lk_pdf_document_is_reconstructed (doc));
  g_assert_cmpint (lk_pdf_document_get_page_count (doc, &error), ==, expected_pages);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_document_get_xref_style (doc), ==, LK_PDF_XREF_TABLE);

  /* an intact file is not */
  {
    g_autoptr(LkPdfDocument) good = lk_pdf_document_open (path, &error);

    g_assert_no_error (error);
    g_assert_false (lk_pdf_document_is_reconstructed (good));
  }

  writer = lk_pdf_writer_new (doc);
  num = lk_pdf_writer_add_object (writer, extra);
  catalog = lk_pdf_document_get_catalog (doc, &error);
  g_assert_no_error (error);
  new_catalog = lk_pdf_obj_copy (catalog);
  lk_pdf_obj_dict_take (new_catalog, "LoketTest", lk_pdf_obj_new_ref (num, 0));
  lk_pdf_writer_set_object (writer, lk_pdf_document_get_catalog_number (doc), new_catalog, &error);
  g_assert_no_error (error);
  lk_pdf_writer_write_to_file (writer, out, &error);
  g_assert_no_error (error);

  before = read_bytes (bad);
  after = read_bytes (out);
  g_assert_cmpuint (g_bytes_get_size (after), >, g_bytes_get_size (before));
  g_assert_true (memcmp (g_bytes_get_data (before, NULL), g_bytes_get_data (after, NULL),
                         g_bytes_get_size (before)) == 0);
  {
    gsize alen;
    const char *a = g_bytes_get_data (after, &alen);
    const char *rev = a + g_bytes_get_size (before);
    gsize rev_len = alen - g_bytes_get_size (before);

    /* a complete table, and no /Prev into the broken one */
    g_assert_nonnull (find_first (rev, rev_len, "xref\n0 "));
    g_assert_null (find_first (rev, rev_len, "/Prev"));
  }

  /* qpdf reads the update without having to recover anything */
  g_assert_cmpint (run (&check, "qpdf", "--check", out, NULL), ==, 0);
  g_assert_nonnull (strstr (check, "No syntax or stream encoding errors"));
  g_assert_null (strstr (check, "WARNING"));
  g_assert_cmpint (pdfinfo_pages (out), ==, expected_pages);

  doc2 = lk_pdf_document_open (out, &error);
  g_assert_no_error (error);
  g_assert_false (lk_pdf_document_is_reconstructed (doc2));
  g_assert_cmpint (lk_pdf_document_get_page_count (doc2, &error), ==, expected_pages);
  g_assert_no_error (error);
  obj = lk_pdf_document_get_object (doc2, num, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_obj_get_int (obj), ==, 42);
}

/* Object streams cannot go into a classic table: such a rebuilt file
 * opens, but the writer refuses it. */
static void
test_reconstruct_object_streams (Fixture      *f,
                                 gconstpointer data)
{
  g_autofree char *src = path_in (f, "cairo.pdf");
  g_autofree char *path = path_in (f, "objstm.pdf");
  g_autofree char *out = path_in (f, "objstm-updated.pdf");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) extra = lk_pdf_obj_new_int (1);
  g_autofree char *edited = NULL;
  char *at;
  gsize len;

  (void) data;
  if (!need_tool ("pdfinfo") || !need_tool ("qpdf"))
    return;
  make_cairo_pdf (src, 4, 300, 400);
  g_assert_cmpint (run (NULL, "qpdf", "--object-streams=generate", src, path, NULL), ==, 0);
  bytes = read_bytes (path);
  {
    gconstpointer raw = g_bytes_get_data (bytes, &len);

    edited = g_memdup2 (raw, len);
  }
  g_assert_nonnull (find_first (edited, len, "/ObjStm"));
  at = (char *) find_last (edited, len, "startxref");
  g_assert_nonnull (at);
  at += strlen ("startxref");
  while (!g_ascii_isdigit (*at))
    at++;
  while (g_ascii_isdigit (*at))
    *at++ = 'x';
  write_bytes (path, edited, len);

  doc = lk_pdf_document_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (lk_pdf_document_is_reconstructed (doc));
  g_assert_cmpint (lk_pdf_document_get_page_count (doc, &error), ==, 4);
  g_assert_no_error (error);

  writer = lk_pdf_writer_new (doc);
  lk_pdf_writer_add_object (writer, extra);
  g_assert_false (lk_pdf_writer_write_to_file (writer, out, &error));
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* A header and no objects: nothing to rebuild from. */
static void
test_reconstruct_nothing (void)
{
  const char *texts[] = {
    "%PDF-1.7\n% no objects at all\nstartxref\n9\n%%EOF\n",
    "%PDF-1.7\n1 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Size 2 >>\n%%EOF\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (texts[i], strlen (texts[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(LkPdfDocument) doc = lk_pdf_document_open_bytes (bytes, &error);

      g_assert_null (doc);
      g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_XREF);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func, data) \
  g_test_add (name, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("/pdf/corpus/cairo", test_cairo, NULL);
  ADD ("/pdf/corpus/qpdf-object-streams", test_qpdf, "--object-streams=generate");
  ADD ("/pdf/corpus/qpdf-linearize", test_qpdf, "--linearize");
  ADD ("/pdf/corpus/qpdf-qdf", test_qpdf, "--qdf");
  ADD ("/pdf/corpus/ghostscript", test_ghostscript, NULL);
  ADD ("/pdf/corpus/mutool-clean", test_mutool, NULL);
  ADD ("/pdf/corpus/pdfunite", test_pdfunite, NULL);
  ADD ("/pdf/corpus/hybrid", test_hybrid, NULL);
  ADD ("/pdf/writer/chain", test_chain, NULL);
  ADD ("/pdf/writer/placeholders-table", test_signature_placeholders, "table");
  ADD ("/pdf/writer/placeholders-stream", test_signature_placeholders, "stream");
  g_test_add_func ("/pdf/lexer/objects", test_lexer);
  g_test_add_func ("/pdf/forms/existing-signature", test_existing_signature);
  g_test_add_func ("/pdf/defects/length-mismatch", test_length_mismatch);
  g_test_add_func ("/pdf/defects/missing-endstream", test_missing_endstream);
  g_test_add_func ("/pdf/defects/huge-length", test_huge_length);
  g_test_add_func ("/pdf/defects/deep-nesting", test_deep_nesting);
  g_test_add_func ("/pdf/defects/prev-loop", test_prev_loop);
  g_test_add_func ("/pdf/defects/pages-loop", test_pages_loop);
  g_test_add_func ("/pdf/defects/self-reference", test_self_reference);
  g_test_add_func ("/pdf/defects/empty-and-garbage", test_empty_and_garbage);
  ADD ("/pdf/defects/truncated", test_truncated, NULL);
  ADD ("/pdf/defects/wrong-size", test_wrong_size, NULL);
  ADD ("/pdf/defects/shifted-offsets", test_shifted_offsets, NULL);
  ADD ("/pdf/defects/encrypted", test_encrypted, NULL);
  ADD ("/pdf/defects/reconstruct-startxref", test_reconstruct, "startxref");
  ADD ("/pdf/defects/reconstruct-xref-zeroed", test_reconstruct, "xref-zeroed");
  ADD ("/pdf/defects/reconstruct-no-trailer", test_reconstruct, "no-trailer");
  ADD ("/pdf/defects/reconstruct-object-streams", test_reconstruct_object_streams, NULL);
  g_test_add_func ("/pdf/defects/reconstruct-nothing", test_reconstruct_nothing);
  ADD ("/pdf/defects/mutations", test_mutations, NULL);

  return g_test_run ();
}
