/* main.c — loketctl: the Loket core from the command line
 *
 * Commands live in one file per group (lk-cli-GROUP.c); this file only holds
 * the table below and dispatches. To add a command, write its run function
 * and add a row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-i18n.h"
#include "lk-cli.h"

typedef struct
{
  const char   *group;     /* first word: "sync", "cases" */
  const char   *name;      /* second word ("list"), or NULL */
  const char   *synopsis;  /* options, not translated */
  const char   *summary;   /* translatable */
  LkCliRunFunc  run;
} LkCliCommand;

static const LkCliCommand commands[] = {
  { "sync", NULL,
    "--server URL --user NAME [--password-file FILE] [--page-size N]",
    N_("Sign in, push the outbox, then pull the server’s changes into the account’s local store"),
    lk_cli_sync_run },
  { "case", "transition",
    "[--server URL --user NAME] [--reason TEXT] [--letter FILE.pdf] RECEIPT STATE",
    N_("Move a case to another state (queued in the outbox; works offline)"),
    lk_cli_case_transition_run },
  { "case", "note",
    "[--server URL --user NAME] RECEIPT TEXT",
    N_("Add a note to a case (queued in the outbox; works offline)"),
    lk_cli_case_note_run },
  { "case", "check",
    "[--server URL --user NAME] [--reason TEXT] [--document ID] RECEIPT ITEM STATUS",
    N_("Mark a requirement of a case’s checklist (queued in the outbox; works offline)"),
    lk_cli_case_check_run },
  { "outbox", NULL,
    "[--server URL --user NAME]",
    N_("List the operations waiting to be pushed to the server"),
    lk_cli_outbox_run },
  { "conflicts", "list",
    "[--server URL --user NAME] [--all]",
    N_("List the operations the server met with a conflict or refused"),
    lk_cli_conflicts_run },
  { "conflicts", "resolve",
    "[--server URL --user NAME] [--mine FIELD]… ID",
    N_("Resolve a conflict: the fields named keep your value, the others take the server’s"),
    lk_cli_conflicts_resolve_run },
  { "admin", "register-cert",
    "--server URL --user ADMIN [--password-file FILE] USER CERT.pem",
    N_("Register a signer’s certificate on the server (it must chain to the server’s trust anchors)"),
    lk_cli_admin_register_cert_run },
  { "admin", "users",
    "--server URL --user ADMIN [--password-file FILE]",
    N_("List the users, their roles, units and certificates"),
    lk_cli_admin_users_run },
  { "admin", "add-user",
    "--server URL --user ADMIN [--password-file FILE] --role ROLE --unit UNIT… [--display-name TEXT] "
    "--new-password-file FILE USER",
    N_("Create a user with a role and units"),
    lk_cli_admin_add_user_run },
  { "password", NULL,
    "--server URL --user NAME [--password-file FILE] --new-password-file FILE",
    N_("Change your password on the server"),
    lk_cli_password_run },
  { "cases", "list",
    "[--server URL --user NAME] [--state STATE] [--search TEXT] [--limit N]",
    N_("List the cases in the local store, one tab-separated line each"),
    lk_cli_cases_list_run },
  { "tokens", NULL,
    "[--module PATH]",
    N_("List the PKCS#11 tokens and their signing certificates with PKCS#11 URLs"),
    lk_cli_tokens_run },
  { "sign", NULL,
    "--key URL [--cert URL|FILE] [--chain FILE] [--pin-file F|--pin-env VAR] [--reason T] "
    "[--location T] [--module PATH] (IN.pdf OUT.pdf | --out-dir DIR IN.pdf…)",
    N_("Sign PDF files (PAdES) with a key on a PKCS#11 token, one login for all"),
    lk_cli_sign_run },
  { "letter", "draft",
    "[--server URL --user NAME] [--password-file FILE] RECEIPT",
    N_("Render a case’s letter with its template and a number, and store it as the case’s draft"),
    lk_cli_letter_draft_run },
  { "letter", "sign",
    "[--server URL --user NAME] [--password-file FILE] --key URL [--pin-file F|--pin-env VAR] RECEIPT…",
    N_("Sign the drafts of cases awaiting signature with one token login and move them to signed"),
    lk_cli_letter_sign_run },
  { "letter", "show",
    "[--server URL --user NAME] [--password-file FILE] [--no-sync] [--json] RECEIPT",
    N_("Show a case’s letter: number, state, verification URL, status and delivery"),
    lk_cli_letter_show_run },
  { "letter", "revoke",
    "[--server URL --user ADMIN] [--password-file FILE] --reason TEXT RECEIPT",
    N_("Revoke a case’s valid letter: its public page then says revoked, with the reason"),
    lk_cli_letter_revoke_run },
  { "numbers", "void",
    "[--server URL --user NAME] [--password-file FILE] --reason TEXT NUMBER",
    N_("Void a letter number that no signed letter uses, with the reason"),
    lk_cli_numbers_void_run },
  { "numbers", "list",
    "[--server URL --user ADMIN] [--password-file FILE] --service CODE --unit CODE [--year YEAR]",
    N_("List the register of letter numbers of a series: status, case or block, void reason"),
    lk_cli_numbers_list_run },
  { "verify", NULL, "[--trust CA.pem]… [--json] FILE.pdf", N_("Check the signatures of a PDF and what changed after them"), lk_cli_verify_run },
};

static void
print_command (const LkCliCommand *command)
{
  g_print ("  %s%s%s %s\n      %s\n",
           command->group,
           command->name ? " " : "",
           command->name ? command->name : "",
           command->synopsis,
           _(command->summary));
}

static void
print_help (void)
{
  g_print (_("Usage:\n  loketctl COMMAND [OPTION…]\n\n"));
  g_print (_("Loket from the command line.\n\n"));
  g_print (_("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    print_command (&commands[i]);
  g_print ("  help [COMMAND]\n      %s\n", _("Show the help of a command"));
  g_print ("\n%s\n", _("Passwords are read from the LOKET_PASSWORD environment variable or from "
                       "--password-file, never from the command line."));
  g_print ("%s\n", _("Run “loketctl COMMAND --help” for the options of a command."));
  g_print ("%s\n", _("Exit status: 0 success, 1 failure, 2 wrong usage."));
}

static gboolean
group_exists (const char *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0)
      return TRUE;

  return FALSE;
}

static void
print_group_help (const char *group)
{
  g_print (_("Usage:\n  loketctl %s COMMAND [OPTION…]\n\n"), group);
  g_print (_("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0)
      print_command (&commands[i]);
}

static gboolean
is_help_option (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 ||
         g_strcmp0 (arg, "-?") == 0;
}

/* argv[0] is the group's name. */
static int
dispatch (int    argc,
          char **argv)
{
  const char *group = argv[0];
  const char *name = argc > 1 ? argv[1] : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const LkCliCommand *command = &commands[i];
      g_autofree char *prgname = NULL;

      if (g_strcmp0 (command->group, group) != 0)
        continue;
      if (command->name != NULL && g_strcmp0 (command->name, name) != 0)
        continue;

      prgname = command->name
        ? g_strdup_printf ("loketctl %s %s", command->group, command->name)
        : g_strdup_printf ("loketctl %s", command->group);
      g_set_prgname (prgname);

      if (command->name != NULL)
        return command->run (argc - 1, argv + 1);
      else
        return command->run (argc, argv);
    }

  if (!group_exists (group))
    {
      lk_cli_printerr (_("Unknown command “%s”; run “loketctl --help” for the commands"), group);
      return LK_CLI_EXIT_USAGE;
    }

  if (name == NULL || is_help_option (name))
    {
      print_group_help (group);
      return name == NULL ? LK_CLI_EXIT_USAGE : LK_CLI_EXIT_OK;
    }

  lk_cli_printerr (_("Unknown command “%s %s”; run “loketctl %s --help” for its commands"),
                   group, name, group);
  return LK_CLI_EXIT_USAGE;
}

int
main (int    argc,
      char **argv)
{
  lk_i18n_init ();
  g_set_prgname ("loketctl");

  if (argc < 2)
    {
      print_help ();
      return LK_CLI_EXIT_USAGE;
    }

  if (is_help_option (argv[1]))
    {
      print_help ();
      return LK_CLI_EXIT_OK;
    }

  if (strcmp (argv[1], "help") == 0)
    {
      char *help_argv[4] = { NULL, };
      int help_argc = 0;

      if (argc < 3)
        {
          print_help ();
          return LK_CLI_EXIT_OK;
        }

      /* "help cases list" → "cases list --help" */
      help_argv[help_argc++] = argv[2];
      if (argc > 3)
        help_argv[help_argc++] = argv[3];
      help_argv[help_argc++] = (char *) "--help";

      return dispatch (help_argc, help_argv);
    }

  return dispatch (argc - 1, argv + 1);
}
