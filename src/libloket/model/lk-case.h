/* lk-case.h — one application (permohonan) and the data the officer reviews
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "lk-case-state.h"
#include "model/lk-service-type.h"

G_BEGIN_DECLS

#define LK_TYPE_CASE (lk_case_get_type ())
G_DECLARE_FINAL_TYPE (LkCase, lk_case, LK, CASE, GObject)

const char  *lk_case_get_id             (LkCase *self);
const char  *lk_case_get_receipt        (LkCase *self);
const char  *lk_case_get_service_type_id (LkCase *self);
/* Denormalised from the service type for display; may be NULL. */
const char  *lk_case_get_service_code   (LkCase *self);
const char  *lk_case_get_service_name   (LkCase *self);
const char  *lk_case_get_unit           (LkCase *self);
LkCaseState  lk_case_get_state          (LkCase *self);
const char  *lk_case_get_applicant_name (LkCase *self);
const char  *lk_case_get_nik            (LkCase *self);
const char  *lk_case_get_email          (LkCase *self);
const char  *lk_case_get_phone          (LkCase *self);
const char  *lk_case_get_address        (LkCase *self);
const char  *lk_case_get_business_name  (LkCase *self);
const char  *lk_case_get_nib            (LkCase *self);
gint64       lk_case_get_created_at     (LkCase *self);
gint64       lk_case_get_updated_at     (LkCase *self);
/* ISO date "YYYY-MM-DD", or NULL when the case has no running SLA. */
const char  *lk_case_get_sla_due        (LkCase *self);
gint64       lk_case_get_version        (LkCase *self);
/* The user name of the officer the case is assigned to, or NULL. */
const char  *lk_case_get_assignee       (LkCase *self);
/* FALSE for the light objects of an LkCaseList (only the queue columns set). */
gboolean     lk_case_is_complete        (LkCase *self);

/* A made-up complete case of SERVICE with every field filled (applicant
 * "Siti Rahmawati", a business, fixed ids): what a template preview shows
 * when no real case of the service type is at hand. */
LkCase      *lk_case_new_sample         (LkServiceType *service);

G_END_DECLS
