/* lk-server-auth.h — passwords (Argon2id), session tokens, login throttling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LK_AUTH_ERROR (lk_auth_error_quark ())
GQuark lk_auth_error_quark (void);

typedef enum
{
  LK_AUTH_ERROR_RANDOM,   /* the system random generator failed */
  LK_AUTH_ERROR_HASH,     /* Argon2 could not hash (out of memory…) */
} LkAuthError;

#define LK_AUTH_TOKEN_BYTES     32
#define LK_AUTH_SESSION_SECONDS (12 * 60 * 60)
#define LK_AUTH_MAX_PASSWORD    1024

/* An Argon2id encoded hash ("$argon2id$v=19$m=19456,t=2,p=1$…"). */
char     *lk_auth_hash_password   (const char          *password,
                                   GError             **error);
/* Verifies in a worker thread. Takes ownership of password (nul-terminated,
 * g_malloc'd) and wipes it when done. */
void      lk_auth_verify_async    (const char          *encoded_hash,
                                   char                *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean  lk_auth_verify_finish   (GAsyncResult        *result);

/* A new bearer token: LK_AUTH_TOKEN_BYTES random bytes as lower-case hex. */
char     *lk_auth_new_token       (GError             **error);
/* The form that is stored: lower-case hex SHA-256 of the token. */
char     *lk_auth_hash_token      (const char          *token);

/* Counts failures per key (user name, address) in a fixed window. */
typedef struct _LkThrottle LkThrottle;

LkThrottle *lk_throttle_new            (guint        max_failures,
                                        gint64       window_usec);
void        lk_throttle_free           (LkThrottle  *self);
gboolean    lk_throttle_is_blocked     (LkThrottle  *self,
                                        const char  *key,
                                        gint64       now_usec);
void        lk_throttle_add_failure    (LkThrottle  *self,
                                        const char  *key,
                                        gint64       now_usec);
void        lk_throttle_reset          (LkThrottle  *self,
                                        const char  *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkThrottle, lk_throttle_free)

G_END_DECLS
