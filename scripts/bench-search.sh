#!/usr/bin/env bash
# Search over the county's 公文 (issue 15): a release build on 127.0.0.1 against `fuzheng demo county` with its
# documents (BENCH_DOCUMENTS, default 200,000), SQLite by default or PostgreSQL when BENCH_DATABASE_URL is set (its
# database is emptied first: use a throw-away one).
#
#   BENCH_BIN=.build-release/release/fuzheng scripts/bench-search.sh
#   BENCH_DATABASE_URL=postgres://u:p@127.0.0.1:5433/db BENCH_BIN=… scripts/bench-search.sh
#
# Queries: two-character words of the data set's topics (会议, 预算, 防汛 …, common and rare), three-word phrases and
# exact 文号 read from the database. Each is asked BENCH_ROUNDS times (default 10) by BENCH_CLIENTS (default 4)
# clients at once:
#   1. GET /public/documents?q=… (the portal, anonymous: issued 主动公开 documents);
#   2. GET /documents?view=all&q=… signed in as a county-wide reader (a 领导 of the county data set);
#   3. GET /search?q=… as the same reader: 公文检索 over 发文 and 收文 at once (issue 17), and with a year filter.
# Prints p50 / p95 / p99 and the goal of the issue: search p95 ≤ 100 ms. Record it in docs/PERFORMANCE.md.
# BENCH_DATA_DIR=folder keeps the loaded county there (and reuses it when it is already loaded); with PostgreSQL,
# BENCH_REUSE=1 searches the county already in BENCH_DATABASE_URL instead of emptying and loading it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT="${BENCH_PORT:-8096}"
DOCUMENTS="${BENCH_DOCUMENTS:-200000}"
BIN="${BENCH_BIN:-.build-release/release/fuzheng}"
[ -x "$BIN" ] || { echo "no release binary at $BIN (swift build -c release --product fuzheng --scratch-path .build-release)" >&2; exit 1; }

KEEP=0
if [ -n "${BENCH_DATA_DIR:-}" ]; then DATA="$BENCH_DATA_DIR"; KEEP=1; mkdir -p "$DATA"; else DATA="$(mktemp -d)"; fi
PID=""
cleanup() {
    local rc=$?
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    if [ "$rc" -ne 0 ] && [ -s "$DATA/server.log" ]; then tail -n 20 "$DATA/server.log"; fi
    [ "$KEEP" = 1 ] || rm -rf "$DATA"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sql() {
    if [ -n "${BENCH_DATABASE_URL:-}" ]; then psql "$BENCH_DATABASE_URL" -Atq -c "$1"
    else python3 -c 'import sqlite3,sys; [print("|".join(map(str,r))) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' \
        "$DATA/fuzheng.sqlite" "$1"; fi
}

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    KIND=postgresql
    if [ "${BENCH_REUSE:-0}" != 1 ]; then
        psql "$BENCH_DATABASE_URL" -q -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null 2>&1
    fi
    export DATABASE_URL="$BENCH_DATABASE_URL"
else
    KIND=sqlite
    unset DATABASE_URL
fi
if { [ "$KIND" = sqlite ] && [ -s "$DATA/fuzheng.sqlite" ]; } || [ "${BENCH_REUSE:-0}" = 1 ]; then
    echo "== reusing the county in $DATA"
else
    echo "== fuzheng demo county --documents $DOCUMENTS ($KIND)"
    start=$SECONDS
    FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" demo county --documents "$DOCUMENTS" | tail -n 1
    echo "   loaded in $((SECONDS - start)) s"
fi
echo "== $(sql "SELECT count(*) FROM documents") documents, $(sql "SELECT count(*) FROM incoming_documents") incoming, \
$(sql "SELECT count(*) FROM archive_items") archived, $(sql "SELECT count(*) FROM search_terms") index rows"
YEAR="$(sql "SELECT min(year) FROM documents")"

FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { echo "the server exited during start-up" >&2; exit 1; }
    sleep 0.5
done

READER="$(sql "SELECT username FROM users WHERE role = 'leader' ORDER BY username LIMIT 1")"
NUMBERS="$(sql "SELECT number_text FROM documents WHERE step = 'issued' AND openness = 'zhudong' AND restricted = false
                AND number_text IS NOT NULL ORDER BY id LIMIT 5" | tr '\n' '|')"
PASSWORD="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["initialPassword"])' \
    Sources/FuzhengCore/Resources/demo/county.json)"

python3 - "http://127.0.0.1:$PORT" "$READER" "$PASSWORD" "$NUMBERS" "${BENCH_ROUNDS:-10}" "${BENCH_CLIENTS:-4}" \
    "$KIND" "$YEAR" <<'PY'
import concurrent.futures, http.cookiejar, re, statistics, sys, time, urllib.parse, urllib.request
base, reader, password, numbers, rounds, clients, kind, year = sys.argv[1:9]
rounds, clients = int(rounds), int(clients)
words = ["会议", "预算", "防汛", "安全", "档案", "消防", "公文", "督查", "乡村", "食品", "供暖", "统计",
         "一网通办", "政府采购行为", "冬季供暖保障", "森林防火工作"]
queries = words + [n for n in numbers.split("|") if n]

def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

signed = opener()
page = signed.open(base + "/login").read().decode()
token = re.search(r'name="_csrf" value="([0-9a-f]+)"', page).group(1)
signed.open(base + "/login", urllib.parse.urlencode(
    {"username": reader, "password": password, "_csrf": token}).encode()).read()
check = signed.open(base + "/documents?view=all").read().decode()
assert "/logout" in check or "退出" in check, "sign-in failed"

def measure(label, make_url, op):
    times, found, per = [], {}, {}
    def one(q):
        start = time.perf_counter()
        body = op.open(make_url(q)).read().decode()
        elapsed = (time.perf_counter() - start) * 1000
        m = re.search(r"共 (\d+)", body)
        return q, elapsed, m.group(1) if m else "?"
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for q, ms, n in pool.map(one, [q for _ in range(rounds) for q in queries]):
            times.append(ms)
            found[q] = n
            per.setdefault(q, []).append(ms)
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    print(f"{label:44} n={len(times):4}  p50 {pct(0.50):7.1f} ms  p95 {pct(0.95):7.1f} ms  p99 {pct(0.99):7.1f} ms"
          f"  goal p95 ≤ 100 ms: {'met' if pct(0.95) <= 100 else 'NOT met'}")
    print("   hits: " + ", ".join(f"{q} {n}" for q, n in list(found.items())[:10]))
    slow = sorted(per.items(), key=lambda kv: -statistics.median(kv[1]))[:4]
    print("   slowest (median): " + ", ".join(f"{q} {statistics.median(v):.0f} ms" for q, v in slow))

anonymous = opener()
measure(f"{kind}: /public/documents?q= (anonymous)",
        lambda q: f"{base}/public/documents?q={urllib.parse.quote(q)}", anonymous)
measure(f"{kind}: /documents?view=all&q= ({reader})",
        lambda q: f"{base}/documents?view=all&q={urllib.parse.quote(q)}", signed)
measure(f"{kind}: /search?q= 发文+收文 ({reader})",
        lambda q: f"{base}/search?q={urllib.parse.quote(q)}", signed)
measure(f"{kind}: /search?q=&year={year}&state=archived",
        lambda q: f"{base}/search?q={urllib.parse.quote(q)}&year={year}&state=archived", signed)
PY
