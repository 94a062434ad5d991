/* fuzz-cms.c — a CMS SignedData as a signed PDF's /Contents holds it
 *
 * bytes → lk_cms_parse. When it parses: every getter (their bytes read
 * through, so ASan sees a bad buffer), lk_cms_signed_data_verify_digest
 * over a fixed digest no seed was signed over (it must fail, with an
 * LK_CMS_ERROR), and lk_cms_add_unsigned_attribute with a small attribute:
 * it fails with an LK_CMS_ERROR, or its DER parses again with the signed
 * part, the signature and the signer unchanged and the new attribute
 * readable.
 *
 * Seeds (corpus/cms, made once with throwaway self-signed keys): loket-*
 * by lk_cms_sign (EC and RSA, one with a timestamp token added by
 * lk_cms_add_unsigned_attribute), openssl-* by `openssl cms -sign -binary
 * -outform DER` (detached, -nodetach, -noattr, -keyid, -md sha1, and
 * -stream -indef for BER indefinite lengths), token-as-cms (a
 * TimeStampToken), loket-ec-indef (outer SEQUENCE made indefinite-length
 * by hand), truncations, trailing bytes, empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "sign/lk-cms.h"

/* An OID under the "example" arc (RFC 7229's 1.3.6.1.4.1.32473) that no
 * real SignedData uses, so the new attribute is the first with it. */
#define FUZZ_OID "1.3.6.1.4.1.32473.3"

/* The attribute's value: an OCTET STRING "fuzz". */
static const guint8 fuzz_value[] = { 0x04, 0x04, 'f', 'u', 'z', 'z' };

static guint
touch_bytes (GBytes *bytes)
{
  const guint8 *data;
  gsize size;
  guint sum = 0;

  if (bytes == NULL)
    return 0;
  data = g_bytes_get_data (bytes, &size);
  for (gsize i = 0; i < size; i++)
    sum += data[i];
  return sum;
}

static void
check_error (GError     *error,
             const char *what)
{
  if (error == NULL)
    fuzz_fail ("%s failed without an error", what);
  if (error->domain != LK_CMS_ERROR)
    fuzz_fail ("%s failed with an error outside LK_CMS_ERROR: %s", what, error->message);
}

static GBytes *
export_crt (gnutls_x509_crt_t crt)
{
  gnutls_datum_t out = { NULL, 0 };
  GBytes *bytes;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &out) < 0)
    fuzz_fail ("a certificate lk_cms_parse kept does not export");
  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return bytes;
}

/* Every getter; returns a sum of what they gave so nothing is optimised
 * away. */
static guint
read_everything (LkCmsSignedData *cms)
{
  gnutls_x509_crt_t signer = lk_cms_signed_data_get_signer (cms);
  GPtrArray *certs = lk_cms_signed_data_get_certificates (cms);
  const char *content_type = lk_cms_signed_data_get_content_type (cms);
  const char *signed_content_type = lk_cms_signed_data_get_signed_content_type (cms);
  g_autoptr(GBytes) signer_der = NULL;
  gboolean signer_listed = FALSE;
  guint sum = 0;

  if (signer == NULL)
    fuzz_fail ("a parsed SignedData has no signer certificate");
  if (certs == NULL || certs->len == 0 || certs->len > LK_CMS_MAX_CERTIFICATES)
    fuzz_fail ("a parsed SignedData has %u certificates", certs ? certs->len : 0);
  if (content_type == NULL)
    fuzz_fail ("a parsed SignedData has no eContentType");

  signer_der = export_crt (signer);
  sum += touch_bytes (signer_der);
  for (guint i = 0; i < certs->len; i++)
    {
      g_autoptr(GBytes) der = export_crt (g_ptr_array_index (certs, i));

      sum += touch_bytes (der);
      if (g_bytes_equal (der, signer_der))
        signer_listed = TRUE;
    }
  if (!signer_listed)
    fuzz_fail ("the signer certificate is not among the certificates");

  sum += (guint) strlen (content_type);
  if (signed_content_type != NULL)
    sum += (guint) strlen (signed_content_type);
  sum += touch_bytes (lk_cms_signed_data_get_econtent (cms));
  sum += (guint) lk_cms_signed_data_get_digest_algorithm (cms);
  sum += (guint) lk_cms_signed_data_get_signature_algorithm (cms);
  sum += touch_bytes (lk_cms_signed_data_get_signature (cms));
  sum += touch_bytes (lk_cms_signed_data_get_signed_attrs (cms));
  sum += touch_bytes (lk_cms_signed_data_get_message_digest (cms));
  sum += touch_bytes (lk_cms_signed_data_get_signing_certificate_v2 (cms));
  sum += (guint) lk_cms_signed_data_get_signing_time (cms);
  sum += touch_bytes (lk_cms_signed_data_get_signed_attr (cms, LK_CMS_OID_MESSAGE_DIGEST));
  sum += touch_bytes (lk_cms_signed_data_get_signed_attr (cms, LK_CMS_OID_SIGNING_TIME));
  sum += touch_bytes (lk_cms_signed_data_get_unsigned_attr (cms, LK_CMS_OID_TIMESTAMP_TOKEN));
  return sum;
}

static gboolean
bytes_same (GBytes *a,
            GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

static void
check_add_unsigned_attribute (GBytes          *der,
                              LkCmsSignedData *cms)
{
  g_autoptr(GBytes) value = g_bytes_new_static (fuzz_value, sizeof fuzz_value);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(LkCmsSignedData) again = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *got;

  out = lk_cms_add_unsigned_attribute (der, FUZZ_OID, value, &error);
  if (out == NULL)
    {
      check_error (error, "lk_cms_add_unsigned_attribute");
      return;
    }
  if (error != NULL)
    fuzz_fail ("lk_cms_add_unsigned_attribute returned DER and set an error");

  again = lk_cms_parse (out, &error);
  if (again == NULL)
    fuzz_fail ("lk_cms_add_unsigned_attribute made DER that lk_cms_parse refuses: %s",
               error ? error->message : "(no error)");
  read_everything (again);

  if (!bytes_same (lk_cms_signed_data_get_signed_attrs (cms),
                   lk_cms_signed_data_get_signed_attrs (again)))
    fuzz_fail ("lk_cms_add_unsigned_attribute changed the signed attributes");
  if (!bytes_same (lk_cms_signed_data_get_signature (cms),
                   lk_cms_signed_data_get_signature (again)))
    fuzz_fail ("lk_cms_add_unsigned_attribute changed the signature value");
  if (!bytes_same (lk_cms_signed_data_get_econtent (cms),
                   lk_cms_signed_data_get_econtent (again)))
    fuzz_fail ("lk_cms_add_unsigned_attribute changed the encapsulated content");
  if (g_strcmp0 (lk_cms_signed_data_get_content_type (cms),
                 lk_cms_signed_data_get_content_type (again)) != 0)
    fuzz_fail ("lk_cms_add_unsigned_attribute changed eContentType");
  if (lk_cms_signed_data_get_certificates (cms)->len !=
      lk_cms_signed_data_get_certificates (again)->len)
    fuzz_fail ("lk_cms_add_unsigned_attribute changed the certificates");

  got = lk_cms_signed_data_get_unsigned_attr (again, FUZZ_OID);
  if (got == NULL || !g_bytes_equal (got, value))
    fuzz_fail ("the attribute lk_cms_add_unsigned_attribute added does not read back");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) der = g_bytes_new (data, size);
  g_autoptr(LkCmsSignedData) cms = NULL;
  g_autoptr(GError) error = NULL;
  guint8 digest[LK_CMS_SHA256_SIZE];
  gboolean ok;

  cms = lk_cms_parse (der, &error);
  if (cms == NULL)
    {
      check_error (error, "lk_cms_parse");
      return 0;
    }
  if (error != NULL)
    fuzz_fail ("lk_cms_parse returned a SignedData and set an error");

  read_everything (cms);

  /* No seed was signed over this digest: verifying must fail, cleanly. */
  memset (digest, 0xa5, sizeof digest);
  ok = lk_cms_signed_data_verify_digest (cms, digest, sizeof digest, &error);
  if (ok)
    fuzz_fail ("lk_cms_signed_data_verify_digest accepted a digest nothing was signed over");
  check_error (error, "lk_cms_signed_data_verify_digest");
  g_clear_error (&error);

  /* Either way, but an error exactly when it fails. */
  ok = lk_cms_signed_data_verify_econtent (cms, &error);
  if (ok && error != NULL)
    fuzz_fail ("lk_cms_signed_data_verify_econtent succeeded and set an error");
  if (!ok)
    check_error (error, "lk_cms_signed_data_verify_econtent");
  g_clear_error (&error);

  check_add_unsigned_attribute (der, cms);
  return 0;
}
