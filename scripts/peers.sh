#!/usr/bin/env bash
# Races Accord against the Node peer of ../shared/peers (its run.sh, every
# variable passed through: ROUNDS, SECONDS_PER, WARMUP, CONNECTIONS, ...),
# from a copy whose seed holds its SWG and SOC meetings next year.
#
# The peer's seed circulates its draft today through Accord's mutations and
# then holds the meetings on 25 and 27 June of the current year; from late
# June on, Accord refuses that (a meeting cannot take up a draft before its
# circulation). The copy changes only the year of those two dates, as the
# bench's own seed does; what is loaded, compared and measured is the peer's.
#
#   cargo build --release -p accord-api
#   ROUNDS=7 SECONDS_PER=10 WARMUP=3 bash scripts/peers.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PEERS="${PEERS:-$ROOT/../shared/peers}"
[ -x "$PEERS/run.sh" ] || { echo "no peer at $PEERS (set PEERS)" >&2; exit 1; }

COPY="$(mktemp -d)"
trap 'rm -rf "$COPY"' EXIT
cp -r "$PEERS/." "$COPY/"
chmod -R u+w "$COPY"

SEED="$COPY/apollo/bench/seed.mjs"
FROM='const year = new Date().getUTCFullYear();'
grep -qF "$FROM" "$SEED" || {
    echo "$SEED no longer dates its meetings as this script expects; run $PEERS/run.sh itself" >&2
    exit 1
}
sed -i "s|$FROM|const year = new Date().getUTCFullYear() + 1;|" "$SEED"

cd "$ROOT"
ACCORD_BIN="${ACCORD_BIN:-$ROOT/target/release/accord}" bash "$COPY/run.sh"
