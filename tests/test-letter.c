/* test-letter.c — the built-in letter draft, checked with poppler's tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template-private.h"
#include "model/lk-model-private.h"
#include "lk-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = lk_test_make_tmpdir ("letter");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static LkServiceType *
make_service (const char *name,
              gboolean    needs_business)
{
  LkServiceType *s = g_object_new (LK_TYPE_SERVICE_TYPE, NULL);

  s->id = g_strdup ("svc-1");
  s->code = g_strdup ("SKU");
  s->name = g_strdup (name);
  s->sla_days = 3;
  s->number_format = g_strdup ("503/{seq:04}/{unit}/{year}");
  s->needs_business = needs_business;
  return s;
}

static gint64
local_time (int year,
            int month,
            int day,
            int hour)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (year, month, day, hour, 0, 0);

  return g_date_time_to_unix (t);
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
  k->email = g_strdup ("siti@contoh.example");
  k->address = g_strdup ("Jl. Gajah Mada No. 12, RT 003/RW 005, Kelurahan Benua Melayu Darat, Pontianak Selatan");
  k->business_name = g_strdup ("Warung Berkah Khatulistiwa");
  k->nib = g_strdup ("9120301234567");
  k->created_at = local_time (2026, 11, 18, 10);
  k->updated_at = k->created_at;
  k->sla_due = g_strdup ("2026-11-24");
  k->version = 1;
  k->complete = TRUE;
  return k;
}

/* Runs ARGV, asserting exit 0, and returns its stdout. */
static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  /* poppler-utils is a test dependency (tools/debian-packages.txt). */
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("Could not run %s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return g_steal_pointer (&out);
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };

  return run (argv);
}

static char *
render (Fixture       *f,
        LkCase        *kase,
        LkServiceType *service,
        const char    *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_local (2026, 11, 28, 10, 0, 0);
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (lk_letter_draft_render_for_unit (kase, service, "Kecamatan Pontianak Selatan",
                                                  "Jl. Ahmad Yani, Kota Pontianak", date, path, &error));
  g_assert_no_error (error);
  return path;
}

static int
count_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run (argv);
  const char *pages;

  g_assert_nonnull (info);
  pages = strstr (info, "Pages:");
  g_assert_nonnull (pages);
  return atoi (pages + strlen ("Pages:"));
}

/* The text pdftotext finds inside the signature rectangle of PAGE: where
 * the draft's keywords put the stamp (issue 6: at the template's marker). */
static char *
text_in_signature_rect (const char *path,
                        int         page)
{
  double rect[4];
  g_autofree char *first = g_strdup_printf ("%d", page);
  g_autofree char *x = NULL, *y = NULL, *w = NULL, *h = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr(GBytes) bytes = g_mapped_file_get_bytes (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLetterInfo) info = lk_letter_read_info_full (bytes, FALSE, &error);

  g_assert_no_error (error);
  g_assert_null (info->letter_id);
  g_assert_null (info->number);
  memcpy (rect, info->rect, sizeof rect);

  /* pdftotext crops in pixels at -r 72, from the top-left corner. */
  x = g_strdup_printf ("%d", (int) rect[0]);
  y = g_strdup_printf ("%d", (int) (841.89 - rect[1] - rect[3]));
  w = g_strdup_printf ("%d", (int) rect[2]);
  h = g_strdup_printf ("%d", (int) rect[3]);
  {
    const char *argv[] = { "pdftotext", "-r", "72", "-f", first, "-l", first,
                           "-x", x, "-y", y, "-W", w, "-H", h, path, "-", NULL };

    return run (argv);
  }
}

static gboolean
is_blank (const char *text)
{
  for (const char *s = text; *s != '\0'; s++)
    if (!g_ascii_isspace (*s) && *s != '\f')
      return FALSE;
  return TRUE;
}

static void
test_letter_content (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LkCase) kase = make_case ();
  g_autoptr(LkServiceType) service = make_service ("Surat Keterangan Usaha", TRUE);
  g_autofree char *path = render (f, kase, service, "draft.pdf");
  g_autofree char *text = pdf_text (path);
  g_autofree char *flat = NULL;
  g_autofree char *sig = NULL;

  /* Joined into one line, single-spaced: the footer may wrap. */
  {
    g_auto(GStrv) words = g_strsplit_set (text, " \n\f", -1);
    g_autoptr(GString) joined = g_string_new (NULL);

    for (guint i = 0; words[i] != NULL; i++)
      if (*words[i] != '\0')
        g_string_append_printf (joined, "%s%s", joined->len > 0 ? " " : "", words[i]);
    flat = g_string_free (g_steal_pointer (&joined), FALSE);
  }

  g_assert_nonnull (strstr (text, "PTSP-20261125-0042"));
  g_assert_nonnull (strstr (text, "Siti Nurhaliza Lestari"));
  g_assert_nonnull (strstr (text, "6171055203900001"));
  g_assert_nonnull (strstr (text, "Warung Berkah Khatulistiwa"));
  g_assert_nonnull (strstr (text, "9120301234567"));
  g_assert_nonnull (strstr (text, "Pontianak, 28 November 2026"));
  /* Issue 6: the built-in template no longer quotes the receipt's date. */
  g_assert_nonnull (strstr (text, "DRAFT"));
  g_assert_nonnull (strstr (text, "PEMERINTAH KOTA PONTIANAK"));
  g_assert_nonnull (strstr (text, "Kecamatan Pontianak Selatan"));
  g_assert_nonnull (strstr (text, "Surat Keterangan Usaha"));
  g_assert_nonnull (strstr (text, "a.n. KEPALA DINAS"));
  g_assert_nonnull (strstr (flat, LK_LETTER_DRAFT_FOOTER));
  g_assert_null (strstr (text, "tidak dapat dikabulkan"));

  g_assert_cmpint (count_pages (path), ==, 1);
  sig = text_in_signature_rect (path, 1);
  g_assert_true (is_blank (sig));

  /* Nothing left of the temporary file. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;
    int n = 0;

    while ((name = g_dir_read_name (dir)) != NULL)
      n++;
    g_assert_cmpint (n, ==, 1);
  }
}

static void
test_letter_no_business (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(LkCase) kase = make_case ();
  g_autoptr(LkServiceType) service = make_service ("Surat Keterangan Domisili", FALSE);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&kase->business_name, g_free);
  g_clear_pointer (&kase->nib, g_free);
  kase->state = LK_CASE_STATE_REJECTED;
  path = render (f, kase, service, "domisili.pdf");
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Surat Keterangan Domisili"));
  g_assert_null (strstr (text, "NIB"));
  g_assert_null (strstr (text, "Nama usaha"));
  g_assert_nonnull (strstr (text, "tidak dapat dikabulkan"));
}

static void
test_letter_fonts_and_size (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(LkCase) kase = make_case ();
  g_autoptr(LkServiceType) service = make_service ("Surat Keterangan Usaha", TRUE);
  g_autofree char *path = render (f, kase, service, "fonts.pdf");
  const char *fonts_argv[] = { "pdffonts", path, NULL };
  const char *info_argv[] = { "pdfinfo", path, NULL };
  g_autofree char *fonts = run (fonts_argv);
  g_autofree char *info = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_fonts = 0;

  /* name type encoding emb sub uni object ID: after the two header lines,
   * every font has "yes" in the emb column. */
  lines = g_strsplit (fonts, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      guint n;

      if (*lines[i] == '\0')
        continue;
      cols = g_strsplit_set (lines[i], " ", -1);
      /* Columns from the right: ID, object, uni, sub, emb. */
      {
        g_autoptr(GPtrArray) words = g_ptr_array_new ();

        for (guint j = 0; cols[j] != NULL; j++)
          if (*cols[j] != '\0')
            g_ptr_array_add (words, cols[j]);
        n = words->len;
        g_assert_cmpuint (n, >=, 6);
        g_assert_cmpstr (g_ptr_array_index (words, n - 5), ==, "yes");
      }
      n_fonts++;
    }
  g_assert_cmpuint (n_fonts, >=, 1);

  info = run (info_argv);
  g_assert_nonnull (strstr (info, "(A4)"));
  g_assert_nonnull (strstr (info, "Letter draft PTSP-20261125-0042.pdf"));
}

static void
test_letter_long_body (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LkCase) kase = make_case ();
  g_autoptr(LkServiceType) service = make_service ("Surat Keterangan Usaha", TRUE);
  g_autoptr(GString) address = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *sig1 = NULL;
  int pages;

  for (int i = 0; address->len < 3000; i++)
    g_string_append_printf (address, "Gang Kenanga %d Blok %c, ", i, 'A' + i % 26);
  g_string_append (address, "UJUNGALAMAT");
  g_free (kase->address);
  kase->address = g_string_free (g_steal_pointer (&address), FALSE);

  path = render (f, kase, service, "long.pdf");
  pages = count_pages (path);
  g_assert_cmpint (pages, >=, 2);

  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "UJUNGALAMAT"));
  g_assert_nonnull (strstr (text, "Demikian surat ini"));
  /* The signature block is on the last page, after the body. */
  {
    const char *last_page = strrchr (text, '\f');
    const char *p = text;

    for (int i = 1; i < pages; i++)
      p = strchr (p, '\f') + 1;
    g_assert_nonnull (last_page);
    g_assert_nonnull (strstr (p, "a.n. KEPALA DINAS"));
    g_assert_true (strstr (text, "a.n. KEPALA DINAS") > strstr (text, "Demikian surat ini"));
  }
  sig = text_in_signature_rect (path, pages);
  g_assert_true (is_blank (sig));
  /* The crop does see text where there is some: the first page's box area
   * is covered by the long address. */
  sig1 = text_in_signature_rect (path, 1);
  g_assert_false (is_blank (sig1));
}

static void
test_letter_missing_field (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(LkServiceType) business = make_service ("Surat Keterangan Usaha", TRUE);
  g_autoptr(LkServiceType) plain = make_service ("Surat Keterangan Domisili", FALSE);
  g_autofree char *path = g_build_filename (f->dir, "refused.pdf", NULL);
  struct { const char *field; LkServiceType *service; } cases[] = {
    { "address", plain }, { "nik", plain }, { "applicant_name", plain }, { "receipt", plain },
    { "nib", business }, { "business_name", business },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LkCase) kase = make_case ();
      g_autoptr(GError) error = NULL;

      if (g_str_equal (cases[i].field, "address"))
        g_clear_pointer (&kase->address, g_free);
      else if (g_str_equal (cases[i].field, "nik"))
        g_clear_pointer (&kase->nik, g_free);
      else if (g_str_equal (cases[i].field, "applicant_name"))
        kase->applicant_name[0] = '\0';
      else if (g_str_equal (cases[i].field, "receipt"))
        g_clear_pointer (&kase->receipt, g_free);
      else if (g_str_equal (cases[i].field, "nib"))
        g_clear_pointer (&kase->nib, g_free);
      else
        g_clear_pointer (&kase->business_name, g_free);

      g_assert_false (lk_letter_draft_render (kase, cases[i].service, NULL, path, &error));
      g_assert_error (error, LK_LETTER_ERROR, LK_LETTER_ERROR_FIELD);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  /* Without a business the plain service still drafts. */
  {
    g_autoptr(LkCase) kase = make_case ();
    g_autoptr(GError) error = NULL;

    g_clear_pointer (&kase->nib, g_free);
    g_assert_true (lk_letter_draft_render (kase, plain, NULL, path, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_letter_names (void)
{
  g_autofree char *name = lk_letter_draft_document_name ("PTSP-1");
  g_autoptr(GDateTime) d1 = g_date_time_new_local (2027, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) d2 = g_date_time_new_local (2026, 8, 17, 0, 0, 0);
  g_autofree char *s1 = lk_letter_draft_format_date (d1);
  g_autofree char *s2 = lk_letter_draft_format_date (d2);
  double rect[4];

  g_assert_cmpstr (name, ==, "Letter draft PTSP-1.pdf");
  g_assert_true (lk_letter_draft_is_draft_name (name));
  g_assert_false (lk_letter_draft_is_draft_name ("KTP.pdf"));
  g_assert_false (lk_letter_draft_is_draft_name (NULL));
  g_assert_cmpstr (s1, ==, "1 Januari 2027");
  g_assert_cmpstr (s2, ==, "17 Agustus 2026");

  lk_letter_draft_signature_rect (rect);
  g_assert_cmpfloat (rect[0] + rect[2], <=, 595.0);
  g_assert_cmpfloat (rect[1], >, 0);
  g_assert_cmpfloat (rect[2], >, 0);
  g_assert_cmpfloat (rect[3], >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  g_test_add_func ("/letter/names", test_letter_names);
  ADD ("/letter/content", test_letter_content);
  ADD ("/letter/no-business", test_letter_no_business);
  ADD ("/letter/fonts-and-size", test_letter_fonts_and_size);
  ADD ("/letter/long-body", test_letter_long_body);
  ADD ("/letter/missing-field", test_letter_missing_field);
#undef ADD

  return g_test_run ();
}
