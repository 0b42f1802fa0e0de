from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from policykit.diagnostics import has_errors
from policykit.errors import InvalidPolicy, UsageError


def check(*, root: Path, jurisdiction: Sequence[str] | None = None, fmt: str = "text", link_base: str = "") -> int:
    """Print the completeness report of the project at ``root``; 1 when a requirement is missing (not waived)."""
    from policykit.completeness import assess, jurisdictions, problems, render
    from policykit.load.project import load_project
    from policykit.vocabulary import did_you_mean

    loaded = load_project(root, level="schema")
    if loaded.policy is None:
        raise InvalidPolicy(loaded.diagnostics)
    policy = loaded.policy
    known = jurisdictions()
    for jid in jurisdiction or ():
        if jid not in known:
            raise UsageError(f"no requirement set for jurisdiction {jid!r}{did_you_mean(jid, known)}; "
                             f"known: {', '.join(known)}")
    wanted = list(dict.fromkeys(jurisdiction or policy.jurisdictions))
    if not wanted:
        raise UsageError("policy.yaml names no `jurisdictions:`; add them, or pass --jurisdiction ID")
    errors = [d for d in problems(policy) if d.severity == "error"]
    if errors:
        raise InvalidPolicy(errors)
    others = [d for d in loaded.diagnostics if d.severity == "error"]
    if has_errors(others):
        print(f"policyctl check: note: the policy has {len(others)} other error(s); run `policyctl validate`",
              file=sys.stderr)
    report = assess(policy, [known[j] for j in wanted])
    print(render(report, fmt, link_base=link_base))
    return 0 if report.ok else 1
