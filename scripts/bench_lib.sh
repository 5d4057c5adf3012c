# Shared by scripts/bench-home.sh (issue 17) and scripts/bench-supervision.sh (issue 18); sourced, not run.
#
# Sourcing it checks the release binary (BENCH_BIN) and wrk, picks a port (BENCH_PORT or a free one), a data folder
# (BENCH_DATA_DIR, kept, or a temporary one) and a work folder, and sets the trap that stops the server, puts back
# the roles set for the run (set_roles) and removes what is temporary. Then, as the callers need them:
#
#   bench_database DOCUMENTS       SQLite in the data folder, or PostgreSQL when BENCH_DATABASE_URL is set (emptied
#                                  and loaded with `fuzheng demo county` unless BENCH_REUSE=1); sets KIND
#   sql STATEMENT [script]         one statement, rows as a|b|c (or several statements, no result, with "script")
#   set_roles FILE                 FILE: username <TAB> roles, one a line; the users' roles for the run, put back
#                                  as they were when the script ends
#   start_server; sign_in USERS [OUT]
#                                  the release server on 127.0.0.1 (BASE); USERS: kind <TAB> username → COOKIES
#   run LABEL CONNS THREADS SECONDS PATH MARKERS WHAT
#                                  wrk closed loop (scripts/bench_home.lua); prints the figures, fails on any answer
#                                  that is not 200 with every MARKER ("|"-separated) in it; LAST_P99
#   paced PATH MARKERS             the same users as people (bench_home.py paced, BENCH_THINK s apart, open loop)
#   single PATH MARKERS            each user's PATH alone (bench_home.py single, BENCH_SINGLE_LOADS loads each)
#
# Only on a quiet machine: before each measured run it waits while a Swift build runs (pgrep
# swift-build|swift-frontend) or other processes use a quarter of a core, checking every 60 s; during the run
# bench_home.py watch samples every second, and a run is repeated (up to 5 times) when a Swift build or test ran or
# processes other than the server, the load generator and PostgreSQL used more than BENCH_OTHER_MAX cores (0.15)
# on average. Each figure is printed with what else ran meanwhile. BENCH_QUIET=0 skips the waiting and the repeats:
# only to try a script out, never for figures.

BIN="${BENCH_BIN:-.build-release/release/fuzheng}"
[ -x "$BIN" ] || { echo "no release binary at $BIN (swift build -c release --product fuzheng --scratch-path .build-release)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -n "${FUZHENG_SECRET_KEY:-}${FUZHENG_SECRET_KEY_FILE:-}" ] || {
    echo "FUZHENG_SECRET_KEY (or FUZHENG_SECRET_KEY_FILE) is not set: the server does not start without it" >&2; exit 1; }
PORT="${BENCH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
THREADS="${BENCH_THREADS:-2}"
SECONDS_MEASURED="${BENCH_SECONDS:-30}"
WARMUP="${BENCH_WARMUP:-5}"
THINK="${BENCH_THINK:-5}"
OTHER_MAX="${BENCH_OTHER_MAX:-0.15}"   # cores other processes may use on average during a measured run

KEEP=0
if [ -n "${BENCH_DATA_DIR:-}" ]; then DATA="$BENCH_DATA_DIR"; KEEP=1; mkdir -p "$DATA"; else DATA="$(mktemp -d)"; fi
WORK="$(mktemp -d)"
PID=""
RESTORE=""
cleanup() {
    local rc=$?
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    if [ "$rc" -ne 0 ] && [ -s "$WORK/server.log" ]; then tail -n 20 "$WORK/server.log"; fi
    if [ -n "$RESTORE" ]; then sql "$RESTORE" script >/dev/null && echo "== roles set for the run put back as they were"; fi
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

bench_database() { # documents to load when the database is empty
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
        echo "== fuzheng demo county --documents $1 ($KIND)"
        local start=$SECONDS
        # shellcheck disable=SC2086  # BENCH_COUNTY_ARGS is a list of options
        FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" demo county --documents "$1" ${BENCH_COUNTY_ARGS:-} \
            | tail -n 1
        echo "   loaded in $((SECONDS - start)) s"
    fi
}

set_roles() { # file of username <TAB> roles: set for the run, put back when the script ends
    [ -s "$1" ] || return 0
    local names
    names="$(cut -f1 "$1" | awk '{ printf "%s'\''%s'\''", (NR > 1 ? ", " : ""), $1 }')"
    RESTORE="$RESTORE$(sql "SELECT username, roles FROM users WHERE username IN ($names)" \
        | awk -F'|' '{ printf "UPDATE users SET roles = %s WHERE username = '\''%s'\''; ", ($2 == "" ? "NULL" : "'\''" $2 "'\''"), $1 }')"
    sql "$(awk -F'\t' '{ printf "UPDATE users SET roles = '\''%s'\'' WHERE username = '\''%s'\''; ", $2, $1 }' "$1")" script
}

building() { pgrep -f '[s]wift-build|[s]wift-frontend' >/dev/null; }
wait_quiet() { # no Swift build, and other processes using less than 0.25 core over 3 s
    local waited=0 other
    [ "${BENCH_QUIET:-1}" = 1 ] || return 0
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

start_server() {
    FUZHENG_DATA_DIR="$DATA" LOG_LEVEL=warning "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 240); do
        curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
        kill -0 "$PID" 2>/dev/null || { echo "the server exited during start-up" >&2; exit 1; }
        sleep 0.5
    done
    BASE="http://127.0.0.1:$PORT"
}

sign_in() { # users file (kind <TAB> username) [cookies file] → COOKIES (kind <TAB> username <TAB> session)
    local password
    password="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["initialPassword"])' \
        Sources/FuzhengCore/Resources/demo/county.json)"
    COOKIES="${2:-$WORK/cookies.tsv}"
    python3 scripts/bench_home.py signin --base "$BASE" --password "$password" --users "$1" --out "$COOKIES"
}

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
    [ "${BENCH_QUIET:-1}" = 1 ] || { QUIET_NOTE="$QUIET_NOTE, BENCH_QUIET=0: NOT a figure to record"; return 0; }
    [ "$built" = 0 ] && awk -v o="$other" -v m="$OTHER_MAX" 'BEGIN { exit !(o <= m) }'
}
disturbed() { # label attempt
    echo "   not quiet during \"$1\" ($QUIET_NOTE$( [ "$(cut -d' ' -f2 "$WORK/watch")" = 1 ] && echo ", a Swift build ran")): run again ($2)"
    [ "$2" -lt 5 ] || { echo "the machine never stayed quiet" >&2; exit 1; }
}

run() { # label connections threads seconds path markers what → prints the figures; fails on any bad answer
    local label=$1 conns=$2 threads=$3 secs=$4 path=$5 markers=$6 what=$7 out attempt=1 before after
    while :; do
        watch_start
        before="$(cpu_ticks)"
        out="$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency --timeout 10s -s scripts/bench_home.lua "$BASE" \
            -- "$COOKIES" "$path" "$threads" "$markers")"
        after="$(cpu_ticks)"
        watch_stop && break
        disturbed "$label" "$attempt"
        attempt=$((attempt + 1))
    done
    local result
    result="$(grep '^RESULT' <<<"$out")" || { echo "$out" >&2; echo "wrk printed no RESULT" >&2; exit 1; }
    python3 - "$label" "$result" "$before" "$after" "$(getconf CLK_TCK)" "$(grep '^FIRSTBAD' <<<"$out" || true)" \
        "$QUIET_NOTE" "$what" <<'PY'
import sys
label, result, before, after, hz, firstbad = sys.argv[1:7]
r = dict(kv.split("=") for kv in result.split()[1:])
f = {k: float(v) for k, v in r.items()}
cpu = (int(after) - int(before)) / int(hz)
bad = int(f["non200"] + f["not_page"] + f["connect"] + f["read"] + f["write"] + f["status"] + f["timeout"])
print(f"{label:30} {f['requests']:8.0f} req {f['rps']:8.1f} req/s   p50 {f['p50']:6.2f}  p90 {f['p90']:6.2f}  "
      f"p95 {f['p95']:6.2f}  p99 {f['p99']:6.2f}  max {f['max']:7.2f} ms   server CPU {cpu / f['seconds']:.2f} cores, "
      f"{cpu * 1000 / max(f['requests'], 1):.2f} ms/req")
if bad or f["requests"] == 0 or f["checked"] < f["requests"] * 0.99:
    print(f"   FAILED: {f['non200']:.0f} not 200, {f['not_page']:.0f} 200 but not {sys.argv[8]}, socket errors "
          f"connect {f['connect']:.0f} read {f['read']:.0f} write {f['write']:.0f}, timeouts {f['timeout']:.0f}; "
          f"{f['checked']:.0f} of {f['requests']:.0f} answers checked. {firstbad}", file=sys.stderr)
    sys.exit(1)
print(f"   all {f['checked']:.0f} answers 200 with {sys.argv[8]}; {sys.argv[7]}")
PY
    LAST_P99="$(sed 's/.* p99=\([0-9.]*\) .*/\1/' <<<"$result")"
}

marker_args() { # "a|b" → --marker a --marker b, one a line (for mapfile)
    tr '|' '\n' <<<"$1" | awk 'NF { print "--marker"; print }'
}

paced() { # path markers: the users as people, each loading PATH after random pauses (open loop)
    local path=$1 out attempt=1 m
    [ "$THINK" != 0 ] || return 0
    mapfile -t m < <(marker_args "$2")
    echo "== the same users as people: each loads $path after random pauses of $THINK s on average (open loop)"
    while :; do
        watch_start
        out="$(python3 scripts/bench_home.py paced --base "$BASE" --cookies "$COOKIES" --think "$THINK" \
            --seconds "$SECONDS_MEASURED" --path "$path" "${m[@]}")" || { echo "$out"; exit 1; }
        watch_stop && break
        disturbed "paced $path" "$attempt"
        attempt=$((attempt + 1))
    done
    grep -v '^PACED' <<<"$out"
    LAST_PACED_P99="$(sed -n 's/^PACED p99=//p' <<<"$out")"
    echo "   $QUIET_NOTE"
}

single() { # path markers: each user's PATH alone, one request at a time, by kind of user
    local path=$1 out attempt=1 m loads="${BENCH_SINGLE_LOADS:-10}"
    [ "$loads" -gt 0 ] || return 0
    mapfile -t m < <(marker_args "$2")
    echo "== each user's $path alone ($loads loads each after one unmeasured, one request at a time)"
    while :; do
        watch_start
        out="$(python3 scripts/bench_home.py single --base "$BASE" --cookies "$COOKIES" --loads "$loads" \
            --path "$path" "${m[@]}")" || { echo "$out"; exit 1; }
        watch_stop && break
        disturbed "single $path" "$attempt"
        attempt=$((attempt + 1))
    done
    echo "$out"
    echo "   $QUIET_NOTE"
}
