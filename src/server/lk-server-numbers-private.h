/* lk-server-numbers-private.h — what the numbering files share
 * (lk-server-numbers.c: allocation, blocks and the router;
 * lk-server-numbers-claims.c: claims, voids, returns, use;
 * lk-server-numbers-register.c: the register)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "lk-server-private.h"

G_BEGIN_DECLS

#define MAX_ID            256     /* bytes of a case, unit or service type id */
#define MAX_CLAIMS        500     /* claims in one request */
#define MIN_YEAR          2000
#define MAX_YEAR          9999

/* Why a request is refused: status, code and an English message. */
typedef struct
{
  guint  status;
  char  *code;
  char  *message;
} LkServerNumbersRefusal;

/* Sets *refusal; FALSE, for `return lk_server_numbers_refuse (…)`. */
gboolean lk_server_numbers_refuse        (LkServerNumbersRefusal *refusal,
                                          guint                   status,
                                          const char             *code,
                                          const char             *format,
                                          ...) G_GNUC_PRINTF (4, 5);
void     lk_server_numbers_refusal_clear (LkServerNumbersRefusal *refusal);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkServerNumbersRefusal, lk_server_numbers_refusal_clear)
/* Non-empty UTF-8 of at most max bytes. */
static inline gboolean
lk_server_numbers_is_text (const char *text,
                           gsize       max)
{
  return text != NULL && *text != '\0' && strlen (text) <= max && g_utf8_validate (text, -1, NULL);
}

/* A request's work inside its BEGIN IMMEDIATE transaction: TRUE with the
 * answer in *out_root (committed), FALSE with *refusal or error (rolled
 * back). */
typedef gboolean (*LkServerNumbersWork) (LkServer                *self,
                                         LkServerUser            *user,
                                         JsonObject              *body,
                                         gint64                   now,
                                         JsonNode               **out_root,
                                         LkServerNumbersRefusal  *refusal,
                                         GError                 **error);

/* lk-server-numbers-claims.c: POST /numbers/claim, /numbers/void,
 * /number-blocks/ID/return (body: {"block_id"}) */
gboolean lk_server_numbers_claim        (LkServer *self, LkServerUser *user, JsonObject *body, gint64 now,
                                         JsonNode **out_root, LkServerNumbersRefusal *refusal, GError **error);
gboolean lk_server_numbers_void         (LkServer *self, LkServerUser *user, JsonObject *body, gint64 now,
                                         JsonNode **out_root, LkServerNumbersRefusal *refusal, GError **error);
gboolean lk_server_numbers_return_block (LkServer *self, LkServerUser *user, JsonObject *body, gint64 now,
                                         JsonNode **out_root, LkServerNumbersRefusal *refusal, GError **error);
/* lk-server-numbers-register.c: GET /numbers (answers msg) */
void     lk_server_numbers_list         (LkServer          *self,
                                         SoupServerMessage *msg,
                                         LkServerUser      *user,
                                         GHashTable        *query);

G_END_DECLS
