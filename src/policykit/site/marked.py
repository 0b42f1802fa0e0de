"""Two Markdown texts compared word by word, keeping what the reader sees: emphasis, links,
code, lists and headings.

Each text is parsed (:func:`policykit.markdown.tokens`, CommonMark with raw HTML off)
into *leaves*: the paragraphs, headings and list-item paragraphs that hold inline text,
each with the containers around it (``ul``/``ol``, ``li``, ``blockquote``) and its words
with their marks (``strong``, ``em``, ``code``, a link's target). Leaves are aligned in
order (:class:`difflib.SequenceMatcher` on their text); a changed leaf is compared token by
token (:func:`policykit.compare.prose.tokens`: words, numbers, single CJK characters), where a
token is the same only when its marks are the same too, so text made bold shows as changed.
The result is safe HTML: every text is escaped, and links keep only http(s) and mailto
targets (the parser has dropped the others).
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import escape

from policykit import markdown
from policykit.compare import prose

Mark = tuple[str, ...]  # ("strong", "em", "code", "a=https://…") in a fixed order
Token = tuple[str, Mark]
_CONTAINERS = {"bullet_list_open": "ul", "ordered_list_open": "ol", "list_item_open": "li",
               "blockquote_open": "blockquote"}
_MARK_ORDER = ("a", "strong", "em", "code")


@dataclass(frozen=True)
class Leaf:
    """A paragraph or heading: its containers (``("ul", "li")``), its own tag and its tokens."""

    containers: tuple[tuple[str, int], ...]  # (tag, which one: containers are numbered as they open)
    tag: str  # p | h3 … h6 | pre | "" (a tight list item's paragraph: no <p>)
    tokens: tuple[Token, ...]

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.tokens)


def _inline(children: list[object]) -> list[Token]:
    out: list[Token] = []
    marks: list[str] = []
    for tok in children:
        kind, content = getattr(tok, "type", ""), getattr(tok, "content", "")
        if kind in ("strong_open", "em_open"):
            marks.append(kind.removesuffix("_open"))
        elif kind == "link_open":
            marks.append("a=" + str(getattr(tok, "attrs", {}).get("href", "")))
        elif kind in ("strong_close", "em_close", "link_close") and marks:
            marks.pop()
        elif kind in ("softbreak", "hardbreak"):
            out.append((" ", _order(marks)))
        elif kind == "code_inline":
            out.append((content, _order([*marks, "code"])))
        elif kind in ("text", "image"):
            words = prose.tokens(content) if kind == "text" else [content]
            out.extend((w, _order(marks)) for w in words if w)
    return out


def _order(marks: list[str]) -> Mark:
    return tuple(sorted(set(marks), key=lambda m: _MARK_ORDER.index(m.split("=", 1)[0])))


@lru_cache(maxsize=4096)
def leaves(text: str, heading_offset: int = 2) -> tuple[Leaf, ...]:
    """The leaves of Markdown ``text`` in reading order."""
    out: list[Leaf] = []
    stack: list[tuple[str, int]] = []
    opened = 0
    tag = ""
    for tok in markdown.tokens(text):
        if tok.type in _CONTAINERS:
            opened += 1
            stack.append((_CONTAINERS[tok.type], opened))
        elif tok.type.endswith("_close") and tok.type.replace("_close", "_open") in _CONTAINERS and stack:
            stack.pop()
        elif tok.type == "paragraph_open":
            tag = "" if tok.hidden else "p"
        elif tok.type == "heading_open":
            tag = f"h{min(6, int(tok.tag[1:]) + heading_offset)}"
        elif tok.type in ("fence", "code_block"):
            out.append(Leaf(tuple(stack), "pre", ((tok.content, ("code",)),)))
        elif tok.type == "inline":
            out.append(Leaf(tuple(stack), tag, tuple(_inline(list(tok.children or [])))))
    return tuple(out)


# -- comparing -----------------------------------------------------------------

Piece = tuple[str, str, Mark]  # (op, text, marks): op is "=", "-" or "+"


def _pieces(a: tuple[Token, ...], b: tuple[Token, ...]) -> list[Piece]:
    out: list[Piece] = []

    def put(op: str, toks: tuple[Token, ...] | list[Token]) -> None:
        for text, marks in toks:
            if out and out[-1][0] == op and out[-1][2] == marks:
                out[-1] = (op, out[-1][1] + text, marks)
            else:
                out.append((op, text, marks))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            put("=", b[j1:j2])
        else:
            put("-", a[i1:i2])
            put("+", b[j1:j2])
    return out


def _inline_html(pieces: list[Piece]) -> str:
    parts = []
    for op, group in itertools.groupby(pieces, key=lambda p: p[0]):
        html = ""
        for _, text, marks in group:
            piece = str(escape(text))
            for mark in reversed(marks):
                name, _, href = mark.partition("=")
                piece = f'<a href="{escape(href)}">{piece}</a>' if name == "a" else f"<{name}>{piece}</{name}>"
            html += piece
        parts.append(html if op == "=" else f"<{_EDIT[op]}>{html}</{_EDIT[op]}>")
    return "".join(parts)


_EDIT = {"-": "del", "+": "ins"}


def _alike(old: Leaf, new: Leaf) -> bool:
    """Whether ``new`` reads as an edit of ``old``: at least 40 % of their words in common
    (words, not characters: a paragraph is a few dozen of those, and the cheap bounds first)."""
    matcher = difflib.SequenceMatcher(None, [t for t, _ in old.tokens], [t for t, _ in new.tokens], autojunk=False)
    return matcher.real_quick_ratio() >= 0.4 and matcher.quick_ratio() >= 0.4 and matcher.ratio() >= 0.4


def _shape(leaf: Leaf) -> tuple[str, ...]:
    return (*(c for c, _ in leaf.containers), leaf.tag)


def _aligned(a: tuple[Leaf, ...], b: tuple[Leaf, ...]) -> list[tuple[Leaf | None, Leaf | None]]:
    """Pairs of leaves: (old, new), (old, None) removed, (None, new) added."""
    pairs: list[tuple[Leaf | None, Leaf | None]] = []
    matcher = difflib.SequenceMatcher(None, [x.text for x in a], [x.text for x in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = list(a[i1:i2]), b[j1:j2]
        if tag == "equal":
            pairs.extend(zip(olds, news, strict=True))
            continue
        # A replaced run: each new leaf is an edit of the next old one of the same shape that
        # reads alike (an edited paragraph, list item or heading); the others were added or removed.
        added: list[Leaf] = []  # new leaves waiting for the removed ones before them
        if len(olds) == len(news) == 1 and _shape(olds[0]) == _shape(news[0]):
            pairs.append((olds[0], news[0]))  # one paragraph edited: the common case, no measuring
            continue
        for new in news:
            match = next((k for k, old in enumerate(olds) if _shape(old) == _shape(new) and _alike(old, new)), None)
            if match is not None:
                pairs.extend((old, None) for old in olds[:match])
                pairs.extend((None, leaf) for leaf in added)
                pairs.append((olds[match], new))
                olds, added = olds[match + 1:], []
            else:
                added.append(new)
        pairs.extend((old, None) for old in olds)
        pairs.extend((None, leaf) for leaf in added)
    return pairs


# A block's change is marked up once per process: the redlines from every version to the one in
# force, and between neighbours, meet the same (before, after) texts again and again.
@lru_cache(maxsize=8192)
def compare(before: str | None, after: str | None, heading_offset: int = 2) -> str:
    """HTML of ``after`` marked against ``before`` (either may be None: all added or all removed)."""
    a = leaves(before, heading_offset) if before is not None else ()
    b = leaves(after, heading_offset) if after is not None else ()
    html: list[str] = []
    open_: list[tuple[str, int]] = []  # containers open now
    for old, new in _aligned(a, b):
        leaf = new or old
        assert leaf is not None
        # A removed leaf's containers are numbered in the old text: it joins the list open now
        # when it was in one of the same kind (a list item removed from a list that stays).
        want = list(leaf.containers)
        if new is None:
            want = [o if k < len(open_) and open_[k][0] == c[0] and c[0] != "li" else c
                    for k, (c, o) in enumerate(zip(want, [*open_, *([("", 0)] * len(want))], strict=False))]
        if old is None or new is None:
            op = "+" if old is None else "-"
            pieces: list[Piece] = [(op, t, m) for t, m in leaf.tokens]
        else:
            pieces = _pieces(old.tokens, new.tokens)
            kept = _kept(pieces)
            if kept == 0 or (kept < REWRITTEN and min(_words(old.tokens), _words(new.tokens)) >= 8):
                # Rewritten rather than edited: the old text struck through whole, then the new
                # one, reads better than a word soup (and lays out far faster in a PDF).
                pieces = [("-", t, m) for t, m in old.tokens] + [("+", " ", ())] + [
                    ("+", t, m) for t, m in new.tokens]
            else:
                pieces = _semantic(pieces)
        keep = 0
        while keep < min(len(open_), len(want)) and open_[keep] == want[keep]:
            keep += 1
        for name, _ in reversed(open_[keep:]):
            html.append(f"</{name}>")
        for name, _ in want[keep:]:
            html.append(f"<{name}>")
        open_ = want
        inner = _inline_html(_merged(pieces))
        if leaf.tag == "pre":
            html.append(f"<pre>{inner}</pre>")
        else:
            html.append(f"<{leaf.tag}>{inner}</{leaf.tag}>" if leaf.tag else inner)
    for name, _ in reversed(open_):
        html.append(f"</{name}>")
    return "\n".join(html)


# Below this share of the new text's characters kept, a changed paragraph is shown as rewritten.
REWRITTEN = 0.5


def _words(tokens: tuple[Token, ...]) -> int:
    return sum(1 for t, _ in tokens if not t.isspace())


def _kept(pieces: list[Piece]) -> float:
    """The share of the new text's word characters kept from the old (punctuation and spaces
    do not count: two sentences ending in a full stop have nothing in common)."""
    def letters(text: str) -> int:
        return sum(c.isalnum() for c in text)

    kept = sum(letters(t) for op, t, _ in pieces if op == "=")
    total = sum(letters(t) for op, t, _ in pieces if op != "-")
    return kept / total if total else 1.0


def _weight(text: str) -> int:
    return sum(not c.isspace() for c in text)


# The longest kept run (in words) folded into the edits around it: a connecting word or two.
FOLDED_WORDS = 2


def _semantic(pieces: list[Piece]) -> list[Piece]:
    """Short kept runs between edits folded into the edits, after diff-match-patch's semantic
    cleanup (Neil Fraser, "Diff Strategies"): "the" or "your" kept between two rewritten
    phrases becomes part of one struck phrase and one new phrase. A reader reads whole phrases
    instead of alternating fragments, and a PDF lays out a few marked runs instead of one per word.

    A kept run goes when it is at most :data:`FOLDED_WORDS` words and no longer (in visible
    characters) than the edits on either side of it (the larger of what was removed and what
    was added there). One pass: a folded run does not make its neighbours' edits longer, so
    a long sentence with a few edits is never swallowed whole.
    """
    runs: list[list[Piece]] = []  # alternating: edits, kept, edits, kept …
    for piece in pieces:
        if runs and (runs[-1][0][0] == "=") == (piece[0] == "="):
            runs[-1].append(piece)
        else:
            runs.append([piece])

    def weight(run: list[Piece]) -> int:
        return max(sum(_weight(t) for op, t, _ in run if op == o) for o in "-+")

    out: list[Piece] = []
    for k, run in enumerate(runs):
        text = "".join(t for _, t, _ in run)
        if (0 < k < len(runs) - 1 and run[0][0] == "=" and len(text.split()) <= FOLDED_WORDS
                and _weight(text) <= min(weight(runs[k - 1]), weight(runs[k + 1]))):
            out.extend(("-", t, m) for _, t, m in run)
            out.extend(("+", t, m) for _, t, m in run)
        else:
            out.extend(run)
    return _merged(out)


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Runs of edits put in the order deleted-then-inserted (as :func:`policykit.compare.prose.word_diff`)."""
    out: list[Piece] = []
    run: list[Piece] = []
    for piece in [*pieces, ("=", "", ())]:
        if piece[0] == "=":
            out.extend(p for p in run if p[0] == "-")
            out.extend(p for p in run if p[0] == "+")
            run = []
            if piece[1]:
                out.append(piece)
        else:
            run.append(piece)
    return out


def changed(before: str | None, after: str | None) -> bool:
    """Whether the reader sees a difference (words or marks) between the two texts."""
    if before is None or after is None:
        return before != after
    return leaves(before) != leaves(after)
