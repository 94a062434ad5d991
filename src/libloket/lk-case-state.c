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
