"""Word: a policy as a .docx (``build --format docx``), and the redline of two versions with real
tracked changes and a comment per change (``diff A B --format docx``).

Block text is Markdown; it is read into paragraphs, list items, tables and runs by the same
reader ``policyctl import`` uses, so what goes out as Word comes back as the same blocks. Each
section's heading and each block carry their id in a hidden bookmark (see
:mod:`policykit.importing.docx`); fact tables are marked as such and are not imported back.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from policykit.importing.document import Piece, Span
from policykit.importing.docx import BLOCK_MARK, FACTS_MARK, SECTION_MARK, bookmark
from policykit.word import Run, Writer
from policykit.word.model import Change

if TYPE_CHECKING:
    from policykit.localise import LocalisedBlock, LocalisedPolicy

# A document's date when it has none: fixed, so the same policy always makes the same bytes.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@lru_cache(maxsize=4096)
def pieces(text: str) -> tuple[Piece, ...]:
    """A block's Markdown as paragraphs, list items, tables (read as ``import`` reads Markdown)."""
    from policykit.importing.markdown import read_markdown

    return read_markdown(text.encode("utf-8"), "block").pieces


def runs(spans: Sequence[Span], change: Change = "") -> list[Run]:
    return [Run(s.text, s.bold, s.italic, s.code, s.href, change) for s in spans]


def write_pieces(writer: Writer, items: Sequence[Piece], *, mark: Change = "") -> None:
    """Block content into the document; ``mark`` tracks all of it as inserted or deleted."""
    for piece in items:
        write_piece(writer, piece, runs(piece.spans, mark), mark=mark)


def write_piece(writer: Writer, piece: Piece, content: list[Run], *, mark: Change = "") -> None:
    if piece.kind == "heading":
        writer.heading(content, piece.level + 1, mark=mark)  # a block's "#" sits below the section's Heading 1
    elif piece.kind == "table":
        writer.table([[runs(cell, mark) for cell in row] for row in piece.rows], mark=mark)
    elif piece.kind == "item":
        writer.paragraph(content, kind="item", level=piece.level, ordered=piece.ordered, mark=mark)
    else:
        writer.paragraph(content, kind=piece.kind, mark=mark)


def fact_rows(block: LocalisedBlock) -> list[list[list[Run]]]:
    """A fact table as rows of runs: the header (label column and attributes), then one row per fact."""
    header = [[Run(str(block.heading or ""))], *[[Run(str(c.title))] for c in block.columns]]
    rows = [header]
    for fact in block.items:
        row = [[Run(str(fact.label))]]
        for column in block.columns:
            cell = fact.cell(column.attr)
            values = cell.values if cell else ()
            out: list[Run] = []
            for n, value in enumerate(values):
                href = value.href if value.href and value.href.startswith(("http:", "https:", "mailto:")) else ""
                out += [Run(", ")] if n else []
                out.append(Run(str(value.text), href=href))
            row.append(out)
        rows.append(row)
    return rows


def write_facts(writer: Writer, block: LocalisedBlock, *, mark: Change = "") -> None:
    writer.begin_block(bookmark(FACTS_MARK, block.id))
    if block.caption is not None:
        writer.paragraph([Run(str(block.caption), bold=True, change=mark)], mark=mark)
    writer.table(fact_rows(block), mark=mark)
    writer.end_block()


def render_docx(localised: LocalisedPolicy) -> bytes:
    """The policy in one locale as a Word document."""
    date = localised.effective_from or localised.last_updated
    when = dt.datetime.combine(date, dt.time(), dt.UTC) if date else EPOCH
    writer = Writer(title=str(localised.title), language=localised.locale, date=when)
    writer.heading([Run(str(localised.title))], 0)
    for section in localised.sections:
        writer.begin_block(bookmark(SECTION_MARK, section.id))
        writer.heading([Run(str(section.title))], 1)
        writer.end_block()
        for block in section.blocks:
            if block.list is not None:
                write_facts(writer, block)
            elif block.text is not None:
                writer.begin_block(bookmark(BLOCK_MARK, block.id))
                write_pieces(writer, pieces(str(block.text)))
                writer.end_block()
    return writer.save()


# -- the redline ---------------------------------------------------------------------------------
def paragraph_diff(before: Sequence[Piece], after: Sequence[Piece]) -> Iterator[tuple[Piece, list[Run], Change]]:
    """The paragraphs of a changed block: ``after``'s, with what was deleted and inserted tracked.

    Paragraphs are matched by their words; a matched pair that differs gets a word-level diff
    (deleted words take the old formatting, the rest the new); a paragraph with no partner is
    inserted or deleted whole (third value: how its paragraph mark is tracked).
    """
    keys_a = [(p.kind, p.plain) for p in before]
    keys_b = [(p.kind, p.plain) for p in after]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if tag == "equal":
            for p in after[j1:j2]:
                yield p, runs(p.spans), ""
            continue
        olds, news = list(before[i1:i2]), list(after[j1:j2])
        paired = min(len(olds), len(news)) if tag == "replace" else 0
        for old, new in zip(olds[:paired], news[:paired], strict=True):
            if old.kind == "table" or new.kind == "table":
                yield old, runs(old.spans, "del"), "del"
                yield new, runs(new.spans, "ins"), "ins"
            else:
                yield new, word_runs(old.spans, new.spans), ""
        for old in olds[paired:]:
            yield old, runs(old.spans, "del"), "del"
        for new in news[paired:]:
            yield new, runs(new.spans, "ins"), "ins"


def word_runs(before: Sequence[Span], after: Sequence[Span]) -> list[Run]:
    """One paragraph's word diff as runs, each carrying the formatting of the text it comes from."""
    from policykit.compare import prose
    at = {"-": 0, "=": 0, "+": 0}
    out: list[Run] = []
    for op, text in prose.word_diff("".join(s.text for s in before), "".join(s.text for s in after)):
        source, key = (before, "-") if op == "-" else (after, "+")
        start = at[key] if op != "=" else at["+"]
        for span, piece in _slices(source, start, len(text)):
            out.append(Run(piece, span.bold, span.italic, span.code, span.href,
                           "del" if op == "-" else "ins" if op == "+" else ""))
        if op in ("-", "="):
            at["-"] += len(text)
        if op in ("+", "="):
            at["+"] += len(text)
    return out


def _slices(spans: Sequence[Span], start: int, length: int) -> Iterator[tuple[Span, str]]:
    """The parts of ``spans`` covering characters ``start`` to ``start + length`` of their joined text."""
    offset = 0
    end = start + length
    for span in spans:
        lo, hi = max(start, offset), min(end, offset + len(span.text))
        if lo < hi:
            yield span, span.text[lo - offset: hi - offset]
        offset += len(span.text)
