"""Who an e-mail channel writes to: ``address [locale]`` lines from a file or from a command that
prints them (customer addresses do not belong in the repository), streamed, so a million addresses
are never held in memory; a bad line is an error naming ``origin:line``."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from policykit.errors import NotifyError
from policykit.notify.channels.base import Recipient, resolve_locale
from policykit.vocabulary import is_email

_SPLIT = re.compile(r"[\s,;]+")


def normalise(address: str) -> tuple[str, str]:
    """The address to send to (the domain in lower case: RFC 5321 §2.4 makes it case-insensitive) and the
    form that identifies the recipient in the job's key (all in lower case: a local part that differs only
    in case is, in practice, the same mailbox, and a re-export that changes capitalisation must not send a
    second notice under a new key)."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}", f"{local.lower()}@{domain.lower()}"


def parse_recipients(lines: Iterable[str], origin: str, offered: tuple[str, ...]) -> Iterator[Recipient]:
    """Recipients from ``address [locale]`` lines, streamed; a bad line is an error naming ``origin:line``.

    The same address twice (in any capitalisation) is the same key: the outbox keeps one job.
    """
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = _SPLIT.split(line)
        address = fields[0]
        if not is_email(address) or len(fields) > 2:
            raise NotifyError(f"{origin}:{n}: expected `ADDRESS [LOCALE]`, got {line[:200]!r}")
        locale = resolve_locale(fields[1], offered) if len(fields) == 2 else offered[0]
        send_to, key = normalise(address)
        yield Recipient(address=send_to, locale=locale, key=key)


def file_lines(path: Path, channel: str) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8") as f:
            yield from f
    except (OSError, UnicodeDecodeError) as exc:
        raise NotifyError(f"channel {channel!r}: cannot read recipients from {path}: {exc}") from None


def command_lines(argv: list[str], root: Path, channel: str, timeout: float) -> Iterator[str]:
    """The lines a command prints, as it prints them; its failure (after any line) is an error."""
    try:
        proc = subprocess.Popen(argv, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise NotifyError(f"channel {channel!r}: recipients command {argv[0]!r} failed: {exc}") from None
    assert proc.stdout is not None and proc.stderr is not None
    try:
        for raw in proc.stdout:
            yield raw.decode("utf-8", "replace")
        try:
            err = proc.stderr.read(65536)
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise NotifyError(f"channel {channel!r}: recipients command {argv[0]!r} did not end within "
                              f"{timeout:g} s after its output") from None
        if code != 0:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise NotifyError(f"channel {channel!r}: recipients command {argv[0]!r} exited {code}: {tail[0]}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
