/* lk-sync-page.c — the change feed's page parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sync/lk-sync-client.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-private.h"
#include "sync/lk-sync-page.h"
#include "store/lk-store-private.h"

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
