/* test-pdf-view.c — the PDF preview under Xvfb, on PDFs made by other programs
 *
 * The fixtures are made at test time: a four-page document drawn with cairo
 * and rewritten by pdftocairo, a 500-page one assembled from it by qpdf, and
 * files that are not PDFs. Run by run-under-xvfb.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <adwaita.h>

#include "lk-pdf-renderer.h"
#include "lk-pdf-view.h"
#include "lk-app-test-util.h"

#define BIG_COPIES   125   /* × 4 pages */

static char *tmpdir;
static char *small_pdf;
static char *big_pdf;

typedef struct
{
  GtkWindow *window;
  LkPdfView *view;
} Fixture;

/* Fixtures ----------------------------------------------------------------- */

/* Words per page (0-based): "kelurahan" on pages 1 and 3 (twice there),
 * "Zebra" on page 2 only. */
static const char * const page_lines[4][3] = {
  { "Alpha Loket page one", "Surat keterangan domisili", "Nomor 503/0112/DPMPTSP/2026" },
  { "Bravo page two", "Kantor kelurahan Sukamaju", "Jalan Merdeka 17" },
  { "Charlie page three", "Zebra crossing permit", "Izin usaha mikro" },
  { "Delta page four", "kelurahan Sukajadi and Kelurahan Cibeunying", "Penutup" },
};

static void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static void
make_fixtures (void)
{
  g_autofree char *drawn = g_build_filename (tmpdir, "cairo.pdf", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create (drawn, 595, 842);
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 20);
  for (int page = 0; page < 4; page++)
    {
      for (int line = 0; line < 3; line++)
        {
          cairo_move_to (cr, 72, 100 + 60 * line);
          cairo_show_text (cr, page_lines[page][line]);
        }
      cairo_rectangle (cr, 72, 400, 200, 100 + 50 * page);
      cairo_stroke (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  /* Rewritten by poppler's pdftocairo, then multiplied by qpdf. */
  small_pdf = g_build_filename (tmpdir, "small.pdf", NULL);
  run ((const char *[]) { "pdftocairo", "-pdf", drawn, small_pdf, NULL });

  big_pdf = g_build_filename (tmpdir, "big.pdf", NULL);
  g_ptr_array_add (argv, "qpdf");
  g_ptr_array_add (argv, "--empty");
  g_ptr_array_add (argv, "--pages");
  for (int i = 0; i < BIG_COPIES; i++)
    g_ptr_array_add (argv, small_pdf);
  g_ptr_array_add (argv, "--");
  g_ptr_array_add (argv, big_pdf);
  g_ptr_array_add (argv, NULL);
  run ((const char * const *) argv->pdata);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->view = LK_PDF_VIEW (lk_pdf_view_new ());
  gtk_window_set_default_size (fixture->window, 800, 700);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)) &&
              gtk_widget_get_width (GTK_WIDGET (fixture->view)) > 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->view), (gpointer *) &fixture->view);
  gtk_window_destroy (fixture->window);
  /* Jobs in flight hold the view until they end. */
  WAIT_UNTIL (fixture->view == NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (g_action_group_get_action_enabled (lk_pdf_view_get_actions (fixture->view), action));
  g_action_group_activate_action (lk_pdf_view_get_actions (fixture->view), action, NULL);
}

static void
open_and_wait (Fixture    *fixture,
               const char *path)
{
  lk_pdf_view_load_file (fixture->view, path);
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 0 ||
              lk_pdf_view_get_error (fixture->view) != NULL);
  g_assert_null (lk_pdf_view_get_error (fixture->view));
}

static void
rendered_size (Fixture *fixture,
               int     *width,
               int     *height)
{
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == lk_pdf_view_get_page (fixture->view));
  g_assert_true (lk_pdf_view_get_rendered_size (fixture->view, width, height));
}

/* Tests --------------------------------------------------------------------- */

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Ticker;

static gboolean
tick_cb (gpointer data)
{
  Ticker *ticker = data;
  gint64 now = g_get_monotonic_time ();

  ticker->max_gap = MAX (ticker->max_gap, now - ticker->last);
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

static void
test_big_document (Fixture       *fixture,
                   gconstpointer  data)
{
  Ticker ticker = { g_get_monotonic_time (), 0 };
  guint tick_id = g_timeout_add (10, tick_cb, &ticker);
  guint rendered;

  /* The window keeps answering while 500 pages open and the first shows:
   * a freeze check, not a timing benchmark. */
  lk_pdf_view_load_file (fixture->view, big_pdf);
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 0 ||
              lk_pdf_view_get_error (fixture->view) != NULL);
  g_assert_null (lk_pdf_view_get_error (fixture->view));
  g_assert_cmpint (lk_pdf_view_get_n_pages (fixture->view), ==, 4 * BIG_COPIES);

  /* Thumbnails: only the rows on screen are rendered. */
  activate (fixture, "show-thumbnails");
  WAIT_UNTIL (lk_pdf_view_get_n_thumbnails_rendered (fixture->view) >= 3);
  g_test_message ("thumbnails after showing: %u", lk_pdf_view_get_n_thumbnails_rendered (fixture->view));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_test_message ("thumbnails after a while: %u", lk_pdf_view_get_n_thumbnails_rendered (fixture->view));
  activate (fixture, "last-page");
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 4 * BIG_COPIES - 1);
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 4 * BIG_COPIES - 1);
  /* Let the strip scroll there and render what it shows. */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  rendered = lk_pdf_view_get_n_thumbnails_rendered (fixture->view);
  g_assert_cmpuint (rendered, <, 60);

  /* Search over all pages, in the worker. */
  lk_pdf_view_find (fixture->view, "Zebra");
  WAIT_UNTIL (!lk_pdf_view_is_searching (fixture->view));
  g_assert_cmpuint (lk_pdf_view_get_n_matches (fixture->view), ==, BIG_COPIES);

  g_source_remove (tick_id);
  g_test_message ("longest main loop gap: %d ms", (int) (ticker.max_gap / 1000));
  g_assert_cmpint (ticker.max_gap, <, G_USEC_PER_SEC);
}

static void
test_navigation (Fixture       *fixture,
                 gconstpointer  data)
{
  GActionGroup *actions = lk_pdf_view_get_actions (fixture->view);

  open_and_wait (fixture, small_pdf);
  g_assert_cmpint (lk_pdf_view_get_n_pages (fixture->view), ==, 4);
  g_assert_false (g_action_group_get_action_enabled (actions, "previous-page"));
  g_assert_false (g_action_group_get_action_enabled (actions, "first-page"));

  activate (fixture, "next-page");
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 1);
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 1);
  activate (fixture, "next-page");
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 2);
  activate (fixture, "last-page");
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 3);
  g_assert_false (g_action_group_get_action_enabled (actions, "next-page"));
  g_assert_false (g_action_group_get_action_enabled (actions, "last-page"));
  activate (fixture, "previous-page");
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 2);
  activate (fixture, "first-page");
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 0);

  /* Out of range pages are clamped. */
  lk_pdf_view_set_page (fixture->view, 99);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 3);
  lk_pdf_view_set_page (fixture->view, -5);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 0);
}

static void
test_zoom (Fixture       *fixture,
           gconstpointer  data)
{
  int fit_w, fit_h, w, h, page_w, page_h;

  open_and_wait (fixture, small_pdf);
  g_assert_cmpint (lk_pdf_view_get_zoom_mode (fixture->view), ==, LK_PDF_ZOOM_FIT_WIDTH);
  rendered_size (fixture, &fit_w, &fit_h);
  /* Fit width: as wide as the view, give or take the margin. */
  g_assert_cmpint (fit_w, >, gtk_widget_get_width (GTK_WIDGET (fixture->view)) - 40);
  g_assert_cmpint (fit_w, <=, gtk_widget_get_width (GTK_WIDGET (fixture->view)));

  g_action_group_activate_action (lk_pdf_view_get_actions (fixture->view), "zoom-set",
                                  g_variant_new_double (100));
  g_assert_cmpint (lk_pdf_view_get_zoom_mode (fixture->view), ==, LK_PDF_ZOOM_FREE);
  rendered_size (fixture, &w, &h);
  /* A4 at 96 dpi. */
  g_assert_cmpint (ABS (w - 793), <=, 2);
  g_assert_cmpint (ABS (h - 1122), <=, 2);

  activate (fixture, "zoom-in");
  rendered_size (fixture, &w, &h);
  g_assert_cmpint (ABS (w - 991), <=, 3);
  g_assert_cmpint ((int) (lk_pdf_view_get_zoom (fixture->view) + 0.5), ==, 125);

  /* Down the steps: 100 %, 75 %. */
  activate (fixture, "zoom-out");
  activate (fixture, "zoom-out");
  rendered_size (fixture, &w, &h);
  g_assert_cmpint (ABS (w - 595), <=, 3);
  g_assert_cmpint ((int) (lk_pdf_view_get_zoom (fixture->view) + 0.5), ==, 75);

  activate (fixture, "zoom-fit-page");
  rendered_size (fixture, &page_w, &page_h);
  g_assert_cmpint (page_h, <=, gtk_widget_get_height (GTK_WIDGET (fixture->view)));
  g_assert_cmpint (page_w, <, fit_w);

  /* Ctrl+0's action returns to fit width. */
  activate (fixture, "zoom-fit");
  rendered_size (fixture, &w, &h);
  g_assert_cmpint (w, ==, fit_w);
  g_assert_cmpint (h, ==, fit_h);
}

static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  int w, h, rw, rh;

  open_and_wait (fixture, small_pdf);
  g_action_group_activate_action (lk_pdf_view_get_actions (fixture->view), "zoom-set",
                                  g_variant_new_double (50));
  rendered_size (fixture, &w, &h);
  g_assert_cmpint (w, <, h);

  activate (fixture, "rotate-right");
  g_assert_cmpint (lk_pdf_view_get_rotation (fixture->view), ==, 90);
  rendered_size (fixture, &rw, &rh);
  g_assert_cmpint (rw, ==, h);
  g_assert_cmpint (rh, ==, w);

  activate (fixture, "rotate-right");
  rendered_size (fixture, &rw, &rh);
  g_assert_cmpint (rw, ==, w);
  activate (fixture, "rotate-left");
  activate (fixture, "rotate-left");
  activate (fixture, "rotate-left");
  g_assert_cmpint (lk_pdf_view_get_rotation (fixture->view), ==, 270);
  rendered_size (fixture, &rw, &rh);
  g_assert_cmpint (rw, ==, h);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  int page = -1;
  guint ordinal = 0;

  open_and_wait (fixture, small_pdf);

  lk_pdf_view_find (fixture->view, "kelurahan");
  WAIT_UNTIL (!lk_pdf_view_is_searching (fixture->view));
  g_assert_cmpuint (lk_pdf_view_get_n_matches (fixture->view), ==, 3);
  g_assert_true (lk_pdf_view_get_current_match (fixture->view, &page, &ordinal));
  g_assert_cmpint (page, ==, 1);
  g_assert_cmpuint (ordinal, ==, 1);
  /* The view went to the match. */
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 1);

  activate (fixture, "find-next");
  g_assert_true (lk_pdf_view_get_current_match (fixture->view, &page, &ordinal));
  g_assert_cmpint (page, ==, 3);
  g_assert_cmpuint (ordinal, ==, 2);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 3);
  activate (fixture, "find-next");
  g_assert_true (lk_pdf_view_get_current_match (fixture->view, &page, &ordinal));
  g_assert_cmpint (page, ==, 3);
  g_assert_cmpuint (ordinal, ==, 3);
  activate (fixture, "find-next");
  g_assert_true (lk_pdf_view_get_current_match (fixture->view, &page, &ordinal));
  g_assert_cmpint (page, ==, 1);
  g_assert_cmpuint (ordinal, ==, 1);
  activate (fixture, "find-previous");
  g_assert_true (lk_pdf_view_get_current_match (fixture->view, &page, &ordinal));
  g_assert_cmpint (page, ==, 3);
  g_assert_cmpuint (ordinal, ==, 3);
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (fixture->view) == 3);

  lk_pdf_view_find (fixture->view, "Zebra");
  WAIT_UNTIL (!lk_pdf_view_is_searching (fixture->view));
  g_assert_cmpuint (lk_pdf_view_get_n_matches (fixture->view), ==, 1);
  g_assert_true (lk_pdf_view_get_current_match (fixture->view, &page, NULL));
  g_assert_cmpint (page, ==, 2);

  lk_pdf_view_find (fixture->view, "no such word anywhere");
  WAIT_UNTIL (!lk_pdf_view_is_searching (fixture->view));
  g_assert_cmpuint (lk_pdf_view_get_n_matches (fixture->view), ==, 0);
  g_assert_false (lk_pdf_view_get_current_match (fixture->view, NULL, NULL));
  g_assert_false (g_action_group_get_action_enabled (lk_pdf_view_get_actions (fixture->view), "find-next"));
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static char *
wait_for_clipboard_change (Fixture *fixture)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->view));
  gboolean changed = FALSE;
  gulong id = g_signal_connect_swapped (clipboard, "changed", G_CALLBACK (lk_app_test_set_true_cb), &changed);
  char *text = NULL;

  WAIT_UNTIL (changed);
  g_signal_handler_disconnect (clipboard, id);
  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &text);
  WAIT_UNTIL (text != NULL);
  return text;
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *selected = NULL;
  g_autofree char *page_text = NULL;

  open_and_wait (fixture, small_pdf);
  g_assert_false (g_action_group_get_action_enabled (lk_pdf_view_get_actions (fixture->view), "copy"));

  /* From the left of the second line of page 1 (baseline at 160 pt) to
   * its end: poppler selects text in reading order between the corners. */
  lk_pdf_view_select_area (fixture->view, 60, 145, 330, 160);
  activate (fixture, "copy");
  selected = wait_for_clipboard_change (fixture);
  g_assert_cmpstr (g_strstrip (selected), ==, "Surat keterangan domisili");

  activate (fixture, "next-page");
  activate (fixture, "copy-page-text");
  page_text = wait_for_clipboard_change (fixture);
  g_assert_nonnull (strstr (page_text, "Bravo page two"));
  g_assert_nonnull (strstr (page_text, "Kantor kelurahan Sukamaju"));
  g_assert_null (strstr (page_text, "Alpha"));
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (tmpdir, "garbage.pdf", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.pdf", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (garbage, "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer\n%%EOF\n",
                       -1, &error);
  g_assert_no_error (error);

  lk_pdf_view_load_file (fixture->view, garbage);
  WAIT_UNTIL (lk_pdf_view_get_error (fixture->view) != NULL);
  g_assert_cmpstr (lk_pdf_view_get_error (fixture->view), ==,
                   "This attachment cannot be shown: the file is damaged or is not a PDF document");
  g_assert_cmpint (lk_pdf_view_get_n_pages (fixture->view), ==, 0);
  g_assert_false (g_action_group_get_action_enabled (lk_pdf_view_get_actions (fixture->view), "print"));
  g_assert_false (g_action_group_get_action_enabled (lk_pdf_view_get_actions (fixture->view), "find"));

  lk_pdf_view_load_file (fixture->view, missing);
  WAIT_UNTIL (lk_pdf_view_get_error (fixture->view) != NULL);
  g_assert_true (g_str_has_prefix (lk_pdf_view_get_error (fixture->view), "This attachment cannot be shown: "));

  /* A good file after a bad one. */
  open_and_wait (fixture, small_pdf);
  g_assert_cmpint (lk_pdf_view_get_n_pages (fixture->view), ==, 4);
}

/* Presses KEYVAL + MODS the way the view's own shortcut controllers see it
 * while the focus is in the view: finds the shortcut and activates it on
 * the focused page. */
static void
press (Fixture         *fixture,
       guint            keyval,
       GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->view));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (fixture->view)));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == gdk_keyval_to_lower (keyval) &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, focus, NULL));
              return;
            }
        }
    }
  g_error ("no shortcut for %s", gdk_keyval_name (keyval));
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *page_widget;
  GVariant *state;

  open_and_wait (fixture, small_pdf);
  /* The page takes the focus (as a click on it does). */
  page_widget = gtk_widget_get_first_child (GTK_WIDGET (fixture->view));
  while (page_widget != NULL && g_strcmp0 (G_OBJECT_TYPE_NAME (page_widget), "LkPdfPage") != 0)
    {
      GtkWidget *next = gtk_widget_get_first_child (page_widget);

      while (next == NULL && page_widget != NULL)
        {
          next = gtk_widget_get_next_sibling (page_widget);
          page_widget = gtk_widget_get_parent (page_widget);
          if (page_widget == GTK_WIDGET (fixture->view))
            page_widget = NULL;
        }
      page_widget = next;
    }
  g_assert_nonnull (page_widget);
  g_assert_true (gtk_widget_grab_focus (page_widget));

  press (fixture, GDK_KEY_Page_Down, 0);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 1);
  press (fixture, GDK_KEY_End, 0);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 3);
  press (fixture, GDK_KEY_Page_Up, 0);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 2);
  press (fixture, GDK_KEY_Home, 0);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 0);

  press (fixture, GDK_KEY_Right, GDK_CONTROL_MASK);
  g_assert_cmpint (lk_pdf_view_get_rotation (fixture->view), ==, 90);
  press (fixture, GDK_KEY_bracketleft, 0);
  g_assert_cmpint (lk_pdf_view_get_rotation (fixture->view), ==, 0);

  press (fixture, GDK_KEY_9, GDK_CONTROL_MASK);
  g_assert_cmpint (lk_pdf_view_get_zoom_mode (fixture->view), ==, LK_PDF_ZOOM_FIT_PAGE);
  press (fixture, GDK_KEY_plus, GDK_CONTROL_MASK);
  g_assert_cmpint (lk_pdf_view_get_zoom_mode (fixture->view), ==, LK_PDF_ZOOM_FREE);
  press (fixture, GDK_KEY_0, GDK_CONTROL_MASK);
  g_assert_cmpint (lk_pdf_view_get_zoom_mode (fixture->view), ==, LK_PDF_ZOOM_FIT_WIDTH);

  press (fixture, GDK_KEY_F9, 0);
  state = g_action_group_get_action_state (lk_pdf_view_get_actions (fixture->view), "show-thumbnails");
  g_assert_true (g_variant_get_boolean (state));
  g_variant_unref (state);
  WAIT_UNTIL (lk_pdf_view_get_n_thumbnails_rendered (fixture->view) == 4);

  /* Ctrl+Shift+F opens the search with the focus in its entry. */
  press (fixture, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_true (GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (fixture->window))));
  lk_pdf_view_find (fixture->view, "page");
  WAIT_UNTIL (!lk_pdf_view_is_searching (fixture->view));
  g_assert_cmpuint (lk_pdf_view_get_n_matches (fixture->view), ==, 4);
  press (fixture, GDK_KEY_F3, 0);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 1);
  press (fixture, GDK_KEY_F3, GDK_SHIFT_MASK);
  g_assert_cmpint (lk_pdf_view_get_page (fixture->view), ==, 0);
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GdkTexture *
render (LkPdfRenderer *renderer,
        int            page,
        double         scale,
        GCancellable  *cancellable,
        GError       **error)
{
  Wait wait = { NULL };
  GdkTexture *texture;

  lk_pdf_renderer_render_async (renderer, page, scale, 0, LK_PDF_PRIORITY_VISIBLE, cancellable,
                                store_result_cb, &wait);
  WAIT_UNTIL (wait.result != NULL);
  texture = lk_pdf_renderer_render_finish (renderer, wait.result, error);
  g_object_unref (wait.result);
  return texture;
}

/* The renderer alone: the cache is bounded by bytes and drops the least
 * recently used page; a cancelled request renders nothing. */
static void
test_renderer_cache (void)
{
  g_autoptr(LkPdfRenderer) renderer = lk_pdf_renderer_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkTexture *found;
  Wait wait = { NULL };
  gsize page_bytes;

  lk_pdf_renderer_load_async (renderer, small_pdf, NULL, store_result_cb, &wait);
  WAIT_UNTIL (wait.result != NULL);
  g_assert_true (lk_pdf_renderer_load_finish (renderer, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpint (lk_pdf_renderer_get_n_pages (renderer), ==, 4);

  texture = render (renderer, 0, 0.5, NULL, &error);
  g_assert_no_error (error);
  page_bytes = lk_pdf_renderer_get_cache_size (renderer);
  g_assert_cmpuint (page_bytes, ==, (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4);

  /* Room for two pages. */
  lk_pdf_renderer_set_cache_limit (renderer, 2 * page_bytes + page_bytes / 2);
  g_clear_object (&texture);
  texture = render (renderer, 1, 0.5, NULL, &error);
  g_clear_object (&texture);
  /* Page 0 used last: page 2 pushes page 1 out. */
  found = lk_pdf_renderer_lookup (renderer, 0, 0.5, 0);
  g_assert_nonnull (found);
  g_object_unref (found);
  texture = render (renderer, 2, 0.5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_pdf_renderer_get_cache_size (renderer), <=, 2 * page_bytes + page_bytes / 2);
  found = lk_pdf_renderer_lookup (renderer, 1, 0.5, 0);
  g_assert_null (found);
  found = lk_pdf_renderer_lookup (renderer, 0, 0.5, 0);
  g_assert_nonnull (found);
  g_object_unref (found);
  found = lk_pdf_renderer_lookup (renderer, 2, 0.5, 0);
  g_assert_nonnull (found);
  g_object_unref (found);
  /* Another scale or rotation is another entry. */
  found = lk_pdf_renderer_lookup (renderer, 2, 0.75, 0);
  g_assert_null (found);

  g_cancellable_cancel (cancelled);
  g_clear_object (&texture);
  texture = render (renderer, 3, 0.5, cancelled, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (texture);
  found = lk_pdf_renderer_lookup (renderer, 3, 0.5, 0);
  g_assert_null (found);

  /* A selection covers the glyphs between its corners, in reading order:
   * here the second line of page 1 (from x = 72 pt, baseline 160 pt). */
  {
    PopplerRectangle area = { 60, 145, 330, 160 };
    g_autoptr(GArray) rects = NULL;

    g_clear_error (&error);
    double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = 0, y2 = 0;

    lk_pdf_renderer_get_selection_async (renderer, 0, &area, NULL, store_result_cb, &wait);
    WAIT_UNTIL (wait.result != NULL);
    rects = lk_pdf_renderer_get_selection_finish (renderer, wait.result, &error);
    g_clear_object (&wait.result);
    g_assert_no_error (error);
    g_assert_cmpuint (rects->len, >, 0);
    for (guint i = 0; i < rects->len; i++)
      {
        PopplerRectangle *r = &g_array_index (rects, PopplerRectangle, i);

        x1 = MIN (x1, r->x1), y1 = MIN (y1, r->y1), x2 = MAX (x2, r->x2), y2 = MAX (y2, r->y2);
      }
    g_assert_cmpfloat_with_epsilon (x1, 72, 1);
    g_assert_cmpfloat (y1, >, 130);
    g_assert_cmpfloat (y2, <, 175);
    g_assert_cmpfloat (x2, >, 250);
  }

  /* Closing drops the document and the cache. */
  lk_pdf_renderer_close (renderer);
  g_assert_cmpuint (lk_pdf_renderer_get_cache_size (renderer), ==, 0);
  g_assert_cmpint (lk_pdf_renderer_get_n_pages (renderer), ==, 0);
}

static void
test_print (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *out = g_build_filename (tmpdir, "printed.pdf", NULL);
  g_autofree char *info = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  open_and_wait (fixture, small_pdf);
  g_assert_true (lk_pdf_view_export_print (fixture->view, out, &error));
  g_assert_no_error (error);

  g_assert_true (g_spawn_sync (NULL, (char *[]) { "pdfinfo", out, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &info, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_regex_match_simple ("^Pages: +4$", info, G_REGEX_MULTILINE, 0));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  tmpdir = g_dir_make_tmp ("loket-pdf-view-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  make_fixtures ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pdf-view/big-document", test_big_document);
  ADD ("/pdf-view/navigation", test_navigation);
  ADD ("/pdf-view/zoom", test_zoom);
  ADD ("/pdf-view/rotation", test_rotation);
  ADD ("/pdf-view/search", test_search);
  ADD ("/pdf-view/copy", test_copy);
  ADD ("/pdf-view/malformed", test_malformed);
  ADD ("/pdf-view/keyboard", test_keyboard);
  ADD ("/pdf-view/print", test_print);
#undef ADD
  g_test_add_func ("/pdf-view/renderer-cache", test_renderer_cache);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmpdir);
  }
  return status;
}
