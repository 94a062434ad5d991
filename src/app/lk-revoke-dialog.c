/* lk-revoke-dialog.c — asks an administrator why a signed letter is
 * revoked before it is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-revoke-dialog.h"
#include "lk-session.h"

struct _LkRevokeDialog
{
  AdwMessageDialog  parent_instance;

  GtkEntry         *reason_entry;
};

G_DEFINE_FINAL_TYPE (LkRevokeDialog, lk_revoke_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
reason_changed_cb (LkRevokeDialog *self)
{
  g_autofree char *reason = lk_revoke_dialog_get_reason (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "revoke", reason != NULL);
}

static void
reason_activate_cb (LkRevokeDialog *self)
{
  g_autofree char *reason = lk_revoke_dialog_get_reason (self);

  if (reason != NULL)
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "revoke");
}

static void
lk_revoke_dialog_dispose (GObject *object)
{
  LkRevokeDialog *self = LK_REVOKE_DIALOG (object);

  /* The entry lives in the extra child, torn down with the window. */
  self->reason_entry = NULL;
  G_OBJECT_CLASS (lk_revoke_dialog_parent_class)->dispose (object);
}

static void
lk_revoke_dialog_class_init (LkRevokeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_revoke_dialog_dispose;

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-revoke-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkRevokeDialog, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, reason_activate_cb);
}

static void
lk_revoke_dialog_init (LkRevokeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_assert (gtk_entry_get_max_length (self->reason_entry) == LK_SESSION_MAX_REVOKE_REASON);
}

/* Public API */

LkRevokeDialog *
lk_revoke_dialog_new (GtkWindow  *parent,
                      const char *number)
{
  LkRevokeDialog *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (LK_TYPE_REVOKE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  /* Translators: %s is a letter's number */
  body = g_strdup_printf (_("Letter %s will no longer be valid. Its verification page shows it revoked, "
                            "with the reason below. This cannot be undone."),
                          number != NULL ? number : "—");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_entry));
  return self;
}

char *
lk_revoke_dialog_get_reason (LkRevokeDialog *self)
{
  g_autofree char *reason = NULL;

  g_return_val_if_fail (LK_IS_REVOKE_DIALOG (self), NULL);

  if (self->reason_entry == NULL)
    return NULL;
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  if (*reason == '\0' || g_utf8_strlen (reason, -1) > LK_SESSION_MAX_REVOKE_REASON)
    return NULL;
  return g_steal_pointer (&reason);
}

void
lk_revoke_dialog_set_reason (LkRevokeDialog *self,
                             const char     *reason)
{
  g_return_if_fail (LK_IS_REVOKE_DIALOG (self));
  g_return_if_fail (reason != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason);
}
