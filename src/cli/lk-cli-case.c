/* lk-cli-case.c — loketctl case transition|note: officer actions, queued in
 * the account's local outbox so that they work offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-account.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"

#include "lk-cli.h"

typedef struct
{
  LkStore *store;
  char    *username;  /* the signed-in user, as saved by the last sync */
  LkRole   role;
} Account;

static void
account_clear (Account *account)
{
  g_clear_object (&account->store);
  g_clear_pointer (&account->username, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

/* Opens the local store of --server/--user, or of the last sync, and reads
 * the role the last sync saved. Prints why not and returns an exit status
 * (LK_CLI_EXIT_OK on success). */
static int
open_account (const char *server_url,
              const char *username,
              Account    *account)
{
  g_autofree char *account_server = NULL;
  g_autofree char *account_user = NULL;
  g_autofree char *role = NULL;
  int status;

  account->store = lk_cli_open_account_store (server_url, username, &account_server, &account_user,
                                              &status);
  if (account->store == NULL)
    return status;

  role = lk_store_get_meta (account->store, LK_META_ACCOUNT_ROLE);
  account->role = lk_role_from_string (role);
  account->username = lk_store_get_meta (account->store, LK_META_ACCOUNT_USERNAME);
  if (account->role == LK_ROLE_INVALID || account->username == NULL)
    {
      lk_cli_printerr (_("The role of %s on %s is not known yet: run “loketctl sync” once while "
                         "the server can be reached"), account_user, account_server);
      return LK_CLI_EXIT_ERROR;
    }

  return LK_CLI_EXIT_OK;
}

static LkCase *
find_case (LkStore    *store,
           const char *receipt)
{
  g_autoptr(GError) error = NULL;
  LkCase *c;

  c = lk_store_find_case_by_receipt (store, receipt, &error);
  if (c == NULL)
    {
      if (error == NULL || g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        lk_cli_printerr (_("There is no case with the receipt number “%s” in the local store"),
                         receipt);
      else
        lk_cli_printerr ("%s", error->message);
    }

  return c;
}

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

/* Puts the signed letter into the blob cache; returns its SHA-256. */
static char *
cache_letter (const char  *path,
              GError     **error)
{
  g_autoptr(LkBlobCache) cache = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *sha256 = NULL;

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return NULL;
  if (g_mapped_file_get_length (mapped) > LK_BLOB_MAX_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("“%s” is larger than the limit of %d bytes"), path, LK_BLOB_MAX_SIZE);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);

  dir = lk_account_blob_dir (error);
  if (dir == NULL)
    return NULL;
  cache = lk_blob_cache_new (dir);
  sha256 = lk_blob_compute_sha256 (bytes);
  stored = lk_blob_cache_store (cache, sha256, bytes, error);
  if (stored == NULL)
    return NULL;

  return g_steal_pointer (&sha256);
}

int
lk_cli_case_transition_run (int    argc,
                            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(Account) account = { NULL, };
  g_autoptr(LkCase) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) states = state_names ();
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *letter = NULL;
  g_autofree char *letter_sha256 = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *description = NULL;
  LkCaseState to;
  int status;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The account’s server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The account’s user name (default: that of the last sync)"), N_("NAME") },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
      N_("Why (needed to mark a case incomplete, to reject, to return or to cancel it)"), N_("TEXT") },
    { "letter", 0, 0, G_OPTION_ARG_FILENAME, &letter,
      N_("The signed letter (only and always for the move to “signed”)"), N_("FILE.pdf") },
    { NULL }
  };

  description = g_strdup_printf (_("The move is checked against the lifecycle for your role, applied "
                                   "to the local store and queued in the outbox; “loketctl sync” "
                                   "sends it. Prints the operation’s id.\n\nStates: %s"),
                                 states->str);

  context = g_option_context_new (_("RECEIPT STATE"));
  g_option_context_set_summary (context, _("Moves a case to another state (works offline)."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;

  if (argc != 3)
    {
      lk_cli_printerr (_("Give the receipt number and the new state, e.g. SKD-20260105-000001 verifying"));
      return LK_CLI_EXIT_USAGE;
    }
  to = lk_case_state_from_string (argv[2]);
  if (to == LK_CASE_STATE_INVALID)
    {
      lk_cli_printerr (_("Unknown state “%s”; the states are: %s"), argv[2], states->str);
      return LK_CLI_EXIT_USAGE;
    }
  if (reason != NULL && strlen (reason) > LK_OUTBOX_MAX_REASON)
    {
      lk_cli_printerr (_("The reason is longer than %d bytes"), LK_OUTBOX_MAX_REASON);
      return LK_CLI_EXIT_USAGE;
    }
  if ((letter != NULL) != (to == LK_CASE_STATE_SIGNED))
    {
      lk_cli_printerr (_("--letter FILE.pdf goes with the move to “signed”, and only with it"));
      return LK_CLI_EXIT_USAGE;
    }

  status = open_account (server_url, username, &account);
  if (status != LK_CLI_EXIT_OK)
    return status;

  c = find_case (account.store, argv[1]);
  if (c == NULL)
    return LK_CLI_EXIT_ERROR;

  if (letter != NULL)
    {
      letter_sha256 = cache_letter (letter, &error);
      if (letter_sha256 == NULL)
        {
          lk_cli_printerr ("%s", error->message);
          return LK_CLI_EXIT_ERROR;
        }
    }

  if (!lk_outbox_transition (account.store, lk_case_get_id (c), to, reason, letter_sha256,
                             account.username, account.role, &op_id, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  g_print ("%s\n", op_id);
  return LK_CLI_EXIT_OK;
}

int
lk_cli_case_note_run (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(Account) account = { NULL, };
  g_autoptr(LkCase) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *note_id = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The account’s server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The account’s user name (default: that of the last sync)"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (_("RECEIPT TEXT"));
  g_option_context_set_summary (context,
                                _("Adds a note to a case (works offline): saved in the local store and "
                                  "queued in the outbox. Prints the note’s id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;

  if (argc != 3)
    {
      lk_cli_printerr (_("Give the receipt number and the note’s text (quoted)"));
      return LK_CLI_EXIT_USAGE;
    }
  if (strlen (argv[2]) > LK_OUTBOX_MAX_NOTE)
    {
      lk_cli_printerr (_("The note is longer than %d bytes"), LK_OUTBOX_MAX_NOTE);
      return LK_CLI_EXIT_USAGE;
    }

  status = open_account (server_url, username, &account);
  if (status != LK_CLI_EXIT_OK)
    return status;

  c = find_case (account.store, argv[1]);
  if (c == NULL)
    return LK_CLI_EXIT_ERROR;

  if (!lk_outbox_add_note (account.store, lk_case_get_id (c), argv[2], account.username,
                           &note_id, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  g_print ("%s\n", note_id);
  return LK_CLI_EXIT_OK;
}

int
lk_cli_case_check_run (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(Account) account = { NULL, };
  g_autoptr(LkCase) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *document_id = NULL;
  LkCheckStatus check;
  guint64 item;
  int status;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The account’s server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The account’s user name (default: that of the last sync)"), N_("NAME") },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the requirement is rejected (required for rejected)"), N_("TEXT") },
    { "document", 'd', 0, G_OPTION_ARG_STRING, &document_id,
      N_("The id of the case’s document that meets the requirement"), N_("ID") },
    { NULL }
  };

  context = g_option_context_new (_("RECEIPT ITEM STATUS"));
  g_option_context_set_summary (context,
                                _("Marks a requirement of the case’s checklist (works offline): ITEM is its "
                                  "number, from 0, in the service type’s list; STATUS is pending, verified "
                                  "or rejected."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;

  if (argc != 4)
    {
      lk_cli_printerr (_("Give the receipt number, the requirement’s number and a status"));
      return LK_CLI_EXIT_USAGE;
    }
  if (!g_ascii_string_to_unsigned (argv[2], 10, 0, G_MAXUINT16, &item, NULL))
    {
      lk_cli_printerr (_("“%s” is not a requirement number"), argv[2]);
      return LK_CLI_EXIT_USAGE;
    }
  check = lk_check_status_from_string (argv[3]);
  if (check == LK_CHECK_STATUS_INVALID)
    {
      lk_cli_printerr (_("Unknown status “%s”; the statuses are: pending, verified, rejected"), argv[3]);
      return LK_CLI_EXIT_USAGE;
    }

  status = open_account (server_url, username, &account);
  if (status != LK_CLI_EXIT_OK)
    return status;

  c = find_case (account.store, argv[1]);
  if (c == NULL)
    return LK_CLI_EXIT_ERROR;

  if (!lk_outbox_set_checklist (account.store, lk_case_get_id (c), (guint) item, check, reason,
                                document_id, account.username, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  return LK_CLI_EXIT_OK;
}
