#!/usr/bin/env python3
"""Reads back the disclosure exports of `fuzheng export 434001 2023 …` with independent tools (CI, .ci/run phase 4).

DIR must hold what the fuzheng CLI wrote:
    out.docx  out.xlsx  out.pdf  out.html  out.disclosure-json  csv/  datapackage/
    (`fuzheng export 434001 2023 --format F --output DIR/out.F`, csv and datapackage are folders)

The demo data is the 2023 department budget disclosure of 怀来县人民政府办公室部门 (department 434), so the
checks look for known figures: 2001.89 万元 in total, 机关运行经费 291.21 万元, 三公 241.50 万元 (table t07),
procurement 519.92 万元 with 基础软件开发服务 C16010100 500.00.

    DOCX         python-docx opens it; >= 16 real Word tables; a table row with 基础软件开发服务 and C16010100;
                 the 机关运行经费 sentence is a paragraph; word/styles.xml names the eastAsia fonts 仿宋 and 黑体
    XLSX         openpyxl opens it; 16 sheets; the sheet with A1 = 一般公共预算“三公”经费支出表 has the row
                 [2023年预算, 241.5, 30, 0, 0, 0, 211.5] as numbers formatted 0.00; the procurement sheet
                 (A1 = 部门政府采购预算) has 519.92 as a number
    PDF          pdfinfo: >= 2 pages; pdftotext: contains 2001.89 and 机关运行经费 (CJK is text, not tofu)
    HTML         well-formed (xml.etree after removing <!DOCTYPE html>); contains 2023年预算收入2001.89万元
    JSON         valid JSON; 16 tables; table t07-three-public has the row as JSON numbers
    CSV          every CSV parses as UTF-8 (with BOM) with the same number of cells in every row;
                 one CSV per table of the JSON; t07-three-public.csv has the row
    datapackage  Frictionless (offline: any network access is refused and reported) says the package is valid,
                 and the budget-lines resource adds up to 20018900.00 元 of revenue and of expenditure
    codes        in every format, 一般公共预算支出表 has the rows 201 一般公共服务支出, 20103 … and 2010301 行政运行
                 with their subtotals, and 一般公共预算基本支出表 the rows 301 工资福利支出 and 30101 基本工资, each
                 code as text (an XLSX string cell, a JSON string); the headers of amount columns are right-aligned
                 in the XLSX (cell style), the DOCX (paragraph) and the HTML (th class "num")

One line per check (PASS/FAIL/WARN); exit status 1 if any check fails, 2 on bad arguments.

    python3 .ci/check_exports.py --dir ci-artifacts/exports
"""
import argparse
import csv
import io
import json
import math
import re
import shutil
import subprocess
import sys
import traceback
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

TOTAL = 2001.89
MACHINE_SENTENCE = "2023年，我部门机关运行经费共计安排291.21万元"
REVENUE_SENTENCE = "2023年预算收入2001.89万元，其中：一般公共预算收入2001.89万元"
THREE_PUBLIC_TITLE = "一般公共预算“三公”经费支出表"
THREE_PUBLIC_ROW = ["2023年预算", 241.50, 30.00, 0.00, 0.00, 0.00, 211.50]
PROCUREMENT_TITLE = "部门政府采购预算"
PROCUREMENT_TOTAL = 519.92
TABLE_COUNT = 16
# Rows each format must show: title → (table id, [(code, name, 合计 in 万元)]).
CODE_ROWS = {
    "一般公共预算支出表": ("t05-general-public", [("201", "一般公共服务支出", 1720.21),
                                             ("20103", "政府办公厅（室）及相关机构事务", 1720.21),
                                             ("2010301", "行政运行", 930.21)]),
    "一般公共预算基本支出表": ("t06-general-public-basic", [("301", "工资福利支出", 910.68),
                                                     ("30101", "基本工资", 248.00)]),
}


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def close(a, b):
    return isinstance(a, (int, float)) and not isinstance(a, bool) and math.isclose(a, b, abs_tol=0.005)


def squash(text):
    """Text without any whitespace (PDF text is wrapped at arbitrary places)."""
    return re.sub(r"\s+", "", text)


def require_zip(path, kind):
    """DOCX and XLSX are ZIP packages: say so plainly when one is truncated or not a ZIP at all."""
    require(path.is_file(), f"{path} does not exist")
    require(path.stat().st_size > 0, f"{path} is empty")
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            names = set(z.namelist())
    except zipfile.BadZipFile as e:
        raise CheckFailed(f"{path.name} ({path.stat().st_size} bytes) is not a valid {kind} (ZIP) package: {e}") from None
    require(bad is None, f"{path.name}: member {bad} of the ZIP package is corrupt (CRC mismatch)")
    require("[Content_Types].xml" in names, f"{path.name} has no [Content_Types].xml, so it is not an OOXML package")


class Checker:
    def __init__(self):
        self.failures = []
        self.warnings = []

    def run(self, name, fn, *args):
        try:
            detail = fn(*args)
        except CheckFailed as e:
            self.fail(name, str(e))
        except ImportError as e:
            self.fail(name, f"{e} (install the packages of .ci/run's setup step: "
                            "pip install python-docx openpyxl frictionless; apt-get install poppler-utils)")
        except Exception as e:  # noqa: BLE001 - a crash in a reader is a failed check, with the reason
            frame = traceback.extract_tb(e.__traceback__)[-1]
            self.fail(name, f"{type(e).__name__}: {str(e).strip()} (raised at {Path(frame.filename).name}:{frame.lineno})")
        else:
            print(f"PASS  {name}: {detail}", flush=True)

    def fail(self, name, message):
        self.failures.append(name)
        print(f"FAIL  {name}: {message}", flush=True)

    def warn(self, name, message):
        self.warnings.append(name)
        print(f"WARN  {name}: {message}", flush=True)


# ------------------------------------------------------------------------------------------------
# DOCX
# ------------------------------------------------------------------------------------------------
def check_docx(path, checker):
    import docx  # python-docx

    require_zip(path, "DOCX")
    document = docx.Document(str(path))
    tables = document.tables
    require(len(tables) >= TABLE_COUNT, f"{len(tables)} tables, expected at least {TABLE_COUNT}")

    found = None
    for index, table in enumerate(tables):
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            if "基础软件开发服务" in cells and "C16010100" in cells:
                found = (index, cells)
                break
        if found:
            break
    require(found, "no table row with both 基础软件开发服务 and C16010100")
    require("500.00" in found[1], f"the 基础软件开发服务 row has no 500.00: {found[1]}")

    paragraphs = [p.text for p in document.paragraphs]
    hits = [p for p in paragraphs if MACHINE_SENTENCE in p]
    require(hits, f"no paragraph contains {MACHINE_SENTENCE!r} ({len(paragraphs)} paragraphs)")

    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    east_asia = sorted(set(re.findall(r'w:eastAsia="([^"]+)"', styles)))
    for font in ("仿宋", "黑体"):
        require(f'w:eastAsia="{font}"' in styles, f"word/styles.xml has no w:eastAsia=\"{font}\" (eastAsia: {east_asia})")

    section = document.sections[0]
    margins = "/".join(f"{m.mm:.0f}" for m in (section.top_margin, section.bottom_margin,
                                                 section.left_margin, section.right_margin)
                       if m is not None)
    return (f"{len(tables)} tables, {len(paragraphs)} paragraphs; table {found[0] + 1} row "
            f"{found[1][2:4]} … 500.00; sentence found; styles eastAsia fonts {east_asia}; "
            f"page {section.page_width.mm:.0f}x{section.page_height.mm:.0f} mm, margins t/b/l/r {margins} mm")


# ------------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------------
def check_xlsx(path, checker):
    import openpyxl

    require_zip(path, "XLSX")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        workbook = openpyxl.load_workbook(str(path))
    for w in caught:
        checker.warn("xlsx: openpyxl", str(w.message))
    sheets = workbook.worksheets
    require(len(sheets) == TABLE_COUNT, f"{len(sheets)} sheets, expected {TABLE_COUNT}: {workbook.sheetnames}")

    by_a1 = {ws["A1"].value: ws for ws in sheets}
    ws = by_a1.get(THREE_PUBLIC_TITLE)
    require(ws is not None, f"no sheet has A1 = {THREE_PUBLIC_TITLE!r}; A1 values: {list(by_a1)}")
    row_found = None
    for row in ws.iter_rows():
        if row and row[0].value == THREE_PUBLIC_ROW[0]:
            row_found = row
            break
    require(row_found is not None, f"sheet {ws.title!r} has no row starting with {THREE_PUBLIC_ROW[0]!r}")
    cells = list(row_found)[:len(THREE_PUBLIC_ROW)]
    for cell, expected in zip(cells[1:], THREE_PUBLIC_ROW[1:]):
        require(close(cell.value, expected),
                f"sheet {ws.title!r} cell {cell.coordinate} is {cell.value!r} ({type(cell.value).__name__}), "
                f"expected the number {expected}")
        require(cell.number_format == "0.00",
                f"sheet {ws.title!r} cell {cell.coordinate} has number format {cell.number_format!r}, expected '0.00'")

    proc = by_a1.get(PROCUREMENT_TITLE)
    require(proc is not None, f"no sheet has A1 = {PROCUREMENT_TITLE!r}")
    total_cells = [c for row in proc.iter_rows() for c in row if close(c.value, PROCUREMENT_TOTAL)]
    require(total_cells, f"sheet {proc.title!r} has no numeric cell equal to {PROCUREMENT_TOTAL}")
    text_totals = [c.coordinate for row in proc.iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.strip() == f"{PROCUREMENT_TOTAL:.2f}"]
    require(not text_totals, f"sheet {proc.title!r} has {PROCUREMENT_TOTAL} as text in {text_totals}")
    return (f"{len(sheets)} sheets; {ws.title!r} row {row_found[0].row}: "
            f"{[c.value for c in cells]} (number format {cells[1].number_format}); "
            f"{proc.title!r} has {PROCUREMENT_TOTAL} as a number in {[c.coordinate for c in total_cells]}")


# ------------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------------
def run_tool(args):
    tool = shutil.which(args[0])
    require(tool, f"{args[0]} not found (apt-get install poppler-utils)")
    done = subprocess.run([tool, *args[1:]], capture_output=True, timeout=120)
    require(done.returncode == 0,
            f"{' '.join(args)} exited with {done.returncode}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8", "replace")


def check_pdf(path, checker):
    require(path.is_file(), f"{path} does not exist")
    info = run_tool(["pdfinfo", str(path)])
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    require(match, f"pdfinfo printed no page count:\n{info}")
    pages = int(match.group(1))
    require(pages >= 2, f"{pages} page(s), expected at least 2")
    size = re.search(r"^Page size:\s+(.*)$", info, re.M)

    text = run_tool(["pdftotext", "-enc", "UTF-8", str(path), "-"])
    flat = squash(text)
    require(f"{TOTAL:.2f}" in flat, f"pdftotext output has no {TOTAL:.2f} ({len(text)} characters)")
    require("机关运行经费" in flat, "pdftotext output has no 机关运行经费: CJK text did not come out as text")
    require(MACHINE_SENTENCE.replace("，", "") in flat.replace("，", ""),
            f"pdftotext output has no {MACHINE_SENTENCE!r}")
    tofu = text.count("\ufffd")
    require(tofu == 0, f"pdftotext output has {tofu} U+FFFD replacement characters")
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")

    fonts = run_tool(["pdffonts", str(path)]).splitlines()[2:]
    kinds = {}
    for line in fonts:
        m = re.match(r"^(.*?)\s{2,}(Type 1C|Type 1|Type 3|TrueType \(CID\)|TrueType|CID Type 0C|CID Type 0|"
                     r"CID TrueType|CID Type 0C \(OT\)|Type 1C \(OT\))\s", line)
        kinds[m.group(2) if m else "other"] = kinds.get(m.group(2) if m else "other", 0) + 1
    return (f"{pages} pages ({size.group(1) if size else '?'}); {len(text)} characters of text, {cjk} CJK; "
            f"contains {TOTAL:.2f} and the 机关运行经费 sentence; no U+FFFD; fonts {kinds}")


# ------------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------------
def check_html(path, checker, table_ids):
    require(path.is_file(), f"{path} does not exist")
    source = path.read_text(encoding="utf-8")
    require(re.match(r"\s*<!DOCTYPE html>", source, re.I), "does not start with <!DOCTYPE html>")
    body = re.sub(r"^\s*<!DOCTYPE[^>]*>", "", source, count=1, flags=re.I)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        line, column = e.position
        lines = body.splitlines()
        context = lines[line - 1][max(0, column - 60):column + 60] if 0 < line <= len(lines) else ""
        raise CheckFailed(f"not well-formed: {e}; near: {context!r}") from None
    require(root.tag.rsplit("}", 1)[-1] == "html", f"root element is <{root.tag}>, not <html>")
    text = "".join(root.itertext())
    require(REVENUE_SENTENCE in text, f"text has no {REVENUE_SENTENCE!r}")
    elements = sum(1 for _ in root.iter())
    tables = sum(1 for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "table")
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    missing = [t for t in table_ids if f"table-{t}" not in ids]
    require(not missing, f"no element with id table-<id> for tables {missing}")
    return (f"well-formed, root <html lang={root.get('lang')!r}>, {elements} elements, {tables} <table>s, "
            f"all {len(table_ids)} disclosure tables present by id; contains {REVENUE_SENTENCE!r}")


# ------------------------------------------------------------------------------------------------
# disclosure JSON
# ------------------------------------------------------------------------------------------------
def load_disclosure(path):
    require(path.is_file(), f"{path} does not exist")
    with path.open(encoding="utf-8") as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as e:
            raise CheckFailed(f"not valid JSON: {e}") from None


def check_json(path, checker, holder):
    data = load_disclosure(path)
    require(isinstance(data, dict), f"top level is {type(data).__name__}, expected an object")
    tables = data.get("tables")
    require(isinstance(tables, list), "no 'tables' list")
    ids = [t.get("id") for t in tables if isinstance(t, dict)]
    holder.extend(ids)
    require(len(tables) == TABLE_COUNT, f"{len(tables)} tables, expected {TABLE_COUNT}: {ids}")
    require(len(set(ids)) == len(ids), f"duplicate table ids: {ids}")
    t07 = next((t for t in tables if t.get("id") == "t07-three-public"), None)
    require(t07 is not None, f"no table with id t07-three-public: {ids}")
    require(t07.get("title") == THREE_PUBLIC_TITLE, f"t07 title is {t07.get('title')!r}")
    rows = t07.get("rows") or []
    require(rows, "t07-three-public has no rows")
    first = rows[0]
    require(first[0] == THREE_PUBLIC_ROW[0], f"t07 first row starts with {first[0]!r}")
    for value, expected in zip(first[1:], THREE_PUBLIC_ROW[1:]):
        require(close(value, expected), f"t07 first row {first}: {value!r} is not the JSON number {expected}")
    require(len(first) == len(THREE_PUBLIC_ROW), f"t07 first row has {len(first)} cells: {first}")
    return (f"fiscalYear {data.get('fiscalYear')}, department {data.get('department')}, {len(tables)} tables; "
            f"t07-three-public first row {first}")


# ------------------------------------------------------------------------------------------------
# CSV folder
# ------------------------------------------------------------------------------------------------
def read_csv(path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CheckFailed(f"{path.name} is not UTF-8: {e}") from None
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True)), raw.startswith(b"\xef\xbb\xbf")
    except csv.Error as e:
        raise CheckFailed(f"{path.name} does not parse as CSV: {e}") from None


def check_csv(folder, checker, table_ids):
    require(folder.is_dir(), f"{folder} is not a folder")
    files = sorted(folder.glob("*.csv"))
    require(files, f"no CSV files in {folder}")
    boms = 0
    for path in files:
        rows, bom = read_csv(path)
        boms += bom
        require(rows, f"{path.name} is empty")
        widths = {len(r) for r in rows}
        require(len(widths) == 1, f"{path.name} rows have different numbers of cells: {sorted(widths)}")
        require(all(h.strip() for h in rows[0]), f"{path.name} has an empty header cell: {rows[0]}")
        require(len(set(rows[0])) == len(rows[0]), f"{path.name} has duplicate headers: {rows[0]}")
    stems = {p.stem for p in files}
    if table_ids:
        require(stems == set(table_ids),
                f"CSV files and JSON tables differ: only CSV {sorted(stems - set(table_ids))}, "
                f"only JSON {sorted(set(table_ids) - stems)}")
    t07 = folder / "t07-three-public.csv"
    require(t07.is_file(), "no t07-three-public.csv")
    rows, _ = read_csv(t07)
    expected = [THREE_PUBLIC_ROW[0]] + [f"{v:.2f}" for v in THREE_PUBLIC_ROW[1:]]
    require(expected in rows, f"t07-three-public.csv has no row {expected}; rows: {rows}")
    return f"{len(files)} CSV files parse ({boms} with a UTF-8 BOM), one per JSON table; t07 row {expected}"


# ------------------------------------------------------------------------------------------------
# Frictionless data package
# ------------------------------------------------------------------------------------------------
class NetworkRefused(OSError):
    pass


KNOWN_PROFILE_URLS = {
    f"{scheme}://specs.frictionlessdata.io/schemas/{name}.json": name
    for scheme in ("http", "https") for name in ("data-package", "tabular-data-package")
}


def no_network():
    """Makes any socket connection fail at once, so the validation is provably offline."""
    import socket

    def refuse(self, address, *args, **kwargs):
        raise NetworkRefused(f"network access attempted during validation: {address!r}")

    def refuse_lookup(host, *args, **kwargs):
        raise NetworkRefused(f"network access attempted during validation: looking up {host!r}")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = lambda address, *a, **k: refuse(None, address)
    socket.getaddrinfo = refuse_lookup


def describe_report(report):
    """The errors of a frictionless report, one per line, and the summary table of each invalid resource."""
    lines = [f"  package: [{error.type}] {error.message}" for error in report.errors]
    summaries = []
    for task in report.tasks:
        for error in task.errors:
            where = []
            if getattr(error, "row_number", None):
                where.append(f"row {error.row_number}")
            if getattr(error, "field_name", None):
                where.append(f"field {error.field_name!r}")
            lines.append(f"  {task.name} ({task.place}){' ' + ', '.join(where) if where else ''}: "
                         f"[{error.type}] {error.message}")
        if not task.valid:
            try:
                summaries.append(task.to_summary())
            except Exception:  # noqa: BLE001 - the error lines above are what matters
                pass
    return "\n".join(lines + summaries)


def check_datapackage(folder, checker):
    descriptor_path = folder / "datapackage.json"
    require(descriptor_path.is_file(), f"{descriptor_path} does not exist")
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise CheckFailed(f"datapackage.json is not valid JSON: {e}") from None
    profile = descriptor.get("profile")
    if isinstance(profile, str) and "://" in profile:
        # Frictionless would download a profile given by URL; the two standard ones are built in by name.
        short = KNOWN_PROFILE_URLS.get(profile.rstrip("/"))
        require(short, f"profile {profile!r} is a URL that is not a standard Data Package profile; "
                       "this check runs offline and cannot fetch it")
        checker.warn("datapackage: profile", f"profile is the URL {profile}; validated offline as {short!r}")
        descriptor["profile"] = short

    no_network()
    import frictionless
    from frictionless import FrictionlessException, Package

    # 1. the descriptor against the (tabular) data package profile, 2. every resource's data against its schema.
    report = Package.validate_descriptor(descriptor)
    if report.valid:
        try:
            package = Package(descriptor, basepath=str(folder))
        except FrictionlessException as e:
            raise CheckFailed(f"frictionless {frictionless.__version__} cannot load the package: "
                              f"[{e.error.type}] {e.error.message}") from None
        report = package.validate()
    if not report.valid:
        raise CheckFailed(f"frictionless {frictionless.__version__} says the package is NOT valid "
                          f"({report.stats.get('errors')} errors):\n" + describe_report(report))

    # The fiscal line items must add up to the published total, on both sides.
    lines = package.get_resource("budget-lines")
    revenue = expenditure = 0.0
    count = 0
    for row in lines.read_rows():
        count += 1
        if row["phase"] != "approved":
            continue
        if row["direction"] == "revenue":
            revenue += float(row["amount"])
        elif row["direction"] == "expenditure":
            expenditure += float(row["amount"])
    yuan = TOTAL * 10000
    require(math.isclose(revenue, yuan, abs_tol=0.5) and math.isclose(expenditure, yuan, abs_tol=0.5),
            f"budget-lines adds up to revenue {revenue:.2f} 元 and expenditure {expenditure:.2f} 元, "
            f"expected {yuan:.2f} 元 each")

    on_disk = {p.name for p in folder.glob("*.csv")}
    referenced = {r.path for r in package.resources}
    orphans = sorted(on_disk - referenced)
    if orphans:
        checker.warn("datapackage: files", f"CSV files not listed as resources: {orphans}")
    fiscal = sum(1 for r in package.resources for f in r.schema.fields
                 if (f.custom or {}).get("columnType"))
    return (f"frictionless {frictionless.__version__}: VALID, {len(report.tasks)} resources, "
            f"{report.stats.get('errors')} errors, {report.stats.get('warnings')} warnings (offline); "
            f"profile {profile!r}; {fiscal} fields with a fiscal columnType; budget-lines {count} rows, "
            f"revenue = expenditure = {revenue:.2f} 元")


# ------------------------------------------------------------------------------------------------
# Classification codes: 类/款/项 rows in every format, codes as text, number headers right-aligned
# ------------------------------------------------------------------------------------------------
def require_code_rows(title, rows, where):
    """`rows` are lists of cell values; each expected row must be there, its code the same string."""
    for code, name, amount in CODE_ROWS[title][1]:
        match = next((r for r in rows if len(r) > 2 and r[0] == code), None)
        firsts = [r[0] for r in rows if r][:14]
        require(match is not None, f"{where}: no row whose first cell is the text {code!r} (first cells: {firsts})")
        require(match[1] == name, f"{where}: row {code} is named {match[1]!r}, expected {name!r}")
        value = match[2]
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                pass
        require(close(value, amount), f"{where}: row {code} {name} has {match[2]!r}, expected {amount:.2f}")


def require_right_headers(headers, where):
    """headers: (text, right-aligned?) for 科目编码, 科目名称 and the amount columns after them."""
    require(headers and headers[0][0] == "科目编码", f"{where}: header row is {[h[0] for h in headers]}")
    wrong = [text for i, (text, right) in enumerate(headers) if right != (i >= 2)]
    require(not wrong, f"{where}: header cells aligned wrongly (amounts must be right, the rest not): {wrong}")


def codes_json(path):
    tables = {t.get("title"): t for t in load_disclosure(path).get("tables", [])}
    for title, (table_id, _) in CODE_ROWS.items():
        table = tables.get(title)
        require(table is not None and table.get("id") == table_id, f"no table {table_id} titled {title}")
        require_code_rows(title, table.get("rows") or [], table_id)
    return f"{sum(len(r) for _, r in CODE_ROWS.values())} code rows found as JSON strings with their amounts"


def codes_csv(folder, prefix):
    for title, (table_id, _) in CODE_ROWS.items():
        path = folder / f"{prefix}{table_id}.csv"
        require(path.is_file(), f"no {path.name}")
        rows, _ = read_csv(path)
        require_code_rows(title, rows[1:], path.name)
    return f"{', '.join(prefix + t + '.csv' for t, _ in CODE_ROWS.values())} hold the code rows"


def codes_xlsx(path):
    import openpyxl

    sheets = {ws["A1"].value: ws for ws in openpyxl.load_workbook(str(path)).worksheets}
    for title in CODE_ROWS:
        ws = sheets.get(title)
        require(ws is not None, f"no sheet with A1 = {title!r}")
        rows = [list(row) for row in ws.iter_rows()]
        require_code_rows(title, [[c.value for c in row] for row in rows], f"sheet {ws.title!r}")
        header = next((row for row in rows if row and row[0].value == "科目编码"), [])
        require(all(c.font.b for c in header if c.value), f"sheet {ws.title!r}: header cells are not all bold")
        require_right_headers([(c.value, c.alignment.horizontal == "right") for c in header if c.value],
                              f"sheet {ws.title!r}")
    return "code rows with string codes; headers bold, amount headers right-aligned"


def codes_docx(path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    by_caption, caption = {}, None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            if paragraph.style is not None and paragraph.style.name == "Table Caption":
                caption = paragraph.text.strip()
        elif tag == "tbl" and caption is not None:
            by_caption.setdefault(caption, Table(child, document))
    for title in CODE_ROWS:
        table = by_caption.get(title)
        require(table is not None, f"no table captioned {title!r}")
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        require_code_rows(title, rows, f"table {title}")
        header = next((row for row in table.rows if row.cells[0].text.strip() == "科目编码"), None)
        require(header is not None, f"table {title}: no header row")
        require_right_headers([(c.text.strip(), c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT)
                               for c in header.cells], f"table {title}")
    return "code rows in the captioned tables; amount headers right-aligned"


def codes_html(path):
    body = re.sub(r"^\s*<!DOCTYPE[^>]*>", "", path.read_text(encoding="utf-8"), count=1, flags=re.I)
    figures = {e.get("id"): e for e in ET.fromstring(body).iter() if e.get("id")}
    for title, (table_id, _) in CODE_ROWS.items():
        figure = figures.get(f"table-{table_id}")
        require(figure is not None, f"no element with id table-{table_id}")
        rows, headers = [], []
        for tr in (e for e in figure.iter() if e.tag.rsplit("}", 1)[-1] == "tr"):
            cells = [c for c in tr if c.tag.rsplit("}", 1)[-1] in ("td", "th")]
            if cells and cells[0].tag.rsplit("}", 1)[-1] == "th":
                headers = [("".join(c.itertext()), "num" in (c.get("class") or "").split()) for c in cells]
            else:
                rows.append(["".join(c.itertext()) for c in cells])
        require_code_rows(title, rows, f"#table-{table_id}")
        require_right_headers(headers, f"#table-{table_id}")
    return "code rows in the tables by id; amount headers are th.num"


def codes_pdf(path):
    text = run_tool(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"])
    missing = []
    for _, rows in CODE_ROWS.values():
        for code, name, amount in rows:
            # A long name may wrap inside its cell, so only its start is sure to be on the code's line.
            pattern = rf"^\s*{code}\s+{re.escape(name[:4])}\S*\s+{amount:.2f}\b"
            if not re.search(pattern, text, re.M):
                missing.append(f"{code} {name} {amount:.2f}")
    require(not missing, f"pdftotext -layout shows no line for {missing}")
    return f"pdftotext -layout shows the code rows ({', '.join(c for _, r in CODE_ROWS.values() for c, _, _ in r)})"


# ------------------------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dir", required=True, type=Path,
                        help="folder with out.docx, out.xlsx, out.pdf, out.html, out.disclosure-json, csv/, datapackage/")
    args = parser.parse_args()
    if not args.dir.is_dir():
        parser.error(f"{args.dir} is not a folder")
    d = args.dir

    checker = Checker()
    table_ids = []
    checker.run("json: out.disclosure-json", check_json, d / "out.disclosure-json", checker, table_ids)
    checker.run("docx: out.docx (python-docx)", check_docx, d / "out.docx", checker)
    checker.run("xlsx: out.xlsx (openpyxl)", check_xlsx, d / "out.xlsx", checker)
    checker.run("pdf: out.pdf (pdfinfo, pdftotext)", check_pdf, d / "out.pdf", checker)
    checker.run("html: out.html (xml.etree)", check_html, d / "out.html", checker, table_ids)
    checker.run("csv: csv/", check_csv, d / "csv", checker, table_ids)
    checker.run("datapackage: datapackage/ (frictionless)", check_datapackage, d / "datapackage", checker)
    checker.run("codes: out.disclosure-json", codes_json, d / "out.disclosure-json")
    checker.run("codes: out.docx", codes_docx, d / "out.docx")
    checker.run("codes: out.xlsx", codes_xlsx, d / "out.xlsx")
    checker.run("codes: out.pdf", codes_pdf, d / "out.pdf")
    checker.run("codes: out.html", codes_html, d / "out.html")
    checker.run("codes: csv/", codes_csv, d / "csv", "")
    checker.run("codes: datapackage/", codes_csv, d / "datapackage", "table-")

    print()
    if checker.failures:
        print(f"check_exports: {len(checker.failures)} check(s) FAILED: {', '.join(checker.failures)}", file=sys.stderr)
        return 1
    print(f"check_exports: all 14 checks passed ({len(checker.warnings)} warning(s)) in {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
