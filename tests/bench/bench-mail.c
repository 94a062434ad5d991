/* bench-mail.c — delivery of N signed letters (a PDF of KB kilobytes each)
 * from the server's queue to the loopback SMTP sink (tests/smtp-sink.py),
 * and two peers on the same sink: the curl program sending the same
 * message serially (one process and connection per message), and
 * Python's smtplib over one connection
 *
 *   bench-mail [N [KB [PEER_RUNS]]]   (default 1000 30 100; run by tests/bench/run-mail)
 *
 * Prints key=value lines; nothing is asserted but that every letter
 * arrived. Needs $LOKET_SMTP_SINK (the sink script) and curl.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "store/lk-store-private.h"
#include "lk-server-mail.h"
#include "lk-server-mail-private.h"
#include "lk-test-mail-data.h"
#include "lk-test-smtp.h"

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gint64
count_delivered (LkStore *store)
{
  return lk_test_mail_query_int (store, "SELECT count(*) FROM letters WHERE delivery_state = 'delivered'", NULL);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", path, NULL);

  if (rm != NULL)
    g_subprocess_wait (rm, NULL, NULL);
}

/* curl, one process and one connection per message, RUNS times. */
static double
peer_curl (const char *url,
           const char *message_path,
           guint       runs)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) curl = NULL;

      curl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "curl", "-sS", url,
                               "--mail-from", "loket@example.go.id", "--mail-rcpt", "warga@example.org",
                               "-T", message_path, NULL);
      if (curl == NULL || !g_subprocess_wait_check (curl, NULL, &error))
        g_error ("curl failed: %s", error->message);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Python's smtplib: one connection, RUNS messages. */
static double
peer_smtplib (guint16     port,
              const char *message_path,
              guint       runs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) python = NULL;
  g_autofree char *code = g_strdup_printf (
    "import smtplib, sys, time\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "s = smtplib.SMTP('127.0.0.1', %u)\n"
    "t = time.monotonic()\n"
    "for i in range(%u): s.sendmail('loket@example.go.id', ['warga@example.org'], data)\n"
    "print(time.monotonic() - t)\n"
    "s.quit()\n", port, runs);
  g_autofree char *out = NULL;

  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/usr/bin/python3", "-c", code,
                             message_path, NULL);
  if (python == NULL || !g_subprocess_communicate_utf8 (python, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (python))
    g_error ("smtplib peer failed: %s", error != NULL ? error->message : "exit status");
  return g_ascii_strtod (out, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint kb = argc > 2 ? (guint) atoi (argv[2]) : 30;
  guint peer_runs = argc > 3 ? (guint) atoi (argv[3]) : 100;
  g_autofree char *dir = g_dir_make_tmp ("loket-bench-mail-XXXXXX", &error);
  g_autofree char *maildir = NULL, *peer_maildir = NULL, *db = NULL, *message_path = NULL;
  g_autoptr(LkTestSmtp) sink = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkServer) server = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GPtrArray) letters = g_ptr_array_new_with_free_func (g_free);
  LkMailConfig config = { .from = "loket@example.go.id", .retry_seconds = 1 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, t0, t1, pdf_bytes = 0;
  double cpu0, cpu1, seconds, curl_s, smtplib_s;
  guint tick;

  g_assert_no_error (error);
  if (n == 0 || kb == 0 || peer_runs == 0)
    {
      g_printerr ("usage: bench-mail [N [KB [PEER_RUNS]]]\n");
      return 2;
    }
  maildir = g_build_filename (dir, "Maildir", NULL);
  peer_maildir = g_build_filename (dir, "Maildir-peer", NULL);
  db = g_build_filename (dir, "server.db", NULL);

  store = lk_store_open (db, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);
  lk_test_mail_seed (store, "bench-password");
  server = lk_server_new (store, &error);
  g_assert_no_error (error);
  lk_server_set_public_url (server, "https://loket.example.go.id");

  /* The letters, and their mail queued in one transaction as a batch of
   * moves to signed would queue them. */
  g_assert_true (lk_store_begin (store, &error));
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(GBytes) pdf = lk_test_mail_make_pdf (i, kb);
      g_autofree char *case_id = lk_test_mail_add_case (store, i, "warga@example.org");

      pdf_bytes += (gint64) g_bytes_get_size (pdf);
      g_ptr_array_add (letters, lk_test_mail_add_letter (store, case_id, i, pdf));
    }
  g_assert_true (lk_store_commit (store, &error));

  t0 = g_get_monotonic_time ();
  g_assert_true (lk_store_begin (store, &error));
  for (guint i = 0; i < letters->len; i++)
    {
      g_assert_true (lk_server_mail_queue_letter (server, letters->pdata[i], now, &error));
      g_assert_no_error (error);
    }
  g_assert_true (lk_store_commit (store, &error));
  t1 = g_get_monotonic_time ();
  g_print ("letters=%u\npdf_kb_mean=%.1f\nqueue_ms=%.1f\n", n, pdf_bytes / 1024.0 / n, (t1 - t0) / 1e3);

  sink = lk_test_smtp_start (maildir, 0, NULL, &error);
  g_assert_no_error (error);
  config.url = sink->url;

  /* Delivery: from lk_server_set_mail (which kicks the queue) until the
   * last letter is recorded delivered. */
  tick = g_timeout_add (5, tick_cb, NULL);
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  g_assert_true (lk_server_set_mail (server, &config, &error));
  while (count_delivered (store) < n)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () - t0 > 600 * G_USEC_PER_SEC)
        g_error ("Only %" G_GINT64_FORMAT " of %u letters delivered after 600 s", count_delivered (store), n);
    }
  t1 = g_get_monotonic_time ();
  cpu1 = cpu_seconds ();
  g_source_remove (tick);
  seconds = (t1 - t0) / 1e6;
  {
    g_autoptr(GPtrArray) mails = lk_test_smtp_list (maildir);

    g_assert_cmpuint (mails->len, ==, n);
    g_print ("smtp_connections=%u\n", lk_test_smtp_count_connections (mails));
  }
  g_print ("deliver_s=%.3f\nletters_per_s=%.1f\nserver_cpu_s=%.3f\nworkers=%d\n",
           seconds, n / seconds, cpu1 - cpu0, LK_MAIL_WORKERS);
  g_print ("case_delivered=%" G_GINT64_FORMAT "\n",
           lk_test_mail_query_int (store, "SELECT count(*) FROM cases WHERE state = 'delivered'", NULL));
  lk_server_disconnect (server);

  /* The same message for the peers, on a fresh sink. */
  lk_test_smtp_free (g_steal_pointer (&sink));
  sink = lk_test_smtp_start (peer_maildir, 0, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) pdf = lk_test_mail_make_pdf (1, kb);

    message = lk_mail_build_message ("loket@example.go.id", "warga@example.org",
                                     "Surat Anda telah terbit / Your letter has been issued", "Yth. Bapak/Ibu,\n",
                                     pdf, "503-0001-DPMPTSP-2026.pdf", now);
  }
  message_path = g_build_filename (dir, "message.eml", NULL);
  g_assert_true (g_file_set_contents (message_path, g_bytes_get_data (message, NULL),
                                      (gssize) g_bytes_get_size (message), &error));
  g_print ("message_kb=%.1f\n", g_bytes_get_size (message) / 1024.0);

  curl_s = peer_curl (sink->url, message_path, peer_runs);
  g_print ("peer_curl_runs=%u\npeer_curl_s=%.3f\npeer_curl_per_s=%.1f\n", peer_runs, curl_s, peer_runs / curl_s);
  smtplib_s = peer_smtplib (sink->port, message_path, peer_runs);
  g_print ("peer_smtplib_runs=%u\npeer_smtplib_s=%.3f\npeer_smtplib_per_s=%.1f\n",
           peer_runs, smtplib_s, peer_runs / smtplib_s);
  g_assert_cmpuint (lk_test_smtp_count (peer_maildir), ==, 2 * peer_runs);

  g_clear_pointer (&sink, lk_test_smtp_free);
  g_clear_object (&server);
  g_clear_object (&store);
  rm_rf (dir);
  return 0;
}
