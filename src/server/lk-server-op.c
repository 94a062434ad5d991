/* lk-server-op.c — the results of one operation of POST /ops (applied,
 * conflict, rejected) and the writes they follow, shared by the files of
 * the ops endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-ops-private.h"

JsonObject *
lk_server_op_new_result (LkServerOp *op,
                         const char *status)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "id", op->id);
  json_object_set_string_member (result, "status", status);
  return result;
}

JsonObject *
lk_server_op_reject (LkServerOp *op,
                     const char *code,
                     JsonObject *record,
                     const char *format,
                     ...)
{
  JsonObject *result = lk_server_op_new_result (op, "rejected");
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_object_set_string_member (result, "code", code);
  json_object_set_string_member (result, "message", message);
  if (record != NULL)
    json_object_set_object_member (result, "record", record);
  return result;
}

JsonObject *
lk_server_op_conflict (LkServerOp *op,
                       JsonObject *record)
{
  JsonObject *result = lk_server_op_new_result (op, "conflict");

  json_object_set_int_member (result, "version", json_object_get_int_member (record, "version"));
  json_object_set_object_member (result, "record", record);
  return result;
}

/* NULL when there is none (op->error set on a failure). */
JsonObject *
lk_server_op_load_record (LkServerOp *op,
                          const char *kind,
                          const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *record = lk_store_get_json (op->store, kind, id, &error);

  if (record == NULL && !g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
    g_propagate_error (&op->error, g_steal_pointer (&error));
  return record;
}

JsonObject *
lk_server_op_applied (LkServerOp *op,
                      const char *kind,
                      const char *id)
{
  JsonObject *record = lk_server_op_load_record (op, kind, id);
  JsonObject *result;

  if (record == NULL)
    {
      if (op->error == NULL)
        g_set_error (&op->error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                     "The %s record just written cannot be read back", kind);
      return NULL;
    }

  result = lk_server_op_new_result (op, "applied");
  json_object_set_int_member (result, "version", json_object_get_int_member (record, "version"));
  json_object_set_object_member (result, "record", record);
  return result;
}

gboolean
lk_server_op_save (LkServerOp  *op,
                   const char  *kind,
                   JsonObject  *record,
                   JsonObject  *current,
                   JsonObject **rejection)
{
  g_autoptr(GError) error = NULL;

  if (lk_store_upsert_json (op->store, kind, record, &error))
    {
      g_clear_pointer (&current, json_object_unref);
      return TRUE;
    }

  if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID))
    *rejection = lk_server_op_reject (op, "invalid", current, "%s", error->message);
  else
    {
      g_clear_pointer (&current, json_object_unref);
      g_propagate_error (&op->error, g_steal_pointer (&error));
    }
  return FALSE;
}

