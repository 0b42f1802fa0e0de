"""What every input format is read into: a flat list of pieces, and their Markdown.

Each reader (``markdown``, ``html``, ``docx``, ``text``) turns its file into a
:class:`Document`: headings, paragraphs, list items and tables in reading order,
each with the ``file:line:col`` it came from, their words as :class:`Span` runs
(bold, italic, code, a link). Everything after that - sections, ids, alignment -
is the same for every format. :func:`markdown_of` writes a block's pieces as the
CommonMark a policy block holds, escaping whatever would otherwise be read as
syntax, so a text that says ``*`` or ``[1]`` still says it after rendering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy

# An input larger than this is refused before it is parsed: the longest policy of the corpus is
# 60 KB of Markdown, and a page saved with its scripts and styles stays far below.
MAX_INPUT_BYTES = 20 * 1024 * 1024
# Deeper nesting than this is not a document but an attack on the parser (or a broken page).
MAX_DEPTH = 200

PieceKind = Literal["heading", "paragraph", "item", "table", "quote"]


@dataclass(frozen=True)
class Span:
    """A run of words with one formatting; ``href`` is a link target that is kept."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Piece:
    """One unit of the input in reading order.

    ``level`` is a heading's level (1-6; 7 for a paragraph taken as a heading) or a list item's
    depth (0 for the outer list). ``rows`` hold a table's cells, the first row its header.
    ``hint`` is an id the input itself gives the piece (a bookmark policyctl wrote into a Word
    file), used before any id made from words.
    """

    kind: PieceKind
    spans: Inline = ()
    pos: Pos = field(default=Pos(""), compare=False)
    level: int = 0
    ordered: bool = False
    rows: tuple[tuple[Inline, ...], ...] = ()
    hint: str = ""

    @property
    def plain(self) -> str:
        """The words of the piece, without formatting."""
        if self.kind == "table":
            return " ".join(plain(cell) for row in self.rows for cell in row)
        return plain(self.spans)


@dataclass(frozen=True)
class Document:
    """An input file read: its pieces, its own title if it states one, what could not be mapped."""

    name: str
    pieces: tuple[Piece, ...]
    title: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    fact_blocks: tuple[str, ...] = ()  # ids of fact tables policyctl exported (not imported: facts are the editor's)


def collapse(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """One diagnostic per message: the first place it was found, and how often."""
    first: dict[tuple[str, str], Diagnostic] = {}
    counts: dict[tuple[str, str], int] = {}
    for d in diagnostics:
        key = (d.code, d.message)
        first.setdefault(key, d)
        counts[key] = counts.get(key, 0) + 1
    return tuple(d if counts[k] == 1 else replace(d, message=f"{d.message} ({counts[k]} times; the first here)")
                 for k, d in first.items())


def plain(spans: Iterable[Span]) -> str:
    return re.sub(r"\s+", " ", "".join(s.text for s in spans)).strip()


def check_size(data: bytes, name: str) -> None:
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidPolicy([error(Pos(name, 1, 1), f"the file is {len(data):,} bytes; the limit for an import is "
                                   f"{MAX_INPUT_BYTES:,} (is it really one policy?)", "import.too-large")])


def decode_text(data: bytes, name: str) -> str:
    """Text of a Markdown, plain-text or HTML file: UTF-8 (a BOM is fine), else a located error."""
    check_size(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InvalidPolicy([error(Pos(name, line, col), f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert the "
                                   "file to UTF-8 first (e.g. `iconv -f windows-1252 -t utf-8`)",
                                   "import.encoding")]) from None
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        raise InvalidPolicy([error(Pos(name, line, at - (text.rfind("\n", 0, at) + 1) + 1),
                                   "a NUL character: this is not a text file", "import.binary")])
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- spans -------------------------------------------------------------------------------------
def tidy(spans: Iterable[Span]) -> Inline:
    """Adjacent spans of one formatting merged, white space collapsed, ends trimmed."""
    out: list[Span] = []
    for span in spans:
        text = re.sub(r"[ \t\r\n\u00a0\u2028\u2029]+", " ", span.text)
        if not text:
            continue
        span = replace(span, text=text)
        if out and _same_format(out[-1], span):
            out[-1] = replace(out[-1], text=out[-1].text + span.text)
        else:
            out.append(span)
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(out)


def _same_format(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.code, a.href) == (b.bold, b.italic, b.code, b.href)


def all_bold(spans: Inline) -> bool:
    """True when every word is bold (or italic): a paragraph that is really a heading."""
    words = [s for s in spans if s.text.strip()]
    return bool(words) and all((s.bold or s.italic) and not s.href for s in words)


# -- Markdown ----------------------------------------------------------------------------------
_URL_RE = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
_EMAIL_RE = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START_RE = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _escape(text: str, *, table: bool = False) -> str:
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*\[\]<>~])", r"\\\1", text)
    # An underscore inside a word never starts emphasis in CommonMark: escape only the others.
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    text = _ENTITY_RE.sub(r"\\&", text)
    if table:
        text = text.replace("|", "\\|")
    return text


def _linked(text: str, *, table: bool) -> str:
    """Escaped text in which web and e-mail addresses written out become links (they are links in the source's
    reading, and a policy block may link only that way)."""
    out: list[str] = []
    at = 0
    for m in sorted([*_URL_RE.finditer(text), *_EMAIL_RE.finditer(text)], key=lambda m: m.start()):
        if m.start() < at:
            continue
        out.append(_escape(text[at:m.start()], table=table))
        found = m.group(0)
        out.append(f"<{found}>" if "://" in found else f"[{_escape(found)}](mailto:{found})")
        at = m.end()
    out.append(_escape(text[at:], table=table))
    return "".join(out)


def inline_markdown(spans: Inline, *, table: bool = False) -> str:
    """The CommonMark of a run of spans (one line)."""
    out: list[str] = []
    for span in spans:
        body = span.text
        lead = body[: len(body) - len(body.lstrip())]
        trail = body[len(body.rstrip()):]
        core = body.strip()
        if not core:
            out.append(body)
            continue
        if span.code:
            fence = "``" if "`" in core else "`"
            text = f"{fence}{' ' if fence == '``' else ''}{core}{' ' if fence == '``' else ''}{fence}"
        elif span.href and core == span.href and "://" in core and not re.search(r"[\s<>]", core):
            text = f"<{core}>"  # an address shown as itself: CommonMark's autolink
        elif span.href:
            label = _escape(core, table=table)
            target = span.href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            text = f"[{label}]({target})"
        else:
            text = _linked(core, table=table)
        if not span.code:
            if span.italic:
                text = f"*{text}*"
            if span.bold:
                text = f"**{text}**"
        out.append(lead + text + trail)
    line = "".join(out)
    m = _LINE_START_RE.match(line)
    if m and not table:  # a paragraph starting "1." or "#" would become a list or a heading
        line = line[: m.end(1)] + "\\" + line[m.end(1):] if m.group(2)[0] in "#>+=-" else \
            line[: m.end(2) - 1] + "\\" + line[m.end(2) - 1:]
    return line


def markdown_of(pieces: Sequence[Piece], heading_base: int = 0) -> str:
    """The Markdown text of one block made of ``pieces`` (a paragraph, a list, a table, a sub-heading)."""
    parts: list[str] = []
    items: list[str] = []
    counters: dict[int, int] = {}
    columns: dict[int, int] = {}  # list depth -> the column its items' text starts at
    for piece in pieces:
        if piece.kind != "item" and items:
            parts.append("\n".join(items))
            items, counters = [], {}
        if piece.kind == "item":
            depth = piece.level
            for deeper in [d for d in counters if d > depth]:
                del counters[deeper]
            counters[depth] = counters.get(depth, 0) + 1
            marker = f"{counters[depth]}." if piece.ordered else "-"
            # A nested item starts where its parent's text starts (CommonMark's list item rule).
            indent = columns.get(depth - 1, 0) if depth else 0
            columns[depth] = indent + len(marker) + 1
            items.append(f"{' ' * indent}{marker} {inline_markdown(piece.spans)}")
        elif piece.kind == "heading":
            hashes = "#" * max(1, min(6, piece.level - heading_base))
            parts.append(f"{hashes} {inline_markdown(piece.spans)}")
        elif piece.kind == "table":
            parts.append(_table(piece))
        elif piece.kind == "quote":
            parts.append("> " + inline_markdown(piece.spans))
        else:
            parts.append(inline_markdown(piece.spans))
    if items:
        parts.append("\n".join(items))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def _table(piece: Piece) -> str:
    width = max((len(r) for r in piece.rows), default=0)
    rows = [[inline_markdown(c, table=True) for c in r] + [""] * (width - len(r)) for r in piece.rows]
    if not rows or width == 0:
        return ""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)
