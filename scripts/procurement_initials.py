#!/usr/bin/env python3
"""Writes the pinyin initials of every 政府采购品目 name, so the catalog can be searched by them
(e.g. "a4csdyj" or "a4cs" for A4彩色打印机) without a pinyin library in the server.

    pip install pypinyin
    python3 scripts/procurement_initials.py

Reads Sources/FuzhengCore/Resources/catalogs/procurement-catalog-2022.csv and writes
procurement-catalog-2022-initials.csv beside it (code,initials). Run it again only when the catalog
changes; the output is checked in and a test keeps it in step with the catalog. Initials are lower case;
Latin letters and digits in a name are kept as they are (lower-cased), punctuation is dropped. pypinyin
reads characters with more than one sound (行, 重, 长) by the phrase they are in.
"""

import csv
import os
import re
import sys

from pypinyin import Style, lazy_pinyin

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "..", "Sources", "FuzhengCore", "Resources", "catalogs")
SOURCE = os.path.join(FOLDER, "procurement-catalog-2022.csv")
TARGET = os.path.join(FOLDER, "procurement-catalog-2022-initials.csv")


def initials(name: str) -> str:
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return re.sub(r"[^a-z0-9]", "", "".join(parts).lower())


def main() -> int:
    with open(SOURCE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(TARGET, "w", encoding="utf-8", newline="") as f:
        f.write("code,initials\n")
        for row in rows:
            f.write(f"{row['code']},{initials(row['name'])}\n")
    print(f"{len(rows)} names → {os.path.relpath(TARGET)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
