"""Diagnostics: what validation finds, with the place it found it.

Checks return diagnostics; only the CLI prints them (one place reports).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


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

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}: {self.message}"

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.pos.file, self.pos.line, self.pos.col, self.severity != "error", self.message)


def error(pos: Pos, message: str, code: str = "") -> Diagnostic:
    return Diagnostic(pos, "error", message, code)


def warning(pos: Pos, message: str, code: str = "") -> Diagnostic:
    return Diagnostic(pos, "warning", message, code)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    """Render sorted diagnostics as ``text``, ``json`` or GitHub ``github`` annotations."""
    items = sorted(diagnostics, key=Diagnostic.sort_key)
    if fmt == "json":
        return json.dumps(
            [
                {
                    "file": d.pos.file,
                    "line": d.pos.line,
                    "col": d.pos.col,
                    "severity": d.severity,
                    "code": d.code,
                    "message": d.message,
                }
                for d in items
            ],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":

        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        return "\n".join(
            f"::{d.severity} file={d.pos.file},line={d.pos.line},col={d.pos.col}::{esc(d.message)}" for d in items
        )
    return "\n".join(str(d) for d in items)
