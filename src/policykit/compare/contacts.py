"""Contact channels in prose: e-mail addresses, URLs and phone numbers, and the domain each belongs to.

A changed channel is compared by its domain (:func:`host`): an address added on a
domain the old version already used is another way to reach the same
organisation; one on a new domain may be another organisation
(docs/legal-basis.md#contacts-and-links: an e-mail address or URL changed is at least minor).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policykit.compare.prose import Finding, Known

EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()\]]+", re.IGNORECASE)
# A phone number may end a sentence ("call +81 3 1234 5678."): a full stop after it is no decimal point.
# An ISO date (2024-07-01) is no phone number.
PHONE_RE = re.compile(r"(?<![\w.])(?!\d{4}-\d\d-\d\d(?!\d))\+?\d[\d ()-]{6,}\d(?!\w|\.\d)")


# A web address is a way to reach the company (a contact channel) where its sentence speaks of reaching it.
_CHANNEL_CONTEXT = re.compile(r"\b(?:contact|write|e-?mail us|reach|request|requests|right|rights|complain\w*|"
                              r"privacy office|dpo|data protection officer|representative|form|opt[- ]?out|"
                              r"unsubscribe|withdraw|object|ask us|questions?|inquir\w*)\b", re.IGNORECASE)


def _sentences_with(text: str, values: set[str]) -> list[str]:
    """The sentences (or lines) of ``text`` that hold one of ``values``."""
    parts = re.split(r"(?<=[.!?])\s+|\n", text)
    return [p for p in parts if any(v in p for v in values)]


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


def hosts_in(text: str) -> frozenset[str]:
    """The domains of every e-mail address and URL in ``text``."""
    return frozenset({host(v) for v in EMAIL_RE.findall(text)} | {host(v) for v in URL_RE.findall(text)})


def contact_findings(removed: str, added: str, known: Known) -> list[Finding]:
    """E-mail addresses, URLs and phone numbers compared. A channel added on a domain the old version used
    (or that the same text used) is more ways to reach the same organisation; on another domain it may be
    another organisation."""
    from policykit.compare.prose import Finding, _was

    out = []
    for what, pattern in (("email", EMAIL_RE), ("url", URL_RE), ("phone", PHONE_RE)):
        ra = {v.rstrip(".,;") for v in pattern.findall(removed)}
        aa = {v.rstrip(".,;") for v in pattern.findall(added)}
        if ra == aa:
            continue
        gone, new = ra - aa, aa - ra
        if what == "phone":
            trend = "removed" if gone and not new else "added" if new and not gone else "changed"
        else:
            hosts_a, hosts_b = {host(v) for v in gone}, {host(v) for v in new}
            if gone and not new:
                trend = "removed"
            elif new and not gone:
                familiar = known.hosts | {host(v) for v in ra}
                trend = "added" if not known.hosts or hosts_b <= familiar else "added-new-domain"
            elif hosts_a == hosts_b:
                trend = "same-domain"
            else:
                trend = "domain-changed"
        if what == "url" and trend in ("removed", "domain-changed", "added-new-domain") and not any(
                _CHANNEL_CONTEXT.search(s) for s in _sentences_with(removed + "\n" + added, gone | new)):
            trend = "link"  # a link to another page (terms, an archive), not a way to reach anyone
        direction = "widening" if trend in ("removed", "domain-changed", "added-new-domain") else "neutral"
        out.append(Finding("contact", direction, f"{what}: {_was(sorted(gone), sorted(new))}",
                           {"trend": trend, "channel": what}))
    return out
