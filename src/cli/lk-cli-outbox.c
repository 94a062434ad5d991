/* lk-cli-outbox.c — (being written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-cli.h"

int
lk_cli_outbox_run (int    argc,
                  char **argv)
{
  lk_cli_printerr ("not built yet");
  return LK_CLI_EXIT_ERROR;
}

int
lk_cli_conflicts_run (int    argc,
                     char **argv)
{
  lk_cli_printerr ("not built yet");
  return LK_CLI_EXIT_ERROR;
}

int
lk_cli_conflicts_resolve_run (int    argc,
                             char **argv)
{
  lk_cli_printerr ("not built yet");
  return LK_CLI_EXIT_ERROR;
}
