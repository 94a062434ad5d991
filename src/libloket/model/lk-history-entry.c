/* lk-history-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-model-private.h"

G_DEFINE_FINAL_TYPE (LkHistoryEntry, lk_history_entry, G_TYPE_OBJECT)

static void
lk_history_entry_finalize (GObject *object)
{
  LkHistoryEntry *self = (LkHistoryEntry *) object;

  g_free (self->id);
  g_free (self->case_id);
  g_free (self->actor);
  g_free (self->reason);

  G_OBJECT_CLASS (lk_history_entry_parent_class)->finalize (object);
}

static void
lk_history_entry_class_init (LkHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_history_entry_finalize;
}

static void
lk_history_entry_init (LkHistoryEntry *self)
{
  self->from_state = LK_CASE_STATE_INVALID;
  self->to_state = LK_CASE_STATE_INVALID;
}

#define GETTER(type, field) \
  type lk_history_entry_get_##field (LkHistoryEntry *self) \
  { \
    g_return_val_if_fail (LK_IS_HISTORY_ENTRY (self), (type) 0); \
    return self->field; \
  }

GETTER (const char *, id)
GETTER (const char *, case_id)
GETTER (LkCaseState, from_state)
GETTER (LkCaseState, to_state)
GETTER (const char *, actor)
GETTER (gint64, at)
GETTER (const char *, reason)
