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
 * After the rows are painted, an idle callback is queued: idle_ms is when
 * the main loop answered it (nothing busier was pending any more). The
 * first rows may be the newest cases only (LkCaseList shows them while the
 * rest loads): full_ms is when the whole queue was in the list; the figures
 * are printed once both happened.
 *
 * --pdf FILE (first option): then selects the first case, waits for its
 * preview (or its error), loads FILE in the case view's PDF view and waits
 * until its first page is rendered; the figures (and the peak RSS) are
 * printed at that moment: pdf_ms is load → first page rendered.
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

#include "store/lk-case-list.h"
#include "lk-application.h"

#define GIVE_UP_SECONDS 300

static gint64   start_time;
static gint64   window_time;   /* first paint of the window, rows or not */
static gint64   rows_time;     /* first paint with rows */
static gint64   idle_time;     /* the idle queued then has run */
static gint64   full_time;     /* the whole queue is in the list */
static gint64   pdf_start;
static guint    painted_rows;
static const char *pdf_file;
static guint    pdf_ticks;
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
  if (rows_time != 0)
    ms = (double) (rows_time - start_time) / 1000.0;
  g_print ("first_paint_ms=%.1f window_ms=%.1f idle_ms=%.1f full_ms=%.1f rows=%u vmhwm_kib=%ld "
           "rss_anon_kib=%ld rss_file_kib=%ld session=%s",
           ms, (double) (window_time - start_time) / 1000.0,
           idle_time != 0 ? (double) (idle_time - start_time) / 1000.0 : -1.0,
           full_time != 0 ? (double) (full_time - start_time) / 1000.0 : -1.0, rows,
           read_status_kib (status, "VmHWM"), read_status_kib (status, "RssAnon"),
           read_status_kib (status, "RssFile"), session_status);
  if (pdf_start != 0)
    {
      LkPdfView *pdf_view = lk_case_view_get_pdf_view (lk_window_get_case_view (LK_WINDOW (window)));

      g_print (" pdf_ms=%.1f pdf_pages=%d", (double) (g_get_monotonic_time () - pdf_start) / 1000.0,
               lk_pdf_view_get_n_pages (pdf_view));
    }
  g_print ("\n");
  fflush (stdout);
  g_application_quit (app);
}

static void
report_now (GtkWindow *window)
{
  if (bare)
    report (window, 0, "none");
  else
    report (window, painted_rows,
            status_name (lk_session_get_status (lk_window_get_session (LK_WINDOW (window)))));
}

/* Every 5 ms: the case's own preview first (so that it does not race with
 * FILE), then FILE's first page. */
static gboolean
pdf_tick_cb (gpointer user_data)
{
  GtkWindow *window = user_data;
  LkCaseView *case_view = lk_window_get_case_view (LK_WINDOW (window));
  LkPdfView *pdf_view = lk_case_view_get_pdf_view (case_view);

  pdf_ticks++;
  if (pdf_start == 0)
    {
      /* At most 10 s for the case's own attachment. */
      if (lk_case_view_get_case (case_view) == NULL ||
          (lk_pdf_view_get_rendered_page (pdf_view) < 0 && lk_pdf_view_get_error (pdf_view) == NULL &&
           pdf_ticks < 2000))
        return G_SOURCE_CONTINUE;
      pdf_start = g_get_monotonic_time ();
      lk_pdf_view_load_file (pdf_view, pdf_file);
      return G_SOURCE_CONTINUE;
    }

  if (lk_pdf_view_get_error (pdf_view) != NULL)
    {
      g_printerr ("bench-startup: %s: %s\n", pdf_file, lk_pdf_view_get_error (pdf_view));
      g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
      return G_SOURCE_REMOVE;
    }
  if (lk_pdf_view_get_rendered_page (pdf_view) < 0)
    return G_SOURCE_CONTINUE;

  report_now (window);
  return G_SOURCE_REMOVE;
}

/* Once the rows were painted (and the idle ran) and the whole queue is in. */
static void
maybe_go_on (GtkWindow *window)
{
  if (reported || idle_time == 0 || (!bare && full_time == 0))
    return;

  if (pdf_file != NULL && !bare)
    {
      gtk_single_selection_set_selected (lk_window_get_selection (LK_WINDOW (window)), 0);
      g_timeout_add (5, pdf_tick_cb, window);
    }
  else
    report_now (window);
}

static gboolean
idle_cb (gpointer user_data)
{
  GtkWindow *window = user_data;

  idle_time = g_get_monotonic_time ();
  maybe_go_on (window);
  return G_SOURCE_REMOVE;
}

static void
cases_updated_cb (LkCaseList *cases,
                  GtkWindow  *window)
{
  if (full_time != 0 || lk_case_list_get_total (cases) == 0)
    return;
  full_time = g_get_monotonic_time ();
  maybe_go_on (window);
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  GListModel *cases;
  guint rows;

  if (reported || rows_time != 0)
    return;

  if (window_time == 0)
    window_time = g_get_monotonic_time ();

  if (bare)
    rows = 0;
  else
    {
      cases = lk_window_get_cases (LK_WINDOW (window));
      rows = cases != NULL ? g_list_model_get_n_items (cases) : 0;
      if (rows == 0)
        return;
    }

  rows_time = g_get_monotonic_time ();
  painted_rows = rows;
  g_idle_add (idle_cb, window);
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

  if (!bare)
    g_signal_connect_object (lk_window_get_cases (LK_WINDOW (window)), "updated",
                             G_CALLBACK (cases_updated_cb), window, 0);

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

  if (argc > 2 && strcmp (argv[1], "--pdf") == 0)
    {
      pdf_file = argv[2];
      argv[2] = argv[0];
      argv += 2;
      argc -= 2;
    }

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
