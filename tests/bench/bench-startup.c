/* bench-startup.c — time from main() to the first painted queue rows
 *
 * Runs the real LkApplication (its options, e.g. --server URL --user NAME,
 * are passed through; the password comes from $LOKET_PASSWORD) and watches
 * the frame clock of the main window: the first "after-paint" at which the
 * queue (lk_window_get_cases) holds rows is "first rows painted". Prints one
 * line of key=value figures, including the peak RSS (VmHWM), then quits.
 *
 * --bare: the floor. The same harness with a bare AdwApplicationWindow that
 * holds one label; the figure is the time to its first paint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-bench"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "lk-application.h"

#define GIVE_UP_SECONDS 300

static gint64   start_time;
static gint64   window_time;   /* first paint of the window, rows or not */
static gboolean bare;
static gboolean reported;
static int      exit_status = 1;

/* A "Key:   N kB" line of /proc/self/status in KiB, or -1. */
static long
read_status_kib (const char *status,
                 const char *key)
{
  const char *line = status != NULL ? strstr (status, key) : NULL;
  long value = -1;

  if (line == NULL || sscanf (line + strlen (key), ": %ld", &value) != 1)
    return -1;
  return value;
}

static const char *
status_name (LkSessionStatus status)
{
  switch (status)
    {
    case LK_SESSION_STATUS_IDLE:
      return "idle";
    case LK_SESSION_STATUS_SIGNING_IN:
      return "signing-in";
    case LK_SESSION_STATUS_SYNCING:
      return "syncing";
    case LK_SESSION_STATUS_SYNCED:
      return "synced";
    case LK_SESSION_STATUS_OFFLINE:
      return "offline";
    case LK_SESSION_STATUS_FAILED:
      return "failed";
    default:
      return "unknown";
    }
}

static void
report (GtkWindow *window,
        guint      rows,
        const char *session_status)
{
  double ms = (double) (g_get_monotonic_time () - start_time) / 1000.0;
  GApplication *app = G_APPLICATION (gtk_window_get_application (window));
  g_autofree char *status = NULL;

  reported = TRUE;
  exit_status = 0;
  /* VmHWM: peak RSS. It counts file pages too, and the store maps its
   * database (PRAGMA mmap_size), so RssAnon (now) is printed beside it. */
  g_file_get_contents ("/proc/self/status", &status, NULL, NULL);
  g_print ("first_paint_ms=%.1f window_ms=%.1f rows=%u vmhwm_kib=%ld rss_anon_kib=%ld "
           "rss_file_kib=%ld session=%s\n",
           ms, (double) (window_time - start_time) / 1000.0, rows,
           read_status_kib (status, "VmHWM"), read_status_kib (status, "RssAnon"),
           read_status_kib (status, "RssFile"), session_status);
  fflush (stdout);
  g_application_quit (app);
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  GListModel *cases;
  guint rows;

  if (reported)
    return;

  if (window_time == 0)
    window_time = g_get_monotonic_time ();

  if (bare)
    {
      report (window, 0, "none");
      return;
    }

  cases = lk_window_get_cases (LK_WINDOW (window));
  rows = cases != NULL ? g_list_model_get_n_items (cases) : 0;
  if (rows > 0)
    {
      LkSession *session = lk_window_get_session (LK_WINDOW (window));

      report (window, rows, status_name (lk_session_get_status (session)));
    }
}

static void
window_realize_cb (GtkWidget *widget,
                   gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_assert (clock != NULL);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), widget, 0);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  if (!bare && !LK_IS_WINDOW (window))
    return;

  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    window_realize_cb (GTK_WIDGET (window), NULL);
  else
    g_signal_connect_after (window, "realize", G_CALLBACK (window_realize_cb), NULL);
}

static void
bare_activate_cb (GApplication *app,
                  gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *label = gtk_label_new ("Loket");

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), label);
  gtk_window_present (GTK_WINDOW (window));
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_printerr ("bench-startup: no queue rows were painted within %d s\n", GIVE_UP_SECONDS);
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  GApplication *app;

  start_time = g_get_monotonic_time ();

  if (argc > 1 && strcmp (argv[1], "--bare") == 0)
    {
      bare = TRUE;
      argv[1] = argv[0];
      argv++;
      argc--;
    }

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (bare)
    {
      app = G_APPLICATION (adw_application_new (APP_ID ".BenchBare", G_APPLICATION_DEFAULT_FLAGS));
      g_signal_connect (app, "activate", G_CALLBACK (bare_activate_cb), NULL);
    }
  else
    app = G_APPLICATION (lk_application_new (G_APPLICATION_DEFAULT_FLAGS));

  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_timeout_add_seconds (GIVE_UP_SECONDS, give_up_cb, app);
  /* LkApplication does not hold itself while it opens the store after
   * --server/--user, so without this hold g_application_run() returns
   * before the window exists (the real `loket --server URL --user NAME`
   * exits the same way). g_application_quit() ends the run regardless. */
  g_application_hold (app);

  g_application_run (app, argc, argv);

  /* A warm start quits while the background sync may still run in a worker
   * thread: end here instead of tearing down under it. */
  fflush (stdout);
  _exit (exit_status);
}
