/* lk-server-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <argon2.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "lk-server-auth.h"

#define ARGON2_T      2
#define ARGON2_M_KIB  19456
#define ARGON2_P      1
#define SALT_BYTES    16
#define HASH_BYTES    32
#define THROTTLE_MAX_KEYS 10000

G_DEFINE_QUARK (lk-auth-error-quark, lk_auth_error)

typedef struct
{
  char   *encoded;
  char   *password;
  gsize   password_len;
} VerifyData;

typedef struct
{
  guint  failures;
  gint64 window_start;
} ThrottleEntry;

struct _LkThrottle
{
  GHashTable *entries;   /* key → ThrottleEntry */
  guint       max_failures;
  gint64      window;
};

static void
verify_data_free (VerifyData *data)
{
  if (data->password != NULL)
    {
      explicit_bzero (data->password, data->password_len);
      g_free (data->password);
    }
  g_free (data->encoded);
  g_free (data);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *data = task_data;
  int rc;

  rc = argon2id_verify (data->encoded, data->password, data->password_len);
  explicit_bzero (data->password, data->password_len);
  if (rc != ARGON2_OK && rc != ARGON2_VERIFY_MISMATCH)
    g_warning ("Password verification failed: %s", argon2_error_message (rc));
  g_task_return_boolean (task, rc == ARGON2_OK);
}

char *
lk_auth_hash_password (const char  *password,
                       GError     **error)
{
  guint8 salt[SALT_BYTES];
  gsize len;
  g_autofree char *encoded = NULL;
  int rc;

  g_return_val_if_fail (password != NULL, NULL);

  if (gnutls_rnd (GNUTLS_RND_RANDOM, salt, sizeof salt) != 0)
    {
      g_set_error_literal (error, LK_AUTH_ERROR, LK_AUTH_ERROR_RANDOM,
                           _("The system random number generator failed; check that GnuTLS can read /dev/urandom"));
      return NULL;
    }

  len = argon2_encodedlen (ARGON2_T, ARGON2_M_KIB, ARGON2_P, SALT_BYTES, HASH_BYTES, Argon2_id);
  encoded = g_malloc0 (len);
  rc = argon2id_hash_encoded (ARGON2_T, ARGON2_M_KIB, ARGON2_P,
                              password, strlen (password),
                              salt, sizeof salt, HASH_BYTES, encoded, len);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, LK_AUTH_ERROR, LK_AUTH_ERROR_HASH,
                   _("Could not hash the password: %s"), argon2_error_message (rc));
      return NULL;
    }

  return g_steal_pointer (&encoded);
}

void
lk_auth_verify_async (const char          *encoded_hash,
                      char                *password,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *data;

  g_return_if_fail (encoded_hash != NULL);
  g_return_if_fail (password != NULL);

  data = g_new0 (VerifyData, 1);
  data->encoded = g_strdup (encoded_hash);
  data->password = password;
  data->password_len = strlen (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_auth_verify_async);
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
lk_auth_verify_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), NULL);
}

char *
lk_auth_new_token (GError **error)
{
  guint8 raw[LK_AUTH_TOKEN_BYTES];
  GString *hex;

  if (gnutls_rnd (GNUTLS_RND_KEY, raw, sizeof raw) != 0)
    {
      g_set_error_literal (error, LK_AUTH_ERROR, LK_AUTH_ERROR_RANDOM,
                           _("The system random number generator failed; check that GnuTLS can read /dev/urandom"));
      return NULL;
    }

  hex = g_string_sized_new (2 * sizeof raw + 1);
  for (gsize i = 0; i < sizeof raw; i++)
    g_string_append_printf (hex, "%02x", raw[i]);
  explicit_bzero (raw, sizeof raw);

  return g_string_free (hex, FALSE);
}

char *
lk_auth_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

LkThrottle *
lk_throttle_new (guint  max_failures,
                 gint64 window_usec)
{
  LkThrottle *self = g_new0 (LkThrottle, 1);

  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_failures = max_failures;
  self->window = window_usec;

  return self;
}

void
lk_throttle_free (LkThrottle *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_free (self);
}

static gboolean
entry_expired_cb (gpointer key,
                  gpointer value,
                  gpointer user_data)
{
  const ThrottleEntry *entry = value;
  const gint64 *limit = user_data;

  return entry->window_start < *limit;
}

gboolean
lk_throttle_is_blocked (LkThrottle *self,
                        const char *key,
                        gint64      now_usec)
{
  ThrottleEntry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    return FALSE;

  if (now_usec - entry->window_start > self->window)
    {
      g_hash_table_remove (self->entries, key);
      return FALSE;
    }

  return entry->failures >= self->max_failures;
}

void
lk_throttle_add_failure (LkThrottle *self,
                         const char *key,
                         gint64      now_usec)
{
  ThrottleEntry *entry = g_hash_table_lookup (self->entries, key);

  if (entry != NULL && now_usec - entry->window_start > self->window)
    {
      entry->failures = 0;
      entry->window_start = now_usec;
    }

  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= THROTTLE_MAX_KEYS)
        {
          gint64 limit = now_usec - self->window;

          g_hash_table_foreach_remove (self->entries, entry_expired_cb, &limit);
        }

      entry = g_new0 (ThrottleEntry, 1);
      entry->window_start = now_usec;
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }

  if (entry->failures < G_MAXUINT)
    entry->failures++;
}

void
lk_throttle_reset (LkThrottle *self,
                   const char *key)
{
  g_hash_table_remove (self->entries, key);
}
