"""Properties of the diff (hypothesis): empty on itself, mirrored when reversed, blind to white space."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from policykit.compare import prose
from policykit.compare.classify import classify
from policykit.compare.diff import diff_policies
from policykit.model import Block, FactItem, Policy

from ..conftest import REPO

_MIRROR = {"added": "removed", "removed": "added"}


def _real() -> Policy:
    from policykit.load import FileSource, read_project

    policy = read_project(FileSource(REPO)).policy
    assert policy is not None
    return policy


REAL = _real()
words = st.text(alphabet=st.sampled_from("abcdefghij klmnop.,;"), min_size=1, max_size=40)


Edit = tuple[int, str, int, str]  # (section index, what, item index, words)
edits = st.lists(st.tuples(st.integers(0, 50), st.sampled_from(["text", "label", "drop", "reorder"]),
                           st.integers(0, 50), words), max_size=4)


def edited(instructions: list[Edit]) -> Policy:
    """The real policy with a few edits: block texts, labels, dropped or reordered fact items.

    Hypothesis draws the (small) instructions, not the (large) policy, so its reports stay short.
    """
    sections = list(REAL.sections)
    for si, what, k, text in instructions:
        i = si % len(sections)
        s = sections[i]
        if what == "text":
            texts = [j for j, b in enumerate(s.blocks) if b.text is not None]
            if texts:
                j = texts[k % len(texts)]
                blocks = list(s.blocks)
                blocks[j] = dataclasses.replace(blocks[j], text=(blocks[j].text or "") + " " + text)
                s = dataclasses.replace(s, blocks=tuple(blocks))
        elif s.facts:
            kind = sorted(s.facts)[k % len(s.facts)]
            items: list[FactItem] = list(s.facts[kind])
            if items:
                n = k % len(items)
                if what == "label":
                    items[n] = dataclasses.replace(items[n], label=items[n].label + text)
                elif what == "drop":
                    items.pop(n)
                else:
                    items.reverse()
                s = dataclasses.replace(s, facts={**s.facts, kind: tuple(items)})
        sections[i] = s
    return dataclasses.replace(REAL, sections=tuple(sections))


@settings(max_examples=30, deadline=None)
@given(edits)
def test_diff_with_itself_is_empty(e: list[Edit]) -> None:
    p = edited(e)
    assert diff_policies(p, p) == []


@settings(max_examples=30, deadline=None)
@given(edits, edits)
def test_reversed_diff_mirrors_the_changes(ea: list[Edit], eb: list[Edit]) -> None:
    a, b = edited(ea), edited(eb)
    forward = {(c.path, _MIRROR.get(c.kind, c.kind), repr(c.after), repr(c.before)) for c in diff_policies(a, b)}
    backward = {(c.path, c.kind, repr(c.before), repr(c.after)) for c in diff_policies(b, a)}
    # A move's positions are swapped the same way, so the sets match exactly.
    assert forward == backward


spaces = st.lists(st.sampled_from([" ", "  ", "\n", "\t"]), min_size=1, max_size=8)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_white_space_only_edits_are_editorial(data: st.DataObject) -> None:
    choices = [(s.id, b.id) for s in REAL.sections for b in s.blocks if b.text]
    sid, bid = data.draw(st.sampled_from(choices))
    section = next(s for s in REAL.sections if s.id == sid)
    block: Block = next(b for b in section.blocks if b.id == bid)
    assert block.text is not None
    tokens = prose.tokens(block.text)
    gaps = [i for i, t in enumerate(tokens) if t.isspace() and "\n\n" not in t]
    if not gaps:
        return
    for i in data.draw(st.lists(st.sampled_from(gaps), min_size=1, max_size=5, unique=True)):
        tokens[i] = "".join(data.draw(spaces)).replace("\n\n", "\n")
    new = "".join(tokens)
    blocks = tuple(dataclasses.replace(b, text=new) if b.id == block.id else b for b in section.blocks)
    after = dataclasses.replace(REAL, sections=tuple(
        dataclasses.replace(s, blocks=blocks) if s.id == section.id else s for s in REAL.sections))
    changes = classify(diff_policies(REAL, after))
    assert all(c.level == "editorial" for c in changes), [str(c) for c in changes]


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_puts_both_texts_back_together(a: str, b: str) -> None:
    segments = prose.word_diff(a, b)
    assert "".join(t for op, t in segments if op != "+") == a
    assert "".join(t for op, t in segments if op != "-") == b
