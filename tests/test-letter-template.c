/* test-letter-template.c — letter templates: the JSON checks, rendering
 * (text, fonts, QR code, /Keywords), letter ids, the letter info read back
 * from a draft and from its signed copy, and the signer's stamp (NIP, QR)
 *
 * Needs poppler-utils (pdftotext, pdffonts, pdftoppm), zbar-tools (zbarimg)
 * and SoftHSM2 (tests/sign/lk-test-token.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-template.h"
#include "letter/lk-qr.h"
#include "model/lk-model-private.h"
#include "sign/lk-pades.h"
#include "sign/lk-pades-verify.h"
#include "sign/lk-sign-batch.h"
#include "sign/lk-token-key.h"

#include "lk-test-token.h"
#include "lk-test-util.h"

#define PUBLIC_URL "https://loket.example.go.id/"
#define NUMBER     "503/0112/DPMPTSP/2026"

static LkTestToken *test_token;
static LkTokenKey *rsa_key;
static char *work_dir;

static const char custom_json[] =
  "{ \"letterhead\": { \"agency\": \"PEMERINTAH KOTA PONTIANAK\","
  "                    \"office\": \"DINAS PENANAMAN MODAL DAN PTSP\", \"logo\": null },"
  "  \"subject\": \"Surat Keterangan Usaha\","
  "  \"addressee\": \"Yth. {{applicant_name}}\\n{{address}}\","
  "  \"body\": \"Yang bertanda tangan di bawah ini menerangkan bahwa usaha {{business_name}} "
  "(NIB {{nib}}) milik {{applicant_name}} terdaftar di {{unit_name}}.\\nNIK\\t{{nik}}\","
  "  \"closing\": \"Pontianak, {{date}}\\n{{signer_position}}\\n^\\n{{signer_name}}\\nNIP {{signer_nip}}\","
  "  \"footer\": \"Dokumen ini telah ditandatangani secara elektronik ({{number}}).\" }";

static LkServiceType *
make_service (void)
{
  LkServiceType *s = g_object_new (LK_TYPE_SERVICE_TYPE, NULL);

  s->id = g_strdup ("svc-1");
  s->code = g_strdup ("SKU");
  s->name = g_strdup ("Surat Keterangan Usaha");
  s->sla_days = 3;
  s->number_format = g_strdup ("503/{seq:04}/{unit}/{year}");
  s->needs_business = TRUE;
  return s;
}

static LkCase *
make_case (void)
{
  LkCase *k = g_object_new (LK_TYPE_CASE, NULL);

  k->id = g_strdup ("c0ffee00-0000-4000-8000-000000000001");
  k->receipt = g_strdup ("PTSP-20261125-0042");
  k->service_type_id = g_strdup ("svc-1");
  k->service_name = g_strdup ("Surat Keterangan Usaha");
  k->unit = g_strdup ("unit-1");
  k->state = LK_CASE_STATE_APPROVED;
  k->applicant_name = g_strdup ("Siti Nurhaliza Lestari");
  k->nik = g_strdup ("6171055203900001");
  k->address = g_strdup ("Jl. Gajah Mada No. 12, Pontianak Selatan");
  k->business_name = g_strdup ("Warung Berkah Khatulistiwa");
  k->nib = g_strdup ("9120301234567");
  k->created_at = 1795000000;
  k->version = 1;
  k->complete = TRUE;
  return k;
}

/* Runs ARGV; its stdout, and its exit status in *STATUS (or asserts 0). */
static char *
run_status (const char * const *argv,
            int                *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &wait_status, &error))
    g_error ("Could not run %s: %s", argv[0], error->message);
  if (status != NULL)
    *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  else if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return g_steal_pointer (&out);
}

static char *
run (const char * const *argv)
{
  return run_status (argv, NULL);
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };

  return run (argv);
}

/* The QR codes zbarimg finds in page PAGE (1-based) of PATH rendered at
 * 200 dpi, within RECT (PDF points from the lower-left) or the whole page
 * when RECT is NULL; NULL when it finds none. */
static char *
decode_qr (const char   *path,
           int           page,
           const double *rect)
{
  g_autofree char *prefix = g_build_filename (work_dir, "qr-page", NULL);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  g_autofree char *p = g_strdup_printf ("%d", page);
  g_autofree char *out = NULL;
  int status = 0;

  if (rect != NULL)
    {
      const double scale = 200.0 / 72.0;
      g_autofree char *x = g_strdup_printf ("%d", (int) (rect[0] * scale));
      g_autofree char *y = g_strdup_printf ("%d", (int) ((841.89 - rect[1] - rect[3]) * scale));
      g_autofree char *w = g_strdup_printf ("%d", (int) (rect[2] * scale));
      g_autofree char *h = g_strdup_printf ("%d", (int) (rect[3] * scale));
      const char *argv[] = { "pdftoppm", "-r", "200", "-f", p, "-l", p, "-x", x, "-y", y, "-W", w, "-H", h,
                             "-png", "-singlefile", path, prefix, NULL };

      g_free (run (argv));
    }
  else
    {
      const char *argv[] = { "pdftoppm", "-r", "200", "-f", p, "-l", p, "-png", "-singlefile", path, prefix,
                             NULL };

      g_free (run (argv));
    }
  {
    const char *argv[] = { "zbarimg", "--raw", "-q", png, NULL };

    out = run_status (argv, &status);
  }
  g_unlink (png);
  if (status != 0)
    return NULL;
  return g_strdup (g_strchomp (out));
}

static LkLetterTemplate *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  LkLetterTemplate *t = lk_letter_template_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  return t;
}

static void
test_parse_errors (void)
{
  g_autofree char *big_body = g_strnfill (LK_LETTER_TEMPLATE_MAX_TEXT + 1, 'a');
  g_autofree char *long_text = NULL;
  g_autofree char *oversize = NULL;
  struct { const char *json; const char *message; } cases[] = {
    { "not json", "not valid JSON" },
    { "[1, 2]", "must be a JSON object" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"body\": \"Usaha {{nama}}\", \"closing\": \"^\" }", "body: unknown field {{nama}}" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"body\": \"Usaha {{business_name\", \"closing\": \"^\" }", "body: the placeholder" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"body\": \"B\", \"closing\": \"Pontianak\" }", "closing: needs the signature marker" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"body\": \"B\", \"closing\": \"^\\nx\\n ^ \" }", "closing: the signature marker" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"body\": \"B\\n^\", \"closing\": \"^\" }", "body: the signature marker" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": 5, "
      "\"body\": \"B\", \"closing\": \"^\" }", "subject: must be text" },
    { "{ \"letterhead\": \"kop\", \"subject\": \"S\", \"body\": \"B\", \"closing\": \"^\" }",
      "letterhead: must be an object" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\", \"logo\": \"logo.png\" }, "
      "\"subject\": \"S\", \"body\": \"B\", \"closing\": \"^\" }", "letterhead.logo" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": [] }, \"subject\": \"S\", "
      "\"body\": \"B\", \"closing\": \"^\" }", "letterhead.office: must be text" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"closing\": \"^\" }", "body: missing" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", \"body\": \"B\", "
      "\"closing\": \"^\", \"sign\": true }", "unknown member" },
    { "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"body\": \"{{}}\", \"closing\": \"^\" }", "body: unknown field {{}}" },
    { "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "nests deeper than" },
    /* A comment json-glib would take hides brackets from the depth count. */
    { "{ \"subject\": \"S\" /* \" */ , \"body\": [[[[[[[[[[[[]]]]]]]]]]]] }", "not plain JSON" },
    { NULL, "body: longer than" },
    { NULL, "larger than 16384 bytes" },
  };

  long_text = g_strdup_printf ("{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
                               "\"body\": \"%s\", \"closing\": \"^\" }", big_body);
  oversize = g_strdup_printf ("{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"%s\", "
                              "\"body\": \"%s\", \"closing\": \"^\" }", big_body, big_body);
  cases[G_N_ELEMENTS (cases) - 2].json = long_text;
  cases[G_N_ELEMENTS (cases) - 1].json = oversize;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkLetterTemplate) t = lk_letter_template_parse (cases[i].json, -1, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(parsed)");
      g_assert_null (t);
      g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_TEMPLATE);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_json_round_trip (void)
{
  g_autoptr(LkServiceType) service = make_service ();
  g_autoptr(LkLetterTemplate) builtin = lk_letter_template_new_default (service);
  g_autoptr(LkLetterTemplate) custom = parse_ok (custom_json);
  g_autoptr(LkLetterTemplate) again = NULL;
  g_autoptr(LkLetterTemplate) custom_again = NULL;
  g_autofree char *json = lk_letter_template_to_json (builtin);
  g_autofree char *json2 = NULL;
  g_autofree char *custom_json2 = lk_letter_template_to_json (custom);
  g_autofree char *custom_json3 = NULL;
  g_autofree char *with_logo = NULL;
  g_autoptr(LkLetterTemplate) logo = NULL;

  /* The built-in template is a valid template itself. */
  again = parse_ok (json);
  json2 = lk_letter_template_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  g_assert_nonnull (strstr (json, "{{business_name}}"));
  g_assert_nonnull (strstr (json, LK_LETTER_DRAFT_FOOTER));
  g_assert_true (g_str_has_prefix (json, "{\"letterhead\":{\"agency\""));
  g_assert_null (lk_letter_template_get_logo (builtin));

  custom_again = parse_ok (custom_json2);
  custom_json3 = lk_letter_template_to_json (custom_again);
  g_assert_cmpstr (custom_json2, ==, custom_json3);

  with_logo = g_strdup_printf ("{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\", \"logo\": \"%s\" },"
                               " \"subject\": \"S\", \"body\": \"B\", \"closing\": \"^\" }",
                               "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  logo = parse_ok (with_logo);
  g_assert_cmpstr (lk_letter_template_get_logo (logo), ==,
                   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

static void
test_ids (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url1 = lk_letter_verify_url ("https://a.example/", "abc");
  g_autofree char *url2 = lk_letter_verify_url ("https://a.example", "abc");
  g_autofree char *url3 = lk_letter_verify_url ("https://a.example/loket//", "abc");

  for (guint i = 0; i < 200; i++)
    {
      char *id = lk_letter_new_id ();

      g_assert_cmpuint (strlen (id), ==, LK_LETTER_ID_LENGTH);
      g_assert_true (lk_letter_id_is_valid (id));
      g_assert_true (g_hash_table_add (seen, id));
    }
  g_assert_false (lk_letter_id_is_valid (NULL));
  g_assert_false (lk_letter_id_is_valid (""));
  g_assert_false (lk_letter_id_is_valid ("abcdefghijklmnopqrstuvwxy"));
  g_assert_false (lk_letter_id_is_valid ("abcdefghijklmnopqrstuvwxyz2"));
  g_assert_false (lk_letter_id_is_valid ("Abcdefghijklmnopqrstuvwxyz"));
  g_assert_false (lk_letter_id_is_valid ("abcdefghijklmnopqrstuvwxy1"));
  g_assert_true (lk_letter_id_is_valid ("abcdefghijklmnopqrstuvwxy7"));
  g_assert_cmpstr (url1, ==, "https://a.example/v/abc");
  g_assert_cmpstr (url2, ==, "https://a.example/v/abc");
  g_assert_cmpstr (url3, ==, "https://a.example/loket/v/abc");
}

static void
test_qr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkQr) qr = lk_qr_encode ("https://loket.example.go.id/v/abcdefghijklmnopqrstuvwxyz", &error);
  g_autofree char *big = g_strnfill (LK_QR_MAX_TEXT + 1, 'x');
  guint dark = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (qr->width, >=, 21);
  g_assert_cmpuint ((qr->width - 17) % 4, ==, 0);
  /* The finder pattern's corner module is dark, its separator light. */
  g_assert_cmpuint (qr->modules[0], ==, 1);
  g_assert_cmpuint (qr->modules[7], ==, 0);
  for (guint i = 0; i < qr->width * qr->width; i++)
    {
      g_assert_cmpuint (qr->modules[i], <=, 1);
      dark += qr->modules[i];
    }
  g_assert_cmpuint (dark, >, qr->width * qr->width / 4);

  g_assert_null (lk_qr_encode ("", &error));
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (lk_qr_encode (big, &error));
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED);
}

static char *
render_custom (const char  *name,
               const char  *letter_id,
               const char  *number,
               GError     **error)
{
  g_autoptr(LkServiceType) service = make_service ();
  g_autoptr(LkCase) kase = make_case ();
  g_autoptr(LkLetterTemplate) t = parse_ok (custom_json);
  g_autoptr(GDateTime) date = g_date_time_new_local (2026, 11, 28, 10, 0, 0);
  LkLetterRenderInfo info = { 0 };
  char *path = g_build_filename (work_dir, name, NULL);

  info.unit_name = "Kecamatan Pontianak Selatan";
  info.number = number;
  info.letter_id = letter_id;
  info.public_url = PUBLIC_URL;
  info.signer_name = "Drs. Ahmad Fauzi, M.Si.";
  info.signer_position = "Kepala Dinas";
  info.signer_nip = "197001012000031001";
  info.template_version = 7;
  info.date = date;
  if (!lk_letter_template_render (t, kase, service, &info, path, error))
    g_clear_pointer (&path, g_free);
  return path;
}

static void
test_render (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = lk_letter_new_id ();
  g_autofree char *url = lk_letter_verify_url (PUBLIC_URL, id);
  g_autofree char *path = render_custom ("letter.pdf", id, NUMBER, &error);
  g_autofree char *text = NULL;
  g_autofree char *fonts = NULL;
  g_autofree char *qr = NULL;
  g_autoptr(LkLetterInfo) info = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_fonts = 0;

  g_assert_no_error (error);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, NUMBER));
  g_assert_nonnull (strstr (text, "Pontianak, 28 November 2026"));
  g_assert_nonnull (strstr (text, "Warung Berkah Khatulistiwa"));
  g_assert_nonnull (strstr (text, "9120301234567"));
  g_assert_nonnull (strstr (text, "6171055203900001"));
  g_assert_nonnull (strstr (text, "Kecamatan Pontianak Selatan"));
  g_assert_nonnull (strstr (text, "NIP 197001012000031001"));
  g_assert_nonnull (strstr (text, "Kepala Dinas"));
  g_assert_nonnull (strstr (text, url));
  g_assert_null (strstr (text, "{{"));
  g_assert_null (strstr (text, "DRAFT"));

  /* Every font embedded. */
  {
    const char *argv[] = { "pdffonts", path, NULL };

    fonts = run (argv);
  }
  lines = g_strsplit (fonts, "\n", -1);
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) nonempty = g_ptr_array_new ();

      for (guint j = 0; words[j] != NULL; j++)
        if (*words[j] != '\0')
          g_ptr_array_add (nonempty, words[j]);
      if (nonempty->len == 0)
        continue;
      g_assert_cmpuint (nonempty->len, >=, 6);
      g_assert_cmpstr (g_ptr_array_index (nonempty, nonempty->len - 5), ==, "yes");
      n_fonts++;
    }
  g_assert_cmpuint (n_fonts, >=, 1);

  /* The QR code on page 1 leads to the verification page. */
  qr = decode_qr (path, 1, NULL);
  g_assert_cmpstr (qr, ==, url);

  info = lk_letter_read_info_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->letter_id, ==, id);
  g_assert_cmpstr (info->number, ==, NUMBER);
  g_assert_cmpuint (info->page, ==, 0);
  g_assert_cmpfloat (info->rect[2], ==, LK_LETTER_STAMP_WIDTH);
  g_assert_cmpfloat (info->rect[3], ==, LK_LETTER_STAMP_HEIGHT);
  g_assert_cmpfloat (info->rect[0] + info->rect[2], <=, 595.0);
  g_assert_cmpfloat (info->rect[1], >, 80.0);
  g_assert_cmpint (info->template_version, ==, 7);

  /* The stamp box is empty until signed. */
  {
    g_autofree char *x = g_strdup_printf ("%d", (int) info->rect[0]);
    g_autofree char *y = g_strdup_printf ("%d", (int) (841.89 - info->rect[1] - info->rect[3]));
    g_autofree char *w = g_strdup_printf ("%d", (int) info->rect[2]);
    g_autofree char *h = g_strdup_printf ("%d", (int) info->rect[3]);
    const char *argv[] = { "pdftotext", "-r", "72", "-f", "1", "-l", "1", "-x", x, "-y", y, "-W", w, "-H", h,
                           path, "-", NULL };
    g_autofree char *inside = run (argv);

    g_assert_cmpstr (g_strstrip (inside), ==, "");
  }
}

static void
test_render_draft (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = render_custom ("draft.pdf", NULL, NULL, &error);
  g_autofree char *text = NULL;
  g_autoptr(LkLetterInfo) info = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "DRAFT — belum bernomor"));
  g_assert_null (strstr (text, "/v/"));
  g_assert_null (decode_qr (path, 1, NULL));

  /* A preview has no letter id: not a letter to register. */
  info = lk_letter_read_info_file (path, &error);
  g_assert_null (info);
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER);
  g_clear_error (&error);

  /* Neither is any other PDF, nor garbage. */
  file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_static ("%PDF-1.5\nnot really\n", 20);
  g_assert_null (lk_letter_read_info (bytes, &error));
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_NOT_LETTER);
}

/* A number with spaces, percent signs and non-ASCII letters survives
 * /Keywords. */
static void
test_keywords_number (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = lk_letter_new_id ();
  const char *number = "470/ÜJI 1%/2026";
  g_autofree char *path = render_custom ("odd-number.pdf", id, number, &error);
  g_autoptr(LkLetterInfo) info = NULL;

  g_assert_no_error (error);
  info = lk_letter_read_info_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->number, ==, number);
  g_assert_cmpstr (info->letter_id, ==, id);
}

static void
test_missing_field (void)
{
  g_autoptr(LkServiceType) service = make_service ();
  g_autoptr(LkCase) kase = make_case ();
  g_autoptr(LkLetterTemplate) t = parse_ok (custom_json);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (work_dir, "refused.pdf", NULL);
  g_autofree char *id = lk_letter_new_id ();
  LkLetterRenderInfo info = { 0 };

  g_clear_pointer (&kase->business_name, g_free);
  info.unit_name = "Kecamatan Pontianak Selatan";
  info.letter_id = id;
  info.public_url = PUBLIC_URL;
  g_assert_false (lk_letter_template_render (t, kase, service, &info, path, &error));
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "business name"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A unit name the template uses is needed too. */
  kase->business_name = g_strdup ("Warung");
  info.unit_name = NULL;
  g_assert_false (lk_letter_template_render (t, kase, service, &info, path, &error));
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A field's text cannot place the stamp: a marker inside a value is
   * text. */
  {
    g_autoptr(LkLetterTemplate) injected = parse_ok (
      "{ \"letterhead\": { \"agency\": \"A\", \"office\": \"B\" }, \"subject\": \"S\", "
      "\"body\": \"B\", \"closing\": \"{{applicant_name}}\\n^\\nEND\" }");
    g_autoptr(LkLetterInfo) plain_info = NULL;
    g_autoptr(LkLetterInfo) injected_info = NULL;
    g_autofree char *text = NULL;

    info.unit_name = "Kecamatan";
    g_assert_true (lk_letter_template_render (injected, kase, service, &info, path, &error));
    g_assert_no_error (error);
    plain_info = lk_letter_read_info_file (path, &error);
    g_assert_no_error (error);
    g_free (kase->applicant_name);
    kase->applicant_name = g_strdup ("Siti\n^\n^\n^\n^\nX");
    g_assert_true (lk_letter_template_render (injected, kase, service, &info, path, &error));
    g_assert_no_error (error);
    injected_info = lk_letter_read_info_file (path, &error);
    g_assert_no_error (error);
    /* Lower on the page: below the value's five more lines, not at them. */
    g_assert_cmpfloat (injected_info->rect[1], <, plain_info->rect[1] - 4 * 12.0);
    text = pdf_text (path);
    g_assert_nonnull (strstr (text, "^"));
    g_free (kase->applicant_name);
    kase->applicant_name = g_strdup ("Siti Nurhaliza Lestari");
  }

  /* Signer fields may be missing: their lines stay blank. */
  info.unit_name = "Kecamatan";
  g_assert_true (lk_letter_template_render (t, kase, service, &info, path, &error));
  g_assert_no_error (error);
  {
    g_autofree char *text = pdf_text (path);

    g_assert_null (strstr (text, "NIP"));
    g_assert_null (strstr (text, "{{"));
  }
}

static void
test_logo_and_long_body (void)
{
  g_autoptr(LkServiceType) service = make_service ();
  g_autoptr(LkCase) kase = make_case ();
  g_autoptr(LkLetterTemplate) t = lk_letter_template_new_default (service);
  g_autoptr(GError) error = NULL;
  g_autofree char *logo = g_build_filename (work_dir, "logo.png", NULL);
  g_autofree char *bad = g_build_filename (work_dir, "bad.png", NULL);
  g_autofree char *path = g_build_filename (work_dir, "long.pdf", NULL);
  g_autofree char *id = lk_letter_new_id ();
  g_autoptr(GString) address = g_string_new (NULL);
  g_autoptr(LkLetterInfo) letter = NULL;
  LkLetterRenderInfo info = { 0 };
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 40, 50);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_rgb (cr, 0.1, 0.3, 0.7);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (s, logo), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  g_assert_true (g_file_set_contents (bad, "\x89PNG\r\n\x1a\n not really", -1, NULL));

  info.letter_id = id;
  info.public_url = PUBLIC_URL;
  info.number = NUMBER;
  info.logo_path = bad;
  g_assert_false (lk_letter_template_render (t, kase, service, &info, path, &error));
  g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "PNG"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  for (int i = 0; address->len < 6000; i++)
    g_string_append_printf (address, "Gang Kenanga %d Blok %c, ", i, 'A' + i % 26);
  g_string_append (address, "UJUNGALAMAT");
  g_free (kase->address);
  kase->address = g_string_free (g_steal_pointer (&address), FALSE);

  info.logo_path = logo;
  g_assert_true (lk_letter_template_render (t, kase, service, &info, path, &error));
  g_assert_no_error (error);
  letter = lk_letter_read_info_file (path, &error);
  g_assert_no_error (error);
  /* The logo is on the first page: pdfimages lists it (40 × 50). */
  {
    const char *argv[] = { "pdfimages", "-list", "-f", "1", "-l", "1", path, NULL };
    g_autofree char *list = run (argv);

    g_assert_nonnull (strstr (list, "     40    50 "));
  }
  /* The address alone fills more than a page; the stamp follows it. */
  g_assert_cmpuint (letter->page, >=, 1);
  {
    g_autofree char *text = pdf_text (path);
    g_auto(GStrv) pages = g_strsplit (text, "\f", -1);

    g_assert_cmpuint (g_strv_length (pages), >=, letter->page + 1);
    g_assert_nonnull (strstr (text, "UJUNGALAMAT"));
    g_assert_nonnull (strstr (text, "Lanjutan surat " NUMBER " — halaman 2"));
    g_assert_nonnull (strstr (pages[letter->page], "a.n. KEPALA DINAS"));
    g_assert_true (strstr (text, "UJUNGALAMAT") < strstr (text, "a.n. KEPALA DINAS"));
  }
}

/* Signed at the marker with the stamp: the info survives the signature,
 * the stamp shows the NIP and its QR code decodes. */
static void
test_signed_stamp (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = lk_letter_new_id ();
  g_autofree char *url = lk_letter_verify_url (PUBLIC_URL, id);
  g_autofree char *path = render_custom ("to-sign.pdf", id, NUMBER, &error);
  g_autofree char *signed_path = g_build_filename (work_dir, "signed.pdf", NULL);
  g_autoptr(LkLetterInfo) info = NULL;
  g_autoptr(LkLetterInfo) info2 = NULL;
  g_autoptr(LkPadesVerifyReport) report = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  LkPadesOptions opts = { 0 };

  g_assert_no_error (error);
  info = lk_letter_read_info_file (path, &error);
  g_assert_no_error (error);
  before = decode_qr (path, info->page + 1, info->rect);
  g_assert_null (before);

  opts.reason = "Persetujuan";
  opts.location = "Pontianak";
  opts.signer_name = "Drs. Ahmad Fauzi, M.Si.";
  opts.signer_position = "Kepala Dinas";
  opts.signer_nip = "197001012000031001";
  opts.qr_text = url;
  opts.visible = TRUE;
  opts.page = info->page;
  memcpy (opts.rect, info->rect, sizeof opts.rect);
  g_assert_true (lk_pades_sign (rsa_key, NULL, &opts, path, signed_path, NULL, &error));
  g_assert_no_error (error);

  info2 = lk_letter_read_info_file (signed_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info2->letter_id, ==, id);
  g_assert_cmpstr (info2->number, ==, NUMBER);
  g_assert_cmpuint (info2->page, ==, info->page);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (info2->rect[i], ==, info->rect[i]);

  report = lk_pades_verify_file (signed_path, (const char * const[]) { test_token->ca_pem, NULL }, &error);
  g_assert_no_error (error);
  g_assert_true (report->ok);

  after = decode_qr (signed_path, info->page + 1, info->rect);
  g_assert_cmpstr (after, ==, url);

  {
    g_autofree char *x = g_strdup_printf ("%d", (int) info->rect[0]);
    g_autofree char *y = g_strdup_printf ("%d", (int) (841.89 - info->rect[1] - info->rect[3]));
    g_autofree char *w = g_strdup_printf ("%d", (int) info->rect[2]);
    g_autofree char *h = g_strdup_printf ("%d", (int) info->rect[3]);
    g_autofree char *p = g_strdup_printf ("%u", info->page + 1);
    const char *argv[] = { "pdftotext", "-r", "72", "-f", p, "-l", p, "-x", x, "-y", y, "-W", w, "-H", h,
                           signed_path, "-", NULL };

    text = run (argv);
  }
  g_assert_nonnull (strstr (text, "NIP 197001012000031001"));
  g_assert_nonnull (strstr (text, "Kepala Dinas"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  test_token = lk_test_token_new ("loket-letters", TRUE, &error);
  g_assert_no_error (error);
  lk_sign_batch_init_modules (NULL, &error);
  g_assert_no_error (error);
  rsa_key = lk_token_key_open (test_token->rsa_key_url, NULL, lk_test_token_pin_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  work_dir = lk_test_make_tmpdir ("letter-template");

  g_test_add_func ("/letter/template/parse-errors", test_parse_errors);
  g_test_add_func ("/letter/template/json", test_json_round_trip);
  g_test_add_func ("/letter/template/ids", test_ids);
  g_test_add_func ("/letter/template/qr", test_qr);
  g_test_add_func ("/letter/template/render", test_render);
  g_test_add_func ("/letter/template/draft", test_render_draft);
  g_test_add_func ("/letter/template/keywords-number", test_keywords_number);
  g_test_add_func ("/letter/template/missing-field", test_missing_field);
  g_test_add_func ("/letter/template/logo-long", test_logo_and_long_body);
  g_test_add_func ("/letter/template/signed-stamp", test_signed_stamp);

  ret = g_test_run ();

  g_clear_object (&rsa_key);
  lk_test_rm_rf (work_dir);
  g_free (work_dir);
  lk_test_token_free (test_token);
  lk_test_token_cleanup ();
  return ret;
}
