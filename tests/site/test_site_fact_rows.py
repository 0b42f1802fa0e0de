"""A changed fact is visible to readers: the compare page and the redline PDF show it as the changed
row of its published table, in the reader's locale (issue #13, item 4).

Two releases of the real policy in a real git repository; between them the device identifiers are
kept 18 months instead of 13 (the fact's period and its label, with the ja and de labels updated
as translators would). The site is built with PDFs and read back: the HTML with a parser, the PDF
by its extracted text.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from policykit.model import source_hash
from policykit.site.build import Options, build_site

from ..conftest import GitRepo, copy_project
from .conftest import ReleasedRepo

pytestmark = pytest.mark.slow

SECURITY = "policy/sections/security.yaml"
ROW = "facts.retention.device-identifiers"
LABELS = {  # the label before and after, per locale, and the period as CLDR writes it
    "en": ("Device identifiers: 13 months after your device last contacted our services",
           "Device identifiers: 18 months after your device last contacted our services", "13 months", "18 months"),
    "ja": ("デバイス識別子：お客様のデバイスが当社のサービスに最後に接続した時から13か月間",
           "デバイス識別子：お客様のデバイスが当社のサービスに最後に接続した時から18か月間", "13か月", "18か月"),
    "de": ("Gerätekennungen: 13 Monate nach der letzten Verbindung Ihres Geräts mit unseren Diensten",
           "Gerätekennungen: 18 Monate nach der letzten Verbindung Ihres Geräts mit unseren Diensten",
           "13 Monate", "18 Monate"),
}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


class _Rows(HTMLParser):
    """Each table row of a page by its id: its class and the text of its cells, inserted and deleted marked."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, tuple[str, list[str]]] = {}
        self._row: str | None = None
        self._mark = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("id"):
            self._row = str(a["id"])
            self.rows[self._row] = (str(a.get("class") or ""), [])
        elif self._row and tag in ("td", "th"):
            self.rows[self._row][1].append("")
        elif tag in ("ins", "del"):
            self._mark = "+" if tag == "ins" else "-"

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        elif tag in ("ins", "del"):
            self._mark = ""

    def handle_data(self, data: str) -> None:
        if self._row and self.rows[self._row][1]:
            cells = self.rows[self._row][1]
            cells[-1] += f"[{self._mark}{data}]" if self._mark else data


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    from ..conftest import GIT_ENV

    os.environ.update(GIT_ENV)
    path = copy_project(tmp_path_factory.mktemp("facts") / "repo")
    repo = ReleasedRepo(GitRepo(path), path, [])
    repo.release("1.0.0", "initial", "2026-11-01", "2026-11-01", {"en": "The policy.", "ja": "ポリシー。",
                                                                   "de": "Die Richtlinie."})
    section = path / SECURITY
    _replace(section, "      period: P13M\n      from: last-activity", "      period: P18M\n      from: last-activity")
    _replace(section, LABELS["en"][0], LABELS["en"][1])
    for tag in ("ja", "de"):
        _replace(path / f"locales/{tag}/security.yaml", LABELS[tag][0], LABELS[tag][1])
        _replace(path / f"locales/{tag}/security.yaml", source_hash(LABELS["en"][0]), source_hash(LABELS["en"][1]))
    repo.release("1.1.0", "significant", "2026-12-01", "2027-01-01", {"en": "Device identifiers are kept longer.",
                                                                       "ja": "保存期間の延長。", "de": "Länger."})
    out = path / "build/site"
    build_site(path, Options(out=out, today=dt.date(2027, 2, 1), workers=0))
    return out


UNITS = {"en": "months", "ja": "か月", "de": "Monate"}  # CLDR's long unit for a number of months
BASIS = {"en": "A fixed period", "ja": "一定の期間", "de": "Eine feste Frist"}  # the vocabulary's words for `fixed`


@pytest.mark.parametrize("tag", ["en", "ja", "de"])
def test_the_compare_page_shows_the_changed_fact_as_its_changed_row(site: Path, tag: str) -> None:
    page = site / tag / "compare" / "1.0.0...1.1.0" / "index.html"
    parser = _Rows()
    parser.feed(page.read_text("utf-8"))
    state, cells = parser.rows[ROW]
    label, basis, period = (" ".join(c.split()) for c in cells[:3])
    assert state == "changed"
    # The label in the reader's language with the old figure deleted and the new inserted; the basis
    # unchanged; the period as CLDR writes it in that language, marked the same way.
    assert label == LABELS[tag][1].replace("18", "[-13][+18]", 1)
    assert basis == BASIS[tag]
    assert period == f"[-13][+18] {UNITS[tag]}"
    # The other rows of the table are unchanged.
    others = [rid for rid in parser.rows if rid.startswith("facts.retention.") and rid != ROW]
    assert len(others) == 6 and all(parser.rows[r][0] == "same" for r in others)


@pytest.mark.parametrize("tag", ["en", "ja"])
def test_the_redline_pdf_shows_the_row_with_both_figures_in_the_readers_language(site: Path, tag: str) -> None:
    pdf = site / tag / "compare" / "1.0.0...1.1.0" / "redline.pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(pdf).pages))
    # The row as the PDF reads: the label (old and new figure side by side), the basis, the period.
    label = re.sub(r"\s+", "", LABELS[tag][1]).replace("18", "1318", 1)
    assert f"{label}{BASIS[tag].replace(' ', '')}1318{UNITS[tag]}" in text
