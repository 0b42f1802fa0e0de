"""What the two suites of translation cases share: how a case table becomes test parameters.

A table maps a feature to its English source and, per language, the faithful translations and
one that changes the feature (``tests/i18n/test_fidelity.py``, ``tests/i18n/test_fidelity_scope.py``).
"""

from __future__ import annotations

import pytest

from policykit.i18n.fidelity import Divergence, describe

# feature -> English source, then per language: (faithful translations, a diverging translation)
Cases = dict[str, tuple[str, dict[str, tuple[tuple[str, ...], str]]]]
LANGUAGES = ("de", "ja", "zh-Hans")


def params(cases: Cases, kind: str) -> list[object]:
    """``(feature, source, tag, translation)`` for each faithful translation, or each diverging one."""
    out: list[object] = []
    for feature, (source, per_language) in cases.items():
        for tag in LANGUAGES:
            faithful, diverging = per_language[tag]
            if kind == "faithful":
                out += [pytest.param(feature, source, tag, text, id=f"{feature}-{tag}-{n}")
                        for n, text in enumerate(faithful, 1)]
            else:
                out.append(pytest.param(feature, source, tag, diverging, id=f"{feature}-{tag}"))
    return out


def show(found: list[Divergence]) -> str:
    return "; ".join(describe(d) for d in found) or "nothing"
