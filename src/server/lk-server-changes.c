/* lk-server-changes.c — GET /api/v1/changes: the change feed, scoped to the
 * user's units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <libsoup/soup.h>

#include "lk-server-private.h"

/* GET /api/v1/changes */

static const char *
changes_sql (void)
{
  static char *sql;
  static gsize done;

  /* SQLite builds each record's JSON text (the members of
   * lk_store_get_json), which is spliced into the page as it is. The unary
   * + keeps the planner walking the primary key in seq order, so LIMIT
   * stops the scan after one page; through an index on unit it would
   * gather and sort every remaining change first (64 ms a page at 100 000
   * cases, growing with the database). */
  if (g_once_init_enter (&done))
    {
      sql = g_strdup_printf ("SELECT ch.seq, ch.kind, %s FROM changes AS ch "
                             "WHERE ch.seq > ?1 AND (+ch.unit IS NULL OR +ch.unit IN "
                             "(SELECT unit_id FROM user_units WHERE user_id = ?2)) "
                             "ORDER BY ch.seq LIMIT ?3",
                             lk_store_change_record_sql ());
      g_once_init_leave (&done, 1);
    }

  return sql;
}

void
lk_server_handle_changes (LkServer          *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) page = NULL;
  const char *since_s = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_s = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 since = 0, limit = LK_SERVER_DEFAULT_PAGE;
  gint64 last = -1;
  guint n_rows = 0;
  gboolean more = FALSE, first = TRUE;
  sqlite3_stmt *stmt;
  gsize len;
  int rc;

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  if (since_s != NULL && *since_s != '\0' && !lk_server_parse_uint64 (since_s, G_MAXINT64, &since))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "“since” must be a cursor returned as “next” by an earlier page.");
      return;
    }
  if (limit_s != NULL && (!lk_server_parse_uint64 (limit_s, LK_SERVER_MAX_PAGE, &limit) || limit < 1))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "“limit” must be a number from 1 to 1000.");
      return;
    }

  stmt = lk_store_prepare (self->store, changes_sql (), &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, (gint64) since);
  sqlite3_bind_text (stmt, 2, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);

  /* A demo record is 200–400 bytes of JSON: one allocation for most pages. */
  page = g_string_sized_new (4096 + (gsize) limit * 384);
  g_string_append (page, "{\"changes\":[");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *record = (const char *) sqlite3_column_text (stmt, 2);

      if (n_rows++ == limit)
        {
          more = TRUE;
          break;
        }
      last = sqlite3_column_int64 (stmt, 0);

      /* A record that is gone, or a kind this build does not know. */
      if (record == NULL || !lk_store_kind_is_valid (kind))
        continue;

      /* Appended piece by piece: printf's %s scans and copies the record
       * text a byte at a time. kind is one of the store's kinds. */
      if (!first)
        g_string_append_c (page, ',');
      g_string_append_printf (page, "{\"seq\":%" G_GINT64_FORMAT ",\"kind\":\"", last);
      g_string_append (page, kind);
      g_string_append (page, "\",\"record\":");
      g_string_append_len (page, record, sqlite3_column_bytes (stmt, 2));
      g_string_append_c (page, '}');
      first = FALSE;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, &error, "Reading the change feed");
  sqlite3_reset (stmt);
  if (error != NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  g_string_append_printf (page, "],\"next\":\"%" G_GINT64_FORMAT "\",\"more\":%s}",
                          last >= 0 ? last : (gint64) since, more ? "true" : "false");

  len = page->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (g_steal_pointer (&page), FALSE), len);
}

