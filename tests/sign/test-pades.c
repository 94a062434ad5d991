/* test-pades.c — PAdES B-B and B-T signatures, invisible and visible, checked by poppler's pdfsig, OpenSSL and qpdf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "pdf/lk-pdf-document.h"
#include "pdf/lk-pdf-object.h"
#include "sign/lk-cms.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-appearance.h"
#include "sign/lk-pades-verify.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"
#include "sign/lk-tsa.h"

#include "lk-test-token.h"
#include "lk-test-tsa.h"
#include "lk-test-util.h"

static LkTestToken *test_token;
static LkTestToken *pin_token;   /* the wrong-PIN test may use up its tries */
static char *work_dir;
static char *nss_dir;            /* "sql:DIR", trusting the test CA */
static char *nss_pin_dir;        /* trusting the PIN token's CA */
static LkTokenKey *rsa_key;
static LkTokenKey *ec_key;
static guint pin_calls;
static LkTestTsa *tsa;

static char *
counting_pin_cb (const char      *token_label,
                 LkTokenPinFlags  flags,
                 guint            attempt,
                 gpointer         user_data)
{
  guint *calls = user_data;

  (*calls)++;
  return attempt == 0 ? g_strdup (LK_TEST_TOKEN_PIN) : NULL;
}

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static void
run_ok (const char * const *argv)
{
  g_autoptr(GError) error = NULL;

  lk_test_run (argv, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Runs ARGV; its stdout (and stderr appended) whatever the exit status. */
static char *
run_any (const char * const *argv,
         const char * const *env_extra,
         int                *status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env_extra[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (status != NULL)
    *status = g_subprocess_get_exit_status (process);
  return g_strconcat (out != NULL ? out : "", err != NULL ? err : "", NULL);
}

static void
make_cairo_pdf (const char *path)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (guint page = 0; page < 2; page++)
    {
      g_autofree char *text = g_strdup_printf ("Surat keterangan, halaman %u", page + 1);

      cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 18);
      cairo_move_to (cr, 72, 100);
      cairo_show_text (cr, text);
      cairo_rectangle (cr, 72, 120, 200, 50);
      cairo_stroke (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static const char *corpus[] = { "cairo.pdf", "objstm.pdf", "linear.pdf", "gs.pdf", "unite.pdf",
                                 "mutool.pdf", "mutool-gggg.pdf", "pdfsig.pdf" };

/* A file already signed by poppler's pdfsig -add-signature: NSS with a
 * software key and a certificate from the test CA, imported as PKCS#12
 * (as in test-verify.c). */
static void
make_pdfsig_signed (const char *in,
                    const char *out)
{
  g_autofree char *dir = work_path ("pdfsig");
  g_autoptr(GError) error = NULL;

  lk_test_pdfsig_sign (test_token, dir, 78, in, out, &error);
  g_assert_no_error (error);
}

static void
make_corpus (void)
{
  g_autofree char *cairo_pdf = work_path ("cairo.pdf");
  g_autofree char *objstm = work_path ("objstm.pdf");
  g_autofree char *linear = work_path ("linear.pdf");
  g_autofree char *gs = work_path ("gs.pdf");
  g_autofree char *unite = work_path ("unite.pdf");
  g_autofree char *gs_out = g_strconcat ("-sOutputFile=", gs, NULL);

  make_cairo_pdf (cairo_pdf);
  {
    const char *argv[] = { "qpdf", "--object-streams=generate", cairo_pdf, objstm, NULL };
    run_ok (argv);
  }
  {
    const char *argv[] = { "qpdf", "--linearize", cairo_pdf, linear, NULL };
    run_ok (argv);
  }
  {
    const char *argv[] = { "gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite",
                           gs_out, cairo_pdf, NULL };
    run_ok (argv);
  }
  {
    const char *argv[] = { "pdfunite", cairo_pdf, gs, unite, NULL };
    run_ok (argv);
  }
  {
    g_autofree char *mutool = work_path ("mutool.pdf");
    const char *argv[] = { "mutool", "clean", cairo_pdf, mutool, NULL };
    run_ok (argv);
  }
  {
    g_autofree char *mutool = work_path ("mutool-gggg.pdf");
    const char *argv[] = { "mutool", "clean", "-gggg", cairo_pdf, mutool, NULL };
    run_ok (argv);
  }
  {
    g_autofree char *signed_pdf = work_path ("pdfsig.pdf");

    make_pdfsig_signed (cairo_pdf, signed_pdf);
  }
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

/* pdfsig's report, split per "Signature #N:" (index 0 is the header). */
static char **
pdfsig_db (const char *path,
           const char *db)
{
  const char *argv[] = { "pdfsig", "-nssdir", db, path, NULL };
  g_autofree char *out = run_any (argv, NULL, NULL);

  g_test_message ("pdfsig %s:\n%s", path, out);
  return g_regex_split_simple ("Signature #[0-9]+:", out, 0, 0);
}

static char **
pdfsig (const char *path)
{
  return pdfsig_db (path, nss_dir);
}

static void
assert_pdfsig_valid_db (const char *path,
                        guint       n_signatures,
                        const char *db)
{
  g_auto(GStrv) parts = pdfsig_db (path, db);

  g_assert_cmpuint (g_strv_length (parts), ==, n_signatures + 1);
  for (guint i = 1; i <= n_signatures; i++)
    {
      g_assert_nonnull (strstr (parts[i], "Signature is Valid"));
      g_assert_nonnull (strstr (parts[i], "Certificate is Trusted"));
      if (i == n_signatures)
        g_assert_nonnull (strstr (parts[i], "Total document signed"));
      else
        g_assert_nonnull (strstr (parts[i], "Not total document signed"));
    }
}

static void
assert_pdfsig_valid (const char *path,
                     guint       n_signatures)
{
  assert_pdfsig_valid_db (path, n_signatures, nss_dir);
}

/* The newest signature field (by /ByteRange end) of PATH. */
static LkPdfSigField *
newest_signature (const char *path,
                  guint      *n_fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = lk_pdf_document_open (path, &error);
  g_autoptr(GPtrArray) fields = NULL;
  guint best = 0;

  g_assert_no_error (error);
  fields = lk_pdf_document_get_signature_fields (doc, &error);
  g_assert_no_error (error);
  *n_fields = fields->len;
  g_assert_cmpuint (fields->len, >, 0);
  for (guint i = 1; i < fields->len; i++)
    if (((LkPdfSigField *) g_ptr_array_index (fields, i))->contents_offset >
        ((LkPdfSigField *) g_ptr_array_index (fields, best))->contents_offset)
      best = i;
  return g_ptr_array_steal_index (fields, best);
}

/* Leaves the signature's CMS (its DER without padding) in sig.der. */
static void
openssl_verify (const char    *path,
                LkPdfSigField *sig)
{
  g_autoptr(GBytes) file = read_file (path);
  gsize size;
  const guint8 *data = g_bytes_get_data (file, &size);
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autoptr(GByteArray) der = g_byte_array_new ();
  g_autofree char *content_path = work_path ("content.bin");
  g_autofree char *der_path = work_path ("sig.der");
  g_autoptr(GError) error = NULL;
  gsize der_len;

  g_assert_cmpuint (sig->n_byte_range, ==, 4);
  g_assert_cmpint (sig->byte_range[0], ==, 0);
  g_assert_cmpint (sig->byte_range[1], ==, sig->contents_offset);
  g_assert_cmpint (sig->byte_range[2], ==, sig->contents_end);
  g_assert_cmpint (sig->byte_range[2] + sig->byte_range[3], ==, (gint64) size);
  g_assert_cmpint (data[sig->contents_offset], ==, '<');
  g_assert_cmpint (data[sig->contents_end - 1], ==, '>');

  g_byte_array_append (content, data, sig->byte_range[1]);
  g_byte_array_append (content, data + sig->byte_range[2], sig->byte_range[3]);
  for (gint64 i = sig->contents_offset + 1; i + 1 < sig->contents_end - 1; i += 2)
    {
      char hex[3] = { (char) data[i], (char) data[i + 1], '\0' };
      guint8 b = (guint8) g_ascii_strtoull (hex, NULL, 16);

      g_byte_array_append (der, &b, 1);
    }
  /* SEQUENCE with a two-byte length: the DER without the zero padding. */
  g_assert_cmpuint (der->len, >, 4);
  g_assert_cmpint (der->data[0], ==, 0x30);
  g_assert_cmpint (der->data[1], ==, 0x82);
  der_len = 4 + ((gsize) der->data[2] << 8) + der->data[3];
  g_assert_cmpuint (der_len, <=, der->len);
  g_byte_array_set_size (der, der_len);

  g_file_set_contents (content_path, (const char *) content->data, content->len, &error);
  g_assert_no_error (error);
  g_file_set_contents (der_path, (const char *) der->data, der->len, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { "openssl", "cms", "-verify", "-inform", "DER", "-binary",
                           "-content", content_path, "-in", der_path,
                           "-CAfile", test_token->ca_pem, "-purpose", "any",
                           "-out", "/dev/null", NULL };
    int status = -1;
    g_autofree char *out = run_any (argv, NULL, &status);

    g_test_message ("openssl cms -verify: %s", out);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "Verification successful"));
  }
}

static void
assert_prefix (const char *in,
               const char *out)
{
  g_autoptr(GBytes) a = read_file (in);
  g_autoptr(GBytes) b = read_file (out);

  g_assert_cmpuint (g_bytes_get_size (b), >, g_bytes_get_size (a));
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (a));
}

static void
check_signed (const char *in,
              const char *out,
              guint       n_signatures)
{
  LkPdfSigField *sig;
  guint n_fields = 0;

  assert_prefix (in, out);
  assert_pdfsig_valid (out, n_signatures);
  sig = newest_signature (out, &n_fields);
  g_assert_cmpuint (n_fields, ==, n_signatures);
  openssl_verify (out, sig);
  lk_pdf_sig_field_free (sig);
  {
    const char *argv[] = { "qpdf", "--check", out, NULL };
    run_ok (argv);
  }
}

typedef struct
{
  const char *input;
  gboolean    ec;
} CorpusCase;

static guint
count_signatures (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = lk_pdf_document_open (path, &error);
  g_autoptr(GPtrArray) fields = NULL;

  g_assert_no_error (error);
  fields = lk_pdf_document_get_signature_fields (doc, &error);
  g_assert_no_error (error);
  return fields->len;
}

/* Our verifier: every signature valid and trusted, each but the last
 * followed only by allowed changes. */
static void
assert_verifier_ok (const char *path,
                    guint       n_signatures)
{
  const char *trust[] = { test_token->ca_pem, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPadesVerifyReport) report = lk_pades_verify_file (path, trust, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (report->signatures->len, ==, n_signatures);
  for (guint i = 0; i < n_signatures; i++)
    {
      LkPadesSignatureReport *sig = g_ptr_array_index (report->signatures, i);

      g_assert_true (sig->valid);
      g_assert_true (sig->cms_ok);
      g_assert_true (sig->trusted);
      g_assert_cmpint (sig->changes, ==, i + 1 == n_signatures ? LK_PADES_CHANGES_NONE
                                                                : LK_PADES_CHANGES_ALLOWED);
    }
  g_assert_true (report->ok);

  /* And the command other tools rely on: exit 0. */
  {
    const char *argv[] = { g_getenv ("LOKET_CTL_BIN"), "verify", "--trust", test_token->ca_pem, path, NULL };
    int status = -1;
    g_autofree char *text = NULL;

    g_assert_nonnull (argv[0]);
    text = run_any (argv, NULL, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (text, "valid"));
  }
}

static void
test_sign_corpus (gconstpointer data)
{
  const CorpusCase *c = data;
  LkTokenKey *key = c->ec ? ec_key : rsa_key;
  g_autofree char *in = work_path (c->input);
  g_autofree char *out = g_strdup_printf ("%s/%s-%s.pdf", work_dir, c->input, c->ec ? "ec" : "rsa");
  g_autofree char *out2 = g_strdup_printf ("%s/%s-%s-2.pdf", work_dir, c->input, c->ec ? "ec" : "rsa");
  LkPadesOptions opts = { "Persetujuan izin usaha", "Kota Bandung", "Petugas Loket", NULL, NULL };
  g_autoptr(GError) error = NULL;
  /* pdfsig.pdf already carries poppler's signature */
  guint before = count_signatures (in);

  g_assert_cmpuint (before, ==, g_str_equal (c->input, "pdfsig.pdf") ? 1 : 0);
  lk_pades_sign (key, NULL, &opts, in, out, NULL, &error);
  g_assert_no_error (error);
  check_signed (in, out, before + 1);
  assert_verifier_ok (out, before + 1);

  /* Signed again, by the other key: both valid, the first no longer
   * covers the whole file. (With the same certificate twice, poppler
   * 22.12's pdfsig cannot validate the second certificate unless it is in
   * the NSS database — its own signatures too: see test_same_key_twice.) */
  lk_pades_sign (c->ec ? rsa_key : ec_key, NULL, NULL, out, out2, NULL, &error);
  g_assert_no_error (error);
  check_signed (out, out2, before + 2);
  assert_verifier_ok (out2, before + 2);
}

/* A file whose startxref is garbled: the reader rebuilds the table, and
 * the signed revision carries a complete table that every reader uses. */
static void
test_reconstructed (void)
{
  g_autofree char *src = work_path ("cairo.pdf");
  g_autofree char *in = work_path ("garbled.pdf");
  g_autofree char *out = work_path ("garbled-signed.pdf");
  g_autoptr(GBytes) bytes = read_file (src);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;
  char *at;

  {
    gconstpointer raw = g_bytes_get_data (bytes, &len);

    data = g_memdup2 (raw, len);
  }
  /* binary-safe: the file holds NUL bytes */
  at = NULL;
  for (gsize i = len >= 9 ? len - 9 + 1 : 0; i-- > 0 && at == NULL;)
    if (memcmp (data + i, "startxref", 9) == 0)
      at = data + i;
  g_assert_nonnull (at);
  at += strlen ("startxref");
  while (!g_ascii_isdigit (*at))
    at++;
  while (g_ascii_isdigit (*at))
    *at++ = 'x';
  g_file_set_contents (in, data, (gssize) len, &error);
  g_assert_no_error (error);
  {
    g_autoptr(LkPdfDocument) doc = lk_pdf_document_open (in, &error);

    g_assert_no_error (error);
    g_assert_true (lk_pdf_document_is_reconstructed (doc));
  }

  lk_pades_sign (rsa_key, NULL, NULL, in, out, NULL, &error);
  g_assert_no_error (error);
  check_signed (in, out, 1);
  assert_verifier_ok (out, 1);
}

/* The same key twice: both signatures valid (pdfsig checks the
 * certificate of the first only; see above). */
static void
test_same_key_twice (void)
{
  g_autofree char *in = work_path ("gs.pdf");
  g_autofree char *out = work_path ("twice-1.pdf");
  g_autofree char *out2 = work_path ("twice-2.pdf");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;

  lk_pades_sign (rsa_key, NULL, NULL, in, out, NULL, &error);
  g_assert_no_error (error);
  lk_pades_sign (rsa_key, NULL, NULL, out, out2, NULL, &error);
  g_assert_no_error (error);
  assert_prefix (out, out2);
  parts = pdfsig (out2);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_nonnull (strstr (parts[1], "Signature is Valid"));
  g_assert_nonnull (strstr (parts[1], "Certificate is Trusted"));
  g_assert_nonnull (strstr (parts[1], "Not total document signed"));
  g_assert_nonnull (strstr (parts[2], "Signature is Valid"));
  g_assert_nonnull (strstr (parts[2], "Total document signed"));
  g_assert_nonnull (strstr (parts[2], "Signature Field Name: Signature 2"));
}

static void
test_tamper (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("tamper.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  const char *nl;
  g_auto(GStrv) parts = NULL;

  lk_pades_sign (rsa_key, NULL, NULL, in, out, NULL, &error);
  g_assert_no_error (error);
  parts = pdfsig (out);
  g_assert_nonnull (strstr (parts[1], "Signature is Valid"));
  g_clear_pointer (&parts, g_strfreev);

  /* A byte of the binary comment on line 2: the file still parses. */
  g_file_get_contents (out, &data, &len, &error);
  g_assert_no_error (error);
  nl = memchr (data, '\n', len);
  g_assert_nonnull (nl);
  g_assert_cmpint (nl[1], ==, '%');
  data[nl - data + 2] ^= 0x01;
  g_file_set_contents (out, data, len, &error);
  g_assert_no_error (error);

  parts = pdfsig (out);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_assert_null (strstr (parts[1], "Signature is Valid"));
  g_assert_true (strstr (parts[1], "Digest Mismatch") != NULL ||
                 strstr (parts[1], "Signature is Invalid") != NULL);
}

static void
test_encrypted (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *enc = work_path ("encrypted.pdf");
  g_autofree char *out = work_path ("encrypted-signed.pdf");
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "qpdf", "--encrypt", "user", "owner", "256", "--", in, enc, NULL };

  run_ok (argv);
  g_assert_false (lk_pades_sign (rsa_key, NULL, NULL, enc, out, NULL, &error));
  g_test_message ("encrypted: %s", error->message);
  g_assert_error (error, LK_PDF_ERROR, LK_PDF_ERROR_ENCRYPTED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static char *
make_truncated (const char *name)
{
  g_autofree char *in = work_path ("cairo.pdf");
  char *path = work_path (name);
  g_autoptr(GBytes) bytes = read_file (in);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes) / 2, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_truncated (void)
{
  g_autofree char *in = make_truncated ("truncated.pdf");
  g_autofree char *out = work_path ("truncated-signed.pdf");
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_pades_sign (rsa_key, NULL, NULL, in, out, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("truncated: %s", error->message);
  g_assert_true (error->domain == LK_PDF_ERROR);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* One login for three files, one of them truncated: two signed. */
static void
test_batch (void)
{
  guint calls = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autofree char *bad = make_truncated ("batch-bad.pdf");
  g_autofree char *good1 = work_path ("cairo.pdf");
  g_autofree char *good2 = work_path ("gs.pdf");
  const char *inputs[] = { good1, bad, good2 };
  guint signed_ok = 0, failed = 0;

  /* The PIN token: no key of this process has logged in to it yet (a
   * login holds for the whole token, so the test token asks no more). */
  key = lk_token_key_open (pin_token->ec_key_url, NULL, counting_pin_cb, &calls, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/batch-%u.pdf", work_dir, i);
      g_autoptr(GError) sign_error = NULL;

      if (lk_pades_sign (key, NULL, NULL, inputs[i], out, NULL, &sign_error))
        {
          signed_ok++;
          assert_pdfsig_valid_db (out, 1, nss_pin_dir);
        }
      else
        {
          failed++;
          g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
        }
    }
  g_assert_cmpuint (signed_ok, ==, 2);
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (calls, ==, 1);
}

/* Without --chain, loketctl takes the signer's issuers from the token: the
 * CMS then carries the CA certificate too. Runs after the other tests of
 * this token, since it adds the CA certificate to it. */
static void
test_cli_chain_from_token (void)
{
  const char *loketctl = g_getenv ("LOKET_CTL_BIN");
  const char *module = lk_test_token_module_path ();
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("cli-chain.pdf");
  g_autofree char *der_path = work_path ("sig.der");
  const char *env[] = { "LOKET_TEST_PIN=" LK_TEST_TOKEN_PIN, NULL };
  const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                         "--pin-env", "LOKET_TEST_PIN", "--module", module, in, out, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(LkCmsSignedData) cms = NULL;
  g_autofree char *text = NULL;
  int status = -1;

  g_assert_true (lk_test_token_add_certificate (test_token, test_token->ca_pem, "loket-test-ca", &error));
  g_assert_no_error (error);

  text = run_any (argv, env, &status);
  g_test_message ("loketctl sign (chain from the token): %s", text);
  g_assert_cmpint (status, ==, 0);
  check_signed (in, out, 1);

  /* check_signed leaves the signature's DER in sig.der. */
  der = read_file (der_path);
  cms = lk_cms_parse (der, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_cms_signed_data_get_certificates (cms)->len, ==, 2);
}

static void
test_cli (void)
{
  const char *loketctl = g_getenv ("LOKET_CTL_BIN");
  const char *module = lk_test_token_module_path ();
  g_autofree char *in = work_path ("objstm.pdf");
  g_autofree char *in2 = work_path ("linear.pdf");
  g_autofree char *bad = make_truncated ("cli-bad.pdf");
  g_autofree char *out = work_path ("cli-signed.pdf");
  g_autofree char *out_dir = work_path ("cli-out");
  const char *env[] = { "LOKET_TEST_PIN=" LK_TEST_TOKEN_PIN, NULL };
  const char *wrong_env[] = { "LOKET_TEST_PIN=0000", NULL };
  int status = -1;

  g_assert_nonnull (loketctl);
  g_assert_nonnull (module);
  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);

  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--reason", "Disetujui", "--location", "Bandung",
                           "--chain", test_token->ca_pem, in, out, NULL };
    g_autofree char *text = run_any (argv, env, &status);

    g_test_message ("loketctl sign: %s", text);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (text, ": signed"));
    g_assert_null (strstr (text, LK_TEST_TOKEN_PIN));
    check_signed (in, out, 1);
  }

  /* Batch: two signed, one error, exit 1. */
  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->ec_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--out-dir", out_dir, in, bad, in2, NULL };
    g_autofree char *text = run_any (argv, env, &status);
    g_autofree char *o1 = g_build_filename (out_dir, "objstm.pdf", NULL);
    g_autofree char *o2 = g_build_filename (out_dir, "cli-bad.pdf", NULL);
    g_autofree char *o3 = g_build_filename (out_dir, "linear.pdf", NULL);
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    guint n_signed = 0, n_error = 0;

    g_test_message ("loketctl sign --out-dir: %s", text);
    g_assert_cmpint (status, ==, 1);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (g_str_has_suffix (lines[i], ": signed"))
          n_signed++;
        if (strstr (lines[i], ": error: ") != NULL)
          {
            g_assert_true (g_str_has_prefix (lines[i], bad));
            n_error++;
          }
      }
    g_assert_cmpuint (n_signed, ==, 2);
    g_assert_cmpuint (n_error, ==, 1);
    check_signed (in, o1, 1);
    check_signed (in2, o3, 1);
    g_assert_false (g_file_test (o2, G_FILE_TEST_EXISTS));
  }

  /* A wrong PIN: an error, no output. */
  {
    g_autofree char *wrong_out = work_path ("cli-wrong-pin.pdf");
    const char *argv[] = { loketctl, "sign", "--key", pin_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           in, wrong_out, NULL };
    g_autofree char *text = run_any (argv, wrong_env, &status);

    g_test_message ("wrong PIN: %s", text);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (text, "PIN"));
    g_assert_null (strstr (text, "0000"));
    g_assert_false (g_file_test (wrong_out, G_FILE_TEST_EXISTS));
  }

  /* No PIN source and no terminal: a usage error before any login. */
  {
    g_autofree char *no_out = work_path ("cli-no-pin.pdf");
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--module", module, in, no_out, NULL };
    g_autofree char *text = run_any (argv, NULL, &status);

    g_assert_cmpint (status, ==, 2);
    g_assert_false (g_file_test (no_out, G_FILE_TEST_EXISTS));
  }
}

/* B-T: the CMS has a signatureTimeStampToken from the loopback TSA, and
 * the signature stays valid for pdfsig and OpenSSL. */
static void
test_timestamp (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("cairo-bt.pdf");
  g_autofree char *der_path = work_path ("sig.der");
  g_autofree char *bad_out = work_path ("cairo-bt-bad.pdf");
  LkPadesOptions opts = { "Persetujuan", "Bandung", NULL, NULL, NULL, NULL, FALSE, 0, { 0, } };
  g_autoptr(GError) error = NULL;
  guint before = g_atomic_int_get ((gint *) &tsa->n_requests);

  opts.tsa_url = tsa->url;
  lk_pades_sign (ec_key, NULL, &opts, in, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_atomic_int_get ((gint *) &tsa->n_requests), ==, before + 1);
  check_signed (in, out, 1);
  {
    const char *argv[] = { "openssl", "cms", "-cmsout", "-print", "-inform", "DER",
                           "-in", der_path, "-noout", NULL };
    g_autofree char *text = run_any (argv, NULL, NULL);

    g_assert_nonnull (strstr (text, "id-smime-aa-timeStampToken"));
  }

  /* A TSA that cannot be reached: an error, no output. */
  opts.tsa_url = "http://127.0.0.1:1/tsa";
  g_assert_false (lk_pades_sign (ec_key, NULL, &opts, in, bad_out, NULL, &error));
  g_assert_error (error, LK_TSA_ERROR, LK_TSA_ERROR_NETWORK);
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
}

/* pdftoppm's page 1 of PATH at 50 dpi. */
static cairo_surface_t *
render_page (const char *path,
             const char *name)
{
  g_autofree char *prefix = work_path (name);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  const char *argv[] = { "pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile",
                         path, prefix, NULL };
  cairo_surface_t *surface;

  run_ok (argv);
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

/* The signed page differs from the unsigned one inside RECT (x, y, w, h in
 * points from the lower-left corner of an A4 page), and nowhere else. */
static void
assert_drawn_in (const char   *unsigned_path,
                 const char   *signed_path,
                 const double  rect[4])
{
  cairo_surface_t *a = render_page (unsigned_path, "render-a");
  cairo_surface_t *b = render_page (signed_path, "render-b");
  int width = cairo_image_surface_get_width (a);
  int height = cairo_image_surface_get_height (a);
  int stride = cairo_image_surface_get_stride (a);
  double scale = height / 842.0;
  double x0 = rect[0] * scale, x1 = (rect[0] + rect[2]) * scale;
  double y0 = height - (rect[1] + rect[3]) * scale, y1 = height - rect[1] * scale;
  guint inside = 0, outside = 0;

  g_assert_cmpint (width, ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (height, ==, cairo_image_surface_get_height (b));
  g_assert_cmpint (stride, ==, cairo_image_surface_get_stride (b));
  g_assert_cmpint (cairo_image_surface_get_format (a), ==, cairo_image_surface_get_format (b));
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint32 *pa = (const guint32 *) (cairo_image_surface_get_data (a) + y * stride) + x;
        const guint32 *pb = (const guint32 *) (cairo_image_surface_get_data (b) + y * stride) + x;
        gboolean differs = (*pa & 0xffffff) != (*pb & 0xffffff);

        if (x > x0 + 1 && x < x1 - 1 && y > y0 + 1 && y < y1 - 1)
          inside += differs;
        else if (x < x0 - 2 || x > x1 + 2 || y < y0 - 2 || y > y1 + 2)
          outside += differs;
      }
  g_test_message ("pixels changed: %u inside the rectangle, %u outside", inside, outside);
  g_assert_cmpuint (inside, >, 20);
  g_assert_cmpuint (outside, ==, 0);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

static void
test_visible (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("cairo-visible.pdf");
  g_autofree char *bad_out = work_path ("cairo-visible-bad.pdf");
  LkPadesOptions opts = { "Persetujuan izin usaha", "Kota Bandung", NULL, NULL, NULL,
                          NULL, TRUE, 0, { 50, 50, 200, 60 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  g_autoptr(LkPdfObj) annots = NULL;
  g_autoptr(LkPdfObj) widget = NULL;
  g_autoptr(LkPdfObj) ap = NULL;
  g_autoptr(LkPdfObj) normal = NULL;
  LkPdfObj *rect, *bbox;
  guint page_num = 0;
  const double expected[4] = { 50, 50, 250, 110 };

  lk_pades_sign (rsa_key, NULL, &opts, in, out, NULL, &error);
  g_assert_no_error (error);
  check_signed (in, out, 1);

  /* The widget on page 1, with the rectangle and an appearance. */
  doc = lk_pdf_document_open (out, &error);
  g_assert_no_error (error);
  page = lk_pdf_document_get_page (doc, 0, &page_num, NULL, NULL, &error);
  g_assert_no_error (error);
  annots = lk_pdf_document_lookup (doc, page, "Annots", &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_obj_get_kind (annots), ==, LK_PDF_ARRAY);
  g_assert_cmpuint (lk_pdf_obj_array_length (annots), >, 0);
  widget = lk_pdf_document_resolve (doc, lk_pdf_obj_array_get (annots, lk_pdf_obj_array_length (annots) - 1),
                                    &error);
  g_assert_no_error (error);
  g_assert_true (lk_pdf_obj_is_name (lk_pdf_obj_dict_get (widget, "FT"), "Sig"));
  g_assert_cmpuint (lk_pdf_obj_get_ref_num (lk_pdf_obj_dict_get (widget, "P")), ==, page_num);
  rect = lk_pdf_obj_dict_get (widget, "Rect");
  g_assert_cmpuint (lk_pdf_obj_array_length (rect), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (lk_pdf_obj_get_number (lk_pdf_obj_array_get (rect, i)),
                                    expected[i], 0.01);
  ap = lk_pdf_document_lookup (doc, widget, "AP", &error);
  g_assert_no_error (error);
  normal = lk_pdf_document_lookup (doc, ap, "N", &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_obj_get_kind (normal), ==, LK_PDF_STREAM);
  bbox = lk_pdf_obj_dict_get (lk_pdf_obj_stream_get_dict (normal), "BBox");
  g_assert_cmpuint (lk_pdf_obj_array_length (bbox), ==, 4);
  g_assert_cmpfloat_with_epsilon (lk_pdf_obj_get_number (lk_pdf_obj_array_get (bbox, 2)), 200, 0.01);
  g_assert_cmpfloat_with_epsilon (lk_pdf_obj_get_number (lk_pdf_obj_array_get (bbox, 3)), 60, 0.01);
  {
    GBytes *content = lk_pdf_obj_stream_get_data (normal);
    g_autofree char *text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));

    g_test_message ("appearance: %s", text);
    g_assert_nonnull (strstr (text, " re S"));
    g_assert_nonnull (strstr (text, "(Reason: Persetujuan izin usaha) Tj"));
    g_assert_nonnull (strstr (text, "(Signed by "));
  }

  assert_drawn_in (in, out, opts.rect);

  /* A page beyond the document: an error, no output. */
  opts.page = 2;
  g_assert_false (lk_pades_sign (rsa_key, NULL, &opts, in, bad_out, NULL, &error));
  g_assert_error (error, LK_PADES_ERROR, LK_PADES_ERROR_PAGE);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
}

/* WinAnsi text: Latin-1 kept (octal escape), others '?', parentheses and
 * backslashes escaped. */
static void
test_appearance_text (void)
{
  const char *lines[] = { "Caf\xc3\xa9 \xe2\x80\x94 (x) \\ \xc5\xa1", NULL };
  g_autoptr(GBytes) content = lk_pades_appearance_content (100, 20, lines);
  g_autofree char *text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));

  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "(Caf\\351 ? \\(x\\) \\\\ ?) Tj"));
  g_assert_nonnull (strstr (text, "0.25 0.25 99.50 19.50 re S"));
}

/* loketctl sign --visible and --tsa. */
static void
test_cli_visible (void)
{
  const char *loketctl = g_getenv ("LOKET_CTL_BIN");
  const char *module = lk_test_token_module_path ();
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("cli-visible.pdf");
  g_autofree char *bad_out = work_path ("cli-visible-bad.pdf");
  const char *env[] = { "LOKET_TEST_PIN=" LK_TEST_TOKEN_PIN, NULL };
  const double rect[4] = { 50, 50, 200, 60 };
  int status = -1;

  g_assert_nonnull (loketctl);
  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--reason", "Disetujui", "--location", "Bandung",
                           "--visible", "1:50,50,200,60", "--tsa", tsa->url, in, out, NULL };
    g_autofree char *text = run_any (argv, env, &status);

    g_test_message ("loketctl sign --visible --tsa: %s", text);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (text, ": signed"));
    check_signed (in, out, 1);
    assert_drawn_in (in, out, rect);
  }
  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--visible", "9:50,50,200,60", in, bad_out, NULL };
    g_autofree char *text = run_any (argv, env, &status);

    g_test_message ("loketctl sign --visible 9:…: %s", text);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (text, "Page 9"));
    g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  }
  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--visible", "0:50,50,-1,60", in, bad_out, NULL };
    g_autofree char *text = run_any (argv, env, &status);

    g_assert_cmpint (status, ==, 2);
    g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  }
}

/* A WIDTH × HEIGHT PNG at NAME in the work directory: a red disc on a
 * transparent background. */
static char *
make_png (const char *name,
          int         width,
          int         height)
{
  char *path = work_path (name);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return path;
}

/* Reddish pixels of page 1 of PATH (A4, 50 dpi) inside RECT (x, y, w, h in
 * points from the lower-left corner) and outside it (with a 2-pixel
 * margin). */
static void
count_red (const char   *path,
           const double  rect[4],
           guint        *inside,
           guint        *outside)
{
  cairo_surface_t *page = render_page (path, "render-red");
  int width = cairo_image_surface_get_width (page);
  int height = cairo_image_surface_get_height (page);
  int stride = cairo_image_surface_get_stride (page);
  double scale = height / 842.0;
  double x0 = rect[0] * scale, x1 = (rect[0] + rect[2]) * scale;
  double y0 = height - (rect[1] + rect[3]) * scale, y1 = height - rect[1] * scale;

  *inside = *outside = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 p = ((const guint32 *) (cairo_image_surface_get_data (page) + y * stride))[x];
        guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
        gboolean red = r > 160 && g < 110 && b < 110;

        if (x >= x0 && x <= x1 && y >= y0 && y <= y1)
          *inside += red;
        else if (x < x0 - 2 || x > x1 + 2 || y < y0 - 2 || y > y1 + 2)
          *outside += red;
      }
  cairo_surface_destroy (page);
}

/* The image (its Im1 resource) of the last widget's appearance on page 1. */
static LkPdfObj *
appearance_image (LkPdfDocument *doc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  g_autoptr(LkPdfObj) annots = NULL;
  g_autoptr(LkPdfObj) widget = NULL;
  g_autoptr(LkPdfObj) ap = NULL;
  g_autoptr(LkPdfObj) normal = NULL;
  g_autoptr(LkPdfObj) resources = NULL;
  g_autoptr(LkPdfObj) xobjects = NULL;
  LkPdfObj *image;

  page = lk_pdf_document_get_page (doc, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  annots = lk_pdf_document_lookup (doc, page, "Annots", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_pdf_obj_array_length (annots), >, 0);
  widget = lk_pdf_document_resolve (doc, lk_pdf_obj_array_get (annots, lk_pdf_obj_array_length (annots) - 1),
                                    &error);
  g_assert_no_error (error);
  ap = lk_pdf_document_lookup (doc, widget, "AP", &error);
  g_assert_no_error (error);
  normal = lk_pdf_document_lookup (doc, ap, "N", &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_obj_get_kind (normal), ==, LK_PDF_STREAM);
  {
    GBytes *content = lk_pdf_obj_stream_get_data (normal);
    g_autofree char *text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));

    g_test_message ("appearance: %s", text);
    g_assert_nonnull (strstr (text, " cm /Im1 Do Q"));
  }
  resources = lk_pdf_document_lookup (doc, lk_pdf_obj_stream_get_dict (normal), "Resources", &error);
  g_assert_no_error (error);
  xobjects = lk_pdf_document_lookup (doc, resources, "XObject", &error);
  g_assert_no_error (error);
  g_assert_nonnull (xobjects);
  image = lk_pdf_document_lookup (doc, xobjects, "Im1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_obj_get_kind (image), ==, LK_PDF_STREAM);
  return image;
}

static void
test_visible_image (void)
{
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("cairo-image.pdf");
  g_autofree char *bad_out = work_path ("cairo-image-bad.pdf");
  g_autofree char *png = make_png ("disc.png", 100, 80);
  g_autofree char *wide = make_png ("wide.png", LK_PADES_IMAGE_MAX_SIDE + 1, 2);
  g_autofree char *garbage = work_path ("garbage.png");
  LkPadesOptions opts = { "Persetujuan izin usaha", "Kota Bandung", NULL, NULL, NULL,
                          NULL, TRUE, 0, { 50, 300, 200, 60 }, png };
  /* The image's part of the box: its left 40 %. */
  const double image_part[4] = { 50, 300, 80, 60 };
  const double text_part[4] = { 130, 300, 120, 60 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfObj) image = NULL;
  g_autoptr(LkPdfObj) smask = NULL;
  LkPdfObj *dict;
  guint inside = 0, outside = 0;

  lk_pades_sign (rsa_key, NULL, &opts, in, out, NULL, &error);
  g_assert_no_error (error);
  check_signed (in, out, 1);

  doc = lk_pdf_document_open (out, &error);
  g_assert_no_error (error);
  image = appearance_image (doc);
  dict = lk_pdf_obj_stream_get_dict (image);
  g_assert_true (lk_pdf_obj_is_name (lk_pdf_obj_dict_get (dict, "Subtype"), "Image"));
  g_assert_true (lk_pdf_obj_is_name (lk_pdf_obj_dict_get (dict, "ColorSpace"), "DeviceRGB"));
  g_assert_true (lk_pdf_obj_is_name (lk_pdf_obj_dict_get (dict, "Filter"), "FlateDecode"));
  g_assert_cmpint (lk_pdf_obj_get_int (lk_pdf_obj_dict_get (dict, "Width")), ==, 100);
  g_assert_cmpint (lk_pdf_obj_get_int (lk_pdf_obj_dict_get (dict, "Height")), ==, 80);
  g_assert_cmpint (lk_pdf_obj_get_int (lk_pdf_obj_dict_get (dict, "BitsPerComponent")), ==, 8);
  smask = lk_pdf_document_lookup (doc, dict, "SMask", &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_pdf_obj_get_kind (smask), ==, LK_PDF_STREAM);
  g_assert_true (lk_pdf_obj_is_name (lk_pdf_obj_dict_get (lk_pdf_obj_stream_get_dict (smask), "ColorSpace"),
                                     "DeviceGray"));

  /* Red in the image's part of the box, none in the text's or outside. */
  count_red (out, image_part, &inside, &outside);
  g_test_message ("red pixels: %u in the image part, %u outside it", inside, outside);
  g_assert_cmpuint (inside, >, 50);
  g_assert_cmpuint (outside, ==, 0);
  count_red (out, text_part, &inside, &outside);
  g_assert_cmpuint (inside, ==, 0);
  count_red (in, opts.rect, &inside, &outside);
  g_assert_cmpuint (inside + outside, ==, 0);

  /* Not a PNG: an error naming it, no output. */
  g_assert_true (g_file_set_contents (garbage, "this is not a PNG image at all, only text", -1, NULL));
  opts.image_path = garbage;
  g_assert_false (lk_pades_sign (rsa_key, NULL, &opts, in, bad_out, NULL, &error));
  g_assert_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE);
  g_assert_nonnull (strstr (error->message, "garbage.png"));
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A PNG whose header is cut off after IHDR: cairo's error, no output. */
  {
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autofree char *cut = work_path ("cut.png");

    g_assert_true (g_file_get_contents (png, &data, &len, NULL));
    g_assert_cmpuint (len, >, 40);
    g_assert_true (g_file_set_contents (cut, data, 40, NULL));
    opts.image_path = cut;
    g_assert_false (lk_pades_sign (rsa_key, NULL, &opts, in, bad_out, NULL, &error));
    g_assert_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE);
    g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
  }

  /* 4097 pixels wide: too large, no output. */
  opts.image_path = wide;
  g_assert_false (lk_pades_sign (rsa_key, NULL, &opts, in, bad_out, NULL, &error));
  g_assert_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE);
  g_assert_nonnull (strstr (error->message, "4097"));
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A missing file. */
  opts.image_path = "/nonexistent/loket.png";
  g_assert_false (lk_pades_sign (rsa_key, NULL, &opts, in, bad_out, NULL, &error));
  g_assert_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE);
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
}

/* An opaque image has no /SMask; the content puts the text right of it. */
static void
test_appearance_image_layout (void)
{
  const char *lines[] = { "Signed by A", NULL };
  g_autoptr(GBytes) content = lk_pades_appearance_content_with_image (200, 60, lines, 100, 50);
  g_autofree char *text = g_strndup (g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  g_autofree char *opaque = work_path ("opaque.png");
  g_autoptr(LkPdfObj) image = NULL;
  g_autoptr(LkPdfObj) smask = NULL;
  g_autoptr(GError) error = NULL;
  guint w = 0, h = 0;

  g_test_message ("%s", text);
  /* 78.4 pt wide at most (40 % of 196), 56 high: 78.40 × 39.20, centred. */
  g_assert_nonnull (strstr (text, "q 78.40 0 0 39.20 2.00 10.40 cm /Im1 Do Q"));
  g_assert_nonnull (strstr (text, " 82.40 "));

  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 3, 2);
    cairo_t *cr = cairo_create (surface);

    cairo_set_source_rgb (cr, 0, 0, 1);
    cairo_paint (cr);
    cairo_destroy (cr);
    g_assert_cmpint (cairo_surface_write_to_png (surface, opaque), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (surface);
  }
  image = lk_pades_appearance_load_png (opaque, &smask, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_null (smask);
  g_assert_cmpuint (w, ==, 3);
  g_assert_cmpuint (h, ==, 2);
  g_assert_null (lk_pdf_obj_dict_get (lk_pdf_obj_stream_get_dict (image), "SMask"));
}

/* loketctl sign --visible --image, and --image without --visible. */
static void
test_cli_image (void)
{
  const char *loketctl = g_getenv ("LOKET_CTL_BIN");
  const char *module = lk_test_token_module_path ();
  g_autofree char *in = work_path ("cairo.pdf");
  g_autofree char *out = work_path ("cli-image.pdf");
  g_autofree char *bad_out = work_path ("cli-image-bad.pdf");
  g_autofree char *png = make_png ("cli-disc.png", 64, 64);
  const char *env[] = { "LOKET_TEST_PIN=" LK_TEST_TOKEN_PIN, NULL };
  const double image_part[4] = { 50, 50, 80, 60 };
  guint inside = 0, outside = 0;
  int status = -1;

  g_assert_nonnull (loketctl);
  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--visible", "1:50,50,200,60", "--image", png, in, out, NULL };
    g_autofree char *text = run_any (argv, env, &status);

    g_test_message ("loketctl sign --visible --image: %s", text);
    g_assert_cmpint (status, ==, 0);
    check_signed (in, out, 1);
    count_red (out, image_part, &inside, &outside);
    g_assert_cmpuint (inside, >, 50);
    g_assert_cmpuint (outside, ==, 0);
  }
  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--image", png, in, bad_out, NULL };
    g_autofree char *text = run_any (argv, env, &status);

    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (text, "--visible"));
    g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  }
  {
    const char *argv[] = { loketctl, "sign", "--key", test_token->rsa_key_url,
                           "--pin-env", "LOKET_TEST_PIN", "--module", module,
                           "--visible", "1:50,50,200,60", "--image", in, in, bad_out, NULL };
    g_autofree char *text = run_any (argv, env, &status);

    g_test_message ("loketctl sign --image a PDF: %s", text);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (text, "not a PNG"));
    g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  }
}

/* An NSS database (returned as "sql:DIR") that trusts CA_PEM. */
static char *
make_nss_db (const char *name,
             const char *ca_pem)
{
  g_autofree char *dir = work_path (name);
  char *db;
  const char *init[] = { "certutil", "-N", "-d", NULL, "--empty-password", NULL };
  const char *add[] = { "certutil", "-A", "-d", NULL, "-n", "ca", "-t", "CT,C,C", "-i",
                        ca_pem, NULL };

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  db = g_strconcat ("sql:", dir, NULL);
  init[3] = db;
  add[3] = db;
  run_ok (init);
  run_ok (add);
  return db;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-pades", TRUE, &error);
  g_assert_no_error (error);
  pin_token = lk_test_token_new ("loket-pades-pin", TRUE, &error);
  g_assert_no_error (error);
  lk_token_init (lk_test_token_module_path (), &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, counting_pin_cb, &pin_calls, NULL, &error);
  g_assert_no_error (error);
  ec_key = lk_token_key_open (test_token->ec_key_url, NULL, counting_pin_cb, &pin_calls, NULL, &error);
  g_assert_no_error (error);

  work_dir = lk_test_make_tmpdir ("pades");
  make_corpus ();
  nss_dir = make_nss_db ("nss", test_token->ca_pem);
  nss_pin_dir = make_nss_db ("nss-pin", pin_token->ca_pem);
  {
    g_autofree char *tsa_dir = work_path ("tsa");

    g_assert_cmpint (g_mkdir (tsa_dir, 0700), ==, 0);
    tsa = lk_test_tsa_new (tsa_dir, &error);
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    for (guint ec = 0; ec < 2; ec++)
      {
        CorpusCase *c = g_new0 (CorpusCase, 1);
        g_autofree char *name = NULL;
        g_autofree char *base = g_strndup (corpus[i], strlen (corpus[i]) - 4);

        c->input = corpus[i];
        c->ec = ec;
        g_ptr_array_add (cases, c);
        name = g_strdup_printf ("/sign/pades/%s/%s", base, ec ? "ec" : "rsa");
        g_test_add_data_func (name, c, test_sign_corpus);
      }
  g_test_add_func ("/sign/pades/same-key-twice", test_same_key_twice);
  g_test_add_func ("/sign/pades/reconstructed", test_reconstructed);
  g_test_add_func ("/sign/pades/tamper", test_tamper);
  g_test_add_func ("/sign/pades/encrypted", test_encrypted);
  g_test_add_func ("/sign/pades/truncated", test_truncated);
  g_test_add_func ("/sign/pades/batch", test_batch);
  g_test_add_func ("/sign/pades/cli", test_cli);
  g_test_add_func ("/sign/pades/cli-chain-from-token", test_cli_chain_from_token);
  g_test_add_func ("/sign/pades/timestamp", test_timestamp);
  g_test_add_func ("/sign/pades/visible", test_visible);
  g_test_add_func ("/sign/pades/appearance-text", test_appearance_text);
  g_test_add_func ("/sign/pades/cli-visible", test_cli_visible);
  g_test_add_func ("/sign/pades/visible-image", test_visible_image);
  g_test_add_func ("/sign/pades/appearance-image-layout", test_appearance_image_layout);
  g_test_add_func ("/sign/pades/cli-image", test_cli_image);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  g_clear_object (&ec_key);
  lk_test_tsa_free (tsa);
  lk_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (nss_dir);
  g_free (nss_pin_dir);
  lk_test_token_free (test_token);
  lk_test_token_free (pin_token);
  lk_test_token_cleanup ();
  return ret;
}
