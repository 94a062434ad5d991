/* lk-case-checklist.c — the service type's requirements of a case, each
 * marked verified or rejected and tied to an attached document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "lk-case-checklist.h"
#include "lk-history-row.h"

/* Row data keys. */
#define KEY_ITEM      "lk-check-item"      /* LkCheckItem, owned by the array */
#define KEY_DOC_IDS   "lk-check-doc-ids"   /* GStrv: the dropdown's ids after "none" */
#define KEY_DROPDOWN  "lk-check-dropdown"

void
lk_check_item_free (LkCheckItem *item)
{
  if (item == NULL)
    return;
  g_free (item->label);
  g_free (item->reason);
  g_free (item->document_id);
  g_free (item->actor);
  g_free (item);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

GPtrArray *
lk_case_checklist_load (LkStore     *store,
                        const char  *case_id,
                        const char  *service_type_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_check_item_free);
  g_autoptr(JsonObject) service = NULL;
  JsonNode *reqs;
  JsonArray *array;

  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  if (service_type_id == NULL)
    return g_steal_pointer (&items);

  service = lk_store_get_json (store, LK_KIND_SERVICE_TYPE, service_type_id, NULL);
  if (service == NULL)
    return g_steal_pointer (&items);

  reqs = json_object_get_member (service, "requirements");
  if (reqs == NULL || !JSON_NODE_HOLDS_ARRAY (reqs))
    return g_steal_pointer (&items);

  array = json_node_get_array (reqs);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *record_id = g_strdup_printf ("%s:%u", case_id, i);
      g_autoptr(JsonObject) mark = NULL;
      JsonNode *label = json_array_get_element (array, i);
      LkCheckItem *item = g_new0 (LkCheckItem, 1);

      item->item = i;
      item->label = g_strdup (JSON_NODE_HOLDS_VALUE (label) && json_node_get_value_type (label) == G_TYPE_STRING
                              ? json_node_get_string (label) : "");
      item->status = LK_CHECK_STATUS_PENDING;

      mark = lk_store_get_json (store, LK_KIND_CHECKLIST, record_id, NULL);
      if (mark != NULL)
        {
          g_autofree char *status = dup_member (mark, "status");
          LkCheckStatus parsed = lk_check_status_from_string (status);

          item->status = parsed != LK_CHECK_STATUS_INVALID ? parsed : LK_CHECK_STATUS_PENDING;
          item->reason = dup_member (mark, "reason");
          item->document_id = dup_member (mark, "document_id");
          item->actor = dup_member (mark, "actor");
          item->at = json_object_get_int_member_with_default (mark, "at", 0);
        }
      g_ptr_array_add (items, item);
    }

  return g_steal_pointer (&items);
}

static char *
strip_extension (const char *name)
{
  const char *dot = strrchr (name, '.');

  return dot != NULL ? g_strndup (name, dot - name) : g_strdup (name);
}

/* The dropdown position of the document tied to item, else of the one
 * named like the requirement; 0 ("none") otherwise. */
static guint
initial_position (LkCheckItem *item,
                  GListModel  *documents)
{
  guint by_name = 0;

  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(LkDocument) document = g_list_model_get_item (documents, i);
      g_autofree char *stem = strip_extension (lk_document_get_name (document));

      if (item->document_id != NULL)
        {
          if (g_strcmp0 (item->document_id, lk_document_get_id (document)) == 0)
            return i + 1;
        }
      else if (by_name == 0 && g_utf8_collate (stem, item->label) == 0)
        by_name = i + 1;
    }
  return item->document_id == NULL ? by_name : 0;
}

static const char *
row_document_id (GtkWidget *row)
{
  GtkDropDown *dropdown = g_object_get_data (G_OBJECT (row), KEY_DROPDOWN);
  GStrv ids = g_object_get_data (G_OBJECT (row), KEY_DOC_IDS);
  guint position = gtk_drop_down_get_selected (dropdown);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION || position > g_strv_length (ids))
    return NULL;
  return ids[position - 1];
}

static void
activate_check (GtkWidget     *row,
                LkCheckStatus  status,
                const char    *reason)
{
  LkCheckItem *item = g_object_get_data (G_OBJECT (row), KEY_ITEM);
  const char *document_id = row_document_id (row);

  gtk_widget_activate_action (row, "case.check", "(usss)", item->item,
                              lk_check_status_to_string (status),
                              reason != NULL ? reason : "",
                              document_id != NULL ? document_id : "");
}

static void
verify_clicked_cb (GtkWidget *row)
{
  activate_check (row, LK_CHECK_STATUS_VERIFIED, NULL);
}

static void
reject_clicked_cb (GtkWidget *row)
{
  /* An empty reason: the view asks for it. */
  activate_check (row, LK_CHECK_STATUS_REJECTED, NULL);
}

static void
show_clicked_cb (GtkWidget *row)
{
  const char *document_id = row_document_id (row);

  if (document_id != NULL)
    gtk_widget_activate_action (row, "case.show-document", "s", document_id);
}

static void
document_changed_cb (GtkWidget *row)
{
  LkCheckItem *item = g_object_get_data (G_OBJECT (row), KEY_ITEM);
  GtkWidget *show = g_object_get_data (G_OBJECT (row), "lk-check-show");
  const char *document_id = row_document_id (row);

  gtk_widget_set_sensitive (show, document_id != NULL);

  /* Only a mark that exists is re-tied at once; a pending one keeps the
   * choice until it is verified or rejected. */
  if (item->at != 0 && gtk_widget_get_sensitive (g_object_get_data (G_OBJECT (row), KEY_DROPDOWN)) &&
      g_strcmp0 (document_id, item->document_id) != 0)
    activate_check (row, item->status, item->reason);
  else if (document_id != NULL)
    show_clicked_cb (row);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  ellipsize)
{
  GtkStringObject *string = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       gtk_string_object_get_string (string));
}

/* The document names, ellipsized in the button (the pane stays narrow),
 * in full in the list. */
static GtkListItemFactory *
label_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (ellipsize));
  return factory;
}

static char *
status_text (LkCheckItem *item)
{
  g_autofree char *when = lk_history_format_time (item->at);

  switch (item->status)
    {
    case LK_CHECK_STATUS_VERIFIED:
      /* Translators: checklist status; who · when */
      return g_strdup_printf (_("Verified · %s · %s"), item->actor != NULL ? item->actor : "—", when);
    case LK_CHECK_STATUS_REJECTED:
      /* Translators: checklist status; the reason, then who · when */
      return g_strdup_printf (_("Rejected: %s\n%s · %s"), item->reason != NULL ? item->reason : "—",
                              item->actor != NULL ? item->actor : "—", when);
    case LK_CHECK_STATUS_PENDING:
    case LK_CHECK_STATUS_INVALID:
    default:
      return g_strdup (_("Not checked yet"));
    }
}

static GtkWidget *
create_row (LkCheckItem *item,
            GListModel  *documents,
            gboolean     can_check)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *title = g_strdup_printf ("%u. %s", item->item + 1, item->label);
  g_autofree char *status = status_text (item);
  g_autofree char *a11y = NULL;
  GtkWidget *row, *box, *line, *icon, *label, *dropdown, *show, *verify, *reject;
  const char *icon_name;

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  /* Status icon, requirement and its status */
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  switch (item->status)
    {
    case LK_CHECK_STATUS_VERIFIED:
      icon_name = "emblem-ok-symbolic";
      break;
    case LK_CHECK_STATUS_REJECTED:
      icon_name = "dialog-error-symbolic";
      break;
    case LK_CHECK_STATUS_PENDING:
    case LK_CHECK_STATUS_INVALID:
    default:
      icon_name = "content-loading-symbolic";
      break;
    }
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, item->status == LK_CHECK_STATUS_VERIFIED ? "success"
                                  : item->status == LK_CHECK_STATUS_REJECTED ? "error" : "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  item->status == LK_CHECK_STATUS_VERIFIED ? C_("requirement", "Verified")
                                  : item->status == LK_CHECK_STATUS_REJECTED ? C_("requirement", "Rejected")
                                  : C_("requirement", "Not checked yet"), -1);
  gtk_box_append (GTK_BOX (line), icon);

  label = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (label, TRUE);
  {
    GtkWidget *t = gtk_label_new (title);
    GtkWidget *s = gtk_label_new (status);

    gtk_label_set_xalign (GTK_LABEL (t), 0);
    gtk_label_set_wrap (GTK_LABEL (t), TRUE);
    gtk_label_set_xalign (GTK_LABEL (s), 0);
    gtk_label_set_wrap (GTK_LABEL (s), TRUE);
    gtk_widget_add_css_class (s, "caption");
    if (item->status != LK_CHECK_STATUS_REJECTED)
      gtk_widget_add_css_class (s, "dim-label");
    else
      gtk_widget_add_css_class (s, "error");
    gtk_box_append (GTK_BOX (label), t);
    gtk_box_append (GTK_BOX (label), s);
  }
  gtk_box_append (GTK_BOX (line), label);
  gtk_box_append (GTK_BOX (box), line);

  /* The document it is checked against, and the marks */
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_ptr_array_add (names, g_strdup (_("No document")));
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(LkDocument) document = g_list_model_get_item (documents, i);

      g_ptr_array_add (names, g_strdup (lk_document_get_name (document)));
      g_strv_builder_add (ids, lk_document_get_id (document));
    }
  g_ptr_array_add (names, NULL);
  dropdown = gtk_drop_down_new_from_strings ((const char * const *) names->pdata);
  {
    g_autoptr(GtkListItemFactory) button_factory = label_factory (TRUE);
    g_autoptr(GtkListItemFactory) list_factory = label_factory (FALSE);

    gtk_drop_down_set_factory (GTK_DROP_DOWN (dropdown), button_factory);
    gtk_drop_down_set_list_factory (GTK_DROP_DOWN (dropdown), list_factory);
  }
  gtk_widget_set_hexpand (dropdown, TRUE);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), initial_position (item, documents));
  gtk_widget_set_sensitive (dropdown, can_check);
  /* Translators: the accessible name of the document chooser of requirement %s */
  a11y = g_strdup_printf (_("Document for “%s”"), item->label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_tooltip_text (dropdown, _("The attachment that satisfies this requirement"));
  gtk_box_append (GTK_BOX (line), dropdown);

  show = gtk_button_new_from_icon_name ("x-office-document-symbolic");
  gtk_widget_set_tooltip_text (show, _("Show the document"));
  g_clear_pointer (&a11y, g_free);
  /* Translators: %s is a requirement */
  a11y = g_strdup_printf (_("Show the document for “%s”"), item->label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (show), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_signal_connect_swapped (show, "clicked", G_CALLBACK (show_clicked_cb), row);
  gtk_box_append (GTK_BOX (line), show);

  gtk_box_append (GTK_BOX (box), line);

  /* The marks, for those who may make them */
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (line, GTK_ALIGN_END);
  gtk_widget_set_visible (line, can_check);
  verify = gtk_button_new_with_label (C_("requirement", "Verify"));
  g_clear_pointer (&a11y, g_free);
  /* Translators: %s is a requirement */
  a11y = g_strdup_printf (_("Verify “%s”"), item->label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (verify), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_tooltip_text (verify, _("The document satisfies the requirement"));
  g_signal_connect_swapped (verify, "clicked", G_CALLBACK (verify_clicked_cb), row);
  gtk_box_append (GTK_BOX (line), verify);

  reject = gtk_button_new_with_label (C_("requirement", "Reject…"));
  g_clear_pointer (&a11y, g_free);
  /* Translators: %s is a requirement */
  a11y = g_strdup_printf (_("Reject “%s”"), item->label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reject), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_tooltip_text (reject, _("The requirement is missing or wrong; say why"));
  g_signal_connect_swapped (reject, "clicked", G_CALLBACK (reject_clicked_cb), row);
  gtk_box_append (GTK_BOX (line), reject);

  gtk_box_append (GTK_BOX (box), line);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), KEY_ITEM, item);
  g_object_set_data (G_OBJECT (row), KEY_DROPDOWN, dropdown);
  g_object_set_data (G_OBJECT (row), "lk-check-show", show);
  g_object_set_data_full (G_OBJECT (row), KEY_DOC_IDS, g_strv_builder_end (ids), (GDestroyNotify) g_strfreev);
  gtk_widget_set_sensitive (show, row_document_id (row) != NULL);
  g_clear_pointer (&a11y, g_free);
  /* Translators: a requirement and its status, for screen readers */
  a11y = g_strdup_printf (_("%s: %s"), title, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

  /* Connected last: setting the initial choice is not a change. */
  g_signal_connect_swapped (dropdown, "notify::selected", G_CALLBACK (document_changed_cb), row);

  return row;
}

void
lk_case_checklist_fill (GtkListBox *list,
                        GPtrArray  *items,
                        GListModel *documents,
                        gboolean    can_check)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  /* The rows point into items: keep it as long as the list shows them. */
  g_object_set_data_full (G_OBJECT (list), "lk-check-items",
                          items != NULL ? g_ptr_array_ref (items) : NULL,
                          (GDestroyNotify) g_ptr_array_unref);
  if (items == NULL)
    return;

  for (guint i = 0; i < items->len; i++)
    gtk_list_box_append (list, create_row (g_ptr_array_index (items, i), documents, can_check));
}

const char *
lk_case_checklist_get_chosen_document (GtkListBox *list,
                                       guint       item)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, item);

  g_return_val_if_fail (GTK_IS_LIST_BOX (list), NULL);
  return row != NULL ? row_document_id (GTK_WIDGET (row)) : NULL;
}
