/* lk-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-model-private.h"

G_DEFINE_FINAL_TYPE (LkDocument, lk_document, G_TYPE_OBJECT)

static void
lk_document_finalize (GObject *object)
{
  LkDocument *self = (LkDocument *) object;

  g_free (self->id);
  g_free (self->case_id);
  g_free (self->name);
  g_free (self->mime_type);
  g_free (self->sha256);

  G_OBJECT_CLASS (lk_document_parent_class)->finalize (object);
}

static void
lk_document_class_init (LkDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_document_finalize;
}

static void
lk_document_init (LkDocument *self)
{
}

#define GETTER(type, field) \
  type lk_document_get_##field (LkDocument *self) \
  { \
    g_return_val_if_fail (LK_IS_DOCUMENT (self), (type) 0); \
    return self->field; \
  }

GETTER (const char *, id)
GETTER (const char *, case_id)
GETTER (const char *, name)
GETTER (const char *, mime_type)
GETTER (gint64, size)
GETTER (const char *, sha256)
GETTER (int, position)
