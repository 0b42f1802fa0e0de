"""Real servers on loopback for the notification tests (and the benchmark).

- :class:`SMTPReceiver`: an aiosmtpd SMTP server that parses and checks every
  message (one recipient, text and HTML parts, Content-Language, the language of
  the subject) and records it.
- :class:`WebhookReceiver`: an HTTP/1.1 server that verifies each Standard
  Webhooks signature and records the ids it saw; its behaviour is set per test:
  fail the first N calls, always answer 410, or hold a request until released.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # a test secret, as the spec's examples have
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# A word of each locale's subject and body (notify/messages.yaml) that no other locale has.
MARKERS = {"en": ("changes from", "What changes for you"), "ja": ("改定のお知らせ", "主な変更点"),
           "de": ("Änderungen ab", "Was sich für Sie ändert"), "zh-Hans": ("更新通知", "与您相关的变化")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    envelope_to: list[str]
    message: Any
    language: str
    subject: str
    text: str
    html: str


@dataclass
class SMTPReceiver:
    """An SMTP server that checks every message it receives; ``problems`` lists what was wrong."""

    expected_locale: dict[str, str] = field(default_factory=dict)  # address -> locale the message must be in
    check: bool = True
    messages: list[Received] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    count: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.check:
            with self.lock:
                self.count += 1
            return "250 OK"
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        to = list(envelope.rcpt_tos)
        language = str(msg["Content-Language"] or "")
        subject = str(msg["Subject"] or "")
        text_part = msg.get_body(("plain",))
        html_part = msg.get_body(("html",))
        text = text_part.get_content() if text_part else ""
        html = html_part.get_content() if html_part else ""
        problems = []
        if len(to) != 1 or str(msg["To"]) != to[0]:
            problems.append(f"one recipient per message, To = envelope: {to} vs {msg['To']}")
        if not text or not html:
            problems.append(f"{to}: needs a text and an HTML part")
        want = self.expected_locale.get(to[0]) if to else None
        if want and language != want:
            problems.append(f"{to[0]}: Content-Language {language!r}, expected {want!r}")
        markers = MARKERS.get(language)
        if markers is None or markers[0] not in subject or markers[1] not in text or markers[1] not in html:
            problems.append(f"{to}: subject/body not in {language!r}: {subject!r}")
        if (language in ("ja", "zh-Hans")) != bool(JAPANESE.search(subject)):
            problems.append(f"{to}: Japanese script in the subject iff the message is Japanese: {subject!r}")
        if f'lang="{language}"' not in html:
            problems.append(f"{to}: <html lang> is not {language!r}")
        with self.lock:
            self.messages.append(Received(to, msg, language, subject, text, html))
            self.problems.extend(problems)
            self.count += 1
        return "250 OK"

    def start(self) -> SMTPReceiver:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def message_ids(self) -> Counter[tuple[str, str]]:
        return Counter((m.envelope_to[0], str(m.message["Message-ID"])) for m in self.messages)


@dataclass
class WebhookReceiver:
    """An HTTP server for webhooks. ``fail_first`` calls get 503; ``status`` answers every call after that."""

    fail_first: int = 0
    status: int = 200
    verify: bool = True
    hold_first: bool = False  # keep the first request waiting until ``release`` is set
    calls: int = 0
    ids: list[str] = field(default_factory=list)  # every webhook-id received, in order, repeats included
    bodies: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # by webhook-id: the last request's headers
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.holding = threading.Event()  # set when the held request has arrived
        self.release = threading.Event()

    def start(self) -> WebhookReceiver:
        from standardwebhooks.webhooks import Webhook, WebhookVerificationError

        receiver = self
        signer = Webhook(SECRET)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do

            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers["content-length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver.lock:
                    receiver.calls += 1
                    n = receiver.calls
                if receiver.verify:
                    try:
                        payload = signer.verify(data, headers)
                    except WebhookVerificationError as exc:
                        with receiver.lock:
                            receiver.problems.append(f"bad signature on call {n}: {exc}")
                        self._answer(400)
                        return
                else:
                    payload = json.loads(data)
                with receiver.lock:
                    receiver.ids.append(headers["webhook-id"])
                    receiver.bodies[headers["webhook-id"]] = payload
                    receiver.headers[headers["webhook-id"]] = headers
                if receiver.hold_first and n == 1:
                    receiver.holding.set()
                    receiver.release.wait(30)
                self._answer(503 if n <= receiver.fail_first else receiver.status)

            def _answer(self, status: int) -> None:
                body = b"{}"
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the sender is gone (killed mid-delivery)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/privacy"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
