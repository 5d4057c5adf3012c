#!/usr/bin/env bash
# The 工作台 (GET /home) with 100 signed-in users at once (issue 17): a release build on 127.0.0.1 against the county
# data set of `fuzheng demo county` (3,000 accounts, 200,000 公文), SQLite by default or PostgreSQL when
# BENCH_DATABASE_URL is set. Goal: p99 ≤ 50 ms at 100 concurrent users.
#
#   BENCH_BIN=.build-release/release/fuzheng BENCH_DATA_DIR=/tmp/county3 scripts/bench-home.sh
#   BENCH_REUSE=1 BENCH_DATABASE_URL=postgres://u:p@127.0.0.1:5433/db BENCH_BIN=… scripts/bench-home.sh
#
# The users: BENCH_CLIENTS (default 100) distinct accounts of the county, a mix of every kind that has a 工作台 of
# its own (the share of each kind in percent of BENCH_CLIENTS: BENCH_MIX, default
# finance=25,head=20,leader=12,reviewer=10,office=9 — 434001 has nine such people — and staff fill the rest):
#   finance   单位财务 of as many units              head      单位负责人
#   office    the government office 434001: 文书, 核稿, 档案员, 督查室 (county-wide), 信息员 and its 办公人员
#   staff     办公人员 of other units                 reviewer  财政审核 of the finance bureau (county-wide)
#   leader    领导: the 434001 leader as a county-wide one (leader:county), two as 分管 leaders of four departments
#             each (leader:units=…), the rest of their own unit
# The data set has no leader with a scope (every account is its main role at the default scope), so unless
# BENCH_SCOPES=0 the three leaders' roles are set for the run and put back as they were when the script ends.
# Each user signs in as a browser does (GET /login, CSRF, POST /login → 303); /home is checked before the run.
#
# The load: wrk with scripts/bench_home.lua, BENCH_CLIENTS connections on BENCH_THREADS (2) threads, each request
# with the session of the next user of its thread, so the requests in flight are those of different people. A
# warm-up of BENCH_WARMUP seconds (5, not recorded), then BENCH_SECONDS (30) measured; then the same at 1 connection
# (all users in turn) for reference. Latency percentiles are wrk's own histogram (--latency); the timeout is 10 s
# so slow answers are counted, not dropped. Every answer must be 200 and the signed-in 工作台 (the role line and the
# logout form): any other answer, socket error or timeout fails the run. wrk is a closed loop without pauses: 100
# connections always have 100 requests waiting, so its latency is 100 ÷ the server's rate (Little's law). For
# comparison the same users then act as people (bench_home.py paced, open loop): each loads /home after random
# pauses of BENCH_THINK seconds on average (5; 0 skips it). Last, each user's /home one request at a time
# (BENCH_SINGLE_LOADS, 10 each; 0 skips it), by kind of user: which 工作台 are slow.
#
# Only on a quiet machine: before each measured run the script waits while a Swift build runs (pgrep
# swift-build|swift-frontend) or other processes use a quarter of a core, checking every 60 s; during the run
# bench_home.py watch samples every second, and a run is repeated (up to 5 times) when a Swift build or test ran or
# processes other than the server, the load generator and PostgreSQL used more than BENCH_OTHER_MAX cores (0.15)
# on average. Each figure is printed with what else ran meanwhile.
# BENCH_DATA_DIR=folder uses (or loads) the SQLite county there; with PostgreSQL, BENCH_REUSE=1 uses the county
# already in BENCH_DATABASE_URL instead of emptying it and loading one (25 min or more). Record the figures with
# their command in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CLIENTS="${BENCH_CLIENTS:-100}"
THREADS="${BENCH_THREADS:-2}"
SECONDS_MEASURED="${BENCH_SECONDS:-30}"
WARMUP="${BENCH_WARMUP:-5}"
DOCUMENTS="${BENCH_DOCUMENTS:-200000}"
MIX="${BENCH_MIX:-finance=25,head=20,leader=12,reviewer=10,office=9}"
BIN="${BENCH_BIN:-.build-release/release/fuzheng}"
[ -x "$BIN" ] || { echo "no release binary at $BIN (swift build -c release --product fuzheng --scratch-path .build-release)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
PORT="${BENCH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

KEEP=0
if [ -n "${BENCH_DATA_DIR:-}" ]; then DATA="$BENCH_DATA_DIR"; KEEP=1; mkdir -p "$DATA"; else DATA="$(mktemp -d)"; fi
WORK="$(mktemp -d)"
PID=""
RESTORE=""
cleanup() {
    local rc=$?
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    if [ "$rc" -ne 0 ] && [ -s "$WORK/server.log" ]; then tail -n 20 "$WORK/server.log"; fi
    if [ -n "$RESTORE" ]; then sql "$RESTORE" script >/dev/null && echo "== leaders' roles put back as they were"; fi
    rm -rf "$WORK"
    [ "$KEEP" = 1 ] || rm -rf "$DATA"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sql() { # statement [script: several statements, no result]
    if [ -n "${BENCH_DATABASE_URL:-}" ]; then psql "$BENCH_DATABASE_URL" -Atq -v ON_ERROR_STOP=1 -c "$1"
    else python3 -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1], timeout=60)
if len(sys.argv) > 3: c.executescript(sys.argv[2])
else:
    for r in c.execute(sys.argv[2]): print("|".join("" if v is None else str(v) for v in r))
c.commit()' "$DATA/fuzheng.sqlite" "$@"; fi
}

building() { pgrep -f '[s]wift-build|[s]wift-frontend' >/dev/null; }
OTHER_MAX="${BENCH_OTHER_MAX:-0.15}"   # cores other processes may use on average during a measured run
wait_quiet() { # no Swift build, and other processes using less than 0.25 core over 3 s
    local waited=0 other
    while :; do
        if building; then
            [ "$waited" = 0 ] && echo "   a Swift build is running: waiting until it ends (checked every 60 s)"
        else
            read -r other _ _ < <(python3 scripts/bench_home.py watch --seconds 3 ${PID:+--server "$PID"} \
                ${BENCH_DATABASE_URL:+--postgres})
            awk -v o="$other" 'BEGIN { exit !(o < 0.25) }' && return 0
            [ "$waited" = 0 ] && echo "   other processes use $other cores: waiting until they stop (checked every 60 s)"
        fi
        sleep 60
        waited=$((waited + 60))
        [ "$waited" -lt "${BENCH_WAIT_MAX:-10800}" ] || { echo "not quiet after $waited s: giving up" >&2; exit 1; }
    done
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
    echo "== reusing the county in ${BENCH_DATABASE_URL:+PostgreSQL }${BENCH_DATABASE_URL:-$DATA}" | sed 's/:[^:@/]*@/:…@/'
else
    echo "== fuzheng demo county --documents $DOCUMENTS ($KIND)"
    start=$SECONDS
    FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" demo county --documents "$DOCUMENTS" | tail -n 1
    echo "   loaded in $((SECONDS - start)) s"
fi
echo "== $KIND: $(sql "SELECT count(*) FROM users") accounts, $(sql "SELECT count(*) FROM documents") documents," \
    "$(sql "SELECT count(*) FROM incoming_documents") 收文, $(sql "SELECT count(*) FROM budgets") budgets"

# --- the users -------------------------------------------------------------------------------------------------
share() { # kind [already taken] → how many more of CLIENTS, never below 0
    local n
    n="$(tr ',' '\n' <<<"$MIX" | awk -F= -v k="$1" '$1 == k { print $2 }')"
    n=$(( ${n:-0} * CLIENTS / 100 - ${2:-0} ))
    echo $(( n < 0 ? 0 : n ))
}
USERS="$WORK/users.tsv"
: >"$USERS"
pick() { # kind, SQL giving usernames
    sql "$2" | awk -v k="$1" 'NF { print k "\t" $0 }' >>"$USERS"
}
U="users u JOIN units n ON n.id = u.unit_id"
COUNTY_LEADER="$(sql "SELECT u.username FROM $U WHERE u.role = 'leader' AND n.code = '434001' ORDER BY u.username LIMIT 1")"
OVERSEERS="$(sql "SELECT u.username FROM $U WHERE u.role = 'leader' AND n.code < '434' ORDER BY n.code, u.username LIMIT 2" \
    | tr '\n' ' ')"
if [ "${BENCH_SCOPES:-1}" = 1 ] && [ -n "$COUNTY_LEADER" ]; then
    read -r FIRST SECOND <<<"$OVERSEERS"
    RESTORE="$(sql "SELECT username, roles FROM users WHERE username IN ('$COUNTY_LEADER', '$FIRST', '$SECOND')" \
        | awk -F'|' '{ printf "UPDATE users SET roles = %s WHERE username = '\''%s'\''; ", ($2 == "" ? "NULL" : "'\''" $2 "'\''"), $1 }')"
    sql "UPDATE users SET roles = 'leader:county' WHERE username = '$COUNTY_LEADER'"
    sql "UPDATE users SET roles = 'leader:units=436,437,439,440' WHERE username = '$FIRST'"
    sql "UPDATE users SET roles = 'leader:units=441,443,447,450' WHERE username = '$SECOND'"
    echo "== for the run: $COUNTY_LEADER leader:county; $FIRST leader:units=436,437,439,440;" \
        "$SECOND leader:units=441,443,447,450"
    echo "leader-county	$COUNTY_LEADER" >>"$USERS"
    printf 'leader-oversees\t%s\nleader-oversees\t%s\n' "$FIRST" "$SECOND" >>"$USERS"
    LEADERS_TAKEN="'$COUNTY_LEADER', '$FIRST', '$SECOND'"
else
    LEADERS_TAKEN="''"
fi
pick office "SELECT u.username FROM $U WHERE n.code = '434001'
             AND u.role IN ('clerk', 'checker', 'archivist', 'inspector', 'information_officer', 'office_staff')
             ORDER BY u.role, u.username LIMIT $(share office)"
pick leader "SELECT u.username FROM $U WHERE u.role = 'leader' AND u.username NOT IN ($LEADERS_TAKEN)
             ORDER BY u.username LIMIT $(share leader "$(grep -c '^leader' "$USERS" || true)")"
pick reviewer "SELECT username FROM users WHERE role = 'finance_reviewer' ORDER BY username LIMIT $(share reviewer)"
pick head "SELECT username FROM users WHERE role = 'unit_head' ORDER BY username LIMIT $(share head)"
pick finance "SELECT username FROM users WHERE role = 'unit_finance' ORDER BY username LIMIT $(share finance)"
STAFF=$(( CLIENTS - $(wc -l <"$USERS") ))
[ "$STAFF" -ge 0 ] || STAFF=0
pick staff "SELECT u.username FROM $U WHERE u.role = 'office_staff' AND n.code <> '434001'
            ORDER BY u.username LIMIT $STAFF"
head -n "$CLIENTS" "$USERS" >"$USERS.n" && mv "$USERS.n" "$USERS"
echo "== $(wc -l <"$USERS") users: $(cut -f1 "$USERS" | sort | uniq -c | awk '{ printf "%s %s, ", $2, $1 }' | sed 's/, $//')"

# --- the server ------------------------------------------------------------------------------------------------
FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { echo "the server exited during start-up" >&2; exit 1; }
    sleep 0.5
done
BASE="http://127.0.0.1:$PORT"
PASSWORD="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["initialPassword"])' \
    Sources/FuzhengCore/Resources/demo/county.json)"
COOKIES="$WORK/cookies.tsv"
python3 scripts/bench_home.py signin --base "$BASE" --password "$PASSWORD" --users "$USERS" --out "$COOKIES"

# --- the runs --------------------------------------------------------------------------------------------------
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
WATCH=""
watch_start() { # notes what else runs during what follows (bench_home.py watch)
    wait_quiet
    python3 scripts/bench_home.py watch --server "$PID" ${BENCH_DATABASE_URL:+--postgres} --out "$WORK/watch" &
    WATCH=$!
}
watch_stop() { # true when no build ran and other processes stayed under OTHER_MAX cores on average
    local other built peak
    kill -TERM "$WATCH" 2>/dev/null || true; wait "$WATCH" 2>/dev/null || true
    read -r other built peak <"$WORK/watch"
    QUIET_NOTE="other processes $other cores on average (busiest second $peak)"
    [ "$built" = 0 ] && awk -v o="$other" -v m="$OTHER_MAX" 'BEGIN { exit !(o <= m) }'
}
disturbed() { # label attempt
    echo "   not quiet during \"$1\" ($QUIET_NOTE$( [ "$(cut -d' ' -f2 "$WORK/watch")" = 1 ] && echo ", a Swift build ran")): run again ($2)"
    [ "$2" -lt 5 ] || { echo "the machine never stayed quiet" >&2; exit 1; }
}
run() { # label connections threads seconds → prints the RESULT line's figures; fails on any bad answer
    local label=$1 conns=$2 threads=$3 secs=$4 out attempt=1 before after
    while :; do
        watch_start
        before="$(cpu_ticks)"
        out="$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency --timeout 10s -s scripts/bench_home.lua "$BASE" \
            -- "$COOKIES" /home "$threads")"
        after="$(cpu_ticks)"
        watch_stop && break
        disturbed "$label" "$attempt"
        attempt=$((attempt + 1))
    done
    local result
    result="$(grep '^RESULT' <<<"$out")" || { echo "$out" >&2; echo "wrk printed no RESULT" >&2; exit 1; }
    python3 - "$label" "$result" "$before" "$after" "$(getconf CLK_TCK)" "$(grep '^FIRSTBAD' <<<"$out" || true)" "$QUIET_NOTE" <<'PY'
import sys
label, result, before, after, hz, firstbad = sys.argv[1:7]
r = dict(kv.split("=") for kv in result.split()[1:])
f = {k: float(v) for k, v in r.items()}
cpu = (int(after) - int(before)) / int(hz)
bad = int(f["non200"] + f["not_home"] + f["connect"] + f["read"] + f["write"] + f["status"] + f["timeout"])
print(f"{label:30} {f['requests']:8.0f} req {f['rps']:8.1f} req/s   p50 {f['p50']:6.2f}  p90 {f['p90']:6.2f}  "
      f"p95 {f['p95']:6.2f}  p99 {f['p99']:6.2f}  max {f['max']:7.2f} ms   server CPU {cpu / f['seconds']:.2f} cores, "
      f"{cpu * 1000 / max(f['requests'], 1):.2f} ms/req")
if bad or f["checked"] < f["requests"] * 0.99:
    print(f"   FAILED: {f['non200']:.0f} not 200, {f['not_home']:.0f} 200 but not the 工作台, socket errors "
          f"connect {f['connect']:.0f} read {f['read']:.0f} write {f['write']:.0f}, timeouts {f['timeout']:.0f}; "
          f"{f['checked']:.0f} of {f['requests']:.0f} answers checked. {firstbad}", file=sys.stderr)
    sys.exit(1)
print(f"   all {f['checked']:.0f} answers 200 with the signed-in 工作台; {sys.argv[7]}")
PY
    LAST_P99="$(sed 's/.* p99=\([0-9.]*\) .*/\1/' <<<"$result")"
}

echo "== $KIND, $BIN, $(nproc) cores, wrk -t$THREADS -c$CLIENTS, ${WARMUP} s warm-up + ${SECONDS_MEASURED} s;" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run "warm-up (not recorded)" "$CLIENTS" "$THREADS" "$WARMUP" >/dev/null
run "GET /home, $CLIENTS connections" "$CLIENTS" "$THREADS" "$SECONDS_MEASURED"
P99_MANY="$LAST_P99"
run "GET /home, 1 connection" 1 1 "$SECONDS_MEASURED"
echo "peak RSS of the server: $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$PID/status")"
python3 -c 'import sys; p = float(sys.argv[1]); print(f"goal p99 ≤ 50 ms at {sys.argv[2]} users: {p:.1f} ms, " + ("met" if p <= 50 else "NOT met"))' \
    "$P99_MANY" "$CLIENTS"

THINK="${BENCH_THINK:-5}"
if [ "$THINK" != 0 ]; then
    echo "== the same users as people: each loads /home after random pauses of $THINK s on average (open loop)"
    attempt=1
    while :; do
        watch_start
        out="$(python3 scripts/bench_home.py paced --base "$BASE" --cookies "$COOKIES" --think "$THINK" \
            --seconds "$SECONDS_MEASURED")" || { echo "$out"; exit 1; }
        watch_stop && break
        disturbed "paced" "$attempt"
        attempt=$((attempt + 1))
    done
    grep -v '^PACED' <<<"$out"
    echo "   $QUIET_NOTE"
fi

if [ "${BENCH_SINGLE_LOADS:-10}" -gt 0 ]; then
    echo "== each user's /home alone (${BENCH_SINGLE_LOADS:-10} loads each after one unmeasured, one request at a time)"
    attempt=1
    while :; do
        watch_start
        out="$(python3 scripts/bench_home.py single --base "$BASE" --cookies "$COOKIES" \
            --loads "${BENCH_SINGLE_LOADS:-10}")" || { echo "$out"; exit 1; }
        watch_stop && break
        disturbed "single" "$attempt"
        attempt=$((attempt + 1))
    done
    echo "$out"
    echo "   $QUIET_NOTE"
fi
