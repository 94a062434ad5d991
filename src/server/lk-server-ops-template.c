/* lk-server-ops-template.c — put template: a service type's letter
 * template, written by an administrator, checked by the letter engine's
 * parser, its every version kept in template_history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "lk-server-ops-private.h"

/* fields[name] as text, or NULL (absent or null); FALSE when another type. */
static gboolean
field_text (JsonObject  *fields,
            const char  *name,
            const char **out)
{
  JsonNode *node = json_object_get_member (fields, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

JsonObject *
lk_server_op_put_template (LkServerOp *op)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) service = NULL;
  g_autoptr(JsonObject) next = NULL;
  g_autoptr(LkLetterTemplate) parsed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *rejection = NULL;
  const char *service_type, *body;
  sqlite3_stmt *stmt;

  current = lk_server_op_load_record (op, LK_KIND_TEMPLATE, op->record);
  if (op->error != NULL)
    return NULL;
  if (op->user->role != LK_ROLE_ADMIN)
    return lk_server_op_reject (op, "forbidden", g_steal_pointer (&current),
                                "Only an administrator may change letter templates.");
  if (current == NULL && op->base != 0)
    return lk_server_op_reject (op, "not_found", NULL, "There is no such template.");
  if (current != NULL && json_object_get_int_member (current, "version") != op->base)
    return lk_server_op_conflict (op, g_steal_pointer (&current));

  /* One template per service type, named by its id. */
  if (!field_text (op->fields, "service_type", &service_type) ||
      (service_type != NULL && !g_str_equal (service_type, op->record)))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "A template’s id is its service type’s id: “service_type” must equal “record”.");
  service = lk_server_op_load_record (op, LK_KIND_SERVICE_TYPE, op->record);
  if (op->error != NULL)
    return NULL;
  if (service == NULL)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "A template belongs to a service type; there is no service type with this id.");

  if (!field_text (op->fields, "body", &body))
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current), "“body” must be the template’s JSON text.");
  if (body == NULL && current != NULL)
    body = json_object_get_string_member (current, "body");
  if (body == NULL || strlen (body) > LK_LETTER_TEMPLATE_MAX)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current),
                                "“body” must be the template’s JSON text of at most %d bytes.", LK_LETTER_TEMPLATE_MAX);
  parsed = lk_letter_template_parse (body, -1, &error);
  if (parsed == NULL)
    return lk_server_op_reject (op, "invalid", g_steal_pointer (&current), "The template is refused: %s",
                                error != NULL ? error->message : "it cannot be read");

  next = json_object_new ();
  json_object_set_string_member (next, "id", op->record);
  json_object_set_string_member (next, "service_type", op->record);
  json_object_set_string_member (next, "body", body);
  json_object_set_string_member (next, "updated_by", op->user->username);
  json_object_set_int_member (next, "updated_at", op->now);
  json_object_set_int_member (next, "version", op->base + 1);
  if (!lk_server_op_save (op, LK_KIND_TEMPLATE, next, g_steal_pointer (&current), &rejection))
    return rejection;

  stmt = lk_store_prepare (op->store,
                           "INSERT INTO template_history (id, version, body, updated_by, updated_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           &op->error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, op->record, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, op->base + 1);
  sqlite3_bind_text (stmt, 3, body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, op->user->username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, op->now);
  if (!lk_server_step_done (op->server, stmt, "Keeping the template's history", &op->error))
    return NULL;

  return lk_server_op_applied (op, LK_KIND_TEMPLATE, op->record);
}
