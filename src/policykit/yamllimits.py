"""The limits a YAML file is held to, and the checks made on its bytes and text before any
parser sees them: its size, its encoding, and a bound on how deep it can nest.

No parser here: :mod:`policykit.yamlio` (the one module that imports ruamel.yaml) calls
:func:`decode` first, and follows the parser's events only when :func:`depth_bound` says
the text could nest deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

from policykit.diagnostics import Pos, error
from policykit.errors import InvalidPolicy

MAX_FILE_BYTES = 1024 * 1024
# Aliases may share structure, but the document they expand to must stay close
# to the size of what was written: a few KiB of anchors must not become GBs.
MAX_ALIAS_EXPANSION = 10_000
# Mappings and sequences nested deeper than this are refused before anything recursive
# (ruamel's composer, the builder, pickle) meets them: 330 levels overflowed Python's
# stack, 50,000 the C stack. A policy file nests about 7 deep.
MAX_DEPTH = 50


def decode(data: bytes, name: str) -> str:
    """Decode a policy file, refusing what is too large or not UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidPolicy(
            [
                error(
                    Pos(name, 1, 1),
                    f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} "
                    "(split the section into smaller ones)",
                    "yaml.too-large",
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InvalidPolicy(
            [
                error(
                    Pos(name, line, col),
                    f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                    "yaml.encoding",
                )
            ]
        ) from None


def depth_bound(text: str) -> int:
    """An upper bound of how deep ``text`` nests, from its characters alone (no parsing).

    Each ``[`` or ``{`` may open a flow collection. A block collection starts where a
    line's indentation and indicators (``- ``, ``? ``, ``: ``) end, and down a chain of
    nested block collections that column never decreases and stays the same at most
    once (a sequence written under its key): two levels per column at most.
    """
    flow = text.count("[") + text.count("{")
    lead = max((len(line) - len(line.lstrip(" -?:")) for line in text.split("\n")), default=0)
    return 1 + flow + 2 * (lead + 1)
