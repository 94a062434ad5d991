/* lk-test-util.h — fixtures shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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

/* A fresh temporary directory under the test's tmp dir; removed by
 * lk_test_rm_rf. */
char         *lk_test_make_tmpdir  (const char *name);
void          lk_test_rm_rf        (const char *path);

G_END_DECLS
