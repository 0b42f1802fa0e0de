"""The PDFs, read back with pypdf: text per locale, fonts, metadata, tags, bookmarks,
and the loud failure when no installed font covers a locale's text."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from policykit.errors import RenderError
from policykit.localise import localise
from policykit.model import Policy

pytestmark = pytest.mark.slow

A4 = (595.276, 841.89)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_of(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages use → whether its program is embedded."""
    out: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor: Any = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)
            descriptor = descriptor["/FontDescriptor"].get_object()
            out[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def test_pdf_text_has_every_section_title_in_its_locale(site: Path, real_policy: Policy) -> None:
    for tag in real_policy.all_locales:
        localised = localise(real_policy, tag)
        reader = PdfReader(site / tag / "privacy-policy.pdf")
        text = squash("".join(page.extract_text() for page in reader.pages))
        assert squash(localised.title.value) in text, tag
        for section in localised.sections:
            assert squash(section.title.value) in text, (tag, section.title.value)


def test_japanese_pdf_has_japanese_text_in_a_japanese_font(site: Path, real_policy: Policy) -> None:
    reader = PdfReader(site / "ja" / "privacy-policy.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    title = real_policy.translations["ja"].sections["collection"].title
    assert title is not None and any("\u3040" <= c <= "\u30ff" for c in title.text)  # kana: really Japanese
    assert squash(title.text) in squash(text)
    assert "最終更新日：2026年12月7日" in squash(text)
    assert any("IPAex" in name or "CJK-JP" in name or "CJKjp" in name for name in fonts_of(reader))


def test_every_font_is_embedded(site: Path, real_policy: Policy) -> None:
    for tag in real_policy.all_locales:
        fonts = fonts_of(PdfReader(site / tag / "privacy-policy.pdf"))
        assert fonts and all(fonts.values()), (tag, fonts)


def test_metadata_tags_bookmarks_and_page_size(site: Path, real_policy: Policy) -> None:
    for tag in ("en", "ja"):
        localised = localise(real_policy, tag)
        reader = PdfReader(site / tag / "privacy-policy.pdf")
        # The title and what version it is (a draft here: the work tree), as the HTML <title> says.
        draft = {"en": "Draft", "ja": "草案"}[tag]
        assert reader.metadata is not None and reader.metadata.title == f"{localised.title.value} · {draft}"
        root = reader.trailer["/Root"]
        assert root["/Lang"] == tag
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged
        assert "CreationDate" not in str(reader.metadata)  # no build time
        assert reader.metadata.get("/ModDate") == "D:20261207"  # last_updated, from the source
        outline = [item.title for item in reader.outline if not isinstance(item, list)]
        for section in localised.sections:
            assert section.title.value in outline
        assert len(reader.pages) > 2
        box = reader.pages[0].mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (round(A4[0], 1), round(A4[1], 1))


def test_toc_and_running_header_show_page_numbers_and_version(site: Path) -> None:
    reader = PdfReader(site / "en" / "privacy-policy.pdf")
    first = reader.pages[0].extract_text()
    assert re.search(r"Introduction\s*\.{5,}\s*2", first)
    second = reader.pages[1].extract_text()
    assert "Privacy Policy" in second and "Draft" in second and f"2 / {len(reader.pages)}" in second


def dejavu_only_fontconfig(tmp_path: Path) -> Path:
    """A fontconfig set-up that sees one Latin font folder: a machine without CJK fonts."""
    dejavu = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True,
                            check=True).stdout
    assert "DejaVu" in dejavu, "this test needs fonts-dejavu-core (system-packages.txt)"
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{Path(dejavu).parent}</dir>
  <cachedir>{tmp_path / "fc-cache"}</cachedir>
</fontconfig>
""", "utf-8")
    return conf


def test_locale_without_a_covering_font_fails_with_locale_characters_and_fix(
    real_policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykit.render.pdf import render_pdf

    monkeypatch.setenv("FONTCONFIG_FILE", str(dejavu_only_fontconfig(tmp_path)))
    with pytest.raises(RenderError) as caught:
        render_pdf(localise(real_policy, "ja"))
    message = str(caught.value)
    assert message.startswith("locale ja: no installed font has a glyph for ")
    assert "(U+30" in message  # katakana, named by code point
    assert "apt-get install fonts-ipaexfont" in message and "make setup" in message
