/* lk-case.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-model-private.h"

G_DEFINE_FINAL_TYPE (LkCase, lk_case, G_TYPE_OBJECT)

static void
lk_case_finalize (GObject *object)
{
  LkCase *self = (LkCase *) object;

  g_free (self->id);
  g_free (self->receipt);
  g_free (self->service_type_id);
  g_free (self->service_code);
  g_free (self->service_name);
  g_free (self->unit);
  g_free (self->applicant_name);
  g_free (self->nik);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->address);
  g_free (self->business_name);
  g_free (self->nib);
  g_free (self->sla_due);
  g_free (self->assignee);

  G_OBJECT_CLASS (lk_case_parent_class)->finalize (object);
}

static void
lk_case_class_init (LkCaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_case_finalize;
}

static void
lk_case_init (LkCase *self)
{
  self->state = LK_CASE_STATE_INVALID;
}

#define GETTER(type, field) \
  type lk_case_get_##field (LkCase *self) \
  { \
    g_return_val_if_fail (LK_IS_CASE (self), (type) 0); \
    return self->field; \
  }

GETTER (gint64, nid)
GETTER (const char *, id)
GETTER (const char *, receipt)
GETTER (const char *, service_type_id)
GETTER (const char *, service_code)
GETTER (const char *, service_name)
GETTER (const char *, unit)
GETTER (LkCaseState, state)
GETTER (const char *, applicant_name)
GETTER (const char *, nik)
GETTER (const char *, email)
GETTER (const char *, phone)
GETTER (const char *, address)
GETTER (const char *, business_name)
GETTER (const char *, nib)
GETTER (gint64, created_at)
GETTER (gint64, updated_at)
GETTER (const char *, sla_due)
GETTER (gint64, version)
GETTER (const char *, assignee)

gboolean
lk_case_is_complete (LkCase *self)
{
  g_return_val_if_fail (LK_IS_CASE (self), FALSE);

  return self->complete;
}

LkCase *
lk_case_new_sample (LkServiceType *service)
{
  LkCase *c;

  g_return_val_if_fail (LK_IS_SERVICE_TYPE (service), NULL);

  c = g_object_new (LK_TYPE_CASE, NULL);
  c->id = g_strdup ("00000000-0000-4000-8000-000000000000");
  c->receipt = g_strdup ("LKT-2026-000000");
  c->service_type_id = g_strdup (lk_service_type_get_id (service));
  c->service_code = g_strdup (lk_service_type_get_code (service));
  c->service_name = g_strdup (lk_service_type_get_name (service));
  c->state = LK_CASE_STATE_APPROVED;
  c->applicant_name = g_strdup ("Siti Rahmawati");
  c->nik = g_strdup ("6171010101900001");
  c->email = g_strdup ("siti@example.invalid");
  c->phone = g_strdup ("0812000000");
  c->address = g_strdup ("Jl. Contoh No. 1, Pontianak");
  c->business_name = g_strdup ("Toko Contoh");
  c->nib = g_strdup ("9120000000001");
  c->created_at = g_get_real_time () / G_USEC_PER_SEC;
  c->updated_at = c->created_at;
  c->version = 1;
  c->complete = TRUE;
  return c;
}
