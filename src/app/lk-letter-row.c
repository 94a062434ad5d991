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
#include "lk-revoke-dialog.h"
#include "letter/lk-letter-template.h"

struct _LkLetterRow
{
  GtkListBoxRow  parent_instance;

  char          *letter_id;
  char          *url;
  char          *number;
  char          *status;         /* valid, revoked, superseded; NULL for a draft */
  LkSession     *session;        /* set when the user may revoke */
  LkRevokeDialog *dialog;        /* weak: the revoke dialog this row opened */

  GtkLabel      *number_label;
  GtkLabel      *status_label;
  GtkBox        *link_box;
  GtkLinkButton *link_button;
  GtkButton     *copy_button;
  GtkLabel      *delivery_label;
  GtkButton     *resend_button;
  GtkButton     *revoke_button;
  GtkLabel      *error_label;
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

/* The letters being revoked (ids; the main thread's): a row made anew by
 * a reload meanwhile offers no second Revoke…. */
static GHashTable *revoking_ids;

static gboolean
is_revoking (const char *letter_id)
{
  return revoking_ids != NULL && letter_id != NULL && g_hash_table_contains (revoking_ids, letter_id);
}

static void
update_revoke_button (LkLetterRow *self)
{
  gboolean can = self->session != NULL && self->letter_id != NULL &&
                 g_strcmp0 (self->status, "valid") == 0 &&
                 lk_session_get_role (self->session) == LK_ROLE_ADMIN;

  gtk_widget_set_visible (GTK_WIDGET (self->revoke_button), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->revoke_button), !is_revoking (self->letter_id));
}

static void
show_revoked (LkLetterRow *self,
              const char  *reason)
{
  g_autofree char *text = NULL;

  g_free (self->status);
  self->status = g_strdup ("revoked");
  /* Translators: a letter's status; %s is why it was revoked */
  text = reason != NULL ? g_strdup_printf (_("Revoked: %s"), reason) : g_strdup (_("Revoked"));
  gtk_label_set_label (self->status_label, text);
  set_style (GTK_WIDGET (self->status_label), "error");
}

/* One revocation, from the dialog to the server's answer. It outlives the
 * row that asked: a sync may reload the case view meanwhile, and the
 * answer then goes to the list's row of the same letter. */
typedef struct
{
  LkSession *session;
  char      *letter_id;
  GWeakRef   list;        /* the GtkListBox of the row */
} RevokeRequest;

static void
revoke_request_free (gpointer data,
                     GClosure *closure)
{
  RevokeRequest *request = data;

  g_clear_object (&request->session);
  g_free (request->letter_id);
  g_weak_ref_clear (&request->list);
  g_free (request);
}

static RevokeRequest *
revoke_request_copy (RevokeRequest *request)
{
  RevokeRequest *copy = g_new0 (RevokeRequest, 1);
  g_autoptr(GObject) list = g_weak_ref_get (&request->list);

  copy->session = g_object_ref (request->session);
  copy->letter_id = g_strdup (request->letter_id);
  g_weak_ref_init (&copy->list, list);
  return copy;
}

/* The row of the letter in the list now, or NULL. */
static LkLetterRow *
find_row (RevokeRequest *request)
{
  g_autoptr(GtkWidget) list = g_weak_ref_get (&request->list);

  for (GtkWidget *c = list != NULL ? gtk_widget_get_first_child (list) : NULL; c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (LK_IS_LETTER_ROW (c) && g_strcmp0 (LK_LETTER_ROW (c)->letter_id, request->letter_id) == 0)
      return LK_LETTER_ROW (c);
  return NULL;
}

static void
revoked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  RevokeRequest *request = user_data;
  g_autoptr(JsonObject) letter = NULL;
  g_autoptr(GError) error = NULL;
  LkLetterRow *row;

  g_hash_table_remove (revoking_ids, request->letter_id);
  letter = lk_session_revoke_letter_finish (LK_SESSION (source), result, &error);
  row = find_row (request);
  if (letter == NULL)
    g_debug ("Revoking letter %s failed: %s", request->letter_id, error->message);
  if (row != NULL && letter == NULL)
    {
      /* Translators: %s says why, e.g. that the server cannot be reached */
      g_autofree char *text = g_strdup_printf (_("The letter was not revoked. %s"), error->message);

      gtk_label_set_label (row->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (row->error_label), TRUE);
    }
  else if (row != NULL)
    show_revoked (row, string_member (letter, "status_reason"));
  if (row != NULL)
    update_revoke_button (row);
  revoke_request_free (request, NULL);
}

static void
revoke_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RevokeRequest    *request)
{
  g_autofree char *reason = NULL;
  LkLetterRow *row;

  if (g_strcmp0 (response, "revoke") != 0 || is_revoking (request->letter_id))
    return;
  reason = lk_revoke_dialog_get_reason (LK_REVOKE_DIALOG (dialog));
  if (reason == NULL)
    return;

  if (revoking_ids == NULL)
    revoking_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (revoking_ids, g_strdup (request->letter_id));
  row = find_row (request);
  if (row != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (row->error_label), FALSE);
      update_revoke_button (row);
    }
  lk_session_revoke_letter_async (request->session, request->letter_id, reason, NULL, revoked_cb,
                                  revoke_request_copy (request));
}

/* Any response closes the dialog. */
static void
dialog_response_cb (LkLetterRow *self)
{
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      self->dialog = NULL;
    }
}

static void
revoke_clicked_cb (LkLetterRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self));
  RevokeRequest *request;

  if (self->dialog != NULL || is_revoking (self->letter_id) || self->session == NULL || self->letter_id == NULL)
    return;

  request = g_new0 (RevokeRequest, 1);
  request->session = g_object_ref (self->session);
  request->letter_id = g_strdup (self->letter_id);
  g_weak_ref_init (&request->list, list);

  self->dialog = lk_revoke_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->number);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  /* The request lives as long as the dialog's handler. */
  g_signal_connect_data (self->dialog, "response", G_CALLBACK (revoke_response_cb), request,
                         revoke_request_free, 0);
  g_signal_connect_object (self->dialog, "response", G_CALLBACK (dialog_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
lk_letter_row_finalize (GObject *object)
{
  LkLetterRow *self = LK_LETTER_ROW (object);

  g_free (self->letter_id);
  g_free (self->url);
  g_free (self->number);
  g_free (self->status);
  G_OBJECT_CLASS (lk_letter_row_parent_class)->finalize (object);
}

static void
lk_letter_row_dispose (GObject *object)
{
  LkLetterRow *self = LK_LETTER_ROW (object);

  /* An open dialog stays: its request finds the letter's new row. */
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      self->dialog = NULL;
    }
  g_clear_object (&self->session);
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
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, revoke_button);
  gtk_widget_class_bind_template_child (widget_class, LkLetterRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, revoke_clicked_cb);
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
  self->number = g_strdup (string_member (letter, "number"));

  signed_at = lk_history_format_time (int_member (letter, "signed_at"));
  /* Translators: a signed letter: its number, then when it was signed */
  number = g_strdup_printf (_("Letter %s, signed %s"),
                            string_member (letter, "number") != NULL ? string_member (letter, "number") : "—",
                            signed_at);
  gtk_label_set_label (self->number_label, number);

  status = string_member (letter, "status");
  reason = string_member (letter, "status_reason");
  self->status = g_strdup (status);
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

void
lk_letter_row_set_session (LkLetterRow *self,
                           LkSession   *session)
{
  g_return_if_fail (LK_IS_LETTER_ROW (self));
  g_return_if_fail (session == NULL || LK_IS_SESSION (session));

  g_set_object (&self->session, session);
  update_revoke_button (self);
}

gboolean
lk_letter_row_get_can_revoke (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->revoke_button)) &&
         gtk_widget_get_sensitive (GTK_WIDGET (self->revoke_button));
}

LkRevokeDialog *
lk_letter_row_open_revoke_dialog (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), NULL);

  if (lk_letter_row_get_can_revoke (self))
    g_signal_emit_by_name (self->revoke_button, "clicked");
  return self->dialog;
}

const char *
lk_letter_row_get_error_text (LkLetterRow *self)
{
  g_return_val_if_fail (LK_IS_LETTER_ROW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}
