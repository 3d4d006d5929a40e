#!/usr/bin/env bash
# Runs the Dockerfile's build and runtime steps on the host, as written, without a Docker engine:
#   builder:  npm ci (reused: this checkout's node_modules, installed by `npm ci`) → npm run build
#             → npm prune --omit=dev
#   runtime:  only package.json, .npmrc, node_modules, dist, bin; NODE_ENV=production; an
#             unprivileged user; `node bin/autovoice.mjs serve`; HEALTHCHECK `node bin/healthcheck.mjs`.
# Passes when the server becomes ready under the unprivileged user, runs no TypeScript (no src/),
# ships no dev dependencies, and stops cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

work=$(mktemp -d /tmp/autovoice-runtime.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -9 "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== builder stage (npm run build && npm prune --omit=dev)"
mkdir -p "$work/builder"
cp package.json package-lock.json .npmrc tsconfig.json tsconfig.build.json "$work/builder/"
cp -a node_modules src "$work/builder/"
(cd "$work/builder" && npm run build --silent && npm prune --omit=dev --no-audit --no-fund >/dev/null 2>&1)
for dev in typescript eslint prettier; do
  if [ -e "$work/builder/node_modules/$dev" ]; then echo "dev dependency $dev left in the runtime tree" >&2; exit 1; fi
done

echo "== runtime stage (no src/, no dev dependencies)"
runtime="$work/app"
mkdir -p "$runtime" "$work/data"
cp "$work/builder/package.json" "$work/builder/.npmrc" "$runtime/"
cp -a "$work/builder/node_modules" "$work/builder/dist" "$repo/bin" "$runtime/"
chmod -R a+rX "$work"

run_as=()
if [ "$(id -u)" = 0 ]; then
  id autovoice >/dev/null 2>&1 || useradd --system --uid 10001 --user-group --home-dir "$runtime" --shell /usr/sbin/nologin autovoice
  chown autovoice: "$work/data"
  run_as=(setpriv --reuid=autovoice --regid=autovoice --init-groups)
fi

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export NODE_ENV=production AUTOVOICE_DATA_DIR="$work/data" AUTOVOICE_PORT="$port" AUTOVOICE_HOST=127.0.0.1 AUTOVOICE_AUTH=required
(cd "$runtime" && exec "${run_as[@]}" node bin/autovoice.mjs serve) >"$work/server.log" 2>&1 &
server_pid=$!

echo "== HEALTHCHECK (node bin/healthcheck.mjs) on port $port"
ready=no
for _ in $(seq 1 120); do
  if (cd "$runtime" && node bin/healthcheck.mjs); then ready=yes; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if [ "$ready" != yes ]; then
  echo "server never became ready; its log:" >&2
  tail -50 "$work/server.log" >&2
  exit 1
fi
user=$(ps -o user= -p "$(pgrep -P "$server_pid" node || echo "$server_pid")" | tail -1)
echo "server ready, running as: $user"
if [ "$(id -u)" = 0 ] && [ "$user" = root ]; then echo "server runs as root" >&2; exit 1; fi

echo "== graceful stop (SIGTERM)"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" != 0 ]; then
  echo "server exited with $status on SIGTERM; its log:" >&2
  tail -30 "$work/server.log" >&2
  exit 1
fi
echo "docker runtime steps: OK"
