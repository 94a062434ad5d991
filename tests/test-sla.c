/* test-sla.c — the SLA clock: working-day arithmetic, the clock's states,
 * and the pause while a case is incomplete, on a real loket-server and in
 * the desk's outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "lk-sla.h"
#include "store/lk-store-private.h"
#include "sync/lk-outbox.h"
#include "lk-account.h"

#include "lk-test-util.h"

#define DAY (24 * 60 * 60)

/* Unix seconds of a local date and hour. */
static gint64
local_time (int year,
            int month,
            int day,
            int hour)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (year, month, day, hour, 0, 0);

  return g_date_time_to_unix (t);
}

static char *
local_date_of (gint64 unix_seconds)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (unix_seconds);

  return g_date_time_format (t, "%Y-%m-%d");
}

/* 1. Working days */

static void
test_add_working_days (void)
{
  static const struct { const char *date; int days; const char *expected; } cases[] = {
    { "2026-11-27", 0, "2026-11-27" },   /* Friday */
    { "2026-11-27", 1, "2026-11-30" },   /* → Monday */
    { "2026-11-27", 5, "2026-12-04" },
    { "2026-11-28", 0, "2026-11-28" },   /* Saturday stays */
    { "2026-11-28", 1, "2026-11-30" },
    { "2026-11-29", 5, "2026-12-04" },   /* Sunday */
    { "2026-11-30", 4, "2026-12-04" },   /* Monday → Friday */
    { "2026-12-31", 1, "2027-01-01" },   /* year end: Thursday → Friday */
    { "2026-12-31", 2, "2027-01-04" },
    { "2026-02-27", 1, "2026-03-02" },   /* month end */
    { "2024-02-28", 1, "2024-02-29" },   /* leap day */
    { "2024-02-28", 2, "2024-03-01" },
    { "2026-11-02", 10, "2026-11-16" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = lk_sla_add_working_days (cases[i].date, cases[i].days);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }

  g_assert_null (lk_sla_add_working_days (NULL, 1));
  g_assert_null (lk_sla_add_working_days ("", 1));
  g_assert_null (lk_sla_add_working_days ("2026-02-30", 1));
  g_assert_null (lk_sla_add_working_days ("2026-13-01", 1));
  g_assert_null (lk_sla_add_working_days ("26-11-27", 1));
  g_assert_null (lk_sla_add_working_days ("2026-11-27x", 1));
  g_assert_null (lk_sla_add_working_days ("2026/11/27", 1));
}

static void
test_working_days_between (void)
{
  g_assert_cmpint (lk_sla_working_days_between ("2026-11-27", "2026-11-30"), ==, 1);
  g_assert_cmpint (lk_sla_working_days_between ("2026-11-28", "2026-11-29"), ==, 0);
  g_assert_cmpint (lk_sla_working_days_between ("2026-11-27", "2026-11-27"), ==, 0);
  g_assert_cmpint (lk_sla_working_days_between ("2026-11-30", "2026-11-27"), ==, 0);
  g_assert_cmpint (lk_sla_working_days_between ("2026-11-30", "2026-12-04"), ==, 4);
  g_assert_cmpint (lk_sla_working_days_between ("2026-11-29", "2026-12-06"), ==, 5);
  g_assert_cmpint (lk_sla_working_days_between ("2026-12-25", "2027-01-08"), ==, 10);
  g_assert_cmpint (lk_sla_working_days_between ("2024-02-28", "2024-03-01"), ==, 2);
  g_assert_cmpint (lk_sla_working_days_between ("2026-01-01", "2026-12-31"), ==, 260);
  g_assert_cmpint (lk_sla_working_days_between ("bad", "2026-11-27"), ==, -1);
  g_assert_cmpint (lk_sla_working_days_between ("2026-11-27", NULL), ==, -1);
}

/* Adding N working days and counting them back agree, from every weekday,
 * across month and year ends; and the count agrees with a day-by-day walk. */
static void
test_working_days_roundtrip (void)
{
  GDate start;

  g_date_clear (&start, 1);
  g_date_set_dmy (&start, 20, G_DATE_DECEMBER, 2025);
  for (guint i = 0; i < 400; i += 3)
    {
      GDate d = start;
      char from[11];

      g_date_add_days (&d, i);
      g_snprintf (from, sizeof from, "%04u-%02u-%02u", g_date_get_year (&d), g_date_get_month (&d),
                  g_date_get_day (&d));
      for (int n = 0; n < 30; n += 7)
        {
          g_autofree char *to = lk_sla_add_working_days (from, n);
          GDate walk = d;
          int counted = 0;

          g_assert_nonnull (to);
          g_assert_cmpint (lk_sla_working_days_between (from, to), ==, n);

          /* The walk: each later day up to TO that is Monday to Friday. */
          for (;;)
            {
              char text[11];

              g_snprintf (text, sizeof text, "%04u-%02u-%02u", g_date_get_year (&walk),
                          g_date_get_month (&walk), g_date_get_day (&walk));
              if (g_str_equal (text, to))
                break;
              g_date_add_days (&walk, 1);
              if (g_date_get_weekday (&walk) < G_DATE_SATURDAY)
                counted++;
            }
          g_assert_cmpint (counted, ==, n);
        }
    }
}

/* 2. The clock */

static void
test_clock_states (void)
{
  LkSlaClock clock;
  gint64 paused = local_time (2026, 11, 23, 9);   /* Monday */

  lk_sla_clock_compute (LK_CASE_STATE_VERIFYING, NULL, "2026-11-27", 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_NONE);
  g_assert_cmpstr (clock.due, ==, "");

  lk_sla_clock_compute (LK_CASE_STATE_VERIFYING, "not a date", "2026-11-27", 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_NONE);

  lk_sla_clock_compute (LK_CASE_STATE_VERIFYING, "2026-12-02", "2026-11-27", 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_RUNNING);
  g_assert_cmpstr (clock.due, ==, "2026-12-02");
  g_assert_cmpint (clock.days_left, ==, 3);    /* Mon, Tue, Wed */

  lk_sla_clock_compute (LK_CASE_STATE_SUBMITTED, "2026-11-27", "2026-11-27", 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_RUNNING);
  g_assert_cmpint (clock.days_left, ==, 0);    /* due today */

  lk_sla_clock_compute (LK_CASE_STATE_APPROVED, "2026-11-27", "2026-11-30", 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_RUNNING);
  g_assert_cmpint (clock.days_left, ==, -1);   /* overdue by one working day */

  lk_sla_clock_compute (LK_CASE_STATE_VERIFIED, "2026-11-20", "2026-11-28", 0, &clock);
  g_assert_cmpint (clock.days_left, ==, -5);

  /* Paused: what was left when it stopped. */
  lk_sla_clock_compute (LK_CASE_STATE_INCOMPLETE, "2026-11-26", "2026-12-07", paused, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_PAUSED);
  g_assert_cmpint (clock.paused_since, ==, paused);
  g_assert_cmpint (clock.days_left, ==, 3);
  /* Unknown since when: counted from today. */
  lk_sla_clock_compute (LK_CASE_STATE_INCOMPLETE, "2026-11-26", "2026-11-24", 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_PAUSED);
  g_assert_cmpint (clock.paused_since, ==, 0);
  g_assert_cmpint (clock.days_left, ==, 2);

  /* Closed cases: the clock no longer matters. */
  lk_sla_clock_compute (LK_CASE_STATE_SIGNED, "2026-11-26", "2026-11-27", paused, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_STOPPED);
  g_assert_cmpint (clock.paused_since, ==, 0);
  lk_sla_clock_compute (LK_CASE_STATE_CANCELLED, "2026-11-26", "2026-11-27", 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_STOPPED);

  /* Today: the real one, a date. */
  lk_sla_clock_compute (LK_CASE_STATE_VERIFYING, "2026-11-26", NULL, 0, &clock);
  g_assert_cmpint (clock.status, ==, LK_SLA_RUNNING);
}

static void
test_today (void)
{
  g_autofree char *today = lk_sla_today ();
  g_autofree char *plus = NULL;

  g_assert_nonnull (today);
  g_assert_cmpuint (strlen (today), ==, 10);
  plus = lk_sla_add_working_days (today, 0);
  g_assert_cmpstr (plus, ==, today);
}

static void
test_resume_due (void)
{
  g_autofree char *a = lk_sla_resume_due ("2026-12-02", local_time (2026, 11, 27, 10), local_time (2026, 11, 30, 9));
  g_autofree char *b = lk_sla_resume_due ("2026-12-02", local_time (2026, 11, 27, 8), local_time (2026, 11, 27, 17));
  g_autofree char *c = lk_sla_resume_due ("2026-12-02", local_time (2026, 11, 28, 8), local_time (2026, 11, 29, 17));
  g_autofree char *d = lk_sla_resume_due ("2026-12-30", local_time (2026, 12, 23, 8), local_time (2027, 1, 6, 9));
  g_autofree char *e = lk_sla_resume_due ("2026-12-02", 0, local_time (2026, 11, 30, 9));
  g_autofree char *f = lk_sla_resume_due ("2026-12-02", local_time (2026, 11, 30, 9), local_time (2026, 11, 27, 9));
  g_autofree char *g = lk_sla_resume_due ("garbage", local_time (2026, 11, 27, 10), local_time (2026, 11, 30, 9));

  g_assert_cmpstr (a, ==, "2026-12-03");   /* Friday → Monday: one working day */
  g_assert_cmpstr (b, ==, "2026-12-02");   /* the same day */
  g_assert_cmpstr (c, ==, "2026-12-02");   /* a weekend */
  g_assert_cmpstr (d, ==, "2027-01-13");   /* 10 working days, over the year end */
  g_assert_cmpstr (e, ==, "2026-12-02");   /* never paused */
  g_assert_cmpstr (f, ==, "2026-12-02");   /* time going back */
  g_assert_cmpstr (g, ==, "garbage");
  g_assert_null (lk_sla_resume_due (NULL, local_time (2026, 11, 27, 10), local_time (2026, 11, 30, 9)));
}

/* 3. On a real server, and in the desk's outbox */

typedef struct
{
  char         *dir;
  LkTestServer *server;
  LkStore      *db;     /* the server's database */
  char         *token;  /* petugas */
  guint         n_ops;
  guint         n_cases;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;

  f->dir = lk_test_make_tmpdir ("sla");
  db_path = g_build_filename (f->dir, "server.db", NULL);
  f->server = lk_test_server_start (db_path, 0, 12, &error);
  g_assert_no_error (error);
  f->db = lk_store_open (db_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  f->token = lk_test_sign_in (f->server->url, "petugas", LK_TEST_DEMO_PASSWORD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_true (lk_test_server_stop (f->server, FALSE));
  g_clear_pointer (&f->server, lk_test_server_free);
  g_clear_object (&f->db);
  g_free (f->token);
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
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
  sqlite3_bind_text (stmt, 1, arg1, -1, SQLITE_TRANSIENT);
  if (arg2 != NULL)
    sqlite3_bind_text (stmt, 2, arg2, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
}

static gint64
db_int (Fixture    *f,
        const char *sql,
        const char *arg)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  gint64 value = -1;

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* A case petugas may move, put into STATE with due date DUE (NULL: none)
 * behind the server's back. */
static char *
prepare_case (Fixture    *f,
              const char *state,
              const char *due)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  char *id = NULL;

  stmt = lk_store_prepare (f->db,
                           "SELECT c.id FROM cases AS c JOIN user_units AS uu ON uu.unit_id = c.unit "
                           "JOIN users AS u ON u.id = uu.user_id WHERE u.username = 'petugas' "
                           "ORDER BY c.id LIMIT 1 OFFSET ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, (int) f->n_cases++);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_assert_nonnull (id);

  db_run (f, "UPDATE cases SET state = ?1, version = version + 1 WHERE id = ?2", state, id);
  if (due != NULL)
    db_run (f, "UPDATE cases SET sla_due = ?1 WHERE id = ?2", due, id);
  else
    db_run (f, "UPDATE cases SET sla_due = NULL WHERE id = ?1", id, NULL);
  return id;
}

/* POSTs one transition as petugas; the applied record. OUT_OP_ID: its id
 * (also its history entry's). */
static JsonObject *
transition (Fixture    *f,
            const char *case_id,
            const char *to,
            const char *reason,
            char      **out_op_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body = NULL;
  g_autofree char *op_id = g_strdup_printf ("5aa00000-0000-4000-8000-%012x", ++f->n_ops);
  JsonObject *result;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, op_id);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, "transition");
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "case");
  json_builder_set_member_name (b, "record");
  json_builder_add_string_value (b, case_id);
  json_builder_set_member_name (b, "base");
  json_builder_add_int_value (b, db_int (f, "SELECT version FROM cases WHERE id = ?1", case_id));
  json_builder_set_member_name (b, "fields");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "to_state");
  json_builder_add_string_value (b, to);
  json_builder_set_member_name (b, "reason");
  if (reason != NULL)
    json_builder_add_string_value (b, reason);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, NULL);

  reply = lk_test_http_json (f->server->url, "POST", "/api/v1/ops", f->token, body);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  answer = lk_test_reply_json (reply);
  result = json_array_get_object_element (json_object_get_array_member (json_node_get_object (answer), "results"), 0);
  if (g_strcmp0 (json_object_get_string_member (result, "status"), "applied") != 0)
    g_test_message ("%s", lk_test_reply_text (reply));
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  if (out_op_id != NULL)
    *out_op_id = g_strdup (op_id);
  return json_object_ref (json_object_get_object_member (result, "record"));
}

static const char *
due_of (JsonObject *record)
{
  return json_object_get_string_member_with_default (record, "sla_due", NULL);
}

static void
test_server_pause (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *case_id = prepare_case (f, "verifying", "2026-12-02");
  g_autofree char *pause_op = NULL;
  g_autofree char *resume_op = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *paused_date = NULL;
  g_autofree char *resumed_date = NULL;
  g_autoptr(JsonObject) paused = NULL;
  g_autoptr(JsonObject) resumed = NULL;
  g_autoptr(JsonObject) verified = NULL;
  gint64 paused_at, resumed_at;
  int days;

  /* Entering incomplete keeps the due date. */
  paused = transition (f, case_id, "incomplete", "Fotokopi KTP tidak terbaca.", &pause_op);
  g_assert_cmpstr (due_of (paused), ==, "2026-12-02");

  /* The case waited nine days for the citizen (its history says so). */
  db_run (f, "UPDATE history SET at = at - 9 * 86400 WHERE id = ?1", pause_op, NULL);
  paused_at = db_int (f, "SELECT at FROM history WHERE id = ?1", pause_op);

  resumed = transition (f, case_id, "verifying", NULL, &resume_op);
  resumed_at = db_int (f, "SELECT at FROM history WHERE id = ?1", resume_op);
  g_assert_cmpint (resumed_at - paused_at, >=, 9 * DAY);

  /* Moved by the working days after the pause's date up to the resume's:
   * nine calendar days hold five to seven. */
  paused_date = local_date_of (paused_at);
  resumed_date = local_date_of (resumed_at);
  days = lk_sla_working_days_between (paused_date, resumed_date);
  g_assert_cmpint (days, >=, 5);
  g_assert_cmpint (days, <=, 7);
  expected = lk_sla_add_working_days ("2026-12-02", days);
  g_assert_cmpstr (due_of (resumed), ==, expected);
  g_assert_cmpstr (due_of (resumed), !=, "2026-12-02");
  {
    g_autofree char *again = lk_sla_resume_due ("2026-12-02", paused_at, resumed_at);

    g_assert_cmpstr (again, ==, expected);
  }

  /* Other moves leave it alone. */
  verified = transition (f, case_id, "verified", NULL, NULL);
  g_assert_cmpstr (due_of (verified), ==, expected);
}

/* The latest pause counts, not an earlier one; a case without an SLA keeps
 * none. */
static void
test_server_pause_twice (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *case_id = prepare_case (f, "verifying", "2026-12-02");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) r2 = NULL;
  g_autoptr(JsonObject) r3 = NULL;
  g_autoptr(JsonObject) r4 = NULL;
  g_autofree char *expected = NULL;
  gint64 second_at, resumed_at;

  r1 = transition (f, case_id, "incomplete", "Kurang lengkap.", &first);
  db_run (f, "UPDATE history SET at = at - 30 * 86400 WHERE id = ?1", first, NULL);
  r2 = transition (f, case_id, "verifying", NULL, NULL);
  g_assert_cmpstr (due_of (r2), !=, "2026-12-02");
  expected = g_strdup (due_of (r2));

  r3 = transition (f, case_id, "incomplete", "Masih kurang.", &second);
  g_assert_cmpstr (due_of (r3), ==, expected);
  db_run (f, "UPDATE history SET at = at - 3 * 86400 WHERE id = ?1", second, NULL);
  second_at = db_int (f, "SELECT at FROM history WHERE id = ?1", second);
  r4 = transition (f, case_id, "cancelled", "Permohonan ganda.", NULL);
  resumed_at = db_int (f, "SELECT updated_at FROM cases WHERE id = ?1", case_id);
  {
    g_autofree char *want = lk_sla_resume_due (expected, second_at, resumed_at);

    g_assert_cmpstr (due_of (r4), ==, want);
  }

  /* No SLA: none after the pause either. */
  {
    g_autofree char *plain = NULL;
    g_autofree char *op = NULL;
    g_autoptr(JsonObject) p1 = NULL;
    g_autoptr(JsonObject) p2 = NULL;

    db_run (f, "UPDATE cases SET state = 'cancelled' WHERE id = ?1", case_id, NULL);
    plain = prepare_case (f, "verifying", NULL);
    p1 = transition (f, plain, "incomplete", "Kurang.", &op);
    db_run (f, "UPDATE history SET at = at - 9 * 86400 WHERE id = ?1", op, NULL);
    p2 = transition (f, plain, "verifying", NULL, NULL);
    g_assert_null (due_of (p2));
  }
}

/* The desk mirrors the rule in its local copy before the push. */
static void
test_outbox_mirror (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lk_test_make_tmpdir ("sla-outbox");
  g_autofree char *path = g_build_filename (dir, "client.db", NULL);
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_autoptr(JsonObject) kase = json_object_new ();
  g_autoptr(JsonObject) history = json_object_new ();
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *expected = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 paused_at = now - 9 * DAY;
  const char *case_id = "0d0d0000-0000-4000-8000-000000000001";

  g_assert_no_error (error);
  json_object_set_string_member (kase, "id", case_id);
  json_object_set_string_member (kase, "receipt", "PTSP-1");
  json_object_set_string_member (kase, "service_type", "svc");
  json_object_set_string_member (kase, "unit", "unit");
  json_object_set_string_member (kase, "state", "incomplete");
  json_object_set_string_member (kase, "applicant_name", "Agus Saputra");
  json_object_set_string_member (kase, "nik", "6171010101900001");
  json_object_set_int_member (kase, "created_at", paused_at - DAY);
  json_object_set_int_member (kase, "updated_at", paused_at);
  json_object_set_string_member (kase, "sla_due", "2026-12-02");
  json_object_set_int_member (kase, "version", 3);
  g_assert_true (lk_store_upsert_json (store, LK_KIND_CASE, kase, &error));
  g_assert_no_error (error);

  json_object_set_string_member (history, "id", "0d0d0000-0000-4000-8000-000000000002");
  json_object_set_string_member (history, "case_id", case_id);
  json_object_set_string_member (history, "from_state", "verifying");
  json_object_set_string_member (history, "to_state", "incomplete");
  json_object_set_string_member (history, "actor", "petugas");
  json_object_set_int_member (history, "at", paused_at);
  json_object_set_string_member (history, "reason", "Kurang.");
  json_object_set_int_member (history, "version", 1);
  g_assert_true (lk_store_upsert_json (store, LK_KIND_HISTORY, history, &error));
  g_assert_no_error (error);

  g_assert_true (lk_outbox_transition (store, case_id, LK_CASE_STATE_VERIFYING, NULL, NULL,
                                       "petugas", LK_ROLE_OFFICER, NULL, &error));
  g_assert_no_error (error);

  after = lk_store_get_json (store, LK_KIND_CASE, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "verifying");
  expected = lk_sla_resume_due ("2026-12-02", paused_at,
                                json_object_get_int_member (after, "updated_at"));
  g_assert_cmpstr (json_object_get_string_member (after, "sla_due"), ==, expected);
  g_assert_cmpstr (expected, !=, "2026-12-02");

  g_clear_object (&store);
  lk_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sla/add-working-days", test_add_working_days);
  g_test_add_func ("/sla/working-days-between", test_working_days_between);
  g_test_add_func ("/sla/working-days-roundtrip", test_working_days_roundtrip);
  g_test_add_func ("/sla/clock", test_clock_states);
  g_test_add_func ("/sla/today", test_today);
  g_test_add_func ("/sla/resume-due", test_resume_due);
  g_test_add_func ("/sla/outbox-mirror", test_outbox_mirror);
  g_test_add ("/sla/server/pause", Fixture, NULL, fixture_set_up, test_server_pause, fixture_tear_down);
  g_test_add ("/sla/server/pause-twice", Fixture, NULL, fixture_set_up, test_server_pause_twice,
              fixture_tear_down);

  return g_test_run ();
}
