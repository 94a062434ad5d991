/* lk-app-test-util.h — scaffolding shared by the app tests (tests/app):
 * spinning the main loop until a condition holds, the main() preamble, a
 * real loket-server with the demo seed, the app's window signed in, and a
 * throwaway gnome-keyring-daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsecret/secret.h>

#include "lk-application.h"
#include "store/lk-store.h"
#include "sync/lk-sync-client.h"
#include "lk-test-util.h"

G_BEGIN_DECLS

/* A GSourceFunc (or a swapped signal handler) that sets the gboolean at
 * DATA to TRUE and removes itself. */
gboolean      lk_app_test_set_true_cb                 (gpointer data);

/* The state of one WAIT_UNTIL: a timeout that only guards against hangs
 * (nothing is asserted about timing) and, when POLL_MS > 0, a source that
 * wakes the loop every POLL_MS for conditions no event announces. */
typedef struct
{
  gboolean timed_out;
  guint    timeout_id;
  guint    poll_id;
} LkAppTestWait;

void          lk_app_test_wait_begin                  (LkAppTestWait *wait,
                                                       guint          seconds,
                                                       guint          poll_ms);
void          lk_app_test_wait_end                    (LkAppTestWait *wait);

/* Spins the default main context until COND holds or SECONDS pass, then
 * asserts COND (so a hang fails at the caller's line). */
#define LK_APP_TEST_WAIT_UNTIL(cond, seconds, poll_ms)                     \
  G_STMT_START {                                                           \
    LkAppTestWait wait_;                                                   \
    lk_app_test_wait_begin (&wait_, (seconds), (poll_ms));                 \
    while (!(cond) && !wait_.timed_out)                                    \
      g_main_context_iteration (NULL, TRUE);                               \
    lk_app_test_wait_end (&wait_);                                         \
    g_assert_true (cond);                                                  \
  } G_STMT_END

/* A test may define WAIT_SECONDS and WAIT_POLL_MS before including this. */
#ifndef WAIT_SECONDS
#define WAIT_SECONDS 120
#endif
#ifndef WAIT_POLL_MS
#define WAIT_POLL_MS 0
#endif
#define WAIT_UNTIL(cond) LK_APP_TEST_WAIT_UNTIL (cond, WAIT_SECONDS, WAIT_POLL_MS)

/* Instead of g_test_init(): GIO's proxy resolver is the dummy one (the
 * isolated XDG dirs hide the system's org.gnome.system.proxy schema, which
 * the GNOME resolver would abort on; loopback needs no proxy), then
 * g_test_init() with G_TEST_OPTION_ISOLATE_DIRS, keeping the system's shared
 * MIME database (without it GdkPixbuf cannot tell an SVG icon from
 * garbage). */
void          lk_app_test_init                        (int           *argc,
                                                       char        ***argv);
/* XDG_DATA_DIRS as it was before lk_app_test_init() isolated the dirs. */
const char   *lk_app_test_get_system_data_dirs        (void);

/* A new non-unique LkApplication, registered; the fixture's tear-down
 * closes its windows. */
LkApplication *lk_app_test_application_new            (void);

/* A real loket-server on TMPDIR/server.db, seeded with SEED_CASES demo
 * cases; asserts it started. */
LkTestServer *lk_app_test_server_start                (const char    *tmpdir,
                                                       guint          seed_cases);
/* Stops *SERVER if it still runs (asserting a clean shutdown), frees it,
 * removes *TMPDIR and frees it; both pointers end up NULL. */
void          lk_app_test_server_clear                (LkTestServer **server,
                                                       char         **tmpdir);

/* The fixture of most app tests: a server in a directory of the test. */
typedef struct
{
  char         *tmpdir;
  LkTestServer *server;
} LkAppTestFixture;

/* A directory NAME-XXXXXX and a server seeded with SEED_CASES in it;
 * $LOKET_PASSWORD is set to PASSWORD, or unset when PASSWORD is NULL. */
void          lk_app_test_fixture_start               (LkAppTestFixture *fixture,
                                                       const char       *name,
                                                       guint             seed_cases,
                                                       const char       *password);
/* The same as a GTestFixtureFunc: directory "server", GPOINTER_TO_UINT
 * (SEED_CASES) demo cases, the demo password. */
void          lk_app_test_fixture_set_up              (LkAppTestFixture *fixture,
                                                       gconstpointer     seed_cases);
/* Closes the windows of the app of lk_app_test_application_new(), unsets
 * $LOKET_PASSWORD, stops the server (asserting a clean shutdown) and removes
 * the directory. */
void          lk_app_test_fixture_tear_down           (LkAppTestFixture *fixture,
                                                       gconstpointer     data);

/* Adds the test FUNC at PATH with that fixture and SEED_CASES demo cases. */
#define LK_APP_TEST_ADD(path, seed_cases, func)                            \
  g_test_add ((path), LkAppTestFixture, GUINT_TO_POINTER (seed_cases),     \
              lk_app_test_fixture_set_up, func, lk_app_test_fixture_tear_down)

/* Destroys every window of APP and lets their pending callbacks run out. */
void          lk_app_test_close_all_windows           (LkApplication *app);

/* Opens the account USERNAME on URL and waits for its window. */
LkWindow     *lk_app_test_open_account                (LkApplication *app,
                                                       const char    *url,
                                                       const char    *username);
/* The same, then waits for the end of the first sync, whatever its outcome
 * (synced, offline or failed). */
LkWindow     *lk_app_test_open_window                 (LkApplication *app,
                                                       const char    *url,
                                                       const char    *username);

/* What the server holds as USERNAME sees it: signs in with the demo
 * password and pulls everything into a fresh client store in TMPDIR. */
LkStore      *lk_app_test_pull_server_store           (const char    *url,
                                                       const char    *username,
                                                       const char    *tmpdir);

/* With LOKET_TEST_SCREENSHOT=FILE.png, saves what the content of WINDOW (an
 * AdwApplicationWindow) shows, for a person to look at; nothing is asserted
 * on pixels. */
void          lk_app_test_maybe_save_screenshot       (GtkWidget     *window);

/* The app's libsecret schema, written out again: a change on either side
 * fails the tests. */
const SecretSchema *lk_app_test_secret_schema         (void);

/* gnome-keyring-daemon on the session bus of the test (which must be a
 * private one), its files in a directory of the test, the login keyring
 * unlocked with a throwaway password. */
void          lk_app_test_keyring_daemon_start        (void);
/* Disconnects libsecret, stops the daemon and removes its files. */
void          lk_app_test_keyring_daemon_stop         (void);

G_END_DECLS
