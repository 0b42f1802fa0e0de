"""Reading a .docx: checked first, then walked in document order."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from policykit.word.model import BOOKMARK_PREFIX, Run, WordDocument, WordError, WordParagraph, WordTable

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

MAX_ENTRIES = 5000
MAX_UNPACKED = 256 * 1024 * 1024  # all parts together, unpacked
MAX_RATIO = 100  # a part that unpacks to more than this times its packed size (and more than 10 MiB) is a bomb
_MONOSPACE = {"courier new", "courier", "consolas", "menlo", "liberation mono", "dejavu sans mono", "lucida console"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_package(data: bytes) -> None:
    """Refuse what is not a .docx python-docx may open: not a zip, encrypted, damaged, a zip bomb."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise WordError("a compound (OLE) file: a password-protected .docx or an old .doc; remove the password "
                        "or save it as .docx, then import again")
    if data[:4] != b"PK\x03\x04":
        raise WordError("not a .docx (a .docx is a zip archive; this file does not start like one)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise WordError(f"a damaged .docx: {exc}") from None
    if len(infos) > MAX_ENTRIES:
        raise WordError(f"{len(infos):,} parts in the archive (a Word document has tens): refused")
    if any(i.flag_bits & 0x1 for i in infos):
        raise WordError("an encrypted zip: remove the password and import again")
    total = sum(i.file_size for i in infos)
    bomb = next((i for i in infos
                 if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)), None)
    if total > MAX_UNPACKED or bomb is not None:
        what = f"{bomb.filename} unpacks {bomb.file_size // max(bomb.compress_size, 1):,} times its size" if bomb \
            else f"its parts unpack to {total:,} bytes"
        raise WordError(f"refused as a zip bomb: {what}")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise WordError("a zip archive, but not a Word document (it has no word/document.xml)")


def read(data: bytes) -> WordDocument:
    """The body of a .docx, in reading order; WordError when it cannot or must not be read."""
    check_package(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds for a broken package; all mean the same here
        raise WordError(f"cannot be read as a Word document ({type(exc).__name__}: {exc})") from None
    return _Walker(document).walk()


class _Walker:
    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.number = 0
        self.open: dict[str, str] = {}  # bookmark id -> name, while its range is open
        self.notes: list[tuple[int, str]] = []
        self.formats = _list_formats(document)
        # python-docx looks a style up by scanning every style, per run; a document has a few dozen.
        self.styles: dict[str, Any] = {}
        self.default_paragraph: Any = None
        for style in document.styles:
            self.styles[style.style_id] = style
            if style.element.default and style.type == 1:  # WD_STYLE_TYPE.PARAGRAPH
                self.default_paragraph = style

    def paragraph_style(self, p: Paragraph) -> Any:
        return self.styles.get(p._p.style or "", self.default_paragraph) if p._p.style else self.default_paragraph

    def walk(self) -> WordDocument:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        body = self.document.element.body
        tracked = body.find(f".//{_W}ins") is not None or body.find(f".//{_W}del") is not None
        out: list[WordParagraph | WordTable] = []
        for element in _blocks(body):
            if element.tag == f"{_W}p":
                paragraph = self.paragraph(Paragraph(element, self.document._body))
                if paragraph is not None:
                    out.append(paragraph)
            elif element.tag == f"{_W}tbl":
                out.append(self.table(Table(element, self.document._body)))
            if tracked and (element.find(f".//{_W}ins") is not None or element.find(f".//{_W}del") is not None):
                raise WordError("the document has tracked changes: accept or reject them in Word first (an import "
                                "reads one text, not two)", self.number)
        title = (self.document.core_properties.title or "").strip()
        return WordDocument(title, tuple(out), tuple(self.notes))

    def marks(self, element: Any) -> tuple[str, ...]:
        """The policyctl bookmarks whose range covers ``element`` (opened before it or inside it)."""
        names = dict(self.open)
        for mark in element.iter(f"{_W}bookmarkStart", f"{_W}bookmarkEnd"):
            key = mark.get(f"{_W}id", "")
            if mark.tag == f"{_W}bookmarkStart" and mark.get(f"{_W}name", "").startswith(BOOKMARK_PREFIX):
                self.open[key] = names[key] = mark.get(f"{_W}name")
            elif mark.tag == f"{_W}bookmarkEnd":
                self.open.pop(key, None)
        return tuple(dict.fromkeys(names.values()))

    def paragraph(self, p: Paragraph) -> WordParagraph | None:
        self.number += 1
        marks = self.marks(p._p)
        runs = tuple(self.runs(p))
        if not "".join(r.text for r in runs).strip():
            return None
        found = self.paragraph_style(p)
        style = (found.name or "").lower() if found is not None else ""
        outline = p._p.xpath("./w:pPr/w:outlineLvl/@w:val")
        heading = re.match(r"heading (\d)$", style)
        if style == "title":
            return WordParagraph("title", runs, self.number, 0, bookmarks=marks)
        if heading or (outline and outline[0].isdigit() and int(outline[0]) < 9):
            level = int(heading.group(1)) if heading else int(outline[0]) + 1
            return WordParagraph("heading", runs, self.number, level, bookmarks=marks)
        listed = self.list_level(p, style)
        if listed is not None:
            return WordParagraph("item", runs, self.number, listed[0], listed[1], marks)
        return WordParagraph("paragraph", runs, self.number, bookmarks=marks, quote="quote" in style)

    def list_level(self, p: Paragraph, style: str) -> tuple[int, bool] | None:
        """(depth, ordered) of a list item: its own numbering, else a named list style, else its style's numbering."""
        num = p._p.xpath("./w:pPr/w:numPr")
        m = re.match(r"list (bullet|number)(?: (\d))?$", style)
        if not num and m:
            return int(m.group(2) or 1) - 1, m.group(1) == "number"
        found = self.paragraph_style(p)
        if not num and found is not None:
            num = found.element.xpath("./w:pPr/w:numPr")
        if not num:
            return None
        ilvl = num[0].xpath("./w:ilvl/@w:val")
        num_id = num[0].xpath("./w:numId/@w:val")
        if num_id and num_id[0] == "0":
            return None  # numbering switched off
        level = int(ilvl[0]) if ilvl and ilvl[0].isdigit() else 0
        fmt = self.formats.get((num_id[0] if num_id else "", level), "bullet")
        return min(level, 8), fmt not in ("bullet", "none")

    def runs(self, p: Paragraph) -> Iterator[Run]:
        from docx.text.hyperlink import Hyperlink

        for item in p.iter_inner_content():
            if isinstance(item, Hyperlink):
                href = item.url if item.address else ""
                for run in item.runs:
                    yield self.run(run, href)
            else:
                yield self.run(item, "")

    def run(self, run: Any, href: str) -> Run:
        if run._r.xpath(".//w:drawing | .//w:pict"):
            self.notes.append((self.number, "an image is not imported (a policy holds text only)"))
        style = self.styles.get(run._r.style) if run._r.style else None
        bold = run.bold if run.bold is not None else bool(style is not None and style.font.bold)
        italic = run.italic if run.italic is not None else bool(style is not None and style.font.italic)
        font = (run.font.name or (style.font.name if style is not None else None) or "").lower()
        code = font in _MONOSPACE or (style is not None and "code" in (style.name or "").lower())
        return Run(run.text.replace("\t", " "), bool(bold), bool(italic), code, href)

    def table(self, table: Any) -> WordTable:
        marks = self.marks(table._tbl)
        rows = []
        for row in table.rows:
            cells: list[tuple[Run, ...]] = []
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue  # a merged cell is listed once per grid column it spans
                seen.add(id(cell._tc))
                runs: list[Run] = []
                for p in cell.paragraphs:
                    self.number += 1
                    runs.extend([*([Run(" ")] if runs else []), *self.runs(p)])
                cells.append(tuple(runs))
            rows.append(tuple(cells))
        return WordTable(tuple(rows), self.number, marks)


def _blocks(body: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, also those inside content controls (w:sdt)."""
    for child in body.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def _list_formats(document: DocxDocument) -> dict[tuple[str, int], str]:
    """(numId, level) -> the number format of that list level (``bullet``, ``decimal``, …)."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for node in numbering.iterchildren(f"{_W}abstractNum"):
        levels = {}
        for lvl in node.iterchildren(f"{_W}lvl"):
            ilvl = lvl.get(f"{_W}ilvl", "0")
            fmt = lvl.find(f"{_W}numFmt")
            levels[int(ilvl) if ilvl.isdigit() else 0] = fmt.get(f"{_W}val", "bullet") if fmt is not None else "bullet"
        abstract[node.get(f"{_W}abstractNumId", "")] = levels
    out: dict[tuple[str, int], str] = {}
    for num in numbering.iterchildren(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        for level, fmt in abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", {}).items():
            out[(num.get(f"{_W}numId", ""), level)] = fmt
    return out
