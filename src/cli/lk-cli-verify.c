/* lk-cli-verify.c — loketctl verify: checks the signatures of a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sign/lk-pades-verify.h"

#include "lk-cli.h"

int
lk_cli_verify_run (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) trust = NULL;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPadesVerifyReport) report = NULL;
  const GOptionEntry entries[] = {
    { "trust", 't', 0, G_OPTION_ARG_FILENAME_ARRAY, &trust,
      N_("Trust the CA certificates in this PEM file (may be repeated)"), N_("CA.pem") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the report as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE.pdf"));
  g_option_context_set_summary (context,
                                _("Checks every signature of a PDF: the signed bytes, the signature, "
                                  "the certificate chain to the --trust anchors, the timestamp, and "
                                  "what later revisions changed. Exit status 0 only when there is at "
                                  "least one signature, all are valid and trusted, every timestamp comes "
                                  "from a trusted timestamp authority, and no page content changed after "
                                  "them."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      lk_cli_printerr (argc < 2 ? _("Give one PDF file to verify")
                                : _("Give only one PDF file to verify"));
      return LK_CLI_EXIT_USAGE;
    }

  report = lk_pades_verify_file (argv[1], (const char * const *) trust, &error);
  if (report == NULL)
    {
      lk_cli_printerr ("%s: %s", argv[1], error->message);
      return LK_CLI_EXIT_ERROR;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = lk_pades_verify_report_to_json (report);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      g_autofree char *text = lk_pades_verify_report_to_text (report);

      g_print ("%s", text);
    }

  return report->ok ? LK_CLI_EXIT_OK : LK_CLI_EXIT_ERROR;
}
