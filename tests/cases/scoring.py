"""Score the classifier on the lawyer's case files: each case's edits applied to a copy of its release,
the two versions diffed and classified as ``policyctl diff`` does, the tool's level set beside the
lawyer's.

Used by ``python benchmarks/run.py classify`` (figures per category and language, and two naive
baselines) and by ``tests/cases/test_judgement.py`` (no case may regress). The classifier is asked
only here, after the cases were written.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.cases.casefile import Case, apply, load_cases, materialise

# The naive trigger words of docs/legal-basis.md#reading-prose: a drafter who avoids them escapes a
# classifier that only looks for them (the second baseline).
TRIGGERS = re.compile(
    r"\b(?:may|might|can|could|will|shall|must|should|not|no|never|without|except|unless|only|solely|all|any|"
    r"some|including|such as|sell|share|disclose|transfer|combine|profile|train|advertis\w*|partners?|consent|"
    r"opt-?in|opt-?out|legitimate interests?|anonymi\w*|aggregat\w*|days?|months?|years?|\d+)\b", re.I)


@dataclass(frozen=True)
class Scored:
    case: Case
    level: str  # the tool's level for the whole edit: the highest of its changes
    rule: str  # the deciding rule of the change at that level
    consent: bool
    naive_any: str  # a word added or removed = significant
    naive_triggers: str  # a trigger word added or removed = significant, else minor
    reason: str = ""  # the tool's reason for its level
    consent_provisional: bool = False  # flagged only on changes left to review (a person's decision drops it)

    @property
    def right(self) -> bool:
        return self.level in self.case.accept

    @property
    def caught(self) -> bool:
        """A material case the tool does not let pass: significant, or left to a person."""
        return self.level in ("significant", "review")

    category: str = ""  # the legal category the tool files the change under

    @property
    def rule_category(self) -> str:
        return self.category or self.rule.split(".", 1)[0]


def score(cases: Iterable[Case], work: Path) -> list[Scored]:
    from policykit.compare.classify import classify, shipped_rules
    from policykit.compare.diff import diff_policies, level_of
    from policykit.load import FileSource, read_project

    def load_policy(root: Path) -> Any:  # the case checker validates them; the scores need only the model
        policy = read_project(FileSource(root)).policy
        assert policy is not None, root
        return policy

    rules = shipped_rules()
    bases: dict[str, Path] = {}
    out = []
    for case in cases:
        if case.base not in bases:
            bases[case.base] = materialise(case.base, work / f"base-{case.base}")
        edited = materialise(case.base, work / case.id)
        apply(case, edited)
        before, after = load_policy(bases[case.base]), load_policy(edited)
        locales = [t for t in after.all_locales if t != after.source_locale]
        changes = classify(list(diff_policies(before, after, locales=locales)), rules, before=before, after=after)
        level = level_of(changes)
        top = next((c for c in changes if c.level == level), None)
        texts = [(str(c.before or ""), str(c.after or "")) for c in changes if c.kind == "text-changed"]
        facts = any(c.target == "fact" and c.kind != "text-changed" for c in changes)
        consent = any(c.consent for c in changes)
        firm = any(c.consent and c.level == "significant" for c in changes)
        out.append(Scored(case, level, top.rule if top else "", consent,
                          _naive(texts, facts, lambda w: True), _naive(texts, facts, TRIGGERS.fullmatch),
                          top.reason if top else "", consent and not firm, top.category if top else ""))
    return out


def _naive(texts: Sequence[tuple[str, str]], facts: bool, counts: object) -> str:
    """Significant when a word that ``counts`` was added or removed (or a fact changed), else minor."""
    from policykit.compare.prose import word_diff

    for before, after in texts:
        for op, text in word_diff(before, after):
            if op != "=" and any(counts(w) for w in re.findall(r"[\w'-]+", text)):  # type: ignore[operator]
                return "significant"
    return "significant" if facts else "minor"


@dataclass(frozen=True)
class Figures:
    material: int
    caught: int  # material called significant or review
    significant: int  # material called significant
    other: int  # non-material cases
    false_significant: int  # non-material called significant
    to_review: int  # non-material sent to review
    right: int  # every case whose level is among its accepted levels
    rule_right: int  # material cases caught whose rule names the lawyer's legal category

    def line(self, label: str) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:5.1f}%" if d else "    -"

        return (f"{label:<24} material {self.material:3d}: caught {pct(self.caught, self.material)} "
                f"(significant {pct(self.significant, self.material)}, rule of its category "
                f"{pct(self.rule_right, self.material)}) | non-material {self.other:3d}: called significant "
                f"{pct(self.false_significant, self.other)}, sent to review {pct(self.to_review, self.other)}")


def figures(scored: Sequence[Scored], level: str = "tool") -> Figures:
    def lv(s: Scored) -> str:
        return {"tool": s.level, "any": s.naive_any, "triggers": s.naive_triggers}[level]

    material = [s for s in scored if s.case.material]
    other = [s for s in scored if not s.case.material]
    return Figures(
        material=len(material),
        caught=sum(lv(s) in ("significant", "review") for s in material),
        significant=sum(lv(s) == "significant" for s in material),
        other=len(other),
        false_significant=sum(lv(s) == "significant" for s in other),
        to_review=sum(lv(s) == "review" for s in other),
        right=sum(lv(s) in s.case.accept for s in scored),
        rule_right=sum(level == "tool" and s.caught and s.case.rule is not None
                       and s.rule_category == s.case.rule for s in material),
    )


def consent_line(scored: Sequence[Scored], label: str) -> str:
    """How right the fresh-consent flag is: on the cases a lawyer says need it, and on the others (a flag
    there is wrong; "provisional" ones sit only on changes left to review, and a person deciding them
    minor or editorial drops the flag)."""
    need = [s for s in scored if s.case.consent]
    wrong = [s for s in scored if s.consent and not s.case.consent]
    provisional = sum(s.consent_provisional for s in wrong)
    return (f"{label:<24} consent flag right in {sum(s.consent for s in need):3d} of {len(need):3d} cases that "
            f"need it | flagged on {len(wrong)} of {len(scored) - len(need)} that do not "
            f"({provisional} provisional, on changes left to review)")


def score_all() -> list[Scored]:
    with tempfile.TemporaryDirectory() as tmp:
        return score(load_cases(), Path(tmp))


@dataclass(frozen=True)
class ScoredPair:
    pair: Any  # tests.cases.casefile.CorpusPair: the lawyer's label of two consecutive versions
    level: str  # the tool's level for the whole pair
    rule: str

    @property
    def caught(self) -> bool:
        return self.level in ("significant", "review")


def score_corpus(work: Path) -> list[ScoredPair]:
    """Every labelled pair of the corpus: each policy's versions imported as a git history
    (policykit.importing), each pair of consecutive commits diffed and classified as ``policyctl diff``
    does, the tool's level set beside the lawyer's."""
    from policykit.compare.diffreport import compare
    from policykit.importing.history import import_history
    from tests.cases.casefile import corpus_root, load_corpus_labels

    root = corpus_root()
    labels = load_corpus_labels()
    out = []
    for policy in sorted({p.policy for p in labels}):
        dest = work / policy
        imported = {v.file: v.commit for v in import_history(root / policy, dest, controller="The company")}
        for pair in (p for p in labels if p.policy == policy):
            report = compare(dest, imported[pair.older], imported[pair.newer])
            level = report.level if report.changes else "editorial"
            top = next((c for c in report.changes if c.level == report.level), None)
            out.append(ScoredPair(pair, level, top.rule if top else ""))
    return out


def pair_figures(scored: Sequence[ScoredPair]) -> Figures:
    material = [s for s in scored if s.pair.material]
    other = [s for s in scored if not s.pair.material]
    return Figures(material=len(material), caught=sum(s.caught for s in material),
                   significant=sum(s.level == "significant" for s in material), other=len(other),
                   false_significant=sum(s.level == "significant" for s in other),
                   to_review=sum(s.level == "review" for s in other),
                   right=sum(s.level == s.pair.level or (s.caught and s.pair.material) for s in scored),
                   rule_right=0)
