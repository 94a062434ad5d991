/* lk-sla.c — the SLA clock: working days (Monday to Friday, local time),
 * paused while a case is incomplete
 *
 * Dates are "YYYY-MM-DD" strings, as stored in a case's sla_due; the day
 * arithmetic runs on GDate's Julian day numbers, whose day 1 (1 January of
 * the year 1, proleptic Gregorian) is a Monday.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sla"

#include <string.h>

#include "lk-sla.h"

/* More working days than any SLA has: a bound on the loops below. */
#define MAX_DAYS (100 * 261)

/* Helpers */

static gboolean
parse_date (const char *text,
            GDate      *out)
{
  guint year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date), (guint) g_date_get_day (date));
}

static gboolean
is_working_day (const GDate *date)
{
  GDateWeekday weekday = g_date_get_weekday (date);

  return weekday != G_DATE_SATURDAY && weekday != G_DATE_SUNDAY;
}

/* Working days in Julian days 1 … JULIAN (day 1 is a Monday). */
static gint64
working_days_upto (guint32 julian)
{
  gint64 weeks = (gint64) (julian - 1) / 7;
  gint64 rest = (gint64) (julian - 1) % 7 + 1;   /* 1 (Monday) … 7 (Sunday) */

  return weeks * 5 + MIN (rest, 5);
}

static gboolean
local_date (gint64  unix_seconds,
            GDate  *out)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_seconds);

  if (time == NULL)
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) g_date_time_get_day_of_month (time),
                  (GDateMonth) g_date_time_get_month (time),
                  (GDateYear) g_date_time_get_year (time));
  return TRUE;
}

/* Signed working days from FROM to TO: > 0 when TO is later. */
static int
working_days_signed (const GDate *from,
                     const GDate *to)
{
  gint64 a = working_days_upto (g_date_get_julian (from));
  gint64 b = working_days_upto (g_date_get_julian (to));

  return (int) CLAMP (b - a, G_MININT, G_MAXINT);
}

/* Public API */

void
lk_sla_clock_compute (LkCaseState  state,
                      const char  *due,
                      const char  *today,
                      gint64       paused_since,
                      LkSlaClock  *out)
{
  g_autofree char *now = NULL;
  GDate due_date, today_date, paused_date;

  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  out->status = LK_SLA_NONE;
  if (!parse_date (due, &due_date))
    return;

  if (today == NULL)
    today = now = lk_sla_today ();
  if (!parse_date (today, &today_date))
    return;

  g_strlcpy (out->due, due, sizeof out->due);
  if (!lk_case_state_is_open (state))
    {
      out->status = LK_SLA_STOPPED;
      out->days_left = working_days_signed (&today_date, &due_date);
    }
  else if (state == LK_CASE_STATE_INCOMPLETE)
    {
      /* The clock stopped when the case became incomplete: what was left
       * then is what is left now (resuming moves the due date later by the
       * days spent waiting). */
      out->status = LK_SLA_PAUSED;
      out->paused_since = paused_since;
      if (paused_since > 0 && local_date (paused_since, &paused_date) &&
          g_date_compare (&paused_date, &today_date) < 0)
        out->days_left = working_days_signed (&paused_date, &due_date);
      else
        out->days_left = working_days_signed (&today_date, &due_date);
    }
  else
    {
      out->status = LK_SLA_RUNNING;
      out->days_left = working_days_signed (&today_date, &due_date);
    }
}

char *
lk_sla_add_working_days (const char *date,
                         int         days)
{
  GDate d;

  g_return_val_if_fail (days >= 0, NULL);

  if (!parse_date (date, &d))
    return NULL;
  days = MIN (days, MAX_DAYS);
  while (days > 0)
    {
      g_date_add_days (&d, 1);
      if (is_working_day (&d))
        days--;
    }
  return format_date (&d);
}

int
lk_sla_working_days_between (const char *from,
                             const char *to)
{
  GDate a, b;

  if (!parse_date (from, &a) || !parse_date (to, &b))
    return -1;
  return MAX (working_days_signed (&a, &b), 0);
}

char *
lk_sla_resume_due (const char *due,
                   gint64      paused_at,
                   gint64      resumed_at)
{
  GDate paused, resumed;
  int days;
  char *moved;

  if (due == NULL)
    return NULL;
  if (paused_at <= 0 || !local_date (paused_at, &paused) || !local_date (resumed_at, &resumed))
    return g_strdup (due);

  days = MAX (working_days_signed (&paused, &resumed), 0);
  moved = lk_sla_add_working_days (due, days);
  /* A due date that is not a date stays as it was. */
  return moved != NULL ? moved : g_strdup (due);
}

char *
lk_sla_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}
