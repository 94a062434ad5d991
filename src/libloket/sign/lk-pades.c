/* lk-pades.c — PAdES B-B and B-T signatures: one incremental revision per signature
 *
 * The revision holds the /Sig dictionary (a fixed-width /ByteRange
 * placeholder and a zero-filled /Contents sized from the CMS size estimate), one
 * signature field merged with its widget (invisible, or visible with its
 * appearance stream), the widget's page with the widget in /Annots, and the AcroForm (or the catalog, when the AcroForm is direct
 * or absent). After the writer builds the revision, /ByteRange is patched
 * from the /Contents span, the two ranges are hashed straight from the
 * original bytes and the revision buffer, and the CMS goes into /Contents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pades"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "pdf/lk-pdf-document.h"
#include "pdf/lk-pdf-writer.h"
#include "letter/lk-qr.h"
#include "sign/lk-cms.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-appearance.h"
#include "sign/lk-tsa.h"

G_DEFINE_QUARK (lk-pades-error-quark, lk_pades_error)

/* Bounds on what we read of the existing form. */
#define MAX_FIELDS 100000
#define MAX_FIELD_NUMBER 100000
/* "[0 " + three 10-digit numbers separated by spaces + "]" */
#define BYTE_RANGE_PLACEHOLDER "[0 0000000000 0000000000 0000000000]"
#define HASH_CHUNK (1024 * 1024)

/* A PDF text string: literal when printable ASCII, else UTF-16BE with BOM. */
static LkPdfObj *
text_string (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  gboolean ascii = TRUE;
  g_autofree char *utf16 = NULL;
  gsize len = 0;
  GByteArray *buf;
  LkPdfObj *obj;

  for (const char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
      {
        ascii = FALSE;
        break;
      }
  if (ascii)
    return lk_pdf_obj_new_string ((const guint8 *) valid, strlen (valid));

  utf16 = g_convert (valid, -1, "UTF-16BE", "UTF-8", NULL, &len, NULL);
  if (utf16 == NULL)
    return lk_pdf_obj_new_string ((const guint8 *) "", 0);
  buf = g_byte_array_sized_new (len + 2);
  g_byte_array_append (buf, (const guint8 *) "\xfe\xff", 2);
  g_byte_array_append (buf, (const guint8 *) utf16, len);
  obj = lk_pdf_obj_new_string (buf->data, buf->len);
  g_byte_array_unref (buf);
  return obj;
}

/* D:YYYYMMDDHHmmSSZ or D:YYYYMMDDHHmmSS+07'00' */
static char *
pdf_date (GDateTime *time)
{
  g_autofree char *base = g_date_time_format (time, "D:%Y%m%d%H%M%S");
  gint64 offset = g_date_time_get_utc_offset (time) / G_TIME_SPAN_MINUTE;
  char sign = offset < 0 ? '-' : '+';

  if (offset == 0)
    return g_strconcat (base, "Z", NULL);
  if (offset < 0)
    offset = -offset;
  return g_strdup_printf ("%s%c%02d'%02d'", base, sign,
                          (int) (offset / 60), (int) (offset % 60));
}

static void
add_field_name (GHashTable *names,
                LkPdfObj   *field)
{
  LkPdfObj *t = lk_pdf_obj_dict_get (field, "T");
  const guint8 *data;
  gsize len = 0;

  if (lk_pdf_obj_get_kind (t) != LK_PDF_STRING)
    return;
  data = lk_pdf_obj_get_string (t, &len);
  g_hash_table_add (names, g_strndup ((const char *) data, len));
}

/* "Signature N" with the smallest N not used by a top-level field. */
static char *
unique_field_name (LkPdfDocument *doc,
                   LkPdfObj      *fields,
                   GError       **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = fields != NULL ? lk_pdf_obj_array_length (fields) : 0;

  if (n > MAX_FIELDS)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_DOCUMENT,
                   _("The PDF’s form has more than %u fields."), MAX_FIELDS);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkPdfObj) field = NULL;
      g_autoptr(GError) local_error = NULL;

      field = lk_pdf_document_resolve (doc, lk_pdf_obj_array_get (fields, i), &local_error);
      if (field != NULL && lk_pdf_obj_get_kind (field) == LK_PDF_DICT)
        add_field_name (names, field);
    }

  for (guint i = 1; i <= MAX_FIELD_NUMBER; i++)
    {
      g_autofree char *name = g_strdup_printf ("Signature %u", i);

      if (!g_hash_table_contains (names, name))
        return g_steal_pointer (&name);
    }
  g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_DOCUMENT,
               _("No free signature field name in the PDF’s form."));
  return NULL;
}

/* A new array: the items of OLD (may be NULL) and a reference to NUM. */
static LkPdfObj *
array_with_ref (LkPdfObj *old,
                guint     num)
{
  LkPdfObj *array = lk_pdf_obj_new_array ();
  guint n = old != NULL && lk_pdf_obj_get_kind (old) == LK_PDF_ARRAY
            ? lk_pdf_obj_array_length (old) : 0;

  for (guint i = 0; i < n; i++)
    lk_pdf_obj_array_take (array, lk_pdf_obj_copy (lk_pdf_obj_array_get (old, i)));
  lk_pdf_obj_array_take (array, lk_pdf_obj_new_ref (num, 0));
  return array;
}

/* The certificate's first common name, or NULL. */
static char *
certificate_name (gnutls_x509_crt_t crt)
{
  char buf[256];
  size_t size = sizeof buf - 1;

  if (crt == NULL ||
      gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) < 0)
    return NULL;
  buf[MIN (size, sizeof buf - 1)] = '\0';
  return g_strdup (buf);
}

/* The visible widget's appearance: name, position, NIP, time, reason,
 * location, and the QR code (issue 6's stamp). */
static LkPdfObj *
make_appearance (LkTokenKey           *key,
                 const LkPadesOptions *opts,
                 GDateTime            *time,
                 guint                 image_num,
                 guint                 image_width,
                 guint                 image_height,
                 const LkQr           *qr)
{
  g_autofree char *cn = NULL;
  g_autofree char *name_line = NULL;
  g_autofree char *when = g_date_time_format (time, "%Y-%m-%d %H:%M %:z");
  g_autofree char *date_line = NULL;
  g_autofree char *reason_line = NULL;
  g_autofree char *location_line = NULL;
  g_autofree char *nip_line = NULL;
  const char *lines[7] = { NULL, };
  guint n = 0;
  const char *name = opts->signer_name;

  if (name == NULL)
    name = cn = certificate_name (lk_token_key_get_certificate (key));
  if (name != NULL)
    lines[n++] = name_line = g_strdup_printf (_("Signed by %s"), name);
  if (opts->signer_position != NULL && *opts->signer_position != '\0')
    lines[n++] = opts->signer_position;
  /* "NIP" is the civil servant's number's own name, as on the letter. */
  if (opts->signer_nip != NULL && *opts->signer_nip != '\0')
    lines[n++] = nip_line = g_strdup_printf ("NIP %s", opts->signer_nip);
  lines[n++] = date_line = g_strdup_printf (_("Date: %s"), when != NULL ? when : "");
  if (opts->reason != NULL)
    lines[n++] = reason_line = g_strdup_printf (_("Reason: %s"), opts->reason);
  if (opts->location != NULL)
    lines[n++] = location_line = g_strdup_printf (_("Location: %s"), opts->location);
  return lk_pades_appearance_new_full (opts->rect[2], opts->rect[3], lines,
                                       image_num, image_width, image_height, qr);
}

/* The page's /Annots with the widget: the indirect array replaced, or the
 * page dictionary replaced with the array in it. */
static gboolean
add_to_page (LkPdfDocument *doc,
             LkPdfWriter   *writer,
             LkPdfObj      *page,
             guint          page_num,
             guint          widget_num,
             GError       **error)
{
  LkPdfObj *annots = lk_pdf_obj_dict_get (page, "Annots");
  g_autoptr(LkPdfObj) resolved = NULL;
  g_autoptr(LkPdfObj) copy = NULL;

  if (lk_pdf_obj_get_kind (annots) == LK_PDF_REF)
    {
      resolved = lk_pdf_document_resolve (doc, annots, error);
      if (resolved == NULL)
        return FALSE;
      if (lk_pdf_obj_get_kind (resolved) == LK_PDF_ARRAY &&
          lk_pdf_document_get_object_generation (doc, lk_pdf_obj_get_ref_num (annots)) >= 0)
        {
          g_autoptr(LkPdfObj) array = array_with_ref (resolved, widget_num);

          return lk_pdf_writer_set_object (writer, lk_pdf_obj_get_ref_num (annots), array, error);
        }
      annots = resolved;
    }

  copy = lk_pdf_obj_copy (page);
  lk_pdf_obj_dict_take (copy, "Annots", array_with_ref (annots, widget_num));
  return lk_pdf_writer_set_object (writer, page_num, copy, error);
}

/* /Fields extended and /SigFlags 3 in the AcroForm: the AcroForm object
 * replaced when indirect, else the catalog. */
static gboolean
add_to_form (LkPdfDocument *doc,
             LkPdfWriter   *writer,
             LkPdfObj      *catalog,
             guint          catalog_num,
             guint          field_num,
             GError       **error)
{
  LkPdfObj *form_ref = lk_pdf_obj_dict_get (catalog, "AcroForm");
  g_autoptr(LkPdfObj) form = NULL;
  g_autoptr(LkPdfObj) fields = NULL;
  g_autoptr(LkPdfObj) new_form = NULL;
  LkPdfObj *fields_ref;

  if (form_ref != NULL)
    {
      form = lk_pdf_document_resolve (doc, form_ref, error);
      if (form == NULL)
        return FALSE;
    }
  if (form != NULL && lk_pdf_obj_get_kind (form) == LK_PDF_DICT)
    new_form = lk_pdf_obj_copy (form);
  else
    new_form = lk_pdf_obj_new_dict ();

  fields_ref = lk_pdf_obj_dict_get (new_form, "Fields");
  if (fields_ref != NULL)
    {
      fields = lk_pdf_document_resolve (doc, fields_ref, error);
      if (fields == NULL)
        return FALSE;
    }
  if (lk_pdf_obj_get_kind (fields_ref) == LK_PDF_REF &&
      lk_pdf_obj_get_kind (fields) == LK_PDF_ARRAY &&
      lk_pdf_document_get_object_generation (doc, lk_pdf_obj_get_ref_num (fields_ref)) >= 0)
    {
      g_autoptr(LkPdfObj) array = array_with_ref (fields, field_num);

      if (!lk_pdf_writer_set_object (writer, lk_pdf_obj_get_ref_num (fields_ref), array, error))
        return FALSE;
    }
  else
    lk_pdf_obj_dict_take (new_form, "Fields", array_with_ref (fields, field_num));
  lk_pdf_obj_dict_take (new_form, "SigFlags", lk_pdf_obj_new_int (3));

  if (lk_pdf_obj_get_kind (form_ref) == LK_PDF_REF &&
      lk_pdf_document_get_object_generation (doc, lk_pdf_obj_get_ref_num (form_ref)) >= 0)
    return lk_pdf_writer_set_object (writer, lk_pdf_obj_get_ref_num (form_ref), new_form, error);

  {
    g_autoptr(LkPdfObj) new_catalog = lk_pdf_obj_copy (catalog);

    lk_pdf_obj_dict_take (new_catalog, "AcroForm", g_steal_pointer (&new_form));
    return lk_pdf_writer_set_object (writer, catalog_num, new_catalog, error);
  }
}

/* doc: when data is the document's own (mapped) bytes, each chunk's pages
 * are let go once hashed, so a large file does not stay in memory. */
static gboolean
hash_bytes (gnutls_hash_hd_t  hash,
            LkPdfDocument    *doc,
            const guint8     *data,
            gsize             len,
            GCancellable     *cancellable,
            GError          **error)
{
  gsize done = 0;

  while (len > 0)
    {
      gsize n = MIN (len, HASH_CHUNK);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (gnutls_hash (hash, data, n) < 0)
        {
          g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_FAILED,
                       _("Could not compute the document’s digest."));
          return FALSE;
        }
      if (doc != NULL)
        lk_pdf_document_drop_pages (doc, done, n);
      data += n;
      done += n;
      len -= n;
    }
  return TRUE;
}

/* SHA-256 of [0, a) and [b, total) of ORIGINAL followed by REVISION. */
static gboolean
hash_ranges (LkPdfDocument *doc,
             const guint8  *original,
             gsize          original_len,
             const guint8  *revision,
             gsize          revision_len,
             guint64        a,
             guint64        b,
             guint8         digest[LK_CMS_SHA256_SIZE],
             GCancellable  *cancellable,
             GError       **error)
{
  gnutls_hash_hd_t hash;
  gboolean ok;

  g_assert (a >= original_len && b >= a && b <= original_len + revision_len);
  if (gnutls_hash_init (&hash, GNUTLS_DIG_SHA256) < 0)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_FAILED,
                   _("Could not compute the document’s digest."));
      return FALSE;
    }
  ok = hash_bytes (hash, doc, original, original_len, cancellable, error) &&
       hash_bytes (hash, NULL, revision, a - original_len, cancellable, error) &&
       hash_bytes (hash, NULL, revision + (b - original_len),
                   original_len + revision_len - b, cancellable, error);
  gnutls_hash_deinit (hash, ok ? digest : NULL);
  return ok;
}

gboolean
lk_pades_sign (LkTokenKey            *key,
               GPtrArray             *chain,
               const LkPadesOptions  *opts,
               const char            *in_path,
               const char            *out_path,
               GCancellable          *cancellable,
               GError               **error)
{
  static const LkPadesOptions no_options = { NULL, };
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfWriter) writer = NULL;
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(LkPdfObj) page = NULL;
  g_autoptr(LkPdfObj) form = NULL;
  g_autoptr(LkPdfObj) fields = NULL;
  g_autoptr(LkPdfObj) sig = NULL;
  g_autoptr(LkPdfObj) field = NULL;
  g_autoptr(LkPdfObj) rect = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(LkPdfObj) image = NULL;
  g_autoptr(LkPdfObj) smask = NULL;
  g_autoptr(LkQr) qr = NULL;
  guint image_width = 0, image_height = 0;
  GBytes *original;  /* owned by DOC */
  g_autoptr(GBytes) der = NULL;
  g_autofree char *field_name = NULL;
  g_autofree char *date = NULL;
  g_autofree guint8 *zeros = NULL;
  g_autofree char *range = NULL;
  guint8 digest[LK_CMS_SHA256_SIZE];
  guint page_num = 0, catalog_num, sig_num, field_num;
  double media_box[4] = { 0, };
  gsize contents_size, der_size, rev_len = 0;
  gint64 c_start, c_end, r_start, r_end;
  guint64 rev_off, total;
  guint8 *rev;
  gsize range_len;
  const guint8 *der_data;

  g_return_val_if_fail (LK_IS_TOKEN_KEY (key), FALSE);
  g_return_val_if_fail (in_path != NULL && out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (opts == NULL)
    opts = &no_options;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  doc = lk_pdf_document_open (in_path, error);
  if (doc == NULL)
    return FALSE;
  catalog = lk_pdf_document_get_catalog (doc, error);
  if (catalog == NULL)
    return FALSE;
  catalog_num = lk_pdf_document_get_catalog_number (doc);
  if (opts->visible)
    {
      int n_pages = lk_pdf_document_get_page_count (doc, error);

      if (n_pages < 0)
        return FALSE;
      if (opts->page >= (guint) n_pages)
        {
          g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_PAGE,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Page %u does not exist: the PDF has %d page.",
                                    "Page %u does not exist: the PDF has %d pages.",
                                    (gulong) n_pages),
                       opts->page + 1, n_pages);
          return FALSE;
        }
      if (!(opts->rect[2] > 0 && opts->rect[3] > 0 && opts->rect[2] < 100000 &&
            opts->rect[3] < 100000 && opts->rect[0] > -100000 && opts->rect[0] < 100000 &&
            opts->rect[1] > -100000 && opts->rect[1] < 100000))
        {
          g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_PAGE,
                       _("The signature’s rectangle needs a positive width and height, in points."));
          return FALSE;
        }
      if (opts->image_path != NULL)
        {
          image = lk_pades_appearance_load_png (opts->image_path, &smask, &image_width,
                                                &image_height, error);
          if (image == NULL)
            return FALSE;
        }
      if (opts->qr_text != NULL)
        {
          g_autoptr(GError) local = NULL;

          qr = lk_qr_encode (opts->qr_text, &local);
          if (qr == NULL)
            {
              g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_FAILED,
                           _("The stamp’s QR code cannot be made: %s"), local->message);
              return FALSE;
            }
        }
    }
  page = lk_pdf_document_get_page (doc, opts->visible ? opts->page : 0, &page_num, NULL,
                                   media_box, error);
  if (page == NULL)
    return FALSE;
  if (page_num == 0)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_DOCUMENT,
                   _("The PDF’s page %u is not an indirect object."),
                   (opts->visible ? opts->page : 0) + 1);
      return FALSE;
    }

  form = lk_pdf_document_get_acroform (doc, error);
  if (form == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (form != NULL)
    {
      fields = lk_pdf_document_lookup (doc, form, "Fields", error);
      if (fields == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (fields != NULL && lk_pdf_obj_get_kind (fields) != LK_PDF_ARRAY)
        g_clear_pointer (&fields, lk_pdf_obj_unref);
    }
  field_name = unique_field_name (doc, fields, error);
  if (field_name == NULL)
    return FALSE;

  der_size = lk_cms_estimate_size_with_token_key (key, chain, error);
  if (der_size == 0)
    return FALSE;
  contents_size = der_size + LK_PADES_CONTENTS_MARGIN;
  if (opts->tsa_url != NULL)
    contents_size += LK_PADES_TIMESTAMP_RESERVE;

  writer = lk_pdf_writer_new (doc);
  sig_num = lk_pdf_writer_reserve (writer);
  field_num = lk_pdf_writer_reserve (writer);

  now = opts->signing_time != NULL ? g_date_time_ref (opts->signing_time)
                                   : g_date_time_new_now_local ();
  date = pdf_date (now);
  zeros = g_malloc0 (contents_size);

  sig = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (sig, "Type", lk_pdf_obj_new_name ("Sig"));
  lk_pdf_obj_dict_take (sig, "Filter", lk_pdf_obj_new_name ("Adobe.PPKLite"));
  lk_pdf_obj_dict_take (sig, "SubFilter", lk_pdf_obj_new_name ("ETSI.CAdES.detached"));
  lk_pdf_obj_dict_take (sig, "ByteRange", lk_pdf_obj_new_raw (BYTE_RANGE_PLACEHOLDER));
  lk_pdf_obj_dict_take (sig, "Contents", lk_pdf_obj_new_hex_string (zeros, contents_size));
  lk_pdf_obj_dict_take (sig, "M", lk_pdf_obj_new_string ((const guint8 *) date, strlen (date)));
  if (opts->signer_name != NULL)
    lk_pdf_obj_dict_take (sig, "Name", text_string (opts->signer_name));
  if (opts->reason != NULL)
    lk_pdf_obj_dict_take (sig, "Reason", text_string (opts->reason));
  if (opts->location != NULL)
    lk_pdf_obj_dict_take (sig, "Location", text_string (opts->location));
  if (opts->contact != NULL)
    lk_pdf_obj_dict_take (sig, "ContactInfo", text_string (opts->contact));
  if (!lk_pdf_writer_set_object (writer, sig_num, sig, error))
    return FALSE;

  rect = lk_pdf_obj_new_array ();
  if (opts->visible)
    {
      double x = media_box[0] + opts->rect[0];
      double y = media_box[1] + opts->rect[1];

      lk_pdf_obj_array_take (rect, lk_pdf_obj_new_real (x));
      lk_pdf_obj_array_take (rect, lk_pdf_obj_new_real (y));
      lk_pdf_obj_array_take (rect, lk_pdf_obj_new_real (x + opts->rect[2]));
      lk_pdf_obj_array_take (rect, lk_pdf_obj_new_real (y + opts->rect[3]));
    }
  else
    for (guint i = 0; i < 4; i++)
      lk_pdf_obj_array_take (rect, lk_pdf_obj_new_int (0));
  field = lk_pdf_obj_new_dict ();
  lk_pdf_obj_dict_take (field, "FT", lk_pdf_obj_new_name ("Sig"));
  lk_pdf_obj_dict_take (field, "T", text_string (field_name));
  lk_pdf_obj_dict_take (field, "V", lk_pdf_obj_new_ref (sig_num, 0));
  lk_pdf_obj_dict_take (field, "Type", lk_pdf_obj_new_name ("Annot"));
  lk_pdf_obj_dict_take (field, "Subtype", lk_pdf_obj_new_name ("Widget"));
  lk_pdf_obj_dict_take (field, "Rect", g_steal_pointer (&rect));
  /* Print | Locked */
  lk_pdf_obj_dict_take (field, "F", lk_pdf_obj_new_int (132));
  lk_pdf_obj_dict_take (field, "P", lk_pdf_obj_new_ref (page_num, 0));
  if (opts->visible)
    {
      g_autoptr(LkPdfObj) appearance = NULL;
      LkPdfObj *ap = lk_pdf_obj_new_dict ();
      guint image_num = 0;

      if (image != NULL)
        {
          if (smask != NULL)
            lk_pdf_obj_dict_take (lk_pdf_obj_stream_get_dict (image), "SMask",
                                  lk_pdf_obj_new_ref (lk_pdf_writer_add_object (writer, smask), 0));
          image_num = lk_pdf_writer_add_object (writer, image);
        }
      appearance = make_appearance (key, opts, now, image_num, image_width, image_height, qr);

      lk_pdf_obj_dict_take (ap, "N", lk_pdf_obj_new_ref (lk_pdf_writer_add_object (writer, appearance), 0));
      lk_pdf_obj_dict_take (field, "AP", ap);
    }
  if (!lk_pdf_writer_set_object (writer, field_num, field, error))
    return FALSE;

  if (!add_to_page (doc, writer, page, page_num, field_num, error))
    return FALSE;
  /* The page may be the catalog's AcroForm holder only in broken files;
   * the catalog is replaced after the page so a catalog change wins. */
  if (!add_to_form (doc, writer, catalog, catalog_num, field_num, error))
    return FALSE;

  if (!lk_pdf_writer_build (writer, error))
    return FALSE;

  if (!lk_pdf_writer_get_value_span (writer, sig_num, "Contents", &c_start, &c_end) ||
      !lk_pdf_writer_get_value_span (writer, sig_num, "ByteRange", &r_start, &r_end))
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_FAILED,
                   _("The signature dictionary was not written as expected."));
      return FALSE;
    }

  original = lk_pdf_document_get_bytes (doc);
  rev = lk_pdf_writer_get_revision_data (writer, &rev_len);
  rev_off = lk_pdf_writer_get_revision_offset (writer);
  total = rev_off + rev_len;
  g_assert (rev_off == g_bytes_get_size (original));
  if (c_start < (gint64) rev_off || c_end > (gint64) total || c_end - c_start != (gint64) contents_size * 2 + 2 ||
      r_start < (gint64) rev_off || r_end > c_start)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_FAILED,
                   _("The signature dictionary was not written as expected."));
      return FALSE;
    }

  range = g_strdup_printf ("[0 %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "]",
                           c_start, c_end, total - (guint64) c_end);
  range_len = strlen (range);
  if (range_len > (gsize) (r_end - r_start))
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_TOO_LARGE,
                   _("The signed file would be too large for its /ByteRange."));
      return FALSE;
    }
  /* Padded with spaces before the closing bracket. */
  memset (rev + (r_start - rev_off), ' ', r_end - r_start);
  memcpy (rev + (r_start - rev_off), range, range_len - 1);
  rev[r_end - 1 - rev_off] = ']';

  if (!hash_ranges (doc, g_bytes_get_data (original, NULL), g_bytes_get_size (original),
                    rev, rev_len, (guint64) c_start, (guint64) c_end, digest,
                    cancellable, error))
    return FALSE;

  der = lk_cms_sign_digest_with_token_key (key, chain, digest, error);
  if (der == NULL)
    return FALSE;
  if (opts->tsa_url != NULL)
    {
      g_autoptr(GBytes) stamped = NULL;
      gsize plain_size = g_bytes_get_size (der);

      stamped = lk_tsa_add_timestamp (der, opts->tsa_url, cancellable, error);
      if (stamped == NULL)
        return FALSE;
      if (g_bytes_get_size (stamped) > contents_size)
        {
          g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_TOO_LARGE,
                       _("The timestamp from %s (%zu bytes) is larger than the %d bytes reserved for it."),
                       opts->tsa_url, g_bytes_get_size (stamped) - plain_size,
                       LK_PADES_TIMESTAMP_RESERVE);
          return FALSE;
        }
      g_bytes_unref (der);
      der = g_steal_pointer (&stamped);
    }
  der_data = g_bytes_get_data (der, &der_size);
  if (der_size > contents_size)
    {
      g_set_error (error, LK_PADES_ERROR, LK_PADES_ERROR_TOO_LARGE,
                   _("The signature (%zu bytes) does not fit the %zu bytes reserved for it."),
                   der_size, contents_size);
      return FALSE;
    }
  for (gsize i = 0; i < der_size; i++)
    {
      static const char hex[] = "0123456789ABCDEF";
      guint8 *p = rev + (c_start + 1 - rev_off) + 2 * i;

      p[0] = hex[der_data[i] >> 4];
      p[1] = hex[der_data[i] & 0x0f];
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return lk_pdf_writer_write_to_file (writer, out_path, error);
}
