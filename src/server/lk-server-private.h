/* lk-server-private.h — what the server's handler files share: the server's
 * state, the signed-in user, responses and request parsing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lk-case-state.h"
#include "store/lk-store-private.h"
#include "lk-server.h"
#include "lk-server-auth.h"
#include "lk-server-mail.h"

G_BEGIN_DECLS

#define LK_API_PREFIX             "/api/v1"
#define LK_SERVER_MAX_USERNAME    64
#define LK_SERVER_MAX_JSON_DEPTH  16

struct _LkServer
{
  GObject     parent_instance;

  LkStore    *store;
  SoupServer *soup;
  LkThrottle *throttle;
  char       *dummy_hash;   /* verified for unknown users, to take the same time */
  gboolean    tls;
  GPtrArray  *trust_files;  /* char *: absolute PEM paths, NULL-terminated */
  char       *public_url;   /* lk_server_set_public_url; NULL: the listening URL */
  struct _LkServerMail *mail;  /* lk-server-mail.c; NULL until lk_server_set_mail */
};

/* The trust files of lk_server_add_trust_file, NULL-terminated. */
#define LK_SERVER_TRUST_FILES(server) ((const char * const *) (server)->trust_files->pdata)

/* The user of a request's session. */
typedef struct
{
  char      *id;
  char      *username;
  char      *display_name;
  LkRole     role;
  GPtrArray *units;         /* char *: unit ids, sorted */
} LkServerUser;

void          lk_server_user_free        (LkServerUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkServerUser, lk_server_user_free)
gboolean      lk_server_user_has_unit    (LkServerUser *user,
                                          const char   *unit);
/* column: "id" or "username". LK_STORE_ERROR_NOT_FOUND when there is none. */
LkServerUser *lk_server_load_user        (LkServer     *self,
                                          const char   *column,
                                          const char   *value,
                                          GError      **error);
/* The session's user, or NULL after answering 401 (or 500). */
LkServerUser *lk_server_authenticate     (LkServer          *self,
                                          SoupServerMessage *msg);

/* Responses. respond_error's message is English, for people; code is the
 * stable code of docs/api-v1.md. */
void          lk_server_respond_json     (SoupServerMessage *msg,
                                          guint              status,
                                          JsonNode          *root);
void          lk_server_respond_error    (SoupServerMessage *msg,
                                          guint              status,
                                          const char        *code,
                                          const char        *message);
/* 500, logging error (never request data). */
void          lk_server_respond_internal (SoupServerMessage *msg,
                                          const GError      *error);

/* The request body as a JSON object (depth ≤ LK_SERVER_MAX_JSON_DEPTH,
 * valid UTF-8, within the endpoint's limit), or NULL after answering
 * 400 bad_request with the sentence expected. */
JsonNode     *lk_server_parse_body       (SoupServerMessage *msg,
                                          const char        *expected);
/* The body limit of the message's API endpoint (docs/api-v1.md, "Limits");
 * a public page's is lk_server_public_body_limit's. */
gsize         lk_server_body_limit       (SoupServerMessage *msg);

gboolean      lk_server_parse_uint64     (const char   *text,
                                          guint64       max,
                                          guint64      *out);
gboolean      lk_server_is_sha256_hex    (const char   *text);
/* A lower-case UUID (8-4-4-4-12 hex digits). */
#define LK_UUID_LENGTH 36
gboolean      lk_server_is_uuid          (const char   *text);
char         *lk_server_column_dup       (sqlite3_stmt *stmt,
                                          int           col);
/* The first row SQL gives with ?1 bound to KEY: each OUT (char **, the list
 * NULL-terminated) receives its column as a new string, NULL for an SQL
 * NULL or when there is no row; *found (nullable) says whether there was
 * one. FALSE with ERROR, naming WHAT, when the store failed. */
gboolean      lk_server_query_row        (LkServer     *self,
                                          const char   *sql,
                                          const char   *key,
                                          const char   *what,
                                          gboolean     *found,
                                          GError      **error,
                                          char        **first,
                                          ...) G_GNUC_NULL_TERMINATED;

/* *out is the string member, or NULL when absent; FALSE when the member
 * is there but not a string. */
gboolean      lk_server_get_string_member (JsonObject    *object,
                                           const char    *name,
                                           const char   **out);
/* Steps stmt, which must end without a row, and resets it; what names the
 * step in the error. */
gboolean      lk_server_step_done        (LkServer      *self,
                                          sqlite3_stmt  *stmt,
                                          const char    *what,
                                          GError       **error);

/* Handlers, each in its own file. */
/* lk-server-session.c: POST and DELETE /session */
void          lk_server_handle_session_post   (LkServer          *self,
                                               SoupServerMessage *msg);
void          lk_server_handle_session_delete (LkServer          *self,
                                               SoupServerMessage *msg);
/* lk-server-changes.c: GET /changes */
void          lk_server_handle_changes   (LkServer          *self,
                                          SoupServerMessage *msg,
                                          GHashTable        *query);
/* lk-server-ops.c: POST /ops */
void          lk_server_handle_ops       (LkServer          *self,
                                          SoupServerMessage *msg);
/* The work of POST /ops after sign-in: applies the batch body (len bytes,
 * the request body as received) as user at now (Unix seconds), in one
 * transaction. SOUP_STATUS_OK with *out_results the answer's JSON text
 * ({"results": [...]}); SOUP_STATUS_BAD_REQUEST when the body is not a
 * batch of docs/api-v1.md (nothing changed); SOUP_STATUS_INTERNAL_SERVER_ERROR
 * with error set when the store failed (the batch rolled back). */
guint         lk_server_apply_ops        (LkServer          *self,
                                          LkServerUser      *user,
                                          const char        *body,
                                          gsize              len,
                                          gint64             now,
                                          GBytes           **out_results,
                                          GError           **error);
/* lk-server-blobs.c: GET|HEAD /blobs/SHA, PUT /blobs/SHA, GET /uploads/SHA */
typedef enum
{
  LK_SERVER_RANGE_OK,
  LK_SERVER_RANGE_INVALID,          /* 400: not a range covering the body */
  LK_SERVER_RANGE_CHUNK_TOO_LARGE,  /* 413: a body over LK_SERVER_MAX_CHUNK */
  LK_SERVER_RANGE_BLOB_TOO_LARGE,   /* 413: a TOTAL over LK_SERVER_MAX_BLOB */
} LkServerRange;
/* The chunk a PUT /blobs body of len bytes is, from its Content-Range
 * header (nullable: the whole blob in one body), which must be exactly
 * "bytes START-END/TOTAL" with at most 19 digits a number. With
 * LK_SERVER_RANGE_OK: 0 ≤ start, end = start + len - 1, and with a header
 * start ≤ end < total, without one start = 0 and total = len; always
 * total ≤ LK_SERVER_MAX_BLOB and len ≤ LK_SERVER_MAX_CHUNK. */
LkServerRange lk_server_parse_content_range (const char *header,
                                             gsize       len,
                                             goffset    *out_start,
                                             goffset    *out_end,
                                             goffset    *out_total);
void          lk_server_handle_blob_get  (LkServer          *self,
                                          SoupServerMessage *msg,
                                          const char        *sha256);
void          lk_server_handle_blob_put  (LkServer          *self,
                                          SoupServerMessage *msg,
                                          const char        *sha256);
void          lk_server_handle_upload_status (LkServer          *self,
                                              SoupServerMessage *msg,
                                              const char        *sha256);
/* lk-server-users.c: /users, /users/NAME, /users/NAME/certificates (rest is
 * what follows "/users", maybe ""), and POST /session/password */
void          lk_server_handle_users     (LkServer          *self,
                                          SoupServerMessage *msg,
                                          const char        *rest);
void          lk_server_handle_password  (LkServer          *self,
                                          SoupServerMessage *msg);

/* Issue 6 */
/* lk-server-numbers.c: /numbers, /numbers/claim, /numbers/void,
 * /number-blocks[/ID/return] (rest is the path after /api/v1) */
void          lk_server_handle_numbers   (LkServer          *self,
                                          SoupServerMessage *msg,
                                          const char        *rest,
                                          GHashTable        *query);
/* Marks NUMBER used by LETTER_ID of CASE_ID, signed by USER_ID, in the
 * caller's transaction: it must have been issued for that case, or be in
 * a block granted to that user and not used by another letter. FALSE with
 * *problem (an English sentence for the op's rejection) when it may not
 * be used; FALSE with error set when the store failed. */
gboolean      lk_server_numbers_use      (LkServer          *self,
                                          const char        *number,
                                          const char        *case_id,
                                          const char        *letter_id,
                                          const char        *user_id,
                                          gint64             now,
                                          char             **problem,
                                          GError           **error);
/* lk-server-letters.c: GET /letters/ID, POST /letters/ID/revoke,
 * POST /letters/ID/resend (rest is what follows "/letters") */
void          lk_server_handle_letters   (LkServer          *self,
                                          SoupServerMessage *msg,
                                          const char        *rest,
                                          GHashTable        *query);
/* lk-server-public.c: every path outside /api/v1 (404 page otherwise) */
void          lk_server_handle_public    (LkServer          *self,
                                          SoupServerMessage *msg,
                                          const char        *path,
                                          GHashTable        *query);
/* The body limit of a public endpoint, or 0 when PATH is not one. */
gsize         lk_server_public_body_limit (const char       *method,
                                           const char       *path);
/* lk-server-apply.c: GET|POST /apply[/CODE], GET /track */
void          lk_server_handle_apply     (LkServer          *self,
                                          SoupServerMessage *msg,
                                          const char        *path,
                                          GHashTable        *query);
void          lk_server_handle_track     (LkServer          *self,
                                          SoupServerMessage *msg,
                                          GHashTable        *query);
/* lk-server-mail.c: frees self->mail (finalize) */
void          lk_server_mail_free        (LkServer          *self);

G_END_DECLS
