/* lk-server-apply-track.c — GET /track: a case's state for whoever holds
 * its receipt number and the secret from the receipt
 *
 * A wrong receipt and a wrong secret get the same answer after the same
 * work (no oracle for receipt numbers); failures are counted per address
 * (LkThrottle, LK_SERVER_MAX_FAILURES in LK_SERVER_THROTTLE_USEC).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-html.h"
#include "lk-server-public-private.h"

typedef struct
{
  LkCaseState  state;
  const char  *id_text;
  const char  *en_text;
} StateWords;

static const StateWords state_words[] = {
  { LK_CASE_STATE_SUBMITTED, "Diterima, menunggu pemeriksaan berkas", "Received, waiting for the documents to be checked" },
  { LK_CASE_STATE_VERIFYING, "Berkas sedang diperiksa petugas", "An officer is checking the documents" },
  { LK_CASE_STATE_INCOMPLETE, "Berkas belum lengkap — lengkapi sesuai permintaan petugas",
    "Documents incomplete — please provide what the officer asks for" },
  { LK_CASE_STATE_VERIFIED, "Berkas lengkap dan sudah diperiksa", "Documents complete and checked" },
  { LK_CASE_STATE_INSPECTION, "Sedang dilakukan pemeriksaan lapangan", "An on-site inspection is under way" },
  { LK_CASE_STATE_APPROVED, "Disetujui, surat sedang disiapkan", "Approved, the letter is being prepared" },
  { LK_CASE_STATE_REJECTED, "Ditolak", "Rejected" },
  { LK_CASE_STATE_AWAITING_SIGNATURE, "Surat menunggu tanda tangan pejabat", "The letter awaits the official’s signature" },
  { LK_CASE_STATE_SIGNED, "Surat sudah ditandatangani dan akan dikirim", "The letter is signed and will be sent" },
  { LK_CASE_STATE_DELIVERED, "Surat sudah dikirim ke email Anda", "The letter has been sent to your email" },
  { LK_CASE_STATE_CANCELLED, "Dibatalkan", "Cancelled" },
};

static const StateWords *
words_of (const char *state_name)
{
  LkCaseState state = lk_case_state_from_string (state_name);

  for (guint i = 0; i < G_N_ELEMENTS (state_words); i++)
    if (state_words[i].state == state)
      return &state_words[i];
  return NULL;
}

static void
append_form (GString    *html,
             const char *receipt)
{
  g_string_append (html, "<form method=\"get\" action=\"/track\">"
                         "<label for=\"receipt\">Nomor tanda terima <span lang=\"en\" class=\"en\">Receipt number"
                         "</span></label><input type=\"text\" id=\"receipt\" name=\"receipt\" required "
                         "maxlength=\"64\" autocomplete=\"off\" value=\"");
  lk_html_append_escaped (html, receipt);
  g_string_append (html, "\"><label for=\"secret\">Kode rahasia <span lang=\"en\" class=\"en\">Secret code</span>"
                         "<span class=\"hint\">12 huruf dan angka dari tanda terima "
                         "<span lang=\"en\">12 letters and digits from the receipt</span></span></label>"
                         "<input type=\"text\" id=\"secret\" name=\"secret\" required maxlength=\"64\" "
                         "autocomplete=\"off\" autocapitalize=\"characters\">"
                         "<button type=\"submit\">Lacak <span lang=\"en\">Track</span></button></form>");
}

static void
respond_form (SoupServerMessage *msg,
              guint              status,
              const char        *receipt,
              const char        *problem_id,
              const char        *problem_en)
{
  GString *html = lk_html_page_begin ("Lacak permohonan / Track an application");

  lk_html_append_tag_pair (html, "h1", "Lacak permohonan", "Track an application");
  if (problem_id != NULL)
    {
      g_string_append (html, "<div class=\"problems\" id=\"problems\" role=\"alert\">");
      lk_html_append_tag_pair (html, "p", problem_id, problem_en);
      g_string_append (html, "</div>");
    }
  else
    lk_html_append_tag_pair (html, "p",
                             "Masukkan nomor tanda terima dan kode rahasia dari tanda terima Anda.",
                             "Enter the receipt number and the secret code from your receipt.");
  append_form (html, receipt);
  lk_html_respond (msg, status, html);
}

/* The secret as typed: spaces and dashes dropped, upper case. NULL when
 * something else is in it. */
static char *
normalize_secret (const char *secret)
{
  GString *out = g_string_new (NULL);

  for (const char *p = secret; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isalnum (*p))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, g_ascii_toupper (*p));
    }
  return g_string_free (out, FALSE);
}

/* Compares two SHA-256 hex digests in time independent of where they
 * differ. */
static gboolean
digest_equal (const char *a,
              const char *b)
{
  guint8 diff = 0;

  if (strlen (a) != 64 || strlen (b) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

static gboolean
printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      return FALSE;
  return TRUE;
}

static void
append_date_fact (GString    *html,
                  const char *id_label,
                  const char *en_label,
                  const char *dd_id,
                  const char *value)
{
  g_string_append (html, "<dt>");
  lk_html_append_pair (html, id_label, en_label);
  g_string_append_printf (html, "</dt><dd id=\"%s\">", dd_id);
  lk_html_append_escaped (html, value);
  g_string_append (html, "</dd>");
}

static gboolean
respond_case (LkServer          *self,
              SoupServerMessage *msg,
              const char        *case_id,
              const char        *receipt,
              GError           **error)
{
  g_autofree char *state = NULL, *service = NULL, *sla_due = NULL;
  g_autofree char *letter_id = NULL, *letter_number = NULL;
  g_autofree char *created = NULL, *updated = NULL;
  const StateWords *words;
  sqlite3_stmt *stmt;
  GString *html;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "SELECT c.state, s.name, c.sla_due, c.created_at, c.updated_at, "
                           "(SELECT id FROM letters WHERE case_id = c.id AND status = 'valid' "
                           " ORDER BY signed_at DESC LIMIT 1), "
                           "(SELECT number FROM letters WHERE case_id = c.id AND status = 'valid' "
                           " ORDER BY signed_at DESC LIMIT 1) "
                           "FROM cases AS c LEFT JOIN service_types AS s ON s.id = c.service_type WHERE c.id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self->store, error, "Reading a tracked case");
      sqlite3_reset (stmt);
      return FALSE;
    }
  state = lk_server_column_dup (stmt, 0);
  service = lk_server_column_dup (stmt, 1);
  sla_due = lk_server_column_dup (stmt, 2);
  created = lk_html_format_date (sqlite3_column_int64 (stmt, 3));
  updated = lk_html_format_date (sqlite3_column_int64 (stmt, 4));
  letter_id = lk_server_column_dup (stmt, 5);
  letter_number = lk_server_column_dup (stmt, 6);
  sqlite3_reset (stmt);

  words = words_of (state);
  html = lk_html_page_begin ("Status permohonan / Application status");
  lk_html_append_tag_pair (html, "h1", "Status permohonan", "Application status");
  g_string_append_printf (html, "<div class=\"banner %s\" id=\"state\" data-state=\"",
                          g_strcmp0 (state, "rejected") == 0 || g_strcmp0 (state, "cancelled") == 0
                            ? "revoked" : g_strcmp0 (state, "incomplete") == 0 ? "superseded"
                          : g_strcmp0 (state, "delivered") == 0 || g_strcmp0 (state, "signed") == 0 ? "valid" : "info");
  lk_html_append_escaped (html, state);
  g_string_append (html, "\">");
  if (words != NULL)
    {
      lk_html_append_escaped (html, words->id_text);
      g_string_append (html, "<span lang=\"en\" class=\"en\">");
      lk_html_append_escaped (html, words->en_text);
      g_string_append (html, "</span>");
    }
  else
    lk_html_append_escaped (html, state);
  g_string_append (html, "</div><dl class=\"facts\">");
  append_date_fact (html, "Nomor tanda terima", "Receipt number", "receipt", receipt);
  append_date_fact (html, "Layanan", "Service", "service", service != NULL ? service : "—");
  append_date_fact (html, "Diajukan", "Submitted", "submitted", created);
  append_date_fact (html, "Terakhir diperbarui", "Last updated", "updated", updated);
  if (sla_due != NULL && lk_case_state_is_open (lk_case_state_from_string (state)))
    {
      g_autofree char *due = lk_html_format_iso_date (sla_due);

      append_date_fact (html, "Perkiraan selesai", "Expected by", "due", due);
    }
  g_string_append (html, "</dl>");

  if (letter_id != NULL && lk_public_letter_id_ok (letter_id))
    {
      g_string_append_printf (html, "<p><a href=\"/v/%s\" id=\"letter\">", letter_id);
      lk_html_append_pair (html, "Surat Anda", "Your letter");
      g_string_append (html, " ");
      lk_html_append_escaped (html, letter_number);
      g_string_append (html, "</a></p>");
    }

  /* The history, as dates and states only. */
  stmt = lk_store_prepare (self->store, "SELECT to_state, at FROM history WHERE case_id = ?1 ORDER BY at, id LIMIT 100",
                           error);
  if (stmt == NULL)
    {
      g_string_free (html, TRUE);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  lk_html_append_tag_pair (html, "h2", "Riwayat", "History");
  g_string_append (html, "<ul id=\"history\">");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *date = lk_html_format_date (sqlite3_column_int64 (stmt, 1));
      const StateWords *step = words_of ((const char *) sqlite3_column_text (stmt, 0));

      g_string_append (html, "<li>");
      lk_html_append_escaped (html, date);
      g_string_append (html, " — ");
      if (step != NULL)
        lk_html_append_pair (html, step->id_text, step->en_text);
      g_string_append (html, "</li>");
    }
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, "Reading a tracked case's history");
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_string_free (html, TRUE);
      return FALSE;
    }
  g_string_append (html, "</ul>");
  lk_html_respond (msg, SOUP_STATUS_OK, html);
  return TRUE;
}

void
lk_server_handle_track (LkServer          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  /* Not a hash of any secret: what an unknown receipt is compared with. */
  static const char dummy_hash[] = "0000000000000000000000000000000000000000000000000000000000000000";
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL, *secret = NULL, *hash = NULL;
  g_autofree char *case_id = NULL, *stored = NULL;
  const char *receipt = query != NULL ? g_hash_table_lookup (query, "receipt") : NULL;
  const char *secret_text = query != NULL ? g_hash_table_lookup (query, "secret") : NULL;
  const char *remote = soup_server_message_get_remote_host (msg);
  gint64 now = g_get_monotonic_time ();
  gboolean match;

  if (receipt != NULL && (strlen (receipt) > LK_TRACK_MAX_RECEIPT || !printable_ascii (receipt)))
    receipt = NULL;
  if (secret_text == NULL || *secret_text == '\0')
    {
      respond_form (msg, SOUP_STATUS_OK, receipt, NULL, NULL);
      return;
    }

  key = g_strconcat ("track:", remote != NULL ? remote : "?", NULL);
  if (lk_throttle_is_blocked (self->throttle, key, now))
    {
      respond_form (msg, 429 /* Too Many Requests */, receipt,
                    "Terlalu banyak percobaan yang salah. Tunggu beberapa menit, lalu coba lagi.",
                    "Too many wrong attempts. Wait a few minutes, then try again.");
      return;
    }

  secret = strlen (secret_text) <= LK_TRACK_MAX_SECRET ? normalize_secret (secret_text) : NULL;
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret != NULL ? secret : "", -1);

  if (receipt != NULL)
    {
      lk_server_query_row (self,
                           "SELECT c.id, s.secret_hash FROM cases AS c JOIN case_secrets AS s ON s.case_id = c.id "
                           "WHERE c.receipt = ?1 ORDER BY c.created_at DESC LIMIT 1",
                           receipt, "Looking up a receipt", NULL, &error, &case_id, &stored, NULL);
      if (error != NULL)
        {
          lk_server_respond_internal (msg, error);
          return;
        }
    }

  match = digest_equal (hash, stored != NULL ? stored : dummy_hash);
  if (!match || case_id == NULL || secret == NULL)
    {
      lk_throttle_add_failure (self->throttle, key, now);
      respond_form (msg, SOUP_STATUS_NOT_FOUND, receipt,
                    "Tidak ditemukan: nomor tanda terima atau kode rahasia salah.",
                    "Not found: the receipt number or the secret code is wrong.");
      return;
    }

  if (!respond_case (self, msg, case_id, receipt, &error))
    lk_server_respond_internal (msg, error);
}
