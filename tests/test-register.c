/* test-register.c — the register of signed letters, templates on the
 * server and the signer's position on a real loket-server: a signed letter
 * becomes a letters row (superseding the case's older one), an admin
 * revokes it with a reason, a template put is checked by the letter
 * engine's parser and kept with its history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "letter/lk-letter-template.h"
#include "sign/lk-pades.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"
#include "store/lk-store-private.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"

#include "lk-test-signed.h"
#include "lk-test-token.h"
#include "lk-test-util.h"

#define SEED_CASES  40
#define POSITION    "Kepala Dinas Penanaman Modal dan PTSP"
#define NIP         "197805122003121002"

static LkTestToken *test_token;
static LkTokenKey *rsa_key;

typedef struct
{
  char         *dir;
  LkTestServer *server;
  LkStore      *db;        /* the server's database */
  GHashTable   *tokens;    /* username → session token */
} Fixture;

static const char *
token_of (Fixture    *f,
          const char *username)
{
  const char *token = g_hash_table_lookup (f->tokens, username);

  if (token == NULL)
    {
      g_hash_table_insert (f->tokens, g_strdup (username),
                           lk_test_sign_in (f->server->url, username, LK_TEST_DEMO_PASSWORD));
      token = g_hash_table_lookup (f->tokens, username);
    }
  return token;
}

/* METHOD PATH with BODY (taken, nullable) as USERNAME. */
static LkTestReply *
call (Fixture    *f,
      const char *username,
      const char *method,
      const char *path,
      JsonObject *body)
{
  g_autoptr(JsonObject) object = body;
  g_autofree char *text = object != NULL ? lk_test_json_text (object) : NULL;

  return lk_test_http_json (f->server->url, method, path, username != NULL ? token_of (f, username) : NULL, text);
}

static char *
number_for (Fixture    *f,
            const char *case_id)
{
  JsonObject *body = json_object_new ();
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(JsonNode) root = NULL;

  json_object_set_string_member (body, "case_id", case_id);
  reply = call (f, "petugas", "POST", "/api/v1/numbers", body);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (reply);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "number"));
}

/* Signs CASE_ID's letter numbered NUMBER (a new id) as pejabat; the
 * transition's result, *out_letter_id and *out_sha the letter's. */
static JsonObject *
sign_letter (Fixture     *f,
             const char  *case_id,
             const char  *number,
             char       **out_letter_id,
             char       **out_sha)
{
  g_autofree char *letter_id = NULL;
  g_autofree char *pdf = lk_test_signed_letter (f->db, case_id, number, NULL, rsa_key, f->dir, &letter_id);
  g_autofree char *sha = lk_test_upload (f->server->url, token_of (f, "pejabat"), pdf);
  JsonObject *result = lk_test_sign_case (f->db, f->server->url, token_of (f, "pejabat"), case_id, sha);

  if (out_letter_id != NULL)
    *out_letter_id = g_steal_pointer (&letter_id);
  if (out_sha != NULL)
    *out_sha = g_steal_pointer (&sha);
  return result;
}

static void
assert_status (JsonObject *result,
               const char *status,
               const char *code)
{
  if (g_strcmp0 (json_object_get_string_member (result, "status"), status) != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (result, "code", NULL), code) != 0)
    g_test_message ("result: %s %s", json_object_get_string_member (result, "status"),
                    json_object_get_string_member_with_default (result, "message", ""));
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member_with_default (result, "code", NULL), ==, code);
}

/* The record KIND/ID in the user's change feed, or NULL. */
static JsonObject *
feed_record (Fixture    *f,
             const char *username,
             const char *kind,
             const char *id)
{
  g_autoptr(LkTestReply) reply = lk_test_http (f->server->url, "GET", "/api/v1/changes?since=0&limit=1000",
                                               token_of (f, username), NULL, 0, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *changes;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (reply);
  changes = json_object_get_array_member (json_node_get_object (root), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *record = json_object_get_object_member (change, "record");

      if (g_str_equal (json_object_get_string_member (change, "kind"), kind) &&
          g_str_equal (json_object_get_string_member (record, "id"), id))
        return json_object_ref (record);
    }
  return NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *args[] = { "--trust", test_token->ca_pem, NULL };
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  g_autoptr(LkTestReply) reply = NULL;

  f->dir = lk_test_make_tmpdir ("register");
  db_path = g_build_filename (f->dir, "server.db", NULL);
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->server = lk_test_server_start_full (db_path, 0, SEED_CASES, args, &error);
  g_assert_no_error (error);
  f->db = lk_store_open (db_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);

  lk_test_register_cert (f->server->url, token_of (f, "admin"), "pejabat", test_token->rsa_cert_pem);
  body = json_object_new ();
  json_object_set_string_member (body, "position", POSITION);
  json_object_set_string_member (body, "nip", NIP);
  reply = call (f, "admin", "PUT", "/api/v1/users/pejabat", body);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    g_assert_true (lk_test_server_stop (f->server, FALSE));
  g_clear_pointer (&f->server, lk_test_server_free);
  g_clear_object (&f->db);
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* 1. Signed letters become the register's rows */

static void
test_signed (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *case_id = lk_test_db_text (f->db, "SELECT id FROM cases WHERE email IS NOT NULL ORDER BY id LIMIT 1",
                                              NULL, NULL);
  g_autofree char *number1 = number_for (f, case_id);
  g_autofree char *letter1 = NULL, *sha1 = NULL, *letter2 = NULL, *sha2 = NULL, *number2 = NULL;
  g_autofree char *subject = lk_test_db_text (f->db, "SELECT s.name FROM cases AS c JOIN service_types AS s "
                                                     "ON s.id = c.service_type WHERE c.id = ?1", case_id, NULL);
  g_autofree char *unit = lk_test_db_text (f->db, "SELECT unit FROM cases WHERE id = ?1", case_id, NULL);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) row = NULL;
  g_autoptr(JsonObject) old = NULL;

  first = sign_letter (f, case_id, number1, &letter1, &sha1);
  assert_status (first, "applied", NULL);

  /* The row, as the desks get it. */
  row = feed_record (f, "petugas", "letter", letter1);
  g_assert_nonnull (row);
  g_assert_cmpstr (json_object_get_string_member (row, "case_id"), ==, case_id);
  g_assert_cmpstr (json_object_get_string_member (row, "number"), ==, number1);
  g_assert_cmpstr (json_object_get_string_member (row, "unit"), ==, unit);
  g_assert_cmpstr (json_object_get_string_member (row, "subject"), ==, subject);
  g_assert_cmpstr (json_object_get_string_member (row, "signer_name"), ==, "Pejabat Demo");
  g_assert_cmpstr (json_object_get_string_member (row, "signer_position"), ==, POSITION);
  g_assert_cmpstr (json_object_get_string_member (row, "sha256"), ==, sha1);
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "valid");
  g_assert_cmpint (json_object_get_int_member (row, "template_version"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "signed_at"), >, 0);
  /* The mail queue took it (the case has an address). */
  g_assert_cmpstr (json_object_get_string_member_with_default (row, "delivery_state", NULL), ==, "queued");
  g_assert_cmpstr (lk_test_db_text (f->db, "SELECT status FROM numbers WHERE number = ?1", number1, NULL), ==, "used");

  /* A second letter for the case supersedes the first. */
  number2 = number_for (f, case_id);
  g_assert_cmpstr (number2, !=, number1);
  second = sign_letter (f, case_id, number2, &letter2, &sha2);
  assert_status (second, "applied", NULL);
  old = feed_record (f, "petugas", "letter", letter1);
  g_assert_cmpstr (json_object_get_string_member (old, "status"), ==, "superseded");
  g_assert_cmpstr (json_object_get_string_member (old, "superseded_by"), ==, letter2);
  g_assert_cmpint (json_object_get_int_member (old, "status_at"), >, 0);
  g_assert_cmpint (json_object_get_int_member (old, "version"), ==, json_object_get_int_member (row, "version") + 1);
  g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM letters WHERE case_id = ?1 AND status = 'valid'",
                                   case_id, NULL), ==, 1);

  /* Refused: a number already used, a number never issued, a letter
   * registered before, a PDF that is not a Loket letter. */
  {
    g_autoptr(JsonObject) reused = sign_letter (f, case_id, number1, NULL, NULL);
    g_autoptr(JsonObject) unknown = sign_letter (f, case_id, "999/9999/NOWHERE/2026", NULL, NULL);
    g_autoptr(JsonObject) again = lk_test_sign_case (f->db, f->server->url, token_of (f, "pejabat"), case_id, sha2);
    g_autoptr(GError) error = NULL;
    g_autofree char *plain = g_build_filename (f->dir, "plain.pdf", NULL);
    g_autofree char *plain_signed = g_build_filename (f->dir, "plain-signed.pdf", NULL);
    g_autofree char *plain_sha = NULL;
    g_autoptr(JsonObject) foreign = NULL;
    cairo_surface_t *surface = cairo_pdf_surface_create (plain, 595, 842);
    cairo_t *cr = cairo_create (surface);

    assert_status (reused, "rejected", "number_unusable");
    assert_status (unknown, "rejected", "number_unusable");
    assert_status (again, "rejected", "invalid");

    cairo_move_to (cr, 72, 72);
    cairo_show_text (cr, "Surat");
    cairo_show_page (cr);
    cairo_destroy (cr);
    cairo_surface_finish (surface);
    cairo_surface_destroy (surface);
    lk_pades_sign (rsa_key, NULL, NULL, plain, plain_signed, NULL, &error);
    g_assert_no_error (error);
    plain_sha = lk_test_upload (f->server->url, token_of (f, "pejabat"), plain_signed);
    foreign = lk_test_sign_case (f->db, f->server->url, token_of (f, "pejabat"), case_id, plain_sha);
    assert_status (foreign, "rejected", "invalid");
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM letters WHERE case_id = ?1", case_id, NULL), ==, 2);
  }

  /* GET /letters/ID: the user's units only. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/letters/%s", letter2);
    g_autoptr(LkTestReply) mine = call (f, "petugas", "GET", path, NULL);
    g_autoptr(LkTestReply) nobody = call (f, "petugas", "GET", "/api/v1/letters/aaaaaaaaaaaaaaaaaaaaaaaaaa", NULL);
    g_autoptr(LkTestReply) anonymous = call (f, NULL, "GET", path, NULL);
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (mine->status, ==, SOUP_STATUS_OK);
    root = lk_test_reply_json (mine);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "number"), ==, number2);
    lk_test_assert_error (nobody, SOUP_STATUS_NOT_FOUND, "not_found");
    lk_test_assert_error (anonymous, SOUP_STATUS_UNAUTHORIZED, "auth_required");

    lk_test_db_run (f->db, "DELETE FROM user_units WHERE user_id = (SELECT id FROM users WHERE username = 'petugas') "
                           "AND unit_id = ?1", unit, NULL);
    {
      g_autoptr(LkTestReply) other = call (f, "petugas", "GET", path, NULL);

      lk_test_assert_error (other, SOUP_STATUS_NOT_FOUND, "not_found");
    }
  }
}

/* 2. Revoke and resend */

static void
test_revoke (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *case_id = lk_test_db_text (f->db, "SELECT id FROM cases WHERE email IS NOT NULL ORDER BY id LIMIT 1",
                                              NULL, NULL);
  g_autofree char *number = number_for (f, case_id);
  g_autofree char *letter_id = NULL;
  g_autofree char *revoke = NULL, *resend = NULL;
  g_autoptr(JsonObject) result = sign_letter (f, case_id, number, &letter_id, NULL);
  static const char * const bad_bodies[] = { "{}", "{\"reason\": \"\"}", "{\"reason\": \"  \"}", "{\"reason\": 5}" };
  JsonObject *body;

  assert_status (result, "applied", NULL);
  revoke = g_strdup_printf ("/api/v1/letters/%s/revoke", letter_id);
  resend = g_strdup_printf ("/api/v1/letters/%s/resend", letter_id);

  /* Resend: only a failed delivery, by an admin or officer. */
  {
    g_autoptr(LkTestReply) queued = call (f, "admin", "POST", resend, NULL);
    g_autoptr(LkTestReply) inspector = NULL;
    g_autoptr(LkTestReply) again = NULL;

    lk_test_assert_error (queued, SOUP_STATUS_CONFLICT, "conflict");
    lk_test_db_run (f->db, "UPDATE letters SET delivery_state = 'failed', delivery_error = 'mailbox full' WHERE id = ?1",
                    letter_id, NULL);
    inspector = call (f, "pemeriksa", "POST", resend, NULL);
    lk_test_assert_error (inspector, SOUP_STATUS_FORBIDDEN, "forbidden");
    again = call (f, "petugas", "POST", resend, NULL);
    g_assert_cmpuint (again->status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (lk_test_db_text (f->db, "SELECT delivery_state FROM letters WHERE id = ?1", letter_id, NULL), ==,
                     "queued");
  }

  /* Revoke: an administrator, with a reason. */
  body = json_object_new ();
  json_object_set_string_member (body, "reason", "Issued to the wrong business");
  {
    g_autoptr(LkTestReply) officer = call (f, "petugas", "POST", revoke, json_object_ref (body));
    g_autoptr(LkTestReply) signer = call (f, "pejabat", "POST", revoke, json_object_ref (body));

    lk_test_assert_error (officer, SOUP_STATUS_FORBIDDEN, "forbidden");
    lk_test_assert_error (signer, SOUP_STATUS_FORBIDDEN, "forbidden");
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autoptr(LkTestReply) reply = lk_test_http_json (f->server->url, "POST", revoke, token_of (f, "admin"),
                                                        bad_bodies[i]);

      lk_test_assert_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  g_assert_cmpstr (lk_test_db_text (f->db, "SELECT status FROM letters WHERE id = ?1", letter_id, NULL), ==, "valid");
  {
    g_autoptr(LkTestReply) done = call (f, "admin", "POST", revoke, json_object_ref (body));
    g_autoptr(LkTestReply) twice = call (f, "admin", "POST", revoke, json_object_ref (body));
    g_autoptr(LkTestReply) resend_revoked = call (f, "admin", "POST", resend, NULL);
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(JsonObject) row = NULL;

    g_assert_cmpuint (done->status, ==, SOUP_STATUS_OK);
    root = lk_test_reply_json (done);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "status"), ==, "revoked");
    lk_test_assert_error (twice, SOUP_STATUS_CONFLICT, "conflict");
    lk_test_assert_error (resend_revoked, SOUP_STATUS_CONFLICT, "conflict");

    /* The desks see it. */
    row = feed_record (f, "petugas", "letter", letter_id);
    g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "revoked");
    g_assert_cmpstr (json_object_get_string_member (row, "status_reason"), ==, "Issued to the wrong business");
    g_assert_cmpint (json_object_get_int_member (row, "status_at"), >, 0);
  }
  /* A revoked letter stays revoked: a new letter for the case does not
   * supersede it. */
  {
    g_autofree char *number2 = number_for (f, case_id);
    g_autoptr(JsonObject) next = sign_letter (f, case_id, number2, NULL, NULL);

    assert_status (next, "applied", NULL);
    g_assert_cmpstr (lk_test_db_text (f->db, "SELECT status FROM letters WHERE id = ?1", letter_id, NULL), ==, "revoked");
  }
  json_object_unref (body);
}

/* 3. Templates */

static char *
template_body (Fixture    *f,
               const char *service_id)
{
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GError) error = NULL;

  services = lk_store_list_service_types (f->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < services->len; i++)
    if (g_str_equal (lk_service_type_get_id (g_ptr_array_index (services, i)), service_id))
      {
        g_autoptr(LkLetterTemplate) template = lk_letter_template_new_default (g_ptr_array_index (services, i));

        return lk_letter_template_to_json (template);
      }
  g_assert_not_reached ();
}

static JsonObject *
template_fields (const char *service_type,
                 const char *body)
{
  JsonObject *fields = json_object_new ();

  if (service_type != NULL)
    json_object_set_string_member (fields, "service_type", service_type);
  json_object_set_string_member (fields, "body", body);
  return fields;
}

static void
test_template (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *service_id = lk_test_db_text (f->db, "SELECT id FROM service_types ORDER BY id LIMIT 1", NULL, NULL);
  g_autofree char *body = template_body (f, service_id);
  g_autofree char *changed = NULL;
  g_autofree char *unknown = NULL;
  g_autoptr(JsonObject) officer = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) stale = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) orphan = NULL;
  g_autoptr(JsonObject) mismatch = NULL;
  g_autoptr(JsonObject) row = NULL;
  g_autoptr(JsonObject) not_json = NULL;
  char *at;

  /* A service type without a template yet (the demo seeds one each). */
  lk_test_db_run (f->db, "DELETE FROM templates WHERE id = ?1", service_id, NULL);
  lk_test_db_run (f->db, "DELETE FROM template_history WHERE id = ?1", service_id, NULL);
  officer = lk_test_post_op (f->server->url, token_of (f, "petugas"), "put", "template", service_id, 0,
                             template_fields (service_id, body));
  assert_status (officer, "rejected", "forbidden");

  first = lk_test_post_op (f->server->url, token_of (f, "admin"), "put", "template", service_id, 0,
                           template_fields (service_id, body));
  assert_status (first, "applied", NULL);
  g_assert_cmpint (json_object_get_int_member (first, "version"), ==, 1);

  /* A changed body: version 2, both in the history. */
  changed = g_strdup (body);
  at = strstr (changed, "Yth.");
  if (at != NULL)
    memcpy (at, "Kpd.", 4);
  second = lk_test_post_op (f->server->url, token_of (f, "admin"), "put", "template", service_id, 1,
                            template_fields (NULL, changed));
  assert_status (second, "applied", NULL);
  g_assert_cmpint (json_object_get_int_member (second, "version"), ==, 2);
  g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM template_history WHERE id = ?1", service_id, NULL), ==, 2);
  g_assert_cmpstr (lk_test_db_text (f->db, "SELECT body FROM template_history WHERE id = ?1 AND version = 1",
                                    service_id, NULL), ==, body);
  g_assert_cmpstr (lk_test_db_text (f->db, "SELECT updated_by FROM template_history WHERE id = ?1 AND version = 2",
                                    service_id, NULL), ==, "admin");

  /* A stale base is a conflict. */
  stale = lk_test_post_op (f->server->url, token_of (f, "admin"), "put", "template", service_id, 1,
                           template_fields (NULL, body));
  assert_status (stale, "conflict", NULL);

  /* Refused with the parser's sentence: an unknown field. */
  unknown = g_strdup_printf ("{\"letterhead\": {\"agency\": \"A\", \"office\": \"B\", \"logo\": null}, "
                             "\"subject\": \"S\", \"addressee\": \"Yth. {{nama}}\", \"body\": \"x\", "
                             "\"closing\": \"%s\", \"footer\": \"f\"}", LK_LETTER_SIGNATURE_MARKER);
  refused = lk_test_post_op (f->server->url, token_of (f, "admin"), "put", "template", service_id, 2,
                             template_fields (NULL, unknown));
  assert_status (refused, "rejected", "invalid");
  g_test_message ("%s", json_object_get_string_member (refused, "message"));
  g_assert_nonnull (strstr (json_object_get_string_member (refused, "message"), "nama"));
  not_json = lk_test_post_op (f->server->url, token_of (f, "admin"), "put", "template", service_id, 2,
                              template_fields (NULL, "{\"subject\": "));
  assert_status (not_json, "rejected", "invalid");
  g_assert_cmpint (lk_test_db_int (f->db, "SELECT version FROM templates WHERE id = ?1", service_id, NULL), ==, 2);
  g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM template_history WHERE id = ?1", service_id, NULL), ==, 2);

  /* A template belongs to a service type, under its id. */
  orphan = lk_test_post_op (f->server->url, token_of (f, "admin"), "put", "template",
                            "00000000-0000-4000-8000-000000000000", 0,
                            template_fields (NULL, body));
  assert_status (orphan, "rejected", "invalid");
  mismatch = lk_test_post_op (f->server->url, token_of (f, "admin"), "put", "template", service_id, 2,
                              template_fields ("00000000-0000-4000-8000-000000000000", body));
  assert_status (mismatch, "rejected", "invalid");

  /* Every desk gets it. */
  row = feed_record (f, "petugas", "template", service_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (json_object_get_string_member (row, "body"), ==, changed);
  g_assert_cmpint (json_object_get_int_member (row, "version"), ==, 2);

  /* The admin's desk queues an edit in its outbox and pushes it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LkSyncClient) client = lk_sync_client_new (f->server->url, "admin", &error);
    g_autofree char *store_path = g_build_filename (f->dir, "admin-desk.db", NULL);
    g_autofree char *cache_dir = g_build_filename (f->dir, "admin-cache", NULL);
    g_autoptr(LkStore) store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
    g_autoptr(LkBlobCache) cache = lk_blob_cache_new (cache_dir);
    g_autoptr(JsonObject) fields = json_object_new ();
    g_autoptr(JsonObject) local = NULL;
    guint applied = 0, conflicts = 0;

    g_assert_no_error (error);
    lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error);
    g_assert_no_error (error);
    lk_sync_client_pull (client, store, 1000, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    json_object_set_string_member (fields, "body", body);
    lk_outbox_put (store, LK_KIND_TEMPLATE, service_id, fields, NULL, &error);
    g_assert_no_error (error);
    local = lk_store_get_json (store, LK_KIND_TEMPLATE, service_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (local, "updated_by"), ==, "admin");
    g_assert_cmpint (json_object_get_int_member (local, "version"), ==, 3);

    lk_sync_client_push (client, store, cache, &applied, &conflicts, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (applied, ==, 1);
    g_assert_cmpuint (conflicts, ==, 0);
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT version FROM templates WHERE id = ?1", service_id, NULL), ==, 3);
    g_assert_cmpint (lk_test_db_int (f->db, "SELECT count(*) FROM template_history WHERE id = ?1", service_id, NULL),
                     ==, 3);
  }
}

/* 4. The signer's position and NIP, and the public URL */

static void
test_position (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(LkTestReply) session = lk_test_post_session (f->server->url, "pejabat", LK_TEST_DEMO_PASSWORD);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *user;
  static const char * const bad[] = {
    "{\"nip\": \"12345\"}", "{\"nip\": \"19780512200312100A\"}", "{\"nip\": 197805122003121002}",
    "{\"position\": \"\"}", "{\"position\": \"a\\nb\"}",
  };

  g_assert_cmpuint (session->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (session);
  user = json_object_get_object_member (json_node_get_object (root), "user");
  g_assert_cmpstr (json_object_get_string_member (user, "position"), ==, POSITION);
  g_assert_cmpstr (json_object_get_string_member (user, "nip"), ==, NIP);
  g_assert_cmpstr (json_object_get_string_member (user, "public_url"), ==, f->server->url);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(LkTestReply) reply = lk_test_http_json (f->server->url, "PUT", "/api/v1/users/pejabat",
                                                        token_of (f, "admin"), bad[i]);

      lk_test_assert_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request");
    }
  {
    g_autoptr(LkTestReply) own = call (f, "pejabat", "GET", "/api/v1/users/pejabat", NULL);
    g_autoptr(LkTestReply) other = call (f, "pejabat", "GET", "/api/v1/users/petugas", NULL);
    g_autoptr(JsonNode) own_root = NULL;

    g_assert_cmpuint (own->status, ==, SOUP_STATUS_OK);
    own_root = lk_test_reply_json (own);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own_root), "nip"), ==, NIP);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own_root), "public_url"), ==,
                     f->server->url);
    lk_test_assert_error (other, SOUP_STATUS_FORBIDDEN, "forbidden");
  }

  /* The desk's client keeps them. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LkSyncClient) client = lk_sync_client_new (f->server->url, "pejabat", &error);
    g_autofree char *store_path = g_build_filename (f->dir, "desk.db", NULL);
    g_autoptr(LkStore) store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
    g_autofree char *kept = NULL;

    g_assert_no_error (error);
    lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (lk_sync_client_get_position (client), ==, POSITION);
    g_assert_cmpstr (lk_sync_client_get_nip (client), ==, NIP);
    g_assert_cmpstr (lk_sync_client_get_public_url (client), ==, f->server->url);
    lk_sync_client_remember_account (client, store, &error);
    g_assert_no_error (error);
    kept = lk_store_get_meta (store, LK_META_ACCOUNT_NIP);
    g_assert_cmpstr (kept, ==, NIP);
  }

  /* Cleared with null. */
  {
    g_autoptr(LkTestReply) cleared = lk_test_http_json (f->server->url, "PUT", "/api/v1/users/pejabat",
                                                        token_of (f, "admin"), "{\"nip\": null}");
    g_autoptr(JsonNode) cleared_root = NULL;

    g_assert_cmpuint (cleared->status, ==, SOUP_STATUS_OK);
    cleared_root = lk_test_reply_json (cleared);
    g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (cleared_root), "nip")));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (cleared_root), "position"), ==, POSITION);
  }
  /* An admin's desk sets them with the client. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LkSyncClient) admin = lk_sync_client_new (f->server->url, "admin", &error);
    g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), json_object_new ());
    g_autoptr(JsonNode) answer = NULL;

    g_assert_no_error (error);
    lk_sync_client_login (admin, LK_TEST_DEMO_PASSWORD, NULL, &error);
    g_assert_no_error (error);
    json_object_set_string_member (json_node_get_object (body), "position", "Sekretaris");
    answer = lk_sync_client_send_json (admin, "PUT", "/api/v1/users/pejabat", body, 65536, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "position"), ==, "Sekretaris");
    g_clear_pointer (&answer, json_node_unref);
    json_object_set_string_member (json_node_get_object (body), "nip", "12");
    answer = lk_sync_client_send_json (admin, "PUT", "/api/v1/users/pejabat", body, 65536, NULL, &error);
    g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER);
    g_assert_null (answer);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-register", TRUE, &error);
  g_assert_no_error (error);
  lk_token_init (lk_test_token_module_path (), &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/register/signed", Fixture, NULL, fixture_set_up, test_signed, fixture_tear_down);
  g_test_add ("/register/revoke", Fixture, NULL, fixture_set_up, test_revoke, fixture_tear_down);
  g_test_add ("/register/template", Fixture, NULL, fixture_set_up, test_template, fixture_tear_down);
  g_test_add ("/register/position", Fixture, NULL, fixture_set_up, test_position, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
