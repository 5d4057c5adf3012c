#!/usr/bin/env bash
# 督查督办 (issue 18): the statistics page and a leader's list with 50 signed-in users at once, a release build on
# 127.0.0.1 against the county data set of `fuzheng demo county` (300 units, 3,000 accounts, 200,000 公文, 20,000
# 督办 items over three years), SQLite by default or PostgreSQL when BENCH_DATABASE_URL is set.
# Goal: p99 ≤ 50 ms with 50 concurrent users.
#
#   FUZHENG_SECRET_KEY=… BENCH_DATA_DIR=/tmp/county5 scripts/bench-supervision.sh
#   FUZHENG_SECRET_KEY=… BENCH_REUSE=1 BENCH_DATABASE_URL=postgres://u:p@127.0.0.1:5433/db scripts/bench-supervision.sh
#
# The pages, each checked on every answer (200 and the page itself, not a redirect to /login or an error page):
#   GET /supervision/statistics                        this month (the page's default period)   "督查督办统计"
#   GET /supervision/statistics?from=YYYY-01-01&to=YYYY-12-31   this year (Asia/Shanghai, as the server's today)
#   GET /supervision                                   the list's first page                    "督办事项（"
#
# The users: BENCH_CLIENTS (default 50) distinct accounts in each group, each signed in as a browser does.
#   county-wide  the statistics and (for comparison) the list: the county's 督查室 (every account whose role is
#                inspector; county-wide by default) and leaders made county-wide for the run (leader:county), the
#                government office 434001's first, then by unit code
#   leaders      a leader's list: BENCH_LIST_MIX (default county=10,oversees=10) of them county-wide (the first of the
#                group above), 分管 leaders of four departments each (leader:units=…, the departments with the most
#                units first, in turn), and leaders of their own unit (the data set's default) for the rest
# The data set has no leader with a scope, so the roles are set for the run and put back as they were when the
# script ends (scripts/bench_lib.sh set_roles). Each leader's list shows their red items and the items that carry
# their own 批示 (the generator gives every item one of the county's leaders) above the open items of their reach.
#
# The load, per page: wrk with scripts/bench_home.lua, BENCH_CLIENTS connections on BENCH_THREADS (2) threads, each
# request with the session of the next user of its thread; a warm-up of BENCH_WARMUP s (5, not recorded), then
# BENCH_SECONDS (30) measured; then the same at 1 connection (all users in turn). Latency percentiles are wrk's own
# histogram (--latency); the timeout is 10 s so slow answers are counted, not dropped; any answer that is not 200
# with the page, any socket error or timeout fails the run. wrk is a closed loop: its latency is connections ÷ the
# server's rate (Little's law). Then the same users as people (bench_home.py paced, open loop): each loads the page
# after random pauses of BENCH_THINK s on average (5; 0 skips it). Last, each user's page one request at a time
# (BENCH_SINGLE_LOADS, 10 each; 0 skips it), by kind of user.
#
# Only on a quiet machine (scripts/bench_lib.sh): each measured run waits for a quiet machine and is repeated when a
# Swift build or test ran or other processes used more than BENCH_OTHER_MAX cores (0.15). BENCH_DATA_DIR=folder uses
# (or loads) the SQLite county there; with PostgreSQL, BENCH_REUSE=1 uses the county already in BENCH_DATABASE_URL
# instead of emptying it and loading one. BENCH_PAGES (default month,year,list,list-county) picks the runs. Record
# the figures with their command in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CLIENTS="${BENCH_CLIENTS:-50}"
DOCUMENTS="${BENCH_DOCUMENTS:-200000}"
LIST_MIX="${BENCH_LIST_MIX:-county=10,oversees=10}"
PAGES="${BENCH_PAGES:-month,year,list,list-county}"
source scripts/bench_lib.sh

bench_database "$DOCUMENTS"
YEAR="$(TZ=Asia/Shanghai date +%Y)"
MONTH="$(TZ=Asia/Shanghai date +%Y-%m)"
echo "== $KIND: $(sql "SELECT count(*) FROM users") accounts, $(sql "SELECT count(*) FROM documents") documents," \
    "$(sql "SELECT count(*) FROM supervision_items") 督办 items ($(sql "SELECT count(*) FROM supervision_items
    WHERE state <> 'closed'") open; due in $MONTH $(sql "SELECT count(*) FROM supervision_items WHERE has_children
    = false AND stat_due_on >= '$MONTH-01' AND stat_due_on <= '$MONTH-31'"), in $YEAR $(sql "SELECT count(*) FROM
    supervision_items WHERE has_children = false AND stat_due_on >= '$YEAR-01-01' AND stat_due_on <= '$YEAR-12-31'"))"

kinds() { # users file → "kind n, kind n"
    cut -f1 "$1" | sort | uniq -c | awk '{ printf "%s %s, ", $2, $1 }' | sed 's/, $//'
}
mix() { # kind → its number in BENCH_LIST_MIX
    local n
    n="$(tr ',' '\n' <<<"$LIST_MIX" | awk -F= -v k="$1" '$1 == k { print $2 }')"
    echo "${n:-0}"
}

# --- the users -------------------------------------------------------------------------------------------------
U="users u JOIN units n ON n.id = u.unit_id"
COUNTY="$WORK/county.tsv"
LEADERS="$WORK/leaders.tsv"
ROLES="$WORK/roles.tsv"
sql "SELECT username FROM users WHERE role = 'inspector' ORDER BY username LIMIT $CLIENTS" \
    | awk 'NF { print "inspector\t" $0 }' >"$COUNTY"
ALL_LEADERS="$WORK/all-leaders"
sql "SELECT u.username FROM $U WHERE u.role = 'leader' ORDER BY CASE WHEN n.code = '434001' THEN 0 ELSE 1 END,
     n.code, u.username" >"$ALL_LEADERS"
WIDE=$(( CLIENTS - $(wc -l <"$COUNTY") ))
head -n "$WIDE" "$ALL_LEADERS" | awk 'NF { print "leader-county\t" $0 }' >>"$COUNTY"
awk -F'\t' '$1 == "leader-county" { print $2 "\tleader:county" }' "$COUNTY" >"$ROLES"

N_COUNTY=$(mix county); N_OVERSEES=$(mix oversees)
[ "$N_COUNTY" -le "$WIDE" ] || N_COUNTY=$WIDE
head -n "$N_COUNTY" "$ALL_LEADERS" | awk 'NF { print "leader-county\t" $0 }' >"$LEADERS"
# 分管: four departments each (the first three digits of a unit code), those with the most units first, in turn.
mapfile -t DEPARTMENTS < <(sql "SELECT substr(code, 1, 3) AS d FROM units WHERE code >= '434' AND code < '5'
    GROUP BY substr(code, 1, 3) ORDER BY count(*) DESC, d")
REST="$WORK/rest"
tail -n +"$((WIDE + 1))" "$ALL_LEADERS" >"$REST"
i=0
while [ "$i" -lt "$N_OVERSEES" ] && read -r name; do
    n=${#DEPARTMENTS[@]}
    units=""
    for k in 0 1 2 3; do units="$units${units:+,}${DEPARTMENTS[$(( (4 * i + k) % n ))]}"; done
    printf 'leader-oversees\t%s\n' "$name" >>"$LEADERS"
    printf '%s\tleader:units=%s\n' "$name" "$units" >>"$ROLES"
    i=$((i + 1))
done <"$REST"
tail -n +"$((i + 1))" "$REST" | head -n "$(( CLIENTS - $(wc -l <"$LEADERS") ))" \
    | awk 'NF { print "leader-own-unit\t" $0 }' >>"$LEADERS"
set_roles "$ROLES"
echo "== for the run: $(grep -c 'leader:county' "$ROLES") leaders leader:county; 分管:" \
    "$(grep 'leader:units' "$ROLES" | sed 's/\t/ /' | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
for f in "$COUNTY" "$LEADERS"; do
    echo "== $(basename "$f" .tsv): $(wc -l <"$f") users: $(kinds "$f")"
done
[ "$(wc -l <"$COUNTY")" = "$CLIENTS" ] && [ "$(wc -l <"$LEADERS")" = "$CLIENTS" ] \
    || echo "   (the county has fewer than $CLIENTS such users: measured with those there are)"

# --- the server ------------------------------------------------------------------------------------------------
start_server
sign_in "$COUNTY" "$WORK/county-cookies.tsv"
sign_in "$LEADERS" "$WORK/leaders-cookies.tsv"

# --- the runs --------------------------------------------------------------------------------------------------
STATS_MARK="督查督办统计|action=\"/logout\""
LIST_MARK="督办事项（|action=\"/logout\""
echo "== $KIND, $BIN, $(nproc) cores, wrk -t$THREADS -c$CLIENTS, ${WARMUP} s warm-up + ${SECONDS_MEASURED} s each;" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
SUMMARY="$WORK/summary"
: >"$SUMMARY"
page() { # key cookies path markers what
    local key=$1 path=$3 markers=$4 what=$5 many
    COOKIES="$2"
    echo "-- $key: GET $path ($(kinds "$COOKIES"))"
    run "warm-up (not recorded)" "$CLIENTS" "$THREADS" "$WARMUP" "$path" "$markers" "$what" >/dev/null
    run "$key, $CLIENTS connections" "$CLIENTS" "$THREADS" "$SECONDS_MEASURED" "$path" "$markers" "$what"
    many="$LAST_P99"
    run "$key, 1 connection" 1 1 "$SECONDS_MEASURED" "$path" "$markers" "$what"
    LAST_PACED_P99=""
    paced "$path" "$markers"
    single "$path" "$markers"
    printf '%s\t%s\t%s\n' "$key" "$many" "${LAST_PACED_P99:-}" >>"$SUMMARY"
}
for p in ${PAGES//,/ }; do
    case "$p" in
    month) page "statistics, this month" "$WORK/county-cookies.tsv" /supervision/statistics "$STATS_MARK" \
        "the statistics page" ;;
    year) page "statistics, $YEAR" "$WORK/county-cookies.tsv" \
        "/supervision/statistics?from=$YEAR-01-01&to=$YEAR-12-31" "$STATS_MARK" "the statistics page" ;;
    list) page "a leader's list" "$WORK/leaders-cookies.tsv" /supervision "$LIST_MARK" "the 督办 list" ;;
    list-county) page "the list, county-wide people" "$WORK/county-cookies.tsv" /supervision "$LIST_MARK" \
        "the 督办 list" ;;
    *) echo "unknown page $p (month, year, list, list-county)" >&2; exit 2 ;;
    esac
done
echo "peak RSS of the server: $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$PID/status")"
echo "== goal p99 ≤ 50 ms with $CLIENTS users ($KIND)"
python3 - "$SUMMARY" "$CLIENTS" "$THINK" <<'PY'
import sys
def verdict(p):
    return f"{float(p):7.1f} ms " + ("met" if float(p) <= 50 else "NOT met")
for line in open(sys.argv[1], encoding="utf-8"):
    key, many, paced = line.rstrip("\n").split("\t")
    print(f"   {key:32} {sys.argv[2]} connections p99 {verdict(many)}"
          + (f";  {sys.argv[2]} people {sys.argv[3]} s apart p99 {verdict(paced)}" if paced else ""))
PY
