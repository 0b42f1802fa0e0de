"""The judgement, measured on the lawyer's cases: ``python benchmarks/run.py classify``.

For each legal category (a case file) and each language of the edited text, the figures issue #14
asks for: the share of material changes caught (called significant, or left to a person as
``review``), the share of non-material changes called significant, and the share sent to review;
whether the fresh-consent flag is right (``consent flag right in N of M``, per category); the same
for two naive baselines: "a word was added or removed = significant" and "a trigger word of
the prose heuristics (docs/legal-basis.md#reading-prose) was added or removed = significant, else
minor". Then the cases the tool gets wrong, by id (their files say what a lawyer expects, and why).

Targets (issue #14): every material change significant or review; at most 3 % of non-material edits
significant; at most 15 % sent to review; at least 90 % of meaning-changing translations caught.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.cases: the case files and how they are applied


def main() -> None:
    from tests.cases.scoring import consent_line, figures, score_all

    started = time.perf_counter()
    scored = score_all()
    took = time.perf_counter() - started
    print(f"{len(scored)} cases scored in {took:.1f} s ({1000 * took / max(len(scored), 1):.0f} ms a case)")
    groups: dict[str, list] = defaultdict(list)
    for s in scored:
        groups[f"category {s.case.category}"].append(s)
        groups[f"language {s.case.language}"].append(s)
    for name in sorted(groups):
        print(figures(groups[name]).line(name))
    print()
    batches: dict[str, list] = defaultdict(list)  # a held-out batch is scored apart from the cases built on
    for s in scored:
        batches[f"batch {s.case.batch}" if s.case.batch else "cases with no batch"].append(s)
    for name in sorted(batches):
        print(figures(batches[name]).line(name))
        print(figures(batches[name], "any").line("  naive: any word"))
        print(figures([s for s in batches[name] if s.case.language != "en"]).line("  translations"))
    print()
    for label, level in (("all cases: policyctl", "tool"), ("all: any word = signif.", "any"),
                         ("all: trigger words", "triggers")):
        print(figures(scored, level).line(label))
    print()
    categories = sorted({s.case.category for s in scored})
    for category in categories:
        group = [s for s in scored if s.case.category == category]
        if any(s.case.consent or s.consent for s in group):
            print(consent_line(group, f"category {category}"))
    print(consent_line(scored, "all cases: fresh consent"))
    for s in scored:
        if s.consent != s.case.consent:
            print(f"  {s.case.file}: {s.case.id}: lawyer {'needs' if s.case.consent else 'no'} consent, policyctl "
                  f"{'flags' if s.consent else 'does not flag'} it [{s.level} {s.rule}]")
    wrong = [s for s in scored if not s.right]
    print(f"\n{len(wrong)} case(s) at a level the lawyer does not accept:")
    for s in wrong:
        batch = f" (batch {s.case.batch})" if s.case.batch else ""
        print(f"  {s.case.file}: {s.case.id}{batch}: lawyer {s.case.level}, policyctl {s.level} [{s.rule}]")
    corpus()


def corpus() -> None:
    """The real version histories (Platform Governance Archive, ODC-By 1.0): each pair of consecutive
    versions as imported, judged as a whole, against the lawyer's label of the pair."""
    import tempfile

    from tests.cases.scoring import pair_figures, score_corpus

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        pairs = score_corpus(Path(tmp))
    print(f"\ncorpus: {len(pairs)} pairs of consecutive versions imported and scored in "
          f"{time.perf_counter() - started:.0f} s")
    by_policy: dict[str, list] = defaultdict(list)
    for s in pairs:
        by_policy[s.pair.policy].append(s)
    for policy in sorted(by_policy):
        print(pair_figures(by_policy[policy]).line(f"corpus {policy}"))
    print(pair_figures(pairs).line("corpus: all pairs"))
    for s in pairs:
        if (s.pair.material and not s.caught) or (not s.pair.material and s.level == "significant"):
            print(f"  {s.pair.policy} {s.pair.older} → {s.pair.newer}: lawyer {s.pair.level}, policyctl {s.level} "
                  f"[{s.rule}]")


if __name__ == "__main__":
    main()
