/* lk-pades-appearance.c — the appearance stream of a visible signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pades"

#include <string.h>

#include "sign/lk-pades-appearance.h"

/* Helvetica's widest common glyphs are about 0.6 em (digits 0.556, capitals
 * up to 0.94): fit with this average width, the box clips the rest. */
#define AVERAGE_WIDTH 0.6
#define LEADING 1.2
#define PADDING 2.0
#define MAX_FONT_SIZE 12.0
#define MIN_FONT_SIZE 1.0
#define MAX_LINE_CHARS 200

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

/* LINE as a PDF literal string in WinAnsiEncoding, at most MAX_LINE_CHARS
 * characters; *N_CHARS: how many. */
static void
append_text (GString    *out,
             const char *line,
             guint      *n_chars)
{
  g_autofree char *valid = g_utf8_make_valid (line, -1);
  guint n = 0;

  g_string_append_c (out, '(');
  for (const char *p = valid; *p != '\0' && n < MAX_LINE_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(' || c == ')' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else if (c >= 0xa0 && c <= 0xff)
        g_string_append_printf (out, "\\%03o", (guint) c);
      else
        g_string_append_c (out, '?');
    }
  g_string_append_c (out, ')');
  *n_chars = n;
}

GBytes *
lk_pades_appearance_content (double              width,
                             double              height,
                             const char * const *lines)
{
  GString *out = g_string_new (NULL);
  guint n_lines = 0;
  glong longest = 1;
  double size, x, y;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  while (lines != NULL && lines[n_lines] != NULL && n_lines < LK_PADES_APPEARANCE_MAX_LINES)
    {
      glong len = g_utf8_strlen (lines[n_lines], -1);

      longest = MAX (longest, MIN (len, MAX_LINE_CHARS));
      n_lines++;
    }

  /* The border: a 0.5 pt black line inside the box. */
  g_string_append (out, "q 0.5 w 0 G 0.25 0.25 ");
  append_number (out, MAX (width - 0.5, 0));
  g_string_append_c (out, ' ');
  append_number (out, MAX (height - 0.5, 0));
  g_string_append (out, " re S Q\n");

  if (n_lines == 0)
    return g_string_free_to_bytes (out);

  size = MIN ((height - 2 * PADDING) / (n_lines * LEADING),
              (width - 2 * PADDING) / (longest * AVERAGE_WIDTH));
  size = CLAMP (size, MIN_FONT_SIZE, MAX_FONT_SIZE);
  x = PADDING;
  /* The first baseline: one font size below the top padding, the block
   * centred vertically when the box is taller than the text. */
  y = height - PADDING - size;
  if (height - 2 * PADDING > n_lines * size * LEADING)
    y -= (height - 2 * PADDING - n_lines * size * LEADING) / 2;

  g_string_append (out, "q BT 0 g /F1 ");
  append_number (out, size);
  g_string_append (out, " Tf ");
  append_number (out, x);
  g_string_append_c (out, ' ');
  append_number (out, y);
  g_string_append (out, " Td\n");
  for (guint i = 0; i < n_lines; i++)
    {
      guint n_chars = 0;

      if (i > 0)
        {
          g_string_append (out, "0 ");
          append_number (out, -size * LEADING);
          g_string_append (out, " Td\n");
        }
      append_text (out, lines[i], &n_chars);
      g_string_append (out, " Tj\n");
    }
  g_string_append (out, "ET Q\n");
  return g_string_free_to_bytes (out);
}

LkPdfObj *
lk_pades_appearance_new (double              width,
                         double              height,
                         const char * const *lines)
{
  g_autoptr(GBytes) content = lk_pades_appearance_content (width, height, lines);
  LkPdfObj *dict, *bbox, *font, *fonts, *resources;

  g_return_val_if_fail (content != NULL, NULL);

  bbox = lk_pdf_obj_new_array ();
  lk_pdf_obj_array_take (bbox, lk_pdf_obj_new_int (0));
  lk_pdf_obj_array_take (bbox, lk_pdf_obj_new_int (0));
  lk_pdf_obj_array_take (bbox, lk_pdf_obj_new_real (width));
  lk_pdf_obj_array_take (bbox, lk_pdf_obj_new_real (height));

  font = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (font, "Type", lk_pdf_obj_new_name ("Font"));
  lk_pdf_obj_dict_take (font, "Subtype", lk_pdf_obj_new_name ("Type1"));
  lk_pdf_obj_dict_take (font, "BaseFont", lk_pdf_obj_new_name ("Helvetica"));
  lk_pdf_obj_dict_take (font, "Encoding", lk_pdf_obj_new_name ("WinAnsiEncoding"));
  fonts = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (fonts, "F1", font);
  resources = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (resources, "Font", fonts);

  dict = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (dict, "Type", lk_pdf_obj_new_name ("XObject"));
  lk_pdf_obj_dict_take (dict, "Subtype", lk_pdf_obj_new_name ("Form"));
  lk_pdf_obj_dict_take (dict, "FormType", lk_pdf_obj_new_int (1));
  lk_pdf_obj_dict_take (dict, "BBox", bbox);
  lk_pdf_obj_dict_take (dict, "Resources", resources);
  return lk_pdf_obj_new_stream (dict, content);
}
