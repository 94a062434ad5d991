/* lk-signing-page.c — STUB, replaced in this change */
#define G_LOG_DOMAIN "loket-app"
#include "config.h"
#include "lk-signing-page.h"

struct _LkSigningPage { GtkWidget parent_instance; LkSession *session; };
G_DEFINE_FINAL_TYPE (LkSigningPage, lk_signing_page, GTK_TYPE_WIDGET)

static void
lk_signing_page_dispose (GObject *object)
{
  LkSigningPage *self = LK_SIGNING_PAGE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (lk_signing_page_parent_class)->dispose (object);
}

static void
lk_signing_page_class_init (LkSigningPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_signing_page_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
lk_signing_page_init (LkSigningPage *self)
{
  gtk_widget_set_parent (gtk_label_new ("Signing"), GTK_WIDGET (self));
}

GtkWidget *lk_signing_page_new (LkSession *session)
{
  LkSigningPage *self = g_object_new (LK_TYPE_SIGNING_PAGE, NULL);
  lk_signing_page_set_session (self, session);
  return GTK_WIDGET (self);
}
LkSession *lk_signing_page_get_session (LkSigningPage *self) { return self->session; }
void lk_signing_page_set_session (LkSigningPage *self, LkSession *session) { g_set_object (&self->session, session); }
void lk_signing_page_reload (LkSigningPage *self) { }
