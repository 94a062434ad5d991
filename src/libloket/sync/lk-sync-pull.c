/* lk-sync-pull.c — the change-feed pull of LkSyncClient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sync/lk-sync-client.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-private.h"
#include "sync/lk-sync-page.h"
#include "store/lk-store-private.h"

#define MAX_CURSOR 256  /* bytes in a change-feed cursor */

typedef struct
{
  char    *store_path;
  guint64  records;
} PullData;

static void
pull_data_free (PullData *data)
{
  g_free (data->store_path);
  g_free (data);
}

/* lk_sync_page_apply and lk_sync_page_validate read a page parsed by
 * json-glib; the pull itself uses lk_sync_page_parse and
 * lk_sync_pages_write (below), and tests/fuzz/fuzz-change-page.c checks
 * those against these two. */

/* The records of one kind in a page, in feed order. */
typedef struct
{
  const char *kind;
  GPtrArray  *records;  /* JsonObject, owned by the page */
} KindGroup;

/* Writes one page's records and its cursor into the open transaction. The
 * records are written kind by kind (each kind in feed order): the client
 * keeps no reference between records of different kinds, and one
 * multi-row statement per kind is much cheaper than one per record. */
gboolean
lk_sync_page_apply (LkStore     *store,
                    JsonArray   *changes,
                    const char  *next,
                    GError     **error)
{
  guint n = json_array_get_length (changes);
  /* Records with operations still queued keep their local (optimistic)
   * copy: the push's result brings the server's. One count per page keeps
   * the common case (an empty outbox) free of per-record lookups. */
  gboolean check_outbox = lk_outbox_count (store) > 0;
  KindGroup groups[16];
  guint n_groups = 0;
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < n; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *kind = json_object_get_string_member (change, "kind");
      JsonObject *record = json_object_get_object_member (change, "record");
      KindGroup *group = NULL;

      if (check_outbox &&
          lk_outbox_has_pending (store, json_object_get_string_member_with_default (record, "id", "")))
        continue;

      for (guint g = 0; g < n_groups && group == NULL; g++)
        if (g_strcmp0 (groups[g].kind, kind) == 0)
          group = &groups[g];
      if (group == NULL)
        {
          /* More kinds than the store knows: some of them are unknown. */
          if (n_groups == G_N_ELEMENTS (groups) || !lk_store_kind_is_valid (kind))
            {
              g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                           _("The server sent a change feed page that this version of Loket does not understand"));
              ok = FALSE;
              break;
            }
          group = &groups[n_groups++];
          group->kind = kind;
          group->records = g_ptr_array_sized_new (n);
        }
      g_ptr_array_add (group->records, record);
    }

  for (guint g = 0; g < n_groups; g++)
    {
      g_autoptr(GError) local_error = NULL;

      if (ok && !lk_store_upsert_json_many (store, groups[g].kind,
                                            (JsonObject * const *) groups[g].records->pdata,
                                            groups[g].records->len, &local_error))
        {
          if (g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID))
            g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                         _("The server sent a %s record that is not valid: %s"),
                         groups[g].kind, local_error->message);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      g_ptr_array_unref (groups[g].records);
    }

  return ok && lk_store_set_meta (store, "sync.cursor", next, error);
}

static gboolean
commit_pages (LkStore  *store,
              GError  **error)
{
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);

  if (!lk_store_set_meta (store, "sync.last_pull", now, error))
    {
      lk_store_rollback (store);
      return FALSE;
    }

  /* lk_store_commit rolls back itself when it fails. */
  return lk_store_commit (store, error);
}

/* Checks the shape of a changes page; on success changes and next point
 * into root. */
gboolean
lk_sync_page_validate (JsonNode     *root,
                       JsonArray   **out_changes,
                       char        **out_next,
                       gboolean     *out_more,
                       GError      **error)
{
  JsonObject *object;
  JsonNode *changes_node;
  JsonNode *next_node;
  JsonNode *more_node;
  JsonArray *changes;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    goto malformed;
  object = json_node_get_object (root);

  changes_node = json_object_get_member (object, "changes");
  next_node = json_object_get_member (object, "next");
  more_node = json_object_get_member (object, "more");
  if (changes_node == NULL || !JSON_NODE_HOLDS_ARRAY (changes_node) ||
      next_node == NULL || !JSON_NODE_HOLDS_VALUE (next_node) ||
      more_node == NULL || !JSON_NODE_HOLDS_VALUE (more_node) ||
      json_node_get_value_type (more_node) != G_TYPE_BOOLEAN)
    goto malformed;

  /* The cursor is opaque: a string, though a number is tolerated. */
  if (json_node_get_value_type (next_node) == G_TYPE_STRING)
    {
      const char *next = json_node_get_string (next_node);

      if (next == NULL || strlen (next) > MAX_CURSOR || !g_utf8_validate (next, -1, NULL))
        goto malformed;
      *out_next = g_strdup (next);
    }
  else if (json_node_get_value_type (next_node) == G_TYPE_INT64)
    {
      *out_next = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (next_node));
    }
  else
    {
      goto malformed;
    }

  changes = json_node_get_array (changes_node);
  n = json_array_get_length (changes);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *change_node = json_array_get_element (changes, i);
      JsonObject *change;
      const char *kind;
      JsonNode *record;

      if (!JSON_NODE_HOLDS_OBJECT (change_node))
        goto malformed_free;
      change = json_node_get_object (change_node);
      kind = lk_sync_get_string_member (change, "kind", 64);
      record = json_object_get_member (change, "record");
      if (kind == NULL || !lk_store_kind_is_valid (kind) ||
          record == NULL || !JSON_NODE_HOLDS_OBJECT (record))
        goto malformed_free;
    }

  *out_changes = changes;
  *out_more = json_node_get_boolean (more_node);
  return TRUE;

malformed_free:
  g_clear_pointer (out_next, g_free);
malformed:
  g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
               _("The server sent a change feed page that this version of Loket does not understand"));
  return FALSE;
}

/* ---- the page parser --------------------------------------------------- */

typedef struct
{
  const LkStoreTable *table;
  gsize               first;  /* index of its first value in values */
} PageRecord;

struct _LkSyncPage
{
  char         *buf;      /* the body; strings are unescaped in place */
  LkStoreValue *values;   /* n_columns per record */
  gsize         n_values;
  gsize         values_size;
  PageRecord   *records;
  guint         n_records;
  guint         records_size;
  GPtrArray    *items;    /* the LkStoreValue arrays of string lists */
  char         *next;
  gboolean      more;
};

typedef enum
{
  PARSE_OK,
  PARSE_SYNTAX,     /* not JSON */
  PARSE_DEPTH,      /* nested too deep */
  PARSE_SHAPE,      /* JSON, but not a page this version understands */
} ParseStatus;

typedef struct
{
  char        *p;
  char        *end;
  guint        depth;
  ParseStatus  status;
  LkSyncPage  *page;
} Parser;

static gboolean
fail (Parser      *parser,
      ParseStatus  status)
{
  if (parser->status == PARSE_OK)
    parser->status = status;
  return FALSE;
}

static inline void
skip_ws (Parser *parser)
{
  while (parser->p < parser->end &&
         (*parser->p == ' ' || *parser->p == '\n' || *parser->p == '\r' || *parser->p == '\t'))
    parser->p++;
}

/* Consumes c (after whitespace). */
static inline gboolean
expect (Parser *parser,
        char    c)
{
  skip_ws (parser);
  if (parser->p >= parser->end || *parser->p != c)
    return fail (parser, PARSE_SYNTAX);
  parser->p++;
  return TRUE;
}

static inline gboolean
enter (Parser *parser)
{
  if (++parser->depth > LK_SYNC_PAGE_MAX_DEPTH)
    return fail (parser, PARSE_DEPTH);
  return TRUE;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* A string at p (its opening quote). With decode, its escapes are undone
 * in place and it is NUL-terminated (over its closing quote at the
 * latest): *out and *out_len give it. The body was checked to be UTF-8;
 * escapes give UTF-8 too (surrogates only in pairs, no \u0000). */
static gboolean
parse_string (Parser      *parser,
              gboolean     decode,
              const char **out,
              gsize       *out_len)
{
  char *start, *p, *w, *end = parser->end;

  skip_ws (parser);
  if (parser->p >= end || *parser->p != '"')
    return fail (parser, PARSE_SYNTAX);
  start = p = w = parser->p + 1;

  for (;;)
    {
      guchar c;

      /* The common case: a run of plain bytes. */
      if (w == p)
        {
          while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
            p++;
          w = p;
        }
      if (p >= end)
        return fail (parser, PARSE_SYNTAX);
      c = (guchar) *p;
      if (c == '"')
        break;
      if (c < 0x20)
        return fail (parser, PARSE_SYNTAX);
      if (c != '\\')
        {
          if (decode)
            *w = (char) c;
          w++;
          p++;
          continue;
        }

      if (end - p < 2)
        return fail (parser, PARSE_SYNTAX);
      switch (p[1])
        {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          {
            int cp, lo;
            char utf8[6];
            gint n;

            if (end - p < 6 || (cp = hex4 (p + 2)) < 0)
              return fail (parser, PARSE_SYNTAX);
            p += 6;
            if (cp >= 0xdc00 && cp <= 0xdfff)
              return fail (parser, PARSE_SYNTAX);  /* a lone low surrogate */
            if (cp >= 0xd800 && cp <= 0xdbff)
              {
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                    (lo = hex4 (p + 2)) < 0xdc00 || lo > 0xdfff)
                  return fail (parser, PARSE_SYNTAX);  /* a lone high surrogate */
                p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              }
            if (cp == 0)
              return fail (parser, PARSE_SYNTAX);  /* C strings hold no NUL */
            n = g_unichar_to_utf8 ((gunichar) cp, utf8);
            if (decode)
              memcpy (w, utf8, (gsize) n);
            w += n;
            continue;
          }
        default:
          return fail (parser, PARSE_SYNTAX);
        }
      if (decode)
        *w = (char) c;
      w++;
      p += 2;
    }

  if (decode)
    {
      *w = '\0';
      *out = start;
      *out_len = (gsize) (w - start);
    }
  parser->p = p + 1;
  return TRUE;
}

/* A number: an integer that fits 64 bits is INT, anything else OTHER. */
static gboolean
parse_number (Parser       *parser,
              LkStoreValue *value)
{
  char *p = parser->p, *end = parser->end;
  gboolean negative = FALSE, integer = TRUE, overflow = FALSE;
  gint64 v = 0;  /* built negative: -2^63 fits */

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end || !g_ascii_isdigit (*p))
    return fail (parser, PARSE_SYNTAX);
  if (*p == '0')
    {
      p++;
    }
  else
    {
      while (p < end && g_ascii_isdigit (*p))
        {
          int d = *p++ - '0';

          if (v < (G_MININT64 + d) / 10)
            overflow = TRUE;
          else
            v = v * 10 - d;
        }
    }
  if (p < end && *p == '.')
    {
      integer = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return fail (parser, PARSE_SYNTAX);
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return fail (parser, PARSE_SYNTAX);
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  parser->p = p;

  if (!integer || overflow || (!negative && v == G_MININT64))
    {
      value->type = LK_STORE_VALUE_OTHER;
      return TRUE;
    }
  value->type = LK_STORE_VALUE_INT;
  value->i = negative ? v : -v;
  return TRUE;
}

static gboolean
parse_literal (Parser     *parser,
               const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (parser->end - parser->p) < len || memcmp (parser->p, word, len) != 0)
    return fail (parser, PARSE_SYNTAX);
  parser->p += len;
  return TRUE;
}

static gboolean parse_value (Parser       *parser,
                             LkStoreValue *value,
                             gboolean      decode);

/* An array; with decode, its items are kept (strings, or OTHER for
 * anything else) when there are few enough for a string list. */
static gboolean
parse_array (Parser       *parser,
             LkStoreValue *value,
             gboolean      decode)
{
  LkStoreValue items[LK_STORE_MAX_STRV_ITEMS];
  guint n = 0;

  if (!expect (parser, '[') || !enter (parser))
    return FALSE;
  skip_ws (parser);
  if (parser->p < parser->end && *parser->p == ']')
    {
      parser->p++;
    }
  else
    {
      for (;;)
        {
          LkStoreValue item = { 0 };

          if (!parse_value (parser, &item, decode))
            return FALSE;
          if (item.type != LK_STORE_VALUE_STRING)
            item.type = LK_STORE_VALUE_OTHER;
          if (n < G_N_ELEMENTS (items))
            items[n] = item;
          n = MIN (n + 1, G_MAXUINT - 1);
          skip_ws (parser);
          if (parser->p < parser->end && *parser->p == ',')
            {
              parser->p++;
              continue;
            }
          if (!expect (parser, ']'))
            return FALSE;
          break;
        }
    }
  parser->depth--;

  value->type = LK_STORE_VALUE_ARRAY;
  value->n_items = n;
  if (decode && n > 0 && n <= G_N_ELEMENTS (items))
    {
      LkStoreValue *kept = g_memdup2 (items, n * sizeof *items);

      g_ptr_array_add (parser->page->items, kept);
      value->items = kept;
    }
  return TRUE;
}

/* An object whose members are not looked at. */
static gboolean
skip_object (Parser   *parser,
             gboolean  decode)
{
  if (!expect (parser, '{') || !enter (parser))
    return FALSE;
  skip_ws (parser);
  if (parser->p < parser->end && *parser->p == '}')
    {
      parser->p++;
      parser->depth--;
      return TRUE;
    }
  for (;;)
    {
      LkStoreValue ignored = { 0 };

      if (!parse_string (parser, FALSE, NULL, NULL) || !expect (parser, ':') ||
          !parse_value (parser, &ignored, decode))
        return FALSE;
      skip_ws (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (!expect (parser, '}'))
        return FALSE;
      parser->depth--;
      return TRUE;
    }
}

/* Any value. Without decode nothing is written (the value is only
 * checked); its type is still set. */
static gboolean
parse_value (Parser       *parser,
             LkStoreValue *value,
             gboolean      decode)
{
  skip_ws (parser);
  if (parser->p >= parser->end)
    return fail (parser, PARSE_SYNTAX);

  switch (*parser->p)
    {
    case '"':
      value->type = LK_STORE_VALUE_STRING;
      return parse_string (parser, decode, &value->str, &value->len);
    case '[':
      return parse_array (parser, value, decode);
    case '{':
      value->type = LK_STORE_VALUE_OTHER;
      return skip_object (parser, FALSE);
    case 't':
      value->type = LK_STORE_VALUE_BOOL;
      value->i = 1;
      return parse_literal (parser, "true");
    case 'f':
      value->type = LK_STORE_VALUE_BOOL;
      value->i = 0;
      return parse_literal (parser, "false");
    case 'n':
      value->type = LK_STORE_VALUE_NULL;
      return parse_literal (parser, "null");
    default:
      return parse_number (parser, value);
    }
}

/* The members of an object, one at a time: FALSE at its end (*done) or on
 * an error. */
static gboolean
next_member (Parser      *parser,
             gboolean     first,
             const char **name,
             gsize       *name_len,
             gboolean    *done)
{
  skip_ws (parser);
  *done = FALSE;
  if (parser->p < parser->end && *parser->p == '}' && first)
    {
      parser->p++;
      *done = TRUE;
      return FALSE;
    }
  if (!first)
    {
      if (parser->p < parser->end && *parser->p == '}')
        {
          parser->p++;
          *done = TRUE;
          return FALSE;
        }
      if (!expect (parser, ','))
        return FALSE;
    }
  return parse_string (parser, TRUE, name, name_len) && expect (parser, ':');
}

#define MEMBER_IS(name, len, literal) \
  ((len) == sizeof (literal) - 1 && memcmp ((name), (literal), sizeof (literal) - 1) == 0)

/* A record of table into values (its n_columns, zeroed: absent). */
static gboolean
parse_record (Parser             *parser,
              const LkStoreTable *table,
              LkStoreValue       *values)
{
  guint n_columns = lk_store_table_get_n_columns (table);
  guint64 seen = 0;
  guint hint = 0;
  const char *name;
  gsize len;
  gboolean done;

  skip_ws (parser);
  if (parser->p >= parser->end || *parser->p != '{')
    return fail (parser, PARSE_SHAPE);
  parser->p++;
  if (!enter (parser))
    return FALSE;

  for (gboolean first = TRUE; next_member (parser, first, &name, &len, &done); first = FALSE)
    {
      int column = lk_store_table_find_column (table, name, len, hint);

      if (column < 0)
        {
          LkStoreValue ignored = { 0 };

          if (!parse_value (parser, &ignored, FALSE))
            return FALSE;
          continue;
        }
      if (seen & (G_GUINT64_CONSTANT (1) << column))
        return fail (parser, PARSE_SHAPE);  /* which one would count? */
      seen |= G_GUINT64_CONSTANT (1) << column;
      if (!parse_value (parser, &values[column], TRUE))
        return FALSE;
      hint = ((guint) column + 1) % n_columns;
    }
  if (!done)
    return FALSE;
  parser->depth--;
  return TRUE;
}

static gboolean
add_record (Parser             *parser,
            const LkStoreTable *table,
            char               *at)
{
  LkSyncPage *page = parser->page;
  guint n_columns = lk_store_table_get_n_columns (table);
  char *resume = parser->p;
  PageRecord *record;

  if (page->n_records >= LK_SYNC_PAGE_MAX_RECORDS)
    return fail (parser, PARSE_SHAPE);
  if (page->n_records == page->records_size)
    {
      page->records_size = MAX (64, page->records_size * 2);
      page->records = g_renew (PageRecord, page->records, page->records_size);
    }
  if (page->n_values + n_columns > page->values_size)
    {
      page->values_size = MAX (1024, page->values_size * 2);
      page->values = g_renew (LkStoreValue, page->values, page->values_size);
    }

  record = &page->records[page->n_records];
  record->table = table;
  record->first = page->n_values;
  memset (&page->values[record->first], 0, n_columns * sizeof (LkStoreValue));

  /* A record given before its kind was skipped over first. */
  if (at != NULL)
    parser->p = at;
  if (!parse_record (parser, table, &page->values[record->first]))
    return FALSE;
  if (at != NULL)
    parser->p = resume;

  page->n_values += n_columns;
  page->n_records++;
  return TRUE;
}

/* {"kind": …, "record": {…}, "seq": …}; other members are ignored. */
static gboolean
parse_change (Parser *parser)
{
  const LkStoreTable *table = NULL;
  char *record_at = NULL;
  gboolean have_record = FALSE;
  const char *name;
  gsize len;
  gboolean done;

  skip_ws (parser);
  if (parser->p >= parser->end || *parser->p != '{')
    return fail (parser, PARSE_SHAPE);
  parser->p++;
  if (!enter (parser))
    return FALSE;

  for (gboolean first = TRUE; next_member (parser, first, &name, &len, &done); first = FALSE)
    {
      if (MEMBER_IS (name, len, "kind"))
        {
          const char *kind;
          gsize kind_len;

          skip_ws (parser);
          if (table != NULL || parser->p >= parser->end || *parser->p != '"')
            return fail (parser, PARSE_SHAPE);
          if (!parse_string (parser, TRUE, &kind, &kind_len))
            return FALSE;
          if (kind_len > LK_SYNC_PAGE_MAX_KIND ||
              (table = lk_store_table_find (kind, (gssize) kind_len)) == NULL)
            return fail (parser, PARSE_SHAPE);
        }
      else if (MEMBER_IS (name, len, "record"))
        {
          if (have_record)
            return fail (parser, PARSE_SHAPE);
          have_record = TRUE;
          if (table != NULL)
            {
              if (!add_record (parser, table, NULL))
                return FALSE;
            }
          else
            {
              skip_ws (parser);
              record_at = parser->p;
              if (parser->p >= parser->end || *parser->p != '{')
                return fail (parser, PARSE_SHAPE);
              if (!skip_object (parser, FALSE))
                return FALSE;
            }
        }
      else
        {
          LkStoreValue ignored = { 0 };

          if (!parse_value (parser, &ignored, FALSE))
            return FALSE;
        }
    }
  if (!done)
    return FALSE;
  if (table == NULL || !have_record)
    return fail (parser, PARSE_SHAPE);
  if (record_at != NULL && !add_record (parser, table, record_at))
    return FALSE;
  parser->depth--;
  return TRUE;
}

static gboolean
parse_changes (Parser *parser)
{
  skip_ws (parser);
  if (parser->p >= parser->end || *parser->p != '[')
    return fail (parser, PARSE_SHAPE);
  parser->p++;
  if (!enter (parser))
    return FALSE;
  skip_ws (parser);
  if (parser->p < parser->end && *parser->p == ']')
    {
      parser->p++;
      parser->depth--;
      return TRUE;
    }
  for (;;)
    {
      if (!parse_change (parser))
        return FALSE;
      skip_ws (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (!expect (parser, ']'))
        return FALSE;
      parser->depth--;
      return TRUE;
    }
}

static gboolean
parse_page (Parser *parser)
{
  LkSyncPage *page = parser->page;
  gboolean have_changes = FALSE, have_more = FALSE;
  const char *name;
  gsize len;
  gboolean done;

  skip_ws (parser);
  if (parser->p >= parser->end || *parser->p != '{')
    return fail (parser, parser->p < parser->end && strchr ("[\"-0123456789tfn", *parser->p) ?
                 PARSE_SHAPE : PARSE_SYNTAX);
  parser->p++;
  if (!enter (parser))
    return FALSE;

  for (gboolean first = TRUE; next_member (parser, first, &name, &len, &done); first = FALSE)
    {
      if (MEMBER_IS (name, len, "changes"))
        {
          if (have_changes)
            return fail (parser, PARSE_SHAPE);
          have_changes = TRUE;
          if (!parse_changes (parser))
            return FALSE;
        }
      else if (MEMBER_IS (name, len, "next"))
        {
          LkStoreValue next = { 0 };

          if (page->next != NULL || !parse_value (parser, &next, TRUE))
            return fail (parser, PARSE_SHAPE);
          /* The cursor is opaque: a string, though a number is tolerated. */
          if (next.type == LK_STORE_VALUE_STRING && next.len <= LK_SYNC_PAGE_MAX_CURSOR)
            page->next = g_strndup (next.str, next.len);
          else if (next.type == LK_STORE_VALUE_INT)
            page->next = g_strdup_printf ("%" G_GINT64_FORMAT, next.i);
          else
            return fail (parser, PARSE_SHAPE);
        }
      else if (MEMBER_IS (name, len, "more"))
        {
          LkStoreValue more = { 0 };

          if (have_more || !parse_value (parser, &more, FALSE))
            return fail (parser, PARSE_SHAPE);
          if (more.type != LK_STORE_VALUE_BOOL)
            return fail (parser, PARSE_SHAPE);
          have_more = TRUE;
          page->more = more.i != 0;
        }
      else
        {
          LkStoreValue ignored = { 0 };

          if (!parse_value (parser, &ignored, FALSE))
            return FALSE;
        }
    }
  if (!done)
    return FALSE;
  parser->depth--;

  skip_ws (parser);
  if (parser->p != parser->end)
    return fail (parser, PARSE_SYNTAX);
  if (!have_changes || !have_more || page->next == NULL)
    return fail (parser, PARSE_SHAPE);
  return TRUE;
}

void
lk_sync_page_free (LkSyncPage *page)
{
  if (page == NULL)
    return;
  g_free (page->buf);
  g_free (page->values);
  g_free (page->records);
  g_ptr_array_unref (page->items);
  g_free (page->next);
  g_free (page);
}

LkSyncPage *
lk_sync_page_parse (GBytes  *body,
                    GError **error)
{
  g_autoptr(LkSyncPage) page = g_new0 (LkSyncPage, 1);
  Parser parser = { 0 };
  const char *valid_end;
  const char *data;
  gsize len;

  data = g_bytes_get_data (body, &len);
  page->items = g_ptr_array_new_with_free_func (g_free);
  page->buf = g_malloc (len + 1);
  if (len > 0)
    memcpy (page->buf, data, len);
  page->buf[len] = '\0';

  parser.p = page->buf;
  parser.end = page->buf + len;
  parser.page = page;

  skip_ws (&parser);
  if (parser.p == parser.end)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent an empty answer"));
      return NULL;
    }
  /* Once for the whole body: the strings need no check of their own. */
  if (!g_utf8_validate_len (page->buf, len, &valid_end))
    {
      parser.p = (char *) valid_end;
      parser.status = PARSE_SYNTAX;
    }
  else
    parse_page (&parser);

  switch (parser.status)
    {
    case PARSE_OK:
      return g_steal_pointer (&page);
    case PARSE_DEPTH:
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent JSON nested deeper than %d levels"),
                   LK_SYNC_PAGE_MAX_DEPTH);
      return NULL;
    case PARSE_SYNTAX:
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   /* Translators: %lu: a position in the server's answer */
                   _("The server sent a change feed page that is not valid JSON (near byte %lu)"),
                   (unsigned long) (parser.p - page->buf));
      return NULL;
    case PARSE_SHAPE:
    default:
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server sent a change feed page that this version of Loket does not understand"));
      return NULL;
    }
}

guint
lk_sync_page_get_n_records (LkSyncPage *page)
{
  return page->n_records;
}

const char *
lk_sync_page_get_next (LkSyncPage *page)
{
  return page->next;
}

gboolean
lk_sync_page_get_more (LkSyncPage *page)
{
  return page->more;
}

/* The records of one kind in a batch, in feed order. */
typedef struct
{
  const LkStoreTable *table;
  GPtrArray          *rows;  /* const LkStoreValue *, owned by the pages */
} TableGroup;

gboolean
lk_sync_pages_write (LkStore     *store,
                     LkSyncPage **pages,
                     guint        n_pages,
                     GError     **error)
{
  /* Records with operations still queued keep their local (optimistic)
   * copy: the push's result brings the server's. One count per batch
   * keeps the common case (an empty outbox) free of per-record lookups. */
  gboolean check_outbox = lk_outbox_count (store) > 0;
  TableGroup groups[16];
  guint n_groups = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (n_pages > 0, FALSE);

  for (guint p = 0; p < n_pages; p++)
    for (guint i = 0; i < pages[p]->n_records; i++)
      {
        PageRecord *record = &pages[p]->records[i];
        const LkStoreValue *row = &pages[p]->values[record->first];
        TableGroup *group = NULL;

        if (check_outbox &&
            lk_outbox_has_pending (store, row[0].type == LK_STORE_VALUE_STRING ? row[0].str : ""))
          continue;

        for (guint g = 0; g < n_groups && group == NULL; g++)
          if (groups[g].table == record->table)
            group = &groups[g];
        if (group == NULL)
          {
            g_assert (n_groups < G_N_ELEMENTS (groups));
            group = &groups[n_groups++];
            group->table = record->table;
            group->rows = g_ptr_array_new ();
          }
        g_ptr_array_add (group->rows, (gpointer) row);
      }

  for (guint g = 0; g < n_groups; g++)
    {
      g_autoptr(GError) local_error = NULL;

      if (ok && !lk_store_upsert_values_many (store, groups[g].table,
                                              (const LkStoreValue * const *) groups[g].rows->pdata,
                                              groups[g].rows->len, &local_error))
        {
          if (g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID))
            g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                         _("The server sent a %s record that is not valid: %s"),
                         lk_store_table_get_kind (groups[g].table), local_error->message);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      g_ptr_array_unref (groups[g].rows);
    }

  return ok && lk_store_set_meta (store, "sync.cursor", pages[n_pages - 1]->next, error);
}

/* Pages are written in batches, each one transaction with its cursor: one
 * commit per page would rewrite the same random B-tree pages (the ids are
 * UUIDs) over and over. A batch is written only once it is complete, its
 * records in id order per kind (lk_store_upsert_values_many): consecutive
 * inserts then land on neighbouring B-tree pages instead of all over the
 * indexes (100 000 cases, batches of 100 pages of 1 000 records: 28 s of
 * client CPU before, 8 s after, with the page parser of this file and the
 * multi-row statements without statement journal). The first batch is
 * BATCH_FIRST_PAGES and each next one twice the last, up to
 * BATCH_MAX_PAGES: the first progress report and resumable cursor come
 * early, and a small pull is not held back. A batch also ends at
 * BATCH_MAX_USEC of age; a writer of the same database (the desk's own
 * actions) waits about as long as one batch takes to write. */
#define BATCH_FIRST_PAGES 8
#define BATCH_MAX_PAGES   100
#define BATCH_MAX_USEC    (2 * G_USEC_PER_SEC)

/* The pull runs as two stages: a fetcher thread downloads and parses the
 * next pages while the calling thread writes a batch to the store, so the
 * server's time, the network and parsing overlap the SQLite work. The
 * channel between them holds at most PIPE_DEPTH pages, in order: a whole
 * batch, so the fetcher gathers the next one while this one is written
 * (with 4 pages it waited for the writer half of the time: 11 s against
 * 9 s for 100 000 cases). At most two batches are in memory, about 130
 * MiB for pages of 1 000 records. */
#define PIPE_DEPTH BATCH_MAX_PAGES

typedef struct
{
  LkSyncPage *page;
  GError     *error;    /* set: the fetcher stopped with this error */
} FetchedPage;

typedef struct
{
  LkSyncClient *client;
  char         *cursor;
  guint         page_limit;
  GCancellable *cancellable;  /* cancelled by the caller's or on a write error */

  GMutex        lock;
  GCond         cond;
  GQueue        ready;        /* pages fetched, not yet taken */
  GSList       *written;      /* pages written, for the fetcher to free */
  gboolean      exited;       /* the fetcher thread is done */
} PullPipe;

static void
fetched_page_free (FetchedPage *page)
{
  g_clear_pointer (&page->page, lk_sync_page_free);
  g_clear_error (&page->error);
  g_free (page);
}

/* Blocks while the channel is full (or until the pull was cancelled). */
static gboolean
pipe_put (PullPipe    *pipe,
          FetchedPage *page)
{
  gboolean accepted;

  g_mutex_lock (&pipe->lock);
  while (pipe->ready.length >= PIPE_DEPTH && !g_cancellable_is_cancelled (pipe->cancellable))
    g_cond_wait (&pipe->cond, &pipe->lock);
  accepted = !g_cancellable_is_cancelled (pipe->cancellable);
  if (accepted)
    {
      g_queue_push_tail (&pipe->ready, page);
      g_cond_broadcast (&pipe->cond);
    }
  g_mutex_unlock (&pipe->lock);

  if (!accepted)
    fetched_page_free (page);
  return accepted;
}

/* Hands a written page back, for the fetcher to free: it has time to
 * spare, the writer has not. */
static void
pipe_give_back (PullPipe    *pipe,
                FetchedPage *page)
{
  g_mutex_lock (&pipe->lock);
  pipe->written = g_slist_prepend (pipe->written, page);
  g_mutex_unlock (&pipe->lock);
}

static void
pipe_free_written (PullPipe *pipe)
{
  GSList *written;

  g_mutex_lock (&pipe->lock);
  written = g_steal_pointer (&pipe->written);
  g_mutex_unlock (&pipe->lock);

  g_slist_free_full (written, (GDestroyNotify) fetched_page_free);
}

/* NULL when the fetcher ended without a page (the pull was cancelled). */
static FetchedPage *
pipe_take (PullPipe *pipe)
{
  FetchedPage *page;

  g_mutex_lock (&pipe->lock);
  while (pipe->ready.length == 0 && !pipe->exited)
    g_cond_wait (&pipe->cond, &pipe->lock);
  page = g_queue_pop_head (&pipe->ready);
  g_cond_broadcast (&pipe->cond);
  g_mutex_unlock (&pipe->lock);

  return page;
}

static void
wake_pipe_cb (GCancellable *cancellable,
              PullPipe     *pipe)
{
  g_mutex_lock (&pipe->lock);
  g_cond_broadcast (&pipe->cond);
  g_mutex_unlock (&pipe->lock);
}

static FetchedPage *
fetch_page (LkSyncClient  *self,
            SoupSession   *session,
            const char    *cursor,
            guint          page_limit,
            GCancellable  *cancellable)
{
  FetchedPage *page = g_new0 (FetchedPage, 1);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *escaped = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &page->error))
    return page;

  escaped = g_uri_escape_string (cursor ? cursor : "", NULL, FALSE);
  url = g_strdup_printf ("%s/api/v1/changes?since=%s&limit=%u",
                         lk_sync_client_get_server_url (self), escaped, page_limit);
  msg = lk_sync_client_new_request (self, SOUP_METHOD_GET, url, &page->error);
  if (msg == NULL)
    return page;

  body = lk_sync_client_send (self, session, msg, LK_SYNC_MAX_PAGE_BYTES, FALSE, cancellable, &page->error);
  if (body == NULL)
    return page;

  page->page = lk_sync_page_parse (body, &page->error);
  if (page->page == NULL)
    return page;

  if (lk_sync_page_get_more (page->page) &&
      (lk_sync_page_get_n_records (page->page) == 0 ||
       g_strcmp0 (lk_sync_page_get_next (page->page), cursor) == 0))
    g_set_error (&page->error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                 _("The server’s change feed does not advance (cursor “%s”)"),
                 lk_sync_page_get_next (page->page));

  return page;
}

static gpointer
fetch_thread (gpointer data)
{
  PullPipe *pipe = data;
  g_autoptr(SoupSession) session = lk_sync_create_session ();
  g_autofree char *cursor = g_strdup (pipe->cursor);

  for (;;)
    {
      FetchedPage *page = fetch_page (pipe->client, session, cursor, pipe->page_limit, pipe->cancellable);
      gboolean last = page->error != NULL || !lk_sync_page_get_more (page->page);

      pipe_free_written (pipe);

      g_free (cursor);
      cursor = page->page != NULL ? g_strdup (lk_sync_page_get_next (page->page)) : NULL;
      if (!pipe_put (pipe, page) || last)
        break;
    }

  g_mutex_lock (&pipe->lock);
  pipe->exited = TRUE;
  g_cond_broadcast (&pipe->cond);
  g_mutex_unlock (&pipe->lock);

  return NULL;
}

/* The page cache while pulling (KiB): a first pull of 100 000 cases
 * touches ~300 MiB of random B-tree pages; with the store's usual 32 MiB
 * SQLite evicts and re-reads them throughout (36 s of CPU against 30 s).
 * Set back when the pull ends. */
#define PULL_CACHE_KIB    (128 * 1024)

/* WAL frames between automatic checkpoints while pulling (the store's
 * usual is SQLite's 1 000, 4 MiB): each batch of a first pull rewrites
 * pages all over the random UUID indexes, and a checkpoint after each
 * commit copied every one of them into the database file again (and
 * synced it). With 65 536 frames (256 MiB at 4 KiB a page) a page
 * rewritten by several batches is copied once per checkpoint; the pull
 * ends with a checkpoint of its own (100 000 cases leave a ~350 MiB
 * store; the WAL peaks at about 256 MiB plus one batch). Set back when the
 * pull ends. */
#define PULL_WAL_FRAMES   16384

/* Sets the connection's integer PRAGMA name (one of ours, never outside
 * input: PRAGMAs take no parameters); returns the value it had (0:
 * unknown, then nothing was changed). */
static gint64
set_pragma (LkStore    *store,
            const char *name,
            gint64      value)
{
  g_autofree char *get = g_strdup_printf ("PRAGMA %s", name);
  g_autofree char *set = g_strdup_printf ("PRAGMA %s = %" G_GINT64_FORMAT, name, value);
  sqlite3_stmt *stmt;
  gint64 old = 0;

  lk_store_lock (store);
  stmt = lk_store_prepare (store, get, NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    old = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (old == 0 || !lk_store_exec (store, set, NULL))
    old = 0;
  lk_store_unlock (store);

  return old;
}

/* Writes the pages of batch (FetchedPage) in one transaction with the
 * last one's cursor, then hands them back to the fetcher; the batch is
 * emptied either way. */
static gboolean
write_batch (LkStore    *store,
             PullPipe   *pipe,
             GPtrArray  *batch,
             GError    **error)
{
  g_autofree LkSyncPage **pages = g_new (LkSyncPage *, MAX (batch->len, 1));
  gboolean ok;

  for (guint i = 0; i < batch->len; i++)
    pages[i] = ((FetchedPage *) batch->pdata[i])->page;

  ok = lk_store_begin (store, error);
  if (ok && !lk_sync_pages_write (store, pages, batch->len, error))
    {
      lk_store_rollback (store);
      ok = FALSE;
    }
  /* commit_pages rolls back itself when it fails. */
  ok = ok && commit_pages (store, error);

  for (guint i = 0; i < batch->len; i++)
    pipe_give_back (pipe, batch->pdata[i]);
  g_ptr_array_set_size (batch, 0);
  return ok;
}

static void
report_pages (GArray         *pending_pages,
              guint64        *total,
              guint64        *out_records,
              LkSyncPageFunc  page_func,
              gpointer        user_data)
{
  for (guint i = 0; i < pending_pages->len; i++)
    {
      guint n = g_array_index (pending_pages, guint, i);

      *total += n;
      if (out_records != NULL)
        *out_records = *total;
      if (page_func != NULL)
        page_func (n, *total, user_data);
    }
  g_array_set_size (pending_pages, 0);
}

gboolean
lk_sync_client_pull (LkSyncClient   *self,
                     LkStore        *store,
                     guint           page_limit,
                     LkSyncPageFunc  page_func,
                     gpointer        user_data,
                     guint64        *out_records,
                     GCancellable   *cancellable,
                     GError        **error)
{
  PullPipe pipe = { 0 };
  GThread *fetcher;
  GArray *pending_pages;
  GError *fetch_error = NULL;
  GPtrArray *batch;
  gint64 batch_started = 0;
  guint batch_limit = BATCH_FIRST_PAGES;
  gulong cancel_id = 0;
  gint64 old_cache_size;
  gint64 old_wal_frames;
  guint64 total = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_records != NULL)
    *out_records = 0;

  if (page_limit == 0)
    page_limit = LK_SYNC_DEFAULT_PAGE;
  page_limit = MIN (page_limit, 1000);

  pipe.client = self;
  pipe.cursor = lk_store_get_meta (store, "sync.cursor");
  pipe.page_limit = page_limit;
  pipe.cancellable = g_cancellable_new ();
  g_mutex_init (&pipe.lock);
  g_cond_init (&pipe.cond);

  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                       g_object_ref (pipe.cancellable), g_object_unref);
  g_signal_connect (pipe.cancellable, "cancelled", G_CALLBACK (wake_pipe_cb), &pipe);

  old_cache_size = set_pragma (store, "cache_size", -PULL_CACHE_KIB);
  old_wal_frames = set_pragma (store, "wal_autocheckpoint", PULL_WAL_FRAMES);
  fetcher = g_thread_new ("loket-pull", fetch_thread, &pipe);
  pending_pages = g_array_new (FALSE, FALSE, sizeof (guint));
  batch = g_ptr_array_new ();

  for (;;)
    {
      FetchedPage *page = pipe_take (&pipe);
      gboolean last;
      guint n;

      if (page == NULL)
        {
          if (!g_cancellable_set_error_if_cancelled (cancellable, &fetch_error))
            g_set_error_literal (&fetch_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sync was stopped"));
          break;
        }

      if (page->error != NULL)
        {
          fetch_error = g_steal_pointer (&page->error);
          fetched_page_free (page);
          break;
        }

      if (batch->len == 0)
        batch_started = g_get_monotonic_time ();
      n = lk_sync_page_get_n_records (page->page);
      g_debug ("Pulled %u records (cursor %s, more: %d)", n,
               lk_sync_page_get_next (page->page), lk_sync_page_get_more (page->page));
      g_ptr_array_add (batch, page);
      g_array_append_val (pending_pages, n);
      last = !lk_sync_page_get_more (page->page);

      if (last || batch->len >= batch_limit ||
          g_get_monotonic_time () - batch_started >= BATCH_MAX_USEC)
        {
          if (!write_batch (store, &pipe, batch, error))
            {
              ok = FALSE;
              break;
            }
          batch_limit = MIN (batch_limit * 2, BATCH_MAX_PAGES);
          report_pages (pending_pages, &total, out_records, page_func, user_data);
        }

      if (last)
        break;
    }

  /* The pages fetched before a fetch failed are whole pages with their
   * cursor: keep them, so the next pull resumes after them. */
  if (fetch_error != NULL)
    {
      if (batch->len > 0 && write_batch (store, &pipe, batch, NULL))
        report_pages (pending_pages, &total, out_records, page_func, user_data);
      g_propagate_error (error, g_steal_pointer (&fetch_error));
      ok = FALSE;
    }
  /* After a write error: the pages not written. */
  for (guint i = 0; i < batch->len; i++)
    fetched_page_free (batch->pdata[i]);
  g_ptr_array_unref (batch);
  g_array_unref (pending_pages);

  /* Stops a fetcher that is still waiting to hand over a page. */
  g_cancellable_cancel (pipe.cancellable);
  g_thread_join (fetcher);
  g_queue_clear_full (&pipe.ready, (GDestroyNotify) fetched_page_free);
  pipe_free_written (&pipe);

  /* Whatever the batches left in the WAL, while the pages are cached. */
  if (total > 0)
    lk_store_checkpoint (store);
  if (old_wal_frames != 0)
    set_pragma (store, "wal_autocheckpoint", old_wal_frames);
  if (old_cache_size != 0)
    set_pragma (store, "cache_size", old_cache_size);

  g_cancellable_disconnect (cancellable, cancel_id);
  g_signal_handlers_disconnect_by_func (pipe.cancellable, wake_pipe_cb, &pipe);
  g_object_unref (pipe.cancellable);
  g_mutex_clear (&pipe.lock);
  g_cond_clear (&pipe.cond);
  g_free (pipe.cursor);

  return ok;
}

static void
pull_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PullData *data = task_data;
  g_autoptr(LkStore) store = NULL;
  GError *error = NULL;

  store = lk_store_open (data->store_path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL ||
      !lk_sync_client_pull (source_object, store, LK_SYNC_DEFAULT_PAGE, NULL, NULL,
                            &data->records, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
lk_sync_client_pull_async (LkSyncClient        *self,
                           const char          *store_path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PullData *data;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));
  g_return_if_fail (store_path != NULL);

  data = g_new0 (PullData, 1);
  data->store_path = g_strdup (store_path);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_pull_async);
  g_task_set_task_data (task, data, (GDestroyNotify) pull_data_free);
  g_task_run_in_thread (task, pull_thread);
}

gboolean
lk_sync_client_pull_finish (LkSyncClient  *self,
                            GAsyncResult  *result,
                            guint64       *out_records,
                            GError       **error)
{
  PullData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_sync_client_pull_async, FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_records != NULL)
    *out_records = data->records;

  return g_task_propagate_boolean (G_TASK (result), error);
}
