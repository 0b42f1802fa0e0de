"""The text of two versions in one locale, side by side as a redline.

Sections, blocks and fact items align on ids (never positions), as in
:mod:`policykit.compare.diff`; the text of a changed block is compared word by word, keeping
its emphasis, links and lists (:mod:`policykit.site.marked`, which splits CJK text per
character), and a fact table row by row and cell by cell. The result is plain data
for :func:`policykit.site.pages.compare_page`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykit import markdown
from policykit.compare.prose import Segment, word_diff
from policykit.localise import LocalisedBlock, LocalisedFact, LocalisedPolicy, LocalisedSection, localise
from policykit.model import Policy
from policykit.site import marked


@dataclass(frozen=True)
class RedRow:
    """One fact of a published table, as the reader sees it: its label and each column marked."""

    anchor: str
    state: str  # same | changed | added | removed
    cells: tuple[tuple[Segment, ...], ...]  # the label first, then one per column of the block
    lang: str = ""  # the label's language (a fallback locale may show the source's)


@dataclass(frozen=True)
class RedBlock:
    anchor: str
    state: str  # same | changed | added | removed
    segments: tuple[Segment, ...]
    lang: str
    html: str = ""  # prose: the text as HTML, marked with <ins> and <del> (safe: see policykit.site.marked)
    # A fact table: its caption, column headings (the label's first) and rows, in the reader's locale.
    caption: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[RedRow, ...] = ()

    def column_shares(self) -> tuple[float, ...]:
        """Each column's share of a printed table's width, in percent (see :func:`column_shares`)."""
        texts = [[title, *("".join(t for _, t in r.cells[i]) for r in self.rows if i < len(r.cells))]
                 for i, title in enumerate(self.columns)]
        return column_shares(texts)


@dataclass(frozen=True)
class RedSection:
    id: str
    title: tuple[Segment, ...]
    state: str
    blocks: tuple[RedBlock, ...]
    title_lang: str = ""  # the language of the title (a fallback locale may show the source's)

    @property
    def changed(self) -> bool:
        return self.state != "same" or any(b.state != "same" for b in self.blocks)


# A line of a printed table, in widths of a Latin letter (A4 at 10 pt, bold headings counted wide);
# a CJK character counts two. A cell's padding counts two.
_LINE, _PADDING = 90, 2
_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


def _width(text: str) -> int:
    return len(text) + len(_WIDE.findall(text))


def column_shares(columns: list[list[str]]) -> tuple[float, ...]:
    """Each column's share of a printed table's width, in percent: after its widest text (as the
    automatic table layout shares it, a text longer than a line counting as one line), never
    narrower than its longest word, so that no word is broken. The redline PDF lays its tables
    out with these fixed widths: the automatic layout measures the narrowest and widest layout
    of every cell first, a quarter of WeasyPrint's time on a Japanese redline, where every
    character is a place to break."""
    if not columns:
        return ()
    widest = [min(max(max(_width(t) for t in texts), 1), _LINE) for texts in columns]
    words = [max(max((_width(w) for t in texts for w in _words(t)), default=1) + _PADDING, _LINE // 12)
             for texts in columns]
    shares = [w / sum(widest) for w in widest]
    floors = [w / _LINE for w in words]
    if sum(floors) >= 1:
        return tuple(round(100 * f / sum(floors), 1) for f in floors)
    for _ in range(len(shares)):  # raise the columns under their floor, take it from the others
        low = [i for i, (s, f) in enumerate(zip(shares, floors, strict=True)) if s < f]
        if not low:
            break
        fixed = sum(floors[i] for i in low)
        rest = sum(s for i, s in enumerate(shares) if i not in low)
        shares = [floors[i] if i in low else s * (1 - fixed) / rest for i, s in enumerate(shares)]
    return tuple(round(100 * s, 1) for s in shares)


def _words(text: str) -> list[str]:
    """The pieces of ``text`` a line never breaks inside: words, and each CJK character alone."""
    return [w for w in re.split(r"\s+|(?<=[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60])", text) if w]


def _block_markdown(block: LocalisedBlock) -> str:
    """A block as Markdown: its text, or the labels of a fact list without a table as a list."""
    if block.text is not None:
        return block.text.value
    return "\n".join(f"- {_escaped(item.label.value)}" for item in block.items)


def _escaped(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#!|" else c for c in text)


def _cell_text(item: LocalisedFact, attr: str) -> str:
    cell = item.cell(attr)
    return "; ".join(v.text.value for v in cell.values) if cell is not None else "—"


def _table(old: LocalisedBlock | None, new: LocalisedBlock | None) -> RedBlock:
    """A fact table marked row by row and cell by cell: a changed attribute shows as the changed
    cell of the row readers see, in their locale (issue #13)."""
    shown = new or old
    assert shown is not None
    attrs = [c.attr for c in shown.columns]
    if old is not None and new is not None:
        attrs += [c.attr for c in old.columns if c.attr not in attrs]
    titles = {c.attr: c.title.value for b in (old, new) if b is not None for c in b.columns}
    a_items = {i.id: i for i in old.items} if old else {}
    b_items = {i.id: i for i in new.items} if new else {}
    rows = []
    for fid in [*b_items, *(k for k in a_items if k not in b_items)]:
        before, after = a_items.get(fid), b_items.get(fid)
        cells = []
        states = set()
        for attr in ("", *attrs):
            text_a = None if before is None else (before.label.value if not attr else _cell_text(before, attr))
            text_b = None if after is None else (after.label.value if not attr else _cell_text(after, attr))
            state, segs = _segments(text_a, text_b)
            states.add(state)
            cells.append(segs)
        either = after or before
        assert either is not None
        state = next((s for s in ("added", "removed") if states == {s}), "changed" if states - {"same"} else "same")
        rows.append(RedRow(either.anchor, state, tuple(cells), either.label.lang))
    block_state = ("added" if old is None else "removed" if new is None else
                   "changed" if any(r.state != "same" for r in rows) else "same")
    lang = shown.items[0].label.lang if shown.items else ""
    heading = shown.heading.value if shown.heading is not None else ""
    return RedBlock(shown.anchor, block_state, (), lang, caption=shown.caption.value if shown.caption else "",
                    columns=(heading, *(titles[a] for a in attrs)), rows=tuple(rows))


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
        if (new or old) is not None and (new or old).list is not None:  # type: ignore[union-attr]
            blocks.append(_table(old if old is not None and old.list is not None else None,
                                 new if new is not None and new.list is not None else None))
            continue
        shown = new or old
        assert shown is not None
        lang = (shown.text.lang if shown.text is not None else
                (shown.items[0].label.lang if shown.items else ""))
        text_a, text_b = (_block_markdown(old) if old else None), (_block_markdown(new) if new else None)
        state = ("added" if text_a is None else "removed" if text_b is None else
                 "changed" if marked.changed(text_a, text_b) else "same")
        html = markdown.to_html(text_b or "", heading_offset=3) if state == "same" else marked.compare(
            text_a, text_b, heading_offset=3)
        blocks.append(RedBlock(shown.anchor, state, (), lang, html))
    either = sb or sa
    sid = either.id if either is not None else ""
    state = title_state if title_state in ("added", "removed") else "same"
    return RedSection(sid, title, state, tuple(blocks), either.title.lang if either is not None else "")


def redline_localised(a: LocalisedPolicy, b: LocalisedPolicy) -> list[RedSection]:
    """Every section of ``b`` (and those ``a`` had that ``b`` dropped), each block marked."""
    sa = {s.id: s for s in a.sections}
    sb = {s.id: s for s in b.sections}
    order = [*sb, *(k for k in sa if k not in sb)]
    out = []
    for sid in order:
        old, new = sa.get(sid), sb.get(sid)
        out.append(_section(old, new))
    return out


def redline(a: Policy, b: Policy, locale: str) -> list[RedSection]:
    """The redline from ``a`` to ``b`` as read in ``locale`` (translations where they exist)."""
    tag_a = locale if locale in a.all_locales else a.source_locale
    return redline_localised(localise(a, tag_a), localise(b, locale))

