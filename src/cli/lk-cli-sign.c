/* lk-cli-sign.c — loketctl sign: PAdES B-B and B-T signatures with a PKCS#11 key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/x509.h>

#include "sign/lk-cms.h"
#include "sign/lk-pades.h"
#include "sign/lk-token.h"
#include "sign/lk-token-key.h"

#include "lk-cli.h"

/* PAGE:X,Y,W,H with a 1-based PAGE, into OPTS (0-based page). */
static gboolean
parse_visible (const char     *spec,
               LkPadesOptions *opts)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 2);
  g_auto(GStrv) numbers = NULL;
  guint64 page = 0;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT, &page, NULL))
    return FALSE;
  numbers = g_strsplit (parts[1], ",", -1);
  if (g_strv_length (numbers) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      char *end = NULL;
      double value = g_ascii_strtod (numbers[i], &end);

      if (end == numbers[i] || *end != '\0' || !(value > -100000 && value < 100000))
        return FALSE;
      opts->rect[i] = value;
    }
  if (!(opts->rect[2] > 0 && opts->rect[3] > 0))
    return FALSE;
  opts->visible = TRUE;
  opts->page = (guint) page - 1;
  return TRUE;
}

int
lk_cli_sign_run (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *key_url = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *chain_file = NULL;
  g_autofree char *pin_file = NULL;
  g_autofree char *pin_env = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *location = NULL;
  g_autofree char *module = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *tsa_url = NULL;
  g_autofree char *visible = NULL;
  g_autofree char *image = NULL;
  LkCliPinSource source = { NULL, };
  LkPadesOptions opts = { NULL, };
  guint n_inputs, failed = 0;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key_url,
      N_("The private key’s PKCS#11 URL (see “loketctl tokens”)"), N_("URL") },
    { "cert", 'c', 0, G_OPTION_ARG_FILENAME, &cert,
      N_("The signer certificate: a PKCS#11 URL or a PEM/DER file (default: the one on the token with the key’s ID)"),
      N_("URL|FILE") },
    { "chain", 0, 0, G_OPTION_ARG_FILENAME, &chain_file,
      N_("PEM file of the issuing certificates to embed"), N_("FILE") },
    { "pin-file", 0, 0, G_OPTION_ARG_FILENAME, &pin_file,
      N_("Read the PIN from the first line of this file"), N_("FILE") },
    { "pin-env", 0, 0, G_OPTION_ARG_STRING, &pin_env,
      N_("Read the PIN from this environment variable"), N_("VAR") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("The reason for signing, stored in the signature"), N_("TEXT") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Where it was signed, stored in the signature"), N_("TEXT") },
    { "tsa", 0, 0, G_OPTION_ARG_STRING, &tsa_url,
      N_("Add an RFC 3161 timestamp from this TSA (PAdES B-T)"), N_("URL") },
    { "visible", 0, 0, G_OPTION_ARG_STRING, &visible,
      N_("Show the signature on page PAGE (from 1) in the rectangle X,Y (lower-left corner) "
         "and W×H, in points from the page’s lower-left corner"), N_("PAGE:X,Y,W,H") },
    { "image", 0, 0, G_OPTION_ARG_FILENAME, &image,
      N_("Show this PNG (at most 4096×4096 pixels and 16 MiB) on the left of the visible "
         "signature; needs --visible"), N_("FILE.png") },
    { "module", 'm', 0, G_OPTION_ARG_FILENAME, &module,
      N_("Load only this PKCS#11 module (default: the modules registered with p11-kit)"),
      N_("PATH") },
    { "out-dir", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Sign every input into this directory under its own name"), N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (_("IN.pdf OUT.pdf | --out-dir DIR IN.pdf…"));
  g_option_context_set_summary (context,
                                _("Signs PDF files (PAdES B-B, or B-T with --tsa; an invisible signature "
                                  "unless --visible) with a key on a "
                                  "PKCS#11 token, logging in once for all of them. The PIN comes from "
                                  "--pin-file or --pin-env, or is asked on the terminal; never from the "
                                  "command line. Nothing is written to an output whose signing fails."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;

  if (key_url == NULL)
    {
      lk_cli_printerr (_("Give the key with --key PKCS11-URL (see “loketctl tokens”)"));
      return LK_CLI_EXIT_USAGE;
    }
  if (pin_file != NULL && pin_env != NULL)
    {
      lk_cli_printerr (_("Give either --pin-file or --pin-env, not both"));
      return LK_CLI_EXIT_USAGE;
    }
  n_inputs = argc > 1 ? (guint) argc - 1 : 0;
  if (out_dir == NULL && n_inputs != 2)
    {
      lk_cli_printerr (_("Give IN.pdf and OUT.pdf, or --out-dir DIR and the input files"));
      return LK_CLI_EXIT_USAGE;
    }
  if (out_dir != NULL && n_inputs == 0)
    {
      lk_cli_printerr (_("Give the files to sign into %s"), out_dir);
      return LK_CLI_EXIT_USAGE;
    }
  if (out_dir != NULL && !g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      lk_cli_printerr (_("The output directory %s does not exist"), out_dir);
      return LK_CLI_EXIT_USAGE;
    }

  if (visible != NULL && !parse_visible (visible, &opts))
    {
      lk_cli_printerr (_("--visible wants PAGE:X,Y,W,H: a page from 1, and a rectangle in points "
                         "with a positive width and height, e.g. 1:50,50,200,60"));
      return LK_CLI_EXIT_USAGE;
    }
  if (image != NULL && visible == NULL)
    {
      lk_cli_printerr (_("--image needs --visible: an invisible signature shows no image"));
      return LK_CLI_EXIT_USAGE;
    }
  opts.image_path = image;
  if (tsa_url != NULL &&
      !g_str_has_prefix (tsa_url, "http://") && !g_str_has_prefix (tsa_url, "https://"))
    {
      lk_cli_printerr (_("--tsa wants an http:// or https:// URL"));
      return LK_CLI_EXIT_USAGE;
    }

  if (!lk_cli_pin_source_init (&source, pin_file, pin_env))
    return LK_CLI_EXIT_USAGE;

  if (chain_file != NULL)
    {
      chain = lk_cms_load_certificates (chain_file, &error);
      if (chain == NULL)
        {
          lk_cli_printerr ("%s", error->message);
          return LK_CLI_EXIT_ERROR;
        }
    }

  if (!lk_token_init (module, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  key = lk_token_key_open (key_url, cert, lk_cli_pin_cb, &source, NULL, &error);
  if (key == NULL)
    {
      if (source.error != NULL)
        lk_cli_printerr ("%s", source.error->message);
      else
        lk_cli_printerr ("%s", error->message);
      g_clear_error (&source.error);
      return LK_CLI_EXIT_ERROR;
    }
  /* Without --chain, the issuers stored on the token go with the signer. */
  if (chain == NULL)
    {
      chain = lk_token_key_find_chain (key, &error);
      if (chain == NULL)
        {
          lk_cli_printerr ("%s", error->message);
          return LK_CLI_EXIT_ERROR;
        }
    }

  if (lk_token_key_get_always_authenticate (key) && n_inputs > 1 && !source.terminal)
    lk_cli_printerr (_("Note: this key wants the PIN for every signature; it is given again for each file"));

  opts.reason = reason;
  opts.location = location;
  opts.tsa_url = tsa_url;

  for (guint i = 0; i < (out_dir != NULL ? n_inputs : 1); i++)
    {
      const char *in = argv[1 + i];
      g_autofree char *base = NULL;
      g_autofree char *out = NULL;
      g_autoptr(GError) sign_error = NULL;

      if (out_dir != NULL)
        {
          base = g_path_get_basename (in);
          out = g_build_filename (out_dir, base, NULL);
        }
      else
        out = g_strdup (argv[2]);

      if (lk_pades_sign (key, chain, &opts, in, out, NULL, &sign_error))
        {
          g_print (_("%s → %s: signed\n"), in, out);
        }
      else
        {
          g_autofree char *message = lk_cli_field (sign_error->message);

          g_print (_("%s: error: %s\n"), in, message);
          failed++;
        }
    }

  g_clear_error (&source.error);
  return failed > 0 ? LK_CLI_EXIT_ERROR : LK_CLI_EXIT_OK;
}
