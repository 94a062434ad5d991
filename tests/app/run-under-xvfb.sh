#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a GTK test program in a private D-Bus session on a private X server.
# Usage: run-under-xvfb.sh TEST-PROGRAM [ARGS...]
set -u

export GDK_BACKEND=x11
export GTK_A11Y="${GTK_A11Y:-none}"

# Services the private bus starts on demand (a Secret Service asked for by
# libsecret, for one) inherit this environment: give them a throwaway home,
# so that no test ever touches the real user's keyring or caches.
home=$(mktemp -d "${TMPDIR:-/tmp}/loket-test-home-XXXXXX")
mkdir -p "$home/runtime" && chmod 700 "$home/runtime"
export HOME="$home"
export XDG_RUNTIME_DIR="$home/runtime"
export XDG_CACHE_HOME="$home/cache"
export XDG_CONFIG_HOME="$home/config"
export XDG_DATA_HOME="$home/data"

status=0
dbus-run-session -- xvfb-run -a -s '-screen 0 1280x1024x24' "$@" || status=$?
rm -rf "$home"

# A test that crashed leaves its loket-server behind, holding the output
# pipe open. meson runs each test in its own process group (setsid): when
# this script leads its group, end whatever is left in it.
pgid=$(cut -d' ' -f5 /proc/$$/stat 2>/dev/null || echo 0)
if [ "$pgid" = "$$" ]; then
  trap '' TERM
  kill -TERM 0 2>/dev/null || true
fi

exit "$status"
