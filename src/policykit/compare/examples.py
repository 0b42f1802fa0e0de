"""An example or a definition added that names nothing new: a clarification (rule ``text.example-added``).

"We share it with government authorities, such as law enforcement agencies" gains "and courts": the sentence
says what it said, with one more illustration of a class it already named. "including profiling" gains
"(automated processing that evaluates personal aspects about you)": a term is explained. Neither binds the
company to more, so the change is minor, never editorial (the reader is told something new) and never
significant. :func:`prove` proves it only when

- the change only inserts words: not one old word is removed or replaced;
- each inserted run either continues an example list, opened in the same clause by one of
  ``data/sameness.yaml``'s ``example_openers`` ("such as", "for example", "including") with no stop, colon,
  semicolon or binding word between the opener and the insertion, or is a whole bracketed gloss right after a
  word;
- no inserted run names something of a binding kind: a data category or a country (the readers of
  :mod:`policykit.compare.statements` and :mod:`policykit.compare.countries`), a recipient of a kind the
  sentence did not name already (courts among authorities, not advertising partners), a number or a period,
  a purpose ("to", "for", "so that"), a word that binds (a negation, a quantifier, a condition, a modal);
  an example also states no action (a verb of the reader's vocabulary); a gloss may.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from policykit.compare import actions, countries, statements
from policykit.compare.lexicons import Lexicons
from policykit.compare.text import normalise

_TOKEN_RE = re.compile(r"[\w'@-]*\w|[^\w\s]")
_BREAKS = frozenset(".;:!?")
_PURPOSE = frozenset(("to", "for", "so", "order", "purpose", "purposes"))


def prove(before: str, after: str, lex: Lexicons, openers: Sequence[str], binding: frozenset[str]) -> str:
    """What was added, for the reader (''when nothing proves that only examples or glosses were added)."""
    old, new = _TOKEN_RE.findall(normalise(before)), _TOKEN_RE.findall(normalise(after))
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    inserted = [(i1, new[j1:j2]) for tag, i1, _, j1, j2 in ops if tag != "equal"]
    if not inserted or any(tag not in ("equal", "insert") for tag, *_ in ops):
        return ""
    said = []
    for at, run in inserted:
        gloss = _gloss(old, at, run)
        if not (gloss or _continues_example(old, at, openers, binding)):
            return ""
        if not _names_nothing(old, run, lex, binding, gloss):
            return ""
        said.append(("a definition in brackets" if gloss else "an example") + f" added: “{_shown(run)}”")
    return "; ".join(said) + "; it names no new data, recipient, country, purpose or period"


def _gloss(old: Sequence[str], at: int, run: Sequence[str]) -> bool:
    """A whole bracketed run right after a word."""
    return (len(run) > 2 and run[0] == "(" and run[-1] == ")" and "(" not in run[1:-1] and ")" not in run[1:-1]
            and at > 0 and bool(re.fullmatch(r"\w[\w'-]*", old[at - 1])))


def _continues_example(old: Sequence[str], at: int, openers: Sequence[str], binding: frozenset[str]) -> bool:
    """Whether the insertion point lies in an example list opened earlier in its clause."""
    before = list(old[:at])
    for i in range(len(before) - 1, -1, -1):
        if before[i] in _BREAKS or (before[i] in binding and not _opens(before, i, openers)):
            return False
        if _opens(before, i, openers):
            return True
    return False


def _opens(words: Sequence[str], i: int, openers: Sequence[str]) -> bool:
    return any(words[i:i + len(o.split())] == o.split() for o in openers)


def _names_nothing(old: Sequence[str], run: Sequence[str], lex: Lexicons, binding: frozenset[str],
                   gloss: bool) -> bool:
    words = [w for w in run if re.fullmatch(r"[\w'@-]+", w)]
    text = " ".join(words)
    voc = statements.vocabulary()
    if any(w in binding or w in _PURPOSE or any(c.isdigit() for c in w)
           or (w in lex.number_words and w not in ("a", "an")) for w in words):
        return False
    if voc.category_re.search(text) or countries.countries_in(text, lex):
        return False
    if not gloss and any(w in actions.vocabulary().verbs for w in words):
        return False
    known = {voc.recipients[m.group(0)][1] for m in voc.recipient_re.finditer(" ".join(old))}
    return all(voc.recipients[m.group(0)][1] in known for m in voc.recipient_re.finditer(text))


def _shown(run: Sequence[str]) -> str:
    return re.sub(r"\( | \)|\s(?=[,.;:])", lambda m: m.group(0).strip(), " ".join(run))
