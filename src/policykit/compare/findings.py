"""Findings: what a reading of a changed text reports, and what it reads against.

A :class:`Finding` is one thing that changed in a text, with its direction; a
:class:`Delta` holds the sentences removed from and added to a text; :class:`Known`
is what the old version already names. The readers of
:mod:`policykit.compare.prose` and :mod:`policykit.compare.terms` make findings;
:mod:`policykit.compare.observations` turns them into what the rules match on.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from policykit.compare import contacts
from policykit.compare.text import SENTENCE_END_RE, normalise, plain, sentences


@dataclass(frozen=True)
class Finding:
    """One thing that changed in a text: ``feature`` names it, ``detail`` says what, for the reason."""

    feature: str
    direction: str = "neutral"  # widening | narrowing | neutral
    detail: str = ""
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Known:
    """What the old version already says: a name or a mail/web domain it used is not new.

    Made of the old version's ``text`` (all its texts and its controller's name) and the
    domains of its fact items' e-mail and URL attributes; the words and domains in it are
    read on first use, as most changes name nobody and no contact.
    """

    text: str = ""
    item_hosts: frozenset[str] = frozenset()
    later: str = ""  # the new version's texts, a blank line apart: what the document as a whole still states
    titles: frozenset[str] = frozenset()  # the section titles of both versions (a table of contents lists them)

    @cached_property
    def organisations(self) -> frozenset[str]:
        """The names of the organisations the old version deals with: the owner named by each domain it
        uses (:func:`policykit.compare.contacts.organisation`) and each proper name it writes with a capital
        inside a sentence or inside the word ("VeraSafe", "Twitch"), casefolded."""
        names = {contacts.organisation(h) for h in self.hosts}
        for m in _PROPER_RE.finditer(plain(self.text)):
            names.add(_unpossessive(m.group(0)).casefold())
        return frozenset(names)

    @cached_property
    def owner(self) -> str:
        """The name of the organisation whose domain the old version uses most (``twitch`` for a policy
        that links to twitch.tv and legal.twitch.com): the publisher's own name, casefolded."""
        found = Counter(contacts.organisation(v) for p in (contacts.EMAIL_RE, contacts.URL_RE)
                        for v in p.findall(self.text))
        return found.most_common(1)[0][0] if found else ""

    @cached_property
    def still_given(self) -> frozenset[str]:
        """The e-mail addresses, URLs and phone numbers the new version gives anywhere (casefolded)."""
        return contacts.channels_in(plain(self.later))

    @cached_property
    def still_stated(self) -> Counter[str]:
        """The sentences of the new version, normalised, each with how often it is stated."""
        return Counter(sentences(self.later))

    @cached_property
    def names(self) -> frozenset[str]:
        """The casefolded words of every text (a possessive 's left out)."""
        words = set(re.findall(r"[A-Za-z][\w&'-]*", plain(self.text)))
        return frozenset(_unpossessive(w).casefold() for w in words)

    @cached_property
    def hosts(self) -> frozenset[str]:
        """The registrable domains of its e-mail addresses and URLs."""
        return self.item_hosts | contacts.hosts_in(self.text)


# A word capitalised after a word of the same sentence, or with a capital inside it: a proper name.
_PROPER_RE = re.compile(r"(?<=[a-z,;] )[A-Z][\w&'-]+|\b[A-Za-z][a-z]+[A-Z][\w&'-]*")


def _unpossessive(word: str) -> str:
    """``word`` without a trailing ' or 's (what ``re.sub(r"'s?$", "", word)`` does to a word)."""
    return word[:-2] if word.endswith("'s") else word[:-1] if word.endswith("'") else word


@dataclass(frozen=True)
class Delta:
    """The sentences removed from and added to a text (what both share is left out)."""

    removed: tuple[str, ...]
    added: tuple[str, ...]
    # the original-case text of the same sentences, for named parties (a markup label ends a sentence of its own)
    removed_raw: str = ""
    added_raw: str = ""
    # (old sentence from another text, the added sentence it became): an edited sentence that moved here
    borrowed: tuple[tuple[str, str], ...] = ()


def delta(before: str, after: str, moved: Counter[str] | None = None, *, lent: Counter[str] | None = None,
          borrowed: Sequence[tuple[str, str]] = ()) -> Delta:
    """Sentences only in ``before`` / only in ``after``; ``moved`` ones (found elsewhere) drop out, and so do
    ``lent`` ones (removed here, arrived edited in another text)."""
    sa, sb = Counter(sentences(before)), Counter(sentences(after))
    removed, added = sa - sb, sb - sa
    if moved:
        removed -= moved
        added -= moved
    if lent:
        removed -= lent
    raw_a, raw_b = _raw(before, removed), _raw(after, added)
    kept = tuple((old, new) for old, new in borrowed if new in added)
    # Joined by blank lines, so that splitting them again gives back the same sentences and list items.
    return Delta(tuple(removed.elements()), tuple(added.elements()), "\n\n".join(raw_a), "\n\n".join(raw_b), kept)


# A label in markup that ends where a clause begins: a bold or italic span ending with a colon (inside or
# right after it: "**Access:** Depending on …"), or a heading line. The word after it starts the clause.
_LABEL_RE = re.compile(r"(\*\*|__)(?=\S)([^*_\n]{1,80}?:)\1[ \t]+|(\*\*|__)(?=\S)([^*_\n]{1,80}?)\3:[ \t]+"
                       r"|^([ \t]*#{1,6}[ \t][^\n]*)\n(?!\n)", re.M)


def _raw(text: str, keep: Counter[str]) -> list[str]:
    """The original-case sentences of ``text`` whose normal form is in ``keep``, for the readers of names:
    where markup labels a clause ("* **Access:** Depending on your state's laws"), the label ends a
    sentence of its own, so that the first word of the clause is read as a sentence start, not as a
    name inside a sentence. Split from the markup only where its sentences are the plain text's ones."""
    flat = [s for s in SENTENCE_END_RE.split(plain(text)) if normalise(s) in keep]
    if not keep or not any(m in text for m in ("**", "__", "#")) or not _LABEL_RE.search(text):
        return flat  # (most texts label no clause: they are split once)
    marked = [s for s in SENTENCE_END_RE.split(unicodedata.normalize("NFKC", text)) if normalise(s) in keep]
    if sorted(map(normalise, marked)) != sorted(map(normalise, flat)):
        return flat
    return [plain(_LABEL_RE.sub(_label_end, s)) for s in marked]


def _label_end(m: re.Match[str]) -> str:
    """A markup label as a sentence of its own: its words, then a paragraph break."""
    if m.group(5) is not None:  # a heading line
        return f"{m.group(5)}\n\n"
    return f"{m.group(2) or m.group(4) + ':'}\n\n"


def was(gone: Iterable[Any], new: Iterable[Any], *, quote: bool = False) -> str:
    def show(values: Iterable[Any]) -> str:
        return ", ".join(f"“{v}”" if quote else str(v) for v in values)

    gone, new = list(gone), list(new)
    if gone and new:
        return f"{show(gone)} → {show(new)}"
    if new:
        return f"added {show(new)}"
    return f"removed {show(gone)}"
