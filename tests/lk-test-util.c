/* lk-test-util.c — fixtures shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <glib/gstdio.h>
#include "lk-test-util.h"

/* Generous: seeding a large demo database under a sanitizer takes a while. */
#define START_TIMEOUT_SECONDS 240
#define HEALTH_ATTEMPTS       100
/* Fixed demo data, so every suite sees the same records. */
#define DEMO_SEED             "1"
#define DEMO_TODAY            "2026-03-02"
/* How much of an unexpected reply lk_test_assert_error logs. */
#define ERROR_LOG_BYTES       400

typedef struct
{
  GMainLoop *loop;
  char      *line;
  GError    *error;
  gboolean   done;
} ReadLine;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadLine *rl = user_data;

  rl->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                        result, NULL, &rl->error);
  rl->done = TRUE;
  g_main_loop_quit (rl->loop);
}

static gboolean
read_timeout_cb (gpointer user_data)
{
  ReadLine *rl = user_data;

  g_main_loop_quit (rl->loop);
  return G_SOURCE_REMOVE;
}

/* Reads the server's first stdout line, giving up after a timeout. */
static char *
read_listening_line (GSubprocess  *process,
                     GError      **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  ReadLine rl = { 0 };

  g_main_context_push_thread_default (context);

  data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  rl.loop = g_main_loop_new (context, FALSE);
  g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, cancellable, read_line_cb, &rl);
  timeout = g_timeout_source_new_seconds (START_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, read_timeout_cb, &rl, NULL);
  g_source_attach (timeout, context);

  g_main_loop_run (rl.loop);
  g_source_destroy (timeout);

  if (!rl.done)
    {
      g_cancellable_cancel (cancellable);
      while (!rl.done)
        g_main_context_iteration (context, TRUE);
    }

  g_main_loop_unref (rl.loop);
  g_main_context_pop_thread_default (context);

  if (rl.error != NULL)
    {
      if (g_error_matches (rl.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&rl.error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "loket-server did not say where it listens within %d s",
                       START_TIMEOUT_SECONDS);
        }
      else
        g_propagate_error (error, rl.error);
      g_free (rl.line);
      return NULL;
    }
  if (rl.line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "loket-server exited before it listened (see its stderr above)");
      return NULL;
    }

  return rl.line;
}

static gboolean
wait_healthy (const char  *url,
              GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *health = g_strconcat (url, "/api/v1/health", NULL);

  for (int i = 0; i < HEALTH_ATTEMPTS; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", health);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) local_error = NULL;

      body = soup_session_send_and_read (session, msg, NULL, &local_error);
      if (body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
        return TRUE;
      g_usleep (50 * 1000);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "loket-server at %s does not answer GET /api/v1/health", url);
  return FALSE;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

LkTestServer *
lk_test_server_start (const char  *db_path,
                      guint16      port,
                      guint        seed_cases,
                      GError     **error)
{
  return lk_test_server_start_full (db_path, port, seed_cases, NULL, error);
}

LkTestServer *
lk_test_server_start_full (const char         *db_path,
                           guint16             port,
                           guint               seed_cases,
                           const char * const *extra_args,
                           GError            **error)
{
  g_autoptr(LkTestServer) server = g_new0 (LkTestServer, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  const char *bin = g_getenv ("LOKET_SERVER_BIN");
  const char *url;
  GUri *uri;

  g_return_val_if_fail (db_path != NULL, NULL);

  if (bin == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "LOKET_SERVER_BIN is not set; run the tests with meson test");
      return NULL;
    }

  g_ptr_array_add (argv, g_strdup (bin));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db_path));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  if (seed_cases > 0)
    {
      g_ptr_array_add (argv, g_strdup ("--seed-demo"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", seed_cases));
      g_ptr_array_add (argv, g_strdup ("--demo-seed=" DEMO_SEED));
      g_ptr_array_add (argv, g_strdup ("--demo-today=" DEMO_TODAY));
    }
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  server->db_path = g_strdup (db_path);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* A test that crashes takes its server with it; otherwise the orphan
   * keeps meson's output pipe open until the test times out. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (server->process == NULL)
    return NULL;

  line = read_listening_line (server->process, error);
  if (line == NULL)
    return NULL;
  if (!g_str_has_prefix (line, "listening on "))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "loket-server printed “%s” instead of “listening on URL”", line);
      return NULL;
    }
  url = line + strlen ("listening on ");
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_port (uri) <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "loket-server printed a bad URL “%s”", url);
      g_clear_pointer (&uri, g_uri_unref);
      return NULL;
    }
  server->port = (guint16) g_uri_get_port (uri);
  server->url = g_strdup (url);
  g_uri_unref (uri);

  if (!wait_healthy (server->url, error))
    return NULL;

  return g_steal_pointer (&server);
}

gboolean
lk_test_server_stop (LkTestServer *server,
                     gboolean      hard)
{
  g_return_val_if_fail (server != NULL, FALSE);

  if (server->process == NULL)
    return FALSE;

  g_subprocess_send_signal (server->process, hard ? SIGKILL : SIGTERM);
  if (!g_subprocess_wait (server->process, NULL, NULL))
    return FALSE;

  if (hard)
    return TRUE;

  return g_subprocess_get_if_exited (server->process) &&
         g_subprocess_get_exit_status (server->process) == 0;
}

void
lk_test_server_free (LkTestServer *server)
{
  if (server == NULL)
    return;

  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_free (server->db_path);
  g_free (server->url);
  g_free (server);
}

char *
lk_test_make_tmpdir (const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("loket-test-%s-XXXXXX", name != NULL ? name : "tmp");
  g_autoptr(GError) error = NULL;
  char *path;

  g_strdelimit (tmpl, "/\\ ", '_');
  path = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);

  return path;
}

void
lk_test_rm_rf (const char *path)
{
  GStatBuf st;

  if (path == NULL || g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          lk_test_rm_rf (child);
        }
      if (g_rmdir (path) != 0)
        g_warning ("Cannot remove %s: %s", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0)
    g_warning ("Cannot remove %s: %s", path, g_strerror (errno));
}

void
lk_test_reply_free (LkTestReply *reply)
{
  if (reply == NULL)
    return;

  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

LkTestReply *
lk_test_http (const char         *base_url,
              const char         *method,
              const char         *path,
              const char         *bearer,
              const void         *body,
              gsize               body_len,
              const char * const *headers)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers;
  LkTestReply *reply;
  char *text;
  gsize size;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  if (bearer != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (request_headers, "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    {
      g_assert_nonnull (headers[i + 1]);
      soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  received = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  /* A copy with a NUL after the data, so text bodies read as strings. */
  size = g_bytes_get_size (received);
  text = g_malloc (size + 1);
  if (size > 0)
    memcpy (text, g_bytes_get_data (received, NULL), size);
  text[size] = '\0';

  reply = g_new0 (LkTestReply, 1);
  reply->status = soup_message_get_status (msg);
  reply->body = g_bytes_new_take (text, size);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  return reply;
}

LkTestReply *
lk_test_http_json (const char *base_url,
                   const char *method,
                   const char *path,
                   const char *bearer,
                   const char *json)
{
  return lk_test_http (base_url, method, path, bearer,
                       json, json != NULL ? strlen (json) : 0, NULL);
}

const char *
lk_test_reply_text (LkTestReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return g_bytes_get_size (reply->body) > 0 ? g_bytes_get_data (reply->body, NULL) : "";
}

JsonNode *
lk_test_reply_json (LkTestReply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (reply->body, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_copy (json_parser_get_root (parser));
}

void
lk_test_assert_error (LkTestReply *reply,
                      guint        status,
                      const char  *code)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *err;

  if (reply->status != status)
    g_test_message ("unexpected reply %u: %.*s", reply->status, ERROR_LOG_BYTES,
                    lk_test_reply_text (reply));
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  root = lk_test_reply_json (reply);
  err = json_object_get_object_member (json_node_get_object (root), "error");
  g_assert_nonnull (err);
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (err, "message")), >, 0);
}

char *
lk_test_session_body (const char *username,
                      const char *password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, username);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);

  return json_generator_to_data (gen, NULL);
}

LkTestReply *
lk_test_post_session (const char *base_url,
                      const char *username,
                      const char *password)
{
  g_autofree char *body = lk_test_session_body (username, password);

  return lk_test_http_json (base_url, "POST", "/api/v1/session", NULL, body);
}

char *
lk_test_sign_in (const char *base_url,
                 const char *username,
                 const char *password)
{
  g_autoptr(LkTestReply) reply = lk_test_post_session (base_url, username, password);
  g_autoptr(JsonNode) root = NULL;
  const char *token;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = lk_test_reply_json (reply);
  token = json_object_get_string_member (json_node_get_object (root), "token");
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, "");

  return g_strdup (token);
}
