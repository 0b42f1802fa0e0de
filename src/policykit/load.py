"""Load a policy project into the typed model, collecting every schema problem.

The loader reads files through a :class:`Source` (the work tree, or a git tree
in :mod:`policykit.versions`), so any version loads the same way. It checks
shapes and types (required keys, unknown keys with a "did you mean", ids that
are safe as file names) and leaves cross-references to :mod:`policykit.validate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from policykit import schema, yamlio
from policykit.diagnostics import Diagnostic, Pos, error, has_errors, warning
from policykit.errors import InvalidPolicy
from policykit.memo import LRU
from policykit.model import (
    Block,
    Controller,
    FactItem,
    LocaleTranslation,
    Policy,
    Section,
    SectionTranslation,
    Term,
    Translated,
    Waiver,
)
from policykit.vocabulary import ID_RE, did_you_mean, fact_kinds

POLICY_FILE = "policy/policy.yaml"
SECTIONS_DIR = "policy/sections"
LOCALES_DIR = "locales"
# A BCP 47 shape check that runs before Babel and before a tag becomes a path.
LOCALE_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_HASH_RE = re.compile(r"^[0-9a-f]{12}$")


class Source(Protocol):
    """Where a project's files come from: the work tree or a git tree."""

    label: str

    def read(self, path: str) -> bytes | None:
        """The bytes at ``path`` (relative, with ``/``), or None when there is no such file."""

    def listdir(self, path: str) -> list[str]:
        """Names of the entries in folder ``path``, sorted; empty when there is none."""


class FileSource:
    """A project folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = "WORKTREE"

    def read(self, path: str) -> bytes | None:
        try:
            return (self.root / path).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def listdir(self, path: str) -> list[str]:
        try:
            return sorted(p.name for p in (self.root / path).iterdir())
        except (FileNotFoundError, NotADirectoryError):
            return []


@dataclass
class Loaded:
    """What loading found: the policy (None when it could not be built) and every diagnostic."""

    policy: Policy | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def valid_locale_tag(tag: str) -> str | None:
    """Why ``tag`` is not a usable BCP 47 locale tag, or None when it is."""
    if not isinstance(tag, str) or not LOCALE_TAG_RE.match(tag):
        return f"{tag!r} is not a BCP 47 locale tag (like en, ja, pt-BR, zh-Hans)"
    return _babel_tag_problem(tag)


@lru_cache(maxsize=1024)
def _babel_tag_problem(tag: str) -> str | None:
    # Asking CLDR loads the locale's data: once per tag and process, not once per version
    # loaded (a site build or a log loads every version with every locale).
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        return f"{tag!r} is not a locale Babel (CLDR) knows: {exc}"
    return None


# A section file, or a translation of one, becomes the same model object and the same
# diagnostics whenever its bytes and path are the same: nothing else goes into it. Versions
# share most of their files (a site build loads every release, a log every commit), so each
# distinct file is read into the model once per process. The model is immutable; sharing it
# is safe. Bounded by the bytes of the files held.
_BUILT: LRU[tuple[str, bytes, str], tuple[Any, tuple[Diagnostic, ...]]] = LRU(
    16 * 1024 * 1024, lambda key, built: len(key[1]))


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    # -- helpers ---------------------------------------------------------
    def parse(self, path: str) -> Any | None:
        data = self.source.read(path)
        return None if data is None else self.parse_bytes(data, path)

    def parse_bytes(self, data: bytes, path: str) -> Any | None:
        try:
            return yamlio.parse(data, path)
        except InvalidPolicy as exc:
            self.diagnostics.extend(exc.diagnostics)
            return None

    def built(self, path: str, sid: str, kind: str) -> tuple[bool, Any]:
        """``(found, model)`` of the section file (``kind`` "section") or the translation of
        one ("translation") at ``path``; model is None when the file is not usable."""
        data = self.source.read(path)
        if data is None:
            return False, None
        key = (kind, data, path)
        hit = _BUILT.get(key)
        if hit is None:
            one = _Reader(self.source)  # this file's diagnostics alone
            raw = one.parse_bytes(data, path)
            model = None if raw is None else (
                one.section(raw, sid, path) if kind == "section" else one.section_translation(raw, sid, path))
            hit = (model, tuple(one.diagnostics))
            _BUILT.put(key, hit)
        self.diagnostics.extend(hit[1])
        return True, hit[0]

    def mapping(self, value: Any, pos: Pos, what: str) -> yamlio.LMap | None:
        if isinstance(value, yamlio.LMap):
            return value
        self.diagnostics.append(error(pos, f"{what} must be a mapping (key: value lines)", "schema.type"))
        return None

    def keys(self, m: yamlio.LMap, spec: dict[str, schema.Key], what: str, extra: tuple[str, ...] = ()) -> None:
        """Required keys, unknown keys and types of ``m`` against ``spec``."""
        allowed = [*spec, *extra]
        for key in m:
            if key not in allowed:
                self.diagnostics.append(
                    warning(
                        m.key_pos[key],
                        f"unknown key {key!r} in {what}{did_you_mean(key, allowed)}; it is ignored",
                        "schema.unknown-key",
                    )
                )
        for key, k in spec.items():
            if key not in m:
                if k.required:
                    self.diagnostics.append(
                        error(m.pos, f"{what} needs {key!r} ({k.type_name or 'a value'})", "schema.required")
                    )
                continue
            value = m[key]
            ok = isinstance(value, k.type) and not (k.type is not bool and isinstance(value, bool))
            if k.type is str and isinstance(value, str) and not value.strip() and k.required:
                self.diagnostics.append(error(m.where(key), f"{key!r} in {what} is empty", "schema.empty"))
            if not ok:
                self.diagnostics.append(
                    error(
                        m.where(key),
                        f"{key!r} in {what} must be {k.type_name or k.type}, not {_describe(value)}",
                        "schema.type",
                    )
                )

    def get(self, m: yamlio.LMap, key: str, spec: dict[str, schema.Key], default: Any = None) -> Any:
        """``m[key]`` if it has the type ``spec`` says, else ``default`` (the problem is already reported)."""
        value = m.get(key, default)
        k = spec[key]
        if value is default or (isinstance(value, k.type) and not (k.type is not bool and isinstance(value, bool))):
            return value
        return default

    def id_value(self, value: Any, pos: Pos, what: str) -> str | None:
        if isinstance(value, str) and ID_RE.match(value):
            return value
        self.diagnostics.append(
            error(
                pos,
                f"{what} {value!r} is not a valid id: use lower-case letters, digits and single "
                "hyphens, like `data-categories`",
                "ids.malformed",
            )
        )
        return None

    def strings(self, seq: Any, what: str) -> list[tuple[str, Pos]]:
        if not isinstance(seq, yamlio.LSeq):
            return []
        out = []
        for value, pos in zip(seq, seq.item_pos, strict=True):
            if isinstance(value, str):
                out.append((value, pos))
            else:
                self.diagnostics.append(
                    error(pos, f"each of {what} must be text, not {_describe(value)}", "schema.type")
                )
        return out

    # -- the document ----------------------------------------------------
    def policy(self) -> Policy | None:
        raw = self.parse(POLICY_FILE)
        if raw is None:
            if not any(d.pos.file == POLICY_FILE for d in self.diagnostics):
                self.diagnostics.append(
                    error(
                        Pos(POLICY_FILE),
                        f"{POLICY_FILE} not found; is this a policy project? "
                        "(use -C DIR, or `policyctl init DIR` to start one)",
                        "project.missing",
                    )
                )
            return None
        m = self.mapping(raw, raw.pos if hasattr(raw, "pos") else Pos(POLICY_FILE, 1, 1), POLICY_FILE)
        if m is None:
            return None
        self.keys(m, schema.POLICY, POLICY_FILE)
        def g(key: str, default: Any = None) -> Any:
            return self.get(m, key, schema.POLICY, default)


        document = g("document", "")
        if document:
            self.id_value(document, m.where("document"), "document id")
        source_locale = g("source_locale", "")
        locales = self.locale_list(m, "locales")
        fallback = self.locale_list(m, "fallback_locales")
        if source_locale:
            self.check_locale(source_locale, m.where("source_locale"))
        authoritative = g("authoritative_locale", source_locale) or source_locale
        if "authoritative_locale" in m:
            self.check_locale(authoritative, m.where("authoritative_locale"))

        controller = Controller(name="")
        c = g("controller")
        if isinstance(c, yamlio.LMap):
            self.keys(c, schema.CONTROLLER, "controller")
            controller = Controller(
                name=self.get(c, "name", schema.CONTROLLER, ""),
                country=self.get(c, "country", schema.CONTROLLER),
                address=self.get(c, "address", schema.CONTROLLER),
                representative=self.get(c, "representative", schema.CONTROLLER),
            )

        waivers = []
        for item, pos in _items(g("waivers")):
            w = self.mapping(item, pos, "a waiver")
            if w is None:
                continue
            self.keys(w, schema.WAIVER, "a waiver")
            waivers.append(Waiver(str(w.get("requirement", "")), str(w.get("reason", "") or ""), w.pos))

        sections = self.sections(m)
        translations = self.translations(m, source_locale, (*locales, *fallback), sections)
        field_pos = dict(m.value_pos)
        field_pos.update({f"controller.{k}": p for k, p in getattr(c, "value_pos", {}).items()})
        return Policy(
            document=document,
            title=g("title", ""),
            source_locale=source_locale,
            locales=tuple(locales),
            notice_period=g("notice_period", ""),
            controller=controller,
            sections=tuple(sections),
            authoritative_locale=authoritative,
            fallback_locales=tuple(fallback),
            jurisdictions=tuple(v for v, _ in self.strings(g("jurisdictions"), "jurisdictions")),
            base_url=g("base_url"),
            last_updated=g("last_updated"),
            waivers=tuple(waivers),
            translations=translations,
            unloaded_sections=tuple(getattr(self, "unloaded", ())),
            pos=m.pos,
            field_pos=field_pos,
        )

    def locale_list(self, m: yamlio.LMap, key: str) -> list[str]:
        tags = []
        for tag, pos in self.strings(self.get(m, key, schema.POLICY), key):
            if self.check_locale(tag, pos):
                if tag in tags:
                    self.diagnostics.append(error(pos, f"locale {tag!r} is listed twice in {key}", "ids.duplicate"))
                else:
                    tags.append(tag)
        return tags

    def check_locale(self, tag: str, pos: Pos) -> bool:
        problem = valid_locale_tag(tag)
        if problem:
            self.diagnostics.append(error(pos, problem, "locale.tag"))
        return problem is None

    # -- sections --------------------------------------------------------
    def sections(self, m: yamlio.LMap) -> list[Section]:
        listed: dict[str, Pos] = {}
        for sid, pos in self.strings(self.get(m, "sections", schema.POLICY), "sections"):
            if not self.id_value(sid, pos, "section id"):
                continue
            if sid in listed:
                self.diagnostics.append(
                    error(pos, f"section {sid!r} is listed twice (first at line {listed[sid].line})", "ids.duplicate")
                )
                continue
            listed[sid] = pos
        for name in self.source.listdir(SECTIONS_DIR):
            if name.endswith(".yaml") and name[:-5] not in listed:
                self.diagnostics.append(
                    error(
                        Pos(f"{SECTIONS_DIR}/{name}"),
                        f"section file {name} is not listed in {POLICY_FILE} `sections`; "
                        "add it there or delete the file",
                        "sections.unlisted",
                    )
                )
        self.listed = set(listed)
        self.unloaded: list[str] = []
        sections = []
        for sid, pos in listed.items():
            path = f"{SECTIONS_DIR}/{sid}.yaml"
            found, section = self.built(path, sid, "section")
            if not found:
                self.diagnostics.append(
                    error(pos, f"section {sid!r} is listed but {path} does not exist", "sections.missing")
                )
            if section:
                sections.append(section)
            else:
                self.unloaded.append(sid)
        return sections

    def section(self, raw: Any, sid: str, path: str) -> Section | None:
        m = self.mapping(raw, getattr(raw, "pos", Pos(path, 1, 1)), path)
        if m is None:
            return None
        self.keys(m, schema.SECTION, f"section {sid!r}")
        if "id" in m and m["id"] != sid:
            self.diagnostics.append(
                error(m.where("id"), f"id {m['id']!r} does not match the file name {sid}.yaml", "ids.file-name")
            )
        blocks = []
        seen: dict[str, Pos] = {}
        for item, pos in _items(self.get(m, "blocks", schema.SECTION)):
            b = self.mapping(item, pos, "a block")
            if b is None:
                continue
            self.keys(b, schema.BLOCK, "a block")
            bid = self.id_value(b["id"], b.where("id"), "block id") if "id" in b else None
            if bid is None:
                continue
            if bid in seen:
                self.diagnostics.append(
                    error(
                        b.where("id"),
                        f"block id {sid}.{bid} is used twice in this section "
                        f"(first at line {seen[bid].line}); ids must be unique",
                        "ids.duplicate",
                    )
                )
                continue
            seen[bid] = b.where("id")
            text = self.get(b, "text", schema.BLOCK)
            list_kind = self.get(b, "list", schema.BLOCK)
            if (text is None) == (list_kind is None):
                self.diagnostics.append(
                    error(b.pos, f"block {sid}.{bid} needs either `text` or `list` (exactly one)", "schema.block")
                )
            blocks.append(
                Block(
                    id=bid,
                    text=text,
                    list=list_kind,
                    satisfies=tuple(v for v, _ in self.strings(b.get("satisfies"), "satisfies")),
                    pos=b.pos,
                    text_pos=b.where("text") if "text" in b else b.where("list"),
                )
            )
        facts = self.facts(self.get(m, "facts", schema.SECTION), sid)
        return Section(
            id=sid,
            title=self.get(m, "title", schema.SECTION, ""),
            blocks=tuple(blocks),
            facts=facts,
            file=path,
            pos=m.pos,
            title_pos=m.where("title"),
        )

    def facts(self, raw: Any, sid: str) -> dict[str, tuple[FactItem, ...]]:
        if not isinstance(raw, yamlio.LMap):
            return {}
        kinds = fact_kinds()
        facts: dict[str, tuple[FactItem, ...]] = {}
        for kind, items in raw.items():
            if kind not in kinds:
                self.diagnostics.append(
                    error(
                        raw.key_pos[kind],
                        f"unknown fact kind {kind!r}{did_you_mean(kind, kinds)}; known kinds: {', '.join(kinds)}",
                        "facts.unknown-kind",
                    )
                )
                continue
            attrs_spec = kinds[kind].attributes
            result = []
            for item, pos in _items(items):
                f = self.mapping(item, pos, f"a {kind} item")
                if f is None:
                    continue
                spec = dict(schema.FACT_ITEM_BASE)
                self.keys(f, spec, f"a {kind} item", extra=tuple(attrs_spec))
                fid = self.id_value(f["id"], f.where("id"), f"{kind} id") if "id" in f else None
                if fid is None:
                    continue
                for name, attr in attrs_spec.items():
                    if attr.required and name not in f:
                        self.diagnostics.append(error(f.pos, f"{kind} item {fid!r} needs {name!r}", "schema.required"))
                attrs = {k: _plain(v) for k, v in f.items() if k in attrs_spec}
                result.append(
                    FactItem(
                        kind=kind,
                        id=fid,
                        label=self.get(f, "label", spec, ""),
                        attrs=attrs,
                        section=sid,
                        pos=f.pos,
                        attr_pos={k: f.where(k) for k in f},
                    )
                )
            facts[kind] = tuple(result)
        return facts

    # -- translations ----------------------------------------------------
    def translations(
        self, m: yamlio.LMap, source_locale: str, tags: tuple[str, ...], sections: list[Section]
    ) -> dict[str, LocaleTranslation]:
        configured = [t for t in tags if t != source_locale]
        for name in self.source.listdir(LOCALES_DIR):
            if name.startswith("."):
                continue
            if valid_locale_tag(name):
                self.diagnostics.append(
                    error(Pos(f"{LOCALES_DIR}/{name}"), f"folder name: {valid_locale_tag(name)}", "locale.tag")
                )
            elif name not in configured and name != source_locale:
                self.diagnostics.append(
                    warning(
                        Pos(f"{LOCALES_DIR}/{name}"),
                        f"locale {name!r} has translations but is not in "
                        f"`locales` or `fallback_locales` of {POLICY_FILE}; it is not built",
                        "locale.unlisted",
                    )
                )
        known: set[str] = getattr(self, "listed", set())  # a section that failed to load still has translations
        result = {}
        for tag in configured:
            folder = f"{LOCALES_DIR}/{tag}"
            names = self.source.listdir(folder)
            if not names:
                key = "locales" if tag in self.get(m, "locales", schema.POLICY, []) else "fallback_locales"
                self.diagnostics.append(
                    error(
                        m.where(key),
                        f"locale {tag!r} is configured but {folder}/ does not exist "
                        f"(start it with `policyctl i18n new {tag}`)",
                        "locale.missing",
                    )
                )
                continue
            result[tag] = self.locale(tag, folder, names, known)
        return result

    def locale(self, tag: str, folder: str, names: list[str], known: set[str]) -> LocaleTranslation:
        title = controller_name = None
        pos = Pos(folder)
        if "policy.yaml" in names:
            raw = self.parse(f"{folder}/policy.yaml")
            m = (
                self.mapping(raw, getattr(raw, "pos", Pos(f"{folder}/policy.yaml", 1, 1)), f"{folder}/policy.yaml")
                if raw is not None
                else None
            )
            if m is not None:
                pos = m.pos
                self.keys(m, schema.LOCALE_POLICY, f"{folder}/policy.yaml")
                if m.get("locale", tag) != tag:
                    self.diagnostics.append(
                        error(
                            m.where("locale"),
                            f"locale {m['locale']!r} does not match the folder {tag!r}",
                            "locale.mismatch",
                        )
                    )
                title = self.translated(m.get("title"), m.where("title"), "the title")
                controller_name = self.translated(
                    m.get("controller_name"), m.where("controller_name"), "the controller name"
                )
        glossary: tuple[Term, ...] = ()
        if "glossary.yaml" in names:  # terms, not a section: see policykit.i18n.glossary
            from policykit.i18n.glossary import read_glossary

            raw = self.parse(f"{folder}/glossary.yaml")
            if raw is not None:
                glossary = read_glossary(raw, f"{folder}/glossary.yaml", tag, self.diagnostics)
        sections = {}
        for name in names:
            if name in ("policy.yaml", "glossary.yaml") or not name.endswith(".yaml"):
                continue
            sid = name[:-5]
            path = f"{folder}/{name}"
            if sid not in known:
                self.diagnostics.append(
                    error(
                        Pos(path),
                        f"translation of unknown section {sid!r}{did_you_mean(sid, known)}",
                        "locale.unknown-section",
                    )
                )
                continue
            _, st = self.built(path, sid, "translation")
            if st:
                sections[sid] = st
        return LocaleTranslation(tag=tag, title=title, controller_name=controller_name, sections=sections, pos=pos,
                                 glossary=glossary)

    def section_translation(self, raw: Any, sid: str, path: str) -> SectionTranslation | None:
        m = self.mapping(raw, getattr(raw, "pos", Pos(path, 1, 1)), path)
        if m is None:
            return None
        self.keys(m, schema.LOCALE_SECTION, path)
        if m.get("section", sid) != sid:
            self.diagnostics.append(
                error(
                    m.where("section"),
                    f"section {m['section']!r} does not match the file name {sid}.yaml",
                    "ids.file-name",
                )
            )
        blocks = {}
        raw_blocks = m.get("blocks")
        if isinstance(raw_blocks, yamlio.LMap):
            for bid, value in raw_blocks.items():
                t = self.translated(value, raw_blocks.where(bid), f"block {bid!r}")
                if t:
                    blocks[bid] = t
        labels = {}
        raw_facts = m.get("facts")
        if isinstance(raw_facts, yamlio.LMap):
            for kind, items in raw_facts.items():
                if not isinstance(items, yamlio.LMap):
                    self.diagnostics.append(
                        error(raw_facts.where(kind), f"facts.{kind} must map item ids to labels", "schema.type")
                    )
                    continue
                for fid, value in items.items():
                    t = self.translated(value, items.where(fid), f"label of {kind}.{fid}", spec=schema.TRANSLATED_LABEL)
                    if t:
                        labels[(kind, fid)] = t
        return SectionTranslation(
            section=sid,
            title=self.translated(m.get("title"), m.where("title"), "the title"),
            blocks=blocks,
            labels=labels,
            file=path,
            pos=m.pos,
        )

    def translated(
        self, value: Any, pos: Pos, what: str, spec: dict[str, schema.Key] = schema.TRANSLATED
    ) -> Translated | None:
        if value is None:
            return None
        m = self.mapping(value, pos, what)
        if m is None:
            return None
        self.keys(m, spec, what)
        text_key = "label" if "label" in spec else "text"
        text, h = m.get(text_key), m.get("source_hash")
        if not isinstance(text, str) or not isinstance(h, str):
            return None
        if not _HASH_RE.match(h):
            self.diagnostics.append(
                error(m.where("source_hash"), f"source_hash {h!r} must be 12 lower-case hex digits", "locale.hash")
            )
        return Translated(text=text, source_hash=h, pos=m.where(text_key))


def _items(value: Any) -> list[tuple[Any, Pos]]:
    if isinstance(value, yamlio.LSeq):
        return list(zip(value, value.item_pos, strict=True))
    return []


def _plain(value: Any) -> Any:
    """Located containers to tuples/dicts, so the model holds plain, comparable values."""
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def load_project(source: Source) -> Loaded:
    """Read a whole project; never raises for bad input, returns what it found."""
    reader = _Reader(source)
    policy = reader.policy()
    return Loaded(policy, reader.diagnostics)


def load_policy(root: Path, *, check: Callable[[Policy], list[Diagnostic]] | None = None) -> Policy:
    """Load and validate the project at ``root``; raise :class:`InvalidPolicy` on any error."""
    from policykit.validate import validate

    loaded = load_project(FileSource(root))
    diagnostics = loaded.diagnostics
    if loaded.policy is not None:
        diagnostics = diagnostics + validate(loaded.policy)
    if loaded.policy is None or has_errors(diagnostics):
        raise InvalidPolicy(diagnostics)
    return loaded.policy
