/* lk-json.h — the check every JSON parse in Loket makes first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether DATA (LEN bytes) nests its arrays and objects at most MAX_DEPTH
 * deep, with balanced brackets outside strings and neither comments nor
 * single-quoted strings (which json-glib's scanner takes, hiding brackets
 * from the count). json-glib's parser recurses per level: call this before
 * it on anything from outside. */
gboolean lk_json_depth_ok (const char *data,
                           gsize       len,
                           guint       max_depth);

G_END_DECLS
