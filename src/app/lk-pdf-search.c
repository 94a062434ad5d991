/* lk-pdf-search.c — a text search over a document, its matches and the current one
 *
 * The renderer searches one page per job (after the visible page's render)
 * and hands over each page's matches as they come: the first match becomes
 * the current one at once, so the user sees it while the rest of a long
 * document is still being searched. Matches are kept per page, only for
 * pages that have any.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-pdf"

#include "config.h"

#include <string.h>

#include "lk-pdf-search.h"

typedef struct
{
  guint            n_rects;
  PopplerRectangle rects[];
} PageMatches;

struct _LkPdfSearch
{
  GObject        parent_instance;

  LkPdfRenderer *renderer;
  GCancellable  *cancellable;
  char          *text;
  char          *problem;
  gboolean       running;

  GHashTable    *pages;       /* page number → PageMatches */
  GArray        *page_order;  /* pages with matches, sorted */
  guint          n_matches;
  int            current_page;
  int            current_index;
};

G_DEFINE_FINAL_TYPE (LkPdfSearch, lk_pdf_search, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
page_cb (int                     page,
         const PopplerRectangle *rects,
         guint                   n_rects,
         gpointer                user_data)
{
  LkPdfSearch *self = user_data;
  PageMatches *matches;
  guint at = 0;

  if (n_rects == 0 || g_hash_table_contains (self->pages, GINT_TO_POINTER (page)))
    return;

  matches = g_malloc (sizeof (PageMatches) + n_rects * sizeof (PopplerRectangle));
  matches->n_rects = n_rects;
  memcpy (matches->rects, rects, n_rects * sizeof (PopplerRectangle));
  g_hash_table_insert (self->pages, GINT_TO_POINTER (page), matches);
  self->n_matches += n_rects;

  while (at < self->page_order->len && g_array_index (self->page_order, int, at) < page)
    at++;
  g_array_insert_val (self->page_order, at, page);

  if (self->current_page < 0)
    {
      self->current_page = page;
      self->current_index = 0;
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkPdfSearch) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_pdf_renderer_search_finish (self->renderer, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->running = FALSE;
  g_clear_pointer (&self->problem, g_free);
  if (error != NULL)
    self->problem = g_strdup (error->message);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
reset (LkPdfSearch *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_hash_table_remove_all (self->pages);
  g_array_set_size (self->page_order, 0);
  self->n_matches = 0;
  self->current_page = -1;
  self->current_index = -1;
  self->running = FALSE;
}

static void
lk_pdf_search_dispose (GObject *object)
{
  LkPdfSearch *self = (LkPdfSearch *)object;

  reset (self);
  g_clear_object (&self->renderer);

  G_OBJECT_CLASS (lk_pdf_search_parent_class)->dispose (object);
}

static void
lk_pdf_search_finalize (GObject *object)
{
  LkPdfSearch *self = (LkPdfSearch *)object;

  g_hash_table_unref (self->pages);
  g_array_unref (self->page_order);

  G_OBJECT_CLASS (lk_pdf_search_parent_class)->finalize (object);
}

static void
lk_pdf_search_class_init (LkPdfSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_pdf_search_dispose;
  object_class->finalize = lk_pdf_search_finalize;

  /* Matches came in, the current one moved, or the search ended. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lk_pdf_search_init (LkPdfSearch *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->page_order = g_array_new (FALSE, FALSE, sizeof (int));
  self->current_page = -1;
  self->current_index = -1;
}

LkPdfSearch *
lk_pdf_search_new (LkPdfRenderer *renderer)
{
  LkPdfSearch *self;

  g_return_val_if_fail (LK_IS_PDF_RENDERER (renderer), NULL);

  self = g_object_new (LK_TYPE_PDF_SEARCH, NULL);
  self->renderer = g_object_ref (renderer);
  return self;
}

void
lk_pdf_search_start (LkPdfSearch *self,
                     const char  *text,
                     int          first_page)
{
  g_return_if_fail (LK_IS_PDF_SEARCH (self));

  reset (self);
  if (text == NULL || *text == '\0' || lk_pdf_renderer_get_n_pages (self->renderer) <= 0)
    {
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }

  self->text = g_strdup (text);
  self->running = TRUE;
  self->cancellable = g_cancellable_new ();
  lk_pdf_renderer_search_async (self->renderer, text, first_page, self->cancellable,
                                page_cb, self, search_cb, g_object_ref (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

void
lk_pdf_search_stop (LkPdfSearch *self)
{
  g_return_if_fail (LK_IS_PDF_SEARCH (self));

  reset (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
lk_pdf_search_get_text (LkPdfSearch *self)
{
  g_return_val_if_fail (LK_IS_PDF_SEARCH (self), NULL);
  return self->text;
}

gboolean
lk_pdf_search_is_running (LkPdfSearch *self)
{
  g_return_val_if_fail (LK_IS_PDF_SEARCH (self), FALSE);
  return self->running;
}

guint
lk_pdf_search_get_n_matches (LkPdfSearch *self)
{
  g_return_val_if_fail (LK_IS_PDF_SEARCH (self), 0);
  return self->n_matches;
}

const char *
lk_pdf_search_get_problem (LkPdfSearch *self)
{
  g_return_val_if_fail (LK_IS_PDF_SEARCH (self), NULL);
  return self->problem;
}

const PopplerRectangle *
lk_pdf_search_get_page_matches (LkPdfSearch *self,
                                int          page,
                                guint       *n_matches)
{
  PageMatches *matches;

  g_return_val_if_fail (LK_IS_PDF_SEARCH (self), NULL);

  matches = g_hash_table_lookup (self->pages, GINT_TO_POINTER (page));
  *n_matches = matches != NULL ? matches->n_rects : 0;
  return matches != NULL ? matches->rects : NULL;
}

gboolean
lk_pdf_search_get_current (LkPdfSearch *self,
                           int         *page,
                           int         *index,
                           guint       *ordinal)
{
  guint before = 0;

  g_return_val_if_fail (LK_IS_PDF_SEARCH (self), FALSE);

  if (self->current_page < 0)
    return FALSE;

  for (guint i = 0; i < self->page_order->len; i++)
    {
      int p = g_array_index (self->page_order, int, i);
      PageMatches *matches;

      if (p >= self->current_page)
        break;
      matches = g_hash_table_lookup (self->pages, GINT_TO_POINTER (p));
      before += matches->n_rects;
    }

  if (page != NULL)
    *page = self->current_page;
  if (index != NULL)
    *index = self->current_index;
  if (ordinal != NULL)
    *ordinal = before + self->current_index + 1;
  return TRUE;
}

gboolean
lk_pdf_search_move (LkPdfSearch *self,
                    gboolean     forwards)
{
  PageMatches *matches;
  guint at = 0;
  guint n_pages;

  g_return_val_if_fail (LK_IS_PDF_SEARCH (self), FALSE);

  n_pages = self->page_order->len;
  if (self->current_page < 0 || n_pages == 0)
    return FALSE;

  matches = g_hash_table_lookup (self->pages, GINT_TO_POINTER (self->current_page));
  if (forwards && self->current_index + 1 < (int) matches->n_rects)
    self->current_index++;
  else if (!forwards && self->current_index > 0)
    self->current_index--;
  else
    {
      while (at < n_pages && g_array_index (self->page_order, int, at) != self->current_page)
        at++;
      g_assert (at < n_pages);
      at = forwards ? (at + 1) % n_pages : (at + n_pages - 1) % n_pages;
      self->current_page = g_array_index (self->page_order, int, at);
      matches = g_hash_table_lookup (self->pages, GINT_TO_POINTER (self->current_page));
      self->current_index = forwards ? 0 : (int) matches->n_rects - 1;
    }

  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}
