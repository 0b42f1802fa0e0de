"""``notify preview``: exactly what each channel would send for a release, without sending it.

For every channel (or one) and every locale it serves (or one): the e-mail as a
recipient's mail program reads it (every header, then the text and the HTML
part), the webhook POST (headers and the exact body that is signed), the JSON a
command gets on stdin. Needs no secret: a webhook is signed only when its secret
is in the environment. The e-mail goes to the first recipient of that locale,
so its ``To``, ``List-Unsubscribe`` and key are real.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from policykit.changelog import Entry
from policykit.errors import NotifyError
from policykit.notify.channels import Recipient, audience
from policykit.notify.jobs import Notices
from policykit.notify.outbox import Job, job_key
from policykit.notify.settings import ChannelSpec, NotifyConfig


@dataclass(frozen=True)
class Preview:
    channel: str
    type: str
    locale: str
    recipient: str
    text: str  # what would be sent, readable

    def __str__(self) -> str:
        return f"=== {self.channel} ({self.type}) · {self.locale} · {self.recipient}\n{self.text}"


def _first_per_locale(spec: ChannelSpec, root: Path, locales: list[str]) -> dict[str, Recipient]:
    """The first recipient of each wanted locale (the stream is left as soon as each has one)."""
    found: dict[str, Recipient] = {}
    for recipient in audience(spec, root=root):
        if recipient.locale in locales and recipient.locale not in found:
            found[recipient.locale] = recipient
            if len(found) == len(locales):
                break
    return found


def previews(entry: Entry, config: NotifyConfig, notices: Notices, root: Path, env: Mapping[str, str], *,
             channel: str | None = None, locale: str | None = None) -> Iterator[Preview]:
    specs = [s for s in config.channels if channel is None or s.id == channel]
    if not specs:
        raise NotifyError(f"no channel {channel!r} in policy/notify.yaml (channels: "
                          f"{', '.join(s.id for s in config.channels)})")
    for spec in specs:
        locales = [t for t in spec.locales if locale is None or t == locale]
        if not locales:
            raise NotifyError(f"channel {spec.id!r} does not serve {locale!r} (its locales: {', '.join(spec.locales)})")
        first = _first_per_locale(spec, root, locales)
        for tag in locales:
            recipient = first.get(tag) or Recipient(address="reader@example.com" if spec.type == "email" else tag,
                                                   locale=tag)
            job = Job(id=0, key=job_key(entry.document, entry.version, spec.id, recipient.identity),
                      document=entry.document, version=entry.version, channel=spec.id, recipient=recipient.address,
                      locale=tag, notice=notices(tag), attempt=1)
            yield Preview(spec.id, spec.type, tag, recipient.address, _render(spec, job, env))


def _render(spec: ChannelSpec, job: Job, env: Mapping[str, str]) -> str:
    if spec.type == "email":
        from policykit.notify.channels.mail import EmailChannel

        raw = EmailChannel.for_preview(spec).message(job)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        head = "\n".join(f"{k}: {v}" for k, v in msg.items())
        parts = []
        for kind in ("plain", "html"):
            part = msg.get_body((kind,))
            if part is not None:
                parts.append(f"--- text/{kind} ---\n{part.get_content().rstrip()}")
        return head + "\n\n" + "\n\n".join(parts) + "\n"
    if spec.type == "webhook":
        from policykit.notify.channels.webhook import WebhookChannel, body, request_headers

        now = dt.datetime.now(dt.UTC)
        try:
            headers, text = WebhookChannel.open(spec, root=Path("."), env=env).request(job, now)
        except NotifyError:
            headers = request_headers(job, now, "(signed when delivered: the secret is not in this environment)")
            text = body(job.notice)
        return "\n".join(f"{k}: {v}" for k, v in headers.items()) + "\n\n" + text + "\n"
    return json.dumps(job.as_json(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
