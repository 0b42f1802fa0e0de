"""``policy/notify.yaml``: the outbox settings, the URLs notices link to, and the channels.

Secrets never come from this file: a channel names the environment variable
that holds its secret (``secret_env``, ``password_env``), and a key that looks
like a secret itself is an error. See docs/notify.md for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykit import yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, NotifyError
from policykit.vocabulary import ID_RE, did_you_mean, duration_days

CONFIG_FILE = "policy/notify.yaml"
DEFAULT_OUTBOX = ".policyctl/outbox.sqlite3"
_FRACTION_S = re.compile(r"^PT(\d+\.\d+)S$")
_SECRET_KEYS = re.compile(r"^(secret|password|token|api[_-]?key)$")


class Options:
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
    path: str = DEFAULT_OUTBOX  # relative to the project folder
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


def parse_config(data: bytes, name: str = CONFIG_FILE) -> NotifyConfig:
    """Read the notify config; :class:`InvalidPolicy` lists every problem with its position."""
    from policykit.notify.channels import CHANNEL_TYPES

    raw = yamlio.parse(data, name)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(name, 1, 1), "notify.yaml must be a mapping", "notify.schema")])
    top = Options(raw, name, ("outbox", "urls", "channels"), problems)

    outbox = OutboxSettings()
    o = top.mapping("outbox")
    if o is not None:
        ob = Options(o, "outbox", ("path", "workers", "lease", "max_attempts", "backoff"), problems)
        backoff = ob.mapping("backoff")
        bo = Options(backoff, "outbox.backoff", ("initial", "max"), problems) if backoff is not None else None
        outbox = OutboxSettings(
            path=ob.text("path", DEFAULT_OUTBOX) or DEFAULT_OUTBOX,
            workers=ob.integer("workers", 8, minimum=1),
            lease=ob.seconds("lease", 300.0),
            max_attempts=ob.integer("max_attempts", 8, minimum=1),
            backoff_initial=bo.seconds("initial", 30.0) if bo else 30.0,
            backoff_max=bo.seconds("max", 6 * 3600.0) if bo else 6 * 3600.0,
        )

    urls = Urls()
    u = top.mapping("urls")
    if u is not None:
        uo = Options(u, "urls", ("version", "redline"), problems)
        urls = Urls(version=uo.text("version", urls.version) or urls.version,
                    redline=uo.text("redline", urls.redline) or urls.redline)
        for key in ("version", "redline"):
            template = getattr(urls, key)
            try:
                template.format(base_url="", locale="", version="", previous="")
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(error(u.where(key), f"urls.{key}: bad placeholder {exc}; use {{base_url}}, "
                                      "{locale}, {version}, {previous}", "notify.schema"))

    channels: list[ChannelSpec] = []
    items = raw.get("channels")
    if items is None:
        problems.append(error(raw.pos, f"{name} needs `channels` (a list)", "notify.schema"))
    elif not isinstance(items, yamlio.LSeq):
        problems.append(error(raw.where("channels"), "`channels` must be a list", "notify.schema"))
    else:
        for item, pos in zip(items, items.item_pos, strict=True):
            if not isinstance(item, yamlio.LMap):
                problems.append(error(pos, "each channel must be a mapping", "notify.schema"))
                continue
            spec = _channel(item, problems, CHANNEL_TYPES, channels)
            if spec:
                channels.append(spec)
    if problems:
        raise InvalidPolicy(problems)
    return NotifyConfig(outbox=outbox, urls=urls, channels=tuple(channels))


def _channel(item: yamlio.LMap, problems: list[Diagnostic], types: dict[str, Any],
             seen: list[ChannelSpec]) -> ChannelSpec | None:
    cid, ctype = item.get("id"), item.get("type")
    if not isinstance(cid, str) or not ID_RE.match(cid):
        problems.append(error(item.where("id"), f"channel id {cid!r} must be an id like `customers-email`",
                              "notify.schema"))
        return None
    if any(c.id == cid for c in seen):
        problems.append(error(item.where("id"), f"channel id {cid!r} is used twice", "notify.schema"))
        return None
    if ctype not in types:
        problems.append(error(item.where("type"), f"channel {cid!r}: type {ctype!r} is not one of "
                              f"{', '.join(types)}{did_you_mean(str(ctype), list(types))}", "notify.schema"))
        return None
    locales = item.get("locales")
    if not isinstance(locales, list) or not locales or not all(isinstance(t, str) for t in locales):
        problems.append(error(item.where("locales") if "locales" in item else item.pos,
                              f"channel {cid!r} needs `locales`: the languages of its audience, "
                              "like [en, ja]", "notify.schema"))
        return None
    from policykit.load import valid_locale_tag

    for tag, pos in zip(locales, getattr(locales, "item_pos", []), strict=False):
        problem = valid_locale_tag(tag)
        if problem:
            problems.append(error(pos, problem, "notify.locale"))
    spec = ChannelSpec(id=cid, type=ctype, locales=tuple(locales), options=item, pos=item.pos)
    before = len(problems)
    types[ctype].check(spec, problems)
    return spec if len(problems) == before else None


def load_config(root: Path) -> NotifyConfig:
    """The project's notify config; :class:`NotifyError` when there is none."""
    from policykit import files

    data = files.read(root, CONFIG_FILE)  # a regular file inside the project, or a located error
    if data is None:
        raise NotifyError(f"{CONFIG_FILE} not found: no channels are configured (see docs/notify.md)")
    return parse_config(data, CONFIG_FILE)


def outbox_path(root: Path, config: NotifyConfig | None, override: Path | None = None) -> Path:
    """Where the outbox lives: ``--outbox``, else the config's ``outbox.path``, relative to the project."""
    if override is not None:
        return root / override  # relative to the project folder, like every path of policyctl
    return root / (config.outbox.path if config else DEFAULT_OUTBOX)
