/* lk-pades-appearance.h — the appearance stream of a visible signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pdf/lk-pdf-object.h"

G_BEGIN_DECLS

/* The most lines an appearance shows. */
#define LK_PADES_APPEARANCE_MAX_LINES 8

/* The content stream that draws a thin border around a WIDTH × HEIGHT box
 * and LINES (UTF-8, NULL-terminated, at most LK_PADES_APPEARANCE_MAX_LINES
 * used), one per line from the top, in the font resource /F1 at one size
 * fitted to the box. The text is encoded in WinAnsiEncoding: ASCII and
 * Latin-1 characters are kept, any other character becomes '?'. */
GBytes   *lk_pades_appearance_content (double              width,
                                       double              height,
                                       const char * const *lines);

/* A Form XObject stream (/BBox [0 0 WIDTH HEIGHT]) with that content and
 * a /Resources dictionary whose /F1 is the standard 14 font Helvetica
 * (a simple Type1 font, /WinAnsiEncoding: nothing embedded). */
LkPdfObj *lk_pades_appearance_new     (double              width,
                                       double              height,
                                       const char * const *lines);

G_END_DECLS
