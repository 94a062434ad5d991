/* lk-letter-template-private.h — what the letter engine's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "letter/lk-letter-template.h"

G_BEGIN_DECLS

struct _LkLetterTemplate
{
  char *agency;      /* letterhead */
  char *office;
  char *logo;        /* SHA-256 hex of the logo blob, nullable */
  char *subject;
  char *addressee;
  char *body;
  char *closing;
  char *footer;
};

/* The built-in template; REJECTED: the wording of a refusal. */
LkLetterTemplate *lk_letter_template_new_builtin (LkServiceType *service,
                                                  gboolean       rejected);

/* lk_letter_read_info() that also accepts a preview without a letter id
 * (letter_id NULL then): what a signer needs is where the stamp goes. */
LkLetterInfo     *lk_letter_read_info_full       (GBytes        *data,
                                                  gboolean       need_id,
                                                  GError       **error);

/* Whether NAME (LEN bytes) is one of LK_LETTER_FIELDS. */
gboolean          lk_letter_field_is_known       (const char    *name,
                                                  gsize          len);

/* The /Keywords text of a rendered letter. */
char             *lk_letter_info_to_keywords     (const char    *letter_id,
                                                  const char    *number,
                                                  guint          page,
                                                  const double   rect[4],
                                                  gint64         template_version);

/* The value of each of LK_LETTER_FIELDS (in its order) for one rendering. */
enum {
  F_RECEIPT, F_APPLICANT_NAME, F_NIK, F_ADDRESS, F_BUSINESS_NAME, F_NIB, F_SERVICE_NAME,
  F_UNIT_NAME, F_UNIT_ADDRESS, F_NUMBER, F_DATE, F_SIGNER_NAME, F_SIGNER_POSITION, F_SIGNER_NIP,
  N_FIELDS
};

typedef struct
{
  const char *values[N_FIELDS];   /* NULL or "": missing */
} LkLetterValues;

/* A template's texts with the values put in; the closing split at its
 * marker line (before the values went in, so no value moves the stamp). */
typedef struct
{
  char *agency, *office, *subject, *addressee, *body, *closing, *closing_after, *footer;
} LkLetterTexts;

/* Fills T from SELF with V: a line with an empty signer field is blank;
 * any other empty field the template uses is LK_LETTER_ERROR_FIELD. */
gboolean          lk_letter_texts_fill           (LkLetterTexts           *t,
                                                  const LkLetterTemplate  *self,
                                                  const LkLetterValues    *v,
                                                  GError                 **error);
void              lk_letter_texts_clear          (LkLetterTexts           *t);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkLetterTexts, lk_letter_texts_clear)

/* The letterhead's logo: a PNG of at most 1 MiB and 4096 pixels a side,
 * or LK_LETTER_ERROR_FAILED saying why not. */
cairo_surface_t  *lk_letter_load_logo            (const char              *path,
                                                  GError                 **error);

G_END_DECLS
