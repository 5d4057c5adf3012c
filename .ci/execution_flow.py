#!/usr/bin/env python3
"""Browser story of 预算执行 and 绩效运行监控 (issue 19), for CI (.ci/run, phase 5i).

Starts the server itself with FUZHENG_ENV=test on SQLite in --data (empty: the first start loads the demo data, whose
2023 budget of 怀来县人民政府办公室 has four projects and a year of payments) and drives a headless Chromium at
--width x --height like a user (typing, choosing, clicking, uploading; no direct HTTP to the platform):

  01 caiwu    (王会计) 预算执行 → 2023: 民兵预备役 is red (half its budget paid by June, nothing since)
  02 caiwu    导入国库支付数据: July 2023 as the treasury exports it (the demo's July rows and a 35,000 元 payment to
              民兵预备役, a CSV made here from Resources/demo/payments-434001-2023.csv); the unit page: 民兵预备役
              now yellow, its rate 85.00% (85,000 of 100,000 元; the year is over, so the plan stands at 100%)
  03 caiwu    综合事务经费 → 绩效运行监控 2023年1-6月: the bound line 及时率 is already filled from the payments
              (资金拨付及时率, a rate); the other lines typed, one 有可能 with its cause and measures; 保存并提交
  04 shenhe   (刘科长) 工作台 → 绩效监控表待审核 → the sheet; 退回修改 with a reason: 填报中
  05 caiwu    工作台 → 绩效监控表被退回 (the reason shown) → the sheet; the cause made precise; 保存并提交
  06 shenhe   审核通过: 财政审核通过, the history lists 提交, 退回修改, 提交, 审核通过
  07 bangong  (张秘书) 满意度调查: a new survey of 434001 (口径 前两级); wenshu, fuzeren and caiwu answer it from the
              工作台's survey list; bangong closes it; caiwu opens 电子政务平台's sheet for 2023年1-6月: the bound
              使用人员满意度 reads the new rate computed here (2 of 3 = 66.66%), no longer the demo's 97.16%

Every page is checked as in incoming_flow.py (no error page, an <h1>, no unexpected error alert, no sideways
scrolling). A screenshot NN-<step>.png is saved into --out after each step. Each step prints PASS or FAIL; the first
failure saves failure-NN-<step>.png and .html, stops the server and exits 1.

    python3 .ci/execution_flow.py --width 390 --height 844 --port 8105 --data DIR --out OUTDIR -- FUZHENG_COMMAND...
"""
import csv
import io
import os
import re
import sys
import time

import incoming_flow as incoming
from browser import log_in, path_of
from incoming_flow import iso_z, path_of_href, story_main
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

PASSWORD = incoming.PASSWORD
FINANCE, REVIEWER, OFFICE, CLERK, HEAD = "caiwu", "shenhe", "bangong", "wenshu", "fuzeren"
NAMES = {FINANCE: "王会计", REVIEWER: "刘科长", OFFICE: "张秘书", CLERK: "郑文书", HEAD: "李主任"}
DEFAULT_NOW = "2027-03-08T01:00:00Z"
UNIT = "434001"
MILITIA, GENERAL, EGOV = "13073023P00005010007L", "13073023P00004610004L", "13073023P00005210005Q"
HERE = os.path.dirname(os.path.abspath(__file__))
DEMO_PAYMENTS = os.path.join(HERE, "..", "Sources", "FuzhengServer", "Resources", "demo", "payments-434001-2023.csv")
POINT = "2023-06-30"
RETURN_REASON = "偏差原因请写明缺编岗位和人数。"
SURVEY_TITLE = "2023年下半年移动办公系统满意度抽样调查"
ANSWERS = {CLERK: "very_satisfied", HEAD: "fair", FINANCE: "satisfied"}  # 前两级: 2 of 3
RATE = re.compile(r"^\d{1,3}\.\d\d%$")


def percent_text(part, whole):
    bp = part * 10_000 // whole
    return f"{bp // 100}.{bp % 100:02d}%"


def july_file(path):
    """The July 2023 export: the demo's July rows as they are, and one more payment to 民兵预备役."""
    with open(DEMO_PAYMENTS, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r and r[3].startswith("2023-07")]
    body.append([UNIT, MILITIA, "训练保障", "2023-07-20", "2023-07-15", "35000.00", "一般公共预算",
                 "商品和服务支出", "企业"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + body)
    with open(path, "w", encoding="utf-8") as f:
        f.write(out.getvalue())
    return len(body)


class Story(incoming.Flow):
    def __init__(self, args, server):
        super().__init__(args, server)
        self.sheet_path = f"/execution/units/{UNIT}/projects/{GENERAL}/monitoring/{POINT}"
        self.egov_path = f"/execution/units/{UNIT}/projects/{EGOV}/monitoring/{POINT}"

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

    def link_to(self, path, what, within=None):
        for a in (within or self.driver).find_elements(By.CSS_SELECTOR, "main a[href]"):
            if path_of_href(a) == path:
                return a
        self.fail(f"no link to {path} ({what})")

    def project_row(self, code):
        """The unit page's row of a project: (colour class, detail text)."""
        for li in self.driver.find_elements(By.CSS_SELECTOR, "#projects li.work-item"):
            a = li.find_elements(By.CSS_SELECTOR, "a[href]")
            if a and path_of_href(a[0]) == f"/execution/units/{UNIT}/projects/{code}":
                classes = li.get_attribute("class").split()
                colour = next((c for c in classes if c in ("red", "yellow", "green")), "?")
                return colour, li.text.strip().replace("\n", " ")
        self.fail(f"the unit page lists no project {code}")

    def open_unit_2023(self):
        self.click(self.nav_link("预算执行", "/execution"), "the 预算执行 link")
        self.check("预算执行")
        chips = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "main .status-chips a") if a.text == "2023"]
        if not chips:
            self.fail("no 2023 chip on the unit's 预算执行 page")
        self.click(chips[0], "the 2023 chip")
        self.check("预算执行 2023")

    def expect_status(self, text):
        shown = self.find("#monitoring-status", "the sheet's status").text.strip()
        if shown != text:
            self.fail(f"the sheet's status should read {text!r}, it reads {shown!r}")
        print(f"  status: {shown}")

    def home_source(self, source, heading, title_part):
        section = self.find(f"main #work-{source}", f"{heading} on the 工作台")
        h2 = self.find("h2", f"heading of {heading}", within=section).text.strip()
        if not h2.startswith(heading):
            self.fail(f"#work-{source} should be headed {heading}, it is headed {h2!r}")
        for li in section.find_elements(By.CSS_SELECTOR, "li.work-item"):
            a = li.find_elements(By.CSS_SELECTOR, "a[href]")
            if a and path_of_href(a[0]) == self.sheet_path and title_part in li.text:
                print(f"  工作台 {h2}: {li.text.strip()!r}")
                return li, a[0]
        self.fail(f"{heading} on the 工作台 lists no {title_part!r} linking to {self.sheet_path}")

    # ---------------------------------------------------------------- steps

    def red(self):
        self.step("red", "caiwu: 预算执行 2023, 民兵预备役 red")
        self.relog(FINANCE)
        self.open_unit_2023()
        colour, text = self.project_row(MILITIA)
        print(f"  民兵预备役: {colour} — {text}")
        if colour != "red":
            self.fail(f"民兵预备役 should be red before the import, it is {colour}")
        self.screenshot("#projects")

    def import_july(self):
        self.step("import", "caiwu: the July 2023 treasury export imported; 民兵预备役 turns yellow")
        path = os.path.abspath(os.path.join(self.args.out, "国库支付明细-2023-07.csv"))
        count = july_file(path)
        self.click(self.find("main .toolbar a.button", "the 导入国库支付数据 button"), "the import button")
        self.check("the import form")
        form = self.find("main form[enctype='multipart/form-data']", "the import form")
        self.type_into(self.find("input[name=year]", "the year field", within=form), "2023", "the year field")
        upload = self.find("input[type=file][name=file]", "the file field", within=form)
        self.reachable(upload, "the file field")
        upload.send_keys(path)
        self.click(self.button("导入", "under the import form", within=form), "the 导入 button")
        self.check("after the import")
        self.expect_flash(f"已导入 {count} 笔支付")
        colour, text = self.project_row(MILITIA)
        print(f"  民兵预备役: {colour} — {text}")
        if colour != "yellow" or "85.00%" not in text:
            self.fail(f"民兵预备役 should now be yellow at 85.00%, it is {colour}: {text!r}")
        self.screenshot("#projects")

    def fill(self):
        self.step("fill", "caiwu: 综合事务经费's 监控表 for 2023年1-6月, the bound 及时率 filled; 保存并提交")
        self.click(self.link_to(f"/execution/units/{UNIT}/projects/{GENERAL}", "综合事务经费"), "综合事务经费")
        self.check("综合事务经费")
        self.click(self.link_to(self.sheet_path, "2023年1-6月 监控表"), "the 2023年1-6月 监控表 link")
        self.check("the 监控表")
        self.expect_path(self.sheet_path, "opening the sheet")
        self.expect_status("填报中")
        bound = self.find("#value-3", "the bound line 及时率's value").text.strip()
        print(f"  及时率 (bound to 资金拨付及时率): {bound}")
        if not RATE.match(bound):
            self.fail(f"the bound 及时率 should show a rate from the payments, it shows {bound!r}")
        form = self.find("form#sheet", "the sheet's form")
        self.type_into(self.find("input[name=forecast]", "全年预计执行数", within=form), "2700000", "全年预计执行数")
        lines = len(form.find_elements(By.CSS_SELECTOR, "fieldset.indicator"))
        for i in range(lines):
            value = form.find_elements(By.CSS_SELECTOR, f"input[name=value_{i}]")
            if value:
                self.type_into(value[0], f"1-6月完成{i + 1}", f"line {i + 1}'s value")
            likelihood = "possible" if i == 1 else "certain"
            self.choose(self.find(f"select[name=likelihood_{i}]", f"line {i + 1}'s likelihood", within=form),
                        likelihood, f"line {i + 1}'s likelihood")
        self.choose(self.find("select[name=cause_1]", "line 2's cause", within=form), "inputs", "line 2's cause")
        self.type_into(self.find("textarea[name=cause_text_1]", "line 2's explanation", within=form),
                       "人员招录延后", "line 2's explanation")
        self.type_into(self.find("textarea[name=measures_1]", "line 2's measures", within=form),
                       "三季度完成招录", "line 2's measures")
        self.click(self.button("保存并提交", "under the sheet", within=form), "保存并提交")
        self.check("after submitting")
        self.expect_flash("监控表已提交财政审核")
        self.expect_status("已提交，待财政审核")
        self.screenshot("#spending")

    def send_back(self):
        self.step("send-back", "shenhe: 工作台 → 绩效监控表待审核 → 退回修改 with a reason")
        self.relog(REVIEWER)
        _, a = self.home_source("monitoring-review", "绩效监控表待审核", "综合事务经费")
        self.click(a, "the 工作台 item")
        self.check("the sheet for review")
        self.expect_path(self.sheet_path, "the 工作台 item")
        form = [f for f in self.driver.find_elements(By.CSS_SELECTOR, "#workflow form")
                if f.find_elements(By.CSS_SELECTOR, "textarea[name=comment]")]
        if not form:
            self.fail("no 退回修改 form with a reason field in #workflow")
        self.type_into(self.find("textarea[name=comment]", "the reason", within=form[0]), RETURN_REASON,
                       "the reason")
        self.click(self.button("退回修改", "in #workflow", within=form[0]), "退回修改")
        self.check("after sending back")
        self.expect_flash("已退回单位修改")
        self.expect_status("填报中")
        self.screenshot("#workflow")

    def resubmit(self):
        self.step("resubmit", "caiwu: 工作台 → 绩效监控表被退回 → the cause made precise; 保存并提交")
        self.relog(FINANCE)
        li, a = self.home_source("monitoring-returned", "绩效监控表被退回", RETURN_REASON)
        self.click(a, "the returned sheet")
        self.check("the returned sheet")
        form = self.find("form#sheet", "the sheet's form")
        self.type_into(self.find("textarea[name=cause_text_1]", "line 2's explanation", within=form),
                       "综合岗缺编2人，招录延至8月", "line 2's explanation")
        self.click(self.button("保存并提交", "under the sheet", within=form), "保存并提交")
        self.check("after resubmitting")
        self.expect_status("已提交，待财政审核")
        self.screenshot("#spending")

    def approve(self):
        self.step("approve", "shenhe: 审核通过; the history has every step")
        self.relog(REVIEWER)
        self.go(self.sheet_path, "the sheet")
        self.click(self.button("审核通过", "in #workflow"), "审核通过")
        self.check("after approving")
        self.expect_flash("监控表审核通过")
        self.expect_status("财政审核通过")
        history = [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, "#workflow ol.history li")]
        print(f"  history: {history}")
        steps = ["审核通过", "提交", "保存", "退回修改", "提交", "保存"]
        found = [next((s for s in ("审核通过", "退回修改", "提交", "保存") if s in h), "?") for h in history]
        if found != steps:
            self.fail(f"the history should read {steps} (newest first), it reads {found}")
        if not any(RETURN_REASON in h for h in history):
            self.fail("the history does not show the reason it was sent back")
        if "综合岗缺编2人" not in self.find("#indicators", "the read-only table").text:
            self.fail("the approved sheet does not show the corrected explanation")
        self.screenshot("#workflow")

    def go(self, path, what):
        from browser import visit
        visit(self.driver, self.base, path, f"step {self.number:02d} {self.step_name}: {what}")
        return self.check(what)

    def survey(self):
        self.step("survey", "a staff survey answered by three people changes the bound 使用人员满意度")
        self.relog(FINANCE)
        self.go(self.egov_path, "电子政务平台's sheet")
        before = self.find("#value-5", "使用人员满意度's value").text.strip()
        print(f"  使用人员满意度 before: {before}")
        self.relog(OFFICE)
        self.go("/surveys", "满意度调查")
        summary = self.find("details#new summary", "the 新建问卷 summary")
        self.reachable(summary, "the 新建问卷 summary")
        summary.click()
        form = self.find("details#new form", "the new survey form")
        self.type_into(self.find("input[name=title]", "the title", within=form), SURVEY_TITLE, "the title")
        self.type_into(self.find("textarea[name=questions]", "the questions", within=form), "总体满意度",
                       "the questions")
        self.choose(self.find("select[name=formula]", "the formula", within=form), "top_two", "the formula")
        units = self.find("select[name='units[]']", "the units", within=form)
        self.reachable(units, "the units list")
        Select(units).select_by_value(UNIT)
        self.click(self.find("button[type=submit]", "the send button", within=form), "the send button")
        self.check("the new survey")
        survey_path = path_of(self.driver)
        for user, level in ANSWERS.items():
            self.relog(user)
            self.go("/surveys", "满意度调查")
            self.click(self.link_to(survey_path, "the survey to answer"), "the survey to answer")
            self.check("the questionnaire")
            choice = self.find(f"input[type=radio][name=q0][value={level}]", f"the answer {level}")
            self.reachable(choice, f"the answer {level}")
            choice.click()
            self.click(self.find("main form#form button[type=submit]", "the answer button"), "the answer button")
            self.check("after answering")
            print(f"  {user} answered {level}")
        self.relog(OFFICE)
        self.go(survey_path, "the survey")
        close = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "main form button[type=submit]")
                 if "结束" in b.text]
        if not close:
            self.fail("no button to close the survey")
        self.click(close[0], "the close button")
        self.check("after closing")
        self.relog(FINANCE)
        self.go(self.egov_path, "电子政务平台's sheet")
        after = self.find("#value-5", "使用人员满意度's value").text.strip()
        wanted = percent_text(2, 3)
        print(f"  使用人员满意度 after: {after} (computed here: {wanted})")
        if after != wanted or after == before:
            self.fail(f"使用人员满意度 should read {wanted} after the survey (it read {before}), it reads {after}")
        self.screenshot("#line-5")

    def run(self):
        self.server.start(iso_z(self.start))
        for step in (self.red, self.import_july, self.fill, self.send_back, self.resubmit, self.approve,
                     self.survey):
            began = time.time()
            step()
            print(f"PASS {self.number:02d} {self.step_name} ({time.time() - began:.1f} s)")


def main():
    return story_main(Story, __doc__, "execution flow", 8105, now=DEFAULT_NOW)


if __name__ == "__main__":
    sys.exit(main())
