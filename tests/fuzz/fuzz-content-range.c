/* fuzz-content-range.c — the Content-Range of a PUT /api/v1/blobs chunk
 *
 * The first 4 bytes are the body's length (little-endian, any value up to
 * 4 GiB: the parser never reads the body), the byte after them chooses
 * between no header (0) and a header, which is the rest up to the first
 * NUL or line break (what reaches the server's handler from the HTTP
 * parser). lk_server_parse_content_range must, when it accepts, give
 * 0 ≤ start, end = start + len - 1 and total ≤ LK_SERVER_MAX_BLOB; with a
 * header start ≤ end < total and the three numbers written back in the
 * same form give the same header; without one start = 0 and total = len.
 * A body over LK_SERVER_MAX_CHUNK is never accepted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "lk-server-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *header = NULL;
  goffset start, end, total;
  LkServerRange range;
  gsize len;

  if (size < 5)
    return 0;
  len = (gsize) data[0] | (gsize) data[1] << 8 | (gsize) data[2] << 16 | (gsize) data[3] << 24;
  if (data[4] != 0)
    {
      gsize n = 0;

      while (5 + n < size && data[5 + n] != '\0' && data[5 + n] != '\r' && data[5 + n] != '\n')
        n++;
      header = g_strndup ((const char *) data + 5, n);
    }

  range = lk_server_parse_content_range (header, len, &start, &end, &total);
  switch (range)
    {
    case LK_SERVER_RANGE_OK:
      break;
    case LK_SERVER_RANGE_CHUNK_TOO_LARGE:
      if (len <= LK_SERVER_MAX_CHUNK)
        fuzz_fail ("a chunk of %" G_GSIZE_FORMAT " bytes called too large", len);
      return 0;
    case LK_SERVER_RANGE_BLOB_TOO_LARGE:
    case LK_SERVER_RANGE_INVALID:
      if (len > LK_SERVER_MAX_CHUNK)
        fuzz_fail ("a chunk over the limit not refused as such");
      if (range == LK_SERVER_RANGE_INVALID && header == NULL)
        fuzz_fail ("no Content-Range called invalid");
      return 0;
    default:
      fuzz_fail ("unknown answer %d", range);
    }

  if (len > LK_SERVER_MAX_CHUNK)
    fuzz_fail ("accepted a body of %" G_GSIZE_FORMAT " bytes", len);
  if (start < 0 || total > LK_SERVER_MAX_BLOB || end != start + (goffset) len - 1)
    fuzz_fail ("accepted start %" G_GOFFSET_FORMAT " end %" G_GOFFSET_FORMAT " total %" G_GOFFSET_FORMAT
               " for %" G_GSIZE_FORMAT " bytes", start, end, total, len);

  if (header == NULL)
    {
      if (start != 0 || total != (goffset) len)
        fuzz_fail ("a whole blob is not 0…len");
    }
  else
    {
      g_autofree char *again = NULL;

      if (!(start <= end && end < total))
        fuzz_fail ("accepted %s: not start ≤ end < total", header);
      /* What the client writes (soup_message_headers_set_content_range);
       * the parser accepts "bytes" in any case and leading zeros. */
      again = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT "/%" G_GOFFSET_FORMAT,
                               start, end, total);
      if (g_ascii_strncasecmp (header, "bytes ", 6) != 0 ||
          strspn (header + 6, "0123456789-/") != strlen (header + 6))
        fuzz_fail ("accepted %s", header);
      {
        goffset start2, end2, total2;

        if (lk_server_parse_content_range (again, len, &start2, &end2, &total2) != LK_SERVER_RANGE_OK ||
            start2 != start || end2 != end || total2 != total)
          fuzz_fail ("%s does not read back", again);
      }
    }

  return 0;
}
