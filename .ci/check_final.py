#!/usr/bin/env python3
"""Reads back the demo's 2023 部门决算 of unit 434001 in every export format (`fuzheng export 434001 2023
--document final --format …`): python-docx, openpyxl, pdftotext, the HTML and JSON as text, the CSV tables, and
frictionless on the data package, which must hold both phases (the budget "approved" and the outturn "executed").

Usage: python3 .ci/check_final.py --dir FOLDER   (FOLDER holds out.docx, out.xlsx, out.pdf, out.html, out.json,
csv/ and datapackage/ as the exports phase writes them). Exits 1 naming every format that failed.
"""
import argparse
import csv
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_exports as ce  # noqa: E402  (its helpers: no_network, describe_report, run_tool, squash)

TABLES = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
          "一般公共预算财政拨款基本支出决算表", "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
          "财政拨款“三公”经费支出决算表"]
SENTENCES = ["2023年度部门决算公开情况说明", "国内公务接待86批次、645人次", "项目支出绩效自评"]


def need(condition, message):
    if not condition:
        raise ce.CheckFailed(message)


def text_has_all(text, where):
    flat = ce.squash(text)
    for t in TABLES + SENTENCES:
        need(ce.squash(t) in flat, f"{where}: “{t}” is missing")


def check_docx(folder):
    import docx
    d = docx.Document(str(folder / "out.docx"))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells)
    text_has_all(text, "DOCX")
    need(len(d.tables) >= len(TABLES), f"DOCX has {len(d.tables)} tables, expected at least {len(TABLES)}")
    return f"{len(d.paragraphs)} paragraphs, {len(d.tables)} tables"


def check_xlsx(folder):
    import openpyxl
    wb = openpyxl.load_workbook(str(folder / "out.xlsx"), read_only=True)
    text = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)
    for t in TABLES:
        need(ce.squash(t) in ce.squash(text), f"XLSX: “{t}” is missing")
    return f"{len(wb.worksheets)} sheets"


def check_pdf(folder):
    text = ce.run_tool(["pdftotext", "-enc", "UTF-8", str(folder / "out.pdf"), "-"])
    text_has_all(text, "PDF")
    need("\ufffd" not in text, "PDF text has U+FFFD replacement characters")
    return f"{len(text)} characters of text"


def check_html_json(folder):
    text_has_all((folder / "out.html").read_text(encoding="utf-8"), "HTML")
    doc = json.loads((folder / "out.json").read_text(encoding="utf-8"))
    titles = [t["title"] for t in doc["tables"]]
    for t in TABLES:
        need(t in titles, f"JSON: table “{t}” is missing ({titles})")
    return f"{len(titles)} tables in JSON"


def check_csv(folder):
    files = sorted((folder / "csv").glob("*.csv"))
    need(len(files) >= len(TABLES), f"{len(files)} CSV files, expected at least {len(TABLES)}")
    for f in files:
        with open(f, encoding="utf-8-sig", newline="") as h:
            rows = list(csv.reader(h))
        need(rows, f"{f.name} is empty")
    return f"{len(files)} CSV tables"


def check_datapackage(folder):
    ce.no_network()
    import frictionless
    from frictionless import Package
    package = Package(str(folder / "datapackage" / "datapackage.json"))
    report = package.validate()
    need(report.valid, "frictionless says the package is NOT valid:\n" + ce.describe_report(report))
    phases = {}
    for row in package.get_resource("budget-lines").read_rows():
        key = (row["phase"], row["direction"])
        phases[key] = phases.get(key, 0) + float(row["amount"])
    for phase in ["approved", "executed"]:
        need((phase, "expenditure") in phases, f"budget-lines has no {phase} expenditure ({sorted(phases)})")
        need((phase, "revenue") in phases, f"budget-lines has no {phase} revenue ({sorted(phases)})")
    need(phases[("executed", "expenditure")] < phases[("approved", "expenditure")],
         "the outturn should be below the budget in the demo (the platform's 二期 is carried over)")
    return (f"frictionless {frictionless.__version__}: VALID; "
            + ", ".join(f"{p} {d} {v:.2f} 元" for (p, d), v in sorted(phases.items())))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True, type=pathlib.Path)
    folder = parser.parse_args().dir
    failed = []
    for name, fn in [("docx", check_docx), ("xlsx", check_xlsx), ("pdf", check_pdf), ("html+json", check_html_json),
                     ("csv", check_csv), ("datapackage", check_datapackage)]:
        try:
            print(f"[final] {name}: OK — {fn(folder)}")
        except Exception as e:  # noqa: BLE001 - every format is reported, then the run fails
            print(f"[final] {name}: FAILED — {e}", file=sys.stderr)
            failed.append(name)
    if failed:
        print(f"[final] FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("[final] every format of the 2023 部门决算 read back")
    return 0


if __name__ == "__main__":
    sys.exit(main())
