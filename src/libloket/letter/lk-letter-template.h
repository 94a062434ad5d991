/* lk-letter-template.h — a service type's letter template: parsed from its
 * JSON, checked, and rendered to a PDF that carries where it is signed
 *
 * The JSON (the "body" of a template record, at most LK_LETTER_TEMPLATE_MAX
 * bytes):
 *
 *   { "letterhead": { "agency": "PEMERINTAH KOTA PONTIANAK",
 *                     "office": "DINAS PENANAMAN MODAL DAN PTSP",
 *                     "logo": SHA256-of-a-PNG-blob | null },
 *     "subject":   "Surat Keterangan Usaha",
 *     "addressee": "Yth. {{applicant_name}}\n{{address}}",
 *     "body":      "Yang bertanda tangan di bawah ini … {{business_name}} …",
 *     "closing":   "Pontianak, {{date}}\n{{signer_position}}\n^\n{{signer_name}}\nNIP {{signer_nip}}",
 *     "footer":    "Dokumen ini telah ditandatangani secara elektronik …" }
 *
 * Placeholders are {{name}} with a name of LK_LETTER_FIELDS; any other name
 * is an unknown field and the template is refused. The signature marker is
 * LK_LETTER_SIGNATURE_MARKER alone on a line of "closing" (exactly once in
 * the template): the stamp goes where it falls. The number, the date, the
 * QR code (to PUBLIC_URL/v/LETTER_ID) and the footer are on every letter.
 *
 * Members: "letterhead" (agency, office: text; logo: 64 lower-case hex
 * digits or null), "subject", "body", "closing" required; "addressee" and
 * "footer" optional (footer: LK_LETTER_DRAFT_FOOTER); any other member is
 * refused. Texts are plain, one paragraph a line; a "body" line with a tab
 * is a "label : value" row. Rendered: letterhead (+ the unit's name and
 * address), a number block (Nomor, Tanggal unless the template uses
 * {{date}}, Sifat, Lampiran, Perihal = subject), addressee, body, closing
 * in the right column. A line whose signer_* field is missing renders
 * blank; any other missing field refuses the rendering.
 *
 * The rendered PDF's /Keywords (document info) carry where the stamp goes
 * and which letter it is, so whoever signs it needs nothing else:
 *   "loket-letter=ID loket-number=NUMBER loket-sign=PAGE,X,Y,W,H loket-template=VERSION"
 * (read back with lk_letter_read_info).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "letter/lk-letter-draft.h"
#include "model/lk-case.h"
#include "model/lk-service-type.h"

G_BEGIN_DECLS

#define LK_LETTER_TEMPLATE_MAX     16384   /* bytes of JSON */
#define LK_LETTER_TEMPLATE_MAX_TEXT 8192   /* bytes of one text member */
#define LK_LETTER_SIGNATURE_MARKER "^"
#define LK_LETTER_ID_LENGTH        26      /* lower-case base32 of 128 random bits */
#define LK_LETTER_STAMP_WIDTH      220.0   /* points */
#define LK_LETTER_STAMP_HEIGHT     90.0

/* The placeholders a template may use, NULL-terminated: receipt,
 * applicant_name, nik, address, business_name, nib, service_name,
 * unit_name, unit_address, number, date, signer_name, signer_position,
 * signer_nip. */
extern const char * const LK_LETTER_FIELDS[];

typedef struct _LkLetterTemplate LkLetterTemplate;

/* Parses and checks JSON: every member's type and length, every
 * placeholder a known field, the marker exactly once in "closing". On
 * failure LK_LETTER_ERROR_TEMPLATE with a sentence naming the member and
 * what is wrong ("body: unknown field {{nama}}"). */
LkLetterTemplate *lk_letter_template_parse   (const char        *json,
                                              gssize             len,
                                              GError           **error);
void              lk_letter_template_free    (LkLetterTemplate  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLetterTemplate, lk_letter_template_free)
/* The template as JSON (members in the order above). */
char             *lk_letter_template_to_json (const LkLetterTemplate *self);
/* The built-in template of a service type (the draft of issue 5 made a
 * template): what a service type without its own template uses. */
LkLetterTemplate *lk_letter_template_new_default (LkServiceType *service);
/* The logo blob's SHA-256, or NULL. */
const char       *lk_letter_template_get_logo (const LkLetterTemplate *self);

/* What one rendering needs besides the case. Strings may be NULL where
 * said. */
typedef struct
{
  const char *unit_name;
  const char *unit_address;      /* nullable */
  const char *number;            /* NULL: a draft mark instead of the number */
  const char *letter_id;         /* NULL: no QR code (a preview) */
  const char *public_url;        /* the QR's base, e.g. "https://loket.example.go.id" */
  const char *signer_name;       /* nullable: the placeholder renders as a blank line */
  const char *signer_position;   /* nullable */
  const char *signer_nip;        /* nullable */
  const char *logo_path;         /* PNG of the logo, nullable */
  gint64      template_version;  /* recorded in /Keywords; 0: built-in */
  GDateTime  *date;              /* NULL: now */
} LkLetterRenderInfo;

/* Renders KASE's letter with TEMPLATE to OUT_PATH (through a temporary file
 * and a rename). Refused with LK_LETTER_ERROR_FIELD when a placeholder
 * would stay unreplaced (the case lacks a field the template uses): no file
 * is written. */
gboolean          lk_letter_template_render  (const LkLetterTemplate   *self,
                                              LkCase                   *kase,
                                              LkServiceType            *service,
                                              const LkLetterRenderInfo *info,
                                              const char               *out_path,
                                              GError                  **error);

/* A new letter id (LK_LETTER_ID_LENGTH characters of [a-z2-7]). */
char             *lk_letter_new_id           (void);
gboolean          lk_letter_id_is_valid      (const char *id);

/* What a rendered letter's /Keywords say (lk_letter_template_render). */
typedef struct
{
  char   *letter_id;
  char   *number;           /* NULL in a draft without a number */
  guint   page;             /* 0-based page of the stamp */
  double  rect[4];          /* x, y, w, h in points from the lower-left */
  gint64  template_version;
} LkLetterInfo;

void              lk_letter_info_free        (LkLetterInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLetterInfo, lk_letter_info_free)
/* Reads the newest document info of the PDF in DATA (a draft or its signed
 * revisions). LK_LETTER_ERROR_NOT_LETTER when it has no Loket keywords, no
 * letter id (a preview), a page it does not have, or is not a readable
 * PDF. Bounds: /Keywords at most 1024 bytes, page below 10000. */
LkLetterInfo     *lk_letter_read_info        (GBytes       *data,
                                              GError      **error);
LkLetterInfo     *lk_letter_read_info_file   (const char   *path,
                                              GError      **error);

/* PUBLIC_URL/v/LETTER_ID, without a doubled slash. */
char             *lk_letter_verify_url       (const char   *public_url,
                                              const char   *letter_id);

G_END_DECLS
