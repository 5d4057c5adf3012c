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
# Only on a quiet machine (scripts/bench_lib.sh): each measured run waits for a quiet machine and is repeated when a
# Swift build or test ran or other processes used more than BENCH_OTHER_MAX cores (0.15); each figure is printed
# with what else ran meanwhile. FUZHENG_SECRET_KEY must be set, as for the server.
# BENCH_DATA_DIR=folder uses (or loads) the SQLite county there; with PostgreSQL, BENCH_REUSE=1 uses the county
# already in BENCH_DATABASE_URL instead of emptying it and loading one (25 min or more). Record the figures with
# their command in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CLIENTS="${BENCH_CLIENTS:-100}"
DOCUMENTS="${BENCH_DOCUMENTS:-200000}"
MIX="${BENCH_MIX:-finance=25,head=20,leader=12,reviewer=10,office=9}"
source scripts/bench_lib.sh

bench_database "$DOCUMENTS"
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
    printf '%s\tleader:county\n%s\tleader:units=436,437,439,440\n%s\tleader:units=441,443,447,450\n' \
        "$COUNTY_LEADER" "$FIRST" "$SECOND" >"$WORK/roles.tsv"
    set_roles "$WORK/roles.tsv"
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
start_server
sign_in "$USERS"

# --- the runs --------------------------------------------------------------------------------------------------
echo "== $KIND, $BIN, $(nproc) cores, wrk -t$THREADS -c$CLIENTS, ${WARMUP} s warm-up + ${SECONDS_MEASURED} s;" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
HOME_PAGE="the signed-in 工作台"
run "warm-up (not recorded)" "$CLIENTS" "$THREADS" "$WARMUP" /home "" "$HOME_PAGE" >/dev/null
run "GET /home, $CLIENTS connections" "$CLIENTS" "$THREADS" "$SECONDS_MEASURED" /home "" "$HOME_PAGE"
P99_MANY="$LAST_P99"
run "GET /home, 1 connection" 1 1 "$SECONDS_MEASURED" /home "" "$HOME_PAGE"
echo "peak RSS of the server: $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$PID/status")"
python3 -c 'import sys; p = float(sys.argv[1]); print(f"goal p99 ≤ 50 ms at {sys.argv[2]} users: {p:.1f} ms, " + ("met" if p <= 50 else "NOT met"))' \
    "$P99_MANY" "$CLIENTS"
paced /home ""
single /home ""
