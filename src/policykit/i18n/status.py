"""How far each locale is: translated, diverging, stale (with the source diff since then), missing.

A *diverging* unit has a current translation (its hash is the source's) that states something
else than the source on what binds (:mod:`policykit.i18n.fidelity`): it is counted apart from
the translated ones, and its words still count as translated (it is done, and needs a person's look).

:func:`status` returns plain data; :func:`to_text` and :func:`to_json` format it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Literal

from policykit.i18n.catalog import Unit, units
from policykit.i18n.fidelity import Divergence, check_unit, describe
from policykit.i18n.history import History, old_source, word_diff
from policykit.model import Policy

Status = Literal["translated", "diverging", "stale", "missing"]
STATUSES: tuple[Status, ...] = ("translated", "diverging", "stale", "missing")

KINDS = (("block", "blocks"), ("label", "fact labels"), ("title", "titles"), ("term", "table words"))
_JSON_NAMES = {"block": "blocks", "label": "labels", "title": "titles", "term": "terms"}


@dataclass(frozen=True)
class Stale:
    """A stale unit: where its translation is, and what changed in the source since."""

    key: str
    where: str  # file:line:col of the translation
    previous: str | None  # the source it was translated from, when history has it
    diff: str | None


@dataclass(frozen=True)
class Diverging:
    """A current translation that diverges from its source: where it is, and how."""

    key: str
    where: str  # file:line:col of the translation
    divergences: tuple[Divergence, ...]


@dataclass(frozen=True)
class LocaleStatus:
    tag: str
    published: bool  # in ``locales`` (else in ``fallback_locales``)
    counts: dict[str, dict[Status, int]]  # kind -> state -> units
    words: dict[Status, int]  # source words per state
    stale: tuple[Stale, ...] = ()
    missing: tuple[str, ...] = ()
    diverging: tuple[Diverging, ...] = ()
    history: bool = False  # whether git history was available for stale diffs
    units: tuple[Unit, ...] = field(default=(), repr=False, compare=False)

    @property
    def share(self) -> float:
        """The share of the source's words with a current translation, diverging or not (0..1)."""
        total = sum(self.words.values())
        return (self.words["translated"] + self.words["diverging"]) / total if total else 1.0

    def has(self, state: Status) -> bool:
        return any(c[state] for c in self.counts.values())


def translation_tags(policy: Policy) -> list[str]:
    """The locales that are translations: published first, then fallback ones, without the source."""
    return [t for t in policy.all_locales if t != policy.source_locale]


def locale_status(policy: Policy, tag: str, history: History | None = None, *,
                  fidelity: bool = True) -> LocaleStatus:
    """``tag``'s units by state; with ``fidelity``, each current translation is also held to its source."""
    all_units = units(policy, tag)
    counts: dict[str, dict[Status, int]] = {kind: dict.fromkeys(STATUSES, 0) for kind, _ in KINDS}
    words: dict[Status, int] = dict.fromkeys(STATUSES, 0)
    stale, missing, diverging = [], [], []
    for unit in all_units:
        state: Status = unit.state
        if state == "translated" and fidelity and unit.translated is not None:
            found = check_unit(unit, tag, policy.source_locale)
            if found:
                state = "diverging"
                diverging.append(Diverging(unit.key, str(unit.translated.pos), found))
        counts[unit.kind][state] += 1
        words[state] += unit.words
        if state == "missing":
            missing.append(unit.key)
        elif state == "stale":
            assert unit.translated is not None
            previous = old_source(unit, unit.translated.source_hash, history) if history else None
            stale.append(Stale(unit.key, str(unit.translated.pos), previous,
                               word_diff(previous, unit.source) if previous is not None else None))
    return LocaleStatus(tag, tag in policy.locales, counts, words, tuple(stale), tuple(missing),
                        tuple(diverging), history is not None, tuple(all_units))


def status(policy: Policy, tags: list[str] | None = None, history: History | None = None, *,
           fidelity: bool = True) -> list[LocaleStatus]:
    """The status of each translation locale (``tags``, default: all configured ones)."""
    return [locale_status(policy, tag, history, fidelity=fidelity) for tag in (tags or translation_tags(policy))]


def _missing_summary(s: LocaleStatus) -> list[str]:
    """Missing units grouped by section: whole sections by name, else the keys."""
    by_section: dict[str, list[Unit]] = {}
    for unit in s.units:
        by_section.setdefault(unit.section or "(document)", []).append(unit)
    whole, parts = [], []
    for section, us in by_section.items():
        gone = [u.key for u in us if u.state == "missing"]
        if gone and len(gone) == len(us):
            whole.append(section)
        else:
            parts.extend(gone)
    lines = []
    if whole:
        lines.append(f"    not started: {', '.join(whole)}")
    for key in parts:
        lines.append(f"    {key}")
    return lines


def to_text(statuses: list[LocaleStatus]) -> str:
    out = []
    for s in statuses:
        total = sum(s.words.values())
        role = "published" if s.published else "fallback"
        # Rounded down, so 99.6% never shows as a complete 100%.
        out.append(f"{s.tag} ({role}): {math.floor(s.share * 100)}% of words translated "
                   f"({s.words['translated'] + s.words['diverging']:,} of {total:,} source words)")
        for kind, name in KINDS:
            c = s.counts[kind]
            out.append(f"  {name:<12} {c['translated']:>4} translated {c['diverging']:>4} diverging "
                       f"{c['stale']:>4} stale {c['missing']:>4} missing")
        if s.diverging:
            out.append("  diverging (the translation states something else than the source):")
            for dv in s.diverging:
                out.append(f"    {dv.key}  {dv.where}")
                for d in dv.divergences:
                    out.append(f"      {describe(d)}")
                    out.append(f"        source:      {_short(d.source_sentence)}")
                    out.append(f"        translation: {_short(d.translated_sentence)}")
        if s.stale:
            out.append("  stale (the source changed since the translation):")
            for st in s.stale:
                out.append(f"    {st.key}  {st.where}")
                if st.diff is not None:
                    out.append(f"      source diff: {st.diff}")
                else:
                    why = "not found in git history" if s.history else "no git history available"
                    out.append(f"      source changed ({why})")
        if s.missing:
            out.append("  missing:")
            out.extend(_missing_summary(s))
    return "\n".join(out)


def _short(sentence: str, limit: int = 160) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def to_json(statuses: list[LocaleStatus]) -> str:
    return json.dumps(
        [
            {
                "locale": s.tag,
                "published": s.published,
                "share_of_words": round(s.share, 4),
                "words": s.words,
                "counts": {_JSON_NAMES[kind]: s.counts[kind] for kind, _ in KINDS},
                "stale": [{"key": st.key, "where": st.where, "previous_source": st.previous, "diff": st.diff}
                          for st in s.stale],
                "missing": list(s.missing),
                "diverging": [{"key": dv.key, "where": dv.where,
                               "divergences": [{"feature": d.feature, "source": list(d.source),
                                                "translation": list(d.translation), "missing": list(d.missing),
                                                "added": list(d.added), "source_sentence": d.source_sentence,
                                                "translated_sentence": d.translated_sentence}
                                               for d in dv.divergences]}
                              for dv in s.diverging],
            }
            for s in statuses
        ],
        ensure_ascii=False,
        indent=2,
    )
