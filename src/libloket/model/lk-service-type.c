/* lk-service-type.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-model-private.h"

G_DEFINE_FINAL_TYPE (LkServiceType, lk_service_type, G_TYPE_OBJECT)

static void
lk_service_type_finalize (GObject *object)
{
  LkServiceType *self = (LkServiceType *) object;

  g_free (self->id);
  g_free (self->code);
  g_free (self->name);
  g_free (self->number_format);
  g_strfreev (self->requirements);

  G_OBJECT_CLASS (lk_service_type_parent_class)->finalize (object);
}

static void
lk_service_type_class_init (LkServiceTypeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_service_type_finalize;
}

static void
lk_service_type_init (LkServiceType *self)
{
}

#define GETTER(type, field) \
  type lk_service_type_get_##field (LkServiceType *self) \
  { \
    g_return_val_if_fail (LK_IS_SERVICE_TYPE (self), (type) 0); \
    return self->field; \
  }

GETTER (const char *, id)
GETTER (const char *, code)
GETTER (const char *, name)
GETTER (int, sla_days)
GETTER (const char *, number_format)
GETTER (gboolean, needs_business)

const char * const *
lk_service_type_get_requirements (LkServiceType *self)
{
  g_return_val_if_fail (LK_IS_SERVICE_TYPE (self), NULL);

  return (const char * const *) self->requirements;
}
