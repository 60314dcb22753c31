# Background processes of a harness, stopped on success, failure and interrupt. Source it, start
# long-running processes with `bg_start CMD…`, then `trap procs_cleanup EXIT` (INT/TERM/HUP are
# routed to EXIT here). Each job runs in its own process group (set -m); on cleanup every group and
# every descendant found (code-server's terminals call setsid, so they leave the group) gets SIGTERM,
# then SIGKILL after up to 10 s.
set -m
BG_PIDS=()

bg_start() { "$@" & BG_PIDS+=($!); }

# The pids of $1's descendants, deepest last.
procs_descendants() {
  local kids k
  kids="$(ps -o pid= --ppid "$1" 2>/dev/null || true)"
  for k in $kids; do echo "$k"; procs_descendants "$k"; done
}

procs_stop_all() {
  local all=() p g alive
  # bash's job table too: a signal that lands between `cmd &` and `BG_PIDS+=` runs the trap before
  # the pid is recorded, and that job would outlive the harness (and hold its output pipes open).
  for p in $(jobs -p); do [[ " ${BG_PIDS[*]} " == *" $p "* ]] || BG_PIDS+=("$p"); done
  for p in "${BG_PIDS[@]}"; do all+=("$p"); while read -r g; do [ -n "$g" ] && all+=("$g"); done < <(procs_descendants "$p"); done
  ((${#all[@]})) || return 0
  for p in "${BG_PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for p in "${all[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    alive=0
    for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && { alive=1; break; }; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "${BG_PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  for p in "${all[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  BG_PIDS=()
}

trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
