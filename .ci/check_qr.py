#!/usr/bin/env python3
"""Reads back the QR codes of `fuzheng qr` with independent tools and rebuilds them with another encoder (CI).

One symbol:
    fuzheng qr --text-file PAYLOAD --output FILE.svg [--ecc M] [--min-version N] [--mask K]
        prints: version=N ecc=M mask=K
    python3 .ci/check_qr.py --svg FILE.svg --payload-file PAYLOAD --version N --ecc M --mask K
    (or --info "version=N ecc=M mask=K", the line fuzheng printed, instead of the three options)

The built-in suite (runs fuzheng qr itself for each case, in a scratch folder):
    python3 .ci/check_qr.py --suite --fuzheng "swift run --skip-build fuzheng" [--out DIR]

Checks for each symbol:
    svg       well-formed; role="img", a <title>, shape-rendering="crispEdges", a square viewBox in module units,
              width/height = viewBox × a whole number of pixels, a white background rect over the whole viewBox,
              one <path> of whole-module rectangles, nothing dark in the quiet zone
    zbar      rsvg-convert (librsvg2-bin) rasterises it, zbarimg --raw (zbar-tools) decodes it: the payload's bytes
    segno     segno.make_qr(payload bytes, mode="byte", same version, level and mask, boost_error=False) has the
              same module matrix, module by module
    mask      segno, given only version and level, chooses the same mask (the penalty rules agree)
    version   segno, given only the level, chooses the same version (unless the case forced a minimum version)

One line per check (PASS/FAIL); exit status 1 if any check fails, 2 on bad arguments or missing tools.
Needs: apt-get install librsvg2-bin zbar-tools; pip install segno.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

SVG_NS = "{http://www.w3.org/2000/svg}"
LEVELS = "LMQH"
# One rectangle per run of dark modules, exactly as QRCode.svg writes it; anything else is reported, not guessed.
RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")
INFO = re.compile(r"version=(\d+) ecc=([LMQH]) mask=([0-7])")

OTPAUTH_120 = ("otpauth://totp/%E8%BE%85%E6%94%BF:sysadmin?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
               "&issuer=%E8%BE%85%E6%94%BF&digits=6")
OTPAUTH_200 = ("otpauth://totp/辅政:sysadmin@huailai.gov.cn?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
               "GEZDGNBV&issuer=辅政%20怀来县预算公开平台&algorithm=SHA256&digits=6&period=30&image=none")


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


class Checker:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def run(self, name, fn, *args):
        try:
            detail = fn(*args)
            self.passed += 1
            print(f"PASS  {name}: {detail}", flush=True)
        except CheckFailed as e:
            self.failures.append(name)
            print(f"FAIL  {name}: {e}", flush=True)


def parse_svg(path, version):
    """The module matrix drawn in the SVG (rows of 0/1, quiet zone removed) and a short description."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise CheckFailed(f"{path} is not well-formed XML: {e}")
    require(root.tag == SVG_NS + "svg", f"root element is {root.tag}, not svg")
    require(root.get("role") == "img", 'the svg element lacks role="img"')
    require(root.get("shape-rendering") == "crispEdges", 'the svg element lacks shape-rendering="crispEdges"')
    titles = root.findall(SVG_NS + "title")
    require(len(titles) == 1 and (titles[0].text or "").strip(), "no <title> (the image's accessible name)")
    view = (root.get("viewBox") or "").split()
    require(len(view) == 4 and view[:2] == ["0", "0"] and view[2] == view[3] and view[2].isdigit(),
            f"viewBox {root.get('viewBox')!r} is not '0 0 N N'")
    extent = int(view[2])
    size = 17 + 4 * version
    quiet, odd = divmod(extent - size, 2)
    require(odd == 0 and quiet >= 0, f"viewBox {extent} does not fit a {size}-module symbol with an even margin")
    width, height = root.get("width", ""), root.get("height", "")
    require(width == height and width.isdigit() and int(width) % extent == 0,
            f"width/height {width!r}/{height!r} are not the same whole multiple of the viewBox {extent}")
    rects = root.findall(SVG_NS + "rect")
    require(len(rects) == 1 and rects[0].get("fill", "").lower() in ("#fff", "#ffffff", "white")
            and rects[0].get("width") == str(extent) and rects[0].get("height") == str(extent)
            and rects[0].get("x", "0") == "0" and rects[0].get("y", "0") == "0",
            "no white background rect covering the whole viewBox (the quiet zone must be light)")
    paths = root.findall(SVG_NS + "path")
    require(len(paths) == 1, f"{len(paths)} <path> elements, expected one")
    d = paths[0].get("d", "")
    matrix = [[0] * size for _ in range(size)]
    position = 0
    for match in RUN.finditer(d):
        require(match.start() == position, f"unexpected path data at offset {position}: {d[position:position + 30]!r}")
        position = match.end()
        x, y, length, back = (int(g) for g in match.groups())
        require(length == back and length > 0, f"run at ({x}, {y}) is not a closed rectangle")
        row, column = y - quiet, x - quiet
        require(0 <= row < size and 0 <= column and column + length <= size,
                f"dark run at ({x}, {y}) length {length} lies in the quiet zone or outside the symbol")
        for c in range(column, column + length):
            require(not matrix[row][c], f"module ({row}, {c}) drawn twice")
            matrix[row][c] = 1
    require(position == len(d), f"unexpected path data at offset {position}: {d[position:position + 30]!r}")
    return matrix, f"{size}×{size} modules, quiet zone {quiet}, {int(width) // extent} px per module"


def check_svg(path, version, holder):
    matrix, detail = parse_svg(path, version)
    holder["matrix"] = matrix
    return detail


def check_zbar(svg, payload, scratch):
    png = Path(scratch) / (Path(svg).stem + ".png")
    run = subprocess.run(["rsvg-convert", "--format", "png", "--output", str(png), str(svg)],
                         capture_output=True, text=True)
    require(run.returncode == 0, f"rsvg-convert failed ({run.returncode}): {run.stderr.strip()}")
    # -Sbinary: the bytes as encoded, without zbar's guess at a character set, so the comparison is exact.
    run = subprocess.run(["zbarimg", "--raw", "-q", "-Sbinary", str(png)], capture_output=True)
    require(run.returncode == 0, f"zbarimg found no QR code (status {run.returncode}): "
            f"{run.stderr.decode(errors='replace').strip()}")
    decoded = run.stdout
    # zbarimg ends each symbol with a newline of its own.
    if decoded.endswith(b"\n"):
        decoded = decoded[:-1]
    require(decoded == payload, f"zbarimg read {decoded[:80]!r}… ({len(decoded)} bytes), "
            f"expected {payload[:80]!r}… ({len(payload)} bytes)")
    return f"zbarimg reads back the {len(payload)}-byte payload"


def segno_matrix(qr):
    return [list(row) for row in qr.matrix]


def patch_segno_padding():
    """segno (1.6.6 and earlier) adds 8 zero bits when the bit stream already ends on a codeword boundary,
    which in byte mode is nearly always, so its data codewords differ from the standard's (7.4.10) from the
    first pad codeword on: https://github.com/heuer/segno/issues/123 and /148. Decoders ignore everything
    after the terminator, so its symbols still scan, but a module-by-module comparison needs the standard's
    padding. This replaces only that function, with the fix proposed in #148; everything else is segno's own.
    """
    from segno import consts, encoder

    def write_padding_bits(buff, version, length):
        if version not in (consts.VERSION_M1, consts.VERSION_M3):
            buff.extend([0] * (-length % 8))

    encoder.write_padding_bits = write_padding_bits


def check_segno(matrix, payload, version, ecc, mask):
    import segno
    qr = segno.make_qr(payload, mode="byte", error=ecc, version=version, mask=mask, boost_error=False)
    require((qr.version, qr.error, qr.mask) == (version, ecc, mask),
            f"segno made {qr.designator} mask {qr.mask}, not {version}-{ecc} mask {mask}")
    theirs = segno_matrix(qr)
    require(len(theirs) == len(matrix), f"segno's symbol has {len(theirs)} rows, ours {len(matrix)}")
    differences = [(r, c) for r in range(len(matrix)) for c in range(len(matrix))
                   if matrix[r][c] != theirs[r][c]]
    require(not differences, f"{len(differences)} module(s) differ from segno's, first (row, column): "
            f"{differences[:12]}")
    return f"all {len(matrix) ** 2} modules of {version}-{ecc} mask {mask} match segno {segno.__version__}"


def check_mask(payload, version, ecc, mask):
    import segno
    qr = segno.make_qr(payload, mode="byte", error=ecc, version=version, boost_error=False)
    require(qr.mask == mask, f"segno chooses mask {qr.mask} for {version}-{ecc}, fuzheng chose {mask}")
    return f"segno also chooses mask {mask}"


def check_version(payload, version, ecc):
    import segno
    qr = segno.make_qr(payload, mode="byte", error=ecc, boost_error=False)
    require(qr.version == version, f"segno chooses version {qr.version} for {len(payload)} bytes at {ecc}, "
            f"fuzheng chose {version}")
    return f"segno also chooses version {version} for {len(payload)} bytes at {ecc}"


def check_one(checker, name, svg, payload, version, ecc, mask, scratch, auto_version=True, auto_mask=True):
    holder = {}
    checker.run(f"{name} svg", check_svg, svg, version, holder)
    checker.run(f"{name} zbar", check_zbar, svg, payload, scratch)
    if "matrix" in holder:
        checker.run(f"{name} segno", check_segno, holder["matrix"], payload, version, ecc, mask)
    if auto_mask:
        checker.run(f"{name} mask", check_mask, payload, version, ecc, mask)
    if auto_version:
        checker.run(f"{name} version", check_version, payload, version, ecc)


def suite_cases():
    """(name, payload bytes, ecc, min version or None, forced mask or None)."""
    cases = [
        ("otpauth-120-M", OTPAUTH_120.encode(), "M", None, None),
        ("one-byte-L", b"A", "L", None, None),
        ("chinese-M", "辅政：怀来县人民政府办公室 2023 年部门预算公开".encode(), "M", None, None),
        ("binary-bytes-Q", bytes(range(256))[:100], "Q", None, None),
        ("version-7-info-L", b"version information", "L", 7, None),
        ("count-16-bits-M", b"x" * 10, "M", 10, None),
        ("largest-40-L", bytes((i * 7 + 3) % 256 for i in range(2953)), "L", None, None),
    ]
    cases += [(f"otpauth-200-{level}", OTPAUTH_200.encode(), level, None, None) for level in LEVELS]
    cases += [(f"mask-{mask}-Q", OTPAUTH_120.encode(), "Q", None, mask) for mask in range(8)]
    # Every version at every level: a payload that fills it exactly, so the block tables are all exercised.
    for version in range(1, 41):
        for level in LEVELS:
            cases.append((f"full-{version}-{level}", None, level, version, None))
    return cases


def capacity(version, level):
    """Bytes that fill the version at the level exactly, from segno's table of data bits (ISO Table 7)."""
    import segno.consts as consts
    error = {"L": consts.ERROR_LEVEL_L, "M": consts.ERROR_LEVEL_M, "Q": consts.ERROR_LEVEL_Q,
             "H": consts.ERROR_LEVEL_H}[level]
    count_bits = 8 if version <= 9 else 16
    return (consts.SYMBOL_CAPACITY[version][error] - 4 - count_bits) // 8


def run_suite(args, checker):
    fuzheng = shlex.split(args.fuzheng)
    out = Path(args.out or tempfile.mkdtemp(prefix="check_qr."))
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FUZHENG_DATA_DIR=str(out / "data"))
    env.pop("DATABASE_URL", None)
    for name, payload, ecc, min_version, forced_mask in suite_cases():
        if payload is None:
            payload = bytes((i * 31 + min_version) % 256 for i in range(capacity(min_version, ecc)))
        payload_file = out / f"{name}.bin"
        payload_file.write_bytes(payload)
        svg = out / f"{name}.svg"
        command = fuzheng + ["qr", "--text-file", str(payload_file), "--output", str(svg), "--ecc", ecc]
        if min_version:
            command += ["--min-version", str(min_version)]
        if forced_mask is not None:
            command += ["--mask", str(forced_mask)]
        run = subprocess.run(command, capture_output=True, text=True, env=env)
        info = INFO.search(run.stdout)
        if run.returncode != 0 or not info:
            checker.failures.append(f"{name} fuzheng")
            print(f"FAIL  {name} fuzheng: {shlex.join(command)} exited {run.returncode}: "
                  f"{(run.stdout + run.stderr).strip()[-400:]}", flush=True)
            continue
        version, level, mask = int(info.group(1)), info.group(2), int(info.group(3))
        forced_wrong = forced_mask is not None and mask != forced_mask
        if level != ecc or (min_version and version != min_version) or forced_wrong:
            checker.failures.append(f"{name} fuzheng")
            print(f"FAIL  {name} fuzheng: asked for {ecc} version {min_version} mask {forced_mask}, "
                  f"got {info.group(0)}", flush=True)
            continue
        check_one(checker, name, svg, payload, version, ecc, mask, out,
                  auto_version=min_version is None, auto_mask=forced_mask is None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--svg", help="the SVG fuzheng qr wrote")
    parser.add_argument("--payload-file", help="the bytes that were encoded")
    parser.add_argument("--version", type=int, choices=range(1, 41), metavar="1-40")
    parser.add_argument("--ecc", choices=list(LEVELS))
    parser.add_argument("--mask", type=int, choices=range(8), metavar="0-7")
    parser.add_argument("--info", help='the line fuzheng qr printed: "version=N ecc=M mask=K"')
    parser.add_argument("--forced", action="store_true",
                        help="the version or mask was forced: skip the checks that segno chooses the same")
    parser.add_argument("--suite", action="store_true", help="run the built-in cases through --fuzheng")
    parser.add_argument("--fuzheng", default="swift run --skip-build fuzheng", help="how to run fuzheng (suite)")
    parser.add_argument("--out", help="folder for the suite's payloads, SVGs and PNGs (default: a temporary one)")
    args = parser.parse_args()

    missing = [tool for tool in ("rsvg-convert", "zbarimg") if shutil.which(tool) is None]
    try:
        import segno  # noqa: F401
    except ImportError:
        missing.append("segno (pip install segno)")
    if missing:
        print(f"check_qr: missing {', '.join(missing)}", file=sys.stderr)
        return 2

    patch_segno_padding()
    checker = Checker()
    if args.suite:
        run_suite(args, checker)
    else:
        if args.info:
            info = INFO.search(args.info)
            if not info:
                parser.error(f"--info {args.info!r} is not 'version=N ecc=M mask=K'")
            args.version, args.ecc, args.mask = int(info.group(1)), info.group(2), int(info.group(3))
        if not (args.svg and args.payload_file and args.version and args.ecc and args.mask is not None):
            parser.error("give --svg, --payload-file and --version/--ecc/--mask (or --info), or --suite")
        payload = Path(args.payload_file).read_bytes()
        with tempfile.TemporaryDirectory(prefix="check_qr.") as scratch:
            check_one(checker, Path(args.svg).name, args.svg, payload, args.version, args.ecc, args.mask, scratch,
                      auto_version=not args.forced, auto_mask=not args.forced)

    if checker.failures:
        print(f"check_qr: {len(checker.failures)} check(s) FAILED: {', '.join(checker.failures)}", file=sys.stderr)
        return 1
    print(f"check_qr: all {checker.passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
