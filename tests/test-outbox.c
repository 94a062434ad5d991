/* test-outbox.c — the offline outbox: local actions, push results,
 * conflicts and their resolution; then against a real loket-server: the
 * push, two desks on one case, and the sync engine's status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "lk-account.h"
#include "lk-test-util.h"
#include "store/lk-store-private.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"
#include "sync/lk-sync-engine.h"

#define CASE_ID    "0b0e7c1a-0000-4000-8000-000000000001"
#define SERVICE_ID "0b0e7c1a-0000-4000-8000-0000000000aa"
#define UNIT_ID    "0b0e7c1a-0000-4000-8000-0000000000bb"
#define ACTOR      "petugas"

/* ---- local: a store with one case, no server ---- */

typedef struct
{
  char    *dir;
  LkStore *store;
} Local;

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
upsert (LkStore    *store,
        const char *kind,
        const char *json)
{
  g_autoptr(JsonObject) record = parse_object (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_upsert_json (store, kind, record, &error));
  g_assert_no_error (error);
}

static void
local_set_up (Local         *f,
              gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = lk_test_make_tmpdir ("outbox");
  path = g_build_filename (f->dir, "client.db", NULL);
  f->store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);

  upsert (f->store, LK_KIND_UNIT,
          "{\"id\": \"" UNIT_ID "\", \"code\": \"PTK\", \"name\": \"Kecamatan\", \"address\": null, "
          "\"version\": 1}");
  upsert (f->store, LK_KIND_SERVICE_TYPE,
          "{\"id\": \"" SERVICE_ID "\", \"code\": \"SKD\", \"name\": \"Domisili\", \"sla_days\": 2, "
          "\"number_format\": \"470/{seq}\", \"needs_business\": false, "
          "\"requirements\": [\"KTP\", \"KK\"], \"version\": 1}");
  upsert (f->store, LK_KIND_CASE,
          "{\"id\": \"" CASE_ID "\", \"receipt\": \"SKD-20260105-000001\", \"service_type\": \"" SERVICE_ID "\", "
          "\"unit\": \"" UNIT_ID "\", \"state\": \"submitted\", \"applicant_name\": \"Siti\", "
          "\"nik\": \"6171010101010001\", \"email\": \"siti@example.id\", \"phone\": \"0811\", "
          "\"address\": null, \"business_name\": null, \"nib\": null, \"created_at\": 1767225600, "
          "\"updated_at\": 1767225600, \"sla_due\": \"2026-01-07\", \"version\": 3, \"assignee\": null}");
}

static void
local_tear_down (Local         *f,
                 gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static JsonObject *
get_case (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  JsonObject *record = lk_store_get_json (store, LK_KIND_CASE, CASE_ID, &error);

  g_assert_no_error (error);
  return record;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

static LkOutboxEntry *
only_entry (LkStore *store,
            guint    index,
            guint    expected_len)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = lk_outbox_list (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, expected_len);
  return g_ptr_array_steal_index (entries, index);
}

static char *
queue_transition (LkStore     *store,
                  LkCaseState  to,
                  const char  *reason,
                  LkRole       role)
{
  g_autoptr(GError) error = NULL;
  char *op_id = NULL;

  g_assert_true (lk_outbox_transition (store, CASE_ID, to, reason, NULL, ACTOR, role, &op_id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (op_id);
  g_assert_cmpuint (strlen (op_id), ==, 36);
  return op_id;
}

static void
test_local_actions (Local         *f,
                    gconstpointer  data)
{
  g_autoptr(LkOutboxEntry) first = NULL;
  g_autoptr(LkOutboxEntry) second = NULL;
  g_autoptr(LkOutboxEntry) third = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) history = NULL;
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op1 = NULL;
  g_autofree char *op2 = NULL;
  g_autofree char *note_id = NULL;

  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);

  /* One transition: one operation on base 3, the case at 4. */
  op1 = queue_transition (f->store, LK_CASE_STATE_VERIFYING, NULL, LK_ROLE_OFFICER);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 1);
  g_assert_true (lk_outbox_has_pending (f->store, CASE_ID));
  first = only_entry (f->store, 0, 1);
  g_assert_cmpstr (first->id, ==, op1);
  g_assert_cmpstr (first->op, ==, "transition");
  g_assert_cmpstr (first->kind, ==, "case");
  g_assert_cmpstr (first->record_id, ==, CASE_ID);
  g_assert_cmpint (first->base, ==, 3);
  g_assert_cmpuint (first->attempts, ==, 0);
  fields = parse_object (first->fields);
  g_assert_cmpstr (member_string (fields, "to_state"), ==, "verifying");
  g_assert_true (json_object_has_member (fields, "reason"));
  g_assert_true (json_object_get_null_member (fields, "reason"));
  g_assert_false (json_object_has_member (fields, "letter"));

  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "state"), ==, "verifying");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 4);

  /* The local history row has the operation's id. */
  history = lk_store_get_json (f->store, LK_KIND_HISTORY, op1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (history, "from_state"), ==, "submitted");
  g_assert_cmpstr (member_string (history, "to_state"), ==, "verifying");
  g_assert_cmpstr (member_string (history, "actor"), ==, ACTOR);

  /* A second action on the same case: base + 1. */
  op2 = queue_transition (f->store, LK_CASE_STATE_INCOMPLETE, "KTP unreadable", LK_ROLE_OFFICER);
  second = only_entry (f->store, 1, 2);
  g_assert_cmpstr (second->id, ==, op2);
  g_assert_cmpint (second->base, ==, 4);
  g_assert_cmpint (second->seq, >, 0);
  g_clear_pointer (&fields, json_object_unref);
  fields = parse_object (second->fields);
  g_assert_cmpstr (member_string (fields, "reason"), ==, "KTP unreadable");
  g_clear_pointer (&record, json_object_unref);
  record = get_case (f->store);
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 5);
  g_assert_cmpstr (member_string (record, "state"), ==, "incomplete");

  /* A note: a create (base 0) with its own id. */
  g_assert_true (lk_outbox_add_note (f->store, CASE_ID, "Called the applicant.", ACTOR, &note_id, &error));
  g_assert_no_error (error);
  third = only_entry (f->store, 2, 3);
  g_assert_cmpstr (third->op, ==, "put");
  g_assert_cmpstr (third->kind, ==, "note");
  g_assert_cmpstr (third->record_id, ==, note_id);
  g_assert_cmpstr (third->id, !=, note_id);
  g_assert_cmpint (third->base, ==, 0);
  g_clear_pointer (&fields, json_object_unref);
  fields = parse_object (third->fields);
  g_assert_cmpstr (member_string (fields, "case_id"), ==, CASE_ID);
  g_assert_cmpstr (member_string (fields, "text"), ==, "Called the applicant.");
  g_assert_true (json_object_has_member (fields, "at"));
  g_assert_false (json_object_has_member (fields, "author"));
  note = lk_store_get_json (f->store, LK_KIND_NOTE, note_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (note, "author"), ==, ACTOR);
  g_assert_cmpint (json_object_get_int_member (note, "version"), ==, 1);
  /* The case itself is untouched by a note. */
  g_clear_pointer (&record, json_object_unref);
  record = get_case (f->store);
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 5);

  /* Failed pushes are noted on the entries up to a sequence. */
  g_assert_true (lk_outbox_note_attempt (f->store, second->seq, "offline", &error));
  g_assert_no_error (error);
  {
    g_autoptr(LkOutboxEntry) e1 = only_entry (f->store, 1, 3);
    g_autoptr(LkOutboxEntry) e2 = only_entry (f->store, 2, 3);

    g_assert_cmpuint (e1->attempts, ==, 1);
    g_assert_cmpstr (e1->last_error, ==, "offline");
    g_assert_cmpuint (e2->attempts, ==, 0);
    g_assert_null (e2->last_error);
  }
}

static void
test_local_checklist_and_put (Local         *f,
                              gconstpointer  data)
{
  g_autoptr(LkOutboxEntry) entry = NULL;
  g_autoptr(JsonObject) item = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;

  g_assert_true (lk_outbox_set_checklist (f->store, CASE_ID, 1, LK_CHECK_STATUS_VERIFIED, NULL, NULL,
                                          ACTOR, &error));
  g_assert_no_error (error);
  entry = only_entry (f->store, 0, 1);
  g_assert_cmpstr (entry->kind, ==, "checklist");
  g_assert_cmpstr (entry->record_id, ==, CASE_ID ":1");
  g_assert_cmpint (entry->base, ==, 0);
  item = lk_store_get_json (f->store, LK_KIND_CHECKLIST, CASE_ID ":1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (item, "status"), ==, "verified");
  g_assert_cmpstr (member_string (item, "actor"), ==, ACTOR);

  /* The same item again: base 1. */
  g_assert_true (lk_outbox_set_checklist (f->store, CASE_ID, 1, LK_CHECK_STATUS_REJECTED, "Blurred",
                                          NULL, ACTOR, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entry, lk_outbox_entry_free);
  entry = only_entry (f->store, 1, 2);
  g_assert_cmpint (entry->base, ==, 1);
  fields = parse_object (entry->fields);
  g_assert_cmpstr (member_string (fields, "status"), ==, "rejected");
  g_assert_cmpstr (member_string (fields, "reason"), ==, "Blurred");
  g_assert_cmpint (json_object_get_int_member (fields, "item"), ==, 1);

  /* Refused: a rejection without reason, an item the service type lacks,
   * a document that is not the case's. Nothing queued. */
  g_assert_false (lk_outbox_set_checklist (f->store, CASE_ID, 0, LK_CHECK_STATUS_REJECTED, "  ",
                                           NULL, ACTOR, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (lk_outbox_set_checklist (f->store, CASE_ID, 2, LK_CHECK_STATUS_VERIFIED, NULL,
                                           NULL, ACTOR, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_outbox_set_checklist (f->store, CASE_ID, 0, LK_CHECK_STATUS_VERIFIED, NULL,
                                           "no-such-document", ACTOR, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 2);
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_CHECKLIST), ==, 1);

  /* A generic put on the case: only the named members change. */
  json_object_set_string_member (change, "email", "siti@contoh.id");
  g_assert_true (lk_outbox_put (f->store, LK_KIND_CASE, CASE_ID, change, &op_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entry, lk_outbox_entry_free);
  entry = only_entry (f->store, 2, 3);
  g_assert_cmpstr (entry->id, ==, op_id);
  g_assert_cmpint (entry->base, ==, 3);
  g_assert_cmpstr (entry->fields, ==, "{\"email\":\"siti@contoh.id\"}");
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "email"), ==, "siti@contoh.id");
  g_assert_cmpstr (member_string (record, "phone"), ==, "0811");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 4);

  /* Members an operation may not carry, and wrong types. */
  {
    g_autoptr(JsonObject) bad = json_object_new ();

    json_object_set_string_member (bad, "state", "signed");
    g_assert_false (lk_outbox_put (f->store, LK_KIND_CASE, CASE_ID, bad, NULL, &error));
    g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(JsonObject) bad = json_object_new ();

    json_object_set_int_member (bad, "email", 42);
    g_assert_false (lk_outbox_put (f->store, LK_KIND_CASE, CASE_ID, bad, NULL, &error));
    g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(JsonObject) bad = json_object_new ();

    json_object_set_string_member (bad, "to_state", "verifying");
    g_assert_false (lk_outbox_put (f->store, LK_KIND_HISTORY, "x", bad, NULL, &error));
    g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_cmpint (lk_outbox_count (f->store), ==, 3);
  g_clear_pointer (&record, json_object_unref);
  record = get_case (f->store);
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 4);
}

static void
assert_nothing_changed (Local *f)
{
  g_autoptr(JsonObject) record = get_case (f->store);

  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_HISTORY), ==, 0);
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_NOTE), ==, 0);
  g_assert_cmpstr (member_string (record, "state"), ==, "submitted");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (record, "updated_at"), ==, 1767225600);
}

static void
test_local_refused (Local         *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_actor = NULL;
  g_autofree char *long_text = NULL;
  char *op_id = NULL;

  /* Not a move of the lifecycle. */
  g_assert_false (lk_outbox_transition (f->store, CASE_ID, LK_CASE_STATE_VERIFIED, NULL, NULL, ACTOR,
                                        LK_ROLE_OFFICER, &op_id, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_assert_null (op_id);
  g_clear_error (&error);
  assert_nothing_changed (f);

  /* Not for this role. */
  g_assert_false (lk_outbox_transition (f->store, CASE_ID, LK_CASE_STATE_VERIFYING, NULL, NULL, ACTOR,
                                        LK_ROLE_SIGNER, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  assert_nothing_changed (f);

  /* A cancel needs a reason; blank is none. */
  g_assert_false (lk_outbox_transition (f->store, CASE_ID, LK_CASE_STATE_CANCELLED, " \n", NULL, ACTOR,
                                        LK_ROLE_ADMIN, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  assert_nothing_changed (f);

  /* "signed" only with a letter, a letter only with "signed". */
  g_assert_false (lk_outbox_transition (f->store, CASE_ID, LK_CASE_STATE_VERIFYING, NULL,
                                        "0000000000000000000000000000000000000000000000000000000000000000",
                                        ACTOR, LK_ROLE_OFFICER, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);

  /* A reason over the limit. */
  long_text = g_strnfill (LK_OUTBOX_MAX_REASON + 1, 'x');
  g_assert_false (lk_outbox_transition (f->store, CASE_ID, LK_CASE_STATE_CANCELLED, long_text, NULL,
                                        ACTOR, LK_ROLE_ADMIN, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);

  /* An unknown case. */
  g_assert_false (lk_outbox_transition (f->store, "no-such-case", LK_CASE_STATE_VERIFYING, NULL, NULL,
                                        ACTOR, LK_ROLE_OFFICER, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (lk_outbox_add_note (f->store, "no-such-case", "Hello", ACTOR, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An empty note, a note over its limit. */
  g_assert_false (lk_outbox_add_note (f->store, CASE_ID, "", ACTOR, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&long_text, g_free);
  long_text = g_strnfill (LK_OUTBOX_MAX_NOTE + 1, 'x');
  g_assert_false (lk_outbox_add_note (f->store, CASE_ID, long_text, ACTOR, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  assert_nothing_changed (f);

  /* Midway: the case is written, then the history row fails validation
   * (an actor longer than the store takes): the transaction leaves
   * neither the case's change nor an operation behind. */
  long_actor = g_strnfill (LK_STORE_MAX_TEXT + 1, 'a');
  g_assert_false (lk_outbox_transition (f->store, CASE_ID, LK_CASE_STATE_VERIFYING, NULL, NULL,
                                        long_actor, LK_ROLE_OFFICER, NULL, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  assert_nothing_changed (f);

  /* And the store is usable after the rollback. */
  g_free (queue_transition (f->store, LK_CASE_STATE_VERIFYING, NULL, LK_ROLE_OFFICER));
  g_assert_cmpint (lk_outbox_count (f->store), ==, 1);
}

/* A result as the server sends it (docs/api-v1.md, "Operations"). */
static JsonObject *
make_result (const char *op_id,
             const char *status,
             const char *code,
             const char *record_json)
{
  g_autoptr(GString) json = g_string_new (NULL);

  g_string_append_printf (json, "{\"id\": \"%s\", \"status\": \"%s\"", op_id, status);
  if (code != NULL)
    g_string_append_printf (json, ", \"code\": \"%s\", \"message\": \"Refused: %s\"", code, code);
  if (record_json != NULL)
    g_string_append_printf (json, ", \"version\": 1, \"record\": %s", record_json);
  g_string_append (json, "}");

  return parse_object (json->str);
}

static char *
server_case (const char *state,
             gint64      version,
             const char *email)
{
  return g_strdup_printf ("{\"id\": \"" CASE_ID "\", \"receipt\": \"SKD-20260105-000001\", "
                          "\"service_type\": \"" SERVICE_ID "\", \"unit\": \"" UNIT_ID "\", "
                          "\"state\": \"%s\", \"applicant_name\": \"Siti\", \"nik\": \"6171010101010001\", "
                          "\"email\": \"%s\", \"phone\": \"0899\", \"address\": null, "
                          "\"business_name\": null, \"nib\": null, \"created_at\": 1767225600, "
                          "\"updated_at\": 1767230000, \"sla_due\": \"2026-01-07\", "
                          "\"version\": %" G_GINT64_FORMAT ", \"assignee\": \"pemeriksa\"}",
                          state, email, version);
}

static void
apply (LkStore    *store,
       JsonObject *result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_outbox_apply_result (store, result, &error));
  g_assert_no_error (error);
}

static LkConflict *
only_conflict (LkStore  *store,
               gboolean  all,
               guint     expected_len)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  conflicts = lk_outbox_list_conflicts (store, all, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, expected_len);
  return expected_len > 0 ? g_ptr_array_steal_index (conflicts, 0) : NULL;
}

static void
test_apply_applied (Local         *f,
                    gconstpointer  data)
{
  g_autofree char *op1 = NULL;
  g_autofree char *op2 = NULL;
  g_autofree char *rec1 = NULL;
  g_autofree char *rec2 = NULL;
  g_autoptr(JsonObject) result1 = NULL;
  g_autoptr(JsonObject) result2 = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) bogus = NULL;
  g_autoptr(GError) error = NULL;

  op1 = queue_transition (f->store, LK_CASE_STATE_VERIFYING, NULL, LK_ROLE_OFFICER);
  op2 = queue_transition (f->store, LK_CASE_STATE_VERIFIED, NULL, LK_ROLE_OFFICER);

  /* A malformed result changes nothing. */
  bogus = make_result (op1, "maybe", NULL, NULL);
  g_assert_false (lk_outbox_apply_result (f->store, bogus, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&bogus, json_object_unref);
  rec1 = server_case ("verifying", 4, "siti@example.id");
  bogus = make_result (op1, "applied", NULL, "{\"id\": \"another-record\", \"version\": 4}");
  g_assert_false (lk_outbox_apply_result (f->store, bogus, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 2);

  /* The first applied: it leaves the outbox; the case keeps its local
   * copy while the second is still queued. */
  result1 = make_result (op1, "applied", NULL, rec1);
  apply (f->store, result1);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 1);
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "state"), ==, "verified");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 5);

  /* The second applied: the server's record is written as it came. */
  rec2 = server_case ("verified", 5, "siti@example.id");
  result2 = make_result (op2, "applied", NULL, rec2);
  apply (f->store, result2);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);
  g_assert_false (lk_outbox_has_pending (f->store, CASE_ID));
  g_clear_pointer (&record, json_object_unref);
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "state"), ==, "verified");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (record, "updated_at"), ==, 1767230000);
  g_assert_cmpstr (member_string (record, "assignee"), ==, "pemeriksa");
  /* The local history rows stay (the pull brings the server's, same ids). */
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_HISTORY), ==, 2);
  g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 0);

  /* A replayed result of an operation no longer queued is harmless. */
  apply (f->store, result1);
  g_clear_pointer (&record, json_object_unref);
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "state"), ==, "verified");
  g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 0);
}

static void
test_apply_conflict (Local         *f,
                     gconstpointer  data)
{
  g_autofree char *op1 = NULL;
  g_autofree char *theirs = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(LkConflict) conflict = NULL;
  g_autoptr(JsonObject) history = NULL;
  g_autoptr(GError) error = NULL;

  op1 = queue_transition (f->store, LK_CASE_STATE_VERIFYING, NULL, LK_ROLE_OFFICER);

  /* Another desk cancelled the case meanwhile. */
  theirs = server_case ("cancelled", 4, "siti@example.id");
  result = make_result (op1, "conflict", NULL, theirs);
  apply (f->store, result);

  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);
  g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 1);
  conflict = only_conflict (f->store, FALSE, 1);
  g_assert_cmpstr (conflict->id, ==, op1);
  g_assert_cmpint (conflict->status, ==, LK_CONFLICT_STATUS_CONFLICT);
  g_assert_cmpstr (conflict->op, ==, "transition");
  g_assert_cmpstr (conflict->kind, ==, "case");
  g_assert_cmpstr (conflict->record_id, ==, CASE_ID);
  g_assert_cmpint (conflict->base, ==, 3);
  g_assert_cmpstr (member_string (conflict->fields, "to_state"), ==, "verifying");
  g_assert_nonnull (conflict->mine);
  g_assert_cmpstr (member_string (conflict->mine, "state"), ==, "verifying");
  g_assert_nonnull (conflict->theirs);
  g_assert_cmpstr (member_string (conflict->theirs, "state"), ==, "cancelled");
  g_assert_null (conflict->code);
  g_assert_cmpint (conflict->resolved_at, ==, 0);
  g_assert_cmpint (conflict->created_at, >, 0);

  /* Theirs is the local copy now; the local history row is gone. */
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "state"), ==, "cancelled");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 4);
  history = lk_store_get_json (f->store, LK_KIND_HISTORY, op1, &error);
  g_assert_null (history);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
}

static void
test_apply_rejected (Local         *f,
                     gconstpointer  data)
{
  g_autofree char *note_id = NULL;
  g_autoptr(LkOutboxEntry) entry = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(LkConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_outbox_add_note (f->store, CASE_ID, "Secret", ACTOR, &note_id, &error));
  g_assert_no_error (error);
  entry = only_entry (f->store, 0, 1);
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_NOTE), ==, 1);

  /* Refused, and the note is not visible to us on the server. */
  result = make_result (entry->id, "rejected", "forbidden", NULL);
  apply (f->store, result);

  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);
  g_assert_cmpint (lk_store_count (f->store, LK_KIND_NOTE), ==, 0);
  conflict = only_conflict (f->store, FALSE, 1);
  g_assert_cmpstr (conflict->id, ==, entry->id);
  g_assert_cmpint (conflict->status, ==, LK_CONFLICT_STATUS_REJECTED);
  g_assert_cmpstr (conflict->code, ==, "forbidden");
  g_assert_cmpstr (conflict->message, ==, "Refused: forbidden");
  g_assert_null (conflict->theirs);
  g_assert_nonnull (conflict->mine);
  g_assert_cmpstr (member_string (conflict->mine, "text"), ==, "Secret");
  g_assert_cmpstr (member_string (conflict->fields, "text"), ==, "Secret");

  /* A rejected transition: the server's record (unchanged) comes back. */
  {
    g_autofree char *op = queue_transition (f->store, LK_CASE_STATE_VERIFYING, NULL, LK_ROLE_OFFICER);
    g_autofree char *theirs = server_case ("submitted", 3, "siti@example.id");
    g_autoptr(JsonObject) rejected = make_result (op, "rejected", "illegal_transition", theirs);
    g_autoptr(JsonObject) record = NULL;

    g_assert_cmpint (lk_store_count (f->store, LK_KIND_HISTORY), ==, 1);
    apply (f->store, rejected);
    record = get_case (f->store);
    g_assert_cmpstr (member_string (record, "state"), ==, "submitted");
    g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 3);
    g_assert_cmpint (lk_store_count (f->store, LK_KIND_HISTORY), ==, 0);
    g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 2);
  }
}

static void
test_resolve_put (Local         *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(LkOutboxEntry) entry = NULL;
  g_autoptr(LkConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *theirs = NULL;

  /* Mine: email and phone; theirs changed both (and more). */
  json_object_set_string_member (change, "email", "mine@example.id");
  json_object_set_string_member (change, "phone", "0812");
  g_assert_true (lk_outbox_put (f->store, LK_KIND_CASE, CASE_ID, change, &op_id, &error));
  g_assert_no_error (error);
  theirs = server_case ("verifying", 5, "theirs@example.id");
  result = make_result (op_id, "conflict", NULL, theirs);
  apply (f->store, result);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);

  /* A field that is not part of the change. */
  g_hash_table_insert (keep, (gpointer) "nik", GINT_TO_POINTER (TRUE));
  g_assert_false (lk_outbox_resolve_conflict (f->store, op_id, keep, ACTOR, LK_ROLE_OFFICER, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_hash_table_remove_all (keep);

  /* An unknown conflict. */
  g_assert_false (lk_outbox_resolve_conflict (f->store, "nope", keep, ACTOR, LK_ROLE_OFFICER, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 1);

  /* Mine for email, theirs for phone: one put, on top of theirs. */
  g_hash_table_insert (keep, (gpointer) "email", GINT_TO_POINTER (TRUE));
  g_hash_table_insert (keep, (gpointer) "phone", GINT_TO_POINTER (FALSE));
  g_assert_true (lk_outbox_resolve_conflict (f->store, op_id, keep, ACTOR, LK_ROLE_OFFICER, &error));
  g_assert_no_error (error);

  entry = only_entry (f->store, 0, 1);
  g_assert_cmpstr (entry->op, ==, "put");
  g_assert_cmpstr (entry->record_id, ==, CASE_ID);
  g_assert_cmpint (entry->base, ==, 5);
  g_assert_cmpstr (entry->fields, ==, "{\"email\":\"mine@example.id\"}");
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "email"), ==, "mine@example.id");
  g_assert_cmpstr (member_string (record, "phone"), ==, "0899");
  g_assert_cmpstr (member_string (record, "state"), ==, "verifying");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 6);

  g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 0);
  g_assert_null (only_conflict (f->store, FALSE, 0));
  conflict = only_conflict (f->store, TRUE, 1);
  g_assert_cmpint (conflict->resolved_at, >, 0);

  /* Once only. */
  g_assert_false (lk_outbox_resolve_conflict (f->store, op_id, NULL, ACTOR, LK_ROLE_OFFICER, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_INVALID);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 1);
}

static void
test_resolve_transition (Local         *f,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(LkOutboxEntry) entry = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op1 = NULL;
  g_autofree char *op2 = NULL;

  g_free (queue_transition (f->store, LK_CASE_STATE_VERIFYING, NULL, LK_ROLE_OFFICER));
  {
    g_autoptr(LkOutboxEntry) first = only_entry (f->store, 0, 1);
    g_autofree char *rec = server_case ("verifying", 4, "siti@example.id");
    g_autoptr(JsonObject) applied = make_result (first->id, "applied", NULL, rec);

    apply (f->store, applied);
  }

  /* Mine: verifying → incomplete; theirs: still verifying, but edited
   * (version 6). Keeping mine moves it again from theirs. */
  op1 = queue_transition (f->store, LK_CASE_STATE_INCOMPLETE, "No KK", LK_ROLE_OFFICER);
  {
    g_autofree char *theirs = server_case ("verifying", 6, "new@example.id");
    g_autoptr(JsonObject) result = make_result (op1, "conflict", NULL, theirs);

    apply (f->store, result);
  }
  g_hash_table_insert (keep, (gpointer) "to_state", GINT_TO_POINTER (TRUE));
  g_assert_true (lk_outbox_resolve_conflict (f->store, op1, keep, ACTOR, LK_ROLE_OFFICER, &error));
  g_assert_no_error (error);
  entry = only_entry (f->store, 0, 1);
  g_assert_cmpstr (entry->op, ==, "transition");
  g_assert_cmpint (entry->base, ==, 6);
  g_assert_cmpstr (entry->id, !=, op1);
  fields = parse_object (entry->fields);
  g_assert_cmpstr (member_string (fields, "to_state"), ==, "incomplete");
  g_assert_cmpstr (member_string (fields, "reason"), ==, "No KK");
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "state"), ==, "incomplete");
  g_assert_cmpstr (member_string (record, "email"), ==, "new@example.id");
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==, 7);

  /* Mine: incomplete → verifying; theirs: cancelled. Keeping mine is not a
   * move the lifecycle allows: refused, the conflict stays open; taking
   * theirs resolves it with nothing queued. */
  {
    g_autofree char *rec = server_case ("incomplete", 7, "new@example.id");
    g_autoptr(JsonObject) applied = make_result (entry->id, "applied", NULL, rec);

    apply (f->store, applied);
  }
  op2 = queue_transition (f->store, LK_CASE_STATE_VERIFYING, NULL, LK_ROLE_OFFICER);
  {
    g_autofree char *theirs = server_case ("cancelled", 8, "new@example.id");
    g_autoptr(JsonObject) result = make_result (op2, "conflict", NULL, theirs);

    apply (f->store, result);
  }
  g_assert_false (lk_outbox_resolve_conflict (f->store, op2, keep, ACTOR, LK_ROLE_OFFICER, &error));
  g_assert_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 1);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);

  g_hash_table_insert (keep, (gpointer) "to_state", GINT_TO_POINTER (FALSE));
  g_assert_true (lk_outbox_resolve_conflict (f->store, op2, keep, ACTOR, LK_ROLE_OFFICER, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_outbox_count_conflicts (f->store), ==, 0);
  g_assert_cmpint (lk_outbox_count (f->store), ==, 0);
  g_clear_pointer (&record, json_object_unref);
  record = get_case (f->store);
  g_assert_cmpstr (member_string (record, "state"), ==, "cancelled");
}

/* ---- against a real loket-server ---- */

typedef struct
{
  char         *dir;
  char         *server_db;
  LkTestServer *server;
  gboolean      running;
} Server;

static void
server_set_up (Server        *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = lk_test_make_tmpdir ("outbox-server");
  f->server_db = g_build_filename (f->dir, "server.db", NULL);
  f->server = lk_test_server_start (f->server_db, 0, 30, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->server);
  f->running = TRUE;
}

static void
server_tear_down (Server        *f,
                  gconstpointer  data)
{
  if (f->server != NULL)
    {
      if (f->running)
        g_assert_true (lk_test_server_stop (f->server, FALSE));
      lk_test_server_free (f->server);
    }
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->server_db);
}

static void
stop_server (Server *f)
{
  g_assert_true (f->running);
  f->running = FALSE;
  g_assert_true (lk_test_server_stop (f->server, FALSE));
}

static void
restart_server (Server *f)
{
  g_autoptr(GError) error = NULL;
  guint16 port = f->server->port;

  g_assert_false (f->running);
  g_clear_pointer (&f->server, lk_test_server_free);
  f->server = lk_test_server_start (f->server_db, port, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->server->port, ==, port);
  f->running = TRUE;
}

static LkSyncClient *
sign_in (Server     *f,
         const char *username)
{
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = lk_sync_client_new (f->server->url, username, &error);
  g_assert_no_error (error);
  g_assert_true (lk_sync_client_login (client, LK_TEST_DEMO_PASSWORD, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

static LkStore *
synced_store (LkSyncClient *client,
              const char   *path)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_true (lk_sync_client_pull (client, store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_store_count (store, LK_KIND_CASE), >, 0);

  return g_steal_pointer (&store);
}

/* A case in state, the newest one. */
static LkCase *
case_in_state (LkStore     *store,
               LkCaseState  state)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  cases = lk_store_query_cases (store, state, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  return g_object_ref (g_ptr_array_index (cases, 0));
}

static JsonObject *
server_record (Server     *f,
               const char *kind,
               const char *id)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = lk_store_open (f->server_db, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  return lk_store_get_json (store, kind, id, NULL);
}

static void
test_server_offline_push (Server        *f,
                          gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = sign_in (f, "petugas");
  g_autofree char *path = g_build_filename (f->dir, "petugas.db", NULL);
  g_autoptr(LkStore) store = synced_store (client, path);
  g_autoptr(LkCase) c = case_in_state (store, LK_CASE_STATE_SUBMITTED);
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) history = NULL;
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(LkOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *note_id = NULL;
  guint applied = 99, conflicts = 99;
  const char *case_id = lk_case_get_id (c);

  before = server_record (f, LK_KIND_CASE, case_id);
  g_assert_nonnull (before);

  /* Offline: both land locally and in the outbox. */
  stop_server (f);
  g_assert_true (lk_outbox_transition (store, case_id, LK_CASE_STATE_VERIFYING, NULL, NULL, "petugas",
                                       LK_ROLE_OFFICER, &op_id, &error));
  g_assert_no_error (error);
  g_assert_true (lk_outbox_add_note (store, case_id, "Dihubungi lewat telepon.", "petugas", &note_id,
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_outbox_count (store), ==, 2);

  g_assert_false (lk_sync_client_push (client, store, NULL, &applied, &conflicts, NULL, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
  g_clear_error (&error);
  g_assert_cmpuint (applied, ==, 0);
  g_assert_cmpint (lk_outbox_count (store), ==, 2);
  entry = only_entry (store, 0, 2);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_nonnull (entry->last_error);

  /* Back: pushed, applied, the outbox empty. */
  restart_server (f);
  g_assert_true (lk_sync_client_push (client, store, NULL, &applied, &conflicts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 2);
  g_assert_cmpuint (conflicts, ==, 0);
  g_assert_cmpint (lk_outbox_count (store), ==, 0);
  g_assert_cmpint (lk_outbox_count_conflicts (store), ==, 0);

  after = server_record (f, LK_KIND_CASE, case_id);
  g_assert_cmpstr (member_string (after, "state"), ==, "verifying");
  g_assert_cmpint (json_object_get_int_member (after, "version"), ==,
                   json_object_get_int_member (before, "version") + 1);
  history = server_record (f, LK_KIND_HISTORY, op_id);
  g_assert_nonnull (history);
  g_assert_cmpstr (member_string (history, "to_state"), ==, "verifying");
  g_assert_cmpstr (member_string (history, "actor"), ==, "petugas");
  note = server_record (f, LK_KIND_NOTE, note_id);
  g_assert_nonnull (note);
  g_assert_cmpstr (member_string (note, "text"), ==, "Dihubungi lewat telepon.");
  g_assert_cmpstr (member_string (note, "author"), ==, "petugas");

  /* A second push sends nothing; a pull agrees with the server. */
  g_assert_true (lk_sync_client_push (client, store, NULL, &applied, &conflicts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);
  g_assert_true (lk_sync_client_pull (client, store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) local = lk_store_get_json (store, LK_KIND_CASE, case_id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (local, "version"), ==,
                     json_object_get_int_member (after, "version"));
    g_assert_cmpstr (member_string (local, "state"), ==, "verifying");
  }
}

/* An operation the server cannot read (400 for the whole batch) is found by
 * sending one at a time and parked as rejected; the others still go. */
static void
test_server_unreadable_op (Server        *f,
                           gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = sign_in (f, "petugas");
  g_autofree char *path = g_build_filename (f->dir, "petugas.db", NULL);
  g_autoptr(LkStore) store = synced_store (client, path);
  g_autoptr(LkCase) c = case_in_state (store, LK_CASE_STATE_SUBMITTED);
  g_autoptr(GPtrArray) conflicts_list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note1 = NULL;
  g_autofree char *note2 = NULL;
  g_autofree char *note3 = NULL;
  g_autofree char *op2 = NULL;
  guint applied = 0, conflicts = 0;
  const char *case_id = lk_case_get_id (c);
  LkConflict *conflict;
  sqlite3_stmt *stmt;

  g_assert_true (lk_outbox_add_note (store, case_id, "Satu.", "petugas", &note1, &error));
  g_assert_no_error (error);
  g_assert_true (lk_outbox_add_note (store, case_id, "Dua.", "petugas", &note2, &error));
  g_assert_no_error (error);
  g_assert_true (lk_outbox_add_note (store, case_id, "Tiga.", "petugas", &note3, &error));
  g_assert_no_error (error);

  /* The second one damaged the way a future or broken desk could write
   * it: a negative base makes the whole batch malformed for the server. */
  stmt = lk_store_prepare (store, "UPDATE outbox SET base = -1 WHERE record_id = ?1 RETURNING id", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, note2, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  op2 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  g_assert_true (lk_sync_client_push (client, store, NULL, &applied, &conflicts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 2);
  g_assert_cmpuint (conflicts, ==, 1);
  g_assert_cmpint (lk_outbox_count (store), ==, 0);

  g_assert_nonnull (server_record (f, LK_KIND_NOTE, note1));
  g_assert_null (server_record (f, LK_KIND_NOTE, note2));
  g_assert_nonnull (server_record (f, LK_KIND_NOTE, note3));

  /* Kept for the user, with the server's reason; the note is still here. */
  conflicts_list = lk_outbox_list_conflicts (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts_list->len, ==, 1);
  conflict = g_ptr_array_index (conflicts_list, 0);
  g_assert_cmpstr (conflict->id, ==, op2);
  g_assert_cmpint (conflict->status, ==, LK_CONFLICT_STATUS_REJECTED);
  g_assert_cmpstr (conflict->code, ==, "bad_request");
  g_assert_nonnull (conflict->message);
  g_assert_nonnull (conflict->mine);
  g_assert_cmpstr (json_object_get_string_member (conflict->mine, "text"), ==, "Dua.");
}

/* A blob over one chunk goes up in two ranges; again is a no-op; the
 * server has the same bytes. */
static void
test_server_upload (Server        *f,
                    gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = sign_in (f, "petugas");
  g_autofree char *up_dir = g_build_filename (f->dir, "up", NULL);
  g_autofree char *down_dir = g_build_filename (f->dir, "down", NULL);
  g_autoptr(LkBlobCache) up = lk_blob_cache_new (up_dir);
  g_autoptr(LkBlobCache) down = lk_blob_cache_new (down_dir);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  gsize size = LK_SYNC_UPLOAD_CHUNK + 12345;
  guint8 *bytes = g_malloc (size);
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *fetched = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) g_rand_int (rand);
  blob = g_bytes_new_take (bytes, size);
  sha256 = lk_blob_compute_sha256 (blob);
  stored = lk_blob_cache_store (up, sha256, blob, &error);
  g_assert_no_error (error);

  g_assert_true (lk_sync_client_upload_blob (client, up, sha256, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lk_sync_client_upload_blob (client, up, sha256, NULL, &error));
  g_assert_no_error (error);

  fetched = lk_sync_client_fetch_blob (client, down, sha256, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fetched, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (blob, NULL), size);

  /* A blob the cache lacks is not the server's business. */
  g_assert_false (lk_sync_client_upload_blob (client, down,
                                              "0000000000000000000000000000000000000000000000000000000000000000",
                                              NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} CtlResult;

static void
ctl_result_clear (CtlResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CtlResult, ctl_result_clear)

static void
run_ctl (CtlResult          *result,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("LOKET_CTL_BIN");

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* GLib isolates this process's dirs without exporting them. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("loketctl %s → %d\nstdout: %.800s\nstderr: %s", args[0], result->status,
                  result->out, result->err);
}

/* loketctl case check marks a requirement offline; sync pushes it and the
 * server keeps it under CASE_ID:ITEM. */
static void
test_server_ctl_check (Server        *f,
                       gconstpointer  data)
{
  g_autofree char *receipt = NULL;
  g_autofree char *case_id = NULL;
  g_autoptr(JsonObject) mark = NULL;
  g_autofree char *mark_id = NULL;

  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "sync", "--server", f->server->url, "--user", "petugas", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "cases", "list", "--state", "verifying", "--limit", "1", NULL };
    g_auto(GStrv) columns = NULL;

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    columns = g_strsplit (g_strstrip (r.out), "\t", -1);
    g_assert_cmpuint (g_strv_length (columns), >=, 1);
    receipt = g_strdup (columns[0]);
  }
  {
    g_autoptr(LkStore) server_store = lk_store_open (f->server_db, LK_STORE_KIND_SERVER, NULL);
    g_autoptr(LkCase) c = lk_store_find_case_by_receipt (server_store, receipt, NULL);

    g_assert_nonnull (c);
    case_id = g_strdup (lk_case_get_id (c));
  }

  /* A rejection needs a reason; nothing is queued without one. */
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "case", "check", receipt, "0", "rejected", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 1);
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "case", "check", "--reason", "Scan unreadable", receipt, "0", "rejected", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "outbox", NULL };
    g_auto(GStrv) lines = NULL;

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strstrip (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1);
    g_assert_nonnull (strstr (lines[0], "\tchecklist\t"));
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "sync", "--server", f->server->url, "--user", "petugas", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
  }

  mark_id = g_strdup_printf ("%s:0", case_id);
  mark = server_record (f, LK_KIND_CHECKLIST, mark_id);
  g_assert_nonnull (mark);
  g_assert_cmpstr (member_string (mark, "status"), ==, "rejected");
  g_assert_cmpstr (member_string (mark, "reason"), ==, "Scan unreadable");
  g_assert_cmpstr (member_string (mark, "actor"), ==, "petugas");
}

/* Two desks on one case: petugas (a library client) moves it on, admin
 * (loketctl, offline) cancels it from the state it last saw. */
static void
test_server_two_desks (Server        *f,
                       gconstpointer  data)
{
  g_autoptr(LkSyncClient) client = sign_in (f, "petugas");
  g_autofree char *path = g_build_filename (f->dir, "petugas.db", NULL);
  g_autoptr(LkStore) store = synced_store (client, path);
  g_autoptr(LkCase) c = case_in_state (store, LK_CASE_STATE_SUBMITTED);
  g_autoptr(GError) error = NULL;
  g_autofree char *admin_op = NULL;
  g_autofree char *conflict_id = NULL;
  g_autofree char *mine_op = NULL;
  g_autoptr(JsonObject) server_case_now = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) columns = NULL;
  guint applied = 0, conflicts = 0;
  const char *case_id = lk_case_get_id (c);
  const char *receipt = lk_case_get_receipt (c);

  /* admin syncs with loketctl (saving its role), then cancels offline. */
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "sync", "--server", f->server->url, "--user", "admin", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "case", "transition", "--reason", "Duplicate request", receipt, "cancelled", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    admin_op = g_strstrip (g_strdup (r.out));
    g_assert_cmpuint (strlen (admin_op), ==, 36);
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "outbox", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strstrip (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1);
    columns = g_strsplit (lines[0], "\t", -1);
    g_assert_cmpuint (g_strv_length (columns), ==, 8);
    g_assert_cmpstr (columns[1], ==, admin_op);
    g_assert_cmpstr (columns[2], ==, "transition");
    g_assert_cmpstr (columns[4], ==, receipt);
    g_clear_pointer (&lines, g_strfreev);
    g_clear_pointer (&columns, g_strfreev);
  }

  /* petugas gets there first. */
  g_assert_true (lk_outbox_transition (store, case_id, LK_CASE_STATE_VERIFYING, NULL, NULL, "petugas",
                                       LK_ROLE_OFFICER, &mine_op, &error));
  g_assert_no_error (error);
  g_assert_true (lk_sync_client_push (client, store, NULL, &applied, &conflicts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpuint (conflicts, ==, 0);

  /* admin's sync meets a conflict, kept for admin to see. */
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "sync", "--server", f->server->url, "--user", "admin", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "1 met a conflict"));
  }
  server_case_now = server_record (f, LK_KIND_CASE, case_id);
  g_assert_cmpstr (member_string (server_case_now, "state"), ==, "verifying");
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "conflicts", "list", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strstrip (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1);
    columns = g_strsplit (lines[0], "\t", -1);
    g_assert_cmpuint (g_strv_length (columns), ==, 9);
    g_assert_cmpstr (columns[0], ==, admin_op);
    g_assert_cmpstr (columns[1], ==, "conflict");
    g_assert_cmpstr (columns[4], ==, receipt);
    g_assert_nonnull (strstr (columns[7], "mine=cancelled theirs=verifying"));
    conflict_id = g_strdup (columns[0]);
    g_clear_pointer (&lines, g_strfreev);
    g_clear_pointer (&columns, g_strfreev);
  }

  /* admin keeps the cancel: queued again from verifying, pushed. */
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "conflicts", "resolve", "--mine", "to_state", conflict_id, NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "conflicts", "list", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "");
  }
  {
    g_auto(CtlResult) r = { 0, };
    const char *args[] = { "sync", "--server", f->server->url, "--user", "admin", NULL };

    run_ctl (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "1 applied"));
  }

  /* petugas pulls admin's cancel; both moves are in the history. */
  g_assert_true (lk_sync_client_pull (client, store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) local = lk_store_get_json (store, LK_KIND_CASE, case_id, &error);
    g_autoptr(GPtrArray) history = lk_store_list_history (store, case_id, &error);
    gboolean saw_mine = FALSE, saw_cancel = FALSE;

    g_assert_no_error (error);
    g_assert_cmpstr (member_string (local, "state"), ==, "cancelled");
    for (guint i = 0; i < history->len; i++)
      {
        LkHistoryEntry *h = g_ptr_array_index (history, i);

        if (g_strcmp0 (lk_history_entry_get_id (h), mine_op) == 0)
          saw_mine = TRUE;
        if (lk_history_entry_get_to_state (h) == LK_CASE_STATE_CANCELLED &&
            lk_history_entry_get_from_state (h) == LK_CASE_STATE_VERIFYING)
          saw_cancel = TRUE;
        /* The first, conflicting cancel never happened. */
        g_assert_cmpstr (lk_history_entry_get_id (h), !=, admin_op);
      }
    g_assert_true (saw_mine);
    g_assert_true (saw_cancel);
  }
}

/* ---- the engine ---- */

static gboolean
wait_for_status (LkSyncEngine *engine,
                 GMainContext *context,
                 LkSyncStatus  status,
                 guint         seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (lk_sync_engine_get_status (engine) == status)
        return TRUE;
      g_main_context_iteration (context, FALSE);
      g_usleep (10 * 1000);
    }

  return lk_sync_engine_get_status (engine) == status;
}

static void
synced_cb (LkSyncEngine *engine,
           guint64       records,
           guint         applied,
           guint        *rounds)
{
  (*rounds)++;
}

static void
test_engine_offline (Server        *f,
                     gconstpointer  data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(LkSyncClient) client = sign_in (f, "petugas");
  g_autofree char *path = g_build_filename (f->dir, "engine.db", NULL);
  g_autoptr(LkStore) store = synced_store (client, path);
  g_autoptr(LkCase) c = case_in_state (store, LK_CASE_STATE_SUBMITTED);
  g_autoptr(LkSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note_id = NULL;
  guint rounds = 0;
  GValue value = G_VALUE_INIT;

  g_main_context_push_thread_default (context);
  engine = lk_sync_engine_new (client, path, NULL);
  g_signal_connect (engine, "synced", G_CALLBACK (synced_cb), &rounds);
  g_assert_cmpint (lk_sync_engine_get_status (engine), ==, LK_SYNC_STATUS_IDLE);

  g_value_init (&value, LK_TYPE_SYNC_STATUS);
  g_object_get_property (G_OBJECT (engine), "status", &value);
  g_assert_cmpint (g_value_get_enum (&value), ==, LK_SYNC_STATUS_IDLE);
  g_value_unset (&value);

  lk_sync_engine_start (engine);
  g_assert_true (wait_for_status (engine, context, LK_SYNC_STATUS_SYNCING, 60) || rounds > 0);
  while (rounds == 0)
    g_main_context_iteration (context, TRUE);
  g_assert_cmpint (lk_sync_engine_get_status (engine), ==, LK_SYNC_STATUS_IDLE);
  g_assert_null (lk_sync_engine_get_message (engine));

  /* The server goes away: a sync now finds it offline, with a message. */
  stop_server (f);
  g_assert_true (lk_outbox_add_note (store, lk_case_get_id (c), "Offline note", "petugas", &note_id,
                                     &error));
  g_assert_no_error (error);
  lk_sync_engine_sync_now (engine);
  g_assert_true (wait_for_status (engine, context, LK_SYNC_STATUS_OFFLINE, 60));
  g_assert_nonnull (lk_sync_engine_get_message (engine));
  g_assert_cmpint (lk_sync_engine_get_outbox_count (engine), ==, 1);

  /* It comes back: the engine returns to idle and the outbox drains. */
  restart_server (f);
  lk_sync_engine_sync_now (engine);
  g_assert_true (wait_for_status (engine, context, LK_SYNC_STATUS_IDLE, 120));
  g_assert_cmpint (lk_sync_engine_get_outbox_count (engine), ==, 0);
  g_assert_cmpint (lk_outbox_count (store), ==, 0);
  {
    g_autoptr(JsonObject) note = server_record (f, LK_KIND_NOTE, note_id);

    g_assert_nonnull (note);
  }

  lk_sync_engine_stop (engine);
  g_main_context_pop_thread_default (context);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/outbox/local/actions", Local, NULL, local_set_up, test_local_actions, local_tear_down);
  g_test_add ("/outbox/local/checklist-and-put", Local, NULL, local_set_up,
              test_local_checklist_and_put, local_tear_down);
  g_test_add ("/outbox/local/refused", Local, NULL, local_set_up, test_local_refused, local_tear_down);
  g_test_add ("/outbox/result/applied", Local, NULL, local_set_up, test_apply_applied, local_tear_down);
  g_test_add ("/outbox/result/conflict", Local, NULL, local_set_up, test_apply_conflict, local_tear_down);
  g_test_add ("/outbox/result/rejected", Local, NULL, local_set_up, test_apply_rejected, local_tear_down);
  g_test_add ("/outbox/resolve/put", Local, NULL, local_set_up, test_resolve_put, local_tear_down);
  g_test_add ("/outbox/resolve/transition", Local, NULL, local_set_up, test_resolve_transition,
              local_tear_down);
  g_test_add ("/outbox/server/offline-push", Server, NULL, server_set_up, test_server_offline_push,
              server_tear_down);
  g_test_add ("/outbox/server/unreadable-op", Server, NULL, server_set_up, test_server_unreadable_op,
              server_tear_down);
  g_test_add ("/outbox/server/upload", Server, NULL, server_set_up, test_server_upload,
              server_tear_down);
  g_test_add ("/outbox/server/ctl-check", Server, NULL, server_set_up, test_server_ctl_check,
              server_tear_down);
  g_test_add ("/outbox/server/two-desks", Server, NULL, server_set_up, test_server_two_desks,
              server_tear_down);
  g_test_add ("/outbox/engine/offline", Server, NULL, server_set_up, test_engine_offline,
              server_tear_down);

  return g_test_run ();
}
