/* lk-case-list-filter.c — the queue's filters and sort orders, run in
 * LkCaseList's worker thread over the immutable light cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-store"

#include "config.h"

#include <string.h>

#include "lk-case-list-private.h"
#include "model/lk-model-private.h"

static const char * const sort_names[LK_N_CASE_SORTS] = {
  [LK_CASE_SORT_RECEIPT] = "receipt",
  [LK_CASE_SORT_APPLICANT] = "applicant",
  [LK_CASE_SORT_SERVICE] = "service",
  [LK_CASE_SORT_STATE] = "state",
  [LK_CASE_SORT_SLA_DUE] = "sla",
  [LK_CASE_SORT_RECEIVED] = "received",
};

void
lk_case_filters_copy (LkCaseFilters       *dest,
                      const LkCaseFilters *src)
{
  *dest = *src;
  dest->service = g_strdup (src->service);
  dest->assignee = g_strdup (src->assignee);
}

void
lk_case_filters_clear (LkCaseFilters *filters)
{
  g_clear_pointer (&filters->service, g_free);
  g_clear_pointer (&filters->assignee, g_free);
}

gboolean
lk_case_filters_active (const LkCaseFilters *f)
{
  return f->state != LK_CASE_LIST_ALL_STATES || f->service != NULL ||
         f->sla != LK_CASE_SLA_ANY || f->assignee != NULL;
}

/* Thread-safe: reads only the immutable light case. */
gboolean
lk_case_filters_match (const LkCaseFilters *f,
                       LkCase              *c)
{
  gboolean open = lk_case_state_is_open (c->state);

  if (f->state == LK_CASE_LIST_OPEN_STATES)
    {
      if (!open)
        return FALSE;
    }
  else if (f->state != LK_CASE_LIST_ALL_STATES && (int) c->state != f->state)
    return FALSE;

  if (f->service != NULL && g_strcmp0 (c->service_type_id, f->service) != 0)
    return FALSE;

  if (f->assignee != NULL && g_strcmp0 (c->assignee, f->assignee) != 0)
    return FALSE;

  switch (f->sla)
    {
    case LK_CASE_SLA_ANY:
      return TRUE;
    case LK_CASE_SLA_PAUSED:
      return c->state == LK_CASE_STATE_INCOMPLETE;
    case LK_CASE_SLA_OVERDUE:
      return open && c->state != LK_CASE_STATE_INCOMPLETE && c->sla_due != NULL &&
             strcmp (c->sla_due, f->today) < 0;
    case LK_CASE_SLA_DUE_TODAY:
      return open && c->state != LK_CASE_STATE_INCOMPLETE && c->sla_due != NULL &&
             strcmp (c->sla_due, f->today) == 0;
    default:
      return FALSE;
    }
}

/* The nids of a case array, in its order: the search pass then tests
 * contiguous integers instead of visiting every case object. */
GArray *
lk_case_list_nids_of (GPtrArray *cases)
{
  GArray *nids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), cases->len);

  for (guint i = 0; i < cases->len; i++)
    g_array_append_val (nids, ((LkCase *) g_ptr_array_index (cases, i))->nid);
  return nids;
}

static gboolean
nids_contain (GArray *nids,
              gint64  nid)
{
  const gint64 *sorted = (const gint64 *) (gpointer) nids->data;
  guint lo = 0, hi = nids->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (sorted[mid] < nid)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < nids->len && sorted[lo] == nid;
}

/* A bit per nid up to the largest one found (row ids are dense: a few
 * kilobytes). */
static guint8 *
bitset_of (GArray *found,
           gint64 *limit)
{
  const gint64 *sorted = (const gint64 *) (gpointer) found->data;
  gint64 max = found->len > 0 ? sorted[found->len - 1] : 0;
  guint8 *bits;

  if (max < 0)
    max = 0;
  bits = g_malloc0 ((gsize) (max / 8 + 1));
  for (guint i = 0; i < found->len; i++)
    if (sorted[i] >= 0)
      bits[sorted[i] / 8] |= (guint8) (1u << (sorted[i] % 8));
  *limit = max;
  return bits;
}

static inline gboolean
bitset_has (const guint8 *bits,
            gint64        limit,
            gint64        nid)
{
  return nid >= 0 && nid <= limit && (bits[nid / 8] & (1u << (nid % 8))) != 0;
}

static int
compare_text (const char *a,
              const char *b)
{
  /* Missing values sort after every value. */
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return strcmp (a, b);
}

typedef struct
{
  LkCaseSort sort;
  gboolean   descending;
} SortData;

static int
compare_cases (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const SortData *td = user_data;
  LkCase *x = *(LkCase * const *) a;
  LkCase *y = *(LkCase * const *) b;
  int cmp = 0;

  switch (td->sort)
    {
    case LK_CASE_SORT_RECEIPT:
      cmp = compare_text (x->receipt, y->receipt);
      break;
    case LK_CASE_SORT_APPLICANT:
      if (x->applicant_name == NULL || y->applicant_name == NULL)
        cmp = (x->applicant_name == NULL) - (y->applicant_name == NULL);
      else
        cmp = g_ascii_strcasecmp (x->applicant_name, y->applicant_name);
      break;
    case LK_CASE_SORT_SERVICE:
      cmp = compare_text (x->service_code, y->service_code);
      if (cmp == 0)
        cmp = compare_text (x->service_name, y->service_name);
      break;
    case LK_CASE_SORT_STATE:
      cmp = (x->state > y->state) - (x->state < y->state);
      break;
    case LK_CASE_SORT_SLA_DUE:
      cmp = compare_text (x->sla_due, y->sla_due);
      break;
    case LK_CASE_SORT_RECEIVED:
    case LK_CASE_SORT_INVALID:
    default:
      break;
    }

  /* Ties: the order the store lists them in (oldest first). */
  if (cmp == 0)
    cmp = (x->created_at > y->created_at) - (x->created_at < y->created_at);
  if (cmp == 0)
    cmp = (x->nid > y->nid) - (x->nid < y->nid);

  return td->descending ? -cmp : cmp;
}

GPtrArray *
lk_case_list_sort_cases (GPtrArray  *cases,
                         LkCaseSort  sort,
                         gboolean    descending)
{
  SortData data = { sort, descending };
  GPtrArray *sorted = g_ptr_array_copy (cases, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);

  g_ptr_array_set_free_func (sorted, g_object_unref);
  g_ptr_array_sort_with_data (sorted, compare_cases, &data);
  return sorted;
}

GPtrArray *
lk_case_list_filter_cases (GPtrArray           *all,
                           GArray              *all_nids,
                           GArray              *found,
                           const LkCaseFilters *filters)
{
  gboolean filtering = lk_case_filters_active (filters);
  GPtrArray *visible = g_ptr_array_new_full (found != NULL ? found->len : 1024, g_object_unref);

  if (found != NULL)
    {
      const gint64 *positions = (const gint64 *) (gpointer) all_nids->data;
      const gint64 *sorted = (const gint64 *) (gpointer) found->data;
      g_autofree guint8 *bits = NULL;
      gboolean dense;
      gint64 limit = 0;

      g_assert (all_nids->len == all->len);
      /* Row ids that grew sparse (rare): a binary search instead. */
      dense = found->len == 0 || sorted[found->len - 1] <= 64 * (gint64) all->len + (1 << 20);
      if (dense)
        bits = bitset_of (found, &limit);
      for (guint i = 0; i < all->len; i++)
        if (dense ? bitset_has (bits, limit, positions[i]) : nids_contain (found, positions[i]))
          {
            LkCase *c = g_ptr_array_index (all, i);

            if (!filtering || lk_case_filters_match (filters, c))
              g_ptr_array_add (visible, g_object_ref (c));
          }
    }
  else
    for (guint i = 0; i < all->len; i++)
      {
        LkCase *c = g_ptr_array_index (all, i);

        if (lk_case_filters_match (filters, c))
          g_ptr_array_add (visible, g_object_ref (c));
      }

  return visible;
}

const char *
lk_case_sort_to_string (LkCaseSort sort)
{
  g_return_val_if_fail (sort >= 0 && sort < LK_N_CASE_SORTS, NULL);

  return sort_names[sort];
}

LkCaseSort
lk_case_sort_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < LK_N_CASE_SORTS; i++)
    if (strcmp (name, sort_names[i]) == 0)
      return (LkCaseSort) i;

  return LK_CASE_SORT_INVALID;
}

