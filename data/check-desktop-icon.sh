#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-desktop-icon.sh DESKTOP-FILE ICON-NAME ICONS-DIR
# Fails unless the desktop file's Icon= is ICON-NAME and the icons we install
# under ICONS-DIR (hicolor scalable + symbolic) carry that name.
set -eu

desktop=$1
expected=$2
icons=$3

icon=$(sed -n 's/^Icon=//p' "$desktop")
if [ -z "$icon" ]; then
  echo "not ok: $desktop has no Icon= key" >&2
  exit 1
fi
if [ "$(printf '%s\n' "$icon" | wc -l)" -ne 1 ]; then
  echo "not ok: $desktop has more than one Icon= key" >&2
  exit 1
fi
if [ "$icon" != "$expected" ]; then
  echo "not ok: Icon=$icon in $desktop, but the installed icon is named $expected" >&2
  exit 1
fi
for f in "$icons/hicolor/scalable/apps/$icon.svg" \
         "$icons/hicolor/symbolic/apps/$icon-symbolic.svg"; do
  if [ ! -s "$f" ]; then
    echo "not ok: icon file $f is missing or empty" >&2
    exit 1
  fi
done
echo "ok: Icon=$icon matches the installed icons"
