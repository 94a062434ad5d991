/* lk-cli-common.c — helpers shared by the loketctl commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-account.h"
#include "store/lk-store.h"

#include "lk-cli.h"

#define MAX_PASSWORD_FILE 4096  /* bytes read from a password file */
#define MAX_PIN           256   /* bytes of a PIN from a file or the terminal */

static char *
config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "loket", "loketctl.ini", NULL);
}

void
lk_cli_printerr (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("loketctl: %s\n", message);
}

gboolean
lk_cli_parse_options (GOptionContext   *context,
                      int              *argc,
                      char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      lk_cli_printerr ("%s", error->message);
      g_printerr (_("Run “%s --help” for the options.\n"), g_get_prgname ());
      return FALSE;
    }

  return TRUE;
}

static char *
read_password_file (const char  *path,
                    GError     **error)
{
  char buffer[MAX_PASSWORD_FILE + 1];
  gsize len = 0;
  char *newline;
  char *password;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read the password file %s: %s"),
                   path, g_strerror (saved_errno));
      return NULL;
    }

  while (len < sizeof buffer - 1)
    {
      ssize_t n = read (fd, buffer + len, sizeof buffer - 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          explicit_bzero (buffer, sizeof buffer);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot read the password file %s: %s"),
                       path, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      len += (gsize) n;
    }
  close (fd);
  buffer[len] = '\0';

  newline = memchr (buffer, '\n', len);
  if (newline == NULL && len == sizeof buffer - 1)
    {
      explicit_bzero (buffer, sizeof buffer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The first line of the password file %s is longer than %d bytes"),
                   path, MAX_PASSWORD_FILE);
      return NULL;
    }
  if (newline != NULL)
    *newline = '\0';
  len = strlen (buffer);
  if (len > 0 && buffer[len - 1] == '\r')
    buffer[len - 1] = '\0';

  password = g_strdup (buffer);
  explicit_bzero (buffer, sizeof buffer);

  return password;
}

char *
lk_cli_read_password (const char  *password_file,
                      GError     **error)
{
  g_autofree char *password = NULL;
  const char *env;

  if (password_file != NULL)
    {
      password = read_password_file (password_file, error);
      if (password == NULL)
        return NULL;
    }
  else if ((env = g_getenv ("LOKET_PASSWORD")) != NULL)
    {
      password = g_strdup (env);
    }
  else
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("No password: set the LOKET_PASSWORD environment variable "
                             "or pass --password-file FILE (a password is never read "
                             "from the command line)"));
      return NULL;
    }

  if (*password == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The password is empty"));
      return NULL;
    }

  return g_steal_pointer (&password);
}

void
lk_cli_free_password (char *password)
{
  if (password != NULL)
    {
      explicit_bzero (password, strlen (password));
      g_free (password);
    }
}

gboolean
lk_cli_remember_account (const char  *server_url,
                         const char  *username,
                         GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  /* Keep whatever else the file holds. */
  g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the directory %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  g_key_file_set_string (key_file, "last-account", "server", server_url);
  g_key_file_set_string (key_file, "last-account", "user", username);

  return g_key_file_save_to_file (key_file, path, error);
}

gboolean
lk_cli_get_last_account (char **server_url,
                         char **username)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = config_path ();
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;

  server = g_key_file_get_string (key_file, "last-account", "server", NULL);
  user = g_key_file_get_string (key_file, "last-account", "user", NULL);
  if (server == NULL || user == NULL || *server == '\0' || *user == '\0')
    return FALSE;

  *server_url = g_steal_pointer (&server);
  *username = g_steal_pointer (&user);

  return TRUE;
}

char *
lk_cli_field (const char *text)
{
  char *field = g_strdup (text ? text : "");

  for (char *p = field; *p != '\0'; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';

  return field;
}

LkStore *
lk_cli_open_account_store (const char  *server_url,
                           const char  *username,
                           char       **out_server_url,
                           char       **out_username,
                           int         *out_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *last_server = NULL;
  g_autofree char *last_user = NULL;
  g_autofree char *store_path = NULL;
  LkStore *store;

  *out_status = LK_CLI_EXIT_ERROR;
  if ((server_url == NULL) != (username == NULL))
    {
      lk_cli_printerr (_("Pass both --server and --user, or neither (for the account of the last sync)"));
      *out_status = LK_CLI_EXIT_USAGE;
      return NULL;
    }
  if (server_url == NULL)
    {
      if (!lk_cli_get_last_account (&last_server, &last_user))
        {
          lk_cli_printerr (_("No account given and none synced yet: run “loketctl sync --server URL "
                             "--user NAME” first, or pass --server and --user"));
          return NULL;
        }
      server_url = last_server;
      username = last_user;
    }

  store_path = lk_account_store_path (server_url, username, &error);
  if (store_path == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return NULL;
    }
  if (!g_file_test (store_path, G_FILE_TEST_IS_REGULAR))
    {
      lk_cli_printerr (_("There is no local data for %s on %s yet: run “loketctl sync” first"),
                       username, server_url);
      return NULL;
    }

  store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return NULL;
    }

  if (out_server_url != NULL)
    *out_server_url = g_strdup (server_url);
  if (out_username != NULL)
    *out_username = g_strdup (username);
  *out_status = LK_CLI_EXIT_OK;
  return store;
}

int
lk_cli_session_open (LkCliSession *session,
                     const char   *server_url,
                     const char   *username,
                     const char   *password_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *last_server = NULL;
  g_autofree char *last_user = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *blob_dir = NULL;
  char *password;
  gboolean ok;

  if ((server_url == NULL) != (username == NULL))
    {
      lk_cli_printerr (_("Pass both --server and --user, or neither (for the account of the last sync)"));
      return LK_CLI_EXIT_USAGE;
    }
  if (server_url == NULL)
    {
      if (!lk_cli_get_last_account (&last_server, &last_user))
        {
          lk_cli_printerr (_("No account given and none synced yet: pass --server URL and --user NAME"));
          return LK_CLI_EXIT_USAGE;
        }
      server_url = last_server;
      username = last_user;
    }

  session->client = lk_sync_client_new (server_url, username, &error);
  if (session->client == NULL)
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
  ok = lk_sync_client_login (session->client, password, NULL, &error);
  lk_cli_free_password (password);
  if (!ok)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }
  session->username = g_strdup (username);
  session->role = lk_role_from_string (lk_sync_client_get_role (session->client));

  store_path = lk_account_store_path (lk_sync_client_get_server_url (session->client), username, &error);
  if (store_path != NULL)
    session->store = lk_store_open (store_path, LK_STORE_KIND_CLIENT, &error);
  if (session->store == NULL)
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
  session->cache = lk_blob_cache_new (blob_dir);

  if (!lk_cli_session_sync (session, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }
  if (!lk_cli_remember_account (lk_sync_client_get_server_url (session->client), username, &error))
    {
      lk_cli_printerr (_("Could not remember the account: %s"), error->message);
      g_clear_error (&error);
    }

  return LK_CLI_EXIT_OK;
}

gboolean
lk_cli_session_sync (LkCliSession  *session,
                     GError       **error)
{
  guint applied = 0, conflicts = 0;
  guint64 records = 0;

  return lk_sync_client_push (session->client, session->store, session->cache, &applied, &conflicts,
                              NULL, error) &&
         lk_sync_client_pull (session->client, session->store, 0, NULL, NULL, &records, NULL, error);
}

void
lk_cli_session_clear (LkCliSession *session)
{
  g_clear_object (&session->client);
  g_clear_object (&session->store);
  g_clear_object (&session->cache);
  g_clear_pointer (&session->username, g_free);
}

gboolean
lk_cli_pin_source_init (LkCliPinSource *source,
                        const char     *pin_file,
                        const char     *pin_env)
{
  memset (source, 0, sizeof *source);
  if (pin_file != NULL && pin_env != NULL)
    {
      lk_cli_printerr (_("Give either --pin-file or --pin-env, not both"));
      return FALSE;
    }
  source->pin_file = pin_file;
  source->pin_env = pin_env;
  if (pin_file == NULL && pin_env == NULL)
    {
      if (!isatty (STDIN_FILENO))
        {
          lk_cli_printerr (_("No PIN: give --pin-file or --pin-env, or run on a terminal to be asked"));
          return FALSE;
        }
      source->terminal = TRUE;
    }
  return TRUE;
}

/* The first line of PATH, at most MAX_PIN bytes. */
static char *
read_pin_file (const char  *path,
               GError     **error)
{
  char buffer[MAX_PIN + 2];
  gsize len = 0;
  char *newline;
  char *pin;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read the PIN file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  while (len < sizeof buffer - 1)
    {
      ssize_t n = read (fd, buffer + len, sizeof buffer - 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      len += (gsize) n;
    }
  close (fd);
  buffer[len] = '\0';
  newline = strpbrk (buffer, "\r\n");
  if (newline != NULL)
    *newline = '\0';
  else if (len > MAX_PIN)
    {
      explicit_bzero (buffer, sizeof buffer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The PIN file %s does not hold a PIN on its first line."), path);
      return NULL;
    }
  pin = g_strdup (buffer);
  explicit_bzero (buffer, sizeof buffer);
  return pin;
}

/* Asks on the terminal without echo. */
static char *
prompt_pin (const char *token_label,
            gboolean    again)
{
  char buffer[MAX_PIN + 2];
  struct termios old, quiet;
  gboolean restore;
  char *newline;
  char *pin = NULL;

  if (again)
    g_printerr (_("Wrong PIN. PIN for token “%s”: "), token_label);
  else
    g_printerr (_("PIN for token “%s”: "), token_label);

  restore = tcgetattr (STDIN_FILENO, &old) == 0;
  if (restore)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  if (fgets (buffer, sizeof buffer, stdin) != NULL)
    {
      newline = strpbrk (buffer, "\r\n");
      if (newline != NULL)
        *newline = '\0';
      pin = g_strdup (buffer);
    }
  if (restore)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  g_printerr ("\n");
  explicit_bzero (buffer, sizeof buffer);
  return pin;
}

char *
lk_cli_pin_cb (const char      *token_label,
               LkTokenPinFlags  flags,
               guint            attempt,
               gpointer         user_data)
{
  LkCliPinSource *source = user_data;
  const char *env;

  if (source->terminal)
    return prompt_pin (token_label, (flags & LK_TOKEN_PIN_WRONG) != 0);

  /* A file or a variable holds one PIN: never give a rejected one again. */
  if (attempt > 0 || (flags & LK_TOKEN_PIN_WRONG))
    return NULL;

  if (source->pin_file != NULL)
    {
      g_clear_error (&source->error);
      return read_pin_file (source->pin_file, &source->error);
    }

  env = g_getenv (source->pin_env);
  if (env == NULL)
    {
      g_clear_error (&source->error);
      g_set_error (&source->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The environment variable %s is not set."), source->pin_env);
      return NULL;
    }
  return g_strdup (env);
}
