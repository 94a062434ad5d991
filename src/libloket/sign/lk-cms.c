/* lk-cms.c — CMS SignedData for PAdES, encoded with libtasn1 over a precomputed digest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#define G_LOG_DOMAIN "loket-sign"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "sign/lk-cms.h"
#include "sign/lk-cms-private.h"

#define MAX_CHAIN_FILE  (1024 * 1024)
#define MAX_CHAIN_CERTS 16
#define SHA256_SIZE     32
#define HASH_CHUNK      (64 * 1024)

G_DEFINE_QUARK (lk-cms-error-quark, lk_cms_error)

/* lk-cms-asn1-tab.c, made by asn1Parser from lk-cms.asn */
extern const asn1_static_node lk_cms_asn1_tab[];

/* DER: TAG, definite length, CONTENT. */
static void
der_append (GByteArray   *out,
            guint8        tag,
            const guint8 *content,
            gsize         length)
{
  guint8 header[6];
  guint n = 0;

  g_assert (length <= G_MAXUINT32);

  header[n++] = tag;
  if (length < 0x80)
    header[n++] = (guint8) length;
  else
    {
      guint bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;

      header[n++] = (guint8) (0x80 | bytes);
      for (guint i = bytes; i > 0; i--)
        header[n++] = (guint8) (length >> (8 * (i - 1)));
    }

  g_byte_array_append (out, header, n);
  g_byte_array_append (out, content, (guint) length);
}

static void
der_wrap (GByteArray *out,
          guint8      tag,
          GByteArray *content)
{
  der_append (out, tag, content->data, content->len);
}

GBytes *
lk_cms_signing_certificate_v2 (gnutls_x509_crt_t   crt,
                               GError            **error)
{
  g_autoptr(GByteArray) cert_id = g_byte_array_new ();
  g_autoptr(GByteArray) issuer_serial = g_byte_array_new ();
  g_autoptr(GByteArray) general_names = g_byte_array_new ();
  g_autoptr(GByteArray) directory_name = g_byte_array_new ();
  g_autoptr(GByteArray) ids = g_byte_array_new ();
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gnutls_datum_t der = { NULL, 0 };
  gnutls_datum_t issuer = { NULL, 0 };
  guint8 hash[SHA256_SIZE];
  guint8 serial[64];
  size_t serial_size = sizeof serial;
  const guint8 *serial_start = serial;
  g_autoptr(GByteArray) serial_int = g_byte_array_new ();
  int ret;

  g_return_val_if_fail (crt != NULL, NULL);

  if ((ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der)) < 0 ||
      (ret = gnutls_x509_crt_get_raw_issuer_dn (crt, &issuer)) < 0 ||
      (ret = gnutls_x509_crt_get_serial (crt, serial, &serial_size)) < 0 ||
      (ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, der.data, der.size, hash)) < 0)
    {
      gnutls_free (der.data);
      gnutls_free (issuer.data);
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_CERTIFICATE,
                   _("Cannot read the signer certificate: %s"), gnutls_strerror (ret));
      return NULL;
    }

  /* serialNumber: minimal two's complement of a positive number. */
  while (serial_size > 1 && serial_start[0] == 0 && (serial_start[1] & 0x80) == 0)
    {
      serial_start++;
      serial_size--;
    }
  if (serial_size == 0 || (serial_start[0] & 0x80) != 0)
    g_byte_array_append (serial_int, (const guint8 *) "\0", 1);
  g_byte_array_append (serial_int, serial_start, (guint) serial_size);

  /* GeneralNames { directoryName [4] EXPLICIT Name } */
  der_append (directory_name, 0xa4, issuer.data, issuer.size);
  der_wrap (general_names, 0x30, directory_name);
  /* IssuerSerial { issuer GeneralNames, serialNumber INTEGER } */
  g_byte_array_append (inner, general_names->data, general_names->len);
  der_append (inner, 0x02, serial_int->data, serial_int->len);
  der_wrap (issuer_serial, 0x30, inner);
  /* ESSCertIDv2 { certHash OCTET STRING, issuerSerial } — SHA-256 is the
   * default hashAlgorithm and so is left out (DER). */
  g_byte_array_set_size (inner, 0);
  der_append (inner, 0x04, hash, sizeof hash);
  g_byte_array_append (inner, issuer_serial->data, issuer_serial->len);
  der_wrap (cert_id, 0x30, inner);
  /* SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 } */
  der_wrap (ids, 0x30, cert_id);
  der_wrap (out, 0x30, ids);

  gnutls_free (der.data);
  gnutls_free (issuer.data);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* libtasn1 helpers */

asn1_node
lk_cms_asn1_definitions (void)
{
  static gsize once = 0;
  static asn1_node definitions = NULL;

  if (g_once_init_enter (&once))
    {
      char description[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
      int ret = asn1_array2tree (lk_cms_asn1_tab, &definitions, description);

      if (ret != ASN1_SUCCESS)
        g_error ("lk-cms.asn does not load: %s %s", asn1_strerror (ret), description);
      g_once_init_leave (&once, 1);
    }

  return definitions;
}

asn1_node
lk_cms_asn1_new (const char  *type,
                 GError     **error)
{
  asn1_node node = NULL;
  int ret = asn1_create_element (lk_cms_asn1_definitions (), type, &node);

  if (ret != ASN1_SUCCESS)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                   _("Cannot build the CMS structure %s: %s"), type, asn1_strerror (ret));
      return NULL;
    }
  return node;
}

asn1_node
lk_cms_asn1_decode (const char    *type,
                    const guint8  *der,
                    gsize          length,
                    const char    *what,
                    GError       **error)
{
  char description[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
  asn1_node node = NULL;
  int len;
  int ret;

  if (length == 0 || length > LK_CMS_MAX_DER)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                   _("The %s is empty or larger than 1 MiB"), what);
      return NULL;
    }

  node = lk_cms_asn1_new (type, error);
  if (node == NULL)
    return NULL;

  len = (int) length;
  ret = asn1_der_decoding2 (&node, der, &len, ASN1_DECODE_FLAG_STRICT_DER, description);
  if (ret != ASN1_SUCCESS || (gsize) len != length)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                   _("The %s is not valid DER: %s"), what,
                   ret != ASN1_SUCCESS ? asn1_strerror (ret) : _("trailing bytes"));
      asn1_delete_structure (&node);
      return NULL;
    }

  return node;
}

GBytes *
lk_cms_asn1_encode (asn1_node    node,
                    const char  *name,
                    GError     **error)
{
  char description[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
  g_autofree guint8 *der = NULL;
  int len = 0;
  int ret;

  ret = asn1_der_coding (node, name, NULL, &len, description);
  if (ret == ASN1_MEM_ERROR)
    {
      der = g_malloc (len > 0 ? (gsize) len : 1);
      ret = asn1_der_coding (node, name, der, &len, description);
    }
  if (ret != ASN1_SUCCESS)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                   _("Cannot encode the CMS structure: %s %s"), asn1_strerror (ret), description);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&der), (gsize) len);
}

GBytes *
lk_cms_asn1_read (asn1_node   node,
                  const char *name)
{
  g_autofree guint8 *value = NULL;
  int len = 0;
  int ret;

  ret = asn1_read_value (node, name, NULL, &len);
  if (ret == ASN1_SUCCESS && len == 0)
    return g_bytes_new (NULL, 0);
  if (ret != ASN1_MEM_ERROR || len <= 0 || len > LK_CMS_MAX_DER)
    return NULL;

  value = g_malloc ((gsize) len);
  if (asn1_read_value (node, name, value, &len) != ASN1_SUCCESS)
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&value), (gsize) len);
}

char *
lk_cms_asn1_read_oid (asn1_node   node,
                      const char *name)
{
  char oid[128];
  int len = sizeof oid;

  if (asn1_read_value (node, name, oid, &len) != ASN1_SUCCESS || len <= 0)
    return NULL;
  oid[sizeof oid - 1] = '\0';
  return g_strdup (oid);
}

int
lk_cms_asn1_read_int (asn1_node   node,
                      const char *name)
{
  guint8 value[4];
  int len = sizeof value;
  guint32 n = 0;

  if (asn1_read_value (node, name, value, &len) != ASN1_SUCCESS || len <= 0 || len > 4 ||
      (value[0] & 0x80) != 0)
    return -1;
  for (int i = 0; i < len; i++)
    n = (n << 8) | value[i];
  return n > G_MAXINT ? -1 : (int) n;
}

int
lk_cms_asn1_count (asn1_node   node,
                   const char *name)
{
  int n = 0;

  if (asn1_number_of_elements (node, name, &n) != ASN1_SUCCESS)
    return 0;
  return n;
}

GBytes *
lk_cms_integer_normalize (GBytes *integer)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (integer, &len);

  while (len > 1 && data[0] == 0)
    {
      data++;
      len--;
    }
  return g_bytes_new (data, len);
}

int
lk_cms_asn1_write_algorithm (asn1_node   node,
                             const char *path,
                             const char *oid,
                             gboolean    null_params)
{
  g_autofree char *algorithm = g_strconcat (path, ".algorithm", NULL);
  g_autofree char *parameters = g_strconcat (path, ".parameters", NULL);
  int ret;

  ret = asn1_write_value (node, algorithm, oid, 1);
  if (ret == ASN1_SUCCESS)
    ret = null_params ? asn1_write_value (node, parameters, "\x05\x00", 2)
                      : asn1_write_value (node, parameters, NULL, 0);
  return ret;
}

/* Streaming hashers */

static gboolean
hash_error (int       ret,
            GError  **error)
{
  g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
               _("Cannot compute the digest: %s"), gnutls_strerror (ret));
  return FALSE;
}

/* Feeds up to LIMIT bytes (G_MAXUINT64: to the end) of STREAM into HASH;
 * TRUE with the count read in *READ. */
static gboolean
hash_feed (gnutls_hash_hd_t   hash,
           GInputStream      *stream,
           guint8            *buffer,
           guint64            limit,
           guint64           *read,
           GCancellable      *cancellable,
           GError           **error)
{
  guint64 total = 0;

  while (total < limit)
    {
      gsize want = (gsize) MIN ((guint64) HASH_CHUNK, limit - total);
      gssize n = g_input_stream_read (stream, buffer, want, cancellable, error);
      int ret;

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      if ((ret = gnutls_hash (hash, buffer, (size_t) n)) < 0)
        return hash_error (ret, error);
      total += (guint64) n;
    }

  *read = total;
  return TRUE;
}

static GBytes *
hash_finish (gnutls_hash_hd_t           hash,
             gnutls_digest_algorithm_t  algo)
{
  guint size = gnutls_hash_get_len (algo);
  guint8 *digest = g_malloc (size);

  gnutls_hash_deinit (hash, digest);
  return g_bytes_new_take (digest, size);
}

static gboolean
hash_init (gnutls_hash_hd_t          *hash,
           gnutls_digest_algorithm_t  algo,
           GError                   **error)
{
  int ret;

  if (gnutls_hash_get_len (algo) == 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                   _("Unsupported digest algorithm"));
      return FALSE;
    }
  if ((ret = gnutls_hash_init (hash, algo)) < 0)
    return hash_error (ret, error);
  return TRUE;
}

GBytes *
lk_cms_hash_stream (GInputStream               *stream,
                    gnutls_digest_algorithm_t   algo,
                    GCancellable               *cancellable,
                    GError                    **error)
{
  g_autofree guint8 *buffer = NULL;
  gnutls_hash_hd_t hash;
  guint64 read = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  if (!hash_init (&hash, algo, error))
    return NULL;

  buffer = g_malloc (HASH_CHUNK);
  if (!hash_feed (hash, stream, buffer, G_MAXUINT64, &read, cancellable, error))
    {
      gnutls_hash_deinit (hash, NULL);
      return NULL;
    }

  return hash_finish (hash, algo);
}

GBytes *
lk_cms_hash_file_ranges (const char                 *path,
                         const LkCmsRange           *ranges,
                         guint                       n_ranges,
                         gnutls_digest_algorithm_t   algo,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *buffer = NULL;
  gnutls_hash_hd_t hash;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (ranges != NULL || n_ranges == 0, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_IO,
                   _("Cannot read “%s”: %s"), path, local_error->message);
      return NULL;
    }

  if (!hash_init (&hash, algo, error))
    return NULL;

  buffer = g_malloc (HASH_CHUNK);
  for (guint i = 0; i < n_ranges; i++)
    {
      guint64 read = 0;

      if (ranges[i].offset > G_MAXINT64 ||
          !g_seekable_seek (G_SEEKABLE (stream), (goffset) ranges[i].offset, G_SEEK_SET,
                            cancellable, &local_error) ||
          !hash_feed (hash, G_INPUT_STREAM (stream), buffer, ranges[i].length, &read,
                      cancellable, &local_error) ||
          read != ranges[i].length)
        {
          gnutls_hash_deinit (hash, NULL);
          if (local_error != NULL &&
              g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_IO,
                         _("Cannot read bytes %" PRIu64 "–%" PRIu64
                           " of “%s”: %s"),
                         ranges[i].offset, ranges[i].offset + ranges[i].length, path,
                         local_error != NULL ? local_error->message
                                             : _("the file is shorter"));
          return NULL;
        }
    }

  return hash_finish (hash, algo);
}

/* Encoding */

/* Appends to SET (a SET OF Attribute at PREFIX in NODE) one attribute OID
 * with the single value VALUE (DER). */
static int
write_attribute (asn1_node     node,
                 const char   *prefix,
                 const char   *oid,
                 const guint8 *value,
                 gsize         length)
{
  g_autofree char *type = g_strconcat (prefix, prefix[0] ? "." : "", "?LAST.attrType", NULL);
  g_autofree char *values = g_strconcat (prefix, prefix[0] ? "." : "", "?LAST.attrValues", NULL);
  g_autofree char *value_path = g_strconcat (values, ".?LAST", NULL);
  int ret;

  if ((ret = asn1_write_value (node, prefix, "NEW", 1)) != ASN1_SUCCESS ||
      (ret = asn1_write_value (node, type, oid, 1)) != ASN1_SUCCESS ||
      (ret = asn1_write_value (node, values, "NEW", 1)) != ASN1_SUCCESS)
    return ret;
  return asn1_write_value (node, value_path, value, (int) length);
}

/* content-type id-data, message-digest DIGEST, signing-certificate-v2 ESS. */
static int
write_signed_attributes (asn1_node     node,
                         const char   *prefix,
                         const guint8 *digest,
                         GBytes       *ess)
{
  guint8 content_type[32];
  int content_type_len = sizeof content_type;
  guint8 message_digest[2 + SHA256_SIZE];
  int ret;

  if ((ret = asn1_object_id_der (LK_CMS_OID_DATA, content_type, &content_type_len, 0)) != ASN1_SUCCESS)
    return ret;
  message_digest[0] = 0x04;
  message_digest[1] = SHA256_SIZE;
  memcpy (message_digest + 2, digest, SHA256_SIZE);

  if ((ret = write_attribute (node, prefix, LK_CMS_OID_CONTENT_TYPE,
                              content_type, (gsize) content_type_len)) != ASN1_SUCCESS ||
      (ret = write_attribute (node, prefix, LK_CMS_OID_MESSAGE_DIGEST,
                              message_digest, sizeof message_digest)) != ASN1_SUCCESS)
    return ret;
  return write_attribute (node, prefix, LK_CMS_OID_SIGNING_CERTIFICATE_V2,
                          g_bytes_get_data (ess, NULL), g_bytes_get_size (ess));
}

static int
write_certificate (asn1_node         node,
                   gnutls_x509_crt_t crt)
{
  gnutls_datum_t der = { NULL, 0 };
  int ret;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) < 0)
    return ASN1_GENERIC_ERROR;
  ret = asn1_write_value (node, "certificates", "NEW", 1);
  if (ret == ASN1_SUCCESS)
    ret = asn1_write_value (node, "certificates.?LAST", der.data, (int) der.size);
  gnutls_free (der.data);
  return ret;
}

/* The SignerInfo's sid: issuer and serial number of CRT. */
static int
write_sid (asn1_node         node,
           gnutls_x509_crt_t crt)
{
  gnutls_datum_t issuer = { NULL, 0 };
  guint8 serial[1 + 64];
  size_t serial_size = sizeof serial - 1;
  int ret;

  if (gnutls_x509_crt_get_raw_issuer_dn (crt, &issuer) < 0)
    return ASN1_GENERIC_ERROR;
  if (gnutls_x509_crt_get_serial (crt, serial + 1, &serial_size) < 0)
    {
      gnutls_free (issuer.data);
      return ASN1_GENERIC_ERROR;
    }
  /* A positive INTEGER: the leading zero keeps the sign bit clear. */
  serial[0] = 0;

  ret = asn1_write_value (node, "signerInfos.?LAST.sid", "issuerAndSerialNumber", 1);
  if (ret == ASN1_SUCCESS)
    ret = asn1_write_value (node, "signerInfos.?LAST.sid.issuerAndSerialNumber.issuer",
                            issuer.data, (int) issuer.size);
  if (ret == ASN1_SUCCESS)
    ret = asn1_write_value (node, "signerInfos.?LAST.sid.issuerAndSerialNumber.serialNumber",
                            serial, (int) serial_size + 1);
  gnutls_free (issuer.data);
  return ret;
}

static GBytes *
wrap_content_info (GBytes  *signed_data,
                   GError **error)
{
  asn1_node info = lk_cms_asn1_new ("LkCms.ContentInfo", error);
  GBytes *out = NULL;
  int ret;

  if (info == NULL)
    return NULL;
  if ((ret = asn1_write_value (info, "contentType", LK_CMS_OID_SIGNED_DATA, 1)) != ASN1_SUCCESS ||
      (ret = asn1_write_value (info, "content", g_bytes_get_data (signed_data, NULL),
                               (int) g_bytes_get_size (signed_data))) != ASN1_SUCCESS)
    g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                 _("Cannot build the CMS structure: %s"), asn1_strerror (ret));
  else
    out = lk_cms_asn1_encode (info, "", error);
  asn1_delete_structure (&info);
  return out;
}

/* The largest signature value KEY (whose certificate is SIGNER) makes, in bytes: an RSA signature is as
 * long as the modulus; an ECDSA one is a DER SEQUENCE of two INTEGERs of at
 * most the order's size plus a sign byte (with room for long-form
 * lengths). 0 when unknown. */
static gsize
max_signature_size (gnutls_privkey_t   key,
                    gnutls_x509_crt_t  signer)
{
  unsigned int bits = 0;
  int algo = gnutls_privkey_get_pk_algorithm (key, &bits);
  gsize n;

  /* A token's key may not tell its size; its certificate does. */
  if (bits == 0 && gnutls_x509_crt_get_pk_algorithm (signer, &bits) != algo)
    bits = 0;
  n = (bits + 7) / 8;

  if (bits == 0)
    return 0;
  if (algo == GNUTLS_PK_RSA)
    return n;
  if (algo == GNUTLS_PK_ECDSA)
    return 4 + 2 * (3 + n + 1);
  return 0;
}

/* SIZE_ONLY: no signature is made (a token that wants the PIN for every
 * signature is not asked); a zero-filled value of the key's largest
 * signature size stands in, so the DER is as long as or longer than the
 * real one. */
static GBytes *
sign_digest (gnutls_privkey_t    key,
             gnutls_x509_crt_t   signer,
             GPtrArray          *chain,
             const guint8       *digest,
             LkTokenKey         *token_key,
             gboolean            size_only,
             GError            **error)
{
  g_autoptr(GBytes) ess = NULL;
  g_autoptr(GBytes) attrs_der = NULL;
  g_autoptr(GBytes) signed_data = NULL;
  asn1_node attrs = NULL;
  asn1_node sd = NULL;
  gnutls_datum_t to_sign;
  gnutls_datum_t signature = { NULL, 0 };
  gboolean is_ec;
  GBytes *out = NULL;
  int ret;

  if (chain != NULL && chain->len >= MAX_CHAIN_CERTS)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_CERTIFICATE,
                   _("The certificate chain is too long (at most %d certificates)"),
                   MAX_CHAIN_CERTS - 1);
      return NULL;
    }

  ret = gnutls_privkey_get_pk_algorithm (key, NULL);
  if (ret != GNUTLS_PK_RSA && ret != GNUTLS_PK_ECDSA)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                   _("The key is neither RSA nor ECDSA: it cannot make a PAdES signature"));
      return NULL;
    }
  is_ec = ret == GNUTLS_PK_ECDSA;

  ess = lk_cms_signing_certificate_v2 (signer, error);
  if (ess == NULL)
    return NULL;

  /* The signed attributes as a SET: what is signed. */
  if ((attrs = lk_cms_asn1_new ("LkCms.SignedAttributes", error)) == NULL)
    return NULL;
  ret = write_signed_attributes (attrs, "", digest, ess);
  if (ret != ASN1_SUCCESS)
    goto asn1_failed;
  attrs_der = lk_cms_asn1_encode (attrs, "", error);
  if (attrs_der == NULL)
    goto out;

  to_sign.data = (unsigned char *) g_bytes_get_data (attrs_der, NULL);
  to_sign.size = (unsigned int) g_bytes_get_size (attrs_der);
  if (size_only)
    {
      gsize max = max_signature_size (key, signer);

      if (max == 0)
        {
          g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                       _("The size of the key is unknown: it cannot make a PAdES signature"));
          goto out;
        }
      signature.data = gnutls_calloc (1, max);
      signature.size = (unsigned int) max;
      /* A leading zero byte would not make an RSA value shorter in DER (it
       * is an OCTET STRING), and the ECDSA stand-in is never parsed. */
      ret = signature.data != NULL ? 0 : GNUTLS_E_MEMORY_ERROR;
    }
  else
    ret = gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &to_sign, &signature);
  if (ret < 0)
    {
      if (token_key != NULL)
        lk_token_key_set_sign_error (token_key, ret, error);
      else
        g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                     _("Cannot make the CMS signature: %s"), gnutls_strerror (ret));
      goto out;
    }

  if ((sd = lk_cms_asn1_new ("LkCms.SignedData", error)) == NULL)
    goto out;

#define CHECK(expr) if ((ret = (expr)) != ASN1_SUCCESS) goto asn1_failed
  CHECK (asn1_write_value (sd, "version", "1", 0));
  CHECK (asn1_write_value (sd, "digestAlgorithms", "NEW", 1));
  CHECK (lk_cms_asn1_write_algorithm (sd, "digestAlgorithms.?LAST", LK_CMS_OID_SHA256, FALSE));
  CHECK (asn1_write_value (sd, "encapContentInfo.eContentType", LK_CMS_OID_DATA, 1));
  CHECK (asn1_write_value (sd, "encapContentInfo.eContent", NULL, 0));
  CHECK (write_certificate (sd, signer));
  for (guint i = 0; chain != NULL && i < chain->len; i++)
    CHECK (write_certificate (sd, g_ptr_array_index (chain, i)));
  CHECK (asn1_write_value (sd, "crls", NULL, 0));
  CHECK (asn1_write_value (sd, "signerInfos", "NEW", 1));
  CHECK (asn1_write_value (sd, "signerInfos.?LAST.version", "1", 0));
  CHECK (write_sid (sd, signer));
  CHECK (lk_cms_asn1_write_algorithm (sd, "signerInfos.?LAST.digestAlgorithm",
                                      LK_CMS_OID_SHA256, FALSE));
  CHECK (write_signed_attributes (sd, "signerInfos.?LAST.signedAttrs", digest, ess));
  /* rsaEncryption (NULL parameters) is what OpenSSL and NSS write and read
   * for PKCS#1 v1.5; ECDSA names its digest. */
  CHECK (lk_cms_asn1_write_algorithm (sd, "signerInfos.?LAST.signatureAlgorithm",
                                      is_ec ? LK_CMS_OID_ECDSA_SHA256 : LK_CMS_OID_RSA_ENCRYPTION,
                                      !is_ec));
  CHECK (asn1_write_value (sd, "signerInfos.?LAST.signature", signature.data, (int) signature.size));
  CHECK (asn1_write_value (sd, "signerInfos.?LAST.unsignedAttrs", NULL, 0));
#undef CHECK

  signed_data = lk_cms_asn1_encode (sd, "", error);
  if (signed_data != NULL)
    out = wrap_content_info (signed_data, error);
  goto out;

asn1_failed:
  g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
               _("Cannot build the CMS structure: %s"), asn1_strerror (ret));
out:
  gnutls_free (signature.data);
  asn1_delete_structure (&attrs);
  asn1_delete_structure (&sd);
  return out;
}

GBytes *
lk_cms_sign_digest (gnutls_privkey_t    key,
                    gnutls_x509_crt_t   signer,
                    GPtrArray          *chain,
                    const guint8       *digest,
                    GError            **error)
{
  g_return_val_if_fail (key != NULL && signer != NULL, NULL);
  g_return_val_if_fail (digest != NULL, NULL);

  return sign_digest (key, signer, chain, digest, NULL, FALSE, error);
}

GBytes *
lk_cms_sign_digest_with_token_key (LkTokenKey    *key,
                                   GPtrArray     *chain,
                                   const guint8  *digest,
                                   GError       **error)
{
  g_return_val_if_fail (LK_IS_TOKEN_KEY (key), NULL);
  g_return_val_if_fail (digest != NULL, NULL);

  return sign_digest (lk_token_key_get_privkey (key), lk_token_key_get_certificate (key),
                      chain, digest, key, FALSE, error);
}

gsize
lk_cms_estimate_size_with_token_key (LkTokenKey  *key,
                                     GPtrArray   *chain,
                                     GError     **error)
{
  guint8 digest[SHA256_SIZE] = { 0, };
  g_autoptr(GBytes) der = NULL;

  g_return_val_if_fail (LK_IS_TOKEN_KEY (key), 0);

  der = sign_digest (lk_token_key_get_privkey (key), lk_token_key_get_certificate (key),
                     chain, digest, key, TRUE, error);
  return der != NULL ? g_bytes_get_size (der) : 0;
}

static gboolean
digest_data (const guint8  *data,
             gsize          length,
             guint8        *digest,
             GError       **error)
{
  int ret;

  if (length == 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                   _("There is nothing to sign: the data is empty"));
      return FALSE;
    }
  if ((ret = gnutls_hash_fast (GNUTLS_DIG_SHA256, data, length, digest)) < 0)
    return hash_error (ret, error);
  return TRUE;
}

GBytes *
lk_cms_sign (gnutls_privkey_t    key,
             gnutls_x509_crt_t   signer,
             GPtrArray          *chain,
             const guint8       *data,
             gsize               length,
             GError            **error)
{
  guint8 digest[SHA256_SIZE];

  g_return_val_if_fail (key != NULL && signer != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!digest_data (data, length, digest, error))
    return NULL;
  return sign_digest (key, signer, chain, digest, NULL, FALSE, error);
}

GBytes *
lk_cms_sign_with_token_key (LkTokenKey    *key,
                            GPtrArray     *chain,
                            const guint8  *data,
                            gsize          length,
                            GError       **error)
{
  guint8 digest[SHA256_SIZE];

  g_return_val_if_fail (LK_IS_TOKEN_KEY (key), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!digest_data (data, length, digest, error))
    return NULL;
  return lk_cms_sign_digest_with_token_key (key, chain, digest, error);
}

/* The offset of the content of the TLV at DER[START], or -1. */
static int
tlv_content_start (const guint8 *der,
                   int           start,
                   int           end)
{
  int len_len = 0;
  long len;

  if (end - start < 1)
    return -1;
  len = asn1_get_length_der (der + start + 1, end - start, &len_len);
  if (len < 0 || start + 1 + len_len + len != end + 1)
    return -1;
  return start + 1 + len_len;
}

/* The new unsignedAttrs ([1] IMPLICIT SET OF Attribute) of a SignerInfo:
 * the old ones (OLD, DER with its [1] tag, or NULL) and OID = VALUE. */
static GBytes *
make_unsigned_attrs (const guint8  *old,
                     gsize          old_length,
                     const char    *oid,
                     GBytes        *value,
                     GError       **error)
{
  asn1_node attrs = NULL;
  GBytes *out = NULL;
  int ret;

  if (old != NULL)
    {
      g_autofree guint8 *set = g_memdup2 (old, old_length);

      set[0] = 0x31;
      attrs = lk_cms_asn1_decode ("LkCms.SignedAttributes", set, old_length,
                                  _("CMS signature"), error);
    }
  else
    attrs = lk_cms_asn1_new ("LkCms.SignedAttributes", error);
  if (attrs == NULL)
    return NULL;

  if (lk_cms_asn1_count (attrs, "") >= LK_CMS_MAX_ATTRIBUTES)
    g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                 _("The CMS signature has too many unsigned attributes"));
  else if ((ret = write_attribute (attrs, "", oid, g_bytes_get_data (value, NULL),
                                   g_bytes_get_size (value))) != ASN1_SUCCESS)
    g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                 _("Cannot add the attribute to the CMS signature: %s"), asn1_strerror (ret));
  else
    out = lk_cms_asn1_encode (attrs, "", error);

  asn1_delete_structure (&attrs);
  if (out != NULL)
    {
      gsize size = 0;
      guint8 *data = g_bytes_unref_to_data (out, &size);

      data[0] = 0xa1;
      out = g_bytes_new_take (data, size);
    }
  return out;
}

/* libtasn1 drops absent optional fields when it decodes, so the new
 * attribute cannot be written into the decoded tree: the SignedData is
 * rebuilt around the bytes of its signed part instead. signerInfos is the
 * last field of SignedData and unsignedAttrs the last of SignerInfo. */
GBytes *
lk_cms_add_unsigned_attribute (GBytes      *der,
                               const char  *oid,
                               GBytes      *value,
                               GError     **error)
{
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) unsigned_attrs = NULL;
  g_autoptr(GByteArray) signer_info = g_byte_array_new ();
  g_autoptr(GByteArray) signer_infos = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) signed_data = g_byte_array_new ();
  g_autofree char *type = NULL;
  asn1_node info = NULL;
  asn1_node sd = NULL;
  const guint8 *sd_der;
  int sd_start, si_start = 0, si_end = 0, sis_start = 0, sis_end = 0, ua_start = -1, ua_end = -1;
  int si_content, sd_content;
  GBytes *out = NULL;

  g_return_val_if_fail (der != NULL && oid != NULL && value != NULL, NULL);

  info = lk_cms_asn1_decode ("LkCms.ContentInfo", g_bytes_get_data (der, NULL),
                             g_bytes_get_size (der), _("CMS signature"), error);
  if (info == NULL)
    return NULL;
  type = lk_cms_asn1_read_oid (info, "contentType");
  content = lk_cms_asn1_read (info, "content");
  if (g_strcmp0 (type, LK_CMS_OID_SIGNED_DATA) != 0 || content == NULL)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                   _("The CMS signature holds no SignedData"));
      goto out;
    }
  sd_der = g_bytes_get_data (content, NULL);
  sd = lk_cms_asn1_decode ("LkCms.SignedData", sd_der, g_bytes_get_size (content),
                           _("CMS signature"), error);
  if (sd == NULL)
    goto out;
  if (lk_cms_asn1_count (sd, "signerInfos") != 1)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                   _("The CMS signature does not have exactly one signer"));
      goto out;
    }

  if (asn1_der_decoding_startEnd (sd, sd_der, (int) g_bytes_get_size (content), "signerInfos",
                                  &sis_start, &sis_end) != ASN1_SUCCESS ||
      asn1_der_decoding_startEnd (sd, sd_der, (int) g_bytes_get_size (content), "signerInfos.?1",
                                  &si_start, &si_end) != ASN1_SUCCESS ||
      (lk_cms_asn1_count (sd, "signerInfos.?1.unsignedAttrs") > 0 &&
       asn1_der_decoding_startEnd (sd, sd_der, (int) g_bytes_get_size (content),
                                   "signerInfos.?1.unsignedAttrs", &ua_start, &ua_end) != ASN1_SUCCESS) ||
      (si_content = tlv_content_start (sd_der, si_start, si_end)) < 0 ||
      (sd_content = tlv_content_start (sd_der, 0, (int) g_bytes_get_size (content) - 1)) < 0 ||
      si_end != sis_end || sis_end != (int) g_bytes_get_size (content) - 1 ||
      (ua_start >= 0 && ua_end != si_end))
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                   _("The CMS signature is malformed: %s"), _("its signer cannot be located"));
      goto out;
    }

  unsigned_attrs = make_unsigned_attrs (ua_start >= 0 ? sd_der + ua_start : NULL,
                                        ua_start >= 0 ? (gsize) (ua_end - ua_start + 1) : 0,
                                        oid, value, error);
  if (unsigned_attrs == NULL)
    goto out;

  /* SignerInfo: everything before unsignedAttrs, then the new ones. */
  sd_start = ua_start >= 0 ? ua_start : si_end + 1;
  g_byte_array_append (body, sd_der + si_content, (guint) (sd_start - si_content));
  g_byte_array_append (body, g_bytes_get_data (unsigned_attrs, NULL),
                       (guint) g_bytes_get_size (unsigned_attrs));
  der_wrap (signer_info, 0x30, body);
  der_wrap (signer_infos, 0x31, signer_info);
  /* SignedData: everything before signerInfos, then the new SET. */
  g_byte_array_set_size (body, 0);
  g_byte_array_append (body, sd_der + sd_content, (guint) (sis_start - sd_content));
  g_byte_array_append (body, signer_infos->data, signer_infos->len);
  der_wrap (signed_data, 0x30, body);

  {
    g_autoptr(GBytes) bytes = g_bytes_new (signed_data->data, signed_data->len);

    out = wrap_content_info (bytes, error);
  }

out:
  asn1_delete_structure (&info);
  asn1_delete_structure (&sd);
  return out;
}

GPtrArray *
lk_cms_load_certificates (const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func ((GDestroyNotify) gnutls_x509_crt_deinit);
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;
  gnutls_datum_t datum;
  gnutls_x509_crt_t list[MAX_CHAIN_CERTS];
  unsigned int n = MAX_CHAIN_CERTS;
  int ret;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_CHAIN_FILE)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_CERTIFICATE,
                   _("“%s” is not a certificate file (missing, not a file, or over 1 MiB)"), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  datum.data = (unsigned char *) contents;
  datum.size = (unsigned int) length;
  ret = gnutls_x509_crt_list_import (list, &n, &datum, GNUTLS_X509_FMT_PEM, 0);
  if (ret < 0 || n == 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_CERTIFICATE,
                   _("“%s” holds no PEM certificates (at most %d): %s"), path, MAX_CHAIN_CERTS,
                   gnutls_strerror (ret < 0 ? ret : GNUTLS_E_NO_CERTIFICATE_FOUND));
      return NULL;
    }

  for (unsigned int i = 0; i < n; i++)
    g_ptr_array_add (certs, list[i]);

  return g_steal_pointer (&certs);
}
