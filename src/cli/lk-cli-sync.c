/* lk-cli-sync.c — loketctl sync: sign in, push the outbox, pull the change
 * feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#define G_LOG_DOMAIN "loket-cli"

#include <unistd.h>
#include <glib/gi18n.h>

#include "lk-account.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"

#include "lk-cli.h"

/* Progress on a terminal only: scripts read the summary line. */
static void
progress_cb (guint    records_in_page,
             guint64  total_records,
             gpointer user_data)
{
  /* The carriage return stays out of the message. */
  g_printerr ("\r");
  g_printerr (_("Pulled %" PRIu64 " records…"), total_records);
}

int
lk_cli_sync_run (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkBlobCache) blob_cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blob_dir = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *cursor = NULL;
  char *password;
  int page_size = 0;
  guint64 records = 0;
  guint applied = 0, conflicts = 0;
  gint64 open_conflicts;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The server, e.g. https://loket.example.go.id"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The user name to sign in with"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE (default: $LOKET_PASSWORD)"), N_("FILE") },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size,
      N_("Records per request, 1–1000 (default 1000)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Signs in to a Loket server, pushes the operations waiting in the "
                                  "outbox of that account, then pulls the server’s changes into its "
                                  "local store (the same file the Loket app uses).\n\n"
                                  "The password is read from the LOKET_PASSWORD environment variable "
                                  "or from --password-file, never from the command line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;

  if (argc > 1)
    {
      lk_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return LK_CLI_EXIT_USAGE;
    }
  if (server_url == NULL || username == NULL)
    {
      lk_cli_printerr (_("Both --server URL and --user NAME are required"));
      return LK_CLI_EXIT_USAGE;
    }
  if (page_size < 0 || page_size > 1000)
    {
      lk_cli_printerr (_("--page-size must be between 1 and 1000"));
      return LK_CLI_EXIT_USAGE;
    }

  client = lk_sync_client_new (server_url, username, &error);
  if (client == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_USAGE;
    }

  password = lk_cli_read_password (password_file, &error);
  if (password == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_USAGE;
    }

  ok = lk_sync_client_login (client, password, NULL, &error);
  lk_cli_free_password (password);
  if (!ok)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  store_path = lk_account_store_path (lk_sync_client_get_server_url (client), username, &error);
  if (store_path == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  blob_dir = lk_account_blob_dir (&error);
  if (blob_dir == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }
  blob_cache = lk_blob_cache_new (blob_dir);

  ok = lk_sync_client_push (client, store, blob_cache, &applied, &conflicts, NULL, &error);
  if (applied > 0 || conflicts > 0)
    g_print (_("Pushed %u operations: %u applied, %u met a conflict or were refused\n"),
             applied + conflicts, applied, conflicts);
  if (!ok)
    {
      lk_cli_printerr ("%s", error->message);
      g_printerr (_("Operations in the outbox: %" PRId64 "; the next sync sends them.\n"),
                  lk_outbox_count (store));
      return LK_CLI_EXIT_ERROR;
    }

  ok = lk_sync_client_pull (client, store, (guint) page_size,
                            isatty (STDERR_FILENO) ? progress_cb : NULL, NULL,
                            &records, NULL, &error);
  if (isatty (STDERR_FILENO) && records > 0)
    g_printerr ("\n");
  if (!ok)
    {
      lk_cli_printerr ("%s", error->message);
      if (records > 0)
        g_printerr (_("%" PRIu64 " records were saved before the failure; "
                      "the next sync continues from there.\n"), records);
      return LK_CLI_EXIT_ERROR;
    }

  if (!lk_cli_remember_account (lk_sync_client_get_server_url (client), username, &error))
    {
      /* The pull itself worked; only `cases list` without --server needs this. */
      lk_cli_printerr (_("Could not remember the account: %s"), error->message);
      g_clear_error (&error);
    }

  cursor = lk_store_get_meta (store, "sync.cursor");
  g_print (_("Pulled %" PRIu64 " records; cursor %s\n"),
           records, cursor ? cursor : "-");
  g_print (_("Local store: %s\n"), store_path);

  open_conflicts = lk_outbox_count_conflicts (store);
  if (open_conflicts > 0)
    g_print (_("Conflicts waiting for you: %" PRId64 " (see “loketctl conflicts list”)\n"),
             open_conflicts);

  return LK_CLI_EXIT_OK;
}
