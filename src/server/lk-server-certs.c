/* lk-server-certs.c — signer certificates of users: registering one (PEM
 * parsing, the chain check against the --trust anchors, storage) and
 * listing them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-server"

#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "lk-server-users-private.h"

#define MAX_SUBJECT        1024  /* bytes of a certificate's subject we keep */

/* Helpers */

static void
cert_list_free (gnutls_x509_crt_t *certs,
                unsigned int       n_certs)
{
  for (unsigned int i = 0; i < n_certs; i++)
    gnutls_x509_crt_deinit (certs[i]);
  gnutls_free (certs);
}

/* NULL when the certificate may sign for the server; else why not. */
static char *
check_certificate (LkServer          *self,
                   gnutls_x509_crt_t  crt,
                   gint64             now)
{
  const char * const *trust_files = LK_SERVER_TRUST_FILES (self);
  gnutls_x509_trust_list_t list = NULL;
  unsigned int usage = 0, critical = 0, status = 0;
  gnutls_datum_t out = { NULL, 0 };
  char *why = NULL;
  int rc;

  if (gnutls_x509_crt_get_activation_time (crt) > now)
    return g_strdup ("The certificate is not valid yet.");
  if (gnutls_x509_crt_get_expiration_time (crt) <= now)
    return g_strdup ("The certificate has expired.");

  rc = gnutls_x509_crt_get_key_usage (crt, &usage, &critical);
  if (rc >= 0 && (usage & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION)) == 0)
    return g_strdup ("The certificate's key usage allows neither digitalSignature nor "
                     "nonRepudiation, so it cannot sign letters.");
  if (rc < 0 && rc != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
    return g_strdup ("The certificate's key usage cannot be read.");

  if (trust_files[0] == NULL)
    return g_strdup ("The server has no trust anchors: start loket-server with --trust CA.pem "
                     "to register signer certificates.");

  if (gnutls_x509_trust_list_init (&list, 0) < 0)
    return g_strdup ("The server could not check the certificate chain.");
  for (guint i = 0; trust_files[i] != NULL; i++)
    if (gnutls_x509_trust_list_add_trust_file (list, trust_files[i], NULL,
                                               GNUTLS_X509_FMT_PEM, 0, 0) <= 0)
      g_warning ("The trust file %s holds no certificate now", trust_files[i]);

  rc = gnutls_x509_trust_list_verify_crt2 (list, &crt, 1, NULL, 0, 0, &status, NULL);
  if (rc < 0)
    why = g_strdup ("The server could not check the certificate chain.");
  else if (status != 0)
    {
      g_autofree char *text = NULL;

      if (gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &out, 0) >= 0)
        text = g_strndup ((const char *) out.data, out.size);
      why = g_strdup_printf ("The certificate does not chain to a trust anchor of this server "
                             "(--trust): %s", text != NULL ? text : "not trusted");
    }
  gnutls_free (out.data);
  gnutls_x509_trust_list_deinit (list, 1);

  return why;
}

static void
respond_certificate (SoupServerMessage *msg,
                     guint              status,
                     const char        *fingerprint,
                     const char        *subject,
                     gint64             not_after)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, fingerprint);
  json_builder_set_member_name (b, "subject");
  json_builder_add_string_value (b, subject);
  json_builder_set_member_name (b, "not_after");
  json_builder_add_int_value (b, not_after);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lk_server_respond_json (msg, status, root);
}

/* The "certificates" array of a user, in GET /users, PUT /users/NAME and
 * GET /users/NAME/certificates */

gboolean
lk_server_add_certificates_json (LkServer     *self,
                                 JsonBuilder  *b,
                                 const char   *user_id,
                                 GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self->store,
                           "SELECT fingerprint, subject, not_after, registered_at FROM certificates "
                           "WHERE user_id = ?1 ORDER BY registered_at, fingerprint",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);

  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "fingerprint");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (b, "subject");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_set_member_name (b, "not_after");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 2));
      json_builder_set_member_name (b, "registered_at");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 3));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, error, "Listing certificates");
      return FALSE;
    }

  return TRUE;
}

/* POST /api/v1/users/NAME/certificates */

void
lk_server_handle_certificate_post (LkServer          *self,
                                   SoupServerMessage *msg,
                                   LkServerUser      *admin,
                                   const char        *name)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *owner = NULL;
  gnutls_x509_crt_t *certs = NULL;
  unsigned int n_certs = 0;
  gnutls_datum_t pem_datum, der = { NULL, 0 }, dn = { NULL, 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 not_after;
  const char *pem;
  sqlite3_stmt *stmt;
  int rc;

  root = lk_server_parse_body (msg, "The body must be a JSON object with “pem”, a PEM certificate.");
  if (root == NULL)
    return;
  if (!lk_server_get_string_member (json_node_get_object (root), "pem", &pem) || pem == NULL ||
      strlen (pem) > LK_SERVER_MAX_CERT_PEM)
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "“pem” must be one PEM certificate of at most 16 KiB.");
      return;
    }

  user = lk_server_load_user (self, "username", name, &error);
  if (user == NULL)
    {
      if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      else
        lk_server_respond_internal (msg, error);
      return;
    }
  if (user->role != LK_ROLE_SIGNER)
    {
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Certificates are registered only for users with the signer role.");
      return;
    }

  pem_datum.data = (unsigned char *) pem;
  pem_datum.size = (unsigned int) strlen (pem);
  if (gnutls_x509_crt_list_import2 (&certs, &n_certs, &pem_datum, GNUTLS_X509_FMT_PEM, 0) < 0 ||
      n_certs != 1)
    {
      cert_list_free (certs, n_certs);
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "“pem” must hold exactly one readable PEM certificate.");
      return;
    }

  why = check_certificate (self, certs[0], now);
  if (why == NULL &&
      (gnutls_x509_crt_export2 (certs[0], GNUTLS_X509_FMT_DER, &der) < 0 ||
       gnutls_x509_crt_get_dn3 (certs[0], &dn, 0) < 0))
    why = g_strdup ("The certificate cannot be read.");
  not_after = gnutls_x509_crt_get_expiration_time (certs[0]);
  cert_list_free (certs, n_certs);
  if (why != NULL)
    {
      gnutls_free (der.data);
      gnutls_free (dn.data);
      lk_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", why);
      return;
    }

  fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der.data, der.size);
  subject = g_utf8_make_valid ((const char *) dn.data, MIN (dn.size, MAX_SUBJECT));
  gnutls_free (dn.data);

  stmt = lk_store_prepare (self->store, "SELECT user_id FROM certificates WHERE fingerprint = ?1",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, fingerprint, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    owner = lk_server_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_sql_error (self->store, &error, "Looking up a certificate");
      goto failed;
    }
  if (owner != NULL)
    {
      gnutls_free (der.data);
      if (!g_str_equal (owner, user->id))
        lk_server_respond_error (msg, SOUP_STATUS_CONFLICT, "conflict",
                                 "That certificate is registered to another user.");
      else
        respond_certificate (msg, SOUP_STATUS_OK, fingerprint, subject, not_after);
      return;
    }

  stmt = lk_store_prepare (self->store,
                           "INSERT INTO certificates (fingerprint, user_id, subject, not_after, der, "
                           "registered_at, registered_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, fingerprint, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, not_after);
  sqlite3_bind_blob (stmt, 5, der.data, (int) der.size, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_text (stmt, 7, admin->username, -1, SQLITE_TRANSIENT);
  if (!lk_server_step_done (self, stmt, "Registering a certificate", &error))
    goto failed;
  gnutls_free (der.data);

  g_message ("Certificate %s registered to %s by %s", fingerprint, user->username, admin->username);
  respond_certificate (msg, SOUP_STATUS_CREATED, fingerprint, subject, not_after);
  return;

failed:
  gnutls_free (der.data);
  lk_server_respond_internal (msg, error);
}

/* GET /api/v1/users/NAME/certificates */

void
lk_server_handle_certificate_list (LkServer          *self,
                                   SoupServerMessage *msg,
                                   const char        *name)
{
  g_autoptr(LkServerUser) user = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  user = lk_server_load_user (self, "username", name, &error);
  if (user == NULL)
    {
      if (g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        lk_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      else
        lk_server_respond_internal (msg, error);
      return;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "certificates");
  if (!lk_server_add_certificates_json (self, b, user->id, &error))
    {
      lk_server_respond_internal (msg, error);
      return;
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lk_server_respond_json (msg, SOUP_STATUS_OK, root);
}
