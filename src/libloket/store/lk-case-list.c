/* lk-case-list.c
 *
 * The whole queue is loaded once (light objects: the queue columns only,
 * about 100 ms for 100 000 cases) and kept in the current sort order.
 * Searches filter it by the row ids an FTS5 query returns, and the state,
 * service, SLA and assignee filters are one pass over that array, so a
 * keystroke costs one index lookup and one pass, never a reload. A new sort
 * order sorts the light objects once, in the worker thread; the main thread
 * only swaps arrays. The filtering and sorting themselves are in
 * lk-case-list-filter.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-store"

#include "config.h"

#include <string.h>

#include "lk-case-list.h"
#include "lk-case-list-private.h"
#include "model/lk-model-private.h"

struct _LkCaseList
{
  GObject       parent_instance;

  LkStore      *store;
  GPtrArray    *all;       /* LkCase, in the order all_sort/all_descending */
  GArray       *all_nids;  /* gint64: the nid of each case of all, same order */
  LkCaseSort    all_sort;
  gboolean      all_descending;
  GPtrArray    *visible;   /* LkCase refs; == all when nothing filters */
  GPtrArray    *service_types;
  guint         counts[LK_N_CASE_STATES];
  guint         open_count;
  char         *search;
  LkCaseSort    sort;
  gboolean      descending;
  LkCaseFilters filters;
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

/* How many of the newest cases the first load shows before the rest. */
#define HEAD_ROWS 200

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
  GPtrArray  *all;          /* a ref of self->all when the task started */
  GArray     *all_nids;     /* and of self->all_nids */
  gboolean    needs_sort;
  LkCaseSort  sort;
  gboolean    descending;
  LkCaseFilters filters;
} TaskData;

typedef struct
{
  GPtrArray *all;           /* the newly sorted all, or NULL */
  GArray    *all_nids;      /* with it */
  GPtrArray *visible;
} ApplyResult;

typedef struct
{
  GPtrArray *all;
  GArray    *all_nids;
  GPtrArray *service_types;
} ReloadResult;

static void
task_data_free (gpointer data)
{
  TaskData *td = data;

  g_free (td->search);
  g_clear_pointer (&td->all, g_ptr_array_unref);
  g_clear_pointer (&td->all_nids, g_array_unref);
  lk_case_filters_clear (&td->filters);
  g_free (td);
}

static void
apply_result_free (gpointer data)
{
  ApplyResult *result = data;

  g_clear_pointer (&result->all, g_ptr_array_unref);
  g_clear_pointer (&result->all_nids, g_array_unref);
  g_clear_pointer (&result->visible, g_ptr_array_unref);
  g_free (result);
}

static void
reload_result_free (gpointer data)
{
  ReloadResult *result = data;

  g_clear_pointer (&result->all, g_ptr_array_unref);
  g_clear_pointer (&result->all_nids, g_array_unref);
  g_clear_pointer (&result->service_types, g_ptr_array_unref);
  g_free (result);
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

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LkCaseList *self = source_object;
  TaskData *td = task_data;
  g_autoptr(GArray) nids = NULL;
  ApplyResult *result;
  GPtrArray *all = td->all;
  GArray *all_nids = td->all_nids;
  GError *error = NULL;

  if (td->mode == SEARCH_FTS)
    {
      nids = lk_store_search_case_nids (self->store, td->search, cancellable, &error);
      if (nids == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  result = g_new0 (ApplyResult, 1);
  if (td->needs_sort)
    {
      result->all = lk_case_list_sort_cases (td->all, td->sort, td->descending);
      result->all_nids = lk_case_list_nids_of (result->all);
      all = result->all;
      all_nids = result->all_nids;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      apply_result_free (result);
      return;
    }

  if (td->mode == SEARCH_ALL && !lk_case_filters_active (&td->filters))
    result->visible = g_ptr_array_ref (all);
  else if (td->mode == SEARCH_NONE)
    result->visible = g_ptr_array_new_with_free_func (g_object_unref);
  else
    result->visible = lk_case_list_filter_cases (all, all_nids, nids, &td->filters);

  g_task_return_pointer (task, result, apply_result_free);
}

static void
apply_done_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  LkCaseList *self = LK_CASE_LIST (object);
  TaskData *td = g_task_get_task_data (G_TASK (res));
  ApplyResult *result;
  GError *error = NULL;

  set_loading (self, -1);
  result = g_task_propagate_pointer (G_TASK (res), &error);

  if (td->generation != self->generation)
    {
      g_clear_error (&error);
      g_clear_pointer (&result, apply_result_free);
      return;
    }

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Search failed: %s", error->message);
      set_error (self, error);
      replace_visible (self, g_ptr_array_new_with_free_func (g_object_unref));
    }
  else
    {
      set_error (self, NULL);
      if (result->all != NULL && td->all == self->all)
        {
          g_ptr_array_unref (self->all);
          self->all = g_steal_pointer (&result->all);
          g_array_unref (self->all_nids);
          self->all_nids = g_steal_pointer (&result->all_nids);
          self->all_sort = td->sort;
          self->all_descending = td->descending;
        }
      replace_visible (self, g_steal_pointer (&result->visible));
      apply_result_free (result);
    }

  g_signal_emit (self, signals[UPDATED], 0);
}

static void
apply (LkCaseList *self)
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
  td->all = g_ptr_array_ref (self->all);
  td->all_nids = g_array_ref (self->all_nids);
  td->sort = self->sort;
  td->descending = self->descending;
  td->needs_sort = self->sort != self->all_sort || self->descending != self->all_descending;
  lk_case_filters_copy (&td->filters, &self->filters);
  /* Even the cases without a query go through the worker, so "updated"
   * always comes from the main loop, after the call returns. */
  if (self->search == NULL || self->search[0] == '\0')
    td->mode = SEARCH_ALL;
  else if (query == NULL)
    td->mode = SEARCH_NONE;
  else
    td->mode = SEARCH_FTS;

  task = g_task_new (self, self->search_cancellable, apply_done_cb, NULL);
  g_task_set_source_tag (task, apply);
  g_task_set_task_data (task, td, task_data_free);
  set_loading (self, +1);
  g_task_run_in_thread (task, apply_thread);
}

static int
compare_service_types (gconstpointer a,
                       gconstpointer b)
{
  LkServiceType *x = *(LkServiceType * const *) a;
  LkServiceType *y = *(LkServiceType * const *) b;

  return g_utf8_collate (x->name != NULL ? x->name : "", y->name != NULL ? y->name : "");
}

/* The first rows, shown while the whole queue loads (see HEAD_ROWS). */
typedef struct
{
  LkCaseList   *self;
  GCancellable *cancellable;
  GPtrArray    *head;
} Head;

static void
head_free (gpointer data)
{
  Head *head = data;

  g_object_unref (head->self);
  g_object_unref (head->cancellable);
  g_ptr_array_unref (head->head);
  g_free (head);
}

static gboolean
head_cb (gpointer data)
{
  Head *head = data;
  LkCaseList *self = head->self;

  /* Only while this reload is the current one and nothing else shows. */
  if (!g_cancellable_is_cancelled (head->cancellable) && self->all->len == 0 &&
      self->visible->len == 0 && head->head->len > 0 &&
      self->sort == LK_CASE_SORT_RECEIVED && self->descending &&
      !lk_case_filters_active (&self->filters) && (self->search == NULL || self->search[0] == '\0'))
    replace_visible (self, g_ptr_array_ref (head->head));
  return G_SOURCE_REMOVE;
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LkCaseList *self = source_object;
  ReloadResult *result;
  GError *error = NULL;
  GPtrArray *all, *service_types;
  gint64 t0 = g_get_monotonic_time ();

  /* The first load in the store's order (newest first) and nothing
   * filtered: the newest rows go on screen at once, before the rest. */
  if (GPOINTER_TO_INT (task_data))
    {
      GPtrArray *head = lk_store_query_cases (self->store, LK_CASE_STATE_INVALID, NULL, HEAD_ROWS,
                                              cancellable, NULL);

      if (head != NULL && head->len == HEAD_ROWS)
        {
          Head *h = g_new0 (Head, 1);

          h->self = g_object_ref (self);
          h->cancellable = g_object_ref (cancellable);
          h->head = head;
          g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, head_cb, h, head_free);
        }
      else
        g_clear_pointer (&head, g_ptr_array_unref);
    }

  all = lk_store_query_cases (self->store, LK_CASE_STATE_INVALID, NULL, 0, cancellable, &error);
  if (all == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  service_types = lk_store_list_service_types (self->store, &error);
  if (service_types == NULL)
    {
      g_ptr_array_unref (all);
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_sort (service_types, compare_service_types);
  g_debug ("Read %u cases in %.0f ms", all->len, (g_get_monotonic_time () - t0) / 1000.0);

  result = g_new0 (ReloadResult, 1);
  result->all = all;
  result->all_nids = lk_case_list_nids_of (all);
  result->service_types = service_types;
  g_task_return_pointer (task, result, reload_result_free);
}

static void
reload_done_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  LkCaseList *self = LK_CASE_LIST (object);
  ReloadResult *result;
  GError *error = NULL;

  set_loading (self, -1);
  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
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
  self->all = g_steal_pointer (&result->all);
  g_array_unref (self->all_nids);
  self->all_nids = g_steal_pointer (&result->all_nids);
  /* The store's order: newest first. */
  self->all_sort = LK_CASE_SORT_RECEIVED;
  self->all_descending = TRUE;
  g_ptr_array_unref (self->service_types);
  self->service_types = g_steal_pointer (&result->service_types);
  reload_result_free (result);

  memset (self->counts, 0, sizeof self->counts);
  self->open_count = 0;
  for (guint i = 0; i < self->all->len; i++)
    {
      LkCase *c = g_ptr_array_index (self->all, i);

      if (c->state >= 0 && c->state < LK_N_CASE_STATES)
        self->counts[c->state]++;
      if (lk_case_state_is_open (c->state))
        self->open_count++;
    }

  apply (self);
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
  g_clear_pointer (&self->all_nids, g_array_unref);
  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->service_types, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);
  lk_case_filters_clear (&self->filters);
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

  /* Emitted when a reload, sort, filter or search has been applied (or
   * failed). */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lk_case_list_init (LkCaseList *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  self->all = g_ptr_array_new_with_free_func (g_object_unref);
  self->all_nids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->visible = g_ptr_array_ref (self->all);
  self->service_types = g_ptr_array_new_with_free_func (g_object_unref);
  self->sort = self->all_sort = LK_CASE_SORT_RECEIVED;
  self->descending = self->all_descending = TRUE;
  self->filters.state = LK_CASE_LIST_ALL_STATES;
  self->filters.sla = LK_CASE_SLA_ANY;
  g_strlcpy (self->filters.today, today, sizeof self->filters.today);
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
  g_task_set_task_data (task,
                        GINT_TO_POINTER (self->all->len == 0 && self->visible->len == 0 &&
                                         self->sort == LK_CASE_SORT_RECEIVED && self->descending &&
                                         !lk_case_filters_active (&self->filters) &&
                                         (self->search == NULL || self->search[0] == '\0')),
                        NULL);
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
  apply (self);
}

const char *
lk_case_list_get_search (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->search;
}

void
lk_case_list_set_sort (LkCaseList *self,
                       LkCaseSort  sort,
                       gboolean    descending)
{
  g_return_if_fail (LK_IS_CASE_LIST (self));
  g_return_if_fail (sort >= 0 && sort < LK_N_CASE_SORTS);

  descending = !!descending;
  if (self->sort == sort && self->descending == descending)
    return;

  self->sort = sort;
  self->descending = descending;
  apply (self);
}

LkCaseSort
lk_case_list_get_sort (LkCaseList *self,
                       gboolean   *descending)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), LK_CASE_SORT_INVALID);

  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

void
lk_case_list_set_state_filter (LkCaseList *self,
                               int         state)
{
  g_return_if_fail (LK_IS_CASE_LIST (self));
  g_return_if_fail (state >= LK_CASE_LIST_OPEN_STATES && state < LK_N_CASE_STATES);

  if (self->filters.state == state)
    return;

  self->filters.state = state;
  apply (self);
}

int
lk_case_list_get_state_filter (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), LK_CASE_LIST_ALL_STATES);

  return self->filters.state;
}

void
lk_case_list_set_service_filter (LkCaseList *self,
                                 const char *service_type_id)
{
  g_return_if_fail (LK_IS_CASE_LIST (self));

  if (g_strcmp0 (self->filters.service, service_type_id) == 0)
    return;

  g_free (self->filters.service);
  self->filters.service = g_strdup (service_type_id);
  apply (self);
}

const char *
lk_case_list_get_service_filter (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->filters.service;
}

void
lk_case_list_set_sla_filter (LkCaseList      *self,
                             LkCaseSlaFilter  sla)
{
  g_return_if_fail (LK_IS_CASE_LIST (self));
  g_return_if_fail (sla >= LK_CASE_SLA_ANY && sla <= LK_CASE_SLA_PAUSED);

  if (self->filters.sla == sla)
    return;

  self->filters.sla = sla;
  apply (self);
}

LkCaseSlaFilter
lk_case_list_get_sla_filter (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), LK_CASE_SLA_ANY);

  return self->filters.sla;
}

void
lk_case_list_set_assignee_filter (LkCaseList *self,
                                  const char *assignee)
{
  g_return_if_fail (LK_IS_CASE_LIST (self));

  if (g_strcmp0 (self->filters.assignee, assignee) == 0)
    return;

  g_free (self->filters.assignee);
  self->filters.assignee = g_strdup (assignee);
  apply (self);
}

const char *
lk_case_list_get_assignee_filter (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->filters.assignee;
}

void
lk_case_list_set_today (LkCaseList *self,
                        const char *today)
{
  g_return_if_fail (LK_IS_CASE_LIST (self));
  g_return_if_fail (today != NULL && strlen (today) == 10);

  if (strcmp (self->filters.today, today) == 0)
    return;

  g_strlcpy (self->filters.today, today, sizeof self->filters.today);
  if (self->filters.sla == LK_CASE_SLA_OVERDUE || self->filters.sla == LK_CASE_SLA_DUE_TODAY)
    apply (self);
}

const char *
lk_case_list_get_today (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->filters.today;
}

gboolean
lk_case_list_matches_filters (LkCaseList *self,
                              LkCase     *kase)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), FALSE);
  g_return_val_if_fail (LK_IS_CASE (kase), FALSE);

  return lk_case_filters_match (&self->filters, kase);
}

guint
lk_case_list_get_total (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), 0);

  return self->all->len;
}

guint
lk_case_list_get_state_count (LkCaseList *self,
                              int         state)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), 0);
  g_return_val_if_fail (state >= LK_CASE_LIST_OPEN_STATES && state < LK_N_CASE_STATES, 0);

  if (state == LK_CASE_LIST_ALL_STATES)
    return self->all->len;
  if (state == LK_CASE_LIST_OPEN_STATES)
    return self->open_count;
  return self->counts[state];
}

GPtrArray *
lk_case_list_get_service_types (LkCaseList *self)
{
  g_return_val_if_fail (LK_IS_CASE_LIST (self), NULL);

  return self->service_types;
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
