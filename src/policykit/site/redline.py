"""The text of two versions in one locale, side by side as a redline.

Sections, blocks and fact items align on ids (never positions), as in
:mod:`policykit.diff`; the text of a changed block is compared word by word
(:func:`policykit.prose.word_diff`, which splits CJK text per character). The
result is plain data for :func:`policykit.site.pages.compare_page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from policykit import markdown
from policykit.localise import LocalisedBlock, LocalisedPolicy, LocalisedSection, localise
from policykit.memo import ByIdentity
from policykit.model import Policy
from policykit.prose import Segment, word_diff


@dataclass(frozen=True)
class RedBlock:
    anchor: str
    state: str  # same | changed | added | removed
    segments: tuple[Segment, ...]
    lang: str


@dataclass(frozen=True)
class RedSection:
    id: str
    title: tuple[Segment, ...]
    state: str
    blocks: tuple[RedBlock, ...]

    @property
    def changed(self) -> bool:
        return self.state != "same" or any(b.state != "same" for b in self.blocks)


def _block_text(block: LocalisedBlock) -> str:
    if block.text is not None:
        return markdown.to_text(block.text.value).strip()
    return "\n".join(f"• {item.label.value}" for item in block.items)


def _segments(before: str | None, after: str | None) -> tuple[str, tuple[Segment, ...]]:
    if before is None:
        return "added", (("+", after or ""),)
    if after is None:
        return "removed", (("-", before),)
    if before == after:
        return "same", (("=", after),)
    return "changed", tuple(word_diff(before, after))


def _section(sa: LocalisedSection | None, sb: LocalisedSection | None) -> RedSection:
    title_state, title = _segments(sa.title.value if sa else None, sb.title.value if sb else None)
    a_blocks = {b.id: b for b in sa.blocks} if sa else {}
    b_blocks = {b.id: b for b in sb.blocks} if sb else {}
    order = [*b_blocks, *(k for k in a_blocks if k not in b_blocks)]
    blocks = []
    for bid in order:
        old, new = a_blocks.get(bid), b_blocks.get(bid)
        state, segs = _segments(_block_text(old) if old else None, _block_text(new) if new else None)
        shown = new or old
        assert shown is not None
        lang = (shown.text.lang if shown.text is not None else
                (shown.items[0].label.lang if shown.items else ""))
        blocks.append(RedBlock(shown.anchor, state, segs, lang))
    either = sb or sa
    sid = either.id if either is not None else ""
    state = title_state if title_state in ("added", "removed") else "same"
    return RedSection(sid, title, state, tuple(blocks))


# A section's redline against itself, by the localised section: localise hands the versions
# that share a section file the same object, so a section unchanged across many releases is
# marked up once, not once per pair.
_UNCHANGED: ByIdentity[RedSection] = ByIdentity(1024)


def redline_localised(a: LocalisedPolicy, b: LocalisedPolicy) -> list[RedSection]:
    """Every section of ``b`` (and those ``a`` had that ``b`` dropped), each block marked."""
    sa = {s.id: s for s in a.sections}
    sb = {s.id: s for s in b.sections}
    order = [*sb, *(k for k in sa if k not in sb)]
    out = []
    for sid in order:
        old, new = sa.get(sid), sb.get(sid)
        same = old is not None and old is new
        out.append(_UNCHANGED.get((old,), partial(_section, old, old)) if same else _section(old, new))
    return out


def redline(a: Policy, b: Policy, locale: str) -> list[RedSection]:
    """The redline from ``a`` to ``b`` as read in ``locale`` (translations where they exist)."""
    tag_a = locale if locale in a.all_locales else a.source_locale
    return redline_localised(localise(a, tag_a), localise(b, locale))

