#!/usr/bin/env python3
"""Crash drill, for CI (called by .ci/run, phase 9), on SQLite (--db sqlite) or PostgreSQL (--db postgres
--database-url URL of an empty database).

A fresh demo server; secadmin enrols a second factor in one session and logs in three more times with recovery
codes (a TOTP code counts once per 30-s step, a recovery code once), so there are 4 sessions. 4 clients (threads,
one session each) then save new incidents through the web form in a loop, each with a unique title; a save answered
303 to /operations/availability is "acknowledged" and remembered. Meanwhile the server is killed with SIGKILL
--kills times (5) at random moments 1–4 s apart and started again each time; clients retry after connection
errors (an attempt cut off by the kill is not acknowledged, whether or not it was committed) and keep their
sessions, which live in the database. At the end, with the server stopped, the incidents table is read directly
(Python's sqlite3 on fuzheng.sqlite / psql): every acknowledged title must be there; SQLite's PRAGMA
integrity_check must say ok; `fuzheng audit verify` must pass. Counts and times are printed; exit status 1 with
a message on any failure.

    python3 .ci/crash_drill.py --db sqlite --fuzheng /tmp/fzbin/fuzheng --port 8097 --work /tmp/x --out ci-artifacts/crash

--sabotage-delete N deletes N acknowledged rows by hand before the check (the drill must then report them as
lost), which is how this script itself is tested.
"""
import argparse
import http.client
import os
import random
import shlex
import sqlite3
import subprocess
import threading
import time

from fzci import (Client, DrillFailed, Server, admin_session, base_env, cst_now_minus, csrf_of, enrol_second_factor,
                  indent, log, log_in, main_wrapper, random_key_hex, run_cli)

CLIENTS = 4
PREFIX = "crash-drill"


class Worker(threading.Thread):
    def __init__(self, drill, number, client):
        super().__init__(daemon=True, name=f"client-{number}")
        self.drill = drill
        self.number = number
        self.client = client
        self.token = None
        self.acknowledged = []
        self.attempts = 0
        self.connection_errors = 0
        self.other = {}          # HTTP status → count (not 303 to the register)
        self.fatal = None

    def save(self, title):
        if self.token is None:
            page = self.client.get("/operations/incidents/new", timeout=15)
            if page.status in (302, 303):
                raise DrillFailed(f"{self.name}: the form page redirected to {page.location} (session lost?)")
            self.token = csrf_of(page.text)
            if page.status != 200 or not self.token:
                self.token = None
                self.other[page.status] = self.other.get(page.status, 0) + 1
                return None
        r = self.client.post("/operations/incidents/new", {
            "_csrf": self.token, "startedAt": cst_now_minus(5), "endedAt": cst_now_minus(1), "kind": "other",
            "title": title, "cause": "CI crash drill: the server is killed with SIGKILL while clerks save.",
            "measures": "Restarted; every acknowledged save must still be there.", "backupRef": ""}, timeout=15)
        return r

    def run(self):
        seq = 0
        while not self.drill.stop.is_set():
            seq += 1
            title = f"{PREFIX} {self.drill.nonce} c{self.number} n{seq}"
            self.attempts += 1
            try:
                r = self.save(title)
            except (OSError, http.client.HTTPException):
                self.connection_errors += 1
                time.sleep(0.1)
                continue
            except DrillFailed as e:
                self.fatal = str(e)
                return
            if r is None:
                continue
            if r.status == 303 and r.location.split("?")[0] == "/operations/availability":
                self.acknowledged.append(title)
            elif r.status in (302, 303):
                self.fatal = f"{self.name}: a save was redirected to {r.location!r} (session lost after a restart?)"
                return
            else:
                self.other[r.status] = self.other.get(r.status, 0) + 1
                if r.status == 403:
                    self.token = None   # fetch the form (and its token) again
                time.sleep(0.05)


class Drill:
    def __init__(self, args):
        self.args = args
        self.tag = f"crash_drill[{args.db}]"
        self.fuzheng = shlex.split(args.fuzheng)
        self.work = os.path.abspath(args.work)
        self.data = os.path.join(self.work, "data")
        self.env = base_env(self.data, random_key_hex(), args.database_url if args.db == "postgres" else None)
        os.makedirs(args.out, exist_ok=True)
        self.server = Server(self.fuzheng, args.port, self.env, os.path.join(args.out, f"server-{args.db}.log"),
                             self.tag)
        self.sqlite_path = os.path.join(self.data, "fuzheng.sqlite")
        self.stop = threading.Event()
        self.nonce = os.urandom(3).hex()
        self.rng = random.Random(args.seed)

    def log(self, message):
        log(self.tag, message)

    def psql(self, sql):
        p = subprocess.run([self.args.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", self.args.database_url,
                            "-c", sql], capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise DrillFailed(f"psql failed ({p.returncode}) on {sql!r}: {p.stderr.strip()}")
        return p.stdout

    def titles_in_database(self):
        like = f"{PREFIX} {self.nonce} %"
        if self.args.db == "sqlite":
            db = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True)
            try:
                rows = [r[0] for r in db.execute("SELECT title FROM incidents WHERE title LIKE ?", (like,))]
            finally:
                db.close()
            return rows
        return [line for line in self.psql(f"SELECT title FROM incidents WHERE title LIKE '{like}'").splitlines()
                if line]

    def delete_by_hand(self, titles):
        if self.args.db == "sqlite":
            db = sqlite3.connect(self.sqlite_path)
            db.executemany("DELETE FROM incidents WHERE title = ?", [(t,) for t in titles])
            db.commit()
            db.close()
        else:
            for t in titles:
                self.psql(f"DELETE FROM incidents WHERE title = '{t}'")

    def sessions(self):
        first = Client("127.0.0.1", self.args.port, "secadmin-1")
        where = log_in(first, "secadmin")
        if where.split("?")[0] not in ("/home", "/", "/account/2fa"):
            raise DrillFailed(f"secadmin's login went to {where}")
        _secret, codes, _step = enrol_second_factor(first)
        clients = [first]
        for n in range(2, CLIENTS + 1):
            c = Client("127.0.0.1", self.args.port, f"secadmin-{n}")
            admin_session(c, "secadmin", codes[n - 2])
            clients.append(c)
        for c in clients:
            if c.get("/operations/incidents/new").status != 200:
                raise DrillFailed(f"{c.name} cannot open the incident form")
        return clients

    def run(self):
        started = time.monotonic()
        problems = []
        workers = []
        kills = []
        try:
            took = self.server.start()
            self.log(f"fresh demo server ({self.args.db}) healthy after {took:.1f} s")
            clients = self.sessions()
            self.log(f"{len(clients)} secadmin sessions (one enrolment, three logins with recovery codes)")
            workers = [Worker(self, n + 1, c) for n, c in enumerate(clients)]
            for w in workers:
                w.start()
            load_started = time.monotonic()
            time.sleep(1.0)
            restarts = []
            for k in range(self.args.kills):
                time.sleep(self.rng.uniform(1.0, 4.0))
                acked = sum(len(w.acknowledged) for w in workers)
                at = time.monotonic() - load_started
                self.server.kill9()
                kills.append(at)
                took = self.server.start()
                restarts.append(took)
                self.log(f"kill -9 #{k + 1} at +{at:.2f} s ({acked} saves acknowledged so far); "
                         f"restarted, healthy after {took:.2f} s")
                for w in workers:
                    if w.fatal:
                        raise DrillFailed(w.fatal)
            time.sleep(2.0)
            self.stop.set()
            for w in workers:
                w.join(30)
            load_seconds = time.monotonic() - load_started
            for w in workers:
                if w.fatal:
                    raise DrillFailed(w.fatal)
            self.server.stop()
            self.log("server stopped (SIGTERM)")

            acknowledged = [t for w in workers for t in w.acknowledged]
            attempts = sum(w.attempts for w in workers)
            errors = sum(w.connection_errors for w in workers)
            other = {}
            for w in workers:
                for s, n in w.other.items():
                    other[s] = other.get(s, 0) + n
            if self.args.sabotage_delete:
                victims = self.rng.sample(acknowledged, min(self.args.sabotage_delete, len(acknowledged)))
                self.delete_by_hand(victims)
                self.log(f"SABOTAGE: deleted {len(victims)} acknowledged row(s) by hand: {victims}")
            found = self.titles_in_database()
            found_set = set(found)
            missing = [t for t in acknowledged if t not in found_set]
            unacknowledged_saved = len(found_set - set(acknowledged))
            duplicates = len(found) - len(found_set)
            self.log(f"saves attempted {attempts}, acknowledged (303) {len(acknowledged)}, cut off by a kill "
                     f"(connection errors) {errors}, other answers {other or 'none'}")
            self.log(f"rows found in the database: {len(found_set)} (acknowledged and found "
                     f"{len(acknowledged) - len(missing)}, missing {len(missing)}; saved but not acknowledged "
                     f"{unacknowledged_saved}; duplicate titles {duplicates})")
            self.log(f"kills {len(kills)} at +{', +'.join(f'{k:.2f}' for k in kills)} s; restarts took "
                     f"{', '.join(f'{r:.2f}' for r in restarts)} s; load ran {load_seconds:.1f} s")
            if len(kills) != self.args.kills:
                problems.append(f"{len(kills)} kills, expected {self.args.kills}")
            if not acknowledged:
                problems.append("no save was acknowledged")
            if missing:
                problems.append(f"{len(missing)} acknowledged save(s) missing from the database: {missing[:10]}")
            if self.args.db == "sqlite":
                db = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True)
                check = "\n".join(r[0] for r in db.execute("PRAGMA integrity_check").fetchall())
                db.close()
                self.log(f"PRAGMA integrity_check: {check.splitlines()[0]}")
                if check.strip() != "ok":
                    problems.append(f"integrity_check: {check[:300]}")
            status, output, seconds = run_cli(self.fuzheng, ["audit", "verify"], self.env)
            self.log(f"$ fuzheng audit verify  → exit {status} in {seconds:.2f} s")
            print(indent(output[-2000:]), flush=True)
            if status != 0:
                problems.append(f"`fuzheng audit verify` exited with {status}")
        finally:
            self.stop.set()
            self.server.stop()
        total = time.monotonic() - started
        if problems:
            raise DrillFailed("\n  " + "\n  ".join(problems) + f"\n  (server log: {self.server.log_path})")
        self.log(f"RESULT: {len(acknowledged)} saves acknowledged, {len(acknowledged) - len(missing)} found, "
                 f"{len(kills)} kills, {total:.1f} s — ok")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--database-url", help="PostgreSQL: an empty database for the drill")
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--fuzheng", required=True, help="the fuzheng command line (shell words)")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--work", required=True, help="an empty scratch folder (data dir)")
    parser.add_argument("--out", required=True, help="where the server log goes")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=None, help="seed of the kill moments (default: random)")
    parser.add_argument("--sabotage-delete", type=int, default=0, metavar="N",
                        help="delete N acknowledged rows by hand before the check (self-test)")
    args = parser.parse_args()
    if args.db == "postgres" and not args.database_url:
        parser.error("--db postgres needs --database-url")
    drill = Drill(args)
    main_wrapper(drill.tag, drill.run)


if __name__ == "__main__":
    main()
