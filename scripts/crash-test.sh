#!/usr/bin/env bash
# Crash test: SIGKILL the server in the middle of a mutation load, restart
# it, and check that nothing acknowledged was lost and nothing is corrupt.
#
# For each backend in BACKENDS (default "sqlite"; add postgres, e.g.
# BACKENDS="sqlite postgres"), on one fresh database, CRASH_ITERATIONS (20)
# times:
#   1. drive a mutation load (createDraft, circulateDraft, addComment from
#      four client threads; scripts/crash_load.py), recording every
#      acknowledged mutation (HTTP 200, no errors, its id or note number);
#   2. SIGKILL the server a random 0.05-1.5 s after the first mutation of the
#      load is acknowledged (CRASH_SEED fixes the sequence of delays);
#   3. send again, with its idempotency key, to a second instance on the
#      same database (up all along), every keyed comment the kill left
#      unanswered; restart the killed one, and check that
#      every mutation acknowledged so far (in this and all earlier
#      iterations) is there, through GraphQL, each keyed comment exactly
#      once; note numbers are unique;
#   4. `accord audit verify` must exit 0;
#   5. SQLite: `PRAGMA integrity_check` must say ok and
#      `PRAGMA foreign_key_check` must find nothing.
# Exits non-zero on any loss or failed check.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ITERATIONS="${CRASH_ITERATIONS:-20}"
RANDOM="${CRASH_SEED:-4242}"
LOAD="$ROOT/scripts/crash_load.py"

# The second instance, which is never killed.
OTHER_PID=""
trap 'if [[ -n "$OTHER_PID" ]]; then kill -KILL "$OTHER_PID" 2>/dev/null || true; fi; cleanup' EXIT

sqlite_checks() {
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
fk = db.execute("PRAGMA foreign_key_check").fetchall()
if integrity != ["ok"] or fk:
    print(f"sqlite: integrity_check {integrity[:10]}, foreign_key_check {fk[:10]}", file=sys.stderr)
    sys.exit(1)
print("sqlite: integrity_check ok, foreign_key_check clean")
PY
}

crash_backend() {
    local backend="$1" db_url state acks started
    started=$SECONDS
    new_database "$backend" crash
    db_url="$DB_URL"
    state="$WORK_DIR/crash-$backend.json"
    acks="$WORK_DIR/crash-$backend.acks"
    : >"$acks"
    export CRASH_TOKEN_SECRETARIAT CRASH_TOKEN_KAZ CRASH_TOKEN_RUS
    CRASH_TOKEN_SECRETARIAT="$(token crash-officer CICA secretariat)"
    CRASH_TOKEN_KAZ="$(token crash-kaz KAZ delegate)"
    CRASH_TOKEN_RUS="$(token crash-rus RUS delegate)"

    local other_url
    start_server "$db_url"
    OTHER_PID="$SERVER_PID"
    other_url="$SERVER_URL"
    SERVER_PID=""
    start_server "$db_url"
    python3 "$LOAD" setup --url "$SERVER_URL" --state "$state"
    for i in $(seq 1 "$ITERATIONS"); do
        local ms delay load_pid before
        ms=$(( 50 + RANDOM % 1450 ))
        delay="$(printf '%d.%03d' $(( ms / 1000 )) $(( ms % 1000 )))"
        before="$(wc -l <"$acks")"
        python3 "$LOAD" load --url "$SERVER_URL" --state "$state" --acks "$acks" --seconds 30 \
            >"$WORK_DIR/load.out" 2>&1 &
        load_pid=$!
        # Mid-load: once the first mutation is acknowledged, at a random moment.
        for _ in $(seq 1 200); do
            (( $(wc -l <"$acks") > before )) && break
            sleep 0.05
        done
        sleep "$delay"
        stop_server KILL
        if ! wait "$load_pid"; then
            cat "$WORK_DIR/load.out" >&2
            echo "iteration $i: the load saw a server error" >&2
            return 1
        fi
        printf '[%s %2d/%d] killed %ss after the first acknowledgement; %s\n' "$backend" "$i" "$ITERATIONS" "$delay" \
            "$(tr '\n' ' ' <"$WORK_DIR/load.out")"
        python3 "$LOAD" retry --url "$other_url" --state "$state" --acks "$acks" | sed 's/^/    /'
        start_server "$db_url"
        python3 "$LOAD" verify --url "$SERVER_URL" --state "$state" --acks "$acks" | sed 's/^/    /'
        ACCORD_DATABASE_URL="$db_url" "$(accord_bin)" audit verify | sed 's/^/    /'
        if [[ "$backend" == sqlite ]]; then
            local path="${db_url#sqlite://}"
            sqlite_checks "${path%%\?*}" | sed 's/^/    /'
        fi
    done
    stop_server
    kill -TERM "$OTHER_PID" 2>/dev/null || true
    wait "$OTHER_PID" 2>/dev/null || true
    OTHER_PID=""
    echo "$backend: $ITERATIONS kills, $(wc -l <"$acks") acknowledged mutations, none lost ($(( SECONDS - started )) s)"
}

for backend in ${BACKENDS:-sqlite}; do
    echo "--- crash test on $backend"
    crash_backend "$backend"
done
