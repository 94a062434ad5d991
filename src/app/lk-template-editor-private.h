/* lk-template-editor-private.h — what lk-template-editor.c (loading,
 * checking, the preview, saving) and lk-template-editor-logo.c (the logo
 * and the public accessors) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lk-template-editor.h"

G_BEGIN_DECLS

struct _LkTemplateEditor
{
  AdwWindow         parent_instance;

  LkSession        *session;
  GPtrArray        *service_types;     /* LkServiceType */
  char             *service_type_id;
  char             *case_id;           /* for the preview */
  char             *logo;              /* SHA-256 or NULL */
  char             *error;
  char             *version_text;
  gboolean          valid;
  gboolean          dirty;
  gboolean          filling;           /* setting texts from a load */
  gboolean          saving;
  gboolean          conflict;
  guint             n_loading;
  GCancellable     *load_cancellable;
  GCancellable     *preview_cancellable;
  GCancellable     *logo_cancellable;
  guint             check_id;
  guint             preview_id;
  char             *preview_dir;
  char             *preview_path;      /* shown */
  guint             preview_serial;
  GtkWidget        *target;            /* the member last focused */
  GtkFileChooserNative *chooser;

  AdwWindowTitle   *window_title;
  GtkButton        *save_button;
  AdwComboRow      *service_row;
  AdwActionRow     *version_row;
  GtkBox           *conflict_box;
  GtkLabel         *conflict_label;
  GtkLabel         *error_label;
  AdwEntryRow      *agency_row;
  AdwEntryRow      *office_row;
  AdwActionRow     *logo_row;
  GtkButton        *remove_logo_button;
  GtkButton        *choose_logo_button;
  AdwEntryRow      *subject_row;
  GtkTextView      *addressee_view;
  GtkTextView      *body_view;
  GtkTextView      *closing_view;
  GtkTextView      *footer_view;
  GtkListBox       *fields_list;
  GtkLabel         *preview_label;
  LkPdfView        *preview;
};

GtkWidget *_lk_template_editor_member_widget    (LkTemplateEditor *self,
                                                 LkTemplateMember  member);
char      *_lk_template_editor_widget_text      (GtkWidget        *widget);
void       _lk_template_editor_set_widget_text  (GtkWidget        *widget,
                                                 const char       *text);
/* Shows MESSAGE under the service type (NULL: hides it). */
void       _lk_template_editor_set_error        (LkTemplateEditor *self,
                                                 const char       *message);
void       _lk_template_editor_update_logo_row  (LkTemplateEditor *self);
gboolean   _lk_template_editor_is_loading       (LkTemplateEditor *self);
/* What an edit of a member sets off: dirty, checked, previewed. */
void       _lk_template_editor_member_changed   (LkTemplateEditor *self);
/* editor.choose-logo and editor.remove-logo */
void       _lk_template_editor_choose_logo_cb   (GtkWidget        *widget,
                                                 const char       *action_name,
                                                 GVariant         *parameter);
void       _lk_template_editor_remove_logo_cb   (GtkWidget        *widget,
                                                 const char       *action_name,
                                                 GVariant         *parameter);

G_END_DECLS
