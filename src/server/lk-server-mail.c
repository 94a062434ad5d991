/* lk-server-mail.c — delivery: the durable queue in the server's store
 * (mail_queue), the dispatcher on the main loop that hands due mail to the
 * SMTP workers (lk-server-mail-smtp.c), and the outcome written back: the
 * queue row, the letter's delivery state, the case moved to delivered
 *
 * Only the main loop's thread touches the store. Everything is in SQLite,
 * so a restart carries on: rows a stopped server left "sending" are
 * queued again when delivery starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "lk-server-private.h"
#include "lk-server-mail-private.h"

struct _LkServerMail
{
  LkServer         *server;      /* NULL once freed; not a reference */
  LkMailSmtpConfig  smtp;
  char             *from;        /* nullable: loket@HOST of the public URL */
  guint             retry_seconds;
  GMainContext     *context;
  LkMailWorkers    *workers;
  GAsyncQueue      *results;     /* LkMailJob *, from the workers */
  int               drain_pending;  /* atomic: an idle is on its way */
  guint             in_flight;
  guint64           in_flight_bytes;  /* of their attachments */
  GSource          *kick;
  GSource          *timer;
  gboolean          stopped;
};

typedef struct _LkServerMail LkServerMail;

/* Helpers */

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
mail_clear (LkServerMail *mail)
{
  g_free (mail->smtp.url);
  g_free (mail->smtp.username);
  if (mail->smtp.password != NULL)
    explicit_bzero (mail->smtp.password, strlen (mail->smtp.password));
  g_free (mail->smtp.password);
  g_free (mail->smtp.ca_file);
  g_free (mail->from);
  g_main_context_unref (mail->context);
  g_async_queue_unref (mail->results);
}

static void
mail_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) mail_clear);
}

/* A source on the server's main context, calling func with mail. */
static GSource *
add_source (LkServerMail *mail,
            GSource      *source,
            GSourceFunc   func,
            const char   *name)
{
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, mail, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, mail->context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* --smtp-from, or loket@HOST of the public URL (loket@localhost when
 * HOST is an IP address). */
static char *
sender_address (LkServerMail *mail)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (mail->from != NULL)
    return g_strdup (mail->from);

  uri = g_uri_parse (lk_mail_public_url (mail->server), G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  /* An address literal would need brackets that many servers refuse. */
  if (host == NULL || *host == '\0' || g_hostname_is_ip_address (host) || strchr (host, '[') != NULL)
    return g_strdup ("loket@localhost");
  return g_strdup_printf ("loket@%s", host);
}

static gboolean
run_simple (LkServer    *self,
            const char  *sql,
            const char  *what,
            GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store, sql, error);

  return stmt != NULL && lk_server_step_done (self, stmt, what, error);
}

/* The case of a delivered letter: signed → delivered, with a history row
 * by "system" — the writes a transition op makes, so versions and the
 * change feed stay right. Nothing when the case moved on meanwhile or the
 * letter is no longer its valid one. */
static gboolean
deliver_case (LkServer    *self,
              const char  *case_id,
              const char  *letter_id,
              gint64       now,
              GError     **error)
{
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) history = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *history_id = NULL;
  sqlite3_stmt *stmt;
  gboolean valid;
  int rc;

  stmt = lk_store_prepare (self->store, "SELECT status = 'valid' FROM letters WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, letter_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  valid = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Reading the letter's status");
      return FALSE;
    }
  if (!valid)
    return TRUE;

  kase = lk_store_get_json (self->store, LK_KIND_CASE, case_id, &local_error);
  if (kase == NULL)
    {
      if (g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (json_object_get_string_member (kase, "state"),
                 lk_case_state_to_string (LK_CASE_STATE_SIGNED)) != 0)
    return TRUE;

  json_object_set_string_member (kase, "state", lk_case_state_to_string (LK_CASE_STATE_DELIVERED));
  json_object_set_int_member (kase, "updated_at", now);
  json_object_set_int_member (kase, "version", json_object_get_int_member (kase, "version") + 1);
  if (!lk_store_upsert_json (self->store, LK_KIND_CASE, kase, error))
    return FALSE;

  history_id = g_uuid_string_random ();
  history = json_object_new ();
  json_object_set_string_member (history, "id", history_id);
  json_object_set_string_member (history, "case_id", case_id);
  json_object_set_string_member (history, "from_state", lk_case_state_to_string (LK_CASE_STATE_SIGNED));
  json_object_set_string_member (history, "to_state", lk_case_state_to_string (LK_CASE_STATE_DELIVERED));
  json_object_set_string_member (history, "actor", "system");
  json_object_set_int_member (history, "at", now);
  json_object_set_string_member (history, "reason", "The signed letter was emailed to the applicant.");
  json_object_set_int_member (history, "version", 1);
  return lk_store_upsert_json (self->store, LK_KIND_HISTORY, history, error);
}

/* The outcome of one job, inside the caller's transaction. */
static gboolean
apply_result (LkServerMail  *mail,
              LkMailJob     *job,
              gint64         now,
              GError       **error)
{
  LkServer *self = mail->server;
  g_autofree char *kind = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *sentence = NULL;
  const char *state;
  sqlite3_stmt *stmt;
  gint64 attempts, next = 0;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "SELECT kind, case_id, letter_id, attempts FROM mail_queue "
                           "WHERE id = ?1 AND state = 'sending'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      kind = lk_server_column_dup (stmt, 0);
      case_id = lk_server_column_dup (stmt, 1);
      letter_id = lk_server_column_dup (stmt, 2);
      attempts = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;   /* gone meanwhile (a resend replaced it) */
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self->store, error, "Reading a queued mail");
      return FALSE;
    }

  if (job->result == LK_MAIL_RESULT_DELIVERED)
    state = "delivered";
  else if (job->result == LK_MAIL_RESULT_TRANSIENT && job->error == NULL)
    {
      state = "queued";   /* not tried: the server stopped first */
      next = now;
    }
  else if (job->result == LK_MAIL_RESULT_TRANSIENT && attempts + 1 < LK_MAIL_MAX_ATTEMPTS)
    {
      gint64 wait = MIN ((gint64) mail->retry_seconds << MIN (attempts, 20), LK_MAIL_MAX_RETRY);

      state = "queued";
      attempts++;
      next = now + wait;
      g_debug ("Mail %" G_GINT64_FORMAT ": try %" G_GINT64_FORMAT " failed, next in %" G_GINT64_FORMAT " s",
               job->id, attempts, wait);
    }
  else
    {
      state = "failed";
      if (job->result == LK_MAIL_RESULT_TRANSIENT)
        {
          attempts++;
          sentence = g_strdup_printf ("Gave up after %" G_GINT64_FORMAT " tries. %s", attempts, job->error);
        }
      g_message ("Mail %" G_GINT64_FORMAT " (%s) failed for good", job->id, kind);
    }
  if (sentence == NULL && job->error != NULL)
    sentence = g_strdup (job->error);

  /* A receipt's body holds the tracking secret: kept only until sent. */
  stmt = lk_store_prepare (self->store,
                           "UPDATE mail_queue SET state = ?2, attempts = ?3, next_attempt_at = "
                           "COALESCE(?4, next_attempt_at), last_error = ?5, delivered_at = ?6, "
                           "body = CASE WHEN kind = 'receipt' AND ?2 <> 'queued' THEN '' ELSE body END "
                           "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, attempts);
  if (next > 0)
    sqlite3_bind_int64 (stmt, 4, next);
  if (sentence != NULL)
    sqlite3_bind_text (stmt, 5, sentence, -1, SQLITE_TRANSIENT);
  if (job->result == LK_MAIL_RESULT_DELIVERED)
    sqlite3_bind_int64 (stmt, 6, now);
  if (!lk_server_step_done (self, stmt, "Recording a mail's outcome", error))
    return FALSE;

  if (letter_id == NULL || g_strcmp0 (kind, "letter") != 0)
    return TRUE;
  if (job->result == LK_MAIL_RESULT_DELIVERED)
    return lk_mail_set_letter_delivery (self, letter_id, "delivered", NULL, now, error) &&
           deliver_case (self, case_id, letter_id, now, error);
  if (g_str_equal (state, "failed"))
    return lk_mail_set_letter_delivery (self, letter_id, "failed", sentence, 0, error);
  return TRUE;
}

static void schedule (LkServerMail *mail);

/* The workers' outcomes, written in one transaction. */
static void
drain_results (LkServerMail *mail)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_mail_job_free);
  g_autoptr(GError) error = NULL;
  LkServer *self = mail->server;
  LkMailJob *job;
  gint64 now = now_seconds ();

  while ((job = g_async_queue_try_pop (mail->results)) != NULL)
    g_ptr_array_add (jobs, job);
  if (jobs->len == 0)
    return;
  g_assert (mail->in_flight >= jobs->len);
  mail->in_flight -= jobs->len;
  for (guint i = 0; i < jobs->len; i++)
    mail->in_flight_bytes -= ((LkMailJob *) jobs->pdata[i])->size;

  if (!lk_store_begin (self->store, &error))
    goto failed;
  for (guint i = 0; i < jobs->len; i++)
    if (!apply_result (mail, jobs->pdata[i], now, &error))
      {
        lk_store_rollback (self->store);
        goto failed;
      }
  if (!lk_store_commit (self->store, &error))
    goto failed;
  return;

failed:
  /* The rows stay "sending" and are queued again at the next start. */
  g_warning ("Cannot record the outcome of %u mails: %s", jobs->len, error->message);
}

static gboolean
drain_cb (gpointer user_data)
{
  LkServerMail *mail = user_data;

  g_atomic_int_set (&mail->drain_pending, FALSE);
  if (mail->server == NULL)
    return G_SOURCE_REMOVE;
  drain_results (mail);
  if (!mail->stopped)
    schedule (mail);
  return G_SOURCE_REMOVE;
}

/* In a worker thread. */
static void
job_done_cb (LkMailJob *job,
             gpointer   user_data)
{
  LkServerMail *mail = user_data;

  g_async_queue_push (mail->results, job);
  if (g_atomic_int_compare_and_exchange (&mail->drain_pending, FALSE, TRUE))
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, drain_cb, g_atomic_rc_box_acquire (mail), mail_release);
      g_source_set_static_name (source, "[loket] mail results");
      g_source_attach (source, mail->context);
    }
}

/* The dispatcher */

/* A failure found before sending (the attachment is gone): failed. */
static void
fail_now (LkServerMail *mail,
          LkMailJob    *job,
          const char   *sentence)
{
  job->result = LK_MAIL_RESULT_PERMANENT;
  job->error = g_strdup (sentence);
  g_async_queue_push (mail->results, job);
}

/* Takes due rows, marks them sending, hands them to the workers: at most
 * LK_MAIL_IN_FLIGHT messages and LK_MAIL_IN_FLIGHT_BYTES of attachments
 * (but always one) at a time. */
static gboolean
dispatch (LkServerMail  *mail,
          GError       **error)
{
  LkServer *self = mail->server;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_mail_job_free);
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *from = sender_address (mail);
  sqlite3_stmt *stmt, *blob, *mark;
  gint64 now = now_seconds ();
  guint want = LK_MAIL_IN_FLIGHT - MIN (mail->in_flight, LK_MAIL_IN_FLIGHT);
  gboolean failed_now = FALSE;
  int rc;

  if (want == 0 || mail->in_flight_bytes >= LK_MAIL_IN_FLIGHT_BYTES)
    return TRUE;
  if (!lk_store_begin (self->store, error))
    return FALSE;

  stmt = lk_store_prepare (self->store,
                           "SELECT q.id, q.recipient, q.subject, q.body, q.attachment, q.attachment_name, "
                           "b.size, l.status FROM mail_queue q LEFT JOIN blobs b ON b.sha256 = q.attachment "
                           "LEFT JOIN letters l ON l.id = q.letter_id "
                           "WHERE q.state = 'queued' AND q.next_attempt_at <= ?1 "
                           "ORDER BY q.next_attempt_at, q.id LIMIT ?2", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, want);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkMailJob *job;
      gint64 size = sqlite3_column_int64 (stmt, 6);

      if ((jobs->len > 0 || mail->in_flight > 0) &&
          mail->in_flight_bytes + (guint64) size > LK_MAIL_IN_FLIGHT_BYTES)
        break;
      job = g_new0 (LkMailJob, 1);
      job->id = sqlite3_column_int64 (stmt, 0);
      job->from = g_strdup (from);
      job->to = lk_server_column_dup (stmt, 1);
      job->subject = lk_server_column_dup (stmt, 2);
      job->body = lk_server_column_dup (stmt, 3);
      job->attachment_name = lk_server_column_dup (stmt, 5);
      job->now = now;
      job->size = (guint64) size;
      /* A letter revoked or superseded while its mail waited is not sent. */
      job->withdrawn = sqlite3_column_type (stmt, 7) != SQLITE_NULL &&
                       g_strcmp0 ((const char *) sqlite3_column_text (stmt, 7), "valid") != 0;
      mail->in_flight_bytes += job->size;
      g_ptr_array_add (blobs, lk_server_column_dup (stmt, 4));
      g_ptr_array_add (jobs, job);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self->store, error, "Reading the mail queue");
      goto fail;
    }

  blob = lk_store_prepare (self->store, "SELECT data FROM blobs WHERE sha256 = ?1", error);
  mark = blob != NULL ? lk_store_prepare (self->store,
                                          "UPDATE mail_queue SET state = 'sending' WHERE id = ?1", error)
                      : NULL;
  if (mark == NULL)
    goto fail;
  for (guint i = 0; i < jobs->len; i++)
    {
      LkMailJob *job = jobs->pdata[i];

      sqlite3_bind_int64 (mark, 1, job->id);
      if (!lk_server_step_done (self, mark, "Taking a mail from the queue", error))
        goto fail;
      if (blobs->pdata[i] == NULL)
        continue;

      sqlite3_bind_text (blob, 1, blobs->pdata[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (blob);
      if (rc == SQLITE_ROW && sqlite3_column_bytes (blob, 0) <= LK_MAIL_MAX_ATTACHMENT)
        job->attachment = g_bytes_new (sqlite3_column_blob (blob, 0), sqlite3_column_bytes (blob, 0));
      sqlite3_reset (blob);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          lk_store_set_sql_error (self->store, error, "Reading a mail's attachment");
          goto fail;
        }
    }
  if (!lk_store_commit (self->store, error))
    goto forget;

  for (guint i = 0; i < jobs->len; i++)
    {
      LkMailJob *job = g_steal_pointer (&jobs->pdata[i]);

      mail->in_flight++;
      if (job->withdrawn)
        {
          fail_now (mail, job, "The letter was revoked or replaced before its mail was sent, so it was not sent.");
          failed_now = TRUE;
          continue;
        }
      if (blobs->pdata[i] != NULL && job->attachment == NULL)
        {
          fail_now (mail, job, "The letter's PDF is missing from the server, so it cannot be sent.");
          failed_now = TRUE;
          continue;
        }
      lk_mail_workers_push (mail->workers, job);
    }
  if (jobs->len > 0)
    g_debug ("Handed %u mails to the workers", jobs->len);
  if (failed_now)
    drain_results (mail);
  return TRUE;

fail:
  lk_store_rollback (self->store);
forget:
  for (guint i = 0; i < jobs->len; i++)
    mail->in_flight_bytes -= ((LkMailJob *) jobs->pdata[i])->size;
  return FALSE;
}

static gboolean
timer_cb (gpointer user_data)
{
  LkServerMail *mail = user_data;

  g_clear_pointer (&mail->timer, g_source_unref);
  schedule (mail);
  return G_SOURCE_REMOVE;
}

/* Dispatches what is due, then waits for the next row that will be. */
static void
schedule (LkServerMail *mail)
{
  g_autoptr(GError) error = NULL;
  LkServer *self = mail->server;
  sqlite3_stmt *stmt;
  gint64 due = -1, delay_ms;

  if (mail->stopped)
    return;
  if (!dispatch (mail, &error))
    {
      g_warning ("Cannot take mail from the queue: %s", error->message);
      g_clear_error (&error);
    }

  clear_source (&mail->timer);
  /* With every worker busy, the next outcome calls again. */
  if (mail->in_flight >= LK_MAIL_IN_FLIGHT || mail->in_flight_bytes >= LK_MAIL_IN_FLIGHT_BYTES)
    return;

  stmt = lk_store_prepare (self->store,
                           "SELECT MIN(next_attempt_at) FROM mail_queue WHERE state = 'queued'", &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot read the mail queue: %s", error->message);
      delay_ms = 60 * 1000;
    }
  else
    {
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        due = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (due < 0)
        return;   /* nothing queued: lk_server_mail_kick wakes us */
      /* Due rows are taken when the whole second has come. */
      delay_ms = due * 1000 - g_get_real_time () / 1000 + 1;
      delay_ms = CLAMP (delay_ms, 1, (gint64) LK_MAIL_MAX_RETRY * 1000);
    }

  mail->timer = add_source (mail, g_timeout_source_new ((guint) delay_ms), timer_cb, "[loket] mail timer");
}

static gboolean
kick_cb (gpointer user_data)
{
  LkServerMail *mail = user_data;

  g_clear_pointer (&mail->kick, g_source_unref);
  schedule (mail);
  return G_SOURCE_REMOVE;
}

/* Public API */

void
lk_server_mail_free (LkServer *self)
{
  LkServerMail *mail = self->mail;

  if (mail == NULL)
    return;

  lk_server_mail_stop (self);
  mail->server = NULL;
  self->mail = NULL;
  mail_release (mail);
}

gboolean
lk_server_set_mail (LkServer           *server,
                    const LkMailConfig *config,
                    GError            **error)
{
  static gsize curl_ready = 0;
  g_autoptr(GUri) uri = NULL;
  LkServerMail *mail;
  const char *scheme;

  g_return_val_if_fail (LK_IS_SERVER (server), FALSE);
  g_return_val_if_fail (config != NULL && config->url != NULL, FALSE);
  g_return_val_if_fail (server->mail == NULL, FALSE);

  uri = g_uri_parse (config->url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri != NULL && g_uri_get_userinfo (uri) != NULL)
    {
      /* Not echoed: it may hold a password. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "The SMTP server URL must not hold a user name or password; "
                           "give them with --smtp-user and --smtp-password-file");
      return FALSE;
    }
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "smtp") != 0 && g_ascii_strcasecmp (scheme, "smtps") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an SMTP server URL; use smtp://HOST:PORT (STARTTLS when offered) "
                   "or smtps://HOST:PORT (TLS)", config->url);
      return FALSE;
    }
  if (config->from != NULL && !lk_mail_address_ok (config->from))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a sender address; give one like loket@example.go.id", config->from);
      return FALSE;
    }
  if ((config->username == NULL) != (config->password == NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "An SMTP user name and password go together");
      return FALSE;
    }

  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }

  /* A server killed while sending left rows "sending": queue them again. */
  if (!lk_store_begin (server->store, error))
    return FALSE;
  if (!run_simple (server, "UPDATE mail_queue SET state = 'queued' WHERE state = 'sending'",
                   "Queueing interrupted mail again", error))
    {
      lk_store_rollback (server->store);
      return FALSE;
    }
  if (!lk_store_commit (server->store, error))
    return FALSE;

  mail = g_atomic_rc_box_new0 (LkServerMail);
  mail->server = server;
  mail->smtp.url = g_strdup (config->url);
  mail->smtp.username = g_strdup (config->username);
  mail->smtp.password = g_strdup (config->password);
  mail->smtp.ca_file = config->ca_file != NULL ? g_canonicalize_filename (config->ca_file, NULL) : NULL;
  mail->smtp.require_tls = config->require_tls;
  mail->from = g_strdup (config->from);
  mail->retry_seconds = config->retry_seconds > 0 ? config->retry_seconds : LK_MAIL_DEFAULT_RETRY;
  mail->context = g_main_context_ref_thread_default ();
  mail->results = g_async_queue_new ();
  mail->workers = lk_mail_workers_new (&mail->smtp, LK_MAIL_WORKERS, job_done_cb, mail);
  server->mail = mail;

  lk_server_mail_kick (server);
  return TRUE;
}

void
lk_server_mail_kick (LkServer *server)
{
  LkServerMail *mail;

  g_return_if_fail (LK_IS_SERVER (server));

  mail = server->mail;
  if (mail == NULL || mail->stopped || mail->kick != NULL)
    return;
  mail->kick = add_source (mail, g_idle_source_new (), kick_cb, "[loket] mail kick");
}

void
lk_server_mail_stop (LkServer *server)
{
  LkServerMail *mail;

  g_return_if_fail (LK_IS_SERVER (server));

  mail = server->mail;
  if (mail == NULL || mail->stopped)
    return;

  mail->stopped = TRUE;
  clear_source (&mail->kick);
  clear_source (&mail->timer);
  /* Each worker finishes its message (at most LK_MAIL_TIMEOUT); what they
   * report is written now, while the store is there. */
  g_clear_pointer (&mail->workers, lk_mail_workers_free);
  drain_results (mail);
}
