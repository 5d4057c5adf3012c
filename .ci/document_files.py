#!/usr/bin/env python3
"""Reads back the issued 公文 files Fuzheng produces and checks them against GB/T 9704-2012 with tools that share no
code with it: pdfplumber (PDF geometry), python-docx (DOCX margins, grid, fonts, sizes), LibreOffice (DOCX → PDF, the
same margin checks), easyofd (OFD text, page by page equal to the PDF's) and the OFD's own XML (namespace, unique IDs
≤ MaxUnitID, every ResourceID resolves, every page listed exists).

usage: document_files.py DIR [NAME ...]
  DIR holds NAME.pdf, NAME.ofd, NAME.docx and NAME.json (the layout) for each NAME (default: the three files of
  `fuzheng documents sample`: sample-notice, sample-letter, sample-minutes, plus any issued-*.pdf found).
Exits 1 on the first failed check of any file, after printing every failure.
"""
import glob
import io
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

logging.disable(logging.WARNING)
import pdfplumber  # noqa: E402

MM = 25.4 / 72
FAILURES = []


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        FAILURES.append(what)
    return ok


def norm(text):
    """NFKC (Chromium's subsets map some ideographs to Kangxi radicals) with all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def width_in_cells(text):
    return sum(0.5 if ord(c) < 0x2000 else 1 for c in text)


def pdf_pages(path):
    pages = []
    with pdfplumber.open(path) as pdf:
        meta = pdf.metadata
        for p in pdf.pages:
            chars = [c for c in p.chars if c["text"].strip()]
            rects = list(p.rects) + list(p.lines)
            pages.append({"w": p.width * MM, "h": p.height * MM, "chars": chars, "rects": rects,
                          "fonts": {c["fontname"] for c in chars}})
    return pages, meta


def lines_of(chars, lo=36.0, hi=262.5):
    """Characters in the type area grouped into lines by their top (mm)."""
    lines = {}
    for c in chars:
        top = c["top"] * MM
        if lo <= top <= hi:
            key = next((k for k in lines if abs(k - top) < 2.0), top)
            lines.setdefault(key, []).append(c)
    return [sorted(lines[k], key=lambda c: c["x0"]) for k in sorted(lines)]


def is_red(color):
    if not color or not isinstance(color, (list, tuple)) or len(color) < 3:
        return False
    r, g, b = color[:3]
    return r > 0.7 and g < 0.3 and b < 0.3


def check_pdf(name, path, layout, *, lo_pdf=False):
    label = f"{name}{' (LibreOffice)' if lo_pdf else ''}"
    pages, meta = pdf_pages(path)
    fmt = layout["format"]
    check(len(pages) == len(layout["pages"]), f"{label}: {len(pages)} pages, the layout has {len(layout['pages'])}")
    check(all(abs(p["w"] - 210) < 1 and abs(p["h"] - 297) < 1 for p in pages), f"{label}: every page is A4")
    first = pages[0]["chars"]
    left = min(c["x0"] for c in first) * MM
    check(abs(left - 28) <= 1, f"{label}: left text edge of page 1 at {left:.2f} mm (28 ± 1)")
    if fmt != "letter":
        top = min(c["top"] * MM for c in first)
        check(abs(top - 37) <= 1, f"{label}: top of the 版头 at {top:.2f} mm (37 ± 1)")
    elif not lo_pdf:
        # A DOCX cannot place text above its top margin: the 信函's 标志 30 mm from the top is checked in the PDF only.
        top = min(c["top"] * MM for c in first if c["non_stroking_color"] and is_red(c["non_stroking_color"]))
        check(abs(top - 30) <= 1.5, f"{label}: 信函 发文机关标志 top at {top:.2f} mm (30)")
    if lo_pdf:
        return pages
    check("字体替代" in (meta.get("Keywords") or ""), f"{label}: properties list the font substitution")
    # Full pages of 正文: 22 lines of at most 28 characters.
    full = [i for i, p in enumerate(layout["pages"]) if p["bodyLines"] == 22 and i > 0]
    for i in full:
        lines = lines_of(pages[i]["chars"])
        widths = [width_in_cells("".join(c["text"] for c in line)) for line in lines]
        check(len(lines) == 22 and max(widths) <= 28,
              f"{label}: page {i + 1} is a full page of 正文: {len(lines)} lines (22), widest {max(widths)} cells (≤ 28)")
    # The red line under the 发文字号.
    if fmt == "standard":
        number = [c for c in first if c["text"] == "〔"]
        if check(bool(number), f"{label}: the 发文字号 is on page 1"):
            bottom = max(c["bottom"] for c in first if abs(c["top"] - number[0]["top"]) < 2) * MM
            reds = [r for r in pages[0]["rects"] if is_red(r.get("non_stroking_color") or r.get("stroking_color"))
                    and abs(r["width"] * MM - 156) < 1.5]
            gaps = [r["top"] * MM - bottom for r in reds]
            check(any(2 <= g <= 7 for g in gaps),
                  f"{label}: a red line across the type area {', '.join(f'{g:.1f}' for g in gaps)} mm under the "
                  "发文字号 (4 mm below its line)")
    # Page numbers "— N —" on the outer side: odd pages right, even pages left, 7 mm under the type area.
    for i, lp in enumerate(layout["pages"]):
        if lp.get("number") is None:
            continue
        n = lp["number"]
        chars = [c for c in pages[i]["chars"] if c["top"] * MM > 264]
        text = norm("".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])))
        if not check(str(n) in text and "—" in text, f"{label}: page {i + 1} shows its number ({text})"):
            continue
        x0 = min(c["x0"] for c in chars) * MM
        x1 = max(c["x1"] for c in chars) * MM
        if n % 2 == 1:
            check(abs(x1 - (210 - 26 - 4.94)) <= 1.5, f"{label}: odd page {n}'s number on the right (ends {x1:.1f} mm)")
        else:
            check(abs(x0 - (28 + 4.94)) <= 1.5, f"{label}: even page {n}'s number on the left (starts {x0:.1f} mm)")
    # 版记 at the foot of the last even page.
    if fmt != "letter":
        last = pages[-1]["chars"]
        foot = [c for c in last if 240 < c["top"] * MM < 262]
        check(len(pages) % 2 == 0 and "印发" in norm("".join(c["text"] for c in foot)),
              f"{label}: the 版记 (…印发) at the foot of the last page, an even one ({len(pages)})")
    return pages


def pdf_text(pages, *, numbers=True):
    out = []
    for p in pages:
        chars = p["chars"] if numbers else [c for c in p["chars"] if c["top"] * MM < 264]
        out.append(norm("".join(c["text"] for c in chars)))
    return out


def check_docx(name, path, layout, pdf_pages_text):
    import docx
    from docx.shared import Mm
    d = docx.Document(path)
    s = d.sections[0]
    mm = lambda v: v / 36000  # EMU
    check(abs(mm(s.page_width) - 210) < 0.5 and abs(mm(s.page_height) - 297) < 0.5, f"{name}.docx: A4")
    check(abs(mm(s.top_margin) - 37) < 0.5, f"{name}.docx: top margin {mm(s.top_margin):.2f} mm (37)")
    check(abs(mm(s.left_margin) - 28) < 0.5, f"{name}.docx: binding margin {mm(s.left_margin):.2f} mm (28)")
    width = mm(s.page_width) - mm(s.left_margin) - mm(s.right_margin)
    height = mm(s.page_height) - mm(s.top_margin) - mm(s.bottom_margin)
    check(abs(width - 156) < 0.5 and abs(height - 225) < 0.5, f"{name}.docx: type area {width:.1f} × {height:.1f} mm")
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    grid = s._sectPr.find(ns + "docGrid")
    pitch = int(grid.get(ns + "linePitch")) if grid is not None else 0
    check(grid is not None and grid.get(ns + "type") in ("lines", "linesAndChars") and abs(pitch * 22 / 1440 * 25.4 - 225) < 1,
          f"{name}.docx: document grid of lines, pitch {pitch} twips = 22 lines in 225 mm")
    fonts, sizes = set(), set()
    for p in d.paragraphs:
        for r in p.runs:
            rf = r._r.find(f"{ns}rPr/{ns}rFonts")
            if rf is not None and rf.get(ns + "eastAsia"):
                fonts.add(rf.get(ns + "eastAsia"))
            if r.font.size:
                sizes.add(r.font.size.pt)
    check({"仿宋_GB2312", "方正小标宋简体"} <= fonts, f"{name}.docx: the standard's fonts named ({', '.join(sorted(fonts))})")
    expected = {16.0} | ({22.0} if layout["format"] != "minutes" else set())
    check(expected <= sizes, f"{name}.docx: sizes {sorted(sizes)} include 3号 16 pt (正文) and 2号 22 pt (标题)")
    text = norm("".join(p.text for p in d.paragraphs))
    pdf = "".join(pdf_pages_text)
    check(text == pdf, f"{name}.docx: the same text as the PDF ({len(text)} characters)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", tmp, path], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=180)
        converted = os.path.join(tmp, os.path.basename(path)[:-5] + ".pdf")
        if check(os.path.exists(converted), f"{name}.docx: LibreOffice converts it to PDF"):
            pages = check_pdf(name, converted, layout, lo_pdf=True)
            check(len(pages) == len(layout["pages"]), f"{name}.docx in LibreOffice: {len(pages)} pages")


def check_ofd(name, path, pdf_pages_text):
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    ns = "{http://www.ofdspec.org/2016}"
    root = ET.fromstring(z.read("OFD.xml"))
    check(root.tag == ns + "OFD", f"{name}.ofd: OFD.xml in the OFD namespace")
    doc_root = root.find(f"{ns}DocBody/{ns}DocRoot").text
    doc = ET.fromstring(z.read(doc_root))
    base = os.path.dirname(doc_root)
    max_id = int(doc.find(f"{ns}CommonData/{ns}MaxUnitID").text)
    ids, res_ids = [], set()
    res_files = [e.text for e in doc.iter() if e.tag in (ns + "PublicRes", ns + "DocumentRes")]
    for rf in res_files:
        res = ET.fromstring(z.read(f"{base}/{rf}"))
        for e in res.iter():
            if e.get("ID"):
                ids.append(int(e.get("ID")))
                res_ids.add(e.get("ID"))
            if e.tag == ns + "MediaFile":
                check(f"{base}/{res.get('BaseLoc')}/{e.text}" in names, f"{name}.ofd: media file {e.text} present")
    pages = doc.findall(f"{ns}Pages/{ns}Page")
    refs = []
    for p in pages:
        ids.append(int(p.get("ID")))
        loc = f"{base}/{p.get('BaseLoc')}"
        if not check(loc in names, f"{name}.ofd: page {loc} listed in Document.xml exists"):
            continue
        content = ET.fromstring(z.read(loc))
        for e in content.iter():
            if e.get("ID"):
                ids.append(int(e.get("ID")))
            for attr in ("Font", "ResourceID"):
                if e.get(attr):
                    refs.append(e.get(attr))
    check(len(ids) == len(set(ids)) and max(ids) <= max_id,
          f"{name}.ofd: {len(ids)} IDs unique and ≤ MaxUnitID {max_id}")
    missing = [r for r in refs if r not in res_ids]
    check(not missing, f"{name}.ofd: every Font and ResourceID ({len(refs)}) resolves"
          + (f" (missing {sorted(set(missing))})" if missing else ""))
    from easyofd.ofd import OFD
    reader = OFD()
    reader.read(open(path, "rb").read(), fmt="binary")
    info = reader.data[0]["page_info"]
    texts = []
    for k in sorted(info):
        texts.append(norm("".join(t["text"] for t in info[k]["text_list"])))
    check(len(texts) == len(pdf_pages_text), f"{name}.ofd: {len(texts)} pages read by easyofd")
    for i, (a, b) in enumerate(zip(texts, pdf_pages_text)):
        if not check(a == b, f"{name}.ofd: page {i + 1} text equals the PDF's ({len(a)} characters)"):
            print(f"       ofd: {a[:80]}\n       pdf: {b[:80]}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    names = sys.argv[2:] or sorted({os.path.basename(p)[:-5] for p in glob.glob(os.path.join(folder, "*.json"))})
    for name in names:
        base = os.path.join(folder, name)
        print(f"{name}:")
        layout = json.load(open(base + ".json"))
        pages = check_pdf(name, base + ".pdf", layout)
        texts = pdf_text(pages)
        if os.path.exists(base + ".ofd"):
            check_ofd(name, base + ".ofd", texts)
        if os.path.exists(base + ".docx"):
            check_docx(name, base + ".docx", layout, pdf_text(pages, numbers=False))
    if FAILURES:
        print(f"\n{len(FAILURES)} checks failed")
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
