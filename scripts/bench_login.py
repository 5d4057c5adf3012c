#!/usr/bin/env python3
"""Load generator for the morning-peak login benchmark (issue 9): distinct users logging in at a fixed
arrival rate while /healthz is probed every 100 ms.

    python3 scripts/bench_login.py --port 8096 --users 3000 --rate 5

Open loop: login i starts at start + i / rate (or, with --arrivals poisson, after random exponential gaps of
the same mean) on its own thread, whether or not earlier logins have answered, so a slow server makes logins pile up instead of slowing the arrivals down. Each login is one
browser: a new connection, GET /login (session cookie + CSRF token from the form), then POST /login with
the form, which should answer 303 to /home. The POST is timed alone and together with the GET. /healthz is
probed on a fixed 100 ms schedule, each probe on its own thread and its own connection (as a load balancer
would), so a stalled probe does not hide the ones behind it. --also-probe /readyz probes a path that uses
the database the same way.

Standard library only. Bounded: after the last login has started it waits at most --grace seconds for
the ones still running, then reports them as unfinished. Exit status 0 only when every login got 303.
"""

import argparse
import csv
import http.client
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse

CSRF_RE = re.compile(rb'name="_csrf"\s+value="([0-9A-Fa-f]+)"')


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil(n * p / 100)
    return sorted_values[int(rank) - 1]


def summary(values):
    v = sorted(values)
    return {
        "count": len(v),
        "p50": percentile(v, 50),
        "p90": percentile(v, 90),
        "p99": percentile(v, 99),
        "max": v[-1] if v else float("nan"),
    }


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.login_post = []      # seconds, POST /login alone, 303 answers only
        self.login_total = []     # seconds, GET /login + POST /login, 303 answers only
        self.login_status = {}    # status (int or "error: ...") -> count
        self.health = []          # seconds, every answered /healthz probe
        self.health_status = {}
        self.extra = {}           # --also-probe path -> [seconds]
        self.extra_status = {}    # --also-probe path -> {status: count}
        self.started = 0
        self.finished = 0
        self.in_flight_max = 0
        self.start_lag_max = 0.0  # how late a login thread began after its scheduled time
        self.failures = []        # first few failures, for the report
        self.samples = []         # (kind, start as Unix time, status, seconds, GET+POST seconds) for --samples

    def count(self, table, key):
        table[key] = table.get(key, 0) + 1


def set_cookie_value(response, name):
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            first = value.split(";", 1)[0]
            if "=" in first:
                k, v = first.split("=", 1)
                if k.strip() == name:
                    return v.strip()
    return None


def one_login(args, index, scheduled, results):
    username = f"{args.prefix}{index + 1:04d}"
    lag = time.monotonic() - scheduled
    with results.lock:
        results.started += 1
        results.start_lag_max = max(results.start_lag_max, lag)
        in_flight = results.started - results.finished
        results.in_flight_max = max(results.in_flight_max, in_flight)
    status = None
    post_time = total_time = None
    detail = ""
    conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
    phase = "GET"
    wall = time.time()
    try:
        t0 = time.monotonic()
        conn.request("GET", "/login", headers={"User-Agent": "fuzheng-bench-login"})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            status, detail = f"GET {r.status}", body[:200].decode("utf-8", "replace")
        else:
            cookie = set_cookie_value(r, "fz_session")
            m = CSRF_RE.search(body)
            if not cookie or not m:
                status, detail = "GET without cookie or _csrf", body[:200].decode("utf-8", "replace")
            else:
                form = urllib.parse.urlencode(
                    {"_csrf": m.group(1).decode(), "username": username, "password": args.password})
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"fz_session={cookie}",
                    "User-Agent": "fuzheng-bench-login",
                }
                phase = "POST"
                t1 = time.monotonic()
                conn.request("POST", "/login", body=form, headers=headers)
                r = conn.getresponse()
                body = r.read()
                t2 = time.monotonic()
                post_time, total_time = t2 - t1, t2 - t0
                status = r.status
                if status == 303:
                    location = r.getheader("Location", "")
                    if not location.endswith("/home"):
                        status, detail = f"303 to {location}", ""
                else:
                    detail = body[:200].decode("utf-8", "replace")
    except Exception as e:  # noqa: BLE001 - every failure is a result to count
        status, detail = f"{phase} error: {type(e).__name__}", str(e)[:200]
    finally:
        conn.close()
    with results.lock:
        results.finished += 1
        results.count(results.login_status, status)
        results.samples.append(("login", wall, status, post_time, total_time))
        if status == 303:
            results.login_post.append(post_time)
            results.login_total.append(total_time)
        elif len(results.failures) < 10:
            results.failures.append((username, status, detail))


def one_probe(args, results, path="/healthz"):
    if path == "/healthz":
        latencies, statuses, kind = results.health, results.health_status, "healthz"
    else:
        latencies = results.extra.setdefault(path, [])
        statuses, kind = results.extra_status.setdefault(path, {}), path
    conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
    wall = time.time()
    try:
        t0 = time.monotonic()
        conn.request("GET", path, headers={"User-Agent": "fuzheng-bench-login"})
        r = conn.getresponse()
        r.read()
        elapsed = time.monotonic() - t0
        with results.lock:
            results.count(statuses, r.status)
            latencies.append(elapsed)
            results.samples.append((kind, wall, r.status, elapsed, None))
    except Exception as e:  # noqa: BLE001
        with results.lock:
            results.count(statuses, f"error: {type(e).__name__}")
            results.samples.append((kind, wall, f"error: {type(e).__name__}", None, None))
    finally:
        conn.close()


def prober(args, results, stop):
    threads = []
    next_tick = time.monotonic()
    while not stop.is_set():
        for path in ["/healthz"] + args.also_probe:
            t = threading.Thread(target=one_probe, args=(args, results, path), daemon=True)
            t.start()
            threads.append(t)
        threads = [t for t in threads if t.is_alive()]
        next_tick += args.health_interval
        stop.wait(max(0.0, next_tick - time.monotonic()))
    for t in threads:
        t.join(timeout=args.timeout)


def progress(results, start, total):
    with results.lock:
        done = results.finished
        running = results.started - results.finished
        ok = results.login_status.get(303, 0)
        post = sorted(results.login_post[-300:])
        health = sorted(results.health[-300:])
    recent = f"last {len(post)} logins p99 {ms(percentile(post, 99))}" if post else "no login answered yet"
    hp = f"/healthz last {len(health)} p99 {ms(percentile(health, 99))}" if health else ""
    print(f"[{time.monotonic() - start:6.0f} s] {done}/{total} logins done ({ok} × 303), {running} running; "
          f"{recent}; {hp}", flush=True)


def quiet_figures(args, samples):
    """Figures of the logins and probes made while other processes left the cores alone (see --cpu-log)."""
    cpu = []
    try:
        with open(args.cpu_log) as f:
            for line in f:
                try:
                    t, other = line.split()[:2]
                    cpu.append((float(t), float(other)))
                except ValueError:  # a line being written as we read
                    continue
    except OSError:
        return None
    if not cpu:
        return None
    cpu.sort()
    busy_times = [t for t, other in cpu if other >= args.quiet_below]

    def quiet(start, end):
        # sample at time t covers (t - 5, t]; the span [start - lookback, end] must meet no busy sample
        lo, hi = start - args.quiet_lookback, end + 5
        return not any(lo < t <= hi for t in busy_times)

    post, health, status = [], [], {}
    for kind, wall, st, secs, total in samples:
        end = wall + (total if total is not None else (secs or args.timeout))
        if not quiet(wall, end):
            continue
        if kind == "login":
            status[st] = status.get(st, 0) + 1
            if st == 303:
                post.append(secs)
        elif kind == "healthz" and secs is not None:
            health.append(secs)
    return {
        "quiet_below_cores": args.quiet_below, "lookback_s": args.quiet_lookback,
        "cpu_samples": len(cpu), "quiet_samples": len(cpu) - len(busy_times),
        "other_cores_mean": sum(o for _, o in cpu) / len(cpu),
        "login_status": {str(k): v for k, v in status.items()},
        "login_post_s": summary(post), "healthz_s": summary(health),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8096")))
    p.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", "3000")))
    p.add_argument("--rate", type=float, default=float(os.environ.get("BENCH_RATE", "5")),
                   help="logins started per second (open loop)")
    p.add_argument("--arrivals", choices=["fixed", "poisson"], default=os.environ.get("BENCH_ARRIVALS", "fixed"),
                   help="fixed: one login every 1/rate s (the kindest case for the server); poisson: random "
                        "exponential gaps with the same mean, as independent people arrive (seeded, repeatable)")
    p.add_argument("--prefix", default="bench", help="usernames are PREFIX0001 … PREFIXnnnn")
    p.add_argument("--password", default="Fuzheng@2023")
    p.add_argument("--health-interval", type=float, default=0.1, help="seconds between /healthz probes")
    p.add_argument("--also-probe", action="append", metavar="PATH",
                   default=os.environ.get("BENCH_ALSO_PROBE", "").split(),
                   help="another path probed like /healthz, e.g. /readyz (one database query), which shows whether "
                        "pages that use the database wait behind bcrypt; repeatable (env BENCH_ALSO_PROBE, "
                        "space-separated)")
    p.add_argument("--timeout", type=float, default=30.0, help="socket timeout of each request, seconds")
    p.add_argument("--grace", type=float, default=60.0,
                   help="seconds to wait for running logins after the last one has started")
    p.add_argument("--progress-every", type=float, default=30.0)
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--samples", help="also write every login and probe to this CSV file")
    p.add_argument("--cpu-log", help="lines 'unix-time cores-used-by-other-processes' (bench-login.sh writes them "
                                     "every 5 s); adds the figures of the logins made while the machine was quiet")
    p.add_argument("--quiet-below", type=float, default=0.25,
                   help="with --cpu-log: a 5-s sample is quiet when other processes used less than this many cores")
    p.add_argument("--quiet-lookback", type=float, default=30.0,
                   help="with --cpu-log: a login counts as quiet when every sample from this many seconds before it "
                        "started until it ended was quiet (a queue built by a busy spell takes a while to drain)")
    p.add_argument("--goal-login-p99", type=float, default=2.0, help="seconds")
    p.add_argument("--goal-health-p99", type=float, default=0.050, help="seconds")
    args = p.parse_args()

    results = Results()
    stop_probes = threading.Event()
    probe_thread = threading.Thread(target=prober, args=(args, results, stop_probes), daemon=True)

    probed = " and ".join(["/healthz"] + args.also_probe)
    print(f"== {args.users} logins at {args.rate:g}/s ({args.arrivals} arrivals, open loop, about "
          f"{args.users / args.rate:.0f} s) "
          f"against http://{args.host}:{args.port}; {probed} every {args.health_interval * 1000:.0f} ms", flush=True)
    start = time.monotonic()
    probe_thread.start()
    logins = []
    next_report = start + args.progress_every
    gaps = random.Random(20231).expovariate if args.arrivals == "poisson" else None
    offset = 0.0
    for i in range(args.users):
        if i:
            offset += gaps(args.rate) if gaps else 1 / args.rate
        scheduled = start + offset
        while True:
            now = time.monotonic()
            if now >= next_report:
                progress(results, start, args.users)
                next_report += args.progress_every
            if now >= scheduled:
                break
            time.sleep(min(scheduled - now, max(0.0, next_report - now)))
        t = threading.Thread(target=one_login, args=(args, i, scheduled, results), daemon=True)
        t.start()
        logins.append(t)
    arrivals_end = time.monotonic()
    deadline = arrivals_end + args.grace
    for t in logins:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        t.join(timeout=remaining)
        if time.monotonic() >= next_report:
            progress(results, start, args.users)
            next_report += args.progress_every
    stop_probes.set()
    probe_thread.join(timeout=args.timeout + 1)
    elapsed = time.monotonic() - start

    with results.lock:
        unfinished = args.users - results.finished
        if unfinished:
            results.login_status["unfinished"] = unfinished
        login_post = summary(results.login_post)
        login_total = summary(results.login_total)
        health = summary(results.health)
        login_status = dict(results.login_status)
        health_status = dict(results.health_status)
        extra = {path: summary(v) for path, v in results.extra.items()}
        extra_status = {path: dict(v) for path, v in results.extra_status.items()}
        failures = list(results.failures)
        samples = list(results.samples)
        in_flight_max = results.in_flight_max
        lag_max = results.start_lag_max

    ok = login_status.get(303, 0)
    all_ok = ok == args.users
    login_goal = all_ok and login_post["p99"] <= args.goal_login_p99
    health_bad = sum(n for k, n in health_status.items() if k != 200)
    health_goal = health["count"] > 0 and health_bad == 0 and health["p99"] <= args.goal_health_p99

    def fmt_status(d):
        return ", ".join(f"{k}: {v}" for k, v in sorted(d.items(), key=lambda kv: str(kv[0])))

    def fmt(s):
        return (f"n={s['count']}  p50 {ms(s['p50'])}  p90 {ms(s['p90'])}  p99 {ms(s['p99'])}  "
                f"max {ms(s['max'])}")

    print()
    print(f"== results ({elapsed:.0f} s; arrivals took {arrivals_end - start:.0f} s, "
          f"offered {(args.users - 1) / max(arrivals_end - start, 1e-9):.2f}/s)")
    print(f"logins:            {args.users} users, statuses {fmt_status(login_status)}")
    print(f"POST /login:       {fmt(login_post)}")
    print(f"GET+POST /login:   {fmt(login_total)}")
    print(f"/healthz:          {fmt(health)}  (statuses {fmt_status(health_status)})")
    for path in sorted(extra_status):
        print(f"{path + ':':18} {fmt(extra.get(path, summary([])))}  (statuses {fmt_status(extra_status[path])})")
    print(f"most logins running at once: {in_flight_max}; latest thread start {ms(lag_max)} after its slot")
    quiet = None
    if args.cpu_log:
        quiet = quiet_figures(args, samples)
        if quiet is None:
            print("quiet spells:      no CPU samples to judge by")
        else:
            print(f"logins while quiet (others < {args.quiet_below:g} core from {args.quiet_lookback:g} s before to the "
                  f"end; {quiet['quiet_samples']} of {quiet['cpu_samples']} 5-s samples quiet, others used "
                  f"{quiet['other_cores_mean']:.2f} core on average):")
            print(f"  POST /login:     {fmt(quiet['login_post_s'])}  statuses {fmt_status(quiet['login_status'])}")
            print(f"  /healthz:        {fmt(quiet['healthz_s'])}")
    for username, status, detail in failures:
        print(f"  failed: {username}: {status} {detail!r}")
    print(f"goal login p99 ≤ {args.goal_login_p99:g} s (POST, every login 303): {'met' if login_goal else 'NOT met'}")
    print(f"goal /healthz p99 ≤ {args.goal_health_p99 * 1000:g} ms (every probe 200): "
          f"{'met' if health_goal else 'NOT met'}")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "users": args.users, "rate": args.rate, "arrivals": args.arrivals, "elapsed_s": elapsed,
                "login_status": {str(k): v for k, v in login_status.items()},
                "login_post_s": login_post, "login_get_post_s": login_total,
                "healthz_s": health, "healthz_status": {str(k): v for k, v in health_status.items()},
                "also_probed": {path: {"s": extra.get(path), "status": {str(k): v for k, v in st.items()}}
                                for path, st in extra_status.items()},
                "in_flight_max": in_flight_max, "start_lag_max_s": lag_max,
                "goal_login_met": login_goal, "goal_healthz_met": health_goal,
                "quiet": quiet,
            }, f, indent=2)
    if args.samples:
        with open(args.samples, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["kind", "start_unix", "status", "seconds", "get_post_seconds"])
            for kind, wall, status, secs, total in sorted(samples, key=lambda r: r[1]):
                w.writerow([kind, f"{wall:.3f}", status, "" if secs is None else f"{secs:.6f}",
                            "" if total is None else f"{total:.6f}"])
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
