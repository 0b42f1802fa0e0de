"""What a version's changes say about each other: sentences that moved between blocks, and what the old version named.

A sentence that leaves one block and arrives in another is a move, not a removal
plus an addition (docs/legal-basis.md#reordering-and-headings: a move is found by
matching identical sentences). :func:`find_moves` finds three kinds, per locale:

- **moved**: the same sentence after normalisation, or a near-identical one (the
  same words but for a few, and the same terms: no modal verb, negation,
  processing verb or number differs): editorial on both sides;
- **edited on the way**: a sentence added in block B whose closest match is a
  sentence removed from block A (another block), and not one of B's own: B
  *borrows* the old sentence and judges the edit against it (an open list that
  was already open stays open; an anonymisation promise that moved is not lost),
  and A *lends* it (its removal is not a loss).

:func:`relaid` finds the texts that were only laid out anew: the running text of the whole
document (every heading and paragraph, in order, without list numbers and markup) is aligned
word by word, and a heading or paragraph added, removed or changed whose every word falls in a
stretch the two versions share is the same words in the same place. A renumbering, a heading
made a list item, a paragraph split in two or two merged: editorial, whatever the structural
diff paired (docs/legal-basis.md#reordering-and-headings).

:func:`known_from` collects what the old version already names (words, e-mail
and web domains), so that a name or a contact domain used before is not new.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from policykit.compare import clauses, contacts, prose
from policykit.compare.diff import Change
from policykit.compare.findings import Known
from policykit.compare.lexicons import Lexicons
from policykit.compare.text import language_of, sentences, strip_punctuation
from policykit.model import Policy

# A list number or letter opening a line, after any list, quote or heading mark and emphasis: "1.",
# "1\.", "4.2)", "(a)", "B.", "iv.". Stripped again while one follows ("1. **1\. PROFILES").
# A bold run that opens with one is a heading too, wherever the import left it ("… **A. Supplemental …**").
_ENUMERATOR_RE = re.compile(r"(?:^[ \t]*(?:[-*+>#][ \t]*)*(?:\*\*|__|\*|_)?|\*\*|__)[ \t]*"
                            r"\(?(?:\d{1,3}(?:\\?\.\d{1,3})*|[A-Za-z]|[ivxlcIVXLC]{2,6})\\?[.)](?=\s)", re.M)
_WORD_RE = re.compile(r"\w+")
TEXT_KINDS = ("added", "removed", "text-changed", "retitled")
NEAR_IDENTICAL = 0.85  # word-level similarity of a sentence moved with a light edit
CROSS_THRESHOLD = 0.6  # content-word similarity of a sentence moved and edited


@dataclass
class Moves:
    moved: dict[str, Counter[str]] = field(default_factory=dict)  # locale -> sentences moved (both spellings)
    lent: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)  # (locale, path) -> old sentences
    borrowed: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # -> (old, new)


def texts_of(change: Change) -> tuple[str, str] | None:
    """The before and after text of a block's prose change (not labels or titles), or None."""
    from policykit.compare.observations import _texts

    texts = _texts(change)
    return texts if texts is not None and change.target != "fact" else None


def find_moves(changes: Iterable[Change], lex: Lexicons) -> Moves:
    """Per locale, the sentences that moved between blocks unchanged, nearly unchanged, or edited."""
    gone: dict[str, list[tuple[str, str]]] = {}  # locale -> (path, sentence)
    came: dict[str, list[tuple[str, str]]] = {}
    own: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for change in changes:
        texts = texts_of(change)
        if texts is None:
            continue
        sa, sb = Counter(sentences(texts[0])), Counter(sentences(texts[1]))
        removed, added = list((sa - sb).elements()), list((sb - sa).elements())
        own[(change.locale, change.path)] = (removed, added)
        gone.setdefault(change.locale, []).extend((change.path, s) for s in removed)
        came.setdefault(change.locale, []).extend((change.path, s) for s in added)
    out = Moves()
    for locale, arrivals in came.items():
        departures = gone.get(locale, [])
        if not departures:
            continue
        exact = Counter(s for _, s in departures) & Counter(s for _, s in arrivals)
        moved = Counter(exact)
        # Only sentences without a match in their own block can have gone elsewhere (decided once each).
        left = [(p, s) for p, s in departures if s not in exact and not _paired_at_home(s, own[(locale, p)][1], lex)]
        index = _by_stem(left, lex)
        for path, new in arrivals:
            if new in exact or not left:
                continue
            if _paired_at_home(new, own[(locale, path)][0], lex):
                continue
            best, score = None, CROSS_THRESHOLD
            for src, old in _sharing_a_stem(new, left, index, lex):
                if src == path:
                    continue
                sim = clauses.similarity(old, new, lex, part_of_a=True)
                if sim > score:
                    best, score = (src, old), sim
            if best is None:
                continue
            src, old = best
            if near_identical(old, new, lex):
                moved[old] += 1
                moved[new] += 1
            else:
                out.lent.setdefault((locale, src), Counter())[old] += 1
                out.borrowed.setdefault((locale, path), []).append((old, new))
        if moved:
            out.moved[locale] = moved
    return out


def _by_stem(left: Sequence[tuple[str, str]], lex: Lexicons) -> dict[str, list[int]]:
    """Where each content stem occurs among the sentences ``left`` (their positions, in order)."""
    index: dict[str, list[int]] = {}
    for i, (_, sentence) in enumerate(left):
        for stem in clauses.content_stems(sentence, lex):
            index.setdefault(stem, []).append(i)
    return index


def _sharing_a_stem(new: str, left: Sequence[tuple[str, str]], index: dict[str, list[int]],
                    lex: Lexicons) -> list[tuple[str, str]]:
    """The sentences of ``left``, in their order, that share a content stem with ``new``: the only ones
    :func:`clauses.similarity` can find alike (with no stem in common it is 0). In a diff of the real policy
    (1.0.1 to HEAD) 14,980 of the 20,296 pairs it weighed shared none; ``find_moves`` took 0.094 s CPU."""
    found: set[int] = set()
    for stem in clauses.content_stems(new, lex):
        found.update(index.get(stem, ()))
    return [left[i] for i in sorted(found)]


def _paired_at_home(sentence: str, others: Sequence[str], lex: Lexicons) -> bool:
    """Whether ``sentence`` has a match among the other side's sentences of its own block (an edit in place)."""
    return any(clauses.similarity(sentence, o, lex) > prose.PAIR_THRESHOLD for o in others)


def near_identical(a: str, b: str, lex: Lexicons) -> bool:
    """The same sentence but for a few words, none of them a term that changes meaning or a number."""
    wa, wb = strip_punctuation(a).split(), strip_punctuation(b).split()
    if difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio() < NEAR_IDENTICAL:
        return False
    ra, rb = clauses.read(a, lex), clauses.read(b, lex)
    terms_a = sorted((h.feature, h.key, h.status) for h in ra.hits)
    terms_b = sorted((h.feature, h.key, h.status) for h in rb.hits)
    return terms_a == terms_b and re.findall(r"\d+", a) == re.findall(r"\d+", b)


def relaid(changes: Iterable[Change], before: Policy | None, after: Policy | None) -> frozenset[str]:
    """The paths of the source text's headings and paragraphs, added, removed or changed, whose every word is
    in a stretch of words the two versions share, in the same order (numbering and markup aside)."""
    # (a text whose words, numbers and all, stay is judged by what did change in it: its format, its punctuation)
    candidates = [c for c in changes if not c.locale and c.kind in TEXT_KINDS and c.target in ("section", "block")
                  and isinstance(c.before, (str, type(None))) and isinstance(c.after, (str, type(None)))
                  and (c.before is None or c.after is None
                       or _WORD_RE.findall(c.before.casefold()) != _WORD_RE.findall(c.after.casefold()))]
    if before is None or after is None or not candidates:
        return frozenset()
    old, new = _running_words(before), _running_words(after)
    matcher = difflib.SequenceMatcher(None, [w for w, _ in old], [w for w, _ in new], autojunk=False)
    touched_old: set[str] = set()
    touched_new: set[str] = set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            touched_old.update(owner for _, owner in old[i1:i2])
            touched_new.update(owner for _, owner in new[j1:j2])
    return frozenset(c.path for c in candidates if (c.before is None or c.path not in touched_old)
                     and (c.after is None or c.path not in touched_new))


def written_in(policy: Policy | None, lex: Lexicons) -> str:
    """The language the source text of ``policy`` is written in, as its words show, or ``""``."""
    return language_of(_running_words(policy), lex) if policy is not None else ""


def switched_language(before: Policy | None, after: Policy | None, lex: Lexicons) -> str:
    """``"en → de"`` when the source text of ``after`` is written in another language than that of ``before``
    (each read from its commonest words, ``language_markers``), else ``""``: a capture of another language's
    page, or a policy pasted over with its translation, cannot be compared word by word."""
    if before is None or after is None:
        return ""
    old, new = written_in(before, lex), written_in(after, lex)
    return f"{old} → {new}" if old and new and old != new else ""


def _running_words(policy: Policy) -> list[tuple[str, str]]:
    """Every word of the policy's headings and paragraphs in reading order, each with the path it belongs to
    (a section's id for its heading, ``section.block`` for a paragraph); list numbers and markup are not words."""
    found = policy.__dict__.get("_running_words")
    if found is None:
        found = []
        for section in policy.sections:
            found.extend((w, section.id) for w in _words(section.title))
            for block in section.blocks:
                found.extend((w, f"{section.id}.{block.id}") for w in _words(block.text or ""))
        object.__setattr__(policy, "_running_words", found)
    return list(found)


def _words(text: str) -> list[str]:
    for _ in range(3):
        stripped = _ENUMERATOR_RE.sub("", text)
        if stripped == text:
            break
        text = stripped
    return _WORD_RE.findall(text.casefold())


def known_from(policy: Policy | None, after: Policy | None = None) -> Known:
    """The words and contact domains of every text of ``policy`` (source locale) and its controller
    (gathered once per loaded version, read on first use), and the texts of the version ``after`` it: what
    the document still states once the change is made."""
    if policy is None:
        return Known()
    found = policy.__dict__.get("_known")
    if found is None:
        found = _known(policy)
        object.__setattr__(policy, "_known", found)
    if after is None:
        return found
    titles = frozenset(s.title for p in (policy, after) for s in p.sections)
    both = replace(found, later=_later(after), titles=titles)
    both.__dict__.update({k: v for k, v in found.__dict__.items() if k in ("names", "hosts", "organisations")})
    return both


def _later(policy: Policy) -> str:
    found = policy.__dict__.get("_later")
    if found is None:
        found = "\n\n".join([*(s.title for s in policy.sections),
                              *(b.text or "" for s in policy.sections for b in s.blocks)])
        object.__setattr__(policy, "_later", found)
    return str(found)


def _known(policy: Policy) -> Known:
    texts = [policy.title, policy.controller.name, policy.controller.address or ""]
    for section in policy.sections:
        texts.append(section.title)
        texts.extend(b.text or "" for b in section.blocks)
    hosts: set[str] = set()
    for item in policy.facts():
        texts.append(item.label)
        for key in ("email", "url"):
            value = item.attrs.get(key)
            if isinstance(value, str) and value:
                hosts.add(contacts.host(value))
    return Known("\n".join(texts), frozenset(hosts))
