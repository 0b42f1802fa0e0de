"""The policy's changelog: one ``changelog/<version>.yaml`` entry per release, and its Markdown twin.

An entry is the release's record: version, dates, level, the commit and tree it
was made from, a hash of the released content, every classified change with the
rule and reason that decided it, the editor's overrides with their
justifications, and the summary for users per locale (``None`` = translation
pending). The entry is enough to find the version again, even in a clone
without tags: ``commit`` names the commit whose ``policy/`` and ``locales/``
were released.

An entry carries ``entry_hash``, the SHA-256 of its own canonical content, so
an edit after the fact is detected without git (``validate`` also compares the
file with the copy its release commit added, see :mod:`policykit.release`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from policykit import files, yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, VersionError

CHANGELOG_DIR = "changelog"
LEVELS = ("editorial", "minor", "significant")
FIRST = "initial"  # the level of the first release: there is nothing to compare it with
VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_KEYS = (
    "version", "document", "level", "published", "effective", "previous", "commit", "tree",
    "content_hash", "summary", "changes", "overrides", "entry_hash", "artefacts",
)
_HASH_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class ChangeRecord:
    """One classified change as released: what changed, its level, and why.

    ``locale`` is set for a change of one translation alone; ``consent`` when the
    deciding rule says users must consent afresh, not only be told.
    """

    path: str
    kind: str
    level: str
    rule: str
    reason: str
    citation: str = ""
    locale: str = ""
    consent: bool = False


@dataclass(frozen=True)
class RecordedOverride:
    """An editor's decision to give a change another level than the classifier did."""

    path: str
    level: str
    was: str
    justification: str
    by: str = ""  # who decided (required when the classifier left the change to review)


@dataclass(frozen=True)
class Entry:
    version: str
    document: str
    level: str  # editorial | minor | significant | initial
    published: dt.date
    effective: dt.date
    previous: str | None
    commit: str
    tree: str
    content_hash: str
    summary: dict[str, str | None]  # locale -> text; None while the translation is pending
    changes: tuple[ChangeRecord, ...] = ()
    overrides: tuple[RecordedOverride, ...] = ()
    # What was published: locale -> format (html, pdf, json) -> SHA-256 of the file kept in
    # published/ (policykit.published). Empty for releases made before hashes were recorded.
    artefacts: dict[str, dict[str, str]] = field(default_factory=dict)
    entry_hash: str = ""
    file: str = field(default="", compare=False, repr=False)
    pos: Pos = field(default=Pos(""), compare=False, repr=False)

    @property
    def significant(self) -> bool:
        return self.level == "significant"

    def summary_for(self, locale: str, source_locale: str) -> tuple[str | None, str]:
        """The summary to show in ``locale`` and the locale it is written in (fallback: source)."""
        for tag in _chain(locale, source_locale):
            text = self.summary.get(tag)
            if text:
                return text, tag
        return None, source_locale


def _chain(locale: str, source_locale: str) -> list[str]:
    parts = locale.split("-")
    chain = ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]
    return [*chain, source_locale]


# -- versions -------------------------------------------------------------

def parse_version(text: str) -> tuple[int, int, int]:
    m = VERSION_RE.match(text)
    if not m:
        raise VersionError(f"{text!r} is not a version number (MAJOR.MINOR.PATCH, like 2.0.0)")
    return int(m[1]), int(m[2]), int(m[3])


def next_version(previous: str | None, level: str) -> str:
    """The version a release of ``level`` after ``previous`` gets.

    The first release is 1.0.0; then significant → MAJOR, minor → MINOR,
    editorial → PATCH (the others reset to 0). A reader sees from the number
    alone whether users had to be told.
    """
    if previous is None:
        return "1.0.0"
    major, minor, patch = parse_version(previous)
    if level == "significant":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def bump_level(previous: str, version: str) -> str | None:
    """Which level ``version`` announces after ``previous``; None when it is not higher."""
    a, b = parse_version(previous), parse_version(version)
    if b <= a:
        return None
    if b[0] > a[0]:
        return "significant"
    if b[1] > a[1]:
        return "minor"
    return "editorial"


# -- hashing --------------------------------------------------------------

def _canonical(entry: Entry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "document": entry.document,
        "level": entry.level,
        "published": entry.published.isoformat(),
        "effective": entry.effective.isoformat(),
        "previous": entry.previous,
        "commit": entry.commit,
        "tree": entry.tree,
        "content_hash": entry.content_hash,
        "summary": dict(sorted(entry.summary.items())),
        "changes": [_compact(c) for c in entry.changes],
        "overrides": [_compact(o) for o in entry.overrides],
        # Only when recorded: the entries released before it keep their entry_hash.
        **({"artefacts": {tag: dict(sorted(kept.items())) for tag, kept in sorted(entry.artefacts.items())}}
           if entry.artefacts else {}),
    }


def _compact(record: Any) -> dict[str, Any]:
    """A record's fields, without optional ones left at their default."""
    return {f.name: getattr(record, f.name) for f in fields(record)
            if f.default is MISSING or getattr(record, f.name) != f.default}


def entry_hash(entry: Entry) -> str:
    """SHA-256 of the entry's canonical content (everything but ``entry_hash``)."""
    data = json.dumps(_canonical(entry), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def content_hash(files: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over the released files (path and bytes), independent of their order."""
    h = hashlib.sha256()
    for path, data in sorted(files):
        h.update(path.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0" + data)
    return "sha256:" + h.hexdigest()


# -- reading --------------------------------------------------------------

def _need(m: yamlio.LMap, key: str, types: type | tuple[type, ...], what: str,
          problems: list[Diagnostic]) -> Any:
    if key not in m:
        problems.append(error(m.pos, f"changelog entry needs {key!r} ({what})", "changelog.schema"))
        return None
    value = m[key]
    if not isinstance(value, types) or isinstance(value, bool):
        problems.append(error(m.where(key), f"{key!r} must be {what}", "changelog.schema"))
        return None
    return value


def parse_entry(data: bytes, name: str) -> Entry:
    """Read one entry; raises :class:`InvalidPolicy` with ``file:line:col`` for each problem."""
    raw = yamlio.parse(data, name)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(name, 1, 1), "a changelog entry must be a mapping", "changelog.schema")])
    for key in raw:
        if key not in _KEYS:
            problems.append(error(raw.key_pos[key], f"unknown key {key!r} in a changelog entry", "changelog.schema"))
    version = _need(raw, "version", str, "a version like 1.0.0", problems)
    if version is not None and not VERSION_RE.match(version):
        problems.append(error(raw.where("version"), f"{version!r} is not MAJOR.MINOR.PATCH", "changelog.version"))
    level = _need(raw, "level", str, "a level", problems)
    if level is not None and level not in (*LEVELS, FIRST):
        problems.append(error(raw.where("level"), f"level {level!r} is not one of {', '.join((*LEVELS, FIRST))}",
                              "changelog.schema"))
    published = _need(raw, "published", dt.date, "a date (YYYY-MM-DD)", problems)
    effective = _need(raw, "effective", dt.date, "a date (YYYY-MM-DD)", problems)
    previous = raw.get("previous")
    if previous is not None and not isinstance(previous, str):
        problems.append(error(raw.where("previous"), "'previous' must be a version or null", "changelog.schema"))
    summary: dict[str, str | None] = {}
    s = _need(raw, "summary", dict, "a mapping of locale to text (null = pending)", problems)
    for tag, text in (s or {}).items():
        if text is not None and not isinstance(text, str):
            problems.append(error(s.where(tag), f"summary for {tag!r} must be text or null", "changelog.schema"))
        else:
            summary[str(tag)] = text
    changes = tuple(_records(raw.get("changes") or [], ChangeRecord, raw, "changes", problems))
    overrides = tuple(_records(raw.get("overrides") or [], RecordedOverride, raw, "overrides", problems))
    artefacts = _artefacts(raw, problems)
    strings = {k: _need(raw, k, str, "text", problems) for k in ("document", "commit", "tree", "content_hash")}
    if problems:
        raise InvalidPolicy(problems)
    return Entry(
        version=version, document=strings["document"], level=level, published=published, effective=effective,
        previous=previous, commit=strings["commit"], tree=strings["tree"], content_hash=strings["content_hash"],
        summary=summary, changes=changes, overrides=overrides, artefacts=artefacts,
        entry_hash=str(raw.get("entry_hash") or ""),
        file=name, pos=raw.pos,
    )


def _artefacts(raw: yamlio.LMap, problems: list[Diagnostic]) -> dict[str, dict[str, str]]:
    """``artefacts:`` of an entry: locale -> {html, pdf, json} -> ``sha256:<64 hex>``."""
    value = raw.get("artefacts")
    if value is None:
        return {}
    out: dict[str, dict[str, str]] = {}
    ok = isinstance(value, dict)
    for tag, hashes in (value.items() if ok else ()):
        if not isinstance(hashes, dict) or not hashes or any(
                f not in ("html", "pdf", "json") or not isinstance(h, str) or not _HASH_RE.match(h)
                for f, h in hashes.items()):
            ok = False
            break
        out[str(tag)] = {str(f): str(h) for f, h in hashes.items()}
    if not ok:
        problems.append(error(raw.where("artefacts"), "'artefacts' maps each locale to html, pdf and json, each "
                              "sha256:<64 hex digits>", "changelog.schema"))
    return out


def _records(items: Any, cls: Any, raw: yamlio.LMap, key: str, problems: list[Diagnostic]) -> Iterable[Any]:
    spec = {f.name: f for f in fields(cls)}
    required = [n for n, f in spec.items() if f.default is MISSING]
    if not isinstance(items, list):
        problems.append(error(raw.where(key), f"{key!r} must be a list", "changelog.schema"))
        return
    for item, pos in zip(items, getattr(items, "item_pos", [raw.where(key)] * len(items)), strict=False):
        if not isinstance(item, dict) or any(not isinstance(item.get(n), str) for n in required) or any(
                n not in spec or not isinstance(v, type(spec[n].default) if n not in required else str)
                for n, v in item.items()):
            problems.append(error(pos, f"each of {key!r} needs text for {', '.join(required)} "
                                  f"(and may have {', '.join(n for n in spec if n not in required) or 'nothing else'})",
                                  "changelog.schema"))
            continue
        yield cls(**{n: item[n] for n in spec if n in item})


def entry_path(version: str) -> str:
    parse_version(version)  # a version is validated before it becomes a file name
    return f"{CHANGELOG_DIR}/{version}.yaml"


def read_entries(root: Path, parse: Callable[[bytes, str], Entry] = parse_entry) -> list[Entry]:
    """Every entry in ``root/changelog/`` (each read by ``parse``), oldest version first. Raises on a broken one."""
    folder = root / CHANGELOG_DIR
    entries, problems = [], []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = f"{CHANGELOG_DIR}/{path.name}"
        try:
            data = files.read(root, name)
            if data is None:
                continue
            entry = parse(data, name)
        except InvalidPolicy as exc:
            problems.extend(exc.diagnostics)
            continue
        if f"{entry.version}.yaml" != path.name:
            problems.append(error(Pos(name, 1, 1), f"holds version {entry.version}; the file must be named "
                                  f"{entry.version}.yaml", "changelog.file-name"))
            continue
        entries.append(entry)
    if problems:
        raise InvalidPolicy(problems)
    return sorted(entries, key=lambda e: parse_version(e.version))


def find_entry(root: Path, version: str) -> Entry:
    """The entry of ``version``; :class:`VersionError` when there is none."""
    for entry in read_entries(root):
        if entry.version == version:
            return entry
    known = ", ".join(e.version for e in read_entries(root)) or "none yet"
    raise VersionError(f"no release {version!r} in {CHANGELOG_DIR}/ (released: {known})")


def latest(root: Path) -> Entry | None:
    entries = read_entries(root)
    return entries[-1] if entries else None


# -- writing --------------------------------------------------------------

def dump_entry(entry: Entry) -> str:
    """The entry as YAML, keys in their canonical order, with its ``entry_hash``."""
    data = _canonical(entry)
    m = yamlio.new_map()
    for key, value in data.items():
        if key == "summary":
            value = yamlio.new_map((k, yamlio.literal(v) if v else None) for k, v in value.items())
        elif key in ("published", "effective"):
            value = dt.date.fromisoformat(value)
        elif key in ("changes", "overrides"):
            value = [yamlio.new_map(item.items()) for item in value]
        elif key == "artefacts":
            value = yamlio.new_map((tag, yamlio.new_map(files.items())) for tag, files in value.items())
        m[key] = value
    m["entry_hash"] = entry_hash(entry)
    header = (f"# Release {entry.version} of {entry.document}, written by `policyctl release`.\n"
              "# Do not edit: released versions are immutable and `policyctl validate` checks this file.\n")
    return header + yamlio.dump_roundtrip(m)


_LEVEL_ORDER = {"significant": 0, "minor": 1, "editorial": 2}


def render_markdown(entry: Entry, *, title: str, language_names: Mapping[str, str] | None = None) -> str:
    """The human-readable twin of an entry (``changelog/<version>.md``)."""
    names = language_names or {}
    lines = [
        f"# {title} {entry.version}",
        "",
        f"- **Level:** {entry.level}",
        f"- **Published:** {entry.published.isoformat()}",
        f"- **Effective:** {entry.effective.isoformat()}",
        f"- **Previous version:** {entry.previous or '— (first release)'}",
        f"- **Released from:** commit `{entry.commit}` (tree `{entry.tree}`)",
        f"- **Content:** `{entry.content_hash}`",
        "",
        "## Summary",
        "",
    ]
    for tag, text in entry.summary.items():
        label = f"{names[tag]} ({tag})" if tag in names else tag
        lines += [f"### {label}", "", text.strip() if text else "_Translation pending._", ""]
    if not entry.summary:
        lines += ["_No summary._", ""]
    if entry.changes:
        lines += [f"## Changes ({len(entry.changes)})", "", "| Level | Change | What | Rule | Reason |",
                  "|---|---|---|---|---|"]
        for c in sorted(entry.changes, key=lambda c: (_LEVEL_ORDER.get(c.level, 3), c.path)):
            cells = [c.level, f"`{c.path}`", c.kind, f"`{c.rule}`", c.reason]
            lines.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
        lines.append("")
    if entry.overrides:
        lines += ["## Overrides", ""]
        for o in entry.overrides:
            who = f" (decided by {o.by})" if o.by else ""
            lines.append(f"- `{o.path}`: {o.was} → **{o.level}**{who}. {o.justification.strip()}")
        lines.append("")
    return "\n".join(lines)


def published_markdown(entry: Entry) -> str:
    """The Markdown twin's part about what was published (empty when nothing was recorded)."""
    if not entry.artefacts:
        return ""
    lines = ["## Published files", "", "Kept in `published/` as they were published; `policyctl validate` checks "
             "each against its hash.", "", "| Locale | Format | SHA-256 |", "|---|---|---|"]
    for tag, hashes in sorted(entry.artefacts.items()):
        lines += [f"| {tag} | {fmt} | `{digest}` |" for fmt, digest in sorted(hashes.items())]
    return "\n".join([*lines, ""])
