/* lk-test-smtp.c — the SMTP sink fixture and a small MIME reader (enough
 * for what Loket sends: a multipart/mixed of a quoted-printable text and a
 * base64 attachment, or a text alone)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "lk-test-smtp.h"

#define PYTHON          "/usr/bin/python3"
#define MAX_START_LINE  256

/* The sink */

/* A test that crashes takes its sink with it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

LkTestSmtp *
lk_test_smtp_start (const char         *maildir,
                    guint16             port,
                    const char * const *extra_args,
                    GError            **error)
{
  g_autoptr(LkTestSmtp) smtp = g_new0 (LkTestSmtp, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *script = NULL;
  g_autofree char *line = NULL;
  const char *env = g_getenv ("LOKET_SMTP_SINK");
  guint64 got;

  if (env != NULL)
    script = g_strdup (env);
  else
    script = g_build_filename (g_getenv ("G_TEST_SRCDIR") != NULL ? g_getenv ("G_TEST_SRCDIR") : ".",
                               "smtp-sink.py", NULL);

  smtp->maildir = g_strdup (maildir);
  g_ptr_array_add (argv, g_strdup (PYTHON));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup ("--maildir"));
  g_ptr_array_add (argv, g_strdup (maildir));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  smtp->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (smtp->process == NULL)
    return NULL;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (smtp->process));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (out), MAX_START_LINE);
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "listening on ") ||
      !g_ascii_string_to_unsigned (line + strlen ("listening on "), 10, 1, G_MAXUINT16, &got, NULL))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "The SMTP sink did not start (is python3-aiosmtpd installed?)");
      g_subprocess_force_exit (smtp->process);
      g_subprocess_wait (smtp->process, NULL, NULL);
      return NULL;
    }

  smtp->port = (guint16) got;
  smtp->url = g_strdup_printf ("smtp://127.0.0.1:%u", smtp->port);
  return g_steal_pointer (&smtp);
}

void
lk_test_smtp_stop (LkTestSmtp *smtp)
{
  if (smtp->process == NULL)
    return;
  g_subprocess_send_signal (smtp->process, SIGTERM);
  g_subprocess_wait (smtp->process, NULL, NULL);
  g_clear_object (&smtp->process);
}

void
lk_test_smtp_free (LkTestSmtp *smtp)
{
  if (smtp == NULL)
    return;
  lk_test_smtp_stop (smtp);
  g_free (smtp->maildir);
  g_free (smtp->url);
  g_free (smtp);
}

/* The reader */

void
lk_test_mail_free (LkTestMail *mail)
{
  if (mail == NULL)
    return;
  g_free (mail->path);
  g_clear_pointer (&mail->raw, g_bytes_unref);
  g_free (mail->mail_from);
  g_free (mail->rcpt_to);
  g_free (mail->peer);
  g_free (mail->to);
  g_free (mail->from);
  g_free (mail->subject);
  g_free (mail->message_id);
  g_free (mail->date);
  g_free (mail->text);
  g_clear_pointer (&mail->attachment, g_bytes_unref);
  g_free (mail->attachment_type);
  g_free (mail->attachment_name);
  g_free (mail);
}

/* Headers of TEXT (\n lines) up to the blank line, unfolded; *out_body
 * points after it. A table of lower-case name → value. */
static GHashTable *
parse_headers (const char  *text,
               const char **out_body)
{
  GHashTable *headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *name = NULL;
  GString *value = NULL;
  const char *p = text;

  for (;;)
    {
      const char *eol = strchr (p, '\n');
      g_autofree char *line = NULL;

      g_assert_nonnull (eol);   /* a header ends with a blank line */
      line = g_strndup (p, eol - p);
      p = eol + 1;

      if ((line[0] == ' ' || line[0] == '\t') && value != NULL)
        {
          g_string_append (value, line);
          continue;
        }
      if (name != NULL)
        {
          g_hash_table_replace (headers, g_steal_pointer (&name), g_string_free (value, FALSE));
          value = NULL;
        }
      if (line[0] == '\0')
        break;

      {
        const char *colon = strchr (line, ':');

        g_assert_nonnull (colon);
        name = g_ascii_strdown (line, colon - line);
        value = g_string_new (colon + 1 + strspn (colon + 1, " \t"));
      }
    }

  *out_body = p;
  return headers;
}

/* A parameter of a header value (`name="value"` or `name=value`). */
static char *
header_param (const char *value,
              const char *param)
{
  g_autofree char *key = g_strdup_printf ("%s=", param);
  const char *p = value != NULL ? strstr (value, key) : NULL;
  const char *end;

  if (p == NULL)
    return NULL;
  p += strlen (key);
  if (*p == '"')
    {
      end = strchr (p + 1, '"');
      g_assert_nonnull (end);
      return g_strndup (p + 1, end - p - 1);
    }
  end = p + strcspn (p, "; \t");
  return g_strndup (p, end - p);
}

/* RFC 2047 B words (UTF-8) between plain text; whitespace between two
 * words is dropped. */
static char *
decode_subject (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;
  gboolean last_word = FALSE;

  while (*p != '\0')
    {
      if (g_str_has_prefix (p, "=?UTF-8?B?") || g_str_has_prefix (p, "=?utf-8?b?"))
        {
          const char *start = p + strlen ("=?UTF-8?B?");
          const char *end = strstr (start, "?=");
          g_autofree char *b64 = NULL;
          g_autofree guchar *bytes = NULL;
          gsize len;

          g_assert_nonnull (end);
          g_assert_cmpint (end + 2 - p, <=, 75);   /* RFC 2047: an encoded word is ≤ 75 characters */
          b64 = g_strndup (start, end - start);
          bytes = g_base64_decode (b64, &len);
          g_string_append_len (out, (const char *) bytes, len);
          p = end + 2;
          last_word = TRUE;
          continue;
        }
      if (last_word && (*p == ' ' || *p == '\t'))
        {
          const char *q = p + strspn (p, " \t");

          if (g_str_has_prefix (q, "=?"))
            {
              p = q;
              continue;
            }
        }
      last_word = FALSE;
      g_string_append_c (out, *p++);
    }

  g_assert_true (g_utf8_validate (out->str, out->len, NULL));
  return g_string_free (out, FALSE);
}

static char *
decode_quoted_printable (const char *text,
                         gsize       len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] != '=')
        {
          g_string_append_c (out, text[i]);
          continue;
        }
      if (i + 1 < len && text[i + 1] == '\n')
        {
          i++;   /* a soft line break */
          continue;
        }
      g_assert_cmpuint (i + 2, <, len);
      g_assert_true (g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]));
      g_string_append_c (out, (char) (g_ascii_xdigit_value (text[i + 1]) * 16 +
                                      g_ascii_xdigit_value (text[i + 2])));
      i += 2;
    }

  g_assert_true (g_utf8_validate (out->str, out->len, NULL));
  return g_string_free (out, FALSE);
}

static GBytes *
decode_base64 (const char *text,
               gsize       len)
{
  GString *clean = g_string_sized_new (len);
  guchar *bytes;
  gsize n;

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\n')
        continue;
      g_assert_true (g_ascii_isalnum (text[i]) || text[i] == '+' || text[i] == '/' || text[i] == '=');
      g_string_append_c (clean, text[i]);
    }
  g_assert_cmpuint (clean->len % 4, ==, 0);
  bytes = g_base64_decode (clean->str, &n);
  g_string_free (clean, TRUE);
  return g_bytes_new_take (bytes, n);
}

/* One part (or the whole body of a single-part message). */
static void
read_part (LkTestMail *mail,
           GHashTable *headers,
           const char *body,
           gsize       len)
{
  const char *type = g_hash_table_lookup (headers, "content-type");
  const char *encoding = g_hash_table_lookup (headers, "content-transfer-encoding");
  const char *disposition = g_hash_table_lookup (headers, "content-disposition");

  g_assert_nonnull (type);
  g_assert_nonnull (encoding);

  if (g_str_has_prefix (type, "text/plain") && (disposition == NULL || !g_str_has_prefix (disposition, "attachment")))
    {
      g_autofree char *charset = header_param (type, "charset");

      g_assert_cmpstr (charset, ==, "UTF-8");
      g_assert_null (mail->text);
      if (g_ascii_strcasecmp (encoding, "quoted-printable") == 0)
        mail->text = decode_quoted_printable (body, len);
      else if (g_ascii_strcasecmp (encoding, "base64") == 0)
        {
          g_autoptr(GBytes) bytes = decode_base64 (body, len);

          mail->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
        }
      else
        g_assert_not_reached ();
      return;
    }

  g_assert_nonnull (disposition);
  g_assert_true (g_str_has_prefix (disposition, "attachment"));
  g_assert_cmpstr (encoding, ==, "base64");
  g_assert_null (mail->attachment);
  mail->attachment = decode_base64 (body, len);
  mail->attachment_type = g_strndup (type, strcspn (type, ";"));
  mail->attachment_name = header_param (disposition, "filename");
}

LkTestMail *
lk_test_mail_parse (GBytes *raw)
{
  g_autoptr(LkTestMail) mail = g_new0 (LkTestMail, 1);
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *boundary = NULL;
  const char *data, *body, *type;
  gsize len;
  guint col = 0;

  mail->raw = g_bytes_ref (raw);
  data = g_bytes_get_data (raw, &len);

  /* Lines end in CRLF on the wire; read them as \n. */
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
        continue;
      if (data[i] == '\n')
        {
          mail->max_line = MAX (mail->max_line, col);
          col = 0;
        }
      else
        col++;
      g_string_append_c (text, data[i]);
    }
  mail->max_line = MAX (mail->max_line, col);

  headers = parse_headers (text->str, &body);
  mail->mail_from = g_strdup (g_hash_table_lookup (headers, "x-sink-mail-from"));
  mail->rcpt_to = g_strdup (g_hash_table_lookup (headers, "x-sink-rcpt-to"));
  mail->peer = g_strdup (g_hash_table_lookup (headers, "x-sink-peer"));
  mail->tls = g_strcmp0 (g_hash_table_lookup (headers, "x-sink-tls"), "yes") == 0;
  mail->to = g_strdup (g_hash_table_lookup (headers, "to"));
  mail->from = g_strdup (g_hash_table_lookup (headers, "from"));
  mail->message_id = g_strdup (g_hash_table_lookup (headers, "message-id"));
  mail->date = g_strdup (g_hash_table_lookup (headers, "date"));
  g_assert_nonnull (g_hash_table_lookup (headers, "subject"));
  mail->subject = decode_subject (g_hash_table_lookup (headers, "subject"));
  g_assert_cmpstr (g_hash_table_lookup (headers, "mime-version"), ==, "1.0");

  type = g_hash_table_lookup (headers, "content-type");
  g_assert_nonnull (type);
  if (!g_str_has_prefix (type, "multipart/"))
    {
      read_part (mail, headers, body, strlen (body));
      return g_steal_pointer (&mail);
    }

  g_assert_true (g_str_has_prefix (type, "multipart/mixed"));
  boundary = header_param (type, "boundary");
  g_assert_nonnull (boundary);
  {
    g_autofree char *delimiter = g_strdup_printf ("\n--%s", boundary);
    const char *p = strstr (body, delimiter + 1) == body ? body - 1 : strstr (body, delimiter);

    g_assert_nonnull (p);
    for (;;)
      {
        const char *part, *next, *part_body;
        g_autoptr(GHashTable) part_headers = NULL;

        p += strlen (delimiter);
        if (g_str_has_prefix (p, "--"))
          break;   /* the close delimiter */
        g_assert_true (*p == '\n');
        part = p + 1;
        next = strstr (part, delimiter);
        g_assert_nonnull (next);
        part_headers = parse_headers (part, &part_body);
        g_assert_true (part_body <= next + 1);
        read_part (mail, part_headers, part_body, next > part_body ? (gsize) (next - part_body) : 0);
        p = next;
      }
  }

  return g_steal_pointer (&mail);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_names (const char *maildir)
{
  g_autofree char *dir = g_build_filename (maildir, "new", NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  /* Maildir names start with the delivery time in seconds, then a
   * microsecond part: order within a second may differ, which the tests
   * do not rely on. */
  g_ptr_array_sort (names, compare_names);
  return names;
}

GPtrArray *
lk_test_smtp_list (const char *maildir)
{
  g_autoptr(GPtrArray) names = list_names (maildir);
  GPtrArray *mails = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_test_mail_free);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) error = NULL;
      char *contents = NULL;
      gsize len;
      g_autoptr(GBytes) raw = NULL;
      LkTestMail *mail;

      g_assert_true (g_file_get_contents (names->pdata[i], &contents, &len, &error));
      g_assert_no_error (error);
      raw = g_bytes_new_take (contents, len);
      mail = lk_test_mail_parse (raw);
      mail->path = g_strdup (names->pdata[i]);
      g_ptr_array_add (mails, mail);
    }
  return mails;
}

guint
lk_test_smtp_count_connections (GPtrArray *mails)
{
  g_autoptr(GHashTable) peers = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < mails->len; i++)
    {
      LkTestMail *mail = mails->pdata[i];

      g_assert_nonnull (mail->peer);
      g_hash_table_add (peers, mail->peer);
    }
  return g_hash_table_size (peers);
}

guint
lk_test_smtp_count (const char *maildir)
{
  g_autoptr(GPtrArray) names = list_names (maildir);

  return names->len;
}
