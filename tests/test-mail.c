/* test-mail.c — delivery by email: the server's queue and SMTP workers
 * against a real SMTP server on loopback (tests/smtp-sink.py)
 *
 * Most tests drive the server core in-process, as the code of a move to
 * signed does: lk_server_mail_queue_letter in a transaction on the
 * server's store, then the main loop runs until the outcome is written.
 * The last one runs the real loket-server binary with its --smtp options.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "store/lk-store-private.h"
#include "lk-server-mail.h"
#include "lk-test-mail-data.h"
#include "lk-test-smtp.h"
#include "lk-test-util.h"

#define PUBLIC_URL     "https://loket.example.go.id"
#define USER_PASSWORD  "mail-test-password"
#define REJECTED       "nobody@example.org"
#define WAIT_S         120   /* a bound on waiting for an outcome, not a timing */

typedef struct
{
  char       *dir;
  char       *maildir;
  LkStore    *store;
  LkServer   *server;
  LkTestSmtp *sink;
  guint       n_cases;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = lk_test_make_tmpdir ("mail");
  f->maildir = g_build_filename (f->dir, "Maildir", NULL);
  db = g_build_filename (f->dir, "server.db", NULL);
  f->store = lk_store_open (db, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  lk_test_mail_seed (f->store, USER_PASSWORD);
  f->server = lk_server_new (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (lk_server_listen (f->server, "127.0.0.1:0", NULL, &error));
  g_assert_no_error (error);
  lk_server_set_public_url (f->server, PUBLIC_URL "/");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    {
      lk_server_disconnect (f->server);
      g_assert_finalize_object (f->server);
    }
  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  g_clear_pointer (&f->sink, lk_test_smtp_free);
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->maildir);
}

static void
start_sink (Fixture            *f,
            guint16             port,
            const char * const *extra_args)
{
  g_autoptr(GError) error = NULL;

  f->sink = lk_test_smtp_start (f->maildir, port, extra_args, &error);
  g_assert_no_error (error);
}

static void
set_mail (Fixture    *f,
          const char *url)
{
  g_autoptr(GError) error = NULL;
  LkMailConfig config = { .url = url, .from = "loket@example.go.id", .retry_seconds = 1 };

  g_assert_true (lk_server_set_mail (f->server, &config, &error));
  g_assert_no_error (error);
}

/* A signed case with EMAIL and its letter, queued as the move to signed
 * queues it; the letter's id. */
static char *
queue_letter (Fixture     *f,
              const char  *email,
              GBytes     **out_pdf,
              char       **out_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = lk_test_mail_make_pdf (++f->n_cases, 20);
  g_autofree char *case_id = NULL;
  g_autofree char *letter_id = NULL;

  g_assert_true (lk_store_begin (f->store, &error));
  case_id = lk_test_mail_add_case (f->store, f->n_cases, email);
  letter_id = lk_test_mail_add_letter (f->store, case_id, f->n_cases, pdf);
  g_assert_true (lk_server_mail_queue_letter (f->server, letter_id, g_get_real_time () / G_USEC_PER_SEC,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_commit (f->store, &error));
  g_assert_no_error (error);
  lk_server_mail_kick (f->server);

  if (out_pdf != NULL)
    *out_pdf = g_steal_pointer (&pdf);
  if (out_case != NULL)
    *out_case = g_steal_pointer (&case_id);
  return g_steal_pointer (&letter_id);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until SQL (one ?1 parameter) gives WANT. */
static void
wait_for (Fixture    *f,
          const char *sql,
          const char *param,
          const char *want)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  for (;;)
    {
      g_autofree char *got = lk_test_mail_query_text (f->store, sql, param);

      if (g_strcmp0 (got, want) == 0)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("Still “%s” after %d s waiting for “%s” from %s", got, WAIT_S, want, sql);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

#define LETTER_STATE "SELECT delivery_state FROM letters WHERE id = ?1"

/* A letter delivered: one mail to the case's address with the PDF, in
 * both languages; the letter and the case record it. */
static void
test_letter_delivered (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  LkTestMail *mail;

  start_sink (f, 0, NULL);
  set_mail (f, f->sink->url);
  letter_id = queue_letter (f, "warga@example.org", &pdf, &case_id);
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT version FROM letters WHERE id = ?1", letter_id),
                   ==, 2);
  wait_for (f, LETTER_STATE, letter_id, "delivered");

  mails = lk_test_smtp_list (f->maildir);
  g_assert_cmpuint (mails->len, ==, 1);
  mail = mails->pdata[0];
  g_assert_cmpstr (mail->rcpt_to, ==, "<warga@example.org>");
  g_assert_cmpstr (mail->mail_from, ==, "<loket@example.go.id>");
  g_assert_cmpstr (mail->to, ==, "<warga@example.org>");
  g_assert_nonnull (mail->date);
  g_assert_nonnull (mail->message_id);
  g_assert_nonnull (strstr (mail->subject, "503/0001/DPMPTSP/2026"));
  g_assert_nonnull (strstr (mail->subject, "Surat Anda"));
  g_assert_nonnull (strstr (mail->subject, "Your letter"));
  g_assert_nonnull (strstr (mail->text, "Yth. Siti Rahmawati"));
  g_assert_nonnull (strstr (mail->text, "Dear Siti Rahmawati"));
  g_assert_nonnull (strstr (mail->text, "terlampir"));
  g_assert_nonnull (strstr (mail->text, "attached"));
  g_assert_nonnull (strstr (mail->text, "REG-2026-000001"));
  g_assert_nonnull (strstr (mail->text, LK_TEST_MAIL_UNIT_NAME));
  url = g_strdup_printf ("\n" PUBLIC_URL "/v/%s\n", letter_id);
  g_assert_nonnull (strstr (mail->text, url));
  /* Indonesian first, English below. */
  g_assert_true (strstr (mail->text, "Yth.") < strstr (mail->text, "Dear"));
  g_assert_cmpstr (mail->attachment_type, ==, "application/pdf");
  g_assert_cmpstr (mail->attachment_name, ==, "503-0001-DPMPTSP-2026.pdf");
  g_assert_true (g_bytes_equal (mail->attachment, pdf));
  g_assert_cmpuint (mail->max_line, <=, 78);

  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT delivered_at > 0 FROM letters WHERE id = ?1",
                                           letter_id), ==, 1);
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT version FROM letters WHERE id = ?1", letter_id),
                   ==, 3);
  g_assert_null (lk_test_mail_query_text (f->store, "SELECT delivery_error FROM letters WHERE id = ?1",
                                          letter_id));
  state = lk_test_mail_query_text (f->store, "SELECT state FROM mail_queue WHERE letter_id = ?1", letter_id);
  g_assert_cmpstr (state, ==, "delivered");

  /* The case moved on like a transition: version, history, change feed. */
  g_clear_pointer (&state, g_free);
  state = lk_test_mail_query_text (f->store, "SELECT state FROM cases WHERE id = ?1", case_id);
  g_assert_cmpstr (state, ==, "delivered");
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT version FROM cases WHERE id = ?1", case_id),
                   ==, 8);
  g_assert_cmpint (lk_test_mail_query_int (f->store,
                                           "SELECT count(*) FROM history WHERE case_id = ?1 AND actor = 'system' "
                                           "AND from_state = 'signed' AND to_state = 'delivered'", case_id),
                   ==, 1);
  g_assert_cmpint (lk_test_mail_query_int (f->store,
                                           "SELECT count(*) FROM changes WHERE kind = 'history' AND record_id IN "
                                           "(SELECT id FROM history WHERE case_id = ?1)", case_id), ==, 1);
}

/* Many letters: each worker keeps its connection from message to
 * message. */
static void
test_letter_many (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mails = NULL;
  guint connections;

  start_sink (f, 0, NULL);
  set_mail (f, f->sink->url);
  for (guint i = 0; i < 6 * LK_MAIL_WORKERS; i++)
    g_ptr_array_add (ids, queue_letter (f, "warga@example.org", NULL, NULL));
  for (guint i = 0; i < ids->len; i++)
    wait_for (f, LETTER_STATE, ids->pdata[i], "delivered");

  mails = lk_test_smtp_list (f->maildir);
  g_assert_cmpuint (mails->len, ==, ids->len);
  connections = lk_test_smtp_count_connections (mails);
  g_test_message ("%u mails over %u connections", mails->len, connections);
  g_assert_cmpuint (connections, <=, LK_MAIL_WORKERS);
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT count(*) FROM cases WHERE state = 'delivered'", NULL),
                   ==, ids->len);
}

/* The PDF gone from the blobs: failed at once, saying so. */
static void
test_letter_missing_pdf (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *error_text = NULL;

  start_sink (f, 0, NULL);
  set_mail (f, f->sink->url);
  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  /* Before the loop runs the dispatcher. */
  g_assert_true (lk_store_exec (f->store, "DELETE FROM blobs", &error));
  g_assert_no_error (error);
  wait_for (f, LETTER_STATE, letter_id, "failed");
  error_text = lk_test_mail_query_text (f->store, "SELECT delivery_error FROM letters WHERE id = ?1", letter_id);
  g_assert_cmpstr (error_text, ==, "The letter's PDF is missing from the server, so it cannot be sent.");
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 0);
}

/* A letter revoked while its mail waited: not sent, and the letter says
 * why. */
static void
test_letter_revoked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *status = NULL;

  start_sink (f, 0, NULL);
  set_mail (f, f->sink->url);
  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  /* Before the loop runs the dispatcher. */
  g_assert_true (lk_store_exec (f->store, "UPDATE letters SET status = 'revoked', status_reason = 'wrong applicant'",
                                &error));
  g_assert_no_error (error);
  wait_for (f, LETTER_STATE, letter_id, "failed");
  error_text = lk_test_mail_query_text (f->store, "SELECT delivery_error FROM letters WHERE id = ?1", letter_id);
  g_assert_cmpstr (error_text, ==, "The letter was revoked or replaced before its mail was sent, so it was not sent.");
  status = lk_test_mail_query_text (f->store, "SELECT status FROM letters WHERE id = ?1", letter_id);
  g_assert_cmpstr (status, ==, "revoked");
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 0);
}

/* No address on the case: nothing queued, the letter says "none". */
static void
test_letter_no_email (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *letter_id = NULL;
  g_autofree char *state = NULL;

  letter_id = queue_letter (f, NULL, NULL, NULL);
  state = lk_test_mail_query_text (f->store, LETTER_STATE, letter_id);
  g_assert_cmpstr (state, ==, "none");
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT count(*) FROM mail_queue WHERE letter_id = ?1",
                                           letter_id), ==, 0);
}

/* The mail server down: tries are counted and spaced, the letter stays
 * queued; once the server is up the next try delivers. */
static void
test_letter_retry (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *letter_id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *state = NULL;
  guint16 port;

  /* A port where nothing listens (the sink's, once it is gone). */
  start_sink (f, 0, NULL);
  port = f->sink->port;
  url = g_strdup (f->sink->url);
  g_clear_pointer (&f->sink, lk_test_smtp_free);

  set_mail (f, url);
  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  wait_for (f, "SELECT attempts >= 2 FROM mail_queue WHERE letter_id = ?1", letter_id, "1");

  state = lk_test_mail_query_text (f->store, LETTER_STATE, letter_id);
  g_assert_cmpstr (state, ==, "queued");
  error_text = lk_test_mail_query_text (f->store, "SELECT last_error FROM mail_queue WHERE letter_id = ?1",
                                        letter_id);
  g_test_message ("last error: %s", error_text);
  /* Refused, or (rarely) a loopback connection to itself on a free port. */
  g_assert_true (g_str_has_prefix (error_text, "The mail server could not be reached") ||
                 g_str_has_prefix (error_text, "Sending the mail failed"));
  /* Backoff: the next try is later than the one before by the doubled wait. */
  g_assert_cmpint (lk_test_mail_query_int (f->store,
                                           "SELECT next_attempt_at - strftime('%s', 'now') FROM mail_queue "
                                           "WHERE letter_id = ?1", letter_id), <=, 8);
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 0);

  start_sink (f, port, NULL);
  wait_for (f, LETTER_STATE, letter_id, "delivered");
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 1);
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT attempts FROM mail_queue WHERE letter_id = ?1",
                                           letter_id), >=, 2);
}

/* The last allowed try fails too: failed, saying how many tries. (The
 * row starts one try short of LK_MAIL_MAX_ATTEMPTS rather than waiting
 * through the backoff.) */
static void
test_letter_give_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *sql = NULL;

  start_sink (f, 0, NULL);
  url = g_strdup (f->sink->url);
  g_clear_pointer (&f->sink, lk_test_smtp_free);

  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  sql = g_strdup_printf ("UPDATE mail_queue SET attempts = %d", LK_MAIL_MAX_ATTEMPTS - 1);
  g_assert_true (lk_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  set_mail (f, url);
  wait_for (f, LETTER_STATE, letter_id, "failed");

  error_text = lk_test_mail_query_text (f->store, "SELECT delivery_error FROM letters WHERE id = ?1", letter_id);
  g_test_message ("delivery error: %s", error_text);
  g_assert_true (g_str_has_prefix (error_text, "Gave up after 8 tries. The mail server"));
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT attempts FROM mail_queue WHERE letter_id = ?1",
                                           letter_id), ==, LK_MAIL_MAX_ATTEMPTS);
}

typedef struct
{
  char      *url;
  JsonNode  *changes;
  gboolean   done;
} ChangesCall;

static gpointer
changes_thread (gpointer user_data)
{
  ChangesCall *call = user_data;
  g_autofree char *token = lk_test_sign_in (call->url, LK_TEST_MAIL_USER, USER_PASSWORD);
  g_autoptr(LkTestReply) reply = lk_test_http_json (call->url, "GET", "/api/v1/changes?limit=1000", token, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  call->changes = lk_test_reply_json (reply);
  g_atomic_int_set (&call->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* GET /changes as a user of the unit, from a thread while the loop runs
 * the server. */
static JsonNode *
get_changes (Fixture *f)
{
  ChangesCall call = { 0 };
  GThread *thread;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  call.url = lk_server_dup_url (f->server);
  thread = g_thread_new ("changes", changes_thread, &call);
  while (!g_atomic_int_get (&call.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_source_remove (tick);
  g_free (call.url);
  return call.changes;
}

/* A refused address (550): failed at once, with the server's words, and
 * the desks see it in the change feed. */
static void
test_letter_rejected (Fixture       *f,
                      gconstpointer  data)
{
  const char * const reject[] = { "--reject", REJECTED, NULL };
  g_autofree char *letter_id = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *state = NULL;
  g_autoptr(JsonNode) changes = NULL;
  JsonArray *list;
  gboolean seen = FALSE;

  start_sink (f, 0, reject);
  set_mail (f, f->sink->url);
  letter_id = queue_letter (f, REJECTED, NULL, &case_id);
  wait_for (f, LETTER_STATE, letter_id, "failed");

  error_text = lk_test_mail_query_text (f->store, "SELECT delivery_error FROM letters WHERE id = ?1", letter_id);
  g_test_message ("delivery error: %s", error_text);
  g_assert_true (g_str_has_prefix (error_text, "The mail server refused the address: 550"));
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT attempts FROM mail_queue WHERE letter_id = ?1",
                                           letter_id), ==, 0);
  state = lk_test_mail_query_text (f->store, "SELECT state FROM cases WHERE id = ?1", case_id);
  g_assert_cmpstr (state, ==, "signed");
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 0);

  changes = get_changes (f);
  list = json_object_get_array_member (json_node_get_object (changes), "changes");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *change = json_array_get_object_element (list, i);
      JsonObject *record = json_object_get_object_member (change, "record");

      if (g_strcmp0 (json_object_get_string_member (change, "kind"), "letter") != 0 ||
          g_strcmp0 (json_object_get_string_member (record, "id"), letter_id) != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (record, "delivery_state"), ==, "failed");
      g_assert_cmpstr (json_object_get_string_member (record, "delivery_error"), ==, error_text);
      seen = TRUE;
    }
  g_assert_true (seen);
}

/* The receipt of an application: number, secret and /track link in both
 * languages; the secret is not kept once sent. */
static void
test_receipt (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  LkTestMail *mail;

  start_sink (f, 0, NULL);
  set_mail (f, f->sink->url);

  g_assert_true (lk_store_begin (f->store, &error));
  case_id = lk_test_mail_add_case (f->store, 41, "pemohon@example.org");
  g_assert_true (lk_server_mail_queue_receipt (f->server, case_id, "K7QX-94TD-PL2M",
                                               g_get_real_time () / G_USEC_PER_SEC, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_commit (f->store, &error));
  lk_server_mail_kick (f->server);
  wait_for (f, "SELECT state FROM mail_queue WHERE case_id = ?1", case_id, "delivered");

  mails = lk_test_smtp_list (f->maildir);
  g_assert_cmpuint (mails->len, ==, 1);
  mail = mails->pdata[0];
  g_assert_cmpstr (mail->rcpt_to, ==, "<pemohon@example.org>");
  g_assert_nonnull (strstr (mail->subject, "REG-2026-000041"));
  g_assert_nonnull (strstr (mail->text, "Kode rahasia       : K7QX-94TD-PL2M"));
  g_assert_nonnull (strstr (mail->text, "Secret code    : K7QX-94TD-PL2M"));
  g_assert_nonnull (strstr (mail->text, PUBLIC_URL "/track?receipt=REG-2026-000041\n"));
  g_assert_null (mail->attachment);

  body = lk_test_mail_query_text (f->store, "SELECT body FROM mail_queue WHERE case_id = ?1", case_id);
  g_assert_cmpstr (body, ==, "");
  /* A receipt leaves the case as it was. */
  state = lk_test_mail_query_text (f->store, "SELECT state FROM cases WHERE id = ?1", case_id);
  g_assert_cmpstr (state, ==, "signed");
}

/* A self-signed certificate for 127.0.0.1 in DIR: cert.pem, key.pem. */
static void
make_certificate (const char *dir,
                  char      **out_cert,
                  char      **out_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  *out_cert = g_steal_pointer (&cert);
  *out_key = g_steal_pointer (&key);
}

/* STARTTLS with the server's CA given and TLS required: delivered over
 * TLS. */
static void
test_tls_starttls (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *letter_id = NULL;
  g_autoptr(GPtrArray) mails = NULL;
  LkMailConfig config = { .from = "loket@example.go.id", .retry_seconds = 1, .require_tls = TRUE };

  make_certificate (f->dir, &cert, &key);
  {
    const char * const args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

    start_sink (f, 0, args);
  }
  config.url = f->sink->url;
  config.ca_file = cert;
  g_assert_true (lk_server_set_mail (f->server, &config, &error));
  g_assert_no_error (error);

  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  wait_for (f, LETTER_STATE, letter_id, "delivered");
  mails = lk_test_smtp_list (f->maildir);
  g_assert_cmpuint (mails->len, ==, 1);
  g_assert_true (((LkTestMail *) mails->pdata[0])->tls);
}

/* TLS required from a server without STARTTLS: nothing sent in the
 * clear, the try fails with a sentence naming the option. */
static void
test_tls_required (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *error_text = NULL;
  LkMailConfig config = { .from = "loket@example.go.id", .retry_seconds = 1, .require_tls = TRUE };

  start_sink (f, 0, NULL);
  config.url = f->sink->url;
  g_assert_true (lk_server_set_mail (f->server, &config, &error));
  g_assert_no_error (error);

  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  wait_for (f, "SELECT attempts >= 1 FROM mail_queue WHERE letter_id = ?1", letter_id, "1");
  error_text = lk_test_mail_query_text (f->store, "SELECT last_error FROM mail_queue WHERE letter_id = ?1",
                                        letter_id);
  g_test_message ("last error: %s", error_text);
  g_assert_true (g_str_has_prefix (error_text, "The mail server does not offer STARTTLS"));
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 0);
}

/* A wrong SMTP password: a transient failure that names the options. */
static void
test_auth_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password_file = g_build_filename (f->dir, "smtp-password", NULL);
  g_autofree char *letter_id = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *state = NULL;
  const char *args[] = { "--auth-user", "loket", "--auth-password-file", password_file, NULL };
  LkMailConfig config = { .from = "loket@example.go.id", .retry_seconds = 1, .username = "loket",
                          .password = "not-the-password" };

  g_assert_true (g_file_set_contents (password_file, "the-password\n", -1, &error));
  start_sink (f, 0, args);
  config.url = f->sink->url;
  g_assert_true (lk_server_set_mail (f->server, &config, &error));
  g_assert_no_error (error);

  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  wait_for (f, "SELECT attempts >= 1 FROM mail_queue WHERE letter_id = ?1", letter_id, "1");
  error_text = lk_test_mail_query_text (f->store, "SELECT last_error FROM mail_queue WHERE letter_id = ?1",
                                        letter_id);
  g_test_message ("last error: %s", error_text);
  g_assert_true (g_str_has_prefix (error_text, "The mail server refused Loket's user name or password"));
  g_assert_null (strstr (error_text, "not-the-password"));
  state = lk_test_mail_query_text (f->store, LETTER_STATE, letter_id);
  g_assert_cmpstr (state, ==, "queued");
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 0);
}

/* The real loket-server */

static char *
read_file_text (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* Runs loket-server with ARGS (after --db DB --listen 127.0.0.1:0), output
 * into LOG; waits for its "listening on" line. */
static GSubprocess *
spawn_server (const char         *db,
              const char         *log,
              const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  g_ptr_array_add (argv, (gpointer) g_getenv ("LOKET_SERVER_BIN"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  for (;;)
    {
      g_autofree char *text = read_file_text (log);

      if (strstr (text, "listening on ") != NULL)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("loket-server did not start: %s", text);
      g_usleep (20 * 1000);
    }
  return process;
}

/* The --smtp options of loket-server, with authentication: the password
 * comes from a file and never shows in argv or the log (with every debug
 * message on); a mail left "sending" by a killed server is sent after a
 * restart. */
static void
test_server_options (Fixture       *f,
                     gconstpointer  data)
{
  static const char password[] = "Kata-Sandi-SMTP-h3-9271";
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *password_file = g_build_filename (f->dir, "smtp-password", NULL);
  g_autofree char *log = g_build_filename (f->dir, "server.log", NULL);
  g_autofree char *letter_id = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *login = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(LkStore) reader = NULL;
  gsize cmdline_len;
  gint64 deadline;
  const char *sink_args[] = { "--auth-user", "loket", "--auth-password-file", password_file, NULL };

  g_assert_true (g_file_set_contents (password_file, "Kata-Sandi-SMTP-h3-9271\n", -1, &error));
  g_assert_no_error (error);
  start_sink (f, 0, sink_args);

  /* Queued while no --smtp was given, then left "sending" as by a crash. */
  letter_id = queue_letter (f, "warga@example.org", NULL, NULL);
  g_assert_cmpint (lk_test_mail_query_int (f->store, "SELECT count(*) FROM mail_queue WHERE letter_id = ?1",
                                           letter_id), ==, 1);
  g_assert_true (lk_store_exec (f->store, "UPDATE mail_queue SET state = 'sending'", &error));
  g_assert_no_error (error);
  lk_server_disconnect (f->server);
  g_assert_finalize_object (g_steal_pointer (&f->server));
  g_assert_finalize_object (g_steal_pointer (&f->store));

  {
    const char * const args[] = {
      "--smtp", f->sink->url, "--smtp-user", "loket", "--smtp-password-file", password_file,
      "--smtp-from", "loket@example.go.id", "--smtp-retry", "1", "--public-url", PUBLIC_URL "/", NULL
    };

    server = spawn_server (db, log, args);
  }

  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (server));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &cmdline_len, &error));
  g_assert_no_error (error);
  g_assert_null (g_strstr_len (cmdline, (gssize) cmdline_len, password));

  reader = lk_store_open (db, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  while (g_strcmp0 (state, "delivered") != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
      g_free (state);
      state = lk_test_mail_query_text (reader, LETTER_STATE, letter_id);
    }
  g_assert_cmpuint (lk_test_smtp_count (f->maildir), ==, 1);

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);

  /* Neither the password nor its AUTH PLAIN or LOGIN encodings. */
  text = read_file_text (log);
  g_test_message ("server log:\n%s", text);
  g_assert_null (strstr (text, password));
  {
    char auth[64];
    gsize n = (gsize) g_snprintf (auth, sizeof auth, "%cloket%c%s", 0, 0, password);

    plain = g_base64_encode ((const guchar *) auth, n);
  }
  login = g_base64_encode ((const guchar *) password, strlen (password));
  g_assert_null (strstr (text, plain));
  g_assert_null (strstr (text, login));
}

/* Usage errors end with status 2 and a sentence. */
static void
test_server_usage (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, "usage.db", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-file", NULL);
  const char * const bad[][8] = {
    { "--smtp-user", "loket", NULL },
    { "--smtp", "smtp://127.0.0.1:25", "--smtp-user", "loket", NULL },
    { "--smtp", "smtp://127.0.0.1:25", "--smtp-user", "loket", "--smtp-password-file", missing, NULL },
    { "--smtp", "http://127.0.0.1:25", NULL },
    { "--smtp", "smtp://loket:secret@127.0.0.1:25", NULL },
    { "--smtp", "smtp://127.0.0.1:25", "--smtp-from", "not an address", NULL },
    { "--smtp", "smtp://127.0.0.1:25", "--smtp-retry", "0", NULL },
    { "--public-url", "ftp://loket.example.go.id", NULL },
    { "--public-url", "https://loket.example.go.id/?x=1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (gpointer) g_getenv ("LOKET_SERVER_BIN"));
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, db);
      g_ptr_array_add (argv, (gpointer) "--listen");
      g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
      for (guint j = 0; bad[i][j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) bad[i][j]);
      g_ptr_array_add (argv, NULL);

      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      g_test_message ("%s → %s", bad[i][0], err);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_cmpuint (strlen (err), >, 10);
      g_assert_null (strstr (err, "secret"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mail/letter/delivered", Fixture, NULL, fixture_set_up, test_letter_delivered, fixture_tear_down);
  g_test_add ("/mail/letter/many", Fixture, NULL, fixture_set_up, test_letter_many, fixture_tear_down);
  g_test_add ("/mail/letter/missing-pdf", Fixture, NULL, fixture_set_up, test_letter_missing_pdf, fixture_tear_down);
  g_test_add ("/mail/letter/revoked", Fixture, NULL, fixture_set_up, test_letter_revoked, fixture_tear_down);
  g_test_add ("/mail/letter/no-email", Fixture, NULL, fixture_set_up, test_letter_no_email, fixture_tear_down);
  g_test_add ("/mail/letter/retry", Fixture, NULL, fixture_set_up, test_letter_retry, fixture_tear_down);
  g_test_add ("/mail/letter/give-up", Fixture, NULL, fixture_set_up, test_letter_give_up, fixture_tear_down);
  g_test_add ("/mail/letter/rejected", Fixture, NULL, fixture_set_up, test_letter_rejected, fixture_tear_down);
  g_test_add ("/mail/receipt", Fixture, NULL, fixture_set_up, test_receipt, fixture_tear_down);
  g_test_add ("/mail/tls/starttls", Fixture, NULL, fixture_set_up, test_tls_starttls, fixture_tear_down);
  g_test_add ("/mail/tls/required", Fixture, NULL, fixture_set_up, test_tls_required, fixture_tear_down);
  g_test_add ("/mail/auth/refused", Fixture, NULL, fixture_set_up, test_auth_refused, fixture_tear_down);
  g_test_add ("/mail/server/options", Fixture, NULL, fixture_set_up, test_server_options, fixture_tear_down);
  g_test_add ("/mail/server/usage", Fixture, NULL, fixture_set_up, test_server_usage, fixture_tear_down);

  return g_test_run ();
}
