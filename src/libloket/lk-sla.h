/* lk-sla.h — the SLA clock of a case: working days from submission, paused
 * while the case is incomplete (awaiting the citizen)
 *
 * The same rules on the server (which moves a case's sla_due when it leaves
 * `incomplete`) and on the desk (which mirrors that for queued transitions
 * and shows the clock). Working days are Monday to Friday in the agency's
 * local time; public holidays are not known yet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lk-case-state.h"

G_BEGIN_DECLS

typedef enum
{
  LK_SLA_NONE,      /* no SLA (no due date) */
  LK_SLA_RUNNING,   /* the clock runs: days_left until due */
  LK_SLA_PAUSED,    /* incomplete: the clock waits for the citizen */
  LK_SLA_STOPPED,   /* the case left the open states: the clock no longer matters */
} LkSlaStatus;

typedef struct
{
  LkSlaStatus status;
  char        due[11];      /* "YYYY-MM-DD", "" for LK_SLA_NONE */
  int         days_left;    /* working days from today to due; < 0 overdue, 0 due today
                             * (LK_SLA_PAUSED: from the day it paused, when known —
                             * the clock stands still while the citizen is awaited) */
  gint64      paused_since; /* Unix seconds, for LK_SLA_PAUSED (0 when unknown) */
} LkSlaClock;

/* The clock of a case in STATE with due date DUE (NULL or "YYYY-MM-DD") on
 * TODAY ("YYYY-MM-DD", local). PAUSED_SINCE: when the case last entered
 * `incomplete` (0 when unknown); only kept for LK_SLA_PAUSED. */
void     lk_sla_clock_compute          (LkCaseState  state,
                                        const char  *due,
                                        const char  *today,
                                        gint64       paused_since,
                                        LkSlaClock  *out);
/* DATE ("YYYY-MM-DD") plus DAYS working days (DAYS ≥ 0), or NULL when DATE
 * is not a date. */
char    *lk_sla_add_working_days       (const char  *date,
                                        int          days);
/* Working days after FROM up to and including TO (both "YYYY-MM-DD"); 0 when
 * TO is not after FROM, -1 when either is not a date. */
int      lk_sla_working_days_between   (const char  *from,
                                        const char  *to);
/* The due date of a case leaving `incomplete`: DUE moved later by the working
 * days between PAUSED_AT and RESUMED_AT (Unix seconds, local dates). NULL
 * DUE stays NULL. */
char    *lk_sla_resume_due             (const char  *due,
                                        gint64       paused_at,
                                        gint64       resumed_at);
/* Today's local date, "YYYY-MM-DD". */
char    *lk_sla_today                  (void);

G_END_DECLS
