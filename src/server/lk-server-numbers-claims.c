/* lk-server-numbers-claims.c — what happens to numbers after they are
 * issued: claims of numbers a desk took offline, voids, returned blocks,
 * and the use of a number by a signed letter (docs/api-v1.md, "Numbering")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "sync/lk-numbers.h"
#include "lk-server-numbers-private.h"

/* POST /numbers/claim {"claims": [{"number", "case_id", "letter_id"}]} */

/* One claim: NULL when recorded, else why not (an English sentence). */
static char *
claim_one (LkServer      *self,
           LkServerUser  *user,
           const char    *number,
           const char    *case_id,
           const char    *letter_id,
           GError       **error)
{
  g_autofree char *status = NULL, *owner = NULL, *unit = NULL, *claimed_case = NULL, *claimed_letter = NULL;
  g_autofree char *case_unit = NULL;
  gboolean found = FALSE;
  sqlite3_stmt *stmt;

  if (!lk_server_query_row (self,
                            "SELECT n.status, b.user_id, n.unit, n.case_id, n.letter_id FROM numbers AS n "
                            "JOIN number_blocks AS b ON b.id = n.block_id WHERE n.number = ?1",
                            number, "Looking up a claimed number", &found, error,
                            &status, &owner, &unit, &claimed_case, &claimed_letter, NULL))
    return NULL;

  if (!found || g_strcmp0 (owner, user->id) != 0)
    return g_strdup ("The number is not in a block granted to you.");
  if (g_str_equal (status, "voided"))
    return g_strdup ("The number was voided.");
  if (claimed_case != NULL && !g_str_equal (claimed_case, case_id))
    return g_strdup ("The number is claimed for another case.");
  if (g_str_equal (status, "used"))
    return letter_id == NULL || g_strcmp0 (claimed_letter, letter_id) == 0
           ? NULL : g_strdup ("The number was used by another letter.");

  if (!lk_server_query_row (self, "SELECT unit FROM cases WHERE id = ?1", case_id,
                            "Looking up the claiming case", NULL, error, &case_unit, NULL))
    return NULL;
  if (case_unit == NULL || !lk_server_user_has_unit (user, case_unit))
    return g_strdup ("There is no such case in your units.");
  if (!g_str_equal (case_unit, unit))
    return g_strdup ("The number belongs to another unit than the case.");

  stmt = lk_store_prepare (self->store,
                           "UPDATE numbers SET case_id = ?2, letter_id = coalesce (?3, letter_id) WHERE number = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, case_id, -1, SQLITE_TRANSIENT);
  if (letter_id != NULL)
    sqlite3_bind_text (stmt, 3, letter_id, -1, SQLITE_TRANSIENT);
  if (!lk_server_step_done (self, stmt, "Recording a claim", error))
    return NULL;

  return NULL;
}

gboolean
lk_server_numbers_claim (LkServer                *self,
                         LkServerUser            *user,
                         JsonObject              *body,
                         gint64                   now,
                         JsonNode               **out_root,
                         LkServerNumbersRefusal  *refusal,
                         GError                 **error)
{
  JsonNode *claims_node = json_object_get_member (body, "claims");
  g_autoptr(JsonBuilder) b = NULL;
  JsonArray *claims;

  if (claims_node == NULL || !JSON_NODE_HOLDS_ARRAY (claims_node) ||
      json_array_get_length (json_node_get_array (claims_node)) > MAX_CLAIMS)
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "The body must be {\"claims\": [{\"number\", \"case_id\", \"letter_id\"}]} with at most %d claims.",
                   MAX_CLAIMS);
  claims = json_node_get_array (claims_node);
  for (guint i = 0; i < json_array_get_length (claims); i++)
    {
      JsonNode *node = json_array_get_element (claims, i);
      const char *number, *case_id, *letter_id;
      JsonObject *claim;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      claim = json_node_get_object (node);
      if (!lk_server_get_string_member (claim, "number", &number) || !lk_server_numbers_is_text (number, LK_STORE_MAX_TEXT) ||
          !lk_server_get_string_member (claim, "case_id", &case_id) || !lk_server_numbers_is_text (case_id, MAX_ID) ||
          !lk_server_get_string_member (claim, "letter_id", &letter_id) ||
          (letter_id != NULL && !lk_letter_id_is_valid (letter_id)))
        goto bad;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (claims); i++)
    {
      JsonObject *claim = json_array_get_object_element (claims, i);
      const char *number = json_object_get_string_member (claim, "number");
      g_autofree char *problem = NULL;

      problem = claim_one (self, user, number, json_object_get_string_member (claim, "case_id"),
                           json_object_get_string_member_with_default (claim, "letter_id", NULL), error);
      if (error != NULL && *error != NULL)
        return FALSE;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, number);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, problem == NULL ? "claimed" : "rejected");
      if (problem != NULL)
        {
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, problem);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  *out_root = json_builder_get_root (b);
  return TRUE;

bad:
  return lk_server_numbers_refuse (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request",
                 "Each claim must be {\"number\": text, \"case_id\": text, \"letter_id\": a letter id}.");
}

/* POST /numbers/void {"number", "reason"} */

gboolean
lk_server_numbers_void (LkServer                *self,
                        LkServerUser            *user,
                        JsonObject              *body,
                        gint64                   now,
                        JsonNode               **out_root,
                        LkServerNumbersRefusal  *refusal,
                        GError                 **error)
{
  g_autofree char *status = NULL, *unit = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const char *number, *reason;
  sqlite3_stmt *stmt;

  if (!lk_server_get_string_member (body, "number", &number) || !lk_server_numbers_is_text (number, LK_STORE_MAX_TEXT) ||
      !lk_server_get_string_member (body, "reason", &reason) || !lk_server_numbers_is_text (reason, LK_STORE_MAX_TEXT))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "The body must be {\"number\": text, \"reason\": text of 1 to %d bytes}.", LK_STORE_MAX_TEXT);
  if (user->role != LK_ROLE_ADMIN && user->role != LK_ROLE_SIGNER)
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_FORBIDDEN, "forbidden", "Only an administrator or a signer may void a number.");

  if (!lk_server_query_row (self, "SELECT status, unit FROM numbers WHERE number = ?1", number,
                            "Looking up the number", NULL, error, &status, &unit, NULL))
    return FALSE;
  if (status == NULL || !lk_server_user_has_unit (user, unit))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_NOT_FOUND, "not_found", "No such number was issued in your units.");
  if (g_str_equal (status, "used"))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_CONFLICT, "conflict",
                   "A signed letter carries this number; revoke the letter instead.");
  if (g_str_equal (status, "voided"))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_CONFLICT, "conflict", "The number is voided already.");

  stmt = lk_store_prepare (self->store,
                           "UPDATE numbers SET status = 'voided', void_reason = ?2, voided_by = ?3, voided_at = ?4 "
                           "WHERE number = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!lk_server_step_done (self, stmt, "Voiding a number", error))
    return FALSE;

  g_message ("A number was voided by %s", user->username);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, number);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "voided");
  json_builder_end_object (b);
  *out_root = json_builder_get_root (b);
  return TRUE;
}

/* POST /number-blocks/ID/return */

gboolean
lk_server_numbers_return_block (LkServer                *self,
                                LkServerUser            *user,
                                JsonObject              *body,
                                gint64                   now,
                                JsonNode               **out_root,
                                LkServerNumbersRefusal  *refusal,
                                GError                 **error)
{
  const char *block_id = json_object_get_string_member (body, "block_id");
  g_autofree char *owner = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  sqlite3_stmt *stmt;
  gint64 voided;

  if (!lk_server_query_row (self, "SELECT user_id FROM number_blocks WHERE id = ?1", block_id,
                            "Looking up the block", NULL, error, &owner, NULL))
    return FALSE;
  if (owner == NULL || (g_strcmp0 (owner, user->id) != 0 && user->role != LK_ROLE_ADMIN))
    return lk_server_numbers_refuse (refusal, SOUP_STATUS_NOT_FOUND, "not_found", "No such block was granted to you.");

  stmt = lk_store_prepare (self->store,
                           "UPDATE numbers SET status = 'voided', void_reason = 'returned unused from an offline block', "
                           "voided_by = ?2, voided_at = ?3 WHERE block_id = ?1 AND status = 'issued' AND case_id IS NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, block_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!lk_server_step_done (self, stmt, "Returning a block", error))
    return FALSE;
  voided = sqlite3_changes64 (lk_store_get_handle (self->store));

  stmt = lk_store_prepare (self->store,
                           "UPDATE number_blocks SET returned_at = coalesce (returned_at, ?2) WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, block_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!lk_server_step_done (self, stmt, "Returning a block", error))
    return FALSE;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "block_id");
  json_builder_add_string_value (b, block_id);
  json_builder_set_member_name (b, "voided");
  json_builder_add_int_value (b, voided);
  json_builder_end_object (b);
  *out_root = json_builder_get_root (b);
  return TRUE;
}

gboolean
lk_server_numbers_use (LkServer    *self,
                       const char  *number,
                       const char  *case_id,
                       const char  *letter_id,
                       const char  *user_id,
                       gint64       now,
                       char       **problem,
                       GError     **error)
{
  g_autofree char *status = NULL, *claimed_case = NULL, *used_by = NULL, *block_id = NULL, *owner = NULL;
  g_autofree char *reason = NULL;
  gboolean found = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_SERVER (self), FALSE);
  g_return_val_if_fail (problem != NULL && *problem == NULL, FALSE);

  if (!lk_server_query_row (self,
                            "SELECT n.status, n.case_id, n.letter_id, n.block_id, b.user_id, n.void_reason "
                            "FROM numbers AS n LEFT JOIN number_blocks AS b ON b.id = n.block_id WHERE n.number = ?1",
                            number, "Looking up the letter's number", &found, error,
                            &status, &claimed_case, &used_by, &block_id, &owner, &reason, NULL))
    return FALSE;

  if (!found)
    *problem = g_strdup_printf ("The letter’s number %s was never issued by this server; take a number first.", number);
  else if (g_str_equal (status, "voided"))
    *problem = g_strdup_printf ("The letter’s number %s was voided (%s); draft the letter again with a new number.",
                                number, reason != NULL ? reason : "no reason given");
  else if (g_str_equal (status, "used"))
    {
      if (g_strcmp0 (used_by, letter_id) != 0)
        *problem = g_strdup_printf ("The letter’s number %s is already used by another letter; "
                                    "draft the letter again with a new number.", number);
    }
  else if (claimed_case != NULL && !g_str_equal (claimed_case, case_id))
    *problem = g_strdup_printf ("The letter’s number %s was issued for another case; "
                                "draft the letter again with a new number.", number);
  else if (claimed_case == NULL && (block_id == NULL || g_strcmp0 (owner, user_id) != 0))
    *problem = g_strdup_printf ("The letter’s number %s is in an offline block that was not reported for this case; "
                                "let the desk that drafted it sync first.", number);
  if (*problem != NULL)
    return FALSE;

  stmt = lk_store_prepare (self->store,
                           "UPDATE numbers SET status = 'used', case_id = ?2, letter_id = ?3, "
                           "used_at = coalesce (used_at, ?4) WHERE number = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, letter_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  return lk_server_step_done (self, stmt, "Marking the number used", error);
}
