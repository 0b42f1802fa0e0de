"""Block text is CommonMark: the only module that imports markdown-it-py.

Rendering never passes raw HTML through (it is escaped) and drops links whose
scheme is not http(s) or mailto and that are not a link inside the policy
(``#<section>``, ``#<section>.<block>``, ``#facts.<kind>.<id>``); :func:`check`
reports both as errors so a policy never depends on that safety net.
:func:`internal_links` lists the links inside the policy, which validation
resolves against the policy's ids.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from policykit.vocabulary import url_problem

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_BROKEN_URL_RE = re.compile(r"\bhttps?:(?:\s+/|/(?!/)|(?!/))", re.IGNORECASE)
_BARE_URL_RE = re.compile(r"\bhttps?://\S+", re.IGNORECASE)
_BARE_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
# A link inside the policy: a section, a block of one, or a row of a fact table (ids as in
# policykit.vocabulary.ID_RE; fact kinds have underscores).
INTERNAL_LINK_RE = re.compile(r"^#[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9_]+(?:-[a-z0-9]+)*){0,2}$")


@dataclass(frozen=True)
class TextFinding:
    """A problem in a text: ``line`` and ``col`` are 0-based offsets into the text."""

    line: int
    col: int
    severity: str
    message: str
    code: str


@dataclass(frozen=True)
class Structure:
    """What a translation must keep of its source: link targets, list items, emphasis."""

    links: tuple[str, ...]
    list_items: int
    emphasis: int

    def differences(self, other: Structure) -> list[str]:
        out = []
        missing = Counter(self.links) - Counter(other.links)
        extra = Counter(other.links) - Counter(self.links)
        if missing:
            out.append(f"link(s) to {', '.join(sorted(missing))} missing")
        if extra:
            out.append(f"link(s) to {', '.join(sorted(extra))} not in the source")
        if self.list_items != other.list_items:
            out.append(f"{other.list_items} list item(s) where the source has {self.list_items}")
        if self.emphasis != other.emphasis:
            out.append(f"{other.emphasis} emphasised span(s) where the source has {self.emphasis}")
        return out


@cache
def _renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")  # GFM tables: kept by `import`

    def validate_link(url: str) -> bool:
        return url.strip().lower().startswith(_SAFE_SCHEMES) or bool(INTERNAL_LINK_RE.match(url))

    md.validateLink = validate_link  # type: ignore[method-assign]
    return md


@cache
def _inspector() -> MarkdownIt:
    """A parser that sees everything (raw HTML, any link) so that check() can report it."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


# Conversions are pure functions of their arguments and return immutable strings, so they
# are remembered here: a site build meets the same block text in every version, locale page
# and format (the page's HTML, the JSON's HTML and plain text), and parsing it once per process
# instead of three times per page is most of a cold build's speed. Bounded, so a long-lived
# process (serve) stays small.
# This module's lru_caches: `validate` takes 1.67 CPU s without them, 1.42 s with; a cold HTML build
# 3.65 s without, 3.47 s with (docs/architecture.md, "Caches").
_MEMO = 16384
# Heading tags in converted HTML (raw HTML is escaped, so "<h1" appears only for a heading).
_HEADING_TAG_RE = re.compile(r"<h[1-6][ >]")


def to_html(text: str, *, heading_offset: int = 0) -> str:
    """Safe HTML for a block's text: raw HTML escaped, unsafe links left as text.

    ``heading_offset`` demotes Markdown headings (``#`` becomes ``h3`` with 2) so a
    block's headings nest under the page's own; levels stop at ``h6``.
    """
    html = _converted(text)[0]
    if heading_offset and _HEADING_TAG_RE.search(html):
        return _demoted(text, heading_offset)
    return html  # no heading: demoting would change nothing


def tokens(text: str) -> list[Token]:
    return _renderer().parse(text)


def source_tokens(text: str) -> list[Token]:
    """Every token of a Markdown file, raw HTML and any link included (for `import`, which reports them)."""
    return _inspector().parse(text)


def to_text(text: str) -> str:
    """Plain text: the words a reader sees, link targets in angle brackets when they differ."""
    return _converted(text)[1]


@lru_cache(maxsize=_MEMO)
def _converted(text: str) -> tuple[str, str]:
    """``(html, plain text)`` of ``text``, from one parse (a page's HTML and its JSON need both)."""
    from markdown_it.common.utils import escapeHtml

    body = _plain_paragraph(text)
    if body is not None:  # what _parsed() gives, without the parse (tests/render/test_markdown_plain.py)
        return f"<p>{escapeHtml(body)}</p>\n", _tidy(body.replace("\n", " ") + "\n")
    return _parsed(text)


def _parsed(text: str) -> tuple[str, str]:
    md = _renderer()
    env: dict[str, object] = {}
    toks = md.parse(text, env)
    return str(md.renderer.render(toks, md.options, env)), _plain(toks)


# Where CommonMark's inline syntax starts (escapes, code, emphasis, links, autolinks, raw HTML,
# entities, strikethrough), and characters that change how lines are read.
_INLINE_SYNTAX_RE = re.compile(r"[\\`*_\[\]<&~\t\r\x00]")


def _plain_paragraph(text: str) -> str | None:
    """The text itself when it is one paragraph of plain words, else None.

    Most block texts are: lines of prose with no Markdown syntax. CommonMark makes such a text
    one paragraph whose lines are joined by soft breaks, its only markup ``<p>`` and HTML
    escapes. Plain means: no character that starts inline syntax (see above); no blank line;
    no line that starts or ends with white space (indented code, hard breaks, trimming); and
    every line starts with a letter or a non-ASCII character, never with an ASCII digit or
    sign, so no line opens a heading, list, quote, fence, rule, link definition or setext
    underline. Anything else goes to markdown-it.
    """
    body = text.rstrip("\n")
    if not body or _INLINE_SYNTAX_RE.search(body):
        return None
    for line in body.split("\n"):
        if not line or line[0].isspace() or line[-1].isspace():
            return None
        if line[0].isascii() and not line[0].isalpha():
            return None
    return body


@lru_cache(maxsize=1024)
def _demoted(text: str, heading_offset: int) -> str:
    md = _renderer()
    env: dict[str, object] = {}
    toks = md.parse(text, env)
    for tok in toks:
        if tok.type in ("heading_open", "heading_close"):
            tok.tag = f"h{min(6, int(tok.tag[1:]) + heading_offset)}"
    return str(md.renderer.render(toks, md.options, env))


def _plain(toks: list[Token]) -> str:
    out: list[str] = []
    for tok in toks:
        if tok.type == "inline" and tok.children is not None:
            line: list[str] = []
            href = ""
            for child in tok.children:
                if child.type in ("text", "code_inline"):
                    line.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    line.append("\n" if child.type == "hardbreak" else " ")
                elif child.type == "link_open":
                    href = str(child.attrs.get("href", ""))
                    start = len(line)
                elif child.type == "link_close":
                    shown = "".join(line[start:])
                    target = href.removeprefix("mailto:")
                    if target and target != shown and not target.startswith("#"):
                        line.append(f" <{target}>")
            out.append("".join(line))
        elif tok.type == "list_item_open":
            out.append("• ")
        elif tok.type in ("paragraph_close", "heading_close", "tr_close"):
            out.append("\n")
        elif tok.type in ("th_close", "td_close"):
            out.append(" ")
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    text = re.sub(r"• \n?", "• ", text)
    return re.sub(r"\n{2,}", "\n", text).strip()


@dataclass(frozen=True)
class Link:
    """A link inside the policy: its target (``#collection.purposes``) at 0-based ``line``, ``col`` of the text."""

    line: int
    col: int
    target: str


@dataclass(frozen=True)
class _Inspection:
    findings: tuple[TextFinding, ...]
    structure: Structure
    ends_with_colon: bool
    starts_with_list: bool
    links: tuple[Link, ...]


@lru_cache(maxsize=4096)
def _inspect(text: str) -> _Inspection:
    """What validation asks of a text, from one parse: it asks several times (its problems, its
    structure, and a source text's structure once for every locale that translates it). The
    answers are kept, not the tokens: thousands of live tokens would slow every garbage
    collection of the process."""
    toks = _inspector().parse(text)
    links: list[Link] = []
    return _Inspection(tuple(_findings(text, toks, links)), _structure(toks), _ends_with_colon(toks),
                       _starts_with_list(toks), tuple(links))


def structure(text: str) -> Structure:
    return _inspect(text).structure


def ends_with_colon(text: str) -> bool:
    """True when the text's last paragraph ends with a colon (it announces a list)."""
    return _inspect(text).ends_with_colon


def starts_with_list(text: str) -> bool:
    return _inspect(text).starts_with_list


def check(text: str) -> list[TextFinding]:
    """Every problem with a block's Markdown, in text order."""
    return list(_inspect(text).findings)


def internal_links(text: str) -> tuple[Link, ...]:
    """The links inside the policy (``#…``) that ``text`` makes, in text order; rendering keeps only
    those of the form :data:`INTERNAL_LINK_RE` accepts."""
    return _inspect(text).links


def _structure(toks: list[Token]) -> Structure:
    links: list[str] = []
    items = emphasis = 0
    for tok in toks:
        if tok.type == "list_item_open":
            items += 1
        for child in tok.children or ():
            if child.type == "link_open":
                links.append(str(child.attrs.get("href", "")))
            elif child.type in ("em_open", "strong_open"):
                emphasis += 1
    return Structure(tuple(sorted(links)), items, emphasis)


def _ends_with_colon(toks: list[Token]) -> bool:
    for i in range(len(toks) - 1, -1, -1):
        tok = toks[i]
        if tok.type == "inline":
            opens_paragraph = tok.level == 1 and toks[i - 1].type == "paragraph_open"
            return opens_paragraph and tok.content.rstrip().endswith((":", "："))
        if tok.type in ("bullet_list_close", "ordered_list_close"):
            return False
    return False


def _starts_with_list(toks: list[Token]) -> bool:
    return bool(toks) and toks[0].type in ("bullet_list_open", "ordered_list_open")


def _findings(text: str, toks: list[Token], links: list[Link]) -> list[TextFinding]:
    findings: list[TextFinding] = []
    lines = text.split("\n")

    def col_of(line: int, needle: str) -> int:
        if 0 <= line < len(lines):
            found = lines[line].find(needle)
            return max(found, 0)
        return 0

    for i, tok in enumerate(toks):
        first = tok.map[0] if tok.map else 0
        if tok.type == "html_block":
            tag = re.search(r"<[^>]*>", tok.content)
            snippet = (tag.group(0) if tag else tok.content.strip())[:40]
            findings.append(TextFinding(first, col_of(first, "<"), "error",
                                    f"raw HTML is not allowed ({snippet!r}); write Markdown instead", "markdown.html"))
        if tok.type == "paragraph_open":
            inline = toks[i + 1]
            following = toks[i + 3].type if i + 3 < len(toks) else None
            if (tok.level == 0 and inline.content.rstrip().endswith((":", "："))
                    and following is not None and following not in ("bullet_list_open", "ordered_list_open")):
                findings.append(TextFinding(first, 0, "warning",
                                        "paragraph ends with a colon but no list follows; was a list lost?",
                                        "markdown.lost-list"))
        if tok.type != "inline" or not tok.children:
            continue
        line = first
        in_link = 0
        for child in tok.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "html_inline":
                findings.append(TextFinding(line, col_of(line, child.content), "error",
                                        f"raw HTML is not allowed ({child.content[:40]!r}); write Markdown instead",
                                        "markdown.html"))
            elif child.type == "image":
                findings.append(TextFinding(line, col_of(line, "!["), "error",
                                        "images are not supported in policy text", "markdown.image"))
            elif child.type == "link_open":
                in_link += 1
                href = str(child.attrs.get("href", ""))
                if href.startswith("#"):  # validation resolves it against the policy's ids
                    at = lines[line].find(f"({href}") if 0 <= line < len(lines) else -1
                    links.append(Link(line, at + 1 if at >= 0 else col_of(line, href), href))
                    continue
                problem = url_problem(href)
                if problem:
                    findings.append(TextFinding(line, col_of(line, href.split(":")[0]), "error",
                                            f"link target {href!r}: {problem}", "markdown.link"))
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text" and not in_link:
                findings.extend(_text_findings(child.content, line, lines))
    return findings


def _text_findings(content: str, line: int, lines: list[str]) -> list[TextFinding]:
    out = []
    source_line = lines[line] if 0 <= line < len(lines) else ""
    for m in _BROKEN_URL_RE.finditer(content):
        out.append(TextFinding(line, max(source_line.find(m.group(0)), 0), "error",
                           f"broken URL starting {content[m.start():m.start() + 30]!r}: write it as "
                           "<https://host/path> with no spaces", "markdown.broken-url"))
    for m in _BARE_URL_RE.finditer(content):
        out.append(TextFinding(line, max(source_line.find(m.group(0)), 0), "warning",
                           f"{m.group(0)!r} is not a link; write it as <{m.group(0)}>", "markdown.bare-url"))
    for m in _BARE_EMAIL_RE.finditer(content):
        address = m.group(0)
        out.append(TextFinding(line, max(source_line.find(address), 0), "warning",
                           f"e-mail address {address!r} is not a link; write it as [{address}](mailto:{address})"
                           " after checking it", "markdown.bare-email"))
    return out
