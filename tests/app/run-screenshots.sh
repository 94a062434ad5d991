#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the screenshots of the app in each language into BUILD/screenshots/LANG/.
# Usage: run-screenshots.sh BUILD-ROOT SCREENSHOTS-PROGRAM [LANG...]
# (default languages: en id). Each language runs in its own process: the
# interface language is chosen before GTK starts, as in the app.
set -u

root=$1
program=$2
shift 2
languages=${*:-en id}
here=$(dirname "$0")

status=0
for lang in $languages; do
  echo "# Screenshots in $lang: $root/screenshots/$lang"
  LANGUAGE=$lang LC_ALL=C.UTF-8 \
  LOKET_LOCALEDIR="$root/po" \
  LOKET_SCREENSHOT_DIR="$root/screenshots/$lang" \
    sh "$here/run-under-xvfb.sh" "$program" || status=$?
done

# As run-under-xvfb.sh: when this script leads its process group (meson
# runs each test in its own), end whatever a crashed run left in it.
pgid=$(cut -d' ' -f5 /proc/$$/stat 2>/dev/null || echo 0)
if [ "$pgid" = "$$" ]; then
  trap '' TERM
  kill -TERM 0 2>/dev/null || true
fi

exit "$status"
