/* lk-cli-admin.c — loketctl admin register-cert|users|add-user, loketctl password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "lk-case-state.h"
#include "sync/lk-sync-admin.h"
#include "sync/lk-sync-client.h"

#include "lk-cli.h"

#define MAX_CERT_FILE (16 * 1024)  /* bytes of a PEM certificate file (the server's limit) */

/* The options every command here takes. */
typedef struct
{
  char *server_url;
  char *username;
  char *password_file;
} Account;

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->server_url, g_free);
  g_clear_pointer (&account->username, g_free);
  g_clear_pointer (&account->password_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

static void
add_account_entries (GOptionContext *context,
                     Account        *account,
                     const char     *user_help)
{
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &account->server_url,
      N_("The server, e.g. https://loket.example.go.id"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &account->username, user_help, N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &account->password_file,
      N_("Read the password from the first line of FILE (default: $LOKET_PASSWORD)"), N_("FILE") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static GOptionContext *
new_context (const char *parameters,
             const char *summary)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  return context;
}

/* Signs in; an LK_CLI_EXIT_* status, with *out_client on success. The
 * password is kept in *out_password when wanted (free it with
 * lk_cli_free_password), else wiped. */
static int
sign_in (Account       *account,
         LkSyncClient **out_client,
         char         **out_password)
{
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  char *password;
  gboolean ok;

  if (account->server_url == NULL || account->username == NULL)
    {
      lk_cli_printerr (_("Both --server URL and --user NAME are required"));
      return LK_CLI_EXIT_USAGE;
    }

  client = lk_sync_client_new (account->server_url, account->username, &error);
  if (client == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_USAGE;
    }

  password = lk_cli_read_password (account->password_file, &error);
  if (password == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_USAGE;
    }

  ok = lk_sync_client_login (client, password, NULL, &error);
  if (out_password != NULL && ok)
    *out_password = password;
  else
    lk_cli_free_password (password);
  if (!ok)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  *out_client = g_steal_pointer (&client);
  return LK_CLI_EXIT_OK;
}

/* The new password from FILE (never from the command line or the
 * environment, where the current one is). */
static char *
read_new_password (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *password;

  if (path == NULL)
    {
      lk_cli_printerr (_("Give the new password in a file with --new-password-file FILE"));
      return NULL;
    }

  password = lk_cli_read_password (path, &error);
  if (password == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return NULL;
    }
  if (strlen (password) < 10 || strlen (password) > 256)
    {
      lk_cli_printerr (_("The new password must be 10 to 256 bytes long"));
      lk_cli_free_password (password);
      return NULL;
    }

  return password;
}

static char *
read_certificate (const char  *path,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *buffer = g_malloc (MAX_CERT_FILE + 1);
  gsize len = 0;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, MAX_CERT_FILE + 1, &len, NULL, error))
    return NULL;
  if (len > MAX_CERT_FILE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is larger than %d bytes; give one PEM certificate"), path, MAX_CERT_FILE);
      return NULL;
    }
  buffer[len] = '\0';
  if (strlen (buffer) != len || !g_utf8_validate (buffer, len, NULL) ||
      strstr (buffer, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is not a PEM certificate (“-----BEGIN CERTIFICATE-----”)"), path);
      return NULL;
    }

  return g_steal_pointer (&buffer);
}

/* loketctl admin register-cert */

int
lk_cli_admin_register_cert_run (int    argc,
                                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(Account) account = { NULL, };
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *fingerprint = NULL;
  int status;

  context = new_context (_("USER CERT.pem"),
                         _("Registers the PEM certificate in CERT.pem to USER, who must have the "
                           "signer role. The certificate must be valid, usable for signatures and "
                           "chain to a trust anchor the server was started with (--trust). Prints "
                           "its SHA-256 fingerprint.\n\n"
                           "The administrator’s password is read from the LOKET_PASSWORD environment "
                           "variable or from --password-file, never from the command line."));
  add_account_entries (context, &account, N_("The administrator to sign in as"));
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 3)
    {
      lk_cli_printerr (_("Give the user and the certificate file: USER CERT.pem"));
      return LK_CLI_EXIT_USAGE;
    }

  pem = read_certificate (argv[2], &error);
  if (pem == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  status = sign_in (&account, &client, NULL);
  if (status != LK_CLI_EXIT_OK)
    return status;

  fingerprint = lk_sync_client_register_certificate (client, argv[1], pem, NULL, &error);
  if (fingerprint == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  g_print (_("Registered certificate %s to %s\n"), fingerprint, argv[1]);
  return LK_CLI_EXIT_OK;
}

/* loketctl admin users */

static char *
join_member (JsonObject *user,
             const char *name,
             const char *field)
{
  JsonNode *node = json_object_get_member (user, name);
  g_autoptr(GString) out = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("-");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *text = NULL;

      if (field == NULL && JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_STRING)
        text = json_node_get_string (element);
      else if (field != NULL && JSON_NODE_HOLDS_OBJECT (element))
        text = json_object_get_string_member_with_default (json_node_get_object (element), field, NULL);
      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, text);
    }

  return out->len > 0 ? lk_cli_field (out->str) : g_strdup ("-");
}

int
lk_cli_admin_users_run (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(Account) account = { NULL, };
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) users = NULL;
  int status;

  context = new_context (NULL,
                         _("Lists the server’s users, one tab-separated line each: user name, role, "
                           "display name, unit ids and the SHA-256 fingerprints of the registered "
                           "certificates (comma-separated; “-” for none).\n\n"
                           "The administrator’s password is read from the LOKET_PASSWORD environment "
                           "variable or from --password-file, never from the command line."));
  add_account_entries (context, &account, N_("The administrator to sign in as"));
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      lk_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return LK_CLI_EXIT_USAGE;
    }

  status = sign_in (&account, &client, NULL);
  if (status != LK_CLI_EXIT_OK)
    return status;

  users = lk_sync_client_list_users (client, NULL, &error);
  if (users == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);
      g_autofree char *name = lk_cli_field (json_object_get_string_member_with_default (user, "username", ""));
      g_autofree char *role = lk_cli_field (json_object_get_string_member_with_default (user, "role", ""));
      g_autofree char *display = lk_cli_field (json_object_get_string_member_with_default (user, "display_name", ""));
      g_autofree char *units = join_member (user, "units", NULL);
      g_autofree char *certs = join_member (user, "certificates", "fingerprint");

      g_print ("%s\t%s\t%s\t%s\t%s\n", name, role, display, units, certs);
    }

  return LK_CLI_EXIT_OK;
}

/* loketctl admin add-user */

int
lk_cli_admin_add_user_run (int    argc,
                           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(Account) account = { NULL, };
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *new_password_file = NULL;
  g_auto(GStrv) units = NULL;
  char *new_password;
  LkRole role;
  gboolean ok;
  int status;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name,
      N_("officer, signer, inspector or admin"), N_("ROLE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING_ARRAY, &units,
      N_("A unit (its id) the user works in; repeat for more"), N_("UNIT") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name,
      N_("The name people see (default: the user name)"), N_("TEXT") },
    { "new-password-file", 0, 0, G_OPTION_ARG_FILENAME, &new_password_file,
      N_("Read the new user’s password (10 to 256 bytes) from the first line of FILE"), N_("FILE") },
    { NULL }
  };

  context = new_context (_("USER"),
                         _("Creates USER on the server with a role and units.\n\n"
                           "The administrator’s password is read from the LOKET_PASSWORD environment "
                           "variable or from --password-file; the new user’s from --new-password-file. "
                           "Passwords are never read from the command line."));
  add_account_entries (context, &account, N_("The administrator to sign in as"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      lk_cli_printerr (_("Give the new user’s name: USER"));
      return LK_CLI_EXIT_USAGE;
    }

  role = lk_role_from_string (role_name);
  if (role == LK_ROLE_INVALID)
    {
      lk_cli_printerr (_("Give --role officer, signer, inspector or admin"));
      return LK_CLI_EXIT_USAGE;
    }
  if (units == NULL || units[0] == NULL)
    {
      lk_cli_printerr (_("Give at least one --unit UNIT"));
      return LK_CLI_EXIT_USAGE;
    }

  new_password = read_new_password (new_password_file);
  if (new_password == NULL)
    return LK_CLI_EXIT_USAGE;

  status = sign_in (&account, &client, NULL);
  if (status != LK_CLI_EXIT_OK)
    {
      lk_cli_free_password (new_password);
      return status;
    }

  ok = lk_sync_client_create_user (client, argv[1], display_name, role,
                                   (const char * const *) units, new_password, NULL, &error);
  lk_cli_free_password (new_password);
  if (!ok)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  g_print (_("Created user %s (%s)\n"), argv[1], lk_role_to_string (role));
  return LK_CLI_EXIT_OK;
}

/* loketctl password */

int
lk_cli_password_run (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(Account) account = { NULL, };
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_password_file = NULL;
  char *old_password = NULL;
  char *new_password;
  gboolean ok;
  int status;
  const GOptionEntry entries[] = {
    { "new-password-file", 0, 0, G_OPTION_ARG_FILENAME, &new_password_file,
      N_("Read the new password (10 to 256 bytes) from the first line of FILE"), N_("FILE") },
    { NULL }
  };

  context = new_context (NULL,
                         _("Changes your password on the server; your other sessions end.\n\n"
                           "The current password is read from the LOKET_PASSWORD environment variable "
                           "or from --password-file, the new one from --new-password-file; passwords "
                           "are never read from the command line."));
  add_account_entries (context, &account, N_("Your user name"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      lk_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return LK_CLI_EXIT_USAGE;
    }

  new_password = read_new_password (new_password_file);
  if (new_password == NULL)
    return LK_CLI_EXIT_USAGE;

  status = sign_in (&account, &client, &old_password);
  if (status != LK_CLI_EXIT_OK)
    {
      lk_cli_free_password (new_password);
      return status;
    }

  ok = lk_sync_client_change_password (client, old_password, new_password, NULL, &error);
  lk_cli_free_password (old_password);
  lk_cli_free_password (new_password);
  if (!ok)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  g_print (_("Password changed; your other sessions have ended\n"));
  return LK_CLI_EXIT_OK;
}
