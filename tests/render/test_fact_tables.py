"""Every fact of the real policy is published with its regulated attributes, in every locale.

The text is read back from the built HTML (parsed, tags dropped) and PDF (pypdf), never
from the templates: a fact counts as published only when a reader could find it.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from policykit.localise import localise
from policykit.model import Policy

pytestmark = pytest.mark.slow

LOCALES = ("en", "ja", "de")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def squash(text: str) -> str:
    # PDF text extraction breaks lines (and CJK spacing) anywhere: compare without white space.
    return re.sub(r"\s+", "", text)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    return squash("".join(parser.parts))


def pdf_text(path: Path) -> str:
    return squash("".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.mark.parametrize("tag", LOCALES)
def test_every_fact_label_and_attribute_is_in_the_html_and_the_pdf(site: Path, real_policy: Policy, tag: str) -> None:
    localised = localise(real_policy, tag)
    texts = {"html": html_text(site / tag / "index.html"), "pdf": pdf_text(site / tag / "privacy-policy.pdf")}
    checked = 0
    for section in localised.sections:
        for items in section.facts.values():
            for item in items:
                wanted = [item.label.value, *(v.text.value for c in item.cells for v in c.values)]
                for fmt, text in texts.items():
                    for value in wanted:
                        assert squash(value) in text, (fmt, tag, item.anchor, value)
                checked += 1
    assert checked == sum(1 for _ in real_policy.facts())


@pytest.mark.parametrize(("tag", "words"), [
    # Written by hand from the policy's facts: what a reader of each language must find.
    ("en", ["Our cloud hosting provider", "Processor, acting on our behalf", "Germany", "13 months", "30 days",
            "When you delete your account", "Standard contractual clauses", "China and Singapore",
            "https://eur-lex.europa.eu/eli/dec_impl/2019/419/oj", "PrivacyJP@huawei.com", "18",
            "The legal representative of Huawei Technologies Co., Ltd.", "Huawei Industrial Base"]),
    ("ja", ["ドイツ", "13 か月", "30 日", "中国、シンガポール", "標準契約条項", "十分性認定", "dpo-jp@huawei.com"]),
    ("de", ["Deutschland", "13 Monate", "30 Tage", "10 Jahre", "China und Singapur", "Standardvertragsklauseln",
            "Angemessenheitsbeschluss", "Auftragsverarbeiter", "eu-representative@huawei.com"]),
])
def test_the_regulated_attributes_read_as_their_language_writes_them(site: Path, tag: str, words: list[str]) -> None:
    html, pdf = html_text(site / tag / "index.html"), pdf_text(site / tag / "privacy-policy.pdf")
    for word in words:
        assert squash(word) in html, (tag, word)
        assert squash(word) in pdf, (tag, word)


def test_tables_have_captions_and_header_cells(site: Path) -> None:
    page = (site / "de" / "index.html").read_text("utf-8")
    tables = re.findall(r"<table class=\"facts facts-(\w+)\">(.*?)</table>", page, re.S)
    kinds = {kind for kind, _ in tables}
    assert {"recipients", "transfers", "retention", "contacts", "tracking", "rights", "age_limits"} <= kinds
    for _, body in tables:
        assert "<caption" in body and '<th scope="col"' in body and '<th scope="row"' in body


def test_json_carries_each_attribute_in_words_with_its_links(site: Path) -> None:
    data = json.loads((site / "de" / "privacy-policy.json").read_text("utf-8"))
    transfers = next(s for s in data["sections"] if s["id"] == "transfers")
    scc = next(f for f in transfers["facts"]["transfers"] if f["id"] == "standard-contractual-clauses")
    assert scc["attributes"]["countries"] == ["CN", "SG"]
    assert [v["value"] for v in scc["shown"]["countries"]] == ["China und Singapur"]
    assert scc["shown"]["copy"][0]["href"] == "#facts.contacts.privacy-office"
    assert scc["shown"]["copy"][1] == {"value": "PrivacyJP@huawei.com", "lang": "de", "fallback": False,
                                       "stale": False, "href": "mailto:PrivacyJP@huawei.com"}
    table = next(b for b in transfers["blocks"] if b.get("list") == "transfers")
    assert [c["attribute"] for c in table["columns"]] == ["label", "mechanism", "countries", "copy"]
