/* lk-cms.c — CMS SignedData for PAdES with gnutls_pkcs7_sign
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sign"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/crypto.h>

#include "sign/lk-cms.h"

#define MAX_CHAIN_FILE  (1024 * 1024)
#define MAX_CHAIN_CERTS 16
#define SHA256_SIZE     32

G_DEFINE_QUARK (lk-cms-error-quark, lk_cms_error)

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

static gboolean
check_length (gsize    length,
              GError **error)
{
  /* GnuTLS takes empty content for "the content is embedded". */
  if (length == 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                   _("There is nothing to sign: the data is empty"));
      return FALSE;
    }
  if (length > G_MAXUINT32)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                   _("Cannot sign more than 4 GiB at once"));
      return FALSE;
    }
  return TRUE;
}

/* A negative GnuTLS code, or the DER in *OUT. */
static int
sign_raw (gnutls_privkey_t    key,
          gnutls_x509_crt_t   signer,
          GPtrArray          *chain,
          const guint8       *data,
          gsize               length,
          GBytes             *ess,
          GBytes            **out)
{
  gnutls_pkcs7_t pkcs7 = NULL;
  gnutls_pkcs7_attrs_t attrs = NULL;
  gnutls_datum_t ess_datum;
  gnutls_datum_t content;
  gnutls_datum_t der = { NULL, 0 };
  int ret;

  ess_datum.data = (unsigned char *) g_bytes_get_data (ess, NULL);
  ess_datum.size = (unsigned int) g_bytes_get_size (ess);
  content.data = (unsigned char *) data;
  content.size = (unsigned int) length;

  if ((ret = gnutls_pkcs7_init (&pkcs7)) < 0)
    return ret;
  if ((ret = gnutls_pkcs7_add_attr (&attrs, LK_CMS_OID_SIGNING_CERTIFICATE_V2, &ess_datum, 0)) < 0)
    goto out;

  /* No GNUTLS_PKCS7_INCLUDE_TIME: PAdES forbids signingTime (the time is
   * the /M entry or a timestamp). Content-type and message-digest come with
   * any signed attribute. */
  ret = gnutls_pkcs7_sign (pkcs7, signer, key, &content, attrs, NULL,
                           GNUTLS_DIG_SHA256, GNUTLS_PKCS7_INCLUDE_CERT);
  if (ret < 0)
    goto out;

  for (guint i = 0; chain != NULL && i < chain->len; i++)
    if ((ret = gnutls_pkcs7_set_crt (pkcs7, g_ptr_array_index (chain, i))) < 0)
      goto out;

  if ((ret = gnutls_pkcs7_export2 (pkcs7, GNUTLS_X509_FMT_DER, &der)) < 0)
    goto out;

  *out = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  ret = 0;

out:
  gnutls_pkcs7_attrs_deinit (attrs);
  gnutls_pkcs7_deinit (pkcs7);
  return ret;
}

GBytes *
lk_cms_sign (gnutls_privkey_t    key,
             gnutls_x509_crt_t   signer,
             GPtrArray          *chain,
             const guint8       *data,
             gsize               length,
             GError            **error)
{
  g_autoptr(GBytes) ess = NULL;
  GBytes *out = NULL;
  int ret;

  g_return_val_if_fail (key != NULL && signer != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!check_length (length, error))
    return NULL;

  ess = lk_cms_signing_certificate_v2 (signer, error);
  if (ess == NULL)
    return NULL;

  ret = sign_raw (key, signer, chain, data, length, ess, &out);
  if (ret < 0)
    {
      g_set_error (error, LK_CMS_ERROR, LK_CMS_ERROR_FAILED,
                   _("Cannot make the CMS signature: %s"), gnutls_strerror (ret));
      return NULL;
    }

  return out;
}

GBytes *
lk_cms_sign_with_token_key (LkTokenKey    *key,
                            GPtrArray     *chain,
                            const guint8  *data,
                            gsize          length,
                            GError       **error)
{
  gnutls_x509_crt_t signer;
  g_autoptr(GBytes) ess = NULL;
  GBytes *out = NULL;
  int ret;

  g_return_val_if_fail (LK_IS_TOKEN_KEY (key), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!check_length (length, error))
    return NULL;

  signer = lk_token_key_get_certificate (key);
  ess = lk_cms_signing_certificate_v2 (signer, error);
  if (ess == NULL)
    return NULL;

  ret = sign_raw (lk_token_key_get_privkey (key), signer, chain, data, length, ess, &out);
  if (ret < 0)
    {
      lk_token_key_set_sign_error (key, ret, error);
      return NULL;
    }

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
