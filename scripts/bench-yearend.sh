#!/usr/bin/env bash
# Year-end (issue 20): every project of a county's year scored and every unit's 部门决算 built and checked —
# `fuzheng yearend YEAR`, a release build, on the execution benchmark's county (300 units, 10 projects in every
# budget, 500,000 payments of the year before the last; scripts/bench-execution.sh loads the same county, so one
# data folder or database serves both), SQLite by default or PostgreSQL when BENCH_DATABASE_URL is set.
# Goal: ≤ 10 s on 2 cores. Runs BENCH_RUNS times (default 3) after one warm-up run and prints each time as the
# command measured it (its own clock, migrations and start-up excluded) and as the shell did (the whole process).
#
#   FUZHENG_SECRET_KEY=… BENCH_DATA_DIR=/tmp/county-exec scripts/bench-yearend.sh
#   FUZHENG_SECRET_KEY=… BENCH_REUSE=1 BENCH_DATABASE_URL=postgres://u:p@127.0.0.1:5433/db scripts/bench-yearend.sh
#
# Only on a quiet machine (scripts/bench_lib.sh). Record the figures with their command in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PAYMENTS="${BENCH_PAYMENTS:-500000}"
BENCH_COUNTY_ARGS="--incoming 0 --supervision 0 --projects 10 --payments $PAYMENTS"
source scripts/bench_lib.sh

bench_database 0
YEAR="$(sql "SELECT year FROM payments GROUP BY year ORDER BY count(*) DESC LIMIT 1")"
echo "== $KIND: $(sql "SELECT count(*) FROM units") units, $(sql "SELECT count(*) FROM budget_projects p JOIN budgets b
    ON b.id = p.budget_id WHERE b.fiscal_year = $YEAR AND b.status IN ('approved', 'published')") projects in $YEAR,
    $(sql "SELECT count(*) FROM payments WHERE year = $YEAR") payments"
wait_quiet
run() { FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" yearend "$YEAR" --json; }
run >"$WORK/warm.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("   warm-up:", json.dumps(s, ensure_ascii=False))' \
    "$WORK/warm.json"
for i in $(seq 1 "${BENCH_RUNS:-3}"); do
    wait_quiet
    start=$(date +%s.%N)
    run >"$WORK/run.json"
    end=$(date +%s.%N)
    python3 - "$WORK/run.json" "$i" "$(echo "$end - $start" | bc)" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"   run {sys.argv[2]}: {s['seconds']:.2f} s measured by the command, {float(sys.argv[3]):.2f} s the whole "
      f"process; {s['units']} units, {s['projects']} projects scored ({s['grades']}, unscored {s['unscored']}), "
      f"{s['finals']} 决算 ({s['finalErrors']} errors, {s['finalWarnings']} warnings)")
PY
done
