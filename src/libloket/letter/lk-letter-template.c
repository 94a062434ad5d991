/* lk-letter-template.c — letter templates (stub until issue 6 lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "letter/lk-letter-template.h"

const char * const LK_LETTER_FIELDS[] = {
  "receipt", "applicant_name", "nik", "address", "business_name", "nib", "service_name",
  "unit_name", "unit_address", "number", "date", "signer_name", "signer_position", "signer_nip",
  NULL
};

LkLetterTemplate *
lk_letter_template_parse (const char  *json,
                          gssize       len,
                          GError     **error)
{
  g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE, "Templates are not built yet.");
  return NULL;
}

void
lk_letter_template_free (LkLetterTemplate *self)
{
}

char *
lk_letter_template_to_json (const LkLetterTemplate *self)
{
  return NULL;
}

LkLetterTemplate *
lk_letter_template_new_default (LkServiceType *service)
{
  return NULL;
}

const char *
lk_letter_template_get_logo (const LkLetterTemplate *self)
{
  return NULL;
}

gboolean
lk_letter_template_render (const LkLetterTemplate   *self,
                           LkCase                   *kase,
                           LkServiceType            *service,
                           const LkLetterRenderInfo *info,
                           const char               *out_path,
                           GError                  **error)
{
  g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE, "Templates are not built yet.");
  return FALSE;
}

char *
lk_letter_new_id (void)
{
  return NULL;
}

gboolean
lk_letter_id_is_valid (const char *id)
{
  return FALSE;
}

void
lk_letter_info_free (LkLetterInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->letter_id);
  g_free (info->number);
  g_free (info);
}

LkLetterInfo *
lk_letter_read_info (GBytes  *data,
                     GError **error)
{
  g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER, "Templates are not built yet.");
  return NULL;
}

LkLetterInfo *
lk_letter_read_info_file (const char  *path,
                          GError     **error)
{
  g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER, "Templates are not built yet.");
  return NULL;
}

char *
lk_letter_verify_url (const char *public_url,
                      const char *letter_id)
{
  return NULL;
}
