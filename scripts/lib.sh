# Shared by scripts/conformance.sh, fuzz-api.sh and crash-test.sh (sourced,
# not run): the accord binary, fresh databases, and a server on a free port
# that is killed when the calling script exits.
#
#   ACCORD_BIN                 the binary (default: target/debug/accord, built
#                              with `cargo build -p accord-api` when missing)
#   ACCORD_TEST_POSTGRES_URL   where the PostgreSQL runs create their fresh
#                              databases (default postgres://postgres@127.0.0.1:5432/test)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ACCORD_JWT_SECRET="${ACCORD_JWT_SECRET:-accord-scripts-secret-0123456789abcdefghijklmnop}"
export ACCORD_LOG="${ACCORD_LOG:-warn}"
PG_ADMIN_URL="${ACCORD_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/accord-scripts.XXXXXX")"
SERVER_PID=""
SERVER_URL=""
SERVER_LOG=""
DB_URL=""
PG_DATABASES=()

accord_bin() {
    local bin="${ACCORD_BIN:-$ROOT/target/debug/accord}"
    if [[ ! -x "$bin" ]]; then
        (cd "$ROOT" && cargo build -q -p accord-api) >&2
    fi
    printf '%s\n' "$bin"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# new_database sqlite|postgres NAME — sets DB_URL to a fresh, empty database
# (removed on exit). Not in a subshell: it records what to drop.
new_database() {
    local backend="$1" name="$2"
    case "$backend" in
        sqlite)
            DB_URL="sqlite://$WORK_DIR/$name.db?mode=rwc"
            ;;
        postgres)
            local db
            db="accord_${name}_$$_${RANDOM}"
            psql -q -v ON_ERROR_STOP=1 "$PG_ADMIN_URL" -c "CREATE DATABASE $db" >/dev/null
            PG_DATABASES+=("$db")
            # The same server and credentials as the admin URL, another database.
            DB_URL="${PG_ADMIN_URL%/*}/$db"
            ;;
        *)
            echo "unknown backend $backend (sqlite or postgres)" >&2
            return 1
            ;;
    esac
}

# start_server DATABASE_URL [SERVE_ARGS…] — starts `accord serve` on a free
# port and waits until /readyz answers; sets SERVER_PID, SERVER_URL
# (…/graphql), SERVER_LOG.
start_server() {
    local db_url="$1" port bin
    shift
    bin="$(accord_bin)"
    port="$(free_port)"
    SERVER_LOG="$WORK_DIR/server-$port.log"
    ACCORD_LISTEN="127.0.0.1:$port" ACCORD_DATABASE_URL="$db_url" \
        "$bin" serve "$@" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    SERVER_URL="http://127.0.0.1:$port/graphql"
    for _ in $(seq 1 300); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the server exited while starting:" >&2
            cat "$SERVER_LOG" >&2
            SERVER_PID=""
            return 1
        fi
        sleep 0.1
    done
    echo "the server did not become ready in 30 s:" >&2
    cat "$SERVER_LOG" >&2
    return 1
}

# stop_server [SIGNAL] — stops the server started last (default TERM) and
# waits for it.
stop_server() {
    local signal="${1:-TERM}"
    if [[ -n "$SERVER_PID" ]]; then
        kill "-$signal" "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}

# token SUB ORG ROLE — a development token the server accepts.
token() {
    "$(accord_bin)" token --sub "$1" --name "$1" --org "$2" --role "$3"
}

cleanup() {
    stop_server KILL
    local db
    for db in "${PG_DATABASES[@]}"; do
        psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    if [[ -z "${KEEP_WORK_DIR:-}" ]]; then
        rm -rf "$WORK_DIR"
    else
        echo "kept $WORK_DIR" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
