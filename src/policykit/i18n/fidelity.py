"""Is a translation faithful to the controlling text on what binds?

The API for the diff, the classifier and the pull-request gate::

    from policykit.i18n.fidelity import compare, check_locale

    compare(source_text, translated_text, "de")          # -> list[Divergence]
    check_locale(policy, "de")                            # -> list[UnitDivergences], current translations only

A :class:`Divergence` is plain data: the ``feature`` (one of :data:`FEATURES`: negation,
modality, numbers, durations, dates, ages, countries, parties, consent), the values the source
states (``source``) and those the translation states (``translation``), canonical and
language-independent (``"not"``, ``"may"``, ``"user-may"``, ``"30 days"``, ``"<16"``, ``"US"``,
``"advertisers"``, ``"opt-out"``), and the source sentence and the translated sentence where
they differ. :attr:`Divergence.missing` and :attr:`Divergence.added` give what the translation
drops and what it adds. Nothing is printed; :func:`describe` is a one-line wording.

How the texts are compared:

1. Both texts are made plain (Markdown removed) and cut into lines; when both have the same
   number of lines (list items), line *i* is compared with line *i*, else the whole texts.
2. Each line is cut into sentences (:func:`policykit.i18n.segment.sentences`) and the
   sentences are aligned by length, allowing a translator to split one sentence in two or
   join two (1-1, 1-2, 2-1, 2-2, 1-3, 3-1). When some sentence has no counterpart (1-0, 0-1),
   the alignment is not trusted and the whole line is compared as one.
3. Each aligned group is read (:func:`policykit.i18n.reading.read`) on both sides and each
   feature compared: negation by the number of negating words, the others by the set of values.
   In a group negated on both sides, may and must are one value: "must not" and "may not"
   (dürfen nicht) say the same prohibition.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policykit.i18n.reading import FEATURES, Reading, lexicon, read
from policykit.i18n.segment import Span, is_cjk, sentences

if TYPE_CHECKING:
    from policykit.i18n.catalog import Unit
    from policykit.model import Policy

__all__ = ["FEATURES", "Divergence", "UnitDivergences", "check_locale", "check_unit", "compare", "describe"]


@dataclass(frozen=True)
class Divergence:
    """Where a translation states something else than its source on one feature."""

    feature: str
    source: tuple[str, ...]
    translation: tuple[str, ...]
    source_sentence: str
    translated_sentence: str

    @property
    def missing(self) -> tuple[str, ...]:
        """What the source states and the translation does not (values, with repeats for negation)."""
        return tuple((Counter(self.source) - Counter(self.translation)).elements())

    @property
    def added(self) -> tuple[str, ...]:
        """What the translation states and the source does not."""
        return tuple((Counter(self.translation) - Counter(self.source)).elements())

    def __str__(self) -> str:
        return describe(self)


def describe(d: Divergence) -> str:
    """``negation: the source says not ×2, the translation not ×1``: one line for a person."""
    def say(values: tuple[str, ...]) -> str:
        if not values:
            return "nothing"
        counts = Counter(values)
        return ", ".join(f"{v} ×{n}" if n > 1 else v for v, n in counts.items())

    return f"{d.feature}: the source says {say(d.source)}, the translation {say(d.translation)}"


@dataclass(frozen=True)
class UnitDivergences:
    """A translated unit (block, title, label) that diverges from its source."""

    key: str
    where: str  # file:line:col of the translation
    divergences: tuple[Divergence, ...]


def compare(source: str, translation: str, tag: str, *, source_tag: str = "en") -> list[Divergence]:
    """Where ``translation`` (in ``tag``) diverges from ``source`` (in ``source_tag``) on what binds."""
    from policykit.markdown import to_text

    src, dst = to_text(source).strip(), to_text(translation).strip()
    src_lines, dst_lines = _lines(src), _lines(dst)
    pairs = list(zip(src_lines, dst_lines, strict=True)) if len(src_lines) == len(dst_lines) else [(src, dst)]
    out: list[Divergence] = []
    for s, t in pairs:
        for s_group, t_group in _align(s, t, source_tag, tag):
            out += _differences(" ".join(x.text for x in s_group), " ".join(x.text for x in t_group),
                                source_tag, tag)
    return out


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- alignment -----------------------------------------------------------------------------
_MOVES = {(1, 1): 0.0, (1, 2): 1.0, (2, 1): 1.0, (2, 2): 2.0, (1, 3): 2.0, (3, 1): 2.0, (1, 0): 4.0, (0, 1): 4.0}


def _align(source: str, translation: str, source_tag: str, tag: str) -> list[tuple[list[Span], list[Span]]]:
    """Groups of source and translated sentences that say the same thing (see the module's docstring)."""
    s = sentences(source, source_tag, lexicon(source_tag).abbreviations)
    t = sentences(translation, tag, lexicon(tag).abbreviations)
    if not s or not t:
        return [(s, t)]
    if len(s) == 1 or len(t) == 1:
        return [(s, t)]
    ratio = sum(len(x.text) for x in t) / max(1, sum(len(x.text) for x in s))
    n, m = len(s), len(t)
    best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {(0, 0): (0.0, (0, 0))}
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) not in best:
                continue
            here = best[i, j][0]
            for (a, b), penalty in _MOVES.items():
                if i + a > n or j + b > m:
                    continue
                ls = sum(len(x.text) for x in s[i:i + a])
                lt = sum(len(x.text) for x in t[j:j + b])
                cost = here + penalty + 5 * abs(math.log((lt + 10) / (ratio * ls + 10)))
                if (i + a, j + b) not in best or cost < best[i + a, j + b][0]:
                    best[i + a, j + b] = (cost, (a, b))
    groups: list[tuple[list[Span], list[Span]]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = best[i, j][1]
        if a == 0 or b == 0:
            return [(s, t)]  # a sentence without a counterpart: compare the whole
        groups.append((s[i - a:i], t[j - b:j]))
        i, j = i - a, j - b
    return groups[::-1]


# -- comparing -------------------------------------------------------------------------------
def _differences(source: str, translation: str, source_tag: str, tag: str) -> list[Divergence]:
    a, b = read(source, source_tag), read(translation, tag)
    out = []
    negated = bool(a.values("negation")) and bool(b.values("negation"))
    for feature in FEATURES:
        va, vb = _values(a, feature, negated), _values(b, feature, negated)
        differs = _negation_differs(va, vb) if feature == "negation" else set(va) != set(vb)
        if differs:
            out.append(Divergence(feature, va, vb, source, translation))
    return out


def _negation_differs(source: tuple[str, ...], translation: tuple[str, ...]) -> bool:
    """Negated on one side only, or fewer negations in the translation: a translation may repeat a
    negation over coordinated verbs ("nicht bereitstellen oder nicht beantworten"), never drop one."""
    return bool(source) != bool(translation) or len(translation) < len(source)


def _values(reading: Reading, feature: str, negated: bool) -> tuple[str, ...]:
    values = reading.values(feature)
    if feature == "modality" and negated:
        values = tuple("may/must" if v in ("may", "must") else v for v in values)
    if feature == "negation":
        return values
    return tuple(dict.fromkeys(values))


# -- a policy's translations -------------------------------------------------------------------
def check_unit(unit: Unit, tag: str, source_tag: str) -> tuple[Divergence, ...]:
    """The divergences of ``unit``'s translation (none for a unit without one)."""
    if unit.translated is None:
        return ()
    return tuple(compare(unit.source, unit.translated.text, tag, source_tag=source_tag))


def check_locale(policy: Policy, tag: str) -> list[UnitDivergences]:
    """Every current translation of ``tag`` (not stale, not missing) that diverges from its source."""
    from policykit.i18n.catalog import units

    out = []
    for unit in units(policy, tag):
        if unit.state != "translated" or unit.translated is None:
            continue
        found = check_unit(unit, tag, policy.source_locale)
        if found:
            out.append(UnitDivergences(unit.key, str(unit.translated.pos), found))
    return out


def uses_segmenter(tag: str) -> bool:
    """Whether reading ``tag`` loads a dictionary (Japanese, Chinese)."""
    return is_cjk(tag)
