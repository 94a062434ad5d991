/* lk-tsa.h — an RFC 3161 timestamp client for PAdES B-T
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LK_TSA_ERROR (lk_tsa_error_quark ())
GQuark lk_tsa_error_quark (void);

typedef enum
{
  LK_TSA_ERROR_FAILED,     /* the request could not be built */
  LK_TSA_ERROR_NETWORK,    /* the TSA could not be reached, or timed out */
  LK_TSA_ERROR_HTTP,       /* the TSA answered with an HTTP error */
  LK_TSA_ERROR_REJECTED,   /* the TSA refused: PKIStatus not granted */
  LK_TSA_ERROR_INVALID,    /* the answer is not a timestamp response */
  LK_TSA_ERROR_MISMATCH,   /* the token is for other data or another nonce */
  LK_TSA_ERROR_SIGNATURE,  /* the token's signature does not verify */
} LkTsaError;

/* Asks the TSA at URL (http or https) for a timestamp over SIGNATURE (the
 * signature value of a SignerInfo): a TimeStampReq with the SHA-256 of
 * SIGNATURE, a random 64-bit nonce and certReq, POSTed with its own
 * SoupSession (blocking: call it from a worker thread; 30 s timeout, the
 * answer at most 64 KiB). The token is checked with
 * lk_tsa_check_token and the nonce before it is returned: the DER of the
 * TimeStampToken (a ContentInfo), for lk_cms_add_unsigned_attribute with
 * LK_CMS_OID_TIMESTAMP_TOKEN. Errors: LK_TSA_ERROR, G_IO_ERROR_CANCELLED. */
GBytes   *lk_tsa_request        (const char    *url,
                                 GBytes        *signature,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* PAdES B-T in one call: CMS (a SignedData from lk_cms_sign*) with a
 * signatureTimeStampToken over its signature value from the TSA at URL
 * (lk_tsa_request, then lk_cms_add_unsigned_attribute). Blocking, as
 * lk_tsa_request. Errors: LK_TSA_ERROR, LK_CMS_ERROR. */
GBytes   *lk_tsa_add_timestamp  (GBytes        *cms,
                                 const char    *url,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* Checks TOKEN (a TimeStampToken's DER): its CMS signature over the
 * TSTInfo verifies with the TSA certificate in it, which is for
 * timeStamping; its messageImprint is the SHA-256 of DATA; its nonce is
 * NONCE (an INTEGER's bytes) unless NONCE is NULL. GEN_TIME (may be NULL):
 * the token's time, Unix seconds. The TSA's chain is not checked.
 * Errors: LK_TSA_ERROR_INVALID, _MISMATCH, _SIGNATURE. */
gboolean  lk_tsa_check_token    (GBytes        *token,
                                 GBytes        *data,
                                 GBytes        *nonce,
                                 gint64        *gen_time,
                                 GError       **error);

G_END_DECLS
