#!/usr/bin/env python3
"""Checks the working-day calendar (Sources/FuzhengCore/Resources/rules/working-days.json) against the PyPI
package chinese-calendar, day by day from 2023-01-01 to 2026-12-31.

The file is read the way WorkingCalendar reads it: a day listed by the notice of its own year decides (a 调休
workday is worked, a day inside a holiday block is off), then the next year's notice (a 元旦 block may start in
December), and otherwise Monday to Friday are worked. Each day is compared with chinese_calendar.is_workday.

One line per mismatch and exit status 1 if any, else a one-line summary and exit status 0; 2 when
chinese-calendar is missing, does not cover a year, or the file cannot be read.

    python3 .ci/working_days.py [--file PATH]
    (python3 -m pip install chinese-calendar)
"""
import argparse
import datetime
import json
import os
import sys

FIRST = datetime.date(2023, 1, 1)
LAST = datetime.date(2026, 12, 31)
DEFAULT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                            "Sources", "FuzhengCore", "Resources", "rules", "working-days.json")


def day(text):
    return datetime.date.fromisoformat(text)


def load(path):
    """Year → (days off with their block's name, 调休 workdays)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    years = {}
    for notice in data["notices"]:
        off = {}
        for block in notice["holidays"]:
            d, end = day(block["from"]), day(block["to"])
            while d <= end:
                off[d] = block["name"]
                d += datetime.timedelta(days=1)
        worked = {day(w["date"]) for w in notice["workdays"]}
        if notice["year"] in years:
            raise ValueError(f"two notices for {notice['year']}")
        years[notice["year"]] = (off, worked)
    return years


def is_working_day(years, d):
    for year in (d.year, d.year + 1):
        if year in years:
            off, worked = years[year]
            if d in worked:
                return True
            if d in off:
                return False
    return d.weekday() < 5


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", default=DEFAULT_FILE)
    args = parser.parse_args()
    try:
        import chinese_calendar
    except ImportError:
        print("FAIL: the PyPI package chinese-calendar is not installed (python3 -m pip install chinese-calendar)")
        return 2
    try:
        years = load(args.file)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"FAIL: {args.file} cannot be read: {error}")
        return 2
    version = getattr(chinese_calendar, "__version__", "?")
    mismatches = 0
    d = FIRST
    while d <= LAST:
        try:
            expected = chinese_calendar.is_workday(d)
        except NotImplementedError:
            print(f"FAIL: chinese-calendar {version} does not cover {d.year}; upgrade it")
            return 2
        ours = is_working_day(years, d)
        if ours != expected:
            mismatches += 1
            word = {True: "working day", False: "day off"}
            print(f"MISMATCH {d} ({d.strftime('%a')}): working-days.json says {word[ours]}, "
                  f"chinese-calendar {version} says {word[expected]}")
        d += datetime.timedelta(days=1)
    missing = [y for y in range(FIRST.year, LAST.year + 1) if y not in years]
    if missing:
        print(f"FAIL: no notice for {', '.join(map(str, missing))} in working-days.json")
        return 1
    total = (LAST - FIRST).days + 1
    if mismatches:
        print(f"FAIL: {mismatches} of {total} days differ from chinese-calendar {version}")
        return 1
    print(f"PASS: working-days.json agrees with chinese-calendar {version} on all {total} days {FIRST}..{LAST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
