#!/usr/bin/env python3
"""Browser screenshots of a running Fuzheng server, for CI (called by .ci/run, phase 3).

For each viewport (390x844 phone, 1280x800 desktop) it opens a fresh headless Chromium and saves
  portal-<w>x<h>.png   the public portal  (/)
  login-<w>x<h>.png    the login page     (/login)
  home-<w>x<h>.png     the home page      (/home) after logging in through the form
  budget-<w>x<h>.png   the 2023 budget of unit 434001 (/units/434001/budgets/2023), read-only with its findings
  disclosure-<w>x<h>.png  the public disclosure page (/disclosures/434001/2023)
  execution-<w>x<h>.png   预算执行 of unit 434001 in 2023 (/execution/units/434001?year=2023): the demo's payments
                          put its projects in every colour (red, yellow and green must all be there)
Each page is checked: the title does not start with an HTTP error code ("404 · …"), the page has an
<h1>, no element has class "alert error", and after logging in the URL ends with /home. Any failure
exits with status 1 and a message naming the page (a failure-<page>-<viewport>.png is saved to help).
Pages wider than the viewport (horizontal scrolling) are reported as warnings.

Uses Debian's chromium and chromedriver (never downloads a browser):
    python3 .ci/screenshots.py --base http://127.0.0.1:8091 --out ci-artifacts/screenshots
"""
import argparse
import os
import sys

from browser import (PageCheckFailed, add_browser_arguments, failure_shot, layout_warnings, log_in,
                     make_driver, missing_browser, shoot, visit)
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

VIEWPORTS = [(390, 844), (1280, 800)]


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
        title, h1 = log_in(driver, args.base, args.user, args.password, f"home at {size}")
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

        # 预算执行: the demo's 2023 payments show every colour.
        step = "execution"
        title, h1 = visit(driver, args.base, "/execution/units/434001?year=2023", f"execution page at {size}")
        for colour in ("red", "yellow", "green"):
            if not driver.find_elements(By.CSS_SELECTOR, f"#projects li.work-item.{colour}"):
                raise PageCheckFailed(f"execution page at {size}: no {colour} project")
        print(f"  execution: title {title!r}, h1 {h1!r}")
        warnings += layout_warnings(driver, f"execution at {size}", width)
        saved.append(shoot(driver, args.out, f"execution-{size}.png"))

        # The public portal's disclosure page (no login needed; the session does not change it).
        step = "disclosure"
        title, h1 = visit(driver, args.base, "/disclosures/434001/2023", f"public disclosure page at {size}")
        if not driver.find_elements(By.CSS_SELECTOR, "article.disclosure table.data"):
            raise PageCheckFailed(f"public disclosure page at {size}: no disclosure tables")
        print(f"  disclosure: title {title!r}, h1 {h1!r}")
        warnings += layout_warnings(driver, f"disclosure at {size}", width)
        saved.append(shoot(driver, args.out, f"disclosure-{size}.png"))
    except PageCheckFailed:
        shot = failure_shot(driver, args.out, f"failure-{step}-{size}.png")
        if shot:
            print(f"  failure screenshot: {shot}", file=sys.stderr)
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
    add_browser_arguments(parser)
    args = parser.parse_args()
    args.base = args.base.rstrip("/")
    os.makedirs(args.out, exist_ok=True)

    exe = missing_browser(args)
    if exe:
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
