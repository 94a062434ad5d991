/* lk-qr.c — QR codes with libqrencode (stub until issue 6 lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "letter/lk-letter-draft.h"
#include "letter/lk-qr.h"

LkQr *
lk_qr_encode (const char  *text,
              GError     **error)
{
  g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED, "QR codes are not built yet.");
  return NULL;
}

void
lk_qr_free (LkQr *qr)
{
  if (qr == NULL)
    return;
  g_free (qr->modules);
  g_free (qr);
}

void
lk_qr_draw (const LkQr *qr,
            cairo_t    *cr,
            double      x,
            double      y,
            double      size)
{
}
