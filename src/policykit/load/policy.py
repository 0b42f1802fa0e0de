"""Reading ``policy/policy.yaml`` and the section files into the model (the translations are
read by :mod:`policykit.load.translations`)."""

from __future__ import annotations

from typing import Any

from policykit import schema, yamlio
from policykit.diagnostics import Diagnostic, Pos, error
from policykit.load.base import POLICY_FILE, SECTIONS_DIR
from policykit.load.translations import TranslationReader
from policykit.memo import LRU
from policykit.model import Block, Controller, FactItem, Policy, Section, Waiver
from policykit.vocabulary import close_match, did_you_mean, fact_kinds

# A section file, or a translation of one, becomes the same model object and the same
# diagnostics whenever its bytes and path are the same: nothing else goes into it. Versions
# share most of their files (a site build loads every release, a log every commit), so each
# distinct file is read into the model once per process. The model is immutable; sharing it
# is safe. Bounded by the bytes of the files held.
_BUILT: LRU[tuple[str, bytes, str], tuple[Any, tuple[Diagnostic, ...]]] = LRU(
    16 * 1024 * 1024, lambda key, built: len(key[1]))


class Reader(TranslationReader):
    """A whole project's reading: the policy file, its sections and every locale."""

    def built(self, path: str, sid: str, kind: str) -> tuple[bool, Any]:
        """``(found, model)`` of the section file (``kind`` "section") or the translation of
        one ("translation") at ``path``; model is None when the file is not usable."""
        data = self.read(path)
        if data is None:
            return path in self.refused, None
        key = (kind, data, path)
        hit = _BUILT.get(key)
        if hit is None:
            one = Reader(self.source)  # this file's diagnostics alone
            raw = one.parse_bytes(data, path)
            model = None if raw is None else (
                one.section(raw, sid, path) if kind == "section" else one.section_translation(raw, sid, path))
            hit = (model, tuple(one.diagnostics))
            _BUILT.put(key, hit)
        self.diagnostics.extend(hit[1])
        if hit[0] is None:
            self.unreadable.append(path)
        return True, hit[0]

    # -- the document ----------------------------------------------------
    def policy_file(self) -> yamlio.LMap | None:
        """``policy.yaml`` as a mapping, its keys checked; None (and the reason reported) when there is none."""
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
        if m is not None:
            self.keys(m, schema.POLICY, POLICY_FILE)
        return m

    def controller(self, c: Any) -> Controller:
        if not isinstance(c, yamlio.LMap):
            return Controller(name="")
        self.keys(c, schema.CONTROLLER, "controller")
        return Controller(
            name=self.get(c, "name", schema.CONTROLLER, ""),
            country=self.get(c, "country", schema.CONTROLLER),
            address=self.get(c, "address", schema.CONTROLLER),
            representative=self.get(c, "representative", schema.CONTROLLER),
        )

    def waivers(self, value: Any) -> tuple[Waiver, ...]:
        waivers = []
        for item, pos in _items(value):
            w = self.mapping(item, pos, "a waiver")
            if w is None:
                continue
            self.keys(w, schema.WAIVER, "a waiver")
            waivers.append(Waiver(str(w.get("requirement", "")), str(w.get("reason", "") or ""), w.pos))
        return tuple(waivers)

    def policy(self) -> Policy | None:
        self.item_pos: dict[str, Pos] = {}  # "locales.<tag>": where a locale is listed
        m = self.policy_file()
        if m is None:
            return None
        def g(key: str, default: Any = None) -> Any:
            return self.get(m, key, schema.POLICY, default)


        document = g("document", "")
        if document:
            self.id_value(document, m.where("document"), "document id")
        source_locale = g("source_locale", "")
        locales = self.locale_list(m, "locales")
        fallback = self.locale_list(m, "fallback_locales")
        unusable: tuple[str, ...] = ()
        if source_locale and not self.check_locale(source_locale, m.where("source_locale")):
            unusable = (source_locale,)
        authoritative = g("authoritative_locale", source_locale) or source_locale
        if "authoritative_locale" in m:
            self.check_locale(authoritative, m.where("authoritative_locale"))

        c = g("controller")
        controller = self.controller(c)
        waivers = self.waivers(g("waivers"))
        sections = self.sections(m)
        # With no usable source locale, which locales translate it is not known: one error, not one per locale.
        translations = self.translations(m, source_locale, (*locales, *fallback), sections) if not unusable else {}
        field_pos = dict(m.value_pos)
        field_pos.update(self.item_pos)
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
            waivers=waivers,
            unplaced_facts=g("unplaced_facts", "end-of-section"),
            translations=translations,
            unloaded_sections=tuple(getattr(self, "unloaded", ())),
            unreadable=tuple(dict.fromkeys(self.unreadable)),
            unusable_locales=unusable,
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
                    self.item_pos[f"{key}.{tag}"] = pos
        return tags

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
        files = [name[:-5] for name in self.source.listdir(SECTIONS_DIR) if name.endswith(".yaml")]
        unlisted = [sid for sid in files if sid not in listed]
        missing = [sid for sid in listed if sid not in files]
        # A typo in `sections` is one mistake: the listed name has no file, and the file is not listed.
        typo = {sid: near for sid in missing if (near := close_match(sid, unlisted)) is not None}
        for sid in unlisted:
            if sid in typo.values():
                continue
            self.diagnostics.append(error(Pos(f"{SECTIONS_DIR}/{sid}.yaml"),
                                          f"section file {sid}.yaml is not listed in {POLICY_FILE} `sections`; "
                                          "add it there or delete the file", "sections.unlisted"))
        self.listed = set(listed)
        self.unloaded: list[str] = []
        sections = []
        for sid, pos in listed.items():
            path = f"{SECTIONS_DIR}/{sid}.yaml"
            found, section = self.built(path, sid, "section")
            if not found:
                near = typo.get(sid)
                self.diagnostics.append(error(
                    pos, f"section {sid!r} is listed but {path} does not exist", "sections.missing", length=len(sid),
                    hint=f"did you mean {near!r}? ({SECTIONS_DIR}/{near}.yaml is not listed)" if near else
                    f"create {path}, or take {sid!r} out of `sections`"))
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
            blocks.append(self.block(b, sid, bid))
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

    def block(self, b: yamlio.LMap, sid: str, bid: str) -> Block:
        """One block of section ``sid``, its keys checked (``text`` or ``list``; ``items``, ``states``)."""
        text = self.get(b, "text", schema.BLOCK)
        list_kind = self.get(b, "list", schema.BLOCK)
        if (text is None) == (list_kind is None):
            self.diagnostics.append(
                error(b.pos, f"block {sid}.{bid} needs either `text` or `list` (exactly one)", "schema.block")
            )
        items = self.strings(b.get("items"), "items")
        states = self.strings(b.get("states"), "states")
        if states and text is None:
            self.diagnostics.append(
                error(b.where("states"), f"block {sid}.{bid}: `states` links a text to the facts it states; "
                      "this block has no `text` (a `list` block shows its facts itself)", "schema.block")
            )
        if items and list_kind is None:
            self.diagnostics.append(
                error(b.where("items"), f"block {sid}.{bid}: `items` chooses facts of a `list` block; "
                      "this block has no `list`", "schema.block")
            )
        return Block(
            id=bid,
            text=text,
            list=list_kind,
            items=tuple(v for v, _ in items),
            items_pos=tuple(p for _, p in items),
            states=tuple(v for v, _ in states),
            states_pos=tuple(p for _, p in states),
            satisfies=tuple(v for v, _ in self.strings(b.get("satisfies"), "satisfies")),
            pos=b.pos,
            text_pos=b.where("text") if "text" in b else b.where("list"),
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
                misspelt = self.keys(f, spec, f"a {kind} item", extra=tuple(attrs_spec),
                                     required_extra=tuple(n for n, a in attrs_spec.items() if a.required))
                fid = self.id_value(f["id"], f.where("id"), f"{kind} id") if "id" in f else None
                if fid is None:
                    continue
                for name, attr in attrs_spec.items():
                    if attr.required and name not in f and name not in misspelt:
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
