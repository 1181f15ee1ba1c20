#!/usr/bin/env bash
# The GraphQL-over-HTTP audit suite of `graphql-http` (conformance/audit.mjs)
# against a live Accord server, on each backend in BACKENDS (default
# "sqlite postgres"). Fails if a MUST audit fails on any backend.
#
#   bash scripts/conformance.sh               # both databases
#   BACKENDS=sqlite bash scripts/conformance.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

(cd "$ROOT/conformance" && npm ci --no-audit --no-fund --loglevel=error)

status=0
for backend in ${BACKENDS:-sqlite postgres}; do
    echo "--- GraphQL over HTTP audits on $backend"
    new_database "$backend" conformance
    start_server "$DB_URL"
    ACCORD_URL="$SERVER_URL" ACCORD_TOKEN="$(token conformance-officer CICA secretariat)" \
        timeout 120 node "$ROOT/conformance/audit.mjs" || status=1
    stop_server
done
exit "$status"
