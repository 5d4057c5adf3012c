#!/usr/bin/env python3
"""PDF load check, for CI (called by .ci/run, phase 7).

Starts a fresh demo server (SQLite) and, as caiwu, publishes corrections of 434001/2023 so that there are several
versions to print (the demo data has one published disclosure, version 1). Then:

  1. one print on its own (the last version): the peak number of Chromium processes it runs at once is P
     (counted in /proc: every process descended from the server, or in a process group or session started by one
     of them, whose name starts with "chrom" — Debian's /usr/bin/chromium wrapper, the browser, its zygotes,
     renderers, utility processes and crashpad handlers, which leave the server's session);
  2. the burst: 10 PDF requests at once over versions 1–4 (1,2,3,4,1,2,3,4,1,2) while another process asks
     /healthz every 50 ms and a third samples /proc every 10 ms. Passes only if every /healthz during the burst
     answered 200 within 100 ms, every PDF answer is 200 with a %PDF body or 503 with Retry-After, at most
     --workers (2) prints ran at once and the Chromium processes never exceeded --workers × P;
  3. the same 10 requests again, at once: all 200, each answered in under 1 s (served from the file store),
     byte-identical to the first answers, and no Chromium started.

Timings and counts are printed; exit status 1 with a message on any failure.

    python3 .ci/pdf_load.py --fuzheng "/tmp/fzbin/fuzheng" --port 8095 --work /tmp/x --out ci-artifacts/pdf-load

--server-workers N starts the server with FUZHENG_PDF_WORKERS=N (the bound checked stays --workers): with N > 2
the check must fail, which is how this script itself is tested.
"""
import re
import argparse
import hashlib
import multiprocessing
import os
import shlex
import sqlite3
import statistics
import sys
import threading
import time

from fzci import Client, DrillFailed, Server, base_env, csrf_of, log, log_in, main_wrapper, random_key_hex

TAG = "pdf_load"
UNIT, YEAR = "434001", "2023"
BURST_VERSIONS = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2]
SOLO_VERSION = 5
HEALTH_LIMIT = 0.100
CACHED_LIMIT = 1.0


def pdf_path(version):
    return f"/disclosures/{UNIT}/{YEAR}/v/{version}/download/pdf"


# ------------------------------------------------------------------------------------------- /proc sampling

def read_procs():
    """pid → (comm, ppid, pgid, sid, CPU ticks used) for every process now."""
    procs = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        close = stat.rfind(")")
        comm = stat[stat.find("(") + 1:close]
        fields = stat[close + 2:].split()
        procs[int(name)] = (comm, int(fields[1]), int(fields[2]), int(fields[3]), int(fields[11]) + int(fields[12]))
    return procs


def sampler(server_pid, stop, out, interval):
    """Runs in its own process. Tracks the server's descendants (and processes in their groups or sessions,
    which catches crashpad handlers re-parented to init) and records, per sample, the Chromium processes alive
    and the prints they belong to: a print is a direct child of the server (the /usr/bin/chromium the server
    started and waits for); it is running while that process is alive. Helpers still exiting after it ended are
    counted as left over."""
    root_of = {server_pid: None}   # tracked pid → the server's direct child it descends from
    peak_total, peak_running, peak_running_procs, peak_leftover, samples = 0, 0, 0, 0, 0
    per_print_peak = {}
    timeline = []
    # CPU used while sampling, per process: ticks at the first sight (0 if born later) and at the last.
    drill = os.getppid()
    first_ticks, last_ticks, names, born_later = {}, {}, {}, False
    wall_started = time.monotonic()
    while not stop.is_set():
        procs = read_procs()
        changed = True
        while changed:
            changed = False
            for pid, (comm, ppid, pgid, sid, _ticks) in procs.items():
                if pid in root_of:
                    continue
                if ppid == server_pid:
                    root_of[pid] = pid
                elif ppid in root_of or pgid in root_of or sid in root_of:
                    parent = ppid if ppid in root_of else (pgid if pgid in root_of else sid)
                    # In the server's session or group but not its child: re-parented after its print ended.
                    root_of[pid] = root_of[parent] if parent != server_pid else "orphan"
                else:
                    continue
                changed = True
        counts, leftover = {}, 0
        for pid, (comm, *_rest) in procs.items():
            if pid == server_pid or pid not in root_of or not comm.startswith("chrom"):
                continue
            root = root_of[pid]
            counts[root] = counts.get(root, 0) + 1
        running = {r: n for r, n in counts.items() if r in procs}
        leftover = sum(n for r, n in counts.items() if r not in procs)
        total = sum(counts.values())
        for root, n in counts.items():
            if root != "orphan":
                per_print_peak[root] = max(per_print_peak.get(root, 0), n)
        for pid, (comm, ppid, _pgid, _sid, ticks) in procs.items():
            if pid not in first_ticks:
                first_ticks[pid] = 0 if born_later else ticks
                names[pid] = ("platform" if pid in root_of else
                              "this check" if pid == drill or ppid == drill else comm)
            last_ticks[pid] = ticks
        born_later = True
        peak_total = max(peak_total, total)
        peak_running = max(peak_running, len(running))
        peak_running_procs = max(peak_running_procs, sum(running.values()))
        peak_leftover = max(peak_leftover, leftover)
        samples += 1
        timeline.append((time.monotonic(), total, len(running), sum(running.values()), leftover))
        if interval:
            time.sleep(interval)
    cpu = {}
    for pid, ticks in last_ticks.items():
        name = "platform" if pid in root_of else names[pid]
        cpu[name] = cpu.get(name, 0) + (ticks - first_ticks[pid]) / os.sysconf("SC_CLK_TCK")
    out.send({"cpu": cpu, "wall": time.monotonic() - wall_started,
              "peak_total": peak_total, "peak_running": peak_running, "peak_running_procs": peak_running_procs,
              "peak_leftover": peak_leftover, "samples": samples, "prints_seen": len(per_print_peak),
              "per_print_peak": sorted(per_print_peak.values(), reverse=True), "timeline": timeline})


def prober(port, stop, out, interval=0.05):
    """Runs in its own process (no GIL shared with the PDF requests): /healthz every 50 ms, one at a time."""
    results = []
    client = Client("127.0.0.1", port, "healthz")
    next_at = time.monotonic()
    while not stop.is_set():
        started = time.monotonic()
        try:
            r = client.get("/healthz", timeout=5)
            results.append((started, r.status, time.monotonic() - started))
        except OSError as e:
            results.append((started, f"{type(e).__name__}", time.monotonic() - started))
        next_at += interval
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            next_at = time.monotonic()
    out.send(results)


class Monitors:
    def __init__(self, port, server_pid, probe, interval):
        ctx = multiprocessing.get_context("fork")
        self.stop = ctx.Event()
        self.sample_rx, sample_tx = ctx.Pipe(False)
        self.procs = [ctx.Process(target=sampler, args=(server_pid, self.stop, sample_tx, interval), daemon=True)]
        self.probe_rx = None
        if probe:
            self.probe_rx, probe_tx = ctx.Pipe(False)
            self.procs.append(ctx.Process(target=prober, args=(port, self.stop, probe_tx), daemon=True))
        for p in self.procs:
            p.start()
        time.sleep(0.3)  # let both take their first samples before the load starts

    def finish(self):
        self.stop.set()
        sampled = self.sample_rx.recv()
        probes = self.probe_rx.recv() if self.probe_rx else []
        for p in self.procs:
            p.join(10)
        return sampled, probes


# ------------------------------------------------------------------------------------------- requests

def fetch_all(port, versions):
    """All requests at once (a barrier releases the threads together); returns per-request dicts."""
    results = [None] * len(versions)
    barrier = threading.Barrier(len(versions))

    def one(i, v):
        barrier.wait()
        started = time.monotonic()
        try:
            r = Client("127.0.0.1", port, f"pdf-{i}").get(pdf_path(v), timeout=120)
            results[i] = {"version": v, "status": r.status, "seconds": r.elapsed, "body": r.body,
                          "retry_after": r.headers.get("retry-after"), "start": started}
        except OSError as e:
            results[i] = {"version": v, "status": f"{type(e).__name__}: {e}", "seconds": time.monotonic() - started,
                          "body": b"", "retry_after": None, "start": started}

    threads = [threading.Thread(target=one, args=(i, v)) for i, v in enumerate(versions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def describe(r):
    if r["status"] == 200:
        what = f"200 %PDF {len(r['body'])} bytes sha256 {hashlib.sha256(r['body']).hexdigest()[:12]}"
    elif r["status"] == 503:
        what = f"503 Retry-After: {r['retry_after']}"
    else:
        what = f"{r['status']}"
    return f"v{r['version']}: {what} in {r['seconds']:.2f} s"


def publish_corrections(port, count):
    c = Client("127.0.0.1", port, "caiwu")
    where = log_in(c, "caiwu")
    if where.split("?")[0] in ("/login", "/login/verify", "/account/2fa"):
        raise DrillFailed(f"caiwu's login went to {where}")
    for n in range(count):
        path = f"/units/{UNIT}/budgets/{YEAR}/publish"
        page = c.get(path)
        token = csrf_of(page.text)
        if page.status != 200 or not token:
            raise DrillFailed(f"GET {path} answered HTTP {page.status} (no publish form for caiwu)")
        form = {"_csrf": token, "note": f"CI PDF load check: correction {n + 1}"}
        # Open warnings must be ticked as read; the box carries how many the page listed.
        accept = re.search(r'name="acceptWarnings" value="(\d+)"', page.text)
        if accept:
            form["acceptWarnings"] = accept.group(1)
        r = c.post(path, form)
        if r.status != 303:
            raise DrillFailed(f"publishing correction {n + 1} of {UNIT}/{YEAR} answered HTTP {r.status}, not 303")
    for v in range(1, count + 2):
        r = Client("127.0.0.1", port).get(f"/disclosures/{UNIT}/{YEAR}/v/{v}")
        if r.status != 200:
            raise DrillFailed(f"/disclosures/{UNIT}/{YEAR}/v/{v} answered HTTP {r.status} after publishing")


def run(args):
    fuzheng = shlex.split(args.fuzheng)
    os.makedirs(args.out, exist_ok=True)
    data_dir = os.path.join(args.work, "data")
    extra = {"FUZHENG_PDF_WORKERS": args.server_workers} if args.server_workers else {}
    server = Server(fuzheng, args.port, base_env(data_dir, random_key_hex(), **extra),
                    os.path.join(args.out, "server.log"), TAG)
    phase_started = time.monotonic()
    problems = []
    try:
        took = server.start()
        log(TAG, f"fresh demo server (SQLite, {data_dir}) healthy after {took:.1f} s")
        publish_corrections(args.port, SOLO_VERSION - 1)
        log(TAG, f"caiwu published {SOLO_VERSION - 1} corrections: {UNIT}/{YEAR} has versions 1–{SOLO_VERSION}")

        # 1. One print on its own.
        mon = Monitors(args.port, server.pid, False, args.sample_ms / 1000)
        solo = fetch_all(args.port, [SOLO_VERSION])[0]
        sampled, _ = mon.finish()
        if solo["status"] != 200 or not solo["body"].startswith(b"%PDF"):
            raise DrillFailed(f"a single PDF request failed: {describe(solo)} (server log: {server.log_path})")
        solo_peak = sampled["peak_total"]
        if solo_peak == 0:
            raise DrillFailed(f"no Chromium process was seen during a print (sampling /proc every {args.sample_ms:g} ms)")
        log(TAG, f"one print alone (v{SOLO_VERSION}): {solo['seconds']:.2f} s, at most {solo_peak} Chromium "
                 f"processes at once ({sampled['samples']} samples of /proc every {args.sample_ms:g} ms)")

        # 2. The burst.
        mon = Monitors(args.port, server.pid, True, args.sample_ms / 1000)
        burst_started = time.monotonic()
        first = fetch_all(args.port, BURST_VERSIONS)
        burst_seconds = time.monotonic() - burst_started
        sampled, probes = mon.finish()
        log(TAG, f"burst of {len(first)} PDF requests at once, versions {BURST_VERSIONS}: {burst_seconds:.2f} s")
        for r in sorted(first, key=lambda r: r["seconds"]):
            log(TAG, f"  {describe(r)}")
        for r in first:
            if r["status"] == 200 and r["body"].startswith(b"%PDF"):
                continue
            if r["status"] == 503 and r["retry_after"]:
                continue
            problems.append(f"burst: {describe(r)} — expected 200 with a PDF or 503 with Retry-After")
        ok200 = sum(1 for r in first if r["status"] == 200)
        busy = sum(1 for r in first if r["status"] == 503)
        log(TAG, f"  answers: {ok200} × 200, {busy} × 503")

        during = [p for p in probes if burst_started <= p[0] <= burst_started + burst_seconds]
        if not during:
            problems.append("no /healthz probe ran during the burst")
        else:
            latencies = sorted(p[2] for p in during)
            bad = [p for p in during if p[1] != 200 or p[2] > HEALTH_LIMIT]
            p50 = statistics.median(latencies)
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            log(TAG, f"/healthz during the burst: {len(during)} probes, median {p50 * 1000:.1f} ms, "
                     f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms, "
                     f"{len(bad)} not 200 within {HEALTH_LIMIT * 1000:.0f} ms")
            for p in bad[:10]:
                problems.append(f"/healthz at +{p[0] - burst_started:.2f} s: {p[1]} in {p[2] * 1000:.1f} ms "
                                f"(limit: 200 within {HEALTH_LIMIT * 1000:.0f} ms)")
            if len(bad) > 10:
                problems.append(f"… and {len(bad) - 10} more slow or failed /healthz probes")

        # Where the CPU went during the burst: the platform (server and Chromium), this check, anything else.
        cpu = sampled["cpu"]
        platform, own = cpu.pop("platform", 0.0), cpu.pop("this check", 0.0)
        others = sorted(cpu.items(), key=lambda kv: -kv[1])
        other_total = sum(v for _, v in others)
        cores = os.cpu_count() or 1
        log(TAG, f"CPU during the burst ({cores} cores × {sampled['wall']:.1f} s = {cores * sampled['wall']:.0f} CPU-s): "
                 f"server and Chromium {platform:.1f} s, this check {own:.1f} s, other processes {other_total:.1f} s"
                 + (f" ({', '.join(f'{n} {v:.1f} s' for n, v in others[:4] if v >= 0.1)})" if other_total >= 0.1 else "")
                 + f"; load average {open('/proc/loadavg').read().split()[0]}")
        if other_total > 0.1 * cores * sampled["wall"]:
            log(TAG, "NOTE: other processes used more than 10 % of the machine during the burst; /healthz times are "
                     "not those of a quiet server")

        # Chromium: prints running at once (the server's own children), and processes at once.
        per_print = max([solo_peak] + sampled["per_print_peak"][:1])
        bound = args.workers * per_print
        log(TAG, f"Chromium during the burst: {sampled['prints_seen']} prints, at most {sampled['peak_running']} "
                 f"running at once; at most {sampled['peak_total']} Chromium processes at once "
                 f"({sampled['peak_running_procs']} of running prints, up to {sampled['peak_leftover']} helpers "
                 f"still exiting after their print ended); peak per print {sampled['per_print_peak']}")
        log(TAG, f"bound checked: at most {args.workers} prints at once and at most {args.workers} × {per_print} = "
                 f"{bound} Chromium processes at once (one print alone used {solo_peak}; the largest print "
                 f"{per_print})")
        if sampled["peak_running"] > args.workers:
            problems.append(f"{sampled['peak_running']} Chromium prints ran at once (at most {args.workers})")
        # The bound is on the processes of prints still running; helpers of a finished print that are still exiting
        # (slower at nice 19) are reported above but are not a print the server let run.
        if sampled["peak_running_procs"] > bound:
            problems.append(f"{sampled['peak_running_procs']} Chromium processes of running prints at once (bound "
                            f"{args.workers} × {per_print} = {bound})")
        with open(os.path.join(args.out, "chromium-timeline.txt"), "w") as f:
            f.write("seconds-since-burst chromium-processes prints-running their-processes left-over\n")
            for t, *rest in sampled["timeline"]:
                f.write(f"{t - burst_started:.3f} " + " ".join(map(str, rest)) + "\n")
        with open(os.path.join(args.out, "healthz.txt"), "w") as f:
            f.write("seconds-since-burst status milliseconds\n")
            for t, st, d in probes:
                f.write(f"{t - burst_started:.3f} {st} {d * 1000:.1f}\n")
        printed = {}
        for r in first:
            if r["status"] == 200:
                printed.setdefault(r["version"], set()).add(hashlib.sha256(r["body"]).hexdigest())
        twice = {v: len(h) for v, h in printed.items() if len(h) > 1}
        if twice:
            log(TAG, f"NOTE: readers of the same version got different prints (printed more than once): "
                     + ", ".join(f"v{v} × {n}" for v, n in sorted(twice.items())))

        # 3. The same requests again: from the file store.
        mon = Monitors(args.port, server.pid, False, args.sample_ms / 1000)
        again = fetch_all(args.port, BURST_VERSIONS)
        sampled_again, _ = mon.finish()
        slowest = max(r["seconds"] for r in again)
        log(TAG, f"the same {len(again)} requests again, at once: slowest {slowest:.3f} s, "
                 f"prints started: {sampled_again['prints_seen']}")
        served = {}
        for r in sorted(again, key=lambda r: r["version"]):
            log(TAG, f"  {describe(r)}")
            if r["status"] != 200 or not r["body"].startswith(b"%PDF"):
                problems.append(f"second round: {describe(r)} — expected 200 with a PDF")
                continue
            if r["seconds"] >= CACHED_LIMIT:
                problems.append(f"second round: {describe(r)} — not under {CACHED_LIMIT:.0f} s")
            digest = hashlib.sha256(r["body"]).hexdigest()
            served.setdefault(r["version"], set()).add(digest)
            if r["version"] in printed and digest not in printed[r["version"]]:
                problems.append(f"second round: v{r['version']} is none of the first round's answers")
        for v, digests in served.items():
            if len(digests) > 1:
                problems.append(f"second round: v{v} was answered with {len(digests)} different files")
        if sampled_again["prints_seen"] > 0:
            problems.append(f"second round started {sampled_again['prints_seen']} Chromium prints: not served "
                            "from the file store")
        server.stop()
        db = sqlite3.connect(f"file:{os.path.join(data_dir, 'fuzheng.sqlite')}?mode=ro", uri=True)
        stored = db.execute("SELECT count(*) FROM stored_files WHERE kind = 'disclosure-pdf'").fetchone()[0]
        db.close()
        versions = len(set(BURST_VERSIONS)) + 1
        log(TAG, f"stored_files rows of kind 'disclosure-pdf': {stored} (versions printed: {versions})")
        if stored != versions:
            problems.append(f"{stored} stored PDFs, expected one per version printed ({versions})")
    finally:
        server.stop()
    log(TAG, f"total {time.monotonic() - phase_started:.1f} s")
    if problems:
        raise DrillFailed("\n  " + "\n  ".join(problems) + f"\n  (server log: {server.log_path})")
    log(TAG, "ok")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fuzheng", required=True, help="the fuzheng command line (shell words)")
    parser.add_argument("--port", type=int, default=8095)
    parser.add_argument("--work", required=True, help="an empty scratch folder (data dir)")
    parser.add_argument("--out", required=True, help="where the server log and measurements go")
    parser.add_argument("--workers", type=int, default=2, help="prints allowed at once (the bound checked)")
    parser.add_argument("--sample-ms", type=float, default=20, help="how often /proc is read (ms)")
    parser.add_argument("--server-workers", type=int, default=None,
                        help="start the server with FUZHENG_PDF_WORKERS=N (to see the check fail)")
    args = parser.parse_args()
    main_wrapper(TAG, lambda: run(args))


if __name__ == "__main__":
    main()
