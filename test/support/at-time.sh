#!/usr/bin/env bash
# Runs a command with the wall clock moved to another time (libfaketime, Debian package `faketime`),
# to check that tests pass at any hour and on any date, e.g.
#   bash test/support/at-time.sh '2026-11-29 02:00 UTC' node --test out/test/access/   # Sunday 03:00 Berlin
#   bash test/support/at-time.sh '2027-06-01 01:00 UTC' node --test out/test/           # past 2026-12-31, night
# The clock keeps ticking from there (an offset, shared by every child process, so processes agree);
# monotonic clocks (timers) are left alone.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 '<date>' command…" >&2; exit 2; }
LIB="$(dpkg -L libfaketime 2>/dev/null | grep 'libfaketime\.so\.1$' | head -1 || true)"
[ -n "$LIB" ] || { echo "at-time: libfaketime is not installed (apt-get install faketime)" >&2; exit 2; }
TARGET="$(date -d "$1" +%s)"; shift
export LD_PRELOAD="$LIB${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME="$(printf '%+ds' "$((TARGET - $(date +%s)))")" FAKETIME_DONT_FAKE_MONOTONIC=1
exec "$@"
