/* lk-pades-verify.h — checks the PAdES / PKCS#7 signatures of a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LK_PADES_VERIFY_ERROR (lk_pades_verify_error_quark ())
GQuark lk_pades_verify_error_quark (void);

typedef enum
{
  LK_PADES_VERIFY_ERROR_TRUST,  /* a --trust file holds no readable certificate */
  LK_PADES_VERIFY_ERROR_LIMIT,  /* more than LK_PADES_VERIFY_MAX_SIGNATURES */
} LkPadesVerifyError;

#define LK_PADES_VERIFY_MAX_SIGNATURES 64

typedef enum
{
  LK_PADES_CHANGES_NONE,         /* the signature covers the whole file */
  LK_PADES_CHANGES_ALLOWED,      /* later revisions: signatures, form, annotations */
  LK_PADES_CHANGES_NOT_ALLOWED,  /* later revisions change page content */
} LkPadesChanges;

/* One signature field with a /V. Strings may be NULL when absent. */
typedef struct
{
  char     *field_name;
  char     *sub_filter;            /* /SubFilter, e.g. "ETSI.CAdES.detached" */
  char     *reason;                /* /Reason, /Location, /Name, /M as written */
  char     *location;
  char     *name;
  char     *signing_time;
  gint64    byte_range[4];
  guint     n_byte_range;
  gboolean  byte_range_ok;         /* starts at 0, gap = /Contents, inside the file */
  gboolean  covers_whole_document; /* the second range ends at the end of the file */
  guint64   revision_end;          /* end of the signed revision (range end) */
  gboolean  sub_filter_ok;         /* ETSI.CAdES.detached or adbe.pkcs7.detached */
  gboolean  cms_ok;                /* digest, signature and signing-certificate-v2 */
  char     *signer_subject;
  char     *signer_issuer;
  char     *signer_serial;         /* hex */
  char     *signer_fingerprint;    /* SHA-256 of the certificate's DER, lower-case hex */
  gint64    signer_not_before;     /* Unix seconds, -1 when unknown */
  gint64    signer_not_after;
  gboolean  trusted;               /* chains to one of the trust anchors */
  char     *chain_status;          /* GnuTLS's verification status in words */
  gboolean  has_timestamp;         /* an unsigned signatureTimeStampToken */
  gboolean  timestamp_ok;
  /* The TSA's certificate chains, through the certificates in the
   * timestamp token, to one of the trust anchors, for timeStamping. */
  gboolean  timestamp_trusted;
  char     *timestamp_chain_status;  /* GnuTLS's verdict on that chain, or NULL */
  gint64    timestamp_time;        /* its genTime, Unix seconds, -1 if none */
  LkPadesChanges changes;          /* what revisions after this one do */
  GArray   *allowed_objects;       /* guint: changed object numbers, allowed */
  GArray   *disallowed_objects;    /* guint: those that change page content */
  gboolean  valid;                 /* byte range, SubFilter, CMS, timestamp ok */
  GPtrArray *problems;             /* char *: plain-language reasons, translated */
} LkPadesSignatureReport;

typedef struct
{
  GPtrArray *signatures;  /* LkPadesSignatureReport, in file order */
  /* At least one signature, every one valid and trusted, every timestamp
   * from a trusted TSA (an untrusted one leaves the signature valid, as
   * B-B, but fails the verdict: the user asked to verify with these
   * anchors), and no revision after any signature changes page content. */
  gboolean   ok;
  GPtrArray *problems;    /* char *: why not ok (translated) */
} LkPadesVerifyReport;

void lk_pades_verify_report_free (LkPadesVerifyReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkPadesVerifyReport, lk_pades_verify_report_free)

/* Checks every signature field with a /V in the PDF at PATH: /ByteRange,
 * coverage, SubFilter, CMS (digest, signature, signing-certificate-v2),
 * the chain to the certificates in the PEM files TRUST_FILES (NULL or
 * NULL-terminated; none: nothing is trusted), the signature timestamp and
 * its TSA's chain to the same anchors (key purpose timeStamping), and
 * the objects that later revisions change. A bad signature is a report,
 * not an error; errors: LK_PDF_ERROR (the file cannot be read),
 * LK_PADES_VERIFY_ERROR. */
LkPadesVerifyReport *lk_pades_verify_file (const char          *path,
                                           const char * const  *trust_files,
                                           GError             **error);

/* A plain-language report (translated), several lines. */
char     *lk_pades_verify_report_to_text (LkPadesVerifyReport *report);

/* The JSON form (stable shape):
 * { "ok": bool, "problems": [string],
 *   "signatures": [ {
 *       "field": string, "sub_filter": string|null, "reason": string|null,
 *       "location": string|null, "name": string|null, "signing_time": string|null,
 *       "byte_range": [int], "byte_range_ok": bool,
 *       "covers_whole_document": bool, "revision_end": int,
 *       "sub_filter_ok": bool, "cms_ok": bool,
 *       "signer": { "subject": string, "issuer": string, "serial": string,
 *                   "not_before": int, "not_after": int } | null,
 *       "trusted": bool, "chain_status": string|null,
 *       "timestamp": { "ok": bool, "trusted": bool, "chain_status": string|null,
 *                      "time": int|null } | null,
 *       "changes": "none" | "allowed" | "not-allowed",
 *       "allowed_objects": [int], "disallowed_objects": [int],
 *       "valid": bool, "problems": [string] } ] }
 * Times are Unix seconds. */
JsonNode *lk_pades_verify_report_to_json (LkPadesVerifyReport *report);

G_END_DECLS
