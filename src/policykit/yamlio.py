"""All YAML goes through here: the only module that imports ruamel.yaml.

Two ways in:

* :func:`parse` reads a file for the model. It uses the C parser (fast) to
  compose nodes, keeps every key's and value's ``file:line:col``, and rejects
  what a policy file must never be: not UTF-8, too large, duplicate keys,
  unknown tags, nesting deeper than :data:`~policykit.yamllimits.MAX_DEPTH` (checked
  before ruamel's recursive composer sees the text; the limits are in
  :mod:`policykit.yamllimits`), recursive aliases, or aliases that expand
  beyond a sane bound (in nodes, and in characters of text).
* :func:`load_roundtrip` / :func:`dump_roundtrip` keep comments, key order and
  quoting, for ``fmt`` and for the files policyctl writes (translations,
  changelog entries).

Parse results are not cached: a memory and disk cache of them (keyed by the file's bytes)
measured no gain a user would notice in ``diff``, ``validate`` or ``build`` (the figures are
in docs/architecture.md). ruamel.yaml is imported on the first parse.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from policykit.diagnostics import Diagnostic, Pos, error
from policykit.errors import InvalidPolicy
from policykit.yamllimits import MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_FILE_BYTES, decode, depth_bound

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.error import YAMLError

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class LMap(dict[str, Any]):
    """A mapping that remembers where it, each key and each value stood."""

    pos: Pos
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]

    def where(self, key: str) -> Pos:
        """Position of ``key``'s value if present, else of the mapping."""
        return self.value_pos.get(key, self.pos)


class LSeq(list[Any]):
    """A sequence that remembers where it and each item stood."""

    pos: Pos
    item_pos: list[Pos]


# A ruamel node; its class's ``id`` says "scalar", "sequence" or "mapping", so this module
# tells nodes apart without importing ruamel.yaml until it actually parses.
Node = Any


def _pos(name: str, node: Node) -> Pos:
    return Pos(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _expanded_chars(node: Node, seen: dict[int, int]) -> int:
    """The characters of text ``node`` stands for once every alias is written out: a 200 KB
    string repeated by 5,000 aliases is a few nodes, but a gigabyte on every page built."""
    key = id(node)
    if key not in seen:
        if node.id == "mapping":
            seen[key] = sum(_expanded_chars(k, seen) + _expanded_chars(v, seen) for k, v in node.value)
        elif node.id == "sequence":
            seen[key] = sum(_expanded_chars(item, seen) for item in node.value)
        else:
            seen[key] = len(str(node.value))
    return seen[key]


def check_depth(text: str, name: str) -> None:
    """Refuse a document nested deeper than :data:`MAX_DEPTH`, at the first collection too deep.

    Cheap when the text cannot nest that deep (:func:`depth_bound`, the common case);
    otherwise libyaml's event stream (no recursion, in C) is followed until the limit.
    """
    if depth_bound(text) <= MAX_DEPTH:
        return
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in _safe_yaml()(typ="safe", pure=False).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    at = Pos(name, event.start_mark.line + 1, event.start_mark.column + 1)
                    raise InvalidPolicy([error(at, f"YAML nested more than {MAX_DEPTH} levels deep; "
                                               "a policy file needs far fewer: flatten this structure",
                                               "yaml.too-deep")])
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError as exc:
        raise InvalidPolicy([_yaml_error(name, exc)]) from None


class _Builder:
    def __init__(self, name: str, text: str, constructor: SafeConstructor) -> None:
        self.name = name
        self.lines = text.splitlines()
        self.diagnostics: list[Diagnostic] = []
        self._constructor = constructor

    def check_aliases(self, root: Node) -> None:
        """Refuse recursive aliases and documents that expand far beyond their text."""
        distinct: dict[int, int] = {}
        active: set[int] = set()

        def size(node: Node) -> int:
            key = id(node)
            if key in distinct:
                return distinct[key]
            if key in active:
                raise InvalidPolicy([error(_pos(self.name, node), "recursive YAML alias", "yaml.alias")])
            active.add(key)
            total = 1
            if node.id == "mapping":
                for k, v in node.value:
                    total += size(k) + size(v)
            elif node.id == "sequence":
                for item in node.value:
                    total += size(item)
            active.discard(key)
            distinct[key] = total
            return total

        expanded = size(root)
        chars = _expanded_chars(root, {})
        if chars > MAX_FILE_BYTES:
            raise InvalidPolicy([error(
                _pos(self.name, root),
                f"YAML aliases expand this file to {chars:,} characters of text (limit: {MAX_FILE_BYTES:,}, "
                "the size of a file); write the repeated parts out instead of using anchors",
                "yaml.alias-bomb")])
        if expanded > len(distinct) + MAX_ALIAS_EXPANSION:
            raise InvalidPolicy(
                [
                    error(
                        _pos(self.name, root),
                        f"YAML aliases expand this file to {expanded:,} nodes from "
                        f"{len(distinct):,} written (limit: {MAX_ALIAS_EXPANSION:,} extra); "
                        "write the repeated parts out instead of using anchors",
                        "yaml.alias-bomb",
                    )
                ]
            )

    def build(self, node: Node) -> Any:
        if node.id == "mapping":
            return self._mapping(node)
        if node.id == "sequence":
            seq = LSeq(self.build(item) for item in node.value)
            seq.pos = _pos(self.name, node)
            seq.item_pos = [self.content_pos(item) for item in node.value]
            return seq
        if node.tag not in _SCALAR_TAGS:
            self.diagnostics.append(error(_pos(self.name, node), f"unsupported YAML tag {node.tag!r}", "yaml.tag"))
            return node.value
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        return self._constructor.construct_object(node, deep=True)

    def _mapping(self, node: Node) -> LMap:
        result = LMap()
        result.pos = _pos(self.name, node)
        result.key_pos = {}
        result.value_pos = {}
        for key_node, value_node in node.value:
            kpos = _pos(self.name, key_node)
            if key_node.id != "scalar":
                self.diagnostics.append(error(kpos, "a key must be a plain name", "yaml.key"))
                continue
            key = str(key_node.value)
            if key == "<<":
                self.diagnostics.append(
                    error(kpos, "YAML merge keys (<<) are not supported; write the keys out", "yaml.merge")
                )
                continue
            if key in result:
                first = result.key_pos[key]
                self.diagnostics.append(
                    error(
                        kpos,
                        f"duplicate key {key!r} (first defined at line {first.line}); remove one of them",
                        "yaml.duplicate-key",
                    )
                )
                continue
            result[key] = self.build(value_node)
            result.key_pos[key] = kpos
            result.value_pos[key] = self.content_pos(value_node)
        return result

    def content_pos(self, node: Node) -> Pos:
        """Where a value's content starts: inside the quotes, or on the first line of a ``|`` block.

        So an offset into a string maps to the right line and column of the file.
        """
        pos = _pos(self.name, node)
        style = getattr(node, "style", None) if node.id == "scalar" else None
        if style in ("'", '"'):
            return Pos(pos.file, pos.line, pos.col + 1)
        if style in ("|", ">") and pos.line < len(self.lines):
            first = self.lines[pos.line]  # the line after the indicator (0-based index = pos.line)
            return Pos(pos.file, pos.line + 1, len(first) - len(first.lstrip(" ")) + 1)
        return pos


def _yaml_error(name: str, exc: YAMLError, text: str = "") -> Diagnostic:
    """The parser's complaint, explained for a person (see :mod:`policykit.yamlmessages`)."""
    from ruamel.yaml.error import MarkedYAMLError

    from policykit.yamlmessages import explain

    if isinstance(exc, MarkedYAMLError):
        pm, cm = exc.problem_mark, exc.context_mark
        return explain(name, text, str(exc.problem or ""), str(exc.context or ""),
                       (pm.line + 1, pm.column + 1) if pm is not None else None,
                       (cm.line + 1, cm.column + 1) if cm is not None else None)
    return error(Pos(name, 1, 1), f"malformed YAML: {exc}", "yaml.syntax")


def parse(data: bytes, name: str) -> Any:
    """Parse one YAML document into plain values that remember their positions.

    Raises :class:`InvalidPolicy` listing every problem found in the file. The
    result is the caller's own: changing it changes nothing anyone else reads.
    """
    return _parse(data, name)


@cache
def _safe_yaml() -> type[YAML]:
    """ruamel's YAML without plug-in discovery: every instance would search ruamel's
    folder for plug-ins (a directory listing per parsed file); the parser uses none."""
    from ruamel.yaml import YAML

    class SafeYAML(YAML):
        def official_plug_ins(self) -> Any:
            return []

    return SafeYAML


@cache
def _resolver() -> type:
    """ruamel's resolver, asking once per document which YAML version it reads.

    The stock one asks for every scalar, and with the C parser each answer costs two
    caught AttributeErrors: a third of parsing a policy file. The answer cannot change
    within a document (the C parser does not report ``%YAML`` directives to it).
    """
    from ruamel.yaml.resolver import VersionedResolver

    class Resolver(VersionedResolver):
        _policyctl_resolvers: Any = None

        @property
        def versioned_resolver(self) -> Any:
            if self._policyctl_resolvers is None:
                self._policyctl_resolvers = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
            return self._policyctl_resolvers

    return Resolver


def _parse(data: bytes, name: str) -> Any:
    from ruamel.yaml.error import YAMLError

    text = decode(data, name)
    check_depth(text, name)
    yaml = _safe_yaml()(typ="safe", pure=False)
    yaml.Resolver = _resolver()
    try:
        node = yaml.compose(text)
    except YAMLError as exc:
        raise InvalidPolicy([_yaml_error(name, exc, text)]) from None
    if node is None:
        empty = LMap()
        empty.pos, empty.key_pos, empty.value_pos = Pos(name, 1, 1), {}, {}
        return empty
    builder = _Builder(name, text, yaml.constructor)
    if "&" in text:  # without an anchor there is no alias: nothing to expand, nothing recursive
        builder.check_aliases(node)
    value = builder.build(node)
    if builder.diagnostics:
        raise InvalidPolicy(builder.diagnostics)
    return value


def _roundtrip() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: comments, key order and quotes survive
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a lawyer's sentences
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def load_roundtrip(text: str, name: str) -> Any:
    """Load text keeping comments and layout (for fmt and for files we rewrite)."""
    from ruamel.yaml.error import YAMLError

    if len(text) > MAX_FILE_BYTES:
        decode(text.encode("utf-8"), name)  # raises: too large
    check_depth(text, name)
    try:
        return _roundtrip().load(text)
    except YAMLError as exc:
        raise InvalidPolicy([_yaml_error(name, exc, text)]) from None


def dump_roundtrip(data: Any) -> str:
    out = io.StringIO()
    _roundtrip().dump(data, out)
    return out.getvalue()


def new_map(items: Iterable[tuple[str, Any]] = ()) -> Any:
    """A fresh round-trip mapping (so written files keep the order given)."""
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(items)


def reorder(mapping: Any, order: list[str]) -> None:
    """Put ``order``'s keys first, in that order; other keys keep theirs, after them.

    Comments travel with their keys.
    """
    known = [k for k in order if k in mapping]
    rest = [k for k in mapping if k not in order]
    for key in known + rest:
        mapping.move_to_end(key)


def is_mapping(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap

    return isinstance(value, CommentedMap)


def is_sequence(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedSeq

    return isinstance(value, CommentedSeq)


def quoted(text: str) -> Any:
    """A string that is always written in double quotes (a hash like ``123456789012`` stays text)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def literal(text: str) -> Any:
    """A string that is written as a ``|`` block when it spans lines."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(text) if "\n" in text else text
