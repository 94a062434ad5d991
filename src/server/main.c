/* main.c — loket-server: the system of record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "lk-i18n.h"
#include "lk-demo-seed.h"
#include "lk-server.h"
#include "lk-server-mail.h"

#define EXIT_USAGE 2

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping");
  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

/* The password in FILE: its first line, one trailing newline stripped. */
static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot read the SMTP password in %s: %s"), path, local_error->message);
      return NULL;
    }
  if (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  if (len > 0 && contents[len - 1] == '\r')
    contents[--len] = '\0';
  if (len == 0 || memchr (contents, '\0', len) != NULL || memchr (contents, '\n', len) != NULL ||
      len > 1024)
    {
      explicit_bzero (contents, len);
      g_free (contents);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s must hold the SMTP password on one line (at most 1024 bytes)"), path);
      return NULL;
    }
  return contents;
}

/* http(s)://HOST[:PORT][/PATH], no query or fragment; trailing slashes
 * dropped. */
static char *
check_public_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  char *url;
  gsize len;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if ((g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    return NULL;

  url = g_strdup (text);
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return url;
}

static gboolean
parse_day (const char *text,
           GDate      *out)
{
  int y, m, d;
  char extra;

  if (text == NULL || strlen (text) != 10 ||
      sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db_path = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *demo_today = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) trust_files = NULL;
  g_autofree char *smtp_url = NULL;
  g_autofree char *smtp_user = NULL;
  g_autofree char *smtp_password_file = NULL;
  g_autofree char *smtp_from = NULL;
  g_autofree char *smtp_ca = NULL;
  g_autofree char *public_url_arg = NULL;
  g_autofree char *public_url = NULL;
  gboolean smtp_require_tls = FALSE;
  int smtp_retry = LK_MAIL_DEFAULT_RETRY;
  int seed_demo = 0;
  int demo_seed = 1;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkServer) server = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigint_id, sigterm_id;
  GDate today;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The server database (created when missing)"), N_("PATH") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address to listen on (default 127.0.0.1:8080; port 0 picks a free port). "
         "Only a loopback address is served without TLS"), N_("HOST:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("PEM certificate (chain) for HTTPS"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("PEM private key for HTTPS"), N_("FILE") },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust_files,
      N_("PEM file of CA certificates that signer certificates must chain to (repeatable); "
         "without it no certificate can be registered and no letter signed"), N_("CA.pem") },
    { "seed-demo", 0, 0, G_OPTION_ARG_INT, &seed_demo,
      N_("Fill an empty database with N synthetic demo cases, the demo units, service types "
         "and users (password “loket-demo”)"), N_("N") },
    { "demo-seed", 0, 0, G_OPTION_ARG_INT, &demo_seed,
      N_("Random seed of the demo data (default 1); the same seed gives the same data"), N_("S") },
    { "demo-today", 0, 0, G_OPTION_ARG_STRING, &demo_today,
      N_("The day the demo data is made for (default today)"), N_("YYYY-MM-DD") },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp_url,
      N_("Deliver signed letters and receipts through this SMTP server: smtp://HOST:PORT "
         "(STARTTLS when offered) or smtps://HOST:PORT (TLS). Without it mail waits in the queue"),
      N_("URL") },
    { "smtp-user", 0, 0, G_OPTION_ARG_STRING, &smtp_user,
      N_("User name for SMTP authentication (with --smtp-password-file)"), N_("USER") },
    { "smtp-password-file", 0, 0, G_OPTION_ARG_FILENAME, &smtp_password_file,
      N_("File holding the SMTP password on its first line (never give it on the command line)"),
      N_("FILE") },
    { "smtp-from", 0, 0, G_OPTION_ARG_STRING, &smtp_from,
      N_("Sender address of the mail (default loket@HOST of --public-url)"), N_("ADDRESS") },
    { "smtp-ca", 0, 0, G_OPTION_ARG_FILENAME, &smtp_ca,
      N_("PEM file of the CA certificates the SMTP server's certificate must chain to "
         "(default the system's)"), N_("FILE") },
    { "smtp-require-tls", 0, 0, G_OPTION_ARG_NONE, &smtp_require_tls,
      N_("Refuse to send over smtp:// unless the server offers STARTTLS"), NULL },
    { "smtp-retry", 0, 0, G_OPTION_ARG_INT, &smtp_retry,
      N_("Seconds before the first retry of a failed delivery (default 60; doubles each try, "
         "at most an hour)"), N_("SECONDS") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url_arg,
      N_("The address citizens reach this server at, printed in QR codes and mail "
         "(default the listening URL)"), N_("https://HOST[/PATH]") },
    { NULL }
  };

  lk_i18n_init ();

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Serves the Loket API (docs/api-v1.md) from a SQLite database.\n"
                                  "Prints “listening on URL” on standard output once it accepts "
                                  "connections; SIGINT or SIGTERM stop it cleanly."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_USAGE;
    }

  if (db_path == NULL)
    {
      g_printerr (_("Give the database with --db PATH (see --help)\n"));
      return EXIT_USAGE;
    }
  if (argc > 1)
    {
      g_printerr (_("Unexpected argument “%s” (see --help)\n"), argv[1]);
      return EXIT_USAGE;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr (_("--tls-cert and --tls-key go together\n"));
      return EXIT_USAGE;
    }
  if (seed_demo < 0 || seed_demo > 10000000)
    {
      g_printerr (_("--seed-demo takes a number of cases from 0 to 10000000\n"));
      return EXIT_USAGE;
    }
  if (demo_today != NULL)
    {
      if (!parse_day (demo_today, &today))
        {
          g_printerr (_("--demo-today takes a date like 2026-11-28, not “%s”\n"), demo_today);
          return EXIT_USAGE;
        }
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now), g_date_time_get_year (now));
    }

  if (smtp_url == NULL && (smtp_user != NULL || smtp_password_file != NULL || smtp_from != NULL ||
                           smtp_ca != NULL || smtp_require_tls))
    {
      g_printerr (_("The --smtp-… options need --smtp URL, the mail server to send through\n"));
      return EXIT_USAGE;
    }
  if ((smtp_user == NULL) != (smtp_password_file == NULL))
    {
      g_printerr (_("--smtp-user and --smtp-password-file go together\n"));
      return EXIT_USAGE;
    }
  if (smtp_retry < 1 || smtp_retry > LK_MAIL_MAX_RETRY)
    {
      g_printerr (_("--smtp-retry takes a number of seconds from 1 to %d\n"), LK_MAIL_MAX_RETRY);
      return EXIT_USAGE;
    }
  if (public_url_arg != NULL)
    {
      public_url = check_public_url (public_url_arg);
      if (public_url == NULL)
        {
          g_printerr (_("--public-url takes an address like https://loket.example.go.id, not “%s”\n"),
                      public_url_arg);
          return EXIT_USAGE;
        }
    }

  if (listen == NULL)
    listen = g_strdup ("127.0.0.1:8080");
  if (!lk_server_check_listen (listen, tls_cert != NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_USAGE;
    }

  if (tls_cert != NULL)
    {
      g_autofree char *cert_path = g_canonicalize_filename (tls_cert, NULL);
      g_autofree char *key_path = g_canonicalize_filename (tls_key, NULL);

      cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
      if (cert == NULL)
        {
          g_printerr (_("Cannot load the TLS certificate and key: %s\n"), error->message);
          return EXIT_USAGE;
        }
    }

  store = lk_store_open (db_path, LK_STORE_KIND_SERVER, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  if (seed_demo > 0 &&
      !lk_demo_seed_full (store, (guint) seed_demo, (guint32) demo_seed, &today, public_url, &error))
    {
      g_printerr (_("Cannot add the demo data: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  server = lk_server_new (store, &error);
  if (server == NULL)
    {
      g_printerr (_("Cannot start the server: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  for (guint i = 0; trust_files != NULL && trust_files[i] != NULL; i++)
    if (!lk_server_add_trust_file (server, trust_files[i], &error))
      {
        /* The message names the file and what is wrong with it. */
        g_printerr ("%s\n", error->message);
        return EXIT_USAGE;
      }

  if (!lk_server_listen (server, listen, cert, &error))
    {
      g_printerr ("%s\n", error->message);
      return g_error_matches (error, LK_SERVER_ERROR, LK_SERVER_ERROR_LISTEN)
             ? EXIT_FAILURE : EXIT_USAGE;
    }

  if (public_url != NULL)
    lk_server_set_public_url (server, public_url);
  if (smtp_url != NULL)
    {
      g_autofree char *password = NULL;
      LkMailConfig config = {
        .url = smtp_url,
        .username = smtp_user,
        .from = smtp_from,
        .require_tls = smtp_require_tls,
        .ca_file = smtp_ca,
        .retry_seconds = (guint) smtp_retry,
      };
      gboolean ok;

      if (smtp_password_file != NULL)
        {
          password = read_password_file (smtp_password_file, &error);
          if (password == NULL)
            {
              g_printerr ("%s\n", error->message);
              return EXIT_USAGE;
            }
        }
      config.password = password;
      ok = lk_server_set_mail (server, &config, &error);
      if (password != NULL)
        explicit_bzero (password, strlen (password));
      if (!ok)
        {
          g_printerr ("%s\n", error->message);
          return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
                 ? EXIT_USAGE : EXIT_FAILURE;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* Machine-read by the tests and scripts: keep it one untranslated line. */
  url = lk_server_dup_url (server);
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  lk_server_disconnect (server);
  g_clear_object (&server);
  g_clear_object (&store);

  return EXIT_SUCCESS;
}
