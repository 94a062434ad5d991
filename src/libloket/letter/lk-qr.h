/* lk-qr.h — QR codes (libqrencode) for letters and signature stamps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

#define LK_QR_MAX_TEXT 512   /* bytes encoded; a verification URL is far shorter */

typedef struct
{
  guint   width;      /* modules a side, without the quiet zone */
  guint8 *modules;    /* width × width, row by row; 1 = dark */
} LkQr;

/* TEXT as a QR code (error correction level M, 8-bit mode). NULL with
 * LK_LETTER_ERROR_FAILED when TEXT is empty or over LK_QR_MAX_TEXT. */
LkQr     *lk_qr_encode     (const char  *text,
                            GError     **error);
void      lk_qr_free       (LkQr        *qr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkQr, lk_qr_free)
/* Fills the dark modules as one path in the square X, Y, SIZE (user units)
 * of CR, leaving a quiet zone of 4 modules inside it; the current source. */
void      lk_qr_draw       (const LkQr  *qr,
                            cairo_t     *cr,
                            double       x,
                            double       y,
                            double       size);

G_END_DECLS
