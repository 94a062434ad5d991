/* lk-server-mail-smtp.c — the MIME message and the SMTP workers: threads
 * that each keep one CURL easy handle (so one SMTP connection, reused
 * from message to message) and report each message's outcome
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "lk-server-mail-private.h"

#define QP_LINE        76   /* quoted-printable: characters per line, '=' included */
#define B64_LINE       76   /* base64 characters per line */
#define WORD_BYTES     39   /* bytes of UTF-8 in one RFC 2047 word: 52 base64 characters, lines ≤ 76 */
#define STOP_JOB       ((gpointer) &stop_marker)

static const char stop_marker = 0;

struct _LkMailWorkers
{
  const LkMailSmtpConfig *config;
  GAsyncQueue            *jobs;
  GPtrArray              *threads;
  LkMailDoneFunc          done;
  gpointer                user_data;
  int                     stopping;   /* atomic */
};

/* What one transfer saw, for the sentence of a failure. */
typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  char          command[8];   /* the first word of the last command sent */
  char          reply[LK_MAIL_MAX_REPLY];  /* the server's first 4xx or 5xx line */
  char          failed[8];    /* the command it answered */
} Transfer;

/* The message */

static void
append_date (GString *out,
             gint64   now)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (now);
  gint64 offset = g_date_time_get_utc_offset (dt) / G_USEC_PER_SEC / 60;

  g_string_append_printf (out, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02d%02d\r\n",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt),
                          g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                          g_date_time_get_second (dt),
                          offset < 0 ? '-' : '+', (int) (ABS (offset) / 60), (int) (ABS (offset) % 60));
}

/* Subject: as is when short printable ASCII, else RFC 2047 base64 words
 * of whole UTF-8 characters, folded one per line. */
static void
append_subject (GString    *out,
                const char *subject)
{
  gboolean plain = strlen (subject) <= 66;
  const char *p = subject;

  for (const char *c = subject; plain && *c; c++)
    if (*c < ' ' || *c >= 127 || (c[0] == '=' && c[1] == '?'))
      plain = FALSE;
  if (plain)
    {
      g_string_append_printf (out, "Subject: %s\r\n", subject);
      return;
    }

  g_string_append (out, "Subject:");
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *b64 = NULL;

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if (next - p > WORD_BYTES)
            break;
          end = next;
        }
      b64 = g_base64_encode ((const guchar *) p, end - p);
      g_string_append_printf (out, " =?UTF-8?B?%s?=\r\n", b64);
      p = end;
    }
}

/* TEXT (lines ending in \n) as quoted-printable with CRLF line ends. */
static void
append_quoted_printable (GString    *out,
                         const char *text)
{
  guint col = 0;

  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      char enc[4];
      guint n;

      if (*p == '\n')
        {
          g_string_append (out, "\r\n");
          col = 0;
          continue;
        }
      if (*p == '\r')
        continue;

      if ((*p >= 33 && *p <= 126 && *p != '=') ||
          ((*p == ' ' || *p == '\t') && p[1] != '\n' && p[1] != '\0'))
        {
          enc[0] = (char) *p;
          n = 1;
        }
      else
        {
          g_snprintf (enc, sizeof enc, "=%02X", *p);
          n = 3;
        }
      /* A soft break leaves room for its '='. */
      if (col + n > QP_LINE - 1)
        {
          g_string_append (out, "=\r\n");
          col = 0;
        }
      g_string_append_len (out, enc, n);
      col += n;
    }
  if (col > 0)
    g_string_append (out, "\r\n");
}

static void
append_base64_lines (GString *out,
                     GBytes  *data)
{
  gsize len;
  const guchar *bytes = g_bytes_get_data (data, &len);
  g_autofree char *b64 = g_base64_encode (bytes, len);
  gsize total = strlen (b64);

  for (gsize i = 0; i < total; i += B64_LINE)
    {
      g_string_append_len (out, b64 + i, MIN (B64_LINE, total - i));
      g_string_append (out, "\r\n");
    }
}

GBytes *
lk_mail_build_message (const char *from,
                       const char *to,
                       const char *subject,
                       const char *body,
                       GBytes     *attachment,
                       const char *attachment_name,
                       gint64      now)
{
  GString *out = g_string_sized_new (1024 + (attachment != NULL ? g_bytes_get_size (attachment) * 138 / 100 : 0));
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = NULL;
  const char *domain = strchr (from, '@');

  append_date (out, now);
  g_string_append_printf (out, "From: Loket <%s>\r\n", from);
  g_string_append_printf (out, "To: <%s>\r\n", to);
  append_subject (out, subject);
  g_string_append_printf (out, "Message-ID: <%s@%s>\r\n", uuid, domain != NULL ? domain + 1 : "loket.invalid");
  g_string_append (out, "MIME-Version: 1.0\r\n");
  g_string_append (out, "Auto-Submitted: auto-generated\r\n");

  if (attachment == NULL)
    {
      g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n"
                            "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
      append_quoted_printable (out, body);
      return g_string_free_to_bytes (out);
    }

  /* "=_" never occurs in base64 or quoted-printable text. */
  boundary = g_strdup_printf ("=_loket_%s", uuid);
  g_string_append_printf (out, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", boundary);
  g_string_append (out, "This is a MIME message.\r\n\r\n");
  g_string_append_printf (out, "--%s\r\n", boundary);
  g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
  append_quoted_printable (out, body);
  g_string_append_printf (out, "\r\n--%s\r\n", boundary);
  g_string_append_printf (out, "Content-Type: application/pdf;\r\n name=\"%s\"\r\n"
                               "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n",
                          attachment_name, attachment_name);
  append_base64_lines (out, attachment);
  g_string_append_printf (out, "\r\n--%s--\r\n", boundary);

  return g_string_free_to_bytes (out);
}

void
lk_mail_job_free (LkMailJob *job)
{
  if (job == NULL)
    return;
  g_free (job->from);
  g_free (job->to);
  g_free (job->subject);
  g_free (job->body);
  g_clear_pointer (&job->attachment, g_bytes_unref);
  g_free (job->attachment_name);
  g_free (job->error);
  g_free (job);
}

/* The transfer */

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *user_data)
{
  Transfer *t = user_data;
  gsize n = MIN (size * nitems, t->len - t->pos);

  memcpy (buffer, t->data + t->pos, n);
  t->pos += n;
  return n;
}

/* Keeps the server's first refusal and the verb of the command it
 * answered;
 * what the client sends (an AUTH line carries the password) is never
 * kept beyond its first word. */
static int
debug_cb (CURL          *handle,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  Transfer *t = user_data;
  gsize i, n = 0;

  if (type == CURLINFO_HEADER_IN && t->reply[0] == '\0' && size > 0 && (data[0] == '4' || data[0] == '5'))
    {
      for (i = 0; i < size && n < sizeof t->reply - 1; i++)
        {
          if (data[i] == '\r' || data[i] == '\n')
            break;
          t->reply[n++] = g_ascii_isprint (data[i]) ? data[i] : '?';
        }
      t->reply[n] = '\0';
      memcpy (t->failed, t->command, sizeof t->failed);
    }
  else if (type == CURLINFO_HEADER_OUT)
    {
      for (i = 0; i < size && n < sizeof t->command - 1 && g_ascii_isalpha (data[i]); i++)
        t->command[n++] = g_ascii_toupper (data[i]);
      t->command[n] = '\0';
    }
  return 0;
}

static CURL *
new_handle (const LkMailSmtpConfig *config)
{
  CURL *curl = curl_easy_init ();

  if (curl == NULL)
    return NULL;

  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt (curl, CURLOPT_URL, config->url);
  curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) (config->require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (config->username != NULL)
    curl_easy_setopt (curl, CURLOPT_USERNAME, config->username);
  if (config->password != NULL)
    curl_easy_setopt (curl, CURLOPT_PASSWORD, config->password);
  if (config->ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, config->ca_file);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) LK_MAIL_TIMEOUT);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) LK_MAIL_TIMEOUT);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (curl, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (curl, CURLOPT_VERBOSE, 1L);

  return curl;
}

static void
classify (LkMailJob      *job,
          CURLcode        rc,
          long            code,
          const Transfer *t,
          const char     *errbuf)
{
  const char *detail = t->reply[0] != '\0' ? t->reply : (errbuf[0] != '\0' ? errbuf : curl_easy_strerror (rc));

  if (rc == CURLE_OK)
    {
      job->result = LK_MAIL_RESULT_DELIVERED;
      return;
    }

  /* The refusal's code, not that of a QUIT after it. */
  if (g_ascii_isdigit (t->reply[0]) && g_ascii_isdigit (t->reply[1]) && g_ascii_isdigit (t->reply[2]))
    code = (t->reply[0] - '0') * 100 + (t->reply[1] - '0') * 10 + (t->reply[2] - '0');

  if (rc == CURLE_LOGIN_DENIED || g_str_equal (t->failed, "AUTH"))
    {
      job->result = LK_MAIL_RESULT_TRANSIENT;
      job->error = g_strdup_printf ("The mail server refused Loket's user name or password "
                                    "(check --smtp-user and --smtp-password-file): %s", detail);
      return;
    }

  if (code >= 500 && code < 600)
    {
      job->result = LK_MAIL_RESULT_PERMANENT;
      if (g_str_equal (t->failed, "RCPT"))
        job->error = g_strdup_printf ("The mail server refused the address: %s", detail);
      else if (g_str_equal (t->failed, "MAIL"))
        job->error = g_strdup_printf ("The mail server refused the sender address (check --smtp-from): %s",
                                      detail);
      else
        job->error = g_strdup_printf ("The mail server refused the message: %s", detail);
      return;
    }

  job->result = LK_MAIL_RESULT_TRANSIENT;
  if (code >= 400 && code < 500)
    job->error = g_strdup_printf ("The mail server asked to try again later: %s", detail);
  else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
    job->error = g_strdup_printf ("The mail server could not be reached: %s", errbuf[0] ? errbuf : curl_easy_strerror (rc));
  else if (rc == CURLE_OPERATION_TIMEDOUT)
    job->error = g_strdup_printf ("The mail server did not answer within %d seconds.", LK_MAIL_TIMEOUT);
  else if (rc == CURLE_USE_SSL_FAILED)
    job->error = g_strdup ("The mail server does not offer STARTTLS, which --smtp-require-tls demands.");
  else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
           rc == CURLE_SSL_CACERT_BADFILE)
    job->error = g_strdup_printf ("The TLS connection to the mail server failed (check --smtp-ca): %s",
                                  errbuf[0] ? errbuf : curl_easy_strerror (rc));
  else
    job->error = g_strdup_printf ("Sending the mail failed: %s", errbuf[0] ? errbuf : curl_easy_strerror (rc));
}

static void
send_job (CURL      *curl,
          LkMailJob *job)
{
  g_autofree char *from = g_strdup_printf ("<%s>", job->from);
  g_autofree char *to = g_strdup_printf ("<%s>", job->to);
  struct curl_slist *rcpt = curl_slist_append (NULL, to);
  char errbuf[CURL_ERROR_SIZE] = "";
  g_autoptr(GBytes) message = lk_mail_build_message (job->from, job->to, job->subject, job->body,
                                                     job->attachment, job->attachment_name, job->now);
  Transfer t = { 0 };
  CURLcode rc;
  long code = 0;

  t.data = g_bytes_get_data (message, &t.len);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (curl, CURLOPT_READDATA, &t);
  curl_easy_setopt (curl, CURLOPT_DEBUGDATA, &t);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) t.len);

  rc = curl_easy_perform (curl);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &code);
  classify (job, rc, code, &t, errbuf);

  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, NULL);
  curl_easy_setopt (curl, CURLOPT_READDATA, NULL);
  curl_easy_setopt (curl, CURLOPT_DEBUGDATA, NULL);
  curl_slist_free_all (rcpt);
  g_debug ("Mail %" G_GINT64_FORMAT ": curl %d, reply %ld", job->id, rc, code);
}

static gpointer
worker_thread (gpointer user_data)
{
  LkMailWorkers *self = user_data;
  CURL *curl = NULL;

  for (;;)
    {
      LkMailJob *job = g_async_queue_pop (self->jobs);

      if (job == STOP_JOB)
        break;
      if (g_atomic_int_get (&self->stopping))
        job->result = LK_MAIL_RESULT_TRANSIENT;  /* error NULL: not tried */
      else
        {
          if (curl == NULL)
            curl = new_handle (self->config);
          if (curl == NULL)
            {
              job->result = LK_MAIL_RESULT_TRANSIENT;
              job->error = g_strdup ("Sending the mail failed: libcurl could not start.");
            }
          else
            send_job (curl, job);
        }
      self->done (job, self->user_data);
    }

  g_clear_pointer (&curl, curl_easy_cleanup);
  return NULL;
}

LkMailWorkers *
lk_mail_workers_new (const LkMailSmtpConfig *config,
                     guint                   n_threads,
                     LkMailDoneFunc          done,
                     gpointer                user_data)
{
  LkMailWorkers *self = g_new0 (LkMailWorkers, 1);

  self->config = config;
  self->jobs = g_async_queue_new ();
  self->threads = g_ptr_array_new ();
  self->done = done;
  self->user_data = user_data;
  for (guint i = 0; i < n_threads; i++)
    g_ptr_array_add (self->threads, g_thread_new ("loket-smtp", worker_thread, self));

  return self;
}

void
lk_mail_workers_push (LkMailWorkers *self,
                      LkMailJob     *job)
{
  g_async_queue_push (self->jobs, job);
}

void
lk_mail_workers_free (LkMailWorkers *self)
{
  if (self == NULL)
    return;

  g_atomic_int_set (&self->stopping, TRUE);
  for (guint i = 0; i < self->threads->len; i++)
    g_async_queue_push (self->jobs, STOP_JOB);
  for (guint i = 0; i < self->threads->len; i++)
    g_thread_join (self->threads->pdata[i]);

  g_ptr_array_unref (self->threads);
  g_async_queue_unref (self->jobs);
  g_free (self);
}
