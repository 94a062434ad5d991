/* test-review.c — the case review of the Loket window under Xvfb against a
 * real loket-server with the demo data: the requirement checklist, marking
 * a case incomplete, deciding, the letter draft, and what each role is
 * offered
 *
 * Run by run-under-xvfb.sh (a private D-Bus session and X server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "loket-test"

#include "config.h"

#include <string.h>

#include "letter/lk-letter-draft.h"
#include "store/lk-case-list.h"
#include "lk-application.h"
#include "lk-case-checklist.h"
#include "lk-test-util.h"
#include "lk-app-test-util.h"

#define N_CASES      80

static LkApplication *app;

typedef LkAppTestFixture Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  lk_app_test_fixture_start (fixture, "review", N_CASES, LK_TEST_DEMO_PASSWORD);
}

static gboolean
queue_is_loaded (LkWindow *window)
{
  GListModel *cases = lk_window_get_cases (window);
  gint64 n = lk_store_count (lk_session_get_store (lk_window_get_session (window)), LK_KIND_CASE);

  return n > 0 && g_list_model_get_n_items (cases) == (guint) n &&
         !lk_case_list_is_loading (LK_CASE_LIST (cases));
}

/* Opens the demo account USER and waits for the first sync and the queue. */
static LkWindow *
open_window (const char *url,
             const char *user,
             LkRole      role)
{
  LkWindow *window = lk_app_test_open_window (app, url, user);
  LkSession *session = lk_window_get_session (window);

  g_assert_cmpint (lk_session_get_status (session), ==, LK_SESSION_STATUS_SYNCED);
  g_assert_cmpint (lk_session_get_role (session), ==, role);
  WAIT_UNTIL (queue_is_loaded (window));
  return window;
}

static gboolean
case_view_shows (LkCaseView *case_view,
                 const char *case_id)
{
  return lk_case_view_get_case (case_view) != NULL &&
         g_strcmp0 (lk_case_get_id (lk_case_view_get_case (case_view)), case_id) == 0 &&
         lk_case_view_get_checklist (case_view) != NULL;
}

/* Selects the first case of the queue in STATE (with at least MIN_DOCS
 * attachments) and waits until it shows with its checklist. */
static char *
select_case_in_state (LkWindow    *window,
                      LkCaseState  state,
                      guint        min_docs)
{
  GListModel *cases = lk_window_get_cases (window);
  LkCaseView *case_view = lk_window_get_case_view (window);

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(LkCase) kase = g_list_model_get_item (cases, i);

      if (lk_case_get_state (kase) != state)
        continue;
      gtk_single_selection_set_selected (lk_window_get_selection (window), i);
      WAIT_UNTIL (case_view_shows (case_view, lk_case_get_id (kase)));
      if (g_list_model_get_n_items (lk_case_view_get_documents (case_view)) >= min_docs)
        return g_strdup (lk_case_get_id (kase));
    }

  g_assert_not_reached ();
  return NULL;
}

static gboolean
is_synced_and_empty (LkSession *session)
{
  return lk_session_get_status (session) == LK_SESSION_STATUS_SYNCED &&
         lk_session_get_outbox_count (session) == 0;
}

/* Waits until the local action is queued and pushed. */
static void
wait_pushed (LkWindow *window)
{
  LkCaseView *case_view = lk_window_get_case_view (window);
  LkSession *session = lk_window_get_session (window);

  WAIT_UNTIL (!lk_case_view_get_busy (case_view));
  if (lk_case_view_get_action_error (case_view) != NULL)
    g_test_message ("Action error: %s", lk_case_view_get_action_error (case_view));
  g_assert_null (lk_case_view_get_action_error (case_view));
  WAIT_UNTIL (is_synced_and_empty (session));
  g_assert_cmpint (lk_session_get_conflict_count (session), ==, 0);
}

/* What the server has now: a fresh desk of the officer pulls it all. */
static LkStore *
server_store (Fixture *fixture)
{
  return lk_app_test_pull_server_store (fixture->server->url, "petugas", fixture->tmpdir);
}

static LkCaseState
server_state (Fixture    *fixture,
              const char *case_id)
{
  g_autoptr(LkStore) store = server_store (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCase) kase = lk_store_get_case (store, case_id, &error);

  g_assert_no_error (error);
  return lk_case_get_state (kase);
}

static LkCheckItem *
check_item (LkCaseView *case_view,
            guint       item)
{
  GPtrArray *checklist = lk_case_view_get_checklist (case_view);

  g_assert_nonnull (checklist);
  g_assert_cmpuint (item, <, checklist->len);
  return g_ptr_array_index (checklist, item);
}

static const char *
document_id_at (LkCaseView *case_view,
                guint       position)
{
  g_autoptr(LkDocument) document = g_list_model_get_item (lk_case_view_get_documents (case_view), position);

  g_assert_nonnull (document);
  /* The store of the view keeps the document alive. */
  return lk_document_get_id (document);
}

static gboolean
selected_document_is (LkCaseView *case_view,
                      const char *document_id)
{
  g_autoptr(LkDocument) document = lk_case_view_get_selected_document (case_view);

  return document != NULL && g_strcmp0 (lk_document_get_id (document), document_id) == 0;
}

/* The n-th (from 0) shown button of root labelled label, depth first. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label,
             guint      *n)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_visible (child) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0 && (*n)-- == 0)
        return child;
      found = find_button (child, label, n);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The officer checks the requirements against the attachments, rejects
 * one with a reason, and marks the case incomplete with the missing
 * items: all of it reaches the server; the SLA clock pauses. */
static void
test_checklist_and_incomplete (Fixture       *fixture,
                               gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas", LK_ROLE_OFFICER);
  LkCaseView *case_view = lk_window_get_case_view (window);
  g_autoptr(LkStore) on_server = NULL;
  g_autoptr(JsonObject) mark0 = NULL;
  g_autoptr(JsonObject) mark1 = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *record0 = NULL;
  g_autofree char *record1 = NULL;
  g_autofree char *label1 = NULL;
  g_autofree char *label2 = NULL;
  g_autofree char *doc0 = NULL;
  g_autofree char *doc1 = NULL;
  LkIncompleteDialog *incomplete;
  AdwMessageDialog *reason;
  LkHistoryEntry *last;
  const char *reason_text;
  guint n_items;

  case_id = select_case_in_state (window, LK_CASE_STATE_VERIFYING, 2);
  n_items = lk_case_view_get_checklist (case_view)->len;
  g_assert_cmpuint (n_items, >=, 4);
  for (guint i = 0; i < n_items; i++)
    g_assert_cmpint (check_item (case_view, i)->status, ==, LK_CHECK_STATUS_PENDING);

  /* An officer may mark; the moves of this state are offered as buttons. */
  g_assert_true (lk_case_view_is_action_offered (case_view, "check"));
  g_assert_true (lk_case_view_is_action_offered (case_view, "case.mark-incomplete"));
  g_assert_true (lk_case_view_is_action_offered (case_view, "case.verify"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "case.approve"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "case.return-draft"));

  /* Each requirement offers the attachment named like it (demo data). */
  doc0 = g_strdup (document_id_at (case_view, 0));
  doc1 = g_strdup (document_id_at (case_view, 1));
  g_assert_cmpstr (lk_case_view_get_checklist_document (case_view, 0), ==, doc0);
  g_assert_cmpstr (lk_case_view_get_checklist_document (case_view, 1), ==, doc1);

  /* Showing a requirement's document selects it for the preview. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.show-document", "s", doc1));
  g_assert_true (selected_document_is (case_view, doc1));

  /* Verify requirement 1 against its attachment. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.check", "(usss)",
                                             0, "verified", "", doc0));
  wait_pushed (window);
  WAIT_UNTIL (check_item (case_view, 0)->status == LK_CHECK_STATUS_VERIFIED);
  g_assert_cmpstr (check_item (case_view, 0)->document_id, ==, doc0);

  /* Rejecting asks why first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.check", "(usss)",
                                             1, "rejected", "", doc1));
  reason = lk_case_view_get_reason_dialog (case_view);
  g_assert_nonnull (reason);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
  g_assert_false (adw_message_dialog_get_response_enabled (reason, "move"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (reason)), "The scan is unreadable");
  g_assert_true (adw_message_dialog_get_response_enabled (reason, "move"));
  adw_message_dialog_response (reason, "move");
  wait_pushed (window);
  WAIT_UNTIL (check_item (case_view, 1)->status == LK_CHECK_STATUS_REJECTED);
  g_assert_cmpstr (check_item (case_view, 1)->reason, ==, "The scan is unreadable");

  /* The marks are on the server, with the document and the reason. */
  on_server = server_store (fixture);
  record0 = g_strdup_printf ("%s:0", case_id);
  record1 = g_strdup_printf ("%s:1", case_id);
  mark0 = lk_store_get_json (on_server, LK_KIND_CHECKLIST, record0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mark0);
  g_assert_cmpstr (json_object_get_string_member (mark0, "status"), ==, "verified");
  g_assert_cmpstr (json_object_get_string_member (mark0, "document_id"), ==, doc0);
  g_assert_cmpstr (json_object_get_string_member (mark0, "actor"), ==, "petugas");
  mark1 = lk_store_get_json (on_server, LK_KIND_CHECKLIST, record1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mark1);
  g_assert_cmpstr (json_object_get_string_member (mark1, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (mark1, "reason"), ==, "The scan is unreadable");
  g_assert_cmpstr (json_object_get_string_member (mark1, "document_id"), ==, doc1);
  g_clear_object (&on_server);

  /* The row's own Verify button marks its requirement. */
  {
    g_autofree char *chosen = g_strdup (lk_case_view_get_checklist_document (case_view, 3));
    guint n = 3;
    GtkWidget *verify = find_button (GTK_WIDGET (case_view), "Verify", &n);

    g_assert_nonnull (verify);
    g_assert_true (gtk_widget_is_sensitive (verify));
    g_signal_emit_by_name (verify, "clicked");
    wait_pushed (window);
    WAIT_UNTIL (check_item (case_view, 3)->status == LK_CHECK_STATUS_VERIFIED);
    g_assert_cmpstr (check_item (case_view, 3)->document_id, ==, chosen);
  }
  lk_app_test_maybe_save_screenshot (GTK_WIDGET (window));

  /* Mark incomplete: the rejected item is ticked already; tick another. */
  label1 = g_strdup (check_item (case_view, 1)->label);
  label2 = g_strdup (check_item (case_view, 2)->label);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.mark-incomplete", NULL));
  incomplete = lk_case_view_get_incomplete_dialog (case_view);
  g_assert_nonnull (incomplete);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (incomplete)));
  g_assert_cmpuint (lk_incomplete_dialog_get_n_items (incomplete), ==, n_items);
  g_assert_false (lk_incomplete_dialog_get_ticked (incomplete, 0));
  g_assert_true (lk_incomplete_dialog_get_ticked (incomplete, 1));
  g_assert_false (lk_incomplete_dialog_get_ticked (incomplete, 2));
  lk_incomplete_dialog_set_ticked (incomplete, 2, TRUE);
  lk_incomplete_dialog_set_message (incomplete, "Please upload both again by Friday.");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (incomplete), "mark"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (incomplete), "mark");
  wait_pushed (window);
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_INCOMPLETE);

  /* On the server: incomplete, and the reason lists the items and the message. */
  on_server = server_store (fixture);
  {
    g_autoptr(LkCase) kase = lk_store_get_case (on_server, case_id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (lk_case_get_state (kase), ==, LK_CASE_STATE_INCOMPLETE);
  }
  history = lk_store_list_history (on_server, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >, 0);
  last = g_ptr_array_index (history, history->len - 1);
  g_assert_cmpint (lk_history_entry_get_to_state (last), ==, LK_CASE_STATE_INCOMPLETE);
  reason_text = lk_history_entry_get_reason (last);
  g_test_message ("Reason sent: %s", reason_text);
  g_assert_nonnull (strstr (reason_text, label1));
  g_assert_nonnull (strstr (reason_text, "The scan is unreadable"));
  g_assert_nonnull (strstr (reason_text, label2));
  g_assert_nonnull (strstr (reason_text, "Please upload both again by Friday."));
  g_assert_null (strstr (reason_text, check_item (case_view, 0)->label));
  g_assert_null (strstr (reason_text, check_item (case_view, 3)->label));

  /* The SLA clock waits for the citizen. */
  g_test_message ("SLA: %s", lk_case_view_get_sla_text (case_view));
  g_assert_true (g_str_has_prefix (lk_case_view_get_sla_text (case_view),
                                   "Paused — waiting for the citizen since "));

  /* Now the officer may resume, not verify. */
  g_assert_true (lk_case_view_is_action_offered (case_view, "start-verification"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "verify"));
}

/* The first descendant of root that is actionable with action_name. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      found = find_actionable (child, action_name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether Tab, pressed a few times from the start of VIEW, reaches WIDGET. */
static gboolean
tab_reaches (GtkWidget *view,
             GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (view);

  gtk_root_set_focus (root, NULL);
  if (!gtk_widget_child_focus (view, GTK_DIR_TAB_FORWARD))
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (gtk_root_get_focus (root) == widget)
        return TRUE;
      gtk_widget_child_focus (GTK_WIDGET (root), GTK_DIR_TAB_FORWARD);
    }
  return FALSE;
}

/* verified → approved through the buttons' actions, and the primary
 * action (Ctrl+Return) is the usual next step. */
static void
test_decide (Fixture       *fixture,
             gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas", LK_ROLE_OFFICER);
  LkCaseView *case_view = lk_window_get_case_view (window);
  g_autofree char *case_id = NULL;
  g_autofree char *primary = NULL;

  case_id = select_case_in_state (window, LK_CASE_STATE_VERIFIED, 1);
  g_assert_true (lk_case_view_is_action_offered (case_view, "approve"));
  g_assert_true (lk_case_view_is_action_offered (case_view, "reject"));
  g_assert_true (lk_case_view_is_action_offered (case_view, "send-to-inspection"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "prepare-letter"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "forward-to-signer"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "return-draft"));
  primary = lk_case_view_get_primary_action (case_view);
  g_assert_cmpstr (primary, ==, "case.approve");

  /* A labelled button with a mnemonic, styled as the suggested action, and
   * reachable with Tab. */
  {
    GtkWidget *approve = find_actionable (GTK_WIDGET (case_view), "case.approve");

    g_assert_nonnull (approve);
    g_assert_true (gtk_widget_is_visible (approve));
    g_assert_true (gtk_widget_is_sensitive (approve));
    g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (approve)));
    g_assert_nonnull (strchr (gtk_button_get_label (GTK_BUTTON (approve)), '_'));
    g_assert_true (gtk_widget_has_css_class (approve, "suggested-action"));
    g_assert_true (tab_reaches (GTK_WIDGET (case_view), approve));
    g_assert_false (gtk_widget_is_visible (find_actionable (GTK_WIDGET (case_view), "case.return-draft")));
  }

  /* A disabled action does nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.forward-to-signer", NULL));
  g_assert_false (lk_case_view_get_busy (case_view));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.primary", NULL));
  wait_pushed (window);
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_APPROVED);
  g_assert_cmpint (server_state (fixture, case_id), ==, LK_CASE_STATE_APPROVED);

  /* Next: the letter, not yet the signer (no draft). */
  g_assert_true (lk_case_view_is_action_offered (case_view, "prepare-letter"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "approve"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "check"));

  /* Reject asks the reason (a submitted case: start verifying first). */
  case_id = (g_free (case_id), select_case_in_state (window, LK_CASE_STATE_SUBMITTED, 1));
  g_clear_pointer (&primary, g_free);
  primary = lk_case_view_get_primary_action (case_view);
  g_assert_cmpstr (primary, ==, "case.start-verification");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.start-verification", NULL));
  wait_pushed (window);
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_VERIFYING);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.verify", NULL));
  wait_pushed (window);
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_VERIFIED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.reject", NULL));
  g_assert_nonnull (lk_case_view_get_reason_dialog (case_view));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (lk_case_view_get_reason_dialog (case_view))),
                         "Outside the service area");
  adw_message_dialog_response (lk_case_view_get_reason_dialog (case_view), "move");
  wait_pushed (window);
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_REJECTED);
  g_assert_cmpint (server_state (fixture, case_id), ==, LK_CASE_STATE_REJECTED);
}

/* approved → the letter draft (shown in the preview) → forwarded to the
 * signer. Needs lk_session_prepare_letter_async. */
static void
test_letter (Fixture       *fixture,
             gconstpointer  data)
{
  LkWindow *window = open_window (fixture->server->url, "petugas", LK_ROLE_OFFICER);
  LkCaseView *case_view = lk_window_get_case_view (window);
  LkPdfView *pdf_view = lk_case_view_get_pdf_view (case_view);
  g_autoptr(LkDocument) draft = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *primary = NULL;
  guint n_docs;

  case_id = select_case_in_state (window, LK_CASE_STATE_APPROVED, 1);
  n_docs = g_list_model_get_n_items (lk_case_view_get_documents (case_view));
  g_assert_true (lk_case_view_is_action_offered (case_view, "prepare-letter"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.prepare-letter", NULL));
  wait_pushed (window);

  /* The new draft is an attachment, selected and previewed. */
  WAIT_UNTIL (g_list_model_get_n_items (lk_case_view_get_documents (case_view)) == n_docs + 1);
  draft = lk_case_view_get_selected_document (case_view);
  g_assert_nonnull (draft);
  g_assert_true (lk_letter_draft_is_draft_name (lk_document_get_name (draft)));
  WAIT_UNTIL (lk_pdf_view_get_rendered_page (pdf_view) == 0 || lk_pdf_view_get_error (pdf_view) != NULL);
  g_assert_null (lk_pdf_view_get_error (pdf_view));

  /* With the draft, forwarding it is the next step. */
  g_assert_true (lk_case_view_is_action_offered (case_view, "forward-to-signer"));
  primary = lk_case_view_get_primary_action (case_view);
  g_assert_cmpstr (primary, ==, "case.forward-to-signer");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.forward-to-signer", NULL));
  wait_pushed (window);
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_AWAITING_SIGNATURE);
  g_assert_cmpint (server_state (fixture, case_id), ==, LK_CASE_STATE_AWAITING_SIGNATURE);
}

/* An officer is not offered the signer's moves; a signer is not offered
 * the officer's, and may return a draft with a reason. */
static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const officer_actions[] = {
    "start-verification", "mark-incomplete", "verify", "send-to-inspection", "approve", "reject",
    "prepare-letter", "forward-to-signer", "check",
  };
  LkWindow *window = open_window (fixture->server->url, "petugas", LK_ROLE_OFFICER);
  LkCaseView *case_view = lk_window_get_case_view (window);
  g_autofree char *case_id = NULL;
  g_autofree char *primary = NULL;
  AdwMessageDialog *reason;

  case_id = select_case_in_state (window, LK_CASE_STATE_AWAITING_SIGNATURE, 1);
  g_assert_false (lk_case_view_is_action_offered (case_view, "return-draft"));
  g_assert_false (lk_case_view_is_action_offered (case_view, "check"));
  for (guint i = 0; i < G_N_ELEMENTS (officer_actions); i++)
    g_assert_false (lk_case_view_is_action_offered (case_view, officer_actions[i]));
  lk_app_test_close_all_windows (app);
  g_clear_pointer (&case_id, g_free);

  window = open_window (fixture->server->url, "pejabat", LK_ROLE_SIGNER);
  case_view = lk_window_get_case_view (window);
  case_id = select_case_in_state (window, LK_CASE_STATE_VERIFYING, 1);
  for (guint i = 0; i < G_N_ELEMENTS (officer_actions); i++)
    g_assert_false (lk_case_view_is_action_offered (case_view, officer_actions[i]));
  g_assert_null (lk_case_view_get_primary_action (case_view));
  g_clear_pointer (&case_id, g_free);

  case_id = select_case_in_state (window, LK_CASE_STATE_AWAITING_SIGNATURE, 1);
  for (guint i = 0; i < G_N_ELEMENTS (officer_actions); i++)
    g_assert_false (lk_case_view_is_action_offered (case_view, officer_actions[i]));
  g_assert_true (lk_case_view_is_action_offered (case_view, "return-draft"));
  primary = lk_case_view_get_primary_action (case_view);
  g_assert_null (primary);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (case_view), "case.return-draft", NULL));
  reason = lk_case_view_get_reason_dialog (case_view);
  g_assert_nonnull (reason);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (reason)), "The date is wrong");
  adw_message_dialog_response (reason, "move");
  wait_pushed (window);
  WAIT_UNTIL (lk_case_get_state (lk_case_view_get_case (case_view)) == LK_CASE_STATE_VERIFIED);
  g_assert_cmpint (server_state (fixture, case_id), ==, LK_CASE_STATE_VERIFIED);
  g_assert_false (lk_case_view_is_action_offered (case_view, "return-draft"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  lk_app_test_init (&argc, &argv);

  app = lk_app_test_application_new ();

  g_test_add ("/review/checklist-and-incomplete", Fixture, NULL,
              fixture_set_up, test_checklist_and_incomplete, lk_app_test_fixture_tear_down);
  g_test_add ("/review/decide", Fixture, NULL,
              fixture_set_up, test_decide, lk_app_test_fixture_tear_down);
  g_test_add ("/review/roles", Fixture, NULL,
              fixture_set_up, test_roles, lk_app_test_fixture_tear_down);
  g_test_add ("/review/letter", Fixture, NULL,
              fixture_set_up, test_letter, lk_app_test_fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
