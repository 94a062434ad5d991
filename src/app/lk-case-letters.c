/* lk-case-letters.c — the "Letter" group of the case view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include "lk-case-letters.h"
#include "lk-letter-row.h"
#include "letter/lk-letter-template.h"
#include "sign/lk-sign-batch.h"
#include "store/lk-store-private.h"

void
lk_case_letters_free (LkCaseLetters *letters)
{
  if (letters == NULL)
    return;
  g_clear_pointer (&letters->letters, g_ptr_array_unref);
  g_free (letters->draft_number);
  g_free (letters);
}

/* Whether NUMBER came from a block of numbers granted in advance. */
static gboolean
is_offline_number (LkStore    *store,
                   const char *number)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  lk_store_lock (store);
  stmt = lk_store_prepare (store, "SELECT 1 FROM number_blocks WHERE number = ?1 AND status <> 'free'", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  lk_store_unlock (store);
  return found;
}

LkCaseLetters *
lk_case_letters_load (LkStore     *store,
                      LkBlobCache *cache,
                      const char  *case_id,
                      GPtrArray   *documents,
                      GError     **error)
{
  g_autoptr(LkCaseLetters) letters = g_new0 (LkCaseLetters, 1);
  g_autoptr(LkLetterInfo) info = NULL;
  g_autofree char *path = NULL;
  LkDocument *draft;

  letters->letters = lk_store_list_case_letters (store, case_id, error);
  if (letters->letters == NULL)
    return NULL;

  draft = documents != NULL ? lk_sign_batch_pick_draft (documents) : NULL;
  if (draft == NULL || cache == NULL)
    return g_steal_pointer (&letters);

  path = lk_blob_cache_lookup (cache, lk_document_get_sha256 (draft));
  if (path != NULL)
    info = lk_letter_read_info_file (path, NULL);
  if (info == NULL || info->number == NULL)
    return g_steal_pointer (&letters);

  /* Once signed, the letter's record says it all. */
  for (guint i = 0; i < letters->letters->len; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (g_ptr_array_index (letters->letters, i), "id", ""),
                   info->letter_id) == 0)
      return g_steal_pointer (&letters);

  letters->draft_number = g_strdup (info->number);
  letters->draft_offline = is_offline_number (store, info->number);
  return g_steal_pointer (&letters);
}

gboolean
lk_case_letters_fill (GtkListBox    *list,
                      LkCaseLetters *letters,
                      LkSession     *session,
                      const char    *public_url,
                      gboolean       can_resend)
{
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  if (letters == NULL)
    return FALSE;

  /* An administrator's rows offer Revoke…, through the session. */
  if (session != NULL && lk_session_get_role (session) != LK_ROLE_ADMIN)
    session = NULL;

  if (letters->draft_number != NULL)
    {
      gtk_list_box_append (list, lk_letter_row_new_draft (letters->draft_number, letters->draft_offline));
      n++;
    }
  for (guint i = 0; letters->letters != NULL && i < letters->letters->len; i++)
    {
      GtkWidget *row = lk_letter_row_new (g_ptr_array_index (letters->letters, i), public_url, can_resend);

      lk_letter_row_set_session (LK_LETTER_ROW (row), session);
      gtk_list_box_append (list, row);
      n++;
    }
  return n > 0;
}
