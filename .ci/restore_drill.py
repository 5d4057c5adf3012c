#!/usr/bin/env python3
"""Restore drill, for CI (called by .ci/run, phase 8), on SQLite (--db sqlite) or PostgreSQL (--db postgres
--database-url URL of an empty database).

  1. a fresh demo server; secadmin logs in, enrols the second factor (keeping the recovery codes) and records an
     incident with a unique title through the web form (303 to /operations/availability, the title listed there);
     the public PDF of 434001/2023 v1 is fetched (the file store now holds a file) and its sha256 kept
  2. `fuzheng backup` while the server runs (an online backup), then `fuzheng backup verify PATH`
  3. the live database is damaged. SQLite: the server is stopped and dd writes random bytes over the middle of
     fuzheng.sqlite; `PRAGMA integrity_check` and `fuzheng audit verify` are run and at least one must fail.
     PostgreSQL: the server is stopped and the schema dropped (DROP SCHEMA public CASCADE; CREATE SCHEMA public)
  4. the damaged files (SQLite database, file store) are moved away and `fuzheng restore PATH` runs into the
     empty data folder / database; its time is the restore time
  5. the server is started again and checked: secadmin logs in afresh (password and a recovery code: the SM4 key
     is kept outside the backup, as in production) and finds the incident; the PDF is served (< 1 s) and is
     byte-identical to the one fetched before; `fuzheng audit verify` passes (and integrity_check says ok)

Prints the backup, restore and whole drill times in seconds. Exit status 1 with a message on any failure.

    python3 .ci/restore_drill.py --db sqlite --fuzheng /tmp/fzbin/fuzheng --port 8096 --work /tmp/x --out ci-artifacts/restore

--sabotage pdf|change damages the restored copy (the stored PDF's file, or the incident's row) before the server
is started again: the drill must then fail, which is how this script itself is tested.
"""
import argparse
import glob
import hashlib
import html
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import time

from fzci import (Client, DrillFailed, Server, admin_session, base_env, cst_now_minus, csrf_of,
                  enrol_second_factor, indent, log, log_in, main_wrapper, random_key_hex, run_cli)

PDF = "/disclosures/434001/2023/v/1/download/pdf"


class Drill:
    def __init__(self, args):
        self.args = args
        self.tag = f"restore_drill[{args.db}]"
        self.fuzheng = shlex.split(args.fuzheng)
        self.work = os.path.abspath(args.work)
        self.data = os.path.join(self.work, "data")
        self.backups = os.path.join(self.work, "backups")
        self.env = base_env(self.data, random_key_hex(), args.database_url if args.db == "postgres" else None,
                            FUZHENG_BACKUP_DIR=self.backups)
        os.makedirs(args.out, exist_ok=True)
        self.server = Server(self.fuzheng, args.port, self.env, os.path.join(args.out, f"server-{args.db}.log"),
                             self.tag)
        self.sqlite_path = os.path.join(self.data, "fuzheng.sqlite")

    def log(self, message):
        log(self.tag, message)

    def cli(self, *words, expect=0):
        status, output, seconds = run_cli(self.fuzheng, words, self.env)
        self.log(f"$ fuzheng {' '.join(words)}  → exit {status} in {seconds:.2f} s")
        if output:
            print(indent(output[-3000:]), flush=True)
        if expect is not None and status != expect:
            raise DrillFailed(f"`fuzheng {' '.join(words)}` exited with {status}, expected {expect}")
        return status, output, seconds

    def psql(self, sql):
        p = subprocess.run([self.args.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", self.args.database_url,
                            "-c", sql], capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise DrillFailed(f"psql failed ({p.returncode}) on {sql!r}: {p.stderr.strip()}")
        return p.stdout.strip()

    def integrity(self):
        """PRAGMA integrity_check on the SQLite file (read-only); returns its text or the error."""
        try:
            db = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True)
            try:
                rows = db.execute("PRAGMA integrity_check").fetchall()
            finally:
                db.close()
            return "\n".join(str(r[0]) for r in rows)
        except sqlite3.DatabaseError as e:
            return f"sqlite3.DatabaseError: {e}"

    # ---------------------------------------------------------------------------------------------- steps

    def make_change(self):
        admin = Client("127.0.0.1", self.args.port, "secadmin")
        where = log_in(admin, "secadmin")
        if where.split("?")[0] not in ("/home", "/", "/account/2fa"):
            raise DrillFailed(f"secadmin's login went to {where}")
        _secret, self.recovery, _step = enrol_second_factor(admin)
        self.log(f"secadmin enrolled a second factor ({len(self.recovery)} recovery codes kept)")
        self.title = f"恢复演练 restore drill {self.args.db} {os.urandom(4).hex()}"
        self.started_at = cst_now_minus(10)
        page = admin.get("/operations/incidents/new")
        token = csrf_of(page.text)
        if page.status != 200 or not token:
            raise DrillFailed(f"GET /operations/incidents/new answered HTTP {page.status} for secadmin")
        r = admin.post("/operations/incidents/new", {
            "_csrf": token, "startedAt": self.started_at, "endedAt": "", "kind": "database_corruption",
            "title": self.title, "cause": "CI 恢复演练：数据库被故意损坏。", "measures": "从备份恢复（fuzheng restore）。",
            "backupRef": ""})
        if r.status != 303 or r.location.split("?")[0] != "/operations/availability":
            raise DrillFailed(f"saving the incident answered HTTP {r.status} → {r.location!r}, not 303 to "
                              "/operations/availability")
        if not self.incident_visible(admin):
            raise DrillFailed(f"the incident {self.title!r} is not listed on /operations/availability after saving")
        self.log(f"secadmin recorded the incident {self.title!r} (303, listed on /operations/availability)")

    def incident_visible(self, client):
        month = self.started_at[:7]
        page = client.get(f"/operations/availability?month={month}")
        if page.status != 200:
            raise DrillFailed(f"/operations/availability?month={month} answered HTTP {page.status}")
        return self.title in html.unescape(page.text)

    def fetch_pdf(self):
        r = Client("127.0.0.1", self.args.port, "reader").get(PDF, timeout=120)
        if r.status != 200 or not r.body.startswith(b"%PDF"):
            raise DrillFailed(f"GET {PDF} answered HTTP {r.status} ({r.body[:40]!r})")
        return r

    def stored_pdf_files(self):
        return [p for p in glob.glob(os.path.join(self.data, "files", "objects", "*", "*")) if os.path.isfile(p)]

    def corrupt(self):
        if self.args.db == "sqlite":
            size = os.path.getsize(self.sqlite_path)
            leftovers = [p for p in (self.sqlite_path + "-wal", self.sqlite_path + "-shm") if os.path.exists(p)]
            page = 4096
            pages = size // page
            count = max(4, pages // 8)
            seek = max(1, pages // 2 - count // 2)
            cmd = ["dd", "if=/dev/urandom", f"of={self.sqlite_path}", f"bs={page}", f"seek={seek}", f"count={count}",
                   "conv=notrunc", "status=none"]
            subprocess.run(cmd, check=True)
            self.log(f"$ {' '.join(cmd)}  (file of {size} bytes = {pages} pages; overwrote pages {seek}–"
                     f"{seek + count - 1}; WAL/SHM left by the stopped server: {leftovers or 'none'})")
            check = self.integrity()
            self.log("PRAGMA integrity_check on the damaged file:")
            print(indent("\n".join(check.splitlines()[:8]) + ("\n…" if len(check.splitlines()) > 8 else "")), flush=True)
            status, _, _ = self.cli("audit", "verify", expect=None)
            integrity_failed = check.strip() != "ok"
            if not integrity_failed and status == 0:
                raise DrillFailed("the damaged database passed both PRAGMA integrity_check and `fuzheng audit verify`")
            self.log(f"damage detected: integrity_check {'FAILED' if integrity_failed else 'ok'}, "
                     f"audit verify exit {status}")
        else:
            before = self.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            self.psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            after = self.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            self.log(f"DROP SCHEMA public CASCADE; CREATE SCHEMA public  → tables in public: {before} → {after}")
            # (`fuzheng audit verify` is not run here: it migrates first, which would recreate the tables and
            # make the database non-empty, so that restore then refuses it.)

    def move_damaged_away(self):
        damaged = os.path.join(self.work, f"damaged-{time.strftime('%H%M%S')}")
        os.makedirs(damaged)
        moved = []
        names = ["fuzheng.sqlite", "fuzheng.sqlite-wal", "fuzheng.sqlite-shm", "files"]
        for name in names:
            path = os.path.join(self.data, name)
            if os.path.exists(path):
                shutil.move(path, os.path.join(damaged, name))
                moved.append(name)
        self.log(f"moved away from the data folder into {damaged}: {', '.join(moved) or 'nothing'}; "
                 f"left in the data folder: {sorted(os.listdir(self.data))}")

    def sabotage(self):
        if self.args.sabotage == "pdf":
            for path in self.stored_pdf_files():
                os.chmod(path, 0o600)
                with open(path, "r+b") as f:
                    f.seek(os.path.getsize(path) // 2)
                    f.write(b"SABOTAGE")
            self.log("SABOTAGE: wrote 8 bytes into the middle of every restored stored file")
        elif self.args.sabotage == "change":
            if self.args.db == "sqlite":
                db = sqlite3.connect(self.sqlite_path)
                db.execute("DELETE FROM incidents WHERE title = ?", (self.title,))
                db.commit()
                db.close()
            else:
                self.psql(f"DELETE FROM incidents WHERE title = '{self.title}'")
            self.log("SABOTAGE: deleted the incident's row from the restored database")

    # ---------------------------------------------------------------------------------------------- drill

    def run(self):
        drill_started = time.monotonic()
        problems = []
        try:
            took = self.server.start()
            self.log(f"fresh demo server ({self.args.db}) healthy after {took:.1f} s")
            self.make_change()
            before = self.fetch_pdf()
            self.pdf_sha = hashlib.sha256(before.body).hexdigest()
            stored = self.stored_pdf_files()
            self.log(f"GET {PDF}: 200, {len(before.body)} bytes in {before.elapsed:.2f} s, sha256 {self.pdf_sha}; "
                     f"file store holds {len(stored)} file(s)")
            if not stored:
                raise DrillFailed("the file store holds no file after the PDF was served")

            _, output, backup_seconds = self.cli("backup")
            m = re.search(r"backup written: (\S+) \(", output)
            if not m or not os.path.isdir(m.group(1)):
                raise DrillFailed(f"no backup folder in the output of `fuzheng backup`: {output!r}")
            folder = m.group(1)
            listing = sorted(os.path.relpath(p, folder) for p in glob.glob(os.path.join(folder, "**"), recursive=True)
                             if os.path.isfile(p))
            self.log(f"online backup in {backup_seconds:.2f} s: {folder} ({len(listing)} files: "
                     f"{', '.join(listing[:6])}{' …' if len(listing) > 6 else ''})")
            self.cli("backup", "verify", folder)
            shared = [rel for rel in listing if rel.startswith("files/")
                      and os.path.exists(os.path.join(self.data, rel))
                      and os.path.samefile(os.path.join(folder, rel), os.path.join(self.data, rel))]
            if shared:
                stored = sum(1 for rel in listing if rel.startswith("files/"))
                self.log(f"NOTE: {len(shared)} of the {stored} stored file(s) in the backup share their inode with "
                         f"the live file store (hard links, e.g. {os.path.join(self.data, shared[0])}): damage to a "
                         "live stored file damages this backup too")

            self.server.stop()
            self.log("server stopped")
            self.corrupt()
            self.move_damaged_away()

            _, output, restore_seconds = self.cli("restore", folder)
            self.restore_seconds = restore_seconds
            self.sabotage()
            if self.args.db == "sqlite":
                check = self.integrity()
                self.log(f"PRAGMA integrity_check on the restored file: {check.splitlines()[0] if check else '?'}")
                if check.strip() != "ok":
                    problems.append(f"integrity_check of the restored database: {check[:300]}")

            took = self.server.start()
            self.log(f"server started again on the restored data, healthy after {took:.1f} s")
            admin = Client("127.0.0.1", self.args.port, "secadmin-after")
            admin_session(admin, "secadmin", self.recovery[0])
            if self.incident_visible(admin):
                self.log(f"secadmin logged in afresh (password + recovery code) and finds {self.title!r}")
            else:
                problems.append(f"the incident {self.title!r} saved before the backup is not listed after the restore")
            r = Client("127.0.0.1", self.args.port, "reader").get(PDF, timeout=120)
            sha = hashlib.sha256(r.body).hexdigest() if r.status == 200 else None
            self.log(f"GET {PDF} after the restore: HTTP {r.status}, {len(r.body)} bytes in {r.elapsed:.2f} s, "
                     f"sha256 {sha}")
            if r.status != 200:
                problems.append(f"the PDF answered HTTP {r.status} after the restore")
            elif sha != self.pdf_sha:
                problems.append(f"the PDF after the restore differs from the one before (sha256 {sha} ≠ {self.pdf_sha})")
            elif r.elapsed >= 1.0:
                problems.append(f"the PDF took {r.elapsed:.2f} s after the restore (printed again, not the stored file?)")
            status, _, _ = self.cli("audit", "verify", expect=None)
            if status != 0:
                problems.append(f"`fuzheng audit verify` exited with {status} after the restore")
        finally:
            self.server.stop()
        total = time.monotonic() - drill_started
        if problems:
            raise DrillFailed("\n  " + "\n  ".join(problems) + f"\n  (server log: {self.server.log_path})")
        self.log(f"RESULT: restore {self.restore_seconds:.2f} s, whole drill {total:.1f} s — ok")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--database-url", help="PostgreSQL: an empty database the drill may damage")
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--fuzheng", required=True, help="the fuzheng command line (shell words)")
    parser.add_argument("--port", type=int, default=8096)
    parser.add_argument("--work", required=True, help="an empty scratch folder (data dir, backups)")
    parser.add_argument("--out", required=True, help="where the server log goes")
    parser.add_argument("--sabotage", choices=["pdf", "change"], help="damage the restored copy (self-test)")
    args = parser.parse_args()
    if args.db == "postgres" and not args.database_url:
        parser.error("--db postgres needs --database-url")
    drill = Drill(args)
    main_wrapper(drill.tag, drill.run)


if __name__ == "__main__":
    main()
