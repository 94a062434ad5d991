/* lk-cli-cases.c — loketctl cases …: the cases in the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-account.h"
#include "store/lk-store.h"

#include "lk-cli.h"

static GString *
state_names (void)
{
  GString *names = g_string_new (NULL);

  for (int i = 0; i < LK_N_CASE_STATES; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, lk_case_state_to_string ((LkCaseState) i));
    }

  return names;
}

int
lk_cli_cases_list_run (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) states = state_names ();
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *state_name = NULL;
  g_autofree char *search = NULL;
  int status;
  g_autofree char *description = NULL;
  LkCaseState state = LK_CASE_STATE_INVALID;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The account’s server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The account’s user name (default: that of the last sync)"), N_("NAME") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state_name,
      N_("Only cases in this state"), N_("STATE") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only cases whose receipt number, applicant name, NIK or business name start with these words"),
      N_("TEXT") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("At most N cases (default: all)"), N_("N") },
    { NULL }
  };

  description = g_strdup_printf (_("Prints one line per case, newest first, with tab-separated "
                                   "fields: receipt number, state, service code, applicant name.\n\n"
                                   "States: %s"), states->str);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Lists the cases in the local store of an account, as of its last sync."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;

  if (argc > 1)
    {
      lk_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return LK_CLI_EXIT_USAGE;
    }
  if ((server_url == NULL) != (username == NULL))
    {
      lk_cli_printerr (_("Pass both --server and --user, or neither (for the account of the last sync)"));
      return LK_CLI_EXIT_USAGE;
    }
  if (limit < 0)
    {
      lk_cli_printerr (_("--limit must not be negative"));
      return LK_CLI_EXIT_USAGE;
    }
  if (state_name != NULL)
    {
      state = lk_case_state_from_string (state_name);
      if (state == LK_CASE_STATE_INVALID)
        {
          lk_cli_printerr (_("Unknown state “%s”; the states are: %s"), state_name, states->str);
          return LK_CLI_EXIT_USAGE;
        }
    }
  if (search != NULL && strlen (search) > LK_STORE_MAX_SEARCH)
    {
      lk_cli_printerr (_("The search text is longer than %d bytes"), LK_STORE_MAX_SEARCH);
      return LK_CLI_EXIT_USAGE;
    }

  store = lk_cli_open_account_store (server_url, username, NULL, NULL, &status);
  if (store == NULL)
    return status;

  cases = lk_store_query_cases (store, state, search, (guint) limit, NULL, &error);
  if (cases == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  for (guint i = 0; i < cases->len; i++)
    {
      LkCase *c = g_ptr_array_index (cases, i);
      g_autofree char *receipt = lk_cli_field (lk_case_get_receipt (c));
      g_autofree char *service = lk_cli_field (lk_case_get_service_code (c));
      g_autofree char *applicant = lk_cli_field (lk_case_get_applicant_name (c));

      g_print ("%s\t%s\t%s\t%s\n", receipt,
               lk_case_state_to_string (lk_case_get_state (c)),
               service, applicant);
    }

  return LK_CLI_EXIT_OK;
}
