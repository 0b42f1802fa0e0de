"""Writing a .docx: headings, paragraphs, lists, tables, bookmarks, tracked changes and comments.

Tracked changes are what Word writes itself: inserted runs inside ``w:ins``, deleted runs
(``w:delText``) inside ``w:del``, and a paragraph inserted or deleted whole has its paragraph mark
tracked too (``w:pPr/w:rPr/w:ins|w:del``), so accepting or rejecting it leaves no empty paragraph.
A comment spans whole paragraphs (``w:commentRangeStart`` … ``w:commentRangeEnd`` and its
reference run).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from policykit.word.model import Change, Run

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

MONOSPACE = "Courier New"
LINK_COLOR = "0563C1"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class Writer:
    """One Word document being written; :meth:`save` gives its bytes."""

    def __init__(self, *, title: str, language: str, date: dt.datetime, author: str = "policyctl") -> None:
        import docx

        self.doc = docx.Document()
        self.author = author
        self.date = date.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
        props = self.doc.core_properties
        props.title, props.language, props.author, props.last_modified_by = title, language, author, author
        props.created = props.modified = self.date
        props.revision = 1
        self._ids = 0
        self._bookmark: tuple[str, int] | None = None  # a block's bookmark waiting for its first paragraph
        self._open_bookmarks: list[int] = []
        self._comment: int | None = None  # a comment waiting for the first paragraph of its range
        self._open_comment: int | None = None  # the comment whose range is open
        self._last: Paragraph | None = None

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    # -- structure -----------------------------------------------------------------------
    def heading(self, runs: Sequence[Run], level: int, *, mark: Change = "") -> None:
        """A heading (level 0: the document's title)."""
        style = "Title" if level == 0 else f"Heading {min(level, 9)}"
        self._paragraph(runs, style, mark)

    def paragraph(self, runs: Sequence[Run], *, kind: str = "paragraph", level: int = 0, ordered: bool = False,
                  mark: Change = "") -> None:
        """A paragraph; ``kind`` ``item`` is a list item at ``level`` (0-2), ``quote`` a quotation.
        ``mark`` tracks the paragraph itself as inserted or deleted."""
        if kind == "item":
            style = ("List Number" if ordered else "List Bullet") + (f" {min(level, 2) + 1}" if level else "")
        else:
            style = "Quote" if kind == "quote" else "Normal"
        self._paragraph(runs, style, mark)

    def table(self, rows: Sequence[Sequence[Sequence[Run]]], *, mark: Change = "") -> None:
        """A table; the first row is its header (repeated on each page)."""
        from docx.oxml import OxmlElement

        width = max((len(r) for r in rows), default=0)
        if not width:
            return
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        header = table.rows[0]._tr.get_or_add_trPr()
        header.append(OxmlElement("w:tblHeader"))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self._fill(paragraph, [Run(x.text, x.bold or r == 0, x.italic, x.code, x.href, x.change or mark)
                                       for x in cell], mark)
                if r == 0 and c == 0:
                    self._start_marks(paragraph)
                self._last = paragraph

    def begin_block(self, name: str) -> None:
        """Bookmark ``name`` starts at the next paragraph (or table) and ends at :meth:`end_block`."""
        self._bookmark = (name, self._next_id())

    def end_block(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if self._last is not None:
            for bid in self._open_bookmarks:
                end = OxmlElement("w:bookmarkEnd")
                end.set(qn("w:id"), str(bid))
                self._last._p.append(end)
        self._open_bookmarks = []
        self._bookmark = None

    def begin_comment(self, text: str) -> None:
        """A comment on the paragraphs written from now until :meth:`end_comment`."""
        comment = self.doc.comments.add_comment(text, author=self.author, initials="PC")
        # python-docx dates a comment now; the file must depend only on what was written.
        comment._comment_elm.date = self.date.replace(tzinfo=dt.UTC)
        self._comment = comment.comment_id
        self._open_comment = comment.comment_id

    def end_comment(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        cid = self._open_comment
        if cid is None or self._last is None:
            return
        if self._comment is not None:  # nothing was written since begin_comment: the range is the last paragraph
            self._start_marks(self._last)
        end = OxmlElement("w:commentRangeEnd")
        end.set(qn("w:id"), str(cid))
        self._last._p.append(end)
        ref_run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "CommentReference")
        rpr.append(style)
        ref_run.append(rpr)
        ref = OxmlElement("w:commentReference")
        ref.set(qn("w:id"), str(cid))
        ref_run.append(ref)
        self._last._p.append(ref_run)
        self._open_comment = None

    # -- paragraphs and runs -----------------------------------------------------------------
    def _paragraph(self, runs: Sequence[Run], style: str, mark: Change) -> None:
        paragraph = self.doc.add_paragraph(style=self.doc.styles[style])
        self._fill(paragraph, runs, mark)
        self._start_marks(paragraph)
        self._last = paragraph

    def _start_marks(self, paragraph: Paragraph) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        first = paragraph._p.find(qn("w:pPr"))
        at = 1 if first is not None else 0
        if self._comment is not None:
            start = OxmlElement("w:commentRangeStart")
            start.set(qn("w:id"), str(self._comment))
            paragraph._p.insert(at, start)
            self._comment = None
        if self._bookmark is not None:
            name, bid = self._bookmark
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(bid))
            start.set(qn("w:name"), name)
            paragraph._p.insert(at, start)
            self._open_bookmarks.append(bid)
            self._bookmark = None

    def _fill(self, paragraph: Paragraph, runs: Sequence[Run], mark: Change) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if mark:
            ppr = paragraph._p.get_or_add_pPr()
            rpr = ppr.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                ppr.append(rpr)
            rpr.append(self._change_element(mark))
        for run in runs:
            if run.text:
                self._run(paragraph, run)

    def _change_element(self, change: Change) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        element = OxmlElement(f"w:{change}")
        element.set(qn("w:id"), str(self._next_id()))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date.strftime("%Y-%m-%dT%H:%M:%SZ"))
        return element

    def _run(self, paragraph: Paragraph, run: Run) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        if run.code:
            fonts = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), MONOSPACE)
            rpr.append(fonts)
        for flag, tag in ((run.bold, "w:b"), (run.italic, "w:i")):
            if flag:
                rpr.append(OxmlElement(tag))
        if run.href:
            color = OxmlElement("w:color")
            color.set(qn("w:val"), LINK_COLOR)
            underline = OxmlElement("w:u")
            underline.set(qn("w:val"), "single")
            rpr.extend([color, underline])
        if len(rpr):
            r.append(rpr)
        text = OxmlElement("w:delText" if run.change == "del" else "w:t")
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text.text = run.text
        r.append(text)
        node = r
        if run.change:
            wrapper = self._change_element(run.change)
            wrapper.append(r)
            node = wrapper
        if run.href:
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), paragraph.part.relate_to(run.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
            link.append(node)
            node = link
        paragraph._p.append(node)

    def save(self) -> bytes:
        """The document's bytes: the same content always gives the same bytes (zip dates fixed)."""
        raw = io.BytesIO()
        self.doc.save(raw)
        out = io.BytesIO()
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
                fixed.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(fixed, src.read(info.filename))
        return out.getvalue()
