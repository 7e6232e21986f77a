#!/usr/bin/env bash
# Instructions per request, counted by callgrind: repeatable where wall-clock
# A/B runs are not (this machine's speed swings by up to 2x within an hour,
# and it has no hardware counters for `perf stat`).
#
#   bench/callgrind.sh PATH [N] [gzip]     from the repository root
#   UNDERSIGNED_BIN=PATH                   measure this binary (default: build
#                                          and use target/release/undersigned)
#   CALLGRIND_KEEP=DIR                     keep callgrind's files there (an
#                                          absolute path, or from the
#                                          repository root), for
#                                          callgrind_annotate
#
# Seeds a letter `bench` with 1,000 signatories in a temporary SQLite
# database, starts the server under callgrind with instrumentation off,
# warms the path up with 50 requests, then counts the server's instructions
# (every thread) over N more (default 3000) on one keep-alive connection,
# and prints them per request. Counts are kept for ten minutes
# (`count_cache_ms`) so that no page is rendered again during the count.
# Kernel time is not counted, and valgrind's CPU has no SHA extensions,
# so hashing weighs more here than on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
REQ_PATH=${1:?usage: bench/callgrind.sh PATH [N] [gzip]}
N=${2:-3000}
GZIP=${3:-}
command -v valgrind >/dev/null || { echo "bench/callgrind.sh needs valgrind" >&2; exit 1; }
command -v callgrind_control >/dev/null || { echo "bench/callgrind.sh needs callgrind_control (valgrind)" >&2; exit 1; }
if [ -z "${UNDERSIGNED_BIN:-}" ]; then
  cargo build --release --quiet --bin undersigned
fi
BIN=${UNDERSIGNED_BIN:-$PWD/target/release/undersigned}
cargo build --release --quiet --example bench_tool
TOOL=$PWD/target/release/examples/bench_tool

WORK=$(mktemp -d /tmp/undersigned-callgrind.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
DB="sqlite://$WORK/app.db"
"$TOOL" --database-url "$DB" seed --slug bench --signatories 1000 >/dev/null 2>&1
printf 'min_fill_ms = 0\ncount_cache_ms = 600000\n' >"$WORK/undersigned.toml"
PORT=$((20000 + RANDOM % 20000))

UNDERSIGNED_RATE_LIMITS=off RUST_LOG=warn valgrind --tool=callgrind --instr-atstart=no \
  --callgrind-out-file="$WORK/callgrind.out.%p" \
  "$BIN" --config "$WORK/undersigned.toml" --data-dir "$WORK/data" --database-url "$DB" \
  serve --bind "127.0.0.1:$PORT" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.err" >&2; exit 1; }
  sleep 0.2
done

hit() {
  python3 - "$PORT" "$REQ_PATH" "$1" "$GZIP" <<'PY'
import http.client, sys
port, path, n, gz = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Accept-Encoding": "gzip"} if gz else {}
for _ in range(n):
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{path}: {response.status}")
PY
}
hit 50
callgrind_control -i on "$SERVER" >/dev/null 2>&1
hit "$N"
callgrind_control -i off "$SERVER" >/dev/null 2>&1
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=""
TOTAL=$(cat "$WORK"/callgrind.out.* | awk '/^totals:/ {s += $2} END {print s}')
if [ -n "${CALLGRIND_KEEP:-}" ]; then
  mkdir -p "$CALLGRIND_KEEP"
  cp "$WORK"/callgrind.out.* "$CALLGRIND_KEEP"/
fi
echo "$REQ_PATH${GZIP:+ (gzip)}: $((TOTAL / N)) instructions per request ($N requests)"
