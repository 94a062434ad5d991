/* lk-model-private.h — the model structs, filled in by the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-case.h"
#include "lk-document.h"
#include "lk-history-entry.h"
#include "lk-service-type.h"

G_BEGIN_DECLS

struct _LkCase
{
  GObject      parent_instance;

  gint64       nid;
  char        *id;
  char        *receipt;
  char        *service_type_id;
  char        *service_code;
  char        *service_name;
  char        *unit;
  LkCaseState  state;
  char        *applicant_name;
  char        *nik;
  char        *email;
  char        *phone;
  char        *address;
  char        *business_name;
  char        *nib;
  gint64       created_at;
  gint64       updated_at;
  char        *sla_due;
  gint64       version;
  char        *assignee;
  gboolean     complete;
};

struct _LkDocument
{
  GObject  parent_instance;

  char    *id;
  char    *case_id;
  char    *name;
  char    *mime_type;
  gint64   size;
  char    *sha256;
  int      position;
};

struct _LkHistoryEntry
{
  GObject      parent_instance;

  char        *id;
  char        *case_id;
  LkCaseState  from_state;
  LkCaseState  to_state;
  char        *actor;
  gint64       at;
  char        *reason;
};

struct _LkServiceType
{
  GObject   parent_instance;

  char     *id;
  char     *code;
  char     *name;
  int       sla_days;
  char     *number_format;
  gboolean  needs_business;
  GStrv     requirements;
};

gint64 lk_case_get_nid (LkCase *self);

G_END_DECLS
