"""What PO and XLIFF files share: which units go out, and how incoming entries are checked and applied.

Export: every unit of a locale (or only the stale and/or missing ones) with its
source text, current translation, the previous source of a stale unit (from git
history), the section title as context and the glossary terms it contains.

Import: entries are checked before anything is written — the id must exist, the
text must have the source's Markdown structure (links with the same targets, list
items, emphasis) and no raw HTML; then the locale YAML is written with the hash of
the source each entry was translated from, keeping comments. An entry that is not
confirmed (PO ``fuzzy``, XLIFF ``needs-review-*``) or empty leaves the YAML as it
is, so exporting and importing with no edits changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from policykit import markdown
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy, UsageError
from policykit.i18n.catalog import State, TranslationUpdate, Unit, like_source, same_text, units, write_changes
from policykit.i18n.glossary import terms_in
from policykit.i18n.history import History, old_source
from policykit.model import Policy, source_hash
from policykit.vocabulary import control_problem, did_you_mean


@dataclass(frozen=True)
class Outgoing:
    unit: Unit
    previous: str | None  # the source a stale translation was made from, when history has it
    glossary: tuple[str, ...] = ()  # "term → translation" hints


@dataclass(frozen=True)
class Incoming:
    """One entry read from a PO or XLIFF file."""

    key: str
    source: str | None  # the source text the translator saw (msgid / <source>)
    text: str  # the translation; "" when there is none
    confirmed: bool  # not fuzzy / needs review
    pos: Pos  # where the translation is in the PO/XLIFF file


@dataclass(frozen=True)
class Exchange:
    """A parsed PO or XLIFF file."""

    tag: str
    document: str
    entries: tuple[Incoming, ...]
    pos: Pos  # where the header / <file> element is


@dataclass
class ImportResult:
    tag: str
    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # keys whose text or hash changed
    unchanged: int = 0
    unconfirmed: int = 0  # fuzzy / needs review: left as they were
    empty: int = 0
    older_source: list[str] = field(default_factory=list)  # translated from a source that has changed since


def outgoing(policy: Policy, tag: str, only: Iterable[State] = (), history: History | None = None, *,
             sections: Iterable[str] = ()) -> list[Outgoing]:
    """The units to export for ``tag``: all, or only those in the states ``only`` and (when
    given) of the ``sections``."""
    wanted = set(only)
    chosen = set(sections)
    lt = policy.translations.get(tag)
    glossary = lt.glossary if lt else ()
    out = []
    for unit in units(policy, tag):
        if (wanted and unit.state not in wanted) or (chosen and unit.section not in chosen):
            continue
        previous = None
        if unit.state == "stale" and history is not None:
            assert unit.translated is not None
            previous = old_source(unit, unit.translated.source_hash, history)
        hints = tuple(f"{t.term} → {t.use}" for t in terms_in(unit.source, glossary))
        out.append(Outgoing(unit, previous, hints))
    return out


def check_locale(policy: Policy, tag: str) -> None:
    if tag == policy.source_locale:
        raise UsageError(f"{tag!r} is the source locale; there is nothing to translate into it")
    if tag not in policy.all_locales:
        raise UsageError(f"locale {tag!r} is not configured in policy/policy.yaml; "
                         f"start it with `policyctl i18n new {tag}`")


def plan(policy: Policy, exchange: Exchange) -> tuple[list[TranslationUpdate], ImportResult, list[Diagnostic]]:
    """What importing ``exchange`` would write, and every problem that forbids it."""
    diagnostics: list[Diagnostic] = []
    result = ImportResult(exchange.tag)
    if exchange.document and exchange.document != policy.document:
        diagnostics.append(error(exchange.pos, f"this file is for document {exchange.document!r}, "
                                 f"not {policy.document!r}", "i18n.document"))
    all_units = units(policy, exchange.tag)
    by_key = {u.key: u for u in all_units}
    seen: dict[str, Pos] = {}
    changes: list[TranslationUpdate] = []
    for entry in exchange.entries:
        unit = by_key.get(entry.key)
        if not entry.key:
            diagnostics.append(error(entry.pos, "this entry has no id (PO msgctxt, XLIFF trans-unit id); "
                                     "entries not exported by policyctl cannot be imported", "i18n.no-id"))
            continue
        if unit is None:
            diagnostics.append(error(entry.pos, f"unknown id {entry.key!r}: no such title, block or fact label in "
                                     f"the source{did_you_mean(entry.key, by_key)}", "i18n.unknown-id"))
            continue
        if entry.key in seen:
            diagnostics.append(error(entry.pos, f"{entry.key!r} appears twice (first at line "
                                     f"{seen[entry.key].line})", "i18n.duplicate"))
            continue
        seen[entry.key] = entry.pos
        if not entry.text.strip():
            result.empty += 1
            continue
        if not entry.confirmed:
            result.unconfirmed += 1
            continue
        made_from = entry.source if entry.source is not None else unit.source
        text = like_source(entry.text, made_from)
        problems = check_text(unit, made_from, text, entry.pos)
        if problems:
            diagnostics.extend(problems)
            continue
        new_hash = source_hash(made_from)
        if made_from != unit.source:
            result.older_source.append(unit.key)
        current = unit.translated
        if current is not None and same_text(current.text, text) and current.source_hash == new_hash:
            result.unchanged += 1
            continue
        changes.append(TranslationUpdate(unit, text, new_hash))
        result.updated.append(unit.key)
    return changes, result, diagnostics


def check_text(unit: Unit, source: str, text: str, pos: Pos) -> list[Diagnostic]:
    """Control characters (a line break in a title or label), raw HTML, unsafe links, images, and Markdown
    structure that differs from the source."""
    out = []
    problem = control_problem(text, single_line=unit.kind != "block")
    if problem is not None:
        # A title becomes a mail subject: a line break there would fail every notice of the language.
        out.append(error(pos, f"{unit.key}: the translation {problem}", "i18n.control"))
    for finding in markdown.check(text):
        if finding.severity == "error":
            out.append(error(pos, f"{unit.key}: {finding.message}", f"i18n.{finding.code}"))
    for difference in markdown.structure(source).differences(markdown.structure(text)):
        out.append(error(pos, f"{unit.key}: Markdown differs from the source: {difference}", "i18n.structure"))
    return out


def apply(root: Path, policy: Policy, exchange: Exchange) -> ImportResult:
    """Check every entry, then write the locale YAML (nothing is written when any entry is wrong)."""
    check_locale(policy, exchange.tag)
    changes, result, diagnostics = plan(policy, exchange)
    if diagnostics:
        raise InvalidPolicy(sorted(diagnostics, key=Diagnostic.sort_key))
    if changes:
        result.written = write_changes(root, exchange.tag, changes, units(policy, exchange.tag))
    return result
