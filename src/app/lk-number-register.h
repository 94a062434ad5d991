/* lk-number-register.h — the administrator's window on the register of
 * letter numbers: one series (service type, unit, year) read from the
 * server, every sequence number with its status, case and void reason; an
 * issued number can be voided with a reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lk-session.h"

G_BEGIN_DECLS

/* The columns, as lk_number_register_get_cell() names them. */
typedef enum
{
  LK_NUMBER_COLUMN_SEQ,
  LK_NUMBER_COLUMN_NUMBER,
  LK_NUMBER_COLUMN_STATUS,   /* the translated word: Issued, Used, Voided */
  LK_NUMBER_COLUMN_CASE,     /* the case's receipt, or "Offline block" */
  LK_NUMBER_COLUMN_REASON,
  LK_N_NUMBER_COLUMNS
} LkNumberColumn;

#define LK_TYPE_NUMBER_REGISTER (lk_number_register_get_type ())
G_DECLARE_FINAL_TYPE (LkNumberRegister, lk_number_register, LK, NUMBER_REGISTER, AdwWindow)

LkNumberRegister *lk_number_register_new           (GtkWindow        *parent,
                                                    LkSession        *session);
/* Whether the choices or the register are being read, or a void sent. */
gboolean          lk_number_register_get_loading   (LkNumberRegister *self);
/* Shows the series of SERVICE_TYPE_ID, UNIT_ID and YEAR (reloading it);
 * FALSE when the service type or the unit is not listed. */
gboolean          lk_number_register_select_series (LkNumberRegister *self,
                                                    const char       *service_type_id,
                                                    const char       *unit_id,
                                                    int               year);
/* Reads the register of the chosen series again. */
void              lk_number_register_reload        (LkNumberRegister *self);
guint             lk_number_register_get_n_rows    (LkNumberRegister *self);
/* The row's status as the server says it ("issued", "used", "voided"). */
const char       *lk_number_register_get_status    (LkNumberRegister *self,
                                                    guint             row);
/* The text the list shows in a cell (newly allocated). */
char             *lk_number_register_get_cell      (LkNumberRegister *self,
                                                    guint             row,
                                                    LkNumberColumn    column);
void              lk_number_register_select_row    (LkNumberRegister *self,
                                                    guint             row);
/* Whether Void… is offered: the selected row is issued. */
gboolean          lk_number_register_get_can_void  (LkNumberRegister *self);
/* The summary line, and the error shown (NULL when none). */
const char       *lk_number_register_get_summary   (LkNumberRegister *self);
const char       *lk_number_register_get_error     (LkNumberRegister *self);

G_END_DECLS
