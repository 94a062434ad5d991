/* lk-test-signed.c — signed letters for the numbering and register tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "letter/lk-letter-template.h"
#include "sign/lk-pades.h"
#include "store/lk-store-private.h"

#include "lk-test-signed.h"
#include "lk-test-util.h"

static sqlite3_stmt *
db_prepare (LkStore    *db,
            const char *sql,
            const char *arg1,
            const char *arg2)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (db, sql, &error);

  g_assert_no_error (error);
  if (arg1 != NULL)
    sqlite3_bind_text (stmt, 1, arg1, -1, SQLITE_TRANSIENT);
  if (arg2 != NULL)
    sqlite3_bind_text (stmt, 2, arg2, -1, SQLITE_TRANSIENT);
  return stmt;
}

gint64
lk_test_db_int (LkStore    *db,
                const char *sql,
                const char *arg1,
                const char *arg2)
{
  sqlite3_stmt *stmt = db_prepare (db, sql, arg1, arg2);
  gint64 value = -1;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

char *
lk_test_db_text (LkStore    *db,
                 const char *sql,
                 const char *arg1,
                 const char *arg2)
{
  sqlite3_stmt *stmt = db_prepare (db, sql, arg1, arg2);
  char *value = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

void
lk_test_db_run (LkStore    *db,
                const char *sql,
                const char *arg1,
                const char *arg2)
{
  sqlite3_stmt *stmt = db_prepare (db, sql, arg1, arg2);
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
}

char *
lk_test_json_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
lk_test_signed_letter (LkStore     *db,
                       const char  *case_id,
                       const char  *number,
                       const char  *letter_id,
                       LkTokenKey  *key,
                       const char  *dir,
                       char       **out_letter_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(LkLetterInfo) info = NULL;
  g_autofree char *id = g_strdup (letter_id);
  g_autofree char *draft = NULL;
  g_autofree char *signed_path = NULL;
  g_autofree char *unit_name = NULL;
  LkServiceType *service = NULL;
  LkLetterRenderInfo render = { 0, };
  LkPadesOptions opts = { 0, };

  kase = lk_store_get_case (db, case_id, &error);
  g_assert_no_error (error);
  services = lk_store_list_service_types (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < services->len; i++)
    if (g_str_equal (lk_service_type_get_id (g_ptr_array_index (services, i)), lk_case_get_service_type_id (kase)))
      service = g_ptr_array_index (services, i);
  g_assert_nonnull (service);
  unit_name = lk_test_db_text (db, "SELECT name FROM units WHERE id = ?1", lk_case_get_unit (kase), NULL);

  if (id == NULL)
    id = lk_letter_new_id ();
  template = lk_letter_template_new_default (service);
  g_assert_nonnull (template);
  render.unit_name = unit_name;
  render.number = number;
  render.letter_id = id;
  render.public_url = "http://127.0.0.1";
  render.signer_name = "Pejabat Demo";
  render.signer_position = "Kepala Dinas";
  render.signer_nip = "198001012005011001";
  render.template_version = 0;
  draft = g_strdup_printf ("%s/draft-%s.pdf", dir, id);
  signed_path = g_strdup_printf ("%s/signed-%s.pdf", dir, id);
  lk_letter_template_render (template, kase, service, &render, draft, &error);
  g_assert_no_error (error);

  info = lk_letter_read_info_file (draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->letter_id, ==, id);
  g_assert_cmpstr (info->number, ==, number);
  opts.visible = TRUE;
  opts.page = info->page;
  memcpy (opts.rect, info->rect, sizeof opts.rect);
  opts.signer_position = render.signer_position;
  opts.signer_nip = render.signer_nip;
  lk_pades_sign (key, NULL, &opts, draft, signed_path, NULL, &error);
  g_assert_no_error (error);

  if (out_letter_id != NULL)
    *out_letter_id = g_steal_pointer (&id);
  return g_steal_pointer (&signed_path);
}

char *
lk_test_upload (const char *url,
                const char *token,
                const char *path)
{
  g_autofree char *data = NULL;
  g_autofree char *url_path = NULL;
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  char *sha256;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
  url_path = g_strdup_printf ("/api/v1/blobs/%s", sha256);
  reply = lk_test_http (url, "PUT", url_path, token, data, len, NULL);
  if (reply->status != SOUP_STATUS_CREATED && reply->status != SOUP_STATUS_OK)
    g_test_message ("PUT blob: %u %s", reply->status, lk_test_reply_text (reply));
  g_assert_true (reply->status == SOUP_STATUS_CREATED || reply->status == SOUP_STATUS_OK);
  return sha256;
}

JsonObject *
lk_test_post_op (const char *url,
                 const char *token,
                 const char *op,
                 const char *kind,
                 const char *record,
                 gint64      base,
                 JsonObject *fields)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *body = NULL;
  JsonObject *object = json_object_new ();
  JsonArray *ops = json_array_new ();
  JsonArray *results;

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "op", op);
  json_object_set_string_member (object, "kind", kind);
  json_object_set_string_member (object, "record", record);
  json_object_set_int_member (object, "base", base);
  json_object_set_object_member (object, "fields", fields);
  json_array_add_object_element (ops, object);
  json_object_set_array_member (root, "ops", ops);
  body = lk_test_json_text (root);

  reply = lk_test_http_json (url, "POST", "/api/v1/ops", token, body);
  if (reply->status != SOUP_STATUS_OK)
    g_test_message ("POST /ops: %u %s", reply->status, lk_test_reply_text (reply));
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  answer = lk_test_reply_json (reply);
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_object_ref (json_array_get_object_element (results, 0));
}

JsonObject *
lk_test_sign_case (LkStore    *db,
                   const char *url,
                   const char *token,
                   const char *case_id,
                   const char *sha256)
{
  JsonObject *fields = json_object_new ();
  gint64 base;

  lk_test_db_run (db, "UPDATE cases SET state = 'awaiting_signature', version = version + 1 WHERE id = ?1",
                  case_id, NULL);
  base = lk_test_db_int (db, "SELECT version FROM cases WHERE id = ?1", case_id, NULL);
  json_object_set_string_member (fields, "to_state", "signed");
  json_object_set_null_member (fields, "reason");
  json_object_set_string_member (fields, "letter", sha256);
  return lk_test_post_op (url, token, "transition", "case", case_id, base, fields);
}

void
lk_test_register_cert (const char *url,
                       const char *admin_token,
                       const char *username,
                       const char *cert_pem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(LkTestReply) reply = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%s/certificates", username);

  g_file_get_contents (cert_pem, &pem, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (body, "pem", pem);
  text = lk_test_json_text (body);
  reply = lk_test_http_json (url, "POST", path, admin_token, text);
  if (reply->status != SOUP_STATUS_CREATED && reply->status != SOUP_STATUS_OK)
    g_test_message ("register: %u %s", reply->status, lk_test_reply_text (reply));
  g_assert_true (reply->status == SOUP_STATUS_CREATED || reply->status == SOUP_STATUS_OK);
}
