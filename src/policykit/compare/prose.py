"""Prose: CJK-aware tokens, a word-level diff, and the findings of what changed in a text.

The diff of a block's text works on tokens, not on lines: a word of a
space-separated script is a token, and each Han, Hiragana or Katakana
character is a token of its own, so Japanese and Chinese diff by character
instead of by (absent) spaces. :func:`word_diff` keeps white space as tokens,
so the segments it returns put the text back together exactly (a redline).

:func:`analyse` reads the before and after of a text the way
docs/legal-basis.md#reading-prose asks: normalise, and if nothing is left the change is
editorial (format, punctuation, a moved sentence, a synonym, a typo fix);
otherwise it reports *findings* — a modal verb or a negation changed, a
duration got longer, an e-mail address was removed — each with the direction
of the change (``widening`` what is done with data, ``narrowing`` it, or
``neutral``). The classifier's rules match on findings; the word lists that
drive them are data (the ``lexicons`` of ``data/rules.yaml``). The text is
read with :mod:`policykit.compare.text` (normalised forms, sentences) and the
readers below it (hunks, terms, actions, values); the findings are the types
of :mod:`policykit.compare.findings`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from policykit.compare import contacts, values
from policykit.compare.findings import Delta, Finding, Known, delta, was
from policykit.compare.lexicons import Lexicons as Lexicons  # re-exported: callers know it as prose.Lexicons
from policykit.compare.lexicons import count_terms as count_terms
from policykit.compare.text import (
    CJK,
    canonical,
    normalise,
    plain,
    sentences,
    short,
    strip_punctuation,
)

Segment = tuple[str, str]  # ("=", text) | ("-", text) | ("+", text)


@cache
def _token_re() -> re.Pattern[str]:
    # Compiled on first use: its CJK classes take milliseconds, and classifying a change needs no tokens.
    return re.compile(
        rf"(?P<cjk>[{CJK}])"
        rf"|(?P<word>(?:(?![{CJK}])[^\W\d_])+(?:['’-](?:(?![{CJK}])[^\W\d_])+)*)"
        r"|(?P<num>\d+(?:[.,:]\d+)*)"
        r"|(?P<space>\s+)"
        r"|(?P<punct>.)",
        re.DOTALL,
    )


def tokens(text: str) -> list[str]:
    """The tokens of ``text``: words, numbers, single CJK characters, white space, punctuation."""
    return [m.group(0) for m in _token_re().finditer(text)]


def word_diff(before: str, after: str) -> list[Segment]:
    """A word-level diff that concatenates back to both texts: ``=`` kept, ``-`` deleted, ``+`` inserted."""
    a, b = tokens(before), tokens(after)
    out: list[Segment] = []

    def put(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            # A lone space kept between two edits reads better as part of both.
            kept = "".join(a[i1:i2])
            if kept.isspace() and out and out[-1][0] != "=" and i2 < len(a):
                put("-", kept)
                put("+", kept)
            else:
                put("=", kept)
            continue
        put("-", "".join(a[i1:i2]))
        put("+", "".join(b[j1:j2]))
    return _tidy(out)


def _tidy(segments: list[Segment]) -> list[Segment]:
    """Put each run of edits in the order deleted-then-inserted."""
    out: list[Segment] = []
    run: dict[str, str] = {}
    for op, text in [*segments, ("=", "")]:
        if op == "=":
            for k in ("-", "+"):
                if run.get(k):
                    out.append((k, run[k]))
            run = {}
            if text:
                out.append((op, text))
        else:
            run[op] = run.get(op, "") + text
    return out


def words(text: str) -> list[str]:
    """Normalised word tokens: no white space, no punctuation."""
    return [t for t in tokens(strip_punctuation(text)) if not t.isspace()]


def analyse(before: str, after: str, lex: Lexicons, *, moved: Counter[str] | None = None,
            lent: Counter[str] | None = None, borrowed: Sequence[tuple[str, str]] = (),
            known: Known | None = None, known_words: Any = None, definition_block: bool = False,
            fact: str = "", old_context: str | None = None, english: bool = True) -> list[Finding]:
    """What changed between two versions of a text, most telling first; never empty when they differ.

    ``moved`` holds sentences that left one text and arrived unchanged (or nearly)
    in another; they count as moved, not as removed or added. ``lent`` holds
    sentences removed here that arrived *edited* in another text (that text judges
    the edit), ``borrowed`` the (old, new) pairs of sentences that arrived here
    edited from another text. ``known`` is what the old version already names.
    ``known_words`` is a callable returning the subset of words a dictionary knows
    (for typo fixes). The change is read per hunk (:mod:`policykit.compare.hunks`):
    editorial hunks (typo, inflection, word spacing, article, synonym) are set
    aside and only the rest is read for features. A substantive hunk in a defining
    sentence (the first sentence of a ``definition_block``, or one with a
    definition marker) adds a ``definition`` finding with ``defines: true``.
    ``fact`` is the fact kind when the text is a fact item's label (a right's label
    is read for limits). ``old_context`` is what the old version said on the topic
    when there was no old text (a new block: its section's old text): an open list
    widens only where the old text was closed. ``english``: the text is English, which the word
    lists read; only then can a sentence be proven to merely inform.
    """
    # Imported on first use: a caller that only draws a redline (tokens, word_diff) needs no reader.
    from policykit.compare import countries, hunks, terms

    if before == after:
        return []
    if normalise(before) == normalise(after):
        return [Finding("format", detail="only white space, capitals, hyphen spacing, quotes or markup changed")]
    if strip_punctuation(before) == strip_punctuation(after):
        return [Finding("punctuation", detail="only punctuation changed")]
    if known is not None and values.is_navigation(before, after, lex, known):
        return [Finding("navigation", detail="only a line of links to other pages changed; it states nothing")]
    pa, pb = plain(before), plain(after)
    retargeted = contacts.retargeted(before, after)  # read on the markup, which plain text no longer shows
    found = hunks.hunks(pa, pb, lex, known_words)
    if found and all(h.editorial for h in found):
        return _editorial_findings(found)
    if any(h.editorial for h in found):
        before = hunks.apply_editorial(pa, pb, found)
    moved = _still_stated(before, after, moved, known)
    d = delta(before, after, moved, lent=lent, borrowed=borrowed)
    if not d.removed and not d.added:
        what = "sentences moved to or from another block" if moved or lent else "sentences reordered"
        return [Finding("moved", detail=f"the same {what}; no sentence changed")]
    if not d.borrowed and canonical(" ".join(d.removed), lex) == canonical(" ".join(d.added), lex):
        return [Finding("synonym", detail="a word swapped for a synonym or another spelling")]
    context = (before if before.strip() else old_context or "", *(old for old, _ in d.borrowed))
    governed = countries.transfer_items(after, lex) if ":" in after else frozenset()
    out = (_features(d, lex, known or Known(), fact, context, english, retargeted, governed)
           or [_wording(d, lex, english)])
    hit = hunks.definition_hit(found, pa, pb, lex, definition_block=definition_block)
    if hit:
        olds = (*d.removed, *(old for old, _ in d.borrowed))
        out.append(Finding("definition", terms.direction(olds, d.added, lex), hit, {"defines": True}))
    return out


def _unlinked(d: Delta) -> Delta:
    """``d`` without its web addresses: the words of a link's target ("privacy_archive", "do-not-track") are
    no prose and state nothing; the contact channels are read before (``values.contact_findings``)."""
    if not any(contacts.URL_RE.search(s) for s in (*d.removed, *d.added, *(o for o, _ in d.borrowed))):
        return d

    def unlink(sentence: str) -> str:
        return " ".join(contacts.URL_RE.sub(" ", sentence).split())

    def strip(sents: Sequence[str]) -> tuple[str, ...]:
        return tuple(t for t in map(unlink, sents) if re.search(r"\w", t))

    borrowed = tuple((unlink(o), unlink(n)) for o, n in d.borrowed)
    return Delta(strip(d.removed), strip(d.added), contacts.URL_RE.sub("", d.removed_raw),
                 contacts.URL_RE.sub("", d.added_raw), borrowed)


def _still_stated(before: str, after: str, moved: Counter[str] | None, known: Known | None) -> Counter[str] | None:
    """``moved`` and the sentences removed here that the new version states elsewhere, word for word: a
    duplicate dropped, or a sentence moved into a block that did not change. The document still says them."""
    if known is None or not known.later:
        return moved
    sa, sb = Counter(sentences(before)), Counter(sentences(after))
    extra = Counter({s: 1 for s in sa - sb if known.still_stated[s] > sb[s]})
    return (moved or Counter()) + extra if extra else moved


def _wording(d: Delta, lex: Lexicons, english: bool) -> Finding:
    """What a change no feature reads is: ``informational`` when every sentence it touches, before and
    after, only informs (:func:`policykit.compare.terms.informational`: nothing done with data is said there)."""
    from policykit.compare import terms

    touched = (*d.removed, *d.added, *(old for old, _ in d.borrowed))
    info = english and bool(touched) and all(terms.informational(s, lex) for s in touched)
    return Finding("wording", detail="wording changed" + (" where nothing done with data is said" if info else ""),
                   props={"informational": info})


_EDITORIAL_DETAIL = {
    "typo": "typo fixed: {}", "inflection": "the same word in another form: {}",
    "word-spacing": "a word split or joined: {}", "article": "an article changed: {}",
    "synonym": "a word swapped for a synonym or another spelling: {}",
}


def _editorial_findings(found: Sequence[Any]) -> list[Finding]:
    """One finding per kind of editorial hunk, each naming its edits."""
    by_kind: dict[str, list[str]] = {}
    for h in found:
        pair = f"{' '.join(h.before) or '∅'!r} → {' '.join(h.after) or '∅'!r}"
        by_kind.setdefault(h.kind, []).append(pair)
    return [Finding(kind, detail=_EDITORIAL_DETAIL[kind].format(", ".join(dict.fromkeys(pairs))))
            for kind, pairs in by_kind.items()]


PAIR_THRESHOLD = 0.5  # content-word similarity above which a removed and an added sentence are one edited sentence


def _pairs(d: Delta, lex: Lexicons) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Pair each removed sentence with the most similar added one (a sentence that was edited): the pairs, the
    removed sentences left alone, the added ones left alone. Sentences borrowed from another text come paired;
    one removed and one added sentence are one sentence edited."""
    from policykit.compare.clauses import similarity

    added = list(d.added)
    pairs: list[tuple[str, str]] = []
    for old, new in d.borrowed:
        if new in added:
            added.remove(new)
            pairs.append((old, new))
    removed = list(d.removed)
    if len(removed) == 1 and len(added) == 1:
        return [*pairs, (removed[0], added[0])], [], []
    alone = []
    for r in removed:
        best, score = None, PAIR_THRESHOLD
        for a in added:
            s = similarity(r, a, lex)
            if s > score:
                best, score = a, s
        if best is None:
            alone.append(r)
        else:
            pairs.append((r, best))
            added.remove(best)
    return pairs, alone, added


def _features(d: Delta, lex: Lexicons, known: Known, fact: str, context: Sequence[str],
              english: bool = True, retargeted: frozenset[str] = frozenset(),
              governed: frozenset[str] = frozenset()) -> list[Finding]:
    """The findings of a change no editorial reading explains, read step by step: values first (what can be
    compared with a unit), then terms, named parties and countries, then actions, then sentences added or
    removed, then citations and the numbers nothing else accounts for."""
    from policykit.compare import parties, terms

    contact = values.contact_findings(" ".join((*d.removed, *(old for old, _ in d.borrowed))), " ".join(d.added),
                                      known, retargeted)
    d = _unlinked(d)
    olds = (*d.removed, *(old for old, _ in d.borrowed))
    removed, added = " ".join(olds), " ".join(d.added)
    direction = terms.direction(olds, d.added, lex)
    pairs, alone, new_sentences = _pairs(d, lex)
    out: list[Finding] = []
    out.extend(values.duration_findings(olds, d.added, lex))
    out.extend(contact)
    out.extend(values.law_date_findings(removed, added))
    out.extend(values.date_findings(olds, d.added, lex))
    # Words whose presence changes the meaning, read pair by pair (policykit.compare.terms).
    opening = any(terms.is_open(s, lex) for s in d.added)  # read the old text only when something opens
    was_open = opening and any(terms.is_open(s, lex) for text in context for s in sentences(text))
    out.extend(terms.term_findings(pairs, alone, new_sentences, lex, direction, fact=fact, was_open=was_open,
                                   stated=known.text))
    out.extend(parties.party_findings(d, olds, lex, known, fact=fact, governed=governed))
    if english:
        out = _action_findings(out, olds, d.added, lex, fact)
    # The "last updated" line is metadata (judged above), not a sentence added or removed.
    alone = [s for s in alone if not values.is_updated_line(s, lex)]
    new_sentences = [s for s in new_sentences if not values.is_updated_line(s, lex)]
    explains_right = any(count_terms(s, lex.rights_markers) for s in (*d.added, *context))
    out.extend(_sentences_added(new_sentences, lex, direction, fact, english, explains_right=explains_right))
    out.extend(_sentences_removed(alone, d.added, lex, direction, fact, english))
    out.extend(values.citation_findings(removed, added))
    # A number that is part of a value judged above (a phone number, an address, a date, a period, an age,
    # a reference to a provision) is not a number of its own, nor is one in a statement of what is not
    # done ("we do not sell … of consumers under 16"): only the rest is compared.
    nums_a = Counter(n for s in olds for n in values.bare_numbers(s, lex))
    nums_b = Counter(n for s in d.added for n in values.bare_numbers(s, lex))
    if nums_a != nums_b and not any(f.feature in ("duration", "age", "date", "updated-date", "amount") for f in out):
        out.append(Finding("number", detail=was(sorted(nums_a - nums_b), sorted(nums_b - nums_a))))
    return out


def _action_findings(out: list[Finding], olds: Sequence[str], news: Sequence[str], lex: Lexicons,
                     fact: str) -> list[Finding]:
    """``out`` with the findings of who does what, under which condition: an action on data newly done, a
    protection or a right weakened or made conditional (:mod:`policykit.compare.actionchanges`). Where the
    actions (or what is stated as not done) account for it, a negation or a modal verb that changed is the
    same change in its surface words; where the actions are the same, a negation reworded ("not" → "never")
    states the same."""
    from policykit.compare import actionchanges, actions

    changed = actionchanges.compare(olds, news, lex)
    if fact == "rights":  # what a right's label names we do ("have it sent to another company") is the right
        changed = [actionchanges.ActionChange(ch.verb, "right", {"narrowing": "widening", "widening": "narrowing"}.get(
            ch.direction, ch.direction), ch.what) if ch.kind == "handling" else ch for ch in changed]
    out = [*out, *(Finding("action", ch.direction, f"{ch.verb}: {ch.what}", {"trend": ch.kind, "aspect": ch.aspect})
                   for ch in changed)]
    # (only the negations and modal verbs that govern an action it reads: a changed action elsewhere in
    # the text does not explain "shall not create an account" → "may create one")
    meaning = any(f.feature == "negated-processing" for f in out) or all(
        actions.reads_every_verb_governed(s, lex) for s in (*olds, *news))
    out = [f if f.feature not in ("negation", "modal") or not meaning
           else Finding(f.feature, f.direction, f.detail, {**f.props, "trend": "read-as-action"})
           for f in out]
    return [Finding(f.feature, f.direction, f.detail, {**f.props, "trend": "same-scope"})
            if f.feature == "negation" and f.direction == "neutral" and not changed else f for f in out]


def _sentences_added(new_sentences: Sequence[str], lex: Lexicons, direction: str, fact: str, english: bool, *,
                     explains_right: bool) -> list[Finding]:
    """A finding per new sentence that its terms and actions do not already read. New sentences that explain
    a right ("you have the right to object …; we then stop, unless …") inform as long as they name nothing
    done with data."""
    from policykit.compare import actionchanges, terms

    out = []
    for s in new_sentences:
        obligation = terms.obliges(s, lex)
        if not obligation and (terms.term_findings([], [], [s], lex, direction, fact=fact)
                               or (english and actionchanges.compare([], [s], lex))):
            continue  # what the sentence says is read by its terms or its actions (a right explained, a thing not done)
        info = english and (terms.informational(s, lex) or (explains_right and terms.names_nothing_done(s, lex)))
        out.append(Finding("sentence-added", direction, f"new sentence: “{short(s)}”",
                           {"obligation": obligation, "informational": info}))
    return out


def _sentences_removed(alone: Sequence[str], news: Sequence[str], lex: Lexicons, direction: str, fact: str,
                       english: bool) -> list[Finding]:
    """A finding per removed sentence that its terms and actions do not already read, or that was a promise
    or an obligation. A promise that is gone ("we will not share", "we will delete") widens, whatever else
    changed."""
    from policykit.compare import actionchanges, terms

    out = []
    for s in alone:
        promise = terms.promises(s, lex, news)
        obligation = terms.obliges(s, lex)
        if not (promise or obligation) and (terms.term_findings([], [s], [], lex, direction, fact=fact)
                                            or (english and actionchanges.compare([s], [], lex))):
            continue
        # (a sentence that only informed, "We've updated our Privacy Policy.", took nothing done with data along)
        info = english and not (promise or obligation) and terms.informational(s, lex)
        out.append(Finding("sentence-removed", "widening" if promise else direction, f"sentence removed: “{short(s)}”",
                           {"obligation": obligation, "promise": promise, "informational": info}))
    return out
