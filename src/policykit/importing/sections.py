"""Pieces → sections and blocks with ids that read well: the part of an import every format shares.

- The document's title is its one top-level heading (else the title the file states).
- Sections start at the highest heading level left; deeper headings become blocks of their own
  (a Markdown heading), so the policy's sections stay flat as the model wants them.
- A file without headings is read by its paragraphs' form: a short paragraph that is all bold,
  or (in a file without any formatting) a short line without final punctuation, is taken as a
  heading, and a warning says so. A file where nothing looks like a heading is an error.
- A paragraph that is nothing but a value of the page's script (``false``, ``null``, ``undefined``,
  ``[object Object]``: a template that printed a variable instead of its text) is no text of the
  policy: it is left out, and a warning says where.
- Blocks are paragraphs, whole lists, tables, quotes. Ids come from words: a section's from its
  heading, a block's from its first words (``we-collect-minimal-information``), made unique in
  their scope; never from positions, so inserting a paragraph renames nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from policykit.diagnostics import Diagnostic, Pos, error, warning
from policykit.errors import InvalidPolicy
from policykit.importing.document import Document, Piece, all_bold, markdown_of

INFERRED = 7  # the heading level of a paragraph taken as a heading
_NUMBERING_RE = re.compile(r"^\s*(?:(?:section|article|§)\s*)?(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z][.)])\s+",
                           re.IGNORECASE)
_SCRIPT_VALUE_RE = re.compile(r"(?:true|false|null|undefined|nan|none|\[object object\])", re.IGNORECASE)
_ID_WORDS = 6
_ID_CHARS = 48


@dataclass(frozen=True)
class DraftBlock:
    id: str
    text: str  # Markdown
    pos: Pos = field(default=Pos(""), compare=False)
    hint: str = field(default="", compare=False)


@dataclass(frozen=True)
class DraftSection:
    id: str
    title: str
    blocks: tuple[DraftBlock, ...]
    pos: Pos = field(default=Pos(""), compare=False)
    hint: str = field(default="", compare=False)


@dataclass(frozen=True)
class SectionedDocument:
    """An imported document as a policy's sections: what the writer and the alignment take."""

    title: str
    sections: tuple[DraftSection, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    fact_blocks: tuple[str, ...] = ()


def slug(text: str, *, words: int = _ID_WORDS) -> str:
    """An id from words: ASCII lower case, digits and single hyphens; "" when nothing Latin is left."""
    text = _NUMBERING_RE.sub("", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", ascii_text.replace("'", ""))[:words]
    out = ""
    for part in parts:
        if out and len(out) + 1 + len(part) > _ID_CHARS:
            break
        out = f"{out}-{part}" if out else part[:_ID_CHARS]
    return out


def unique(base: str, taken: set[str], fallback: str) -> str:
    base = base or fallback
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def infer_headings(doc: Document) -> tuple[list[Piece], list[Diagnostic]]:
    """The pieces with headings found by their form when the file marks (almost) none."""
    pieces = list(doc.pieces)
    marked = [p for p in pieces if p.kind == "heading"]
    if len(marked) >= 3:
        return pieces, []
    found: list[Piece] = []
    for formatted in (True, False):  # bold paragraphs if there are any, else short lines
        for i, p in enumerate(pieces):
            lone_item = p.kind == "item" and not any(0 <= j < len(pieces) and pieces[j].kind == "item"
                                                     for j in (i - 1, i + 1))
            if (p.kind == "paragraph" or lone_item) and i + 1 < len(pieces) and _looks_like_heading(p, formatted):
                pieces[i] = replace(p, kind="heading", level=INFERRED, ordered=False)
                found.append(p)
        if found:
            break
    if not found and not marked:
        where = pieces[0].pos if pieces else Pos(doc.name, 1, 1)
        raise InvalidPolicy([error(where, "no headings, and no line that looks like one: policyctl makes sections "
                                   "from headings; mark them (# in Markdown, <h1>-<h6> in HTML, the Heading "
                                   "styles in Word) and import again", "import.no-headings")])
    if not found:
        return pieces, []
    first = found[0]
    return pieces, [warning(first.pos, f"the file marks {len(marked) or 'no'} heading(s): {len(found)} short "
                            f"{'bold ' if formatted else ''}paragraph(s) taken as headings, the first "
                            f"{first.plain[:40]!r}; check the sections", "import.inferred-headings")]


def _looks_like_heading(p: Piece, formatted: bool) -> bool:
    text = p.plain
    words = len(text.split())
    if not text or words > 12 or text.endswith((".", ":", ";", ",", "!", "?", "…")):
        return False
    if formatted:
        return all_bold(p.spans)
    return words <= 10 and (text[0].isupper() or not text[0].isascii()) and not text[0].isdigit()


def build(doc: Document, *, title: str | None = None) -> SectionedDocument:
    """The sections and blocks of ``doc`` (raises InvalidPolicy when it has nothing to make sections of)."""
    pieces, notes = infer_headings(doc)
    pieces = [p for p in pieces if p.kind != "heading" or p.plain]
    stray = [p for p in pieces if p.kind == "paragraph" and _SCRIPT_VALUE_RE.fullmatch(p.plain.strip())]
    notes = [*notes, *(warning(p.pos, f"the paragraph {p.plain.strip()!r} is a value of the page's script, not "
                                      "text of the policy: left out", "import.script-value") for p in stray)]
    pieces = [p for p in pieces if not any(p is q for q in stray)]
    headings = [p for p in pieces if p.kind == "heading"]
    top = min((p.level for p in headings), default=INFERRED)
    doc_title = title or ""
    if len(headings) > 1 and headings[0].level == top and sum(p.level == top for p in headings) == 1:
        # The one top-level heading is the document's title (text around it is its preamble).
        doc_title = doc_title or headings[0].plain
        pieces = [p for p in pieces if p is not headings[0]]
        headings = headings[1:]
    doc_title = doc_title or doc.title or (headings[0].plain if headings else "Privacy Policy")
    level = min((p.level for p in headings), default=INFERRED)
    groups: list[tuple[Piece | None, list[Piece]]] = [(None, [])]
    for p in pieces:
        if p.kind == "heading" and p.level <= level:
            groups.append((p, []))
        else:
            groups[-1][1].append(p)
    if not groups[0][1]:
        groups.pop(0)
    taken: set[str] = set()
    sections = []
    for heading, body in groups:
        name = heading.plain if heading else doc_title
        sid = unique(heading.hint if heading and heading.hint else slug(name), taken, "section")
        pos = heading.pos if heading else (body[0].pos if body else Pos(doc.name))
        sections.append(DraftSection(sid, name, tuple(_blocks(body, level)), pos, heading.hint if heading else ""))
    if not sections:
        raise InvalidPolicy([error(Pos(doc.name, 1, 1), "the file has no text to import", "import.empty")])
    return SectionedDocument(doc_title, tuple(sections), (*doc.diagnostics, *notes), doc.fact_blocks)


def _blocks(pieces: Sequence[Piece], level: int) -> Iterable[DraftBlock]:
    taken: set[str] = set()
    for group in _grouped(pieces):
        first = group[0]
        base = level if first.kind == "heading" else 0
        text = markdown_of(group, heading_base=base)
        if not text.strip():
            continue
        words = first.plain if first.kind != "table" else " ".join(first.plain.split()[:_ID_WORDS])
        bid = unique(first.hint or slug(words, words=5 if first.kind != "heading" else _ID_WORDS), taken, "text")
        yield DraftBlock(bid, text, first.pos, first.hint)


def _grouped(pieces: Sequence[Piece]) -> Iterable[list[Piece]]:
    """Runs of pieces that make one block: a list's items, a quote's paragraphs; the rest one each.

    A block policyctl exported to Word carries its id in a bookmark around its paragraphs: the
    paragraphs inside one bookmark stay one block, whatever they are.
    """
    group: list[Piece] = []
    for p in pieces:
        last = group[-1] if group else None
        joins = last is not None and (
            (bool(p.hint) and p.hint == last.hint) or (not p.hint and not last.hint and p.kind == last.kind
                                                       and p.kind in ("item", "quote")))
        if joins:
            group.append(p)
            continue
        if group:
            yield group
        group = [p]
    if group:
        yield group
