/* lk-letter-template.c — letter templates: parse and check the JSON, the
 * built-in template, letter ids, and the letter info in a PDF's /Keywords
 *
 * Limits: the JSON is at most LK_LETTER_TEMPLATE_MAX bytes and
 * JSON_MAX_DEPTH deep, each text member at most LK_LETTER_TEMPLATE_MAX_TEXT bytes; the /Keywords read back at most
 * KEYWORDS_MAX bytes, its page number at most MAX_PAGE. Rendering is in
 * lk-letter-render.c.
 *
 * The text members are plain text, one paragraph a line. In "body", a line
 * with a tab is a "label<TAB>value" row of a data table (as the built-in
 * template lists the case's data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-letter"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>

#include "letter/lk-letter-template-private.h"
#include "lk-json.h"
#include "pdf/lk-pdf-document.h"

#define KEYWORDS_MAX 1024
#define JSON_MAX_DEPTH 8   /* a template nests 2 deep; json-glib recurses */
#define MAX_PAGE     10000
#define SHA256_HEX   64

const char * const LK_LETTER_FIELDS[] = {
  "receipt", "applicant_name", "nik", "address", "business_name", "nib", "service_name",
  "unit_name", "unit_address", "number", "date", "signer_name", "signer_position", "signer_nip",
  NULL
};

/* The built-in template: the draft of issue 5. */
#define BUILTIN_AGENCY  "PEMERINTAH KOTA PONTIANAK"
#define BUILTIN_OFFICE  "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU"
#define BUILTIN_ADDRESSEE \
  "Kepada Yth.\nSdr. {{applicant_name}}\n{{address}}\ndi\n    Tempat"
#define BUILTIN_OPENING \
  "Dengan hormat,\n\n" \
  "Menindaklanjuti permohonan {{service_name}} yang Saudara ajukan dengan nomor tanda terima " \
  "{{receipt}}, dengan data sebagai berikut:\n" \
  "Nomor tanda terima\t{{receipt}}\n" \
  "Nama pemohon\t{{applicant_name}}\n" \
  "NIK\t{{nik}}\n" \
  "Alamat\t{{address}}\n"
#define BUILTIN_BUSINESS \
  "Nama usaha\t{{business_name}}\n" \
  "NIB\t{{nib}}\n"
#define BUILTIN_GRANTED \
  "\nbersama ini kami sampaikan bahwa permohonan {{service_name}} tersebut telah diperiksa, " \
  "memenuhi persyaratan sesuai ketentuan peraturan perundang-undangan yang berlaku, dan dikabulkan.\n"
#define BUILTIN_REFUSED \
  "\nbersama ini kami sampaikan bahwa setelah diperiksa, permohonan {{service_name}} tersebut " \
  "tidak dapat dikabulkan karena belum memenuhi persyaratan sesuai ketentuan peraturan " \
  "perundang-undangan yang berlaku.\n"
#define BUILTIN_END \
  "\nDemikian surat ini disampaikan untuk dipergunakan sebagaimana mestinya."
#define BUILTIN_CLOSING \
  "Pontianak, {{date}}\na.n. KEPALA DINAS\nPENANAMAN MODAL DAN PTSP\nKOTA PONTIANAK\n" \
  LK_LETTER_SIGNATURE_MARKER "\n{{signer_name}}\nNIP {{signer_nip}}"

static const char base32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

/* Helpers */

gboolean
lk_letter_field_is_known (const char *name,
                          gsize       len)
{
  for (guint i = 0; LK_LETTER_FIELDS[i] != NULL; i++)
    if (strlen (LK_LETTER_FIELDS[i]) == len && strncmp (LK_LETTER_FIELDS[i], name, len) == 0)
      return TRUE;
  return FALSE;
}

/* Whether LINE (LEN bytes) is the marker alone, blanks around allowed. */
static gboolean
line_is_marker (const char *line,
                gsize       len)
{
  while (len > 0 && g_ascii_isspace (*line))
    line++, len--;
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  return len == strlen (LK_LETTER_SIGNATURE_MARKER) &&
         strncmp (line, LK_LETTER_SIGNATURE_MARKER, len) == 0;
}

static guint
count_markers (const char *text)
{
  guint n = 0;

  while (text != NULL && *text != '\0')
    {
      const char *end = strchr (text, '\n');
      gsize len = end != NULL ? (gsize) (end - text) : strlen (text);

      if (line_is_marker (text, len))
        n++;
      text = end != NULL ? end + 1 : NULL;
    }
  return n;
}

/* Every {{name}} in TEXT a known field; a "{{" always closed. */
static gboolean
check_placeholders (const char  *member,
                    const char  *text,
                    GError     **error)
{
  const char *p = text;

  while ((p = strstr (p, "{{")) != NULL)
    {
      const char *name = p + 2;
      const char *end = strstr (name, "}}");
      const char *nl = strchr (name, '\n');

      if (end == NULL || (nl != NULL && nl < end))
        {
          g_autofree char *shown = g_utf8_make_valid (p, MIN (strlen (p), 24));

          g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                       _("%s: the placeholder “%s” has no closing }}"), member, shown);
          return FALSE;
        }
      if (!lk_letter_field_is_known (name, (gsize) (end - name)))
        {
          g_autofree char *shown = g_utf8_make_valid (name, MIN ((gsize) (end - name), 64));

          g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                       _("%s: unknown field {{%s}}"), member, shown);
          return FALSE;
        }
      p = end + 2;
    }
  return TRUE;
}

/* A text member: a string of at most LK_LETTER_TEMPLATE_MAX_TEXT bytes,
 * without control characters but newline and tab. */
static gboolean
get_text (JsonObject  *object,
          const char  *key,
          const char  *member,
          gboolean     required,
          char       **out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                       _("%s: missing; the template needs it"), member);
          return FALSE;
        }
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                   _("%s: must be text"), member);
      return FALSE;
    }
  text = json_node_get_string (node);
  if (strlen (text) > LK_LETTER_TEMPLATE_MAX_TEXT)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                   _("%s: longer than %d bytes"), member, LK_LETTER_TEMPLATE_MAX_TEXT);
      return FALSE;
    }
  for (const char *s = text; *s != '\0'; s++)
    if ((guchar) *s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
      {
        g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                     _("%s: contains a control character"), member);
        return FALSE;
      }
  if (!check_placeholders (member, text, error))
    return FALSE;
  *out = g_strdup (text);
  return TRUE;
}

static gboolean
check_members (JsonObject          *object,
               const char          *where,
               const char * const  *allowed,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *shown = g_utf8_make_valid (l->data, MIN (strlen (l->data), 64));

        g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                     _("%s: unknown member “%s”"), where, shown);
        return FALSE;
      }
  return TRUE;
}

static gboolean
is_sha256_hex (const char *s)
{
  if (s == NULL || strlen (s) != SHA256_HEX)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isxdigit (*s) || g_ascii_isupper (*s))
      return FALSE;
  return TRUE;
}

/* Public API */

LkLetterTemplate *
lk_letter_template_parse (const char  *json,
                          gssize       len,
                          GError     **error)
{
  static const char * const top[] = { "letterhead", "subject", "addressee", "body", "closing", "footer", NULL };
  static const char * const head[] = { "agency", "office", "logo", NULL };
  static const struct { const char *key; const char *member; gboolean required; gsize offset; } texts[] = {
    { "subject", "subject", TRUE, G_STRUCT_OFFSET (LkLetterTemplate, subject) },
    { "addressee", "addressee", FALSE, G_STRUCT_OFFSET (LkLetterTemplate, addressee) },
    { "body", "body", TRUE, G_STRUCT_OFFSET (LkLetterTemplate, body) },
    { "closing", "closing", TRUE, G_STRUCT_OFFSET (LkLetterTemplate, closing) },
    { "footer", "footer", FALSE, G_STRUCT_OFFSET (LkLetterTemplate, footer) },
  };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(LkLetterTemplate) self = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonObject *object, *letterhead;
  JsonNode *head_node, *logo;

  g_return_val_if_fail (json != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 0)
    len = (gssize) strnlen (json, LK_LETTER_TEMPLATE_MAX + 1);
  if (len > LK_LETTER_TEMPLATE_MAX)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                   _("The template is larger than %d bytes."), LK_LETTER_TEMPLATE_MAX);
      return NULL;
    }

  if (!lk_json_depth_ok (json, (gsize) len, JSON_MAX_DEPTH))
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                   _("The template is not plain JSON (it has comments or unbalanced brackets) or nests deeper than %d levels."),
                   JSON_MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, len, &local))
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                   _("The template is not valid JSON: %s"), local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                           _("The template must be a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);
  if (!check_members (object, "template", top, error))
    return NULL;

  self = g_new0 (LkLetterTemplate, 1);

  head_node = json_object_get_member (object, "letterhead");
  if (head_node == NULL || !JSON_NODE_HOLDS_OBJECT (head_node))
    {
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                           _("letterhead: must be an object with “agency” and “office”"));
      return NULL;
    }
  letterhead = json_node_get_object (head_node);
  if (!check_members (letterhead, "letterhead", head, error) ||
      !get_text (letterhead, "agency", "letterhead.agency", TRUE, &self->agency, error) ||
      !get_text (letterhead, "office", "letterhead.office", TRUE, &self->office, error))
    return NULL;
  logo = json_object_get_member (letterhead, "logo");
  if (logo != NULL && !JSON_NODE_HOLDS_NULL (logo))
    {
      if (!JSON_NODE_HOLDS_VALUE (logo) || json_node_get_value_type (logo) != G_TYPE_STRING ||
          !is_sha256_hex (json_node_get_string (logo)))
        {
          g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                               _("letterhead.logo: must be the SHA-256 of a PNG blob (64 lower-case hex digits) or null"));
          return NULL;
        }
      self->logo = g_strdup (json_node_get_string (logo));
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (!get_text (object, texts[i].key, texts[i].member, texts[i].required,
                   G_STRUCT_MEMBER_P (self, texts[i].offset), error))
      return NULL;

  /* The marker: alone on exactly one line of "closing", nowhere else. */
  {
    const struct { const char *member; const char *text; } others[] = {
      { "letterhead.agency", self->agency }, { "letterhead.office", self->office },
      { "subject", self->subject }, { "addressee", self->addressee },
      { "body", self->body }, { "footer", self->footer },
    };
    guint n = count_markers (self->closing);

    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      if (count_markers (others[i].text) > 0)
        {
          g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                       _("%s: the signature marker “%s” belongs in “closing” only"),
                       others[i].member, LK_LETTER_SIGNATURE_MARKER);
          return NULL;
        }
    if (n != 1)
      {
        g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE,
                     n == 0 ? _("closing: needs the signature marker “%s” alone on one line, where the stamp goes")
                            : _("closing: the signature marker “%s” must be on exactly one line"),
                     LK_LETTER_SIGNATURE_MARKER);
        return NULL;
      }
  }

  return g_steal_pointer (&self);
}

void
lk_letter_template_free (LkLetterTemplate *self)
{
  if (self == NULL)
    return;
  g_free (self->agency);
  g_free (self->office);
  g_free (self->logo);
  g_free (self->subject);
  g_free (self->addressee);
  g_free (self->body);
  g_free (self->closing);
  g_free (self->footer);
  g_free (self);
}

char *
lk_letter_template_to_json (const LkLetterTemplate *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "letterhead");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "agency");
  json_builder_add_string_value (builder, self->agency);
  json_builder_set_member_name (builder, "office");
  json_builder_add_string_value (builder, self->office);
  json_builder_set_member_name (builder, "logo");
  if (self->logo != NULL)
    json_builder_add_string_value (builder, self->logo);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, self->subject);
  json_builder_set_member_name (builder, "addressee");
  json_builder_add_string_value (builder, self->addressee != NULL ? self->addressee : "");
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, self->body);
  json_builder_set_member_name (builder, "closing");
  json_builder_add_string_value (builder, self->closing);
  json_builder_set_member_name (builder, "footer");
  json_builder_add_string_value (builder, self->footer != NULL ? self->footer : LK_LETTER_DRAFT_FOOTER);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

LkLetterTemplate *
lk_letter_template_new_builtin (LkServiceType *service,
                                gboolean       rejected)
{
  LkLetterTemplate *self;
  const char *name;

  g_return_val_if_fail (LK_IS_SERVICE_TYPE (service), NULL);

  name = lk_service_type_get_name (service);
  self = g_new0 (LkLetterTemplate, 1);
  self->agency = g_strdup (BUILTIN_AGENCY);
  self->office = g_strdup (BUILTIN_OFFICE);
  self->subject = g_strdup (name != NULL && *name != '\0' ? name : "{{service_name}}");
  /* A name the admin typed is text, not placeholders. */
  if (strstr (self->subject, "{{") != NULL && !g_str_equal (self->subject, "{{service_name}}"))
    {
      g_free (self->subject);
      self->subject = g_strdup ("{{service_name}}");
    }
  self->addressee = g_strdup (BUILTIN_ADDRESSEE);
  self->body = g_strconcat (BUILTIN_OPENING,
                            lk_service_type_get_needs_business (service) ? BUILTIN_BUSINESS : "",
                            rejected ? BUILTIN_REFUSED : BUILTIN_GRANTED,
                            BUILTIN_END, NULL);
  self->closing = g_strdup (BUILTIN_CLOSING);
  self->footer = g_strdup (LK_LETTER_DRAFT_FOOTER);
  return self;
}

LkLetterTemplate *
lk_letter_template_new_default (LkServiceType *service)
{
  return lk_letter_template_new_builtin (service, FALSE);
}

const char *
lk_letter_template_get_logo (const LkLetterTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->logo;
}

char *
lk_letter_new_id (void)
{
  guint8 bytes[16];
  GString *id = g_string_sized_new (LK_LETTER_ID_LENGTH + 1);
  guint bits = 0, acc = 0;

  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes) != 0)
    g_error ("The system’s random number generator failed");

  for (guint i = 0; i < sizeof bytes; i++)
    {
      acc = (acc << 8) | bytes[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (id, base32_alphabet[(acc >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (id, base32_alphabet[(acc << (5 - bits)) & 31]);
  g_assert (id->len == LK_LETTER_ID_LENGTH);
  return g_string_free (id, FALSE);
}

gboolean
lk_letter_id_is_valid (const char *id)
{
  if (id == NULL || strnlen (id, LK_LETTER_ID_LENGTH + 1) != LK_LETTER_ID_LENGTH)
    return FALSE;
  for (; *id != '\0'; id++)
    if (!((*id >= 'a' && *id <= 'z') || (*id >= '2' && *id <= '7')))
      return FALSE;
  return TRUE;
}

char *
lk_letter_verify_url (const char *public_url,
                      const char *letter_id)
{
  gsize len;

  g_return_val_if_fail (public_url != NULL, NULL);
  g_return_val_if_fail (letter_id != NULL, NULL);

  len = strlen (public_url);
  while (len > 0 && public_url[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s/v/%s", (int) len, public_url, letter_id);
}

char *
lk_letter_info_to_keywords (const char   *letter_id,
                            const char   *number,
                            guint         page,
                            const double  rect[4],
                            gint64        template_version)
{
  GString *s = g_string_new (NULL);
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

  if (letter_id != NULL)
    g_string_append_printf (s, "loket-letter=%s ", letter_id);
  if (number != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (number, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, FALSE);

      g_string_append_printf (s, "loket-number=%s ", escaped);
    }
  for (guint i = 0; i < 4; i++)
    g_ascii_formatd (buf[i], sizeof buf[i], "%.2f", rect[i]);
  g_string_append_printf (s, "loket-sign=%u,%s,%s,%s,%s loket-template=%" G_GINT64_FORMAT,
                          page, buf[0], buf[1], buf[2], buf[3], template_version);
  return g_string_free (s, FALSE);
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

/* A PDF text string as UTF-8: UTF-16BE with its byte order mark, or
 * PDFDocEncoding (read as Latin-1, which agrees on what Loket writes). */
static char *
pdf_text_to_utf8 (const guint8 *data,
                  gsize         len)
{
  if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    return g_convert ((const char *) data + 2, (gssize) (len - 2), "UTF-8", "UTF-16BE", NULL, NULL, NULL);
  return g_convert ((const char *) data, (gssize) len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

static gboolean
parse_sign (const char   *value,
            LkLetterInfo *info)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", 6);
  guint64 page;
  char *end;

  if (g_strv_length (parts) != 5)
    return FALSE;
  if (!g_ascii_string_to_unsigned (parts[0], 10, 0, MAX_PAGE, &page, NULL))
    return FALSE;
  info->page = (guint) page;
  for (guint i = 0; i < 4; i++)
    {
      double v = g_ascii_strtod (parts[i + 1], &end);

      if (end == parts[i + 1] || *end != '\0' || !isfinite (v) || fabs (v) > 14400.0)
        return FALSE;
      info->rect[i] = v;
    }
  return info->rect[2] > 0 && info->rect[3] > 0;
}

static LkLetterInfo *
parse_keywords (const char *keywords,
                gboolean    need_id)
{
  g_autoptr(LkLetterInfo) info = g_new0 (LkLetterInfo, 1);
  g_auto(GStrv) tokens = g_strsplit (keywords, " ", 64);
  gboolean have_sign = FALSE;

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *t = tokens[i];

      if (g_str_has_prefix (t, "loket-letter="))
        {
          if (!lk_letter_id_is_valid (t + strlen ("loket-letter=")))
            return NULL;
          g_free (info->letter_id);
          info->letter_id = g_strdup (t + strlen ("loket-letter="));
        }
      else if (g_str_has_prefix (t, "loket-number="))
        {
          g_free (info->number);
          info->number = g_uri_unescape_string (t + strlen ("loket-number="), NULL);
          if (info->number == NULL || *info->number == '\0' || !g_utf8_validate (info->number, -1, NULL))
            return NULL;
        }
      else if (g_str_has_prefix (t, "loket-sign="))
        {
          if (!parse_sign (t + strlen ("loket-sign="), info))
            return NULL;
          have_sign = TRUE;
        }
      else if (g_str_has_prefix (t, "loket-template="))
        {
          gint64 v;

          if (!g_ascii_string_to_signed (t + strlen ("loket-template="), 10, G_MININT64, G_MAXINT64, &v, NULL))
            return NULL;
          info->template_version = v;
        }
    }
  if (!have_sign || (need_id && info->letter_id == NULL))
    return NULL;
  return g_steal_pointer (&info);
}

LkLetterInfo *
lk_letter_read_info_full (GBytes    *data,
                          gboolean   need_id,
                          GError   **error)
{
  g_autoptr(LkPdfDocument) doc = NULL;
  g_autoptr(LkPdfObj) info_dict = NULL;
  g_autoptr(LkPdfObj) keywords = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  LkLetterInfo *info;
  LkPdfObj *trailer;
  const guint8 *raw;
  gsize len = 0;
  int pages;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = lk_pdf_document_open_bytes (data, &local);
  if (doc == NULL)
    {
      g_set_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER,
                   _("This is not a PDF letter that can be read: %s"), local->message);
      return NULL;
    }
  trailer = lk_pdf_document_get_trailer (doc);
  info_dict = lk_pdf_document_lookup (doc, trailer, "Info", &local);
  if (local == NULL && info_dict != NULL && lk_pdf_obj_get_kind (info_dict) == LK_PDF_DICT)
    keywords = lk_pdf_document_lookup (doc, info_dict, "Keywords", &local);
  if (local != NULL)
    g_debug ("document info unreadable: %s", local->message);
  if (keywords != NULL && lk_pdf_obj_get_kind (keywords) == LK_PDF_STRING)
    raw = lk_pdf_obj_get_string (keywords, &len);
  else
    raw = NULL;
  if (raw != NULL && len > 0 && len <= KEYWORDS_MAX)
    text = pdf_text_to_utf8 (raw, len);
  info = text != NULL ? parse_keywords (text, need_id) : NULL;
  if (info == NULL)
    {
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER,
                           _("This PDF is not a letter made by Loket: it does not say where it is signed."));
      return NULL;
    }

  pages = lk_pdf_document_get_page_count (doc, NULL);
  if (pages <= 0 || info->page >= (guint) pages)
    {
      lk_letter_info_free (info);
      g_set_error_literal (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER,
                           _("This letter names a signature page it does not have."));
      return NULL;
    }
  return info;
}

LkLetterInfo *
lk_letter_read_info (GBytes  *data,
                     GError **error)
{
  return lk_letter_read_info_full (data, TRUE, error);
}

LkLetterInfo *
lk_letter_read_info_file (const char  *path,
                          GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  return lk_letter_read_info (bytes, error);
}
