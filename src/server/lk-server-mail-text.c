/* lk-server-mail-text.c — the words of the mails Loket sends: the signed
 * letter and the receipt of an application, in Indonesian with English
 * below (data, not gettext: they must not depend on the server's locale)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-mail-private.h"

#define MAX_NAME_FILE 80   /* bytes of the number in the attachment's name */

void
lk_mail_compose_letter (const LkMailLetterInfo *info,
                        char                  **out_subject,
                        char                  **out_body)
{
  GString *body = g_string_new (NULL);
  const char *unit = info->unit_name;

  *out_subject = g_strdup_printf ("Surat Anda telah terbit / Your letter has been issued: %s (%s)",
                                  info->subject, info->number);

  g_string_append_printf (body, "Yth. %s,\n\n", info->applicant_name);
  g_string_append_printf (body,
                          "Permohonan Anda dengan nomor tanda terima %s telah selesai. "
                          "Surat \"%s\" dengan nomor %s telah ditandatangani secara elektronik",
                          info->receipt, info->subject, info->number);
  if (unit != NULL)
    g_string_append_printf (body, " oleh %s", unit);
  g_string_append (body,
                   ".\n\n"
                   "Surat tersebut terlampir sebagai PDF yang telah ditandatangani. "
                   "Anda dapat mencetaknya sendiri.\n\n"
                   "Keaslian surat dapat diperiksa kapan saja dengan memindai kode QR pada surat, "
                   "atau di alamat berikut:\n");
  g_string_append_printf (body, "%s\n\n", info->verify_url);
  g_string_append (body,
                   "Surel ini dikirim secara otomatis; mohon tidak membalasnya.\n\n"
                   "------------------------------------------------------------\n\n");

  g_string_append_printf (body, "Dear %s,\n\n", info->applicant_name);
  g_string_append_printf (body,
                          "Your application with receipt number %s is complete. "
                          "The letter \"%s\", number %s, has been signed electronically",
                          info->receipt, info->subject, info->number);
  if (unit != NULL)
    g_string_append_printf (body, " by %s", unit);
  g_string_append (body,
                   ".\n\n"
                   "The signed letter is attached as a PDF. You can print it yourself.\n\n"
                   "Anyone can check that the letter is genuine by scanning the QR code on it, "
                   "or at this address:\n");
  g_string_append_printf (body, "%s\n\n", info->verify_url);
  g_string_append (body, "This email was sent automatically; please do not reply to it.\n");

  *out_body = g_string_free (body, FALSE);
}

void
lk_mail_compose_receipt (const char  *applicant_name,
                         const char  *receipt,
                         const char  *secret,
                         const char  *track_url,
                         char       **out_subject,
                         char       **out_body)
{
  GString *body = g_string_new (NULL);

  *out_subject = g_strdup_printf ("Tanda terima permohonan / Application receipt: %s", receipt);

  g_string_append_printf (body, "Yth. %s,\n\n", applicant_name);
  g_string_append (body, "Permohonan Anda telah kami terima.\n\n");
  g_string_append_printf (body, "  Nomor tanda terima : %s\n", receipt);
  g_string_append_printf (body, "  Kode rahasia       : %s\n\n", secret);
  g_string_append (body,
                   "Simpan kode rahasia ini: bersama nomor tanda terima, kode ini diperlukan untuk "
                   "melihat status permohonan di alamat berikut. Jangan berikan kepada orang lain.\n");
  g_string_append_printf (body, "%s\n\n", track_url);
  g_string_append (body,
                   "Surat keputusan akan dikirim ke alamat surel ini setelah ditandatangani.\n"
                   "Surel ini dikirim secara otomatis; mohon tidak membalasnya.\n\n"
                   "------------------------------------------------------------\n\n");

  g_string_append_printf (body, "Dear %s,\n\n", applicant_name);
  g_string_append (body, "We have received your application.\n\n");
  g_string_append_printf (body, "  Receipt number : %s\n", receipt);
  g_string_append_printf (body, "  Secret code    : %s\n\n", secret);
  g_string_append (body,
                   "Keep this secret code: with the receipt number it lets you follow your "
                   "application at the address below. Do not share it.\n");
  g_string_append_printf (body, "%s\n\n", track_url);
  g_string_append (body,
                   "The letter will be sent to this email address once it is signed.\n"
                   "This email was sent automatically; please do not reply to it.\n");

  *out_body = g_string_free (body, FALSE);
}

char *
lk_mail_attachment_name (const char *number)
{
  GString *name = g_string_new (NULL);

  for (const char *p = number; *p != '\0' && name->len < MAX_NAME_FILE; p++)
    {
      char c = *p;

      if (g_ascii_isalnum (c) || c == '.' || c == '_')
        g_string_append_c (name, c);
      else if (name->len > 0 && name->str[name->len - 1] != '-')
        g_string_append_c (name, '-');
    }
  while (name->len > 0 && (name->str[name->len - 1] == '-' || name->str[name->len - 1] == '.'))
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_append (name, "surat");
  g_string_append (name, ".pdf");

  return g_string_free (name, FALSE);
}

gboolean
lk_mail_address_ok (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0' || strlen (address) > 254)
    return FALSE;
  for (const char *p = address; *p; p++)
    if (*p <= ' ' || *p >= 127 || strchr ("<>()\"\\,;:[]", *p) != NULL)
      return FALSE;
  at = strchr (address, '@');
  return at != NULL && at != address && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}
