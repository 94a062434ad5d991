/* lk-sync-push.c — the outbox push and resumable blob uploads of LkSyncClient
 *
 * The outbox is sent oldest first in batches; each answer is recorded as it
 * arrives. A network failure leaves the unanswered operations queued: their
 * ids make a replay harmless, so the next push simply sends them again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-private.h"

#define MAX_UPLOAD_STATUS  4096  /* bytes of a GET /uploads or chunk answer */
#define MAX_UPLOAD_RESYNCS    3  /* 409s in a row before an upload gives up */

/* Helpers */

static gboolean
protocol_error (GError     **error,
                const char  *what)
{
  g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
               /* Translators: %s: which answer (e.g. "the operations") */
               _("The server sent an answer to %s that this version of Loket does not understand"),
               what);
  return FALSE;
}

/* The "received" of an uploads answer; -1 when malformed. */
static gint64
parse_received (GBytes   *body,
                gboolean *out_complete)
{
  g_autoptr(JsonNode) root = lk_sync_parse_json (body, NULL);
  JsonObject *object;
  JsonNode *node;

  if (out_complete != NULL)
    *out_complete = FALSE;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return -1;
  object = json_node_get_object (root);

  node = json_object_get_member (object, "complete");
  if (out_complete != NULL && node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    *out_complete = json_node_get_boolean (node);

  node = json_object_get_member (object, "received");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;

  return json_node_get_int (node);
}

/* GET /uploads/SHA: what the server has of the blob. */
static gboolean
upload_status (LkSyncClient  *self,
               SoupSession   *session,
               const char    *sha256,
               gint64        *out_received,
               gboolean      *out_complete,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;

  url = g_strdup_printf ("%s/api/v1/uploads/%s", lk_sync_client_get_server_url (self), sha256);
  msg = lk_sync_client_new_request (self, SOUP_METHOD_GET, url, error);
  if (msg == NULL)
    return FALSE;
  body = lk_sync_client_send (self, session, msg, MAX_UPLOAD_STATUS, FALSE, cancellable, error);
  if (body == NULL)
    return FALSE;

  *out_received = parse_received (body, out_complete);
  if (*out_received < 0 || *out_received > LK_BLOB_MAX_SIZE)
    return protocol_error (error, _("a file upload"));

  return TRUE;
}

static GBytes *
read_chunk (GFileInputStream  *stream,
            goffset            offset,
            gsize              length,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autofree guint8 *data = g_malloc (MAX (length, 1));
  gsize got = 0;

  if (!g_seekable_seek (G_SEEKABLE (stream), offset, G_SEEK_SET, cancellable, error) ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), data, length, &got, cancellable, error))
    return NULL;
  if (got != length)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("A cached file changed while it was being uploaded"));
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&data), length);
}

/* Public API */

gboolean
lk_sync_client_upload_blob (LkSyncClient  *self,
                            LkBlobCache   *cache,
                            const char    *sha256,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  gint64 received = 0;
  gboolean complete = FALSE;
  guint resyncs = 0;
  goffset size;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (LK_IS_BLOB_CACHE (cache), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lk_blob_is_valid_sha256 (sha256))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("“%s” is not a SHA-256 hash (64 lower-case hex digits)"), sha256 ? sha256 : "");
      return FALSE;
    }

  session = lk_sync_create_session ();
  if (!upload_status (self, session, sha256, &received, &complete, cancellable, error))
    return FALSE;
  if (complete)
    return TRUE;

  path = lk_blob_cache_lookup (cache, sha256);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The file %s is not in the local cache, so it cannot be uploaded"), sha256);
      return FALSE;
    }

  file = g_file_new_for_path (path);
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error);
  if (info == NULL)
    return FALSE;
  size = g_file_info_get_size (info);
  if (size < 0 || size > LK_BLOB_MAX_SIZE)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_TOO_LARGE,
                   _("The file %s is larger than the limit of %d bytes"), sha256, LK_BLOB_MAX_SIZE);
      return FALSE;
    }

  url = g_strdup_printf ("%s/api/v1/blobs/%s", lk_sync_client_get_server_url (self), sha256);

  for (;;)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) chunk = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize length;
      guint status;

      if (received > size)
        return protocol_error (error, _("a file upload"));

      length = (gsize) MIN ((goffset) LK_SYNC_UPLOAD_CHUNK, size - received);
      chunk = read_chunk (stream, received, length, cancellable, error);
      if (chunk == NULL)
        return FALSE;

      msg = lk_sync_client_new_request (self, SOUP_METHOD_PUT, url, error);
      if (msg == NULL)
        return FALSE;
      /* A blob sent whole needs no range (and an empty one has none). */
      if (received > 0 || (goffset) length < size)
        soup_message_headers_set_content_range (soup_message_get_request_headers (msg),
                                                received, received + (goffset) length - 1, size);
      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", chunk);

      body = lk_sync_client_send (self, session, msg, MAX_UPLOAD_STATUS, FALSE, cancellable, &local_error);
      status = soup_message_get_status (msg);
      if (body == NULL)
        {
          /* 409: the server has a different amount; ask it and go on. */
          if (status == SOUP_STATUS_CONFLICT && ++resyncs <= MAX_UPLOAD_RESYNCS)
            {
              if (!upload_status (self, session, sha256, &received, &complete, cancellable, error))
                return FALSE;
              if (complete)
                return TRUE;
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (status == SOUP_STATUS_OK || status == SOUP_STATUS_CREATED)
        {
          g_debug ("Uploaded %s (%" G_GOFFSET_FORMAT " bytes)", sha256, size);
          return TRUE;
        }

      {
        gint64 now_received = parse_received (body, NULL);

        if (now_received <= received || now_received > size)
          return protocol_error (error, _("a file upload"));
        received = now_received;
        resyncs = 0;
      }
    }
}

/* The blobs an operation names: a document's bytes, a signed letter. */
static const char *
op_blob (LkOutboxEntry *entry,
         JsonObject    *fields)
{
  JsonNode *node = NULL;

  if (g_strcmp0 (entry->op, "transition") == 0)
    node = json_object_get_member (fields, "letter");
  else if (g_strcmp0 (entry->kind, LK_KIND_DOCUMENT) == 0)
    node = json_object_get_member (fields, "sha256");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonNode *
entry_to_node (LkOutboxEntry *entry,
               JsonObject    *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, entry->id);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, entry->op);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, entry->kind);
  json_builder_set_member_name (builder, "record");
  json_builder_add_string_value (builder, entry->record_id);
  json_builder_set_member_name (builder, "base");
  json_builder_add_int_value (builder, entry->base);
  json_builder_set_member_name (builder, "fields");
  {
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (node, fields);
    json_builder_add_value (builder, node);
  }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
node_to_string (JsonNode *node,
                gsize    *out_length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, out_length);
}

gboolean
lk_sync_push_results_validate (JsonNode    *root,
                               GPtrArray   *sent,
                               JsonArray  **out_results,
                               GError     **error)
{
  JsonNode *node;
  JsonArray *results;

  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (sent != NULL, FALSE);
  g_return_val_if_fail (out_results != NULL, FALSE);

  *out_results = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return protocol_error (error, _("the operations"));
  node = json_object_get_member (json_node_get_object (root), "results");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return protocol_error (error, _("the operations"));
  results = json_node_get_array (node);
  if (json_array_get_length (results) != sent->len)
    return protocol_error (error, _("the operations"));

  for (guint i = 0; i < sent->len; i++)
    {
      LkOutboxEntry *entry = g_ptr_array_index (sent, i);
      JsonNode *result = json_array_get_element (results, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (result))
        return protocol_error (error, _("the operations"));
      id = lk_sync_get_string_member (json_node_get_object (result), "id", 64);
      if (g_strcmp0 (id, entry->id) != 0)
        return protocol_error (error, _("the operations"));
    }

  *out_results = results;
  return TRUE;
}

gboolean
lk_sync_client_push (LkSyncClient  *self,
                     LkStore       *store,
                     LkBlobCache   *cache,
                     guint         *out_applied,
                     guint         *out_conflicts,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = NULL;
  guint applied = 0, conflicts = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (cache == NULL || LK_IS_BLOB_CACHE (cache), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_applied != NULL)
    *out_applied = 0;
  if (out_conflicts != NULL)
    *out_conflicts = 0;

  session = lk_sync_create_session ();
  url = g_strdup_printf ("%s/api/v1/ops", lk_sync_client_get_server_url (self));

  for (gboolean one_by_one = FALSE;;)
    {
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GPtrArray) sent = g_ptr_array_new ();
      g_autoptr(JsonArray) ops = json_array_new ();
      g_autoptr(JsonObject) request = json_object_new ();
      g_autoptr(JsonNode) request_node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *request_text = NULL;
      JsonArray *results;
      gsize request_length = 0;
      gsize batch_bytes = 16;  /* {"ops":[]} and some */

      /* After a batch the server could not read (400), the operations go
       * one at a time until the one it cannot read is found and parked. */
      entries = lk_outbox_list (store, one_by_one ? 1 : LK_SYNC_PUSH_BATCH, error);
      if (entries == NULL)
        {
          ok = FALSE;
          break;
        }
      if (entries->len == 0)
        break;

      for (guint i = 0; i < entries->len; i++)
        {
          LkOutboxEntry *entry = g_ptr_array_index (entries, i);
          g_autoptr(JsonNode) fields_node = json_from_string (entry->fields, NULL);
          g_autoptr(JsonNode) op = NULL;
          g_autofree char *op_text = NULL;
          gsize op_length = 0;
          const char *blob;

          if (fields_node == NULL || !JSON_NODE_HOLDS_OBJECT (fields_node))
            {
              /* Kept for the user to see, out of the way of the others. */
              g_autofree char *why = g_strdup_printf (_("The queued operation %s is damaged"), entry->id);

              if (!lk_outbox_park (store, entry, "damaged", why, error))
                return FALSE;
              conflicts++;
              if (out_conflicts != NULL)
                *out_conflicts = conflicts;
              break;
            }

          op = entry_to_node (entry, json_node_get_object (fields_node));
          op_text = node_to_string (op, &op_length);
          if (sent->len > 0 && batch_bytes + op_length + 1 > LK_SYNC_PUSH_BYTES)
            break;
          batch_bytes += op_length + 1;

          /* The blob first: the server refuses an operation naming a blob
           * it does not have. One missing from the cache too is left to the
           * server's answer (blob_missing), which the user then sees. */
          blob = op_blob (entry, json_node_get_object (fields_node));
          if (blob != NULL && cache != NULL &&
              !lk_sync_client_upload_blob (self, cache, blob, cancellable, &local_error))
            {
              if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
                {
                  if (g_error_matches (local_error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
                    lk_outbox_note_attempt (store, entry->seq, local_error->message, NULL);
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              g_debug ("%s", local_error->message);
              g_clear_error (&local_error);
            }

          json_array_add_element (ops, g_steal_pointer (&op));
          g_ptr_array_add (sent, entry);
        }

      if (sent->len == 0)
        continue;  /* the head of the queue was parked */

      json_object_set_array_member (request, "ops", json_array_ref (ops));
      json_node_set_object (request_node, request);
      request_text = node_to_string (request_node, &request_length);

      msg = lk_sync_client_new_request (self, SOUP_METHOD_POST, url, error);
      if (msg == NULL)
        {
          ok = FALSE;
          break;
        }
      soup_message_set_request_body_from_bytes (msg, "application/json",
                                                g_bytes_new_take (g_steal_pointer (&request_text),
                                                                  request_length));

      body = lk_sync_client_send (self, session, msg, LK_SYNC_MAX_PAGE_BYTES, FALSE,
                                  cancellable, &local_error);
      if (body == NULL && soup_message_get_status (msg) == SOUP_STATUS_BAD_REQUEST)
        {
          LkOutboxEntry *head = g_ptr_array_index (sent, 0);

          if (sent->len > 1)
            {
              g_debug ("The server could not read a batch of %u: sending one by one", sent->len);
              one_by_one = TRUE;
              continue;
            }
          if (!lk_outbox_park (store, head, "bad_request", local_error->message, error))
            {
              ok = FALSE;
              break;
            }
          one_by_one = FALSE;
          conflicts++;
          if (out_conflicts != NULL)
            *out_conflicts = conflicts;
          continue;
        }
      if (body == NULL)
        {
          LkOutboxEntry *last = g_ptr_array_index (sent, sent->len - 1);

          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            lk_outbox_note_attempt (store, last->seq, local_error->message, NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
          break;
        }

      root = lk_sync_parse_json (body, error);
      if (root == NULL)
        {
          ok = FALSE;
          break;
        }
      if (!lk_sync_push_results_validate (root, sent, &results, error))
        {
          ok = FALSE;
          break;
        }

      for (guint i = 0; i < sent->len; i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);
          const char *status = lk_sync_get_string_member (result, "status", 16);

          if (!lk_outbox_apply_result (store, result, &local_error))
            {
              if (g_error_matches (local_error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID))
                g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                             "%s", local_error->message);
              else
                g_propagate_error (error, g_steal_pointer (&local_error));
              ok = FALSE;
              break;
            }
          if (g_strcmp0 (status, "applied") == 0)
            applied++;
          else
            conflicts++;
          if (out_applied != NULL)
            *out_applied = applied;
          if (out_conflicts != NULL)
            *out_conflicts = conflicts;
        }
      if (!ok)
        break;

      g_debug ("Pushed %u operations", sent->len);
    }

  return ok;
}
