/* test-cms.c — CMS signatures made on a SoftHSM2 token, checked by OpenSSL and GnuTLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/pkcs7.h>

#include "sign/lk-cms.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"

#include "lk-test-token.h"
#include "lk-test-util.h"

#define OID_SIGNING_TIME LK_CMS_OID_SIGNING_TIME

static LkTestToken *test_token;

static gnutls_x509_crt_t
load_crt (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = lk_cms_load_certificates (path, &error);
  gnutls_x509_crt_t crt;

  g_assert_no_error (error);
  g_assert_cmpuint (certs->len, ==, 1);
  crt = g_ptr_array_steal_index (certs, 0);
  return crt;
}

static gboolean
openssl_verify (const char *dir,
                GBytes     *der,
                const char *data,
                gsize       length,
                char      **out,
                GError    **error)
{
  g_autofree char *der_path = g_build_filename (dir, "sig.der", NULL);
  g_autofree char *data_path = g_build_filename (dir, "data.bin", NULL);
  const char *argv[] = {
    "openssl", "cms", "-verify", "-inform", "DER", "-in", der_path, "-binary",
    "-content", data_path, "-CAfile", test_token->ca_pem, "-purpose", "any",
    "-out", "/dev/null", NULL
  };

  g_assert_true (g_file_set_contents (der_path, g_bytes_get_data (der, NULL),
                                      (gssize) g_bytes_get_size (der), NULL));
  g_assert_true (g_file_set_contents (data_path, data, (gssize) length, NULL));
  return lk_test_run (argv, NULL, out, error);
}

static char *
openssl_print (const char *dir,
               GBytes     *der)
{
  g_autofree char *der_path = g_build_filename (dir, "print.der", NULL);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *argv[] = {
    "openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", der_path, "-noout", NULL
  };

  g_assert_true (g_file_set_contents (der_path, g_bytes_get_data (der, NULL),
                                      (gssize) g_bytes_get_size (der), NULL));
  lk_test_run (argv, NULL, &out, &error);
  g_assert_no_error (error);
  return out;
}

/* Verifies DER over DATA with GnuTLS against the test CA; returns the
 * gnutls result. */
static int
gnutls_verify (GBytes     *der,
               const char *data,
               gsize       length)
{
  gnutls_pkcs7_t pkcs7;
  gnutls_x509_trust_list_t trust;
  gnutls_x509_crt_t ca = load_crt (test_token->ca_pem);
  gnutls_datum_t der_datum = { (unsigned char *) g_bytes_get_data (der, NULL),
                               (unsigned int) g_bytes_get_size (der) };
  gnutls_datum_t content = { (unsigned char *) data, (unsigned int) length };
  int ret;

  g_assert_cmpint (gnutls_x509_trust_list_init (&trust, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_trust_list_add_cas (trust, &ca, 1, 0), ==, 1);
  g_assert_cmpint (gnutls_pkcs7_init (&pkcs7), ==, 0);
  g_assert_cmpint (gnutls_pkcs7_import (pkcs7, &der_datum, GNUTLS_X509_FMT_DER), ==, 0);
  ret = gnutls_pkcs7_verify (pkcs7, trust, NULL, 0, 0, &content, 0);
  gnutls_pkcs7_deinit (pkcs7);
  gnutls_x509_trust_list_deinit (trust, 1);
  return ret;
}

/* The signed attributes: signing-certificate-v2 naming the signer, and no
 * signingTime. */
static void
check_attributes (GBytes            *der,
                  gnutls_x509_crt_t  signer)
{
  gnutls_pkcs7_t pkcs7;
  gnutls_pkcs7_signature_info_st info;
  gnutls_datum_t der_datum = { (unsigned char *) g_bytes_get_data (der, NULL),
                               (unsigned int) g_bytes_get_size (der) };
  gnutls_datum_t cert_der = { NULL, 0 };
  guint8 hash[32];
  gboolean found_ess = FALSE;
  guint n_attrs = 0;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (gnutls_pkcs7_init (&pkcs7), ==, 0);
  g_assert_cmpint (gnutls_pkcs7_import (pkcs7, &der_datum, GNUTLS_X509_FMT_DER), ==, 0);
  g_assert_cmpint (gnutls_pkcs7_get_signature_count (pkcs7), ==, 1);
  g_assert_cmpint (gnutls_pkcs7_get_signature_info (pkcs7, 0, &info), ==, 0);
  g_assert_cmpint (info.signing_time, ==, (time_t) -1);

  g_assert_cmpint (gnutls_x509_crt_export2 (signer, GNUTLS_X509_FMT_DER, &cert_der), ==, 0);
  g_assert_cmpint (gnutls_hash_fast (GNUTLS_DIG_SHA256, cert_der.data, cert_der.size, hash), ==, 0);
  gnutls_free (cert_der.data);
  expected = lk_cms_signing_certificate_v2 (signer, &error);
  g_assert_no_error (error);

  for (unsigned idx = 0;; idx++)
    {
      char *oid = NULL;  /* read-only, owned by the list */
      gnutls_datum_t value = { NULL, 0 };

      if (gnutls_pkcs7_get_attr (info.signed_attrs, idx, &oid, &value, 0) < 0)
        break;
      n_attrs++;
      g_assert_cmpstr (oid, !=, OID_SIGNING_TIME);
      if (g_strcmp0 (oid, LK_CMS_OID_SIGNING_CERTIFICATE_V2) == 0)
        {
          found_ess = TRUE;
          /* SEQUENCE { SEQUENCE { SEQUENCE { OCTET STRING (32) hash, … } } } */
          g_assert_cmpuint (value.size, >, 10 + sizeof hash);
          g_assert_cmpmem (value.data, value.size,
                           g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
          g_assert_nonnull (memmem (value.data, value.size, "\x04\x20", 2));
          g_assert_nonnull (memmem (value.data, value.size, hash, sizeof hash));
        }
      gnutls_free (value.data);
    }

  /* content-type, message-digest, signing-certificate-v2 */
  g_assert_cmpuint (n_attrs, ==, 3);
  g_assert_true (found_ess);
  gnutls_pkcs7_signature_info_deinit (&info);
  gnutls_pkcs7_deinit (pkcs7);
}

static void
sign_and_check (const char     *key_url,
                const char     *cert_pem,
                LkTokenKeyType  type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *dir = lk_test_make_tmpdir ("cms");
  g_autofree char *print = NULL;
  g_autofree char *data = NULL;
  gnutls_x509_crt_t signer = load_crt (cert_pem);
  gsize length = 100 * 1024;

  /* Binary data with every byte value, as a PDF's ByteRange has. */
  data = g_malloc (length);
  for (gsize i = 0; i < length; i++)
    data[i] = (char) (i * 7 + (i >> 8));

  key = lk_token_key_open (key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_token_key_get_key_type (key), ==, type);

  der = lk_cms_sign_with_token_key (key, NULL, (const guint8 *) data, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (der);

  openssl_verify (dir, der, data, length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gnutls_verify (der, data, length), ==, 0);
  check_attributes (der, signer);

  print = openssl_print (dir, der);
  g_assert_nonnull (strstr (print, "id-smime-aa-signingCertificateV2"));
  g_assert_nonnull (strstr (print, "messageDigest"));
  g_assert_nonnull (strstr (print, "contentType"));
  g_assert_null (strstr (print, "signingTime"));
  /* Detached: no eContent. */
  g_assert_nonnull (strstr (print, "eContent: <ABSENT>"));
  if (type == LK_TOKEN_KEY_TYPE_EC)
    g_assert_nonnull (strstr (print, "ecdsa-with-SHA256"));
  else
    g_assert_nonnull (strstr (print, "rsaEncryption"));

  /* One changed byte: both verifiers refuse. */
  data[length / 2] ^= 0x01;
  g_assert_false (openssl_verify (dir, der, data, length, NULL, &error));
  g_clear_error (&error);
  g_assert_cmpint (gnutls_verify (der, data, length), <, 0);

  gnutls_x509_crt_deinit (signer);
  lk_test_rm_rf (dir);
}

static void
test_sign_rsa (void)
{
  sign_and_check (test_token->rsa_key_url, test_token->rsa_cert_pem, LK_TOKEN_KEY_TYPE_RSA);
}

static void
test_sign_ec (void)
{
  sign_and_check (test_token->ec_key_url, test_token->ec_cert_pem, LK_TOKEN_KEY_TYPE_EC);
}

/* The chain goes into the certificates of the SignedData; OpenSSL then
 * needs only the CA as a trust anchor, and no untrusted file. */
static void
test_chain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GPtrArray) chain = lk_cms_load_certificates (test_token->ca_pem, &error);
  g_autofree char *dir = lk_test_make_tmpdir ("cms-chain");
  g_autofree char *print = NULL;
  gnutls_pkcs7_t pkcs7;
  gnutls_datum_t der_datum;
  const char *data = "%PDF-1.7 chain";

  g_assert_no_error (error);
  key = lk_token_key_open (test_token->ec_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  der = lk_cms_sign_with_token_key (key, chain, (const guint8 *) data, strlen (data), &error);
  g_assert_no_error (error);

  der_datum.data = (unsigned char *) g_bytes_get_data (der, NULL);
  der_datum.size = (unsigned int) g_bytes_get_size (der);
  g_assert_cmpint (gnutls_pkcs7_init (&pkcs7), ==, 0);
  g_assert_cmpint (gnutls_pkcs7_import (pkcs7, &der_datum, GNUTLS_X509_FMT_DER), ==, 0);
  g_assert_cmpint (gnutls_pkcs7_get_crt_count (pkcs7), ==, 2);
  gnutls_pkcs7_deinit (pkcs7);

  openssl_verify (dir, der, data, strlen (data), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gnutls_verify (der, data, strlen (data)), ==, 0);
  lk_test_rm_rf (dir);
}

/* lk_cms_sign with a key that is not on a token (a file key, as the
 * verifier's tests will use); empty content is refused. */
static void
test_sign_file_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *dir = lk_test_make_tmpdir ("cms-file");
  g_autofree char *key_pem = NULL;
  gsize key_len = 0;
  gnutls_privkey_t key;
  gnutls_x509_crt_t ca = load_crt (test_token->ca_pem);
  gnutls_datum_t key_datum;

  g_assert_true (g_file_get_contents (test_token->ca_key, &key_pem, &key_len, NULL));
  key_datum.data = (unsigned char *) key_pem;
  key_datum.size = (unsigned int) key_len;
  g_assert_cmpint (gnutls_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509_raw (key, &key_datum, GNUTLS_X509_FMT_PEM, NULL, 0), ==, 0);

  der = lk_cms_sign (key, ca, NULL, (const guint8 *) "", 0, &error);
  g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED);
  g_assert_null (der);
  g_clear_error (&error);

  der = lk_cms_sign (key, ca, NULL, (const guint8 *) "x", 1, &error);
  g_assert_no_error (error);
  openssl_verify (dir, der, "x", 1, NULL, &error);
  g_assert_no_error (error);
  check_attributes (der, ca);

  gnutls_privkey_deinit (key);
  gnutls_x509_crt_deinit (ca);
  lk_test_rm_rf (dir);
}

/* A 10 MB file signed over two ranges around a hole, as a PDF's
 * /ByteRange: the digest by the streaming hasher, the signature over the
 * digest; OpenSSL and our verifier agree, and both refuse a changed byte. */
static void
ranges_check (const char     *key_url,
              LkTokenKeyType  type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GBytes) digest = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(LkCmsSignedData) parsed = NULL;
  g_autofree char *dir = lk_test_make_tmpdir ("cms-ranges");
  g_autofree char *path = g_build_filename (dir, "big.bin", NULL);
  g_autofree char *data = NULL;
  g_autofree char *signed_bytes = NULL;
  gsize length = 10 * 1000 * 1000;
  gsize hole = 20000;
  LkCmsRange ranges[2];
  gnutls_datum_t a = { NULL, 0 };
  gnutls_datum_t b = { NULL, 0 };
  guint8 expected[32];

  data = g_malloc (length);
  for (gsize i = 0; i < length; i++)
    data[i] = (char) (i * 13 + (i >> 9));
  g_assert_true (g_file_set_contents (path, data, (gssize) length, NULL));

  ranges[0].offset = 0;
  ranges[0].length = length / 2 - hole / 2;
  ranges[1].offset = ranges[0].length + hole;
  ranges[1].length = length - ranges[1].offset;

  /* The bytes the ranges cover, for OpenSSL and to check the hasher. */
  signed_bytes = g_malloc (length - hole);
  memcpy (signed_bytes, data, ranges[0].length);
  memcpy (signed_bytes + ranges[0].length, data + ranges[1].offset, ranges[1].length);
  g_assert_cmpint (gnutls_hash_fast (GNUTLS_DIG_SHA256, signed_bytes, length - hole, expected), ==, 0);

  digest = lk_cms_hash_file_ranges (path, ranges, 2, GNUTLS_DIG_SHA256, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (digest, NULL), g_bytes_get_size (digest), expected, sizeof expected);

  key = lk_token_key_open (key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_token_key_get_key_type (key), ==, type);
  der = lk_cms_sign_digest_with_token_key (key, NULL, g_bytes_get_data (digest, NULL), &error);
  g_assert_no_error (error);

  openssl_verify (dir, der, signed_bytes, length - hole, NULL, &error);
  g_assert_no_error (error);

  parsed = lk_cms_parse (der, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_cms_signed_data_get_content_type (parsed), ==, LK_CMS_OID_DATA);
  g_assert_null (lk_cms_signed_data_get_econtent (parsed));
  g_assert_cmpint (lk_cms_signed_data_get_digest_algorithm (parsed), ==, GNUTLS_DIG_SHA256);
  g_assert_cmpint (lk_cms_signed_data_get_signature_algorithm (parsed), ==,
                   type == LK_TOKEN_KEY_TYPE_EC ? GNUTLS_SIGN_ECDSA_SHA256 : GNUTLS_SIGN_RSA_SHA256);
  g_assert_cmpint (lk_cms_signed_data_get_signing_time (parsed), ==, -1);
  g_assert_null (lk_cms_signed_data_get_signed_attr (parsed, OID_SIGNING_TIME));
  g_assert_nonnull (lk_cms_signed_data_get_signing_certificate_v2 (parsed));
  g_assert_cmpstr (lk_cms_signed_data_get_signed_content_type (parsed), ==, LK_CMS_OID_DATA);
  g_assert_true (g_bytes_equal (lk_cms_signed_data_get_message_digest (parsed), digest));
  g_assert_null (lk_cms_signed_data_get_unsigned_attr (parsed, LK_CMS_OID_TIMESTAMP_TOKEN));
  g_assert_cmpuint (lk_cms_signed_data_get_certificates (parsed)->len, ==, 1);
  /* The signer certificate is the token's. */
  g_assert_cmpint (gnutls_x509_crt_export2 (lk_cms_signed_data_get_signer (parsed),
                                            GNUTLS_X509_FMT_DER, &a), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (lk_token_key_get_certificate (key),
                                            GNUTLS_X509_FMT_DER, &b), ==, 0);
  g_assert_cmpmem (a.data, a.size, b.data, b.size);
  gnutls_free (a.data);
  gnutls_free (b.data);

  lk_cms_signed_data_verify_file_ranges (parsed, path, ranges, 2, NULL, &error);
  g_assert_no_error (error);

  /* The hole is not signed: changing it changes nothing. */
  data[ranges[0].length + hole / 2] ^= 0x55;
  g_assert_true (g_file_set_contents (path, data, (gssize) length, NULL));
  lk_cms_signed_data_verify_file_ranges (parsed, path, ranges, 2, NULL, &error);
  g_assert_no_error (error);

  /* One byte in the second range: both refuse. */
  data[ranges[1].offset + 12345] ^= 0x01;
  signed_bytes[ranges[0].length + 12345] ^= 0x01;
  g_assert_true (g_file_set_contents (path, data, (gssize) length, NULL));
  lk_cms_signed_data_verify_file_ranges (parsed, path, ranges, 2, NULL, &error);
  g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_DIGEST);
  g_clear_error (&error);
  g_assert_false (openssl_verify (dir, der, signed_bytes, length - hole, NULL, &error));
  g_clear_error (&error);

  /* A right digest with a signature changed in its last byte: refused. */
  {
    g_autoptr(LkCmsSignedData) bad = NULL;
    g_autoptr(GBytes) bad_der = NULL;
    gsize size = 0;
    guint8 *bytes = g_bytes_unref_to_data (g_bytes_ref (der), &size);
    GBytes *signature = lk_cms_signed_data_get_signature (parsed);
    const guint8 *found = memmem (bytes, size, g_bytes_get_data (signature, NULL),
                                  g_bytes_get_size (signature));

    g_assert_nonnull (found);
    bytes[(found - bytes) + g_bytes_get_size (signature) - 1] ^= 0x01;
    bad_der = g_bytes_new_take (bytes, size);
    bad = lk_cms_parse (bad_der, &error);
    g_assert_no_error (error);
    lk_cms_signed_data_verify_digest (bad, expected, sizeof expected, &error);
    g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_SIGNATURE);
    g_clear_error (&error);
  }

  /* A range past the end of the file is an error, not a short digest. */
  ranges[1].length += 1;
  g_assert_null (lk_cms_hash_file_ranges (path, ranges, 2, GNUTLS_DIG_SHA256, NULL, &error));
  g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_IO);
  g_clear_error (&error);

  lk_test_rm_rf (dir);
}

static void
test_ranges_rsa (void)
{
  ranges_check (test_token->rsa_key_url, LK_TOKEN_KEY_TYPE_RSA);
}

static void
test_ranges_ec (void)
{
  ranges_check (test_token->ec_key_url, LK_TOKEN_KEY_TYPE_EC);
}

/* The stream hasher agrees with a one-shot digest. */
static void
test_hash_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) digest = NULL;
  g_autofree guint8 *data = g_malloc (200000);
  guint8 expected[32];

  for (gsize i = 0; i < 200000; i++)
    data[i] = (guint8) (i ^ (i >> 11));
  g_assert_cmpint (gnutls_hash_fast (GNUTLS_DIG_SHA256, data, 200000, expected), ==, 0);
  content = g_bytes_new (data, 200000);
  stream = g_memory_input_stream_new_from_bytes (content);
  digest = lk_cms_hash_stream (stream, GNUTLS_DIG_SHA256, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (digest, NULL), g_bytes_get_size (digest), expected, sizeof expected);
}

/* An unsigned attribute added later keeps the signature valid, and the
 * parser refuses garbage and truncation. */
static void
test_unsigned_and_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) with_attr = NULL;
  g_autoptr(GBytes) value = g_bytes_new_static ("\x04\x03" "abc", 5);
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x30\x84\xff\xff\xff\xff garbage", 14);
  g_autoptr(LkCmsSignedData) parsed = NULL;
  g_autofree char *dir = lk_test_make_tmpdir ("cms-unsigned");
  const char *data = "%PDF-1.7 unsigned attributes";
  GBytes *got;

  key = lk_token_key_open (test_token->ec_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  der = lk_cms_sign_with_token_key (key, NULL, (const guint8 *) data, strlen (data), &error);
  g_assert_no_error (error);
  with_attr = lk_cms_add_unsigned_attribute (der, LK_CMS_OID_TIMESTAMP_TOKEN, value, &error);
  g_assert_no_error (error);

  openssl_verify (dir, with_attr, data, strlen (data), NULL, &error);
  g_assert_no_error (error);
  parsed = lk_cms_parse (with_attr, &error);
  g_assert_no_error (error);
  got = lk_cms_signed_data_get_unsigned_attr (parsed, LK_CMS_OID_TIMESTAMP_TOKEN);
  g_assert_nonnull (got);
  g_assert_true (g_bytes_equal (got, value));
  g_assert_cmpint (gnutls_verify (with_attr, data, strlen (data)), ==, 0);

  truncated = g_bytes_new_from_bytes (with_attr, 0, g_bytes_get_size (with_attr) - 1);
  g_assert_null (lk_cms_parse (truncated, &error));
  g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (lk_cms_parse (garbage, &error));
  g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID);
  g_clear_error (&error);
  lk_test_rm_rf (dir);
}

/* Signatures made by OpenSSL in streaming mode (BER: indefinite lengths,
 * constructed eContent, as NSS writes them), and one padded with zeros as
 * in a PDF's /Contents, parse and verify; other trailing bytes do not. */
static void
test_parse_foreign (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lk_test_make_tmpdir ("cms-foreign");
  g_autofree char *data_path = g_build_filename (dir, "data.bin", NULL);
  g_autofree char *opaque_path = g_build_filename (dir, "opaque.der", NULL);
  g_autofree char *detached_path = g_build_filename (dir, "detached.der", NULL);
  g_autofree char *der = NULL;
  gsize der_len = 0;
  const char *data = "%PDF-1.7 signed elsewhere, with every byte \x01\xff";
  const char *opaque_argv[] = {
    "openssl", "cms", "-sign", "-in", data_path, "-signer", test_token->ca_pem,
    "-inkey", test_token->ca_key, "-binary", "-outform", "DER", "-stream", "-nodetach",
    "-md", "sha256", "-out", opaque_path, NULL
  };
  const char *detached_argv[] = {
    "openssl", "cms", "-sign", "-in", data_path, "-signer", test_token->ca_pem,
    "-inkey", test_token->ca_key, "-binary", "-outform", "DER", "-md", "sha256",
    "-out", detached_path, NULL
  };
  LkCmsRange range = { 0, strlen (data) };

  g_assert_true (g_file_set_contents (data_path, data, -1, NULL));
  lk_test_run (opaque_argv, NULL, NULL, &error);
  g_assert_no_error (error);
  lk_test_run (detached_argv, NULL, NULL, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(LkCmsSignedData) parsed = NULL;

    g_assert_true (g_file_get_contents (opaque_path, &der, &der_len, NULL));
    /* Indefinite length at the top: BER. */
    g_assert_cmpuint (der_len, >, 2);
    g_assert_cmpint ((guint8) der[1], ==, 0x80);
    bytes = g_bytes_new_take (g_steal_pointer (&der), der_len);
    parsed = lk_cms_parse (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (lk_cms_signed_data_get_econtent (parsed), NULL),
                     g_bytes_get_size (lk_cms_signed_data_get_econtent (parsed)),
                     data, strlen (data));
    lk_cms_signed_data_verify_econtent (parsed, &error);
    g_assert_no_error (error);
    /* OpenSSL adds signingTime. */
    g_assert_cmpint (lk_cms_signed_data_get_signing_time (parsed), >, 0);
  }

  {
    g_autoptr(GBytes) padded = NULL;
    g_autoptr(GBytes) trailing = NULL;
    g_autoptr(LkCmsSignedData) parsed = NULL;
    g_autofree char *buffer = NULL;

    g_assert_true (g_file_get_contents (detached_path, &der, &der_len, NULL));
    buffer = g_malloc0 (der_len + 100);
    memcpy (buffer, der, der_len);
    padded = g_bytes_new (buffer, der_len + 100);
    parsed = lk_cms_parse (padded, &error);
    g_assert_no_error (error);
    g_assert_null (lk_cms_signed_data_get_econtent (parsed));
    lk_cms_signed_data_verify_file_ranges (parsed, data_path, &range, 1, NULL, &error);
    g_assert_no_error (error);
    range.length--;
    lk_cms_signed_data_verify_file_ranges (parsed, data_path, &range, 1, NULL, &error);
    g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_DIGEST);
    g_clear_error (&error);

    buffer[der_len + 50] = 'x';
    trailing = g_bytes_new (buffer, der_len + 100);
    g_assert_null (lk_cms_parse (trailing, &error));
    g_assert_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID);
    g_clear_error (&error);
  }

  lk_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-cms", TRUE, &error);
  g_assert_no_error (error);
  /* This time the module by its path, not p11-kit's registry. */
  lk_token_init (lk_test_token_module_path (), &error);
  g_assert_no_error (error);

  g_test_add_func ("/sign/cms/rsa", test_sign_rsa);
  g_test_add_func ("/sign/cms/ec", test_sign_ec);
  g_test_add_func ("/sign/cms/chain", test_chain);
  g_test_add_func ("/sign/cms/file-key", test_sign_file_key);
  g_test_add_func ("/sign/cms/ranges-rsa", test_ranges_rsa);
  g_test_add_func ("/sign/cms/ranges-ec", test_ranges_ec);
  g_test_add_func ("/sign/cms/hash-stream", test_hash_stream);
  g_test_add_func ("/sign/cms/unsigned-and-garbage", test_unsigned_and_garbage);
  g_test_add_func ("/sign/cms/parse-foreign", test_parse_foreign);

  ret = g_test_run ();

  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
