"""Prose: CJK-aware tokens, a word-level diff, and what changed in a text.

The diff of a block's text works on tokens, not on lines: a word of a
space-separated script is a token, and each Han, Hiragana or Katakana
character is a token of its own, so Japanese and Chinese diff by character
instead of by (absent) spaces. :func:`word_diff` keeps white space as tokens,
so the segments it returns put the text back together exactly (a redline).

:func:`analyse` reads the before and after of a text the way section (C) of
the regulatory notes asks: normalise, and if nothing is left the change is
editorial (format, punctuation, a moved sentence, a synonym, a typo fix);
otherwise it reports *findings* — a modal verb or a negation changed, a
duration got longer, an e-mail address was removed — each with the direction
of the change (``widening`` what is done with data, ``narrowing`` it, or
``neutral``). The classifier's rules match on findings; the word lists that
drive them are data (the ``lexicons`` of ``data/rules.yaml``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

_CJK = "\u3005\u3006\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN_RE = re.compile(
    rf"(?P<cjk>[{_CJK}])"
    rf"|(?P<word>(?:(?![{_CJK}])[^\W\d_])+(?:['’-](?:(?![{_CJK}])[^\W\d_])+)*)"
    r"|(?P<num>\d+(?:[.,:]\d+)*)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>.)",
    re.DOTALL,
)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])(?=\s|$|[A-Z\"'“(])|(?<=[。！？])|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
_MARKUP_RE = re.compile(r"\[([^\]]*)\]\(([^)]*)\)|<(https?://[^>]+|[^@>\s]+@[^>\s]+)>|[*_`#>]+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " "})
_CONTRACTIONS = [(re.compile(p), r) for p, r in (
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"),
    (r"\bshan't\b", "shall not"), (r"n't\b", " not"),
)]
# "cookies -like", "e- mail": a hyphen spaced on one side only is machine-translation damage, not a dash.
_HYPHEN_SPACE_RE = re.compile(r"(?<=\w)[ \t]+-(?=\w)|(?<=\w)-[ \t]+(?=\w)")
_PUNCT_RE = re.compile(r"(?<!\d)[^\w\s]|[^\w\s](?!\d)")
_EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()\]]+", re.IGNORECASE)
_PHONE_RE = re.compile(r"(?<![\w.])\+?\d[\d ()-]{6,}\d(?![\w.])")
_DATE_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|\b(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+(?:\d{1,2},?\s+)?\d{4}\b",
    re.IGNORECASE,
)
_AMOUNT_RE = re.compile(r"(?:[$€£¥]\s*\d[\d,.]*|\d[\d,.]*\s*(?:usd|eur|gbp|jpy|yen|円|元|dollars?|euros?))",
                        re.IGNORECASE)

Segment = tuple[str, str]  # ("=", text) | ("-", text) | ("+", text)


def tokens(text: str) -> list[str]:
    """The tokens of ``text``: words, numbers, single CJK characters, white space, punctuation."""
    return [m.group(0) for m in _TOKEN_RE.finditer(text)]


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


# -- normalisation ---------------------------------------------------------
@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Markdown markup removed (link text and target kept), Unicode NFKC, quotes and dashes unified."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _MARKUP_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) is not None
                          else (m.group(3) or " "), text)


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Case-folded, white space collapsed, hyphens unspaced, contractions spelled out: equal means "only format
    changed"."""
    text = _HYPHEN_SPACE_RE.sub("-", plain(text).casefold())
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def strip_punctuation(text: str) -> str:
    """``normalise(text)`` without punctuation (a dot or comma inside a number stays)."""
    return " ".join(_PUNCT_RE.sub(" ", normalise(text)).split())


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences (and list items) of ``text``, normalised, empty ones dropped."""
    parts = _SENTENCE_END_RE.split(plain(text))
    return tuple(s for s in (normalise(p) for p in parts) if s and re.search(r"\w", s))


def words(text: str) -> list[str]:
    """Normalised word tokens: no white space, no punctuation."""
    return [t for t in tokens(strip_punctuation(text)) if not t.isspace()]


# -- the lexicons (data/rules.yaml) ----------------------------------------
@dataclass(frozen=True)
class Lexicons:
    """Word lists that drive the prose findings. Terms are matched on normalised text, as words."""

    terms: Mapping[str, tuple[str, ...]]  # feature name -> terms (a trailing * is a prefix)
    widening: tuple[str, ...] = ()
    narrowing: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()  # each group: first is the canonical form
    units: Mapping[str, float] = field(default_factory=dict)  # duration unit -> days
    number_words: Mapping[str, int] = field(default_factory=dict)
    updated_markers: tuple[str, ...] = ()  # a sentence with one is the "last updated" line
    notice_markers: tuple[str, ...] = ()  # a duration in such a sentence is a notice period
    age_markers: tuple[str, ...] = ()
    stop_names: tuple[str, ...] = ()  # capitalised words that are not named parties
    inflections: tuple[tuple[str, str], ...] = ()  # (suffix, replacement): parties -> party (policykit.hunks)
    agreement: tuple[tuple[str, ...], ...] = ()  # irregular forms of one verb in one tense: (is, are), (has, have)
    articles: tuple[str, ...] = ()  # adding, dropping or swapping only these is editorial
    function_words: tuple[str, ...] = ()  # words that carry no content of their own (for definitions)
    definition_markers: tuple[str, ...] = ()  # a sentence with one defines a term ("means", "refers to")

    @staticmethod
    def from_data(data: Mapping[str, Any]) -> Lexicons:
        terms = {k: tuple(str(t) for t in v) for k, v in (data.get("terms") or {}).items()}
        return Lexicons(
            terms=terms,
            widening=tuple(data.get("widening", ())),
            narrowing=tuple(data.get("narrowing", ())),
            synonyms=tuple(tuple(g) for g in data.get("synonyms", ())),
            units={str(k): float(v) for k, v in (data.get("units") or {}).items()},
            number_words={str(k): int(v) for k, v in (data.get("number_words") or {}).items()},
            updated_markers=tuple(data.get("updated_markers", ())),
            notice_markers=tuple(data.get("notice_markers", ())),
            age_markers=tuple(data.get("age_markers", ())),
            stop_names=tuple(data.get("stop_names", ())),
            inflections=tuple((str(a), str(b or "")) for a, b in data.get("inflections", ())),
            agreement=tuple(tuple(str(w) for w in g) for g in data.get("agreement", ())),
            articles=tuple(data.get("articles", ())),
            function_words=tuple(data.get("function_words", ())),
            definition_markers=tuple(data.get("definition_markers", ())),
        )


@cache
def _term_re(term: str) -> re.Pattern[str]:
    body = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+")
    tail = r"\w*" if term.endswith("*") else r"(?!\w)"
    head = r"(?<!\w)" if term[:1].isalnum() else ""
    return re.compile(head + body + tail)


def count_terms(text: str, terms: Iterable[str]) -> Counter[str]:
    """How often each term occurs in normalised ``text``."""
    out: Counter[str] = Counter()
    for term in terms:
        n = len(_term_re(term).findall(text))
        if n:
            out[term] = n
    return out


# -- findings --------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One thing that changed in a text: ``feature`` names it, ``detail`` says what, for the reason."""

    feature: str
    direction: str = "neutral"  # widening | narrowing | neutral
    detail: str = ""
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Delta:
    """The sentences removed from and added to a text (what both share is left out)."""

    removed: tuple[str, ...]
    added: tuple[str, ...]
    # the original-case text of the same sentences, for named parties
    removed_raw: str = ""
    added_raw: str = ""


def delta(before: str, after: str, moved: Counter[str] | None = None) -> Delta:
    """Sentences only in ``before`` / only in ``after``; ``moved`` ones (found elsewhere) drop out."""
    sa, sb = Counter(sentences(before)), Counter(sentences(after))
    removed, added = sa - sb, sb - sa
    if moved:
        removed -= moved
        added -= moved
    raw_a = [s for s in _SENTENCE_END_RE.split(plain(before)) if normalise(s) in removed]
    raw_b = [s for s in _SENTENCE_END_RE.split(plain(after)) if normalise(s) in added]
    return Delta(tuple(removed.elements()), tuple(added.elements()), " ".join(raw_a), " ".join(raw_b))


def analyse(before: str, after: str, lex: Lexicons, *, moved: Counter[str] | None = None,
            known_words: Any = None, definition_block: bool = False) -> list[Finding]:
    """What changed between two versions of a text, most telling first; never empty when they differ.

    ``moved`` holds sentences that left one text and arrived unchanged in another;
    they count as moved, not as removed or added. ``known_words`` is a callable
    returning the subset of words a dictionary knows (for typo fixes). The change
    is read per hunk (:mod:`policykit.hunks`): editorial hunks (typo, inflection,
    word spacing, article, synonym) are set aside and only the rest is read for
    features. A substantive hunk in a defining sentence (the first sentence of a
    ``definition_block``, or one with a definition marker) adds a ``definition``
    finding with ``defines: true``.
    """
    from policykit import hunks

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
    d = delta(before, after, moved)
    if not d.removed and not d.added:
        what = "sentences moved" if moved else "sentences reordered"
        return [Finding("moved", detail=f"the same {what}; no sentence changed")]
    if _canonical(" ".join(d.removed), lex) == _canonical(" ".join(d.added), lex):
        return [Finding("synonym", detail="a word swapped for a synonym or another spelling")]
    out = _features(d, before, after, lex) or [Finding("wording", detail="wording changed")]
    hit = hunks.definition_hit(found, pa, pb, lex, definition_block=definition_block)
    if hit:
        score = _direction_score(" ".join(d.removed), " ".join(d.added), lex)
        direction = "widening" if score > 0 else "narrowing" if score < 0 else "neutral"
        out.append(Finding("definition", direction, hit, {"defines": True}))
    return out


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


def _canonical(text: str, lex: Lexicons) -> str:
    text = strip_punctuation(text)
    for group in lex.synonyms:
        for term in group[1:]:
            text = _term_re(term).sub(group[0], text)
    return " ".join(text.split())


def _pairs(d: Delta) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Pair each removed sentence with the most similar added one (a sentence that was edited)."""
    added = list(d.added)
    pairs, alone = [], []
    for r in d.removed:
        best, score = None, 0.5
        for a in added:
            s = difflib.SequenceMatcher(None, r, a, autojunk=False).ratio()
            if s > score:
                best, score = a, s
        if best is None:
            alone.append(r)
        else:
            pairs.append((r, best))
            added.remove(best)
    return pairs, alone, added


def _features(d: Delta, before: str, after: str, lex: Lexicons) -> list[Finding]:
    removed, added = " ".join(d.removed), " ".join(d.added)
    out: list[Finding] = []
    score = _direction_score(removed, added, lex)
    direction = "widening" if score > 0 else "narrowing" if score < 0 else "neutral"

    # Values first: what the structured heuristics can compare with a unit.
    out.extend(_durations(d, lex))
    out.extend(_contacts(removed, added))
    for feature, pattern in (("date", _DATE_RE), ("amount", _AMOUNT_RE)):
        ra, aa = set(pattern.findall(removed)), set(pattern.findall(added))
        if ra != aa:
            updated = any(count_terms(s, lex.updated_markers) for s in (*d.removed, *d.added)
                          if pattern.search(s))
            if feature == "date" and updated:
                out.append(Finding("updated-date", detail="the “last updated” date changed"))
            else:
                out.append(Finding(feature, detail=_was(ra, aa)))

    # Words whose presence changes the meaning: modal verbs, negations, and the rest.
    for feature, terms in lex.terms.items():
        ca, cb = count_terms(removed, terms), count_terms(added, terms)
        if ca == cb:
            continue
        gone, new = sorted((ca - cb).keys()), sorted((cb - ca).keys())
        if feature in ("processing", "anonymity", "retroactive", "hedge", "open-list", "change-notice",
                       "consent"):
            own = "widening" if new and not gone else "narrowing" if gone and not new else "neutral"
            if feature == "processing" and new:
                own = "widening"  # "share" → "sell": a processing verb that was not there is new processing
            if feature == "anonymity":
                own = {"widening": "narrowing", "narrowing": "widening"}.get(own, own)
            out.append(Finding(feature, own, _was(gone, new, quote=True)))
        else:
            out.append(Finding(feature, direction, _was(gone, new, quote=True)))

    names_a, names_b = _names(d.removed_raw, lex), _names(d.added_raw, lex)
    if names_a != names_b:
        new_names, gone_names = sorted(names_b - names_a), sorted(names_a - names_b)
        new_countries = _countries_in(d.added_raw) - _countries_in(d.removed_raw)
        if new_countries:
            out.append(Finding("country", "widening", "new country named: " + ", ".join(sorted(new_countries))))
        own = "widening" if new_names else "narrowing"
        out.append(Finding("named-party", own, _was(gone_names, new_names, quote=True)))

    _, alone, new_sentences = _pairs(d)
    # The "last updated" line is metadata (judged above), not a sentence added or removed.
    alone = [s for s in alone if not (_DATE_RE.search(s) and count_terms(s, lex.updated_markers))]
    new_sentences = [s for s in new_sentences if not (_DATE_RE.search(s) and count_terms(s, lex.updated_markers))]
    obligation_terms = lex.terms.get("modal", ())
    for s in new_sentences:
        obliges = bool(count_terms(s, obligation_terms))
        out.append(Finding("sentence-added", direction if direction != "narrowing" else "narrowing",
                           f"new sentence: “{_short(s)}”", {"obligation": obliges}))
    for s in alone:
        obliges = bool(count_terms(s, obligation_terms))
        out.append(Finding("sentence-removed", direction, f"sentence removed: “{_short(s)}”",
                           {"obligation": obliges}))
    nums_a = Counter(re.findall(r"\d+(?:[.,]\d+)*", removed))
    nums_b = Counter(re.findall(r"\d+(?:[.,]\d+)*", added))
    if nums_a != nums_b and not any(f.feature in ("duration", "age", "date", "updated-date", "amount") for f in out):
        out.append(Finding("number", detail=_was(sorted(nums_a - nums_b), sorted(nums_b - nums_a))))
    return out


def _direction_score(removed: str, added: str, lex: Lexicons) -> int:
    wa, wb = count_terms(removed, lex.widening), count_terms(added, lex.widening)
    na, nb = count_terms(removed, lex.narrowing), count_terms(added, lex.narrowing)
    return (sum(wb.values()) - sum(wa.values())) + (sum(na.values()) - sum(nb.values()))


_NUMBER = r"(?:(?<![\d.,])(\d+(?:[.,]\d+)?)|\b([a-z]+))"


def _durations(d: Delta, lex: Lexicons) -> list[Finding]:
    """Durations compared by value ("one month" is 30 days), ages compared by number."""
    if not lex.units:
        return []
    units = "|".join(sorted((re.escape(u) for u in lex.units), key=len, reverse=True))
    pattern = re.compile(rf"{_NUMBER}\s*-?\s*({units})(?![a-z])")
    out = []

    def values(sents: Sequence[str]) -> tuple[list[float], list[float], bool]:
        spans, ages, notice = [], [], False
        for s in sents:
            is_notice = bool(count_terms(s, lex.notice_markers))
            is_age = bool(count_terms(s, lex.age_markers))
            for m in pattern.finditer(s):
                n = _number(m.group(1) or m.group(2), lex)
                if n is None:
                    continue
                if is_age and lex.units.get(m.group(3), 0) >= 365:
                    ages.append(n)
                else:
                    spans.append(n * lex.units[m.group(3)])
                    notice = notice or is_notice
            if is_age and not pattern.search(s):
                ages.extend(float(x) for x in re.findall(r"(?<![\d.])(\d{1,2})(?![\d.])", s))
        return spans, ages, notice

    sa, aa, na = values(d.removed)
    sb, ab, nb = values(d.added)
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
        else:
            out.append(Finding("duration", "neutral", "a period " + ("added" if sb else "removed"),
                               {"trend": "added" if sb else "removed"}))
    if sorted(aa) != sorted(ab) and aa and ab:
        lower = min(ab) < min(aa)
        out.append(Finding("age", "widening" if lower else "narrowing",
                           f"age {'lowered' if lower else 'raised'}: {min(aa):g} → {min(ab):g}",
                           {"trend": "lower" if lower else "higher"}))
    return out


def _number(text: str, lex: Lexicons) -> float | None:
    if text[:1].isdigit():
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    return float(lex.number_words[text]) if text in lex.number_words else None


def _days(days: float) -> str:
    return f"{days:g} day{'s' if days != 1 else ''}"


def _contacts(removed: str, added: str) -> list[Finding]:
    out = []
    for what, pattern in (("email", _EMAIL_RE), ("url", _URL_RE), ("phone", _PHONE_RE)):
        ra = {v.rstrip(".,;") for v in pattern.findall(removed)}
        aa = {v.rstrip(".,;") for v in pattern.findall(added)}
        if ra == aa:
            continue
        gone, new = ra - aa, aa - ra
        if what == "phone":
            trend = "removed" if gone and not new else "added" if new and not gone else "changed"
        else:
            hosts_a, hosts_b = {_host(v) for v in gone}, {_host(v) for v in new}
            if gone and not new:
                trend = "removed"
            elif new and not gone:
                trend = "added"
            elif hosts_a == hosts_b:
                trend = "same-domain"
            else:
                trend = "domain-changed"
        direction = "widening" if trend in ("removed", "domain-changed") else "neutral"
        out.append(Finding("contact", direction, f"{what}: {_was(sorted(gone), sorted(new))}",
                           {"trend": trend, "channel": what}))
    return out


def _host(value: str) -> str:
    value = value.casefold()
    if "@" in value and "://" not in value:
        host = value.rsplit("@", 1)[1]
    else:
        host = re.sub(r"^[a-z]+://", "", value).split("/", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.")
    parts = host.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


def _names(raw: str, lex: Lexicons) -> set[str]:
    """Capitalised words that are not the first of a sentence: organisations, products, countries."""
    stop = {s.casefold() for s in lex.stop_names}
    out = set()
    for sentence in _SENTENCE_END_RE.split(raw):
        for w in re.findall(r"[A-Za-z][\w&'-]*", sentence)[1:]:
            if w[0].isupper() and w.casefold() not in stop:
                out.add(w)
    return out


@cache
def _country_re() -> re.Pattern[str]:
    from babel import Locale

    names = sorted((name for code, name in Locale("en").territories.items() if len(code) == 2 and code.isalpha()),
                   key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")


def _countries_in(raw: str) -> set[str]:
    return set(_country_re().findall(raw)) if raw else set()


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _was(gone: Iterable[Any], new: Iterable[Any], *, quote: bool = False) -> str:
    def show(values: Iterable[Any]) -> str:
        return ", ".join(f"“{v}”" if quote else str(v) for v in values)

    gone, new = list(gone), list(new)
    if gone and new:
        return f"{show(gone)} → {show(new)}"
    if new:
        return f"added {show(new)}"
    return f"removed {show(gone)}"
