/* lk-server-public.c — the public pages: the router of every path outside
 * /api/v1, the home page, the letter page /v/ID and its PDF, and what the
 * public pages' files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "lk-server-html.h"
#include "lk-server-public-private.h"

void
lk_html_respond_too_large (SoupServerMessage *msg,
                           const char        *path)
{
  const char *id_text = "Berkas yang Anda kirim terlalu besar. Batasnya 20 MiB untuk pemeriksaan surat, "
                        "10 MiB per berkas dan 30 MiB seluruhnya untuk permohonan.";
  const char *en_text = "What you sent is too large. The limits are 20 MiB for checking a letter, "
                        "10 MiB a file and 30 MiB in all for an application.";

  lk_html_respond_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                           "Terlalu besar", "Too large", id_text, en_text);
}

static void
respond_not_found (SoupServerMessage *msg)
{
  lk_html_respond_problem (msg, SOUP_STATUS_NOT_FOUND,
                           "Halaman tidak ditemukan", "Page not found",
                           "Alamat ini tidak dikenal. Periksa kembali tautan atau kode QR pada surat.",
                           "This address is not known. Check the link or the QR code on the letter again.");
}

static void
respond_bad_method (SoupServerMessage *msg,
                    const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  lk_html_respond_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                           "Metode tidak didukung", "Method not allowed",
                           "Halaman ini tidak menerima permintaan seperti itu.",
                           "This page does not take that kind of request.");
}

/* GET / */

static void
handle_home (SoupServerMessage *msg)
{
  GString *html = lk_html_page_begin ("Loket — Layanan publik / Public service");

  lk_html_append_tag_pair (html, "h1", "Layanan publik", "Public service");
  g_string_append (html, "<ul class=\"services\">"
                         "<li><a href=\"/apply\">Ajukan permohonan surat atau izin "
                         "<span lang=\"en\" class=\"en\">Apply for a letter or a permit</span></a></li>"
                         "<li><a href=\"/track\">Lacak permohonan Anda "
                         "<span lang=\"en\" class=\"en\">Track your application</span></a></li>"
                         "<li><a href=\"/verify\">Periksa keaslian surat (PDF) "
                         "<span lang=\"en\" class=\"en\">Check that a letter (PDF) is genuine</span></a></li>"
                         "</ul>");
  lk_html_respond (msg, SOUP_STATUS_OK, html);
}

/* GET /v/ID and /v/ID/letter.pdf */

static void
append_fact (GString    *html,
             const char *id_label,
             const char *en_label,
             const char *value,
             const char *dd_id)
{
  g_string_append (html, "<dt>");
  lk_html_append_pair (html, id_label, en_label);
  g_string_append_printf (html, "</dt><dd id=\"%s\">", dd_id);
  lk_html_append_escaped (html, value != NULL && *value != '\0' ? value : "—");
  g_string_append (html, "</dd>");
}

static void
handle_letter_page (LkServer          *self,
                    SoupServerMessage *msg,
                    const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL, *subject = NULL, *signer = NULL, *position = NULL;
  g_autofree char *status = NULL, *reason = NULL, *newer_id = NULL, *newer_number = NULL;
  g_autofree char *unit_name = NULL, *unit_address = NULL, *signed_date = NULL;
  g_autofree char *title = NULL;
  gint64 signed_at, status_at;
  sqlite3_stmt *stmt;
  GString *html;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "SELECT l.number, l.subject, l.signer_name, l.signer_position, l.signed_at, "
                           "l.status, l.status_reason, coalesce(l.status_at, 0), l.superseded_by, "
                           "u.name, u.address, n.number "
                           "FROM letters AS l LEFT JOIN units AS u ON u.id = l.unit "
                           "LEFT JOIN letters AS n ON n.id = l.superseded_by "
                           "WHERE l.id = ?1",
                           &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        lk_store_set_sql_error (self->store, &error, "Reading a letter");
      sqlite3_reset (stmt);
      if (error != NULL)
        lk_server_respond_internal (msg, error);
      else
        respond_not_found (msg);
      return;
    }

  number = lk_server_column_dup (stmt, 0);
  subject = lk_server_column_dup (stmt, 1);
  signer = lk_server_column_dup (stmt, 2);
  position = lk_server_column_dup (stmt, 3);
  signed_at = sqlite3_column_int64 (stmt, 4);
  status = lk_server_column_dup (stmt, 5);
  reason = lk_server_column_dup (stmt, 6);
  status_at = sqlite3_column_int64 (stmt, 7);
  newer_id = lk_server_column_dup (stmt, 8);
  unit_name = lk_server_column_dup (stmt, 9);
  unit_address = lk_server_column_dup (stmt, 10);
  newer_number = lk_server_column_dup (stmt, 11);
  sqlite3_reset (stmt);

  signed_date = lk_html_format_date (signed_at);
  title = g_strdup_printf ("Surat %s — Verifikasi / Letter verification", number);
  html = lk_html_page_begin (title);
  lk_html_append_tag_pair (html, "h1", "Verifikasi surat", "Letter verification");
  lk_public_append_status (html, status, reason, status_at, newer_id, newer_number);

  g_string_append (html, "<dl class=\"facts\">");
  append_fact (html, "Nomor", "Number", number, "number");
  append_fact (html, "Perihal", "Subject", subject, "subject");
  append_fact (html, "Diterbitkan oleh", "Issued by", unit_name, "unit");
  if (unit_address != NULL)
    append_fact (html, "Alamat kantor", "Office address", unit_address, "unit-address");
  append_fact (html, "Ditandatangani oleh", "Signed by", signer, "signer");
  append_fact (html, "Jabatan", "Position", position, "position");
  append_fact (html, "Tanggal ditandatangani", "Date signed", signed_date, "signed-date");
  g_string_append (html, "</dl>");

  g_string_append_printf (html, "<p><a href=\"/v/%s/letter.pdf\" id=\"pdf\">Unduh surat (PDF) "
                                "<span lang=\"en\" class=\"en\">Download the letter (PDF)</span></a></p>", id);
  lk_html_append_tag_pair (html, "p",
                           "Bandingkan surat cetak dengan PDF ini. Anda juga dapat mengunggah PDF yang Anda "
                           "terima untuk memeriksa apakah sama persis dengan surat terdaftar:",
                           "Compare the printed letter with this PDF. You may also upload the PDF you received "
                           "to check that it is exactly the registered letter:");
  g_string_append (html, "<p><a href=\"/verify\">Periksa PDF <span lang=\"en\" class=\"en\">Check a PDF</span>"
                         "</a></p>");
  lk_html_respond (msg, SOUP_STATUS_OK, html);
}

/* A file name from a letter number: "503/0112/DPMPTSP/2026" →
 * "503-0112-DPMPTSP-2026.pdf"; only [A-Za-z0-9._-] kept. */
static char *
pdf_file_name (const char *number)
{
  GString *name = g_string_new (NULL);

  for (const char *p = number; *p != '\0' && name->len < 120; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_')
        g_string_append_c (name, *p);
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  while (name->len > 0 && (name->str[name->len - 1] == '-' || name->str[name->len - 1] == '.'))
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_append (name, "surat");
  g_string_append (name, ".pdf");
  return g_string_free (name, FALSE);
}

static void
handle_letter_pdf (LkServer          *self,
                   SoupServerMessage *msg,
                   const char        *id)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *number = NULL;
  g_autofree char *file_name = NULL;
  sqlite3_stmt *stmt;
  GBytes *data;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "SELECT l.number, b.data FROM letters AS l JOIN blobs AS b ON b.sha256 = l.sha256 "
                           "WHERE l.id = ?1",
                           &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        lk_store_set_sql_error (self->store, &error, "Reading a letter's PDF");
      sqlite3_reset (stmt);
      if (error != NULL)
        lk_server_respond_internal (msg, error);
      else
        respond_not_found (msg);
      return;
    }
  number = lk_server_column_dup (stmt, 0);
  data = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
  sqlite3_reset (stmt);

  file_name = pdf_file_name (number != NULL ? number : "");
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, "filename", file_name);
  soup_message_headers_set_content_disposition (headers, "attachment", params);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Security-Policy", "default-src 'none'; sandbox");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "application/pdf", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), data);
  g_bytes_unref (data);
}

static void
handle_letter (LkServer          *self,
               SoupServerMessage *msg,
               const char        *rest)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *id = NULL;
  const char *slash = strchr (rest, '/');
  gboolean pdf = FALSE;

  if (slash != NULL)
    {
      if (!g_str_equal (slash, "/letter.pdf"))
        {
          respond_not_found (msg);
          return;
        }
      id = g_strndup (rest, slash - rest);
      pdf = TRUE;
    }
  else
    id = g_strdup (rest);

  /* A malformed id is answered like an unknown one, before any lookup. */
  if (!lk_public_letter_id_ok (id))
    {
      respond_not_found (msg);
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      respond_bad_method (msg, "GET, HEAD");
      return;
    }

  g_debug ("Public letter page %s%s", id, pdf ? " (PDF)" : "");
  if (pdf)
    handle_letter_pdf (self, msg, id);
  else
    handle_letter_page (self, msg, id);
}

/* Router */

gsize
lk_server_public_body_limit (const char *method,
                             const char *path)
{
  if (method != SOUP_METHOD_POST || path == NULL)
    return 0;
  if (g_str_equal (path, "/verify"))
    return LK_PUBLIC_VERIFY_MAX_BODY;
  if (g_str_has_prefix (path, "/apply/"))
    return LK_APPLY_MAX_BODY;
  return 0;
}

void
lk_server_handle_public (LkServer          *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);

  if (lk_html_serve_static (msg, path))
    return;

  if (g_str_equal (path, "/"))
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        respond_bad_method (msg, "GET, HEAD");
      else
        handle_home (msg);
    }
  else if (g_str_has_prefix (path, "/v/"))
    handle_letter (self, msg, path + strlen ("/v/"));
  else if (g_str_equal (path, "/verify"))
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD && method != SOUP_METHOD_POST)
        respond_bad_method (msg, "GET, HEAD, POST");
      else
        lk_server_handle_verify (self, msg);
    }
  else if (g_str_equal (path, "/apply") || g_str_has_prefix (path, "/apply/"))
    lk_server_handle_apply (self, msg, path, query);
  else if (g_str_equal (path, "/track"))
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        respond_bad_method (msg, "GET, HEAD");
      else
        lk_server_handle_track (self, msg, query);
    }
  else
    respond_not_found (msg);
}
