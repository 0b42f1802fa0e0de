"""Where each fact is published, and the words a reader sees for it.

Every fact is published (DESIGN invariant 7): a ``list: <kind>`` block places the
facts of its section of that kind as a table, all of them or the ``items`` it names.
Facts no block shows appear at the end of their section, kind by kind, unless the
policy says ``unplaced_facts: error``: then a fact no block shows is an error (it
would be published nowhere), so removing a placement cannot go unnoticed.

The words of a table (its caption, its headings, the phrase of each enum value)
are the package vocabulary's (``data/facts.yaml``), translated per locale in
``locales/<tag>/vocabulary.yaml`` under the keys :func:`vocabulary_units` lists.
Durations, numbers, countries and lists are CLDR's, through Babel.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from policykit.diagnostics import Diagnostic, error
from policykit.memo import ByIdentity
from policykit.model import FactItem, Policy, Section
from policykit.validate import register
from policykit.vocabulary import _DURATION_RE, FactKind, fact_kinds, value_name

# The id of the block that shows a kind nobody placed (``collection._data_categories``): ids the
# tool adds start with "_", which policy ids cannot, so it never collides with an editor's block.
AUTO_PREFIX = "_"


@dataclass(frozen=True)
class Placement:
    """One published table: the block that shows it and the items, in order."""

    block: str  # the block id, or AUTO_PREFIX + kind when shown by default at the end
    kind: str
    items: tuple[FactItem, ...]

    @property
    def automatic(self) -> bool:
        return self.block.startswith(AUTO_PREFIX)


def explicit(policy: Policy) -> bool:
    """Whether every fact must be placed by a block (else the unplaced show at their section's end)."""
    return policy.unplaced_facts == "error"


def placements(section: Section, explicit: bool) -> list[Placement]:
    """The tables of ``section`` in reading order. Items placed twice show where first placed;
    without ``explicit``, what no block shows follows at the end, kind by kind;
    :func:`check_placements` reports what cannot be shown as written."""
    out = []
    placed: set[tuple[str, str]] = set()
    for block in section.blocks:
        if block.list is None:
            continue
        available = {i.id: i for i in section.facts.get(block.list, ())}
        chosen = block.items or tuple(available)
        items = tuple(available[i] for i in chosen if i in available and (block.list, i) not in placed)
        placed.update((block.list, i.id) for i in items)
        out.append(Placement(block.id, block.list, items))
    if not explicit:
        for kind, items in section.facts.items():
            rest = tuple(i for i in items if (kind, i.id) not in placed)
            if rest:
                out.append(Placement(AUTO_PREFIX + kind, kind, rest))
    return out


def where_shown(policy: Policy) -> dict[str, str]:
    """For every published fact (``facts.<kind>.<id>``), the anchor of the block that shows it."""
    return _SHOWN.get((policy,), lambda: _where_shown(policy))


_SHOWN: ByIdentity[dict[str, str]] = ByIdentity(64)  # every completeness test asks it of one policy


def _where_shown(policy: Policy) -> dict[str, str]:
    mode = explicit(policy)
    out: dict[str, str] = {}
    for section in policy.sections:
        for p in placements(section, mode):
            for item in p.items:
                out.setdefault(item.path, f"{section.id}.{p.block}")
    return out


def check_placements(policy: Policy) -> Iterator[Diagnostic]:
    """A fact shown nowhere or twice, and ``items`` naming a fact the section does not have."""
    from policykit.vocabulary import did_you_mean

    strict = explicit(policy)
    for section in policy.sections:
        shown: dict[tuple[str, str], str] = {}
        for block in section.blocks:
            if block.list is None or block.list not in section.facts:
                continue  # an unknown kind is check_blocks' error
            ids = list(dict.fromkeys(i.id for i in section.facts[block.list]))  # a duplicate id is its own error
            for fid, pos in zip(block.items or ids, block.items_pos or [block.text_pos] * len(ids), strict=True):
                if fid not in ids:
                    yield error(pos, f"block {section.id}.{block.id} shows {block.list} item {fid!r}, but section "
                                f"{section.id!r} has no such item{did_you_mean(fid, ids)}", "facts.placement")
                elif (block.list, fid) in shown:
                    yield error(pos, f"{block.list} item {fid!r} is shown twice: by {section.id}.{block.id} and "
                                f"by {section.id}.{shown[(block.list, fid)]}; show each fact once",
                                "facts.placement")
                else:
                    shown[(block.list, fid)] = block.id
        if not strict or any(b.list is not None and b.list not in section.facts for b in section.blocks):
            continue  # shown at the end; or a list block names no kind of the section (that error says why)
        for kind, items in section.facts.items():
            hidden = [i for i in items if (kind, i.id) not in shown]
            if not hidden:
                continue
            if len(hidden) == len(items):  # the whole kind: one message, at its first item
                names = ", ".join(i.id for i in hidden)
                yield error(hidden[0].pos, f"{kind} of section {section.id!r} ({names}) are published nowhere: no "
                            f"block shows them; add a block `- id: {kind.replace('_', '-')}` with `list: {kind}` "
                            f"where readers should see them", "facts.unplaced")
                continue
            for item in hidden:
                yield error(item.pos, f"{item.path} is published nowhere: no `list: {kind}` block of section "
                            f"{section.id!r} names it in its `items`; add it where readers should see it",
                            "facts.unplaced")


# --- The words of the tables ----------------------------------------------------------------

def caption_key(kind: str) -> str:
    return kind


def label_key(kind: str) -> str:
    return f"{kind}.label"


def title_key(kind: str, attr: str) -> str:
    return f"{kind}.{attr}"


def _phrased(kind: FactKind, attr: str, value: Any) -> bool:
    a = kind.attributes[attr]
    return a.type in ("enum", "bool") or (a.type == "lifetime" and value_name(value) in a.phrases)


def shown_values(item: FactItem) -> Iterator[tuple[str, Any]]:
    """The attributes of ``item`` readers see, in vocabulary order, with their values."""
    kind = fact_kinds()[item.kind]
    for attr in kind.shown():
        value = item.attrs.get(attr.name)
        if value is None or value == ():
            continue
        yield attr.name, value


def columns(kind: str, items: tuple[FactItem, ...]) -> list[str]:
    """The attributes that at least one of ``items`` has, in vocabulary order."""
    have = {name for item in items for name, _ in shown_values(item)}
    return [a.name for a in fact_kinds()[kind].shown() if a.name in have]


def vocabulary_units(policy: Policy) -> list[tuple[str, str]]:
    """Every (key, English phrase) the policy's tables show, in vocabulary order."""
    kinds = fact_kinds()
    used: dict[str, set[str]] = {}  # kind -> attribute names, and "attr.value" for phrased values
    for item in policy.facts():
        if item.kind not in kinds:
            continue
        seen = used.setdefault(item.kind, set())
        for name, value in shown_values(item):
            seen.add(name)
            for v in value if isinstance(value, tuple) else (value,):
                if _phrased(kinds[item.kind], name, v):
                    seen.add(f"{name}.{value_name(v)}")
    out = []
    for kind, spec in kinds.items():
        if kind not in used:
            continue
        out += [(caption_key(kind), spec.caption), (label_key(kind), spec.label)]
        for attr in spec.shown():
            if attr.name not in used[kind]:
                continue
            out.append((title_key(kind, attr.name), attr.title))
            out += [(attr.phrase_key(kind, v), phrase) for v, phrase in attr.phrases.items()
                    if f"{attr.name}.{v}" in used[kind]]
    return out


# --- Values CLDR writes ------------------------------------------------------------------------

_UNITS = (("y", "duration-year"), ("mo", "duration-month"), ("w", "duration-week"), ("d", "duration-day"),
          ("h", "duration-hour"), ("mi", "duration-minute"), ("s", "duration-second"))


@lru_cache(maxsize=4096)
def duration_words(value: str, tag: str) -> str:
    """An ISO 8601 duration as ``tag`` writes it (``P13M`` → ``13 months``, ``13か月``, ``13 Monate``).

    Raises ValueError for a value that is no duration, or that CLDR cannot write in ``tag``."""
    from babel.lists import format_list
    from babel.units import format_unit

    from policykit.render.chrome import babel_locale

    m = _DURATION_RE.match(value)
    if not m:
        raise ValueError(f"{value!r} is not an ISO 8601 duration")
    locale = babel_locale(tag)
    parts = []
    for group, unit in _UNITS:
        amount = m.group(group)
        if amount and int(amount):
            try:
                parts.append(format_unit(int(amount), unit, length="long", locale=locale))
            except Exception as exc:  # babel raises UnknownUnitError and friends
                raise ValueError(f"CLDR has no {unit!r} for {tag!r}: {exc}") from None
    if not parts:
        raise ValueError(f"{value!r} is a duration of zero")
    return format_list(parts, style="unit", locale=locale)


@lru_cache(maxsize=4096)
def country_names(codes: tuple[str, ...], tag: str) -> str:
    """Countries as ``tag`` names them, as one CLDR list (``Germany and Japan``, ``ドイツ、日本``)."""
    from babel.lists import format_list

    from policykit.render.chrome import babel_locale

    locale = babel_locale(tag)
    return format_list([locale.territories.get(c, c) for c in codes], locale=locale)


@lru_cache(maxsize=1024)
def number_words(value: int, tag: str) -> str:
    from babel.numbers import format_decimal

    from policykit.render.chrome import babel_locale

    return str(format_decimal(value, locale=babel_locale(tag)))


def all_vocabulary() -> dict[str, str]:
    """Every word the vocabulary can put in a table, by key (whether a policy uses it or not)."""
    out = {}
    for kind, spec in fact_kinds().items():
        out[caption_key(kind)] = spec.caption
        out[label_key(kind)] = spec.label
        for attr in spec.shown():
            out[title_key(kind, attr.name)] = attr.title
            out |= {attr.phrase_key(kind, v): phrase for v, phrase in attr.phrases.items()}
    return out


@lru_cache(maxsize=1)
def vocabulary_lines() -> dict[str, int]:
    """Where each word is in ``data/facts.yaml`` (its line), for translators' tools: a PO or XLIFF
    unit with a location is told apart from another with the same English."""
    from importlib import resources

    from policykit import yamlio

    raw = yamlio.parse(resources.files("policykit").joinpath("data/facts.yaml").read_bytes(), "facts.yaml")
    out = {}
    for kind, spec in raw.items():
        out[caption_key(kind)] = spec.where("caption").line
        out[label_key(kind)] = spec.where("label").line
        for name, attr in spec["attributes"].items():
            out[title_key(kind, name)] = attr.where("title").line
            values = attr.get("values")
            for value in values or ():
                out[f"{kind}.{name}.{value_name(value)}"] = values.where(value).line
    return out


@register
def check_fact_tables(policy: Policy) -> Iterator[Diagnostic]:
    """Every fact can be shown: placed once, and its durations writable in every locale."""
    yield from check_placements(policy)
    kinds = fact_kinds()
    for item in policy.facts():
        for name, value in shown_values(item):
            attr = kinds[item.kind].attributes[name]
            if attr.type not in ("duration", "lifetime"):
                continue
            for v in value if isinstance(value, tuple) else (value,):
                if attr.type == "lifetime" and value_name(v) in attr.phrases:
                    continue
                for tag in policy.all_locales:
                    try:
                        duration_words(str(v), tag)
                    except ValueError as exc:
                        yield error(item.where(name), f"{item.path}: {name} {v!r} cannot be shown in {tag}: {exc}",
                                    "facts.duration")
                        break
    # The words of the tables are units of every locale: policykit.i18n.gate.coverage checks them
    # with the rest of the translation (published means translated).
