#!/usr/bin/env python3
"""Browser acceptance test of an outgoing 公文 from draft to 核发, for CI (called by .ci/run, phase 5d).

Drives a headless Chromium (390x844 by default, a phone) against a server that has just loaded the demo data
(which already holds 公文 in every state, some of them numbered), typing into fields and clicking buttons like
a user (no direct HTTP requests to the platform, except that the 版式文件 the pages link to are fetched with the
browser session's cookies through urllib, to check their first bytes):

  bangong  (张秘书) 公文 → 拟稿: a 通知 titled without “的通知”, whose 正文 cites 附件2, 保存; uploads ONE
           attachment (会议审批表, a .txt); the 核稿 findings list DOC-TITLE-TYPE and DOC-ATTACH-MISSING;
           修改公文: the title ends in “的通知”, the 正文 cites 附件1, 保存: “核稿检查：待处理 0 项”; 送审; 退出
  fuzeren  (李主任) 公文 → 待办 (the default tab), opens it, 审核通过; 退出
  hegao    (冯秘书) 核稿通过; 退出
  fxz3     (吴副县长) always at 390x844 (a leader signs on the phone): opens it from 待办, draws a signature on the
           canvas of #signature-pad with pointer moves (the hidden field gets SVG path data), 签发; the 发文稿纸
           shows the drawn signature as <img class="signature"> (and the image loads); 退出
  hegao    复核通过; 退出
  wenshu   (郑文书) 编号: the page shows 怀政办字〔YEAR〕N号 (N without leading zero); 用印 (with the demo seal
           installed at server start): #files (版式文件) says 已用印 and its PDF / OFD / DOCX links answer 200 with
           %PDF / PK / PK; 核发: 已核发; the 发文稿纸 lists every step with its person and opinion; #deliveries (分发)
           lists the 主送 怀来县财政局（演示） as 未签收; 发文登记簿 lists the number once, 有效, with the title
  wenshu2  (卫文书, clerk of the finance bureau, unit 436001, where the 主送 436 is received): 工作台 lists the
           document under 待签收的公文; 公文 → 待签收 lists it; 签收: 已签收。 and it is gone from the list
  wenshu   公文 → 发文登记簿 → the title: #deliveries shows 怀来县财政局（演示） 已签收 with the time and 卫文书;
           the 发文稿纸 has a 签收 line
  public   a fresh browser, not signed in: 政府信息公开 · 文件 (/public/documents), searches 审批 (a word of the
           title and 正文): the title is listed; opens it: 发文字号 is the number; #downloads → PDF answers 200 %PDF

A numbered screenshot (01-….png, 02-….png, …) is saved into --out after each step. Every page is checked like in
budget_flow.py (no error page, an <h1>, no unexpected error alert) and must fit the viewport's width (sideways
scrolling of the whole page is a failure). Every field typed into, canvas drawn on and button clicked must lie
inside the viewport and not be covered by another element. Any unexpected page, missing element or text exits
with status 1, a message naming the step, the URL and what was expected, and a failure-NN-<step>.png.

    python3 .ci/document_flow.py --base http://127.0.0.1:8100 --out ci-artifacts/document-flow-390
"""
import argparse
import datetime
import os
import re
import sys
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlparse
from zoneinfo import ZoneInfo

from browser import (PageCheckFailed, add_browser_arguments, alerts, check_page, failure_shot, layout_warnings,
                     log_in, make_driver, missing_browser, path_of, shoot, submit_and_wait, visit)
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

WIDTH, HEIGHT = 390, 844
PHONE = (390, 844)  # the leader signs on a phone, whatever size the rest of the story runs at
TODAY = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()
YEAR = TODAY.year
DRAFTER, REVIEWER, CHECKER, LEADER, CLERK = "bangong", "fuzeren", "hegao", "fxz3", "wenshu"
NAMES = {DRAFTER: "张秘书", REVIEWER: "李主任", CHECKER: "冯秘书", LEADER: "吴副县长", CLERK: "郑文书"}
TYPE = "tongzhi"  # 通知
ISSUERS = "434"
BAD_TITLE = "怀来县人民政府办公室关于规范会议审批工作"
TITLE = BAD_TITLE + "的通知"
# The 主送 is typed as the registered full name of the finance bureau (code 436; "怀来县财政局" without （演示）
# matches no body and would be a paper copy outside the platform): at 核发 its copy goes to unit 436001
# (Deliveries.receivingUnit: a department's first unit), whose 文书 is wenshu2.
RECIPIENTS = "怀来县财政局（演示）"
RECEIVER = "wenshu2"
RECEIVER_NAME = "卫文书"
SEARCH_WORD = "审批"  # in the title (规范会议审批工作) and the 正文 (审批程序)
FILE_MAGIC = {"pdf": b"%PDF", "ofd": b"PK", "docx": b"PK"}
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
BODY = "一、审批程序\n（一）会议须提前报批。\n请按附件{0}的格式填报。"
WRITTEN_ON = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
ATTACHMENT_TITLE = "会议审批表"
ATTACHMENT_FILE = "会议审批表.txt"
FINDINGS_BEFORE = ["DOC-TITLE-TYPE", "DOC-ATTACH-MISSING"]
NOTHING_OPEN = "核稿检查：待处理 0 项"
NUMBER = re.compile(rf"怀政办字〔{YEAR}〕([1-9]\d*)号")
SIGNATURE_PATH = re.compile(r"M\d+ \d+( L\d+ \d+)+")
# The flow after 送审: (who, step tag shown before, forward button, step tag shown after, opinion typed).
STEPS = [
    (REVIEWER, "部门负责人审核", "审核通过", "办公室核稿", "同意，请核稿。"),
    (CHECKER, "办公室核稿", "核稿通过", "领导签发", "已核稿，格式无误。"),
    (LEADER, "领导签发", "签发", "复核", "同意印发。"),
    (CHECKER, "复核", "复核通过", "编号", "复核无误。"),
    (CLERK, "编号", "编号", "用印", ""),  # the 发文稿纸 shows the number given as this step's opinion
    (CLERK, "用印", "用印", "核发", "已用印。"),
    (CLERK, "核发", "核发", "已核发", "已核发。"),
]
SUBMIT_NOTE = "请审核。"


class Flow:
    def __init__(self, args):
        self.args = args
        self.base = args.base
        self.driver = None
        self.width, self.height = WIDTH, HEIGHT
        self.number = 0
        self.step_name = "start"
        self.saved = []
        self.warnings = 0
        self.doc_path = None
        self.doc_number = None

    # ---------------------------------------------------------------- plumbing (as in budget_flow.py)

    def open_browser(self, width=None, height=None):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None
        self.width, self.height = width or WIDTH, height or HEIGHT
        self.driver = make_driver(self.args, self.width, self.height)

    def close(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None

    def step(self, name, description):
        self.number += 1
        self.step_name = name
        print(f"step {self.number:02d} {name}: {description}")

    def fail(self, message):
        url = self.driver.current_url if self.driver is not None else "no browser"
        raise PageCheckFailed(f"step {self.number:02d} {self.step_name}: {message} (URL {url})")

    def screenshot(self, focus=None, suffix=""):
        """Saves NN-<step>.png; focus (a CSS selector) is scrolled to the top of the viewport first."""
        d = self.driver
        if focus:
            els = d.find_elements(By.CSS_SELECTOR, focus)
            if not els:
                self.fail(f"nothing matches {focus!r} to show in the screenshot")
            d.execute_script("arguments[0].scrollIntoView({block: 'start'});", els[0])
        else:
            d.execute_script("window.scrollTo(0, 0);")
        self.warnings += layout_warnings(d, f"step {self.number:02d} {self.step_name} ({path_of(d)})", self.width)
        self.saved.append(shoot(d, self.args.out, f"{self.number:02d}-{self.step_name}{suffix}.png"))

    def failure_screenshot(self):
        if self.driver is None:
            return None
        return failure_shot(self.driver, self.args.out, f"failure-{self.number:02d}-{self.step_name}.png")

    def check(self, what, allow_error=False):
        result = check_page(self.driver, f"step {self.number:02d} {self.step_name}: {what}", allow_error=allow_error)
        # Every page the story visits must fit the viewport: sideways scrolling of the whole page is a failure.
        if layout_warnings(self.driver, f"step {self.number:02d} {self.step_name} ({path_of(self.driver)})",
                           self.width):
            self.fail(f"{what}: the page is wider than the {self.width} px viewport")
        return result

    def expect_path(self, path, what):
        if path_of(self.driver).rstrip("/") != path:
            shown = alerts(self.driver, "error") + alerts(self.driver, "success")
            self.fail(f"{what}: expected to be on {path}, landed on {path_of(self.driver)} "
                      f"(title {self.driver.title!r}, messages {shown})")

    def expect_flash(self, text, kind="success"):
        """A flash message containing text; it should be styled as `kind` (a mismatch is a warning)."""
        found = alerts(self.driver, kind)
        if any(text in a for a in found):
            print(f"  {kind} message: {' | '.join(found)}")
            return
        for other in ("success", "error", "info", "warning"):
            if other != kind and any(text in a for a in alerts(self.driver, other)):
                self.warnings += 1
                print(f"  WARNING step {self.number:02d} {self.step_name}: the message {text!r} is shown as "
                      f"'alert {other}', expected 'alert {kind}' ({path_of(self.driver)})")
                return
        shown = {k: alerts(self.driver, k) for k in ("success", "error", "info", "warning")}
        self.fail(f"expected a {kind} message containing {text!r}; messages shown: "
                  f"{ {k: v for k, v in shown.items() if v} or 'none'}")

    def reachable(self, element, what):
        """Scrolls the element to the middle of the viewport and checks a user can see it (not off to the side,
        not covered by something else such as a sticky bar)."""
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
        # A textarea's value may come back with \r\n line ends.
        if value.replace("\r\n", "\n") != text:
            self.fail(f"typed {text!r} into {what} but the field holds {value!r}")

    def choose(self, select, value, what):
        self.reachable(select, what)
        Select(select).select_by_value(value)
        if select.get_attribute("value") != value:
            self.fail(f"chose {value!r} in {what} but it holds {select.get_attribute('value')!r}")

    def submit_button(self, text, missing, within=None):
        """The form button reading `text` (in `within`, else anywhere in main); fails with `missing` if none."""
        scope = within or self.driver.find_element(By.TAG_NAME, "main")
        found = [b for b in scope.find_elements(By.CSS_SELECTOR, "form button[type=submit], button[type=submit]")
                 if b.text.strip() == text]
        if not found:
            shown = [b.text.strip() for b in scope.find_elements(By.CSS_SELECTOR, "button[type=submit]")]
            self.fail(f"{missing} (buttons shown: {shown})")
        return found[0]

    def find(self, css, what, within=None):
        els = (within or self.driver).find_elements(By.CSS_SELECTOR, css)
        if not els:
            self.fail(f"no {what} ({css})")
        return els[0]

    def nav_link(self, text, href):
        """The header's navigation link with this text and address."""
        for a in self.driver.find_elements(By.CSS_SELECTOR, "header nav a[href]"):
            if a.text.strip() == text and path_of_href(a) == href:
                return a
        shown = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "header nav a[href]")]
        self.fail(f"no link {text!r} to {href} in the header's navigation (it has {shown})")

    def link_to(self, href, text, where="main a[href]"):
        """The link (or button-styled link) to href whose text starts with text."""
        for a in self.driver.find_elements(By.CSS_SELECTOR, where):
            if path_of_href(a) == href and a.text.strip().lstrip("← ").startswith(text):
                return a
        self.fail(f"no link {text!r} to {href}")

    def log_in(self, user):
        _, h1 = log_in(self.driver, self.base, user, self.args.password, f"step {self.number:02d} {self.step_name}")
        self.check(f"page after logging in as {user}")
        name = self.driver.find_elements(By.CSS_SELECTOR, "header .user-name")
        print(f"  logged in as {user} ({name[0].text.strip() if name else '?'}): {path_of(self.driver)}, h1 {h1!r}")

    def log_out(self):
        d = self.driver
        button = None
        for b in d.find_elements(By.CSS_SELECTOR, "header form[action='/logout'] button[type=submit]"):
            if b.text.strip() == "退出":
                button = b
        if button is None:
            self.fail("no 退出 button in the header")
        self.click(button, "the 退出 button in the header")
        self.check("page after logging out")
        if d.find_elements(By.CSS_SELECTOR, "header form[action='/logout']"):
            self.fail("still logged in after clicking 退出 (the header still has the logout form)")
        print(f"  logged out: {path_of(d)}")

    # ---------------------------------------------------------------- app-specific

    def field(self, name, what):
        return self.find(f"main form [name={name}]", f"{what} (name={name})")

    def step_tag(self):
        """The tag of the current step at the top of the document page (p.lead .tag)."""
        return self.find("main p.lead .tag", "step tag at the top of the document (p.lead .tag)").text.strip()

    def expect_step_tag(self, expected, what):
        shown = self.step_tag()
        if shown != expected:
            self.fail(f"{what}: the document's step should read {expected!r}, it reads {shown!r}")

    def findings(self):
        """(heading, [finding texts]) of the 核稿 section #findings."""
        section = self.find("main #findings", "核稿 findings section (#findings)")
        heading = self.find("h2", "heading of #findings", within=section).text.strip()
        items = [li.text.strip() for li in section.find_elements(By.CSS_SELECTOR, "li")]
        return heading, items

    def open_documents(self):
        """公文 in the header's navigation: the list opens on 待办."""
        self.click(self.nav_link("公文", "/documents"), "the 公文 link")
        self.check("公文 list /documents")
        self.expect_path("/documents", "following 公文")
        current = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "main .status-chips a.ok")]
        if current != ["待办"]:
            self.fail(f"the 公文 list should open on the 待办 tab, the highlighted tab is {current}")

    def open_from_todo(self, user):
        """From 公文 → 待办, the story's document by its title."""
        self.open_documents()
        rows = self.driver.find_elements(By.CSS_SELECTOR, "main ul.work-list li.work-item a[href]")
        titles = [a.find_element(By.CSS_SELECTOR, ".work-title").text.strip() for a in rows]
        print(f"  待办 of {user}: {titles}")
        mine = [a for a, t in zip(rows, titles) if t == TITLE]
        if not mine:
            self.fail(f"{user}'s 待办 should list {TITLE!r}; it lists {titles or 'nothing'}")
        if path_of_href(mine[0]) != self.doc_path:
            self.fail(f"the 待办 entry links to {path_of_href(mine[0])}, expected {self.doc_path}")
        self.click(mine[0], f"the 待办 entry {TITLE!r}")
        _, h1 = self.check(f"document page {self.doc_path}")
        self.expect_path(self.doc_path, "opening the document from 待办")
        if h1 != TITLE:
            self.fail(f"the document page's heading should be {TITLE!r}, it is {h1!r}")

    def flow_form(self):
        return self.find("main #flow form.step-form", "the flow form in #flow (form.step-form)")

    def move_forward(self, label, opinion, before, after):
        """Types the opinion into #flow and clicks the forward button `label`; the step tag goes before → after."""
        self.expect_step_tag(before, f"before {label}")
        form = self.flow_form()
        back = [b.text.strip() for b in form.find_elements(By.CSS_SELECTOR, "button[name=move][value=send_back]")]
        if before != "拟稿" and back != ["退回"]:
            self.fail(f"the flow form at {before} should offer 退回 (move=send_back); it offers {back}")
        button = self.find("button[name=move][value=forward]", "forward button (move=forward)", within=form)
        if button.text.strip() != label:
            self.fail(f"the forward button at {before} should read {label!r}, it reads {button.text.strip()!r}")
        if opinion:
            self.type_into(self.find("textarea[name=reason]", "opinion field (textarea reason)", within=form),
                           opinion, "the 意见 field of #flow")
        self.click(button, f"the {label} button")
        self.check(f"document page after {label}")
        self.expect_path(self.doc_path, f"clicking {label}")
        self.expect_flash("已办理，送下一环节。")
        self.expect_step_tag(after, f"after {label}")
        print(f"  {before} → {after}")

    def draw_signature(self):
        """Draws a stroke on the canvas of #signature-pad with pointer moves, as a finger would."""
        d = self.driver
        pad = self.find("main #flow #signature-pad", "signature pad (#signature-pad)")
        canvas = self.find("canvas", "canvas in #signature-pad", within=pad)
        field = self.find("input[name=signature]", "hidden field signature in #signature-pad", within=pad)
        box = self.reachable(canvas, "the signature canvas")
        w, h = box["width"], box["height"]
        print(f"  canvas: {w:.0f}x{h:.0f} px")
        if w < 200 or h < 60:
            self.fail(f"the signature canvas is too small to sign on: {w:.0f}x{h:.0f} px")
        # Offsets are from the canvas's centre: a zigzag from the left third to the right third.
        points = [(-0.35, 0.2), (-0.25, -0.25), (-0.15, 0.25), (-0.05, -0.2), (0.05, 0.2), (0.15, -0.25),
                  (0.25, 0.15), (0.35, -0.1)]
        actions = ActionChains(d, duration=50)
        x0, y0 = int(points[0][0] * w), int(points[0][1] * h)
        actions.move_to_element_with_offset(canvas, x0, y0).click_and_hold()
        x, y = x0, y0
        for px, py in points[1:]:
            nx, ny = int(px * w), int(py * h)
            actions.move_by_offset(nx - x, ny - y)
            x, y = nx, ny
        actions.release().perform()
        value = field.get_attribute("value") or ""
        print(f"  signature field: {value[:60]}{'…' if len(value) > 60 else ''}")
        if not SIGNATURE_PATH.fullmatch(value):
            self.fail(f"after drawing on the canvas the hidden field signature should hold SVG path data like "
                      f"'M10 10 L50 40', it holds {value!r}")
        inked = d.execute_script("""
            const c = arguments[0], data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++; return n;""", canvas)
        if not inked:
            self.fail("the canvas shows no ink after drawing on it")
        print(f"  {inked} inked pixels on the canvas")

    def sheet_rows(self):
        """The 发文稿纸 rows as [step cell, who cell, opinion, time] texts."""
        return [[td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
                for tr in self.driver.find_elements(By.CSS_SELECTOR, "main #sheet tbody tr")]

    def write_attachment(self):
        path = os.path.join(self.args.out, ATTACHMENT_FILE)
        with open(path, "w", encoding="utf-8") as f:
            f.write("会议审批表\n会议名称：\n主办单位：\n会议时间：\n参会人数：\n")
        return path

    # ---------------------------------------------------------------- the story

    def run(self):
        attachment = self.write_attachment()
        self.open_browser()
        d = self.driver

        self.step("drafter-documents", f"{DRAFTER} ({NAMES[DRAFTER]}) logs in, 公文")
        self.log_in(DRAFTER)
        self.open_documents()
        self.screenshot()

        self.step("draft", f"拟稿: a 通知 titled {BAD_TITLE!r} citing 附件2, 保存")
        self.click(self.link_to("/documents/new", "拟稿"), "the 拟稿 button")
        self.check("draft form /documents/new")
        self.expect_path("/documents/new", "following 拟稿")
        issuers = self.field("issuers", "发文机关 field").get_attribute("value")
        if issuers != ISSUERS:
            self.fail(f"发文机关 should default to {ISSUERS!r}, it holds {issuers!r}")
        self.choose(self.field("type", "文种 select"), TYPE, "the 文种 select")
        self.type_into(self.field("title", "标题 field"), BAD_TITLE, "the 标题 field")
        self.type_into(self.field("mainRecipients", "主送机关 field"), RECIPIENTS, "the 主送机关 field")
        self.type_into(self.field("body", "正文 field"), BODY.format(2), "the 正文 field")
        self.type_into(self.field("writtenOn", "成文日期 field"), WRITTEN_ON, "the 成文日期 field")
        self.screenshot(focus="main form", suffix="-form")
        self.click(self.submit_button("保存", "no 保存 button on the draft form"), "the 保存 button")
        _, h1 = self.check("page after saving the draft")
        path = path_of(d).rstrip("/")
        if not re.fullmatch(r"/documents/[0-9A-Fa-f-]{8,}", path):
            self.fail(f"saving the draft should lead to /documents/<id>, it led to {path} "
                      f"(errors {[e.text for e in d.find_elements(By.CSS_SELECTOR, '.field .error')]})")
        self.doc_path = path
        self.expect_flash("拟稿已保存。")
        if h1 != BAD_TITLE:
            self.fail(f"the document page's heading should be {BAD_TITLE!r}, it is {h1!r}")
        self.expect_step_tag("拟稿", "the saved draft")
        print(f"  saved as {self.doc_path}")
        self.screenshot()

        self.step("attachment", f"uploads one attachment {ATTACHMENT_TITLE} ({ATTACHMENT_FILE})")
        section = self.find("main #attachments", "attachments section (#attachments)")
        form = self.find("form[enctype='multipart/form-data']", "upload form in #attachments", within=section)
        self.type_into(self.find("input[name=title]", "附件名称 field", within=form), ATTACHMENT_TITLE,
                       "the 附件名称 field")
        file_field = self.find("input[type=file][name=file]", "file field (input name=file)", within=form)
        self.reachable(file_field, "the 附件文件 field")
        file_field.send_keys(os.path.abspath(attachment))
        if not (file_field.get_attribute("value") or "").endswith(ATTACHMENT_FILE):
            self.fail(f"chose {attachment} but the file field holds {file_field.get_attribute('value')!r}")
        self.click(self.submit_button("上传附件", "no 上传附件 button in #attachments", within=form),
                   "the 上传附件 button")
        self.check("document page after uploading the attachment")
        self.expect_path(self.doc_path, "uploading the attachment")
        self.expect_flash("附件已上传。")
        listed = [li.text.strip() for li in d.find_elements(By.CSS_SELECTOR, "main #attachments ul li")]
        print(f"  attachments: {listed}")
        if len(listed) != 1 or not listed[0].startswith(f"附件1：{ATTACHMENT_TITLE}") \
                or ATTACHMENT_FILE not in listed[0]:
            self.fail(f"#attachments should list exactly 附件1：{ATTACHMENT_TITLE} ({ATTACHMENT_FILE}); "
                      f"it lists {listed}")
        heading, items = self.findings()
        print(f"  {heading}")
        for item in items:
            print(f"    {item}")
        for rule in FINDINGS_BEFORE:
            if not any(rule in item for item in items):
                self.fail(f"the findings should list {rule}; they list {items or 'nothing'}")
        if heading.startswith(NOTHING_OPEN):
            self.fail(f"with open findings the heading must not say {NOTHING_OPEN!r}: {heading!r}")
        self.screenshot(focus="#findings")

        self.step("fix", "修改公文: the title ends in 的通知, the 正文 cites 附件1, 保存")
        self.click(self.link_to(f"{self.doc_path}/edit", "修改公文"), "the 修改公文 button")
        self.check(f"edit form {self.doc_path}/edit")
        self.expect_path(f"{self.doc_path}/edit", "following 修改公文")
        title_field = self.field("title", "标题 field")
        if title_field.get_attribute("value") != BAD_TITLE:
            self.fail(f"the edit form should hold the saved title {BAD_TITLE!r}, "
                      f"it holds {title_field.get_attribute('value')!r}")
        self.type_into(title_field, TITLE, "the 标题 field")
        self.type_into(self.field("body", "正文 field"), BODY.format(1), "the 正文 field")
        self.screenshot(focus="main form", suffix="-form")
        self.click(self.submit_button("保存", "no 保存 button on the edit form"), "the 保存 button")
        _, h1 = self.check("page after saving the corrections")
        self.expect_path(self.doc_path, "saving the corrections")
        if h1 != TITLE:
            self.fail(f"the document page's heading should now be {TITLE!r}, it is {h1!r}")
        heading, items = self.findings()
        print(f"  {heading}")
        if not heading.startswith(NOTHING_OPEN):
            self.fail(f"after the corrections the findings should say {NOTHING_OPEN!r}; they say {heading!r}, "
                      f"items {items}")
        for rule in FINDINGS_BEFORE:
            if any(rule in item for item in items):
                self.fail(f"{rule} is still listed after the correction: {items}")
        self.screenshot(focus="#findings")

        self.step("submit", "送审")
        self.move_forward("送审", SUBMIT_NOTE, "拟稿", "部门负责人审核")
        self.screenshot(focus="#flow")
        self.log_out()

        previous = None
        for i, (who, before, label, after, opinion) in enumerate(STEPS):
            name = {"审核通过": "review", "核稿通过": "check", "签发": "sign", "复核通过": "recheck",
                    "编号": "number", "用印": "seal", "核发": "issue"}[label]
            if who == previous:
                # the same person goes on with the next step on the page they are on
                self.step(name, f"{who} ({NAMES[who]}) goes on: {label}")
            else:
                self.step(name, f"{who} ({NAMES[who]}) logs in, 公文 → 待办, opens it, {label}")
                if who == LEADER and (self.width, self.height) != PHONE:
                    print(f"  a fresh browser at {PHONE[0]}x{PHONE[1]}: the leader signs on the phone")
                    self.open_browser(*PHONE)
                elif who != LEADER and (self.width, self.height) != (WIDTH, HEIGHT):
                    print(f"  a fresh browser at {WIDTH}x{HEIGHT}")
                    self.open_browser()
                d = self.driver
                self.log_in(who)
                self.open_from_todo(who)
            if label == "签发":
                self.draw_signature()
                self.screenshot(focus="#flow", suffix="-drawn")
            self.move_forward(label, opinion, before, after)
            if label == "签发":
                self.check_signature()
                self.screenshot(focus="#sheet")
            elif label == "编号":
                self.check_number()
                self.screenshot()
            elif label == "用印":
                self.check_sealed_files()
                self.screenshot(focus="#files")
            elif label == "核发":
                self.check_sheet()
                self.check_deliveries("未签收")
                self.screenshot()
                self.screenshot(focus="#deliveries", suffix="-deliveries")
                self.screenshot(focus="#sheet", suffix="-sheet")
            else:
                self.screenshot(focus="#flow")
            previous = who
            if i + 1 < len(STEPS) and STEPS[i + 1][0] != who:
                self.log_out()

        self.step("register", "公文 → 发文登记簿: the number, 有效, the title")
        self.open_documents()
        self.click(self.link_to("/documents/register", "发文登记簿"), "the 发文登记簿 button")
        _, h1 = self.check("发文登记簿 /documents/register")
        self.expect_path("/documents/register", "following 发文登记簿")
        if str(YEAR) not in h1:
            self.fail(f"the register's heading should name {YEAR}: {h1!r}")
        rows = [[td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
                for tr in d.find_elements(By.CSS_SELECTOR, "main table#register tbody tr")]
        for row in rows:
            print(f"  {' | '.join(row)}")
        ours = [r for r in rows if r and r[0] == self.doc_number]
        if len(ours) != 1:
            self.fail(f"the register (table#register) should list {self.doc_number} once; it lists it "
                      f"{len(ours)} times among {[r[0] for r in rows if r]}")
        if len(ours[0]) < 3 or ours[0][1] != TITLE or ours[0][2] != "有效":
            self.fail(f"the register's row for {self.doc_number} should read {TITLE!r} and 有效: {ours[0]}")
        link = [a for a in d.find_elements(By.CSS_SELECTOR, "main table#register tbody a[href]")
                if a.text.strip() == TITLE]
        if not link or path_of_href(link[0]) != self.doc_path:
            self.fail(f"the register's title should link to {self.doc_path}")
        self.screenshot(focus="#register")
        self.log_out()

        self.receive()
        self.sender_sees_signed()
        self.public_search()

    # ---------------------------------------------------------------- after 核发: 签收 and 政府信息公开

    def receive(self):
        """wenshu2 (the finance bureau's 文书) finds the copy on the 工作台 and under 待签收, signs for it."""
        d = self.driver
        self.step("received-home", f"{RECEIVER} ({RECEIVER_NAME}) logs in: the 工作台 lists it under 待签收的公文")
        if (self.width, self.height) != (WIDTH, HEIGHT):
            self.open_browser()
            d = self.driver
        self.log_in(RECEIVER)
        if TITLE not in self.find("main", "main").text:
            self.fail(f"{RECEIVER}'s 工作台 should list {TITLE!r} (待签收的公文)")
        source = [el for el in d.find_elements(By.CSS_SELECTOR, "main a[href]")
                  if path_of_href(el) == "/documents/received" and TITLE in el.text]
        if not source:
            self.fail(f"{RECEIVER}'s 工作台 should link {TITLE!r} to /documents/received")
        print(f"  工作台: {source[0].text.strip()!r}")
        self.screenshot()

        self.step("received", "公文 → 待签收: the document is listed; 签收; it leaves the list")
        self.open_documents()
        self.click(self.link_to("/documents/received", "待签收"), "the 待签收 button")
        _, h1 = self.check("待签收 /documents/received")
        self.expect_path("/documents/received", "following 待签收")
        if h1 != "待签收":
            self.fail(f"the page's heading should be 待签收, it is {h1!r}")
        rows = self.received_rows()
        print(f"  待签收 of {RECEIVER}: {[t for t, _ in rows]}")
        mine = [li for t, li in rows if t == TITLE]
        if len(mine) != 1:
            self.fail(f"待签收 should list {TITLE!r} once; it lists {[t for t, _ in rows] or 'nothing'}")
        detail = self.find(".work-detail", "detail of the 待签收 row (.work-detail)", within=mine[0]).text.strip()
        print(f"  row: {detail}")
        if self.doc_number not in detail or RECIPIENTS not in detail:
            self.fail(f"the 待签收 row should name {self.doc_number} and {RECIPIENTS}; it reads {detail!r}")
        self.screenshot(suffix="-list")
        button = [b for b in mine[0].find_elements(By.CSS_SELECTOR, "form button[type=submit]")
                  if b.text.strip() == "签收"]
        if not button:
            self.fail(f"the 待签收 row of {TITLE!r} has no 签收 button")
        self.click(button[0], "the 签收 button")
        self.check("待签收 after 签收")
        self.expect_path("/documents/received", "签收")
        self.expect_flash("已签收。")
        left = [t for t, _ in self.received_rows()]
        if TITLE in left:
            self.fail(f"{TITLE!r} is still listed under 待签收 after 签收: {left}")
        print(f"  left under 待签收: {left or 'nothing'}")
        self.screenshot()
        self.log_out()

    def received_rows(self):
        """(title, li) of the rows on 待签收."""
        out = []
        for li in self.driver.find_elements(By.CSS_SELECTOR, "main ul.work-list li.work-item"):
            title = li.find_elements(By.CSS_SELECTOR, ".work-title")
            out.append((title[0].text.strip() if title else "", li))
        return out

    def sender_sees_signed(self):
        """wenshu opens the document from the 发文登记簿: #deliveries shows the copy 已签收 with time and signer."""
        d = self.driver
        self.step("delivered", f"{CLERK} ({NAMES[CLERK]}) logs in, 发文登记簿 → the document: 分发 shows 已签收")
        self.log_in(CLERK)
        self.open_documents()
        self.click(self.link_to("/documents/register", "发文登记簿"), "the 发文登记簿 button")
        self.check("发文登记簿 /documents/register")
        link = [a for a in d.find_elements(By.CSS_SELECTOR, "main table#register tbody a[href]")
                if a.text.strip() == TITLE]
        if not link:
            self.fail(f"the register should link {TITLE!r}")
        self.click(link[0], f"the register's link {TITLE!r}")
        _, h1 = self.check(f"document page {self.doc_path}")
        self.expect_path(self.doc_path, "following the register's link")
        if h1 != TITLE:
            self.fail(f"the document page's heading should be {TITLE!r}, it is {h1!r}")
        row = self.check_deliveries("已签收")
        if not STAMP.search(row[2]) or RECEIVER_NAME not in row[2]:
            self.fail(f"the 签收时间 of {RECIPIENTS} should show a time (YYYY-MM-DD HH:MM) and {RECEIVER_NAME}; "
                      f"it reads {row[2]!r}")
        signed = [r for r in self.sheet_rows() if len(r) >= 3 and "签收" in r[0] and RECEIVER_NAME in r[1]]
        if not signed or RECIPIENTS not in signed[0][2]:
            self.fail(f"the 发文稿纸 should have a 签收 line by {RECEIVER_NAME} for {RECIPIENTS}; "
                      f"rows {self.sheet_rows()}")
        print(f"  稿纸: {' | '.join(signed[0])}")
        self.screenshot(focus="#deliveries")
        self.log_out()

    def check_deliveries(self, state):
        """#deliveries (分发) has exactly one row, the 主送 RECIPIENTS, in `state`; returns its cells."""
        section = self.find("main #deliveries", "分发 section (#deliveries)")
        heading = self.find("h2", "heading of #deliveries", within=section).text.strip()
        rows = [[td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
                for tr in section.find_elements(By.CSS_SELECTOR, "tbody tr")]
        print(f"  {heading}")
        for r in rows:
            print(f"    {' | '.join(r)}")
        if len(rows) != 1 or len(rows[0]) < 3 or not rows[0][0].startswith(RECIPIENTS):
            self.fail(f"#deliveries should list one copy, for {RECIPIENTS}; it lists {rows}")
        if rows[0][1] != state:
            self.fail(f"the copy for {RECIPIENTS} should be {state}, it is {rows[0][1]!r}")
        signed = 1 if state == "已签收" else 0
        if heading != f"分发：已签收 {signed} / 共 1 份":
            self.fail(f"the heading of #deliveries should read 分发：已签收 {signed} / 共 1 份, it reads {heading!r}")
        return rows[0]

    def public_search(self):
        """A fresh browser, not signed in: 政府信息公开 · 文件, search, open the document, its PDF."""
        self.step("public-search", f"the public (a fresh browser): /public/documents, searches {SEARCH_WORD}")
        self.open_browser()
        d = self.driver
        visit(d, self.base, "/public/documents", f"step {self.number:02d} {self.step_name}: /public/documents")
        self.check("政府信息公开 · 文件 /public/documents")
        if d.find_elements(By.CSS_SELECTOR, "header form[action='/logout']"):
            self.fail("a fresh browser should not be signed in")
        form = self.find("main form.search", "search form (form.search)")
        self.type_into(self.find("input[name=q]", "search field (q)", within=form), SEARCH_WORD, "the search field")
        self.click(self.find("button[type=submit]", "search button", within=form), "the search button")
        self.check(f"/public/documents?q={SEARCH_WORD}")
        self.expect_path("/public/documents", "searching")
        rows = d.find_elements(By.CSS_SELECTOR, "main ul.work-list li.work-item a[href]")
        titles = [a.find_element(By.CSS_SELECTOR, ".work-title").text.strip() for a in rows]
        print(f"  found for {SEARCH_WORD}: {titles}")
        mine = [a for a, t in zip(rows, titles) if t == TITLE]
        if not mine:
            self.fail(f"searching {SEARCH_WORD} should find {TITLE!r}; it finds {titles or 'nothing'}")
        public_path = f"/public/documents/{self.doc_path.rsplit('/', 1)[1]}"
        if path_of_href(mine[0]) != public_path:
            self.fail(f"the result links to {path_of_href(mine[0])}, expected {public_path}")
        self.screenshot()

        self.step("public-document", "opens it: 发文字号, #downloads → PDF (200, %PDF)")
        self.click(mine[0], f"the result {TITLE!r}")
        _, h1 = self.check(f"public document {public_path}")
        self.expect_path(public_path, "opening the result")
        if h1 != TITLE:
            self.fail(f"the public page's heading should be {TITLE!r}, it is {h1!r}")
        facts = {}
        for dt in d.find_elements(By.CSS_SELECTOR, "main dl.facts dt"):
            facts[dt.text.strip()] = dt.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
        print(f"  facts: {facts}")
        if facts.get("发文字号") != self.doc_number:
            self.fail(f"the public page should show 发文字号 {self.doc_number}, it shows {facts.get('发文字号')!r}")
        downloads = self.find("main #downloads", "download links (#downloads)")
        pdf = [a for a in downloads.find_elements(By.CSS_SELECTOR, "a[href]")
               if path_of_href(a) == f"{public_path}/files/pdf"]
        if not pdf:
            self.fail(f"#downloads should link {public_path}/files/pdf; it links "
                      f"{[path_of_href(a) for a in downloads.find_elements(By.CSS_SELECTOR, 'a[href]')]}")
        self.reachable(pdf[0], "the PDF link in #downloads")
        self.fetch(pdf[0], "pdf")
        self.screenshot()

    def fetch(self, link, kind):
        """GETs a link's address with the browser session's cookies; 200 and the format's first bytes."""
        url = urljoin(self.driver.current_url, link.get_attribute("href"))
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})
        try:
            with urllib.request.urlopen(request, timeout=90) as r:
                status, kind_header, body = r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            self.fail(f"{kind.upper()} {urlparse(url).path} answered {e.code}, expected 200 "
                      f"({e.read()[:200]!r})")
        except (urllib.error.URLError, TimeoutError) as e:
            self.fail(f"{kind.upper()} {urlparse(url).path} could not be fetched: {e}")
        print(f"  {urlparse(url).path}: {status}, {kind_header}, {len(body)} bytes, starts {body[:8]!r}")
        if status != 200 or not body.startswith(FILE_MAGIC[kind]):
            self.fail(f"{kind.upper()} {urlparse(url).path} should answer 200 starting with {FILE_MAGIC[kind]!r}; "
                      f"it answered {status} starting with {body[:16]!r}")
        return body

    def check_sealed_files(self):
        """After 用印: #files (版式文件) says 已用印; its PDF, OFD and DOCX links answer 200 with the right bytes."""
        section = self.find("main #files", "版式文件 section (#files)")
        text = section.text
        if "已用印" not in text:
            self.fail(f"after 用印 the 版式文件 section (#files) should say 已用印; it reads {text!r}")
        print(f"  #files: {' / '.join(line for line in text.splitlines() if '用印' in line)}")
        for kind in FILE_MAGIC:
            href = f"{self.doc_path}/files/{kind}"
            links = [a for a in section.find_elements(By.CSS_SELECTOR, "a[href]") if path_of_href(a) == href]
            if not links:
                self.fail(f"#files should link {href}; it links "
                          f"{[path_of_href(a) for a in section.find_elements(By.CSS_SELECTOR, 'a[href]')]}")
            self.reachable(links[0], f"the {kind.upper()} link in #files")
            self.fetch(links[0], kind)

    def check_signature(self):
        """After 签发: the 发文稿纸's 领导签发 row shows the drawn signature as an image that loads."""
        d = self.driver
        images = d.find_elements(By.CSS_SELECTOR, "main #sheet img.signature")
        if not images:
            self.fail(f"the 发文稿纸 (#sheet) should show the drawn signature as <img class=\"signature\">; "
                      f"rows {self.sheet_rows()}")
        image = images[-1]
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", image)
        loaded = d.execute_async_script("""
            const img = arguments[0], done = arguments[arguments.length - 1];
            const report = () => done({ok: img.complete && img.naturalWidth > 0, w: img.naturalWidth,
                                       h: img.naturalHeight, src: img.getAttribute('src')});
            if (img.complete) report(); else { img.onload = report; img.onerror = report; }
        """, image)
        print(f"  signature image {loaded['src']}: {loaded['w']}x{loaded['h']}")
        if not loaded["ok"]:
            self.fail(f"the signature image {loaded['src']} in the 发文稿纸 does not load")
        row = image.find_element(By.XPATH, "./ancestor::tr")
        who = row.find_elements(By.TAG_NAME, "td")[1].text.strip()
        if NAMES[LEADER] not in who or "领导签发" not in row.text:
            self.fail(f"the signature should sit in the 领导签发 row of {NAMES[LEADER]}; its row reads {row.text!r}")

    def check_number(self):
        """After 编号: 怀政办字〔YEAR〕N号 at the top of the page and as 发文字号 in the facts."""
        lead = self.find("main p.lead", "line with the step tag and number (p.lead)").text.strip()
        m = NUMBER.search(lead)
        if not m:
            self.fail(f"after 编号 the page should show a number like 怀政办字〔{YEAR}〕N号 (N without leading "
                      f"zero); the line at the top reads {lead!r}")
        self.doc_number = m.group(0)
        facts = {}
        for dt in self.driver.find_elements(By.CSS_SELECTOR, "main dl.facts dt"):
            facts[dt.text.strip()] = dt.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
        if facts.get("发文字号") != self.doc_number:
            self.fail(f"发文字号 in the facts should read {self.doc_number}, it reads {facts.get('发文字号')!r}")
        print(f"  numbered {self.doc_number} (N = {m.group(1)}; the demo data had numbered others before)")

    def check_sheet(self):
        """After 核发: the 发文稿纸 lists every step, who took it and the opinion typed (at 编号: the number)."""
        rows = self.sheet_rows()
        for r in rows:
            print(f"  稿纸: {' | '.join(r)}")
        # 编号 records the number given as its opinion.
        expected = [("拟稿", NAMES[DRAFTER], SUBMIT_NOTE)] + [
            (before, NAMES[who], self.doc_number if label == "编号" else opinion)
            for who, before, label, _, opinion in STEPS]
        for step, who, opinion in expected:
            if not any(r[0].startswith(step) and who in r[1] and r[2] == opinion for r in rows if len(r) >= 3):
                self.fail(f"the 发文稿纸 should list {step} by {who} with the opinion {opinion!r}; rows {rows}")


def path_of_href(a):
    return urlparse(a.get_attribute("href") or "").path


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8100", help="server base URL (fresh demo data)")
    parser.add_argument("--out", default="ci-artifacts/document-flow", help="folder for the PNG and upload files")
    parser.add_argument("--password", default="Fuzheng@2023", help="password of the demo accounts")
    parser.add_argument("--width", type=int, default=390, help="viewport width (the story runs at 390 and 1280)")
    parser.add_argument("--height", type=int, default=844, help="viewport height")
    add_browser_arguments(parser)
    args = parser.parse_args()
    global WIDTH, HEIGHT
    WIDTH, HEIGHT = args.width, args.height
    args.base = args.base.rstrip("/")
    os.makedirs(args.out, exist_ok=True)

    exe = missing_browser(args)
    if exe:
        print(f"document_flow: {exe} not found (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 1

    flow = Flow(args)
    status = 0
    try:
        flow.run()
    except PageCheckFailed as e:
        print(f"document_flow FAILED: {e}", file=sys.stderr)
        status = 1
    except WebDriverException as e:
        print(f"document_flow FAILED in step {flow.number:02d} {flow.step_name}: browser error: {e.msg or e}",
              file=sys.stderr)
        status = 1
    if status:
        shot = flow.failure_screenshot()
        if shot:
            print(f"  failure screenshot: {shot}", file=sys.stderr)
    flow.close()

    print(f"{len(flow.saved)} screenshots at {WIDTH}x{HEIGHT}"
          + (f" (the signature at {PHONE[0]}x{PHONE[1]})" if (WIDTH, HEIGHT) != PHONE else "")
          + (f" ({flow.warnings} layout warning(s) above)" if flow.warnings else ""))
    for path in flow.saved:
        print(os.path.abspath(path))
    print(f"screenshots folder: {os.path.abspath(args.out)}")
    if status == 0:
        print(f"document flow passed: {flow.number} steps")
    return status


if __name__ == "__main__":
    sys.exit(main())
