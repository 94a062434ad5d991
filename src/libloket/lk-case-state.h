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

/* The roles of DESIGN.md, as named on the wire ("officer", …). */
typedef enum
{
  LK_ROLE_OFFICER,
  LK_ROLE_SIGNER,
  LK_ROLE_INSPECTOR,
  LK_ROLE_ADMIN,
  LK_ROLE_INVALID = -1,
} LkRole;

#define LK_N_ROLES (LK_ROLE_ADMIN + 1)

const char  *lk_role_to_string            (LkRole role);
LkRole       lk_role_from_string          (const char *name);
const char  *lk_role_get_label            (LkRole role);

/* A requirement of the service type's checklist, as marked on a case. */
typedef enum
{
  LK_CHECK_STATUS_PENDING,
  LK_CHECK_STATUS_VERIFIED,
  LK_CHECK_STATUS_REJECTED,
  LK_CHECK_STATUS_INVALID = -1,
} LkCheckStatus;

const char    *lk_check_status_to_string   (LkCheckStatus status);
LkCheckStatus  lk_check_status_from_string (const char *name);

/* The lifecycle's rules, the same on the server (which enforces them) and on
 * the desk (which offers only what will be accepted):
 *   officer    submitted → verifying → incomplete ⇄ verifying → verified
 *              verified → inspection | approved | rejected
 *              approved | rejected → awaiting_signature
 *   inspector  inspection → verified | approved | rejected
 *   signer     awaiting_signature → signed (with the signed letter)
 *              awaiting_signature → verified (the draft returned, with why)
 *   officer, admin   any open state except signed → cancelled
 *   (signed → delivered is the server's own, when the mail went out.) */
gboolean     lk_case_transition_allowed      (LkCaseState from,
                                              LkCaseState to,
                                              LkRole      role);
/* Whether the move needs a reason (incomplete, rejected, returned, cancelled). */
gboolean     lk_case_transition_needs_reason (LkCaseState from,
                                              LkCaseState to);

G_END_DECLS
