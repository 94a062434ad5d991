/* lk-test-mail-data.h — records for the delivery tests and benchmark,
 * written straight into a server store: a unit, a user of it, cases,
 * signed letters with their PDF blobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

#define LK_TEST_MAIL_UNIT_ID    "00000000-0000-4000-8000-0000000000a1"
#define LK_TEST_MAIL_UNIT_NAME  "DPMPTSP Kota Contoh"
#define LK_TEST_MAIL_USER       "petugas"

/* A one-page PDF (cairo) whose picture is noise from SEED, of about KB
 * kilobytes: different seeds give different files. */
GBytes *lk_test_mail_make_pdf   (guint32      seed,
                                 guint        kb);
/* The unit and the officer LK_TEST_MAIL_USER (password PASSWORD) of the
 * unit, in one transaction. */
void    lk_test_mail_seed       (LkStore     *store,
                                 const char  *password);
/* A case of the unit in state signed with EMAIL (nullable); its id. Inside
 * the caller's transaction. */
char   *lk_test_mail_add_case   (LkStore     *store,
                                 guint        index,
                                 const char  *email);
/* The blob PDF and a valid letters row numbered 503/INDEX/DPMPTSP/2026 of
 * CASE_ID; the letter's id. Inside the caller's transaction. */
char   *lk_test_mail_add_letter (LkStore     *store,
                                 const char  *case_id,
                                 guint        index,
                                 GBytes      *pdf);

/* One text column of one row (SQL with one ?1 parameter), or NULL. */
char   *lk_test_mail_query_text (LkStore     *store,
                                 const char  *sql,
                                 const char  *param);
gint64  lk_test_mail_query_int  (LkStore     *store,
                                 const char  *sql,
                                 const char  *param);

G_END_DECLS
