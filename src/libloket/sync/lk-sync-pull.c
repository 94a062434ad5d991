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

/* Pages are written in batches, each one transaction with its cursor: one
 * commit per page would rewrite the same random B-tree pages (the ids are
 * UUIDs) over and over. A batch is written only once it is complete, its
 * records in id order per kind (lk_store_upsert_values_many): consecutive
 * inserts then land on neighbouring B-tree pages instead of all over the
 * indexes (100 000 cases, batches of 100 pages of 1 000 records: 28 s of
 * client CPU before, 8 s after, with the page parser of lk-sync-page.c and the
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

/* How a pull uses the bulk mode of lk-store-private.h. */
typedef enum
{
  BULK_OFF,    /* the store has records, or this pull has written a batch */
  BULK_MAYBE,  /* no cursor: the first batch enters it if the store is empty */
  BULK_ON,     /* the last page's batch leaves it */
} BulkState;

/* Writes the pages of batch (FetchedPage) in one transaction with the
 * last one's cursor, then hands them back to the fetcher; the batch is
 * emptied either way. In that transaction, the first batch of a pull
 * into an empty store enters bulk mode, and the batch with the feed's
 * last page leaves it (whichever pull entered it). */
static gboolean
write_batch (LkStore    *store,
             PullPipe   *pipe,
             GPtrArray  *batch,
             BulkState  *bulk,
             GError    **error)
{
  g_autofree LkSyncPage **pages = g_new (LkSyncPage *, MAX (batch->len, 1));
  gboolean last = FALSE;
  gboolean entered = FALSE;
  gboolean ok;

  for (guint i = 0; i < batch->len; i++)
    pages[i] = ((FetchedPage *) batch->pdata[i])->page;
  if (batch->len > 0)
    last = !lk_sync_page_get_more (pages[batch->len - 1]);

  ok = lk_store_begin (store, error);
  /* A feed of one batch gains nothing from it. */
  if (ok && *bulk == BULK_MAYBE && !last && !lk_store_bulk_enter (store, &entered, error))
    {
      lk_store_rollback (store);
      ok = FALSE;
    }
  if (ok && !lk_sync_pages_write (store, pages, batch->len, error))
    {
      lk_store_rollback (store);
      ok = FALSE;
    }
  if (ok && (*bulk == BULK_ON || entered) && last && !lk_store_bulk_leave (store, error))
    {
      lk_store_rollback (store);
      ok = FALSE;
    }
  /* commit_pages rolls back itself when it fails. */
  ok = ok && commit_pages (store, error);
  if (ok && *bulk == BULK_MAYBE)
    *bulk = entered ? BULK_ON : BULK_OFF;
  if (ok && last)
    *bulk = BULK_OFF;

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
  BulkState bulk;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_records != NULL)
    *out_records = 0;

  if (page_limit == 0)
    page_limit = LK_SYNC_DEFAULT_PAGE;
  page_limit = MIN (page_limit, 1000);

  /* Who pulls, for the desk's offline work (the role decides what it may
   * queue). */
  if (!lk_sync_client_remember_account (self, store, error))
    return FALSE;

  pipe.client = self;
  pipe.cursor = lk_store_get_meta (store, "sync.cursor");
  {
    g_autofree char *bulk_indexes = lk_store_get_meta (store, LK_STORE_BULK_INDEXES_KEY);

    /* A pull that died or failed in bulk mode: this one finishes it. */
    if (bulk_indexes != NULL)
      bulk = BULK_ON;
    else
      bulk = pipe.cursor == NULL ? BULK_MAYBE : BULK_OFF;
  }
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
          if (!write_batch (store, &pipe, batch, &bulk, error))
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
      if (batch->len > 0 && write_batch (store, &pipe, batch, &bulk, NULL))
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
