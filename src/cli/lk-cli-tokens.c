/* lk-cli-tokens.c — loketctl tokens: the PKCS#11 tokens and their signing certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <glib/gi18n.h>

#include "sign/lk-token.h"

#include "lk-cli.h"

static void
print_certificate (LkTokenCert *cert)
{
  g_autofree char *label = lk_cli_field (cert->label != NULL ? cert->label : "");
  g_autofree char *subject = lk_cli_field (cert->subject);
  g_autofree char *issuer = lk_cli_field (cert->issuer);
  g_autofree char *not_before = g_date_time_format (cert->not_before, "%Y-%m-%d");
  g_autofree char *not_after = g_date_time_format (cert->not_after, "%Y-%m-%d");

  g_print ("  %s: %s (%s %u)\n", _("Certificate"), label,
           lk_token_key_type_to_string (cert->key_type), cert->key_bits);
  g_print ("    %s: %s\n", _("Subject"), subject);
  g_print ("    %s: %s\n", _("Issuer"), issuer);
  g_print ("    %s: %s – %s\n", _("Valid"), not_before, not_after);
  g_print ("    %s: %s\n", _("Certificate URL"), cert->url);
  g_print ("    %s: %s\n", _("Key URL"), cert->key_url);
}

int
lk_cli_tokens_run (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autofree char *module = NULL;
  const GOptionEntry entries[] = {
    { "module", 'm', 0, G_OPTION_ARG_FILENAME, &module,
      N_("Load only this PKCS#11 module (default: the modules registered with p11-kit)"),
      N_("PATH") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Lists the PKCS#11 tokens with their flags, and the certificates "
                                  "that have a private key on the token, with the PKCS#11 URLs "
                                  "to give to “loketctl sign”. No PIN is asked."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;

  if (argc > 1)
    {
      lk_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return LK_CLI_EXIT_USAGE;
    }

  if (!lk_token_init (module, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  tokens = lk_token_list_tokens (&error);
  if (tokens == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  if (tokens->len == 0)
    {
      g_print ("%s\n", _("No token found. Is it inserted, and its module registered with p11-kit "
                         "or given with --module?"));
      return LK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < tokens->len; i++)
    {
      LkTokenInfo *token = g_ptr_array_index (tokens, i);
      g_autoptr(GPtrArray) certs = NULL;
      g_autoptr(GError) cert_error = NULL;
      g_autofree char *flags = lk_token_flags_to_string (token->flags);
      g_autofree char *label = lk_cli_field (token->label);

      if (i > 0)
        g_print ("\n");
      g_print ("%s: %s\n", _("Token"), label);
      g_print ("  %s: %s\n", _("Manufacturer"), token->manufacturer);
      g_print ("  %s: %s\n", _("Model"), token->model);
      g_print ("  %s: %s\n", _("Serial"), token->serial);
      g_print ("  %s: %s\n", _("Flags"), *flags != '\0' ? flags : _("none"));
      g_print ("  %s: %s\n", _("URL"), token->url);

      certs = lk_token_list_certificates (token->url, &cert_error);
      if (certs == NULL)
        {
          lk_cli_printerr ("%s", cert_error->message);
          continue;
        }
      if (certs->len == 0)
        g_print ("  %s\n", _("No signing certificate (a certificate with a key of the same ID)."));
      for (guint j = 0; j < certs->len; j++)
        print_certificate (g_ptr_array_index (certs, j));
    }

  return LK_CLI_EXIT_OK;
}
