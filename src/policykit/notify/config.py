"""``policy/notify.yaml``: the outbox settings, the URLs notices link to, and the channels.

Secrets never come from this file: a channel names the environment variable
that holds its secret (``secret_env``, ``password_env``), and a key that looks
like a secret itself is an error. See docs/notify.md for the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from policykit import yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, NotifyError, PolicyError
from policykit.vocabulary import ID_RE, control_problem, did_you_mean, duration_days

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
        ob = Options(o, "outbox", ("path", "url", "workers", "lease", "max_attempts", "backoff"), problems)
        backoff = ob.mapping("backoff")
        bo = Options(backoff, "outbox.backoff", ("initial", "max"), problems) if backoff is not None else None
        path = ob.text("path", DEFAULT_OUTBOX) or DEFAULT_OUTBOX
        if (problem := _path_problem(path)) is not None:
            problems.append(error(o.where("path"), f"outbox.path {path!r} {problem}", "notify.path"))
        url = ob.text("url")
        if url is not None and (problem := url_problem(url)) is not None:
            problems.append(error(o.where("url"), f"outbox.url {problem}", "notify.outbox-url"))
        if url is not None and "path" in o:
            problems.append(error(o.where("url"), "outbox: give `path` (SQLite) or `url` (PostgreSQL), not both",
                                  "notify.schema"))
        outbox = OutboxSettings(
            path=path, url=url,
            workers=ob.integer("workers", 8, minimum=1),
            lease=ob.seconds("lease", 300.0),
            max_attempts=ob.integer("max_attempts", 8, minimum=1),
            backoff_initial=bo.seconds("initial", 30.0) if bo else 30.0,
            backoff_max=bo.seconds("max", 6 * 3600.0) if bo else 6 * 3600.0,
        )

    urls = Urls()
    u = top.mapping("urls")
    if u is not None:
        uo = Options(u, "urls", ("version", "redline", "consent"), problems)
        urls = Urls(version=uo.text("version", urls.version) or urls.version,
                    redline=uo.text("redline", urls.redline) or urls.redline,
                    consent=uo.text("consent"))
        for key in ("version", "redline", "consent"):
            template = getattr(urls, key)
            if template is None:
                continue
            try:
                example = template.format(base_url="https://example.com/", locale="en", version="2.0.0",
                                          previous="1.0.0")
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(error(u.where(key), f"urls.{key}: bad placeholder {exc}; use {{base_url}}, "
                                      "{locale}, {version}, {previous}", "notify.schema"))
                continue
            if urlsplit(example).scheme not in ("https", "http") or (problem := control_problem(
                    example, single_line=True)):
                problems.append(error(u.where(key), f"urls.{key} must be an http(s) URL (or start with "
                                      "{base_url})", "notify.url"))

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


def _path_problem(path: str) -> str | None:
    """Why ``outbox.path`` would leave the project (``--outbox`` on the command line may)."""
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", path):
        return "must be relative to the project folder (give `--outbox` to use a file elsewhere)"
    depth = 0
    for part in pure.parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return "leaves the project folder (give `--outbox` to use a file elsewhere)"
    return None


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a PostgreSQL URL policyctl accepts in the repository, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        return "must be a postgresql:// URL"
    if parts.password:
        return ("holds a password: never write a secret into the repository; leave it out and set PGPASSWORD "
                "(or use ~/.pgpass) where `policyctl notify` runs")
    return None


def check_notify_config(root: Path) -> Iterator[Diagnostic]:
    """``validate``'s check of ``policy/notify.yaml`` (when the project has one): every problem, located."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return
    try:
        parse_config(path.read_bytes(), CONFIG_FILE)
    except InvalidPolicy as exc:
        yield from exc.diagnostics
    except PolicyError as exc:
        yield error(Pos(CONFIG_FILE, 1, 1), str(exc), "notify.schema")


def load_config(root: Path) -> NotifyConfig:
    """The project's notify config; :class:`NotifyError` when there is none."""
    from policykit import files

    data = files.read(root, CONFIG_FILE)  # a regular file inside the project, or a located error
    if data is None:
        raise NotifyError(f"{CONFIG_FILE} not found: no channels are configured (see docs/notify.md)")
    return parse_config(data, CONFIG_FILE)


def outbox_path(root: Path, config: NotifyConfig | None, override: Path | None = None) -> Path:
    """Where the SQLite outbox lives: ``--outbox`` (anywhere: the operator said so), else the config's
    ``outbox.path``, which must stay inside the project, symbolic links resolved."""
    if override is not None:
        return root / override  # relative to the project folder, like every path of policyctl
    relative = config.outbox.path if config else DEFAULT_OUTBOX
    if (problem := _path_problem(relative)) is not None:
        raise NotifyError(f"{CONFIG_FILE}: outbox.path {relative!r} {problem}")
    path = root / relative
    inside = root.resolve()
    resolved = path.resolve()
    if resolved != inside and inside not in resolved.parents:
        raise NotifyError(f"{CONFIG_FILE}: outbox.path {relative!r} leads outside the project through a symbolic "
                          f"link (to {resolved}); give `--outbox` to use a file elsewhere")
    return path
