/* lk-server-html.c — the public pages' HTML (stub)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"
#include "lk-server-html.h"

void
lk_html_append_escaped (GString    *html,
                        const char *text)
{
  g_autofree char *escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;

  if (escaped != NULL)
    g_string_append (html, escaped);
}

GString *
lk_html_page_begin (const char *title)
{
  GString *html = g_string_new ("<!doctype html><html><head><meta charset=\"utf-8\"><title>");

  lk_html_append_escaped (html, title);
  g_string_append (html, "</title></head><body>");
  return html;
}

void
lk_html_respond (SoupServerMessage *msg,
                 guint              status,
                 GString           *html)
{
  gsize len;
  char *data;

  g_string_append (html, "</body></html>\n");
  len = html->len;
  data = g_string_free (html, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, data, len);
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
  g_string_append (html, "</p>");
  lk_html_respond (msg, status, html);
}
