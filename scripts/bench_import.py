#!/usr/bin/env python3
"""The treasury import as a finance-bureau user does it: sign in, open the import form, upload one CSV, time the
answer (the import is all or nothing: the clock stops when the server has stored every row and redirects).

    python3 scripts/bench_import.py make --out FILE --rows 100000 --year 2025 --month 11 --projects PROJECTS.tsv
    python3 scripts/bench_import.py upload --base URL --username U --password P --year 2025 --file FILE
"""
import argparse
import csv
import re
import sys
import time

import requests


def make(args):
    """Rows of one month spread over the projects (unit code <TAB> project code, one a line)."""
    projects = [line.rstrip("\n").split("\t") for line in open(args.projects, encoding="utf-8") if line.strip()]
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["预算单位编码", "项目编码", "用途", "支付日期", "计划支付日期", "支付金额（元）", "资金来源", "经济分类",
                    "收款人类型"])
        for i in range(args.rows):
            unit, code = projects[i % len(projects)]
            day = f"{args.year}-{args.month:02d}-{1 + i % 28:02d}"
            w.writerow([unit, code, "项目支出", day, day, f"{100 + i % 5000}.{i % 100:02d}", "一般公共预算",
                        "商品和服务支出", "企业"])
    print(f"{args.rows} rows over {len(projects)} projects → {args.out}")


def upload(args):
    s = requests.Session()
    token = lambda text: re.search(r'name="_csrf" value="([^"]+)"', text).group(1)
    r = s.get(args.base + "/login")
    r = s.post(args.base + "/login", data={"username": args.username, "password": args.password,
                                           "_csrf": token(r.text)}, allow_redirects=False)
    if r.status_code != 303:
        sys.exit(f"sign-in of {args.username} failed: {r.status_code}")
    form = s.get(args.base + f"/execution/import?year={args.year}")
    started = time.time()
    with open(args.file, "rb") as f:
        r = s.post(args.base + "/execution/import", data={"year": str(args.year), "_csrf": token(form.text)},
                   files={"file": (args.file.rsplit("/", 1)[-1], f, "text/csv")}, allow_redirects=False,
                   timeout=600)
    took = time.time() - started
    if r.status_code != 303:
        sys.exit(f"the import was refused: {r.status_code} {r.text[:500]}")
    print(f"import of {args.file}: {took:.2f} s, answer {r.status_code} → {r.headers.get('location')}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="what", required=True)
    m = sub.add_parser("make")
    m.add_argument("--out", required=True)
    m.add_argument("--rows", type=int, default=100_000)
    m.add_argument("--year", type=int, required=True)
    m.add_argument("--month", type=int, default=11)
    m.add_argument("--projects", required=True)
    u = sub.add_parser("upload")
    for name in ("--base", "--username", "--password", "--file"):
        u.add_argument(name, required=True)
    u.add_argument("--year", type=int, required=True)
    args = p.parse_args()
    make(args) if args.what == "make" else upload(args)


if __name__ == "__main__":
    main()
