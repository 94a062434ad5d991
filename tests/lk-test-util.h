/* lk-test-util.h — fixtures shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LK_TEST_DEMO_PASSWORD "loket-demo"

/* A real loket-server process on 127.0.0.1 (binary from $LOKET_SERVER_BIN). */
typedef struct
{
  GSubprocess *process;
  char        *db_path;   /* owned */
  char        *url;       /* "http://127.0.0.1:PORT" */
  guint16      port;
} LkTestServer;

/* Starts loket-server --db DB_PATH --listen 127.0.0.1:PORT (PORT 0 = a free
 * port chosen by the server, read back from its "listening on URL" line on
 * stdout) with --seed-demo SEED_CASES when seed_cases > 0. Waits until it
 * answers GET /api/v1/health. */
LkTestServer *lk_test_server_start (const char *db_path,
                                    guint16     port,
                                    guint       seed_cases,
                                    GError    **error);
/* The same, with more arguments (NULL-terminated, e.g. "--trust", PATH). A
 * server on the same db_path and port restarts one that was stopped. */
LkTestServer *lk_test_server_start_full (const char         *db_path,
                                         guint16             port,
                                         guint               seed_cases,
                                         const char * const *extra_args,
                                         GError            **error);
/* SIGKILL (hard) or SIGTERM, then waits for the process to end. For SIGTERM
 * the exit status must be 0 (a clean shutdown); returns FALSE otherwise. */
gboolean      lk_test_server_stop  (LkTestServer *server,
                                    gboolean      hard);
void          lk_test_server_free  (LkTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestServer, lk_test_server_free)

/* HTTP against a test server. Every helper asserts on transport errors, so a
 * test only looks at what the server answered. */

typedef struct
{
  guint               status;
  /* The whole body; its data is followed by a NUL byte that the size does not
   * count, so a text body can be read as a string (lk_test_reply_text). */
  GBytes             *body;
  SoupMessageHeaders *headers;  /* the response headers */
} LkTestReply;

void          lk_test_reply_free   (LkTestReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestReply, lk_test_reply_free)

/* METHOD BASE_URL PATH (PATH already escaped) on a fresh SoupSession (no
 * proxy, no connection reused between calls). BEARER, if not NULL, goes in
 * "Authorization: Bearer"; BODY (BODY_LEN bytes, any bytes at all: hostile
 * input is welcome) is sent as application/json when not NULL. HEADERS is NULL
 * or a NULL-terminated list of name, value pairs set on the request (e.g.
 * "Content-Range", "bytes 0-9/20"). */
LkTestReply  *lk_test_http         (const char         *base_url,
                                    const char         *method,
                                    const char         *path,
                                    const char         *bearer,
                                    const void         *body,
                                    gsize               body_len,
                                    const char * const *headers);
/* lk_test_http with a NUL-terminated JSON text (or NULL) and no extra
 * headers. */
LkTestReply  *lk_test_http_json    (const char         *base_url,
                                    const char         *method,
                                    const char         *path,
                                    const char         *bearer,
                                    const char         *json);
/* The body as text ("" when empty). */
const char   *lk_test_reply_text   (LkTestReply *reply);
/* The body parsed; asserts it is a JSON object. Free with json_node_unref. */
JsonNode     *lk_test_reply_json   (LkTestReply *reply);
/* Asserts an error reply as docs/api-v1.md defines it: STATUS, an
 * application/json body {"error": {"code": CODE, "message": non-empty}}. An
 * unexpected status logs the start of the body first (g_test_message). */
void          lk_test_assert_error (LkTestReply *reply,
                                    guint        status,
                                    const char  *code);

/* The POST /api/v1/session body {"username", "password"}. */
char         *lk_test_session_body (const char *username,
                                    const char *password);
/* POST /api/v1/session with USERNAME and PASSWORD, whatever the answer. */
LkTestReply  *lk_test_post_session (const char *base_url,
                                    const char *username,
                                    const char *password);
/* Signs in (asserting 200 and a token) and returns the session token. */
char         *lk_test_sign_in      (const char *base_url,
                                    const char *username,
                                    const char *password);

/* A fresh temporary directory under the test's tmp dir; removed by
 * lk_test_rm_rf. */
char         *lk_test_make_tmpdir  (const char *name);
void          lk_test_rm_rf        (const char *path);

G_END_DECLS
