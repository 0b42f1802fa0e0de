"""Countries named in a sentence: by their CLDR names and a project's aliases, and whether as a place.

Read by :mod:`policykit.compare.statements` (what a sentence states that the facts
must hold) and :mod:`policykit.compare.parties` (a country newly named where data
goes: after a locative, in a list after a colon that introduces transfers, or in a
list item such a sentence introduces). The names are CLDR's English names, shipped
as ``data/countries.json`` (``scripts/export_countries.py`` writes it from Babel).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from policykit.compare.clauses import LIST_ITEM_RE, TRANSFER_CONTEXT, read
from policykit.compare.text import sentences

if TYPE_CHECKING:
    from policykit.compare.clauses import Reading
    from policykit.compare.lexicons import Lexicons


def as_place(reading: Reading, at: int, lex: Lexicons) -> bool:
    """Whether the country at ``at`` follows a locative ("in Germany", "from Japan to China or Singapore")."""
    tokens = [reading.text[s:e] for s, e in reading.words]
    country_words = country_name_words()
    i = reading.word_at(at) - 1
    while i >= 0 and (tokens[i] in ("and", "or", "the") or tokens[i] in country_words
                      or tokens[i] in lex.country_aliases):
        i -= 1
    return i >= 0 and tokens[i] in lex.locatives


def transfer_items(text: str, lex: Lexicons) -> frozenset[str]:
    """The list items of ``text`` (normalised sentences) that a sentence ending in a colon and speaking of
    transfers introduces ("We transfer personal information to these countries:"): a country such an item
    names is a destination, even when the item is edited alone and its introduction is unchanged."""
    out: set[str] = set()
    intro = False
    for s in sentences(text):
        if s.endswith(":"):
            intro = bool(read(s, lex).of(TRANSFER_CONTEXT))
        elif intro and LIST_ITEM_RE.match(s):
            out.add(s)
    return frozenset(out)


def after_transfer_colon(s: str, at: int, lex: Lexicons) -> bool:
    """Whether the country at ``at`` stands in a list after a colon whose introduction speaks of transfers
    ("we transfer it to these countries: germany, japan and malaysia")."""
    colon = s.rfind(":", 0, at)
    return colon >= 0 and bool(read(s[:colon], lex).of(TRANSFER_CONTEXT))


@cache
def country_names() -> dict[str, str]:
    """ISO code -> English name of every country (CLDR via Babel, shipped as ``data/countries.json``)."""
    import json
    from importlib import resources

    data = json.loads(resources.files("policykit").joinpath("data/countries.json").read_bytes())
    return {str(code): str(name) for code, name in data["names"].items()}


@cache
def country_name_words() -> frozenset[str]:
    return frozenset(w for name in country_names().values() for w in name.casefold().split())


_WORD_RUN_RE = re.compile(r"\w+")
_WORD_CHAR_RE = re.compile(r"\w")


@cache
def _country_index(aliases: tuple[str, ...]) -> tuple[dict[str, str], dict[str, list[str]], re.Pattern[str] | None]:
    """Every country name (and alias) with its code, and the names by their first word, longest first.

    A name is found where a word starts, the name follows and no word character follows it: what one
    alternation of all the names, longest first, between word boundaries finds, without compiling it.
    Should a name (an alias of a project's) not start with a word character, that alternation is used
    (third item).
    """
    by_name = {name.casefold(): code for code, name in country_names().items()}
    by_name.update(dict(zip(aliases[::2], aliases[1::2], strict=True)))
    names = sorted(by_name, key=len, reverse=True)
    firsts = [_WORD_RUN_RE.match(name) for name in names]
    if not all(firsts):
        return by_name, {}, re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    index: dict[str, list[str]] = {}
    for name, first in zip(names, firsts, strict=True):
        index.setdefault(first.group(0) if first else "", []).append(name)
    return by_name, index, None


def countries_in(sentence: str, lex: Lexicons) -> list[tuple[str, int]]:
    """The countries a normalised sentence names (ISO codes; CLDR names and the lexicon's aliases), with positions."""
    flat = tuple(x for k, v in sorted(lex.country_aliases.items()) for x in (k, v))
    by_name, index, fallback = _country_index(flat)
    if fallback is not None:
        return [(by_name[m.group(1)], m.start()) for m in fallback.finditer(sentence)]
    out = []
    end = 0
    for w in _WORD_RUN_RE.finditer(sentence):
        at = w.start()
        if at < end:
            continue
        for name in index.get(w.group(0), ()):
            stop = at + len(name)
            if sentence.startswith(name, at) and not _WORD_CHAR_RE.match(sentence, stop):
                out.append((by_name[name], at))
                end = stop
                break
    return out
