/* test-queue.c — the officer's queue in the real window under Xvfb against
 * a real loket-server: sort, filters, counts, keyboard, and the pages of
 * the window by role
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>

#include "store/lk-case-list.h"
#include "sync/lk-outbox.h"
#include "lk-app-setup.h"
#include "lk-application.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

static LkApplication *app;

typedef LkAppTestFixture Fixture;

static LkWindow *
open_window (const char *url,
             const char *user)
{
  LkWindow *window = lk_app_test_open_window (app, url, user);
  LkSession *session = lk_window_get_session (window);

  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  return window;
}

static LkStore *
window_store (LkWindow *window)
{
  return lk_session_get_store (lk_window_get_session (window));
}

static LkCaseList *
window_list (LkWindow *window)
{
  return LK_CASE_LIST (lk_window_get_cases (window));
}

static gboolean
is_settled (LkWindow *window)
{
  LkCaseList *list = window_list (window);

  return !lk_case_list_is_loading (list) &&
         lk_case_list_get_total (list) == (guint) lk_store_count (window_store (window), LK_KIND_CASE);
}

/* Every case of the store, through a query of its own (not the list). */
static GPtrArray *
store_cases (LkWindow   *window,
             LkCaseState state,
             const char *search)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = lk_store_query_cases (window_store (window), state, search, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (all);
  return all;
}

static char *
local_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static gboolean
list_has_ids (GListModel *model,
              GHashTable *ids)
{
  if (g_list_model_get_n_items (model) != g_hash_table_size (ids))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LkCase) kase = g_list_model_get_item (model, i);

      if (!g_hash_table_contains (ids, lk_case_get_id (kase)))
        return FALSE;
    }
  return TRUE;
}

/* ---- sort ---------------------------------------------------------------- */

static int
compare_key (LkCase     *a,
             LkCase     *b,
             LkCaseSort  sort)
{
  switch (sort)
    {
    case LK_CASE_SORT_RECEIPT:
      return strcmp (lk_case_get_receipt (a), lk_case_get_receipt (b));
    case LK_CASE_SORT_APPLICANT:
      return g_ascii_strcasecmp (lk_case_get_applicant_name (a), lk_case_get_applicant_name (b));
    case LK_CASE_SORT_SERVICE:
      return g_strcmp0 (lk_case_get_service_code (a), lk_case_get_service_code (b));
    case LK_CASE_SORT_STATE:
      return (int) lk_case_get_state (a) - (int) lk_case_get_state (b);
    case LK_CASE_SORT_SLA_DUE:
      {
        const char *x = lk_case_get_sla_due (a), *y = lk_case_get_sla_due (b);

        /* Without a due date: last when ascending. */
        if (x == NULL || y == NULL)
          return (x == NULL) - (y == NULL);
        return strcmp (x, y);
      }
    case LK_CASE_SORT_RECEIVED:
      return (lk_case_get_created_at (a) > lk_case_get_created_at (b)) -
             (lk_case_get_created_at (a) < lk_case_get_created_at (b));
    case LK_CASE_SORT_INVALID:
    default:
      g_assert_not_reached ();
    }
}

static void
assert_sorted (GListModel *model,
               LkCaseSort  sort,
               gboolean    descending)
{
  guint n = g_list_model_get_n_items (model);
  guint changes = 0;

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(LkCase) a = g_list_model_get_item (model, i - 1);
      g_autoptr(LkCase) b = g_list_model_get_item (model, i);
      int cmp = compare_key (a, b, sort);

      if (descending)
        cmp = -cmp;
      if (cmp > 0)
        g_error ("Sorting by %s%s: rows %u and %u are out of order (%s, %s)",
                 lk_case_sort_to_string (sort), descending ? " descending" : "",
                 i - 1, i, lk_case_get_receipt (a), lk_case_get_receipt (b));
      changes += cmp != 0;
    }
  /* The order was not trivially right: the key changes along the list. */
  g_assert_cmpuint (changes, >, 0);
}

static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas");
  LkQueuePage *page = lk_window_get_queue_page (window);
  LkCaseList *list = window_list (window);
  g_autoptr(GSettings) settings = lk_app_settings_new ();
  gboolean descending = FALSE;

  WAIT_UNTIL (is_settled (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 1);

  /* The default: newest first. */
  g_assert_cmpint (lk_case_list_get_sort (list, &descending), ==, LK_CASE_SORT_RECEIVED);
  g_assert_true (descending);
  assert_sorted (G_LIST_MODEL (list), LK_CASE_SORT_RECEIVED, TRUE);

  for (int sort = 0; sort < LK_N_CASE_SORTS; sort++)
    for (int desc = 0; desc < 2; desc++)
      {
        gboolean got_desc;

        /* What a click on the header does to the column view's sorter. */
        lk_queue_page_sort_by (page, sort, desc);
        g_test_message ("sort %d desc %d: list has %d", sort, desc, lk_case_list_get_sort (list, &got_desc));
        WAIT_UNTIL (lk_case_list_get_sort (list, &got_desc) == (LkCaseSort) sort &&
                    got_desc == desc && is_settled (window));
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, lk_case_list_get_total (list));
        assert_sorted (G_LIST_MODEL (list), sort, desc);
        if (settings != NULL)
          {
            g_autofree char *column = g_settings_get_string (settings, "queue-sort-column");

            g_assert_cmpstr (column, ==, lk_case_sort_to_string (sort));
            g_assert_cmpint (g_settings_get_boolean (settings, "queue-sort-descending"), ==, desc);
          }
      }

  /* The sort applies to a search's results too. */
  lk_queue_page_sort_by (page, LK_CASE_SORT_APPLICANT, FALSE);
  gtk_editable_set_text (lk_window_get_search (window), "a");
  WAIT_UNTIL (g_strcmp0 (lk_case_list_get_search (list), "a") == 0 && !lk_case_list_is_loading (list) &&
              lk_case_list_get_sort (list, NULL) == LK_CASE_SORT_APPLICANT);
  {
    g_autoptr(GPtrArray) found = store_cases (window, LK_CASE_STATE_INVALID, "a");

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, found->len);
    if (found->len > 2)
      assert_sorted (G_LIST_MODEL (list), LK_CASE_SORT_APPLICANT, FALSE);
  }

  /* A new window starts with the remembered sort. */
  if (settings != NULL)
    {
      lk_app_test_close_all_windows (app);
      window = open_window (fixture->server->url, "petugas");
      list = window_list (window);
      WAIT_UNTIL (is_settled (window) && g_list_model_get_n_items (G_LIST_MODEL (list)) > 0);
      g_assert_cmpint (lk_case_list_get_sort (list, &descending), ==, LK_CASE_SORT_APPLICANT);
      g_assert_false (descending);
      assert_sorted (G_LIST_MODEL (list), LK_CASE_SORT_APPLICANT, FALSE);
      g_settings_reset (settings, "queue-sort-column");
      g_settings_reset (settings, "queue-sort-descending");
    }
}

/* ---- filters ------------------------------------------------------------- */

typedef struct
{
  int              state;
  const char      *service;
  LkCaseSlaFilter  sla;
  const char      *assignee;
  const char      *today;
} Expect;

/* The filters' meaning, written out from the light cases of the store. */
static gboolean
expect_match (const Expect *e,
              LkCase       *c)
{
  LkCaseState state = lk_case_get_state (c);
  gboolean open = state != LK_CASE_STATE_SIGNED && state != LK_CASE_STATE_DELIVERED &&
                  state != LK_CASE_STATE_CANCELLED;
  gboolean running = open && state != LK_CASE_STATE_INCOMPLETE && lk_case_get_sla_due (c) != NULL;

  if (e->state == LK_CASE_LIST_OPEN_STATES && !open)
    return FALSE;
  if (e->state >= 0 && (int) state != e->state)
    return FALSE;
  if (e->service != NULL && g_strcmp0 (lk_case_get_service_type_id (c), e->service) != 0)
    return FALSE;
  if (e->assignee != NULL && g_strcmp0 (lk_case_get_assignee (c), e->assignee) != 0)
    return FALSE;
  switch (e->sla)
    {
    case LK_CASE_SLA_OVERDUE:
      return running && strcmp (lk_case_get_sla_due (c), e->today) < 0;
    case LK_CASE_SLA_DUE_TODAY:
      return running && strcmp (lk_case_get_sla_due (c), e->today) == 0;
    case LK_CASE_SLA_PAUSED:
      return state == LK_CASE_STATE_INCOMPLETE;
    case LK_CASE_SLA_ANY:
    default:
      return TRUE;
    }
}

static GHashTable *
expected_ids (LkWindow     *window,
              const Expect *e,
              const char   *search)
{
  g_autoptr(GPtrArray) all = store_cases (window, LK_CASE_STATE_INVALID, search);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < all->len; i++)
    if (expect_match (e, g_ptr_array_index (all, i)))
      g_hash_table_add (ids, g_strdup (lk_case_get_id (g_ptr_array_index (all, i))));
  return ids;
}

static void
wait_for_ids (LkWindow   *window,
              GHashTable *ids)
{
  WAIT_UNTIL (is_settled (window) && list_has_ids (lk_window_get_cases (window), ids));
}

static void
assert_counts (LkWindow *window)
{
  gint64 counts[LK_N_CASE_STATES];
  gint64 all = 0, open = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_count_cases_by_state (window_store (window), counts, &error));
  g_assert_no_error (error);
  for (int s = 0; s < LK_N_CASE_STATES; s++)
    {
      g_assert_cmpint (lk_window_get_state_count (window, s), ==, counts[s]);
      all += counts[s];
      if (lk_case_state_is_open (s))
        open += counts[s];
    }
  g_assert_cmpint (lk_window_get_state_count (window, LK_CASE_LIST_ALL_STATES), ==, all);
  g_assert_cmpint (lk_window_get_state_count (window, LK_CASE_LIST_OPEN_STATES), ==, open);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas");
  LkQueuePage *page = lk_window_get_queue_page (window);
  LkCaseList *list = window_list (window);
  g_autofree char *today = local_today ();
  Expect e = { LK_CASE_LIST_ALL_STATES, NULL, LK_CASE_SLA_ANY, NULL, today };
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *word = NULL;
  GPtrArray *types;
  const char *service = NULL;
  guint states_seen = 0;

  WAIT_UNTIL (is_settled (window));
  g_assert_cmpstr (lk_case_list_get_today (list), ==, today);
  all = store_cases (window, LK_CASE_STATE_INVALID, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, all->len);
  assert_counts (window);

  /* Each state of the sidebar, "Open cases" and "All cases". */
  for (int s = LK_CASE_LIST_OPEN_STATES; s < LK_N_CASE_STATES; s++)
    {
      g_autoptr(GHashTable) ids = NULL;

      e.state = s;
      ids = expected_ids (window, &e, NULL);
      lk_window_set_state_filter (window, s);
      g_assert_cmpint (lk_case_list_get_state_filter (list), ==, s);
      wait_for_ids (window, ids);
      g_assert_cmpint (lk_window_get_state_count (window, s), ==, g_hash_table_size (ids));
      states_seen += s >= 0 && g_hash_table_size (ids) > 0;
    }
  g_assert_cmpuint (states_seen, >=, 3);

  /* The service dropdown lists the store's service types. */
  types = lk_case_list_get_service_types (list);
  g_assert_cmpuint (types->len, >, 1);
  service = lk_service_type_get_id (g_ptr_array_index (types, 0));
  g_assert_false (lk_queue_page_set_service_filter (page, "no-such-service"));

  /* "Today" on the date a running case is due, so that every SLA filter
   * has cases on both sides of its boundary. */
  for (guint i = 0; i < all->len; i++)
    {
      LkCase *c = g_ptr_array_index (all, i);

      if (lk_case_get_state (c) == LK_CASE_STATE_VERIFYING && lk_case_get_sla_due (c) != NULL)
        {
          g_free (today);
          today = g_strdup (lk_case_get_sla_due (c));
          break;
        }
    }
  e.today = today;
  lk_case_list_set_today (list, today);
  {
    Expect due = { LK_CASE_LIST_ALL_STATES, NULL, LK_CASE_SLA_DUE_TODAY, NULL, today };
    g_autoptr(GHashTable) ids = expected_ids (window, &due, NULL);

    g_assert_cmpuint (g_hash_table_size (ids), >, 0);
  }

  /* Open cases of one service; then each SLA filter with it, and without. */
  e.state = LK_CASE_LIST_OPEN_STATES;
  lk_window_set_state_filter (window, e.state);
  e.service = service;
  g_assert_true (lk_queue_page_set_service_filter (page, service));
  {
    g_autoptr(GHashTable) ids = expected_ids (window, &e, NULL);

    g_assert_cmpuint (g_hash_table_size (ids), >, 0);
    wait_for_ids (window, ids);
  }
  for (int pass = 0; pass < 2; pass++)
    {
      for (int sla = LK_CASE_SLA_ANY; sla <= LK_CASE_SLA_PAUSED; sla++)
        {
          g_autoptr(GHashTable) ids = NULL;

          e.sla = sla;
          ids = expected_ids (window, &e, NULL);
          lk_queue_page_set_sla_filter (page, sla);
          g_assert_cmpint (lk_case_list_get_sla_filter (list), ==, sla);
          wait_for_ids (window, ids);
          g_test_message ("service %s, SLA filter %d: %u cases", e.service ? "one" : "all", sla,
                          g_hash_table_size (ids));
        }
      if (pass == 0)
        {
          e.service = NULL;
          g_assert_true (lk_queue_page_set_service_filter (page, NULL));
        }
    }
  /* The demo data has overdue and incomplete cases. */
  {
    Expect overdue = { LK_CASE_LIST_ALL_STATES, NULL, LK_CASE_SLA_OVERDUE, NULL, today };
    Expect paused = { LK_CASE_LIST_ALL_STATES, NULL, LK_CASE_SLA_PAUSED, NULL, today };
    g_autoptr(GHashTable) a = expected_ids (window, &overdue, NULL);
    g_autoptr(GHashTable) b = expected_ids (window, &paused, NULL);

    g_assert_cmpuint (g_hash_table_size (a), >, 0);
    g_assert_cmpuint (g_hash_table_size (b), >, 0);
  }

  /* Filters combine with the search as you type. */
  e.sla = LK_CASE_SLA_ANY;
  lk_queue_page_set_sla_filter (page, LK_CASE_SLA_ANY);
  {
    LkCase *first = g_ptr_array_index (all, 0);
    const char *space;

    word = g_strdup (lk_case_get_applicant_name (first));
    space = strchr (word, ' ');
    if (space != NULL)
      word[space - word] = '\0';
  }
  for (int s = LK_CASE_LIST_OPEN_STATES; s <= LK_CASE_LIST_ALL_STATES; s++)
    {
      g_autoptr(GHashTable) ids = NULL;
      g_autoptr(GHashTable) unfiltered = NULL;
      Expect none = { LK_CASE_LIST_ALL_STATES, NULL, LK_CASE_SLA_ANY, NULL, today };

      e.state = s;
      lk_window_set_state_filter (window, s);
      gtk_editable_set_text (lk_window_get_search (window), word);
      ids = expected_ids (window, &e, word);
      unfiltered = expected_ids (window, &none, word);
      g_assert_cmpuint (g_hash_table_size (unfiltered), >, 0);
      wait_for_ids (window, ids);
      g_assert_cmpstr (lk_case_list_get_search (list), ==, word);
    }
  /* Typing on: the filters stay. */
  {
    g_autofree char *longer = g_strdup_printf ("%s %c", word, 'a');
    g_autoptr(GHashTable) ids = NULL;

    gtk_editable_set_text (lk_window_get_search (window), longer);
    ids = expected_ids (window, &e, longer);
    wait_for_ids (window, ids);
  }
  gtk_editable_set_text (lk_window_get_search (window), "");
  lk_window_set_state_filter (window, LK_CASE_LIST_ALL_STATES);
  WAIT_UNTIL (is_settled (window) &&
              g_list_model_get_n_items (G_LIST_MODEL (list)) == lk_case_list_get_total (list));
}

/* ---- counts after changes, assigned to me -------------------------------- */

static void
test_counts_and_assigned (Fixture       *fixture,
                          gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas");
  LkSession *session = lk_window_get_session (window);
  LkStore *store = window_store (window);
  LkCaseList *list = window_list (window);
  LkCaseView *case_view = lk_window_get_case_view (window);
  g_autoptr(GHashTable) mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) submitted = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_submitted, n_verifying;
  const char *moved_id;

  WAIT_UNTIL (is_settled (window));
  assert_counts (window);

  /* A local change (the case moves): the sidebar follows. */
  n_submitted = lk_window_get_state_count (window, LK_CASE_STATE_SUBMITTED);
  n_verifying = lk_window_get_state_count (window, LK_CASE_STATE_VERIFYING);
  g_assert_cmpint (n_submitted, >, 0);
  lk_window_set_state_filter (window, LK_CASE_STATE_SUBMITTED);
  WAIT_UNTIL (is_settled (window) && g_list_model_get_n_items (G_LIST_MODEL (list)) == (guint) n_submitted);
  submitted = store_cases (window, LK_CASE_STATE_SUBMITTED, NULL);
  moved_id = lk_case_get_id (g_ptr_array_index (submitted, 0));
  lk_queue_page_open_case (lk_window_get_queue_page (window), 0);
  WAIT_UNTIL (lk_case_view_get_case (case_view) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.case-transition", "s", "verifying"));
  WAIT_UNTIL (lk_window_get_state_count (window, LK_CASE_STATE_SUBMITTED) == n_submitted - 1 &&
              lk_window_get_state_count (window, LK_CASE_STATE_VERIFYING) == n_verifying + 1);
  WAIT_UNTIL (is_settled (window) &&
              g_list_model_get_n_items (G_LIST_MODEL (list)) == (guint) n_submitted - 1);
  assert_counts (window);
  g_assert_nonnull (moved_id);

  /* Nothing is assigned to this officer in the demo data. */
  lk_window_set_state_filter (window, LK_CASE_LIST_ALL_STATES);
  lk_queue_page_set_assigned_to_me (lk_window_get_queue_page (window), TRUE);
  g_assert_cmpstr (lk_case_list_get_assignee_filter (list), ==, "petugas");
  WAIT_UNTIL (is_settled (window) && g_list_model_get_n_items (G_LIST_MODEL (list)) == 0);

  /* Three cases assigned to this officer, synced through the server. */
  {
    g_autoptr(GPtrArray) all = store_cases (window, LK_CASE_STATE_INVALID, NULL);

    for (guint i = 0; i < 3; i++)
      {
        LkCase *kase = g_ptr_array_index (all, i * 7);
        g_autoptr(JsonObject) assign = json_object_new ();

        json_object_set_string_member (assign, "assignee", "petugas");
        lk_outbox_put (store, "case", lk_case_get_id (kase), assign, NULL, &error);
        g_assert_no_error (error);
        g_hash_table_add (mine, g_strdup (lk_case_get_id (kase)));
      }
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  WAIT_UNTIL (lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED &&
              lk_session_get_outbox_count (session) == 0);
  /* The sync brought the server's records back: the queue reloaded. */
  wait_for_ids (window, mine);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(LkCase) kase = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autoptr(LkCase) full = lk_store_get_case (store, lk_case_get_id (kase), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (lk_case_get_assignee (kase), ==, "petugas");
      g_assert_cmpstr (lk_case_get_assignee (full), ==, "petugas");
    }

  lk_queue_page_set_assigned_to_me (lk_window_get_queue_page (window), FALSE);
  g_assert_null (lk_case_list_get_assignee_filter (list));
  WAIT_UNTIL (is_settled (window) &&
              g_list_model_get_n_items (G_LIST_MODEL (list)) == lk_case_list_get_total (list));
  assert_counts (window);
}

/* ---- keyboard ------------------------------------------------------------ */

static gboolean
focus_is_in (LkWindow  *window,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The window's own shortcut for TRIGGER ("<Alt>3"), activated as a key
 * press would. */
static void
activate_shortcut (LkWindow   *window,
                   const char *trigger)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (text, trigger) == 0)
            {
              found = TRUE;
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
            }
        }
    }
  g_assert_true (found);
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas");
  LkQueuePage *page = lk_window_get_queue_page (window);
  LkCaseList *list = window_list (window);
  GtkWidget *search = GTK_WIDGET (lk_window_get_search (window));
  GtkWidget *column_view = GTK_WIDGET (lk_queue_page_get_column_view (page));
  LkCaseView *case_view = lk_window_get_case_view (window);
  g_autoptr(LkCase) second = NULL;

  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (is_settled (window) && g_list_model_get_n_items (G_LIST_MODEL (list)) > 2);

  /* Ctrl+F (win.search) focuses the search; Escape clears it and returns
   * to the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_true (focus_is_in (window, search));
  gtk_editable_set_text (GTK_EDITABLE (search), "zzzz-nothing");
  g_signal_emit_by_name (search, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_assert_true (focus_is_in (window, column_view));

  /* Enter on a row (the column view's activate) opens the case and moves
   * the focus to it. */
  WAIT_UNTIL (is_settled (window) && g_list_model_get_n_items (G_LIST_MODEL (list)) == lk_case_list_get_total (list));
  second = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_signal_emit_by_name (column_view, "activate", 1);
  g_assert_cmpuint (gtk_single_selection_get_selected (lk_window_get_selection (window)), ==, 1);
  g_assert_cmpstr (lk_case_view_get_case_id (case_view), ==, lk_case_get_id (second));
  WAIT_UNTIL (lk_case_view_get_case (case_view) != NULL);
  g_assert_true (focus_is_in (window, GTK_WIDGET (case_view)));

  /* Alt+1 … Alt+0 pick the sidebar's rows. */
  activate_shortcut (window, "<Alt>1");
  g_assert_cmpint (lk_case_list_get_state_filter (list), ==, LK_CASE_LIST_OPEN_STATES);
  activate_shortcut (window, "<Alt>4");
  g_assert_cmpint (lk_case_list_get_state_filter (list), ==, LK_CASE_STATE_VERIFYING);
  activate_shortcut (window, "<Alt>0");
  g_assert_cmpint (lk_case_list_get_state_filter (list), ==, LK_CASE_STATE_AWAITING_SIGNATURE);
  activate_shortcut (window, "<Alt>2");
  g_assert_cmpint (lk_case_list_get_state_filter (list), ==, LK_CASE_LIST_ALL_STATES);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.state-filter", "s", "incomplete"));
  g_assert_cmpint (lk_case_list_get_state_filter (list), ==, LK_CASE_STATE_INCOMPLETE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.state-filter", "s", "all"));
  g_assert_cmpint (lk_case_list_get_state_filter (list), ==, LK_CASE_LIST_ALL_STATES);

  /* Ctrl+1 shows the cases. */
  activate_shortcut (window, "<Control>1");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "cases");

  activate_shortcut (window, "<Alt>1");
  WAIT_UNTIL (is_settled (window) && lk_case_view_get_case (case_view) != NULL);
  lk_app_test_maybe_save_screenshot (GTK_WIDGET (window));
}

/* ---- pages by role ------------------------------------------------------- */

static GMenuModel *
find_primary_menu (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GMenuModel *menu = find_primary_menu (child);

      if (menu != NULL)
        return menu;
    }
  return NULL;
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas");
  GMenuModel *menu = NULL;
  gboolean has_preferences = FALSE;

  /* An officer: no Signing page. */
  g_assert_cmpint (lk_session_get_role (lk_window_get_session (window)), ==, LK_ROLE_OFFICER);
  g_assert_false (lk_window_get_signing_available (window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (lk_window_get_signing_page (window))));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-signing", NULL);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "cases");
  g_assert_nonnull (lk_signing_page_get_session (lk_window_get_signing_page (window)));

  /* The primary menu offers the preferences: first in its second section. */
  menu = find_primary_menu (GTK_WIDGET (window));
  g_assert_nonnull (menu);
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *action = NULL;

          if (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
              g_strcmp0 (action, "app.preferences") == 0)
            has_preferences = s == 1 && i == 0;
        }
    }
  g_assert_true (has_preferences);
  lk_app_test_close_all_windows (app);

  /* A signer: the page is there, and win.show-signing (Ctrl+2) shows it. */
  window = open_window (fixture->server->url, "pejabat");
  g_assert_cmpint (lk_session_get_role (lk_window_get_session (window)), ==, LK_ROLE_SIGNER);
  WAIT_UNTIL (lk_window_get_signing_available (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-signing", NULL));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "signing");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-cases", NULL));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "cases");
  activate_shortcut (window, "<Control>2");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "signing");
  /* A state filter brings the queue back. */
  activate_shortcut (window, "<Alt>1");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "cases");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  app = lk_app_test_application_new ();

  LK_APP_TEST_ADD ("/queue/sort", 200, test_sort);
  LK_APP_TEST_ADD ("/queue/filters", 300, test_filters);
  LK_APP_TEST_ADD ("/queue/counts-and-assigned", 60, test_counts_and_assigned);
  LK_APP_TEST_ADD ("/queue/keyboard", 30, test_keyboard);
  LK_APP_TEST_ADD ("/queue/pages-by-role", 10, test_pages);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
