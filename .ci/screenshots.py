#!/usr/bin/env python3
"""Browser screenshots of a running Fuzheng server, for CI (called by .ci/run, phase 3).

For each viewport (390x844 phone, 1280x800 desktop) it opens a fresh headless Chromium and saves
  portal-<w>x<h>.png   the public portal  (/)
  login-<w>x<h>.png    the login page     (/login)
  home-<w>x<h>.png     the home page      (/home) after logging in through the form
  budget-<w>x<h>.png   the 2023 budget of unit 434001 (/units/434001/budgets/2023), read-only with its findings
  disclosure-<w>x<h>.png  the public disclosure page (/disclosures/434001/2023)
Each page is checked: the title does not start with an HTTP error code ("404 · …"), the page has an
<h1>, no element has class "alert error", and after logging in the URL ends with /home. Any failure
exits with status 1 and a message naming the page (a failure-<page>-<viewport>.png is saved to help).
Pages wider than the viewport (horizontal scrolling) are reported as warnings.

Uses Debian's chromium and chromedriver (never downloads a browser):
    python3 .ci/screenshots.py --base http://127.0.0.1:8091 --out ci-artifacts/screenshots
"""
import argparse
import os
import re
import sys
from urllib.parse import urlparse

# Selenium Manager must not try to download drivers or browsers.
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

VIEWPORTS = [(390, 844), (1280, 800)]
ERROR_TITLE = re.compile(r"^\s*\d{3}\s*·")
PAGE_TIMEOUT = 30


class PageCheckFailed(Exception):
    pass


def make_driver(args, width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                 "--disable-extensions", "--lang=zh-CN", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    service = Service(executable_path=args.chromedriver)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    driver.set_window_size(width, height)
    # Exact CSS viewport whatever the window chrome; mobile=True makes the phone size honour <meta viewport>.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
    })
    return driver


def check_page(driver, what):
    """Raises PageCheckFailed unless the current page looks like a successfully rendered page."""
    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
    except TimeoutException:
        raise PageCheckFailed(f"{what}: page did not finish loading within {PAGE_TIMEOUT} s")
    title = driver.title or ""
    if ERROR_TITLE.match(title):
        raise PageCheckFailed(f"{what}: error page, title {title!r} (URL {driver.current_url})")
    h1 = driver.find_elements(By.TAG_NAME, "h1")
    if not h1:
        raise PageCheckFailed(f"{what}: no <h1> on the page (title {title!r}, URL {driver.current_url})")
    errors = [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, ".alert.error")]
    if errors:
        raise PageCheckFailed(f"{what}: error message shown: {' | '.join(errors)!r} (URL {driver.current_url})")
    return title, h1[0].text.strip()


def layout_warnings(driver, what, width):
    """Horizontal overflow at the given viewport width: the usual sign of a broken phone layout."""
    result = driver.execute_script("""
        const doc = document.documentElement, cw = doc.clientWidth;
        const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
        const flagged = [];
        for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            // the box itself sticks out, or its content (e.g. a long word) spills out of a non-scrolling box
            const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'
                           && r.left + el.scrollWidth > cw + 1;
            if (r.right > cw + 1 || spills) flagged.push([el, Math.round(Math.max(r.right, r.left + el.scrollWidth))]);
        }
        // report the innermost culprits, not every ancestor
        const inner = flagged.filter(([el]) => !flagged.some(([other]) => other !== el && el.contains(other)));
        return {scrollWidth: doc.scrollWidth, clientWidth: cw,
                wide: inner.slice(0, 5).map(([el, right]) => name(el) + ' (to ' + right + 'px)')};
    """)
    if result["scrollWidth"] > result["clientWidth"] + 1:
        print(f"  WARNING {what}: page is {result['scrollWidth']} px wide in a {result['clientWidth']} px viewport "
              f"(horizontal scrolling); overflowing: {', '.join(result['wide']) or 'unknown'}")
        return 1
    return 0


def shoot(driver, out_dir, name):
    path = os.path.join(out_dir, name)
    if not driver.save_screenshot(path):
        raise PageCheckFailed(f"could not save screenshot {path}")
    print(f"  saved {os.path.abspath(path)}")
    return path


def visit(driver, base, path, what):
    try:
        driver.get(base + path)
    except TimeoutException:
        raise PageCheckFailed(f"{what}: {base + path} did not load within {PAGE_TIMEOUT} s")
    except WebDriverException as e:
        raise PageCheckFailed(f"{what}: could not open {base + path}: {e.msg}")
    return check_page(driver, what)


def run_viewport(args, width, height, saved):
    size = f"{width}x{height}"
    print(f"viewport {size}")
    warnings = 0
    driver = make_driver(args, width, height)
    step = "portal"
    try:
        # Public portal, not logged in.
        title, h1 = visit(driver, args.base, "/", f"portal (/) at {size}")
        print(f"  portal: title {title!r}, h1 {h1!r}")
        warnings += layout_warnings(driver, f"portal at {size}", width)
        saved.append(shoot(driver, args.out, f"portal-{size}.png"))

        step = "login"
        title, h1 = visit(driver, args.base, "/login", f"login page (/login) at {size}")
        print(f"  login: title {title!r}, h1 {h1!r}")
        warnings += layout_warnings(driver, f"login at {size}", width)
        saved.append(shoot(driver, args.out, f"login-{size}.png"))

        step = "home"
        try:
            username = driver.find_element(By.NAME, "username")
            password = driver.find_element(By.NAME, "password")
        except WebDriverException:
            raise PageCheckFailed(f"login page at {size}: no username/password fields")
        if not driver.find_elements(By.CSS_SELECTOR, "form input[name=_csrf]"):
            raise PageCheckFailed(f"login page at {size}: the form has no _csrf field")
        username.clear()
        username.send_keys(args.user)
        password.clear()
        password.send_keys(args.password)
        form = username.find_element(By.XPATH, "./ancestor::form")
        form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
        # A failed login re-renders /login with an error alert instead of redirecting; stop waiting on either.
        try:
            WebDriverWait(driver, PAGE_TIMEOUT).until(
                lambda d: urlparse(d.current_url).path != "/login" or d.find_elements(By.CSS_SELECTOR, ".alert.error"))
        except TimeoutException:
            raise PageCheckFailed(f"logging in as {args.user} at {size}: still on /login after {PAGE_TIMEOUT} s")
        errors = [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, ".alert.error")]
        if errors:
            raise PageCheckFailed(f"logging in as {args.user} at {size} failed: {' | '.join(errors)!r} "
                                  f"(URL {driver.current_url})")
        title, h1 = check_page(driver, f"page after logging in as {args.user} at {size}")
        if not urlparse(driver.current_url).path.rstrip("/").endswith("/home"):
            raise PageCheckFailed(f"logging in as {args.user} at {size}: landed on {driver.current_url}, "
                                  f"expected /home (title {title!r})")
        print(f"  home:  title {title!r}, h1 {h1!r}")
        warnings += layout_warnings(driver, f"home at {size}", width)
        saved.append(shoot(driver, args.out, f"home-{size}.png"))

        # The demo budget of the user's unit, read-only, with its findings panel.
        step = "budget"
        title, h1 = visit(driver, args.base, "/units/434001/budgets/2023", f"budget page at {size}")
        if not driver.find_elements(By.ID, "findings"):
            raise PageCheckFailed(f"budget page at {size}: no findings panel")
        print(f"  budget: title {title!r}, h1 {h1!r}")
        warnings += layout_warnings(driver, f"budget at {size}", width)
        saved.append(shoot(driver, args.out, f"budget-{size}.png"))

        # The public portal's disclosure page (no login needed; the session does not change it).
        step = "disclosure"
        title, h1 = visit(driver, args.base, "/disclosures/434001/2023", f"public disclosure page at {size}")
        if not driver.find_elements(By.CSS_SELECTOR, "article.disclosure table.data"):
            raise PageCheckFailed(f"public disclosure page at {size}: no disclosure tables")
        print(f"  disclosure: title {title!r}, h1 {h1!r}")
        warnings += layout_warnings(driver, f"disclosure at {size}", width)
        saved.append(shoot(driver, args.out, f"disclosure-{size}.png"))
    except PageCheckFailed:
        try:
            shot = os.path.join(args.out, f"failure-{step}-{size}.png")
            driver.save_screenshot(shot)
            print(f"  failure screenshot: {os.path.abspath(shot)}", file=sys.stderr)
        except WebDriverException:
            pass
        raise
    finally:
        driver.quit()
    return warnings


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8091", help="server base URL")
    parser.add_argument("--out", default="ci-artifacts/screenshots", help="folder for the PNG files")
    parser.add_argument("--user", default="caiwu")
    parser.add_argument("--password", default="Fuzheng@2023")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    args.base = args.base.rstrip("/")
    os.makedirs(args.out, exist_ok=True)

    for exe in (args.chromium, args.chromedriver):
        if not os.access(exe, os.X_OK):
            print(f"screenshots: {exe} not found (apt-get install chromium chromium-driver)", file=sys.stderr)
            return 1

    saved, warnings = [], 0
    try:
        for width, height in VIEWPORTS:
            warnings += run_viewport(args, width, height, saved)
    except PageCheckFailed as e:
        print(f"screenshots FAILED: {e}", file=sys.stderr)
        return 1
    except WebDriverException as e:
        print(f"screenshots FAILED: browser error: {e.msg or e}", file=sys.stderr)
        return 1

    print(f"{len(saved)} screenshots in {os.path.abspath(args.out)}"
          + (f" ({warnings} layout warning(s) above)" if warnings else ""))
    for path in saved:
        print(os.path.abspath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
