/* lk-letter-fields.c — what a rendering puts in a template: the case's
 * fields in place of its placeholders, and the letterhead's logo
 *
 * Limits: a field's value is used up to MAX_TEXT_BYTES; the logo PNG is at
 * most LOGO_MAX_BYTES and LOGO_MAX_SIDE pixels a side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-letter"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-template-private.h"

#define LOGO_MAX_BYTES (1024 * 1024)
#define LOGO_MAX_SIDE  4096
#define MAX_TEXT_BYTES 16384

/* Helpers */

static const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

static gboolean
field_is_signer (guint field)
{
  return field == F_SIGNER_NAME || field == F_SIGNER_POSITION || field == F_SIGNER_NIP;
}

static void
set_field_error (guint    field,
                 GError **error)
{
  const char *what;

  switch (field)
    {
    case F_RECEIPT:        what = _("receipt number"); break;
    case F_APPLICANT_NAME: what = _("applicant name"); break;
    case F_NIK:            what = _("NIK"); break;
    case F_ADDRESS:        what = _("address"); break;
    case F_BUSINESS_NAME:  what = _("business name"); break;
    case F_NIB:            what = _("NIB"); break;
    default:               what = NULL; break;
    }
  if (what != NULL)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD,
                   _("The letter cannot be drafted: the case has no %s, which the template uses. "
                     "Add it to the case first."), what);
      return;
    }
  switch (field)
    {
    case F_SERVICE_NAME: what = _("service name"); break;
    case F_UNIT_NAME:    what = _("issuing unit name"); break;
    default:             what = _("issuing unit address"); break;
    }
  g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD,
               _("The letter cannot be drafted: it has no %s, which the template uses."), what);
}

static guint
field_index (const char *name,
             gsize       len)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (strlen (LK_LETTER_FIELDS[i]) == len && strncmp (LK_LETTER_FIELDS[i], name, len) == 0)
      return i;
  return N_FIELDS;
}

/* TEXT with its placeholders replaced. A line with an empty signer field
 * renders blank; any other empty field is LK_LETTER_ERROR_FIELD. */
static char *
substitute (const char    *text,
            const LkLetterValues *v,
            GError       **error)
{
  GString *out;
  const char *line = text;

  if (text == NULL)
    return g_strdup ("");
  out = g_string_sized_new (strlen (text) + 64);
  while (line != NULL)
    {
      const char *end = strchr (line, '\n');
      const char *stop = end != NULL ? end : line + strlen (line);
      gsize start = out->len;
      gboolean blank = FALSE;
      const char *p = line;

      while (p < stop)
        {
          const char *open = g_strstr_len (p, stop - p, "{{");
          const char *close;
          guint field;

          if (open == NULL)
            {
              g_string_append_len (out, p, stop - p);
              break;
            }
          close = g_strstr_len (open + 2, stop - open - 2, "}}");
          field = close != NULL ? field_index (open + 2, close - open - 2) : N_FIELDS;
          g_assert (field < N_FIELDS);   /* the parser checked every placeholder */
          g_string_append_len (out, p, open - p);
          if (nonempty (v->values[field]) != NULL)
            g_string_append_len (out, v->values[field], strnlen (v->values[field], MAX_TEXT_BYTES));
          else if (field_is_signer (field))
            blank = TRUE;
          else
            {
              set_field_error (field, error);
              g_string_free (out, TRUE);
              return NULL;
            }
          p = close + 2;
        }
      if (blank)
        g_string_truncate (out, start);
      if (end != NULL)
        g_string_append_c (out, '\n');
      line = end != NULL ? end + 1 : NULL;
    }
  return g_string_free (out, FALSE);
}

static cairo_status_t
read_png_cb (void          *closure,
             unsigned char *data,
             unsigned int   length)
{
  GBytes **rest = closure;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (*rest, &size);
  GBytes *next;

  if (length > size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, bytes, length);
  next = g_bytes_new_from_bytes (*rest, length, size - length);
  g_bytes_unref (*rest);
  *rest = next;
  return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
lk_letter_load_logo (const char  *path,
                     GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autoptr(GError) local = NULL;
  GStatBuf st;
  gsize len;
  GBytes *rest;
  cairo_surface_t *surface;
  cairo_status_t status;

  if (g_stat (path, &st) != 0 || !g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("Could not read the letterhead logo “%s”: %s"), name,
                   local != NULL ? local->message : g_strerror (errno));
      return NULL;
    }
  if (st.st_size > LOGO_MAX_BYTES || len > LOGO_MAX_BYTES)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("The letterhead logo “%s” is larger than %d KiB. Use a smaller PNG image."),
                   name, LOGO_MAX_BYTES / 1024);
      return NULL;
    }
  rest = g_bytes_new_take (g_steal_pointer (&contents), len);
  surface = cairo_image_surface_create_from_png_stream (read_png_cb, &rest);
  g_bytes_unref (rest);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS &&
      (cairo_image_surface_get_width (surface) <= 0 || cairo_image_surface_get_height (surface) <= 0 ||
       cairo_image_surface_get_width (surface) > LOGO_MAX_SIDE ||
       cairo_image_surface_get_height (surface) > LOGO_MAX_SIDE))
    {
      cairo_surface_destroy (surface);
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("The letterhead logo “%s” is larger than %d pixels a side. Use a smaller PNG image."),
                   name, LOGO_MAX_SIDE);
      return NULL;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED,
                   _("The letterhead logo “%s” is not a PNG image that can be read (%s)."),
                   name, cairo_status_to_string (status));
      return NULL;
    }
  return surface;
}

void
lk_letter_texts_clear (LkLetterTexts *t)
{
  g_free (t->agency);
  g_free (t->office);
  g_free (t->subject);
  g_free (t->addressee);
  g_free (t->body);
  g_free (t->closing);
  g_free (t->closing_after);
  g_free (t->footer);
}


/* The template's closing split at its marker line (the parser saw to it
 * that there is exactly one): the lines before it and after it. */
static void
split_closing (const char  *closing,
               char       **before,
               char       **after)
{
  g_auto(GStrv) lines = g_strsplit (closing, "\n", -1);
  g_autoptr(GPtrArray) b = g_ptr_array_new ();
  g_autoptr(GPtrArray) a = g_ptr_array_new ();
  gboolean seen = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (lines[i]));

      if (!seen && g_str_equal (stripped, LK_LETTER_SIGNATURE_MARKER))
        seen = TRUE;
      else
        g_ptr_array_add (seen ? a : b, lines[i]);
    }
  g_assert (seen);
  g_ptr_array_add (b, NULL);
  g_ptr_array_add (a, NULL);
  *before = g_strjoinv ("\n", (char **) b->pdata);
  *after = g_strjoinv ("\n", (char **) a->pdata);
}

gboolean
lk_letter_texts_fill (LkLetterTexts           *t,
                      const LkLetterTemplate  *self,
                      const LkLetterValues    *v,
                      GError                 **error)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  split_closing (self->closing, &before, &after);
  return (t->agency = substitute (self->agency, v, error)) != NULL &&
         (t->office = substitute (self->office, v, error)) != NULL &&
         (t->subject = substitute (self->subject, v, error)) != NULL &&
         (t->addressee = substitute (self->addressee, v, error)) != NULL &&
         (t->body = substitute (self->body, v, error)) != NULL &&
         (t->closing = substitute (before, v, error)) != NULL &&
         (t->closing_after = substitute (after, v, error)) != NULL &&
         (t->footer = substitute (self->footer != NULL ? self->footer : LK_LETTER_DRAFT_FOOTER,
                                  v, error)) != NULL;
}
