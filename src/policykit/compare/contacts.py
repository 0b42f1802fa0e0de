"""Contact channels in prose: e-mail addresses, URLs and phone numbers, and the domain each belongs to.

A changed channel is compared by its domain (:func:`host`): an address added on a
domain the old version already used is another way to reach the same
organisation; one on a new domain may be another organisation
(docs/legal-basis.md#contacts-and-links: an e-mail address or URL changed is at least minor).
What a changed channel means is a finding of :mod:`policykit.compare.values`
(``contact_findings``); this module only reads the channels.
"""

from __future__ import annotations

import re

from policykit.compare.text import SENTENCE_END_RE, normalise

EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()\]]+", re.IGNORECASE)
# A phone number may end a sentence ("call +81 3 1234 5678."): a full stop after it is no decimal point.
# An ISO date (2024-07-01) is no phone number.
# A number of fewer than eight digits without a "+" is a house number and a postcode ("Polstjärnegatan 14
# 417 56 Gothenburg"), not a phone number: a number a policy gives to call has an area or country code.
PHONE_RE = re.compile(r"(?<![\w.])(?!\d{4}-\d\d-\d\d(?!\d))(?:\+\d[\d ()-]{6,}|\d(?=(?:[ ()-]*\d){7})[\d ()-]{6,})\d"
                      r"(?!\w|\.\d)")


def host(value: str) -> str:
    """The registrable domain (the last two labels) of an e-mail address or URL, casefolded, without ``www.``."""
    value = value.casefold()
    if "@" in value and "://" not in value:
        found = value.rsplit("@", 1)[1]
    else:
        found = re.sub(r"^[a-z]+://", "", value).split("/", 1)[0].split(":", 1)[0]
    found = found.removeprefix("www.")
    parts = found.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else found


def organisation(value: str) -> str:
    """The name an e-mail address's or URL's domain gives its owner: the label before the top-level domain
    (``legal.twitch.com`` and ``www.twitch.tv`` are both ``twitch``'s)."""
    return host(value).split(".", 1)[0]


def channels_in(text: str) -> frozenset[str]:
    """Every e-mail address, URL and phone number of ``text``, casefolded, as :func:`policykit.compare.values.
    contact_findings` reads them from a normalised sentence."""
    bare = EMAIL_RE.sub(" ", URL_RE.sub(" ", text))  # a phone number is never read inside an address
    found = [*EMAIL_RE.findall(text), *URL_RE.findall(text), *PHONE_RE.findall(bare)]
    return frozenset(v.rstrip(".,;").casefold() for v in found)


_LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")


def visible(text: str) -> str:
    """``text`` as a reader sees it: each Markdown link reduced to its words, its target left out."""
    return _LINK_RE.sub(lambda m: m.group(1), text)


_LIST_MARK_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)


def anchors_only(text: str) -> tuple[str, ...] | None:
    """The words of the links of ``text`` when it is made of links alone (a navigation line, a menu, a table
    of contents: list markers aside, no word outside a link), else None."""
    if not _LINK_RE.search(text) or re.search(r"\w", _LINK_RE.sub(" ", _LIST_MARK_RE.sub(" ", text))):
        return None
    return tuple(m.group(1) for m in _LINK_RE.finditer(text))


def link_targets(text: str) -> frozenset[str]:
    """The targets of the Markdown links of ``text`` (``mailto:`` left out), casefolded."""
    return frozenset(m.group(2).removeprefix("mailto:").rstrip(".,;").casefold() for m in _LINK_RE.finditer(text))


def retargeted(before: str, after: str) -> frozenset[str]:
    """The link targets (URLs, e-mail addresses) that changed while the words a reader sees stayed: each
    sentence that held one reads the same in the other version once link targets are left out (a scraper
    that drops or restores a hyperlink, a "contact us" link pointed at another page)."""
    changed = link_targets(before) ^ link_targets(after)
    if not changed:
        return frozenset()
    seen = {side: {normalise(visible(s)) for s in SENTENCE_END_RE.split(side)} for side in (before, after)}
    out = set()
    for target in changed:
        holders = [(s, other) for side, other in ((before, after), (after, before))
                   for s in SENTENCE_END_RE.split(side) if target in link_targets(s)]
        if holders and all(normalise(visible(s)) in seen[other] for s, other in holders):
            out.add(target)
    return frozenset(out)


def hosts_in(text: str) -> frozenset[str]:
    """The domains of every e-mail address and URL in ``text``."""
    return frozenset({host(v) for v in EMAIL_RE.findall(text)} | {host(v) for v in URL_RE.findall(text)})
