/* fuzz-letter-template.c — a letter template's JSON, and a PDF's letter info
 *
 * First byte even: the rest → lk_letter_template_parse. Checks: it parses
 * or fails with LK_LETTER_ERROR_TEMPLATE; a parsed template's
 * lk_letter_template_to_json parses again to the same JSON.
 * First byte odd: the rest → lk_letter_read_info (a PDF's /Keywords).
 * Checks: it succeeds with a valid letter id, a stamp rectangle of
 * positive size and a UTF-8 number, or fails with
 * LK_LETTER_ERROR_NOT_LETTER.
 *
 * Seeds (corpus/letter-template/): template-* are templates (first byte
 * 0x00), letter-* a signed letter (first byte 0x01; made
 * with tests/bench/bench-letters-sign 1 DIR; cut short in letter-trunc);
 * crash-info-lookup: an /Info whose lookup fails (found by libFuzzer).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "letter/lk-letter-template.h"

static void
check_template (const uint8_t *data,
                size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLetterTemplate) t = lk_letter_template_parse ((const char *) data, (gssize) size, &error);
  g_autoptr(LkLetterTemplate) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  if (t == NULL)
    {
      if (error == NULL || !g_error_matches (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE))
        fuzz_fail ("lk_letter_template_parse failed without LK_LETTER_ERROR_TEMPLATE");
      return;
    }
  if (error != NULL)
    fuzz_fail ("lk_letter_template_parse succeeded and set an error");
  json = lk_letter_template_to_json (t);
  again = lk_letter_template_parse (json, -1, &error);
  if (again == NULL)
    fuzz_fail ("the template's own JSON does not parse: %s", error->message);
  json2 = lk_letter_template_to_json (again);
  if (g_strcmp0 (json, json2) != 0)
    fuzz_fail ("the template's JSON changed on a round trip");
}

static void
check_info (const uint8_t *data,
            size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLetterInfo) info = lk_letter_read_info (bytes, &error);

  if (info == NULL)
    {
      if (error == NULL || !g_error_matches (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER))
        fuzz_fail ("lk_letter_read_info failed without LK_LETTER_ERROR_NOT_LETTER");
      return;
    }
  if (!lk_letter_id_is_valid (info->letter_id))
    fuzz_fail ("lk_letter_read_info gave an invalid letter id");
  if (!(info->rect[2] > 0 && info->rect[3] > 0))
    fuzz_fail ("lk_letter_read_info gave an empty stamp rectangle");
  if (info->number != NULL && !g_utf8_validate (info->number, -1, NULL))
    fuzz_fail ("lk_letter_read_info gave a number that is not UTF-8");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size == 0)
    return 0;
  if (data[0] % 2 == 0)
    check_template (data + 1, size - 1);
  else
    check_info (data + 1, size - 1);
  return 0;
}
