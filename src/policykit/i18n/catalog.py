"""The translatable units of a policy for one locale, and writing translations back.

A unit is one string a translator translates: the document title, the controller
name, a section title, a block's text, or a fact label. Its ``key`` is stable and
cannot collide, because ids never contain ``:`` or ``_``:

=====================  ==================================  =============================
key                    what                                file
=====================  ==================================  =============================
``title``              the document title                  ``locales/<tag>/policy.yaml``
``controller_name``    the controller's name               ``locales/<tag>/policy.yaml``
``controller_           the controller's representative     ``locales/<tag>/policy.yaml``
representative``
``<section>:title``    a section title                     ``locales/<tag>/<section>.yaml``
``<section>.<block>``  a block's text (its deep link)      ``locales/<tag>/<section>.yaml``
``facts.<kind>.<id>``  a fact label (``FactItem.path``)    ``locales/<tag>/<section>.yaml``
``vocabulary:<key>``   a word of the fact tables: caption,  ``locales/<tag>/vocabulary.yaml``
                       heading or value phrase
                       (:mod:`policykit.factview`)
=====================  ==================================  =============================
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from policykit import files, yamlio, yamllimits
from policykit.diagnostics import Pos
from policykit.model import NOWHERE, Policy, Translated, source_hash

State = Literal["translated", "stale", "missing"]
STATES: tuple[State, ...] = ("translated", "stale", "missing")
LOCALES_DIR = "locales"


@dataclass(frozen=True)
class Unit:
    key: str
    kind: Literal["title", "block", "label", "term"]
    section: str  # "" for the document's own strings
    context: str  # the source title of the section, for translators
    source: str
    translated: Translated | None
    file: str  # the locale file that holds (or will hold) the translation
    source_file: str
    source_pos: Pos = field(default=NOWHERE, compare=False)

    @property
    def state(self) -> State:
        if self.translated is None:
            return "missing"
        return "translated" if self.translated.source_hash == source_hash(self.source) else "stale"

    @property
    def words(self) -> int:
        return count_words(self.source)


_WORD_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+(?:['’-][^\W_]+)*")


def count_words(text: str) -> int:
    """Words of a text as a reader counts them: CJK characters one each, other words by letters."""
    from policykit.markdown import to_text

    return len(_WORD_RE.findall(to_text(text)))


def units(policy: Policy, tag: str) -> list[Unit]:
    """Every translatable unit of ``policy`` in document order, with ``tag``'s translation if any."""
    lt = policy.translations.get(tag)
    folder = f"{LOCALES_DIR}/{tag}"
    out = [
        Unit("title", "title", "", policy.title, policy.title, lt.title if lt else None, f"{folder}/policy.yaml",
             "policy/policy.yaml", policy.where("title")),
        Unit("controller_name", "title", "", policy.title, policy.controller.name,
             lt.controller_name if lt else None, f"{folder}/policy.yaml", "policy/policy.yaml",
             policy.where("controller.name")),
    ]
    if policy.controller.representative:
        out.append(Unit("controller_representative", "title", "", policy.title, policy.controller.representative,
                        lt.controller_representative if lt else None, f"{folder}/policy.yaml", "policy/policy.yaml",
                        policy.where("controller.representative")))
    for section in policy.sections:
        st = lt.sections.get(section.id) if lt else None
        file = f"{folder}/{section.id}.yaml"
        out.append(Unit(f"{section.id}:title", "title", section.id, section.title, section.title,
                        st.title if st else None, file, section.file, section.title_pos))
        for block in section.blocks:
            if block.text is not None:
                out.append(Unit(f"{section.id}.{block.id}", "block", section.id, section.title, block.text,
                                st.blocks.get(block.id) if st else None, file, section.file, block.text_pos))
        for kind, items in section.facts.items():
            for item in items:
                out.append(Unit(item.path, "label", section.id, section.title, item.label,
                                st.labels.get((kind, item.id)) if st else None, file, section.file,
                                item.where("label")))
    from policykit.factview import vocabulary_lines, vocabulary_units

    # The words of the fact tables come from the package vocabulary, not from a project file.
    lines = vocabulary_lines()
    for key, phrase in vocabulary_units(policy):
        out.append(Unit(VOCABULARY_PREFIX + key, "term", "", "fact tables", phrase,
                        lt.vocabulary.get(key) if lt else None, f"{folder}/vocabulary.yaml", VOCABULARY_SOURCE,
                        Pos(VOCABULARY_SOURCE, lines.get(key, 0), 1)))
    return out


VOCABULARY_PREFIX = "vocabulary:"
VOCABULARY_SOURCE = "policykit/data/facts.yaml"  # the package's, so git history has no older phrase


def same_text(a: str, b: str) -> bool:
    """Equal but for trailing line breaks (a YAML ``|`` block adds one)."""
    return a.rstrip("\n") == b.rstrip("\n")


def like_source(translation: str, source: str) -> str:
    """``translation`` ending in a line break exactly when ``source`` does (gettext requires it)."""
    core = translation.rstrip("\n")
    return core + "\n" if source.endswith("\n") else core


@dataclass(frozen=True)
class TranslationUpdate:
    """A translation to write: ``text`` for ``unit``, made from the source whose hash is ``hash``."""

    unit: Unit
    text: str
    hash: str


def write_changes(root: Path, tag: str, changes: Iterable[TranslationUpdate], all_units: Iterable[Unit]) -> list[str]:
    """Write ``changes`` into the locale's YAML, keeping comments and layout; the files written.

    ``all_units`` (from :func:`units`) gives the source order, so a new entry lands
    where the source has it rather than at the end of the file.
    """
    siblings = _source_order(all_units)
    by_file: dict[str, list[TranslationUpdate]] = {}
    for change in changes:
        by_file.setdefault(change.unit.file, []).append(change)
    written = []
    for rel, file_changes in sorted(by_file.items()):
        raw = files.read(root, rel)
        data = yamlio.load_roundtrip(yamllimits.decode(raw, rel), rel) if raw is not None else None
        if not yamlio.is_mapping(data):
            sid = file_changes[0].unit.section
            data = yamlio.new_map([("locale", tag)] if rel.endswith(("/policy.yaml", "/vocabulary.yaml"))
                                  else [("section", sid)])
        for change in file_changes:
            _set(data, change, siblings)
        files.write(root, rel, yamlio.dump_roundtrip(data).encode("utf-8"))
        written.append(rel)
    return written


_FILE_ORDER = ["section", "title", "blocks", "facts"]


def _source_order(all_units: Iterable[Unit]) -> dict[tuple[str, str], list[str]]:
    """Per file and group (``blocks`` or a fact kind), the ids in source order."""
    order: dict[tuple[str, str], list[str]] = {}
    for unit in all_units:
        if unit.kind == "block":
            order.setdefault((unit.file, "blocks"), []).append(unit.key.split(".", 1)[1])
        elif unit.kind == "label":
            _, kind, fid = unit.key.split(".", 2)
            order.setdefault((unit.file, kind), []).append(fid)
        elif unit.kind == "term":
            order.setdefault((unit.file, "terms"), []).append(unit.key.removeprefix(VOCABULARY_PREFIX))
    return order


def _child(parent: Any, key: str, order: list[str]) -> Any:
    """``parent[key]`` as a mapping, created (at its place in ``order``) when missing."""
    value = parent.get(key)
    if not yamlio.is_mapping(value):
        value = yamlio.new_map()
        _insert(parent, key, value, order)
    return value


def _insert(parent: Any, key: str, value: Any, order: list[str]) -> None:
    """Set ``parent[key]``; a new key goes before the first existing key that follows it in ``order``."""
    if key in parent or key not in order:
        parent[key] = value
        return
    later = order[order.index(key) + 1:]
    keys = list(parent)
    index = next((keys.index(k) for k in later if k in parent), len(keys))
    parent.insert(index, key, value)


def _set(data: Any, change: TranslationUpdate, siblings: dict[tuple[str, str], list[str]]) -> None:
    from policykit.vocabulary import fact_kinds

    unit = change.unit
    text_key = "label" if unit.kind == "label" else "text"
    if unit.kind == "term":
        parent = _child(data, "terms", ["locale", "terms"])
        key = unit.key.removeprefix(VOCABULARY_PREFIX)
        order = siblings.get((unit.file, "terms"), [])
    elif unit.section == "":
        parent, key, order = data, unit.key, ["locale", "title", "controller_name", "controller_representative"]
    elif unit.kind == "title":
        parent, key, order = data, "title", _FILE_ORDER
    elif unit.kind == "block":
        parent = _child(data, "blocks", _FILE_ORDER)
        key = unit.key.split(".", 1)[1]
        order = siblings.get((unit.file, "blocks"), [])
    else:
        _, kind, key = unit.key.split(".", 2)
        parent = _child(_child(data, "facts", _FILE_ORDER), kind, list(fact_kinds()))
        order = siblings.get((unit.file, kind), [])
    entry = parent.get(key)
    if not yamlio.is_mapping(entry):
        entry = yamlio.new_map()
        _insert(parent, key, entry, order)
    if "\n" in change.text and entry.fa.flow_style():
        entry.fa.set_block_style()  # a multi-line text cannot stay in a {flow: mapping}
    old = entry.get(text_key)
    # Keep the file's quoting ("..." in a flow mapping) for a one-line text.
    keep_style = isinstance(old, str) and type(old) is not str and "\n" not in change.text + old
    entry[text_key] = type(old)(change.text) if keep_style else yamlio.literal(change.text)
    entry["source_hash"] = yamlio.quoted(change.hash)
    yamlio.reorder(entry, [text_key, "source_hash"])
