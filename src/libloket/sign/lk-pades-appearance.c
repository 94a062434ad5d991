/* lk-pades-appearance.c — the appearance stream of a visible signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pades"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <zlib.h>

#include "letter/lk-qr.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-appearance.h"

/* Helvetica's widest common glyphs are about 0.6 em (digits 0.556, capitals
 * up to 0.94): fit with this average width, the box clips the rest. */
#define AVERAGE_WIDTH 0.6
#define LEADING 1.2
#define PADDING 2.0
#define MAX_FONT_SIZE 12.0
#define MIN_FONT_SIZE 1.0
#define MAX_LINE_CHARS 200
/* The image takes at most this share of the box's width; so does the QR
 * code, a square on the right (its quiet zone of 4 modules inside). */
#define IMAGE_SHARE 0.4
#define QR_SHARE 0.4
#define QR_QUIET_ZONE 4

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
  return lk_pades_appearance_content_with_image (width, height, lines, 0, 0);
}

GBytes *
lk_pades_appearance_content_with_image (double              width,
                                        double              height,
                                        const char * const *lines,
                                        guint               image_width,
                                        guint               image_height)
{
  return lk_pades_appearance_content_full (width, height, lines, image_width, image_height, NULL);
}

/* QR's dark modules as filled rectangles (one per run in a row) in the
 * square X, Y (lower-left), SIDE. */
static void
append_qr (GString    *out,
           const LkQr *qr,
           double      x,
           double      y,
           double      side)
{
  double module = side / (qr->width + 2 * QR_QUIET_ZONE);

  g_string_append (out, "q 0 g\n");
  for (guint row = 0; row < qr->width; row++)
    {
      /* Rows from the top; PDF's y grows upwards. */
      double top = y + side - (QR_QUIET_ZONE + row) * module;
      guint col = 0;

      while (col < qr->width)
        {
          guint start;

          if (!qr->modules[row * qr->width + col])
            {
              col++;
              continue;
            }
          start = col;
          while (col < qr->width && qr->modules[row * qr->width + col])
            col++;
          append_number (out, x + (QR_QUIET_ZONE + start) * module);
          g_string_append_c (out, ' ');
          append_number (out, top - module);
          g_string_append_c (out, ' ');
          append_number (out, (col - start) * module);
          g_string_append_c (out, ' ');
          append_number (out, module);
          g_string_append (out, " re\n");
        }
    }
  g_string_append (out, "f Q\n");
}

GBytes *
lk_pades_appearance_content_full (double              width,
                                  double              height,
                                  const char * const *lines,
                                  guint               image_width,
                                  guint               image_height,
                                  const LkQr         *qr)
{
  GString *out = g_string_new (NULL);
  guint n_lines = 0;
  glong longest = 1;
  double size, x, y, left = PADDING, right = width - PADDING;

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

  /* The image: in the left part of the box (all of it without text),
   * scaled to fit and centred vertically. */
  if (image_width > 0 && image_height > 0)
    {
      double avail_w = (width - 2 * PADDING) * (n_lines > 0 ? IMAGE_SHARE : 1.0);
      double avail_h = height - 2 * PADDING;
      double scale = MIN (avail_w / image_width, avail_h / image_height);

      if (scale > 0)
        {
          double w = image_width * scale, h = image_height * scale;

          g_string_append (out, "q ");
          append_number (out, w);
          g_string_append (out, " 0 0 ");
          append_number (out, h);
          g_string_append_c (out, ' ');
          append_number (out, PADDING);
          g_string_append_c (out, ' ');
          append_number (out, (height - h) / 2);
          g_string_append (out, " cm /Im1 Do Q\n");
          left = PADDING + w + PADDING;
        }
    }

  /* The QR code: a square on the right, as tall as the box allows. */
  if (qr != NULL && qr->width > 0)
    {
      double side = MIN (height - 2 * PADDING, (width - 2 * PADDING) * (n_lines > 0 ? QR_SHARE : 1.0));

      if (side > 0)
        {
          append_qr (out, qr, width - PADDING - side, (height - side) / 2, side);
          right = width - PADDING - side - PADDING;
        }
    }

  if (n_lines == 0 || right <= left)
    return g_string_free_to_bytes (out);

  size = MIN ((height - 2 * PADDING) / (n_lines * LEADING),
              (right - left) / (longest * AVERAGE_WIDTH));
  size = CLAMP (size, MIN_FONT_SIZE, MAX_FONT_SIZE);
  x = left;
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
  return lk_pades_appearance_new_with_image (width, height, lines, 0, 0, 0);
}

LkPdfObj *
lk_pades_appearance_new_with_image (double              width,
                                    double              height,
                                    const char * const *lines,
                                    guint               image_num,
                                    guint               image_width,
                                    guint               image_height)
{
  return lk_pades_appearance_new_full (width, height, lines, image_num, image_width, image_height, NULL);
}

LkPdfObj *
lk_pades_appearance_new_full (double              width,
                              double              height,
                              const char * const *lines,
                              guint               image_num,
                              guint               image_width,
                              guint               image_height,
                              const LkQr         *qr)
{
  g_autoptr(GBytes) content = NULL;
  LkPdfObj *dict, *bbox, *font, *fonts, *resources;

  if (image_num == 0)
    image_width = image_height = 0;
  content = lk_pades_appearance_content_full (width, height, lines,
                                              image_width, image_height, qr);

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
  if (image_num != 0)
    {
      LkPdfObj *xobjects = lk_pdf_obj_new_dict ();

      lk_pdf_obj_dict_take (xobjects, "Im1", lk_pdf_obj_new_ref (image_num, 0));
      lk_pdf_obj_dict_take (resources, "XObject", xobjects);
    }

  dict = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (dict, "Type", lk_pdf_obj_new_name ("XObject"));
  lk_pdf_obj_dict_take (dict, "Subtype", lk_pdf_obj_new_name ("Form"));
  lk_pdf_obj_dict_take (dict, "FormType", lk_pdf_obj_new_int (1));
  lk_pdf_obj_dict_take (dict, "BBox", bbox);
  lk_pdf_obj_dict_take (dict, "Resources", resources);
  return lk_pdf_obj_new_stream (dict, content);
}

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
} PngReader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngReader *reader = closure;

  if (length > reader->len - reader->pos)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->pos, length);
  reader->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

/* PATH's bytes, at most LK_PADES_IMAGE_MAX_FILE of them. */
static GBytes *
read_bounded (const char  *path,
              const char  *display,
              GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  FILE *file = g_fopen (path, "rb");
  guint8 buf[65536];
  size_t n;
  int saved_errno;

  if (file == NULL)
    {
      saved_errno = errno;
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE,
                   _("The signature image %s cannot be read: %s"),
                   display, g_strerror (saved_errno));
      return NULL;
    }
  while ((n = fread (buf, 1, sizeof buf, file)) > 0)
    {
      if (bytes->len + n > LK_PADES_IMAGE_MAX_FILE)
        {
          fclose (file);
          g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE,
                       _("The signature image %s is larger than %d MiB: use a smaller PNG."),
                       display, LK_PADES_IMAGE_MAX_FILE / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (bytes, buf, (guint) n);
    }
  saved_errno = errno;
  if (ferror (file))
    {
      fclose (file);
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE,
                   _("The signature image %s cannot be read: %s"),
                   display, g_strerror (saved_errno));
      return NULL;
    }
  fclose (file);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* DATA compressed as an image XObject stream. */
static LkPdfObj *
image_stream (const guint8  *data,
              gsize          len,
              guint          width,
              guint          height,
              const char    *color_space,
              const char    *display,
              GError       **error)
{
  uLongf out_len = compressBound ((uLong) len);
  g_autofree guint8 *out = g_malloc (out_len);
  LkPdfObj *dict;

  if (compress2 (out, &out_len, data, (uLong) len, Z_DEFAULT_COMPRESSION) != Z_OK)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE,
                   _("The signature image %s could not be compressed."), display);
      return NULL;
    }
  dict = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (dict, "Type", lk_pdf_obj_new_name ("XObject"));
  lk_pdf_obj_dict_take (dict, "Subtype", lk_pdf_obj_new_name ("Image"));
  lk_pdf_obj_dict_take (dict, "Width", lk_pdf_obj_new_int (width));
  lk_pdf_obj_dict_take (dict, "Height", lk_pdf_obj_new_int (height));
  lk_pdf_obj_dict_take (dict, "ColorSpace", lk_pdf_obj_new_name (color_space));
  lk_pdf_obj_dict_take (dict, "BitsPerComponent", lk_pdf_obj_new_int (8));
  lk_pdf_obj_dict_take (dict, "Filter", lk_pdf_obj_new_name ("FlateDecode"));
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&out), out_len);

    return lk_pdf_obj_new_stream (dict, bytes);
  }
}

/* An 8-bit channel un-premultiplied by ALPHA. */
static guint8
unpremultiply (guint32 c,
               guint32 alpha)
{
  if (alpha == 0)
    return 0;
  return (guint8) MIN ((c * 255 + alpha / 2) / alpha, 255);
}

LkPdfObj *
lk_pades_appearance_load_png (const char  *path,
                              LkPdfObj   **smask,
                              guint       *width,
                              guint       *height,
                              GError     **error)
{
  g_autofree char *display = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *rgb = NULL;
  g_autofree guint8 *alpha = NULL;
  g_autoptr(LkPdfObj) mask = NULL;
  PngReader reader = { NULL, };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_format_t format;
  const guint8 *data;
  guint32 w, h;
  gboolean opaque = TRUE;
  int stride;
  LkPdfObj *image;

  g_return_val_if_fail (path != NULL && smask != NULL && width != NULL && height != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *smask = NULL;
  display = g_filename_display_name (path);
  bytes = read_bounded (path, display, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &reader.len);
  reader.data = data;

  /* The signature and the IHDR chunk, read before decoding so that a
   * huge image is refused without allocating its pixels. */
  if (reader.len < 8 + 8 + 13 || memcmp (data, png_signature, sizeof png_signature) != 0 ||
      memcmp (data + 12, "IHDR", 4) != 0)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE,
                   _("The signature image %s is not a PNG image."), display);
      return NULL;
    }
  w = read_be32 (data + 16);
  h = read_be32 (data + 20);
  if (w == 0 || h == 0 || w > LK_PADES_IMAGE_MAX_SIDE || h > LK_PADES_IMAGE_MAX_SIDE)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE,
                   _("The signature image %s is %u × %u pixels: it may be at most %d × %d."),
                   display, w, h, LK_PADES_IMAGE_MAX_SIDE, LK_PADES_IMAGE_MAX_SIDE);
      return NULL;
    }

  surface = cairo_image_surface_create_from_png_stream (read_png, &reader);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS &&
      ((guint32) cairo_image_surface_get_width (surface) != w ||
       (guint32) cairo_image_surface_get_height (surface) != h))
    status = CAIRO_STATUS_INVALID_SIZE;
  if (status == CAIRO_STATUS_SUCCESS)
    {
      format = cairo_image_surface_get_format (surface);
      if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24)
        {
          /* Any other format cairo may decode to: drawn into ARGB32. */
          cairo_surface_t *argb = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) w, (int) h);
          cairo_t *cr = cairo_create (argb);

          cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
          cairo_set_source_surface (cr, surface, 0, 0);
          cairo_paint (cr);
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          surface = argb;
          status = cairo_surface_status (surface);
        }
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_IMAGE,
                   _("The signature image %s could not be decoded as a PNG: %s"),
                   display, cairo_status_to_string (status));
      cairo_surface_destroy (surface);
      return NULL;
    }

  cairo_surface_flush (surface);
  format = cairo_image_surface_get_format (surface);
  stride = cairo_image_surface_get_stride (surface);
  rgb = g_malloc ((gsize) w * h * 3);
  alpha = g_malloc ((gsize) w * h);
  for (guint32 y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface) + (gsize) y * stride);

      for (guint32 x = 0; x < w; x++)
        {
          guint32 p = row[x];
          guint32 a = format == CAIRO_FORMAT_ARGB32 ? p >> 24 : 0xff;
          gsize i = (gsize) y * w + x;

          rgb[i * 3] = unpremultiply ((p >> 16) & 0xff, a);
          rgb[i * 3 + 1] = unpremultiply ((p >> 8) & 0xff, a);
          rgb[i * 3 + 2] = unpremultiply (p & 0xff, a);
          alpha[i] = (guint8) a;
          opaque &= a == 0xff;
        }
    }
  cairo_surface_destroy (surface);

  if (!opaque)
    {
      mask = image_stream (alpha, (gsize) w * h, w, h, "DeviceGray", display, error);
      if (mask == NULL)
        return NULL;
    }
  image = image_stream (rgb, (gsize) w * h * 3, w, h, "DeviceRGB", display, error);
  if (image == NULL)
    return NULL;
  *smask = g_steal_pointer (&mask);
  *width = w;
  *height = h;
  return image;
}
