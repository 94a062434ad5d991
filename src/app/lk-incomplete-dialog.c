/* lk-incomplete-dialog.c — marking a case incomplete: tick the missing
 * requirements and write a message to the applicant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-incomplete-dialog.h"
#include "sync/lk-outbox.h"

struct _LkIncompleteDialog
{
  AdwMessageDialog  parent_instance;

  GStrv             requirements;
  GStrv             rejected;        /* "" where not rejected */
  GPtrArray        *checks;          /* GtkCheckButton, one per requirement */
  GtkTextBuffer    *message;
};

G_DEFINE_FINAL_TYPE (LkIncompleteDialog, lk_incomplete_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
update_response (LkIncompleteDialog *self)
{
  g_autofree char *reason = lk_incomplete_dialog_build_reason (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "mark",
                                           reason != NULL && strlen (reason) <= LK_OUTBOX_MAX_REASON);
}

static void
changed_cb (LkIncompleteDialog *self)
{
  update_response (self);
}

static void
lk_incomplete_dialog_dispose (GObject *object)
{
  LkIncompleteDialog *self = LK_INCOMPLETE_DIALOG (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_object (&self->message);

  G_OBJECT_CLASS (lk_incomplete_dialog_parent_class)->dispose (object);
}

static void
lk_incomplete_dialog_finalize (GObject *object)
{
  LkIncompleteDialog *self = LK_INCOMPLETE_DIALOG (object);

  g_strfreev (self->requirements);
  g_strfreev (self->rejected);

  G_OBJECT_CLASS (lk_incomplete_dialog_parent_class)->finalize (object);
}

static void
lk_incomplete_dialog_class_init (LkIncompleteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_incomplete_dialog_dispose;
  object_class->finalize = lk_incomplete_dialog_finalize;
}

static void
lk_incomplete_dialog_init (LkIncompleteDialog *self)
{
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
  self->message = gtk_text_buffer_new (NULL);
}

static void
build (LkIncompleteDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *box, *list, *label, *scrolled, *text_view;
  guint n = g_strv_length (self->requirements);

  adw_message_dialog_set_heading (dialog, _("Mark the Case Incomplete?"));
  adw_message_dialog_set_body (dialog,
                               _("Tick what the applicant must add or correct and write them a message. "
                                 "The SLA clock pauses until the corrected documents arrive."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep As Is"), "mark", _("_Mark Incomplete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "mark", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  if (n > 0)
    {
      label = gtk_label_new_with_mnemonic (_("Missing or to _correct"));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (box), label);

      list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Missing or to correct"), -1);
      for (guint i = 0; i < n; i++)
        {
          GtkWidget *check = gtk_check_button_new ();
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->requirements[i]);
          if (self->rejected[i][0] != '\0')
            {
              /* Translators: under a requirement; %s is why it was rejected */
              g_autofree char *why = g_strdup_printf (_("Rejected: %s"), self->rejected[i]);

              adw_action_row_set_subtitle (ADW_ACTION_ROW (row), why);
              gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
            }
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          self->requirements[i], -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          g_signal_connect_object (check, "toggled", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
          g_ptr_array_add (self->checks, g_object_ref (check));
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), g_ptr_array_index (self->checks, 0));
      gtk_box_append (GTK_BOX (box), list);
    }

  label = gtk_label_new_with_mnemonic (_("Message to the _applicant"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  gtk_box_append (GTK_BOX (box), label);

  text_view = gtk_text_view_new_with_buffer (self->message);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (text_view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (text_view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (text_view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (text_view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (text_view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Message to the applicant"), -1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), text_view);
  g_signal_connect_object (self->message, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 90);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), text_view);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (box), scrolled);

  adw_message_dialog_set_extra_child (dialog, box);
  update_response (self);
}

LkIncompleteDialog *
lk_incomplete_dialog_new (GtkWindow          *parent,
                          const char * const *requirements,
                          const char * const *rejected)
{
  LkIncompleteDialog *self;
  guint n = requirements != NULL ? g_strv_length ((GStrv) requirements) : 0;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (LK_TYPE_INCOMPLETE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->requirements = g_new0 (char *, n + 1);
  self->rejected = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      self->requirements[i] = g_strdup (requirements[i]);
      self->rejected[i] = g_strdup (rejected != NULL && rejected[i] != NULL ? rejected[i] : "");
    }
  build (self);
  return self;
}

guint
lk_incomplete_dialog_get_n_items (LkIncompleteDialog *self)
{
  g_return_val_if_fail (LK_IS_INCOMPLETE_DIALOG (self), 0);
  return self->checks->len;
}

gboolean
lk_incomplete_dialog_get_ticked (LkIncompleteDialog *self,
                                 guint               item)
{
  g_return_val_if_fail (LK_IS_INCOMPLETE_DIALOG (self), FALSE);
  g_return_val_if_fail (item < self->checks->len, FALSE);
  return gtk_check_button_get_active (g_ptr_array_index (self->checks, item));
}

void
lk_incomplete_dialog_set_ticked (LkIncompleteDialog *self,
                                 guint               item,
                                 gboolean            ticked)
{
  g_return_if_fail (LK_IS_INCOMPLETE_DIALOG (self));
  g_return_if_fail (item < self->checks->len);
  gtk_check_button_set_active (g_ptr_array_index (self->checks, item), ticked);
}

void
lk_incomplete_dialog_set_message (LkIncompleteDialog *self,
                                  const char         *message)
{
  g_return_if_fail (LK_IS_INCOMPLETE_DIALOG (self));
  gtk_text_buffer_set_text (self->message, message != NULL ? message : "", -1);
}

char *
lk_incomplete_dialog_build_reason (LkIncompleteDialog *self)
{
  g_autoptr(GString) reason = g_string_new (NULL);
  g_autofree char *message = NULL;
  GtkTextIter start, end;
  gboolean any = FALSE;

  g_return_val_if_fail (LK_IS_INCOMPLETE_DIALOG (self), NULL);

  for (guint i = 0; i < self->checks->len; i++)
    {
      if (!gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
        continue;
      if (!any)
        /* Translators: heads the list of missing items in the reason of an
         * "incomplete" move, which the applicant reads */
        g_string_append (reason, _("Missing or to correct:"));
      any = TRUE;
      g_string_append_printf (reason, "\n- %s", self->requirements[i]);
      if (self->rejected[i][0] != '\0')
        g_string_append_printf (reason, " (%s)", self->rejected[i]);
    }

  gtk_text_buffer_get_bounds (self->message, &start, &end);
  message = g_strstrip (gtk_text_buffer_get_text (self->message, &start, &end, FALSE));
  if (*message != '\0')
    {
      if (any)
        g_string_append (reason, "\n\n");
      g_string_append (reason, message);
      any = TRUE;
    }

  return any ? g_string_free (g_steal_pointer (&reason), FALSE) : NULL;
}
