/* lk-pdf-page-list.c — a list model of page numbers, made on demand
 *
 * A 500-page document costs nothing here until rows are shown: the items
 * are made when a list view asks for them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <gtk/gtk.h>

#include "lk-pdf-page-list.h"

struct _LkPdfPageList
{
  GObject parent_instance;
  guint   n_pages;
};

static GType
lk_pdf_page_list_get_item_type (GListModel *model)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
lk_pdf_page_list_get_n_items (GListModel *model)
{
  return LK_PDF_PAGE_LIST (model)->n_pages;
}

static gpointer
lk_pdf_page_list_get_item (GListModel *model,
                           guint       position)
{
  char number[16];

  if (position >= LK_PDF_PAGE_LIST (model)->n_pages)
    return NULL;
  g_snprintf (number, sizeof number, "%u", position + 1);
  return gtk_string_object_new (number);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = lk_pdf_page_list_get_item_type;
  iface->get_n_items = lk_pdf_page_list_get_n_items;
  iface->get_item = lk_pdf_page_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (LkPdfPageList, lk_pdf_page_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
lk_pdf_page_list_class_init (LkPdfPageListClass *klass)
{
}

static void
lk_pdf_page_list_init (LkPdfPageList *self)
{
}

LkPdfPageList *
lk_pdf_page_list_new (void)
{
  return g_object_new (LK_TYPE_PDF_PAGE_LIST, NULL);
}

void
lk_pdf_page_list_set_n_pages (LkPdfPageList *self,
                              guint          n_pages)
{
  guint removed;

  g_return_if_fail (LK_IS_PDF_PAGE_LIST (self));

  if (self->n_pages == n_pages)
    return;
  removed = self->n_pages;
  self->n_pages = n_pages;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, n_pages);
}
