"""A block of plain prose skips markdown-it's parse: the result must be what the parse gives.

``markdown._plain_paragraph`` decides; ``markdown._parsed`` is markdown-it itself. Every text
the fast path takes is compared with the parse: the real policy's blocks in every locale,
written cases at the edges of the rule, and random texts over an alphabet full of syntax.
"""

from __future__ import annotations

import random

import pytest

from policykit import markdown
from policykit.localise import localise
from policykit.model import Policy


def _fast(text: str) -> tuple[str, str] | None:
    return markdown._converted.__wrapped__(text) if markdown._plain_paragraph(text) is not None else None


def test_real_blocks_convert_as_markdown_it_does(real_policy: Policy) -> None:
    fast = 0
    for tag in real_policy.all_locales:
        for section in localise(real_policy, tag).sections:
            for block in section.blocks:
                if block.text is None:
                    continue
                text = block.text.value
                assert markdown._converted.__wrapped__(text) == markdown._parsed(text), (tag, block.anchor)
                fast += markdown._plain_paragraph(text) is not None
    assert fast > 0  # the real policy does take the fast path


PLAIN = [
    "One line of prose.",
    "One line of prose.\n",
    "Trailing newlines are not a blank line in the text.\n\n\n",
    'Quotes "and" apostrophes \'are\' escaped as markdown-it escapes them.',
    "Signs mid-line: 1. a - b + c # d > e = f ! g ( h ) % $ @ ^ { } | : ; ? / ,",
    "Several lines\nof one paragraph\nare joined by soft breaks.\n",
    "Zeilen mit Umlauten: Übermittlung an Dritte\nerfolgt nur, wenn…\n",
    "個人情報の取扱いについて\n「お問い合わせ」から連絡してください。",
    "（括弧で始まる行）\n全角スペースは\u3000行の途中なら良い",
    "Non-breaking\u00a0space and line\u2028separator mid-line.",
    "A bullet • in text • stays.\nEven • at the end •",
]

NOT_PLAIN = [
    "",
    "\n",
    "1. An ordered list",
    "- A bullet list",
    "# A heading",
    "Text\n===",
    "Text\n---",
    "> A quote",
    "    Indented code",
    " Leading space",
    "\u3000Leading ideographic space",
    "Trailing space ",
    "Hard  \nbreak",
    "Two\n\nparagraphs",
    "\nLeading newline",
    "*emphasis*",
    "mid-line *emphasis*",
    "snake_case",
    "`code`",
    "[a link](https://example.com)",
    "<https://example.com>",
    "An &amp; entity",
    "A back\\slash",
    "~~strike~~",
    "tab\there",
    "carriage\r\nreturn",
    "nul\x00char",
    "(starts with an ASCII sign)",
    "Line two starts\n2018 with a digit",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_takes_the_fast_path_and_matches_the_parse(text: str) -> None:
    assert markdown._plain_paragraph(text) is not None
    assert _fast(text) == markdown._parsed(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_text_with_syntax_goes_to_markdown_it(text: str) -> None:
    assert markdown._plain_paragraph(text) is None
    assert markdown._converted.__wrapped__(text) == markdown._parsed(text)


def test_random_texts_convert_as_markdown_it_does() -> None:
    # Prose-like texts with a piece of Markdown syntax (or white space) dropped in once or twice,
    # anywhere: each character the fast path must refuse is met at every kind of place, and in
    # pairs (emphasis, code spans), next to words.
    words = [*"abcXYZ     ..,", "é", "語", "「", "\u00a0", "\u2028", "•", "\n"]
    syntax = [*"09.-+#>=*_[]()<>&;!\\`~\"':| \n\t\r", "\u3000", "\u00a0", "\n\n", "  \n", "    ",
              "&amp;", "&copy;", "&#35;", "\\*", "](http://x)", "[a](http://x)", "[a]: http://x", "<http://x>",
              "<b>", "1. ", "- ", "# ", "==="]
    rng = random.Random(20240601)
    taken = 0
    for _ in range(6000):
        chars = [rng.choice(words) for _ in range(rng.randint(1, 30))]
        for piece in [rng.choice(syntax) for _ in range(rng.choice((0, 1, 1, 2)))]:
            for _ in range(rng.choice((1, 2))):
                chars.insert(rng.randint(0, len(chars)), piece)
        text = "".join(chars)
        assert markdown._converted.__wrapped__(text) == markdown._parsed(text), repr(text)
        taken += markdown._plain_paragraph(text) is not None
    assert taken > 500
