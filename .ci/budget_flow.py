#!/usr/bin/env python3
"""Browser acceptance test of budget preparation and approval, for CI (called by .ci/run, phase 5).

Drives a headless Chromium at phone size (390x844) through the whole story against a server that has just
loaded the demo data (unit 434001 with its published 2023 budget), typing into fields and clicking buttons
like a user (no direct HTTP requests):

  caiwu    logs in, creates the 2024 budget from 2023 (unit page → 新建年度预算 → 创建),
           opens the e-government project (13073023P00005210005Q), sets 预算数 to 520 万元 and saves:
           the project form lists the sum finding (“…对应支出行合计500万元…”) and the budget page counts
           errors (> 0); 提交审批 is refused (“预算仍有错误，更正后才能继续流转。”);
           sets 预算数 back to 500, sees 错误 0 项, submits (提交审批) and logs out
  fuzeren  logs in, sees the unread badge in the header and the message in /inbox, 单位审批通过, logs out
  shenhe   logs in, 财政审核通过, then 财政批复 (“已批复”), logs out
  caiwu    logs in, 公开 → 确认公开 → the public page /disclosures/434001/2024 (“已公开。”), logs out
  anyone   a fresh browser (no session) opens /disclosures/434001/2024 and finds the 2024 figures

A numbered screenshot (01-….png, 02-….png, …) is saved into --out after each step; every page is also
checked like in screenshots.py (no error page, an <h1>, no unexpected error alert); pages wider than the
phone viewport and an expected message shown in the wrong style (e.g. a refusal as "alert success") are
reported as warnings. Every field typed into and button clicked must lie inside the 390 px viewport and not
be covered by another element. Any unexpected page, missing element or text exits with status 1,
a message naming the step, the URL and what was expected, and a failure-NN-<step>.png.

    python3 .ci/budget_flow.py --base http://127.0.0.1:8093 --out ci-artifacts/budget-flow
"""
import argparse
import os
import re
import sys
from urllib.parse import urlparse

from browser import (PageCheckFailed, add_browser_arguments, alerts, check_page, failure_shot, layout_warnings,
                     log_in, make_driver, missing_browser, path_of, shoot, submit_and_wait, visit)
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

WIDTH, HEIGHT = 390, 844
UNIT = "434001"
OLD_YEAR, YEAR = "2023", "2024"
PROJECT = "13073023P00005210005Q"  # 电子政务平台建设资金, 500 万元 in 2023
BUDGET_PATH = f"/units/{UNIT}/budgets/{YEAR}"
PROJECT_PATH = f"{BUDGET_PATH}/projects/{PROJECT}"
PUBLIC_PATH = f"/disclosures/{UNIT}/{YEAR}"
SUM_FINDING = "对应支出行合计500万元"
ENGLISH_PAGES = ["/home", f"/units/{UNIT}", BUDGET_PATH, f"/units/{UNIT}/budgets/{OLD_YEAR}", "/inbox",
                 "/disclosures", "/account/password"]
# Words the platform writes itself (navigation, buttons, labels, table headers, tags, hints) must not be Chinese in
# the English rendering; data (names of units, people, projects; texts a unit wrote) may be, and sits elsewhere.
# The public disclosure document is Chinese by nature and is not among these pages.
CHINESE_IN_CHROME = """
    const cjk = /[\u4e00-\u9fff]/;
    const picks = document.querySelectorAll('nav a, button, label, th, .tag, .hint, summary, legend, option');
    return Array.from(picks).map(e => e.innerText.trim()).filter(t => cjk.test(t));
"""
WORKBOOK_USE = "用于电子政务平台建设与运行维护（经Excel工作簿修改）"
CONFIRMED_STEPS = {"unit_approve", "finance_review", "finance_approve", "send_back"}
STALE_FINDING = f"写有“2022年”，早于{YEAR}年预算年度"
STILL_ERRORS = "预算仍有错误，更正后才能继续流转。"
FINDINGS_HEADING = re.compile(r"检查结果：错误\s*(\d+)\s*项，其他提示\s*(\d+)\s*项")
PUBLIC_TEXTS = [f"{YEAR}年预算收入2001.89万元", "电子政务平台建设资金"]
PUBLIC_PROJECT_FACTS = {"项目编码": PROJECT, "预算数": "500.00", "其中：财政资金": "500.00"}


class Flow:
    def __init__(self, args):
        self.args = args
        self.base = args.base
        self.driver = None
        self.number = 0
        self.step_name = "start"
        self.saved = []
        self.warnings = 0

    # ---------------------------------------------------------------- plumbing

    def open_browser(self):
        if self.driver is not None:
            self.driver.quit()
        self.driver = make_driver(self.args, WIDTH, HEIGHT)

    def close(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None

    def step(self, name, description):
        self.number += 1
        self.step_name = name
        print(f"step {self.number:02d} {name}: {description}")

    def fail(self, message):
        raise PageCheckFailed(f"step {self.number:02d} {self.step_name}: {message} (URL {self.driver.current_url})")

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
        self.warnings += layout_warnings(d, f"step {self.number:02d} {self.step_name} ({path_of(d)})", WIDTH)
        self.saved.append(shoot(d, self.args.out, f"{self.number:02d}-{self.step_name}{suffix}.png"))

    def failure_screenshot(self):
        if self.driver is None:
            return None
        return failure_shot(self.driver, self.args.out, f"failure-{self.number:02d}-{self.step_name}.png")

    def check(self, what, allow_error=False):
        result = check_page(self.driver, f"step {self.number:02d} {self.step_name}: {what}", allow_error=allow_error)
        # Every page the story visits must fit the viewport: sideways scrolling of the whole page is a failure.
        if layout_warnings(self.driver, f"step {self.number:02d} {self.step_name} ({path_of(self.driver)})", WIDTH):
            self.fail(f"{what}: the page is wider than the {WIDTH} px viewport")
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
        """Scrolls the element to the middle of the viewport and checks a phone user can see it (not off to
        the side, not covered by something else such as a sticky bar)."""
        d = self.driver
        d.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", element)
        box = d.execute_script("""
            const el = arguments[0], r = el.getBoundingClientRect(), cw = document.documentElement.clientWidth;
            // the middle of the first line box (a wrapped link's bounding box also covers the gaps between lines)
            const line = el.getClientRects()[0] || r;
            const top = document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
            const other = !!top && top !== el && !el.contains(top) && !top.contains(el);
            return {left: r.left, right: r.right, width: r.width, height: r.height, cw: cw,
                    covered: other ?
                        top.tagName.toLowerCase() + (top.className ? '.' + String(top.className).trim().split(/\\s+/).join('.') : '') : null};
        """, element)
        if box["width"] == 0 or box["height"] == 0:
            self.fail(f"{what} is not visible (zero size)")
        if box["left"] < -1 or box["right"] > box["cw"] + 1:
            self.fail(f"{what} lies outside the {box['cw']} px wide viewport "
                      f"(left {box['left']:.0f} px, right {box['right']:.0f} px)")
        if box["covered"]:
            self.fail(f"{what} is covered by {box['covered']} at {box['cw']} px width")

    def click(self, element, what):
        self.reachable(element, what)
        submit_and_wait(self.driver, element, f"step {self.number:02d} {self.step_name}")

    def type_into(self, field, text, what):
        self.reachable(field, what)
        field.clear()
        field.send_keys(text)
        value = field.get_attribute("value")
        if value != text:
            self.fail(f"typed {text!r} into {what} but the field holds {value!r}")

    def submit_button(self, text, missing):
        """The page's form button reading exactly `text`; fails with `missing` when there is none."""
        found = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "main form button[type=submit]")
                 if b.text.strip() == text]
        if not found:
            self.fail(missing)
        return found[0]

    def find(self, css, what, within=None):
        els = (within or self.driver).find_elements(By.CSS_SELECTOR, css)
        if not els:
            self.fail(f"no {what} ({css})")
        return els[0]

    def link(self, text, href_suffix, what):
        """The link with this exact text whose href ends with href_suffix."""
        for a in self.driver.find_elements(By.CSS_SELECTOR, "main a[href]"):
            if a.text.strip() == text and (a.get_attribute("href") or "").split("?")[0].endswith(href_suffix):
                return a
        self.fail(f"no link {text!r} to …{href_suffix} ({what})")

    # ---------------------------------------------------------------- app-specific checks

    def log_in(self, user):
        title, h1 = log_in(self.driver, self.base, user, self.args.password,
                           f"step {self.number:02d} {self.step_name}")
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

    def open_budget_from_home(self):
        """From any page: the header's 本单位 link, then the budget's link on the unit page."""
        nav = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "header nav a[href]")
               if (a.get_attribute("href") or "").endswith(f"/units/{UNIT}")]
        if nav:
            self.click(nav[0], "the 本单位 link in the header")
            self.check(f"unit page /units/{UNIT}")
            self.expect_path(f"/units/{UNIT}", "following 本单位")
            links = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main a[href]")
                     if (a.get_attribute("href") or "").endswith(BUDGET_PATH)]
            if not links:
                self.fail(f"the unit page has no link to {BUDGET_PATH}")
            self.click(links[0], f"the link to the {YEAR} budget")
        else:
            # Users outside the unit (the finance bureau) have no 本单位 link: open the budget by its address.
            visit(self.driver, self.base, BUDGET_PATH, f"step {self.number:02d} {self.step_name}: budget page")
        self.check(f"budget page {BUDGET_PATH}")
        self.expect_path(BUDGET_PATH, "opening the budget")

    def error_count(self):
        heading = self.find("section#findings h2", "findings panel heading on the budget page").text.strip()
        m = FINDINGS_HEADING.search(heading)
        if not m:
            self.fail(f"findings heading {heading!r} does not read “检查结果：错误 N 项，其他提示 M 项”")
        print(f"  findings: {heading}")
        return int(m.group(1))

    def stage(self):
        current = self.driver.find_elements(By.CSS_SELECTOR, "section#workflow ol.stepper li.current")
        return current[0].text.strip() if current else None

    def expect_stage(self, expected):
        stage = self.stage()
        if stage != expected:
            self.fail(f"workflow stage should be {expected!r}, the stepper shows {stage!r}")
        print(f"  workflow stage: {stage}")

    def workflow_action(self, action, button_text, comment, allow_error=False):
        forms = self.driver.find_elements(By.CSS_SELECTOR, "section#workflow form")
        available = []
        for form in forms:
            hidden = form.find_elements(By.CSS_SELECTOR, "input[name=action]")
            value = hidden[0].get_attribute("value") if hidden else None
            available.append(value)
            if value != action:
                continue
            button = self.find("button[type=submit]", f"submit button of the {action} form", within=form)
            if button.text.strip() != button_text:
                self.fail(f"the {action} button reads {button.text.strip()!r}, expected {button_text!r}")
            self.type_into(self.find("textarea[name=comment]", f"comment box of the {action} form", within=form),
                           comment, f"the comment box of {button_text}")
            self.click(button, f"the {button_text} button")
            self.check(f"page after clicking {button_text}", allow_error=allow_error)
            if action in CONFIRMED_STEPS:
                self.confirm_step(button_text)
            return
        self.fail(f"no workflow form for action {action!r} ({button_text}); actions offered: {available}")

    def confirm_step(self, button_text):
        """Approving and returning ask again, on a page that shows what changed: read it, then confirm."""
        d = self.driver
        for section in ("changes-previous", "changes-last-year"):
            if not d.find_elements(By.CSS_SELECTOR, f"section#{section} h2"):
                self.fail(f"the confirmation page of {button_text} has no section #{section}")
        rows = d.find_elements(By.CSS_SELECTOR, "section#changes-last-year table.changes tbody tr")
        print(f"  confirmation page: {len(rows)} change(s) against last year shown")
        if not rows:
            self.fail(f"the confirmation page of {button_text} shows no change against last year")
        self.screenshot(focus="section#changes-last-year", suffix="-confirm")
        button = self.submit_button(f"确认{button_text}", f"no 确认{button_text} button on the confirmation page")
        self.click(button, f"the 确认{button_text} button")
        self.check(f"page after 确认{button_text}")

    def project_findings(self):
        return [li.text.strip() for li in self.driver.find_elements(By.CSS_SELECTOR, "section#findings li")]

    def procurement_through_picker(self):
        from selenium.webdriver.support.ui import WebDriverWait
        d = self.driver
        self.click(self.link("修改政府采购", f"{BUDGET_PATH}/procurement", "budget page"), "修改政府采购")
        self.check("procurement form")
        rows = d.find_elements(By.CSS_SELECTOR, "tbody.proc-line")
        if not rows:
            self.fail("the procurement form has no line rows (tbody.proc-line)")
        last = len(rows) - 1
        def item_names():
            return [e.get_attribute("value")
                    for e in d.find_elements(By.CSS_SELECTOR, "tbody.proc-line input[id$='-item']")]
        before = item_names()
        code = self.find(f"#line-{last}-code", "the new row's catalog field")
        self.reachable(code, "the new row's catalog field")
        code.click()
        code.send_keys("a4cs")
        try:
            WebDriverWait(d, 10).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, f"#catalog-suggest-{last} li[role=option]"))
        except Exception:
            self.fail("typing 'a4cs' into the catalog field shows no suggestions")
        options = d.find_elements(By.CSS_SELECTOR, f"#catalog-suggest-{last} li[role=option]")
        chosen = [o for o in options if "A4彩色打印机" in o.text] or options
        chosen[0].click()
        filled = {f: d.find_element(By.ID, f"line-{last}-{f}").get_attribute("value") for f in ("code", "item", "uom")}
        print(f"  picked in place: {filled}")
        if not filled["code"].startswith("A") or not filled["item"]:
            self.fail(f"choosing a suggestion did not fill code and name in place: {filled}")
        self.screenshot(suffix="-picked")
        Select(d.find_element(By.ID, f"line-{last}-project")).select_by_index(1)
        self.type_into(d.find_element(By.ID, f"line-{last}-quantity"), "1", "the quantity")
        self.type_into(d.find_element(By.ID, f"line-{last}-price"), "0.3", "the unit price")
        self.click(self.find(".form-actions button.primary", "the 保存 button"), "保存")
        self.check("procurement form after 保存")
        self.expect_flash("已保存。")
        items = item_names()
        if items.count(filled["item"]) != before.count(filled["item"]) + 1:
            self.fail(f"the saved form does not list the new line {filled['item']!r}")
        # Delete it again (the last line of that name), so the rest of the story works on the budget as copied.
        index = len(items) - 1 - items[::-1].index(filled["item"])
        box = self.find(f"tbody#line-{index} input[type=checkbox][name$='[delete]']", "the new line's 删除 box")
        self.reachable(box, "the 删除 box")
        box.click()
        self.click(self.find(".form-actions button.primary", "the 保存 button"), "保存")
        self.check("procurement form after deleting the line")
        self.expect_flash("已保存。")
        if item_names().count(filled["item"]) != before.count(filled["item"]):
            self.fail("the new line is still there after 删除")
        visit(d, self.base, BUDGET_PATH, f"step {self.number:02d} {self.step_name}: back to the budget")
        self.check(f"budget page {BUDGET_PATH}")
        self.open_findings()

    def import_edited_workbook(self):
        """Downloads the budget's workbook with the browser's session, changes a project's 资金用途 with openpyxl,
        uploads it through the import form, reads the preview and confirms."""
        import tempfile
        import urllib.request
        import openpyxl
        d = self.driver
        link = self.find(f"main a[href='{BUDGET_PATH}/workbook.xlsx']", "the workbook download link")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
        request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookies})
        with urllib.request.urlopen(request, timeout=30) as r:
            data = r.read()
        work = tempfile.mkdtemp(prefix="fz-flow-workbook-")
        original = os.path.join(work, "original.xlsx")
        with open(original, "wb") as f:
            f.write(data)
        wb = openpyxl.load_workbook(original)
        sheet = wb["项目"]
        done = False
        for row in sheet.iter_rows():
            headings = {str(c.value).split("\n")[0].strip(): c.column for c in row if isinstance(c.value, str)}
            if "项目代码" in headings and "资金用途" in headings:
                for r in range(row[0].row + 1, sheet.max_row + 1):
                    if str(sheet.cell(r, headings["项目代码"]).value or "").strip() == PROJECT:
                        sheet.cell(r, headings["资金用途"]).value = WORKBOOK_USE
                        done = True
                break
        if not done:
            self.fail(f"the downloaded workbook has no row for project {PROJECT} with a 资金用途 column")
        edited = os.path.join(work, f"budget-{UNIT}-{YEAR}-edited.xlsx")
        wb.save(edited)
        self.click(self.link("从 Excel 导入", f"{BUDGET_PATH}/workbook", "budget page"), "从 Excel 导入")
        self.check("workbook import form")
        self.find("main form input[type=file][name=file]", "the file field").send_keys(edited)
        preview = [b for b in d.find_elements(By.CSS_SELECTOR, "main form button[type=submit]")
                   if b.get_attribute("class") and "primary" in b.get_attribute("class")]
        if not preview:
            self.fail("no submit button on the workbook import form")
        self.click(preview[0], "the preview button")
        self.check("workbook preview")
        main = d.find_element(By.TAG_NAME, "main").text
        if WORKBOOK_USE not in main:
            self.fail(f"the preview does not show the new 资金用途 {WORKBOOK_USE!r}")
        self.screenshot(suffix="-preview")
        self.click(self.submit_button("确认导入并保存", "no 确认导入并保存 button on the preview"), "确认导入并保存")
        self.check("page after the import")
        self.expect_path(BUDGET_PATH, "confirming the import")
        self.expect_flash("已从 Excel 工作簿导入并保存。")
        if WORKBOOK_USE not in d.find_element(By.CSS_SELECTOR, f"article#project-{PROJECT}").text:
            self.fail("the budget page does not show the imported 资金用途")
        print(f"  imported: project {PROJECT} 资金用途 → {WORKBOOK_USE}")

    def edit_project_basis(self, old, new):
        """From the budget page: 修改此项目, the first indicator's 指标值确定依据 old → new, 保存."""
        article = self.find(f"article#project-{PROJECT}", f"project {PROJECT} on the budget page")
        links = [a for a in article.find_elements(By.CSS_SELECTOR, "a[href]") if a.text.strip() == "修改此项目"]
        if not links:
            self.fail(f"project {PROJECT} has no 修改此项目 link")
        self.click(links[0], "修改此项目")
        self.check(f"project form {PROJECT_PATH}")
        basis = self.find("form input[name='ind[0][basis]']", "the first indicator's basis (ind[0][basis])")
        if basis.get_attribute("value") != old:
            self.fail(f"the first indicator's basis should hold {old!r}, it holds {basis.get_attribute('value')!r}")
        self.type_into(basis, new, "the basis field")
        save = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "form.edit-form button[type=submit]")
                if b.text.strip() == "保存"]
        if not save:
            self.fail("no 保存 button on the project form")
        self.click(save[0], "the 保存 button")
        self.check("project form after 保存")
        self.expect_flash("已保存。")

    def edit_project_amount(self, old, new):
        """From the budget page: 修改此项目 on the e-government project, 预算数 old → new, 保存."""
        article = self.find(f"article#project-{PROJECT}", f"project {PROJECT} on the budget page")
        links = [a for a in article.find_elements(By.CSS_SELECTOR, "a[href]")
                 if a.text.strip() == "修改此项目"]
        if not links:
            self.fail(f"project {PROJECT} has no 修改此项目 link")
        self.click(links[0], "修改此项目")
        self.check(f"project form {PROJECT_PATH}")
        self.expect_path(PROJECT_PATH, "following 修改此项目")
        amount = self.find("form input[name=amount]", "预算数 field (amount)")
        fiscal = self.find("form input[name=fiscalFunds]", "财政资金 field (fiscalFunds)")
        if amount.get_attribute("value") != old:
            self.fail(f"预算数 should be prefilled with {old!r}, it holds {amount.get_attribute('value')!r}")
        if fiscal.get_attribute("value") != "500":
            self.fail(f"财政资金 should hold '500', it holds {fiscal.get_attribute('value')!r}")
        self.type_into(amount, new, "the 预算数 field")
        save = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "form.edit-form button[type=submit]")
                if b.text.strip() == "保存"]
        if not save:
            self.fail("no 保存 button on the project form")
        self.click(save[0], "the 保存 button")
        self.check("project form after 保存")
        self.expect_path(PROJECT_PATH, "saving the project")
        self.expect_flash("已保存。")
        value = self.find("form input[name=amount]", "预算数 field after saving").get_attribute("value")
        if value != new:
            self.fail(f"after saving, 预算数 holds {value!r}, expected {new!r}")
        findings = self.project_findings()
        for f in findings:
            print(f"  project finding: {f}")
        return findings

    def back_to_budget(self):
        self.click(self.link(f"返回{YEAR}年预算", BUDGET_PATH, "back link on the project form"),
                   f"返回{YEAR}年预算")
        self.check(f"budget page {BUDGET_PATH}")
        self.expect_path(BUDGET_PATH, f"following 返回{YEAR}年预算")
        self.open_findings()

    def open_findings(self):
        """A long list of warnings is folded on the budget page: tap its heading, as a clerk would."""
        for summary in self.driver.find_elements(By.CSS_SELECTOR, "section#findings details:not([open]) > summary"):
            self.reachable(summary, "the folded findings heading")
            summary.click()

    # ---------------------------------------------------------------- the story

    def run(self):
        self.open_browser()
        d = self.driver

        self.step("caiwu-login", "caiwu (单位财务) logs in")
        self.log_in("caiwu")
        self.screenshot()

        self.step("new-budget-form", f"unit page → 新建年度预算: year {YEAR}, start from {OLD_YEAR} (copy)")
        nav = self.find(f"header nav a[href='/units/{UNIT}']", "本单位 link in the header")
        self.click(nav, "the 本单位 link")
        self.check(f"unit page /units/{UNIT}")
        self.click(self.link("新建年度预算", f"/units/{UNIT}/budgets/new", "unit page"), "新建年度预算")
        self.check("new budget form")
        self.expect_path(f"/units/{UNIT}/budgets/new", "following 新建年度预算")
        year = self.find("form input[name=year]", "年度 field (year)")
        if year.get_attribute("value") != YEAR:
            self.fail(f"年度 should be prefilled with {YEAR}, it holds {year.get_attribute('value')!r}")
        self.type_into(year, YEAR, "the 预算年度 field")
        source = self.find("form select[name=source]", "从何开始 select (source)")
        self.reachable(source, "the 从何开始 select")
        Select(source).select_by_value("copy")
        self.screenshot()

        self.step("budget-created", f"创建 → the {YEAR} draft")
        create = [b for b in d.find_elements(By.CSS_SELECTOR, "main form button[type=submit]") if b.text.strip() == "创建"]
        if not create:
            self.fail("no 创建 button on the new budget form")
        self.click(create[0], "the 创建 button")
        self.check("page after 创建")
        self.expect_path(BUDGET_PATH, "creating the budget")
        self.expect_flash("已创建预算草稿。")
        self.expect_stage("草稿")
        self.error_count()
        self.screenshot()

        self.step("stale-year", "a basis copied from an old plan (2022年工作计划) is flagged by the roll-forward check")
        self.edit_project_basis(f"{YEAR}年工作计划", "2022年工作计划")
        self.back_to_budget()
        stale = [li for li in d.find_elements(By.CSS_SELECTOR, "section#findings li") if STALE_FINDING in li.text]
        if not stale:
            self.fail(f"no finding containing {STALE_FINDING!r} after writing 2022年工作计划 into a {YEAR} budget")
        if not stale[0].find_elements(By.CSS_SELECTOR, "a.confirm-link"):
            self.fail("the stale-year finding offers no 确认无误 link")
        print(f"  finding: {stale[0].text.strip()}")
        self.screenshot(focus="section#findings")

        self.step("stale-year-fixed", f"fix it: the basis back to {YEAR}年工作计划; the finding is gone")
        self.edit_project_basis("2022年工作计划", f"{YEAR}年工作计划")
        self.back_to_budget()
        if any(STALE_FINDING in li.text for li in d.find_elements(By.CSS_SELECTOR, "section#findings li")):
            self.fail("the stale-year finding is still listed after fixing the basis")
        self.screenshot(focus="section#findings")

        self.step("workbook-import", "从 Excel 导入: the workbook, edited as a clerk would, previews its change and saves")
        self.import_edited_workbook()
        self.screenshot()

        self.step("procurement-picker", "修改政府采购: a new line chosen from the catalog in place (typing 'a4cs'), saved, "
                                        "then deleted again")
        self.procurement_through_picker()

        self.step("project-520", f"修改此项目 {PROJECT}: 预算数 500 → 520 万元, 保存")
        findings = self.edit_project_amount("500", "520")
        if not any(SUM_FINDING in f for f in findings):
            self.fail(f"the project's findings should include one containing {SUM_FINDING!r}; found {findings}")
        self.screenshot(focus="section#findings")

        self.step("budget-has-errors", "back on the budget page the findings count errors")
        self.back_to_budget()
        errors = self.error_count()
        if errors <= 0:
            self.fail(f"expected errors after setting the project to 520 万元, the budget page counts {errors}")
        items = [li.text.strip() for li in d.find_elements(By.CSS_SELECTOR, "section#findings li")]
        if not any(SUM_FINDING in t for t in items):
            self.fail(f"the budget's findings should include one containing {SUM_FINDING!r}")
        self.screenshot(focus="section#findings")

        self.step("submit-refused", "提交审批 is refused while there are errors")
        self.workflow_action("submit", "提交审批", "请审批（应被拒绝：仍有错误）", allow_error=True)
        self.expect_path(BUDGET_PATH, "the refused submission")
        self.expect_flash(STILL_ERRORS, kind="error")
        self.expect_stage("草稿")
        self.screenshot()

        self.step("project-500", "修改此项目: 预算数 520 → 500 万元, 保存")
        findings = self.edit_project_amount("520", "500")
        if any(SUM_FINDING in f for f in findings):
            self.fail(f"the finding {SUM_FINDING!r} is still listed after setting 预算数 back to 500: {findings}")
        self.screenshot(focus="section#findings")

        self.step("budget-no-errors", "back on the budget page: 错误 0 项")
        self.back_to_budget()
        errors = self.error_count()
        if errors != 0:
            self.fail(f"expected 错误 0 项 after setting the project back to 500 万元, the budget page counts {errors}")
        self.screenshot(focus="section#findings")

        self.step("submitted", "提交审批")
        self.workflow_action("submit", "提交审批", f"{YEAR}年部门预算草稿已编制完成，请审批。")
        self.expect_path(BUDGET_PATH, "submitting")
        self.expect_stage("已提交")
        if d.find_elements(By.CSS_SELECTOR, "section#workflow input[name=action][value=submit]"):
            self.fail("提交审批 is still offered after submitting")
        self.screenshot(focus="section#workflow")
        self.log_out()

        self.step("fuzeren-badge", "fuzeren (单位负责人) logs in: unread badge in the header")
        self.log_in("fuzeren")
        badge = self.find("header span.badge", "unread badge in the header")
        count = badge.text.strip()
        if not count.isdigit() or int(count) < 1:
            self.fail(f"the header badge should show an unread count ≥ 1, it shows {count!r}")
        print(f"  unread badge: {count}")
        self.screenshot()

        self.step("fuzeren-inbox", "消息 → /inbox lists the submission")
        self.click(self.find("header a.inbox-link", "消息 link in the header"), "the 消息 link")
        self.check("inbox /inbox")
        self.expect_path("/inbox", "following 消息")
        messages = [li.text.strip() for li in d.find_elements(By.CSS_SELECTOR, "main ul.inbox li")]
        for m in messages:
            print(f"  message: {' / '.join(m.splitlines())}")
        if not messages:
            self.fail("the inbox lists no messages")
        if not any(YEAR in m for m in messages):
            self.fail(f"no message in the inbox mentions {YEAR}: {messages}")
        self.screenshot()

        self.step("unit-approved", "单位审批通过")
        inbox_links = [a for a in d.find_elements(By.CSS_SELECTOR, "main ul.inbox a[href]")
                       if path_of_href(a).startswith(BUDGET_PATH) or path_of_href(a).startswith("/inbox/")]
        if inbox_links:
            self.click(inbox_links[0], "the message's link to the budget")
            self.check(f"budget page {BUDGET_PATH}")
            self.expect_path(BUDGET_PATH, "following the message")
        else:
            print("  (the message has no link to the budget; going through 本单位)")
            self.open_budget_from_home()
        self.expect_stage("已提交")
        self.workflow_action("unit_approve", "单位审批通过", "同意，报财政审核。")
        self.expect_path(BUDGET_PATH, "approving in the unit")
        self.expect_stage("单位已审批")
        self.screenshot(focus="section#workflow")
        self.log_out()

        self.step("finance-reviewed", "shenhe (财政审核) logs in: 财政审核通过")
        self.log_in("shenhe")
        self.open_budget_from_home()
        self.expect_stage("单位已审批")
        self.workflow_action("finance_review", "财政审核通过", "审核通过。")
        self.expect_path(BUDGET_PATH, "the finance review")
        self.expect_stage("财政已审核")
        self.screenshot(focus="section#workflow")

        self.log_out()

        self.step("finance-approved", "pifu (a second 财政审核: who reviewed may not approve) logs in: 财政批复")
        self.log_in("pifu")
        self.open_budget_from_home()
        self.expect_stage("财政已审核")
        self.workflow_action("finance_approve", "财政批复", f"批复{YEAR}年部门预算。")
        self.expect_path(BUDGET_PATH, "the finance approval")
        self.expect_flash("已批复")
        self.expect_stage("已批复")
        self.screenshot()
        self.log_out()

        self.step("publish-confirm", "caiwu logs in: 公开 → confirmation page")
        self.log_in("caiwu")
        self.open_budget_from_home()
        self.expect_stage("已批复")
        self.click(self.link("公开", f"{BUDGET_PATH}/publish", "budget page after 财政批复"), "the 公开 button")
        self.check("publish confirmation page")
        self.expect_path(f"{BUDGET_PATH}/publish", "following 公开")
        self.type_into(self.find("main form textarea[name=note]", "公开 note (textarea note)"),
                       f"{YEAR}年部门预算经财政批复后公开。", "the note box")
        self.screenshot()

        self.step("published", "read the warnings, tick the box, 确认公开 → the public disclosure page")
        if not d.find_elements(By.CSS_SELECTOR, "#publish-preview table"):
            self.fail("the publish page shows no preview of the disclosure's tables")
        boxes = d.find_elements(By.CSS_SELECTOR, "main form input[name=acceptWarnings]")
        if d.find_elements(By.CSS_SELECTOR, "#publish-warnings li") and not boxes:
            self.fail("the publish page lists warnings but asks for no confirmation")
        for box in boxes:
            self.reachable(box, "the 'I have read the warnings' box")
            box.click()
            if not box.is_selected():
                self.fail("the 'I have read the warnings' box does not tick")
        self.click(self.submit_button("确认公开", "no 确认公开 button on the publish page"), "the 确认公开 button")
        self.check("page after 确认公开")
        self.expect_path(PUBLIC_PATH, "publishing")
        self.expect_flash("已公开。")
        self.screenshot()
        self.log_out()

        for who in ("fuzeren", "shenhe", "pifu"):
            self.step(f"{who}-badge-cleared", f"{who} logs in after publication: nothing unread about it, nothing waiting")
            self.log_in(who)
            # The demo also has the finance bureau's own 2024 waiting for 财政审核: only this budget must be clear.
            waiting = d.find_elements(By.CSS_SELECTOR, f"#work-budget-waiting li.work-item a[href='{BUDGET_PATH}']")
            if waiting:
                self.fail(f"{who}'s 工作台 still lists {BUDGET_PATH} as waiting after publication")
            visit(d, self.base, "/inbox", f"step {self.number:02d} {self.step_name}: {who}'s inbox")
            unread = [li.text for li in d.find_elements(By.CSS_SELECTOR, "main ul.inbox li.unread")
                      if f"{YEAR}年怀来县人民政府办公室" in li.text]
            if unread:
                self.fail(f"{who} still has unread items about {BUDGET_PATH} after publication: {unread}")
            self.screenshot()
            self.log_out()

        self.step("english", "caiwu in English: the platform's own words on every page visited are English")
        self.log_in("caiwu")
        visit(d, self.base, "/lang/en?back=/home", f"step {self.number:02d} {self.step_name}: switch to English")
        for path in ENGLISH_PAGES:
            visit(d, self.base, path, f"step {self.number:02d} {self.step_name}: {path}")
            self.check(f"{path} in English")
            found = d.execute_script(CHINESE_IN_CHROME)
            if found:
                self.fail(f"{path} in English still shows Chinese in the platform's own words: {found[:8]}")
        print(f"  {len(ENGLISH_PAGES)} pages in English: buttons, labels, headers, tags, navigation all English")
        self.screenshot()
        visit(d, self.base, "/lang/zh?back=/home", f"step {self.number:02d} {self.step_name}: back to Chinese")
        self.log_out()

        self.step("public", f"a fresh browser, not logged in, opens {PUBLIC_PATH}")
        self.open_browser()
        d = self.driver
        title, h1 = visit(d, self.base, PUBLIC_PATH, f"step {self.number:02d} {self.step_name}: public page")
        if d.find_elements(By.CSS_SELECTOR, "header form[action='/logout']"):
            self.fail("the fresh browser is logged in")
        print(f"  public page: title {title!r}, h1 {h1!r}")
        text = d.find_element(By.TAG_NAME, "main").text
        compact = re.sub(r"\s+", "", text)
        for expected in PUBLIC_TEXTS:
            if expected not in compact:
                self.fail(f"the public page does not contain {expected!r}")
            print(f"  found {expected!r}")
        self.check_public_project(d)
        self.screenshot()

    def check_public_project(self, d):
        """The project's table on the public page shows the figures this run left it with (500 万元)."""
        fig = self.find(f"figure#table-project-{PROJECT}", f"table of project {PROJECT} on the public page")
        terms = [e.text.strip() for e in fig.find_elements(By.CSS_SELECTOR, "dl.table-facts dt")]
        values = [e.text.strip() for e in fig.find_elements(By.CSS_SELECTOR, "dl.table-facts dd")]
        facts = dict(zip(terms, values))
        for term, expected in PUBLIC_PROJECT_FACTS.items():
            if facts.get(term) != expected:
                self.fail(f"project {PROJECT} on the public page: {term} should be {expected!r}, "
                          f"shows {facts.get(term)!r}")
        print("  project on the public page: " + "，".join(f"{t} {facts[t]}" for t in PUBLIC_PROJECT_FACTS))


def path_of_href(a):
    return urlparse(a.get_attribute("href") or "").path


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8093", help="server base URL (fresh demo data)")
    parser.add_argument("--out", default="ci-artifacts/budget-flow", help="folder for the PNG files")
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
        print(f"budget_flow: {exe} not found (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 1

    flow = Flow(args)
    status = 0
    try:
        flow.run()
    except PageCheckFailed as e:
        print(f"budget_flow FAILED: {e}", file=sys.stderr)
        status = 1
    except WebDriverException as e:
        print(f"budget_flow FAILED in step {flow.number:02d} {flow.step_name}: browser error: {e.msg or e}",
              file=sys.stderr)
        status = 1
    if status:
        shot = flow.failure_screenshot()
        if shot:
            print(f"  failure screenshot: {shot}", file=sys.stderr)
    flow.close()

    print(f"{len(flow.saved)} screenshots at {WIDTH}x{HEIGHT}"
          + (f" ({flow.warnings} layout warning(s) above)" if flow.warnings else ""))
    for path in flow.saved:
        print(os.path.abspath(path))
    print(f"screenshots folder: {os.path.abspath(args.out)}")
    if status == 0:
        print(f"budget flow passed: {flow.number} steps")
    return status


if __name__ == "__main__":
    sys.exit(main())
