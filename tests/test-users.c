/* test-users.c — users, certificates, password change and blob uploads
 * against the real loket-server (and loketctl as a process)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "store/lk-store.h"
#include "lk-test-util.h"
#include "lk-test-token.h"
#include "lk-test-tsa.h"

#define SEED_CASES 20
#define MIB        (1024 * 1024)

static char         *work_dir;
static LkTestServer *server;
static LkTestToken  *token;

/* HTTP, against the suite's server */

static LkTestReply *
http (const char *method,
      const char *path,
      const char *bearer,
      const char *json)
{
  return lk_test_http_json (server->url, method, path, bearer, json);
}

/* 400; libsoup itself refuses some paths (an encoded NUL) before the
 * server sees them, without a JSON body. */
static void
assert_status_400 (LkTestReply *reply)
{
  if (soup_message_headers_get_content_type (reply->headers, NULL) != NULL)
    lk_test_assert_error (reply, 400, "bad_request");
  else
    g_assert_cmpuint (reply->status, ==, 400);
}

static char *
to_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static char *
password_body (const char *old_password,
               const char *new_password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "old_password");
  json_builder_add_string_value (b, old_password);
  json_builder_set_member_name (b, "new_password");
  json_builder_add_string_value (b, new_password);
  json_builder_end_object (b);

  return to_json (b);
}

static char *
new_user_body (const char *username,
               const char *display_name,
               const char *role,
               const char *unit,
               const char *password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, username);
  if (display_name != NULL)
    {
      json_builder_set_member_name (b, "display_name");
      json_builder_add_string_value (b, display_name);
    }
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, role);
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  if (unit != NULL)
    json_builder_add_string_value (b, unit);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);

  return to_json (b);
}

static char *
pem_body (const char *pem)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pem");
  json_builder_add_string_value (b, pem);
  json_builder_end_object (b);

  return to_json (b);
}

/* The users list as text, to compare before and after. */
static char *
users_snapshot (const char *admin)
{
  g_autoptr(LkTestReply) reply = http ("GET", "/api/v1/users", admin, NULL);

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  return g_strndup (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
}

static JsonObject *
find_user (JsonNode   *users_root,
           const char *username)
{
  JsonArray *users = json_object_get_array_member (json_node_get_object (users_root), "users");

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      if (g_str_equal (json_object_get_string_member (user, "username"), username))
        return user;
    }

  return NULL;
}

/* Blobs */

static char *
sha256_of (const void *data,
           gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* LEN bytes from a seeded generator (binary, NULs included). */
static guint8 *
random_bytes (guint32 seed,
              gsize   len)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  /* Some zeros in the middle: staging must keep bytes, not text. */
  if (len > 100)
    memset (data + len / 2, 0, 50);

  return data;
}

static LkTestReply *
put_chunk (const char   *bearer,
           const char   *sha,
           const guint8 *data,
           gsize         start,
           gsize         len,
           gsize         total)
{
  g_autofree char *path = g_strconcat ("/api/v1/blobs/", sha, NULL);
  g_autofree char *range = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                            start, start + len - 1, total);

  return lk_test_http (server->url, "PUT", path, bearer, data + start, len,
                       (const char *[]) { "Content-Range", range, NULL });
}

static LkTestReply *
put_whole (const char   *bearer,
           const char   *sha,
           const guint8 *data,
           gsize         len)
{
  g_autofree char *path = g_strconcat ("/api/v1/blobs/", sha, NULL);

  return lk_test_http (server->url, "PUT", path, bearer, data, len, NULL);
}

static gint64
progress_of (LkTestReply *reply,
             gboolean    *complete)
{
  g_autoptr(JsonNode) root = lk_test_reply_json (reply);
  JsonObject *o = json_node_get_object (root);

  if (complete != NULL)
    *complete = json_object_get_boolean_member (o, "complete");
  return json_object_get_int_member (o, "received");
}

static gint64
upload_status (const char *bearer,
               const char *sha,
               gboolean   *complete)
{
  g_autofree char *path = g_strconcat ("/api/v1/uploads/", sha, NULL);
  g_autoptr(LkTestReply) reply = http ("GET", path, bearer, NULL);

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  return progress_of (reply, complete);
}

static void
assert_blob (const char   *bearer,
             const char   *sha,
             const guint8 *data,
             gsize         len)
{
  g_autofree char *path = g_strconcat ("/api/v1/blobs/", sha, NULL);
  g_autoptr(LkTestReply) reply = http ("GET", path, bearer, NULL);
  gsize got_len;
  const guint8 *got;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  got = g_bytes_get_data (reply->body, &got_len);
  g_assert_cmpuint (got_len, ==, len);
  g_assert_true (memcmp (got, data, len) == 0);
}

static guint
blob_get_status (const char *bearer,
                 const char *sha)
{
  g_autofree char *path = g_strconcat ("/api/v1/blobs/", sha, NULL);
  g_autoptr(LkTestReply) reply = http ("GET", path, bearer, NULL);

  return reply->status;
}

/* A blob whose documents are all outside PTK-KOTA, and one with a document
 * in PTK-KOTA, from the full feed of petugas (all units). */
static void
find_unit_blobs (char **out_own,
                 char **out_other,
                 char **out_kota_unit)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autoptr(GHashTable) case_unit = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) in_kota = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *kota = NULL;
  g_autofree char *since = g_strdup ("");
  gboolean more = TRUE;
  GHashTableIter iter;
  gpointer key;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?limit=1000&since=%s", since);
      g_autoptr(LkTestReply) reply = http ("GET", path, bearer, NULL);
      g_autoptr(JsonNode) root = NULL;
      JsonObject *page;
      JsonArray *changes;

      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
      root = lk_test_reply_json (reply);
      page = json_node_get_object (root);
      changes = json_object_get_array_member (page, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *kind = json_object_get_string_member (change, "kind");
          JsonObject *record = json_object_get_object_member (change, "record");

          if (g_str_equal (kind, "unit") &&
              g_str_equal (json_object_get_string_member (record, "code"), "PTK-KOTA"))
            kota = g_strdup (json_object_get_string_member (record, "id"));
          else if (g_str_equal (kind, "case"))
            g_hash_table_insert (case_unit, g_strdup (json_object_get_string_member (record, "id")),
                                 g_strdup (json_object_get_string_member (record, "unit")));
          else if (g_str_equal (kind, "document"))
            g_ptr_array_add (docs, json_object_ref (record));
        }
      g_free (since);
      since = g_strdup (json_object_get_string_member (page, "next"));
      more = json_object_get_boolean_member (page, "more");
    }

  g_assert_nonnull (kota);
  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      const char *sha = json_object_get_string_member (doc, "sha256");
      const char *unit = g_hash_table_lookup (case_unit, json_object_get_string_member (doc, "case_id"));

      g_assert_nonnull (unit);
      g_hash_table_add (all, g_strdup (sha));
      if (g_str_equal (unit, kota))
        g_hash_table_add (in_kota, g_strdup (sha));
    }

  *out_own = NULL;
  *out_other = NULL;
  g_hash_table_iter_init (&iter, all);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_hash_table_contains (in_kota, key))
        {
          if (*out_own == NULL || strcmp (key, *out_own) < 0)
            {
              g_free (*out_own);
              *out_own = g_strdup (key);
            }
        }
      else if (*out_other == NULL || strcmp (key, *out_other) < 0)
        {
          g_free (*out_other);
          *out_other = g_strdup (key);
        }
    }
  g_assert_nonnull (*out_own);
  g_assert_nonnull (*out_other);
  *out_kota_unit = g_steal_pointer (&kota);
}

/* 1. Who may call what */

enum { ID_NONE, ID_FORGED, ID_ENDED, ID_OFFICER, ID_SIGNER, ID_INSPECTOR, ID_ADMIN, ID_LOCAL, N_IDS };

static const char * const id_names[N_IDS] = {
  "no token", "forged token", "ended session", "officer", "signer", "inspector", "admin",
  "one-unit officer",
};
static const char * const id_users[N_IDS] = {
  NULL, NULL, NULL, "petugas", "pejabat", "pemeriksa", "admin", "petugas-kota",
};

typedef enum
{
  BODY_NONE,
  BODY_LOGIN,           /* petugas's credentials */
  BODY_SHORT_PASSWORD,  /* refused before the old password is checked */
  BODY_NEW_USER,        /* a user named after the identity */
  BODY_SAME_NAME,       /* pejabat's display name, unchanged */
  BODY_BAD_PEM,
  BODY_BLOB,            /* bytes named after the identity; the path is their hash */
} BodyKind;

typedef struct
{
  const char *method;
  const char *path;     /* "%s" is replaced by the blob's hash */
  const char *blob;     /* "own", "other", or NULL */
  BodyKind    body;
  gboolean    fresh;    /* a session of its own (it ends it) */
  guint       expect[N_IDS];
} MatrixRow;

#define UNAUTH 401, 401, 401

static const MatrixRow matrix[] = {
  { "GET", "/api/v1/health", NULL, BODY_NONE, FALSE, { 200, 200, 200, 200, 200, 200, 200, 200 } },
  { "POST", "/api/v1/session", NULL, BODY_LOGIN, FALSE, { 200, 200, 200, 200, 200, 200, 200, 200 } },
  { "DELETE", "/api/v1/session", NULL, BODY_NONE, TRUE, { UNAUTH, 204, 204, 204, 204, 204 } },
  { "POST", "/api/v1/session/password", NULL, BODY_SHORT_PASSWORD, FALSE,
    { UNAUTH, 400, 400, 400, 400, 400 } },
  { "GET", "/api/v1/changes", NULL, BODY_NONE, FALSE, { UNAUTH, 200, 200, 200, 200, 200 } },
  { "GET", "/api/v1/blobs/%s", "own", BODY_NONE, FALSE, { UNAUTH, 200, 200, 200, 200, 200 } },
  { "GET", "/api/v1/blobs/%s", "other", BODY_NONE, FALSE, { UNAUTH, 200, 200, 200, 200, 404 } },
  { "HEAD", "/api/v1/blobs/%s", "other", BODY_NONE, FALSE, { UNAUTH, 200, 200, 200, 200, 404 } },
  { "PUT", "/api/v1/blobs/%s", NULL, BODY_BLOB, FALSE, { UNAUTH, 201, 201, 201, 201, 201 } },
  { "GET", "/api/v1/uploads/%s", "own", BODY_NONE, FALSE, { UNAUTH, 200, 200, 200, 200, 200 } },
  { "GET", "/api/v1/users", NULL, BODY_NONE, FALSE, { UNAUTH, 403, 403, 403, 200, 403 } },
  { "POST", "/api/v1/users", NULL, BODY_NEW_USER, FALSE, { UNAUTH, 403, 403, 403, 201, 403 } },
  { "PUT", "/api/v1/users/pejabat", NULL, BODY_SAME_NAME, FALSE, { UNAUTH, 403, 403, 403, 200, 403 } },
  { "POST", "/api/v1/users/pejabat/certificates", NULL, BODY_BAD_PEM, FALSE,
    { UNAUTH, 403, 403, 403, 400, 403 } },
  { "GET", "/api/v1/users/pejabat/certificates", NULL, BODY_NONE, FALSE,
    { UNAUTH, 403, 200, 403, 200, 403 } },
};

static const char *
expected_code (guint status,
               guint id)
{
  switch (status)
    {
    case 401:
      return id == ID_NONE ? "auth_required" : "session_expired";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 400:
      return "bad_request";
    default:
      return NULL;
    }
}

static char *
error_code_of (LkTestReply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *err;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                   g_bytes_get_size (reply->body), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (err = json_object_get_object_member (json_node_get_object (root), "error")) == NULL)
    return NULL;

  return g_strdup (json_object_get_string_member_with_default (err, "code", NULL));
}

static void
test_matrix (void)
{
  g_autofree char *own = NULL, *other = NULL, *kota = NULL;
  char *tokens[N_IDS] = { NULL, };
  guint checked = 0;

  find_unit_blobs (&own, &other, &kota);

  tokens[ID_FORGED] = g_strnfill (64, 'f');
  tokens[ID_ENDED] = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  {
    g_autoptr(LkTestReply) end = http ("DELETE", "/api/v1/session", tokens[ID_ENDED], NULL);

    g_assert_cmpuint (end->status, ==, 204);
  }
  for (guint id = ID_OFFICER; id < N_IDS; id++)
    tokens[id] = lk_test_sign_in (server->url, id_users[id], LK_TEST_DEMO_PASSWORD);

  for (guint r = 0; r < G_N_ELEMENTS (matrix); r++)
    {
      const MatrixRow *row = &matrix[r];

      for (guint id = 0; id < N_IDS; id++)
        {
          g_autofree char *fresh = NULL;
          g_autofree char *path = NULL;
          g_autofree char *body = NULL;
          g_autofree char *blob_name = NULL;
          g_autofree char *code = NULL;
          g_autoptr(LkTestReply) reply = NULL;
          const char *bearer = tokens[id];
          gsize body_len = 0;

          if (row->fresh && id_users[id] != NULL)
            bearer = fresh = lk_test_sign_in (server->url, id_users[id], LK_TEST_DEMO_PASSWORD);

          switch (row->body)
            {
            case BODY_NONE:
              break;
            case BODY_LOGIN:
              body = lk_test_session_body ("petugas", LK_TEST_DEMO_PASSWORD);
              break;
            case BODY_SHORT_PASSWORD:
              body = password_body (LK_TEST_DEMO_PASSWORD, "short");
              break;
            case BODY_NEW_USER:
              {
                g_autofree char *name = g_strdup_printf ("matrix-%u", id);

                body = new_user_body (name, NULL, "officer", kota, "matrix-password");
              }
              break;
            case BODY_SAME_NAME:
              body = g_strdup ("{\"display_name\": \"Pejabat Demo\"}");
              break;
            case BODY_BAD_PEM:
              body = pem_body ("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
              break;
            case BODY_BLOB:
              body = g_strdup_printf ("matrix blob of %s", id_names[id]);
              blob_name = sha256_of (body, strlen (body));
              break;
            default:
              g_assert_not_reached ();
            }
          if (body != NULL)
            body_len = strlen (body);

          if (strstr (row->path, "%s") != NULL)
            {
              const char *name = blob_name;

              if (g_strcmp0 (row->blob, "own") == 0)
                name = own;
              else if (g_strcmp0 (row->blob, "other") == 0)
                name = other;
              g_assert_nonnull (name);
              {
                g_auto(GStrv) parts = g_strsplit (row->path, "%s", 2);

                path = g_strconcat (parts[0], name, parts[1], NULL);
              }
            }
          else
            path = g_strdup (row->path);

          reply = lk_test_http (server->url, row->method, path, bearer, body, body_len, NULL);
          checked++;
          if (reply->status != row->expect[id])
            {
              g_test_fail_printf ("%s %s as %s: HTTP %u, expected %u", row->method, row->path,
                                  id_names[id], reply->status, row->expect[id]);
              continue;
            }

          /* Errors carry their stable code (HEAD answers have no body). */
          if (expected_code (reply->status, id) != NULL && !g_str_equal (row->method, "HEAD"))
            {
              code = error_code_of (reply);
              if (g_strcmp0 (code, expected_code (reply->status, id)) != 0)
                g_test_fail_printf ("%s %s as %s: code %s, expected %s", row->method, row->path,
                                    id_names[id], code ? code : "(none)",
                                    expected_code (reply->status, id));
            }
          if (g_str_equal (row->method, "HEAD"))
            g_assert_cmpuint (g_bytes_get_size (reply->body), ==, 0);
        }
    }
  g_assert_cmpuint (checked, ==, G_N_ELEMENTS (matrix) * N_IDS);

  /* The operations endpoint belongs to another suite; only its door here. */
  {
    g_autoptr(LkTestReply) ops = http ("POST", "/api/v1/ops", NULL, "{\"ops\": []}");

    lk_test_assert_error (ops, 401, "auth_required");
  }

  /* The one-unit officer's own unit's blob really is served whole. */
  {
    g_autofree char *path = g_strconcat ("/api/v1/blobs/", own, NULL);
    g_autoptr(LkTestReply) reply = http ("GET", path, tokens[ID_LOCAL], NULL);
    g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, reply->body);

    g_assert_cmpstr (hash, ==, own);
  }

  for (guint id = 0; id < N_IDS; id++)
    g_free (tokens[id]);
}

/* 2. Uploads */

static void
test_upload_whole (void)
{
  g_autofree char *local = lk_test_sign_in (server->url, "petugas-kota", LK_TEST_DEMO_PASSWORD);
  g_autofree char *inspector = lk_test_sign_in (server->url, "pemeriksa", LK_TEST_DEMO_PASSWORD);
  g_autofree char *signer = lk_test_sign_in (server->url, "pejabat", LK_TEST_DEMO_PASSWORD);
  gsize len = 10000;
  g_autofree guint8 *data = random_bytes (1, len);
  g_autofree char *sha = sha256_of (data, len);
  gboolean complete = FALSE;

  g_assert_cmpint (upload_status (local, sha, &complete), ==, 0);
  g_assert_false (complete);

  {
    g_autoptr(LkTestReply) reply = put_whole (local, sha, data, len);

    g_assert_cmpuint (reply->status, ==, 201);
    g_assert_cmpint (progress_of (reply, &complete), ==, (gint64) len);
    g_assert_true (complete);
  }
  assert_blob (local, sha, data, len);
  g_assert_cmpint (upload_status (local, sha, &complete), ==, (gint64) len);
  g_assert_true (complete);

  /* Again: idempotent. */
  {
    g_autoptr(LkTestReply) reply = put_whole (local, sha, data, len);

    g_assert_cmpuint (reply->status, ==, 200);
  }

  /* HEAD: the headers of GET without the bytes. */
  {
    g_autofree char *path = g_strconcat ("/api/v1/blobs/", sha, NULL);
    g_autoptr(LkTestReply) reply = http ("HEAD", path, local, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (reply->body), ==, 0);
    g_assert_cmpint (soup_message_headers_get_content_length (reply->headers), ==, (goffset) len);
  }

  /* Not referenced by a document: only who uploaded it may read it. */
  g_assert_cmpuint (blob_get_status (inspector, sha), ==, 404);

  /* Knowing the name is not enough to become an owner: wrong bytes are
   * refused and change nothing. */
  {
    g_autoptr(LkTestReply) reply = put_whole (signer, sha, (const guint8 *) "not the bytes", 13);

    lk_test_assert_error (reply, 400, "bad_request");
    g_assert_cmpuint (blob_get_status (signer, sha), ==, 404);
    assert_blob (local, sha, data, len);
  }

  /* Whoever sends the same bytes owns them too. */
  {
    g_autoptr(LkTestReply) reply = put_whole (inspector, sha, data, len);

    g_assert_cmpuint (reply->status, ==, 200);
    assert_blob (inspector, sha, data, len);
  }
}

static void
test_upload_chunked (void)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  gsize len = 3 * MIB + 123, chunk = MIB;
  g_autofree guint8 *data = random_bytes (2, len);
  g_autofree char *sha = sha256_of (data, len);
  gboolean complete = TRUE;

  for (gsize start = 0; start < len; start += chunk)
    {
      gsize n = MIN (chunk, len - start);
      g_autoptr(LkTestReply) reply = put_chunk (bearer, sha, data, start, n, len);

      if (start + n < len)
        {
          g_assert_cmpuint (reply->status, ==, 202);
          g_assert_cmpint (progress_of (reply, &complete), ==, (gint64) (start + n));
          g_assert_false (complete);
          g_assert_cmpint (upload_status (bearer, sha, &complete), ==, (gint64) (start + n));
          g_assert_false (complete);
          /* Not served before it is complete. */
          g_assert_cmpuint (blob_get_status (bearer, sha), ==, 404);
        }
      else
        {
          g_assert_cmpuint (reply->status, ==, 201);
          g_assert_cmpint (progress_of (reply, &complete), ==, (gint64) len);
          g_assert_true (complete);
        }
    }
  assert_blob (bearer, sha, data, len);

  /* A chunked upload of a stored blob ends in 200. */
  {
    g_autoptr(LkTestReply) first = put_chunk (bearer, sha, data, 0, 2 * MIB, len);
    g_autoptr(LkTestReply) rest = put_chunk (bearer, sha, data, 2 * MIB, len - 2 * MIB, len);

    g_assert_cmpuint (first->status, ==, 202);
    g_assert_cmpuint (rest->status, ==, 200);
  }
}

static void
test_upload_resume (void)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas-kota", LK_TEST_DEMO_PASSWORD);
  gsize len = 300000;
  g_autofree guint8 *data = random_bytes (3, len);
  g_autofree char *sha = sha256_of (data, len);
  gint64 received;

  {
    g_autoptr(LkTestReply) reply = put_chunk (bearer, sha, data, 0, 100000, len);

    g_assert_cmpuint (reply->status, ==, 202);
  }

  /* The second chunk was "lost": the client sends the third. */
  {
    g_autoptr(LkTestReply) reply = put_chunk (bearer, sha, data, 200000, 100000, len);
    g_autoptr(JsonNode) root = NULL;

    lk_test_assert_error (reply, 409, "conflict");
    root = lk_test_reply_json (reply);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "received"), ==, 100000);
  }

  /* It asks where the upload stands and goes on from there. */
  received = upload_status (bearer, sha, NULL);
  g_assert_cmpint (received, ==, 100000);
  {
    g_autoptr(LkTestReply) second = put_chunk (bearer, sha, data, received, 150000, len);
    g_autoptr(LkTestReply) last = put_chunk (bearer, sha, data, received + 150000, len - received - 150000, len);

    g_assert_cmpuint (second->status, ==, 202);
    g_assert_cmpuint (last->status, ==, 201);
  }
  assert_blob (bearer, sha, data, len);
}

/* LK_SERVER_MAX_OPEN_UPLOADS: docs/api-v1.md, "Blobs". */
#define MAX_OPEN_UPLOADS 8

/* At most MAX_OPEN_UPLOADS unfinished uploads per user: the next beginning
 * is refused and nothing of it kept; finishing one makes room. */
static void
test_upload_open_limit (void)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "admin", LK_TEST_DEMO_PASSWORD);
  g_autofree char *other = lk_test_sign_in (server->url, "pejabat", LK_TEST_DEMO_PASSWORD);
  guint8 *data[MAX_OPEN_UPLOADS + 2] = { NULL, };
  char *sha[MAX_OPEN_UPLOADS + 2] = { NULL, };
  const gsize len = 2000;
  const guint extra = MAX_OPEN_UPLOADS;

  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      data[i] = random_bytes (100 + i, len);
      sha[i] = sha256_of (data[i], len);
    }

  for (guint i = 0; i < MAX_OPEN_UPLOADS; i++)
    {
      g_autoptr(LkTestReply) reply = put_chunk (bearer, sha[i], data[i], 0, len / 2, len);

      g_assert_cmpuint (reply->status, ==, 202);
    }
  {
    g_autoptr(LkTestReply) reply = put_chunk (bearer, sha[extra], data[extra], 0, len / 2, len);

    lk_test_assert_error (reply, 429, "throttled");
  }
  g_assert_cmpint (upload_status (bearer, sha[extra], NULL), ==, 0);

  /* Another user's uploads are theirs to count. */
  {
    g_autoptr(LkTestReply) reply = put_chunk (other, sha[extra + 1], data[extra + 1], 0, len / 2, len);

    g_assert_cmpuint (reply->status, ==, 202);
  }

  /* One finished: room for one more. */
  {
    g_autoptr(LkTestReply) last = put_chunk (bearer, sha[0], data[0], len / 2, len - len / 2, len);
    g_autoptr(LkTestReply) again = put_chunk (bearer, sha[extra], data[extra], 0, len / 2, len);

    g_assert_cmpuint (last->status, ==, 201);
    g_assert_cmpuint (again->status, ==, 202);
  }

  /* Finish them all, so later tests start from nothing. */
  for (guint i = 1; i <= extra + 1; i++)
    {
      g_autoptr(LkTestReply) reply = put_chunk (i == extra + 1 ? other : bearer, sha[i], data[i],
                                                len / 2, len - len / 2, len);

      g_assert_cmpuint (reply->status, ==, 201);
    }

  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      g_free (data[i]);
      g_free (sha[i]);
    }
}

static void
test_upload_wrong_offset (void)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "pemeriksa", LK_TEST_DEMO_PASSWORD);
  gsize len = 5000;
  g_autofree guint8 *data = random_bytes (4, len);
  g_autofree char *sha = sha256_of (data, len);

  {
    g_autoptr(LkTestReply) reply = put_chunk (bearer, sha, data, 10, 1000, len);
    g_autoptr(JsonNode) root = NULL;

    lk_test_assert_error (reply, 409, "conflict");
    root = lk_test_reply_json (reply);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "received"), ==, 0);
  }

  /* A chunk that restates a different total is refused too. */
  {
    g_autoptr(LkTestReply) first = put_chunk (bearer, sha, data, 0, 1000, len);
    g_autoptr(LkTestReply) other_total = put_chunk (bearer, sha, data, 1000, 1000, len + 1);

    g_assert_cmpuint (first->status, ==, 202);
    lk_test_assert_error (other_total, 409, "conflict");
  }
  g_assert_cmpint (upload_status (bearer, sha, NULL), ==, 1000);

  /* Content-Range that does not describe the body. */
  {
    const char *ranges[] = {
      "bytes 1000-1999/*", "bytes 1999-1000/5000", "items 1000-1999/5000",
      "bytes 1000-1998/5000", "bytes 1000-5000/5000", "bytes=1000-1999/5000", "garbage",
    };
    g_autofree char *path = g_strconcat ("/api/v1/blobs/", sha, NULL);

    for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
      {
        g_autoptr(LkTestReply) reply = lk_test_http (server->url, "PUT", path, bearer, data + 1000, 1000,
                                                     (const char *[]) { "Content-Range", ranges[i], NULL });

        g_test_message ("Content-Range: %s", ranges[i]);
        lk_test_assert_error (reply, 400, "bad_request");
      }
  }
  g_assert_cmpint (upload_status (bearer, sha, NULL), ==, 1000);
}

static void
test_upload_mismatch (void)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  gsize len = 200000;
  g_autofree guint8 *data = random_bytes (5, len);
  g_autofree guint8 *other = random_bytes (6, len);
  g_autofree char *sha = sha256_of (other, len);
  gboolean complete = TRUE;

  {
    g_autoptr(LkTestReply) first = put_chunk (bearer, sha, data, 0, 100000, len);
    g_autoptr(LkTestReply) last = put_chunk (bearer, sha, data, 100000, 100000, len);

    g_assert_cmpuint (first->status, ==, 202);
    lk_test_assert_error (last, 400, "bad_request");
  }
  /* The partial upload is gone and nothing is stored. */
  g_assert_cmpint (upload_status (bearer, sha, &complete), ==, 0);
  g_assert_false (complete);
  g_assert_cmpuint (blob_get_status (bearer, sha), ==, 404);

  {
    g_autoptr(LkTestReply) whole = put_whole (bearer, sha, data, len);

    lk_test_assert_error (whole, 400, "bad_request");
  }
  g_assert_cmpint (upload_status (bearer, sha, &complete), ==, 0);
  g_assert_false (complete);
  g_assert_cmpuint (blob_get_status (bearer, sha), ==, 404);

  /* The right bytes still go in afterwards. */
  {
    g_autoptr(LkTestReply) right = put_whole (bearer, sha, other, len);

    g_assert_cmpuint (right->status, ==, 201);
  }
}

static void
test_upload_too_large (void)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autofree guint8 *data = random_bytes (7, 1000);
  g_autofree char *sha = sha256_of (data, 1000);

  /* Declared larger than 64 MiB. */
  {
    g_autoptr(LkTestReply) reply = put_chunk (bearer, sha, data, 0, 1000, 64 * MIB + 1);

    lk_test_assert_error (reply, 413, "too_large");
  }
  g_assert_cmpint (upload_status (bearer, sha, NULL), ==, 0);

  /* A chunk larger than 4 MiB. */
  {
    gsize len = 4 * MIB + 1;
    g_autofree guint8 *big = g_malloc0 (len);
    g_autofree char *big_sha = sha256_of (big, len);
    g_autoptr(LkTestReply) reply = put_whole (bearer, big_sha, big, len);

    lk_test_assert_error (reply, 413, "too_large");
    g_assert_cmpint (upload_status (bearer, big_sha, NULL), ==, 0);
  }
}

static void
test_upload_bad_names (void)
{
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autofree char *sha = sha256_of ("x", 1);
  g_autofree char *upper = g_ascii_strup (sha, -1);
  g_autofree char *short_name = g_strndup (sha, 63);
  g_autofree char *long_name = g_strconcat (sha, "0", NULL);
  g_autofree char *nul = g_strconcat (sha, "%00", NULL);
  g_autofree char *sub = g_strconcat (sha, "/x", NULL);
  g_autofree char *non_hex = g_strconcat ("g", sha + 1, NULL);
  const char *names[] = {
    "%2e%2e%2f%2e%2e%2fusers", "..%2F..%2Fhealth", upper, short_name, long_name,
    nul, sub, non_hex, "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *blob = g_strconcat ("/api/v1/blobs/", names[i], NULL);
      g_autofree char *upload = g_strconcat ("/api/v1/uploads/", names[i], NULL);
      g_autoptr(LkTestReply) put = lk_test_http (server->url, "PUT", blob, bearer, "x", 1, NULL);
      g_autoptr(LkTestReply) get = http ("GET", blob, bearer, NULL);
      g_autoptr(LkTestReply) status = http ("GET", upload, bearer, NULL);

      g_test_message ("name “%s”", names[i]);
      assert_status_400 (put);
      assert_status_400 (get);
      assert_status_400 (status);
    }

  /* An encoded dot segment is a dot segment (RFC 3986 normalization): it
   * leaves the blobs for no endpoint at all. */
  {
    g_autoptr(LkTestReply) put = lk_test_http (server->url, "PUT", "/api/v1/blobs/%2E%2E", bearer, "x", 1,
                                               NULL);

    lk_test_assert_error (put, 404, "not_found");
  }

  /* Nothing was stored under the real name either. */
  g_assert_cmpuint (blob_get_status (bearer, sha), ==, 404);
}

/* 3. Certificates */

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* The SHA-256 of the DER inside a one-certificate PEM file. */
static char *
pem_fingerprint (const char *pem)
{
  const char *begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
  const char *end = strstr (pem, "-----END CERTIFICATE-----");
  g_autofree char *b64 = NULL;
  g_autofree guchar *der = NULL;
  gsize der_len;

  g_assert_nonnull (begin);
  g_assert_nonnull (end);
  begin += strlen ("-----BEGIN CERTIFICATE-----");
  b64 = g_strndup (begin, end - begin);
  der = g_base64_decode (b64, &der_len);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, der_len);
}

/* A certificate made with certtool from TEMPLATE, signed by CA_PEM/CA_KEY
 * (or self-signed when they are NULL), in work_dir/NAME.pem. */
static char *
make_cert (const char *name,
           const char *template,
           const char *ca_pem,
           const char *ca_key,
           gboolean    rsa)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_build_filename (work_dir, rsa ? "cert-test-rsa.key" : "cert-test.key", NULL);
  g_autofree char *tmpl_name = g_strconcat (name, ".tmpl", NULL);
  g_autofree char *tmpl = g_build_filename (work_dir, tmpl_name, NULL);
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  char *pem = g_build_filename (work_dir, pem_name, NULL);

  if (!g_file_test (key, G_FILE_TEST_EXISTS))
    {
      const char *keygen[] = {
        "certtool", "--generate-privkey", rsa ? "--key-type=rsa" : "--key-type=ecdsa",
        "--outfile", key, rsa ? "--bits=2048" : NULL, NULL
      };

      lk_test_run (keygen, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  g_file_set_contents (tmpl, template, -1, &error);
  g_assert_no_error (error);
  if (ca_pem == NULL)
    {
      const char *argv[] = {
        "certtool", "--generate-self-signed", "--load-privkey", key, "--template", tmpl,
        "--outfile", pem, NULL
      };

      lk_test_run (argv, NULL, NULL, &error);
    }
  else
    {
      const char *argv[] = {
        "certtool", "--generate-certificate", "--load-privkey", key,
        "--load-ca-certificate", ca_pem, "--load-ca-privkey", ca_key,
        "--template", tmpl, "--outfile", pem, NULL
      };

      lk_test_run (argv, NULL, NULL, &error);
    }
  g_assert_no_error (error);

  return pem;
}

static LkTestReply *
register_cert (const char *bearer,
               const char *username,
               const char *pem_text)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%s/certificates", username);
  g_autofree char *body = pem_body (pem_text);

  return http ("POST", path, bearer, body);
}

static JsonArray *
list_certs (const char *bearer,
            const char *username)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%s/certificates", username);
  g_autoptr(LkTestReply) reply = http ("GET", path, bearer, NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (reply->status, ==, 200);
  root = lk_test_reply_json (reply);
  return json_array_ref (json_object_get_array_member (json_node_get_object (root), "certificates"));
}

/* Refused with 400 and a message that contains REASON. */
static void
assert_refused_cert (const char *admin,
                     const char *username,
                     const char *pem_path_or_text,
                     gboolean    is_path,
                     const char *why,
                     const char *reason)
{
  g_autofree char *text = is_path ? read_text (pem_path_or_text) : g_strdup (pem_path_or_text);
  g_autoptr(LkTestReply) reply = register_cert (admin, username, text);
  g_autoptr(JsonNode) root = NULL;
  const char *message;

  g_test_message ("refused: %s", why);
  lk_test_assert_error (reply, 400, "bad_request");
  root = lk_test_reply_json (reply);
  message = json_object_get_string_member (json_object_get_object_member (json_node_get_object (root),
                                                                          "error"), "message");
  if (strstr (message, reason) == NULL)
    g_error ("%s: “%s” does not say “%s”", why, message, reason);
}

static void
test_certificates (void)
{
  g_autofree char *admin = lk_test_sign_in (server->url, "admin", LK_TEST_DEMO_PASSWORD);
  g_autofree char *signer = lk_test_sign_in (server->url, "pejabat", LK_TEST_DEMO_PASSWORD);
  g_autofree char *rsa = read_text (token->rsa_cert_pem);
  g_autofree char *rsa_fp = pem_fingerprint (rsa);
  g_autofree char *other_dir = g_build_filename (work_dir, "other-ca", NULL);
  g_autofree char *other_ca = NULL, *other_key = NULL, *other_cert = NULL;
  g_autofree char *self_signed = NULL, *expired = NULL, *encipher = NULL, *future = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) certs = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Registered, then registered again. */
  {
    g_autoptr(LkTestReply) reply = register_cert (admin, "pejabat", rsa);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *o;

    g_assert_cmpuint (reply->status, ==, 201);
    root = lk_test_reply_json (reply);
    o = json_node_get_object (root);
    g_assert_cmpstr (json_object_get_string_member (o, "fingerprint"), ==, rsa_fp);
    g_assert_nonnull (strstr (json_object_get_string_member (o, "subject"), "CN=Loket RSA Signer"));
    g_assert_cmpint (json_object_get_int_member (o, "not_after"), >, now);
  }
  {
    g_autoptr(LkTestReply) reply = register_cert (admin, "pejabat", rsa);
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (reply->status, ==, 200);
    root = lk_test_reply_json (reply);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "fingerprint"), ==, rsa_fp);
  }

  /* The signer sees their own; a non-admin may not register. */
  certs = list_certs (signer, "pejabat");
  g_assert_cmpuint (json_array_get_length (certs), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (certs, 0), "fingerprint"),
                   ==, rsa_fp);
  {
    g_autoptr(LkTestReply) reply = register_cert (signer, "pejabat", rsa);

    lk_test_assert_error (reply, 403, "forbidden");
  }

  /* Only for signers; only for users that exist; one owner per certificate. */
  assert_refused_cert (admin, "petugas", rsa, FALSE, "an officer", "signer role");
  {
    g_autoptr(LkTestReply) reply = register_cert (admin, "nobody", rsa);

    lk_test_assert_error (reply, 404, "not_found");
  }
  {
    g_autofree char *body = new_user_body ("signer-two", "Second Signer", "signer", NULL, "signer-two-pw");
    g_autoptr(LkTestReply) created = http ("POST", "/api/v1/users", admin, body);
    g_autoptr(LkTestReply) reply = NULL;

    g_assert_cmpuint (created->status, ==, 201);
    reply = register_cert (admin, "signer-two", rsa);
    lk_test_assert_error (reply, 409, "conflict");
  }

  /* Certificates that must not sign. */
  lk_test_tsa_make_pki (work_dir, &other_ca, &other_key, &error);
  g_assert_no_error (error);
  other_cert = g_build_filename (work_dir, "tsa.pem", NULL);
  self_signed = make_cert ("self-signed", "cn = \"Self Signed\"\nserial = 7\nsigning_key\n"
                           "expiration_days = 30\n", NULL, NULL, FALSE);
  expired = make_cert ("expired", "cn = \"Expired Signer\"\nserial = 8\nsigning_key\n"
                       "activation_date = \"2020-01-01 00:00:00\"\n"
                       "expiration_date = \"2021-01-01 00:00:00\"\n",
                       token->ca_pem, token->ca_key, FALSE);
  future = make_cert ("future", "cn = \"Future Signer\"\nserial = 9\nsigning_key\n"
                      "activation_date = \"2999-01-01 00:00:00\"\n"
                      "expiration_date = \"2999-12-31 00:00:00\"\n",
                      token->ca_pem, token->ca_key, FALSE);
  /* An RSA key: certtool gives an EC key digitalSignature even here. */
  encipher = make_cert ("encipher", "cn = \"Encryption Only\"\nserial = 10\nencryption_key\n"
                        "expiration_days = 30\n", token->ca_pem, token->ca_key, TRUE);

  assert_refused_cert (admin, "pejabat", self_signed, TRUE, "self-signed", "trust anchor");
  assert_refused_cert (admin, "pejabat", other_cert, TRUE, "another CA", "trust anchor");
  assert_refused_cert (admin, "pejabat", expired, TRUE, "expired", "expired");
  assert_refused_cert (admin, "pejabat", future, TRUE, "not valid yet", "not valid yet");
  assert_refused_cert (admin, "pejabat", encipher, TRUE, "no signing key usage", "key usage");
  assert_refused_cert (admin, "pejabat", token->ca_pem, TRUE, "the CA itself (keyCertSign only)", "key usage");
  {
    g_autofree char *ec = read_text (token->ec_cert_pem);
    g_autofree char *two = g_strconcat (rsa, ec, NULL);

    assert_refused_cert (admin, "pejabat", two, FALSE, "two certificates", "exactly one");
  }
  assert_refused_cert (admin, "pejabat", "hello", FALSE, "not PEM", "exactly one");
  assert_refused_cert (admin, "pejabat", "", FALSE, "empty", "exactly one");

  /* None of those was stored. */
  g_clear_pointer (&certs, json_array_unref);
  certs = list_certs (admin, "pejabat");
  g_assert_cmpuint (json_array_get_length (certs), ==, 1);

  /* loketctl, as an administrator would run it. */
  {
    g_autofree char *env_password = g_strconcat ("LOKET_PASSWORD=", LK_TEST_DEMO_PASSWORD, NULL);
    const char *env[] = { env_password, NULL };
    const char *ctl = g_getenv ("LOKET_CTL_BIN");
    const char *reg[] = {
      ctl, "admin", "register-cert", "--server", server->url, "--user", "admin",
      "pejabat", token->ec_cert_pem, NULL
    };
    const char *users[] = { ctl, "admin", "users", "--server", server->url, "--user", "admin", NULL };
    g_autofree char *ec = read_text (token->ec_cert_pem);
    g_autofree char *ec_fp = pem_fingerprint (ec);
    g_autofree char *out = NULL;
    g_autofree char *listing = NULL;
    g_auto(GStrv) lines = NULL;
    gboolean found = FALSE;

    g_assert_nonnull (ctl);
    lk_test_run (reg, env, &out, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (out, ec_fp));

    lk_test_run (users, env, &listing, &error);
    g_assert_no_error (error);
    lines = g_strsplit (listing, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "pejabat\tsigner\t"))
        {
          found = TRUE;
          g_assert_nonnull (strstr (lines[i], ec_fp));
          g_assert_nonnull (strstr (lines[i], rsa_fp));
        }
    g_assert_true (found);
  }
}

/* A server without --trust registers nothing, and says why. */
static void
test_certificates_no_trust (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (work_dir, "no-trust", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *rsa = read_text (token->rsa_cert_pem);
  g_autoptr(LkTestServer) bare = NULL;
  LkTestServer *saved = server;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  bare = lk_test_server_start (db, 0, 1, &error);
  g_assert_no_error (error);

  server = bare;
  {
    g_autofree char *admin = lk_test_sign_in (server->url, "admin", LK_TEST_DEMO_PASSWORD);
    g_autoptr(LkTestReply) reply = register_cert (admin, "pejabat", rsa);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *err;

    lk_test_assert_error (reply, 400, "bad_request");
    root = lk_test_reply_json (reply);
    err = json_object_get_object_member (json_node_get_object (root), "error");
    g_assert_nonnull (strstr (json_object_get_string_member (err, "message"), "--trust"));
  }
  server = saved;

  g_assert_true (lk_test_server_stop (bare, FALSE));

  /* And a --trust file without a certificate stops the server. */
  {
    g_autofree char *empty = g_build_filename (dir, "empty.pem", NULL);
    const char *args[] = { "--trust", empty, NULL };
    g_autoptr(LkTestServer) refused = NULL;

    g_file_set_contents (empty, "nothing to trust\n", -1, &error);
    g_assert_no_error (error);
    refused = lk_test_server_start_full (db, 0, 0, args, &error);
    g_assert_null (refused);
    g_assert_nonnull (error);
  }
}

/* 4. Password change */

static guint
changes_status (const char *bearer)
{
  g_autoptr(LkTestReply) reply = http ("GET", "/api/v1/changes?limit=1", bearer, NULL);

  return reply->status;
}

static void
test_password_change (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *admin = lk_test_sign_in (server->url, "admin", LK_TEST_DEMO_PASSWORD);
  g_autofree char *body = new_user_body ("pw-user", "Password User", "officer", NULL, "first-password-1");
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  {
    g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/users", admin, body);

    g_assert_cmpuint (reply->status, ==, 201);
  }
  a = lk_test_sign_in (server->url, "pw-user", "first-password-1");
  b = lk_test_sign_in (server->url, "pw-user", "first-password-1");

  /* A wrong current password. */
  {
    g_autofree char *wrong = password_body ("not-the-password", "second-password-2");
    g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/session/password", a, wrong);

    lk_test_assert_error (reply, 403, "auth_failed");
  }
  /* New passwords that are not allowed. */
  {
    g_autofree char *too_short = password_body ("first-password-1", "123456789");
    g_autofree char *long_pw = g_strnfill (257, 'x');
    g_autofree char *too_long = password_body ("first-password-1", long_pw);
    g_autofree char *same = password_body ("first-password-1", "first-password-1");
    const char *bodies[] = {
      too_short, too_long, same, "{\"old_password\": \"first-password-1\"}",
      "{\"old_password\": \"first-password-1\", \"new_password\": 1234567890123}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/session/password", a, bodies[i]);

        lk_test_assert_error (reply, 400, "bad_request");
      }
  }
  /* Nothing changed so far. */
  g_assert_cmpuint (changes_status (b), ==, 200);

  /* The change: this session stays, the other ends. */
  {
    g_autofree char *change = password_body ("first-password-1", "second-password-2");
    g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/session/password", a, change);

    g_assert_cmpuint (reply->status, ==, 204);
  }
  g_assert_cmpuint (changes_status (a), ==, 200);
  {
    g_autoptr(LkTestReply) reply = http ("GET", "/api/v1/changes?limit=1", b, NULL);

    lk_test_assert_error (reply, 401, "session_expired");
  }
  {
    g_autoptr(LkTestReply) old = lk_test_post_session (server->url, "pw-user", "first-password-1");

    lk_test_assert_error (old, 401, "auth_failed");
  }
  g_free (b);
  b = lk_test_sign_in (server->url, "pw-user", "second-password-2");

  /* loketctl password, as a process. */
  {
    g_autofree char *file = g_build_filename (work_dir, "new-password", NULL);
    const char *env[] = { "LOKET_PASSWORD=second-password-2", NULL };
    const char *argv[] = {
      g_getenv ("LOKET_CTL_BIN"), "password", "--server", server->url, "--user", "pw-user",
      "--new-password-file", file, NULL
    };

    g_file_set_contents (file, "third-password-3\n", -1, &error);
    g_assert_no_error (error);
    lk_test_run (argv, env, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (changes_status (a), ==, 401);
  g_assert_cmpuint (changes_status (b), ==, 401);
  c = lk_test_sign_in (server->url, "pw-user", "third-password-3");

  /* An admin's edit: the display name keeps the sessions, the role ends them. */
  {
    g_autoptr(LkTestReply) rename = http ("PUT", "/api/v1/users/pw-user", admin,
                                    "{\"display_name\": \"Renamed User\"}");
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (rename->status, ==, 200);
    root = lk_test_reply_json (rename);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "display_name"),
                     ==, "Renamed User");
    g_assert_cmpuint (changes_status (c), ==, 200);
  }
  {
    g_autoptr(LkTestReply) role = http ("PUT", "/api/v1/users/pw-user", admin, "{\"role\": \"inspector\"}");
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (role->status, ==, 200);
    root = lk_test_reply_json (role);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "role"), ==, "inspector");
    g_assert_cmpuint (changes_status (c), ==, 401);
  }
  /* A new password set by the admin. */
  {
    g_autoptr(LkTestReply) reset = http ("PUT", "/api/v1/users/pw-user", admin,
                                   "{\"password\": \"admin-set-password\"}");
    g_autofree char *d = NULL;

    g_assert_cmpuint (reset->status, ==, 200);
    d = lk_test_sign_in (server->url, "pw-user", "admin-set-password");
    g_assert_nonnull (d);
  }

  /* The last administrator stays one; unknown users and units are refused. */
  {
    g_autoptr(LkTestReply) demote = http ("PUT", "/api/v1/users/admin", admin, "{\"role\": \"officer\"}");
    g_autoptr(LkTestReply) unknown = http ("PUT", "/api/v1/users/nobody", admin, "{\"display_name\": \"X\"}");
    g_autoptr(LkTestReply) bad_unit = http ("PUT", "/api/v1/users/pw-user", admin, "{\"units\": [\"no-such-unit\"]}");
    g_autoptr(LkTestReply) again = http ("POST", "/api/v1/users", admin, body);

    lk_test_assert_error (demote, 409, "conflict");
    lk_test_assert_error (unknown, 404, "not_found");
    lk_test_assert_error (bad_unit, 400, "bad_request");
    lk_test_assert_error (again, 409, "conflict");
    g_assert_cmpuint (changes_status (admin), ==, 200);
  }
}

/* loketctl admin add-user, and its usage errors */

static int
run_status (const char * const *argv,
            const char         *password)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "LOKET_PASSWORD", password, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

static void
test_cli_add_user (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *admin = lk_test_sign_in (server->url, "admin", LK_TEST_DEMO_PASSWORD);
  g_autofree char *file = g_build_filename (work_dir, "cli-user-password", NULL);
  g_autofree char *not_pem = g_build_filename (work_dir, "not-a-cert.pem", NULL);
  g_autoptr(LkTestReply) list = http ("GET", "/api/v1/users", admin, NULL);
  g_autoptr(JsonNode) root = lk_test_reply_json (list);
  JsonObject *local = find_user (root, "petugas-kota");
  const char *kota = json_array_get_string_element (json_object_get_array_member (local, "units"), 0);
  const char *ctl = g_getenv ("LOKET_CTL_BIN");
  const char *add[] = {
    ctl, "admin", "add-user", "--server", server->url, "--user", "admin", "--role", "signer",
    "--unit", kota, "--display-name", "Pejabat Kota", "--new-password-file", file, "cli-signer", NULL
  };
  const char *env[] = { "LOKET_PASSWORD=" LK_TEST_DEMO_PASSWORD, NULL };

  g_file_set_contents (file, "cli-signer-password\n", -1, &error);
  g_assert_no_error (error);
  lk_test_run (add, env, NULL, &error);
  g_assert_no_error (error);

  {
    g_autoptr(LkTestReply) reply = lk_test_post_session (server->url, "cli-signer", "cli-signer-password");
    g_autoptr(JsonNode) session = NULL;
    JsonObject *user;

    g_assert_cmpuint (reply->status, ==, 200);
    session = lk_test_reply_json (reply);
    user = json_object_get_object_member (json_node_get_object (session), "user");
    g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "signer");
    g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "Pejabat Kota");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (user, "units")), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (user, "units"), 0),
                     ==, kota);
  }

  /* The same name again: the server's refusal, exit 1. */
  g_assert_cmpint (run_status (add, LK_TEST_DEMO_PASSWORD), ==, 1);

  /* Usage errors: exit 2, before anything is sent. */
  {
    const char *no_file[] = {
      ctl, "password", "--server", server->url, "--user", "petugas", NULL
    };
    const char *bad_role[] = {
      ctl, "admin", "add-user", "--server", server->url, "--user", "admin", "--role", "root",
      "--unit", kota, "--new-password-file", file, "someone", NULL
    };
    const char *no_user[] = { ctl, "admin", "users", "--server", server->url, NULL };

    g_assert_cmpint (run_status (no_file, LK_TEST_DEMO_PASSWORD), ==, 2);
    g_assert_cmpint (run_status (bad_role, LK_TEST_DEMO_PASSWORD), ==, 2);
    g_assert_cmpint (run_status (no_user, LK_TEST_DEMO_PASSWORD), ==, 2);
  }

  /* Not a certificate, or not an administrator: exit 1. */
  {
    const char *reg[] = {
      ctl, "admin", "register-cert", "--server", server->url, "--user", "admin",
      "pejabat", not_pem, NULL
    };
    const char *users_as_officer[] = {
      ctl, "admin", "users", "--server", server->url, "--user", "petugas", NULL
    };

    g_file_set_contents (not_pem, "hello\n", -1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (run_status (reg, LK_TEST_DEMO_PASSWORD), ==, 1);
    g_assert_cmpint (run_status (users_as_officer, LK_TEST_DEMO_PASSWORD), ==, 1);
  }
}

/* 5. Hostile input */

static char *
deep_json (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "{\"a\":");
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '}');

  return g_string_free (s, FALSE);
}

static void
test_hostile (void)
{
  g_autofree char *admin = lk_test_sign_in (server->url, "admin", LK_TEST_DEMO_PASSWORD);
  g_autofree char *before = users_snapshot (admin);
  g_autofree char *after = NULL;
  g_autofree char *deep = deep_json (1000);
  g_autofree char *deep_array = g_strnfill (1000, '[');
  g_autofree char *long_name = g_strnfill (65, 'a');
  g_autofree char *long_text = g_strnfill (5000, 'a');
  g_autofree char *sql_name = new_user_body ("x'; DROP TABLE users;--", NULL, "officer", NULL, "long-enough-pw");
  g_autofree char *upper = new_user_body ("Petugas2", NULL, "officer", NULL, "long-enough-pw");
  g_autofree char *too_long = new_user_body (long_name, NULL, "officer", NULL, "long-enough-pw");
  g_autofree char *dots = new_user_body ("..", NULL, "officer", NULL, "long-enough-pw");
  g_autofree char *short_pw = new_user_body ("hostile-1", NULL, "officer", NULL, "short");
  g_autofree char *bad_role = new_user_body ("hostile-2", NULL, "root", NULL, "long-enough-pw");
  g_autofree char *bad_unit = new_user_body ("hostile-3", NULL, "officer", "' OR 1=1 --", "long-enough-pw");
  g_autofree char *big_display = new_user_body ("hostile-4", long_text, "officer", NULL, "long-enough-pw");
  g_autofree char *newline = new_user_body ("hostile-5", "two\nlines", "officer", NULL, "long-enough-pw");
  g_autoptr(GString) many_units = g_string_new ("{\"username\":\"hostile-6\",\"role\":\"officer\","
                                                "\"password\":\"long-enough-pw\",\"units\":[");
  g_autofree char *oversized = NULL;
  const char *create_bodies[] = {
    "not json", "", "[1, 2, 3]", "\"a string\"", "{\"username\": ", "{\"username\": \"a\xff\xfe\"}",
    "{\"username\": 5, \"role\": \"officer\", \"units\": [], \"password\": \"long-enough-pw\"}",
    "{\"username\": \"hostile-7\", \"role\": [\"admin\"], \"units\": [], \"password\": \"long-enough-pw\"}",
    "{\"username\": \"hostile-8\", \"role\": \"officer\", \"units\": \"all\", \"password\": \"long-enough-pw\"}",
    "{\"username\": \"hostile-9\", \"role\": \"officer\", \"units\": [1], \"password\": \"long-enough-pw\"}",
    "{\"username\": \"hostile-10\", \"role\": \"officer\", \"units\": [], \"password\": null}",
    "{\"username\": \"hostile-11\", \"role\": \"officer\", \"units\": []}",
    deep, deep_array, sql_name, upper, too_long, dots, short_pw, bad_role, bad_unit, big_display,
    newline, NULL,
  };
  const char *put_bodies[] = {
    "not json", "[]", deep, "{\"role\": 1}", "{\"display_name\": {}}", "{\"units\": {\"a\": 1}}",
    "{\"role\": \"superuser\"}", "{\"password\": \"short\"}", "{\"display_name\": \"\"}",
  };
  const char *cert_bodies[] = {
    "not json", deep, "{\"pem\": 5}", "{\"pem\": [\"-----BEGIN CERTIFICATE-----\"]}", "{}",
  };
  const char *password_bodies[] = {
    "not json", deep, "{\"old_password\": 1, \"new_password\": \"long-enough-pw\"}",
    "{\"old_password\": \"loket-demo\", \"new_password\": [1]}",
  };
  const char *bad_paths[] = {
    "/api/v1/users/a'b", "/api/v1/users/%27%3B%20DROP%20TABLE%20users", "/api/v1/users/ADMIN",
    "/api/v1/users/x%00y",
  };

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (many_units, "%s\"unit-%u\"", i > 0 ? "," : "", i);
  g_string_append (many_units, "]}");
  create_bodies[G_N_ELEMENTS (create_bodies) - 1] = many_units->str;

  for (guint i = 0; i < G_N_ELEMENTS (create_bodies); i++)
    {
      g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/users", admin, create_bodies[i]);

      g_test_message ("POST /users body %u", i);
      lk_test_assert_error (reply, 400, "bad_request");
    }
  for (guint i = 0; i < G_N_ELEMENTS (put_bodies); i++)
    {
      g_autoptr(LkTestReply) reply = http ("PUT", "/api/v1/users/petugas", admin, put_bodies[i]);

      g_test_message ("PUT /users/petugas body %u", i);
      lk_test_assert_error (reply, 400, "bad_request");
    }
  for (guint i = 0; i < G_N_ELEMENTS (cert_bodies); i++)
    {
      g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/users/pejabat/certificates", admin, cert_bodies[i]);

      g_test_message ("POST certificates body %u", i);
      lk_test_assert_error (reply, 400, "bad_request");
    }
  for (guint i = 0; i < G_N_ELEMENTS (password_bodies); i++)
    {
      g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/session/password", admin, password_bodies[i]);

      g_test_message ("POST /session/password body %u", i);
      lk_test_assert_error (reply, 400, "bad_request");
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      g_autoptr(LkTestReply) put = http ("PUT", bad_paths[i], admin, "{\"display_name\": \"X\"}");
      g_autofree char *certs = g_strconcat (bad_paths[i], "/certificates", NULL);
      g_autoptr(LkTestReply) get = http ("GET", certs, admin, NULL);

      g_test_message ("path %s", bad_paths[i]);
      assert_status_400 (put);
      assert_status_400 (get);
    }

  /* A PEM over 16 KiB; bodies over 64 KiB. */
  {
    g_autoptr(GString) pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");
    g_autofree char *body = NULL;
    g_autoptr(LkTestReply) reply = NULL;

    while (pem->len < 17 * 1024)
      g_string_append (pem, "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n");
    g_string_append (pem, "-----END CERTIFICATE-----\n");
    body = pem_body (pem->str);
    reply = http ("POST", "/api/v1/users/pejabat/certificates", admin, body);
    lk_test_assert_error (reply, 400, "bad_request");
  }
  {
    gsize len = 65 * 1024;
    const char *paths[][2] = {
      { "POST", "/api/v1/users" }, { "PUT", "/api/v1/users/petugas" },
      { "POST", "/api/v1/users/pejabat/certificates" }, { "POST", "/api/v1/session/password" },
    };

    oversized = g_malloc (len);
    memset (oversized, ' ', len);
    memcpy (oversized, "{\"display_name\": \"", 18);
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(LkTestReply) reply = lk_test_http (server->url, paths[i][0], paths[i][1], admin, oversized,
                                                     len, NULL);

        g_test_message ("%s %s oversized", paths[i][0], paths[i][1]);
        lk_test_assert_error (reply, 413, "too_large");
      }
  }

  /* None of it changed a user, and the server still answers. */
  after = users_snapshot (admin);
  g_assert_cmpstr (before, ==, after);

  /* Quotes and semicolons in text are only text. */
  {
    const char *display = "Robert'); DROP TABLE users;-- \"x\" \\ %s";
    g_autofree char *body = new_user_body ("o.brien_x-1", display, "officer", NULL, "long-enough-pw");
    g_autoptr(LkTestReply) reply = http ("POST", "/api/v1/users", admin, body);
    g_autoptr(LkTestReply) list = http ("GET", "/api/v1/users", admin, NULL);
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(JsonNode) before_root = json_from_string (before, NULL);
    guint n_before = json_array_get_length (json_object_get_array_member (json_node_get_object (before_root),
                                                                          "users"));
    JsonObject *user;

    g_assert_cmpuint (reply->status, ==, 201);
    root = lk_test_reply_json (list);
    user = find_user (root, "o.brien_x-1");
    g_assert_nonnull (user);
    g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, display);
    g_assert_nonnull (find_user (root, "petugas"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                                             "users")),
                      ==, n_before + 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  const char *args[3] = { "--trust", NULL, NULL };
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  work_dir = lk_test_make_tmpdir ("users");
  token = lk_test_token_new ("users", TRUE, &error);
  g_assert_no_error (error);

  db = g_build_filename (work_dir, "server.db", NULL);
  args[1] = token->ca_pem;
  server = lk_test_server_start_full (db, 0, SEED_CASES, args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/users/matrix", test_matrix);
  g_test_add_func ("/users/upload/whole", test_upload_whole);
  g_test_add_func ("/users/upload/chunked", test_upload_chunked);
  g_test_add_func ("/users/upload/resume", test_upload_resume);
  g_test_add_func ("/users/upload/wrong-offset", test_upload_wrong_offset);
  g_test_add_func ("/users/upload/open-limit", test_upload_open_limit);
  g_test_add_func ("/users/upload/mismatch", test_upload_mismatch);
  g_test_add_func ("/users/upload/too-large", test_upload_too_large);
  g_test_add_func ("/users/upload/bad-names", test_upload_bad_names);
  g_test_add_func ("/users/certificates/register", test_certificates);
  g_test_add_func ("/users/certificates/no-trust", test_certificates_no_trust);
  g_test_add_func ("/users/password", test_password_change);
  g_test_add_func ("/users/hostile", test_hostile);
  g_test_add_func ("/users/cli/add-user", test_cli_add_user);

  ret = g_test_run ();

  g_assert_true (lk_test_server_stop (server, FALSE));
  g_clear_pointer (&server, lk_test_server_free);
  g_clear_pointer (&token, lk_test_token_free);
  lk_test_token_cleanup ();
  lk_test_rm_rf (work_dir);
  g_free (work_dir);

  return ret;
}
