/* lk-letter-row.c — one letter of a case in the case view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-history-row.h"
#include "lk-letter-row.h"
#include "letter/lk-letter-template.h"

struct _LkLetterRow
{
  GtkListBoxRow  parent_instance;

  char          *letter_id;
  char          *url;

  GtkLabel      *number_label;
  GtkLabel      *status_label;
  GtkBox        *link_box;
  GtkLinkButton *link_button;
  GtkButton     *copy_button;
  GtkLabel      *delivery_label;
  GtkButton     *resend_button;
};

G_DEFINE_FINAL_TYPE (LkLetterRow, lk_letter_row, GTK_TYPE_LIST_BOX_ROW)

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static void
set_style (GtkWidget  *widget,
           const char *style)
{
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
}

static void
copy_clicked_cb (LkLetterRow *self)
{
  if (self->url != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->url);
}

static void
lk_letter_row_finalize (GObject *object)
{
  LkLetterRow *self = LK_LETTER_ROW (object);

  g_free (self->letter_id);
  g_free (self->url);
  G_OBJECT_CLASS (lk_letter_row_parent_class)->finalize (object);
}

static void
lk_letter_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LK_TYPE_LETTER_ROW);
  G_OBJECT_CLASS (lk_letter_row_parent_class)->dispose (object);
}

static void
lk_letter_row_class_init (LkLetterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_letter_row_dispose;
  object_class->finalize = lk_letter_row_finalize;

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-letter-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, link_box);
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, link_button);
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, delivery_label);
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, resend_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
}

static void
lk_letter_row_init (LkLetterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
lk_letter_row_new (JsonObject *letter,
                   const char *public_url,
                   gboolean    can_resend)
{
  LkLetterRow *self;
  const char *status;
  const char *state;
  const char *reason;
  g_autofree char *number = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *delivery = NULL;
  g_autofree char *signed_at = NULL;
  const char *style = NULL;
  gboolean failed = FALSE;

  g_return_val_if_fail (letter != NULL, NULL);

  self = g_object_new (LK_TYPE_LETTER_ROW, NULL);
  self->letter_id = g_strdup (string_member (letter, "id"));

  signed_at = lk_history_format_time (int_member (letter, "signed_at"));
  /* Translators: a signed letter: its number, then when it was signed */
  number = g_strdup_printf (_("Letter %s, signed %s"),
                            string_member (letter, "number") != NULL ? string_member (letter, "number") : "—",
                            signed_at);
  gtk_label_set_label (self->number_label, number);

  status = string_member (letter, "status");
  reason = string_member (letter, "status_reason");
  if (g_strcmp0 (status, "valid") == 0)
    {
      status_text = g_strdup (_("Valid"));
      style = "success";
    }
  else if (g_strcmp0 (status, "revoked") == 0)
    {
      status_text = reason != NULL ? g_strdup_printf (_("Revoked: %s"), reason) : g_strdup (_("Revoked"));
      style = "error";
    }
  else if (g_strcmp0 (status, "superseded") == 0)
    {
      status_text = g_strdup (_("Superseded by a newer letter"));
      style = "warning";
    }
  else
    status_text = g_strdup (status != NULL ? status : "—");
  gtk_label_set_label (self->status_label, status_text);
  set_style (GTK_WIDGET (self->status_label), style);

  if (self->letter_id != NULL && public_url != NULL)
    self->url = lk_letter_verify_url (public_url, self->letter_id);
  if (self->url != NULL)
    {
      gtk_link_button_set_uri (self->link_button, self->url);
      gtk_button_set_label (GTK_BUTTON (self->link_button), self->url);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->link_box), self->url != NULL);

  state = string_member (letter, "delivery_state");
  style = NULL;
  if (g_strcmp0 (state, "delivered") == 0)
    {
      g_autofree char *when = lk_history_format_time (int_member (letter, "delivered_at"));

      delivery = g_strdup_printf (_("Delivered to the applicant on %s"), when);
      style = "success";
    }
  else if (g_strcmp0 (state, "failed") == 0)
    {
      const char *error = string_member (letter, "delivery_error");

      delivery = g_strdup_printf (_("Delivery failed: %s"), error != NULL ? error : _("no reason given"));
      style = "error";
      failed = TRUE;
    }
  else if (g_strcmp0 (state, "queued") == 0)
    delivery = g_strdup (_("Delivery: waiting to be emailed"));
  else
    {
      delivery = g_strdup (_("Delivery: not emailed"));
      style = "dim-label";
    }
  gtk_label_set_label (self->delivery_label, delivery);
  set_style (GTK_WIDGET (self->delivery_label), style);

  gtk_widget_set_visible (GTK_WIDGET (self->resend_button), failed && can_resend && self->letter_id != NULL);
  if (self->letter_id != NULL)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->resend_button), "s", self->letter_id);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->resend_button), "case.resend-letter");
    }

  return GTK_WIDGET (self);
}

GtkWidget *
lk_letter_row_new_draft (const char *number,
                         gboolean    offline)
{
  LkLetterRow *self = g_object_new (LK_TYPE_LETTER_ROW, NULL);
  g_autofree char *title = NULL;

  /* Translators: the number a letter draft got before it is signed */
  title = g_strdup_printf (_("Draft numbered %s"), number != NULL ? number : "—");
  gtk_label_set_label (self->number_label, title);
  gtk_label_set_label (self->status_label,
                       offline ? _("Not signed yet. The number was taken offline and is reported to the server "
                                   "when it can be reached.")
                               : _("Not signed yet"));
  set_style (GTK_WIDGET (self->status_label), offline ? "warning" : "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->link_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->delivery_label), FALSE);
  return GTK_WIDGET (self);
}

const char *
lk_letter_row_get_letter_id (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), NULL);
  return self->letter_id;
}

const char *
lk_letter_row_get_number_text (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), NULL);
  return gtk_label_get_label (self->number_label);
}

const char *
lk_letter_row_get_status_text (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

const char *
lk_letter_row_get_delivery_text (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->delivery_label))
         ? gtk_label_get_label (self->delivery_label) : NULL;
}

const char *
lk_letter_row_get_url (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), NULL);
  return self->url;
}

gboolean
lk_letter_row_get_can_resend (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->resend_button));
}
