#!/usr/bin/env bash
# Bounded schemathesis fuzzing of the live GraphQL endpoint, once per role,
# on each backend in BACKENDS (default "sqlite postgres"): no 5xx, no panic,
# no INTERNAL error, responses conform to the schema, no cross-state data
# (see scripts/fuzz_api.py). Fixed seed; bounded by FUZZ_MAX_EXAMPLES (per
# root field, role and mode) and FUZZ_BUDGET_SECS (per backend).
#
#   bash scripts/fuzz-api.sh
#   BACKENDS=sqlite FUZZ_MAX_EXAMPLES=50 FUZZ_BUDGET_SECS=600 bash scripts/fuzz-api.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCHEMATHESIS_VERSION=4.32.5
VENV="${FUZZ_VENV:-$ROOT/target/fuzz-api-venv}"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import schemathesis, sys; sys.exit(schemathesis.__version__ != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

status=0
for backend in ${BACKENDS:-sqlite postgres}; do
    echo "--- schemathesis $SCHEMATHESIS_VERSION on $backend"
    new_database "$backend" fuzz
    start_server "$DB_URL"
    HYPOTHESIS_STORAGE_DIRECTORY="$WORK_DIR/hypothesis" \
        timeout $(( ${FUZZ_BUDGET_SECS:-120} + 120 )) "$VENV/bin/python" "$ROOT/scripts/fuzz_api.py" \
        --url "$SERVER_URL" --bin "$(accord_bin)" \
        --seed "${FUZZ_SEED:-20261123}" \
        --max-examples "${FUZZ_MAX_EXAMPLES:-10}" \
        --budget "${FUZZ_BUDGET_SECS:-120}" || status=1
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "the server died during fuzzing" >&2
        status=1
    fi
    stop_server
    if grep -n "panicked" "$SERVER_LOG"; then
        echo "the server panicked during fuzzing (above)" >&2
        status=1
    fi
done
exit "$status"
