#!/usr/bin/env python3
"""Browser story of 收文 (an outside 请示 from 登记 to 办结, with 传阅 and one overdue reminder), for CI (.ci/run, phase 5f).

Starts the server itself (twice: the story moves the clock past the deadline), each time with
FUZHENG_ENV=test and FUZHENG_FAKE_NOW, on SQLite in --data (empty: the first start loads the demo data), and drives
a headless Chromium at --width x --height like a user (typing, choosing, clicking; no direct HTTP to the platform):

  01 wenshu   (郑文书) 收文 → 登记来文: 怀来县水务局, 怀水字〔YEAR〕21号, a 请示, 加急, 1 份; 登记并编号: the page shows
              收文编号 怀政办收〔YEAR〕N号 and 待拟办
  02 bangong  (张秘书) 收文 → 待办 → the document; 拟办: 办理, 承办单位 434001, the suggested 办理期限 kept (5 working days
              for 加急, checked against rules/working-days.json), 批办领导 1 赵县长, 拟办说明; submitted: 待批办
  03 lingdao  (赵县长) 工作台 → 待批办 → the document; one tap on the big 同意拟办意见: 承办中, the 处理单 (#sheet) has
              the 批示 同意。
  04 fuzeren  (李主任) 工作台 → 待承办 → the document: the 办结 form is there (not used yet)
  05 bangong  传阅 (#readings details) to 钱副县长 and 周副县长: 已阅 0 / 2; 收文 → 全部收文 shows （传阅中）
  06 fxz1     (钱副县长) 工作台 → 待阅 → the document; 阅文意见, 已阅
  07 bangong  the document: 尚未阅：周副县长, 已阅 1 / 2; 催阅 周副县长: 已催 1 次
  08 the clock passes the deadline: the server stops; `jobs run --only incoming.reminders` twice at the day after
              the 办理期限, 09:00 China time; the server starts again at that time; fuzeren: 工作台 lists the document
              red (li.work-item.red), 消息 has exactly one 已逾期 notice for it, its 处理单 exactly one 逾期提醒 line;
              the job once more at the same time (the server running) and once 16 minutes later (due again): still
              exactly one of each; bangong's 消息: one 已逾期 notice too (more is a warning: a known server bug)
  09 fuzeren  办结 with 办理结果: 已办结; 打印处理单 (/incoming/ID/sheet) holds the 拟办 text, 同意。, the 阅文意见 and the
              result

A screenshot NN-<step>[-detail].png is saved into --out after each step, the servers' output as server-N.log. Every
page is checked as in document_flow.py (no error page, an <h1>, no unexpected error alert) and must not scroll
sideways (document.documentElement.scrollWidth <= window.innerWidth + 1). Each step prints PASS or FAIL; the first
failure saves failure-NN-<step>.png and .html, stops the server and exits 1.

    python3 .ci/incoming_flow.py --width 390 --height 844 --port 8102 --data DIR --out OUTDIR -- FUZHENG_COMMAND...
"""
import argparse
import datetime
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from browser import (PageCheckFailed, add_browser_arguments, alerts, check_page, failure_shot, layout_warnings,
                     log_in, make_driver, missing_browser, path_of, shoot, submit_and_wait, visit)
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

CHINA = ZoneInfo("Asia/Shanghai")
UTC = datetime.timezone.utc
PASSWORD = "Fuzheng@2023"
CLERK, OFFICE, LEADER, HEAD, READER1, READER2 = "wenshu", "bangong", "lingdao", "fuzeren", "fxz1", "fxz2"
NAMES = {CLERK: "郑文书", OFFICE: "张秘书", LEADER: "赵县长", HEAD: "李主任", READER1: "钱副县长", READER2: "周副县长"}
SENDER = "怀来县水务局"
BASE_TITLE = "关于申请拨付农村饮水安全工程维修资金的请示"
URGENCY = "jiaji"  # 加急: 5 working days (rules/incoming.json)
URGENCY_DAYS = 5
LEAD_UNIT = "434001"
PROPOSAL_TEXT = "拟请办公室会同水务局核实后办理"
AGREED = "同意。"
READ_COMMENT = "已阅，请按县长批示抓紧核实。"
RESULT = "已会同水务局核实，资金已拨付"
REMINDER_JOB = "incoming.reminders"
WORKING_DAYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "FuzhengCore", "Resources",
                            "rules", "working-days.json")


class ServerFailed(Exception):
    pass


def iso_z(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def first_clock(given):
    """The first start's FUZHENG_FAKE_NOW: --now, else the next Monday 09:00 China time (a working morning, unless
    that Monday is a holiday; the deadline is counted in working days either way)."""
    if given:
        moment = datetime.datetime.fromisoformat(given.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment
    today = datetime.datetime.now(CHINA).date()
    monday = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)
    return datetime.datetime(monday.year, monday.month, monday.day, 9, 0, tzinfo=CHINA)


def working_calendar():
    """is_working(date) from rules/working-days.json (years without a notice: weekends only), or None."""
    try:
        with open(WORKING_DAYS, encoding="utf-8") as f:
            notices = json.load(f)["notices"]
    except (OSError, ValueError, KeyError):
        return None
    off, worked = set(), set()
    for n in notices:
        for h in n.get("holidays", []):
            d = datetime.date.fromisoformat(h["from"])
            while d <= datetime.date.fromisoformat(h["to"]):
                off.add(d)
                d += datetime.timedelta(days=1)
        for w in n.get("workdays", []):
            worked.add(datetime.date.fromisoformat(w["date"]))

    def is_working(d):
        if d in worked:
            return True
        if d in off:
            return False
        return d.weekday() < 5
    return is_working


def add_working_days(start, n, is_working):
    d, found = start, 0
    while found < n:
        d += datetime.timedelta(days=1)
        if is_working(d):
            found += 1
    return d


# -------------------------------------------------------------------- the server, started and stopped by the story

class Server:
    def __init__(self, command, data, port, out):
        self.command = command
        self.data = os.path.abspath(data)
        self.port = port
        self.out = out
        self.secret = secrets.token_hex(32)  # one key for the whole run: sessions and sealed secrets survive restarts
        self.proc = None
        self.log_path = None
        self.starts = 0
        self.clis = 0

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def env(self, fake_now):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(FUZHENG_DATA_DIR=self.data, FUZHENG_ENV="test", FUZHENG_FAKE_NOW=fake_now,
                   FUZHENG_SECRET_KEY=self.secret, FUZHENG_BCRYPT_COST="4", LOG_LEVEL="notice")
        return env

    def port_taken(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def healthy(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=5) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self, fake_now, timeout=240):
        if self.port_taken():
            raise ServerFailed(f"port {self.port} is already in use before starting the server")
        self.starts += 1
        self.log_path = os.path.join(self.out, f"server-{self.starts}.log")
        log = open(self.log_path, "w", encoding="utf-8")
        argv = self.command + ["serve", "--hostname", "127.0.0.1", "--port", str(self.port)]
        print(f"  starting the server (FUZHENG_FAKE_NOW={fake_now}): {' '.join(argv)}; output in {self.log_path}")
        began = time.time()
        self.proc = subprocess.Popen(argv, env=self.env(fake_now), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        while time.time() - began < timeout:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                raise ServerFailed(f"the server exited with status {code} while starting; last lines of "
                                   f"{self.log_path}:\n{self.tail()}")
            if self.healthy():
                print(f"  server up on {self.base} after {time.time() - began:.1f} s")
                return
            time.sleep(0.5)
        self.stop()
        raise ServerFailed(f"/healthz did not answer 200 within {timeout} s; last lines of {self.log_path}:\n"
                           f"{self.tail()}")

    def stop(self):
        """SIGTERM to the server's process group (swift run and its child alike), SIGKILL after 30 s."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print(f"  the server did not stop within 30 s of SIGTERM: SIGKILL", file=sys.stderr)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=30)
        print(f"  server stopped (status {proc.returncode})")
        # nothing of the group may hold the port for the next start
        for _ in range(40):
            if not self.port_taken():
                return
            time.sleep(0.25)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def cli(self, args, fake_now, timeout=300):
        """Runs FUZHENG_COMMAND args with the server's environment; returns its output (fails on a non-zero exit)."""
        self.clis += 1
        argv = self.command + args
        print(f"  $ FUZHENG_FAKE_NOW={fake_now} {' '.join(argv)}")
        try:
            r = subprocess.run(argv, env=self.env(fake_now), capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ServerFailed(f"{' '.join(argv)} did not finish within {timeout} s")
        output = (r.stdout + ("\n" + r.stderr if r.stderr.strip() else "")).strip()
        with open(os.path.join(self.out, f"cli-{self.clis}.log"), "w", encoding="utf-8") as f:
            f.write(f"$ FUZHENG_FAKE_NOW={fake_now} {' '.join(argv)}\nexit {r.returncode}\n{output}\n")
        for line in output.splitlines()[-8:]:
            print(f"    {line}")
        if r.returncode != 0:
            raise ServerFailed(f"{' '.join(argv)} exited with status {r.returncode}: {output[-2000:]}")
        return output

    def tail(self, lines=30):
        if not self.log_path or not os.path.exists(self.log_path):
            return "(no log)"
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])


# -------------------------------------------------------------------- the story

class Flow:
    def __init__(self, args, server):
        self.args = args
        self.server = server
        self.base = server.base
        self.driver = None
        self.width, self.height = args.width, args.height
        self.number = 0
        self.step_name = "start"
        self.saved = []
        self.warnings = 0
        self.start = first_clock(args.now)
        self.year = self.start.astimezone(CHINA).year
        self.today = self.start.astimezone(CHINA).date()
        self.title = f"{BASE_TITLE}（CI-{secrets.token_hex(2).upper()}）"
        self.sender_number = f"怀水字〔{self.year}〕21号"
        self.number_re = re.compile(rf"怀政办收〔{self.year}〕([1-9]\d*)号")
        self.doc_path = None
        self.doc_number = None
        self.due = None
        self.later = None

    # ---------------------------------------------------------------- plumbing (as in document_flow.py)

    def open_browser(self):
        self.close()
        self.driver = make_driver(self.args, self.width, self.height)

    def close(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:
                pass
            self.driver = None

    def step(self, name, description):
        self.number += 1
        self.step_name = name
        print(f"step {self.number:02d} {name}: {description}")

    def fail(self, message):
        url = self.driver.current_url if self.driver is not None else "no browser"
        raise PageCheckFailed(f"step {self.number:02d} {self.step_name}: {message} (URL {url})")

    def screenshot(self, focus=None, suffix=""):
        """Saves NN-<step><suffix>.png; focus (a CSS selector) is scrolled to the top of the viewport first."""
        d = self.driver
        if focus:
            els = d.find_elements(By.CSS_SELECTOR, focus)
            if not els:
                self.fail(f"nothing matches {focus!r} to show in the screenshot")
            d.execute_script("arguments[0].scrollIntoView({block: 'start'});", els[0])
        else:
            d.execute_script("window.scrollTo(0, 0);")
        self.saved.append(shoot(d, self.args.out, f"{self.number:02d}-{self.step_name}{suffix}.png"))

    def failure_files(self):
        """failure-NN-<step>.png and .html of the page the story stopped on."""
        if self.driver is None:
            return []
        name = f"failure-{self.number:02d}-{self.step_name}"
        saved = []
        shot = failure_shot(self.driver, self.args.out, name + ".png")
        if shot:
            saved.append(shot)
        try:
            path = os.path.join(self.args.out, name + ".html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"<!-- {self.driver.current_url} -->\n{self.driver.page_source}")
            saved.append(os.path.abspath(path))
        except (WebDriverException, OSError):
            pass
        return saved

    def check(self, what, allow_error=False):
        """The page rendered (no error page or error alert, an <h1>) and does not scroll sideways."""
        d = self.driver
        try:
            result = check_page(d, f"step {self.number:02d} {self.step_name}: {what}", allow_error=allow_error)
        except PageCheckFailed:
            if not self.server.running():
                raise PageCheckFailed(f"step {self.number:02d} {self.step_name}: {what}: the server is gone; last "
                                      f"lines of {self.server.log_path}:\n{self.server.tail()}")
            raise
        body = d.find_element(By.TAG_NAME, "body").text
        if "出错" in (d.title or "") or "服务器出错" in body or "Internal Server Error" in body:
            self.fail(f"{what}: the page reports an error (title {d.title!r})")
        sizes = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
        if sizes[0] > sizes[1] + 1:
            layout_warnings(d, f"step {self.number:02d} {self.step_name} ({path_of(d)})", self.width)
            self.fail(f"{what}: the page scrolls sideways: scrollWidth {sizes[0]} px in a {sizes[1]} px window")
        return result

    def expect_path(self, path, what):
        if path_of(self.driver).rstrip("/") != path:
            shown = alerts(self.driver, "error") + alerts(self.driver, "success")
            self.fail(f"{what}: expected to be on {path}, landed on {path_of(self.driver)} "
                      f"(title {self.driver.title!r}, messages {shown})")

    def expect_flash(self, text, kind="success"):
        found = alerts(self.driver, kind)
        if any(text in a for a in found):
            print(f"  {kind} message: {' | '.join(found)}")
            return
        shown = {k: alerts(self.driver, k) for k in ("success", "error", "info", "warning")}
        self.fail(f"expected a {kind} message containing {text!r}; messages shown: "
                  f"{ {k: v for k, v in shown.items() if v} or 'none'}")

    def reachable(self, element, what):
        """Scrolls the element to the middle of the viewport and checks a user can see and tap it (inside the
        viewport's width, not covered by another element)."""
        d = self.driver
        d.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", element)
        box = d.execute_script("""
            const el = arguments[0], r = el.getBoundingClientRect(), cw = document.documentElement.clientWidth;
            const line = el.getClientRects()[0] || r;
            const top = document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
            const other = !!top && top !== el && !el.contains(top) && !top.contains(el)
                          && !(el.labels && Array.from(el.labels).includes(top));
            const name = e => e.tagName.toLowerCase() +
                (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
            return {left: r.left, right: r.right, width: r.width, height: r.height, cw: cw,
                    covered: other ? name(top) : null};
        """, element)
        if box["width"] == 0 or box["height"] == 0:
            self.fail(f"{what} is not visible (zero size)")
        if box["left"] < -1 or box["right"] > box["cw"] + 1:
            self.fail(f"{what} lies outside the {box['cw']} px wide viewport "
                      f"(left {box['left']:.0f} px, right {box['right']:.0f} px)")
        if box["covered"]:
            self.fail(f"{what} is covered by {box['covered']} at {box['cw']} px width")
        return box

    def click(self, element, what):
        self.reachable(element, what)
        submit_and_wait(self.driver, element, f"step {self.number:02d} {self.step_name}")

    def type_into(self, field, text, what):
        self.reachable(field, what)
        field.clear()
        field.send_keys(text)
        value = field.get_attribute("value")
        if value.replace("\r\n", "\n") != text:
            self.fail(f"typed {text!r} into {what} but the field holds {value!r}")

    def choose(self, select, value, what):
        self.reachable(select, what)
        options = [o.get_attribute("value") for o in select.find_elements(By.TAG_NAME, "option")]
        if value not in options:
            self.fail(f"{what} offers no option {value!r} (it offers {options[:30]})")
        Select(select).select_by_value(value)
        if select.get_attribute("value") != value:
            self.fail(f"chose {value!r} in {what} but it holds {select.get_attribute('value')!r}")

    def find(self, css, what, within=None):
        els = (within or self.driver).find_elements(By.CSS_SELECTOR, css)
        if not els:
            self.fail(f"no {what} ({css})")
        return els[0]

    def button(self, text, what, within=None):
        scope = within or self.driver.find_element(By.TAG_NAME, "main")
        found = [b for b in scope.find_elements(By.CSS_SELECTOR, "button[type=submit]") if b.text.strip() == text]
        if not found:
            shown = [b.text.strip() for b in scope.find_elements(By.CSS_SELECTOR, "button[type=submit]")]
            self.fail(f"no {text!r} button {what} (buttons there: {shown})")
        return found[0]

    def nav_link(self, text, href):
        for a in self.driver.find_elements(By.CSS_SELECTOR, "header nav a[href]"):
            if a.text.strip() == text and path_of_href(a) == href:
                return a
        shown = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "header nav a[href]")]
        self.fail(f"no link {text!r} to {href} in the header's navigation (it has {shown})")

    def log_in(self, user):
        _, h1 = log_in(self.driver, self.base, user, PASSWORD, f"step {self.number:02d} {self.step_name}")
        self.check(f"工作台 after logging in as {user}")
        name = self.driver.find_elements(By.CSS_SELECTOR, "header .user-name")
        shown = name[0].text.strip() if name else "?"
        print(f"  logged in as {user} ({shown}): {path_of(self.driver)}, h1 {h1!r}")
        if NAMES[user] not in shown:
            self.fail(f"logged in as {user}, but the header names {shown!r} (expected {NAMES[user]})")

    def log_out(self):
        d = self.driver
        buttons = [b for b in d.find_elements(By.CSS_SELECTOR, "header form[action='/logout'] button[type=submit]")
                   if b.text.strip() == "退出"]
        if not buttons:
            self.fail("no 退出 button in the header")
        self.click(buttons[0], "the 退出 button in the header")
        self.check("page after logging out")
        if d.find_elements(By.CSS_SELECTOR, "header form[action='/logout']"):
            self.fail("still logged in after clicking 退出")
        print(f"  logged out: {path_of(d)}")

    # ---------------------------------------------------------------- 收文 pages

    def step_tag(self):
        """The step of the document at the top of its page (the card's first .tag.note)."""
        return self.find("main .tag.note", "step tag at the top of the document (.tag.note)").text.strip()

    def expect_step(self, expected, what):
        shown = self.step_tag()
        if shown != expected:
            self.fail(f"{what}: the document's step should read {expected!r}, it reads {shown!r}")
        print(f"  step: {shown}")

    def facts(self):
        out = {}
        for dt in self.driver.find_elements(By.CSS_SELECTOR, "main dl.facts dt"):
            out[dt.text.strip()] = dt.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
        return out

    def sheet_lines(self):
        """The 处理单 (#sheet) lines as (action, who, comment)."""
        lines = []
        for li in self.driver.find_elements(By.CSS_SELECTOR, "main #sheet ol.sheet-lines > li"):
            ps = li.find_elements(By.TAG_NAME, "p")
            head = ps[0].text.strip() if ps else li.text.strip()
            parts = [p.strip() for p in head.split("·")]
            action = parts[0] if parts else ""
            who = parts[1] if len(parts) > 1 else ""
            comment = ps[1].text.strip() if len(ps) > 1 else ""
            lines.append((action, who, comment))
        return lines

    def print_sheet(self):
        for action, who, comment in self.sheet_lines():
            print(f"    处理单: {action} · {who}{' · ' + comment if comment else ''}")

    def act_form(self, action, what):
        """The form of #act posting action=`action`."""
        for form in self.driver.find_elements(By.CSS_SELECTOR, "main #act form"):
            if form.find_elements(By.CSS_SELECTOR, f"input[type=hidden][name=action][value={action}]"):
                return form
        offered = [f.find_element(By.CSS_SELECTOR, "button[type=submit]").text.strip()
                   for f in self.driver.find_elements(By.CSS_SELECTOR, "main #act form")
                   if f.find_elements(By.CSS_SELECTOR, "button[type=submit]")]
        self.fail(f"the page offers no {what} (a form with action={action} in #act); its forms: {offered}")

    def open_document(self, link, what):
        self.click(link, what)
        _, h1 = self.check(f"document page {self.doc_path}")
        self.expect_path(self.doc_path, what)
        if h1 != self.title:
            self.fail(f"the document page's heading should be {self.title!r}, it is {h1!r}")

    def go_home(self):
        self.click(self.nav_link("工作台", "/home"), "the 工作台 link")
        self.check("工作台 /home")
        self.expect_path("/home", "following 工作台")

    def home_item(self, source, heading):
        """On the 工作台: the story's item under the source #work-incoming-<source> (heading); returns (li, a)."""
        section = self.find(f"main #work-incoming-{source}", f"{heading} section on the 工作台")
        h2 = self.find("h2", f"heading of {heading}", within=section).text.strip()
        if not h2.startswith(heading):
            self.fail(f"#work-incoming-{source} should be headed {heading}, it is headed {h2!r}")
        rows = []
        for li in section.find_elements(By.CSS_SELECTOR, "ul.work-list li.work-item"):
            t = li.find_elements(By.CSS_SELECTOR, ".work-title")
            rows.append((t[0].text.strip() if t else "", li))
        print(f"  工作台 {h2}: {[t for t, _ in rows]}")
        mine = [li for t, li in rows if t == self.title]
        if len(mine) != 1:
            self.fail(f"the 工作台 should list {self.title!r} once under {heading}; it lists "
                      f"{[t for t, _ in rows] or 'nothing'}")
        li = mine[0]
        a = self.find("a[href]", "link of the 工作台 item", within=li)
        if path_of_href(a) != self.doc_path:
            self.fail(f"the 工作台 item links to {path_of_href(a)}, expected {self.doc_path}")
        detail = li.find_elements(By.CSS_SELECTOR, ".work-detail")
        print(f"  item: class {li.get_attribute('class')!r}, {detail[0].text.strip() if detail else ''}")
        return li, a

    def open_incoming(self, view="todo"):
        """收文 in the header (the 待办 tab), then 全部收文 if view == 'all'."""
        self.click(self.nav_link("收文", "/incoming"), "the 收文 link")
        self.check("收文 list /incoming")
        self.expect_path("/incoming", "following 收文")
        current = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "main .status-chips a[aria-current=page]")]
        if current != ["待办"]:
            self.fail(f"收文 should open on the 待办 tab; the current tab is {current}")
        if view == "all":
            tab = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main .status-chips a[href]")
                   if a.text.strip() == "全部收文"]
            if not tab:
                self.fail("no 全部收文 tab on /incoming")
            self.click(tab[0], "the 全部收文 tab")
            self.check("收文 list /incoming?view=all")
            if urlparse(self.driver.current_url).query != "view=all":
                self.fail(f"the 全部收文 tab should lead to /incoming?view=all, it led to {self.driver.current_url}")

    def incoming_row(self, where):
        """The story's row on a 收文 list; returns (title text, li)."""
        rows = []
        for li in self.driver.find_elements(By.CSS_SELECTOR, "main ul.work-list li.work-item"):
            t = li.find_elements(By.CSS_SELECTOR, ".work-title")
            rows.append((t[0].text.strip() if t else "", li))
        mine = [(t, li) for t, li in rows if t.startswith(self.title)]
        if len(mine) != 1:
            self.fail(f"{where} should list {self.title!r} once; it lists {[t for t, _ in rows] or 'nothing'}")
        return mine[0]

    def readings(self):
        """#readings: (heading, not-read warning, rows [[reader, status, comment]], the section)."""
        section = self.find("main #readings", "传阅 section (#readings)")
        heading = self.find("h2", "heading of #readings", within=section).text.strip()
        warning = [a.text.strip() for a in section.find_elements(By.CSS_SELECTOR, ".alert.warning")]
        rows = [[td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
                for tr in section.find_elements(By.CSS_SELECTOR, "tbody tr")]
        print(f"  {heading}{' · ' + ' | '.join(warning) if warning else ''}")
        for r in rows:
            print(f"    {' | '.join(r)}")
        return heading, warning, rows, section

    def inbox_overdue(self):
        """消息 (/inbox via the header): the 已逾期 notices for the story's document."""
        self.click(self.find("header a.inbox-link[href='/inbox']", "消息 link in the header"), "the 消息 link")
        self.check("消息 /inbox")
        self.expect_path("/inbox", "following 消息")
        items = [(li.text.strip(), li) for li in self.driver.find_elements(By.CSS_SELECTOR, "main ul.inbox li")]
        mine = [(t, li) for t, li in items if self.title in t]
        for t, _ in mine:
            print(f"    消息: {t}")
        return [(t, li) for t, li in mine if "已逾期" in t]

    def overdue_lines(self):
        return [line for line in self.sheet_lines() if line[0] == "逾期提醒"]

    # ---------------------------------------------------------------- the steps

    def register(self):
        d = self.driver
        self.step("register", f"{CLERK} ({NAMES[CLERK]}) 收文 → 登记来文: {SENDER} {self.sender_number}, 加急")
        self.log_in(CLERK)
        self.open_incoming()
        links = [a for a in d.find_elements(By.CSS_SELECTOR, "main a.button[href]")
                 if path_of_href(a) == "/incoming/new"]
        if not links:
            self.fail("the 收文 list offers no 登记来文 button (/incoming/new) to the 文书")
        self.click(links[0], "the 登记来文 button")
        self.check("register form /incoming/new")
        self.expect_path("/incoming/new", "following 登记来文")
        form = self.find("main form[action='/incoming/new']", "registration form")
        field = lambda name: self.find(f"[name={name}]", f"field {name}", within=form)  # noqa: E731
        self.type_into(field("sender"), SENDER, "the 来文单位 field")
        self.type_into(field("sender_number"), self.sender_number, "the 来文字号 field")
        self.type_into(field("title"), self.title, "the 标题 field")
        self.choose(field("urgency"), URGENCY, "the 紧急程度 select")
        self.type_into(field("copies"), "1", "the 份数 field")
        received = field("received_on").get_attribute("value")
        print(f"  收文日期 prefilled: {received}")
        if received != self.today.isoformat():
            self.fail(f"收文日期 should be prefilled with the server's today {self.today}, it holds {received!r}")
        self.screenshot(focus="main form", suffix="-form")
        self.click(self.button("登记并编号", "on the registration form", within=form), "the 登记并编号 button")
        _, h1 = self.check("page after registering")
        path = path_of(d).rstrip("/")
        if not re.fullmatch(r"/incoming/[0-9A-Fa-f-]{36}", path):
            errors = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".field .error")]
            self.fail(f"registering should lead to /incoming/<id>, it led to {path} (field errors {errors})")
        self.doc_path = path
        self.expect_flash("已登记，收文编号已生成。")
        if h1 != self.title:
            self.fail(f"the document page's heading should be {self.title!r}, it is {h1!r}")
        facts = self.facts()
        print(f"  facts: {facts}")
        m = self.number_re.fullmatch(facts.get("收文编号", ""))
        if not m:
            self.fail(f"收文编号 should read like 怀政办收〔{self.year}〕N号, it reads {facts.get('收文编号')!r}")
        self.doc_number = m.group(0)
        expected = {"来文单位": SENDER, "来文字号": self.sender_number, "紧急程度": "加急", "份数": "1"}
        wrong = {k: facts.get(k) for k, v in expected.items() if facts.get(k) != v}
        if wrong:
            self.fail(f"the facts should read {expected}; these differ: {wrong}")
        self.expect_step("待拟办", "after 登记")
        print(f"  registered {self.doc_number} at {self.doc_path}")
        self.screenshot()
        self.log_out()

    def propose(self):
        self.step("propose", f"{OFFICE} ({NAMES[OFFICE]}) 收文 → 待办 → the document; 拟办: 办理, {LEAD_UNIT}, "
                             f"the suggested 期限, {NAMES[LEADER]}")
        self.log_in(OFFICE)
        self.open_incoming()
        text, li = self.incoming_row(f"{OFFICE}'s 待办 (/incoming)")
        print(f"  待办 row: {text} — {li.find_element(By.CSS_SELECTOR, '.work-detail').text.strip()}")
        self.screenshot(suffix="-todo")
        self.open_document(self.find("a[href]", "link of the row", within=li), "opening the document from 待办")
        self.expect_step("待拟办", "before 拟办")
        form = self.act_form("propose", "拟办 form")
        field = lambda name: self.find(f"[name={name}]", f"field {name} of the 拟办 form", within=form)  # noqa: E731
        self.choose(field("kind"), "handle", "the 拟办意见 select")
        self.choose(field("lead"), LEAD_UNIT, "the 承办单位 select")
        due_field = field("due")
        self.reachable(due_field, "the 办理期限 field")
        self.due = due_field.get_attribute("value") or ""
        print(f"  办理期限 suggested: {self.due!r}")
        try:
            due = datetime.date.fromisoformat(self.due)
        except ValueError:
            self.fail(f"the 办理期限 field should be prefilled with a suggested date (YYYY-MM-DD), it holds "
                      f"{self.due!r}")
        is_working = working_calendar()
        if is_working is not None:
            expected = add_working_days(self.today, URGENCY_DAYS, is_working)
            if due != expected:
                self.fail(f"the suggested 办理期限 for 加急 should be {URGENCY_DAYS} working days after {self.today}: "
                          f"{expected}; it is {due}")
        elif due <= self.today:
            self.fail(f"the suggested 办理期限 {due} is not after today {self.today}")
        self.choose(field("leader1"), LEADER, "the 批办领导 1 select")
        self.type_into(field("text"), PROPOSAL_TEXT, "the 拟办说明 field")
        self.screenshot(focus="#act", suffix="-form")
        self.click(self.button("提交拟办意见，呈领导批示", "in the 拟办 form", within=form), "the 拟办 submit button")
        self.check("document page after 拟办")
        self.expect_path(self.doc_path, "submitting 拟办")
        self.expect_flash("拟办意见已呈领导。")
        self.expect_step("待批办", "after 拟办")
        deadline = self.find("main .deadline", "deadline tag at the top of the document").text.strip()
        if f"期限 {self.due}" not in deadline:
            self.fail(f"the deadline tag should read 期限 {self.due}, it reads {deadline!r}")
        lines = self.sheet_lines()
        self.print_sheet()
        if not any(a == "拟办" and NAMES[OFFICE] in w and PROPOSAL_TEXT in c and NAMES[LEADER] in c
                   for a, w, c in lines):
            self.fail(f"the 处理单 should have a 拟办 line by {NAMES[OFFICE]} with {PROPOSAL_TEXT!r} naming "
                      f"{NAMES[LEADER]}; lines {lines}")
        self.screenshot()
        self.log_out()

    def instruct(self):
        self.step("instruct", f"{LEADER} ({NAMES[LEADER]}) 工作台 → 待批办 → the document; one tap on 同意拟办意见")
        self.log_in(LEADER)
        _, link = self.home_item("instruct", "待批办")
        self.screenshot(focus="#work-incoming-instruct", suffix="-home")
        self.open_document(link, "opening the document from 待批办")
        self.expect_step("待批办", "before 批示")
        agree = [f for f in self.driver.find_elements(By.CSS_SELECTOR, "main #act form")
                 if f.find_elements(By.CSS_SELECTOR, "input[name=quick][value=agree]")]
        if not agree:
            self.fail("the leader's page offers no one-tap 同意 form (input quick=agree in #act)")
        button = self.button("同意拟办意见", "in the one-tap form", within=agree[0])
        box = self.reachable(button, "the 同意拟办意见 button")
        print(f"  同意拟办意见 button: {box['width']:.0f}x{box['height']:.0f} px")
        if box["height"] < 40:
            self.warnings += 1
            print(f"  WARNING step {self.number:02d} {self.step_name}: the big 同意拟办意见 button is only "
                  f"{box['height']:.0f} px tall on the phone")
        self.screenshot(focus="#act", suffix="-before")
        self.click(button, "the 同意拟办意见 button")
        self.check("document page after 批示")
        self.expect_path(self.doc_path, "tapping 同意拟办意见")
        self.expect_flash("批示已送达")
        self.expect_step("承办中", "after the one-tap 批示")
        lines = self.sheet_lines()
        self.print_sheet()
        if not any(a == "批示" and NAMES[LEADER] in w and c == AGREED for a, w, c in lines):
            self.fail(f"the 处理单 (#sheet) should hold the 批示 {AGREED!r} by {NAMES[LEADER]}; lines {lines}")
        self.screenshot(focus="#sheet")
        self.log_out()

    def handle_open(self):
        self.step("handle-open", f"{HEAD} ({NAMES[HEAD]}) 工作台 → 待承办 → the document (not completed yet)")
        self.log_in(HEAD)
        _, link = self.home_item("handle", "待承办")
        self.screenshot(focus="#work-incoming-handle", suffix="-home")
        self.open_document(link, "opening the document from 待承办")
        self.expect_step("承办中", "at 承办")
        facts = self.facts()
        print(f"  承办单位: {facts.get('承办单位')!r}")
        if not facts.get("承办单位"):
            self.fail(f"the facts should name the 承办单位 ({LEAD_UNIT}); facts {facts}")
        form = self.act_form("complete", "办结 form for the 承办 unit's head")
        self.button("办结", "in the 办结 form", within=form)
        self.screenshot()
        self.log_out()

    def circulate(self):
        self.step("circulate", f"{OFFICE} ({NAMES[OFFICE]}) 传阅 to {NAMES[READER1]} and {NAMES[READER2]}; "
                               f"全部收文 shows （传阅中）")
        self.log_in(OFFICE)
        self.open_incoming("all")
        _, li = self.incoming_row(f"{OFFICE}'s 全部收文")
        self.open_document(self.find("a[href]", "link of the row", within=li), "opening the document")
        section = self.find("main #readings", "传阅 section (#readings)")
        details = [x for x in section.find_elements(By.TAG_NAME, "details")
                   if x.find_element(By.TAG_NAME, "summary").text.strip() == "传阅"]
        if not details:
            self.fail("#readings has no <details> 传阅 for the office")
        summary = details[0].find_element(By.TAG_NAME, "summary")
        self.reachable(summary, "the 传阅 summary")
        summary.click()
        if details[0].get_attribute("open") is None:
            self.fail("clicking the 传阅 summary did not open it")
        form = self.find("form", "传阅 form", within=details[0])
        for user in (READER1, READER2):
            boxes = form.find_elements(By.CSS_SELECTOR, f"input[type=checkbox][name='readers[]'][value={user}]")
            if not boxes:
                offered = [b.get_attribute("value") for b in
                           form.find_elements(By.CSS_SELECTOR, "input[name='readers[]']")]
                self.fail(f"the 传阅 form offers no reader {user} ({NAMES[user]}); it offers {offered}")
            self.reachable(boxes[0], f"the checkbox of {NAMES[user]}")
            boxes[0].click()
            if not boxes[0].is_selected():
                self.fail(f"ticking {NAMES[user]} did not tick the checkbox")
        self.screenshot(focus="#readings", suffix="-form")
        self.click(self.button("送传阅", "in the 传阅 form", within=form), "the 送传阅 button")
        self.check("document page after 送传阅")
        self.expect_path(self.doc_path, "送传阅")
        self.expect_flash("已送传阅。")
        heading, warning, rows, _ = self.readings()
        if heading != "传阅（已阅 0 / 2）":
            self.fail(f"#readings should be headed 传阅（已阅 0 / 2）, it is headed {heading!r}")
        if not any(NAMES[READER1] in w and NAMES[READER2] in w and w.startswith("尚未阅：") for w in warning):
            self.fail(f"#readings should warn 尚未阅：{NAMES[READER1]}、{NAMES[READER2]}; it shows {warning}")
        self.screenshot(focus="#readings")
        self.open_incoming("all")
        text, _ = self.incoming_row(f"{OFFICE}'s 全部收文")
        print(f"  全部收文 row: {text}")
        if "（传阅中）" not in text:
            self.fail(f"全部收文 should show （传阅中） for the document; the row reads {text!r}")
        self.screenshot(suffix="-list")
        self.log_out()

    def read(self):
        self.step("read", f"{READER1} ({NAMES[READER1]}) 工作台 → 待阅 → the document; 阅文意见, 已阅")
        self.log_in(READER1)
        _, link = self.home_item("read", "待阅")
        self.screenshot(focus="#work-incoming-read", suffix="-home")
        self.open_document(link, "opening the document from 待阅")
        forms = [f for f in self.driver.find_elements(By.CSS_SELECTOR, "main #act form")
                 if urlparse(f.get_attribute("action") or "").path.startswith("/incoming/readings/")]
        if not forms:
            self.fail(f"{READER1}'s page offers no 阅文 form (#act, action /incoming/readings/…)")
        form = forms[0]
        self.type_into(self.find("input[name=text]", "阅文意见 field", within=form), READ_COMMENT, "the 阅文意见 field")
        self.screenshot(focus="#act", suffix="-form")
        self.click(self.button("已阅", "in the 阅文 form", within=form), "the 已阅 button")
        self.check("document page after 已阅")
        self.expect_path(self.doc_path, "已阅")
        self.expect_flash("已阅。")
        heading, _, rows, _ = self.readings()
        mine = [r for r in rows if r and NAMES[READER1] in r[0]]
        if not mine or not mine[0][1].startswith("已阅") or READ_COMMENT not in mine[0]:
            self.fail(f"#readings should show {NAMES[READER1]} 已阅 with {READ_COMMENT!r}; rows {rows}")
        if heading != "传阅（已阅 1 / 2）":
            self.fail(f"#readings should be headed 传阅（已阅 1 / 2）, it is headed {heading!r}")
        if self.driver.find_elements(By.CSS_SELECTOR, "main #act form[action^='/incoming/readings/']"):
            self.fail("the 阅文 form is still offered after 已阅")
        self.screenshot(focus="#readings")
        self.log_out()

    def remind_reader(self):
        self.step("remind-reader", f"{OFFICE} ({NAMES[OFFICE]}) the document: 尚未阅：{NAMES[READER2]}, 已阅 1 / 2; "
                                   f"催阅 {NAMES[READER2]}")
        self.log_in(OFFICE)
        self.open_incoming("all")
        _, li = self.incoming_row(f"{OFFICE}'s 全部收文")
        self.open_document(self.find("a[href]", "link of the row", within=li), "opening the document")
        heading, warning, rows, section = self.readings()
        if heading != "传阅（已阅 1 / 2）":
            self.fail(f"#readings should be headed 传阅（已阅 1 / 2）, it is headed {heading!r}")
        if f"尚未阅：{NAMES[READER2]}" not in warning:
            self.fail(f"#readings should warn 尚未阅：{NAMES[READER2]} (and nobody else); it shows {warning}")
        trs = [tr for tr in section.find_elements(By.CSS_SELECTOR, "tbody tr")
               if NAMES[READER2] in tr.find_element(By.TAG_NAME, "td").text]
        if not trs:
            self.fail(f"#readings has no row for {NAMES[READER2]}")
        self.screenshot(focus="#readings", suffix="-before")
        self.click(self.button("催阅", f"in the row of {NAMES[READER2]}", within=trs[0]), "the 催阅 button")
        self.check("document page after 催阅")
        self.expect_path(self.doc_path, "催阅")
        self.expect_flash("已催阅。")
        _, _, rows, _ = self.readings()
        row = [r for r in rows if r and NAMES[READER2] in r[0]]
        if not row or "已催 1 次" not in row[0][1]:
            self.fail(f"the row of {NAMES[READER2]} should say 未阅 已催 1 次; rows {rows}")
        lines = self.sheet_lines()
        if not any(a == "催阅" and NAMES[READER2] in c for a, w, c in lines):
            self.fail(f"the 处理单 should have a 催阅 line naming {NAMES[READER2]}; lines {lines}")
        self.screenshot(focus="#readings")
        self.log_out()

    def overdue(self):
        due = datetime.date.fromisoformat(self.due)
        after = due + datetime.timedelta(days=1)
        self.later = datetime.datetime(after.year, after.month, after.day, 9, 0, tzinfo=CHINA)
        later = iso_z(self.later)
        self.step("overdue", f"the clock passes the 期限 {self.due}: server stopped, `jobs run --only {REMINDER_JOB}` "
                             f"twice at {later}, server restarted then; {HEAD} sees it red and told once")
        self.server.stop()
        first = self.server.cli(["jobs", "run", "--only", REMINDER_JOB], later)
        if not re.search(rf"{re.escape(REMINDER_JOB)}: [1-9]\d* reminder\(s\) sent", first):
            self.fail(f"the first `jobs run --only {REMINDER_JOB}` after the deadline should send reminders "
                      f"(“{REMINDER_JOB}: N reminder(s) sent”, N ≥ 1); it printed {first[-600:]!r}")
        second = self.server.cli(["jobs", "run", "--only", REMINDER_JOB], later)
        if re.search(rf"{re.escape(REMINDER_JOB)}: [1-9]\d* reminder", second):
            self.fail(f"the second run at the same time sent reminders again: {second[-600:]!r}")
        self.server.start(later)
        self.log_in(HEAD)
        self.check_overdue("after two runs of the job", first=True)
        self.screenshot(focus="#sheet", suffix="-sheet")

        print(f"  the job a third time at {later}, the server running")
        third = self.server.cli(["jobs", "run", "--only", REMINDER_JOB], later)
        if re.search(rf"{re.escape(REMINDER_JOB)}: [1-9]\d* reminder", third):
            self.fail(f"the third run at the same time sent reminders again: {third[-600:]!r}")
        # The job's own schedule makes a run at the same time a no-op ("no job was due"); 16 minutes on it is due
        # again and reads the documents once more: the (kind, object, point) mark must hold it back.
        again = iso_z(self.later + datetime.timedelta(minutes=16))
        print(f"  and once more at {again}, when the job is due again")
        fourth = self.server.cli(["jobs", "run", "--only", REMINDER_JOB], again)
        if f"{REMINDER_JOB}: 0 reminder(s) sent" not in fourth:
            self.fail(f"the run 16 minutes later should run the job and send nothing (“{REMINDER_JOB}: 0 "
                      f"reminder(s) sent”); it printed {fourth[-600:]!r}")
        self.check_overdue("after the third and fourth runs", first=False)
        self.screenshot(suffix="-again")
        self.log_out()

        # The office (张秘书, 郑文书) hears of it once: as the 承办 unit's people when it handles the document
        # itself, else as the office that proposed it.
        self.log_in(OFFICE)
        notices = self.inbox_overdue()
        if len(notices) != 1:
            self.fail(f"{OFFICE}'s 消息 holds {len(notices)} 已逾期 notices for the document, expected exactly one")
        self.screenshot(suffix="-office-inbox")
        self.log_out()
        self.log_in(HEAD)
        _, link = self.home_item("handle", "待承办")
        self.open_document(link, "opening the document from 待承办")

    def check_overdue(self, when, first):
        """fuzeren: red on the 工作台, exactly one 已逾期 in 消息, exactly one 逾期提醒 in the 处理单."""
        self.go_home()
        li, link = self.home_item("handle", "待承办")
        classes = (li.get_attribute("class") or "").split()
        if "red" not in classes:
            self.fail(f"{when}: the 工作台 item should be red (class 'work-item red'), its class is "
                      f"{li.get_attribute('class')!r}")
        self.screenshot(focus="#work-incoming-handle", suffix="-home" if first else "-home-again")
        notices = self.inbox_overdue()
        if len(notices) != 1:
            self.fail(f"{when}: 消息 should hold exactly one 已逾期 notice for {self.title!r}; it holds "
                      f"{len(notices)}: {[t for t, _ in notices]}")
        if f"（期限 {self.due}）" not in notices[0][0]:
            self.fail(f"{when}: the 已逾期 notice should name the 期限 {self.due}: {notices[0][0]!r}")
        if first:
            self.screenshot(suffix="-inbox")
        link = self.find("a[href]", "link of the 已逾期 notice", within=notices[0][1])
        self.open_document(link, "opening the 已逾期 notice")
        deadline = self.find("main .deadline", "deadline tag at the top of the document")
        if "red" not in (deadline.get_attribute("class") or "").split():
            self.fail(f"{when}: the document's deadline tag should be red, its class is "
                      f"{deadline.get_attribute('class')!r}")
        lines = self.overdue_lines()
        self.print_sheet()
        if len(lines) != 1:
            self.fail(f"{when}: the 处理单 should have exactly one 逾期提醒 line; it has {len(lines)}: {lines}")

    def complete(self):
        self.step("complete", f"{HEAD} ({NAMES[HEAD]}) 办结 with 办理结果; 打印处理单")
        self.expect_path(self.doc_path, "before 办结")
        form = self.act_form("complete", "办结 form")
        self.type_into(self.find("textarea[name=text]", "办理结果 field", within=form), RESULT, "the 办理结果 field")
        self.screenshot(focus="#act", suffix="-form")
        self.click(self.button("办结", "in the 办结 form", within=form), "the 办结 button")
        self.check("document page after 办结")
        self.expect_path(self.doc_path, "办结")
        self.expect_flash("已办结。")
        self.expect_step("已办结", "after 办结")
        facts = self.facts()
        if facts.get("办理结果") != RESULT:
            self.fail(f"办理结果 in the facts should read {RESULT!r}, it reads {facts.get('办理结果')!r}")
        lines = self.sheet_lines()
        self.print_sheet()
        if not any(a == "办结" and NAMES[HEAD] in w and c == RESULT for a, w, c in lines):
            self.fail(f"the 处理单 should have a 办结 line by {NAMES[HEAD]} with {RESULT!r}; lines {lines}")
        if self.driver.find_elements(By.CSS_SELECTOR, "main #act form"):
            self.fail("forms are still offered in #act after 办结")
        self.screenshot()

        sheet_path = f"{self.doc_path}/sheet"
        links = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main a[href]")
                 if path_of_href(a) == sheet_path and a.text.strip() == "打印处理单"]
        if not links:
            self.fail(f"no 打印处理单 link to {sheet_path}")
        self.click(links[0], "the 打印处理单 link")
        _, h1 = self.check(f"处理单 {sheet_path}")
        self.expect_path(sheet_path, "following 打印处理单")
        print(f"  h1: {h1}")
        if not h1.endswith("收文处理单"):
            self.fail(f"the print page's heading should end in 收文处理单, it is {h1!r}")
        rows = {}
        for tr in self.driver.find_elements(By.CSS_SELECTOR, "table.sheet tr"):
            th, td = tr.find_elements(By.TAG_NAME, "th"), tr.find_elements(By.TAG_NAME, "td")
            if th and td:
                rows[th[0].text.strip()] = td[0].text.strip()
        for k, v in rows.items():
            print(f"    {k}: {' / '.join(v.splitlines())}")
        expected = {"收文编号": self.doc_number, "标题": self.title, "拟办意见": PROPOSAL_TEXT, "领导批示": AGREED,
                    "传阅": READ_COMMENT, "办理结果": RESULT}
        missing = {k: v for k, v in expected.items() if v not in rows.get(k, "")}
        if missing:
            self.fail(f"the 处理单 should hold {missing} in those rows; it reads {rows}")
        self.screenshot(suffix="-sheet")
        last = self.driver.find_elements(By.CSS_SELECTOR, "table.sheet tr")
        if last:
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'end'});", last[-1])
            self.saved.append(shoot(self.driver, self.args.out,
                                    f"{self.number:02d}-{self.step_name}-sheet-end.png"))

    def run(self):
        started = iso_z(self.start)
        print(f"first clock {started} ({self.start.astimezone(CHINA):%Y-%m-%d %H:%M %a} China time); title "
              f"{self.title!r}")
        self.server.start(started)
        self.open_browser()
        for step in (self.register, self.propose, self.instruct, self.handle_open, self.circulate, self.read,
                     self.remind_reader, self.overdue, self.complete):
            began = time.time()
            step()
            print(f"PASS {self.number:02d} {self.step_name} ({time.time() - began:.1f} s)")


def path_of_href(a):
    return urlparse(a.get_attribute("href") or "").path


def main():
    return story_main(Flow, __doc__, "incoming flow", 8102,
                      now_help="first FUZHENG_FAKE_NOW (ISO 8601); default: next Monday 09:00 China time")


def story_main(flow_class, doc, name, port, now=None, now_help=None):
    """The command line every browser story shares — --width, --height, --port, --data, --out, --now, the browser's
    options, then -- and the server's command — and the story run by run_story."""
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--data", required=True, help="data folder of the server (empty: the demo is loaded)")
    parser.add_argument("--out", required=True, help="folder for the screenshots and logs")
    parser.add_argument("--now", default=now, help=now_help or f"FUZHENG_FAKE_NOW (default {now})")
    add_browser_arguments(parser)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- FUZHENG_COMMAND...")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the server's command after --, e.g. -- /tmp/fzbin/fuzheng")
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.data, exist_ok=True)
    exe = missing_browser(args)
    if exe:
        print(f"{name.replace(' ', '_')}: {exe} not found (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 1
    return run_story(flow_class, args, command, name)


def run_story(flow_class, args, command, name):
    """Runs a story against a server this script starts and stops; PASS/FAIL per step, failure files kept."""
    def terminated(signum, _frame):
        raise SystemExit(128 + signum)  # `timeout` stops the story: the finally below still stops the server
    signal.signal(signal.SIGTERM, terminated)
    began = time.time()
    server = Server(command, args.data, args.port, args.out)
    flow = flow_class(args, server)
    status = 0
    try:
        flow.run()
    except (PageCheckFailed, ServerFailed) as e:
        print(f"FAIL {flow.number:02d} {flow.step_name}: {e}", file=sys.stderr)
        status = 1
    except WebDriverException as e:
        print(f"FAIL {flow.number:02d} {flow.step_name}: browser error: {e.msg or e}", file=sys.stderr)
        status = 1
    except Exception:  # a bug of this script: still a failure with the page kept
        print(f"FAIL {flow.number:02d} {flow.step_name}: {traceback.format_exc()}", file=sys.stderr)
        status = 1
    finally:
        if status:
            for path in flow.failure_files():
                print(f"  failure file: {path}", file=sys.stderr)
        flow.close()
        server.stop()
    print(f"{len(flow.saved)} screenshots at {args.width}x{args.height}"
          + (f" ({flow.warnings} warning(s) above)" if flow.warnings else ""))
    for path in flow.saved:
        print(os.path.abspath(path))
    print(f"screenshots folder: {os.path.abspath(args.out)}")
    print(f"{name} {'passed' if status == 0 else 'FAILED'}: {flow.number} step(s), {time.time() - began:.0f} s")
    return status

if __name__ == "__main__":
    sys.exit(main())
