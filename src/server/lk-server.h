/* lk-server.h — the HTTP API of docs/api-v1.md over an LkStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

#define LK_SERVER_ERROR (lk_server_error_quark ())
GQuark lk_server_error_quark (void);

typedef enum
{
  LK_SERVER_ERROR_ADDRESS,    /* --listen is not HOST:PORT */
  LK_SERVER_ERROR_INSECURE,   /* plain HTTP on a non-loopback address */
  LK_SERVER_ERROR_LISTEN,     /* the socket could not be opened */
  LK_SERVER_ERROR_TRUST,      /* a --trust file holds no readable certificate */
} LkServerError;

/* Limits of the wire (docs/api-v1.md). */
#define LK_SERVER_MAX_BODY        (64 * 1024)
#define LK_SERVER_MAX_OPS_BODY    (256 * 1024)
#define LK_SERVER_MAX_OPS         500
#define LK_SERVER_MAX_CHUNK       (4 * 1024 * 1024)
#define LK_SERVER_MAX_BLOB        (64 * 1024 * 1024)
#define LK_SERVER_MAX_OPEN_UPLOADS 8     /* unfinished uploads per user */
#define LK_SERVER_MAX_NOTE        16384
#define LK_SERVER_MAX_CERT_PEM    (16 * 1024)
#define LK_SERVER_MAX_PAGE        1000
#define LK_SERVER_DEFAULT_PAGE    500
#define LK_SERVER_MAX_FAILURES    5
#define LK_SERVER_THROTTLE_USEC   (5 * 60 * G_USEC_PER_SEC)

#define LK_TYPE_SERVER (lk_server_get_type ())
G_DECLARE_FINAL_TYPE (LkServer, lk_server, LK, SERVER, GObject)

/* The server uses the store from the thread that runs the main loop only. */
LkServer *lk_server_new        (LkStore          *store,
                                GError          **error);
/* listen is "HOST:PORT" (an IP literal or "localhost"; "[::1]:PORT" for
 * IPv6; PORT 0 picks a free port). Without tls_certificate only a loopback
 * address is accepted. */
/* Whether lk_server_listen would accept the address (before any work). */
gboolean  lk_server_check_listen (const char     *listen,
                                  gboolean        tls,
                                  GError        **error);
gboolean  lk_server_listen     (LkServer         *self,
                                const char       *listen,
                                GTlsCertificate  *tls_certificate,
                                GError          **error);
/* Adds a PEM file of trust anchors for signer certificates (--trust,
 * repeatable): registered certificates and signed letters must chain to
 * one of them. The path is made absolute; LK_SERVER_ERROR_TRUST when the
 * file holds no readable certificate. */
gboolean  lk_server_add_trust_file (LkServer       *self,
                                    const char     *path,
                                    GError        **error);
/* The trust files, NULL-terminated (for lk_pades_verify_file). */
const char * const *lk_server_get_trust_files (LkServer *self);
/* "http://127.0.0.1:PORT" of the first listening socket, or NULL. */
char     *lk_server_dup_url    (LkServer         *self);
void      lk_server_disconnect (LkServer         *self);

G_END_DECLS
