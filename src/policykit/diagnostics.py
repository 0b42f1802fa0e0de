"""Diagnostics: what validation finds, with the place it found it.

Checks return diagnostics; only the CLI prints them (one place reports). A
diagnostic says what is wrong in a plain sentence (``message``) and, apart,
what to do about it (``hint``); it knows how many characters its cause spans
(``length``) so the text format can underline it under the source line::

    policy/sections/contact.yaml:16:7: error: unknown key 'taxnomy' in a data_categories item
       |
    16 |       taxnomy: user.contact.email
       |       ^^^^^^^
       = help: did you mean 'taxonomy'? (a data_categories item needs it)

The first line of each is the classic ``file:line:col: severity: message`` that
editors and CI logs link; ``short`` prints only that line (with the hint after
a semicolon), ``json`` and ``github`` are for machines.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
FORMATS = ("text", "short", "json", "github")


@dataclass(frozen=True, order=True)
class Pos:
    """A place in a source file: 1-based line and column, as editors count."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}" if self.line else self.file


@dataclass(frozen=True)
class Diagnostic:
    pos: Pos
    severity: Severity
    message: str
    code: str = ""  # a stable identifier of the check, e.g. "schema.unknown-key"
    hint: str = ""  # the remedy: what to do about it, when the message does not already say
    length: int = 0  # characters of the cause from ``pos`` (the caret's width); 0: one caret

    def __str__(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.pos}: {self.severity}: {self.message}{hint}"

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.pos.file, self.pos.line, self.pos.col, self.severity != "error", self.message)


def error(pos: Pos, message: str, code: str = "", *, hint: str = "", length: int = 0) -> Diagnostic:
    return Diagnostic(pos, "error", message, code, hint, length)


def warning(pos: Pos, message: str, code: str = "", *, hint: str = "", length: int = 0) -> Diagnostic:
    return Diagnostic(pos, "warning", message, code, hint, length)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def counted(diagnostics: Iterable[Diagnostic]) -> str:
    """``1 error, 2 warnings``."""
    items = list(diagnostics)
    errors = sum(d.severity == "error" for d in items)
    warnings = len(items) - errors
    return f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}"


# Where the text format finds a file's lines: a function from the file's name (as in a Pos)
# to its text, or None when it cannot be read (the excerpt is then left out).
SourceText = Callable[[str], "str | None"]


def format_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str = "text", *,
                       source: SourceText | None = None) -> str:
    """Render sorted diagnostics as ``text`` (with source excerpts when ``source`` reads the
    files), ``short`` (one line each), ``json`` or GitHub ``github`` annotations."""
    items = sorted(diagnostics, key=Diagnostic.sort_key)
    if fmt == "json":
        return json.dumps([{"file": d.pos.file, "line": d.pos.line, "col": d.pos.col, "severity": d.severity,
                            "code": d.code, "message": d.message, "hint": d.hint} for d in items],
                          ensure_ascii=False, indent=2)
    if fmt == "github":
        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        return "\n".join(f"::{d.severity} file={d.pos.file},line={d.pos.line},col={d.pos.col}::"
                         f"{esc(d.message + (chr(10) + d.hint if d.hint else ''))}" for d in items)
    if fmt == "short" or source is None:
        return "\n".join(str(d) for d in items)
    lines = _Lines(source)
    return "\n\n".join(_full(d, lines) for d in items)


class _Lines:
    """Each file's lines, read once."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.files: dict[str, list[str] | None] = {}

    def get(self, file: str, line: int) -> str | None:
        if file not in self.files:
            text = self.source(file)
            self.files[file] = None if text is None else text.splitlines()
        found = self.files[file]
        if found is None or not 1 <= line <= len(found):
            return None
        return found[line - 1]


def _full(d: Diagnostic, lines: _Lines) -> str:
    head = f"{d.pos}: {d.severity}: {d.message}"
    text = lines.get(d.pos.file, d.pos.line) if d.pos.line else None
    out = [head]
    gutter = " " * len(str(d.pos.line))
    if text is not None:
        shown, caret_at, width = _excerpt(text, d.pos.col, d.length)
        out += [f"{gutter} |", f"{d.pos.line} | {shown}", f"{gutter} | {' ' * caret_at}{'^' * width}"]
    if d.hint:
        pad = gutter if text is not None else ""
        first, *rest = d.hint.split("\n")
        out.append(f"{pad} = help: {first}")
        out += [f"{pad}         {line}" for line in rest]
    return "\n".join(out)


def _excerpt(text: str, col: int, length: int) -> tuple[str, int, int]:
    """The line as shown (tabs expanded), the display column of the caret and its width."""
    shown = text.expandtabs(4)
    start = max(col - 1, 0)
    before = text[:start].expandtabs(4)
    span = text[start:start + max(length, 1)] or " "
    width = max(_width(span.expandtabs(4)), 1) if length else 1
    return shown.rstrip(), _width(before), width


def _width(s: str) -> int:
    """Terminal columns of ``s``: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)
