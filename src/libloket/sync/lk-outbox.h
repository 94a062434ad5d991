/* lk-outbox.h — the desk's local operations: applied to the local store at
 * once, queued durably, pushed later in order; and the conflicts and
 * rejections they met, kept until the user resolves them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-case-state.h"
#include "store/lk-store.h"

G_BEGIN_DECLS

#define LK_OUTBOX_ERROR (lk_outbox_error_quark ())
GQuark lk_outbox_error_quark (void);

typedef enum
{
  LK_OUTBOX_ERROR_NOT_FOUND,          /* no such case, record or conflict locally */
  LK_OUTBOX_ERROR_ILLEGAL_TRANSITION, /* the lifecycle does not allow it for this role */
  LK_OUTBOX_ERROR_REASON_REQUIRED,
  LK_OUTBOX_ERROR_INVALID,            /* a field failed validation */
} LkOutboxError;

/* Limits of what the desk may queue. */
#define LK_OUTBOX_MAX_NOTE      16384   /* bytes of a note */
#define LK_OUTBOX_MAX_REASON     4096   /* bytes of a reason */

/* The operations (docs/api-v1.md, "Operations"). Each call validates, applies
 * the change to the local store and appends the operation to the outbox in
 * one transaction: after a crash either both are there or neither. The base
 * version is the local record's version (local records are kept at the
 * version the server will give them once the queued operations apply).
 * actor/role: the signed-in user's name and role, for the local history and
 * for refusing what the server would refuse. out_op_id (nullable) receives
 * the operation's UUID. */
gboolean   lk_outbox_transition      (LkStore      *store,
                                      const char   *case_id,
                                      LkCaseState   to,
                                      const char   *reason,
                                      const char   *letter_sha256,  /* only for signed */
                                      const char   *actor,
                                      LkRole        role,
                                      char        **out_op_id,
                                      GError      **error);
/* A new note; out_note_id (nullable) receives its id. */
gboolean   lk_outbox_add_note        (LkStore      *store,
                                      const char   *case_id,
                                      const char   *text,
                                      const char   *actor,
                                      char        **out_note_id,
                                      GError      **error);
gboolean   lk_outbox_set_checklist   (LkStore      *store,
                                      const char   *case_id,
                                      guint         item,
                                      LkCheckStatus status,
                                      const char   *reason,
                                      const char   *document_id,
                                      const char   *actor,
                                      GError      **error);
/* A generic edit: fields holds only the changed members of the record of
 * kind/record_id (created when base is 0 and record_id is new). */
gboolean   lk_outbox_put             (LkStore      *store,
                                      const char   *kind,
                                      const char   *record_id,
                                      JsonObject   *fields,
                                      char        **out_op_id,
                                      GError      **error);

/* One queued operation, oldest first. */
typedef struct
{
  gint64  seq;
  char   *id;
  char   *op;          /* "put" or "transition" */
  char   *kind;
  char   *record_id;
  gint64  base;
  char   *fields;      /* JSON object text */
  gint64  created_at;
  guint   attempts;
  char   *last_error;  /* why the last push of it failed, or NULL */
} LkOutboxEntry;

void       lk_outbox_entry_free      (LkOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkOutboxEntry, lk_outbox_entry_free)

GPtrArray *lk_outbox_list            (LkStore      *store,
                                      guint         limit,      /* 0: all */
                                      GError      **error);
gint64     lk_outbox_count           (LkStore      *store);
/* Whether an operation on record_id is waiting (the pull keeps such records
 * as they are locally; the push result brings the server's copy). */
gboolean   lk_outbox_has_pending     (LkStore      *store,
                                      const char   *record_id);

typedef enum
{
  LK_CONFLICT_STATUS_CONFLICT,   /* the record changed on the server meanwhile */
  LK_CONFLICT_STATUS_REJECTED,   /* the server refused the operation */
} LkConflictStatus;

typedef struct
{
  char             *id;          /* the operation's UUID */
  LkConflictStatus  status;
  char             *op;
  char             *kind;
  char             *record_id;
  gint64            base;
  JsonObject       *fields;      /* the operation's change */
  JsonObject       *mine;        /* the local record with the change, or NULL */
  JsonObject       *theirs;      /* the server's record, or NULL when gone or hidden */
  char             *code;        /* rejection code, or NULL */
  char             *message;     /* the server's reason, or NULL */
  gint64            created_at;
  gint64            resolved_at; /* 0 while open */
} LkConflict;

void       lk_conflict_free          (LkConflict   *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkConflict, lk_conflict_free)

/* Newest first. */
GPtrArray *lk_outbox_list_conflicts  (LkStore      *store,
                                      gboolean      include_resolved,
                                      GError      **error);
gint64     lk_outbox_count_conflicts (LkStore      *store);   /* open ones */
/* Resolves a conflict field by field. choices maps a field name of the
 * operation to TRUE (keep mine) or FALSE (take theirs); fields not named are
 * theirs. Keeping any of mine queues a new operation based on the server's
 * version (a transition kept as mine is queued again from the server's
 * state, if the lifecycle allows it, else LK_OUTBOX_ERROR_ILLEGAL_TRANSITION).
 * The conflict is marked resolved. actor/role as above. */
gboolean   lk_outbox_resolve_conflict (LkStore     *store,
                                       const char  *conflict_id,
                                       GHashTable  *keep_mine,   /* field → GINT_TO_POINTER (gboolean) */
                                       const char  *actor,
                                       LkRole       role,
                                       GError     **error);

/* ---- for the push (lk-sync-push.c) ---- */

/* Records the server's answer to the operation id in one transaction:
 * applied → the record is written as the server returned it and the
 * operation leaves the outbox; conflict/rejected → the same, plus a
 * conflict row keeping mine (the local record before) and theirs; a
 * rejected create is removed locally (its local history row, for a
 * transition, too). result is one member of the "results" array. */
gboolean   lk_outbox_apply_result    (LkStore      *store,
                                      JsonObject   *result,
                                      GError      **error);
/* Moves the queued operation entry, which the server refused to read even
 * on its own (a 400 for a batch of one: a damaged or too new operation),
 * to the conflicts as rejected with code and message, so the operations
 * after it can go. The local record keeps the change; the user sees why
 * and may queue it again or dismiss it. */
gboolean   lk_outbox_park            (LkStore       *store,
                                      LkOutboxEntry *entry,
                                      const char    *code,
                                      const char    *message,
                                      GError       **error);
/* Notes a failed attempt (a network error) on the first count entries. */
gboolean   lk_outbox_note_attempt    (LkStore      *store,
                                      gint64        up_to_seq,
                                      const char   *error_message,
                                      GError      **error);

G_END_DECLS
