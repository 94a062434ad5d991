/* test-sign-batch.c — the GTK-free steps of the desk's batch signing:
 * the draft picked per case, the certificate found and checked, and every
 * way a letter fails before anything is queued
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template.h"
#include "model/lk-model-private.h"
#include "sign/lk-sign-batch.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"
#include "store/lk-store.h"
#include "sync/lk-outbox.h"

#include "lk-test-token.h"
#include "lk-test-util.h"

static LkTestToken *test_token;
static LkTokenKey *rsa_key;
static char *work_dir;

static LkDocument *
document_new (const char *name,
              const char *sha256,
              int         position)
{
  LkDocument *doc = g_object_new (LK_TYPE_DOCUMENT, NULL);

  doc->id = g_uuid_string_random ();
  doc->name = g_strdup (name);
  doc->sha256 = g_strdup (sha256);
  doc->position = position;
  return doc;
}

static void
test_pick_draft (void)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *old_name = lk_letter_draft_document_name ("SKD-1");
  LkDocument *picked;

  g_assert_null (lk_sign_batch_pick_draft (NULL));
  g_assert_null (lk_sign_batch_pick_draft (docs));
  g_ptr_array_add (docs, document_new ("ktp.pdf", "aa", 0));
  g_assert_null (lk_sign_batch_pick_draft (docs));
  g_ptr_array_add (docs, document_new (old_name, "bb", 1));
  g_ptr_array_add (docs, document_new (old_name, "cc", 3));
  g_ptr_array_add (docs, document_new ("kk.pdf", "dd", 4));
  picked = lk_sign_batch_pick_draft (docs);
  g_assert_nonnull (picked);
  g_assert_cmpstr (lk_document_get_sha256 (picked), ==, "cc");
}

static void
test_validity (void)
{
  LkTokenCert cert = { NULL, };
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 6, 1, 12, 0, 0);
  g_autoptr(GError) error = NULL;

  cert.not_before = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  cert.not_after = g_date_time_new_utc (2026, 5, 31, 23, 59, 59);
  g_assert_false (lk_sign_batch_check_validity (&cert, now, &error));
  g_assert_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_EXPIRED);
  g_assert_nonnull (strstr (error->message, "expired on 2026-05-31"));
  g_clear_error (&error);

  g_date_time_unref (cert.not_after);
  cert.not_after = g_date_time_new_utc (2027, 1, 1, 0, 0, 0);
  g_assert_true (lk_sign_batch_check_validity (&cert, now, &error));
  g_assert_no_error (error);

  g_date_time_unref (cert.not_before);
  cert.not_before = g_date_time_new_utc (2026, 7, 1, 0, 0, 0);
  g_assert_false (lk_sign_batch_check_validity (&cert, now, &error));
  g_assert_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_EXPIRED);
  g_date_time_unref (cert.not_before);
  g_date_time_unref (cert.not_after);
}

static void
test_find_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenCert) found = NULL;
  g_autoptr(LkTokenCert) missing = NULL;
  g_autoptr(LkTokenCert) none = NULL;
  g_autoptr(GPtrArray) certs = lk_token_list_certificates (NULL, &error);
  g_autofree char *fingerprint = NULL;
  const char *url = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < certs->len; i++)
    {
      LkTokenCert *cert = g_ptr_array_index (certs, i);

      if (g_strcmp0 (cert->token_label, test_token->label) == 0 && g_strcmp0 (cert->id_hex, "01") == 0)
        url = cert->url;
    }
  g_assert_nonnull (url);

  found = lk_sign_batch_find_certificate (NULL, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->url, ==, url);
  g_assert_true (g_str_has_prefix (found->key_url, "pkcs11:"));
  g_assert_true (lk_sign_batch_check_validity (found, NULL, &error));

  missing = lk_sign_batch_find_certificate (NULL, "pkcs11:token=nowhere;id=%99;type=cert", &error);
  g_assert_null (missing);
  g_assert_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_NO_CERTIFICATE);
  g_clear_error (&error);
  none = lk_sign_batch_find_certificate (NULL, "", &error);
  g_assert_null (none);
  g_assert_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_NO_CERTIFICATE);
  g_clear_error (&error);

  fingerprint = lk_sign_batch_key_fingerprint (rsa_key);
  g_assert_cmpuint (strlen (fingerprint), ==, 64);
}

static char *
cache_bytes (LkBlobCache *cache,
             const char  *data,
             gsize        len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  char *sha256 = lk_blob_compute_sha256 (bytes);

  stored = lk_blob_cache_store (cache, sha256, bytes, &error);
  g_assert_no_error (error);
  return sha256;
}

/* Missing, damaged, or unknown to the store: an error a person can act
 * on, and nothing in the outbox. */
static void
test_letter_failures (void)
{
  g_autofree char *db = g_build_filename (work_dir, "client.db", NULL);
  g_autofree char *blobs = g_build_filename (work_dir, "blobs", NULL);
  g_autofree char *pdf = g_build_filename (work_dir, "draft.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *garbage_sha = NULL;
  g_autofree char *pdf_sha = NULL;
  g_autofree char *result = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkBlobCache) cache = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GError) error = NULL;
  LkSignBatchOptions options = { TRUE, { 0, }, "Setuju", "Pontianak", NULL };
  static const char garbage[] = "%PDF-1.7\nthis is not a PDF at all\n";
  gsize len;

  store = lk_store_open (db, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  cache = lk_blob_cache_new (blobs);
  lk_letter_draft_signature_rect (options.rect);

  queue = lk_sign_batch_list_queue (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 0);

  /* Not in the cache. */
  result = lk_sign_batch_sign_letter (rsa_key, NULL, &options, store, cache, "case-1",
                                      "0000000000000000000000000000000000000000000000000000000000000000",
                                      "pejabat", LK_ROLE_SIGNER, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_DRAFT_MISSING);
  g_clear_error (&error);

  /* Damaged. */
  garbage_sha = cache_bytes (cache, garbage, sizeof garbage - 1);
  result = lk_sign_batch_sign_letter (rsa_key, NULL, &options, store, cache, "case-1", garbage_sha,
                                      "pejabat", LK_ROLE_SIGNER, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_DRAFT_CORRUPT);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);

  /* A good draft of a case this store does not have: signed and checked,
   * but not queued. */
  {
    cairo_surface_t *surface = cairo_pdf_surface_create (pdf, 595, 842);
    cairo_t *cr = cairo_create (surface);

    cairo_show_page (cr);
    cairo_show_page (cr);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
  g_file_get_contents (pdf, &contents, &len, &error);
  g_assert_no_error (error);
  pdf_sha = cache_bytes (cache, contents, len);
  result = lk_sign_batch_sign_letter (rsa_key, NULL, &options, store, cache, "case-1", pdf_sha,
                                      "pejabat", LK_ROLE_SIGNER, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (lk_outbox_count (store), ==, 0);

  /* Cancelled before anything. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    result = lk_sign_batch_sign_letter (rsa_key, NULL, &options, store, cache, "case-1", pdf_sha,
                                        "pejabat", LK_ROLE_SIGNER, cancellable, &error);
    g_assert_null (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_assert_cmpint (lk_outbox_count (store), ==, 0);
}

static void
upsert (LkStore    *store,
        const char *kind,
        const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  g_assert_true (lk_store_upsert_json (store, kind, json_node_get_object (node), &error));
  g_assert_no_error (error);
}

static char *
run_tool (const char * const *argv,
          int                *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &wait_status, &error))
    g_error ("Could not run %s: %s", argv[0], error->message);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return out;
}

/* The text in RECT (points from the lower-left) of PAGE (0-based). */
static char *
text_in_rect (const char   *path,
              guint         page,
              const double *rect)
{
  g_autofree char *p = g_strdup_printf ("%u", page + 1);
  g_autofree char *x = g_strdup_printf ("%d", (int) rect[0]);
  g_autofree char *y = g_strdup_printf ("%d", (int) (841.89 - rect[1] - rect[3]));
  g_autofree char *w = g_strdup_printf ("%d", (int) rect[2]);
  g_autofree char *h = g_strdup_printf ("%d", (int) rect[3]);
  const char *argv[] = { "pdftotext", "-r", "72", "-f", p, "-l", p, "-x", x, "-y", y, "-W", w, "-H", h,
                         path, "-", NULL };
  int status;
  char *out = run_tool (argv, &status);

  g_assert_cmpint (status, ==, 0);
  return out;
}

/* The QR code zbarimg reads in RECT of PAGE rendered at 200 dpi, or NULL. */
static char *
qr_in_rect (const char   *path,
            guint         page,
            const double *rect)
{
  const double scale = 200.0 / 72.0;
  g_autofree char *prefix = g_build_filename (work_dir, "stamp", NULL);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  g_autofree char *p = g_strdup_printf ("%u", page + 1);
  g_autofree char *x = g_strdup_printf ("%d", (int) (rect[0] * scale));
  g_autofree char *y = g_strdup_printf ("%d", (int) ((841.89 - rect[1] - rect[3]) * scale));
  g_autofree char *w = g_strdup_printf ("%d", (int) (rect[2] * scale));
  g_autofree char *h = g_strdup_printf ("%d", (int) (rect[3] * scale));
  const char *render[] = { "pdftoppm", "-r", "200", "-f", p, "-l", p, "-x", x, "-y", y, "-W", w, "-H", h,
                           "-png", "-singlefile", path, prefix, NULL };
  const char *decode[] = { "zbarimg", "--raw", "-q", png, NULL };
  g_autofree char *rendered = NULL;
  g_autofree char *out = NULL;
  int status;

  rendered = run_tool (render, &status);
  g_assert_cmpint (status, ==, 0);
  out = run_tool (decode, &status);
  g_unlink (png);
  return status == 0 ? g_strdup (g_strchomp (out)) : NULL;
}

/* Issue 6: a letter rendered from a template is stamped at its marker
 * with the signer's position, NIP and the QR code of its verification
 * URL; a PDF without Loket's keywords at the caller's rectangle on its
 * last page. */
static void
test_letter_stamp (void)
{
  g_autofree char *db = g_build_filename (work_dir, "stamp.db", NULL);
  g_autofree char *blobs = g_build_filename (work_dir, "stamp-blobs", NULL);
  g_autofree char *pdf = g_build_filename (work_dir, "letter.pdf", NULL);
  g_autofree char *plain = g_build_filename (work_dir, "plain.pdf", NULL);
  g_autofree char *letter_id = lk_letter_new_id ();
  g_autofree char *url = lk_letter_verify_url ("https://loket.example.go.id", letter_id);
  g_autofree char *contents = NULL;
  g_autofree char *pdf_sha = NULL;
  g_autofree char *signed_sha = NULL;
  g_autofree char *signed_path = NULL;
  g_autofree char *stamp_text = NULL;
  g_autofree char *stamp_qr = NULL;
  g_autofree char *draft_qr = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkBlobCache) cache = NULL;
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(LkServiceType) service = g_object_new (LK_TYPE_SERVICE_TYPE, NULL);
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(LkLetterInfo) info = NULL;
  g_autoptr(LkLetterInfo) signed_info = NULL;
  g_autoptr(GError) error = NULL;
  LkLetterRenderInfo render = { 0 };
  LkSignBatchOptions options = { TRUE, { 0, }, "Setuju", "Pontianak", NULL };
  gsize len;

  store = lk_store_open (db, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  cache = lk_blob_cache_new (blobs);
  upsert (store, "unit",
          "{\"id\": \"unit-1\", \"code\": \"PTK\", \"name\": \"Kecamatan\", \"address\": null, \"version\": 1}");
  upsert (store, "service_type",
          "{\"id\": \"svc-1\", \"code\": \"SKD\", \"name\": \"Surat Keterangan Domisili\", \"sla_days\": 2, "
          "\"number_format\": \"470/{seq}\", \"needs_business\": false, \"requirements\": [], \"version\": 1}");
  upsert (store, "case",
          "{\"id\": \"case-stamp\", \"receipt\": \"SKD-20260105-000001\", \"service_type\": \"svc-1\", "
          "\"unit\": \"unit-1\", \"state\": \"awaiting_signature\", \"applicant_name\": \"Siti\", "
          "\"nik\": \"6171010101010001\", \"email\": null, \"phone\": null, "
          "\"address\": \"Jl. Gajah Mada 12\", \"business_name\": null, \"nib\": null, \"created_at\": 1767225600, "
          "\"updated_at\": 1767225600, \"sla_due\": \"2026-01-07\", \"version\": 3, \"assignee\": null}");
  kase = lk_store_get_case (store, "case-stamp", &error);
  g_assert_no_error (error);
  g_assert_nonnull (kase);
  service->id = g_strdup ("svc-1");
  service->name = g_strdup ("Surat Keterangan Domisili");

  template = lk_letter_template_new_default (service);
  render.unit_name = "Kecamatan";
  render.number = "470/0001/PTK/2026";
  render.letter_id = letter_id;
  render.public_url = "https://loket.example.go.id";
  g_assert_true (lk_letter_template_render (template, kase, service, &render, pdf, &error));
  g_assert_no_error (error);
  info = lk_letter_read_info_file (pdf, &error);
  g_assert_no_error (error);
  /* The footer's QR code is outside the stamp box. */
  draft_qr = qr_in_rect (pdf, info->page, info->rect);
  g_assert_null (draft_qr);

  g_file_get_contents (pdf, &contents, &len, &error);
  g_assert_no_error (error);
  pdf_sha = cache_bytes (cache, contents, len);
  lk_letter_draft_signature_rect (options.rect);
  options.signer_name = "Drs. Ahmad Fauzi";
  options.signer_position = "Kepala Dinas";
  options.signer_nip = "197001012000031001";
  options.public_url = "https://loket.example.go.id/";
  signed_sha = lk_sign_batch_sign_letter (rsa_key, NULL, &options, store, cache, "case-stamp", pdf_sha,
                                          "pejabat", LK_ROLE_SIGNER, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_sha);
  signed_path = lk_blob_cache_lookup (cache, signed_sha);
  g_assert_nonnull (signed_path);

  signed_info = lk_letter_read_info_file (signed_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (signed_info->letter_id, ==, letter_id);
  stamp_text = text_in_rect (signed_path, info->page, info->rect);
  g_assert_nonnull (strstr (stamp_text, "NIP 197001012000031001"));
  g_assert_nonnull (strstr (stamp_text, "Kepala Dinas"));
  g_assert_nonnull (strstr (stamp_text, "Drs. Ahmad Fauzi"));
  stamp_qr = qr_in_rect (signed_path, info->page, info->rect);
  g_assert_cmpstr (stamp_qr, ==, url);

  /* Without a public URL the stamp has no QR code (the letter has one). */
  {
    g_autofree char *no_qr_sha = NULL;
    g_autofree char *no_qr_path = NULL;
    g_autofree char *no_qr_text = NULL;
    g_autofree char *no_qr = NULL;

    upsert (store, "case",
            "{\"id\": \"case-no-qr\", \"receipt\": \"SKD-20260105-000003\", \"service_type\": \"svc-1\", "
            "\"unit\": \"unit-1\", \"state\": \"awaiting_signature\", \"applicant_name\": \"Rina\", "
            "\"nik\": \"6171010101010003\", \"email\": null, \"phone\": null, "
            "\"address\": \"Jl. Sultan Abdurrahman 3\", \"business_name\": null, \"nib\": null, "
            "\"created_at\": 1767225600, \"updated_at\": 1767225600, \"sla_due\": \"2026-01-07\", "
            "\"version\": 3, \"assignee\": null}");
    options.public_url = NULL;
    no_qr_sha = lk_sign_batch_sign_letter (rsa_key, NULL, &options, store, cache, "case-no-qr", pdf_sha,
                                           "pejabat", LK_ROLE_SIGNER, NULL, &error);
    g_assert_no_error (error);
    no_qr_path = lk_blob_cache_lookup (cache, no_qr_sha);
    no_qr_text = text_in_rect (no_qr_path, info->page, info->rect);
    g_assert_nonnull (strstr (no_qr_text, "NIP 197001012000031001"));
    no_qr = qr_in_rect (no_qr_path, info->page, info->rect);
    g_assert_null (no_qr);
  }

  /* Without keywords: the caller's rectangle on the last page. */
  {
    cairo_surface_t *surface = cairo_pdf_surface_create (plain, 595.276, 841.89);
    cairo_t *cr = cairo_create (surface);
    g_autofree char *plain_contents = NULL;
    g_autofree char *plain_sha = NULL;
    g_autofree char *plain_signed = NULL;
    g_autofree char *plain_signed_path = NULL;
    g_autofree char *last = NULL;
    g_autofree char *first = NULL;

    cairo_show_page (cr);
    cairo_show_page (cr);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
    g_file_get_contents (plain, &plain_contents, &len, &error);
    g_assert_no_error (error);
    plain_sha = cache_bytes (cache, plain_contents, len);
    upsert (store, "case",
            "{\"id\": \"case-plain\", \"receipt\": \"SKD-20260105-000002\", \"service_type\": \"svc-1\", "
            "\"unit\": \"unit-1\", \"state\": \"awaiting_signature\", \"applicant_name\": \"Budi\", "
            "\"nik\": \"6171010101010002\", \"email\": null, \"phone\": null, "
            "\"address\": \"Jl. Tanjungpura 1\", \"business_name\": null, \"nib\": null, "
            "\"created_at\": 1767225600, \"updated_at\": 1767225600, \"sla_due\": \"2026-01-07\", "
            "\"version\": 3, \"assignee\": null}");
    plain_signed = lk_sign_batch_sign_letter (rsa_key, NULL, &options, store, cache, "case-plain", plain_sha,
                                              "pejabat", LK_ROLE_SIGNER, NULL, &error);
    g_assert_no_error (error);
    plain_signed_path = lk_blob_cache_lookup (cache, plain_signed);
    last = text_in_rect (plain_signed_path, 1, options.rect);
    first = text_in_rect (plain_signed_path, 0, options.rect);
    g_assert_nonnull (strstr (last, "Drs. Ahmad Fauzi"));
    g_assert_null (strstr (first, "Drs. Ahmad Fauzi"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-batch", TRUE, &error);
  g_assert_no_error (error);
  lk_sign_batch_init_modules (NULL, &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  work_dir = lk_test_make_tmpdir ("sign-batch");

  g_test_add_func ("/sign/batch/pick-draft", test_pick_draft);
  g_test_add_func ("/sign/batch/validity", test_validity);
  g_test_add_func ("/sign/batch/find-certificate", test_find_certificate);
  g_test_add_func ("/sign/batch/letter-failures", test_letter_failures);
  g_test_add_func ("/sign/batch/letter-stamp", test_letter_stamp);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  lk_test_rm_rf (work_dir);
  g_free (work_dir);
  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
