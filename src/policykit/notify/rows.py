"""Rows of an outbox read back into typed objects, each problem a clear error naming the job.

Both outboxes (SQLite, PostgreSQL) store the same columns; a row damaged on disk
or edited by hand must never give a traceback or be skipped without a word. A
claimed job whose notice cannot be read is handed to the dispatcher with its
``damage`` set, and dies at once with that reason; a listed job whose columns are
wrong is a :class:`~policykit.errors.NotifyError` naming its id and key.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, cast

from policykit.errors import NotifyError
from policykit.notify.outbox import STATES, Job, JobRecord, State

JOB_COLUMNS = ("id", "key", "document", "version", "channel", "recipient", "locale", "attempts")
RECORD_COLUMNS = ("id", "key", "version", "channel", "recipient", "state", "attempts", "next_attempt", "last_error")


def stored(notice: Mapping[str, Any], seen: dict[int, tuple[Any, str, str]]) -> tuple[str, str]:
    """The digest and JSON text a notice is stored as; made once per notice object (the jobs of one
    release and locale share theirs), not once per job: a million jobs must not serialise it a million times."""
    found = seen.get(id(notice))
    if found is not None and found[0] is notice:
        return found[1], found[2]
    body = json.dumps(notice, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    seen[id(notice)] = (notice, digest, body)
    return digest, body


def notice_from(body: object) -> tuple[dict[str, Any], str | None]:
    """The stored notice, or ``{}`` and why it cannot be used."""
    if body is None:
        return {}, "its notice is missing from the outbox (the notices row is gone)"
    try:
        notice = json.loads(body) if isinstance(body, str | bytes) else body
    except ValueError as exc:
        return {}, f"its stored notice is not JSON ({exc})"
    if not isinstance(notice, dict) or not isinstance(notice.get("data"), dict):
        return {}, "its stored notice is not a notice (no `data` object)"
    return notice, None


def job_from(row: Sequence[Any], notice: dict[str, Any], damage: str | None, token: str) -> Job:
    """A claimed job from ``JOB_COLUMNS``; a column of the wrong type is damage, not a crash."""
    job_id, key, document, version, channel, recipient, locale, attempts = row
    texts = {"key": key, "document": document, "version": version, "channel": channel, "recipient": recipient,
             "locale": locale}
    wrong = [name for name, value in texts.items() if not isinstance(value, str) or not value]
    if not isinstance(attempts, int) or isinstance(attempts, bool):
        wrong.append("attempts")
        attempts = 1
    if wrong and damage is None:
        damage = f"its row is damaged ({', '.join(wrong)} not as written)"
    return Job(id=int(job_id), key=str(key), document=str(document), version=str(version), channel=str(channel),
               recipient=str(recipient), locale=str(locale), notice=notice, attempt=int(attempts), token=token,
               damage=damage)


def record_from(row: Sequence[Any]) -> JobRecord:
    """A listed job from ``RECORD_COLUMNS``; :class:`NotifyError` naming the job when a column is wrong."""
    job_id, key, version, channel, recipient, state, attempts, next_attempt, last_error = row
    problems = []
    if state not in STATES:
        problems.append(f"state {state!r} is not one of {', '.join(STATES)}")
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
        problems.append(f"attempts {attempts!r} is not a count")
    if next_attempt is not None and (not isinstance(next_attempt, int | float) or not math.isfinite(next_attempt)):
        problems.append(f"next_attempt {next_attempt!r} is not a time")
    for name, value in (("key", key), ("version", version), ("channel", channel), ("recipient", recipient)):
        if not isinstance(value, str):
            problems.append(f"{name} {value!r} is not text")
    if problems:
        raise NotifyError(f"outbox job #{job_id} ({key}): its row is damaged: {'; '.join(problems)}. "
                          "Repair or delete that row; nothing else was changed")
    return JobRecord(id=int(job_id), key=key, version=version, channel=channel, recipient=recipient,
                     state=cast(State, state), attempts=attempts,
                     next_attempt=None if next_attempt is None else float(next_attempt),
                     last_error=None if last_error is None else str(last_error))
