/* lk-pades.h — PAdES B-B signatures: one incremental revision per signature
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
} LkPadesError;

/* Everything optional (NULL: left out of the /Sig dictionary). */
typedef struct
{
  const char *reason;
  const char *location;
  const char *signer_name;   /* /Name */
  const char *contact;       /* /ContactInfo */
  GDateTime  *signing_time;  /* /M; NULL: now, local time */
} LkPadesOptions;

/* Signs IN_PATH with KEY (and CHAIN, gnutls_x509_crt_t, optional) as PAdES
 * B-B (/SubFilter /ETSI.CAdES.detached), an invisible signature field
 * "Signature N" on page 1, and writes the result to OUT_PATH: IN_PATH's
 * bytes unchanged followed by one incremental revision. OUT_PATH is written
 * through a temporary file and a rename: on failure nothing is there (an
 * earlier file at OUT_PATH is left as it was).
 *
 * /Contents is sized from a dry run: KEY signs a dummy digest once per call,
 * and the CMS's DER size plus LK_PADES_CONTENTS_MARGIN bytes is reserved.
 *
 * For a batch, open KEY once (one login) and call this per file.
 * Errors: LK_PDF_ERROR (the reader: broken, encrypted), LK_TOKEN_ERROR,
 * LK_CMS_ERROR, LK_PADES_ERROR, G_IO_ERROR_CANCELLED. */
gboolean lk_pades_sign (LkTokenKey            *key,
                        GPtrArray             *chain,
                        const LkPadesOptions  *opts,
                        const char            *in_path,
                        const char            *out_path,
                        GCancellable          *cancellable,
                        GError               **error);

/* Bytes reserved in /Contents beyond the dry run's DER size (ECDSA
 * signatures vary by a few bytes from one signature to the next). */
#define LK_PADES_CONTENTS_MARGIN 64

G_END_DECLS
