/* lk-server-mail-queue.c — putting mail in the queue: the signed letter
 * to its case's address, the receipt of an application; and the public
 * URL that their links start with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-template.h"
#include "lk-server-private.h"
#include "lk-server-mail-private.h"

const char *
lk_mail_public_url (LkServer *server)
{
  const char *url = lk_server_get_public_url (server);

  return url != NULL ? url : "http://localhost";
}

/* The letter's delivery columns, its version bumped (the change feed
 * carries it to the desks). */
gboolean
lk_mail_set_letter_delivery (LkServer    *self,
                             const char  *letter_id,
                             const char  *state,
                             const char  *delivery_error,
                             gint64       delivered_at,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = lk_store_prepare (self->store,
                           "UPDATE letters SET delivery_state = ?2, delivery_error = ?3, "
                           "delivered_at = ?4, version = version + 1 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, letter_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  if (delivery_error != NULL)
    sqlite3_bind_text (stmt, 3, delivery_error, -1, SQLITE_TRANSIENT);
  if (delivered_at > 0)
    sqlite3_bind_int64 (stmt, 4, delivered_at);
  return lk_server_step_done (self, stmt, "Recording the letter's delivery", error);
}

static gboolean
insert_row (LkServer    *self,
            const char  *kind,
            const char  *case_id,
            const char  *letter_id,
            const char  *recipient,
            const char  *subject,
            const char  *body,
            const char  *attachment,
            const char  *attachment_name,
            gint64       now,
            GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = lk_store_prepare (self->store,
                           "INSERT INTO mail_queue (kind, case_id, letter_id, recipient, subject, body, "
                           "attachment, attachment_name, state, attempts, next_attempt_at, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', 0, ?9, ?9)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, case_id, -1, SQLITE_TRANSIENT);
  if (letter_id != NULL)
    sqlite3_bind_text (stmt, 3, letter_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, recipient, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, body, -1, SQLITE_TRANSIENT);
  if (attachment != NULL)
    sqlite3_bind_text (stmt, 7, attachment, -1, SQLITE_TRANSIENT);
  if (attachment_name != NULL)
    sqlite3_bind_text (stmt, 8, attachment_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, now);
  return lk_server_step_done (self, stmt, "Queueing a mail", error);
}

void
lk_server_set_public_url (LkServer   *server,
                          const char *public_url)
{
  gsize len;

  g_return_if_fail (LK_IS_SERVER (server));

  g_free (server->public_url);
  server->public_url = g_strdup (public_url);
  if (server->public_url == NULL)
    return;
  len = strlen (server->public_url);
  while (len > 0 && server->public_url[len - 1] == '/')
    server->public_url[--len] = '\0';
}

const char *
lk_server_get_public_url (LkServer *server)
{
  g_return_val_if_fail (LK_IS_SERVER (server), NULL);

  /* lk_server_listen sets the listening URL when none was given. */
  return server->public_url;
}

gboolean
lk_server_mail_queue_letter (LkServer    *server,
                             const char  *letter_id,
                             gint64       now,
                             GError     **error)
{
  g_autofree char *case_id = NULL, *number = NULL, *subject = NULL, *sha256 = NULL;
  g_autofree char *email = NULL, *name = NULL, *receipt = NULL, *unit_name = NULL;
  g_autofree char *url = NULL, *mail_subject = NULL, *body = NULL, *file_name = NULL;
  LkMailLetterInfo info;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_SERVER (server), FALSE);
  g_return_val_if_fail (letter_id != NULL, FALSE);

  stmt = lk_store_prepare (server->store,
                           "SELECT l.case_id, l.number, l.subject, l.sha256, c.email, c.applicant_name, "
                           "c.receipt, u.name FROM letters l JOIN cases c ON c.id = l.case_id "
                           "LEFT JOIN units u ON u.id = l.unit WHERE l.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, letter_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      case_id = lk_server_column_dup (stmt, 0);
      number = lk_server_column_dup (stmt, 1);
      subject = lk_server_column_dup (stmt, 2);
      sha256 = lk_server_column_dup (stmt, 3);
      email = lk_server_column_dup (stmt, 4);
      name = lk_server_column_dup (stmt, 5);
      receipt = lk_server_column_dup (stmt, 6);
      unit_name = lk_server_column_dup (stmt, 7);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "There is no letter %s (or its case is gone) to send", letter_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (server->store, error, "Reading the letter to send");
      return FALSE;
    }

  /* A resend replaces what still waits. */
  stmt = lk_store_prepare (server->store,
                           "DELETE FROM mail_queue WHERE letter_id = ?1 AND state = 'queued'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, letter_id, -1, SQLITE_TRANSIENT);
  if (!lk_server_step_done (server, stmt, "Replacing a queued mail", error))
    return FALSE;

  if (email == NULL || *email == '\0')
    return lk_mail_set_letter_delivery (server, letter_id, "none", NULL, 0, error);
  if (!lk_mail_address_ok (email))
    return lk_mail_set_letter_delivery (server, letter_id, "failed",
                                "The case's email address cannot be used to send mail; "
                                "correct it on the case, then send the letter again.", 0, error);

  url = lk_letter_verify_url (lk_mail_public_url (server), letter_id);
  info.applicant_name = name;
  info.receipt = receipt;
  info.number = number;
  info.subject = subject;
  info.unit_name = unit_name;
  info.verify_url = url;
  lk_mail_compose_letter (&info, &mail_subject, &body);
  file_name = lk_mail_attachment_name (number);

  if (!insert_row (server, "letter", case_id, letter_id, email, mail_subject, body, sha256, file_name,
                   now, error))
    return FALSE;
  g_debug ("Queued the mail of letter %s", letter_id);
  return lk_mail_set_letter_delivery (server, letter_id, "queued", NULL, 0, error);
}

gboolean
lk_server_mail_queue_receipt (LkServer    *server,
                              const char  *case_id,
                              const char  *secret,
                              gint64       now,
                              GError     **error)
{
  g_autofree char *email = NULL, *name = NULL, *receipt = NULL;
  g_autofree char *escaped = NULL, *url = NULL, *subject = NULL, *body = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_SERVER (server), FALSE);
  g_return_val_if_fail (case_id != NULL && secret != NULL, FALSE);

  stmt = lk_store_prepare (server->store,
                           "SELECT email, applicant_name, receipt FROM cases WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      email = lk_server_column_dup (stmt, 0);
      name = lk_server_column_dup (stmt, 1);
      receipt = lk_server_column_dup (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, "There is no case %s", case_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      lk_store_set_sql_error (server->store, error, "Reading the case of a receipt");
      return FALSE;
    }

  /* Without a usable address there is no one to send it to. */
  if (!lk_mail_address_ok (email))
    return TRUE;

  escaped = g_uri_escape_string (receipt, NULL, FALSE);
  url = g_strdup_printf ("%s/track?receipt=%s", lk_mail_public_url (server), escaped);
  lk_mail_compose_receipt (name, receipt, secret, url, &subject, &body);
  if (!insert_row (server, "receipt", case_id, NULL, email, subject, body, NULL, NULL, now, error))
    return FALSE;
  g_debug ("Queued the receipt of case %s", case_id);
  return TRUE;
}

