#!/usr/bin/env bash
# Runs a command with the wall clock moved to another time (libfaketime, Debian package `faketime`),
# to check that tests pass at any hour and on any date, e.g.
#   bash test/support/at-time.sh '2026-12-01 03:00 Europe/Berlin' node --test out/test/access/   # 03:00 in Berlin
#   bash test/support/at-time.sh '2027-06-01 01:00 UTC' node --test out/test/           # past 2026-12-31, night
# The date is anything GNU `date -d` reads, or that followed by an IANA zone name (`Europe/Berlin`).
# The clock keeps ticking from there: an offset, computed once here and shared by every child process,
# so processes that sign and check (SigV4, identity proofs) agree.
#
# Sourced (`source at-time.sh`), it only defines at_time_export '<date>', which exports that
# environment into the current shell (the e2e harness does this after its installs).
#
# Monotonic clocks are left alone (FAKETIME_DONT_FAKE_MONOTONIC=1): Python's threading (the aws CLI)
# waits with sem_clockwait on CLOCK_MONOTONIC, which libfaketime does not translate, so a faked
# monotonic clock makes those waits hang. The price, with libfaketime 0.9.10 (Debian 12): a timed
# wait on a CLOCK_MONOTONIC condition variable returns at once (fixed upstream after 0.9.10).
# Node and the aws CLI live with that; Chromium's threads wait that way all the time and spin until
# the page never loads, so a browser must not run under this (test/e2e/workbench.mjs drops it).

# The epoch seconds of '<date>' ('<date> <Area/City>' is read in that zone), or a message and 2.
at_time_epoch() {
  local when="$1" zone="${1##* }"
  if [[ "$zone" == */* && "$when" == *" "* && -f "/usr/share/zoneinfo/$zone" ]]; then
    when="TZ=\"$zone\" ${when% *}"
  fi
  date -d "$when" +%s 2>/dev/null || { echo "at-time: cannot read the date '$1' (e.g. '2026-12-01 03:00 Europe/Berlin' or '2026-12-01 02:00 UTC')" >&2; return 2; }
}

at_time_export() {
  local lib target
  lib="$(dpkg -L libfaketime 2>/dev/null | grep 'libfaketime\.so\.1$' | head -1 || true)"
  [ -n "$lib" ] || { echo "at-time: libfaketime is not installed (apt-get install faketime)" >&2; return 2; }
  target="$(at_time_epoch "$1")" || return 2
  export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME="$(printf '%+ds' "$((target - $(date +%s)))")" FAKETIME_DONT_FAKE_MONOTONIC=1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  [ $# -ge 2 ] || { echo "usage: $0 '<date>' command…" >&2; exit 2; }
  at_time_export "$1" || exit 2
  shift
  exec "$@"
fi
