"""Word in: a .docx read by :mod:`policykit.word` (python-docx), mapped onto pieces.

Heading styles (and outline levels) make headings, the Title style the document's title,
numbered and bulleted paragraphs list items, tables tables; bold, italic, monospace and
hyperlinks are kept. A file policyctl exported carries each section's and block's id in a
hidden bookmark: the import reads them back, so a round trip keeps every id. A Word file
with tracked changes is refused (accept or reject them first), and so is anything that is
not a plain .docx: encrypted, damaged, a zip bomb. Positions are ``file:PARAGRAPH:1``: the
paragraph's number in the document, counting the paragraphs of tables too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.errors import InvalidPolicy
from policykit.importing.document import Document, Piece, Span, check_size, collapse, tidy
from policykit.importing.links import kept_link
from policykit.vocabulary import ID_RE

if TYPE_CHECKING:
    from policykit.word import Run

SECTION_MARK = "s_"
BLOCK_MARK = "b_"
FACTS_MARK = "f_"  # a table policyctl rendered from a section's facts


def bookmark(kind: str, item_id: str) -> str:
    """The bookmark that carries a section's (``s_``) or block's (``b_``) id in an exported file."""
    from policykit.word import BOOKMARK_PREFIX

    return f"{BOOKMARK_PREFIX}{kind}{item_id.replace('-', '_')}"


def _hint(marks: tuple[str, ...], kind: str) -> str:
    from policykit.word import BOOKMARK_PREFIX

    for mark in reversed(marks):  # the innermost (latest opened) first
        if mark.startswith(BOOKMARK_PREFIX + kind):
            found = mark.removeprefix(BOOKMARK_PREFIX + kind).replace("_", "-").strip("-")
            if ID_RE.match(found):
                return found
    return ""


def read_docx(data: bytes, name: str) -> Document:
    from policykit import word

    check_size(data, name)
    try:
        doc = word.read(data)
    except word.WordError as exc:
        raise InvalidPolicy([error(Pos(name, exc.paragraph or 1, 1), str(exc), "import.docx")]) from None
    diagnostics = [warning(Pos(name, n, 1), note, "import.docx") for n, note in doc.notes]
    pieces: list[Piece] = []
    fact_blocks: list[str] = []
    for item in doc.body:
        pos = Pos(name, item.number, 1)
        if isinstance(item, word.WordTable):
            facts = _hint(item.bookmarks, FACTS_MARK)
            if facts:
                fact_blocks.append(facts)
                continue
            hint = _hint(item.bookmarks, BLOCK_MARK)
            rows = tuple(tuple(tidy(_spans(cell, pos, diagnostics)) for cell in row) for row in item.rows)
            pieces.append(Piece("table", (), pos, rows=rows, hint=hint))
            continue
        if _hint(item.bookmarks, FACTS_MARK):
            continue  # a fact table's caption
        spans = tidy(_spans(item.runs, pos, diagnostics))
        if item.kind in ("title", "heading"):
            level = 1 if item.kind == "title" else item.level + 1  # the Title style sits above Heading 1
            hint = _hint(item.bookmarks, SECTION_MARK) or _hint(item.bookmarks, BLOCK_MARK)
            pieces.append(Piece("heading", spans, pos, level, hint=hint))
        elif item.kind == "item":
            pieces.append(Piece("item", spans, pos, item.level, item.ordered, hint=_hint(item.bookmarks, BLOCK_MARK)))
        else:
            pieces.append(Piece("quote" if item.quote else "paragraph", spans, pos,
                                hint=_hint(item.bookmarks, BLOCK_MARK)))
    if fact_blocks:
        diagnostics.append(warning(Pos(name, 1, 1), f"{len(fact_blocks)} fact table(s) ({', '.join(fact_blocks[:3])}"
                                   f"{', …' if len(fact_blocks) > 3 else ''}) not imported: facts are kept in "
                                   "the YAML, where the editor maintains them", "import.facts"))
    return Document(name, tuple(pieces), doc.title, collapse(diagnostics), tuple(fact_blocks))


def _spans(runs: tuple[Run, ...], pos: Pos, diagnostics: list[Diagnostic]) -> list[Span]:
    out: list[Span] = []
    for run in runs:
        href, problem = kept_link(run.href) if run.href else ("", "")
        if problem:
            diagnostics.append(warning(pos, problem, "import.link"))
        out.append(Span(re.sub(r"\s+", " ", run.text), run.bold, run.italic, run.code, href))
    return out
