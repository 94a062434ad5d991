/* lk-server-mail.c — delivery over SMTP (stub)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include "lk-server-private.h"

void
lk_server_mail_free (LkServer *self)
{
}

gboolean
lk_server_set_mail (LkServer           *server,
                    const LkMailConfig *config,
                    GError            **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Delivery is not built yet.");
  return FALSE;
}

void
lk_server_set_public_url (LkServer   *server,
                          const char *public_url)
{
  g_free (server->public_url);
  server->public_url = g_strdup (public_url);
}

const char *
lk_server_get_public_url (LkServer *server)
{
  return server->public_url;
}

gboolean
lk_server_mail_queue_letter (LkServer    *server,
                             const char  *letter_id,
                             gint64       now,
                             GError     **error)
{
  return TRUE;
}

gboolean
lk_server_mail_queue_receipt (LkServer    *server,
                              const char  *case_id,
                              const char  *secret,
                              gint64       now,
                              GError     **error)
{
  return TRUE;
}

void
lk_server_mail_kick (LkServer *server)
{
}

void
lk_server_mail_stop (LkServer *server)
{
}
