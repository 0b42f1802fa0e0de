"""The readings of one diff's translation edits are shared (each text read once, the source sentence once
for its three languages): each edit gives the answer it gives read alone."""

from __future__ import annotations

import pytest
from i18n_helpers import load
from tests.conftest import REPO

from policykit.i18n import fidelity
from policykit.i18n.catalog import units
from policykit.i18n.fidelity import Readings, edit_divergences


def _edits() -> list[tuple[str, str, str, str]]:
    """Edits of the real translations: (source, before, after, language), the source text shared by three."""
    policy = load(REPO)
    out = []
    for tag in ("ja", "de", "zh-Hans"):
        for unit in units(policy, tag)[:15]:
            if unit.translated is None:
                continue
            text = unit.translated.text
            lines = text.splitlines()
            out.append((unit.source, text, text + " " + text, tag))  # every binding word stated twice
            if len(lines) > 1:
                out.append((unit.source, text, "\n".join(lines[1:] + lines[:1]), tag))  # lines reordered
    return out


def test_shared_readings_give_each_edit_the_answer_it_has_alone() -> None:
    edits = _edits()
    shared: Readings = {}
    together = [edit_divergences(s, s, b, a, tag, readings=shared) for s, b, a, tag in edits]
    alone = [edit_divergences(s, s, b, a, tag) for s, b, a, tag in edits]
    assert together == alone
    assert sum(1 for f in alone if f.opened or f.binding) > 8  # answers that can differ, not all empty
    assert {tag for _, tag in shared} == {"en", "ja", "de", "zh-Hans"}


def test_a_source_sentence_is_read_once_for_each_language_it_is_translated_to(
        monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[tuple[str, str]] = []
    plain = fidelity.read

    def counting(text: str, tag: str) -> fidelity.Reading:
        read.append((text, tag))
        return plain(text, tag)

    monkeypatch.setattr(fidelity, "read", counting)
    shared: Readings = {}
    source = "We do not sell your personal data. We keep it for 30 days."
    for tag, before, after in (("de", "Wir verkaufen Ihre Daten nicht. Wir speichern sie 30 Tage.",
                                "Wir verkaufen Ihre Daten nie. Wir speichern sie 30 Tage."),
                               ("ja", "当社は個人データを販売しません。30日間保存します。",
                                "当社は個人データを販売しません。30日間保管します。")):
        edit_divergences(source, source, before, after, tag, readings=shared)
    english = [text for text, tag in read if tag == "en"]
    assert english and len(english) == len(set(english))  # each English sentence read once, for both
    assert len(read) == len(shared)
