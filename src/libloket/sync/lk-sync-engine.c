/* lk-sync-engine.c — background sync: push the outbox, then pull, again and
 * again; backoff while the server is away
 *
 * Each round runs in a GTask worker with its own LkStore on the account's
 * file; the results come back to the main context the engine was made in,
 * where the properties change and the next round is scheduled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <glib/gi18n-lib.h>

#include "sync/lk-numbers.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-engine.h"

#define JITTER 0.2  /* ± of a backoff delay */

struct _LkSyncEngine
{
  GObject       parent_instance;

  LkSyncClient *client;
  LkBlobCache  *blob_cache;
  char         *store_path;
  GMainContext *context;

  LkSyncStatus  status;
  char         *message;
  gint64        outbox_count;
  gint64        conflict_count;

  gboolean      running;     /* start() called and not stopped */
  gboolean      in_flight;   /* a round is in its worker */
  gboolean      again;       /* sync_now() during a round */
  GSource      *timer;
  GCancellable *cancellable;
  guint         backoff;     /* seconds of the last backoff, 0: none */
  /* Counts are read in workers (a round's end, refresh_counts) and may come
   * back out of order: each read takes a number, and only a newer read than
   * the one shown replaces it. */
  int           count_seq;   /* atomic */
  int           shown_seq;
};

G_DEFINE_FINAL_TYPE (LkSyncEngine, lk_sync_engine, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LkSyncStatus, lk_sync_status,
  G_DEFINE_ENUM_VALUE (LK_SYNC_STATUS_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (LK_SYNC_STATUS_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (LK_SYNC_STATUS_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (LK_SYNC_STATUS_ERROR, "error"))

enum {
  PROP_0,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_OUTBOX_COUNT,
  PROP_CONFLICT_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SYNCED,
  SIGNAL_CONFLICT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a round did, made in the worker. */
typedef struct
{
  char        *store_path;
  LkBlobCache *blob_cache;
  guint64      records;
  guint        applied;
  guint        conflicts;
  gint64       outbox_count;
  gint64       conflict_count;
  gboolean     counted;
  int          count_seq;    /* when the counts were read, for ordering */
} Round;

static void schedule (LkSyncEngine *self,
                      guint         delay_ms);

/* Helpers */

static void
round_free (Round *round)
{
  g_free (round->store_path);
  g_clear_object (&round->blob_cache);
  g_free (round);
}

static void
set_status (LkSyncEngine *self,
            LkSyncStatus  status,
            const char   *message)
{
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
}

static void
set_counts (LkSyncEngine *self,
            gint64        outbox_count,
            gint64        conflict_count)
{
  if (self->outbox_count != outbox_count)
    {
      self->outbox_count = outbox_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX_COUNT]);
    }
  if (self->conflict_count != conflict_count)
    {
      self->conflict_count = conflict_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT_COUNT]);
    }
}

static void
set_counts_if_newer (LkSyncEngine *self,
                     const Round  *round)
{
  if (round->count_seq <= self->shown_seq)
    return;

  self->shown_seq = round->count_seq;
  set_counts (self, round->outbox_count, round->conflict_count);
}

/* The next backoff: doubling from the minimum to the maximum, ±20 %. */
static guint
next_backoff_ms (LkSyncEngine *self)
{
  double jitter;

  if (self->backoff == 0)
    self->backoff = LK_SYNC_BACKOFF_MIN;
  else
    self->backoff = MIN (self->backoff * 2, LK_SYNC_BACKOFF_MAX);

  jitter = g_random_double_range (1.0 - JITTER, 1.0 + JITTER);
  return (guint) (self->backoff * 1000 * jitter);
}

static void
clear_timer (LkSyncEngine *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

/* The worker */

static void
round_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LkSyncEngine *self = source_object;
  Round *round = task_data;
  g_autoptr(LkStore) store = NULL;
  GError *error = NULL;
  gboolean ok, pushed;

  store = lk_store_open (round->store_path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ok = lk_sync_client_push (self->client, store, round->blob_cache, &round->applied, &round->conflicts,
                            cancellable, &error);
  pushed = ok;
  /* A push the server refused (an error of its own, an answer we do not
   * understand) leaves the outbox as it was; the desk still gets the news
   * of the others, and the push's error is reported afterwards. Offline,
   * signed out or cancelled, a pull cannot work either. */
  if (ok || (error->domain != G_IO_ERROR &&
             !g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE) &&
             !g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SESSION_EXPIRED)))
    {
      GError *pull_error = NULL;

      if (!lk_sync_client_pull (self->client, store, LK_SYNC_DEFAULT_PAGE, NULL, NULL, &round->records,
                                cancellable, &pull_error))
        {
          g_clear_error (&error);
          error = pull_error;
          ok = FALSE;
        }
    }

  /* After a push: report the numbers taken offline and top the blocks up
   * (after the pull, which brings the service types they are for); a
   * failure here is retried on the next round and stops nothing. */
  if (pushed)
    {
      g_autoptr(GError) numbers_error = NULL;

      if (!lk_numbers_reconcile (self->client, store, cancellable, &numbers_error))
        g_debug ("Reconciling the letter numbers failed: %s", numbers_error->message);
    }

  round->count_seq = g_atomic_int_add (&LK_SYNC_ENGINE (source_object)->count_seq, 1) + 1;
  round->outbox_count = lk_outbox_count (store);
  round->conflict_count = lk_outbox_count_conflicts (store);
  round->counted = TRUE;

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
round_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LkSyncEngine *self = LK_SYNC_ENGINE (source);
  Round *round = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 old_conflicts = self->conflict_count;
  guint delay_ms;

  self->in_flight = FALSE;
  g_clear_object (&self->cancellable);

  if (round->counted)
    set_counts_if_newer (self, round);
  if (round->conflicts > 0 || self->conflict_count > old_conflicts)
    g_signal_emit (self, signals[SIGNAL_CONFLICT], 0, self->conflict_count);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->backoff = 0;
      set_status (self, LK_SYNC_STATUS_IDLE, NULL);
      g_signal_emit (self, signals[SIGNAL_SYNCED], 0, round->records, round->applied);
      delay_ms = LK_SYNC_INTERVAL * 1000;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_status (self, LK_SYNC_STATUS_IDLE, NULL);
      delay_ms = LK_SYNC_INTERVAL * 1000;
    }
  else
    {
      g_debug ("Sync failed: %s", error->message);
      set_status (self,
                  g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE)
                    ? LK_SYNC_STATUS_OFFLINE : LK_SYNC_STATUS_ERROR,
                  error->message);
      delay_ms = next_backoff_ms (self);
    }

  if (!self->running)
    return;
  if (self->again)
    {
      self->again = FALSE;
      self->backoff = 0;
      delay_ms = 0;
    }
  schedule (self, delay_ms);
}

static void
start_round (LkSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  Round *round;

  g_assert (!self->in_flight);

  round = g_new0 (Round, 1);
  round->store_path = g_strdup (self->store_path);
  round->blob_cache = self->blob_cache ? g_object_ref (self->blob_cache) : NULL;

  self->in_flight = TRUE;
  self->again = FALSE;
  self->cancellable = g_cancellable_new ();
  set_status (self, LK_SYNC_STATUS_SYNCING, self->message);

  /* The answer comes back to the engine's context. */
  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, self->cancellable, round_done_cb, NULL);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (task, start_round);
  g_task_set_task_data (task, round, (GDestroyNotify) round_free);
  g_task_run_in_thread (task, round_thread);
}

static void
counts_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Round *round = task_data;
  g_autoptr(LkStore) store = NULL;
  GError *error = NULL;

  store = lk_store_open (round->store_path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  round->count_seq = g_atomic_int_add (&LK_SYNC_ENGINE (source_object)->count_seq, 1) + 1;
  round->outbox_count = lk_outbox_count (store);
  round->conflict_count = lk_outbox_count_conflicts (store);
  g_task_return_boolean (task, TRUE);
}

static void
counts_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkSyncEngine *self = LK_SYNC_ENGINE (source);
  Round *round = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    set_counts_if_newer (self, round);
  else
    g_debug ("Counting the outbox failed: %s", error->message);
}

static gboolean
timer_cb (gpointer user_data)
{
  LkSyncEngine *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  if (self->running && !self->in_flight)
    start_round (self);

  return G_SOURCE_REMOVE;
}

static void
schedule (LkSyncEngine *self,
          guint         delay_ms)
{
  clear_timer (self);
  self->timer = g_timeout_source_new (delay_ms);
  g_source_set_name (self->timer, "[loket] sync timer");
  /* The timer holds no reference: stop() and dispose remove it. */
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, self->context);
}

/* GObject */

static void
lk_sync_engine_dispose (GObject *object)
{
  LkSyncEngine *self = (LkSyncEngine *) object;

  self->running = FALSE;
  clear_timer (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (lk_sync_engine_parent_class)->dispose (object);
}

static void
lk_sync_engine_finalize (GObject *object)
{
  LkSyncEngine *self = (LkSyncEngine *) object;

  g_clear_object (&self->client);
  g_clear_object (&self->blob_cache);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->store_path);
  g_free (self->message);

  G_OBJECT_CLASS (lk_sync_engine_parent_class)->finalize (object);
}

static void
lk_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkSyncEngine *self = LK_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_OUTBOX_COUNT:
      g_value_set_int64 (value, self->outbox_count);
      break;
    case PROP_CONFLICT_COUNT:
      g_value_set_int64 (value, self->conflict_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_engine_class_init (LkSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_sync_engine_dispose;
  object_class->finalize = lk_sync_engine_finalize;
  object_class->get_property = lk_sync_engine_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, LK_TYPE_SYNC_STATUS, LK_SYNC_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTBOX_COUNT] =
    g_param_spec_int64 ("outbox-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_int64 ("conflict-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT);
  signals[SIGNAL_CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
lk_sync_engine_init (LkSyncEngine *self)
{
  self->status = LK_SYNC_STATUS_IDLE;
}

/* Public API */

LkSyncEngine *
lk_sync_engine_new (LkSyncClient *client,
                    const char   *store_path,
                    LkBlobCache  *blob_cache)
{
  LkSyncEngine *self;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (client), NULL);
  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (blob_cache == NULL || LK_IS_BLOB_CACHE (blob_cache), NULL);

  self = g_object_new (LK_TYPE_SYNC_ENGINE, NULL);
  self->client = g_object_ref (client);
  self->store_path = g_strdup (store_path);
  self->blob_cache = blob_cache ? g_object_ref (blob_cache) : NULL;
  self->context = g_main_context_ref_thread_default ();

  return self;
}

LkSyncStatus
lk_sync_engine_get_status (LkSyncEngine *self)
{
  g_return_val_if_fail (LK_IS_SYNC_ENGINE (self), LK_SYNC_STATUS_ERROR);

  return self->status;
}

const char *
lk_sync_engine_get_message (LkSyncEngine *self)
{
  g_return_val_if_fail (LK_IS_SYNC_ENGINE (self), NULL);

  return self->message;
}

gint64
lk_sync_engine_get_outbox_count (LkSyncEngine *self)
{
  g_return_val_if_fail (LK_IS_SYNC_ENGINE (self), 0);

  return self->outbox_count;
}

gint64
lk_sync_engine_get_conflict_count (LkSyncEngine *self)
{
  g_return_val_if_fail (LK_IS_SYNC_ENGINE (self), 0);

  return self->conflict_count;
}

void
lk_sync_engine_start (LkSyncEngine *self)
{
  g_return_if_fail (LK_IS_SYNC_ENGINE (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->backoff = 0;
  if (!self->in_flight)
    schedule (self, 0);
}

void
lk_sync_engine_stop (LkSyncEngine *self)
{
  g_return_if_fail (LK_IS_SYNC_ENGINE (self));

  self->running = FALSE;
  self->again = FALSE;
  clear_timer (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
lk_sync_engine_sync_now (LkSyncEngine *self)
{
  g_return_if_fail (LK_IS_SYNC_ENGINE (self));

  self->backoff = 0;
  if (!self->running)
    return;
  if (self->in_flight)
    self->again = TRUE;
  else
    schedule (self, 0);
}

void
lk_sync_engine_refresh_counts (LkSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  Round *round;

  g_return_if_fail (LK_IS_SYNC_ENGINE (self));

  round = g_new0 (Round, 1);
  round->store_path = g_strdup (self->store_path);

  g_main_context_push_thread_default (self->context);
  task = g_task_new (self, NULL, counts_done_cb, NULL);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (task, lk_sync_engine_refresh_counts);
  g_task_set_task_data (task, round, (GDestroyNotify) round_free);
  g_task_run_in_thread (task, counts_thread);
}
