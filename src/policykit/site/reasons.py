"""What each classified change means for a reader, in plain words and in the reader's language.

The classifier's reasons are written for editors, in English, with rule ids and paths
(``retention.changed``, ``facts.purposes.ads``). A compare page shows readers one
sentence per change instead, chosen by the rule's family (the part of its id before the
dot) and, for text changes, by the level; the sentences are gettext messages of the site
catalogs (``site/messages/<tag>.po``), so each locale reads them in its own language.
The editors' reasons stay in the collapsed part of the page, as recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from policykit.site.specs import ChangeRow


def N_(message: str) -> str:  # the gettext convention: marks a message for extraction
    return message


# The rule's family (rules.yaml ids are "<family>.<what>") -> what it means for a reader.
FAMILIES: Mapping[str, str] = {
    "retention": N_("How long your information is kept has changed."),
    "transfer": N_("Where your information is sent, or how it is protected there, has changed."),
    "tracking": N_("How cookies and similar technologies are used has changed."),
    "data-category": N_("The kinds of information we collect have changed."),
    "recipient": N_("Who receives your information has changed."),
    "purpose": N_("What we use your information for has changed."),
    "legal-basis": N_("The legal grounds on which we use your information have changed."),
    "right": N_("Your rights, or how to use them, have changed."),
    "source": N_("Where we get your information from has changed."),
    "contact": N_("How to contact us has changed."),
    "controller": N_("The details of the company responsible for your information have changed."),
    "age": N_("What applies to children has changed."),
    "automated-decision": N_("What we say about automated decisions has changed."),
    "security": N_("How we protect your information has changed."),
    "notice-period": N_("How far ahead we tell you about changes has changed."),
    "structure": N_("The policy is organised differently; this alone changes nothing for you."),
    "metadata": N_("Details about the document itself changed, such as its date."),
    "translation": N_("The translation was updated; the policy itself did not change."),
}
# Changes of prose (rule family "text", "fact", "default") are explained by their level.
BY_LEVEL: Mapping[str, str] = {
    "significant": N_("This changes what we do with your information."),
    "minor": N_("This makes the text clearer or promises more; what we do with your information is the same."),
    "editorial": N_("Only the wording changed; the meaning is the same."),
}
CONSENT = N_("We will ask for your consent to this.")


@dataclass(frozen=True)
class Why:
    """What a reader is told beside one changed part of the text."""

    level: str  # the highest level of the changes explained here
    consent: bool
    sentences: tuple[str, ...]  # in the reader's language, each once
    versions: tuple[str, ...]  # the releases the changes were made in, newest first


_RANK = {"significant": 3, "minor": 2, "editorial": 1}


def sentence(row: ChangeRow) -> str:
    """The message id that explains ``row`` to a reader."""
    family = row.rule.split(".", 1)[0]
    return FAMILIES.get(family) or BY_LEVEL.get(row.level) or BY_LEVEL["minor"]


def explain(rows: Iterable[ChangeRow], gettext: Callable[[str], str]) -> Why:
    """One :class:`Why` for the changes of one part of the text (at least one row)."""
    rows = sorted(rows, key=lambda r: -_RANK.get(r.level, 0))
    said = dict.fromkeys(gettext(sentence(r)) for r in rows)
    consent = any(r.consent for r in rows)
    if consent:
        said[gettext(CONSENT)] = None
    return Why(rows[0].level, consent, tuple(said), tuple(dict.fromkeys(r.version for r in rows)))


def anchor_for(path: str, anchors: set[str]) -> str:
    """The part of the page a change of ``path`` is shown beside: the most specific anchor of the
    page that ``path`` names or lies inside (``facts.purposes.ads.label`` -> the row
    ``facts.purposes.ads``, ``security.retention`` -> its block, ``collection`` -> its
    section); ``""`` for what the text does not show (the document's date, contacts)."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in anchors:
            return candidate
    return ""
