/* lk-session-letters.c — STUB, replaced in this change */
#define G_LOG_DOMAIN "loket-app"
#include "config.h"
#include "lk-session-private.h"

void
lk_session_prepare_letter_async (LkSession *self, const char *case_id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet");
}

char *
lk_session_prepare_letter_finish (LkSession *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
