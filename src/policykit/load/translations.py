"""Reading a locale's translations (``locales/<tag>/``) into the model: its title and
controller name, its glossary, and each section's translated title, blocks and labels,
each text with the hash of the source text it translates."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from policykit import schema, yamlio
from policykit.diagnostics import Pos, error, warning
from policykit.load.base import LOCALES_DIR, POLICY_FILE, ReaderBase, valid_locale_tag
from policykit.model import LocaleTranslation, Section, SectionTranslation, Term, Translated
from policykit.templating import package_data
from policykit.vocabulary import did_you_mean

_HASH_RE = re.compile(r"^[0-9a-f]{12}$")
VOCABULARY_FILE = "vocabulary.yaml"  # not a section: the words of the fact tables


@package_data
def package_vocabulary(tag: str) -> dict[str, Translated]:
    """The table words the package ships translated into ``tag`` (``data/vocabulary/<tag>.yaml``,
    the format of a project's ``locales/<tag>/vocabulary.yaml``); empty for other languages."""
    name = f"data/vocabulary/{tag}.yaml"
    resource = resources.files("policykit").joinpath(name)
    if not resource.is_file():
        return {}
    raw = yamlio.parse(resource.read_bytes(), f"policykit/{name}")
    terms = raw.get("terms")
    out = {}
    for key, value in terms.items():
        out[str(key)] = Translated(str(value["text"]), str(value["source_hash"]), terms.where(key))
    return out


class TranslationReader(ReaderBase):
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
        title = controller_name = representative = None
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
                representative = self.translated(m.get("controller_representative"),
                                                 m.where("controller_representative"),
                                                 "the controller's representative")
        glossary: tuple[Term, ...] = ()
        if "glossary.yaml" in names:  # terms, not a section: see policykit.i18n.glossary
            from policykit.i18n.glossary import read_glossary

            raw = self.parse(f"{folder}/glossary.yaml")
            if raw is not None:
                glossary = read_glossary(raw, f"{folder}/glossary.yaml", tag, self.diagnostics)
        # The package's translation of the table words, where it has one, under the project's own.
        vocabulary = dict(package_vocabulary(tag))
        if VOCABULARY_FILE in names:
            vocabulary |= self.vocabulary(f"{folder}/{VOCABULARY_FILE}", tag)
        sections = {}
        for name in names:
            if name in ("policy.yaml", "glossary.yaml", VOCABULARY_FILE) or not name.endswith(".yaml"):
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
        return LocaleTranslation(tag=tag, title=title, controller_name=controller_name,
                                 controller_representative=representative, sections=sections, pos=pos,
                                 glossary=glossary, vocabulary=vocabulary)

    def vocabulary(self, path: str, tag: str) -> dict[str, Translated]:
        """``locales/<tag>/vocabulary.yaml``: the words of the fact tables, by vocabulary key."""
        raw = self.parse(path)
        m = self.mapping(raw, getattr(raw, "pos", Pos(path, 1, 1)), path) if raw is not None else None
        if m is None:
            return {}
        self.keys(m, schema.LOCALE_VOCABULARY, path)
        if m.get("locale", tag) != tag:
            self.diagnostics.append(
                error(m.where("locale"), f"locale {m['locale']!r} does not match the folder {tag!r}", "locale.mismatch")
            )
        from policykit.factview import all_vocabulary

        phrases = all_vocabulary()
        out = {}
        terms = m.get("terms")
        if isinstance(terms, yamlio.LMap):
            for key, value in terms.items():
                if str(key) not in phrases:
                    self.diagnostics.append(error(terms.key_pos.get(key, terms.where(key)),
                                                  f"[{tag}] {key!r} is no word of the fact tables"
                                                  f"{did_you_mean(str(key), phrases)}", "locale.unknown-term"))
                    continue
                t = self.translated(value, terms.where(key), f"term {key!r}")
                if t:
                    out[str(key)] = t
        return out

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

