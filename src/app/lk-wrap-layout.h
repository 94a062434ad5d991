/* lk-wrap-layout.h — a layout manager that puts children in rows and wraps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_WRAP_LAYOUT (lk_wrap_layout_get_type ())
G_DECLARE_FINAL_TYPE (LkWrapLayout, lk_wrap_layout, LK, WRAP_LAYOUT, GtkLayoutManager)

GtkLayoutManager *lk_wrap_layout_new (int spacing);

G_END_DECLS
