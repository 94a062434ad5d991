/* lk-store-schema.h — numbered migrations of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-store.h"

G_BEGIN_DECLS

/* 'LKC1' and 'LKS1': PRAGMA application_id of client and server files. */
#define LK_STORE_APP_ID_CLIENT 0x4C4B4331
#define LK_STORE_APP_ID_SERVER 0x4C4B5331

typedef struct
{
  int          version;
  /* NULL: both kinds; else only a store of this kind runs the step. */
  const LkStoreKind *only;
  const char  *sql;
} LkMigration;

extern const LkMigration lk_store_migrations[];
extern const guint lk_store_n_migrations;

G_END_DECLS
