"""Logs in as sysadmin on a fresh demo server, opens the forced two-factor enrolment page, and decodes the QR code
it draws: rsvg-convert rasterises the page's SVG, zbarimg reads it. The text must be the otpauth URI for sysadmin
whose secret is the one printed beside the code. Exit 1 with a message on any difference."""
import argparse
import html
import http.cookiejar
import re
import subprocess
import sys
import urllib.parse
import urllib.request


def fail(message):
    print(f"enrolment_qr: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path):
        with opener.open(args.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode("utf-8")

    _, login = get("/login")
    token = re.search(r'name="_csrf" value="([0-9a-f]+)"', login)
    if not token:
        fail("no CSRF token on /login")
    body = urllib.parse.urlencode({"_csrf": token.group(1), "username": "sysadmin", "password": "Fuzheng@2023"})
    with opener.open(args.base + "/login", data=body.encode(), timeout=60) as response:
        landed, page = response.geturl(), response.read().decode("utf-8")
    if not landed.endswith("/account/2fa"):
        fail(f"after login sysadmin landed on {landed}, not the enrolment page")
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    if not svg:
        fail("no SVG on the enrolment page")
    shown = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page)
    if not shown:
        fail("the key is not printed beside the QR code")
    svg_path, png_path = f"{args.out}/enrolment.svg", f"{args.out}/enrolment.png"
    with open(svg_path, "w", encoding="utf-8") as f:
        f.write(svg.group(0))
    subprocess.run(["rsvg-convert", "-w", "600", "-b", "white", "-o", png_path, svg_path], check=True)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", png_path], capture_output=True, text=True)
    text = decoded.stdout.strip()
    if decoded.returncode != 0 or not text:
        fail(f"zbarimg could not read {png_path}: {decoded.stderr.strip()}")
    uri = urllib.parse.urlparse(text)
    query = urllib.parse.parse_qs(uri.query)
    secret = shown.group(1).replace(" ", "")
    if uri.scheme != "otpauth" or uri.netloc != "totp" or not urllib.parse.unquote(uri.path).endswith(":sysadmin"):
        fail(f"decoded text is not sysadmin's otpauth URI: {html.escape(text)}")
    if query.get("secret") != [secret]:
        fail(f"the QR code's secret {query.get('secret')} differs from the printed key {secret}")
    print(f"enrolment_qr: ok: the enrolment page's QR code reads {text[:40]}… and matches the printed key")


if __name__ == "__main__":
    main()
