/* lk-document.h — a file attached to a case; its bytes live in the blob cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LK_TYPE_DOCUMENT (lk_document_get_type ())
G_DECLARE_FINAL_TYPE (LkDocument, lk_document, LK, DOCUMENT, GObject)

const char *lk_document_get_id        (LkDocument *self);
const char *lk_document_get_case_id   (LkDocument *self);
const char *lk_document_get_name      (LkDocument *self);
const char *lk_document_get_mime_type (LkDocument *self);
gint64      lk_document_get_size      (LkDocument *self);
/* Lower-case hex SHA-256 of the content: the blob's address. */
const char *lk_document_get_sha256    (LkDocument *self);
int         lk_document_get_position  (LkDocument *self);

G_END_DECLS
