"""Paraphrase at the level of a clause (:mod:`policykit.compare.sameness`): what the proof reads past, and the
edits of the same shape that change the meaning, which it must never prove the same.

Each liberty is tried on the real policy (``policy/``, edited in a copy and judged as ``policyctl diff`` judges
it) and on sentences it has never seen, with the adversarial edit beside the faithful one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.compare.classify import shipped_rules
from policykit.compare.paraphrase import one_statute_style
from policykit.compare.sameness import compare
from tests.diff.realedits import judged

COLLECTION = "policy/sections/collection.yaml"
PUBLIC = "Where the law allows, we also obtain personal information from public sources"
LEX = shipped_rules().lexicons


# -- (1) a condition: the same wherever it opens, whichever connective of its sense opens it ----------------
@pytest.mark.parametrize("new", [
    "We also obtain personal information, to the extent the law allows, from public sources",
    "If the law allows, we also obtain personal information from public sources",
    "In case the law allows, we also obtain personal information from public sources",
])
def test_a_condition_of_the_same_sense_is_the_same_condition_in_the_real_policy(real: Path, tmp_path: Path,
                                                                               new: str) -> None:
    c = judged(real, tmp_path, COLLECTION, PUBLIC, new)
    assert (c.level, c.rule) == ("editorial", "text.same-meaning"), str(c)


@pytest.mark.parametrize("new", [
    "Unless the law allows, we also obtain personal information from public sources",  # another sense
    "Until the law allows, we also obtain personal information from public sources",
    "Once the law allows, we also obtain personal information from public sources",
    "Where the law requires, we also obtain personal information from public sources",  # another condition
    "We also obtain personal information from public sources",  # the condition dropped
])
def test_a_connective_of_another_sense_or_another_condition_is_not_the_same(real: Path, tmp_path: Path,
                                                                            new: str) -> None:
    c = judged(real, tmp_path, COLLECTION, PUBLIC, new)
    assert c.level in ("review", "significant"), str(c)
    assert c.rule != "text.same-meaning"


@pytest.mark.parametrize(("before", "after"), [
    ("When you close your account, we delete your data.", "If you close your account, we delete your data."),
    ("Where you ask us, we delete your data.", "In the event that you ask us, we delete your data."),
    ("We delete your data only when you ask us.", "We delete your data only if you ask us."),
])
def test_connectives_of_one_sense_are_read_as_one(before: str, after: str) -> None:
    assert compare(before, after, LEX).proven, compare(before, after, LEX).summary()


@pytest.mark.parametrize(("before", "after"), [
    ("If you ask us, we delete your data.", "Unless you ask us, we delete your data."),
    ("When you ask us, we delete your data.", "Until you ask us, we delete your data."),
    ("When you ask us, we delete your data.", "Before you ask us, we delete your data."),
    # a condition moved so that it governs another verb
    ("If you ask us, we delete your data and keep your name.",
     "We delete your data and, if you ask us, keep your name."),
    ("We delete your data when you ask us and keep your name.",
     "We delete your data and keep your name when you ask us."),
    # "where" that names a place, not a condition, is no connective: the country changes nothing here
    ("We store it in the country where you live.", "We store it in the country if you live."),
])
def test_a_condition_of_another_sense_or_governing_another_verb_is_not_proven(before: str, after: str) -> None:
    assert not compare(before, after, LEX).proven


# -- (5) a citation in another style is the same citation; another provision is not -----------------------
SENSITIVE = "(11 CCR 7027(m))"


@pytest.mark.parametrize("new", ["(Cal. Code Regs. tit. 11, § 7027(m))", "(11 CCR § 7027(m))",
                                 "(title 11, California Code of Regulations, section 7027(m))"])
def test_a_regulation_cited_in_another_style_is_editorial_in_the_real_policy(real: Path, tmp_path: Path,
                                                                            new: str) -> None:
    c = judged(real, tmp_path, COLLECTION, SENSITIVE, new)
    assert c.level == "editorial", str(c)


@pytest.mark.parametrize("new", ["(Cal. Code Regs. tit. 11, § 7028(m))", "(Cal. Code Regs. tit. 12, § 7027(m))",
                                 "(Cal. Code Regs. tit. 11, § 7027(n))", "(Cal. Civ. Code § 7027(m))"])
def test_a_citation_of_another_provision_in_the_new_style_is_not_editorial(real: Path, tmp_path: Path,
                                                                           new: str) -> None:
    c = judged(real, tmp_path, COLLECTION, SENSITIVE, new)
    assert c.level != "editorial", str(c)


@pytest.mark.parametrize(("before", "after", "same"), [
    ("as Cal. Civ. Code § 1798.140(ad) defines it.", "as California Civil Code section 1798.140(ad) defines it.",
     True),
    ("as Cal. Civ. Code § 1798.140(ad) defines it.", "as Cal. Civ. Code § 1798.140(ah) defines it.", False),
    ("as Cal. Civ. Code § 1798.140 defines it.", "as Cal. Bus. & Prof. Code § 1798.140 defines it.", False),
])
def test_statute_styles_are_read_as_one_and_their_numbers_kept(before: str, after: str, same: bool) -> None:
    assert (one_statute_style(before).lower() == one_statute_style(after).lower()) is same
