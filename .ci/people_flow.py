#!/usr/bin/env python3
"""Browser acceptance test of the people import, roles, 分管 and 代理, for CI (called by .ci/run, phase 5c).

Drives a headless Chromium (390x844 by default, a phone) against a server that has just loaded the demo data,
typing into fields and clicking buttons like a user (no direct HTTP requests to the platform):

  sysadmin logs in and is sent to /account/2fa: reads the key printed on the page, types the TOTP code and
           enrols (administrators must); goes on to the 工作台
           用户管理 → 导入人员: a CSV and an XLSX whose row 3 gives the role 厨师 are refused with the place named
           (“第 3 行 D 列〔角色〕”), no 确认 button is offered and nobody of either file exists afterwards
           (searching the user list finds no one);
           an XLSX (sheet 人员) with three new people and caiwu2 moved from 436001 to 434001 previews as
           “新建人员 3 人，修改 1 人” with “单位 436001 → 434001”; 确认导入并显示初始密码 shows the first passwords
           (td.password); the user list shows the new people with their roles and caiwu2 in 434001
           searches for bangong, 修改, gives a second role 核稿 (本单位), 保存: the list shows “办公人员、核稿”;
           logs out (退出)
  zhouws   (imported) logs in with the first password and is held on the password change page /account/password
  fxz1     (钱副县长), a fresh browser: 分管单位 lists 436001 and 437001 (departments 436 and 437), not 438001;
           the link to 437001 opens its unit page; 代理: names bangong as deputy (default dates), 确定代理; logs out
  bangong  logs in and the 工作台 says “您正在代理：钱副县长”

A numbered screenshot (01-….png, 02-….png, …) is saved into --out after each step. Every page is checked like in
budget_flow.py (no error page, an <h1>, no unexpected error alert) and must fit the viewport's width (sideways
scrolling of the whole page is a failure). Every field typed into and button clicked must lie inside the
viewport and not be covered by another element. Any unexpected page, missing element or text exits with
status 1, a message naming the step, the URL and what was expected, and a failure-NN-<step>.png.

    python3 .ci/people_flow.py --base http://127.0.0.1:8099 --out ci-artifacts/people-flow-390
"""
import argparse
import os
import re
import sys
import time
from urllib.parse import urlparse

from browser import (PageCheckFailed, add_browser_arguments, alerts, check_page, failure_shot, layout_warnings,
                     log_in, make_driver, missing_browser, path_of, shoot, submit_and_wait, visit)
from fzci import totp
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import openpyxl

WIDTH, HEIGHT = 390, 844
ADMIN = "sysadmin"
HEADER = ["用户名", "姓名", "单位代码", "角色", "科室", "职务", "状态"]
# The good file: three new people and caiwu2 (陈会计, demo unit 436001) moved to 434001.
PEOPLE = [
    ["zhouws", "周文书", "434001", "文书（本科室）；信息员", "文电科", "科员", "在职"],
    ["liudc", "刘督查", "434001", "督查室（全县）", "督查室", "督查员", "在职"],
    ["wufxz", "吴新副县长", "434001", "领导（分管：438、439）", "", "副县长", "在职"],
    ["caiwu2", "陈会计", "434001", "单位财务", "", "", "在职"],
]
NEW_PEOPLE = {"zhouws": "文书、信息员", "liudc": "督查室", "wufxz": "领导"}
MOVED = ("caiwu2", "单位 436001 → 434001")
SUMMARY = "新建人员 3 人，修改 1 人"
# The broken files: a valid row 2, and row 3 whose role is not a role of the platform.
BROKEN = [
    ["zhaocs", "赵采购", "434001", "办公人员", "", "", "在职"],
    ["chushi", "钱师傅", "434001", "厨师", "", "", "在职"],
]
BROKEN_PLACE = "第 3 行 D 列〔角色〕"
CONFIRM = "确认导入并显示初始密码"
LEADER, LEADER_NAME = "fxz1", "钱副县长"
OVERSEEN, NOT_OVERSEEN = ["436001", "437001"], "438001"
DEPUTY = "bangong"
DEPUTY_ROLES = "办公人员、核稿"
DEPUTY_BANNER = f"您正在代理：{LEADER_NAME}"


class Flow:
    def __init__(self, args):
        self.args = args
        self.base = args.base
        self.driver = None
        self.number = 0
        self.step_name = "start"
        self.saved = []
        self.warnings = 0
        self.first_password = None

    # ---------------------------------------------------------------- plumbing (as in budget_flow.py)

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

    def choose(self, select, value, what):
        self.reachable(select, what)
        Select(select).select_by_value(value)
        if select.get_attribute("value") != value:
            self.fail(f"chose {value!r} in {what} but it holds {select.get_attribute('value')!r}")

    def submit_button(self, text, missing, prefix=False):
        """The page's form button reading `text` (or starting with it); fails with `missing` when there is none."""
        found = [b for b in self.driver.find_elements(By.CSS_SELECTOR, "main form button[type=submit]")
                 if b.text.strip() == text or (prefix and b.text.strip().startswith(text))]
        if not found:
            self.fail(missing)
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

    def main_text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    # ---------------------------------------------------------------- app-specific

    def sign_in(self, user, password, landing):
        """The /login form, for users who are not let through to /home (enrolment, first password)."""
        d = self.driver
        visit(d, self.base, "/login", f"step {self.number:02d} {self.step_name}: login page")
        self.check("login page /login")
        self.type_into(self.find("form input[name=username]", "username field"), user, "the 用户名 field")
        self.type_into(self.find("form input[name=password]", "password field"), password, "the 密码 field")
        form = d.find_element(By.NAME, "username").find_element(By.XPATH, "./ancestor::form")
        self.click(self.find("button[type=submit]", "the login button", within=form), "the 登录 button")
        self.check(f"page after logging in as {user}")
        self.expect_path(landing, f"logging in as {user}")
        name = d.find_elements(By.CSS_SELECTOR, "header .user-name")
        print(f"  logged in as {user} ({name[0].text.strip() if name else '?'}): {path_of(d)}")

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

    def user_rows(self):
        """The user list's rows as {username: [cell texts]}."""
        rows = {}
        for tr in self.driver.find_elements(By.CSS_SELECTOR, "main table.data tbody tr"):
            cells = [td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
            if cells:
                rows[cells[0]] = cells
        return rows

    def search_users(self, query):
        """Types into the user list's search box and clicks 搜索; returns the rows found."""
        form = self.find("main form.search", "search form on the user list")
        self.type_into(self.find("input[name=q]", "search box", within=form), query, "the search box")
        self.click(self.find("button[type=submit]", "搜索 button", within=form), "the 搜索 button")
        self.check(f"user list searched for {query!r}")
        self.expect_path("/admin/users", f"searching for {query!r}")
        rows = self.user_rows()
        pager = self.driver.find_elements(By.CSS_SELECTOR, "main nav.pager")
        print(f"  search {query!r}: {sorted(rows) or 'no rows'}"
              + (f" ({pager[0].text.strip()})" if pager else ""))
        return rows

    def upload(self, path, what):
        """On the import page: chooses the file and clicks 预览…"""
        d = self.driver
        self.expect_path("/admin/users/import", f"uploading {what}")
        field = self.find("main form input[type=file][name=file]", "file field (input name=file)")
        self.reachable(field, "the file field")
        field.send_keys(os.path.abspath(path))
        shown = field.get_attribute("value") or ""
        if not shown.endswith(os.path.basename(path)):
            self.fail(f"chose {path} but the file field holds {shown!r}")
        self.click(self.submit_button("预览", "no 预览 button on the import page", prefix=True), "the 预览 button")
        self.check(f"page after uploading {what}", allow_error=True)
        problems = [li.text.strip() for li in d.find_elements(By.CSS_SELECTOR, "#problems li")]
        for p in problems[:10]:
            print(f"  problem: {p}")
        return problems

    def write_files(self):
        """The workbooks and CSV a personnel clerk would prepare, in --out."""
        out = self.args.out
        good = os.path.join(out, "people.xlsx")
        broken_xlsx = os.path.join(out, "people-broken.xlsx")
        broken_csv = os.path.join(out, "people-broken.csv")
        for path, rows in ((good, PEOPLE), (broken_xlsx, BROKEN)):
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "人员"
            sheet.append(HEADER)
            for row in rows:
                sheet.append(row)
            book.save(path)
        with open(broken_csv, "w", encoding="utf-8-sig", newline="") as f:
            for row in [HEADER] + BROKEN:
                f.write(",".join(row) + "\r\n")
        return good, broken_xlsx, broken_csv

    # ---------------------------------------------------------------- the story

    def run(self):
        good, broken_xlsx, broken_csv = self.write_files()
        self.open_browser()
        d = self.driver

        self.step("admin-login", f"{ADMIN} logs in and is sent to enrol a second factor (/account/2fa)")
        self.sign_in(ADMIN, self.args.password, "/account/2fa")
        self.screenshot()

        self.step("admin-enrolled", "reads the key on the page, types the TOTP code, enrols")
        shown = self.find("p.secret code", "the key printed on the enrolment page (p.secret code)").text.strip()
        secret = shown.replace(" ", "")
        if not re.fullmatch(r"[A-Z2-7]{16,}", secret):
            self.fail(f"the key printed on the enrolment page does not look like base32: {shown!r}")
        form = self.find("main form input[name=code]", "code field (input name=code)").find_element(
            By.XPATH, "./ancestor::form")
        if time.time() % 30 > 26:  # not a code that expires while the form is on its way
            time.sleep(30 - time.time() % 30 + 0.5)
        self.type_into(self.find("input[name=code]", "code field", within=form), totp(secret), "the 验证码 field")
        self.click(self.find("button[type=submit]", "the enrolment form's button", within=form),
                   "the enrolment form's button")
        self.check("page after enrolling")
        codes = [c.text.strip() for c in d.find_elements(By.CSS_SELECTOR, "main li code")]
        print(f"  enrolled; {len(codes)} recovery codes shown")
        self.screenshot()

        self.step("admin-home", "on to the 工作台")
        home = [a for a in d.find_elements(By.CSS_SELECTOR, "main a[href], header nav a[href]")
                if path_of_href(a) == "/home"]
        if not home:
            self.fail("no link to /home after enrolling")
        self.click(home[0], f"the link {home[0].text.strip()!r} to /home")
        self.check("工作台 /home")
        self.expect_path("/home", "going on after enrolling")
        self.screenshot()

        self.step("users", "用户管理 in the header's navigation")
        self.click(self.nav_link("用户管理", "/admin/users"), "the 用户管理 link")
        self.check("user list /admin/users")
        self.expect_path("/admin/users", "following 用户管理")
        before = self.user_rows()
        if "caiwu2" not in before or not before["caiwu2"][3].startswith("436001"):
            self.fail(f"the demo's caiwu2 should be listed in unit 436001; row: {before.get('caiwu2')}")
        self.screenshot()

        for path, kind in ((broken_csv, "CSV"), (broken_xlsx, "XLSX")):
            self.step(f"import-broken-{kind.lower()}", f"导入人员: a {kind} whose row 3 gives the role 厨师")
            self.click(self.link_to("/admin/users/import", "导入人员"), "the 导入人员 button")
            self.check("import page /admin/users/import")
            problems = self.upload(path, f"the broken {kind}")
            place = [p for p in problems if BROKEN_PLACE in p and "厨师" in p]
            if not place:
                self.fail(f"the page should name the place {BROKEN_PLACE!r} and the value 厨师; problems: {problems}")
            if kind == "XLSX" and not any(f"工作表“人员”{BROKEN_PLACE}" in p for p in problems):
                self.fail(f"the problem should name the sheet: 工作表“人员”{BROKEN_PLACE}; problems: {problems}")
            if not alerts(d, "error"):
                self.fail("the refused file is not announced with an error message")
            confirm = [b.text.strip() for b in d.find_elements(By.CSS_SELECTOR, "main form button[type=submit]")
                       if b.text.strip().startswith("确认")]
            if confirm or d.find_elements(By.CSS_SELECTOR, "main button[name=deliver]"):
                self.fail(f"a file with problems must not be offered for confirmation; buttons {confirm}")
            self.screenshot(focus="#problems")

            self.step(f"nothing-saved-{kind.lower()}", "用户管理: searching finds nobody of the refused file")
            self.click(self.nav_link("用户管理", "/admin/users"), "the 用户管理 link")
            self.check("user list /admin/users")
            for username, *_ in BROKEN:
                if username in self.search_users(username):
                    self.fail(f"{username} of the refused {kind} exists after the refusal")
            self.screenshot()

        self.step("import-preview", "导入人员: the good XLSX previews 3 new people and caiwu2 moved")
        self.click(self.link_to("/admin/users/import", "导入人员"), "the 导入人员 button")
        self.check("import page /admin/users/import")
        problems = self.upload(good, "people.xlsx")
        if problems:
            self.fail(f"the good workbook is refused: {problems}")
        summary = self.find("main #summary", "summary line (#summary)").text.strip()
        print(f"  summary: {summary}")
        if SUMMARY not in summary:
            self.fail(f"the summary should say {SUMMARY!r}, it says {summary!r}")
        creates = [tr.find_elements(By.TAG_NAME, "td")[0].text.strip()
                   for tr in d.find_elements(By.CSS_SELECTOR, "#creates tbody tr")]
        if sorted(creates) != sorted(NEW_PEOPLE):
            self.fail(f"新建人员 should list {sorted(NEW_PEOPLE)}, it lists {creates}")
        updates = {}
        for tr in d.find_elements(By.CSS_SELECTOR, "#updates tbody tr"):
            cells = [td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
            updates[cells[0]] = cells[-1]
        print(f"  修改: {updates}")
        if MOVED[1] not in updates.get(MOVED[0], ""):
            self.fail(f"修改人员 should list {MOVED[0]} with {MOVED[1]!r}; it lists {updates}")
        self.screenshot(focus="#summary")
        self.screenshot(focus="#updates", suffix="-updates")

        self.step("import-done", f"{CONFIRM}: the first passwords, shown once")
        self.click(self.submit_button(CONFIRM, f"no {CONFIRM} button on the preview"), f"the {CONFIRM} button")
        self.check("page after confirming the import")
        self.expect_flash("新建人员 3 人，修改 1 人")
        passwords = {}
        for tr in d.find_elements(By.CSS_SELECTOR, "#passwords tbody tr"):
            cells = tr.find_elements(By.TAG_NAME, "td")
            cell = tr.find_elements(By.CSS_SELECTOR, "td.password")
            if cells and cell:
                passwords[cells[0].text.strip()] = cell[0].text.strip()
        if sorted(passwords) != sorted(NEW_PEOPLE):
            self.fail(f"first passwords should be shown for {sorted(NEW_PEOPLE)}, shown for {sorted(passwords)}")
        self.first_password = passwords["zhouws"]
        if len(self.first_password) < 8:
            self.fail(f"zhouws's first password {self.first_password!r} is shorter than 8 characters")
        print(f"  first passwords shown for {', '.join(sorted(passwords))}")
        self.screenshot(focus="#passwords")

        self.step("imported-listed", "返回用户列表: the new people with their roles, caiwu2 in 434001")
        self.click(self.link_to("/admin/users", "返回用户列表"), "the 返回用户列表 button")
        self.check("user list /admin/users")
        for username, roles in NEW_PEOPLE.items():
            rows = self.search_users(username)
            if username not in rows:
                self.fail(f"the imported {username} is not found by searching the user list")
            if rows[username][2] != roles or not rows[username][3].startswith("434001"):
                self.fail(f"{username} should be listed with roles {roles!r} in 434001; row: {rows[username]}")
        rows = self.search_users(MOVED[0])
        if not rows.get(MOVED[0], ["", "", "", ""])[3].startswith("434001"):
            self.fail(f"{MOVED[0]} should now be listed in unit 434001; row: {rows.get(MOVED[0])}")
        self.screenshot()

        self.step("second-role", f"{DEPUTY} → 修改: a second role 核稿 (本单位), 保存")
        rows = self.search_users(DEPUTY)
        if DEPUTY not in rows:
            self.fail(f"searching for {DEPUTY} does not find them")
        self.click(self.link_to(f"/admin/users/{DEPUTY}/edit", "修改"), f"the 修改 link of {DEPUTY}")
        self.check(f"user form /admin/users/{DEPUTY}/edit")
        self.expect_path(f"/admin/users/{DEPUTY}/edit", "following 修改")
        role1 = self.find("main select[name=role1]", "second role row's role (select role1)")
        if role1.get_attribute("value"):
            self.fail(f"{DEPUTY}'s second role row should be empty, it holds {role1.get_attribute('value')!r}")
        self.choose(role1, "checker", "the 角色 2 select")
        self.choose(self.find("main select[name=scope1]", "second role row's scope (select scope1)"), "unit",
                    "the second 范围 select")
        self.screenshot(focus=".role-rows", suffix="-form")
        self.click(self.submit_button("保存", "no 保存 button on the user form"), "the 保存 button")
        self.check("page after saving the user")
        self.expect_path("/admin/users", f"saving {DEPUTY}")
        rows = self.search_users(DEPUTY)
        if rows.get(DEPUTY, ["", "", ""])[2] != DEPUTY_ROLES:
            self.fail(f"{DEPUTY}'s roles should read {DEPUTY_ROLES!r}; row: {rows.get(DEPUTY)}")
        print(f"  {DEPUTY}: {rows[DEPUTY][2]}")
        self.screenshot()
        self.log_out()

        self.step("first-password", "zhouws logs in with the first password: held on /account/password")
        self.sign_in("zhouws", self.first_password, "/account/password")
        if not d.find_elements(By.CSS_SELECTOR, "main form input[type=password]"):
            self.fail("the password change page has no password fields")
        self.screenshot()
        visit(d, self.base, "/home", f"step {self.number:02d} {self.step_name}: /home before changing the password")
        self.check("page instead of /home")
        self.expect_path("/account/password", "opening /home before changing the first password")
        print("  /home leads back to /account/password")

        self.step("oversight", f"a fresh browser: {LEADER} ({LEADER_NAME}) logs in, 分管单位")
        self.open_browser()
        d = self.driver
        self.log_in(LEADER)
        self.click(self.nav_link("分管单位", "/oversight"), "the 分管单位 link")
        self.check("分管单位 /oversight")
        self.expect_path("/oversight", "following 分管单位")
        listed = sorted({path_of_href(a).rsplit("/", 1)[-1]
                         for a in d.find_elements(By.CSS_SELECTOR, "main a[href^='/units/']")
                         if re.fullmatch(r"/units/\d{6}", path_of_href(a))})
        print(f"  units listed: {listed}")
        for code in OVERSEEN:
            if code not in listed:
                self.fail(f"分管单位 should list unit {code}; it lists {listed}")
        if NOT_OVERSEEN in listed or NOT_OVERSEEN in self.main_text():
            self.fail(f"分管单位 must not show {NOT_OVERSEEN} (not among {LEADER}'s units)")
        self.screenshot()

        self.step("overseen-unit", f"the link to {OVERSEEN[1]} opens its unit page")
        link = [a for a in d.find_elements(By.CSS_SELECTOR, "main a[href]")
                if path_of_href(a) == f"/units/{OVERSEEN[1]}"]
        if not link:
            self.fail(f"分管单位 has no link to /units/{OVERSEEN[1]}")
        self.click(link[0], f"the link to {OVERSEEN[1]}")
        _, h1 = self.check(f"unit page /units/{OVERSEEN[1]}")
        self.expect_path(f"/units/{OVERSEEN[1]}", f"following {OVERSEEN[1]}")
        if OVERSEEN[1] not in h1:
            self.fail(f"the unit page's heading {h1!r} does not name {OVERSEEN[1]}")
        self.screenshot()

        self.step("delegation", f"代理: {DEPUTY} deputises (default dates), 确定代理")
        self.click(self.link_to("/account/delegations", "代理", where="header a[href], main a[href]"),
                   "the 代理 link")
        self.check("代理 /account/delegations")
        self.expect_path("/account/delegations", "following 代理")
        form = self.find("main form#new", "the 新建代理 form (form#new)")
        for name in ("starts", "ends"):
            value = self.find(f"input[name={name}]", f"{name} field", within=form).get_attribute("value")
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
                self.fail(f"the {name} date should be filled in (YYYY-MM-DD), it holds {value!r}")
        self.type_into(self.find("input[name=deputy]", "deputy field", within=form), DEPUTY, "the 代理人 field")
        self.click(self.find("button[type=submit]", "确定代理 button", within=form), "the 确定代理 button")
        self.check("page after 确定代理")
        self.expect_path("/account/delegations", "naming a deputy")
        given = self.find("main #given", "the 我委托的 section (#given)").text
        if f"（{DEPUTY}）" not in given:
            self.fail(f"我委托的 should list the deputy {DEPUTY}: {given!r}")
        for tr in d.find_elements(By.CSS_SELECTOR, "main #given tbody tr"):
            print(f"  我委托的: {' | '.join(td.text.strip() for td in tr.find_elements(By.TAG_NAME, 'td'))}")
        self.screenshot(focus="#given")
        self.log_out()

        self.step("deputy-home", f"{DEPUTY} logs in: the 工作台 says {DEPUTY_BANNER!r}")
        self.log_in(DEPUTY)
        banner = [e.text.strip() for e in d.find_elements(By.CSS_SELECTOR, ".acting-for")]
        if not any(DEPUTY_BANNER in b for b in banner):
            self.fail(f"the 工作台 should say {DEPUTY_BANNER!r} (in .acting-for); it shows {banner or 'no banner'}")
        print(f"  banner: {banner[0]}")
        self.screenshot()
        self.log_out()

    def link_to(self, href, text, where="main a[href]"):
        """The link (or button-styled link) to href whose text starts with text."""
        for a in self.driver.find_elements(By.CSS_SELECTOR, where):
            if path_of_href(a) == href and a.text.strip().lstrip("← ").startswith(text):
                return a
        self.fail(f"no link {text!r} to {href}")


def path_of_href(a):
    return urlparse(a.get_attribute("href") or "").path


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8099", help="server base URL (fresh demo data)")
    parser.add_argument("--out", default="ci-artifacts/people-flow", help="folder for the PNG and upload files")
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
        print(f"people_flow: {exe} not found (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 1

    flow = Flow(args)
    status = 0
    try:
        flow.run()
    except PageCheckFailed as e:
        print(f"people_flow FAILED: {e}", file=sys.stderr)
        status = 1
    except WebDriverException as e:
        print(f"people_flow FAILED in step {flow.number:02d} {flow.step_name}: browser error: {e.msg or e}",
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
        print(f"people flow passed: {flow.number} steps")
    return status


if __name__ == "__main__":
    sys.exit(main())
