"""Values in prose, compared by what they are worth: periods, ages, dates, amounts, contact channels, citations.

A period is compared in days ("one month" is 30 days) and an age by its number, whatever words
say them; a date made more precise is not a new date; the date of a law dates the reference to it;
an e-mail address, a URL or a phone number is a way to reach someone (or only a link); a reference
to a provision is a legal citation, or a legal basis when it names one. :mod:`policykit.compare.prose`
reads these first, then compares only the numbers none of them accounts for (:func:`bare_numbers`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from policykit.compare import contacts
from policykit.compare.findings import Finding, Known, was
from policykit.compare.lexicons import Lexicons, count_terms, term_pattern
from policykit.compare.text import CITATION_RE, NUMBER, normalise, number_value

_DATE_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|\b(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+(?:\d{1,2},?\s+)?\d{4}\b",
    re.IGNORECASE,
)
_AMOUNT_RE = re.compile(r"(?:[$€£¥]\s*\d[\d,.]*|\d[\d,.]*\s*(?:usd|eur|gbp|jpy|yen|円|元|dollars?|euros?))",
                        re.IGNORECASE)
LEGAL_BASIS_CITATION_RE = re.compile(r"\b(?:6|9|49)\s*\(\s*[12]\s*\)\s*\(\s*[a-j]\s*\)", re.IGNORECASE)

# A web address is a way to reach the company (a contact channel) where its sentence speaks of reaching it.
_CHANNEL_CONTEXT = re.compile(r"\b(?:contact|write|e-?mail us|reach|request|requests|right|rights|complain\w*|"
                              r"privacy office|dpo|data protection officer|representative|form|opt[- ]?out|"
                              r"unsubscribe|withdraw|object|ask us|questions?|inquir\w*)\b", re.IGNORECASE)


def is_navigation(before: str, after: str, lex: Lexicons, known: Known) -> bool:
    """Whether both texts (or the one that is not empty) are made of links alone, none of whose words reach
    anyone, name a right or a word the rules read, unless it is a title of the document's own sections (a
    table of contents): a navigation line states nothing about personal information."""
    sides = [t for t in (before, after) if t.strip()]
    found = [contacts.anchors_only(t) for t in sides]
    if not sides or any(f is None for f in found):
        return False
    titles = {normalise(t) for t in known.titles}
    for words in {w for f in found for w in f or ()}:
        if normalise(words) in titles:
            continue
        if _CHANNEL_CONTEXT.search(words) or count_terms(words, lex.rights_markers) or any(
                count_terms(words, group) for group in lex.terms.values()):
            return False
    return True


def _sentences_with(text: str, values: set[str]) -> list[str]:
    """The sentences (or lines) of ``text`` that hold one of ``values``."""
    parts = re.split(r"(?<=[.!?])\s+|\n", text)
    return [p for p in parts if any(v in p for v in values)]


def contact_findings(removed: str, added: str, known: Known,
                     retargeted: frozenset[str] = frozenset()) -> list[Finding]:
    """E-mail addresses, URLs and phone numbers compared. A channel added on a domain the old version used
    (or that the same text used), or on the domain of an organisation it names, is more ways to reach the
    same organisation; on another domain it may be another organisation. A channel the new version still
    gives elsewhere is not removed. ``retargeted`` holds the link targets that changed while the words a
    reader sees stayed (:func:`policykit.compare.contacts.retargeted`)."""
    out = []
    for what, pattern in (("email", contacts.EMAIL_RE), ("url", contacts.URL_RE), ("phone", contacts.PHONE_RE)):
        ra = {v.rstrip(".,;") for v in pattern.findall(_outside_addresses(removed, what))}
        aa = {v.rstrip(".,;") for v in pattern.findall(_outside_addresses(added, what))}
        gone, new = ra - aa, aa - ra
        if known.later:
            gone -= known.still_given  # still given elsewhere in the document: not a channel lost
        if not gone and not new:
            continue
        trend = _contact_trend(what, gone, new, ra, known)
        if what == "url" and trend in ("removed", "domain-changed", "added-new-domain", "added-named-organisation",
                                       "same-organisation") and not any(
                _CHANNEL_CONTEXT.search(s) for s in _sentences_with(removed + "\n" + added, gone | new)):
            trend = "link"  # a link to another page (terms, an archive), not a way to reach anyone
        if trend == "added-new-domain" and all(_ROLE_CONTACT_RE.search(x) for x in _sentences_with(added, new)):
            trend = "added-role"  # "contact our Data Protection Officer at Ametros Group Ltd, dpo@ametrosgroup.com"
        if (gone | new) <= retargeted and trend in ("removed", "domain-changed"):
            trend = "target-dropped" if trend == "removed" else "target-moved"
        direction = "widening" if trend in ("removed", "domain-changed", "added-new-domain") else "neutral"
        out.append(Finding("contact", direction, f"{what}: {was(sorted(gone), sorted(new))}",
                           {"trend": trend, "channel": what}))
    return out


# A channel given as the way to reach someone in a role the law makes act for the controller towards the
# people whose data it holds: a data protection officer (GDPR Art. 37(6): staff or a service contract; Art.
# 38(4), 13(1)(b)) or a representative in the Union (Art. 27). The reader is told whom to write to; no data
# goes to the organisation behind the address by this sentence.
_ROLE_CONTACT_RE = re.compile(r"\b(?:contact|reach|write to|e-?mail|reached|contacted)\b[^.;:]{0,60}?\b(?:data "
                              r"protection officer|dpo|(?:eu |uk |eea )?representative|datenschutzbeauftragte\w*|"
                              r"vertreter\w*)\b", re.IGNORECASE)


def _outside_addresses(text: str, what: str) -> str:
    """``text`` for reading ``what``: a phone number is never read inside a web or e-mail address (the digits
    of ``help.tumblr.com/hc/articles/4402757539607`` call nobody)."""
    if what != "phone":
        return text
    return contacts.EMAIL_RE.sub(" ", contacts.URL_RE.sub(" ", text))


def _contact_trend(what: str, gone: set[str], new: set[str], ra: set[str], known: Known) -> str:
    """How the channels of a text changed: removed; added (on a domain the policy uses), added-named-organisation
    (on the domain of an organisation it names), added-new-domain; same-domain, same-organisation (another
    domain of the same name: ``twitch.tv`` and ``legal.twitch.com``), domain-changed."""
    if what == "phone":
        return "removed" if gone and not new else "added" if new and not gone else "changed"
    if gone and not new:
        return "removed"
    orgs = {contacts.organisation(v) for v in new}
    if new and not gone:
        familiar = known.hosts | {contacts.host(v) for v in ra}
        if not known.hosts or {contacts.host(v) for v in new} <= familiar:
            return "added"
        named = orgs <= known.organisations | {contacts.organisation(v) for v in ra}
        return "added-named-organisation" if named else "added-new-domain"
    if {contacts.host(v) for v in gone} == {contacts.host(v) for v in new}:
        return "same-domain"
    return "same-organisation" if orgs <= {contacts.organisation(v) for v in gone} else "domain-changed"


# A date that dates a law, a decision or an amendment ("Decision (EU) 2019/419 of 23 January 2019", "in force
# since 1 April 2022") is part of the reference to it: a legal-citation detail, not a date that binds.
_LAW_RE = re.compile(r"\b(?:decision|act|law|regulations?|directive|amendments?|rules|code|order|ordinance|"
                     r"convention|treaty|in force|entered into force|adopted)\b")
_DIGIT_RE = re.compile(r"\d")


def _law_dates(text: str) -> set[str]:
    out: set[str] = set()
    if not _DIGIT_RE.search(text):  # every date _DATE_RE knows holds a digit: skip its slow scan
        return out
    for m in _DATE_RE.finditer(text):
        before = text[max(0, m.start() - 80):m.start()]
        if _LAW_RE.search(before) and re.search(r"\b(?:of|since|from|on|dated)\s*$", before):
            out.add(m.group(0))
    return out


def law_date_findings(removed: str, added: str) -> list[Finding]:
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


def citation_findings(removed: str, added: str) -> list[Finding]:
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


def bare_numbers(sentence: str, lex: Lexicons) -> list[str]:
    """The numbers of a normalised sentence outside contact channels, dates, amounts, periods and ages,
    references to provisions, and the scope of a negation (each is judged as what it is)."""
    from policykit.compare.clauses import read

    reading = read(sentence, lex)
    text = "".join(c if not reading.negated or reading.asserts(i) else " " for i, c in enumerate(sentence))
    units = "|".join(sorted((re.escape(u) for u in lex.units), key=len, reverse=True)) or "(?!)"
    for pattern in (contacts.EMAIL_RE, contacts.URL_RE, contacts.PHONE_RE, _DATE_RE, _AMOUNT_RE, CITATION_RE,
                    re.compile(rf"\d+(?:[.,]\d+)?\s*-?\s*(?:{units})(?![a-z])")):
        text = pattern.sub(" ", text)
    # Digits inside a code of letters and digits ("HR2 6JT", "WC1A 1BA", "2nd floor") count nothing.
    return re.findall(r"(?<![a-z])\d+(?:[.,]\d+)*(?![a-z])", text)


def date_findings(olds: Sequence[str], news: Sequence[str], lex: Lexicons) -> list[Finding]:
    """Dates and amounts compared as sets (a date that dates a law left out): a date made more precise,
    the “last updated” date, another date or amount."""
    removed, added = " ".join(olds), " ".join(news)
    out: list[Finding] = []
    for feature, pattern in (("date", _DATE_RE), ("amount", _AMOUNT_RE)):
        ra, aa = set(pattern.findall(removed)), set(pattern.findall(added))
        if feature == "date":
            ra, aa = ra - _law_dates(removed) - _law_dates(added), aa - _law_dates(added) - _law_dates(removed)
            if _refined(ra - aa, aa - ra):
                out.append(Finding("date", detail=f"a date made more precise: {was(sorted(ra - aa), sorted(aa - ra))}",
                                   props={"trend": "refined"}))
                continue
        if ra != aa:
            updated = any(count_terms(s, lex.updated_markers) for s in (*olds, *news) if pattern.search(s))
            if feature == "date" and updated:
                out.append(Finding("updated-date", detail="the “last updated” date changed"))
            else:
                out.append(Finding(feature, detail=was(ra, aa)))
    return out


def is_updated_line(sentence: str, lex: Lexicons) -> bool:
    """Whether a sentence is the “last updated” line: a date with an updated marker (metadata, not a statement)."""
    return bool(_DATE_RE.search(sentence) and count_terms(sentence, lex.updated_markers))


@dataclass(frozen=True)
class _Periods:
    """The periods and ages a text states: periods in days, whether one is a notice period, whether every
    period is a maximum ("up to 30 days")."""

    spans: list[float]
    ages: list[float]
    notice: bool
    capped: bool


def _periods(sents: Sequence[str], lex: Lexicons, pattern: re.Pattern[str], caps: re.Pattern[str] | None) -> _Periods:
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
    return _Periods(spans, ages, notice, capped and bool(spans))


def duration_findings(olds: Sequence[str], news: Sequence[str], lex: Lexicons) -> list[Finding]:
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
    a, b = _periods(olds, lex, pattern, caps), _periods(news, lex, pattern, caps)
    out = []
    if sorted(a.spans) != sorted(b.spans) and (a.spans or b.spans):
        out.append(_duration_finding(a, b))
    if sorted(a.ages) != sorted(b.ages) and a.ages and b.ages:
        lower = min(b.ages) < min(a.ages)
        out.append(Finding("age", "widening" if lower else "narrowing",
                           f"age {'lowered' if lower else 'raised'}: {min(a.ages):g} → {min(b.ages):g}",
                           {"trend": "lower" if lower else "higher"}))
    return out


def _duration_finding(a: _Periods, b: _Periods) -> Finding:
    """What a change of periods means: longer or shorter, a notice period or a maximum now promised or gone."""
    if a.spans and b.spans:
        notice = a.notice or b.notice
        longer = max(b.spans) > max(a.spans) if max(b.spans) != max(a.spans) else sum(b.spans) > sum(a.spans)
        trend = "longer" if longer else "shorter"
        # A shorter notice period weakens the user's position; a longer retention widens processing.
        direction = ("narrowing" if longer else "widening") if notice else ("widening" if longer else "narrowing")
        what = "notice period" if notice else "period"
        return Finding("duration", direction, f"{what} {trend}: {_days(max(a.spans))} → {_days(max(b.spans))}",
                       {"trend": trend})
    if b.spans:
        if b.notice:
            return Finding("duration", "narrowing", f"a notice period is now promised: {_days(max(b.spans))}",
                           {"trend": "notice-added"})
        if b.capped:
            return Finding("duration", "narrowing", f"a maximum period is now stated: {_days(max(b.spans))}",
                           {"trend": "capped"})
        return Finding("duration", "neutral", f"a period added: {_days(max(b.spans))}", {"trend": "added"})
    if a.notice or a.capped:
        what = "the promised notice period" if a.notice else "a maximum period"
        return Finding("duration", "widening", f"{what} is gone: {_days(max(a.spans))}", {"trend": "removed"})
    return Finding("duration", "neutral", f"a period removed: {_days(max(a.spans))}", {"trend": "removed"})


def _days(days: float) -> str:
    return f"{days:g} day{'s' if days != 1 else ''}"


# "article 27(5)(iii)" and "article 27, paragraph 5, item 3" cite the same provision
_CITED_ARTICLE_RE = re.compile(r"\b(?P<unit>article|art\.|section|§)\s*(?P<n>\d+)"
                               r"(?:\((?P<p>\d+)\)(?:\((?P<i>[ivx]+|\d+)\))?|"
                               r",? paragraph (?P<p2>\d+)(?:,? item (?P<i2>\d+))?)")
_ROMAN = {"i": 1, "v": 5, "x": 10}


def _citation(m: re.Match[str]) -> str:
    unit = {"art.": "article"}.get(m.group("unit"), m.group("unit"))
    paragraph, item = m.group("p") or m.group("p2"), m.group("i") or m.group("i2")
    return f"{unit} {m.group('n')}" + (f" paragraph {paragraph}" if paragraph else "") + \
        (f" item {_number(item)}" if item else "")


def _number(numeral: str) -> int:
    """An item's number, written in Arabic or in Roman numerals ("iii")."""
    if numeral.isdigit():
        return int(numeral)
    digits = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(digits) and v < digits[i + 1] else v for i, v in enumerate(digits))


def one_citation_form(sentence: str) -> str:
    """``sentence`` with each citation of an article in one form: "article 27(5)(iii)" and "article 27, paragraph 5,
    item 3" cite the same provision (the sameness proof compares them as one)."""
    return _CITED_ARTICLE_RE.sub(_citation, sentence)
