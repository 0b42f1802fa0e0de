"""The compare page for readers: the redline first, with reasons in the reader's language; the
editors' part collapsed; emphasis and lists kept; the redline PDF keeps rows whole and prints
the address of the editors' part whole."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

from policykit.site import marked
from policykit.site.build import Options, build_site

PAGE = "compare/1.1.0...2.0.0/index.html"


class _Outline(HTMLParser):
    """The order of the page's landmarks and which text sits inside <details>."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []
        self.details = 0
        self.in_details: list[str] = []
        self.outside: list[str] = []
        self.open_details: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "details":
            self.details += 1
            self.open_details.append("open" in a)
            self.order.append("details." + str(a.get("class")))
        if tag == "section" and a.get("class") == "redline":
            self.order.append("redline")

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self.details -= 1

    def handle_data(self, data: str) -> None:
        (self.in_details if self.details else self.outside).append(data)


def _outline(path: Path) -> _Outline:
    parser = _Outline()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_the_redline_comes_first_and_rules_paths_and_translation_rows_are_for_editors(released: Path) -> None:
    site = released / "build/site"
    build_site(released, Options(out=site, today=dt.date(2027, 2, 10), pdf=False, workers=0))
    for locale, reason in (("en", "What we use your information for has changed."),
                           ("ja", "当社がお客様の情報を利用する目的が変わります。"),
                           ("de", "Wofür wir Ihre Daten verwenden, ändert sich.")):
        page = _outline(site / locale / PAGE)
        assert page.order.index("redline") < page.order.index("details.for-editors")
        assert page.open_details[page.order.index("details.for-editors") - 1] is False  # collapsed
        outside, inside = " ".join(page.outside), " ".join(page.in_details)
        assert reason in outside  # in the reader's language, beside the change
        for internal in ("purpose.added", "facts.purposes.personalised-ads", "retention.changed"):
            assert internal not in outside and internal in inside, (locale, internal)
        assert "A new purpose of processing" not in outside  # the editors' English reason


def test_the_redline_keeps_emphasis_links_and_lists() -> None:
    before = "We collect **your name** and:\n\n- email\n- phone\n\nSee [our notice](https://example.com/n)."
    after = "We collect *your name* and:\n\n- email address\n- phone\n- location\n\nSee [our notice](https://example.com/n)."
    html = marked.compare(before, after)
    assert "<del><strong>your name</strong></del><ins><em>your name</em></ins>" in html  # bold → italic shows
    items = r"<ul>\s*<li>\s*email<ins> address</ins>\s*</li>\s*<li>\s*phone\s*</li>\s*<li>\s*<ins>location</ins>"
    assert re.search(items, html)
    assert '<a href="https://example.com/n">our notice</a>' in html
    # Japanese is compared per character, and a rewritten paragraph is shown whole, struck then new.
    assert marked.compare("当社は情報を保存します。", "当社は情報を13か月保存します。") == (
        "<p>当社は情報を<ins>13か月</ins>保存します。</p>")
    rewritten = marked.compare("We keep the account data that you give us for six years after you leave.",
                               "We keep account data only while your account exists, then delete it within days.")
    assert rewritten == ("<p><del>We keep the account data that you give us for six years after you leave.</del>"
                         "<ins> We keep account data only while your account exists, then delete it within days.</ins>"
                         "</p>")
    replaced = marked.compare("Completely different words.", "Nothing alike remains.")
    assert replaced == "<p><del>Completely different words.</del><ins> Nothing alike remains.</ins></p>"
    # A paragraph added between two kept ones stays a paragraph of its own.
    added = marked.compare("First part.\n\nLast part.", "First part.\n\nA new middle paragraph.\n\nLast part.")
    assert added == "<p>First part.</p>\n<p><ins>A new middle paragraph.</ins></p>\n<p>Last part.</p>"
    # Raw HTML stays text, and an unsafe link is not a link.
    unsafe = marked.compare("a", "<b>x</b> [y](javascript:alert(1))")
    assert "<b>" not in unsafe and "javascript:" not in unsafe.replace("[y](javascript:alert(1))", "")


def test_the_redline_pdf_keeps_rows_whole_and_prints_where_the_editors_part_is(released: Path) -> None:
    """Rows whole on one page; the editors' part (rule ids, paths) is on the web page only, and
    the PDF prints its address whole on one line, as a link."""
    from pypdf import PdfReader

    site = released / "build/site"
    base = "https://privacy.example.com/policy/"
    build_site(released, Options(out=site, today=dt.date(2027, 2, 10), pdf=True, workers=0, base_url=base))
    html = (site / "en" / PAGE).read_text("utf-8")
    editors = html[html.index('<details class="for-editors"'):]
    ids = set(re.findall(r"<code>([a-z][\w.-]+)</code>", editors))
    assert {"purpose.added", "facts.purposes.personalised-ads", "security.retention"} <= ids
    reader = PdfReader(site / "en/compare/1.1.0...2.0.0/redline.pdf")
    pages = [page.extract_text() for page in reader.pages]
    lines = [line.strip() for text in pages for line in text.splitlines()]
    flat_pdf = " ".join(" ".join(pages).split())
    for ident in ids:  # the ids and paths are for editors, on the web page
        assert ident not in flat_pdf, ident
    address = f"{base}en/compare/1.1.0...2.0.0/#_editors"
    assert "For editors: the classification, rule by rule (" in flat_pdf
    assert any(address in line for line in lines), lines[-5:]  # whole on one line, never broken
    links = [a.get_object()["/A"].get("/URI") for page in reader.pages for a in page.get("/Annots") or []
             if a.get_object().get("/A")]
    assert address in links
    # Each row of the purposes table is on one page with every cell of it.
    def flat(text: str) -> str:
        return " ".join(text.split())

    table = html[html.index('id="collection.purposes"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr [^>]*>(.*?)</tr>", table, re.S)
    assert len(rows) > 5
    for row in rows:
        cells = [flat(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        first = next(i for i, text in enumerate(pages) if cells[0][:30] in flat(text))
        assert all(cell[:30] in flat(pages[first]) for cell in cells if cell != "—"), cells
        # The columns' fixed widths (RedBlock.column_shares) never break a word inside.
        tokens = flat(pages[first]).split()
        for word in (w for cell in cells for w in cell.split()):
            assert any(word in token for token in tokens), (word, cells)


def test_printed_columns_are_shared_after_their_widest_text_and_never_narrower_than_a_word() -> None:
    from policykit.site.redline import column_shares

    shares = column_shares([["Technology", "Session cookies, deleted when you close your browser"],
                            ["Type", "Cookie", "Web beacon"], ["Purpose", "Functional"],
                            ["Lifetime", "Until you close your browser"], ["Set by", "Us"]])
    assert abs(sum(shares) - 100) < 0.5
    assert shares[0] == max(shares) and shares[3] > shares[2]  # the widest texts get the most room
    # "Functional" and a cell's padding in 12 of a line's 90 letters: at least 13.3 %.
    assert shares[2] >= 100 * (len("Functional") + 2) / 90 - 0.1
    # Japanese: two columns of long text share the line about evenly; each character is a word.
    ja = column_shares([["種類", "お客様から当社に送信されたメッセージ（お問い合わせなど）"],
                        ["取得元", "お客様からの直接のご提供（ファーウェイアカウントの作成時など）"]])
    assert 40 < ja[0] < 50 < ja[1] < 60
    # More words than a line holds: each column gets its word's share, nothing is left over.
    assert column_shares([["x" * 60], ["y" * 60]]) == (50.0, 50.0)
    assert column_shares([]) == ()


def test_the_redline_pdf_prints_changes_in_full_and_each_unchanged_section_as_one_line(released: Path) -> None:
    """Reader-first on paper: a changed section in full with its marks and reasons, an unchanged
    one as its title and "no changes" (in its place, so a reader keeps their bearings)."""
    import io

    from pypdf import PdfReader

    from policykit.changelog import read_entries
    from policykit.site.cache import Store, template_hash, tool_fingerprint
    from policykit.site.plan import plan_site
    from policykit.site.redline import redline_localised
    from policykit.site.releases import released_versions
    from policykit.site.timeline import timeline
    from policykit.site.workers import compare_html, compare_pdf, localised

    store = Store(released / "build/cache")
    tl = timeline(released_versions(released, store, read_entries(released)), dt.date(2027, 2, 10))
    plan = plan_site(tl, root=str(released), base_url=None, salt=(template_hash(), tool_fingerprint()))
    spec = next(a.spec for a in plan if a.path == "en/compare/1.1.0...2.0.0/redline.pdf")
    sections = redline_localised(localised(spec.a, "en"), localised(spec.b, "en"))
    unchanged = [s for s in sections if not s.changed]
    changed = [s for s in sections if s.changed]
    assert unchanged and changed  # the fixture has both kinds
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(compare_pdf(spec))).pages)
    for s in unchanged:
        title = "".join(t for _, t in s.title)
        assert f"{title} — no changes" in text, title
    for s in changed:
        assert "".join(t for op, t in s.title if op != "-") in text
    # The changed text is there with its marks, and the unchanged one is not printed in full.
    paged = compare_html(spec, paged=True).decode("utf-8")
    inserted = [" ".join(re.sub(r"<[^>]+>", "", t).split()) for t in re.findall(r"<ins>(.*?)</ins>", paged, re.S)]
    assert "<del>" in paged and inserted
    for words in inserted:
        if len(words) > 12:
            assert words[:30] in text, words
    assert "What we use your information for has changed." in text  # the reason beside its change
    # Without a base URL, the editors' part is named by its place in the site.
    assert "is on the web page of this comparison: en/compare/1.1.0...2.0.0/" in text
    for s in unchanged:
        assert f'id="{s.id}"' in paged and f'<section class="policy-section" id="{s.id}"' not in paged


def test_a_short_word_kept_between_two_edits_joins_them() -> None:
    # A word soup ("as~~together~~ … our company~~us~~") reads as two phrases replaced.
    html = marked.compare("hereinafter collectively referred to as the company or our group respect the privacy.",
                          "together the firm or us now respect the privacy.")
    assert "<del>hereinafter collectively referred to as the company or our group</del>" in html
    assert "<ins>together the firm or us now</ins>" in html
    assert html.endswith(" respect the privacy.</p>")
    # A kept run longer than the edits around it stays kept: an edit is never swallowed whole.
    html = marked.compare("We keep your account data for six years after you close it.",
                          "We keep your account data for three years after you close it.")
    assert html == "<p>We keep your account data for <del>six</del><ins>three</ins> years after you close it.</p>"
