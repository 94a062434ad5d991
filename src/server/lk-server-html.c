/* lk-server-html.c — the public pages' HTML: escaping, the page frame,
 * the security headers, and the two static files (stylesheet, progress
 * script) served from strings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lk-server-private.h"
#include "lk-server-html.h"

/* Small, readable on a phone, no web fonts, no images. */
static const char stylesheet[] =
  "/* SPDX-License-Identifier: GPL-3.0-or-later */\n"
  ":root{color-scheme:light;--fg:#1d1d1d;--muted:#555;--line:#c8c8c8;--accent:#1a5fb4}\n"
  "*{box-sizing:border-box}\n"
  "body{margin:0;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif;"
  "color:var(--fg);background:#fafafa}\n"
  "header.site,footer.site{background:#fff;border-bottom:1px solid var(--line);padding:.6rem 1rem}\n"
  "footer.site{border-top:1px solid var(--line);border-bottom:0;color:var(--muted);font-size:.85rem;margin-top:2rem}\n"
  "header.site a.home{font-weight:700;color:var(--fg);text-decoration:none;margin-right:1rem}\n"
  "header.site nav a{margin-right:.8rem;white-space:nowrap}\n"
  "main{max-width:42rem;margin:0 auto;padding:1rem}\n"
  "h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}\n"
  "h2{font-size:1.2rem;margin:1.5rem 0 .5rem}\n"
  ".en{color:var(--muted);font-weight:normal}\n"
  "h1 .en,h2 .en,.banner>.en{display:block;font-size:.85em}\n"
  "a{color:var(--accent)}\n"
  ".banner{border-radius:.5rem;padding:1rem 1.2rem;margin:1rem 0;font-size:1.35rem;font-weight:700;"
  "line-height:1.3;border:3px solid}\n"
  ".banner p{margin:.4rem 0 0;font-size:1rem;font-weight:normal}\n"
  ".banner.valid{background:#e6f4ea;border-color:#1e7b34;color:#0f4d1f}\n"
  ".banner.revoked{background:#fde8e8;border-color:#b3261e;color:#7a1611}\n"
  ".banner.superseded{background:#fff4e0;border-color:#b35c00;color:#6b3700}\n"
  ".banner.unknown{background:#eee;border-color:#666;color:#222}\n"
  ".banner.info{background:#e8f0fb;border-color:#1a5fb4;color:#0d3a75}\n"
  ".banner .en{color:inherit;opacity:.85}\n"
  "dl.facts{display:grid;grid-template-columns:minmax(7rem,38%) 1fr;gap:.4rem 1rem;margin:1rem 0}\n"
  "dl.facts dt{font-weight:600}\n"
  "dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
  "@media (max-width:30rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}}\n"
  "form{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem}\n"
  "label{display:block;font-weight:600;margin-top:.9rem}\n"
  "label .hint{display:block;font-weight:normal;color:var(--muted);font-size:.85rem}\n"
  "input,select,textarea{display:block;width:100%;font:inherit;padding:.45rem;margin-top:.25rem;"
  "border:1px solid #888;border-radius:.3rem;background:#fff}\n"
  "input[type=file]{border-style:dashed}\n"
  "button{font:inherit;font-weight:700;margin-top:1.2rem;padding:.6rem 1.2rem;border:0;border-radius:.3rem;"
  "background:var(--accent);color:#fff;cursor:pointer}\n"
  "button:disabled{opacity:.6}\n"
  "progress{display:block;width:100%;height:1.2rem;margin-top:1rem}\n"
  ".problems{background:#fde8e8;border:2px solid #b3261e;border-radius:.5rem;padding:.6rem 1rem}\n"
  ".problems li{margin:.2rem 0}\n"
  ".secret{font:700 1.6rem/1.3 ui-monospace,\"DejaVu Sans Mono\",monospace;letter-spacing:.1em;"
  "background:#fff;border:2px dashed var(--fg);padding:.4rem .8rem;display:inline-block}\n"
  ".keep{background:#fff4e0;border-left:4px solid #b35c00;padding:.6rem 1rem}\n"
  "ul.services{padding-left:1.2rem}ul.services li{margin:.5rem 0}\n";

/* Sends the form with a progress bar when scripts run; without them the
 * form posts as usual. */
static const char apply_script[] =
  "/* SPDX-License-Identifier: GPL-3.0-or-later */\n"
  "(function () {\n"
  "  'use strict';\n"
  "  var form = document.querySelector('form[data-progress]');\n"
  "  if (!form || !window.FormData || !window.XMLHttpRequest)\n"
  "    return;\n"
  "  var bar = document.getElementById('upload-progress');\n"
  "  var note = document.getElementById('upload-note');\n"
  "  form.addEventListener('submit', function (event) {\n"
  "    var xhr = new XMLHttpRequest();\n"
  "    var button = form.querySelector('button[type=submit]');\n"
  "    event.preventDefault();\n"
  "    xhr.open('POST', form.action);\n"
  "    xhr.responseType = 'document';\n"
  "    xhr.upload.addEventListener('progress', function (e) {\n"
  "      if (e.lengthComputable) {\n"
  "        bar.max = e.total;\n"
  "        bar.value = e.loaded;\n"
  "      }\n"
  "    });\n"
  "    xhr.addEventListener('load', function () {\n"
  "      var doc = xhr.response;\n"
  "      if (!doc || !doc.documentElement) {\n"
  "        failed();\n"
  "        return;\n"
  "      }\n"
  "      document.replaceChild(document.adoptNode(doc.documentElement), document.documentElement);\n"
  "      window.scrollTo(0, 0);\n"
  "    });\n"
  "    xhr.addEventListener('error', failed);\n"
  "    xhr.addEventListener('abort', failed);\n"
  "    function failed () {\n"
  "      bar.hidden = true;\n"
  "      button.disabled = false;\n"
  "      note.textContent = note.getAttribute('data-failed');\n"
  "    }\n"
  "    bar.hidden = false;\n"
  "    bar.removeAttribute('value');\n"
  "    button.disabled = true;\n"
  "    note.textContent = note.getAttribute('data-sending');\n"
  "    xhr.send(new FormData(form));\n"
  "  });\n"
  "})();\n";

static const char * const month_names[] = {
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
};

void
lk_html_append_escaped (GString    *html,
                        const char *text)
{
  g_autofree char *valid = NULL;
  const char *p;

  if (text == NULL)
    return;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '&':
          g_string_append (html, "&amp;");
          break;
        case '<':
          g_string_append (html, "&lt;");
          break;
        case '>':
          g_string_append (html, "&gt;");
          break;
        case '"':
          g_string_append (html, "&quot;");
          break;
        case '\'':
          g_string_append (html, "&#39;");
          break;
        case '\t':
        case '\n':
          g_string_append_c (html, (char) c);
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append (html, "\xef\xbf\xbd");
          else
            g_string_append_c (html, (char) c);
        }
    }
}

GString *
lk_html_page_begin (const char *title)
{
  GString *html = g_string_sized_new (4096);

  g_string_append (html,
                   "<!doctype html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<meta name=\"referrer\" content=\"no-referrer\"><title>");
  lk_html_append_escaped (html, title);
  g_string_append (html,
                   "</title><link rel=\"stylesheet\" href=\"/static/loket.css\"></head><body>"
                   "<header class=\"site\"><a class=\"home\" href=\"/\">Loket</a>"
                   "<nav><a href=\"/apply\">Ajukan <span lang=\"en\" class=\"en\">Apply</span></a> "
                   "<a href=\"/track\">Lacak <span lang=\"en\" class=\"en\">Track</span></a> "
                   "<a href=\"/verify\">Periksa surat <span lang=\"en\" class=\"en\">Check a letter</span></a>"
                   "</nav></header><main>");
  return html;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         GString           *html,
         const char        *csp)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize len;
  char *data;

  g_string_append (html,
                   "</main><footer class=\"site\">Loket — pelayanan terpadu satu pintu "
                   "<span lang=\"en\" class=\"en\">one-stop public service</span></footer></body></html>\n");
  len = html->len;
  data = g_string_free (html, FALSE);
  soup_message_headers_replace (headers, "Content-Security-Policy", csp);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, data, len);
}

void
lk_html_respond (SoupServerMessage *msg,
                 guint              status,
                 GString           *html)
{
  respond (msg, status, html, LK_HTML_CSP);
}

void
lk_html_respond_script (SoupServerMessage *msg,
                        guint              status,
                        GString           *html)
{
  respond (msg, status, html, LK_HTML_CSP_SCRIPT);
}

void
lk_html_respond_error (SoupServerMessage *msg,
                       guint              status,
                       const char        *heading,
                       const char        *text)
{
  GString *html = lk_html_page_begin (heading);

  g_string_append (html, "<h1>");
  lk_html_append_escaped (html, heading);
  g_string_append (html, "</h1><p>");
  lk_html_append_escaped (html, text);
  g_string_append (html, "</p><p><a href=\"/\">Beranda <span lang=\"en\" class=\"en\">Home</span></a></p>");
  lk_html_respond (msg, status, html);
}

void
lk_html_append_pair (GString    *html,
                     const char *id_text,
                     const char *en_text)
{
  lk_html_append_escaped (html, id_text);
  if (en_text != NULL)
    {
      g_string_append (html, " <span lang=\"en\" class=\"en\">");
      lk_html_append_escaped (html, en_text);
      g_string_append (html, "</span>");
    }
}

void
lk_html_append_tag_pair (GString    *html,
                         const char *tag,
                         const char *id_text,
                         const char *en_text)
{
  g_string_append_printf (html, "<%s>", tag);
  lk_html_append_pair (html, id_text, en_text);
  g_string_append_printf (html, "</%s>", tag);
}

void
lk_html_respond_problem (SoupServerMessage *msg,
                         guint              status,
                         const char        *heading_id,
                         const char        *heading_en,
                         const char        *text_id,
                         const char        *text_en)
{
  g_autofree char *title = g_strdup_printf ("%s / %s", heading_id, heading_en);
  GString *html = lk_html_page_begin (title);

  lk_html_append_tag_pair (html, "h1", heading_id, heading_en);
  lk_html_append_tag_pair (html, "p", text_id, text_en);
  g_string_append (html, "<p><a href=\"/\">Beranda <span lang=\"en\" class=\"en\">Home</span></a></p>");
  lk_html_respond (msg, status, html);
}

char *
lk_html_format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (unix_time);

  if (date == NULL)
    return g_strdup ("—");

  return g_strdup_printf ("%d %s %d", g_date_time_get_day_of_month (date),
                          month_names[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date));
}

char *
lk_html_format_iso_date (const char *date)
{
  int year, month, day;
  char end;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return g_strdup (date != NULL ? date : "—");

  return g_strdup_printf ("%d %s %d", day, month_names[month - 1], year);
}

gboolean
lk_html_serve_static (SoupServerMessage *msg,
                      const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *type;
  const char *data;
  gsize len;

  if (g_str_equal (path, "/static/loket.css"))
    {
      type = "text/css; charset=utf-8";
      data = stylesheet;
      len = sizeof stylesheet - 1;
    }
  else if (g_str_equal (path, "/static/apply.js"))
    {
      type = "text/javascript; charset=utf-8";
      data = apply_script;
      len = sizeof apply_script - 1;
    }
  else
    return FALSE;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (headers, "Allow", "GET, HEAD");
      lk_html_respond_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                               "Metode tidak didukung", "Method not allowed",
                               "Berkas ini hanya dapat dibaca.", "This file can only be read.");
      return TRUE;
    }

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "public, max-age=3600");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_STATIC, data, len);
  return TRUE;
}
