/* lk-pdf-document-forms.c — the page tree, the AcroForm and its signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "loket-pdf"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-pdf-document-private.h"

static void
page_info_free (gpointer data)
{
  LkPdfPageInfo *info = data;

  lk_pdf_obj_unref (info->dict);
  g_free (info);
}

void
lk_pdf_sig_field_free (LkPdfSigField *field)
{
  if (field == NULL)
    return;
  g_free (field->name);
  g_clear_pointer (&field->field, lk_pdf_obj_unref);
  g_clear_pointer (&field->value, lk_pdf_obj_unref);
  g_free (field);
}

static gboolean
read_box (LkPdfDocument *self,
          LkPdfObj      *node,
          double         box[4])
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LkPdfObj) array = lk_pdf_document_lookup (self, node, "MediaBox", &local_error);

  if (array == NULL || lk_pdf_obj_array_length (array) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(LkPdfObj) v = lk_pdf_document_resolve (self, lk_pdf_obj_array_get (array, i), NULL);

      if (v == NULL || !lk_pdf_obj_is_number (v))
        return FALSE;
      box[i] = lk_pdf_obj_get_number (v);
    }
  return TRUE;
}

static gboolean
loop_error (GError **error)
{
  g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP,
               _("The PDF is damaged: its page tree loops."));
  return FALSE;
}

static gboolean
walk_pages (LkPdfDocument *self,
            LkPdfObj      *node_ref,
            const double   inherited[4],
            guint          depth,
            GHashTable    *visited,
            GPtrArray     *pages,
            GError       **error)
{
  g_autoptr(LkPdfObj) node = NULL;
  g_autoptr(LkPdfObj) kids = NULL;
  g_autoptr(GError) local_error = NULL;
  double box[4];

  if (depth >= LK_PDF_MAX_DEPTH)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                   _("The PDF nests objects deeper than %u levels."), LK_PDF_MAX_DEPTH);
      return FALSE;
    }
  if (lk_pdf_obj_get_kind (node_ref) == LK_PDF_REF)
    {
      gpointer key = GUINT_TO_POINTER (lk_pdf_obj_get_ref_num (node_ref));

      if (g_hash_table_contains (visited, key))
        return loop_error (error);
      g_hash_table_add (visited, key);
    }
  node = lk_pdf_document_resolve (self, node_ref, error);
  if (node == NULL)
    return FALSE;
  if (lk_pdf_obj_get_kind (node) != LK_PDF_DICT)
    return TRUE; /* a broken kid: skipped, as viewers do */

  if (!read_box (self, node, box))
    memcpy (box, inherited, sizeof box);

  kids = lk_pdf_document_lookup (self, node, "Kids", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (kids != NULL && !lk_pdf_obj_is_name (lk_pdf_obj_dict_get (node, "Type"), "Page"))
    {
      for (guint i = 0; i < lk_pdf_obj_array_length (kids); i++)
        if (!walk_pages (self, lk_pdf_obj_array_get (kids, i), box, depth + 1, visited, pages, error))
          return FALSE;
      return TRUE;
    }

  {
    LkPdfPageInfo *info = g_new0 (LkPdfPageInfo, 1);

    if (pages->len >= LK_PDF_MAX_OBJECTS)
      {
        g_free (info);
        g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                     _("The PDF has more than %u objects."), LK_PDF_MAX_OBJECTS);
        return FALSE;
      }
    info->num = lk_pdf_obj_get_ref_num (node_ref);
    info->gen = lk_pdf_obj_get_ref_gen (node_ref);
    info->dict = g_steal_pointer (&node);
    memcpy (info->media_box, box, sizeof box);
    g_ptr_array_add (pages, info);
  }
  return TRUE;
}

static GPtrArray *
ensure_pages (LkPdfDocument *self,
              GError       **error)
{
  GPtrArray **cache = lk_pdf_document_get_pages_cache (self);
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GHashTable) visited = NULL;
  static const double letter[4] = { 0, 0, 612, 792 };
  LkPdfObj *root;

  if (*cache != NULL)
    return *cache;

  catalog = lk_pdf_document_get_catalog (self, error);
  if (catalog == NULL)
    return NULL;
  root = lk_pdf_obj_dict_get (catalog, "Pages");
  if (root == NULL)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_SYNTAX,
                   _("The PDF is damaged: it has no page tree."));
      return NULL;
    }
  pages = g_ptr_array_new_with_free_func (page_info_free);
  visited = g_hash_table_new (g_direct_hash, g_direct_equal);
  if (!walk_pages (self, root, letter, 0, visited, pages, error))
    return NULL;
  *cache = g_steal_pointer (&pages);
  return *cache;
}

int
lk_pdf_document_get_page_count (LkPdfDocument *self,
                                GError       **error)
{
  GPtrArray *pages;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), -1);
  pages = ensure_pages (self, error);
  return pages != NULL ? (int) pages->len : -1;
}

LkPdfObj *
lk_pdf_document_get_page (LkPdfDocument *self,
                          guint          index,
                          guint         *num,
                          guint         *gen,
                          double         media_box[4],
                          GError       **error)
{
  GPtrArray *pages;
  LkPdfPageInfo *info;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);
  pages = ensure_pages (self, error);
  if (pages == NULL)
    return NULL;
  if (index >= pages->len)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_NOT_FOUND,
                   _("The PDF has no page %u; it has %u."), index + 1, pages->len);
      return NULL;
    }
  info = g_ptr_array_index (pages, index);
  if (num)
    *num = info->num;
  if (gen)
    *gen = info->gen;
  if (media_box)
    memcpy (media_box, info->media_box, sizeof info->media_box);
  return lk_pdf_obj_ref (info->dict);
}

LkPdfObj *
lk_pdf_document_get_acroform (LkPdfDocument *self,
                              GError       **error)
{
  g_autoptr(LkPdfObj) catalog = NULL;
  g_autoptr(LkPdfObj) form = NULL;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);
  catalog = lk_pdf_document_get_catalog (self, error);
  if (catalog == NULL)
    return NULL;
  form = lk_pdf_document_lookup (self, catalog, "AcroForm", error);
  if (form == NULL || lk_pdf_obj_get_kind (form) != LK_PDF_DICT)
    return NULL;
  return g_steal_pointer (&form);
}

static void
fill_signature (LkPdfDocument *self,
                LkPdfSigField *sig)
{
  LkPdfObj *v = lk_pdf_obj_dict_get (sig->field, "V");
  LkPdfObj *contents, *range;
  g_autoptr(GError) local_error = NULL;

  if (v == NULL)
    return;
  sig->value_num = lk_pdf_obj_get_ref_num (v);
  sig->value = lk_pdf_document_resolve (self, v, &local_error);
  if (sig->value == NULL || lk_pdf_obj_get_kind (sig->value) != LK_PDF_DICT)
    {
      g_clear_pointer (&sig->value, lk_pdf_obj_unref);
      return;
    }
  range = lk_pdf_obj_dict_get (sig->value, "ByteRange");
  for (guint i = 0; i < lk_pdf_obj_array_length (range) && i < G_N_ELEMENTS (sig->byte_range); i++)
    sig->byte_range[sig->n_byte_range++] = lk_pdf_obj_get_int (lk_pdf_obj_array_get (range, i));
  contents = lk_pdf_obj_dict_get (sig->value, "Contents");
  if (lk_pdf_obj_get_kind (contents) == LK_PDF_STRING)
    {
      sig->contents_offset = lk_pdf_obj_get_file_offset (contents);
      sig->contents_end = lk_pdf_obj_get_file_end (contents);
    }
}

static gboolean
has_field_kids (LkPdfDocument *self,
                LkPdfObj      *kids)
{
  for (guint i = 0; i < lk_pdf_obj_array_length (kids); i++)
    {
      g_autoptr(LkPdfObj) kid = lk_pdf_document_resolve (self, lk_pdf_obj_array_get (kids, i), NULL);

      if (kid != NULL && lk_pdf_obj_dict_get (kid, "T") != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
walk_fields (LkPdfDocument *self,
             LkPdfObj      *fields,
             const char    *parent_name,
             LkPdfObj      *parent_ft,
             guint          depth,
             GHashTable    *visited,
             GPtrArray     *result,
             GError       **error)
{
  if (depth >= LK_PDF_MAX_DEPTH)
    {
      g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LIMIT,
                   _("The PDF nests objects deeper than %u levels."), LK_PDF_MAX_DEPTH);
      return FALSE;
    }

  for (guint i = 0; i < lk_pdf_obj_array_length (fields); i++)
    {
      LkPdfObj *ref = lk_pdf_obj_array_get (fields, i);
      g_autoptr(LkPdfObj) field = NULL;
      g_autoptr(LkPdfObj) kids = NULL;
      g_autofree char *name = NULL;
      g_autoptr(GError) local_error = NULL;
      LkPdfObj *ft, *t;

      if (lk_pdf_obj_get_kind (ref) == LK_PDF_REF)
        {
          gpointer key = GUINT_TO_POINTER (lk_pdf_obj_get_ref_num (ref));

          if (g_hash_table_contains (visited, key))
            {
              g_set_error (error, LK_PDF_ERROR, LK_PDF_ERROR_LOOP,
                           _("The PDF is damaged: its form fields loop."));
              return FALSE;
            }
          g_hash_table_add (visited, key);
        }
      field = lk_pdf_document_resolve (self, ref, error);
      if (field == NULL)
        return FALSE;
      if (lk_pdf_obj_get_kind (field) != LK_PDF_DICT)
        continue;

      ft = lk_pdf_obj_dict_get (field, "FT");
      if (ft == NULL)
        ft = parent_ft;
      t = lk_pdf_obj_dict_get (field, "T");
      if (lk_pdf_obj_get_kind (t) == LK_PDF_STRING)
        {
          gsize len;
          const guint8 *s = lk_pdf_obj_get_string (t, &len);
          g_autofree char *part = g_utf8_make_valid ((const char *) s, (gssize) len);

          name = parent_name ? g_strconcat (parent_name, ".", part, NULL) : g_strdup (part);
        }
      else
        name = g_strdup (parent_name);

      kids = lk_pdf_document_lookup (self, field, "Kids", &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (kids != NULL && !walk_fields (self, kids, name, ft, depth + 1, visited, result, error))
        return FALSE;

      /* a terminal field: its kids, if any, are widgets without /T */
      if (lk_pdf_obj_is_name (ft, "Sig") && lk_pdf_obj_dict_get (field, "T") != NULL
          && !has_field_kids (self, kids))
        {
          LkPdfSigField *sig = g_new0 (LkPdfSigField, 1);

          sig->num = lk_pdf_obj_get_ref_num (ref);
          sig->gen = lk_pdf_obj_get_ref_gen (ref);
          sig->name = g_steal_pointer (&name);
          sig->field = g_steal_pointer (&field);
          sig->contents_offset = -1;
          sig->contents_end = -1;
          fill_signature (self, sig);
          g_ptr_array_add (result, sig);
        }
    }
  return TRUE;
}

GPtrArray *
lk_pdf_document_get_signature_fields (LkPdfDocument *self,
                                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LkPdfObj) form = NULL;
  g_autoptr(LkPdfObj) fields = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GHashTable) visited = NULL;

  g_return_val_if_fail (LK_IS_PDF_DOCUMENT (self), NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_pdf_sig_field_free);
  form = lk_pdf_document_get_acroform (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (form == NULL)
    return g_steal_pointer (&result);
  fields = lk_pdf_document_lookup (self, form, "Fields", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (fields == NULL)
    return g_steal_pointer (&result);
  visited = g_hash_table_new (g_direct_hash, g_direct_equal);
  if (!walk_fields (self, fields, NULL, NULL, 0, visited, result, error))
    return NULL;
  return g_steal_pointer (&result);
}
