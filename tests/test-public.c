/* test-public.c — the public pages on a real loket-server: the letter page
 * /v/ID (valid, revoked, superseded, forged and malformed ids), POST
 * /verify with a PAdES letter signed on a SoftHSM2 token, citizen intake
 * /apply with hostile input, and /track
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "sign/lk-pades.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"
#include "store/lk-store-private.h"

#include "lk-test-token.h"
#include "lk-test-util.h"

#define SEED_CASES   12
#define CSP          "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " \
                     "frame-ancestors 'none'; base-uri 'none'"
#define HOSTILE      "<script>alert(\"x\")</script>'&"
#define HOSTILE_HTML "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;"
#define MIB          (1024 * 1024)
/* Files that are no PDF, PNG or JPEG, and a form cut off in its part. */
#define EXE            "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff"
#define GIF            "GIF89a\1\0\1\0\0\0\0;"
#define TRUNCATED_FORM "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n%PDF-"

/* Letter ids (26 characters of [a-z2-7]). */
#define ID_VALID      "validletter2345abcdefghijk"
#define ID_REVOKED    "revokedletter234abcdefghij"
#define ID_SUPERSEDED "supersededletter234abcdefg"
#define ID_FORGED     "forgedletter234567abcdefgh"

static LkTestToken *test_token;
static LkTokenKey *rsa_key;

typedef struct
{
  char         *dir;
  LkTestServer *server;
  LkStore      *db;
  char         *case_id;     /* a seeded case the letters belong to */
  char         *unit_id;
  char         *valid_pdf;   /* the signed PDFs of the valid and revoked letters */
  char         *revoked_pdf;
} Fixture;

/* HTTP */

static LkTestReply *
http_raw (Fixture    *f,
          const char *method,
          const char *path,
          const char *content_type,
          GBytes     *body)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *url = g_strconcat (f->server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;
  LkTestReply *reply;
  char *text;
  gsize size;

  g_assert_nonnull (msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  received = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  size = g_bytes_get_size (received);
  text = g_malloc (size + 1);
  if (size > 0)
    memcpy (text, g_bytes_get_data (received, NULL), size);
  text[size] = '\0';
  reply = g_new0 (LkTestReply, 1);
  reply->status = soup_message_get_status (msg);
  reply->body = g_bytes_new_take (text, size);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static LkTestReply *
get (Fixture    *f,
     const char *path)
{
  return http_raw (f, "GET", path, NULL, NULL);
}

static LkTestReply *
post_form (Fixture       *f,
           const char    *path,
           SoupMultipart *form)
{
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autofree char *content_type = NULL;
  LkTestReply *reply;

  soup_multipart_to_message (form, headers, &body);
  content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  soup_message_headers_unref (headers);
  reply = http_raw (f, "POST", path, content_type, body);
  soup_multipart_free (form);
  return reply;
}

static SoupMultipart *
form_with_file (const char *name,
                const char *filename,
                GBytes     *data)
{
  SoupMultipart *form = soup_multipart_new ("multipart/form-data");

  soup_multipart_append_form_file (form, name, filename, "application/pdf", data);
  return form;
}

static gboolean
has (LkTestReply *reply,
     const char  *text)
{
  return strstr (lk_test_reply_text (reply), text) != NULL;
}

static void
assert_html (LkTestReply *reply,
             guint        status)
{
  if (reply->status != status)
    g_test_message ("Unexpected %u: %.400s", reply->status, lk_test_reply_text (reply));
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==, "text/html");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (reply->headers, "Content-Security-Policy"), CSP));
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Referrer-Policy"), ==, "no-referrer");
  g_assert_true (g_str_has_prefix (lk_test_reply_text (reply), "<!doctype html>"));
}

/* The database */

static void
bind_args (sqlite3_stmt *stmt,
           va_list       args)
{
  const char *value;
  int i = 1;

  while ((value = va_arg (args, const char *)) != NULL)
    sqlite3_bind_text (stmt, i++, value, -1, SQLITE_TRANSIENT);
}

/* SQL with text parameters (NULL-terminated) → the first column as an
 * integer. */
static gint64
db_int (Fixture    *f,
        const char *sql,
        ...)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  va_list args;
  gint64 value;

  g_assert_no_error (error);
  va_start (args, sql);
  bind_args (stmt, args);
  va_end (args);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static char *
db_text (Fixture    *f,
         const char *sql,
         ...)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  char *value = NULL;
  va_list args;

  g_assert_no_error (error);
  va_start (args, sql);
  bind_args (stmt, args);
  va_end (args);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
db_run (Fixture    *f,
        const char *sql,
        ...)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (f->db, sql, &error);
  va_list args;

  g_assert_no_error (error);
  va_start (args, sql);
  bind_args (stmt, args);
  va_end (args);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

typedef struct
{
  gint64 cases, documents, blobs, history, secrets, mails;
} Counts;

static void
count_rows (Fixture *f,
            Counts  *out)
{
  out->cases = db_int (f, "SELECT count(*) FROM cases", NULL);
  out->documents = db_int (f, "SELECT count(*) FROM documents", NULL);
  out->blobs = db_int (f, "SELECT count(*) FROM blobs", NULL);
  out->history = db_int (f, "SELECT count(*) FROM history", NULL);
  out->secrets = db_int (f, "SELECT count(*) FROM case_secrets", NULL);
  out->mails = db_int (f, "SELECT count(*) FROM mail_queue", NULL);
}

static void
assert_nothing_stored (Fixture      *f,
                       const Counts *before)
{
  Counts now;

  count_rows (f, &now);
  g_assert_cmpint (now.cases, ==, before->cases);
  g_assert_cmpint (now.documents, ==, before->documents);
  g_assert_cmpint (now.blobs, ==, before->blobs);
  g_assert_cmpint (now.history, ==, before->history);
  g_assert_cmpint (now.secrets, ==, before->secrets);
  g_assert_cmpint (now.mails, ==, before->mails);
}

/* PDFs */

static void
make_pdf (const char *path,
          const char *text)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, text);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static char *
make_signed_pdf (Fixture    *f,
                 const char *name,
                 const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain_name = g_strconcat (name, "-plain.pdf", NULL);
  g_autofree char *signed_name = g_strconcat (name, ".pdf", NULL);
  g_autofree char *plain = g_build_filename (f->dir, plain_name, NULL);
  char *out = g_build_filename (f->dir, signed_name, NULL);

  make_pdf (plain, text);
  lk_pades_sign (rsa_key, NULL, NULL, plain, out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

/* Registers the PDF at PATH as letter ID with STATUS. */
static void
add_letter (Fixture    *f,
            const char *id,
            const char *path,
            const char *number,
            const char *status,
            const char *reason,
            const char *superseded_by)
{
  g_autoptr(GBytes) data = read_file (path);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  g_autoptr(JsonObject) letter = json_object_new ();
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  stmt = lk_store_prepare (f->db, "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (gint64) g_bytes_get_size (data));
  sqlite3_bind_blob64 (stmt, 3, g_bytes_get_data (data, NULL), g_bytes_get_size (data), SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  json_object_set_string_member (letter, "id", id);
  json_object_set_string_member (letter, "case_id", f->case_id);
  json_object_set_string_member (letter, "number", number);
  json_object_set_string_member (letter, "unit", f->unit_id);
  json_object_set_string_member (letter, "subject", "Surat Keterangan Domisili");
  json_object_set_string_member (letter, "signer_name", "Drs. Pejabat Demo, M.Si.");
  json_object_set_string_member (letter, "signer_position", "Kepala Dinas");
  /* 2026-11-28 10:00 UTC: the 28th in every Indonesian time zone. */
  json_object_set_int_member (letter, "signed_at", 1795860000);
  json_object_set_string_member (letter, "sha256", sha256);
  json_object_set_int_member (letter, "template_version", 1);
  json_object_set_string_member (letter, "status", status);
  if (reason != NULL)
    {
      json_object_set_string_member (letter, "status_reason", reason);
      json_object_set_int_member (letter, "status_at", 1795946400);
    }
  else
    {
      json_object_set_null_member (letter, "status_reason");
      json_object_set_null_member (letter, "status_at");
    }
  if (superseded_by != NULL)
    json_object_set_string_member (letter, "superseded_by", superseded_by);
  else
    json_object_set_null_member (letter, "superseded_by");
  json_object_set_string_member (letter, "delivery_state", "delivered");
  json_object_set_null_member (letter, "delivery_error");
  json_object_set_null_member (letter, "delivered_at");
  json_object_set_int_member (letter, "version", 1);
  lk_store_upsert_json (f->db, LK_KIND_LETTER, letter, &error);
  g_assert_no_error (error);
}

/* Fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *superseded_pdf = NULL;
  const char *args[] = { "--trust", test_token->ca_pem, NULL };

  f->dir = lk_test_make_tmpdir ("public");
  db_path = g_build_filename (f->dir, "server.db", NULL);
  f->server = lk_test_server_start_full (db_path, 0, SEED_CASES, args, &error);
  g_assert_no_error (error);
  f->db = lk_store_open (db_path, LK_STORE_KIND_SERVER, &error);
  g_assert_no_error (error);

  f->case_id = db_text (f, "SELECT id FROM cases ORDER BY id LIMIT 1", NULL);
  f->unit_id = db_text (f, "SELECT id FROM units WHERE code = 'DPMPTSP'", NULL);
  g_assert_nonnull (f->case_id);
  g_assert_nonnull (f->unit_id);

  f->valid_pdf = make_signed_pdf (f, "valid", "Surat Keterangan Domisili 470/0001/DPMPTSP/2026");
  f->revoked_pdf = make_signed_pdf (f, "revoked", "Surat Keterangan Domisili 470/0002/DPMPTSP/2026");
  superseded_pdf = make_signed_pdf (f, "superseded", "Surat Keterangan Domisili 470/0003/DPMPTSP/2026");
  add_letter (f, ID_VALID, f->valid_pdf, "470/0001/DPMPTSP/2026", "valid", NULL, NULL);
  add_letter (f, ID_REVOKED, f->revoked_pdf, "470/0002/DPMPTSP/2026", "revoked",
              "Data pemohon <b>keliru</b> & diganti", NULL);
  add_letter (f, ID_SUPERSEDED, superseded_pdf, "470/0003/DPMPTSP/2026", "superseded", "Diganti", ID_VALID);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->server != NULL)
    g_assert_true (lk_test_server_stop (f->server, FALSE));
  g_clear_pointer (&f->server, lk_test_server_free);
  g_clear_object (&f->db);
  g_free (f->case_id);
  g_free (f->unit_id);
  g_free (f->valid_pdf);
  g_free (f->revoked_pdf);
  lk_test_rm_rf (f->dir);
}

/* /v/ID */

static void
assert_no_personal_data (Fixture     *f,
                         LkTestReply *reply)
{
  const char *columns[] = { "nik", "email", "phone", "address", "applicant_name" };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM cases WHERE id = ?1", columns[i]);
      g_autofree char *value = db_text (f, sql, f->case_id, NULL);

      if (value != NULL && *value != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (value, -1);

          g_assert_false (has (reply, value));
          g_assert_false (has (reply, escaped));
        }
    }
}

static void
test_letter_valid (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(LkTestReply) page = get (f, "/v/" ID_VALID);
  g_autoptr(LkTestReply) head = http_raw (f, "HEAD", "/v/" ID_VALID, NULL, NULL);
  g_autoptr(LkTestReply) pdf = get (f, "/v/" ID_VALID "/letter.pdf");
  g_autoptr(LkTestReply) css = get (f, "/static/loket.css");
  g_autoptr(GBytes) expected = read_file (f->valid_pdf);
  g_autofree char *disposition = NULL;
  g_autoptr(GHashTable) params = NULL;

  assert_html (page, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Cache-Control"), ==, "no-store");
  g_assert_true (has (page, "data-status=\"valid\""));
  g_assert_true (has (page, "Dokumen ini asli dan berlaku"));
  g_assert_true (has (page, "This letter is genuine and valid"));
  g_assert_false (has (page, "DICABUT"));
  g_assert_false (has (page, "DIGANTI"));
  g_assert_true (has (page, "470/0001/DPMPTSP/2026"));
  g_assert_true (has (page, "DPMPTSP Kota Pontianak"));
  g_assert_true (has (page, "Surat Keterangan Domisili"));
  g_assert_true (has (page, "Drs. Pejabat Demo, M.Si."));
  g_assert_true (has (page, "Kepala Dinas"));
  g_assert_true (has (page, "28 November 2026"));
  g_assert_true (has (page, "href=\"/v/" ID_VALID "/letter.pdf\""));
  g_assert_false (has (page, "<script"));
  assert_no_personal_data (f, page);

  g_assert_cmpuint (head->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (head->body), ==, 0);

  g_assert_cmpuint (pdf->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (pdf->headers, NULL), ==, "application/pdf");
  g_assert_cmpstr (soup_message_headers_get_one (pdf->headers, "Cache-Control"), ==, "no-store");
  g_assert_true (soup_message_headers_get_content_disposition (pdf->headers, &disposition, &params));
  g_assert_cmpstr (disposition, ==, "attachment");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "470-0001-DPMPTSP-2026.pdf");
  g_assert_true (g_bytes_equal (pdf->body, expected));

  g_assert_cmpuint (css->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (css->headers, NULL), ==, "text/css");
}

static void
test_letter_revoked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LkTestReply) page = get (f, "/v/" ID_REVOKED);

  assert_html (page, SOUP_STATUS_OK);
  g_assert_true (has (page, "data-status=\"revoked\""));
  g_assert_true (has (page, "DICABUT"));
  g_assert_true (has (page, "REVOKED"));
  g_assert_false (has (page, "Dokumen ini asli dan berlaku"));
  g_assert_true (has (page, "Data pemohon &lt;b&gt;keliru&lt;/b&gt; &amp; diganti"));
  g_assert_false (has (page, "<b>keliru"));
  g_assert_true (has (page, "470/0002/DPMPTSP/2026"));
  assert_no_personal_data (f, page);
}

static void
test_letter_superseded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(LkTestReply) page = get (f, "/v/" ID_SUPERSEDED);

  assert_html (page, SOUP_STATUS_OK);
  g_assert_true (has (page, "data-status=\"superseded\""));
  g_assert_true (has (page, "DIGANTI"));
  g_assert_true (has (page, "SUPERSEDED"));
  g_assert_false (has (page, "Dokumen ini asli dan berlaku"));
  g_assert_true (has (page, "href=\"/v/" ID_VALID "\""));
  g_assert_true (has (page, "470/0001/DPMPTSP/2026"));
}

static void
test_letter_not_found (Fixture       *f,
                       gconstpointer  data)
{
  const char *paths[] = {
    "/v/" ID_FORGED,
    "/v/" ID_FORGED "/letter.pdf",
    "/v/VALIDLETTER2345ABCDEFGHIJK",       /* upper case */
    "/v/validletter2345abcdefghij",        /* 25 characters */
    "/v/validletter2345abcdefghijkl",      /* 27 */
    "/v/validletter0189abcdefghijk",       /* 0, 1, 8, 9 are not base32 */
    "/v/validletter2345abcdefgh%27",
    "/v/%27%20OR%201%3D1--%20aaaaaaaaaaaaa",
    "/v/" ID_VALID "/other.pdf",
    "/v/" ID_VALID "/letter.pdf/x",
    "/v/",
    "/v",
    "/nowhere",
  };
  g_autoptr(LkTestReply) first = get (f, paths[0]);

  assert_html (first, SOUP_STATUS_NOT_FOUND);
  g_assert_true (has (first, "Halaman tidak ditemukan"));
  for (guint i = 1; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(LkTestReply) reply = get (f, paths[i]);

      g_test_message ("GET %s", paths[i]);
      assert_html (reply, SOUP_STATUS_NOT_FOUND);
      /* Forged and malformed ids get the same answer. */
      g_assert_true (g_bytes_equal (reply->body, first->body));
    }
}

/* /verify */

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) good = read_file (f->valid_pdf);
  g_autoptr(GBytes) revoked = read_file (f->revoked_pdf);
  g_autoptr(LkTestReply) form = get (f, "/verify");
  g_autoptr(LkTestReply) same = NULL;
  g_autoptr(LkTestReply) same_revoked = NULL;
  g_autoptr(LkTestReply) changed = NULL;
  g_autoptr(LkTestReply) not_pdf = NULL;
  g_autoptr(LkTestReply) no_file = NULL;
  g_autoptr(LkTestReply) malformed = NULL;
  g_autoptr(LkTestReply) not_multipart = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GBytes) exe = g_bytes_new_static (EXE, sizeof EXE - 1);
  g_autoptr(GBytes) raw = g_bytes_new_static (TRUNCATED_FORM, sizeof TRUNCATED_FORM - 1);
  guint8 *bytes;
  gsize len;

  assert_html (form, SOUP_STATUS_OK);
  g_assert_true (has (form, "enctype=\"multipart/form-data\""));
  g_assert_true (has (form, "name=\"file\""));
  g_assert_true (has (form, "20 MiB"));

  same = post_form (f, "/verify", form_with_file ("file", "letter.pdf", good));
  assert_html (same, SOUP_STATUS_OK);
  g_assert_true (has (same, "data-identical=\"yes\""));
  g_assert_true (has (same, "data-signature=\"valid\""));
  g_assert_true (has (same, "data-status=\"valid\""));
  g_assert_true (has (same, "470/0001/DPMPTSP/2026"));

  /* Byte-identical and well signed, but revoked: the register says so. */
  same_revoked = post_form (f, "/verify", form_with_file ("file", "letter.pdf", revoked));
  assert_html (same_revoked, SOUP_STATUS_OK);
  g_assert_true (has (same_revoked, "data-identical=\"yes\""));
  g_assert_true (has (same_revoked, "data-signature=\"valid\""));
  g_assert_true (has (same_revoked, "data-status=\"revoked\""));

  /* One byte changed in the signed range (the binary comment after the
   * header): not identical, and the signature breaks. */
  bytes = g_bytes_unref_to_data (g_bytes_ref (good), &len);
  g_assert_cmpuint (len, >, 64);
  g_assert_true (bytes[9] == '%');
  bytes[10] ^= 0x01;
  tampered = g_bytes_new_take (bytes, len);
  changed = post_form (f, "/verify", form_with_file ("file", "letter.pdf", tampered));
  assert_html (changed, SOUP_STATUS_OK);
  g_assert_true (has (changed, "data-identical=\"no\""));
  g_assert_true (has (changed, "data-signature=\"invalid\""));
  g_assert_false (has (changed, "data-status="));

  not_pdf = post_form (f, "/verify", form_with_file ("file", "letter.pdf", exe));
  assert_html (not_pdf, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_true (has (not_pdf, "Bukan berkas PDF"));

  no_file = post_form (f, "/verify", form_with_file ("other", "letter.pdf", good));
  assert_html (no_file, SOUP_STATUS_BAD_REQUEST);

  malformed = http_raw (f, "POST", "/verify", "multipart/form-data; boundary=b", raw);
  assert_html (malformed, SOUP_STATUS_BAD_REQUEST);
  not_multipart = http_raw (f, "POST", "/verify", "application/pdf", good);
  assert_html (not_multipart, SOUP_STATUS_BAD_REQUEST);
}

static void
test_verify_too_large (Fixture       *f,
                       gconstpointer  data)
{
  /* Over the file limit but within the body's framing allowance: the
   * page's own check; far over it: the transport's. */
  gsize sizes[] = { 20 * MIB + 1, 21 * MIB };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint8 *fill = g_malloc0 (sizes[i]);
      g_autoptr(GBytes) big = NULL;
      g_autoptr(LkTestReply) reply = NULL;

      memcpy (fill, "%PDF-1.5\n", 9);
      big = g_bytes_new_take (fill, sizes[i]);
      reply = post_form (f, "/verify", form_with_file ("file", "big.pdf", big));
      g_test_message ("%" G_GSIZE_FORMAT " bytes: %u", sizes[i], reply->status);
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      if (i == 0)
        {
          assert_html (reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
          g_assert_true (has (reply, "20 MiB"));
        }
    }
}

/* /apply */

static GBytes *
png_bytes (void)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

  return g_bytes_new_static (png, sizeof png);
}

static GBytes *
jpeg_bytes (void)
{
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0 };

  return g_bytes_new_static (jpeg, sizeof jpeg);
}

static GBytes *
pdf_bytes (void)
{
  static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

  return g_bytes_new_static (pdf, sizeof pdf - 1);
}

/* The SKU form (a business service, five requirements) filled in well;
 * DOC_0 replaces the first file when not NULL. */
static SoupMultipart *
sku_form (Fixture    *f,
          const char *text,
          const char *nik,
          GBytes     *doc_0)
{
  SoupMultipart *form = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) pdf = pdf_bytes ();
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(GBytes) jpeg = jpeg_bytes ();

  soup_multipart_append_form_string (form, "applicant_name", text != NULL ? text : "Siti Rahma");
  soup_multipart_append_form_string (form, "nik", nik != NULL ? nik : text != NULL ? text : "6171054512900001");
  soup_multipart_append_form_string (form, "email", text != NULL ? text : "siti.rahma@contoh.id");
  soup_multipart_append_form_string (form, "phone", text != NULL ? text : "0812 3456 7890");
  soup_multipart_append_form_string (form, "address", text != NULL ? text : "Jl. Gajah Mada No. 5\nPontianak");
  soup_multipart_append_form_string (form, "business_name", text != NULL ? text : "Warung Kopi Siti");
  soup_multipart_append_form_string (form, "nib", text != NULL ? text : "9120001234567");
  soup_multipart_append_form_string (form, "unit", text != NULL ? text : f->unit_id);
  soup_multipart_append_form_file (form, "doc_0", "pengantar.pdf", "application/pdf", doc_0 != NULL ? doc_0 : pdf);
  soup_multipart_append_form_file (form, "doc_1", "ktp.png", "image/png", png);
  soup_multipart_append_form_file (form, "doc_2", "kk.jpg", "image/jpeg", jpeg);
  soup_multipart_append_form_file (form, "doc_3", "usaha.pdf", "application/pdf", pdf);
  soup_multipart_append_form_file (form, "doc_4", "denah.pdf", "application/pdf", pdf);
  return form;
}

static void
test_apply_form (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LkTestReply) list = get (f, "/apply");
  g_autoptr(LkTestReply) sku = get (f, "/apply/SKU");
  g_autoptr(LkTestReply) skd = get (f, "/apply/SKD");
  g_autoptr(LkTestReply) unknown = get (f, "/apply/NOPE");
  g_autoptr(LkTestReply) hostile = get (f, "/apply/%3Cscript%3E");
  g_autoptr(LkTestReply) script = get (f, "/static/apply.js");
  const char *csp;

  assert_html (list, SOUP_STATUS_OK);
  g_assert_true (has (list, "href=\"/apply/SKU\""));
  g_assert_true (has (list, "Surat Keterangan Usaha"));

  assert_html (sku, SOUP_STATUS_OK);
  csp = soup_message_headers_get_one (sku->headers, "Content-Security-Policy");
  g_assert_nonnull (strstr (csp, "script-src 'self'"));
  g_assert_true (has (sku, "<script src=\"/static/apply.js\"></script>"));
  g_assert_true (has (sku, "name=\"nib\""));
  g_assert_true (has (sku, "name=\"business_name\""));
  g_assert_true (has (sku, "name=\"doc_4\""));
  g_assert_false (has (sku, "name=\"doc_5\""));
  g_assert_true (has (sku, "accept=\".pdf,.jpg,.jpeg,.png\""));
  g_assert_true (has (sku, "Denah lokasi usaha"));
  g_assert_true (has (sku, "<progress"));
  g_assert_true (has (sku, "10 MiB"));

  assert_html (skd, SOUP_STATUS_OK);
  g_assert_false (has (skd, "name=\"nib\""));
  /* The letter page allows no script at all. */
  {
    g_autoptr(LkTestReply) page = get (f, "/v/" ID_VALID);

    g_assert_null (strstr (soup_message_headers_get_one (page->headers, "Content-Security-Policy"), "script"));
  }

  assert_html (unknown, SOUP_STATUS_NOT_FOUND);
  assert_html (hostile, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (script->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (script->headers, NULL), ==, "text/javascript");
}

static void
test_apply_hostile (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) gif = g_bytes_new_static (GIF, sizeof GIF - 1);
  g_autoptr(GBytes) exe = g_bytes_new_static (EXE, sizeof EXE - 1);
  Counts before;

  count_rows (f, &before);

  /* Script in every text field: refused (400), shown escaped. */
  {
    g_autoptr(LkTestReply) reply = post_form (f, "/apply/SKU", sku_form (f, HOSTILE, NULL, NULL));

    assert_html (reply, SOUP_STATUS_BAD_REQUEST);
    g_assert_false (has (reply, "<script>alert"));
    /* Each of the six inputs refilled, escaped. */
    {
      const char *p = lk_test_reply_text (reply);
      guint n = 0;

      while ((p = strstr (p, "value=\"" HOSTILE_HTML "\"")) != NULL)
        {
          n++;
          p++;
        }
      g_assert_cmpuint (n, ==, 6);
    }
    g_assert_true (has (reply, "The NIK must be 16 digits"));
    g_assert_true (has (reply, ">" HOSTILE_HTML "</textarea>"));
    g_assert_true (has (reply, "id=\"problems\""));
    g_assert_true (has (reply, "The email address is not valid"));
    g_assert_true (has (reply, "The NIB must be 13 digits"));
    g_assert_true (has (reply, "Choose the office"));
    assert_nothing_stored (f, &before);
  }

  /* Bad NIK: 400 naming it, the rest refilled. */
  {
    g_autoptr(LkTestReply) reply = post_form (f, "/apply/SKU", sku_form (f, NULL, "61710545129000", NULL));

    assert_html (reply, SOUP_STATUS_BAD_REQUEST);
    g_assert_true (has (reply, "NIK harus 16 angka"));
    g_assert_true (has (reply, "The NIK must be 16 digits"));
    g_assert_false (has (reply, "The email address is not valid"));
    g_assert_true (has (reply, "value=\"Siti Rahma\""));
    assert_nothing_stored (f, &before);
  }

  /* Wrong types by their bytes, whatever their names say. */
  {
    g_autoptr(LkTestReply) reply = post_form (f, "/apply/SKU", sku_form (f, NULL, NULL, gif));

    assert_html (reply, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
    assert_nothing_stored (f, &before);
  }
  {
    g_autoptr(LkTestReply) reply = post_form (f, "/apply/SKU", sku_form (f, NULL, NULL, exe));

    assert_html (reply, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
    g_assert_true (has (reply, "not a PDF, JPG or PNG"));
    assert_nothing_stored (f, &before);
  }

  /* A file over 10 MiB (the body within 30 MiB): 413, nothing stored. */
  {
    guint8 *fill = g_malloc0 (10 * MIB + 1);
    g_autoptr(GBytes) big = NULL;
    g_autoptr(LkTestReply) reply = NULL;

    memcpy (fill, "%PDF-1.5\n", 9);
    big = g_bytes_new_take (fill, 10 * MIB + 1);
    reply = post_form (f, "/apply/SKU", sku_form (f, NULL, NULL, big));
    assert_html (reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
    g_assert_true (has (reply, "10 MiB"));
    assert_nothing_stored (f, &before);
  }

  /* A body over 30 MiB: stopped by the limit, nothing stored. */
  {
    SoupMultipart *form = sku_form (f, NULL, NULL, NULL);
    g_autoptr(LkTestReply) reply = NULL;

    for (guint i = 0; i < 4; i++)
      {
        guint8 *fill = g_malloc0 (8 * MIB);
        g_autoptr(GBytes) chunk = NULL;

        memcpy (fill, "%PDF-1.5\n", 9);
        chunk = g_bytes_new_take (fill, 8 * MIB);
        soup_multipart_append_form_file (form, "doc_0", "x.pdf", "application/pdf", chunk);
      }
    reply = post_form (f, "/apply/SKU", form);
    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
    assert_nothing_stored (f, &before);
  }

  /* More than 20 parts, an unknown field, a field over 4096 bytes. */
  {
    SoupMultipart *form = sku_form (f, NULL, NULL, NULL);
    g_autoptr(LkTestReply) reply = NULL;

    for (guint i = 0; i < 13; i++)
      soup_multipart_append_form_string (form, "extra", "x");
    reply = post_form (f, "/apply/SKU", form);
    assert_html (reply, SOUP_STATUS_BAD_REQUEST);
    g_assert_true (has (reply, "too many parts"));
  }
  {
    SoupMultipart *form = sku_form (f, NULL, NULL, NULL);
    g_autoptr(LkTestReply) reply = NULL;

    soup_multipart_append_form_string (form, "state", "delivered");
    reply = post_form (f, "/apply/SKU", form);
    assert_html (reply, SOUP_STATUS_BAD_REQUEST);
  }
  {
    g_autofree char *long_text = g_strnfill (4097, 'a');
    g_autoptr(LkTestReply) reply = post_form (f, "/apply/SKU", sku_form (f, long_text, NULL, NULL));

    assert_html (reply, SOUP_STATUS_BAD_REQUEST);
    g_assert_true (has (reply, "at most 4096 bytes"));
  }
  /* Not multipart at all. */
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("applicant_name=x", 16);
    g_autoptr(LkTestReply) reply = http_raw (f, "POST", "/apply/SKU", "application/x-www-form-urlencoded", body);

    assert_html (reply, SOUP_STATUS_BAD_REQUEST);
  }
  assert_nothing_stored (f, &before);
}

static void
test_apply_good (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LkTestReply) reply = NULL;
  g_autofree char *receipt = NULL, *secret = NULL, *case_id = NULL, *hash = NULL;
  g_autofree char *expected_hash = NULL;
  const char *text, *start, *end;
  Counts before, after;

  count_rows (f, &before);
  reply = post_form (f, "/apply/SKU", sku_form (f, NULL, NULL, NULL));
  assert_html (reply, SOUP_STATUS_CREATED);
  text = lk_test_reply_text (reply);

  start = strstr (text, "<dd id=\"receipt\">");
  g_assert_nonnull (start);
  start += strlen ("<dd id=\"receipt\">");
  end = strchr (start, '<');
  receipt = g_strndup (start, end - start);
  g_assert_true (g_str_has_prefix (receipt, "SKU-"));
  g_assert_cmpuint (strlen (receipt), ==, strlen ("SKU-20261128-123456"));

  start = strstr (text, "id=\"secret\">");
  g_assert_nonnull (start);
  start += strlen ("id=\"secret\">");
  end = strchr (start, '<');
  secret = g_strndup (start, end - start);
  g_assert_cmpuint (strlen (secret), ==, 12);
  g_assert_true (has (reply, "Keep this receipt number and secret code"));

  count_rows (f, &after);
  g_assert_cmpint (after.cases, ==, before.cases + 1);
  g_assert_cmpint (after.history, ==, before.history + 1);
  g_assert_cmpint (after.secrets, ==, before.secrets + 1);
  g_assert_cmpint (after.documents, ==, before.documents + 5);
  /* pdf, png, jpeg: three distinct blobs. */
  g_assert_cmpint (after.blobs, ==, before.blobs + 3);

  case_id = db_text (f, "SELECT id FROM cases WHERE receipt = ?1", receipt, NULL);
  g_assert_nonnull (case_id);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM cases WHERE id = ?1 AND state = 'submitted' AND "
                              "applicant_name = 'Siti Rahma' AND nik = '6171054512900001' AND "
                              "nib = '9120001234567' AND business_name = 'Warung Kopi Siti' AND "
                              "email = 'siti.rahma@contoh.id' AND unit = ?2 AND sla_due IS NOT NULL AND "
                              "created_at > 0 AND version = 1", case_id, f->unit_id, NULL), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM history WHERE case_id = ?1 AND to_state = 'submitted' AND "
                              "from_state IS NULL AND actor = 'citizen'", case_id, NULL), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM documents AS d JOIN blobs AS b ON b.sha256 = d.sha256 "
                              "WHERE d.case_id = ?1 AND b.size = d.size", case_id, NULL), ==, 5);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM documents WHERE case_id = ?1 AND position = 1 AND "
                              "mime_type = 'image/png' AND name = 'Fotokopi KTP.png'", case_id, NULL), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM documents WHERE case_id = ?1 AND position = 2 AND "
                              "mime_type = 'image/jpeg'", case_id, NULL), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM changes WHERE kind = 'case' AND record_id = ?1",
                           case_id, NULL), ==, 1);
  /* The receipt mail is queued in the same transaction (lk-server-mail.h). */
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM mail_queue WHERE kind = 'receipt' AND case_id = ?1",
                           case_id, NULL), ==, 1);
  hash = db_text (f, "SELECT secret_hash FROM case_secrets WHERE case_id = ?1", case_id, NULL);
  expected_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  g_assert_cmpstr (hash, ==, expected_hash);
  /* The secret itself is nowhere in the database. */
  g_assert_cmpint (db_int (f, "SELECT count(*) FROM case_secrets WHERE secret_hash LIKE '%' || ?1 || '%'",
                           secret, NULL), ==, 0);

  /* /track: the right pair shows the state; wrong ones the same 404. */
  {
    g_autofree char *escaped = g_uri_escape_string (receipt, NULL, FALSE);
    g_autofree char *lower = g_ascii_strdown (secret, -1);
    g_autofree char *dashed = g_strdup_printf ("%.4s-%.4s-%.4s", lower, lower + 4, lower + 8);
    g_autofree char *right = g_strdup_printf ("/track?receipt=%s&secret=%s", escaped, dashed);
    g_autofree char *wrong_secret = g_strdup_printf ("/track?receipt=%s&secret=%s", escaped,
                                                     secret[0] == 'A' ? "BBBBBBBBBBBB" : "AAAAAAAAAAAA");
    g_autofree char *wrong_receipt = g_strdup_printf ("/track?receipt=SKU-20200101-000001&secret=%s", secret);
    g_autoptr(LkTestReply) form = get (f, "/track");
    g_autoptr(LkTestReply) ok = get (f, right);
    g_autoptr(LkTestReply) bad_secret = get (f, wrong_secret);
    g_autoptr(LkTestReply) bad_receipt = get (f, wrong_receipt);

    assert_html (form, SOUP_STATUS_OK);
    g_assert_true (has (form, "name=\"secret\""));

    assert_html (ok, SOUP_STATUS_OK);
    g_assert_true (has (ok, "data-state=\"submitted\""));
    g_assert_true (has (ok, "Received, waiting for the documents to be checked"));
    g_assert_true (has (ok, receipt));
    g_assert_false (has (ok, "6171054512900001"));
    g_assert_false (has (ok, "siti.rahma@contoh.id"));

    assert_html (bad_secret, SOUP_STATUS_NOT_FOUND);
    assert_html (bad_receipt, SOUP_STATUS_NOT_FOUND);
    g_assert_false (has (bad_secret, "data-state"));
    /* No oracle: the same page, but for the receipt typed back into the form. */
    {
      g_autofree char *a = g_strdup (lk_test_reply_text (bad_secret));
      g_autofree char *b = g_strdup (lk_test_reply_text (bad_receipt));
      GRegex *regex = g_regex_new ("id=\"receipt\"[^>]*>", 0, 0, NULL);
      g_autofree char *a2 = g_regex_replace_literal (regex, a, -1, 0, "", 0, NULL);
      g_autofree char *b2 = g_regex_replace_literal (regex, b, -1, 0, "", 0, NULL);

      g_regex_unref (regex);
      g_assert_cmpstr (a2, ==, b2);
    }

    /* The letter delivered for the case is linked. */
    db_run (f, "UPDATE letters SET case_id = ?1 WHERE id = ?2", case_id, ID_VALID, NULL);
    db_run (f, "UPDATE cases SET state = 'delivered' WHERE id = ?1", case_id, NULL);
    {
      g_autoptr(LkTestReply) delivered = get (f, right);

      assert_html (delivered, SOUP_STATUS_OK);
      g_assert_true (has (delivered, "data-state=\"delivered\""));
      g_assert_true (has (delivered, "href=\"/v/" ID_VALID "\""));
    }

    /* Two failures so far; three more reach the limit of five, and then
     * even the right pair waits. */
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(LkTestReply) again = get (f, wrong_secret);

        assert_html (again, SOUP_STATUS_NOT_FOUND);
      }
    {
      g_autoptr(LkTestReply) blocked = get (f, right);

      assert_html (blocked, 429);
      g_assert_false (has (blocked, "data-state"));
    }
  }
}

/* At most 20 applications from one address in 10 minutes. */
static void
test_apply_rate_limit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LkTestReply) blocked = NULL;
  Counts before, after;

  count_rows (f, &before);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(LkTestReply) reply = post_form (f, "/apply/SKU", sku_form (f, NULL, NULL, NULL));

      assert_html (reply, SOUP_STATUS_CREATED);
    }
  blocked = post_form (f, "/apply/SKU", sku_form (f, NULL, NULL, NULL));
  assert_html (blocked, 429);
  g_assert_true (has (blocked, "Too many applications"));
  count_rows (f, &after);
  g_assert_cmpint (after.cases, ==, before.cases + 20);
  g_assert_cmpint (db_int (f, "SELECT count(DISTINCT receipt) FROM cases", NULL), ==, after.cases);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-public", TRUE, &error);
  g_assert_no_error (error);
  lk_token_init (lk_test_token_module_path (), &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/public/letter/valid", Fixture, NULL, fixture_set_up, test_letter_valid, fixture_tear_down);
  g_test_add ("/public/letter/revoked", Fixture, NULL, fixture_set_up, test_letter_revoked, fixture_tear_down);
  g_test_add ("/public/letter/superseded", Fixture, NULL, fixture_set_up, test_letter_superseded,
              fixture_tear_down);
  g_test_add ("/public/letter/not-found", Fixture, NULL, fixture_set_up, test_letter_not_found,
              fixture_tear_down);
  g_test_add ("/public/verify", Fixture, NULL, fixture_set_up, test_verify, fixture_tear_down);
  g_test_add ("/public/verify/too-large", Fixture, NULL, fixture_set_up, test_verify_too_large,
              fixture_tear_down);
  g_test_add ("/public/apply/form", Fixture, NULL, fixture_set_up, test_apply_form, fixture_tear_down);
  g_test_add ("/public/apply/hostile", Fixture, NULL, fixture_set_up, test_apply_hostile, fixture_tear_down);
  g_test_add ("/public/apply/good", Fixture, NULL, fixture_set_up, test_apply_good, fixture_tear_down);
  g_test_add ("/public/apply/rate-limit", Fixture, NULL, fixture_set_up, test_apply_rate_limit,
              fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
