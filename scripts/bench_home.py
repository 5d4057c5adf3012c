#!/usr/bin/env python3
"""Helper of scripts/bench-home.sh (issue 17) and scripts/bench-supervision.sh (issue 18): signs county users in and
times a page (their 工作台 by default) one at a time.

    python3 scripts/bench_home.py signin --base http://127.0.0.1:PORT --password PW --users users.tsv --out cookies.tsv
    python3 scripts/bench_home.py single --base http://127.0.0.1:PORT --cookies cookies.tsv --loads 10
        [--path /supervision --marker 督办事项（ ...]

users.tsv: kind <TAB> username, one a line. signin signs each in as a browser does (GET /login for the session
cookie and the CSRF token, POST /login, which must answer 303), then checks that GET /home with that session is 200
and the signed-in 工作台; it writes kind <TAB> username <TAB> fz_session value. A few sign-ins run at once (bcrypt is
the server's work, FUZHENG_LOGIN_QUEUE bounds it). Exit status 1 when any user could not be signed in.

paced is the same users as people, not as a load generator: each on their own keep-alive connection loads /home
after random pauses (exponential, mean THINK seconds, seeded), for SECONDS; prints p50 / p90 / p95 / p99 / max over
all loads and the rate reached (open loop: a slow answer does not slow the others down).

    python3 scripts/bench_home.py paced --base http://127.0.0.1:PORT --cookies cookies.tsv --think 5 --seconds 30
        [--path /supervision/statistics --marker 督查督办统计 ...]

single and paced load --path (default /home) and check every answer: 200 and each --marker in the page (by default
the signed-in 工作台's role line and logout form).

watch notes what else the machine does while a run goes on: every second the cores used by processes other than
the server (--server PID), the load generators (wrk, this script) and, with --postgres, PostgreSQL, and whether a Swift
build or test runs (swift-build, swift-frontend, swift-test, an .xctest). With --seconds it samples that long and
prints "other-cores build"; without, it samples until SIGTERM and then writes the same for the whole run to --out.

single loads each user's /home LOADS times after one unmeasured load, one request at a time on one keep-alive
connection, and prints per kind of user p50 / p90 / max of all loads and the slowest users by their median: where the
time of a 工作台 goes when nothing else runs. Standard library only.
"""

import argparse
import concurrent.futures
import http.client
import re
import statistics
import os
import random
import signal
import sys
import threading
import time
import urllib.parse

CSRF_RE = re.compile(r'name="_csrf"\s+value="([0-9A-Fa-f]+)"')
HOME_MARKERS = ('action="/logout"', '<p class="lead">')


def cookie_of(response, name):
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def is_home(status, body, markers=HOME_MARKERS):
    return status == 200 and all(m in body for m in markers)


def sign_in(host, port, username, password):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", "/login")
        r = conn.getresponse()
        page = r.read().decode()
        session = cookie_of(r, "fz_session")
        m = CSRF_RE.search(page)
        if r.status != 200 or not session or not m:
            return None, f"GET /login: {r.status}"
        form = urllib.parse.urlencode({"username": username, "password": password, "_csrf": m.group(1)})
        for attempt in range(10):
            conn.request("POST", "/login", form, {"Cookie": f"fz_session={session}",
                                                  "Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            r.read()
            if r.status == 503:  # the bounded password queue: try again as the page says
                time.sleep(1 + attempt)
                continue
            break
        if r.status != 303:
            return None, f"POST /login: {r.status}"
        session = cookie_of(r, "fz_session") or session
        conn.request("GET", "/home", headers={"Cookie": f"fz_session={session}"})
        r = conn.getresponse()
        body = r.read().decode(errors="replace")
        if not is_home(r.status, body):
            return None, f"GET /home after sign-in: {r.status} {r.getheader('Location') or ''}"
        return session, None
    finally:
        conn.close()


def cmd_signin(args):
    u = urllib.parse.urlsplit(args.base)
    users = [line.rstrip("\n").split("\t") for line in open(args.users, encoding="utf-8") if line.strip()]
    failures = []
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.parallel) as pool:
        results = list(pool.map(lambda ku: (ku[0], ku[1], *sign_in(u.hostname, u.port, ku[1], args.password)),
                                users))
    with open(args.out, "w", encoding="utf-8") as out:
        for kind, username, session, error in results:
            if session:
                out.write(f"{kind}\t{username}\t{session}\n")
            else:
                failures.append(f"{username} ({kind}): {error}")
    print(f"   signed in {len(results) - len(failures)} of {len(users)} users in "
          f"{time.perf_counter() - start:.1f} s, each checked on /home")
    for f in failures:
        print("   FAILED " + f, file=sys.stderr)
    return 1 if failures else 0


def what(args):
    return "the signed-in 工作台" if not args.marker else "the page (" + ", ".join(args.marker) + ")"


def percentile(sorted_values, p):
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def cmd_single(args):
    u = urllib.parse.urlsplit(args.base)
    rows = [line.rstrip("\n").split("\t") for line in open(args.cookies, encoding="utf-8") if line.strip()]
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    per_user, per_kind, bad = {}, {}, 0
    for kind, username, session in rows:
        headers = {"Cookie": f"fz_session={session}"}
        times = []
        for i in range(args.loads + 1):
            start = time.perf_counter()
            conn.request("GET", args.path, headers=headers)
            r = conn.getresponse()
            body = r.read().decode(errors="replace")
            elapsed = (time.perf_counter() - start) * 1000
            if not is_home(r.status, body, args.marker or HOME_MARKERS):
                bad += 1
            if i:
                times.append(elapsed)
        per_user[(kind, username)] = times
        per_kind.setdefault(kind, []).extend(times)
    conn.close()
    print(f"   {'kind of user':18} {'users':>5} {'loads':>6} {'p50':>9} {'p90':>9} {'max':>9}")
    for kind, times in sorted(per_kind.items(), key=lambda kv: -statistics.median(kv[1])):
        t = sorted(times)
        users = sum(1 for k, _ in per_user if k == kind)
        print(f"   {kind:18} {users:5} {len(t):6} {percentile(t, 50):6.1f} ms {percentile(t, 90):6.1f} ms "
              f"{t[-1]:6.1f} ms")
    slow = sorted(per_user.items(), key=lambda kv: -statistics.median(kv[1]))[:args.slowest]
    print("   slowest users (median): " + ", ".join(f"{u} ({k}) {statistics.median(v):.1f} ms"
                                                 for (k, u), v in slow))
    if bad:
        print(f"   FAILED: {bad} answers were not 200 with {what(args)}", file=sys.stderr)
        return 1
    return 0


def cmd_paced(args):
    u = urllib.parse.urlsplit(args.base)
    rows = [line.rstrip("\n").split("\t") for line in open(args.cookies, encoding="utf-8") if line.strip()]
    lock = threading.Lock()
    times, bad = [], []
    start = time.monotonic() + 1.0
    end = start + args.seconds

    def person(index, session):
        rng = random.Random(args.seed * 1000 + index)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        at = start + rng.uniform(0, args.think)
        while True:
            now = time.monotonic()
            if at >= end:
                break
            if at > now:
                time.sleep(at - now)
            t0 = time.perf_counter()
            try:
                conn.request("GET", args.path, headers={"Cookie": f"fz_session={session}"})
                r = conn.getresponse()
                body = r.read().decode(errors="replace")
                ok = is_home(r.status, body, args.marker or HOME_MARKERS)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                (times if ok else bad).append(elapsed)
            at += rng.expovariate(1 / args.think)
        conn.close()

    threads = [threading.Thread(target=person, args=(i, row[2]), daemon=True) for i, row in enumerate(rows)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t = sorted(times)
    if t:
        label = f"GET {args.path}, {len(rows)} people, {args.think} s apart"
        print(f"{label:30} {len(t):8} req "
              f"{len(t) / args.seconds:8.1f} req/s   p50 {percentile(t, 50):6.2f}  p90 {percentile(t, 90):6.2f}  "
              f"p95 {percentile(t, 95):6.2f}  p99 {percentile(t, 99):6.2f}  max {t[-1]:7.2f} ms")
    if bad or not t:
        print(f"   FAILED: {len(bad)} answers were not 200 with {what(args)}", file=sys.stderr)
        return 1
    print(f"   all {len(t)} answers 200 with {what(args)}")
    print(f"PACED p99={percentile(t, 99):.2f}")
    return 0


BUILDERS = ("swift-build", "swift-frontend", "swift-test")


def cpu_snapshot(allowed_pids, postgres):
    """Ticks of user time + system time of every user-space process not in the benchmark, and whether a build or
    test of Swift runs."""
    other, building = 0, False
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) in allowed_pids:
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                data = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if not cmdline:  # a kernel thread
            continue
        comm = data[data.index("(") + 1:data.rindex(")")]
        if any(b in comm or b in cmdline.split(" ")[0] for b in BUILDERS) or ".xctest" in cmdline:
            building = True
        if comm == "wrk" or "bench_home.py" in cmdline or (postgres and comm.startswith("postgres")):
            continue
        fields = data[data.rindex(")") + 2:].split()
        other += int(fields[11]) + int(fields[12])
    return other, building


def cmd_watch(args):
    hz = os.sysconf("SC_CLK_TCK")
    allowed = {os.getpid(), os.getppid()} | set(args.server or [])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    began = time.monotonic()
    first, built = cpu_snapshot(allowed, args.postgres)
    # Processes that ended between two samples drop out of the sum; a sample that went down counts as 0.
    last, total, peak = first, 0, 0.0
    while not stop and (args.seconds is None or time.monotonic() - began < args.seconds):
        time.sleep(1)
        ticks, building = cpu_snapshot(allowed, args.postgres)
        step = max(0, ticks - last)
        total += step
        peak = max(peak, step / hz)
        last, built = ticks, built or building
    elapsed = max(time.monotonic() - began, 1e-3)
    line = f"{total / hz / elapsed:.3f} {int(built)} {peak:.2f}"
    if args.out:
        with open(args.out, "w") as f:
            f.write(line + "\n")
    else:
        print(line)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("signin")
    s.add_argument("--base", required=True)
    s.add_argument("--password", required=True)
    s.add_argument("--users", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--parallel", type=int, default=4)
    t = sub.add_parser("single")
    t.add_argument("--base", required=True)
    t.add_argument("--cookies", required=True)
    t.add_argument("--path", default="/home")
    t.add_argument("--marker", action="append", help="text the page must contain (repeatable)")
    t.add_argument("--loads", type=int, default=10)
    t.add_argument("--slowest", type=int, default=8)
    q = sub.add_parser("paced")
    q.add_argument("--base", required=True)
    q.add_argument("--cookies", required=True)
    q.add_argument("--path", default="/home")
    q.add_argument("--marker", action="append", help="text the page must contain (repeatable)")
    q.add_argument("--think", type=float, default=5.0)
    q.add_argument("--seconds", type=float, default=30.0)
    q.add_argument("--seed", type=int, default=1)
    w = sub.add_parser("watch")
    w.add_argument("--server", type=int, action="append")
    w.add_argument("--postgres", action="store_true")
    w.add_argument("--seconds", type=float)
    w.add_argument("--out")
    args = p.parse_args()
    return {"signin": cmd_signin, "single": cmd_single, "paced": cmd_paced, "watch": cmd_watch}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
