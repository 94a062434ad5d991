/* lk-case-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-case-state.h"

G_DEFINE_ENUM_TYPE (LkCaseState, lk_case_state,
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_SUBMITTED, "submitted"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_VERIFYING, "verifying"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_INCOMPLETE, "incomplete"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_VERIFIED, "verified"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_INSPECTION, "inspection"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_APPROVED, "approved"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_REJECTED, "rejected"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_AWAITING_SIGNATURE, "awaiting-signature"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_SIGNED, "signed"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_DELIVERED, "delivered"),
  G_DEFINE_ENUM_VALUE (LK_CASE_STATE_CANCELLED, "cancelled"))

static const char * const state_names[LK_N_CASE_STATES] = {
  "submitted",
  "verifying",
  "incomplete",
  "verified",
  "inspection",
  "approved",
  "rejected",
  "awaiting_signature",
  "signed",
  "delivered",
  "cancelled",
};

const char *
lk_case_state_to_string (LkCaseState state)
{
  g_return_val_if_fail (state >= 0 && state < LK_N_CASE_STATES, NULL);

  return state_names[state];
}

LkCaseState
lk_case_state_from_string (const char *name)
{
  if (name == NULL)
    return LK_CASE_STATE_INVALID;

  for (guint i = 0; i < LK_N_CASE_STATES; i++)
    if (g_str_equal (name, state_names[i]))
      return (LkCaseState) i;

  return LK_CASE_STATE_INVALID;
}

const char *
lk_case_state_get_label (LkCaseState state)
{
  switch (state)
    {
    case LK_CASE_STATE_SUBMITTED:          return C_("case state", "Submitted");
    case LK_CASE_STATE_VERIFYING:          return C_("case state", "Verifying");
    case LK_CASE_STATE_INCOMPLETE:         return C_("case state", "Incomplete");
    case LK_CASE_STATE_VERIFIED:           return C_("case state", "Verified");
    case LK_CASE_STATE_INSPECTION:         return C_("case state", "Inspection");
    case LK_CASE_STATE_APPROVED:           return C_("case state", "Approved");
    case LK_CASE_STATE_REJECTED:           return C_("case state", "Rejected");
    case LK_CASE_STATE_AWAITING_SIGNATURE: return C_("case state", "Awaiting signature");
    case LK_CASE_STATE_SIGNED:             return C_("case state", "Signed");
    case LK_CASE_STATE_DELIVERED:          return C_("case state", "Delivered");
    case LK_CASE_STATE_CANCELLED:          return C_("case state", "Cancelled");
    case LK_CASE_STATE_INVALID:
    default:
      return C_("case state", "Unknown");
    }
}

gboolean
lk_case_state_is_open (LkCaseState state)
{
  switch (state)
    {
    case LK_CASE_STATE_SIGNED:
    case LK_CASE_STATE_DELIVERED:
    case LK_CASE_STATE_CANCELLED:
    case LK_CASE_STATE_INVALID:
      return FALSE;
    case LK_CASE_STATE_SUBMITTED:
    case LK_CASE_STATE_VERIFYING:
    case LK_CASE_STATE_INCOMPLETE:
    case LK_CASE_STATE_VERIFIED:
    case LK_CASE_STATE_INSPECTION:
    case LK_CASE_STATE_APPROVED:
    case LK_CASE_STATE_REJECTED:
    case LK_CASE_STATE_AWAITING_SIGNATURE:
    default:
      return TRUE;
    }
}

static const char * const role_names[LK_N_ROLES] = {
  "officer",
  "signer",
  "inspector",
  "admin",
};

const char *
lk_role_to_string (LkRole role)
{
  g_return_val_if_fail (role >= 0 && role < LK_N_ROLES, NULL);

  return role_names[role];
}

LkRole
lk_role_from_string (const char *name)
{
  if (name == NULL)
    return LK_ROLE_INVALID;

  for (guint i = 0; i < LK_N_ROLES; i++)
    if (g_str_equal (name, role_names[i]))
      return (LkRole) i;

  return LK_ROLE_INVALID;
}

const char *
lk_role_get_label (LkRole role)
{
  switch (role)
    {
    case LK_ROLE_OFFICER:   return C_("role", "Officer");
    case LK_ROLE_SIGNER:    return C_("role", "Signer");
    case LK_ROLE_INSPECTOR: return C_("role", "Inspector");
    case LK_ROLE_ADMIN:     return C_("role", "Administrator");
    case LK_ROLE_INVALID:
    default:
      return C_("role", "Unknown");
    }
}

static const char * const check_names[] = {
  "pending",
  "verified",
  "rejected",
};

const char *
lk_check_status_to_string (LkCheckStatus status)
{
  g_return_val_if_fail (status >= 0 && status < (int) G_N_ELEMENTS (check_names), NULL);

  return check_names[status];
}

LkCheckStatus
lk_check_status_from_string (const char *name)
{
  if (name == NULL)
    return LK_CHECK_STATUS_INVALID;

  for (guint i = 0; i < G_N_ELEMENTS (check_names); i++)
    if (g_str_equal (name, check_names[i]))
      return (LkCheckStatus) i;

  return LK_CHECK_STATUS_INVALID;
}

typedef struct
{
  LkCaseState from;
  LkCaseState to;
  LkRole      role;
  gboolean    needs_reason;
} Transition;

static const Transition transitions[] = {
  { LK_CASE_STATE_SUBMITTED,          LK_CASE_STATE_VERIFYING,          LK_ROLE_OFFICER,   FALSE },
  { LK_CASE_STATE_VERIFYING,          LK_CASE_STATE_INCOMPLETE,         LK_ROLE_OFFICER,   TRUE },
  { LK_CASE_STATE_INCOMPLETE,         LK_CASE_STATE_VERIFYING,          LK_ROLE_OFFICER,   FALSE },
  { LK_CASE_STATE_VERIFYING,          LK_CASE_STATE_VERIFIED,           LK_ROLE_OFFICER,   FALSE },
  { LK_CASE_STATE_VERIFIED,           LK_CASE_STATE_INSPECTION,         LK_ROLE_OFFICER,   FALSE },
  { LK_CASE_STATE_VERIFIED,           LK_CASE_STATE_APPROVED,           LK_ROLE_OFFICER,   FALSE },
  { LK_CASE_STATE_VERIFIED,           LK_CASE_STATE_REJECTED,           LK_ROLE_OFFICER,   TRUE },
  { LK_CASE_STATE_APPROVED,           LK_CASE_STATE_AWAITING_SIGNATURE, LK_ROLE_OFFICER,   FALSE },
  { LK_CASE_STATE_REJECTED,           LK_CASE_STATE_AWAITING_SIGNATURE, LK_ROLE_OFFICER,   FALSE },
  { LK_CASE_STATE_INSPECTION,         LK_CASE_STATE_VERIFIED,           LK_ROLE_INSPECTOR, FALSE },
  { LK_CASE_STATE_INSPECTION,         LK_CASE_STATE_APPROVED,           LK_ROLE_INSPECTOR, FALSE },
  { LK_CASE_STATE_INSPECTION,         LK_CASE_STATE_REJECTED,           LK_ROLE_INSPECTOR, TRUE },
  { LK_CASE_STATE_AWAITING_SIGNATURE, LK_CASE_STATE_SIGNED,             LK_ROLE_SIGNER,    FALSE },
  { LK_CASE_STATE_AWAITING_SIGNATURE, LK_CASE_STATE_VERIFIED,           LK_ROLE_SIGNER,    TRUE },
};

gboolean
lk_case_transition_allowed (LkCaseState from,
                            LkCaseState to,
                            LkRole      role)
{
  if (to == LK_CASE_STATE_CANCELLED)
    return (role == LK_ROLE_OFFICER || role == LK_ROLE_ADMIN) &&
           lk_case_state_is_open (from);

  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == from && transitions[i].to == to && transitions[i].role == role)
      return TRUE;

  return FALSE;
}

gboolean
lk_case_transition_needs_reason (LkCaseState from,
                                 LkCaseState to)
{
  if (to == LK_CASE_STATE_CANCELLED)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == from && transitions[i].to == to)
      return transitions[i].needs_reason;

  return FALSE;
}
