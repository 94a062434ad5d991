/* lk-letter-names.c — what every part of the letter engine names the same
 * way: its error domain, the Indonesian date, a draft's document name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "letter/lk-letter-draft.h"

#define DRAFT_PREFIX "Letter draft "

G_DEFINE_QUARK (lk-letter-error-quark, lk_letter_error)

static const char * const month_names[12] = {
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
};

char *
lk_letter_draft_document_name (const char *receipt)
{
  g_return_val_if_fail (receipt != NULL, NULL);

  return g_strdup_printf (DRAFT_PREFIX "%s.pdf", receipt);
}

gboolean
lk_letter_draft_is_draft_name (const char *name)
{
  return name != NULL && g_str_has_prefix (name, DRAFT_PREFIX) && g_str_has_suffix (name, ".pdf");
}

char *
lk_letter_draft_format_date (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  return g_strdup_printf ("%d %s %d",
                          g_date_time_get_day_of_month (date),
                          month_names[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date));
}
