/* test-verify.c — the PAdES verifier and `loketctl verify` against signed, re-signed and tampered files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "pdf/lk-pdf-document.h"
#include "pdf/lk-pdf-object.h"
#include "pdf/lk-pdf-writer.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-verify.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"

#include "lk-test-token.h"
#include "lk-test-tsa.h"
#include "lk-test-util.h"

static LkTestToken *test_token;
static char *work_dir;
static LkTokenKey *rsa_key;
static LkTokenKey *ec_key;

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

/* Runs ARGV: its stdout and stderr, whatever the exit status. */
static char *
run_any (const char * const *argv,
         int                *status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  *status = g_subprocess_get_exit_status (process);
  return g_strconcat (out != NULL ? out : "", err != NULL ? err : "", NULL);
}

/* `loketctl verify [--trust CA [--trust EXTRA_CA]] [--json] PATH`: its
 * output and status. */
static char *
loketctl_verify_full (const char *path,
                      gboolean    trust,
                      const char *extra_ca,
                      gboolean    json,
                      int        *status)
{
  const char *loketctl = g_getenv ("LOKET_CTL_BIN");
  const char *argv[10];
  guint n = 0;
  char *out;

  g_assert_nonnull (loketctl);
  argv[n++] = loketctl;
  argv[n++] = "verify";
  if (trust)
    {
      argv[n++] = "--trust";
      argv[n++] = test_token->ca_pem;
      if (extra_ca != NULL)
        {
          argv[n++] = "--trust";
          argv[n++] = extra_ca;
        }
    }
  if (json)
    argv[n++] = "--json";
  argv[n++] = path;
  argv[n] = NULL;
  out = run_any (argv, status);
  g_test_message ("loketctl verify %s: %d\n%s", path, *status, out);
  return out;
}

static char *
loketctl_verify (const char *path,
                 gboolean    trust,
                 gboolean    json,
                 int        *status)
{
  return loketctl_verify_full (path, trust, NULL, json, status);
}

/* With the test CA and EXTRA_CA as the trust anchors. */
static LkPadesVerifyReport *
verify_with (const char *path,
             const char *extra_ca)
{
  const char *files[] = { test_token->ca_pem, extra_ca, NULL };
  g_autoptr(GError) error = NULL;
  LkPadesVerifyReport *report = lk_pades_verify_file (path, files, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static LkPadesVerifyReport *
verify (const char *path,
        gboolean    trust)
{
  const char *files[] = { test_token->ca_pem, NULL };
  g_autoptr(GError) error = NULL;
  LkPadesVerifyReport *report = lk_pades_verify_file (path, trust ? files : NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static LkPadesSignatureReport *
sig_at (LkPadesVerifyReport *report,
        guint                i)
{
  g_assert_cmpuint (i, <, report->signatures->len);
  return g_ptr_array_index (report->signatures, i);
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *needle)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
make_cairo_pdf (const char *path)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (guint page = 0; page < 2; page++)
    {
      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 18);
      cairo_move_to (cr, 72, 100);
      cairo_show_text (cr, page == 0 ? "Surat izin, halaman 1" : "Surat izin, halaman 2");
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
sign (LkTokenKey *key,
      const char *in,
      const char *out)
{
  g_autoptr(GError) error = NULL;

  lk_pades_sign (key, NULL, NULL, in, out, NULL, &error);
  g_assert_no_error (error);
}

/* Signed once: valid, trusted, the whole document; exit 0. */
static void
test_signed_once (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("once.pdf");
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *text = NULL;
  LkPadesSignatureReport *sig;
  int status = -1;

  sign (rsa_key, in, out);
  report = verify (out, TRUE);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  sig = sig_at (report, 0);
  g_assert_true (sig->byte_range_ok);
  g_assert_true (sig->sub_filter_ok);
  g_assert_cmpstr (sig->sub_filter, ==, "ETSI.CAdES.detached");
  g_assert_true (sig->cms_ok);
  g_assert_true (sig->trusted);
  g_assert_true (sig->valid);
  g_assert_true (sig->covers_whole_document);
  g_assert_cmpint (sig->changes, ==, LK_PADES_CHANGES_NONE);
  g_assert_nonnull (sig->signer_subject);
  g_assert_false (sig->has_timestamp);
  g_assert_cmpuint (sig->problems->len, ==, 0);
  g_assert_true (report->ok);

  text = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "The signature is valid."));
  g_assert_nonnull (strstr (text, "It covers the whole document."));
}

/* Without --trust: valid but not trusted, exit 1 with the reason. */
static void
test_untrusted (void)
{
  g_autofree char *out = work_path ("once.pdf");
  g_autoptr(LkPadesVerifyReport) report = verify (out, FALSE);
  g_autofree char *text = NULL;
  int status = -1;

  g_assert_true (sig_at (report, 0)->valid);
  g_assert_false (sig_at (report, 0)->trusted);
  g_assert_false (report->ok);

  text = loketctl_verify (out, FALSE, FALSE, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (text, "The signature is valid."));
  g_assert_nonnull (strstr (text, "The signer is NOT trusted."));
  g_assert_nonnull (strstr (text, "No trust anchor was given"));
}

/* Signed twice: both valid; the first covers its revision, and what the
 * second revision changes is allowed. */
static void
test_signed_twice (void)
{
  g_autofree char *once = work_path ("once.pdf");
  g_autofree char *out = work_path ("twice.pdf");
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *text = NULL;
  LkPadesSignatureReport *first, *second;
  int status = -1;
  struct stat st;

  sign (ec_key, once, out);
  report = verify (out, TRUE);
  g_assert_cmpuint (report->signatures->len, ==, 2);
  first = sig_at (report, 0);
  second = sig_at (report, 1);
  g_assert_cmpint (g_stat (once, &st), ==, 0);
  g_assert_true (first->valid);
  g_assert_true (first->trusted);
  g_assert_false (first->covers_whole_document);
  g_assert_cmpuint (first->revision_end, ==, (guint64) st.st_size);
  g_assert_cmpint (first->changes, ==, LK_PADES_CHANGES_ALLOWED);
  g_assert_cmpuint (first->allowed_objects->len, >, 0);
  g_assert_cmpuint (first->disallowed_objects->len, ==, 0);
  g_assert_true (second->valid);
  g_assert_true (second->covers_whole_document);
  g_assert_true (report->ok);

  text = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
}

static char *
load (const char *path,
      gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

static void
save (const char *path,
      const char *data,
      gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
}

/* One byte of a signed range changed: the digest does not match. */
static void
test_tamper (void)
{
  g_autofree char *once = work_path ("once.pdf");
  g_autofree char *out = work_path ("tamper.pdf");
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autofree char *data = load (once, &len);
  gsize line2 = 0;
  int status = -1;

  while (line2 < len && data[line2] != '\n')
    line2++;
  line2++;

  /* A byte of the binary comment on line 2: the file still parses. */
  g_assert_cmpuint (line2 + 1, <, len);
  g_assert_cmpint (data[line2], ==, '%');
  data[line2 + 1] ^= 0x01;
  save (out, data, len);

  report = verify (out, TRUE);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  g_assert_true (sig_at (report, 0)->byte_range_ok);
  g_assert_false (sig_at (report, 0)->cms_ok);
  g_assert_false (sig_at (report, 0)->valid);
  g_assert_true (has_problem (sig_at (report, 0)->problems, "digest does not match"));
  g_assert_false (report->ok);

  text = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (text, "The signature is NOT valid."));
}

/* A /ByteRange edited (same width) to leave a byte out: refused. */
static void
test_byte_range_skips (void)
{
  g_autofree char *once = work_path ("once.pdf");
  g_autofree char *out = work_path ("skips.pdf");
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autofree char *data = load (once, &len);
  char *p = NULL;
  int status = -1;

  /* The last /ByteRange (the file holds binary data: no string search). */
  for (gsize i = len - 10; i > 0 && p == NULL; i--)
    if (memcmp (data + i, "/ByteRange", 10) == 0)
      p = data + i;
  g_assert_nonnull (p);
  p += strlen ("/ByteRange");
  while (*p == ' ' || *p == '[')
    p++;
  while (g_ascii_isdigit (*p))   /* 0 */
    p++;
  while (*p == ' ')
    p++;
  while (g_ascii_isdigit (p[1]))  /* to the last digit of the first length */
    p++;
  g_assert_true (g_ascii_isdigit (*p));
  *p = *p > '0' ? (char) (*p - 1) : (char) (*p + 1);
  save (out, data, len);

  report = verify (out, TRUE);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  g_assert_false (sig_at (report, 0)->byte_range_ok);
  g_assert_false (sig_at (report, 0)->valid);
  g_assert_true (has_problem (sig_at (report, 0)->problems, "/ByteRange"));
  g_assert_false (report->ok);

  text = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (text, "some bytes are not signed"));
}

/* An incremental revision after the signature that replaces page 1's
 * content stream: not allowed. */
static void
test_page_content_changed (void)
{
  g_autofree char *once = work_path ("once.pdf");
  g_autofree char *out = work_path ("content.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = lk_pdf_document_open (once, &error);
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  g_autoptr(LkPdfObj) stream = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("0 0 m 500 500 l S\n", 18);
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *text = NULL;
  LkPadesSignatureReport *sig;
  guint contents_num;
  int status = -1;

  g_assert_no_error (error);
  page = lk_pdf_document_get_page (doc, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_obj_get_kind (lk_pdf_obj_dict_get (page, "Contents")), ==, LK_PDF_REF);
  contents_num = lk_pdf_obj_get_ref_num (lk_pdf_obj_dict_get (page, "Contents"));
  stream = lk_pdf_obj_new_stream (lk_pdf_obj_new_dict (), content);
  writer = lk_pdf_writer_new (doc);
  lk_pdf_writer_set_object (writer, contents_num, stream, &error);
  g_assert_no_error (error);
  lk_pdf_writer_write_to_file (writer, out, &error);
  g_assert_no_error (error);

  report = verify (out, TRUE);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  sig = sig_at (report, 0);
  g_assert_true (sig->valid);
  g_assert_true (sig->trusted);
  g_assert_false (sig->covers_whole_document);
  g_assert_cmpint (sig->changes, ==, LK_PADES_CHANGES_NOT_ALLOWED);
  g_assert_cmpuint (sig->disallowed_objects->len, ==, 1);
  g_assert_cmpuint (g_array_index (sig->disallowed_objects, guint, 0), ==, contents_num);
  g_assert_false (report->ok);

  text = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (text, "page content changed"));
}

/* A revision that only adds a text annotation to page 1's /Annots: allowed. */
static void
test_annotation_added (void)
{
  g_autofree char *once = work_path ("once.pdf");
  g_autofree char *out = work_path ("annot.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = lk_pdf_document_open (once, &error);
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  g_autoptr(LkPdfObj) annot = lk_pdf_obj_new_dict ();
  g_autoptr(LkPdfObj) rect = lk_pdf_obj_new_array ();
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *text = NULL;
  LkPadesSignatureReport *sig;
  LkPdfObj *annots;
  guint page_num = 0, page_gen = 0, annot_num;
  int status = -1;

  g_assert_no_error (error);
  page = lk_pdf_document_get_page (doc, 0, &page_num, &page_gen, NULL, &error);
  g_assert_no_error (error);
  writer = lk_pdf_writer_new (doc);

  lk_pdf_obj_array_take (rect, lk_pdf_obj_new_int (100));
  lk_pdf_obj_array_take (rect, lk_pdf_obj_new_int (600));
  lk_pdf_obj_array_take (rect, lk_pdf_obj_new_int (120));
  lk_pdf_obj_array_take (rect, lk_pdf_obj_new_int (620));
  lk_pdf_obj_dict_take (annot, "Type", lk_pdf_obj_new_name ("Annot"));
  lk_pdf_obj_dict_take (annot, "Subtype", lk_pdf_obj_new_name ("Text"));
  lk_pdf_obj_dict_take (annot, "Rect", g_steal_pointer (&rect));
  lk_pdf_obj_dict_take (annot, "Contents", lk_pdf_obj_new_string ((const guint8 *) "Catatan", 7));
  annot_num = lk_pdf_writer_add_object (writer, annot);

  /* The signer put the widget in /Annots: extend it where it is. */
  annots = lk_pdf_obj_dict_get (page, "Annots");
  if (lk_pdf_obj_get_kind (annots) == LK_PDF_REF)
    {
      g_autoptr(LkPdfObj) old = lk_pdf_document_resolve (doc, annots, &error);
      g_autoptr(LkPdfObj) array = NULL;

      g_assert_no_error (error);
      array = lk_pdf_obj_copy (old);
      lk_pdf_obj_array_take (array, lk_pdf_obj_new_ref (annot_num, 0));
      lk_pdf_writer_set_object (writer, lk_pdf_obj_get_ref_num (annots), array, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_autoptr(LkPdfObj) copy = lk_pdf_obj_copy (page);
      LkPdfObj *array = lk_pdf_obj_new_array ();

      g_assert_cmpint (lk_pdf_obj_get_kind (annots), ==, LK_PDF_ARRAY);
      for (guint i = 0; i < lk_pdf_obj_array_length (annots); i++)
        lk_pdf_obj_array_take (array, lk_pdf_obj_copy (lk_pdf_obj_array_get (annots, i)));
      lk_pdf_obj_array_take (array, lk_pdf_obj_new_ref (annot_num, 0));
      lk_pdf_obj_dict_take (copy, "Annots", array);
      lk_pdf_writer_set_object (writer, page_num, copy, &error);
      g_assert_no_error (error);
    }
  lk_pdf_writer_write_to_file (writer, out, &error);
  g_assert_no_error (error);

  report = verify (out, TRUE);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  sig = sig_at (report, 0);
  g_assert_true (sig->valid);
  g_assert_false (sig->covers_whole_document);
  g_assert_cmpint (sig->changes, ==, LK_PADES_CHANGES_ALLOWED);
  g_assert_cmpuint (sig->disallowed_objects->len, ==, 0);
  g_assert_cmpuint (sig->allowed_objects->len, >=, 2);
  g_assert_true (report->ok);

  text = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
}

/* No signature: exit 1, "no signatures". */
static void
test_unsigned (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autoptr(LkPadesVerifyReport) report = verify (in, TRUE);
  g_autofree char *text = NULL;
  int status = -1;

  g_assert_cmpuint (report->signatures->len, ==, 0);
  g_assert_false (report->ok);
  text = loketctl_verify (in, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (text, "The file has no signatures"));
}

/* Usage errors: no file, two files; exit 2. */
static void
test_usage (void)
{
  const char *loketctl = g_getenv ("LOKET_CTL_BIN");
  const char *none[] = { loketctl, "verify", NULL };
  const char *two[] = { loketctl, "verify", "a.pdf", "b.pdf", NULL };
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  int status = -1;

  g_assert_nonnull (loketctl);
  t1 = run_any (none, &status);
  g_assert_cmpint (status, ==, 2);
  t2 = run_any (two, &status);
  g_assert_cmpint (status, ==, 2);
}

/* --json parses and has the documented members. */
static void
test_json (void)
{
  g_autofree char *path = work_path ("twice.pdf");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *root, *sig, *signer;
  JsonArray *sigs;
  int status = -1;

  text = loketctl_verify (path, TRUE, TRUE, &status);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (root, "ok"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "problems")), ==, 0);
  sigs = json_object_get_array_member (root, "signatures");
  g_assert_cmpuint (json_array_get_length (sigs), ==, 2);

  sig = json_array_get_object_element (sigs, 0);
  g_assert_true (json_object_get_boolean_member (sig, "valid"));
  g_assert_true (json_object_get_boolean_member (sig, "trusted"));
  g_assert_true (json_object_get_boolean_member (sig, "cms_ok"));
  g_assert_true (json_object_get_boolean_member (sig, "byte_range_ok"));
  g_assert_true (json_object_get_boolean_member (sig, "sub_filter_ok"));
  g_assert_false (json_object_get_boolean_member (sig, "covers_whole_document"));
  g_assert_cmpstr (json_object_get_string_member (sig, "changes"), ==, "allowed");
  g_assert_cmpstr (json_object_get_string_member (sig, "sub_filter"), ==, "ETSI.CAdES.detached");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sig, "byte_range")), ==, 4);
  g_assert_cmpint (json_object_get_int_member (sig, "revision_end"), >, 0);
  g_assert_true (json_object_has_member (sig, "field"));
  g_assert_true (json_object_has_member (sig, "chain_status"));
  g_assert_true (json_object_has_member (sig, "allowed_objects"));
  g_assert_true (json_object_has_member (sig, "disallowed_objects"));
  g_assert_true (json_object_has_member (sig, "problems"));
  g_assert_true (json_object_get_null_member (sig, "timestamp"));
  signer = json_object_get_object_member (sig, "signer");
  g_assert_nonnull (signer);
  g_assert_nonnull (json_object_get_string_member (signer, "subject"));
  g_assert_nonnull (json_object_get_string_member (signer, "serial"));
  g_assert_cmpint (json_object_get_int_member (signer, "not_after"), >,
                   json_object_get_int_member (signer, "not_before"));

  sig = json_array_get_object_element (sigs, 1);
  g_assert_true (json_object_get_boolean_member (sig, "covers_whole_document"));
  g_assert_cmpstr (json_object_get_string_member (sig, "changes"), ==, "none");
}

/* A file signed by poppler's pdfsig (NSS, a software key with a
 * certificate from the test CA, imported as PKCS#12): its BER CMS reads
 * and verifies. */
static void
test_pdfsig (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("pdfsig.pdf");
  g_autofree char *dir = work_path ("pdfsig");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *text = NULL;
  LkPadesSignatureReport *sig;
  int status = -1;

  if (g_find_program_in_path ("pk12util") == NULL)
    {
      g_test_skip ("pk12util (libnss3-tools) is not installed");
      return;
    }
  lk_test_pdfsig_sign (test_token, dir, 77, in, out, &error);
  g_assert_no_error (error);

  report = verify (out, TRUE);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  sig = sig_at (report, 0);
  g_test_message ("pdfsig SubFilter %s", sig->sub_filter);
  g_assert_true (sig->byte_range_ok);
  g_assert_true (sig->sub_filter_ok);
  g_assert_true (sig->cms_ok);
  g_assert_true (sig->trusted);
  g_assert_true (sig->covers_whole_document);
  g_assert_true (report->ok);

  text = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
}

/* PAdES B-T from a TSA on loopback, then a visible second signature:
 * the timestamp checks, its TSA is trusted only with the TSA's CA among
 * the anchors (without it the signature stays valid but the verdict fails),
 * and the visible signature's revision (appearance streams, widget,
 * /Annots) is an allowed change. */
static void
test_timestamp_and_visible (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("bt.pdf");
  g_autofree char *out2 = work_path ("bt-visible.pdf");
  g_autofree char *tsa_dir = work_path ("tsa");
  g_autoptr(LkTestTsa) tsa = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autoptr(LkPadesVerifyReport) report2 = NULL;
  g_autoptr(LkPadesVerifyReport) untrusted = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_untrusted = NULL;
  g_autofree char *json = NULL;
  JsonObject *timestamp;
  LkPadesOptions opts = { 0, };
  LkPadesOptions visible = { 0, };
  LkPadesSignatureReport *sig;
  int status = -1;

  g_assert_cmpint (g_mkdir (tsa_dir, 0700), ==, 0);
  tsa = lk_test_tsa_new (tsa_dir, &error);
  g_assert_no_error (error);
  opts.tsa_url = tsa->url;
  lk_pades_sign (rsa_key, NULL, &opts, in, out, NULL, &error);
  g_assert_no_error (error);

  report = verify_with (out, tsa->ca_pem);
  g_assert_cmpuint (report->signatures->len, ==, 1);
  sig = sig_at (report, 0);
  g_assert_true (sig->has_timestamp);
  g_assert_true (sig->timestamp_ok);
  g_assert_true (sig->timestamp_trusted);
  g_assert_cmpint (sig->timestamp_time, >, 1700000000);
  g_assert_true (sig->valid);
  g_assert_cmpuint (sig->problems->len, ==, 0);
  g_assert_true (report->ok);
  text = loketctl_verify_full (out, TRUE, tsa->ca_pem, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "Timestamp: valid"));
  g_assert_nonnull (strstr (text, "The timestamp authority is trusted."));

  /* The signer's CA only: the signature holds (B-B), the TSA does not. */
  untrusted = verify (out, TRUE);
  sig = sig_at (untrusted, 0);
  g_assert_true (sig->valid);
  g_assert_true (sig->trusted);
  g_assert_true (sig->timestamp_ok);
  g_assert_false (sig->timestamp_trusted);
  g_assert_true (has_problem (sig->problems, "timestamp authority’s certificate does not chain"));
  g_assert_false (untrusted->ok);
  g_assert_true (has_problem (untrusted->problems, "not from a trusted timestamp authority"));
  text_untrusted = loketctl_verify (out, TRUE, FALSE, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (text_untrusted, "The signature is valid."));
  g_assert_nonnull (strstr (text_untrusted, "The timestamp authority is NOT trusted."));
  g_assert_nonnull (strstr (text_untrusted, "not from a trusted timestamp authority"));

  /* The JSON says the same. */
  json = loketctl_verify_full (out, TRUE, tsa->ca_pem, TRUE, &status);
  g_assert_cmpint (status, ==, 0);
  parser = json_parser_new ();
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  timestamp = json_object_get_object_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "signatures"), 0),
    "timestamp");
  g_assert_true (json_object_get_boolean_member (timestamp, "ok"));
  g_assert_true (json_object_get_boolean_member (timestamp, "trusted"));
  g_clear_pointer (&json, g_free);
  json = loketctl_verify_full (out, TRUE, NULL, TRUE, &status);
  g_assert_cmpint (status, ==, 1);
  g_clear_object (&parser);
  parser = json_parser_new ();
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  timestamp = json_object_get_object_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "signatures"), 0),
    "timestamp");
  g_assert_true (json_object_get_boolean_member (timestamp, "ok"));
  g_assert_false (json_object_get_boolean_member (timestamp, "trusted"));

  visible.reason = "Disetujui";
  visible.visible = TRUE;
  visible.page = 1;
  visible.rect[0] = 300;
  visible.rect[1] = 100;
  visible.rect[2] = 200;
  visible.rect[3] = 60;
  lk_pades_sign (ec_key, NULL, &visible, out, out2, NULL, &error);
  g_assert_no_error (error);
  report2 = verify_with (out2, tsa->ca_pem);
  g_assert_cmpuint (report2->signatures->len, ==, 2);
  g_assert_cmpint (sig_at (report2, 0)->changes, ==, LK_PADES_CHANGES_ALLOWED);
  g_assert_cmpuint (sig_at (report2, 0)->disallowed_objects->len, ==, 0);
  g_assert_true (sig_at (report2, 0)->timestamp_ok);
  g_assert_true (sig_at (report2, 1)->valid);
  g_assert_true (report2->ok);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cairo_pdf = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-verify", TRUE, &error);
  g_assert_no_error (error);
  lk_token_init (lk_test_token_module_path (), &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  ec_key = lk_token_key_open (test_token->ec_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);

  work_dir = lk_test_make_tmpdir ("verify");
  cairo_pdf = work_path ("cairo.pdf");
  make_cairo_pdf (cairo_pdf);

  /* In order: later tests use once.pdf and twice.pdf. */
  g_test_add_func ("/sign/verify/signed-once", test_signed_once);
  g_test_add_func ("/sign/verify/untrusted", test_untrusted);
  g_test_add_func ("/sign/verify/signed-twice", test_signed_twice);
  g_test_add_func ("/sign/verify/tamper", test_tamper);
  g_test_add_func ("/sign/verify/byte-range-skips", test_byte_range_skips);
  g_test_add_func ("/sign/verify/page-content-changed", test_page_content_changed);
  g_test_add_func ("/sign/verify/annotation-added", test_annotation_added);
  g_test_add_func ("/sign/verify/unsigned", test_unsigned);
  g_test_add_func ("/sign/verify/usage", test_usage);
  g_test_add_func ("/sign/verify/json", test_json);
  g_test_add_func ("/sign/verify/pdfsig", test_pdfsig);
  g_test_add_func ("/sign/verify/timestamp-and-visible", test_timestamp_and_visible);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  g_clear_object (&ec_key);
  lk_test_rm_rf (work_dir);
  g_free (work_dir);
  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
