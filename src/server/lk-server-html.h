/* lk-server-html.h — the public pages' HTML: escaping and the page frame
 *
 * Every page is plain HTML that reads on a phone without JavaScript, in
 * Indonesian with English beside it, with a strict Content-Security-Policy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The policy of every page; /apply adds 'self' scripts (its optional
 * progress script, /static/apply.js). */
#define LK_HTML_CSP \
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " \
  "frame-ancestors 'none'; base-uri 'none'"
#define LK_HTML_CSP_SCRIPT LK_HTML_CSP "; script-src 'self'; connect-src 'self'"

/* Appends TEXT to HTML with & < > " ' escaped (NULL appends nothing).
 * Text that is not valid UTF-8 is repaired first; control characters
 * other than tab and newline become U+FFFD. */
void     lk_html_append_escaped (GString    *html,
                                 const char *text);
/* Starts a page: doctype, head with TITLE (escaped), the stylesheet, and
 * the body's opening. */
GString *lk_html_page_begin     (const char *title);
/* Ends the page and answers STATUS with it (text/html; charset=utf-8, CSP,
 * nosniff, no-referrer, frame-ancestors 'none'). Frees HTML. */
void     lk_html_respond        (SoupServerMessage *msg,
                                 guint              status,
                                 GString           *html);
/* lk_html_respond with the policy that lets 'self' scripts run. */
void     lk_html_respond_script (SoupServerMessage *msg,
                                 guint              status,
                                 GString           *html);
/* A whole page with a heading and a paragraph, for 4xx answers. */
void     lk_html_respond_error  (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *heading,
                                 const char        *text);

/* Bilingual pieces: Indonesian first, the English beside it in a
 * <span lang="en" class="en">. Both escaped. */
void     lk_html_append_pair    (GString    *html,
                                 const char *id_text,
                                 const char *en_text);
/* <TAG>ID_TEXT <span lang="en" class="en">EN_TEXT</span></TAG> */
void     lk_html_append_tag_pair (GString    *html,
                                  const char *tag,
                                  const char *id_text,
                                  const char *en_text);
/* A 4xx page in both languages, with a link home. */
void     lk_html_respond_problem (SoupServerMessage *msg,
                                  guint              status,
                                  const char        *heading_id,
                                  const char        *heading_en,
                                  const char        *text_id,
                                  const char        *text_en);
/* UNIX_TIME as an Indonesian date ("28 November 2026"), local time. */
char    *lk_html_format_date    (gint64      unix_time);
/* DATE ("YYYY-MM-DD") as an Indonesian date; DATE itself when it is not
 * one. */
char    *lk_html_format_iso_date (const char *date);

/* GET|HEAD /static/loket.css and /static/apply.js: TRUE when PATH is one
 * of them and the answer is set. */
gboolean lk_html_serve_static   (SoupServerMessage *msg,
                                 const char        *path);

/* The 413 page of a public path whose body passed its limit
 * (lk_server_public_body_limit; lk-server.c calls it instead of the JSON
 * error for paths outside /api/v1). */
void     lk_html_respond_too_large (SoupServerMessage *msg,
                                    const char        *path);

G_END_DECLS
