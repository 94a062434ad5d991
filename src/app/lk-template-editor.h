/* lk-template-editor.h — the administrator's editor of a service type's
 * letter template (lk-letter-template.h): its members, the fields that may
 * be used, a live preview, saved through the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-pdf-view.h"
#include "lk-session.h"

G_BEGIN_DECLS

#define LK_TYPE_TEMPLATE_EDITOR (lk_template_editor_get_type ())
G_DECLARE_FINAL_TYPE (LkTemplateEditor, lk_template_editor, LK, TEMPLATE_EDITOR, AdwWindow)

/* The editor's text members, as lk_template_editor_set_text() names them. */
typedef enum
{
  LK_TEMPLATE_MEMBER_AGENCY,
  LK_TEMPLATE_MEMBER_OFFICE,
  LK_TEMPLATE_MEMBER_SUBJECT,
  LK_TEMPLATE_MEMBER_ADDRESSEE,
  LK_TEMPLATE_MEMBER_BODY,
  LK_TEMPLATE_MEMBER_CLOSING,
  LK_TEMPLATE_MEMBER_FOOTER,
  LK_N_TEMPLATE_MEMBERS
} LkTemplateMember;

LkTemplateEditor *lk_template_editor_new              (GtkWindow        *parent,
                                                       LkSession        *session);
/* Whether the service types or a template are being read. */
gboolean          lk_template_editor_get_loading      (LkTemplateEditor *self);
/* Shows the template of service type ID (dropping unsaved edits); FALSE
 * when the service type is not listed. */
gboolean          lk_template_editor_select_service   (LkTemplateEditor *self,
                                                       const char       *service_type_id);
const char       *lk_template_editor_get_service_type (LkTemplateEditor *self);
/* The text of a member as shown, and a new one (as if typed). */
char             *lk_template_editor_get_text         (LkTemplateEditor *self,
                                                       LkTemplateMember  member);
void              lk_template_editor_set_text         (LkTemplateEditor *self,
                                                       LkTemplateMember  member,
                                                       const char       *text);
/* Inserts {{FIELD}} where the cursor of the member last focused was, as
 * activating the field's row does. */
void              lk_template_editor_insert_field     (LkTemplateEditor *self,
                                                       const char       *field);
/* Uses the PNG FILE as the logo (checked, kept in the blob cache and
 * uploaded), as the file chooser does; the outcome shows as an error or in
 * the logo row. */
void              lk_template_editor_set_logo_file    (LkTemplateEditor *self,
                                                       GFile            *file);
/* The logo's SHA-256, or NULL; whether one is being checked. */
const char       *lk_template_editor_get_logo         (LkTemplateEditor *self);
gboolean          lk_template_editor_get_logo_busy    (LkTemplateEditor *self);
/* The sentence shown under the service type: what is wrong with the
 * template (the parser's), or why it could not be saved; NULL when none. */
const char       *lk_template_editor_get_error        (LkTemplateEditor *self);
/* "Version 3, saved by admin on …" */
const char       *lk_template_editor_get_version_text (LkTemplateEditor *self);
/* Whether Save may be pressed (a valid, changed template). */
gboolean          lk_template_editor_get_can_save     (LkTemplateEditor *self);
/* Whether a save is being queued. */
gboolean          lk_template_editor_get_saving       (LkTemplateEditor *self);
/* Whether the template met a conflict that waits in the conflicts window. */
gboolean          lk_template_editor_get_conflict     (LkTemplateEditor *self);
/* The preview: whether a rendering runs or waits, and its view. */
gboolean          lk_template_editor_get_preview_busy (LkTemplateEditor *self);
LkPdfView        *lk_template_editor_get_preview      (LkTemplateEditor *self);

G_END_DECLS
