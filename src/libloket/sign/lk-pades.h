/* lk-pades.h — PAdES B-B and B-T signatures: one incremental revision per signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sign/lk-token-key.h"

G_BEGIN_DECLS

#define LK_PADES_ERROR (lk_pades_error_quark ())
GQuark lk_pades_error_quark (void);

typedef enum
{
  LK_PADES_ERROR_FAILED,     /* anything else */
  LK_PADES_ERROR_DOCUMENT,   /* the document lacks what a signature needs (no page) */
  LK_PADES_ERROR_TOO_LARGE,  /* the CMS does not fit the reserved /Contents */
  LK_PADES_ERROR_PAGE,       /* the visible signature's page or rectangle is not in the document */
  LK_PADES_ERROR_IMAGE,      /* the appearance's image is unreadable, not a PNG, or too large */
} LkPadesError;

/* Everything optional (NULL: left out of the /Sig dictionary).
 *
 * TSA_URL: PAdES B-T: after the CMS is made, an RFC 3161 timestamp over its
 * signature value is asked from this TSA (lk_tsa_add_timestamp: blocking,
 * so call lk_pades_sign from a worker thread in a GUI) and embedded as the
 * signatureTimeStampToken. The size estimate leaves the TSA out: it reserves
 * LK_PADES_TIMESTAMP_RESERVE bytes for the token; a TSA whose token is
 * larger fails with LK_PADES_ERROR_TOO_LARGE (nothing written).
 *
 * VISIBLE: the widget is drawn on page PAGE (0-based) at RECT: x, y, width,
 * height in PDF points, from the lower-left corner of the page's /MediaBox
 * (the page's /Rotate is not taken into account). Its appearance (see
 * lk-pades-appearance.h) shows the signer name (SIGNER_NAME, else the
 * certificate's common name), the signing time, REASON and LOCATION, and
 * with IMAGE_PATH (a PNG of at most 4096 × 4096 pixels and 16 MiB, decoded
 * with cairo) that image on the left of the box, keeping its aspect ratio,
 * transparency kept as a soft mask; IMAGE_PATH is not used without
 * VISIBLE. Without
 * VISIBLE, the signature is invisible, on page 1, and PAGE and RECT are
 * not used. */
typedef struct
{
  const char *reason;
  const char *location;
  const char *signer_name;   /* /Name */
  const char *contact;       /* /ContactInfo */
  GDateTime  *signing_time;  /* /M; NULL: now, local time */
  const char *tsa_url;       /* PAdES B-T; NULL: B-B */
  gboolean    visible;
  guint       page;          /* 0-based */
  double      rect[4];       /* x, y, w, h in points */
  const char *image_path;    /* PNG shown in the visible signature; NULL: none */
  /* Issue 6's stamp (only with VISIBLE; each NULL: left out): the
   * signer's position and NIP under the name, and a QR code of QR_TEXT
   * (the letter's verification URL) on the stamp's right. */
  const char *signer_position;
  const char *signer_nip;
  const char *qr_text;
} LkPadesOptions;

/* Signs IN_PATH with KEY (and CHAIN, gnutls_x509_crt_t, optional) as PAdES
 * B-B, or B-T with OPTS->tsa_url (/SubFilter /ETSI.CAdES.detached), a
 * signature field "Signature N" (invisible on page 1, or visible: see
 * LkPadesOptions), and writes the result to OUT_PATH: IN_PATH's
 * bytes unchanged followed by one incremental revision. OUT_PATH is written
 * through a temporary file and a rename: on failure nothing is there (an
 * earlier file at OUT_PATH is left as it was).
 *
 * /Contents is sized without signing (lk_cms_estimate_size_with_token_key:
 * the CMS with a stand-in of the key's largest signature), plus
 * LK_PADES_CONTENTS_MARGIN bytes: KEY signs once per call, so a key that
 * wants the PIN for every signature asks it once per letter.
 *
 * For a batch, open KEY once (one login) and call this per file.
 * Errors: LK_PDF_ERROR (the reader: broken, encrypted), LK_TOKEN_ERROR,
 * LK_CMS_ERROR, LK_TSA_ERROR, LK_PADES_ERROR, G_IO_ERROR_CANCELLED. */
gboolean lk_pades_sign (LkTokenKey            *key,
                        GPtrArray             *chain,
                        const LkPadesOptions  *opts,
                        const char            *in_path,
                        const char            *out_path,
                        GCancellable          *cancellable,
                        GError               **error);

/* Bytes reserved in /Contents beyond the estimated DER size. */
#define LK_PADES_CONTENTS_MARGIN 64

/* Bytes reserved in /Contents for the signatureTimeStampToken attribute
 * when a TSA is used: an RSA-4096 TSA with a three-certificate chain fits
 * (tokens are typically 1.5–5 KiB). */
#define LK_PADES_TIMESTAMP_RESERVE 6144

G_END_DECLS
