/* lk-server-ops-letter.c — the signed letter of a move to signed: the
 * blob verified as a PAdES signature by a certificate registered to the
 * signer, then kept as a document of the case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sign/lk-pades-verify.h"
#include "lk-server-ops-private.h"

/* Whether the blob LETTER is a PDF whose last signature holds, chains to a
 * trust anchor, covers the whole file, and whose signer certificate is
 * registered to the user. FALSE with *rejection (or op->error). */
gboolean
lk_server_op_check_letter (LkServerOp  *op,
                           JsonObject  *kase,
                           const char  *letter,
                           gint64      *out_size,
                           JsonObject **rejection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  LkPadesSignatureReport *last = NULL;
  sqlite3_stmt *stmt;
  const guint8 *data;
  gint64 size;
  gsize done = 0;
  gboolean registered;
  int fd, rc;

  stmt = lk_store_prepare (op->store, "SELECT size, data FROM blobs WHERE sha256 = ?1", &op->error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, letter, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        *rejection = lk_server_op_reject (op, "blob_missing", json_object_ref (kase),
                                          "The signed letter has not been uploaded; upload it, then send the move again.");
      else
        lk_store_set_sql_error (op->store, &op->error, "Reading the signed letter");
      sqlite3_reset (stmt);
      return FALSE;
    }

  /* Blobs are at most LK_SERVER_MAX_BLOB; the verifier bounds the rest
   * (LK_PADES_VERIFY_MAX_SIGNATURES, the size of each /Contents). */
  data = sqlite3_column_blob (stmt, 1);
  size = sqlite3_column_bytes (stmt, 1);
  if (size > LK_SERVER_MAX_BLOB)
    {
      sqlite3_reset (stmt);
      *rejection = lk_server_op_reject (op, "signature_invalid", json_object_ref (kase),
                                        "The signed letter is larger than a blob may be.");
      return FALSE;
    }

  /* The verifier reads files: a private temporary one (mode 0600). */
  fd = g_file_open_tmp ("loket-letter-XXXXXX.pdf", &path, &op->error);
  while (fd >= 0 && done < (gsize) size)
    {
      gssize n = write (fd, data + done, (gsize) size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          g_set_error (&op->error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot write the letter to a temporary file: %s", g_strerror (saved));
          break;
        }
      done += (gsize) n;
    }
  sqlite3_reset (stmt);
  if (fd >= 0)
    close (fd);
  if (op->error == NULL)
    report = lk_pades_verify_file (path, LK_SERVER_TRUST_FILES (op->server), &error);
  if (path != NULL)
    g_unlink (path);
  if (op->error != NULL)
    return FALSE;

  if (report == NULL)
    {
      /* A trust file gone bad is the server's fault; anything else
       * (not a PDF, too many signatures) is the letter's. */
      if (g_error_matches (error, LK_PADES_VERIFY_ERROR, LK_PADES_VERIFY_ERROR_TRUST))
        {
          g_propagate_error (&op->error, g_steal_pointer (&error));
          return FALSE;
        }
      *rejection = lk_server_op_reject (op, "signature_invalid", json_object_ref (kase),
                                        "The signed letter cannot be checked: %s", error->message);
      return FALSE;
    }

  if (report->signatures->len > 0)
    last = g_ptr_array_index (report->signatures, report->signatures->len - 1);
  if (last == NULL)
    g_ptr_array_add (problems, "the file has no signature");
  else
    {
      for (guint i = 0; i < last->problems->len; i++)
        g_ptr_array_add (problems, g_ptr_array_index (last->problems, i));
      if (!last->valid && last->problems->len == 0)
        g_ptr_array_add (problems, "the last signature is not valid");
      if (last->valid && !last->trusted)
        g_ptr_array_add (problems, "the signer’s certificate does not chain to a trust anchor of this server");
      if (!last->covers_whole_document)
        g_ptr_array_add (problems, "the last signature does not cover the whole file");
    }
  if (last == NULL || !last->valid || !last->trusted || !last->covers_whole_document)
    {
      g_ptr_array_add (problems, NULL);
      joined = g_strjoinv ("; ", (char **) problems->pdata);
      *rejection = lk_server_op_reject (op, "signature_invalid", json_object_ref (kase),
                                        "The signed letter does not verify: %s.", joined);
      return FALSE;
    }

  stmt = lk_store_prepare (op->store,
                           "SELECT 1 FROM certificates WHERE fingerprint = ?1 AND user_id = ?2",
                           &op->error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, last->signer_fingerprint != NULL ? last->signer_fingerprint : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, op->user->id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  registered = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (op->store, &op->error, "Looking up the signer certificate");
  sqlite3_reset (stmt);
  if (op->error != NULL)
    return FALSE;
  if (!registered)
    {
      *rejection = lk_server_op_reject (op, "certificate_unknown", json_object_ref (kase),
                                        "The letter is signed with a certificate that is not registered to you; "
                                        "ask an administrator to register it.");
      return FALSE;
    }

  *out_size = size;
  return TRUE;
}

/* The signed letter as a document of the case, after its last one. */
gboolean
lk_server_op_add_letter (LkServerOp  *op,
                         JsonObject  *kase,
                         const char  *letter,
                         gint64       size,
                         JsonObject **rejection)
{
  g_autoptr(JsonObject) document = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *name = NULL;
  const char *case_id = json_object_get_string_member (kase, "id");
  sqlite3_stmt *stmt;
  gint64 position = 0;
  int rc;

  stmt = lk_store_prepare (op->store,
                           "SELECT coalesce(max(position) + 1, 0) FROM documents WHERE case_id = ?1",
                           &op->error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    position = sqlite3_column_int64 (stmt, 0);
  else
    lk_store_set_sql_error (op->store, &op->error, "Placing the signed letter");
  sqlite3_reset (stmt);
  if (op->error != NULL)
    return FALSE;

  name = g_strdup_printf ("Signed letter %s.pdf", json_object_get_string_member (kase, "receipt"));
  json_object_set_string_member (document, "id", id);
  json_object_set_string_member (document, "case_id", case_id);
  json_object_set_string_member (document, "name", name);
  json_object_set_string_member (document, "mime_type", "application/pdf");
  json_object_set_int_member (document, "size", size);
  json_object_set_string_member (document, "sha256", letter);
  json_object_set_int_member (document, "position", position);
  json_object_set_int_member (document, "version", 1);

  return lk_server_op_save (op, LK_KIND_DOCUMENT, document, json_object_ref (kase), rejection);
}

