/* lk-test-mail-data.c — records for the delivery tests and benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <string.h>

#include "store/lk-store-private.h"
#include "lk-server-auth.h"
#include "lk-test-mail-data.h"

#define SERVICE_ID  "00000000-0000-4000-8000-0000000000b1"
#define USER_ID     "00000000-0000-4000-8000-0000000000c1"

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
lk_test_mail_make_pdf (guint32 seed,
                       guint   kb)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *line = g_strdup_printf ("Surat uji %u", seed);
  cairo_surface_t *pdf, *image;
  cairo_t *cr;
  guint side = 8;
  guchar *pixels;
  int stride;

  /* Noise does not compress: 3 bytes a pixel in the PDF, beside about
   * 6 KB of page, font and structure. */
  while (side * side * 3 + 6 * 1024 < kb * 1024)
    side++;

  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) side, (int) side);
  cairo_surface_flush (image);
  pixels = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  for (guint y = 0; y < side; y++)
    for (guint x = 0; x < side; x++)
      ((guint32 *) (gpointer) (pixels + y * stride))[x] = g_rand_int (rand) & 0xffffff;
  cairo_surface_mark_dirty (image);

  pdf = cairo_pdf_surface_create_for_stream (write_cb, out, 595, 842);
  cr = cairo_create (pdf);
  cairo_move_to (cr, 72, 72);
  cairo_show_text (cr, line);
  cairo_set_source_surface (cr, image, 72, 100);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  g_assert_cmpint (cairo_surface_status (pdf), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (pdf);
  cairo_surface_destroy (image);

  return g_byte_array_free_to_bytes (out);
}

static void
exec_text (LkStore             *store,
           const char          *sql,
           const char * const  *params,
           guint                n_params)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_text (stmt, (int) i + 1, params[i], -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

void
lk_test_mail_seed (LkStore    *store,
                   const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) unit = json_object_new ();
  g_autofree char *hash = lk_auth_hash_password (password, &error);

  g_assert_no_error (error);
  g_assert_true (lk_store_begin (store, &error));
  g_assert_no_error (error);

  json_object_set_string_member (unit, "id", LK_TEST_MAIL_UNIT_ID);
  json_object_set_string_member (unit, "code", "DPMPTSP");
  json_object_set_string_member (unit, "name", LK_TEST_MAIL_UNIT_NAME);
  json_object_set_string_member (unit, "address", "Jl. Contoh 1");
  json_object_set_int_member (unit, "version", 1);
  g_assert_true (lk_store_upsert_json (store, "unit", unit, &error));
  g_assert_no_error (error);

  {
    const char * const user[] = { USER_ID, LK_TEST_MAIL_USER, "Petugas Uji", "officer", hash };
    const char * const member[] = { USER_ID, LK_TEST_MAIL_UNIT_ID };

    exec_text (store, "INSERT INTO users (id, username, display_name, role, password_hash, version) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, 1)", user, G_N_ELEMENTS (user));
    exec_text (store, "INSERT INTO user_units (user_id, unit_id) VALUES (?1, ?2)",
               member, G_N_ELEMENTS (member));
  }

  g_assert_true (lk_store_commit (store, &error));
  g_assert_no_error (error);
}

char *
lk_test_mail_add_case (LkStore    *store,
                       guint       index,
                       const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) kase = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *receipt = g_strdup_printf ("REG-2026-%06u", index);
  g_autofree char *nik = g_strdup_printf ("6171%012u", index);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_object_set_string_member (kase, "id", id);
  json_object_set_string_member (kase, "receipt", receipt);
  json_object_set_string_member (kase, "service_type", SERVICE_ID);
  json_object_set_string_member (kase, "unit", LK_TEST_MAIL_UNIT_ID);
  json_object_set_string_member (kase, "state", "signed");
  json_object_set_string_member (kase, "applicant_name", "Siti Rahmawati");
  json_object_set_string_member (kase, "nik", nik);
  if (email != NULL)
    json_object_set_string_member (kase, "email", email);
  else
    json_object_set_null_member (kase, "email");
  json_object_set_int_member (kase, "created_at", now - 3600);
  json_object_set_int_member (kase, "updated_at", now - 60);
  json_object_set_int_member (kase, "version", 7);
  g_assert_true (lk_store_upsert_json (store, "case", kase, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&id);
}

char *
lk_test_mail_add_letter (LkStore    *store,
                         const char *case_id,
                         guint       index,
                         GBytes     *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *id = g_strdup_printf ("L%011u", index);
  g_autofree char *number = g_strdup_printf ("503/%04u/DPMPTSP/2026", index);
  gsize len;
  const guchar *data = g_bytes_get_data (pdf, &len);
  sqlite3_stmt *stmt;

  g_checksum_update (sum, data, (gssize) len);

  stmt = lk_store_prepare (store, "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
                           &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, g_checksum_get_string (sum), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (gint64) len);
  sqlite3_bind_blob64 (stmt, 3, data, len, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);

  {
    const char * const row[] = { id, case_id, number, LK_TEST_MAIL_UNIT_ID, g_checksum_get_string (sum) };

    exec_text (store,
               "INSERT INTO letters (id, case_id, number, unit, subject, signer_name, signer_position, "
               "signed_at, sha256, template_version, status, version) VALUES (?1, ?2, ?3, ?4, "
               "'Surat Keterangan Usaha', 'Drs. Budi Santoso', 'Kepala Dinas', "
               "strftime('%s', 'now'), ?5, 1, 'valid', 1)",
               row, G_N_ELEMENTS (row));
  }

  return g_steal_pointer (&id);
}

char *
lk_test_mail_query_text (LkStore    *store,
                         const char *sql,
                         const char *param)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

gint64
lk_test_mail_query_int (LkStore    *store,
                        const char *sql,
                        const char *param)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, &error);
  gint64 value = -1;

  g_assert_no_error (error);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}
