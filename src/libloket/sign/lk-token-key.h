/* lk-token-key.h — a signing key on a PKCS#11 token, logged in once per batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "sign/lk-token.h"

G_BEGIN_DECLS

#define LK_TYPE_TOKEN_KEY (lk_token_key_get_type ())
G_DECLARE_FINAL_TYPE (LkTokenKey, lk_token_key, LK, TOKEN_KEY, GObject)

/* Opens the private key at KEY_URL (a pkcs11: URL) and logs in to its token,
 * asking PIN_FUNC (called again only for keys that want the PIN for every
 * signature). CERT: a pkcs11: URL or a PEM/DER file of the signer
 * certificate, or NULL for the certificate on the token with the key's
 * CKA_ID. Call lk_token_init first. The login lasts as long as the key.
 * Errors: LK_TOKEN_ERROR_PIN_INCORRECT (with the tries left where the token
 * tells), _PIN_LOCKED, _CANCELLED, _NOT_FOUND, _CERTIFICATE, _REMOVED. */
LkTokenKey        *lk_token_key_open              (const char      *key_url,
                                                   const char      *cert,
                                                   LkTokenPinFunc   pin_func,
                                                   gpointer         pin_data,
                                                   GDestroyNotify   pin_data_destroy,
                                                   GError         **error);

/* TRUE when the key has CKA_ALWAYS_AUTHENTICATE: every signature asks the
 * PIN again. A batch should refuse or warn before it starts. */
gboolean           lk_token_key_get_always_authenticate (LkTokenKey *self);
LkTokenKeyType     lk_token_key_get_key_type      (LkTokenKey      *self);
const char        *lk_token_key_get_token_label   (LkTokenKey      *self);
/* How many times the PIN callback was called so far. */
guint              lk_token_key_get_pin_requests  (LkTokenKey      *self);
/* Owned by SELF. */
gnutls_privkey_t   lk_token_key_get_privkey       (LkTokenKey      *self);
gnutls_x509_crt_t  lk_token_key_get_certificate   (LkTokenKey      *self);

/* The issuers of SELF's certificate among the certificates on the key's
 * token (gnutls_x509_crt_t, freed with the array): its issuer first, each
 * found by issuer DN and checked by its signature, up to a self-signed one
 * or LK_TOKEN_KEY_MAX_CHAIN; the signer's own certificate is not in it.
 * Empty when the token holds none. Errors: LK_TOKEN_ERROR_REMOVED, or
 * another LK_TOKEN_ERROR when the token cannot be listed. */
#define LK_TOKEN_KEY_MAX_CHAIN 8
GPtrArray         *lk_token_key_find_chain        (LkTokenKey      *self,
                                                   GError         **error);

/* Turns a GnuTLS error of a signature made with SELF into an LK_TOKEN_ERROR:
 * a token that went away gives LK_TOKEN_ERROR_REMOVED, a rejected per
 * signature PIN _PIN_INCORRECT. */
void               lk_token_key_set_sign_error    (LkTokenKey      *self,
                                                   int              gnutls_code,
                                                   GError         **error);

G_END_DECLS
