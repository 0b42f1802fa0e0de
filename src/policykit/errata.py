"""Errata: a released classification corrected by a documented record, never by editing the release.

A release's entry (``changelog/<version>.yaml``) is immutable. When its classification later proves
wrong (the 2.0.0 classifier read ordinary German nouns as newly named organisations), an erratum
(``changelog/errata/<version>-<n>.yaml``, with a Markdown twin) records, for each change it corrects,
what the release recorded and what it should have said, with the reason and who decided. The entry
stays byte for byte as released; readers (the site, ``log``) see the correction beside it.

:func:`prepare` re-classifies a release's changes with today's classifier and keeps those whose level
or rule differs (optionally only one translation's); :func:`write` writes and commits the erratum;
:func:`check_errata` validates every erratum (its release exists, each correction names a recorded
change and restates it as recorded, its hash holds, numbers follow on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from policykit import changelog, yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, PolicyError
from policykit.validate import register_project

ERRATA_DIR = f"{changelog.CHANGELOG_DIR}/errata"
_NAME_RE = re.compile(r"^(?P<version>\d+\.\d+\.\d+)-(?P<n>[1-9]\d*)\.yaml$")


@dataclass(frozen=True)
class Said:
    """A classification as recorded or as corrected: level, rule and reason."""

    level: str
    rule: str
    reason: str


@dataclass(frozen=True)
class Correction:
    path: str
    kind: str
    locale: str
    was: Said
    now: Said


@dataclass(frozen=True)
class Erratum:
    release: str
    number: int
    document: str
    published: dt.date
    by: str
    reason: str
    corrections: tuple[Correction, ...]
    entry_hash: str = ""

    @property
    def file(self) -> str:
        return f"{ERRATA_DIR}/{self.release}-{self.number}.yaml"


class ErratumError(PolicyError):
    """An erratum that cannot be made (no such release, nothing to correct)."""


def _canonical(e: Erratum) -> dict[str, Any]:
    data = asdict(e)
    data.pop("entry_hash")
    data["published"] = e.published.isoformat()
    return data


def erratum_hash(e: Erratum) -> str:
    data = json.dumps(_canonical(e), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


# -- making one --------------------------------------------------------------------------------------
def prepare(root: Path, version: str, *, by: str, reason: str, locale: str | None = None,
            today: dt.date | None = None) -> Erratum:
    """The corrections today's classifier makes to release ``version``'s recorded classification."""
    from policykit.compare.classify import classify, load_rules
    from policykit.compare.diff import diff_policies
    from policykit.versions import load_version, open_repository

    if not by.strip() or not reason.strip():
        raise ErratumError("an erratum needs who decided (--by) and why (--reason)")
    entry = changelog.find_entry(root, version)
    if entry.previous is None:
        raise ErratumError(f"release {version} is the first: it has no classified changes to correct")
    previous = changelog.find_entry(root, entry.previous)
    repo = open_repository(root)
    a = load_version(root, previous.commit, repo=repo).policy
    b = load_version(root, entry.commit, repo=repo).policy
    tags = [t for t in b.all_locales if t != b.source_locale]
    now = {(c.path, c.kind, c.locale): c for c in classify(diff_policies(a, b, locales=tags), load_rules(root),
                                                         before=a, after=b)}
    corrections = []
    for record in entry.changes:
        if locale is not None and record.locale != locale:
            continue
        current = now.get((record.path, record.kind, record.locale))
        if current is None or (current.level, current.rule) == (record.level, record.rule):
            continue
        corrections.append(Correction(record.path, record.kind, record.locale,
                                      Said(record.level, record.rule, record.reason),
                                      Said(current.level, current.rule, current.reason)))
    if not corrections:
        raise ErratumError(f"today's classifier records release {version} as it was recorded"
                           + (f" (locale {locale})" if locale else "") + ": nothing to correct")
    number = 1 + max((e.number for e in read_errata(root) if e.release == version), default=0)
    return Erratum(version, number, entry.document, today or dt.date.today(), by.strip(), reason.strip(),
                   tuple(corrections))


def write(root: Path, erratum: Erratum) -> tuple[str, str, str]:
    """Write the erratum and its Markdown twin, commit exactly those two files; (yaml, md, commit)."""
    from policykit import files, gitrelease
    from policykit.git import Repository

    yaml_path = erratum.file
    md_path = yaml_path.removesuffix(".yaml") + ".md"
    (root / ERRATA_DIR).mkdir(parents=True, exist_ok=True)
    files.write(root, yaml_path, dump(erratum).encode("utf-8"))
    files.write(root, md_path, render_markdown(erratum).encode("utf-8"))
    sha = gitrelease.commit_paths(
        Repository(root), [yaml_path, md_path], f"Erratum {erratum.number} to {erratum.document} {erratum.release}: "
        f"{len(erratum.corrections)} classification(s) corrected\n\n{erratum.reason}")
    return yaml_path, md_path, sha


def dump(e: Erratum) -> str:
    m = yamlio.new_map()
    for key, value in _canonical(e).items():
        if key == "published":
            value = e.published
        elif key == "reason":
            value = yamlio.literal(value.strip() + "\n")
        elif key == "corrections":
            value = [yamlio.new_map(c.items()) for c in value]
        m[key] = value
    m["entry_hash"] = erratum_hash(e)
    header = (f"# Erratum {e.number} to release {e.release} of {e.document}, written by `policyctl erratum`.\n"
              "# Do not edit: it corrects the release's recorded classification; a new erratum corrects it.\n")
    return header + yamlio.dump_roundtrip(m)


def render_markdown(e: Erratum) -> str:
    lines = [f"# Erratum {e.number} to release {e.release}", "",
             f"- **Published:** {e.published.isoformat()}", f"- **Decided by:** {e.by}", "", e.reason.strip(), "",
             "| Change | Recorded | Corrected | Why |", "|---|---|---|---|"]
    for c in e.corrections:
        where = f"`{c.path}`" + (f" [{c.locale}]" if c.locale else "")
        lines.append(f"| {where} | {c.was.level} (`{c.was.rule}`) | **{c.now.level}** (`{c.now.rule}`) | "
                     f"{c.now.reason.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


# -- reading and checking ------------------------------------------------------------------------------
def parse(data: bytes, name: str) -> Erratum:
    raw = yamlio.parse(data, name)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(name, 1, 1), "an erratum is a mapping", "errata.schema")])
    try:
        corrections = tuple(
            Correction(str(c["path"]), str(c["kind"]), str(c.get("locale") or ""),
                       Said(**{k: str(c["was"][k]) for k in ("level", "rule", "reason")}),
                       Said(**{k: str(c["now"][k]) for k in ("level", "rule", "reason")}))
            for c in raw["corrections"])
        published = raw["published"]
        e = Erratum(str(raw["release"]), int(raw["number"]), str(raw["document"]),
                    published if isinstance(published, dt.date) else dt.date.fromisoformat(str(published)),
                    str(raw["by"]), str(raw["reason"]).strip(), corrections, str(raw.get("entry_hash") or ""))
    except (KeyError, TypeError, ValueError) as exc:
        problems.append(error(Pos(name, 1, 1), f"not an erratum as `policyctl erratum` writes it ({exc})",
                              "errata.schema"))
        raise InvalidPolicy(problems) from None
    return e


def read_errata(root: Path) -> list[Erratum]:
    """Every erratum under ``changelog/errata/``, by release and number."""
    from policykit import files

    folder = root / ERRATA_DIR
    out = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = files.read(root, f"{ERRATA_DIR}/{path.name}")
        if data is not None:
            out.append(parse(data, f"{ERRATA_DIR}/{path.name}"))
    return sorted(out, key=lambda e: (changelog.parse_version(e.release), e.number))


@register_project
def check_errata(root: Path) -> Iterator[Diagnostic]:
    """Each erratum corrects a real release's recorded changes, unedited, numbered in order."""
    folder = root / ERRATA_DIR
    if not folder.is_dir():
        return
    try:
        entries = {e.version: e for e in changelog.read_entries(root)}
    except InvalidPolicy:
        return  # the entries' own errors are reported by the release checks
    seen: dict[str, list[int]] = {}
    for path in sorted(folder.glob("*.yaml")):
        name = f"{ERRATA_DIR}/{path.name}"
        try:
            from policykit import files

            data = files.read(root, name)
            if data is None:
                continue
            e = parse(data, name)
        except InvalidPolicy as exc:
            yield from exc.diagnostics
            continue
        yield from _check_one(e, name, path.name, entries)
        seen.setdefault(e.release, []).append(e.number)
    for version, numbers in seen.items():
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            yield error(Pos(f"{ERRATA_DIR}/{version}-1.yaml", 1, 1), f"the errata of release {version} are "
                        f"numbered {sorted(numbers)}: an erratum was removed or misnumbered; errata are never "
                        "deleted (a new one corrects an earlier one)", "errata.numbers")


def _check_one(e: Erratum, name: str, file_name: str, entries: dict[str, changelog.Entry]) -> Iterator[Diagnostic]:
    at = Pos(name, 1, 1)
    m = _NAME_RE.match(file_name)
    if not m or (m["version"], int(m["n"])) != (e.release, e.number):
        yield error(at, f"holds erratum {e.number} to {e.release}; the file must be named "
                    f"{e.release}-{e.number}.yaml", "errata.file-name")
    if e.entry_hash != erratum_hash(e):
        yield error(at, f"erratum {e.number} to {e.release} was edited after it was written (its entry_hash does "
                    "not match); errata are never edited: write a new one", "errata.edited")
    entry = entries.get(e.release)
    if entry is None:
        yield error(at, f"erratum to release {e.release}, which changelog/ does not hold", "errata.release")
        return
    recorded = {(c.path, c.kind, c.locale): c for c in entry.changes}
    for c in e.corrections:
        r = recorded.get((c.path, c.kind, c.locale))
        if r is None:
            yield error(at, f"erratum {e.number} to {e.release} corrects {c.path} ({c.kind}"
                        f"{', ' + c.locale if c.locale else ''}), which the release did not record", "errata.change")
        elif (r.level, r.rule, r.reason) != (c.was.level, c.was.rule, c.was.reason):
            yield error(at, f"erratum {e.number} to {e.release} says {c.path} was recorded as {c.was.level} "
                        f"({c.was.rule}); the release recorded {r.level} ({r.rule})", "errata.change")
