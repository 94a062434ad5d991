/* lk-server-ops-letter.c — the signed letter of a move to signed: the
 * blob verified as a PAdES signature by a certificate registered to the
 * signer, then kept as a document of the case and registered as a letter
 * (its number marked used, the case's earlier letters superseded, its
 * mail queued)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-template.h"
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


static gboolean
kick_idle_cb (gpointer data)
{
  lk_server_mail_kick (data);
  return G_SOURCE_REMOVE;
}

/* One text column of the row SQL gives with ?1 bound to KEY, or NULL (none,
 * or op->error on an SQL failure). */
static char *
lookup_text (LkServerOp *op,
             const char *sql,
             const char *key,
             const char *what)
{
  char *text = NULL;

  lk_server_query_row (op->server, sql, key, what, NULL, &op->error, &text, NULL);
  return text;
}

/* The letter information in the signed blob LETTER; NULL with *rejection
 * or op->error. */
static LkLetterInfo *
read_letter_info (LkServerOp  *op,
                  JsonObject  *kase,
                  const char  *letter,
                  JsonObject **rejection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  LkLetterInfo *info;
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (op->store, "SELECT data FROM blobs WHERE sha256 = ?1", &op->error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, letter, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else
    lk_store_set_sql_error (op->store, &op->error, "Reading the signed letter");
  sqlite3_reset (stmt);
  if (bytes == NULL)
    return NULL;

  info = lk_letter_read_info (bytes, &error);
  if (info == NULL)
    *rejection = lk_server_op_reject (op, "invalid", json_object_ref (kase),
                                      "The signed letter was not drafted by Loket (%s); draft it from the "
                                      "service type’s template, then sign it.", error->message);
  return info;
}

gboolean
lk_server_op_register_letter (LkServerOp  *op,
                              JsonObject  *kase,
                              const char  *letter,
                              JsonObject **rejection)
{
  g_autoptr(LkLetterInfo) info = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *position = NULL;
  const char *case_id = json_object_get_string_member (kase, "id");
  sqlite3_stmt *stmt;

  info = read_letter_info (op, kase, letter, rejection);
  if (info == NULL)
    return FALSE;
  if (!lk_letter_id_is_valid (info->letter_id))
    {
      *rejection = lk_server_op_reject (op, "invalid", json_object_ref (kase),
                                        "The signed letter’s id is not a Loket letter id; draft it again.");
      return FALSE;
    }
  if (info->number == NULL)
    {
      *rejection = lk_server_op_reject (op, "invalid", json_object_ref (kase),
                                        "The signed letter has no number; draft it again with a number.");
      return FALSE;
    }

  existing = lookup_text (op, "SELECT case_id FROM letters WHERE id = ?1", info->letter_id, "Looking up the letter");
  if (op->error != NULL)
    return FALSE;
  if (existing == NULL)
    existing = lookup_text (op, "SELECT case_id FROM letters WHERE sha256 = ?1", letter, "Looking up the letter");
  if (op->error != NULL)
    return FALSE;
  if (existing != NULL)
    {
      *rejection = lk_server_op_reject (op, "invalid", json_object_ref (kase),
                                        "This letter was registered already; draft a new letter to sign again.");
      return FALSE;
    }

  if (!lk_server_numbers_use (op->server, info->number, case_id, info->letter_id, op->user->id, op->now,
                              &problem, &op->error))
    {
      if (op->error == NULL)
        *rejection = lk_server_op_reject (op, "number_unusable", json_object_ref (kase), "%s", problem);
      return FALSE;
    }

  subject = lookup_text (op, "SELECT name FROM service_types WHERE id = ?1",
                         json_object_get_string_member (kase, "service_type"), "Looking up the service type");
  if (op->error != NULL)
    return FALSE;
  position = lookup_text (op, "SELECT position FROM users WHERE id = ?1", op->user->id, "Looking up the signer");
  if (op->error != NULL)
    return FALSE;

  record = json_object_new ();
  json_object_set_string_member (record, "id", info->letter_id);
  json_object_set_string_member (record, "case_id", case_id);
  json_object_set_string_member (record, "number", info->number);
  json_object_set_string_member (record, "unit", json_object_get_string_member (kase, "unit"));
  json_object_set_string_member (record, "subject", subject != NULL ? subject : "");
  json_object_set_string_member (record, "signer_name", op->user->display_name);
  if (position != NULL)
    json_object_set_string_member (record, "signer_position", position);
  else
    json_object_set_null_member (record, "signer_position");
  json_object_set_int_member (record, "signed_at", op->now);
  json_object_set_string_member (record, "sha256", letter);
  json_object_set_int_member (record, "template_version", info->template_version);
  json_object_set_string_member (record, "status", "valid");
  json_object_set_null_member (record, "status_reason");
  json_object_set_null_member (record, "status_at");
  json_object_set_null_member (record, "superseded_by");
  json_object_set_null_member (record, "delivery_state");
  json_object_set_null_member (record, "delivery_error");
  json_object_set_null_member (record, "delivered_at");
  json_object_set_int_member (record, "version", 1);
  if (!lk_server_op_save (op, LK_KIND_LETTER, record, json_object_ref (kase), rejection))
    return FALSE;

  /* The case's earlier letters give way to this one. */
  stmt = lk_store_prepare (op->store,
                           "UPDATE letters SET status = 'superseded', superseded_by = ?2, status_at = ?3, "
                           "version = version + 1 WHERE case_id = ?1 AND status = 'valid' AND id <> ?2",
                           &op->error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, info->letter_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, op->now);
  if (!lk_server_step_done (op->server, stmt, "Superseding the case's earlier letters", &op->error))
    return FALSE;

  if (!lk_server_mail_queue_letter (op->server, info->letter_id, op->now, &op->error))
    return FALSE;
  /* The batch commits before the main loop runs this. */
  g_idle_add_full (G_PRIORITY_DEFAULT, kick_idle_cb, g_object_ref (op->server), g_object_unref);

  g_debug ("Letter %s registered for case %s", info->letter_id, case_id);
  return TRUE;
}
