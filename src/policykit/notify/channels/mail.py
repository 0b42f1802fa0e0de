"""E-mail over SMTP (smtplib): one message per recipient, in the recipient's language.

Recipients come from a file or from a command that prints them (customer
addresses do not belong in the repository), one per line::

    alice@example.com  ja
    bob@example.com,de
    carol@example.com          # no locale: the channel's first one

The subject and the text and HTML bodies come from ``notify/templates`` and the
per-locale words in ``notify/messages.yaml``; dates are formatted by Babel
(CLDR). The ``Message-ID`` is derived from the idempotency key, so a message
sent again after a crash carries the same id and a receiving system can drop
the copy. ``Reply-To`` is the channel's ``reply_to`` or the policy's DPO;
``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 2369, RFC 8058) carry the
channel's ``unsubscribe`` URL for the recipient. SMTP 4xx answers, lost
connections and a session past ``timeout`` (the whole delivery, not each read) are
retried; 5xx answers are permanent. Each worker thread keeps one SMTP session open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shlex
import smtplib
import ssl
import threading
from collections.abc import Iterator, Mapping
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from policykit.diagnostics import Diagnostic, error
from policykit.errors import NotifyError
from policykit.notify.channels.base import DeliveryError, Recipient
from policykit.notify.deadline import Watchdog
from policykit.notify.outbox import Job
from policykit.notify.recipients import command_lines, file_lines, parse_recipients
from policykit.notify.settings import ChannelSpec, ConfigMapping
from policykit.vocabulary import control_problem, is_email

KEYS = ("id", "type", "locales", "host", "port", "tls", "username_env", "password_env", "from", "reply_to",
        "unsubscribe", "recipients", "timeout")
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}


def _messages() -> dict[str, dict[str, str]]:
    from policykit import yamlio

    data = resources.files("policykit").joinpath("notify/messages.yaml").read_bytes()
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in yamlio.parse(data, "messages.yaml").items()}


def messages_for(locale: str) -> dict[str, str]:
    """The e-mail's words in ``locale`` (``pt-BR → pt``), English when there are none."""
    table = _messages()
    parts = locale.split("-")
    for i in range(len(parts), 0, -1):
        if (tag := "-".join(parts[:i])) in table:
            return table[tag]
    return table["en"]


def _templates() -> Any:
    from policykit import templating

    return templating.environment("policykit.notify", html_only=("html.j2",), trim_blocks=True, lstrip_blocks=True)


def _language_name(tag: str, in_locale: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(tag, sep="-").get_display_name(Locale.parse(in_locale, sep="-")) or tag
    except (ValueError, LookupError):
        return tag


def _date(iso: str, locale: str) -> str:
    from babel.dates import format_date

    try:
        return format_date(dt.date.fromisoformat(iso), format="long", locale=locale.replace("-", "_"))
    except (ValueError, LookupError):
        return iso


def render(notice: Mapping[str, Any], locale: str) -> tuple[str, str, str]:
    """Subject, text body and HTML body of the e-mail for ``notice`` in ``locale``.

    :class:`DeliveryError` (permanent) when the subject would not be one line: a header is
    built only from single-line text, and no retry can mend a notice.
    """
    data = notice["data"]
    pending = data["summary_locale"].split("-")[0] != locale.split("-")[0] and bool(data["summary"])
    people = data.get("contacts") or {}
    dpo, controller = people.get("dpo"), people.get("controller")
    words = {
        "title": data["title"], "version": data["version"], "effective": _date(data["effective"], locale),
        "published": _date(data["published"], locale), "language": _language_name(data["summary_locale"], locale),
        "name": (dpo or {}).get("name") or "",
    }
    m = {k: v.format(**words) for k, v in messages_for(locale).items()}
    if (problem := control_problem(m["subject"], single_line=True)) is not None:
        raise DeliveryError(f"the subject {m['subject']!r} {problem}; fix the title and enqueue again "
                            "(not retried)", permanent=True)
    summary = data["summary"] or ""
    context = {
        "m": m, "data": data, "locale": locale, "subject": m["subject"], "summary_pending": pending,
        "paragraphs": [p.strip() for p in re.split(r"\n\s*\n", summary) if p.strip()],
        "dpo": dpo, "controller": controller,
    }
    env = _templates()
    text = env.get_template("email.txt.j2").render(context)
    return m["subject"], text, env.get_template("email.html.j2").render(context)


def unsubscribe_problem(template: str) -> str | None:
    """Why ``template`` cannot be the one-click unsubscribe URL (RFC 8058 wants https), or None."""
    try:
        url = template.format(recipient="someone@example.com")
    except (KeyError, IndexError, ValueError) as exc:
        return f"has a bad placeholder {exc}; the only one is {{recipient}}"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "must be an https URL (RFC 8058 one-click unsubscribe), e.g. https://example.com/unsubscribe?r={recipient}"
    if not url.isascii() or control_problem(url, single_line=True) or any(c in url for c in " <>\""):
        return "must be one line of ASCII without spaces or <>"
    return None


class EmailChannel:
    def __init__(self, spec: ChannelSpec, *, host: str, port: int, tls: str, sender: str,
                 credentials: tuple[str, str] | None, timeout: float, reply_to: str | None = None,
                 unsubscribe: str | None = None) -> None:
        self.id = spec.id
        self.host, self.port, self.tls, self.sender = host, port, tls, sender
        self.reply_to, self.unsubscribe = reply_to, unsubscribe
        self._watchdog = Watchdog()
        self.credentials = credentials
        self.timeout = timeout
        self.envelope_from = parseaddr(sender)[1]
        self.domain = self.envelope_from.rpartition("@")[2] or "localhost"
        self._local = threading.local()
        self._sessions: set[smtplib.SMTP] = set()
        self._lock = threading.Lock()
        self._cache: dict[tuple[bytes, str], bytes] = {}

    @classmethod
    def check(cls, spec: ChannelSpec, problems: list[Diagnostic]) -> None:
        what = f"channel {spec.id!r}"
        o = ConfigMapping(spec.options, what, KEYS, problems)
        o.text("host", required=True)
        tls = o.text("tls", "starttls")
        if tls not in TLS_MODES:
            problems.append(error(o.where("tls"), f"{what}: tls must be one of {', '.join(TLS_MODES)}",
                                  "notify.schema"))
        o.integer("port", 25, minimum=1)
        sender = o.text("from", required=True)
        if sender and not is_email(parseaddr(sender)[1]):
            problems.append(error(o.where("from"), f"{what}: `from` must be an address like "
                                  "`Privacy Team <privacy@example.com>`", "notify.schema"))
        if tls == "none" and ("username_env" in spec.options or "password_env" in spec.options):
            problems.append(error(o.where("tls"), f"{what}: tls: none would send the SMTP password in clear "
                                  "text; use starttls or ssl", "notify.tls"))
        o.seconds("timeout", 30.0)
        reply_to = o.text("reply_to")
        if reply_to and (not is_email(parseaddr(reply_to)[1]) or control_problem(reply_to, single_line=True)):
            problems.append(error(o.where("reply_to"), f"{what}: `reply_to` must be an address like "
                                  "`Data Protection Officer <dpo@example.com>`", "notify.schema"))
        # Not required (a file written before it existed stays valid), but `enqueue` warns without it.
        unsubscribe = o.text("unsubscribe")
        if unsubscribe and (problem := unsubscribe_problem(unsubscribe)):
            problems.append(error(o.where("unsubscribe"), f"{what}: unsubscribe {problem}", "notify.url"))
        r = o.mapping("recipients", required=True)
        if r is not None:
            ro = ConfigMapping(r, f"{what} recipients", ("file", "command"), problems)
            if ("file" in r) == ("command" in r):
                problems.append(error(r.pos, f"{what}: recipients need exactly one of `file` or `command`",
                                      "notify.schema"))
            ro.text("file")
            if "command" in r and not isinstance(r["command"], str):
                ro.strings("command")

    @classmethod
    def open(cls, spec: ChannelSpec, *, root: Path, env: Mapping[str, str]) -> EmailChannel:
        o = ConfigMapping(spec.options, f"channel {spec.id!r}", KEYS, [])
        tls = o.text("tls", "starttls") or "starttls"
        credentials = None
        if "username_env" in spec.options or "password_env" in spec.options:
            names = [o.text("username_env") or "", o.text("password_env") or ""]
            missing = [n for n in names if not env.get(n)]
            if missing:
                raise NotifyError(f"channel {spec.id!r}: environment variable(s) {', '.join(missing)} not set "
                                  "(SMTP credentials are never stored in the repository)")
            credentials = (env[names[0]], env[names[1]])
        return cls(spec, host=o.text("host") or "", port=o.integer("port", DEFAULT_PORT[tls]),
                   tls=tls, sender=o.text("from") or "", credentials=credentials,
                   timeout=o.seconds("timeout", 30.0), reply_to=o.text("reply_to"),
                   unsubscribe=o.text("unsubscribe"))

    @classmethod
    def for_preview(cls, spec: ChannelSpec) -> EmailChannel:
        """The channel as configured, without credentials: it builds messages; it is never connected."""
        o = ConfigMapping(spec.options, f"channel {spec.id!r}", KEYS, [])
        tls = o.text("tls", "starttls") or "starttls"
        return cls(spec, host=o.text("host") or "", port=o.integer("port", DEFAULT_PORT[tls]), tls=tls,
                   sender=o.text("from") or "", credentials=None, timeout=o.seconds("timeout", 30.0),
                   reply_to=o.text("reply_to"), unsubscribe=o.text("unsubscribe"))

    @classmethod
    def audience(cls, spec: ChannelSpec, *, root: Path) -> Iterator[Recipient]:
        source = spec.options.get("recipients") or {}
        if "file" in source:
            path = root / str(source["file"])
            return parse_recipients(file_lines(path, spec.id), str(path), spec.locales)
        command = source["command"]
        argv = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
        return parse_recipients(command_lines(argv, root, spec.id, 300.0), f"{argv[0]} (stdout)", spec.locales)

    # -- delivery ---------------------------------------------------------
    def message(self, job: Job) -> bytes:
        """The message as sent: the recipient's own headers, then the part shared by its locale."""
        digest = hashlib.sha256(job.key.encode("utf-8")).hexdigest()[:40]
        own = [f"To: {job.recipient}", f"Message-ID: <{digest}@{self.domain}>",
               f"Date: {format_datetime(dt.datetime.now(dt.UTC))}", f"X-Policyctl-Key: {job.key}"]
        if self.unsubscribe:
            # RFC 2369 and RFC 8058: a one-click unsubscribe the mail client can offer as a button.
            own.append(f"List-Unsubscribe: <{self.unsubscribe.format(recipient=quote(job.recipient, safe='@'))}>")
            own.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        header = "\r\n".join(own) + "\r\n"
        # Every value is checked to be one line of ASCII: addresses and keys when recipients are read, the
        # URL template when the config is; a bad one is dead at once, never a broken or forged header.
        if not header.isascii() or control_problem(header.replace("\r\n", ""), single_line=True):
            raise DeliveryError(f"recipient {job.recipient!r} cannot be written into a header (not retried)",
                                permanent=True)
        return header.encode("ascii") + self._shared(job.notice, job.locale)

    def _shared(self, notice: Mapping[str, Any], locale: str) -> bytes:
        """Headers and body every recipient of ``locale`` gets, built once per release and locale.

        Building a MIME message costs about 2.5 ms of CPU: `notify deliver` of 2,000 e-mails
        takes 6.63 CPU s without this memo, 1.63 s with (docs/architecture.md, "Caches"). The
        words, templates, dates and language names it is built from are read anew each time.
        """
        key = (hashlib.sha256(json.dumps(notice, sort_keys=True).encode("utf-8")).digest(), locale)
        with self._lock:
            found = self._cache.get(key)
        if found is None:
            subject, text, html = render(notice, locale)
            msg = EmailMessage(policy=SMTP_POLICY)
            msg["Subject"] = subject
            msg["From"] = self.sender
            dpo = (notice["data"].get("contacts") or {}).get("dpo") or {}
            reply_to = self.reply_to or dpo.get("email")
            if reply_to:
                msg["Reply-To"] = reply_to
            msg["Auto-Submitted"] = "auto-generated"
            msg.set_content(text)
            msg.add_alternative(html, subtype="html")
            msg["Content-Language"] = locale  # after set_content, which drops every Content-* header
            found = msg.as_bytes()
            with self._lock:
                if len(self._cache) > 256:
                    self._cache.clear()
                self._cache[key] = found
        return found

    def deliver(self, job: Job) -> None:
        msg = self.message(job)
        used: list[smtplib.SMTP] = []  # the watchdog runs in its own thread: no thread-locals there
        with self._watchdog.guard(self.timeout, lambda: getattr(used[-1], "sock", None) if used else None) as guard:
            try:
                self._send(job, msg, used)
            except DeliveryError:
                if guard.expired:
                    self._drop_current()
                    raise DeliveryError(f"SMTP: no complete answer within {self.timeout:g} s") from None
                raise

    def _send(self, job: Job, msg: bytes, used: list[smtplib.SMTP]) -> None:
        for fresh in (False, True):
            smtp, reused = self._session(fresh)
            used.append(smtp)
            try:
                refused = smtp.sendmail(self.envelope_from, [job.recipient], msg)
            except smtplib.SMTPServerDisconnected as exc:
                self._drop(smtp)
                if reused and not fresh:
                    continue  # an idle session timed out on the server: once more on a new one
                raise DeliveryError(f"SMTP connection lost: {exc}") from None
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()))
                raise DeliveryError(f"SMTP {code} {_text(reply)}", permanent=500 <= code < 600) from None
            except smtplib.SMTPResponseException as exc:
                self._reset(smtp)
                raise DeliveryError(f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}",
                                    permanent=500 <= exc.smtp_code < 600) from None
            except (OSError, smtplib.SMTPException) as exc:
                self._drop(smtp)
                raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from None
            if refused:
                code, reply = next(iter(refused.values()))
                raise DeliveryError(f"SMTP {code} {_text(reply)}", permanent=500 <= code < 600)
            return

    def _drop_current(self) -> None:
        smtp: smtplib.SMTP | None = getattr(self._local, "smtp", None)
        if smtp is not None:
            self._drop(smtp)

    def _session(self, fresh: bool) -> tuple[smtplib.SMTP, bool]:
        smtp: smtplib.SMTP | None = getattr(self._local, "smtp", None)
        if smtp is not None and not fresh:
            return smtp, True
        try:
            if self.tls == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.tls == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if self.credentials:
                smtp.login(*self.credentials)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                                permanent=True) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"cannot reach SMTP server {self.host}:{self.port}: {exc}") from None
        self._local.smtp = smtp
        with self._lock:
            self._sessions.add(smtp)
        return smtp, False

    def _reset(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop(smtp)

    def _drop(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.close()
        finally:
            with self._lock:
                self._sessions.discard(smtp)
            if getattr(self._local, "smtp", None) is smtp:
                self._local.smtp = None

    def close(self) -> None:
        self._watchdog.close()
        with self._lock:
            sessions, self._sessions = list(self._sessions), set()
        for smtp in sessions:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)

