/* lk-cli.h — what the loketctl command groups share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lk-case-state.h"
#include "sign/lk-token.h"
#include "store/lk-store.h"
#include "sync/lk-blob-cache.h"
#include "sync/lk-sync-client.h"

G_BEGIN_DECLS

/* Exit statuses of every command. */
#define LK_CLI_EXIT_OK    0
#define LK_CLI_EXIT_ERROR 1
#define LK_CLI_EXIT_USAGE 2

/* A command receives its own arguments: argv[0] is the command's name
 * ("sync", "list"), options follow. Returns an LK_CLI_EXIT_* status. */
typedef int (*LkCliRunFunc) (int    argc,
                             char **argv);

/* loketctl sync */
int       lk_cli_sync_run          (int          argc,
                                    char       **argv);
/* loketctl cases list */
int       lk_cli_cases_list_run    (int          argc,
                                    char       **argv);
int       lk_cli_sign_run          (int argc, char **argv);  /* loketctl sign */
int       lk_cli_verify_run        (int argc, char **argv);  /* loketctl verify */
/* loketctl tokens */
int       lk_cli_tokens_run        (int          argc,
                                    char       **argv);

/* loketctl case transition|note (lk-cli-case.c) */
int       lk_cli_case_transition_run (int argc, char **argv);
int       lk_cli_case_note_run     (int argc, char **argv);
int       lk_cli_case_check_run    (int argc, char **argv);
/* loketctl outbox, loketctl conflicts [resolve] (lk-cli-outbox.c) */
int       lk_cli_outbox_run        (int argc, char **argv);
int       lk_cli_conflicts_run     (int argc, char **argv);
int       lk_cli_conflicts_resolve_run (int argc, char **argv);
/* loketctl admin …, loketctl password (lk-cli-admin.c) */
int       lk_cli_admin_register_cert_run (int argc, char **argv);
int       lk_cli_admin_users_run   (int argc, char **argv);
int       lk_cli_admin_add_user_run (int argc, char **argv);
int       lk_cli_password_run      (int argc, char **argv);
/* loketctl letter draft|sign|show (lk-cli-letter.c) */
int       lk_cli_letter_draft_run  (int argc, char **argv);
int       lk_cli_letter_sign_run   (int argc, char **argv);
int       lk_cli_letter_show_run   (int argc, char **argv);
/* loketctl letter revoke (lk-cli-letter-revoke.c) */
int       lk_cli_letter_revoke_run (int argc, char **argv);
/* loketctl numbers void|list (lk-cli-numbers.c) */
int       lk_cli_numbers_void_run  (int argc, char **argv);
int       lk_cli_numbers_list_run  (int argc, char **argv);

/* Helpers (lk-cli-common.c) */

/* Prints "loketctl: MESSAGE" to stderr. */
void      lk_cli_printerr          (const char  *format,
                                    ...) G_GNUC_PRINTF (1, 2);
/* Parses options; on a usage error prints it and returns FALSE. --help
 * prints the help and exits 0. */
gboolean  lk_cli_parse_options     (GOptionContext *context,
                                    int           *argc,
                                    char        ***argv);
/* The password from --password-file (first line) or else $LOKET_PASSWORD;
 * never from the command line. Free with lk_cli_free_password (wipes it). */
char     *lk_cli_read_password     (const char  *password_file,
                                    GError     **error);
void      lk_cli_free_password     (char        *password);
/* The account of the last successful `loketctl sync`, in
 * $XDG_CONFIG_HOME/loket/loketctl.ini. */
gboolean  lk_cli_remember_account  (const char  *server_url,
                                    const char  *username,
                                    GError     **error);
gboolean  lk_cli_get_last_account  (char       **server_url,
                                    char       **username);
/* The local store of --server/--user (both or neither: then the account of
 * the last sync). Prints why not and sets *out_status (an LK_CLI_EXIT_*);
 * out_server_url/out_username (nullable) receive the account's. */
LkStore  *lk_cli_open_account_store (const char  *server_url,
                                     const char  *username,
                                     char       **out_server_url,
                                     char       **out_username,
                                     int         *out_status);
/* Text on one output line: tabs and line breaks become spaces. */
char     *lk_cli_field             (const char  *text);


/* A signed-in account: the client, its local store (brought up to date by
 * lk_cli_session_open) and the blob cache. */
typedef struct
{
  LkSyncClient *client;
  LkStore      *store;
  LkBlobCache  *cache;
  char         *username;
  LkRole        role;
} LkCliSession;

/* Signs in to --server/--user (both or neither: the account of the last
 * sync) with the password of lk_cli_read_password, opens (or creates) the
 * account's store, pushes its outbox and pulls. Prints why not and returns
 * an LK_CLI_EXIT_* status. */
int       lk_cli_session_open      (LkCliSession *session,
                                    const char   *server_url,
                                    const char   *username,
                                    const char   *password_file);
/* Pushes the outbox, then pulls. */
gboolean  lk_cli_session_sync      (LkCliSession *session,
                                    GError      **error);
void      lk_cli_session_clear     (LkCliSession *session);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkCliSession, lk_cli_session_clear)

/* Where a PIN comes from: --pin-file, --pin-env, or the terminal. */
typedef struct
{
  const char *pin_file;
  const char *pin_env;
  gboolean    terminal;
  GError     *error;     /* why no PIN could be given */
} LkCliPinSource;

/* Fills SOURCE from the options; without either, the terminal when stdin
 * is one. Prints why not and returns FALSE (a usage error). */
gboolean  lk_cli_pin_source_init   (LkCliPinSource *source,
                                    const char     *pin_file,
                                    const char     *pin_env);
/* An LkTokenPinFunc for USER_DATA, an LkCliPinSource: a file or a
 * variable is given once, never again after the token rejected it. */
char     *lk_cli_pin_cb            (const char      *token_label,
                                    LkTokenPinFlags  flags,
                                    guint            attempt,
                                    gpointer         user_data);

G_END_DECLS
