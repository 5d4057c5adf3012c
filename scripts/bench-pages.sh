#!/usr/bin/env bash
# Signed-in pages at full speed (issue 10): wrk against a release build on 127.0.0.1, SQLite by default or
# PostgreSQL when BENCH_DATABASE_URL is set (its database is emptied first: use a throw-away one).
#
#   scripts/bench-pages.sh                                   # SQLite, fresh demo data
#   BENCH_DATABASE_URL=postgres://u:p@127.0.0.1:5433/db scripts/bench-pages.sh
#
# The data: BENCH_DATA=county (default) loads `fuzheng demo county` (300 units, 3,000 accounts, 3 years) and signs in as
# the 单位财务 of unit 434001, reading its budget of this year; BENCH_DATA=demo uses the small Huailai demo (caiwu, 2023).
# In one run, each for BENCH_SECONDS (default 15) with wrk -t2 -c50 (BENCH_CONNECTIONS):
#   1. GET /healthz anonymously (the trivial route);
#   2. GET /healthz with caiwu's session cookie (session read, user lookup; no session write within a minute);
#   3. GET /units/434001/budgets/YEAR (the budget page), signed in;
#   4. GET /home (the 工作台: every registered task source's queries), signed in.
# Prints requests/s and latency percentiles (wrk --latency), the ratio of 2 to 1, and the goals of issue 10:
# signed-in trivial route ≥ 50% of the anonymous one, budget page p99 ≤ 50 ms. Record them in docs/PERFORMANCE.md.
# BENCH_BIN=path/to/fuzheng skips the build (its resource bundles beside it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

main() {
PORT="${BENCH_PORT:-8097}"
SECONDS_EACH="${BENCH_SECONDS:-15}"
CONNECTIONS="${BENCH_CONNECTIONS:-50}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

if [ -n "${BENCH_BIN:-}" ]; then
    BIN="$BENCH_BIN"
else
    echo "== release build (.build-release), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    swift build -c release --product fuzheng --scratch-path .build-release
    BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)/fuzheng"
fi

DATA="$(mktemp -d)"
PID=""
cleanup() {
    local rc=$?
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    if [ "$rc" -ne 0 ] && [ -s "$DATA/server.log" ]; then tail -n 20 "$DATA/server.log"; fi
    rm -rf "$DATA"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    KIND=postgresql
    psql "$BENCH_DATABASE_URL" -q -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null 2>&1
    export DATABASE_URL="$BENCH_DATABASE_URL"
else
    KIND=sqlite
    unset DATABASE_URL
fi

DATASET="${BENCH_DATA:-county}"
if [ "$DATASET" = county ]; then
    echo "== fuzheng demo county (300 units, 3,000 accounts, 3 years)"
    FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" demo county | tail -n 1
    YEAR="$(date +%Y)"
    FIND_USER="SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id
               WHERE n.code = '434001' AND u.role = 'unit_finance' ORDER BY u.username LIMIT 1"
    if [ "$KIND" = sqlite ]; then
        USERNAME="$(sqlite3 "$DATA/fuzheng.sqlite" "$FIND_USER;")"
    else
        USERNAME="$(psql "$BENCH_DATABASE_URL" -Atq -c "$FIND_USER")"
    fi
    SEED_FILE=Sources/FuzhengCore/Resources/demo/county.json
else
    YEAR=2023
    USERNAME=caiwu
    SEED_FILE=Sources/FuzhengServer/Resources/demo/organisation.json
fi
[ -n "$USERNAME" ] || { echo "no 单位财务 account of unit 434001 in the data set" >&2; exit 1; }

FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { echo "the server exited during start-up" >&2; exit 1; }
    sleep 0.5
done
BASE="http://127.0.0.1:$PORT"

# Sign in (the data set's initial password, from its seed file) and keep the session cookie.
JAR="$DATA/cookies"
PASSWORD="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["initialPassword"])' "$SEED_FILE")"
TOKEN="$(curl -fsS -c "$JAR" -b "$JAR" "$BASE/login" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n 1 \
    | sed 's/.*value="//; s/"//')"
curl -fsS -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "username=$USERNAME" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "_csrf=$TOKEN" "$BASE/login"
COOKIE="fz_session=$(awk '$6 == "fz_session" { print $7 }' "$JAR")"
PAGE="/units/434001/budgets/$YEAR"
STATUS="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$PAGE")"
[ "$STATUS" = 200 ] || { echo "signed-in $PAGE answered $STATUS, not 200: login failed?" >&2; exit 1; }
echo "== $KIND, $DATASET data ($USERNAME, $PAGE), $BIN, wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s each, $(nproc) cores"

run() { # label path [cookie]
    local out
    if [ -n "${3:-}" ]; then
        out="$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -H "Cookie: $3" "$BASE$2")"
    else
        out="$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$BASE$2")"
    fi
    local rps p50 p90 p99 errors
    rps="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
    p90="$(awk '$1 == "90%" { print $2 }' <<<"$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
    errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
    printf '%-34s %10s req/s   p50 %8s   p90 %8s   p99 %8s   %s\n' "$1" "$rps" "$p50" "$p90" "$p99" "$errors"
    eval "$4=\$rps; ${4}_p99=\$p99"
}
run "GET /healthz (anonymous)" /healthz "" ANON
run "GET /healthz (signed in)" /healthz "$COOKIE" SIGNED
run "GET $PAGE (signed in)" "$PAGE" "$COOKIE" BUDGET
run "GET /home (工作台, signed in)" /home "$COOKIE" HOME
echo "session writes during the run (from /metrics): $(curl -fsS "$BASE/metrics" | awk '/^fuzheng_session_writes / { print $2 }')"
python3 - "$ANON" "$SIGNED" "$BUDGET_p99" <<'PY'
import sys, re
anon, signed, p99 = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
ratio = signed / anon
print(f"signed-in / anonymous trivial route: {ratio:.0%} (goal ≥ 50%): {'met' if ratio >= 0.5 else 'NOT met'}")
print(f"budget page p99: {ms(p99):.1f} ms (goal ≤ 50 ms): {'met' if ms(p99) <= 50 else 'NOT met'}")
PY
}
main "$@"
