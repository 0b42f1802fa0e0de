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
   sentences are aligned (:mod:`policykit.i18n.align`) by length, allowing a translator to split one sentence in two or
   join two (1-1, 1-2, 2-1, 2-2, 1-3, 3-1). When some sentence has no counterpart (1-0, 0-1),
   the alignment is not trusted and the whole line is compared as one.
3. Each aligned group is read (:func:`policykit.i18n.reading.read`) on both sides and each
   feature compared: negation by the number of negating words, the others by the set of values.
   In a group negated on both sides, may and must are one value: "must not" and "may not"
   (dürfen nicht) say the same prohibition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from policykit.i18n.align import align
from policykit.i18n.lexicon import FEATURES, Feature, features, lexicon
from policykit.i18n.reading import SentenceReading as Reading
from policykit.i18n.reading import read
from policykit.i18n.segment import is_cjk, sentences

if TYPE_CHECKING:
    from policykit.i18n.catalog import Unit
    from policykit.model import Policy

__all__ = ["FEATURES", "BindingChange", "Divergence", "EditFidelity", "UnitDivergences", "check_locale", "check_unit",
           "compare", "describe", "edit_divergences"]


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
    return _compare(source, translation, tag, source_tag, read)


Reader = Callable[[str, str], Reading]  # read(text, tag), or the same function reading each text once


def _compare(source: str, translation: str, tag: str, source_tag: str, read: Reader) -> list[Divergence]:
    from policykit.markdown import to_text

    src, dst = to_text(source).strip(), to_text(translation).strip()
    src_lines, dst_lines = _lines(src), _lines(dst)
    pairs = list(zip(src_lines, dst_lines, strict=True)) if len(src_lines) == len(dst_lines) else [(src, dst)]
    out: list[Divergence] = []
    earlier_a: list[Reading] = []
    earlier_b: list[Reading] = []
    for s, t in pairs:
        for s_group, t_group in align(s, t, source_tag, tag):
            a = read(" ".join(x.text for x in s_group), source_tag)
            b = read(" ".join(x.text for x in t_group), tag)
            out += _differences(a, b, earlier_a, earlier_b)
            earlier_a.append(a)
            earlier_b.append(b)
    return out


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- comparing -------------------------------------------------------------------------------
Values = list[tuple[str, bool]]  # (value, weak) in the order read


def _differences(a: Reading, b: Reading, earlier_a: list[Reading], earlier_b: list[Reading]) -> list[Divergence]:
    va, vb = _normalised(a, b)
    negated = bool(va["negation"]) and bool(vb["negation"])
    out = []
    for f in features():
        xa, xb = va[f.name], vb[f.name]
        if f.name == "modality" and negated:
            # "must not" and "may not" (dürfen nicht) say the same prohibition.
            xa, xb = _prohibition(xa), _prohibition(xb)
        differs = _count_differs(f, xa, xb) if f.compare == "count" else _values_differ(f, xa, xb)
        if differs and f.reference and _referred(f, xa, xb, a, b, earlier_a, earlier_b):
            differs = False
        if differs:
            shown_a, shown_b = [v for v, _ in xa], [v for v, _ in xb]
            if f.compare == "values":
                shown_a, shown_b = list(dict.fromkeys(shown_a)), list(dict.fromkeys(shown_b))
            out.append(Divergence(f.name, tuple(shown_a), tuple(shown_b), a.text, b.text))
    return out


def _normalised(a: Reading, b: Reading) -> tuple[dict[str, Values], dict[str, Values]]:
    """Each side's values by feature. Two negations and no "only" say what one "only" says ("does
    not use cookies for any purpose this policy does not describe" = "only for the purposes it
    describes"): the side with two more negations is read as the other where the other says "only"."""
    va = {f: [(h.value, h.weak) for h in a.hits if h.feature == f] for f in FEATURES}
    vb = {f: [(h.value, h.weak) for h in b.hits if h.feature == f] for f in FEATURES}
    for x, y in ((va, vb), (vb, va)):
        if _says_only(y) and not _says_only(x) and len(x["negation"]) - len(y["negation"]) >= 2:
            x["negation"] = x["negation"][2:]
            x["exclusivity"] = [*x["exclusivity"], ("only", False)]
    return va, vb


def _says_only(values: dict[str, Values]) -> bool:
    return any(v == "only" for v, _ in values["exclusivity"])


def _prohibition(values: Values) -> Values:
    return [("may/must" if v in ("may", "must") else v, weak) for v, weak in values]


def _values_differ(f: Feature, xa: Values, xb: Values) -> bool:
    """A value one side states firmly and the other not at all, or contrary values (see features.yaml)."""
    all_a, all_b = {v for v, _ in xa}, {v for v, _ in xb}
    if {v for v, weak in xa if not weak} - all_b or {v for v, weak in xb if not weak} - all_a:
        return True
    # Contrary values: one side states x and not y, the other y and not x ("at most" / "at least").
    return any(y not in all_a and y in all_b and x not in all_b for x in all_a for y in f.contrary_of(x))


def _count_differs(f: Feature, xa: Values, xb: Values) -> bool:
    """Stated a different number of times (weak words may make up the count); with ``fewer``, only
    stated on one side, or fewer times in the translation."""
    for value in {v for v, _ in xa} | {v for v, _ in xb}:
        firm_a, all_a = _counts(xa, value)
        firm_b, all_b = _counts(xb, value)
        if f.fewer:
            if all_b < firm_a or (all_a == 0) != (all_b == 0):
                return True
        elif all_a < firm_b or all_b < firm_a:
            return True
    return False


def _counts(values: Values, value: str) -> tuple[int, int]:
    return sum(1 for v, weak in values if v == value and not weak), sum(1 for v, _ in values if v == value)


def _referred(f: Feature, xa: Values, xb: Values, a: Reading, b: Reading, earlier_a: list[Reading],
              earlier_b: list[Reading]) -> bool:
    """Whether every value one side lacks is one it refers to by a pronoun, named in its earlier sentences."""
    named_a = {v for r in earlier_a for v in r.values(f.name)}
    named_b = {v for r in earlier_b for v in r.values(f.name)}
    if f.compare == "count":
        count_a, count_b = Counter(v for v, _ in xa), Counter(v for v, _ in xb)
        lacking_a, lacking_b = set(count_b - count_a), set(count_a - count_b)
    else:
        lacking_a, lacking_b = {v for v, _ in xb} - {v for v, _ in xa}, {v for v, _ in xa} - {v for v, _ in xb}
    return bool(lacking_a or lacking_b) and (not lacking_a or (a.refers and lacking_a <= named_a)) and \
        (not lacking_b or (b.refers and lacking_b <= named_b))


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


# -- an edit of a translation -----------------------------------------------------------------
@dataclass(frozen=True)
class BindingChange:
    """A binding word a translation edit adds or removes: its feature, the value it states, its words."""

    feature: str
    value: str
    words: str
    change: Literal["added", "removed"]

    def __str__(self) -> str:
        return f"{self.feature}: {self.change} {self.words!r} ({self.value})"


@dataclass(frozen=True)
class EditFidelity:
    """What an edit of a translation does to its fidelity to the controlling text.

    ``opened``: divergences from the source the edit creates; ``repaired``: those it removes;
    ``binding``: the binding words it adds or removes, whether or not the source says the same.
    """

    opened: tuple[Divergence, ...]
    repaired: tuple[Divergence, ...]
    binding: tuple[BindingChange, ...]

    @property
    def touches_binding(self) -> bool:
        return bool(self.binding)

    @property
    def faithful(self) -> bool:
        """An edit that opens no divergence and touches no binding word: nothing that binds can have changed."""
        return not self.opened and not self.binding


Readings = dict[tuple[str, str], Reading]  # (text, language) -> its reading: texts already read


def edit_divergences(source_before: str, source_after: str, translation_before: str | None,
                     translation_after: str | None, tag: str, *, source_tag: str = "en",
                     readings: Readings | None = None) -> EditFidelity:
    """What editing a translation (in ``tag``) from ``translation_before`` to ``translation_after`` does,
    held to its source as it was before and after (``source_before``, ``source_after``; the same text
    when only the translation changed). ``None`` is a translation that does not exist (added, removed).

    ``readings``, shared by the edits of one diff, keeps each text read once for them all: the
    source sentence that three languages translate is read once, not once per language. A reading
    depends on nothing but its text and language, so sharing it changes no answer."""
    # The source is read for both sides and an unchanged translated sentence three times: each text once.
    reading = _read_once({} if readings is None else readings)
    before = _compare(source_before, translation_before, tag, source_tag, reading) if translation_before else []
    after = _compare(source_after, translation_after, tag, source_tag, reading) if translation_after else []
    return EditFidelity(_unmatched(after, before), _unmatched(before, after),
                        _binding_changes(translation_before or "", translation_after or "", tag, reading))


def _read_once(seen: Readings) -> Reader:
    """:func:`read`, each (text, language) read once for the life of ``seen``."""

    def reading(text: str, tag: str) -> Reading:
        if (text, tag) not in seen:
            seen[text, tag] = read(text, tag)
        return seen[text, tag]

    return reading


def _unmatched(these: list[Divergence], others: list[Divergence]) -> tuple[Divergence, ...]:
    """The divergences of ``these`` that ``others`` does not have (by feature, what is missing and added)."""
    left = Counter(_key(d) for d in others)
    out = []
    for d in these:
        if left[_key(d)]:
            left[_key(d)] -= 1
        else:
            out.append(d)
    return tuple(out)


def _key(d: Divergence) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return d.feature, tuple(sorted(d.missing)), tuple(sorted(d.added))


def _binding_changes(before: str, after: str, tag: str, read: Reader) -> tuple[BindingChange, ...]:
    """The binding words an edit adds or removes, feature by feature, where what they bind changed.

    Read as :func:`compare` reads (two negations and "only" are one restriction): a synonym that
    binds the same value (不 for 不会, "ist berechtigt" for "hat das Recht") changes nothing; a word
    re-read in a new context (a can-word whose subject moved) changes nothing. A firm statement added
    or removed does (not a second mention of a value already stated), unless a weaker word still states
    the value ("nur, sofern nicht" without "nur");
    so does a weak word replaced by its contrary ("oder" for "und"). Count features (negation,
    categories) change with any change of count."""
    from policykit.markdown import to_text

    a, b = _read_sentences(to_text(before), tag, read), _read_sentences(to_text(after), tag, read)
    va, vb = _normalised(a, b)
    out: list[BindingChange] = []
    for f in features():
        if not _touched(f, va[f.name], vb[f.name]):
            continue
        old = Counter(h.words.casefold() for h in a.hits if h.feature == f.name)
        new = Counter(h.words.casefold() for h in b.hits if h.feature == f.name)
        firm_old, firm_new = ({v for v, weak in x[f.name] if not weak} for x in (va, vb))
        if old == new and firm_old == firm_new:
            continue  # the same words, weakly read otherwise in their new place
        value = {h.words.casefold(): h.value for h in (*a.hits, *b.hits) if h.feature == f.name}
        out += [BindingChange(f.name, value[w], w, "removed") for w in (old - new).elements()]
        out += [BindingChange(f.name, value[w], w, "added") for w in (new - old).elements()]
        if old == new:  # the same words, read otherwise (two negations become "only")
            out.append(BindingChange(f.name, "/".join(sorted(firm_new)), "", "added"))
    return tuple(out)


def _read_sentences(text: str, tag: str, read: Reader) -> Reading:
    """A whole text read sentence by sentence (so no subject is looked for across a full stop)."""
    spans = sentences(text.strip(), tag, lexicon(tag).abbreviations)
    return Reading(text, tuple(h for s in spans for h in read(s.text, tag).hits))


def _touched(f: Feature, before: Values, after: Values) -> bool:
    all_b, all_a = Counter(v for v, _ in before), Counter(v for v, _ in after)
    if f.compare == "count":
        return all_b != all_a
    firm_b = Counter(v for v, weak in before if not weak)
    firm_a = Counter(v for v, weak in after if not weak)
    for value in firm_b | firm_a:
        if firm_a[value] and not firm_b[value]:  # newly stated firmly (or a weak word made firm)
            return True
        if firm_b[value] and not all_a[value]:  # no longer stated at all
            return True
    removed, added = set(all_b - all_a), set(all_a - all_b)
    return any(f.contrary_of(v) & removed for v in added)


def uses_segmenter(tag: str) -> bool:
    """Whether reading ``tag`` loads a dictionary (Japanese, Chinese)."""
    return is_cjk(tag)
