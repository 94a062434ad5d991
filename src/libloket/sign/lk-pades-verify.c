/* lk-pades-verify.c — checks the PAdES / PKCS#7 signatures of a PDF
 *
 * For each signature field with a /V: the /ByteRange (from 0, two ranges,
 * the gap exactly the /Contents string, inside the file), what it covers
 * (the whole file, or the revision that added it), the SubFilter, the CMS
 * over the ranges, the chain to the given trust anchors, the signature
 * timestamp, and what the revisions after it change: the objects of their
 * cross-reference sections, compared with the signed revision (the file's
 * prefix up to the range end, opened as a document of its own).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#define G_LOG_DOMAIN "loket-sign"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "pdf/lk-pdf-document.h"
#include "pdf/lk-pdf-object.h"
#include "pdf/lk-pdf-object-private.h"
#include "sign/lk-cms.h"
#include "sign/lk-tsa.h"
#include "sign/lk-pades-verify.h"

G_DEFINE_QUARK (lk-pades-verify-error-quark, lk_pades_verify_error)

/* The hex /Contents: at most twice the largest CMS we parse, plus spacing. */
#define MAX_CONTENTS_HEX (2 * LK_CMS_MAX_DER + 4096)

static void
signature_report_free (LkPadesSignatureReport *sig)
{
  g_free (sig->field_name);
  g_free (sig->sub_filter);
  g_free (sig->reason);
  g_free (sig->location);
  g_free (sig->name);
  g_free (sig->signing_time);
  g_free (sig->signer_subject);
  g_free (sig->signer_issuer);
  g_free (sig->signer_serial);
  g_free (sig->signer_fingerprint);
  g_free (sig->chain_status);
  g_free (sig->timestamp_chain_status);
  g_array_unref (sig->allowed_objects);
  g_array_unref (sig->disallowed_objects);
  g_ptr_array_unref (sig->problems);
  g_free (sig);
}

void
lk_pades_verify_report_free (LkPadesVerifyReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->signatures);
  g_ptr_array_unref (report->problems);
  g_free (report);
}

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static char *
dict_text (LkPdfObj   *dict,
           const char *key)
{
  LkPdfObj *value = lk_pdf_obj_dict_get (dict, key);
  const guint8 *data;
  gsize len = 0;

  if (lk_pdf_obj_get_kind (value) == LK_PDF_NAME)
    return g_strdup (lk_pdf_obj_get_name (value));
  if (lk_pdf_obj_get_kind (value) != LK_PDF_STRING)
    return NULL;
  data = lk_pdf_obj_get_string (value, &len);
  /* UTF-16BE with a BOM, else PDFDocEncoding read as Latin-1. */
  if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    return g_convert ((const char *) data + 2, len - 2, "UTF-8", "UTF-16BE", NULL, NULL, NULL);
  if (g_utf8_validate ((const char *) data, len, NULL))
    return g_strndup ((const char *) data, len);
  return g_convert ((const char *) data, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

/* The bytes of the hex string at DATA[START, END) ('<' ... '>'). */
static GBytes *
decode_contents (const guint8 *data,
                 gint64        start,
                 gint64        end)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  int high = -1;

  for (gint64 i = start + 1; i < end - 1; i++)
    {
      int v = g_ascii_xdigit_value (data[i]);

      if (v < 0)
        {
          if (g_ascii_isspace (data[i]))
            continue;
          return NULL;
        }
      if (high < 0)
        high = v;
      else
        {
          guint8 b = (guint8) (high << 4 | v);

          g_byte_array_append (out, &b, 1);
          high = -1;
        }
    }
  if (high >= 0)
    {
      guint8 b = (guint8) (high << 4);

      g_byte_array_append (out, &b, 1);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Whether DATA[0, END) ends with "%%EOF" and at most an end of line. */
static gboolean
ends_revision (const guint8 *data,
               gint64        end)
{
  gint64 p = end;

  for (guint i = 0; i < 2 && p > 0 && (data[p - 1] == '\n' || data[p - 1] == '\r'); i++)
    p--;
  return p >= 5 && memcmp (data + p - 5, "%%EOF", 5) == 0;
}

/* Records in CHANGED (number → 'n' in use, 'f' freed) the entries of the
 * cross-reference section at OFFSET (a table or a stream). */
static gboolean
read_xref_section (GBytes      *bytes,
                   guint64      offset,
                   GHashTable  *changed,
                   GError     **error)
{
  LkPdfParser parser;

  lk_pdf_parser_init (&parser, bytes, TRUE);
  if (offset >= parser.len)
    goto bad;
  parser.pos = offset;

  if (lk_pdf_parser_keyword (&parser, "xref"))
    {
      for (;;)
        {
          guint64 start, count;

          lk_pdf_parser_skip_space (&parser);
          if (lk_pdf_parser_keyword (&parser, "trailer"))
            return TRUE;
          if (!lk_pdf_parser_read_uint (&parser, &start))
            goto bad;
          lk_pdf_parser_skip_space (&parser);
          if (!lk_pdf_parser_read_uint (&parser, &count) ||
              start > LK_PDF_MAX_OBJECTS || count > LK_PDF_MAX_OBJECTS - start)
            goto bad;
          for (guint64 i = 0; i < count; i++)
            {
              guint64 off, gen;
              guchar kind;

              lk_pdf_parser_skip_space (&parser);
              if (!lk_pdf_parser_read_uint (&parser, &off))
                goto bad;
              lk_pdf_parser_skip_space (&parser);
              if (!lk_pdf_parser_read_uint (&parser, &gen))
                goto bad;
              lk_pdf_parser_skip_space (&parser);
              if (parser.pos >= parser.len)
                goto bad;
              kind = parser.data[parser.pos++];
              if (kind != 'n' && kind != 'f')
                goto bad;
              if (start + i != 0)
                g_hash_table_insert (changed, GUINT_TO_POINTER ((guint) (start + i)),
                                     GUINT_TO_POINTER ((guint) kind));
            }
        }
    }
  else
    {
      g_autoptr(LkPdfObj) stream = NULL;
      g_autoptr(GBytes) decoded = NULL;
      LkPdfObj *dict, *w, *index;
      guint num = 0, gen = 0;
      guint widths[3];
      gsize entry, n_entries, pos = 0;
      const guint8 *rows;
      gsize rows_len;

      stream = lk_pdf_parser_parse_indirect (&parser, &num, &gen, error);
      if (stream == NULL)
        return FALSE;
      dict = lk_pdf_obj_stream_get_dict (stream);
      if (lk_pdf_obj_get_kind (stream) != LK_PDF_STREAM ||
          !lk_pdf_obj_is_name (lk_pdf_obj_dict_get (dict, "Type"), "XRef"))
        goto bad;
      g_hash_table_insert (changed, GUINT_TO_POINTER (num), GUINT_TO_POINTER ((guint) 'n'));
      w = lk_pdf_obj_dict_get (dict, "W");
      if (lk_pdf_obj_get_kind (w) != LK_PDF_ARRAY || lk_pdf_obj_array_length (w) != 3)
        goto bad;
      for (guint i = 0; i < 3; i++)
        {
          gint64 v = lk_pdf_obj_get_int (lk_pdf_obj_array_get (w, i));

          if (v < 0 || v > 8)
            goto bad;
          widths[i] = (guint) v;
        }
      entry = widths[0] + widths[1] + widths[2];
      if (entry == 0)
        goto bad;
      decoded = lk_pdf_decode_stream (stream, error);
      if (decoded == NULL)
        return FALSE;
      rows = g_bytes_get_data (decoded, &rows_len);
      n_entries = rows_len / entry;
      index = lk_pdf_obj_dict_get (dict, "Index");
      for (guint pair = 0;; pair += 2)
        {
          gint64 start, count;

          if (lk_pdf_obj_get_kind (index) == LK_PDF_ARRAY)
            {
              if (pair + 1 >= lk_pdf_obj_array_length (index))
                break;
              start = lk_pdf_obj_get_int (lk_pdf_obj_array_get (index, pair));
              count = lk_pdf_obj_get_int (lk_pdf_obj_array_get (index, pair + 1));
            }
          else
            {
              if (pair > 0)
                break;
              start = 0;
              count = lk_pdf_obj_get_int (lk_pdf_obj_dict_get (dict, "Size"));
            }
          if (start < 0 || count < 0 || start > LK_PDF_MAX_OBJECTS ||
              count > LK_PDF_MAX_OBJECTS - start)
            goto bad;
          for (gint64 i = 0; i < count; i++, pos++)
            {
              guint64 type = 1;

              if (pos >= n_entries)
                goto bad;
              if (widths[0] > 0)
                {
                  type = 0;
                  for (guint b = 0; b < widths[0]; b++)
                    type = type << 8 | rows[pos * entry + b];
                }
              if (start + i != 0 && type <= 2)
                g_hash_table_insert (changed, GUINT_TO_POINTER ((guint) (start + i)),
                                     GUINT_TO_POINTER ((guint) (type == 0 ? 'f' : 'n')));
            }
        }
      return TRUE;
    }

bad:
  g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_XREF,
               _("The cross-reference section at offset %" PRIu64
                 " of a later revision cannot be read"), offset);
  return FALSE;
}

static char *
serialize (LkPdfObj *obj)
{
  GString *out = g_string_new (NULL);

  if (obj != NULL)
    lk_pdf_obj_serialize (obj, out);
  return g_string_free (out, FALSE);
}

/* Whether dictionaries A and B hold the same values for every key but
 * those in EXCEPT (NULL-terminated). */
static gboolean
same_except (LkPdfObj           *a,
             LkPdfObj           *b,
             const char * const *except)
{
  LkPdfObj *dicts[2] = { a, b };

  if (lk_pdf_obj_get_kind (a) != LK_PDF_DICT || lk_pdf_obj_get_kind (b) != LK_PDF_DICT)
    return FALSE;
  for (guint d = 0; d < 2; d++)
    for (guint i = 0; i < lk_pdf_obj_dict_size (dicts[d]); i++)
      {
        const char *key = lk_pdf_obj_dict_key_at (dicts[d], i);
        g_autofree char *va = NULL;
        g_autofree char *vb = NULL;

        if (g_strv_contains (except, key))
          continue;
        va = serialize (lk_pdf_obj_dict_get (a, key));
        vb = serialize (lk_pdf_obj_dict_get (b, key));
        if (strcmp (va, vb) != 0)
          return FALSE;
      }
  return TRUE;
}

static guint
ref_num (LkPdfObj *obj)
{
  return lk_pdf_obj_get_kind (obj) == LK_PDF_REF ? lk_pdf_obj_get_ref_num (obj) : 0;
}

typedef struct
{
  guint catalog;
  guint acroform;
  guint fields;
  guint info;
  GHashTable *annots;  /* numbers of indirect /Annots arrays */
} AllowedHolders;

static void
find_holders (LkPdfDocument  *doc,
              AllowedHolders *holders)
{
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(LkPdfObj) acroform = NULL;
  int n_pages;

  holders->annots = g_hash_table_new (NULL, NULL);
  holders->catalog = lk_pdf_document_get_catalog_number (doc);
  holders->info = ref_num (lk_pdf_obj_dict_get (lk_pdf_document_get_trailer (doc), "Info"));
  catalog = lk_pdf_document_get_catalog (doc, NULL);
  if (catalog != NULL)
    {
      holders->acroform = ref_num (lk_pdf_obj_dict_get (catalog, "AcroForm"));
      acroform = lk_pdf_document_lookup (doc, catalog, "AcroForm", NULL);
      if (lk_pdf_obj_get_kind (acroform) == LK_PDF_DICT)
        holders->fields = ref_num (lk_pdf_obj_dict_get (acroform, "Fields"));
    }
  n_pages = lk_pdf_document_get_page_count (doc, NULL);
  for (int i = 0; i < n_pages; i++)
    {
      g_autoptr(LkPdfObj) page = lk_pdf_document_get_page (doc, (guint) i, NULL, NULL, NULL, NULL);
      guint n = ref_num (lk_pdf_obj_dict_get (page, "Annots"));

      if (n != 0)
        g_hash_table_add (holders->annots, GUINT_TO_POINTER (n));
    }
}

/* Whether object NUM, NEW now and OLD (NULL: not in use) in the signed
 * revision, is a change that leaves page content alone. */
static gboolean
change_allowed (guint           num,
                LkPdfObj       *new_obj,
                LkPdfObj       *old_obj,
                AllowedHolders *holders)
{
  static const char * const page_except[] = { "Annots", NULL };
  static const char * const catalog_except[] = { "AcroForm", "Perms", "DSS", NULL };
  LkPdfObj *dict = new_obj;
  LkPdfObj *type;

  if (lk_pdf_obj_get_kind (new_obj) == LK_PDF_STREAM)
    {
      dict = lk_pdf_obj_stream_get_dict (new_obj);
      type = lk_pdf_obj_dict_get (dict, "Type");
      if (lk_pdf_obj_is_name (type, "XRef") || lk_pdf_obj_is_name (type, "ObjStm"))
        return TRUE;
      /* A new stream (an appearance) changes nothing that existed;
       * an existing one replaced may be page content. */
      return old_obj == NULL;
    }

  type = lk_pdf_obj_dict_get (dict, "Type");
  if (old_obj == NULL)
    return !lk_pdf_obj_is_name (type, "Page") && !lk_pdf_obj_is_name (type, "Pages");

  if (lk_pdf_obj_get_kind (new_obj) == LK_PDF_DICT)
    {
      if (lk_pdf_obj_is_name (type, "Sig") || lk_pdf_obj_is_name (type, "DocTimeStamp"))
        return TRUE;
      /* A form field, or an annotation (a signature widget among them). */
      if (lk_pdf_obj_dict_get (dict, "FT") != NULL || lk_pdf_obj_is_name (type, "Annot") ||
          (lk_pdf_obj_dict_get (dict, "Subtype") != NULL && lk_pdf_obj_dict_get (dict, "Rect") != NULL))
        return TRUE;
      if (lk_pdf_obj_is_name (type, "Page"))
        return same_except (new_obj, old_obj, page_except);
      if (num == holders->catalog)
        return same_except (new_obj, old_obj, catalog_except);
    }
  if (num == holders->acroform || num == holders->info)
    return TRUE;
  if (lk_pdf_obj_get_kind (new_obj) == LK_PDF_ARRAY &&
      (num == holders->fields || g_hash_table_contains (holders->annots, GUINT_TO_POINTER (num))))
    return TRUE;
  return FALSE;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Classifies the objects of the revisions after SIG's (the cross-reference
 * sections at or after its range end) against the signed revision. */
static void
check_changes (LkPdfDocument          *doc,
               LkPadesSignatureReport *sig)
{
  GBytes *bytes = lk_pdf_document_get_bytes (doc);
  g_autoptr(GHashTable) changed = g_hash_table_new (NULL, NULL);
  g_autoptr(GBytes) prefix = NULL;
  g_autoptr(LkPdfDocument) signed_doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) nums = g_array_new (FALSE, FALSE, sizeof (guint));
  AllowedHolders holders = { 0, };
  const guint64 *sections;
  guint n_sections = 0;
  GHashTableIter iter;
  gpointer key, value;

  if (sig->covers_whole_document)
    {
      sig->changes = LK_PADES_CHANGES_NONE;
      return;
    }
  sig->changes = LK_PADES_CHANGES_NOT_ALLOWED;

  sections = lk_pdf_document_get_xref_sections (doc, &n_sections);
  for (guint i = 0; i < n_sections; i++)
    if (sections[i] >= sig->revision_end &&
        !read_xref_section (bytes, sections[i], changed, &error))
      {
        add_problem (sig->problems, _("The revisions after this signature cannot be read: %s"),
                     error->message);
        return;
      }
  if (g_hash_table_size (changed) == 0)
    {
      add_problem (sig->problems,
                   _("Data after this signature is not a revision of the document"));
      return;
    }

  prefix = g_bytes_new_from_bytes (bytes, 0, sig->revision_end);
  signed_doc = lk_pdf_document_open_bytes (prefix, &error);
  if (signed_doc == NULL)
    {
      add_problem (sig->problems, _("The signed revision cannot be read: %s"), error->message);
      return;
    }

  find_holders (doc, &holders);
  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint num = GPOINTER_TO_UINT (key);

      g_array_append_val (nums, num);
    }
  g_array_sort (nums, compare_uint);

  for (guint i = 0; i < nums->len; i++)
    {
      guint num = g_array_index (nums, guint, i);
      gboolean existed = lk_pdf_document_get_object_generation (signed_doc, num) >= 0;
      gboolean allowed;

      if (GPOINTER_TO_UINT (g_hash_table_lookup (changed, GUINT_TO_POINTER (num))) == 'f')
        allowed = !existed;
      else
        {
          g_autoptr(LkPdfObj) new_obj = lk_pdf_document_get_object (doc, num, NULL);
          g_autoptr(LkPdfObj) old_obj = existed ? lk_pdf_document_get_object (signed_doc, num, NULL) : NULL;

          if (existed && lk_pdf_obj_get_kind (old_obj) == LK_PDF_NULL)
            g_clear_pointer (&old_obj, lk_pdf_obj_unref);
          allowed = new_obj != NULL && change_allowed (num, new_obj, old_obj, &holders);
        }
      g_array_append_val (allowed ? sig->allowed_objects : sig->disallowed_objects, num);
    }
  g_hash_table_unref (holders.annots);

  if (sig->disallowed_objects->len == 0)
    {
      sig->changes = LK_PADES_CHANGES_ALLOWED;
      return;
    }
  {
    GString *list = g_string_new (NULL);

    for (guint i = 0; i < sig->disallowed_objects->len && i < 20; i++)
      g_string_append_printf (list, "%s%u", i > 0 ? ", " : "",
                              g_array_index (sig->disallowed_objects, guint, i));
    if (sig->disallowed_objects->len > 20)
      g_string_append (list, ", …");
    add_problem (sig->problems, _("Not allowed: page content changed after this signature (objects %s)"),
                 list->str);
    g_string_free (list, TRUE);
  }
}

static char *
crt_dn (gnutls_x509_crt_t crt,
        gboolean          issuer)
{
  gnutls_datum_t dn = { NULL, 0 };
  char *text;
  int ret = issuer ? gnutls_x509_crt_get_issuer_dn3 (crt, &dn, 0) : gnutls_x509_crt_get_dn3 (crt, &dn, 0);

  if (ret < 0)
    return NULL;
  text = g_strndup ((const char *) dn.data, dn.size);
  gnutls_free (dn.data);
  return text;
}

static char *
to_hex (const guint8 *data,
        size_t        size)
{
  GString *hex = g_string_sized_new (2 * size);

  for (size_t i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

static void
describe_signer (gnutls_x509_crt_t       crt,
                 LkPadesSignatureReport *sig)
{
  guint8 serial[64];
  size_t serial_size = sizeof serial;
  guint8 fingerprint[32];
  size_t fingerprint_size = sizeof fingerprint;

  sig->signer_subject = crt_dn (crt, FALSE);
  sig->signer_issuer = crt_dn (crt, TRUE);
  if (gnutls_x509_crt_get_serial (crt, serial, &serial_size) >= 0)
    sig->signer_serial = to_hex (serial, serial_size);
  /* SHA-256 of the DER: how a registered signer certificate is known. */
  if (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, fingerprint, &fingerprint_size) >= 0 &&
      fingerprint_size == sizeof fingerprint)
    sig->signer_fingerprint = to_hex (fingerprint, fingerprint_size);
  sig->signer_not_before = gnutls_x509_crt_get_activation_time (crt);
  sig->signer_not_after = gnutls_x509_crt_get_expiration_time (crt);
}

/* Whether the chain from the signer of CMS through the CMS's certificates
 * reaches a trust anchor of TRUST, for the key purpose PURPOSE (an OID, or
 * NULL for any). STATUS: GnuTLS's verdict in words. */
static gboolean
verify_cms_chain (LkCmsSignedData           *cms,
                  gnutls_x509_trust_list_t   trust,
                  const char                *purpose,
                  char                     **status_text)
{
  GPtrArray *certs = lk_cms_signed_data_get_certificates (cms);
  gnutls_x509_crt_t chain[LK_CMS_MAX_CERTIFICATES + 1];
  gnutls_typed_vdata_st vdata = { GNUTLS_DT_KEY_PURPOSE_OID, NULL, 0 };
  guint n = 0;
  unsigned int status = 0;
  gnutls_datum_t words = { NULL, 0 };
  int ret;

  chain[n++] = lk_cms_signed_data_get_signer (cms);
  while (n < G_N_ELEMENTS (chain) &&
         !gnutls_x509_crt_check_issuer (chain[n - 1], chain[n - 1]))
    {
      gnutls_x509_crt_t next = NULL;

      for (guint i = 0; i < certs->len && next == NULL; i++)
        {
          gnutls_x509_crt_t c = g_ptr_array_index (certs, i);
          gboolean seen = FALSE;

          for (guint j = 0; j < n; j++)
            seen = seen || gnutls_x509_crt_equals (c, chain[j]);
          if (!seen && gnutls_x509_crt_check_issuer (chain[n - 1], c))
            next = c;
        }
      if (next == NULL)
        break;
      chain[n++] = next;
    }

  vdata.data = (unsigned char *) purpose;
  ret = gnutls_x509_trust_list_verify_crt2 (trust, chain, n, purpose != NULL ? &vdata : NULL,
                                            purpose != NULL ? 1 : 0, 0, &status, NULL);
  if (ret < 0)
    *status_text = g_strdup (gnutls_strerror (ret));
  else if (gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &words, 0) >= 0)
    {
      *status_text = g_strndup ((const char *) words.data, words.size);
      gnutls_free (words.data);
    }
  return ret >= 0 && status == 0;
}

/* The chain from the signer through the CMS's certificates to a trust
 * anchor of TRUST. */
static void
check_chain (LkCmsSignedData          *cms,
             gnutls_x509_trust_list_t  trust,
             guint                     n_anchors,
             LkPadesSignatureReport   *sig)
{
  sig->trusted = verify_cms_chain (cms, trust, NULL, &sig->chain_status) && n_anchors > 0;
  if (n_anchors == 0)
    add_problem (sig->problems, _("No trust anchor was given (--trust): the signer is not trusted"));
  else if (!sig->trusted)
    add_problem (sig->problems, _("The signer’s certificate does not chain to a trust anchor: %s"),
                 sig->chain_status != NULL ? sig->chain_status : "");
}

/* The chain of the TSA that signed the timestamp TOKEN (already checked
 * with lk_tsa_check_token) to a trust anchor of TRUST, for timeStamping. */
static void
check_timestamp_chain (GBytes                   *token,
                       gnutls_x509_trust_list_t  trust,
                       guint                     n_anchors,
                       LkPadesSignatureReport   *sig)
{
  g_autoptr(LkCmsSignedData) tst = NULL;
  g_autoptr(GError) error = NULL;

  tst = lk_cms_parse (token, &error);
  if (tst == NULL)
    {
      add_problem (sig->problems, _("The signature timestamp cannot be read: %s"), error->message);
      return;
    }
  sig->timestamp_trusted = verify_cms_chain (tst, trust, GNUTLS_KP_TIME_STAMPING,
                                             &sig->timestamp_chain_status) && n_anchors > 0;
  if (n_anchors > 0 && !sig->timestamp_trusted)
    add_problem (sig->problems,
                 _("The timestamp authority’s certificate does not chain to a trust anchor: %s"),
                 sig->timestamp_chain_status != NULL ? sig->timestamp_chain_status : "");
}

/* Hashes [offset, offset + len) of the document in 1 MiB steps, letting go
 * of the mapped pages behind, so checking a large file does not keep it in
 * memory. */
static void
hash_document_range (gnutls_hash_hd_t  hash,
                     LkPdfDocument    *doc,
                     const guint8     *data,
                     gsize             offset,
                     gsize             len)
{
  while (len > 0)
    {
      gsize n = MIN (len, (gsize) 1 << 20);

      gnutls_hash (hash, data + offset, n);
      lk_pdf_document_drop_pages (doc, offset, n);
      offset += n;
      len -= n;
    }
}

static void
check_cms (LkPdfDocument            *doc,
           const guint8             *data,
           LkPdfSigField            *field,
           gnutls_x509_trust_list_t  trust,
           guint                     n_anchors,
           LkPadesSignatureReport   *sig)
{
  g_autoptr(GBytes) der = NULL;
  g_autoptr(LkCmsSignedData) cms = NULL;
  g_autoptr(GError) error = NULL;
  gnutls_digest_algorithm_t algo;
  gnutls_hash_hd_t hash;
  guint8 digest[64];
  GBytes *token;

  if (field->contents_offset < 0 || field->contents_end - field->contents_offset > MAX_CONTENTS_HEX)
    {
      add_problem (sig->problems, _("The signature’s /Contents is missing or too large"));
      return;
    }
  der = decode_contents (data, field->contents_offset, field->contents_end);
  if (der == NULL)
    {
      add_problem (sig->problems, _("The signature’s /Contents is not a hex string"));
      return;
    }
  cms = lk_cms_parse (der, &error);
  if (cms == NULL)
    {
      add_problem (sig->problems, _("The signature cannot be read: %s"), error->message);
      return;
    }
  describe_signer (lk_cms_signed_data_get_signer (cms), sig);

  algo = lk_cms_signed_data_get_digest_algorithm (cms);
  if (gnutls_hash_get_len (algo) == 0 || (gsize) gnutls_hash_get_len (algo) > sizeof digest ||
      gnutls_hash_init (&hash, algo) < 0)
    {
      add_problem (sig->problems, _("The signature’s digest algorithm is not supported"));
      return;
    }
  hash_document_range (hash, doc, data, 0, (gsize) sig->byte_range[1]);
  hash_document_range (hash, doc, data, (gsize) sig->byte_range[2], (gsize) sig->byte_range[3]);
  gnutls_hash_deinit (hash, digest);
  sig->cms_ok = lk_cms_signed_data_verify_digest (cms, digest, gnutls_hash_get_len (algo), &error);
  if (!sig->cms_ok)
    {
      if (g_error_matches (error, LK_CMS_ERROR, LK_CMS_ERROR_DIGEST))
        add_problem (sig->problems, _("The document was changed after it was signed: the digest does not match"));
      else
        add_problem (sig->problems, _("The signature is not valid: %s"), error->message);
      g_clear_error (&error);
    }

  check_chain (cms, trust, n_anchors, sig);

  token = lk_cms_signed_data_get_unsigned_attr (cms, LK_CMS_OID_TIMESTAMP_TOKEN);
  if (token != NULL)
    {
      sig->has_timestamp = TRUE;
      sig->timestamp_ok = lk_tsa_check_token (token, lk_cms_signed_data_get_signature (cms),
                                              NULL, &sig->timestamp_time, &error);
      if (!sig->timestamp_ok)
        {
          sig->timestamp_time = -1;
          add_problem (sig->problems, _("The signature timestamp is not valid: %s"), error->message);
        }
      else
        check_timestamp_chain (token, trust, n_anchors, sig);
    }
}

static LkPadesSignatureReport *
check_signature (LkPdfDocument            *doc,
                 LkPdfSigField            *field,
                 gnutls_x509_trust_list_t  trust,
                 guint                     n_anchors)
{
  GBytes *bytes = lk_pdf_document_get_bytes (doc);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  LkPadesSignatureReport *sig = g_new0 (LkPadesSignatureReport, 1);
  gint64 *br = sig->byte_range;
  gboolean inside;

  sig->allowed_objects = g_array_new (FALSE, FALSE, sizeof (guint));
  sig->disallowed_objects = g_array_new (FALSE, FALSE, sizeof (guint));
  sig->problems = g_ptr_array_new_with_free_func (g_free);
  sig->signer_not_before = -1;
  sig->signer_not_after = -1;
  sig->timestamp_time = -1;
  sig->field_name = g_strdup (field->name != NULL ? field->name : "");
  sig->sub_filter = dict_text (field->value, "SubFilter");
  sig->reason = dict_text (field->value, "Reason");
  sig->location = dict_text (field->value, "Location");
  sig->name = dict_text (field->value, "Name");
  sig->signing_time = dict_text (field->value, "M");

  sig->sub_filter_ok = g_strcmp0 (sig->sub_filter, "ETSI.CAdES.detached") == 0 ||
                       g_strcmp0 (sig->sub_filter, "adbe.pkcs7.detached") == 0;
  if (!sig->sub_filter_ok)
    add_problem (sig->problems, _("The signature’s /SubFilter %s is not ETSI.CAdES.detached or adbe.pkcs7.detached"),
                 sig->sub_filter != NULL ? sig->sub_filter : "(none)");

  sig->n_byte_range = field->n_byte_range;
  for (guint i = 0; i < 4 && i < field->n_byte_range; i++)
    br[i] = field->byte_range[i];
  inside = field->n_byte_range == 4 && br[0] == 0 && br[1] > 0 && br[2] >= br[1] && br[3] >= 0 &&
           (guint64) br[2] <= size && (guint64) br[3] <= size - (guint64) br[2];
  sig->byte_range_ok = inside && br[1] == field->contents_offset && br[2] == field->contents_end;
  if (!sig->byte_range_ok)
    add_problem (sig->problems, _("The /ByteRange does not cover exactly the file but the signature’s /Contents: "
                                  "some bytes are not signed"));
  if (inside)
    {
      sig->revision_end = (guint64) (br[2] + br[3]);
      sig->covers_whole_document = sig->revision_end == size;
      if (!sig->covers_whole_document && !ends_revision (data, br[2] + br[3]))
        {
          sig->byte_range_ok = FALSE;
          add_problem (sig->problems, _("The /ByteRange does not end at the end of a revision"));
        }
      check_cms (doc, data, field, trust, n_anchors, sig);
      if (sig->byte_range_ok)
        check_changes (doc, sig);
    }
  else
    sig->changes = LK_PADES_CHANGES_NOT_ALLOWED;

  sig->valid = sig->byte_range_ok && sig->sub_filter_ok && sig->cms_ok &&
               (!sig->has_timestamp || sig->timestamp_ok);
  return sig;
}

static int
compare_signatures (gconstpointer a,
                    gconstpointer b)
{
  const LkPadesSignatureReport *x = *(LkPadesSignatureReport * const *) a;
  const LkPadesSignatureReport *y = *(LkPadesSignatureReport * const *) b;

  return x->revision_end < y->revision_end ? -1 : x->revision_end > y->revision_end;
}

LkPadesVerifyReport *
lk_pades_verify_file (const char          *path,
                      const char * const  *trust_files,
                      GError             **error)
{
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(LkPadesVerifyReport) report = NULL;
  gnutls_x509_trust_list_t trust = NULL;
  guint n_anchors = 0;
  guint n_signed = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (gnutls_x509_trust_list_init (&trust, 0) < 0)
    {
      g_set_error (error, LK_PADES_VERIFY_ERROR, LK_PADES_VERIFY_ERROR_TRUST,
                   _("The list of trust anchors cannot be made"));
      return NULL;
    }
  for (guint i = 0; trust_files != NULL && trust_files[i] != NULL; i++)
    {
      int ret = gnutls_x509_trust_list_add_trust_file (trust, trust_files[i], NULL,
                                                       GNUTLS_X509_FMT_PEM, 0, 0);

      if (ret <= 0)
        {
          g_set_error (error, LK_PADES_VERIFY_ERROR, LK_PADES_VERIFY_ERROR_TRUST,
                       _("No certificate could be read from the trust file %s: give a PEM file "
                         "with the CA certificates"), trust_files[i]);
          gnutls_x509_trust_list_deinit (trust, 1);
          return NULL;
        }
      n_anchors += (guint) ret;
    }

  doc = lk_pdf_document_open (path, error);
  if (doc != NULL)
    fields = lk_pdf_document_get_signature_fields (doc, error);
  if (fields == NULL)
    {
      gnutls_x509_trust_list_deinit (trust, 1);
      return NULL;
    }

  report = g_new0 (LkPadesVerifyReport, 1);
  report->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) signature_report_free);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < fields->len; i++)
    {
      LkPdfSigField *field = g_ptr_array_index (fields, i);

      if (field->value == NULL)
        continue;
      if (++n_signed > LK_PADES_VERIFY_MAX_SIGNATURES)
        {
          g_set_error (error, LK_PADES_VERIFY_ERROR, LK_PADES_VERIFY_ERROR_LIMIT,
                       _("The file has more than %d signatures"), LK_PADES_VERIFY_MAX_SIGNATURES);
          gnutls_x509_trust_list_deinit (trust, 1);
          return NULL;
        }
      g_ptr_array_add (report->signatures, check_signature (doc, field, trust, n_anchors));
    }
  gnutls_x509_trust_list_deinit (trust, 1);
  g_ptr_array_sort (report->signatures, compare_signatures);

  report->ok = report->signatures->len > 0;
  if (report->signatures->len == 0)
    add_problem (report->problems, _("The file has no signatures"));
  for (guint i = 0; i < report->signatures->len; i++)
    {
      LkPadesSignatureReport *sig = g_ptr_array_index (report->signatures, i);

      if (!sig->valid)
        add_problem (report->problems, _("Signature “%s” is not valid"), sig->field_name);
      else if (!sig->trusted)
        add_problem (report->problems, _("Signature “%s” is not from a trusted signer"), sig->field_name);
      else if (sig->has_timestamp && !sig->timestamp_trusted)
        add_problem (report->problems, _("The timestamp of signature “%s” is not from a trusted timestamp authority"),
                     sig->field_name);
      if (sig->changes == LK_PADES_CHANGES_NOT_ALLOWED && sig->byte_range_ok)
        add_problem (report->problems, _("The document was changed after signature “%s” in a way that is not allowed"),
                     sig->field_name);
      if (!sig->valid || !sig->trusted || sig->changes == LK_PADES_CHANGES_NOT_ALLOWED ||
          (sig->has_timestamp && !sig->timestamp_trusted))
        report->ok = FALSE;
    }
  return g_steal_pointer (&report);
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = t >= 0 ? g_date_time_new_from_unix_utc (t) : NULL;

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
}

char *
lk_pades_verify_report_to_text (LkPadesVerifyReport *report)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (report != NULL, NULL);

  for (guint i = 0; i < report->signatures->len; i++)
    {
      LkPadesSignatureReport *sig = g_ptr_array_index (report->signatures, i);

      g_string_append_printf (out, _("Signature %u: “%s”\n"), i + 1, sig->field_name);
      if (sig->signer_subject != NULL)
        g_string_append_printf (out, _("  Signer: %s\n  Issued by: %s\n"), sig->signer_subject,
                                sig->signer_issuer != NULL ? sig->signer_issuer : "?");
      if (sig->signing_time != NULL)
        g_string_append_printf (out, _("  Signing time (as the signer wrote it): %s\n"), sig->signing_time);
      if (sig->reason != NULL)
        g_string_append_printf (out, _("  Reason: %s\n"), sig->reason);
      if (sig->location != NULL)
        g_string_append_printf (out, _("  Location: %s\n"), sig->location);
      g_string_append_printf (out, "  %s\n", sig->valid ? _("The signature is valid.")
                                                        : _("The signature is NOT valid."));
      g_string_append_printf (out, "  %s\n", sig->trusted ? _("The signer is trusted.")
                                                          : _("The signer is NOT trusted."));
      if (sig->chain_status != NULL)
        g_string_append_printf (out, _("  Certificate check: %s\n"), sig->chain_status);
      if (sig->has_timestamp && sig->timestamp_ok)
        {
          g_autofree char *when = format_time (sig->timestamp_time);

          g_string_append_printf (out, _("  Timestamp: valid, %s\n"), when);
          g_string_append_printf (out, "  %s\n", sig->timestamp_trusted
                                  ? _("The timestamp authority is trusted.")
                                  : _("The timestamp authority is NOT trusted."));
        }
      switch (sig->changes)
        {
        case LK_PADES_CHANGES_NONE:
          g_string_append_printf (out, "  %s\n", _("It covers the whole document."));
          break;
        case LK_PADES_CHANGES_ALLOWED:
          g_string_append_printf (out, "  %s\n", _("It covers the document up to its revision; "
                                                   "later changes are allowed ones (signatures, form fields, annotations)."));
          break;
        case LK_PADES_CHANGES_NOT_ALLOWED:
        default:
          g_string_append_printf (out, "  %s\n", _("The document was changed after it in a way that is not allowed."));
          break;
        }
      for (guint j = 0; j < sig->problems->len; j++)
        g_string_append_printf (out, "  - %s\n", (const char *) g_ptr_array_index (sig->problems, j));
    }
  if (report->ok)
    g_string_append_printf (out, "%s\n", _("Verdict: every signature is valid and trusted."));
  else
    {
      g_string_append_printf (out, "%s\n", _("Verdict: NOT valid."));
      for (guint j = 0; j < report->problems->len; j++)
        g_string_append_printf (out, "  - %s\n", (const char *) g_ptr_array_index (report->problems, j));
    }
  return g_string_free (out, FALSE);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_strings (JsonBuilder *b,
             const char  *name,
             GPtrArray   *strings)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

static void
add_uints (JsonBuilder *b,
           const char  *name,
           GArray      *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_int_value (b, g_array_index (values, guint, i));
  json_builder_end_array (b);
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

JsonNode *
lk_pades_verify_report_to_json (LkPadesVerifyReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  static const char * const changes[] = { "none", "allowed", "not-allowed" };

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (b);
  add_bool (b, "ok", report->ok);
  add_strings (b, "problems", report->problems);
  json_builder_set_member_name (b, "signatures");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->signatures->len; i++)
    {
      LkPadesSignatureReport *sig = g_ptr_array_index (report->signatures, i);

      json_builder_begin_object (b);
      add_string_or_null (b, "field", sig->field_name);
      add_string_or_null (b, "sub_filter", sig->sub_filter);
      add_string_or_null (b, "reason", sig->reason);
      add_string_or_null (b, "location", sig->location);
      add_string_or_null (b, "name", sig->name);
      add_string_or_null (b, "signing_time", sig->signing_time);
      json_builder_set_member_name (b, "byte_range");
      json_builder_begin_array (b);
      for (guint j = 0; j < sig->n_byte_range && j < 4; j++)
        json_builder_add_int_value (b, sig->byte_range[j]);
      json_builder_end_array (b);
      add_bool (b, "byte_range_ok", sig->byte_range_ok);
      add_bool (b, "covers_whole_document", sig->covers_whole_document);
      json_builder_set_member_name (b, "revision_end");
      json_builder_add_int_value (b, (gint64) sig->revision_end);
      add_bool (b, "sub_filter_ok", sig->sub_filter_ok);
      add_bool (b, "cms_ok", sig->cms_ok);
      json_builder_set_member_name (b, "signer");
      if (sig->signer_subject != NULL)
        {
          json_builder_begin_object (b);
          add_string_or_null (b, "subject", sig->signer_subject);
          add_string_or_null (b, "issuer", sig->signer_issuer);
          add_string_or_null (b, "serial", sig->signer_serial);
          json_builder_set_member_name (b, "not_before");
          json_builder_add_int_value (b, sig->signer_not_before);
          json_builder_set_member_name (b, "not_after");
          json_builder_add_int_value (b, sig->signer_not_after);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      add_bool (b, "trusted", sig->trusted);
      add_string_or_null (b, "chain_status", sig->chain_status);
      json_builder_set_member_name (b, "timestamp");
      if (sig->has_timestamp)
        {
          json_builder_begin_object (b);
          add_bool (b, "ok", sig->timestamp_ok);
          add_bool (b, "trusted", sig->timestamp_trusted);
          add_string_or_null (b, "chain_status", sig->timestamp_chain_status);
          json_builder_set_member_name (b, "time");
          if (sig->timestamp_time >= 0)
            json_builder_add_int_value (b, sig->timestamp_time);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "changes");
      json_builder_add_string_value (b, changes[sig->changes]);
      add_uints (b, "allowed_objects", sig->allowed_objects);
      add_uints (b, "disallowed_objects", sig->disallowed_objects);
      add_bool (b, "valid", sig->valid);
      add_strings (b, "problems", sig->problems);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
