/* lk-token.h — PKCS#11 tokens through GnuTLS: modules, tokens, signing certificates
 *
 * The token layer of the signing engine (issue 3). Modules come from p11-kit's
 * registry or from an explicit module path; tokens and the certificates that
 * have a private key (same CKA_ID) are listed; a PIN is asked through a
 * callback and never stored. Opening a key for signing: lk-token-key.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LK_TOKEN_ERROR (lk_token_error_quark ())
GQuark lk_token_error_quark (void);

typedef enum
{
  LK_TOKEN_ERROR_FAILED,         /* anything else the module reported */
  LK_TOKEN_ERROR_MODULE,         /* a PKCS#11 module could not be loaded */
  LK_TOKEN_ERROR_NOT_FOUND,      /* no such token, key or certificate */
  LK_TOKEN_ERROR_PIN_INCORRECT,  /* the token rejected the PIN (message says the tries left, if known) */
  LK_TOKEN_ERROR_PIN_LOCKED,     /* the PIN is blocked: the token refuses any login */
  LK_TOKEN_ERROR_CANCELLED,      /* the PIN callback gave no PIN */
  LK_TOKEN_ERROR_REMOVED,        /* the token is gone (pulled out, module unloaded) */
  LK_TOKEN_ERROR_CERTIFICATE,    /* a certificate could not be read or does not fit the key */
} LkTokenError;

/* A token's state, from its CK_TOKEN_INFO flags. */
typedef enum
{
  LK_TOKEN_FLAG_NONE                = 0,
  LK_TOKEN_FLAG_LOGIN_REQUIRED      = 1 << 0,
  LK_TOKEN_FLAG_PIN_COUNT_LOW       = 1 << 1, /* a wrong PIN was entered since the last good one */
  LK_TOKEN_FLAG_PIN_FINAL_TRY       = 1 << 2, /* one more wrong PIN locks the token */
  LK_TOKEN_FLAG_PIN_LOCKED          = 1 << 3,
  LK_TOKEN_FLAG_PROTECTED_AUTH_PATH = 1 << 4, /* PIN pad or biometrics: the callback gets no say */
  LK_TOKEN_FLAG_HARDWARE            = 1 << 5,
} LkTokenFlags;

/* Why the PIN is asked (for the PIN callback). */
typedef enum
{
  LK_TOKEN_PIN_NONE             = 0,
  LK_TOKEN_PIN_WRONG            = 1 << 0, /* the previous PIN was rejected */
  LK_TOKEN_PIN_COUNT_LOW        = 1 << 1,
  LK_TOKEN_PIN_FINAL_TRY        = 1 << 2,
  LK_TOKEN_PIN_CONTEXT_SPECIFIC = 1 << 3, /* the key wants the PIN for this one signature */
} LkTokenPinFlags;

/* Returns the PIN for the token TOKEN_LABEL as a new string (the token layer
 * wipes it with explicit_bzero and frees it with g_free right after the
 * login), or NULL to give up. ATTEMPT counts from 0; after a rejected PIN the
 * callback is asked again with LK_TOKEN_PIN_WRONG — return NULL there unless
 * a person types a new PIN, or a wrong PIN burns the token's tries. */
typedef char *(*LkTokenPinFunc) (const char      *token_label,
                                 LkTokenPinFlags  flags,
                                 guint            attempt,
                                 gpointer         user_data);

typedef struct
{
  char         *url;          /* pkcs11:model=…;manufacturer=…;serial=…;token=… */
  char         *label;
  char         *manufacturer;
  char         *model;
  char         *serial;
  LkTokenFlags  flags;
} LkTokenInfo;

typedef enum
{
  LK_TOKEN_KEY_TYPE_UNKNOWN,
  LK_TOKEN_KEY_TYPE_RSA,
  LK_TOKEN_KEY_TYPE_EC,
} LkTokenKeyType;

/* A certificate on a token with a key of the same CKA_ID. */
typedef struct
{
  char           *url;         /* the certificate's PKCS#11 URL */
  char           *key_url;     /* the private key's: token URL;id=…;type=private */
  char           *token_label;
  char           *label;       /* CKA_LABEL of the certificate */
  char           *id_hex;      /* CKA_ID in hex, "01" */
  char           *subject;     /* RFC 4514 DN */
  char           *issuer;
  LkTokenKeyType  key_type;
  guint           key_bits;
  GDateTime      *not_before;  /* UTC */
  GDateTime      *not_after;
} LkTokenCert;

/* Loads the PKCS#11 modules once per process: MODULE_PATH NULL takes
 * p11-kit's registry, a path loads only that module (and later calls with
 * another path add it). Thread-safe. LK_TOKEN_ERROR_MODULE on failure. */
gboolean      lk_token_init               (const char   *module_path,
                                           GError      **error);

/* The tokens of the loaded modules, p11-kit's trust module skipped:
 * LkTokenInfo, in slot order. Call lk_token_init first. */
GPtrArray    *lk_token_list_tokens        (GError      **error);

/* The certificates on the token TOKEN_URL (NULL: on every token) that have a
 * key with the same CKA_ID: LkTokenCert. Without a login a token hides its
 * private keys, so a certificate counts when a private or a public key object
 * with its CKA_ID is visible. */
GPtrArray    *lk_token_list_certificates  (const char   *token_url,
                                           GError      **error);

/* "login required, PIN count low" (translated), "" for none. */
char         *lk_token_flags_to_string    (LkTokenFlags  flags);
const char   *lk_token_key_type_to_string (LkTokenKeyType type);

void          lk_token_info_free          (LkTokenInfo  *info);
void          lk_token_cert_free          (LkTokenCert  *cert);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTokenInfo, lk_token_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTokenCert, lk_token_cert_free)

G_END_DECLS
