/* lk-pades-appearance.h — the appearance stream of a visible signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "letter/lk-qr.h"
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

/* The largest PNG an appearance takes: pixels per side, and file bytes. */
#define LK_PADES_IMAGE_MAX_SIDE 4096
#define LK_PADES_IMAGE_MAX_FILE (16 * 1024 * 1024)

/* The PNG at PATH as an /Image XObject stream: 8-bit /DeviceRGB,
 * /FlateDecode, colours un-premultiplied. When any pixel is not opaque,
 * *SMASK (else NULL) is its alpha as a /DeviceGray image stream, which the
 * caller writes as an indirect object and refers to from the image's
 * /SMask. *WIDTH and *HEIGHT: its size in pixels. A file larger than
 * LK_PADES_IMAGE_MAX_FILE bytes, wider or taller than
 * LK_PADES_IMAGE_MAX_SIDE pixels, or not a PNG: LK_PADES_ERROR_IMAGE. */
LkPdfObj *lk_pades_appearance_load_png (const char  *path,
                                        LkPdfObj   **smask,
                                        guint       *width,
                                        guint       *height,
                                        GError     **error);

/* As lk_pades_appearance_content, with an IMAGE_WIDTH × IMAGE_HEIGHT pixel
 * image (the resource /Im1) drawn on the left of the box, keeping its
 * aspect ratio, and the text to its right. IMAGE_WIDTH 0: no image. */
GBytes   *lk_pades_appearance_content_with_image (double              width,
                                                  double              height,
                                                  const char * const *lines,
                                                  guint               image_width,
                                                  guint               image_height);

/* As lk_pades_appearance_new, with the image object IMAGE_NUM (an
 * indirect /Image XObject of IMAGE_WIDTH × IMAGE_HEIGHT pixels) as
 * /XObject /Im1 in its resources, drawn as in
 * lk_pades_appearance_content_with_image. */
LkPdfObj *lk_pades_appearance_new_with_image (double              width,
                                              double              height,
                                              const char * const *lines,
                                              guint               image_num,
                                              guint               image_width,
                                              guint               image_height);

/* Issue 6's stamp: as the two above, with QR (nullable) drawn as a square
 * on the right of the box (at most 40 % of its width, as tall as it
 * allows, a quiet zone of 4 modules inside), its dark modules as filled
 * rectangles; the text between the image and the QR code. */
GBytes   *lk_pades_appearance_content_full (double              width,
                                            double              height,
                                            const char * const *lines,
                                            guint               image_width,
                                            guint               image_height,
                                            const LkQr         *qr);
LkPdfObj *lk_pades_appearance_new_full     (double              width,
                                            double              height,
                                            const char * const *lines,
                                            guint               image_num,
                                            guint               image_width,
                                            guint               image_height,
                                            const LkQr         *qr);

G_END_DECLS
