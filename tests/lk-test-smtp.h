/* lk-test-smtp.h — a real SMTP server on loopback for the tests: Debian's
 * aiosmtpd (tests/smtp-sink.py under /usr/bin/python3) writing every
 * message into a Maildir, and a reader of those messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *maildir;   /* owned */
  char        *url;       /* "smtp://127.0.0.1:PORT" */
  guint16      port;
} LkTestSmtp;

/* Starts the sink on 127.0.0.1:PORT (0: a free port, read back from its
 * "listening on PORT" line) delivering into MAILDIR (made when missing).
 * EXTRA_ARGS: NULL or NULL-terminated, e.g. "--reject", "bad@example.org".
 * The script is $LOKET_SMTP_SINK, else $G_TEST_SRCDIR/smtp-sink.py. */
LkTestSmtp  *lk_test_smtp_start       (const char         *maildir,
                                       guint16             port,
                                       const char * const *extra_args,
                                       GError            **error);
/* SIGTERM, then waits for it to end. */
void         lk_test_smtp_stop        (LkTestSmtp   *smtp);
void         lk_test_smtp_free        (LkTestSmtp   *smtp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestSmtp, lk_test_smtp_free)

/* One message of the Maildir, decoded. */
typedef struct
{
  char      *path;
  GBytes    *raw;
  char      *mail_from;        /* the envelope sender (the sink's X-Sink-Mail-From) */
  char      *rcpt_to;          /* the envelope recipients, as the sink wrote them */
  gboolean   tls;              /* received over TLS (STARTTLS) */
  char      *peer;             /* the client's address:port: one per SMTP connection */
  char      *to;               /* the To: header */
  char      *from;             /* the From: header */
  char      *subject;          /* RFC 2047 decoded, UTF-8 */
  char      *message_id;
  char      *date;
  char      *text;             /* the text/plain part, decoded (\n line ends) */
  GBytes    *attachment;       /* the first attachment's bytes, or NULL */
  char      *attachment_type;  /* e.g. "application/pdf" */
  char      *attachment_name;
  guint      max_line;         /* the longest line of the message (RFC 5322: ≤ 998) */
} LkTestMail;

void         lk_test_mail_free        (LkTestMail *mail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestMail, lk_test_mail_free)

/* Parses RAW (what the sink stored). Asserts it is well formed: header,
 * the parts of a multipart/mixed body, their encodings. */
LkTestMail  *lk_test_mail_parse       (GBytes     *raw);
/* The messages in MAILDIR/new, oldest first (LkTestMail *). */
GPtrArray   *lk_test_smtp_list        (const char *maildir);
guint        lk_test_smtp_count       (const char *maildir);
/* How many SMTP connections brought MAILS (LkTestMail *). */
guint        lk_test_smtp_count_connections (GPtrArray *mails);

G_END_DECLS
