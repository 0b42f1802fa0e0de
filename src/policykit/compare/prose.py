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
readers below it (hunks, terms, actions, contacts); the findings are the types
of :mod:`policykit.compare.findings`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from policykit.compare import contacts
from policykit.compare.findings import Delta, Finding, Known, delta, was
from policykit.compare.lexicons import Lexicons as Lexicons  # re-exported: callers know it as prose.Lexicons
from policykit.compare.lexicons import count_terms as count_terms
from policykit.compare.lexicons import term_pattern
from policykit.compare.text import (
    CITATION_RE,
    CJK,
    NUMBER,
    canonical,
    normalise,
    number_value,
    plain,
    sentences,
    short,
    strip_punctuation,
)

_DATE_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|\b(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+(?:\d{1,2},?\s+)?\d{4}\b",
    re.IGNORECASE,
)
_AMOUNT_RE = re.compile(r"(?:[$€£¥]\s*\d[\d,.]*|\d[\d,.]*\s*(?:usd|eur|gbp|jpy|yen|円|元|dollars?|euros?))",
                        re.IGNORECASE)
LEGAL_BASIS_CITATION_RE = re.compile(r"\b(?:6|9|49)\s*\(\s*[12]\s*\)\s*\(\s*[a-j]\s*\)", re.IGNORECASE)

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
    from policykit.compare import hunks, terms

    if before == after:
        return []
    if normalise(before) == normalise(after):
        return [Finding("format", detail="only white space, capitals, hyphen spacing, quotes or markup changed")]
    if strip_punctuation(before) == strip_punctuation(after):
        return [Finding("punctuation", detail="only punctuation changed")]
    pa, pb = plain(before), plain(after)
    found = hunks.hunks(pa, pb, lex, known_words)
    if found and all(h.editorial for h in found):
        return _editorial_findings(found)
    if any(h.editorial for h in found):
        before = hunks.apply_editorial(pa, pb, found)
    d = delta(before, after, moved, lent=lent, borrowed=borrowed)
    if not d.removed and not d.added:
        what = "sentences moved to or from another block" if moved or lent else "sentences reordered"
        return [Finding("moved", detail=f"the same {what}; no sentence changed")]
    if not d.borrowed and canonical(" ".join(d.removed), lex) == canonical(" ".join(d.added), lex):
        return [Finding("synonym", detail="a word swapped for a synonym or another spelling")]
    context = (before if before.strip() else old_context or "", *(old for old, _ in d.borrowed))
    out = _features(d, lex, known or Known(), fact, context, english) or [_wording(d, lex, english)]
    hit = hunks.definition_hit(found, pa, pb, lex, definition_block=definition_block)
    if hit:
        olds = (*d.removed, *(old for old, _ in d.borrowed))
        out.append(Finding("definition", terms.direction(olds, d.added, lex), hit, {"defines": True}))
    return out


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
              english: bool = True) -> list[Finding]:
    from policykit.compare import actions, terms

    olds = (*d.removed, *(old for old, _ in d.borrowed))
    removed, added = " ".join(olds), " ".join(d.added)
    direction = terms.direction(olds, d.added, lex)
    pairs, alone, new_sentences = _pairs(d, lex)
    out: list[Finding] = []

    # Values first: what the structured heuristics can compare with a unit.
    out.extend(_durations(olds, d.added, lex))
    out.extend(contact_findings(removed, added, known))
    out.extend(_dates(removed, added))
    for feature, pattern in (("date", _DATE_RE), ("amount", _AMOUNT_RE)):
        ra, aa = set(pattern.findall(removed)), set(pattern.findall(added))
        if feature == "date":
            ra, aa = ra - _law_dates(removed) - _law_dates(added), aa - _law_dates(added) - _law_dates(removed)
            if _refined(ra - aa, aa - ra):
                out.append(Finding("date", detail=f"a date made more precise: {was(sorted(ra - aa), sorted(aa - ra))}",
                                   props={"trend": "refined"}))
                continue
        if ra != aa:
            updated = any(count_terms(s, lex.updated_markers) for s in (*olds, *d.added)
                          if pattern.search(s))
            if feature == "date" and updated:
                out.append(Finding("updated-date", detail="the “last updated” date changed"))
            else:
                out.append(Finding(feature, detail=was(ra, aa)))

    # Words whose presence changes the meaning, read pair by pair (policykit.compare.terms).
    opening = any(terms.is_open(s, lex) for s in d.added)  # read the old text only when something opens
    was_open = opening and any(terms.is_open(s, lex) for text in context for s in sentences(text))
    out.extend(terms.term_findings(pairs, alone, new_sentences, lex, direction, fact=fact, was_open=was_open))
    out.extend(terms.party_findings(d, olds, lex, known, fact=fact))
    # Who does what, under which condition: an action on data newly done, a protection or a right weakened
    # or made conditional (policykit.compare.actions). Where the actions (or what is stated as not done) account
    # for it, a negation or a modal verb that changed is the same change in its surface words; where the
    # actions are the same, a negation reworded ("not" → "never") states the same.
    if english:
        changed = actions.compare(olds, d.added, lex)
        if fact == "rights":  # what a right's label names we do ("have it sent to another company") is the right
            changed = [actions.ActionChange(ch.verb, "right", {"narrowing": "widening", "widening": "narrowing"}.get(
                ch.direction, ch.direction), ch.what) if ch.kind == "handling" else ch for ch in changed]
        out.extend(Finding("action", ch.direction, f"{ch.verb}: {ch.what}", {"trend": ch.kind, "aspect": ch.aspect})
                   for ch in changed)
        # (only the negations and modal verbs that govern an action it reads: a changed action elsewhere in
        # the text does not explain "shall not create an account" → "may create one")
        meaning = any(f.feature == "negated-processing" for f in out) or all(
            actions.reads_every_verb_governed(s, lex) for s in (*olds, *d.added))
        out = [f if f.feature not in ("negation", "modal") or not meaning
               else Finding(f.feature, f.direction, f.detail, {**f.props, "trend": "read-as-action"})
               for f in out]
        out = [Finding(f.feature, f.direction, f.detail, {**f.props, "trend": "same-scope"})
               if f.feature == "negation" and f.direction == "neutral" and not changed else f for f in out]

    # The "last updated" line is metadata (judged above), not a sentence added or removed.
    alone = [s for s in alone if not (_DATE_RE.search(s) and count_terms(s, lex.updated_markers))]
    new_sentences = [s for s in new_sentences if not (_DATE_RE.search(s) and count_terms(s, lex.updated_markers))]
    # New sentences that explain a right ("you have the right to object …; we then stop, unless …") inform
    # as long as they name nothing done with data.
    explains_right = any(count_terms(s, lex.rights_markers) for s in (*d.added, *context))
    for s in new_sentences:
        obligation = terms.obliges(s, lex)
        if not obligation and (terms.term_findings([], [], [s], lex, direction, fact=fact)
                               or (english and actions.compare([], [s], lex))):
            continue  # what the sentence says is read by its terms or its actions (a right explained, a thing not done)
        info = english and (terms.informational(s, lex) or (explains_right and terms.names_nothing_done(s, lex)))
        out.append(Finding("sentence-added", direction, f"new sentence: “{short(s)}”",
                           {"obligation": obligation, "informational": info}))
    for s in alone:
        # A promise that is gone ("we will not share", "we will delete") widens, whatever else changed.
        promise = terms.promises(s, lex, d.added)
        obligation = terms.obliges(s, lex)
        if not (promise or obligation) and (terms.term_findings([], [s], [], lex, direction, fact=fact)
                                            or (english and actions.compare([s], [], lex))):
            continue
        out.append(Finding("sentence-removed", "widening" if promise else direction, f"sentence removed: “{short(s)}”",
                           {"obligation": obligation, "promise": promise}))
    out.extend(_citations(removed, added))
    # A number that is part of a value judged above (a phone number, an address, a date, a period, an age,
    # a reference to a provision) is not a number of its own, nor is one in a statement of what is not
    # done ("we do not sell … of consumers under 16"): only the rest is compared.
    nums_a = Counter(n for s in olds for n in _bare_numbers(s, lex))
    nums_b = Counter(n for s in d.added for n in _bare_numbers(s, lex))
    if nums_a != nums_b and not any(f.feature in ("duration", "age", "date", "updated-date", "amount") for f in out):
        out.append(Finding("number", detail=was(sorted(nums_a - nums_b), sorted(nums_b - nums_a))))
    return out


# A web address is a way to reach the company (a contact channel) where its sentence speaks of reaching it.
_CHANNEL_CONTEXT = re.compile(r"\b(?:contact|write|e-?mail us|reach|request|requests|right|rights|complain\w*|"
                              r"privacy office|dpo|data protection officer|representative|form|opt[- ]?out|"
                              r"unsubscribe|withdraw|object|ask us|questions?|inquir\w*)\b", re.IGNORECASE)


def _sentences_with(text: str, values: set[str]) -> list[str]:
    """The sentences (or lines) of ``text`` that hold one of ``values``."""
    parts = re.split(r"(?<=[.!?])\s+|\n", text)
    return [p for p in parts if any(v in p for v in values)]


def contact_findings(removed: str, added: str, known: Known) -> list[Finding]:
    """E-mail addresses, URLs and phone numbers compared. A channel added on a domain the old version used
    (or that the same text used) is more ways to reach the same organisation; on another domain it may be
    another organisation."""
    out = []
    for what, pattern in (("email", contacts.EMAIL_RE), ("url", contacts.URL_RE), ("phone", contacts.PHONE_RE)):
        ra = {v.rstrip(".,;") for v in pattern.findall(removed)}
        aa = {v.rstrip(".,;") for v in pattern.findall(added)}
        if ra == aa:
            continue
        gone, new = ra - aa, aa - ra
        if what == "phone":
            trend = "removed" if gone and not new else "added" if new and not gone else "changed"
        else:
            hosts_a, hosts_b = {contacts.host(v) for v in gone}, {contacts.host(v) for v in new}
            if gone and not new:
                trend = "removed"
            elif new and not gone:
                familiar = known.hosts | {contacts.host(v) for v in ra}
                trend = "added" if not known.hosts or hosts_b <= familiar else "added-new-domain"
            elif hosts_a == hosts_b:
                trend = "same-domain"
            else:
                trend = "domain-changed"
        if what == "url" and trend in ("removed", "domain-changed", "added-new-domain") and not any(
                _CHANNEL_CONTEXT.search(s) for s in _sentences_with(removed + "\n" + added, gone | new)):
            trend = "link"  # a link to another page (terms, an archive), not a way to reach anyone
        direction = "widening" if trend in ("removed", "domain-changed", "added-new-domain") else "neutral"
        out.append(Finding("contact", direction, f"{what}: {was(sorted(gone), sorted(new))}",
                           {"trend": trend, "channel": what}))
    return out


# A date that dates a law, a decision or an amendment ("Decision (EU) 2019/419 of 23 January 2019", "in force
# since 1 April 2022") is part of the reference to it: a legal-citation detail, not a date that binds.
_LAW_RE = re.compile(r"\b(?:decision|act|law|regulations?|directive|amendments?|rules|code|order|ordinance|"
                     r"convention|treaty|in force|entered into force|adopted)\b")


def _law_dates(text: str) -> set[str]:
    out = set()
    for m in _DATE_RE.finditer(text):
        before = text[max(0, m.start() - 80):m.start()]
        if _LAW_RE.search(before) and re.search(r"\b(?:of|since|from|on|dated)\s*$", before):
            out.add(m.group(0))
    return out


def _dates(removed: str, added: str) -> list[Finding]:
    """Dates of laws and decisions that changed: legal-citation details (docs/legal-basis.md#legal-citations)."""
    ra, aa = _law_dates(removed), _law_dates(added)
    if ra == aa:
        return []
    return [Finding("citation", detail=f"the date of a law or decision: {was(sorted(ra - aa), sorted(aa - ra))}")]


def _refined(gone: set[str], new: set[str]) -> bool:
    """Whether every date that went is still there, only more precise ("November 2021" → "1 November 2021")."""
    if not gone or len(new) < len(gone):
        return False
    return all(any(g.casefold() in n.casefold() for n in new) for g in gone)


def _citations(removed: str, added: str) -> list[Finding]:
    """A changed reference to a provision: a legal-citation update, or a legal basis when it names one."""
    def refs(text: str) -> set[str]:
        return {" ".join(m.group(0).split()) for m in CITATION_RE.finditer(text)}

    ra, rb = refs(removed), refs(added)
    if ra == rb:
        return []
    gone, new = sorted(ra - rb), sorted(rb - ra)
    if any(LEGAL_BASIS_CITATION_RE.search(r) for r in (*gone, *new)):
        return [Finding("legal-basis", "neutral", f"the legal basis cited changed: {was(gone, new)}")]
    return [Finding("citation", detail=was(gone, new))]


def _bare_numbers(sentence: str, lex: Lexicons) -> list[str]:
    """The numbers of a normalised sentence outside contact channels, dates, amounts, periods and ages,
    references to provisions, and the scope of a negation (each is judged as what it is)."""
    from policykit.compare.clauses import read

    reading = read(sentence, lex)
    text = "".join(c if not reading.negated or reading.asserts(i) else " " for i, c in enumerate(sentence))
    units = "|".join(sorted((re.escape(u) for u in lex.units), key=len, reverse=True)) or "(?!)"
    for pattern in (contacts.EMAIL_RE, contacts.URL_RE, contacts.PHONE_RE, _DATE_RE, _AMOUNT_RE, CITATION_RE,
                    re.compile(rf"\d+(?:[.,]\d+)?\s*-?\s*(?:{units})(?![a-z])")):
        text = pattern.sub(" ", text)
    return re.findall(r"\d+(?:[.,]\d+)*", text)


def _durations(olds: Sequence[str], news: Sequence[str], lex: Lexicons) -> list[Finding]:
    """Durations compared by value ("one month" is 30 days), ages compared by number.

    A period that only appears is judged by what it says: a notice period now
    promised, or a maximum ("up to", "within", "no more than": a cap where there
    was none) narrows; any other new period is neutral. A notice period or a cap
    that is gone widens.
    """
    if not lex.units:
        return []
    units = "|".join(sorted((re.escape(u) for u in lex.units), key=len, reverse=True))
    pattern = re.compile(rf"{NUMBER}\s*-?\s*({units})(?![a-z])")
    caps = re.compile("(?:" + "|".join(term_pattern(t) for t in lex.cap_markers) + r")\s*$") \
        if lex.cap_markers else None
    out = []

    def values(sents: Sequence[str]) -> tuple[list[float], list[float], bool, bool]:
        spans, ages, notice, capped = [], [], False, True
        for s in sents:
            is_notice = bool(count_terms(s, lex.notice_markers))
            is_age = bool(count_terms(s, lex.age_markers))
            for m in pattern.finditer(s):
                n = number_value(m.group(1) or m.group(2), lex)
                if n is None:
                    continue
                if is_age and lex.units.get(m.group(3), 0) >= 365:
                    ages.append(n)
                else:
                    spans.append(n * lex.units[m.group(3)])
                    notice = notice or is_notice
                    capped = capped and bool(caps and caps.search(s[max(0, m.start() - 30):m.start()]))
            if is_age and not pattern.search(s):
                ages.extend(float(x) for x in re.findall(r"(?<![\d.])(\d{1,2})(?![\d.])", s))
        return spans, ages, notice, capped and bool(spans)

    sa, aa, na, ca = values(olds)
    sb, ab, nb, cb = values(news)
    if sorted(sa) != sorted(sb) and (sa or sb):
        notice = na or nb
        if sa and sb:
            longer = max(sb) > max(sa) if max(sb) != max(sa) else sum(sb) > sum(sa)
            trend = "longer" if longer else "shorter"
            # A shorter notice period weakens the user's position; a longer retention widens processing.
            direction = ("narrowing" if longer else "widening") if notice else ("widening" if longer else "narrowing")
            what = "notice period" if notice else "period"
            out.append(Finding("duration", direction,
                               f"{what} {trend}: {_days(max(sa))} → {_days(max(sb))}", {"trend": trend}))
        elif sb:
            if nb:
                out.append(Finding("duration", "narrowing", f"a notice period is now promised: {_days(max(sb))}",
                                   {"trend": "notice-added"}))
            elif cb:
                out.append(Finding("duration", "narrowing", f"a maximum period is now stated: {_days(max(sb))}",
                                   {"trend": "capped"}))
            else:
                out.append(Finding("duration", "neutral", f"a period added: {_days(max(sb))}", {"trend": "added"}))
        elif na or ca:
            what = "the promised notice period" if na else "a maximum period"
            out.append(Finding("duration", "widening", f"{what} is gone: {_days(max(sa))}", {"trend": "removed"}))
        else:
            out.append(Finding("duration", "neutral", f"a period removed: {_days(max(sa))}", {"trend": "removed"}))
    if sorted(aa) != sorted(ab) and aa and ab:
        lower = min(ab) < min(aa)
        out.append(Finding("age", "widening" if lower else "narrowing",
                           f"age {'lowered' if lower else 'raised'}: {min(aa):g} → {min(ab):g}",
                           {"trend": "lower" if lower else "higher"}))
    return out


def _days(days: float) -> str:
    return f"{days:g} day{'s' if days != 1 else ''}"
