/* lk-cms.h — CMS SignedData for PAdES: detached, SHA-256, ESS signing-certificate-v2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
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
} LkCmsError;

#define LK_CMS_OID_SIGNING_CERTIFICATE_V2 "1.2.840.113549.1.9.16.2.47"

/* The DER of an ESS SigningCertificateV2 attribute value naming CRT: one
 * ESSCertIDv2 with the SHA-256 (default algorithm, omitted) of the
 * certificate's DER and its issuer and serial number (RFC 5035). */
GBytes   *lk_cms_signing_certificate_v2  (gnutls_x509_crt_t   crt,
                                          GError            **error);

/* A detached CMS SignedData (DER) over DATA: SHA-256, signed attributes
 * content-type, message-digest and signing-certificate-v2, no signingTime;
 * the signer certificate and CHAIN (gnutls_x509_crt_t, may be NULL) included.
 * RSA PKCS#1 v1.5 or ECDSA, as the key is.
 *
 * GnuTLS hashes DATA itself (gnutls_pkcs7_sign cannot take a precomputed
 * digest), so DATA must be in memory: for a PDF, the bytes of the ByteRange.
 * DATA must not be empty (GnuTLS would take that for embedded content).
 * Errors: LK_CMS_ERROR, or from a token key LK_TOKEN_ERROR (use
 * lk_cms_sign_with_token_key). */
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

/* The certificates (gnutls_x509_crt_t, freed with gnutls_x509_crt_deinit) of
 * a PEM file, for a chain; at most 16, the file at most 1 MiB. */
GPtrArray *lk_cms_load_certificates      (const char         *path,
                                          GError            **error);

G_END_DECLS
