/* fuzz-driver.c — replays a fuzz target over its seed corpus (gcc builds)
 *
 * Usage: fuzz-TARGET [--tap] CORPUS_DIR|FILE…
 * One GTest case per file; a target aborts on a broken invariant, so a
 * failing seed fails its test case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <glib.h>

#include "fuzz-common.h"

static void
run_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  /* libFuzzer hands a buffer of exactly len bytes: copy so ASan sees any
   * read past it. */
  {
    g_autofree guint8 *copy = g_memdup2 (contents, len ? len : 1);

    g_assert_cmpint (LLVMFuzzerTestOneInput (copy, len), ==, 0);
  }
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
add_path (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *test = g_strconcat ("/fuzz/", name, NULL);

  g_test_add_data_func_full (test, g_strdup (path), run_file, g_free);
}

int
main (int   argc,
      char *argv[])
{
  guint n_added = 0;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          g_assert_no_error (error);
          while ((name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          g_ptr_array_sort (names, compare_paths);
          for (guint j = 0; j < names->len; j++)
            {
              add_path (g_ptr_array_index (names, j));
              n_added++;
            }
        }
      else
        {
          add_path (argv[i]);
          n_added++;
        }
    }

  /* An empty corpus would make a test that cannot fail. */
  if (n_added == 0)
    {
      g_printerr ("usage: %s CORPUS_DIR|FILE…\n", argv[0]);
      return 2;
    }

  return g_test_run ();
}
