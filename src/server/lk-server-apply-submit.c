/* lk-server-apply-submit.c — POST /apply/CODE: a citizen's application,
 * checked (limits, file types by magic bytes, every field) and stored as a
 * new case in one transaction, answered with the receipt and its secret
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "lk-sla.h"
#include "lk-server-html.h"
#include "lk-server-public-private.h"

#define MAX_NAME_CHARS     200
#define MAX_ADDRESS_CHARS  1000
#define MAX_EMAIL_BYTES    254
#define RECEIPT_TRIES      20

/* Letters and digits that cannot be mistaken for each other. */
static const char secret_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static const char * const text_fields[] = {
  "applicant_name", "nik", "email", "phone", "address", "business_name", "nib", "unit", NULL,
};

typedef struct
{
  LkServer          *self;
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;     /* the client went away meanwhile */
  LkApplyService *service;
  GHashTable     *values;     /* field → text (valid UTF-8, ≤ LK_APPLY_MAX_FIELD) */
  GPtrArray      *problems;   /* Indonesian, English, … */
  GBytes        **files;      /* per requirement; NULL when not sent */
  LkUploadType   *types;
  char          **sha256s;    /* per requirement, made in a worker thread */
  gboolean        too_large;
  gboolean        bad_type;
} Submission;

static void
submission_free (Submission *s)
{
  if (s->finished_id != 0)
    g_signal_handler_disconnect (s->msg, s->finished_id);
  g_clear_object (&s->msg);
  g_clear_object (&s->self);
  g_strfreev (s->sha256s);
  if (s->files != NULL)
    for (guint i = 0; i < s->service->requirements->len; i++)
      g_clear_pointer (&s->files[i], g_bytes_unref);
  g_free (s->files);
  g_free (s->types);
  g_clear_pointer (&s->values, g_hash_table_unref);
  g_clear_pointer (&s->problems, g_ptr_array_unref);
  g_clear_pointer (&s->service, lk_apply_service_free);
  g_free (s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Submission, submission_free)

static void
add_problem (Submission *s,
             const char *id_text,
             const char *en_text)
{
  g_ptr_array_add (s->problems, g_strdup (id_text));
  g_ptr_array_add (s->problems, g_strdup (en_text));
}

static void
add_problem_printf (Submission *s,
                    const char *subject,
                    const char *id_text,
                    const char *en_text)
{
  g_ptr_array_add (s->problems, g_strdup_printf ("%s: %s", subject, id_text));
  g_ptr_array_add (s->problems, g_strdup (en_text));
}

static gboolean
is_text_field (const char *name)
{
  return g_strv_contains (text_fields, name);
}

/* "doc_N" with N < n: N; else -1. */
static int
file_index (const char *name,
            guint       n)
{
  guint64 index;

  if (!g_str_has_prefix (name, "doc_") || !lk_server_parse_uint64 (name + 4, n, &index) || index >= n)
    return -1;
  return (int) index;
}

/* Reads the parts; FALSE when the body is not a form of this service. */
static gboolean
read_parts (Submission    *s,
            SoupMultipart *multipart)
{
  guint n_reqs = s->service->requirements->len;
  int n = soup_multipart_get_length (multipart);
  gboolean structure_ok = TRUE;

  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = NULL, *filename = NULL;
      SoupMessageHeaders *headers;
      GBytes *body;
      int index;

      if (!soup_multipart_get_part (multipart, i, &headers, &body) ||
          !lk_public_part_name (headers, &name, &filename))
        {
          structure_ok = FALSE;
          continue;
        }

      if (is_text_field (name) && filename == NULL)
        {
          gsize len;
          const char *data = g_bytes_get_data (body, &len);

          if (g_hash_table_contains (s->values, name))
            structure_ok = FALSE;
          else if (len > LK_APPLY_MAX_FIELD || !g_utf8_validate_len (data, len, NULL))
            add_problem_printf (s, name, "isian terlalu panjang (paling banyak 4096 bita) atau bukan teks UTF-8.",
                                "the field is too long (at most 4096 bytes) or not UTF-8 text.");
          else
            g_hash_table_insert (s->values, g_strdup (name), g_strndup (data, len));
        }
      else if ((index = file_index (name, n_reqs)) >= 0)
        {
          /* A file input left empty arrives as a part without bytes. */
          if (s->files[index] != NULL)
            structure_ok = FALSE;
          else if (g_bytes_get_size (body) == 0)
            continue;
          else if (g_bytes_get_size (body) > LK_APPLY_MAX_FILE)
            s->too_large = TRUE;
          else if ((s->types[index] = lk_public_sniff (body)) == LK_UPLOAD_OTHER)
            s->bad_type = TRUE;
          else
            s->files[index] = g_bytes_ref (body);
        }
      else
        structure_ok = FALSE;
    }

  if (!structure_ok)
    add_problem (s, "Formulir berisi bagian yang tidak dikenal atau ganda; kirim lewat formulir ini.",
                 "The form has unknown or repeated parts; send it with this form.");
  return structure_ok;
}

/* The value trimmed, or NULL when empty. */
static const char *
value_of (Submission *s,
          const char *name)
{
  char *value = g_hash_table_lookup (s->values, name);

  if (value == NULL)
    return NULL;
  g_strstrip (value);
  return *value != '\0' ? value : NULL;
}

static gboolean
has_controls (const char *text,
              gboolean    multi_line)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (multi_line && (c == '\n' || c == '\r' || c == '\t'))
        continue;
      if (c < 0x20 || c == 0x7f)
        return TRUE;
    }
  return FALSE;
}

static gboolean
all_digits (const char *text,
            gsize       n)
{
  if (text == NULL || strlen (text) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
email_ok (const char *email)
{
  const char *at, *dot;

  if (email == NULL || strlen (email) > MAX_EMAIL_BYTES)
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p == 0x7f || strchr ("<>\"(),;:[]\\", *p) != NULL)
      return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

static gboolean
phone_ok (const char *phone)
{
  guint digits = 0;

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!(*p == '+' && p == phone) && *p != ' ' && *p != '-' && *p != '(' && *p != ')')
        return FALSE;
    }
  return digits >= 8 && digits <= 15;
}

static gboolean
unit_exists (LkServer    *self,
             const char  *unit,
             GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store, "SELECT 1 FROM units WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, unit, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, "Looking up a unit");
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
check_fields (LkServer    *self,
              Submission  *s,
              GError     **error)
{
  const char *name = value_of (s, "applicant_name");
  const char *nik = value_of (s, "nik");
  const char *email = value_of (s, "email");
  const char *phone = value_of (s, "phone");
  const char *address = value_of (s, "address");
  const char *unit = value_of (s, "unit");

  if (name == NULL || g_utf8_strlen (name, -1) > MAX_NAME_CHARS || has_controls (name, FALSE))
    add_problem (s, "Nama lengkap wajib diisi, paling banyak 200 huruf.",
                 "The full name is required, at most 200 characters.");
  if (!all_digits (nik, 16))
    add_problem (s, "NIK harus 16 angka.", "The NIK must be 16 digits.");
  if (!email_ok (email))
    add_problem (s, "Alamat email tidak sah (contoh: nama@contoh.id).",
                 "The email address is not valid (e.g. name@example.id).");
  if (phone != NULL && !phone_ok (phone))
    add_problem (s, "Nomor telepon harus 8–15 angka (boleh diawali +).",
                 "The phone number must be 8–15 digits (a leading + is fine).");
  if (address == NULL || g_utf8_strlen (address, -1) > MAX_ADDRESS_CHARS || has_controls (address, TRUE))
    add_problem (s, "Alamat wajib diisi, paling banyak 1000 huruf.",
                 "The address is required, at most 1000 characters.");
  if (s->service->needs_business)
    {
      const char *business = value_of (s, "business_name");

      if (business == NULL || g_utf8_strlen (business, -1) > MAX_NAME_CHARS || has_controls (business, FALSE))
        add_problem (s, "Nama usaha wajib diisi, paling banyak 200 huruf.",
                     "The business name is required, at most 200 characters.");
      if (!all_digits (value_of (s, "nib"), 13))
        add_problem (s, "NIB harus 13 angka.", "The NIB must be 13 digits.");
    }
  if (unit == NULL || strlen (unit) > 128 || !unit_exists (self, unit, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      add_problem (s, "Pilih kantor yang menangani permohonan.", "Choose the office that handles the application.");
    }
  for (guint i = 0; i < s->service->requirements->len; i++)
    if (s->files[i] == NULL)
      add_problem_printf (s, g_ptr_array_index (s->service->requirements, i),
                          "berkas wajib diunggah.", "this file is required.");

  return TRUE;
}

/* Storing */

static char *
new_secret (GError **error)
{
  guint8 random[LK_TRACK_SECRET_LENGTH];
  char *secret;

  if (gnutls_rnd (GNUTLS_RND_KEY, random, sizeof random) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The system random generator failed");
      return NULL;
    }
  secret = g_malloc (LK_TRACK_SECRET_LENGTH + 1);
  for (guint i = 0; i < LK_TRACK_SECRET_LENGTH; i++)
    secret[i] = secret_alphabet[random[i] % (sizeof secret_alphabet - 1)];
  secret[LK_TRACK_SECRET_LENGTH] = '\0';
  return secret;
}

/* CODE-YYYYMMDD-NNNNNN like the demo's receipts, NNNNNN random and the
 * whole unused. */
static char *
new_receipt (LkServer    *self,
             const char  *code,
             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  for (guint attempt = 0; attempt < RECEIPT_TRIES; attempt++)
    {
      g_autofree char *receipt = NULL;
      sqlite3_stmt *stmt;
      int rc;

      receipt = g_strdup_printf ("%s-%04d%02d%02d-%06u", code, g_date_time_get_year (now),
                                 g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                                 (guint) g_random_int_range (100000, 1000000));
      stmt = lk_store_prepare (self->store, "SELECT 1 FROM cases WHERE receipt = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, receipt, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        return g_steal_pointer (&receipt);
      if (rc != SQLITE_ROW)
        {
          lk_store_set_sql_error (self->store, error, "Choosing a receipt number");
          return NULL;
        }
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No free receipt number today");
  return NULL;
}

static gboolean
insert_blob (LkServer    *self,
             const char  *sha256,
             GBytes      *data,
             GError     **error)
{
  sqlite3_stmt *stmt;
  gsize len;
  const void *bytes = g_bytes_get_data (data, &len);
  int rc;

  stmt = lk_store_prepare (self->store, "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (gint64) len);
  sqlite3_bind_blob64 (stmt, 3, bytes, len, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Storing an uploaded file");
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_secret (LkServer    *self,
               const char  *case_id,
               const char  *secret,
               GError     **error)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store, "INSERT INTO case_secrets (case_id, secret_hash) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Storing the tracking secret");
      return FALSE;
    }
  return TRUE;
}

static void
set_text_or_null (JsonObject *o,
                  const char *member,
                  const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, member, value);
  else
    json_object_set_null_member (o, member);
}

/* Everything in one transaction. */
static gboolean
store_case (LkServer    *self,
            Submission  *s,
            const char  *case_id,
            const char  *secret,
            gint64       now,
            char       **out_receipt,
            char       **out_due,
            GError     **error)
{
  g_autofree char *receipt = NULL;
  g_autofree char *today = lk_sla_today ();
  g_autofree char *due = NULL;
  g_autofree char *history_id = g_uuid_string_random ();
  g_autoptr(JsonObject) kase = json_object_new ();
  g_autoptr(JsonObject) history = json_object_new ();
  gboolean business = s->service->needs_business;

  if (s->service->sla_days > 0)
    due = lk_sla_add_working_days (today, (int) MIN (s->service->sla_days, 365));

  if (!lk_store_begin (self->store, error))
    return FALSE;

  receipt = new_receipt (self, s->service->code, error);
  if (receipt == NULL)
    goto fail;

  json_object_set_string_member (kase, "id", case_id);
  json_object_set_string_member (kase, "receipt", receipt);
  json_object_set_string_member (kase, "service_type", s->service->id);
  json_object_set_string_member (kase, "unit", value_of (s, "unit"));
  json_object_set_string_member (kase, "state", "submitted");
  json_object_set_string_member (kase, "applicant_name", value_of (s, "applicant_name"));
  json_object_set_string_member (kase, "nik", value_of (s, "nik"));
  json_object_set_string_member (kase, "email", value_of (s, "email"));
  set_text_or_null (kase, "phone", value_of (s, "phone"));
  json_object_set_string_member (kase, "address", value_of (s, "address"));
  set_text_or_null (kase, "business_name", business ? value_of (s, "business_name") : NULL);
  set_text_or_null (kase, "nib", business ? value_of (s, "nib") : NULL);
  json_object_set_int_member (kase, "created_at", now);
  json_object_set_int_member (kase, "updated_at", now);
  set_text_or_null (kase, "sla_due", due);
  json_object_set_int_member (kase, "version", 1);
  json_object_set_null_member (kase, "assignee");
  if (!lk_store_upsert_json (self->store, LK_KIND_CASE, kase, error))
    goto fail;

  json_object_set_string_member (history, "id", history_id);
  json_object_set_string_member (history, "case_id", case_id);
  json_object_set_null_member (history, "from_state");
  json_object_set_string_member (history, "to_state", "submitted");
  json_object_set_string_member (history, "actor", "citizen");
  json_object_set_int_member (history, "at", now);
  json_object_set_null_member (history, "reason");
  json_object_set_int_member (history, "version", 1);
  if (!lk_store_upsert_json (self->store, LK_KIND_HISTORY, history, error))
    goto fail;

  for (guint i = 0; i < s->service->requirements->len; i++)
    {
      g_autoptr(JsonObject) document = json_object_new ();
      g_autofree char *doc_id = g_uuid_string_random ();
      const char *sha256 = s->sha256s[i];
      g_autofree char *name = g_strconcat (g_ptr_array_index (s->service->requirements, i),
                                           lk_public_upload_ext (s->types[i]), NULL);

      if (!insert_blob (self, sha256, s->files[i], error))
        goto fail;
      json_object_set_string_member (document, "id", doc_id);
      json_object_set_string_member (document, "case_id", case_id);
      json_object_set_string_member (document, "name", name);
      json_object_set_string_member (document, "mime_type", lk_public_upload_mime (s->types[i]));
      json_object_set_int_member (document, "size", (gint64) g_bytes_get_size (s->files[i]));
      json_object_set_string_member (document, "sha256", sha256);
      json_object_set_int_member (document, "position", i);
      json_object_set_int_member (document, "version", 1);
      if (!lk_store_upsert_json (self->store, LK_KIND_DOCUMENT, document, error))
        goto fail;
    }

  if (!insert_secret (self, case_id, secret, error) ||
      !lk_server_mail_queue_receipt (self, case_id, secret, now, error) ||
      !lk_store_commit (self->store, error))
    goto fail;

  *out_receipt = g_steal_pointer (&receipt);
  *out_due = g_steal_pointer (&due);
  return TRUE;

fail:
  lk_store_rollback (self->store);
  return FALSE;
}

/* Successful applications counted per address: at most
 * LK_APPLY_MAX_PER_ADDRESS in LK_APPLY_WINDOW_USEC. */
static LkThrottle *
apply_throttle (LkServer *self)
{
  LkThrottle *throttle = g_object_get_data (G_OBJECT (self), "lk-apply-throttle");

  if (throttle == NULL)
    {
      throttle = lk_throttle_new (LK_APPLY_MAX_PER_ADDRESS, LK_APPLY_WINDOW_USEC);
      g_object_set_data_full (G_OBJECT (self), "lk-apply-throttle", throttle, (GDestroyNotify) lk_throttle_free);
    }
  return throttle;
}

static void
respond_receipt (SoupServerMessage *msg,
                 Submission        *s,
                 const char        *receipt,
                 const char        *secret,
                 const char        *due,
                 gint64             now)
{
  g_autofree char *date = lk_html_format_date (now);
  g_autofree char *track = g_uri_escape_string (receipt, NULL, FALSE);
  g_autofree char *due_text = due != NULL ? lk_html_format_iso_date (due) : NULL;
  GString *html = lk_html_page_begin ("Permohonan diterima / Application received");

  lk_html_append_tag_pair (html, "h1", "Permohonan diterima", "Application received");
  g_string_append (html, "<dl class=\"facts\"><dt>");
  lk_html_append_pair (html, "Nomor tanda terima", "Receipt number");
  g_string_append (html, "</dt><dd id=\"receipt\">");
  lk_html_append_escaped (html, receipt);
  g_string_append (html, "</dd><dt>");
  lk_html_append_pair (html, "Layanan", "Service");
  g_string_append (html, "</dt><dd>");
  lk_html_append_escaped (html, s->service->name);
  g_string_append (html, "</dd><dt>");
  lk_html_append_pair (html, "Tanggal", "Date");
  g_string_append (html, "</dt><dd>");
  lk_html_append_escaped (html, date);
  g_string_append (html, "</dd>");
  if (due != NULL)
    {
      g_string_append (html, "<dt>");
      lk_html_append_pair (html, "Perkiraan selesai", "Expected by");
      g_string_append (html, "</dt><dd>");
      lk_html_append_escaped (html, due_text);
      g_string_append (html, "</dd>");
    }
  g_string_append (html, "<dt>");
  lk_html_append_pair (html, "Kode rahasia", "Secret code");
  g_string_append (html, "</dt><dd><span class=\"secret\" id=\"secret\">");
  lk_html_append_escaped (html, secret);
  g_string_append (html, "</span></dd></dl><div class=\"keep\"><p><strong>");
  lk_html_append_pair (html, "Simpan nomor tanda terima dan kode rahasia ini.",
                       "Keep this receipt number and secret code.");
  g_string_append (html, "</strong></p><p>");
  lk_html_append_pair (html, "Kode rahasia hanya ditampilkan sekali di sini dan dalam email tanda terima. "
                             "Anda memerlukan keduanya untuk melacak permohonan.",
                       "The secret code is shown only once, here and in the receipt email. "
                       "You need both to track the application.");
  g_string_append (html, "</p></div>");
  g_string_append_printf (html, "<p><a href=\"/track?receipt=%s\">Lacak permohonan "
                                "<span lang=\"en\" class=\"en\">Track the application</span></a></p>", track);
  lk_html_respond (msg, SOUP_STATUS_CREATED, html);
}

static void
respond_form (LkServer          *self,
              SoupServerMessage *msg,
              Submission        *s,
              guint              status)
{
  g_autoptr(GError) error = NULL;

  if (!lk_server_apply_respond_form (self, msg, s->service->code, status, s->values, s->problems, &error))
    lk_server_respond_internal (msg, error);
}

static void
msg_finished_cb (Submission *s)
{
  s->finished = TRUE;
}

/* Worker thread: the files' SHA-256 (up to LK_APPLY_MAX_BODY bytes). */
static void
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Submission *s = task_data;
  guint n = s->service->requirements->len;

  for (guint i = 0; i < n; i++)
    s->sha256s[i] = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, s->files[i]);
  g_task_return_boolean (task, TRUE);
}

/* Main loop: one transaction, then the receipt. */
static void
hashed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Submission *s = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL, *secret = NULL, *receipt = NULL, *due = NULL;
  gint64 now;

  if (s->finished)
    return;

  case_id = g_uuid_string_random ();
  secret = new_secret (&error);
  now = g_get_real_time () / G_USEC_PER_SEC;
  if (secret == NULL || !store_case (s->self, s, case_id, secret, now, &receipt, &due, &error))
    lk_server_respond_internal (s->msg, error);
  else
    {
      const char *remote = soup_server_message_get_remote_host (s->msg);
      g_autofree char *key = g_strconcat ("apply:", remote != NULL ? remote : "?", NULL);

      lk_throttle_add_failure (apply_throttle (s->self), key, g_get_monotonic_time ());
      lk_server_mail_kick (s->self);
      g_debug ("Case %s submitted on the public form", case_id);
      respond_receipt (s->msg, s, receipt, secret, due, now);
    }
  soup_server_message_unpause (s->msg);
}

void
lk_server_apply_submit (LkServer          *self,
                        SoupServerMessage *msg,
                        const char        *code)
{
  g_autoptr(Submission) s = g_new0 (Submission, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *remote = soup_server_message_get_remote_host (msg);
  SoupMultipart *multipart;
  gboolean too_many = FALSE;
  gboolean structure_ok;

  s->service = lk_apply_service_load (self, code, &error);
  if (s->service == NULL)
    {
      if (error != NULL)
        lk_server_respond_internal (msg, error);
      else
        lk_html_respond_problem (msg, SOUP_STATUS_NOT_FOUND, "Layanan tidak ditemukan", "No such service",
                                 "Pilih layanan dari daftar di halaman Ajukan.",
                                 "Choose a service from the list on the Apply page.");
      return;
    }

  key = g_strconcat ("apply:", remote != NULL ? remote : "?", NULL);
  if (lk_throttle_is_blocked (apply_throttle (self), key, g_get_monotonic_time ()))
    {
      lk_html_respond_problem (msg, 429 /* Too Many Requests */, "Terlalu banyak permohonan",
                               "Too many applications",
                               "Terlalu banyak permohonan dari alamat ini. Tunggu beberapa menit, lalu coba lagi.",
                               "Too many applications from this address. Wait a few minutes, then try again.");
      return;
    }

  s->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->problems = g_ptr_array_new_with_free_func (g_free);
  s->files = g_new0 (GBytes *, s->service->requirements->len + 1);
  s->types = g_new0 (LkUploadType, s->service->requirements->len + 1);

  multipart = lk_public_parse_multipart (msg, LK_APPLY_MAX_PARTS, &too_many);
  if (multipart == NULL)
    {
      if (too_many)
        add_problem (s, "Formulir berisi terlalu banyak bagian (paling banyak 20).",
                     "The form has too many parts (at most 20).");
      else
        add_problem (s, "Permintaan tidak dapat dibaca; kirim lewat formulir ini.",
                     "The request cannot be read; send it with this form.");
      respond_form (self, msg, s, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  structure_ok = read_parts (s, multipart);
  soup_multipart_free (multipart);

  /* Nothing is stored below unless every check passes. */
  if (s->too_large)
    {
      g_ptr_array_set_size (s->problems, 0);
      add_problem (s, "Ada berkas yang lebih besar dari 10 MiB.", "A file is larger than 10 MiB.");
      respond_form (self, msg, s, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      return;
    }
  if (s->bad_type)
    {
      g_ptr_array_set_size (s->problems, 0);
      add_problem (s, "Ada berkas yang bukan PDF, JPG atau PNG.", "A file is not a PDF, JPG or PNG.");
      respond_form (self, msg, s, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
      return;
    }
  if (!check_fields (self, s, &error))
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  if (!structure_ok || s->problems->len > 0)
    {
      respond_form (self, msg, s, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  /* Hashing up to 30 MiB stays off the main loop; the store does not. */
  s->self = g_object_ref (self);
  s->msg = g_object_ref (msg);
  s->sha256s = g_new0 (char *, s->service->requirements->len + 1);
  s->finished_id = g_signal_connect_swapped (msg, "finished", G_CALLBACK (msg_finished_cb), s);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, hashed_cb, NULL);
  g_task_set_source_tag (task, lk_server_apply_submit);
  g_task_set_task_data (task, g_steal_pointer (&s), (GDestroyNotify) submission_free);
  g_task_run_in_thread (task, hash_thread);
}
