"""Links inside the policy work where readers follow them: in the HTML and the PDF of every locale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from policykit.cli import main
from policykit.model import source_hash

from ..messages.cases import INTRO, edit, translated

LINKED = ("handles your personal information ([ask us](#contact.privacy-contact), "
          "[table](#facts.contacts.privacy-contact)).")


def _pdf_links(path: Path) -> list[str]:
    reader = PdfReader(path)
    out = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/Dest") is not None:
                out.append(str(obj["/Dest"]))
    return out


@pytest.mark.slow
def test_links_inside_the_policy_work_in_html_and_pdf_in_every_locale(tmp_path: Path) -> None:
    root = translated(tmp_path)
    edit(root, INTRO, "handles your personal information.", LINKED)
    german = root / "locales/de/introduction.yaml"
    data = json.loads(german.read_text("utf-8"))
    source = (root / INTRO).read_text("utf-8").split("text: |\n", 1)[1]
    text = "\n".join(line[6:] for line in source.splitlines()) + "\n"
    data["blocks"]["scope"] = {"text": "DE Fragen: [fragen Sie uns](#contact.privacy-contact), "
                                       "[Tabelle](#facts.contacts.privacy-contact).",
                               "source_hash": source_hash(text)}
    german.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["-C", str(root), "validate"]) == 0
    assert main(["-C", str(root), "build", "--format", "html,pdf"]) == 0
    for tag in ("en", "de"):
        html = (root / f"build/site/{tag}/index.html").read_text("utf-8")
        for target in ("contact.privacy-contact", "facts.contacts.privacy-contact"):
            assert f'href="#{target}"' in html and f'id="{target}"' in html
        pdf = next((root / f"build/site/{tag}").glob("*.pdf"))
        assert {"contact.privacy-contact", "facts.contacts.privacy-contact"} <= set(_pdf_links(pdf))
