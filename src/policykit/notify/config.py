"""``policy/notify.yaml``: the outbox settings, the URLs notices link to, and the channels.

Secrets never come from this file: a channel names the environment variable
that holds its secret (``secret_env``, ``password_env``), and a key that looks
like a secret itself is an error. See docs/notify.md for the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from policykit import yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, NotifyError, PolicyError
from policykit.load import valid_locale_tag
from policykit.notify.settings import (
    CONFIG_FILE,
    DEFAULT_OUTBOX,
    ChannelSpec,
    ConfigMapping,
    NotifyConfig,
    OutboxSettings,
    Urls,
)
from policykit.validate import register_project
from policykit.vocabulary import ID_RE, control_problem, did_you_mean

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_OUTBOX",
    "ChannelSpec",
    "ConfigMapping",
    "NotifyConfig",
    "OutboxSettings",
    "Urls",
    "check_notify_config",
    "load_config",
    "outbox_path",
    "parse_config",
    "url_problem",
]

def parse_config(data: bytes, name: str = CONFIG_FILE) -> NotifyConfig:
    """Read the notify config; :class:`InvalidPolicy` lists every problem with its position."""
    raw = yamlio.parse(data, name)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(name, 1, 1), "notify.yaml must be a mapping", "notify.schema")])
    top = ConfigMapping(raw, name, ("outbox", "urls", "channels"), problems)
    o = top.mapping("outbox")
    outbox = _outbox(o, problems) if o is not None else OutboxSettings()
    u = top.mapping("urls")
    urls = _urls(u, problems) if u is not None else Urls()
    channels = _channels(raw, name, problems)
    if problems:
        raise InvalidPolicy(problems)
    return NotifyConfig(outbox=outbox, urls=urls, channels=tuple(channels))


def _outbox(o: yamlio.LMap, problems: list[Diagnostic]) -> OutboxSettings:
    ob = ConfigMapping(o, "outbox", ("path", "url", "workers", "lease", "max_attempts", "backoff"), problems)
    backoff = ob.mapping("backoff")
    bo = ConfigMapping(backoff, "outbox.backoff", ("initial", "max"), problems) if backoff is not None else None
    path = ob.text("path", DEFAULT_OUTBOX) or DEFAULT_OUTBOX
    if (problem := _path_problem(path)) is not None:
        problems.append(error(o.where("path"), f"outbox.path {path!r} {problem}", "notify.path"))
    url = ob.text("url")
    if url is not None and (problem := url_problem(url)) is not None:
        problems.append(error(o.where("url"), f"outbox.url {problem}", "notify.outbox-url"))
    if url is not None and "path" in o:
        problems.append(error(o.where("url"), "outbox: give `path` (SQLite) or `url` (PostgreSQL), not both",
                              "notify.schema"))
    return OutboxSettings(
        path=path, url=url,
        workers=ob.integer("workers", 8, minimum=1),
        lease=ob.seconds("lease", 300.0),
        max_attempts=ob.integer("max_attempts", 8, minimum=1),
        backoff_initial=bo.seconds("initial", 30.0) if bo else 30.0,
        backoff_max=bo.seconds("max", 6 * 3600.0) if bo else 6 * 3600.0,
    )


def _urls(u: yamlio.LMap, problems: list[Diagnostic]) -> Urls:
    defaults = Urls()
    uo = ConfigMapping(u, "urls", ("version", "redline", "consent"), problems)
    urls = Urls(version=uo.text("version", defaults.version) or defaults.version,
                redline=uo.text("redline", defaults.redline) or defaults.redline,
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
        if urlsplit(example).scheme not in ("https", "http") or control_problem(example, single_line=True):
            problems.append(error(u.where(key), f"urls.{key} must be an http(s) URL (or start with "
                                  "{base_url})", "notify.url"))
    return urls


def _channels(raw: yamlio.LMap, name: str, problems: list[Diagnostic]) -> list[ChannelSpec]:
    from policykit.notify.channels import CHANNEL_TYPES  # each type checks its options; smtplib, ssl: lazily

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
    return channels


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


@register_project
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
