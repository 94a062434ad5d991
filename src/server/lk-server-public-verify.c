/* lk-server-public-verify.c — GET /verify (the upload form) and POST
 * /verify: is an uploaded PDF byte-identical to a registered letter, and
 * do its signatures verify against the server's trust anchors
 *
 * The hashing and the signature check run in a worker thread (they read up
 * to LK_PUBLIC_VERIFY_MAX_FILE bytes); the store is read on the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sign/lk-pades-verify.h"
#include "lk-server-html.h"
#include "lk-server-public-private.h"

typedef struct
{
  LkServer            *self;
  SoupServerMessage   *msg;
  GBytes              *data;
  char               **trust_files;
  gulong               finished_id;
  gboolean             finished;
  /* Results */
  char                *sha256;
  LkPadesVerifyReport *report;
  GError              *error;
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  if (data->finished_id != 0)
    g_signal_handler_disconnect (data->msg, data->finished_id);
  g_clear_object (&data->self);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->data, g_bytes_unref);
  g_strfreev (data->trust_files);
  g_free (data->sha256);
  g_clear_pointer (&data->report, lk_pades_verify_report_free);
  g_clear_error (&data->error);
  g_free (data);
}

static void
append_form (GString *html)
{
  g_string_append (html, "<form method=\"post\" action=\"/verify\" enctype=\"multipart/form-data\">"
                         "<label for=\"file\">Berkas PDF surat <span lang=\"en\" class=\"en\">The letter’s PDF file"
                         "</span><span class=\"hint\">Paling besar 20 MiB. <span lang=\"en\">At most 20 MiB.</span>"
                         "</span></label>"
                         "<input type=\"file\" id=\"file\" name=\"file\" accept=\".pdf,application/pdf\" required>"
                         "<button type=\"submit\">Periksa <span lang=\"en\">Check</span></button></form>");
}

static void
respond_form (SoupServerMessage *msg)
{
  GString *html = lk_html_page_begin ("Periksa surat / Check a letter");

  lk_html_append_tag_pair (html, "h1", "Periksa keaslian surat", "Check that a letter is genuine");
  lk_html_append_tag_pair (html, "p",
                           "Unggah PDF surat yang Anda terima. Kami memeriksa apakah berkas itu sama persis "
                           "dengan surat yang terdaftar di kantor ini dan apakah tanda tangan elektroniknya sah. "
                           "Berkas tidak disimpan.",
                           "Upload the PDF of the letter you received. We check whether the file is exactly a "
                           "letter registered at this office and whether its electronic signatures are valid. "
                           "The file is not kept.");
  append_form (html);
  lk_html_respond (msg, SOUP_STATUS_OK, html);
}

static void
respond_bad_upload (SoupServerMessage *msg,
                    guint              status,
                    const char        *heading_id,
                    const char        *heading_en,
                    const char        *text_id,
                    const char        *text_en)
{
  g_autofree char *title = g_strdup_printf ("%s / %s", heading_id, heading_en);
  GString *html = lk_html_page_begin (title);

  lk_html_append_tag_pair (html, "h1", heading_id, heading_en);
  g_string_append (html, "<div class=\"problems\" id=\"problems\">");
  lk_html_append_tag_pair (html, "p", text_id, text_en);
  g_string_append (html, "</div>");
  append_form (html);
  lk_html_respond (msg, status, html);
}

/* Worker thread: hash, then the signature check on a private temporary
 * file (mode 0600, removed at once). */
static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *data = task_data;
  g_autofree char *path = NULL;
  gsize len, done = 0;
  const guint8 *bytes = g_bytes_get_data (data->data, &len);
  int fd;

  data->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data->data);

  fd = g_file_open_tmp ("loket-verify-XXXXXX.pdf", &path, &data->error);
  while (fd >= 0 && done < len)
    {
      gssize n = write (fd, bytes + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          g_set_error (&data->error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot write the upload to a temporary file: %s", g_strerror (saved));
          break;
        }
      done += (gsize) n;
    }
  if (fd >= 0)
    close (fd);
  if (data->error == NULL)
    {
      g_autoptr(GError) error = NULL;

      data->report = lk_pades_verify_file (path, (const char * const *) data->trust_files, &error);
      /* A file the reader cannot take is a verdict on the upload, not a
       * failure of the server; a bad trust file is the server's. */
      if (data->report == NULL &&
          g_error_matches (error, LK_PADES_VERIFY_ERROR, LK_PADES_VERIFY_ERROR_TRUST))
        data->error = g_steal_pointer (&error);
      else if (data->report == NULL)
        g_debug ("Uploaded PDF cannot be checked: %s", error->message);
    }
  if (path != NULL)
    g_unlink (path);

  g_task_return_boolean (task, TRUE);
}

static void
append_signature_verdict (GString             *html,
                          LkPadesVerifyReport *report)
{
  lk_html_append_tag_pair (html, "h2", "Tanda tangan elektronik", "Electronic signature");

  if (report == NULL)
    {
      g_string_append (html, "<p class=\"banner unknown\" id=\"signature\" data-signature=\"unreadable\">"
                             "TIDAK DAPAT DIPERIKSA — berkas PDF ini rusak atau tidak terbaca"
                             "<span lang=\"en\" class=\"en\">CANNOT BE CHECKED — this PDF is damaged or "
                             "unreadable</span></p>");
      return;
    }

  if (report->signatures->len == 0)
    {
      g_string_append (html, "<p class=\"banner revoked\" id=\"signature\" data-signature=\"none\">"
                             "TIDAK ADA TANDA TANGAN — berkas ini tidak ditandatangani secara elektronik"
                             "<span lang=\"en\" class=\"en\">NO SIGNATURE — this file is not signed "
                             "electronically</span></p>");
      return;
    }

  if (report->ok)
    g_string_append (html, "<p class=\"banner valid\" id=\"signature\" data-signature=\"valid\">"
                           "SAH — tanda tangan utuh dan dari penanda tangan tepercaya"
                           "<span lang=\"en\" class=\"en\">VALID — the signatures are intact and from a "
                           "trusted signer</span></p>");
  else
    g_string_append (html, "<p class=\"banner revoked\" id=\"signature\" data-signature=\"invalid\">"
                           "TIDAK SAH — berkas telah diubah setelah ditandatangani, atau penanda tangan tidak "
                           "tepercaya"
                           "<span lang=\"en\" class=\"en\">NOT VALID — the file was changed after it was signed, "
                           "or the signer is not trusted</span></p>");

  g_string_append (html, "<dl class=\"facts\">");
  for (guint i = 0; i < report->signatures->len; i++)
    {
      LkPadesSignatureReport *sig = g_ptr_array_index (report->signatures, i);

      g_string_append (html, "<dt>");
      lk_html_append_pair (html, "Penanda tangan", "Signer");
      g_string_append (html, "</dt><dd>");
      lk_html_append_escaped (html, sig->name != NULL ? sig->name
                                    : sig->signer_subject != NULL ? sig->signer_subject : "—");
      if (sig->signing_time != NULL)
        {
          g_string_append (html, " · ");
          lk_html_append_escaped (html, sig->signing_time);
        }
      g_string_append (html, " · ");
      if (sig->valid && sig->trusted)
        lk_html_append_pair (html, "sah", "valid");
      else if (sig->valid)
        lk_html_append_pair (html, "utuh, penanda tangan tidak tepercaya", "intact, signer not trusted");
      else
        lk_html_append_pair (html, "tidak sah", "not valid");
      g_string_append (html, "</dd>");
    }
  g_string_append (html, "</dl>");

  if (!report->ok && report->problems->len > 0)
    {
      g_string_append (html, "<p>");
      lk_html_append_pair (html, "Rincian (bahasa Inggris):", "Details:");
      g_string_append (html, "</p><ul id=\"signature-problems\">");
      for (guint i = 0; i < report->problems->len; i++)
        {
          g_string_append (html, "<li lang=\"en\">");
          lk_html_append_escaped (html, g_ptr_array_index (report->problems, i));
          g_string_append (html, "</li>");
        }
      g_string_append (html, "</ul>");
    }
}

/* Checks under way, on the server object (main loop only). */
static guint
get_running (LkServer *self)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "lk-verify-running"));
}

static void
set_running (LkServer *self,
             guint     running)
{
  g_object_set_data (G_OBJECT (self), "lk-verify-running", GUINT_TO_POINTER (running));
}

/* Main loop: the register, then the page. */
static void
verify_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  VerifyData *data = g_task_get_task_data (G_TASK (result));
  SoupServerMessage *msg = data->msg;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *number = NULL, *status = NULL, *reason = NULL;
  g_autofree char *newer_id = NULL, *newer_number = NULL;
  gint64 status_at = 0;
  sqlite3_stmt *stmt;
  GString *html;
  int rc;

  set_running (data->self, get_running (data->self) - 1);
  if (data->finished)
    return;

  if (data->error != NULL)
    {
      lk_server_respond_internal (msg, data->error);
      soup_server_message_unpause (msg);
      return;
    }

  stmt = lk_store_prepare (data->self->store,
                           "SELECT l.id, l.number, l.status, l.status_reason, coalesce(l.status_at, 0), "
                           "l.superseded_by, n.number "
                           "FROM letters AS l LEFT JOIN letters AS n ON n.id = l.superseded_by "
                           "WHERE l.sha256 = ?1",
                           &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, data->sha256, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          id = lk_server_column_dup (stmt, 0);
          number = lk_server_column_dup (stmt, 1);
          status = lk_server_column_dup (stmt, 2);
          reason = lk_server_column_dup (stmt, 3);
          status_at = sqlite3_column_int64 (stmt, 4);
          newer_id = lk_server_column_dup (stmt, 5);
          newer_number = lk_server_column_dup (stmt, 6);
        }
      else if (rc != SQLITE_DONE)
        lk_store_set_sql_error (data->self->store, &error, "Looking up an uploaded letter");
      sqlite3_reset (stmt);
    }
  if (error != NULL)
    {
      lk_server_respond_internal (msg, error);
      soup_server_message_unpause (msg);
      return;
    }

  html = lk_html_page_begin ("Hasil pemeriksaan / Check result");
  lk_html_append_tag_pair (html, "h1", "Hasil pemeriksaan", "Check result");
  lk_html_append_tag_pair (html, "h2", "Surat terdaftar", "Registered letter");
  if (id != NULL)
    {
      g_string_append (html, "<p id=\"identical\" data-identical=\"yes\"><strong>");
      lk_html_append_pair (html, "SAMA PERSIS dengan surat terdaftar nomor", "IDENTICAL to the registered letter");
      g_string_append (html, " ");
      lk_html_append_escaped (html, number);
      g_string_append (html, "</strong></p>");
      lk_public_append_status (html, status, reason, status_at, newer_id, newer_number);
      g_string_append_printf (html, "<p><a href=\"/v/%s\" id=\"letter-link\">Lihat halaman surat "
                                    "<span lang=\"en\" class=\"en\">See the letter’s page</span></a></p>",
                              lk_public_letter_id_ok (id) ? id : "");
    }
  else
    {
      g_string_append (html, "<p id=\"identical\" data-identical=\"no\"><strong>");
      lk_html_append_pair (html, "TIDAK SAMA dengan surat terdaftar mana pun.",
                           "NOT IDENTICAL to any registered letter.");
      g_string_append (html, "</strong></p>");
      lk_html_append_tag_pair (html, "p",
                               "Berkas ini bukan salinan persis surat yang diterbitkan kantor ini: mungkin telah "
                               "diubah, atau diterbitkan di tempat lain.",
                               "This file is not an exact copy of a letter this office issued: it may have been "
                               "changed, or issued elsewhere.");
    }

  append_signature_verdict (html, data->report);
  g_string_append (html, "<h2>Periksa berkas lain <span lang=\"en\" class=\"en\">Check another file</span></h2>");
  append_form (html);
  lk_html_respond (msg, SOUP_STATUS_OK, html);
  soup_server_message_unpause (msg);
}

static void
msg_finished_cb (VerifyData *data)
{
  data->finished = TRUE;
}

static void
handle_post (LkServer          *self,
             SoupServerMessage *msg)
{
  g_autoptr(GTask) task = NULL;
  SoupMultipart *multipart;
  GBytes *file = NULL;
  gboolean too_many = FALSE;
  gboolean duplicate = FALSE;
  VerifyData *data;
  int n;

  multipart = lk_public_parse_multipart (msg, LK_PUBLIC_VERIFY_MAX_PARTS, &too_many);
  if (multipart == NULL)
    {
      respond_bad_upload (msg, SOUP_STATUS_BAD_REQUEST, "Permintaan tidak dapat dibaca", "Bad request",
                          too_many ? "Formulir berisi terlalu banyak bagian."
                                   : "Kirim berkas melalui formulir di bawah ini.",
                          too_many ? "The form has too many parts."
                                   : "Send the file with the form below.");
      return;
    }

  n = soup_multipart_get_length (multipart);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = NULL, *filename = NULL;
      SoupMessageHeaders *headers;
      GBytes *body;

      if (!soup_multipart_get_part (multipart, i, &headers, &body) ||
          !lk_public_part_name (headers, &name, &filename))
        continue;
      if (g_str_equal (name, "file"))
        {
          if (file != NULL)
            duplicate = TRUE;
          file = body;
        }
    }

  if (duplicate || file == NULL || g_bytes_get_size (file) == 0)
    {
      soup_multipart_free (multipart);
      respond_bad_upload (msg, SOUP_STATUS_BAD_REQUEST, "Tidak ada berkas", "No file",
                          "Pilih satu berkas PDF, lalu tekan Periksa.",
                          "Choose one PDF file, then press Check.");
      return;
    }
  if (g_bytes_get_size (file) > LK_PUBLIC_VERIFY_MAX_FILE)
    {
      soup_multipart_free (multipart);
      respond_bad_upload (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Berkas terlalu besar", "File too large",
                          "Berkas boleh paling besar 20 MiB.", "The file may be at most 20 MiB.");
      return;
    }
  if (lk_public_sniff (file) != LK_UPLOAD_PDF)
    {
      soup_multipart_free (multipart);
      respond_bad_upload (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "Bukan berkas PDF", "Not a PDF file",
                          "Hanya surat dalam bentuk PDF yang dapat diperiksa.",
                          "Only letters as PDF files can be checked.");
      return;
    }

  /* Each check reads up to 20 MiB and verifies signatures: a few at a
   * time, the others are asked to come back. */
  if (get_running (self) >= LK_PUBLIC_VERIFY_MAX_RUNNING)
    {
      soup_multipart_free (multipart);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
      respond_bad_upload (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Sedang sibuk", "Busy",
                          "Banyak surat sedang diperiksa. Coba lagi sebentar lagi.",
                          "Many letters are being checked. Try again in a moment.");
      return;
    }
  set_running (self, get_running (self) + 1);

  data = g_new0 (VerifyData, 1);
  data->self = g_object_ref (self);
  data->msg = g_object_ref (msg);
  data->data = g_bytes_ref (file);
  data->trust_files = g_strdupv ((char **) LK_SERVER_TRUST_FILES (self));
  soup_multipart_free (multipart);
  data->finished_id = g_signal_connect_swapped (msg, "finished", G_CALLBACK (msg_finished_cb), data);

  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, verify_done_cb, NULL);
  g_task_set_source_tag (task, handle_post);
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

void
lk_server_handle_verify (LkServer          *self,
                         SoupServerMessage *msg)
{
  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    handle_post (self, msg);
  else
    respond_form (msg);
}
