/* test-store.c — the SQLite store: migrations, refusal of foreign files,
 * the record codec, FTS search and the queue model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "store/lk-case-list.h"
#include "store/lk-store-private.h"
#include "lk-test-util.h"

typedef struct
{
  char    *dir;
  char    *path;
  LkStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GError *error = NULL;

  f->dir = lk_test_make_tmpdir ("store");
  f->path = g_build_filename (f->dir, "local.db", NULL);
  f->store = lk_store_open (f->path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

/* Worker threads drop their last reference to a GTask (and so to the
 * objects it holds) just after the result is handed to the main loop. */
static void
assert_finalize_soon (gpointer object)
{
  gpointer weak = object;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  g_assert_null (weak);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  assert_finalize_soon (f->store);
  lk_test_rm_rf (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static JsonObject *
make_case (const char *id,
           const char *receipt,
           const char *name,
           const char *nik,
           const char *state,
           gint64      created_at)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "receipt", receipt);
  json_object_set_string_member (o, "service_type", "st-skd");
  json_object_set_string_member (o, "unit", "unit-1");
  json_object_set_string_member (o, "state", state);
  json_object_set_string_member (o, "applicant_name", name);
  json_object_set_string_member (o, "nik", nik);
  json_object_set_string_member (o, "email", "warga@contoh.id");
  json_object_set_null_member (o, "phone");
  json_object_set_string_member (o, "address", "Jl. Tanjungpura No. 1");
  json_object_set_null_member (o, "business_name");
  json_object_set_null_member (o, "nib");
  json_object_set_int_member (o, "created_at", created_at);
  json_object_set_int_member (o, "updated_at", created_at);
  json_object_set_string_member (o, "sla_due", "2026-12-03");
  json_object_set_int_member (o, "version", 1);

  return o;
}

static void
upsert (LkStore    *store,
        const char *kind,
        JsonObject *record)
{
  GError *error = NULL;

  lk_store_upsert_json (store, kind, record, &error);
  g_assert_no_error (error);
  json_object_unref (record);
}

static void
seed_small (LkStore *store)
{
  JsonObject *st = json_object_new ();
  JsonArray *reqs = json_array_new ();
  JsonObject *c;
  GError *error = NULL;

  json_object_set_string_member (st, "id", "st-skd");
  json_object_set_string_member (st, "code", "SKD");
  json_object_set_string_member (st, "name", "Surat Keterangan Domisili");
  json_object_set_int_member (st, "sla_days", 3);
  json_object_set_string_member (st, "number_format", "470/{seq:04}/{unit}/{year}");
  json_object_set_boolean_member (st, "needs_business", FALSE);
  json_array_add_string_element (reqs, "KTP");
  json_array_add_string_element (reqs, "Kartu Keluarga");
  json_object_set_array_member (st, "requirements", reqs);
  json_object_set_int_member (st, "version", 1);

  g_assert_true (lk_store_begin (store, &error));
  upsert (store, LK_KIND_SERVICE_TYPE, st);
  upsert (store, LK_KIND_CASE, make_case ("c1", "SKD-20261101-000001", "Siti Rahmawati", "6171010101900001",
                                          "submitted", 100));
  upsert (store, LK_KIND_CASE, make_case ("c2", "SKD-20261102-000002", "Budi Santoso", "6171020202900002",
                                          "verifying", 200));
  c = make_case ("c3", "SKU-20261103-000003", "Dewi Lestari", "6171030303900003", "signed", 300);
  json_object_set_string_member (c, "business_name", "Warung Kopi Khatulistiwa");
  json_object_set_string_member (c, "nib", "1234567890123");
  json_object_set_null_member (c, "sla_due");
  upsert (store, LK_KIND_CASE, c);
  upsert (store, LK_KIND_CASE, make_case ("c4", "SKD-20261104-000004", "Ani Ayuningtyas", "6171040404900004",
                                          "signed", 400));
  g_assert_true (lk_store_commit (store, &error));
  g_assert_no_error (error);
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* ---- migrations and refusal ---- */

static void
test_migrations_fresh (Fixture       *f,
                       gconstpointer  data)
{
  GError *error = NULL;
  LkStore *again;

  g_assert_cmpint (lk_store_get_schema_version (f->store), ==, lk_store_schema_version ());
  g_assert_cmpint (lk_store_get_schema_version (f->store), >=, 1);
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_CASE), ==, 0);

  seed_small (f->store);

  /* Reopening keeps the data and the version. */
  again = lk_store_open (f->path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_store_count (again, LK_KIND_CASE), ==, 4);
  g_assert_cmpint (lk_store_get_schema_version (again), ==, lk_store_schema_version ());
  g_assert_finalize_object (again);
}

static void
test_refuse_newer_schema (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GError *error = NULL;
  LkStore *store;

  g_assert_true (lk_store_exec (f->store, "PRAGMA user_version = 999", &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);

  before = file_digest (f->path);
  store = lk_store_open (f->path, LK_STORE_KIND_CLIENT, &error);
  g_assert_null (store);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  after = file_digest (f->path);
  g_assert_cmpstr (before, ==, after);

  /* The fixture needs a store to finalize. */
  f->store = g_object_new (LK_TYPE_STORE, NULL);
}

static void
test_refuse_not_a_database (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "garbage.db", NULL);
  const char garbage[] = "This is not an SQLite file at all, just some text that is long enough. "
                         "This is not an SQLite file at all, just some text that is long enough.";
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GError *error = NULL;
  LkStore *store;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  before = file_digest (path);
  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_null (store);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  after = file_digest (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_refuse_wrong_kind (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *server_path = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *foreign_path = g_build_filename (f->dir, "foreign.db", NULL);
  GError *error = NULL;
  LkStore *store;
  sqlite3 *db;

  store = lk_store_open (server_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  store = lk_store_open (server_path, LK_STORE_KIND_CLIENT, &error);
  g_assert_null (store);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_WRONG_KIND);
  g_clear_error (&error);

  store = lk_store_open (f->path, LK_STORE_KIND_SERVER, &error);
  g_assert_null (store);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_WRONG_KIND);
  g_clear_error (&error);

  /* Another program's database with tables of its own. */
  g_assert_cmpint (sqlite3_open (foreign_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  store = lk_store_open (foreign_path, LK_STORE_KIND_CLIENT, &error);
  g_assert_null (store);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_WRONG_KIND);
  g_clear_error (&error);
}

/* ---- records ---- */

static void
test_record_roundtrip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) st = NULL;
  g_autoptr(JsonObject) c = NULL;
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(GPtrArray) types = NULL;
  GError *error = NULL;
  JsonArray *reqs;

  seed_small (f->store);

  st = lk_store_get_json (f->store, LK_KIND_SERVICE_TYPE, "st-skd", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (st, "code"), ==, "SKD");
  g_assert_false (json_object_get_boolean_member (st, "needs_business"));
  reqs = json_object_get_array_member (st, "requirements");
  g_assert_cmpuint (json_array_get_length (reqs), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (reqs, 1), ==, "Kartu Keluarga");

  c = lk_store_get_json (f->store, LK_KIND_CASE, "c3", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (c, "business_name"), ==, "Warung Kopi Khatulistiwa");
  g_assert_true (json_object_get_null_member (c, "sla_due"));
  g_assert_cmpint (json_object_get_int_member (c, "created_at"), ==, 300);

  kase = lk_store_get_case (f->store, "c3", &error);
  g_assert_no_error (error);
  g_assert_true (lk_case_is_complete (kase));
  g_assert_cmpint (lk_case_get_state (kase), ==, LK_CASE_STATE_SIGNED);
  g_assert_cmpstr (lk_case_get_service_code (kase), ==, "SKD");
  g_assert_cmpstr (lk_case_get_nib (kase), ==, "1234567890123");
  g_assert_null (lk_case_get_sla_due (kase));

  types = lk_store_list_service_types (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (types->len, ==, 1);
  g_assert_cmpstr (lk_service_type_get_requirements (g_ptr_array_index (types, 0))[0], ==, "KTP");

  g_assert_null (lk_store_get_json (f->store, LK_KIND_CASE, "nope", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An upsert replaces, it does not duplicate. */
  upsert (f->store, LK_KIND_CASE, make_case ("c1", "SKD-20261101-000001", "Siti Rahmawati Putri",
                                             "6171010101900001", "verifying", 100));
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_CASE), ==, 4);
}

/* A case's notes: the newest `limit`, oldest first, only that case's. */
static void
test_list_notes (Fixture       *f,
                 gconstpointer  data)
{
  const struct { const char *id; const char *case_id; gint64 at; const char *text; } notes[] = {
    { "n1", "c1", 100, "Pertama." },
    { "n2", "c1", 300, "Ketiga." },
    { "n3", "c1", 200, "Kedua <b>bukan markup</b>." },
    { "n4", "c2", 150, "Kasus lain." },
  };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  GError *error = NULL;

  seed_small (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      JsonObject *note = json_object_new ();

      json_object_set_string_member (note, "id", notes[i].id);
      json_object_set_string_member (note, "case_id", notes[i].case_id);
      json_object_set_string_member (note, "author", "petugas");
      json_object_set_int_member (note, "at", notes[i].at);
      json_object_set_string_member (note, "text", notes[i].text);
      json_object_set_int_member (note, "version", 1);
      upsert (f->store, LK_KIND_NOTE, note);
    }

  all = lk_store_list_notes (f->store, "c1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (all, 0), "id"), ==, "n1");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (all, 1), "text"), ==,
                   "Kedua <b>bukan markup</b>.");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (all, 2), "id"), ==, "n2");

  newest = lk_store_list_notes (f->store, "c1", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (newest, 0), "id"), ==, "n3");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (newest, 1), "id"), ==, "n2");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (newest, 1), "at"), ==, 300);
}

static void
test_record_validation (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *long_text = g_strnfill (LK_STORE_MAX_TEXT + 1, 'a');
  JsonObject *c;
  GError *error = NULL;
  struct { const char *member; const char *value; } bad[] = {
    { "state", "approved-ish" },
    { "sla_due", "2026-02-30" },
    { "sla_due", "yesterday" },
    { "id", "" },
    { "applicant_name", long_text },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      c = make_case ("cx", "R-1", "Nama", "6171", "submitted", 1);
      json_object_set_string_member (c, bad[i].member, bad[i].value);
      g_assert_false (lk_store_upsert_json (f->store, LK_KIND_CASE, c, &error));
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
      g_clear_error (&error);
      json_object_unref (c);
    }

  c = make_case ("cx", "R-1", "Nama", "6171", "submitted", 1);
  json_object_set_string_member (c, "created_at", "yesterday");
  g_assert_false (lk_store_upsert_json (f->store, LK_KIND_CASE, c, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  json_object_remove_member (c, "created_at");
  g_assert_false (lk_store_upsert_json (f->store, LK_KIND_CASE, c, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  json_object_unref (c);

  c = json_object_new ();
  json_object_set_string_member (c, "id", "d1");
  json_object_set_string_member (c, "case_id", "c1");
  json_object_set_string_member (c, "name", "KTP.pdf");
  json_object_set_string_member (c, "mime_type", "application/pdf");
  json_object_set_int_member (c, "size", 10);
  json_object_set_string_member (c, "sha256", "ABCDEF");
  json_object_set_int_member (c, "position", 0);
  json_object_set_int_member (c, "version", 1);
  g_assert_false (lk_store_upsert_json (f->store, LK_KIND_DOCUMENT, c, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  json_object_unref (c);

  c = json_object_new ();
  g_assert_false (lk_store_upsert_json (f->store, "letter-from-the-future", c, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  json_object_unref (c);

  g_assert_cmpint (lk_store_count (f->store, LK_KIND_CASE), ==, 0);
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_DOCUMENT), ==, 0);
}

static void
test_meta_and_rollback (Fixture       *f,
                        gconstpointer  data)
{
  GError *error = NULL;

  g_assert_null (lk_store_get_meta (f->store, "sync.cursor"));
  g_assert_true (lk_store_set_meta (f->store, "sync.cursor", "42", &error));
  g_assert_no_error (error);

  g_assert_true (lk_store_begin (f->store, &error));
  g_assert_true (lk_store_set_meta (f->store, "sync.cursor", "99", &error));
  upsert (f->store, LK_KIND_CASE, make_case ("c9", "R-9", "Nama", "6171", "submitted", 1));
  lk_store_rollback (f->store);

  {
    g_autofree char *cursor = lk_store_get_meta (f->store, "sync.cursor");
    g_assert_cmpstr (cursor, ==, "42");
  }
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_CASE), ==, 0);
}

/* ---- search ---- */

static guint
count_search (LkStore    *store,
              const char *text)
{
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;

  rows = lk_store_query_cases (store, LK_CASE_STATE_INVALID, text, 0, NULL, &error);
  g_assert_no_error (error);
  return rows->len;
}

static void
test_fts_search (Fixture       *f,
                 gconstpointer  data)
{
  seed_small (f->store);

  g_assert_cmpuint (count_search (f->store, NULL), ==, 4);
  g_assert_cmpuint (count_search (f->store, ""), ==, 4);
  g_assert_cmpuint (count_search (f->store, "siti"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "SIT"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "rahma"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "budi santo"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "santoso budi"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "budi siti"), ==, 0);
  /* NIK prefix, receipt with its dashes, business name */
  g_assert_cmpuint (count_search (f->store, "617103"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "6171"), ==, 4);
  g_assert_cmpuint (count_search (f->store, "SKD-20261102"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "skd"), ==, 3);
  g_assert_cmpuint (count_search (f->store, "khatulis"), ==, 1);
  /* Email and address are not searched (personal data stays out of the
   * index beyond what officers type). */
  g_assert_cmpuint (count_search (f->store, "tanjungpura"), ==, 0);
  /* Operators and quotes are text, not syntax. */
  g_assert_cmpuint (count_search (f->store, "siti OR budi"), ==, 0);
  g_assert_cmpuint (count_search (f->store, "\"siti"), ==, 1);
  g_assert_cmpuint (count_search (f->store, "NEAR(siti budi)"), ==, 0);
  g_assert_cmpuint (count_search (f->store, "*"), ==, 0);
  g_assert_cmpuint (count_search (f->store, "-)("), ==, 0);
  /* Diacritics fold. */
  g_assert_cmpuint (count_search (f->store, "déwi"), ==, 1);
  g_assert_null (lk_store_build_fts_query ("  \t "));

  /* A rename moves the index entry. */
  upsert (f->store, LK_KIND_CASE, make_case ("c1", "SKD-20261101-000001", "Maria Ulfa", "6171010101900001",
                                             "submitted", 100));
  g_assert_cmpuint (count_search (f->store, "siti"), ==, 0);
  g_assert_cmpuint (count_search (f->store, "ulfa"), ==, 1);
}

static void
test_query_by_state (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  gint64 counts[LK_N_CASE_STATES];
  GError *error = NULL;

  seed_small (f->store);

  rows = lk_store_query_cases (f->store, LK_CASE_STATE_SIGNED, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  /* Newest first. */
  g_assert_cmpstr (lk_case_get_id (g_ptr_array_index (rows, 0)), ==, "c4");
  g_assert_false (lk_case_is_complete (g_ptr_array_index (rows, 0)));
  g_assert_cmpstr (lk_case_get_service_name (g_ptr_array_index (rows, 0)), ==, "Surat Keterangan Domisili");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = lk_store_query_cases (f->store, LK_CASE_STATE_INVALID, NULL, 3, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 3);

  g_assert_true (lk_store_count_cases_by_state (f->store, counts, &error));
  g_assert_cmpint (counts[LK_CASE_STATE_SIGNED], ==, 2);
  g_assert_cmpint (counts[LK_CASE_STATE_SUBMITTED], ==, 1);
  g_assert_cmpint (counts[LK_CASE_STATE_VERIFYING], ==, 1);
  g_assert_cmpint (counts[LK_CASE_STATE_DELIVERED], ==, 0);
}

/* ---- the queue model ---- */

static void
updated_cb (LkCaseList *list,
            gboolean   *done)
{
  *done = TRUE;
}

static void
wait_updated (LkCaseList *list)
{
  gboolean done = FALSE;
  gulong id = g_signal_connect (list, "updated", G_CALLBACK (updated_cb), &done);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (list, id);
  g_assert_true (done);
}

static void
test_case_list (Fixture       *f,
                gconstpointer  data)
{
  LkCaseList *list;
  g_autoptr(LkCase) first = NULL;

  seed_small (f->store);
  list = lk_case_list_new (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == LK_TYPE_CASE);

  lk_case_list_reload (list);
  g_assert_true (lk_case_list_is_loading (list));
  wait_updated (list);
  g_assert_false (lk_case_list_is_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_cmpuint (lk_case_list_get_total (list), ==, 4);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (lk_case_get_receipt (first), ==, "SKD-20261104-000004");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 4));

  lk_case_list_set_search (list, "budi");
  wait_updated (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpuint (lk_case_list_get_total (list), ==, 4);

  /* The newest search wins even when an older one is still running. */
  lk_case_list_set_search (list, "dewi");
  lk_case_list_set_search (list, "skd");
  wait_updated (list);
  while (lk_case_list_is_loading (list))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  lk_case_list_set_search (list, "");
  wait_updated (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);

  lk_case_list_set_search (list, "()");
  wait_updated (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  assert_finalize_soon (list);
}

/* ---- server kind: the change feed triggers ---- */

static gint64
change_seq (LkStore    *store,
            const char *kind,
            const char *id,
            int        *n_rows)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT seq FROM changes WHERE kind = ? AND record_id = ?", NULL);
  gint64 seq = -1;

  *n_rows = 0;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0);
      (*n_rows)++;
    }
  sqlite3_reset (stmt);
  return seq;
}

static void
test_server_change_feed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "server.db", NULL);
  g_autoptr(LkStore) server = NULL;
  GError *error = NULL;
  gint64 seq1, seq2, seq_c2;
  int n;

  server = lk_store_open (path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  seed_small (server);

  seq1 = change_seq (server, LK_KIND_CASE, "c1", &n);
  g_assert_cmpint (n, ==, 1);
  seq_c2 = change_seq (server, LK_KIND_CASE, "c2", &n);
  g_assert_cmpint (seq1, <, seq_c2);

  upsert (server, LK_KIND_CASE, make_case ("c1", "SKD-20261101-000001", "Siti Rahmawati", "6171010101900001",
                                           "verifying", 100));
  seq2 = change_seq (server, LK_KIND_CASE, "c1", &n);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (seq2, >, seq_c2);

  /* The feed's SQL-built JSON equals the codec's, record by record. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT ch.kind, ch.record_id, %s FROM changes ch ORDER BY ch.seq",
                                            lk_store_change_record_sql ());
    sqlite3_stmt *stmt = NULL;
    guint n_rows = 0;

    g_assert_cmpint (sqlite3_prepare_v2 (lk_store_get_handle (server), sql, -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_autoptr(JsonObject) expected = NULL;
        g_autoptr(JsonNode) got = NULL;
        g_autoptr(JsonNode) want = NULL;

        expected = lk_store_get_json (server, (const char *) sqlite3_column_text (stmt, 0),
                                      (const char *) sqlite3_column_text (stmt, 1), &error);
        g_assert_no_error (error);
        got = json_from_string ((const char *) sqlite3_column_text (stmt, 2), &error);
        g_assert_no_error (error);
        want = json_node_init_object (json_node_alloc (), expected);
        g_assert_true (json_node_equal (got, want));
        n_rows++;
      }
    sqlite3_finalize (stmt);
    g_assert_cmpuint (n_rows, ==, 5);
  }

  /* The client has no change feed. */
  g_assert_null (lk_store_prepare (f->store, "SELECT seq FROM changes", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_SQL);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/store/migrations/fresh", test_migrations_fresh);
  ADD ("/store/migrations/refuse-newer", test_refuse_newer_schema);
  ADD ("/store/migrations/refuse-not-a-database", test_refuse_not_a_database);
  ADD ("/store/migrations/refuse-wrong-kind", test_refuse_wrong_kind);
  ADD ("/store/records/roundtrip", test_record_roundtrip);
  ADD ("/store/records/validation", test_record_validation);
  ADD ("/store/records/notes", test_list_notes);
  ADD ("/store/records/meta-and-rollback", test_meta_and_rollback);
  ADD ("/store/search/fts", test_fts_search);
  ADD ("/store/search/by-state", test_query_by_state);
  ADD ("/store/case-list", test_case_list);
  ADD ("/store/server/change-feed", test_server_change_feed);
#undef ADD

  return g_test_run ();
}
