"""Webhooks per the Standard Webhooks spec, signed with the ``standardwebhooks`` package.

One POST per audience locale. Headers: ``webhook-id`` (the job's idempotency
key, the same on every retry, so the receiver can de-duplicate),
``webhook-timestamp`` (this attempt) and ``webhook-signature`` (HMAC-SHA256 of
``id.timestamp.body`` with the secret from the environment). The body is the
notice (``src/policykit/schemas/notice.schema.json``).

2xx is delivered; 408, 429, 5xx, timeouts and connection errors are retried
(honouring ``Retry-After``); any other status is permanent: the job is dead.
Connections are kept alive, one per worker thread.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policykit.diagnostics import Diagnostic, error
from policykit.errors import NotifyError
from policykit.notify.channels.base import DeliveryError, audience_by_locale
from policykit.notify.deadline import Watchdog
from policykit.notify.outbox import Job
from policykit.notify.settings import ChannelSpec, ConfigMapping

KEYS = ("id", "type", "locales", "url", "secret_env", "timeout")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
RETRYABLE = frozenset({408, 429})
_REUSE_ERRORS = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http(s) URL with a host"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        return "must use https (plain http is allowed only to localhost)"
    return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def body(notice: Mapping[str, Any]) -> str:
    """The exact text that is signed and sent."""
    return json.dumps(notice, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def request_headers(job: Job, now: dt.datetime, signature: str) -> dict[str, str]:
    """The headers of a webhook POST. Every value is ASCII without line breaks: the key is made of ids,
    a locale tag and a validated address, and the locale tag is validated in policy/notify.yaml."""
    return {
        "content-type": "application/json; charset=utf-8",
        "content-language": job.locale,
        "user-agent": "policyctl",
        "webhook-id": job.key,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


class WebhookChannel:
    def __init__(self, spec: ChannelSpec, *, url: str, secret: str, timeout: float) -> None:
        from standardwebhooks.webhooks import Webhook

        self.id = spec.id
        self.spec = spec
        self.url = url
        parts = urlsplit(url)
        self._scheme, self._host, self._port = parts.scheme, parts.hostname or "", parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        try:
            self._signer = Webhook(secret)
        except Exception as exc:  # the library raises bare errors for a malformed base64 secret
            raise NotifyError(f"channel {spec.id!r}: the signing secret is not a Standard Webhooks secret "
                              f"(whsec_ + base64): {exc}") from None
        self._local = threading.local()
        self._open: set[http.client.HTTPConnection] = set()
        self._lock = threading.Lock()
        self._watchdog = Watchdog()
        self._bodies: dict[int, tuple[object, str]] = {}

    # -- the registry's class methods -------------------------------------
    @classmethod
    def check(cls, spec: ChannelSpec, problems: list[Diagnostic]) -> None:
        o = ConfigMapping(spec.options, f"channel {spec.id!r}", KEYS, problems)
        url = o.text("url", required=True)
        if url and (problem := _url_problem(url)):
            problems.append(error(o.where("url"), f"channel {spec.id!r}: url {problem}", "notify.url"))
        o.text("secret_env", required=True)
        o.seconds("timeout", 10.0)

    @classmethod
    def open(cls, spec: ChannelSpec, *, root: Path, env: Mapping[str, str]) -> WebhookChannel:
        o = ConfigMapping(spec.options, f"channel {spec.id!r}", KEYS, [])
        name = o.text("secret_env") or ""
        secret = env.get(name)
        if not secret:
            raise NotifyError(f"channel {spec.id!r}: environment variable {name} is not set; it must hold the "
                              "webhook signing secret (whsec_…), which is never stored in the repository")
        return cls(spec, url=o.text("url") or "", secret=secret, timeout=o.seconds("timeout", 10.0))

    # -- the Channel protocol ---------------------------------------------
    audience = staticmethod(audience_by_locale)

    def request(self, job: Job, now: dt.datetime | None = None) -> tuple[dict[str, str], str]:
        """The headers and body of the POST that delivers ``job`` (signed at ``now``)."""
        # Jobs of one notice share its object: its JSON is made once (the outbox keeps the notice alive).
        cached = self._bodies.get(id(job.notice))
        if cached is not None and cached[0] is job.notice:
            text = cached[1]
        else:
            text = body(job.notice)
            if len(self._bodies) > 64:
                self._bodies.clear()
            self._bodies[id(job.notice)] = (job.notice, text)
        now = now or dt.datetime.now(dt.UTC)
        return request_headers(job, now, self._signer.sign(job.key, now, text)), text

    def deliver(self, job: Job) -> None:
        headers, text = self.request(job)
        status, reason, retry_after = self._post(text.encode("utf-8"), headers)
        if 200 <= status < 300:
            return
        message = f"HTTP {status} {reason}".strip()
        if status in RETRYABLE or status >= 500:
            raise DeliveryError(message, retry_after=_retry_after(retry_after))
        raise DeliveryError(f"{message} (the receiver refuses it; not retried)", permanent=True)

    def _post(self, data: bytes, headers: dict[str, str]) -> tuple[int, str, str | None]:
        """POST once (once more on a fresh connection when a kept-alive one was closed), all within ``timeout``."""
        used: list[http.client.HTTPConnection] = []  # the watchdog runs in its own thread: no thread-locals there
        with self._watchdog.guard(self.timeout, lambda: used[-1].sock if used else None) as guard:
            for fresh in (False, True):
                conn, reused = self._connection(fresh)
                used.append(conn)
                try:
                    conn.request("POST", self._path, data, headers)
                    resp = conn.getresponse()
                    resp.read()  # drain it, so the connection can carry the next request
                    if guard.expired:
                        raise TimeoutError
                    if resp.getheader("connection", "").lower() == "close":
                        self._drop(conn)
                    return resp.status, resp.reason, resp.getheader("retry-after")
                except (OSError, http.client.HTTPException) as exc:
                    self._drop(conn)
                    if guard.expired or isinstance(exc, TimeoutError):
                        raise DeliveryError(f"no complete answer within {self.timeout:g} s") from None
                    if isinstance(exc, _REUSE_ERRORS) and reused and not fresh:
                        continue  # the server closed an idle keep-alive connection: once more on a new one
                    if isinstance(exc, _REUSE_ERRORS):
                        raise DeliveryError(f"connection lost: {exc or type(exc).__name__}") from None
                    raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
        raise AssertionError("unreachable")

    def _connection(self, fresh: bool) -> tuple[http.client.HTTPConnection, bool]:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is not None and not fresh:
            return conn, True
        if self._scheme == "https":
            conn = http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout)
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        self._local.conn = conn
        with self._lock:
            self._open.add(conn)
        return conn, False

    def _drop(self, conn: http.client.HTTPConnection) -> None:
        conn.close()
        with self._lock:
            self._open.discard(conn)
        if getattr(self._local, "conn", None) is conn:
            self._local.conn = None

    def close(self) -> None:
        self._watchdog.close()
        with self._lock:
            for conn in self._open:
                conn.close()
            self._open.clear()
