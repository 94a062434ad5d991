/* test-layout.c — the Loket window fits small screens
 *
 * Officers work on 1366×768 laptops and 1024×768 monitors. The window must
 * not ask for more than 1024 px of width, neither with the queue alone, nor
 * with a case open, nor with its attachment shown in the preview, nor on the
 * signing page; and at 1024×700 the main controls must still be on screen
 * with some width. Runs under Xvfb against a real loket-server with the demo
 * seed (as test-review.c).
 *
 * Set LK_LAYOUT_DEBUG=1 to print, for each measurement, the widgets that
 * demand the most width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include "store/lk-case-list.h"
#include "lk-application.h"
#include "lk-test-util.h"

/* Only a guard against hangs; nothing is asserted about timing. */
#define WAIT_SECONDS 120
#define N_CASES      40
#define MAX_WIDTH    1024
#define SMALL_WIDTH  1024
#define SMALL_HEIGHT 700

static LkApplication *app;

typedef struct
{
  char         *tmpdir;
  LkTestServer *server;
} Fixture;

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond)                                                  \
  G_STMT_START {                                                          \
    gboolean timed_out_ = FALSE;                                          \
    guint id_ = g_timeout_add_seconds (WAIT_SECONDS, set_true_cb,         \
                                       &timed_out_);                      \
    while (!(cond) && !timed_out_)                                        \
      g_main_context_iteration (NULL, TRUE);                              \
    if (!timed_out_)                                                      \
      g_source_remove (id_);                                              \
    g_assert_true (cond);                                                 \
  } G_STMT_END

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = lk_test_make_tmpdir ("layout");
  db_path = g_build_filename (fixture->tmpdir, "server.db", NULL);
  fixture->server = lk_test_server_start (db_path, 0, N_CASES, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);

  g_setenv ("LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);
}

static void
close_all_windows (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_all_windows ();
  g_unsetenv ("LOKET_PASSWORD");

  if (fixture->server != NULL && fixture->server->process != NULL)
    g_assert_true (lk_test_server_stop (fixture->server, FALSE));
  g_clear_pointer (&fixture->server, lk_test_server_free);
  lk_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static gboolean
queue_is_loaded (LkWindow *window)
{
  GListModel *cases = lk_window_get_cases (window);
  gint64 n = lk_store_count (lk_session_get_store (lk_window_get_session (window)), LK_KIND_CASE);

  return n > 0 && g_list_model_get_n_items (cases) == (guint) n &&
         !lk_case_list_is_loading (LK_CASE_LIST (cases));
}

static LkWindow *
open_window (const char *url,
             const char *user)
{
  LkWindow *window;
  LkSession *session;

  lk_application_open_account (app, url, user);
  WAIT_UNTIL (lk_application_get_window (app) != NULL);
  window = lk_application_get_window (app);
  session = lk_window_get_session (window);
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED ||
              lk_session_get_status (session) == LK_SESSION_STATUS_OFFLINE ||
              lk_session_get_status (session) == LK_SESSION_STATUS_FAILED);
  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  WAIT_UNTIL (queue_is_loaded (window));
  return window;
}

/* Lets a few frames pass so that layout runs. */
static void
run_frames (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gint64 first;

  WAIT_UNTIL (gtk_widget_get_mapped (widget));
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  first = gdk_frame_clock_get_frame_counter (clock);
  gtk_widget_queue_resize (widget);
  WAIT_UNTIL (gdk_frame_clock_get_frame_counter (clock) >= first + 3);
}

/* Prints the widgets that demand at least half of the width of their parent,
 * depth first: where the width goes. */
static void
dump_widths (GtkWidget *widget,
             int        depth)
{
  int min = 0;
  int parent_min = 0;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (gtk_widget_get_parent (widget) != NULL)
    gtk_widget_measure (gtk_widget_get_parent (widget), GTK_ORIENTATION_HORIZONTAL, -1, &parent_min,
                        NULL, NULL, NULL);
  if (depth > 0 && min < 200)
    return;
  g_printerr ("%*s%s%s%s %d\n", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
              gtk_widget_get_name (widget) != NULL ? " " : "",
              gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) != NULL
                ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) : "", min);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_widths (child, depth + 1);
}

static int
min_width (LkWindow   *window,
           const char *what)
{
  int min = 0;

  run_frames (GTK_WIDGET (window));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("Minimum width of the window, %s: %d px", what, min);
  if (g_getenv ("LK_LAYOUT_DEBUG") != NULL)
    {
      g_printerr ("== %s: %d\n", what, min);
      dump_widths (GTK_WIDGET (window), 0);
    }
  return min;
}

/* Shown, mapped and given some width in the window. */
static void
assert_usable (GtkWidget  *widget,
               const char *what)
{
  g_test_message ("%s: %d px wide", what, gtk_widget_get_width (widget));
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_cmpint (gtk_widget_get_width (widget), >, 0);
}

/* The shown buttons of the case actions ("case.*"), and "Move To…". */
static guint
count_usable_actions (GtkWidget *root)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *action = GTK_IS_ACTIONABLE (child) ? gtk_actionable_get_action_name (GTK_ACTIONABLE (child)) : NULL;

      if (!gtk_widget_get_visible (child))
        continue;
      if ((action != NULL && g_str_has_prefix (action, "case.")) ||
          g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (child)), "move_button") == 0)
        {
          assert_usable (child, action != NULL ? action : "move_button");
          n++;
        }
      n += count_usable_actions (child);
    }
  return n;
}

/* Saves what the window shows to DIR/NAME.png when LK_LAYOUT_SHOTS=DIR. */
static void
save_shot (LkWindow   *window,
           const char *name)
{
  const char *dir = g_getenv ("LK_LAYOUT_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, file));
}

/* Selects the first case with at least one attachment and an action for the
 * officer, and waits until its first attachment is on screen. */
static void
open_case_with_attachment (LkWindow *window)
{
  GListModel *cases = lk_window_get_cases (window);
  LkCaseView *case_view = lk_window_get_case_view (window);
  LkPdfView *pdf_view = lk_case_view_get_pdf_view (case_view);

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(LkCase) kase = g_list_model_get_item (cases, i);
      g_autofree char *primary = NULL;

      gtk_single_selection_set_selected (lk_window_get_selection (window), i);
      WAIT_UNTIL (lk_case_view_get_case (case_view) != NULL &&
                  g_strcmp0 (lk_case_get_id (lk_case_view_get_case (case_view)), lk_case_get_id (kase)) == 0 &&
                  lk_case_view_get_checklist (case_view) != NULL);
      if (g_list_model_get_n_items (lk_case_view_get_documents (case_view)) == 0)
        continue;
      /* One the officer can act on, so that its action buttons show. */
      primary = lk_case_view_get_primary_action (case_view);
      if (primary == NULL)
        continue;
      WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) >= 0 || lk_pdf_view_get_error (pdf_view) != NULL);
      g_assert_null (lk_pdf_view_get_error (pdf_view));
      return;
    }
  g_assert_not_reached ();
}

static void
resize (LkWindow *window,
        int       width,
        int       height)
{
  GdkSurface *surface;

  /* Without a window manager a shown window keeps its size: show it anew. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  run_frames (GTK_WIDGET (window));
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_test_message ("Window now %d×%d (widget %d×%d)", gdk_surface_get_width (surface),
                  gdk_surface_get_height (surface), gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  /* The surface is what the screen holds; the widget is smaller by the
   * window's own border. */
  g_assert_cmpint (gdk_surface_get_width (surface), ==, width);
  g_assert_cmpint (gdk_surface_get_height (surface), ==, height);
  run_frames (GTK_WIDGET (window));
}

static void
test_officer (Fixture       *fixture,
              gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas");
  LkQueuePage *queue = lk_window_get_queue_page (window);
  LkCaseView *case_view = lk_window_get_case_view (window);
  LkPdfView *pdf_view = lk_case_view_get_pdf_view (case_view);
  int width;

  width = min_width (window, "queue only");
  g_assert_cmpint (width, <=, MAX_WIDTH);

  open_case_with_attachment (window);
  width = min_width (window, "case with its attachment");
  g_assert_cmpint (width, <=, MAX_WIDTH);

  /* The thumbnails strip open as well. */
  g_action_group_activate_action (lk_pdf_view_get_actions (pdf_view), "show-thumbnails", NULL);
  width = min_width (window, "case with the thumbnails");
  g_assert_cmpint (width, <=, MAX_WIDTH);
  g_action_group_activate_action (lk_pdf_view_get_actions (pdf_view), "show-thumbnails", NULL);

  resize (window, SMALL_WIDTH, SMALL_HEIGHT);
  assert_usable (GTK_WIDGET (lk_queue_page_get_search (queue)), "search entry");
  assert_usable (GTK_WIDGET (lk_queue_page_get_column_view (queue)), "column view");
  assert_usable (GTK_WIDGET (case_view), "case view");
  assert_usable (GTK_WIDGET (pdf_view), "PDF view");
  /* The suggested action and "Move To…" at least. */
  g_assert_cmpuint (count_usable_actions (GTK_WIDGET (case_view)), >=, 2);
  save_shot (window, "officer-1024x700");

  resize (window, 1280, 1024);
  assert_usable (GTK_WIDGET (lk_queue_page_get_column_view (queue)), "column view at 1280");
  assert_usable (GTK_WIDGET (pdf_view), "PDF view at 1280");
  g_assert_cmpuint (count_usable_actions (GTK_WIDGET (case_view)), >=, 2);
  save_shot (window, "officer-1280x1024");
}

static void
test_signer (Fixture       *fixture,
             gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "pejabat");
  GtkWidget *signing = GTK_WIDGET (lk_window_get_signing_page (window));
  int width;

  WAIT_UNTIL (lk_window_get_signing_available (window));
  width = min_width (window, "signer");
  g_assert_cmpint (width, <=, MAX_WIDTH);

  resize (window, SMALL_WIDTH, SMALL_HEIGHT);
  g_assert_true (gtk_widget_get_visible (signing));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-signing", NULL));
  run_frames (GTK_WIDGET (window));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "signing");
  assert_usable (signing, "signing page");
  save_shot (window, "signer-1024x700");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) system_dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = NULL;
  g_autofree char *system_data_dirs = NULL;
  int ret;

  /* As test-review.c: no GNOME proxy resolver, and the system's MIME data. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS") != NULL && *g_getenv ("XDG_DATA_DIRS") != '\0'
                               ? g_getenv ("XDG_DATA_DIRS") : "/usr/local/share:/usr/share");
  system_dirs = g_strsplit (system_data_dirs, ":", -1);
  mime_dirs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (system_dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);

  app = lk_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/layout/officer", Fixture, NULL, fixture_set_up, test_officer, fixture_tear_down);
  g_test_add ("/layout/signer", Fixture, NULL, fixture_set_up, test_signer, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
