#!/usr/bin/env bash
# The GraphiQL page in headless Chromium with no network: `accord serve
# --demo` on a free port and a fresh SQLite file, and the browser driven by
# scripts/graphiql-check.mjs (playwright-core, the system's Chromium), both
# inside a network namespace that has only loopback. The page must load,
# ask for a token, list `Query` in its docs and run a query, requesting
# nothing beyond the server (the .mjs fails on any other request, and
# there is no route elsewhere anyway).
#
#   bash scripts/graphiql-check.sh
#
#   ACCORD_BIN   the binary (default target/debug/accord, built when missing)
#   CHROMIUM     the browser (default /usr/bin/chromium; Debian's `chromium`
#                package is installed when it is missing)
#   SCREENSHOT   where the screenshots go (default /tmp/accord-graphiql.png)
#
# Needs user namespaces (`unshare --user --net`), or root.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "${1:-}" != "--offline" ]]; then
    # First what needs the network: the browser, playwright-core, the binary.
    export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
    if [[ ! -x "$CHROMIUM" ]]; then
        apt-get update -q && apt-get install -y -q --no-install-recommends chromium
    fi
    (cd "$ROOT/scripts" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    export ACCORD_BIN="${ACCORD_BIN:-$ROOT/target/debug/accord}"
    if [[ ! -x "$ACCORD_BIN" ]]; then
        (cd "$ROOT" && cargo build -q -p accord-api)
    fi
    # Then the check itself, with only loopback.
    if ! unshare --user --map-root-user --net true 2>/dev/null; then
        echo "cannot make a network namespace (unshare --user --net): the check needs one" >&2
        exit 1
    fi
    exec unshare --user --map-root-user --net bash "$0" --offline
fi

ip link set lo up
if ip route get 1.1.1.1 >/dev/null 2>&1; then
    echo "this namespace has a route beyond loopback" >&2
    exit 1
fi

source "$ROOT/scripts/lib.sh"
export ACCORD_FILES_DIR="$WORK_DIR/files"
new_database sqlite graphiql
start_server "$DB_URL" --demo
echo "--- GraphiQL at ${SERVER_URL} (no network), in $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
ACCORD_BASE="${SERVER_URL%/graphql}" \
    ACCORD_TOKEN="$(token graphiql-officer CICA secretariat)" \
    timeout 180 node "$ROOT/scripts/graphiql-check.mjs"
stop_server
