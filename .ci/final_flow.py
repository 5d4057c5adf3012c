#!/usr/bin/env python3
"""Browser story of 部门决算 (the year-end final accounts), for CI (.ci/run, phase 5j).

Starts the server itself with FUZHENG_ENV=test on SQLite in --data (empty: the first start loads the demo data, whose
2023 部门决算 of 怀来县人民政府办公室 is published with no error) and drives a headless Chromium at --width x --height
like a user (typing, clicking; no direct HTTP to the platform, except that the public page's XLSX and PDF links are
fetched with the browser's cookies through urllib, to check what they answer):

  01 caiwu    (王会计) 预算执行 → 2023 → the link to the 2023 部门决算 (#final-link): 已公开, no change since, no error
              finding, the inputs, the XLSX import, an enabled 重新公开（更正） and the generated document
  02 caiwu    一般公共预算拨款：本年收入 raised by 50,000 元 (typed with thousands separators), 保存决算数据: 已保存, the
              field reads the plain amount, the error FINAL-CARRY (年初结转 + 收入 − 支出 ≠ 年末结转, naming both the
              figure it computes and the one typed) is listed, publishing is disabled, the status reads 已公开 with
              已修改，尚未重新公开; 门户上的公开页 still shows the published 本年收入 (f04 table and section 五)
  03 caiwu    年末结转和结余 typed as "12abc", then as a 20-digit number: each time the error stands under that field
              (aria-invalid, #<field>-error), no other field is marked, nothing is saved; the page opened again shows
              the stored 年末结转 unchanged and FINAL-CARRY still listed
  04 caiwu    年末结转和结余 raised by the same 50,000 元 (the identity closes), saved: no error; the warnings, if any,
              acknowledged; 重新公开（更正）: 已公开, no change since; 门户上的公开页 shows the new 本年收入 and 年末结转
              in 财政拨款收入支出决算总表 and section 五's sentence, as the page prints them (万元)
  05 public   a fresh browser (not logged in) on the public page: its XLSX and PDF links answer 200 with their content
              types and first bytes; the workbook holds the new 本年收入 (万元, as its cells store it) and so does the
              PDF's text when pdftotext is there

Every page is checked as in incoming_flow.py (no error page, an <h1>, no unexpected error alert, no sideways
scrolling). A screenshot NN-<step>.png is saved into --out after each step. Each step prints PASS or FAIL; the first
failure saves failure-NN-<step>.png and .html, stops the server and exits 1.

    python3 .ci/final_flow.py --width 390 --height 844 --port 8106 --data DIR --out OUTDIR -- FUZHENG_COMMAND...
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from urllib.parse import urljoin, urlparse

import incoming_flow as incoming
from browser import log_in, path_of, shoot, visit
from incoming_flow import iso_z, path_of_href, story_main
from selenium.webdriver.common.by import By

PASSWORD = incoming.PASSWORD
FINANCE = "caiwu"
NAMES = {FINANCE: "王会计"}
DEFAULT_NOW = "2027-03-08T01:00:00Z"
UNIT, UNIT_NAME, YEAR = "434001", "怀来县人民政府办公室", 2023
FINAL_PATH = f"/final/units/{UNIT}/{YEAR}"
PUBLIC_PATH = f"/public/units/{UNIT}/final/{YEAR}"
RECEIVED = "fund-general_public_budget-received"  # 一般公共预算拨款：本年收入
CLOSING = "fund-general_public_budget-closing"    # 一般公共预算拨款：年末结转和结余
CLOSING_LABEL = "一般公共预算拨款：年末结转和结余"
RULE = "FINAL-CARRY"  # Sources/FuzhengCore/FinalAccounts/FinalChecks.swift: an error
EXTRA = 5_000_000     # 分: 50,000.00 元 more received than the demo typed
HOSTILE = [("12abc", ""), ("12345678901234567890", "-long")]
APPROPRIATION_ROW = "一般公共预算财政拨款"  # 财政拨款收入支出决算总表 (#table-f04-appropriation)
# The words of Resources/Localization/zh.json the story reads (key in the comment).
TITLE = f"{UNIT_NAME}{YEAR}年度部门决算"                # final.title
PUBLIC_TITLE = f"{UNIT_NAME}{YEAR}年度部门决算公开"     # final.public.title
PUBLISHED = "已公开"                                     # final.status.published
CHANGED = "已修改，尚未重新公开（门户仍显示上次公开的内容）"  # final.status.changed
SAVE = "保存决算数据"                                    # final.save
SAVED = "决算数据已保存，检查结果已更新。"                # final.saved
NOT_SAVED = "未保存任何内容"                              # final.fix
PUBLISH_AGAIN = "重新公开（更正）"                        # final.publish.again
PUBLISHED_FLASH = "决算已在门户公开。"                    # final.published
PUBLIC_LINK = "门户上的公开页"                            # final.publicLink
DOWNLOADS = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
             "pdf": ("application/pdf", b"%PDF-")}


# ---------------------------------------------------------------- money as the platform prints it (MoneyFormat)

def fen_of(text):
    """"12395678.00" (as the form shows an amount, 元) → 分."""
    m = re.fullmatch(r"(\d+)(?:\.(\d{1,2}))?", text.replace(",", "").strip())
    if not m:
        raise ValueError(f"not an amount in 元: {text!r}")
    return int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))


def hundredths(fen, divisor):
    q, r = divmod(abs(fen), divisor)
    if divisor > 1 and r * 2 >= divisor:
        q += 1
    text = f"{q // 100}.{q % 100:02d}"
    return "-" + text if fen < 0 and q else text


def yuan(fen):
    """元 with two decimals, as the form shows it."""
    return hundredths(fen, 1)


def yuan_grouped(fen):
    """元 with thousands separators, as a clerk may type it."""
    whole, cents = yuan(fen).split(".")
    return f"{int(whole):,}.{cents}"


def wan(fen):
    """万元 with two decimals, as the tables print it."""
    return hundredths(fen, 10_000)


def wan_in_text(fen):
    """万元 as sentences print it: trailing zeros dropped."""
    s = wan(fen)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def readable(fen):
    """As a finding names an amount: 万元 when exact in 万元, else 元."""
    return wan_in_text(fen) + "万元" if fen % 10_000 == 0 else yuan(fen) + "元"


class Story(incoming.Flow):
    def __init__(self, args, server):
        super().__init__(args, server)
        self.old_received = self.old_closing = None

    def log_in(self, user):
        _, h1 = log_in(self.driver, self.base, user, PASSWORD, f"step {self.number:02d} {self.step_name}")
        self.check(f"工作台 after logging in as {user}")
        name = self.driver.find_elements(By.CSS_SELECTOR, "header .user-name")
        shown = name[0].text.strip() if name else "?"
        print(f"  logged in as {user} ({shown}): {path_of(self.driver)}, h1 {h1!r}")
        if NAMES[user] not in shown:
            self.fail(f"logged in as {user}, but the header names {shown!r} (expected {NAMES[user]})")

    def relog(self, user):
        self.open_browser()
        self.log_in(user)

    def screenshot_of(self, element, suffix):
        """NN-<step><suffix>.png with the element (a field with its label and message) in the middle."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        self.saved.append(shoot(self.driver, self.args.out, f"{self.number:02d}-{self.step_name}{suffix}.png"))

    def go(self, path, what):
        visit(self.driver, self.base, path, f"step {self.number:02d} {self.step_name}: {what}")
        return self.check(what)

    # ---------------------------------------------------------------- the 决算 page

    def open_final_from_execution(self):
        """预算执行 → the 2023 chip → the unit page's link to the 2023 部门决算."""
        self.click(self.nav_link("预算执行", "/execution"), "the 预算执行 link")
        self.check("预算执行")
        chips = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main .status-chips a")
                 if a.text.strip() == str(YEAR)]
        if not chips:
            self.fail(f"no {YEAR} chip on the unit's 预算执行 page")
        self.click(chips[0], f"the {YEAR} chip")
        self.check(f"预算执行 {YEAR}")
        link = self.find("main a#final-link", "the link to the 部门决算 on the unit's 预算执行 page")
        if path_of_href(link) != FINAL_PATH:
            self.fail(f"#final-link should lead to {FINAL_PATH}, it leads to {path_of_href(link)}")
        if link.text.strip() != TITLE:
            self.fail(f"#final-link should read {TITLE!r}, it reads {link.text.strip()!r}")
        self.click(link, "the 部门决算 link")
        _, h1 = self.check("部门决算")
        self.expect_path(FINAL_PATH, "following #final-link")
        if h1 != TITLE:
            self.fail(f"the 部门决算 page should be headed {TITLE!r}, it is headed {h1!r}")

    def status(self):
        """(the status chip's text, the changed-since-published tag's text or None)."""
        chip = self.find("main .status-chips #final-status", "the status chip (#final-status)")
        tags = chip.find_elements(By.XPATH, "following-sibling::span[contains(@class, 'warn')]")
        return chip.text.strip(), (tags[0].text.strip() if tags else None)

    def expect_status(self, changed):
        shown, tag = self.status()
        print(f"  status: {shown}" + (f" · {tag}" if tag else ""))
        if shown != PUBLISHED:
            self.fail(f"the status chip should read {PUBLISHED!r}, it reads {shown!r}")
        if changed and tag != CHANGED:
            self.fail(f"the status should carry the tag {CHANGED!r}, it carries {tag!r}")
        if not changed and tag is not None:
            self.fail(f"the status should carry no changed-since-published tag, it carries {tag!r}")

    def findings(self):
        """[(severity class, rule id, text)] of #final-findings."""
        out = []
        for li in self.driver.find_elements(By.CSS_SELECTOR, "main #final-findings li.finding"):
            classes = (li.get_attribute("class") or "").split()
            severity = next((c for c in classes if c in ("error", "warning", "notice")), "?")
            tag = li.find_elements(By.CSS_SELECTOR, "span.tag")
            out.append((severity, tag[0].text.strip() if tag else "?", li.text.strip()))
        heading = self.find("#final-findings h2", "the findings' heading").text.strip()
        print(f"  {heading}")
        for severity, rule, text in out:
            print(f"    {severity}: {text}")
        errors = len([f for f in out if f[0] == "error"])
        counted = f"检查结果：{errors} 项错误，{len(out) - errors} 项提示"  # final.findings
        if heading != counted:
            self.fail(f"the findings' heading should read {counted!r} (the list below), it reads {heading!r}")
        return out

    def field(self, key, what):
        return self.find(f"form#final-inputs input[name='{key}']", what)

    def value(self, key, what):
        return self.field(key, what).get_attribute("value")

    def save(self):
        form = self.find("form#final-inputs", "the inputs form (#final-inputs)")
        self.click(self.button(SAVE, "under the inputs", within=form), f"the {SAVE} button")

    def publish_button(self):
        return self.find("form#final-publish button[type=submit]", "the publish button (#final-publish)")

    def open_public_from_final(self):
        links = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main .status-chips a[href]")
                 if path_of_href(a) == PUBLIC_PATH]
        if not links:
            self.fail(f"the status line links no public page ({PUBLIC_PATH})")
        if links[0].text.strip() != PUBLIC_LINK:
            self.fail(f"the link to the public page should read {PUBLIC_LINK!r}, it reads {links[0].text.strip()!r}")
        self.click(links[0], f"the {PUBLIC_LINK} link")
        self.check_public()

    def check_public(self):
        _, h1 = self.check("the public 部门决算")
        self.expect_path(PUBLIC_PATH, "the public page")
        if h1 != PUBLIC_TITLE:
            self.fail(f"the public page should be headed {PUBLIC_TITLE!r}, it is headed {h1!r}")

    def public_figures(self):
        """财政拨款收入支出决算总表's 一般公共预算 row as printed, and section 五's sentence."""
        table = self.find("main #table-f04-appropriation", "财政拨款收入支出决算总表 (#table-f04-appropriation)")
        heads = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
        row = None
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
            cells = [td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
            if cells and cells[0] == APPROPRIATION_ROW:
                row = dict(zip(heads, cells))
        if row is None:
            self.fail(f"财政拨款收入支出决算总表 has no row {APPROPRIATION_ROW}")
        sentence = next((p.text.strip() for p in self.driver.find_elements(By.CSS_SELECTOR, "main article p")
                         if "其中一般公共预算财政拨款年初结转和结余" in p.text), None)
        if sentence is None:
            self.fail("section 五 has no sentence on 一般公共预算财政拨款 (…年初结转和结余…本年收入…)")
        print(f"  f04 {APPROPRIATION_ROW}: {row}")
        print(f"  五: {sentence}")
        return row, sentence

    def public_screenshot(self, suffix):
        """The public page with section 五's sentence at the top and, below it, 财政拨款收入支出决算总表 scrolled
        sideways (inside its own box) to its 本年财政拨款收入 column, so both show the figures checked."""
        d = self.driver
        sentence = [p for p in d.find_elements(By.CSS_SELECTOR, "main article p")
                    if "其中一般公共预算财政拨款年初结转和结余" in p.text]
        cells = d.find_elements(By.CSS_SELECTOR, "main #table-f04-appropriation tbody tr:first-child td")
        if not sentence or len(cells) < 3:
            self.fail("section 五's sentence or 财政拨款收入支出决算总表's first row is missing")
        d.execute_script("""
            const [p, cell] = arguments, box = cell.closest('.table-scroll');
            if (box) box.scrollLeft = Math.max(0, cell.offsetLeft - 24);
            p.scrollIntoView({block: 'start'});
            window.scrollBy(0, -16);
        """, sentence[0], cells[2])
        self.saved.append(shoot(d, self.args.out, f"{self.number:02d}-{self.step_name}{suffix}.png"))

    def expect_public(self, received, closing, instead=None):
        row, sentence = self.public_figures()
        wanted = {"本年财政拨款收入": wan(received), "年末财政拨款结转和结余": wan(closing)}
        wrong = {k: row.get(k) for k, v in wanted.items() if row.get(k) != v}
        if wrong:
            self.fail(f"财政拨款收入支出决算总表 should print {wanted} (万元), it prints {wrong}")
        for text in (f"本年收入{wan_in_text(received)}万元", f"年末结转和结余{wan_in_text(closing)}万元"):
            if text not in sentence:
                self.fail(f"section 五 should say {text!r}; it says {sentence!r}")
        if instead is not None and f"本年收入{wan_in_text(instead)}万元" in sentence:
            self.fail(f"section 五 shows the unpublished 本年收入 {wan_in_text(instead)}万元: {sentence!r}")
        print(f"  the public page prints 本年收入 {wan(received)} and 年末结转 {wan(closing)} (万元)")

    # ---------------------------------------------------------------- steps

    def open(self):
        self.step("open", "caiwu: 预算执行 → 2023 → 部门决算: 已公开, no error")
        self.relog(FINANCE)
        self.open_final_from_execution()
        self.expect_status(changed=False)
        errors = [f for f in self.findings() if f[0] == "error"]
        if errors:
            self.fail(f"the published demo 决算 should have no error finding; it lists {errors}")
        for css, what in (("form#final-inputs", "the inputs form"), ("form#final-import input[type=file]",
                                                                       "the XLSX import's file field"),
                          ("#final-document .downloads a[href]", "the document's download links"),
                          ("#final-document article.disclosure", "the generated document")):
            self.find(css, what)
        button = self.publish_button()
        if button.get_attribute("disabled") is not None or button.text.strip() != PUBLISH_AGAIN:
            self.fail(f"the publish button should be an enabled {PUBLISH_AGAIN!r}; it reads {button.text.strip()!r}, "
                      f"disabled={button.get_attribute('disabled')!r}")
        self.old_received = fen_of(self.value(RECEIVED, "一般公共预算拨款：本年收入"))
        self.old_closing = fen_of(self.value(CLOSING, CLOSING_LABEL))
        opening = self.value("fund-general_public_budget-opening", "一般公共预算拨款：年初结转和结余")
        print(f"  一般公共预算拨款: 年初结转 {opening}, 本年收入 {yuan(self.old_received)}, 年末结转 "
              f"{yuan(self.old_closing)} 元")
        self.screenshot()

    def break_identity(self):
        new = self.old_received + EXTRA
        self.step("error", f"caiwu: 本年收入 {yuan(self.old_received)} → {yuan_grouped(new)} 元, saved: {RULE}, "
                           f"publishing disabled; the portal unchanged")
        self.type_into(self.field(RECEIVED, "一般公共预算拨款：本年收入"), yuan_grouped(new), "本年收入")
        self.save()
        self.check("after saving")
        self.expect_path(FINAL_PATH, "saving")
        self.expect_flash(SAVED)
        shown = self.value(RECEIVED, "一般公共预算拨款：本年收入")
        if shown != yuan(new):
            self.fail(f"本年收入 should read {yuan(new)} after saving, it reads {shown!r}")
        findings = self.findings()
        carry = [f for f in findings if f[1] == RULE]
        if not carry or carry[0][0] != "error":
            self.fail(f"an error {RULE} should be listed after the 本年收入 changed; findings {findings}")
        expected = self.old_closing + EXTRA
        for part in (f"= {readable(expected)}", f"年末结转填为{readable(self.old_closing)}"):
            if part not in carry[0][2]:
                self.fail(f"the {RULE} finding should say {part!r}; it says {carry[0][2]!r}")
        button = self.publish_button()
        if button.get_attribute("disabled") is None:
            self.fail("the publish button is enabled while there are errors")
        errors = len([f for f in findings if f[0] == "error"])
        blocked = f"决算有 {errors} 项错误，改正后才能公开。"  # final.publish.blocked
        if blocked not in self.find("form#final-publish", "the publish form").text:
            self.fail(f"the publish form should say {blocked!r}")
        print(f"  publish button disabled; {blocked}")
        self.expect_status(changed=True)
        self.screenshot()
        self.open_public_from_final()
        self.expect_public(self.old_received, self.old_closing, instead=new)
        self.public_screenshot("-public")

    def invalid(self):
        self.step("invalid", f"caiwu: {CLOSING_LABEL} typed as {' and '.join(v for v, _ in HOSTILE)}: refused next "
                             f"to the field, nothing saved")
        self.driver.back()
        self.check("back on the 部门决算")
        self.expect_path(FINAL_PATH, "going back")
        for text, suffix in HOSTILE:
            self.type_into(self.field(CLOSING, CLOSING_LABEL), text, CLOSING_LABEL)
            self.save()
            self.check(f"after saving {text!r}", allow_error=True)
            self.expect_path(FINAL_PATH, f"saving {text!r}")
            self.expect_flash(NOT_SAVED, kind="error")
            field = self.field(CLOSING, CLOSING_LABEL)
            box = field.find_element(By.XPATH, "./ancestor::div[contains(@class, 'field')][1]")
            if "has-error" not in (box.get_attribute("class") or "").split():
                self.fail(f"the field holding {text!r} is not marked (class {box.get_attribute('class')!r})")
            if field.get_attribute("aria-invalid") != "true":
                self.fail(f"the field holding {text!r} should be aria-invalid")
            message = box.find_elements(By.CSS_SELECTOR, f"p.error#{CLOSING}-error")
            if not message:
                self.fail(f"no error message under {CLOSING_LABEL} (p.error#{CLOSING}-error)")
            said = message[0].text.strip()
            print(f"  {text!r}: {said}")
            if CLOSING_LABEL not in said or "金额" not in said:
                self.fail(f"the message under the field should name {CLOSING_LABEL} and an amount; it says {said!r}")
            marked = [e.get_attribute("id") for e in self.driver.find_elements(
                By.CSS_SELECTOR, "form#final-inputs .has-error input, form#final-inputs .has-error textarea")]
            if marked != [CLOSING]:
                self.fail(f"only {CLOSING} should be marked, these are: {marked}")
            if field.get_attribute("value") != text:
                self.fail(f"the refused field should keep what was typed ({text!r}), it holds "
                          f"{field.get_attribute('value')!r}")
            self.screenshot_of(box, suffix)
        self.go(FINAL_PATH, "the 部门决算 opened again")
        stored = self.value(CLOSING, CLOSING_LABEL)
        received = self.value(RECEIVED, "一般公共预算拨款：本年收入")
        print(f"  opened again: 年末结转 {stored}, 本年收入 {received}")
        if stored != yuan(self.old_closing):
            self.fail(f"{CLOSING_LABEL} should still be {yuan(self.old_closing)}, it is {stored!r}")
        if received != yuan(self.old_received + EXTRA):
            self.fail(f"本年收入 should still be {yuan(self.old_received + EXTRA)}, it is {received!r}")
        if not any(f[1] == RULE and f[0] == "error" for f in self.findings()):
            self.fail(f"{RULE} should still be listed")
        self.expect_status(changed=True)

    def publish(self):
        closing = self.old_closing + EXTRA
        received = self.old_received + EXTRA
        self.step("publish", f"caiwu: {CLOSING_LABEL} {yuan(closing)} 元 (the identity closes), saved, published; "
                             f"the portal shows the new figures")
        self.type_into(self.field(CLOSING, CLOSING_LABEL), yuan(closing), CLOSING_LABEL)
        self.save()
        self.check("after saving")
        self.expect_flash(SAVED)
        findings = self.findings()
        errors = [f for f in findings if f[0] == "error"]
        if errors:
            self.fail(f"no error should be left once 年末结转 closes the identity; left: {errors}")
        self.expect_status(changed=True)
        warnings = len(findings)
        form = self.find("form#final-publish", "the publish form")
        ack = form.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name=acceptWarnings]")
        if warnings and not ack:
            self.fail(f"{warnings} warning(s) listed but no acknowledgement box in the publish form")
        if ack:
            if ack[0].get_attribute("value") != str(warnings):
                self.fail(f"the acknowledgement stands for {ack[0].get_attribute('value')} warnings, "
                          f"{warnings} are listed")
            self.reachable(ack[0], "the acknowledgement box")
            ack[0].click()
            if not ack[0].is_selected():
                self.fail("the acknowledgement box did not tick")
            print(f"  ticked: {ack[0].find_element(By.XPATH, './ancestor::label[1]').text.strip()}")
        button = self.publish_button()
        if button.get_attribute("disabled") is not None:
            self.fail("the publish button is still disabled with no error left")
        self.click(button, f"the {PUBLISH_AGAIN} button")
        self.check("after publishing")
        self.expect_path(FINAL_PATH, "publishing")
        self.expect_flash(PUBLISHED_FLASH)
        self.expect_status(changed=False)
        if [f for f in self.findings() if f[0] == "error"]:
            self.fail("errors are listed after publishing")
        self.screenshot()
        self.open_public_from_final()
        self.expect_public(received, closing)
        self.public_screenshot("-public")

    def downloads(self):
        self.step("downloads", "public: the public page's XLSX and PDF links answer 200 with the right content")
        self.open_browser()  # the public: no session
        self.go(PUBLIC_PATH, "the public 部门决算, not logged in")
        self.check_public()
        if self.driver.find_elements(By.CSS_SELECTOR, "header form[action='/logout']"):
            self.fail("the fresh browser is logged in")
        received = self.old_received + EXTRA
        self.expect_public(received, self.old_closing + EXTRA)
        box = self.find("main .downloads", "the download links (.downloads)")
        for kind, (media, magic) in DOWNLOADS.items():
            href = f"{PUBLIC_PATH}/files/{kind}"
            links = [a for a in box.find_elements(By.CSS_SELECTOR, "a[href]") if path_of_href(a) == href]
            if not links:
                self.fail(f".downloads should link {href}; it links "
                          f"{[path_of_href(a) for a in box.find_elements(By.CSS_SELECTOR, 'a[href]')]}")
            self.reachable(links[0], f"the {kind.upper()} link")
            body = self.fetch(links[0], kind, media, magic)
            if kind == "xlsx":
                self.workbook_has(body, wan(received))
            else:
                self.pdf_has(body, wan(received))
        self.screenshot(".downloads")

    def fetch(self, link, kind, media, magic):
        """GETs a link's address with the browser's cookies: 200, the content type and the first bytes. A 503 (the
        PDF printers busy) is asked again after its Retry-After, three times at most."""
        url = urljoin(self.driver.current_url, link.get_attribute("href"))
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        path = urlparse(url).path
        for attempt in range(4):
            request = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})
            began = time.time()
            try:
                with urllib.request.urlopen(request, timeout=120) as r:
                    status, headers, body = r.status, r.headers, r.read()
                break
            except urllib.error.HTTPError as e:
                if e.code == 503 and attempt < 3:
                    wait = min(int(e.headers.get("Retry-After") or "10"), 30)
                    print(f"  {path}: 503, asked again in {wait} s")
                    time.sleep(wait)
                    continue
                self.fail(f"{kind.upper()} {path} answered {e.code}, expected 200 ({e.read()[:200]!r})")
            except (urllib.error.URLError, TimeoutError) as e:
                self.fail(f"{kind.upper()} {path} could not be fetched: {e}")
        shown = headers.get("Content-Type", "")
        print(f"  {path}: {status}, {shown}, {headers.get('Content-Disposition', '')}, {len(body)} bytes in "
              f"{time.time() - began:.1f} s, starts {body[:8]!r}")
        if status != 200 or shown.split(";")[0].strip() != media:
            self.fail(f"{kind.upper()} {path} should answer 200 {media}; it answered {status} {shown!r}")
        if not body.startswith(magic):
            self.fail(f"{kind.upper()} {path} should start with {magic!r}; it starts with {body[:16]!r}")
        return body

    def workbook_has(self, data, figure):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
                found = [n for n in sheets if f"<v>{figure}</v>" in z.read(n).decode("utf-8", "replace")]
        except zipfile.BadZipFile as e:
            self.fail(f"the XLSX is not a ZIP file: {e}")
        print(f"  XLSX: {len(sheets)} sheets; {figure} (万元) in {found}")
        if not found:
            self.fail(f"no sheet of the public XLSX holds the new 本年收入 {figure} (万元)")

    def pdf_has(self, data, figure):
        exe = shutil.which("pdftotext")
        if not exe:
            print("  PDF: pdftotext not found; its text not read")
            return
        with tempfile.TemporaryDirectory(prefix="fz-final-pdf-") as work:
            path = os.path.join(work, "final.pdf")
            with open(path, "wb") as f:
                f.write(data)
            r = subprocess.run([exe, "-layout", path, "-"], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            self.fail(f"pdftotext could not read the public PDF: {r.stderr.strip()[:300]}")
        found = "found" if figure in r.stdout else "MISSING"
        print(f"  PDF: {len(r.stdout)} characters of text; {figure} (万元) {found}")
        if figure not in r.stdout:
            self.fail(f"the public PDF's text lacks the new 本年收入 {figure} (万元)")

    def run(self):
        self.server.start(iso_z(self.start))
        for step in (self.open, self.break_identity, self.invalid, self.publish, self.downloads):
            began = time.time()
            step()
            print(f"PASS {self.number:02d} {self.step_name} ({time.time() - began:.1f} s)")


def main():
    return story_main(Story, __doc__, "final flow", 8106, now=DEFAULT_NOW)


if __name__ == "__main__":
    sys.exit(main())
