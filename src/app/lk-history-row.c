/* lk-history-row.c — the case's history as a timeline, and the SLA clock
 * as a sentence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-history-row.h"

static const char *
state_icon (LkCaseState state)
{
  switch (state)
    {
    case LK_CASE_STATE_SUBMITTED:
      return "document-new-symbolic";
    case LK_CASE_STATE_INCOMPLETE:
      return "dialog-warning-symbolic";
    case LK_CASE_STATE_VERIFIED:
    case LK_CASE_STATE_APPROVED:
    case LK_CASE_STATE_SIGNED:
    case LK_CASE_STATE_DELIVERED:
      return "emblem-ok-symbolic";
    case LK_CASE_STATE_REJECTED:
    case LK_CASE_STATE_CANCELLED:
      return "action-unavailable-symbolic";
    case LK_CASE_STATE_AWAITING_SIGNATURE:
      return "document-edit-symbolic";
    case LK_CASE_STATE_VERIFYING:
    case LK_CASE_STATE_INSPECTION:
    case LK_CASE_STATE_INVALID:
    default:
      return "media-playlist-consecutive-symbolic";
    }
}

char *
lk_history_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = unix_time > 0 ? g_date_time_new_from_unix_local (unix_time) : NULL;

  if (dt == NULL)
    return g_strdup ("—");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

GtkWidget *
lk_history_row_new (LkHistoryEntry *entry,
                    gboolean        last)
{
  LkCaseState from = lk_history_entry_get_from_state (entry);
  LkCaseState to = lk_history_entry_get_to_state (entry);
  const char *reason = lk_history_entry_get_reason (entry);
  const char *actor = lk_history_entry_get_actor (entry);
  g_autofree char *when = lk_history_format_time (lk_history_entry_get_at (entry));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (state_icon (to));

  if (from == LK_CASE_STATE_INVALID)
    /* Translators: the first history entry; %s is a state such as "Submitted" */
    title = g_strdup_printf (_("Created as %s"), lk_case_state_get_label (to));
  else
    /* Translators: a state change in the history, "Verifying → Incomplete" */
    title = g_strdup_printf (_("%s → %s"), lk_case_state_get_label (from), lk_case_state_get_label (to));

  if (reason != NULL && *reason != '\0')
    /* Translators: who · when, then the reason on the next line */
    subtitle = g_strdup_printf (_("%s · %s\n%s"), actor != NULL ? actor : "—", when, reason);
  else
    /* Translators: who · when */
    subtitle = g_strdup_printf (_("%s · %s"), actor != NULL ? actor : "—", when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_add_css_class (icon, "lk-timeline-dot");
  if (last)
    gtk_widget_add_css_class (icon, "accent");
  else
    gtk_widget_add_css_class (icon, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  lk_case_state_get_label (to), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  /* Translators: what a screen reader says for a history entry: the state
   * change, who and when, and the reason (may be empty) */
  accessible = g_strdup_printf (_("%s, by %s on %s. %s"), title, actor != NULL ? actor : "—", when,
                                reason != NULL ? reason : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

gint64
lk_history_paused_since (GListModel *history)
{
  gint64 since = 0;

  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(LkHistoryEntry) entry = g_list_model_get_item (history, i);

      if (lk_history_entry_get_to_state (entry) == LK_CASE_STATE_INCOMPLETE)
        since = MAX (since, lk_history_entry_get_at (entry));
    }
  return since;
}

char *
lk_history_format_sla (const LkSlaClock  *clock,
                       const char       **out_style)
{
  const char *style = NULL;
  char *text;

  switch (clock->status)
    {
    case LK_SLA_RUNNING:
      if (clock->days_left > 0)
        {
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Due %s — %d working day left",
                                               "Due %s — %d working days left",
                                               clock->days_left),
                                  clock->due, clock->days_left);
          style = clock->days_left <= 1 ? "warning" : "success";
        }
      else if (clock->days_left == 0)
        {
          /* Translators: %s is the due date */
          text = g_strdup_printf (_("Due today (%s)"), clock->due);
          style = "warning";
        }
      else
        {
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Overdue by %d working day (due %s)",
                                               "Overdue by %d working days (due %s)",
                                               -clock->days_left),
                                  -clock->days_left, clock->due);
          style = "error";
        }
      break;
    case LK_SLA_PAUSED:
      if (clock->paused_since > 0)
        {
          g_autofree char *since = lk_history_format_time (clock->paused_since);

          /* Translators: %s is a date and time */
          text = g_strdup_printf (_("Paused — waiting for the citizen since %s"), since);
        }
      else
        text = g_strdup (_("Paused — waiting for the citizen"));
      break;
    case LK_SLA_STOPPED:
      text = g_strdup (_("Stopped — the case is closed"));
      break;
    case LK_SLA_NONE:
    default:
      text = g_strdup (_("No SLA"));
      break;
    }

  if (out_style != NULL)
    *out_style = style;
  return text;
}
