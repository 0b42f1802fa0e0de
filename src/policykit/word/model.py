"""What a Word file holds, as policyctl reads and writes it: plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Bookmarks policyctl writes around what it exported: ``_pk_s_<section>`` on a section's heading,
# ``_pk_b_<block>`` around a block's paragraphs. A leading underscore makes Word treat them as
# hidden bookmarks (not listed to the reader, kept when the text around them is edited).
BOOKMARK_PREFIX = "_pk_"

Change = Literal["", "ins", "del"]


class WordError(Exception):
    """A file python-docx cannot or must not read; the message says why, for the reader to locate."""

    def __init__(self, message: str, paragraph: int = 0) -> None:
        super().__init__(message)
        self.paragraph = paragraph


@dataclass(frozen=True)
class Run:
    """Words with one formatting; ``href`` a link; ``change`` a tracked insertion or deletion."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""
    change: Change = ""


@dataclass(frozen=True)
class WordParagraph:
    """``kind``: ``title``, ``heading`` (``level`` 1-9), ``item`` (``level`` = list depth, 0 outer) or
    ``paragraph``. ``number`` counts the body's paragraphs from 1 (a table's cells included), the
    place a problem is reported at."""

    kind: Literal["title", "heading", "item", "paragraph"]
    runs: tuple[Run, ...]
    number: int
    level: int = 0
    ordered: bool = False
    bookmarks: tuple[str, ...] = ()
    quote: bool = False


@dataclass(frozen=True)
class WordTable:
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    number: int
    bookmarks: tuple[str, ...] = ()


@dataclass(frozen=True)
class WordDocument:
    title: str
    body: tuple[WordParagraph | WordTable, ...]
    notes: tuple[tuple[int, str], ...] = ()  # (paragraph number, what was not imported)
