#!/usr/bin/env python3
"""Phase 5g: a year's archival packages and 归档文件目录 read back by tools other than Fuzheng's.

Usage: archive_check.py FOLDER   (the output of `fuzheng archive export YEAR --output FOLDER`)

Each package: a ZIP that Python's zipfile opens; metadata.xml parsed by ElementTree with the DA/T 22-2015 fields
(档号 of the standard's form and agreeing with 全宗号, 门类代码, 年度, 保管期限, 机构代码, 件号); every listed file present
with the listed size and SM3 digest (OpenSSL's sm3 through hashlib); no unlisted file. The 归档文件目录.xlsx read by
openpyxl has the standard's columns and one row per package. Exits non-zero on any mismatch.
"""
import hashlib
import pathlib
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

CODE = re.compile(r"^([0-9A-Z]{1,8})-([A-Z]{1,4})·(\d{4})-(Y|D30|D10)(?:-([0-9A-Z]{1,8}))?-(\d{4,})$")
COLUMNS = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]


def check_package(path):
    problems = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        root = ET.fromstring(z.read("metadata.xml"))
        if root.tag != "归档文件":
            problems.append("root element is not 归档文件")
        field = {child.tag: (child.text or "").strip() for child in root}
        for required in ["档号", "全宗号", "门类代码", "年度", "保管期限", "件号", "题名", "责任者", "日期", "页数"]:
            if not field.get(required):
                problems.append(f"required field {required} missing")
        m = CODE.match(field.get("档号", ""))
        if not m:
            problems.append(f"档号 {field.get('档号')!r} is not of DA/T 22-2015's form")
        else:
            fonds, category, year, period, org, item = m.groups()
            expected = [field.get("全宗号"), field.get("门类代码"), field.get("年度"), field.get("保管期限"),
                        field.get("机构问题代码") or None, str(int(item))]
            if [fonds, category, year, period, org, field.get("件号")] != expected:
                problems.append(f"档号 {field['档号']} does not agree with its parts {expected}")
        if not re.fullmatch(r"\d{8}", field.get("日期", "")):
            problems.append(f"日期 {field.get('日期')!r} is not eight digits")
        listed = set()
        for f in root.find("文件清单"):
            name, sm3, size = f.get("名称"), f.get("SM3"), int(f.get("字节数"))
            listed.add(name)
            if name not in names:
                problems.append(f"{name} listed but missing")
                continue
            data = z.read(name)
            if len(data) != size:
                problems.append(f"{name}: {len(data)} bytes, listed {size}")
            digest = hashlib.new("sm3", data).hexdigest()
            if digest != sm3:
                problems.append(f"{name}: SM3 {digest}, listed {sm3}")
        extra = names - listed - {"metadata.xml"}
        if extra:
            problems.append(f"unlisted files {sorted(extra)}")
        if not any(n.startswith("处理单") or n.startswith("发文稿纸") for n in names):
            problems.append("neither a 处理单 nor a 发文稿纸 in the package")
    return field.get("档号", ""), problems


def main():
    folder = pathlib.Path(sys.argv[1])
    failures = 0
    for unit in sorted(p for p in folder.iterdir() if p.is_dir()):
        codes = []
        for package in sorted(unit.glob("*.zip")):
            code, problems = check_package(package)
            codes.append(code)
            print(("✓ " if not problems else "✗ ") + package.name + "".join("\n  - " + p for p in problems))
            failures += bool(problems)
        book = openpyxl.load_workbook(unit / "归档文件目录.xlsx")
        rows = []
        for sheet in book.worksheets:
            values = list(sheet.iter_rows(values_only=True))
            if [v or "" for v in values[0]] != COLUMNS:
                print(f"✗ {unit.name}/归档文件目录.xlsx sheet {sheet.title}: columns {values[0]}")
                failures += 1
            rows += [r for r in values[1:] if any(r)]
        listed = sorted(r[1] for r in rows)
        if listed != sorted(codes) or not codes:
            print(f"✗ {unit.name}: the list has {listed}, the packages are {sorted(codes)}")
            failures += 1
        else:
            print(f"✓ {unit.name}/归档文件目录.xlsx: {len(rows)} rows in the standard's columns")
        if not (unit / "归档文件目录.pdf").read_bytes().startswith(b"%PDF"):
            print(f"✗ {unit.name}/归档文件目录.pdf is not a PDF")
            failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
