/* lk-case-state.h — the case lifecycle of DESIGN.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LK_CASE_STATE_SUBMITTED,
  LK_CASE_STATE_VERIFYING,
  LK_CASE_STATE_INCOMPLETE,
  LK_CASE_STATE_VERIFIED,
  LK_CASE_STATE_INSPECTION,
  LK_CASE_STATE_APPROVED,
  LK_CASE_STATE_REJECTED,
  LK_CASE_STATE_AWAITING_SIGNATURE,
  LK_CASE_STATE_SIGNED,
  LK_CASE_STATE_DELIVERED,
  LK_CASE_STATE_CANCELLED,
  LK_CASE_STATE_INVALID = -1,
} LkCaseState;

#define LK_N_CASE_STATES (LK_CASE_STATE_CANCELLED + 1)

#define LK_TYPE_CASE_STATE (lk_case_state_get_type ())
GType        lk_case_state_get_type       (void) G_GNUC_CONST;

/* The stable wire/database name ("awaiting_signature"). */
const char  *lk_case_state_to_string      (LkCaseState state);
/* LK_CASE_STATE_INVALID for an unknown name. */
LkCaseState  lk_case_state_from_string    (const char *name);
/* The translated name a person reads ("Awaiting signature"). */
const char  *lk_case_state_get_label      (LkCaseState state);
/* Whether the case is still being worked on (not signed/delivered/cancelled…). */
gboolean     lk_case_state_is_open        (LkCaseState state);

G_END_DECLS
