/* lk-demo-pdf.h — a small pool of synthetic scanned-document PDFs for demo data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a demo document shows; each kind has a few variants in the pool. */
typedef enum
{
  LK_DEMO_DOC_PENGANTAR,      /* Surat Pengantar RT/RW (stamp) */
  LK_DEMO_DOC_KTP,            /* Scan KTP (card) */
  LK_DEMO_DOC_KK,             /* Kartu Keluarga (table) */
  LK_DEMO_DOC_DENAH,          /* Denah Lokasi (map sketch) */
  LK_DEMO_DOC_FOTO_USAHA,     /* Foto Tempat Usaha (picture) */
  LK_DEMO_DOC_PAS_FOTO,       /* Pas Foto (picture) */
  LK_DEMO_DOC_PERNYATAAN,     /* Surat Pernyataan (stamp) */
  LK_DEMO_DOC_REKLAME,        /* Desain Reklame (picture) */
  LK_DEMO_DOC_STR,            /* Surat Tanda Registrasi (card) */
  LK_DEMO_DOC_REKOMENDASI,    /* Surat Rekomendasi (stamp) */
  LK_DEMO_DOC_SKU,            /* Surat Keterangan Usaha dari kelurahan (stamp) */
  LK_DEMO_DOC_PERSETUJUAN,    /* Surat Persetujuan Pemilik Lahan (table) */
  LK_DEMO_N_DOCS
} LkDemoDoc;

#define LK_DEMO_PDF_VARIANTS 2

typedef struct
{
  LkDemoDoc  kind;
  char      *title;    /* "Scan KTP" */
  char      *sha256;   /* lower-case hex */
  GBytes    *data;
} LkDemoPdf;

void        lk_demo_pdf_free       (LkDemoPdf *pdf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkDemoPdf, lk_demo_pdf_free)

const char *lk_demo_doc_get_title  (LkDemoDoc kind);

/* LK_DEMO_N_DOCS * LK_DEMO_PDF_VARIANTS PDFs, the variants of kind K at
 * indexes K * LK_DEMO_PDF_VARIANTS + v. Deterministic for a given rand state
 * and date ("YYYY-MM-DD", written as the creation date). */
GPtrArray  *lk_demo_pdf_make_pool  (GRand       *rand,
                                    const char  *date,
                                    GError     **error);

G_END_DECLS
