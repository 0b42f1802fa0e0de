"""Whether a change that reads as narrowing widens who receives data: a recipient's limit taken out.

"we share your name with the logistics companies and partners that deliver your order" made "… with
logistics companies and with the other companies we work with" loses the processing term "partners", so the
readers before (:mod:`policykit.compare.terms`) see less shared. But the restrictive clause that limited
the recipients ("that deliver your order") is gone, and an open class ("the *other* companies we work with")
stands in their place: the recipients may be more. :func:`recipients_widened` says so, and
:mod:`policykit.compare.observations` asks it wherever a change reads as narrowing (rule
``text.recipient-widened``). The words are ``recipients``, ``relatives`` and ``open_class`` of
``data/sameness.yaml``. A recipient taken out with its limit kept ("partners and couriers that deliver your
order" → "couriers that deliver your order") is no widening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from itertools import pairwise

from policykit.compare import clauses, sameness
from policykit.compare.findings import delta
from policykit.compare.lexicons import Lexicons
from policykit.compare.narrowing import tokens
from policykit.compare.text import short


@dataclass(frozen=True)
class _RecipientWords:
    recipients: re.Pattern[str]
    relatives: frozenset[str]
    open_class: frozenset[str]


@cache
def _recipient_words() -> _RecipientWords:
    voc = sameness.vocabulary()
    pattern = "|".join(re.escape(w).replace(r"\*", r"\w*") for w in voc.recipients)
    return _RecipientWords(re.compile(rf"\b(?:{pattern})\b"), voc.relatives, voc.open_class)


_MOST_WORDS = 12  # a recipient described anew is a phrase, not a sentence rewritten


def recipients_widened(before: str, after: str, lex: Lexicons) -> str:
    """Why a change that takes a recipient's words out widens who receives data, or '': the recipient's
    restrictive clause was taken out ("partners *that deliver your order*"), or the recipient was described
    anew by an open class ("the *other* companies we work with"). Only sentences about parties
    (``party_context``) are read. A recipient gone with its limits kept, or a sentence rewritten whole, is
    left to the other readers."""
    d, voc = delta(before, after), _recipient_words()
    # counted over the whole change: sentences that swap places keep their clauses
    fewer_limits = sum(_limits(tokens(s), voc) for s in d.removed) > sum(_limits(tokens(s), voc) for s in d.added)
    for old, new in zip(d.removed, d.added, strict=False):
        if not clauses.read(old, lex).of(clauses.PARTY_CONTEXT):
            continue
        a, b = tokens(old), tokens(new)
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            gone, came = " ".join(a[i1:i2]), " ".join(b[j1:j2])
            # the recipient taken out, or the one right before what was taken out ("partners| that deliver …")
            if op == "equal" or max(i2 - i1, j2 - j1) > _MOST_WORDS or \
                    not voc.recipients.search(" ".join(a[max(i1 - 1, 0):i2])):
                continue
            words = a[max(i1 - 1, 0):i2]
            head = next(i for i, w in enumerate(words) if voc.recipients.match(" ".join(words[i:])))
            if any(w in voc.relatives for w in words[head + 1:]) and fewer_limits:
                limited = short(" ".join(words[head:]), 60)
                return (f"the restrictive clause of the recipients “{limited}” was taken out: they are no longer "
                        "only those it named")
            if op == "replace" and (voc.open_class & set(b[j1:j2]) or voc.recipients.search(came)):
                return f"the recipients “{short(gone, 60)}” are now “{short(came, 60)}”: another, or a wider, class"
    return ""


def _limits(words: list[str], voc: _RecipientWords) -> int:
    """How many recipients of a sentence a restrictive clause limits ("partners that …", "companies who …")."""
    return sum(1 for w, nxt in pairwise(words) if nxt in voc.relatives and voc.recipients.fullmatch(w))
