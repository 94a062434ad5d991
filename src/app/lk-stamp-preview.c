/* lk-stamp-preview.c — what the visible signature stamp of a letter shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lk-app-setup.h"
#include "lk-stamp-preview.h"

struct _LkStampPreview
{
  GtkWidget   parent_instance;

  char       *reason;
  char       *location;

  /* Template children */
  GtkPicture *picture;
  GtkLabel   *name_label;
  GtkLabel   *date_label;
  GtkLabel   *reason_label;
  GtkLabel   *location_label;
};

G_DEFINE_FINAL_TYPE (LkStampPreview, lk_stamp_preview, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REASON,
  PROP_LOCATION,
  PROP_IMAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The same lines as the stamp that lk-pades.c draws (same msgids). */
static void
update (LkStampPreview *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  const char *reason = self->reason != NULL && *self->reason != '\0'
                       ? self->reason : lk_app_default_signature_reason ();
  g_autofree char *name_line = g_strdup_printf (_("Signed by %s"), _("the name on your certificate"));
  g_autofree char *date_line = g_strdup_printf (_("Date: %s"), date);
  g_autofree char *reason_line = g_strdup_printf (_("Reason: %s"), reason);
  g_autofree char *location_line = g_strdup_printf (_("Location: %s"), self->location ? self->location : "");

  gtk_label_set_text (self->name_label, name_line);
  gtk_label_set_text (self->date_label, date_line);
  gtk_label_set_text (self->reason_label, reason_line);
  gtk_label_set_text (self->location_label, location_line);
  gtk_widget_set_visible (GTK_WIDGET (self->location_label), self->location != NULL && *self->location != '\0');
}

static void
lk_stamp_preview_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LK_TYPE_STAMP_PREVIEW);

  G_OBJECT_CLASS (lk_stamp_preview_parent_class)->dispose (object);
}

static void
lk_stamp_preview_finalize (GObject *object)
{
  LkStampPreview *self = (LkStampPreview *)object;

  g_free (self->reason);
  g_free (self->location);

  G_OBJECT_CLASS (lk_stamp_preview_parent_class)->finalize (object);
}

static void
lk_stamp_preview_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LkStampPreview *self = LK_STAMP_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_IMAGE:
      g_value_set_object (value, lk_stamp_preview_get_image (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_stamp_preview_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LkStampPreview *self = LK_STAMP_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_REASON:
      lk_stamp_preview_set_reason (self, g_value_get_string (value));
      break;
    case PROP_LOCATION:
      lk_stamp_preview_set_location (self, g_value_get_string (value));
      break;
    case PROP_IMAGE:
      lk_stamp_preview_set_image (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_stamp_preview_class_init (LkStampPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_stamp_preview_dispose;
  object_class->finalize = lk_stamp_preview_finalize;
  object_class->get_property = lk_stamp_preview_get_property;
  object_class->set_property = lk_stamp_preview_set_property;

  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IMAGE] =
    g_param_spec_object ("image", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  lk_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/loket/Loket/lk-stamp-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStampPreview, picture);
  gtk_widget_class_bind_template_child (widget_class, LkStampPreview, name_label);
  gtk_widget_class_bind_template_child (widget_class, LkStampPreview, date_label);
  gtk_widget_class_bind_template_child (widget_class, LkStampPreview, reason_label);
  gtk_widget_class_bind_template_child (widget_class, LkStampPreview, location_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lk_stamp_preview_init (LkStampPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
lk_stamp_preview_new (void)
{
  return g_object_new (LK_TYPE_STAMP_PREVIEW, NULL);
}

void
lk_stamp_preview_set_reason (LkStampPreview *self,
                             const char     *reason)
{
  g_return_if_fail (LK_IS_STAMP_PREVIEW (self));

  if (g_strcmp0 (self->reason, reason) == 0)
    return;
  g_free (self->reason);
  self->reason = g_strdup (reason);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

const char *
lk_stamp_preview_get_reason (LkStampPreview *self)
{
  g_return_val_if_fail (LK_IS_STAMP_PREVIEW (self), NULL);
  return self->reason;
}

void
lk_stamp_preview_set_location (LkStampPreview *self,
                               const char     *location)
{
  g_return_if_fail (LK_IS_STAMP_PREVIEW (self));

  if (g_strcmp0 (self->location, location) == 0)
    return;
  g_free (self->location);
  self->location = g_strdup (location);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
}

const char *
lk_stamp_preview_get_location (LkStampPreview *self)
{
  g_return_val_if_fail (LK_IS_STAMP_PREVIEW (self), NULL);
  return self->location;
}

void
lk_stamp_preview_set_image (LkStampPreview *self,
                            GdkPaintable   *image)
{
  g_return_if_fail (LK_IS_STAMP_PREVIEW (self));
  g_return_if_fail (image == NULL || GDK_IS_PAINTABLE (image));

  if (gtk_picture_get_paintable (self->picture) == image)
    return;
  gtk_picture_set_paintable (self->picture, image);
  gtk_widget_set_visible (GTK_WIDGET (self->picture), image != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
}

GdkPaintable *
lk_stamp_preview_get_image (LkStampPreview *self)
{
  g_return_val_if_fail (LK_IS_STAMP_PREVIEW (self), NULL);
  return gtk_picture_get_paintable (self->picture);
}

char *
lk_stamp_preview_dup_text (LkStampPreview *self)
{
  GString *text = g_string_new (NULL);
  GtkLabel *labels[] = { self->name_label, self->date_label, self->reason_label, self->location_label };

  g_return_val_if_fail (LK_IS_STAMP_PREVIEW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (labels[i])))
      g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", gtk_label_get_text (labels[i]));
  return g_string_free (text, FALSE);
}
