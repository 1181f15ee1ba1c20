#!/usr/bin/env bash
# The schema's conventions, checked on the committed SDL (schema.graphql,
# which a test keeps equal to the schema the code builds):
#
# 1. graphql-schema-linter with the Relay rules (connections, their
#    arguments, PageInfo) and the description rules, configured in
#    scripts/schema-check/graphql-schema-linter.config.js;
# 2. a breaking-change diff (graphql-inspector) with the front-ends'
#    contract as the old schema: schema.graphql may add to the contract,
#    never remove or change what it names.
#
# The tools are pinned by scripts/schema-check/package-lock.json.
#
#   bash scripts/schema-check.sh
#   ACCORD_CONTRACT=path/to/contract.graphql bash scripts/schema-check.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/scripts/schema-check"
SCHEMA="$ROOT/schema.graphql"
CONTRACT="${ACCORD_CONTRACT:-$ROOT/../shared/contract/contract.graphql}"

(cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error)

status=0
echo "--- graphql-schema-linter: Relay conventions and descriptions"
"$TOOLS/node_modules/.bin/graphql-schema-linter" \
    --config-directory "$TOOLS" --format text "$SCHEMA" || status=1

echo "--- graphql-inspector: schema.graphql against the contract ($CONTRACT)"
if [[ ! -f "$CONTRACT" ]]; then
    echo "the contract is missing: $CONTRACT (set ACCORD_CONTRACT)" >&2
    exit 1
fi
# Only breaking changes fail; additions are listed as safe.
(cd "$TOOLS" && node_modules/.bin/graphql-inspector diff "$CONTRACT" "$SCHEMA" 2>&1 \
    | grep -v '^\[log\] ✔') || status=1

exit "$status"
