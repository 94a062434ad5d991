/* lk-sign-batch.c — the GTK-free steps of the desk's batch signing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-sign"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/x509.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template-private.h"
#include "model/lk-document.h"
#include "pdf/lk-pdf-document.h"
#include "pdf/lk-pdf-object.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-verify.h"
#include "sign/lk-sign-batch.h"
#include "sync/lk-outbox.h"

G_DEFINE_QUARK (lk-sign-batch-error-quark, lk_sign_batch_error)

gboolean
lk_sign_batch_init_modules (const char * const  *modules,
                            GError             **error)
{
  if (!lk_token_init (NULL, error))
    return FALSE;
  for (guint i = 0; modules != NULL && modules[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;

      if (*modules[i] != '\0' && !lk_token_init (modules[i], &local))
        g_message ("%s", local->message);
    }
  return TRUE;
}

LkTokenInfo *
lk_sign_batch_find_token (const char  *token_url,
                          GError     **error)
{
  g_autoptr(GPtrArray) tokens = NULL;

  g_return_val_if_fail (token_url != NULL, NULL);

  tokens = lk_token_list_tokens (error);
  if (tokens == NULL)
    return NULL;
  for (guint i = 0; i < tokens->len; i++)
    {
      LkTokenInfo *info = g_ptr_array_index (tokens, i);

      if (g_strcmp0 (info->url, token_url) == 0)
        return g_ptr_array_steal_index (tokens, i);
    }
  g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_NO_CERTIFICATE, "%s",
               _("The chosen token is not connected. Insert it, or choose another certificate."));
  return NULL;
}

LkTokenCert *
lk_sign_batch_find_certificate (const char  *token_url,
                                const char  *cert_url,
                                GError     **error)
{
  g_autoptr(GPtrArray) certs = NULL;

  if (cert_url == NULL || *cert_url == '\0')
    {
      g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_NO_CERTIFICATE, "%s",
                   _("No signing certificate is chosen. Choose one first."));
      return NULL;
    }
  certs = lk_token_list_certificates (token_url != NULL && *token_url != '\0' ? token_url : NULL, error);
  if (certs == NULL)
    return NULL;
  for (guint i = 0; i < certs->len; i++)
    {
      LkTokenCert *cert = g_ptr_array_index (certs, i);

      if (g_strcmp0 (cert->url, cert_url) == 0)
        return g_ptr_array_steal_index (certs, i);
    }
  g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_NO_CERTIFICATE, "%s",
               _("The chosen signing certificate is not on any connected token. Insert the token, "
                 "or choose another certificate."));
  return NULL;
}

gboolean
lk_sign_batch_check_validity (const LkTokenCert  *cert,
                              GDateTime          *now,
                              GError            **error)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (cert != NULL, FALSE);

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  if (cert->not_after != NULL && g_date_time_compare (current, cert->not_after) > 0)
    {
      g_autofree char *date = g_date_time_format (cert->not_after, "%Y-%m-%d");

      g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_EXPIRED,
                   _("The signing certificate expired on %s. Letters signed with it would not be "
                     "valid: ask for a new certificate, or choose another one."), date);
      return FALSE;
    }
  if (cert->not_before != NULL && g_date_time_compare (current, cert->not_before) < 0)
    {
      g_autofree char *date = g_date_time_format (cert->not_before, "%Y-%m-%d");

      g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_EXPIRED,
                   _("The signing certificate is valid only from %s. Check the computer’s date, "
                     "or choose another certificate."), date);
      return FALSE;
    }
  return TRUE;
}

char *
lk_sign_batch_key_fingerprint (LkTokenKey *key)
{
  guint8 digest[32];
  size_t size = sizeof digest;
  GString *hex;

  g_return_val_if_fail (LK_IS_TOKEN_KEY (key), NULL);

  if (gnutls_x509_crt_get_fingerprint (lk_token_key_get_certificate (key), GNUTLS_DIG_SHA256,
                                       digest, &size) < 0 || size != sizeof digest)
    return NULL;
  hex = g_string_sized_new (64);
  for (guint i = 0; i < sizeof digest; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

gpointer
lk_sign_batch_pick_draft (GPtrArray *documents)
{
  LkDocument *best = NULL;

  if (documents == NULL)
    return NULL;
  for (guint i = 0; i < documents->len; i++)
    {
      LkDocument *doc = g_ptr_array_index (documents, i);

      if (!lk_letter_draft_is_draft_name (lk_document_get_name (doc)))
        continue;
      if (best == NULL || lk_document_get_position (doc) >= lk_document_get_position (best))
        best = doc;
    }
  return best;
}

/* The number of pages of the draft, turning a reader error into words. */
static int
draft_pages (const char  *path,
             GError     **error)
{
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(GError) local = NULL;
  int n = -1;

  doc = lk_pdf_document_open (path, &local);
  if (doc != NULL)
    n = lk_pdf_document_get_page_count (doc, &local);
  if (n > 0)
    return n;

  g_debug ("draft unreadable: %s", local != NULL ? local->message : "no pages");
  g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_DRAFT_CORRUPT, "%s",
               _("The letter draft is damaged and cannot be signed. Ask the officer to prepare "
                 "the letter again."));
  return -1;
}

/* The letter info of the draft at PATH (a preview's too), or NULL: a PDF
 * without Loket's keywords is signed at the caller's rectangle. */
static LkLetterInfo *
read_letter_info (const char *path)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  LkLetterInfo *info;

  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  info = lk_letter_read_info_full (bytes, FALSE, &local);
  if (info == NULL)
    g_debug ("no letter keywords: %s", local->message);
  return info;
}

static gboolean
verify_output (const char  *path,
               const char  *fingerprint,
               GError     **error)
{
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autoptr(GError) local = NULL;
  LkPadesSignatureReport *last;

  report = lk_pades_verify_file (path, NULL, &local);
  if (report == NULL || report->signatures->len == 0)
    {
      g_debug ("verification failed: %s", local != NULL ? local->message : "no signature");
      g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_VERIFY, "%s",
                   _("The signed letter could not be checked, so it was not kept. Try again; if it "
                     "happens again, tell the administrator."));
      return FALSE;
    }
  last = g_ptr_array_index (report->signatures, report->signatures->len - 1);
  if (!last->cms_ok || !last->byte_range_ok || !last->covers_whole_document ||
      fingerprint == NULL || g_strcmp0 (last->signer_fingerprint, fingerprint) != 0)
    {
      g_debug ("verification: cms %d, range %d, whole %d, signer match %d", last->cms_ok,
               last->byte_range_ok, last->covers_whole_document,
               g_strcmp0 (last->signer_fingerprint, fingerprint) == 0);
      g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_VERIFY, "%s",
                   _("The signature made on this letter did not verify, so it was not kept. Try "
                     "again; if it happens again, tell the administrator."));
      return FALSE;
    }
  return TRUE;
}

char *
lk_sign_batch_sign_letter (LkTokenKey               *key,
                           GPtrArray                *chain,
                           const LkSignBatchOptions *options,
                           LkStore                  *store,
                           LkBlobCache              *cache,
                           const char               *case_id,
                           const char               *draft_sha256,
                           const char               *actor,
                           LkRole                    role,
                           GCancellable             *cancellable,
                           GError                  **error)
{
  g_autofree char *draft = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LkLetterInfo) letter = NULL;
  g_autofree char *qr_text = NULL;
  LkPadesOptions opts = { NULL, };
  gboolean ok = FALSE;
  int n_pages;

  g_return_val_if_fail (LK_IS_TOKEN_KEY (key), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (LK_IS_BLOB_CACHE (cache), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  draft = draft_sha256 != NULL ? lk_blob_cache_lookup (cache, draft_sha256) : NULL;
  if (draft == NULL)
    {
      g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_DRAFT_MISSING, "%s",
                   _("The letter draft is not on this computer. Open it in the preview while "
                     "connected, then sign again."));
      return NULL;
    }
  n_pages = draft_pages (draft, error);
  if (n_pages < 0)
    return NULL;

  tmpdir = g_dir_make_tmp ("loket-sign-XXXXXX", error);
  if (tmpdir == NULL)
    return NULL;
  out = g_build_filename (tmpdir, "signed.pdf", NULL);

  opts.reason = options->reason;
  opts.location = options->location;
  opts.visible = options->visible;
  if (options->visible)
    {
      opts.page = (guint) n_pages - 1;
      memcpy (opts.rect, options->rect, sizeof opts.rect);
      opts.image_path = options->image_path;
      opts.signer_name = options->signer_name;
      opts.signer_position = options->signer_position;
      opts.signer_nip = options->signer_nip;

      /* A letter rendered from a template says where its stamp goes. */
      letter = read_letter_info (draft);
      if (letter != NULL)
        {
          opts.page = letter->page;
          memcpy (opts.rect, letter->rect, sizeof opts.rect);
          if (letter->letter_id != NULL && options->public_url != NULL)
            opts.qr_text = qr_text = lk_letter_verify_url (options->public_url, letter->letter_id);
          g_debug ("stamp of letter %s at its marker on page %u",
                   letter->letter_id != NULL ? letter->letter_id : "(preview)", letter->page + 1);
        }
    }

  if (!lk_pades_sign (key, chain, &opts, draft, out, cancellable, error))
    {
      if (error != NULL && *error != NULL && (*error)->domain == LK_PDF_ERROR)
        {
          g_debug ("draft refused by the signer: %s", (*error)->message);
          g_clear_error (error);
          g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_DRAFT_CORRUPT, "%s",
                       _("The letter draft is damaged and cannot be signed. Ask the officer to "
                         "prepare the letter again."));
        }
      else if (error != NULL && *error != NULL && (*error)->domain != LK_TOKEN_ERROR &&
               (*error)->domain != G_IO_ERROR)
        g_prefix_error (error, "%s", _("The letter could not be signed: "));
      goto out;
    }

  fingerprint = lk_sign_batch_key_fingerprint (key);
  if (!verify_output (out, fingerprint, error))
    goto out;

  mapped = g_mapped_file_new (out, FALSE, error);
  if (mapped == NULL)
    goto out;
  bytes = g_mapped_file_get_bytes (mapped);
  sha256 = lk_blob_compute_sha256 (bytes);
  stored = lk_blob_cache_store (cache, sha256, bytes, error);
  if (stored == NULL)
    goto out;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (!lk_outbox_transition (store, case_id, LK_CASE_STATE_SIGNED, NULL, sha256, actor, role,
                             NULL, error))
    goto out;

  g_debug ("case %s signed as %s", case_id, sha256);
  ok = TRUE;

out:
  g_clear_pointer (&mapped, g_mapped_file_unref);
  g_remove (out);
  g_rmdir (tmpdir);
  return ok ? g_steal_pointer (&sha256) : NULL;
}

void
lk_sign_queue_item_free (LkSignQueueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->case_id);
  g_free (item->receipt);
  g_free (item->applicant);
  g_free (item->service);
  g_free (item->draft_sha256);
  g_free (item);
}

GPtrArray *
lk_sign_batch_list_queue (LkStore       *store,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sign_queue_item_free);

  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  cases = lk_store_query_cases (store, LK_CASE_STATE_AWAITING_SIGNATURE, NULL, 0, cancellable, error);
  if (cases == NULL)
    return NULL;
  for (guint i = 0; i < cases->len; i++)
    {
      LkCase *kase = g_ptr_array_index (cases, i);
      g_autoptr(GPtrArray) documents = NULL;
      g_autoptr(GError) doc_error = NULL;
      LkSignQueueItem *item = g_new0 (LkSignQueueItem, 1);
      LkDocument *draft;

      item->case_id = g_strdup (lk_case_get_id (kase));
      item->receipt = g_strdup (lk_case_get_receipt (kase));
      item->applicant = g_strdup (lk_case_get_applicant_name (kase));
      item->service = g_strdup (lk_case_get_service_name (kase));
      documents = lk_store_list_documents (store, item->case_id, &doc_error);
      if (documents == NULL)
        g_debug ("documents of case %s not read: %s", item->case_id, doc_error->message);
      draft = lk_sign_batch_pick_draft (documents);
      if (draft != NULL)
        item->draft_sha256 = g_strdup (lk_document_get_sha256 (draft));
      g_ptr_array_add (items, item);
    }
  return g_steal_pointer (&items);
}
