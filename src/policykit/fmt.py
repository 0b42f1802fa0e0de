"""Canonical form of the YAML files: key order and indentation; comments stay.

``format_text`` is idempotent: formatting its output changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policykit import schema, yamlio
from policykit.vocabulary import fact_kinds

TRANSLATED_ORDER = ["text", "label", "source_hash"]


def _each(value: Any) -> Iterator[Any]:
    if yamlio.is_sequence(value):
        yield from (v for v in value if yamlio.is_mapping(v))


def _order_policy(data: Any) -> None:
    yamlio.reorder(data, list(schema.POLICY))
    if yamlio.is_mapping(data.get("controller")):
        yamlio.reorder(data["controller"], list(schema.CONTROLLER))
    for waiver in _each(data.get("waivers")):
        yamlio.reorder(waiver, list(schema.WAIVER))


def _order_section(data: Any) -> None:
    yamlio.reorder(data, list(schema.SECTION))
    for block in _each(data.get("blocks")):
        yamlio.reorder(block, list(schema.BLOCK))
    facts = data.get("facts")
    if yamlio.is_mapping(facts):
        kinds = fact_kinds()
        yamlio.reorder(facts, list(kinds))
        for kind, items in facts.items():
            attrs = list(kinds[kind].attributes) if kind in kinds else []
            for item in _each(items):
                yamlio.reorder(item, ["id", "label", *attrs])


def _order_translated(value: Any) -> None:
    if yamlio.is_mapping(value):
        yamlio.reorder(value, TRANSLATED_ORDER)


def _order_locale_policy(data: Any) -> None:
    yamlio.reorder(data, list(schema.LOCALE_POLICY))
    for key in ("title", "controller_name", "controller_representative"):
        _order_translated(data.get(key))


def _order_locale_section(data: Any) -> None:
    yamlio.reorder(data, list(schema.LOCALE_SECTION))
    _order_translated(data.get("title"))
    blocks = data.get("blocks")
    if yamlio.is_mapping(blocks):
        for entry in blocks.values():
            _order_translated(entry)
    facts = data.get("facts")
    if yamlio.is_mapping(facts):
        yamlio.reorder(facts, list(fact_kinds()))
        for items in facts.values():
            if yamlio.is_mapping(items):
                for entry in items.values():
                    _order_translated(entry)


def kind_of(relpath: str) -> str | None:
    """Which kind of file ``relpath`` (relative, with /) is, or None if fmt leaves it alone."""
    parts = relpath.split("/")
    if relpath == "policy/policy.yaml":
        return "policy"
    if len(parts) == 3 and parts[:2] == ["policy", "sections"] and parts[2].endswith(".yaml"):
        return "section"
    if len(parts) == 3 and parts[0] == "locales" and parts[2].endswith(".yaml"):
        return "locale-policy" if parts[2] == "policy.yaml" else "locale-section"
    return None


_ORDER = {
    "policy": _order_policy,
    "section": _order_section,
    "locale-policy": _order_locale_policy,
    "locale-section": _order_locale_section,
}


def format_text(text: str, name: str, kind: str) -> str:
    """The canonical form of one file's text (raises InvalidPolicy if it does not parse)."""
    data = yamlio.load_roundtrip(text, name)
    if data is None:
        return text
    if yamlio.is_mapping(data):
        _ORDER[kind](data)
    return yamlio.dump_roundtrip(data)


def project_files(root: Path) -> list[str]:
    """The files fmt owns in a project, relative to ``root``, sorted."""
    found = []
    for path in [
        root / "policy" / "policy.yaml",
        *sorted((root / "policy" / "sections").glob("*.yaml")),
        *sorted((root / "locales").glob("*/*.yaml")),
    ]:
        rel = path.relative_to(root).as_posix()
        if path.is_file() and kind_of(rel):
            found.append(rel)
    return found
