/* lk-json.c — the check every JSON parse in Loket makes first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lk-json.h"

gboolean
lk_json_depth_ok (const char *data,
                  gsize       len,
                  guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '/':
        case '\'':
          return FALSE;
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth == 0)
            return FALSE;
          depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}
