/* lk-server-mail-private.h — what the files of delivery share: the texts
 * of the mails (lk-server-mail-text.c), the MIME message and the SMTP
 * workers (lk-server-mail-smtp.c), the queue (lk-server-mail.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lk-server-mail.h"

G_BEGIN_DECLS

/* Limits of what goes into one mail. */
#define LK_MAIL_MAX_ATTACHMENT   (64 * 1024 * 1024)   /* = LK_SERVER_MAX_BLOB */
#define LK_MAIL_MAX_REPLY        512                  /* bytes of the server's reply kept */
#define LK_MAIL_IN_FLIGHT        (LK_MAIL_WORKERS * 4) /* messages handed to workers at once… */
#define LK_MAIL_IN_FLIGHT_BYTES  (128 * 1024 * 1024)   /* …and their attachments' bytes (but one always goes) */

/* lk-server-mail-text.c: the mails, Indonesian then English. */

typedef struct
{
  const char *applicant_name;
  const char *receipt;
  const char *number;
  const char *subject;       /* the letter's */
  const char *unit_name;     /* nullable */
  const char *verify_url;
} LkMailLetterInfo;

void   lk_mail_compose_letter  (const LkMailLetterInfo *info,
                                char                  **out_subject,
                                char                  **out_body);
void   lk_mail_compose_receipt (const char             *applicant_name,
                                const char             *receipt,
                                const char             *secret,
                                const char             *track_url,
                                char                  **out_subject,
                                char                  **out_body);
/* "503-0112-DPMPTSP-2026.pdf" of "503/0112/DPMPTSP/2026". */
char  *lk_mail_attachment_name (const char             *number);
/* Whether ADDRESS may go into an SMTP envelope and a To: header: ASCII
 * printable, one '@', no spaces, no <>, () or quotes, ≤ 254 bytes. */
gboolean lk_mail_address_ok    (const char             *address);

/* lk-server-mail-queue.c */

/* The server's public URL, or "http://localhost" before it has one. */
const char *lk_mail_public_url          (LkServer    *server);
/* The letter's delivery columns (DELIVERY_ERROR nullable, DELIVERED_AT 0:
 * none), its version bumped so that the change feed carries it. */
gboolean    lk_mail_set_letter_delivery (LkServer    *server,
                                         const char  *letter_id,
                                         const char  *state,
                                         const char  *delivery_error,
                                         gint64       delivered_at,
                                         GError     **error);

/* lk-server-mail-smtp.c: the message and the workers. */

/* The RFC 5322 message (CRLF lines): multipart/mixed with a
 * quoted-printable UTF-8 text part and the base64 attachment (76-char
 * lines) when ATTACHMENT is not NULL, else text/plain alone. The subject
 * is RFC 2047 encoded. NOW: Unix seconds, for Date:. */
GBytes *lk_mail_build_message (const char *from,
                               const char *to,
                               const char *subject,
                               const char *body,
                               GBytes     *attachment,
                               const char *attachment_name,
                               gint64      now);

typedef enum
{
  LK_MAIL_RESULT_DELIVERED,
  LK_MAIL_RESULT_TRANSIENT,    /* try again later */
  LK_MAIL_RESULT_PERMANENT,    /* the server refused for good (5xx) */
} LkMailResult;

typedef struct
{
  gint64        id;           /* mail_queue.id */
  char         *from;
  char         *to;
  char         *subject;
  char         *body;
  GBytes       *attachment;   /* nullable */
  char         *attachment_name;
  gint64        now;
  guint64       size;         /* the attachment's bytes, counted in flight */
  gboolean      withdrawn;    /* its letter is no longer valid: not sent */
  /* filled by the worker */
  LkMailResult  result;
  char         *error;        /* a sentence for people, NULL on delivery */
} LkMailJob;

void      lk_mail_job_free (LkMailJob *job);

typedef struct
{
  char     *url;
  char     *username;
  char     *password;
  char     *ca_file;
  gboolean  require_tls;
} LkMailSmtpConfig;

typedef struct _LkMailWorkers LkMailWorkers;
/* Called in a worker thread with a finished job (owned by the callee). */
typedef void (*LkMailDoneFunc) (LkMailJob *job,
                                gpointer   user_data);

/* N threads, each with one persistent SMTP connection (a CURL easy
 * handle). CONFIG must outlive the workers. */
LkMailWorkers *lk_mail_workers_new  (const LkMailSmtpConfig *config,
                                     guint                   n_threads,
                                     LkMailDoneFunc          done,
                                     gpointer                user_data);
void           lk_mail_workers_push (LkMailWorkers          *workers,
                                     LkMailJob              *job);
/* Lets each thread finish its current message, hands the jobs not
 * started to done as transient without an error (not tried), joins the
 * threads. */
void           lk_mail_workers_free (LkMailWorkers          *workers);

G_END_DECLS
