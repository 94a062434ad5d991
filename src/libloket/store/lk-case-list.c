/* lk-case-list.c
 *
 * The whole queue is loaded once (light objects: the queue columns only,
 * about 100 ms for 100 000 cases) and searches filter it by the row ids an
 * FTS5 query returns, so a keystroke costs one index lookup and one pass
 * over an array, never a reload.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-store"

#include "config.h"

#include "lk-case-list.h"
#include "model/lk-model-private.h"

struct _LkCaseList
{
  GObject       parent_instance;

  LkStore      *store;
  GPtrArray    *all;       /* LkCase, newest first */
  GPtrArray    *visible;   /* LkCase refs; == all when not searching */
  char         *search;
  GCancellable *reload_cancellable;
  GCancellable *search_cancellable;
  guint         generation;
  guint         pending;
  GError       *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkCaseList, lk_case_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum
{
  SEARCH_ALL,    /* no search: every case */
  SEARCH_NONE,   /* nothing searchable in the text (only punctuation) */
  SEARCH_FTS,
} SearchMode;

typedef struct
{
  guint       generation;
  SearchMode  mode;
  char       *search;
} TaskData;

static void
task_data_free (gpointer data)
{
  TaskData *td = data;

  g_free (td->search);
  g_free (td);
}

static GType
lk_case_list_get_item_type (GListModel *model)
{
  return LK_TYPE_CASE;
}

static guint
lk_case_list_get_n_items (GListModel *model)
{
  LkCaseList *self = (LkCaseList *) model;

  return self->visible->len;
}

static gpointer
lk_case_list_get_item (GListModel *model,
                       guint       position)
{
  LkCaseList *self = (LkCaseList *) model;

  if (position >= self->visible->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->visible, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = lk_case_list_get_item_type;
  iface->get_n_items = lk_case_list_get_n_items;
  iface->get_item = lk_case_list_get_item;
}

static void
set_loading (LkCaseList *self,
             int         delta)
{
  gboolean was = self->pending > 0;

  self->pending += delta;
  if (was != (self->pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
replace_visible (LkCaseList *self,
                 GPtrArray  *visible)
{
  guint removed = self->visible->len;

  g_ptr_array_unref (self->visible);
  self->visible = visible;

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, visible->len);
  if (removed != visible->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
set_error (LkCaseList *self,
           GError     *error)
{
  g_clear_error (&self->error);
  self->error = error;
}

/* Keeps the cases of all whose nid is in the sorted nids array. */
static GPtrArray *
filter_by_nids (GPtrArray *all,
                GArray    *nids)
{
  GPtrArray *visible = g_ptr_array_new_full (nids->len, g_object_unref);
  const gint64 *sorted = (const gint64 *) (gpointer) nids->data;

  for (guint i = 0; i < all->len; i++)
    {
      LkCase *c = g_ptr_array_index (all, i);
      guint lo = 0, hi = nids->len;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (sorted[mid] < c->nid)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < nids->len && sorted[lo] == c->nid)
        g_ptr_array_add (visible, g_object_ref (c));
    }

  return visible;
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LkCaseList *self = source_object;
  TaskData *td = task_data;
  GError *error = NULL;
  GArray *nids;

  if (td->mode != SEARCH_FTS)
    {
      g_task_return_pointer (task, g_array_new (FALSE, FALSE, sizeof (gint64)), (GDestroyNotify) g_array_unref);
      return;
    }

  nids = lk_store_search_case_nids (self->store, td->search, cancellable, &error);
  if (nids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, nids, (GDestroyNotify) g_array_unref);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkCaseList *self = LK_CASE_LIST (object);
  TaskData *td = g_task_get_task_data (G_TASK (result));
  g_autoptr(GArray) nids = NULL;
  GError *error = NULL;

  set_loading (self, -1);
  nids = g_task_propagate_pointer (G_TASK (result), &error);

  if (td->generation != self->generation)
    {
      g_clear_error (&error);
      return;
    }

  if (nids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Search failed: %s", error->message);
      set_error (self, error);
      replace_visible (self, g_ptr_array_new_with_free_func (g_object_unref));
    }
  else
    {
      set_error (self, NULL);
      if (td->mode == SEARCH_ALL)
        replace_visible (self, g_ptr_array_ref (self->all));
      else
        replace_visible (self, filter_by_nids (self->all, nids));
    }

  g_signal_emit (self, signals[UPDATED], 0);
}

static void
apply_search (LkCaseList *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *query = NULL;
  TaskData *td;

  self->generation++;
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  query = lk_store_build_fts_query (self->search);

  self->search_cancellable = g_cancellable_new ();
  td = g_new0 (TaskData, 1);
  td->generation = self->generation;
  td->search = g_strdup (self->search);
  /* Even the cases without a query go through the worker, so "updated"
   * always comes from the main loop, after the call returns. */
  if (self->search == NULL || self->search[0] == '\0')
    td->mode = SEARCH_ALL;
  else if (query == NULL)
    td->mode = SEARCH_NONE;
  else
    td->mode = SEARCH_FTS;

  task = g_task_new (self, self->search_cancellable, search_done_cb, NULL);
  g_task_set_source_tag (task, apply_search);
  g_task_set_task_data (task, td, task_data_free);
  set_loading (self, +1);
  g_task_run_in_thread (task, search_thread);
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LkCaseList *self = source_object;
  GError *error = NULL;
  GPtrArray *all;

  all = lk_store_query_cases (self->store, LK_CASE_STATE_INVALID, NULL, 0, cancellable, &error);
  if (all == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, all, (GDestroyNotify) g_ptr_array_unref);
}

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkCaseList *self = LK_CASE_LIST (object);
  g_autoptr(GPtrArray) all = NULL;
  GError *error = NULL;

  set_loading (self, -1);
  all = g_task_propagate_pointer (G_TASK (result), &error);
  if (all == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Loading the queue failed: %s", error->message);
          set_error (self, error);
          g_signal_emit (self, signals[UPDATED], 0);
        }
      else
        g_clear_error (&error);
      return;
    }

  set_error (self, NULL);
  g_ptr_array_unref (self->all);
  self->all = g_steal_pointer (&all);
  apply_search (self);
}

static void
lk_case_list_dispose (GObject *object)
{
  LkCaseList *self = (LkCaseList *) object;

  g_cancellable_cancel (self->reload_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->reload_cancellable);
  g_clear_object (&self->search_cancellable);

  G_OBJECT_CLASS (lk_case_list_parent_class)->dispose (object);
}

static void
lk_case_list_finalize (GObject *object)
{
  LkCaseList *self = (LkCaseList *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (lk_case_list_parent_class)->finalize (object);
}

static void
lk_case_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkCaseList *self = LK_CASE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->visible->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_case_list_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LkCaseList *self = LK_CASE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_case_list_class_init (LkCaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_case_list_dispose;
  object_class->finalize = lk_case_list_finalize;
  object_class->get_property = lk_case_list_get_property;
  object_class->set_property = lk_case_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when a reload or a search has been applied (or failed). */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lk_case_list_init (LkCaseList *self)
{
  self->all = g_ptr_array_new_with_free_func (g_object_unref);
  self->visible = g_ptr_array_ref (self->all);
}

LkCaseList *
lk_case_list_new (LkStore *store)
{
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  return g_object_new (LK_TYPE_CASE_LIST, "store", store, NULL);
}

LkStore *
lk_case_list_get_store (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->store;
}

void
lk_case_list_reload (LkCaseList *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_CASE_LIST (self));

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->reload_cancellable, reload_done_cb, NULL);
  g_task_set_source_tag (task, lk_case_list_reload);
  set_loading (self, +1);
  g_task_run_in_thread (task, reload_thread);
}

void
lk_case_list_set_search (LkCaseList *self,
                         const char *search)
{
  g_return_if_fail (LK_IS_CASE_LIST (self));

  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  apply_search (self);
}

const char *
lk_case_list_get_search (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->search;
}

guint
lk_case_list_get_total (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), 0);

  return self->all->len;
}

gboolean
lk_case_list_is_loading (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), FALSE);

  return self->pending > 0;
}

const GError *
lk_case_list_get_error (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->error;
}
