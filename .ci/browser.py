"""Shared Selenium helpers for the CI browser scripts (.ci/screenshots.py, .ci/budget_flow.py).

Uses Debian's chromium and chromedriver (never downloads a browser). Every check that fails raises
PageCheckFailed with a message naming the page and its URL; the scripts turn that into exit status 1.
"""
import os
import re
from urllib.parse import urlparse

# Selenium Manager must not try to download drivers or browsers.
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException, TimeoutException, WebDriverException)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ERROR_TITLE = re.compile(r"^\s*\d{3}\s*·")
PAGE_TIMEOUT = 30


class PageCheckFailed(Exception):
    pass


def add_browser_arguments(parser):
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")


def missing_browser(args):
    """The first of chromium/chromedriver that is not an executable file, or None."""
    for exe in (args.chromium, args.chromedriver):
        if not os.access(exe, os.X_OK):
            return exe
    return None


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


def alerts(driver, kind):
    """Texts of the visible flash/alert boxes of one kind ("error", "success", …)."""
    return [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, f".alert.{kind}")]


def check_page(driver, what, allow_error=False):
    """Raises PageCheckFailed unless the current page looks like a successfully rendered page.

    allow_error=True accepts an error alert on the page (for steps where a refusal is the expected outcome)."""
    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
    except TimeoutException:
        raise PageCheckFailed(f"{what}: page did not finish loading within {PAGE_TIMEOUT} s")
    title = driver.title or ""
    if ERROR_TITLE.match(title):
        # The error page explains itself in its first paragraph (e.g. "表单已过期或无效…" for a CSRF rejection).
        detail = driver.find_elements(By.CSS_SELECTOR, "main p")
        detail = f", page says {detail[0].text.strip()!r}" if detail and detail[0].text.strip() else ""
        raise PageCheckFailed(f"{what}: error page, title {title!r}{detail} (URL {driver.current_url})")
    h1 = driver.find_elements(By.TAG_NAME, "h1")
    if not h1:
        raise PageCheckFailed(f"{what}: no <h1> on the page (title {title!r}, URL {driver.current_url})")
    errors = alerts(driver, "error")
    if errors and not allow_error:
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


def failure_shot(driver, out_dir, name):
    """Best-effort screenshot of the page a check failed on (never raises)."""
    try:
        path = os.path.join(out_dir, name)
        if driver.save_screenshot(path):
            return os.path.abspath(path)
    except WebDriverException:
        pass
    return None


def visit(driver, base, path, what, allow_error=False):
    try:
        driver.get(base + path)
    except TimeoutException:
        raise PageCheckFailed(f"{what}: {base + path} did not load within {PAGE_TIMEOUT} s")
    except WebDriverException as e:
        raise PageCheckFailed(f"{what}: could not open {base + path}: {e.msg}")
    return check_page(driver, what, allow_error=allow_error)


def path_of(driver):
    return urlparse(driver.current_url).path


def submit_and_wait(driver, button, what):
    """Clicks a submit button (or link) and waits until the browser has left the current document."""
    old = driver.find_element(By.TAG_NAME, "html")
    try:
        button.click()
    except WebDriverException as e:
        raise PageCheckFailed(f"{what}: could not click {button.text.strip()!r} on {driver.current_url}: "
                              f"{(e.msg or str(e)).splitlines()[0]}")
    def left(_driver):
        # Chromium 156 answers a question about a node of a document already replaced with "Node with given id does
        # not belong to the document" instead of a stale-element error; both mean the page changed.
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            text = e.msg or str(e)
            if "does not belong to the document" in text or "No node with given id" in text:
                return True
            raise

    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(left)
    except TimeoutException:
        raise PageCheckFailed(f"{what}: clicking {button.text.strip()!r} on {driver.current_url} "
                              f"did not load a new page within {PAGE_TIMEOUT} s")


def log_in(driver, base, user, password, what):
    """Logs in through the /login form; returns (title, h1) of the page landed on (must be /home)."""
    visit(driver, base, "/login", f"{what}: login page (/login)")
    try:
        username = driver.find_element(By.NAME, "username")
        password_field = driver.find_element(By.NAME, "password")
    except WebDriverException:
        raise PageCheckFailed(f"{what}: login page has no username/password fields")
    if not driver.find_elements(By.CSS_SELECTOR, "form input[name=_csrf]"):
        raise PageCheckFailed(f"{what}: the login form has no _csrf field")
    username.clear()
    username.send_keys(user)
    password_field.clear()
    password_field.send_keys(password)
    form = username.find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
    # A failed login re-renders /login with an error alert instead of redirecting; stop waiting on either.
    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(
            lambda d: path_of(d) != "/login" or d.find_elements(By.CSS_SELECTOR, ".alert.error"))
    except TimeoutException:
        raise PageCheckFailed(f"{what}: logging in as {user}: still on /login after {PAGE_TIMEOUT} s")
    errors = alerts(driver, "error")
    if errors:
        raise PageCheckFailed(f"{what}: logging in as {user} failed: {' | '.join(errors)!r} (URL {driver.current_url})")
    title, h1 = check_page(driver, f"{what}: page after logging in as {user}")
    if not path_of(driver).rstrip("/").endswith("/home"):
        raise PageCheckFailed(f"{what}: logging in as {user} landed on {driver.current_url}, expected /home "
                              f"(title {title!r})")
    return title, h1
