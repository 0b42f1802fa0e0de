"""A new version of the text aligned onto the policy it revises: who keeps which id.

Blocks are matched in three passes, the surest first:

1. the ids the input carries (the bookmarks of a Word file policyctl exported);
2. identical text: the longest run of equal paragraphs in order, then equal paragraphs that
   moved;
3. edited text: pairs of the paragraphs left whose words overlap most (a shared-word
   pre-filter, then a word-level similarity of at least :data:`SIMILAR`), best pairs first.

A matched block keeps its id, in its old section or in the one it moved to (the diff then
reports a move, not a removal and an addition). Sections keep the id of the old section that
gave them most of their blocks, or whose title they have. New text gets new ids from its words,
never one the section used before. Nothing here reads or writes files.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from policykit.importing.sections import DraftBlock, DraftSection, SectionedDocument, slug, unique
from policykit.model import Policy, Section

SIMILAR = 0.5  # word-level similarity from which a changed paragraph is the same paragraph, edited
_PREFILTER = 0.25  # shared words (Jaccard) below which two paragraphs are not compared at all


@dataclass(frozen=True)
class Aligned:
    """The draft with the ids it keeps; ``matched`` maps each kept block to where it was."""

    draft: SectionedDocument
    matched: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (sid, bid) new -> old
    sections: dict[str, str] = field(default_factory=dict)  # new section id -> old section id it continues


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def similarity(a: str, b: str) -> float:
    """How much of two texts is the same words in the same order (0 to 1)."""
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


@dataclass
class _Unit:
    sid: str
    bid: str
    text: str
    key: str
    bag: frozenset[str]


def _unit(sid: str, bid: str, text: str) -> _Unit:
    w = words(text)
    return _Unit(sid, bid, text, " ".join(w) or text.strip(), frozenset(w))


def _match(old: list[_Unit], new: list[_Unit], hints: Sequence[str]) -> dict[int, int]:
    """new index -> old index."""
    pairs: dict[int, int] = {}
    by_id = {(u.sid, u.bid): i for i, u in enumerate(old)}
    by_bid: dict[str, list[int]] = {}
    for i, u in enumerate(old):
        by_bid.setdefault(u.bid, []).append(i)
    for j, hint in enumerate(hints):
        found = by_id.get((new[j].sid, hint)) if hint else None
        if found is None and hint and len(by_bid.get(hint, [])) == 1:
            found = by_bid[hint][0]
        if found is not None and found not in pairs.values():
            pairs[j] = found
    taken = set(pairs.values())
    matcher = difflib.SequenceMatcher(None, [u.key for u in old], [u.key for u in new], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            i, j = block.a + k, block.b + k
            if j not in pairs and i not in taken:
                pairs[j] = i
                taken.add(i)
    free: dict[str, list[int]] = {}
    for i, u in enumerate(old):
        if i not in taken:
            free.setdefault(u.key, []).append(i)
    for j, u in enumerate(new):
        if j not in pairs and free.get(u.key):
            pairs[j] = free[u.key].pop(0)
            taken.add(pairs[j])
    _match_edited(old, new, pairs, taken)
    return pairs


def _match_edited(old: list[_Unit], new: list[_Unit], pairs: dict[int, int], taken: set[int]) -> None:
    left_old = [i for i in range(len(old)) if i not in taken]
    left_new = [j for j in range(len(new)) if j not in pairs]
    if not left_old or not left_new:
        return
    anchors = sorted(pairs.items())
    candidates: list[tuple[float, int, int]] = []
    for j in left_new:
        bag = new[j].bag
        near = _neighbours(anchors, j)
        scored = []
        for i in left_old:
            union = len(bag | old[i].bag)
            shared = len(bag & old[i].bag) / union if union else 0.0
            if shared >= _PREFILTER:
                scored.append((shared, i))
        for _shared, i in sorted(scored, reverse=True)[:5]:
            score = similarity(new[j].text, old[i].text)
            if score >= SIMILAR:
                in_gap = near[0] < i < near[1]
                candidates.append((score + (0.1 if in_gap else 0.0), j, i))
    for _score, j, i in sorted(candidates, reverse=True):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)


def _neighbours(anchors: list[tuple[int, int]], j: int) -> tuple[int, int]:
    """The old indexes of the matched paragraphs just before and after new paragraph ``j``."""
    before, after = -1, 1 << 30
    for nj, oi in anchors:
        if nj < j:
            before = oi
        elif nj > j:
            after = oi
            break
    return before, after


def _norm_title(title: str) -> str:
    return " ".join(words(re.sub(r"^\s*[\d.]+\s*", "", title)))


def _section_ids(old: Sequence[Section], draft: SectionedDocument, votes: dict[int, Counter[str]],
                 retired: set[str]) -> list[str]:
    weights: list[tuple[float, int, str]] = []
    for n, section in enumerate(draft.sections):
        for o in old:
            weight = float(votes[n][o.id])
            if section.hint == o.id:
                weight += 1000
            if _norm_title(section.title) == _norm_title(o.title):
                weight += 2.5
            elif similarity(section.title, o.title) >= 0.6:
                weight += 1
            if weight > 0:
                weights.append((weight, -n, o.id))
    ids: dict[int, str] = {}
    used: set[str] = set()
    for _w, neg_n, oid in sorted(weights, reverse=True):
        if -neg_n not in ids and oid not in used:
            ids[-neg_n] = oid
            used.add(oid)
    taken = used | {o.id for o in old} | retired
    return [ids.get(n) or unique(slug(s.title), taken, "section") for n, s in enumerate(draft.sections)]


def align(old: Policy, draft: SectionedDocument, *, retired: dict[str, set[str]] | None = None) -> Aligned:
    """``draft`` with the ids of ``old`` wherever its text continues a block or section of ``old``.

    ``retired`` names ids used in older versions (``""`` for section ids, else per section), which
    new text never gets.
    """
    retired = retired or {}
    old_units = [_unit(s.id, b.id, b.text) for s in old.sections for b in s.blocks if b.text is not None]
    new_units = [_unit(str(n), b.id, b.text) for n, s in enumerate(draft.sections) for b in s.blocks]
    hints = [b.hint for s in draft.sections for b in s.blocks]
    pairs = _match(old_units, new_units, hints)
    votes: dict[int, Counter[str]] = {n: Counter() for n in range(len(draft.sections))}
    for j, i in pairs.items():
        votes[int(new_units[j].sid)][old_units[i].sid] += 1
    section_ids = _section_ids(old.sections, draft, votes, retired.get("", set()))
    old_by_id = {s.id: s for s in old.sections}
    matched: dict[tuple[str, str], tuple[str, str]] = {}
    sections = []
    j = 0
    for n, section in enumerate(draft.sections):
        sid = section_ids[n]
        before = old_by_id.get(sid)
        reserved = {b.id for b in before.blocks} if before else set()
        reserved |= retired.get(sid, set())
        taken: set[str] = set()
        blocks: list[DraftBlock] = []
        fresh: list[int] = []
        for block in section.blocks:
            found = pairs.get(j)
            j += 1
            if found is not None:
                src = old_units[found]
                same_home = src.sid == sid
                if src.bid not in taken and (same_home or src.bid not in reserved):
                    taken.add(src.bid)
                    matched[(sid, src.bid)] = (src.sid, src.bid)
                    blocks.append(replace(block, id=src.bid))
                    continue
            fresh.append(len(blocks))
            blocks.append(block)
        for k in fresh:  # new ids after the kept ones are known, so a new id never takes a kept one
            taken_now = taken | reserved
            block = blocks[k]
            new_id = unique(block.id if block.id not in taken_now else re.sub(r"-\d+$", "", block.id),
                            taken_now, "text")
            taken.add(new_id)
            blocks[k] = replace(block, id=new_id)
        sections.append(DraftSection(sid, section.title, tuple(blocks), section.pos, section.hint))
    continues = {sid: sid for sid in section_ids if sid in old_by_id}
    return Aligned(replace(draft, sections=tuple(sections)), matched, continues)
