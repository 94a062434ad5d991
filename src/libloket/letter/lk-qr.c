/* lk-qr.c — QR codes with libqrencode, drawn as one cairo path
 *
 * Bounds: the text is at most LK_QR_MAX_TEXT bytes; libqrencode picks the
 * smallest version (at most 40, 177 modules a side) that holds it at level M.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-letter"

#include <errno.h>
#include <string.h>
#include <qrencode.h>
#include <glib/gi18n-lib.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-qr.h"

#define QUIET_ZONE 4   /* modules on each side, as ISO/IEC 18004 asks */

LkQr *
lk_qr_encode (const char  *text,
              GError     **error)
{
  QRcode *code;
  LkQr *qr;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = text != NULL ? strnlen (text, LK_QR_MAX_TEXT + 1) : 0;
  if (len == 0 || len > LK_QR_MAX_TEXT)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("A QR code holds between 1 and %d bytes of text."), LK_QR_MAX_TEXT);
      return NULL;
    }

  errno = 0;
  code = QRcode_encodeData ((int) len, (const unsigned char *) text, 0, QR_ECLEVEL_M);
  if (code == NULL)
    {
      int saved = errno;

      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("Could not make the QR code: %s"),
                   saved != 0 ? g_strerror (saved) : _("the text does not fit"));
      return NULL;
    }

  qr = g_new0 (LkQr, 1);
  qr->width = (guint) code->width;
  qr->modules = g_malloc ((gsize) qr->width * qr->width);
  for (gsize i = 0; i < (gsize) qr->width * qr->width; i++)
    qr->modules[i] = code->data[i] & 1;
  QRcode_free (code);
  return qr;
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
  double module;

  g_return_if_fail (qr != NULL && qr->width > 0);
  g_return_if_fail (cr != NULL);

  module = size / (qr->width + 2 * QUIET_ZONE);
  cairo_save (cr);
  cairo_new_path (cr);
  for (guint row = 0; row < qr->width; row++)
    {
      guint col = 0;

      /* One rectangle per run of dark modules in a row. */
      while (col < qr->width)
        {
          guint start;

          if (!qr->modules[row * qr->width + col])
            {
              col++;
              continue;
            }
          start = col;
          while (col < qr->width && qr->modules[row * qr->width + col])
            col++;
          cairo_rectangle (cr,
                           x + (QUIET_ZONE + start) * module,
                           y + (QUIET_ZONE + row) * module,
                           (col - start) * module,
                           module);
        }
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_fill (cr);
  cairo_restore (cr);
}
