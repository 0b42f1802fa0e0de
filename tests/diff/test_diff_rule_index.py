"""The rule index (by ``on`` and ``feature``) picks the rule a scan of every rule in order would pick."""

from __future__ import annotations

from policykit.compare.classify import shipped_rules
from policykit.compare.diff import diff_policies
from policykit.compare.moves import find_moves, known_from
from policykit.compare.observations import Context, observations
from policykit.errors import PolicyError
from policykit.versions import load_version

from ..conftest import REPO


def test_first_match_is_the_first_rule_in_order_whose_conditions_all_hold() -> None:
    rules = shipped_rules()
    b = load_version(REPO, "HEAD").policy
    try:  # the released 2018 text against today's (many changes of every kind)
        a = load_version(REPO, "1.0.1").policy
    except PolicyError:  # a checkout without the release: the last commit
        a = load_version(REPO, "HEAD~1").policy
    changes = diff_policies(a, b, locales=("ja", "de"))
    moves = find_moves(changes, rules.lexicons)
    ctx = Context(rules, a, b, moves.moved, moves.lent, moves.borrowed, known_from(a))
    seen = 0
    for change in changes:
        for obs in [*observations(change, ctx), {**observations(change, ctx)[0], "feature": "no-such-feature"},
                    {k: v for k, v in observations(change, ctx)[0].items() if k != "feature"}]:
            scan = next(r for r in rules.rules if all(rules._holds(k, w, obs) for k, w in r.when.items()))
            assert rules.first_match(obs) == scan, obs
            seen += 1
    assert seen > 30
