#!/usr/bin/env python3
"""Phase 5f: the SMTP adapter delivers to a real SMTP server (aiosmtpd from PyPI).

Starts aiosmtpd on 127.0.0.1:PORT, runs `fuzheng mail test ADDRESS` with FUZHENG_SMTP_HOST pointing at it, and
checks that exactly one message arrived for that address with the subject and body decoded from UTF-8.
Usage: mail_check.py --port N --data DIR -- FUZHENG_COMMAND...
"""
import argparse
import email
import email.header
import os
import subprocess
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    command = [c for c in a.command if c != "--"]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=a.port)
    controller.start()
    try:
        env = dict(os.environ, FUZHENG_DATA_DIR=a.data, FUZHENG_SMTP_HOST="127.0.0.1",
                   FUZHENG_SMTP_PORT=str(a.port), FUZHENG_SMTP_FROM="bgs@huailai.example")
        env.pop("DATABASE_URL", None)
        address = "ci-reader@huailai.example"
        started = time.time()
        r = subprocess.run(command + ["mail", "test", address], env=env, capture_output=True, text=True,
                           timeout=300)
        print(r.stdout.strip(), r.stderr.strip()[-2000:], sep="\n")
        if r.returncode != 0:
            print(f"FAIL: fuzheng mail test exited {r.returncode}")
            return 1
        for _ in range(50):
            if sink.messages:
                break
            time.sleep(0.1)
        if len(sink.messages) != 1:
            print(f"FAIL: expected one message, got {len(sink.messages)}")
            return 1
        mail_from, rcpt, content = sink.messages[0]
        msg = email.message_from_bytes(content)
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
        body = msg.get_payload(decode=True).decode("utf-8")
        problems = []
        if rcpt != [address]:
            problems.append(f"recipients {rcpt}")
        if mail_from != "bgs@huailai.example":
            problems.append(f"sender {mail_from}")
        if "辅政邮件测试" not in subject:
            problems.append(f"subject {subject!r}")
        if "这是一封测试邮件" not in body:
            problems.append(f"body {body!r}")
        if problems:
            print("FAIL: " + "; ".join(problems))
            return 1
        # A second run sends nothing already sent again: only the new test message.
        r = subprocess.run(command + ["mail", "test", address], env=env, capture_output=True, text=True,
                           timeout=300)
        time.sleep(0.5)
        if r.returncode != 0 or len(sink.messages) != 2:
            print(f"FAIL: second run: exit {r.returncode}, {len(sink.messages)} messages in all (expected 2)")
            return 1
        print(f"ok: aiosmtpd received the message for {address} (subject {subject!r}) in "
              f"{time.time() - started:.1f} s; a second run sent only its own")
        return 0
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
