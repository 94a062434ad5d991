/* lk-signing-row.c — one letter in the signer's queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-signing-row.h"

struct _LkSigningRow
{
  GtkListBoxRow  parent_instance;

  GtkWidget     *check;
  GtkWidget     *title_label;
  GtkWidget     *detail_label;
  GtkWidget     *status_label;

  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (LkSigningRow, lk_signing_row, GTK_TYPE_LIST_BOX_ROW)

enum
{
  SIGNAL_TICK_TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
check_toggled_cb (LkSigningRow *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[SIGNAL_TICK_TOGGLED], 0,
                   gtk_check_button_get_active (GTK_CHECK_BUTTON (self->check)));
}

static void
lk_signing_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LK_TYPE_SIGNING_ROW);
  G_OBJECT_CLASS (lk_signing_row_parent_class)->dispose (object);
}

static void
lk_signing_row_class_init (LkSigningRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lk_signing_row_dispose;

  /* The person clicked the check box (active). */
  signals[SIGNAL_TICK_TOGGLED] =
    g_signal_new ("tick-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-signing-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LkSigningRow, check);
  gtk_widget_class_bind_template_child (widget_class, LkSigningRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, LkSigningRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LkSigningRow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, check_toggled_cb);
}

static void
lk_signing_row_init (LkSigningRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lk_signing_row_new (const char *receipt,
                    const char *detail)
{
  LkSigningRow *self = g_object_new (LK_TYPE_SIGNING_ROW, NULL);
  g_autofree char *check_name = g_strdup_printf (_("Tick letter %s"), receipt);

  gtk_label_set_text (GTK_LABEL (self->title_label), receipt);
  gtk_label_set_text (GTK_LABEL (self->detail_label), detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, receipt, -1);
  return GTK_WIDGET (self);
}

void
lk_signing_row_set_state (LkSigningRow *self,
                          gboolean      has_draft,
                          gboolean      reviewed,
                          gboolean      ticked,
                          gboolean      can_tick)
{
  const char *status;

  g_return_if_fail (LK_IS_SIGNING_ROW (self));

  if (!has_draft)
    status = _("No letter draft: return the case to the officer");
  else if (ticked)
    status = _("Reviewed and ticked for signing");
  else if (reviewed)
    status = _("Reviewed: tick it to sign it");
  else
    status = _("Not reviewed yet: open it in the preview");

  self->updating = TRUE;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->check), ticked);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->check, can_tick);
  gtk_label_set_text (GTK_LABEL (self->status_label), status);
}
