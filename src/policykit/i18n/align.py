"""Which sentences of a translation say what which sentences of its source say: the alignment
:mod:`policykit.i18n.fidelity` compares group by group.

::

    align("We sell nothing. We keep logs.", "Wir verkaufen nichts; wir speichern Protokolle.", "en", "de")
    -> [([SentenceSpan("We sell nothing.", 0)], [SentenceSpan("Wir verkaufen nichts;", 0)]), ...]

Sentences are aligned by length (Gale and Church's dynamic programme, with a CJK character
weighing three letters), allowing a translator to split one sentence in two or join several.
"""

from __future__ import annotations

import math
import re

from policykit.i18n.lexicon import lexicon
from policykit.i18n.segment import SentenceSpan as Span
from policykit.i18n.segment import sentences

# A translator may split a sentence or join several (a semicolon on one side, a full stop on the other).
_MOVES = {(1, 1): 0.0, (1, 2): 1.0, (2, 1): 1.0, (2, 2): 3.0, (1, 0): 4.0, (0, 1): 4.0,
          **{(1, k): k - 1.0 for k in range(3, 7)}, **{(k, 1): k - 1.0 for k in range(3, 7)},
          (2, 3): 3.0, (3, 2): 3.0}


def align(source: str, translation: str, source_tag: str, tag: str) -> list[tuple[list[Span], list[Span]]]:
    """Groups of source and translated sentences that say the same thing (see the module's docstring)."""
    s = sentences(source, source_tag, lexicon(source_tag).abbreviations)
    t = sentences(translation, tag, lexicon(tag).abbreviations)
    if not s or not t:
        return [(s, t)]
    if len(s) == 1 or len(t) == 1:
        return [(s, t)]
    # Each sentence is measured once: the length of s[i:i + a] is ss[i + a] - ss[i].
    ss, st = _running_sizes(s), _running_sizes(t)
    ratio = st[-1] / max(1, ss[-1])
    n, m = len(s), len(t)
    best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {(0, 0): (0.0, (0, 0))}
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) not in best:
                continue
            here = best[i, j][0]
            for (a, b), penalty in _MOVES.items():
                if i + a > n or j + b > m:
                    continue
                ls, lt = ss[i + a] - ss[i], st[j + b] - st[j]
                cost = here + penalty + 5 * abs(math.log((lt + 10) / (ratio * ls + 10)))
                if (i + a, j + b) not in best or cost < best[i + a, j + b][0]:
                    best[i + a, j + b] = (cost, (a, b))
    groups: list[tuple[list[Span], list[Span]]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = best[i, j][1]
        if a == 0 or b == 0:
            return [(s, t)]  # a sentence without a counterpart: compare the whole
        groups.append((s[i - a:i], t[j - b:j]))
        i, j = i - a, j - b
    return groups[::-1]


_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _size(text: str) -> int:
    """A sentence's length for alignment: a CJK character counts as three letters (about what it says
    in English), so an address kept in Latin script in a Japanese sentence weighs what it does in English."""
    return len(text) + 2 * len(_CJK_RE.findall(text))


def _running_sizes(spans: list[Span]) -> list[int]:
    """0, then the :func:`_size` of the first sentence, of the first two, ... of all of ``spans``."""
    out = [0]
    for x in spans:
        out.append(out[-1] + _size(x.text))
    return out
