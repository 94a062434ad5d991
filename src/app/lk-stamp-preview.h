/* lk-stamp-preview.h — what the visible signature stamp of a letter shows:
 * the image and the lines lk-pades.c draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_STAMP_PREVIEW (lk_stamp_preview_get_type ())
G_DECLARE_FINAL_TYPE (LkStampPreview, lk_stamp_preview, LK, STAMP_PREVIEW, GtkWidget)

GtkWidget    *lk_stamp_preview_new          (void);
/* The reason ("" or NULL: the default, lk_app_default_signature_reason()),
 * the location ("" or NULL: no line), the image (NULL: none). */
void          lk_stamp_preview_set_reason   (LkStampPreview *self,
                                             const char     *reason);
const char   *lk_stamp_preview_get_reason   (LkStampPreview *self);
void          lk_stamp_preview_set_location (LkStampPreview *self,
                                             const char     *location);
const char   *lk_stamp_preview_get_location (LkStampPreview *self);
void          lk_stamp_preview_set_image    (LkStampPreview *self,
                                             GdkPaintable   *image);
GdkPaintable *lk_stamp_preview_get_image    (LkStampPreview *self);
/* The lines shown, one per line ("Signed by …\nDate: …\nReason: …"). */
char         *lk_stamp_preview_dup_text     (LkStampPreview *self);

G_END_DECLS
