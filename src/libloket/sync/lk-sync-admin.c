/* lk-sync-admin.c — the account and administration calls of the API:
 * password change, users, signer certificates (docs/api-v1.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sync"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sync/lk-sync-admin.h"
#include "sync/lk-sync-private.h"

#define MAX_SMALL_BODY     (64 * 1024)         /* a certificate's or an account's answer */
#define MAX_USERS_BODY     (16 * 1024 * 1024)  /* the user list */
#define MAX_PASSWORD_BYTES 1024
#define MAX_FINGERPRINT    64

typedef struct
{
  char *username;
  char *pem;
} CertData;

/* Helpers */

static void
cert_data_free (CertData *data)
{
  g_free (data->username);
  g_free (data->pem);
  g_free (data);
}

/* A buffer for a request body with a secret in it: sized once, so no copy
 * is left behind by a reallocation, and wiped when freed. */
typedef struct
{
  char  *data;
  gsize  size;
  char  *end;
} SecretBody;

static void
secret_body_init (SecretBody *body,
                  gsize       size)
{
  body->size = size;
  body->data = g_malloc (size);
  body->end = body->data;
}

static void
secret_body_clear (SecretBody *body)
{
  if (body->data != NULL)
    {
      explicit_bzero (body->data, body->size);
      g_free (body->data);
    }
  body->data = body->end = NULL;
}

static void
secret_body_append (SecretBody *body,
                    const char *text)
{
  gsize len = strlen (text);

  g_assert ((gsize) (body->end - body->data) + len < body->size);
  memcpy (body->end, text, len);
  body->end += len;
}

/* Appends s as a JSON string literal; the body was sized for
 * 6 * strlen (s) + 2 bytes of it. */
static void
secret_body_append_string (SecretBody *body,
                           const char *s)
{
  static const char hex[] = "0123456789abcdef";
  char *out = body->end;

  g_assert ((gsize) (body->end - body->data) + 6 * strlen (s) + 2 < body->size);

  *out++ = '"';
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          *out++ = '\\';
          *out++ = (char) *p;
        }
      else if (*p < 0x20)
        {
          *out++ = '\\';
          *out++ = 'u';
          *out++ = '0';
          *out++ = '0';
          *out++ = hex[*p >> 4];
          *out++ = hex[*p & 0xf];
        }
      else
        *out++ = (char) *p;
    }
  *out++ = '"';
  body->end = out;
}

static gboolean
password_is_sendable (const char  *password,
                      GError     **error)
{
  if (strlen (password) > MAX_PASSWORD_BYTES || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                   _("A password must be valid text of at most %d bytes"), MAX_PASSWORD_BYTES);
      return FALSE;
    }

  return TRUE;
}

/* [a-z0-9._-]{1,64}, as the server names users. */
static gboolean
check_username (const char  *username,
                GError     **error)
{
  gsize len = strlen (username);

  for (const char *p = username; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '_' || *p == '-'))
      len = 0;

  if (len == 0 || len > 64)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                   _("“%s” is not a user name: use 1 to 64 of a–z, 0–9, “.”, “_” and “-”"),
                   username);
      return FALSE;
    }

  return TRUE;
}

/* Sends a request (body may be NULL) and returns the parsed JSON object of
 * a 2xx answer, or (for an empty answer, when allow_empty) a NULL root
 * with TRUE in *ok. */
static JsonNode *
call (LkSyncClient  *self,
      const char    *method,
      const char    *path,
      GBytes        *body,
      gsize          max,
      GCancellable  *cancellable,
      gboolean      *ok,
      GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *url = NULL;
  JsonNode *root;

  *ok = FALSE;
  url = g_strconcat (lk_sync_client_get_server_url (self), path, NULL);
  msg = lk_sync_client_new_request (self, method, url, error);
  if (msg == NULL)
    return NULL;
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);

  session = lk_sync_create_session ();
  reply = lk_sync_client_send (self, session, msg, max, FALSE, cancellable, error);
  if (reply == NULL)
    return NULL;

  if (g_bytes_get_size (reply) == 0)
    {
      *ok = TRUE;
      return NULL;
    }

  root = lk_sync_parse_json (reply, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      json_node_unref (root);
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server at %s sent an answer that this version of Loket does not understand"),
                   lk_sync_client_get_server_url (self));
      return NULL;
    }

  *ok = TRUE;
  return root;
}

static GBytes *
bytes_from_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);

  return g_bytes_new_take (text, len);
}

/* Task threads */

static void
register_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CertData *data = task_data;
  GError *error = NULL;
  char *fingerprint;

  fingerprint = lk_sync_client_register_certificate (source_object, data->username, data->pem,
                                                     cancellable, &error);
  if (fingerprint == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, fingerprint, g_free);
}

static void
list_users_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  JsonArray *users;

  users = lk_sync_client_list_users (source_object, cancellable, &error);
  if (users == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, users, (GDestroyNotify) json_array_unref);
}

/* Public API */

gboolean
lk_sync_client_change_password (LkSyncClient  *self,
                                const char    *old_password,
                                const char    *new_password,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  SecretBody request = { NULL, };
  gboolean ok;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (old_password != NULL, FALSE);
  g_return_val_if_fail (new_password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!password_is_sendable (old_password, error) ||
      !password_is_sendable (new_password, error))
    return FALSE;

  secret_body_init (&request, 6 * (strlen (old_password) + strlen (new_password)) + 64);
  secret_body_append (&request, "{\"old_password\":");
  secret_body_append_string (&request, old_password);
  secret_body_append (&request, ",\"new_password\":");
  secret_body_append_string (&request, new_password);
  secret_body_append (&request, "}");

  body = g_bytes_new_static (request.data, request.end - request.data);
  root = call (self, SOUP_METHOD_POST, "/api/v1/session/password", body, MAX_SMALL_BODY,
               cancellable, &ok, error);
  g_clear_pointer (&body, g_bytes_unref);
  secret_body_clear (&request);

  if (ok)
    g_debug ("Changed the password on %s", lk_sync_client_get_server_url (self));

  return ok;
}

JsonArray *
lk_sync_client_list_users (LkSyncClient  *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *users;
  gboolean ok;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = call (self, SOUP_METHOD_GET, "/api/v1/users", NULL, MAX_USERS_BODY, cancellable, &ok, error);
  if (!ok)
    return NULL;

  users = root != NULL ? json_object_get_member (json_node_get_object (root), "users") : NULL;
  if (users == NULL || !JSON_NODE_HOLDS_ARRAY (users))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server at %s sent a user list that this version of Loket does not understand"),
                   lk_sync_client_get_server_url (self));
      return NULL;
    }

  /* Each element an object, as callers read members of them. */
  for (guint i = 0; i < json_array_get_length (json_node_get_array (users)); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (users), i)))
      {
        g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                     _("The server at %s sent a user list that this version of Loket does not understand"),
                     lk_sync_client_get_server_url (self));
        return NULL;
      }

  return json_array_ref (json_node_get_array (users));
}

gboolean
lk_sync_client_create_user (LkSyncClient        *self,
                            const char          *username,
                            const char          *display_name,
                            LkRole               role,
                            const char * const  *units,
                            const char          *password,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) fields = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  SecretBody request = { NULL, };
  gsize len;
  gboolean ok;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (role != LK_ROLE_INVALID, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_username (username, error) || !password_is_sendable (password, error))
    return FALSE;

  /* The members without the secret through json-glib; the password is
   * added by hand into a buffer that is wiped. */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, username);
  if (display_name != NULL)
    {
      json_builder_set_member_name (b, "display_name");
      json_builder_add_string_value (b, display_name);
    }
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, lk_role_to_string (role));
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; units != NULL && units[i] != NULL; i++)
    json_builder_add_string_value (b, units[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  fields = json_builder_get_root (b);
  json_generator_set_root (gen, fields);
  text = json_generator_to_data (gen, &len);
  g_assert (len >= 2 && text[len - 1] == '}');
  text[len - 1] = '\0';

  secret_body_init (&request, len + 6 * strlen (password) + 64);
  secret_body_append (&request, text);
  secret_body_append (&request, ",\"password\":");
  secret_body_append_string (&request, password);
  secret_body_append (&request, "}");

  body = g_bytes_new_static (request.data, request.end - request.data);
  root = call (self, SOUP_METHOD_POST, "/api/v1/users", body, MAX_SMALL_BODY, cancellable, &ok, error);
  g_clear_pointer (&body, g_bytes_unref);
  secret_body_clear (&request);

  return ok;
}

char *
lk_sync_client_register_certificate (LkSyncClient  *self,
                                     const char    *username,
                                     const char    *pem,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  const char *fingerprint = NULL;
  gboolean ok;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_username (username, error))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pem");
  json_builder_add_string_value (b, pem);
  json_builder_end_object (b);
  request = json_builder_get_root (b);
  body = bytes_from_node (request);

  path = g_strdup_printf ("/api/v1/users/%s/certificates", username);
  root = call (self, SOUP_METHOD_POST, path, body, MAX_SMALL_BODY, cancellable, &ok, error);
  if (!ok)
    return NULL;

  if (root != NULL)
    fingerprint = lk_sync_get_string_member (json_node_get_object (root), "fingerprint",
                                             MAX_FINGERPRINT);
  if (fingerprint == NULL || strlen (fingerprint) != MAX_FINGERPRINT)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_PROTOCOL,
                   _("The server at %s registered the certificate but sent no fingerprint"),
                   lk_sync_client_get_server_url (self));
      return NULL;
    }

  return g_strdup (fingerprint);
}

void
lk_sync_client_register_certificate_async (LkSyncClient        *self,
                                           const char          *username,
                                           const char          *pem,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CertData *data;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (pem != NULL);

  data = g_new0 (CertData, 1);
  data->username = g_strdup (username);
  data->pem = g_strdup (pem);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_register_certificate_async);
  g_task_set_task_data (task, data, (GDestroyNotify) cert_data_free);
  g_task_run_in_thread (task, register_thread);
}

char *
lk_sync_client_register_certificate_finish (LkSyncClient  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        lk_sync_client_register_certificate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lk_sync_client_list_users_async (LkSyncClient        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_list_users_async);
  g_task_run_in_thread (task, list_users_thread);
}

JsonArray *
lk_sync_client_list_users_finish (LkSyncClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_sync_client_list_users_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
