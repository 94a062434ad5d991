/* lk-cms-private.h — libtasn1 helpers shared by lk-cms.c, lk-cms-parse.c and lk-tsa.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libtasn1.h>

G_BEGIN_DECLS

#define LK_CMS_OID_SHA256          "2.16.840.1.101.3.4.2.1"
#define LK_CMS_OID_RSA_ENCRYPTION  "1.2.840.113549.1.1.1"
#define LK_CMS_OID_ECDSA_SHA256    "1.2.840.10045.4.3.2"

/* The definitions of lk-cms.asn, parsed once; never freed. */
asn1_node  lk_cms_asn1_definitions (void);

/* A new element of TYPE ("LkCms.SignedData"), or NULL with ERROR set. */
asn1_node  lk_cms_asn1_new       (const char    *type,
                                  GError       **error);
/* Decodes DER (strict, filling LENGTH exactly) into a new element of
 * TYPE; NULL with LK_CMS_ERROR_INVALID naming WHAT. */
asn1_node  lk_cms_asn1_decode    (const char       *type,
                                  const guint8     *der,
                                  gsize             length,
                                  const char       *what,
                                  GError          **error);
/* The DER of NAME in NODE ("" for all), or NULL with LK_CMS_ERROR_FAILED. */
GBytes    *lk_cms_asn1_encode    (asn1_node      node,
                                  const char    *name,
                                  GError       **error);
/* The value of NAME (bytes; for ANY the DER), or NULL when absent. At most
 * LK_CMS_MAX_DER bytes. */
GBytes    *lk_cms_asn1_read      (asn1_node      node,
                                  const char    *name);
/* An OBJECT IDENTIFIER in dotted form, or NULL. */
char      *lk_cms_asn1_read_oid  (asn1_node      node,
                                  const char    *name);
/* An INTEGER or BOOLEAN-free small number in [0, G_MAXINT], or -1. */
int        lk_cms_asn1_read_int  (asn1_node      node,
                                  const char    *name);
/* Number of elements of a SET OF / SEQUENCE OF at NAME, 0 when absent. */
int        lk_cms_asn1_count     (asn1_node      node,
                                  const char    *name);
/* An INTEGER's bytes without leading zero bytes (for comparison). */
GBytes    *lk_cms_integer_normalize (GBytes     *integer);

/* AlgorithmIdentifier at PATH: OID with absent parameters, or NULL
 * parameters when NULL_PARAMS. */
int        lk_cms_asn1_write_algorithm (asn1_node   node,
                                        const char *path,
                                        const char *oid,
                                        gboolean    null_params);

G_END_DECLS
