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

#define EXIT_USAGE 2

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping");
  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
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
      !lk_demo_seed (store, (guint) seed_demo, (guint32) demo_seed, &today, &error))
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
