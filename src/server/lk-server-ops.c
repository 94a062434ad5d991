/* lk-server-ops.c — POST /api/v1/ops: the client's operations, applied
 * idempotently under the lifecycle's and the units' rules
 *
 * A batch is one transaction; each operation runs inside a savepoint of its
 * own, so a rejected or conflicting operation undoes only itself. Every
 * result (applied, conflict or rejected) is stored in `ops` with the effect
 * it describes, and a replayed id gets that text back byte for byte.
 *
 * Order of the checks, the same for every kind: the operation's shape
 * (known op and kind, writable fields only), the record's case and unit
 * (not_found; forbidden when the unit is not one of the user's), the role
 * (forbidden for a put the role may not make; illegal_transition for a move
 * the role may not make), the base version (conflict), then the values
 * (invalid, reason_required, blob_missing, signature_invalid,
 * certificate_unknown).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-json.h"
#include "lk-server-ops-private.h"

/* The batch */

/* Looks the op up in `ops`: its stored result text when this user sent
 * it; NULL with *out_other_user set when another user did; else NULL. */
static char *
find_stored (LkStore       *store,
             LkServerUser  *user,
             const char    *id,
             gboolean      *out_other_user,
             GError       **error)
{
  sqlite3_stmt *stmt;
  char *text = NULL;
  int rc;

  *out_other_user = FALSE;
  stmt = lk_store_prepare (store, "SELECT user_id, result FROM ops WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), user->id) == 0)
        text = lk_server_column_dup (stmt, 1);
      else
        *out_other_user = TRUE;
    }
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (store, error, "Looking up an operation");
  sqlite3_reset (stmt);

  return text;
}

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Applies one operation inside the open transaction: the result's JSON
 * text, or NULL with error (the batch must then be rolled back). */
static char *
run_op (LkServer      *self,
        LkServerUser  *user,
        JsonObject    *object,
        gint64         now,
        GError       **error)
{
  LkServerOp op = {
    .server = self,
    .store = self->store,
    .user = user,
    .now = now,
    .id = json_object_get_string_member (object, "id"),
    .op = json_object_get_string_member (object, "op"),
    .kind = json_object_get_string_member (object, "kind"),
    .record = json_object_get_string_member (object, "record"),
    .base = json_object_get_int_member (object, "base"),
    .fields = json_object_get_object_member (object, "fields"),
  };
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gboolean other_user;
  sqlite3_stmt *stmt;
  int rc;

  text = find_stored (self->store, user, op.id, &other_user, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (text != NULL)
    return g_steal_pointer (&text);
  if (other_user)
    {
      /* Not stored: the id belongs to the other user's operation. */
      result = lk_server_op_reject (&op, "duplicate_id", NULL,
                                    "This operation id was already used by another user; make a new UUID.");
      return object_to_text (result);
    }

  if (!lk_store_exec (self->store, "SAVEPOINT op", error))
    return NULL;

  result = lk_server_op_dispatch (&op);
  if (op.error != NULL)
    {
      g_propagate_error (error, op.error);
      return NULL;
    }
  g_assert (result != NULL);

  /* Only an applied operation keeps its effect. */
  if (!g_str_equal (json_object_get_string_member (result, "status"), "applied") &&
      !lk_store_exec (self->store, "ROLLBACK TO op", error))
    return NULL;

  text = object_to_text (result);
  stmt = lk_store_prepare (self->store, "INSERT INTO ops (id, user_id, at, result) VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, op.id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Recording an operation");
      return NULL;
    }

  if (!lk_store_exec (self->store, "RELEASE op", error))
    return NULL;

  return g_steal_pointer (&text);
}

static gboolean
member_has_type (JsonObject *object,
                 const char *name,
                 GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Whether the batch has the shape of docs/api-v1.md: {"ops": [...]} of at
 * most LK_SERVER_MAX_OPS objects, each with a lower-case UUID "id", text
 * "op", "kind" and "record", an integer "base" ≥ 0 and an object
 * "fields". */
static gboolean
batch_is_well_formed (JsonObject *root)
{
  JsonNode *ops = json_object_get_member (root, "ops");
  JsonArray *array;

  if (ops == NULL || !JSON_NODE_HOLDS_ARRAY (ops))
    return FALSE;
  array = json_node_get_array (ops);
  if (json_array_get_length (array) > LK_SERVER_MAX_OPS)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *fields;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      object = json_node_get_object (node);
      fields = json_object_get_member (object, "fields");
      if (!member_has_type (object, "id", G_TYPE_STRING) ||
          !lk_server_is_uuid (json_object_get_string_member (object, "id")) ||
          !member_has_type (object, "op", G_TYPE_STRING) ||
          !member_has_type (object, "kind", G_TYPE_STRING) ||
          !member_has_type (object, "record", G_TYPE_STRING) ||
          !member_has_type (object, "base", G_TYPE_INT64) ||
          json_object_get_int_member (object, "base") < 0 ||
          fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields))
        return FALSE;
    }

  return TRUE;
}

static const char bad_batch[] =
  "The body must be {\"ops\": [...]} with at most 500 operations, each with a lower-case UUID \"id\", "
  "\"op\", \"kind\", \"record\", an integer \"base\" and an object \"fields\".";

/* The body as the batch's "ops", or NULL when it is no batch: the checks
 * of lk_server_parse_body (at most LK_SERVER_MAX_OPS_BODY bytes of UTF-8,
 * depth ≤ LK_SERVER_MAX_JSON_DEPTH, an object) on plain JSON, then the
 * shape. */
static JsonNode *
parse_batch (const char *body,
             gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (len == 0 || len > LK_SERVER_MAX_OPS_BODY ||
      !g_utf8_validate (body, len, NULL) ||
      !lk_json_depth_ok (body, len, LK_SERVER_MAX_JSON_DEPTH) ||
      !json_parser_load_from_data (parser, body, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      !batch_is_well_formed (json_node_get_object (root)))
    return NULL;

  return json_node_ref (root);
}

guint
lk_server_apply_ops (LkServer      *self,
                     LkServerUser  *user,
                     const char    *body,
                     gsize          len,
                     gint64         now,
                     GBytes       **out_results,
                     GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) reply = NULL;
  JsonArray *ops;
  gsize reply_len;

  g_return_val_if_fail (LK_IS_SERVER (self), SOUP_STATUS_INTERNAL_SERVER_ERROR);
  g_return_val_if_fail (user != NULL, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  g_return_val_if_fail (body != NULL || len == 0, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  g_return_val_if_fail (out_results != NULL && *out_results == NULL, SOUP_STATUS_INTERNAL_SERVER_ERROR);

  root = parse_batch (body, len);
  if (root == NULL)
    return SOUP_STATUS_BAD_REQUEST;
  ops = json_object_get_array_member (json_node_get_object (root), "ops");

  if (!lk_store_begin (self->store, error))
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;

  reply = g_string_sized_new (256 * (json_array_get_length (ops) + 1));
  g_string_append (reply, "{\"results\":[");
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      g_autofree char *text = run_op (self, user, json_array_get_object_element (ops, i), now, error);

      if (text == NULL)
        {
          lk_store_rollback (self->store);
          return SOUP_STATUS_INTERNAL_SERVER_ERROR;
        }
      if (i > 0)
        g_string_append_c (reply, ',');
      g_string_append (reply, text);
    }
  g_string_append (reply, "]}");

  if (!lk_store_commit (self->store, error))
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;

  reply_len = reply->len;
  *out_results = g_bytes_new_take (g_string_free (g_steal_pointer (&reply), FALSE), reply_len);
  return SOUP_STATUS_OK;
}

void
lk_server_handle_ops (LkServer          *self,
                      SoupServerMessage *msg)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) results = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *data;
  gsize len;
  guint status;

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &len);
  status = lk_server_apply_ops (self, user, data, len, g_get_real_time () / G_USEC_PER_SEC, &results, &error);
  switch (status)
    {
    case SOUP_STATUS_OK:
      headers = soup_server_message_get_response_headers (msg);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), results);
      break;
    case SOUP_STATUS_BAD_REQUEST:
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", bad_batch);
      break;
    default:
      lk_server_respond_internal (msg, error);
      break;
    }
}
