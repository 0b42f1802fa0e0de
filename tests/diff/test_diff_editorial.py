"""Machine-translation damage fixed is editorial, hunk by hunk; a real word change still gets its level.

Each case commits a damaged text, then its repair (or a real change), in a temp git
repository, and diffs the two commits the way `policyctl diff` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.compare.classify import shipped_rules
from policykit.compare.diff import Change
from policykit.compare.hunks import same_lemma

from ..conftest import GitRepo
from .diffkit import base, block, committed_diff

# The defining sentence comes first; the rest of the block only uses the term.
DEFINITION = ("Personal information means information about an identified person. "
              "We may use cookies -like technologies and receive data from third -party providers. "
              "Write to us by e -mail.")
DAMAGED = ("If a partner provides services, Huawei share your personal information with the partner.Other "
           "companies provide content or weballinks by third -partys. We handle personal information and "
           "non -PIIs separately.")


def _diff(tmp_path: Path, sid: str, bid: str, start_text: str, end_text: str) -> Change:
    (tmp_path / "repo").mkdir(parents=True)
    start = base()
    block(start, sid, bid)["text"] = start_text
    changes = committed_diff(GitRepo(tmp_path / "repo"), lambda p: block(p, sid, bid).update(text=end_text),
                             start=start)
    assert len(changes) == 1, [str(c) for c in changes]
    return changes[0]


# -- 1. a definition block: only the defining sentence's content words make it a definition change --
def test_hyphens_and_spacing_in_a_definition_block_are_editorial(tmp_path: Path) -> None:
    fixed = ("Personal information means information about an identified person. "
             "We may use cookie-like technologies and receive data from third-party providers. "
             "Write to us by e-mail.")
    c = _diff(tmp_path, "collection", "definition", DEFINITION, fixed)
    assert (c.level, c.rule) == ("editorial", "text.inflection"), str(c)
    assert "definition" not in c.reason.casefold()


def test_grammar_fixed_in_the_defining_sentence_itself_is_editorial(tmp_path: Path) -> None:
    fixed = DEFINITION.replace("about an identified person", "about identified persons")
    c = _diff(tmp_path, "collection", "definition", DEFINITION, fixed)
    assert c.level == "editorial", str(c)


def test_a_content_word_changed_in_the_defining_sentence_is_significant(tmp_path: Path) -> None:
    changed = DEFINITION.replace("an identified person", "an identified person or household")
    c = _diff(tmp_path, "collection", "definition", DEFINITION, changed)
    assert (c.level, c.rule) == ("significant", "text.definition"), str(c)
    assert "household" in c.reason


def test_the_same_edit_outside_the_defining_sentence_is_not_a_definition_change(tmp_path: Path) -> None:
    changed = DEFINITION.replace("Write to us by e -mail.", "Write to us by post.")
    c = _diff(tmp_path, "collection", "definition", DEFINITION, changed)
    assert c.rule != "text.definition" and c.level == "minor", str(c)


def test_a_definition_with_a_marker_outside_a_definition_block_is_recognised(tmp_path: Path) -> None:
    text = 'We use processors to run the service. "Processors" refers to companies that host our servers.'
    changed = text.replace("host our servers", "host our servers or run our support desk")
    c = _diff(tmp_path, "sharing", "recipients", text, changed)
    assert (c.level, c.rule) == ("significant", "text.definition"), str(c)
    # Its repair is not.
    damaged = text.replace("companies that host", "companys that host").replace("run the", "run  the")
    assert _diff(tmp_path / "b", "sharing", "recipients", damaged, text).level == "editorial"


def test_a_function_word_swapped_in_the_defining_sentence_is_not_a_definition_change(tmp_path: Path) -> None:
    changed = DEFINITION.replace("information about an", "information on an")
    c = _diff(tmp_path, "collection", "definition", DEFINITION, changed)
    assert c.rule != "text.definition" and c.level == "minor", str(c)


# -- 2. hyphen spacing and a plural together -------------------------------------------------------
def test_non_piis_to_non_pii_is_editorial(tmp_path: Path) -> None:
    before = ("We handle your personal information and non -PIIs separately.Personal information tied to "
              "non -PII is handled as personal information.")
    after = ("We handle your personal information and non-PII separately. Personal information tied to "
             "non-PII is handled as personal information.")
    c = _diff(tmp_path, "sharing", "recipients", before, after)
    assert (c.level, c.rule) == ("editorial", "text.inflection"), str(c)
    assert "narrower" not in c.reason


# -- 3. inflections are editorial; real word changes are not --------------------------------------
def test_verb_agreement_fixed_is_editorial(tmp_path: Path) -> None:
    c = _diff(tmp_path, "sharing", "recipients", "Huawei share your data with the partner.",
              "Huawei shares your data with the partner.")
    assert (c.level, c.rule) == ("editorial", "text.inflection"), str(c)


def test_several_kinds_of_repair_in_one_block_are_each_editorial(tmp_path: Path) -> None:
    fixed = ("If a partner provides services, Huawei shares your personal information with the partner. Other "
             "companies provide content or web links by third parties. We handle personal information and "
             "non-PII separately.")
    c = _diff(tmp_path, "sharing", "recipients", DAMAGED, fixed)
    assert c.level == "editorial", str(c)
    assert {c.rule, *c.also} == {"text.inflection", "text.typo"}, str(c)


@pytest.mark.parametrize(("after", "level", "rule"), [
    ("Huawei sell your data to the partner.", "significant", "text.processing"),
    # "shares" → "may share": the same disclosure to the same partner, stated as possible rather than done; no
    # new recipient or purpose (docs/legal-basis.md#modal-verbs: a modal verb that keeps the scope clarifies).
    ("Huawei may share your data with the partner.", "minor", "text.certainty"),
    ("Huawei shares your data with the partner and advertisers.", "significant", "text.processing"),
    # Which data is shared changed, and no rule knows whether "records" is "data": a person decides.
    ("Huawei share your records with the partner.", "review", "text.unexplained"),
])
def test_a_real_word_change_keeps_its_level(tmp_path: Path, after: str, level: str, rule: str) -> None:
    c = _diff(tmp_path, "sharing", "recipients", "Huawei share your data with the partner.", after)
    assert (c.level, c.rule) == (level, rule), str(c)


def test_a_repair_does_not_hide_a_real_change_in_the_same_block(tmp_path: Path) -> None:
    # "share" → "shares" and the spacing are editorial; "will not" → "may" still decides (read as what it
    # governs: sharing is no longer stated as not done).
    before = "Huawei will not share your data.We keep logs for 30 days."
    after = "Huawei may shares your data. We keep logs for 90 days."
    c = _diff(tmp_path, "collection", "intro", before, after)
    assert c.level == "significant" and {c.rule, *c.also} >= {"text.duration", "text.processing-now-done"}, str(c)


def test_removing_not_is_significant_even_with_repairs_around_it(tmp_path: Path) -> None:
    c = _diff(tmp_path, "collection", "intro", "We will not share your data.We recieve it.",
              "We will share your data. We receive it.")
    assert c.level == "significant" and {c.rule, *c.also} >= {"text.processing-now-done"}, str(c)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("share", "shares", True), ("partys", "parties", True), ("cookies", "cookie", True),
    ("PIIs", "PII", True), ("transferred", "transfer", True), ("use", "used", True), ("sharing", "share", True),
    ("applied", "applies", True), ("is", "are", True), ("has", "have", True),
    ("is", "was", False), ("are", "be", False),
    ("will", "wills", False), ("not", "note", False), ("may", "mays", False), ("sell", "sold", False),
    ("car", "care", False), ("use", "user", False), ("share", "sell", False), ("data", "date", False),
])
def test_same_lemma(a: str, b: str, same: bool) -> None:
    lex = shipped_rules().lexicons
    assert same_lemma(a, b, lex) is same
    assert same_lemma(b, a, lex) is same
