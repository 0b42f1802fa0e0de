"""Paraphrase at the level of a clause, read into one wording before the sameness proof compares statements.

:mod:`policykit.compare.sameness` proves that a reworded text states what the old one stated by pairing their
statements one to one, word by word. Some rewordings change the words of a clause without changing what it
says; each is read here into one form, on both sides alike, and the proof then still pairs every statement
and every binding word:

- a connective of one sense (``data/sameness.yaml``'s ``connectives``: "when", "where", "in case", "to the
  extent" are "if") where it opens a clause; a connective of another sense ("unless", "until") stays itself;
- a citation of a Californian statute or regulation in any of its usual styles ("11 CCR 7027(m)" is "Cal.
  Code Regs. tit. 11, § 7027(m)"; "Cal. Civ. Code § 1798.140" is "California Civil Code section 1798.140"),
  read when a text is normalised (:func:`policykit.compare.text.normalise`) and before it is cut into sentences
  (the dots of "Cal. Civ." end none), so every reader sees one citation where there is one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Where a connective opens a clause: the sentence's start, after a comma or a semicolon, after "only", "and", "but"
_CLAUSE_OPENING = r"(?:^|(?<=[,;] )|(?<=\bonly )|(?<=\band )|(?<=\bbut ))"


def connective(group: Sequence[object]) -> tuple[re.Pattern[str], str]:
    """A rewrite that reads each connective of ``group`` opening a clause as the group's first word (its sense)."""
    words = [str(w) for w in group]
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(_CLAUSE_OPENING + r"(?:" + alternation + r")\b", re.IGNORECASE), words[0]


# A section of the California Code of Regulations or of a California code, in each of its usual styles. The
# title, the code and every number are kept: a citation of another title, code, section or subdivision differs.
_SECTION = r"(?P<s>\d+(?:\.\d+)?(?:\([0-9a-z]+\))*)"
_SECTION_MARK = r"(?:§+|sec(?:tion|\.)?|s\.)?\s*"
_REGULATION_RES = (
    re.compile(r"\b(?P<t>\d+)\s+c\.?\s?c\.?\s?r\.?,?\s*" + _SECTION_MARK + _SECTION, re.IGNORECASE),
    re.compile(r"\bcal(?:ifornia|\.)?\s+code\s+(?:of\s+)?reg(?:ulation)?s\.?,?\s+tit(?:le|\.)?\s*(?P<t>\d+),?\s*"
               + _SECTION_MARK + _SECTION, re.IGNORECASE),
    re.compile(r"\btitle\s+(?P<t>\d+),?\s+(?:of\s+the\s+)?california\s+code\s+of\s+regulations,?\s*" + _SECTION_MARK
               + _SECTION, re.IGNORECASE),
)
_CODE = r"(?P<code>civ(?:il|\.)|bus(?:iness|\.)\s*(?:(?:&|and)\s*)?prof(?:essions|\.)|gov(?:ernment|\.?t?\.))"
_CODE_RE = re.compile(r"\bcal(?:ifornia|\.)?\s+" + _CODE + r"\s*code,?\s*" + _SECTION_MARK + _SECTION, re.IGNORECASE)
_CODE_NAMES = {"civ": "civil", "bus": "business and professions", "gov": "government"}


def one_statute_style(text: str) -> str:
    """``text`` with each citation of a Californian regulation or code in one style, without the dots of its
    abbreviations ("Cal. Code Regs. tit. 11, § 7027(m)" is "11 ccr 7027(m)", "Cal. Civ. Code § 1798.140" is
    "california civil code 1798.140")."""
    for pattern in _REGULATION_RES:
        text = pattern.sub(lambda m: f"{m.group('t')} ccr {m.group('s').lower()}", text)
    return _CODE_RE.sub(lambda m: f"california {_CODE_NAMES[m.group('code')[:3].lower()]} code "
                                  f"{m.group('s').lower()}", text)
