/* lk-numbers.c — letter numbers on a desk: from the server when online,
 * from a block the server granted in advance when not, reported back on
 * reconnect (docs/api-v1.md, "Numbering")
 *
 * The blocks live in the client store's number_blocks table, one row per
 * number: free (granted, not taken), taken (used for a case offline, not
 * yet reported) or reported (the server knows its case).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "store/lk-store-private.h"
#include "sync/lk-numbers.h"

#define MAX_ANSWER        (256 * 1024)  /* bytes of a numbering answer */
#define MAX_NUMBER        LK_STORE_MAX_TEXT
#define MAX_CLAIMS        200           /* claims in one request (the server takes 500 in 64 KiB) */
#define MAX_SEQ_WIDTH     9             /* N of {seq:0N} */
#define MAX_FORMATTED     1024          /* bytes of a formatted number */

/* Helpers */

static int
current_year (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_year (now);
}

static gboolean
number_is_sane (const char *number)
{
  return number != NULL && *number != '\0' && strlen (number) <= MAX_NUMBER &&
         g_utf8_validate (number, -1, NULL);
}

/* The format and unit of CASE_ID's numbers, from the local store. */
static gboolean
case_series (LkStore     *store,
             const char  *case_id,
             char       **out_format,
             char       **out_unit,
             GError     **error)
{
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) service = NULL;
  const char *format;

  kase = lk_store_get_json (store, LK_KIND_CASE, case_id, error);
  if (kase == NULL)
    return FALSE;
  service = lk_store_get_json (store, LK_KIND_SERVICE_TYPE,
                               json_object_get_string_member_with_default (kase, "service_type", ""), error);
  if (service == NULL)
    return FALSE;
  format = json_object_get_string_member_with_default (service, "number_format", NULL);
  if (format == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   _("The case’s service type has no number format"));
      return FALSE;
    }

  *out_format = g_strdup (format);
  *out_unit = g_strdup (json_object_get_string_member_with_default (kase, "unit", ""));
  return TRUE;
}

/* The number the local blocks give CASE_ID: one taken for it already, or
 * the lowest free one, marked taken. NULL (no error) when there is none. */
static char *
take_local (LkStore     *store,
            const char  *case_id,
            GError     **error)
{
  g_autofree char *format = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *number = NULL;
  sqlite3_stmt *stmt;
  int year = current_year ();
  int rc;

  if (!case_series (store, case_id, &format, &unit, error))
    return NULL;

  if (!lk_store_begin (store, error))
    return NULL;

  stmt = lk_store_prepare (store,
                           "SELECT number FROM number_blocks WHERE case_id = ?1 AND status <> 'free' "
                           "AND format = ?2 AND unit = ?3 AND year = ?4 ORDER BY seq LIMIT 1",
                           error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, year);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    number = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (store, error, "Looking up the case's offline number");
      goto failed;
    }
  if (number != NULL)
    {
      lk_store_rollback (store);
      return g_steal_pointer (&number);
    }

  stmt = lk_store_prepare (store,
                           "UPDATE number_blocks SET status = 'taken', case_id = ?1, taken_at = ?5 "
                           "WHERE number = (SELECT number FROM number_blocks WHERE status = 'free' "
                           "AND format = ?2 AND unit = ?3 AND year = ?4 ORDER BY seq LIMIT 1) RETURNING number",
                           error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, unit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, year);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    number = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (store, error, "Taking an offline number");
      goto failed;
    }
  if (!lk_store_commit (store, error))
    return NULL;

  if (number == NULL)
    g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
                 _("The server cannot be reached and no offline numbers are left for this kind of letter; "
                   "connect to the server to get a number"));
  else
    g_debug ("Offline number taken for case %s", case_id);
  return g_steal_pointer (&number);

failed:
  lk_store_rollback (store);
  return NULL;
}

/* POST /numbers/claim with the taken numbers; each answered one becomes
 * reported (a claim the server refused too: it knows why, and signing
 * with it will say so). */
static gboolean
report_taken (LkSyncClient  *client,
              LkStore       *store,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);
  JsonNode *results_node;
  sqlite3_stmt *stmt;
  int rc;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "claims");
  json_builder_begin_array (b);

  lk_store_lock (store);
  stmt = lk_store_prepare (store,
                           "SELECT number, case_id, letter_id FROM number_blocks WHERE status = 'taken' "
                           "ORDER BY taken_at, seq LIMIT ?1",
                           error);
  if (stmt == NULL)
    {
      lk_store_unlock (store);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, MAX_CLAIMS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (b, "case_id");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        {
          json_builder_set_member_name (b, "letter_id");
          json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
        }
      json_builder_end_object (b);
      g_ptr_array_add (sent, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (store, error, "Listing the offline numbers taken");
  lk_store_unlock (store);
  if (rc != SQLITE_DONE)
    return FALSE;

  json_builder_end_array (b);
  json_builder_end_object (b);
  if (sent->len == 0)
    return TRUE;

  body = json_builder_get_root (b);
  answer = lk_sync_client_post_json (client, "/api/v1/numbers/claim", body, MAX_ANSWER, cancellable, error);
  if (answer == NULL)
    return FALSE;
  results_node = JSON_NODE_HOLDS_OBJECT (answer)
                 ? json_object_get_member (json_node_get_object (answer), "results") : NULL;
  if (results_node == NULL || !JSON_NODE_HOLDS_ARRAY (results_node))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent an answer to the number claims that this version of Loket does not understand"));
      return FALSE;
    }

  if (!lk_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (results_node)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (results_node), i);
      JsonObject *result;
      const char *number, *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      result = json_node_get_object (node);
      number = json_object_get_string_member_with_default (result, "number", NULL);
      status = json_object_get_string_member_with_default (result, "status", NULL);
      if (number == NULL || status == NULL ||
          !g_ptr_array_find_with_equal_func (sent, number, g_str_equal, NULL))
        continue;
      if (!g_str_equal (status, "claimed"))
        g_debug ("The server refused an offline number's claim: %s",
                 json_object_get_string_member_with_default (result, "message", "no reason"));

      stmt = lk_store_prepare (store, "UPDATE number_blocks SET status = 'reported' WHERE number = ?1", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_sql_error (store, error, "Marking an offline number reported");
          goto failed;
        }
    }

  return lk_store_commit (store, error);

failed:
  lk_store_rollback (store);
  return FALSE;
}

/* Asks a block for SERVICE_TYPE in UNIT and stores its numbers free. */
static gboolean
fetch_block (LkSyncClient  *client,
             LkStore       *store,
             const char    *service_type,
             const char    *unit,
             guint          count,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), json_object_new ());
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object, *request = json_node_get_object (body);
  JsonArray *numbers;
  const char *block_id, *format, *answer_unit;
  gint64 year;

  json_object_set_string_member (request, "service_type", service_type);
  json_object_set_string_member (request, "unit", unit);
  json_object_set_int_member (request, "count", count);
  answer = lk_sync_client_post_json (client, "/api/v1/number-blocks", body, MAX_ANSWER, cancellable, error);
  if (answer == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (answer))
    goto malformed;
  object = json_node_get_object (answer);
  block_id = json_object_get_string_member_with_default (object, "block_id", NULL);
  format = json_object_get_string_member_with_default (object, "format", NULL);
  answer_unit = json_object_get_string_member_with_default (object, "unit", NULL);
  year = json_object_get_int_member_with_default (object, "year", 0);
  if (block_id == NULL || strlen (block_id) > LK_STORE_MAX_TEXT || !number_is_sane (format) ||
      g_strcmp0 (answer_unit, unit) != 0 || year < 1 || year > 9999 ||
      !json_object_has_member (object, "numbers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "numbers")))
    goto malformed;
  numbers = json_object_get_array_member (object, "numbers");
  if (json_array_get_length (numbers) > LK_NUMBERS_MAX_BLOCK)
    goto malformed;

  if (!lk_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (numbers); i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);
      const char *number;
      sqlite3_stmt *stmt;
      int rc;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !number_is_sane (number = json_object_get_string_member_with_default (json_node_get_object (node),
                                                                                 "number", NULL)))
        {
          lk_store_rollback (store);
          goto malformed;
        }
      stmt = lk_store_prepare (store,
                               "INSERT OR IGNORE INTO number_blocks (number, block_id, format, unit, year, seq, status) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'free')",
                               error);
      if (stmt == NULL)
        {
          lk_store_rollback (store);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, block_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, format, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, unit, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, year);
      sqlite3_bind_int64 (stmt, 6, json_object_get_int_member_with_default (json_node_get_object (node), "seq", 0));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_sql_error (store, error, "Keeping an offline number block");
          lk_store_rollback (store);
          return FALSE;
        }
    }
  g_debug ("Offline block %s of %u numbers kept", block_id, json_array_get_length (numbers));
  return lk_store_commit (store, error);

malformed:
  g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
               _("The server sent a block of numbers that this version of Loket does not understand"));
  return FALSE;
}

/* Returns to the server the blocks of past years (their free numbers can
 * no longer be used: a number carries its year) and forgets their free
 * numbers. */
static gboolean
return_old_blocks (LkSyncClient  *client,
                   LkStore       *store,
                   int            year,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  lk_store_lock (store);
  stmt = lk_store_prepare (store,
                           "SELECT DISTINCT block_id FROM number_blocks WHERE status = 'free' AND year < ?1 LIMIT 100",
                           error);
  if (stmt == NULL)
    {
      lk_store_unlock (store);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, year);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (blocks, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (store, error, "Listing the offline blocks of past years");
  lk_store_unlock (store);
  if (rc != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i < blocks->len; i++)
    {
      const char *block_id = g_ptr_array_index (blocks, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = g_uri_escape_string (block_id, NULL, FALSE);

      path = g_strdup_printf ("/api/v1/number-blocks/%s/return", escaped);
      answer = lk_sync_client_post_json (client, path, NULL, MAX_ANSWER, cancellable, &local_error);
      /* A block the server does not know (any more) is forgotten too. */
      if (answer == NULL && !g_error_matches (local_error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (!lk_store_begin (store, error))
        return FALSE;
      stmt = lk_store_prepare (store, "DELETE FROM number_blocks WHERE block_id = ?1 AND status = 'free'", error);
      if (stmt == NULL)
        {
          lk_store_rollback (store);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, block_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_sql_error (store, error, "Forgetting an offline block of a past year");
          lk_store_rollback (store);
          return FALSE;
        }
      if (!lk_store_commit (store, error))
        return FALSE;
      g_debug ("Offline block %s of a past year returned", block_id);
    }

  return TRUE;
}

/* Public API */

char *
lk_numbers_obtain (LkSyncClient  *client,
                   LkStore       *store,
                   const char    *case_id,
                   gboolean      *out_offline,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (client == NULL || LK_IS_SYNC_CLIENT (client), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_offline != NULL)
    *out_offline = FALSE;

  if (client != NULL && lk_sync_client_is_signed_in (client))
    {
      g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), json_object_new ());
      g_autoptr(JsonNode) answer = NULL;
      const char *number;

      json_object_set_string_member (json_node_get_object (body), "case_id", case_id);
      answer = lk_sync_client_post_json (client, "/api/v1/numbers", body, MAX_ANSWER, cancellable, &local_error);
      if (answer != NULL)
        {
          number = JSON_NODE_HOLDS_OBJECT (answer)
                   ? json_object_get_string_member_with_default (json_node_get_object (answer), "number", NULL)
                   : NULL;
          if (!number_is_sane (number))
            {
              g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                           _("The server sent a letter number that this version of Loket does not understand"));
              return NULL;
            }
          return g_strdup (number);
        }
      if (!g_error_matches (local_error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("Numbering offline: %s", local_error->message);
    }

  if (out_offline != NULL)
    *out_offline = TRUE;
  return take_local (store, case_id, error);
}

gboolean
lk_numbers_reconcile (LkSyncClient  *client,
                      LkStore       *store,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GPtrArray) services = NULL;
  g_auto(GStrv) units = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *role;
  int year = current_year ();

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (client), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lk_sync_client_is_signed_in (client))
    return TRUE;

  if (!report_taken (client, store, cancellable, error) ||
      !return_old_blocks (client, store, year, cancellable, error))
    return FALSE;

  /* Inspectors draft no letters. */
  role = lk_sync_client_get_role (client);
  if (g_strcmp0 (role, "officer") != 0 && g_strcmp0 (role, "signer") != 0 && g_strcmp0 (role, "admin") != 0)
    return TRUE;

  services = lk_store_list_service_types (store, error);
  if (services == NULL)
    return FALSE;
  units = lk_sync_client_dup_units (client);

  for (guint u = 0; units[u] != NULL; u++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint s = 0; s < services->len; s++)
        {
          LkServiceType *service = g_ptr_array_index (services, s);
          const char *format = lk_service_type_get_number_format (service);
          guint free_numbers;

          /* Service types that share a format share its numbers. */
          if (format == NULL || g_hash_table_contains (seen, format))
            continue;
          g_hash_table_add (seen, (gpointer) format);

          free_numbers = lk_numbers_count_free (store, format, units[u], year);
          if (free_numbers >= LK_NUMBERS_BLOCK_SIZE / 2)
            continue;
          if (!fetch_block (client, store, lk_service_type_get_id (service), units[u],
                            LK_NUMBERS_BLOCK_SIZE - free_numbers, cancellable, &local_error))
            {
              /* A series the server refuses (a unit taken away, too many
               * numbers held) does not keep the others from their blocks. */
              if (!g_error_matches (local_error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              g_debug ("No offline block for a series: %s", local_error->message);
              g_clear_error (&local_error);
            }
        }
    }

  return TRUE;
}

guint
lk_numbers_count_free (LkStore    *store,
                       const char *format,
                       const char *unit,
                       int         year)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (LK_IS_STORE (store), 0);
  g_return_val_if_fail (format != NULL && unit != NULL, 0);

  lk_store_lock (store);
  stmt = lk_store_prepare (store,
                           "SELECT count(*) FROM number_blocks WHERE format = ?1 AND unit = ?2 AND year = ?3 "
                           "AND status = 'free'",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, format, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, unit, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, year);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  lk_store_unlock (store);

  return count;
}

char *
lk_numbers_format (const char *number_format,
                   const char *unit_code,
                   int         year,
                   gint64      seq)
{
  g_autoptr(GString) out = NULL;
  gboolean has_seq = FALSE;
  const char *p;

  g_return_val_if_fail (number_format != NULL, NULL);

  out = g_string_new (NULL);
  for (p = number_format; *p != '\0'; )
    {
      if (g_str_has_prefix (p, "{seq}"))
        {
          g_string_append_printf (out, "%" G_GINT64_FORMAT, seq);
          has_seq = TRUE;
          p += strlen ("{seq}");
        }
      else if (g_str_has_prefix (p, "{seq:0") && g_ascii_isdigit (p[6]) && p[6] != '0' && p[7] == '}')
        {
          int width = p[6] - '0';

          g_assert (width <= MAX_SEQ_WIDTH);
          g_string_append_printf (out, "%0*" G_GINT64_FORMAT, width, seq);
          has_seq = TRUE;
          p += 8;
        }
      else if (g_str_has_prefix (p, "{unit}"))
        {
          g_string_append (out, unit_code != NULL ? unit_code : "");
          p += strlen ("{unit}");
        }
      else if (g_str_has_prefix (p, "{year}"))
        {
          g_string_append_printf (out, "%d", year);
          p += strlen ("{year}");
        }
      else
        g_string_append_c (out, *p++);
      if (out->len > MAX_FORMATTED)
        return NULL;
    }

  return has_seq ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}
