#!/usr/bin/env bash
# HTTP benchmark of the public disclosure page against a bare route of the same server (issue 4).
#
#   scripts/bench-http.sh            # release build, SQLite, wrk -t2 -c100 -d30s on each URL
#
# Needs wrk (apt-get install wrk). Runs only against 127.0.0.1. Prints requests/s, latency
# percentiles and the server's peak resident memory under load; record the figures in
# docs/PERFORMANCE.md with this command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT="${BENCH_PORT:-8095}"
DURATION="${BENCH_DURATION:-30s}"
CONNECTIONS="${BENCH_CONNECTIONS:-100}"
THREADS="${BENCH_THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

swift build -c release --product fuzheng
BIN="$(swift build -c release --show-bin-path)/fuzheng"

DATA="$(mktemp -d)"
LOG="$DATA/server.log"
FUZHENG_DATA_DIR="$DATA" FUZHENG_BCRYPT_COST=4 LOG_LEVEL=warning "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$LOG" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/disclosures/434001/2023" >/dev/null

peak_rss() {  # samples VmRSS every 0.2 s until the file $1 exists; prints the peak in MB
    local peak=0 rss
    while [ ! -e "$1" ]; do
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
        [ "${rss:-0}" -gt "$peak" ] && peak=$rss
        sleep 0.2
    done
    echo $((peak / 1024))
}

run() {  # $1 label, $2 path
    local done_flag="$DATA/done-$1"
    peak_rss "$done_flag" >"$DATA/rss-$1" &
    local sampler=$!
    echo "== $1: GET $2 (wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$2" | tee "$DATA/wrk-$1"
    touch "$done_flag"
    wait "$sampler"
    echo "peak resident memory during $1: $(cat "$DATA/rss-$1") MB"
    echo
}

run bare /healthz
run disclosure /disclosures/434001/2023

bare=$(awk '/Requests\/sec/ {print $2}' "$DATA/wrk-bare")
page=$(awk '/Requests\/sec/ {print $2}' "$DATA/wrk-disclosure")
p99=$(awk '$1 == "99%" {print $2}' "$DATA/wrk-disclosure")
echo "== summary"
echo "bare route:        $bare req/s"
echo "disclosure page:   $page req/s ($(awk -v a="$page" -v b="$bare" 'BEGIN { printf "%.0f", 100 * a / b }')% of bare), p99 $p99"
echo "peak RSS (page):   $(cat "$DATA/rss-disclosure") MB"
