/* lk-cli-numbers.c — loketctl numbers void|list: the register of letter
 * numbers, for administrators (docs/api-v1.md, "Numbering")
 *
 * void: POST /api/v1/numbers/void {"number", "reason"}: a number issued
 * but never used by a signed letter is voided, with the reason kept.
 * list: GET /api/v1/numbers: every sequence number of a series (service
 * type, unit, year) with its status, the case or offline block it went
 * to and why it was voided, so that a gap never goes unexplained.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "store/lk-store-private.h"

#include "lk-cli.h"

#define MAX_REASON      4096               /* bytes of a void reason (the server's limit) */
#define MAX_VOID_REPLY  (64 * 1024)        /* bytes of the answer to a void */
#define MAX_PAGE_REPLY  (8 * 1024 * 1024)  /* bytes of one page of the register (1000 rows) */
#define MAX_PAGES       1000               /* pages of one series listed: a million numbers */

static GOptionContext *
new_context (const char   *parameter,
             const char   *summary,
             char        **server_url,
             char        **username,
             char        **password_file,
             GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter);
  const GOptionEntry account[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, server_url,
      N_("The server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, username,
      N_("The user name (default: that of the last sync)"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, password_file,
      N_("Read the password from the first line of FILE (default: $LOKET_PASSWORD)"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, account, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

/* The id of the unit whose code (or id) is CODE in the local store. */
static char *
find_unit (LkStore    *store,
           const char *code)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT id FROM units WHERE code = ?1 OR id = ?1 ORDER BY code = ?1 DESC LIMIT 1",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  lk_store_unlock (store);
  return id;
}

/* The id of the service type whose code (or id) is CODE. */
static char *
find_service_type (LkStore    *store,
                   const char *code)
{
  g_autoptr(GPtrArray) types = lk_store_list_service_types (store, NULL);

  for (guint i = 0; types != NULL && i < types->len; i++)
    if (g_strcmp0 (lk_service_type_get_code (g_ptr_array_index (types, i)), code) == 0)
      return g_strdup (lk_service_type_get_id (g_ptr_array_index (types, i)));
  for (guint i = 0; types != NULL && i < types->len; i++)
    if (g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (types, i)), code) == 0)
      return g_strdup (code);
  return NULL;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* void */

int
lk_cli_numbers_void_run (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(LkCliSession) session = { NULL, };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *reason = NULL;
  int status;
  GOptionEntry entries[] = {
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the number is voided (required; kept in the register)"), N_("TEXT") },
    { NULL }
  };

  context = new_context (_("NUMBER"),
                         _("Voids a letter number that was issued but is not used by a signed letter "
                           "(e.g. a draft thrown away), with the reason, so that the gap in the register "
                           "is explained. A used number cannot be voided: revoke its letter instead. "
                           "Administrators and signers of the number’s unit; needs the server."),
                         &server_url, &username, &password_file, entries);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      lk_cli_printerr (_("Give one letter number, e.g. 503/0112/DPMPTSP/2026"));
      return LK_CLI_EXIT_USAGE;
    }
  if (reason != NULL)
    g_strstrip (reason);
  if (reason == NULL || *reason == '\0' || strlen (reason) > MAX_REASON || !g_utf8_validate (reason, -1, NULL))
    {
      lk_cli_printerr (_("Give the reason with --reason TEXT (1 to %d bytes)"), MAX_REASON);
      return LK_CLI_EXIT_USAGE;
    }

  status = lk_cli_session_open (&session, server_url, username, password_file);
  if (status != LK_CLI_EXIT_OK)
    return status;

  body = json_object_new ();
  json_object_set_string_member (body, "number", argv[1]);
  json_object_set_string_member (body, "reason", reason);
  request = json_node_init_object (json_node_alloc (), json_object_ref (body));
  answer = lk_sync_client_post_json (session.client, "/api/v1/numbers/void", request, MAX_VOID_REPLY, NULL, &error);
  if (answer == NULL)
    {
      lk_cli_printerr (_("%s: the number was not voided: %s"), argv[1], error->message);
      return LK_CLI_EXIT_ERROR;
    }
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      g_strcmp0 (string_member (json_node_get_object (answer), "status"), "voided") != 0)
    {
      lk_cli_printerr (_("%s: the server answered something unexpected"), argv[1]);
      return LK_CLI_EXIT_ERROR;
    }

  g_print ("%s\tvoided\n", argv[1]);
  return LK_CLI_EXIT_OK;
}

/* list */

/* Prints one row of the register: seq, number, status, where it went (the
 * case's receipt, else block:ID, else -) and the void reason (or -). */
static void
print_row (LkStore    *store,
           JsonObject *row)
{
  g_autofree char *where = NULL;
  g_autofree char *number = lk_cli_field (string_member (row, "number"));
  g_autofree char *reason = lk_cli_field (string_member (row, "void_reason"));
  const char *case_id = string_member (row, "case_id");
  const char *block_id = string_member (row, "block_id");
  JsonNode *seq = json_object_get_member (row, "seq");

  if (case_id != NULL)
    {
      g_autoptr(LkCase) kase = lk_store_get_case (store, case_id, NULL);

      where = lk_cli_field (kase != NULL ? lk_case_get_receipt (kase) : case_id);
    }
  else if (block_id != NULL)
    where = g_strdup_printf ("block:%s", block_id);
  else
    where = g_strdup ("-");

  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n",
           seq != NULL && JSON_NODE_HOLDS_VALUE (seq) ? json_node_get_int (seq) : (gint64) 0,
           *number != '\0' ? number : "-",
           string_member (row, "status") != NULL ? string_member (row, "status") : "-",
           where,
           *reason != '\0' ? reason : "-");
}

int
lk_cli_numbers_list_run (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(LkCliSession) session = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *service = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *service_id = NULL;
  g_autofree char *unit_id = NULL;
  g_autofree char *service_query = NULL;
  g_autofree char *unit_query = NULL;
  int year = 0;
  gint64 after = 0;
  int status;
  GOptionEntry entries[] = {
    { "service", 0, 0, G_OPTION_ARG_STRING, &service,
      N_("The service type, by its code (required)"), N_("CODE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit,
      N_("The unit, by its code (required)"), N_("CODE") },
    { "year", 0, 0, G_OPTION_ARG_INT, &year,
      N_("The year of the numbers (default: this year)"), N_("YEAR") },
    { NULL }
  };

  context = new_context (NULL,
                         _("Lists the register of letter numbers of one series (service type, unit, year), "
                           "one tab-separated line per sequence number: seq, number, status (issued, used, "
                           "voided), the case’s receipt or the offline block (block:ID), and the void reason. "
                           "Administrators only; needs the server."),
                         &server_url, &username, &password_file, entries);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 1 || service == NULL || unit == NULL)
    {
      lk_cli_printerr (_("Give the series with --service CODE and --unit CODE (and --year YEAR)"));
      return LK_CLI_EXIT_USAGE;
    }
  if (year == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      year = g_date_time_get_year (now);
    }
  if (year < 2000 || year > 9999)
    {
      lk_cli_printerr (_("The year must be from 2000 to 9999"));
      return LK_CLI_EXIT_USAGE;
    }

  status = lk_cli_session_open (&session, server_url, username, password_file);
  if (status != LK_CLI_EXIT_OK)
    return status;
  if (session.role != LK_ROLE_ADMIN)
    {
      lk_cli_printerr (_("Only administrators read the register of numbers; %s is not one"), session.username);
      return LK_CLI_EXIT_ERROR;
    }

  service_id = find_service_type (session.store, service);
  if (service_id == NULL)
    {
      lk_cli_printerr (_("There is no service type with the code “%s”"), service);
      return LK_CLI_EXIT_ERROR;
    }
  unit_id = find_unit (session.store, unit);
  if (unit_id == NULL)
    {
      lk_cli_printerr (_("There is no unit with the code “%s”"), unit);
      return LK_CLI_EXIT_ERROR;
    }
  service_query = g_uri_escape_string (service_id, NULL, FALSE);
  unit_query = g_uri_escape_string (unit_id, NULL, FALSE);

  for (guint page = 0; page < MAX_PAGES; page++)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) answer = NULL;
      JsonObject *object;
      JsonArray *numbers;
      JsonNode *more;

      path = g_strdup_printf ("/api/v1/numbers?service_type=%s&unit=%s&year=%d&after=%" G_GINT64_FORMAT
                              "&limit=1000", service_query, unit_query, year, after);
      answer = lk_sync_client_send_json (session.client, "GET", path, NULL, MAX_PAGE_REPLY, NULL, &error);
      if (answer == NULL)
        {
          lk_cli_printerr (_("The register cannot be read: %s"), error->message);
          return LK_CLI_EXIT_ERROR;
        }
      object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
      numbers = object != NULL && json_object_has_member (object, "numbers") &&
                JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "numbers"))
                ? json_object_get_array_member (object, "numbers") : NULL;
      if (numbers == NULL)
        {
          lk_cli_printerr (_("The register cannot be read: the server answered something unexpected"));
          return LK_CLI_EXIT_ERROR;
        }

      for (guint i = 0; i < json_array_get_length (numbers); i++)
        {
          JsonNode *node = json_array_get_element (numbers, i);
          JsonObject *row = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (row == NULL)
            continue;
          print_row (session.store, row);
          after = MAX (after, json_object_get_int_member_with_default (row, "seq", after));
        }

      more = json_object_get_member (object, "more");
      if (more == NULL || !JSON_NODE_HOLDS_VALUE (more) || !json_node_get_boolean (more) ||
          json_array_get_length (numbers) == 0)
        return LK_CLI_EXIT_OK;
    }

  lk_cli_printerr (_("The register is longer than %d pages; only those are listed"), MAX_PAGES);
  return LK_CLI_EXIT_ERROR;
}
