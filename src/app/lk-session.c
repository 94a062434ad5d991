/* lk-session.c — one account: local store, sync client, blob cache, the
 * sign-in and the background sync; the local actions are in
 * lk-session-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-account.h"
#include "lk-app-enums.h"
#include "lk-session-private.h"

/* Where the role of the last sign-in is remembered, for working offline. */

/* Backoff of the sign-in retries while the server cannot be reached and no
 * sign-in succeeded yet (the engine has its own once signed in). */
#define LOGIN_RETRY_MIN  2
#define LOGIN_RETRY_MAX 60

struct _LkSession
{
  GObject          parent_instance;

  char            *store_path;
  LkStore         *store;
  LkSyncClient    *client;
  LkBlobCache     *blob_cache;

  /* Kept in memory only, to sign in again on Retry; wiped when refused. */
  char            *password;

  LkSessionStatus  status;
  char            *status_message;
  gboolean         busy;

  LkSyncEngine    *engine;
  gboolean         engine_started;
  gboolean         synced_once;
  /* GTasks of lk_session_sync_async() waiting for the engine's round. */
  GPtrArray       *waiting;
  LkRole           role;
  guint            login_retry_id;
  guint            login_retry_delay;
  /* The engine's counts, or newer ones read right after a local action. */
  gint64           outbox_count;
  gint64           conflict_count;
};

typedef struct
{
  LkStore *store;
  char    *role;
} OpenData;

G_DEFINE_FINAL_TYPE (LkSession, lk_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_STATUS_MESSAGE,
  PROP_SYNC_STATUS,
  PROP_SYNC_MESSAGE,
  PROP_OUTBOX_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_ROLE,
  N_PROPS
};

enum {
  SIGNAL_SYNCED,
  SIGNAL_LOCAL_CHANGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe_password (char **password)
{
  if (*password != NULL)
    {
      explicit_bzero (*password, strlen (*password));
      g_clear_pointer (password, g_free);
    }
}

static void
set_status (LkSession       *self,
            LkSessionStatus  status,
            const char      *message)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (message, self->status_message) != 0)
    {
      g_free (self->status_message);
      self->status_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MESSAGE]);
    }

  if (status != self->status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_STATUS]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
open_data_free (gpointer data)
{
  OpenData *open = data;

  g_clear_object (&open->store);
  g_free (open->role);
  g_free (open);
}

static void
set_role (LkSession *self,
          LkRole     role)
{
  if (role != self->role)
    {
      self->role = role;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
    }
}

/* Ends the lk_session_sync_async() calls waiting for the engine's round;
 * error NULL for success. */
static void
finish_waiting (LkSession    *self,
                const GError *error)
{
  g_autoptr(GPtrArray) waiting = NULL;

  if (self->waiting->len == 0)
    return;

  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void schedule_login_retry (LkSession *self);

static void
sync_return_error (GTask  *task,
                   GError *error)
{
  LkSession *self = g_task_get_source_object (task);

  self->busy = FALSE;

  if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
    {
      set_status (self, LK_SESSION_STATUS_OFFLINE,
                  _("Offline — showing the data on this computer"));
      schedule_login_retry (self);
    }
  else
    {
      if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH))
        wipe_password (&self->password);
      set_status (self, LK_SESSION_STATUS_FAILED, error->message);
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

void
lk_session_set_counts (LkSession *self,
                       gint64     outbox_count,
                       gint64     conflict_count)
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

void
lk_session_emit_local_change (LkSession  *self,
                              const char *case_id)
{
  g_signal_emit (self, signals[SIGNAL_LOCAL_CHANGE], 0, case_id);
}

void
lk_session_local_action_done (LkSession  *self,
                              const char *case_id,
                              gint64      outbox_count,
                              gint64      conflict_count)
{
  lk_session_set_counts (self, outbox_count, conflict_count);
  if (case_id != NULL)
    lk_session_emit_local_change (self, case_id);
  lk_session_sync_now (self);
}

static void
engine_counts_cb (LkSession    *self,
                  GParamSpec   *pspec,
                  LkSyncEngine *engine)
{
  lk_session_set_counts (self, lk_sync_engine_get_outbox_count (engine),
                         lk_sync_engine_get_conflict_count (engine));
}

static void
engine_status_cb (LkSession    *self,
                  GParamSpec   *pspec,
                  LkSyncEngine *engine)
{
  const char *message = lk_sync_engine_get_message (engine);
  g_autoptr(GError) error = NULL;

  /* A round ended: its counts are the newest (at the start of one they
   * are the last round's, older than a local action's). */
  if (lk_sync_engine_get_status (engine) != LK_SYNC_STATUS_SYNCING)
    engine_counts_cb (self, NULL, engine);

  switch (lk_sync_engine_get_status (engine))
    {
    case LK_SYNC_STATUS_SYNCING:
      set_status (self, LK_SESSION_STATUS_SYNCING, _("Syncing…"));
      break;

    case LK_SYNC_STATUS_IDLE:
      /* Before its first round the engine is idle too: "synced" says when
       * the local data is in step. */
      if (self->synced_once)
        set_status (self, LK_SESSION_STATUS_SYNCED, _("Up to date"));
      break;

    case LK_SYNC_STATUS_OFFLINE:
      set_status (self, LK_SESSION_STATUS_OFFLINE,
                  _("Offline — showing the data on this computer"));
      error = g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE, "%s",
                           message != NULL ? message : _("The server cannot be reached."));
      finish_waiting (self, error);
      break;

    case LK_SYNC_STATUS_ERROR:
      if (message == NULL)
        message = _("The sync failed.");
      set_status (self, LK_SESSION_STATUS_FAILED, message);
      /* An expired session drops the client's token: sign in again. */
      error = g_error_new (LK_SYNC_ERROR,
                           lk_sync_client_is_signed_in (self->client)
                           ? LK_SYNC_ERROR_SERVER : LK_SYNC_ERROR_SESSION_EXPIRED,
                           "%s", message);
      finish_waiting (self, error);
      break;

    default:
      g_assert_not_reached ();
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_STATUS]);
}

static void
engine_message_cb (LkSession    *self,
                   GParamSpec   *pspec,
                   LkSyncEngine *engine)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_MESSAGE]);
}

static void
engine_synced_cb (LkSession    *self,
                  guint64       records,
                  guint         applied,
                  LkSyncEngine *engine)
{
  g_debug ("Synced: %" G_GUINT64_FORMAT " records pulled, %u operations applied", records, applied);
  self->synced_once = TRUE;
  engine_counts_cb (self, NULL, engine);
  set_status (self, LK_SESSION_STATUS_SYNCED, _("Up to date"));
  g_signal_emit (self, signals[SIGNAL_SYNCED], 0, records + applied);
  finish_waiting (self, NULL);
}

static void
remember_role (LkSession *self)
{
  /* The store keeps it for an offline start: the pull records it
   * (lk_sync_client_remember_account). */
  set_role (self, lk_role_from_string (lk_sync_client_get_role (self->client)));
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  LkSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!lk_sync_client_login_finish (LK_SYNC_CLIENT (source), result, &error))
    {
      sync_return_error (task, error);
      return;
    }

  self->busy = FALSE;
  self->login_retry_delay = 0;
  remember_role (self);

  /* The engine pushes the outbox and pulls; the task ends with its round. */
  g_ptr_array_add (self->waiting, task);
  set_status (self, LK_SESSION_STATUS_SYNCING, _("Syncing…"));
  if (!self->engine_started)
    {
      self->engine_started = TRUE;
      lk_sync_engine_start (self->engine);
    }
  else
    lk_sync_engine_sync_now (self->engine);
}

static void
open_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  OpenData *open;
  LkStore *store;

  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  open = g_new0 (OpenData, 1);
  open->store = store;
  open->role = lk_store_get_meta (store, LK_META_ACCOUNT_ROLE);
  g_task_return_pointer (task, open, open_data_free);
}

static gboolean
login_retry_cb (gpointer data)
{
  LkSession *self = data;

  self->login_retry_id = 0;
  if (!lk_sync_client_is_signed_in (self->client) && !self->busy && self->password != NULL)
    lk_session_sync_async (self, NULL, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* While no sign-in worked because the server is away, try again later. */
static void
schedule_login_retry (LkSession *self)
{
  if (self->login_retry_id != 0 || self->password == NULL)
    return;

  self->login_retry_delay = CLAMP (self->login_retry_delay * 2, LOGIN_RETRY_MIN, LOGIN_RETRY_MAX);
  self->login_retry_id = g_timeout_add_seconds (self->login_retry_delay, login_retry_cb, self);
}

static void
fetch_blob_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LkSession *self = source_object;
  const char *sha256 = task_data;
  GError *error = NULL;
  char *path;

  path = lk_blob_cache_lookup (self->blob_cache, sha256);
  if (path == NULL)
    {
      if (!lk_sync_client_is_signed_in (self->client))
        {
          g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE, "%s",
                                   _("The file is not on this computer yet; it is downloaded when the server can be reached"));
          return;
        }
      path = lk_sync_client_fetch_blob (self->client, self->blob_cache, sha256,
                                        cancellable, &error);
    }

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

static void
lk_session_dispose (GObject *object)
{
  LkSession *self = (LkSession *)object;

  g_clear_handle_id (&self->login_retry_id, g_source_remove);
  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      lk_sync_engine_stop (self->engine);
      g_clear_object (&self->engine);
    }

  G_OBJECT_CLASS (lk_session_parent_class)->dispose (object);
}

static void
lk_session_finalize (GObject *object)
{
  LkSession *self = (LkSession *)object;

  g_assert (self->waiting->len == 0);
  g_ptr_array_unref (self->waiting);
  wipe_password (&self->password);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->blob_cache);
  g_free (self->store_path);
  g_free (self->status_message);

  G_OBJECT_CLASS (lk_session_parent_class)->finalize (object);
}

static void
lk_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LkSession *self = LK_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, self->status_message);
      break;
    case PROP_SYNC_STATUS:
      g_value_set_enum (value, lk_session_get_sync_status (self));
      break;
    case PROP_SYNC_MESSAGE:
      g_value_set_string (value, lk_session_get_sync_message (self));
      break;
    case PROP_OUTBOX_COUNT:
      g_value_set_int64 (value, lk_session_get_outbox_count (self));
      break;
    case PROP_CONFLICT_COUNT:
      g_value_set_int64 (value, lk_session_get_conflict_count (self));
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role != LK_ROLE_INVALID ? lk_role_to_string (self->role) : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_session_class_init (LkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_session_dispose;
  object_class->finalize = lk_session_finalize;
  object_class->get_property = lk_session_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       LK_TYPE_SESSION_STATUS, LK_SESSION_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS_MESSAGE] =
    g_param_spec_string ("status-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SYNC_STATUS] =
    g_param_spec_enum ("sync-status", NULL, NULL,
                       LK_TYPE_SYNC_STATUS, LK_SYNC_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SYNC_MESSAGE] =
    g_param_spec_string ("sync-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTBOX_COUNT] =
    g_param_spec_int64 ("outbox-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_int64 ("conflict-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The local store has new data (records: how many were pulled). */
  signals[SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  /* A local action changed the case (its id) in the local store. */
  signals[SIGNAL_LOCAL_CHANGE] =
    g_signal_new ("local-change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lk_session_init (LkSession *self)
{
  self->status = LK_SESSION_STATUS_IDLE;
  self->role = LK_ROLE_INVALID;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

LkSession *
lk_session_new (const char  *server_url,
                const char  *username,
                GError     **error)
{
  g_autoptr(LkSession) self = NULL;
  g_autofree char *blob_dir = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  self = g_object_new (LK_TYPE_SESSION, NULL);

  self->client = lk_sync_client_new (server_url, username, error);
  if (self->client == NULL)
    return NULL;

  self->store_path = lk_account_store_path (server_url, username, error);
  if (self->store_path == NULL)
    return NULL;

  blob_dir = lk_account_blob_dir (error);
  if (blob_dir == NULL)
    return NULL;
  self->blob_cache = lk_blob_cache_new (blob_dir);

  return g_steal_pointer (&self);
}

const char *
lk_session_get_server_url (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return lk_sync_client_get_server_url (self->client);
}

const char *
lk_session_get_username (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return lk_sync_client_get_username (self->client);
}

const char *
lk_session_get_store_path (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return self->store_path;
}

LkStore *
lk_session_get_store (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return self->store;
}

LkSyncClient *
lk_session_get_client (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return self->client;
}

LkBlobCache *
lk_session_get_blob_cache (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return self->blob_cache;
}

LkSessionStatus
lk_session_get_status (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), LK_SESSION_STATUS_IDLE);
  return self->status;
}

const char *
lk_session_get_status_message (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return self->status_message;
}

void
lk_session_open_store_async (LkSession           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_open_store_async);
  g_task_set_task_data (task, g_strdup (self->store_path), g_free);
  g_task_run_in_thread (task, open_store_thread);
}

gboolean
lk_session_open_store_finish (LkSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  OpenData *open;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  open = g_task_propagate_pointer (G_TASK (result), error);
  if (open == NULL)
    return FALSE;

  g_set_object (&self->store, open->store);
  if (!lk_sync_client_is_signed_in (self->client))
    set_role (self, lk_role_from_string (open->role));
  open_data_free (open);

  if (self->engine == NULL)
    {
      self->engine = lk_sync_engine_new (self->client, self->store_path, self->blob_cache);
      g_signal_connect_object (self->engine, "notify::status",
                               G_CALLBACK (engine_status_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "notify::message",
                               G_CALLBACK (engine_message_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "notify::outbox-count",
                               G_CALLBACK (engine_counts_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "notify::conflict-count",
                               G_CALLBACK (engine_counts_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "synced",
                               G_CALLBACK (engine_synced_cb), self, G_CONNECT_SWAPPED);
      /* What waits from an earlier session on this computer shows at once. */
      lk_sync_engine_refresh_counts (self->engine);
    }

  return TRUE;
}

void
lk_session_sync_async (LkSession           *self,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_sync_async);

  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                               _("A sync is already running."));
      g_object_unref (task);
      return;
    }

  if (password != NULL)
    {
      wipe_password (&self->password);
      self->password = g_strdup (password);
    }

  if (password == NULL && lk_sync_client_is_signed_in (self->client) && self->engine_started)
    {
      g_ptr_array_add (self->waiting, task);
      lk_sync_engine_sync_now (self->engine);
      return;
    }

  if (self->engine == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _("The data on this computer is not open yet."));
      g_object_unref (task);
      return;
    }

  self->busy = TRUE;
  g_clear_handle_id (&self->login_retry_id, g_source_remove);

  if (self->password == NULL)
    {
      sync_return_error (task, g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH, "%s",
                                            _("Sign in to sync with the server.")));
      return;
    }

  set_status (self, LK_SESSION_STATUS_SIGNING_IN, _("Signing in…"));
  lk_sync_client_login_async (self->client, self->password, cancellable, login_cb, task);
}

gboolean
lk_session_sync_finish (LkSession     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_session_fetch_blob_async (LkSession           *self,
                             const char          *sha256,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (sha256 != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_session_fetch_blob_async);

  if (!lk_blob_is_valid_sha256 (sha256))
    {
      g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL, "%s",
                               _("The attachment has an invalid address."));
      return;
    }

  g_task_set_task_data (task, g_strdup (sha256), g_free);
  g_task_run_in_thread (task, fetch_blob_thread);
}

char *
lk_session_fetch_blob_finish (LkSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

LkSyncEngine *
lk_session_get_sync_engine (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  return self->engine;
}

LkSyncStatus
lk_session_get_sync_status (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), LK_SYNC_STATUS_IDLE);

  if (self->engine == NULL || !self->engine_started)
    return self->status == LK_SESSION_STATUS_OFFLINE ? LK_SYNC_STATUS_OFFLINE : LK_SYNC_STATUS_IDLE;
  return lk_sync_engine_get_status (self->engine);
}

const char *
lk_session_get_sync_message (LkSession *self)
{
  const char *message = NULL;

  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  if (self->engine != NULL && self->engine_started)
    message = lk_sync_engine_get_message (self->engine);
  return message != NULL ? message : self->status_message;
}

gint64
lk_session_get_outbox_count (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), 0);
  return self->outbox_count;
}

gint64
lk_session_get_conflict_count (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), 0);
  return self->conflict_count;
}

LkRole
lk_session_get_role (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), LK_ROLE_INVALID);
  return self->role;
}

void
lk_session_sync_now (LkSession *self)
{
  g_return_if_fail (LK_IS_SESSION (self));

  if (self->engine_started && lk_sync_client_is_signed_in (self->client))
    lk_sync_engine_sync_now (self->engine);
  else if (!self->busy && self->password != NULL)
    lk_session_sync_async (self, NULL, NULL, NULL, NULL);
}

const char *
lk_session_get_public_url (LkSession *self)
{
  const char *url;

  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  url = lk_sync_client_get_public_url (self->client);
  return url != NULL && *url != '\0' ? url : lk_sync_client_get_server_url (self->client);
}
