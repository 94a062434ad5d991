/* lk-server-public-util.c — what the public pages' files share: upload
 * sniffing, bounded multipart parsing, letter ids, the status banner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "lk-server-html.h"
#include "lk-server-public-private.h"

LkUploadType
lk_public_sniff (GBytes *data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize len;
  const guint8 *p = g_bytes_get_data (data, &len);

  if (len >= 5 && memcmp (p, "%PDF-", 5) == 0)
    return LK_UPLOAD_PDF;
  if (len >= sizeof png && memcmp (p, png, sizeof png) == 0)
    return LK_UPLOAD_PNG;
  if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
    return LK_UPLOAD_JPEG;
  return LK_UPLOAD_OTHER;
}

const char *
lk_public_upload_mime (LkUploadType type)
{
  switch (type)
    {
    case LK_UPLOAD_PDF:
      return "application/pdf";
    case LK_UPLOAD_PNG:
      return "image/png";
    case LK_UPLOAD_JPEG:
      return "image/jpeg";
    case LK_UPLOAD_OTHER:
    default:
      return "application/octet-stream";
    }
}

const char *
lk_public_upload_ext (LkUploadType type)
{
  switch (type)
    {
    case LK_UPLOAD_PDF:
      return ".pdf";
    case LK_UPLOAD_PNG:
      return ".png";
    case LK_UPLOAD_JPEG:
      return ".jpg";
    case LK_UPLOAD_OTHER:
    default:
      return "";
    }
}

SoupMultipart *
lk_public_parse_multipart (SoupServerMessage *msg,
                           int                max_parts,
                           gboolean          *too_many_parts)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *delimiter = NULL;
  SoupMultipart *multipart;
  const char *type, *boundary, *data, *p, *end;
  gsize len, delimiter_len;
  int n_delimiters = 0;

  *too_many_parts = FALSE;
  type = soup_message_headers_get_content_type (headers, &params);
  if (type == NULL || g_ascii_strcasecmp (type, "multipart/form-data") != 0)
    return NULL;
  boundary = g_hash_table_lookup (params, "boundary");
  if (boundary == NULL || *boundary == '\0' || strlen (boundary) > 70)
    return NULL;

  /* The body is complete and within the endpoint's limit (lk-server.c
   * stops reading at it); the parts are slices of it, not copies. Count
   * the delimiters first: thousands of tiny parts would cost far more
   * memory parsed than the body's size. */
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &len);
  delimiter = g_strconcat ("--", boundary, NULL);
  delimiter_len = strlen (delimiter);
  for (p = data, end = data + len; p != NULL && p < end; )
    {
      p = memmem (p, (gsize) (end - p), delimiter, delimiter_len);
      if (p == NULL)
        break;
      /* The closing delimiter is one more than the parts. */
      if (++n_delimiters > max_parts + 1)
        {
          *too_many_parts = TRUE;
          return NULL;
        }
      p += delimiter_len;
    }

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    return NULL;
  if (soup_multipart_get_length (multipart) > max_parts)
    {
      *too_many_parts = TRUE;
      soup_multipart_free (multipart);
      return NULL;
    }

  return multipart;
}

gboolean
lk_public_part_name (SoupMessageHeaders  *headers,
                     char               **name,
                     char               **filename)
{
  g_autofree char *disposition = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *value;

  *name = NULL;
  *filename = NULL;
  if (!soup_message_headers_get_content_disposition (headers, &disposition, &params) ||
      g_ascii_strcasecmp (disposition, "form-data") != 0)
    return FALSE;

  value = g_hash_table_lookup (params, "name");
  if (value == NULL || *value == '\0' || strlen (value) > 64 || !g_utf8_validate (value, -1, NULL))
    return FALSE;
  *name = g_strdup (value);
  if (g_hash_table_contains (params, "filename"))
    {
      value = g_hash_table_lookup (params, "filename");
      *filename = g_strdup (value != NULL ? value : "");
    }

  return TRUE;
}

gboolean
lk_public_letter_id_ok (const char *id)
{
  return lk_letter_id_is_valid (id);
}

void
lk_public_append_status (GString    *html,
                         const char *status,
                         const char *reason,
                         gint64      status_at,
                         const char *newer_id,
                         const char *newer_number)
{
  g_autofree char *date = status_at > 0 ? lk_html_format_date (status_at) : NULL;

  if (g_strcmp0 (status, "valid") == 0)
    {
      g_string_append (html, "<div class=\"banner valid\" role=\"status\" id=\"status\" data-status=\"valid\">"
                             "SAH — Dokumen ini asli dan berlaku"
                             "<span lang=\"en\" class=\"en\">VALID — This letter is genuine and valid</span>"
                             "<p>Surat ini terdaftar dan ditandatangani secara elektronik oleh pejabat yang berwenang. "
                             "<span lang=\"en\" class=\"en\">This letter is registered and was signed "
                             "electronically by the authorised official.</span></p></div>");
    }
  else if (g_strcmp0 (status, "revoked") == 0)
    {
      g_string_append (html, "<div class=\"banner revoked\" role=\"alert\" id=\"status\" data-status=\"revoked\">"
                             "DICABUT — Surat ini tidak berlaku lagi"
                             "<span lang=\"en\" class=\"en\">REVOKED — This letter is no longer valid</span>");
      if (date != NULL)
        {
          g_string_append (html, "<p>Dicabut pada <span lang=\"en\" class=\"en\">Revoked on</span>: ");
          lk_html_append_escaped (html, date);
          g_string_append (html, "</p>");
        }
      if (reason != NULL && *reason != '\0')
        {
          g_string_append (html, "<p>Alasan <span lang=\"en\" class=\"en\">Reason</span>: ");
          lk_html_append_escaped (html, reason);
          g_string_append (html, "</p>");
        }
      g_string_append (html, "</div>");
    }
  else if (g_strcmp0 (status, "superseded") == 0)
    {
      g_string_append (html, "<div class=\"banner superseded\" role=\"alert\" id=\"status\" data-status=\"superseded\">"
                             "DIGANTI — Surat ini telah diganti dengan surat yang lebih baru"
                             "<span lang=\"en\" class=\"en\">SUPERSEDED — A newer letter replaces this one</span>");
      if (date != NULL)
        {
          g_string_append (html, "<p>Diganti pada <span lang=\"en\" class=\"en\">Superseded on</span>: ");
          lk_html_append_escaped (html, date);
          g_string_append (html, "</p>");
        }
      if (newer_id != NULL && lk_public_letter_id_ok (newer_id))
        {
          g_string_append_printf (html, "<p><a href=\"/v/%s\" id=\"newer\">Lihat surat pengganti", newer_id);
          if (newer_number != NULL)
            {
              g_string_append (html, " (");
              lk_html_append_escaped (html, newer_number);
              g_string_append (html, ")");
            }
          g_string_append (html, " <span lang=\"en\" class=\"en\">See the newer letter</span></a></p>");
        }
      g_string_append (html, "</div>");
    }
  else
    {
      g_string_append (html, "<div class=\"banner unknown\" role=\"alert\" id=\"status\" data-status=\"unknown\">"
                             "TIDAK DAPAT DIPASTIKAN — Hubungi kantor penerbit"
                             "<span lang=\"en\" class=\"en\">CANNOT BE CONFIRMED — Ask the issuing office</span>"
                             "</div>");
    }
}
