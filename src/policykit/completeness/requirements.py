"""Requirement sets: one YAML file per jurisdiction, shipped in ``data/requirements/``.

Parsing checks the file as strictly as a policy file (unknown keys, fact kinds,
attribute names and enum values are checked against the fact vocabulary), so a
typo in a requirement cannot silently make it always met or never met.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from policykit import yamlio
from policykit.completeness.evidence import (
    FIELDS,
    AllOf,
    AnyOf,
    Declared,
    FactTest,
    FieldTest,
    Match,
    Test,
)
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy
from policykit.vocabulary import did_you_mean, fact_kinds

REQUIREMENT_ID_RE = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$")
JURISDICTION_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_FILE_KEYS = ("jurisdiction", "title", "law", "requirements")
_REQ_KEYS = ("id", "title", "citation", "condition", "applies_when", "met_by", "keywords")
_FACT_KEYS = ("fact", "where", "having", "covers", "each_has", "allow_none")


@dataclass(frozen=True)
class Requirement:
    id: str
    jurisdiction: str
    title: str
    citation: str
    met_by: Test
    condition: str = ""  # in words: when the requirement applies
    applies_when: Test | None = None
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> casefolded words
    pos: Pos = field(default=Pos(""), compare=False, repr=False)

    @property
    def declarable(self) -> bool:
        """Whether a block may declare ``satisfies: [<id>]`` as (part of) its evidence."""
        return self.met_by.declarable()

    def keywords_for(self, locale: str) -> tuple[str, ...] | None:
        """The words a block in ``locale`` should mention to meet it (``zh-Hans`` falls back to ``zh``)."""
        tag = locale
        while tag:
            if tag in self.keywords:
                return self.keywords[tag]
            tag = tag.rpartition("-")[0]
        return None


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    title: str
    law: str
    requirements: tuple[Requirement, ...]
    file: str = field(default="", compare=False)

    def requirement(self, requirement_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == requirement_id), None)


class _Parser:
    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[Diagnostic] = []

    def fail(self, pos: Pos, message: str) -> None:
        self.errors.append(error(pos, message, "requirements.schema"))

    def keys(self, m: yamlio.LMap, allowed: tuple[str, ...], what: str) -> None:
        for key in m:
            if key not in allowed:
                self.fail(m.key_pos[key], f"unknown key {key!r} in {what}{did_you_mean(key, allowed)}")

    def text(self, m: yamlio.LMap, key: str, what: str, required: bool = True) -> str:
        value = m.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(m.where(key), f"{what} needs {key!r} (text)")
            return ""
        return value.strip()

    def strings(self, value: Any, pos: Pos, what: str) -> tuple[str, ...]:
        seq = value if isinstance(value, list) else [value]
        if not seq or not all(isinstance(v, str) and v for v in seq):
            self.fail(pos, f"{what} must be text or a list of text")
            return ()
        return tuple(seq)

    # -- tests -----------------------------------------------------------
    def test(self, value: Any, pos: Pos) -> Test:
        if value == "declared":
            return Declared()
        if not isinstance(value, yamlio.LMap) or (len(value) != 1 and "fact" not in value and "field" not in value):
            self.fail(pos, "a test is `declared`, or a mapping with one of: all, any, field, fact, declared")
            return Declared()
        if "all" in value or "any" in value:
            key = "all" if "all" in value else "any"
            self.keys(value, (key,), f"`{key}`")
            seq = value[key]
            if not isinstance(seq, yamlio.LSeq) or not seq:
                self.fail(value.where(key), f"`{key}` needs a list of tests")
                return Declared()
            tests = tuple(self.test(v, p) for v, p in zip(seq, seq.item_pos, strict=True))
            return AllOf(tests) if key == "all" else AnyOf(tests)
        if "field" in value:
            return self.field_test(value)
        if "fact" in value:
            return self.fact_test(value)
        if value.get("declared") is True:
            return Declared()
        self.fail(pos, "a test is `declared`, or a mapping with one of: all, any, field, fact, declared")
        return Declared()

    def field_test(self, m: yamlio.LMap) -> Test:
        self.keys(m, ("field", "in", "not_in"), "a field test")
        path = m["field"]
        if path not in FIELDS:
            self.fail(m.where("field"), f"unknown policy field {path!r}; one of: {', '.join(FIELDS)}")
        within = self.strings(m["in"], m.where("in"), "`in`") if "in" in m else None
        not_within = self.strings(m["not_in"], m.where("not_in"), "`not_in`") if "not_in" in m else None
        return FieldTest(str(path), within, not_within)

    def fact_test(self, m: yamlio.LMap) -> Test:
        self.keys(m, _FACT_KEYS, "a fact test")
        kinds = fact_kinds()
        kind = m["fact"]
        if kind not in kinds:
            self.fail(m.where("fact"), f"unknown fact kind {kind!r}{did_you_mean(str(kind), kinds)}")
            return FactTest(str(kind))
        attrs = kinds[kind].attributes

        def attribute(name: Any, pos: Pos) -> bool:
            if name not in attrs:
                self.fail(pos, f"{kind} has no attribute {name!r}{did_you_mean(str(name), attrs)}")
                return False
            return True

        def values(name: str, raw: Any, pos: Pos) -> tuple[str, ...]:
            got = self.strings(raw, pos, f"values of {name!r}")
            allowed = attrs[name].values
            for v in got:
                if allowed and v not in allowed:
                    self.fail(pos, f"{v!r} is not a value of {kind}.{name}{did_you_mean(v, allowed)}")
            return got

        where: list[Match] = []
        w = m.get("where")
        if isinstance(w, yamlio.LMap):
            for name, raw in w.items():
                if not attribute(name, w.key_pos[name]):
                    continue
                if isinstance(raw, yamlio.LMap):
                    self.keys(raw, ("under",), f"`where: {name}`")
                    where.append(Match(name, under=self.strings(raw.get("under"), raw.where("under"), "`under`")))
                else:
                    where.append(Match(name, values(name, raw, w.where(name))))
        elif w is not None:
            self.fail(m.where("where"), "`where` must map attributes to values")

        covers: list[tuple[str, tuple[str, ...]]] = []
        c = m.get("covers")
        if isinstance(c, yamlio.LMap):
            for name, raw in c.items():
                if attribute(name, c.key_pos[name]):
                    covers.append((name, values(name, raw, c.where(name))))
        elif c is not None:
            self.fail(m.where("covers"), "`covers` must map an attribute to the values it must cover")

        def names(key: str) -> tuple[str, ...]:
            if key not in m:
                return ()
            got = self.strings(m[key], m.where(key), f"`{key}`")
            return tuple(n for n in got if attribute(n, m.where(key)))

        allow_none = m.get("allow_none", False)
        if not isinstance(allow_none, bool):
            self.fail(m.where("allow_none"), "`allow_none` must be true or false")
        return FactTest(str(kind), tuple(where), names("having"), tuple(covers), names("each_has"), allow_none is True)

    # -- the file --------------------------------------------------------
    def requirement(self, m: yamlio.LMap, jurisdiction: str, seen: dict[str, Pos]) -> Requirement | None:
        what = "a requirement"
        self.keys(m, _REQ_KEYS, what)
        rid = self.text(m, "id", what)
        if rid and (not REQUIREMENT_ID_RE.match(rid) or not rid.startswith(jurisdiction + ".")):
            self.fail(m.where("id"), f"requirement id {rid!r} must look like {jurisdiction}.13.1.b "
                      f"(the jurisdiction id, then dot-separated parts)")
        elif rid in seen:
            self.fail(m.where("id"), f"requirement id {rid!r} is used twice (first at line {seen[rid].line})")
        seen[rid] = m.where("id")
        title = self.text(m, "title", what)
        citation = self.text(m, "citation", what)
        condition = self.text(m, "condition", what, required=False)
        applies_when = self.test(m["applies_when"], m.where("applies_when")) if "applies_when" in m else None
        if bool(condition) != (applies_when is not None):
            self.fail(m.pos, f"{rid}: `condition` (in words) and `applies_when` (the test) go together")
        if "met_by" not in m:
            self.fail(m.pos, f"{rid}: needs `met_by` (the evidence that meets it)")
            return None
        met_by = self.test(m["met_by"], m.where("met_by"))
        keywords: dict[str, tuple[str, ...]] = {}
        k = m.get("keywords")
        if isinstance(k, yamlio.LMap):
            for lang, words in k.items():
                keywords[lang] = tuple(w.casefold() for w in self.strings(words, k.where(lang), f"keywords.{lang}"))
        elif k is not None:
            self.fail(m.where("keywords"), "`keywords` must map a language (en, ja, de...) to a list of words")
        if met_by.declarable() and not keywords:
            self.fail(m.pos, f"{rid}: a block may declare it, so it needs `keywords` to check that the block "
                      "still says what it should")
        return Requirement(rid, jurisdiction, title, citation, met_by, condition, applies_when, keywords, m.pos)

    def jurisdiction(self, raw: Any, expected_id: str | None) -> Jurisdiction:
        if not isinstance(raw, yamlio.LMap):
            self.fail(Pos(self.name, 1, 1), "a requirement file is a mapping with jurisdiction, title, requirements")
            raise InvalidPolicy(self.errors)
        self.keys(raw, _FILE_KEYS, "a requirement file")
        jid = self.text(raw, "jurisdiction", "a requirement file")
        if jid and not JURISDICTION_ID_RE.match(jid):
            self.fail(raw.where("jurisdiction"), f"jurisdiction id {jid!r} must be lower-case letters, digits, hyphens")
        if expected_id and jid and jid != expected_id:
            self.fail(raw.where("jurisdiction"), f"jurisdiction {jid!r} must match the file name ({expected_id}.yaml)")
        title = self.text(raw, "title", "a requirement file")
        law = self.text(raw, "law", "a requirement file", required=False)
        reqs = raw.get("requirements")
        out: list[Requirement] = []
        seen: dict[str, Pos] = {}
        if not isinstance(reqs, yamlio.LSeq) or not reqs:
            self.fail(raw.where("requirements"), "`requirements` must be a non-empty list")
        else:
            for item, pos in zip(reqs, reqs.item_pos, strict=True):
                if not isinstance(item, yamlio.LMap):
                    self.fail(pos, "a requirement must be a mapping")
                    continue
                req = self.requirement(item, jid, seen)
                if req is not None:
                    out.append(req)
        if self.errors:
            raise InvalidPolicy(self.errors)
        return Jurisdiction(jid, title, law, tuple(out), self.name)


def parse_jurisdiction(data: bytes, name: str, expected_id: str | None = None) -> Jurisdiction:
    """Read one requirement file; raises :class:`InvalidPolicy` listing every problem in it."""
    return _Parser(name).jurisdiction(yamlio.parse(data, name), expected_id)


def jurisdictions() -> dict[str, Jurisdiction]:
    """Every requirement set shipped with the package, by jurisdiction id."""
    folder = resources.files("policykit").joinpath("data/requirements")
    out: dict[str, Jurisdiction] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            jid = entry.name.removesuffix(".yaml")
            out[jid] = parse_jurisdiction(entry.read_bytes(), f"policykit/data/requirements/{entry.name}", jid)
    return out


def all_requirements() -> dict[str, Requirement]:
    """Every shipped requirement by id."""
    return {r.id: r for j in jurisdictions().values() for r in j.requirements}
