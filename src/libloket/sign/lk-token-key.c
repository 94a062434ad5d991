/* lk-token-key.c — a signing key on a PKCS#11 token, logged in once per batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sign"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/pkcs11.h>

#include "sign/lk-token-private.h"
#include "sign/lk-token-key.h"

/* A certificate file is small; anything bigger is not one. */
#define MAX_CERT_FILE  (256 * 1024)
/* A PIN callback that keeps giving wrong PINs is stopped after this many. */
#define MAX_PIN_ATTEMPTS 3
#define MAX_ID 256

struct _LkTokenKey
{
  GObject            parent_instance;

  gnutls_privkey_t   privkey;
  gnutls_x509_crt_t  crt;
  char              *key_url;
  char              *token_label;
  LkTokenKeyType     key_type;
  gboolean           always_auth;

  LkTokenPinFunc     pin_func;
  gpointer           pin_data;
  GDestroyNotify     pin_data_destroy;
  guint              pin_requests;
  gboolean           pin_was_wrong;   /* of the last login */
  gboolean           pin_given_up;    /* the callback returned NULL */
};

G_DEFINE_FINAL_TYPE (LkTokenKey, lk_token_key, G_TYPE_OBJECT)

static LkTokenPinFlags
pin_flags_from_gnutls (unsigned int flags)
{
  LkTokenPinFlags pin_flags = LK_TOKEN_PIN_NONE;

  if (flags & GNUTLS_PIN_WRONG)
    pin_flags |= LK_TOKEN_PIN_WRONG;
  if (flags & GNUTLS_PIN_COUNT_LOW)
    pin_flags |= LK_TOKEN_PIN_COUNT_LOW;
  if (flags & GNUTLS_PIN_FINAL_TRY)
    pin_flags |= LK_TOKEN_PIN_FINAL_TRY;
  if (flags & GNUTLS_PIN_CONTEXT_SPECIFIC)
    pin_flags |= LK_TOKEN_PIN_CONTEXT_SPECIFIC;

  return pin_flags;
}

static int
pin_cb (void       *user_data,
        int         attempt,
        const char *token_url,
        const char *token_label,
        unsigned    flags,
        char       *pin,
        size_t      pin_max)
{
  LkTokenKey *self = user_data;
  char *given;
  size_t len;

  self->pin_was_wrong = (flags & GNUTLS_PIN_WRONG) != 0;
  if (self->pin_func == NULL || attempt < 0 || attempt >= MAX_PIN_ATTEMPTS ||
      (flags & GNUTLS_PIN_SO))
    {
      self->pin_given_up = TRUE;
      return GNUTLS_E_PKCS11_PIN_ERROR;
    }

  self->pin_requests++;
  given = self->pin_func (token_label != NULL ? token_label : "",
                          pin_flags_from_gnutls (flags), (guint) attempt, self->pin_data);
  if (given == NULL)
    {
      self->pin_given_up = TRUE;
      return GNUTLS_E_PKCS11_PIN_ERROR;
    }

  len = strlen (given);
  if (len >= pin_max)
    {
      explicit_bzero (given, len);
      g_free (given);
      self->pin_given_up = TRUE;
      return GNUTLS_E_PKCS11_PIN_ERROR;
    }

  memcpy (pin, given, len + 1);
  explicit_bzero (given, len);
  g_free (given);
  self->pin_given_up = FALSE;
  return 0;
}

static void
lk_token_key_finalize (GObject *object)
{
  LkTokenKey *self = LK_TOKEN_KEY (object);

  g_clear_pointer (&self->privkey, gnutls_privkey_deinit);
  g_clear_pointer (&self->crt, gnutls_x509_crt_deinit);
  g_free (self->key_url);
  g_free (self->token_label);
  if (self->pin_data_destroy != NULL)
    self->pin_data_destroy (self->pin_data);

  G_OBJECT_CLASS (lk_token_key_parent_class)->finalize (object);
}

static void
lk_token_key_class_init (LkTokenKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_token_key_finalize;
}

static void
lk_token_key_init (LkTokenKey *self)
{
}

/* The token's flags now, or FALSE if its token is gone. */
static gboolean
get_token_flags (LkTokenKey   *self,
                 LkTokenFlags *flags)
{
  g_autofree char *token_url = lk_token_find_token_url (self->key_url);
  unsigned int gnutls_flags = 0;

  if (token_url == NULL || gnutls_pkcs11_token_get_flags (token_url, &gnutls_flags) < 0)
    return FALSE;

  *flags = lk_token_flags_from_gnutls (gnutls_flags);
  return TRUE;
}

static void
set_pin_error (LkTokenKey  *self,
               int          code,
               GError     **error)
{
  LkTokenFlags flags = LK_TOKEN_FLAG_NONE;
  gboolean present = get_token_flags (self, &flags);

  if (code == GNUTLS_E_PKCS11_PIN_LOCKED || (present && (flags & LK_TOKEN_FLAG_PIN_LOCKED)))
    g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_PIN_LOCKED,
                 _("The PIN of the token “%s” is locked; unblock it with the security officer PIN"),
                 self->token_label);
  else if (!self->pin_was_wrong && self->pin_given_up)
    g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CANCELLED,
                 _("No PIN was given for the token “%s”"), self->token_label);
  else if (flags & LK_TOKEN_FLAG_PIN_FINAL_TRY)
    g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_PIN_INCORRECT,
                 _("The token “%s” rejected the PIN; one try is left before it locks"),
                 self->token_label);
  else if (flags & LK_TOKEN_FLAG_PIN_COUNT_LOW)
    g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_PIN_INCORRECT,
                 _("The token “%s” rejected the PIN; only a few tries are left before it locks"),
                 self->token_label);
  else
    g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_PIN_INCORRECT,
                 _("The token “%s” rejected the PIN; it does not tell how many tries are left"),
                 self->token_label);
}

static gboolean
is_pin_error (int code)
{
  return code == GNUTLS_E_PKCS11_PIN_ERROR || code == GNUTLS_E_PKCS11_PIN_LOCKED ||
         code == GNUTLS_E_PKCS11_USER_ERROR;
}

static gnutls_x509_crt_t
load_certificate_file (const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_CERT_FILE)
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE,
                   _("“%s” is not a certificate file (missing, not a file, or over %d KiB)"),
                   path, MAX_CERT_FILE / 1024);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  datum.data = (unsigned char *) contents;
  datum.size = (unsigned int) length;
  if (gnutls_x509_crt_init (&crt) < 0)
    g_error ("Out of memory");
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) < 0 &&
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE,
                   _("“%s” holds no X.509 certificate in PEM or DER"), path);
      return NULL;
    }

  return crt;
}

/* The certificate on the key's token with the key's CKA_ID; also reads
 * CKA_ALWAYS_AUTHENTICATE. */
static gnutls_x509_crt_t
find_certificate (LkTokenKey  *self,
                  gboolean     want_crt,
                  GError     **error)
{
  gnutls_pkcs11_obj_t key_obj = NULL;
  g_autofree char *token_url = NULL;
  gnutls_pkcs11_obj_t *list = NULL;
  unsigned int n = 0;
  unsigned char id[MAX_ID];
  size_t id_size = sizeof id;
  unsigned int obj_flags = 0;
  gnutls_x509_crt_t crt = NULL;
  int ret;

  if (gnutls_pkcs11_obj_init (&key_obj) < 0)
    g_error ("Out of memory");
  gnutls_pkcs11_obj_set_pin_function (key_obj, pin_cb, self);
  /* The key's login is still active, so this asks no PIN. */
  ret = gnutls_pkcs11_obj_import_url (key_obj, self->key_url,
                                      GNUTLS_PKCS11_OBJ_FLAG_LOGIN);
  if (ret < 0)
    {
      gnutls_pkcs11_obj_deinit (key_obj);
      lk_token_set_error (error, ret, _("Cannot read the key’s attributes"));
      return NULL;
    }

  if (gnutls_pkcs11_obj_get_flags (key_obj, &obj_flags) == 0)
    self->always_auth = (obj_flags & GNUTLS_PKCS11_OBJ_FLAG_MARK_ALWAYS_AUTH) != 0;

  if (!want_crt)
    {
      gnutls_pkcs11_obj_deinit (key_obj);
      return NULL;
    }

  ret = gnutls_pkcs11_obj_get_info (key_obj, GNUTLS_PKCS11_OBJ_ID, id, &id_size);
  gnutls_pkcs11_obj_deinit (key_obj);
  if (ret < 0 || id_size == 0)
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE,
                   _("The key has no CKA_ID to find its certificate by; give the certificate"));
      return NULL;
    }

  token_url = lk_token_find_token_url (self->key_url);
  if (token_url == NULL)
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_REMOVED,
                   _("The token “%s” was removed"), self->token_label);
      return NULL;
    }

  ret = gnutls_pkcs11_obj_list_import_url4 (&list, &n, token_url, GNUTLS_PKCS11_OBJ_FLAG_CRT);
  if (ret < 0)
    {
      lk_token_set_error (error, ret, _("Cannot list the certificates on the token"));
      return NULL;
    }

  for (unsigned int i = 0; i < n; i++)
    {
      unsigned char crt_id[MAX_ID];
      size_t crt_id_size = sizeof crt_id;

      if (crt == NULL &&
          gnutls_pkcs11_obj_get_info (list[i], GNUTLS_PKCS11_OBJ_ID, crt_id, &crt_id_size) == 0 &&
          crt_id_size == id_size && memcmp (crt_id, id, id_size) == 0)
        {
          if (gnutls_x509_crt_init (&crt) < 0)
            g_error ("Out of memory");
          if (gnutls_x509_crt_import_pkcs11 (crt, list[i]) < 0)
            g_clear_pointer (&crt, gnutls_x509_crt_deinit);
        }
      gnutls_pkcs11_obj_deinit (list[i]);
    }
  gnutls_free (list);

  if (crt == NULL)
    g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE,
                 _("The token “%s” holds no certificate with the key’s CKA_ID; give the certificate"),
                 self->token_label);
  return crt;
}

/* FALSE if CRT is provably not the key's certificate. */
static gboolean
certificate_fits_key (LkTokenKey *self)
{
  gnutls_pubkey_t pubkey = NULL;
  unsigned char key_id[64], crt_id[64];
  size_t key_id_size = sizeof key_id, crt_id_size = sizeof crt_id;
  gboolean fits = TRUE;

  if (gnutls_pubkey_init (&pubkey) < 0)
    g_error ("Out of memory");
  if (gnutls_pubkey_import_privkey (pubkey, self->privkey, 0, 0) == 0 &&
      gnutls_pubkey_get_key_id (pubkey, GNUTLS_KEYID_USE_SHA256, key_id, &key_id_size) == 0 &&
      gnutls_x509_crt_get_key_id (self->crt, GNUTLS_KEYID_USE_SHA256, crt_id, &crt_id_size) == 0)
    fits = key_id_size == crt_id_size && memcmp (key_id, crt_id, key_id_size) == 0;
  gnutls_pubkey_deinit (pubkey);

  return fits;
}

LkTokenKey *
lk_token_key_open (const char      *key_url,
                   const char      *cert,
                   LkTokenPinFunc   pin_func,
                   gpointer         pin_data,
                   GDestroyNotify   pin_data_destroy,
                   GError         **error)
{
  g_autoptr(LkTokenKey) self = NULL;
  g_autofree char *token_url = NULL;
  char label[256];
  size_t label_size = sizeof label;
  int ret, pk;

  g_return_val_if_fail (key_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LK_TYPE_TOKEN_KEY, NULL);
  self->key_url = g_strdup (key_url);
  self->pin_func = pin_func;
  self->pin_data = pin_data;
  self->pin_data_destroy = pin_data_destroy;

  if (!g_str_has_prefix (key_url, "pkcs11:"))
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_NOT_FOUND,
                   _("“%s” is not a PKCS#11 URL (pkcs11:…)"), key_url);
      return NULL;
    }

  token_url = lk_token_find_token_url (key_url);
  if (token_url == NULL)
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_NOT_FOUND,
                   _("No token matches the key URL; is the token inserted? “loketctl tokens” lists them"));
      return NULL;
    }
  if (gnutls_pkcs11_token_get_info (token_url, GNUTLS_PKCS11_TOKEN_LABEL, label, &label_size) == 0)
    {
      label[MIN (label_size, sizeof label - 1)] = '\0';
      self->token_label = g_utf8_make_valid (g_strchomp (label), -1);
    }
  else
    self->token_label = g_strdup ("?");

  if (gnutls_privkey_init (&self->privkey) < 0)
    g_error ("Out of memory");
  gnutls_privkey_set_pin_function (self->privkey, pin_cb, self);

  /* The login happens here and stays for the key's lifetime. */
  ret = gnutls_privkey_import_url (self->privkey, key_url, 0);
  if (ret < 0)
    {
      if (is_pin_error (ret) || self->pin_given_up)
        set_pin_error (self, ret, error);
      else if (ret == GNUTLS_E_PKCS11_REQUESTED_OBJECT_NOT_AVAILBLE ||
               ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_NOT_FOUND,
                     _("The token “%s” has no private key at that URL"), self->token_label);
      else
        lk_token_set_error (error, ret, _("Cannot open the key"));
      return NULL;
    }

  if (cert == NULL)
    {
      self->crt = find_certificate (self, TRUE, error);
      if (self->crt == NULL)
        return NULL;
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      (void) find_certificate (self, FALSE, &local_error);
      if (local_error != NULL)
        g_debug ("Cannot read the key’s attributes: %s", local_error->message);

      if (g_str_has_prefix (cert, "pkcs11:"))
        {
          if (gnutls_x509_crt_init (&self->crt) < 0)
            g_error ("Out of memory");
          ret = gnutls_x509_crt_import_url (self->crt, cert, 0);
          if (ret < 0)
            {
              g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE,
                           _("Cannot read the certificate at the URL: %s"), gnutls_strerror (ret));
              return NULL;
            }
        }
      else
        {
          self->crt = load_certificate_file (cert, error);
          if (self->crt == NULL)
            return NULL;
        }
    }

  if (!certificate_fits_key (self))
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE,
                   _("The certificate does not belong to the key (their public keys differ)"));
      return NULL;
    }

  pk = gnutls_x509_crt_get_pk_algorithm (self->crt, NULL);
  self->key_type = pk == GNUTLS_PK_RSA ? LK_TOKEN_KEY_TYPE_RSA
                 : pk == GNUTLS_PK_ECDSA ? LK_TOKEN_KEY_TYPE_EC
                 : LK_TOKEN_KEY_TYPE_UNKNOWN;
  if (self->key_type == LK_TOKEN_KEY_TYPE_UNKNOWN)
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_CERTIFICATE,
                   _("The key is neither RSA nor ECDSA; Loket signs with these only"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

gboolean
lk_token_key_get_always_authenticate (LkTokenKey *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_KEY (self), FALSE);
  return self->always_auth;
}

LkTokenKeyType
lk_token_key_get_key_type (LkTokenKey *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_KEY (self), LK_TOKEN_KEY_TYPE_UNKNOWN);
  return self->key_type;
}

const char *
lk_token_key_get_token_label (LkTokenKey *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_KEY (self), NULL);
  return self->token_label;
}

guint
lk_token_key_get_pin_requests (LkTokenKey *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_KEY (self), 0);
  return self->pin_requests;
}

gnutls_privkey_t
lk_token_key_get_privkey (LkTokenKey *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_KEY (self), NULL);
  return self->privkey;
}

gnutls_x509_crt_t
lk_token_key_get_certificate (LkTokenKey *self)
{
  g_return_val_if_fail (LK_IS_TOKEN_KEY (self), NULL);
  return self->crt;
}

void
lk_token_key_set_sign_error (LkTokenKey  *self,
                             int          code,
                             GError     **error)
{
  LkTokenFlags flags;

  g_return_if_fail (LK_IS_TOKEN_KEY (self));

  if (!get_token_flags (self, &flags))
    g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_REMOVED,
                 _("The token “%s” was removed while signing; insert it and sign again"),
                 self->token_label);
  else if (is_pin_error (code) || self->pin_given_up)
    set_pin_error (self, code, error);
  else
    {
      g_autofree char *what = g_strdup_printf (_("The token “%s” could not sign"), self->token_label);
      lk_token_set_error (error, code, what);
    }
}

static void
crt_free (gpointer crt)
{
  gnutls_x509_crt_deinit (crt);
}

/* Whether ISSUER signed CRT: the names match and the signature verifies
 * (validity times are for the verifier to judge, not here). */
static gboolean
issued_by (gnutls_x509_crt_t crt,
           gnutls_x509_crt_t issuer)
{
  unsigned int status = 0;

  if (!gnutls_x509_crt_check_issuer (crt, issuer))
    return FALSE;
  return gnutls_x509_crt_verify (crt, &issuer, 1,
                                 GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                 GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                 &status) == 0 && status == 0;
}

GPtrArray *
lk_token_key_find_chain (LkTokenKey  *self,
                         GError     **error)
{
  g_autofree char *token_url = NULL;
  g_autoptr(GPtrArray) on_token = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  gnutls_pkcs11_obj_t *list = NULL;
  unsigned int n = 0;
  gnutls_x509_crt_t current;
  int ret;

  g_return_val_if_fail (LK_IS_TOKEN_KEY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  token_url = lk_token_find_token_url (self->key_url);
  if (token_url == NULL)
    {
      g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_REMOVED,
                   _("The token “%s” was removed"), self->token_label);
      return NULL;
    }

  ret = gnutls_pkcs11_obj_list_import_url4 (&list, &n, token_url, GNUTLS_PKCS11_OBJ_FLAG_CRT);
  if (ret < 0)
    {
      lk_token_set_error (error, ret, _("Cannot list the certificates on the token"));
      return NULL;
    }

  on_token = g_ptr_array_new_with_free_func (crt_free);
  for (unsigned int i = 0; i < n; i++)
    {
      gnutls_x509_crt_t crt = NULL;

      if (gnutls_x509_crt_init (&crt) < 0)
        g_error ("Out of memory");
      if (gnutls_x509_crt_import_pkcs11 (crt, list[i]) == 0 &&
          !gnutls_x509_crt_equals (crt, self->crt))
        g_ptr_array_add (on_token, crt);
      else
        gnutls_x509_crt_deinit (crt);
      gnutls_pkcs11_obj_deinit (list[i]);
    }
  gnutls_free (list);

  chain = g_ptr_array_new_with_free_func (crt_free);
  current = self->crt;
  while (chain->len < LK_TOKEN_KEY_MAX_CHAIN &&
         !gnutls_x509_crt_check_issuer (current, current))
    {
      gnutls_x509_crt_t next = NULL;

      for (guint i = 0; i < on_token->len && next == NULL; i++)
        if (issued_by (current, g_ptr_array_index (on_token, i)))
          next = g_ptr_array_steal_index (on_token, i);
      if (next == NULL)
        break;
      g_ptr_array_add (chain, next);
      current = next;
    }

  return g_steal_pointer (&chain);
}
