/* lk-cms-parse.c — reading and verifying a CMS SignedData (one signer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sign"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "sign/lk-cms.h"
#include "sign/lk-cms-private.h"

#define OID_EC_PUBLIC_KEY "1.2.840.10045.2.1"

typedef struct
{
  char   *oid;
  GBytes *value;   /* the first value's DER */
} Attribute;

struct _LkCmsSignedData
{
  GPtrArray                 *certs;
  gnutls_x509_crt_t          signer;      /* in certs */
  char                      *content_type;
  GBytes                    *econtent;
  gnutls_digest_algorithm_t  digest_algo;
  gnutls_sign_algorithm_t    sign_algo;
  GBytes                    *signature;
  GBytes                    *signed_attrs_der;
  GArray                    *signed_attrs;    /* Attribute */
  GArray                    *unsigned_attrs;  /* Attribute */
  char                      *signed_content_type;
  GBytes                    *message_digest;
  gint64                     signing_time;
};

static void
attribute_clear (gpointer data)
{
  Attribute *attr = data;

  g_free (attr->oid);
  g_bytes_unref (attr->value);
}

void
lk_cms_signed_data_free (LkCmsSignedData *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->certs);
  g_free (self->content_type);
  g_clear_pointer (&self->econtent, g_bytes_unref);
  g_clear_pointer (&self->signature, g_bytes_unref);
  g_clear_pointer (&self->signed_attrs_der, g_bytes_unref);
  g_array_unref (self->signed_attrs);
  g_array_unref (self->unsigned_attrs);
  g_free (self->signed_content_type);
  g_clear_pointer (&self->message_digest, g_bytes_unref);
  g_free (self);
}

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
               _("The CMS signature is malformed: %s"), what);
  return FALSE;
}

static gboolean
read_attributes (asn1_node    sd,
                 const char  *path,
                 GArray      *out,
                 GError     **error)
{
  int n = lk_cms_asn1_count (sd, path);

  if (n > LK_CMS_MAX_ATTRIBUTES)
    return invalid (error, _("too many attributes"));

  for (int i = 1; i <= n; i++)
    {
      g_autofree char *type_path = g_strdup_printf ("%s.?%d.attrType", path, i);
      g_autofree char *values_path = g_strdup_printf ("%s.?%d.attrValues", path, i);
      g_autofree char *value_path = g_strdup_printf ("%s.?%d.attrValues.?1", path, i);
      Attribute attr = { NULL, NULL };

      attr.oid = lk_cms_asn1_read_oid (sd, type_path);
      if (lk_cms_asn1_count (sd, values_path) != 1)
        {
          g_free (attr.oid);
          return invalid (error, _("an attribute does not have exactly one value"));
        }
      attr.value = lk_cms_asn1_read (sd, value_path);
      if (attr.oid == NULL || attr.value == NULL)
        {
          g_free (attr.oid);
          g_clear_pointer (&attr.value, g_bytes_unref);
          return invalid (error, _("an attribute cannot be read"));
        }
      g_array_append_val (out, attr);
    }

  return TRUE;
}

static GBytes *
find_attribute (GArray     *attrs,
                const char *oid)
{
  for (guint i = 0; i < attrs->len; i++)
    {
      Attribute *attr = &g_array_index (attrs, Attribute, i);

      if (strcmp (attr->oid, oid) == 0)
        return attr->value;
    }
  return NULL;
}

/* The content of a DER TLV with TAG and a definite length that fills it. */
static const guint8 *
der_content (GBytes *value,
             guint8  tag,
             gsize  *length)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (value, &size);
  int len_len = 0;
  long len;

  if (size < 2 || data[0] != tag)
    return NULL;
  len = asn1_get_length_der (data + 1, (int) size - 1, &len_len);
  if (len < 0 || (gsize) (1 + len_len) + (gsize) len != size)
    return NULL;
  *length = (gsize) len;
  return data + 1 + len_len;
}

static int
two_digits (const guint8 *s)
{
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]))
    return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* UTCTime or GeneralizedTime "…YYMMDDHHMMSSZ", as Unix time, or -1. */
static gint64
parse_time (GBytes *value)
{
  g_autoptr(GDateTime) time = NULL;
  const guint8 *s;
  gsize len = 0;
  int year;
  int f[5];

  if ((s = der_content (value, 0x17, &len)) != NULL && len == 13)
    {
      year = two_digits (s);
      if (year < 0)
        return -1;
      year += year < 50 ? 2000 : 1900;
      s += 2;
    }
  else if ((s = der_content (value, 0x18, &len)) != NULL && len == 15)
    {
      int hi = two_digits (s), lo = two_digits (s + 2);

      if (hi < 0 || lo < 0)
        return -1;
      year = hi * 100 + lo;
      s += 4;
    }
  else
    return -1;

  for (int i = 0; i < 5; i++)
    if ((f[i] = two_digits (s + 2 * i)) < 0)
      return -1;
  if (s[10] != 'Z')
    return -1;

  time = g_date_time_new_utc (year, f[0], f[1], f[2], f[3], f[4]);
  return time != NULL ? g_date_time_to_unix (time) : -1;
}

static gboolean
read_algorithms (LkCmsSignedData  *self,
                 asn1_node         sd,
                 GError          **error)
{
  g_autofree char *digest_oid = lk_cms_asn1_read_oid (sd, "signerInfos.?1.digestAlgorithm.algorithm");
  g_autofree char *sign_oid = lk_cms_asn1_read_oid (sd, "signerInfos.?1.signatureAlgorithm.algorithm");

  if (digest_oid == NULL || sign_oid == NULL)
    return invalid (error, _("no algorithms"));

  self->digest_algo = gnutls_oid_to_digest (digest_oid);
  if (self->digest_algo != GNUTLS_DIG_SHA256 && self->digest_algo != GNUTLS_DIG_SHA384 &&
      self->digest_algo != GNUTLS_DIG_SHA512)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                   _("The CMS signature uses the digest algorithm %s; only SHA-256, SHA-384 and SHA-512 are accepted"),
                   digest_oid);
      return FALSE;
    }

  if (strcmp (sign_oid, LK_CMS_OID_RSA_ENCRYPTION) == 0)
    self->sign_algo = gnutls_pk_to_sign (GNUTLS_PK_RSA, self->digest_algo);
  else if (strcmp (sign_oid, OID_EC_PUBLIC_KEY) == 0)
    self->sign_algo = gnutls_pk_to_sign (GNUTLS_PK_ECDSA, self->digest_algo);
  else
    self->sign_algo = gnutls_oid_to_sign (sign_oid);

  if (self->sign_algo == GNUTLS_SIGN_UNKNOWN ||
      gnutls_sign_get_hash_algorithm (self->sign_algo) != self->digest_algo ||
      (gnutls_sign_get_pk_algorithm (self->sign_algo) != GNUTLS_PK_RSA &&
       gnutls_sign_get_pk_algorithm (self->sign_algo) != GNUTLS_PK_ECDSA))
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                   _("The CMS signature uses the signature algorithm %s, which is not supported with its digest"),
                   sign_oid);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_certificates (LkCmsSignedData  *self,
                   asn1_node         sd,
                   GError          **error)
{
  int n = lk_cms_asn1_count (sd, "certificates");

  if (n > LK_CMS_MAX_CERTIFICATES)
    return invalid (error, _("too many certificates"));

  for (int i = 1; i <= n; i++)
    {
      g_autofree char *path = g_strdup_printf ("certificates.?%d", i);
      g_autoptr(GBytes) der = lk_cms_asn1_read (sd, path);
      gnutls_x509_crt_t crt;
      gnutls_datum_t datum;

      if (der == NULL || g_bytes_get_size (der) < 2 || *(const guint8 *) g_bytes_get_data (der, NULL) != 0x30)
        continue;  /* not a plain X.509 certificate (attribute certificates…) */
      datum.data = (unsigned char *) g_bytes_get_data (der, NULL);
      datum.size = (unsigned int) g_bytes_get_size (der);
      if (gnutls_x509_crt_init (&crt) < 0)
        return invalid (error, _("out of memory"));
      if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
        {
          gnutls_x509_crt_deinit (crt);
          g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_CERTIFICATE,
                       _("A certificate in the CMS signature cannot be read"));
          return FALSE;
        }
      g_ptr_array_add (self->certs, crt);
    }

  return TRUE;
}

static gboolean
crt_matches_issuer_serial (gnutls_x509_crt_t  crt,
                           GBytes            *issuer,
                           GBytes            *serial)
{
  gnutls_datum_t crt_issuer = { NULL, 0 };
  guint8 buffer[128];
  size_t size = sizeof buffer;
  g_autoptr(GBytes) crt_serial = NULL;
  g_autoptr(GBytes) want_serial = NULL;
  g_autoptr(GBytes) have_serial = NULL;
  gboolean match;

  if (gnutls_x509_crt_get_serial (crt, buffer, &size) < 0)
    return FALSE;
  crt_serial = g_bytes_new (buffer, size);
  have_serial = lk_cms_integer_normalize (crt_serial);
  want_serial = lk_cms_integer_normalize (serial);
  if (!g_bytes_equal (have_serial, want_serial))
    return FALSE;
  if (issuer == NULL)
    return TRUE;

  if (gnutls_x509_crt_get_raw_issuer_dn (crt, &crt_issuer) < 0)
    return FALSE;
  match = crt_issuer.size == g_bytes_get_size (issuer) &&
          memcmp (crt_issuer.data, g_bytes_get_data (issuer, NULL), crt_issuer.size) == 0;
  gnutls_free (crt_issuer.data);
  return match;
}

static gboolean
find_signer (LkCmsSignedData  *self,
             asn1_node         sd,
             GError          **error)
{
  char choice[64];
  int len = sizeof choice;

  if (asn1_read_value (sd, "signerInfos.?1.sid", choice, &len) != ASN1_SUCCESS)
    return invalid (error, _("no signer identifier"));

  if (strcmp (choice, "issuerAndSerialNumber") == 0)
    {
      g_autoptr(GBytes) issuer = lk_cms_asn1_read (sd, "signerInfos.?1.sid.issuerAndSerialNumber.issuer");
      g_autoptr(GBytes) serial = lk_cms_asn1_read (sd, "signerInfos.?1.sid.issuerAndSerialNumber.serialNumber");

      if (issuer == NULL || serial == NULL)
        return invalid (error, _("no signer identifier"));
      for (guint i = 0; i < self->certs->len && self->signer == NULL; i++)
        if (crt_matches_issuer_serial (g_ptr_array_index (self->certs, i), issuer, serial))
          self->signer = g_ptr_array_index (self->certs, i);
    }
  else
    {
      g_autoptr(GBytes) ski = lk_cms_asn1_read (sd, "signerInfos.?1.sid.subjectKeyIdentifier");

      for (guint i = 0; ski != NULL && i < self->certs->len && self->signer == NULL; i++)
        {
          guint8 buffer[128];
          size_t size = sizeof buffer;
          unsigned int critical;

          if (gnutls_x509_crt_get_subject_key_id (g_ptr_array_index (self->certs, i), buffer,
                                                  &size, &critical) >= 0 &&
              size == g_bytes_get_size (ski) &&
              memcmp (buffer, g_bytes_get_data (ski, NULL), size) == 0)
            self->signer = g_ptr_array_index (self->certs, i);
        }
    }

  if (self->signer == NULL)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_SIGNER,
                   _("The CMS signature does not include its signer’s certificate"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_signed_attrs (LkCmsSignedData  *self,
                   asn1_node         sd,
                   GBytes           *content,
                   GError          **error)
{
  const guint8 *der = g_bytes_get_data (content, NULL);
  GBytes *value;
  int start = 0;
  int end = 0;
  guint8 *set;

  if (lk_cms_asn1_count (sd, "signerInfos.?1.signedAttrs") == 0)
    return TRUE;

  if (!read_attributes (sd, "signerInfos.?1.signedAttrs", self->signed_attrs, error))
    return FALSE;

  /* What was signed: the attributes' DER as received, with the SET tag. */
  if (asn1_der_decoding_startEnd (sd, der, (int) g_bytes_get_size (content),
                                  "signerInfos.?1.signedAttrs", &start, &end) != ASN1_SUCCESS ||
      start < 0 || end < start || der[start] != 0xa0)
    return invalid (error, _("the signed attributes cannot be located"));
  set = g_memdup2 (der + start, (gsize) (end - start + 1));
  set[0] = 0x31;
  self->signed_attrs_der = g_bytes_new_take (set, (gsize) (end - start + 1));

  if ((value = find_attribute (self->signed_attrs, LK_CMS_OID_MESSAGE_DIGEST)) != NULL)
    {
      gsize len = 0;
      const guint8 *digest = der_content (value, 0x04, &len);

      if (digest == NULL)
        return invalid (error, _("message-digest is not an OCTET STRING"));
      self->message_digest = g_bytes_new (digest, len);
    }
  if ((value = find_attribute (self->signed_attrs, LK_CMS_OID_CONTENT_TYPE)) != NULL)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (value, &size);
      char oid[128];
      int ret_len = 0;

      if (size < 2 || data[0] != 0x06 ||
          asn1_get_object_id_der (data + 1, (int) size - 1, &ret_len, oid, sizeof oid) != ASN1_SUCCESS)
        return invalid (error, _("content-type is not an OBJECT IDENTIFIER"));
      self->signed_content_type = g_strdup (oid);
    }
  if ((value = find_attribute (self->signed_attrs, LK_CMS_OID_SIGNING_TIME)) != NULL)
    {
      self->signing_time = parse_time (value);
      if (self->signing_time < 0)
        return invalid (error, _("signingTime is not a time"));
    }

  return TRUE;
}

/* BER to DER, for signatures made by NSS (pdfsig, LibreOffice), which
 * uses indefinite lengths and constructed OCTET STRINGs: the TLV at IN is
 * appended to OUT with definite lengths and its OCTET STRINGs primitive;
 * definite-length elements are copied byte for byte (so the signed
 * attributes stay as signed). *CONSUMED: the length of the TLV in IN. */
#define BER_MAX_DEPTH 24

static gboolean
ber_header (const guint8 *in,
            gsize         length,
            gsize        *header,
            gboolean     *indefinite,
            gsize        *content)
{
  gsize pos = 1;

  if (length < 2)
    return FALSE;
  if ((in[0] & 0x1f) == 0x1f)
    {
      while (pos < length && (in[pos] & 0x80) != 0 && pos < 5)
        pos++;
      pos++;
      if (pos >= length)
        return FALSE;
    }

  *indefinite = FALSE;
  if (in[pos] == 0x80)
    {
      if ((in[0] & 0x20) == 0)
        return FALSE;  /* only constructed values may be indefinite */
      *indefinite = TRUE;
      *content = 0;
      pos++;
    }
  else if (in[pos] < 0x80)
    *content = in[pos++];
  else
    {
      guint n = in[pos++] & 0x7f;

      if (n > 4 || pos + n > length)
        return FALSE;
      *content = 0;
      for (guint i = 0; i < n; i++)
        *content = (*content << 8) | in[pos++];
    }

  *header = pos;
  return *indefinite || *content <= length - pos;
}

static gboolean
ber_to_der (const guint8 *in,
            gsize         length,
            gsize        *consumed,
            GByteArray   *out,
            guint         depth)
{
  g_autoptr(GByteArray) children = NULL;
  gboolean indefinite = FALSE;
  gboolean octets;
  gsize header = 0;
  gsize content = 0;
  gsize pos;

  if (depth > BER_MAX_DEPTH || !ber_header (in, length, &header, &indefinite, &content))
    return FALSE;

  /* A universal constructed OCTET STRING becomes a primitive one. */
  octets = in[0] == 0x24;
  if (!indefinite && !octets)
    {
      g_byte_array_append (out, in, (guint) (header + content));
      *consumed = header + content;
      return TRUE;
    }

  children = g_byte_array_new ();
  pos = header;
  for (;;)
    {
      gsize used = 0;

      if (indefinite)
        {
          if (pos + 2 > length)
            return FALSE;
          if (in[pos] == 0 && in[pos + 1] == 0)
            {
              pos += 2;
              break;
            }
        }
      else if (pos >= header + content)
        break;

      if (octets)
        {
          g_autoptr(GByteArray) piece = g_byte_array_new ();
          gsize piece_header = 0;
          gboolean piece_indefinite = FALSE;
          gsize piece_content = 0;

          /* The pieces: primitive or again constructed OCTET STRINGs. */
          if ((in[pos] != 0x04 && in[pos] != 0x24) ||
              !ber_to_der (in + pos, (indefinite ? length : header + content) - pos, &used, piece, depth + 1) ||
              !ber_header (piece->data, piece->len, &piece_header, &piece_indefinite, &piece_content))
            return FALSE;
          g_byte_array_append (children, piece->data + piece_header, (guint) piece_content);
        }
      else if (!ber_to_der (in + pos, length - pos, &used, children, depth + 1))
        return FALSE;
      pos += used;
    }

  {
    guint8 tlv[6];
    guint n = 0;
    gsize len = children->len;

    tlv[n++] = octets ? 0x04 : in[0];
    if (header > 2 && (in[0] & 0x1f) == 0x1f)
      return FALSE;  /* multi-byte tags are not used by CMS */
    if (len < 0x80)
      tlv[n++] = (guint8) len;
    else
      {
        guint bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;

        tlv[n++] = (guint8) (0x80 | bytes);
        for (guint i = bytes; i > 0; i--)
          tlv[n++] = (guint8) (len >> (8 * (i - 1)));
      }
    g_byte_array_append (out, tlv, n);
    g_byte_array_append (out, children->data, children->len);
  }

  *consumed = pos;
  return TRUE;
}

LkCmsSignedData *
lk_cms_parse (GBytes  *der,
              GError **error)
{
  g_autoptr(LkCmsSignedData) self = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *type = NULL;
  asn1_node info = NULL;
  asn1_node sd = NULL;
  gboolean ok = FALSE;
  gsize size = 0;
  int version;

  g_return_val_if_fail (der != NULL, NULL);

  {
    g_autoptr(GByteArray) normal = g_byte_array_new ();
    const guint8 *data = g_bytes_get_data (der, &size);
    gsize used = 0;

    /* A PDF's /Contents pads the signature with zero bytes. */
    if (size == 0 || size > LK_CMS_MAX_DER || !ber_to_der (data, size, &used, normal, 0))
      {
        g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                     _("The CMS signature is not valid DER or BER, or larger than 1 MiB"));
        return NULL;
      }
    for (gsize i = used; i < size; i++)
      if (data[i] != 0)
        {
          g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                       _("The CMS signature is followed by other data"));
          return NULL;
        }
    info = lk_cms_asn1_decode ("LkCms.ContentInfo", normal->data, normal->len,
                               _("CMS signature"), error);
  }
  if (info == NULL)
    return NULL;

  self = g_new0 (LkCmsSignedData, 1);
  self->certs = g_ptr_array_new_with_free_func ((GDestroyNotify) gnutls_x509_crt_deinit);
  self->signed_attrs = g_array_new (FALSE, TRUE, sizeof (Attribute));
  g_array_set_clear_func (self->signed_attrs, attribute_clear);
  self->unsigned_attrs = g_array_new (FALSE, TRUE, sizeof (Attribute));
  g_array_set_clear_func (self->unsigned_attrs, attribute_clear);
  self->signing_time = -1;

  type = lk_cms_asn1_read_oid (info, "contentType");
  content = lk_cms_asn1_read (info, "content");
  if (g_strcmp0 (type, LK_CMS_OID_SIGNED_DATA) != 0 || content == NULL)
    {
      invalid (error, _("it holds no SignedData"));
      goto out;
    }

  sd = lk_cms_asn1_decode ("LkCms.SignedData", g_bytes_get_data (content, NULL),
                           g_bytes_get_size (content), _("CMS signature"), error);
  if (sd == NULL)
    goto out;

  version = lk_cms_asn1_read_int (sd, "version");
  if (version < 1 || version > 5)
    {
      invalid (error, _("unknown SignedData version"));
      goto out;
    }
  if (lk_cms_asn1_count (sd, "signerInfos") != 1)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                   _("The CMS signature does not have exactly one signer"));
      goto out;
    }

  self->content_type = lk_cms_asn1_read_oid (sd, "encapContentInfo.eContentType");
  if (self->content_type == NULL)
    {
      invalid (error, _("no content type"));
      goto out;
    }
  self->econtent = lk_cms_asn1_read (sd, "encapContentInfo.eContent");
  self->signature = lk_cms_asn1_read (sd, "signerInfos.?1.signature");
  if (self->signature == NULL || g_bytes_get_size (self->signature) == 0)
    {
      invalid (error, _("no signature value"));
      goto out;
    }

  if (!read_algorithms (self, sd, error) ||
      !read_certificates (self, sd, error) ||
      !find_signer (self, sd, error) ||
      !read_signed_attrs (self, sd, content, error) ||
      !read_attributes (sd, "signerInfos.?1.unsignedAttrs", self->unsigned_attrs, error))
    goto out;

  ok = TRUE;

out:
  asn1_delete_structure (&info);
  asn1_delete_structure (&sd);
  return ok ? g_steal_pointer (&self) : NULL;
}

gnutls_x509_crt_t
lk_cms_signed_data_get_signer (LkCmsSignedData *self)
{
  return self->signer;
}

GPtrArray *
lk_cms_signed_data_get_certificates (LkCmsSignedData *self)
{
  return self->certs;
}

const char *
lk_cms_signed_data_get_content_type (LkCmsSignedData *self)
{
  return self->content_type;
}

GBytes *
lk_cms_signed_data_get_econtent (LkCmsSignedData *self)
{
  return self->econtent;
}

gnutls_digest_algorithm_t
lk_cms_signed_data_get_digest_algorithm (LkCmsSignedData *self)
{
  return self->digest_algo;
}

gnutls_sign_algorithm_t
lk_cms_signed_data_get_signature_algorithm (LkCmsSignedData *self)
{
  return self->sign_algo;
}

GBytes *
lk_cms_signed_data_get_signature (LkCmsSignedData *self)
{
  return self->signature;
}

GBytes *
lk_cms_signed_data_get_signed_attrs (LkCmsSignedData *self)
{
  return self->signed_attrs_der;
}

GBytes *
lk_cms_signed_data_get_message_digest (LkCmsSignedData *self)
{
  return self->message_digest;
}

const char *
lk_cms_signed_data_get_signed_content_type (LkCmsSignedData *self)
{
  return self->signed_content_type;
}

GBytes *
lk_cms_signed_data_get_signing_certificate_v2 (LkCmsSignedData *self)
{
  return find_attribute (self->signed_attrs, LK_CMS_OID_SIGNING_CERTIFICATE_V2);
}

gint64
lk_cms_signed_data_get_signing_time (LkCmsSignedData *self)
{
  return self->signing_time;
}

GBytes *
lk_cms_signed_data_get_signed_attr (LkCmsSignedData *self,
                                    const char      *oid)
{
  return find_attribute (self->signed_attrs, oid);
}

GBytes *
lk_cms_signed_data_get_unsigned_attr (LkCmsSignedData *self,
                                      const char      *oid)
{
  return find_attribute (self->unsigned_attrs, oid);
}

/* signing-certificate-v2 (VALUE) names CRT: the hash of its first
 * ESSCertIDv2, and the serial number when issuerSerial is there. */
static gboolean
check_ess (GBytes             *value,
           gnutls_x509_crt_t   crt,
           GError            **error)
{
  g_autoptr(GBytes) cert_hash = NULL;
  g_autoptr(GBytes) serial = NULL;
  g_autofree char *hash_oid = NULL;
  gnutls_digest_algorithm_t algo = GNUTLS_DIG_SHA256;
  gnutls_datum_t der = { NULL, 0 };
  guint8 hash[64];
  gboolean ok = FALSE;
  asn1_node ess;

  ess = lk_cms_asn1_decode ("LkCms.SigningCertificateV2", g_bytes_get_data (value, NULL),
                            g_bytes_get_size (value), _("signing-certificate-v2 attribute"), error);
  if (ess == NULL)
    return FALSE;

  hash_oid = lk_cms_asn1_read_oid (ess, "certs.?1.hashAlgorithm.algorithm");
  if (hash_oid != NULL)
    algo = gnutls_oid_to_digest (hash_oid);
  cert_hash = lk_cms_asn1_read (ess, "certs.?1.certHash");
  serial = lk_cms_asn1_read (ess, "certs.?1.issuerSerial.serialNumber");

  if (cert_hash == NULL || gnutls_hash_get_len (algo) == 0 ||
      gnutls_hash_get_len (algo) != g_bytes_get_size (cert_hash) ||
      gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der) < 0 ||
      gnutls_hash_fast (algo, der.data, der.size, hash) < 0 ||
      memcmp (hash, g_bytes_get_data (cert_hash, NULL), g_bytes_get_size (cert_hash)) != 0 ||
      (serial != NULL && !crt_matches_issuer_serial (crt, NULL, serial)))
    g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_SIGNER,
                 _("The signing-certificate-v2 attribute names another certificate than the signer’s"));
  else
    ok = TRUE;

  gnutls_free (der.data);
  asn1_delete_structure (&ess);
  return ok;
}

gboolean
lk_cms_signed_data_verify_digest (LkCmsSignedData  *self,
                                  const guint8     *digest,
                                  gsize             digest_size,
                                  GError          **error)
{
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t data;
  gnutls_datum_t signature;
  GBytes *ess;
  int ret;

  g_return_val_if_fail (self != NULL && digest != NULL, FALSE);

  if (self->signed_attrs_der == NULL || self->message_digest == NULL ||
      self->signed_content_type == NULL)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_UNSUPPORTED,
                   _("The CMS signature has no signed attributes with content-type and message-digest"));
      return FALSE;
    }
  if (strcmp (self->signed_content_type, self->content_type) != 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                   _("The signed content-type differs from the content’s type"));
      return FALSE;
    }
  if (g_bytes_get_size (self->message_digest) != digest_size ||
      memcmp (g_bytes_get_data (self->message_digest, NULL), digest, digest_size) != 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_DIGEST,
                   _("The signed content was changed: its digest differs from the signed one"));
      return FALSE;
    }

  data.data = (unsigned char *) g_bytes_get_data (self->signed_attrs_der, NULL);
  data.size = (unsigned int) g_bytes_get_size (self->signed_attrs_der);
  signature.data = (unsigned char *) g_bytes_get_data (self->signature, NULL);
  signature.size = (unsigned int) g_bytes_get_size (self->signature);

  if ((ret = gnutls_pubkey_init (&pubkey)) >= 0 &&
      (ret = gnutls_pubkey_import_x509 (pubkey, self->signer, 0)) >= 0)
    ret = gnutls_pubkey_verify_data2 (pubkey, self->sign_algo, 0, &data, &signature);
  gnutls_pubkey_deinit (pubkey);
  if (ret < 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_SIGNATURE,
                   _("The CMS signature value does not verify with the signer’s certificate: %s"),
                   gnutls_strerror (ret));
      return FALSE;
    }

  ess = lk_cms_signed_data_get_signing_certificate_v2 (self);
  if (ess != NULL && !check_ess (ess, self->signer, error))
    return FALSE;

  return TRUE;
}

gboolean
lk_cms_signed_data_verify_file_ranges (LkCmsSignedData   *self,
                                       const char        *path,
                                       const LkCmsRange  *ranges,
                                       guint              n_ranges,
                                       GCancellable      *cancellable,
                                       GError           **error)
{
  g_autoptr(GBytes) digest = NULL;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  digest = lk_cms_hash_file_ranges (path, ranges, n_ranges, self->digest_algo, cancellable, error);
  if (digest == NULL)
    return FALSE;
  return lk_cms_signed_data_verify_digest (self, g_bytes_get_data (digest, NULL),
                                           g_bytes_get_size (digest), error);
}

gboolean
lk_cms_signed_data_verify_econtent (LkCmsSignedData  *self,
                                    GError          **error)
{
  guint8 digest[64];
  int ret;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->econtent == NULL)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_INVALID,
                   _("The CMS signature has no encapsulated content"));
      return FALSE;
    }
  ret = gnutls_hash_fast (self->digest_algo, g_bytes_get_data (self->econtent, NULL),
                          g_bytes_get_size (self->econtent), digest);
  if (ret < 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                   _("Cannot compute the digest: %s"), gnutls_strerror (ret));
      return FALSE;
    }
  return lk_cms_signed_data_verify_digest (self, digest, gnutls_hash_get_len (self->digest_algo),
                                           error);
}
