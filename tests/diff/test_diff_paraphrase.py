"""Paraphrase at the level of a clause (:mod:`policykit.compare.sameness`): what the proof reads past, and the
edits of the same shape that change the meaning, which it must never prove the same.

Each liberty is tried on the real policy (``policy/``, edited in a copy and judged as ``policyctl diff`` judges
it) and on sentences it has never seen, with the adversarial edit beside the faithful one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.compare.classify import shipped_rules
from policykit.compare.examples import prove as prove_example
from policykit.compare.paraphrase import one_statute_style
from policykit.compare.sameness import compare
from policykit.compare.sameness import vocabulary as sameness_vocabulary
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


# -- (4) an example or a definition in brackets that names nothing new: a clarification -------------------
DISCLOSURE = "policy/sections/disclosure.yaml"
AUTHORITIES = "to government authorities, such as law enforcement agencies, where"
PROFILING = "including profiling, that have"


@pytest.mark.parametrize(("file", "old", "new", "said"), [
    (DISCLOSURE, AUTHORITIES, "to government authorities, such as law enforcement agencies and courts, where",
     "An example added: “and courts”"),
    (DISCLOSURE, AUTHORITIES, "to government authorities, such as law enforcement agencies, courts and regulators, "
     "where", "An example added: “, courts and regulators”"),
])
def test_an_example_of_a_class_already_named_is_a_clarification(real: Path, tmp_path: Path, file: str, old: str,
                                                                new: str, said: str) -> None:
    c = judged(real, tmp_path, file, old, new)
    assert (c.level, c.rule) == ("minor", "text.example-added"), str(c)
    assert c.reason.startswith(said), c.reason
    assert "docs/legal-basis.md#example-added" in c.citation


@pytest.mark.parametrize("new", [
    "to government authorities, such as law enforcement agencies and our advertising partners, where",  # recipient
    "to government authorities, such as law enforcement agencies and data brokers, where",
    "to government authorities, such as law enforcement agencies in China, where",  # a country
    "to government authorities, such as law enforcement agencies, and your health data, where",  # a data category
    "to government authorities, such as law enforcement agencies for 5 years, where",  # a period
    "to government authorities, such as law enforcement agencies, to sell it, where",  # a purpose
    "to government authorities, such as any agencies, where",  # a word replaced, a quantifier
    "to government authorities and advertisers, such as law enforcement agencies, where",  # outside the examples
])
def test_an_example_that_names_something_new_is_never_a_clarification(real: Path, tmp_path: Path, new: str) -> None:
    c = judged(real, tmp_path, DISCLOSURE, AUTHORITIES, new)
    assert c.rule != "text.example-added", str(c)
    # (a country named with no transfer stated is text.country-mention's to judge, minor, before any proof)
    assert c.level in ("review", "significant") or c.rule == "text.country-mention", str(c)


def test_a_definition_in_brackets_is_a_clarification(real: Path, tmp_path: Path) -> None:
    new = "including profiling (automated processing that evaluates personal aspects about you), that have"
    c = judged(real, tmp_path, _file_of(PROFILING), PROFILING, new)
    assert (c.level, c.rule) == ("minor", "text.example-added"), str(c)
    assert "(automated processing that evaluates personal aspects about you)" in c.reason


@pytest.mark.parametrize("new", [
    "including profiling (processing of your health data), that have",  # a data category
    "including profiling (which we share with advertisers), that have",  # a recipient
    "including profiling (for up to 10 years), that have",  # a period
    "including profiling (not only automated), that have",  # binding words
])
def test_a_definition_that_names_something_new_is_never_a_clarification(real: Path, tmp_path: Path,
                                                                        new: str) -> None:
    c = judged(real, tmp_path, _file_of(PROFILING), PROFILING, new)
    # (the sentence is negated: what it now withholds is judged by the rules before any proof, as minor)
    assert c.rule != "text.example-added" and c.level != "editorial", str(c)


def _example(before: str, after: str) -> str:
    voc = sameness_vocabulary()
    return prove_example(before, after, LEX, voc.example_openers, frozenset(voc.binding))


@pytest.mark.parametrize(("before", "after"), [
    ("We share your name with carriers, such as couriers.", "We share your name with carriers, such as couriers and "
     "postal services."),
    ("We use profiling to recommend products.", "We use profiling (automated evaluation of your preferences) to "
     "recommend products."),
])
def test_made_up_examples_and_glosses_are_proven(before: str, after: str) -> None:
    assert _example(before, after)


@pytest.mark.parametrize(("before", "after"), [
    ("We share your name with carriers, such as couriers.", "We share your name with carriers, such as couriers and "
     "our advertising partners."),  # a recipient of another kind
    ("We collect your details, such as your name.", "We collect your details, such as your name and your health "
     "data."),  # a data category
    ("We collect your details, such as your name.", "We collect your details, such as your name, and sell them."),
    ("We share it with carriers, such as couriers.", "We share it with carriers, such as couriers in China."),
    ("We keep your details, such as your name.", "We keep your details, such as your name, for two years."),
    ("We share it with carriers, such as couriers.", "We share it with carriers and brokers, such as couriers."),
    ("We share it with carriers, such as couriers.", "We share it with carriers, such as couriers. We sell it."),
    ("We share it with carriers, such as couriers.", "We share it with some carriers, such as couriers."),
    ("We use profiling to recommend products.", "We use profiling (of your health data) to recommend products."),
    ("We use profiling to recommend products.", "We use profiling (shared with advertisers) to recommend products."),
    ("We use profiling to recommend products.", "We use profiling (not only automated) to recommend products."),
    ("We use profiling to recommend products.", "We use profiling (to sell ads) to recommend products."),
])
def test_made_up_examples_that_name_something_new_are_not_proven(before: str, after: str) -> None:
    assert not _example(before, after)


def _file_of(text: str) -> str:
    from tests.conftest import REPO
    return next(str(p.relative_to(REPO)) for p in sorted((REPO / "policy/sections").glob("*.yaml"))
                if text in p.read_text("utf-8"))


# -- a synonym of the data's rewrites: "as soon as possible" is "promptly"; a period is not ----------------
@pytest.mark.parametrize(("after", "same"), [
    ("We delete it promptly.", True),
    ("We delete it within 30 days.", False),
    ("We delete it as soon as practicable.", False),
    ("We may delete it promptly.", False),
])
def test_as_soon_as_possible_is_promptly_and_nothing_else_is(after: str, same: bool) -> None:
    assert compare("We delete it as soon as possible.", after, LEX).proven is same
