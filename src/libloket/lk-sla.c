/* lk-sla.c — STUB, replaced in this change */
#include "config.h"
#include <string.h>
#include "lk-sla.h"
void lk_sla_clock_compute (LkCaseState s, const char *d, const char *t, gint64 p, LkSlaClock *o) { memset (o, 0, sizeof *o); }
char *lk_sla_add_working_days (const char *d, int n) { return NULL; }
int lk_sla_working_days_between (const char *f, const char *t) { return -1; }
char *lk_sla_resume_due (const char *d, gint64 a, gint64 b) { return g_strdup (d); }
char *lk_sla_today (void) { return NULL; }
