/* lk-outbox-private.h — what lk-outbox.c (the actions, the queue, the push
 * results) and lk-outbox-conflicts.c (the conflicts) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sync/lk-outbox.h"
#include "store/lk-store-private.h"

G_BEGIN_DECLS

/* lk-outbox.c: helpers */
gint64       lk_outbox_now_seconds       (void);
char        *lk_outbox_object_to_string  (JsonObject    *object);
JsonObject  *lk_outbox_object_copy       (JsonObject    *object);
char        *lk_outbox_dup_column        (sqlite3_stmt  *stmt,
                                          int            index);
/* The string a member holds, or NULL (also for null and non-strings). */
const char  *lk_outbox_node_string       (JsonNode      *node);

/* lk-outbox.c: the queue and the local records, for the results */
#define LK_OUTBOX_ENTRY_COLUMNS \
  "seq, id, op, kind, record_id, base, fields, created_at, attempts, last_error"
/* An entry from a row of SELECT LK_OUTBOX_ENTRY_COLUMNS. */
LkOutboxEntry *lk_outbox_entry_from_row  (sqlite3_stmt  *stmt);
/* Writes record (kind's columns) into the local store. */
gboolean     lk_outbox_save_record       (LkStore       *store,
                                          const char    *kind,
                                          JsonObject    *record,
                                          GError       **error);
/* Removes the local record kind/id (none there is no error). */
gboolean     lk_outbox_delete_record     (LkStore       *store,
                                          const char    *kind,
                                          const char    *id,
                                          GError       **error);

/* lk-outbox.c: the actions, inside an open transaction (see lk-outbox.h) */
gboolean     lk_outbox_transition_locked (LkStore       *store,
                                          const char    *case_id,
                                          LkCaseState    to,
                                          const char    *reason,
                                          const char    *letter_sha256,
                                          const char    *actor,
                                          LkRole         role,
                                          char         **out_op_id,
                                          GError       **error);
gboolean     lk_outbox_put_locked        (LkStore       *store,
                                          const char    *kind,
                                          const char    *record_id,
                                          JsonObject    *fields,
                                          const char    *actor,
                                          char         **out_op_id,
                                          GError       **error);
/* Ends the transaction of a locked action: commits when ok, else rolls
 * back everything. */
gboolean     lk_outbox_finish            (LkStore       *store,
                                          gboolean       ok,
                                          GError       **error);

/* lk-outbox-conflicts.c: saves a conflict row for the result (status
 * "conflict" or "rejected") of entry, inside the open transaction of
 * lk_outbox_apply_result(). mine/theirs/code/message may be NULL. */
gboolean     lk_outbox_insert_conflict   (LkStore       *store,
                                          LkOutboxEntry *entry,
                                          const char    *status,
                                          JsonObject    *mine,
                                          JsonObject    *theirs,
                                          const char    *code,
                                          const char    *message,
                                          GError       **error);

G_END_DECLS
