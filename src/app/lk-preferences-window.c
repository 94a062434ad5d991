/* lk-preferences-window.c — STUB, replaced in this change */
#define G_LOG_DOMAIN "loket-app"
#include "config.h"
#include "lk-preferences-window.h"

struct _LkPreferencesWindow { AdwPreferencesWindow parent_instance; };
G_DEFINE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)
static void lk_preferences_window_class_init (LkPreferencesWindowClass *klass) { }
static void lk_preferences_window_init (LkPreferencesWindow *self) { }
LkPreferencesWindow *
lk_preferences_window_new (GtkWindow *parent, LkSession *session)
{
  return g_object_new (LK_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}
