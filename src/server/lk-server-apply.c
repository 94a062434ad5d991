/* lk-server-apply.c — citizen intake: GET /apply (the service types) and
 * the router of /apply/CODE (the form is in lk-server-apply-form.c, POST in
 * lk-server-apply-submit.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-html.h"
#include "lk-server-public-private.h"

/* GET /apply */

static void
respond_list (LkServer          *self,
              SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  GString *html;
  guint n = 0;
  int rc;

  stmt = lk_store_prepare (self->store, "SELECT code, name, sla_days FROM service_types ORDER BY name, code",
                           &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  html = lk_html_page_begin ("Ajukan permohonan / Apply");
  lk_html_append_tag_pair (html, "h1", "Ajukan permohonan", "Apply");
  lk_html_append_tag_pair (html, "p", "Pilih layanan yang Anda butuhkan:", "Choose the service you need:");
  g_string_append (html, "<ul class=\"services\" id=\"services\">");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      gint64 days = sqlite3_column_int64 (stmt, 2);

      if (code == NULL || !lk_apply_code_ok (code))
        continue;
      g_string_append_printf (html, "<li><a href=\"/apply/%s\">", code);
      lk_html_append_escaped (html, name);
      g_string_append (html, "</a> — ");
      g_string_append_printf (html, "%" G_GINT64_FORMAT " hari kerja <span lang=\"en\" class=\"en\">%"
                              G_GINT64_FORMAT " working days</span></li>", days, days);
      n++;
    }
  if (rc != SQLITE_DONE)
    lk_store_set_sql_error (self->store, &error, "Listing the service types");
  sqlite3_reset (stmt);
  if (error != NULL)
    {
      g_string_free (html, TRUE);
      lk_server_respond_internal (msg, error);
      return;
    }
  g_string_append (html, "</ul>");
  if (n == 0)
    lk_html_append_tag_pair (html, "p", "Belum ada layanan yang dibuka.", "No service is open yet.");
  lk_html_respond (msg, SOUP_STATUS_OK, html);
}


static void
respond_not_found (SoupServerMessage *msg)
{
  lk_html_respond_problem (msg, SOUP_STATUS_NOT_FOUND,
                           "Layanan tidak ditemukan", "No such service",
                           "Pilih layanan dari daftar di halaman Ajukan.",
                           "Choose a service from the list on the Apply page.");
}

void
lk_server_handle_apply (LkServer          *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *code;

  if (g_str_equal (path, "/apply"))
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
          lk_html_respond_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Metode tidak didukung",
                                   "Method not allowed", "Pilih layanan dari daftar.", "Choose a service from the list.");
          return;
        }
      respond_list (self, msg);
      return;
    }

  code = path + strlen ("/apply/");
  if (method == SOUP_METHOD_POST)
    lk_server_apply_submit (self, msg, code);
  else if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    {
      g_autoptr(GError) error = NULL;

      if (!lk_server_apply_respond_form (self, msg, code, SOUP_STATUS_OK, NULL, NULL, &error))
        {
          if (error != NULL)
            lk_server_respond_internal (msg, error);
          else
            respond_not_found (msg);
        }
    }
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD, POST");
      lk_html_respond_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Metode tidak didukung",
                               "Method not allowed", "Gunakan formulir permohonan.", "Use the application form.");
    }
}
