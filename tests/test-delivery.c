/* test-delivery.c — the whole story of a letter with real parts: a SoftHSM2
 * token and a CA, loket-server trusting the CA and mailing through a real
 * SMTP sink on loopback, and loketctl as the officer and the signer
 *
 * A case goes to awaiting_signature, `loketctl letter draft` renders its
 * letter with a number, `loketctl letter sign` signs it (once with a wrong
 * PIN: nothing signed), the server mails it; the mail's PDF verifies with
 * poppler's pdfsig and `loketctl verify`, its QR code (pdftoppm + zbarimg)
 * is the /v/ID URL under --public-url, /v/ID says valid, and `letter show`
 * says delivered. A second case's address is refused by the sink (550):
 * `letter show` says failed, with the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lk-account.h"
#include "letter/lk-letter-template.h"
#include "store/lk-store.h"

#include "lk-test-smtp.h"
#include "lk-test-token.h"
#include "lk-test-util.h"

#define SEED_CASES     80
#define GOOD_ADDRESS   "warga.penerima@contoh.example"
#define BAD_ADDRESS    "tidak.ada@contoh.example"
#define PIN_VARIABLE   "LK_TEST_DELIVERY_PIN"
#define WAIT_SECONDS   150    /* the longest wait for a mail or a delivery state */

static LkTestToken  *token;
static LkTestSmtp   *smtp;
static LkTestServer *server;
static char         *work_dir;
static char         *maildir;
static char         *public_url;   /* http://localhost:PORT: not the listening URL */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Runs loketctl ARGS… (NULL-terminated) with the test's dirs, the demo
 * password and, when PIN is set, PIN in $PIN_VARIABLE. Returns its exit
 * status; OUT and ERR (nullable) receive what it printed. */
static int
run_ctl (const char  *pin,
         char       **out,
         char       **err,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *bin = g_getenv ("LOKET_CTL_BIN");
  const char *arg;
  va_list args;
  int status;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (char *) bin);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* GLib isolates this process's dirs without exporting them. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LOKET_PASSWORD", LK_TEST_DEMO_PASSWORD, TRUE);
  if (pin != NULL)
    g_subprocess_launcher_setenv (launcher, PIN_VARIABLE, pin, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, PIN_VARIABLE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  status = g_subprocess_get_exit_status (process);

  {
    g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata + 1);

    g_test_message ("loketctl %s → %d\n%s%s", line, status, stdout_text, stderr_text);
  }
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return status;
}

/* Runs a tool; asserts it exits 0 and returns its output. */
static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  if (!lk_test_run (argv, NULL, &out, &error))
    g_test_message ("%s failed: %s", argv[0], error->message);
  g_assert_no_error (error);
  return out;
}

/* The receipts `loketctl cases list --state STATE` prints. */
static GPtrArray *
receipts_in_state (const char *state)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *receipts = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (run_ctl (NULL, &out, NULL, "cases", "list", "--state", state, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 3);

      if (g_strv_length (fields) >= 2 && g_str_equal (fields[1], state))
        g_ptr_array_add (receipts, g_strdup (fields[0]));
    }
  return receipts;
}

/* Sets the case's email through POST /api/v1/ops as petugas. */
static void
set_email (const char *receipt,
           const char *address)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = lk_account_store_path (server->url, "petugas", &error);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkCase) kase = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autofree char *body = NULL;
  g_autofree char *op_id = g_uuid_string_random ();
  JsonArray *results;

  g_assert_no_error (error);
  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  kase = lk_store_find_case_by_receipt (store, receipt, &error);
  g_assert_no_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ops");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, op_id);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, "put");
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "case");
  json_builder_set_member_name (builder, "record");
  json_builder_add_string_value (builder, lk_case_get_id (kase));
  json_builder_set_member_name (builder, "base");
  json_builder_add_int_value (builder, lk_case_get_version (kase));
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, address);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  reply = lk_test_http_json (server->url, "POST", "/api/v1/ops", bearer, body);
  g_assert_cmpuint (reply->status, ==, 200);
  answer = lk_test_reply_json (reply);
  results = json_object_get_array_member (json_node_get_object (answer), "results");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "status"),
                   ==, "applied");
}

/* `loketctl letter show --json RECEIPT` as USER, parsed. */
static JsonObject *
show_letter (const char *user,
             const char *receipt)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_ctl (NULL, &out, NULL, "letter", "show", "--server", server->url, "--user", user,
                            "--json", receipt, NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Polls `letter show` until the letter's delivery is WANTED. */
static JsonObject *
wait_delivery (const char *receipt,
               const char *wanted)
{
  gint64 end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JsonObject) shown = show_letter ("petugas", receipt);
      const char *delivery = json_object_get_string_member_with_default (shown, "delivery", NULL);

      if (g_strcmp0 (delivery, wanted) == 0)
        return g_steal_pointer (&shown);
      if (g_get_monotonic_time () > end)
        {
          g_test_message ("%s: delivery %s, not %s", receipt, delivery, wanted);
          g_assert_cmpstr (delivery, ==, wanted);
        }
      g_usleep (G_USEC_PER_SEC / 2);
    }
}

/* The message to ADDRESS in the sink's maildir, waited for. */
static LkTestMail *
wait_mail (const char *address)
{
  gint64 end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) mails = lk_test_smtp_list (maildir);

      for (guint i = 0; mails != NULL && i < mails->len; i++)
        {
          LkTestMail *mail = g_ptr_array_index (mails, i);

          if (mail->rcpt_to != NULL && strstr (mail->rcpt_to, address) != NULL)
            return g_ptr_array_steal_index (mails, i);
        }
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (G_USEC_PER_SEC / 5);
    }
}

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static void
test_story (void)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(JsonObject) drafted = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) failed = NULL;
  g_autoptr(LkTestMail) mail = NULL;
  g_autoptr(LkLetterInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTestReply) page = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *pdf = work_path ("delivered.pdf");
  g_autofree char *png = work_path ("page");
  g_autofree char *png_file = work_path ("page.png");
  g_autofree char *nss = work_path ("nss");
  g_autofree char *nss_db = g_strconcat ("sql:", nss, NULL);
  g_autofree char *verify_url = NULL;
  g_autofree char *v_path = NULL;
  g_autofree char *number = NULL;
  g_autofree char *letter_id = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *pdfsig = NULL;
  const char *module = lk_test_token_module_path ();
  g_auto(GStrv) qr_lines = NULL;
  guint qr_hits = 0;

  /* The officer's desk: two cases that may go to awaiting_signature. */
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "sync", "--server", server->url, "--user", "petugas", NULL), ==, 0);
  candidates = receipts_in_state ("approved");
  more = receipts_in_state ("rejected");
  for (guint i = 0; i < more->len; i++)
    g_ptr_array_add (candidates, g_strdup (g_ptr_array_index (more, i)));
  g_assert_cmpuint (candidates->len, >=, 2);
  good = g_strdup (g_ptr_array_index (candidates, 0));
  bad = g_strdup (g_ptr_array_index (candidates, 1));

  set_email (good, GOOD_ADDRESS);
  set_email (bad, BAD_ADDRESS);
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "sync", "--server", server->url, "--user", "petugas", NULL), ==, 0);
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "case", "transition", good, "awaiting_signature", NULL), ==, 0);
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "case", "transition", bad, "awaiting_signature", NULL), ==, 0);

  /* The drafts: a number from the server, a letter id, the template. */
  g_assert_cmpint (run_ctl (NULL, &out, NULL, "letter", "draft", "--server", server->url, "--user", "petugas",
                            good, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, good));
  g_assert_nonnull (strstr (out, "/v/"));
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "letter", "draft", "--server", server->url, "--user", "petugas",
                            bad, NULL), ==, 0);
  drafted = show_letter ("petugas", good);
  g_assert_cmpstr (json_object_get_string_member (drafted, "state"), ==, "awaiting_signature");
  g_assert_cmpstr (json_object_get_string_member (drafted, "status"), ==, "draft");
  number = g_strdup (json_object_get_string_member (drafted, "number"));
  letter_id = g_strdup (json_object_get_string_member (drafted, "letter"));
  g_assert_nonnull (number);
  g_assert_true (lk_letter_id_is_valid (letter_id));
  verify_url = lk_letter_verify_url (public_url, letter_id);
  g_assert_cmpstr (json_object_get_string_member (drafted, "verify_url"), ==, verify_url);

  /* Before the admin registers the signer's certificate the server
   * refuses the signed letter: the line says why, the exit status is 1. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_ctl (LK_TEST_TOKEN_PIN, &out, NULL, "letter", "sign", "--server", server->url,
                            "--user", "pejabat", "--key", token->rsa_key_url, "--module", module,
                            "--pin-env", PIN_VARIABLE, good, NULL), ==, 1);
  {
    g_autofree char *prefix = g_strdup_printf ("%s: error: the server refused it: ", good);

    g_assert_true (g_str_has_prefix (out, prefix));
  }
  {
    g_autoptr(JsonObject) still = show_letter ("pejabat", good);

    g_assert_cmpstr (json_object_get_string_member (still, "state"), ==, "awaiting_signature");
    g_assert_cmpstr (json_object_get_string_member (still, "status"), ==, "draft");
  }

  /* The admin registers the signer's certificate. */
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "admin", "register-cert", "--server", server->url, "--user", "admin",
                            "pejabat", token->rsa_cert_pem, NULL), ==, 0);

  /* A wrong PIN: a clear error, nothing signed. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_ctl ("999999", &out, &err, "letter", "sign", "--server", server->url, "--user", "pejabat",
                            "--key", token->rsa_key_url, "--module", module, "--pin-env", PIN_VARIABLE,
                            good, bad, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "rejected the PIN"));
  g_assert_nonnull (strstr (err, "no letter was signed"));
  g_assert_null (strstr (out, "signed"));
  {
    g_autoptr(JsonObject) still = show_letter ("pejabat", good);

    g_assert_cmpstr (json_object_get_string_member (still, "state"), ==, "awaiting_signature");
  }

  /* One login signs both; the server registers and mails them. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_ctl (LK_TEST_TOKEN_PIN, &out, NULL, "letter", "sign", "--server", server->url,
                            "--user", "pejabat", "--key", token->rsa_key_url, "--module", module,
                            "--pin-env", PIN_VARIABLE, good, bad, NULL), ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("%s: signed %s, %s\n", good, number, verify_url);

    g_assert_nonnull (strstr (out, line));
  }
  g_assert_nonnull (strstr (out, bad));

  /* The mail, its PDF and what it says of itself. */
  mail = wait_mail (GOOD_ADDRESS);
  g_assert_nonnull (mail->attachment);
  g_assert_cmpstr (mail->attachment_type, ==, "application/pdf");
  g_assert_nonnull (strstr (mail->subject, number));
  g_assert_nonnull (strstr (mail->text, verify_url));
  g_assert_true (g_file_set_contents (pdf, g_bytes_get_data (mail->attachment, NULL),
                                      (gssize) g_bytes_get_size (mail->attachment), &error));
  g_assert_no_error (error);
  info = lk_letter_read_info_file (pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->letter_id, ==, letter_id);
  g_assert_cmpstr (info->number, ==, number);

  /* poppler's pdfsig, trusting the CA in a fresh NSS database. */
  g_assert_cmpint (g_mkdir (nss, 0700), ==, 0);
  {
    const char *init[] = { "certutil", "-N", "-d", nss_db, "--empty-password", NULL };
    const char *add[] = { "certutil", "-A", "-d", nss_db, "-n", "ca", "-t", "CT,C,C", "-i", token->ca_pem, NULL };
    const char *check[] = { "pdfsig", "-nssdir", nss_db, pdf, NULL };
    g_autofree char *o1 = run_tool (init);
    g_autofree char *o2 = run_tool (add);

    pdfsig = run_tool (check);
  }
  g_test_message ("pdfsig:\n%s", pdfsig);
  g_assert_nonnull (strstr (pdfsig, "Signature is Valid"));
  g_assert_nonnull (strstr (pdfsig, "Certificate is Trusted"));
  g_assert_nonnull (strstr (pdfsig, "Total document signed"));

  /* Loket's own verifier. */
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "verify", "--trust", token->ca_pem, pdf, NULL), ==, 0);

  /* The QR codes on the page lead to /v/ID under --public-url. */
  {
    const char *render[] = { "pdftoppm", "-r", "200", "-png", "-singlefile", "-f", "1", pdf, png, NULL };
    const char *scan[] = { "zbarimg", "--raw", "-q", png_file, NULL };
    g_autofree char *o = run_tool (render);

    qr = run_tool (scan);
  }
  qr_lines = g_strsplit (g_strstrip (qr), "\n", -1);
  for (guint i = 0; qr_lines[i] != NULL; i++)
    {
      g_assert_cmpstr (qr_lines[i], ==, verify_url);
      qr_hits++;
    }
  g_assert_cmpuint (qr_hits, >=, 1);

  /* The public page says valid. */
  v_path = g_strdup_printf ("/v/%s", letter_id);
  page = lk_test_http (server->url, "GET", v_path, NULL, NULL, 0, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (lk_test_reply_text (page), number));
  {
    g_autofree char *lower = g_ascii_strdown (lk_test_reply_text (page), -1);

    g_assert_nonnull (strstr (lower, "valid"));
    g_assert_null (strstr (lower, "revoked"));
  }

  /* The desk sees the delivery, and the refused address with its reason. */
  shown = wait_delivery (good, "delivered");
  g_assert_cmpstr (json_object_get_string_member (shown, "state"), ==, "delivered");
  g_assert_cmpstr (json_object_get_string_member (shown, "status"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (shown, "number"), ==, number);
  failed = wait_delivery (bad, "failed");
  g_assert_nonnull (json_object_get_string_member_with_default (failed, "delivery_error", NULL));
  g_assert_nonnull (strstr (json_object_get_string_member (failed, "delivery_error"), "550"));
  g_assert_cmpstr (json_object_get_string_member (failed, "state"), ==, "signed");

  /* The plain output says the same. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_ctl (NULL, &out, NULL, "letter", "show", good, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "delivery\tdelivered\n"));
  {
    g_autofree char *line = g_strdup_printf ("verify\t%s\n", verify_url);

    g_assert_nonnull (strstr (out, line));
  }
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_ctl (NULL, &out, NULL, "letter", "show", bad, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "delivery\tfailed ("));
}

/* The demo seed's drafts carry numbers issued for their cases and letter
 * ids: the signer signs one as it is, and the server accepts the number
 * (lk_server_numbers_use) and delivers it. The seed stores a template per
 * service type too (each one parses). */
static void
test_seeded_draft (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) draft = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autofree char *out = NULL;
  g_autofree char *receipts_out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *receipt = NULL;
  g_auto(GStrv) lines = NULL;
  const char *module = lk_test_token_module_path ();

  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "admin", "register-cert", "--server", server->url, "--user", "admin",
                            "pejabat", token->rsa_cert_pem, NULL), ==, 0);
  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "sync", "--server", server->url, "--user", "pejabat", NULL), ==, 0);
  g_assert_cmpint (run_ctl (NULL, &receipts_out, NULL, "cases", "list", "--server", server->url, "--user", "pejabat",
                            "--state", "awaiting_signature", NULL), ==, 0);
  lines = g_strsplit (receipts_out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && receipt == NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 3);
      g_autoptr(JsonObject) shown = NULL;

      if (g_strv_length (fields) < 2)
        continue;
      shown = show_letter ("pejabat", fields[0]);
      if (g_strcmp0 (json_object_get_string_member_with_default (shown, "status", NULL), "draft") == 0)
        receipt = g_strdup (fields[0]);
    }
  g_assert_nonnull (receipt);

  /* Six demo service types, six templates, synced to the desk. */
  path = lk_account_store_path (server->url, "pejabat", &error);
  g_assert_no_error (error);
  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) types = lk_store_list_service_types (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (types->len, ==, 6);
    for (guint i = 0; i < types->len; i++)
      {
        LkServiceType *type = g_ptr_array_index (types, i);
        g_autoptr(JsonObject) template = lk_store_get_json (store, LK_KIND_TEMPLATE,
                                                            lk_service_type_get_id (type), NULL);
        g_autoptr(LkLetterTemplate) parsed = NULL;

        g_assert_nonnull (template);
        parsed = lk_letter_template_parse (json_object_get_string_member (template, "body"), -1, &error);
        g_assert_no_error (error);
      }
  }
  g_clear_object (&store);

  draft = show_letter ("pejabat", receipt);
  g_assert_nonnull (json_object_get_string_member (draft, "number"));
  g_assert_true (lk_letter_id_is_valid (json_object_get_string_member (draft, "letter")));

  g_assert_cmpint (run_ctl (LK_TEST_TOKEN_PIN, &out, NULL, "letter", "sign", "--server", server->url,
                            "--user", "pejabat", "--key", token->rsa_key_url, "--module", module,
                            "--pin-env", PIN_VARIABLE, receipt, NULL), ==, 0);
  done = wait_delivery (receipt, "delivered");
  g_assert_cmpstr (json_object_get_string_member (done, "number"), ==,
                   json_object_get_string_member (draft, "number"));
  g_assert_cmpstr (json_object_get_string_member (done, "letter"), ==,
                   json_object_get_string_member (draft, "letter"));
  g_assert_cmpstr (json_object_get_string_member (done, "status"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (done, "state"), ==, "delivered");
}

/* A receipt whose newest letter is valid, as the admin sees it (the
 * letters /delivery/story and /delivery/seeded-draft signed). */
static char *
valid_letter_receipt (void)
{
  const char *states[] = { "delivered", "signed" };

  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (run_ctl (NULL, &out, NULL, "cases", "list", "--server", server->url, "--user", "admin",
                                "--state", states[s], NULL), ==, 0);
      lines = g_strsplit (out, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 3);
          g_autoptr(JsonObject) shown = NULL;

          if (g_strv_length (fields) < 2)
            continue;
          shown = show_letter ("admin", fields[0]);
          if (g_strcmp0 (json_object_get_string_member_with_default (shown, "status", NULL), "valid") == 0)
            return g_strdup (fields[0]);
        }
    }
  return NULL;
}

/* The admin revokes a signed letter: `letter show` and /v/ID say so; an
 * officer may not; a letter is revoked once. */
static void
test_revoke (void)
{
  g_autofree char *receipt = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *v_path = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(LkTestReply) page = NULL;
  const char *reason = "Diterbitkan untuk pemohon yang salah";

  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "sync", "--server", server->url, "--user", "admin", NULL), ==, 0);
  receipt = valid_letter_receipt ();
  g_assert_nonnull (receipt);
  before = show_letter ("admin", receipt);

  /* No reason, or an officer: refused before anything is sent. */
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "letter", "revoke", "--server", server->url, "--user", "admin",
                            "--reason", "   ", receipt, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--reason"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "letter", "revoke", "--server", server->url, "--user", "petugas",
                            "--reason", reason, receipt, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Only administrators"));
  g_clear_pointer (&err, g_free);
  {
    g_autoptr(JsonObject) still = show_letter ("admin", receipt);

    g_assert_cmpstr (json_object_get_string_member (still, "status"), ==, "valid");
  }

  g_assert_cmpint (run_ctl (NULL, &out, NULL, "letter", "revoke", "--server", server->url, "--user", "admin",
                            "--reason", reason, receipt, NULL), ==, 0);
  line = g_strdup_printf ("status\trevoked (%s)\n", reason);
  g_assert_nonnull (strstr (out, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("letter\t%s\n", json_object_get_string_member (before, "letter"));
  g_assert_nonnull (strstr (out, line));

  after = show_letter ("admin", receipt);
  g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "revoked");
  g_assert_cmpstr (json_object_get_string_member (after, "status_reason"), ==, reason);
  g_assert_cmpstr (json_object_get_string_member (after, "letter"), ==,
                   json_object_get_string_member (before, "letter"));

  v_path = g_strdup_printf ("/v/%s", json_object_get_string_member (before, "letter"));
  page = lk_test_http (server->url, "GET", v_path, NULL, NULL, 0, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (lk_test_reply_text (page), "DICABUT"));
  g_assert_nonnull (strstr (lk_test_reply_text (page), reason));

  /* Once only: the case has no valid letter left. */
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "letter", "revoke", "--server", server->url, "--user", "admin",
                            "--reason", reason, receipt, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no valid letter"));
}

/* A number issued for a case (POST /api/v1/numbers as the officer) and the
 * codes of its series, from the officer's store. */
static char *
issue_number (char **out_receipt,
              char **out_service_code,
              char **out_unit_code,
              char **out_year)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = lk_account_store_path (server->url, "petugas", &error);
  g_autofree char *bearer = lk_test_sign_in (server->url, "petugas", LK_TEST_DEMO_PASSWORD);
  g_autofree char *body = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(LkTestReply) reply = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) unit = NULL;
  g_autoptr(LkCase) kase = NULL;
  JsonObject *object;

  g_assert_cmpint (run_ctl (NULL, NULL, NULL, "sync", "--server", server->url, "--user", "petugas", NULL), ==, 0);
  g_assert_no_error (error);
  store = lk_store_open (path, LK_STORE_KIND_CLIENT, &error);
  g_assert_no_error (error);
  cases = lk_store_query_cases (store, LK_CASE_STATE_SUBMITTED, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, >, 0);
  kase = lk_store_get_case (store, lk_case_get_id (g_ptr_array_index (cases, 0)), &error);
  g_assert_no_error (error);

  body = g_strdup_printf ("{\"case_id\": \"%s\"}", lk_case_get_id (kase));
  reply = lk_test_http_json (server->url, "POST", "/api/v1/numbers", bearer, body);
  g_test_message ("POST /numbers → %u %s", reply->status, lk_test_reply_text (reply));
  g_assert_cmpuint (reply->status, ==, 200);
  answer = lk_test_reply_json (reply);
  object = json_node_get_object (answer);

  types = lk_store_list_service_types (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < types->len; i++)
    if (g_strcmp0 (lk_service_type_get_id (g_ptr_array_index (types, i)), lk_case_get_service_type_id (kase)) == 0)
      *out_service_code = g_strdup (lk_service_type_get_code (g_ptr_array_index (types, i)));
  g_assert_nonnull (*out_service_code);
  unit = lk_store_get_json (store, LK_KIND_UNIT, lk_case_get_unit (kase), &error);
  g_assert_no_error (error);
  *out_unit_code = g_strdup (json_object_get_string_member (unit, "code"));
  *out_year = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (object, "year"));
  *out_receipt = g_strdup (lk_case_get_receipt (kase));
  return g_strdup (json_object_get_string_member (object, "number"));
}

/* The admin voids an unused number with a reason: the register lists it
 * voided with the reason; a used number is refused with the server's
 * sentence. */
static void
test_numbers_void (void)
{
  g_autofree char *number = NULL;
  g_autofree char *receipt = NULL;
  g_autofree char *service = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *year = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;
  g_autofree char *used = NULL;
  g_auto(GStrv) lines = NULL;
  const char *reason = "Draf dibuang: data pemohon salah";
  gboolean listed = FALSE;

  number = issue_number (&receipt, &service, &unit, &year);
  g_assert_nonnull (number);

  g_assert_cmpint (run_ctl (NULL, NULL, &err, "numbers", "void", "--server", server->url, "--user", "admin",
                            number, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, &out, NULL, "numbers", "void", "--server", server->url, "--user", "admin",
                            "--reason", reason, number, NULL), ==, 0);
  line = g_strdup_printf ("%s\tvoided\n", number);
  g_assert_cmpstr (out, ==, line);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_ctl (NULL, &out, NULL, "numbers", "list", "--server", server->url, "--user", "admin",
                            "--service", service, "--unit", unit, "--year", year, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (fields) != 5)
        continue;
      if (!g_str_equal (fields[1], number))
        continue;
      g_assert_cmpstr (fields[2], ==, "voided");
      g_assert_cmpstr (fields[4], ==, reason);
      g_assert_cmpstr (fields[3], ==, receipt);
      listed = TRUE;
    }
  g_assert_true (listed);

  /* Voided twice, or a number a signed letter carries: the server says why. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "numbers", "void", "--server", server->url, "--user", "admin",
                            "--reason", reason, number, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "The number is voided already."));
  {
    g_autofree char *signed_receipt = valid_letter_receipt ();
    g_autoptr(JsonObject) shown = NULL;

    g_assert_nonnull (signed_receipt);
    shown = show_letter ("admin", signed_receipt);
    used = g_strdup (json_object_get_string_member (shown, "number"));
  }
  g_assert_nonnull (used);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "numbers", "void", "--server", server->url, "--user", "admin",
                            "--reason", reason, used, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "A signed letter carries this number; revoke the letter instead."));
}

/* Usage errors: no key, a PIN never from argv, an unknown receipt. */
static void
test_usage (void)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (run_ctl (NULL, NULL, &err, "letter", "sign", "SKU-1", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--key"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "letter", "sign", "--key", "pkcs11:", "--pin", "1234", "SKU-1", NULL),
                   ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "letter", "draft", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, &err, "letter", "show", "--server", server->url, "--user", "petugas",
                            "NO-SUCH-RECEIPT", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "NO-SUCH-RECEIPT"));
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *port_text = NULL;
  guint16 port;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Loopback needs no proxy; inherited by the server and loketctl. */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

  work_dir = lk_test_make_tmpdir ("delivery");
  token = lk_test_token_new ("delivery", TRUE, &error);
  g_assert_no_error (error);

  maildir = work_path ("mail");
  {
    const char *reject[] = { "--reject", BAD_ADDRESS, NULL };

    smtp = lk_test_smtp_start (maildir, 0, reject, &error);
    g_assert_no_error (error);
  }

  port = free_port ();
  port_text = g_strdup_printf ("%u", port);
  public_url = g_strdup_printf ("http://localhost:%u", port);
  db = work_path ("server.db");
  {
    const char *args[] = { "--trust", token->ca_pem, "--smtp", smtp->url, "--smtp-retry", "1",
                           "--public-url", public_url, NULL };

    server = lk_test_server_start_full (db, port, SEED_CASES, args, &error);
    g_assert_no_error (error);
  }

  g_test_add_func ("/delivery/usage", test_usage);
  g_test_add_func ("/delivery/story", test_story);
  g_test_add_func ("/delivery/seeded-draft", test_seeded_draft);
  g_test_add_func ("/delivery/revoke", test_revoke);
  g_test_add_func ("/delivery/numbers-void", test_numbers_void);
  ret = g_test_run ();

  g_assert_true (lk_test_server_stop (server, FALSE));
  g_clear_pointer (&server, lk_test_server_free);
  lk_test_smtp_stop (smtp);
  g_clear_pointer (&smtp, lk_test_smtp_free);
  g_clear_pointer (&token, lk_test_token_free);
  lk_test_token_cleanup ();
  lk_test_rm_rf (work_dir);
  g_free (work_dir);
  g_free (maildir);
  g_free (public_url);
  return ret;
}
