"""Markdown in: CommonMark (with GFM tables) read by :mod:`policykit.markdown`'s parser.

Headings, paragraphs, list items, block quotes and tables become pieces; raw HTML
is dropped and reported, and so are images and links that are not http(s) or
mailto (their words are kept). Positions are the file's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policykit import markdown
from policykit.diagnostics import Diagnostic, Pos, warning
from policykit.importing.document import Document, Inline, Piece, Span, collapse, decode_text, tidy
from policykit.importing.links import kept_link

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.token import Token


@dataclass
class _Walk:
    name: str
    lines: list[str]
    pieces: list[Piece] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    row: list[Inline] | None = None  # the table row being read
    rows: list[tuple[Inline, ...]] = field(default_factory=list)
    table_pos: Pos = field(default_factory=lambda: Pos(""))

    def pos(self, line: int, needle: str = "") -> Pos:
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        col = text.find(needle) if needle else len(text) - len(text.lstrip())
        return Pos(self.name, line + 1, max(col, 0) + 1)

    def table(self, tokens: Sequence[Token], i: int, line: int) -> None:
        """One token of a table: its rows, cell by cell, become one ``table`` piece."""
        kind = tokens[i].type
        if kind == "table_open":
            self.rows, self.table_pos = [], self.pos(line)
        elif kind == "tr_open":
            self.row = []
        elif kind in ("th_open", "td_open") and self.row is not None:
            self.row.append(self.inline(tokens[i + 1]))
        elif kind == "tr_close" and self.row is not None:
            self.rows.append(tuple(self.row))
            self.row = None
        elif kind == "table_close" and self.rows:
            self.pieces.append(Piece("table", (), self.table_pos, rows=tuple(self.rows)))

    def inline(self, tok: Token) -> Inline:
        spans: list[Span] = []
        bold = italic = 0
        href = ""
        line = tok.map[0] if tok.map else 0
        for child in tok.children or ():
            kind = child.type
            if kind in ("text", "code_inline"):
                spans.append(Span(child.content, bool(bold), bool(italic), kind == "code_inline", href))
            elif kind in ("softbreak", "hardbreak"):
                spans.append(Span(" ", bool(bold), bool(italic), False, href))
                line += 1
            elif kind in ("strong_open", "strong_close"):
                bold += 1 if kind == "strong_open" else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind == "em_open" else -1
            elif kind == "link_open":
                target = str(child.attrs.get("href", ""))
                href, problem = kept_link(target)
                if problem:
                    self.diagnostics.append(warning(self.pos(line, target), problem, "import.link"))
            elif kind == "link_close":
                href = ""
            elif kind == "image":
                self.diagnostics.append(warning(self.pos(line, "!["), "an image is not imported (a policy "
                                                "block holds text only)", "import.image"))
            elif kind == "html_inline" and re.fullmatch(r"<br\s*/?>", child.content.strip(), re.IGNORECASE):
                spans.append(Span(" ", bool(bold), bool(italic), False, href))  # a line break in a table cell
            elif kind == "html_inline":
                self.diagnostics.append(warning(self.pos(line, child.content), f"raw HTML {child.content[:40]!r} "
                                                "dropped (its text is kept)", "import.html"))
        return tidy(spans)


def read_markdown(data: bytes, name: str) -> Document:
    """A Markdown file as pieces; raises InvalidPolicy for a file that is not UTF-8 text."""
    text = decode_text(data, name)
    walk = _Walk(name, text.split("\n"))
    tokens = markdown.source_tokens(text)
    depth = 0  # list nesting
    ordered: list[bool] = []
    quote = 0
    item: list[Span] | None = None
    item_pos = Pos(name)
    for i, tok in enumerate(tokens):
        kind = tok.type
        line = tok.map[0] if tok.map else 0
        if kind in ("bullet_list_open", "ordered_list_open"):
            if item is not None:  # a nested list starts: the item so far is one piece
                walk.pieces.append(Piece("item", tidy(item), item_pos, depth - 1, ordered[-1]))
                item = None
            depth += 1
            ordered.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            ordered.pop()
        elif kind == "list_item_open":
            item, item_pos = [], walk.pos(line)
        elif kind == "list_item_close" and item is not None:
            walk.pieces.append(Piece("item", tidy(item), item_pos, depth - 1, ordered[-1]))
            item = None
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            spans = walk.inline(tokens[i + 1])
            if spans and item is None and not depth:
                walk.pieces.append(Piece("heading", spans, walk.pos(line), int(tok.tag[1:])))
        elif kind.startswith(("table_", "tr_", "th_", "td_")):
            walk.table(tokens, i, line)
        elif kind == "paragraph_open" and tokens[i - 1].type != "heading_open":
            spans = walk.inline(tokens[i + 1])
            if item is not None:
                item.extend([Span(" "), *spans] if item else spans)
            elif spans:
                walk.pieces.append(Piece("quote" if quote else "paragraph", spans, walk.pos(line)))
        elif kind in ("fence", "code_block"):
            content = tok.content.strip("\n")
            if content and item is None:
                walk.pieces.append(Piece("paragraph", (Span(content, code=True),), walk.pos(line)))
        elif kind == "html_block":
            snippet = tok.content.strip().split("\n")[0][:40]
            walk.diagnostics.append(warning(walk.pos(line), f"raw HTML {snippet!r} dropped: write it as Markdown "
                                            "if its words belong to the policy", "import.html"))
    title = next((p.plain for p in walk.pieces if p.kind == "heading"), "")
    return Document(name, tuple(walk.pieces), title, collapse(walk.diagnostics))


def read_text(data: bytes, name: str) -> Document:
    """Plain text: paragraphs are separated by blank lines; lines starting ``-``, ``*``, ``•`` or ``1.`` are
    list items. Nothing is a heading by its form: :mod:`policykit.importing.sections` takes short lines
    without final punctuation as headings, and says so."""
    text = decode_text(data, name)
    pieces: list[Piece] = []
    para: list[str] = []
    start = 0
    item_re = re.compile(r"^(\s*)([-*•‣◦]|\d{1,3}[.)])\s+(.*)$")

    def flush() -> None:
        if para:
            pieces.append(Piece("paragraph", tidy([Span(" ".join(para))]), Pos(name, start + 1, 1)))
            para.clear()

    for n, line in enumerate(text.split("\n")):
        m = item_re.match(line)
        if not line.strip():
            flush()
        elif m:
            flush()
            depth = len(m.group(1).expandtabs(4)) // 2
            pieces.append(Piece("item", tidy([Span(m.group(3))]), Pos(name, n + 1, len(m.group(1)) + 1),
                                min(depth, 3), m.group(2)[0].isdigit()))
        else:
            if not para:
                start = n
            para.append(line.strip())
    flush()
    return Document(name, tuple(pieces))
