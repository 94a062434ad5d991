/* lk-preferences-window.c — server and account, PKCS#11 modules, the
 * default signature appearance, the interface language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-preferences-window.h"
#include "lk-stamp-preview.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-appearance.h"
#include "sign/lk-token-modules.h"

struct _LkPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  LkSession            *session;
  GSettings            *settings;   /* NULL when the schema is not installed */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GPtrArray            *added_rows;
  char                 *module_error;
  char                 *image_error;
  guint                 n_workers;
  int                   n_registered;

  /* Template children */
  AdwActionRow        *server_row;
  AdwActionRow        *user_row;
  AdwActionRow        *role_row;
  AdwActionRow        *sync_row;
  AdwPreferencesGroup *registered_group;
  AdwActionRow        *registered_status_row;
  GtkSpinner          *registered_spinner;
  AdwPreferencesGroup *added_group;
  AdwActionRow        *no_added_row;
  GtkLabel            *module_error_label;
  GtkSwitch           *visible_switch;
  GtkEntry            *reason_entry;
  GtkEntry            *location_entry;
  AdwActionRow        *image_row;
  GtkButton           *image_remove_button;
  GtkButton           *image_choose_button;
  GtkLabel            *image_error_label;
  LkStampPreview      *stamp_preview;
  GtkWidget           *preview_invisible_label;
  AdwComboRow         *language_row;
};

G_DEFINE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The values of the GSettings key "language", in the order of the rows of
 * the language combo. */
static const char * const languages[] = { "", "en", "id" };

static void
set_busy (LkPreferencesWindow *self,
          gboolean             busy)
{
  gboolean was_busy = self->n_workers > 0;

  if (busy)
    self->n_workers++;
  else
    {
      g_assert (self->n_workers > 0);
      self->n_workers--;
    }

  if (was_busy != (self->n_workers > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_error_label (GtkLabel    *label,
                 char       **field,
                 const char  *message)
{
  g_free (*field);
  *field = g_strdup (message);
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

/* Server and account */

static void
update_account (LkPreferencesWindow *self)
{
  const char *none = _("Not signed in");

  if (self->session == NULL)
    {
      adw_action_row_set_subtitle (self->server_row, none);
      adw_action_row_set_subtitle (self->user_row, none);
      adw_action_row_set_subtitle (self->role_row, "");
      adw_action_row_set_subtitle (self->sync_row, "");
      return;
    }

  adw_action_row_set_subtitle (self->server_row, lk_session_get_server_url (self->session));
  adw_action_row_set_subtitle (self->user_row, lk_session_get_username (self->session));
  adw_action_row_set_subtitle (self->role_row,
                               lk_session_get_role (self->session) != LK_ROLE_INVALID
                               ? lk_role_get_label (lk_session_get_role (self->session))
                               : _("Unknown until the first sign-in"));
  adw_action_row_set_subtitle (self->sync_row,
                               lk_session_get_status_message (self->session) != NULL
                               ? lk_session_get_status_message (self->session) : "");
}

/* Registered modules */

static void
list_modules_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LkPreferencesWindow *self = user_data;
  g_autoptr(GPtrArray) modules = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled: the window is gone. */
  modules = lk_token_modules_list_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->registered_spinner), FALSE);
  if (modules == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->registered_status_row),
                                     _("Cannot read the registered modules"));
      adw_action_row_set_subtitle (self->registered_status_row, error->message);
      self->n_registered = 0;
      return;
    }

  if (modules->len == 0)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->registered_status_row),
                                     _("No modules are registered on this computer"));
      self->n_registered = 0;
      return;
    }

  adw_preferences_group_remove (self->registered_group, GTK_WIDGET (self->registered_status_row));
  self->registered_status_row = NULL;
  for (guint i = 0; i < modules->len; i++)
    {
      LkTokenModule *module = g_ptr_array_index (modules, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), module->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), module->path);
      adw_preferences_group_add (self->registered_group, row);
    }
  self->n_registered = (int) modules->len;
}

/* Added module files */

static void remove_module_clicked_cb (GtkButton *button, LkPreferencesWindow *self);

static void
update_added_modules (LkPreferencesWindow *self)
{
  g_auto(GStrv) paths = NULL;

  for (guint i = 0; i < self->added_rows->len; i++)
    adw_preferences_group_remove (self->added_group, g_ptr_array_index (self->added_rows, i));
  g_ptr_array_set_size (self->added_rows, 0);

  if (self->settings != NULL)
    paths = g_settings_get_strv (self->settings, "pkcs11-modules");

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (paths[i]);
      g_autofree char *display = g_filename_display_name (paths[i]);
      g_autofree char *remove_label = g_strdup_printf (_("Remove the module %s"), name);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), display);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
      g_object_set_data_full (G_OBJECT (button), "lk-module-path", g_strdup (paths[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (remove_module_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->added_group, row);
      g_ptr_array_add (self->added_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->no_added_row), self->added_rows->len == 0);
}

/* A module file being checked, for the window (not referenced: a cancelled
 * check does not touch it). */
typedef struct
{
  LkPreferencesWindow *self;
  char                *path;
} ModuleCheck;

static void
module_check_free (ModuleCheck *check)
{
  g_free (check->path);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ModuleCheck, module_check_free)

static void
check_module_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ModuleCheck) check = user_data;
  LkPreferencesWindow *self = check->self;
  const char *path = check->path;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) new_paths = NULL;

  /* Cancelled: the window is gone. */
  if (!lk_token_modules_check_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (error != NULL)
    {
      set_error_label (self->module_error_label, &self->module_error, error->message);
      return;
    }

  set_error_label (self->module_error_label, &self->module_error, NULL);
  if (self->settings == NULL)
    return;

  paths = g_settings_get_strv (self->settings, "pkcs11-modules");
  if (g_strv_contains ((const char * const *) paths, path))
    return;
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) paths);
  g_strv_builder_add (builder, path);
  new_paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "pkcs11-modules", (const char * const *) new_paths);
}

static void
remove_module_clicked_cb (GtkButton           *button,
                          LkPreferencesWindow *self)
{
  lk_preferences_window_remove_module_file (self, g_object_get_data (G_OBJECT (button), "lk-module-path"));
}

/* The chooser of a module file or an image. */
static void
chooser_response_cb (GtkNativeDialog     *chooser,
                     int                  response,
                     LkPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  gboolean is_image = g_object_get_data (G_OBJECT (chooser), "lk-image") != NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  g_clear_object (&self->chooser);

  if (path == NULL)
    return;
  if (is_image)
    lk_preferences_window_set_signature_image (self, path);
  else
    lk_preferences_window_add_module_file (self, path);
}

static void
open_chooser (LkPreferencesWindow *self,
              gboolean             image)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (image ? _("Choose a Signature Image")
                                                     : _("Add a PKCS#11 Module File"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               image ? _("_Choose") : _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (image)
    {
      gtk_file_filter_set_name (filter, _("PNG images"));
      gtk_file_filter_add_mime_type (filter, "image/png");
      gtk_file_filter_add_suffix (filter, "png");
      g_object_set_data (G_OBJECT (self->chooser), "lk-image", GINT_TO_POINTER (TRUE));
    }
  else
    {
      gtk_file_filter_set_name (filter, _("PKCS#11 modules"));
      gtk_file_filter_add_pattern (filter, "*.so");
      gtk_file_filter_add_pattern (filter, "*.so.*");
      gtk_file_filter_add_pattern (filter, "*.dylib");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
add_module_clicked_cb (LkPreferencesWindow *self)
{
  open_chooser (self, FALSE);
}

/* Signature appearance */

static void
check_image_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(LkPdfObj) image = NULL;
  g_autoptr(LkPdfObj) smask = NULL;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;
  GdkTexture *texture;
  guint width, height;

  image = lk_pades_appearance_load_png (path, &smask, &width, &height, &error);
  if (image == NULL)
    {
      /* Its message names the file and says what to do. */
      g_task_return_error (task, error);
      return;
    }

  file = g_file_new_for_path (path);
  texture = gdk_texture_new_from_file (file, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
check_image_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (source);
  gboolean store = GPOINTER_TO_INT (user_data);
  const char *path = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (texture == NULL)
    {
      set_error_label (self->image_error_label, &self->image_error, error->message);
      return;
    }

  set_error_label (self->image_error_label, &self->image_error, NULL);
  lk_stamp_preview_set_image (self->stamp_preview, GDK_PAINTABLE (texture));
  if (store && self->settings != NULL)
    g_settings_set_string (self->settings, "signature-image", path);
}

static void
check_image (LkPreferencesWindow *self,
             const char          *path,
             gboolean             store)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, check_image_cb, GINT_TO_POINTER (store));

  g_task_set_source_tag (task, check_image);
  g_task_set_task_data (task, g_strdup (path), g_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, check_image_thread);
}

static void
update_image (LkPreferencesWindow *self,
              gboolean             load)
{
  g_autofree char *path = NULL;

  if (self->settings != NULL)
    path = g_settings_get_string (self->settings, "signature-image");

  if (path == NULL || *path == '\0')
    {
      adw_action_row_set_subtitle (self->image_row, _("None"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->image_remove_button), FALSE);
      lk_stamp_preview_set_image (self->stamp_preview, NULL);
      return;
    }

  {
    g_autofree char *display = g_filename_display_name (path);

    adw_action_row_set_subtitle (self->image_row, display);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->image_remove_button), TRUE);
  if (load)
    check_image (self, path, FALSE);
}

static void
image_choose_clicked_cb (LkPreferencesWindow *self)
{
  open_chooser (self, TRUE);
}

static void
image_remove_clicked_cb (LkPreferencesWindow *self)
{
  lk_preferences_window_set_signature_image (self, NULL);
}

static void
settings_changed_cb (LkPreferencesWindow *self,
                     const char          *key,
                     GSettings           *settings)
{
  if (g_strcmp0 (key, "pkcs11-modules") == 0)
    update_added_modules (self);
  else if (g_strcmp0 (key, "signature-image") == 0)
    update_image (self, FALSE);
}

/* Language: the combo's row index ⇄ the key's string */

static gboolean
language_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *language = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (language, languages[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
language_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint index = g_value_get_uint (value);

  if (index >= G_N_ELEMENTS (languages))
    return NULL;
  return g_variant_new_string (languages[index]);
}

static void
session_notify_cb (LkPreferencesWindow *self)
{
  update_account (self);
}

static void
lk_preferences_window_constructed (GObject *object)
{
  LkPreferencesWindow *self = (LkPreferencesWindow *)object;
  G_OBJECT_CLASS (lk_preferences_window_parent_class)->constructed (object);

  if (self->session != NULL)
    g_signal_connect_object (self->session, "notify", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
  update_account (self);

  gtk_entry_set_placeholder_text (self->reason_entry, lk_app_default_signature_reason ());
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "signature-visible", self->visible_switch, "active", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "signature-reason", self->reason_entry, "text", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "signature-location", self->location_entry, "text", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "signature-visible", self->stamp_preview, "visible", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "signature-visible", self->preview_invisible_label, "visible",
                       G_SETTINGS_BIND_GET | G_SETTINGS_BIND_INVERT_BOOLEAN);
      g_settings_bind (self->settings, "signature-reason", self->stamp_preview, "reason", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "signature-location", self->stamp_preview, "location", G_SETTINGS_BIND_GET);
      g_settings_bind_with_mapping (self->settings, "language", self->language_row, "selected",
                                    G_SETTINGS_BIND_DEFAULT, language_get_mapping, language_set_mapping,
                                    NULL, NULL);
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->added_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->visible_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->reason_entry), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->location_entry), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->image_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->language_row), FALSE);
    }

  update_added_modules (self);
  update_image (self, TRUE);

  set_busy (self, TRUE);
  lk_token_modules_list_async (self->cancellable, list_modules_cb, self);
}

static void
lk_preferences_window_dispose (GObject *object)
{
  LkPreferencesWindow *self = (LkPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->dispose (object);
}

static void
lk_preferences_window_finalize (GObject *object)
{
  LkPreferencesWindow *self = (LkPreferencesWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->added_rows, g_ptr_array_unref);
  g_free (self->module_error);
  g_free (self->image_error);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->finalize (object);
}

static void
lk_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_workers > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_preferences_window_class_init (LkPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_preferences_window_constructed;
  object_class->dispose = lk_preferences_window_dispose;
  object_class->finalize = lk_preferences_window_finalize;
  object_class->get_property = lk_preferences_window_get_property;
  object_class->set_property = lk_preferences_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_STAMP_PREVIEW);
  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, sync_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, registered_group);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, registered_status_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, registered_spinner);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, added_group);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, no_added_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, module_error_label);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, visible_switch);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, location_entry);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, image_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, image_remove_button);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, image_choose_button);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, image_error_label);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, stamp_preview);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, preview_invisible_label);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, language_row);
  gtk_widget_class_bind_template_callback (widget_class, add_module_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, image_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, image_remove_clicked_cb);
}

static void
lk_preferences_window_init (LkPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->added_rows = g_ptr_array_new ();
  self->n_registered = -1;
  self->settings = lk_app_settings_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

LkPreferencesWindow *
lk_preferences_window_new (GtkWindow *parent,
                           LkSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (session == NULL || LK_IS_SESSION (session), NULL);

  return g_object_new (LK_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

LkSession *
lk_preferences_window_get_session (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), NULL);
  return self->session;
}

void
lk_preferences_window_add_module_file (LkPreferencesWindow *self,
                                       const char          *path)
{
  ModuleCheck *check;

  g_return_if_fail (LK_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_debug ("Checking a PKCS#11 module file");
  check = g_new0 (ModuleCheck, 1);
  check->self = self;
  check->path = g_strdup (path);
  set_busy (self, TRUE);
  lk_token_modules_check_async (path, self->cancellable, check_module_cb, check);
}

void
lk_preferences_window_remove_module_file (LkPreferencesWindow *self,
                                          const char          *path)
{
  g_auto(GStrv) paths = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) new_paths = NULL;

  g_return_if_fail (LK_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->settings == NULL)
    return;

  paths = g_settings_get_strv (self->settings, "pkcs11-modules");
  builder = g_strv_builder_new ();
  for (guint i = 0; paths[i] != NULL; i++)
    if (g_strcmp0 (paths[i], path) != 0)
      g_strv_builder_add (builder, paths[i]);
  new_paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "pkcs11-modules", (const char * const *) new_paths);
}

void
lk_preferences_window_set_signature_image (LkPreferencesWindow *self,
                                           const char          *path)
{
  g_return_if_fail (LK_IS_PREFERENCES_WINDOW (self));

  if (path == NULL)
    {
      set_error_label (self->image_error_label, &self->image_error, NULL);
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "signature-image", "");
      return;
    }

  check_image (self, path, TRUE);
}

gboolean
lk_preferences_window_get_busy (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->n_workers > 0;
}

int
lk_preferences_window_get_n_registered (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), -1);
  return self->n_registered;
}

const char *
lk_preferences_window_get_module_error (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), NULL);
  return self->module_error;
}

const char *
lk_preferences_window_get_image_error (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), NULL);
  return self->image_error;
}
