/* lk-service-type.h — a kind of letter or permit the agency issues
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LK_TYPE_SERVICE_TYPE (lk_service_type_get_type ())
G_DECLARE_FINAL_TYPE (LkServiceType, lk_service_type, LK, SERVICE_TYPE, GObject)

const char         *lk_service_type_get_id             (LkServiceType *self);
const char         *lk_service_type_get_code           (LkServiceType *self);
const char         *lk_service_type_get_name           (LkServiceType *self);
int                 lk_service_type_get_sla_days       (LkServiceType *self);
/* e.g. "503/{seq:04}/{unit}/{year}" */
const char         *lk_service_type_get_number_format  (LkServiceType *self);
gboolean            lk_service_type_get_needs_business (LkServiceType *self);
/* NULL-terminated list of requirement labels (the checklist). */
const char * const *lk_service_type_get_requirements   (LkServiceType *self);

G_END_DECLS
