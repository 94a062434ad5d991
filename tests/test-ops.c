/* test-ops.c — POST /api/v1/ops on a real loket-server: the authorization
 * matrix, idempotency, conflicts, per-operation isolation, hostile input and
 * the signed transition with a PAdES letter from a SoftHSM2 token
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
#include "letter/lk-letter-template-private.h"
#include "sign/lk-pades.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"
#include "store/lk-store-private.h"

#include "lk-test-token.h"
#include "lk-test-util.h"

#define SEED_CASES  40
#define OWN_UNIT    "PTK-KOTA"       /* every demo user's, petugas-kota's only */
#define OTHER_UNIT  "PTK-TENGGARA"   /* taken from every user by the fixture */
#define SQL_DROP    "'); DROP TABLE cases;--"
#define SQL_OR      "\" OR 1=1"

/* The SoftHSM2 token and its CA, made once per run. */
static LkTestToken *test_token;
static LkTokenKey *rsa_key;
static LkTokenKey *ec_key;

typedef struct
{
  char         *dir;
  LkTestServer *server;
  LkStore      *db;          /* the server's database: fixture set-up and checks */
  GHashTable   *tokens;      /* username → session token */
  GRand        *rand;        /* operation ids, seeded */
  char         *own_unit;
  char         *other_unit;
} Fixture;

/* HTTP, against the fixture's server */

static LkTestReply *
http (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      gsize       body_len)
{
  return lk_test_http (f->server->url, method, path, token, body, body_len, NULL);
}

static char *
to_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return to_json (node);
}

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

/* The change feed as the user sees it, every page's text joined. */
static char *
feed_text (Fixture    *f,
           const char *username)
{
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *since = g_strdup ("0");
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s&limit=1000", since);
      g_autoptr(LkTestReply) reply = http (f, "GET", path, token_of (f, username), NULL, 0);
      g_autoptr(JsonNode) root = NULL;

      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
      g_string_append (all, lk_test_reply_text (reply));
      root = lk_test_reply_json (reply);
      more = json_object_get_boolean_member (json_node_get_object (root), "more");
      g_free (since);
      since = g_strdup (json_object_get_string_member (json_node_get_object (root), "next"));
    }

  return g_string_free (g_steal_pointer (&all), FALSE);
}

/* The record of KIND with ID in the user's feed, or NULL. */
static JsonObject *
feed_record (Fixture    *f,
             const char *username,
             const char *kind,
             const char *id)
{
  g_autofree char *path = g_strdup ("/api/v1/changes?since=0&limit=1000");
  g_autoptr(LkTestReply) reply = http (f, "GET", path, token_of (f, username), NULL, 0);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *changes;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (reply);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "more"));
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

/* Operations */

static char *
new_uuid (Fixture *f)
{
  guint8 b[16];

  for (guint i = 0; i < 16; i++)
    b[i] = (guint8) g_rand_int_range (f->rand, 0, 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                          b[12], b[13], b[14], b[15]);
}

/* An operation object; fields is taken. */
static JsonObject *
make_op (const char *id,
         const char *op,
         const char *kind,
         const char *record,
         gint64      base,
         JsonObject *fields)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "op", op);
  json_object_set_string_member (object, "kind", kind);
  json_object_set_string_member (object, "record", record);
  json_object_set_int_member (object, "base", base);
  json_object_set_object_member (object, "fields", fields);
  return object;
}

/* {"ops": [...]} of the operations in OPS (JsonObject, kept). */
static char *
batch_text (GPtrArray *ops)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < ops->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (ops, i)));
  json_object_set_array_member (root, "ops", array);
  return object_to_json (root);
}

static LkTestReply *
post_ops_text (Fixture    *f,
               const char *username,
               const char *body,
               gsize       len)
{
  return http (f, "POST", "/api/v1/ops", username != NULL ? token_of (f, username) : NULL, body, len);
}

/* Sends the batch OPS as USERNAME; the "results" array (200 asserted). */
static JsonArray *
post_ops (Fixture    *f,
          const char *username,
          GPtrArray  *ops,
          char      **out_text)
{
  g_autofree char *body = batch_text (ops);
  g_autoptr(LkTestReply) reply = post_ops_text (f, username, body, strlen (body));
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  if (reply->status != SOUP_STATUS_OK)
    g_test_message ("POST /ops: %u %s", reply->status, lk_test_reply_text (reply));
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (reply);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_nonnull (results);
  g_assert_cmpuint (json_array_get_length (results), ==, ops->len);
  for (guint i = 0; i < ops->len; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i), "id"), ==,
                     json_object_get_string_member (g_ptr_array_index (ops, i), "id"));
  if (out_text != NULL)
    *out_text = g_strdup (lk_test_reply_text (reply));
  return json_array_ref (results);
}

/* One operation alone: its result. */
static JsonObject *
post_one (Fixture    *f,
          const char *username,
          JsonObject *op)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonArray) results = NULL;

  g_ptr_array_add (ops, op);
  results = post_ops (f, username, ops, NULL);
  return json_object_ref (json_array_get_object_element (results, 0));
}

/* STATUS is applied, conflict or rejected; CODE the rejection's. */
static void
assert_result (JsonObject *result,
               const char *status,
               const char *code)
{
  const char *got_status = json_object_get_string_member (result, "status");
  const char *got_code = json_object_get_string_member_with_default (result, "code", NULL);

  if (g_strcmp0 (got_status, status) != 0 || g_strcmp0 (got_code, code) != 0)
    {
      g_autofree char *text = object_to_json (result);

      g_test_message ("unexpected result: %s", text);
    }
  g_assert_cmpstr (got_status, ==, status);
  g_assert_cmpstr (got_code, ==, code);
  if (g_str_equal (status, "rejected"))
    g_assert_cmpuint (strlen (json_object_get_string_member (result, "message")), >, 0);
  if (!g_str_equal (status, "rejected"))
    {
      JsonObject *record = json_object_get_object_member (result, "record");

      g_assert_nonnull (record);
      g_assert_cmpint (json_object_get_int_member (result, "version"), ==,
                       json_object_get_int_member (record, "version"));
    }
}

/* The database */

static gint64
db_int (Fixture    *f,
        const char *sql,
        const char *arg)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  gint64 value = -1;

  g_assert_no_error (error);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static char *
db_text (Fixture    *f,
         const char *sql,
         const char *arg)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  char *value = NULL;

  g_assert_no_error (error);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
db_run (Fixture    *f,
        const char *sql,
        const char *arg1,
        const char *arg2)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  int rc;

  g_assert_no_error (error);
  if (arg1 != NULL)
    sqlite3_bind_text (stmt, 1, arg1, -1, SQLITE_TRANSIENT);
  if (arg2 != NULL)
    sqlite3_bind_text (stmt, 2, arg2, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
}

/* The record's version in the database, 0 when it does not exist. (The
 * store caches statements by their SQL's address: literals only.) */
static gint64
version_of (Fixture    *f,
            const char *kind,
            const char *id)
{
  static const char * const queries[][2] = {
    { "case", "SELECT version FROM cases WHERE id = ?1" },
    { "note", "SELECT version FROM notes WHERE id = ?1" },
    { "checklist", "SELECT version FROM checklist WHERE id = ?1" },
    { "document", "SELECT version FROM documents WHERE id = ?1" },
    { "unit", "SELECT version FROM units WHERE id = ?1" },
    { "service_type", "SELECT version FROM service_types WHERE id = ?1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    if (g_str_equal (queries[i][0], kind))
      {
        gint64 version = db_int (f, queries[i][1], id);

        return version < 0 ? 0 : version;
      }
  g_assert_not_reached ();
}

/* Puts the case into STATE behind the server's back (fixture set-up, as
 * an earlier history would have); its new version. */
static gint64
force_state (Fixture    *f,
             const char *case_id,
             const char *state)
{
  db_run (f, "UPDATE cases SET state = ?1, version = version + 1 WHERE id = ?2", state, case_id);
  return version_of (f, "case", case_id);
}

/* The INDEX-th case of UNIT (by id), moved there when the unit has too few. */
static char *
case_in_unit (Fixture    *f,
              const char *unit,
              guint       index)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, "SELECT id FROM cases WHERE unit = ?1 ORDER BY id LIMIT 1 OFFSET ?2",
                                         &error);
  char *id = NULL;

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) index);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (id == NULL)
    {
      /* Borrow a case of another unit. */
      id = db_text (f, "SELECT id FROM cases WHERE unit <> ?1 ORDER BY id LIMIT 1", unit);
      g_assert_nonnull (id);
      db_run (f, "UPDATE cases SET unit = ?1 WHERE id = ?2", unit, id);
    }
  return id;
}

/* Fixture */

static void
fixture_start_server (Fixture            *f,
                      guint               seed,
                      const char * const *extra_args)
{
  g_autofree char *db_path = g_build_filename (f->dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;

  f->server = lk_test_server_start_full (db_path, 0, seed, extra_args, &error);
  g_assert_no_error (error);
}

/* A seeded server; the unit OTHER_UNIT is taken from every user, so each
 * has an own unit (OWN_UNIT) and an other one. */
static void
fixture_set_up_with (Fixture            *f,
                     const char * const *extra_args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;

  f->dir = lk_test_make_tmpdir ("ops");
  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->rand = g_rand_new_with_seed (0x6f707321);

  fixture_start_server (f, SEED_CASES, extra_args);
  db_path = g_build_filename (f->dir, "server.db", NULL);
  f->db = lk_store_open (db_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);

  f->own_unit = db_text (f, "SELECT id FROM units WHERE code = ?1", OWN_UNIT);
  f->other_unit = db_text (f, "SELECT id FROM units WHERE code = ?1", OTHER_UNIT);
  g_assert_nonnull (f->own_unit);
  g_assert_nonnull (f->other_unit);
  db_run (f, "DELETE FROM user_units WHERE unit_id = ?1", f->other_unit, NULL);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM user_units AS uu JOIN users AS u ON u.id = uu.user_id "
                              "WHERE u.username = ?1", "petugas-kota"), ==, 1);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_with (f, NULL);
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
  g_clear_pointer (&f->rand, g_rand_free);
  g_free (f->own_unit);
  g_free (f->other_unit);
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* Field builders */

static JsonObject *
transition_fields (const char *to_state,
                   const char *reason,
                   const char *letter)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "to_state", to_state);
  if (reason != NULL)
    json_object_set_string_member (fields, "reason", reason);
  else
    json_object_set_null_member (fields, "reason");
  if (letter != NULL)
    json_object_set_string_member (fields, "letter", letter);
  return fields;
}

static JsonObject *
note_fields (const char *case_id,
             const char *text)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "case_id", case_id);
  json_object_set_int_member (fields, "at", 1767225600);
  json_object_set_string_member (fields, "text", text);
  return fields;
}

static JsonObject *
one_field (const char *name,
           const char *value)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, name, value);
  return fields;
}

/* 1. The authorization matrix */

enum
{
  R_OFFICER   = 1 << 0,
  R_SIGNER    = 1 << 1,
  R_INSPECTOR = 1 << 2,
  R_ADMIN     = 1 << 3,
};

static const struct
{
  const char *username;
  guint       role;
} matrix_users[] = {
  { "petugas", R_OFFICER },
  { "pejabat", R_SIGNER },
  { "pemeriksa", R_INSPECTOR },
  { "admin", R_ADMIN },
  { "petugas-kota", R_OFFICER },
};

/* Every move of the lifecycle, who may make it, and some that nobody may.
 * allowed: what a permitted role gets ("applied" or a rejection code). */
static const struct
{
  const char *from;
  const char *to;
  const char *reason;
  guint       roles;
  const char *allowed;
} matrix_moves[] = {
  { "submitted", "verifying", NULL, R_OFFICER, "applied" },
  { "verifying", "incomplete", "KTP tidak terbaca", R_OFFICER, "applied" },
  { "verifying", "incomplete", NULL, R_OFFICER, "reason_required" },
  { "incomplete", "verifying", NULL, R_OFFICER, "applied" },
  { "verifying", "verified", NULL, R_OFFICER, "applied" },
  { "verified", "inspection", NULL, R_OFFICER, "applied" },
  { "verified", "approved", NULL, R_OFFICER, "applied" },
  { "verified", "rejected", "Tidak memenuhi syarat", R_OFFICER, "applied" },
  { "verified", "rejected", NULL, R_OFFICER, "reason_required" },
  { "approved", "awaiting_signature", NULL, R_OFFICER, "applied" },
  { "rejected", "awaiting_signature", NULL, R_OFFICER, "applied" },
  { "inspection", "verified", NULL, R_INSPECTOR, "applied" },
  { "inspection", "approved", NULL, R_INSPECTOR, "applied" },
  { "inspection", "rejected", "Data usaha tidak sesuai", R_INSPECTOR, "applied" },
  { "awaiting_signature", "verified", "Nomor surat salah", R_SIGNER, "applied" },
  { "awaiting_signature", "verified", NULL, R_SIGNER, "reason_required" },
  { "submitted", "cancelled", "Permohonan ganda", R_OFFICER | R_ADMIN, "applied" },
  { "awaiting_signature", "cancelled", "Dibatalkan pemohon", R_OFFICER | R_ADMIN, "applied" },
  { "incomplete", "cancelled", NULL, R_OFFICER | R_ADMIN, "reason_required" },
  /* Illegal for every role. */
  { "submitted", "approved", NULL, 0, NULL },
  { "verifying", "awaiting_signature", NULL, 0, NULL },
  { "approved", "signed", NULL, 0, NULL },
  { "signed", "delivered", NULL, 0, NULL },
  { "signed", "cancelled", "Salah kirim", 0, NULL },
  { "cancelled", "verifying", NULL, 0, NULL },
  { "delivered", "verified", "Dibuka lagi", 0, NULL },
  { "verified", "verified", NULL, 0, NULL },
};

static void
check_transition_row (Fixture    *f,
                      guint       user,
                      gboolean    own,
                      guint       move,
                      const char *case_id)
{
  const char *username = matrix_users[user].username;
  g_autofree char *op_id = new_uuid (f);
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *state_after = NULL;
  const char *expect_code = NULL;
  const char *expect_status;
  gint64 base;

  base = force_state (f, case_id, matrix_moves[move].from);
  g_test_message ("%s, %s unit: %s → %s%s", username, own ? "own" : "other", matrix_moves[move].from,
                  matrix_moves[move].to, matrix_moves[move].reason ? " (reason)" : "");

  if (!own)
    expect_code = "forbidden";
  else if ((matrix_moves[move].roles & matrix_users[user].role) == 0)
    expect_code = "illegal_transition";
  else if (!g_str_equal (matrix_moves[move].allowed, "applied"))
    expect_code = matrix_moves[move].allowed;
  expect_status = expect_code == NULL ? "applied" : "rejected";

  result = post_one (f, username,
                     make_op (op_id, "transition", "case", case_id, base,
                              transition_fields (matrix_moves[move].to, matrix_moves[move].reason, NULL)));
  assert_result (result, expect_status, expect_code);

  state_after = db_text (f, "SELECT state FROM cases WHERE id = ?1", case_id);
  if (expect_code == NULL)
    {
      JsonObject *record = json_object_get_object_member (result, "record");

      g_assert_cmpstr (state_after, ==, matrix_moves[move].to);
      g_assert_cmpint (version_of (f, "case", case_id), ==, base + 1);
      g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, matrix_moves[move].to);
      /* The history record carries the operation's id. */
      g_assert_cmpint (db_int (f, "SELECT count(*) FROM history WHERE id = ?1", op_id), ==, 1);
      {
        g_autofree char *actor = db_text (f, "SELECT actor FROM history WHERE id = ?1", op_id);

        g_assert_cmpstr (actor, ==, username);
      }
    }
  else
    {
      g_assert_cmpstr (state_after, ==, matrix_moves[move].from);
      g_assert_cmpint (version_of (f, "case", case_id), ==, base);
      g_assert_cmpint (db_int (f, "SELECT count(*) FROM history WHERE id = ?1", op_id), ==, 0);
      /* The record only where the user may see it. */
      g_assert_true (json_object_has_member (result, "record") == own);
    }
}

typedef struct
{
  const char *kind;
  char       *record;
  JsonObject *fields;
} PutSpec;

/* What each put row changes: fields for the case CASE_ID of unit UNIT. */
static void
make_put (Fixture    *f,
          guint       row,
          const char *case_id,
          const char *unit,
          PutSpec    *spec)
{
  g_autofree char *service_type = db_text (f, "SELECT service_type FROM cases WHERE id = ?1", case_id);
  g_autofree char *sha256 = db_text (f, "SELECT sha256 FROM documents ORDER BY id LIMIT 1", NULL);
  gint64 size = db_int (f, "SELECT size FROM documents WHERE sha256 = ?1", sha256);
  JsonObject *fields = json_object_new ();

  switch (row)
    {
    case 0:
      spec->kind = "case";
      spec->record = g_strdup (case_id);
      json_object_set_string_member (fields, "phone", "0812 3456 7890");
      json_object_set_string_member (fields, "address", "Jl. Gajah Mada No. 12");
      break;
    case 1:
      spec->kind = "note";
      spec->record = new_uuid (f);
      json_object_unref (fields);
      fields = note_fields (case_id, "Pemohon dihubungi lewat telepon.");
      break;
    case 2:
      spec->kind = "checklist";
      spec->record = g_strdup_printf ("%s:0", case_id);
      json_object_set_string_member (fields, "case_id", case_id);
      json_object_set_int_member (fields, "item", 0);
      json_object_set_string_member (fields, "status", "verified");
      json_object_set_null_member (fields, "reason");
      json_object_set_null_member (fields, "document_id");
      json_object_set_int_member (fields, "at", 1767225600);
      break;
    case 3:
      spec->kind = "document";
      spec->record = new_uuid (f);
      json_object_set_string_member (fields, "case_id", case_id);
      json_object_set_string_member (fields, "name", "KTP pindaian.pdf");
      json_object_set_string_member (fields, "mime_type", "application/pdf");
      json_object_set_int_member (fields, "size", size);
      json_object_set_string_member (fields, "sha256", sha256);
      json_object_set_int_member (fields, "position", 9);
      break;
    case 4:
      spec->kind = "unit";
      spec->record = g_strdup (unit);
      json_object_set_string_member (fields, "address", "Jl. Baru, Kota Pontianak");
      break;
    case 5:
      spec->kind = "service_type";
      spec->record = g_strdup (service_type);
      json_object_set_int_member (fields, "sla_days", 4);
      break;
    default:
      g_assert_not_reached ();
    }
  spec->fields = fields;
}

/* Who may make each put row; global rows ignore the unit. */
static const struct
{
  guint    roles;
  gboolean global;
} matrix_puts[] = {
  { R_OFFICER, FALSE },                                     /* case */
  { R_OFFICER | R_SIGNER | R_INSPECTOR | R_ADMIN, FALSE },  /* note */
  { R_OFFICER, FALSE },                                     /* checklist */
  { R_OFFICER, FALSE },                                     /* document */
  { R_ADMIN, TRUE },                                        /* unit */
  { R_ADMIN, TRUE },                                        /* service_type */
};

static void
check_put_row (Fixture    *f,
               guint       user,
               gboolean    own,
               guint       row,
               const char *case_id)
{
  const char *username = matrix_users[user].username;
  g_autofree char *op_id = new_uuid (f);
  g_autoptr(JsonObject) result = NULL;
  PutSpec spec = { 0, };
  gboolean allowed;
  gint64 before;

  make_put (f, row, case_id, own ? f->own_unit : f->other_unit, &spec);
  g_test_message ("%s, %s unit: put %s", username, own ? "own" : "other", spec.kind);
  allowed = (matrix_puts[row].roles & matrix_users[user].role) != 0 && (own || matrix_puts[row].global);
  before = version_of (f, spec.kind, spec.record);

  result = post_one (f, username, make_op (op_id, "put", spec.kind, spec.record, before, spec.fields));
  if (allowed)
    {
      assert_result (result, "applied", NULL);
      g_assert_cmpint (version_of (f, spec.kind, spec.record), ==, before + 1);
      g_assert_cmpint (json_object_get_int_member (result, "version"), ==, before + 1);
    }
  else
    {
      assert_result (result, "rejected", "forbidden");
      g_assert_cmpint (version_of (f, spec.kind, spec.record), ==, before);
    }
  g_free (spec.record);
}

static void
test_matrix (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *own_case = case_in_unit (f, f->own_unit, 0);
  g_autofree char *other_case = case_in_unit (f, f->other_unit, 0);
  guint n_applied = 0, n_rows = 0;

  for (guint u = 0; u < G_N_ELEMENTS (matrix_users); u++)
    for (guint own = 0; own < 2; own++)
      {
        const char *case_id = own ? own_case : other_case;

        for (guint m = 0; m < G_N_ELEMENTS (matrix_moves); m++)
          {
            check_transition_row (f, u, own, m, case_id);
            n_rows++;
          }
        for (guint p = 0; p < G_N_ELEMENTS (matrix_puts); p++)
          {
            check_put_row (f, u, own, p, case_id);
            n_rows++;
          }
      }

  /* Every op was recorded, each once. */
  n_applied = (guint) db_int (f, "SELECT count(*) FROM ops WHERE result LIKE '%\"status\":\"applied\"%'", NULL);
  g_test_message ("%u rows, %u applied", n_rows, n_applied);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM ops", NULL), ==, n_rows);
  g_assert_cmpuint (n_applied, >, 20);
}

/* Put ops whose values are wrong, from an officer of the case's unit. */
static void
test_invalid_fields (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *case_id = case_in_unit (f, f->own_unit, 0);
  g_autofree char *other_case = case_in_unit (f, f->own_unit, 1);
  g_autofree char *other_doc = db_text (f, "SELECT id FROM documents WHERE case_id = ?1 LIMIT 1", other_case);
  g_autofree char *bad_check = g_strdup_printf ("%s:1", case_id);
  g_autofree char *far_check = g_strdup_printf ("%s:99", case_id);
  gint64 version = version_of (f, "case", case_id);
  static const struct { const char *name; const char *value; } bad_case[] = {
    { "nik", "61710512345" }, { "nik", "61710512345678AB" }, { "email", "a@b@c" }, { "email", "tanpa-at" },
    { "phone", "08-12-ab" }, { "nib", "12345" }, { "assignee", "nobody" }, { "applicant_name", "" },
    { "receipt", "SKD-1" }, { "state", "signed" }, { "version", "9" },
  };
  enum { N_WRITABLE_BAD = 8 };

  g_assert_nonnull (other_doc);
  for (guint i = 0; i < G_N_ELEMENTS (bad_case); i++)
    {
      g_autofree char *op_id = new_uuid (f);
      g_autoptr(JsonObject) result = NULL;

      g_test_message ("case.%s = “%s”", bad_case[i].name, bad_case[i].value);
      result = post_one (f, "petugas", make_op (op_id, "put", "case", case_id, version,
                                                one_field (bad_case[i].name, bad_case[i].value)));
      assert_result (result, "rejected", "invalid");
      /* With the record, except where the field is not writable at all
       * (refused before the record is looked at). */
      g_assert_true (json_object_has_member (result, "record") == (i < N_WRITABLE_BAD));
    }
  /* A wrong type in the fields is the operation's, not the batch's. */
  {
    g_autofree char *op_id = new_uuid (f);
    g_autoptr(JsonObject) result = NULL;
    JsonObject *fields = json_object_new ();

    json_object_set_int_member (fields, "applicant_name", 5);
    result = post_one (f, "petugas", make_op (op_id, "put", "case", case_id, version, fields));
    assert_result (result, "rejected", "invalid");
  }
  g_assert_cmpint (version_of (f, "case", case_id), ==, version);

  /* An assignee who works in the unit is fine. */
  {
    g_autofree char *op_id = new_uuid (f);
    g_autoptr(JsonObject) result = NULL;

    result = post_one (f, "petugas", make_op (op_id, "put", "case", case_id, version,
                                              one_field ("assignee", "petugas-kota")));
    assert_result (result, "applied", NULL);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "record"), "assignee"),
                     ==, "petugas-kota");
  }

  /* Checklist: rejected without a reason, an item past the requirements,
   * an id that is not CASE:ITEM, a document of another case. */
  {
    struct { const char *record; gint64 item; const char *status; const char *reason; const char *doc; } bad[] = {
      { bad_check, 1, "rejected", NULL, NULL },
      { far_check, 99, "pending", NULL, NULL },
      { bad_check, 2, "pending", NULL, NULL },
      { bad_check, 1, "approved", NULL, NULL },
      { bad_check, 1, "verified", NULL, other_doc },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *op_id = new_uuid (f);
        g_autoptr(JsonObject) result = NULL;
        JsonObject *fields = json_object_new ();

        json_object_set_string_member (fields, "case_id", case_id);
        json_object_set_int_member (fields, "item", bad[i].item);
        json_object_set_string_member (fields, "status", bad[i].status);
        if (bad[i].reason != NULL)
          json_object_set_string_member (fields, "reason", bad[i].reason);
        if (bad[i].doc != NULL)
          json_object_set_string_member (fields, "document_id", bad[i].doc);
        json_object_set_int_member (fields, "at", 1767225600);
        g_test_message ("checklist %u", i);
        result = post_one (f, "petugas", make_op (op_id, "put", "checklist", bad[i].record, 0, fields));
        assert_result (result, "rejected", "invalid");
        g_assert_cmpint (version_of (f, "checklist", bad[i].record), ==, 0);
      }
  }

  /* Notes: empty, too long, no case, an unknown case; a note cannot be
   * edited. */
  {
    g_autofree char *long_text = g_strnfill (LK_STORE_MAX_TEXT * 4 + 1, 'a');
    g_autofree char *max_text = g_strnfill (LK_STORE_MAX_TEXT * 4, 'b');
    g_autofree char *note_id = new_uuid (f);
    g_autofree char *op_id = new_uuid (f);
    g_autofree char *op2_id = new_uuid (f);
    g_autofree char *op3_id = new_uuid (f);
    g_autofree char *op4_id = new_uuid (f);
    g_autofree char *op5_id = new_uuid (f);
    g_autoptr(JsonObject) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
    g_autofree char *stored = NULL;

    r1 = post_one (f, "pejabat", make_op (op_id, "put", "note", note_id, 0, note_fields (case_id, "")));
    assert_result (r1, "rejected", "invalid");
    r2 = post_one (f, "pejabat", make_op (op2_id, "put", "note", note_id, 0, note_fields (case_id, long_text)));
    assert_result (r2, "rejected", "invalid");
    r3 = post_one (f, "pejabat", make_op (op3_id, "put", "note", note_id, 0,
                                          note_fields ("00000000-0000-4000-8000-000000000000", "x")));
    assert_result (r3, "rejected", "not_found");
    g_assert_cmpint (version_of (f, "note", note_id), ==, 0);
    /* 16 384 bytes is a note's limit, beyond the 4 096 of other text. */
    r4 = post_one (f, "pejabat", make_op (op4_id, "put", "note", note_id, 0, note_fields (case_id, max_text)));
    assert_result (r4, "applied", NULL);
    stored = db_text (f, "SELECT text FROM notes WHERE id = ?1", note_id);
    g_assert_cmpstr (stored, ==, max_text);
    r5 = post_one (f, "pejabat", make_op (op5_id, "put", "note", note_id, 1, note_fields (case_id, "edit")));
    assert_result (r5, "rejected", "invalid");
  }

  /* Documents: a blob never uploaded, a size that is not the blob's, a
   * name with a directory. */
  {
    g_autofree char *sha256 = db_text (f, "SELECT sha256 FROM documents ORDER BY id LIMIT 1", NULL);
    gint64 size = db_int (f, "SELECT size FROM documents WHERE sha256 = ?1", sha256);
    struct { const char *sha; gint64 size; const char *name; const char *code; } bad[] = {
      { "0000000000000000000000000000000000000000000000000000000000000000", 10, "a.pdf", "blob_missing" },
      { sha256, size + 1, "a.pdf", "invalid" },
      { sha256, size, "../../etc/passwd", "invalid" },
      { sha256, size, "..", "invalid" },
      { "ABC", size, "a.pdf", "invalid" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *doc_id = new_uuid (f);
        g_autofree char *op_id = new_uuid (f);
        g_autoptr(JsonObject) result = NULL;
        JsonObject *fields = json_object_new ();

        json_object_set_string_member (fields, "case_id", case_id);
        json_object_set_string_member (fields, "name", bad[i].name);
        json_object_set_string_member (fields, "mime_type", "application/pdf");
        json_object_set_int_member (fields, "size", bad[i].size);
        json_object_set_string_member (fields, "sha256", bad[i].sha);
        json_object_set_int_member (fields, "position", 1);
        result = post_one (f, "petugas", make_op (op_id, "put", "document", doc_id, 0, fields));
        assert_result (result, "rejected", bad[i].code);
        g_assert_cmpint (version_of (f, "document", doc_id), ==, 0);
      }
  }

  /* Units and service types: a new one needs a UUID and its required
   * fields; a service type's SLA is bounded. */
  {
    g_autofree char *unit_id = new_uuid (f);
    g_autofree char *op1 = new_uuid (f);
    g_autofree char *op2 = new_uuid (f);
    g_autofree char *op3 = new_uuid (f);
    g_autoptr(JsonObject) r1 = NULL, r2 = NULL, r3 = NULL;
    g_autofree char *service_type = db_text (f, "SELECT id FROM service_types LIMIT 1", NULL);
    JsonObject *sla = json_object_new ();

    r1 = post_one (f, "admin", make_op (op1, "put", "unit", "unit-1", 0, one_field ("code", "BARU")));
    assert_result (r1, "rejected", "invalid");
    r2 = post_one (f, "admin", make_op (op2, "put", "unit", unit_id, 0, one_field ("code", "BARU")));
    assert_result (r2, "rejected", "invalid");   /* no name */
    json_object_set_int_member (sla, "sla_days", 0);
    r3 = post_one (f, "admin", make_op (op3, "put", "service_type", service_type,
                                        version_of (f, "service_type", service_type), sla));
    assert_result (r3, "rejected", "invalid");
  }
}

/* 2. Idempotency */

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *case_id = case_in_unit (f, f->own_unit, 0);
  g_autofree char *note_id = new_uuid (f);
  g_autofree char *op1 = new_uuid (f);
  g_autofree char *op2 = new_uuid (f);
  g_autofree char *op3 = new_uuid (f);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonArray) first = NULL;
  g_autoptr(JsonArray) second = NULL;
  g_autoptr(JsonObject) stolen = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *feed_before = NULL;
  g_autofree char *feed_after = NULL;
  gint64 base, history_before;

  base = force_state (f, case_id, "submitted");
  history_before = db_int (f, "SELECT count(*) FROM history WHERE case_id = ?1", case_id);
  g_ptr_array_add (ops, make_op (op1, "transition", "case", case_id, base, transition_fields ("verifying", NULL, NULL)));
  g_ptr_array_add (ops, make_op (op2, "put", "note", note_id, 0, note_fields (case_id, "Berkas diterima.")));
  /* A rejected op is replayed as rejected, too. */
  g_ptr_array_add (ops, make_op (op3, "transition", "case", case_id, base + 1,
                                 transition_fields ("signed", NULL, NULL)));

  first = post_ops (f, "petugas", ops, &first_text);
  assert_result (json_array_get_object_element (first, 0), "applied", NULL);
  assert_result (json_array_get_object_element (first, 1), "applied", NULL);
  assert_result (json_array_get_object_element (first, 2), "rejected", "illegal_transition");
  feed_before = feed_text (f, "admin");

  second = post_ops (f, "petugas", ops, &second_text);
  g_assert_cmpstr (second_text, ==, first_text);
  feed_after = feed_text (f, "admin");
  g_assert_cmpstr (feed_after, ==, feed_before);

  g_assert_cmpint (version_of (f, "case", case_id), ==, base + 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM history WHERE case_id = ?1", case_id), ==, history_before + 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM history WHERE id = ?1", op1), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM notes WHERE id = ?1", note_id), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM ops", NULL), ==, 3);

  /* The same id from another user: refused, and nothing changes. */
  stolen = post_one (f, "pemeriksa", make_op (op2, "put", "note", note_id, 0, note_fields (case_id, "lain")));
  assert_result (stolen, "rejected", "duplicate_id");
  g_assert_false (json_object_has_member (stolen, "record"));
  g_clear_pointer (&feed_after, g_free);
  feed_after = feed_text (f, "admin");
  g_assert_cmpstr (feed_after, ==, feed_before);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM ops", NULL), ==, 3);

  /* Twice in one batch: the second gets the first's result. */
  {
    g_autoptr(GPtrArray) twice = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    g_autoptr(JsonArray) results = NULL;
    g_autofree char *op4 = new_uuid (f);
    g_autofree char *note2 = new_uuid (f);
    g_autofree char *a = NULL, *b = NULL;

    g_ptr_array_add (twice, make_op (op4, "put", "note", note2, 0, note_fields (case_id, "sekali")));
    g_ptr_array_add (twice, make_op (op4, "put", "note", note2, 0, note_fields (case_id, "sekali")));
    results = post_ops (f, "petugas", twice, NULL);
    assert_result (json_array_get_object_element (results, 0), "applied", NULL);
    a = object_to_json (json_array_get_object_element (results, 0));
    b = object_to_json (json_array_get_object_element (results, 1));
    g_assert_cmpstr (a, ==, b);
    g_assert_cmpint (db_int (f, "SELECT count(*) FROM notes WHERE id = ?1", note2), ==, 1);
  }
}

/* 3. Conflicts */

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *case_id = case_in_unit (f, f->own_unit, 0);
  g_autofree char *phone = NULL;
  g_autofree char *feed_before = NULL;
  g_autofree char *feed_after = NULL;
  g_autofree char *op1 = new_uuid (f);
  g_autofree char *op2 = new_uuid (f);
  g_autofree char *op3 = new_uuid (f);
  g_autofree char *op4 = new_uuid (f);
  g_autofree char *note_id = new_uuid (f);
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(JsonObject) stale = NULL;
  g_autoptr(JsonObject) stale_move = NULL;
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(JsonObject) note_again = NULL;
  JsonObject *record;
  gint64 base;

  base = force_state (f, case_id, "verifying");
  /* Desk A edits first … */
  edit = post_one (f, "petugas", make_op (op1, "put", "case", case_id, base, one_field ("phone", "0811 111 111")));
  assert_result (edit, "applied", NULL);
  phone = db_text (f, "SELECT phone FROM cases WHERE id = ?1", case_id);
  g_assert_cmpstr (phone, ==, "0811 111 111");
  feed_before = feed_text (f, "admin");

  /* … desk B, on the same base, meets the server's record. */
  stale = post_one (f, "petugas-kota", make_op (op2, "put", "case", case_id, base,
                                                one_field ("phone", "0822 222 222")));
  assert_result (stale, "conflict", NULL);
  record = json_object_get_object_member (stale, "record");
  g_assert_cmpint (json_object_get_int_member (stale, "version"), ==, base + 1);
  g_assert_cmpstr (json_object_get_string_member (record, "phone"), ==, "0811 111 111");
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "verifying");

  stale_move = post_one (f, "petugas-kota", make_op (op3, "transition", "case", case_id, base,
                                                     transition_fields ("verified", NULL, NULL)));
  assert_result (stale_move, "conflict", NULL);
  g_assert_cmpint (json_object_get_int_member (stale_move, "version"), ==, base + 1);

  feed_after = feed_text (f, "admin");
  g_assert_cmpstr (feed_after, ==, feed_before);
  g_clear_pointer (&phone, g_free);
  phone = db_text (f, "SELECT phone FROM cases WHERE id = ?1", case_id);
  g_assert_cmpstr (phone, ==, "0811 111 111");
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM history WHERE id = ?1", op3), ==, 0);

  /* Creating what exists (base 0) is a conflict too. */
  note = post_one (f, "petugas", make_op (op4, "put", "note", note_id, 0, note_fields (case_id, "pertama")));
  assert_result (note, "applied", NULL);
  {
    g_autofree char *op5 = new_uuid (f);
    g_autofree char *text = NULL;

    note_again = post_one (f, "petugas-kota", make_op (op5, "put", "note", note_id, 0,
                                                       note_fields (case_id, "kedua")));
    assert_result (note_again, "conflict", NULL);
    text = db_text (f, "SELECT text FROM notes WHERE id = ?1", note_id);
    g_assert_cmpstr (text, ==, "pertama");
  }

  /* An unknown case, and base 0 on an existing case. */
  {
    g_autofree char *op6 = new_uuid (f);
    g_autofree char *op7 = new_uuid (f);
    g_autoptr(JsonObject) missing = NULL;
    g_autoptr(JsonObject) zero = NULL;

    missing = post_one (f, "petugas", make_op (op6, "put", "case", "00000000-0000-4000-8000-000000000001", 3,
                                               one_field ("phone", "0811 111 111")));
    assert_result (missing, "rejected", "not_found");
    zero = post_one (f, "petugas", make_op (op7, "put", "case", case_id, 0, one_field ("phone", "0811 111 112")));
    assert_result (zero, "conflict", NULL);
  }
}

/* 4. One failing operation undoes only itself */

static void
test_isolation (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *case_id = case_in_unit (f, f->own_unit, 0);
  g_autofree char *note_a = new_uuid (f);
  g_autofree char *note_b = new_uuid (f);
  g_autofree char *op_ids[5] = { NULL, };
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonArray) results = NULL;
  g_autofree char *nik_before = NULL;
  g_autofree char *nik_after = NULL;
  g_autofree char *state = NULL;
  gint64 base;

  for (guint i = 0; i < G_N_ELEMENTS (op_ids); i++)
    op_ids[i] = new_uuid (f);
  base = force_state (f, case_id, "verifying");
  nik_before = db_text (f, "SELECT nik FROM cases WHERE id = ?1", case_id);

  g_ptr_array_add (ops, make_op (op_ids[0], "put", "note", note_a, 0, note_fields (case_id, "Satu")));
  g_ptr_array_add (ops, make_op (op_ids[1], "put", "case", case_id, base, one_field ("nik", "123")));
  g_ptr_array_add (ops, make_op (op_ids[2], "put", "note", note_b, 0, note_fields (case_id, "Dua")));
  g_ptr_array_add (ops, make_op (op_ids[3], "transition", "case", case_id, base,
                                 transition_fields ("verified", NULL, NULL)));
  /* Based on the version the transition made. */
  g_ptr_array_add (ops, make_op (op_ids[4], "put", "case", case_id, base + 1, one_field ("phone", "0899 000 111")));

  results = post_ops (f, "petugas", ops, NULL);
  assert_result (json_array_get_object_element (results, 0), "applied", NULL);
  assert_result (json_array_get_object_element (results, 1), "rejected", "invalid");
  assert_result (json_array_get_object_element (results, 2), "applied", NULL);
  assert_result (json_array_get_object_element (results, 3), "applied", NULL);
  assert_result (json_array_get_object_element (results, 4), "applied", NULL);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (results, 4), "version"), ==, base + 2);

  g_assert_cmpint (version_of (f, "note", note_a), ==, 1);
  g_assert_cmpint (version_of (f, "note", note_b), ==, 1);
  nik_after = db_text (f, "SELECT nik FROM cases WHERE id = ?1", case_id);
  g_assert_cmpstr (nik_after, ==, nik_before);
  state = db_text (f, "SELECT state FROM cases WHERE id = ?1", case_id);
  g_assert_cmpstr (state, ==, "verified");
  g_assert_cmpint (version_of (f, "case", case_id), ==, base + 2);
}

/* 5. Hostile input */

typedef struct
{
  char   *feed;
  gint64  n_ops;
} Snapshot;

static void
take_snapshot (Fixture  *f,
               Snapshot *snap)
{
  snap->feed = feed_text (f, "admin");
  snap->n_ops = db_int (f, "SELECT count(*) FROM ops", NULL);
}

static void
assert_unchanged (Fixture  *f,
                  Snapshot *snap)
{
  g_autofree char *feed = feed_text (f, "admin");

  g_assert_cmpstr (feed, ==, snap->feed);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM ops", NULL), ==, snap->n_ops);
}

/* Sends BODY as petugas: STATUS and CODE, and nothing stored. */
static void
hostile (Fixture    *f,
         Snapshot   *snap,
         const char *what,
         const char *body,
         gsize       len,
         guint       status,
         const char *code)
{
  g_autoptr(LkTestReply) reply = NULL;

  g_test_message ("hostile: %s", what);
  reply = post_ops_text (f, "petugas", body, len);
  lk_test_assert_error (reply, status, code);
  assert_unchanged (f, snap);
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *case_id = case_in_unit (f, f->own_unit, 0);
  g_autofree char *good_op = NULL;
  Snapshot snap = { 0, };
  gint64 base = version_of (f, "case", case_id);

  {
    g_autofree char *op_id = new_uuid (f);
    g_autoptr(JsonObject) op = make_op (op_id, "put", "case", case_id, base, one_field ("phone", "0811 000 000"));

    good_op = object_to_json (op);
  }
  take_snapshot (f, &snap);

  hostile (f, &snap, "not JSON", "hello", 5, 400, "bad_request");
  hostile (f, &snap, "empty", "", 0, 400, "bad_request");
  hostile (f, &snap, "an array", "[]", 2, 400, "bad_request");
  {
    g_autoptr(GString) deep = g_string_new ("{\"ops\":");

    for (guint i = 0; i < 1000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 1000; i++)
      g_string_append_c (deep, ']');
    g_string_append_c (deep, '}');
    hostile (f, &snap, "nested 1000 deep", deep->str, deep->len, 400, "bad_request");
  }

  /* Wrong member types, each after a good operation that must not apply. */
  {
    const char *bad_ops[] = {
      "5",
      "{\"id\":5,\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\",\"base\":0,\"fields\":{}}",
      "{\"id\":\"A0000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\","
      "\"base\":0,\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-00000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\","
      "\"base\":0,\"fields\":{}}",
      "{\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\",\"base\":0,\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":1,\"kind\":\"case\",\"record\":\"x\","
      "\"base\":0,\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":[],\"record\":\"x\","
      "\"base\":0,\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":null,"
      "\"base\":0,\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\","
      "\"base\":\"3\",\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\","
      "\"base\":1.5,\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\","
      "\"base\":-1,\"fields\":{}}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\","
      "\"base\":0,\"fields\":[]}",
      "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"op\":\"put\",\"kind\":\"case\",\"record\":\"x\","
      "\"base\":0}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad_ops); i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"ops\":[%s,%s]}", good_op, bad_ops[i]);
        g_autofree char *what = g_strdup_printf ("wrong member type %u", i);

        hostile (f, &snap, what, body, strlen (body), 400, "bad_request");
      }
    hostile (f, &snap, "ops not an array", "{\"ops\":{}}", 10, 400, "bad_request");
    hostile (f, &snap, "no ops", "{\"opz\":[]}", 10, 400, "bad_request");
  }

  /* Too many operations; too large a body. */
  {
    g_autoptr(GString) many = g_string_new ("{\"ops\":[");
    g_autofree char *large = NULL;
    gsize large_len = 300 * 1024;

    for (guint i = 0; i < 501; i++)
      g_string_append_printf (many, "%s{\"id\":\"00000000-0000-4000-8000-%012u\",\"op\":\"put\",\"kind\":\"note\","
                              "\"record\":\"r\",\"base\":0,\"fields\":{}}", i ? "," : "", i);
    g_string_append (many, "]}");
    g_assert_cmpuint (many->len, <, 256 * 1024);
    hostile (f, &snap, "501 operations", many->str, many->len, 400, "bad_request");

    large = g_malloc (large_len);
    memset (large, ' ', large_len);
    memcpy (large, "{\"ops\":[", 8);
    memcpy (large + large_len - 2, "]}", 2);
    hostile (f, &snap, "300 KiB", large, large_len, 413, "too_large");
  }

  /* Invalid UTF-8 inside a string. */
  {
    g_autofree char *note_id = new_uuid (f);
    g_autofree char *op_id = new_uuid (f);
    g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"id\":\"%s\",\"op\":\"put\",\"kind\":\"note\","
                                             "\"record\":\"%s\",\"base\":0,\"fields\":{\"case_id\":\"%s\","
                                             "\"at\":1767225600,\"text\":\"caf\xc3\x28 \xff\xfe\"}}]}",
                                             op_id, note_id, case_id);

    hostile (f, &snap, "invalid UTF-8", body, strlen (body), 400, "bad_request");
  }

  /* A lone surrogate escape: json-glib decodes it into invalid UTF-8,
   * which the operation refuses. */
  {
    g_autofree char *note_id = new_uuid (f);
    g_autofree char *op_id = new_uuid (f);
    g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"id\":\"%s\",\"op\":\"put\",\"kind\":\"note\","
                                             "\"record\":\"%s\",\"base\":0,\"fields\":{\"case_id\":\"%s\","
                                             "\"at\":1767225600,\"text\":\"a\\ud800b\"}}]}",
                                             op_id, note_id, case_id);
    g_autoptr(LkTestReply) reply = post_ops_text (f, "petugas", body, strlen (body));
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    root = lk_test_reply_json (reply);
    assert_result (json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                                 "results"), 0),
                   "rejected", "invalid");
    snap.n_ops++;   /* the rejection is recorded, for a replay */
    assert_unchanged (f, &snap);
    g_assert_cmpint (version_of (f, "note", note_id), ==, 0);
  }

  /* Tokens: none, forged, ended. */
  {
    g_autofree char *body = g_strdup_printf ("{\"ops\":[%s]}", good_op);
    g_autoptr(LkTestReply) none = http (f, "POST", "/api/v1/ops", NULL, body, strlen (body));
    g_autoptr(LkTestReply) forged = http (f, "POST", "/api/v1/ops", "bG9rZXQtZm9yZ2VkLXRva2VuLTAwMDAwMDAwMDAwMA",
                                    body, strlen (body));
    g_autoptr(LkTestReply) logout = NULL;
    g_autoptr(LkTestReply) ended = NULL;
    g_autofree char *token = g_strdup (token_of (f, "petugas-kota"));

    lk_test_assert_error (none, 401, "auth_required");
    lk_test_assert_error (forged, 401, "session_expired");
    logout = http (f, "DELETE", "/api/v1/session", token, NULL, 0);
    g_assert_cmpuint (logout->status, ==, SOUP_STATUS_NO_CONTENT);
    g_hash_table_remove (f->tokens, "petugas-kota");
    ended = http (f, "POST", "/api/v1/ops", token, body, strlen (body));
    lk_test_assert_error (ended, 401, "session_expired");
    assert_unchanged (f, &snap);
  }
  g_free (snap.feed);
}

/* SQL metacharacters in every string field: stored verbatim where the
 * field takes free text, refused where it has a format. */
static void
test_sql_metacharacters (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *case_id = case_in_unit (f, f->own_unit, 0);
  static const char * const payloads[] = { SQL_DROP, SQL_OR };
  static const char * const free_fields[] = { "applicant_name", "address", "business_name" };
  static const char * const free_queries[] = {
    "SELECT applicant_name FROM cases WHERE id = ?1",
    "SELECT address FROM cases WHERE id = ?1",
    "SELECT business_name FROM cases WHERE id = ?1",
  };
  static const char * const format_fields[] = { "nik", "email", "phone", "nib", "assignee" };
  gint64 n_cases = db_int (f, "SELECT count(*) FROM cases", NULL);

  for (guint p = 0; p < G_N_ELEMENTS (payloads); p++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (free_fields); i++)
        {
          g_autofree char *op_id = new_uuid (f);
          g_autoptr(JsonObject) result = NULL;
          g_autoptr(JsonObject) record = NULL;
          g_autofree char *stored = NULL;

          result = post_one (f, "petugas", make_op (op_id, "put", "case", case_id, version_of (f, "case", case_id),
                                                    one_field (free_fields[i], payloads[p])));
          assert_result (result, "applied", NULL);
          stored = db_text (f, free_queries[i], case_id);
          g_assert_cmpstr (stored, ==, payloads[p]);
          record = feed_record (f, "petugas", "case", case_id);
          g_assert_nonnull (record);
          g_assert_cmpstr (json_object_get_string_member (record, free_fields[i]), ==, payloads[p]);
        }
      for (guint i = 0; i < G_N_ELEMENTS (format_fields); i++)
        {
          g_autofree char *op_id = new_uuid (f);
          g_autoptr(JsonObject) result = NULL;
          gint64 version = version_of (f, "case", case_id);

          result = post_one (f, "petugas", make_op (op_id, "put", "case", case_id, version,
                                                    one_field (format_fields[i], payloads[p])));
          assert_result (result, "rejected", "invalid");
          g_assert_cmpint (version_of (f, "case", case_id), ==, version);
        }

      /* A note, and a checklist reason. */
      {
        g_autofree char *note_id = new_uuid (f);
        g_autofree char *op_id = new_uuid (f);
        g_autofree char *op2_id = new_uuid (f);
        g_autofree char *check_id = g_strdup_printf ("%s:%u", case_id, p);
        g_autoptr(JsonObject) result = NULL;
        g_autoptr(JsonObject) check = NULL;
        g_autoptr(JsonObject) record = NULL;
        g_autofree char *stored = NULL;
        JsonObject *fields = json_object_new ();

        result = post_one (f, "pemeriksa", make_op (op_id, "put", "note", note_id, 0,
                                                    note_fields (case_id, payloads[p])));
        assert_result (result, "applied", NULL);
        stored = db_text (f, "SELECT text FROM notes WHERE id = ?1", note_id);
        g_assert_cmpstr (stored, ==, payloads[p]);
        record = feed_record (f, "pemeriksa", "note", note_id);
        g_assert_nonnull (record);
        g_assert_cmpstr (json_object_get_string_member (record, "text"), ==, payloads[p]);

        json_object_set_string_member (fields, "case_id", case_id);
        json_object_set_int_member (fields, "item", p);
        json_object_set_string_member (fields, "status", "rejected");
        json_object_set_string_member (fields, "reason", payloads[p]);
        json_object_set_int_member (fields, "at", 1767225600);
        check = post_one (f, "petugas", make_op (op2_id, "put", "checklist", check_id, 0, fields));
        assert_result (check, "applied", NULL);
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (check, "record"), "reason"),
                         ==, payloads[p]);
      }
      /* And as the record id and operation kind. */
      {
        g_autofree char *op_id = new_uuid (f);
        g_autofree char *op2_id = new_uuid (f);
        g_autoptr(JsonObject) result = NULL;
        g_autoptr(JsonObject) result2 = NULL;

        result = post_one (f, "petugas", make_op (op_id, "put", "case", payloads[p], 1, one_field ("phone", "0811")));
        assert_result (result, "rejected", "not_found");
        result2 = post_one (f, "petugas", make_op (op2_id, "put", payloads[p], case_id, 1, json_object_new ()));
        assert_result (result2, "rejected", "invalid");
      }
    }

  /* The table is still there, whole. */
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM cases", NULL), ==, n_cases);
}

/* 6. The signed transition */

static char *
work_path (Fixture    *f,
           const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* A one-page letter; KEYWORDS (nullable) are its document info's
 * /Keywords, which say which letter it is (lk_letter_read_info). */
static void
make_pdf (const char *path,
          const char *keywords)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  if (keywords != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, keywords);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "Surat Keterangan Domisili 470/0001/PTK-KOTA/2026");
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* Uploads the file at PATH whole; its SHA-256. */
static char *
upload (Fixture    *f,
        const char *username,
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
  reply = http (f, "PUT", url_path, token_of (f, username), data, len);
  if (reply->status != SOUP_STATUS_CREATED && reply->status != SOUP_STATUS_OK)
    g_test_message ("PUT blob: %u %s", reply->status, lk_test_reply_text (reply));
  g_assert_true (reply->status == SOUP_STATUS_CREATED || reply->status == SOUP_STATUS_OK);
  return sha256;
}

static void
sign_with (LkTokenKey *key,
           const char *in,
           const char *out)
{
  g_autoptr(GError) error = NULL;

  lk_pades_sign (key, NULL, NULL, in, out, NULL, &error);
  g_assert_no_error (error);
}

static void
signed_set_up (Fixture       *f,
               gconstpointer  data)
{
  const char *args[] = { "--trust", test_token->ca_pem, NULL };

  fixture_set_up_with (f, args);
}

static void
test_signed (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *case_id = case_in_unit (f, f->own_unit, 0);
  g_autofree char *receipt = db_text (f, "SELECT receipt FROM cases WHERE id = ?1", case_id);
  g_autofree char *plain = work_path (f, "letter.pdf");
  g_autofree char *good = work_path (f, "letter-signed.pdf");
  g_autofree char *stranger = work_path (f, "letter-ec.pdf");
  g_autofree char *tampered = work_path (f, "letter-tampered.pdf");
  g_autofree char *pem = NULL;
  g_autofree char *good_sha = NULL, *plain_sha = NULL, *stranger_sha = NULL, *tampered_sha = NULL;
  g_autofree char *register_body = NULL;
  g_autofree char *doc_name = NULL;
  g_autoptr(LkTestReply) registered = NULL;
  g_autoptr(JsonObject) pem_body = json_object_new ();
  g_autoptr(JsonObject) to_awaiting = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = new_uuid (f);
  g_autofree char *contents = NULL;
  gsize len;
  gint64 base;
  static const char * const failing_code[] = {
    "signature_invalid", "signature_invalid", "certificate_unknown", "blob_missing",
  };
  const char *failing_sha[G_N_ELEMENTS (failing_code)];
  g_autofree char *number = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *keywords = NULL;

  /* The letters: signed by the registered RSA key, by the EC key (same
   * CA, not registered), not signed, and signed then changed; each is the
   * case's letter with a number the server issued for it. */
  {
    g_autoptr(JsonObject) body = json_object_new ();
    g_autofree char *text = NULL;
    g_autoptr(LkTestReply) reply = NULL;
    g_autoptr(JsonNode) answer = NULL;
    const double rect[4] = { 340, 100, 220, 90 };

    json_object_set_string_member (body, "case_id", case_id);
    text = object_to_json (body);
    reply = http (f, "POST", "/api/v1/numbers", token_of (f, "petugas"), text, strlen (text));
    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    answer = lk_test_reply_json (reply);
    number = g_strdup (json_object_get_string_member (json_node_get_object (answer), "number"));
    letter_id = lk_letter_new_id ();
    keywords = lk_letter_info_to_keywords (letter_id, number, 0, rect, 0);
  }
  make_pdf (plain, keywords);
  sign_with (rsa_key, plain, good);
  sign_with (ec_key, plain, stranger);
  g_file_get_contents (good, &contents, &len, &error);
  g_assert_no_error (error);
  {
    /* A byte of the page content, inside the signed range. */
    char *where = g_strstr_len (contents, (gssize) len, "stream");

    g_assert_nonnull (where);
    where[8] ^= 0x01;
  }
  g_file_set_contents (tampered, contents, (gssize) len, &error);
  g_assert_no_error (error);

  /* The admin registers pejabat's certificate. */
  g_file_get_contents (test_token->rsa_cert_pem, &pem, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (pem_body, "pem", pem);
  register_body = object_to_json (pem_body);
  registered = http (f, "POST", "/api/v1/users/pejabat/certificates", token_of (f, "admin"),
                     register_body, strlen (register_body));
  if (registered->status != SOUP_STATUS_CREATED)
    g_test_message ("register: %u %s", registered->status, lk_test_reply_text (registered));
  g_assert_cmpuint (registered->status, ==, SOUP_STATUS_CREATED);

  good_sha = upload (f, "pejabat", good);
  plain_sha = upload (f, "pejabat", plain);
  stranger_sha = upload (f, "pejabat", stranger);
  tampered_sha = upload (f, "pejabat", tampered);
  failing_sha[0] = plain_sha;
  failing_sha[1] = tampered_sha;
  failing_sha[2] = stranger_sha;
  failing_sha[3] = "1111111111111111111111111111111111111111111111111111111111111111";   /* never uploaded */

  /* The officer sends the approved draft for signature. */
  base = force_state (f, case_id, "approved");
  to_awaiting = post_one (f, "petugas", make_op (op_id, "transition", "case", case_id, base,
                                                 transition_fields ("awaiting_signature", NULL, NULL)));
  assert_result (to_awaiting, "applied", NULL);
  base++;

  for (guint i = 0; i < G_N_ELEMENTS (failing_code); i++)
    {
      g_autofree char *id = new_uuid (f);
      g_autoptr(JsonObject) result = NULL;

      g_test_message ("letter %u: expecting %s", i, failing_code[i]);
      result = post_one (f, "pejabat", make_op (id, "transition", "case", case_id, base,
                                                transition_fields ("signed", NULL, failing_sha[i])));
      assert_result (result, "rejected", failing_code[i]);
      g_test_message ("  %s", json_object_get_string_member (result, "message"));
      g_assert_cmpint (version_of (f, "case", case_id), ==, base);
      g_assert_cmpint (db_int (f, "SELECT count(*) FROM documents WHERE sha256 = ?1", failing_sha[i]), ==, 0);
    }

  /* Signed without a letter; by an officer with the good letter. */
  {
    g_autofree char *id1 = new_uuid (f);
    g_autofree char *id2 = new_uuid (f);
    g_autoptr(JsonObject) r1 = NULL;
    g_autoptr(JsonObject) r2 = NULL;

    r1 = post_one (f, "pejabat", make_op (id1, "transition", "case", case_id, base,
                                          transition_fields ("signed", NULL, NULL)));
    assert_result (r1, "rejected", "invalid");
    r2 = post_one (f, "petugas", make_op (id2, "transition", "case", case_id, base,
                                          transition_fields ("signed", NULL, good_sha)));
    assert_result (r2, "rejected", "illegal_transition");
  }

  /* The good letter. */
  {
    g_autofree char *id = new_uuid (f);
    g_autofree char *doc_id = NULL;
    g_autoptr(JsonObject) document = NULL;
    g_autoptr(JsonObject) history = NULL;

    done = post_one (f, "pejabat", make_op (id, "transition", "case", case_id, base,
                                            transition_fields ("signed", NULL, good_sha)));
    assert_result (done, "applied", NULL);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (done, "record"), "state"),
                     ==, "signed");
    g_assert_cmpint (json_object_get_int_member (done, "version"), ==, base + 1);

    doc_id = db_text (f, "SELECT id FROM documents WHERE sha256 = ?1", good_sha);
    g_assert_nonnull (doc_id);
    document = feed_record (f, "pejabat", "document", doc_id);
    g_assert_nonnull (document);
    doc_name = g_strdup_printf ("Signed letter %s.pdf", receipt);
    g_assert_cmpstr (json_object_get_string_member (document, "name"), ==, doc_name);
    g_assert_cmpstr (json_object_get_string_member (document, "case_id"), ==, case_id);
    g_assert_cmpstr (json_object_get_string_member (document, "mime_type"), ==, "application/pdf");
    g_assert_cmpstr (json_object_get_string_member (document, "sha256"), ==, good_sha);
    {
      g_autofree char *bytes = NULL;

      g_file_get_contents (good, &bytes, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_object_get_int_member (document, "size"), ==, (gint64) len);
    }
    g_assert_cmpint (json_object_get_int_member (document, "position"), ==,
                     db_int (f, "SELECT max(position) FROM documents WHERE case_id = ?1", case_id));
    g_assert_cmpint (db_int (f, "SELECT count(*) FROM documents WHERE case_id = ?1 AND position = "
                                "(SELECT max(position) FROM documents WHERE case_id = ?1)", case_id), ==, 1);

    history = feed_record (f, "pejabat", "history", id);
    g_assert_nonnull (history);
    g_assert_cmpstr (json_object_get_string_member (history, "from_state"), ==, "awaiting_signature");
    g_assert_cmpstr (json_object_get_string_member (history, "to_state"), ==, "signed");
    g_assert_cmpstr (json_object_get_string_member (history, "actor"), ==, "pejabat");
  }

  /* The letter is registered, its number used. */
  {
    g_autoptr(JsonObject) registered_letter = feed_record (f, "pejabat", "letter", letter_id);
    g_autofree char *number_status = db_text (f, "SELECT status FROM numbers WHERE number = ?1", number);

    g_assert_nonnull (registered_letter);
    g_assert_cmpstr (json_object_get_string_member (registered_letter, "number"), ==, number);
    g_assert_cmpstr (json_object_get_string_member (registered_letter, "sha256"), ==, good_sha);
    g_assert_cmpstr (json_object_get_string_member (registered_letter, "status"), ==, "valid");
    g_assert_cmpstr (number_status, ==, "used");
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-ops", TRUE, &error);
  g_assert_no_error (error);
  lk_token_init (lk_test_token_module_path (), &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  ec_key = lk_token_key_open (test_token->ec_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ops/matrix", Fixture, NULL, fixture_set_up, test_matrix, fixture_tear_down);
  g_test_add ("/ops/invalid-fields", Fixture, NULL, fixture_set_up, test_invalid_fields, fixture_tear_down);
  g_test_add ("/ops/idempotent", Fixture, NULL, fixture_set_up, test_idempotent, fixture_tear_down);
  g_test_add ("/ops/conflict", Fixture, NULL, fixture_set_up, test_conflict, fixture_tear_down);
  g_test_add ("/ops/isolation", Fixture, NULL, fixture_set_up, test_isolation, fixture_tear_down);
  g_test_add ("/ops/hostile", Fixture, NULL, fixture_set_up, test_hostile, fixture_tear_down);
  g_test_add ("/ops/sql-metacharacters", Fixture, NULL, fixture_set_up, test_sql_metacharacters,
              fixture_tear_down);
  g_test_add ("/ops/signed", Fixture, NULL, signed_set_up, test_signed, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  g_clear_object (&ec_key);
  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
