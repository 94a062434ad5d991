/* lk-store.h — the SQLite store shared by the client (local cache + outbox)
 * and the server (system of record)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-case-state.h"
#include "model/lk-case.h"
#include "model/lk-document.h"
#include "model/lk-history-entry.h"
#include "model/lk-service-type.h"

G_BEGIN_DECLS

#define LK_STORE_ERROR (lk_store_error_quark ())
GQuark lk_store_error_quark (void);

typedef enum
{
  LK_STORE_ERROR_OPEN,          /* cannot open or create the file */
  LK_STORE_ERROR_NEWER_SCHEMA,  /* written by a newer Loket; left untouched */
  LK_STORE_ERROR_WRONG_KIND,    /* a server database opened as a client one, or not a Loket file */
  LK_STORE_ERROR_CORRUPT,       /* SQLite says the file is damaged or not a database */
  LK_STORE_ERROR_SQL,           /* any other SQLite failure */
  LK_STORE_ERROR_INVALID,       /* a record failed validation */
  LK_STORE_ERROR_NOT_FOUND,
} LkStoreError;

typedef enum
{
  LK_STORE_KIND_CLIENT,
  LK_STORE_KIND_SERVER,
} LkStoreKind;

/* Record kinds, as named on the wire and in the change feed. */
#define LK_KIND_UNIT         "unit"
#define LK_KIND_SERVICE_TYPE "service_type"
#define LK_KIND_CASE         "case"
#define LK_KIND_DOCUMENT     "document"
#define LK_KIND_HISTORY      "history"
#define LK_KIND_NOTE         "note"
#define LK_KIND_CHECKLIST    "checklist"
#define LK_KIND_TEMPLATE     "template"
#define LK_KIND_LETTER       "letter"

/* Limits of what the store accepts from outside (the wire, the seeder). */
#define LK_STORE_MAX_TEXT      4096  /* bytes in any text field… */
#define LK_STORE_MAX_LONG_TEXT 16384 /* …but a note's text */
#define LK_STORE_MAX_SEARCH     256  /* bytes in a search string */

#define LK_TYPE_STORE (lk_store_get_type ())
G_DECLARE_FINAL_TYPE (LkStore, lk_store, LK, STORE, GObject)

/* Opens (creating when missing) and migrates. WAL mode. A file written by a
 * newer schema, or of the other kind, is refused with an error naming it and
 * is never modified. Thread-safe: every call takes the store's lock, so one
 * LkStore may be used from worker threads; use a second LkStore on the same
 * file for long writes that must not block readers. */
LkStore     *lk_store_open               (const char   *path,
                                          LkStoreKind   kind,
                                          GError      **error);
const char  *lk_store_get_path           (LkStore      *self);
LkStoreKind  lk_store_get_kind           (LkStore      *self);
int          lk_store_get_schema_version (LkStore      *self);
/* The newest schema this build knows. */
int          lk_store_schema_version     (void);

/* BEGIN IMMEDIATE … COMMIT; rollback on failure. Not nestable. */
gboolean     lk_store_begin              (LkStore      *self,
                                          GError      **error);
gboolean     lk_store_commit             (LkStore      *self,
                                          GError      **error);
void         lk_store_rollback           (LkStore      *self);

char        *lk_store_get_meta           (LkStore      *self,
                                          const char   *key);
gboolean     lk_store_set_meta           (LkStore      *self,
                                          const char   *key,
                                          const char   *value,
                                          GError      **error);

/* Generic record access by kind (LK_KIND_*), with JSON objects whose member
 * names are the column names. Upsert validates every field (type, length,
 * state names) and replaces the record with the same "id". */
gboolean     lk_store_upsert_json        (LkStore      *self,
                                          const char   *kind,
                                          JsonObject   *record,
                                          GError      **error);
JsonObject  *lk_store_get_json           (LkStore      *self,
                                          const char   *kind,
                                          const char   *id,
                                          GError      **error);
gint64       lk_store_count              (LkStore      *self,
                                          const char   *kind);
/* NULL when the kind is unknown. The unit ("scope") a record belongs to, for
 * the server's per-unit filtering; NULL for global records. */
gboolean     lk_store_kind_is_valid      (const char   *kind);

/* Typed queries for the faces. */
LkCase      *lk_store_get_case           (LkStore      *self,
                                          const char   *id,
                                          GError      **error);
LkCase      *lk_store_find_case_by_receipt (LkStore    *self,
                                          const char   *receipt,
                                          GError      **error);
/* Arrays of objects, in display order. */
GPtrArray   *lk_store_list_documents     (LkStore      *self,
                                          const char   *case_id,
                                          GError      **error);
GPtrArray   *lk_store_list_history       (LkStore      *self,
                                          const char   *case_id,
                                          GError      **error);
/* JsonObjects of the note kind (docs/api-v1.md), the newest limit (0: all)
 * of the case, oldest first. */
GPtrArray   *lk_store_list_notes         (LkStore      *self,
                                          const char   *case_id,
                                          guint         limit,
                                          GError      **error);
GPtrArray   *lk_store_list_service_types (LkStore      *self,
                                          GError      **error);

/* Light LkCase objects (queue columns only: id, receipt, service, state,
 * applicant and business name, SLA due date, created_at, assignee), newest
 * first.
 * state: LK_CASE_STATE_INVALID for all; search: NULL or "" for all, else
 * matched as prefixes against receipt number, applicant name, NIK and
 * business name (FTS5). limit: 0 for no limit. */
GPtrArray   *lk_store_query_cases        (LkStore      *self,
                                          LkCaseState   state,
                                          const char   *search,
                                          guint         limit,
                                          GCancellable *cancellable,
                                          GError      **error);
/* The nids (local row ids) of cases matching search, for filtering an
 * in-memory list; sorted ascending. */
GArray      *lk_store_search_case_nids   (LkStore      *self,
                                          const char   *search,
                                          GCancellable *cancellable,
                                          GError      **error);
/* Case counts per state, an array of LK_N_CASE_STATES gint64. */
gboolean     lk_store_count_cases_by_state (LkStore    *self,
                                          gint64       counts[],
                                          GError      **error);

/* Turns free text into an FTS5 prefix query; NULL when nothing is left. */
char        *lk_store_build_fts_query    (const char   *text);

/* JsonObjects of the letter kind (docs/api-v1.md) of CASE_ID, the newest
 * signed first (loketctl letter show). */
GPtrArray   *lk_store_list_case_letters  (LkStore      *self,
                                          const char   *case_id,
                                          GError      **error);

G_END_DECLS
