"""LocalisedPolicy → the policy as data, for apps that render natively.

The shape is documented by ``policykit/schemas/localised-policy.schema.json``
(JSON Schema 2020-12); ``schema_version`` changes when a field is removed or its
meaning changes. Block text comes as Markdown source (``text.value``), as safe HTML and as plain
text; every string says which language it is in and whether it is a fallback.
"""

from __future__ import annotations

import json
from typing import Any

from policykit import markdown
from policykit.localise import (
    LocalisedBlock,
    LocalisedFact,
    LocalisedPolicy,
    LocalisedSection,
    Text,
    Value,
    content_key,
)
from policykit.memo import LRU

SCHEMA_VERSION = 1  # 1 still: issue #13 only added fields (shown, caption, columns)


def _text(t: Text) -> dict[str, Any]:
    return {"value": t.value, "lang": t.lang, "fallback": t.fallback, "stale": t.stale}


def _fact(f: LocalisedFact) -> dict[str, Any]:
    return {"id": f.id, "kind": f.kind, "anchor": f.anchor, "label": _text(f.label),
            "attributes": {k: _plain(v) for k, v in sorted(f.attrs.items())},
            "shown": {c.attr: [_value(v) for v in c.values] for c in f.cells}}


def _value(v: Value) -> dict[str, Any]:
    return {**_text(v.text), "href": v.href}


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # dates and the like: their ISO text


def _block(b: LocalisedBlock) -> dict[str, Any]:
    out: dict[str, Any] = {"id": b.id, "anchor": b.anchor, "fallback_lang": b.fallback_lang}
    if b.text is not None:
        out |= {"type": "text", "text": _text(b.text),
                "html": markdown.to_html(b.text.value), "plain": markdown.to_text(b.text.value)}
    else:
        out |= {"type": "list", "list": b.list, "items": [f.id for f in b.items],
                "caption": _text(b.caption) if b.caption else None,
                "columns": ([{"attribute": "label", "title": _text(b.heading)}] if b.heading else [])
                + [{"attribute": c.attr, "title": _text(c.title)} for c in b.columns]}
    return out


def render_json(localised: LocalisedPolicy) -> dict[str, Any]:
    """The localised policy as a JSON-ready dict (see the schema for its shape)."""
    return _document(localised, [_section(s) for s in localised.sections])


def _section(s: LocalisedSection) -> dict[str, Any]:
    return {
        "id": s.id,
        "anchor": s.id,
        "title": _text(s.title),
        "fallback_lang": s.fallback_lang,
        "blocks": [_block(b) for b in s.blocks],
        "facts": {kind: [_fact(f) for f in items] for kind, items in s.facts.items()},
    }


def render_json_text(localised: LocalisedPolicy) -> str:
    """``dumps(render_json(localised))``, with each section's text remembered between calls.

    A site writes every release in every locale, and consecutive releases share most
    sections: a section's text is kept by its content as bytes (localise.content_key, the
    whole section, so a hit is the same input) and written into the document as it is.
    """
    return dumps(_document(localised, [_section_text(s) for s in localised.sections]))


class _Encoded(str):
    """JSON text made earlier, written into a document as it is."""


_SECTIONS: LRU[bytes, _Encoded] = LRU(4096)
_SECTION_NEWLINE = "\n" + 2 * "  "  # a section is an item of the document's "sections" list


def _section_text(s: LocalisedSection) -> _Encoded:
    key = content_key(s)
    text = _SECTIONS.get(key)
    if text is None:
        out: list[str] = []
        _encode(_section(s), _SECTION_NEWLINE, out)
        text = _Encoded("".join(out))
        _SECTIONS.put(key, text)
    return text


def _document(localised: LocalisedPolicy, sections: list[Any]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "document": localised.document,
        "locale": localised.locale,
        "dir": localised.direction,
        "source_locale": localised.source_locale,
        "authoritative_locale": localised.authoritative_locale,
        "fallback_chain": list(localised.chain),
        "title": _text(localised.title),
        "controller": {"name": _text(localised.controller_name),
                       "address": _text(localised.controller_address) if localised.controller_address else None,
                       "representative": (_text(localised.controller_representative)
                                          if localised.controller_representative else None)},
        "version": localised.version,
        "last_updated": localised.last_updated.isoformat() if localised.last_updated else None,
        "effective_from": localised.effective_from.isoformat() if localised.effective_from else None,
        "base_url": localised.base_url,
        "sections": sections,
    }


def dumps(data: dict[str, Any]) -> str:
    """Stable text for a file: keys in the order built, UTF-8 as is, one newline at the end.

    The bytes are exactly those of ``json.dumps(data, ensure_ascii=False, indent=2)``, made
    by a direct recursion instead: with ``indent`` the standard library falls back to its
    generator-based pure-Python encoder, which was the largest single cost of a site build's
    JSON files (a thousand policies of ~50 blocks each). Strings still go through the
    standard library's C string encoder.
    """
    out: list[str] = []
    _encode(data, "\n", out)
    out.append("\n")
    return "".join(out)


_INDENT = "  "
_string = json.encoder.encode_basestring  # the C encoder when available, as json.dumps uses
_CONSTANTS = {None: "null", True: "true", False: "false"}


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str:
    """A non-container value as json.dumps writes it; TypeError for what it cannot write."""
    if isinstance(value, str):
        return _string(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _string(key)
    if isinstance(key, (int, float)) or key is None:  # json.dumps writes these keys as strings
        return _string(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _encode(value: Any, newline: str, out: list[str]) -> None:
    """Append ``value`` at the indentation that ``newline`` (``"\\n"`` plus spaces) ends with."""
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_key(key))
            out.append(": ")
            if isinstance(item, (dict, list, tuple)):
                _encode(item, inner, out)
            else:
                out.append(_scalar(item))
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + _INDENT
        separator = "[" + inner
        for item in value:
            out.append(separator)
            if isinstance(item, (dict, list, tuple)):
                _encode(item, inner, out)
            elif type(item) is _Encoded:
                if inner != _SECTION_NEWLINE:
                    raise ValueError("a remembered section belongs in the document's sections list")
                out.append(item)
            else:
                out.append(_scalar(item))
            separator = "," + inner
        out.append(newline + "]")
    else:
        out.append(_scalar(value))
