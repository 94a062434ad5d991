/* lk-cli-outbox.c — loketctl outbox, loketctl conflicts list|resolve: what
 * waits to be pushed, and what the server met with a conflict or refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-cli"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-account.h"
#include "store/lk-store.h"
#include "sync/lk-outbox.h"
#include "sync/lk-sync-client.h"

#include "lk-cli.h"

#define MAX_SHOWN_VALUE 80  /* characters of a field value in a conflict line */

/* Helpers */

static char *
format_time (gint64 at)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at);

  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("-");
}

/* The receipt number of the case a record belongs to, else the record id. */
static char *
record_label (LkStore    *store,
              const char *kind,
              const char *record_id,
              JsonObject *fields)
{
  const char *case_id = NULL;
  g_autoptr(JsonObject) the_case = NULL;

  if (g_strcmp0 (kind, LK_KIND_CASE) == 0)
    case_id = record_id;
  else if (fields != NULL)
    case_id = json_object_get_string_member_with_default (fields, "case_id", NULL);

  if (case_id != NULL)
    the_case = lk_store_get_json (store, LK_KIND_CASE, case_id, NULL);
  if (the_case != NULL && json_object_has_member (the_case, "receipt"))
    {
      const char *receipt = json_object_get_string_member_with_default (the_case, "receipt", NULL);

      if (receipt != NULL && g_strcmp0 (kind, LK_KIND_CASE) == 0)
        return lk_cli_field (receipt);
      if (receipt != NULL)
        return g_strdup_printf ("%s/%s", receipt, record_id);
    }

  return lk_cli_field (record_id);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = text ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

/* A member's value as short text: "-" for null or missing. */
static char *
value_text (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("-");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (node));
  else
    text = json_to_string (node, FALSE);

  if (g_utf8_strlen (text, -1) > MAX_SHOWN_VALUE)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, MAX_SHOWN_VALUE);

      g_free (text);
      text = g_strconcat (cut, "…", NULL);
    }

  return lk_cli_field (text);
}

/* "FIELD: mine=… theirs=…; …" over the fields of the change. */
static char *
conflict_detail (LkConflict *conflict)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, conflict->fields);
  while (json_object_iter_next (&iter, &name, &node))
    {
      /* A transition's to_state meets the record's state. */
      const char *record_field = g_str_equal (name, "to_state") ? "state" : name;
      g_autofree char *mine = value_text (conflict->fields, name);
      g_autofree char *theirs = conflict->theirs ? value_text (conflict->theirs, record_field)
                                                 : g_strdup ("-");

      if (g_str_equal (name, "reason") && g_strcmp0 (conflict->op, "transition") == 0)
        continue;
      if (detail->len > 0)
        g_string_append (detail, "; ");
      /* Translators: one field of a conflict: FIELD: mine=VALUE theirs=VALUE */
      g_string_append_printf (detail, _("%s: mine=%s theirs=%s"), name, mine, theirs);
    }

  return g_string_free (g_steal_pointer (&detail), FALSE);
}

/* Commands */

int
lk_cli_outbox_run (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  int status;
  const GOptionEntry entries_options[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The account’s server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The account’s user name (default: that of the last sync)"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Lists the operations waiting to be pushed, oldest first."));
  g_option_context_set_description (context,
                                    _("One line per operation, with tab-separated fields: sequence, "
                                      "operation id, operation, record kind, receipt number (or "
                                      "record), queued at (UTC), push attempts, the last push error."));
  g_option_context_add_main_entries (context, entries_options, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      lk_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return LK_CLI_EXIT_USAGE;
    }

  store = lk_cli_open_account_store (server_url, username, NULL, NULL, &status);
  if (store == NULL)
    return status;

  entries = lk_outbox_list (store, 0, &error);
  if (entries == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      LkOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(JsonObject) fields = parse_object (entry->fields);
      g_autofree char *label = record_label (store, entry->kind, entry->record_id, fields);
      g_autofree char *created = format_time (entry->created_at);
      g_autofree char *last_error = lk_cli_field (entry->last_error ? entry->last_error : "-");

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%u\t%s\n",
               entry->seq, entry->id, entry->op, entry->kind, label, created,
               entry->attempts, last_error);
    }

  return LK_CLI_EXIT_OK;
}

int
lk_cli_conflicts_run (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  gboolean all = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The account’s server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The account’s user name (default: that of the last sync)"), N_("NAME") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all,
      N_("Also the resolved ones"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Lists the operations the server met with a conflict (the record "
                                  "changed there meanwhile) or refused, newest first."));
  g_option_context_set_description (context,
                                    _("One line per conflict, with tab-separated fields: id, status "
                                      "(conflict, rejected or resolved), operation, record kind, "
                                      "receipt number (or record), when (UTC), the rejection code "
                                      "(or -), each field as mine and theirs, the server’s message.\n\n"
                                      "Resolve one with “loketctl conflicts resolve [--mine FIELD]… ID”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      lk_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return LK_CLI_EXIT_USAGE;
    }

  store = lk_cli_open_account_store (server_url, username, NULL, NULL, &status);
  if (store == NULL)
    return status;

  conflicts = lk_outbox_list_conflicts (store, all, &error);
  if (conflicts == NULL)
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  for (guint i = 0; i < conflicts->len; i++)
    {
      LkConflict *conflict = g_ptr_array_index (conflicts, i);
      g_autofree char *label = record_label (store, conflict->kind, conflict->record_id, conflict->fields);
      g_autofree char *created = format_time (conflict->created_at);
      g_autofree char *detail = conflict_detail (conflict);
      g_autofree char *message = lk_cli_field (conflict->message ? conflict->message : "-");
      g_autofree char *code = lk_cli_field (conflict->code ? conflict->code : "-");
      const char *state = conflict->resolved_at != 0 ? "resolved"
        : conflict->status == LK_CONFLICT_STATUS_REJECTED ? "rejected" : "conflict";

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
               conflict->id, state, conflict->op, conflict->kind, label, created, code,
               detail, message);
    }

  return LK_CLI_EXIT_OK;
}

int
lk_cli_conflicts_resolve_run (int    argc,
                              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GHashTable) keep_mine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *actor = NULL;
  g_auto(GStrv) mine = NULL;
  gint64 queued_before;
  LkRole role;
  int status;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server_url,
      N_("The account’s server (default: that of the last sync)"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &username,
      N_("The account’s user name (default: that of the last sync)"), N_("NAME") },
    { "mine", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &mine,
      N_("Keep your value of FIELD (repeat for more); the other fields take the server’s"), N_("FIELD") },
    { NULL }
  };

  context = g_option_context_new (_("ID"));
  g_option_context_set_summary (context,
                                _("Resolves a conflict field by field. The fields named with --mine "
                                  "keep your value and are queued again on top of the server’s "
                                  "version; all others take the server’s. A transition kept as "
                                  "yours (--mine to_state) is queued again from the server’s state, "
                                  "if your role may make that move."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!lk_cli_parse_options (context, &argc, &argv))
    return LK_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      lk_cli_printerr (_("Give the id of one conflict (see “loketctl conflicts list”)"));
      return LK_CLI_EXIT_USAGE;
    }

  store = lk_cli_open_account_store (server_url, username, NULL, NULL, &status);
  if (store == NULL)
    return status;

  role_name = lk_store_get_meta (store, LK_META_ACCOUNT_ROLE);
  actor = lk_store_get_meta (store, LK_META_ACCOUNT_USERNAME);
  role = lk_role_from_string (role_name);
  if (role == LK_ROLE_INVALID || actor == NULL)
    {
      lk_cli_printerr (_("The role of this account is not known yet: run “loketctl sync” once while "
                         "the server can be reached"));
      return LK_CLI_EXIT_ERROR;
    }

  keep_mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; mine != NULL && mine[i] != NULL; i++)
    g_hash_table_insert (keep_mine, g_strdup (mine[i]), GINT_TO_POINTER (TRUE));

  queued_before = lk_outbox_count (store);
  if (!lk_outbox_resolve_conflict (store, argv[1], keep_mine, actor, role, &error))
    {
      lk_cli_printerr ("%s", error->message);
      return LK_CLI_EXIT_ERROR;
    }

  if (lk_outbox_count (store) > queued_before)
    g_print (_("Resolved; your values are queued: run “loketctl sync” to send them\n"));
  else
    g_print (_("Resolved; the server’s values are kept\n"));

  return LK_CLI_EXIT_OK;
}
