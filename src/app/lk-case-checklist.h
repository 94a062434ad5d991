/* lk-case-checklist.h — the service type's requirements of a case, each
 * marked verified or rejected and tied to an attached document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/lk-store.h"

G_BEGIN_DECLS

/* One requirement of the checklist and its mark on the case. */
typedef struct
{
  guint          item;          /* index into the service type's requirements */
  char          *label;
  LkCheckStatus  status;        /* LK_CHECK_STATUS_PENDING when never marked */
  char          *reason;        /* why rejected, or NULL */
  char          *document_id;   /* the attachment checked against, or NULL */
  char          *actor;         /* who marked it, or NULL */
  gint64         at;
} LkCheckItem;

void       lk_check_item_free        (LkCheckItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCheckItem, lk_check_item_free)

/* Reads the requirements of the service type SERVICE_TYPE_ID and the marks
 * of case CASE_ID (blocking: call it in a worker). An array of LkCheckItem,
 * empty when the service type is unknown or has no requirements. */
GPtrArray *lk_case_checklist_load    (LkStore     *store,
                                      const char  *case_id,
                                      const char  *service_type_id,
                                      GError     **error);

/* Fills LIST with one row per item of ITEMS. DOCUMENTS (LkDocument) are the
 * case's attachments, offered to tie to each requirement. With CAN_CHECK
 * the rows offer Verify and Reject, which activate the action "case.check"
 * with (item, status, reason, document id) — an empty reason or id for none
 * — and changing the document of a row activates it with the row's current
 * status. Showing a row's document activates "case.show-document" (the
 * document id). */
void       lk_case_checklist_fill    (GtkListBox  *list,
                                      GPtrArray   *items,
                                      GListModel  *documents,
                                      gboolean     can_check);
/* The document a row of LIST offers for its requirement (the tied one, else
 * the attachment named like the requirement), or NULL. */
const char *lk_case_checklist_get_chosen_document (GtkListBox *list,
                                                   guint       item);

G_END_DECLS
