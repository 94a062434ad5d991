/* lk-server-mail.h — delivery: a durable queue of mail in the server's
 * store, sent over SMTP with libcurl (STARTTLS, TLS, authentication) by
 * worker threads, with retries and backoff
 *
 * The store is only used from the main loop's thread: a dispatcher there
 * takes due rows, hands each to a worker (one persistent SMTP connection
 * per worker), and writes the result. A letter's delivery is mirrored on
 * its letters row (delivery_state, delivery_error, delivered_at: synced to
 * the desks) and moves the case from signed to delivered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-server.h"

G_BEGIN_DECLS

#define LK_MAIL_MAX_ATTEMPTS     8      /* then failed */
#define LK_MAIL_DEFAULT_RETRY    60     /* seconds before the first retry; doubles */
#define LK_MAIL_MAX_RETRY        3600   /* the longest wait between tries */
#define LK_MAIL_TIMEOUT          60     /* seconds for one SMTP transaction */
#define LK_MAIL_WORKERS          4

typedef struct
{
  const char *url;             /* smtp://HOST:PORT (STARTTLS when offered…), smtps:// (TLS) */
  const char *username;        /* nullable */
  const char *password;        /* nullable; copied, wiped on free */
  const char *from;            /* the sender address; NULL: loket@HOST of public_url */
  gboolean    require_tls;     /* smtp:// must upgrade with STARTTLS */
  const char *ca_file;         /* nullable: trust for the SMTP server's certificate */
  guint       retry_seconds;   /* 0: LK_MAIL_DEFAULT_RETRY */
} LkMailConfig;

/* Starts delivery for SERVER with CONFIG (copied). Without this, mail is
 * queued and waits. FALSE with an error when the URL is not smtp:// or
 * smtps://. */
gboolean  lk_server_set_mail        (LkServer           *server,
                                     const LkMailConfig *config,
                                     GError            **error);
/* The base of the URLs printed in letters and mail ("https://…", no
 * trailing slash); default the listening URL. */
void        lk_server_set_public_url (LkServer   *server,
                                      const char *public_url);
const char *lk_server_get_public_url (LkServer   *server);

/* Queue the signed letter LETTER_ID to its case's email address, in the
 * caller's transaction. Without an address: delivery_state "none". */
gboolean  lk_server_mail_queue_letter  (LkServer    *server,
                                        const char  *letter_id,
                                        gint64       now,
                                        GError     **error);
/* Queue the receipt of a case made on /apply, with the tracking SECRET
 * (shown once, in the mail) — in the caller's transaction. */
gboolean  lk_server_mail_queue_receipt (LkServer    *server,
                                        const char  *case_id,
                                        const char  *secret,
                                        gint64       now,
                                        GError     **error);
/* Look at the queue now (after a commit that queued mail). */
void      lk_server_mail_kick          (LkServer    *server);
/* Stops the workers after their current message (lk_server_disconnect). */
void      lk_server_mail_stop          (LkServer    *server);

G_END_DECLS
