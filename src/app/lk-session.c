/* lk-session.c — one account: local store, sync client, blob cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-account.h"
#include "lk-app-enums.h"
#include "lk-session.h"

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
};

G_DEFINE_FINAL_TYPE (LkSession, lk_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_STATUS_MESSAGE,
  N_PROPS
};

enum {
  SIGNAL_SYNCED,
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
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
sync_return_error (GTask  *task,
                   GError *error)
{
  LkSession *self = g_task_get_source_object (task);

  self->busy = FALSE;

  if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE))
    set_status (self, LK_SESSION_STATUS_OFFLINE,
                _("Offline — showing the data on this computer"));
  else
    {
      if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH))
        wipe_password (&self->password);
      set_status (self, LK_SESSION_STATUS_FAILED, error->message);
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
pull_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  LkSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  guint64 records = 0;

  if (!lk_sync_client_pull_finish (LK_SYNC_CLIENT (source), result, &records, &error))
    {
      sync_return_error (task, error);
      return;
    }

  g_debug ("Pulled %" G_GUINT64_FORMAT " records", records);
  self->busy = FALSE;
  set_status (self, LK_SESSION_STATUS_SYNCED, _("Up to date"));
  g_signal_emit (self, signals[SIGNAL_SYNCED], 0, records);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
start_pull (GTask *task)
{
  LkSession *self = g_task_get_source_object (task);

  set_status (self, LK_SESSION_STATUS_SYNCING, _("Syncing…"));
  lk_sync_client_pull_async (self->client, self->store_path,
                             g_task_get_cancellable (task), pull_cb, task);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!lk_sync_client_login_finish (LK_SYNC_CLIENT (source), result, &error))
    {
      sync_return_error (task, error);
      return;
    }

  start_pull (task);
}

static void
open_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  LkStore *store;

  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
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
lk_session_finalize (GObject *object)
{
  LkSession *self = (LkSession *)object;

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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_session_class_init (LkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_session_finalize;
  object_class->get_property = lk_session_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       LK_TYPE_SESSION_STATUS, LK_SESSION_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS_MESSAGE] =
    g_param_spec_string ("status-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The local store has new data (records: how many were pulled). */
  signals[SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void
lk_session_init (LkSession *self)
{
  self->status = LK_SESSION_STATUS_IDLE;
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
  LkStore *store;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  store = g_task_propagate_pointer (G_TASK (result), error);
  if (store == NULL)
    return FALSE;

  g_clear_object (&self->store);
  self->store = store;
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

  self->busy = TRUE;

  if (lk_sync_client_is_signed_in (self->client))
    {
      start_pull (task);
      return;
    }

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
