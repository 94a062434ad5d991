/* lk-test-signed.h — signed letters for the numbering and register tests:
 * drafted with the letter engine from the server's own records, signed
 * with a SoftHSM2 key, uploaded and moved to signed through POST /ops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sign/lk-token-key.h"
#include "store/lk-store.h"

G_BEGIN_DECLS

/* Drafts CASE_ID's letter with the built-in template of its service type
 * (read from DB, the server's database), NUMBER and LETTER_ID (NULL: a new
 * id), signs it with KEY on the stamp the draft marks, and returns the
 * signed PDF's path (in DIR). *out_letter_id (nullable) is the id used. */
char       *lk_test_signed_letter  (LkStore     *db,
                                    const char  *case_id,
                                    const char  *number,
                                    const char  *letter_id,
                                    LkTokenKey  *key,
                                    const char  *dir,
                                    char       **out_letter_id);
/* PUT /blobs/SHA of the file at PATH as TOKEN's user (201 or 200
 * asserted); its SHA-256. */
char       *lk_test_upload         (const char  *url,
                                    const char  *token,
                                    const char  *path);
/* One operation (fields taken) POSTed to /ops as TOKEN's user; its result. */
JsonObject *lk_test_post_op        (const char  *url,
                                    const char  *token,
                                    const char  *op,
                                    const char  *kind,
                                    const char  *record,
                                    gint64       base,
                                    JsonObject  *fields);
/* The transition of CASE_ID (moved to awaiting_signature behind the
 * server's back in DB first) to signed with the blob SHA256, as TOKEN's
 * user; its result. */
JsonObject *lk_test_sign_case      (LkStore     *db,
                                    const char  *url,
                                    const char  *token,
                                    const char  *case_id,
                                    const char  *sha256);
/* Registers the PEM certificate file CERT_PEM to USERNAME (201 or 200
 * asserted) with the admin's TOKEN. */
void        lk_test_register_cert  (const char  *url,
                                    const char  *admin_token,
                                    const char  *username,
                                    const char  *cert_pem);
/* OBJECT as JSON text. */
char       *lk_test_json_text      (JsonObject  *object);

/* The database: one integer or text of SQL with ?1 (and ?2) bound. */
gint64      lk_test_db_int         (LkStore     *db,
                                    const char  *sql,
                                    const char  *arg1,
                                    const char  *arg2);
char       *lk_test_db_text        (LkStore     *db,
                                    const char  *sql,
                                    const char  *arg1,
                                    const char  *arg2);
void        lk_test_db_run         (LkStore     *db,
                                    const char  *sql,
                                    const char  *arg1,
                                    const char  *arg2);

G_END_DECLS
