/* lk-cli-admin.c — (being written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-cli.h"

int
lk_cli_admin_register_cert_run (int    argc,
                               char **argv)
{
  lk_cli_printerr ("not built yet");
  return LK_CLI_EXIT_ERROR;
}

int
lk_cli_admin_users_run (int    argc,
                       char **argv)
{
  lk_cli_printerr ("not built yet");
  return LK_CLI_EXIT_ERROR;
}

int
lk_cli_admin_add_user_run (int    argc,
                          char **argv)
{
  lk_cli_printerr ("not built yet");
  return LK_CLI_EXIT_ERROR;
}

int
lk_cli_password_run (int    argc,
                    char **argv)
{
  lk_cli_printerr ("not built yet");
  return LK_CLI_EXIT_ERROR;
}
