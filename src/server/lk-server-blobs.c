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

  /* Only blobs of documents in the user's units, and those the user
   * uploaded. */
  stmt = lk_store_prepare (self->store,
                           "SELECT b.data FROM blobs b WHERE b.sha256 = ?1 AND (EXISTS "
                           "(SELECT 1 FROM documents d JOIN cases c ON c.id = d.case_id "
                           " WHERE d.sha256 = ?1 AND c.unit IN "
                           " (SELECT unit_id FROM user_units WHERE user_id = ?2)) OR EXISTS "
                           "(SELECT 1 FROM blob_owners o WHERE o.sha256 = ?1 AND o.user_id = ?2))",
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


/* Uploads. A chunk is appended to the `uploads` row of the blob (shared by
 * whoever uploads it: the bytes are checked against the name at the end,
 * so nobody gains anything by sending another's chunks); the last chunk
 * moves the checked bytes into `blobs`. */

#define UPLOAD_STALE_SECONDS (7 * 24 * 60 * 60)  /* unfinished uploads kept */

typedef struct
{
  gboolean exists;
  gint64   total;
  gint64   received;
} Staging;

static void
respond_progress (SoupServerMessage *msg,
                  guint              status,
                  gint64             received,
                  gboolean           complete)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "received");
  json_builder_add_int_value (b, received);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, complete);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lk_server_respond_json (msg, status, root);
}

static void
respond_offset_conflict (SoupServerMessage *msg,
                         gint64             received)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "conflict");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "The chunk does not start where the upload stands; "
                                    "continue from “received”.");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "received");
  json_builder_add_int_value (b, received);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lk_server_respond_json (msg, SOUP_STATUS_CONFLICT, root);
}

/* -1 when the blob is not stored. */
static gboolean
stored_size (LkServer    *self,
             const char  *sha256,
             gint64      *out_size,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_size = -1;
  stmt = lk_store_prepare (self->store, "SELECT size FROM blobs WHERE sha256 = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Looking up a blob");
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_staging (LkServer    *self,
              const char  *sha256,
              Staging     *out,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (out, 0, sizeof *out);
  stmt = lk_store_prepare (self->store,
                           "SELECT size, length (data) FROM uploads WHERE sha256 = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->exists = TRUE;
      out->total = sqlite3_column_int64 (stmt, 0);
      out->received = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Looking up an upload");
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_sha_stmt (LkServer    *self,
              const char  *sql,
              const char  *sha256,
              const char  *user_id,
              const char  *what,
              GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  if (user_id != NULL)
    sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, what);
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_owner (LkServer    *self,
           const char  *sha256,
           const char  *user_id,
           GError     **error)
{
  return run_sha_stmt (self, "INSERT OR IGNORE INTO blob_owners (sha256, user_id) VALUES (?1, ?2)",
                       sha256, user_id, "Recording who uploaded a blob", error);
}

static gboolean
drop_staging (LkServer    *self,
              const char  *sha256,
              GError     **error)
{
  return run_sha_stmt (self, "DELETE FROM uploads WHERE sha256 = ?1", sha256, NULL,
                       "Dropping an upload", error);
}

static gboolean
forget_stale_uploads (LkServer  *self,
                      gint64     now,
                      GError   **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store,
                                         "DELETE FROM uploads WHERE updated_at < ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now - UPLOAD_STALE_SECONDS);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Removing abandoned uploads");
      return FALSE;
    }

  return TRUE;
}

static gboolean
store_blob (LkServer      *self,
            const char    *sha256,
            const guint8  *data,
            gsize          len,
            GError       **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store,
                                         "INSERT OR IGNORE INTO blobs (sha256, size, data) "
                                         "VALUES (?1, ?2, ?3)",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (gint64) len);
  /* A zero-length blob is still a blob, not NULL. */
  sqlite3_bind_blob64 (stmt, 3, data != NULL ? (const void *) data : (const void *) "", len,
                       SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Storing a blob");
      return FALSE;
    }

  return TRUE;
}

static gboolean
bytes_match (const char   *sha256,
             const guint8 *data,
             gsize         len)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  if (len > 0)
    g_checksum_update (checksum, data, len);

  return g_str_equal (g_checksum_get_string (checksum), sha256);
}

/* The staged bytes checked and moved into blobs; FALSE with *mismatch when
 * they are not what the name says. */
static gboolean
complete_staged (LkServer    *self,
                 const char  *sha256,
                 gboolean    *mismatch,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  *mismatch = FALSE;
  stmt = lk_store_prepare (self->store, "SELECT data FROM uploads WHERE sha256 = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const guint8 *data = sqlite3_column_blob (stmt, 0);
      gsize len = (gsize) sqlite3_column_bytes (stmt, 0);

      if (!bytes_match (sha256, data, len))
        *mismatch = TRUE;
      else
        ok = store_blob (self, sha256, data, len, error);
    }
  else
    lk_store_set_sql_error (self->store, error, "Reading an upload");
  sqlite3_reset (stmt);

  if (*mismatch)
    return FALSE;

  return ok && drop_staging (self, sha256, error);
}

static gboolean
append_chunk (LkServer      *self,
              const char    *sha256,
              const char    *user_id,
              const Staging *staging,
              gint64         total,
              const guint8  *data,
              gsize          len,
              gint64         now,
              GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!staging->exists)
    stmt = lk_store_prepare (self->store,
                             "INSERT INTO uploads (sha256, user_id, size, data, updated_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  else
    /* CAST: || makes text of its operands, and a text's length() stops
     * at its first NUL. */
    stmt = lk_store_prepare (self->store,
                             "UPDATE uploads SET data = CAST (data || ?4 AS BLOB), updated_at = ?5 "
                             "WHERE sha256 = ?1 AND size = ?3",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  if (!staging->exists)
    sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, total);
  sqlite3_bind_blob64 (stmt, 4, len > 0 ? (const void *) data : (const void *) "", len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Saving an upload chunk");
      return FALSE;
    }

  return TRUE;
}

static gboolean
count_open_uploads (LkServer    *self,
                    const char  *user_id,
                    gint64      *out_count,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store, "SELECT count(*) FROM uploads WHERE user_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = sqlite3_column_int64 (stmt, 0);
  else
    lk_store_set_sql_error (self->store, error, "Counting unfinished uploads");
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

typedef enum
{
  PUT_FAILED,     /* error set */
  PUT_CONFLICT,   /* START is not what was received */
  PUT_TOO_MANY,   /* the user has LK_SERVER_MAX_OPEN_UPLOADS unfinished already */
  PUT_PARTIAL,    /* 202 */
  PUT_MISMATCH,   /* the bytes are not the name's: dropped */
  PUT_CREATED,    /* 201 */
  PUT_EXISTED,    /* 200 */
} PutResult;

/* In the open transaction. */
static PutResult
put_chunk (LkServer      *self,
           const char    *sha256,
           const char    *user_id,
           gint64         start,
           gint64         total,
           const guint8  *data,
           gsize          len,
           gint64         now,
           gint64        *out_received,
           GError       **error)
{
  gint64 existing = -1;
  gboolean mismatch = FALSE;
  Staging staging;

  if (!forget_stale_uploads (self, now, error) ||
      !stored_size (self, sha256, &existing, error) ||
      !load_staging (self, sha256, &staging, error))
    return PUT_FAILED;

  *out_received = staging.received;
  if (start != staging.received || (staging.exists && staging.total != total))
    return PUT_CONFLICT;

  if (start + (gint64) len < total)
    {
      gint64 open_uploads = 0;

      /* A new unfinished upload: at most LK_SERVER_MAX_OPEN_UPLOADS per
       * user, so no one fills the disk with beginnings. */
      if (!staging.exists)
        {
          if (!count_open_uploads (self, user_id, &open_uploads, error))
            return PUT_FAILED;
          if (open_uploads >= LK_SERVER_MAX_OPEN_UPLOADS)
            return PUT_TOO_MANY;
        }
      if (!append_chunk (self, sha256, user_id, &staging, total, data, len, now, error))
        return PUT_FAILED;
      *out_received = start + (gint64) len;
      return PUT_PARTIAL;
    }

  /* The last chunk, or the whole blob. An already stored blob is only
   * answered (and its owner recorded) once its bytes came in again: the
   * name alone proves nothing. */
  if (!staging.exists)
    {
      if (!bytes_match (sha256, data, len))
        mismatch = TRUE;
      else if (existing < 0 && !store_blob (self, sha256, data, len, error))
        return PUT_FAILED;
    }
  else if (!append_chunk (self, sha256, user_id, &staging, total, data, len, now, error) ||
           (!complete_staged (self, sha256, &mismatch, error) && !mismatch))
    return PUT_FAILED;

  if (mismatch)
    {
      *out_received = 0;
      return drop_staging (self, sha256, error) ? PUT_MISMATCH : PUT_FAILED;
    }

  if (!add_owner (self, sha256, user_id, error))
    return PUT_FAILED;

  *out_received = total;
  return existing >= 0 ? PUT_EXISTED : PUT_CREATED;
}

/* Content-Range */

#define MAX_OFFSET_DIGITS 19  /* < 2^63: any goffset, never an overflow */

/* 1 to MAX_OFFSET_DIGITS decimal digits at *p, moving *p past them. */
static gboolean
scan_offset (const char **p,
             goffset     *out)
{
  guint64 value = 0;
  guint n = 0;

  while (g_ascii_isdigit (**p))
    {
      if (++n > MAX_OFFSET_DIGITS)
        return FALSE;
      value = value * 10 + (guint64) (**p - '0');
      (*p)++;
    }
  if (n == 0 || value > G_MAXINT64)
    return FALSE;

  *out = (goffset) value;
  return TRUE;
}

LkServerRange
lk_server_parse_content_range (const char *header,
                               gsize       len,
                               goffset    *out_start,
                               goffset    *out_end,
                               goffset    *out_total)
{
  const char *p = header;
  goffset start, end, total;

  *out_start = 0;
  *out_end = -1;
  *out_total = 0;

  if (len > LK_SERVER_MAX_CHUNK)
    return LK_SERVER_RANGE_CHUNK_TOO_LARGE;

  if (header == NULL)
    {
      /* The whole blob in one body. */
      start = 0;
      total = (goffset) len;
      end = total - 1;
    }
  else
    {
      /* "bytes START-END/TOTAL" (RFC 9110, 14.4), TOTAL known: what
       * soup_message_headers_set_content_range writes. */
      if (g_ascii_strncasecmp (p, "bytes ", 6) != 0)
        return LK_SERVER_RANGE_INVALID;
      p += 6;
      if (!scan_offset (&p, &start) || *p++ != '-' ||
          !scan_offset (&p, &end) || *p++ != '/' ||
          !scan_offset (&p, &total) || *p != '\0')
        return LK_SERVER_RANGE_INVALID;
      /* end < total ≤ G_MAXINT64, so end - start + 1 cannot overflow. */
      if (end < start || end >= total || (guint64) (end - start + 1) != len)
        return LK_SERVER_RANGE_INVALID;
    }

  if (total > LK_SERVER_MAX_BLOB)
    return LK_SERVER_RANGE_BLOB_TOO_LARGE;

  *out_start = start;
  *out_end = end;
  *out_total = total;
  return LK_SERVER_RANGE_OK;
}

/* PUT /api/v1/blobs/SHA256 */

void
lk_server_handle_blob_put (LkServer          *self,
                           SoupServerMessage *msg,
                           const char        *sha256)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;
  const guint8 *data;
  gsize len;
  goffset start, end, total;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 received = 0;
  PutResult result;

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  if (!lk_server_is_sha256_hex (sha256))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "A blob is named by the lower-case hex SHA-256 of its content.");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &len);
  headers = soup_server_message_get_request_headers (msg);
  switch (lk_server_parse_content_range (soup_message_headers_get_one (headers, "Content-Range"), len,
                                         &start, &end, &total))
    {
    case LK_SERVER_RANGE_OK:
      break;
    case LK_SERVER_RANGE_CHUNK_TOO_LARGE:
      lk_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                               "A chunk holds at most 4 MiB.");
      return;
    case LK_SERVER_RANGE_BLOB_TOO_LARGE:
      lk_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                               "A blob holds at most 64 MiB.");
      return;
    case LK_SERVER_RANGE_INVALID:
    default:
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Content-Range must be “bytes START-END/TOTAL” with a known "
                               "TOTAL, and cover exactly the bytes of the body.");
      return;
    }

  if (!lk_store_begin (self->store, &error))
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  result = put_chunk (self, sha256, user->id, start, total, data, len, now, &received, &error);
  if (result == PUT_FAILED || result == PUT_CONFLICT || result == PUT_TOO_MANY)
    lk_store_rollback (self->store);
  else if (!lk_store_commit (self->store, &error))
    result = PUT_FAILED;

  switch (result)
    {
    case PUT_FAILED:
      lk_server_respond_internal (msg, error);
      break;
    case PUT_CONFLICT:
      respond_offset_conflict (msg, received);
      break;
    case PUT_TOO_MANY:
      {
        g_autofree char *why = g_strdup_printf ("You have %d unfinished uploads: finish one first "
                                                "(they are dropped after %d days without a chunk).",
                                                LK_SERVER_MAX_OPEN_UPLOADS,
                                                UPLOAD_STALE_SECONDS / (24 * 60 * 60));

        lk_server_respond_error (msg, 429 /* Too Many Requests */, "throttled", why);
        break;
      }
    case PUT_PARTIAL:
      respond_progress (msg, SOUP_STATUS_ACCEPTED, received, FALSE);
      break;
    case PUT_MISMATCH:
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "The bytes do not match the SHA-256 in the URL; the upload was "
                               "dropped: send the blob again from the start.");
      break;
    case PUT_CREATED:
    case PUT_EXISTED:
      g_debug ("Blob %s uploaded%s", sha256, result == PUT_EXISTED ? " (already stored)" : "");
      respond_progress (msg, result == PUT_CREATED ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                        received, TRUE);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* GET /api/v1/uploads/SHA256 */

void
lk_server_handle_upload_status (LkServer          *self,
                                SoupServerMessage *msg,
                                const char        *sha256)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  gint64 existing = -1;
  Staging staging;

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  if (!lk_server_is_sha256_hex (sha256))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "A blob is named by the lower-case hex SHA-256 of its content.");
      return;
    }

  if (!stored_size (self, sha256, &existing, &error) ||
      !load_staging (self, sha256, &staging, &error))
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  if (existing >= 0)
    respond_progress (msg, SOUP_STATUS_OK, existing, TRUE);
  else
    respond_progress (msg, SOUP_STATUS_OK, staging.received, FALSE);
}
