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

EMAIL_RE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()\]]+", re.IGNORECASE)
# A phone number may end a sentence ("call +81 3 1234 5678."): a full stop after it is no decimal point.
# An ISO date (2024-07-01) is no phone number.
PHONE_RE = re.compile(r"(?<![\w.])(?!\d{4}-\d\d-\d\d(?!\d))\+?\d[\d ()-]{6,}\d(?!\w|\.\d)")


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
