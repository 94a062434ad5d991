/* lk-register-cert-dialog.h — an admin registers a signer's certificate
 * with the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-session.h"

G_BEGIN_DECLS

/* The largest PEM file read: a certificate is a few kilobytes. */
#define LK_REGISTER_CERT_MAX_PEM (64 * 1024)

#define LK_TYPE_REGISTER_CERT_DIALOG (lk_register_cert_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkRegisterCertDialog, lk_register_cert_dialog, LK, REGISTER_CERT_DIALOG, AdwWindow)

LkRegisterCertDialog *lk_register_cert_dialog_new          (GtkWindow            *parent,
                                                            LkSession            *session);
void                  lk_register_cert_dialog_set_username (LkRegisterCertDialog *self,
                                                            const char           *username);
/* The certificate file (as the file chooser would set it). */
void                  lk_register_cert_dialog_set_file     (LkRegisterCertDialog *self,
                                                            GFile                *file);
/* Reads the file and registers it (the "Register" button); "busy" until done. */
void                  lk_register_cert_dialog_register     (LkRegisterCertDialog *self);
gboolean              lk_register_cert_dialog_get_busy     (LkRegisterCertDialog *self);
/* After a registration: the fingerprint, or the error in plain words. */
const char           *lk_register_cert_dialog_get_fingerprint (LkRegisterCertDialog *self);
const char           *lk_register_cert_dialog_get_error    (LkRegisterCertDialog *self);

G_END_DECLS
