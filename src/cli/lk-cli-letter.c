/* lk-cli-letter.c — loketctl letter draft|sign|show: a case's letter from
 * the template to the signed PDF the server delivers
 *
 * draft: renders the case's letter with its service type's template (or
 * the built-in one), a number from the server (or an offline block) and a
 * new letter id, and queues it as the case's newest draft document.
 * sign:  one token login, then each case's draft is signed with a visible
 * stamp and moved to "signed"; the server registers and mails the letter.
 * show:  the letter's number, the case's state, the verification URL and
 * the letter's status and delivery, as synced from the server.
 *
 * Each command signs in (password from $LOKET_PASSWORD or --password-file),
 * pushes the outbox and pulls before it works, and pushes what it queued.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "letter/lk-letter-draft.h"
#include "letter/lk-letter-template.h"
#include "sign/lk-sign-batch.h"
#include "sign/lk-token-key.h"
#include "sync/lk-numbers.h"
#include "sync/lk-outbox.h"

#include "lk-cli.h"

#define META_PUBLIC_URL "loketctl.public_url"  /* for `letter show --no-sync` */
#define MAX_RECEIPTS    1000                    /* cases one `letter sign` takes */

/* Helpers */

/* A GDestroyNotify for arrays with holes. */
static void
unref_case (gpointer kase)
{
  if (kase != NULL)
    g_object_unref (kase);
}

static LkCase *
find_case (LkStore    *store,
           const char *receipt,
           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  LkCase *kase = lk_store_find_case_by_receipt (store, receipt, &local_error);

  if (kase != NULL)
    return kase;
  if (local_error == NULL || g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                 _("There is no case with the receipt number “%s” among the cases you may see"),
                 receipt);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static LkServiceType *
find_service_type (LkStore     *store,
                   const char  *id,
                   GError     **error)
{
  g_autoptr(GPtrArray) types = lk_store_list_service_types (store, error);

  if (types == NULL)
    return NULL;
  for (guint i = 0; i < types->len; i++)
    if (g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (types, i)), id) == 0)
      return g_object_ref (g_ptr_array_index (types, i));

  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
               _("The case’s service type is not in the local store"));
  return NULL;
}

/* The server's public URL (the base of /v/ID), remembered for offline use. */
static char *
public_url (LkCliSession *session)
{
  const char *url = NULL;

  if (session->client != NULL)
    {
      url = lk_sync_client_get_public_url (session->client);
      if (url == NULL || *url == '\0')
        url = lk_sync_client_get_server_url (session->client);
      lk_store_set_meta (session->store, META_PUBLIC_URL, url, NULL);
      return g_strdup (url);
    }

  return lk_store_get_meta (session->store, META_PUBLIC_URL);
}

/* The ids of the open conflicts, to tell the new ones after a push. */
static GHashTable *
open_conflict_ids (LkStore *store)
{
  g_autoptr(GPtrArray) conflicts = lk_outbox_list_conflicts (store, FALSE, NULL);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    g_hash_table_add (ids, g_strdup (((LkConflict *) g_ptr_array_index (conflicts, i))->id));
  return ids;
}

/* The server's reason for refusing the newest operation on RECORD_ID that
 * was not refused before (BEFORE: open_conflict_ids), or NULL. */
static char *
new_conflict_message (LkStore    *store,
                      GHashTable *before,
                      const char *record_id)
{
  g_autoptr(GPtrArray) conflicts = lk_outbox_list_conflicts (store, FALSE, NULL);

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      LkConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (conflict->record_id, record_id) != 0 || g_hash_table_contains (before, conflict->id))
        continue;
      if (conflict->message != NULL)
        return g_strdup (conflict->message);
      return g_strdup (conflict->status == LK_CONFLICT_STATUS_CONFLICT
                       ? _("the case changed on the server meanwhile (see “loketctl conflicts list”)")
                       : _("the server refused it (see “loketctl conflicts list”)"));
    }
  return NULL;
}

/* The letters record of the case's newest letter, or NULL. */
static JsonObject *
newest_letter (LkStore    *store,
               const char *case_id)
{
  g_autoptr(GPtrArray) letters = lk_store_list_case_letters (store, case_id, NULL);

  if (letters == NULL || letters->len == 0)
    return NULL;
  return json_object_ref (g_ptr_array_index (letters, 0));
}

/* The case's newest draft document, or NULL. */
static LkDocument *
find_draft (LkStore    *store,
            const char *case_id)
{
  g_autoptr(GPtrArray) documents = lk_store_list_documents (store, case_id, NULL);
  LkDocument *draft = lk_sign_batch_pick_draft (documents);

  return draft != NULL ? g_object_ref (draft) : NULL;
}

/* What the cached draft's /Keywords say, or NULL when it is not cached or
 * carries none. */
static LkLetterInfo *
draft_info (LkCliSession *session,
            LkDocument   *draft)
{
  g_autofree char *path = NULL;

  if (draft == NULL)
    return NULL;
  if (session->client != NULL)
    path = lk_sync_client_fetch_blob (session->client, session->cache,
                                      lk_document_get_sha256 (draft), NULL, NULL);
  else
    path = lk_blob_cache_lookup (session->cache, lk_document_get_sha256 (draft));
  if (path == NULL)
    return NULL;
  return lk_letter_read_info_file (path, NULL);
}

static const GOptionEntry *
account_entries (char **server_url,
                 char **username,
                 char **password_file)
{
  static GOptionEntry entries[4];

  entries[0] = (GOptionEntry) { "server", 's', 0, G_OPTION_ARG_STRING, server_url,
                                N_("The server (default: that of the last sync)"), N_("URL") };
  entries[1] = (GOptionEntry) { "user", 'u', 0, G_OPTION_ARG_STRING, username,
                                N_("The user name (default: that of the last sync)"), N_("NAME") };
  entries[2] = (GOptionEntry) { "password-file", 0, 0, G_OPTION_ARG_FILENAME, password_file,
                                N_("Read the password from the first line of FILE (default: $LOKET_PASSWORD)"),
                                N_("FILE") };
  entries[3] = (GOptionEntry) { NULL };
  return entries;
}

static GOptionContext *
new_context (const char         *parameter,
             const char         *summary,
             const GOptionEntry *account,
             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, account, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

/* draft */

/* The service type's template: its record, else the built-in one. */
static LkLetterTemplate *
load_template (LkStore        *store,
               LkServiceType  *service,
               gint64         *out_version,
               GError        **error)
{
  g_autoptr(JsonObject) record = lk_store_get_json (store, LK_KIND_TEMPLATE,
                                                    lk_service_type_get_id (service), NULL);
  LkLetterTemplate *template;
  const char *body;

  *out_version = 0;
  if (record == NULL)
    return lk_letter_template_new_default (service);

  body = json_object_get_string_member_with_default (record, "body", NULL);
  template = lk_letter_template_parse (body != NULL ? body : "", -1, error);
  if (template == NULL)
    {
      g_prefix_error (error, _("The template of “%s” cannot be used: "), lk_service_type_get_name (service));
      return NULL;
    }
  *out_version = json_object_get_int_member_with_default (record, "version", 0);
  return template;
}

static int
next_position (LkStore    *store,
               const char *case_id)
{
  g_autoptr(GPtrArray) documents = lk_store_list_documents (store, case_id, NULL);
  int next = 0;

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    next = MAX (next, lk_document_get_position (g_ptr_array_index (documents, i)) + 1);
  return next;
}

/* Renders and queues the draft of KASE; returns the document's id. */
static char *
draft_letter (LkCliSession  *session,
              LkCase        *kase,
              char         **out_number,
              char         **out_letter_id,
              gboolean      *out_offline,
              GError       **error)
{
  g_autoptr(LkServiceType) service = NULL;
  g_autoptr(LkLetterTemplate) template = NULL;
  g_autoptr(JsonObject) unit = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *number = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *logo_path = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *name = NULL;
  g_autofree char *document_id = NULL;
  LkLetterRenderInfo info = { NULL, };
  gsize length = 0;
  gboolean ok;
  int fd;

  service = find_service_type (session->store, lk_case_get_service_type_id (kase), error);
  if (service == NULL)
    return NULL;
  template = load_template (session->store, service, &info.template_version, error);
  if (template == NULL)
    return NULL;
  if (lk_case_get_unit (kase) != NULL)
    unit = lk_store_get_json (session->store, LK_KIND_UNIT, lk_case_get_unit (kase), NULL);
  if (lk_letter_template_get_logo (template) != NULL)
    {
      logo_path = lk_sync_client_fetch_blob (session->client, session->cache,
                                             lk_letter_template_get_logo (template), NULL, error);
      if (logo_path == NULL)
        {
          g_prefix_error (error, _("The template’s logo cannot be fetched: "));
          return NULL;
        }
    }

  number = lk_numbers_obtain (session->client, session->store, lk_case_get_id (kase), out_offline,
                              NULL, error);
  if (number == NULL)
    return NULL;
  letter_id = lk_letter_new_id ();
  url = public_url (session);

  info.unit_name = unit != NULL ? json_object_get_string_member_with_default (unit, "name", NULL) : NULL;
  info.unit_address = unit != NULL ? json_object_get_string_member_with_default (unit, "address", NULL) : NULL;
  info.number = number;
  info.letter_id = letter_id;
  info.public_url = url;
  info.logo_path = logo_path;

  fd = g_file_open_tmp ("loketctl-letter-XXXXXX.pdf", &path, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);
  ok = lk_letter_template_render (template, kase, service, &info, path, error) &&
       g_file_get_contents (path, &contents, &length, error);
  g_unlink (path);
  if (!ok)
    return NULL;

  pdf = g_bytes_new_take (g_steal_pointer (&contents), length);
  sha256 = lk_blob_compute_sha256 (pdf);
  cached = lk_blob_cache_store (session->cache, sha256, pdf, error);
  if (cached == NULL)
    return NULL;

  name = lk_letter_draft_document_name (lk_case_get_receipt (kase));
  document_id = g_uuid_string_random ();
  fields = json_object_new ();
  json_object_set_string_member (fields, "case_id", lk_case_get_id (kase));
  json_object_set_string_member (fields, "name", name);
  json_object_set_string_member (fields, "mime_type", "application/pdf");
  json_object_set_int_member (fields, "size", (gint64) length);
  json_object_set_string_member (fields, "sha256", sha256);
  json_object_set_int_member (fields, "position", next_position (session->store, lk_case_get_id (kase)));
  if (!lk_outbox_put (session->store, LK_KIND_DOCUMENT, document_id, fields, NULL, error))
    return NULL;

  g_debug ("Queued letter draft %s of case %s", document_id, lk_case_get_id (kase));
  *out_number = g_steal_pointer (&number);
  *out_letter_id = g_steal_pointer (&letter_id);
  return g_steal_pointer (&document_id);
}

int
lk_cli_letter_draft_run (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(LkCliSession) session = { NULL, };
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *document_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *url = NULL;
  g_autofree char *verify_url = NULL;
  gboolean offline = FALSE;
  LkCaseState state;
  int status;

  context = new_context (_("RECEIPT"),
                         _("Renders the letter of a case with its service type’s template, a number "
                           "from the server and a new letter id, and stores it as the case’s draft "
                           "(a new document; the signer signs the newest). Officers only."),
                         account_entries (&server_url, &username, &password_file), NULL);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      lk_cli_printerr (_("Give one receipt number, e.g. SKU-20260105-000001"));
      return LK_CLI_EXIT_USAGE;
    }

  status = lk_cli_session_open (&session, server_url, username, password_file);
  if (status != LK_CLI_EXIT_OK)
    return status;
  if (session.role != LK_ROLE_OFFICER)
    {
      lk_cli_printerr (_("Only officers draft letters; %s is not one"), session.username);
      return LK_CLI_EXIT_ERROR;
    }

  kase = find_case (session.store, argv[1], &error);
  if (kase == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }
  state = lk_case_get_state (kase);
  if (state == LK_CASE_STATE_SIGNED || state == LK_CASE_STATE_DELIVERED || state == LK_CASE_STATE_CANCELLED)
    {
      lk_cli_printerr (_("The case %s is %s: its letter can no longer be drafted"), argv[1],
                       lk_case_state_to_string (state));
      return LK_CLI_EXIT_ERROR;
    }

  document_id = draft_letter (&session, kase, &number, &letter_id, &offline, &error);
  if (document_id == NULL)
    {
      lk_cli_printerr (_("%s: the letter cannot be drafted: %s"), argv[1], error->message);
      return LK_CLI_EXIT_ERROR;
    }

  before = open_conflict_ids (session.store);
  if (!lk_cli_session_sync (&session, &error))
    {
      lk_cli_printerr (_("%s: the draft is saved and queued, but could not be sent: %s (the next "
                         "“loketctl sync” sends it)"), argv[1], error->message);
      return LK_CLI_EXIT_ERROR;
    }
  refused = new_conflict_message (session.store, before, document_id);
  if (refused != NULL)
    {
      g_autofree char *message = lk_cli_field (refused);

      lk_cli_printerr (_("%s: the server refused the draft: %s"), argv[1], message);
      return LK_CLI_EXIT_ERROR;
    }

  url = public_url (&session);
  verify_url = lk_letter_verify_url (url, letter_id);
  g_print (_("%s: draft %s, letter %s, %s%s\n"), argv[1], number, letter_id, verify_url,
           offline ? _(" (number from the offline block)") : "");
  return LK_CLI_EXIT_OK;
}

/* sign */

/* Signs the draft of one case; the move to "signed" is queued. */
static gboolean
sign_one (LkCliSession             *session,
          LkTokenKey               *key,
          GPtrArray                *chain,
          const LkSignBatchOptions *options,
          LkCase                   *kase,
          GError                  **error)
{
  g_autoptr(LkDocument) draft = NULL;
  g_autofree char *path = NULL;
  g_autofree char *signed_sha256 = NULL;

  if (lk_case_get_state (kase) != LK_CASE_STATE_AWAITING_SIGNATURE)
    {
      g_set_error (error, LK_OUTBOX_ERROR, LK_OUTBOX_ERROR_ILLEGAL_TRANSITION,
                   _("the case is %s, not awaiting_signature"),
                   lk_case_state_to_string (lk_case_get_state (kase)));
      return FALSE;
    }
  draft = find_draft (session->store, lk_case_get_id (kase));
  if (draft == NULL)
    {
      g_set_error (error, LK_SIGN_BATCH_ERROR, LK_SIGN_BATCH_ERROR_DRAFT_MISSING,
                   _("the case has no letter draft (an officer makes one: “loketctl letter draft”)"));
      return FALSE;
    }
  path = lk_sync_client_fetch_blob (session->client, session->cache, lk_document_get_sha256 (draft),
                                    NULL, error);
  if (path == NULL)
    return FALSE;

  signed_sha256 = lk_sign_batch_sign_letter (key, chain, options, session->store, session->cache,
                                             lk_case_get_id (kase), lk_document_get_sha256 (draft),
                                             session->username, session->role, NULL, error);
  return signed_sha256 != NULL;
}

int
lk_cli_letter_sign_run (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(LkCliSession) session = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTokenKey) key = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *key_url = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *pin_file = NULL;
  g_autofree char *pin_env = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *location = NULL;
  g_autofree char *module = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GPtrArray) messages = NULL;   /* char *: why case i failed, or NULL */
  LkCliPinSource source;
  LkSignBatchOptions options = { 0, };
  guint n, failed = 0, queued = 0;
  int status;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key_url,
      N_("The private key’s PKCS#11 URL (see “loketctl tokens”)"), N_("URL") },
    { "cert", 'c', 0, G_OPTION_ARG_FILENAME, &cert,
      N_("The signer certificate: a PKCS#11 URL or a PEM/DER file (default: the one on the token with the key’s ID)"),
      N_("URL|FILE") },
    { "pin-file", 0, 0, G_OPTION_ARG_FILENAME, &pin_file,
      N_("Read the PIN from the first line of this file"), N_("FILE") },
    { "pin-env", 0, 0, G_OPTION_ARG_STRING, &pin_env,
      N_("Read the PIN from this environment variable"), N_("VAR") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("The reason for signing, stored in the signature"), N_("TEXT") },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Where it was signed, stored in the signature"), N_("TEXT") },
    { "module", 'm', 0, G_OPTION_ARG_FILENAME, &module,
      N_("Load only this PKCS#11 module (default: the modules registered with p11-kit)"), N_("PATH") },
    { NULL }
  };

  context = new_context (_("RECEIPT…"),
                         _("Signs the letter drafts of cases awaiting signature with a key on a PKCS#11 "
                           "token (one login for all), with a visible stamp at the template’s signature "
                           "mark: your name, position and NIP, the date and the QR code of the letter’s "
                           "verification page. Each case moves to “signed”; the server then registers "
                           "the letter and mails it to the applicant. The PIN comes from --pin-file or "
                           "--pin-env, or is asked on the terminal; never from the command line. Exit "
                           "status 1 when any letter failed."),
                         account_entries (&server_url, &username, &password_file), entries);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (key_url == NULL)
    {
      lk_cli_printerr (_("Give the key with --key PKCS11-URL (see “loketctl tokens”)"));
      return LK_CLI_EXIT_USAGE;
    }
  if (argc < 2)
    {
      lk_cli_printerr (_("Give the receipt numbers of the cases to sign"));
      return LK_CLI_EXIT_USAGE;
    }
  if (argc - 1 > MAX_RECEIPTS)
    {
      lk_cli_printerr (_("At most %d cases at a time"), MAX_RECEIPTS);
      return LK_CLI_EXIT_USAGE;
    }
  if (!lk_cli_pin_source_init (&source, pin_file, pin_env))
    return LK_CLI_EXIT_USAGE;
  n = (guint) argc - 1;

  status = lk_cli_session_open (&session, server_url, username, password_file);
  if (status != LK_CLI_EXIT_OK)
    return status;
  if (session.role != LK_ROLE_SIGNER)
    {
      lk_cli_printerr (_("Only signers sign letters; %s is not one"), session.username);
      return LK_CLI_EXIT_ERROR;
    }

  /* Every receipt is looked up before the token is opened. */
  cases = g_ptr_array_new_full (n, unref_case);
  messages = g_ptr_array_new_full (n, g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) find_error = NULL;
      LkCase *kase = find_case (session.store, argv[1 + i], &find_error);

      g_ptr_array_add (cases, kase);
      g_ptr_array_add (messages, kase == NULL ? g_strdup (find_error->message) : NULL);
    }

  if (!lk_token_init (module, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }
  key = lk_token_key_open (key_url, cert, lk_cli_pin_cb, &source, NULL, &error);
  if (key == NULL)
    {
      lk_cli_printerr (_("%s; no letter was signed"),
                       source.error != NULL ? source.error->message : error->message);
      g_clear_error (&source.error);
      return LK_CLI_EXIT_ERROR;
    }
  g_clear_error (&source.error);
  chain = lk_token_key_find_chain (key, &error);
  if (chain == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  url = public_url (&session);
  options.visible = TRUE;
  lk_letter_draft_signature_rect (options.rect);
  options.reason = reason;
  options.location = location;
  options.signer_name = lk_sync_client_get_display_name (session.client);
  options.signer_position = lk_sync_client_get_position (session.client);
  options.signer_nip = lk_sync_client_get_nip (session.client);
  options.public_url = url;

  before = open_conflict_ids (session.store);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) sign_error = NULL;
      LkCase *kase = g_ptr_array_index (cases, i);

      if (kase == NULL)
        continue;
      if (sign_one (&session, key, chain, &options, kase, &sign_error))
        queued++;
      else
        messages->pdata[i] = g_strdup (sign_error->message);
    }

  /* The signed letters go to the server; its verdict comes back. */
  if (queued > 0 && !lk_cli_session_sync (&session, &error))
    {
      lk_cli_printerr (_("The signed letters are queued but could not be sent: %s (the next "
                         "“loketctl sync” sends them)"), error->message);
      g_clear_error (&error);
    }

  for (guint i = 0; i < n; i++)
    {
      LkCase *kase = g_ptr_array_index (cases, i);
      g_autoptr(LkCase) now = NULL;
      g_autoptr(JsonObject) letter = NULL;
      g_autofree char *refused = NULL;

      if (messages->pdata[i] == NULL)
        {
          refused = new_conflict_message (session.store, before, lk_case_get_id (kase));
          now = lk_store_get_case (session.store, lk_case_get_id (kase), NULL);
          if (refused != NULL)
            messages->pdata[i] = g_strdup_printf (_("the server refused it: %s"), refused);
          else if (now == NULL || (lk_case_get_state (now) != LK_CASE_STATE_SIGNED &&
                                   lk_case_get_state (now) != LK_CASE_STATE_DELIVERED))
            messages->pdata[i] = g_strdup (_("signed and queued; not yet accepted by the server (run "
                                      "“loketctl sync”)"));
        }
      if (messages->pdata[i] != NULL)
        {
          g_autofree char *message = lk_cli_field (messages->pdata[i]);

          g_print (_("%s: error: %s\n"), argv[1 + i], message);
          failed++;
          continue;
        }

      letter = newest_letter (session.store, lk_case_get_id (kase));
      if (letter != NULL)
        {
          g_autofree char *verify_url =
            lk_letter_verify_url (url, json_object_get_string_member (letter, "id"));

          g_print (_("%s: signed %s, %s\n"), argv[1 + i],
                   json_object_get_string_member_with_default (letter, "number", "-"), verify_url);
        }
      else
        g_print (_("%s: signed\n"), argv[1 + i]);
    }

  return failed > 0 ? LK_CLI_EXIT_ERROR : LK_CLI_EXIT_OK;
}

/* show */

int
lk_cli_letter_show_run (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(LkCliSession) session = { NULL, };
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(LkDocument) draft = NULL;
  g_autoptr(LkLetterInfo) info = NULL;
  g_autoptr(JsonObject) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *url = NULL;
  g_autofree char *verify_url = NULL;
  const char *number = NULL, *letter_id = NULL, *letter_status = NULL;
  const char *delivery = NULL, *delivery_error = NULL, *status_reason = NULL;
  gboolean json = FALSE, no_sync = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "no-sync", 0, 0, G_OPTION_ARG_NONE, &no_sync,
      N_("Show the local store as it is, without signing in"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON object instead of lines"), NULL },
    { NULL }
  };

  context = new_context (_("RECEIPT"),
                         _("Shows a case’s letter: its number, the case’s state, the verification URL, "
                           "the letter’s status (valid, revoked, superseded) and its delivery by mail "
                           "(queued, delivered, failed and why). Signs in and syncs first unless "
                           "--no-sync."),
                         account_entries (&server_url, &username, &password_file), entries);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      lk_cli_printerr (_("Give one receipt number, e.g. SKU-20260105-000001"));
      return LK_CLI_EXIT_USAGE;
    }

  if (no_sync)
    {
      session.store = lk_cli_open_account_store (server_url, username, NULL, NULL, &status);
      if (session.store == NULL)
        return status;
      {
        g_autofree char *blob_dir = lk_account_blob_dir (NULL);

        if (blob_dir != NULL)
          session.cache = lk_blob_cache_new (blob_dir);
      }
    }
  else
    {
      status = lk_cli_session_open (&session, server_url, username, password_file);
      if (status != LK_CLI_EXIT_OK)
        return status;
    }

  kase = find_case (session.store, argv[1], &error);
  if (kase == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  url = public_url (&session);
  letter = newest_letter (session.store, lk_case_get_id (kase));
  if (letter != NULL)
    {
      number = json_object_get_string_member_with_default (letter, "number", NULL);
      letter_id = json_object_get_string_member_with_default (letter, "id", NULL);
      letter_status = json_object_get_string_member_with_default (letter, "status", NULL);
      status_reason = json_object_get_string_member_with_default (letter, "status_reason", NULL);
      delivery = json_object_get_string_member_with_default (letter, "delivery_state", NULL);
      delivery_error = json_object_get_string_member_with_default (letter, "delivery_error", NULL);
    }
  else if (session.cache != NULL)
    {
      draft = find_draft (session.store, lk_case_get_id (kase));
      info = draft_info (&session, draft);
      if (info != NULL)
        {
          number = info->number;
          letter_id = info->letter_id;
          letter_status = "draft";
        }
    }
  if (letter_id != NULL && url != NULL)
    verify_url = lk_letter_verify_url (url, letter_id);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
#define MEMBER(name, value) \
      G_STMT_START { json_builder_set_member_name (builder, name); \
        if ((value) != NULL) json_builder_add_string_value (builder, value); \
        else json_builder_add_null_value (builder); } G_STMT_END
      MEMBER ("receipt", lk_case_get_receipt (kase));
      MEMBER ("state", lk_case_state_to_string (lk_case_get_state (kase)));
      MEMBER ("number", number);
      MEMBER ("letter", letter_id);
      MEMBER ("verify_url", verify_url);
      MEMBER ("status", letter_status);
      MEMBER ("status_reason", status_reason);
      MEMBER ("delivery", delivery);
      MEMBER ("delivery_error", delivery_error);
#undef MEMBER
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return LK_CLI_EXIT_OK;
    }

  {
    g_autofree char *reason = lk_cli_field (status_reason);
    g_autofree char *why = lk_cli_field (delivery_error);

    /* Labels stay English and untranslated: scripts read these lines. */
    g_print ("receipt\t%s\n", lk_case_get_receipt (kase));
    g_print ("state\t%s\n", lk_case_state_to_string (lk_case_get_state (kase)));
    g_print ("number\t%s\n", number != NULL ? number : "-");
    g_print ("letter\t%s\n", letter_id != NULL ? letter_id : "-");
    g_print ("verify\t%s\n", verify_url != NULL ? verify_url : "-");
    if (status_reason != NULL && *status_reason != '\0')
      g_print ("status\t%s (%s)\n", letter_status, reason);
    else
      g_print ("status\t%s\n", letter_status != NULL ? letter_status : "-");
    if (delivery_error != NULL && *delivery_error != '\0')
      g_print ("delivery\t%s (%s)\n", delivery != NULL ? delivery : "-", why);
    else
      g_print ("delivery\t%s\n", delivery != NULL ? delivery : "-");
  }

  return LK_CLI_EXIT_OK;
}
