/* lk-case-view-private.h — what lk-case-view.c (loading and showing a
 * case) and lk-case-view-actions.c (the review actions and their dialogs)
 * share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-case-actions.h"
#include "lk-case-checklist.h"
#include "lk-case-letters.h"
#include "lk-case-view.h"

G_BEGIN_DECLS

/* The fields of the case, shown as rows with selectable values. */
typedef enum
{
  FIELD_NAME,
  FIELD_NIK,
  FIELD_EMAIL,
  FIELD_PHONE,
  FIELD_ADDRESS,
  FIELD_BUSINESS_NAME,
  FIELD_NIB,
  FIELD_RECEIPT,
  FIELD_SERVICE,
  FIELD_UNIT,
  FIELD_STATE,
  FIELD_SUBMITTED,
  FIELD_UPDATED,
  FIELD_SLA_DUE,
  N_FIELDS
} Field;

/* What a reason dialog is asked for. */
typedef enum
{
  REASON_TRANSITION,
  REASON_CHECK,
} ReasonKind;

struct _LkCaseView
{
  GtkWidget             parent_instance;

  LkSession            *session;
  char                 *case_id;
  LkCase               *kase;
  char                 *unit_name;
  GListStore           *documents;
  GListStore           *history;
  GPtrArray            *checklist;          /* LkCheckItem */
  GCancellable         *load_cancellable;
  GCancellable         *blob_cancellable;

  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkLabel             *title_label;
  GtkLabel             *subtitle_label;
  GtkLabel             *state_label;
  GtkImage             *sla_icon;
  GtkLabel             *sla_label;
  GtkBox               *advance_box;
  GtkBox               *back_box;
  AdwPreferencesGroup  *applicant_group;
  AdwPreferencesGroup  *business_group;
  AdwPreferencesGroup  *case_group;
  AdwPreferencesGroup  *checklist_group;
  GtkListBox           *checklist_list;
  AdwPreferencesGroup  *letters_group;
  GtkListBox           *letters_list;
  LkCaseLetters        *letters;
  GtkLabel             *no_requirements_label;
  GtkListBox           *documents_list;
  GtkLabel             *no_documents_label;
  GtkListBox           *history_list;
  LkPdfView            *pdf_view;
  GtkMenuButton        *move_button;
  GtkLabel             *action_error_label;
  GtkListBox           *notes_list;
  GtkLabel             *no_notes_label;
  GtkEntry             *note_entry;
  GtkButton            *add_note_button;

  GtkLabel             *fields[N_FIELDS];
  GtkWidget            *action_buttons[LK_N_CASE_ACTIONS];
  gboolean              offered[LK_N_CASE_ACTIONS];
  gboolean              can_check;
  char                 *sla_text;
  char                 *select_document_id; /* to select once loaded */

  GPtrArray            *notes;
  GMenu                *move_menu;
  AdwMessageDialog     *reason_dialog;      /* weak */
  ReasonKind            reason_kind;
  LkCaseState           reason_to;
  guint                 reason_item;
  char                 *reason_document_id;
  LkIncompleteDialog   *incomplete_dialog;  /* weak */
  guint                 n_pending;
  gulong                local_change_id;
  gulong                role_id;
};

void     _lk_case_view_start_load         (LkCaseView     *self,
                                           gboolean        reload);
void     _lk_case_view_set_pending        (LkCaseView     *self,
                                           gboolean        pending);
void     _lk_case_view_set_action_error   (LkCaseView     *self,
                                           const char     *message);
/* Selects the attachment DOCUMENT_ID (it shows in the preview); FALSE when
 * the case has no such attachment (yet). */
gboolean _lk_case_view_select_document    (LkCaseView     *self,
                                           const char     *document_id);
/* Whether an attachment is a letter draft. */
gboolean _lk_case_view_has_draft          (LkCaseView     *self);
/* Enables the case.* actions and shows their buttons for the case's state
 * and the user's role. */
void     _lk_case_view_update_actions     (LkCaseView     *self);
void     _lk_case_view_close_dialogs      (LkCaseView     *self);
void     _lk_case_view_class_init_actions (GtkWidgetClass *widget_class);
/* Shows the "Letter" group for LETTERS (NULL: hides it). */
void     _lk_case_view_show_letters       (LkCaseView     *self,
                                           LkCaseLetters  *letters);
void     _lk_case_view_init_actions       (LkCaseView     *self);

G_END_DECLS
