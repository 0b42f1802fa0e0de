"""Classify changes as significant, minor or editorial, by rules that are data.

The rules ship in ``data/rules.yaml``; a project adds or overrides rules in
``policy/rules.yaml`` (same ``id`` replaces a shipped rule where it stands; a
new rule goes before all shipped ones, so a project's specific rule wins).

Each change is described by *observations* — flat mappings such as
``{"on": "fact", "change": "added", "fact": "purposes", "taxonomy": ...}``, or
for prose one per finding of :func:`policykit.prose.analyse`. For each
observation the first rule whose ``when`` matches decides; the change takes the
highest level among them and records that rule's id, reason, citation and
``consent`` flag (plus the ids of the other rules that fired, in ``also``).

An editor may override a change's level in the release draft:
:func:`apply_overrides` applies overrides, :func:`check_overrides` returns the
diagnostics (lowering a ``significant`` change without a written justification
is an error).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from policykit import prose, yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.diff import LEVELS, Change
from policykit.errors import InvalidPolicy
from policykit.model import NOWHERE, Policy
from policykit.moves import find_moves, known_from
from policykit.vocabulary import did_you_mean, duration_days, fact_kinds

PROJECT_RULES = "policy/rules.yaml"
CONDITIONS = (
    "on", "change", "fact", "attribute", "field", "trend", "value", "value_before", "taxonomy_under",
    "feature", "direction", "obligation", "defines", "target", "locale", "channel", "translation",
    "countries_within", "period_over", "promise",
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
    lexicons: prose.Lexicons
    fingerprint: str = ""  # changes whenever the rules do (cache keys)
    lexicon_data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def first_match(self, obs: Mapping[str, Any]) -> Rule:
        for rule in self._by_on().get(obs.get("on"), self.rules):
            if all(self._holds(key, want, obs) for key, want in rule.when.items()):
                return rule
        raise LookupError(f"no rule matches {dict(obs)!r}; the rule files need a catch-all rule")

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
            return isinstance(have, str) and any(_under(have, k) for k in self._values(want))
        if key == "countries_within":
            added = obs.get("countries_added") or ()
            return bool(added) and set(added) <= set(self._values(want))
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


def _under(key: str, parent: str) -> bool:
    return key == parent or key.startswith(parent + ".")


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
    path = root / PROJECT_RULES
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return base
    return parse_rules(data, PROJECT_RULES, base)


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
    lex_data = _merge(dict(base.lexicon_data) if base else {}, _plain(raw.get("lexicons") or {}))
    own: list[Rule] = []
    seen: dict[str, Pos] = {}
    items = raw.get("rules") or []
    if not isinstance(items, yamlio.LSeq):
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
    return RuleSet(rules, lists, prose.Lexicons.from_data(lex_data), fingerprint, lex_data)


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


# -- observations ------------------------------------------------------------
@dataclass
class Context:
    """What classification needs beyond the change itself."""

    rules: RuleSet
    before: Policy | None = None
    after: Policy | None = None
    moved: dict[str, Counter[str]] = field(default_factory=dict)  # locale -> sentences that moved
    lent: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)  # (locale, path) -> went elsewhere
    borrowed: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # came edited
    known: prose.Known = field(default_factory=prose.Known)

    def language(self, change: Change) -> str:
        if change.locale:
            return change.locale
        policy = self.after or self.before
        return policy.source_locale if policy else "en"


def _texts(change: Change) -> tuple[str, str] | None:
    """The before and after text of a change that is prose, or None."""
    b, a = change.before, change.after
    textual = change.kind in ("text-changed", "retitled") or (change.target == "block" and change.kind in
                                                              ("added", "removed") and not isinstance(b or a, dict))
    plain = isinstance(b, (str, type(None))) and isinstance(a, (str, type(None)))
    if plain and (change.locale or (textual and change.target in ("block", "fact"))):
        return b or "", a or ""
    return None


def observations(change: Change, ctx: Context) -> list[dict[str, Any]]:
    """How the rules see ``change``: one or more flat observations."""
    base: dict[str, Any] = {"change": change.kind, "path": change.path, "label": change.label,
                            "locale": change.locale or "source", "translation": bool(change.locale),
                            "before": _show(change.before), "after": _show(change.after),
                            "detail": f"{_show(change.before)} → {_show(change.after)}"}
    texts = _texts(change)
    if texts is not None:
        # A block whose id names a definition: its first sentence defines a term (prose.analyse
        # reports a `definition` finding only for a substantive hunk in a defining sentence).
        definition_block = "defin" in change.path.rsplit(".", 1)[-1] and change.target == "block"
        fact = change.path.split(".")[1] if change.target == "fact" else ""
        where = (change.locale, change.path)
        findings = prose.analyse(*texts, ctx.rules.lexicons, moved=ctx.moved.get(change.locale),
                                 lent=ctx.lent.get(where), borrowed=ctx.borrowed.get(where, ()), known=ctx.known,
                                 known_words=_dictionary(ctx.language(change)), definition_block=definition_block,
                                 fact=fact, old_context=_old_section_text(change, ctx))
        target = {"fact": "label", "block": "block", "section": "title"}.get(change.target, "metadata")
        out = [{**base, "on": "text", "target": target, "feature": f.feature, "direction": f.direction,
                "detail": f.detail, "defines": False, **({"fact": fact} if fact else {}), **f.props}
               for f in findings] or [{**base, "on": "text", "feature": "format", "direction": "neutral"}]
        if fact:
            for obs in out:
                if obs["feature"] == "country":
                    listed = _listed_countries(change, ctx)
                    if listed is not None:
                        # The item lists where its data goes: a country it lists is judged there; another
                        # one the label names is the origin or a description, not a destination.
                        code = obs.get("value")
                        members = set(ctx.rules.lexicons.country_groups.get(str(code), ()))
                        obs["trend"] = "listed" if code in listed or members & listed else "mentioned"
        return out
    if change.target == "policy":
        key = change.path.removeprefix("policy.")
        return [{**base, "on": "metadata", "field": key, "trend": _trend(key, change.before, change.after)}]
    if change.target == "fact":
        return [_fact_observation(change, base, ctx)]
    obs = {**base, "on": change.target}
    if change.target == "block" and change.kind == "attribute-changed":
        obs["attribute"] = change.path.rsplit(".", 1)[-1]
    return [obs]


def _fact_observation(change: Change, base: dict[str, Any], ctx: Context) -> dict[str, Any]:
    parts = change.path.split(".")
    kind, item_id = parts[1], parts[2]
    attribute = parts[3] if len(parts) > 3 else None
    item = (ctx.after.fact(kind, item_id) if ctx.after else None) or (
        ctx.before.fact(kind, item_id) if ctx.before else None)
    attrs: dict[str, Any] = dict(item.attrs) if item else {}
    if change.kind in ("added", "removed") and isinstance(change.after or change.before, dict):
        attrs = {k: v for k, v in (change.after or change.before).items() if k != "label"}
    obs = {**base, "on": "fact", "fact": kind, "taxonomy": attrs.get("taxonomy"),
           **{f"item.{k}": v for k, v in attrs.items() if isinstance(v, (str, int, bool))}}
    if isinstance(attrs.get("period"), str):
        obs["period_days"] = duration_days(attrs["period"])
    if attribute == "countries":
        obs["countries_added"] = sorted(set(change.after or ()) - set(change.before or ()))
    if change.kind in ("added", "removed"):
        obs["detail"] = change.label
    if attribute:
        obs["attribute"] = attribute
        obs["value"] = change.after
        obs["value_before"] = change.before
        obs["trend"] = _trend(attribute, change.before, change.after, kind)
        if attribute == "taxonomy":
            obs["taxonomy"] = change.after
    return obs


def _old_section_text(change: Change, ctx: Context) -> str | None:
    """For a new block: what its section said in the old version (the topic's old text)."""
    if change.before is not None or change.target != "block" or ctx.before is None:
        return None
    section = ctx.before.section(change.section)
    if section is None:
        return None
    return "\n\n".join(b.text for b in section.blocks if b.text)


def _listed_countries(change: Change, ctx: Context) -> set[str] | None:
    """The countries the fact item whose label ``change`` is lists, or None when it lists none."""
    parts = change.path.split(".")
    item = ctx.after.fact(parts[1], parts[2]) if ctx.after and len(parts) > 2 else None
    countries = set(item.attrs.get("countries") or ()) if item else set()
    return countries or None


def _trend(name: str, before: Any, after: Any, kind: str | None = None) -> str:
    """How a value moved: longer/shorter, lower/higher, set/unset, added-items, widened …"""
    if before is None or before == "" or before == ():
        return "set"
    if after is None or after == "" or after == ():
        return "unset"
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        sa, sb = set(map(str, before)), set(map(str, after))
        return "added-items" if sb > sa else "removed-items" if sb < sa else "changed-items"
    if isinstance(after, bool):
        return "true" if after else "false"
    if isinstance(before, int) and isinstance(after, int):
        return "lower" if after < before else "higher"
    attr_type = ""
    if kind is not None:
        spec = fact_kinds().get(kind)
        attr = spec.attributes.get(name) if spec else None
        attr_type = attr.type if attr else ""
    if name == "notice_period" or attr_type in ("duration", "lifetime"):
        da, db = _length(str(before)), _length(str(after))
        if da is not None and db is not None and da != db:
            return "longer" if db > da else "shorter"
    if attr_type.startswith("taxonomy:"):
        return "narrowed" if _under(str(after), str(before)) else "widened"
    if attr_type in ("email", "url"):
        return "same-domain" if prose._host(str(before)) == prose._host(str(after)) else "domain-changed"
    if isinstance(before, str) and isinstance(after, str) and prose.strip_punctuation(before) == \
            prose.strip_punctuation(after):
        return "format"
    return "changed"


def _length(value: str) -> float | None:
    if value == "session":
        return 0.0
    if value == "persistent":
        return float("inf")
    return duration_days(value)


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return str(value.get("label") or value.get("list") or ", ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]" if value else "[]"
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


@cache
def _checker(language: str) -> Any:
    lang = language.split("-")[0].lower()
    try:
        from spellchecker import SpellChecker

        return SpellChecker(language=lang)
    except (ImportError, ValueError, OSError):
        return None


def _dictionary(language: str) -> Callable[[set[str]], set[str]]:
    """Which of some words a dictionary of ``language`` knows (for typo fixes); none without a dictionary.

    The dictionary loads (about 0.15 s) only when a possible typo fix needs it.
    """

    def known(words: set[str]) -> set[str]:
        checker = _checker(language)
        return set(checker.known(words)) if checker is not None else set()

    return known


# -- classification ----------------------------------------------------------
def classify(changes: Sequence[Change], rules: RuleSet | None = None, *,
             before: Policy | None = None, after: Policy | None = None) -> list[Change]:
    """Each change with its level, the deciding rule, the reason, citation and consent flag.

    ``before`` and ``after`` (the two versions) let rules see a fact item's other
    attributes, e.g. the category of a tracker whose lifetime changed, and what the
    old version already named (a name or contact domain it used is not new).
    """
    rules = rules or shipped_rules()
    moves = find_moves(changes, rules.lexicons)
    ctx = Context(rules, before, after, moves.moved, moves.lent, moves.borrowed, known_from(before))
    return [_classify_one(c, ctx) for c in changes]


# The modules whose code decides a classification: a cache of classified results (``policyctl log``) is
# keyed by their bytes as well as by the rules, so that a new classifier never reads an old answer.
CLASSIFIER_MODULES = ("classify.py", "prose.py", "hunks.py", "clauses.py", "terms.py", "moves.py", "diff.py",
                      "vocabulary.py", "data/facts.yaml")


def code_fingerprint(sources: Iterable[bytes] | None = None) -> str:
    """A short hash of the classifier's code (``CLASSIFIER_MODULES``, or the given ``sources``)."""
    import hashlib

    if sources is None:
        return _shipped_code_fingerprint()
    h = hashlib.sha256()
    for data in sources:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:16]


@cache
def _shipped_code_fingerprint() -> str:
    base = resources.files("policykit")
    return code_fingerprint(base.joinpath(name).read_bytes() for name in CLASSIFIER_MODULES)


def _classify_one(change: Change, ctx: Context) -> Change:
    best: tuple[int, bool, int, Rule, dict[str, Any]] | None = None
    fired: list[str] = []
    order = {r.id: i for i, r in enumerate(ctx.rules.rules)}
    for obs in observations(change, ctx):
        rule = ctx.rules.first_match(obs)
        fired.append(rule.id)
        # The highest level decides; among equals, a rule that asks for consent (the more demanding), then
        # the rule written first (the more specific).
        rank = (LEVELS.index(rule.level), rule.consent, -order[rule.id])
        if best is None or rank > best[:3]:
            best = (*rank, rule, obs)
    assert best is not None
    _, _, _, rule, obs = best
    consent = any(r.consent for r in (ctx.rules.rule(i) for i in fired) if r is not None and r.level == rule.level)
    reason = _format(rule.reason, obs)
    also = tuple(dict.fromkeys(i for i in fired if i != rule.id))
    return replace(change, level=rule.level, rule=rule.id, reason=reason, citation=rule.citation,
                   consent=consent, also=also)


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _format(template: str, obs: Mapping[str, Any]) -> str:
    values = _Missing({k: v for k, v in obs.items() if v is not None})
    values.setdefault("detail", "")
    text = " ".join(template.format_map(values).split())
    return text[:1].upper() + text[1:]


# -- overrides ----------------------------------------------------------------
@dataclass(frozen=True)
class Override:
    """An editor's decision on one change's level, kept with its written justification."""

    path: str
    level: str
    justification: str = ""
    kind: str = ""  # optional: only the change of this kind at ``path``
    pos: Pos = field(default=NOWHERE, compare=False)

    def matches(self, change: Change) -> bool:
        return change.path == self.path and (not self.kind or change.kind == self.kind)


def apply_overrides(changes: Sequence[Change], overrides: Sequence[Override]) -> list[Change]:
    """``changes`` with each overridden level applied; the rule's level stays in ``classified_as``.

    Call :func:`check_overrides` first: this function applies what it is given.
    """
    out = []
    for change in changes:
        o = next((o for o in overrides if o.matches(change)), None)
        if o is None or o.level not in LEVELS:
            out.append(change)
            continue
        out.append(replace(change, level=o.level, classified_as=change.classified_as or change.level,
                           justification=o.justification.strip()))
    return out


def check_overrides(changes: Sequence[Change], overrides: Sequence[Override]) -> list[Diagnostic]:
    """Problems with overrides: unknown level, no such change, a significant lowered without justification."""
    out = []
    paths = sorted({c.path for c in changes})
    seen: dict[tuple[str, str], Pos] = {}
    for o in overrides:
        if o.level not in LEVELS:
            out.append(error(o.pos, f"override of {o.path}: level must be one of {', '.join(LEVELS)}, "
                             f"not {o.level!r}", "override.level"))
            continue
        if (o.path, o.kind) in seen:
            out.append(error(o.pos, f"{o.path} is overridden twice (first at line {seen[(o.path, o.kind)].line})",
                             "override.duplicate"))
        seen[(o.path, o.kind)] = o.pos
        targets = [c for c in changes if o.matches(c)]
        if not targets:
            out.append(error(o.pos, f"override of {o.path}: no change has this path"
                             f"{did_you_mean(o.path, paths)}", "override.unknown"))
            continue
        for c in targets:
            level = c.classified_as or c.level
            if (level in LEVELS and LEVELS.index(o.level) < LEVELS.index(level) and level == "significant"
                    and not o.justification.strip()):
                out.append(error(o.pos, f"lowering {o.path} from significant to {o.level} needs a written "
                                 f"justification (rule {c.rule}: {c.reason})", "override.justification"))
    return out
