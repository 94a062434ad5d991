/* lk-token-chooser.c — the signer chooses the token and the certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-pin-dialog.h"
#include "lk-token-chooser.h"
#include "sign/lk-sign-batch.h"
#include "sign/lk-token.h"

struct _LkTokenChooser
{
  AdwWindow     parent_instance;

  GtkWidget    *stack;
  GtkWidget    *list;
  GtkWidget    *status_page;
  GtkWidget    *expired_label;
  GtkWidget    *use_button;

  GSettings    *settings;
  GCancellable *cancellable;
  gboolean      loading;
  guint         n_tokens;
  guint         n_certs;
  char         *error;
};

G_DEFINE_FINAL_TYPE (LkTokenChooser, lk_token_chooser, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GPtrArray *tokens;  /* LkTokenInfo */
  GPtrArray *certs;   /* GPtrArray of LkTokenCert per token, or NULL when unreadable */
} Listing;

static void
listing_free (gpointer data)
{
  Listing *listing = data;

  g_clear_pointer (&listing->tokens, g_ptr_array_unref);
  g_clear_pointer (&listing->certs, g_ptr_array_unref);
  g_free (listing);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GStrv modules = task_data;
  g_autoptr(GError) error = NULL;
  Listing *listing;

  if (!lk_sign_batch_init_modules ((const char * const *) modules, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  listing = g_new0 (Listing, 1);
  listing->tokens = lk_token_list_tokens (&error);
  if (listing->tokens == NULL)
    {
      listing_free (listing);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  listing->certs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < listing->tokens->len; i++)
    {
      LkTokenInfo *token = g_ptr_array_index (listing->tokens, i);
      g_autoptr(GError) cert_error = NULL;
      GPtrArray *certs = lk_token_list_certificates (token->url, &cert_error);

      if (certs == NULL)
        {
          g_debug ("token %u: certificates not listed: %s", i, cert_error->message);
          certs = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_token_cert_free);
        }
      g_ptr_array_add (listing->certs, certs);
    }
  g_task_return_pointer (task, listing, listing_free);
}

/* The CN of an RFC 4514 DN, else the whole DN. */
static char *
common_name (const char *dn)
{
  g_auto(GStrv) parts = NULL;

  if (dn == NULL)
    return g_strdup ("");
  parts = g_strsplit (dn, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (g_ascii_strncasecmp (part, "CN=", 3) == 0)
        return g_strdup (part + 3);
    }
  return g_strdup (dn);
}

static char *
format_date (GDateTime *date)
{
  return date != NULL ? g_date_time_format (date, "%Y-%m-%d") : g_strdup ("?");
}

static GtkWidget *
cert_row_new (LkTokenInfo *token,
              LkTokenCert *cert)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = common_name (cert->subject);
  g_autofree char *issuer = common_name (cert->issuer);
  g_autofree char *from = format_date (cert->not_before);
  g_autofree char *until = format_date (cert->not_after);
  g_autofree char *subtitle = NULL;
  g_autofree char *state = lk_pin_dialog_describe_state (token->flags, LK_TOKEN_PIN_NONE);
  g_autofree char *description = NULL;
  g_autoptr(GError) validity = NULL;
  gboolean expired = !lk_sign_batch_check_validity (cert, NULL, &validity);
  const char *key_type = lk_token_key_type_to_string (cert->key_type);

  subtitle = g_strdup_printf (_("Token: %s\nIssued by: %s\nValid from %s to %s · %s %u-bit key%s%s"),
                              token->label, issuer, from, until, key_type, cert->key_bits,
                              *state != '\0' ? "\n" : "", state);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (expired)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_set_tooltip_text (icon, validity->message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Expired certificate"), -1);
      gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  description = g_strdup_printf (_("%s (%s, token “%s”)"), name, issuer, token->label);
  g_object_set_data_full (G_OBJECT (row), "cert-url", g_strdup (cert->url), g_free);
  g_object_set_data_full (G_OBJECT (row), "token-url", g_strdup (token->url), g_free);
  g_object_set_data_full (G_OBJECT (row), "description", g_steal_pointer (&description), g_free);
  g_object_set_data_full (G_OBJECT (row), "expired",
                          expired ? g_strdup (validity->message) : NULL, g_free);
  return row;
}

static GtkWidget *
empty_token_row_new (LkTokenInfo *token)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *state = lk_pin_dialog_describe_state (token->flags, LK_TOKEN_PIN_NONE);
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf ("%s%s%s", _("No signing certificate on this token"),
                              *state != '\0' ? "\n" : "", state);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), token->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
clear_list (LkTokenChooser *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkTokenChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  Listing *listing;

  listing = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  clear_list (self);
  self->n_tokens = 0;
  self->n_certs = 0;
  g_clear_pointer (&self->error, g_free);

  if (listing == NULL)
    {
      self->error = g_strdup (error->message);
      adw_status_page_set_title (ADW_STATUS_PAGE (self->status_page), _("Tokens Cannot Be Listed"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->status_page), self->error);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "status");
      return;
    }

  for (guint i = 0; i < listing->tokens->len; i++)
    {
      LkTokenInfo *token = g_ptr_array_index (listing->tokens, i);
      GPtrArray *certs = g_ptr_array_index (listing->certs, i);

      self->n_tokens++;
      if (certs->len == 0)
        gtk_list_box_append (GTK_LIST_BOX (self->list), empty_token_row_new (token));
      for (guint j = 0; j < certs->len; j++)
        {
          gtk_list_box_append (GTK_LIST_BOX (self->list),
                               cert_row_new (token, g_ptr_array_index (certs, j)));
          self->n_certs++;
        }
    }
  listing_free (listing);

  if (self->n_tokens == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->status_page), _("No Token Found"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->status_page),
                                       _("Insert the smart card or USB token, then press Refresh. A "
                                         "token whose module is not registered with p11-kit can be "
                                         "added in Preferences."));
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "status");
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");

  if (self->settings != NULL)
    {
      g_autofree char *saved = g_settings_get_string (self->settings, "signing-certificate-url");

      if (*saved != '\0')
        lk_token_chooser_select (self, saved);
    }
}

static void
row_selected_cb (LkTokenChooser *self,
                 GtkListBoxRow  *row)
{
  const char *expired = row != NULL ? g_object_get_data (G_OBJECT (row), "expired") : NULL;

  if (self->use_button == NULL)   /* disposed */
    return;
  gtk_widget_set_sensitive (self->use_button, row != NULL);
  gtk_widget_set_visible (self->expired_label, expired != NULL);
  if (expired != NULL)
    gtk_label_set_text (GTK_LABEL (self->expired_label), expired);
}

static void
row_activated_cb (LkTokenChooser *self,
                  GtkListBoxRow  *row)
{
  gtk_list_box_select_row (GTK_LIST_BOX (self->list), row);
  lk_token_chooser_apply (self);
}

static void
use_clicked_cb (LkTokenChooser *self)
{
  lk_token_chooser_apply (self);
}

static void
refresh_clicked_cb (LkTokenChooser *self)
{
  lk_token_chooser_reload (self);
}

static void
lk_token_chooser_dispose (GObject *object)
{
  LkTokenChooser *self = LK_TOKEN_CHOOSER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_TOKEN_CHOOSER);
  G_OBJECT_CLASS (lk_token_chooser_parent_class)->dispose (object);
}

static void
lk_token_chooser_finalize (GObject *object)
{
  LkTokenChooser *self = LK_TOKEN_CHOOSER (object);

  g_free (self->error);
  G_OBJECT_CLASS (lk_token_chooser_parent_class)->finalize (object);
}

static void
lk_token_chooser_class_init (LkTokenChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_token_chooser_dispose;
  object_class->finalize = lk_token_chooser_finalize;

  /* (token URL, certificate URL, description) */
  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-token-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, LkTokenChooser, stack);
  gtk_widget_class_bind_template_child (widget_class, LkTokenChooser, list);
  gtk_widget_class_bind_template_child (widget_class, LkTokenChooser, status_page);
  gtk_widget_class_bind_template_child (widget_class, LkTokenChooser, expired_label);
  gtk_widget_class_bind_template_child (widget_class, LkTokenChooser, use_button);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_token_chooser_init (LkTokenChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkTokenChooser *
lk_token_chooser_new (GtkWindow *parent,
                      GSettings *settings)
{
  LkTokenChooser *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LK_TYPE_TOKEN_CHOOSER, "transient-for", parent, NULL);
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  lk_token_chooser_reload (self);
  return self;
}

void
lk_token_chooser_reload (LkTokenChooser *self)
{
  g_autoptr(GTask) task = NULL;
  GStrv modules = NULL;

  g_return_if_fail (LK_IS_TOKEN_CHOOSER (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");

  if (self->settings != NULL)
    modules = g_settings_get_strv (self->settings, "pkcs11-modules");
  task = g_task_new (NULL, self->cancellable, list_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, lk_token_chooser_reload);
  g_task_set_task_data (task, modules, (GDestroyNotify) g_strfreev);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, list_thread);
}

gboolean
lk_token_chooser_get_loading (LkTokenChooser *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_CHOOSER (self), FALSE);
  return self->loading;
}

guint
lk_token_chooser_get_n_tokens (LkTokenChooser *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_CHOOSER (self), 0);
  return self->n_tokens;
}

guint
lk_token_chooser_get_n_certificates (LkTokenChooser *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_CHOOSER (self), 0);
  return self->n_certs;
}

const char *
lk_token_chooser_get_error (LkTokenChooser *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_CHOOSER (self), NULL);
  return self->error;
}

gboolean
lk_token_chooser_select (LkTokenChooser *self,
                         const char     *cert_url)
{
  g_return_val_if_fail (LK_IS_TOKEN_CHOOSER (self), FALSE);
  g_return_val_if_fail (cert_url != NULL, FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (self->list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "cert-url"), cert_url) == 0)
        {
          gtk_list_box_select_row (GTK_LIST_BOX (self->list), GTK_LIST_BOX_ROW (child));
          return TRUE;
        }
    }
  return FALSE;
}

const char *
lk_token_chooser_get_selected (LkTokenChooser *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (LK_IS_TOKEN_CHOOSER (self), NULL);
  row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->list));
  return row != NULL ? g_object_get_data (G_OBJECT (row), "cert-url") : NULL;
}

gboolean
lk_token_chooser_get_selected_expired (LkTokenChooser *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (LK_IS_TOKEN_CHOOSER (self), FALSE);
  row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->list));
  return row != NULL && g_object_get_data (G_OBJECT (row), "expired") != NULL;
}

void
lk_token_chooser_apply (LkTokenChooser *self)
{
  GtkListBoxRow *row;
  const char *cert_url, *token_url, *description;

  g_return_if_fail (LK_IS_TOKEN_CHOOSER (self));

  row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->list));
  if (row == NULL || g_object_get_data (G_OBJECT (row), "cert-url") == NULL)
    return;
  cert_url = g_object_get_data (G_OBJECT (row), "cert-url");
  token_url = g_object_get_data (G_OBJECT (row), "token-url");
  description = g_object_get_data (G_OBJECT (row), "description");
  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "signing-token-url", token_url);
      g_settings_set_string (self->settings, "signing-certificate-url", cert_url);
    }
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, token_url, cert_url, description);
  gtk_window_close (GTK_WINDOW (self));
}
