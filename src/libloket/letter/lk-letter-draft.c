/* lk-letter-draft.c — STUB, replaced in this change */
#include "config.h"
#include "letter/lk-letter-draft.h"
G_DEFINE_QUARK (lk-letter-error-quark, lk_letter_error)
gboolean lk_letter_draft_render (LkCase *k, LkServiceType *s, GDateTime *d, const char *o, GError **e)
{ g_set_error_literal (e, LK_LETTER_ERROR, LK_LETTER_ERROR_FAILED, "not yet"); return FALSE; }
char *lk_letter_draft_document_name (const char *r) { return g_strdup_printf ("Letter draft %s.pdf", r); }
gboolean lk_letter_draft_is_draft_name (const char *n) { return g_str_has_prefix (n, "Letter draft "); }
void lk_letter_draft_signature_rect (double r[4]) { r[0] = 340; r[1] = 120; r[2] = 200; r[3] = 70; }
