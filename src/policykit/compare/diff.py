"""The semantic diff of two policies, aligned on ids: the only module that imports deepdiff.

Sections, blocks and fact items are matched by id, never by position, so a
reorder is a ``moved`` change and not a removal plus an addition. What
changed is a list of :class:`Change`; :mod:`policykit.compare.classify` gives each a
level, the rule that decided it and the reason. Fact attributes and the
document's metadata are compared with DeepDiff (lists compared as sets: the
order of countries or locales means nothing); prose is compared by
:mod:`policykit.compare.prose`.

Paths (stable, used by JSON output, overrides and changelog entries)::

    policy.<field>                  document metadata (policy.controller.name, policy.notice_period)
    <section>                       a section (added, removed, moved, retitled)
    <section>.<block>               a block (its text, or ``.list`` / ``.satisfies``)
    facts.<kind>.<id>               a fact item (added, removed, moved)
    facts.<kind>.<id>.<attribute>   one attribute of a fact item (``.label`` when retitled)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from policykit.model import Block, FactItem, Policy, Section

KINDS = ("added", "removed", "moved", "retitled", "text-changed", "attribute-changed", "metadata-changed")
LEVELS = ("editorial", "minor", "review", "significant")  # lowest first
# The levels a person or a release gives a change; ``review`` is the classifier's "no rule explains this
# change": a person decides it (an override in the release draft) before it can be released, and until
# then it counts as significant wherever a threshold is applied (``--fail-on``, ``log``, the PR summary).
DECIDED = ("editorial", "minor", "significant")
_WEIGHT = {"editorial": 0, "minor": 1, "review": 2, "significant": 2}


@dataclass(frozen=True)
class Change:
    """One change between two versions; ``level``, ``rule`` … are empty until classified.

    ``before``/``after`` hold the plain values (text, an attribute value, a fact
    item as a mapping) or None where there was nothing. ``locale`` is set for a
    change of a translation alone. ``consent`` is True when the change needs
    fresh consent, not only notice; ``consent_basis`` names the legal ground and
    its citation (:mod:`policykit.compare.consent`).
    ``classified_as`` and ``justification`` (and ``decided_by``) are set when an
    editor overrode the level (see :func:`policykit.compare.classify.apply_overrides`); a
    change the classifier left to ``review`` must be decided so before release.
    """

    path: str
    kind: str
    before: Any = None
    after: Any = None
    section: str = ""
    label: str = ""
    locale: str = ""
    level: str = ""
    rule: str = ""
    reason: str = ""
    citation: str = ""
    consent: bool = False
    consent_basis: str = ""
    also: tuple[str, ...] = ()
    classified_as: str = ""
    justification: str = ""
    decided_by: str = ""  # who decided an overridden level (required for a change left to review)
    category: str = ""  # the legal category a lawyer files it under (retention, recipient …; policykit.compare.topics)

    @property
    def target(self) -> str:
        """What the path names: ``policy`` (metadata), ``fact``, ``section`` or ``block``."""
        if self.path.startswith("policy.") and not self.section:
            return "policy"
        if self.path.startswith("facts."):
            return "fact"
        return "section" if "." not in self.path else "block"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["also"] = list(self.also)
        return {k: _jsonable(v) for k, v in data.items()}

    def __str__(self) -> str:
        head = f"{self.level or '?'} {self.path} {self.kind}"
        return f"{head} [{self.rule}] {self.reason}" if self.rule else head


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def level_of(changes: Iterable[Change]) -> str:
    """The version's level: the highest of its changes (``significant`` above ``review``: a change the
    rules call significant is not waiting for anyone), ``none`` when nothing changed."""
    levels = [LEVELS.index(c.level) for c in changes if c.level in LEVELS]
    return LEVELS[max(levels)] if levels else "none"


def at_least(level: str, threshold: str) -> bool:
    """True when ``level`` (or ``none``) is ``threshold`` or higher; ``review`` weighs as ``significant``
    (a change no rule explains is treated as the worst case until a person decides it)."""
    return level in _WEIGHT and threshold in _WEIGHT and _WEIGHT[level] >= _WEIGHT[threshold]


# -- the diff ----------------------------------------------------------------
def diff_policies(a: Policy, b: Policy, *, locales: Sequence[str] = ()) -> list[Change]:
    """Every change from ``a`` to ``b`` in document order; translations of ``locales`` too."""
    out = list(_metadata(a, b))
    out.extend(_sections(a, b))
    for tag in locales:
        if tag != b.source_locale:
            out.extend(_translations(a, b, tag))
    return out


def _metadata_values(p: Policy) -> dict[str, Any]:
    return {
        "document": p.document,
        "title": p.title,
        "source_locale": p.source_locale,
        "authoritative_locale": p.authoritative_locale,
        "locales": p.locales,
        "fallback_locales": p.fallback_locales,
        "jurisdictions": p.jurisdictions,
        "base_url": p.base_url,
        "notice_period": p.notice_period,
        "last_updated": p.last_updated.isoformat() if p.last_updated else None,
        "controller.name": p.controller.name,
        "controller.country": p.controller.country,
        "controller.address": p.controller.address,
        "controller.representative": p.controller.representative,
        "waivers": tuple((w.requirement, w.reason) for w in p.waivers),
        "unplaced_facts": p.unplaced_facts,
    }


_COLLECTIONS = (list, tuple, set, frozenset, dict)


def changed_keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The top-level keys whose values differ; lists compare as multisets (order means nothing).

    Each key is decided on its own: a key present on one side only is changed, whatever else changed.
    (DeepDiff over the whole mapping reports one that gains or loses most of its keys as a single change of
    the root, naming no key: a retention fact gaining `period`, `from` and `applies_to` went unreported.)
    """
    keys = [*before, *(k for k in after if k not in before)]
    return [k for k in keys if k not in before or k not in after or _differ(before[k], after[k])]


def _differ(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return True
    if a == b:
        return False
    if not isinstance(a, _COLLECTIONS):
        return True
    # Collections may differ only in order; DeepDiff (with pydantic, a third of a second to import) decides.
    from deepdiff import DeepDiff

    return bool(DeepDiff(a, b, ignore_order=True))


def _metadata(a: Policy, b: Policy) -> Iterator[Change]:
    ma, mb = _metadata_values(a), _metadata_values(b)
    for key in changed_keys(ma, mb):
        yield Change(f"policy.{key}", "metadata-changed", ma.get(key), mb.get(key), label=key)


def _moved(before: Sequence[str], after: Sequence[str]) -> set[str]:
    """Ids present in both whose relative order changed: those outside a longest common subsequence."""
    import difflib

    common = set(before) & set(after)
    xs = [i for i in before if i in common]
    ys = [i for i in after if i in common]
    if xs == ys:
        return set()
    moved: set[str] = set()
    # Both directions, so that diff(a, b) and diff(b, a) call the same items moved.
    for one, other in ((xs, ys), (ys, xs)):
        kept: set[str] = set()
        for block in difflib.SequenceMatcher(None, one, other, autojunk=False).get_matching_blocks():
            kept.update(one[block.a: block.a + block.size])
        moved |= common - kept
    return moved


def _sections(a: Policy, b: Policy) -> Iterator[Change]:
    sa = {s.id: s for s in a.sections}
    sb = {s.id: s for s in b.sections}
    moved = _moved([s.id for s in a.sections], [s.id for s in b.sections])
    # A block that left one section for another (same id) is a move, not a removal and an addition.
    gone = {(s.id, blk.id): blk for s in a.sections for blk in s.blocks
            if s.id not in sb or sb[s.id].block(blk.id) is None}
    new = {(s.id, blk.id): blk for s in b.sections for blk in s.blocks
           if s.id not in sa or sa[s.id].block(blk.id) is None}
    crossed: dict[tuple[str, str], str] = {}  # (new section, block) -> old section
    for (nsid, bid) in new:
        olds = [osid for (osid, obid) in gone if obid == bid]
        if len(olds) == 1 and sum(1 for (_, x) in new if x == bid) == 1:
            crossed[(nsid, bid)] = olds[0]
    left = {(osid, bid) for (nsid, bid), osid in crossed.items()}
    facts_a = {(f.kind, f.id): f for f in a.facts()}
    facts_b = {(f.kind, f.id): f for f in b.facts()}

    order = [s.id for s in b.sections] + [s.id for s in a.sections if s.id not in sb]
    for sid in order:
        old, cur = sa.get(sid), sb.get(sid)
        if old is None and cur is not None:
            yield Change(sid, "added", None, cur.title, section=sid, label=cur.title)
        elif cur is None and old is not None:
            yield Change(sid, "removed", old.title, None, section=sid, label=old.title)
        elif old is not None and cur is not None:
            if old.title != cur.title:
                yield Change(sid, "retitled", old.title, cur.title, section=sid, label=cur.title)
            if sid in moved:
                yield Change(sid, "moved", _position(a.sections, sid), _position(b.sections, sid),
                             section=sid, label=cur.title)
        yield from _blocks(sid, old, cur, sa, crossed, left)
        yield from _facts(sid, old, cur, facts_a, facts_b)


def _position(items: Sequence[Section | Block | FactItem], item_id: str, where: str = "") -> str:
    index = next(i for i, x in enumerate(items) if x.id == item_id)
    return f"{where + ' ' if where else ''}#{index + 1} of {len(items)}"


def _block_value(block: Block) -> Any:
    return block.text if block.text is not None else {"list": block.list}


def _blocks(sid: str, old: Section | None, cur: Section | None, sa: dict[str, Section],
            crossed: dict[tuple[str, str], str], left: set[tuple[str, str]]) -> Iterator[Change]:
    ob = {blk.id: blk for blk in old.blocks} if old else {}
    cb = {blk.id: blk for blk in cur.blocks} if cur else {}
    moved = _moved([x.id for x in old.blocks] if old else [], [x.id for x in cur.blocks] if cur else [])
    for blk in cur.blocks if cur else ():
        path = f"{sid}.{blk.id}"
        before = ob.get(blk.id)
        if before is None and (sid, blk.id) in crossed:
            osid = crossed[(sid, blk.id)]
            before = sa[osid].block(blk.id)
            assert before is not None and cur is not None
            yield Change(path, "moved", f"{osid}.{blk.id}", path, section=sid, label=blk.id)
        elif before is None:
            yield Change(path, "added", None, _block_value(blk), section=sid, label=blk.id)
            continue
        elif blk.id in moved and old is not None and cur is not None:
            yield Change(path, "moved", _position(old.blocks, blk.id), _position(cur.blocks, blk.id),
                         section=sid, label=blk.id)
        if before.text != blk.text and before.text is not None and blk.text is not None:
            yield Change(path, "text-changed", before.text, blk.text, section=sid, label=blk.id)
        elif before.text != blk.text or before.list != blk.list:
            yield Change(f"{path}.list", "attribute-changed", _block_value(before), _block_value(blk),
                         section=sid, label=blk.id)
        if set(before.states) != set(blk.states):
            yield Change(f"{path}.states", "attribute-changed", list(before.states), list(blk.states),
                         section=sid, label=blk.id)
        if before.satisfies != blk.satisfies and set(before.satisfies) != set(blk.satisfies):
            yield Change(f"{path}.satisfies", "attribute-changed", list(before.satisfies), list(blk.satisfies),
                         section=sid, label=blk.id)
    for blk in old.blocks if old else ():
        if blk.id not in cb and (sid, blk.id) not in left:
            yield Change(f"{sid}.{blk.id}", "removed", _block_value(blk), None, section=sid, label=blk.id)


def _item_value(item: FactItem) -> dict[str, Any]:
    return {"label": item.label, **item.attrs}


def _facts(sid: str, old: Section | None, cur: Section | None,
           facts_a: dict[tuple[str, str], FactItem], facts_b: dict[tuple[str, str], FactItem]) -> Iterator[Change]:
    kinds = list(cur.facts if cur else {}) + [k for k in (old.facts if old else {}) if not cur or k not in cur.facts]
    for kind in kinds:
        items_b = cur.facts.get(kind, ()) if cur else ()
        items_a = old.facts.get(kind, ()) if old else ()
        moved = _moved([f.id for f in items_a], [f.id for f in items_b])
        for item in items_b:
            path = f"facts.{kind}.{item.id}"
            before = facts_a.get((kind, item.id))
            if before is None:
                yield Change(path, "added", None, _item_value(item), section=sid, label=item.label)
                continue
            if before.section != item.section:
                yield Change(path, "moved", before.section, item.section, section=sid, label=item.label)
            elif item.id in moved:
                yield Change(path, "moved", _position(items_a, item.id, sid), _position(items_b, item.id, sid),
                             section=sid, label=item.label)
            if before.label != item.label:
                yield Change(f"{path}.label", "retitled", before.label, item.label, section=sid, label=item.label)
            for attr in changed_keys(dict(before.attrs), dict(item.attrs)):
                yield Change(f"{path}.{attr}", "attribute-changed", before.attrs.get(attr), item.attrs.get(attr),
                             section=sid, label=item.label)
        for item in items_a:
            if (kind, item.id) not in facts_b:
                yield Change(f"facts.{kind}.{item.id}", "removed", _item_value(item), None, section=sid,
                             label=item.label)


def _translations(a: Policy, b: Policy, tag: str) -> Iterator[Change]:
    """Changes of the ``tag`` translation alone: its texts, section titles and labels."""
    ta, tb = a.translations.get(tag), b.translations.get(tag)

    def text(t: Any) -> str | None:
        return t.text if t is not None else None

    def change(path: str, kind: str, before: str | None, after: str | None, section: str,
               label: str) -> Iterator[Change]:
        if before == after:
            return
        if before is None or after is None:
            kind = "added" if before is None else "removed"
        yield Change(path, kind, before, after, section=section, label=label, locale=tag)

    yield from change("policy.title", "metadata-changed", text(ta and ta.title), text(tb and tb.title), "", "title")
    yield from change("policy.controller.name", "metadata-changed", text(ta and ta.controller_name),
                      text(tb and tb.controller_name), "", "controller.name")
    yield from change("policy.controller.representative", "metadata-changed",
                      text(ta and ta.controller_representative), text(tb and tb.controller_representative), "",
                      "controller.representative")
    secs_a = ta.sections if ta else {}
    secs_b = tb.sections if tb else {}
    for section in b.sections:
        sa_, sb_ = secs_a.get(section.id), secs_b.get(section.id)
        if sa_ is None and sb_ is None:
            continue
        yield from change(section.id, "retitled", text(sa_ and sa_.title), text(sb_ and sb_.title), section.id,
                          section.title)
        blocks_a = sa_.blocks if sa_ else {}
        blocks_b = sb_.blocks if sb_ else {}
        for blk in section.blocks:
            yield from change(f"{section.id}.{blk.id}", "text-changed", text(blocks_a.get(blk.id)),
                              text(blocks_b.get(blk.id)), section.id, blk.id)
        labels_a = sa_.labels if sa_ else {}
        labels_b = sb_.labels if sb_ else {}
        for (kind, fid) in dict.fromkeys([*labels_b, *labels_a]):
            yield from change(f"facts.{kind}.{fid}.label", "retitled", text(labels_a.get((kind, fid))),
                              text(labels_b.get((kind, fid))), section.id, fid)


@dataclass(frozen=True)
class Localised:
    """A policy's texts in one locale: the translation where there is one, else the source."""

    policy: Policy
    locale: str = ""
    missing: set[str] = field(default_factory=set)

    def block(self, section: Section, block: Block) -> str:
        t = self._section(section.id)
        entry = t.blocks.get(block.id) if t else None
        return entry.text if entry is not None else (block.text or "")

    def title(self, section: Section) -> str:
        t = self._section(section.id)
        return t.title.text if t and t.title else section.title

    def label(self, item: FactItem) -> str:
        t = self._section(item.section)
        entry = t.labels.get((item.kind, item.id)) if t else None
        return entry.text if entry is not None else item.label

    def _section(self, sid: str) -> Any:
        lt = self.policy.translations.get(self.locale)
        return lt.sections.get(sid) if lt else None
