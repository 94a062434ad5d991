/* lk-demo-letters.c — the demo seed's letter templates and numbered drafts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-demo"

#include "config.h"

#include <unistd.h>
#include <glib/gstdio.h>

#include "letter/lk-letter-template.h"
#include "store/lk-store-private.h"
#include "sync/lk-numbers.h"
#include "lk-demo-letters.h"

#define DEMO_AGENCY "PEMERINTAH KOTA PONTIANAK"

struct _LkDemoLetters
{
  LkStore    *store;
  GRand      *rand;          /* letter ids */
  char       *public_url;
  char       *officer_id;
  GPtrArray  *service_types; /* LkServiceType, read once */
  GHashTable *next_seq;      /* "format\x1funit\x1fyear" → gint64 *: the next sequence */
};

/* A letter id (lk_letter_new_id's alphabet) from the seed's own stream. */
static char *
make_letter_id (LkDemoLetters *self)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  char *id = g_new (char, LK_LETTER_ID_LENGTH + 1);

  for (guint i = 0; i < LK_LETTER_ID_LENGTH; i++)
    id[i] = alphabet[g_rand_int_range (self->rand, 0, 32)];
  id[LK_LETTER_ID_LENGTH] = '\0';
  return id;
}

static LkServiceType *
find_service (LkDemoLetters  *self,
              const char     *service_id,
              GError        **error)
{
  if (self->service_types == NULL)
    {
      self->service_types = lk_store_list_service_types (self->store, error);
      if (self->service_types == NULL)
        return NULL;
    }
  for (guint i = 0; i < self->service_types->len; i++)
    if (g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (self->service_types, i)), service_id) == 0)
      return g_ptr_array_index (self->service_types, i);

  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, "Demo service type %s not found", service_id);
  return NULL;
}

/* The template of a demo service type: the built-in one with the city's
 * letterhead. */
static LkLetterTemplate *
demo_template (LkServiceType  *service,
               GError        **error)
{
  g_autoptr(LkLetterTemplate) builtin = lk_letter_template_new_default (service);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  JsonObject *root, *letterhead;

  if (builtin == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, "No built-in letter template");
      return NULL;
    }
  json = lk_letter_template_to_json (builtin);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID, "The built-in template is not JSON");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID, "The built-in template is not a JSON object");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  letterhead = json_object_get_object_member (root, "letterhead");
  if (letterhead != NULL)
    json_object_set_string_member (letterhead, "agency", DEMO_AGENCY);
  out = json_to_string (json_parser_get_root (parser), FALSE);
  return lk_letter_template_parse (out, -1, error);
}

/* The next number of FORMAT in UNIT_ID's series of YEAR, recorded as issued
 * to the demo officer for CASE_ID; NULL without error when the format has
 * no sequence. */
static char *
issue_number (LkDemoLetters  *self,
              const char     *format,
              const char     *unit_id,
              const char     *unit_code,
              int             year,
              const char     *case_id,
              gint64          at,
              GError        **error)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%s\x1f%d", format, unit_id, year);
  gint64 *next = g_hash_table_lookup (self->next_seq, key);
  gint64 seq = next != NULL ? *next : 1;
  g_autofree char *number = lk_numbers_format (format, unit_code, year, seq);
  sqlite3_stmt *stmt;
  int rc;

  if (number == NULL)
    return NULL;

  stmt = lk_store_prepare (self->store,
                           "INSERT INTO numbers (number, format, unit, year, seq, status, case_id, "
                           "issued_to, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, 'issued', ?6, ?7, ?8)",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, format, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, unit_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, year);
  sqlite3_bind_int64 (stmt, 5, seq);
  sqlite3_bind_text (stmt, 6, case_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, self->officer_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Issuing a demo letter number");
      return NULL;
    }

  if (next == NULL)
    {
      next = g_new (gint64, 1);
      g_hash_table_insert (self->next_seq, g_steal_pointer (&key), next);
    }
  *next = seq + 1;
  return g_steal_pointer (&number);
}

LkDemoLetters *
lk_demo_letters_new (LkStore    *store,
                     guint32     seed,
                     const char *public_url,
                     const char *officer_id)
{
  LkDemoLetters *self = g_new0 (LkDemoLetters, 1);

  self->store = g_object_ref (store);
  self->rand = g_rand_new_with_seed (seed ^ 0x1e77e5u);
  self->public_url = g_strdup (public_url);
  self->officer_id = g_strdup (officer_id);
  self->next_seq = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
lk_demo_letters_free (LkDemoLetters *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->store);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->service_types, g_ptr_array_unref);
  g_clear_pointer (&self->next_seq, g_hash_table_unref);
  g_free (self->public_url);
  g_free (self->officer_id);
  g_free (self);
}

gboolean
lk_demo_letters_seed_templates (LkDemoLetters  *self,
                                const char     *admin,
                                gint64          at,
                                GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (self->service_types == NULL)
    {
      self->service_types = lk_store_list_service_types (self->store, error);
      if (self->service_types == NULL)
        return FALSE;
    }

  for (guint i = 0; i < self->service_types->len; i++)
    {
      LkServiceType *service = g_ptr_array_index (self->service_types, i);
      g_autoptr(LkLetterTemplate) template = demo_template (service, error);
      g_autoptr(JsonObject) o = NULL;
      g_autofree char *body = NULL;

      if (template == NULL)
        {
          g_prefix_error (error, "The demo template of %s: ", lk_service_type_get_code (service));
          return FALSE;
        }
      body = lk_letter_template_to_json (template);
      o = json_object_new ();
      json_object_set_string_member (o, "id", lk_service_type_get_id (service));
      json_object_set_string_member (o, "service_type", lk_service_type_get_id (service));
      json_object_set_string_member (o, "body", body);
      json_object_set_string_member (o, "updated_by", admin);
      json_object_set_int_member (o, "updated_at", at);
      json_object_set_int_member (o, "version", 1);
      if (!lk_store_upsert_json (self->store, LK_KIND_TEMPLATE, o, error))
        return FALSE;

      /* Every version is in the history, the first one too. */
      stmt = lk_store_prepare (self->store,
                               "INSERT INTO template_history (id, version, body, updated_by, updated_at) "
                               "VALUES (?1, 1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, lk_service_type_get_id (service), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, body, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, admin, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, at);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_sql_error (self->store, error, "Keeping a demo template's first version");
          return FALSE;
        }
    }
  return TRUE;
}

GBytes *
lk_demo_letters_render_draft (LkDemoLetters  *self,
                              const char     *case_id,
                              const char     *service_id,
                              const char     *unit_id,
                              const char     *unit_code,
                              const char     *unit_name,
                              const char     *unit_address,
                              GDateTime      *date,
                              GError        **error)
{
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(GError) number_error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  LkLetterRenderInfo info = { NULL, };
  LkServiceType *service;
  gsize length = 0;
  gboolean ok;
  int fd;

  service = find_service (self, service_id, error);
  if (service == NULL)
    return NULL;
  kase = lk_store_get_case (self->store, case_id, error);
  if (kase == NULL)
    return NULL;
  template = demo_template (service, error);
  if (template == NULL)
    return NULL;

  number = issue_number (self, lk_service_type_get_number_format (service), unit_id, unit_code,
                         g_date_time_get_year (date), case_id, g_date_time_to_unix (date), &number_error);
  if (number_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&number_error));
      return NULL;
    }
  letter_id = make_letter_id (self);

  info.unit_name = unit_name;
  info.unit_address = unit_address;
  info.number = number;
  info.letter_id = letter_id;
  info.public_url = self->public_url;
  info.template_version = 1;
  info.date = date;

  fd = g_file_open_tmp ("loket-demo-draft-XXXXXX.pdf", &path, error);
  if (fd < 0)
    return NULL;
  close (fd);
  ok = lk_letter_template_render (template, kase, service, &info, path, error) &&
       g_file_get_contents (path, &contents, &length, error);
  g_unlink (path);
  if (!ok)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

gboolean
lk_demo_letters_finish (LkDemoLetters  *self,
                        GError        **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->next_seq);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\x1f", 3);
      sqlite3_stmt *stmt;
      int rc;

      stmt = lk_store_prepare (self->store,
                               "INSERT OR REPLACE INTO number_counters (format, unit, year, next_seq) "
                               "VALUES (?1, ?2, ?3, ?4)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, parts[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, parts[1], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, g_ascii_strtoll (parts[2], NULL, 10));
      sqlite3_bind_int64 (stmt, 4, *(gint64 *) value);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_sql_error (self->store, error, "Saving the demo number counters");
          return FALSE;
        }
    }
  return TRUE;
}
