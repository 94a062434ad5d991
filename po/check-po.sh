#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-po.sh SOURCE-ROOT MSGFMT XGETTEXT MSGMERGE
# For every language in po/LINGUAS:
#  1. msgfmt -c accepts LANG.po and it has no fuzzy and no untranslated message;
#  2. merged with a template extracted afresh from po/POTFILES.in (without fuzzy
#     matching), it still has none, so every string in the sources today is
#     translated.
set -eu

root=$1
msgfmt=$2
xgettext=$3
msgmerge=$4

cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same keywords as meson's i18n.gettext (preset: 'glib').
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in >"$tmp/files"
"$xgettext" --package-name=loket --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  -f "$tmp/files" -o "$tmp/loket.pot" 2>"$tmp/xgettext.err" || {
    cat "$tmp/xgettext.err" >&2
    echo "not ok: xgettext failed on po/POTFILES.in" >&2
    exit 1
  }

# Fails on fuzzy or untranslated messages in a msgfmt --statistics line.
check_stats () {
  what=$1
  po=$2
  if ! "$msgfmt" -c --statistics -o "$tmp/out.mo" "$po" 2>"$tmp/stats"; then
    cat "$tmp/stats" >&2
    echo "not ok: msgfmt -c rejects $what" >&2
    return 1
  fi
  stats=$(cat "$tmp/stats")
  case $stats in
    *fuzzy*|*untranslated*)
      echo "not ok: $what: $stats" >&2
      return 1
      ;;
  esac
  case $stats in
    *translated*) ;;
    *)
      echo "not ok: $what: no translated message ($stats)" >&2
      return 1
      ;;
  esac
  echo "ok: $what: $stats"
}

status=0
for lang in $(sed -e 's/#.*//' po/LINGUAS); do
  po=po/$lang.po
  if [ ! -f "$po" ]; then
    echo "not ok: po/LINGUAS names $lang but $po does not exist" >&2
    status=1
    continue
  fi
  check_stats "$po" "$po" || status=1
  "$msgmerge" --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/loket.pot"
  if ! check_stats "$po merged with the current sources" "$tmp/$lang.po"; then
    echo "these strings in the sources have no finished $lang translation yet:" >&2
    for which in --untranslated --only-fuzzy; do
      msgattrib "$which" --no-obsolete --no-wrap "$tmp/$lang.po" |
        sed '1,/^$/d' | grep -E '^(msgctxt|msgid) ' >&2 || true
    done
    status=1
  fi
done
exit "$status"
