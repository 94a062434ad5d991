/* lk-server-numbers.c — letter numbering: allocation, offline blocks,
 * claims, voids and the register (docs/api-v1.md, "Numbering")
 *
 * Numbers are per (number format, unit, year): number_counters holds the
 * next sequence number of each, and every sequence number ever taken has
 * a row in numbers (issued, used or voided), so the register explains
 * every gap. Every change runs in one BEGIN IMMEDIATE transaction: two
 * requests never take the same sequence number, and a number string is
 * never issued twice (it is the primary key).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "sync/lk-numbers.h"
#include "lk-server-numbers-private.h"

#define MAX_OPEN_NUMBERS  (2 * LK_NUMBERS_MAX_BLOCK)  /* unclaimed block numbers one user may hold per series */

/* A numbering series: the format of a service type in a unit, one year. */
typedef struct
{
  char *format;
  char *unit;
  char *unit_code;
  int   year;
} Series;

static void
series_clear (Series *series)
{
  g_clear_pointer (&series->format, g_free);
  g_clear_pointer (&series->unit, g_free);
  g_clear_pointer (&series->unit_code, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Series, series_clear)

gboolean
lk_server_numbers_refuse (LkServerNumbersRefusal *refusal,
                          guint                   status,
                          const char             *code,
                          const char             *format,
                          ...)
{
  va_list args;

  refusal->status = status;
  refusal->code = g_strdup (code);
  va_start (args, format);
  refusal->message = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

void
lk_server_numbers_refusal_clear (LkServerNumbersRefusal *refusal)
{
  g_clear_pointer (&refusal->code, g_free);
  g_clear_pointer (&refusal->message, g_free);
}

static int
year_of (gint64 now)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (now);

  return dt != NULL ? g_date_time_get_year (dt) : 1970;
}

/* The number format of SERVICE_TYPE and the code of UNIT; FALSE with
 * *refusal (or error). */
static gboolean
load_series (LkServer                *self,
             const char              *service_type,
             const char              *unit,
             gint64                   now,
             Series                  *out,
             LkServerNumbersRefusal  *refusal,
             GError                 **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "SELECT s.number_format, u.code FROM service_types AS s, units AS u "
                           "WHERE s.id = ?1 AND u.id = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, service_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, unit, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->format = lk_server_column_dup (stmt, 0);
      out->unit_code = lk_server_column_dup (stmt, 1);
      out->unit = g_strdup (unit);
      out->year = year_of (now);
    }
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, "Looking up the number format");
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_NOT_FOUND, "not_found", "There is no such service type or unit.");

  return rc == SQLITE_ROW;
}

/* Takes COUNT sequence numbers of SERIES: *out_first is the first. */
static gboolean
take_seqs (LkServer  *self,
           Series    *series,
           gint64     count,
           gint64    *out_first,
           GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "INSERT OR IGNORE INTO number_counters (format, unit, year, next_seq) VALUES (?1, ?2, ?3, 1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, series->format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, series->unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, series->year);
  if (!lk_server_step_done (self, stmt, "Starting a number counter", error))
    return FALSE;

  stmt = lk_store_prepare (self->store,
                           "UPDATE number_counters SET next_seq = next_seq + ?4 "
                           "WHERE format = ?1 AND unit = ?2 AND year = ?3 RETURNING next_seq - ?4",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, series->format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, series->unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, series->year);
  sqlite3_bind_int64 (stmt, 4, count);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_first = sqlite3_column_int64 (stmt, 0);
  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, "Advancing a number counter");
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/* Inserts the numbers row of SEQ; *out_number its text. FALSE with
 * *refusal when the format gives a number issued before (a format without
 * {year}, or one changed into an older one). */
static gboolean
insert_number (LkServer                *self,
               Series                  *series,
               gint64                   seq,
               const char              *case_id,
               const char              *block_id,
               const char              *user_id,
               gint64                   now,
               char                   **out_number,
               LkServerNumbersRefusal  *refusal,
               GError                 **error)
{
  g_autofree char *number = lk_numbers_format (series->format, series->unit_code, series->year, seq);
  sqlite3_stmt *stmt;
  int rc;

  if (number == NULL)
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_CONFLICT, "conflict",
                   "The service type’s number format has no {seq}; an administrator must correct it.");

  stmt = lk_store_prepare (self->store,
                           "INSERT INTO numbers (number, format, unit, year, seq, status, case_id, block_id, "
                           "issued_to, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, 'issued', ?6, ?7, ?8, ?9)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, series->format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, series->unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, series->year);
  sqlite3_bind_int64 (stmt, 5, seq);
  if (case_id != NULL)
    sqlite3_bind_text (stmt, 6, case_id, -1, SQLITE_TRANSIENT);
  if (block_id != NULL)
    sqlite3_bind_text (stmt, 7, block_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_CONFLICT, "conflict",
                   "The number format gives %s, a number issued before; an administrator must add {year} "
                   "or change the format.", number);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Recording a number");
      return FALSE;
    }

  *out_number = g_steal_pointer (&number);
  return TRUE;
}

static void
respond_refusal (SoupServerMessage      *msg,
                 LkServerNumbersRefusal *refusal)
{
  lk_server_respond_error (msg, refusal->status, refusal->code, refusal->message);
}

static void
run_in_transaction (LkServer            *self,
                    SoupServerMessage   *msg,
                    LkServerUser        *user,
                    JsonObject          *body,
                    LkServerNumbersWork  work,
                    guint                ok_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(LkServerNumbersRefusal) refusal = { 0, };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!lk_store_begin (self->store, &error))
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  if (!work (self, user, body, now, &root, &refusal, &error))
    {
      lk_store_rollback (self->store);
      if (refusal.code != NULL)
        respond_refusal (msg, &refusal);
      else
        lk_server_respond_internal (msg, error);
      return;
    }
  if (!lk_store_commit (self->store, &error))
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  lk_server_respond_json (msg, ok_status, root);
}

static gboolean
may_number (LkServerUser *user)
{
  return user->role == LK_ROLE_OFFICER || user->role == LK_ROLE_SIGNER || user->role == LK_ROLE_ADMIN;
}

/* POST /numbers {"case_id"} */

static gboolean
number_for_case (LkServer                *self,
                 LkServerUser            *user,
                 JsonObject              *body,
                 gint64                   now,
                 JsonNode               **out_root,
                 LkServerNumbersRefusal  *refusal,
                 GError                 **error)
{
  g_auto(Series) series = { 0, };
  g_autofree char *unit = NULL;
  g_autofree char *service_type = NULL;
  g_autofree char *number = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const char *case_id;
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  int rc;

  if (!lk_server_get_string_member (body, "case_id", &case_id) || !lk_server_numbers_is_text (case_id, MAX_ID))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request", "The body must be {\"case_id\": CASE_ID}.");
  if (!may_number (user))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_FORBIDDEN, "forbidden",
                   "Only officers, signers and administrators take letter numbers.");

  if (!lk_server_query_row (self, "SELECT unit, service_type FROM cases WHERE id = ?1", case_id,
                            "Looking up the case", NULL, error, &unit, &service_type, NULL))
    return FALSE;
  if (unit == NULL || !lk_server_user_has_unit (user, unit))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_NOT_FOUND, "not_found", "There is no such case in your units.");

  if (!load_series (self, service_type, unit, now, &series, refusal, error))
    return FALSE;

  /* The case's number already issued (directly, not from a block) that no
   * letter used. */
  stmt = lk_store_prepare (self->store,
                           "SELECT number, seq FROM numbers WHERE case_id = ?1 AND status = 'issued' "
                           "AND block_id IS NULL AND format = ?2 AND unit = ?3 AND year = ?4 "
                           "ORDER BY seq LIMIT 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, series.format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, series.unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, series.year);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      number = lk_server_column_dup (stmt, 0);
      seq = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, "Looking up the case's number");
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;

  if (number == NULL)
    {
      if (!take_seqs (self, &series, 1, &seq, error) ||
          !insert_number (self, &series, seq, case_id, NULL, user->id, now, &number, refusal, error))
        return FALSE;
      g_debug ("Number %" G_GINT64_FORMAT " issued for case %s", seq, case_id);
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, number);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, seq);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, series.year);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, series.unit);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, series.format);
  json_builder_end_object (b);
  *out_root = json_builder_get_root (b);
  return TRUE;
}

/* POST /number-blocks {"service_type", "unit", "count"} */

static gboolean
count_open_numbers (LkServer    *self,
                    const char  *user_id,
                    Series      *series,
                    gint64      *out_count,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "SELECT count(*) FROM numbers WHERE issued_to = ?1 AND block_id IS NOT NULL "
                           "AND status = 'issued' AND case_id IS NULL AND format = ?2 AND unit = ?3 AND year = ?4",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, series->format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, series->unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, series->year);
  rc = sqlite3_step (stmt);
  *out_count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self->store, error, "Counting unclaimed numbers");
      return FALSE;
    }

  return TRUE;
}

static gboolean
grant_block (LkServer                *self,
             LkServerUser            *user,
             JsonObject              *body,
             gint64                   now,
             JsonNode               **out_root,
             LkServerNumbersRefusal  *refusal,
             GError                 **error)
{
  g_auto(Series) series = { 0, };
  g_autofree char *block_id = g_uuid_string_random ();
  g_autoptr(JsonBuilder) b = NULL;
  const char *service_type, *unit;
  JsonNode *count_node;
  gint64 count = LK_NUMBERS_BLOCK_SIZE;
  gint64 first = 0, open = 0;
  sqlite3_stmt *stmt;

  count_node = json_object_get_member (body, "count");
  if (!lk_server_get_string_member (body, "service_type", &service_type) ||
      !lk_server_numbers_is_text (service_type, MAX_ID) ||
      !lk_server_get_string_member (body, "unit", &unit) || !lk_server_numbers_is_text (unit, MAX_ID) ||
      (count_node != NULL && (!JSON_NODE_HOLDS_VALUE (count_node) ||
                              json_node_get_value_type (count_node) != G_TYPE_INT64)))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "The body must be {\"service_type\": ID, \"unit\": ID, \"count\": 1 to %d}.",
                   LK_NUMBERS_MAX_BLOCK);
  if (count_node != NULL)
    count = json_node_get_int (count_node);
  if (count < 1 || count > LK_NUMBERS_MAX_BLOCK)
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "“count” must be 1 to %d numbers.", LK_NUMBERS_MAX_BLOCK);
  if (!may_number (user))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_FORBIDDEN, "forbidden",
                   "Only officers, signers and administrators take letter numbers.");
  if (!lk_server_user_has_unit (user, unit))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_FORBIDDEN, "forbidden", "The unit is not one of yours.");
  if (!load_series (self, service_type, unit, now, &series, refusal, error))
    return FALSE;

  if (!count_open_numbers (self, user->id, &series, &open, error))
    return FALSE;
  if (open + count > MAX_OPEN_NUMBERS)
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_CONFLICT, "conflict",
                   "You hold %" G_GINT64_FORMAT " unclaimed offline numbers of this series already; "
                   "at most %d: report or return them first.", open, MAX_OPEN_NUMBERS);

  if (!take_seqs (self, &series, count, &first, error))
    return FALSE;

  stmt = lk_store_prepare (self->store,
                           "INSERT INTO number_blocks (id, user_id, format, unit, year, first_seq, last_seq, granted_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, block_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, series.format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, series.unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, series.year);
  sqlite3_bind_int64 (stmt, 6, first);
  sqlite3_bind_int64 (stmt, 7, first + count - 1);
  sqlite3_bind_int64 (stmt, 8, now);
  if (!lk_server_step_done (self, stmt, "Recording a number block", error))
    return FALSE;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "block_id");
  json_builder_add_string_value (b, block_id);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, series.format);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, series.unit);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, series.year);
  json_builder_set_member_name (b, "numbers");
  json_builder_begin_array (b);
  for (gint64 seq = first; seq < first + count; seq++)
    {
      g_autofree char *number = NULL;

      if (!insert_number (self, &series, seq, NULL, block_id, user->id, now, &number, refusal, error))
        return FALSE;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, number);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, seq);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  *out_root = json_builder_get_root (b);

  g_debug ("Block %s of %" G_GINT64_FORMAT " numbers granted", block_id, count);
  return TRUE;
}

/* Router */

void
lk_server_handle_numbers (LkServer          *self,
                          SoupServerMessage *msg,
                          const char        *rest,
                          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *block_id = NULL;
  LkServerNumbersWork work = NULL;
  guint ok_status = SOUP_STATUS_OK;

  if (g_str_equal (rest, "/numbers") && method == SOUP_METHOD_GET)
    ;
  else if (g_str_equal (rest, "/numbers") && method == SOUP_METHOD_POST)
    work = number_for_case;
  else if (g_str_equal (rest, "/numbers/claim") && method == SOUP_METHOD_POST)
    work = lk_server_numbers_claim;
  else if (g_str_equal (rest, "/numbers/void") && method == SOUP_METHOD_POST)
    work = lk_server_numbers_void;
  else if (g_str_equal (rest, "/number-blocks") && method == SOUP_METHOD_POST)
    work = grant_block, ok_status = SOUP_STATUS_CREATED;
  else if (g_str_has_prefix (rest, "/number-blocks/") && g_str_has_suffix (rest, "/return") &&
           method == SOUP_METHOD_POST)
    {
      const char *start = rest + strlen ("/number-blocks/");

      block_id = g_strndup (start, strlen (start) - strlen ("/return"));
      if (!lk_server_is_uuid (block_id))
        {
          lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such block.");
          return;
        }
      work = lk_server_numbers_return_block;
    }
  else if (g_str_equal (rest, "/numbers") || g_str_equal (rest, "/numbers/claim") ||
           g_str_equal (rest, "/numbers/void") || g_str_equal (rest, "/number-blocks"))
    {
      lk_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request",
                               "This endpoint does not take that method.");
      return;
    }
  else
    {
      lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such API endpoint.");
      return;
    }

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  if (work == NULL)
    {
      lk_server_numbers_list (self, msg, user, query);
      return;
    }

  if (block_id != NULL)
    {
      root = json_node_init_object (json_node_alloc (), json_object_new ());
      json_object_set_string_member (json_node_get_object (root), "block_id", block_id);
    }
  else
    {
      root = lk_server_parse_body (msg, "The body must be a JSON object (see docs/api-v1.md, “Numbering”).");
      if (root == NULL)
        return;
    }

  run_in_transaction (self, msg, user, json_node_get_object (root), work, ok_status);
}
