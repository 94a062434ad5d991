/* lk-cli-letter-revoke.c — loketctl letter revoke: an administrator
 * withdraws a case's signed letter (POST /api/v1/letters/ID/revoke); its
 * public page /v/ID then says revoked, with the reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "lk-cli.h"

#define MAX_REASON       4096          /* bytes of a reason (the server's limit) */
#define MAX_REVOKE_REPLY (64 * 1024)   /* bytes of the answer: the letter's record */

/* The case's newest valid letter, or NULL. */
static JsonObject *
newest_valid_letter (LkStore    *store,
                     const char *case_id)
{
  g_autoptr(GPtrArray) letters = lk_store_list_case_letters (store, case_id, NULL);

  for (guint i = 0; letters != NULL && i < letters->len; i++)
    {
      JsonObject *letter = g_ptr_array_index (letters, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (letter, "status", NULL), "valid") == 0)
        return json_object_ref (letter);
    }
  return NULL;
}

int
lk_cli_letter_revoke_run (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(LkCliSession) session = { NULL, };
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(JsonObject) letter = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shown_reason = NULL;
  JsonObject *revoked;
  const char *letter_id;
  const char *status;
  int exit_status;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The user name (default: that of the last sync)"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE (default: $LOKET_PASSWORD)"), N_("FILE") },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the letter is revoked (required; shown on its public page)"), N_("TEXT") },
    { NULL }
  };

  context = g_option_context_new (_("RECEIPT"));
  g_option_context_set_summary (context,
                                _("Revokes the newest valid letter of a case: it is no longer valid, and its "
                                  "public verification page says revoked, with the reason. It cannot be "
                                  "undone. Administrators only; needs the server."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      lk_cli_printerr (_("Give one receipt number, e.g. SKU-20260105-000001"));
      return LK_CLI_EXIT_USAGE;
    }
  if (reason != NULL)
    g_strstrip (reason);
  if (reason == NULL || *reason == '\0' || strlen (reason) > MAX_REASON || !g_utf8_validate (reason, -1, NULL))
    {
      lk_cli_printerr (_("Give the reason with --reason TEXT (1 to %d bytes)"), MAX_REASON);
      return LK_CLI_EXIT_USAGE;
    }

  exit_status = lk_cli_session_open (&session, server_url, username, password_file);
  if (exit_status != LK_CLI_EXIT_OK)
    return exit_status;
  if (session.role != LK_ROLE_ADMIN)
    {
      lk_cli_printerr (_("Only administrators revoke letters; %s is not one"), session.username);
      return LK_CLI_EXIT_ERROR;
    }

  kase = lk_store_find_case_by_receipt (session.store, argv[1], &error);
  if (kase == NULL)
    {
      lk_cli_printerr (_("There is no case with the receipt number “%s” among the cases you may see"), argv[1]);
      return LK_CLI_EXIT_ERROR;
    }
  letter = newest_valid_letter (session.store, lk_case_get_id (kase));
  if (letter == NULL)
    {
      lk_cli_printerr (_("The case %s has no valid letter to revoke"), argv[1]);
      return LK_CLI_EXIT_ERROR;
    }
  letter_id = json_object_get_string_member (letter, "id");

  body = json_object_new ();
  json_object_set_string_member (body, "reason", reason);
  request = json_node_init_object (json_node_alloc (), json_object_ref (body));
  path = g_strdup_printf ("/api/v1/letters/%s/revoke", letter_id);
  answer = lk_sync_client_post_json (session.client, path, request, MAX_REVOKE_REPLY, NULL, &error);
  if (answer == NULL)
    {
      lk_cli_printerr (_("%s: the letter was not revoked: %s"), argv[1], error->message);
      return LK_CLI_EXIT_ERROR;
    }
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      lk_cli_printerr (_("%s: the server answered something unexpected"), argv[1]);
      return LK_CLI_EXIT_ERROR;
    }
  revoked = json_node_get_object (answer);
  g_debug ("Revoked letter %s", letter_id);

  /* The revoked record into the local store, for `letter show`. */
  if (!lk_cli_session_sync (&session, &error))
    {
      lk_cli_printerr (_("The letter is revoked, but the local store could not be brought up to date: %s"),
                       error->message);
      g_clear_error (&error);
    }

  status = json_object_get_string_member_with_default (revoked, "status", "-");
  shown_reason = lk_cli_field (json_object_get_string_member_with_default (revoked, "status_reason", reason));
  /* Labels stay English and untranslated, as in `letter show`: scripts read these lines. */
  g_print ("receipt\t%s\n", argv[1]);
  g_print ("number\t%s\n", json_object_get_string_member_with_default (revoked, "number", "-"));
  g_print ("letter\t%s\n", letter_id);
  g_print ("status\t%s (%s)\n", status, shown_reason);
  return g_strcmp0 (status, "revoked") == 0 ? LK_CLI_EXIT_OK : LK_CLI_EXIT_ERROR;
}
