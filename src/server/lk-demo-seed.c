/* lk-demo-seed.c — synthetic but plausible demo data (Kota Pontianak)
 *
 * Every name, number and address made here is invented: first and last
 * names are combined at random, NIKs and NIBs are random digits behind the
 * regional prefix, e-mail addresses use a reserved example domain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <unistd.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-draft.h"
#include "store/lk-store-private.h"
#include "sync/lk-blob-cache.h"
#include "lk-demo-letters.h"
#include "lk-demo-pdf.h"
#include "lk-demo-seed.h"
#include "lk-server-auth.h"

#define DAYS_BACK        60
#define EMAIL_DOMAIN     "contoh.example"
#define WIB_OFFSET       (7 * 3600)
/* Cases awaiting signature that get a rendered letter draft, so that the
 * demo signer has letters to sign; the rest say "no letter draft" (each
 * draft is a PDF of about 25 KB, and a 100 000-case seed has 10 000 such
 * cases). */
#define DEMO_MAX_DRAFTS  60
/* The demo signer's position and NIP (invented), shown on the stamp. */
#define DEMO_SIGNER_POSITION "Kepala Dinas Penanaman Modal dan PTSP"
#define DEMO_SIGNER_NIP      "197805122005011003"

typedef struct
{
  const char *code;
  const char *name;
  const char *address;
  const char *nik_code;           /* kecamatan part of the NIK */
  const char *kelurahan[8];
} UnitInfo;

typedef struct
{
  const char *code;
  const char *name;
  int         sla_days;
  const char *number_format;
  gboolean    needs_business;
  gboolean    at_kecamatan;       /* issued by the kecamatan offices, else by DPMPTSP */
  const char *requirements[6];
  LkDemoDoc   documents[6];       /* the document kind of each requirement */
} ServiceInfo;

typedef struct
{
  const char *username;
  const char *display_name;
  const char *role;
} UserInfo;

static const UnitInfo units[] = {
  { "DPMPTSP", "DPMPTSP Kota Pontianak", "Jl. Rahadi Usman, Kota Pontianak", NULL, { NULL } },
  { "PTK-KOTA", "Kecamatan Pontianak Kota", "Jl. Sultan Abdurrahman, Kota Pontianak", "05",
    { "Darat Sekip", "Tengah", "Mariana", "Sungai Bangkong", "Sungai Jawi", NULL } },
  { "PTK-BARAT", "Kecamatan Pontianak Barat", "Jl. Komyos Sudarso, Kota Pontianak", "03",
    { "Sungai Beliung", "Pal Lima", "Sungai Jawi Luar", NULL } },
  { "PTK-SELATAN", "Kecamatan Pontianak Selatan", "Jl. Ahmad Yani, Kota Pontianak", "01",
    { "Benua Melayu Darat", "Parit Tokaya", "Akcaya", "Kota Baru", "Benua Melayu Laut", NULL } },
  { "PTK-TIMUR", "Kecamatan Pontianak Timur", "Jl. Tanjung Raya, Kota Pontianak", "02",
    { "Saigon", "Tanjung Hulu", "Tambelan Sampit", "Banjar Serasan", "Dalam Bugis", "Parit Mayor", NULL } },
  { "PTK-UTARA", "Kecamatan Pontianak Utara", "Jl. Khatulistiwa, Kota Pontianak", "04",
    { "Siantan Hilir", "Siantan Tengah", "Siantan Hulu", "Batu Layang", NULL } },
  { "PTK-TENGGARA", "Kecamatan Pontianak Tenggara", "Jl. Sepakat, Kota Pontianak", "06",
    { "Bangka Belitung Laut", "Bangka Belitung Darat", "Bansir Laut", "Bansir Darat", NULL } },
};

static const ServiceInfo services[] = {
  { "SKD", "Surat Keterangan Domisili", 2, "470/{seq:04}/{unit}/{year}", FALSE, TRUE,
    { "Surat pengantar RT/RW", "Fotokopi KTP", "Fotokopi Kartu Keluarga", "Pas foto 3x4", NULL },
    { LK_DEMO_DOC_PENGANTAR, LK_DEMO_DOC_KTP, LK_DEMO_DOC_KK, LK_DEMO_DOC_PAS_FOTO } },
  { "SKU", "Surat Keterangan Usaha", 3, "503/{seq:04}/{unit}/{year}", TRUE, TRUE,
    { "Surat pengantar RT/RW", "Fotokopi KTP", "Fotokopi Kartu Keluarga", "Foto tempat usaha",
      "Denah lokasi usaha", NULL },
    { LK_DEMO_DOC_PENGANTAR, LK_DEMO_DOC_KTP, LK_DEMO_DOC_KK, LK_DEMO_DOC_FOTO_USAHA,
      LK_DEMO_DOC_DENAH } },
  { "SKTM", "Surat Keterangan Tidak Mampu", 2, "400/{seq:04}/{unit}/{year}", FALSE, TRUE,
    { "Surat pengantar RT/RW", "Fotokopi KTP", "Fotokopi Kartu Keluarga",
      "Surat pernyataan tidak mampu", NULL },
    { LK_DEMO_DOC_PENGANTAR, LK_DEMO_DOC_KTP, LK_DEMO_DOC_KK, LK_DEMO_DOC_PERNYATAAN } },
  { "IUMK", "Izin Usaha Mikro Kecil", 5, "503/{seq:04}/IUMK/{unit}/{year}", TRUE, TRUE,
    { "Fotokopi KTP", "Fotokopi Kartu Keluarga", "Surat keterangan usaha dari kelurahan",
      "Pas foto 4x6", "Denah lokasi usaha", NULL },
    { LK_DEMO_DOC_KTP, LK_DEMO_DOC_KK, LK_DEMO_DOC_SKU, LK_DEMO_DOC_PAS_FOTO, LK_DEMO_DOC_DENAH } },
  { "IR", "Izin Reklame", 7, "503/{seq:04}/IR/{unit}/{year}", TRUE, FALSE,
    { "Fotokopi KTP", "Desain dan ukuran reklame", "Denah lokasi pemasangan",
      "Surat persetujuan pemilik lahan", NULL },
    { LK_DEMO_DOC_KTP, LK_DEMO_DOC_REKLAME, LK_DEMO_DOC_DENAH, LK_DEMO_DOC_PERSETUJUAN } },
  { "SIP", "Surat Izin Praktik", 10, "503/{seq:04}/SIP/{unit}/{year}", FALSE, FALSE,
    { "Fotokopi KTP", "Fotokopi STR yang masih berlaku", "Surat rekomendasi organisasi profesi",
      "Pas foto 4x6", NULL },
    { LK_DEMO_DOC_KTP, LK_DEMO_DOC_STR, LK_DEMO_DOC_REKOMENDASI, LK_DEMO_DOC_PAS_FOTO } },
};

enum { USER_OFFICER, USER_SIGNER, USER_INSPECTOR, USER_ADMIN, USER_LOCAL_OFFICER, N_USERS };

/* All demo users work in every unit but the last, an officer of one
 * kecamatan only (units[1]): the demo of unit scoping, and the tests' user
 * with an "other" unit. */
static const UserInfo users[N_USERS] = {
  [USER_OFFICER]       = { "petugas", "Petugas Demo", "officer" },
  [USER_SIGNER]        = { "pejabat", "Pejabat Demo", "signer" },
  [USER_INSPECTOR]     = { "pemeriksa", "Pemeriksa Demo", "inspector" },
  [USER_ADMIN]         = { "admin", "Admin Demo", "admin" },
  [USER_LOCAL_OFFICER] = { "petugas-kota", "Petugas Kecamatan Pontianak Kota", "officer" },
};

static const struct { const char *name; gboolean female; } first_names[] = {
  { "Agus", FALSE }, { "Budi", FALSE }, { "Siti", TRUE }, { "Nur", TRUE }, { "Rahmat", FALSE },
  { "Hendra", FALSE }, { "Yuliana", TRUE }, { "Rina", TRUE }, { "Fajar", FALSE }, { "Dian", TRUE },
  { "Eka", TRUE }, { "Maya", TRUE }, { "Wahyu", FALSE }, { "Indah", TRUE }, { "Rizky", FALSE },
  { "Sri", TRUE }, { "Andi", FALSE }, { "Putri", TRUE }, { "Hadi", FALSE }, { "Lina", TRUE },
  { "Ahmad", FALSE }, { "Muhammad", FALSE }, { "Fitri", TRUE }, { "Nurul", TRUE }, { "Abdul", FALSE },
  { "Yohanes", FALSE }, { "Maria", TRUE }, { "Stefanus", FALSE }, { "Herman", FALSE }, { "Wulan", TRUE },
  { "Dedi", FALSE }, { "Ratna", TRUE }, { "Joko", FALSE }, { "Citra", TRUE }, { "Yusuf", FALSE },
  { "Ayu", TRUE }, { "Irwan", FALSE }, { "Melati", TRUE }, { "Bayu", FALSE }, { "Sari", TRUE },
};

static const char * const last_names[] = {
  "Saputra", "Pratama", "Hidayat", "Santoso", "Wijaya", "Lestari", "Rahman", "Setiawan",
  "Kurniawan", "Susanto", "Firmansyah", "Ramadhan", "Nugroho", "Halim", "Tanjung", "Siregar",
  "Syahputra", "Maulana", "Gunawan", "Permata", "Anggraini", "Hasibuan", "Purnomo", "Sulistyo",
  "Utami", "Wibowo", "Fauzi", "Handoko", "Kusuma", "Yulianti",
};

static const char * const streets[] = {
  "Jl. Gajah Mada", "Jl. Tanjungpura", "Jl. Ahmad Yani", "Jl. Imam Bonjol", "Jl. Perdana",
  "Jl. Purnama", "Jl. Dr. Wahidin", "Jl. Hasanuddin", "Jl. Khatulistiwa", "Jl. Merdeka",
  "Jl. Veteran", "Jl. Reformasi", "Jl. Parit Haji Husin", "Jl. Sungai Raya Dalam",
  "Jl. Karya Baru", "Jl. Sepakat II", "Jl. Ampera", "Jl. Danau Sentarum",
};

static const char * const phone_prefixes[] = {
  "11", "12", "13", "21", "22", "23", "51", "52", "53", "55", "56", "57", "58",
  "77", "78", "81", "82", "83", "95", "96", "97", "98",
};

static const char * const biz_a[] = { "UD", "CV", "Toko", "Warung", "Bengkel", "Kedai", "Usaha", "Depot" };
static const char * const biz_b[] = { "Sumber", "Maju", "Berkah", "Sinar", "Cahaya", "Karya", "Mitra", "Jaya" };
static const char * const biz_c[] = { "Rezeki", "Bersama", "Abadi", "Khatulistiwa", "Kapuas", "Mandiri",
                                      "Sejahtera", "Makmur" };

static const char * const reasons_incomplete[] = {
  "Fotokopi KTP tidak terbaca, mohon unggah ulang.",
  "Surat pengantar RT/RW belum ditandatangani.",
  "Dokumen persyaratan belum lengkap.",
};
static const char * const reasons_rejected[] = {
  "Data usaha tidak sesuai dengan hasil pemeriksaan lapangan.",
  "Alamat berada di luar wilayah pelayanan.",
  "Persyaratan tidak dilengkapi dalam batas waktu.",
};
static const char * const reasons_cancelled[] = {
  "Dibatalkan atas permintaan pemohon.",
  "Permohonan ganda.",
};

/* Relative weights of the final states, in LkCaseState order. */
static const int state_weights[LK_N_CASE_STATES] = { 10, 12, 8, 8, 5, 6, 5, 10, 8, 20, 8 };

typedef struct
{
  LkStore   *store;
  GRand     *rand;
  GPtrArray *pool;                     /* LkDemoPdf */
  GTimeZone *tz;
  gint64     end;                      /* demo "now": 16:00 WIB on today */
  gint64     start;                    /* 00:00 WIB on today */
  char      *unit_ids[G_N_ELEMENTS (units)];
  char      *service_ids[G_N_ELEMENTS (services)];
  GRand     *draft_rand;
  guint      n_drafts;
  char      *user_ids[N_USERS];
  LkDemoLetters *letters;              /* templates, numbers and drafts */
  const char *public_url;              /* the QR codes' base */
} Seeder;

#define PICK(rand, array) (array[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static char *
make_uuid (GRand *rand)
{
  guint32 w[4];

  for (int i = 0; i < 4; i++)
    w[i] = g_rand_int (rand);
  w[1] = (w[1] & 0xffff0fffu) | 0x00004000u;   /* version 4 */
  w[2] = (w[2] & 0x3fffffffu) | 0x80000000u;   /* RFC 4122 variant */

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xffff, w[2] >> 16, w[2] & 0xffff, w[3]);
}

static void
append_digits (GString *s,
               GRand   *rand,
               int      n)
{
  for (int i = 0; i < n; i++)
    g_string_append_c (s, '0' + g_rand_int_range (rand, 0, 10));
}

static char *
format_date (GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

static void
local_date (Seeder *s,
            gint64  t,
            GDate  *out)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, s->tz);

  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
}

static char *
sla_due_date (Seeder *s,
              gint64  created_at,
              int     sla_days)
{
  GDate date;

  local_date (s, created_at, &date);
  while (sla_days > 0)
    {
      GDateWeekday wd;

      g_date_add_days (&date, 1);
      wd = g_date_get_weekday (&date);
      if (wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY)
        sla_days--;
    }

  return format_date (&date);
}

static gboolean
upsert (Seeder      *s,
        const char  *kind,
        JsonObject  *record,
        GError     **error)
{
  gboolean ok = lk_store_upsert_json (s->store, kind, record, error);

  if (!ok)
    g_prefix_error (error, _("Could not write demo %s: "), kind);
  json_object_unref (record);

  return ok;
}

static gboolean
seed_units_and_services (Seeder  *s,
                         GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      JsonObject *o = json_object_new ();

      s->unit_ids[i] = make_uuid (s->rand);
      json_object_set_string_member (o, "id", s->unit_ids[i]);
      json_object_set_string_member (o, "code", units[i].code);
      json_object_set_string_member (o, "name", units[i].name);
      json_object_set_string_member (o, "address", units[i].address);
      json_object_set_int_member (o, "version", 1);
      if (!upsert (s, LK_KIND_UNIT, o, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      JsonObject *o = json_object_new ();
      JsonArray *reqs = json_array_new ();

      for (guint r = 0; services[i].requirements[r] != NULL; r++)
        json_array_add_string_element (reqs, services[i].requirements[r]);

      s->service_ids[i] = make_uuid (s->rand);
      json_object_set_string_member (o, "id", s->service_ids[i]);
      json_object_set_string_member (o, "code", services[i].code);
      json_object_set_string_member (o, "name", services[i].name);
      json_object_set_int_member (o, "sla_days", services[i].sla_days);
      json_object_set_string_member (o, "number_format", services[i].number_format);
      json_object_set_boolean_member (o, "needs_business", services[i].needs_business);
      json_object_set_array_member (o, "requirements", reqs);
      json_object_set_int_member (o, "version", 1);
      if (!upsert (s, LK_KIND_SERVICE_TYPE, o, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_blob (Seeder        *s,
             const char    *sha256,
             gconstpointer  data,
             gsize          size,
             GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (s->store,
                           "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, (gint64) size);
  sqlite3_bind_blob64 (stmt, 3, data, size, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (s->store, error, "Saving a demo document");
      return FALSE;
    }
  return TRUE;
}

static gboolean
seed_blobs (Seeder  *s,
            GError **error)
{
  for (guint i = 0; i < s->pool->len; i++)
    {
      LkDemoPdf *pdf = g_ptr_array_index (s->pool, i);
      gsize size;
      gconstpointer data = g_bytes_get_data (pdf->data, &size);

      if (!insert_blob (s, pdf->sha256, data, size, error))
        return FALSE;
    }

  return TRUE;
}

/* The letter draft of a case awaiting signature, as an officer's desk
 * would have prepared it (`loketctl letter draft`), at AT: rendered with
 * the service type's template, with a number issued for the case and a
 * letter id (lk-demo-letters.c), so that the demo signer can sign it. */
static gboolean
seed_draft (Seeder      *s,
            const char  *case_id,
            const char  *receipt,
            const char  *service_id,
            guint        unit_index,
            guint        position,
            gint64       at,
            GError     **error)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) date = g_date_time_to_timezone (utc, s->tz);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *name = NULL;
  JsonObject *o;

  bytes = lk_demo_letters_render_draft (s->letters, case_id, service_id, s->unit_ids[unit_index],
                                        units[unit_index].code, units[unit_index].name,
                                        units[unit_index].address, date, error);
  if (bytes == NULL)
    return FALSE;
  sha256 = lk_blob_compute_sha256 (bytes);
  if (!insert_blob (s, sha256, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;

  doc_id = make_uuid (s->draft_rand);
  name = lk_letter_draft_document_name (receipt);
  o = json_object_new ();
  json_object_set_string_member (o, "id", doc_id);
  json_object_set_string_member (o, "case_id", case_id);
  json_object_set_string_member (o, "name", name);
  json_object_set_string_member (o, "mime_type", "application/pdf");
  json_object_set_int_member (o, "size", (gint64) g_bytes_get_size (bytes));
  json_object_set_string_member (o, "sha256", sha256);
  json_object_set_int_member (o, "position", position);
  json_object_set_int_member (o, "version", 1);
  return upsert (s, LK_KIND_DOCUMENT, o, error);
}

/* The letters' part (after the users: numbers are issued to the officer). */
static gboolean
seed_templates (Seeder   *s,
                guint32   seed,
                GError  **error)
{
  s->letters = lk_demo_letters_new (s->store, seed, s->public_url, s->user_ids[USER_OFFICER]);
  return lk_demo_letters_seed_templates (s->letters, users[USER_ADMIN].username, s->start - 30 * 86400, error);
}

static gboolean
seed_users (Seeder  *s,
            GError **error)
{
  /* The later users take their ids from a generator of their own, so the
   * rest of the demo data stays what it was. */
  g_autoptr(GRand) user_rand = g_rand_new_with_seed (0x6b6f7461);

  for (guint u = 0; u < N_USERS; u++)
    {
      char *id = make_uuid (u < USER_LOCAL_OFFICER ? s->rand : user_rand);
      g_autofree char *hash = lk_auth_hash_password (LK_DEMO_PASSWORD, error);
      sqlite3_stmt *stmt;
      int rc;

      s->user_ids[u] = id;
      if (hash == NULL)
        return FALSE;

      /* The signer's position and NIP go on the stamp of every letter. */
      stmt = lk_store_prepare (s->store,
                               "INSERT OR REPLACE INTO users "
                               "(id, username, display_name, role, password_hash, version, position, nip) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, users[u].username, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, users[u].display_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, users[u].role, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, hash, -1, SQLITE_STATIC);
      if (u == USER_SIGNER)
        {
          sqlite3_bind_text (stmt, 6, DEMO_SIGNER_POSITION, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 7, DEMO_SIGNER_NIP, -1, SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_null (stmt, 6);
          sqlite3_bind_null (stmt, 7);
        }
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_sql_error (s->store, error, "Saving a demo user");
          return FALSE;
        }

      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        {
          if (u == USER_LOCAL_OFFICER && i != 1)
            continue;

          stmt = lk_store_prepare (s->store,
                                   "INSERT OR IGNORE INTO user_units (user_id, unit_id) VALUES (?1, ?2)",
                                   error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, s->unit_ids[i], -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            {
              lk_store_set_sql_error (s->store, error, "Assigning a demo user to a unit");
              return FALSE;
            }
        }
    }

  return TRUE;
}

static LkCaseState
pick_state (GRand *rand,
            guint  index)
{
  int total = 0, r;

  /* The first cases cover every state, so that even a tiny seed has all. */
  if (index < LK_N_CASE_STATES)
    return (LkCaseState) index;

  for (int i = 0; i < LK_N_CASE_STATES; i++)
    total += state_weights[i];
  r = g_rand_int_range (rand, 0, total);
  for (int i = 0; i < LK_N_CASE_STATES; i++)
    {
      if (r < state_weights[i])
        return (LkCaseState) i;
      r -= state_weights[i];
    }

  g_assert_not_reached ();
}

/* The states the case went through, ending in final; returns the length. */
static guint
build_path (GRand       *rand,
            LkCaseState  final,
            gboolean     business,
            LkCaseState  path[16])
{
  guint n = 0;

  path[n++] = LK_CASE_STATE_SUBMITTED;

  if (final == LK_CASE_STATE_CANCELLED)
    {
      static const LkCaseState before[] = {
        LK_CASE_STATE_SUBMITTED, LK_CASE_STATE_VERIFYING, LK_CASE_STATE_INCOMPLETE,
      };
      LkCaseState stop = PICK (rand, before);

      if (stop != LK_CASE_STATE_SUBMITTED)
        path[n++] = LK_CASE_STATE_VERIFYING;
      if (stop == LK_CASE_STATE_INCOMPLETE)
        path[n++] = LK_CASE_STATE_INCOMPLETE;
      path[n++] = LK_CASE_STATE_CANCELLED;
      return n;
    }

  if (final == LK_CASE_STATE_SUBMITTED)
    return n;
  path[n++] = LK_CASE_STATE_VERIFYING;
  if (final == LK_CASE_STATE_VERIFYING)
    return n;
  if (final == LK_CASE_STATE_INCOMPLETE)
    {
      path[n++] = LK_CASE_STATE_INCOMPLETE;
      return n;
    }
  if (g_rand_int_range (rand, 0, 4) == 0)
    {
      path[n++] = LK_CASE_STATE_INCOMPLETE;
      path[n++] = LK_CASE_STATE_VERIFYING;
    }
  path[n++] = LK_CASE_STATE_VERIFIED;
  if (final == LK_CASE_STATE_VERIFIED)
    return n;
  if (final == LK_CASE_STATE_INSPECTION ||
      (business && g_rand_int_range (rand, 0, 3) == 0))
    path[n++] = LK_CASE_STATE_INSPECTION;
  if (final == LK_CASE_STATE_INSPECTION)
    return n;
  if (final == LK_CASE_STATE_REJECTED)
    {
      path[n++] = LK_CASE_STATE_REJECTED;
      return n;
    }
  path[n++] = LK_CASE_STATE_APPROVED;
  if (final == LK_CASE_STATE_APPROVED)
    return n;
  path[n++] = LK_CASE_STATE_AWAITING_SIGNATURE;
  if (final == LK_CASE_STATE_AWAITING_SIGNATURE)
    return n;
  path[n++] = LK_CASE_STATE_SIGNED;
  if (final == LK_CASE_STATE_SIGNED)
    return n;
  path[n++] = LK_CASE_STATE_DELIVERED;
  g_assert (final == LK_CASE_STATE_DELIVERED);

  return n;
}

static const char *
actor_for (LkCaseState to)
{
  switch (to)
    {
    case LK_CASE_STATE_INSPECTION:
      return users[USER_INSPECTOR].display_name;
    case LK_CASE_STATE_SIGNED:
      return users[USER_SIGNER].display_name;
    case LK_CASE_STATE_SUBMITTED:
    case LK_CASE_STATE_VERIFYING:
    case LK_CASE_STATE_INCOMPLETE:
    case LK_CASE_STATE_VERIFIED:
    case LK_CASE_STATE_APPROVED:
    case LK_CASE_STATE_REJECTED:
    case LK_CASE_STATE_AWAITING_SIGNATURE:
    case LK_CASE_STATE_DELIVERED:
    case LK_CASE_STATE_CANCELLED:
    case LK_CASE_STATE_INVALID:
    default:
      return users[USER_OFFICER].display_name;
    }
}

static const char *
reason_for (GRand       *rand,
            LkCaseState  to)
{
  switch (to)
    {
    case LK_CASE_STATE_INCOMPLETE:
      return PICK (rand, reasons_incomplete);
    case LK_CASE_STATE_REJECTED:
      return PICK (rand, reasons_rejected);
    case LK_CASE_STATE_CANCELLED:
      return PICK (rand, reasons_cancelled);
    case LK_CASE_STATE_INSPECTION:
      return "Pemeriksaan lapangan atas data usaha.";
    case LK_CASE_STATE_DELIVERED:
      return "Surat dikirim ke surel pemohon.";
    case LK_CASE_STATE_SUBMITTED:
    case LK_CASE_STATE_VERIFYING:
    case LK_CASE_STATE_VERIFIED:
    case LK_CASE_STATE_APPROVED:
    case LK_CASE_STATE_AWAITING_SIGNATURE:
    case LK_CASE_STATE_SIGNED:
    case LK_CASE_STATE_INVALID:
    default:
      return NULL;
    }
}

static gboolean
seed_case (Seeder  *s,
           guint    index,
           GError **error)
{
  GRand *rand = s->rand;
  LkCaseState final = pick_state (rand, index);
  LkCaseState path[16];
  const ServiceInfo *svc;
  guint svc_index, unit_index, kec_index, n_path, n_reqs, n_docs;
  gboolean female;
  g_autofree char *case_id = make_uuid (rand);
  g_autofree char *first = NULL, *last = NULL, *name = NULL, *email = NULL, *receipt = NULL;
  g_autoptr(GString) nik = g_string_new ("6171");
  g_autoptr(GString) phone = g_string_new ("08");
  g_autofree char *address = NULL;
  g_autofree char *business = NULL;
  g_autoptr(GString) nib = NULL;
  g_autofree char *sla_due = NULL;
  gint64 created_at, at;
  GDate created_date;
  JsonObject *o;
  int fi, byear, bmonth, bday;

  /* Inspection only happens to businesses. */
  do
    svc_index = g_rand_int_range (rand, 0, G_N_ELEMENTS (services));
  while (final == LK_CASE_STATE_INSPECTION && !services[svc_index].needs_business);
  svc = &services[svc_index];

  if (svc->at_kecamatan)
    unit_index = g_rand_int_range (rand, 1, G_N_ELEMENTS (units));
  else
    unit_index = 0;
  kec_index = unit_index != 0 ? unit_index : (guint) g_rand_int_range (rand, 1, G_N_ELEMENTS (units));

  /* Applicant */
  fi = g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names));
  female = first_names[fi].female;
  first = g_strdup (first_names[fi].name);
  last = g_strdup (PICK (rand, last_names));
  name = g_strdup_printf ("%s %s", first, last);
  {
    g_autofree char *f = g_ascii_strdown (first, -1);
    g_autofree char *l = g_ascii_strdown (last, -1);

    email = g_strdup_printf ("%s.%s%d@" EMAIL_DOMAIN, f, l, g_rand_int_range (rand, 1, 1000));
  }

  byear = g_rand_int_range (rand, 1960, 2006);
  bmonth = g_rand_int_range (rand, 1, 13);
  bday = g_rand_int_range (rand, 1, 29);
  g_string_append_printf (nik, "%s%02d%02d%02d", units[kec_index].nik_code,
                          bday + (female ? 40 : 0), bmonth, byear % 100);
  g_string_append_printf (nik, "%04d", g_rand_int_range (rand, 1, 10000));

  g_string_append (phone, PICK (rand, phone_prefixes));
  append_digits (phone, rand, 8);

  {
    const char * const *kel = units[kec_index].kelurahan;
    guint n_kel = g_strv_length ((char **) kel);

    address = g_strdup_printf ("%s No. %d, RT %03d/RW %03d, Kel. %s, %s, Kota Pontianak",
                               PICK (rand, streets), g_rand_int_range (rand, 1, 200),
                               g_rand_int_range (rand, 1, 12), g_rand_int_range (rand, 1, 20),
                               kel[g_rand_int_range (rand, 0, n_kel)],
                               units[kec_index].name);
  }

  if (svc->needs_business)
    {
      business = g_strdup_printf ("%s %s %s", PICK (rand, biz_a), PICK (rand, biz_b), PICK (rand, biz_c));
      nib = g_string_new ("912");
      append_digits (nib, rand, 10);
    }

  /* Times */
  created_at = s->start - (gint64) g_rand_int_range (rand, 1, DAYS_BACK + 1) * 86400
               + g_rand_int_range (rand, 6 * 3600, 22 * 3600);
  local_date (s, created_at, &created_date);
  receipt = g_strdup_printf ("%s-%04d%02d%02d-%06u", svc->code,
                             g_date_get_year (&created_date), g_date_get_month (&created_date),
                             g_date_get_day (&created_date), index + 1);

  n_path = build_path (rand, final, svc->needs_business, path);
  if (lk_case_state_is_open (final))
    sla_due = sla_due_date (s, created_at, svc->sla_days);

  /* History times, all between creation and the demo "now". */
  {
    gint64 times[16];
    gint64 step = (s->end - created_at) / (gint64) (n_path + 1);

    times[0] = created_at;
    for (guint k = 1; k < n_path; k++)
      times[k] = times[k - 1] + step / 2 + g_rand_int_range (rand, 0, (gint32) MAX (1, step / 2));
    at = times[n_path - 1];

    o = json_object_new ();
    json_object_set_string_member (o, "id", case_id);
    json_object_set_string_member (o, "receipt", receipt);
    json_object_set_string_member (o, "service_type", s->service_ids[svc_index]);
    json_object_set_string_member (o, "unit", s->unit_ids[unit_index]);
    json_object_set_string_member (o, "state", lk_case_state_to_string (final));
    json_object_set_string_member (o, "applicant_name", name);
    json_object_set_string_member (o, "nik", nik->str);
    json_object_set_string_member (o, "email", email);
    json_object_set_string_member (o, "phone", phone->str);
    json_object_set_string_member (o, "address", address);
    if (business != NULL)
      {
        json_object_set_string_member (o, "business_name", business);
        json_object_set_string_member (o, "nib", nib->str);
      }
    else
      {
        json_object_set_null_member (o, "business_name");
        json_object_set_null_member (o, "nib");
      }
    json_object_set_int_member (o, "created_at", created_at);
    json_object_set_int_member (o, "updated_at", at);
    if (sla_due != NULL)
      json_object_set_string_member (o, "sla_due", sla_due);
    else
      json_object_set_null_member (o, "sla_due");
    json_object_set_int_member (o, "version", 1);
    if (!upsert (s, LK_KIND_CASE, o, error))
      return FALSE;

    /* Documents: the first requirements of the checklist, as uploaded. */
    for (n_reqs = 0; svc->requirements[n_reqs] != NULL; n_reqs++)
      ;
    n_docs = g_rand_int_range (rand, 1, MIN (4, n_reqs) + 1);
    for (guint d = 0; d < n_docs; d++)
      {
        guint pool_index = svc->documents[d] * LK_DEMO_PDF_VARIANTS
                           + g_rand_int_range (rand, 0, LK_DEMO_PDF_VARIANTS);
        LkDemoPdf *pdf = g_ptr_array_index (s->pool, pool_index);
        g_autofree char *doc_id = make_uuid (rand);
        g_autofree char *doc_name = g_strdup_printf ("%s.pdf", svc->requirements[d]);

        o = json_object_new ();
        json_object_set_string_member (o, "id", doc_id);
        json_object_set_string_member (o, "case_id", case_id);
        json_object_set_string_member (o, "name", doc_name);
        json_object_set_string_member (o, "mime_type", "application/pdf");
        json_object_set_int_member (o, "size", (gint64) g_bytes_get_size (pdf->data));
        json_object_set_string_member (o, "sha256", pdf->sha256);
        json_object_set_int_member (o, "position", d);
        json_object_set_int_member (o, "version", 1);
        if (!upsert (s, LK_KIND_DOCUMENT, o, error))
          return FALSE;
      }

    /* Its own random stream: the cases stay what they were without it. */
    if (final == LK_CASE_STATE_AWAITING_SIGNATURE && s->n_drafts < DEMO_MAX_DRAFTS)
      {
        s->n_drafts++;
        if (!seed_draft (s, case_id, receipt, s->service_ids[svc_index], unit_index, n_docs, at, error))
          return FALSE;
      }

    for (guint k = 0; k < n_path; k++)
      {
        g_autofree char *hist_id = make_uuid (rand);
        const char *reason = reason_for (rand, path[k]);

        o = json_object_new ();
        json_object_set_string_member (o, "id", hist_id);
        json_object_set_string_member (o, "case_id", case_id);
        if (k == 0)
          json_object_set_null_member (o, "from_state");
        else
          json_object_set_string_member (o, "from_state", lk_case_state_to_string (path[k - 1]));
        json_object_set_string_member (o, "to_state", lk_case_state_to_string (path[k]));
        json_object_set_string_member (o, "actor", actor_for (path[k]));
        json_object_set_int_member (o, "at", times[k]);
        if (reason != NULL)
          json_object_set_string_member (o, "reason", reason);
        else
          json_object_set_null_member (o, "reason");
        json_object_set_int_member (o, "version", 1);
        if (!upsert (s, LK_KIND_HISTORY, o, error))
          return FALSE;
      }
  }

  return TRUE;
}

gboolean
lk_demo_seed (LkStore  *store,
              guint     n_cases,
              guint32   seed,
              GDate    *today,
              GError  **error)
{
  return lk_demo_seed_full (store, n_cases, seed, today, NULL, error);
}

gboolean
lk_demo_seed_full (LkStore    *store,
                   guint       n_cases,
                   guint32     seed,
                   GDate      *today,
                   const char *public_url,
                   GError    **error)
{
  g_autoptr(GRand) pdf_rand = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autofree char *today_s = NULL;
  Seeder s = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  if (lk_store_count (store, LK_KIND_CASE) > 0)
    {
      g_info ("The database already holds cases; no demo data added");
      return TRUE;
    }

  today_s = format_date (today);
  pdf_rand = g_rand_new_with_seed (seed ^ 0x5eedf00du);

  s.store = store;
  s.rand = g_rand_new_with_seed (seed);
  s.draft_rand = g_rand_new_with_seed (seed ^ 0xd4af7u);
  s.public_url = public_url != NULL ? public_url : LK_DEMO_PUBLIC_URL;
  s.tz = g_time_zone_new_offset (WIB_OFFSET);
  midnight = g_date_time_new (s.tz, g_date_get_year (today), g_date_get_month (today),
                              g_date_get_day (today), 0, 0, 0);
  s.start = g_date_time_to_unix (midnight);
  s.end = s.start + 16 * 3600;

  s.pool = lk_demo_pdf_make_pool (pdf_rand, today_s, error);
  if (s.pool == NULL)
    goto out;

  /* One big transaction: a larger page cache keeps SQLite from spilling
   * dirty pages to the WAL, and statement journals (every upsert fires the
   * change-feed triggers) stay in memory instead of a temporary file. */
  if (!lk_store_exec (store, "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY", error) ||
      !lk_store_begin (store, error))
    goto out;

  if (!seed_units_and_services (&s, error) ||
      !seed_blobs (&s, error) ||
      !seed_users (&s, error) ||
      !seed_templates (&s, seed, error))
    {
      lk_store_rollback (store);
      goto out;
    }

  for (guint i = 0; i < n_cases; i++)
    if (!seed_case (&s, i, error))
      {
        lk_store_rollback (store);
        goto out;
      }

  if (!lk_demo_letters_finish (s.letters, error))
    {
      lk_store_rollback (store);
      goto out;
    }

  ok = lk_store_commit (store, error);
  if (ok)
    ok = lk_store_exec (store, "PRAGMA cache_size = -2000", error);

out:
  g_clear_pointer (&s.pool, g_ptr_array_unref);
  g_clear_pointer (&s.draft_rand, g_rand_free);
  g_clear_pointer (&s.letters, lk_demo_letters_free);
  for (guint u = 0; u < N_USERS; u++)
    g_free (s.user_ids[u]);
  g_clear_pointer (&s.rand, g_rand_free);
  g_clear_pointer (&s.tz, g_time_zone_unref);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    g_free (s.unit_ids[i]);
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    g_free (s.service_ids[i]);

  return ok;
}
