/* lk-server-public-private.h — what the public pages' files share: their
 * limits, multipart bodies, file types by magic bytes, letter ids and the
 * letter status banner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "lk-server-private.h"

G_BEGIN_DECLS

/* POST /verify: one PDF of at most this many bytes; the body may add the
 * multipart framing. */
#define LK_PUBLIC_VERIFY_MAX_FILE   (20 * 1024 * 1024)
#define LK_PUBLIC_VERIFY_MAX_BODY   (LK_PUBLIC_VERIFY_MAX_FILE + 64 * 1024)
#define LK_PUBLIC_VERIFY_MAX_PARTS  4
#define LK_PUBLIC_VERIFY_MAX_RUNNING 4     /* checks at once; more wait (503) */
/* POST /apply/CODE */
#define LK_APPLY_MAX_FILE           (10 * 1024 * 1024)
#define LK_APPLY_MAX_BODY           (30 * 1024 * 1024)
#define LK_APPLY_MAX_PARTS          20
#define LK_APPLY_MAX_FIELD          4096   /* bytes of one text field */
#define LK_APPLY_MAX_CODE           32     /* bytes of a service type code in a URL */
#define LK_APPLY_MAX_PER_ADDRESS    20     /* applications from one address… */
#define LK_APPLY_WINDOW_USEC        (10 * 60 * G_USEC_PER_SEC)  /* …in 10 minutes */
/* /track */
#define LK_TRACK_MAX_RECEIPT        64
#define LK_TRACK_MAX_SECRET         64
#define LK_TRACK_SECRET_LENGTH      12

typedef enum
{
  LK_UPLOAD_OTHER,
  LK_UPLOAD_PDF,
  LK_UPLOAD_PNG,
  LK_UPLOAD_JPEG,
} LkUploadType;

/* The type of DATA by its first bytes (%PDF-, the PNG signature, a JPEG
 * SOI marker), never by a name. */
LkUploadType  lk_public_sniff          (GBytes *data);
const char   *lk_public_upload_mime    (LkUploadType type);
const char   *lk_public_upload_ext     (LkUploadType type);

/* The request body of MSG as multipart/form-data with at most MAX_PARTS
 * parts, or NULL when it is not one (answer 400). */
SoupMultipart *lk_public_parse_multipart (SoupServerMessage *msg,
                                          int                max_parts,
                                          gboolean          *too_many_parts);
/* The form-data name (and filename, NULL when the part is no file) of a
 * part; FALSE when its Content-Disposition is not form-data with a name. */
gboolean      lk_public_part_name      (SoupMessageHeaders *headers,
                                        char              **name,
                                        char              **filename);

/* LK_LETTER_ID_LENGTH characters of [a-z2-7]. */
gboolean      lk_public_letter_id_ok   (const char *id);

/* The unmistakable status banner of a letter (status "valid", "revoked",
 * "superseded", anything else shown as unknown). NEWER_ID / NEWER_NUMBER
 * (nullable): the letter that supersedes it. */
void          lk_public_append_status  (GString    *html,
                                        const char *status,
                                        const char *reason,
                                        gint64      status_at,
                                        const char *newer_id,
                                        const char *newer_number);

/* lk-server-public-verify.c: GET and POST /verify */
void          lk_server_handle_verify  (LkServer          *self,
                                        SoupServerMessage *msg);

/* lk-server-apply-submit.c: POST /apply/CODE */
void          lk_server_apply_submit   (LkServer          *self,
                                        SoupServerMessage *msg,
                                        const char        *code);

/* lk-server-apply.c: the form of a service type, refilled with VALUES
 * (field name → text; nullable) and PROBLEMS (pairs of Indonesian and
 * English sentences; nullable), answered with STATUS. FALSE when CODE
 * names no service type (nothing answered). */
gboolean      lk_server_apply_respond_form (LkServer          *self,
                                            SoupServerMessage *msg,
                                            const char        *code,
                                            guint              status,
                                            GHashTable        *values,
                                            GPtrArray         *problems,
                                            GError           **error);

/* A service type's public facts, from its code. */
typedef struct
{
  char      *id;
  char      *code;
  char      *name;
  gint64     sla_days;
  gboolean   needs_business;
  GPtrArray *requirements;   /* char * */
} LkApplyService;

void            lk_apply_service_free  (LkApplyService *service);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkApplyService, lk_apply_service_free)
/* NULL without error when there is no such service type. */
/* A service type code as it may appear in a URL (letters, digits, '-', '_',
 * at most LK_APPLY_MAX_CODE bytes). */
gboolean        lk_apply_code_ok       (const char  *code);
LkApplyService *lk_apply_service_load  (LkServer    *self,
                                        const char  *code,
                                        GError     **error);

G_END_DECLS
