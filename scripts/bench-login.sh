#!/usr/bin/env bash
# Morning-peak login benchmark (issue 9): BENCH_USERS distinct users log in at BENCH_RATE per second,
# open loop, at the default bcrypt cost (12), while /healthz is probed every 100 ms.
# Goals: login p99 ≤ 2 s, /healthz p99 ≤ 50 ms.
#
#   scripts/bench-login.sh                      # 3,000 users at 5/s: about 10 minutes of load
#   BENCH_USERS=300 scripts/bench-login.sh      # a one-minute smoke
#
# Release build in its own scratch path (.build-release), so it neither waits for nor disturbs the debug
# build in .build. Needs sqlite3 (apt-get install sqlite3) and python3 (standard library only). Runs only
# against 127.0.0.1, on a throw-away data folder:
#   1. a first start creates and seeds the SQLite database (demo organisation), then stops;
#   2. BENCH_USERS accounts bench0001… are inserted as copies of caiwu (unit finance, unit 434001) with
#      the same bcrypt hash, so every login still runs a full cost-12 bcrypt;
#   3. a second start serves the run; the server is always stopped on exit.
# Prints the load generator's figures and the CPU the server and the whole machine used meanwhile; every
# 5 s it notes the cores other processes used (a build beside the benchmark takes bcrypt's cores), and also
# prints the figures of the logins made while the machine was otherwise quiet.
# Record the figures in docs/PERFORMANCE.md with this command.
#
# BENCH_ARRIVALS=poisson starts logins after random (seeded) exponential gaps of the same mean instead of
# exactly every 1/BENCH_RATE s. BENCH_ALSO_PROBE=/readyz probes that path too, like /healthz (/readyz is one
# SQLite query: on SQLite the queries run on the same thread pool as bcrypt). BENCH_BIN=path/to/fuzheng skips
# the build and runs that binary instead (its resource bundles beside it). BENCH_OUT=folder keeps the figures
# (result.json), every login and probe (samples.csv), the CPU samples (cpu.log) and the server log there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# All in one function, so bash has read the whole script before it starts: editing this file while a
# 10-minute run is going does not change what the run does.
main() {
USERS="${BENCH_USERS:-3000}"
RATE="${BENCH_RATE:-5}"
PORT="${BENCH_PORT:-8096}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (apt-get install sqlite3)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 1; }
[[ "$USERS" =~ ^[0-9]+$ ]] && [ "$USERS" -ge 1 ] && [ "$USERS" -le 9999 ] \
    || { echo "BENCH_USERS must be 1…9999" >&2; exit 1; }

if [ -n "${BENCH_BIN:-}" ]; then
    BIN="$BENCH_BIN"
    [ -x "$BIN" ] || { echo "BENCH_BIN=$BIN is not an executable" >&2; exit 1; }
    echo "== no build: BENCH_BIN=$BIN (built $(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'))"
else
    echo "== release build (.build-release), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    if [ -n "$(git status --porcelain -- Sources Package.swift Package.resolved 2>/dev/null)" ]; then
        echo "   note: uncommitted changes under Sources/ or Package.* are part of this build:"
        git status --porcelain -- Sources Package.swift Package.resolved | sed 's/^/   /'
    fi
    swift build -c release --product fuzheng --scratch-path .build-release
    BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)/fuzheng"
fi

DATA="$(mktemp -d)"
LOG="$DATA/server.log"
PID=""
SAMPLER=""
stop_server() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
        PID=""
    fi
}
cleanup() {
    local rc=$?
    stop_server
    if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; fi
    if [ "$rc" -ne 0 ] && [ -s "$LOG" ]; then echo "== last lines of the server log"; tail -n 20 "$LOG"; fi
    if [ -n "${BENCH_OUT:-}" ]; then
        mkdir -p "$BENCH_OUT"
        for f in result.json samples.csv cpu.log server.log; do
            [ -e "$DATA/$f" ] && cp "$DATA/$f" "$BENCH_OUT/" || true
        done
    fi
    rm -rf "$DATA"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {
    FUZHENG_DATA_DIR="$DATA" LOG_LEVEL="${BENCH_LOG_LEVEL:-warning}" \
        "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >>"$LOG" 2>&1 &
    PID=$!
    for _ in $(seq 1 240); do
        curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$PID" 2>/dev/null || { echo "the server exited during start-up" >&2; return 1; }
        sleep 0.5
    done
    echo "the server did not answer /healthz within 2 minutes" >&2
    return 1
}

echo "== preparing $DATA: demo seed, then $USERS copies of caiwu"
start_server
stop_server
DB="$DATA/fuzheng.sqlite"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE username = 'caiwu';")" = 1 ] \
    || { echo "the seeded database has no user caiwu" >&2; exit 1; }
# caiwu's row with a new id and username, must_change_password 0, no failed attempts or lock; the new ids are
# random version-4 UUIDs written the way Fluent's SQLite driver stores them (upper-case text).
COLUMNS="$(sqlite3 "$DB" "SELECT group_concat(name, ', ') FROM pragma_table_info('users')
                          WHERE name NOT IN ('id', 'username', 'must_change_password', 'failed_attempts', 'locked_until');")"
sqlite3 "$DB" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $USERS)
INSERT INTO users (id, username, must_change_password, failed_attempts, locked_until, $COLUMNS)
SELECT upper(printf('%s-%s-4%s-%s%s-%s',
                    hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),
                    substr('89AB', 1 + (abs(random()) % 4), 1), substr(hex(randomblob(2)), 2),
                    hex(randomblob(6)))),
       printf('bench%04d', i), 0, 0, NULL, $COLUMNS
FROM n, (SELECT * FROM users WHERE username = 'caiwu');
COMMIT;
SQL
echo "   users now: $(sqlite3 "$DB" "SELECT count(*) FROM users;") ($(sqlite3 "$DB" "SELECT count(*) FROM users WHERE username LIKE 'bench%';") bench accounts)"

start_server
echo "== server pid $PID, $BIN serve --hostname 127.0.0.1 --port $PORT (bcrypt cost ${FUZHENG_BCRYPT_COST:-11}), LOG_LEVEL=${BENCH_LOG_LEVEL:-warning}"
env | grep -E '^(FUZHENG_|NIO_)' | sed -E 's/^([A-Z0-9_]*(SECRET|KEY|PASSWORD)[A-Z0-9_]*)=.*/\1=(set)/; s/^/   server environment: /' || true

# CPU used meanwhile: the server's own ticks and the whole machine's busy ticks, from /proc.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
machine_ticks() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat; }
# Every 5 s: Unix time, cores used by processes other than the server (the load generator's share is a few
# hundredths), and how many compilers were running (zombies not counted).
cpu_sampler() {
    local cores s_prev m_prev t_prev s m t
    cores=$(nproc)
    s_prev=$(server_ticks); read -r m_prev t_prev < <(machine_ticks)
    while sleep 5; do
        s=$(server_ticks 2>/dev/null) || break
        read -r m t < <(machine_ticks)
        awk -v s=$((s - s_prev)) -v m=$((m - m_prev)) -v t=$((t - t_prev)) -v c="$cores" -v now="$(date +%s)" \
            -v fe="$(ps -eo stat=,comm= | awk '$2 == "swift-frontend" && $1 !~ /^Z/ { n++ } END { print n + 0 }')" \
            'BEGIN { o = t > 0 ? c * (m - s) / t : 0; if (o < 0) o = 0; printf "%d %.3f %d\n", now, o, fe }'
        s_prev=$s; m_prev=$m; t_prev=$t
    done
}
cpu_sampler >"$DATA/cpu.log" 2>/dev/null &
SAMPLER=$!
s0=$(server_ticks); read -r m0 t0 < <(machine_ticks)

set +e
python3 scripts/bench_login.py --host 127.0.0.1 --port "$PORT" --users "$USERS" --rate "$RATE" \
    --json "$DATA/result.json" --samples "$DATA/samples.csv" --cpu-log "$DATA/cpu.log"
status=$?
set -e

s1=$(server_ticks); read -r m1 t1 < <(machine_ticks)
kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
hz=$(getconf CLK_TCK)
cores=$(nproc)
awk -v s=$((s1 - s0)) -v m=$((m1 - m0)) -v t=$((t1 - t0)) -v hz="$hz" -v cores="$cores" 'BEGIN {
    wall = t / cores / hz
    printf "server CPU:        %.0f s in %.0f s (%.0f%% of %d cores)\n", s / hz, wall, 100 * s / t, cores
    printf "machine busy:      %.0f%% of %d cores (server + load generator + anything else)\n", 100 * m / t, cores
}'
awk '{ n++; sum += $2; if ($2 >= 0.25) busy++; if ($3 > 0) fe++; if ($3 > femax) femax = $3 } END {
    if (!n) { print "other processes:   no CPU samples"; exit }
    printf "other processes:   %.2f core on average; ≥ 0.25 core in %d of %d 5-s samples; ", sum / n, busy, n
    if (fe) printf "swift-frontend running in %d samples (up to %d at once)\n", fe, femax
    else print "no compiler running"
}' "$DATA/cpu.log"
echo "server peak RSS:   $(awk '/VmHWM/ { printf "%d MB", $2 / 1024 }' "/proc/$PID/status")"
if grep -q '"429"' "$DATA/result.json" 2>/dev/null; then
    echo "note: some logins were answered 429 (login throttle)"
fi
return "$status"
}; main "$@"; exit
