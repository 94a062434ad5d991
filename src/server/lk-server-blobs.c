/* lk-server-blobs.c — blobs: download with Range, resumable upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-private.h"

/* GET /api/v1/blobs/SHA256 */

void
lk_server_handle_blob_get (LkServer          *self,
             SoupServerMessage *msg,
             const char        *sha256)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *etag = NULL;
  SoupMessageHeaders *headers;
  sqlite3_stmt *stmt;
  int rc;

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  if (!lk_server_is_sha256_hex (sha256))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "A blob is named by the lower-case hex SHA-256 of its content.");
      return;
    }

  /* Only blobs of documents in the user's units. */
  stmt = lk_store_prepare (self->store,
                           "SELECT b.data FROM blobs b WHERE b.sha256 = ?1 AND EXISTS "
                           "(SELECT 1 FROM documents d JOIN cases c ON c.id = d.case_id "
                           " WHERE d.sha256 = ?1 AND c.unit IN "
                           " (SELECT unit_id FROM user_units WHERE user_id = ?2))",
                           &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user->id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, &error, "Reading the blob");
  sqlite3_reset (stmt);

  if (error != NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  if (bytes == NULL)
    {
      lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such blob.");
      return;
    }

  /* A Range request is answered with 206 by SoupServer itself (single and
   * multiple ranges) because the whole body is set here. */
  headers = soup_server_message_get_response_headers (msg);
  etag = g_strdup_printf ("\"%s\"", sha256);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  soup_message_headers_replace (headers, "Content-Type", "application/octet-stream");
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}


void
lk_server_handle_blob_put (LkServer          *self,
                           SoupServerMessage *msg,
                           const char        *sha256)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_IMPLEMENTED, "internal", "Not built yet.");
}

void
lk_server_handle_upload_status (LkServer          *self,
                                SoupServerMessage *msg,
                                const char        *sha256)
{
  lk_server_respond_error (msg, SOUP_STATUS_NOT_IMPLEMENTED, "internal", "Not built yet.");
}
