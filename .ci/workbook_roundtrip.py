#!/usr/bin/env python3
"""The budget workbook (issue 12) through the tools people use, for CI (called by .ci/run, phase 5b).

Against a server that has just loaded the demo data:

  1. caiwu creates the 2024 budget from 2023 and downloads /units/434001/budgets/2024/workbook.xlsx
  2. LibreOffice re-saves it (soffice --headless --convert-to xlsx: shared strings, its own styles and XML);
     uploaded, the re-saved file must preview as "no changes" (the import reads it as the same budget)
  3. openpyxl edits the re-saved file as a person would: 一般公共预算拨款 becomes 20118900.50 stored as a double a
     few ulps off (float noise, e.g. 20118900.500000005), 基本工资 becomes the text "2,580,000.50 ", 公务接待费 a
     double just below 2115000.30; the noise must really be in the sheet XML
  4. the upload's preview must list the three new values; confirming saves them (303 to the budget page)
  5. the budget page shows the new figures (万元: 2011.89 and 258.00) and the workbook downloaded again holds
     them to the fen
  6. a workbook with a word in an amount cell is refused (HTTP 422) with its sheet, row and column named, and
     the budget's version does not move

    python3 .ci/workbook_roundtrip.py --base http://127.0.0.1:8098 --out ci-artifacts/workbook
"""
import argparse
import http.client
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fzci import Client, DrillFailed, Response, csrf_of, log, log_in  # noqa: E402

import openpyxl  # noqa: E402

TAG = "workbook"
UNIT, YEAR = "434001", "2024"
BUDGET = f"/units/{UNIT}/budgets/{YEAR}"
MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadClient(Client):
    """fzci's Client, plus a multipart upload as a browser's file form sends it."""

    def upload(self, path, fields, file_name, data):
        boundary = "----fz" + uuid.uuid4().hex
        body = b""
        for key, value in fields.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n").encode()
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n"
                 f"Content-Type: {MEDIA}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Connection": "close", "Content-Type": f"multipart/form-data; boundary={boundary}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        started = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request("POST", path, body=body, headers=headers)
            r = conn.getresponse()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read(), time.monotonic() - started)
        finally:
            conn.close()


def expect(condition, message):
    if not condition:
        raise DrillFailed(message)


def text_of(response):
    """The page's words without markup, shortened, for a failure message."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[:1500]


def hidden(name, html):
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    return m.group(1) if m else None


def version_of(client):
    """The budget's version as the budget page states it (版本 N)."""
    page = client.get(BUDGET)
    m = re.search(r"第\s*(\d+)\s*版", page.text)
    expect(m, f"no version on the budget page (HTTP {page.status})")
    return int(m.group(1))


def download(client, path):
    r = client.get(BUDGET + "/workbook.xlsx")
    expect(r.status == 200 and r.body[:2] == b"PK", f"workbook download: HTTP {r.status}, {len(r.body)} bytes")
    expect(f'filename="budget-{UNIT}-{YEAR}.xlsx"' in r.headers.get("content-disposition", ""),
           f"file name: {r.headers.get('content-disposition')}")
    with open(path, "wb") as f:
        f.write(r.body)
    return path


def resave_with_libreoffice(source, out_dir, work):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    expect(soffice, "LibreOffice (soffice) is not installed")
    os.makedirs(out_dir, exist_ok=True)
    profile = "file://" + os.path.join(work, "lo-profile")
    started = time.monotonic()
    p = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out_dir, source],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
    target = os.path.join(out_dir, os.path.basename(source))
    expect(p.returncode == 0 and os.path.exists(target),
           f"soffice failed ({p.returncode}): {p.stdout.decode('utf-8', 'replace')[-800:]}")
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
    # LibreOffice writes text as shared strings, unlike the platform's inline strings.
    expect("xl/sharedStrings.xml" in names, f"the re-saved file has no shared strings: {names}")
    log(TAG, f"LibreOffice re-saved the workbook in {time.monotonic() - started:.1f} s -> {target}")
    return target


def find_row(sheet, heading, label):
    """(row of the line whose column `heading` says `label`, {heading text: column}) under the heading row."""
    for row in sheet.iter_rows():
        texts = {str(c.value).split("\n")[0].strip(): c.column for c in row if isinstance(c.value, str)}
        if heading in texts:
            columns = texts
            for r in range(row[0].row + 1, sheet.max_row + 1):
                if str(sheet.cell(r, columns[heading]).value or "").strip() == label:
                    return r, columns
    raise DrillFailed(f"sheet {sheet.title}: no line {label} under a heading {heading}")


def below(x, steps=2):
    for _ in range(steps):
        x = math.nextafter(x, -math.inf)
    return x


def above(x, steps=2):
    for _ in range(steps):
        x = math.nextafter(x, math.inf)
    return x


def edit_with_openpyxl(source, target):
    wb = openpyxl.load_workbook(source)
    revenue = wb["收入"]
    r, cols = find_row(revenue, "收入来源", "一般公共预算拨款")
    noisy_revenue = above(20118900.50)
    revenue.cell(r, cols["金额（元）"]).value = noisy_revenue
    spending = wb["支出"]
    r, cols = find_row(spending, "科目名称", "基本工资")
    spending.cell(r, cols["金额（元）"]).value = "2,580,000.50 "
    three = wb["三公经费"]
    r, cols = find_row(three, "项目", "公务接待费")
    noisy_reception = below(2115000.30)
    three.cell(r, cols["金额（元）"]).value = noisy_reception
    wb.save(target)
    # The point is float noise in the file: the stored text must have more than two decimals.
    with zipfile.ZipFile(target) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    written = []
    for value in (noisy_revenue, noisy_reception):
        # openpyxl prints 16 significant digits, not repr: look for the whole part with more than two decimals.
        m = re.search(rf"<v>({int(value)}\.\d{{3,}})</v>", xml)
        expect(m, f"float noise near {value!r} is not in the saved sheets")
        written.append(m.group(1))
    log(TAG, f"openpyxl wrote {written[0]}, {written[1]} and the text '2,580,000.50 '")
    return target


def upload(client, path, data, name):
    form = client.get(BUDGET + "/workbook")
    token = csrf_of(form.text)
    expect(form.status == 200 and token, f"upload form: HTTP {form.status}")
    return client.upload(BUDGET + "/workbook", {"_csrf": token}, name, data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    url = urllib.parse.urlparse(args.base)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fz-ci-workbook.")
    try:
        caiwu = UploadClient(url.hostname, url.port, "caiwu")
        log_in(caiwu, "caiwu")
        _, page = caiwu.follow(f"/units/{UNIT}/budgets/new")
        r = caiwu.post(f"/units/{UNIT}/budgets/new", {"_csrf": csrf_of(page.text), "year": YEAR, "source": "copy"})
        expect(r.status == 303 and r.location == BUDGET, f"creating {YEAR}: HTTP {r.status} -> {r.location}")
        expect(f"{BUDGET}/workbook.xlsx" in caiwu.get(BUDGET).text, "no workbook link on the budget page")

        original = download(caiwu, os.path.join(args.out, f"budget-{UNIT}-{YEAR}.xlsx"))
        resaved = resave_with_libreoffice(original, os.path.join(args.out, "libreoffice"), work)
        with open(resaved, "rb") as f:
            same = upload(caiwu, BUDGET + "/workbook", f.read(), "resaved.xlsx")
        expect(same.status == 200 and "工作簿中的数据与当前预算相同" in same.text,
               f"the LibreOffice copy should import as the same budget (HTTP {same.status}): " + text_of(same))
        log(TAG, "the LibreOffice copy reads back as the same budget")

        edited = edit_with_openpyxl(resaved, os.path.join(args.out, "edited.xlsx"))
        version = version_of(caiwu)
        with open(edited, "rb") as f:
            preview = upload(caiwu, BUDGET + "/workbook", f.read(), "edited.xlsx")
        expect(preview.status == 200, f"preview: HTTP {preview.status}: " + text_of(preview))
        for shown in ("20118900.50", "2580000.50", "2115000.30"):
            expect(shown in preview.text, f"the preview does not list {shown}")
        digest, form_version = hidden("digest", preview.text), hidden("version", preview.text)
        expect(digest and form_version == str(version), f"preview form: digest {digest}, version {form_version}")
        r = caiwu.post(BUDGET + "/workbook/confirm", {"_csrf": csrf_of(preview.text), "digest": digest,
                                                      "version": form_version})
        expect(r.status == 303 and r.location == BUDGET, f"confirm: HTTP {r.status} -> {r.location}")
        page = caiwu.get(BUDGET).text
        expect("已从 Excel 工作簿导入并保存" in page, "no confirmation message on the budget page")
        for figure in ("2011.89", "258.00"):
            expect(f">{figure}<" in page, f"the budget page does not show {figure} (万元)")
        expect(version_of(caiwu) == version + 1, "the import did not save exactly one new version")

        again = download(caiwu, os.path.join(args.out, "after-import.xlsx"))
        wb = openpyxl.load_workbook(again)
        checks = [("收入", "收入来源", "一般公共预算拨款", 20118900.50), ("支出", "科目名称", "基本工资", 2580000.50),
                  ("三公经费", "项目", "公务接待费", 2115000.30)]
        for sheet, heading, label, wanted in checks:
            r, cols = find_row(wb[sheet], heading, label)
            got = wb[sheet].cell(r, cols["金额（元）"]).value
            expect(got == wanted, f"{sheet} {label}: {got!r} after the import, wanted {wanted!r}")
        log(TAG, "saved to the fen: " + ", ".join(f"{c[2]} {c[3]:.2f}" for c in checks))

        wb = openpyxl.load_workbook(again)
        r, cols = find_row(wb["收入"], "收入来源", "一般公共预算拨款")
        wb["收入"].cell(r, cols["金额（元）"]).value = "两千万"
        letter = openpyxl.utils.get_column_letter(cols["金额（元）"])
        broken = os.path.join(args.out, "broken.xlsx")
        wb.save(broken)
        before = version_of(caiwu)
        with open(broken, "rb") as f:
            refused = upload(caiwu, BUDGET + "/workbook", f.read(), "broken.xlsx")
        place = f"工作表“收入”第 {r} 行 {letter} 列〔金额（元）〕：“两千万”不是金额（元）"
        expect(refused.status == 422 and place in refused.text,
               f"broken cell: HTTP {refused.status}, wanted “{place}”: " + text_of(refused))
        expect(version_of(caiwu) == before, "a refused workbook changed the budget")
        log(TAG, f"a word in an amount is refused at {letter}{r} and nothing is saved")
        log(TAG, "all six steps passed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except DrillFailed as e:
        print(f"{TAG}: FAIL: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
