#!/usr/bin/env python3
"""Load generator for the morning-peak login benchmark (issue 9): distinct users logging in at a fixed
arrival rate while /healthz is probed every 100 ms.

    python3 scripts/bench_login.py --port 8096 --users 3000 --rate 5

Open loop: login i starts at start + i / rate (or, with --arrivals poisson, after random exponential gaps of
the same mean) on its own thread, whether or not earlier logins have answered, so a slow server makes logins pile up instead of slowing the arrivals down. Each login is one
browser: a new connection, GET /login (session cookie + CSRF token from the form), then POST /login with
the form, which should answer 303 to /home. The POST is timed alone and together with the GET. /healthz is
probed on a fixed 100 ms schedule, each probe on its own thread and its own connection (as a load balancer
would), so a stalled probe does not hide the ones behind it.

Standard library only. Bounded: after the last login has started it waits at most --grace seconds for
the ones still running, then reports them as unfinished. Exit status 0 only when every login got 303.
"""

import argparse
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
        self.health = []          # seconds, every answered probe
        self.health_status = {}
        self.started = 0
        self.finished = 0
        self.in_flight_max = 0
        self.start_lag_max = 0.0  # how late a login thread began after its scheduled time
        self.failures = []        # first few failures, for the report

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
        if status == 303:
            results.login_post.append(post_time)
            results.login_total.append(total_time)
        elif len(results.failures) < 10:
            results.failures.append((username, status, detail))


def one_probe(args, results):
    conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
    try:
        t0 = time.monotonic()
        conn.request("GET", "/healthz", headers={"User-Agent": "fuzheng-bench-login"})
        r = conn.getresponse()
        r.read()
        elapsed = time.monotonic() - t0
        with results.lock:
            results.count(results.health_status, r.status)
            results.health.append(elapsed)
    except Exception as e:  # noqa: BLE001
        with results.lock:
            results.count(results.health_status, f"error: {type(e).__name__}")
    finally:
        conn.close()


def prober(args, results, stop):
    threads = []
    next_tick = time.monotonic()
    while not stop.is_set():
        t = threading.Thread(target=one_probe, args=(args, results), daemon=True)
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
    p.add_argument("--timeout", type=float, default=30.0, help="socket timeout of each request, seconds")
    p.add_argument("--grace", type=float, default=60.0,
                   help="seconds to wait for running logins after the last one has started")
    p.add_argument("--progress-every", type=float, default=30.0)
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--goal-login-p99", type=float, default=2.0, help="seconds")
    p.add_argument("--goal-health-p99", type=float, default=0.050, help="seconds")
    args = p.parse_args()

    results = Results()
    stop_probes = threading.Event()
    probe_thread = threading.Thread(target=prober, args=(args, results, stop_probes), daemon=True)

    print(f"== {args.users} logins at {args.rate:g}/s ({args.arrivals} arrivals, open loop, about "
          f"{args.users / args.rate:.0f} s) "
          f"against http://{args.host}:{args.port}; /healthz every {args.health_interval * 1000:.0f} ms", flush=True)
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
        failures = list(results.failures)
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
          f"offered {args.users / max(arrivals_end - start, 1e-9):.2f}/s)")
    print(f"logins:            {args.users} users, statuses {fmt_status(login_status)}")
    print(f"POST /login:       {fmt(login_post)}")
    print(f"GET+POST /login:   {fmt(login_total)}")
    print(f"/healthz:          {fmt(health)}  (statuses {fmt_status(health_status)})")
    print(f"most logins running at once: {in_flight_max}; latest thread start {ms(lag_max)} after its slot")
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
                "in_flight_max": in_flight_max, "start_lag_max_s": lag_max,
                "goal_login_met": login_goal, "goal_healthz_met": health_goal,
            }, f, indent=2)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
