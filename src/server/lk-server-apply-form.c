/* lk-server-apply-form.c — the application form of a service type (new,
 * or refilled after a refused submission) and the service types it is for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-html.h"
#include "lk-server-public-private.h"

void
lk_apply_service_free (LkApplyService *service)
{
  if (service == NULL)
    return;
  g_free (service->id);
  g_free (service->code);
  g_free (service->name);
  g_clear_pointer (&service->requirements, g_ptr_array_unref);
  g_free (service);
}

gboolean
lk_apply_code_ok (const char *code)
{
  gsize len = strlen (code);

  if (len == 0 || len > LK_APPLY_MAX_CODE)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

LkApplyService *
lk_apply_service_load (LkServer    *self,
                       const char  *code,
                       GError     **error)
{
  g_autoptr(LkApplyService) service = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *requirements = NULL;
  sqlite3_stmt *stmt;
  JsonNode *root;
  int rc;

  if (!lk_apply_code_ok (code))
    return NULL;

  stmt = lk_store_prepare (self->store,
                           "SELECT id, code, name, sla_days, needs_business, requirements "
                           "FROM service_types WHERE code = ?1 ORDER BY id LIMIT 1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        lk_store_set_sql_error (self->store, error, "Reading a service type");
      sqlite3_reset (stmt);
      return NULL;
    }
  service = g_new0 (LkApplyService, 1);
  service->id = lk_server_column_dup (stmt, 0);
  service->code = lk_server_column_dup (stmt, 1);
  service->name = lk_server_column_dup (stmt, 2);
  service->sla_days = sqlite3_column_int64 (stmt, 3);
  service->needs_business = sqlite3_column_int (stmt, 4) != 0;
  requirements = lk_server_column_dup (stmt, 5);
  sqlite3_reset (stmt);

  /* The store checked it is an array of strings when it was written. */
  service->requirements = g_ptr_array_new_with_free_func (g_free);
  parser = json_parser_new ();
  if (requirements != NULL && json_parser_load_from_data (parser, requirements, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array) && i < LK_APPLY_MAX_PARTS / 2; i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_ptr_array_add (service->requirements, g_strdup (json_node_get_string (item)));
        }
    }

  return g_steal_pointer (&service);
}

/* The form */

static void
append_label (GString    *html,
              const char *for_id,
              const char *id_text,
              const char *en_text,
              const char *hint_id,
              const char *hint_en)
{
  g_string_append_printf (html, "<label for=\"%s\">", for_id);
  lk_html_append_pair (html, id_text, en_text);
  if (hint_id != NULL)
    {
      g_string_append (html, "<span class=\"hint\">");
      lk_html_append_escaped (html, hint_id);
      g_string_append (html, " / <span lang=\"en\">");
      lk_html_append_escaped (html, hint_en);
      g_string_append (html, "</span></span>");
    }
  g_string_append (html, "</label>");
}

static void
append_input (GString    *html,
              GHashTable *values,
              const char *name,
              const char *type,
              const char *extra)
{
  const char *value = values != NULL ? g_hash_table_lookup (values, name) : NULL;

  g_string_append_printf (html, "<input type=\"%s\" id=\"%s\" name=\"%s\" %s value=\"", type, name, name, extra);
  lk_html_append_escaped (html, value);
  g_string_append (html, "\">");
}

static gboolean
append_units (LkServer   *self,
              GString    *html,
              GHashTable *values,
              GError    **error)
{
  const char *chosen = values != NULL ? g_hash_table_lookup (values, "unit") : NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store, "SELECT id, name FROM units ORDER BY name, id", error);
  if (stmt == NULL)
    return FALSE;

  g_string_append (html, "<select id=\"unit\" name=\"unit\" required><option value=\"\">— Pilih / Choose —</option>");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      g_string_append (html, "<option value=\"");
      lk_html_append_escaped (html, id);
      g_string_append (html, g_strcmp0 (id, chosen) == 0 ? "\" selected>" : "\">");
      lk_html_append_escaped (html, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append (html, "</option>");
    }
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, error, "Listing the units");
  sqlite3_reset (stmt);
  g_string_append (html, "</select>");

  return rc == SQLITE_DONE;
}

gboolean
lk_server_apply_respond_form (LkServer          *self,
                              SoupServerMessage *msg,
                              const char        *code,
                              guint              status,
                              GHashTable        *values,
                              GPtrArray         *problems,
                              GError           **error)
{
  g_autoptr(LkApplyService) service = NULL;
  g_autofree char *title = NULL;
  GString *html;

  service = lk_apply_service_load (self, code, error);
  if (service == NULL)
    return FALSE;

  title = g_strdup_printf ("%s — Permohonan / Application", service->name);
  html = lk_html_page_begin (title);
  g_string_append (html, "<h1>");
  lk_html_append_escaped (html, service->name);
  g_string_append (html, " <span lang=\"en\" class=\"en\">Application form</span></h1>");

  if (problems != NULL && problems->len > 0)
    {
      g_string_append (html, "<div class=\"problems\" id=\"problems\" role=\"alert\"><p><strong>");
      lk_html_append_pair (html, "Permohonan belum dapat diterima:", "The application cannot be accepted yet:");
      g_string_append (html, "</strong></p><ul>");
      for (guint i = 0; i + 1 < problems->len; i += 2)
        {
          g_string_append (html, "<li>");
          lk_html_append_pair (html, g_ptr_array_index (problems, i), g_ptr_array_index (problems, i + 1));
          g_string_append (html, "</li>");
        }
      g_string_append (html, "</ul><p>");
      lk_html_append_pair (html, "Perbaiki isian di bawah ini dan pilih berkas Anda sekali lagi.",
                           "Correct the form below and choose your files once more.");
      g_string_append (html, "</p></div>");
    }

  g_string_append_printf (html, "<form method=\"post\" action=\"/apply/%s\" enctype=\"multipart/form-data\" "
                                "data-progress>", service->code);
  lk_html_append_tag_pair (html, "h2", "Data pemohon", "Applicant");
  append_label (html, "applicant_name", "Nama lengkap", "Full name", "Sesuai KTP", "As on the identity card");
  append_input (html, values, "applicant_name", "text", "required maxlength=\"200\" autocomplete=\"name\"");
  append_label (html, "nik", "NIK", "Identity number (NIK)", "16 angka", "16 digits");
  append_input (html, values, "nik", "text",
                "required inputmode=\"numeric\" pattern=\"[0-9]{16}\" minlength=\"16\" maxlength=\"16\"");
  append_label (html, "email", "Email", "Email",
                "Tanda terima dan surat dikirim ke alamat ini", "The receipt and the letter are sent here");
  append_input (html, values, "email", "email", "required maxlength=\"254\" autocomplete=\"email\"");
  append_label (html, "phone", "Nomor telepon", "Phone number", "Boleh dikosongkan", "Optional");
  append_input (html, values, "phone", "tel", "maxlength=\"20\" autocomplete=\"tel\"");
  append_label (html, "address", "Alamat", "Address", NULL, NULL);
  g_string_append (html, "<textarea id=\"address\" name=\"address\" rows=\"3\" required maxlength=\"1000\" "
                         "autocomplete=\"street-address\">");
  lk_html_append_escaped (html, values != NULL ? g_hash_table_lookup (values, "address") : NULL);
  g_string_append (html, "</textarea>");

  if (service->needs_business)
    {
      lk_html_append_tag_pair (html, "h2", "Data usaha", "Business");
      append_label (html, "business_name", "Nama usaha", "Business name", NULL, NULL);
      append_input (html, values, "business_name", "text", "required maxlength=\"200\" autocomplete=\"organization\"");
      append_label (html, "nib", "NIB", "Business identification number (NIB)", "13 angka", "13 digits");
      append_input (html, values, "nib", "text",
                    "required inputmode=\"numeric\" pattern=\"[0-9]{13}\" minlength=\"13\" maxlength=\"13\"");
    }

  lk_html_append_tag_pair (html, "h2", "Kantor tujuan", "Office");
  append_label (html, "unit", "Kantor yang menangani", "Office that handles it", NULL, NULL);
  if (!append_units (self, html, values, error))
    {
      g_string_free (html, TRUE);
      return FALSE;
    }

  lk_html_append_tag_pair (html, "h2", "Persyaratan", "Requirements");
  lk_html_append_tag_pair (html, "p",
                           "Setiap berkas PDF, JPG atau PNG, paling besar 10 MiB; seluruhnya paling besar 30 MiB.",
                           "Each file a PDF, JPG or PNG of at most 10 MiB; 30 MiB in all.");
  for (guint i = 0; i < service->requirements->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("doc_%u", i);

      g_string_append_printf (html, "<label for=\"%s\">", id);
      lk_html_append_escaped (html, g_ptr_array_index (service->requirements, i));
      g_string_append_printf (html, "</label><input type=\"file\" id=\"%s\" name=\"%s\" "
                                    "accept=\".pdf,.jpg,.jpeg,.png\" required>", id, id);
    }

  g_string_append (html, "<progress id=\"upload-progress\" hidden max=\"100\"></progress>"
                         "<p id=\"upload-note\" aria-live=\"polite\" "
                         "data-sending=\"Mengirim… / Sending…\" "
                         "data-failed=\"Pengiriman gagal; periksa sambungan lalu coba lagi. / "
                         "Sending failed; check the connection and try again.\"></p>"
                         "<button type=\"submit\" id=\"submit\">Kirim permohonan "
                         "<span lang=\"en\">Submit the application</span></button></form>"
                         "<script src=\"/static/apply.js\"></script>");
  lk_html_respond_script (msg, status, html);
  return TRUE;
}
