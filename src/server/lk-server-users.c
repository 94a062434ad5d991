/* lk-server-users.c — users and their units (admin), the router of
 * /users…; signer certificates are in lk-server-certs.c, the password
 * change in lk-server-password.c
 *
 * Password hashing (Argon2id, ~20 MiB and tens of milliseconds) runs in a
 * worker thread while the request is paused; the store is only touched on
 * the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "lk-server-users-private.h"

#define MAX_USER_UNITS     256   /* units in one request */
#define MAX_UNIT_ID        64    /* bytes of a unit id */
#define NIP_DIGITS         18    /* a civil servant's NIP */

/* A new user (create) or changes to one; NULL/INVALID members are left as
 * they are. */
typedef struct
{
  Pending    pending;
  gboolean   create;
  char      *username;
  char      *display_name;
  LkRole     role;
  GPtrArray *units;
  char      *password;    /* wiped */
  char      *actor;       /* the admin's user name, for the log */
  gboolean   set_position;  /* position given: the text, or NULL to clear */
  char      *position;
  gboolean   set_nip;
  char      *nip;
} UserEdit;

/* Helpers */

void
lk_server_users_wipe (char *str)
{
  if (str != NULL)
    {
      explicit_bzero (str, strlen (str));
      g_free (str);
    }
}

static void
finished_cb (Pending *pending)
{
  pending->finished = TRUE;
}

/* Pauses msg until the callback answers and unpauses it;
 * pending->finished tells whether the client is still there. */
void
lk_server_users_pending_start (Pending           *pending,
                               LkServer          *self,
                               SoupServerMessage *msg)
{
  pending->self = g_object_ref (self);
  pending->msg = g_object_ref (msg);
  pending->finished_id = g_signal_connect_swapped (msg, "finished",
                                                   G_CALLBACK (finished_cb), pending);
  soup_server_message_pause (msg);
}

void
lk_server_users_pending_clear (Pending *pending)
{
  if (pending->msg != NULL && pending->finished_id != 0)
    g_signal_handler_disconnect (pending->msg, pending->finished_id);
  g_clear_object (&pending->msg);
  g_clear_object (&pending->self);
}

static void
user_edit_free (UserEdit *edit)
{
  lk_server_users_pending_clear (&edit->pending);
  g_free (edit->username);
  g_free (edit->display_name);
  g_clear_pointer (&edit->units, g_ptr_array_unref);
  g_clear_pointer (&edit->password, lk_server_users_wipe);
  g_free (edit->actor);
  g_free (edit->position);
  g_free (edit->nip);
  g_free (edit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UserEdit, user_edit_free)

static void
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  char *hash = lk_auth_hash_password (task_data, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

/* Hashes a copy of password in a worker thread (the copy is wiped). */
void
lk_server_users_hash_async (const char          *password,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, lk_server_users_hash_async);
  g_task_set_task_data (task, g_strdup (password), (GDestroyNotify) lk_server_users_wipe);
  g_task_run_in_thread (task, hash_thread);
}

char *
lk_server_users_hash_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* [a-z0-9._-]{1,64}, and not only dots (a path segment of its own). */
static gboolean
username_is_valid (const char *name)
{
  gsize len = 0;
  gboolean only_dots = TRUE;

  if (name == NULL)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++, len++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '_' || *p == '-'))
        return FALSE;
      if (*p != '.')
        only_dots = FALSE;
    }

  return len >= 1 && len <= LK_SERVER_MAX_USERNAME && !only_dots;
}

static gboolean
text_is_valid (const char *text,
               gsize       max)
{
  gsize len = strlen (text);

  if (len == 0 || len > max || !g_utf8_validate (text, len, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* *out is a new array of unit ids, or NULL when absent; FALSE when the
 * member is not an array of at most MAX_USER_UNITS bounded strings. */
static gboolean
get_units (JsonObject  *object,
           GPtrArray  **out)
{
  JsonNode *node = json_object_get_member (object, "units");
  g_autoptr(GPtrArray) units = NULL;
  JsonArray *array;
  guint n;

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > MAX_USER_UNITS)
    return FALSE;

  units = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *unit;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
      unit = json_node_get_string (element);
      if (*unit == '\0' || strlen (unit) > MAX_UNIT_ID)
        return FALSE;
      /* Each once. */
      if (!g_ptr_array_find_with_equal_func (units, unit, g_str_equal, NULL))
        g_ptr_array_add (units, g_strdup (unit));
    }
  g_ptr_array_sort (units, compare_strings);

  *out = g_steal_pointer (&units);
  return TRUE;
}

/* Whether a row comes back from SQL with ?1 bound to value. */
static gboolean
row_exists (LkServer    *self,
            const char  *sql,
            const char  *value,
            gboolean    *out_exists,
            GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Looking up a record");
      return FALSE;
    }

  *out_exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
units_exist (LkServer   *self,
             GPtrArray  *units,
             gboolean   *out_all,
             GError    **error)
{
  *out_all = TRUE;
  for (guint i = 0; i < units->len && *out_all; i++)
    if (!row_exists (self, "SELECT 1 FROM units WHERE id = ?1",
                     g_ptr_array_index (units, i), out_all, error))
      return FALSE;

  return TRUE;
}

gboolean
lk_server_users_end_sessions (LkServer    *self,
                              const char  *user_id,
                              const char  *except_token_hash,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = lk_store_prepare (self->store,
                           "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  if (except_token_hash != NULL)
    sqlite3_bind_text (stmt, 2, except_token_hash, -1, SQLITE_TRANSIENT);

  return lk_server_step_done (self, stmt, "Ending the user's sessions", error);
}

/* The user's position and NIP (each NULL when not set). */
static gboolean
load_position (LkServer    *self,
               const char  *user_id,
               char       **out_position,
               char       **out_nip,
               GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store, "SELECT position, nip FROM users WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_position = lk_server_column_dup (stmt, 0);
      *out_nip = lk_server_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self->store, error, "Looking up the user's position");
      return FALSE;
    }

  return TRUE;
}

static void
add_nullable (JsonBuilder *b,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* {"username", "display_name", "role", "position", "nip", "units",
 * "certificates"} */
static gboolean
add_user_json (LkServer     *self,
               JsonBuilder  *b,
               const char   *username,
               GError      **error)
{
  g_autoptr(LkServerUser) user = lk_server_load_user (self, "username", username, error);
  g_autofree char *position = NULL;
  g_autofree char *nip = NULL;

  if (user == NULL || !load_position (self, user->id, &position, &nip, error))
    return FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, user->username);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, user->display_name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, user->role != LK_ROLE_INVALID ? lk_role_to_string (user->role) : "");
  add_nullable (b, "position", position);
  add_nullable (b, "nip", nip);
  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; i < user->units->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (user->units, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "certificates");
  if (!lk_server_add_certificates_json (self, b, user->id, error))
    return FALSE;
  json_builder_end_object (b);

  return TRUE;
}

static void
respond_user (LkServer          *self,
              SoupServerMessage *msg,
              guint              status,
              const char        *username)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *public_url = lk_server_get_public_url (self);

  if (!add_user_json (self, b, username, &error))
    {
      if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      else
        lk_server_respond_internal (msg, error);
      return;
    }
  root = json_builder_get_root (b);
  /* The base of the letters' QR codes: --public-url, else where we listen. */
  json_object_set_string_member (json_node_get_object (root), "public_url", public_url != NULL ? public_url : "");
  lk_server_respond_json (msg, status, root);
}

static void
respond_forbidden (SoupServerMessage *msg)
{
  lk_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                           "Only an administrator may manage users.");
}

/* GET /api/v1/users */

static void
handle_list (LkServer          *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store, "SELECT username FROM users ORDER BY username", &error);
  if (stmt == NULL)
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, lk_server_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, &error, "Listing the users");
      lk_server_respond_internal (msg, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  for (guint i = 0; i < names->len; i++)
    if (!add_user_json (self, b, g_ptr_array_index (names, i), &error))
      {
        lk_server_respond_internal (msg, error);
        return;
      }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lk_server_respond_json (msg, SOUP_STATUS_OK, root);
}

/* POST /api/v1/users, PUT /api/v1/users/NAME */

/* How many users other than user_id have the admin role. */
static gboolean
count_other_admins (LkServer    *self,
                    const char  *user_id,
                    gint64      *out_count,
                    GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self->store,
                                         "SELECT count(*) FROM users WHERE role = 'admin' AND id <> ?1",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *out_count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (self->store, error, "Counting administrators");
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_units (LkServer    *self,
           const char  *user_id,
           GPtrArray   *units,
           GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = lk_store_prepare (self->store, "DELETE FROM user_units WHERE user_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  if (!lk_server_step_done (self, stmt, "Clearing the user's units", error))
    return FALSE;

  for (guint i = 0; i < units->len; i++)
    {
      stmt = lk_store_prepare (self->store,
                               "INSERT OR IGNORE INTO user_units (user_id, unit_id) VALUES (?1, ?2)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (units, i), -1, SQLITE_TRANSIENT);
      if (!lk_server_step_done (self, stmt, "Assigning the user's units", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
same_units (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;

  return TRUE;
}

typedef enum
{
  EDIT_FAILED,      /* error set */
  EDIT_DONE,
  EDIT_REFUSED,     /* status, code and message set */
} EditResult;

typedef struct
{
  guint       status;
  const char *code;
  const char *message;
} Refusal;

static EditResult
refuse (Refusal    *refusal,
        guint       status,
        const char *code,
        const char *message)
{
  refusal->status = status;
  refusal->code = code;
  refusal->message = message;
  return EDIT_REFUSED;
}

/* In the open transaction. */
static EditResult
apply_edit (UserEdit    *edit,
            const char  *hash,
            Refusal     *refusal,
            GError     **error)
{
  LkServer *self = edit->pending.self;
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *new_id = NULL;
  gboolean exists, all_units;
  gboolean end = FALSE;
  sqlite3_stmt *stmt;

  if (edit->units != NULL)
    {
      if (!units_exist (self, edit->units, &all_units, error))
        return EDIT_FAILED;
      if (!all_units)
        return refuse (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "“units” names a unit that does not exist.");
    }

  if (edit->create)
    {
      if (!row_exists (self, "SELECT 1 FROM users WHERE username = ?1", edit->username,
                       &exists, error))
        return EDIT_FAILED;
      if (exists)
        return refuse (refusal, SOUP_STATUS_CONFLICT, "conflict",
                       "A user with that name exists already.");

      new_id = g_uuid_string_random ();
      stmt = lk_store_prepare (self->store,
                               "INSERT INTO users (id, username, display_name, role, password_hash, position, nip, "
                               "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
                               error);
      if (stmt == NULL)
        return EDIT_FAILED;
      sqlite3_bind_text (stmt, 1, new_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, edit->username, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, edit->display_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, lk_role_to_string (edit->role), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, hash, -1, SQLITE_TRANSIENT);
      if (edit->position != NULL)
        sqlite3_bind_text (stmt, 6, edit->position, -1, SQLITE_TRANSIENT);
      if (edit->nip != NULL)
        sqlite3_bind_text (stmt, 7, edit->nip, -1, SQLITE_TRANSIENT);
      if (!lk_server_step_done (self, stmt, "Saving the new user", error) ||
          !set_units (self, new_id, edit->units, error))
        return EDIT_FAILED;

      g_message ("User %s created by %s", edit->username, edit->actor);
      return EDIT_DONE;
    }

  user = lk_server_load_user (self, "username", edit->username, &local_error);
  if (user == NULL)
    {
      if (g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        return refuse (refusal, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      g_propagate_error (error, g_steal_pointer (&local_error));
      return EDIT_FAILED;
    }

  if (edit->role != LK_ROLE_INVALID && edit->role != user->role)
    {
      gint64 other_admins = 0;

      if (user->role == LK_ROLE_ADMIN)
        {
          if (!count_other_admins (self, user->id, &other_admins, error))
            return EDIT_FAILED;
          if (other_admins == 0)
            return refuse (refusal, SOUP_STATUS_CONFLICT, "conflict",
                           "This is the last administrator; make another user an "
                           "administrator first.");
        }
      end = TRUE;
    }
  if (edit->units != NULL && !same_units (edit->units, user->units))
    end = TRUE;
  if (hash != NULL)
    end = TRUE;

  stmt = lk_store_prepare (self->store,
                           "UPDATE users SET display_name = coalesce (?2, display_name), "
                           "role = coalesce (?3, role), password_hash = coalesce (?4, password_hash), "
                           "position = CASE WHEN ?5 THEN ?6 ELSE position END, "
                           "nip = CASE WHEN ?7 THEN ?8 ELSE nip END, "
                           "version = version + 1 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return EDIT_FAILED;
  sqlite3_bind_text (stmt, 1, user->id, -1, SQLITE_TRANSIENT);
  if (edit->display_name != NULL)
    sqlite3_bind_text (stmt, 2, edit->display_name, -1, SQLITE_TRANSIENT);
  if (edit->role != LK_ROLE_INVALID)
    sqlite3_bind_text (stmt, 3, lk_role_to_string (edit->role), -1, SQLITE_STATIC);
  if (hash != NULL)
    sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, edit->set_position);
  if (edit->position != NULL)
    sqlite3_bind_text (stmt, 6, edit->position, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, edit->set_nip);
  if (edit->nip != NULL)
    sqlite3_bind_text (stmt, 8, edit->nip, -1, SQLITE_TRANSIENT);
  if (!lk_server_step_done (self, stmt, "Saving the user", error))
    return EDIT_FAILED;

  if (edit->units != NULL && !set_units (self, user->id, edit->units, error))
    return EDIT_FAILED;
  if (end && !lk_server_users_end_sessions (self, user->id, NULL, error))
    return EDIT_FAILED;

  g_message ("User %s changed by %s%s", edit->username, edit->actor,
             end ? "; their sessions were ended" : "");
  return EDIT_DONE;
}

/* Applies the edit and answers. */
static void
finish_edit (UserEdit   *edit,
             const char *hash)
{
  LkServer *self = edit->pending.self;
  SoupServerMessage *msg = edit->pending.msg;
  g_autoptr(GError) error = NULL;
  Refusal refusal = { 0, };
  EditResult result;

  if (!lk_store_begin (self->store, &error))
    {
      lk_server_respond_internal (msg, error);
      return;
    }

  result = apply_edit (edit, hash, &refusal, &error);
  if (result != EDIT_DONE)
    lk_store_rollback (self->store);
  else if (!lk_store_commit (self->store, &error))
    result = EDIT_FAILED;

  if (result == EDIT_FAILED)
    lk_server_respond_internal (msg, error);
  else if (result == EDIT_REFUSED)
    lk_server_respond_error (msg, refusal.status, refusal.code, refusal.message);
  else
    respond_user (self, msg, edit->create ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, edit->username);
}

static void
edit_hashed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(UserEdit) edit = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = lk_server_users_hash_finish (result, &error);

  if (edit->pending.finished)
    return;

  if (hash == NULL)
    lk_server_respond_internal (edit->pending.msg, error);
  else
    finish_edit (edit, hash);
  soup_server_message_unpause (edit->pending.msg);
}

static gboolean
is_nip (const char *text)
{
  if (strlen (text) != NIP_DIGITS)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* "position" (text or null) and "nip" (18 digits or null): a signer's, for
 * the stamp of their letters. FALSE after answering 400. */
static gboolean
parse_position (SoupServerMessage *msg,
                JsonObject        *obj,
                UserEdit          *edit)
{
  const char *position = NULL, *nip = NULL;

  if (json_object_has_member (obj, "position"))
    {
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "position")) &&
          (!lk_server_get_string_member (obj, "position", &position) ||
           !text_is_valid (position, LK_STORE_MAX_TEXT)))
        {
          lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "“position” must be null or 1 to 4096 bytes of text on one line.");
          return FALSE;
        }
      edit->set_position = TRUE;
      edit->position = g_strdup (position);
    }
  if (json_object_has_member (obj, "nip"))
    {
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "nip")) &&
          (!lk_server_get_string_member (obj, "nip", &nip) || !is_nip (nip)))
        {
          lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "“nip” must be null or the 18 digits of a NIP.");
          return FALSE;
        }
      edit->set_nip = TRUE;
      edit->nip = g_strdup (nip);
    }

  return TRUE;
}

/* Reads the members of a user edit from the body; FALSE after answering
 * 400. */
static gboolean
parse_edit (SoupServerMessage *msg,
            JsonObject        *obj,
            UserEdit          *edit)
{
  const char *display_name, *role, *password;

  if (!lk_server_get_string_member (obj, "display_name", &display_name) ||
      !lk_server_get_string_member (obj, "role", &role) ||
      !lk_server_get_string_member (obj, "password", &password) ||
      !get_units (obj, &edit->units))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "“display_name”, “role” and “password” are strings, “units” an "
                               "array of at most 256 unit ids.");
      return FALSE;
    }

  if (display_name != NULL && !text_is_valid (display_name, LK_STORE_MAX_TEXT))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "“display_name” must be 1 to 4096 bytes of text on one line.");
      return FALSE;
    }
  if (role != NULL && lk_role_from_string (role) == LK_ROLE_INVALID)
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "“role” must be officer, signer, inspector or admin.");
      return FALSE;
    }
  if (password != NULL && (strlen (password) < LK_SERVER_MIN_PASSWORD || strlen (password) > LK_SERVER_MAX_PASSWORD))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "A password must be 10 to 256 bytes long.");
      return FALSE;
    }

  if (!parse_position (msg, obj, edit))
    return FALSE;

  edit->display_name = g_strdup (display_name);
  edit->role = lk_role_from_string (role);
  edit->password = g_strdup (password);

  return TRUE;
}

static void
handle_edit (LkServer          *self,
             SoupServerMessage *msg,
             LkServerUser      *admin,
             const char        *name)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(UserEdit) edit = g_new0 (UserEdit, 1);
  JsonObject *obj;

  root = lk_server_parse_body (msg, name == NULL
                               ? "The body must be a JSON object with “username”, “display_name”, "
                                 "“role”, “units” and “password”."
                               : "The body must be a JSON object with any of “display_name”, "
                                 "“role”, “units” and “password”.");
  if (root == NULL)
    return;
  obj = json_node_get_object (root);

  edit->create = name == NULL;
  edit->role = LK_ROLE_INVALID;
  edit->actor = g_strdup (admin->username);
  if (!parse_edit (msg, obj, edit))
    return;

  if (edit->create)
    {
      const char *username;

      if (!lk_server_get_string_member (obj, "username", &username) || !username_is_valid (username))
        {
          lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "“username” must be 1 to 64 of a–z, 0–9, “.”, “_” and “-”.");
          return;
        }
      if (edit->role == LK_ROLE_INVALID || edit->units == NULL || edit->password == NULL)
        {
          lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "A new user needs “role”, “units” and “password”.");
          return;
        }
      edit->username = g_strdup (username);
      if (edit->display_name == NULL)
        edit->display_name = g_strdup (username);
    }
  else
    edit->username = g_strdup (name);

  if (edit->password == NULL)
    {
      edit->pending.self = g_object_ref (self);
      edit->pending.msg = g_object_ref (msg);
      finish_edit (edit, NULL);
      return;
    }

  lk_server_users_pending_start (&edit->pending, self, msg);
  lk_server_users_hash_async (edit->password, edit_hashed_cb, edit);
  g_clear_pointer (&edit->password, lk_server_users_wipe);
  g_steal_pointer (&edit);
}

/* Router of /users… */

void
lk_server_handle_users (LkServer          *self,
                        SoupServerMessage *msg,
                        const char        *rest)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(LkServerUser) user = NULL;
  g_autofree char *name = NULL;
  const char *tail = NULL;
  enum { LIST, CREATE, EDIT, SHOW, CERT_ADD, CERT_LIST } action;

  if (*rest == '\0')
    {
      if (method == SOUP_METHOD_GET)
        action = LIST;
      else if (method == SOUP_METHOD_POST)
        action = CREATE;
      else
        goto bad_method;
    }
  else
    {
      const char *slash;

      g_assert (*rest == '/');
      slash = strchr (rest + 1, '/');
      name = slash != NULL ? g_strndup (rest + 1, slash - rest - 1) : g_strdup (rest + 1);
      tail = slash != NULL ? slash : "";

      if (*tail == '\0')
        {
          if (method == SOUP_METHOD_PUT)
            action = EDIT;
          else if (method == SOUP_METHOD_GET)
            action = SHOW;
          else
            goto bad_method;
        }
      else if (g_str_equal (tail, "/certificates"))
        {
          if (method == SOUP_METHOD_POST)
            action = CERT_ADD;
          else if (method == SOUP_METHOD_GET)
            action = CERT_LIST;
          else
            goto bad_method;
        }
      else
        {
          lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such API endpoint.");
          return;
        }
    }

  user = lk_server_authenticate (self, msg);
  if (user == NULL)
    return;

  if (user->role != LK_ROLE_ADMIN &&
      !((action == CERT_LIST || action == SHOW) && g_strcmp0 (name, user->username) == 0))
    {
      respond_forbidden (msg);
      return;
    }

  if (name != NULL && !username_is_valid (name))
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "A user name is 1 to 64 of a–z, 0–9, “.”, “_” and “-”.");
      return;
    }

  switch (action)
    {
    case LIST:
      handle_list (self, msg);
      break;
    case CREATE:
      handle_edit (self, msg, user, NULL);
      break;
    case EDIT:
      handle_edit (self, msg, user, name);
      break;
    case SHOW:
      respond_user (self, msg, SOUP_STATUS_OK, name);
      break;
    case CERT_ADD:
      lk_server_handle_certificate_post (self, msg, user, name);
      break;
    case CERT_LIST:
      lk_server_handle_certificate_list (self, msg, name);
      break;
    default:
      g_assert_not_reached ();
    }
  return;

bad_method:
  lk_server_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "bad_request",
                           "This endpoint does not take that method.");
}
