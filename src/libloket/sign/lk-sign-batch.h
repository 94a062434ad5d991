/* lk-sign-batch.h — the GTK-free steps of signing a batch of letters on the
 * desk: find the chosen key, check its certificate, sign one draft, verify
 * the output, cache it and queue the move to "signed"
 *
 * Every function here blocks (PKCS#11, files, SQLite): call them from a
 * worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lk-case-state.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"

G_BEGIN_DECLS

#define LK_SIGN_BATCH_ERROR (lk_sign_batch_error_quark ())
GQuark lk_sign_batch_error_quark (void);

typedef enum
{
  LK_SIGN_BATCH_ERROR_NO_CERTIFICATE, /* nothing chosen, or no longer on the token */
  LK_SIGN_BATCH_ERROR_EXPIRED,        /* the certificate is expired or not yet valid */
  LK_SIGN_BATCH_ERROR_DRAFT_MISSING,  /* the draft is not in the blob cache */
  LK_SIGN_BATCH_ERROR_DRAFT_CORRUPT,  /* the draft is not a PDF that can be signed */
  LK_SIGN_BATCH_ERROR_VERIFY,         /* the signed output did not verify */
} LkSignBatchError;

/* PIN entries per letter for a key with CKA_ALWAYS_AUTHENTICATE:
 * lk_pades_sign() signs once per letter, and each signature asks the PIN. */
#define LK_SIGN_BATCH_PINS_PER_LETTER 1

/* How each letter is signed (strings may be NULL). */
typedef struct
{
  gboolean    visible;       /* a stamp at the signature rect of the last page */
  double      rect[4];       /* x, y, w, h in points */
  const char *reason;
  const char *location;
  const char *image_path;    /* PNG; only with visible */
  /* Issue 6: with visible, a draft rendered from a template
   * (lk_letter_read_info finds its keywords) is stamped at its marker
   * (rect above unused) with the signer's name, position, NIP, the date
   * and the QR code of PUBLIC_URL/v/LETTER_ID; a draft without keywords
   * falls back to rect on its last page. */
  const char *signer_name;
  const char *signer_position;
  const char *signer_nip;
  const char *public_url;
} LkSignBatchOptions;

/* lk_token_init() with p11-kit's registry, then each of MODULES (extra
 * module paths, NULL-terminated, or NULL). A module that fails to load is
 * skipped (logged); FALSE only when p11-kit itself fails. */
gboolean     lk_sign_batch_init_modules     (const char * const *modules,
                                             GError            **error);

/* The certificate CERT_URL on TOKEN_URL (TOKEN_URL NULL: any token), with
 * its key's URL in ->key_url. LK_SIGN_BATCH_ERROR_NO_CERTIFICATE when it
 * is not there; LK_TOKEN_ERROR when the tokens cannot be listed. */
LkTokenCert *lk_sign_batch_find_certificate (const char   *token_url,
                                             const char   *cert_url,
                                             GError      **error);
/* The token TOKEN_URL's info (for its label and flags), or NULL. */
LkTokenInfo *lk_sign_batch_find_token       (const char   *token_url,
                                             GError      **error);
/* LK_SIGN_BATCH_ERROR_EXPIRED (a sentence with the date) unless NOW lies
 * within the certificate's validity. NOW NULL: the current time. */
gboolean     lk_sign_batch_check_validity   (const LkTokenCert *cert,
                                             GDateTime         *now,
                                             GError           **error);
/* SHA-256 of the DER of KEY's certificate, lower-case hex. */
char        *lk_sign_batch_key_fingerprint  (LkTokenKey   *key);

/* Signs the draft DRAFT_SHA256 (from CACHE) of CASE_ID with KEY, verifies
 * the result (its last signature: CMS, byte range, whole document, and
 * signed by KEY's certificate), stores it in CACHE and queues the
 * transition to "signed" with it in STORE's outbox (ACTOR, ROLE). Returns
 * the signed letter's SHA-256. Nothing is queued on failure. */
char        *lk_sign_batch_sign_letter      (LkTokenKey               *key,
                                             GPtrArray                *chain,
                                             const LkSignBatchOptions *options,
                                             LkStore                  *store,
                                             LkBlobCache              *cache,
                                             const char               *case_id,
                                             const char               *draft_sha256,
                                             const char               *actor,
                                             LkRole                    role,
                                             GCancellable             *cancellable,
                                             GError                  **error);

/* A letter in the signer's queue: a case awaiting signature and its
 * draft (the SHA-256 of the newest draft document, NULL when none). */
typedef struct
{
  char *case_id;
  char *receipt;
  char *applicant;
  char *service;
  char *draft_sha256;
} LkSignQueueItem;

void         lk_sign_queue_item_free        (LkSignQueueItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSignQueueItem, lk_sign_queue_item_free)

/* The cases awaiting signature in STORE (newest first), each with its
 * draft: LkSignQueueItem. */
GPtrArray   *lk_sign_batch_list_queue       (LkStore      *store,
                                             GCancellable *cancellable,
                                             GError      **error);

/* The draft document of a case: the newest document (highest position)
 * whose name is a letter draft, or NULL. DOCUMENTS: LkDocument. */
gpointer     lk_sign_batch_pick_draft       (GPtrArray    *documents);

G_END_DECLS
