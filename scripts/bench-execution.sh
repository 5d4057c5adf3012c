#!/usr/bin/env bash
# 预算执行 (issue 19): the finance bureau's county execution dashboard with 50 signed-in users at once, and the
# treasury import of 100,000 payment rows, a release build on 127.0.0.1 against a county's year: `fuzheng demo
# county` with 300 units, 10 projects in every budget (3,000 a year) and 500,000 payments of the year before the
# last (the last one's budgets are still being approved), SQLite by default or PostgreSQL when BENCH_DATABASE_URL
# is set. Goals: the dashboard at p99 ≤ 100 ms with 50 concurrent users; the import ≤ 10 s.
#
#   FUZHENG_SECRET_KEY=… BENCH_DATA_DIR=/tmp/county-exec scripts/bench-execution.sh
#   FUZHENG_SECRET_KEY=… BENCH_DATABASE_URL=postgres://u:p@127.0.0.1:5433/db scripts/bench-execution.sh
#
# The county, when the database is empty: demo county --documents 0 --incoming 0 --supervision 0 --projects 10
# --payments 500000 (BENCH_PAYMENTS). The page, checked on every answer (200, the page itself and the logout form):
#   GET /execution?year=YYYY          the county's units ranked, most behind their plans first   "全县预算执行"
# The users: the county's finance reviewers (role finance_reviewer) and, to make 50, unit finance staff made
# finance_reviewer:county for the run (put back when the script ends). The load is bench-supervision.sh's: wrk at
# 50 connections and at 1, the users as people 5 s apart (open loop), each user alone. Then the import, once, last:
# a CSV of 100,000 rows (BENCH_IMPORT_ROWS) for November of the year over every project, uploaded by the first
# reviewer and timed to the server's answer; it replaces that month's payments of those units (so a second run
# measures the same import again).
# Only on a quiet machine (scripts/bench_lib.sh). Record the figures with their command in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CLIENTS="${BENCH_CLIENTS:-50}"
PAYMENTS="${BENCH_PAYMENTS:-500000}"
IMPORT_ROWS="${BENCH_IMPORT_ROWS:-100000}"
BENCH_COUNTY_ARGS="--incoming 0 --supervision 0 --projects 10 --payments $PAYMENTS"
source scripts/bench_lib.sh

bench_database 0
YEAR="$(sql "SELECT year FROM payments GROUP BY year ORDER BY count(*) DESC LIMIT 1")"
echo "== $KIND: $(sql "SELECT count(*) FROM units") units, $(sql "SELECT count(*) FROM budget_projects p JOIN budgets b
    ON b.id = p.budget_id WHERE b.fiscal_year = $YEAR AND b.status IN ('approved', 'published')") projects in $YEAR,
    $(sql "SELECT count(*) FROM payments WHERE year = $YEAR") payments"

kinds() { cut -f1 "$1" | sort | uniq -c | awk '{ printf "%s %s, ", $2, $1 }' | sed 's/, $//'; }
USERS="$WORK/reviewers.tsv"
ROLES="$WORK/roles.tsv"
sql "SELECT username FROM users WHERE role = 'finance_reviewer' ORDER BY username LIMIT $CLIENTS" \
    | awk 'NF { print "finance-reviewer\t" $0 }' >"$USERS"
MORE=$(( CLIENTS - $(wc -l <"$USERS") ))
sql "SELECT username FROM users WHERE role = 'unit_finance' ORDER BY username LIMIT $MORE" \
    | awk 'NF { print "made-reviewer\t" $0 }' >>"$USERS"
awk -F'\t' '$1 == "made-reviewer" { print $2 "\tfinance_reviewer:county" }' "$USERS" >"$ROLES"
set_roles "$ROLES"
echo "== users: $(wc -l <"$USERS"): $(kinds "$USERS")"

start_server
sign_in "$USERS" "$WORK/cookies.tsv"
MARK="全县预算执行|action=\"/logout\""
echo "== $KIND, $BIN, $(nproc) cores, wrk -t$THREADS -c$CLIENTS, ${WARMUP} s warm-up + ${SECONDS_MEASURED} s each;" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
COOKIES="$WORK/cookies.tsv"
PATH_="/execution?year=$YEAR"
run "warm-up (not recorded)" "$CLIENTS" "$THREADS" "$WARMUP" "$PATH_" "$MARK" "the execution dashboard" >/dev/null
run "dashboard, $CLIENTS connections" "$CLIENTS" "$THREADS" "$SECONDS_MEASURED" "$PATH_" "$MARK" \
    "the execution dashboard"
MANY="$LAST_P99"
run "dashboard, 1 connection" 1 1 "$SECONDS_MEASURED" "$PATH_" "$MARK" "the execution dashboard"
LAST_PACED_P99=""
paced "$PATH_" "$MARK"
single "$PATH_" "$MARK"

# --- the import, last ------------------------------------------------------------------------------------------
sql "SELECT u.code, p.code FROM budget_projects p JOIN budgets b ON b.id = p.budget_id JOIN units u
     ON u.id = b.unit_id WHERE b.fiscal_year = $YEAR AND b.status IN ('approved', 'published') ORDER BY u.code,
     p.position" | tr '|' '\t' >"$WORK/projects.tsv"
python3 scripts/bench_import.py make --out "$WORK/payments-$YEAR-11.csv" --rows "$IMPORT_ROWS" --year "$YEAR" \
    --month 11 --projects "$WORK/projects.tsv"
PASSWORD="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["initialPassword"])' \
    Sources/FuzhengCore/Resources/demo/county.json)"
wait_quiet
python3 scripts/bench_import.py upload --base "$BASE" --username "$(head -n1 "$USERS" | cut -f2)" \
    --password "$PASSWORD" --year "$YEAR" --file "$WORK/payments-$YEAR-11.csv" | tee "$WORK/import.txt"
echo "peak RSS of the server: $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$PID/status")"
echo "== goals ($KIND): dashboard p99 ≤ 100 ms with $CLIENTS users: $CLIENTS connections ${MANY} ms," \
    "$CLIENTS people ${THINK} s apart ${LAST_PACED_P99:-—} ms; import of $IMPORT_ROWS rows ≤ 10 s:" \
    "$(sed -n 's/.*: \([0-9.]*\) s,.*/\1 s/p' "$WORK/import.txt")"
