/* lk-token-private.h — what the files of the token layer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "sign/lk-token.h"

G_BEGIN_DECLS

/* An LK_TOKEN_ERROR for a GnuTLS error code while doing WHAT (translated,
 * "Cannot open the key"). */
void          lk_token_set_error      (GError      **error,
                                       int           gnutls_code,
                                       const char   *what);
LkTokenFlags  lk_token_flags_from_gnutls (unsigned int gnutls_flags);
/* The URL of the token that holds the object at OBJECT_URL, NULL if no
 * loaded token matches. */
char         *lk_token_find_token_url (const char   *object_url);
/* Fills CERT's certificate fields from CRT. */
void          lk_token_cert_fill      (LkTokenCert       *cert,
                                       gnutls_x509_crt_t  crt);

G_END_DECLS
