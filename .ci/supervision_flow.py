#!/usr/bin/env python3
"""Browser story of 督查督办 (a leader's 批示 立项, split in two, one sub-task closed on time, one late), for CI
(.ci/run, phase 5h).

Starts the server itself (twice: the story moves the clock past a deadline), each time with FUZHENG_ENV=test and
FUZHENG_FAKE_NOW, on SQLite in --data (empty: the first start loads the demo data), and drives a headless Chromium
at --width x --height like a user (typing, choosing, clicking; no direct HTTP to the platform). The clock starts at
T = --now (default Monday 2027-03-08 09:00 China time); the story's days are D1 = T+3 (Thursday), D2 = T+4 (Friday)
and the item's 办理期限 T+7; the demo data has nothing else due on D1 or D2, so the figures of step 10 are the
story's own:

  01 wenshu, bangong, lingdao: a 收文 registered, proposed (承办 434001, 批办 赵县长) and agreed by 赵县长, as in
              .ci/incoming_flow.py (steps 01–03 there); then ducha (陈督查) opens /supervision/new?incoming=<id>: the
              立项 form is filled in from the 批示 (the 收文's title, 来源 领导批示, 来源说明 赵县长批示：同意。…, 牵头单位
              434001, 责任领导 赵县长); 办理期限 set to T+7; 立项并交办: the item page says 待签收
  02 ducha    分解为子任务: 436001 by D1 and 434001 by D2, each with its own title; the item lists 子任务（2）
  03 wenshu2  (卫文书, on the phone) 工作台 → 督办待签收 → the 436001 sub-task; 签收; 反馈进展 100% with a text and a
              photo (现场照片.png, a small PNG made by this script): the history shows 反馈进展 with 附件：现场照片.png
  04 ducha    工作台 → 督办待审核 → the sub-task; 采纳 the report; 办结销号 with a result, before D1: 已办结
  05 bangong  (张秘书) 工作台 → 督办待签收 → the 434001 sub-task; 签收; 申请延期 to D2+20 with a reason, before D2
  06 the clock passes D2: the server stops and starts again at the next working day after D2, 09:00 China time;
              lingdao (赵县长): the 工作台 lists the 434001 sub-task under 督办红灯事项, and 督查督办 lists it in 红灯事项
              (section#red, li.work-item.red)
  07 ducha    工作台 → 督办待审核 → the 434001 sub-task; 催办单 to 434001 with a text; bangong's 消息 has
              催办单：<title>。<text>
  08 ducha    不同意延期 with a reason: the item keeps its 办理期限 D2 (no 延期 line), the history has 不同意延期
  09 ducha    办结销号 of the 434001 sub-task, one working day late: 已办结; the parent lists both sub-tasks 办结
  10 ducha    督查督办 → 统计与通报, 自 D1 至 D2: #closed-rate and #ontime-rate equal the rates computed here from the
              story (应办结 = deadline in force in the period; 已办结 = closed; 按期 = closed by the deadline in force,
              a refused extension not moving it, as the page's own 口径 says): 2 due, 2 closed, 1 on time → 100.00%
              and 50.00%
  11 ducha    月度督查通报 for the month of D2 (生成通报草稿): the draft 通报's page has, under 三、逾期事项, the 434001
              sub-task's title with 牵头单位：怀来县人民政府办公室, its 期限 and 办结 days and 逾期N个工作日 (N counted
              here with rules/working-days.json), and 请…怀来县人民政府办公室…切实履行牵头责任

A screenshot NN-<step>[-detail].png is saved into --out after each step (step 01's 收文 part as
01-incoming-<part>-….png), the servers' output as server-N.log, the uploaded photo as 现场照片.png. Every page is
checked as in incoming_flow.py (no error page, an <h1>, no unexpected error alert, no sideways scrolling). Each step
prints PASS or FAIL; the first failure saves failure-NN-<step>.png and .html, stops the server and exits 1.

    python3 .ci/supervision_flow.py --width 390 --height 844 --port 8104 --data DIR --out OUTDIR -- FUZHENG_COMMAND...
"""
import datetime
import os
import re
import signal
import struct
import sys
import time
import traceback
import zlib
from urllib.parse import parse_qs, urlparse

import incoming_flow as incoming
from browser import PageCheckFailed, log_in, path_of, shoot, visit
from incoming_flow import CHINA, Server, ServerFailed, iso_z, path_of_href, story_main, working_calendar
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

PASSWORD = incoming.PASSWORD
INSPECTOR, LEADER, OFFICE, CLERK, CLERK2 = "ducha", "lingdao", "bangong", "wenshu", "wenshu2"
NAMES = dict(incoming.NAMES, **{INSPECTOR: "陈督查", CLERK2: "卫文书"})
DEFAULT_NOW = "2027-03-08T01:00:00Z"  # Monday 09:00 China time
OFFICE_UNIT, OFFICE_UNIT_NAME = "434001", "怀来县人民政府办公室"
FINANCE_UNIT, FINANCE_UNIT_NAME = "436001", "怀来县财政局（演示）"
SUB_TITLES = {FINANCE_UNIT: "拨付农村饮水安全工程维修资金", OFFICE_UNIT: "核实农村饮水安全工程维修需求"}
REPORT_TEXT = "维修资金已全额拨付到水务局，现场照片附后。"
PHOTO_NAME = "现场照片.png"
FILE_PREFIX = "附件："  # how the item page names a file (supervision.attachment)
RESULT_ON_TIME = "资金已拨付到位，经核实办结。"
EXTENSION_REASON = "需会同水务局逐村核实，申请延期。"
REMIND_TEXT = "该事项已逾期，请于本周内办结并报送结果。"
REFUSE_REASON = "核实工作量不大，不同意延期，请立即办结。"
RESULT_LATE = "已逐村核实维修需求并报县政府。"
UUID_PATH = re.compile(r"/supervision/[0-9A-Fa-f-]{36}")


def photo_png(width=64, height=40):
    """A small real PNG (sky over a field, a sun), made with zlib and struct only."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter: none
        for x in range(width):
            if (x - 50) ** 2 + (y - 9) ** 2 <= 25:
                row += bytes((250, 200, 40))
            elif y < height * 3 // 5:
                row += bytes((110, 170, 230))
            else:
                row += bytes((60, 140 + (x % 8) * 5, 60))
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def percent_text(part, whole):
    """A rate as the server prints it: basis points rounded down, 97.50%; — when nothing was due."""
    if whole == 0:
        return "—"
    bp = part * 10_000 // whole
    return f"{bp // 100}.{bp % 100:02d}%"


def working_days_between(start, end, is_working):
    """Working days after start up to and including end (0 when end <= start)."""
    n, d = 0, start
    while d < end:
        d += datetime.timedelta(days=1)
        if is_working(d):
            n += 1
    return n


class Story(incoming.Flow):
    """incoming_flow.Flow's plumbing (pages checked, typing, choosing, clicking, screenshots) and its 收文 steps."""

    def __init__(self, args, server):
        super().__init__(args, server)
        self.is_working = working_calendar() or (lambda d: d.weekday() < 5)
        self.d1 = self.today + datetime.timedelta(days=3)
        self.d2 = self.today + datetime.timedelta(days=4)
        self.d_total = self.today + datetime.timedelta(days=7)
        self.asked_to = self.d2 + datetime.timedelta(days=20)
        after = self.d2 + datetime.timedelta(days=1)
        while not self.is_working(after):
            after += datetime.timedelta(days=1)
        self.later_day = after
        self.later = datetime.datetime(after.year, after.month, after.day, 9, 0, tzinfo=CHINA)
        self.tag = self.title[len(incoming.BASE_TITLE):]  # （CI-XXXX）
        self.sub_titles = {unit: title + self.tag for unit, title in SUB_TITLES.items()}
        self.prelude = None
        self.item_path = None
        self.sub_paths = {}
        # What happened, as the story's own record for steps 10 and 11: unit → (deadline in force, closed on).
        self.facts_of = {}

    # ---------------------------------------------------------------- plumbing

    def step(self, name, description):
        if self.prelude:  # incoming_flow's steps inside step 01: their screenshots are 01-incoming-<name>…
            self.step_name = f"{self.prelude}-{name}"
            print(f"  ({name}) {description}")
            return
        super().step(name, description)

    def log_in(self, user):
        _, h1 = log_in(self.driver, self.base, user, PASSWORD, f"step {self.number:02d} {self.step_name}")
        self.check(f"工作台 after logging in as {user}")
        name = self.driver.find_elements(By.CSS_SELECTOR, "header .user-name")
        shown = name[0].text.strip() if name else "?"
        print(f"  logged in as {user} ({shown}): {path_of(self.driver)}, h1 {h1!r}")
        if NAMES[user] not in shown:
            self.fail(f"logged in as {user}, but the header names {shown!r} (expected {NAMES[user]})")

    def shot_of(self, element, suffix):
        """Saves NN-<step><suffix>.png with the element in the middle of the viewport."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        self.saved.append(shoot(self.driver, self.args.out, f"{self.number:02d}-{self.step_name}{suffix}.png"))

    def go(self, path, what):
        """Opens a path as a typed or bookmarked address, then the usual page checks."""
        try:
            visit(self.driver, self.base, path, f"step {self.number:02d} {self.step_name}: {what}")
        except PageCheckFailed:
            if not self.server.running():
                raise PageCheckFailed(f"step {self.number:02d} {self.step_name}: {what}: the server is gone; last "
                                      f"lines of {self.server.log_path}:\n{self.server.tail()}")
            raise
        return self.check(what)

    def go_supervision(self):
        self.click(self.nav_link("督查督办", "/supervision"), "the 督查督办 link")
        self.check("督查督办 /supervision")
        self.expect_path("/supervision", "following 督查督办")

    def work_rows(self, scope):
        rows = []
        for li in scope.find_elements(By.CSS_SELECTOR, "ul.work-list li.work-item"):
            t = li.find_elements(By.CSS_SELECTOR, ".work-title")
            rows.append((t[0].text.strip() if t else "", li))
        return rows

    def home_entry(self, source, heading, title, path=None):
        """On the 工作台: the item titled `title` under #work-supervision-<source> (heading); returns (li, a)."""
        section = self.find(f"main #work-supervision-{source}", f"{heading} section on the 工作台")
        h2 = self.find("h2", f"heading of {heading}", within=section).text.strip()
        if not h2.startswith(heading):
            self.fail(f"#work-supervision-{source} should be headed {heading}, it is headed {h2!r}")
        rows = self.work_rows(section)
        print(f"  工作台 {h2}: {[t for t, _ in rows]}")
        mine = [li for t, li in rows if t == title]
        if len(mine) != 1:
            self.fail(f"the 工作台 should list {title!r} once under {heading}; it lists "
                      f"{[t for t, _ in rows] or 'nothing'}")
        li = mine[0]
        a = self.find("a[href]", "link of the 工作台 item", within=li)
        if path and path_of_href(a) != path:
            self.fail(f"the 工作台 item links to {path_of_href(a)}, expected {path}")
        detail = li.find_elements(By.CSS_SELECTOR, ".work-detail")
        print(f"  item: class {li.get_attribute('class')!r}, {detail[0].text.strip() if detail else ''}")
        return li, a

    def open_item(self, link, title, what, path=None):
        """Follows a link to an item page; checks its heading; returns its path."""
        self.click(link, what)
        _, h1 = self.check(f"item page ({what})")
        here = path_of(self.driver).rstrip("/")
        if not UUID_PATH.fullmatch(here):
            self.fail(f"{what}: expected an item page /supervision/<id>, landed on {here}")
        if path and here != path:
            self.fail(f"{what}: expected {path}, landed on {here}")
        if h1 != title:
            self.fail(f"the item page's heading should be {title!r}, it is {h1!r}")
        return here

    def item_state(self, expected, what):
        facts = self.facts()
        if facts.get("状态") != expected:
            self.fail(f"{what}: the item's 状态 should read {expected!r}; facts {facts}")
        print(f"  状态: {facts.get('状态')}, 办理期限: {facts.get('办理期限')}, 进度: {facts.get('进度')}")
        return facts

    def history(self):
        """#history as [(action, whole text, [file names])], oldest first."""
        out = []
        for li in self.driver.find_elements(By.CSS_SELECTOR, "main #history ol.timeline > li"):
            strong = li.find_elements(By.TAG_NAME, "strong")
            files = [a.text.strip()[len(FILE_PREFIX):].strip() for a in li.find_elements(By.CSS_SELECTOR, "a[href]")
                     if a.text.strip().startswith(FILE_PREFIX)]
            out.append((strong[0].text.strip() if strong else "", " ".join(li.text.split()), files))
        return out

    def print_history(self):
        for action, text, files in self.history():
            print(f"    办理记录: {text}")

    def expect_event(self, action, *words, who=None):
        """The history has an event `action` (by `who`) whose text holds every one of `words`; returns it."""
        events = self.history()
        found = [e for e in events if e[0] == action and (who is None or NAMES[who] in e[1])
                 and all(w in e[1] for w in words)]
        if not found:
            self.fail(f"the history (#history) should have a {action} event"
                      + (f" by {NAMES[who]}" if who else "") + (f" with {list(words)}" if words else "")
                      + f"; it has {[e[1] for e in events]}")
        return found[-1]

    def open_details(self, id_, summary_text):
        """Opens <details id=id_> by tapping its <summary>; returns the <details>."""
        details = self.find(f"main details#{id_}", f"{summary_text} (details#{id_})")
        summary = self.find("summary", f"summary of details#{id_}", within=details)
        if summary.text.strip() != summary_text:
            self.fail(f"details#{id_} should be summarised {summary_text!r}, it reads {summary.text.strip()!r}")
        self.reachable(summary, f"the {summary_text} summary")
        summary.click()
        if details.get_attribute("open") is None:
            self.fail(f"tapping the {summary_text} summary did not open it")
        return details

    def step_form(self, action, what, within=None):
        """The form posting action=`action` (within a section, else anywhere in main)."""
        scope = within or self.driver.find_element(By.TAG_NAME, "main")
        for form in scope.find_elements(By.TAG_NAME, "form"):
            if form.find_elements(By.CSS_SELECTOR, f"input[type=hidden][name=action][value={action}]"):
                return form
        shown = [b.text.strip() for b in scope.find_elements(By.CSS_SELECTOR, "form button[type=submit]")]
        self.fail(f"the page offers no {what} (a form with action={action}); its buttons: {shown}")

    def inbox_notices(self, words):
        """消息 (/inbox via the header): the notices holding `words`."""
        self.click(self.find("header a.inbox-link[href='/inbox']", "消息 link in the header"), "the 消息 link")
        self.check("消息 /inbox")
        self.expect_path("/inbox", "following 消息")
        items = [(" ".join(li.text.split()), li) for li in self.driver.find_elements(By.CSS_SELECTOR, "main ul.inbox li")]
        mine = [(t, li) for t, li in items if words in t]
        for t, _ in mine:
            print(f"    消息: {t}")
        return mine

    def children(self):
        """The parent item's #children rows as {title: (li, detail text)}."""
        section = self.find("main #children", "子任务 section (#children)")
        heading = self.find("h2", "heading of #children", within=section).text.strip()
        rows = {}
        for t, li in self.work_rows(section):
            detail = li.find_elements(By.CSS_SELECTOR, ".work-detail")
            rows[t] = (li, detail[0].text.strip() if detail else "")
        return heading, rows

    # ---------------------------------------------------------------- the steps

    def order(self):
        self.step("order", f"a 收文 instructed by {NAMES[LEADER]}; {INSPECTOR} ({NAMES[INSPECTOR]}) 立项 from the 批示, "
                           f"办理期限 {self.d_total}")
        self.prelude = "incoming"
        try:
            self.register()
            self.propose()
            self.instruct()
        finally:
            self.prelude = None
            self.step_name = "order"
        incoming_id = self.doc_path.rsplit("/", 1)[-1]
        self.log_in(INSPECTOR)
        # The 收文 page offers no link to 立项 (checked: nothing links to /supervision/new?incoming=): the address is
        # typed, as the brief of this story says.
        self.go(f"/supervision/new?incoming={incoming_id}", "立项 form from the 批示")
        self.expect_path("/supervision/new", "opening /supervision/new?incoming=…")
        form = self.find("main form[action='/supervision']", "立项 form")
        field = lambda name: self.find(f"[name='{name}']", f"field {name} of the 立项 form", within=form)  # noqa: E731
        shown = {n: field(n).get_attribute("value") for n in
                 ("title", "source", "source_text", "lead", "leader", "deadline", "kind", "incoming")}
        print(f"  pre-filled: {shown}")
        wanted_source_text = f"{NAMES[LEADER]}批示：{incoming.AGREED}"
        problems = []
        if shown["title"] != self.title:
            problems.append(f"title {shown['title']!r} (expected {self.title!r})")
        if shown["source"] != "instruction":
            problems.append(f"source {shown['source']!r} (expected instruction, 领导批示)")
        if not shown["source_text"].startswith(wanted_source_text) or self.doc_number not in shown["source_text"]:
            problems.append(f"source_text {shown['source_text']!r} (expected {wanted_source_text} and "
                            f"{self.doc_number})")
        if shown["lead"] != incoming.LEAD_UNIT:
            problems.append(f"lead {shown['lead']!r} (expected {incoming.LEAD_UNIT})")
        if shown["leader"] != LEADER:
            problems.append(f"leader {shown['leader']!r} (expected {LEADER})")
        if shown["incoming"] != incoming_id:
            problems.append(f"hidden incoming {shown['incoming']!r} (expected {incoming_id})")
        if problems:
            self.fail("the 立项 form is not filled in from the 批示: " + "; ".join(problems))
        info = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "main .alert.info")]
        print(f"  {' | '.join(info)}")
        if not any(self.title in t for t in info):
            self.fail(f"the 立项 page should name its source (来源：… {self.title}); it shows {info}")
        self.screenshot(focus="main .alert.info", suffix="-form")
        self.type_into(field("deadline"), self.d_total.isoformat(), "the 办理期限 field")
        self.shot_of(field("deadline"), "-form-deadline")
        self.click(self.button("立项并交办", "on the 立项 form", within=form), "the 立项并交办 button")
        _, h1 = self.check("item page after 立项")
        path = path_of(self.driver).rstrip("/")
        if not UUID_PATH.fullmatch(path):
            errors = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, ".field .error, .error-summary")]
            self.fail(f"立项 should lead to /supervision/<id>, it led to {path} (errors {errors})")
        self.item_path = path
        self.expect_flash("已立项并交办")
        if h1 != self.title:
            self.fail(f"the item page's heading should be {self.title!r}, it is {h1!r}")
        facts = self.item_state("待签收", "after 立项")
        expected = {"来源": f"领导批示：{shown['source_text']}", "牵头单位": OFFICE_UNIT_NAME,
                    "责任领导": NAMES[LEADER], "办理期限": self.d_total.isoformat(), "立项日期": self.today.isoformat()}
        wrong = {k: facts.get(k) for k, v in expected.items() if facts.get(k) != v}
        if wrong:
            self.fail(f"the item's facts should read {expected}; these differ: {wrong}")
        self.expect_event("交办", OFFICE_UNIT_NAME, self.d_total.isoformat(), who=INSPECTOR)
        print(f"  item {facts.get('督办编号')} at {self.item_path}")
        self.screenshot()
        self.log_out()

    def split(self):
        self.step("split", f"{INSPECTOR} 分解: {FINANCE_UNIT} by {self.d1}, {OFFICE_UNIT} by {self.d2}")
        self.log_in(INSPECTOR)
        self.go(self.item_path, "the item (bookmarked)")
        details = self.open_details("split", "分解为子任务")
        form = self.find("form", "分解 form", within=details)
        fieldsets = form.find_elements(By.TAG_NAME, "fieldset")
        if len(fieldsets) < 2:
            self.fail(f"the 分解 form should have at least 2 fieldsets, it has {len(fieldsets)}")
        for fs, (unit, deadline) in zip(fieldsets, ((FINANCE_UNIT, self.d1), (OFFICE_UNIT, self.d2))):
            self.choose(self.find("select[name='unit[]']", "承办单位 select", within=fs), unit,
                        f"the 承办单位 select of the {unit} sub-task")
            self.type_into(self.find("input[name='deadline[]']", "办理期限 field", within=fs), deadline.isoformat(),
                           f"the 办理期限 of the {unit} sub-task")
            self.type_into(self.find("input[name='title[]']", "子任务名称 field", within=fs), self.sub_titles[unit],
                           f"the 子任务名称 of the {unit} sub-task")
        self.screenshot(focus="#split", suffix="-form")
        self.click(self.button("分解并交办", "in the 分解 form", within=form), "the 分解并交办 button")
        self.check("item page after 分解")
        self.expect_path(self.item_path, "分解")
        heading, rows = self.children()
        print(f"  {heading}: {[(t, d) for t, (_, d) in rows.items()]}")
        if heading != "子任务（2）":
            self.fail(f"#children should be headed 子任务（2）, it is headed {heading!r}")
        for unit, deadline in ((FINANCE_UNIT, self.d1), (OFFICE_UNIT, self.d2)):
            row = rows.get(self.sub_titles[unit])
            if not row or f"期限 {deadline}" not in row[1] or "待签收" not in row[1]:
                self.fail(f"#children should list {self.sub_titles[unit]!r} with 期限 {deadline}, 待签收; it lists "
                          f"{[(t, d) for t, (_, d) in rows.items()]}")
            self.sub_paths[unit] = path_of_href(self.find("a[href]", "link of the sub-task", within=row[0]))
        self.item_state("承办中", "after 分解")
        self.expect_event("分解", f"{FINANCE_UNIT_NAME}（{self.d1}）", f"{OFFICE_UNIT_NAME}（{self.d2}）", who=INSPECTOR)
        self.screenshot(focus="#children")
        self.log_out()

    def report(self):
        title = self.sub_titles[FINANCE_UNIT]
        self.step("report", f"{CLERK2} ({NAMES[CLERK2]}) 工作台 → 督办待签收 → {title}; 签收; 反馈 100% with {PHOTO_NAME}")
        photo = os.path.abspath(os.path.join(self.args.out, PHOTO_NAME))
        with open(photo, "wb") as f:
            f.write(photo_png())
        self.log_in(CLERK2)
        _, link = self.home_entry("assigned", "督办待签收", title, self.sub_paths[FINANCE_UNIT])
        self.screenshot(focus="#work-supervision-assigned", suffix="-home")
        self.open_item(link, title, "opening the sub-task from 督办待签收", self.sub_paths[FINANCE_UNIT])
        facts = self.item_state("待签收", "before 签收")
        if facts.get("办理期限") != self.d1.isoformat():
            self.fail(f"the sub-task's 办理期限 should be {self.d1}, it is {facts.get('办理期限')!r}")
        if facts.get("牵头单位") != "怀来县财政局（演示）":
            self.fail(f"the sub-task's 牵头单位 should be 怀来县财政局（演示）, it is {facts.get('牵头单位')!r}")
        form = self.step_form("acknowledge", "签收 form")
        self.click(self.button("签收", "in the 签收 form", within=form), "the 签收 button")
        self.check("item page after 签收")
        self.expect_path(self.sub_paths[FINANCE_UNIT], "签收")
        self.expect_flash("已签收")
        self.item_state("承办中", "after 签收")
        self.expect_event("签收", who=CLERK2)
        section = self.find("main section#report", "反馈进展 section (#report)")
        form = self.step_form("report", "反馈进展 form", within=section)
        self.type_into(self.find("textarea[name=text]", "进展情况 field", within=form), REPORT_TEXT, "the 进展情况 field")
        self.type_into(self.find("input[name=percent]", "完成进度 field", within=form), "100", "the 完成进度 field")
        upload = self.find("input[type=file][name='files[]']", "附件 field", within=form)
        self.reachable(upload, "the 附件 field")
        upload.send_keys(photo)
        chosen = self.driver.execute_script("return Array.from(arguments[0].files).map(f => f.name);", upload)
        if chosen != [PHOTO_NAME]:
            self.fail(f"choosing {photo} in the 附件 field left {chosen} chosen")
        self.screenshot(focus="#report", suffix="-form")
        self.click(self.button("报送", "in the 反馈进展 form", within=form), "the 报送 button")
        self.check("item page after 报送")
        self.expect_path(self.sub_paths[FINANCE_UNIT], "报送")
        self.expect_flash("进展已报送")
        self.print_history()
        _, _, files = self.expect_event("反馈进展", "进度 100%", REPORT_TEXT, "待审核", who=CLERK2)
        if files != [PHOTO_NAME]:
            self.fail(f"the 反馈进展 event should link {FILE_PREFIX}{PHOTO_NAME}; it links {files}")
        self.screenshot(focus="#history")
        self.log_out()

    def close_on_time(self):
        title = self.sub_titles[FINANCE_UNIT]
        self.step("accept-close", f"{INSPECTOR} 工作台 → 督办待审核 → {title}; 采纳; 办结销号 before {self.d1}")
        self.log_in(INSPECTOR)
        _, link = self.home_entry("review", "督办待审核", title, self.sub_paths[FINANCE_UNIT])
        self.screenshot(focus="#work-supervision-review", suffix="-home")
        self.open_item(link, title, "opening the sub-task from 督办待审核", self.sub_paths[FINANCE_UNIT])
        section = self.find("main section#reports", "待审核的反馈 section (#reports)")
        heading = self.find("h2", "heading of #reports", within=section).text.strip()
        files = [a.text.strip() for a in section.find_elements(By.CSS_SELECTOR, "a[href]")]
        print(f"  {heading}: {section.find_element(By.TAG_NAME, 'p').text.strip()!r}, files {files}")
        if heading != "待审核的反馈（进度 100%）" or f"{FILE_PREFIX}{PHOTO_NAME}" not in files:
            self.fail(f"#reports should show 待审核的反馈（进度 100%） with {FILE_PREFIX}{PHOTO_NAME}; it shows {heading!r}, {files}")
        self.screenshot(focus="#reports", suffix="-review")
        form = self.step_form("accept", "采纳 form", within=section)
        self.click(self.button("采纳", "in #reports", within=form), "the 采纳 button")
        self.check("item page after 采纳")
        self.expect_path(self.sub_paths[FINANCE_UNIT], "采纳")
        self.expect_flash("已采纳反馈")
        self.expect_event("采纳反馈", who=INSPECTOR)
        self.expect_event("反馈进展", "已采纳", who=CLERK2)
        details = self.open_details("close", "办结销号")
        form = self.step_form("close", "销号 form", within=details)
        self.type_into(self.find("textarea[name=text]", "办理结果 field", within=form), RESULT_ON_TIME,
                       "the 办理结果 field")
        self.screenshot(focus="#close", suffix="-form")
        self.click(self.button("销号", "in the 办结销号 form", within=form), "the 销号 button")
        self.check("item page after 销号")
        self.expect_path(self.sub_paths[FINANCE_UNIT], "销号")
        self.expect_flash("已办结销号")
        facts = self.item_state("已办结", "after 销号")
        expected = {"办理结果": RESULT_ON_TIME, "办结日期": self.today.isoformat(), "办理期限": self.d1.isoformat()}
        wrong = {k: facts.get(k) for k, v in expected.items() if facts.get(k) != v}
        if wrong:
            self.fail(f"the closed sub-task's facts should read {expected}; these differ: {wrong}")
        self.expect_event("办结销号", RESULT_ON_TIME, who=INSPECTOR)
        self.facts_of[FINANCE_UNIT] = (self.d1, self.today)
        self.screenshot()
        self.log_out()

    def ask_extension(self):
        title = self.sub_titles[OFFICE_UNIT]
        self.step("ask-extension", f"{OFFICE} ({NAMES[OFFICE]}) 工作台 → 督办待签收 → {title}; 签收; 申请延期 to "
                                   f"{self.asked_to}")
        self.log_in(OFFICE)
        _, link = self.home_entry("assigned", "督办待签收", title, self.sub_paths[OFFICE_UNIT])
        self.screenshot(focus="#work-supervision-assigned", suffix="-home")
        self.open_item(link, title, "opening the sub-task from 督办待签收", self.sub_paths[OFFICE_UNIT])
        form = self.step_form("acknowledge", "签收 form")
        self.click(self.button("签收", "in the 签收 form", within=form), "the 签收 button")
        self.check("item page after 签收")
        self.expect_path(self.sub_paths[OFFICE_UNIT], "签收")
        self.expect_flash("已签收")
        self.item_state("承办中", "after 签收")
        details = self.open_details("extension", "申请延期")
        hint = " ".join(p.text.strip() for p in details.find_elements(By.CSS_SELECTOR, "p.hint"))
        if f"须在期限 {self.d2} 前申请" not in hint:
            self.fail(f"the 申请延期 form should say 须在期限 {self.d2} 前申请; its hints read {hint!r}")
        form = self.step_form("extend", "申请延期 form", within=details)
        self.type_into(self.find("input[name=to]", "延期至 field", within=form), self.asked_to.isoformat(),
                       "the 延期至 field")
        self.type_into(self.find("textarea[name=text]", "延期理由 field", within=form), EXTENSION_REASON,
                       "the 延期理由 field")
        self.screenshot(focus="#extension", suffix="-form")
        self.click(self.button("提交延期申请", "in the 申请延期 form", within=form), "the 提交延期申请 button")
        self.check("item page after 提交延期申请")
        self.expect_path(self.sub_paths[OFFICE_UNIT], "提交延期申请")
        self.expect_flash("延期申请已提交")
        facts = self.item_state("承办中", "after 申请延期")
        if facts.get("办理期限") != self.d2.isoformat() or facts.get("延期"):
            self.fail(f"a request alone should not move the 办理期限 {self.d2}; facts {facts}")
        self.print_history()
        self.expect_event("申请延期", f"至 {self.asked_to}", EXTENSION_REASON, "待审核", who=OFFICE)
        self.screenshot(focus="#history")
        self.log_out()

    def overdue(self):
        title = self.sub_titles[OFFICE_UNIT]
        later = iso_z(self.later)
        self.step("overdue", f"the clock passes {self.d2}: server restarted at {later}; {LEADER} ({NAMES[LEADER]}) "
                             f"sees {title} red")
        self.server.stop()
        self.server.start(later)
        self.log_in(LEADER)
        li, _ = self.home_entry("red", "督办红灯事项", title, self.sub_paths[OFFICE_UNIT])
        if "red" not in (li.get_attribute("class") or "").split():
            self.fail(f"the 督办红灯事项 row should be red (class 'work-item red'), it is {li.get_attribute('class')!r}")
        red_home = [t for t, _ in self.work_rows(self.find("main #work-supervision-red", "督办红灯事项"))]
        if self.sub_titles[FINANCE_UNIT] in red_home:
            self.fail(f"the closed {FINANCE_UNIT} sub-task must not be among the 督办红灯事项: {red_home}")
        self.screenshot(focus="#work-supervision-red", suffix="-home")
        self.go_supervision()
        section = self.find("main section#red", "红灯事项 section (#red) on 督查督办")
        heading = self.find("h2", "heading of #red", within=section).text.strip()
        rows = {t: li for t, li in self.work_rows(section)}
        print(f"  {heading}: {list(rows)}")
        if not heading.startswith("红灯事项"):
            self.fail(f"section#red should be headed 红灯事项（N）, it is headed {heading!r}")
        li = rows.get(title)
        if li is None:
            self.fail(f"红灯事项 should list {title!r}; it lists {list(rows)}")
        if "red" not in (li.get_attribute("class") or "").split():
            self.fail(f"the 红灯事项 row of {title!r} should be li.work-item.red, its class is "
                      f"{li.get_attribute('class')!r}")
        detail = li.find_element(By.CSS_SELECTOR, ".work-detail").text.strip()
        if f"期限 {self.d2}" not in detail or "已逾期" not in detail:
            self.fail(f"the red row should read 期限 {self.d2} … 已逾期; it reads {detail!r}")
        if self.sub_titles[FINANCE_UNIT] in rows:
            self.fail(f"the closed {FINANCE_UNIT} sub-task must not be in 红灯事项: {list(rows)}")
        self.screenshot(focus="#red")
        self.log_out()

    def remind(self):
        title = self.sub_titles[OFFICE_UNIT]
        self.step("remind", f"{INSPECTOR} 催办单 to {OFFICE_UNIT}; {OFFICE}'s 消息 has it")
        self.log_in(INSPECTOR)
        li, link = self.home_entry("review", "督办待审核", title, self.sub_paths[OFFICE_UNIT])
        detail = li.find_element(By.CSS_SELECTOR, ".work-detail").text.strip()
        if f"{NAMES[OFFICE]} 的延期申请待审批" not in detail:
            self.fail(f"the 督办待审核 row should say {NAMES[OFFICE]} 的延期申请待审批; it reads {detail!r}")
        self.open_item(link, title, "opening the sub-task from 督办待审核", self.sub_paths[OFFICE_UNIT])
        tag = self.find("main .status-chips .tag", "colour tag of the item").text.strip()
        if tag != "红灯":
            self.fail(f"the overdue sub-task's tag should read 红灯, it reads {tag!r}")
        self.screenshot(suffix="-item")
        details = self.open_details("remind", "催办单")
        form = self.step_form("remind", "催办单 form", within=details)
        self.choose(self.find("select[name=unit]", "催办单位 select", within=form), OFFICE_UNIT, "the 催办单位 select")
        self.type_into(self.find("textarea[name=text]", "催办内容 field", within=form), REMIND_TEXT, "the 催办内容 field")
        self.screenshot(focus="#remind", suffix="-form")
        self.click(self.button("发出催办单", "in the 催办单 form", within=form), "the 发出催办单 button")
        self.check("item page after 发出催办单")
        self.expect_path(self.sub_paths[OFFICE_UNIT], "发出催办单")
        self.expect_flash("已发出催办单")
        self.expect_event("催办", REMIND_TEXT, who=INSPECTOR)
        self.screenshot(focus="#history", suffix="-history")
        self.log_out()
        self.log_in(OFFICE)
        wanted = f"催办单：{title}。{REMIND_TEXT}"
        notices = self.inbox_notices(title)
        if not any(wanted in t for t, _ in notices):
            self.fail(f"{OFFICE}'s 消息 should hold {wanted!r}; the notices about the sub-task read "
                      f"{[t for t, _ in notices]}")
        self.screenshot()
        self.log_out()

    def refuse(self):
        title = self.sub_titles[OFFICE_UNIT]
        self.step("refuse-extension", f"{INSPECTOR} 不同意延期 of {title}: 办理期限 stays {self.d2}")
        self.log_in(INSPECTOR)
        self.go(self.sub_paths[OFFICE_UNIT], "the sub-task (bookmarked)")
        section = self.find("main section#extension", "延期申请 section (#extension)")
        heading = self.find("h2", "heading of #extension", within=section).text.strip()
        print(f"  {heading}")
        if heading != f"延期申请：至 {self.asked_to}（现期限 {self.d2}）":
            self.fail(f"#extension should be headed 延期申请：至 {self.asked_to}（现期限 {self.d2}）, it is {heading!r}")
        if EXTENSION_REASON not in section.text:
            self.fail(f"#extension should show the reason {EXTENSION_REASON!r}")
        form = self.step_form("refuse_extension", "不同意延期 form", within=section)
        self.type_into(self.find("textarea[name=text]", "不同意的理由 field", within=form), REFUSE_REASON,
                       "the 不同意的理由 field")
        self.screenshot(focus="#extension", suffix="-form")
        self.click(self.button("不同意延期", "in #extension", within=form), "the 不同意延期 button")
        self.check("item page after 不同意延期")
        self.expect_path(self.sub_paths[OFFICE_UNIT], "不同意延期")
        self.expect_flash("已不同意延期")
        facts = self.item_state("承办中", "after 不同意延期")
        if facts.get("办理期限") != self.d2.isoformat() or facts.get("延期"):
            self.fail(f"after 不同意延期 the 办理期限 should stay {self.d2} with no 延期 line; facts {facts}")
        if self.driver.find_elements(By.CSS_SELECTOR, "main section#extension"):
            self.fail("the 延期申请 is still offered for review after 不同意延期")
        self.print_history()
        self.expect_event("不同意延期", REFUSE_REASON, f"至 {self.asked_to}", who=INSPECTOR)
        self.expect_event("申请延期", "不同意", who=OFFICE)
        self.screenshot(focus="main dl.facts", suffix="-facts")
        self.screenshot(focus="#history")
        self.log_out()

    def close_late(self):
        title = self.sub_titles[OFFICE_UNIT]
        self.step("close-late", f"{INSPECTOR} 办结销号 of {title} on {self.later_day} (期限 {self.d2})")
        self.log_in(INSPECTOR)
        self.go(self.item_path, "the item (bookmarked)")
        _, rows = self.children()
        row = rows.get(title)
        if row is None:
            self.fail(f"#children should list {title!r}; it lists {list(rows)}")
        self.open_item(self.find("a[href]", "link of the sub-task", within=row[0]), title,
                       "opening the sub-task from #children", self.sub_paths[OFFICE_UNIT])
        details = self.open_details("close", "办结销号")
        form = self.step_form("close", "销号 form", within=details)
        self.type_into(self.find("textarea[name=text]", "办理结果 field", within=form), RESULT_LATE, "the 办理结果 field")
        self.screenshot(focus="#close", suffix="-form")
        self.click(self.button("销号", "in the 办结销号 form", within=form), "the 销号 button")
        self.check("item page after 销号")
        self.expect_path(self.sub_paths[OFFICE_UNIT], "销号")
        self.expect_flash("已办结销号")
        facts = self.item_state("已办结", "after 销号")
        expected = {"办理结果": RESULT_LATE, "办结日期": self.later_day.isoformat(), "办理期限": self.d2.isoformat()}
        wrong = {k: facts.get(k) for k, v in expected.items() if facts.get(k) != v}
        if wrong or facts.get("延期"):
            self.fail(f"the closed sub-task's facts should read {expected} (no 延期); these differ: {wrong}, "
                      f"延期 {facts.get('延期')!r}")
        self.expect_event("办结销号", RESULT_LATE, who=INSPECTOR)
        self.facts_of[OFFICE_UNIT] = (self.d2, self.later_day)
        self.screenshot()
        parent = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main a[href]")
                  if path_of_href(a) == self.item_path]
        if not parent:
            self.fail(f"the sub-task page has no link to its parent item {self.item_path}")
        self.click(parent[0], "the 上级事项 link")
        self.check("the parent item")
        self.expect_path(self.item_path, "following 上级事项")
        heading, rows = self.children()
        for t, (_, detail) in rows.items():
            print(f"    {t}: {detail}")
        for unit, (_, closed) in self.facts_of.items():
            row = rows.get(self.sub_titles[unit])
            if not row or f"{closed} 办结" not in row[1]:
                self.fail(f"the parent's #children should show {self.sub_titles[unit]!r} {closed} 办结; rows "
                          f"{[(t, d) for t, (_, d) in rows.items()]}")
        self.screenshot(focus="#children", suffix="-parent")
        self.log_out()

    def expected_rates(self):
        """The period's figures from the story's own record (the page's 口径): due, closed, on time."""
        due = [(deadline, closed) for deadline, closed in self.facts_of.values() if self.d1 <= deadline <= self.d2]
        closed = [(deadline, c) for deadline, c in due if c is not None]
        on_time = [(deadline, c) for deadline, c in closed if c <= deadline]
        return len(due), len(closed), len(on_time)

    def statistics(self):
        self.step("statistics", f"{INSPECTOR} 统计与通报 自 {self.d1} 至 {self.d2}: 办结率 and 按期办结率")
        due, closed, on_time = self.expected_rates()
        want_closed, want_on_time = percent_text(closed, due), percent_text(on_time, due)
        print(f"  expected from the story: 应办结 {due}, 已办结 {closed}, 按期办结 {on_time} → 办结率 {want_closed}, "
              f"按期办结率 {want_on_time}")
        self.log_in(INSPECTOR)
        self.go_supervision()
        links = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main a.button[href]")
                 if path_of_href(a) == "/supervision/statistics"]
        if not links:
            self.fail("督查督办 offers no 统计与通报 button (/supervision/statistics)")
        self.click(links[0], "the 统计与通报 button")
        self.check("统计 /supervision/statistics")
        self.expect_path("/supervision/statistics", "following 统计与通报")
        form = self.find("main form.filters[action='/supervision/statistics']", "统计期 form")
        self.type_into(self.find("input[name=from]", "自 field", within=form), self.d1.isoformat(), "the 自 field")
        self.type_into(self.find("input[name=to]", "至 field", within=form), self.d2.isoformat(), "the 至 field")
        self.click(self.button("统计", "in the 统计期 form", within=form), "the 统计 button")
        self.check("统计 for the period")
        self.expect_path("/supervision/statistics", "统计")
        query = parse_qs(urlparse(self.driver.current_url).query)
        if query.get("from") != [self.d1.isoformat()] or query.get("to") != [self.d2.isoformat()]:
            self.fail(f"统计 should ask for from={self.d1}&to={self.d2}; it asked {self.driver.current_url}")
        county = self.find("main section#county", "统计 figures (#county)")
        figures = {}
        for dt in county.find_elements(By.CSS_SELECTOR, "dl.facts dt"):
            figures[dt.text.strip()] = dt.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
        print(f"  {self.find('h2', 'heading of #county', within=county).text.strip()}: {figures}")
        shown = {"应办结": figures.get("应办结"), "已办结": figures.get("已办结"), "按期办结": figures.get("按期办结"),
                 "#closed-rate": self.find("#closed-rate", "办结率 (#closed-rate)", within=county).text.strip(),
                 "#ontime-rate": self.find("#ontime-rate", "按期办结率 (#ontime-rate)", within=county).text.strip()}
        wanted = {"应办结": str(due), "已办结": str(closed), "按期办结": str(on_time), "#closed-rate": want_closed,
                  "#ontime-rate": want_on_time}
        self.screenshot(focus="#county")
        wrong = {k: shown[k] for k in wanted if shown[k] != wanted[k]}
        if wrong:
            late = [f"{self.sub_titles[u]} (期限 {d}, 办结 {c})" for u, (d, c) in self.facts_of.items()
                    if c is not None and c > self.d2]
            self.fail(f"the period {self.d1}–{self.d2} should show {wanted} (the story: {due} due, {closed} closed, "
                      f"{on_time} on time); the page shows {shown}"
                      + (f"; closed after the period's end: {late}" if late else ""))

    def bulletin(self):
        month = f"{self.d2.year:04d}-{self.d2.month:02d}"
        title = self.sub_titles[OFFICE_UNIT]
        deadline, closed = self.facts_of[OFFICE_UNIT]
        overdue_days = working_days_between(deadline, closed, self.is_working)
        self.step("bulletin", f"{INSPECTOR} 生成通报草稿 for {month}: 逾期事项 names {OFFICE_UNIT_NAME} and {title}")
        self.expect_path("/supervision/statistics", "at 通报 (the 统计 page of step 10)")
        section = self.find("main section#bulletin", "月度督查通报 section (#bulletin)")
        form = self.find("form", "通报 form", within=section)
        self.type_into(self.find("input[name=month]", "月份 field", within=form), month, "the 月份 field")
        self.screenshot(focus="#bulletin", suffix="-form")
        self.click(self.button("生成通报草稿", "in #bulletin", within=form), "the 生成通报草稿 button")
        _, h1 = self.check("the draft 通报")
        path = path_of(self.driver).rstrip("/")
        if not re.fullmatch(r"/documents/[0-9A-Fa-f-]{36}", path):
            self.fail(f"生成通报草稿 should lead to /documents/<id>, it led to {path}")
        self.expect_flash("已生成督查通报草稿")
        doc_title = f"关于{self.d2.year}年{self.d2.month}月份重点工作督查情况的通报"
        print(f"  {path}: h1 {h1!r}")
        if h1 != doc_title:
            self.fail(f"the draft's heading should be {doc_title!r}, it is {h1!r}")
        paragraphs = [p.text.strip() for p in self.driver.find_elements(By.CSS_SELECTOR, "main #preview p")]
        try:
            start = paragraphs.index("三、逾期事项")
            end = next(i for i in range(start + 1, len(paragraphs)) if paragraphs[i].startswith("四、"))
        except (ValueError, StopIteration):
            self.fail(f"the draft's 正文 (#preview) should have the sections 三、逾期事项 and 四、…; it reads "
                      f"{paragraphs}")
        for line in paragraphs[paragraphs.index("一、总体情况") + 1:start] if "一、总体情况" in paragraphs else []:
            print(f"    {line}")
        late = paragraphs[start + 1:end]
        for line in late:
            print(f"    逾期事项: {line}")
        c = lambda d: f"{d.year}年{d.month}月{d.day}日"  # noqa: E731
        wanted = (f"{title}（牵头单位：{OFFICE_UNIT_NAME}，期限{c(deadline)}，{c(closed)}办结，"
                  f"逾期{overdue_days}个工作日）")
        if not any(re.fullmatch(r"（[一二三四五六七八九十]+）" + re.escape(wanted) + "。?", line) for line in late):
            self.fail(f"三、逾期事项 should list “（N）{wanted}”; it lists {late}")
        ask = [line for line in late if line.startswith("请") and "切实履行牵头责任" in line]
        if not ask or OFFICE_UNIT_NAME not in ask[0].split("切实履行牵头责任")[0]:
            self.fail(f"三、逾期事项 should end “请…{OFFICE_UNIT_NAME}…切实履行牵头责任…”; it reads {late}")
        if self.sub_titles[FINANCE_UNIT] in " ".join(late):
            self.fail(f"the {FINANCE_UNIT} sub-task was closed on time: it must not be under 三、逾期事项 ({late})")
        heading = [e for e in self.driver.find_elements(By.CSS_SELECTOR, "main #preview p")
                   if e.text.strip() == "三、逾期事项"]
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", heading[0])
        self.saved.append(shoot(self.driver, self.args.out, f"{self.number:02d}-{self.step_name}.png"))
        self.log_out()

    def run(self):
        started = iso_z(self.start)
        print(f"first clock {started} ({self.start.astimezone(CHINA):%Y-%m-%d %H:%M %a} China time); D1 {self.d1}, "
              f"D2 {self.d2}, 办理期限 {self.d_total}, second clock {iso_z(self.later)}; title {self.title!r}")
        for day, what in ((self.today, "T"), (self.d1, "D1"), (self.d2, "D2")):
            if not self.is_working(day):
                raise PageCheckFailed(f"{what} = {day} is not a working day (rules/working-days.json): choose another "
                                      f"--now")
        self.server.start(started)
        self.open_browser()
        for step in (self.order, self.split, self.report, self.close_on_time, self.ask_extension, self.overdue,
                     self.remind, self.refuse, self.close_late, self.statistics, self.bulletin):
            began = time.time()
            step()
            print(f"PASS {self.number:02d} {self.step_name} ({time.time() - began:.1f} s)")


def main():
    return story_main(Story, __doc__, "supervision flow", 8104, now=DEFAULT_NOW,
                      now_help=f"first FUZHENG_FAKE_NOW (ISO 8601), a working Monday morning (default {DEFAULT_NOW})")


if __name__ == "__main__":
    sys.exit(main())
