/* lk-token.c — PKCS#11 modules, tokens and signing certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-sign"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>
#include <gnutls/x509.h>

#include "sign/lk-token-private.h"

/* Bounds on what a module may hand us. */
#define MAX_TOKENS  64
#define MAX_INFO    1024

G_DEFINE_QUARK (lk-token-error-quark, lk_token_error)

G_LOCK_DEFINE_STATIC (init);
static gboolean    pkcs11_initialized;
static GHashTable *added_modules; /* module path → itself */

void
lk_token_info_free (LkTokenInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->url);
  g_free (info->label);
  g_free (info->manufacturer);
  g_free (info->model);
  g_free (info->serial);
  g_free (info);
}

void
lk_token_cert_free (LkTokenCert *cert)
{
  if (cert == NULL)
    return;
  g_free (cert->url);
  g_free (cert->key_url);
  g_free (cert->token_label);
  g_free (cert->label);
  g_free (cert->id_hex);
  g_free (cert->subject);
  g_free (cert->issuer);
  g_clear_pointer (&cert->not_before, g_date_time_unref);
  g_clear_pointer (&cert->not_after, g_date_time_unref);
  g_free (cert);
}

void
lk_token_set_error (GError     **error,
                    int          code,
                    const char  *what)
{
  LkTokenError domain_code;

  switch (code)
    {
    case GNUTLS_E_PKCS11_PIN_ERROR:
      domain_code = LK_TOKEN_ERROR_PIN_INCORRECT;
      break;
    case GNUTLS_E_PKCS11_PIN_LOCKED:
      domain_code = LK_TOKEN_ERROR_PIN_LOCKED;
      break;
    case GNUTLS_E_PKCS11_LOAD_ERROR:
      domain_code = LK_TOKEN_ERROR_MODULE;
      break;
    case GNUTLS_E_PKCS11_REQUESTED_OBJECT_NOT_AVAILBLE:
    case GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE:
      domain_code = LK_TOKEN_ERROR_NOT_FOUND;
      break;
    case GNUTLS_E_PKCS11_DEVICE_ERROR:
    case GNUTLS_E_PKCS11_SLOT_ERROR:
    case GNUTLS_E_PKCS11_TOKEN_ERROR:
    case GNUTLS_E_PKCS11_SESSION_ERROR:
      domain_code = LK_TOKEN_ERROR_REMOVED;
      break;
    default:
      domain_code = LK_TOKEN_ERROR_FAILED;
      break;
    }

  g_set_error (error, LK_TOKEN_ERROR, domain_code, "%s: %s", what, gnutls_strerror (code));
}

LkTokenFlags
lk_token_flags_from_gnutls (unsigned int gnutls_flags)
{
  LkTokenFlags flags = LK_TOKEN_FLAG_NONE;

  if (gnutls_flags & GNUTLS_PKCS11_TOKEN_LOGIN_REQUIRED)
    flags |= LK_TOKEN_FLAG_LOGIN_REQUIRED;
  if (gnutls_flags & GNUTLS_PKCS11_TOKEN_USER_PIN_COUNT_LOW)
    flags |= LK_TOKEN_FLAG_PIN_COUNT_LOW;
  if (gnutls_flags & GNUTLS_PKCS11_TOKEN_USER_PIN_FINAL_TRY)
    flags |= LK_TOKEN_FLAG_PIN_FINAL_TRY;
  if (gnutls_flags & GNUTLS_PKCS11_TOKEN_USER_PIN_LOCKED)
    flags |= LK_TOKEN_FLAG_PIN_LOCKED;
  if (gnutls_flags & GNUTLS_PKCS11_TOKEN_PROTECTED_AUTHENTICATION_PATH)
    flags |= LK_TOKEN_FLAG_PROTECTED_AUTH_PATH;
  if (gnutls_flags & GNUTLS_PKCS11_TOKEN_HW)
    flags |= LK_TOKEN_FLAG_HARDWARE;

  return flags;
}

gboolean
lk_token_init (const char  *module_path,
               GError     **error)
{
  gboolean ok = TRUE;
  int ret;

  G_LOCK (init);

  if (!pkcs11_initialized)
    {
      ret = gnutls_pkcs11_init (module_path != NULL ? GNUTLS_PKCS11_FLAG_MANUAL
                                                    : GNUTLS_PKCS11_FLAG_AUTO, NULL);
      if (ret < 0)
        {
          g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_MODULE,
                       _("Cannot load the PKCS#11 modules registered with p11-kit: %s"),
                       gnutls_strerror (ret));
          ok = FALSE;
          goto out;
        }
      pkcs11_initialized = TRUE;
      added_modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }

  if (module_path != NULL && !g_hash_table_contains (added_modules, module_path))
    {
      ret = gnutls_pkcs11_add_provider (module_path, NULL);
      if (ret < 0)
        {
          g_set_error (error, LK_TOKEN_ERROR, LK_TOKEN_ERROR_MODULE,
                       _("Cannot load the PKCS#11 module “%s”: %s"),
                       module_path, gnutls_strerror (ret));
          ok = FALSE;
          goto out;
        }
      g_hash_table_add (added_modules, g_strdup (module_path));
    }

out:
  G_UNLOCK (init);
  return ok;
}

static char *
token_get_info (const char                 *url,
                gnutls_pkcs11_token_info_t  what)
{
  char buffer[MAX_INFO];
  size_t size = sizeof buffer;

  if (gnutls_pkcs11_token_get_info (url, what, buffer, &size) < 0)
    return g_strdup ("");

  buffer[MIN (size, sizeof buffer - 1)] = '\0';
  return g_utf8_make_valid (g_strchomp (buffer), -1);
}

GPtrArray *
lk_token_list_tokens (GError **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_token_info_free);

  for (unsigned int seq = 0; seq < MAX_TOKENS; seq++)
    {
      g_autoptr(LkTokenInfo) info = NULL;
      char *url = NULL;
      unsigned int flags = 0;
      int ret;

      ret = gnutls_pkcs11_token_get_url (seq, GNUTLS_PKCS11_URL_GENERIC, &url);
      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (ret < 0)
        {
          lk_token_set_error (error, ret, _("Cannot list the PKCS#11 tokens"));
          return NULL;
        }

      info = g_new0 (LkTokenInfo, 1);
      info->url = g_strdup (url);
      gnutls_free (url);

      if (gnutls_pkcs11_token_get_flags (info->url, &flags) < 0)
        flags = 0;
      info->label = token_get_info (info->url, GNUTLS_PKCS11_TOKEN_LABEL);

      /* p11-kit's trust module holds the system anchors, not signing keys. */
      if ((flags & GNUTLS_PKCS11_TOKEN_TRUSTED) || g_strcmp0 (info->label, "System Trust") == 0)
        continue;

      info->manufacturer = token_get_info (info->url, GNUTLS_PKCS11_TOKEN_MANUFACTURER);
      info->model = token_get_info (info->url, GNUTLS_PKCS11_TOKEN_MODEL);
      info->serial = token_get_info (info->url, GNUTLS_PKCS11_TOKEN_SERIAL);
      info->flags = lk_token_flags_from_gnutls (flags);
      g_ptr_array_add (tokens, g_steal_pointer (&info));
    }

  return g_steal_pointer (&tokens);
}

/* The path attributes of a pkcs11: URL, unescaped: name → value. */
static GHashTable *
url_attributes (const char *url)
{
  GHashTable *attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *path = url + strlen ("pkcs11:");
  g_autofree char *path_only = g_strndup (path, strcspn (path, "?"));
  g_auto(GStrv) parts = g_strsplit (path_only, ";", 32);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');
      char *value;

      if (eq == NULL)
        continue;
      *eq = '\0';
      value = g_uri_unescape_string (eq + 1, NULL);
      if (value != NULL)
        g_hash_table_replace (attrs, g_strdup (parts[i]), value);
    }

  return attrs;
}

char *
lk_token_find_token_url (const char *object_url)
{
  static const char *token_keys[] = { "token", "serial", "manufacturer", "model" };
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GHashTable) wanted = NULL;

  if (!g_str_has_prefix (object_url, "pkcs11:"))
    return NULL;

  tokens = lk_token_list_tokens (NULL);
  if (tokens == NULL)
    return NULL;

  /* The first token whose attributes match those the object URL names. */
  wanted = url_attributes (object_url);
  for (guint i = 0; i < tokens->len; i++)
    {
      LkTokenInfo *info = g_ptr_array_index (tokens, i);
      g_autoptr(GHashTable) have = url_attributes (info->url);
      gboolean all = TRUE;

      for (guint j = 0; j < G_N_ELEMENTS (token_keys) && all; j++)
        {
          const char *value = g_hash_table_lookup (wanted, token_keys[j]);

          if (value != NULL && g_strcmp0 (value, g_hash_table_lookup (have, token_keys[j])) != 0)
            all = FALSE;
        }

      if (all)
        return g_strdup (info->url);
    }

  return NULL;
}

static GDateTime *
date_time_from_unix (time_t t)
{
  return g_date_time_new_from_unix_utc ((gint64) t);
}

static char *
crt_dn (gnutls_x509_crt_t crt,
        gboolean          issuer)
{
  gnutls_datum_t dn = { NULL, 0 };
  char *text;
  int ret;

  ret = issuer ? gnutls_x509_crt_get_issuer_dn3 (crt, &dn, 0)
               : gnutls_x509_crt_get_dn3 (crt, &dn, 0);
  if (ret < 0)
    return g_strdup ("");

  text = g_utf8_make_valid ((const char *) dn.data, dn.size);
  gnutls_free (dn.data);
  return text;
}

void
lk_token_cert_fill (LkTokenCert       *cert,
                    gnutls_x509_crt_t  crt)
{
  unsigned int bits = 0;
  int pk;

  cert->subject = crt_dn (crt, FALSE);
  cert->issuer = crt_dn (crt, TRUE);
  pk = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  cert->key_type = pk == GNUTLS_PK_RSA ? LK_TOKEN_KEY_TYPE_RSA
                 : pk == GNUTLS_PK_ECDSA ? LK_TOKEN_KEY_TYPE_EC
                 : LK_TOKEN_KEY_TYPE_UNKNOWN;
  cert->key_bits = bits;
  cert->not_before = date_time_from_unix (gnutls_x509_crt_get_activation_time (crt));
  cert->not_after = date_time_from_unix (gnutls_x509_crt_get_expiration_time (crt));
}

static char *
obj_info (gnutls_pkcs11_obj_t       obj,
          gnutls_pkcs11_obj_info_t  what)
{
  char buffer[MAX_INFO];
  size_t size = sizeof buffer;

  if (gnutls_pkcs11_obj_get_info (obj, what, buffer, &size) < 0)
    return NULL;

  buffer[MIN (size, sizeof buffer - 1)] = '\0';
  return g_utf8_make_valid (buffer, -1);
}

static void
free_obj_list (gnutls_pkcs11_obj_t *list,
               unsigned int         n)
{
  for (unsigned int i = 0; i < n; i++)
    gnutls_pkcs11_obj_deinit (list[i]);
  gnutls_free (list);
}

/* The hex CKA_IDs of the key objects (FLAGS: private or public) on TOKEN_URL. */
static GHashTable *
key_ids (const char   *token_url,
         unsigned int  flags)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gnutls_pkcs11_obj_t *list = NULL;
  unsigned int n = 0;

  if (gnutls_pkcs11_obj_list_import_url4 (&list, &n, token_url, flags) < 0)
    return ids;

  for (unsigned int i = 0; i < n; i++)
    {
      char *id = obj_info (list[i], GNUTLS_PKCS11_OBJ_ID_HEX);

      if (id != NULL)
        g_hash_table_add (ids, id);
    }

  free_obj_list (list, n);
  return ids;
}

/* "01:ab" → "%01%ab" for a PKCS#11 URL. */
static char *
id_hex_to_url (const char *id_hex)
{
  g_autoptr(GString) url = g_string_new (NULL);

  for (const char *p = id_hex; *p != '\0'; p++)
    {
      if (*p == ':')
        continue;
      if (url->len % 3 == 0)
        g_string_append_c (url, '%');
      g_string_append_c (url, *p);
    }

  return g_string_free (g_steal_pointer (&url), FALSE);
}

static gboolean
list_token_certificates (LkTokenInfo  *token,
                         GPtrArray    *certs,
                         GError      **error)
{
  g_autoptr(GHashTable) private_ids = key_ids (token->url, GNUTLS_PKCS11_OBJ_FLAG_PRIVKEY);
  g_autoptr(GHashTable) public_ids = key_ids (token->url, GNUTLS_PKCS11_OBJ_FLAG_PUBKEY);
  gnutls_pkcs11_obj_t *list = NULL;
  unsigned int n = 0;
  int ret;

  ret = gnutls_pkcs11_obj_list_import_url4 (&list, &n, token->url, GNUTLS_PKCS11_OBJ_FLAG_CRT);
  if (ret < 0)
    {
      g_autofree char *what = g_strdup_printf (_("Cannot list the certificates on the token “%s”"),
                                               token->label);
      lk_token_set_error (error, ret, what);
      return FALSE;
    }

  for (unsigned int i = 0; i < n; i++)
    {
      g_autoptr(LkTokenCert) cert = NULL;
      g_autofree char *id_hex = obj_info (list[i], GNUTLS_PKCS11_OBJ_ID_HEX);
      g_autofree char *id_url = NULL;
      gnutls_x509_crt_t crt = NULL;
      char *url = NULL;

      if (id_hex == NULL || *id_hex == '\0' ||
          (!g_hash_table_contains (private_ids, id_hex) && !g_hash_table_contains (public_ids, id_hex)))
        continue;

      if (gnutls_x509_crt_init (&crt) < 0)
        continue;
      if (gnutls_x509_crt_import_pkcs11 (crt, list[i]) < 0 ||
          gnutls_pkcs11_obj_export_url (list[i], GNUTLS_PKCS11_URL_GENERIC, &url) < 0)
        {
          g_debug ("Skipping an unreadable certificate on %s", token->label);
          gnutls_x509_crt_deinit (crt);
          continue;
        }

      id_url = id_hex_to_url (id_hex);
      cert = g_new0 (LkTokenCert, 1);
      cert->url = g_strdup (url);
      gnutls_free (url);
      cert->key_url = g_strdup_printf ("%s;id=%s;type=private", token->url, id_url);
      cert->token_label = g_strdup (token->label);
      cert->label = obj_info (list[i], GNUTLS_PKCS11_OBJ_LABEL);
      cert->id_hex = g_steal_pointer (&id_hex);
      lk_token_cert_fill (cert, crt);
      gnutls_x509_crt_deinit (crt);
      g_ptr_array_add (certs, g_steal_pointer (&cert));
    }

  free_obj_list (list, n);
  return TRUE;
}

GPtrArray *
lk_token_list_certificates (const char  *token_url,
                            GError     **error)
{
  g_autoptr(GPtrArray) tokens = lk_token_list_tokens (error);
  g_autoptr(GPtrArray) certs = NULL;

  if (tokens == NULL)
    return NULL;

  certs = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_token_cert_free);
  for (guint i = 0; i < tokens->len; i++)
    {
      LkTokenInfo *token = g_ptr_array_index (tokens, i);

      if (token_url != NULL && g_strcmp0 (token_url, token->url) != 0)
        continue;
      if (!list_token_certificates (token, certs, error))
        return NULL;
    }

  return g_steal_pointer (&certs);
}

char *
lk_token_flags_to_string (LkTokenFlags flags)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  if (flags & LK_TOKEN_FLAG_LOGIN_REQUIRED)
    g_ptr_array_add (words, _("login required"));
  if (flags & LK_TOKEN_FLAG_PIN_COUNT_LOW)
    g_ptr_array_add (words, _("PIN count low"));
  if (flags & LK_TOKEN_FLAG_PIN_FINAL_TRY)
    g_ptr_array_add (words, _("PIN final try"));
  if (flags & LK_TOKEN_FLAG_PIN_LOCKED)
    g_ptr_array_add (words, _("PIN locked"));
  if (flags & LK_TOKEN_FLAG_PROTECTED_AUTH_PATH)
    g_ptr_array_add (words, _("protected authentication path"));
  if (flags & LK_TOKEN_FLAG_HARDWARE)
    g_ptr_array_add (words, _("hardware"));
  g_ptr_array_add (words, NULL);

  return g_strjoinv (", ", (char **) words->pdata);
}

const char *
lk_token_key_type_to_string (LkTokenKeyType type)
{
  switch (type)
    {
    case LK_TOKEN_KEY_TYPE_RSA:
      return "RSA";
    case LK_TOKEN_KEY_TYPE_EC:
      return "EC";
    case LK_TOKEN_KEY_TYPE_UNKNOWN:
    default:
      return "?";
    }
}
