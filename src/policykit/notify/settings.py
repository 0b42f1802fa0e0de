"""The typed settings of ``policy/notify.yaml``: what :mod:`policykit.notify.config` reads it into.

Kept apart from the reading so that a channel type (:mod:`policykit.notify.channels`) can name its
spec and read its options without importing the reader, which imports every channel type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policykit import yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.vocabulary import did_you_mean, duration_days

CONFIG_FILE = "policy/notify.yaml"
DEFAULT_OUTBOX = ".policyctl/outbox.sqlite3"
_FRACTION_S = re.compile(r"^PT(\d+\.\d+)S$")
_SECRET_KEYS = re.compile(r"^(secret|password|token|api[_-]?key)$")


class ConfigMapping:
    """Typed access to one mapping of the config; problems are collected, not raised one by one."""

    def __init__(self, m: yamlio.LMap, what: str, allowed: tuple[str, ...], problems: list[Diagnostic]) -> None:
        self.m, self.what, self.problems = m, what, problems
        for key in m:
            if _SECRET_KEYS.match(key):
                problems.append(error(m.key_pos[key], f"{what}: never write a secret into the repository; "
                                      f"put it in an environment variable and name it with `{key}_env`",
                                      "notify.secret"))
            elif key not in allowed:
                problems.append(error(m.key_pos[key], f"unknown key {key!r} in {what}"
                                      f"{did_you_mean(key, allowed)}", "notify.schema"))

    def where(self, key: str) -> Pos:
        return self.m.where(key)

    def _bad(self, key: str, expected: str) -> None:
        self.problems.append(error(self.m.where(key), f"{key!r} in {self.what} must be {expected}", "notify.schema"))

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        if key not in self.m:
            if required:
                self.problems.append(error(self.m.pos, f"{self.what} needs {key!r}", "notify.schema"))
            return default
        value = self.m[key]
        if not isinstance(value, str) or not value.strip():
            self._bad(key, "text")
            return default
        return value

    def integer(self, key: str, default: int, *, minimum: int = 0) -> int:
        value = self.m.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self._bad(key, f"a whole number ≥ {minimum}")
            return default
        return value

    def seconds(self, key: str, default: float) -> float:
        """An ISO 8601 duration (``PT30S``, ``PT5M``) in seconds."""
        value = self.m.get(key)
        if value is None:
            return default
        if isinstance(value, str) and (m := _FRACTION_S.match(value)):
            seconds: float | None = float(m[1])  # ISO 8601 allows a fraction of the last unit: PT0.5S
        else:
            days = duration_days(value) if isinstance(value, str) else None
            seconds = None if days is None else days * 86400
        if seconds is None or seconds <= 0:
            self._bad(key, "a positive ISO 8601 duration like PT30S, PT0.5S or PT5M")
            return default
        return seconds

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.m.get(key)
        if value is None:
            if required:
                self.problems.append(error(self.m.pos, f"{self.what} needs {key!r}", "notify.schema"))
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            self._bad(key, "a non-empty list of text")
            return ()
        return tuple(value)

    def mapping(self, key: str, *, required: bool = False) -> yamlio.LMap | None:
        value = self.m.get(key)
        if value is None:
            if required:
                self.problems.append(error(self.m.pos, f"{self.what} needs {key!r}", "notify.schema"))
            return None
        if not isinstance(value, yamlio.LMap):
            self._bad(key, "a mapping")
            return None
        return value


@dataclass(frozen=True)
class OutboxSettings:
    path: str = DEFAULT_OUTBOX  # relative to the project folder, and inside it
    url: str | None = None  # postgresql://…: a shared outbox on a PostgreSQL server instead of the SQLite file
    workers: int = 8
    lease: float = 300.0  # seconds a claimed job stays with its worker before another may take it
    max_attempts: int = 8
    backoff_initial: float = 30.0
    backoff_max: float = 6 * 3600.0


@dataclass(frozen=True)
class Urls:
    """Where a notice links to; ``{base_url}``, ``{locale}``, ``{version}``, ``{previous}`` are filled in."""

    version: str = "{base_url}{locale}/{version}/"
    redline: str = "{base_url}{locale}/compare/{previous}...{version}/"
    consent: str | None = None  # where a reader gives (or refuses) consent; needed when a release asks for it


@dataclass(frozen=True)
class ChannelSpec:
    """One configured channel; ``options`` is its own mapping, read by its channel type."""

    id: str
    type: str
    locales: tuple[str, ...]
    options: yamlio.LMap = field(compare=False, repr=False)
    pos: Pos = field(default=Pos(""), compare=False, repr=False)


@dataclass(frozen=True)
class NotifyConfig:
    outbox: OutboxSettings = OutboxSettings()
    urls: Urls = Urls()
    channels: tuple[ChannelSpec, ...] = ()

    def channel(self, channel_id: str) -> ChannelSpec | None:
        return next((c for c in self.channels if c.id == channel_id), None)
