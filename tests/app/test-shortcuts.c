/* test-shortcuts.c — the shortcuts window (Ctrl+?) lists every key the app
 * binds: the application's accelerators, and the key bindings and shortcut
 * controllers of Loket's own widgets in the real window
 *
 * Run by run-under-xvfb.sh, against a real loket-server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>

#include "lk-application.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

static LkApplication *app;

static void
collect_accelerators (GtkWidget  *widget,
                      GHashTable *listed)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) parts = NULL;

      g_object_get (widget, "accelerator", &accelerator, NULL);
      /* A range "<Alt>1...<Alt>0": every digit with those modifiers. */
      if (accelerator != NULL && strstr (accelerator, "...") != NULL)
        {
          guint key;
          GdkModifierType mods;
          g_autofree char *first = g_strndup (accelerator, strstr (accelerator, "...") - accelerator);

          g_assert_true (gtk_accelerator_parse (first, &key, &mods));
          g_assert_true (key >= GDK_KEY_0 && key <= GDK_KEY_9);
          for (guint digit = GDK_KEY_0; digit <= GDK_KEY_9; digit++)
            g_hash_table_add (listed, gtk_accelerator_name (digit, mods));
        }
      parts = g_strsplit_set (accelerator != NULL ? accelerator : "", " .", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          guint key;
          GdkModifierType mods;

          if (*parts[i] == '\0')
            continue;
          g_assert_true (gtk_accelerator_parse (parts[i], &key, &mods));
          g_hash_table_add (listed, gtk_accelerator_name (key, mods));
        }
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_accelerators (c, listed);
}

static GHashTable *
listed_accelerators (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/loket/Loket/gtk/help-overlay.ui");
  GHashTable *listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  collect_accelerators (GTK_WIDGET (overlay), listed);
  gtk_window_destroy (overlay);
  return listed;
}

static void
check_trigger (GtkShortcutTrigger *trigger,
               GHashTable         *listed,
               GHashTable         *inherited,
               const char         *owner,
               guint              *n_checked)
{
  g_autofree char *name = NULL;
  guint key;

  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      check_trigger (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                     listed, inherited, owner, n_checked);
      check_trigger (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)),
                     listed, inherited, owner, n_checked);
      return;
    }
  if (!GTK_IS_KEYVAL_TRIGGER (trigger))
    return;

  key = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger));
  /* The keypad's twins are not listed apart; Escape closes any dialog. */
  if ((key >= GDK_KEY_KP_Space && key <= GDK_KEY_KP_9) || key == GDK_KEY_Escape)
    return;
  name = gtk_accelerator_name (key, gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
  if (inherited != NULL && g_hash_table_contains (inherited, name))
    return;
  if (!g_hash_table_contains (listed, name))
    g_error ("The shortcuts window does not list %s (%s)", name, owner);
  (*n_checked)++;
}

static void
add_trigger_keys (GtkShortcutTrigger *trigger,
                  GHashTable         *keys)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger_keys (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keys);
      add_trigger_keys (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keys);
    }
  else if (GTK_IS_KEYVAL_TRIGGER (trigger))
    g_hash_table_add (keys, gtk_accelerator_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                                  gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))));
}

/* The keys of a widget's shortcut controllers, as accelerator names. */
static void
add_widget_keys (GtkWidget  *widget,
                 GHashTable *keys)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          add_trigger_keys (gtk_shortcut_get_trigger (shortcut), keys);
        }
    }
}

/* Every key binding and shortcut controller of Loket's own widgets in
 * WIDGET's tree is listed in the shortcuts window. */
static void
check_widget_shortcuts (GtkWidget  *widget,
                        GHashTable *listed,
                        guint      *n_checked)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Lk"))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
      g_autoptr(GHashTable) inherited = NULL;
      GType parent = g_type_parent (G_OBJECT_TYPE (widget));

      /* What the GTK or libadwaita parent class binds is GTK's own (focus
       * moves, the inspector…): only what Loket adds is checked. */
      if (!G_TYPE_IS_ABSTRACT (parent))
        {
          GtkWidget *plain = g_object_ref_sink (g_object_new (parent, NULL));

          inherited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          add_widget_keys (plain, inherited);
          if (GTK_IS_WINDOW (plain))
            gtk_window_destroy (GTK_WINDOW (plain));
          g_object_unref (plain);
        }

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

              check_trigger (gtk_shortcut_get_trigger (shortcut), listed, inherited,
                             G_OBJECT_TYPE_NAME (widget), n_checked);
            }
        }
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_widget_shortcuts (c, listed, n_checked);
}

/* The shortcuts window lists every accelerator the application sets. */
static void
test_application_accels (void)
{
  g_autoptr(GHashTable) listed = listed_accelerators ();
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  guint n_checked = 0;

  g_assert_cmpuint (g_hash_table_size (listed), >, 20);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint key;
          GdkModifierType mods;
          g_autofree char *name = NULL;

          g_assert_true (gtk_accelerator_parse (accels[j], &key, &mods));
          /* The keypad's twins are not listed apart. */
          if (key >= GDK_KEY_KP_Space && key <= GDK_KEY_KP_9)
            continue;
          name = gtk_accelerator_name (key, mods);
          if (!g_hash_table_contains (listed, name))
            g_error ("The shortcuts window does not list %s (%s)", accels[j], actions[i]);
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >, 5);
}

/* The shortcuts window shows, laid out without a warning. */
static void
test_show (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/loket/Loket/gtk/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gboolean done = FALSE;

  gtk_window_present (overlay);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  /* A few frames. */
  g_timeout_add (300, lk_app_test_set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  gtk_window_destroy (overlay);
}

/* The window's own widgets: the queue, the case view, the PDF view, the
 * signing page… */
static void
test_window_bindings (void)
{
  g_autofree char *dir = lk_test_make_tmpdir ("shortcuts");
  g_autoptr(LkTestServer) server = NULL;
  g_autoptr(GHashTable) listed = listed_accelerators ();
  LkWindow *window;
  guint n_checked = 0;

  server = lk_app_test_server_start (dir, 10);
  g_setenv ("LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);

  window = lk_app_test_open_account (app, server->url, "petugas");
  WAIT_UNTIL (lk_session_get_status (lk_window_get_session (window)) == LK_SESSION_STATUS_SYNCED);

  /* The shortcuts window is the window's help overlay (win.show-help-overlay). */
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))));

  check_widget_shortcuts (GTK_WIDGET (window), listed, &n_checked);
  g_test_message ("%u key bindings of the window are listed", n_checked);
  g_assert_cmpuint (n_checked, >, 10);

  lk_app_test_close_all_windows (app);
  g_unsetenv ("LOKET_PASSWORD");
  g_assert_true (lk_test_server_stop (server, FALSE));
  lk_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  app = lk_app_test_application_new ();

  g_test_add_func ("/shortcuts/application-accels", test_application_accels);
  g_test_add_func ("/shortcuts/show", test_show);
  g_test_add_func ("/shortcuts/window-bindings", test_window_bindings);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
