"""HTML in: the only module that imports BeautifulSoup (with Python's own parser, which keeps
each tag's line and column).

The page's ``<main>`` (else its ``<article>``, else its ``<body>``) is read: headings,
paragraphs, lists (nested), tables, quotes; within them bold, italic, code and links.
Scripts, styles, forms, navigation and embedded objects are never carried over, and neither is
any attribute; what is dropped is reported with its place. A page nested deeper than
:data:`MAX_DEPTH` is refused before it is walked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.errors import InvalidPolicy
from policykit.importing.document import (
    MAX_DEPTH,
    Document,
    Inline,
    Piece,
    Span,
    collapse,
    decode_text,
    tidy,
)
from policykit.importing.links import kept_link

if TYPE_CHECKING:
    from bs4 import Tag

# Never read: their content is not the policy's text (or is code).
_DROPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "form",
            "button", "select", "input", "textarea", "nav", "footer", "aside", "head", "audio", "video", "map"}
_REPORTED = {"script", "iframe", "object", "embed", "form", "img", "video", "audio"}
_HEADINGS = {f"h{n}" for n in range(1, 7)}
_BLOCKS = {"p", "div", "section", "article", "main", "header", "body", "html", "ul", "ol", "li", "table", "thead",
           "tbody", "tfoot", "tr", "td", "th", "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption",
           "address", "details", "summary", "caption", "hr", *_HEADINGS}


@dataclass
class _Reader:
    name: str
    base: str = ""
    pieces: list[Piece] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    inline_buffer: list[Span] = field(default_factory=list)
    buffer_pos: Pos | None = None

    def pos(self, tag: Any) -> Pos:
        line = getattr(tag, "sourceline", None) or 1
        col = getattr(tag, "sourcepos", None) or 0
        return Pos(self.name, line, col + 1)

    def flush(self, kind: str = "paragraph") -> None:
        spans = tidy(self.inline_buffer)
        if spans:
            self.pieces.append(Piece("quote" if kind == "quote" else "paragraph", spans,
                                     self.buffer_pos or Pos(self.name, 1, 1)))
        self.inline_buffer, self.buffer_pos = [], None

    def drop(self, tag: Tag) -> None:
        if tag.name in _REPORTED:
            what = "an image" if tag.name == "img" else f"a <{tag.name}>"
            self.diagnostics.append(warning(self.pos(tag), f"{what} is not imported (a policy holds text only)",
                                            "import.html"))

    # -- blocks ------------------------------------------------------------------------------
    def block(self, tag: Tag, lists: tuple[bool, ...] = (), quote: bool = False) -> None:
        from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction, Tag

        for child in tag.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                if str(child).strip():
                    self.buffer_pos = self.buffer_pos or self.pos(tag)
                    self.inline_buffer.append(Span(str(child)))
                elif self.inline_buffer:
                    self.inline_buffer.append(Span(" "))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _DROPPED or name == "img":
                self.drop(child)
                continue
            if name not in _BLOCKS:
                self.buffer_pos = self.buffer_pos or self.pos(child)
                self.inline_buffer.extend(self.inline(child))
                continue
            self.flush("quote" if quote else "paragraph")
            self.element(child, name, lists, quote)
        self.flush("quote" if quote else "paragraph")

    def element(self, tag: Tag, name: str, lists: tuple[bool, ...], quote: bool) -> None:
        if name in _HEADINGS:
            spans = tidy(self.inline(tag))
            if spans:
                self.pieces.append(Piece("heading", spans, self.pos(tag), int(name[1])))
        elif name in ("ul", "ol"):
            self.block(tag, (*lists, name == "ol"), quote)
        elif name == "li" and lists:
            self.item(tag, lists)
        elif name == "table":
            self.table(tag)
        elif name == "blockquote":
            self.block(tag, lists, True)
        elif name == "pre":
            text = tag.get_text().strip("\n")
            if text.strip():
                self.pieces.append(Piece("paragraph", (Span(text, code=True),), self.pos(tag)))
        elif name == "hr":
            return
        else:
            self.block(tag, lists, quote)

    def item(self, tag: Tag, lists: tuple[bool, ...]) -> None:
        """A list item: its own words are one item; a list inside it follows, one level deeper."""
        from bs4 import Tag

        spans: list[Span] = []
        nested: list[Tag] = []
        for child in tag.children:
            if isinstance(child, Tag) and child.name.lower() in ("ul", "ol"):
                nested.append(child)
            elif isinstance(child, Tag) and child.name.lower() in _DROPPED:
                self.drop(child)
            elif isinstance(child, Tag) and child.name.lower() in ("p", "div"):
                spans.extend([Span(" "), *self.inline(child)])
            elif isinstance(child, Tag):
                spans.extend(self.inline(child))
            else:
                spans.append(Span(str(child)))
        clean = tidy(spans)
        if clean:
            self.pieces.append(Piece("item", clean, self.pos(tag), len(lists) - 1, lists[-1]))
        for sub in nested:
            self.block(sub, (*lists, sub.name.lower() == "ol"))

    def table(self, tag: Tag) -> None:
        rows: list[tuple[Inline, ...]] = []
        for tr in tag.find_all("tr"):
            if tr.find_parent("table") is not tag:
                continue  # a row of a table inside a cell: its words are in that cell
            cells = [tidy(self.inline(cell)) for cell in tr.find_all(("td", "th"), recursive=False)]
            if any(cells):
                rows.append(tuple(cells))
        if rows:
            self.pieces.append(Piece("table", (), self.pos(tag), rows=tuple(rows)))

    # -- inline ------------------------------------------------------------------------------
    def inline(self, tag: Tag, bold: bool = False, italic: bool = False, href: str = "") -> list[Span]:
        from bs4.element import Comment, NavigableString, Tag

        name = tag.name.lower()
        bold = bold or name in ("b", "strong")
        italic = italic or name in ("i", "em", "cite")
        code = name in ("code", "kbd", "samp", "tt")
        if name == "a" and tag.get("href"):
            target = str(tag.get("href"))
            href, problem = kept_link(target, self.base)
            if problem:
                self.diagnostics.append(warning(self.pos(tag), problem, "import.link"))
        out: list[Span] = []
        for child in tag.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                out.append(Span(str(child), bold, italic, code, href))
            elif isinstance(child, Tag):
                sub = child.name.lower()
                if sub in _DROPPED or sub == "img":
                    self.drop(child)
                elif sub == "br":
                    out.append(Span(" ", bold, italic, False, href))
                else:
                    if sub in _BLOCKS:
                        out.append(Span(" "))
                    out.extend(self.inline(child, bold, italic, href))
        return out


def _deepest(root: Tag) -> tuple[int, Tag]:
    """How deep the tree goes (walked without recursion), and the element where it is deepest."""
    from bs4 import Tag

    deepest, where = 0, root
    stack: list[tuple[Tag, int]] = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > deepest:
            deepest, where = depth, tag
        stack.extend((c, depth + 1) for c in tag.children if isinstance(c, Tag))
    return deepest, where


def read_html(data: bytes, name: str) -> Document:
    """An HTML page as pieces; raises InvalidPolicy for text that is not UTF-8 or a page nested absurdly deep."""
    import warnings

    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

    text = decode_text(data, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "html.parser")
    reader = _Reader(name)
    depth, where = _deepest(soup)
    if depth > MAX_DEPTH:
        raise InvalidPolicy([error(reader.pos(where), f"the page nests elements {depth} deep (the limit is "
                                   f"{MAX_DEPTH}); this is not a document policyctl can import", "import.depth")])
    base = soup.find("base", href=True)
    reader.base = str(base["href"]) if isinstance(base, Tag) else ""
    title_tag = soup.find("title")
    title = re.sub(r"\s+", " ", title_tag.get_text()).strip() if isinstance(title_tag, Tag) else ""
    root = soup.find("main") or soup.find("article") or soup.find("body") or soup
    if isinstance(root, Tag):
        reader.block(root)
    return Document(name, tuple(reader.pieces), title, collapse(reader.diagnostics))
