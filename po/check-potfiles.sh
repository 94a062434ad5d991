#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-potfiles.sh SOURCE-ROOT
# Fails if a file under src/ or ui/ has translatable strings (_(), C_(), N_(),
# NC_(), ngettext, translatable="yes") but is not listed in po/POTFILES.in, or
# if POTFILES.in lists a file that does not exist.
set -eu

root=$1
cd "$root"

potfiles=po/POTFILES.in
listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" | sort -u >"$listed"

status=0
while read -r f; do
  if [ ! -f "$f" ]; then
    echo "not ok: $potfiles lists $f, which does not exist" >&2
    status=1
  fi
done <"$listed"

for dir in src ui; do
  [ -d "$dir" ] || continue
  find "$dir" -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' -o -name '*.blp' \) -print
done | sort | while read -r f; do
  if grep -Eq '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)[[:space:]]*\(' "$f" ||
     grep -Eq 'translatable[[:space:]]*=[[:space:]]*"(yes|true|1)"' "$f"; then
    echo "$f"
  fi
done >"$found"

missing=$(comm -13 "$listed" "$found")
if [ -n "$missing" ]; then
  echo "not ok: these files have translatable strings but are not in $potfiles:" >&2
  printf '%s\n' "$missing" >&2
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "ok: $potfiles lists all $(wc -l <"$found") files with translatable strings under src/ and ui/"
fi
exit "$status"
