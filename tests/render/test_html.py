"""The HTML page: self-contained, accessible, localised chrome, safe text, RTL."""

from __future__ import annotations

import dataclasses
import itertools
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from policykit.errors import InvalidPolicy
from policykit.load import FileSource, read_project
from policykit.load.project import load_policy
from policykit.localise import localise
from policykit.model import Block, Policy
from policykit.render.html import Links, alternates, render_html


class Page(HTMLParser):
    """What a test needs to know about a page: elements with their attributes, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag]

    @property
    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.elements if "id" in a]


def test_every_locale_renders_with_lang_and_dir(real_policy: Policy) -> None:
    for tag in real_policy.all_locales:
        page = Page(render_html(localise(real_policy, tag)))
        assert page.all("html") == [{"lang": tag, "dir": "ltr"}], tag
        assert page.all("title") and page.all("h1")


def test_landmarks_skip_link_toc_and_headings_in_order(real_policy: Policy) -> None:
    page = Page(render_html(localise(real_policy, "en")))
    tags = [t for t, _ in page.elements]
    for landmark in ("header", "nav", "main"):
        assert landmark in tags
    skip = page.all("a")[0]
    assert skip["class"] == "skip-link" and skip["href"].lstrip("#") in page.ids
    levels = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    nav = tags.index("nav")
    toc = [a["href"] for t, a in page.elements[nav:tags.index("main")] if t == "a"]
    assert toc == [f"#{s.id}" for s in real_policy.sections]
    # Links inside the text (a fact's cell naming another fact) go to an element of the page.
    inner = [a["href"][1:] for a in page.all("a") if a["href"].startswith("#")]
    assert set(inner) <= set(page.ids)


def test_every_section_block_and_listed_fact_is_addressable_once(real_policy: Policy) -> None:
    page = Page(render_html(localise(real_policy, "ja")))
    ids = page.ids
    assert len(ids) == len(set(ids)), "duplicate ids"
    for section in real_policy.sections:
        assert section.id in ids
        for block in section.blocks:
            assert f"{section.id}.{block.id}" in ids
            if block.list:
                assert all(item.path in ids for item in section.facts[block.list])


@pytest.mark.parametrize(("tag", "shown", "chrome"), [
    ("en", "December 7, 2026", "Last updated: "),
    ("ja", "2026年12月7日", "最終更新日："),
    ("de", "7. Dezember 2026", "Stand: "),
    ("zh-Hans", "2026年12月7日", "最后更新："),
])
def test_last_updated_is_a_cldr_date_in_a_time_element(real_policy: Policy, tag: str, shown: str,
                                                        chrome: str) -> None:
    html = render_html(localise(real_policy, tag))
    assert f'{chrome}<time datetime="2026-12-07">{shown}</time>' in html


def test_draft_marker_until_there_is_a_version(real_policy: Policy) -> None:
    ja = localise(real_policy, "ja")
    assert '<span class="version draft">草案</span>' in render_html(ja)
    released = render_html(dataclasses.replace(ja, version="2018.05"))
    assert "バージョン 2018.05" in released and "草案" not in released


def test_page_is_self_contained(real_policy: Policy) -> None:
    html = render_html(localise(real_policy, "zh-Hans"),
                       links=Links(alternates(real_policy.all_locales, "zh-Hans"), pdf="privacy-policy.pdf"))
    page = Page(html)
    tags = {t for t, _ in page.elements}
    assert not tags & {"script", "img", "iframe", "object", "embed"}
    assert not any("src" in a for _, a in page.elements)
    assert not [a for a in page.all("link") if a.get("rel") != "alternate"]
    style = html[html.index("<style>"):html.index("</style>")]
    assert "url(" not in style and "@import" not in style


def test_fallback_blocks_are_marked_with_their_language(real_policy: Policy) -> None:
    zh = localise(real_policy, "zh-Hans")
    html = render_html(zh)
    untranslated = next(s for s in zh.sections if s.fallback_lang == "en")
    assert re.search(rf'<section id="{untranslated.id}" class="policy-section fallback"', html)
    assert f'<h2 id="_title-{untranslated.id}" lang="en">{untranslated.title.value}</h2>' in html
    assert "本节尚未翻译，现以英语显示。" in html
    translated = next(s for s in zh.sections if s.fallback_lang is None)
    assert f'<section id="{translated.id}" class="policy-section" ' in html


def test_script_and_javascript_links_are_rejected_by_validation(project: Path) -> None:
    path = project / "policy/sections/minors.yaml"
    text = path.read_text("utf-8")
    evil = r"\1      <script>alert(1)</script>\n\n      [click](javascript:alert(1))\n\n"
    path.write_text(re.sub(r"(\n    text: \|\n)", evil, text, count=1), "utf-8")
    with pytest.raises(InvalidPolicy) as caught:
        load_policy(project)
    messages = "\n".join(str(d) for d in caught.value.diagnostics)
    assert "policy/sections/minors.yaml:" in messages
    assert "raw HTML is not allowed" in messages and "javascript" in messages


def test_script_and_javascript_links_render_inert_even_unvalidated(project: Path) -> None:
    policy = read_project(FileSource(project)).policy
    assert policy is not None
    evil = "<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    first = policy.sections[0]
    sections = (dataclasses.replace(first, blocks=(Block("evil", text=evil), *first.blocks)), *policy.sections[1:])
    html = render_html(localise(dataclasses.replace(policy, sections=sections), "en"))
    body = html[html.index("<body>"):]
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert not re.search(r'href="\s*javascript:', body, re.I)


def test_rtl_locale_renders_rtl_and_keeps_fallback_text_ltr(rtl_project: Path) -> None:
    policy = load_policy(rtl_project)
    html = render_html(localise(policy, "ar"))
    assert '<html lang="ar" dir="rtl">' in html
    assert '<h2 id="_title-introduction">مقدمة</h2>' in html
    assert '<div class="text" lang="en" dir="ltr">' in html
    assert "inline-start" in html  # the stylesheet mirrors with logical properties


def _template_msgids() -> set[str]:
    from babel.messages.extract import extract

    ids: set[str] = set()
    for template in resources.files("policykit.render").joinpath("templates").iterdir():  # the page and its parts
        with template.open("rb") as fp:
            found = extract("jinja2.ext:babel_extract", fp, options={"extensions": "jinja2.ext.i18n"})
            ids |= {m[1] if isinstance(m[1], str) else m[1][0] for m in found}
    return ids


def test_chrome_catalogs_translate_every_template_string() -> None:
    from babel.messages.pofile import read_po

    from policykit.render.chrome import catalog_tags

    wanted = _template_msgids()
    assert "Contents" in wanted and len(wanted) >= 8
    messages = resources.files("policykit.render").joinpath("messages")
    with messages.joinpath("messages.pot").open("rb") as fp:
        assert {m.id for m in read_po(fp) if m.id} == wanted, "messages.pot is out of date (see docs/rendering.md)"
    assert {"ja", "de", "zh-Hans"} <= set(catalog_tags())
    for tag in catalog_tags():
        with messages.joinpath(f"{tag}.po").open("rb") as fp:
            catalog = read_po(fp)
        translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        assert wanted <= translated, f"{tag}.po lacks {sorted(wanted - translated)}"
        for m in catalog:
            if m.id:
                assert re.findall(r"%\(\w+\)s", str(m.id)) == re.findall(r"%\(\w+\)s", str(m.string)), (tag, m.id)


def test_one_template_serves_every_locale_with_its_own_chrome(real_policy: Policy) -> None:
    # The page template is loaded once per process; each render passes its locale's catalog.
    # Interleaved locales must not see each other's words.
    from policykit.render.chrome import translations

    order = ["ja", "de", "en", "ja", "zh-Hans", "de", "fr", "ja"]  # fr: no catalog, English chrome
    contents = {tag: translations(tag).gettext("Contents") for tag in set(order)}
    assert len(set(contents.values())) == 4  # ja, de, zh-Hans and English all differ
    for tag in order:
        html = render_html(localise(real_policy, tag))
        assert re.findall(r'<h2 id="_toc-title">(.*?)</h2>', html) == [contents[tag]], tag
        skip = translations(tag).gettext("Skip to content")
        assert f'href="#_main">{skip}</a>' in html, tag


def test_a_section_rendered_before_is_reused_only_for_the_same_text_and_locale(real_policy: Policy) -> None:
    # Sections are remembered between renders (a site renders many versions); a changed block,
    # another locale or another direction must render afresh.
    from policykit.render.chrome import translations

    zh = localise(real_policy, "zh-Hans")  # partial: some sections fall back to English
    fallback = next(s for s in zh.sections if s.fallback_lang)
    first = render_html(zh)
    note = translations("zh-Hans").gettext("This section is not yet translated; it is shown in %(language)s.")
    assert note.split("%")[0] in first
    block = fallback.blocks[0]
    assert block.text is not None
    changed = dataclasses.replace(block, text=dataclasses.replace(block.text, value="A *new* sentence."))
    edited = dataclasses.replace(zh, sections=tuple(
        dataclasses.replace(s, blocks=(changed, *s.blocks[1:])) if s is fallback else s for s in zh.sections))
    again = render_html(edited)
    assert "A <em>new</em> sentence." in again and "A <em>new</em> sentence." not in first
    assert render_html(zh) == first  # and the old text comes back unchanged
    ja = render_html(localise(real_policy, "ja"))
    assert note.split("%")[0] not in ja
