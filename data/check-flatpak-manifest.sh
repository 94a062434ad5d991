#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-flatpak-manifest.sh FLATPAK-BUILDER MANIFEST APP-ID
# Parses the manifest with flatpak-builder --show-manifest (no network, no
# build) and fails on a parse failure or any warning/error it prints, e.g. an
# unknown property, plus if the parsed id is not APP-ID. An empty
# FLATPAK-BUILDER (not installed, e.g. inside the Flatpak SDK) skips.
set -eu

builder=$1
manifest=$2
app_id=$3

if [ -z "$builder" ]; then
  echo "SKIP: flatpak-builder is not installed" >&2
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# flatpak-builder leaves a .flatpak-builder state directory in its working
# directory: run it in the temporary one.
case $manifest in
  /*) ;;
  *) manifest=$(pwd)/$manifest ;;
esac
if ! (cd "$tmp" && "$builder" --show-manifest "$manifest") >"$tmp/out" 2>"$tmp/err"; then
  echo "not ok: flatpak-builder could not parse $manifest:" >&2
  cat "$tmp/err" >&2
  exit 1
fi
if grep -Ei 'warning|error' "$tmp/err" >&2; then
  echo "not ok: flatpak-builder printed the warnings above for $manifest" >&2
  exit 1
fi
if ! grep -Eq "^[[:space:]]*\"(id|app-id)\"[[:space:]]*:[[:space:]]*\"$app_id\"" "$tmp/out"; then
  echo "not ok: $manifest does not declare the id $app_id" >&2
  exit 1
fi
echo "ok: $manifest parses cleanly"
