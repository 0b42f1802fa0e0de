"""policyctl import of Word files: one made here with python-docx, one LibreOffice made; bad .docx files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from policykit.cli import main
from policykit.load.project import load_policy

from .libreoffice import to_docx


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _link(paragraph: docx.text.paragraph.Paragraph, text: str, url: str) -> None:
    """A hyperlink as Word writes one (python-docx has no call for it)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def word_file() -> bytes:
    d = docx.Document()
    d.add_paragraph("Acme Privacy Policy", style="Title")
    d.add_paragraph("Acme Ltd. explains here how it handles your data.")
    d.add_heading("What we collect", level=1)
    p = d.add_paragraph("We collect ")
    p.add_run("only").bold = True
    p.add_run(" what we need; see our ")
    _link(p, "terms", "https://acme.example/terms")
    p.add_run(".")
    d.add_paragraph("your name", style="List Bullet")
    d.add_paragraph("your address", style="List Bullet")
    d.add_paragraph("the street", style="List Bullet 2")
    d.add_heading("How long we keep it", level=1)
    d.add_paragraph("Receipts", style="List Number")
    d.add_paragraph("Accounts", style="List Number")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Data", (0, 1): "Kept for", (1, 0): "Orders", (1, 1): "6 years"}.items():
        table.cell(r, c).text = text
    d.add_heading("Cookies", level=2)
    d.add_paragraph("We use no cookies.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_a_word_file_imports_with_headings_lists_tables_and_links(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "policy.docx"
    source.write_bytes(word_file())
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source), "--controller", "Acme Ltd.")
    assert code == 0, err
    policy = load_policy(project)
    assert policy.title == "Acme Privacy Policy"
    assert [(s.id, s.title) for s in policy.sections] == [
        ("acme-privacy-policy", "Acme Privacy Policy"), ("what-we-collect", "What we collect"),
        ("how-long-we-keep-it", "How long we keep it")]
    blocks = {f"{s.id}.{b.id}": b.text for s in policy.sections for b in s.blocks}
    assert blocks == {
        "acme-privacy-policy.acme-ltd-explains-here-how": "Acme Ltd. explains here how it handles your data.\n",
        "what-we-collect.we-collect-only-what-we": "We collect **only** what we need; see our "
                                                  "[terms](https://acme.example/terms).\n",
        "what-we-collect.your-name": "- your name\n- your address\n  - the street\n",
        "how-long-we-keep-it.receipts": "1. Receipts\n2. Accounts\n",
        "how-long-we-keep-it.data-kept-for-orders-6": "| Data | Kept for |\n|---|---|\n| Orders | 6 years |\n",
        "how-long-we-keep-it.cookies": "# Cookies\n",
        "how-long-we-keep-it.we-use-no-cookies": "We use no cookies.\n",
    }


def test_a_docx_that_libreoffice_wrote_imports_with_its_structure(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "written-elsewhere.html"
    page.write_text("""<html><body><h1>Beta Privacy Notice</h1><p>Beta GmbH runs this site.</p>
<h2>Data we process</h2><p>We process <b>account</b> data; see <a href="https://beta.example/faq">the FAQ</a>.</p>
<ul><li>e-mail address</li><li>password hash</li></ul>
<h2>Retention</h2><ol><li>Invoices</li><li>Logs</li></ol>
<table border="1"><tr><td>Data</td><td>Period</td></tr><tr><td>Invoices</td><td>10 years</td></tr></table>
</body></html>""", "utf-8")
    made = to_docx(page, tmp_path / "lo")
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(made))
    assert code == 0, err
    policy = load_policy(project)
    assert policy.title == "Beta Privacy Notice"
    assert [s.title for s in policy.sections] == ["Beta Privacy Notice", "Data we process", "Retention"]
    texts = [b.text for s in policy.sections for b in s.blocks]
    assert "We process **account** data; see [the FAQ](https://beta.example/faq).\n" in texts
    assert "- e-mail address\n- password hash\n" in texts
    assert "1. Invoices\n2. Logs\n" in texts
    assert "| Data | Period |\n|---|---|\n| Invoices | 10 years |\n" in texts


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(120):
                entry.write(chunk)
    return out.getvalue()


def _tracked() -> bytes:
    d = docx.Document()
    d.add_heading("Title", 1)
    p = d.add_paragraph("Kept ")
    ins = OxmlElement("w:ins")
    for key, value in (("w:id", "1"), ("w:author", "Counsel"), ("w:date", "2024-01-01T00:00:00Z")):
        ins.set(qn(key), value)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "added"
    run.append(t)
    ins.append(run)
    p._p.append(ins)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
     ":1:1: error: a compound (OLE) file: a password-protected .docx or an old .doc"),
    (lambda: word_file()[:3000], ":1:1: error: a damaged .docx"),
    (lambda: b"plain text pretending", ":1:1: error: not a .docx"),
    (lambda: _zip({"hello.txt": b"hi"}), ":1:1: error: a zip archive, but not a Word document"),
    (_bomb, ":1:1: error: refused as a zip bomb: word/document.xml unpacks"),
    (lambda: _zip({"word/document.xml": b"<not-xml", "[Content_Types].xml": b"<x/>"}),
     ":1:1: error: cannot be read as a Word document"),
    (_tracked, ":2:1: error: the document has tracked changes: accept or reject them in Word first"),
])
def test_a_bad_docx_is_a_clear_error_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        make: object, message: str) -> None:
    source = tmp_path / "bad.docx"
    source.write_bytes(make())  # type: ignore[operator]
    project = tmp_path / "p"
    project.mkdir()
    code, _, err = _run(capsys, "-C", str(project), "import", str(source))
    assert code == 1
    assert f"{source}{message}" in err
    assert list(project.iterdir()) == []
