/* lk-letter-draft.c — the draft of a case's letter: the built-in template
 * (lk-letter-template.c) rendered without a number or letter id
 *
 * The letter's text is Indonesian data, not UI: it is not translated. The
 * errors a person reads are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-letter"

#include <glib/gi18n-lib.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template-private.h"

/* Where the stamp went on issue 5's draft: what a signer falls back to for
 * a PDF without Loket's letter keywords. PDF points from the lower-left. */
#define SIG_X        340.0
#define SIG_Y        120.0
#define SIG_WIDTH    200.0
#define SIG_HEIGHT   70.0

/* Public API */

/**
 * lk_letter_draft_render_for_unit:
 * @unit_name: (nullable): the issuing unit's name for the letterhead
 * @unit_address: (nullable): its address
 *
 * lk_letter_draft_render() with the unit's name and address, which the case
 * only names by id. Renders the service's built-in template (the refusal's
 * wording for a rejected case) without a number or letter id.
 */
gboolean
lk_letter_draft_render_for_unit (LkCase         *kase,
                                 LkServiceType  *service,
                                 const char     *unit_name,
                                 const char     *unit_address,
                                 GDateTime      *date,
                                 const char     *out_path,
                                 GError        **error)
{
  g_autoptr(LkLetterTemplate) template = NULL;
  LkLetterRenderInfo info = { 0 };

  g_return_val_if_fail (LK_IS_CASE (kase), FALSE);
  g_return_val_if_fail (LK_IS_SERVICE_TYPE (service), FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  template = lk_letter_template_new_builtin (service, lk_case_get_state (kase) == LK_CASE_STATE_REJECTED);
  info.unit_name = unit_name;
  info.unit_address = unit_address;
  info.date = date;
  return lk_letter_template_render (template, kase, service, &info, out_path, error);
}

gboolean
lk_letter_draft_render (LkCase         *kase,
                        LkServiceType  *service,
                        GDateTime      *date,
                        const char     *out_path,
                        GError        **error)
{
  return lk_letter_draft_render_for_unit (kase, service, NULL, NULL, date, out_path, error);
}

void
lk_letter_draft_signature_rect (double rect[4])
{
  rect[0] = SIG_X;
  rect[1] = SIG_Y;
  rect[2] = SIG_WIDTH;
  rect[3] = SIG_HEIGHT;
}
