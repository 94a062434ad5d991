/* lk-server-ops-private.h — what the files of POST /ops share: the
 * operation being applied (lk-server-ops.c), its results (lk-server-op.c),
 * the signed letter of a move to signed (lk-server-ops-letter.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-server-private.h"

G_BEGIN_DECLS

/* One operation being applied. Functions that meet an SQL failure set
 * error and return NULL (or FALSE); the batch then fails as a whole. */
typedef struct
{
  LkServer     *server;
  LkStore      *store;
  LkServerUser *user;
  gint64        now;
  const char   *id;
  const char   *op;
  const char   *kind;
  const char   *record;
  gint64        base;
  JsonObject   *fields;
  GError       *error;
} LkServerOp;

/* lk-server-op.c: results */

/* A result object with the op's id and status. */
JsonObject *lk_server_op_new_result   (LkServerOp  *op,
                                       const char  *status);
/* A "conflict" result carrying record (taken), the server's version. */
JsonObject *lk_server_op_conflict     (LkServerOp  *op,
                                       JsonObject  *record);
/* The record kind/id, or NULL when there is none (op->error set on an SQL
 * failure). */
JsonObject *lk_server_op_load_record  (LkServerOp  *op,
                                       const char  *kind,
                                       const char  *id);
/* An "applied" result with the record kind/id as written, or NULL with
 * op->error. */
JsonObject *lk_server_op_applied      (LkServerOp  *op,
                                       const char  *kind,
                                       const char  *id);
/* A "rejected" result with code and the English message; record
 * (nullable, taken) is the server's record, when the user may see it. */
JsonObject *lk_server_op_reject       (LkServerOp  *op,
                                       const char  *code,
                                       JsonObject  *record,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (4, 5);
/* Writes record through lk_store_upsert_json; a failed validation becomes
 * *rejection ("invalid", with current, the record as it was, taken when
 * given), an SQL failure op->error. FALSE either way. */
gboolean    lk_server_op_save         (LkServerOp  *op,
                                       const char  *kind,
                                       JsonObject  *record,
                                       JsonObject  *current,
                                       JsonObject **rejection);

/* lk-server-ops-kinds.c: applies one operation (its fields checked
 * against what its kind may write) inside the open savepoint; the result
 * object, or NULL with op->error. */
JsonObject *lk_server_op_dispatch     (LkServerOp  *op);

/* lk-server-ops-letter.c */

/* Whether the blob LETTER (64 hex digits) is a PDF whose last signature
 * holds, chains to a trust anchor of the server, covers the whole file,
 * and whose signer certificate is registered to the user: TRUE with
 * *out_size, the letter's size; else FALSE with *rejection (blob_missing,
 * signature_invalid, certificate_unknown; the case kase attached) or
 * op->error. */
gboolean    lk_server_op_check_letter (LkServerOp  *op,
                                       JsonObject  *kase,
                                       const char  *letter,
                                       gint64      *out_size,
                                       JsonObject **rejection);
/* Adds the checked letter as a document of the case kase, after its last
 * one. FALSE with *rejection or op->error. */
gboolean    lk_server_op_add_letter   (LkServerOp  *op,
                                       JsonObject  *kase,
                                       const char  *letter,
                                       gint64       size,
                                       JsonObject **rejection);

/* Registers the checked letter (after lk_server_op_add_letter): reads its
 * letter information (lk_letter_read_info), marks its number used
 * (lk_server_numbers_use), inserts its letters row (status valid),
 * supersedes the case's other valid letters and queues its mail. FALSE
 * with *rejection (invalid: no letter information, a bad id, a letter
 * registered before; number_unusable: the number's problem) or op->error. */
gboolean    lk_server_op_register_letter (LkServerOp  *op,
                                          JsonObject  *kase,
                                          const char  *letter,
                                          JsonObject **rejection);

/* lk-server-ops-template.c: put template (admin): the body must parse
 * with lk_letter_template_parse; each accepted put raises the version and
 * keeps the body in template_history. */
JsonObject *lk_server_op_put_template   (LkServerOp  *op);

G_END_DECLS
