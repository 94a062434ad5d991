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

/* Appends TEXT to HTML with & < > " ' escaped (NULL appends nothing). */
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
/* A whole page with a heading and a paragraph, for 4xx answers. */
void     lk_html_respond_error  (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *heading,
                                 const char        *text);

G_END_DECLS
