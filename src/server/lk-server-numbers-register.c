/* lk-server-numbers-register.c — GET /api/v1/numbers: the register of a
 * numbering series, every sequence number with its status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "sync/lk-numbers.h"
#include "lk-server-numbers-private.h"

/* GET /numbers?format=|service_type=&unit=&year=[&after=SEQ&limit=N] (admin) */

static void
add_nullable_text (JsonBuilder  *b,
                   const char   *name,
                   sqlite3_stmt *stmt,
                   int           col)
{
  json_builder_set_member_name (b, name);
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, col));
}

static void
add_nullable_int (JsonBuilder  *b,
                  const char   *name,
                  sqlite3_stmt *stmt,
                  int           col)
{
  json_builder_set_member_name (b, name);
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, sqlite3_column_int64 (stmt, col));
}

static void
add_missing (JsonBuilder *b,
             gint64       seq)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, seq);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "missing");
  json_builder_end_object (b);
}

void
lk_server_numbers_list (LkServer          *self,
                        SoupServerMessage *msg,
                        LkServerUser      *user,
                        GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *format = NULL;
  const char *unit, *year_text, *service_type, *after_text, *limit_text;
  guint64 year = 0, after = 0, limit = LK_SERVER_MAX_PAGE;
  gint64 next_seq = 1, expected;
  guint rows = 0;
  sqlite3_stmt *stmt;
  int rc;

  if (user->role != LK_ROLE_ADMIN)
    {
      lk_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", "Only an administrator may read the register.");
      return;
    }

  unit = query != NULL ? g_hash_table_lookup (query, "unit") : NULL;
  year_text = query != NULL ? g_hash_table_lookup (query, "year") : NULL;
  service_type = query != NULL ? g_hash_table_lookup (query, "service_type") : NULL;
  after_text = query != NULL ? g_hash_table_lookup (query, "after") : NULL;
  limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  format = g_strdup (query != NULL ? g_hash_table_lookup (query, "format") : NULL);
  if (unit == NULL || !lk_server_numbers_is_text (unit, MAX_ID) || year_text == NULL ||
      !lk_server_parse_uint64 (year_text, MAX_YEAR, &year) || year < MIN_YEAR ||
      (format == NULL) == (service_type == NULL) ||
      (after_text != NULL && !lk_server_parse_uint64 (after_text, G_MAXINT64, &after)) ||
      (limit_text != NULL && (!lk_server_parse_uint64 (limit_text, LK_SERVER_MAX_PAGE, &limit) || limit == 0)))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Give unit=ID, year=YYYY and either format=FORMAT or service_type=ID "
                               "(optional after=SEQ, limit=1 to 1000).");
      return;
    }

  if (service_type != NULL)
    {
      stmt = lk_store_prepare (self->store, "SELECT number_format FROM service_types WHERE id = ?1", &error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, service_type, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        format = lk_server_column_dup (stmt, 0);
      sqlite3_reset (stmt);
      if (format == NULL)
        {
          lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "There is no such service type.");
          return;
        }
    }

  stmt = lk_store_prepare (self->store,
                           "SELECT next_seq FROM number_counters WHERE format = ?1 AND unit = ?2 AND year = ?3", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) year);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    next_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, format);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, unit);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, (gint64) year);
  json_builder_set_member_name (b, "next_seq");
  json_builder_add_int_value (b, next_seq);
  json_builder_set_member_name (b, "numbers");
  json_builder_begin_array (b);

  stmt = lk_store_prepare (self->store,
                           "SELECT n.seq, n.number, n.status, n.case_id, n.letter_id, n.block_id, "
                           "iu.username, n.issued_at, n.used_at, n.void_reason, vu.username, n.voided_at "
                           "FROM numbers AS n LEFT JOIN users AS iu ON iu.id = n.issued_to "
                           "LEFT JOIN users AS vu ON vu.id = n.voided_by "
                           "WHERE n.format = ?1 AND n.unit = ?2 AND n.year = ?3 AND n.seq > ?4 "
                           "ORDER BY n.seq LIMIT ?5",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) year);
  sqlite3_bind_int64 (stmt, 4, (gint64) after);
  sqlite3_bind_int64 (stmt, 5, (gint64) limit);
  expected = (gint64) after + 1;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      /* Never expected: every sequence number taken has its row. */
      for (; expected < seq && rows < limit; expected++, rows++)
        add_missing (b, expected);
      if (rows >= limit)
        break;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, seq);
      add_nullable_text (b, "number", stmt, 1);
      add_nullable_text (b, "status", stmt, 2);
      add_nullable_text (b, "case_id", stmt, 3);
      add_nullable_text (b, "letter_id", stmt, 4);
      add_nullable_text (b, "block_id", stmt, 5);
      add_nullable_text (b, "issued_to", stmt, 6);
      add_nullable_int (b, "issued_at", stmt, 7);
      add_nullable_int (b, "used_at", stmt, 8);
      add_nullable_text (b, "void_reason", stmt, 9);
      add_nullable_text (b, "voided_by", stmt, 10);
      add_nullable_int (b, "voided_at", stmt, 11);
      json_builder_end_object (b);
      expected = seq + 1;
      rows++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, &error, "Reading the register");
  sqlite3_reset (stmt);
  if (error != NULL)
    goto failed;
  for (; expected < next_seq && rows < limit; expected++, rows++)
    add_missing (b, expected);

  json_builder_end_array (b);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, expected < next_seq);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lk_server_respond_json (msg, SOUP_STATUS_OK, root);
  return;

failed:
  lk_server_respond_internal (msg, error);
}
