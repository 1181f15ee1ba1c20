#!/usr/bin/env bash
# Refreshes the browser builds the GraphiQL page embeds
# (api/assets/graphiql/vendor/) from the npm registry, exactly as
# api/assets/graphiql/package-lock.json pins them. `npm ci` checks every
# package against the lock's sha512 integrity; the files are then copied
# unchanged, with their licences, and their SHA-256 written to
# vendor/SHA256SUMS (a unit test checks the embedded bytes against it).
# The files are committed: building Accord needs no network.
#
#   bash scripts/vendor-graphiql.sh           # copy the pinned files into vendor/
#   bash scripts/vendor-graphiql.sh --check   # fail if vendor/ is not what the lock gives
#
# To move to other versions: change the exact versions in
# api/assets/graphiql/package.json, run
# `npm install --package-lock-only --ignore-scripts` there, then this script,
# and look at the page (scripts/graphiql-check.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ASSETS="$ROOT/api/assets/graphiql"
CHECK=""
case "${1:-}" in
    "") ;;
    --check) CHECK=1 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/accord-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp "$ASSETS/package.json" "$ASSETS/package-lock.json" "$WORK/"
(cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

OUT="$WORK/vendor"
mkdir -p "$OUT"
NM="$WORK/node_modules"
# The served files: React's and ReactDOM's UMD builds (globals `React`,
# `ReactDOM`) and GraphiQL's self-contained browser build (global
# `GraphiQL`; it bundles its own dependencies, graphql-js among them) with
# its style sheet (fonts and images inlined as data: URLs).
cp "$NM/react/umd/react.production.min.js" "$OUT/react.production.min.js"
cp "$NM/react-dom/umd/react-dom.production.min.js" "$OUT/react-dom.production.min.js"
cp "$NM/graphiql/graphiql.min.js" "$OUT/graphiql.min.js"
cp "$NM/graphiql/graphiql.min.css" "$OUT/graphiql.min.css"
cp "$NM/react/LICENSE" "$OUT/LICENSE.react"
cp "$NM/react-dom/LICENSE" "$OUT/LICENSE.react-dom"
cp "$NM/graphiql/LICENSE" "$OUT/LICENSE.graphiql"

# The licences of the packages graphiql.min.js is built from, as the lock
# resolves them (the bundle was built by GraphiQL's maintainers from the
# same packages, at versions that may differ by a patch). Only permissive
# licences are accepted.
node --input-type=module - "$WORK" "$OUT/THIRD-PARTY-LICENSES.txt" <<'EOF'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [work, out] = process.argv.slice(2);
const allowed = new Set(['MIT', 'ISC', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', 'Python-2.0']);
const lock = JSON.parse(readFileSync(join(work, 'package-lock.json'), 'utf8'));
const own = new Set(['node_modules/react', 'node_modules/react-dom', 'node_modules/graphiql']);
const parts = [
  'Third-party licences of the packages bundled in graphiql.min.js',
  '(React, ReactDOM and GraphiQL have their own LICENSE.* files beside this one).',
  '',
];
const bad = [];
for (const path of Object.keys(lock.packages).filter((p) => p && !own.has(p)).sort()) {
  const dir = join(work, path);
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licence = typeof meta.license === 'string' ? meta.license : JSON.stringify(meta.license);
  if (!allowed.has(licence)) bad.push(`${meta.name}@${meta.version}: ${licence}`);
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `(no licence file; package.json says ${licence})`;
  parts.push('='.repeat(72), `${meta.name}@${meta.version} (${licence})`, '='.repeat(72), text, '');
}
if (bad.length) {
  console.error(`licences not on the allow-list:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
writeFileSync(out, parts.join('\n'));
EOF

{
    echo "# sha256 of the vendored files, written by scripts/vendor-graphiql.sh from"
    echo "# $(cd "$WORK" && node -p '["graphiql", "react", "react-dom"].map((n) => n + "@" + require("./node_modules/" + n + "/package.json").version).join(" ")')"
    (cd "$OUT" && sha256sum react.production.min.js react-dom.production.min.js graphiql.min.js graphiql.min.css)
} >"$OUT/SHA256SUMS"

if [[ -n "$CHECK" ]]; then
    if diff -r "$OUT" "$ASSETS/vendor"; then
        echo "api/assets/graphiql/vendor/ is what the lock gives"
    else
        echo "api/assets/graphiql/vendor/ differs from what the lock gives; run scripts/vendor-graphiql.sh" >&2
        exit 1
    fi
else
    rm -rf "$ASSETS/vendor"
    cp -r "$OUT" "$ASSETS/vendor"
    echo "refreshed api/assets/graphiql/vendor/:"
    cat "$ASSETS/vendor/SHA256SUMS"
fi
