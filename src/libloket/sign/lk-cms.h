/* lk-cms.h — CMS SignedData for PAdES: detached, SHA-256, ESS signing-certificate-v2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "sign/lk-token-key.h"

G_BEGIN_DECLS

#define LK_CMS_ERROR (lk_cms_error_quark ())
GQuark lk_cms_error_quark (void);

typedef enum
{
  LK_CMS_ERROR_FAILED,       /* GnuTLS could not build or sign the structure */
  LK_CMS_ERROR_CERTIFICATE,  /* a certificate could not be read */
  LK_CMS_ERROR_INVALID,      /* the DER is not a SignedData we can read */
  LK_CMS_ERROR_UNSUPPORTED,  /* an algorithm or structure we do not handle */
  LK_CMS_ERROR_IO,           /* the signed file could not be read */
  LK_CMS_ERROR_DIGEST,       /* the content does not match message-digest */
  LK_CMS_ERROR_SIGNATURE,    /* the signature value does not verify */
  LK_CMS_ERROR_SIGNER,       /* no signer certificate, or ESS names another */
} LkCmsError;

#define LK_CMS_OID_DATA                   "1.2.840.113549.1.7.1"
#define LK_CMS_OID_SIGNED_DATA            "1.2.840.113549.1.7.2"
#define LK_CMS_OID_TST_INFO               "1.2.840.113549.1.9.16.1.4"
#define LK_CMS_OID_CONTENT_TYPE           "1.2.840.113549.1.9.3"
#define LK_CMS_OID_MESSAGE_DIGEST         "1.2.840.113549.1.9.4"
#define LK_CMS_OID_SIGNING_TIME           "1.2.840.113549.1.9.5"
#define LK_CMS_OID_SIGNING_CERTIFICATE_V2 "1.2.840.113549.1.9.16.2.47"
#define LK_CMS_OID_TIMESTAMP_TOKEN        "1.2.840.113549.1.9.16.2.14"

/* Limits of what lk_cms_parse reads. */
#define LK_CMS_MAX_DER          (1024 * 1024)
#define LK_CMS_MAX_CERTIFICATES 16
#define LK_CMS_MAX_ATTRIBUTES   32

#define LK_CMS_SHA256_SIZE 32

/* One byte range of a file, as in a PDF /ByteRange. */
typedef struct
{
  guint64 offset;
  guint64 length;
} LkCmsRange;

/* The DER of an ESS SigningCertificateV2 attribute value naming CRT: one
 * ESSCertIDv2 with the SHA-256 (default algorithm, omitted) of the
 * certificate's DER and its issuer and serial number (RFC 5035). */
GBytes   *lk_cms_signing_certificate_v2  (gnutls_x509_crt_t   crt,
                                          GError            **error);

/* Streaming hashers: ALGO over STREAM to its end, or over RANGES of the file
 * at PATH (in order, each read in 64 KiB chunks; a range past the end of the
 * file is an error). The file is never held in memory. The digest, or NULL
 * with LK_CMS_ERROR_IO (or G_IO_ERROR_CANCELLED). */
GBytes   *lk_cms_hash_stream             (GInputStream                *stream,
                                          gnutls_digest_algorithm_t    algo,
                                          GCancellable                *cancellable,
                                          GError                     **error);
GBytes   *lk_cms_hash_file_ranges        (const char                  *path,
                                          const LkCmsRange            *ranges,
                                          guint                        n_ranges,
                                          gnutls_digest_algorithm_t    algo,
                                          GCancellable                *cancellable,
                                          GError                     **error);

/* A detached CMS SignedData (DER ContentInfo) over content whose SHA-256 is
 * DIGEST (LK_CMS_SHA256_SIZE bytes): signed attributes content-type (id-data),
 * message-digest and signing-certificate-v2, no signingTime; SIGNER and
 * CHAIN (gnutls_x509_crt_t, may be NULL; at most 15) in certificates. RSA
 * PKCS#1 v1.5 (signatureAlgorithm rsaEncryption) or ECDSA
 * (ecdsa-with-SHA256), as KEY is. Errors: LK_CMS_ERROR. */
GBytes   *lk_cms_sign_digest             (gnutls_privkey_t    key,
                                          gnutls_x509_crt_t   signer,
                                          GPtrArray          *chain,
                                          const guint8       *digest,
                                          GError            **error);

/* The largest DER size of a CMS lk_cms_sign_digest_with_token_key makes
 * with KEY and CHAIN, found without signing (so a key that wants the PIN
 * for every signature is not asked); 0 with ERROR set on failure. */
gsize     lk_cms_estimate_size_with_token_key (LkTokenKey  *key,
                                               GPtrArray   *chain,
                                               GError     **error);

/* lk_cms_sign_digest with KEY's private key and certificate; a failure of
 * the token (removed, per-signature PIN rejected) is an LK_TOKEN_ERROR. */
GBytes   *lk_cms_sign_digest_with_token_key (LkTokenKey      *key,
                                             GPtrArray       *chain,
                                             const guint8    *digest,
                                             GError         **error);

/* lk_cms_sign_digest over the SHA-256 of DATA (in memory: for small
 * content; for a file use lk_cms_hash_file_ranges and lk_cms_sign_digest).
 * Empty DATA is refused. */
GBytes   *lk_cms_sign                    (gnutls_privkey_t    key,
                                          gnutls_x509_crt_t   signer,
                                          GPtrArray          *chain,
                                          const guint8       *data,
                                          gsize               length,
                                          GError            **error);

/* lk_cms_sign with KEY's private key and certificate; a failure of the token
 * (removed, per-signature PIN rejected) is an LK_TOKEN_ERROR. */
GBytes   *lk_cms_sign_with_token_key     (LkTokenKey         *key,
                                          GPtrArray          *chain,
                                          const guint8       *data,
                                          gsize               length,
                                          GError            **error);

/* DER (a ContentInfo with a SignedData made by lk_cms_sign*, one signer)
 * with one more unsigned attribute OID whose single value is VALUE (DER),
 * e.g. LK_CMS_OID_TIMESTAMP_TOKEN and the token from lk_tsa_request. The
 * signed part is kept byte for byte. */
GBytes   *lk_cms_add_unsigned_attribute  (GBytes             *der,
                                          const char         *oid,
                                          GBytes             *value,
                                          GError            **error);

/* The certificates (gnutls_x509_crt_t, freed with gnutls_x509_crt_deinit) of
 * a PEM file, for a chain; at most 16, the file at most 1 MiB. */
GPtrArray *lk_cms_load_certificates      (const char         *path,
                                          GError            **error);

/* A parsed SignedData with exactly one SignerInfo. */
typedef struct _LkCmsSignedData LkCmsSignedData;

/* Parses DER (a ContentInfo holding a SignedData; at most LK_CMS_MAX_DER,
 * LK_CMS_MAX_CERTIFICATES certificates, LK_CMS_MAX_ATTRIBUTES attributes).
 * Errors: LK_CMS_ERROR_INVALID, _UNSUPPORTED, _SIGNER (the certificate
 * named by the SignerInfo is not in certificates). */
LkCmsSignedData *lk_cms_parse            (GBytes             *der,
                                          GError            **error);
void       lk_cms_signed_data_free       (LkCmsSignedData    *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCmsSignedData, lk_cms_signed_data_free)

/* All owned by SELF. */
gnutls_x509_crt_t lk_cms_signed_data_get_signer        (LkCmsSignedData *self);
/* gnutls_x509_crt_t: every certificate, the signer's included. */
GPtrArray        *lk_cms_signed_data_get_certificates  (LkCmsSignedData *self);
/* eContentType, e.g. LK_CMS_OID_DATA or LK_CMS_OID_TST_INFO. */
const char       *lk_cms_signed_data_get_content_type  (LkCmsSignedData *self);
/* The encapsulated content, or NULL when detached. */
GBytes           *lk_cms_signed_data_get_econtent      (LkCmsSignedData *self);
gnutls_digest_algorithm_t lk_cms_signed_data_get_digest_algorithm    (LkCmsSignedData *self);
gnutls_sign_algorithm_t   lk_cms_signed_data_get_signature_algorithm (LkCmsSignedData *self);
GBytes           *lk_cms_signed_data_get_signature     (LkCmsSignedData *self);
/* The signed attributes as signed (DER, SET tag), or NULL when none. */
GBytes           *lk_cms_signed_data_get_signed_attrs  (LkCmsSignedData *self);
/* The message-digest and content-type attributes (NULL when absent), the
 * DER value of signing-certificate-v2 (NULL when absent), signingTime (Unix
 * time, or -1 when absent). */
GBytes           *lk_cms_signed_data_get_message_digest        (LkCmsSignedData *self);
const char       *lk_cms_signed_data_get_signed_content_type   (LkCmsSignedData *self);
GBytes           *lk_cms_signed_data_get_signing_certificate_v2 (LkCmsSignedData *self);
gint64            lk_cms_signed_data_get_signing_time          (LkCmsSignedData *self);
/* The first value (DER) of the signed or unsigned attribute OID, or NULL. */
GBytes           *lk_cms_signed_data_get_signed_attr   (LkCmsSignedData *self,
                                                        const char      *oid);
GBytes           *lk_cms_signed_data_get_unsigned_attr (LkCmsSignedData *self,
                                                        const char      *oid);

/* Checks SELF against DIGEST, the digest (with SELF's digest algorithm) of
 * the signed content: signed attributes present, content-type equal to
 * eContentType, message-digest equal to DIGEST, the signature over the
 * signed attributes valid with the signer certificate's public key, and
 * signing-certificate-v2 (when present) naming that certificate. It does
 * not check the certificate chain. Errors: LK_CMS_ERROR_DIGEST, _SIGNATURE,
 * _SIGNER, _INVALID, _UNSUPPORTED. */
gboolean   lk_cms_signed_data_verify_digest (LkCmsSignedData  *self,
                                             const guint8     *digest,
                                             gsize             digest_size,
                                             GError          **error);
/* lk_cms_signed_data_verify_digest over the RANGES of the file at PATH. */
gboolean   lk_cms_signed_data_verify_file_ranges (LkCmsSignedData   *self,
                                                  const char        *path,
                                                  const LkCmsRange  *ranges,
                                                  guint              n_ranges,
                                                  GCancellable      *cancellable,
                                                  GError           **error);
/* lk_cms_signed_data_verify_digest over the encapsulated content. */
gboolean   lk_cms_signed_data_verify_econtent (LkCmsSignedData  *self,
                                               GError          **error);

G_END_DECLS
