"""LibreOffice (headless) in the tests: it converts documents, and reads back our redlines.

`to_docx` has LibreOffice write a .docx from an HTML page (a document made by another program).
`read_redline` has LibreOffice open a .docx and save its own model of it as flat ODF, and lists
what LibreOffice found there: each tracked insertion and deletion with its text, each comment
with its text and the changes inside its range, and the document's text with every change
accepted (the body without the deleted runs) or rejected (without the inserted ones).
`resolved_text` has LibreOffice itself accept (or reject) every tracked change, as a reviewer's
"Accept All" in Writer does, and save the result as plain text.

Why not Python UNO: loading a file through UNO (python3-uno) aborts this Debian LibreOffice 7.4
build (`NoSuchElementException` in soffice.bin). `resolved_text` runs a LibreOffice Basic macro
instead, from a user profile made for the test, which works headless.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
T = "{" + NS["text"] + "}"
OFFICE = "{" + NS["office"] + "}"


def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        pytest.fail("LibreOffice is not installed: `make setup` installs libreoffice-writer-nogui "
                    "(system-packages.txt)")
    return path


def convert(source: Path, to: str, out_dir: Path) -> Path:
    """``source`` converted by LibreOffice (``to``: a filter spec such as ``docx`` or ``fodt``)."""
    _run(["--convert-to", to, "--outdir", str(out_dir), str(source)], out_dir / ".lo-profile", out_dir)
    made = out_dir / f"{source.stem}.{to.split(':')[0]}"
    assert made.is_file(), f"LibreOffice made no {made.name}"
    return made


def _run(args: list[str], profile: Path, home: Path) -> None:
    cmd = [soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180, stdin=subprocess.DEVNULL,
                   env={**os.environ, "HOME": str(home)})


# Open a file hidden, run one of Writer's commands on it, save it as UTF-8 text.
_BASIC = """Sub Resolve(source As String, command As String, target As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = "Hidden"
  hidden(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, hidden())
  helper = createUnoService("com.sun.star.frame.DispatchHelper")
  helper.executeDispatch(doc.CurrentController.Frame, command, "", 0, Array())
  Dim text(1) As New com.sun.star.beans.PropertyValue
  text(0).Name = "FilterName"
  text(0).Value = "Text (encoded)"
  text(1).Name = "FilterOptions"
  text(1).Value = "UTF8,LF"
  doc.storeToURL(ConvertToURL(target), text())
  doc.close(True)
End Sub
"""
_MODULE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
           '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Redline" '
           'script:language="StarBasic">' + escape(_BASIC, {'"': "&quot;"}) + "</script:module>\n")


def _macro_profile(out_dir: Path) -> Path:
    """A LibreOffice user profile whose Standard library holds the module ``Redline``.

    LibreOffice writes a new profile's Basic libraries on its first start, so the profile is made
    first and the module is added to it afterwards.
    """
    profile = out_dir / ".lo-macro-profile"
    if not (profile / "user/basic/Standard/Redline.xba").is_file():
        _run(["--terminate_after_init"], profile, out_dir)
        library = profile / "user/basic/Standard"
        (library / "Redline.xba").write_text(_MODULE, "utf-8")
        index = (library / "script.xlb").read_text("utf-8")
        element = '<library:element library:name="Redline"/>'
        (library / "script.xlb").write_text(index.replace("</library:library>", f" {element}\n</library:library>"),
                                            "utf-8")
    return profile


def resolved_text(docx: Path, out_dir: Path, *, accept: bool = True) -> list[str]:
    """The paragraphs of ``docx`` after LibreOffice accepts (or rejects) every tracked change."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = ".uno:AcceptAllTrackedChanges" if accept else ".uno:RejectAllTrackedChanges"
    target = out_dir / f"{docx.stem}-{'accepted' if accept else 'rejected'}.txt"
    _run([f'macro:///Standard.Redline.Resolve("{docx}","{command}","{target}")'], _macro_profile(out_dir), out_dir)
    assert target.is_file(), f"LibreOffice's macro wrote no {target.name}"
    lines = (re.sub(r"\s+", " ", line).strip() for line in target.read_text("utf-8-sig").splitlines())
    return [line for line in lines if line]


def to_docx(source: Path, out_dir: Path) -> Path:
    return convert(source, "docx:MS Word 2007 XML", out_dir)


@dataclass
class Revision:
    kind: str  # "insertion" or "deletion"
    text: str = ""
    comments: tuple[str, ...] = ()


@dataclass
class Redline:
    revisions: list[Revision] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)  # annotation name -> its text
    accepted: list[str] = field(default_factory=list)  # paragraphs, every change accepted
    rejected: list[str] = field(default_factory=list)


def read_redline(docx: Path, out_dir: Path) -> Redline:
    flat = convert(docx, "fodt", out_dir)
    body = ET.parse(flat).getroot().find("office:body/office:text", NS)
    assert body is not None
    return _Reader(body).read()


class _Reader:
    def __init__(self, body: ET.Element) -> None:
        self.body = body
        self.parents = {id(child): parent for parent in body.iter() for child in parent}
        self.kinds: dict[str, str] = {}
        self.old_style: dict[str, str] = {}  # deletions kept inside their region (older ODF form)
        for region in body.iterfind("text:tracked-changes/text:changed-region", NS):
            change = next(iter(region), None)
            if change is not None:
                rid = region.get(f"{T}id") or ""
                self.kinds[rid] = change.tag.removeprefix(T)
                self.old_style[rid] = " ".join("".join(p.itertext()) for p in change.iterfind("text:p", NS))
        self.open: set[str] = set()
        self.notes: set[str] = set()
        self.red = Redline()

    def read(self) -> Redline:
        texts: dict[str, list[str]] = {rid: [] for rid in self.kinds}
        inside: dict[str, set[str]] = {rid: set() for rid in self.kinds}
        for paragraph in self._paragraphs():
            accepted, rejected = [], []
            for piece in self._walk(paragraph):
                kinds = {self.kinds.get(c) for c in self.open}
                for c in self.open:
                    texts.setdefault(c, []).append(piece)
                    inside.setdefault(c, set()).update(self.notes)
                if "deletion" not in kinds:
                    accepted.append(piece)
                if "insertion" not in kinds:
                    rejected.append(piece)
            for value, out in ((accepted, self.red.accepted), (rejected, self.red.rejected)):
                line = re.sub(r"\s+", " ", "".join(value)).strip()
                if line:
                    out.append(line)
        for rid, kind in self.kinds.items():
            text = "".join(texts[rid]) or self.old_style.get(rid, "")
            self.red.revisions.append(Revision(kind, text, tuple(sorted(inside[rid]))))
        return self.red

    def _paragraphs(self) -> Iterator[ET.Element]:
        for element in self.body.iter():
            if element.tag in (f"{T}p", f"{T}h") and not self._inside(element, (f"{OFFICE}annotation",
                                                                                 f"{T}tracked-changes")):
                yield element

    def _inside(self, element: ET.Element, tags: tuple[str, ...]) -> bool:
        node = self.parents.get(id(element))
        while node is not None:
            if node.tag in tags:
                return True
            node = self.parents.get(id(node))
        return False

    def _walk(self, element: ET.Element) -> Iterator[str]:
        """The text of a paragraph in pieces; ``open`` and ``notes`` say which changes and comments are open."""
        if element.text:
            yield element.text
        for child in element:
            tag = child.tag
            if tag == f"{T}change-start":
                self.open.add(child.get(f"{T}change-id") or "")
            elif tag == f"{T}change-end":
                self.open.discard(child.get(f"{T}change-id") or "")
            elif tag == f"{OFFICE}annotation":
                name = child.get(f"{OFFICE}name") or ""
                self.red.comments[name] = "\n".join("".join(p.itertext()) for p in child.iterfind("text:p", NS))
                self.notes.add(name)
            elif tag == f"{OFFICE}annotation-end":
                self.notes.discard(child.get(f"{OFFICE}name") or "")
            elif tag == f"{T}s":
                yield " " * int(child.get(f"{T}c") or 1)
            elif tag in (f"{T}tab", f"{T}line-break"):
                yield " "
            elif tag not in (f"{T}p", f"{T}h", f"{T}list", f"{T}change"):
                yield from self._walk(child)
            if child.tail:
                yield child.tail
