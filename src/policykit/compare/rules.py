"""The classification rules: data, not if-chains.

The rules ship in ``data/rules.yaml``; a project adds or overrides rules in
``policy/rules.yaml`` (same ``id`` replaces a shipped rule where it stands; a
new rule goes before all shipped ones, so a project's specific rule wins).
Besides the rules, a rules file holds named ``lists`` (``$special_categories``)
and the ``lexicons`` that drive the prose findings (:mod:`policykit.compare.lexicons`).

A rule's ``when`` is a mapping of conditions (``CONDITIONS``) an observation
(:mod:`policykit.compare.observations`) must meet; :meth:`RuleSet.first_match` returns the
first rule that matches. Loading checks every rule and reports each problem with
its ``file:line:col`` (:class:`~policykit.errors.InvalidPolicy`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from policykit import yamlio
from policykit.compare.diff import LEVELS
from policykit.compare.lexicons import Lexicons
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy
from policykit.model import NOWHERE
from policykit.taxonomy import is_under
from policykit.vocabulary import did_you_mean, duration_days

PROJECT_RULES = "policy/rules.yaml"
CONDITIONS = (
    "on", "change", "fact", "attribute", "field", "trend", "value", "value_before", "taxonomy_under",
    "feature", "direction", "obligation", "defines", "target", "locale", "channel", "translation",
    "countries_within", "countries_outside", "period_over", "promise", "informational", "aspect",
)
PLACEHOLDERS = ("label", "path", "detail", "before", "after", "taxonomy", "attribute", "field", "fact", "change",
                "locale")
_RULE_KEYS = ("id", "when", "level", "reason", "citation", "consent")


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    when: Mapping[str, Any]
    reason: str
    citation: str = ""
    consent: bool = False
    pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lists: Mapping[str, tuple[str, ...]]
    lexicons: Lexicons
    fingerprint: str = ""  # changes whenever the rules do (cache keys)
    lexicon_data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def matches(self, when: Mapping[str, Any], obs: Mapping[str, Any]) -> bool:
        """Whether ``obs`` meets every condition of ``when`` (a rule's ``when``, ``$lists`` resolved here)."""
        return all(self._holds(key, want, obs) for key, want in when.items())

    def first_match(self, obs: Mapping[str, Any]) -> Rule:
        for rule in self._candidates(obs):
            if self.matches(rule.when, obs):
                return rule
        raise LookupError(f"no rule matches {dict(obs)!r}; the rule files need a catch-all rule")

    def _candidates(self, obs: Mapping[str, Any]) -> tuple[Rule, ...]:
        """The rules that can match an observation, in order: those for its ``on``, less those whose
        ``feature`` condition it fails (that condition depends on the observation's feature alone)."""
        rules = self._by_on().get(obs.get("on"), self.rules)
        key = (obs.get("on"), "feature" in obs, obs.get("feature"))
        index: dict[tuple[Any, bool, Any], tuple[Rule, ...]] | None = self.__dict__.get("_feature_index")
        if index is None:
            index = {}
            object.__setattr__(self, "_feature_index", index)
        try:
            found = index.get(key)
        except TypeError:  # a feature that is no plain value: no cut
            return rules
        if found is None:
            found = index[key] = tuple(r for r in rules if "feature" not in r.when
                                       or self._holds("feature", r.when["feature"], obs))
        return found

    def _by_on(self) -> dict[Any, tuple[Rule, ...]]:
        """Rules that can match an observation, by its ``on`` (order kept): a cheap first cut."""
        cached = self.__dict__.get("_on_index")
        if cached is None:
            ons = {o for r in self.rules for o in self._values(r.when.get("on", ()))}
            cached = {o: tuple(r for r in self.rules if "on" not in r.when or o in self._values(r.when["on"]))
                      for o in ons}
            object.__setattr__(self, "_on_index", cached)
        return cached

    def _holds(self, key: str, want: Any, obs: Mapping[str, Any]) -> bool:
        if key == "taxonomy_under":
            have = obs.get("taxonomy")
            return isinstance(have, str) and any(is_under(have, k) for k in self._values(want))
        if key == "countries_within":
            added = obs.get("countries_added") or ()
            return bool(added) and set(added) <= set(self._values(want))
        if key == "countries_outside":
            return bool(set(obs.get("countries_added") or ()) - set(self._values(want)))
        if key == "period_over":
            days, limit = obs.get("period_days"), duration_days(str(want))
            return days is not None and limit is not None and days > limit
        if key not in obs:
            return False
        have = obs[key]
        if isinstance(want, (list, tuple)) or (isinstance(want, str) and want.startswith("$")):
            return have in self._values(want)
        return bool(have == want)

    def _values(self, want: Any) -> tuple[Any, ...]:
        items = want if isinstance(want, (list, tuple)) else (want,)
        out: list[Any] = []
        for item in items:
            if isinstance(item, str) and item.startswith("$"):
                out.extend(self.lists.get(item[1:], ()))
            else:
                out.append(item)
        return tuple(out)



# -- loading the rules -------------------------------------------------------
@cache
def shipped_rules() -> RuleSet:
    """The rules shipped with policykit."""
    data = resources.files("policykit").joinpath("data/rules.yaml").read_bytes()
    return parse_rules(data, "policykit/data/rules.yaml")


def load_rules(root: Path | None = None) -> RuleSet:
    """The shipped rules, with the project's ``policy/rules.yaml`` (if ``root`` has one) on top."""
    base = shipped_rules()
    if root is None:
        return base
    from policykit import files

    data = files.read(root, PROJECT_RULES)
    if data is None:
        return base
    return parse_rules(data, PROJECT_RULES, base)


def check_project_rules(root: Path) -> Iterator[Diagnostic]:
    """``policy/rules.yaml`` checked as a policy file is: each problem located (validate and pre-commit
    catch a broken rules file before diff or release read it)."""
    try:
        load_rules(root)
    except InvalidPolicy as exc:
        yield from exc.diagnostics


def parse_rules(data: bytes, name: str, base: RuleSet | None = None) -> RuleSet:
    """Rules read from YAML ``data`` (on top of ``base``); :class:`InvalidPolicy` on any problem."""
    import hashlib

    raw = yamlio.parse(data, name)
    problems: list[Diagnostic] = []
    if not isinstance(raw, yamlio.LMap):
        raise InvalidPolicy([error(Pos(name, 1, 1), "a rules file must be a mapping with `rules:`", "rules.type")])
    for key in raw:
        if key not in ("lists", "lexicons", "rules"):
            problems.append(error(raw.key_pos[key], f"unknown key {key!r} in a rules file"
                                  f"{did_you_mean(key, ['lists', 'lexicons', 'rules'])}", "rules.unknown-key"))
    lists = {k: tuple(v) for k, v in (base.lists if base else {}).items()}
    for key, values in _plain(raw.get("lists") or {}).items():
        lists[key] = tuple(dict.fromkeys([*lists.get(key, ()), *values]))
    own_lex = raw.get("lexicons")
    if base is not None and isinstance(own_lex, yamlio.LMap):
        known = list(base.lexicon_data)  # a project extends the lexicons the package has; a typo is no new one
        for key in own_lex:
            if key not in known:
                problems.append(error(own_lex.key_pos[key], f"unknown lexicon {key!r}{did_you_mean(key, known)}",
                                      "rules.unknown-key"))
    lex_data = _merge(dict(base.lexicon_data) if base else {}, _plain(own_lex or {}))
    own: list[Rule] = []
    seen: dict[str, Pos] = {}
    items = raw.get("rules")
    if items is None or items == []:  # a file that only extends lists or lexicons, or says `rules: []`
        items = yamlio.LSeq()
        items.item_pos = []
    elif not isinstance(items, yamlio.LSeq):
        problems.append(error(raw.where("rules"), "`rules` must be a list of rules", "rules.type"))
        items = yamlio.LSeq()
        items.item_pos = []
    for item, pos in zip(items, items.item_pos, strict=True):
        rule = _rule(item, pos, lists, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(error(pos, f"rule {rule.id!r} is defined twice (first at line {seen[rule.id].line})",
                                  "rules.duplicate"))
            continue
        seen[rule.id] = pos
        own.append(rule)
    if problems:
        raise InvalidPolicy(problems)
    if base is None:
        rules = tuple(own)
    else:
        replaced = {r.id: r for r in own if base.rule(r.id)}
        rules = tuple([r for r in own if r.id not in replaced] + [replaced.get(r.id, r) for r in base.rules])
    fingerprint = hashlib.sha256((base.fingerprint if base else "").encode() + data).hexdigest()[:16]
    return RuleSet(rules, lists, Lexicons.from_data(lex_data), fingerprint, lex_data)


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: _merge(a[k], v) if k in a else v for k, v in b.items()}}
    if isinstance(a, list) and isinstance(b, list):
        return list(dict.fromkeys([*a, *b]))
    return b


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _rule(item: Any, pos: Pos, lists: Mapping[str, Any], problems: list[Diagnostic]) -> Rule | None:
    if not isinstance(item, yamlio.LMap):
        problems.append(error(pos, "a rule must be a mapping (id, when, level, reason)", "rules.type"))
        return None
    for key in item:
        if key not in _RULE_KEYS:
            problems.append(error(item.key_pos[key], f"unknown key {key!r} in a rule{did_you_mean(key, _RULE_KEYS)}",
                                  "rules.unknown-key"))
    rid = item.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", rid):
        problems.append(error(item.where("id") if "id" in item else item.pos,
                              f"rule id {rid!r} must be lower-case words joined by . or -", "rules.id"))
        return None
    level = item.get("level")
    if level not in LEVELS:
        problems.append(error(item.where("level") if "level" in item else item.pos,
                              f"rule {rid}: level must be one of {', '.join(LEVELS)}, not {level!r}", "rules.level"))
    when = item.get("when", {})
    if not isinstance(when, dict):
        problems.append(error(item.where("when"), f"rule {rid}: `when` must be a mapping", "rules.type"))
        when = {}
    for key, want in when.items():
        if key not in CONDITIONS and not key.startswith("item."):
            problems.append(error(when.key_pos[key] if isinstance(when, yamlio.LMap) else item.pos,
                                  f"rule {rid}: unknown condition {key!r}{did_you_mean(key, CONDITIONS)}",
                                  "rules.condition"))
        for value in want if isinstance(want, list) else [want]:
            if isinstance(value, str) and value.startswith("$") and value[1:] not in lists:
                problems.append(error(when.where(key) if isinstance(when, yamlio.LMap) else item.pos,
                                      f"rule {rid}: no list named {value[1:]!r}{did_you_mean(value[1:], lists)}",
                                      "rules.list"))
    reason = item.get("reason", "")
    if not isinstance(reason, str) or not reason.strip():
        problems.append(error(item.where("reason") if "reason" in item else item.pos,
                              f"rule {rid} needs a `reason` a lawyer would accept", "rules.reason"))
        reason = ""
    for _, name, _, _ in string.Formatter().parse(reason):
        if name is not None and name not in PLACEHOLDERS:
            problems.append(error(item.where("reason"), f"rule {rid}: unknown placeholder {{{name}}} in the reason"
                                  f"{did_you_mean(name, PLACEHOLDERS)}", "rules.reason"))
    consent = item.get("consent", False)
    if not isinstance(consent, bool):
        problems.append(error(item.where("consent"), f"rule {rid}: consent must be true or false", "rules.type"))
    citation = item.get("citation", "") or ""
    return Rule(rid, str(level), _plain(when), reason, str(citation), consent is True, item.pos)
