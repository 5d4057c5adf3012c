"""Shared helpers for the CI operations drills (.ci/pdf_load.py, .ci/restore_drill.py, .ci/crash_drill.py).

Standard library only. A `Server` runs `fuzheng serve` in a process group (session) of its own, so it can be
killed with everything it started; a `Client` is one browser-like session (its own fz_session cookie) that does
not follow redirects, so a save's 303 is seen as such. `totp` is RFC 6238 (SHA-1, 30 s, 6 digits).
"""
import base64
import hashlib
import hmac
import http.client
import os
import re
import signal
import struct
import subprocess
import sys
import time
import urllib.parse

PASSWORD = "Fuzheng@2023"


class DrillFailed(Exception):
    pass


def log(tag, message):
    print(f"{tag}: {message}", flush=True)


def install_signal_exit():
    """SIGTERM/SIGHUP end the script through SystemExit, so `finally` blocks stop the servers it started."""
    def handler(signum, _frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)


def totp(secret_b32, at=None, step=30, digits=6):
    key = base64.b32decode(secret_b32.replace(" ", "").upper() + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


def random_key_hex():
    return os.urandom(32).hex()


# ----------------------------------------------------------------------------------------------------- HTTP

class Response:
    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers  # dict, lower-case names
        self.body = body
        self.elapsed = elapsed

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def location(self):
        loc = self.headers.get("location", "")
        return urllib.parse.urlparse(loc).path + (("?" + urllib.parse.urlparse(loc).query)
                                                   if urllib.parse.urlparse(loc).query else "")


class Client:
    """One user's session. A new TCP connection per request (the server may be killed between two)."""

    def __init__(self, host, port, name="client"):
        self.host, self.port, self.name = host, port, name
        self.cookies = {}

    def request(self, method, path, form=None, timeout=60):
        headers = {"Connection": "close", "Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            raw_headers = r.getheaders()
        finally:
            conn.close()
        elapsed = time.monotonic() - started
        hdrs = {}
        for k, v in raw_headers:
            k = k.lower()
            if k == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in v.lower() or "expires=thu, 01 jan 1970" in v.lower():
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            hdrs[k] = v
        return Response(r.status, hdrs, data, elapsed)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, **kw):
        return self.request("POST", path, form=form, **kw)

    def follow(self, path, limit=6):
        """GET, following redirects; returns (final path, response)."""
        for _ in range(limit):
            r = self.get(path)
            if r.status in (301, 302, 303, 307) and r.location:
                path = r.location
                continue
            return path, r
        raise DrillFailed(f"{self.name}: too many redirects from {path}")


def csrf_of(page_text):
    m = re.search(r'name="_csrf" value="([^"]+)"', page_text)
    return m.group(1) if m else None


def log_in(client, username, password=PASSWORD):
    """Password step. Returns where the server sends the user: '/account/2fa' (must enrol), '/login/verify'
    (code wanted) or the home page."""
    _, page = client.follow("/login")
    token = csrf_of(page.text)
    if not token:
        raise DrillFailed(f"{client.name}: no CSRF token on /login (HTTP {page.status})")
    r = client.post("/login", {"_csrf": token, "username": username, "password": password})
    if r.status != 303:
        raise DrillFailed(f"{client.name}: login as {username} answered HTTP {r.status}, not 303")
    return r.location


def enrol_second_factor(client):
    """On the forced enrolment page: reads the key, confirms with a code, returns (secret, recovery codes,
    the TOTP time step used)."""
    where, page = client.follow("/account/2fa")
    shown = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page.text)
    token = csrf_of(page.text)
    if not shown or not token:
        raise DrillFailed(f"{client.name}: no key or CSRF token on the enrolment page ({where}, HTTP {page.status})")
    secret = shown.group(1).replace(" ", "")
    now = time.time()
    r = client.post("/account/2fa", {"_csrf": token, "code": totp(secret, now)})
    codes = re.findall(r"<li><code>([^<]+)</code></li>", r.text)
    if r.status != 200 or len(codes) < 4:
        raise DrillFailed(f"{client.name}: enrolment not confirmed (HTTP {r.status}, {len(codes)} recovery codes)")
    return secret, codes, int(now // 30)


def second_step(client, code):
    """The code form after the password (a TOTP code or a recovery code)."""
    _, page = client.follow("/login/verify")
    token = csrf_of(page.text)
    if not token:
        raise DrillFailed(f"{client.name}: no CSRF token on /login/verify (HTTP {page.status})")
    r = client.post("/login/verify", {"_csrf": token, "code": code})
    if r.status != 303:
        raise DrillFailed(f"{client.name}: second factor refused (HTTP {r.status})")
    return r.location


def admin_session(client, username, recovery_code):
    """Logs an enrolled administrator in with the password and a recovery code."""
    where = log_in(client, username)
    if where.split("?")[0] != "/login/verify":
        raise DrillFailed(f"{client.name}: after the password {username} went to {where}, not /login/verify")
    second_step(client, recovery_code)


# ----------------------------------------------------------------------------------------------------- server

def cst_now_minus(minutes):
    """'YYYY-MM-DD HH:MM' in China Standard Time (UTC+8), `minutes` ago: the incident form's format."""
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(time.time() + 8 * 3600 - minutes * 60))


def cst_month():
    return time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))


class Server:
    """`fuzheng serve` on 127.0.0.1:port with the given environment (FUZHENG_DATA_DIR, DATABASE_URL, …)."""

    def __init__(self, fuzheng, port, env, log_path, tag):
        self.fuzheng = list(fuzheng)
        self.port = port
        self.env = env
        self.log_path = log_path
        self.tag = tag
        self.proc = None
        self.starts = 0

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self, timeout=90):
        if port_open(self.port):
            raise DrillFailed(f"port {self.port} is already in use")
        self.starts += 1
        logf = open(self.log_path, "ab")
        logf.write(f"\n----- start {self.starts} at {time.strftime('%H:%M:%S')} -----\n".encode())
        logf.flush()
        self.proc = subprocess.Popen(self.fuzheng + ["serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                                     env=self.env, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        logf.close()
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise DrillFailed(f"the server exited with status {self.proc.returncode} before answering "
                                  f"(log: {self.log_path}):\n{tail(self.log_path)}")
            try:
                if Client("127.0.0.1", self.port).get("/healthz", timeout=2).status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.1)
        raise DrillFailed(f"no healthy answer from the server within {timeout} s (log: {self.log_path})")

    def kill9(self):
        """SIGKILL to the server alone (a crash); Chromium children, if any, are killed with the group."""
        if not self.proc:
            return
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc = None
        wait_port_free(self.port)

    def stop(self):
        if not self.proc:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.proc = None
        wait_port_free(self.port)


def port_open(port):
    import socket
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_port_free(port, timeout=10):
    deadline = time.monotonic() + timeout
    while port_open(port) and time.monotonic() < deadline:
        time.sleep(0.05)


def tail(path, lines=30):
    try:
        with open(path, "rb") as f:
            return "\n".join(f.read().decode("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def run_cli(fuzheng, args, env, timeout=300):
    """Runs a `fuzheng` command; returns (exit status, combined output, seconds)."""
    started = time.monotonic()
    p = subprocess.run(list(fuzheng) + list(args), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace").strip(), time.monotonic() - started


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def base_env(data_dir, secret_key, database_url=None, **extra):
    """The server's environment: demo mode, a fixed SM4 key (administrators' second factors must survive
    restarts and restores), cheap bcrypt, LOG_LEVEL=notice."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUZHENG_") and k != "DATABASE_URL"}
    env.update(FUZHENG_DATA_DIR=data_dir, FUZHENG_SECRET_KEY=secret_key, FUZHENG_BCRYPT_COST="4",
               LOG_LEVEL="notice")
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


def main_wrapper(tag, body):
    install_signal_exit()
    try:
        body()
    except DrillFailed as e:
        print(f"{tag}: FAIL: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
